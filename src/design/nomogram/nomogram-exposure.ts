// Steady-state exposure of typical patients, computed by the engine: one SS=1 dose at time 0
// (the engine sets the periodic state: closed form for linear models, iterated cycles otherwise),
// one more dose at τ, and a dense observation grid over [τ, 2τ] — a whole dosing interval at steady
// state. Metrics come from the WASM metric kernel (linear-up/log-down trapezoid on the grid) in the
// same call as the simulation, for many patients at once. Used by the nomogram, the relevance tool
// and the occupancy search; also the bracket-and-bisect dose search they share.

import { Errors } from '../../errors.js';
import type { Model, SolverMethod } from '../../model/model.js';
import { structuralParameters } from '../../model/structure.js';
import { equationsReadTime, parametersReadTime } from '../../model/time-free.js';
import { MAX_OBSERVATIONS, regimen } from '../../regimen/builder.js';
import type { DataRecord } from '../../regimen/record.js';
import { compileForModel, resolveMethod } from '../../engine/simulate.js';
import { layoutSubjects, solve, solverSetup, type Problem } from '../../engine/problem.js';
import { engine as threadEngine } from '../../engine/load.js';
import type { Engine } from '../../engine/wasm.js';
import { Status, statusText } from '../../engine/wasm.js';
import { metricArrays, metricDef, type RegimenTimes } from '../../population/metrics.js';
import { metricGrid } from '../../population/metric-grid.js';
import { isPlainObject } from '../../plain-object.js';

export interface SteadyStateRegimen {
  /** Dosing interval τ (h), > 0. */
  readonly interval: number;
  /** Infusion duration (h); 0 or absent: bolus (or an oral/SC dose into a depot). */
  readonly infusion?: number;
  /** 1-based dose compartment (default 1: the depot, or the central compartment of an IV model). */
  readonly cmt?: number;
}

export interface ExposureOptions {
  readonly method?: SolverMethod;
  /** Parameter or data-item overrides applied to every patient (e.g. { CL: 3 }). */
  readonly overrides?: Readonly<Record<string, number>>;
  /** Grid points over the interval (default 480: step τ/480). */
  readonly points?: number;
  readonly engine?: Engine;
}

/** Exposure over one dosing interval at steady state (model output units; AUC in output·h). */
export interface Exposure {
  /** AUC over the interval. */
  readonly auctau: number;
  /** AUC per 24 h: auctau · 24/τ. */
  readonly auc24: number;
  /** Css,avg = auctau/τ. */
  readonly cavg: number;
  readonly cmax: number;
  /** Pre-dose level at the end of the interval. */
  readonly trough: number;
  /** Lowest level in the interval (equals the trough for IV doses). */
  readonly cmin: number;
}

export type ExposureMetric = keyof Exposure;
export const EXPOSURE_METRICS: readonly ExposureMetric[] = ['auc24', 'auctau', 'cavg', 'trough', 'cmin', 'cmax'];

export interface Patient {
  /** Covariates / data items of the patient (η default to 0: the typical patient). */
  readonly covariates: Readonly<Record<string, number>>;
  readonly dose: number;
}

/**
 * An infusion longer than the interval is allowed: valid NONMEM input, whose overlapping infusions
 * the engine runs at steady state too (the SS = 1 dose carries the ones still running), and the
 * interval [τ, 2τ] read here is the steady state's whatever their overlap. It was refused, though
 * nothing here needs the infusion to end within its interval (a zero-order release over 1344 h
 * q672h: the level is constant at D/(CL·τ), so trough 0.3 mg/L at CL 2 L/h takes 403.2 mg).
 */
export function checkRegimen(r: SteadyStateRegimen): void {
  if (!(Number.isFinite(r.interval) && r.interval > 0)) throw Errors.option('interval', `dosing interval must be a number > 0 (got ${r.interval})`);
  const d = r.infusion ?? 0;
  if (!(Number.isFinite(d) && d >= 0)) throw Errors.option('infusion', `infusion duration must be a number ≥ 0 (got ${d})`);
}

