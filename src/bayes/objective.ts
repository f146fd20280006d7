// The MAP objective of one patient: −2 log posterior of the random effects up to a constant,
//
//   OFV(η) = Σ_obs [ (y − f)² / Var(f) + ln Var(f) ]  +  Σ_BLQ −2 ln Φ((LLOQ − f)/√Var(f))  +  ηᵀ Ω⁻¹ η
//
// the NONMEM POSTHOC / FOCE-with-interaction conditional objective (Var from the residual model at the
// individual prediction f). Observations are records with EVID 0 and MDV 0.
//
// Conventions (documented for users):
// - Residual error (model.residual, SDs): additive Var = a²; proportional Var = (b·w)²; combined
//   Var = a² + (b·w)²; combined1 Var = (a + b·w)², where w = f, except w = 1 when f = 0 (NONMEM's
//   usual guard `IF (IPRED.EQ.0) W = 1`). exponential: the likelihood is on the log scale, y = DV is
//   log(concentration) (as NONMEM's log-transform-both-sides data; `logDv: false` takes the log of DV
//   here instead), the prediction is log f, Var = sd².
// - BLQ (M3, Beal 2001): a record whose BLQ column (option blq.flag, default "BLQ") equals 1 is below
//   the limit of quantification; its LLOQ is the LLOQ column (blq.lloq, default "LLOQ") when that is a
//   number, otherwise its DV (the common "DV = LLOQ" convention); the LLOQ is on the scale of DV (log
//   with log-scale data). It contributes −2 ln Φ((LLOQ − f)/√Var)
//   (on the log scale with exponential error).
// - Random effects with zero variance are fixed at 0 and not estimated. IOV: with model.iov, each
//   occasion (distinct values of the occasion column, ascending) has its own κ with prior N(0, Ω_IOV);
//   the κ of every occasion are estimated along with η.
// - Observations in another compartment than the model's observed one (record CMT ≠ 0 and ≠
//   observe.compartment) are predicted by the engine as amount(CMT) / S<CMT>, where S<CMT> is a model
//   parameter (NONMEM's scale convention, e.g. S3 for compartment 3), else 1 (NONMEM's default S).
//
// Efficiency: the patient's event table is compiled once (unless lag/F/rate/duration, or the scale
// S<CMT> of an observation in another compartment, depend on the random effects); each evaluation
// only recomputes kernel parameter sets through the model's slot evaluator, and a batch of points (e.g. a finite-difference stencil) runs in ONE engine call, with
// every point sharing the same event table.

import { DosewiseError, Errors } from '../errors.js';
import { overriddenEffects } from './overridden-effects.js';
import { Method, Status } from '../abi.js';
import type { Evaluation, Model, Modifiers, RandomEffects, Residual, SolverMethod } from '../model/model.js';
import { recordResidual } from '../engine/outputs.js';
import type { EventTable } from '../regimen/compile.js';
import type { DataRecord } from '../regimen/record.js';
import { blqFlag as blqFlagOf, compartmentBeyondWhy, dataItem, isDose, refuseBlqLimit, refuseOtherDvid, refuseUnreadCensoring } from '../regimen/record.js';
import { checkRecordOrder } from '../regimen/nmtran.js';
import { resolveMethod } from '../engine/simulate.js';
import { refuseFlagItems } from '../model/covariate-flags.js';
import { fillUnreadBlanks, refuseBlankInputs, refusePartlyMissingItems } from '../model/partly-missing-items.js';
import { itemsReadBy, refuseTextItems } from '../regimen/text-items.js';
import { checkSolverOptions } from '../engine/solver-options.js';
import { compileGrouped, groupBases, groupEvaluations, parameterGroups } from '../engine/groups.js';
import { layoutGrouped, sharedTableIndex, solve, solverSetup, type SubjectLayout } from '../engine/problem.js';
import { engine as threadEngine } from '../engine/load.js';
import type { Engine, MetricArrays } from '../engine/wasm.js';
import { inverseSpd, quadratic } from './linalg.js';
import { priorNotDefinite } from './prior-not-definite.js';
import { logNormalCdf } from '../stats/normal.js';
import { residualVariance, simulatedVariance } from '../model/residual.js';
import { mapFast, type MapFast } from './map-fast.js';
import type { SolverSetup } from '../engine/problem.js';

export interface ObjectiveOptions {
  /** ODE/analytic method (default: the model's). */
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
  readonly engine?: Engine;
  /** BLQ columns (M3). Default { flag: 'BLQ', lloq: 'LLOQ' }; false ignores BLQ flags. */
  readonly blq?: { readonly flag?: string; readonly lloq?: string } | false;
  /** Exponential (log) error: DV is already log(concentration) (default true). */
  readonly logDv?: boolean;
  /** Data-item values that override the records and the model (e.g. a covariate), as in simulate(). */
  readonly overrides?: Readonly<Record<string, number>>;
  /** Source name for error messages. */
  readonly file?: string;
}

/** The columns the censored likelihood (M3) reads: the BLQ flag and the LLOQ. */
export function censoringColumns(blq: ObjectiveOptions['blq']): string[] {
  return blq === false ? [] : [blq?.flag ?? 'BLQ', blq?.lloq ?? 'LLOQ'];
}

export interface Predictions {
  /** Individual prediction per record (concentration scale, also with exponential error). */
  readonly ipred: Float64Array;
  /** Residual variance per observation record at ipred (log scale with exponential error), NaN elsewhere. */
  readonly variance: Float64Array;
  /** Individual weighted residual (y − f)/√Var per non-BLQ observation record (log scale with exponential error), NaN elsewhere. */
  readonly iwres: Float64Array;
  /** OFV at this point. */
  readonly ofv: number;
}

