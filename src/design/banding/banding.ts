// Dose banding: split subjects into K bands of a banding variable (weight, eGFR, predicted CL, …)
// and give each band one of the available doses, so that as many subjects as possible are within
// the target. Exact, not heuristic.
//
// Each subject i has a banding value x_i and, because exposure is proportional to the dose for
// linear PK, an interval of doses [a_i, b_i] that puts it within the target (for a window [lo, hi]
// on an exposure e_i per unit dose: a_i = lo/e_i, b_i = hi/e_i; several clauses intersect). Sorted
// by x, the subjects fall into G groups separated by candidate cuts (by default between every two
// distinct values of x, so the search is over all possible bandings). With P_d(j) = the number of
// subjects of groups < j for whom dose d is in [a_i, b_i], the best K-band value over groups < j is
//
//   B_1(j) = max_d P_d(j),   B_k(j) = max_d [ P_d(j) + max_{k−1 ≤ i < j} (B_{k−1}(i) − P_d(i)) ],
//
// and the inner maximum is a running maximum in j, so the whole search is O(K·(n + G·D)) time and
// O(K·G + D) memory (n subjects, D doses), exact over every cut combination. Each subject's dose
// interval becomes a contiguous range of indices into the sorted dose list, so P_d(j) advances by a
// difference array per group. Counts are integers: ties are broken deterministically (earliest cut,
// then smallest dose). Bands that end up with the same dose as their neighbour are merged.

import { Errors } from '../../errors.js';

export interface BandingOptions {
  /** Number of bands K ≥ 1 (bands that share a dose with a neighbour are merged in the result). */
  readonly bands: number;
  /** Available doses (e.g. vial strengths or multiples of a unit), positive; sorted and de-duplicated. */
  readonly doses: readonly number[];
  /**
   * Restrict candidate cuts to at most this many quantiles of the banding variable (exact over those
   * candidates). Default: every boundary between distinct values (exhaustive).
   */
  readonly maxCandidates?: number;
  /** Cut only at multiples of this step (e.g. 5 kg, 10 mL/min), for practical band limits. */
  readonly cutStep?: number;
}

export interface BandingIntervals extends BandingOptions {
  /** Banding variable per subject. Subjects with a non-finite value are excluded (counted). */
  readonly by: ArrayLike<number>;
  /** Lowest dose that puts the subject within the target (0 when none is needed). */
  readonly doseLo: ArrayLike<number>;
  /** Highest dose that keeps the subject within the target (Infinity when unbounded). */
  readonly doseHi: ArrayLike<number>;
}

export interface BandingWindow extends BandingOptions {
  readonly by: ArrayLike<number>;
  /** Exposure per unit dose per subject (linear PK: exposure = e · dose). */
  readonly exposure: ArrayLike<number>;
  /** Target window on the exposure (either bound may be infinite). */
  readonly window: { readonly lo: number; readonly hi: number };
}

export interface Fractions {
  readonly n: number;
  readonly in: number;
  readonly below: number;
  readonly above: number;
  readonly fracIn: number;
  readonly fracBelow: number;
  readonly fracAbove: number;
}

export interface Band extends Fractions {
  /** Lower cut (inclusive), null for the first band. */
  readonly from: number | null;
  /** Upper cut (exclusive), null for the last band. */
  readonly to: number | null;
  /** Smallest and largest banding value among the band's subjects. */
  readonly min: number;
  readonly max: number;
  readonly dose: number;
}

export interface DoseOutcome extends Fractions {
  readonly dose: number;
}

export interface BandingResult {
  /** False when no available dose puts any subject within the target ("no feasible regimen"). */
  readonly feasible: boolean;
  readonly message?: string;
  readonly bandsRequested: number;
  /** The optimal bands, lowest banding value first (empty when infeasible). */
  readonly bands: readonly Band[];
  /** The banded regimen over all subjects (the optimum). */
  readonly overall: Fractions;
  /** Every available dose given to everybody (the fixed-dose alternatives). */
  readonly byDose: readonly DoseOutcome[];
  /** The best single dose (= the optimum for one band). */
  readonly fixed: DoseOutcome;
  /** Subjects left out: non-finite banding value or dose interval. */
  readonly excluded: number;
  readonly candidates: {
    readonly mode: 'distinct' | 'quantile' | 'step';
    /** Candidate cut positions searched (groups − 1). */
    readonly cuts: number;
    /** Distinct banding values (exhaustive search has distinct − 1 cuts). */
    readonly distinct: number;
    readonly exhaustive: boolean;
  };
  readonly seconds: number;
}