/**
 * Where infusions end within a dosing interval, after its start (0 < e < τ); undefined without
 * infusion or when they end at dose times (d a multiple of τ). An infusion longer than the interval
 * ends in a later one: at steady state every interval holds the end of the one given ⌊d/τ⌋
 * intervals before, at d mod τ.
 */
export function infusionEndInInterval(tau: number, d: number): number | undefined {
  if (!(d > 0)) return undefined;
  const e = d - Math.floor(d / tau) * tau;
  return e > 1e-12 * tau && e < tau * (1 - 1e-12) ? e : undefined;
}

/**
 * Refuses a number of grid points that is not a whole number from 1 (the two ends of the interval)
 * to MAX_OBSERVATIONS: NaN or −5 left the grid empty, 1.5 spaced it unevenly, and the dose came
 * out many times too large without a word.
 */
export function checkPoints(points: unknown, what = 'points'): void {
  if (points !== undefined && !(Number.isInteger(points) && (points as number) >= 1 && (points as number) <= MAX_OBSERVATIONS))
    throw Errors.option('points', `${what} must be an integer from 1 to ${MAX_OBSERVATIONS.toLocaleString('en-US')}, the grid intervals per dosing interval (got ${String(points)})`, points);
}

/**
 * Geometric samples after the dose and after the infusion's end, at quarter octaves from 2^-16 to
 * 16 grid steps: a phase faster than one step (target binding after a bolus, 1/(kon·R0) ≈ 0.02 h
 * against τ/480 = 0.35 h) was bridged by one log-down trapezoid, and a TMDD nomogram's Cavg at
 * R0 = 1000 read 1.56 times the exact one (about half the dose advised). Octaves left 2.1e-3
 * (binding is not exponential); quarter octaves 5.4e-4 (test/unit/design/tmdd-fast-phase.test.ts).
 */
const FAST_PHASE_HALVINGS = 16;

/** Observation times over [τ, 2τ]: a uniform grid, the end of the infusion, and geometric samples after each. */
export function intervalTimes(r: SteadyStateRegimen, points = 480): number[] {
  const tau = r.interval;
  const set = new Set<number>();
  for (let k = 0; k <= points; k++) set.add(tau + (k * tau) / points);
  // the end of an infusion within the interval: its own, or that of one given intervals before
  const e = infusionEndInInterval(tau, r.infusion ?? 0);
  if (e !== undefined) set.add(tau + e);
  const step = tau / points;
  for (const start of e !== undefined ? [tau, tau + e] : [tau]) for (let j = -16; j <= 4 * FAST_PHASE_HALVINGS; j++) if (j !== 0) set.add(Math.min(2 * tau, start + step / 2 ** (j / 4)));
  return [...set].sort((a, b) => a - b);
}

/** Records of one patient: SS=1 dose at 0, a dose at τ (ADDL), observations over [τ, 2τ]. */
export function steadyStateRecords(p: Patient, r: SteadyStateRegimen, times: readonly number[], id = 1): DataRecord[] {
  const d = r.infusion ?? 0;
  return regimen(id)
    .dose({ time: 0, amt: p.dose, cmt: r.cmt, ...(d > 0 ? { dur: d } : {}), ii: r.interval, addl: 1, ss: 1, items: p.covariates })
    .observe({ times: [...times], items: p.covariates })
    .records();
}

/** The same records for another patient, without re-parsing: only ID, AMT, RATE and the items change. */
function recordsFor(template: readonly DataRecord[], p: Patient, r: SteadyStateRegimen, id: number): DataRecord[] {
  const d = r.infusion ?? 0;
  return template.map((t) => {
    if (t.EVID === 1) {
      const RATE = d > 0 ? p.dose / d : 0;
      return { ...t, ID: id, AMT: p.dose, RATE, items: { ...t.items, ...p.covariates, ID: id, AMT: p.dose, RATE } };
    }
    return { ...t, ID: id, items: { ...t.items, ...p.covariates, ID: id } };
  });
}

