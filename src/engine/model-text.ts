/**
 * The model-text compiler on its own (`import … from 'dosewise/model-text'`, Node): a model text
 * becomes a model with its own compiled WASM kernel.
 *
 * @module dosewise/model-text
 */
// Model texts, end to end: parse and check the text (src/model/text), compile its kernel into an
// engine module (kernel-compiler.ts, cached), and return a Model whose file carries the module,
// so simulate(), populations, MAP and design run it like any model, in any worker.

import { defineModel, embedModule, type Model, type TextModelFile } from '../model/model.js';
import { cancellation, DosewiseError, Errors } from '../errors.js';
import { cachedKernel, compileKernel, type KernelCompileOptions } from './kernel-compiler.js';
import { compileInBackground } from './kernel-background.js';
import { optionKeys, refuseUnknownKeys } from '../option-keys.js';

export interface CompileModelOptions extends KernelCompileOptions {
  /** File name shown in error messages (line:column refer to it). */
  readonly file?: string;
  /** Called with where the kernel came from ('memory', 'disk' cache or 'compiler') and the time it took. */
  readonly onKernel?: (info: { from: 'memory' | 'disk' | 'compiler'; ms: number; key: string }) => void;
  /** Called when the module embedded in a JSON form was refused (it does not belong to the text); the kernel is then compiled again. */
  readonly onRefused?: (why: string) => void;
  /**
   * 'compiled' (the default): the compiled kernel, from the cache or else the compiler (seconds).
   * 'auto': the compiled kernel when it is cached, else at once the interpreted one (the shipped
   * engine runs the kernel as register code: the same numbers bit for bit, 1.4–1.6× the time per
   * simulation) while a detached process compiles it into the disk cache for the next run. Kernels
   * too large for the interpreter are compiled in either case.
   */
  readonly tier?: 'compiled' | 'auto';
  /** Called when 'auto' runs the kernel interpreted, with whether a background compilation was started. */
  readonly onInterpreted?: (info: { background: boolean }) => void;
}

// a misspelt key ({ cachedir: false }) was ignored: the kernel went to the disk cache
const COMPILE_MODEL_KEYS = optionKeys<CompileModelOptions>({ file: true, onKernel: true, onRefused: true, tier: true, onInterpreted: true, cacheDir: true, signal: true, onCompileStart: true });

/**
 * A model from a model text (a string) or from any model JSON (a model file, or a model text as
 * `{ dosewise: 'text', text }`). Model texts get their kernel compiled (or taken from the cache).
 *
 * @example
 * const model = await compileModel(readFileSync('tmdd.model', 'utf8'), { file: 'tmdd.model' });
 * const sim = simulate(model, records);
 */
export async function compileModel(input: string | unknown, options: CompileModelOptions = {}): Promise<Model> {
  refuseUnknownKeys(options, COMPILE_MODEL_KEYS, 'compileModel()');
  const json: unknown = typeof input === 'string' ? ({ dosewise: 'text', text: input, file: options.file } satisfies TextModelFile) : input;
  const model = defineModel(json);
  if (!model.kernel || model.kernel.wasm) return model;
  const file = model.file as TextModelFile;
  const { refused } = model.kernel;
  const where = options.file ?? file.file ?? 'model JSON';
  if (refused) options.onRefused?.(`${where}: ${refused}`);
  if (options.tier === 'auto' && model.kernel.code) {
    const hit = cachedKernel(model.kernel.source, options);
    if (!hit) {
      const background = compileInBackground(model.kernel.source, options.cacheDir);
      options.onInterpreted?.({ background });
      return model;
    }
  }
  const { source } = model.kernel;
  let k;
  try {
    k = await abortable(() => compileKernel(source, options), options.signal);
  } catch (e) {
    // no compiler here: a refused module is reported as such, never run
    if (refused && e instanceof DosewiseError && e.code === 'E_ENGINE')
      throw Errors.engine(`${where}: the compiled module in this JSON was refused (${refused}) and the kernel cannot be compiled again here: ${e.message}`);
    throw e;
  }
  options.onKernel?.({ from: k.from, ms: k.ms, key: k.key });
  return defineModel({ ...file, kernel: embedModule(model.kernel.id, k.wasm) } satisfies TextModelFile);
}

/**
 * The compilation, settled as soon as `signal` aborts, with the pools' rejection: the signal's
 * reason where it is an Error, else an AbortError naming it (compileKernel rejects with the bare
 * reason, 'user closed the page'). The compiler's worker thread is terminated by the same abort
 * (kernel-worker.ts), so its module is never kept or cached; where the compiler runs on this thread
 * instead, it runs on to its end and compileKernel drops the module then.
 */
function abortable<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const what = 'compileModel() cancelled';
  if (!signal) return work();
  if (signal.aborted) return Promise.reject(cancellation(signal.reason, what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancellation(signal.reason, what));
    signal.addEventListener('abort', onAbort, { once: true });
    work().then(resolve, (e: unknown) => reject(signal.aborted ? cancellation(signal.reason, what) : e)).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

// The `dosewise/model-text` entry: the compiler on its own, for apps that compile model texts
// without loading the rest of the library's API.
export { compileModelText, type CompiledText } from '../model/text/index.js';
export { compileKernel, kernelKey, defaultCacheDir, type KernelCompileOptions } from './kernel-compiler.js';
