// Streaming population summaries (src/population/summary): moments vs a two-pass reference,
// DDSketch quantiles vs exact sorted quantiles, exact partition-merge equality, JSON round trips,
// window counts and the sketch's memory bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DDSketch, MetricSummary, mergeAll, mergeMoments, merge, momentsFromJSON, momentsOf, momentsToJSON, sketchOf,
  standardDeviation, summarize, variance, windowCounts, windowCountsFromJSON, windowCountsToJSON, mergeWindowCounts,
  windowFractions, EMPTY_MOMENTS, type Moments,
} from '../../../src/population/summary/index.js';

// ---- deterministic data ---------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normals(n: number, seed: number): Float64Array {
  const u = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

const lognormal = (n: number, seed: number, mu = 3, sigma = 1.2) => normals(n, seed).map((z) => Math.exp(mu + sigma * z));

function uniform(n: number, seed: number, lo: number, hi: number): Float64Array {
  const u = mulberry32(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * u());
}

/** Cuts [0, n) at the given (unsorted, possibly repeated) points into contiguous chunks. */
function chunks(values: Float64Array, cuts: number[]): Float64Array[] {
  const pts = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort((a, b) => a - b);
  const out: Float64Array[] = [];
  let start = 0;
  for (const p of [...pts, values.length]) {
    out.push(values.subarray(start, p));
    start = p;
  }
  return out;
}

// ---- references -----------------------------------------------------------------------------

/** Neumaier-compensated sum. */
function ksum(xs: Iterable<number>): number {
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

function twoPass(values: Float64Array): { n: number; mean: number; m2: number; min: number; max: number } {
  const fin = Array.from(values).filter(Number.isFinite);
  const n = fin.length;
  const mean = ksum(fin) / n;
  const m2 = ksum(fin.map((x) => (x - mean) * (x - mean)));
  return { n, mean, m2, min: fin.reduce((a, b) => Math.min(a, b)), max: fin.reduce((a, b) => Math.max(a, b)) };
}

function expectMomentsClose(m: Moments, values: Float64Array, rel = 1e-12): void {
  const r = twoPass(values);
  expect(m.count).toBe(r.n);
  expect(m.min).toBe(r.min);
  expect(m.max).toBe(r.max);
  // mean relative to the data's scale (|mean| can be ~0 for centred data)
  const scale = Math.max(Math.abs(r.mean), Math.sqrt(r.m2 / r.n));
  expect(Math.abs(m.mean - r.mean)).toBeLessThanOrEqual(rel * scale);
  expect(Math.abs(m.m2 - r.m2)).toBeLessThanOrEqual(rel * r.m2);
}

function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values.filter(Number.isFinite)).sort();
}

const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
/** Floating-point slack at bucket edges on top of α. */
const SLACK = 1e-12;

function expectQuantilesWithin(s: DDSketch, values: Float64Array, qs: readonly number[] = QS): void {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  expect(s.count).toBe(n);
  for (const q of qs) {
    const exact = sorted[Math.floor(q * (n - 1))];
    const est = s.quantile(q);
    const err = Math.abs(est - exact);
    if (err > (s.alpha + SLACK) * Math.abs(exact)) {
      throw new Error(`q=${q}: estimate ${est} vs exact ${exact}: relative error ${err / Math.abs(exact)} > α=${s.alpha}`);
    }
  }
  expect(s.quantile(0) === sorted[0]).toBe(true); // exact (−0 is reported as +0)
  expect(s.quantile(1) === sorted[n - 1]).toBe(true);
}

// ---- moments ----------------------------------------------------------------------------------

