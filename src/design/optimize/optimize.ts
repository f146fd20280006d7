// Regimen optimization for one patient: search dose × interval × infusion time (× loading dose),
// rank candidates by the probability of target attainment under parameter uncertainty (posterior
// draws of a MAP estimate, or prior draws from covariates alone), then by the distance of the
// median exposure to the window centre.
//
// Method: each candidate is evaluated at steady state (SS = 1 dose, then enough doses to cover 24 h)
// on a fine grid, for every draw, with exposure metrics computed in WASM. For linear PK and targets
// proportional to the dose (AUC, trough, Css,avg, peak/MIC), one simulation per interval × infusion
// time at unit dose serves every dose by scaling (superposition): 20 doses × 4 intervals × 3
// infusion times cost 12 batch simulations, not 240. Other models or targets (time above MIC,
// occupancy) simulate each candidate.
//
// Loading doses (loadingDoses with a dose > 0): a loading dose at 0, the maintenance doses from τ
// on. A loading dose only shortens the way to the maintenance dose's own exposure, so a draw
// attains the target with a candidate when both hold:
// - in the window: the target holds in every whole dosing interval [kτ, (k+1)τ] inside `window`
//   (its start too: 1000–1512 h with q504h judges 1008–1512 alone), and the window holds at least
//   one maintenance interval after the loading dose, else it is refused, naming the interval;
// - at steady state: the maintenance dose alone, as a regimen without loading is judged.
// Judged only up to the window's end, 200 nmol then 10 nmol q504h of a TMDD antibody ranked first
// at 100 % for an occupancy ≥ 0.9 (0.958 at 1512 h, still carried by the loading dose) although
// 10 nmol q504h gives 8e-7 at steady state (40.08 is needed); and `window` 0:504 held no
// maintenance dose at all, so every maintenance dose tied. The default window, [0, max(48, 2τ)],
// holds the loading interval and at least one maintenance interval for every τ (the former fixed
// 0–48 h was refused for q504h by an internal metric, "cmax", the user never asked for).

import { Errors } from '../../errors.js';
import type { Model } from '../../model/model.js';
import { doseProportional } from '../../model/dose-proportional.js';
import { parametersFreeOfTime, timeReadBy } from '../../model/time-free.js';
import { recordFromItems } from '../../regimen/nmtran.js';
import { durationItems, STANDARD_COLUMNS, type DataRecord } from '../../regimen/record.js';
import { metricArrays } from '../../population/metrics.js';
import { arrivalSampling, metricGrid, modelDiscontinuities, refuseFactorsOnEffect, searchLateSamples } from '../../population/metric-grid.js';
import { checkEstimateOptions, estimate, OBJECTIVE_KEYS, refuseMissingBlqColumns, type Estimate } from '../../bayes/estimate.js';
import { checkLevel } from '../../bayes/forecast.js';
import { checkOverrides } from '../../engine/simulate.js';
import { optionKeys, pickKeys, refuseUnknownKeys } from '../../option-keys.js';
import { checkModel } from '../../model/check-model.js';
import { carriedOccasionWarning, type EstimateWarning } from '../../bayes/warnings.js';
import { POSTERIOR_KEYS, checkDraws, posteriorSample, type PosteriorSample } from '../../bayes/posterior.js';
import { mapObjective, type ObjectiveOptions } from '../../bayes/objective.js';
import { compileTarget, parseTarget, targetText, type CompiledClause, type CompiledTarget, type TargetSpec } from '../targets/targets.js';
import type { MetricDef } from '../../population/metrics.js';
import { quantileScaled, quantiles } from '../../stats/quantile.js';
import { wilson } from '../pta/attainment.js';
import { LOW_PTA_FLOOR } from './low-pta.js';

/** What ranking regimens by the posterior needs, whether from time zero or from the patient's current state (advice.ts). */
export interface RankingOptions extends ObjectiveOptions {
  /** Candidate infusion durations (h); 0 = bolus / oral (default [0]). */
  readonly infusions?: readonly number[];
  /** Dose compartment (1-based; default 1). */
  readonly cmt?: number;
  readonly target: TargetSpec | string;
  /** Posterior (or prior) draws (default 1000). */
  readonly draws?: number;
  readonly seed?: string | number;
  /** How many ranked candidates to return (default 5). */
  readonly top?: number;
  /** Central interval of reported exposures (default 0.9). */
  readonly level?: number;
  /**
   * With levels: draws by sampling-importance-resampling from the exact posterior (true, the
   * default) or from its Laplace (normal) approximation (false). Ranked on the Laplace draws, a
   * 1-cmt patient with one trough of 9 mg/L had 1250 mg q12h first (88.3 %) where the exact
   * posterior gives 1000 mg 90.9 % and 1250 mg 81.1 %. Without levels the draws are the prior's
   * (normal, exact) and neither applies.
   */
  readonly sir?: boolean;
  /** SIR proposals (default 5 × draws, at least 25). */
  readonly proposals?: number;
}
/** The keys of RankingOptions (optimizeRegimen's and adviseFromState's options build on them). */
export const RANKING_KEYS = [...OBJECTIVE_KEYS, ...optionKeys<Omit<RankingOptions, keyof ObjectiveOptions>>({ infusions: true, cmt: true, target: true, draws: true, seed: true, top: true, level: true, sir: true, proposals: true })];

/**
 * How the draws of a ranking were made: the posterior's approximation, and SIR's diagnostics.
 * Without levels `proposals` is not used: the draws are the prior's.
 */
export interface RankingSample {
  /** 'sir' or 'laplace' with levels; null for prior draws (Ω at the covariates: exact, no approximation). */
  readonly posterior: 'laplace' | 'sir' | null;
  /** SIR: proposals, their effective sample size (Σw)²/Σw² and the Pareto k̂ of the weights. */
  readonly proposals?: number;
  readonly ess?: number;
  readonly paretoK?: number;
}

/**
 * The draws of a ranking (optimize and advice): prior draws without levels, else SIR unless
 * `sir: false`. The Laplace draws, the default before, ranked regimens on a normal approximation
 * that can reverse two candidates (RankingOptions.sir).
 */
