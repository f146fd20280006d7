// Streaming, mergeable moments of one metric: count, mean, M2 (sum of squared deviations), min, max.
//
// A chunk is folded with Welford's update; two summaries are combined with the pairwise formula of
// Chan, Golub & LeVeque (1979). Every function is pure IEEE-754 arithmetic with a fixed evaluation
// order, so the same chunks merged in the same order give bit-identical results whichever worker
// computed each chunk (and after a JSON round trip: JSON numbers round-trip doubles exactly).
// Non-finite values (NaN, ±Infinity) are counted in `nonFinite` and otherwise ignored. Finite values
// of any magnitude are taken: M2 beyond the double range (values above 1.3e154) is +Infinity, null
// in JSON (the population's SD comes from exact sums, aggregate.ts, not from M2).

import { DosewiseError } from '../../errors.js';

export interface Moments {
  /** Number of finite values. */
  readonly count: number;
  readonly mean: number;
  /** Σ (x − mean)² over the finite values (+Infinity beyond the double range). */
  readonly m2: number;
  /** Smallest finite value (+Infinity when count = 0); a zero is stored as +0. */
  readonly min: number;
  /** Largest finite value (−Infinity when count = 0); a zero is stored as +0. */
  readonly max: number;
  /** Number of NaN / ±Infinity values seen (excluded from everything else). */
  readonly nonFinite: number;
}

export const EMPTY_MOMENTS: Moments = Object.freeze({
  count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, nonFinite: 0,
});

/**
 * Welford's update of `start` (default: empty) by every value of `values`, in index order.
 * Returns a new object; `start` is not modified.
 */
export function welford(values: ArrayLike<number>, start: Moments = EMPTY_MOMENTS): Moments {
  let { count, mean, m2, min, max, nonFinite } = start;
  const len = values.length;
  for (let i = 0; i < len; i++) {
    const x = values[i] as number;
    if (x - x !== 0) { // NaN or ±Infinity
      nonFinite++;
      continue;
    }
    count++;
    const d = x - mean;
    if (d - d !== 0) {
      // x − mean beyond the double range (values of both signs near ±1.8e308): the mean by parts
      mean = mean - mean / count + x / count;
      m2 = Infinity;
    } else {
      mean += d / count;
      m2 += d * (x - mean);
    }
    const v = x === 0 ? 0 : x; // −0 → +0, so JSON round trips are exact
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count, mean, m2, min, max, nonFinite };
}

/** Moments of one chunk (Welford from empty). */
export function momentsOf(values: ArrayLike<number>): Moments {
  return welford(values, EMPTY_MOMENTS);
}

/**
 * Chan et al. pairwise merge: the moments of the concatenation a ++ b. Not commutative at the bit
 * level (a is the "left" chunk); merge in chunk order for reproducible results.
 */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const nonFinite = a.nonFinite + b.nonFinite;
  if (b.count === 0) return { count: a.count, mean: a.mean, m2: a.m2, min: a.min, max: a.max, nonFinite };
  if (a.count === 0) return { count: b.count, mean: b.mean, m2: b.m2, min: b.min, max: b.max, nonFinite };
  const count = a.count + b.count;
  const d = b.mean - a.mean;
  // a difference beyond the double range (means of both signs near ±1.8e308): a weighted mean
  const mean = d - d === 0 ? a.mean + d * (b.count / count) : a.mean * (a.count / count) + b.mean * (b.count / count);
  const m2 = a.m2 + b.m2 + d * d * ((a.count * b.count) / count);
  return {
    count,
    mean,
    m2,
    min: a.min <= b.min ? a.min : b.min,
    max: a.max >= b.max ? a.max : b.max,
    nonFinite,
  };
}

/** Variance with `ddof` delta degrees of freedom (1 = sample variance, the default); NaN when count ≤ ddof. */
export function variance(m: Moments, ddof = 1): number {
  return m.count > ddof ? m.m2 / (m.count - ddof) : NaN;
}

/** Standard deviation, sqrt(variance(m, ddof)). */
export function standardDeviation(m: Moments, ddof = 1): number {
  return Math.sqrt(variance(m, ddof));
}

/** JSON form: min/max are null when empty, m2 is null when beyond the double range (JSON has no Infinity). */
export interface MomentsJSON {
  count: number;
  mean: number;
  m2: number | null;
  min: number | null;
  max: number | null;
  nonFinite: number;
}

export function momentsToJSON(m: Moments): MomentsJSON {
  return {
    count: m.count,
    mean: m.mean,
    m2: Number.isFinite(m.m2) ? m.m2 : null,
    min: m.count === 0 ? null : m.min,
    max: m.count === 0 ? null : m.max,
    nonFinite: m.nonFinite,
  };
}

function bad(path: string, value: unknown, why: string): DosewiseError {
  return new DosewiseError('E_PARAMETER', `${path}: ${why}`, { path, value });
}

function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(path, v, 'expected a non-negative integer');
  return v;
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(path, v, 'expected a finite number');
  return v;
}

export function momentsFromJSON(j: unknown, path = 'moments'): Moments {
  if (typeof j !== 'object' || j === null) throw bad(path, j, 'expected an object');
  const o = j as Record<string, unknown>;
  const n = count(o.count, `${path}.count`);
  const nonFinite = count(o.nonFinite, `${path}.nonFinite`);
  const mean = finite(o.mean, `${path}.mean`);
  const m2 = o.m2 === null ? Infinity : finite(o.m2, `${path}.m2`);
  if (m2 < 0) throw bad(`${path}.m2`, m2, 'must be ≥ 0');
  if (n === 0) {
    if (o.min !== null || o.max !== null) throw bad(path, j, 'min and max must be null when count = 0');
    return { ...EMPTY_MOMENTS, nonFinite };
  }
  const min = finite(o.min, `${path}.min`);
  const max = finite(o.max, `${path}.max`);
  if (!(min <= max)) throw bad(path, j, 'min must be ≤ max');
  return { count: n, mean, m2, min, max, nonFinite };
}
