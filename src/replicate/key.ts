// The key of replicate r from the root key of the user's seed. Subject i of replicate r then draws
// from the counter-based RNG (assembly/rng.ts) with this key and subject number i: its η, κ and ε
// depend on (seed, r, i) only, never on workers, chunks or the other replicates.
//
// Same mixing function as the engine's (SplitMix64's finaliser, Steele, Lea & Flood 2014), here in
// BigInt: it runs once per replicate.

const M64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

function mix64(x: bigint): bigint {
  let z = x & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** Root key of replicate r (1-based) of the run whose root key is `root`. */
export function replicateKey(root: readonly [number, number], r: number): [number, number] {
  const key = (BigInt(root[0] >>> 0) << 32n) | BigInt(root[1] >>> 0);
  const k = mix64(key ^ mix64((BigInt(r) * GOLDEN + 0x5851f42d4c957f2dn) & M64));
  return [Number(k >> 32n), Number(k & 0xffffffffn)];
}
