// Forecasting a future regimen on the posterior of one patient: the concentration–time curve at
// the MAP mode, a credible band from posterior draws, and exposure metrics with intervals.
//
// The future regimen (doses and an observation grid, on the patient's clock) is merged with the
// patient's history into one record list, so that the forecast carries the history's doses; future
// records take the data items they lack (covariates, the occasion) so that asking for more times
// changes no parameter of the course (forecastRecords: a dose continues the latest value, an
// observation takes the values governing its time under the model's NOCB/LOCF rule; metric samples
// likewise, TIME included). Every draw is one subject of ONE engine call over the shared event table
// (draws differ only in their kernel parameter sets, filled through the model's slot evaluator),
// and the metrics are computed in WASM on the profiles in the same call.
//
// Occasions (IOV): a future record on an occasion of the history uses that occasion's estimated κ;
// a new occasion has no data, so its κ is 0 at the mode and drawn from the prior N(0, Ω_IOV).

import { approximationWarnings } from '../model/approximation.js';
import { refuseItemValues } from '../model/item-values.js';
import { forecastRecordWarnings } from './record-set-warnings.js';
import { DOSE_DURING_INFUSION, doseInInfusionWords, futureDosesInInfusion } from './future-dose-in-infusion.js';
import { Errors } from '../errors.js';
import { refuseFlagItems } from '../model/covariate-flags.js';
import type { Model } from '../model/model.js';
import { checkRecords, formatNumber, recordFromItems } from '../regimen/nmtran.js';
import { jsonPlace } from '../regimen/file.js';
import { DURATION_ITEM, PRE_DOSE_ITEM, STANDARD_COLUMNS, givenAddl, isDose, refuseDurItem, withRows, type DataRecord } from '../regimen/record.js';
import { relevantNames } from '../engine/relevant-items.js';
import { engine as threadEngine } from '../engine/load.js';
import { outsideDomain } from '../engine/prediction-domain.js';
import { AMOUNT_LEVEL_CODE, amountObservationWarnings } from '../engine/amount-observations.js';
import { earlierIntervalWarning, hoursText, judgedDoseWarning, judgedOnText, metricArrays, metricDef, parseMetric, parseMetricSpec, readsLastInterval, regimenTimesOf, typicalDuration, windowText, type MetricDef, type MetricSpec, type RegimenTimes } from '../population/metrics.js';
import { asDefaultOutput, denseMetricSampling, refuseEmptyStatePoints, gridRowOf, metricGrid, metricOutputNote, metricTimingWarning, modelDiscontinuities, refuseFactorsOnEffect, refuseOtherOutputs } from '../population/metric-grid.js';
import { seedKey } from '../population/seed.js';
import { choleskySpd } from './linalg.js';
import { mapObjective, type ObjectiveOptions } from './objective.js';
import { checkEstimateOptions, OBJECTIVE_KEYS, refuseMissingBlqColumns, type Estimate } from './estimate.js';
import { checkOverrides } from '../engine/simulate.js';
import { optionKeys, pickKeys, refuseChoice, refuseUnknownKeys } from '../option-keys.js';
import { checkModel } from '../model/check-model.js';
import { POSTERIOR_KEYS, PosteriorDomain, checkDraws, checkFit, multimodalDrawWarnings, posteriorSample, sirWarnings } from './posterior.js';
import { quantiles } from '../stats/quantile.js';
import { carriedOccasionWarning, type MapWarning } from './warnings.js';
import { refuseLooseItems } from '../regimen/loose-items.js';
import { futureOccasionGrid, futureOnlyOccasions, occasionsBefore } from './future-occasions.js';

export interface ForecastOptions extends ObjectiveOptions {
  /** Posterior draws (default 1000). */
  readonly draws?: number;
  /** Seed of the counter-based generator (default 1). */
  readonly seed?: string | number;
  /** Credible level of the band and intervals (default 0.9: the 5 % and 95 % quantiles). */
  readonly level?: number;
  /** Exposure metrics by name (see parseMetricSpec: auc24, auctau, cmax, cmin/trough, cavg, conc@T, auc:T0:T1, ...) or as data (named by metricName). */
  readonly metrics?: readonly (string | MetricSpec)[];
  /** Sampling-importance-resampling instead of plain Laplace draws (default: Laplace, SIR where the fit found another mode within reach; see posterior.ts). */
  readonly sir?: boolean;
  readonly proposals?: number;
  readonly inflation?: number;
  /** Simulate the patient's history before the future records (default true). */
  readonly history?: boolean;
  /** Return every draw's profile at the forecast times (draws × times). */
  readonly profiles?: boolean;
}
/** Rows (mode, population, draws) per engine call in forecast(); a test sets it lower to check that blocks change no value. */
export const forecastBlocking = { rows: 1024 };

const FORECAST_KEYS = [
  ...OBJECTIVE_KEYS,
  ...optionKeys<Omit<ForecastOptions, keyof ObjectiveOptions>>({ draws: true, seed: true, level: true, metrics: true, sir: true, proposals: true, inflation: true, history: true, profiles: true }),
];

/** Refuses a credible level outside (0, 1) (1.5 or NaN gave NaN intervals); the one rule of forecast and optimizeRegimen. */
export function checkLevel(level: unknown): void {
  if (!(typeof level === 'number' && level > 0 && level < 1)) throw Errors.optionValue('level', level, 'must be in (0, 1)');
}

