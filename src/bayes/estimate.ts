// MAP Bayesian individualisation of one patient: the random effects that minimise the MAP objective
// (see objective.ts), the individual parameters and predictions there, and the Laplace posterior
// covariance (inverse Hessian of OFV/2 at the mode) with delta-method standard errors.

import { MODEL_APPROXIMATION_CODE, approximationMessage } from '../model/approximation.js';
import { OMEGA_IMPLAUSIBLE_CODE, implausibleVarianceMessages } from '../model/variance-plausible.js';
import { refuseItemValues } from '../model/item-values.js';
import { relevantNames } from '../engine/relevant-items.js';
import { recordSetWarnings } from './record-set-warnings.js';
import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { type DataRecord, withRows } from '../regimen/record.js';
import { checkRecords } from '../regimen/nmtran.js';
import { recordResidual } from '../engine/outputs.js';
import { checkOverrides, resolveMethod } from '../engine/simulate.js';
import { checkSolverOptions } from '../engine/solver-options.js';
import { optionKeys, refuseChoice, refuseUnknownKeys } from '../option-keys.js';
import { checkModel } from '../model/check-model.js';
import { Method } from '../abi.js';
import { choleskySpd, inverseSpd, symmetricEigenvalues, toRows } from './linalg.js';
import { addCensoredInformation, addInformation, mapObjective, type MapObjective, type ObjectiveOptions, type Predictions } from './objective.js';
import { minimize, scaledHessian, type MinimizeOptions } from './optimize.js';
import { mapFastLevel } from './map-fast.js';
import { boundaryProbes, discontinuityStarts, globalSearch, priorStarts } from './global.js';
import { flipFlopStart } from './flip-flop.js';
import { AMOUNT_LEVEL_CODE, amountObservationWarnings } from '../engine/amount-observations.js';
import { blqAboveLimitWarning, duplicateLevelWarning, levelAfterDoseWarnings, negativeLevelWarning } from './level-checks.js';
import { refuseLevelUnits, unreadUnitColumns } from './level-units.js';
import { refuseUnstartable } from './start-failure.js';
import { dvScaleWarning, lloqScaleWarning, farEffectWarning, FLAT_CURVATURE, IMPLAUSIBLE_IWRES, missingLevelWarning, timeText, zeroLevelWarning, levelWarnings, mapWarnings, MULTIMODAL_DOFV, type EstimateWarning, type LevelWarning, type MapWarning } from './warnings.js';
import { implausibleByRefit } from './implausible-levels.js';
import { contradictingLevelsWarnings } from './contradicting-levels.js';
import { refuseLooseItems } from '../regimen/loose-items.js';

export interface EstimateOptions extends ObjectiveOptions {
  /** Restart guard (see optimize.ts): 'auto' (default), 'always' or 'never'. */
  readonly restarts?: 'auto' | 'always' | 'never';
  /** Gradient tolerance on the OFV scale (default 1e-6 analytic, 1e-4 ODE). */
  readonly gtol?: number;
  readonly maxIterations?: number;
  /** Starting point in the order of `labels` (default 0). */
  readonly start?: ArrayLike<number>;
  /** Posterior covariance and standard errors (default true). */
  readonly covariance?: boolean;
  /**
   * 'hessian' (default): Laplace, the inverse of the finite-difference Hessian of OFV/2 at the mode.
   * 'expected': the inverse of the expected (Fisher) information Ω⁻¹ + Σ [∇f∇fᵀ/Var + ½ ∇Var∇Varᵀ/Var²]
   * over the quantified observations, which is what NONMEM reports as ETC, plus a BLQ (M3) record's
   * information as a censored normal observation (Tobit, objective.ts addCensoredInformation).
   */
  readonly covarianceMethod?: 'hessian' | 'expected';
  /** Check the levels for ones the estimate cannot be trusted on (see warnings.ts; default true). */
  readonly warnings?: boolean;
  /**
   * The global search for the lowest mode (global.ts: prior and lag/duration start points, local
   * optimizations from the promising ones; default true). false: one local optimization from
   * `start` with the restart guard only.
   */
  readonly global?: boolean;
  /**
   * ODE models: the global search screens its start and hill–valley points at looser tolerances
   * (MapObjective.screenBatch) and re-evaluates at full accuracy only the points whose decision is
   * within the screen's error (default true). false evaluates every point at full accuracy.
   */
  readonly screen?: boolean;
  /** The convergence report (gradient, Hessian, modes; default true). */
  readonly report?: boolean;
}

/** The keys of ObjectiveOptions (objective.ts): what every call that builds the MAP objective takes. */
export const OBJECTIVE_KEYS = optionKeys<ObjectiveOptions>({ method: true, rtol: true, atol: true, engine: true, blq: true, logDv: true, overrides: true, file: true });
export const ESTIMATE_KEYS = [
  ...OBJECTIVE_KEYS,
  ...optionKeys<Omit<EstimateOptions, keyof ObjectiveOptions>>({ restarts: true, gtol: true, maxIterations: true, start: true, covariance: true, covarianceMethod: true, warnings: true, global: true, screen: true, report: true }),
];
const BLQ_KEYS = optionKeys<Exclude<NonNullable<ObjectiveOptions['blq']>, false>>({ flag: true, lloq: true });


/**
 * Refuses estimate options that cannot be meant, before anything is solved (also on the main
 * thread of a cohort, before its workers start): solver settings, a gradient tolerance or iteration
 * limit out of range (gtol −1 or NaN ran one iteration and called it converged), a value other than
 * the ones an option takes, a BLQ option other than false or { flag, lloq } with column names.
 */