describe('moments', () => {
  it('match a two-pass reference on one chunk', () => {
    for (const [i, v] of [
      lognormal(100_000, 1),
      normals(100_000, 2).map((z) => 1e4 + 3 * z), // large offset, small spread
      uniform(50_000, 3, -5, 5),
    ].entries()) {
      const m = momentsOf(v);
      expectMomentsClose(m, v);
      expect(m.nonFinite, `case ${i}`).toBe(0);
      expect(variance(m)).toBeCloseTo(m.m2 / (m.count - 1), 12);
      expect(standardDeviation(m, 0)).toBe(Math.sqrt(m.m2 / m.count));
    }
  });

  it('merging any partition matches the two-pass reference (fast-check)', () => {
    // 1e-12 relative holds for condition number κ = sqrt(1 + mean²/var) up to ~100: any algorithm
    // that stores the mean as a double loses ~eps·κ in M2 (e.g. κ = 4000 gives ~1e-12).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (n, seed, ratio, scale, cuts) => {
          const v = normals(n, seed).map((z) => scale * (ratio + z));
          const merged = chunks(v, cuts).map(momentsOf).reduce(mergeMoments, EMPTY_MOMENTS);
          expectMomentsClose(merged, v);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are bit-identical for the same chunks merged in the same order, whoever computed them', () => {
    const v = lognormal(20_000, 7);
    const parts = chunks(v, [1000, 7777, 12000, 12001, 19999]);
    const inOrder = parts.map(momentsOf);
    // "workers" finishing in a different order, results shipped as JSON, then merged in chunk order
    const shipped = new Map<number, string>();
    for (const i of [3, 0, 5, 2, 4, 1]) shipped.set(i, JSON.stringify(momentsToJSON(momentsOf(parts[i]!))));
    const received = parts.map((_, i) => momentsFromJSON(JSON.parse(shipped.get(i)!)));
    const a = inOrder.reduce(mergeMoments, EMPTY_MOMENTS);
    const b = received.reduce(mergeMoments, EMPTY_MOMENTS);
    for (const k of ['count', 'mean', 'm2', 'min', 'max', 'nonFinite'] as const) expect(Object.is(a[k], b[k])).toBe(true);
  });

  it('count NaN / ±Infinity separately and exclude them', () => {
    const v = new Float64Array([1, NaN, 2, Infinity, 3, -Infinity, NaN]);
    const m = momentsOf(v);
    expect(m).toMatchObject({ count: 3, mean: 2, m2: 2, min: 1, max: 3, nonFinite: 4 });
    const e = momentsOf(new Float64Array([NaN]));
    expect(e.count).toBe(0);
    expect(e.nonFinite).toBe(1);
    expect(momentsToJSON(e)).toEqual({ count: 0, mean: 0, m2: 0, min: null, max: null, nonFinite: 1 });
    expect(momentsFromJSON(JSON.parse(JSON.stringify(momentsToJSON(e))))).toEqual(e);
    expect(mergeMoments(e, m)).toEqual({ ...m, nonFinite: 5 });
    expect(Number.isNaN(variance(momentsOf(new Float64Array([4]))))).toBe(true);
  });
});

// ---- sketch ---------------------------------------------------------------------------------