export function rankingSample(model: Model, records: readonly DataRecord[], fit: Estimate, options: RankingOptions, draws: number): { post: PosteriorSample; basis: 'posterior' | 'prior'; sample: RankingSample } {
  if (options.sir !== undefined && options.sir !== true && options.sir !== false) throw Errors.optionValue('sir', options.sir, 'must be true or false');
  const basis = records.some((r) => r.EVID === 0 && r.MDV === 0 && Number.isFinite(r.DV)) ? 'posterior' : 'prior';
  if (options.proposals !== undefined && options.sir === false) throw Errors.optionValue('proposals', options.proposals, 'SIR proposals are drawn only with sir (not with sir: false)');
  const sir = basis === 'posterior' && options.sir !== false;
  const post = posteriorSample(model, records, fit, { ...pickKeys(options, POSTERIOR_KEYS), draws, seed: options.seed === undefined ? 1 : options.seed, sir });
  const sample: RankingSample =
    basis === 'prior' ? { posterior: null } : post.method === 'sir' ? { posterior: 'sir', proposals: post.proposals, ess: post.ess, paretoK: post.paretoK } : { posterior: 'laplace' };
  return { post, basis, sample };
}

/**
 * Monte Carlo SE of a PTA over `draws` draws. SIR's draws are resampled from weighted proposals, not
 * independent: the PTA's variance is the importance-sampling estimate's, p(1 − p)/ESS (Kish's
 * effective sample size), plus the multinomial resampling's, p(1 − p)/draws, given the proposals.
 * sqrt(p(1 − p)/draws) alone read 0.0103 where 40 seeds spread 0.0237 (proposals = draws = 1000;
 * 32.5 % of runs beyond 2 SE of the exact 0.8756). Laplace and prior draws are independent.
 */
export function ptaStandardError(pta: number, draws: number, sample: RankingSample): number {
  const v = pta * (1 - pta);
  return Math.sqrt(v / draws + v / importanceEss(sample));
}

/** The ESS of SIR's importance weights; Infinity for independent (Laplace, prior) draws. */
function importanceEss(sample: RankingSample): number {
  return sample.posterior === 'sir' && sample.ess !== undefined && sample.ess > 0 ? sample.ess : Infinity;
}

/**
 * 95 % Wilson interval of a PTA over `draws` draws, as pta gives it: ± its SE was 0 at 0 and 100 %
 * ("100.0±0.0%" for 8 draws, where 67.6 % is as consistent with them). SIR's draws count as the
 * sample size ptaStandardError implies, 1/(1/draws + 1/ESS), not as `draws` independent ones.
 */
export function ptaInterval(pta: number, draws: number, sample: RankingSample): { lo: number; hi: number } {
  const n = 1 / (1 / draws + 1 / importanceEss(sample));
  return wilson(pta * n, n);
}

export interface OptimizeOptions extends RankingOptions {
  /** Candidate maintenance doses (already practical: strengths or increments within min/max). */
  readonly doses: readonly number[];
  /** Candidate dosing intervals (h). */
  readonly intervals: readonly number[];
  /**
   * Candidate loading doses (0 = none). With a dose > 0, every candidate is judged in the whole
   * dosing intervals inside `window` and, for its maintenance dose, at steady state (see the header).
   */
  readonly loadingDoses?: readonly number[];
  /**
   * Time window (h from the loading dose) judged when loading doses are searched: every whole dosing
   * interval inside it. Default [0, max(48, 2τ)] for each interval τ. Refused without a loading dose
   * > 0 (regimens are then judged at steady state), and when it holds no whole maintenance interval.
   */
  readonly window?: readonly [number, number];
}
const OPTIMIZE_KEYS = [...RANKING_KEYS, ...optionKeys<Omit<OptimizeOptions, keyof RankingOptions>>({ doses: true, intervals: true, loadingDoses: true, window: true })];

/**
 * Refuses ranking options that cannot be meant, before the estimate: a level outside (0, 1) gave
 * NaN exposure intervals, a top below 1 or not whole dropped candidates (0 returned none with
 * `feasible` true).
 */
function checkRankingOptions(model: Model, records: readonly DataRecord[], options: RankingOptions): void {
  checkLevel(options.level ?? 0.9);
  const top = options.top;
  if (top !== undefined && !(Number.isInteger(top) && top >= 1)) throw Errors.optionValue('top', top, 'must be an integer ≥ 1');
  checkEstimateOptions(options);
  checkOverrides(model, options.overrides);
  refuseMissingBlqColumns(records, options.blq);
}

/** The objective's options among `options`: what estimate() takes of them. */
function objectiveOptions(options: ObjectiveOptions): ObjectiveOptions {
  return Object.fromEntries(Object.entries(options).filter(([k]) => OBJECTIVE_KEYS.includes(k)));
}

export interface Candidate {
  readonly dose: number;
  readonly interval: number;
  readonly infusion: number;
  readonly loadingDose: number;
  /** Fraction of all draws attaining every target clause (failed draws do not), with its Monte Carlo SE (ptaStandardError: SIR's resampling counted). */
  readonly pta: number;
  readonly ptaSe: number;
  /** Its 95 % Wilson interval (ptaInterval; pta's `lo`, `hi`): not a point at 0 or 100 %, where the SE is 0. */
  readonly ptaLo: number;
  readonly ptaHi: number;
  /** Draws whose exposure could not be computed (see failedDraws). */
  readonly failed: number;
  /** Distance of the median exposure to the window centre (0 = centre, ≤ 1 inside). */
  readonly distance: number;
  /**
   * Per target metric: median and central interval over the draws with an exposure; of the
   * maintenance dose at steady state (with loading doses searched too).
   */
  readonly exposure: Readonly<Record<string, { median: number; lo: number; hi: number }>>;
  /** With loading doses searched: the window's part of the judgment (the steady state is `exposure`). */
  readonly window?: WindowJudgment;
}

