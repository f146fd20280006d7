// The packaged model library (models/<name>.json, published population models) read by name from
// the Node entry, as the command line's `--model NAME` reads it: an app had no way to reach these
// files but copying them out of node_modules (defineModel('vancomycin_goti_2018') pointed to
// "models/vancomycin_goti_2018.json", a path that is not there in an app's folder). A browser app,
// without a file system, imports the file itself: 'dosewise/models/<name>.json' is exported.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editDistance } from '../edit-distance.js';
import { Errors } from '../errors.js';
import { findUp, moduleDir } from '../package-path.js';
import { defineModel, type Model } from './model.js';
import type { ModelFile } from './schema.js';

/** The package's models/ folder (it holds the library's README.md), or undefined (a bundled app). */
export function libraryFolder(): string | undefined {
  return findUp(moduleDir(import.meta.url), (dir) => (existsSync(join(dir, 'models', 'README.md')) ? join(dir, 'models') : undefined));
}

function requireFolder(call: string): string {
  const dir = libraryFolder();
  if (dir !== undefined) return dir;
  // a server bundled into one file runs from the bundle's folder, where the package's models/ is not
  throw Errors.engine(
    `${call}: the packaged model library (models/ of the dosewise package) was not found in ${moduleDir(import.meta.url)} or its five nearest parent folders: in a bundled app, read the model's file (node_modules/dosewise/models/NAME.json) and give it to defineModel()`,
  );
}

/** The names of the packaged library's models (the `models/` folder of the package), sorted. */
export function libraryModelNames(): string[] {
  const dir = requireFolder('libraryModelNames()');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * The model file of a packaged library model, as its JSON file holds it (source, caveat and all):
 * for `estimateCohort()`, which takes a file, or to inspect. `libraryModel(name)` defines it.
 */
export function libraryModelFile(name: string): ModelFile {
  return readLibraryFile(name, 'libraryModelFile');
}

/** The library file, refusals naming the call the user made (libraryModel('x') was told "libraryModelFile("x")"). */
function readLibraryFile(name: string, fn: string): ModelFile {
  const call = `${fn}(${typeof name === 'string' ? JSON.stringify(name) : 'name'})`;
  const names = libraryModelNames();
  if (typeof name !== 'string' || !names.includes(name)) {
    const guess = typeof name === 'string' ? names.map((n) => ({ n, d: editDistance(name, n) })).sort((a, b) => a.d - b.d)[0] : undefined;
    const near = guess !== undefined && guess.d <= Math.max(2, Math.floor(guess.n.length / 4)) ? ` (did you mean ${guess.n}?)` : '';
    throw Errors.model('(root)', `${call}: not a model of the packaged library${near}; its models are ${names.join(', ')} (a built-in structure is builtinModel(name))`, name);
  }
  return JSON.parse(readFileSync(join(requireFolder(call), `${name}.json`), 'utf8')) as ModelFile;
}

/**
 * A packaged library model by name (`libraryModel('vancomycin_goti_2018')`), defined as
 * `defineModel()` defines its file. Node only; in a browser app import
 * 'dosewise/models/NAME.json' and give it to `defineModel()`.
 */
export function libraryModel(name: string): Model {
  return defineModel(readLibraryFile(name, 'libraryModel'));
}