export interface Interval {
  /** At the MAP mode. */
  readonly mode: number;
  /** At the population typical values (all random effects 0). */
  readonly pred: number;
  readonly median: number;
  readonly lower: number;
  readonly upper: number;
  readonly mean: number;
}

export interface Forecast {
  /** Times of the future's observation records. */
  readonly times: Float64Array;
  /** Individual prediction at the MAP mode per time. */
  readonly ipred: Float64Array;
  /** Population prediction (random effects 0) per time. */
  readonly pred: Float64Array;
  /** Posterior median and the [(1 − level)/2, (1 + level)/2] quantiles per time. */
  readonly median: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly level: number;
  readonly draws: number;
  /** Draws whose simulation failed (left out of the quantiles). */
  readonly failed: number;
  readonly metrics: Readonly<Record<string, Interval>>;
  /** The metric definitions as resolved against the regimen (windows in hours). */
  readonly metricDefs: readonly MetricDef[];
  readonly method: 'laplace' | 'sir';
  /** SIR only: effective sample size of the importance weights (of `proposals`, not of the draws resampled from them). */
  readonly ess?: number;
  /** SIR only: the number of proposals weighed. */
  readonly proposals?: number;
  /** SIR only: Pareto k̂ of the importance weights (above 0.7 the draws do not stand for the posterior; warned). */
  readonly paretoK?: number;
  /** The simulated record list (history + future) and the rows of the forecast times in it. */
  readonly records: readonly DataRecord[];
  readonly rows: Int32Array;
  /** draws × times, when asked. */
  readonly profiles?: Float64Array;
  /** What limits the metrics' accuracy (e.g. a lag with IIV: the arrival differs per draw). */
  readonly warnings: readonly string[];
  /**
   * The warnings among `warnings` that have a code, as objects like an estimate's (W_IOV_CARRIED: the
   * future continues an occasion with levels), for a per-ID list beside the estimate's.
   */
  readonly occasionWarnings: readonly MapWarning[];
}

// what describes one record, not the patient, is never carried to another: the standard items, the
// BLQ flag and limit, and dosewise's own items (a dose's kept duration, a metric sample's pre-dose
// mark). A future dose given at RATE 50 (AMT 500) after one given over 10 h took its '@dur' 10 and,
// RATE matching AMT/10, ran over 10 h under F 0.8 instead of F·AMT/RATE = 8 h (6.7195 at 55 h for 8.0559)
const EXCLUDED_CARRY = new Set<string>([...STANDARD_COLUMNS, 'BLQ', 'LLOQ', DURATION_ITEM, PRE_DOSE_ITEM].map((k) => k.toUpperCase()));

/** A record that only samples the course (an observation or EVID 2 record): it must change none of its parameters. */
const isSample = (r: DataRecord): boolean => r.EVID === 0 || r.EVID === 2;
const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);

/**
 * History + future as one record list (see the header; `history: false` keeps only the future),
 * with MDV = 1 everywhere (simulation only), and which records come from the future.
 *
 * The data items a future record lacks (covariates, the occasion) are filled so that asking for
 * more times changes no parameter of the course (`timeVarying`: the model's rule):
 * - a dose or reset continues the latest value at or before it among the history and the future
 *   regimen's own earlier values (observations at 74 and 80 h after a future dose at 72 h with CRCL
 *   50 took CRCL 80 from the history's record at 50 h: 20.26/10.44 for 21.24/14.03);
 * - an observation takes the values that govern its time: under NOCB those of the first record at
 *   or after it (they hold over the interval containing it), under LOCF the latest at or before it;
 *   after the last record, the latest. An observation at 40 h inside a NOCB history took CRCL 60 and
 *   occasion 2 from the record at 32 h and, ending the interval 32–40 h, changed the fitted history:
 *   C(40) 10.99 for 6.77, and C(74) 18.35 for 18.25.
 * Values a future record gives are its own, and count as the regimen's from its time on; what
 * describes one record (its dose's kept duration, EXCLUDED_CARRY) is never filled from another.
 *
 * `levels`: the indices (into `history`) of the levels the estimate is fitted to, as its objective
 * lists them (MapObjective.observations). Without them every EVID 0 record with MDV 0 counts as one.
 * `occasion`: the model's IOV occasion item. Under NOCB a future sample past the fitted history
 * without it takes the occasion of the dose before it (occasionsBefore), not the next record's: the
 * grid after a dose of OCC 3 took the next dose's OCC 4. Without the history (`includeHistory`
 * false) a future record's occasion comes from the future alone (futureOnlyOccasions).
 * `futureIndex`: per merged record, its index in `future` (−1 for a record of the history);
 * `fittedEnd`: the time of the history's last dose, reset or fitted level (ADDL copies included);
 * −∞ without the history, none of whose course is simulated.
 */
