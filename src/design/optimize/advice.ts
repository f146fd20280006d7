// Advice from now: the next dose and the maintenance regimen after it, for one patient, starting
// from the patient's current state. The history (doses and levels, MAP-estimated as everywhere)
// stays: new doses are simulated on top of it, so the drug already on board carries over (no
// steady-state reset). The answer is a time, an amount and an infusion duration for the next dose,
// then an amount and an interval for maintenance, within the ward's constraints:
//
// - practical doses (the candidate list, already rounded by the caller: multiples or strengths),
//   a maximum single dose and a maximum daily dose (any 24 h, history doses included);
// - a maximum infusion rate: an infusion of D over d hours with D/d > rate is lengthened to D/rate
//   hours, and that duration is the one simulated and reported;
// - allowed intervals, and an earliest start.
//
// Hold: when the individual prediction (the MAP mode) of the history alone is above the hold level X
// (by default the ceiling of a trough clause; without one, the steady-state average level at an
// exposure ceiling: hi/24 of `auc24`, hi of `cavg`, see exposureHoldLevel) at the start or at any
// time after it (an infusion still running, a dose still being absorbed), the next dose waits until
// the level falls below X for good: the last crossing t* after the start, found on the prediction
// itself (a scan, then a bracket narrowed 32-fold per engine call to 1e-12 h), and the hold is
// (t* − start) rounded up to the allowed time step. Then maintenance restarts at the held time, without a loading dose. When the
// level is below X (or no hold level applies) a loading dose is searched: next-dose amounts from
// the maintenance amount up. The default X assumes the level falls without more drug; a response
// that returns to a baseline of its own does not (an inhibited response, baseline 100, read 67.1
// at the start and rose back towards 100: "stays above" the trough ceiling 60, advice refused).
// So when the level is still above a default X at the end of the search and the level without any
// dose (the history's doses left out) is not below X there either, there is no hold and a warning
// (W_HOLD_NOT_FALLING) says why; a given X, or a level that only falls too slowly, is refused.
//
// Ranking (as optimizeRegimen): the probability over posterior draws (prior draws without levels)
// that every target clause holds, then the distance of the median exposures to the window centre,
// then the smaller total amount. The targets are judged at the end of the horizon: the profile ends
// at E = next dose + τ·⌈H/τ⌉ (H = 48 h by default; longer where a judged window would reach back
// before the next dose, or before the first maintenance dose when a loading dose is searched), so
// `auc24` is the AUC over [E − 24, E] and `trough` the level just before the dose due at E. Every
// dosing interval from the next dose up to that window is judged too (the next dose's own: a loading
// dose over the ceiling on its day was never judged, and the largest dose of the grid won at equal
// PTA; after a hold, the drug on board and the maintenance dose together, 618 over 600 at the MAP,
// were not either).
// The maintenance dose alone is judged at steady state too (an SS = 1 dose after E, which resets the
// history, on the patient's latest covariates): a draw attains when the target holds in both, and
// the distance is the farther of the two (as optimizeRegimen's loading search). Judged only in the
// window, 1500 mg then 500 mg q24h ranked first at AUC24 487.9 while it falls to 387.1 (= D/CL) at
// steady state, below 400. A model that reads the time has no steady state: it is not judged there.
// A charted infusion still running at the start delays the next dose to its end (`running`).
//
// Accuracy: the metrics are computed in WASM on the profile the engine solves exactly (analytic
// models) at the samples of the judged windows: every jump and kink (metric-grid.ts), 4 samples
// an hour (WINDOW_STEPS), and `infusionSamples` samples per hour inside every new infusion. The
// AUC rule is linear up / log down: exact while a one-compartment profile declines, and within
// about (k·h)²/12 of the rising part during an infusion sampled every h hours (24 per hour by
// default: < 2e-6 of it for k = 0.1/h; 6000 per hour reach 1e-10 of the AUC in
// test/unit/design/advice.test.ts). Over two exponentials it is not exact: the steady-state AUC24
// of Goti's two-compartment IV infusion reads +1.4e-5 of D/CL (+1.9e-4 on hourly samples), oral
// ganciclovir with a lag −3.2e-4 of F·D/CL (−1.9e-3 hourly).

import { Errors } from '../../errors.js';
import type { Model } from '../../model/model.js';
import { recordFromItems } from '../../regimen/nmtran.js';
import { durationItems, givenAddl, isDose, type DataRecord } from '../../regimen/record.js';
import { MAX_ADDL_COPIES } from '../../regimen/builder.js';
import { metricArrays, type MetricDef, type RegimenTimes } from '../../population/metrics.js';
import { arrivalSampling, metricGrid, modelDiscontinuities, refuseFactorsOnEffect } from '../../population/metric-grid.js';
import { ESTIMATE_KEYS, OBJECTIVE_KEYS, estimate, type Estimate } from '../../bayes/estimate.js';
import { optionKeys, pickKeys, refuseUnknownKeys } from '../../option-keys.js';
import { checkModel } from '../../model/check-model.js';
import { timeReadBy } from '../../model/time-free.js';
import { carriedOccasionWarning, type EstimateWarning } from '../../bayes/warnings.js';
import { checkDraws, type PosteriorSample } from '../../bayes/posterior.js';
import { mapObjective } from '../../bayes/objective.js';
import { LOW_PTA_FLOOR } from './low-pta.js';
import { failedDraws, ptaInterval, ptaStandardError, RANKING_KEYS, rankingSample, windowParts, type Part, type RankingOptions, type RankingSample } from './optimize.js';
import { forecastRecords } from '../../bayes/forecast.js';
import { compileTarget, Outcome, parseTarget, targetText as specText, type CompiledTarget, type TargetClause } from '../targets/targets.js';
import { quantileSorted, quantiles } from '../../stats/quantile.js';
import { candidatePtaText } from '../pta/pta-text.js';

export interface AdviceOptions extends RankingOptions {
  /** The time of the advice (h, on the patient's time axis: hours since the first record). */
  readonly from: number;
  /** No new dose before this time (h; default `from`). */
  readonly earliest?: number;
  /** Candidate amounts, already practical (multiples, strengths); doses above `maxDose` are dropped. */
  readonly doses: readonly number[];
  /** Allowed maintenance intervals (h). */
  readonly intervals: readonly number[];
  /** Largest infusion rate (amount/h): longer infusions for larger doses. */
  readonly maxRate?: number;
  /** Largest single dose. */
  readonly maxDose?: number;
  /** Largest amount in any 24 h (history doses included). */
  readonly maxDaily?: number;
  /** Hold the next dose while the predicted level is above this (default: the ceiling of a trough clause, else hi/24 of an auc24 ceiling or hi of a cavg ceiling, ÷ fu). */
  readonly holdBelow?: number;
  /** Time step of the hold (h; default 1). */
  readonly timeStep?: number;
  /** Hours from the next dose to the end of the judged profile, rounded up to whole intervals (default 48). */
  readonly horizon?: number;
  /** Search a loading dose when no hold applies (default true). */
  readonly loading?: boolean;
  /** Samples per hour inside each new infusion of the judged windows (default 24; see the file comment on accuracy). */
  readonly infusionSamples?: number;
}
// a misspelt key (maxdose, max_rate, holdbelow) was ignored: maxdose: 750 advised 1000 mg
const ADVICE_KEYS = [
  ...RANKING_KEYS,
  ...optionKeys<Omit<AdviceOptions, keyof RankingOptions>>({ from: true, earliest: true, doses: true, intervals: true, maxRate: true, maxDose: true, maxDaily: true, holdBelow: true, timeStep: true, horizon: true, loading: true, infusionSamples: true }),
];

