// User seeds (strings or numbers) → the root key of the counter-based RNG (assembly/rng.ts).

import seedrandom from 'seedrandom';

/** Turns a user seed (string or number) into the root key of the counter-based RNG. */
export function seedKey(seed: string | number): [number, number] {
  const rng = seedrandom(String(seed));
  return [rng.int32() >>> 0, rng.int32() >>> 0];
}