export function forecastRecords(
  history: readonly DataRecord[],
  future: readonly DataRecord[],
  includeHistory = true,
  blq?: ObjectiveOptions['blq'],
  timeVarying: 'nocb' | 'locf' = 'nocb',
  levels?: ArrayLike<number>,
  occasion?: string,
): { records: DataRecord[]; fromFuture: Uint8Array; futureIndex: Int32Array; fittedEnd: number } {
  if (history.length === 0) throw Errors.record(0, 'ID', undefined, 'the patient has no records');
  if (future.length === 0) throw Errors.record(0, 'TIME', undefined, 'the future regimen has no records');
  const id = (history[0] as DataRecord).ID;
  const skip = new Set(EXCLUDED_CARRY);
  if (blq !== false) {
    skip.add((blq?.flag ?? 'BLQ').toUpperCase());
    skip.add((blq?.lloq ?? 'LLOQ').toUpperCase());
  }
  // the estimate was fitted to the history as it stands: a future dose before its last dose, reset or
  // measured level would change what the fit explained (a level would then follow a dose it was not
  // fitted with). Records that only sample or schedule (EVID 2, MDV 1) are not fitted: a dialysis
  // session charted ahead as an EVID 2 record at 80 h refused every future dose from 72 h.
  // a level is one the estimate fits (its objective's list): a sample charted ahead with DV '.' and
  // MDV blank (MDV reads 0) is fitted by nothing, and refused every future dose before it (at 80 h)
  const fittedLevel = new Uint8Array(history.length);
  if (levels !== undefined) for (let k = 0; k < levels.length; k++) fittedLevel[levels[k] as number] = 1;
  else history.forEach((r, i) => (fittedLevel[i] = r.EVID === 0 && r.MDV === 0 ? 1 : 0));
  const fitted = (r: DataRecord, i: number): boolean => isDose(r) || r.EVID === 3 || fittedLevel[i] === 1;
  // a dose's ADDL copies are doses of the history too: a future dose at 12 h beside a q12h ADDL 5
  // record at 0 was given with the copy there (2000 mg; cmax 69.7 for 34.9). Only the copies given:
  // a later SS = 1 dose or EVID 3/4 reset cancels the rest, and counting ADDL 10 q12h from 0 h past
  // an SS = 1 dose at 24 h refused a future dose at 48 h as before the history's last dose "at 120 h"
  const last = (r: DataRecord, i: number): number => (isDose(r) && r.II > 0 ? r.TIME + givenAddl(history, i) * r.II : r.TIME);
  const end = history.reduce((m, r, i) => (fitted(r, i) ? Math.max(m, last(r, i)) : m), -Infinity);
  if (includeHistory) {
    for (const f of future)
      if ((isDose(f) || f.EVID === 3) && f.TIME < end)
        throw Errors.record(f.row, 'TIME', f.TIME, `a future ${f.EVID === 3 ? 'reset' : 'dose'} at ${formatNumber(f.TIME)} h is before the last dose or level of the history (${formatNumber(end)} h), which the estimate was fitted without: add it to the history, or start the future regimen at or after ${formatNumber(end)} h`, 'future regimen');
  }
  // one list in the simulation's order (at equal times the history first); the history gives values
  // even where it is not simulated
  const tagged = [...history.map((r, i) => ({ r, src: 0, i })), ...future.map((r, i) => ({ r, src: 1, i }))];
  tagged.sort((a, b) => a.r.TIME - b.r.TIME || a.src - b.src || a.i - b.i);
  const n = tagged.length;
  const carried = (k: string): boolean => !skip.has(k.toUpperCase());
  // the values each position gives: a history record's, a future dose's or reset's once filled, a future sample's own
  const gives: Record<string, number>[] = new Array(n);
  // the latest value of every item at or before each position (shared objects, copied where a value changes)
  const before: Record<string, number>[] = new Array(n);
  let now: Record<string, number> = {};
  // a future dose inside the history (before records charted ahead: an EVID 2 record at 80 h) under
  // NOCB takes the values of the history's next record, which govern its time: continuing the latest
  // (WT 70 at 47.5 h) made it govern 47.5–60 h where the record at 80 h (WT 140) did, and changed the
  // fitted level at 48 h (5.5376 for 5.0909)
  const historyEnd = history.reduce((m, r) => Math.max(m, r.TIME), -Infinity);
  const nextHistory = (time: number): Record<string, number> => {
    const out: Record<string, number> = {};
    let at: number | undefined;
    for (const x of tagged) {
      if (x.src !== 0 || x.r.TIME < time || (at !== undefined && x.r.TIME !== at)) continue;
      at = x.r.TIME;
      for (const k in x.r.items) {
        const v = x.r.items[k];
        if (given(v) && carried(k)) out[k] = v;
      }
    }
    return out;
  };
  for (let p = 0; p < n; p++) {
    const t = tagged[p] as (typeof tagged)[number];
    const own: Record<string, number> = {};
    for (const k in t.r.items) {
      const v = t.r.items[k];
      if (given(v) && carried(k)) own[k] = v;
    }
    if (t.src === 1 && !isSample(t.r) && timeVarying === 'nocb' && t.r.TIME < historyEnd) {
      const next = nextHistory(t.r.TIME);
      for (const k in next) if (!(k in own)) own[k] = next[k] as number;
    }
    if (t.src === 1 && !isSample(t.r)) for (const k in now) if (!(k in own)) own[k] = now[k] as number;
    gives[p] = own;
    for (const k in own)
      if (now[k] !== own[k]) {
        now = { ...now, ...own };
        break;
      }
    before[p] = now;
  }
  const occasionAt = occasion !== undefined && timeVarying === 'nocb' ? occasionsBefore(tagged, occasion, end, gives) : undefined;
  const ownOccasion = occasion !== undefined && !includeHistory ? futureOnlyOccasions(tagged, occasion, occasionsBefore(tagged.filter((t) => t.src === 0), occasion, end, []).at(-1)) : undefined;
  // the first value given at or after each time (records at that time included, whichever list they come from)
  const after: Record<string, number>[] = new Array(n);
  let ahead: Record<string, number> = {};
  for (let hi = n - 1; hi >= 0; ) {
    let lo = hi;
    while (lo > 0 && (tagged[lo - 1] as (typeof tagged)[number]).r.TIME === (tagged[hi] as (typeof tagged)[number]).r.TIME) lo--;
    for (let p = hi; p >= lo; p--) {
      const g = gives[p] as Record<string, number>;
      for (const k in g)
        if (ahead[k] !== g[k]) {
          ahead = { ...ahead, ...g };
          break;
        }
    }
    for (let p = lo; p <= hi; p++) after[p] = ahead;
    hi = lo - 1;
  }
  const out: { r: DataRecord; src: number; i: number }[] = [];
  for (let p = 0; p < n; p++) {
    const t = tagged[p] as (typeof tagged)[number];
    if (t.src === 0) {
      if (includeHistory) out.push({ r: { ...t.r, MDV: 1 }, src: 0, i: -1 });
      continue;
    }
    const f = t.r;
    // a sample under NOCB: the values governing its interval, then (after the last record that gives one) the latest
    // (before any record that gives a value, the first one after: the patient's value then)
    const items: Record<string, number> = {};
    const a = after[p] as Record<string, number>;
    const b = before[p] as Record<string, number>;
    for (const k in a) items[k] = a[k] as number;
    for (const k in b) items[k] = b[k] as number;
    if (isSample(f) && timeVarying === 'nocb') for (const k in a) items[k] = a[k] as number;
    // past the fitted history, the occasion of the dose before it (the NOCB value is the next dose's)
    const occ = occasionAt?.[p];
    if (occasion !== undefined && occ !== undefined && isSample(f) && f.TIME >= end && !given(f.items[occasion])) items[occasion] = occ;
    // a history not simulated gives no occasion: interleaved by time, its levels put the future on theirs
    const own = ownOccasion?.[p];
    if (occasion !== undefined && own !== undefined) items[occasion] = own;
    for (const k in f.items) {
      const v = f.items[k] as number;
      if (given(v) || !(k in items)) items[k] = v;
    }
    // the standard fields from the record itself, as simulate() reads them: from `items` an edited
    // future dose ({ ...r, AMT: 2000 }) was forecast at its old amount
    for (const k of STANDARD_COLUMNS) if (k !== 'ID' && k !== 'DV') items[k] = f[k];
    items.ID = id;
    out.push({ r: { ...recordFromItems(items, f.row, 'future regimen'), MDV: 1 }, src: 1, i: t.i });
  }
  return { records: out.map((o) => o.r), fromFuture: Uint8Array.from(out, (o) => o.src), futureIndex: Int32Array.from(out, (o) => o.i), fittedEnd: includeHistory ? end : -Infinity };
}