export interface MapObjective {
  readonly model: Model;
  readonly records: readonly DataRecord[];
  /** Number of estimated random effects (free η, then free κ per occasion). */
  readonly dim: number;
  /** A name per estimated effect: "ETA1", or "KCL@2" for κ KCL on occasion value 2. */
  readonly labels: readonly string[];
  /** Prior covariance of the estimated effects, dim×dim row-major. */
  readonly priorCovariance: Float64Array;
  /** Prior standard deviation per estimated effect. */
  readonly priorSd: Float64Array;
  /** Indices (into records) of the observation records, BLQ ones included. */
  readonly observations: Int32Array;
  /** Which observation records are BLQ (parallel to observations). */
  readonly blq: Uint8Array;
  /** A BLQ observation's limit on the likelihood's scale (log with exponential error), NaN for the others (parallel to observations). */
  readonly blqLimit: Float64Array;
  /** Which observations are on the log scale: exponential error with DV = log(concentration) (parallel to observations). */
  readonly logScale: Uint8Array;
  /** Occasion values (IOV), ascending; empty without IOV. */
  readonly occasions: readonly number[];
  /** OFV at x (Infinity where parameters are invalid or the solver fails). */
  ofv(x: ArrayLike<number>): number;
  /** OFV at `count` points (row k = xs[k·dim .. (k+1)·dim)), in one engine call. */
  ofvBatch(xs: Float64Array, count: number, out: Float64Array): void;
  /**
   * The same at the global search's screening accuracy: for an ODE model looser tolerances (OFV
   * within ~1e-3 of ofvBatch), for an analytic one the same values.
   */
  screenBatch(xs: Float64Array, count: number, out: Float64Array): void;
  /** Predictions and variances at x. */
  predict(x: ArrayLike<number>): Predictions;
  /** η in model.omega order (fixed ones 0) and κ per occasion in model.iov order. */
  effects(x: ArrayLike<number>): { eta: number[]; kappa: number[][] };
  /** Every named value (parameters, θ, data items) on record r at x. */
  values(x: ArrayLike<number>, r?: number): Record<string, number>;
  /** Values of the named slots on record r at x, allocation-free for callers that reuse `out`. */
  slotValues(x: ArrayLike<number>, r: number, slots: readonly number[], out: Float64Array): boolean;
  /**
   * Simulates `count` points (row k = xs[k·dim ..]) in ONE engine call: the model output per record
   * (count × records, NaN where a point is invalid) and, with `metrics`, each point's exposure
   * metrics computed in WASM on its profile (times = the records' times); with `metrics`, `rows`
   * picks the records whose outputs return (count × rows.length), the rest feeding the metrics alone.
   */
  simulate(xs: Float64Array, count: number, metrics?: MetricArrays, rows?: Int32Array): SimulatedPoints;
  /**
   * The same points solved as the objective solves them (for an ODE model left to 'auto': DOP853,
   * steady states warm within the batch), where simulate() keeps the model's method: for checks
   * on the objective's own predictions (warnings.ts).
   */
  simulateAsObjective(xs: Float64Array, count: number): SimulatedPoints;
  /** Lag, F, rate, duration and scale per compartment on record r at x; undefined where a parameter is invalid. */
  modifiersAt(x: ArrayLike<number>, r: number): Modifiers | undefined;
  /**
   * Expected (Fisher) information of the OFV/2 at x: Ω⁻¹ + Σ [∇f∇fᵀ/V + ½ ∇V∇Vᵀ/V²] over the
   * quantified observations (f on the log scale with exponential error), by forward differences of
   * step·max(1, |xⱼ|) in ONE engine call solved as the objective solves; undefined where a point is
   * invalid.
   */
  forwardInformation(x: ArrayLike<number>, step: number): Float64Array | undefined;
  /**
   * The same objective evaluated inside the engine (map-fast.ts), where the patient qualifies:
   * its gradient and the local optimizer's BFGS run in one call each, bitwise the JavaScript's.
   * @internal
   */
  readonly fast?: MapFast;
}

export interface SimulatedPoints {
  /** count × records, row-major (count × rows when simulate() was given `rows` with metrics). */
  readonly obs: Float64Array;
  /** 1 where the point simulated. */
  readonly ok: Uint8Array;
  /** count × metrics, row-major (NaN for failed points), when asked. */
  readonly metrics?: Float64Array;
}

interface ObsSpec {
  readonly rec: number;
  readonly blq: boolean;
  readonly y: number;
  readonly lloq: number;
  /** The residual error of this observation's output; exponential error (log scale). */
  readonly residual: Residual;
  readonly expo: boolean;
  /**
   * No dose before this level (none at an earlier time since the last reset): its prediction is 0
   * by structure, and NONMEM's guard reads its variance at f = 1. After a dose a prediction of 0
   * is one that underflowed (e^−745): there the model's own variance holds (0 with proportional
   * error: the level cannot be, the objective is infinite), where the guard made a plateau whose
   * edge the search reported as a second mode (ETA_V −5.40 with Ω = 100·I).
   */
  readonly guard: boolean;
}

/** A data item by its exact name (as model.evaluate reads it), NaN when absent. */
function exact(items: Readonly<Record<string, number>>, name: string): number {
  return items[name] ?? NaN;
}


interface RunResult {
  readonly obs: Float64Array;
  readonly ok: Uint8Array;
  readonly metrics?: Float64Array;
}

/** The estimated random effects (free η, then free κ per occasion) and their prior. */
interface Effects {
  readonly etaNames: readonly string[];
  readonly etaFree: readonly number[];
  readonly kNames: readonly string[];
  readonly kFree: readonly number[];
  /** Occasion index per record (IOV), or all 0. */
  readonly occasionOf: Int32Array;
  readonly occasions: readonly number[];
  readonly nEtaFree: number;
  readonly nKFree: number;
  readonly dim: number;
  readonly labels: readonly string[];
  readonly priorCovariance: Float64Array;
  readonly priorSd: Float64Array;
  readonly priorPrecision: Float64Array;
}

/** The indices of the random effects of a block with a positive variance (the estimated ones). */
function freeIndices(block: Pick<RandomEffects, 'names' | 'matrix'> | undefined): number[] {
  const free: number[] = [];
  if (!block) return free;
  for (let i = 0; i < block.names.length; i++) if (((block.matrix[i] as readonly number[])[i] as number) > 0) free.push(i);
  return free;
}

/** Each record's evaluation from its group's (a loop, not map(): see freeIndices). */
function recordEvaluations(groupOf: Int32Array, groupEval: readonly Evaluation[]): Evaluation[] {
  const out: Evaluation[] = [];
  for (let i = 0; i < groupOf.length; i++) out.push(groupEval[groupOf[i] as number] as Evaluation);
  return out;
}

/** n zeros, made the same way in the interpreter and in optimized code (see freeIndices). */
function zeros(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(0);
  return out;
}

/** Phase 1: which random effects are estimated, their labels and prior. */
/**
 * The estimated effects of one subject's records. `forEstimation` needs Ω (and IOV's) inverse, the
 * MAP prior: a semi-definite Ω (a correlation of exactly 1) has none and is refused there, while
 * simulation (replicates, VPC) samples it through the model's semi-definite Cholesky factor, as
 * `population` does.
 */
