// Fixed vs banded vs individualized dosing, compared on ONE virtual population.
//
// Every subject i of the population (covariates and η from the seed, src/population) has a true
// exposure per unit dose e_i — the AUC24 at steady state per mg of the maintenance dose, simulated
// by the engine from its true parameters. For linear PK a strategy that gives subject i the dose
// d_i produces the true AUC24 d_i·e_i, so every strategy is judged on the same subjects by the
// fraction of them below / within / above the target window:
//
//   fixed      the best single available dose for everybody (= dose banding with one band);
//   banded     K bands of a covariate (or of a predicted parameter) with one dose each, the exact
//              optimum of src/design/banding.ts on this population;
//   a priori   d_i = centre / ê_i rounded to an available dose, with ê_i the exposure per unit dose
//              of the typical subject at i's covariates (η = 0): model-informed dosing before any level;
//   MAP        i starts on its a-priori dose; its TDM level(s) are simulated from its TRUE
//              parameters with residual error from the model's residual model (counter-based
//              normals of stream Domain.residual: the same for any worker count); a MAP estimate η̂
//              from those levels (cohort estimation on the worker pool) gives ê_i at η̂ and the dose
//              d_i = centre / ê_i rounded; the outcome is again the true AUC24 d_i·e_i;
//   optimum    d_i = centre / e_i rounded: the best any strategy can do with these doses (the true
//              parameters known), a reference row.
//
// Rounding is "nearest available dose, ties up" (the project's rule, src/design/rounding.ts); with
// a window [lo, hi] the dose whose AUC is nearest the centre is within the window whenever any
// available dose is, so the optimum row is the exact upper bound. Results are deterministic for a
// seed, whatever the number of workers.

import { Errors } from '../../errors.js';
import { checkCallbacks, isNumberArray, optionKeys, refuseMissingOptions, refuseUnknownKeys, shapeOf } from '../../option-keys.js';
import { isModel } from '../../model/check-model.js';
import { defineModel, type Model, type Residual, type SolverMethod } from '../../model/model.js';
import { notDoseProportional } from '../../model/dose-proportional.js';
import { regimen } from '../../regimen/builder.js';
import { recordFromItems } from '../../regimen/nmtran.js';
import type { DataRecord } from '../../regimen/record.js';
import { engine as threadEngine } from '../../engine/load.js';
import type { Engine } from '../../engine/wasm.js';
import { inlinePool } from '../../pool/inline.js';
import { nodePool } from '../../pool/node.js';
import type { TaskPool } from '../../pool/protocol.js';
import { runChunks } from '../../pool/run-chunks.js';
import { Domain } from '../../population/plan.js';
import { metricDef, type MetricDef } from '../../population/metrics.js';
import { defaultPool, runStudy, seedKey, type StudyResult } from '../../population/study.js';
import { estimateWorkerFile, handleEstimateTask, unpackCohort, type CohortOptions, type EstimateTask } from '../../bayes/task.js';
import { checkDoses, optimizeBanding, type BandingResult } from '../banding/banding.js';
import { smallBandWarnings } from '../banding/small-bands.js';
import { populationPlan } from '../pta/pta-plan.js';
import { preparePlan, probeSubject } from '../../population/chunk.js';
import { arrivalSampling, lateSamples, metricGrid, modelDiscontinuities, timingVaries } from '../../population/metric-grid.js';
import { parametersFreeOfTime, timeReadBy } from '../../model/time-free.js';
import { SubjectSimulator } from './strategies-engine.js';
import { TDM_COLUMNS, measuredLevel, patientRecords, tdmSchedule, writePatientRows, type TdmSchedule } from './strategies-tdm.js';
import { quantileSorted } from '../../stats/quantile.js';

export { residualSd, measuredLevel, tdmSchedule, type TdmSchedule } from './strategies-tdm.js';

export interface TdmDesign {
  /** Sampling times in hours after the first dose, e.g. [36]: a trough before the 4th dose of q12h. */
  readonly times: readonly number[];
  readonly label?: string;
}

export type StrategyPhase = 'population' | 'map';