/**
 * Steady-state exposure of each patient, in one engine call.
 *
 * @example steadyStateExposure(model, [{ covariates: { WT: 70, CRCL: 100 }, dose: 1000 }], { interval: 12, infusion: 1 })
 */
export function steadyStateExposure(model: Model, patients: readonly Patient[], r: SteadyStateRegimen, options: ExposureOptions = {}): Exposure[] {
  const { exposures, status } = steadyStateExposures(model, patients, r, options);
  const i = status.findIndex((s) => s !== Status.Ok);
  if (i >= 0) throw Errors.solver(`steady state for ${describePatient(patients[i] as Patient)}: ${statusText(status[i] as number)}`);
  return exposures;
}

/**
 * steadyStateExposure without the error: the engine's status per patient (Status.Ok = 0), and NaN
 * exposures where it is not Ok — for a dose search, where a dose without a steady state is an answer
 * (too high), not a failure of the whole search.
 */
export function steadyStateExposures(model: Model, patients: readonly Patient[], r: SteadyStateRegimen, options: ExposureOptions = {}): { exposures: Exposure[]; status: Int32Array } {
  checkRegimen(r);
  if (patients.length === 0) return { exposures: [], status: new Int32Array(0) };
  // a dose of 0 went on to the records, refused there as "row 1, column AMT", a row no caller wrote
  if (options.overrides !== undefined && !isPlainObject(options.overrides))
    throw Errors.optionValue('overrides', options.overrides, 'steady-state exposure: overrides are a plain object of NAME: number (not a Map or an array)');
  patients.forEach((p, i) => {
    if (!isPlainObject(p.covariates)) throw Errors.optionValue(`patients.${i}.covariates`, p.covariates, 'steady-state exposure: covariates are a plain object of NAME: number (not a Map or an array)');
    if (!(Number.isFinite(p.dose) && p.dose > 0))
      throw Errors.option('dose', `steady-state exposure: patient ${i + 1}${covariatesText(p)}: the dose must be a finite number > 0 (got ${p.dose})`, p.dose);
  });
  checkPoints(options.points);
  const tau = r.interval;
  const times = intervalTimes(r, options.points ?? 480);
  // the metric grid reads the level both before and after the dose at τ (window edge rule)
  const template = metricGrid(steadyStateRecords(patients[0] as Patient, r, times), model.timeVarying).records;
  const subjects = patients.map((p, i) => compileForModel(model, recordsFor(template, p, r, i + 1), { overrides: options.overrides }));
  // every patient has the same records, so the same output times
  const recordTimes = Float64Array.from(template.map((x) => x.TIME));
  // the profile ends one interval after the dose at τ: its last interval is [τ, 2τ]
  const steady: RegimenTimes = { end: 2 * tau, tau, lastDose: tau };
  const defs = (['auc', 'cmax', 'cmin', 'trough'] as const).map((type) => metricDef({ type, window: 'interval' }, steady));
  const problem: Problem = {
    solver: solverSetup(model, resolveMethod(model, options.method)),
    subjects: layoutSubjects(subjects),
    amounts: false,
    metrics: { times: recordTimes, defs: metricArrays(defs), keepProfiles: false },
  };
  const out = solve(problem, options.engine ?? threadEngine(model));
  const metrics = out.metrics as Float64Array;
  const m = defs.length;
  const exposures = patients.map((_, i) => {
    if (out.status[i] !== Status.Ok) return { auctau: NaN, auc24: NaN, cavg: NaN, cmax: NaN, cmin: NaN, trough: NaN };
    const auctau = metrics[i * m] as number;
    return {
      auctau,
      auc24: (auctau * 24) / tau,
      cavg: auctau / tau,
      cmax: metrics[i * m + 1] as number,
      cmin: metrics[i * m + 2] as number,
      trough: metrics[i * m + 3] as number,
    };
  });
  return { exposures, status: Int32Array.from(out.status) };
}

function covariatesText(p: Patient): string {
  const c = Object.entries(p.covariates).map(([k, v]) => `${k}=${v}`).join(', ');
  return c ? ` (${c})` : '';
}