export function checkEstimateOptions(o: Omit<EstimateOptions, 'start'>): void {
  checkSolverOptions(o);
  if (o.gtol !== undefined && !(typeof o.gtol === 'number' && o.gtol > 0 && o.gtol < Infinity)) throw Errors.optionValue('gtol', o.gtol, 'the gradient tolerance must be a finite number > 0');
  if (o.maxIterations !== undefined && !(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) throw Errors.optionValue('maxIterations', o.maxIterations, 'must be an integer ≥ 1');
  refuseChoice('restarts', o.restarts, ['auto', 'always', 'never']);
  refuseChoice('covarianceMethod', o.covarianceMethod, ['hessian', 'expected']);
  for (const k of ['covariance', 'warnings', 'global', 'screen', 'report', 'logDv'] as const) refuseChoice(k, o[k], [true, false]);
  const blq: unknown = o.blq;
  if (blq === undefined || blq === false) return;
  if (typeof blq !== 'object' || blq === null || Array.isArray(blq)) throw Errors.optionValue('blq', blq, 'must be false (BLQ flags ignored) or { flag, lloq } naming the columns');
  refuseUnknownKeys(blq, BLQ_KEYS, 'estimate()', 'blq.');
  for (const k of BLQ_KEYS) {
    const v = (blq as Record<string, unknown>)[k];
    if (v !== undefined && !(typeof v === 'string' && v.trim() !== '')) throw Errors.optionValue(`blq.${k}`, v, 'must be the name of a column');
  }
}

/** Whether a record has the data item (case-insensitively, as dataItem reads it), even as missing. */
function hasItem(items: Readonly<Record<string, number>>, name: string): boolean {
  if (name in items) return true;
  const up = name.toUpperCase();
  for (const k in items) if (k.toUpperCase() === up) return true;
  return false;
}

/**
 * Refuses a BLQ column named in the options that no record has: without a flag column every BLQ
 * row was scored as a measured level, without an LLOQ column DV was taken as the limit, silently.
 * The default names (BLQ, LLOQ) may be absent: a data set need not have BLQ records.
 */
export function refuseMissingBlqColumns(records: readonly DataRecord[], blq: ObjectiveOptions['blq']): void {
  if (blq === undefined || blq === false || records.length === 0) return;
  const why = { flag: 'its BLQ records would be scored as measured levels', lloq: 'BLQ records would take DV as their LLOQ' } as const;
  for (const k of ['flag', 'lloq'] as const) {
    const name = blq[k];
    if (name !== undefined && !records.some((r) => hasItem(r.items, name))) throw Errors.optionValue(`blq.${k}`, name, `no record has a column ${name}: ${why[k]}`);
  }
}

/** A local optimum of the MAP objective found by the search. */
export interface EstimateMode {
  /** η in model.omega order. */
  readonly eta: number[];
  /** The estimated effects (order of labels). */
  readonly x: number[];
  readonly ofv: number;
}

/** How far the estimate can be trusted as the lowest mode of the posterior. */
export interface ConvergenceReport {
  /** Euclidean norm of the central-difference gradient of the OFV at the estimate. */
  readonly gradientNorm: number;
  /** The finite-difference Hessian of the OFV at the estimate is positive definite. */
  readonly hessianPositiveDefinite: boolean;
  /** Its smallest eigenvalue (NaN when a point of its stencil is invalid: at a bound). */
  readonly hessianMinEigenvalue: number;
  /**
   * Smallest eigenvalue of the Hessian of OFV/2 in prior-whitened effects (Lᵀ H L / 2, Ω = L Lᵀ):
   * 1 means as curved as the prior alone; below FLAT_CURVATURE the posterior is flat along a direction.
   */
  readonly curvatureRelativeToPrior: number;
  /** Distinct local optima found, lowest objective first; the first is the estimate. */
  readonly modes: EstimateMode[];
  /** Start points evaluated by the global search, and local optimizations run from them. */
  readonly startPoints: number;
  readonly localRuns: number;
  /** A point of the Hessian's stencil is invalid (a parameter bound, or the solver failed there). */
  readonly atBound: boolean;
  /** curvatureRelativeToPrior below FLAT_CURVATURE (or the Hessian not positive definite). */
  readonly flat: boolean;
  /** Another mode's OFV within MULTIMODAL_DOFV of the estimate's. */
  readonly multimodal: boolean;
}

export interface Estimate {
  /** η in model.omega order (zero-variance ones 0). */
  readonly eta: number[];
  /** κ per occasion (ascending occasion values), in model.iov order; empty without IOV. */
  readonly kappa: number[][];
  readonly occasions: readonly number[];
  /** The estimated effects as one vector, with their names (free η, then κ per occasion). */
  readonly x: number[];
  readonly labels: readonly string[];
  /**
   * Individual parameters on the last record (θ excluded): the patient's current values, which a
   * forecast or advice from now goes on with (W_PARAMETERS_CHANGE where they differ from the first).
   */
  readonly parameters: Record<string, number>;
  /** MAP objective at the estimate. */
  readonly ofv: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Objective evaluations (points) including gradients, restarts and the Hessian. */
  readonly evaluations: number;
  /** Local optimizations run (the first, restarts, and those of the global search). */
  readonly starts: number;
  readonly message: string;
  /** Gradient, Hessian and modes at the estimate (absent with report: false or nothing to estimate). */
  readonly convergence?: ConvergenceReport;
  /** Individual prediction per record (concentration scale). */
  readonly ipred: Float64Array;
  /** Population prediction per record (all random effects 0). */
  readonly pred: Float64Array;
  /** Individual weighted residual per observation record, NaN elsewhere. */
  readonly iwres: Float64Array;
  /** Laplace posterior covariance of η (model.omega order; zero rows/columns for fixed η). */
  readonly covariance?: number[][];
  /** The same over all estimated effects (order of labels). */
  readonly covarianceAll?: number[][];
  /**
   * How the covariance was obtained: finite-difference Hessian, expected information, or the BFGS
   * approximation when the asked-for matrix was not positive definite.
   */
  readonly covarianceMethod?: 'hessian' | 'expected' | 'bfgs';
  /** Delta-method standard errors of the individual parameters. */
  readonly se?: Record<string, number>;
  /**
   * Levels the estimate cannot be trusted on (uninformative or implausible ones), then warnings on
   * the estimate itself (several modes, a flat direction, a bound); empty when none.
   */
  readonly warnings: EstimateWarning[];
}

/**
 * Second-difference step of the Laplace Hessian in whitened effects (units of the posterior's own
 * SD along each direction, where the OFV's curvature is ≈ 1). The truncation error is ≈ h²/12 of
 * the OFV's fourth derivative there, which a curved (banana-shaped) posterior makes large: with
 * Ω = 100·I and one level, h = 1e-2 put the smallest eigenvalue 7 % high, h = 1e-3 0.1 %. The
 * noise error is ≈ 4ε/h² with ε the OFV's own error: rounding for an analytic model (h = 1e-3:
 * ~1e-8), the solver's ~rtol for an ODE model, hence h = rtol^¼ there (1e-2 at rtol 1e-8: ~4e-4).
 */
export function hessianStep(ode: boolean, rtol: number): number {
  return ode ? Math.min(0.05, Math.max(1e-3, Math.sqrt(Math.sqrt(rtol)))) : 1e-3;
}

/** Max |∂OFV/∂x| above which the local optimizer of an ODE model takes forward differences. */
export const FORWARD_ABOVE = 1;

function outputParameters(model: Model): string[] {
  return model.parameterNames.filter((n) => !(n in model.theta));
}

/**
 * Why the objective is not finite at the estimate, naming the records: a quantified level on the log
 * scale (exponential error) where the model predicts 0, whose log does not exist (a level before the
 * first dose): that one level made the whole patient unfittable, and its estimate the prior mode.
 */
function unfittableLevels(obj: MapObjective, ipred: ArrayLike<number>, records: readonly DataRecord[], file?: string): string {
  const rows: string[] = [];
  let negative = false;
  obj.observations.forEach((rec, k) => {
    const f = ipred[rec] as number;
    if (!obj.logScale[k] || obj.blq[k] || f > 0) return;
    const r = records[rec] as DataRecord;
    // the value predicted: a negative one is no "level before the first dose" (−32.02 was said to be 0)
    if (f < 0) negative = true;
    rows.push(`row ${r.row} (TIME ${r.TIME}${f < 0 ? `, predicted ${Number(f.toPrecision(6))}` : ''})`);
  });
  if (rows.length === 0) return overflowingLevels(obj, records, file);
  const where = rows.length > 3 ? `${rows.slice(0, 3).join(', ')} and ${rows.length - 3} more` : rows.join(', ');
  const why = negative
    ? 'the model predicts 0 or a negative value there, whose log the exponential (log-scale) error cannot take; a quantity that can be ≤ 0 (an effect, a change from baseline) needs an additive or combined error'
    : 'the model predicts 0 there, whose log the exponential (log-scale) error cannot take (a level before the first dose?); remove the level, or flag it BLQ';
  return `: ${file ? `${file}, ` : ''}${where}: ${why}`;
}

/**
 * The levels whose squared residual overflows (|DV| above about 1.3e154): DV 1e300 gave "objective is
 * not finite at the start point" and a W_LEVEL_UNINFORMATIVE that asked for "a level before the first
 * dose", never naming the value. '' where there is none.
 */
function overflowingLevels(obj: MapObjective, records: readonly DataRecord[], file?: string): string {
  const rows: string[] = [];
  obj.observations.forEach((rec, k) => {
    const r = records[rec] as DataRecord;
    if (!obj.blq[k] && !Number.isFinite(r.DV * r.DV)) rows.push(`row ${r.row} (TIME ${r.TIME}, DV ${r.DV})`);
  });
  if (rows.length === 0) return '';
  const where = rows.length > 3 ? `${rows.slice(0, 3).join(', ')} and ${rows.length - 3} more` : rows.join(', ');
  return `: ${file ? `${file}, ` : ''}${where}: a level so large that its squared residual is not finite (no concentration is; a typing slip or another unit?)`;
}

/**
 * MAP estimate of one patient's random effects.
 *
 * @example
 * const model = defineModel(JSON.parse(readFileSync('vanco.json', 'utf8')));
 * const { records } = readNmtran(readFileSync('patient.csv', 'utf8'));
 * const fit = estimate(model, records);
 * fit.eta; fit.parameters.CL; fit.se?.CL;
 */
export function estimate(model: Model, records: readonly DataRecord[], options: EstimateOptions = {}): Estimate {
  checkModel(model, 'estimate()');
  refuseUnknownKeys(options, ESTIMATE_KEYS, 'estimate()');
  // once per call, not per objective evaluation (a MAP cohort calls estimate() per patient): records
  // edited in code (EVID 7, MDV 5 on a level, DV as text) gave η = 0 "converged" without a word
  checkRecords(records, 'records', options.file);
  // a record built in code without a row is named by its position + 1 (withRows)
  records = withRows(records);
  refuseLooseItems(model, records, 'records', options.file);
  refuseItemValues(relevantNames(model), records, options.file);
  checkEstimateOptions(options);
  checkOverrides(model, options.overrides);
  refuseMissingBlqColumns(records, options.blq);
  refuseLevelUnits(model, records, options.file);
  const obj = mapObjective(model, records, options);
  const ode = resolveMethod(model, options.method) !== Method.Analytic;
  const dim = obj.dim;
  const x0 = new Float64Array(dim);
  if (options.start !== undefined) {
    const s: unknown = options.start;
    const values = typeof s === 'object' && s !== null && typeof (s as ArrayLike<unknown>).length === 'number' ? Array.from(s as ArrayLike<unknown>) : undefined;
    // a shorter start was padded with zeros, a NaN in it gave NaN estimates
    if (values === undefined || values.length !== dim || !values.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw Errors.optionValue('start', s, `must be ${dim} finite number${dim === 1 ? '' : 's'}, one per estimated effect (${obj.labels.join(', ') || 'none'})`, values && `[${values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`);
    x0.set(values as number[]);
  }

  let x: Float64Array;
  let ofv: number;
  let converged = true;
  let iterations = 0;
  let evaluations: number;
  let starts = 0;
  let message: string;
  let bfgsInverse: Float64Array | undefined;
  let gradient: Float64Array | undefined;
  let search: { modes: { x: number[]; ofv: number }[]; startPoints: number; localRuns: number } | undefined;
  // the prediction minimize()'s suspect check made at the first local mode, which usually is the estimate
  let suspected: { x: Float64Array; p: Predictions } | undefined;
  if (obj.observations.length === 0 || dim === 0) {
    x = new Float64Array(dim);
    ofv = obj.ofv(x);
    evaluations = 1;
    message = dim === 0 ? 'no random effects to estimate' : 'no observations: the estimate is the prior mode';
  } else {
    const H0 = new Float64Array(dim * dim);
    for (let i = 0; i < dim * dim; i++) H0[i] = (obj.priorCovariance[i] as number) / 2;
    // an ODE point costs a solve: BFGS starts from the data's curvature at the start (the expected
    // information, one forward stencil) instead of the prior's alone, and needs fewer of them
    const info = ode ? obj.forwardInformation(x0, 1e-4) : undefined;
    const C = info ? inverseSpd(info, dim) : undefined;
    if (C) for (let i = 0; i < dim * dim; i++) H0[i] = (C[i] as number) / 2;
    let sdMax = 0;
    for (const s of obj.priorSd) sdMax = Math.max(sdMax, s);
    const batch = (xs: Float64Array, n: number, out: Float64Array): void => obj.ofvBatch(xs, n, out);
    const screen = (xs: Float64Array, n: number, out: Float64Array): void => obj.screenBatch(xs, n, out);
    const steps = new Float64Array(dim).fill(ode ? 1e-4 : 1e-5);
    const fast = obj.fast;
    const fastLevel = mapFastLevel();
    const local: MinimizeOptions = {
      steps,
      gtol: options.gtol ?? (ode ? 1e-4 : 1e-6),
      gtolNoisy: ode ? 1e-2 : 1e-3,
      maxIterations: options.maxIterations ?? 200,
      inverseHessian: H0,
      maxStep: 4 * sdMax,
      sd: obj.priorSd,
      // an ODE point costs a solve: forward differences until the gradient is small (their error,
      // step·|∂²OFV/∂x²|/2, stays below 1e-2 for curvatures up to 100 per unit x)
      forwardAbove: ode ? FORWARD_ABOVE : undefined,
      // the objective in the engine (map-fast.ts): the gradient's stencil, or the whole BFGS run, in one call
      centralGradient: fast && fastLevel !== 'batch' ? (x, g) => fast.valueAndGradient(x, steps, g) : undefined,
      centralBfgs: fast && fastLevel === 'bfgs' ? (s, o) => fast.bfgs(s, steps, o) : undefined,
    };
    const r = minimize(batch, x0, {
      ...local,
      restarts: options.restarts ?? 'auto',
      // a mode with a residual beyond 4 SD of the error model may be a local minimum: try the restarts
      suspect: (xm) => {
        const p = obj.predict(xm);
        // xm is minimize()'s own copy; an analytic prediction is a function of x alone (an ODE's
        // steady states may start from earlier solves), so the estimate's own reuses it
        if (!ode) suspected = { x: xm, p };
        for (const w of p.iwres) if (Math.abs(w) > 4) return true;
        return false;
      },
    });
    let best = r;
    evaluations = r.points + (info ? dim + 1 : 0);
    starts = r.starts;
    if (options.global ?? true) {
      const prior = priorStarts(obj);
      const extra = discontinuityStarts(obj, r.x);
      const count = prior.count + extra.length;
      const all = new Float64Array(count * dim);
      all.set(prior.xs);
      extra.forEach((p, k) => all.set(p, (prior.count + k) * dim));
      // both sides of every lag/duration boundary: a mode can hug one (the level just after the arrival)
      const probes = boundaryProbes(obj, r.x);
      const px = new Float64Array(probes.length * dim);
      probes.forEach((p, k) => px.set(p, k * dim));
      const flipFlop = flipFlopStart(obj, r.x);
      const g = globalSearch(batch, dim, r, all, count, (s) => minimize(batch, s, { ...local, restarts: 'never' }), inverseSpd(obj.priorCovariance, dim) as Float64Array, ode && (options.screen ?? true) ? screen : undefined, px, probes.length, flipFlop ? [flipFlop] : []);
      best = g.best;
      evaluations += g.points;
      starts += g.localRuns;
      search = { modes: g.modes, startPoints: g.startPoints, localRuns: g.localRuns };
    } else search = { modes: Number.isFinite(r.f) ? [{ x: [...r.x], ofv: r.f }] : [], startPoints: 0, localRuns: 0 };
    x = best.x;
    ofv = best.f;
    converged = best.converged;
    iterations = best.iterations;
    message = best.message;
    bfgsInverse = best.inverseHessian;
    gradient = best.g;
  }

  const fit = suspected && sameBits(suspected.x, x) ? suspected.p : obj.predict(x);
  const pop = obj.predict(new Float64Array(dim));
  const effects = obj.effects(x);
  if (!Number.isFinite(ofv)) {
    // the solver or the model refusing the point is the cause to give, not the prior's numbers as an estimate
    refuseUnstartable(model, records, effects.eta, effects.kappa, obj.labels.map((n, i) => `${n} = ${Number((x[i] as number).toPrecision(6))}`).join(', '), options);
    message = `${message}${unfittableLevels(obj, fit.ipred, records, options.file)}`;
  }
  const names = outputParameters(model);
  // the last record's: with covariates changing over the records (CRCL 100, 70, 40) the first
  // record's CL (3.73) was shown beside advice that ran on the current one (1.79), exit 0
  const current = Math.max(0, obj.records.length - 1);
  const all = obj.values(x, current);
  const parameters: Record<string, number> = {};
  for (const n of names) parameters[n] = all[n] as number;
  const changed = parameterChangeWarning(obj, x, names, parameters, current);

  // the finite-difference Hessian of the OFV at the estimate: the convergence report's and the Laplace covariance's
  let hessian: Float64Array | undefined;
  let hessianInverse: Float64Array | undefined;
  const wantReport = (options.report ?? true) && search !== undefined && gradient !== undefined;
  const wantHessian = (options.covariance ?? true) && dim > 0 && Number.isFinite(ofv) && options.covarianceMethod !== 'expected';
  if ((wantReport || wantHessian) && dim > 0 && Number.isFinite(ofv)) {
    const batch = (xs: Float64Array, n: number, out: Float64Array): void => obj.ofvBatch(xs, n, out);
    // differenced in coordinates whitened by the optimizer's curvature (else the prior's): fixed
    // steps in η (1e-2 ODE, 1e-3 analytic) made the variance along a posterior's flat direction
    // 2.2 times too large with one level, and reported a saddle (eigenvalue −0.84 for +2.55)
    const priorHalf = obj.priorCovariance.map((v) => v / 2);
    const h = scaledHessian(batch, x, [bfgsInverse, priorHalf], hessianStep(ode, options.rtol ?? model.solver.rtol));
    hessian = h.hessian;
    hessianInverse = h.inverse;
    evaluations += h.points;
  }
  let convergence: ConvergenceReport | undefined;
  if (wantReport && search && gradient) convergence = convergenceReport(obj, x, ofv, gradient, hessian, search);

  let covariance: number[][] | undefined;
  let covarianceAll: number[][] | undefined;
  let covarianceMethod: Estimate['covarianceMethod'];
  let se: Record<string, number> | undefined;
  if ((options.covariance ?? true) && dim > 0 && Number.isFinite(ofv)) {
    let C: Float64Array | undefined;
    if (options.covarianceMethod === 'expected') {
      covarianceMethod = 'expected';
      C = inverseSpd(expectedInformation(model, obj, x, ode ? 1e-4 : 1e-5), dim);
      evaluations += 2 * dim;
    } else {
      covarianceMethod = 'hessian';
      C = hessianInverse?.map((v) => 2 * v);
    }
    if (!C && bfgsInverse) {
      C = bfgsInverse.map((v) => 2 * v);
      covarianceMethod = 'bfgs';
    }
    C ??= Float64Array.from(obj.priorCovariance);
    covarianceAll = toRows(C, dim);
    covariance = etaCovariance(model, obj, C);
    se = deltaMethod(model, obj, x, C, names);
  }

  return {
    eta: effects.eta,
    kappa: effects.kappa,
    occasions: obj.occasions,
    x: [...x],
    labels: obj.labels,
    parameters,
    ofv,
    converged,
    iterations,
    evaluations,
    starts,
    message,
    convergence,
    ipred: fit.ipred,
    pred: pop.ipred,
    iwres: fit.iwres,
    covariance,
    covarianceAll,
    covarianceMethod,
    se,
    warnings: options.warnings === false ? [] : estimateWarnings(model, records, obj, x, ofv, fit, pop, changed, convergence, search, options),
  };
}

/** The same point bit for bit (Object.is: −0 is not 0). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * The estimate's warnings: the levels' own, then the estimate's. Built by pushing into one list in a
 * function of its own, not as one array literal of spreads inside estimate(): a spread checks each
 * list's map, and a list made by a map() or filter() that TurboFan had inlined (holey) had another
 * map than the interpreter's (packed), so estimate() — the largest function compiled per worker,
 * everything it inlines with it — was deoptimized and compiled again twice in every worker.
 */
function estimateWarnings(
  model: Model,
  records: readonly DataRecord[],
  obj: MapObjective,
  x: Float64Array,
  ofv: number,
  fit: { ipred: Float64Array; iwres: Float64Array; variance: Float64Array },
  pop: { variance: Float64Array },
  changed: EstimateWarning | undefined,
  convergence: ConvergenceReport | undefined,
  search: { modes: { x: number[]; ofv: number }[] } | undefined,
  options: EstimateOptions,
): EstimateWarning[] {
  const out: EstimateWarning[] = [];
  const levels = levelWarnings({ model, obj, iwres: fit.iwres, logDv: options.logDv, ipred: fit.ipred, variance: fit.variance, typicalVariance: pop.variance });
  pushAll(out, implausibleAttributed(model, obj, fit.iwres, levels, options));
  pushDefined(out, dvScaleWarning(model, obj, options.logDv));
  pushDefined(out, changed);
  pushDefined(out, farEffectWarning(obj, x));
  pushDefined(out, missingLevelWarning(records, obj.observations));
  pushDefined(out, zeroLevelWarning(obj));
  pushDefined(out, negativeLevelWarning(obj));
  pushDefined(out, blqAboveLimitWarning(obj, options.blq));
  pushDefined(out, duplicateLevelWarning(model, obj));
  pushAll(out, levelAfterDoseWarnings(model, obj, x, fit.ipred, options));
  // two levels no patient explains together (a chart of 1–2 levels has no leave-one-out check)
  const uninformative = new Set<number>();
  for (const w of levels) if (w.code === 'W_LEVEL_UNINFORMATIVE') uninformative.add(w.record);
  pushAll(out, contradictingLevelsWarnings(model, obj, x, fit.iwres, uninformative));
  pushAll(out, lloqScaleWarning(obj, options.blq === false ? undefined : options.blq?.lloq));
  // W_LEVEL_AMOUNT: levels of a compartment with no scale, fitted as its amount (CMT 2 of a
  // two-compartment IV model: η_CL 3.87 with only W_LEVEL_IMPLAUSIBLE and W_ETA_FAR, where the
  // command line alone said why). Named by row, without the file (the caller's list names it).
  for (const message of amountObservationWarnings(model, records)) out.push({ code: AMOUNT_LEVEL_CODE, message });
  pushAll(out, unreadUnitColumns(model, records));
  if (Number.isFinite(ofv)) {
    if (convergence) pushAll(out, mapWarnings(convergence, obj.labels));
    else if (search) pushAll(out, modesWarnings(obj, x, ofv, search));
  }
  pushAll(out, recordSetWarnings(model, records, options.overrides, ', every level fitted at it; to vary it over time, chart it on the records'));
  // a model that departs from its publication (whole-blood levels fitted on a plasma scale)
  const approximation = approximationMessage(model);
  if (approximation !== undefined) out.push({ code: MODEL_APPROXIMATION_CODE, message: approximation });
  // a variance typed as a CV % (ω² 30 for 30 %): a prior flat over e^(±11)
  for (const message of implausibleVarianceMessages(model)) out.push({ code: OMEGA_IMPLAUSIBLE_CODE, message });
  return out;
}

/**
 * The levels' warnings with W_LEVEL_IMPLAUSIBLE on measured levels named by the fit without each
 * level (implausible-levels.ts): a wrong level that pulled the estimate is named, not the right
 * levels the estimate then misses. The refits are plain estimates (no warnings, report or covariance).
 */
function implausibleAttributed(model: Model, obj: MapObjective, iwres: Float64Array, warnings: LevelWarning[], options: EstimateOptions): LevelWarning[] {
  const uninformative = new Set(warnings.filter((w) => w.code === 'W_LEVEL_UNINFORMATIVE').map((w) => w.record));
  const judged = Array.from(obj.observations).filter((r, k) => !obj.blq[k] && !uninformative.has(r));
  const refit = (records: readonly DataRecord[]): Float64Array => Float64Array.from(estimate(model, records, { ...options, start: undefined, warnings: false, report: false, covariance: false }).x);
  const aside = implausibleByRefit(obj, iwres, judged, refit);
  if (!aside) return warnings;
  const measured = (w: LevelWarning): boolean => w.code === 'W_LEVEL_IMPLAUSIBLE' && !obj.blq[obj.observations.indexOf(w.record)];
  const missed = warnings.filter(measured).filter((w) => !aside.some((a) => a.record === w.record));
  const rows = (ws: readonly LevelWarning[]): string => ws.map((w) => w.row).join(', ');
  const kept = warnings.filter((w) => !measured(w));
  for (const a of aside) {
    const rec = obj.records[a.record] as DataRecord;
    const g = (v: number): string => String(Number(v.toPrecision(4)));
    const w = iwres[a.record] as number;
    const pulled = missed.length > 0 ? `; the estimate with it misses row${missed.length > 1 ? 's' : ''} ${rows(missed)} instead (|IWRES| > ${IMPLAUSIBLE_IWRES}), which fit without it` : '';
    kept.push({
      code: 'W_LEVEL_IMPLAUSIBLE',
      record: a.record,
      row: rec.row,
      time: rec.TIME,
      message: `row ${rec.row} (TIME ${timeText(rec.TIME)}, DV ${g(rec.DV)}): implausible level, ${g(Math.abs(a.z))} residual SDs from the fit to the other levels (|IWRES| = ${g(Math.abs(w))}${Math.abs(w) > IMPLAUSIBLE_IWRES ? ` > ${IMPLAUSIBLE_IWRES}` : ''} at the estimate, which it pulls)${pulled} (a wrong time, unit, dose record, or a level drawn from the infusion line?)`,
    });
  }
  return kept.sort((p, q) => p.record - q.record);
}

function pushAll(out: EstimateWarning[], list: readonly EstimateWarning[]): void {
  for (let i = 0; i < list.length; i++) out.push(list[i] as EstimateWarning);
}

function pushDefined(out: EstimateWarning[], w: EstimateWarning | undefined): void {
  if (w !== undefined) out.push(w);
}

/** The convergence report at the estimate x from its gradient, the Hessian and the modes found. */
function convergenceReport(
  obj: MapObjective,
  x: Float64Array,
  ofv: number,
  gradient: Float64Array,
  H: Float64Array | undefined,
  search: { modes: { x: number[]; ofv: number }[]; startPoints: number; localRuns: number },
): ConvergenceReport {
  const dim = obj.dim;
  let g2 = 0;
  for (const v of gradient) g2 += v * v;
  const atBound = !H || H.some((v) => !Number.isFinite(v));
  const eig = H && !atBound ? symmetricEigenvalues(H, dim) : [NaN];
  const minEig = eig[0] as number;
  let relative = NaN;
  if (H && !atBound) {
    // Lᵀ H L / 2 with Ω = L Lᵀ: the posterior's curvature in prior SDs
    const L = choleskySpd(obj.priorCovariance, dim) as Float64Array;
    const W = new Float64Array(dim * dim);
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < dim; b++) {
        let s = 0;
        for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) s += (L[i * dim + a] as number) * (H[i * dim + j] as number) * (L[j * dim + b] as number);
        W[a * dim + b] = s / 2;
      }
    relative = symmetricEigenvalues(W, dim)[0] as number;
  }
  const modes = reportModes(obj, x, ofv, search.modes);
  return {
    gradientNorm: Math.sqrt(g2),
    hessianPositiveDefinite: minEig > 0,
    hessianMinEigenvalue: minEig,
    curvatureRelativeToPrior: relative,
    modes,
    startPoints: search.startPoints,
    localRuns: search.localRuns,
    atBound,
    flat: !atBound && !(relative >= FLAT_CURVATURE),
    multimodal: hasCloseMode(modes, ofv),
  };
}

