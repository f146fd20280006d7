// Sample quantiles: the one definition dosewise reports from draws or subjects (forecast bands and
// metric intervals, optimize's exposure intervals, strategy percentiles, plot ranges).
//
// Hyndman & Fan (1996) type 7, the default of R's quantile() and of numpy.quantile
// ("linear"): with the n values sorted x_0 ≤ … ≤ x_{n−1} and h = (n − 1)·p,
//   Q(p) = x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋).
// One definition everywhere, so the same draws give the same interval whichever command reports it.
// (Population summaries of millions of subjects use a DDSketch instead: src/population/summary.)

import { Errors } from '../errors.js';
import { shapeOf as shape } from '../option-keys.js';

/** Type-7 quantile at probability p ∈ [0, 1] of ascending values; NaN when there are none. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  return quantileScaled(sorted, sorted.length, p, 1);
}

/**
 * Type-7 quantile of the first n ascending values each × `scale` > 0, as quantiles() gives it for the
 * scaled values, bit for bit: rounding x·scale is monotone, so the scaled values' order statistics
 * are the scaled order statistics, and the interpolation runs on the scaled ones.
 */
export function quantileScaled(sorted: ArrayLike<number>, n: number, p: number, scale: number): number {
  if (n === 0 || !(p >= 0 && p <= 1)) return NaN;
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const v = (sorted[k] as number) * scale;
  if (k + 1 >= n) return v;
  return v + (h - k) * ((sorted[k + 1] as number) * scale - v);
}

/** A Float64Array, or an array (what quantiles() reads and writes in place). */
function isValues(v: unknown): v is Float64Array {
  return v instanceof Float64Array || Array.isArray(v);
}

/**
 * Refuses quantiles()'s arguments of another shape: called without them, with the probabilities as
 * one number or the count left out, it failed as a raw TypeError ("ps.forEach is not a function"),
 * and with n beyond the values it read undefined as values.
 */
function checkQuantileArguments(a: unknown, n: unknown, ps: unknown, out: unknown): void {
  const what = 'quantiles(a, n, ps, out)';
  if (!isValues(a)) throw Errors.optionValue('a', a, `${what}: a must be a Float64Array of the values (reordered in place)`, shape(a));
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= a.length)) throw Errors.optionValue('n', n, `${what}: n must be the number of values of a to read, an integer from 0 to a.length ${a.length}`, typeof n === 'number' ? undefined : shape(n));
  if (!Array.isArray(ps)) throw Errors.optionValue('ps', ps, `${what}: ps must be an array of probabilities from 0 to 1 (e.g. [0.05, 0.5, 0.95])`, shape(ps));
  ps.forEach((p: unknown, i) => {
    if (typeof p !== 'number') throw Errors.optionValue(`ps.${i}`, p, `${what}: a probability must be a number from 0 to 1`, shape(p));
  });
  if (!isValues(out)) throw Errors.optionValue('out', out, `${what}: out must be a Float64Array of ps.length (${ps.length}) values, which receives the quantiles`, shape(out));
  if (out.length < ps.length) throw Errors.optionValue('out', out, `${what}: out must hold ps.length (${ps.length}) values, one quantile each`, `a ${out instanceof Float64Array ? 'Float64Array' : 'array'} of ${out.length}`);
}

/**
 * Type-7 quantiles at probabilities `ps` (fastest when ascending) of a[0..n), by selection (O(n)
 * expected, no full sort); a[0..n) is reordered. Writes ps.length values to out (NaN for n = 0, and
 * all NaN when a value is NaN).
 */
export function quantiles(a: Float64Array, n: number, ps: readonly number[], out: Float64Array): void {
  checkQuantileArguments(a, n, ps, out);
  // a NaN among the values makes every quantile NaN, as numpy.quantile does: the selection reads NaN
  // comparisons as false and gave [NaN, 2.5, 2.25] for [1, NaN, 3, 2], a median above the 75th
  let nan = false;
  for (let i = 0; i < n && !nan; i++) nan = Number.isNaN(a[i] as number);
  if (n === 0 || nan) {
    out.fill(NaN, 0, ps.length);
    return;
  }
  let lo = 0;
  ps.forEach((p, q) => {
    if (!(p >= 0 && p <= 1)) {
      out[q] = NaN;
      return;
    }
    const h = (n - 1) * p;
    const k = Math.floor(h);
    // the previous selection left a[0..lo) at or below a[lo]: for ascending ps start there
    select(a, k >= lo ? lo : 0, n - 1, k);
    const v = a[k] as number;
    const next = k + 1 < n ? minOf(a, k + 1, n - 1) : v;
    out[q] = v + (h - k) * (next - v);
    lo = k;
  });
}

/** Rearranges a[lo..hi] so that a[k] is its (k − lo)-th smallest, smaller ones before, larger after (Hoare quickselect). */
export function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    // median of three as the pivot
    const mid = (lo + hi) >> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Smallest of a[lo..hi]. */
function minOf(a: Float64Array, lo: number, hi: number): number {
  let m = Infinity;
  for (let i = lo; i <= hi; i++) if ((a[i] as number) < m) m = a[i] as number;
  return m;
}