/** A value at the MAP mode (the individual prediction) and its posterior median and central interval. */
export interface Predicted {
  readonly mode: number;
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
}

export interface AdviceDose {
  readonly amount: number;
  /** Infusion duration actually given (h; lengthened by the rate limit; 0 = bolus). */
  readonly duration: number;
}

export interface AdviceCandidate {
  /** The next dose: when, how much, over how long. */
  readonly next: AdviceDose & { readonly time: number };
  /** Maintenance from next.time + interval on. */
  readonly maintenance: AdviceDose & { readonly interval: number; readonly start: number };
  /** The next dose is a loading dose (larger than maintenance). */
  readonly loading: boolean;
  /** Largest amount given in any 24 h (history included). */
  readonly maxDaily: number;
  /** Fraction of all draws attaining every target clause (failed draws do not), with its Monte Carlo SE (ptaStandardError: SIR's resampling counted). */
  readonly pta: number;
  readonly ptaSe: number;
  /** Its 95 % Wilson interval (ptaInterval, as optimize's candidates): not a point at 0 or 100 %, where the SE is 0. */
  readonly ptaLo: number;
  readonly ptaHi: number;
  /** Draws whose exposure could not be computed (see failedDraws in optimize.ts). */
  readonly failed: number;
  readonly distance: number;
  /** Per target metric over the judged window: MAP value, posterior median and interval (over the draws with an exposure). */
  readonly exposure: Readonly<Record<string, Predicted>>;
  /** The judged window [E − 24 or E − τ, E] ends at `end`. */
  readonly end: number;
  /**
   * The target in each dosing interval from the next dose up to the judged window (`[from, to]` h),
   * judged as well, after a hold too (MAP value, posterior median and interval per metric, named by
   * the hours read: `auc24:72:96`). Empty when the window starts with the next dose.
   */
  readonly intervals: readonly IntervalExposure[];
  /** The target clauses the MAP prediction (the individual prediction) itself misses, in the judged window or at steady state: empty when it meets them all. */
  readonly mapMisses: readonly MapMiss[];
  /**
   * The maintenance dose alone at steady state (SteadyStateJudgment), judged as well: `pta` counts
   * the draws attaining the target in the judged window and there. Undefined where the model reads
   * the time (no steady state to reach).
   */
  readonly steadyState?: SteadyStateJudgment;
}

/**
 * The maintenance regimen alone at steady state (an SS = 1 dose on the patient's latest covariates,
 * after the judged window): what the patient reaches on it after days. Judged only in the window, a
 * loading dose then 500 mg q24h ranked first at AUC24 487.9 while it falls to 387.1 at steady state
 * (target 400–600, half-life 45 h).
 */
export interface SteadyStateJudgment {
  /** Per target metric at steady state: MAP value, posterior median and interval. */
  readonly exposure: Readonly<Record<string, Predicted>>;
  /** Fraction of all draws attaining every clause at steady state (the window aside). */
  readonly pta: number;
  /** Fraction of all draws attaining every clause in the judged window (steady state aside). */
  readonly windowPta: number;
  /** The steady-state window ends at `end` (h on the patient's clock; the SS dose is at the judged window's end). */
  readonly end: number;
}

/** The target's exposures in one dosing interval after the next dose (see AdviceCandidate.intervals). */
export interface IntervalExposure {
  readonly from: number;
  readonly to: number;
  readonly exposure: Readonly<Record<string, Predicted>>;
}

/** A clause the MAP prediction misses: its value (scaled as the clause reads it: peak/MIC, a fraction of τ) and the bound it breaks. */
export interface MapMiss {
  readonly clause: string;
  readonly metric: string;
  readonly value: number;
  readonly side: 'above' | 'below';
  readonly bound: number;
  /** Missed at steady state (the maintenance dose alone), not in the judged window. */
  readonly steadyState?: boolean;
  /** Missed in this dosing interval after the next dose (h), before the judged window (a loading dose's own, or a held dose's with the drug still on board). */
  readonly interval?: readonly [number, number];
}

// the floor (src/design/optimize/low-pta.ts) is optimize's steady-state ranking's too
export { LOW_PTA_FLOOR };

export interface AdviceHold {
  /** Hours the next dose waits after the start (rounded up to the time step). */
  readonly hours: number;
  /** Hours until the predicted level falls below `below` (not rounded). */
  readonly exact: number;
  readonly below: number;
  /** Predicted level at the start (MAP mode). */
  readonly level: number;
  /**
   * When the level at the start is below `below` but the history alone takes it above later (an
   * infusion still running, a dose still being absorbed): the highest level of the scan and when.
   */
  readonly peak?: { readonly level: number; readonly at: number };
}

/**
 * Why a default hold level was not applied: the level at the start is above it, but without more
 * doses the level does not fall below it (it returns to a level of its own above it).
 */
export interface AdviceHoldNotFalling {
  readonly below: number;
  /** Predicted level at the start (MAP mode). */
  readonly level: number;
  /** At the end of the search (start + 336 h): the predicted level of the history, and the level without any dose. */
  readonly at: number;
  readonly end: number;
  readonly noDrug: number;
}

/**
 * A warning of the advice itself: W_HOLD_NOT_FALLING (a default hold level the level does not fall
 * below without more doses), W_LOW_PTA (the best regimen is unlikely to meet the target).
 */
export interface AdviceWarning {
  readonly code: 'W_HOLD_NOT_FALLING' | 'W_LOW_PTA';
  readonly message: string;
  readonly record?: undefined;
  readonly row?: undefined;
  readonly time?: undefined;
}

export interface AdviceResult extends RankingSample {
  readonly from: number;
  /** max(from, earliest): when a dose could be given first (but see `running`). */
  readonly start: number;
  /**
   * A charted infusion (of the history) running at `start`, if any: the next dose waits for its end
   * (`nextTime`) where it outlasts the hold; reported where a longer hold decides (the bag still runs
   * at `from`: a hold of 4.86 h past a bag ending 1 h later left it null and unsaid).
   */
  readonly running?: RunningInfusion;
  /** The predicted level at `from` (the state the advice starts from). */
  readonly state: Predicted;
  /** Individual parameters at the MAP mode. */
  readonly parameters: Readonly<Record<string, number>>;
  /** The hold, when the level at the start is above the hold level; else undefined. */
  readonly hold?: AdviceHold;
  readonly holdBelow?: number;
  /** Where the hold level comes from: given (`holdBelow`), a trough ceiling, or an exposure ceiling's average level (auc24 HI/24, cavg HI). */
  readonly holdBasis?: 'given' | 'trough' | 'exposure';
  /** A default hold level above the level the patient returns to without drug: no hold (and a W_HOLD_NOT_FALLING warning). */
  readonly holdNotFalling?: AdviceHoldNotFalling;
  /** When the next dose is due (start + hold, or the end of a `running` infusion). */
  readonly nextTime: number;
  /** Best first; empty when no candidate attains the target for any draw. */
  readonly ranked: readonly AdviceCandidate[];
  readonly feasible: boolean;
  readonly evaluated: number;
  /** Candidates left out by a constraint. */
  readonly excluded: { readonly maxDaily: number; readonly infusionLongerThanInterval: number };
  /**
   * When no candidate was evaluated and the daily maximum left them out only with the doses already
   * given: the earliest time (h) from which the smallest dose at some interval passes the same rule.
   */
  readonly dailyFrom?: number;
  readonly draws: number;
  readonly target: string;
  readonly basis: 'posterior' | 'prior';
  readonly warnings: readonly (EstimateWarning | AdviceWarning)[];
}