/** The modes the search found, the estimate first (the search keeps the lowest). */
function reportModes(obj: MapObjective, x: Float64Array, ofv: number, found: readonly { x: number[]; ofv: number }[]): EstimateMode[] {
  // a loop, not map() and unshift(): see estimateWarnings
  const modes: EstimateMode[] = [];
  const first = found[0];
  if (first === undefined || Math.abs(first.ofv - ofv) > 1e-9 * (1 + Math.abs(ofv))) modes.push({ eta: obj.effects(x).eta, x: Array.from(x), ofv });
  for (let i = 0; i < found.length; i++) {
    const m = found[i] as { x: number[]; ofv: number };
    modes.push({ eta: obj.effects(m.x).eta, x: m.x, ofv: m.ofv });
  }
  return modes;
}

/** Another mode than the first within MULTIMODAL_DOFV of ofv. */
function hasCloseMode(modes: readonly EstimateMode[], ofv: number): boolean {
  for (let i = 1; i < modes.length; i++) if ((modes[i] as EstimateMode).ofv - ofv <= MULTIMODAL_DOFV) return true;
  return false;
}

/**
 * Without the report (report: false, a cohort's estimates) W_MAP_MULTIMODAL still, from the modes
 * the search found at no cost; W_MAP_FLAT and W_MAP_AT_BOUND need the report's Hessian.
 */