export interface CompareStrategiesOptions {
  /** Model file (JSON): linear PK, random effects (Ω) and, for the MAP strategies, a residual model. */
  readonly model: unknown;
  /** Covariate specification (src/population/covariates). */
  readonly covariates?: unknown;
  readonly files?: Readonly<Record<string, string>>;
  readonly n: number;
  readonly seed: string | number;
  /** Worker threads (default: one per core; 0 = this thread). */
  readonly workers?: number;
  /** Subjects per population task (default 10,000). */
  readonly chunkSize?: number;
  /** Patients per MAP task (default 250). */
  readonly mapChunkSize?: number;
  /** Dosing interval τ (h). */
  readonly interval: number;
  /** Infusion duration (h); 0 = bolus (default 0). */
  readonly infusion?: number;
  /** Dose compartment (default 1). */
  readonly cmt?: number;
  /** Available maintenance doses (per administration). */
  readonly doses: readonly number[];
  /** Unit of the doses in labels (e.g. "mg"). */
  readonly doseUnit?: string;
  /** Target window on AUC24 at steady state (e.g. 400–600 mg·h/L). */
  readonly window: { readonly lo: number; readonly hi: number };
  /** Banding variable: a covariate, a model parameter (individual), or pred:NAME (typical value from covariates). */
  readonly bandBy: string;
  readonly bands: number;
  /** Cut bands only at multiples of this step (e.g. 5 mL/min). */
  readonly cutStep?: number;
  readonly maxCandidates?: number;
  /** TDM designs, one MAP-guided strategy each (default: one level at 3τ, the trough before the 4th dose; [] = none). */
  readonly tdm?: readonly TdmDesign[];
  /** Residual model replacing the model file's, in the simulated levels and in the MAP estimation. */
  readonly residual?: { readonly model: Residual['model']; readonly additive?: number; readonly proportional?: number; readonly exponential?: number };
  /** Levels below this are reported as BLQ (M3 likelihood; default 0: only non-positive simulated levels). */
  readonly lloq?: number;
  /** MAP optimizer settings (defaults: gtol 1e-3, no covariance; η stays within 1e-3 of a tight fit). */
  readonly map?: Pick<CohortOptions, 'gtol' | 'restarts'>;
  readonly method?: SolverMethod;
  readonly onProgress?: (phase: StrategyPhase, done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

const STRATEGIES_KEYS = optionKeys<CompareStrategiesOptions>({
  model: true, covariates: true, files: true, n: true, seed: true, workers: true, chunkSize: true, mapChunkSize: true, interval: true, infusion: true, cmt: true,
  doses: true, doseUnit: true, window: true, bandBy: true, bands: true, cutStep: true, maxCandidates: true, tdm: true, residual: true, lloq: true, map: true,
  method: true, onProgress: true, signal: true,
});
const WINDOW_KEYS = optionKeys<CompareStrategiesOptions['window']>({ lo: true, hi: true });
const TDM_KEYS = optionKeys<TdmDesign>({ times: true, label: true });
const RESIDUAL_KEYS = optionKeys<NonNullable<CompareStrategiesOptions['residual']>>({ model: true, additive: true, proportional: true, exponential: true });
const MAP_KEYS = optionKeys<NonNullable<CompareStrategiesOptions['map']>>({ gtol: true, restarts: true });

export interface DoseCount {
  readonly dose: number;
  readonly n: number;
  readonly frac: number;
}

export interface StrategyResult {
  readonly key: string;
  readonly kind: 'fixed' | 'banded' | 'apriori' | 'map' | 'optimum';
  readonly label: string;
  readonly n: number;
  readonly below: number;
  readonly in: number;
  readonly above: number;
  readonly fracBelow: number;
  readonly fracIn: number;
  readonly fracAbove: number;
  /** Monte Carlo standard errors of the three fractions. */
  readonly se: { readonly below: number; readonly in: number; readonly above: number };
  /** How often each available dose is given (doses never given are left out). */
  readonly doses: readonly DoseCount[];
  /** True AUC24 at steady state: 5th, 50th and 95th percentiles. */
  readonly auc: { readonly p05: number; readonly p50: number; readonly p95: number };
}

export interface MapSummary {
  readonly key: string;
  readonly label: string;
  readonly times: readonly number[];
  readonly patients: number;
  readonly converged: number;
  /** Levels reported below the LLOQ. */
  readonly blq: number;
  /** Patients whose prediction at η̂ failed (they keep their a-priori dose). */
  readonly fallbacks: number;
  readonly seconds: number;
  readonly patientsPerSecond: number;
}

/** Per-subject arrays (subject order; NaN for subjects left out). */
export interface StrategySubjects {
  /** True AUC24 per unit dose, and the a-priori prediction of it. */
  readonly exposure: Float64Array;
  readonly predicted: Float64Array;
  /** Banding variable. */
  readonly by: Float64Array;
  /** Covariates, η and individual parameters from the population table. */
  readonly columns: Readonly<Record<string, Float64Array>>;
  /** Dose and true AUC24 per strategy key. */
  readonly dose: Readonly<Record<string, Float64Array>>;
  readonly auc: Readonly<Record<string, Float64Array>>;
  /** Per TDM design key: the levels (n × times, concentration scale), BLQ flags and η̂ (n × η). */
  readonly levels: Readonly<Record<string, Float64Array>>;
  readonly blq: Readonly<Record<string, Float64Array>>;
  readonly etaHat: Readonly<Record<string, Float64Array>>;
}

export interface CompareStrategiesResult {
  readonly model: string;
  readonly n: number;
  readonly seed: string;
  readonly window: { readonly lo: number; readonly hi: number; readonly centre: number };
  readonly interval: number;
  readonly infusion: number;
  readonly availableDoses: readonly number[];
  readonly referenceDose: number;
  readonly bandBy: string;
  /** Fixed, banded, a priori, one MAP row per TDM design, then the individual optimum. */
  readonly strategies: readonly StrategyResult[];
  readonly banding: BandingResult;
  readonly fixedDose: number;
  readonly map: readonly MapSummary[];
  readonly tdm: readonly (TdmSchedule & { readonly key: string; readonly label: string })[];
  readonly population: { readonly seconds: number; readonly failed: number };
  /** Subjects left out of every strategy (failed simulation or prediction). */
  readonly excluded: number;
  readonly covariateNames: readonly string[];
  readonly etaNames: readonly string[];
  readonly lloq: number;
  /** The residual model of the simulated levels and the MAP estimation. */
  readonly residual?: Residual;
  readonly seconds: number;
  readonly subjects: StrategySubjects;
  /**
   * W_BOLUS_ARRIVAL_VARIES: the true exposure of a lagged bolus whose lag differs per subject is less exact (bendTimes).
   * W_SMALL_BAND: a band of the banded strategy holds so few subjects that its fraction in the window is optimistic.
   */
  readonly warnings: readonly { readonly code: 'W_BOLUS_ARRIVAL_VARIES' | 'W_SMALL_BAND'; readonly message: string }[];
}

/** Uniform samples per dosing interval of the steady-state grid (see bendTimes for what lies between them). */
const SAMPLES_PER_INTERVAL = 48;

/**
 * Steady-state records at dose `amt`: SS = 1, then doses to cover ≥ 24 h (one interval where
 * `oneInterval`: a model free of the time repeats it, and the exposure is read per 24 h from it),
 * observed on a uniform grid, at every infusion end and at the `extra` times within it (bendTimes:
 * the grid alone misstated AUC24).
 */
export function steadyStateRecords(interval: number, infusion: number, cmt: number, amt: number, opts: { readonly extra?: readonly number[]; readonly oneInterval?: boolean } = {}): { records: DataRecord[]; end: number } {
  const extra = opts.extra ?? [];
  const k = opts.oneInterval ? 1 : Math.max(1, Math.ceil(24 / interval - 1e-9));
  const end = k * interval;
  const times = new Set<number>();
  const nGrid = SAMPLES_PER_INTERVAL * k;
  for (let g = 0; g <= nGrid; g++) times.add(Number(((g * end) / nGrid).toPrecision(12)));
  if (infusion > 0) for (let t = 0; t + infusion <= end + 1e-9; t += interval) times.add(Number((t + infusion).toPrecision(12)));
  for (const t of extra) if (t >= 0 && t <= end) times.add(Number(t.toPrecision(12)));
  // the SS dose first: the observation at time 0 is the steady-state trough, after the dose event
  // (a regimen builder puts observations before doses at equal times: pre-dose levels)
  const dose = regimen()
    .dose({ time: 0, amt, cmt, ...(infusion > 0 ? { dur: infusion } : {}), ss: 1, ii: interval, addl: k - 1 })
    .records()[0] as DataRecord;
  const records = [dose, ...[...times].sort((a, b) => a - b).map((t, i) => recordFromItems({ ID: 1, TIME: t, EVID: 0, CMT: 0, MDV: 0 }, i + 2))];
  return { records, end };
}

/** Index of the available dose nearest to x (ties: the larger dose); -1 for a non-finite x. */
export function nearestDoseIndex(doses: Float64Array, x: number): number {
  if (!Number.isFinite(x)) return -1;
  let lo = 0;
  let hi = doses.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((doses[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return 0;
  if (lo === doses.length) return doses.length - 1;
  const a = doses[lo - 1] as number;
  const b = doses[lo] as number;
  return x - a < b - x - 1e-9 * b ? lo - 1 : lo;
}

/** Outcome of giving dose[i] to each valid subject: true AUC = dose·e, classified against the window. */
function outcome(key: string, kind: StrategyResult['kind'], label: string, dose: Float64Array, e: Float64Array, valid: Uint8Array, window: { lo: number; hi: number }, doses: Float64Array): { result: StrategyResult; auc: Float64Array } {
  const n = e.length;
  const auc = new Float64Array(n).fill(NaN);
  let count = 0;
  let below = 0;
  let above = 0;
  const perDose = new Float64Array(doses.length);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    const d = dose[i] as number;
    const a = d * (e[i] as number);
    auc[i] = a;
    values.push(a);
    count++;
    if (a < window.lo) below++;
    else if (a > window.hi) above++;
    const k = nearestDoseIndex(doses, d);
    if (k >= 0) perDose[k] = (perDose[k] as number) + 1;
  }
  const inn = count - below - above;
  const f = (x: number): number => (count > 0 ? x / count : NaN);
  const se = (p: number): number => (count > 0 ? Math.sqrt((p * (1 - p)) / count) : NaN);
  const sorted = Float64Array.from(values).sort();
  const doseCounts: DoseCount[] = [];
  doses.forEach((d, k) => {
    if ((perDose[k] as number) > 0) doseCounts.push({ dose: d, n: perDose[k] as number, frac: f(perDose[k] as number) });
  });
  return {
    auc,
    result: {
      key,
      kind,
      label,
      n: count,
      below,
      in: inn,
      above,
      fracBelow: f(below),
      fracIn: f(inn),
      fracAbove: f(above),
      se: { below: se(f(below)), in: se(f(inn)), above: se(f(above)) },
      doses: doseCounts,
      auc: { p05: quantileSorted(sorted, 0.05), p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95) },
    },
  };
}

function fmtDose(d: number): string {
  return Number.isInteger(d) ? String(d) : d.toPrecision(4);
}

/**
 * The shape of the options, before anything runs: left out, given a Model (the workers take the
 * model file), the window or bandBy left out, or a misspelt key (cutstep, tdms: the default design
 * ran), they failed as raw TypeErrors ("Cannot destructure property 'lo'"), as defineModel's "model
 * dosewise: Invalid input", or ran, minutes later, without a word.
 */
function checkShape(o: CompareStrategiesOptions): void {
  const what = 'compareStrategies()';
  refuseMissingOptions(o, what, 'model, n, seed, interval, doses, window, bandBy, bands');
  refuseUnknownKeys(o, STRATEGIES_KEYS, what);
  checkCallbacks(o, ['onProgress']);
  const model: unknown = o.model;
  if (isModel(model))
    throw Errors.optionValue('model', model, `${what}: model must be the model file object (the JSON defineModel() takes), not a Model: the population runs on worker threads, which take the file`, 'a Model');
  if (typeof model !== 'object' || model === null || Array.isArray(model))
    throw Errors.optionValue('model', model, `${what}: model must be the model file object (JSON.parse of a model file)`, shapeOf(model));
  if (o.window === undefined) throw Errors.option('window', `${what}: window is required: the target window { lo, hi } on AUC24 at steady state`);
  refuseUnknownKeys(o.window, WINDOW_KEYS, what, 'window.');
  if (typeof o.bandBy !== 'string' || o.bandBy === '')
    throw Errors.optionValue('bandBy', o.bandBy, `${what}: bandBy must name the banding variable: a covariate, a model parameter or pred:NAME`, shapeOf(o.bandBy));
  if (o.tdm !== undefined) {
    if (!Array.isArray(o.tdm)) throw Errors.optionValue('tdm', o.tdm, `${what}: tdm must be an array of TDM designs { times, label? } ([] for none)`, shapeOf(o.tdm));
    o.tdm.forEach((d: unknown, i) => {
      refuseUnknownKeys(d ?? null, TDM_KEYS, what, `tdm.${i}.`);
      const times = (d as TdmDesign).times;
      if (!isNumberArray(times)) throw Errors.optionValue(`tdm.${i}.times`, times, `${what}: the sampling times of a TDM design are an array of hours after the first dose (e.g. [36])`, shapeOf(times));
    });
  }
  refuseUnknownKeys(o.residual, RESIDUAL_KEYS, what, 'residual.');
  refuseUnknownKeys(o.map, MAP_KEYS, what, 'map.');
}

/** Checks the options that cost nothing to check, before any simulation. */
function checkOptions(o: CompareStrategiesOptions): { doses: number[]; infusion: number; cmt: number; designs: TdmDesign[] } {
  checkShape(o);
  if (!(Number.isInteger(o.n) && o.n >= 1)) throw Errors.option('n', `n: expected a positive integer (got ${o.n})`);
  if (!(Number.isFinite(o.interval) && o.interval > 0)) throw Errors.option('interval', `interval: expected a positive number of hours (got ${o.interval})`);
  const infusion = o.infusion ?? 0;
  if (!(Number.isFinite(infusion) && infusion >= 0 && infusion <= o.interval)) throw Errors.option('infusion', `infusion: expected 0 ≤ duration ≤ the interval ${o.interval} h (got ${infusion})`);
  const cmt = o.cmt ?? 1;
  if (!(Number.isInteger(cmt) && cmt >= 1)) throw Errors.option('cmt', `cmt: expected a compartment number ≥ 1 (got ${cmt})`);
  const { lo, hi } = o.window;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && lo < hi)) throw Errors.option('window', `window: expected 0 ≤ lo < hi, both finite (got ${lo}–${hi})`);
  if (!(Number.isInteger(o.bands) && o.bands >= 1)) throw Errors.option('bands', `bands: expected an integer ≥ 1 (got ${o.bands})`);
  if (o.lloq !== undefined && !(Number.isFinite(o.lloq) && o.lloq >= 0)) throw Errors.option('lloq', `lloq: expected a number ≥ 0 (got ${o.lloq})`);
  const designs = [...(o.tdm ?? [{ times: [3 * o.interval] }])];
  return { doses: checkDoses(o.doses), infusion, cmt, designs };
}

/** What every phase of a comparison reads: the checked options, the model, and the steady state at the reference dose. */
interface Comparison {
  readonly o: CompareStrategiesOptions;
  readonly modelJson: unknown;
  readonly model: Model;
  readonly doseList: number[];
  readonly doses: Float64Array;
  readonly infusion: number;
  readonly cmt: number;
  readonly designs: TdmDesign[];
  readonly lloq: number;
  readonly tau: number;
  readonly lo: number;
  readonly hi: number;
  readonly centre: number;
  /** The reference dose the population is simulated at (exposure scales with the dose). */
  readonly ref: number;
  readonly key: [number, number];
  readonly n: number;
  readonly ss: { records: DataRecord[]; end: number };
  readonly aucDef: MetricDef;
  readonly warnings: CompareStrategiesResult['warnings'];
  /** AUC over k·τ → AUC24, per mg. */
  readonly perUnit: number;
}

/** The subjects as simulated and predicted before any strategy: what every strategy is judged on. */
interface Subjects {
  readonly exposure: Float64Array;
  readonly predicted: Float64Array;
  readonly by: Float64Array;
  readonly columns: Record<string, Float64Array>;
  readonly covCols: Record<string, Float64Array>;
  readonly covariateNames: readonly string[];
  readonly etaNames: readonly string[];
  readonly valid: Uint8Array;
  readonly excluded: number;
  readonly eng: Engine;
  readonly ssSim: SubjectSimulator;
}

/**
 * Compares fixed, banded, a-priori model-informed and MAP-guided dosing on one virtual population.
 *
 * @example
 * const r = await compareStrategies({ model, covariates, n: 100_000, seed: 1, interval: 12, infusion: 1,
 *   doses: [250, 500, 750, 1000, 1250, 1500, 1750, 2000], window: { lo: 400, hi: 600 },
 *   bandBy: 'CRCL', bands: 4, cutStep: 5, tdm: [{ times: [36] }] });
 * r.strategies.map((s) => [s.label, s.fracIn]);
 */
export async function compareStrategies(o: CompareStrategiesOptions): Promise<CompareStrategiesResult> {
  const t0 = performance.now();
  const c = setUp(o);
  const { n, lo, hi, centre, model } = c;
  // --- 1. the population at the reference dose: covariates, η, parameters, true exposure ---
  const { population, exposure, columns } = await simulatePopulation(c);
  // --- 2. typical (η = 0) predictions at each subject's covariates; the banding variable ---
  const subjects = typicalPredictions(c, exposure, columns);
  // --- 3. fixed and banded: the exact banding optimum on this population ---
  const { banding, fixedDose, fixedDoses, bandDoses } = bandedDoses(c, subjects);
  // --- 4. a priori and the individual optimum ---
  const { aprioriDoses, optimumDoses } = individualDoses(c, subjects);
  // --- 5. MAP-guided, one strategy per TDM design ---
  const map = await mapGuided(c, subjects, aprioriDoses);
  // --- 6. outcomes ---
  const rows: { key: string; kind: StrategyResult['kind']; label: string; dose: Float64Array }[] = [
    { key: 'fixed', kind: 'fixed', label: `Fixed dose (${fmtDose(fixedDose)}${o.doseUnit ? ` ${o.doseUnit}` : ''} q${fmtDose(c.tau)}h)`, dose: fixedDoses },
    { key: 'banded', kind: 'banded', label: bandedLabel(banding.bands.length, o.bands, o.bandBy), dose: bandDoses },
    { key: 'apriori', kind: 'apriori', label: 'A-priori model-informed (covariates)', dose: aprioriDoses },
    ...map.schedules.map((s) => ({ key: s.key, kind: 'map' as const, label: s.label, dose: map.doses[s.key] as Float64Array })),
    { key: 'optimum', kind: 'optimum', label: 'Individual optimum (true parameters)', dose: optimumDoses },
  ];
  const strategies: StrategyResult[] = [];
  const doseOut: Record<string, Float64Array> = {};
  const aucOut: Record<string, Float64Array> = {};
  for (const r of rows) {
    const { result, auc } = outcome(r.key, r.kind, r.label, r.dose, exposure, subjects.valid, { lo, hi }, c.doses);
    strategies.push(result);
    doseOut[r.key] = r.dose;
    aucOut[r.key] = auc;
  }
  return {
    model: model.name,
    n,
    seed: String(o.seed),
    window: { lo, hi, centre },
    interval: c.tau,
    infusion: c.infusion,
    availableDoses: c.doseList,
    referenceDose: c.ref,
    bandBy: o.bandBy,
    strategies,
    banding,
    fixedDose,
    map: map.summaries,
    tdm: map.schedules,
    population: { seconds: population.seconds, failed: population.failed },
    excluded: subjects.excluded,
    covariateNames: subjects.covariateNames,
    etaNames: subjects.etaNames,
    lloq: c.lloq,
    residual: model.residual,
    seconds: (performance.now() - t0) / 1000,
    // the banded strategy's fraction is the banding optimum's own, judged on the subjects it was fitted to
    warnings: [...c.warnings, ...smallBandWarnings(banding, o.bandBy).map((m) => ({ code: 'W_SMALL_BAND' as const, message: m.slice(m.indexOf(':') + 2) }))],
    subjects: { exposure, predicted: subjects.predicted, by: subjects.by, columns, dose: doseOut, auc: aucOut, levels: map.levels, blq: map.blq, etaHat: map.etaHat },
  };
}

/** The options and the model checked (before any simulation), and the steady state at the reference dose. */
function setUp(o: CompareStrategiesOptions): Comparison {
  const { doses: doseList, infusion, cmt, designs } = checkOptions(o);
  const doses = Float64Array.from(doseList);
  const modelJson: unknown = o.residual && o.model !== null && typeof o.model === 'object' ? { ...(o.model as object), residual: o.residual } : o.model;
  const model = defineModel(modelJson);
  const nonlinear = notDoseProportional(model);
  if (nonlinear) throw Errors.option('model', `strategy comparison assumes exposure proportional to dose (linear PK); ${nonlinear}`);
  if (!model.omega || model.omega.names.length === 0) throw Errors.option('model', `model ${model.name} has no random effects (omega): every subject would be the typical subject`);
  if (model.iov && model.iov.names.length > 0) throw Errors.option('model', `model ${model.name} has inter-occasion variability, which the strategy comparison does not simulate`);
  // the steady state runs on a clock of its own from 0: parameters that step with TIME read the first
  // day's there (busulfan's CL before its 36-h step: a subject's AUC24 per dose 96.83 for 103.59),
  // and so do equations reading t; a value for the report alone (DAY) changes no exposure
  const readsTime = timeReadBy(model);
  if (readsTime) throw Errors.option('model', `model ${model.name} reads ${readsTime} (they change with time): the strategy comparison judges each subject at one steady state, which has no one time to read them at`);
  if (designs.length > 0 && !model.residual) throw Errors.option('residual', `model ${model.name} has no residual error model: MAP-guided dosing needs one (or give residual, or no TDM design)`);
  const tau = o.interval;
  const { lo, hi } = o.window;
  const ref = doses[Math.floor((doses.length - 1) / 2)] as number;
  // a model free of the time: one interval, its AUC × 24/τ (perUnit); q12h's rows halved
  const oneInterval = parametersFreeOfTime(model);
  const grid = steadyStateRecords(tau, infusion, cmt, ref, { oneInterval });
  const aucDef: MetricDef = metricDef({ type: 'auc', window: { span: [0, grid.end] } }, { end: grid.end, tau, lastDose: 0 }, 'auc24ss');
  const bend = bendTimes(o, modelJson, model, grid.records, aucDef, tau);
  const ss = steadyStateRecords(tau, infusion, cmt, ref, { extra: bend.times, oneInterval });
  return {
    o, modelJson, model, doseList, doses, infusion, cmt, designs,
    lloq: o.lloq ?? 0, tau, lo, hi, centre: (lo + hi) / 2, ref,
    key: seedKey(o.seed), n: o.n, ss, aucDef, perUnit: 24 / ss.end / ref,
    warnings: bend.jumpsVary && infusion === 0 && cmt === model.observeCompartment ? [lagWarning(model, bend.varying)] : [],
  };
}

/** log2 of the hours after an arrival where bendTimes' quarter octaves start: 1/32 h, arrivalSampling's first offset. */
const BEND_FROM_OCTAVE = -5;
/** Step of the uniform samples where the dose arrivals differ between subjects (bendTimes), and their most per window. */
const VARYING_ARRIVAL_STEP = 1 / 32;
const MAX_VARYING_SAMPLES = 4096;

/**
 * Where the steady-state profile bends between the uniform grid's samples: after every dose arrival
 * and rate change (at the median subject's times, should the model move them: a lag, a modelled
 * duration), sampled as a regimen search samples them (optimize.ts: arrivalSampling's octaves,
 * lateSamples' quarter octaves), but the quarter octaves from 1/32 h on, not 4 h: the population is
 * simulated once. Against the exact 24/(τ·CL), every subject's AUC24 per unit dose (3,000 subjects,
 * q24h) read on 48 points per interval alone −3.2 % (amikacin_burdet_2015, 0.5-h infusion), +2.5 %
 * (bolus), −11.8 % (1-cmt, CL/V 1/h, 0.5-h infusion), +6.4 % (2-cmt, Q/V 4/h, bolus), which moved
 * subjects across the window; with the octaves alone up to 1.2e-2, quarter octaves from 1/8 h 1.2e-3;
 * now 9.5e-4 at most, 3.3e-4 on average (test/unit/design/strategies-exposure.test.ts). The price:
 * q12h's 98 rows become 178, at steps that differ (the engine caches a few steps' matrix
 * exponentials), so the population and prediction runs take about 3 times as long.
 *
 * Where the arrivals or infusion ends move with η or a sampled covariate (timingVaries), the median
 * subject's samples miss every other subject's: an oral dose at KA 20/h with ALAG 2·exp(η), ω² 0.5,
 * read −3.5 % at q24h (400 subjects). A handful of probed subjects would miss the tails, so the whole
 * window is sampled every 1/32 h instead (810 rows at q24h where 98 did, 420 at q12h: 20,000
 * subjects took 4 times as long at q24h, 2.5 times at q12h; at most 4096 samples per window, coarser
 * beyond τ 128 h): −5.0e-4 at q24h and q12h (CL/V 0.1/h), −7.7e-5 at KA 3/h, −3.5e-4
 * around a 14-h lag (ω² 0.3), −4.6e-4 with the lag from a sampled weight, −2.3e-4 where F moves a
 * 0.5-h infusion's end; 1/16 h left −1.0e-3 to −1.1e-3. The error grows with the rates either side
 * of the arrival: KA 20/h into CL/V 1/h read −5.4e-3 (1/64 h: −1.3e-3). A lagged bolus into the
 * observed compartment jumps at its arrival, which a step h misplaces by up to ΔC·h/2, a relative
 * CL/V·h/2 (typical CL/V 0.1/h: +4.9e-3; 1/h: +4.9e-2): `jumpsVary` says so (lagWarning).
 */
function bendTimes(o: CompareStrategiesOptions, modelJson: unknown, model: Model, records: readonly DataRecord[], def: MetricDef, tau: number): { times: number[]; varying: ReadonlySet<string>; jumpsVary: boolean } {
  // the median subject's covariates: the model may read ones without a default
  const probe = preparePlan(populationPlan({ model: modelJson, records, covariates: o.covariates, files: o.files, key: [0, 0], metrics: [def], table: false, method: o.method }));
  const events = modelDiscontinuities(model, records, probe.sampler ? probeSubject(probe.sampler) : {});
  // times, not records: a sample metricGrid adds reads its governing record's TIME as an item, and
  // a plan keeps the items (TIME included): every sample landed on a grid time
  const arrivals = metricGrid(records, model.timeVarying, { windows: [def], events, dense: arrivalSampling([def]) }).records.map((r) => r.TIME);
  const late = lateSamples([...events.jumps, ...events.kinks], tau / SAMPLES_PER_INTERVAL, def.t0, def.t1, BEND_FROM_OCTAVE);
  const varying = new Set([...(probe.sampler?.names ?? []), ...variedEtas(model)]);
  if (!timingVaries(model, records, varying)) return { times: [...arrivals, ...late], varying, jumpsVary: false };
  const n = Math.min(MAX_VARYING_SAMPLES, Math.ceil((def.t1 - def.t0) / VARYING_ARRIVAL_STEP - 1e-9));
  const uniform = Array.from({ length: n + 1 }, (_, g) => def.t0 + ((def.t1 - def.t0) * g) / n);
  return { times: [...arrivals, ...late, ...uniform], varying, jumpsVary: model.slots.modifiersDependOn(varying, new Set(['lag'])) };
}

/** The η that differ between subjects (a variance above 0): an η of variance 0 moves no arrival. */
function variedEtas(model: Model): string[] {
  const om = model.omega;
  return om ? om.names.filter((_, i) => ((om.matrix[i] as readonly number[])[i] as number) > 0) : [];
}

/** W_BOLUS_ARRIVAL_VARIES: a bolus into the observed compartment whose lag differs per subject (bendTimes). */
function lagWarning(model: Model, varying: ReadonlySet<string>): CompareStrategiesResult['warnings'][number] {
  const by = [...varying].filter((v) => model.slots.modifiersDependOn(new Set([v]), new Set(['lag'])));
  return {
    code: 'W_BOLUS_ARRIVAL_VARIES',
    message:
      `model ${model.name}: the lag of a bolus into the observed compartment (compartments.${model.observeCompartment}.lag) differs per subject (it reads ${by.join(', ')}), so the level jumps at each subject's own arrival, ` +
      `which the shared grid places within ${VARYING_ARRIVAL_STEP} h: a subject's true AUC24 may be off by up to its CL/V × ${VARYING_ARRIVAL_STEP / 2} h (4.9e-3 over 400 subjects of typical CL/V 0.1/h, 4.9e-2 of 1/h); ` +
      'give the dose as a short infusion (infusion 0.1: 2.4e-4 and 2.9e-3) or into a depot, where the level bends instead of jumping',
  };
}

/** Phase 1: the virtual population at the reference dose (worker pool): true exposure per unit dose and the subject table. */
async function simulatePopulation(c: Comparison): Promise<{ population: StudyResult; exposure: Float64Array; columns: Record<string, Float64Array> }> {
  const { o, n, perUnit } = c;
  const exposure = new Float64Array(n).fill(NaN);
  const columns: Record<string, Float64Array> = {};
  const plan = populationPlan({ model: c.modelJson, records: c.ss.records, covariates: o.covariates, files: o.files, key: c.key, metrics: [c.aucDef], table: true, method: o.method });
  const popPool = defaultPool(o.workers);
  let population;
  try {
    population = await runStudy(plan, {
      n,
      chunkSize: o.chunkSize,
      pool: popPool,
      signal: o.signal,
      onProgress: o.onProgress ? (d, t) => o.onProgress?.('population', d, t) : undefined,
      onChunk: (ch) => {
        for (let s = 0; s < ch.count; s++) exposure[ch.first + s] = (ch.metrics[s] as number) * perUnit;
        for (const [name, col] of Object.entries(ch.columns ?? {})) {
          columns[name] ??= new Float64Array(n).fill(NaN);
          (columns[name] as Float64Array).set(col, ch.first);
        }
      },
    });
  } finally {
    await popPool.close();
  }
  return { population, exposure, columns };
}

/** "3 dose bands by CRCL", saying so where fewer bands than asked came out (neighbours with one dose merge). */
function bandedLabel(got: number, asked: number, by: string): string {
  const label = `${got} dose band${got === 1 ? '' : 's'} by ${by}`;
  return got < asked ? `${label} (${asked} asked: ${asked - got} merged, same dose as a neighbour)` : label;
}

/** Phase 2: each subject's typical (η = 0) exposure at its covariates, its banding variable, and which subjects count. */
function typicalPredictions(c: Comparison, exposure: Float64Array, columns: Record<string, Float64Array>): Subjects {
  const { o, n } = c;
  const eng = threadEngine(c.model);
  const ssSim = new SubjectSimulator({ model: c.modelJson, records: c.ss.records, covariates: o.covariates, files: o.files, metrics: [c.aucDef], method: o.method });
  const covariateNames = ssSim.pp.covariateNames;
  const etaNames = ssSim.pp.etaNames;
  const covCols: Record<string, Float64Array> = {};
  for (const cv of covariateNames) covCols[cv] = columns[cv] as Float64Array;
  const pred = /^pred:(.+)$/.exec(o.bandBy);
  if (!pred && !columns[o.bandBy])
    throw Errors.option('bandBy', `band by ${o.bandBy}: not a covariate or parameter of this population (available: ${Object.keys(columns).join(', ')}; or pred:NAME for a parameter's typical value from covariates)`);
  const typical = ssSim.run(eng, covCols, n, undefined, pred ? [pred[1] as string] : []);
  const predicted = new Float64Array(n);
  for (let i = 0; i < n; i++) predicted[i] = (typical.metrics[i] as number) * c.perUnit;
  const by = pred ? (typical.captured[pred[1] as string] as Float64Array) : Float64Array.from(columns[o.bandBy] as Float64Array);
  const { valid, excluded } = validSubjects(exposure, predicted, by);
  return { exposure, predicted, by, columns, covCols, covariateNames, etaNames, valid, excluded, eng, ssSim };
}

/** Subjects with a positive finite true and predicted exposure and a banding value; the others are left out of every strategy. */
function validSubjects(exposure: Float64Array, predicted: Float64Array, by: Float64Array): { valid: Uint8Array; excluded: number } {
  const n = exposure.length;
  const valid = new Uint8Array(n);
  let excluded = 0;
  for (let i = 0; i < n; i++) {
    const ok = (exposure[i] as number) > 0 && Number.isFinite(exposure[i] as number) && (predicted[i] as number) > 0 && Number.isFinite(predicted[i] as number) && Number.isFinite(by[i] as number);
    valid[i] = ok ? 1 : 0;
    if (!ok) excluded++;
  }
  if (excluded === n) throw Errors.engine(`strategy comparison: every one of the ${n} subjects failed to simulate`);
  return { valid, excluded };
}

/** Phase 3: the exact banding optimum on this population; one band is the best fixed dose. */
function bandedDoses(c: Comparison, s: Subjects): { banding: BandingResult; fixedDose: number; fixedDoses: Float64Array; bandDoses: Float64Array } {
  const { o, n } = c;
  const { by, valid } = s;
  const byValid = Float64Array.from(by, (x, i) => (valid[i] ? x : NaN));
  const banding = optimizeBanding({ by: byValid, exposure: s.exposure, window: { lo: c.lo, hi: c.hi }, bands: o.bands, doses: c.doseList, cutStep: o.cutStep, maxCandidates: o.maxCandidates });
  const fixedDose = banding.fixed.dose;
  const fixedDoses = new Float64Array(n).fill(fixedDose);
  const bandDoses = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    const x = by[i] as number;
    const b = banding.bands.find((band) => (band.from === null || x >= band.from) && (band.to === null || x < band.to));
    bandDoses[i] = b ? b.dose : fixedDose;
  }
  return { banding, fixedDose, fixedDoses, bandDoses };
}

