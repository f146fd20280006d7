// Loading the WASM module in Node: the file sits in build/ at the package root, found by walking up
// from this module (the same code runs from src/ under vitest and from dist/ when built).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from './wasm.js';
import { kernelEngine } from './kernels.js';
import type { Model } from '../model/model.js';
import { Errors } from '../errors.js';
import { findUp, findUpFile, moduleDir } from '../package-path.js';
import { keepFreedPages } from './freed-pages.js';
import './wasm-module-type.js';

let cached: WebAssembly.Module | undefined;

export function wasmPath(): string {
  return wasmPathFrom(moduleDir(import.meta.url), process.env.DOSEWISE_WASM);
}

/**
 * The engine file for a module in `dir`: `given` (DOSEWISE_WASM) if set, else build/dosewise.wasm
 * in `dir` or one of its five nearest ancestors. A server bundled with esbuild or webpack runs
 * this code from the bundle's folder, where the package's build/ is not: the message said "run npm
 * run build", which an installing user cannot do; it now says where it looked and what to ship.
 */
export function wasmPathFrom(dir: string, given?: string): string {
  if (given !== undefined && given !== '') {
    const p = resolve(given);
    if (existsSync(p)) return p;
    throw Errors.engine(`DOSEWISE_WASM is ${given}, and no file is there (${p}): give the path of the package's build/dosewise.wasm`);
  }
  const p = findUpFile(dir, join('build', 'dosewise.wasm'));
  if (p !== undefined) return p;
  const looked = `build/dosewise.wasm not found in ${dir} or its five nearest parent folders`;
  // a source checkout (src/ beside build/) builds the file itself
  if (findUpFile(dir, join('src', 'engine', 'load.ts')) !== undefined) throw Errors.engine(`${looked}; in a source checkout of dosewise, run npm run build`);
  const installed = findUp(dir, (d) => {
    const f = join(d, 'node_modules', 'dosewise', 'build', 'dosewise.wasm');
    return existsSync(f) ? f : undefined;
  });
  throw Errors.engine(
    `${looked} (a bundled app runs dosewise from the bundle's folder): ship the package's build/dosewise.wasm (${installed ?? 'node_modules/dosewise/build/dosewise.wasm'}) as build/dosewise.wasm in the bundle's folder or a parent of it, or set DOSEWISE_WASM to its path`,
  );
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