const bad = (path: string, why: string) => Errors.option(path, why);

/** Validates and normalizes the dose list: positive, finite, sorted ascending, distinct. */
export function checkDoses(doses: readonly number[]): number[] {
  if (!Array.isArray(doses) || doses.length === 0) throw bad('doses', 'doses: the list of available doses is empty');
  for (const d of doses) {
    if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) throw bad('doses', `doses: every dose must be a positive number (got ${d})`);
  }
  return [...new Set(doses)].sort((a, b) => a - b);
}

function checkOptions(o: BandingOptions): void {
  if (!(Number.isInteger(o.bands) && o.bands >= 1)) throw bad('bands', `bands: expected an integer ≥ 1 (got ${o.bands})`);
  if (o.maxCandidates !== undefined && !(Number.isInteger(o.maxCandidates) && o.maxCandidates >= 0))
    throw bad('maxCandidates', `maxCandidates: expected an integer ≥ 0 (got ${o.maxCandidates})`);
  if (o.cutStep !== undefined && !(Number.isFinite(o.cutStep) && o.cutStep > 0)) throw bad('cutStep', `cutStep: expected a positive number (got ${o.cutStep})`);
  if (o.cutStep !== undefined && o.maxCandidates !== undefined) throw bad('cutStep', 'give cutStep or maxCandidates, not both');
}

/** Dose interval per subject for a window on exposure per unit dose: [lo/e, hi/e]. */
export function doseIntervals(exposure: ArrayLike<number>, window: { lo: number; hi: number }): { doseLo: Float64Array; doseHi: Float64Array } {
  const { lo, hi } = window;
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo === Infinity || hi === -Infinity) throw bad('window', `window [${lo}, ${hi}]: bounds must be numbers`);
  if (lo < 0 || hi < 0) throw bad('window', `window [${lo}, ${hi}]: exposure bounds must be ≥ 0`);
  if (lo > hi) throw bad('window', `window [${lo}, ${hi}] is empty (lo > hi)`);
  const n = exposure.length;
  const doseLo = new Float64Array(n);
  const doseHi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = exposure[i] as number;
    if (!(e >= 0) || e === Infinity) {
      doseLo[i] = NaN;
      doseHi[i] = NaN;
    } else if (e === 0) {
      doseLo[i] = lo > 0 ? Infinity : 0;
      doseHi[i] = Infinity;
    } else {
      doseLo[i] = lo / e;
      doseHi[i] = hi / e;
    }
  }
  return { doseLo, doseHi };
}

/** Banding for a window on exposure per unit dose (see doseIntervals). */
export function optimizeBanding(o: BandingWindow): BandingResult {
  if (o.exposure.length !== o.by.length) throw bad('exposure', `exposure has ${o.exposure.length} values but the banding variable ${o.by.length}`);
  checkOptions(o);
  checkDoses(o.doses);
  const { doseLo, doseHi } = doseIntervals(o.exposure, o.window);
  return optimizeBandingIntervals({ ...o, doseLo, doseHi });
}

function fractions(n: number, inn: number, below: number, above: number): Fractions {
  const f = (x: number) => (n > 0 ? x / n : NaN);
  return { n, in: inn, below, above, fracIn: f(inn), fracBelow: f(below), fracAbove: f(above) };
}

/** First index with a[k] ≥ v (a ascending). */
function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[k] > v (a ascending). */
function upperBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Candidate thresholds t_1 < … < t_{G−1}: subject x is in group #{t ≤ x}. Every group is
 * non-empty. `cut` is the value reported for each threshold (midpoint to the previous distinct value,
 * or the grid value itself).
 */