/** Phase 4: the dose nearest the window's centre from the typical (a priori) and from the true (optimum) exposure. */
function individualDoses(c: Comparison, s: Subjects): { aprioriDoses: Float64Array; optimumDoses: Float64Array } {
  const { n, doses, centre } = c;
  const aprioriDoses = new Float64Array(n).fill(NaN);
  const optimumDoses = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (!s.valid[i]) continue;
    aprioriDoses[i] = doses[nearestDoseIndex(doses, centre / (s.predicted[i] as number))] as number;
    optimumDoses[i] = doses[nearestDoseIndex(doses, centre / (s.exposure[i] as number))] as number;
  }
  return { aprioriDoses, optimumDoses };
}

type Schedule = TdmSchedule & { readonly key: string; readonly label: string };

/** Per TDM design key: the simulated levels and BLQ flags, η̂, the MAP-guided doses; and a summary per design. */
interface MapOutcome {
  readonly schedules: Schedule[];
  readonly summaries: MapSummary[];
  readonly doses: Record<string, Float64Array>;
  readonly levels: Record<string, Float64Array>;
  readonly blq: Record<string, Float64Array>;
  readonly etaHat: Record<string, Float64Array>;
}

/** What the MAP phase shares across designs: the subjects' true η, the residual variates, the estimation pool and progress. */
interface MapContext {
  readonly trueEta: Float64Array;
  readonly allTimes: readonly number[];
  readonly z: Float64Array;
  readonly pool: TaskPool<EstimateTask>;
  readonly progress: { done: number; readonly total: number };
}