function modesWarnings(obj: MapObjective, x: Float64Array, ofv: number, search: { modes: { x: number[]; ofv: number }[] }): MapWarning[] {
  const modes = reportModes(obj, x, ofv, search.modes);
  const multimodal = hasCloseMode(modes, ofv);
  return multimodal ? mapWarnings({ modes, multimodal, flat: false, atBound: false, hessianPositiveDefinite: true, curvatureRelativeToPrior: NaN }, obj.labels) : [];
}

/**
 * Expected information of the random effects at x: Ω⁻¹ + Σ_obs [∇f∇fᵀ/V + ½ ∇V∇Vᵀ/V²] (f on the log
 * scale with exponential error), by central differences of the predictions; a BLQ record's as a
 * censored normal observation at its limit (addCensoredInformation).
 */
function expectedInformation(model: Model, obj: MapObjective, x: Float64Array, step: number): Float64Array {
  const dim = obj.dim;
  const info = inverseSpd(obj.priorCovariance, dim) as Float64Array;
  // each level on its own output's scale: with outputs the model has no residual of its own, and a
  // log-scale parent was differentiated as a concentration (SEs of S1 8.6 times too small)
  const expo = Array.from(obj.observations, (r) => recordResidual(model, obj.records[r] as DataRecord)?.model === 'exponential');
  const base = obj.predict(x);
  const nObs = obj.observations.length;
  const df = new Float64Array(nObs * dim);
  const dV = new Float64Array(nObs * dim);
  const xt = Float64Array.from(x);
  for (let j = 0; j < dim; j++) {
    const h = step * Math.max(1, Math.abs(x[j] as number));
    xt[j] = (x[j] as number) + h;
    const up = obj.predict(xt);
    xt[j] = (x[j] as number) - h;
    const dn = obj.predict(xt);
    xt[j] = x[j] as number;
    obj.observations.forEach((r, k) => {
      const tr = (f: number): number => (expo[k] ? Math.log(f) : f);
      df[k * dim + j] = (tr(up.ipred[r] as number) - tr(dn.ipred[r] as number)) / (2 * h);
      dV[k * dim + j] = ((up.variance[r] as number) - (dn.variance[r] as number)) / (2 * h);
    });
  }
  obj.observations.forEach((r, k) => {
    const V = base.variance[r] as number;
    if (!obj.blq[k]) {
      addInformation(info, dim, df, dV, k * dim, V);
      return;
    }
    // a BLQ level at a prediction of 0 on the log scale (log f = −∞) is certainly below its limit: no information
    const f = base.ipred[r] as number;
    const mu = expo[k] ? Math.log(f) : f;
    if (!(Number.isFinite(mu) && V > 0)) return;
    for (let j = 0; j < dim; j++) if (!(Number.isFinite(df[k * dim + j]) && Number.isFinite(dV[k * dim + j]))) return;
    addCensoredInformation(info, dim, df, dV, k * dim, mu, V, obj.blqLimit[k] as number);
  });
  return info;
}