describe('DDSketch', () => {
  it('lognormal, N = 1e6: every quantile within α relative', () => {
    const v = lognormal(1_000_000, 11);
    const s = sketchOf(v);
    expect(s.alpha).toBe(0.005);
    expectQuantilesWithin(s, v);
    expect(s.collapsed).toBe(false);
  });

  it('uniform, negative and zero-containing data, N = 1e5', () => {
    const u = mulberry32(99);
    const cases: Record<string, Float64Array> = {
      uniform: uniform(100_000, 12, 0, 100),
      negative: uniform(100_000, 13, -1000, -0.001),
      mixedSign: normals(100_000, 14).map((z) => 50 * z),
      zeros: lognormal(100_000, 15).map((x) => (u() < 0.3 ? (u() < 0.5 ? 0 : -0) : x)),
      mixedWithZeros: normals(100_000, 16).map((z) => (u() < 0.2 ? 0 : z * 1e-3)),
    };
    for (const [name, v] of Object.entries(cases)) {
      const s = sketchOf(v);
      try {
        expectQuantilesWithin(s, v);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
      }
    }
    const z = sketchOf(cases.zeros!);
    expect(z.zeroCount).toBe(cases.zeros!.filter((x) => x === 0).length);
    expect(z.quantile(0.1)).toBe(0);
  });

  it('honours other α values', () => {
    const v = lognormal(100_000, 17, 0, 3);
    for (const alpha of [0.01, 0.05]) expectQuantilesWithin(sketchOf(v, { alpha }), v);
    // small α needs more buckets for the same range (4096 buckets span γ^4096 = e^0.82 at α = 1e-4)
    const fine = sketchOf(v, { alpha: 0.0005, maxBuckets: 50_000 });
    expect(fine.collapsed).toBe(false);
    expectQuantilesWithin(fine, v);
    expect(sketchOf(v, { alpha: 0.0001 }).collapsed).toBe(true);
  });

  it('merge of any partition, in any order, equals the sketch of the whole (fast-check)', () => {
    // wide-ranged, both signs, zeros: 40 decades so maxBuckets = 256 forces collapsing too
    const u = mulberry32(5);
    const v = Float64Array.from({ length: 20_000 }, () => {
      const r = u();
      const mag = 10 ** (40 * u() - 20);
      return r < 0.1 ? 0 : r < 0.4 ? -mag : mag;
    });
    for (const maxBuckets of [4096, 256]) {
      const whole = sketchOf(v, { maxBuckets }).toJSON();
      if (maxBuckets === 256) expect(whole.positive.collapsed && whole.negative.collapsed).toBe(true);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 30 }), fc.array(fc.nat()), (cuts, perm) => {
          const parts = chunks(v, cuts).map((c) => sketchOf(c, { maxBuckets }));
          // merge in a scrambled order, some parts via JSON (as shard outputs)
          const order = parts.map((_, i) => i).sort((a, b) => ((perm[a] ?? a) - (perm[b] ?? b)) || a - b);
          const acc = new DDSketch({ maxBuckets });
          for (const i of order) acc.mergeFrom(i % 2 ? DDSketch.fromJSON(JSON.parse(JSON.stringify(parts[i]))) : parts[i]!);
          expect(acc.toJSON()).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('round-trips through JSON compactly (offset + counts)', () => {
    const v = normals(50_000, 21).map((z) => (Math.abs(z) < 0.05 ? 0 : Math.exp(2 * z) * Math.sign(z)));
    const s = sketchOf(v);
    const text = JSON.stringify(s);
    const j = JSON.parse(text);
    expect(Object.keys(j.positive).sort()).toEqual(['collapsed', 'counts', 'offset']);
    expect(j.positive.counts[0]).toBeGreaterThan(0);
    expect(j.positive.counts.at(-1)).toBeGreaterThan(0);
    const back = DDSketch.fromJSON(j);
    expect(back.toJSON()).toEqual(s.toJSON());
    for (const q of QS) expect(back.quantile(q)).toBe(s.quantile(q));
    // merging continues to work after the round trip
    const extra = lognormal(1000, 22);
    expect(back.mergeFrom(sketchOf(extra)).toJSON()).toEqual(s.clone().addAll(extra).toJSON());
    const empty = new DDSketch();
    expect(DDSketch.fromJSON(JSON.parse(JSON.stringify(empty))).toJSON()).toEqual(empty.toJSON());
    expect(Number.isNaN(empty.quantile(0.5))).toBe(true);
    expect(() => DDSketch.fromJSON({ ...j, count: j.count + 1 })).toThrow(/count/);
  });

  it('refuses to merge sketches with different α or cap', () => {
    expect(() => new DDSketch({ alpha: 0.01 }).mergeFrom(new DDSketch())).toThrow(/alpha/);
    expect(() => new DDSketch({ maxBuckets: 10 }).mergeFrom(new DDSketch())).toThrow(/maxBuckets/);
    expect(() => new DDSketch({ alpha: 0 })).toThrow();
    expect(() => new DDSketch().quantile(1.5)).toThrow();
  });

  it('memory stays bounded for extreme ranges (collapsing lowest buckets)', () => {
    const u = mulberry32(31);
    const cap = 4096;
    // 1e-300 … 1e300 in magnitude, both signs: ~138 000 distinct keys per sign without a cap
    const v = Float64Array.from({ length: 300_000 }, () => (u() < 0.5 ? -1 : 1) * 10 ** (600 * u() - 300));
    const s = new DDSketch();
    for (let i = 0; i < v.length; i += 10_000) {
      s.addAll(v.subarray(i, i + 10_000));
      const b = s.bucketCounts();
      const c = s.capacities();
      expect(b.positive).toBeLessThanOrEqual(cap);
      expect(b.negative).toBeLessThanOrEqual(cap);
      expect(c.positive).toBeLessThanOrEqual(2 * cap);
      expect(c.negative).toBeLessThanOrEqual(2 * cap);
    }
    expect(s.collapsed).toBe(true);
    expect(s.bucketCounts().positive).toBe(cap);
    expect(s.toJSON().positive.counts.length).toBeLessThanOrEqual(cap);
    // the top quantiles (above the collapsed mass) keep the α guarantee; min/max stay exact
    expectQuantilesWithin(s, v, [0.99, 0.995, 0.999, 1]);
    expect(s.quantile(0)).toBe(v.reduce((a, b) => Math.min(a, b)));
    // monotone increasing stream: the window slides, memory still bounded
    const t = new DDSketch({ maxBuckets: 100 });
    for (let i = 0; i < 20_000; i++) t.add(1.02 ** i);
    expect(t.bucketCounts().positive).toBeLessThanOrEqual(100);
    expect(t.capacities().positive).toBeLessThanOrEqual(200);
    expect(t.count).toBe(20_000);
  });
});

// ---- window ----------------------------------------------------------------------------------

describe('window counts', () => {
  it('are exact, with inclusive bounds, and merge exactly', () => {
    const v = new Float64Array([1, 2, 2, 3, 4, 5, 5, 6, NaN, Infinity]);
    const w = windowCounts(v, { lo: 2, hi: 5 });
    expect(w).toEqual({ lo: 2, hi: 5, below: 1, within: 6, above: 1 });
    expect(windowFractions(w)).toEqual({ fracBelow: 1 / 8, fracIn: 6 / 8, fracAbove: 1 / 8 });
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -100, max: 100 }), { maxLength: 200 }),
        fc.double({ noNaN: true, min: -100, max: 100 }),
        fc.double({ noNaN: true, min: 0, max: 100 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (xs, lo, width, cuts) => {
          const arr = Float64Array.from(xs);
          const win = { lo, hi: lo + width };
          const merged = chunks(arr, cuts).map((c) => windowCounts(c, win)).reduce(mergeWindowCounts);
          expect(merged.below).toBe(xs.filter((x) => x < win.lo).length);
          expect(merged.within).toBe(xs.filter((x) => x >= win.lo && x <= win.hi).length);
          expect(merged.above).toBe(xs.filter((x) => x > win.hi).length);
        },
      ),
    );
    const open = windowCounts(v, { lo: -Infinity, hi: 3 });
    expect(windowCountsFromJSON(JSON.parse(JSON.stringify(windowCountsToJSON(open))))).toEqual(open);
    expect(() => mergeWindowCounts(w, open)).toThrow(/different windows/);
    expect(() => windowCounts(v, { lo: 3, hi: 2 })).toThrow();
  });
});

