// Where the dosewise package is installed, for the command's --version and its help: the help's
// examples name files the package ships (examples/, models/), which an app that installed it has
// under node_modules/dosewise, not in the folder it runs `npx dosewise` from.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUp, moduleDir } from '../package-path.js';

export interface PackageFolder {
  /** The folder of the package's package.json. */
  readonly root: string;
  readonly version: string;
}

let found: PackageFolder | undefined;

function readPackage(dir: string): { name?: unknown; version?: unknown } | undefined {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }) : undefined;
}

/** The package, found from this module in src/cli, dist/src/cli or the bundled dist/cli. */
export function packageFolder(): PackageFolder {
  if (found) return found;
  const root = findUp(moduleDir(import.meta.url), (dir) => (readPackage(dir)?.name === 'dosewise' ? dir : undefined));
  const version = root === undefined ? undefined : readPackage(root)?.version;
  found = { root: root ?? '(the dosewise package folder: not found)', version: typeof version === 'string' ? version : 'unknown' };
  return found;
}

/** The help's last words: where the files its examples name are. */
export function exampleFilesNote(): string {
  const { root } = packageFolder();
  return `examples/… and models/… are files of the dosewise package, in ${root}
(from another folder, give their full path: --model ${join(root, 'examples', 'map-wmap.model.json')}).
`;
}