/** The η block of the covariance of the estimated effects, in model.omega order. */
function etaCovariance(model: Model, obj: MapObjective, C: Float64Array): number[][] {
  const names = model.omega?.names ?? [];
  const pos = names.map((n) => obj.labels.indexOf(n));
  const dim = obj.dim;
  return names.map((_, i) => names.map((__, j) => {
    const a = pos[i] as number;
    const b = pos[j] as number;
    return a >= 0 && b >= 0 ? (C[a * dim + b] as number) : 0;
  }));
}

/** Where a reported parameter differs between the first and the last record (time-varying covariates): said, naming the first that does. */
function parameterChangeWarning(obj: MapObjective, x: Float64Array, names: readonly string[], current: Record<string, number>, last: number): MapWarning | undefined {
  if (last === 0) return undefined;
  const first = obj.values(x, 0);
  // every one that changes (IOV on KA and F named KA alone, F1's SE the last occasion's unsaid)
  const changed = names.filter((k) => Math.abs((first[k] as number) - (current[k] as number)) > 1e-9 * Math.max(Math.abs(first[k] as number), Math.abs(current[k] as number)));
  if (changed.length === 0) return undefined;
  const rows = [obj.records[0]?.row, obj.records[last]?.row];
  const fmt = (v: number): string => String(+v.toPrecision(6));
  const values = (n: string): string => `${fmt(first[n] as number)} on row ${rows[0]}, ${fmt(current[n] as number)} on row ${rows[1]}`;
  const each = changed.length === 1 ? values(changed[0] as string) : changed.map((n) => `${n} ${values(n)}`).join('; ');
  return { code: 'W_PARAMETERS_CHANGE', message: `${changed.length === 1 ? `${changed[0]} changes` : 'parameters change'} over the records (${each}: covariates or occasions that change); the parameters and their SEs are the last record's, the patient's current values` };
}