const HOLD_SEARCH_HOURS = 24 * 14;
/** Samples per hour of the judged windows (besides every jump and kink, and `infusionSamples` inside infusions). */
const WINDOW_STEPS = 4;

/** A PTA's Wilson interval as a candidate's ptaLo / ptaHi. */
function wilsonOf(pta: number, draws: number, sample: RankingSample): { ptaLo: number; ptaHi: number } {
  const { lo, hi } = ptaInterval(pta, draws, sample);
  return { ptaLo: lo, ptaHi: hi };
}

/** An option error naming the field first (`maxRate 0: must be …`), so the command line can name its option. */
function bad(name: string, value: unknown, why: string): never {
  throw Errors.option(name, `${name} ${Array.isArray(value) ? value.join(',') : String(value)}: ${why}`, value);
}

function positive(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v > 0)) bad(name, v, 'must be a finite number > 0');
}

function list(name: string, xs: readonly number[] | undefined, allowZero: boolean): readonly number[] {
  if (!xs || xs.length === 0) bad(name, xs === undefined ? 'missing' : '[]', 'needs at least one candidate');
  for (const x of xs) if (!(Number.isFinite(x) && (allowZero ? x >= 0 : x > 0))) bad(name, x, allowZero ? 'candidates must be ≥ 0' : 'candidates must be > 0');
  return [...new Set(xs)].sort((a, b) => a - b);
}

/**
 * Dose times (ADDL expanded) and amounts of records. A steady-state dose (SS 1 or 2) stands for the
 * same dose every II before it: those of the 24 h before it count towards a daily maximum too
 * (2000 mg q12h at steady state at 0 h and 500 mg at 10 h are 4,500 mg in [−12, 12), not 2,500).
 */
function doseTimes(records: readonly DataRecord[], until: number): { t: number; amt: number }[] {
  const out: { t: number; amt: number }[] = [];
  records.forEach((r, i) => {
    if (!isDose(r)) return;
    // the copies given: a later reset cancels the rest. Copies after `until` are refused by the
    // caller, so one of them is enough (ADDL 1e9 ran out of memory before the refusal)
    const n = givenAddl(records, i);
    for (let k = 0; k <= n; k++) {
      out.push({ t: r.TIME + k * r.II, amt: r.AMT });
      if (r.TIME + k * r.II > until) break;
    }
    if (r.SS > 0 && r.II > 0) for (let k = 1; k * r.II < 24 + 1e-9; k++) out.push({ t: r.TIME - k * r.II, amt: r.AMT });
  });
  return out.sort((a, b) => a.t - b.t);
}

/**
 * Refuses a dose record whose ADDL copies up to the advice's time `from` are more than the engine
 * queues (MAX_ADDL_COPIES), counted, not listed: --from next-dose after one dose of ADDL 2e8 q12h
 * is 2.4e9 h, and listing the copies up to it (doseTimes, historyKinks) ran out of memory before
 * the simulation's own refusal. A copy after `from` is refused as a dose after the start.
 */
function refuseCopiesBeforeStart(records: readonly DataRecord[], from: number, file: string | undefined): void {
  records.forEach((r, i) => {
    if (!isDose(r) || !(r.ADDL > 0 && r.II > 0)) return;
    const due = Math.min(givenAddl(records, i), Math.max(0, Math.floor((from - r.TIME) / r.II) + 1));
    if (due > MAX_ADDL_COPIES)
      throw Errors.record(r.row, 'ADDL', r.ADDL, `${due} additional doses fall before the advice's start at ${clean(from)} h (at most ${MAX_ADDL_COPIES}); give the regimen as a steady state (SS = 1) or in several records`, file);
  });
}

/**
 * Dose times and infusion ends of the history (ADDL copies given included) in (lo, hi): where its
 * level peaks or bends. Only the copies whose time or infusion end can fall there are computed
 * (every copy of the history was: ADDL 2e8 listed 4e8 times).
 */
function historyKinks(records: readonly DataRecord[], lo: number, hi: number): number[] {
  const out: number[] = [];
  records.forEach((r, i) => {
    if (!isDose(r)) return;
    const dur = r.RATE > 0 && r.AMT > 0 ? r.AMT / r.RATE : 0;
    const n = r.II > 0 ? givenAddl(records, i) : 0;
    const first = r.II > 0 ? Math.max(0, Math.floor((lo - dur - r.TIME) / r.II)) : 0;
    for (let k = first; k <= n; k++) {
      const t = r.TIME + k * r.II;
      if (t >= hi) break;
      if (t > lo) out.push(t);
      if (dur > 0 && t + dur > lo && t + dur < hi) out.push(t + dur);
    }
  });
  return out;
}

/** A charted infusion running at a time: its record's row, its start (this copy's, ADDL included), amount, rate and end (h). */
export interface RunningInfusion {
  readonly row: number;
  readonly time: number;
  readonly amount: number;
  readonly rate: number;
  readonly end: number;
}

/**
 * The infusion of the history (RATE > 0; ADDL copies given included) that runs latest past `t`,
 * begun before it: the next dose waits for its end. A modelled rate or duration (RATE −1, −2) is
 * the model's and is not read here.
 */
function runningInfusion(records: readonly DataRecord[], t: number): RunningInfusion | undefined {
  let out: RunningInfusion | undefined;
  records.forEach((r, i) => {
    if (!isDose(r) || !(r.RATE > 0 && r.AMT > 0)) return;
    const dur = r.AMT / r.RATE;
    const n = r.II > 0 ? givenAddl(records, i) : 0;
    const first = r.II > 0 ? Math.max(0, Math.floor((t - dur - r.TIME) / r.II)) : 0;
    for (let k = first; k <= n; k++) {
      const t0 = r.TIME + k * r.II;
      if (t0 >= t) break;
      const end = t0 + dur;
      if (end - t > 1e-9 * Math.max(1, t) && (!out || end > out.end)) out = { row: r.row, time: t0, amount: r.AMT, rate: r.RATE, end };
    }
  });
  return out;
}

