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
  const response = await fetch(url);
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