function describePatient(p: Patient): string {
  return `dose ${p.dose}${covariatesText(p)}`;
}

/** Whether exposure is proportional to dose for this model (its structure, and no expression reading AMT or RATE). */
export { doseProportional } from '../../model/dose-proportional.js';

/** Structural and derived individual parameters of a patient (no θ, no inputs), e.g. { CL, V, Q, V2 }. */
export function typicalParameters(model: Model, covariates: Readonly<Record<string, number>>, overrides?: Readonly<Record<string, number>>): Record<string, number> {
  const values = model.evaluate(covariates, overrides).values;
  const st = structuralParameters(model.structure);
  const names = [...st.required, ...Object.keys(st.optional)];
  const out: Record<string, number> = {};
  for (const n of model.parameterNames) {
    if (n in model.theta) continue;
    if (names.includes(n) || !/^TV/.test(n)) out[n] = values[n] as number;
  }
  return out;
}

/**
 * Data items steadyStateRecords writes on every record, for any patient. TIME is not among them:
 * the records' clock (0 at the steady-state dose) is no time of the patient's course, and a model
 * whose parameters step with TIME read them at that made-up time.
 */
const RECORD_ITEMS: ReadonlySet<string> = new Set(['ID', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'MDV']);

/** How the caller's user gives a missing input: the time, and a covariate by name. */
export interface InputAdvice {
  readonly time: string;
  readonly covariate: (name: string) => string;
}

/**
 * Why a steady state of the typical patient cannot be computed from the inputs `given`: the first
 * input the model reads without a default that neither they nor the records give (undefined when
 * none). Without it the model refused a record the caller never wrote ("row 1, parameter WT: … the
 * record has no value"), and a model reading TIME (busulfan's CL steps at 6 and 36 h) was refused
 * as missing a data item where a time to read its parameters at is what the table lacks. A model
 * whose equations read t is refused whatever is given: no given time moves the steady state's t.
 */
export function unsetInputProblem(model: Model, given: Iterable<string>, advice: InputAdvice): string | undefined {
  // t runs from 0 at the steady-state dose there, whatever time is given: a text reading it (CL ×
  // 0.5 before 36 h) gave WT 70 → 500 mg for the 1000 mg after 36 h, with exit 0
  if (equationsReadTime(model))
    return `model ${model.name}'s equations change with time (it reads t), so a steady state has no one time to read them at: t runs from 0 at the steady-state dose, no time of the course; ${model.kernel ? `read the record time instead (declare covariate TIME in the model text and write TIME where it reads t, as CL = TVCL * (TIME > 36 ? 1 : 0.5)), then ${advice.time}` : 'a built-in model reading t has no steady state to tabulate'}`;
  const have = new Set(given);
  const { inputs, defaults } = model.slots;
  const unset = inputs.filter((n, i) => !have.has(n) && !RECORD_ITEMS.has(n) && Number.isNaN(defaults[i] as number));
  if (unset.includes('TIME'))
    return parametersReadTime(model)
      ? `model ${model.name}'s parameters change with time (it reads TIME), so a steady state needs the time at which to read them: ${advice.time}`
      : `model ${model.name} reads TIME in a value for the report alone (no exposure changes with it), which needs a time all the same: ${advice.time}`;
  const name = unset[0];
  return name === undefined ? undefined : `model ${model.name} reads ${name} and gives it no default: ${advice.covariate(name)}`;
}

/** Bracketing factor: trial doses start·4^k until the target is crossed. */
const GROW = 4;