/** How a candidate of a loading-dose search did in the window and at steady state, each alone. */
export interface WindowJudgment {
  readonly from: number;
  readonly to: number;
  /** The whole dosing intervals judged (the loading dose's own [0, τ] when the window starts at 0). */
  readonly intervals: readonly (readonly [number, number])[];
  /** Fraction of all draws attaining the target in every judged interval. */
  readonly pta: number;
  /** Fraction of all draws attaining it with the maintenance dose at steady state. */
  readonly steadyStatePta: number;
  /**
   * When the window starts at 0: fraction of all draws attaining the target in every judged interval
   * after the first, [0, τ], and at steady state; the intervals a window from τ judges (firstIntervalCap).
   */
  readonly withoutFirstPta?: number;
  /**
   * With withoutFirstPta: of the draws that count there and not in `pta` (they attain in every judged
   * interval after the first and at steady state, but not in [0, τ]), how many each target clause
   * fails in [0, τ], below its floor and above its ceiling: what the first interval costs.
   */
  readonly firstIntervalFails?: readonly ClauseFails[];
  /** Per target metric and judged interval (`trough:1008:1512`): median and central interval. */
  readonly exposure: Readonly<Record<string, { median: number; lo: number; hi: number }>>;
}

/** Draws failing one target clause (its text): below its floor, above its ceiling. */
export interface ClauseFails {
  readonly clause: string;
  readonly below: number;
  readonly above: number;
}

/**
 * A loading search whose first judged interval, [0, τ], lowers the best PTA of a target with a time
 * above MIC (firstIntervalCap): that interval starts from an empty body.
 */
export interface FirstIntervalCap {
  /** The best PTA of the search, the first interval judged. */
  readonly pta: number;
  /**
   * The best PTA without the first interval (WindowJudgment.withoutFirstPta), its regimen, and of
   * that regimen's draws the first interval costs (`lost`), how many fail each clause there.
   */
  readonly withoutFirst: { readonly pta: number; readonly regimen: string; readonly lost: number; readonly clauses: readonly ClauseFails[] };
  /** The best steady-state PTA of a maintenance dose alone, and its regimen. */
  readonly steadyState: { readonly pta: number; readonly regimen: string };
  /** The window that judges every interval τ from its first maintenance interval: [min τ, end]. */
  readonly window: readonly [number, number];
  /** Why, and what to do: the W_LOADING_FIRST_INTERVAL warning's text, and the reason of "no feasible regimen". */
  readonly message: string;
}

export interface OptimizeResult extends RankingSample {
  /** Best first; empty when no candidate attains the target for any draw (`feasible` false). */
  readonly ranked: readonly Candidate[];
  readonly feasible: boolean;
  readonly evaluated: number;
  /** Interval × infusion pairs left out: the infusion longer than the interval. */
  readonly leftOut: number;
  readonly draws: number;
  readonly target: string;
  /** 'posterior' when the patient had observations, else 'prior'. */
  readonly basis: 'posterior' | 'prior';
  /** With loading doses and a time above MIC: what the first interval of the window cost (FirstIntervalCap). */
  readonly firstInterval?: FirstIntervalCap;
  /**
   * The MAP estimate's level warnings (src/bayes/warnings.ts): the ranking rests on that estimate;
   * then W_SIMULATION_FAILED when some draws of a candidate could not be simulated (failedDraws),
   * and W_LOADING_FIRST_INTERVAL when a feasible search has a firstInterval.
   */
  readonly warnings: readonly EstimateWarning[];
}

/**
 * A draw whose simulation fails (e.g. a Michaelis–Menten draw whose VMAX is below the dose rate has
 * no steady state) has no exposure to judge. Dropping it from the denominator raised the PTA of the
 * very candidates that fail most (1100 mg q12h: 73 % over the 1219 draws left of 2000, 44.5 % over
 * all): it counts as not attaining, the PTA is a lower bound, and a warning gives the count.
 */
export function failedDraws(candidates: readonly { readonly failed: number }[], draws: number, label: (i: number) => string): EstimateWarning[] {
  let worst = -1;
  let count = 0;
  candidates.forEach((c, i) => {
    if (c.failed > 0) count++;
    if (c.failed > 0 && (worst < 0 || c.failed > (candidates[worst] as { failed: number }).failed)) worst = i;
  });
  if (worst < 0) return [];
  const most = (candidates[worst] as { failed: number }).failed;
  return [
    {
      code: 'W_SIMULATION_FAILED',
      message:
        `the simulation failed for some draws of ${count} of ${candidates.length} candidate regimens (at most ${most.toLocaleString('en-US')} of ${draws.toLocaleString('en-US')} draws, for ${label(worst)}; ` +
        'e.g. no periodic steady state, as when elimination saturates below the dose rate): those draws count as not attaining the target, so the PTA is a lower bound, and the exposure medians and intervals are over the draws simulated only (with a saturable elimination, the highest exposures are the ones left out)',
    },
  ];
}

function checkList(name: string, xs: readonly number[] | undefined, allowZero: boolean): readonly number[] {
  if (!xs || xs.length === 0) throw Errors.optionValue(name, xs, 'needs at least one candidate', xs === undefined ? 'missing' : '[]');
  for (const x of xs) if (!(Number.isFinite(x) && (allowZero ? x >= 0 : x > 0))) throw Errors.optionValue(name, x, allowZero ? 'candidates must be ≥ 0' : 'candidates must be > 0');
  return xs;
}

/** The default window of a loading-dose search at interval τ: the first 48 h, or the loading and the first maintenance interval when longer. */
export function defaultLoadingWindow(tau: number): [number, number] {
  return [0, Math.max(48, 2 * tau)];
}

/** The whole dosing intervals [kτ, (k+1)τ] (k ≥ 0, the loading dose at 0) inside the window. */
export function judgedIntervals(tau: number, window: readonly [number, number]): [number, number][] {
  const out: [number, number][] = [];
  const eps = 1e-9 * Math.max(1, window[1]);
  for (let k = Math.max(0, Math.ceil((window[0] - eps) / tau)); (k + 1) * tau <= window[1] + eps; k++) out.push([k * tau, (k + 1) * tau]);
  return out;
}

