// The platform-neutral part of compiling a model text's kernel: run the AssemblyScript compiler on
// the engine's sources (assembly/, asconfig.json) with assembly/models/user.ts replaced by the
// generated kernel, all files served from memory. Node (kernel-compiler.ts) reads the sources from
// disk; the browser (kernel-compiler-web.ts) has them bundled as text.

import { Errors } from '../errors.js';

/** An output stream of the compiler kept in memory (assemblyscript/asc createMemoryStream()). */
export interface MemoryStream {
  write(chunk: Uint8Array | string): void;
  toString(): string;
}

/** The compiler's file and output callbacks, as used here. */
export interface AscOptions {
  stdout: MemoryStream;
  stderr: MemoryStream;
  readFile: (name: string, baseDir: string) => string | null;
  writeFile: (name: string, contents: Uint8Array | string, baseDir: string) => void;
  listFiles: (dirname: string, baseDir: string) => string[] | null;
}

/** The compiler module's API as used here (assemblyscript/asc, or kernel-worker.ts running it on a worker thread). */
export interface Asc {
  main(argv: string[], options: AscOptions): Promise<{ error: Error | null }>;
  createMemoryStream(): MemoryStream;
}

/** Removes terminal colour sequences (ESC [ … m). */
function stripColours(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

export const USER_KERNEL_PATH = 'assembly/models/user.ts';

/** Normalises a compiler path relative to the package root ("./assembly/x.ts" → "assembly/x.ts"). */
function rel(name: string, baseDir: string): string {
  const parts: string[] = [];
  for (const p of `${baseDir}/${name}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

/**
 * Compiles the engine with `kernelSource` as its user kernel. `read(path)` returns the text of a
 * package file ("assembly/index.ts", "asconfig.json") or null.
 */
export async function buildKernelModule(asc: Asc, read: (path: string) => string | null, list: (dir: string) => string[] | null, kernelSource: string): Promise<Uint8Array> {
  const first = await compileOnce(asc, read, list, kernelSource, []);
  if (first.wasm) return first.wasm;
  // The engine's static buffers grow with the model's states (its matrices with their square): past
  // ~33 compartments they outgrow asconfig's 16 initial pages (1 MiB), and asc says how many it needs
  // (a 40-compartment transit chain: 20). Compiled again with that many; the engine's heap starts
  // after its data whatever the initial size.
  const pages = /AS105: Module requires at least '(\d+)' pages/.exec(first.words)?.[1];
  const second = pages === undefined ? first : await compileOnce(asc, read, list, kernelSource, ['--initialMemory', pages]);
  if (second.wasm) return second.wasm;
  // generated code that does not compile is a dosewise bug, not a model error: show the compiler's words
  throw Errors.engine(`the model's kernel did not compile: ${second.error}\n${second.words}`);
}

/** One compiler run: the module, or the compiler's error and its words (without colour codes). */
async function compileOnce(asc: Asc, read: (path: string) => string | null, list: (dir: string) => string[] | null, kernelSource: string, extra: readonly string[]): Promise<{ wasm?: Uint8Array; error: string; words: string }> {
  let wasm: Uint8Array | undefined;
  const stderr = asc.createMemoryStream();
  const result = await asc.main(['assembly/index.ts', '--target', 'release', '--outFile', 'kernel.wasm', '--baseDir', '.', ...extra], {
    stdout: asc.createMemoryStream(),
    stderr,
    readFile: (name, baseDir) => {
      const p = rel(name, baseDir);
      return p === USER_KERNEL_PATH ? kernelSource : read(p);
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') wasm = contents;
    },
    listFiles: (dirname, baseDir) => list(rel(dirname, baseDir)),
  });
  // without the colour codes asc adds on a terminal or whenever CI is set (they would land in logs and JSON)
  if (result.error || !wasm) return { error: stripColours(result.error?.message ?? 'no output'), words: stripColours(stderr.toString()).slice(0, 2000) };
  return { wasm, error: '', words: '' };
}