function estimatedEffects(model: Model, records: readonly DataRecord[], options: ObjectiveOptions, forEstimation = true): Effects {
  const nRec = records.length;
  const etaNames = model.omega?.names ?? [];
  // plain loops, not map/filter: an array TurboFan's inlined map() or filter() makes has another
  // elements kind (holey) than the interpreter's (packed), so every function that reads these lists
  // (setEffects, effects, values) was deoptimized ("wrong map") and compiled again once this one was
  // optimized, in every worker (README: "Scaling to 2 workers")
  const etaFree = freeIndices(model.omega);
  const kNames = model.iov?.names ?? [];
  const kFree = freeIndices(model.iov);
  // an effect only given parameters read (overrides, or a data column of the parameter: CL on every
  // record) is not estimated either: W_ETA_NOT_ESTIMATED. Not for simulation (replicates draw every
  // effect, read or not: the draws of the others stay those of the same seed)
  for (const { effect } of overriddenEffects(model, options.overrides, forEstimation ? records : undefined)) {
    const e = etaFree.indexOf(etaNames.indexOf(effect));
    if (e >= 0) etaFree.splice(e, 1);
    const k = kFree.indexOf(kNames.indexOf(effect));
    if (k >= 0) kFree.splice(k, 1);
  }
  const occasionOf = new Int32Array(nRec);
  let occasions: number[] = [];
  if (model.iov && kNames.length > 0) {
    const col = model.iov.occasion as string;
    occasions = [...new Set(records.map((r) => dataItem(r.items, col)))].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    if (occasions.length === 0) throw Errors.record((records[0] as DataRecord).row, col, NaN, `the model has IOV by ${col}, but the records have no ${col} values`, options.file);
    // a record without its occasion took the first occasion's κ (a level inside occasion 2 read
    // occasion 1's clearance); NONMEM would read "." as occasion 0, which no κ belongs to either
    records.forEach((r, i) => {
      const o = occasions.indexOf(dataItem(r.items, col));
      if (o < 0) throw Errors.record(r.row, col, 'missing', `the model has IOV by ${col} (κ per occasion): every record needs its occasion`, options.file);
      occasionOf[i] = o;
    });
  }
  const nOcc = occasions.length;
  const nEtaFree = etaFree.length;
  const nKFree = kFree.length;
  const dim = nEtaFree + nOcc * nKFree;
  const labels: string[] = [];
  for (const i of etaFree) labels.push(etaNames[i] as string);
  for (const o of occasions) for (const j of kFree) labels.push(`${kNames[j] as string}@${o}`);
  const priorCovariance = new Float64Array(dim * dim);
  const subBlock = (m: readonly (readonly number[])[], idx: readonly number[], off: number): void => {
    idx.forEach((a, i) => idx.forEach((b, j) => (priorCovariance[(off + i) * dim + off + j] = (m[a] as readonly number[])[b] as number)));
  };
  if (nEtaFree) subBlock((model.omega as NonNullable<Model['omega']>).matrix, etaFree, 0);
  for (let o = 0; o < nOcc; o++) subBlock((model.iov as NonNullable<Model['iov']>).matrix, kFree, nEtaFree + o * nKFree);
  const priorSd = new Float64Array(dim);
  for (let i = 0; i < dim; i++) priorSd[i] = Math.sqrt(priorCovariance[i * dim + i] as number);
  // refused naming the cause (a pair correlated ±1, a combination without variance), rounding alike
  const notDefinite = dim && forEstimation ? priorNotDefinite(priorCovariance, dim, labels) : undefined;
  if (notDefinite) throw notDefinite;
  const priorPrecision = dim && forEstimation ? inverseSpd(priorCovariance, dim) : new Float64Array(0);
  if (!priorPrecision) throw Errors.model('omega', 'the covariance of the estimated random effects must be positive definite');
  return { etaNames, etaFree, kNames, kFree, occasionOf, occasions, nEtaFree, nKFree, dim, labels, priorCovariance, priorSd, priorPrecision };
}

/** The records' parameter-set groups and how a point x fills their kernel sets. */
interface ParameterSets {
  readonly randomNames: ReadonlySet<string>;
  /** Data items pin parameters: every evaluation goes through model.evaluate. */
  readonly slowPath: boolean;
  readonly groupOf: Int32Array;
  readonly G: number;
  /** Every group evaluated at η = 0. */
  readonly groupEval0: readonly Evaluation[];
  readonly groupBase: readonly Float64Array[];
  /** Scratch slot vector. */
  readonly v: Float64Array;
  /** Sets the random-effect slots of target for group g at point x (offset xo). */
  setEffects(x: ArrayLike<number>, xo: number, g: number, target: Float64Array): void;
  /** Named random effects at x, for the checked evaluation path. */
  effectOverrides(x: ArrayLike<number>, xo: number, g: number): Record<string, number>;
  /** Kernel sets (and modifiers) of every group at point x into params at group offset `pOff`; false when a parameter is invalid there. */
  fillPoint(x: ArrayLike<number>, xo: number, params: Float64Array, pOff: number, mods: Modifiers[] | undefined): boolean;
}