/**
 * Why a window cannot judge loading regimens at interval τ (undefined when it can): it must hold a
 * whole maintenance interval after the loading dose, since the maintenance doses are the regimen
 * (0–504 h with q504h held none, and every maintenance dose tied).
 */
export function loadingWindowRefusal(window: readonly [number, number], tau: number): string | undefined {
  if (judgedIntervals(tau, window).some(([s]) => s >= tau * (1 - 1e-9))) return undefined;
  const first = Math.max(1, Math.ceil(window[0] / tau - 1e-9)) * tau;
  return (
    `holds no whole maintenance interval after the loading dose: every ${tau} h (the loading dose at 0 h, the maintenance doses from ${tau} h) the first in it would be ${first}–${first + tau} h; ` +
    `a loading regimen is judged on the maintenance doses after it, so the window must reach at least ${first + tau} h (e.g. ${window[0]}:${first + tau})`
  );
}

/** One compiled part of a judgment: a target whose metrics start at `off` of the row. */
export interface Part {
  readonly target: CompiledTarget;
  readonly off: number;
}

/**
 * The target in each judged interval, its metrics renamed with the hours they read (`trough:1008:1512`):
 * each interval compiled as the last one of a regimen ending there. A daily AUC reads the 24 h that
 * end with the interval (`auc24:0:24` for 12–24 at q12h); one whose 24 h would start before the
 * window (or the loading dose) is that interval's AUC × 24/τ (`auc24:0:12`), as auc24 is where the
 * profile holds less than 24 h.
 */
export function windowParts(spec: TargetSpec, tau: number, intervals: readonly (readonly [number, number])[], from: number): { parts: Part[]; defs: MetricDef[] } {
  const parts: Part[] = [];
  const defs: MetricDef[] = [];
  for (const [s, e] of intervals) {
    const target = compileTarget(spec, { end: e, tau, lastDose: s });
    parts.push({ target, off: defs.length });
    for (const d of target.metrics) {
      // named by the hours read: a daily AUC reads the 24 h that end with its interval (auc24:0:24 for
      // 12–24 at q12h; it was labelled auc24:12:24 and read 510.79 where that interval's AUC·24/τ is
      // 504.31), or its interval alone where those would start before the window
      const [t0, t1] = d.t0 < from - 1e-9 ? [s, e] : [d.t0, d.t1];
      const base = d.t0 === s && d.t1 === e && d.name.endsWith(`:${s}:${e}`) ? d.name.slice(0, -`:${s}:${e}`.length) : d.name;
      const name = `${base}:${t0}:${t1}`;
      defs.push(d.t0 < from - 1e-9 ? { ...d, name, t0: s, t1: e, fu: (d.fu ?? 1) * (24 / tau) } : { ...d, name });
    }
  }
  return { parts, defs };
}

/**
 * Each metric's values (m per draw) over the draws with none NaN, ascending: a unit simulation's, read
 * by every dose of a linear candidate through quantileScaled instead of a selection per dose.
 */
function sortedColumns(metrics: Float64Array, m: number, draws: number): Float64Array[] {
  const cols = Array.from({ length: m }, () => new Float64Array(draws));
  let ok = 0;
  for (let k = 0; k < draws; k++) {
    let bad = false;
    for (let i = 0; i < m && !bad; i++) bad = Number.isNaN(metrics[k * m + i] as number);
    if (bad) continue;
    for (let i = 0; i < m; i++) (cols[i] as Float64Array)[ok] = metrics[k * m + i] as number;
    ok++;
  }
  return cols.map((c) => c.subarray(0, ok).sort());
}

/**
 * Draws of an ascending column whose value × scale passes a one-clause target, by bisection: the
 * value is computed as the draw-by-draw judgment computes it, (u·scale)·clause scale, and rounding
 * is monotone, so the draws that pass are one run of the column, and the count is the loop's.
 */
function countInClause(sorted: Float64Array, scale: number, c: CompiledClause): number {
  const firstWhere = (pass: (v: number) => boolean): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pass((sorted[mid] as number) * scale * c.scale)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return Math.max(0, firstWhere((v) => v > c.hi) - firstWhere((v) => v >= c.lo));
}

/** Counts, per clause of `part`, a draw's failure below its floor or above its ceiling (its row of metrics). */
function countFails(part: Part, row: ArrayLike<number>, below: Int32Array, above: Int32Array): void {
  part.target.clauses.forEach((c, j) => {
    const v = part.target.value(row, j, part.off);
    if (v < c.lo) (below[j] as number)++;
    else if (v > c.hi) (above[j] as number)++;
  });
}

function clauseFails(part: Part, below: Int32Array, above: Int32Array): ClauseFails[] {
  return part.target.clauses.map((c, j) => ({ clause: c.text, below: below[j] as number, above: above[j] as number }));
}

/** No profile rows: a simulation whose metrics are all that is read. */
const NO_ROWS = new Int32Array(0);

/** Uniform samples per dosing interval of a candidate's grid (see searchLateSamples for what lies between them). */
const SAMPLES_PER_INTERVAL = 24;

/**
 * Records of one steady-state candidate (unit maintenance dose unless `amt` given), on the patient's
 * covariates. `periodic`: the model's parameters do not change with time, so the steady state repeats
 * its interval exactly and one interval holds every metric of a target (auc24 as AUCτ·24/τ).
 */
