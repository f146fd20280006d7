// The browser entry bundles without Node: an app importing `dosewise/browser` (the built package,
// resolved by name through node_modules as an app resolves it) is built with Vite, and no module of
// its graph, page or worker, imports a Node built-in or a Node-only package (fs, path, os,
// worker_threads, piscina, …). A dependency's own optional Node path counts only when that package
// does not map it away for browsers itself (seedrandom's `"browser": { "crypto": false }`). The
// bundle carries the WASM engine and the worker as files of their own.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-browser-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NODE_ONLY = new Set(['piscina', 'assemblyscript', 'assemblyscript/asc', 'binaryen']);
const isBuiltin = (s: string): boolean => s.startsWith('node:') || builtinModules.includes(s.split('/')[0] as string);

/** The nearest package.json's `browser` map of a file, if any. */
function browserMap(file: string): Record<string, unknown> {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const b = (JSON.parse(readFileSync(p, 'utf8')) as { browser?: unknown }).browser;
      return typeof b === 'object' && b !== null ? (b as Record<string, unknown>) : {};
    }
  }
  return {};
}

/** Records every Node import of the graph that its package does not map away for browsers. */
function nodeImports(found: string[]): Plugin {
  return {
    name: 'dosewise-test:node-imports',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !(isBuiltin(source) || NODE_ONLY.has(source))) return null;
      if (browserMap(importer)[source] === false) return null;
      found.push(`${source} imported by ${importer.replace(ROOT, '<dosewise>')}`);
      return null;
    },
  };
}

describe.skipIf(!existsSync(join(ROOT, 'dist/src/browser/index.js')))('dosewise/browser in an app bundle', () => {
  it('imports no Node built-in, in the page or in its worker, and ships the engine and the worker', async () => {
    const app = join(tmp, 'app');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(app, 'node_modules', 'dosewise'), 'dir');
    writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
    // every runtime export, so that nothing is shaken out of the check
    writeFileSync(join(app, 'main.js'), "import * as dosewise from 'dosewise/browser';\nglobalThis.dosewise = dosewise;\n");
    const found: string[] = [];
    await build({
      root: app,
      configFile: false,
      logLevel: 'silent',
      plugins: [nodeImports(found)],
      worker: { format: 'es', plugins: () => [nodeImports(found)] },
      build: { outDir: join(app, 'dist'), emptyOutDir: true, minify: false },
    });
    expect(found).toEqual([]);
    const assets = readdirSync(join(app, 'dist', 'assets'));
    const bytes = (re: RegExp): number => assets.filter((f) => re.test(f)).reduce((s, f) => s + statSync(join(app, 'dist', 'assets', f)).size, 0);
    expect(assets.filter((f) => f.endsWith('.wasm'))).toHaveLength(1);
    expect(assets.some((f) => /^worker-.*\.js$/.test(f))).toBe(true);
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(app, 'dist', 'assets', f), 'utf8')).join('\n');
    // the Node engine loader was replaced by the browser one everywhere
    expect(js).not.toMatch(/build\/dosewise\.wasm not found|function wasmPath/);
    console.info(`dosewise/browser, every export, unminified: ${(bytes(/\.js$/) / 1024).toFixed(0)} KiB JS (page + worker), ${(bytes(/\.wasm$/) / 1024).toFixed(0)} KiB WASM`);
  }, 60_000);
});