// ---- MetricSummary ---------------------------------------------------------------------------

describe('MetricSummary', () => {
  const auc = lognormal(100_000, 41, 6, 0.5); // median ≈ 400
  const win = { lo: 300, hi: 600 };

  it('summarize + report', () => {
    const r = summarize(auc, win).report();
    const sorted = sortedCopy(auc);
    const ref = twoPass(auc);
    expect(r.n).toBe(auc.length);
    expect(r.nonFinite).toBe(0);
    expect(r.mean).toBeCloseTo(ref.mean, 8);
    expect(r.sd).toBeCloseTo(Math.sqrt(ref.m2 / (ref.n - 1)), 8);
    expect(r.min).toBe(sorted[0]);
    expect(r.max).toBe(sorted[sorted.length - 1]);
    for (const [k, q] of [['p05', 0.05], ['p25', 0.25], ['p50', 0.5], ['p75', 0.75], ['p95', 0.95]] as const) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(r[k] - exact)).toBeLessThanOrEqual((0.005 + SLACK) * exact);
    }
    expect(r.fracBelow).toBe(auc.filter((x) => x < 300).length / auc.length);
    expect(r.fracIn).toBe(auc.filter((x) => x >= 300 && x <= 600).length / auc.length);
    expect(r.fracAbove).toBe(auc.filter((x) => x > 600).length / auc.length);
    expect(r.quantileRelativeError).toBe(0.005);
    expect(r.quantilesCollapsed).toBe(false);
    const noWin = summarize(auc).report();
    expect(noWin.fracIn).toBeNull();
  });

  it('chunked merge (via versioned JSON) matches the whole; moments deterministic in chunk order', () => {
    const parts = chunks(auc, [10_000, 55_555, 70_000, 99_999]);
    const shipped = parts.map((c) => JSON.parse(JSON.stringify(summarize(c, win))));
    expect(shipped[0].version).toBe(1);
    const merged = shipped.map(MetricSummary.fromJSON).reduce(merge);
    const folded = mergeAll(parts.map((c) => summarize(c, win)));
    const whole = summarize(auc, win);
    // sketch and window: exactly the whole's; moments: bit-identical for the same chunk order
    expect(merged.toJSON().sketch).toEqual(whole.toJSON().sketch);
    expect(merged.window).toEqual(whole.window);
    expect(folded.toJSON()).toEqual(merged.toJSON());
    expectMomentsClose(merged.moments, auc);
    // JSON round trip of the merged summary
    expect(MetricSummary.fromJSON(JSON.parse(JSON.stringify(merged))).toJSON()).toEqual(merged.toJSON());
    expect(merge(MetricSummary.empty(win), whole).toJSON()).toEqual(whole.toJSON());
  });

  it('rejects bad versions and incompatible merges', () => {
    const j = summarize(auc.subarray(0, 100), win).toJSON();
    expect(() => MetricSummary.fromJSON({ ...j, version: 2 })).toThrow(/version/);
    expect(() => merge(summarize(auc.subarray(0, 10), win), summarize(auc.subarray(0, 10)))).toThrow(/window/);
    expect(() => merge(summarize(auc.subarray(0, 10), win), summarize(auc.subarray(0, 10), { lo: 0, hi: 1 }))).toThrow(/window/);
    expect(() => merge(summarize(auc.subarray(0, 10)), summarize(auc.subarray(0, 10), undefined, { alpha: 0.01 }))).toThrow(/alpha/);
  });

  it('empty and all-NaN summaries report NaN', () => {
    const r = summarize(new Float64Array([NaN, NaN]), win).report();
    expect(r.n).toBe(0);
    expect(r.nonFinite).toBe(2);
    for (const k of ['mean', 'sd', 'min', 'p50', 'max', 'fracIn'] as const) expect(Number.isNaN(r[k])).toBe(true);
  });
});