/** se(p) = sqrt(J C Jᵀ) with J = ∂p/∂x by central differences, parameters on record `r` (the last). */
function deltaMethod(model: Model, obj: MapObjective, x: Float64Array, C: Float64Array, names: readonly string[], r = Math.max(0, obj.records.length - 1)): Record<string, number> {
  const dim = obj.dim;
  const slots = names.map((n) => model.slots.slot(n));
  const m = names.length;
  const J = new Float64Array(m * dim);
  const up = new Float64Array(m);
  const dn = new Float64Array(m);
  const xt = Float64Array.from(x);
  for (let j = 0; j < dim; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[j] as number));
    xt[j] = (x[j] as number) + h;
    const a = obj.slotValues(xt, r, slots, up);
    xt[j] = (x[j] as number) - h;
    const b = obj.slotValues(xt, r, slots, dn);
    xt[j] = x[j] as number;
    for (let i = 0; i < m; i++) J[i * dim + j] = a && b ? ((up[i] as number) - (dn[i] as number)) / (2 * h) : NaN;
  }
  const se: Record<string, number> = {};
  names.forEach((n, i) => {
    let v = 0;
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) v += (J[i * dim + a] as number) * (C[a * dim + b] as number) * (J[i * dim + b] as number);
    se[n] = Math.sqrt(Math.max(0, v));
  });
  return se;
}

/**
 * The expected-information covariance of η (model.omega order) at the effects x (obj.labels order),
 * as estimate() computes it at its mode with covarianceMethod 'expected': for comparing with a
 * reference covariance reported at another point (NONMEM's ETC at NONMEM's η). Undefined when the
 * information is not positive definite.
 */
export function expectedCovarianceAt(model: Model, records: readonly DataRecord[], x: ArrayLike<number>, options: ObjectiveOptions = {}): number[][] | undefined {
  const obj = mapObjective(model, records, options);
  const ode = resolveMethod(model, options.method) !== Method.Analytic;
  const C = inverseSpd(expectedInformation(model, obj, Float64Array.from(x), ode ? 1e-4 : 1e-5), obj.dim);
  return C ? etaCovariance(model, obj, C) : undefined;
}