function tdmSchedules(c: Comparison): Schedule[] {
  const { designs } = c;
  return designs.map((d, k) => {
    const s = tdmSchedule(d.times, c.tau, c.infusion, c.cmt);
    const keyK = designs.length === 1 ? 'map' : `map${k + 1}`;
    const label = d.label ?? `MAP-guided after ${s.times.length === 1 ? `1 level (${fmtDose(s.times[0] as number)} h)` : `${s.times.length} levels (${s.times.map(fmtDose).join(', ')} h)`}`;
    return { ...s, key: keyK, label };
  });
}

/** Phase 5: MAP-guided dosing, one strategy per TDM design; every subject starts on its a-priori dose. */
async function mapGuided(c: Comparison, s: Subjects, aprioriDoses: Float64Array): Promise<MapOutcome> {
  const { o, n } = c;
  const { etaNames, columns } = s;
  const trueEta = new Float64Array(n * etaNames.length);
  etaNames.forEach((name, j) => {
    const col = columns[name] as Float64Array;
    for (let i = 0; i < n; i++) trueEta[i * etaNames.length + j] = col[i] as number;
  });
  const schedules = tdmSchedules(c);
  // one standard normal per distinct sampling time, so designs sharing a time share its level;
  // numbered in order of first appearance (variate j of a subject depends only on the seed, the
  // subject and j), so adding a design never changes the levels of the designs before it
  const allTimes = [...new Set(schedules.flatMap((d) => d.times))];
  const z = allTimes.length ? s.eng.random(c.key, 0, n, Domain.residual, allTimes.length, true) : new Float64Array(0);
  const out: MapOutcome = { schedules, summaries: [], doses: {}, levels: {}, blq: {}, etaHat: {} };
  const validCount = n - s.excluded;
  const progress = { done: 0, total: validCount * schedules.length };
  const mapPool: TaskPool<EstimateTask> | undefined = schedules.length
    ? o.workers === 0
      ? inlinePool<EstimateTask>((t) => handleEstimateTask(t, threadEngine))
      : nodePool<EstimateTask>(estimateWorkerFile(), o.workers)
    : undefined;
  try {
    for (const d of schedules) await mapDesign(c, s, aprioriDoses, d, { trueEta, allTimes, z, pool: mapPool as TaskPool<EstimateTask>, progress }, out);
  } finally {
    await mapPool?.close();
  }
  return out;
}