/** Phase 2: records → parameter-set groups (engine/groups.ts), each evaluated once at η = 0. */
function parameterSets(model: Model, records: readonly DataRecord[], fx: Effects, options: ObjectiveOptions): ParameterSets {
  const stride = model.parStride;
  const ev = model.slots;
  const overrides = options.overrides ?? {};
  const { etaNames, etaFree, kNames, kFree, occasionOf, nEtaFree, nKFree } = fx;
  // ---- records → parameter-set groups ----
  const randomNames = new Set([...etaNames, ...kNames]);
  // the estimate sets every random effect (a fixed-variance one to 0): a value given for one would
  // be overwritten without a word
  for (const name of Object.keys(overrides))
    if (randomNames.has(name))
      throw Errors.option('overrides', `a value for ${name}: ${name} is a random effect, which MAP estimates (the value would be overwritten); to fix an individual parameter, give the parameter itself (e.g. CL=4)`, overrides[name]);
  // loops, not filter(): the key function below reads these lists (see freeIndices)
  const recordInputs: string[] = [];
  for (const n of ev.inputs) if (!randomNames.has(n)) recordInputs.push(n);
  const pinnable: string[] = [];
  for (const n of model.parameterNames) if (!randomNames.has(n)) pinnable.push(n);
  // data items named like a parameter replace it (model.evaluate's rule): the slot evaluator cannot pin them
  const slowPath = records.some((r) => pinnable.some((n) => !Number.isNaN(overrides[n] ?? exact(r.items, n))));
  const keyNames = slowPath ? [...recordInputs, ...pinnable] : recordInputs;
  // the key built in a loop (the same text as map().join(',')): see freeIndices
  const { groupOf, groupRecord } = parameterGroups(records, (r, i) => {
    let key = `${occasionOf[i]}|`;
    for (let j = 0; j < keyNames.length; j++) {
      const n = keyNames[j] as string;
      key += `${j > 0 ? ',' : ''}${overrides[n] ?? exact(r.items, n)}`;
    }
    return key;
  });
  const G = groupRecord.length;
  const zeroEffects: Record<string, number> = Object.fromEntries([...randomNames].map((n) => [n, 0]));
  // evaluate every group once at η = 0 through the model's checked path: errors name the record,
  // and the data file (they named the row alone: "row 1, parameter CL: must be ≥ 0")
  // lists the closures below read are built by loops, not map(): see freeIndices
  const groupEval0: Evaluation[] = [];
  for (const r of groupRecord) {
    const rec = records[r] as DataRecord;
    try {
      groupEval0.push(model.evaluate(rec.items, { ...overrides, ...zeroEffects }, rec.row));
    } catch (e) {
      throw e instanceof DosewiseError && e.code === 'E_PARAMETER' && e.place.row !== undefined && options.file !== undefined ? Errors.inFile(options.file, e) : e;
    }
  }
  const groupBase = groupBases(model, records, groupRecord, (r, name) => overrides[name] ?? exact(r.items, name), options.file);
  const groupOcc: number[] = [];
  for (const r of groupRecord) groupOcc.push(occasionOf[r] as number);
  const etaSlots: number[] = [];
  for (const n of etaNames) etaSlots.push(ev.slot(n));
  const kSlots: number[] = [];
  for (const n of kNames) kSlots.push(ev.slot(n));
  for (const r of records) if (r.CMT > model.nStates) throw Errors.record(r.row, 'CMT', r.CMT, compartmentBeyondWhy(r, model.nStates), options.file);
  const v = new Float64Array(ev.nSlots);

  /** Sets the random-effect slots of v for group g at point x (offset xo). */
  const setEffects = (x: ArrayLike<number>, xo: number, g: number, target: Float64Array): void => {
    for (let j = 0; j < etaSlots.length; j++) if ((etaSlots[j] as number) >= 0) target[etaSlots[j] as number] = 0;
    for (let j = 0; j < nEtaFree; j++) {
      const s = etaSlots[etaFree[j] as number] as number;
      if (s >= 0) target[s] = x[xo + j] as number;
    }
    if (kNames.length) {
      for (let j = 0; j < kSlots.length; j++) if ((kSlots[j] as number) >= 0) target[kSlots[j] as number] = 0;
      const base = xo + nEtaFree + (groupOcc[g] as number) * nKFree;
      for (let j = 0; j < nKFree; j++) {
        const s = kSlots[kFree[j] as number] as number;
        if (s >= 0) target[s] = x[base + j] as number;
      }
    }
  };

  /** Named random effects at x, for the checked evaluation path. */
  const effectOverrides = (x: ArrayLike<number>, xo: number, g: number): Record<string, number> => {
    const o: Record<string, number> = { ...overrides, ...zeroEffects };
    for (let j = 0; j < nEtaFree; j++) o[etaNames[etaFree[j] as number] as string] = x[xo + j] as number;
    const base = xo + nEtaFree + (groupOcc[g] as number) * nKFree;
    for (let j = 0; j < nKFree; j++) o[kNames[kFree[j] as number] as string] = x[base + j] as number;
    return o;
  };

  /**
   * Kernel sets (and modifiers) of every group at point x into params at group offset `pOff`.
   * Returns false when a parameter is invalid there.
   */
  const fillPoint = (x: ArrayLike<number>, xo: number, params: Float64Array, pOff: number, mods: Modifiers[] | undefined): boolean => {
    for (let g = 0; g < G; g++) {
      if (slowPath) {
        let e: Evaluation;
        try {
          const rec = records[groupRecord[g] as number] as DataRecord;
          e = model.evaluate(rec.items, effectOverrides(x, xo, g), rec.row);
        } catch {
          return false;
        }
        params.set(e.kernel, (pOff + g) * stride);
        if (mods) mods[g] = e;
        continue;
      }
      v.set(groupBase[g] as Float64Array);
      setEffects(x, xo, g, v);
      if (ev.run(v, params, (pOff + g) * stride)) return false;
      if (mods) {
        try {
          mods[g] = ev.modifiers(v);
        } catch {
          return false;
        }
      }
    }
    return true;
  };

  return { randomNames, slowPath, groupOf, G, groupEval0, groupBase, v, setEffects, effectOverrides, fillPoint };
}

interface Likelihood {
  /** Observation records, BLQ ones included. */
  readonly obs: readonly ObsSpec[];
  /** Data part of the OFV from the predictions of one point (optionally variances and IWRES per record). */
  dataOfv(out: Float64Array, oOff: number, varOut?: Float64Array, wresOut?: Float64Array): number;
}

/** Phase 3: the observations and the residual-error likelihood. */
function likelihood(model: Model, records: readonly DataRecord[], options: ObjectiveOptions): Likelihood {
  // ---- observations ----
  // each observation's residual error: its output's (DVID, else CMT) in a model with several, else the model's
  const residualOf = (r: DataRecord): Residual => {
    if (!model.outputs) refuseOtherDvid(r, options.file);
    const res = recordResidual(model, r, options.file);
    if (res === undefined) throw Errors.model('residual', 'estimation needs a residual error model');
    return res;
  };
  const logDv = options.logDv ?? true;
  const blqFlag = options.blq === false ? undefined : (options.blq?.flag ?? 'BLQ');
  const blqLloq = options.blq === false ? undefined : (options.blq?.lloq ?? 'LLOQ');
  if (blqFlag !== undefined && blqLloq !== undefined) refuseUnreadCensoring(records, blqFlag, blqLloq, options.file);
  const obs: ObsSpec[] = [];
  // the time of the first dose since the last reset (EVID 3, 4)
  let firstDose = Infinity;
  records.forEach((r, i) => {
    if (r.EVID === 3 || r.EVID === 4) firstDose = Infinity;
    if (isDose(r) && (r.AMT > 0 || r.RATE > 0) && !(firstDose <= r.TIME)) firstDose = r.TIME;
    if (r.EVID !== 0 || r.MDV !== 0) return;
    const isBlq = blqFlag !== undefined && blqFlagOf(r, blqFlag, options.file);
    const lloq0 = blqLloq !== undefined ? dataItem(r.items, blqLloq) : NaN;
    const lloq = Number.isFinite(lloq0) ? lloq0 : r.DV;
    if (!isBlq && !Number.isFinite(r.DV)) return;
    if (isBlq && !Number.isFinite(lloq)) throw Errors.record(r.row, blqLloq ?? 'LLOQ', lloq, 'a BLQ record needs its LLOQ (LLOQ column, or DV)', options.file);
    const residual = residualOf(r);
    const expo = residual.model === 'exponential';
    if (isBlq) refuseBlqLimit(r, lloq, Number.isFinite(lloq0) ? (blqLloq as string) : 'DV', !expo ? 'concentration' : logDv ? 'log' : 'logged', options.file);
    // log 0 and the log of a negative level do not exist: the objective was Infinity or NaN at every
    // point, and the estimate came back as the prior mode, "not converged", with exit 0
    if (expo && !logDv && !isBlq && !(r.DV > 0))
      throw Errors.record(r.row, 'DV', r.DV, 'a level must be > 0: its logarithm is taken (exponential error with DV in concentration units, logDv false); a level below the limit of quantification is a BLQ record', options.file);
    let y = r.DV;
    let lq = lloq;
    if (expo && !logDv) {
      // the LLOQ, like DV, is then in concentration units
      y = Math.log(y);
      lq = Math.log(lq);
    }
    obs.push({ rec: i, blq: isBlq, y, lloq: lq, residual, expo, guard: !(firstDose < r.TIME) });
  });

  /** Data part of the OFV from the predictions of one point. */
  const dataOfv = (out: Float64Array, oOff: number, varOut?: Float64Array, wresOut?: Float64Array): number => {
    let s = 0;
    for (const o of obs) {
      const f = out[oOff + o.rec] as number;
      if (!Number.isFinite(f)) return Infinity;
      let fp = f;
      if (o.expo) {
        if (!(f > 0)) {
          if (o.blq) continue; // log f = −∞: certainly below the limit, Φ = 1
          return Infinity;
        }
        fp = Math.log(f);
      }
      const V = f === 0 && !o.guard ? simulatedVariance(o.residual, f) : residualVariance(o.residual, f);
      if (varOut) varOut[o.rec] = V;
      if (!(V > 0)) return Infinity;
      if (o.blq) s += -2 * logNormalCdf((o.lloq - fp) / Math.sqrt(V));
      else {
        const d = o.y - fp;
        s += (d * d) / V + Math.log(V);
        if (wresOut) wresOut[o.rec] = d / Math.sqrt(V);
      }
    }
    return s;
  };

  return { obs, dataOfv };
}