/** Largest sum of amounts in a window [w, w + 24 h) that holds a dose at or after `after`. */
export function maxDailyAmount(doses: readonly { t: number; amt: number }[], after: number): number {
  // given records ({ TIME, AMT }) and an options object it returned 0 without a word
  if (!Array.isArray(doses)) throw Errors.optionValue('doses', doses, 'maxDailyAmount(doses, after): doses must be an array of { t, amt } (h, amount)', doses === null ? 'null' : typeof doses);
  doses.forEach((d, i) => {
    const o = d as { t?: unknown; amt?: unknown } | null;
    if (typeof o !== 'object' || o === null || !Number.isFinite(o.t) || !Number.isFinite(o.amt))
      throw Errors.optionValue(`doses.${i}`, d, 'maxDailyAmount(doses, after): each dose must be { t, amt } with finite numbers (a record is { TIME, AMT }: map it)', typeof o === 'object' && o !== null ? JSON.stringify(o).slice(0, 60) : undefined);
  });
  if (typeof after !== 'number' || Number.isNaN(after)) throw Errors.optionValue('after', after, 'maxDailyAmount(doses, after): after must be a time in h (windows holding a dose at or after it are counted)', typeof after === 'object' && after !== null ? JSON.stringify(after).slice(0, 60) : undefined);
  // a window's end moves forward only (a year of q1h copies made the pairwise sum 7.7e7 steps); each
  // sum is added afresh in time order, as before: a running total's rounding could move 4,500 mg a
  // hair past a 4,500 mg limit
  if (doses.some((d, i) => i > 0 && d.t < (doses[i - 1] as { t: number }).t)) doses = [...doses].sort((a, b) => a.t - b.t);
  const t = (k: number): number => (doses[k] as { t: number }).t;
  let best = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < doses.length; i++) {
    if (t(i) !== t(lo)) lo = i;
    if (t(i) + 24 <= after) continue;
    while (hi < doses.length && t(hi) < t(i) + 24 - 1e-9) hi++;
    let sum = 0;
    for (let k = lo; k < hi; k++) sum += (doses[k] as { amt: number }).amt;
    if (sum > best) best = sum;
  }
  return best;
}

const clean = (x: number): number => Number(x.toPrecision(12));

/**
 * Advice from the patient's current state (see the file comment).
 *
 * @example
 * const a = adviseFromState(model, records, { from: 50, doses: [500, 750, 1000, 1250, 1500], intervals: [8, 12, 24],
 *   infusions: [1], maxRate: 1000, target: 'auc24:400:600,trough::20' });
 * a.hold?.hours; a.ranked[0].next; a.ranked[0].maintenance;
 */