/** One TDM design: levels simulated from the true parameters, η̂ estimated from them, the dose from the exposure at η̂. */
async function mapDesign(c: Comparison, s: Subjects, aprioriDoses: Float64Array, d: Schedule, m: MapContext, out: MapOutcome): Promise<void> {
  const tm = performance.now();
  const lv = simulateLevels(c, s, aprioriDoses, d, m);
  out.levels[d.key] = lv.levels;
  out.blq[d.key] = lv.flags;
  const est = await estimateFromLevels(c, s, aprioriDoses, d, m, lv);
  out.etaHat[d.key] = est.etaHat;
  const { md, fallbacks } = dosesAtEstimate(c, s, aprioriDoses, est.etaHat);
  out.doses[d.key] = md;
  const secs = (performance.now() - tm) / 1000;
  const patients = est.patients;
  out.summaries.push({ key: d.key, label: d.label, times: d.times, patients, converged: est.converged, blq: lv.blq, fallbacks, seconds: secs, patientsPerSecond: patients / secs });
}

interface SimulatedLevels {
  /** n × times: measured levels (concentration scale), BLQ flags, and the DV the estimation reads. */
  readonly levels: Float64Array;
  readonly flags: Float64Array;
  readonly dvs: Float64Array;
  readonly blq: number;
  readonly lloqDv: number;
}