function candidateRecords(base: Readonly<Record<string, number>>, tau: number, infusion: number, cmt: number, loading: number, amt: number, window?: readonly [number, number], periodic = false): DataRecord[] {
  const rows: Record<string, number>[] = [];
  const item = (o: Record<string, number>): Record<string, number> => ({ ...base, ID: 1, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 0, ...o });
  let end: number;
  if (loading > 0 || window) {
    end = (window ?? [0, 48])[1];
    if (loading > 0) rows.push(item({ TIME: 0, EVID: 1, AMT: loading, CMT: cmt, ...durationItems(loading, infusion), MDV: 1 }));
    const first = loading > 0 ? tau : 0;
    const addl = Math.max(0, Math.ceil((end - first) / tau) - 1);
    if (first < end) rows.push(item({ TIME: first, EVID: 1, AMT: amt, CMT: cmt, ...durationItems(amt, infusion), ADDL: addl, II: tau, MDV: 1 }));
  } else {
    // steady state: an SS = 1 dose at 0, then (where the model changes with time) doses up to 24 h so
    // that auc24 is the day's; a periodic one reads every interval as the first, and q6h's four
    // intervals cost four times the rows of one (W-optimize: q6h–q24h, 10 intervals' rows for 4)
    const k = periodic ? 1 : Math.max(1, Math.ceil(24 / tau - 1e-9));
    end = k * tau;
    rows.push(item({ TIME: 0, EVID: 1, AMT: amt, CMT: cmt, ...durationItems(amt, infusion), SS: 1, II: tau, ADDL: k - 1, MDV: 1 }));
  }
  // 24 points per interval, plus every infusion end (where the peak of an IV infusion is); simulateAt
  // adds the samples after each arrival and infusion end (searchLateSamples, and metricGrid's first 4 h)
  const times = new Set<number>();
  const nGrid = Math.max(SAMPLES_PER_INTERVAL, Math.round((SAMPLES_PER_INTERVAL * end) / tau));
  for (let g = 0; g <= nGrid; g++) times.add((g * end) / nGrid);
  if (infusion > 0) for (let t = 0; t + infusion <= end; t += tau) times.add(t + infusion);
  for (const t of [...times].sort((a, b) => a - b)) rows.push(item({ TIME: t }));
  return sortedRecords(rows);
}

function sortedRecords(rows: Record<string, number>[]): DataRecord[] {
  rows.sort((a, b) => (a.TIME as number) - (b.TIME as number) || (b.EVID as number) - (a.EVID as number));
  return rows.map((r, i) => recordFromItems(r, i + 1, 'candidate'));
}

/** The records with observation records (the items of the first one) added at `times` not already sampled. */
function withSamples(records: readonly DataRecord[], times: readonly number[]): readonly DataRecord[] {
  const have = new Set(records.map((r) => r.TIME));
  const add = [...new Set(times)].filter((t) => !have.has(t)).sort((a, b) => a - b);
  const template = records.find((r) => r.EVID === 0);
  if (add.length === 0 || !template) return records;
  // a merge: no time is in both, so no order of doses and observations at one time to keep
  const out: DataRecord[] = [];
  let j = 0;
  for (const r of records) {
    for (; j < add.length && (add[j] as number) < r.TIME; j++) out.push(recordFromItems({ ...template.items, TIME: add[j] as number }, 0, 'candidate'));
    out.push(r);
  }
  for (; j < add.length; j++) out.push(recordFromItems({ ...template.items, TIME: add[j] as number }, 0, 'candidate'));
  return out.map((r, i) => ({ ...r, row: i + 1 }));
}

/**
 * Optimizes a regimen for one patient. `records` are the patient's history (doses, levels,
 * covariates); with no levels the draws come from the prior (Ω) at the patient's covariates.
 *
 * @example
 * const best = optimizeRegimen(model, records, { doses: [500, 750, 1000, 1250], intervals: [8, 12, 24],
 *   infusions: [1, 2], target: 'auc24:400:600' }).ranked[0];
 */
