// The dose-banding optimizer: one band = the best fixed dose (scan); the dynamic programme = brute
// force over every cut combination on small random cases; cut candidates (step grid, quantiles);
// bad inputs give clear errors; no feasible dose gives an explicit result, not an exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doseIntervals, optimizeBanding, optimizeBandingIntervals, type BandingResult } from '../../../src/design/banding/banding.js';
import { engine } from '../../../src/engine/load.js';

/** Deterministic uniform stream (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function population(n: number, seed: number) {
  const u = rng(seed);
  const by = new Float64Array(n);
  const exposure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
    by[i] = Math.round(70 * Math.exp(0.25 * z)); // weight, kg (integer: ties)
    // exposure per mg falls with weight, with noise
    exposure[i] = (0.5 * (70 / by[i]) ** 0.75) * Math.exp(0.15 * (Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u())));
  }
  return { by, exposure };
}

/** Subjects within the target when band b's dose goes to everyone with from ≤ x < to. */
function recount(r: BandingResult, by: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>): number {
  let inn = 0;
  for (let i = 0; i < by.length; i++) {
    const x = by[i] as number;
    const b = r.bands.find((band) => (band.from === null || x >= band.from) && (band.to === null || x < band.to));
    if (!b) throw new Error(`subject ${i} (x = ${x}) is in no band`);
    if (b.dose >= (lo[i] as number) && b.dose <= (hi[i] as number)) inn++;
  }
  return inn;
}

/**
 * Brute force: every choice of K − 1 cuts among the distinct values; per choice, the best dose per
 * band (any order), or the best rising or falling assignment of doses to the bands, whichever is
 * larger (by enumerating every assignment).
 */
function bruteForce(by: number[], lo: number[], hi: number[], K: number, doses: number[], order: 'any' | 'monotone' | 'rising' | 'falling' = 'any'): number {
  const values = [...new Set(by)].sort((a, b) => a - b);
  const sorted = [...new Set(doses)].sort((a, b) => a - b);
  const G = values.length;
  const count = (g0: number, g1: number, d: number): number => {
    let c = 0;
    for (let i = 0; i < by.length; i++) {
      const g = values.indexOf(by[i] as number);
      if (g >= g0 && g < g1 && d >= (lo[i] as number) && d <= (hi[i] as number)) c++;
    }
    return c;
  };
  const assign = (cuts: number[]): number => {
    const table = cuts.slice(0, -1).map((g0, b) => sorted.map((d) => count(g0, cuts[b + 1] as number, d)));
    let best = 0;
    const rec = (b: number, prev: number, acc: number, dir: number): void => {
      if (b === table.length) {
        best = Math.max(best, acc);
        return;
      }
      for (let d = 0; d < sorted.length; d++) {
        if (b > 0 && dir > 0 && d < prev) continue;
        if (b > 0 && dir < 0 && d > prev) continue;
        rec(b + 1, d, acc + (table[b]![d] as number), dir);
      }
    };
    if (order === 'any') rec(0, 0, 0, 0);
    if (order === 'monotone' || order === 'rising') rec(0, 0, 0, 1);
    if (order === 'monotone' || order === 'falling') rec(0, 0, 0, -1);
    return best;
  };
  let best = -1;
  const rec = (cuts: number[], left: number): void => {
    const from = cuts[cuts.length - 1] as number;
    if (left === 1) {
      best = Math.max(best, assign([...cuts, G]));
      return;
    }
    for (let cut = from + 1; cut <= G - left + 1; cut++) rec([...cuts, cut], left - 1);
  };
  rec([0], K);
  return best;
}