function candidates(sorted: Float64Array, o: BandingOptions): { thresholds: Float64Array; cut: Float64Array; mode: 'distinct' | 'quantile' | 'step'; distinct: number } {
  const n = sorted.length;
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || (sorted[i] as number) !== sorted[i - 1]) distinct++;
  const t = new Float64Array(Math.max(1, n));
  const c = new Float64Array(Math.max(1, n));
  let m = 0;
  let mode: 'distinct' | 'quantile' | 'step' = 'distinct';
  /** Previous distinct value below sorted[i] (sorted[i] is the first of its run). */
  const push = (i: number) => {
    const v = sorted[i] as number;
    if (i === 0 || v === sorted[i - 1]) return;
    if (m > 0 && (t[m - 1] as number) >= v) return;
    t[m] = v;
    c[m] = ((sorted[i - 1] as number) + v) / 2;
    m++;
  };
  if (o.cutStep !== undefined) {
    mode = 'step';
    const s = o.cutStep;
    const lo = sorted[0] as number;
    const hi = sorted[n - 1] as number;
    let lastI = 0;
    for (let k = Math.floor(lo / s) + 1; k * s <= hi; k++) {
      const v = k * s;
      const i = lowerBound(sorted, v); // first subject at or above the grid value
      if (i <= lastI || i >= n) continue; // no subject between this cut and the previous one
      t[m] = v;
      c[m] = v;
      m++;
      lastI = i;
    }
  } else if (o.maxCandidates !== undefined && distinct - 1 > o.maxCandidates) {
    mode = 'quantile';
    const C = o.maxCandidates;
    for (let q = 1; q <= C; q++) {
      let i = Math.round((q * n) / (C + 1));
      // move to the start of the run of equal values
      if (i >= n) continue;
      i = lowerBound(sorted, sorted[i] as number);
      push(i);
    }
  } else {
    for (let i = 1; i < n; i++) if ((sorted[i] as number) !== sorted[i - 1]) push(i);
  }
  return { thresholds: t.slice(0, m), cut: c.slice(0, m), mode, distinct };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Sorts values ascending (stably) together with a 32-bit payload per value: LSD radix sort on the
 * IEEE-754 bits mapped to order-preserving unsigned integers, 4 passes of 16 bits, linear time and
 * sequential reads (no index gather). Returns new arrays.
 */