export interface BisectOptions {
  /** First trial dose (default 1). */
  readonly start?: number;
  /** Relative width of the dose bracket at which to stop (default 1e-6). */
  readonly relTol?: number;
  /** Stop as well when |g(f(x)) − g(target)| ≤ fTol·max(1, |g(target)|) (default 1e-10; g: transform). */
  readonly fTol?: number;
  /** Largest dose tried before giving up (default 1e12). */
  readonly maxDose?: number;
  /** What is searched, for error messages. */
  readonly what?: string;
  /** Names problem i in errors (default `problem i+1`). */
  readonly label?: (i: number) => string;
  /**
   * Increasing transform of f and the target for the interpolation (default identity), chosen so
   * that g(f) is nearly linear in log(dose): Math.log for exposures that scale with dose, a logit
   * for occupancy. The bracket and the result do not depend on it, only the number of steps.
   */
  readonly transform?: (y: number) => number;
  /**
   * 'rising' (default): f rises with the dose. 'auto': f may fall instead (a response a drug
   * inhibits: an effect below its baseline E0, an indirect response whose input it lowers). The
   * search then reads f first at start·1e-9, the level without drug for every purpose here, and
   * takes the direction from the first trial dose whose level differs from it; a target on the
   * other side of that level (or at it) is refused, naming both. Before, a falling exposure was
   * searched as a rising one: the dose shrank to 0 (then refused as a data row "row 1, column AMT"
   * the user never wrote) or grew to 1e12.
   */
  readonly direction?: 'rising' | 'auto';
}

/** The trial dose read as "no drug" by direction 'auto': start·ZERO_DOSE. */
const ZERO_DOSE = 1e-9;
/** A level differs from the one without drug when by more than this, relative (solver noise is far below it). */
const DIRECTION_TOL = 1e-6;

/**
 * The dose x > 0 at which an increasing function f reaches `target`: bracket by factors of 4 from
 * `start`, then shrink the bracket [lo, hi] (f(lo) < target ≤ f(hi)) by the Illinois variant
 * of regula falsi on log(dose); a root estimate next to one end is tried just past that end's
 * side, and three steps without halving the bracket force a geometric bisection. The bracket
 * always holds the root, as in bisection, but smooth exposure curves take a handful of steps. Stops when hi/lo − 1 ≤ relTol
 * (returns the geometric midpoint) or f is within fTol of the target (returns that dose).
 */
export function bracketBisect(f: (dose: number) => number, target: number, options: BisectOptions = {}): { dose: number; evaluations: number } {
  const r = bracketBisectBatch((_, doses) => doses.map(f), [target], options);
  return { dose: r.doses[0] as number, evaluations: r.evaluations };
}

/**
 * bracketBisect for many problems in lockstep: each round calls f once with the trial doses of the
 * problems not yet solved (`which` are their indices), so one engine call serves them all.
 * A problem whose target is reached by every dose down to start·1e-12 gets dose 0 (direction
 * 'rising'; 'auto' refuses it instead: dose 0 is no dose to give); one not reached up to maxDose
 * raises an error naming it. `evaluations` counts the rounds; `falling` says which problems'
 * exposure falls with the dose (direction 'auto'), `baseline` their level at start·1e-9 (NaN
 * with 'rising').
 *
 * f may return +Infinity for a dose whose exposure cannot be computed because it is too high (no
 * periodic steady state: a Michaelis–Menten elimination saturated by the dose rate). Such a dose is
 * beyond any target, whichever way the exposure goes: the bracket narrows below it by bisection
 * (the interpolant has no slope there), and a problem whose bracket closes on such a dose without
 * the target met below it is refused.
 */
