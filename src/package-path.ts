// Files of the dosewise package found from a module (Node only): the same code runs from src/ under
// vitest and from dist/src/ when built, so paths are found by walking up the folders.

import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Errors } from './errors.js';

/** The folder of a module, from its `import.meta.url`. */
export function moduleDir(url: string): string {
  return dirname(fileURLToPath(url));
}

/** The first path `find` returns for `dir` or one of its five nearest ancestors, nearest first. */
export function findUp(dir: string, find: (dir: string) => string | undefined): string | undefined {
  for (let i = 0; i < 6; i++) {
    const p = find(dir);
    if (p !== undefined) return p;
    dir = dirname(dir);
  }
  return undefined;
}

/** `rel` below the first of `dir` and its ancestors where it exists. */
export function findUpFile(dir: string, rel: string): string | undefined {
  return findUp(dir, (d) => {
    const p = join(d, rel);
    return existsSync(p) ? p : undefined;
  });
}

/**
 * The worker entry of `folder`, found from a module (its `import.meta.url`) in src or dist: the
 * bundled dist/cli/<folder>-worker.js (a worker starts by reading a few files instead of ~150, see
 * vite.cli.config.ts), else the compiled dist/src/<folder>/worker.js.
 */
export function compiledWorker(url: string, folder: string): URL {
  const bundledName = `${folder}-worker.js`;
  const bundled = findUp(moduleDir(url), (dir) => {
    if (existsSync(join(dir, 'dist', 'cli', bundledName))) return join(dir, 'dist', 'cli', bundledName);
    return dir.endsWith(join('dist', 'cli')) && existsSync(join(dir, bundledName)) ? join(dir, bundledName) : undefined;
  });
  const p = findUp(moduleDir(url), (dir) => {
    const p = join(dir, 'dist', 'src', folder, 'worker.js');
    if (existsSync(p)) return p;
    if (dir.endsWith(join('dist', 'src', folder)) && existsSync(join(dir, 'worker.js'))) return join(dir, 'worker.js');
    return undefined;
  });
  // a bundle older than the compiled sources (tsc run alone since the last npm run build) is stale
  if (bundled !== undefined && (p === undefined || statSync(bundled).mtimeMs >= statSync(p).mtimeMs)) return pathToFileURL(bundled); // a # or % in the install path is a fragment or an escape in a URL built by hand
  if (p === undefined) throw notFound(`dist/src/${folder}/worker.js`, moduleDir(url));
  return pathToFileURL(p);
}

/**
 * The CommonJS file every Node worker starts from (dist/src/pool/esm-entry.cjs, see esm-entry.cts):
 * it imports the ES worker module, which Piscina would otherwise require().
 */
export function workerEntry(): string {
  const p = findUpFile(moduleDir(import.meta.url), join('dist', 'src', 'pool', 'esm-entry.cjs'));
  if (p === undefined) throw notFound('dist/src/pool/esm-entry.cjs', moduleDir(import.meta.url));
  return p;
}

/**
 * A worker file missing: in a source checkout, not built yet; in an app bundled into one file
 * (esbuild, webpack), left behind in the package, which "run npm run build" did not tell its user.
 */
function notFound(file: string, dir: string): Error {
  const looked = `${file} not found in ${dir} or its five nearest parent folders`;
  if (findUpFile(dir, join('src', 'engine', 'load.ts')) !== undefined) return Errors.engine(`${looked}; in a source checkout of dosewise, run npm run build`);
  return Errors.engine(
    `${looked} (a bundled app runs dosewise from the bundle's folder): worker threads run the package's own files, so leave dosewise out of the bundle (esbuild --external:dosewise, webpack externals) or run on this thread (workers: 0)`,
  );
}