/** The TDM levels of a design: true concentrations at the a-priori dose plus residual error from the model's residual model. */
function simulateLevels(c: Comparison, s: Subjects, aprioriDoses: Float64Array, d: Schedule, m: MapContext): SimulatedLevels {
  const { o, n, ref, tau, cmt, infusion, lloq } = c;
  const T = d.times.length;
  const tdmRecords = regimen()
    .dose({ time: 0, amt: ref, cmt, ...(infusion > 0 ? { dur: infusion } : {}), ...(d.doses > 1 ? { addl: d.doses - 1, ii: tau } : {}) })
    .observe({ times: [...d.times] })
    .records();
  const tdmDefs = d.times.map((t, k) => metricDef({ type: 'value', window: { at: t } }, { end: t, tau, lastDose: 0 }, `c${k}`));
  const tdmSim = new SubjectSimulator({ model: c.modelJson, records: tdmRecords, covariates: o.covariates, files: o.files, metrics: tdmDefs, method: o.method });
  const truth = tdmSim.run(s.eng, s.covCols, n, m.trueEta);
  const lv = new Float64Array(n * T).fill(NaN);
  const flags = new Float64Array(n * T).fill(NaN);
  const dvs = new Float64Array(n * T).fill(NaN);
  const residual = c.model.residual;
  const expo = residual?.model === 'exponential';
  const lloqDv = expo ? (lloq > 0 ? Math.log(lloq) : NaN) : lloq;
  const zCol = d.times.map((t) => m.allTimes.indexOf(t));
  let blq = 0;
  for (let i = 0; i < n; i++) {
    if (!s.valid[i]) continue;
    for (let k = 0; k < T; k++) {
      const f = ((truth.metrics[i * T + k] as number) * (aprioriDoses[i] as number)) / ref;
      const zi = m.z[i * m.allTimes.length + (zCol[k] as number)] as number;
      const ml = measuredLevel(residual as NonNullable<Model['residual']>, f, zi);
      const isBlq = !(ml.level > lloq) && !(expo && lloq === 0);
      lv[i * T + k] = ml.level;
      flags[i * T + k] = isBlq ? 1 : 0;
      dvs[i * T + k] = isBlq ? lloqDv : ml.dv;
      if (isBlq) blq++;
    }
  }
  return { levels: lv, flags, dvs, blq, lloqDv };
}