const sameArray = (a: Float64Array, b: Float64Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

/** Equal lag, F, rate, duration, scale and switch times in every group (NaN equal to NaN): the same event table. */
function sameModifiers(a: readonly Modifiers[], b: readonly Modifiers[]): boolean {
  for (let g = 0; g < a.length; g++) {
    const x = a[g] as Modifiers;
    const y = b[g] as Modifiers;
    if (!sameArray(x.lag, y.lag) || !sameArray(x.F, y.F) || !sameArray(x.R, y.R) || !sameArray(x.D, y.D) || !sameArray(x.S, y.S)) return false;
    if (x.switches !== y.switches && !(x.switches && y.switches && sameArray(x.switches, y.switches))) return false;
  }
  return true;
}

/** The empty list of a Problem whose event table does not depend on the points (never written). */
const NO_TABLES: EventTable[] = [];

/** The modifiers' values as text: equal modifiers give equal keys (−0 and 0 share one; sameModifiers tells them apart). */
function modifiersKey(mods: readonly Modifiers[]): string {
  let key = '';
  for (const m of mods) {
    for (const a of [m.lag, m.F, m.R, m.D, m.S]) key += a.join(',') + ';';
    key += (m.switches?.join(',') ?? '') + '|';
  }
  return key;
}

const copyModifiers = (m: Modifiers): Modifiers => ({ lag: m.lag.slice(), F: m.F.slice(), R: m.R.slice(), D: m.D.slice(), S: m.S.slice(), ...(m.switches ? { switches: m.switches.slice() } : {}) });

/**
 * This thread's scratch buffers by length and role (0 parameter sets, 1 observations, 2 one kernel
 * set written and not read): every objective of every patient fills a buffer completely before the
 * engine call that reads it and reads the observations before its next call, so one buffer per
 * length serves them all. Kept bounded: a layout that still points at a dropped buffer is made
 * again (run() checks).
 */
const scratchBuffers = new Map<number, Float64Array>();
function scratch(length: number, role: 0 | 1 | 2): Float64Array {
  const key = 3 * length + role;
  let b = scratchBuffers.get(key);
  if (!b) {
    if (scratchBuffers.size >= 64) scratchBuffers.clear();
    scratchBuffers.set(key, (b = new Float64Array(length)));
  }
  return b;
}

/**
 * sharedTableIndex() kept per thread like scratch(), so that a patient's objective makes no index
 * columns (the engine only reads them).
 */
const indexCache = new Map<string, Omit<SubjectLayout, 'events' | 'params'>>();
function sharedIndex(n: number, groups: number, rows: number, tableRows: number): Omit<SubjectLayout, 'events' | 'params'> {
  const key = `${n}|${groups}|${rows}|${tableRows}`;
  let l = indexCache.get(key);
  if (!l) {
    if (indexCache.size >= 64) indexCache.clear();
    indexCache.set(key, (l = sharedTableIndex(n, groups, rows, tableRows)));
  }
  return l;
}

/** Below this rtol DOP853 takes fewer steps than Dormand–Prince for the same error (README, W-ode). */
const DOP853_RTOL = 1e-7;

/**
 * The engine method of a Problem. The MAP objective of an ODE model left to 'auto' at a tight
 * tolerance integrates with DOP853 (RODAS4 from where its stiffness test fires): an estimate
 * solves the model a few hundred times, and at rtol 1e-8 DOP853 needs 2–5× fewer steps at a smaller
 * error. Simulations of a subject's points (forecasts) keep the model's method.
 */
function objectiveMethod(model: Model, options: ObjectiveOptions, objective: boolean): number {
  const m = resolveMethod(model, options.method);
  if (!objective || options.method !== undefined || m !== Method.Auto) return m;
  return (options.rtol ?? model.solver.rtol) <= DOP853_RTOL ? Method.AutoDop853 : m;
}

/**
 * What a Problem is solved for: simulations of a subject's points (the model's method), the MAP
 * objective, or the global search's screen of its start points (looser tolerances, see
 * SCREEN_RTOL).
 */
type ProblemUse = 'simulate' | 'objective' | 'screen';

/**
 * The screen's tolerances. The global search evaluates ~80 start and hill–valley points per patient
 * only to rank them and to decide which deserve a local optimization; on an ODE model each is a cold
 * steady state and a full profile. At rtol 1e-6 DOP853 takes about half the steps of rtol 1e-8 and
 * the OFV moves by ≤ 1.3e-3 (5-compartment parent–metabolite text, 40 patients × 17 starts, against
 * rtol 1e-10); the search re-evaluates at full accuracy every point whose decision lies within its
 * margin (global.ts, SCREEN_MARGIN), so the decisions are those of the accurate objective.
 */
const SCREEN_RTOL = 1e-6;
const SCREEN_ATOL = 1e-8;
const SCREEN_SS_TOL = 1e-6;

/**
 * Simulates `count` points in one engine call (and their metrics in the same call, when asked).
 * With `transient`, the observations may sit in a buffer the next call overwrites: for a caller that
 * reads them at once (the objective), so that no array is made per call.
 */
type RunPoints = (xs: ArrayLike<number>, count: number, metricDefs?: MetricArrays, transient?: boolean, rows?: Int32Array) => RunResult;

/**
 * Phase 4: the patient's Problem (engine/problem.ts): the event table, compiled once unless the
 * random effects move it, and the solver; each run lays out a batch of points and solves it.
 */
function mapProblem(model: Model, records: readonly DataRecord[], fx: Effects, sets: ParameterSets, options: ObjectiveOptions, use: ProblemUse = 'simulate', onSetup?: (shared: EventTable | undefined, solver: SolverSetup, eng: Engine) => void): RunPoints {
  const stride = model.parStride;
  const ev = model.slots;
  const nRec = records.length;
  const { dim } = fx;
  const { randomNames, groupOf, G, groupEval0, fillPoint } = sets;
  // ---- event table ----
  // the table carries lag/F/rate/duration and the scales 1/S<CMT> of other-compartment records
  const perPointTable = ev.modifiersDependOn(randomNames);
  const shared: EventTable | undefined = perPointTable
    ? undefined
    : compileGrouped(model, records, groupOf, recordEvaluations(groupOf, groupEval0), options.file);

  checkSolverOptions(options);
  // the objective's batches are stencils and line-search points around their first point: warm
  // steady states (a subject's result then depends on the batch's first to within ssTol)
  const objective = use !== 'simulate';
  const method = objectiveMethod(model, options, objective);
  const solver =
    use === 'screen' && method !== Method.Analytic
      ? { ...solverSetup(model, method, Math.max(SCREEN_RTOL, options.rtol ?? model.solver.rtol), Math.max(SCREEN_ATOL, options.atol ?? model.solver.atol)), ssTol: SCREEN_SS_TOL, ssWarm: true }
      : { ...solverSetup(model, method, options.rtol, options.atol), ssWarm: objective };
  const eng = options.engine ?? threadEngine(model);
  onSetup?.(shared, solver, eng);

  const recordTimes = Float64Array.from(records, (r) => r.TIME);

  // The optimizer calls run() ~70 times per patient with the same few counts: the parameter sets
  // and the batch layout of a count are made once and reused (the engine copies them in), so an
  // objective evaluation leaves little garbage behind (see README, MAP through the pool).
  // Output buffers likewise: a typed array of more than 64 bytes lives outside V8's heap, and making
  // and freeing one per call (malloc, then V8's sweeper and free() on its helper threads) took
  // 6–7 % of each worker's samples and half the helpers' in a MAP cohort on two workers (README,
  // "Typed arrays outside V8's heap").
  // Both kinds are kept per thread by length (scratch()), since each patient has its own objective.
  const sharedLayouts = new Map<number, SubjectLayout>();
  const run = (xs: ArrayLike<number>, count: number, metricDefs?: MetricArrays, transient = false, rows?: Int32Array): RunResult => {
    // with metrics, `rows` picks the records whose outputs return (the rest only feed the metrics)
    const keep = metricDefs && rows ? rows : undefined;
    const nOut = keep ? keep.length : nRec;
    const params = scratch(count * G * stride, 0);
    const ok = new Uint8Array(count);
    const live: number[] = [];
    // the table depends on the points only through their modifiers: the points of a stencil that
    // move no lag, F, rate, duration or scale share their table (compiled once per batch); a model
    // whose modifiers do not depend on the points needs none of this (no garbage per call)
    const tables: EventTable[] = perPointTable ? [] : NO_TABLES;
    const mods: Modifiers[] | undefined = perPointTable ? new Array<Modifiers>(G) : undefined;
    // by a key of the modifiers' values (then compared exactly): a linear search over the tables
    // compiled so far made a forecast of 50,000 draws whose scale moves with η quadratic (> 200 s)
    const compiled = new Map<string, { mods: Modifiers[]; table: EventTable }[]>();
    for (let k = 0; k < count; k++) {
      const good = fillPoint(xs, k * dim, params, k * G, mods);
      if (!good) continue;
      if (mods) {
        const key = modifiersKey(mods);
        const bucket = compiled.get(key);
        const same = bucket?.find((c) => sameModifiers(c.mods, mods));
        if (same) tables.push(same.table);
        else {
          try {
            const table = compileGrouped(model, records, groupOf, groupEvaluations(groupOf, params.subarray(k * G * stride, (k + 1) * G * stride), mods, stride), options.file);
            tables.push(table);
            const entry = { mods: mods.map(copyModifiers), table };
            if (bucket) bucket.push(entry);
            else compiled.set(key, [entry]);
          } catch {
            continue;
          }
        }
      }
      ok[k] = 1;
      live.push(k);
    }
    const n = live.length;
    const nM = metricDefs ? metricDefs.type.length : 0;
    if (n === 0) {
      return {
        obs: new Float64Array(count * nOut).fill(NaN),
        ok,
        metrics: metricDefs ? new Float64Array(count * nM).fill(NaN) : undefined,
      };
    }
    let subjects: SubjectLayout;
    if (shared && n === count) {
      // the layout (with this count's parameter buffer) is made once per count
      let l = sharedLayouts.get(n);
      if (!l || l.params !== params) sharedLayouts.set(n, (l = { ...sharedIndex(n, G, nRec, shared.n), events: shared, params }));
      subjects = l;
    } else subjects = layoutGrouped(shared ?? tables, params, { n, groups: G, rows: nRec, setOf: live });
    const into = transient && !metricDefs && n === count ? scratch(count * nRec, 1) : undefined;
    const res = solve({ solver, subjects, amounts: false, metrics: metricDefs ? { times: recordTimes, defs: metricDefs, keepProfiles: keep ?? true } : undefined }, eng, into);
    const withMetrics = res.metrics;
    if (n === count) {
      // every point live: the engine's outputs are already in point order (no copy)
      for (let k = 0; k < count; k++) {
        if (res.status[k] === Status.Ok) continue;
        ok[k] = 0;
        res.obs.fill(NaN, k * nOut, (k + 1) * nOut);
        withMetrics?.fill(NaN, k * nM, (k + 1) * nM);
      }
      return { obs: res.obs, ok, metrics: withMetrics };
    }
    const obsOut = new Float64Array(count * nOut).fill(NaN);
    const metricsOut = metricDefs ? new Float64Array(count * nM).fill(NaN) : undefined;
    live.forEach((k, i) => {
      if (res.status[i] !== Status.Ok) {
        ok[k] = 0;
        return;
      }
      obsOut.set(res.obs.subarray(i * nOut, (i + 1) * nOut), k * nOut);
      if (metricsOut && withMetrics) metricsOut.set(withMetrics.subarray(i * nM, (i + 1) * nM), k * nM);
    });
    return { obs: obsOut, ok, metrics: metricsOut };
  };
  return run;
}

/** One subject's random-effect layout and a simulator of points in it (mapObjective without the likelihood). */
export interface SubjectPoints {
  /** Free values per point: the estimated η (ω > 0, model.omega order), then per occasion the free κ. */
  readonly dim: number;
  readonly labels: readonly string[];
  /** Indices (model.omega order) of the η with ω > 0, and (model.iov order) of the κ with ω_IOV > 0. */
  readonly etaFree: readonly number[];
  readonly kappaFree: readonly number[];
  /** Occasion values (IOV), ascending; empty without IOV. */
  readonly occasions: readonly number[];
  /**
   * Simulates `count` points (row k = xs[k·dim ..]) in ONE engine call: the model output per record.
   * `transient`: the result's `obs` is this thread's scratch, overwritten by the next call of any
   * subject (a caller that copies it at once makes no garbage per call).
   */
  simulate(xs: Float64Array, count: number, transient?: boolean): SimulatedPoints;
}

/**
 * The points of one subject's records (a single ID, in time order) for simulation: the same
 * effects, parameter sets and Problem as the MAP objective, with no residual model required.
 */
export function subjectPoints(model: Model, records: readonly DataRecord[], options: ObjectiveOptions = {}): SubjectPoints {
  if (records.length === 0) throw Errors.record(0, 'ID', undefined, 'a subject needs at least one record');
  const fx = estimatedEffects(model, records, options, false);
  const run = mapProblem(model, records, fx, parameterSets(model, records, fx, options), options);
  return {
    dim: fx.dim,
    labels: fx.labels,
    etaFree: fx.etaFree,
    kappaFree: fx.kFree,
    occasions: fx.occasions,
    simulate: (xs, count, transient = false) => {
      const r = run(xs, count, undefined, transient);
      return { obs: r.obs, ok: r.ok };
    },
  };
}

/**
 * Adds one observation's expected information ∇f∇fᵀ/V + ½ ∇V∇Vᵀ/V² to info (dim×dim), with ∇f and
 * ∇V at df[off..off+dim), dV[off..off+dim).
 */
export function addInformation(info: Float64Array, dim: number, df: Float64Array, dV: Float64Array, off: number, V: number): void {
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < dim; b++)
      info[a * dim + b] = (info[a * dim + b] as number) + ((df[off + a] as number) * (df[off + b] as number)) / V + (0.5 * (dV[off + a] as number) * (dV[off + b] as number)) / (V * V);
}