export function adviseFromState(model: Model, records: readonly DataRecord[], options: AdviceOptions, fit?: Estimate): AdviceResult {
  checkModel(model, 'adviseFromState()');
  if (options === undefined) throw Errors.option('options', 'adviseFromState(): the options are required (from, target, doses, intervals)');
  refuseUnknownKeys(options, ADVICE_KEYS, 'adviseFromState()');
  const from = options.from;
  // a time before the patient's first record names the patient: a timestamp of another patient's
  // chart (ID 2 charted a month later) read "-877 h: must be a time ≥ 0" without saying whose
  const first = records.length > 0 ? `ID ${(records[0] as DataRecord).ID}` : 'the patient';
  const beforeFirst = (t: number): string => `is ${clean(-t)} h before the first record of ${first} (times count in h from each patient's first record): advice starts within a patient's course`;
  if (!Number.isFinite(from)) bad('from', from, 'must be a time ≥ 0 (h since the first record)');
  if (from < 0) bad('from', from, beforeFirst(from));
  const earliest = options.earliest ?? from;
  if (!Number.isFinite(earliest)) bad('earliest', earliest, 'must be a time ≥ 0 (h since the first record)');
  if (earliest < 0) bad('earliest', earliest, beforeFirst(earliest));
  positive('maxRate', options.maxRate);
  positive('maxDose', options.maxDose);
  positive('maxDaily', options.maxDaily);
  positive('holdBelow', options.holdBelow);
  positive('timeStep', options.timeStep);
  positive('horizon', options.horizon);
  const samples = options.infusionSamples ?? 24;
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= 100_000)) bad('infusionSamples', samples, 'must be an integer from 1 to 100000');
  const intervals = list('intervals', options.intervals, false);
  const infusions = list('infusions', options.infusions ?? [0], true);
  if (options.maxRate !== undefined && infusions.includes(0)) bad('maxRate', options.maxRate, 'limits infusions: give infusion durations > 0 (a bolus has no rate)');
  let doses = list('doses', options.doses, false);
  if (options.maxDose !== undefined) {
    const maxDose = options.maxDose;
    doses = doses.filter((d) => d <= maxDose * (1 + 1e-12));
    if (doses.length === 0) bad('maxDose', maxDose, `is below every candidate dose (smallest ${Math.min(...options.doses)})`);
  }
  const draws = options.draws ?? 1000;
  checkDraws(draws);
  const level = options.level ?? 0.9;
  if (!(level > 0 && level < 1)) bad('level', level, 'must be in (0, 1)');
  const cmt = options.cmt ?? 1;
  const step = options.timeStep ?? 1;
  const horizon = options.horizon ?? 48;
  if (records.length === 0) throw Errors.record(0, 'ID', undefined, 'the patient has no records');
  refuseCopiesBeforeStart(records, from, options.file);
  const history = doseTimes(records, from + 1e-9);
  const late = history.find((d) => d.t > from + 1e-9);
  if (late) bad('from', from, `is before a dose of the history (at ${clean(late.t)} h): advice starts after the doses given or scheduled`);
  // a dose charted at the advice's time: the state read there is the level before it, and the next
  // dose would be given on top of it at the same instant (2000 mg at once for a 1000 mg advice)
  const atStart = history.find((d) => Math.abs(d.t - from) <= 1e-9);
  if (atStart) bad('from', from, `is the time of a dose of the history (at ${clean(atStart.t)} h): the advice's next dose would be given with it; start after it (next-dose, or a later time)`);
  // a level measured after the start would be a level from the future of the advice. The levels are
  // those the estimate fits (its objective's list): a sample planned at 80 h (DV '.', MDV blank,
  // read as 0) is fitted by nothing, and refused --from 48 as "before a level of the history"
  const fittedLevels = mapObjective(model, records, pickKeys(options, OBJECTIVE_KEYS)).observations;
  const lateLevel = Array.from(fittedLevels, (i) => records[i] as DataRecord).find((r) => r.TIME > from + 1e-9);
  if (lateLevel) bad('from', from, `is before a level of the history (at ${clean(lateLevel.TIME)} h): advice starts after the levels it is fitted to`);
  const start = Math.max(from, earliest);
  const spec = parseTarget(options.target);
  // a trough ceiling as a total level: fu=0.5/trough::8 holds at 16 (it held at 8, 9 h too long)
  const troughCeil = troughHoldLevel(spec.clauses);
  const holdBelow = options.holdBelow ?? troughCeil ?? exposureHoldLevel(spec.clauses);
  const holdBasis = options.holdBelow !== undefined ? 'given' : troughCeil !== undefined ? 'trough' : holdBelow !== undefined ? 'exposure' : undefined;

  const theFit = fit ?? estimate(model, records, pickKeys(options, ESTIMATE_KEYS));
  const { post, basis, sample } = rankingSample(model, records, theFit, options, draws);
  const id = (records[0] as DataRecord).ID;
  let row = 0;
  const rec = (items: Record<string, number>): DataRecord => recordFromItems({ ID: id, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 1, ...items }, ++row, 'advice');

  /** Rows of the random effects: 0 = the MAP mode, 1.. = the draws (new occasions at 0). */
  const points = (labels: readonly string[], withDraws: boolean): Float64Array => {
    const dim = labels.length;
    const n = withDraws ? draws + 1 : 1;
    const xs = new Float64Array(n * dim);
    const fromFit = labels.map((l) => theFit.labels.indexOf(l));
    const fromPost = labels.map((l) => (post as PosteriorSample).labels.indexOf(l));
    for (let i = 0; i < dim; i++) if ((fromFit[i] as number) >= 0) xs[i] = theFit.x[fromFit[i] as number] as number;
    if (withDraws)
      for (let k = 0; k < draws; k++)
        for (let i = 0; i < dim; i++) {
          const f = fromPost[i] as number;
          if (f >= 0) xs[(k + 1) * dim + i] = post.x[k * post.dim + f] as number;
        }
    return xs;
  };

  /** Predicted levels at `times` (history only): the mode, or the mode and every draw (rows × times). */
  const levels = (times: readonly number[], withDraws: boolean, history: readonly DataRecord[] = records): { values: Float64Array; ok: Uint8Array } => {
    const future = times.map((t) => rec({ TIME: t }));
    const { records: merged, fromFuture } = forecastRecords(history, future, true, options.blq, model.timeVarying, fittedLevels, model.iov?.occasion);
    const obj = mapObjective(model, merged, { ...options, blq: false });
    const n = withDraws ? draws + 1 : 1;
    const sim = obj.simulate(points(obj.labels, withDraws), n, undefined);
    const cols: number[] = [];
    fromFuture.forEach((f, i) => {
      if (f === 1) cols.push(i);
    });
    const values = new Float64Array(n * times.length);
    for (let k = 0; k < n; k++) cols.forEach((c, j) => (values[k * times.length + j] = sim.obs[k * merged.length + c] as number));
    return { values, ok: sim.ok };
  };

  const lo = (1 - level) / 2;
  const hi = (1 + level) / 2;
  const summarize = (mode: number, vs: Float64Array): Predicted => {
    const v = vs.filter((x) => !Number.isNaN(x)).sort();
    return { mode, median: quantileSorted(v, 0.5), lo: quantileSorted(v, lo), hi: quantileSorted(v, hi) };
  };

  // the state at `from`
  const atFrom = levels([from], true);
  const state = summarize(atFrom.values[0] as number, atFrom.values.subarray(1));
  if (!atFrom.ok[0]) throw Errors.solver(`ID ${id}: the individual prediction at ${from} h could not be computed`);

  // the hold, on the individual prediction
  let hold: AdviceHold | undefined;
  let holdNotFalling: AdviceHoldNotFalling | undefined;
  const holdWarnings: AdviceWarning[] = [];
  if (holdBelow !== undefined) {
    const c0 = start === from ? (atFrom.values[0] as number) : (levels([start], false).values[0] as number);
    const h = holdHours(start, holdBelow, c0, (ts) => levels(ts, false).values, historyKinks(records, start, start + HOLD_SEARCH_HOURS));
    if (h.exact === undefined) {
      if (holdBasis === 'given') bad('holdBelow', holdBelow, `ID ${id}: the predicted level (${clean(c0)} at ${clean(start)} h) stays above it for ${HOLD_SEARCH_HOURS} h`);
      // the default level assumes the level falls without more drug: the level without any dose
      // tells a response that returns to a baseline above it (no hold) from a drug that falls too slowly
      const noDrug = levels([h.end.at], false, withoutDoses(records));
      const free = noDrug.ok[0] ? (noDrug.values[0] as number) : NaN;
      const source = holdBasis === 'trough' ? `the trough ceiling ${clean(holdBelow)}` : `the steady-state average level ${clean(holdBelow)} at the exposure ceiling`;
      if (!(free >= holdBelow))
        throw Errors.option(
          'target',
          `target ${specText(spec)}: ID ${id}: the predicted level (${clean(c0)} at ${clean(start)} h) stays above ${source} (the default hold level; holdBelow sets another) for ${HOLD_SEARCH_HOURS} h`,
          options.target,
        );
      holdNotFalling = { below: holdBelow, level: c0, at: h.end.at, end: h.end.level, noDrug: free };
      const g = (x: number): number => Number(x.toPrecision(4));
      const noDrugText = Math.abs(free - h.end.level) <= 1e-3 * Math.abs(free) ? ` ${g(free)}` : `, ${g(free)} at ${clean(h.end.at)} h`;
      // said when the level is above the hold level at the end of the search, from either side: a level
      // below it at the start that rises above it (an inhibited response, 49.81 at 12 h under a ceiling
      // of 60, returning to 100) was said to "not fall below" 60; a hold level given is refused there
      holdWarnings.push({
        code: 'W_HOLD_NOT_FALLING',
        message:
          c0 < holdBelow
            ? `the predicted level ${g(c0)} at ${clean(start)} h is below ${source} but rises above it without more doses (to its no-drug level${noDrugText}): no hold`
            : `the predicted level ${g(c0)} at ${clean(start)} h does not fall below ${source} without more doses (it ${h.end.level > c0 ? 'rises' : 'returns'} to its no-drug level${noDrugText}): no hold; give holdBelow to hold`,
      });
    } else if (h.exact > 0) {
      const hours = clean(Math.max(step, Math.ceil(h.exact / step - 1e-9) * step));
      // the peak, when the level rises after the start (an infusion still running), even from above the hold level
      hold = { hours, exact: h.exact, below: holdBelow, level: c0, ...(h.peak.level > c0 ? { peak: h.peak } : {}) };
    }
  }
  // a charted infusion still running at the start: the next dose waits for its end where the hold
  // does not (a 2 g bag over 08:00–12:00 had 1750 mg advised at 09:00 on top of it, 1500 mg/h together)
  const running = runningInfusion(records, start);
  const nextTime = clean(running && running.end > start + (hold?.hours ?? 0) ? running.end : start + (hold?.hours ?? 0));
  const searchLoading = (options.loading ?? true) && hold === undefined;

  const duration = (amt: number, inf: number): number => (inf > 0 && options.maxRate !== undefined ? Math.max(inf, amt / options.maxRate) : inf);
  const candidates: AdviceCandidate[] = [];
  const excluded = { maxDaily: 0, infusionLongerThanInterval: 0 };
  // per interval, the doses of the smallest candidate (when its infusion fits the interval)
  const smallestCount = new Map<number, number>();
  const smallest = Math.min(...doses);
  let evaluated = 0;
  let targetText = '';
  const vals: Float64Array[] = [];
  const qs = new Float64Array(3);
  const ssRow = new Float64Array(64);
  // the maintenance dose alone at steady state is judged too (SteadyStateJudgment), unless the model
  // reads the time: its parameters then change along the course and no steady state is reached
  const steadyStateJudged = timeReadBy(model) === undefined;
  /** The metrics `defs` (rows: the MAP mode, then the draws) of `future` (an `ii` dose: at steady state, SS = 1) on top of the history, sampled in their windows up to `end`. */
  const simulateFuture = (future: readonly FutureDose[], defs: readonly MetricDef[], end: number): Float64Array => {
    row = 0;
    const windowStart = Math.min(...defs.map((d) => d.t0));
    const recs: DataRecord[] = future.map((f) => rec({ TIME: f.t, EVID: 1, AMT: f.amt, CMT: cmt, ...durationItems(f.amt, f.dur), ...(f.ii !== undefined ? { SS: 1, II: f.ii } : {}) }));
    // samples inside the judged windows: hourly, and `samples` per hour inside every infusion there
    const obs = new Set<number>([windowStart, end]);
    for (let t = Math.ceil(windowStart * WINDOW_STEPS) / WINDOW_STEPS; t < end; t += 1 / WINDOW_STEPS) obs.add(t);
    for (const f of future) {
      if (!(f.dur > 0) || f.t + f.dur <= windowStart) continue;
      const n = Math.ceil(samples * f.dur - 1e-9);
      for (let s = 1; s < n; s++) {
        const t = f.t + (f.dur * s) / n;
        if (t > windowStart) obs.add(t);
      }
    }
    for (const t of [...obs].sort((a, b) => a - b)) recs.push(rec({ TIME: t }));
    const { records: merged } = forecastRecords(records, recs, true, options.blq, model.timeVarying, fittedLevels, model.iov?.occasion);
    // hourly samples left an oral dose's rise under-sampled (AUC24 −2.4 % at KA 4/h): samples after each arrival too
    refuseFactorsOnEffect(model, defs);
    const grid = metricGrid(merged, model.timeVarying, { windows: defs, events: modelDiscontinuities(model, merged), dense: arrivalSampling(defs) });
    const obj = mapObjective(model, grid.records, { ...options, blq: false });
    // the metrics alone: no profile rows copied out of the engine
    return obj.simulate(points(obj.labels, true), draws + 1, metricArrays(defs, grid.edgeOnly), new Int32Array(0)).metrics as Float64Array;
  };

  for (const tau of intervals) {
    // with a loading dose searched, the judged interval must be a maintenance dose's: one interval
    // judged only the next dose, so every maintenance amount tied and the smallest won (250 mg q48h
    // advised on a 48 h horizon, AUC24 55 at steady state for a target of 400–600)
    // and every judged window must lie after the next dose (after the loading dose, when one is
    // searched): with --horizon 12, auc24 over [E − 24, E] took in the loading dose and advised
    // 500 mg q12h for an AUC24 of 300 at steady state; with q8h at --horizon 6 it reached the history
    // a window's end is computed as its last dose + τ (metrics.ts lastInterval): the profile's end
    // is that same sum. It was nextTime + k·τ rounded, and the window's end (that − τ, rounded) + τ,
    // one ulp after it at 2 of ~40 fractional start times (--from 55.4142135: window [121.4142135,
    // 133.41421350000002] "ends after the last simulated time 133.4142135", exit 2, on a trough target)
    const probeLast = nextTime + Math.ceil(48 / tau + 1) * tau;
    const probe = compileTarget(spec, { end: probeLast + tau, tau, lastDose: probeLast });
    const span = Math.max(...probe.metrics.map((d) => d.t1 - d.t0), 0);
    const k = Math.max(searchLoading ? 2 : 1, Math.ceil(horizon / tau - 1e-9), Math.ceil(span / tau - 1e-9) + (searchLoading ? 1 : 0));
    // the last dose is the last future dose's time (clean(nextTime + j·τ) below), and the end its sum with τ
    const lastDose = clean(nextTime + (k - 1) * tau);
    const end = lastDose + tau;
    const times: RegimenTimes = { end, tau, lastDose };
    const target: CompiledTarget = compileTarget(spec, times);
    targetText = target.text;
    // every dosing interval from the next dose up to the judged window (with or without a loading
    // dose searched) is judged as well, each as the last interval of a regimen ending there (windowParts: a daily
    // AUC reads the 24 h ending with the interval, or the interval's AUC·24/τ where those would start
    // before the next dose). Judged only in the window after it, the next dose itself was never
    // judged: busulfan 350 then 270 mg q24h read AUC 19,625 on 96–120 h while 72–96 h, the loading
    // dose's own day, was 25,424 (ceiling 22,000), and the largest dose of the grid ranked first at
    // equal PTA (600 mg, day 4 ≈ 43,600), its distance decided by its tail in the window
    // After a hold too (no loading dose then, but the drug on board adds to the next dose): judged
    // only in the window, 1750 mg then q24h from the hold's end read "39.7 %", no MAP miss, while
    // its first day (70–94 h) was 618.2 at the MAP over a ceiling of 600, and the same plan from the
    // same time without a hold read 31.3 % with that miss named
    const earlierSpans: [number, number][] = [];
    for (let j = 0; j < k - 1; j++) earlierSpans.push([clean(nextTime + j * tau), clean(nextTime + (j + 1) * tau)]);
    const { parts: earlierParts, defs: earlierDefs } = windowParts(spec, tau, earlierSpans, nextTime);
    const m0 = target.metrics.length;
    const parts: Part[] = earlierParts.map((p) => ({ target: p.target, off: p.off + m0 }));
    const defs: MetricDef[] = [...target.metrics, ...earlierDefs];
    const m = defs.length;
    const metricRow = new Float64Array(m);
    // the maintenance dose alone at steady state: an SS = 1 dose at the judged window's end (it
    // resets the history), then doses up to the target's span; the window after it is judged too
    const ssStart = clean(end);
    const ssK = Math.max(1, Math.ceil(span / tau - 1e-9));
    const ssLast = clean(ssStart + (ssK - 1) * tau);
    const ssTarget = steadyStateJudged ? compileTarget(spec, { end: ssLast + tau, tau, lastDose: ssLast }) : undefined;
    const mss = ssTarget?.metrics.length ?? 0;
    for (const inf of infusions)
      for (const dm of doses) {
        const durM = duration(dm, inf);
        if (durM > tau + 1e-12) {
          excluded.infusionLongerThanInterval++;
          continue;
        }
        let ssMetrics: Float64Array | undefined;
        for (const d1 of searchLoading ? doses.filter((d) => d >= dm) : [dm]) {
          const dur1 = duration(d1, inf);
          const future = plannedDoses(nextTime, d1, dur1, dm, durM, tau, k);
          if (d1 === smallest && dm === smallest) smallestCount.set(tau, k);
          const daily = dailyAmount(history, future, nextTime);
          if (options.maxDaily !== undefined && overDaily(daily, options.maxDaily)) {
            excluded.maxDaily++;
            continue;
          }
          const metrics = simulateFuture(future, defs, end);
          if (ssTarget && !ssMetrics) {
            const ss: FutureDose[] = [{ t: ssStart, amt: dm, dur: durM, ii: tau }];
            for (let j = 1; j < ssK; j++) ss.push({ t: clean(ssStart + j * tau), amt: dm, dur: durM });
            ssMetrics = simulateFuture(ss, ssTarget.metrics, ssLast + tau);
          }
          // judged over the draws (rows 1..)
          for (let j = vals.length; j < m + mss; j++) vals.push(new Float64Array(draws));
          let hit = 0;
          let hitWindow = 0;
          let hitSs = 0;
          let ok = 0;
          for (let r = 1; r <= draws; r++) {
            let bad = false;
            for (let j = 0; j < m; j++) {
              const v = metrics[r * m + j] as number;
              metricRow[j] = v;
              if (Number.isNaN(v)) bad = true;
            }
            for (let j = 0; j < mss; j++) {
              const v = (ssMetrics as Float64Array)[r * mss + j] as number;
              ssRow[j] = v;
              if (Number.isNaN(v)) bad = true;
            }
            // a draw without an exposure stays in the denominator as not attaining (failedDraws)
            if (bad) continue;
            for (let j = 0; j < m; j++) (vals[j] as Float64Array)[ok] = metricRow[j] as number;
            for (let j = 0; j < mss; j++) (vals[m + j] as Float64Array)[ok] = ssRow[j] as number;
            ok++;
            let inWindow = target.attained(metricRow);
            // a ceiling there counts (a loading dose over it on its own day); a floor not yet reached
            // while the maintenance dose builds up does not (a bolus q12h reaches its trough floor only
            // after some doses: every candidate failed), though it weighs in the distance
            for (let p = 0; p < parts.length && inWindow; p++) inWindow = (parts[p] as Part).target.outcome(metricRow, (parts[p] as Part).off) !== Outcome.above;
            const atSs = ssTarget === undefined || ssTarget.attained(ssRow);
            if (inWindow) hitWindow++;
            if (atSs) hitSs++;
            if (inWindow && atSs) hit++;
          }
          const summary = (t: CompiledTarget, values: Float64Array, off: number): { exposure: Record<string, Predicted>; median: Float64Array } => {
            const median = new Float64Array(t.metrics.length);
            const exposure: Record<string, Predicted> = {};
            // three order statistics by selection, as optimizeRegimen: the sort's values, bit for bit
            t.metrics.forEach((d, j) => {
              quantiles(vals[off + j] as Float64Array, ok, [lo, 0.5, hi], qs);
              median[j] = qs[1] as number;
              exposure[d.name] = { mode: values[j] as number, median: qs[1] as number, lo: qs[0] as number, hi: qs[2] as number };
            });
            return { exposure, median };
          };
          const window = summary(target, metrics, 0);
          const atSs = ssTarget && summary(ssTarget, ssMetrics as Float64Array, m);
          // the earlier intervals' exposures, by their definitions (named by the hours read)
          const median = new Float64Array(m);
          median.set(window.median);
          const intervalExposures: IntervalExposure[] = parts.map((p, i) => {
            const exposure: Record<string, Predicted> = {};
            p.target.metrics.forEach((_, j) => {
              const col = p.off + j;
              quantiles(vals[col] as Float64Array, ok, [lo, 0.5, hi], qs);
              median[col] = qs[1] as number;
              exposure[(defs[col] as MetricDef).name] = { mode: metrics[col] as number, median: qs[1] as number, lo: qs[0] as number, hi: qs[2] as number };
            });
            const [from, to] = earlierSpans[i] as [number, number];
            return { from, to, exposure };
          });
          const pta = hit / draws;
          evaluated++;
          candidates.push({
            next: { time: nextTime, amount: d1, duration: dur1 },
            maintenance: { amount: dm, duration: durM, interval: tau, start: clean(nextTime + tau) },
            loading: d1 > dm,
            maxDaily: daily,
            pta,
            ptaSe: ptaStandardError(pta, draws, sample),
            ...wilsonOf(pta, draws, sample),
            failed: draws - ok,
            // the farther of the window's and the steady state's, as optimizeRegimen with a loading dose
            // and over every earlier interval judged
            distance: Math.max(target.distance(window.median), ...parts.map((p) => p.target.distance(median, p.off)), ssTarget && atSs ? ssTarget.distance(atSs.median) : -Infinity),
            exposure: window.exposure,
            // as shown (judged_until): the sum's last bits are no time anyone gave
            end: clean(end),
            intervals: intervalExposures,
            mapMisses: [
              ...parts.flatMap((p, i) => mapMisses(p.target, metrics, p.off).filter((x) => x.side === 'above').map((x) => ({ ...x, interval: earlierSpans[i] as [number, number] }))),
              ...mapMisses(target, metrics),
              ...(ssTarget ? mapMisses(ssTarget, ssMetrics as Float64Array).map((x) => ({ ...x, steadyState: true })) : []),
            ],
            ...(ssTarget && atSs ? { steadyState: { exposure: atSs.exposure, pta: hitSs / draws, windowPta: hitWindow / draws, end: clean(ssLast + tau) } } : {}),
          });
        }
      }
  }
  const total = (c: AdviceCandidate): number => c.next.amount + (c.maintenance.amount * 24) / c.maintenance.interval;
  candidates.sort((a, b) => b.pta - a.pta || a.distance - b.distance || total(a) - total(b) || b.maintenance.interval - a.maintenance.interval || a.next.amount - b.next.amount);
  const feasible = candidates.some((c) => c.pta > 0);
  const dailyFrom = evaluated === 0 && excluded.maxDaily > 0 && options.maxDaily !== undefined ? dailyRoomFrom(history, nextTime, smallest, smallestCount, options.maxDaily) : undefined;
  return {
    from,
    start,
    state,
    parameters: theFit.parameters,
    hold,
    holdBelow,
    ...(running ? { running } : {}),
    ...(holdBasis ? { holdBasis } : {}),
    ...(holdNotFalling ? { holdNotFalling } : {}),
    nextTime,
    ranked: feasible ? candidates.slice(0, options.top ?? 5) : [],
    feasible,
    evaluated,
    excluded,
    ...(dailyFrom !== undefined ? { dailyFrom } : {}),
    draws,
    target: targetText,
    basis,
    ...sample,
    warnings: [
      ...theFit.warnings,
      ...holdWarnings,
      ...lowPta(feasible ? candidates[0] : undefined, draws),
      ...staleData(records, from),
      ...failedDraws(candidates, draws, (i) => adviceLabel(candidates[i] as AdviceCandidate)),
      ...carriedOccasionWarning(model, records, undefined, 'the advice reads the doses from now as that occasion; for a new occasion, forecast a regimen whose records have an occasion of their own'),
    ],
  };
}

