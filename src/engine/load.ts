// Loading the WASM module in Node: the file sits in build/ at the package root, found by walking up
// from this module (the same code runs from src/ under vitest and from dist/ when built).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from './wasm.js';
import { kernelEngine } from './kernels.js';
import type { Model } from '../model/model.js';
import { Errors } from '../errors.js';
import { findUpFile, moduleDir } from '../package-path.js';
import { keepFreedPages } from './freed-pages.js';
import './wasm-module-type.js';

let cached: WebAssembly.Module | undefined;

export function wasmPath(): string {
  const p = findUpFile(moduleDir(import.meta.url), join('build', 'dosewise.wasm'));
  if (p !== undefined) return p;
  throw Errors.engine('build/dosewise.wasm not found; run npm run build');
}

export function wasmModule(): WebAssembly.Module {
  keepFreedPages();
  cached ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return cached;
}

let shared: Engine | undefined;

/** The engine of this thread for `model` (one WASM instance per kernel, created on first use). */
export function engine(model?: Pick<Model, 'name' | 'kernel'>): Engine {
  if (model?.kernel) return kernelEngine(model, wasmModule);
  shared ??= Engine.fromModule(wasmModule());
  return shared;
}