/**
 * Refuses a value of the future regimen that no patient has (a 0/1 flag given 2, a serum creatinine
 * in µmol/L for a model reading mg/dL: refuseFlagItems), naming the regimen's `file` and the record
 * it gives it: `doses.0.items.SCR` of a regimen JSON, the row of a regimen CSV. Checked among the
 * merged records, SCR 212 of fut15.json's dose was named "d15.csv, row 3" (the history's file, and
 * a row holding 0.8 there).
 */
export function refuseFutureItems(model: Model, future: readonly DataRecord[], file: string): void {
  refuseFlagItems(model, future, file, jsonPlace);
}

/**
 * Forecast of a future regimen for a patient with a MAP estimate.
 *
 * @example
 * const fit = estimate(model, history);
 * const future = regimen().dose({ time: 48, amt: 1000, dur: 1, addl: 3, ii: 12 }).observe({ grid: { from: 48, to: 96, step: 1 } }).records();
 * const f = forecast(model, history, fit, future, { draws: 1000, seed: 1, metrics: ['auc24', 'trough'] });
 * f.lower[10], f.upper[10]; f.metrics.auc24.median;
 */
export function forecast(model: Model, patientRecords: readonly DataRecord[], fit: Estimate, future: readonly DataRecord[], options: ForecastOptions = {}): Forecast {
  checkModel(model, 'forecast()');
  refuseUnknownKeys(options, FORECAST_KEYS, 'forecast()');
  const draws = options.draws ?? 1000;
  const level = options.level ?? 0.9;
  checkDraws(draws);
  checkLevel(level);
  // the history and the future as readNmtran would take them (a future dose of AMT 0 or a TIME
  // string ran as no dose), and an Estimate as the fit (null ended in a bare TypeError)
  checkRecords(patientRecords, 'records', options.file);
  checkRecords(future, 'future', 'future regimen', false);
  // a record built in code without a row is named by its position + 1 in its array (withRows)
  patientRecords = withRows(patientRecords);
  future = withRows(future);
  refuseItemValues(relevantNames(model), patientRecords, options.file);
  refuseItemValues(relevantNames(model), future, 'future regimen');
  refuseLooseItems(model, patientRecords, 'records', options.file);
  refuseLooseItems(model, future, 'future', 'future regimen');
  checkFit(fit);
  // only an absent seed is the default: null ran as seed 1, and '' or {} as seeds of their own
  const seed = options.seed === undefined ? 1 : options.seed;
  seedKey(seed);
  checkEstimateOptions(options);
  checkOverrides(model, options.overrides);
  refuseMissingBlqColumns(patientRecords, options.blq);
  for (const k of ['sir', 'history', 'profiles'] as const) refuseChoice(k, options[k], [true, false]);
  if (options.metrics !== undefined && !Array.isArray(options.metrics)) throw Errors.optionValue('metrics', options.metrics, 'must be an array of metric names or specs (e.g. [\'auc24\', \'trough\'])');
  const eng = options.engine ?? threadEngine(model);
  const opts = { ...options, engine: eng };

  refuseDurItem(future, relevantNames(model), 'future regimen');
  refuseFutureItems(model, future, 'future regimen');
  const changed = options.history ?? true ? changedHistoryWarnings(model, patientRecords, future) : [];
  // the patient's objective, as the estimate and the posterior build it: its levels are those the
  // estimate fits (forecastRecords' check), and the posterior draws reuse it
  const historyObjective = options.history ?? true ? mapObjective(model, patientRecords, pickKeys(opts, OBJECTIVE_KEYS)) : undefined;
  const { records: mergedAll, fromFuture, futureIndex, fittedEnd } = forecastRecords(patientRecords, future, options.history ?? true, options.blq, model.timeVarying, historyObjective?.observations, model.iov?.occasion);
  // the history's levels of another output are the default output's samples in the metric profile
  // (they were read as its values: a metabolite's cmax was the parent's level at 1 h)
  const merged = options.metrics !== undefined && options.metrics.length > 0 ? asDefaultOutput(model, mergedAll) : mergedAll;
  // a parameter that reads the TIME item reads it from the record governing each interval, and an added
  // observation or metric sample does not govern one of the course (see governedTime)
  const readsTime = model.inputs.includes('TIME');
  const simulated = readsTime ? governedTime(merged, fromFuture, model.timeVarying) : merged;
  const rowList: number[] = [];
  // EVID 2 records are predictions too, as simulate() prints them (they were dropped without a word)
  merged.forEach((r, i) => {
    if (fromFuture[i] === 1 && (r.EVID === 0 || r.EVID === 2)) rowList.push(i);
  });
  if (rowList.length === 0) throw Errors.optionValue('regimen', `${future.length} records`, 'the future regimen has no observation records (EVID 0 or 2): add observation times or a grid');
  const rows = Int32Array.from(rowList);
  const times = Float64Array.from(rowList, (i) => (merged[i] as DataRecord).TIME);
  const end = Math.max(...times);
  const regimenTimes = regimenTimesOf(merged, end, typicalDuration(model), planStart(future));
  const asked = options.metrics ?? [];
  const metricDefs = asked.map((m) => (typeof m === 'string' ? parseMetric(m, regimenTimes) : metricDef(m, regimenTimes)));
  const windows = intervalWarnings(regimenTimes, metricDefs.filter((_, j) => readsLastInterval(specOf(asked[j] as string | MetricSpec))), future);
  refuseEmptyStatePoints(metricDefs, merged);
  // metrics are the default output's: a future grid observing another one mixed both profiles
  if (metricDefs.length) refuseOtherOutputs(model, future, 'future regimen');
  refuseFactorsOnEffect(model, metricDefs);

  // the posterior draws over the estimated effects
  const post = posteriorSample(model, patientRecords, fit, { ...pickKeys(opts, POSTERIOR_KEYS), draws, seed, sir: options.sir, proposals: options.proposals, inflation: options.inflation, objective: historyObjective });
  // simulated on the metric grid (pre-dose samples added at doses); outputs read the merged rows
  // and every 1/4 h inside the windows (1/24 h in infusions), so that no display grid decides an AUC or a Cmax
  const grid0 = futureOccasionGrid(metricGrid(simulated, model.timeVarying, { windows: metricDefs, events: metricDefs.length ? modelDiscontinuities(model, simulated) : undefined, dense: denseMetricSampling(metricDefs) }), fromFuture, model.iov?.occasion, fittedEnd, model.timeVarying);
  const grid = readsTime ? { ...grid0, records: sampleTimes(grid0.records, grid0.source, model.timeVarying) } : grid0;
  // the draws vary the random effects: a dose timing that reads them arrives off the grid
  const timing = metricTimingWarning(model, merged, new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]), metricDefs);
  const simRow = gridRowOf(grid);
  const obj = mapObjective(model, grid.records, { ...opts, blq: false });
  const dimC = obj.dim;
  const from = obj.labels.map((l) => fit.labels.indexOf(l));
  const fresh = from.map((f, i) => (f < 0 ? i : -1)).filter((i) => i >= 0);
  // κ of new occasions: prior draws
  let newDraws: Float64Array | undefined;
  if (fresh.length) {
    const nf = fresh.length;
    const P = new Float64Array(nf * nf);
    fresh.forEach((a, i) => fresh.forEach((b, j) => (P[i * nf + j] = obj.priorCovariance[a * dimC + b] as number)));
    const L = choleskySpd(P, nf) as Float64Array;
    const z = eng.random(seedKey(seed), 0, draws, PosteriorDomain.newOccasion, nf, true);
    newDraws = new Float64Array(draws * nf);
    for (let k = 0; k < draws; k++)
      for (let i = 0; i < nf; i++) {
        let v = 0;
        for (let j = 0; j <= i; j++) v += (L[i * nf + j] as number) * (z[k * nf + j] as number);
        newDraws[k * nf + i] = v;
      }
  }
  // rows: 0 = mode, 1 = population (all 0), 2.. = draws
  const count = draws + 2;
  const xs = new Float64Array(count * dimC);
  for (let i = 0; i < dimC; i++) {
    const f = from[i] as number;
    if (f >= 0) xs[i] = fit.x[f] as number;
  }
  for (let k = 0; k < draws; k++) {
    const o = (k + 2) * dimC;
    for (let i = 0; i < dimC; i++) {
      const f = from[i] as number;
      if (f >= 0) xs[o + i] = post.x[k * post.dim + f] as number;
    }
    if (newDraws) fresh.forEach((i, j) => (xs[o + i] = (newDraws as Float64Array)[k * fresh.length + j] as number));
  }
  const nT = rows.length;
  const gridRows = Int32Array.from(rows, (r) => simRow[r] as number);
  const m = metricDefs.length;
  // every row's outputs (nT values), metrics and success, simulated FORECAST_BLOCK rows at a time: a
  // dose timing or time switch that reads η gives each draw its own event table, and 20,000 draws'
  // tables in one call took 824 MB (a million, 41 GB); with metrics only the output rows come back
  // (the metric samples stay in the engine). Rows are solved one by one, so blocks change no value.
  const out = new Float64Array(count * nT);
  const okAll = new Uint8Array(count);
  const metricAll = new Float64Array(count * m);
  const block = forecastBlocking.rows;
  for (let first = 0; first < count; first += block) {
    const c = Math.min(block, count - first);
    const sim = obj.simulate(xs.subarray(first * dimC, (first + c) * dimC), c, m ? metricArrays(metricDefs, grid.edgeOnly) : undefined, m ? gridRows : undefined);
    const nRec = m ? nT : grid.records.length;
    for (let k = 0; k < c; k++) {
      okAll[first + k] = sim.ok[k] ? 1 : 0;
      for (let j = 0; j < nT; j++) out[(first + k) * nT + j] = sim.obs[k * nRec + (m ? j : (gridRows[j] as number))] as number;
    }
    if (m) metricAll.set((sim.metrics as Float64Array).subarray(0, c * m), first * m);
  }

  const ipred = new Float64Array(nT);
  const pred = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    ipred[j] = out[j] as number;
    pred[j] = out[nT + j] as number;
    // a prediction outside the observation's domain (a text's sqrt of a negative value): refused at
    // the mode as simulate() refuses it, and a draw with one is a failed draw, not a NaN among the
    // band's values (a band of 1.351–5.615 printed beside a MAP prediction that was not a number)
    for (const k of [0, 1]) {
      const v = out[k * nT + j] as number;
      if (v - v === 0) continue;
      const rec = merged[rows[j] as number] as DataRecord;
      throw Errors.solver(`ID ${rec.ID}, TIME ${rec.TIME}: the ${k === 0 ? 'MAP' : 'typical (η = 0)'} prediction is ${v === v ? 'infinite' : 'not a number'} there (${outsideDomain(model, v)})`, rec.row);
    }
  }
  for (let k = 2; k < count; k++) {
    if (!okAll[k]) continue;
    for (let j = 0; j < nT; j++) {
      const v = out[k * nT + j] as number;
      if (v - v !== 0) {
        okAll[k] = 0;
        break;
      }
    }
  }
  const okRows: number[] = [];
  for (let k = 2; k < count; k++) if (okAll[k]) okRows.push(k);
  const n = okRows.length;
  const pLo = (1 - level) / 2;
  const pHi = (1 + level) / 2;
  const buf = new Float64Array(n);
  const ps = [pLo, 0.5, pHi];
  const q = new Float64Array(3);
  const median = new Float64Array(nT);
  const lower = new Float64Array(nT);
  const upper = new Float64Array(nT);
  const profiles = options.profiles ? out.slice(2 * nT) : undefined;
  // the output rows of every draw, read draw by draw (a draw's rows are contiguous; reading row by
  // row strides through all draws' profiles, which the metric windows' samples make long)
  const byRow = new Float64Array(nT * n);
  for (let i = 0; i < n; i++) {
    const at = (okRows[i] as number) * nT;
    for (let j = 0; j < nT; j++) byRow[j * n + i] = out[at + j] as number;
  }
  for (let j = 0; j < nT; j++) {
    buf.set(byRow.subarray(j * n, (j + 1) * n));
    quantiles(buf, n, ps, q);
    lower[j] = q[0] as number;
    median[j] = q[1] as number;
    upper[j] = q[2] as number;
  }
  const metrics: Record<string, Interval> = {};
  metricDefs.forEach((d, j) => {
    const mv = metricAll;
    let s = 0;
    let good = 0;
    for (let i = 0; i < n; i++) {
      const v = mv[(okRows[i] as number) * m + j] as number;
      if (Number.isNaN(v)) continue;
      buf[good++] = v;
      s += v;
    }
    quantiles(buf, good, ps, q);
    metrics[d.name] = {
      mode: mv[j] as number,
      pred: mv[m + j] as number,
      median: q[1] as number,
      lower: q[0] as number,
      upper: q[2] as number,
      mean: good ? s / good : NaN,
    };
  });
  // the occasion each future record is simulated on (its own, or the one it is filled with)
  const filled = new Array<DataRecord | undefined>(future.length);
  futureIndex.forEach((j, i) => {
    if (j >= 0) filled[j] = mergedAll[i];
  });
  const occasionWarnings = carriedOccasionWarning(model, patientRecords, future, `give the future records an ${model.iov?.occasion} of their own to forecast a new occasion`, filled);
  return {
    times,
    ipred,
    pred,
    median,
    lower,
    upper,
    level,
    draws,
    failed: draws - n,
    metrics,
    metricDefs,
    method: post.method,
    ess: post.ess,
    proposals: post.proposals,
    paretoK: post.paretoK,
    records: merged,
    rows,
    profiles,
    warnings: [
      ...approximationWarnings(model),
      ...(timing === undefined ? [] : [timing]),
      ...windows,
      ...(metricDefs.length ? metricOutputNote(model) : []),
      ...sirWarnings(post, "the bands' tails", 'proposals'),
      ...multimodalDrawWarnings(fit, options.sir, post),
      ...changed,
      ...occasionWarnings.map((w) => w.message),
      // the future grid's own (the history's levels are the estimate's W_LEVEL_AMOUNT)
      ...amountObservationWarnings(model, future, 'future regimen').map((w) => `${AMOUNT_LEVEL_CODE}: ${w}`),
      ...forecastRecordWarnings(model, patientRecords, future, options.overrides),
      // a future dose on a charted bag still running: both given, said (optimize --from waits for its end)
      ...(options.history ?? true
        ? futureDosesInInfusion(patientRecords, future).map((x) => `${DOSE_DURING_INFUSION}: future regimen: ${doseInInfusionWords(x, (h) => `${formatNumber(h)} h`, `future regimen row ${x.dose.row}`, `records row ${x.infusion.row}`)}`)
        : []),
    ],
    occasionWarnings,
  };
}