/**
 * Adds one BLQ (M3, left-censored) observation's expected information to info (dim×dim): the
 * Fisher information of a normal observation N(μ, σ²) that reads "below `limit`" when it falls
 * below it and its value otherwise (Tobit), with ∇μ at dmu[off..off+dim) and ∇Var at
 * dV[off..off+dim), μ on the likelihood's scale (log with exponential error). With
 * z = (limit − μ)/σ, P = Φ(z), φ = φ(z), ∇σ = ∇Var/(2σ):
 *
 *   σ²·I = A₂ ∇μ∇μᵀ + A₃ (∇μ∇σᵀ + ∇σ∇μᵀ) + A₄ ∇σ∇σᵀ + (φ²/P) (∇μ + z∇σ)(∇μ + z∇σ)ᵀ
 *
 * where A₂ = (1 − P) + zφ, A₃ = (z² + 1)φ, A₄ = (z³ + z)φ + 2(1 − P) are the moments
 * E[u²], E[u(u² − 1)], E[(u² − 1)²] of u = (y − μ)/σ over the quantified side u > z, and the last
 * term is the censored side's. Far above the limit (z → −∞) it is the quantified record's
 * ∇μ∇μᵀ/Var + ½ ∇Var∇Varᵀ/Var². Leaving BLQ records out gave an all-BLQ patient the prior as
 * its posterior covariance while the estimate had moved.
 */
