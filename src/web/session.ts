// What the what-if tool's worker does, as plain synchronous code (worker.ts only wraps it in
// Comlink): compile the chosen model, MAP-estimate the patient, then forecast any what-if regimen on
// that posterior and rank candidate regimens with the optimizer. The session keeps the latest
// estimate, so what-if changes re-forecast without re-estimating. Results are plain objects and
// typed arrays (structured-clone friendly).

import { defineModel, type Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { estimate, type Estimate } from '../bayes/estimate.js';
import { forecast, forecastRecords } from '../bayes/forecast.js';
import { futureOccasionGrid } from '../bayes/future-occasions.js';
import { mapObjective } from '../bayes/objective.js';
import { metricArrays, metricDef, regimenTimesOf } from '../population/metrics.js';
import { denseMetricSampling, gridRowOf, metricGrid, modelDiscontinuities } from '../population/metric-grid.js';
import { optimizeRegimen } from '../design/optimize/optimize.js';
import { adviseFromState, type AdviceResult } from '../design/optimize/advice.js';
import { SUGGEST_INTERVALS, infusionLongerThanIntervals, type AdviceRequest } from './advice.js';
import { FORECAST_LEVEL, FORECAST_SEED, WHATIF_METRICS, futureRecords, historyDoses, historyRecords, type DoseSeries, type GivenDose, type PatientCase } from './case.js';
import { MODEL_FILES, modelInfo, type ModelInfo } from './models.js';
import { explanationSection } from '../report/explain.js';
import type { ReportSection } from '../report/html.js';

export interface EstimateSummary {
  readonly model: string;
  /** η in model.omega order, with names. */
  readonly eta: number[];
  readonly etaNames: readonly string[];
  /** Posterior standard deviation of each η (Laplace). */
  readonly etaSd: number[];
  readonly parameters: Record<string, number>;
  readonly se: Record<string, number>;
  readonly ofv: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly message: string;
  readonly observations: number;
  /** Levels the estimate cannot be trusted on (uninformative or implausible), with why; then warnings on the estimate itself (no time). */
  readonly warnings: readonly { readonly code: string; readonly time?: number; readonly message: string }[];
  /** The explanation section of the CLI's reports (src/report/explain.ts), for the printed page. */
  readonly explanation: ReportSection;
  /** Wall time of the estimation in the worker (ms). */
  readonly ms: number;
}

export interface IntervalSummary {
  readonly mode: number;
  readonly median: number;
  readonly lower: number;
  readonly upper: number;
}

/** The forecast of one more output of a model with several (see ForecastSummary.others). */
export interface OutputForecast {
  readonly dvid: number;
  readonly ipred: Float64Array;
  readonly median: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** The observation rows of what-if records measuring another output: its compartment and DVID. */
function asOutput(future: readonly DataRecord[], o: { readonly compartment: number; readonly dvid: number }): DataRecord[] {
  return future.map((r) => (r.EVID === 0 ? { ...r, CMT: o.compartment, items: { ...r.items, CMT: o.compartment, DVID: o.dvid } } : r));
}

/** The outputs of a model other than the one it observes by default. */
function otherOutputs(model: Model): { readonly compartment: number; readonly dvid: number }[] {
  return [...(model.outputs?.values() ?? [])].filter((o) => o.compartment !== model.observeCompartment);
}

export interface ForecastSummary {
  readonly times: Float64Array;
  /** At the MAP mode. */
  readonly ipred: Float64Array;
  /** At the population typical values. */
  readonly pred: Float64Array;
  readonly median: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly level: number;
  readonly draws: number;
  readonly failed: number;
  /**
   * For a model with several outputs: the forecast of each output the model does not observe by
   * default (on `times`, the same posterior draws and seed), as forecast() gives it for observation
   * records of that output's compartment and DVID.
   */
  readonly others?: readonly OutputForecast[];
  /** Over the what-if regimen's last dosing interval; AUC24 = AUCτ · 24/τ. */
  readonly auc24: IntervalSummary;
  readonly trough: IntervalSummary;
  readonly peak: IntervalSummary;
  readonly ms: number;
}

/**
 * The what-if curve at the MAP mode only (one single-subject simulation, no posterior draws): what
 * the page draws at once when the regimen changes, before its credible band arrives. Its numbers
 * equal the mode of forecast() (ipred, and the `mode` of each metric) for the same regimen.
 */
export interface ModeSummary {
  readonly times: Float64Array;
  readonly ipred: Float64Array;
  /** AUC24 (from the last interval's AUC, as in ForecastSummary), trough and peak at the mode. */
  readonly auc24: number;
  readonly trough: number;
  readonly peak: number;
  /** Wall time in the worker (ms): records, event table and the one simulation. */
  readonly ms: number;
  /** For a model with several outputs: the mode curve of each output the model does not observe by default (on `times`). */
  readonly others?: readonly { readonly dvid: number; readonly ipred: Float64Array }[];
}

export interface SuggestRequest {
  /** AUC24 window (mg·h/L); a blank end (undefined) is no limit. */
  readonly lo?: number;
  readonly hi?: number;
  /** Infusion time of every candidate (h). */
  readonly infusion: number;
  readonly doses?: readonly number[];
  readonly intervals?: readonly number[];
  readonly draws?: number;
  readonly top?: number;
}

export interface Suggestion {
  readonly dose: number;
  readonly interval: number;
  readonly infusion: number;
  /** Probability that AUC24 is in the window (posterior draws), with its Monte Carlo SE. */
  readonly probability: number;
  readonly probabilitySe: number;
  readonly auc24: { readonly median: number; readonly lower: number; readonly upper: number };
}

export interface SuggestResult {
  readonly suggestions: Suggestion[];
  readonly evaluated: number;
  readonly draws: number;
  readonly target: string;
  readonly basis: 'posterior' | 'prior';
  /** Level warnings of the estimate the ranking rests on (as in EstimateSummary). */
  readonly warnings: readonly { readonly code: string; readonly time?: number; readonly message: string }[];
  readonly ms: number;
}

/** The advice from the patient's current state (adviseFromState's result), with its level warnings as in EstimateSummary. */
export type AdviceSummary = Omit<AdviceResult, 'warnings'> & {
  readonly warnings: readonly { readonly code: string; readonly time?: number; readonly message: string }[];
  readonly ms: number;
};

/** Doses 250, 500, …, 3000 mg (rounded to 250 mg); intervals SUGGEST_INTERVALS (8, 12, 24 h). */
export const SUGGEST_DOSES: readonly number[] = Array.from({ length: 12 }, (_, i) => 250 * (i + 1));

const now = (): number => globalThis.performance.now();

function interval(i: { mode: number; median: number; lower: number; upper: number } | undefined, scale = 1): IntervalSummary {
  if (!i) return { mode: NaN, median: NaN, lower: NaN, upper: NaN };
  return { mode: i.mode * scale, median: i.median * scale, lower: i.lower * scale, upper: i.upper * scale };
}

export class WhatIfSession {
  readonly #compiled = new Map<string, Model>();
  #model: Model | undefined;
  #key: string | undefined;
  #records: DataRecord[] = [];
  #history: GivenDose[] | undefined;
  #fit: Estimate | undefined;

  /** The compiled model of a key (compiled once). */
  model(key: string): Model {
    let m = this.#compiled.get(key);
    if (!m) {
      const file = MODEL_FILES[key];
      if (file === undefined) throw new Error(`unknown model ${key} (known: ${Object.keys(MODEL_FILES).join(', ')})`);
      m = defineModel(file);
      this.#compiled.set(key, m);
    }
    return m;
  }

  /**
   * Adds a model of the user's (a model file, or a model text with its compiled kernel) under `key`;
   * its description for the page. Invalid models throw with the field or line that is wrong.
   */
  addModel(key: string, file: unknown): ModelInfo {
    const m = defineModel(file);
    this.#compiled.set(key, m);
    return modelInfo(key, m);
  }

  /** Every bundled model, described for the page. */
  describe(): ModelInfo[] {
    return Object.keys(MODEL_FILES).map((k) => modelInfo(k, this.model(k)));
  }

  /** MAP estimate of the case; kept for the forecasts that follow. */
  estimate(c: PatientCase): EstimateSummary {
    const t0 = now();
    const model = this.model(c.model);
    const records = historyRecords(c, model);
    const fit = estimate(model, records);
    this.#model = model;
    this.#key = c.model;
    this.#records = records;
    this.#history = historyDoses(c);
    this.#fit = fit;
    const names = model.omega?.names ?? [];
    return {
      model: c.model,
      eta: [...fit.eta],
      etaNames: names,
      etaSd: names.map((_, i) => Math.sqrt(fit.covariance?.[i]?.[i] ?? NaN)),
      parameters: { ...fit.parameters },
      se: { ...(fit.se ?? {}) },
      ofv: fit.ofv,
      converged: fit.converged,
      iterations: fit.iterations,
      message: fit.message,
      observations: c.levels.length,
      warnings: fit.warnings.map((w) => ({ code: w.code, ...('time' in w ? { time: w.time } : {}), message: w.message })),
      explanation: explanationSection(model, records[0]?.ID ?? 1, records, fit),
      ms: now() - t0,
    };
  }

  #state(): { model: Model; records: DataRecord[]; fit: Estimate } {
    if (!this.#model || !this.#fit) throw new Error('no estimate yet: estimate the patient first');
    return { model: this.#model, records: this.#records, fit: this.#fit };
  }

  /** Forecast of a what-if regimen (its doses follow the history) on the latest estimate. */
  forecast(w: DoseSeries, options: { readonly draws?: number; readonly points?: number } = {}): ForecastSummary {
    const t0 = now();
    const { model, records, fit } = this.#state();
    const future = futureRecords(w, { history: this.#history, points: options.points });
    const opts = { draws: options.draws ?? 500, seed: FORECAST_SEED, level: FORECAST_LEVEL };
    const f = forecast(model, records, fit, future, { ...opts, metrics: WHATIF_METRICS });
    const others = otherOutputs(model).map((o): OutputForecast => {
      const g = forecast(model, records, fit, asOutput(future, o), opts);
      return { dvid: o.dvid, ipred: g.ipred, median: g.median, lower: g.lower, upper: g.upper };
    });
    return {
      ...(others.length > 0 ? { others } : {}),
      times: f.times,
      ipred: f.ipred,
      pred: f.pred,
      median: f.median,
      lower: f.lower,
      upper: f.upper,
      level: f.level,
      draws: f.draws,
      failed: f.failed,
      auc24: interval(f.metrics.auctau, 24 / w.interval),
      trough: interval(f.metrics.trough),
      peak: interval(f.metrics.cmax),
      ms: now() - t0,
    };
  }

  /**
   * The what-if regimen's curve at the MAP mode: the history and the regimen as one record list
   * (forecastRecords, as forecast() merges them), one simulation of the mode point with the metrics
   * computed in the same engine call. No draws: cheap enough to redraw on every keystroke.
   */
  mode(w: DoseSeries, options: { readonly points?: number } = {}): ModeSummary {
    const t0 = now();
    const { model } = this.#state();
    const future = futureRecords(w, { history: this.#history, points: options.points });
    const main = this.#modeCurve(w, future);
    // the other outputs: the same observation times, each predicted from its output's compartment
    const others = otherOutputs(model).map((o) => ({ dvid: o.dvid, ipred: this.#modeCurve(w, asOutput(future, o)).ipred }));
    return { ...main, ...(others.length > 0 ? { others } : {}), ms: now() - t0 };
  }

  #modeCurve(w: DoseSeries, future: DataRecord[]): Omit<ModeSummary, 'ms' | 'others'> {
    const { model, records, fit } = this.#state();
    const { records: merged, fromFuture, fittedEnd } = forecastRecords(records, future, true, undefined, model.timeVarying, undefined, model.iov?.occasion);
    const rows: number[] = [];
    for (let i = 0; i < merged.length; i++) if (fromFuture[i] === 1 && (merged[i] as DataRecord).EVID === 0) rows.push(i);
    const times = Float64Array.from(rows, (i) => (merged[i] as DataRecord).TIME);
    const end = times.length ? (times[times.length - 1] as number) : 0;
    const regimenTimes = regimenTimesOf(merged, end);
    const defs = WHATIF_METRICS.map((m) => metricDef(m, regimenTimes));
    // metrics on the metric grid (pre-dose samples at doses), the curve on the merged rows
    // the dose timing of this patient (MAP η): a lag with IIV arrives where the patient's does
    const mapEta = Object.fromEntries(fit.labels.flatMap((l, i) => (l.includes('@') ? [] : [[l, fit.x[i] as number]])));
    // an occasion runs from its dose to the next one's, as forecast() reads it (futureOccasionGrid)
    const grid = futureOccasionGrid(metricGrid(merged, model.timeVarying, { windows: defs, events: modelDiscontinuities(model, merged, mapEta), dense: denseMetricSampling(defs) }), fromFuture, model.iov?.occasion, fittedEnd, model.timeVarying);
    const simRow = gridRowOf(grid);
    const obj = mapObjective(model, grid.records, { blq: false });
    const x = new Float64Array(obj.dim);
    obj.labels.forEach((l, i) => {
      const f = fit.labels.indexOf(l);
      if (f >= 0) x[i] = fit.x[f] as number;
    });
    const sim = obj.simulate(x, 1, metricArrays(defs, grid.edgeOnly));
    const ipred = Float64Array.from(rows, (r) => sim.obs[simRow[r] as number] as number);
    const mv = sim.metrics ?? new Float64Array(defs.length).fill(NaN);
    return {
      times,
      ipred,
      auc24: ((mv[0] as number) * 24) / w.interval,
      trough: mv[1] as number,
      peak: mv[2] as number,
    };
  }

  /** The top regimens for an AUC24 window on the latest estimate (src/design/optimize/optimize.ts, at steady state). */
  suggest(req: SuggestRequest): SuggestResult {
    const t0 = now();
    const { model, records, fit } = this.#state();
    const draws = req.draws ?? 1000;
    const target = `auc24:${req.lo ?? ''}:${req.hi ?? ''}`;
    const intervals = req.intervals ?? SUGGEST_INTERVALS;
    const tooLong = infusionLongerThanIntervals(req.infusion, intervals);
    if (tooLong) throw new Error(tooLong);
    const r = optimizeRegimen(
      model,
      records,
      {
        doses: req.doses ?? SUGGEST_DOSES,
        intervals: intervals.filter((tau) => tau >= req.infusion),
        infusions: [req.infusion],
        target,
        draws,
        seed: FORECAST_SEED,
        level: FORECAST_LEVEL,
        top: req.top ?? 3,
      },
      fit,
    );
    return {
      suggestions: r.ranked.map((c) => {
        const e = c.exposure.auc24 ?? { median: NaN, lo: NaN, hi: NaN };
        return { dose: c.dose, interval: c.interval, infusion: c.infusion, probability: c.pta, probabilitySe: c.ptaSe, auc24: { median: e.median, lower: e.lo, upper: e.hi } };
      }),
      evaluated: r.evaluated,
      draws: r.draws,
      target: r.target,
      basis: r.basis,
      warnings: r.warnings.map((w) => ({ code: w.code, ...('time' in w ? { time: w.time } : {}), message: w.message })),
      ms: now() - t0,
    };
  }

  /**
   * Advice from the patient's current state on the records of the latest estimate
   * (src/design/optimize/advice.ts): what `dosewise optimize --from` computes on the same records.
   * The patient is estimated again inside, with the options the command line passes, so the two
   * agree exactly.
   */
  advise(req: AdviceRequest): AdviceSummary {
    const t0 = now();
    const { model, records } = this.#state();
    const r = adviseFromState(model, records, { ...req, file: 'the page' });
    return { ...r, warnings: r.warnings.map((w) => ({ code: w.code, ...('time' in w ? { time: w.time } : {}), message: w.message })), ms: now() - t0 };
  }

  /** Key of the model of the latest estimate. */
  get modelKey(): string | undefined {
    return this.#key;
  }
}