type FutureDose = { t: number; amt: number; dur: number; ii?: number };

/** The doses a candidate plans: `d1` at `next`, then `dm` every τ, `k` in all. */
function plannedDoses(next: number, d1: number, dur1: number, dm: number, durM: number, tau: number, k: number): FutureDose[] {
  const future: FutureDose[] = [{ t: next, amt: d1, dur: dur1 }];
  for (let j = 1; j < k; j++) future.push({ t: clean(next + j * tau), amt: dm, dur: durM });
  return future;
}

/** The largest amount in any 24 h holding a dose from `next` on, the doses given included. */
function dailyAmount(history: readonly { t: number; amt: number }[], future: readonly { t: number; amt: number }[], next: number): number {
  return maxDailyAmount([...history, ...future].sort((a, b) => a.t - b.t), next);
}

/** The daily-maximum rule a candidate is left out by. */
const overDaily = (daily: number, maxDaily: number): boolean => daily > maxDaily * (1 + 1e-12);

/**
 * The earliest time from `next` on at which `amount` every τ (`counts`: τ → doses) passes the
 * optimizer's own daily-maximum rule (overDaily) beside the doses given; undefined when no time does.
 * A 24 h window from a dose given at h drops the new regimen's j-th dose once next + j·τ reaches
 * h + 24, so the sums only fall as next moves later and change only at h + 24 − j·τ: trying just
 * h + 24 named 08:00 (24 h) for 1500 mg at 08:00 and 20:00 under 3600 mg a day, where 500 mg q8h
 * fits from 00:00 (16 h: windows of 3500 and 3000).
 */
