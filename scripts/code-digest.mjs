// The identity of a dosewise build for `merge`: the SHA-256 of every file under src/ (the TypeScript
// that derives covariates, reads regimens and computes metrics) beside the engine digest (assembly/,
// asconfig.json, the AssemblyScript version). ENGINE_DIGEST alone let shards of two releases merge
// where only the TypeScript differed (auc24 mean 669.913 merged for 723.184 in one run).
// src/engine-digest.ts is left out: it is generated from what the engine digest already covers.
// Paths are sorted and written with '/', so the digest is the same on every platform.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const GENERATED = 'src/engine-digest.ts';

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** SHA-256 (hex) of the sources under `root`/src and the engine identity `engine` (digest and compiler version). */
export function codeDigest(root, engine) {
  const h = createHash('sha256');
  h.update(`engine ${engine.digest} asc ${engine.asc}\0`);
  const files = listFiles(join(root, 'src'))
    .map((f) => ({ f, rel: relative(root, f).split(sep).join('/') }))
    .filter(({ rel }) => rel !== GENERATED)
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { f, rel } of files) h.update(rel).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}
