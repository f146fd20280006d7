// Time bins of a VPC. Given edges, a number of equal-count bins, or (default) the natural clusters
// of the sampling times: clinical designs sample around nominal times (0.5, 1, 2, 4, 8 h ...) with
// some scatter, so a new bin starts where the next distinct time is at least 10 % later than the one
// before (relative jumps: sampling times are roughly log-spaced), keeping at most the 12 largest
// jumps and leaving no bin with fewer than 2 % of the observations (or 5). Times without such jumps (continuous sampling) get 8 equal-count bins.

import { decimalList } from '../comma-list.js';
import { Errors } from '../errors.js';

/** Edges (ascending), a number of equal-count bins, or 'auto'. */
export type BinSpec = readonly number[] | number | 'auto';

/** A relative jump that starts a new bin of the automatic binning. */
const JUMP = 0.1;
const MAX_AUTO_BINS = 12;
const FALLBACK_BINS = 8;
/** An automatic bin holds at least this share of the observations, and at least MIN_COUNT. */
const MIN_SHARE = 0.02;
const MIN_COUNT = 5;

export interface Bins {
  /** Bin b is [edges[b], edges[b+1]), the last one closed. */
  readonly edges: readonly number[];
  /** Bin of each time (−1 outside every bin). */
  readonly of: Int32Array;
}

/** Parses --bins: "auto", a count ("8"), or comma-separated ascending edges ("0,1,2,4,8,24"). */
export function parseBins(text: string): BinSpec {
  const t = text.trim().toLowerCase();
  if (t === 'auto') return 'auto';
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 100) throw Errors.option('bins', `bins ${text}: expected a number of bins from 1 to 100`, text);
    return n;
  }
  // decimals only: Number() read an empty entry as an edge at 0 and '0x18' as 24
  const edges = decimalList(t);
  if (edges.length < 2 || edges.some((x, i) => !Number.isFinite(x) || (i > 0 && x <= (edges[i - 1] as number))))
    throw Errors.option('bins', `bins ${text}: expected auto, a number of bins, or at least two strictly ascending edges (e.g. 0,1,2,4,8,24)`, text);
  return edges;
}

/** The rule parseBins applies to text, for a spec given as a value (the API's `bins`). */
function checkBinSpec(spec: BinSpec): void {
  if (spec === 'auto') return;
  if (typeof spec === 'number') {
    if (!(Number.isInteger(spec) && spec >= 1 && spec <= 100)) throw Errors.option('bins', 'bins: expected a number of bins from 1 to 100', spec);
    return;
  }
  if (!Array.isArray(spec) || spec.length < 2 || spec.some((x, i) => typeof x !== 'number' || !Number.isFinite(x) || (i > 0 && x <= (spec[i - 1] as number))))
    throw Errors.option('bins', "bins: expected 'auto', a number of bins from 1 to 100, or at least two strictly ascending edges", spec);
}

/**
 * Cuts for k bins of about equal counts, each between two distinct times: the one whose count below
 * is nearest i·n/k. A cut at a quantile that fell on tied times (nominal times: 34, 33 and 33 levels
 * at 1, 4 and 8 h) put the ties above it and dropped a cut equal to the first time: 3 bins gave 2,
 * with 4 h and 8 h pooled.
 */
function equalCountCuts(sorted: Float64Array, distinct: readonly number[], k: number): number[] {
  const n = sorted.length;
  // observations below the midpoint after each distinct time
  const below: number[] = [];
  let c = 0;
  for (let j = 0; j < distinct.length - 1; j++) {
    while (c < n && (sorted[c] as number) <= (distinct[j] as number)) c++;
    below.push(c);
  }
  const cuts: number[] = [];
  let from = 0;
  for (let i = 1; i < k; i++) {
    const target = (i * n) / k;
    let best = -1;
    for (let j = from; j < below.length; j++) if (best < 0 || Math.abs((below[j] as number) - target) < Math.abs((below[best] as number) - target)) best = j;
    if (best < 0) break;
    cuts.push(((distinct[best] as number) + (distinct[best + 1] as number)) / 2);
    from = best + 1;
  }
  return cuts;
}

/** Bins of `times` by `spec`. */
export function makeBins(times: ArrayLike<number>, spec: BinSpec): Bins {
  // 0, −3, NaN or 'x' became one bin and 1.5 two, without a word
  checkBinSpec(spec);
  const sorted = Float64Array.from(times).sort();
  const n = sorted.length;
  let edges: number[];
  if (Array.isArray(spec)) edges = [...(spec as number[])];
  else if (n === 0) edges = [0, 1];
  else {
    const lo = sorted[0] as number;
    const hi = sorted[n - 1] as number;
    const distinct = [...new Set(sorted)];
    let cuts: number[] | undefined;
    if (spec === 'auto') {
      // candidate cuts at relative jumps ≥ JUMP, largest first; a cut that would leave a bin with
      // fewer than MIN_SHARE of the observations (at least MIN_COUNT) is skipped
      const minCount = Math.max(MIN_COUNT, Math.ceil(MIN_SHARE * n));
      const jumps = distinct
        .slice(1)
        // the jump relative to the earlier time, as "10 % later" says (relative to the later one it
        // split at 11.1 %: 1.0 and 1.105 were pooled)
        .map((t, i) => ({ cut: ((distinct[i] as number) + t) / 2, r: (t - (distinct[i] as number)) / Math.max(Math.abs(distinct[i] as number), Number.MIN_VALUE) }))
        .filter((j) => j.r >= JUMP)
        .sort((a, b) => b.r - a.r);
      const kept: number[] = [];
      const below = (c: number): number => {
        let k = 0;
        while (k < n && (sorted[k] as number) < c) k++;
        return k;
      };
      for (const j of jumps) {
        if (kept.length >= MAX_AUTO_BINS - 1) break;
        const trial = [...kept, j.cut].sort((a, b) => a - b);
        const counts = [...trial.map(below), n];
        if (counts.every((c, i) => c - (i === 0 ? 0 : (counts[i - 1] as number)) >= minCount)) kept.splice(0, kept.length, ...trial);
      }
      if (kept.length > 0) cuts = kept;
    }
    if (!cuts) cuts = equalCountCuts(sorted, distinct, spec === 'auto' ? FALLBACK_BINS : (spec as number));
    edges = [lo, ...cuts.filter((c) => c > lo && c < hi), hi];
    edges = edges.filter((e, i) => i === 0 || e > (edges[i - 1] as number));
    if (edges.length === 1) edges.push(lo);
  }
  const of = new Int32Array(times.length).fill(-1);
  const last = edges.length - 2;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (t < (edges[0] as number) || t > (edges[last + 1] as number)) continue;
    let b = 0;
    while (b < last && t >= (edges[b + 1] as number)) b++;
    of[i] = b;
  }
  return { edges, of };
}