function dailyRoomFrom(history: readonly { t: number; amt: number }[], next: number, amount: number, counts: ReadonlyMap<number, number>, maxDaily: number): number | undefined {
  const times = new Set([next]);
  // a dose 24 h or more before next shares no window with the new ones (a long history: few tried)
  const recent = history.filter((d) => d.t + 24 > next);
  for (const [tau, k] of counts)
    for (const d of recent)
      for (let j = 0; j < k; j++) {
        const t = clean(d.t + 24 - j * tau);
        if (t > next) times.add(t);
      }
  for (const t of [...times].sort((a, b) => a - b))
    for (const [tau, k] of counts) if (!overDaily(dailyAmount(history, plannedDoses(t, amount, 0, amount, 0, tau, k), t), maxDaily)) return t;
  return undefined;
}

/** The clauses the MAP prediction (row 0 of the metrics) misses. */
function mapMisses(target: CompiledTarget, metrics: Float64Array, off = 0): MapMiss[] {
  const out: MapMiss[] = [];
  target.clauses.forEach((c, j) => {
    const v = target.value(metrics, j, off);
    if (v > c.hi) out.push({ clause: c.text, metric: c.clause.metric, value: v, side: 'above', bound: c.hi });
    else if (v < c.lo) out.push({ clause: c.text, metric: c.clause.metric, value: v, side: 'below', bound: c.lo });
  });
  return out;
}

