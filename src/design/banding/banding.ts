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
// difference array per group. Counts are integers: ties are broken deterministically (earliest cut;
// among doses with as many of a band's subjects in the window, the one nearest the window of the
// band's median subject, then the smallest). Bands that end up with the same dose as their neighbour are merged.
//
// The work on the subjects (ranges, sort by x, candidate cuts, groups, fixed doses, the programme,
// the bands' outcomes) runs in the engine (assembly/banding.ts): the optimizer runs once per study,
// on the main thread after the population, where JavaScript spent ~0.4 s per 10⁶ subjects warm and
// ~0.6 s on a process's first call.

import { Errors } from '../../errors.js';
import { isNumberArray, optionKeys, refuseChoice, refuseMissingOptions, refuseUnknownKeys, shapeOf } from '../../option-keys.js';
import { engine } from '../../engine/load.js';
import { BAND_FIELDS, BAND_HEAD, BandCuts, BandOrder, BandStatus } from '../../abi.js';

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
  /**
   * Order of the band doses along the banding variable: `'monotone'` (the default: rising or
   * falling, whichever puts more subjects in the window; rising on a tie), `'rising'`, `'falling'`,
   * or `'any'` (the exact optimum over any doses, which can alternate on sampling noise).
   */
  readonly order?: BandingOrder;
}

/** Order of the band doses along the banding variable (BandingOptions.order). */
export type BandingOrder = 'monotone' | 'rising' | 'falling' | 'any';

const ORDER_CODE = { any: BandOrder.Any, monotone: BandOrder.Monotone, rising: BandOrder.Rising, falling: BandOrder.Falling } as const;
const ORDER_NAME = { [BandOrder.Any]: 'any', [BandOrder.Rising]: 'rising', [BandOrder.Falling]: 'falling' } as const;

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
  /** The order of the band doses along the banding variable (`'monotone'` resolved to the direction taken). */
  readonly order: 'rising' | 'falling' | 'any';
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
  if (o.order !== undefined) refuseChoice('order', o.order, Object.keys(ORDER_CODE));
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

const BANDING_KEYS = optionKeys<BandingWindow>({ by: true, exposure: true, window: true, bands: true, doses: true, maxCandidates: true, cutStep: true, order: true });
const WINDOW_KEYS = optionKeys<BandingWindow['window']>({ lo: true, hi: true });

/**
 * Refuses optimizeBanding's options of another shape: left out, the banding variable as a column
 * name, the window as a string, or a misspelt key (cutstep, whose cuts then fell anywhere) failed
 * as raw TypeErrors ("reading 'exposure'"), as "no subject has a finite banding value", or ran
 * without a word.
 */
function checkBandingWindow(o: unknown): asserts o is BandingWindow {
  refuseMissingOptions(o, 'optimizeBanding()', 'by, exposure, window, bands, doses');
  refuseUnknownKeys(o, BANDING_KEYS, 'optimizeBanding()');
  const w = o as Partial<Record<keyof BandingWindow, unknown>>;
  for (const k of ['by', 'exposure'] as const)
    if (!isNumberArray(w[k])) throw Errors.optionValue(k, w[k], `optimizeBanding(): ${k} must be an array (or a typed array) of numbers, one per subject`, shapeOf(w[k]));
  if (w.window === undefined) throw Errors.option('window', 'optimizeBanding(): window is required: the target window { lo, hi } on the exposure');
  refuseUnknownKeys(w.window, WINDOW_KEYS, 'optimizeBanding()', 'window.');
  const { lo, hi } = w.window as Record<string, unknown>;
  if (typeof lo !== 'number' || typeof hi !== 'number') throw Errors.optionValue('window', w.window, 'optimizeBanding(): window must be { lo, hi }, both numbers (either may be infinite)', `lo ${shapeOf(lo)}, hi ${shapeOf(hi)}`);
}