/** The first dose of the future regimen: doses from it on are spaced on their own (regimenTimesOf's `plan`). */
export function planStart(future: readonly DataRecord[]): number | undefined {
  const t = Math.min(...future.filter(isDose).map((r) => r.TIME));
  return t < Infinity ? t : undefined;
}

const specOf = (m: string | MetricSpec): MetricSpec => (typeof m === 'string' ? parseMetricSpec(m) : m);

/**
 * What the metrics `defs` that read the last dosing interval are judged on, where it is not the last
 * dose's: an earlier interval, the grid ending inside the last (W_EARLIER_INTERVAL), or none, the
 * last doses having no II and no regular spacing (W_NO_INTERVAL). Without an interval they read
 * windows that the grid's end sets and that move with it: a q24h plan without II after a late dose
 * judged auc24 on 80–104 h and the trough at 104 h (589.57, 18.92) for 657.27 and 20.50 over its
 * interval. A continuous infusion has no interval by design; its interval metrics are refused.
 */
function intervalWarnings(t: RegimenTimes, defs: readonly MetricDef[], future: readonly DataRecord[]): string[] {
  const before = gridBeforePlanWarning(t, defs, future);
  if (before !== undefined) return [before];
  const earlier = earlierIntervalWarning(t, 'future regimen', defs.map((d) => d.name));
  if (earlier !== undefined) return [earlier];
  // a last future dose with II but no ADDL or SS is one dose: said as such, not as a dose "without II"
  if (t.unrepeated !== undefined) return [judgedDoseWarning(t, 'future regimen', defs.map((d) => d.name))].filter((w) => w !== undefined);
  // a dose off the spacing, or an extra one inside the last interval: the interval judged (W_IRREGULAR_DOSE,
  // W_EXTRA_DOSE), said by the command line alone (a q12h plan with its 60-h dose at 60.25 h, judged as ii 12)
  const judged = t.tau > 0 ? judgedDoseWarning(t, 'future regimen', defs.map((d) => d.name)) : undefined;
  if (judged !== undefined) return [judged];
  if (t.tau > 0 || t.continuous !== undefined || defs.length === 0) return [];
  const read = defs.map((d) => `${d.name} ${windowText(d, hoursText)} h`).join(', ');
  return [
    `W_NO_INTERVAL: future regimen: the last dose (at ${hoursText(t.lastDose)} h) has no dosing interval (no II, and not two or more doses at a regular spacing), so the metrics of the interval are read on windows that end where the observation grid ends (${hoursText(t.end)} h; auc24 its last 24 h, the others from the last dose on) and move with it: ${read}; ` +
      'to judge a dosing interval, give the future doses with ii (and addl for the repeats, e.g. "ii": 24, "addl": 1), or windows of your own (auc:T0:T1, trough:T0:T1)',
  ];
}