export function addCensoredInformation(info: Float64Array, dim: number, dmu: Float64Array, dV: Float64Array, off: number, mu: number, V: number, limit: number): void {
  const sd = Math.sqrt(V);
  const z = (limit - mu) / sd;
  const logP = logNormalCdf(z);
  // 1 − Φ(z) = Φ(−z), exact also where Φ(z) rounds to 1
  const Q = Math.exp(logNormalCdf(-z));
  const logPhi = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
  const phi = Math.exp(logPhi);
  const A2 = Q + z * phi;
  const A3 = (z * z + 1) * phi;
  const A4 = (z * z * z + z) * phi + 2 * Q;
  const R = Math.exp(2 * logPhi - logP);
  for (let a = 0; a < dim; a++) {
    const ma = dmu[off + a] as number;
    const sa = (dV[off + a] as number) / (2 * sd);
    for (let b = 0; b < dim; b++) {
      const mb = dmu[off + b] as number;
      const sb = (dV[off + b] as number) / (2 * sd);
      const v = A2 * ma * mb + A3 * (ma * sb + sa * mb) + A4 * sa * sb + R * (ma + z * sa) * (mb + z * sb);
      info[a * dim + b] = (info[a * dim + b] as number) + v / V;
    }
  }
}

/**
 * Builds the MAP objective of one patient (records of a single ID, in time order): the estimated
 * effects, their parameter sets, the likelihood and the Problem, then the objective on top.
 */
