// Loading the WASM module in Node: the file sits in build/ at the package root, found by walking up
// from this module (the same code runs from src/ under vitest and from dist/ when built).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from './wasm.js';
import { kernelEngine } from './kernels.js';
import type { Model } from '../model/model.js';
import { Errors } from '../errors.js';

let cached: WebAssembly.Module | undefined;

export function wasmPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'build', 'dosewise.wasm');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw Errors.engine('build/dosewise.wasm not found; run npm run build');
}

export function wasmModule(): WebAssembly.Module {
  cached ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return cached;
}

let shared: Engine | undefined;

/** The engine of this thread for `model` (one WASM instance per kernel, created on first use). */
export function engine(model?: Pick<Model, 'name' | 'kernel'>): Engine {
  if (model?.kernel) return kernelEngine(model);
  shared ??= Engine.fromModule(wasmModule());
  return shared;
}