/**
 * W_EARLIER_INTERVAL where the observation grid ends at or before the future regimen's first dose:
 * no interval of the plan is in the profile, so the metrics `defs` of the last interval are the
 * history's. map-future.json observed on 24–48 h (or with a step longer than its span, the single
 * time 48) printed auc24 336.21 (24–48 h), cmax and trough of 36–48 h as the forecast of the four
 * future doses, exit 0 and no word, where a grid ending 2 h into the plan's first interval was
 * warned (cutDose). Said, not refused: the window is printed and a user may mean it.
 */
function gridBeforePlanWarning(t: RegimenTimes, defs: readonly MetricDef[], future: readonly DataRecord[]): string | undefined {
  const start = planStart(future);
  if (start === undefined || defs.length === 0) return undefined;
  const eps = 1e-9 * Math.max(1, Math.abs(start));
  // the profile reaches past the plan's first dose (its interval judged, or cut: cutDose), or holds no history dose
  if (t.end - start > eps || !(start - t.lastDose > eps)) return undefined;
  // the first plan dose's interval ends at its II, else at the next plan dose
  const doses = future.filter(isDose);
  const ii = Math.max(0, ...doses.filter((r) => Math.abs(r.TIME - start) <= eps).map((r) => r.II));
  const next = Math.min(...doses.map((r) => r.TIME).filter((x) => x - start > eps));
  const due = ii > 0 ? start + ii : next < Infinity ? next : undefined;
  const names = defs.map((d) => d.name);
  return (
    `W_EARLIER_INTERVAL: future regimen: the observation grid ends at ${hoursText(t.end)} h, ${t.end - start < -eps ? 'before' : 'at'} the future regimen's first dose (${hoursText(start)} h), ` +
    `so ${judgedOnText(t, names, ' of the history, not on the future regimen', hoursText)}; ` +
    (due !== undefined
      ? `to judge the dose at ${hoursText(start)} h, observe up to ${hoursText(due)} h (add the time ${hoursText(due)} to "observe", or a grid that ends on it)`
      : `to judge the future regimen, observe after its first dose (${hoursText(start)} h)`)
  );
}

