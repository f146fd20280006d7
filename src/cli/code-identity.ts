// The dosewise build a population summary comes from (inputs.version, inputs.code), for merge to
// refuse shards of two builds: covariate derivation, regimen reading and metrics run in TypeScript,
// which the engine digest does not cover. scripts/code-digest.mjs computes the digest at build time
// (npm run build): the package ships without src/, so it cannot be computed at run time.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { findUpFile, moduleDir } from '../package-path.js';

export interface CodeIdentity {
  /** The package version (package.json). */
  readonly version: string;
  /** SHA-256 of src/ and the engine's sources, as built. */
  readonly digest: string;
}

let cached: CodeIdentity | undefined;

export function codeIdentity(): CodeIdentity {
  if (cached) return cached;
  const file = findUpFile(moduleDir(import.meta.url), join('build', 'code-digest.json'));
  if (file === undefined) throw Errors.engine('build/code-digest.json not found; run npm run build');
  const j = JSON.parse(readFileSync(file, 'utf8')) as Partial<CodeIdentity>;
  if (typeof j.version !== 'string' || typeof j.digest !== 'string' || !/^[0-9a-f]{64}$/.test(j.digest)) throw Errors.engine(`${file}: not a code digest; run npm run build`);
  cached = { version: j.version, digest: j.digest };
  return cached;
}

/** The build's identity where it was built, else undefined: a run that writes no summary does not need it. */
export function codeIdentityIfBuilt(): CodeIdentity | undefined {
  try {
    return codeIdentity();
  } catch {
    return undefined;
  }
}
