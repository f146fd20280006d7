// Web Worker entry (browser): the same chunk handler, served over Comlink. The WASM module is
// fetched next to the page (build/dosewise.wasm copied by the web build).

import { Engine } from '../engine/wasm.js';
import { kernelEngine } from '../engine/kernels.js';
import { exposeHandler } from '../pool/web.js';
import { handleChunkTask, type ChunkTask } from './task.js';
import { requireSimd } from '../engine/simd.js';

const wasmUrl = new URL('../../build/dosewise.wasm', import.meta.url);
requireSimd();
const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
const engine = Engine.fromModule(module);
exposeHandler<ChunkTask>((task) => handleChunkTask(task, (m) => (m.kernel ? kernelEngine(m, () => module) : engine)));