export function optimizeRegimen(model: Model, records: readonly DataRecord[], options: OptimizeOptions, fit?: Estimate): OptimizeResult {
  checkModel(model, 'optimizeRegimen()');
  refuseUnknownKeys(options, OPTIMIZE_KEYS, 'optimizeRegimen()');
  // the candidates run on a clock of their own from 0: parameters that step with TIME read the
  // first day's values there (busulfan's CL before its 36-h step: AUC24 −6.5 % at q24h, exit 0), and
  // so do equations reading t (CL × 0.5 before 36 h: 500 mg q12h ranked first at auc24 400 for 200)
  const readsTime = timeReadBy(model);
  if (readsTime)
    throw Errors.optionValue('model', model.name, `reads ${readsTime} (they change with time), so a steady state of each candidate has no one time to read them at: rank regimens from the patient's current state instead (adviseFromState; on the command line, optimize from a start time), which runs on the patient's own clock`);
  checkRankingOptions(model, records, options);
  const doses = checkList('doses', options.doses, false);
  const intervals = checkList('intervals', options.intervals, false);
  const infusions = checkList('infusions', options.infusions ?? [0], true);
  const loadings = checkList('loadingDoses', options.loadingDoses ?? [0], true);
  const draws = options.draws ?? 1000;
  const level = options.level ?? 0.9;
  const cmt = options.cmt ?? 1;
  checkDraws(draws);
  const searchLoading = loadings.some((l) => l > 0);
  const given = options.window;
  if (given !== undefined) {
    if (!(Array.isArray(given) && given.length === 2 && given.every((x) => Number.isFinite(x)) && given[1] > given[0] && given[0] >= 0))
      throw Errors.optionValue('window', given, 'must be a non-empty time range [from, to] in h with 0 ≤ from < to', Array.isArray(given) ? given.join(':') : undefined);
    // a window without a loading dose was dropped without a word: the regimens were judged at steady state
    if (!searchLoading) throw Errors.optionValue('window', given, 'is judged only in a search of loading doses (loadingDoses with a dose > 0); without one, every regimen is judged at steady state', given.join(':'));
  }
  const windowOf = (tau: number): readonly [number, number] => given ?? defaultLoadingWindow(tau);
  if (searchLoading)
    for (const tau of intervals) {
      const why = loadingWindowRefusal(windowOf(tau), tau);
      if (why) throw Errors.optionValue('window', windowOf(tau), why, windowOf(tau).join(':'));
    }
  // an infusion longer than its interval is no maintenance regimen here: such pairs are left out
  // (as advice leaves them out); one such pair refused the whole grid (30 h beside q24h and q168h)
  if (infusions.every((inf) => intervals.every((tau) => inf > tau)))
    throw Errors.optionValue('infusions', Math.min(...infusions), `every infusion is longer than every interval (the longest ${Math.max(...intervals)} h): an infusion longer than its interval is not a maintenance regimen`);
  const spec = parseTarget(options.target);

  const theFit = fit ?? estimate(model, records, objectiveOptions(options));
  const { post, basis, sample } = rankingSample(model, records, theFit, options, draws);
  // covariates of the patient: the last record's data items (time-varying covariates: their latest value)
  const last = records[records.length - 1];
  const base: Record<string, number> = {};
  if (last) for (const [k, v] of Object.entries(last.items)) if (!(STANDARD_COLUMNS as readonly string[]).includes(k.toUpperCase()) && Number.isFinite(v)) base[k] = v;

  const structureProportional = doseProportional(model);
  // parameters free of the time: a steady state repeats its interval (candidateRecords)
  const periodic = parametersFreeOfTime(model);
  const lo = (1 - level) / 2;
  const hi = (1 + level) / 2;
  const candidates: Candidate[] = [];
  let evaluated = 0;

  type Quantiles = { median: number; lo: number; hi: number };
  /** Simulated metrics of one record set for every draw (m per draw), × scale (a dose on a unit simulation). */
  type Segment = { readonly metrics: Float64Array; readonly m: number; readonly scale: number };
  const vals: Float64Array[] = [];
  const qs = new Float64Array(3);
  /**
   * Judges one candidate on the metrics of its segments laid end to end in one row per draw: the
   * window's parts (none without loading doses) then the steady state's (the last part). `sorted`:
   * the one segment's columns ascending (sortedColumns), its exposure quantiles read from them scaled.
   */
  const judge = (windowed: readonly Part[], ss: Part, defs: readonly MetricDef[], segments: readonly Segment[], dose: number, tau: number, inf: number, load: number, span?: readonly [number, number], spans?: readonly (readonly [number, number])[], sorted?: readonly Float64Array[]): void => {
    const n = draws;
    const m = defs.length;
    const row = new Float64Array(m);
    let hit = 0;
    let hitWindow = 0;
    let hitSs = 0;
    let hitWithoutFirst = 0;
    // [0, τ] starts from an empty body: what the other intervals attain is counted apart (firstIntervalCap)
    const fromZero = spans !== undefined && (spans[0] as readonly [number, number])[0] === 0;
    // which clauses those draws fail in [0, τ]: a time above MIC is not the only one the empty body costs
    const first = windowed[0];
    const firstBelow = new Int32Array(fromZero && first ? first.target.clauses.length : 0);
    const firstAbove = new Int32Array(firstBelow.length);
    let ok = 0;
    for (let j = vals.length; j < m; j++) vals.push(new Float64Array(n));
    // one metric judged by one clause on sorted columns: the draws that attain are counted by
    // bisection, not one by one (240,000 judgments in W-optimize)
    const oneClause = sorted && m === 1 && windowed.length === 0 && ss.target.clauses.length === 1 ? (ss.target.clauses[0] as CompiledClause) : undefined;
    if (oneClause) {
      const column = sorted?.[0] as Float64Array;
      ok = column.length;
      hit = hitSs = countInClause(column, (segments[0] as Segment).scale, oneClause);
    }
    for (let k = 0; k < n && !oneClause; k++) {
      let bad = false;
      let j = 0;
      for (const seg of segments)
        for (let i = 0; i < seg.m; i++, j++) {
          const v = (seg.metrics[k * seg.m + i] as number) * seg.scale;
          row[j] = v;
          if (Number.isNaN(v)) bad = true;
        }
      // a draw without an exposure stays in the denominator as not attaining (failedDraws)
      if (bad) continue;
      if (!sorted) for (let i = 0; i < m; i++) (vals[i] as Float64Array)[ok] = row[i] as number;
      ok++;
      // a loop, not windowed.every(closure): one closure per draw and candidate (240,000 here)
      const inFirst = windowed.length === 0 || (windowed[0] as Part).target.attained(row, (windowed[0] as Part).off);
      let inRest = true;
      for (let w = 1; w < windowed.length && inRest && (inFirst || fromZero); w++) inRest = (windowed[w] as Part).target.attained(row, (windowed[w] as Part).off);
      const inWindow = inFirst && inRest;
      const atSs = ss.target.attained(row, ss.off);
      if (inWindow) hitWindow++;
      if (atSs) hitSs++;
      if (inWindow && atSs) hit++;
      if (inRest && atSs) hitWithoutFirst++;
      if (inRest && atSs && !inFirst && fromZero) countFails(first as Part, row, firstBelow, firstAbove);
    }
    const median = new Float64Array(m);
    const exposure: Record<string, Quantiles> = {};
    const windowExposure: Record<string, Quantiles> = {};
    // three order statistics by selection: sorting each metric's draws for every candidate took a
    // seventh of the search (240 candidates × 1,000 draws); the values are the sort's, bit for bit
    // with the columns sorted once per unit simulation, each dose reads its three: 240 selections were
    // 4 % of the search
    const scale = (segments[0] as Segment).scale;
    defs.forEach((d, j) => {
      if (sorted) for (const [q, p] of [lo, 0.5, hi].entries()) qs[q] = quantileScaled(sorted[j] as Float64Array, ok, p, scale);
      else quantiles(vals[j] as Float64Array, ok, [lo, 0.5, hi], qs);
      median[j] = qs[1] as number;
      (j >= ss.off ? exposure : windowExposure)[d.name] = { median: qs[1] as number, lo: qs[0] as number, hi: qs[2] as number };
    });
    const distance = Math.max(ss.target.distance(median, ss.off), ...windowed.map((p) => p.target.distance(median, p.off)));
    const pta = hit / n;
    const window: WindowJudgment | undefined =
      span && spans ? { from: span[0], to: span[1], intervals: spans, pta: hitWindow / n, steadyStatePta: hitSs / n, ...(fromZero ? { withoutFirstPta: hitWithoutFirst / n, firstIntervalFails: clauseFails(first as Part, firstBelow, firstAbove) } : {}), exposure: windowExposure } : undefined;
    const { lo: ptaLo, hi: ptaHi } = ptaInterval(pta, n, sample);
    candidates.push({ dose, interval: tau, infusion: inf, loadingDose: load, pta, ptaSe: ptaStandardError(pta, n, sample), ptaLo, ptaHi, failed: n - ok, distance, exposure, ...(window ? { window } : {}) });
    evaluated++;
  };

  const simulateAt = (candidate: readonly DataRecord[], defs: readonly MetricDef[], tau: number): Float64Array => {
    // samples after each dose arrival too: 24 points per interval left an oral dose's rise under-
    // sampled (AUC24 −2.5 % at KA 4/h, with a PTA to match), and a long interval's (searchLateSamples)
    refuseFactorsOnEffect(model, defs);
    const events = modelDiscontinuities(model, candidate);
    const t0 = Math.min(...defs.map((d) => d.t0));
    const t1 = Math.max(...defs.map((d) => d.t1));
    const recs = withSamples(candidate, searchLateSamples([...events.jumps, ...events.kinks], tau / SAMPLES_PER_INTERVAL, t0, t1));
    const grid = metricGrid(recs, model.timeVarying, { windows: defs, events, dense: arrivalSampling(defs) });
    const obj = mapObjective(model, grid.records, { ...options, blq: false });
    const from = obj.labels.map((l) => post.labels.indexOf(l));
    const xs = new Float64Array(draws * obj.dim);
    for (let k = 0; k < draws; k++)
      for (let i = 0; i < obj.dim; i++) {
        const f = from[i] as number;
        if (f >= 0) xs[k * obj.dim + i] = post.x[k * post.dim + f] as number;
      }
    // the metrics alone: no profile rows copied out of the engine (draws × rows doubles per call)
    return obj.simulate(xs, draws, metricArrays(defs, grid.edgeOnly), NO_ROWS).metrics as Float64Array;
  };

  let leftOut = 0;
  for (const tau of intervals) {
    const span = searchLoading ? windowOf(tau) : undefined;
    const spans = span ? judgedIntervals(tau, span) : [];
    for (const inf of infusions) {
      if (inf > tau) {
        leftOut++;
        continue;
      }
      // the maintenance dose at steady state: the whole judgment without loading doses, a part of it with them
      const ssUnit = candidateRecords(base, tau, inf, cmt, 0, 1, undefined, periodic);
      const ssTarget = compileTarget(spec, ssUnit);
      const ssDefs = ssTarget.metrics;
      const linear = structureProportional && ssTarget.clauses.every((c) => c.linear);
      const ssUnitMetrics = linear ? simulateAt(ssUnit, ssDefs, tau) : undefined;
      const ssCache = new Map<number, Float64Array>();
      const ssSegment = (dose: number): Segment => {
        if (ssUnitMetrics) return { metrics: ssUnitMetrics, m: ssDefs.length, scale: dose };
        let metrics = ssCache.get(dose);
        if (!metrics) ssCache.set(dose, (metrics = simulateAt(candidateRecords(base, tau, inf, cmt, 0, dose, undefined, periodic), ssDefs, tau)));
        return { metrics, m: ssDefs.length, scale: 1 };
      };
      if (!span) {
        const ss: Part = { target: ssTarget, off: 0 };
        const sorted = ssUnitMetrics ? sortedColumns(ssUnitMetrics, ssDefs.length, draws) : undefined;
        for (const dose of doses) judge([], ss, ssDefs, [ssSegment(dose)], dose, tau, inf, 0, undefined, undefined, sorted);
        continue;
      }
      const { parts, defs: wDefs } = windowParts(spec, tau, spans, span[0]);
      const ss: Part = { target: ssTarget, off: wDefs.length };
      const defs = [...wDefs, ...ssDefs];
      for (const load of loadings) {
        // without a loading dose, the window of a linear model scales with the dose as the steady state does
        const unitWindow = linear && load === 0 ? simulateAt(candidateRecords(base, tau, inf, cmt, 0, 1, span), wDefs, tau) : undefined;
        for (const dose of doses) {
          // a loading dose equal to the maintenance dose is the regimen without one (the same doses at
          // the same times): ranked twice, it took a --top place ("1000 12 h 1 1000" beside "… 0")
          if (load === dose && loadings.includes(0)) continue;
          const w: Segment = unitWindow ? { metrics: unitWindow, m: wDefs.length, scale: dose } : { metrics: simulateAt(candidateRecords(base, tau, inf, cmt, load, dose, span), wDefs, tau), m: wDefs.length, scale: 1 };
          judge(parts, ss, defs, [w, ssSegment(dose)], dose, tau, inf, load, span, spans);
        }
      }
    }
  }
  // ties: the smaller dose rate, then the smaller loading dose
  candidates.sort((a, b) => b.pta - a.pta || a.distance - b.distance || a.dose / a.interval - b.dose / b.interval || a.loadingDose - b.loadingDose);
  const feasible = candidates.some((c) => c.pta > 0);
  const firstInterval = firstIntervalCap(candidates, spec, draws, sample);
  return {
    ranked: feasible ? candidates.slice(0, options.top ?? 5) : [],
    feasible,
    evaluated,
    leftOut,
    draws,
    target: targetText(spec),
    basis,
    ...sample,
    ...(firstInterval ? { firstInterval } : {}),
    warnings: [
      ...theFit.warnings,
      ...failedDraws(candidates, draws, (i) => candidateLabel(candidates[i] as Candidate)),
      // without a feasible regimen, "no feasible regimen" itself gives the reason
      ...(firstInterval && feasible ? [{ code: 'W_LOADING_FIRST_INTERVAL' as const, message: `optimize with loading doses: ${firstInterval.message}` }] : []),
      ...carriedOccasionWarning(model, records, undefined, 'the ranking reads the candidates as that occasion; for a new occasion, forecast a regimen whose records have an occasion of their own'),
      ...lowPtaWarning(feasible ? candidates[0] : undefined, draws),
    ],
  };
}