/**
 * Says where a future observation inside the history (before its last record) gives a value of an
 * item the model reads other than the one governing its time in the history (NOCB: the first
 * record at or after it; LOCF: the latest at or before it): as the record ending its interval (NOCB)
 * or starting the next (LOCF), it changes the history the estimate was fitted to. Said, not refused:
 * the report's curve over the history (cli/forecast.ts plotCurve) gives its grid the first future
 * observation's items.
 */
function changedHistoryWarnings(model: Model, history: readonly DataRecord[], future: readonly DataRecord[]): string[] {
  const end = history.reduce((m, r) => Math.max(m, r.TIME), -Infinity);
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? []), ...STANDARD_COLUMNS]);
  const read = model.inputs.filter((k) => !effects.has(k));
  const found = new Map<string, { f: DataRecord; from: DataRecord; count: number }>();
  for (const f of future) {
    if (!isSample(f) || !(f.TIME < end)) continue;
    for (const k of read) {
      const v = f.items[k];
      if (!given(v)) continue;
      let from: DataRecord | undefined;
      if (model.timeVarying === 'nocb') from = history.find((h) => h.TIME >= f.TIME && given(h.items[k]));
      else for (const h of history) if (h.TIME <= f.TIME && given(h.items[k])) from = h;
      if (from === undefined || from.items[k] === v) continue;
      const seen = found.get(k);
      if (seen) seen.count++;
      else found.set(k, { f, from, count: 1 });
    }
  }
  return [...found].map(([k, { f, from, count }]) => {
    const place = jsonPlace(f);
    return (
      `future regimen, ${place === undefined ? `row ${f.row}` : `${place}.items.${k}`}${count > 1 ? ` and ${count - 1} more` : ''}: the observation at ${formatNumber(f.TIME)} h lies inside the history (its last record is at ${formatNumber(end)} h) and gives ${k} ${f.items[k]}, ` +
      `where the history's record at ${formatNumber(from.TIME)} h (row ${from.row}) gives ${from.items[k]} (model ${model.name} is ${model.timeVarying.toUpperCase()}): as given, it changes the history the estimate was fitted to; leave ${k} out of such records to take the history's values`
    );
  });
}

