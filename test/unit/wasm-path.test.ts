// Where the Node entry finds build/dosewise.wasm. A server bundled with esbuild runs dosewise from
// the bundle's folder, where the package's build/ is not, and got "build/dosewise.wasm not found;
// run npm run build": a maintainer's hint an installing user cannot follow. The message now names
// the folder searched and says what to ship (or DOSEWISE_WASM); the build hint is for a checkout.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmPath, wasmPathFrom } from '../../src/engine/load.js';
import { DosewiseError } from '../../src/errors.js';
import { compiledWorker } from '../../src/package-path.js';
import { pathToFileURL } from 'node:url';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-wasm-path-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

describe('the engine file of the Node entry', () => {
  it('a bundle without build/ beside it: the folder searched, what to ship, DOSEWISE_WASM; no "npm run build"', () => {
    // an app that installed dosewise and bundled its server into dist/
    const app = join(tmp, 'app');
    mkdirSync(join(app, 'dist'), { recursive: true });
    mkdirSync(join(app, 'node_modules', 'dosewise', 'build'), { recursive: true });
    writeFileSync(join(app, 'node_modules', 'dosewise', 'build', 'dosewise.wasm'), '');
    const e = refusal(() => wasmPathFrom(join(app, 'dist')));
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.code).toBe('E_ENGINE');
    expect(e.message).toContain(`build/dosewise.wasm not found in ${join(app, 'dist')} or its five nearest parent folders`);
    expect(e.message).toContain(`ship the package's build/dosewise.wasm (${join(app, 'node_modules', 'dosewise', 'build', 'dosewise.wasm')}) as build/dosewise.wasm in the bundle's folder`);
    expect(e.message).toContain('or set DOSEWISE_WASM to its path');
    expect(e.message).not.toContain('npm run build');
  });

  it('the file shipped as build/dosewise.wasm beside the bundle, or named by DOSEWISE_WASM, is found', () => {
    const app = join(tmp, 'shipped');
    mkdirSync(join(app, 'build'), { recursive: true });
    writeFileSync(join(app, 'build', 'dosewise.wasm'), '');
    expect(wasmPathFrom(app)).toBe(join(app, 'build', 'dosewise.wasm'));
    const elsewhere = join(tmp, 'engine.wasm');
    writeFileSync(elsewhere, '');
    expect(wasmPathFrom(join(tmp, 'nowhere'), elsewhere)).toBe(resolve(elsewhere));
    const e = refusal(() => wasmPathFrom(app, join(tmp, 'missing.wasm')));
    expect(e.message).toContain(`DOSEWISE_WASM is ${join(tmp, 'missing.wasm')}, and no file is there`);
  });

  it('a source checkout without a build is told to run npm run build', () => {
    const checkout = join(tmp, 'checkout');
    mkdirSync(join(checkout, 'src', 'engine'), { recursive: true });
    writeFileSync(join(checkout, 'src', 'engine', 'load.ts'), '');
    const e = refusal(() => wasmPathFrom(join(checkout, 'src', 'engine')));
    expect(e.message).toContain('in a source checkout of dosewise, run npm run build');
  });

  it('a worker pool in a bundle: the worker file is the package\'s, so dosewise stays out of the bundle or runs with workers: 0', () => {
    const dist = join(tmp, 'bundled', 'dist');
    mkdirSync(dist, { recursive: true });
    const e = refusal(() => compiledWorker(pathToFileURL(join(dist, 'server.js')).href, 'bayes'));
    expect(e.message).toContain(`dist/src/bayes/worker.js not found in ${dist} or its five nearest parent folders`);
    expect(e.message).toContain('leave dosewise out of the bundle (esbuild --external:dosewise, webpack externals) or run on this thread (workers: 0)');
    expect(e.message).not.toContain('npm run build');
  });

  it('this checkout finds its own build', () => {
    expect(wasmPath()).toMatch(/build[\\/]dosewise\.wasm$/);
  });
});