/** MAP estimates η̂ of every valid subject from its levels, on the worker pool (cohort estimation tasks, in subject order). */
async function estimateFromLevels(c: Comparison, s: Subjects, aprioriDoses: Float64Array, d: Schedule, m: MapContext, lv: SimulatedLevels): Promise<{ etaHat: Float64Array; converged: number; patients: number }> {
  const { o, n } = c;
  const { covariateNames, covCols } = s;
  const T = d.times.length;
  const { dvs, flags, lloqDv } = lv;
  // the cohort as estimation tasks: each a flat table of patients' records
  const cols = [...TDM_COLUMNS, ...covariateNames];
  const patients: number[] = [];
  for (let i = 0; i < n; i++) if (s.valid[i]) patients.push(i);
  const chunk = o.mapChunkSize ?? 250;
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw Errors.option('mapChunkSize', `mapChunkSize: expected a positive integer (got ${chunk})`);
  const modelId = `strategies-${process.pid}-${++taskCounter}`;
  const options: CohortOptions = { covariance: false, warnings: false, gtol: o.map?.gtol ?? 1e-3, restarts: o.map?.restarts ?? 'auto', method: o.method, logDv: true };
  const cov = new Float64Array(covariateNames.length);
  const makeTask = (first: number): EstimateTask => {
    const count = Math.min(chunk, patients.length - first);
    const rows = new Float64Array(count * (1 + T) * cols.length);
    const starts = new Int32Array(count + 1);
    let r = 0;
    for (let p = 0; p < count; p++) {
      const i = patients[first + p] as number;
      covariateNames.forEach((cv, j) => (cov[j] = (covCols[cv] as Float64Array)[i] as number));
      starts[p] = r;
      r += writePatientRows(rows, r, cols.length, d, i + 1, aprioriDoses[i] as number, dvs.subarray(i * T, (i + 1) * T), flags.subarray(i * T, (i + 1) * T), lloqDv, cov);
    }
    starts[count] = r;
    return { modelId, model: c.modelJson, columns: cols, rows, starts, options };
  };
  const nEta = s.etaNames.length;
  const etaHat = new Float64Array(n * nEta).fill(NaN);
  let converged = 0;
  const firsts: number[] = [];
  for (let f = 0; f < patients.length; f += chunk) firsts.push(f);
  const doneBefore = m.progress.done;
  await runChunks(m.pool, {
    count: firsts.length,
    task: (k) => makeTask(firsts[k] as number),
    onResult: (buf, k) => {
      const res = unpackCohort(buf);
      const first = firsts[k] as number;
      for (let p = 0; p < res.count; p++) {
        const i = patients[first + p] as number;
        etaHat.set(res.eta.subarray(p * nEta, (p + 1) * nEta), i * nEta);
        if (res.converged[p]) converged++;
      }
    },
    perWorker: 3,
    units: (k) => Math.min(chunk, patients.length - (firsts[k] as number)),
    onProgress: (done) => o.onProgress?.('map', doneBefore + done, m.progress.total),
    signal: o.signal,
    cancelled: 'strategy comparison cancelled',
  });
  m.progress.done += patients.length;
  return { etaHat, converged, patients: patients.length };
}