describe('dose banding optimizer', () => {
  it('one band is the best fixed dose (scan over the doses)', () => {
    const { by, exposure } = population(5000, 1);
    const doses = [250, 500, 750, 1000, 1250, 1500, 1750, 2000];
    const window = { lo: 400, hi: 600 };
    const r = optimizeBanding({ by, exposure, window, bands: 1, doses });
    let bestDose = NaN;
    let bestIn = -1;
    for (const d of doses) {
      let c = 0;
      for (let i = 0; i < by.length; i++) {
        const auc = (exposure[i] as number) * d;
        if (auc >= window.lo && auc <= window.hi) c++;
      }
      if (c > bestIn) {
        bestIn = c;
        bestDose = d;
      }
    }
    expect(r.feasible).toBe(true);
    expect(r.bands).toHaveLength(1);
    expect(r.bands[0]!.dose).toBe(bestDose);
    expect(r.overall.in).toBe(bestIn);
    expect(r.fixed.dose).toBe(bestDose);
    expect(r.fixed.in).toBe(bestIn);
    expect(r.bands[0]!.from).toBeNull();
    expect(r.bands[0]!.to).toBeNull();
    // every fixed dose reported, with below + in + above = n
    for (const d of r.byDose) expect(d.in + d.below + d.above).toBe(5000);
  });

  it('more bands never do worse, and 4 bands beat a fixed dose when exposure depends on the banding variable', () => {
    const { by, exposure } = population(20_000, 2);
    const doses = [250, 500, 750, 1000, 1250, 1500, 1750, 2000];
    const window = { lo: 400, hi: 600 };
    const res = [1, 2, 3, 4].map((bands) => optimizeBanding({ by, exposure, window, bands, doses }));
    for (let k = 1; k < res.length; k++) expect(res[k]!.overall.in).toBeGreaterThanOrEqual(res[k - 1]!.overall.in);
    expect(res[3]!.overall.fracIn).toBeGreaterThan(res[0]!.overall.fracIn + 0.05);
    // reported bands reproduce the reported count; bands are ordered and partition the subjects
    const { doseLo, doseHi } = doseIntervals(exposure, window);
    const r4 = res[3]!;
    expect(recount(r4, by, doseLo, doseHi)).toBe(r4.overall.in);
    expect(r4.bands.reduce((s, b) => s + b.n, 0)).toBe(20_000);
    expect(r4.overall.in + r4.overall.below + r4.overall.above).toBe(20_000);
    for (let b = 1; b < r4.bands.length; b++) {
      expect(r4.bands[b]!.from).toBe(r4.bands[b - 1]!.to);
      expect(r4.bands[b]!.dose).not.toBe(r4.bands[b - 1]!.dose);
    }
    // heavier patients (lower exposure per mg) get higher doses
    for (let b = 1; b < r4.bands.length; b++) expect(r4.bands[b]!.dose).toBeGreaterThan(r4.bands[b - 1]!.dose);
    expect(r4.candidates.exhaustive).toBe(true);
  });

  it('dynamic programme = brute force over all cut combinations, for each order of the doses (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: 0, max: 12 }), a: fc.integer({ min: 0, max: 10 }), w: fc.integer({ min: -2, max: 6 }) }), { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('any', 'monotone', 'rising', 'falling'),
        (subjects, doses, K, order) => {
          const by = subjects.map((s) => s.x);
          const lo = subjects.map((s) => s.a);
          const hi = subjects.map((s) => s.a + s.w); // w < 0: no dose puts this subject in the window
          const G = new Set(by).size;
          if (K > G) {
            expect(() => optimizeBandingIntervals({ by, doseLo: lo, doseHi: hi, bands: K, doses })).toThrow(/bands: \d+ bands requested but the banding variable has only/);
            return;
          }
          const r = optimizeBandingIntervals({ by, doseLo: lo, doseHi: hi, bands: K, doses, order });
          const brute = bruteForce(by, lo, hi, K, doses, order);
          if (brute === 0) {
            expect(r.feasible).toBe(false);
            return;
          }
          expect(r.feasible).toBe(true);
          expect(r.overall.in).toBe(brute);
          expect(recount(r, by, lo, hi)).toBe(brute);
          expect(r.bands.length).toBeLessThanOrEqual(K);
          // the bands' doses in the order asked (or found)
          const rising = r.bands.every((b, i) => i === 0 || b.dose > r.bands[i - 1]!.dose);
          const falling = r.bands.every((b, i) => i === 0 || b.dose < r.bands[i - 1]!.dose);
          if (order === 'rising') expect(rising).toBe(true);
          if (order === 'falling') expect(falling).toBe(true);
          if (order === 'monotone') expect(r.order === 'rising' ? rising : falling).toBe(true);
          if (order === 'monotone' && r.order === 'falling') expect(bruteForce(by, lo, hi, K, doses, 'rising')).toBeLessThan(brute);
        },
      ),
      { numRuns: 600, seed: 20240605 },
    );
  });

  it('cut candidates: a step grid cuts at multiples of the step; quantile thinning is stated and never beats the exhaustive search', () => {
    const { by, exposure } = population(20_000, 3);
    const doses = [500, 750, 1000, 1250, 1500];
    const window = { lo: 400, hi: 600 };
    const exact = optimizeBanding({ by, exposure, window, bands: 4, doses });
    const step = optimizeBanding({ by, exposure, window, bands: 4, doses, cutStep: 5 });
    expect(step.candidates.mode).toBe('step');
    for (const b of step.bands) {
      if (b.from !== null) expect(b.from % 5).toBe(0);
    }
    expect(step.overall.in).toBeLessThanOrEqual(exact.overall.in);
    const q = optimizeBanding({ by, exposure, window, bands: 4, doses, maxCandidates: 20 });
    expect(q.candidates.mode).toBe('quantile');
    expect(q.candidates.cuts).toBeLessThanOrEqual(20);
    expect(q.candidates.exhaustive).toBe(false);
    expect(q.overall.in).toBeLessThanOrEqual(exact.overall.in);
    // with a continuous banding variable every subject is its own group
    const cont = population(3000, 4);
    const xs = Float64Array.from(cont.by, (v, i) => v + i * 1e-6);
    const rc = optimizeBanding({ by: xs, exposure: cont.exposure, window, bands: 3, doses });
    expect(rc.candidates.cuts).toBe(2999);
  });

  it('radix sort with payload = a stable comparison sort (negative, zero, tiny and huge values)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 512, maxLength: 2000 }), fc.integer({ min: 0, max: 5 }), (xs, dup) => {
        const values = Float64Array.from(xs, (v, i) => (dup && i % dup === 0 ? 1.5 : v === 0 ? 0 : v));
        const payload = Uint32Array.from(values, (_, i) => i);
        const r = { values: values.slice(), payload: payload.slice() };
        engine().sortWithPayload(r.values, r.payload);
        const idx = [...payload].sort((a, b) => values[a]! - values[b]! || a - b);
        expect([...r.payload]).toEqual(idx);
        expect([...r.values]).toEqual(idx.map((i) => values[i]));
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it('bad inputs give clear errors', () => {
    const by = [60, 70, 80];
    const exposure = [0.5, 0.45, 0.4];
    const ok = { by, exposure, window: { lo: 400, hi: 600 }, bands: 2, doses: [1000] };
    expect(() => optimizeBanding({ ...ok, bands: 0 })).toThrow('bands: expected an integer ≥ 1 (got 0)');
    expect(() => optimizeBanding({ ...ok, bands: 1.5 })).toThrow('bands: expected an integer ≥ 1 (got 1.5)');
    expect(() => optimizeBanding({ ...ok, doses: [] })).toThrow('doses: the list of available doses is empty');
    expect(() => optimizeBanding({ ...ok, doses: [500, -250] })).toThrow('doses: every dose must be a positive number (got -250)');
    expect(() => optimizeBanding({ ...ok, doses: [0] })).toThrow('doses: every dose must be a positive number (got 0)');
    expect(() => optimizeBanding({ ...ok, window: { lo: 600, hi: 400 } })).toThrow('window [600, 400] is empty (lo > hi)');
    expect(() => optimizeBanding({ ...ok, window: { lo: -1, hi: 400 } })).toThrow(/must be ≥ 0/);
    expect(() => optimizeBanding({ ...ok, bands: 4 })).toThrow('bands: 4 bands requested but the banding variable has only 3 distinct values');
    expect(() => optimizeBanding({ ...ok, exposure: [1] })).toThrow(/exposure has 1 values but the banding variable 3/);
    expect(() => optimizeBanding({ ...ok, cutStep: -5 })).toThrow(/cutStep: expected a positive number/);
    expect(() => optimizeBanding({ ...ok, by: [NaN, NaN, NaN] })).toThrow(/no subject has a finite banding value/);
  });

  it('more working memory than the engine has is refused naming bands (it was a raw RangeError)', () => {
    // 10⁶ subjects × 400 bands: 24 + 4·400 bytes each, 1.6 GB
    const n = 1_000_000;
    const by = new Float64Array(n).map((_, i) => i);
    expect(() => optimizeBandingIntervals({ by, doseLo: new Float64Array(n), doseHi: new Float64Array(n).fill(1), bands: 400, doses: [1] })).toThrow(
      /banding: 1,000,000 subjects, 400 bands and 1 doses need 1\.\d GiB of working memory, more than the engine's 1\.5 GiB/,
    );
  });

  it('no feasible dose: an explicit result, not an exception', () => {
    const by = [60, 70, 80, 90];
    const exposure = [0.5, 0.45, 0.4, 0.35];
    const r = optimizeBanding({ by, exposure, window: { lo: 400, hi: 600 }, bands: 2, doses: [100, 200] });
    expect(r.feasible).toBe(false);
    expect(r.message).toMatch(/^no feasible regimen: none of the available doses \(100–200\) puts any subject within the target \(every dose is too low/);
    expect(r.bands).toEqual([]);
    expect(r.overall.fracBelow).toBe(1);
    const high = optimizeBanding({ by, exposure, window: { lo: 400, hi: 600 }, bands: 1, doses: [5000] });
    expect(high.feasible).toBe(false);
    expect(high.message).toMatch(/too high/);
  });

  it('subjects with a non-finite banding value or exposure are excluded and counted', () => {
    const r = optimizeBanding({ by: [60, NaN, 80, 90], exposure: [0.5, 0.5, NaN, 0.4], window: { lo: 400, hi: 600 }, bands: 1, doses: [1000, 1250] });
    expect(r.excluded).toBe(2);
    expect(r.overall.n).toBe(2);
    expect(r.overall.in).toBe(2);
  });

  it('combined target: a ceiling can make a subject unreachable; below / above follow "a ceiling wins"', () => {
    // subject 2 needs ≥ 1200 for its floor but must stay ≤ 1000 for its ceiling: never in the window
    const r = optimizeBandingIntervals({ by: [1, 2, 3], doseLo: [500, 1200, 900], doseHi: [800, 1000, 1400], bands: 3, doses: [600, 1100] });
    expect(r.overall.in).toBe(2);
    const b2 = r.bands.find((b) => b.min <= 2 && b.max >= 2)!;
    expect(r.overall.below + r.overall.above).toBe(1);
    expect(b2.dose === 600 ? r.overall.below : r.overall.above).toBe(1);
  });
});
