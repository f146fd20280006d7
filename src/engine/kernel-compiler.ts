// Compiles a model text's kernel into a complete engine module: the AssemblyScript compiler runs
// on a worker thread of this process (kernel-worker.ts) on the engine's own sources (assembly/),
// with assembly/models/user.ts replaced by the generated kernel, so the result has the same
// solvers, event walker and metrics as the shipped build/dosewise.wasm. Modules are cached on disk
// by a SHA-256 of the kernel source, the engine sources and the compiler version, so a model is
// compiled once per machine.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Errors } from '../errors.js';
import { findUp, findUpFile, moduleDir } from '../package-path.js';
import { buildKernelModule, USER_KERNEL_PATH, type Asc } from './kernel-build.js';
import { workerAsc } from './kernel-worker.js';
import { ENGINE_DIGEST } from '../engine-digest.js';
import { releaseTemp, tempFor } from '../files.js';

export interface KernelCompileOptions {
  /** Cache directory; false disables the disk cache. Default: $DOSEWISE_CACHE_DIR, else $XDG_CACHE_HOME/dosewise/kernels, else ~/.cache/dosewise/kernels. */
  readonly cacheDir?: string | false;
  readonly signal?: AbortSignal;
  /** Called when the compiler actually runs (a few seconds; cache hits do not call it). */
  readonly onCompileStart?: () => void;
}

export interface CompiledKernel {
  readonly wasm: Uint8Array;
  /** Cache key (hex SHA-256). */
  readonly key: string;
  /** Where the module came from: this process's memory, the disk cache, or a fresh compilation. */
  readonly from: 'memory' | 'disk' | 'compiler';
  readonly ms: number;
}

/** The package root: the directory holding assembly/index.ts (src/ under vitest, dist/src when built). */
function packageRoot(): string {
  const root = findUp(moduleDir(import.meta.url), (dir) => (existsSync(join(dir, 'assembly', 'index.ts')) ? dir : undefined));
  if (root !== undefined) return root;
  throw Errors.engine('assembly/ sources not found next to the package; model texts need them to compile their kernel');
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

let engineState: { root: string; digest: string; asc: string } | undefined;

/**
 * Digest of the engine sources (without the user slot) and the compiler version, read from disk;
 * scripts/engine-digest.mjs writes the same into src/engine-digest.ts for the kernel ids.
 */
export function engineIdentity(): { root: string; digest: string; asc: string } {
  if (engineState) return engineState;
  const root = packageRoot();
  const h = createHash('sha256');
  for (const f of listTs(join(root, 'assembly'))) {
    const rel = relative(root, f).split(sep).join('/');
    if (rel === USER_KERNEL_PATH) continue;
    h.update(rel).update('\0').update(readFileSync(f)).update('\0');
  }
  h.update(readFileSync(join(root, 'asconfig.json')));
  const ascPackage = findUpFile(root, join('node_modules', 'assemblyscript', 'package.json'));
  const asc = ascPackage === undefined ? 'unknown' : (JSON.parse(readFileSync(ascPackage, 'utf8')) as { version: string }).version;
  engineState = { root, digest: h.digest('hex'), asc };
  return engineState;
}

export function defaultCacheDir(): string {
  const env = process.env.DOSEWISE_CACHE_DIR;
  if (env) return env;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg || join(homedir(), '.cache'), 'dosewise', 'kernels');
}

const memory = new Map<string, Uint8Array>();
let queue: Promise<unknown> = Promise.resolve();

/** Cache key of a kernel source with this engine and compiler. */
export function kernelKey(source: string): string {
  const id = engineIdentity();
  return createHash('sha256').update(`asc ${id.asc}\0engine ${id.digest}\0`).update(source).digest('hex');
}

function cacheDirOf(options: KernelCompileOptions): string | undefined {
  return options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir());
}

function checkEngineDigest(): void {
  // the module will carry a kernel id naming the engine build of src/engine-digest.ts: a module of
  // other sources under that name would pass for this build's
  const { digest } = engineIdentity();
  if (digest !== ENGINE_DIGEST)
    throw Errors.engine(`the engine sources (assembly/, asconfig.json) changed since src/engine-digest.ts was written (digest ${ENGINE_DIGEST.slice(0, 12)}…, sources ${digest.slice(0, 12)}…): run npm run asbuild`);
}

/** The compiled kernel from this process's memory or the disk cache, without compiling; undefined if neither has it. */
export function cachedKernel(source: string, options: Pick<KernelCompileOptions, 'cacheDir'> = {}): CompiledKernel | undefined {
  const t0 = performance.now();
  checkEngineDigest();
  const key = kernelKey(source);
  const hit = memory.get(key);
  if (hit) return { wasm: hit, key, from: 'memory', ms: performance.now() - t0 };
  const dir = cacheDirOf(options);
  const file = dir ? join(dir, `${key}.wasm`) : undefined;
  if (file && existsSync(file)) {
    const bytes = new Uint8Array(readFileSync(file));
    if (WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
      memory.set(key, bytes);
      return { wasm: bytes, key, from: 'disk', ms: performance.now() - t0 };
    }
  }
  return undefined;
}

export async function compileKernel(source: string, options: KernelCompileOptions = {}): Promise<CompiledKernel> {
  const t0 = performance.now();
  options.signal?.throwIfAborted();
  const cached = cachedKernel(source, options);
  if (cached) return cached;
  const key = kernelKey(source);
  const dir = cacheDirOf(options);
  const file = dir ? join(dir, `${key}.wasm`) : undefined;
  // one compilation at a time: the compiler is large and CPU-bound
  options.onCompileStart?.();
  const run = queue.then(() => runCompiler(source, options.signal));
  queue = run.catch(() => undefined);
  const wasm = await run;
  memory.set(key, wasm);
  if (dir && file) {
    // written under a registered temporary name and renamed: a reader never sees half a module,
    // and an exit on a signal meanwhile removes the temporary file (src/files.ts)
    const tmp = tempFor(file);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, wasm);
      renameSync(tmp, file);
      releaseTemp(tmp);
    } catch {
      // a read-only or full cache only costs a recompilation next time
      releaseTemp(tmp, true);
    }
  }
  return { wasm, key, from: 'compiler', ms: performance.now() - t0 };
}

async function runCompiler(source: string, signal?: AbortSignal): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const { root } = engineIdentity();
  const wasm = await buildKernelModule(
    await compiler(signal),
    (p) => {
      const f = join(root, p);
      return existsSync(f) ? readFileSync(f, 'utf8') : null;
    },
    (d) => {
      const f = join(root, d);
      return existsSync(f) ? readdirSync(f).filter((x) => x.endsWith('.ts')) : null;
    },
    source,
  );
  signal?.throwIfAborted();
  return wasm;
}

/**
 * The compiler on a worker thread, which an abort of `signal` terminates; on this thread where
 * the compiler cannot be located for a worker (import.meta.resolve is Node 20.6+), holding it for
 * seconds and seeing the signal only before and after.
 */
async function compiler(signal: AbortSignal | undefined): Promise<Asc> {
  if (typeof import.meta.resolve === 'function') return workerAsc(import.meta.resolve('assemblyscript/asc'), signal);
  return (await import('assemblyscript/asc')) as unknown as Asc;
}

/** Forgets the modules compiled or read in this process (the disk cache stays). */
export function forgetCompiledKernels(): void {
  memory.clear();
}
