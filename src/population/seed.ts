// User seeds (strings or numbers) → the root key of the counter-based RNG (assembly/rng.ts).

import seedrandom from 'seedrandom';
import { Errors } from '../errors.js';

/**
 * Turns a user seed (string or number) into the root key of the counter-based RNG. Anything else is
 * refused, as the command line refuses `--seed ''`: seedrandom reads String(seed), so every object
 * was the one seed "[object Object]", [] the same seed as '', and NaN or null a seed of their own.
 */
export function seedKey(seed: string | number): [number, number] {
  const s: unknown = seed;
  if (!((typeof s === 'string' && s.trim() !== '') || (typeof s === 'number' && Number.isFinite(s))))
    throw Errors.optionValue('seed', s, 'a seed must be a non-empty string or a finite number', Array.isArray(s) ? JSON.stringify(s) : typeof s === 'object' && s !== null ? safeJson(s) : undefined);
  const rng = seedrandom(String(seed));
  return [rng.int32() >>> 0, rng.int32() >>> 0];
}

function safeJson(v: object): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
