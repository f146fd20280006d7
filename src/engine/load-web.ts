// The browser's counterpart of load.ts (the web build aliases load.ts to this file): the page or
// worker compiles the WASM module asynchronously once, then everything calls engine() as in Node.

import { Engine } from './wasm.js';
import { kernelEngine } from './kernels.js';
import type { Model } from '../model/model.js';
import { Errors } from '../errors.js';
import { requireSimd } from './simd.js';

let current: Engine | undefined;
let shipped: WebAssembly.Module | undefined;
// what an app calls: the browser entry's init() (initEngine is internal to the package)
const NOT_INITIALISED = "the WASM engine is not initialised; await init() (from 'dosewise/browser') first";

/** The shipped engine's module (an interpreted model text runs in an instance of its own). */
export function shippedModule(): WebAssembly.Module {
  if (!shipped) throw Errors.engine(NOT_INITIALISED);
  return shipped;
}

/**
 * Compiles and instantiates the engine from a URL (call once, before any simulation). Streaming
 * compilation needs the server to send `application/wasm`; from one that does not, the bytes are
 * compiled after the download instead.
 */
export async function initEngine(url: string | URL): Promise<Engine> {
  requireSimd();
  // a fetch that fails (in Node, any file: URL: the browser entry's packaged engine) rejected with a
  // bare "fetch failed", naming neither the file nor what to do
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { message?: unknown } }).cause?.message;
    const why = `${(e as Error).message}${typeof cause === 'string' ? `: ${cause}` : ''}`;
    const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== undefined;
    throw Errors.engine(
      `the WASM engine file could not be fetched from ${String(url)} (${why})` +
        (node
          ? ": in Node, import the main entry 'dosewise' instead of 'dosewise/browser' (it loads the engine from the package's files), or give init() an http(s) URL of the engine file (Node's fetch reads no file: URL)"
          : ': serve it with the app, or give init() the URL it is served at'),
    );
  }
  if (!response.ok) throw Errors.engine(`the WASM engine could not be loaded from ${String(url)}: HTTP ${response.status}`);
  const module = response.headers.get('content-type')?.startsWith('application/wasm')
    ? await WebAssembly.compileStreaming(response)
    : await WebAssembly.compile(await response.arrayBuffer());
  shipped = module;
  current = Engine.fromModule(module);
  return current;
}

/** The engine of this thread for `model` (initEngine must have completed; a model text brings its own). */
export function engine(model?: Pick<Model, 'name' | 'kernel'>): Engine {
  if (model?.kernel) return kernelEngine(model, shippedModule);
  if (!current) throw Errors.engine(NOT_INITIALISED);
  return current;
}