export function mapObjective(model: Model, records: readonly DataRecord[], options: ObjectiveOptions = {}): MapObjective {
  const stride = model.parStride;
  if (records.length === 0) throw Errors.record(0, 'ID', undefined, 'a patient needs at least one record');
  const id = (records[0] as DataRecord).ID;
  for (const r of records) if (r.ID !== id) throw Errors.record(r.row, 'ID', r.ID, `estimation works on one patient at a time (first ID ${id})`, options.file);
  // in time order, as readNmtran refuses others: records built in code out of order gave another estimate (η 0.048 for 0.179)
  checkRecordOrder(records, options.file);
  // a column of text the model or the censoring reads, before the occasions and flags are read as numbers
  refuseTextItems(records, [...itemsReadBy(model), ...censoringColumns(options.blq)], options.file);

  const ev = model.slots;
  const nRec = records.length;

  const fx = estimatedEffects(model, records, options);
  // the data items' refusals come before any record is evaluated: a column in another case than the
  // model's name (CrCl for CRCL) is named as a column, not as a parameter without a value
  refuseFlagItems(model, records, options.file, undefined, options.overrides);
  refusePartlyMissingItems(model, records, options.file, options.overrides);
  records = fillUnreadBlanks(model, records);
  refuseBlankInputs(model, records, options.file, options.overrides);
  const sets = parameterSets(model, records, fx, options);
  const { obs, dataOfv } = likelihood(model, records, options);
  let fast: MapFast | undefined;
  const run = mapProblem(model, records, fx, sets, options, 'objective', (shared, solver, eng) => {
    if (obs.length === 0) return;
    fast = mapFast(
      model,
      { etaNames: fx.etaNames, etaFree: fx.etaFree, kNames: fx.kNames, dim: fx.dim, priorPrecision: fx.priorPrecision, slowPath: sets.slowPath, G: sets.G, groupBase: sets.groupBase, nRec, setEffects: sets.setEffects },
      obs,
      shared,
      solver,
      eng,
    );
  });
  // the global search's screen, made when first asked
  let runScreen: RunPoints | undefined;
  // simulations (forecasts, dose optimization) with the model's own method, made when first asked
  let runModel: RunPoints | undefined;
  const { etaNames, etaFree, kNames, kFree, occasions, nEtaFree, nKFree, dim, labels, priorCovariance, priorSd, priorPrecision } = fx;
  const { slowPath, groupOf, groupBase, v, setEffects, effectOverrides } = sets;

  // ---- objective ----
  const priorOfv = (x: ArrayLike<number>, xo: number): number => (dim ? quadratic(priorPrecision, x, dim, xo) : 0);

  const ofvWith = (runPoints: RunPoints, xs: Float64Array, count: number, out: Float64Array): void => {
    const r = obs.length ? runPoints(xs, count, undefined, true) : undefined;
    for (let k = 0; k < count; k++) {
      const prior = priorOfv(xs, k * dim);
      if (!r) {
        out[k] = prior;
        continue;
      }
      out[k] = r.ok[k] ? dataOfv(r.obs, k * nRec) + prior : Infinity;
    }
  };
  const engineObjective = fast;
  const ofvBatch = engineObjective
    ? (xs: Float64Array, count: number, out: Float64Array): void => engineObjective.batch(xs, count, out)
    : (xs: Float64Array, count: number, out: Float64Array): void => ofvWith(run, xs, count, out);
  const screenBatch = (xs: Float64Array, count: number, out: Float64Array): void => ofvWith((runScreen ??= mapProblem(model, records, fx, sets, options, 'screen')), xs, count, out);

  const asArray = (x: ArrayLike<number>): Float64Array => {
    if (x.length !== dim) throw Errors.parameter('random effects', x.length, `expected ${dim} values (${labels.join(', ')})`);
    return Float64Array.from(x);
  };

  const observations = Int32Array.from(obs.map((o) => o.rec));
  const blqMask = Uint8Array.from(obs.map((o) => (o.blq ? 1 : 0)));
  const blqLimit = Float64Array.from(obs.map((o) => (o.blq ? o.lloq : NaN)));
  const logScale = Uint8Array.from(obs.map((o) => (o.expo && (options.logDv ?? true) ? 1 : 0)));

  return {
    model,
    records,
    dim,
    labels,
    priorCovariance,
    priorSd,
    observations,
    blq: blqMask,
    blqLimit,
    logScale,
    occasions,
    fast: engineObjective,
    ofv(x) {
      const out = new Float64Array(1);
      ofvBatch(asArray(x), 1, out);
      return out[0] as number;
    },
    ofvBatch,
    screenBatch,
    predict(x) {
      const xa = asArray(x);
      const r = run(xa, 1);
      const ipred = new Float64Array(nRec).fill(NaN);
      const varOut = new Float64Array(nRec).fill(NaN);
      const iwres = new Float64Array(nRec).fill(NaN);
      if (!r.ok[0]) return { ipred, variance: varOut, iwres, ofv: Infinity };
      ipred.set(r.obs.subarray(0, nRec));
      const ofv = dataOfv(r.obs, 0, varOut, iwres) + priorOfv(xa, 0);
      return { ipred, variance: varOut, iwres, ofv };
    },
    effects(x) {
      // loops, not map(): see freeIndices
      const eta = zeros(etaNames.length);
      for (let j = 0; j < nEtaFree; j++) eta[etaFree[j] as number] = x[j] as number;
      const kappa: number[][] = [];
      for (let o = 0; o < occasions.length; o++) {
        const k = zeros(kNames.length);
        for (let j = 0; j < nKFree; j++) k[kFree[j] as number] = x[nEtaFree + o * nKFree + j] as number;
        kappa.push(k);
      }
      return { eta, kappa };
    },
    values(x, r = 0) {
      const rec = records[r] as DataRecord;
      const g = groupOf[r] as number;
      return { ...model.evaluate(rec.items, effectOverrides(asArray(x), 0, g), rec.row).values };
    },
    slotValues(x, r, slots, out) {
      const g = groupOf[r] as number;
      if (slowPath) {
        const rec = records[r] as DataRecord;
        let e: Evaluation;
        try {
          e = model.evaluate(rec.items, effectOverrides(x, 0, g), rec.row);
        } catch {
          return false;
        }
        const names = Object.keys(e.values);
        slots.forEach((s, j) => (out[j] = e.values[names.find((n) => ev.slot(n) === s) as string] as number));
        return true;
      }
      v.set(groupBase[g] as Float64Array);
      setEffects(x, 0, g, v);
      if (ev.run(v, scratch(stride, 2), 0)) return false;
      slots.forEach((s, j) => (out[j] = v[s] as number));
      return true;
    },
    forwardInformation(x, step) {
      const xa = asArray(x);
      const count = dim + 1;
      const xs = new Float64Array(count * dim);
      const h = new Float64Array(dim);
      for (let k = 0; k < count; k++) xs.set(xa, k * dim);
      for (let j = 0; j < dim; j++) {
        const xj = xa[j] as number;
        const up = xj + step * Math.max(1, Math.abs(xj));
        xs[(1 + j) * dim + j] = up;
        h[j] = up - xj;
      }
      const r = run(xs, count);
      for (let k = 0; k < count; k++) if (!r.ok[k]) return undefined;
      const info = Float64Array.from(priorPrecision);
      const df = new Float64Array(dim);
      const dV = new Float64Array(dim);
      for (const o of obs) {
        if (o.blq) continue;
        const f0 = r.obs[o.rec] as number;
        const V0 = residualVariance(o.residual, f0);
        if (!(V0 > 0) || (o.expo && !(f0 > 0))) return undefined;
        const t0 = o.expo ? Math.log(f0) : f0;
        for (let j = 0; j < dim; j++) {
          const f = r.obs[(1 + j) * nRec + o.rec] as number;
          if (o.expo && !(f > 0)) return undefined;
          df[j] = ((o.expo ? Math.log(f) : f) - t0) / (h[j] as number);
          dV[j] = (residualVariance(o.residual, f) - V0) / (h[j] as number);
        }
        addInformation(info, dim, df, dV, 0, V0);
      }
      for (const v of info) if (!Number.isFinite(v)) return undefined;
      return info;
    },
    modifiersAt(x, r) {
      const g = groupOf[r] as number;
      if (slowPath) {
        const rec = records[r] as DataRecord;
        try {
          return model.evaluate(rec.items, effectOverrides(x, 0, g), rec.row);
        } catch {
          return undefined;
        }
      }
      v.set(groupBase[g] as Float64Array);
      setEffects(x, 0, g, v);
      if (ev.run(v, scratch(stride, 2), 0)) return undefined;
      try {
        return ev.modifiers(v);
      } catch {
        return undefined;
      }
    },
    simulate(xs, count, metrics, rows) {
      if (xs.length < count * dim) throw Errors.parameter('random effects', xs.length, `expected ${count} × ${dim} values`);
      runModel ??= mapProblem(model, records, fx, sets, options);
      const r = runModel(xs, count, metrics, false, rows);
      return { obs: r.obs, ok: r.ok, metrics: r.metrics };
    },
    simulateAsObjective(xs, count) {
      if (xs.length < count * dim) throw Errors.parameter('random effects', xs.length, `expected ${count} × ${dim} values`);
      const r = run(xs, count);
      return { obs: r.obs, ok: r.ok };
    },
  };
}