export function bracketBisectBatch(
  f: (which: readonly number[], doses: readonly number[]) => readonly number[],
  targets: readonly number[],
  options: BisectOptions = {},
): { doses: number[]; evaluations: number; falling: boolean[]; baseline: number[] } {
  const what = options.what ?? 'target';
  const label = options.label ?? ((i: number) => `problem ${i + 1}`);
  const relTol = options.relTol ?? 1e-6;
  const fTol = options.fTol ?? 1e-10;
  const maxDose = options.maxDose ?? 1e12;
  const start = options.start ?? 1;
  const g = options.transform ?? ((y: number) => y);
  const direction = options.direction ?? 'rising';
  if (direction !== 'rising' && direction !== 'auto') throw Errors.option('direction', `${what}: direction must be 'rising' or 'auto' (got ${String(direction)})`, direction);
  const auto = direction === 'auto';
  if (!(start > 0)) throw Errors.option('start', `${what}: the first trial dose must be > 0 (got ${start})`);
  for (const t of targets) if (!Number.isFinite(t)) throw Errors.option(what, `${what}: must be a finite number (got ${t})`);
  const n = targets.length;
  const zero = start * ZERO_DOSE;
  // phase −2: the level without drug ('auto'); −1: finding the direction ('auto'); 0: first trial;
  // 1: growing (all below); 2: shrinking the dose (all at or above); 3: shrinking the bracket; 4: done.
  // "Below" and "above" are along the direction: for a falling exposure, above the target is under it
  const phase = new Array<number>(n).fill(auto ? -2 : 0);
  const sign = new Array<number>(n).fill(1); // +1: the exposure rises with the dose, −1: it falls
  const baseline = new Array<number>(n).fill(NaN);
  const lo = new Array<number>(n).fill(start);
  const hi = new Array<number>(n).fill(start);
  const flo = new Array<number>(n).fill(NaN); // f(lo) − target < 0
  const fhi = new Array<number>(n).fill(NaN); // f(hi) − target ≥ 0
  const side = new Array<number>(n).fill(0); // side replaced last: −1 lo, +1 hi (Illinois)
  const trial = new Array<number>(n).fill(auto ? zero : start);
  const doses = new Array<number>(n).fill(NaN);
  let evaluations = 0;
  const steps = new Array<number>(n).fill(0); // shrinking steps since the bracket last halved
  const width0 = new Array<number>(n).fill(Infinity); // log-width when it last halved
  const next = (i: number): void => {
    const a = lo[i] as number;
    const b = hi[i] as number;
    if (b / a - 1 <= relTol) {
      if (fhi[i] === Infinity)
        throw Errors.option(what, `${what}: not reached by any dose with a steady state (${label(i)}): the exposure at ${b.toPrecision(6)} could not be computed, and the doses below it stay ${sign[i] === 1 ? 'under' : 'over'} the target`);
      doses[i] = Math.sqrt(a * b);
      phase[i] = 4;
      return;
    }
    const la = Math.log(a);
    const lb = Math.log(b);
    const mid = 0.5 * (la + lb);
    const w = lb - la;
    if (w <= 0.5 * (width0[i] as number)) {
      width0[i] = w;
      steps[i] = 0;
    } else steps[i] = (steps[i] as number) + 1;
    const fa = flo[i] as number;
    const fb = fhi[i] as number;
    let lx = la + (w * -fa) / (fb - fa);
    const margin = 0.01 * w;
    const tiny = 0.25 * Math.log1p(relTol);
    if (!Number.isFinite(lx) || !Number.isFinite(fb) || (steps[i] as number) >= 3) {
      // no usable interpolant, or three steps without halving the bracket: bisect
      lx = mid;
      steps[i] = 0;
      width0[i] = w;
    } else if (lx - la < margin) lx = Math.min(la + Math.max(2 * (lx - la), tiny), mid);
    // the root looks close to one end: try just past it, so that the next bracket is tiny
    else if (lb - lx < margin) lx = Math.max(lb - Math.max(2 * (lb - lx), tiny), mid);
    trial[i] = Math.exp(lx);
  };
  const level = (y: number): string => y.toPrecision(6);
  for (let round = 0; round < 10_000; round++) {
    const which: number[] = [];
    for (let i = 0; i < n; i++) if (phase[i] !== 4) which.push(i);
    if (which.length === 0) break;
    const ys = f(which, which.map((i) => trial[i] as number));
    evaluations++;
    which.forEach((i, k) => {
      const x = trial[i] as number;
      const y = ys[k] as number;
      if (Number.isNaN(y)) throw Errors.solver(`${what}: the exposure at dose ${x} is not a number`);
      const t = targets[i] as number;
      if (phase[i] === -2) {
        baseline[i] = y;
        // without a steady state even then there is no level to compare with: searched as rising,
        // which refuses it ("no dose down to … has a steady state")
        phase[i] = y === Infinity ? 0 : -1;
        trial[i] = start;
        return;
      }
      if (phase[i] === -1) {
        const b = baseline[i] as number;
        if (y === Infinity) {
          // too high to have a steady state: the direction is read below it
          if (x / GROW <= zero * GROW)
            throw Errors.option(what, `${what}: no dose from ${x.toPrecision(3)} down to ${(zero * GROW).toPrecision(3)} has a steady state (${label(i)})`);
          trial[i] = x / GROW;
          return;
        }
        const diff = y - b;
        if (!(Math.abs(diff) > DIRECTION_TOL * Math.max(Math.abs(b), Math.abs(y)))) {
          // no effect of this dose yet: a larger one
          if (x >= maxDose)
            throw Errors.option(what, `${what}: not reached by any dose up to ${maxDose.toPrecision(3)} (${label(i)}): the exposure stays at ${level(b)}, its level without drug`);
          trial[i] = Math.min(maxDose, GROW * x);
          return;
        }
        sign[i] = diff > 0 ? 1 : -1;
        // a dose only moves the exposure away from its level without drug, one way
        if (!(sign[i] * (t - b) > 0)) {
          const dir = sign[i] === 1 ? 'rises' : 'falls';
          throw Errors.option(
            what,
            `${what}: not reached by any dose (${label(i)}): the exposure is ${level(b)} without drug and ${dir} as the dose rises (${level(y)} at dose ${x.toPrecision(3)}), so no dose gives ${t}; a target ${sign[i] === 1 ? 'above' : 'below'} ${level(b)} can be met`,
          );
        }
        // this trial is the search's first
        phase[i] = 0;
      }
      const s = sign[i] as number;
      // no steady state: beyond any target either way
      const reached = y === Infinity || (s === 1 ? y >= t : y <= t);
      const gt = g(t);
      const d = y === Infinity ? Infinity : s * (g(y) - gt);
      if (phase[i] === 0) phase[i] = reached ? 2 : 1;
      if (phase[i] === 1) {
        if (reached) {
          hi[i] = x;
          fhi[i] = d;
          phase[i] = 3;
        } else {
          lo[i] = x;
          flo[i] = d;
          if (x >= maxDose)
            throw Errors.option(what, `${what}: not reached by any dose up to ${maxDose.toPrecision(3)} (${label(i)})${auto ? `: the exposure is ${level(y)} there${Number.isFinite(baseline[i]) ? ` (${level(baseline[i] as number)} without drug)` : ''}` : ''}`);
          trial[i] = Math.min(maxDose, GROW * x);
          return;
        }
      } else if (phase[i] === 2) {
        if (!reached) {
          lo[i] = x;
          flo[i] = d;
          phase[i] = 3;
        } else {
          hi[i] = x;
          fhi[i] = d;
          if (x / GROW < 1e-12 * start) {
            // every trial without a steady state (no elimination at all): dose 0 would claim the target met
            if (d === Infinity) throw Errors.option(what, `${what}: no dose down to ${x.toPrecision(3)} has a steady state (${label(i)})`);
            // 'auto' checked the level without drug against the target: only noise gets here, and dose 0 is no dose to give
            if (auto) throw Errors.option(what, `${what}: met by every dose down to ${x.toPrecision(3)} (${label(i)}): the target is within the solver's accuracy of the exposure without drug, ${level(baseline[i] as number)}`);
            doses[i] = 0;
            phase[i] = 4;
          } else trial[i] = x / GROW;
          return;
        }
      } else {
        // shrinking: replace one end; Illinois: halve the other end's value when the same end is replaced twice
        if (reached) {
          hi[i] = x;
          fhi[i] = d;
          if (side[i] === 1) flo[i] = (flo[i] as number) / 2;
          side[i] = 1;
        } else {
          lo[i] = x;
          flo[i] = d;
          if (side[i] === -1) fhi[i] = (fhi[i] as number) / 2;
          side[i] = -1;
        }
        if (Math.abs(d) <= fTol * Math.max(1, Math.abs(gt))) {
          doses[i] = x;
          phase[i] = 4;
          return;
        }
      }
      next(i);
    });
  }
  return { doses, evaluations, falling: sign.map((x) => x === -1), baseline };
}
