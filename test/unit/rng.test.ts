// The WASM counter-based RNG: accuracy of the normal quantile against scipy, independence from
// chunking, and the moments of what it produces.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engine } from '../../src/engine/load.js';

const ref = JSON.parse(readFileSync(new URL('../oracle/normal-quantile.json', import.meta.url), 'utf8')) as {
  cases: { p: number; z: number }[];
};

describe('rng', () => {
  it('normal quantile (AS241) matches scipy.special.ndtri to 1e-14 relative', () => {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL('../../build/dosewise.wasm', import.meta.url))), {
      env: { abort: () => undefined, seed: () => 0 },
    });
    const nq = inst.exports.normalQuantile as (p: number) => number;
    for (const { p, z } of ref.cases) expect(Math.abs(nq(p) - z)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(z)));
  });

  it('a subject\'s variates do not depend on the chunk it is drawn in', () => {
    const key = [0x12345678, 0x9abcdef0] as const;
    const all = engine().random(key, 0, 1000, 3, 5, true);
    const a = engine().random(key, 0, 370, 3, 5, true);
    const b = engine().random(key, 370, 630, 3, 5, true);
    expect([...a, ...b]).toEqual([...all]);
    const other = engine().random([1, 2], 0, 1000, 3, 5, true);
    expect(other[0]).not.toBe(all[0]);
    const otherDomain = engine().random(key, 0, 1000, 4, 5, true);
    expect(otherDomain[0]).not.toBe(all[0]);
  });

  it('normals have mean 0, variance 1 and no correlation between slots; uniforms cover (0,1)', () => {
    const n = 200_000;
    const z = engine().random([7, 11], 0, n, 1, 2, true);
    let m0 = 0, m1 = 0, v0 = 0, c = 0;
    for (let i = 0; i < n; i++) {
      m0 += z[2 * i];
      m1 += z[2 * i + 1];
    }
    m0 /= n;
    m1 /= n;
    for (let i = 0; i < n; i++) {
      v0 += (z[2 * i] - m0) ** 2;
      c += (z[2 * i] - m0) * (z[2 * i + 1] - m1);
    }
    v0 /= n - 1;
    c /= n - 1;
    // 5 standard errors: SE(mean) = 1/√n, SE(var) ≈ √(2/n), SE(cov) ≈ 1/√n
    expect(Math.abs(m0)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v0 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(c)).toBeLessThan(5 / Math.sqrt(n));
    const u = engine().random([7, 11], 0, n, 2, 1, false);
    let lo = 1, hi = 0, below = 0;
    for (const x of u) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      if (x < 0.25) below++;
    }
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(below / n - 0.25)).toBeLessThan(5 * Math.sqrt(0.25 * 0.75 / n));
  });
});