/**
 * W_LOW_PTA: the best regimen searched has a PTA below LOW_PTA_FLOOR, or its MAP prediction misses
 * a clause: no regimen searched is likely to meet the target, and the plan is the best of poor
 * options, not advice.
 */
function lowPta(best: AdviceCandidate | undefined, draws: number): AdviceWarning[] {
  if (!best || (best.pta >= LOW_PTA_FLOOR && best.mapMisses.length === 0)) return [];
  const g = (x: number): number => Number(x.toPrecision(4));
  const floor = best.pta < LOW_PTA_FLOOR ? ` (below the floor of ${100 * LOW_PTA_FLOOR}%)` : '';
  const misses = best.mapMisses.map((m) => `${m.metric} ${g(m.value)} is ${m.side} ${g(m.bound)} (${m.clause})${m.steadyState ? ' at steady state (the maintenance dose alone)' : ''}${m.interval ? ` in ${clean(m.interval[0])}–${clean(m.interval[1])} h (a dosing interval before the judged window)` : ''}`);
  const map = misses.length ? `; at the MAP (individual prediction) its ${misses.join(' and ')}` : '';
  return [
    {
      code: 'W_LOW_PTA',
      message:
        `the best regimen searched (${adviceLabel(best)}) meets every target clause with a probability of ${candidatePtaText(best, draws)}${floor}${map}: ` +
        'no regimen among those searched is likely to meet the target: widen intervals/doses or review the target; the plan shown is the best of poor options, not advice',
    },
  ];
}

function adviceLabel(c: AdviceCandidate): string {
  const dose = (d: AdviceDose): string => `${d.amount}${d.duration > 0 ? ` over ${clean(d.duration)} h` : ''}`;
  return `${dose(c.next)} then ${dose(c.maintenance)} every ${c.maintenance.interval} h`;
}

/**
 * The history without its doses: what the model predicts without drug. A dose becomes a record
 * that changes data items only (EVID 2; a reset and dose, EVID 4, a reset), so covariates and
 * occasions stay as charted.
 */
function withoutDoses(records: readonly DataRecord[]): DataRecord[] {
  return records.map((r) => (isDose(r) ? { ...r, EVID: r.EVID === 4 ? 3 : 2, AMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 1 } : r));
}

/** Beyond this many hours from the history's last record to the start, the state at the start is an old extrapolation. */
export const STALE_DATA_HOURS = 7 * 24;

/** A warning when the start lies long after the history's last record (nothing anchors the state there). */
function staleData(records: readonly DataRecord[], from: number): EstimateWarning[] {
  const last = records.reduce((m, r) => Math.max(m, r.TIME), -Infinity);
  if (!(from - last > STALE_DATA_HOURS)) return [];
  return [
    {
      code: 'W_STALE_DATA',
      message:
        `the history's last record is ${clean(from - last)} h (${clean((from - last) / 24)} days) before the start: the level at the start is the model's ` +
        'extrapolation over that time, and the patient (weight, renal function) may have changed since; a recent level would anchor it',
    },
  ];
}

/**
 * The hold level of a target with an exposure ceiling but no trough ceiling: the steady-state
 * average level at the ceiling, X = hi/24 for `auc24` (hi for `cavg`), divided by fu for a free
 * exposure. A patient above X has, without any further dose, a level above the average of the
 * highest acceptable exposure; the next dose waits until the level falls to it, and maintenance
 * then restarts from an exposure no higher than the ceiling's average. The lowest such level
 * over the clauses; undefined without an `auc24` or `cavg` ceiling (`auctau` depends on the
 * interval, which is being chosen).
 */
/** The lowest trough ceiling of a target as a total level (÷ fu for an unbound trough), or undefined. */
export function troughHoldLevel(clauses: readonly TargetClause[]): number | undefined {
  let x: number | undefined;
  for (const c of clauses) {
    if (c.metric !== 'trough' || c.hi === undefined) continue;
    const level = c.hi / (c.fu ?? 1);
    x = x === undefined ? level : Math.min(x, level);
  }
  return x;
}

export function exposureHoldLevel(clauses: readonly TargetClause[]): number | undefined {
  let x: number | undefined;
  for (const c of clauses) {
    if ((c.metric !== 'auc24' && c.metric !== 'cavg') || c.hi === undefined) continue;
    const level = (c.metric === 'auc24' ? c.hi / 24 : c.hi) / (c.fu ?? 1);
    x = x === undefined ? level : Math.min(x, level);
  }
  return x;
}

/**
 * Hours after `start` until `level(t)` (the history alone) falls below `x` for good: a scan at 1/4 h
 * over HOLD_SEARCH_HOURS, then the bracket of the last fall below x narrowed 32-fold per call until
 * it is below 1e-12 h wide. Below x at the start and at every scanned time: 0 (no hold). Above at
 * the start, or rising above later (an infusion still running, a dose still being absorbed): the
 * hold, and the highest scanned level. Still above x at the scan's end: no `exact`, and the last
 * scanned time and level.
 */
function holdHours(
  start: number,
  x: number,
  c0: number,
  level: (times: readonly number[]) => Float64Array,
  kinks: readonly number[] = [],
): { readonly exact: number; readonly peak: { level: number; at: number } } | { readonly exact?: undefined; readonly end: { at: number; level: number } } {
  const scan = 0.25;
  // the history's dose times and infusion ends are scanned too: a 0.1-h infusion between two scan
  // times peaked at 41.85 unseen ("no hold" below 30), and a peak at an infusion end read 52.26 at
  // the scan time after it for 52.68
  const grid = Array.from({ length: Math.ceil(HOLD_SEARCH_HOURS / scan) }, (_, j) => start + (j + 1) * scan);
  const ts = [...new Set([...grid, ...kinks.filter((t) => t > start && t < start + HOLD_SEARCH_HOURS)])].sort((a, b) => a - b);
  const n = ts.length;
  const cs = level(ts);
  let last = -1; // the last scanned time not below x
  let peak = { level: c0, at: start };
  for (let j = 0; j < n; j++) {
    const c = cs[j] as number;
    if (!(c < x)) last = j;
    if (c > peak.level) peak = { level: c, at: ts[j] as number };
  }
  if (last === n - 1) return { end: { at: ts[n - 1] as number, level: cs[n - 1] as number } };
  if (last < 0 && !(c0 > x)) return { exact: 0, peak };
  let a = last < 0 ? start : (ts[last] as number);
  let b = ts[last + 1] as number;
  for (let it = 0; it < 12 && b - a > 1e-12 * Math.max(1, b); it++) {
    const inner = Array.from({ length: 31 }, (_, i) => a + ((b - a) * (i + 1)) / 32);
    const v = level(inner);
    const i = v.findIndex((c) => c < x);
    if (i < 0) a = inner[30] as number;
    else {
      b = inner[i] as number;
      if (i > 0) a = inner[i - 1] as number;
    }
  }
  return { exact: (a + b) / 2 - start, peak };
}