/** The dose from the exposure predicted at η̂; a subject whose η̂ or prediction failed keeps its a-priori dose. */
function dosesAtEstimate(c: Comparison, s: Subjects, aprioriDoses: Float64Array, etaHat: Float64Array): { md: Float64Array; fallbacks: number } {
  const { n, doses, centre } = c;
  const nEta = s.etaNames.length;
  const atHat = s.ssSim.run(s.eng, s.covCols, n, Float64Array.from(etaHat, (x) => (Number.isFinite(x) ? x : 0)));
  const md = new Float64Array(n).fill(NaN);
  let fallbacks = 0;
  for (let i = 0; i < n; i++) {
    if (!s.valid[i]) continue;
    const eh = (atHat.metrics[i] as number) * c.perUnit;
    const okEta = etaHat.subarray(i * nEta, (i + 1) * nEta).every(Number.isFinite);
    if (okEta && eh > 0 && Number.isFinite(eh)) md[i] = doses[nearestDoseIndex(doses, centre / eh)] as number;
    else {
      md[i] = aprioriDoses[i] as number;
      fallbacks++;
    }
  }
  return { md, fallbacks };
}
let taskCounter = 0;

/**
 * Subject i's TDM history under design `key` (default: the first): the a-priori dose and the
 * measured level(s), with its covariates — the records a clinician would have, for estimate(),
 * forecasts and regimen optimization.
 */
export function subjectRecords(r: CompareStrategiesResult, i: number, key?: string): DataRecord[] {
  const s = key === undefined ? r.tdm[0] : r.tdm.find((d) => d.key === key);
  if (!s) throw Errors.option('key', `no TDM design ${key ?? ''} in this result (designs: ${r.tdm.map((d) => d.key).join(', ') || 'none'})`);
  if (!(Number.isInteger(i) && i >= 0 && i < r.n)) throw Errors.option('i', `subject ${i}: expected 0 ≤ i < ${r.n}`);
  const T = s.times.length;
  const lv = (r.subjects.levels[s.key] as Float64Array).subarray(i * T, (i + 1) * T);
  const flags = (r.subjects.blq[s.key] as Float64Array).subarray(i * T, (i + 1) * T);
  const dose = (r.subjects.dose.apriori as Float64Array)[i] as number;
  if (!Number.isFinite(dose)) throw Errors.option('i', `subject ${i} was left out of the comparison (its simulation failed)`);
  const expo = r.residual?.model === 'exponential';
  const lloqDv = expo ? (r.lloq > 0 ? Math.log(r.lloq) : NaN) : r.lloq;
  const cov = r.covariateNames.map((c) => (r.subjects.columns[c] as Float64Array)[i] as number);
  const dv = Float64Array.from(lv, (x, k) => ((flags[k] as number) === 1 ? lloqDv : expo ? Math.log(x) : x));
  return patientRecords(s, dose, dv, flags, lloqDv, r.covariateNames, cov, i + 1);
}