/** Banding for a window on exposure per unit dose (see doseIntervals). */
export function optimizeBanding(o: BandingWindow): BandingResult {
  checkBandingWindow(o);
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

const CUT_MODE = { [BandCuts.Distinct]: 'distinct', [BandCuts.Quantile]: 'quantile', [BandCuts.Step]: 'step' } as const;

const f64 = (a: ArrayLike<number>): Float64Array => (a instanceof Float64Array ? a : Float64Array.from(a));

/**
 * The exact banding optimum for per-subject dose intervals. The work on the subjects runs in the
 * engine (assembly/banding.ts, bandOptimize): here the options, the messages and the result.
 */
export function optimizeBandingIntervals(o: BandingIntervals): BandingResult {
  const t0 = performance.now();
  checkOptions(o);
  const doses = checkDoses(o.doses);
  const D = doses.length;
  const K = o.bands;
  const N = o.by.length;
  if (o.doseLo.length !== N || o.doseHi.length !== N) throw bad('doseLo', `dose intervals have ${o.doseLo.length}/${o.doseHi.length} values but the banding variable ${N}`);
  // each subject's dose index range is packed in 16 bits per end
  if (D > 65535) throw bad('doses', `doses: at most 65,535 distinct doses (got ${D})`);
  const cuts = o.cutStep !== undefined ? BandCuts.Step : o.maxCandidates !== undefined ? BandCuts.Quantile : BandCuts.Distinct;
  const { code, out } = engine().bandOptimize(f64(o.by), f64(o.doseLo), f64(o.doseHi), Float64Array.from(doses), K, cuts, o.cutStep ?? o.maxCandidates ?? 0, ORDER_CODE[o.order ?? 'monotone']);
  const at = (i: number): number => out[i] as number;
  const n = at(0);
  const excluded = N - n;
  if (code === BandStatus.NoSubject) throw bad('by', `banding: no subject has a finite banding value and exposure (${N} given)`);
  const G = at(1);
  const distinct = at(2);
  const mode = CUT_MODE[at(3) as (typeof BandCuts)[keyof typeof BandCuts]];
  const byDose: DoseOutcome[] = doses.map((dose, d) => {
    const inn = at(BAND_HEAD + 2 * d);
    const below = at(BAND_HEAD + 2 * d + 1);
    return { dose, ...fractions(n, inn, below, n - inn - below) };
  });
  const fixed = byDose[at(6)] as DoseOutcome;
  if (code === BandStatus.TooFewGroups) {
    const what = mode === 'distinct' ? `${distinct} distinct value${distinct === 1 ? '' : 's'}` : `${G} candidate groups`;
    throw bad('bands', `bands: ${K} bands requested but the banding variable has only ${what}`);
  }
  const candidatesSearched = (exhaustive: boolean): BandingResult['candidates'] => ({ mode, cuts: G - 1, distinct, exhaustive });
  if (code === BandStatus.Infeasible) {
    const lo = doses[0] as number;
    const hi = doses[D - 1] as number;
    const side = byDose.every((r) => r.below === n) ? ' (every dose is too low for every subject)' : byDose.every((r) => r.above === n) ? ' (every dose is too high for every subject)' : '';
    return {
      feasible: false,
      order: o.order === 'any' ? 'any' : o.order === 'falling' ? 'falling' : 'rising',
      message: `no feasible regimen: none of the available doses (${D === 1 ? lo : `${lo}–${hi}`}) puts any subject within the target${side}`,
      bandsRequested: K,
      bands: [],
      overall: fractions(n, 0, fixed.below, fixed.above),
      byDose,
      fixed,
      excluded,
      candidates: candidatesSearched(mode === 'distinct'),
      seconds: (performance.now() - t0) / 1000,
    };
  }
  const bands: Band[] = [];
  for (let b = 0, B = at(5); b < B; b++) {
    const f = BAND_HEAD + 2 * D + BAND_FIELDS * b;
    const nb = at(f + 5);
    const ib = at(f + 6);
    const lb = at(f + 7);
    bands.push({
      from: Number.isNaN(at(f)) ? null : at(f),
      to: Number.isNaN(at(f + 1)) ? null : at(f + 1),
      min: at(f + 2),
      max: at(f + 3),
      dose: doses[at(f + 4)] as number,
      ...fractions(nb, ib, lb, nb - ib - lb),
    });
  }
  const totIn = bands.reduce((sum, b) => sum + b.in, 0);
  const totBelow = bands.reduce((sum, b) => sum + b.below, 0);
  if (totIn !== at(4)) throw Errors.engine(`banding: internal inconsistency (${totIn} in window vs optimum ${at(4)})`);
  return {
    feasible: true,
    order: ORDER_NAME[at(7) as keyof typeof ORDER_NAME],
    bandsRequested: K,
    bands,
    overall: fractions(n, totIn, totBelow, n - totIn - totBelow),
    byDose,
    fixed,
    excluded,
    candidates: candidatesSearched(mode === 'distinct' || (mode === 'quantile' && G === distinct)),
    seconds: (performance.now() - t0) / 1000,
  };
}