/**
 * The records as simulated for a model whose parameters read the TIME data item (CL = (TIME > 5 ?
 * 8 : 4)·…): a future observation inside the course (a record of the history or a future dose or
 * reset after it) reads TIME from the record that governs its time (NOCB: the first such record at
 * or after it; LOCF: the latest at or before it), so that it changes no parameter of the course, as
 * forecastRecords fills its covariates. The record's own time (`TIME`) is unchanged. After the last
 * such record the observations are the course and read their own TIME, as simulate() reads them.
 */
function governedTime(records: readonly DataRecord[], fromFuture: Uint8Array, timeVarying: 'nocb' | 'locf'): DataRecord[] {
  const course = records.filter((r, i) => fromFuture[i] === 0 || !isSample(r));
  const last = course.reduce((m, r) => Math.max(m, r.TIME), -Infinity);
  return records.map((r, i) => {
    if (fromFuture[i] === 0 || !isSample(r) || !(r.TIME < last)) return r;
    // the course in time order (records are): the first at or after r.TIME (NOCB), or the latest at or before it (LOCF)
    let lo = 0;
    let hi = course.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timeVarying === 'nocb' ? (course[mid] as DataRecord).TIME < r.TIME : (course[mid] as DataRecord).TIME <= r.TIME) lo = mid + 1;
      else hi = mid;
    }
    const from = timeVarying === 'nocb' ? course[lo] : course[lo - 1];
    return from === undefined ? r : { ...r, items: { ...r.items, TIME: timeItem(from) } };
  });
}

const timeItem = (r: DataRecord): number => {
  const t = r.items.TIME;
  return t !== undefined && !Number.isNaN(t) ? t : r.TIME;
};

/**
 * The metric grid's added samples (source −1) with the TIME item of the record they copy their
 * items from (metricGrid: NOCB the next record, LOCF the one before): they carried their own time,
 * so with auc:1:10 a CL that steps at TIME 5 stepped at 5 h instead of over the interval ending at
 * the record at 10 h (IPRED at 10 h 5.9753 where conc@10 gave 4.4229).
 */
function sampleTimes(records: readonly DataRecord[], source: Int32Array, timeVarying: 'nocb' | 'locf'): DataRecord[] {
  const out = records.slice();
  let prev: DataRecord | undefined;
  const nextOf = new Array<DataRecord | undefined>(records.length);
  let next: DataRecord | undefined;
  for (let i = records.length - 1; i >= 0; i--) {
    if ((source[i] as number) >= 0) next = records[i];
    nextOf[i] = next;
  }
  records.forEach((r, i) => {
    if ((source[i] as number) >= 0) {
      prev = r;
      return;
    }
    const from = timeVarying === 'locf' && prev !== undefined ? prev : (nextOf[i] ?? prev);
    if (from !== undefined) out[i] = { ...r, items: { ...r.items, TIME: timeItem(from) } };
  });
  return out;
}