/**
 * W_LOW_PTA: the best regimen's PTA is below LOW_PTA_FLOOR (10 %), as the advice (--from) says it.
 * Without it a regimen at PTA 0.1 % was ranked first with no word (1000 mg q12h for auc24:1300:1500),
 * reading as a recommendation; a PTA of 0 says "no feasible regimen" itself.
 */
function lowPtaWarning(best: Candidate | undefined, draws: number): EstimateWarning[] {
  if (!best || best.pta >= LOW_PTA_FLOOR) return [];
  const pct = `${(100 * best.pta).toFixed(1)}% ± ${(100 * best.ptaSe).toFixed(1)} over ${draws.toLocaleString('en-US')} draws`;
  return [
    {
      code: 'W_LOW_PTA',
      message:
        `the best regimen searched (${candidateLabel(best)}) meets every target clause with a probability of ${pct} (below the floor of ${100 * LOW_PTA_FLOOR}%): ` +
        'no regimen among those searched is likely to meet the target: widen intervals/doses or review the target; the ranking shown is the best of poor options, not advice',
    },
  ];
}

/**
 * What the window's first interval cost a loading search whose target has a time above MIC, when it
 * lowers the best PTA by more than 2 Monte Carlo SEs. [0, τ] starts from an empty body: the level is
 * 0 when the first dose starts and an infusion takes time to reach the MIC, so 100 % fT>MIC cannot
 * hold there (1-cmt meropenem, 2 g over 3 h: 99.3 % at most over 400,000 draws), and every
 * candidate, the one without a loading dose too, read "no feasible regimen" without a word where
 * 2 g q8h attains 52.6 % from the first maintenance interval on and 53.1 % at steady state. The
 * time above is still counted over the whole first interval, from the dose's start (the delay to
 * the MIC is what a loading dose shortens); the cap is said, with the window that leaves it out,
 * and with the clauses that fail there (firstIntervalCause): with trough:30:60,tabove:1:0.2 it was
 * the trough after one dose, while fT>1 held for every draw, and the text blamed the time above MIC.
 */