export function sortWithPayload(values: Float64Array, payload: Uint32Array): { values: Float64Array; payload: Uint32Array } {
  const n = values.length;
  if (!LITTLE_ENDIAN || n < 512) {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
    return { values: Float64Array.from(idx, (i) => values[i] as number), payload: Uint32Array.from(idx, (i) => payload[i] as number) };
  }
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let pl = Uint32Array.from(payload);
  for (let k = 0; k < n; k++) {
    let h = bits[2 * k + 1] as number;
    let l = bits[2 * k] as number;
    if (h >>> 31) {
      h = ~h >>> 0; // negative: reverse the order
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0; // positive: above every negative
    hi[k] = h;
    lo[k] = l;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let pl2 = new Uint32Array(n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let k = 0; k < n; k++) {
      const d = ((src[k] as number) >>> shift) & 0xffff;
      count[d] = (count[d] as number) + 1;
    }
    if (count[((src[0] as number) >>> shift) & 0xffff] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d] as number;
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const d = ((src[k] as number) >>> shift) & 0xffff;
      const pos = count[d] as number;
      count[d] = pos + 1;
      hi2[pos] = hi[k] as number;
      lo2[pos] = lo[k] as number;
      pl2[pos] = pl[k] as number;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [pl, pl2] = [pl2, pl];
  }
  const out = new Float64Array(n);
  const ob = new Uint32Array(out.buffer);
  for (let k = 0; k < n; k++) {
    const h = hi[k] as number;
    if (h >>> 31) {
      ob[2 * k + 1] = (h & 0x7fffffff) >>> 0;
      ob[2 * k] = lo[k] as number;
    } else {
      ob[2 * k + 1] = ~h >>> 0;
      ob[2 * k] = ~(lo[k] as number) >>> 0;
    }
  }
  return { values: out, payload: pl };
}

/** The exact banding optimum for per-subject dose intervals. */
export function optimizeBandingIntervals(o: BandingIntervals): BandingResult {
  const t0 = performance.now();
  checkOptions(o);
  const doses = checkDoses(o.doses);
  const D = doses.length;
  const K = o.bands;
  const N = o.by.length;
  if (o.doseLo.length !== N || o.doseHi.length !== N) throw bad('doseLo', `dose intervals have ${o.doseLo.length}/${o.doseHi.length} values but the banding variable ${N}`);
  const s = sortedSubjects(o, doses);
  const { n, excluded } = s;
  const { byDose, fixed } = fixedDoseOutcomes(s, doses);
  const { cand, G, start } = candidateGroups(s, o);
  const candidatesSearched = (exhaustive: boolean): BandingResult['candidates'] => ({ mode: cand.mode, cuts: G - 1, distinct: cand.distinct, exhaustive });
  if (fixed.in === 0) {
    const lo = doses[0] as number;
    const hi = doses[D - 1] as number;
    const side = byDose.every((r) => r.below === n) ? ' (every dose is too low for every subject)' : byDose.every((r) => r.above === n) ? ' (every dose is too high for every subject)' : '';
    return {
      feasible: false,
      message: `no feasible regimen: none of the available doses (${D === 1 ? lo : `${lo}–${hi}`}) puts any subject within the target${side}`,
      bandsRequested: K,
      bands: [],
      overall: fractions(n, 0, fixed.below, fixed.above),
      byDose,
      fixed,
      excluded,
      candidates: candidatesSearched(cand.mode === 'distinct'),
      seconds: (performance.now() - t0) / 1000,
    };
  }
  const best = bestBands(s, start, K, D);
  const bands = bandOutcomes(s, start, mergeSameDose(best.bands), cand.cut, doses);
  const totIn = bands.reduce((sum, b) => sum + b.in, 0);
  const totBelow = bands.reduce((sum, b) => sum + b.below, 0);
  if (totIn !== best.inWindow) throw Errors.engine(`banding: internal inconsistency (${totIn} in window vs optimum ${best.inWindow})`);
  return {
    feasible: true,
    bandsRequested: K,
    bands,
    overall: fractions(n, totIn, totBelow, n - totIn - totBelow),
    byDose,
    fixed,
    excluded,
    candidates: candidatesSearched(cand.mode === 'distinct' || (cand.mode === 'quantile' && G === cand.distinct)),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The valid subjects sorted by banding value, each with its dose index range [r0, r1] (empty when r0 > r1). */
interface SortedSubjects {
  readonly n: number;
  /** Subjects left out: non-finite banding value or NaN interval bound. */
  readonly excluded: number;
  readonly x: Float64Array;
  readonly r0: Int32Array;
  readonly r1: Int32Array;
}

function sortedSubjects(o: BandingIntervals, doses: readonly number[]): SortedSubjects {
  const N = o.by.length;
  const f64 = (a: ArrayLike<number>): Float64Array => (a instanceof Float64Array ? a : Float64Array.from(a));
  const byX = f64(o.by);
  const dLo = f64(o.doseLo);
  const dHi = f64(o.doseHi);

  // valid subjects: finite x, interval bounds not NaN
  let n = 0;
  for (let i = 0; i < N; i++) if (Number.isFinite(byX[i] as number) && !Number.isNaN(dLo[i] as number) && !Number.isNaN(dHi[i] as number)) n++;
  const excluded = N - n;
  if (n === 0) throw bad('by', `banding: no subject has a finite banding value and exposure (${N} given)`);
  // each subject's dose index range [r0, r1] (first dose ≥ a, last dose ≤ b; empty when r0 > r1),
  // packed as r0 | (r1 + 1) << 16, then subjects sorted by x carrying it along (radix sort)
  if (doses.length > 65535) throw bad('doses', `doses: at most 65,535 distinct doses (got ${doses.length})`);
  const xv = new Float64Array(n);
  const packed = new Uint32Array(n);
  for (let i = 0, k = 0; i < N; i++) {
    const xi = byX[i] as number;
    const a = dLo[i] as number;
    const b = dHi[i] as number;
    if (!Number.isFinite(xi) || Number.isNaN(a) || Number.isNaN(b)) continue;
    xv[k] = xi === 0 ? 0 : xi; // −0 → +0
    packed[k] = (lowerBound(doses, a) | (upperBound(doses, b) << 16)) >>> 0;
    k++;
  }
  const sorted = sortWithPayload(xv, packed);
  const r0 = new Int32Array(n);
  const r1 = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const p = sorted.payload[k] as number;
    r0[k] = p & 0xffff;
    r1[k] = (p >>> 16) - 1;
  }
  return { n, excluded, x: sorted.values, r0, r1 };
}

/** Every available dose given to everybody (difference arrays over dose indices), and the best of them. */
function fixedDoseOutcomes({ n, r0, r1 }: SortedSubjects, doses: readonly number[]): { byDose: DoseOutcome[]; fixed: DoseOutcome } {
  const D = doses.length;
  const inByDose = new Float64Array(D + 1);
  const belowByDose = new Float64Array(D + 1);
  for (let k = 0; k < n; k++) {
    const a = r0[k] as number;
    const b = r1[k] as number;
    if (a <= b) {
      inByDose[a] = (inByDose[a] as number) + 1;
      inByDose[b + 1] = (inByDose[b + 1] as number) - 1;
    }
    // dose d is below when d < a and d ≤ b (a ceiling wins over a floor), i.e. d < min(a, b + 1)
    belowByDose[0] = (belowByDose[0] as number) + 1;
    belowByDose[Math.min(a, b + 1)] = (belowByDose[Math.min(a, b + 1)] as number) - 1;
  }
  const byDose: DoseOutcome[] = [];
  let accIn = 0;
  let accBelow = 0;
  for (let d = 0; d < D; d++) {
    accIn += inByDose[d] as number;
    accBelow += belowByDose[d] as number;
    byDose.push({ dose: doses[d] as number, ...fractions(n, accIn, accBelow, n - accIn - accBelow) });
  }
  let fixed = byDose[0] as DoseOutcome;
  for (const r of byDose) if (r.in > fixed.in) fixed = r;
  return { byDose, fixed };
}

/**
 * The G groups the candidate cuts separate: group g holds sorted subjects start[g]..start[g+1]−1
 * (x ≥ threshold g−1, x < threshold g). More bands than groups are refused.
 */
function candidateGroups({ n, x }: SortedSubjects, o: BandingIntervals): { cand: ReturnType<typeof candidates>; G: number; start: Int32Array } {
  const K = o.bands;
  const cand = candidates(x, o);
  const G = cand.thresholds.length + 1;
  if (K > G) {
    const what = cand.mode === 'distinct' ? `${cand.distinct} distinct value${cand.distinct === 1 ? '' : 's'}` : `${G} candidate groups`;
    throw bad('bands', `bands: ${K} bands requested but the banding variable has only ${what}`);
  }
  const start = new Int32Array(G + 1);
  const th = cand.thresholds;
  for (let k = 0, g = 0; k < n; k++) {
    while (g < G - 1 && (x[k] as number) >= (th[g] as number)) start[++g] = k;
  }
  start[G] = n;
  return { cand, G, start };
}

/** A band over groups g0..g1−1 with dose index d. */
interface GroupBand {
  g0: number;
  g1: number;
  d: number;
}

/** P_d(j) += the subjects of group g whose dose range holds d (P is the running count of the DP). */
function addGroup(P: Int32Array, diff: Int32Array, { r0, r1 }: SortedSubjects, start: Int32Array, g: number): void {
  const D = P.length;
  const s0 = start[g] as number;
  const e0 = start[g + 1] as number;
  if (4 * (e0 - s0) <= D) {
    // a few subjects: add their dose ranges directly
    for (let k = s0; k < e0; k++) for (let d = r0[k] as number, b = r1[k] as number; d <= b; d++) P[d] = (P[d] as number) + 1;
    return;
  }
  diff.fill(0);
  for (let k = s0; k < e0; k++) {
    const a = r0[k] as number;
    const b = r1[k] as number;
    if (a <= b) {
      diff[a] = (diff[a] as number) + 1;
      diff[b + 1] = (diff[b + 1] as number) - 1;
    }
  }
  let acc = 0;
  for (let d = 0; d < D; d++) {
    acc += diff[d] as number;
    P[d] = (P[d] as number) + acc;
  }
}

/** The dynamic programme over (band, cut) of the header, then the backtrack: K bands of groups and the subjects they put in the window. */
function bestBands(s: SortedSubjects, start: Int32Array, K: number, D: number): { bands: GroupBand[]; inWindow: number } {
  const G = start.length - 1;
  const NEG = -0x40000000;
  let prev = new Int32Array(G + 1).fill(NEG);
  let cur = new Int32Array(G + 1).fill(NEG);
  const argD = new Int32Array(K * (G + 1));
  const argI = new Int32Array(K * (G + 1));
  const P = new Int32Array(D); // P_d(j)
  const M = new Int32Array(D); // max_{i<j} B_{k−1}(i) − P_d(i)
  const Mi = new Int32Array(D);
  const diff = new Int32Array(D + 1);
  prev[0] = 0; // B_0: zero bands cover zero groups
  for (let k = 1; k <= K; k++) {
    P.fill(0);
    M.fill(NEG);
    const base = (k - 1) * (G + 1);
    cur.fill(NEG);
    for (let j = 1; j <= G; j++) {
      // admit i = j − 1 as the start of band k (B_{k−1}(j − 1) ≥ 0 when k − 1 bands fit in j − 1 groups)
      const bi = prev[j - 1] as number;
      if (bi >= 0) {
        for (let d = 0; d < D; d++) {
          const v = bi - (P[d] as number);
          if (v > (M[d] as number)) {
            M[d] = v;
            Mi[d] = j - 1;
          }
        }
      }
      addGroup(P, diff, s, start, j - 1);
      let best = -1;
      let bd = 0;
      for (let d = 0; d < D; d++) {
        const v = (P[d] as number) + (M[d] as number); // negative while M[d] is NEG
        if (v > best) {
          best = v;
          bd = d;
        }
      }
      if (best >= 0) {
        cur[j] = best;
        argD[base + j] = bd;
        argI[base + j] = Mi[bd] as number;
      }
    }
    [prev, cur] = [cur, prev];
  }
  const bands: GroupBand[] = [];
  let j = G;
  for (let k = K; k >= 1; k--) {
    const base = (k - 1) * (G + 1);
    const d = argD[base + j] as number;
    const i = argI[base + j] as number;
    bands.unshift({ g0: i, g1: j, d });
    j = i;
  }
  return { bands, inWindow: prev[G] as number };
}

/** Neighbouring bands with the same dose become one band. */
function mergeSameDose(raw: readonly GroupBand[]): GroupBand[] {
  const merged: GroupBand[] = [];
  for (const b of raw) {
    const last = merged[merged.length - 1];
    if (last && last.d === b.d) last.g1 = b.g1;
    else merged.push({ ...b });
  }
  return merged;
}

/** Each band's limits, banding-value range, dose, and its subjects below / within / above. */
function bandOutcomes({ x, r0, r1 }: SortedSubjects, start: Int32Array, merged: readonly GroupBand[], cut: Float64Array, doses: readonly number[]): Band[] {
  const G = start.length - 1;
  const B = merged.length;
  const cnt = { n: new Float64Array(B), in: new Float64Array(B), below: new Float64Array(B), min: new Float64Array(B).fill(Infinity), max: new Float64Array(B).fill(-Infinity) };
  merged.forEach((band, b) => {
    const d = band.d;
    for (let k = start[band.g0] as number, end = start[band.g1] as number; k < end; k++) {
      cnt.n[b] = (cnt.n[b] as number) + 1;
      const lo = r0[k] as number;
      const hi = r1[k] as number;
      if (d >= lo && d <= hi) cnt.in[b] = (cnt.in[b] as number) + 1;
      else if (d < lo && d <= hi) cnt.below[b] = (cnt.below[b] as number) + 1;
      const xv = x[k] as number;
      if (xv < (cnt.min[b] as number)) cnt.min[b] = xv;
      if (xv > (cnt.max[b] as number)) cnt.max[b] = xv;
    }
  });
  return merged.map((b, bi) => {
    const nb = cnt.n[bi] as number;
    const ib = cnt.in[bi] as number;
    const lb = cnt.below[bi] as number;
    return {
      from: b.g0 === 0 ? null : (cut[b.g0 - 1] as number),
      to: b.g1 === G ? null : (cut[b.g1 - 1] as number),
      min: cnt.min[bi] as number,
      max: cnt.max[bi] as number,
      dose: doses[b.d] as number,
      ...fractions(nb, ib, lb, nb - ib - lb),
    };
  });
}