function firstIntervalCap(candidates: readonly Candidate[], spec: TargetSpec, draws: number, sample: RankingSample): FirstIntervalCap | undefined {
  const judged = candidates.filter((c) => c.window?.withoutFirstPta !== undefined);
  if (judged.length === 0 || !spec.clauses.some((c) => c.metric === 'tabove')) return undefined;
  // the first of the ranking among equals: the smaller dose rate, then the smaller loading dose
  const best = (key: (w: WindowJudgment) => number): Candidate => judged.reduce((a, b) => (key(b.window as WindowJudgment) > key(a.window as WindowJudgment) ? b : a));
  const pta = Math.max(...candidates.map((c) => c.pta));
  const without = best((w) => w.withoutFirstPta as number);
  const withoutPta = without.window?.withoutFirstPta as number;
  if (!(withoutPta - pta > 2 * ptaStandardError(withoutPta, draws, sample))) return undefined;
  const ss = best((w) => w.steadyStatePta);
  const taus = [...new Set(judged.map((c) => c.interval))].sort((a, b) => a - b);
  // from the shortest τ, every interval's judged intervals start at its first maintenance dose (judgedIntervals)
  const window = [taus[0] as number, Math.max(...judged.map((c) => (c.window as WindowJudgment).to))] as const;
  const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const steady = { pta: (ss.window as WindowJudgment).steadyStatePta, regimen: candidateLabel({ ...ss, loadingDose: 0 }) };
  // the draws `without` attains from the first maintenance interval on and not with the first
  const lost = Math.round((withoutPta - without.pta) * draws);
  const clauses = (without.window as WindowJudgment).firstIntervalFails ?? [];
  const message =
    `the window's first interval (${taus.map((t) => `0–${t} h`).join(', ')}) starts from an empty body${firstIntervalCause(spec, clauses, lost)} ` +
    `(of the ${lost.toLocaleString('en-US')} draws of ${candidateLabel(without)} that attain from the first maintenance interval on but not in it, ${clauses.map(failText).join(', ')}): ` +
    `with that interval judged the best PTA is ${percent(pta)}, judged from the first maintenance interval on ${percent(withoutPta)} (${candidateLabel(without)}), and at steady state ${percent(steady.pta)} (${steady.regimen}). ` +
    `To judge from the first maintenance interval, give the option window: [${window[0]}, ${window[1]}]`;
  return { pta, withoutFirst: { pta: withoutPta, regimen: candidateLabel(without), lost, clauses }, steadyState: steady, window, message };
}

/**
 * Why the first interval fails: the clauses that fail there for at least half the draws it costs
 * (each of them fails one at least). The delay to the MIC is named only when a time above MIC is
 * among them; else the clauses that are (a trough after one dose, or after a loading dose).
 */
function firstIntervalCause(spec: TargetSpec, clauses: readonly ClauseFails[], lost: number): string {
  const main = clauses.filter((c) => 2 * (c.below + c.above) >= lost);
  // ClauseFails are in the order of the target's clauses
  const mic = main.filter((c) => spec.clauses[clauses.indexOf(c)]?.metric === 'tabove');
  if (mic.length) return `: the level is 0 when the first dose starts and takes time to reach the MIC, which a time above MIC (${mic.map((c) => c.clause).join(', ')}) counts against`;
  const failing = main.length ? main : clauses.filter((c) => c.below + c.above > 0);
  return `, and ${failing.map((c) => c.clause).join(' and ')} ${failing.length > 1 ? 'fail' : 'fails'} there, not the time above MIC`;
}

/** One clause's failures in the first interval, as the message gives them. */
function failText(c: ClauseFails): string {
  if (c.below + c.above === 0) return `${c.clause} holds for all`;
  const sides = [c.below ? `${c.below.toLocaleString('en-US')} below its floor` : '', c.above ? `${c.above.toLocaleString('en-US')} above its ceiling` : ''].filter(Boolean);
  return `${c.clause} fails for ${sides.join(' and ')}`;
}

function candidateLabel(c: Candidate): string {
  return `${c.dose} every ${c.interval} h${c.infusion > 0 ? ` over ${c.infusion} h` : ''}${c.loadingDose > 0 ? ` after a loading dose of ${c.loadingDose}` : ''}`;
}
