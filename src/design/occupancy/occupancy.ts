// TMDD and receptor occupancy: the dose per administration that reaches an occupancy target at
// trough, at steady state, as the receptor density varies.
//
// Occupancy at trough (the level just before the next dose), two definitions:
//   'kd':      RO = Cfree / (KD + Cfree), KD = KOFF/KON (tmdd), KSS (tmdd-qss), or a given kd;
//              Cfree from the states whatever the model observes: A/V (tmdd), or the QSS relation
//              on the totals (tmdd-qss) — a model observing total drug (the usual assay for mAbs)
//              had its total trough read as the free one, and the dose came out 10 % low;
//   'complex': RO = complex / (receptor + complex), from the TMDD states (full TMDD only).
// Receptor density: the baseline R0 = KSYN/KDEG; each R0 of the table sets KSYN = R0·KDEG (KDEG of
// the typical patient), passed to the engine as a data item that overrides the model's KSYN. The
// baseline this gives is checked: a KDEG computed from KSYN (KDEG = KSYN/BASE) moves with it, and
// the row labelled R0 = 5 simulated R0 = 1; such a model is refused, naming KDEG.
//
// Steady state, two ways:
//   'ss' (default): an SS=1 dose — the engine iterates the dosing cycle of the non-linear model
//       (Rosenbrock) from the baseline state until successive troughs agree (relative 1e-10);
//   'repeat': `doses` (default 50) doses from baseline; the trough after the last dose, with the
//       relative change from the trough before it reported per row, so a too-short run shows.
// Dose search: bracket and bisect on dose (occupancy rises with dose), all R0 values in lockstep,
// one engine call per step.
//
// Linear-PK reference: with no receptor (R0 → 0) the drug is eliminated by KEL alone, and the dose
// that gives the trough Cfree = KD·RO/(1 − RO) has a closed form (one compartment, bolus, infusion,
// or first-order absorption without lag). Higher receptor density binds and internalises more drug,
// so a higher dose is needed; at very low R0 the dose approaches the linear one.

import { DosewiseError, Errors } from '../../errors.js';
import { checkModel } from '../../model/check-model.js';
import { optionKeys, refuseUnknownKeys } from '../../option-keys.js';
import type { Model, SolverMethod } from '../../model/model.js';
import { regimen } from '../../regimen/builder.js';
import type { DataRecord } from '../../regimen/record.js';
import { compileForModel, resolveMethod } from '../../engine/simulate.js';
import { firstFailure, layoutSubjects, solve, solverSetup, type Problem } from '../../engine/problem.js';
import { engine as threadEngine } from '../../engine/load.js';
import { type Engine, Method, Status, statusText } from '../../engine/wasm.js';
import { SOLVER_LIMITS } from '../../model/solver-limits.js';
import { BUILTINS_WITH_OCCUPANCY, builtinOf, centralCompartment } from '../../model/structure.js';
import { byId } from '../../regimen/nmtran.js';
import { type SteadyStateRegimen, bracketBisectBatch, typicalParameters } from '../nomogram/nomogram-exposure.js';

export type OccupancyDefinition = 'kd' | 'complex';

/** Largest |occupancy − target| accepted when the dose found is simulated again (the search ends at 1e-6 relative in dose). */
const OCCUPANCY_CHECK = 1e-4;

export interface OccupancyOptions {
  /** Occupancy target at trough, in (0, 1). */
  readonly target: number;
  readonly regimen: SteadyStateRegimen;
  /** Receptor baselines R0 = KSYN/KDEG to tabulate (model concentration units). */
  readonly receptor: readonly number[];
  /** Default 'kd'. */
  readonly definition?: OccupancyDefinition;
  /** KD for the 'kd' definition (default KOFF/KON, or KSS for tmdd-qss). */
  readonly kd?: number;
  /** Default 'ss'. */
  readonly steadyState?: 'ss' | 'repeat';
  /** 'repeat': number of doses (default 50). */
  readonly doses?: number;
  /** Covariates of the typical patient. */
  readonly covariates?: Readonly<Record<string, number>>;
  /** Relative precision of the dose (default 1e-6). */
  readonly relTol?: number;
  readonly maxDose?: number;
  readonly method?: SolverMethod;
  /** 'ss': relative agreement of successive troughs that ends the cycle iteration (default 1e-8). */
  readonly ssTol?: number;
  readonly engine?: Engine;
}

// a misspelt key was ignored, and { foo: 1 } failed as a raw TypeError (no regimen)
const OCCUPANCY_KEYS = optionKeys<OccupancyOptions>({
  target: true, regimen: true, receptor: true, definition: true, kd: true, steadyState: true, doses: true, covariates: true, relTol: true, maxDose: true, method: true, ssTol: true, engine: true,
});

const SS_TOL = 1e-8;

/** Names the receptor baselines of the table set for each row (KSYN = R0·KDEG), so no covariate may set them. */
export const RECEPTOR_SETTINGS: readonly string[] = ['R0', 'KSYN'];

export interface OccupancyRow {
  readonly R0: number;
  readonly KSYN: number;
  /** Dose per administration that reaches the target at trough. */
  readonly dose: number;
  /** The dose with no target binding (closed form); NaN where no closed form applies. */
  readonly linearDose: number;
  /** dose / linearDose. */
  readonly ratioToLinear: number;
  /** At the dose found: free concentration and occupancy at trough. */
  readonly troughFree: number;
  readonly occupancy: number;
  /** 'repeat' only: relative change of the trough over the last dosing interval. */
  readonly ssChange?: number;
}

export interface OccupancyTable {
  readonly dosewise: 'occupancy';
  readonly version: 1;
  readonly model: string;
  readonly target: number;
  readonly definition: OccupancyDefinition;
  readonly kd?: number;
  readonly interval: number;
  readonly infusion: number;
  readonly steadyState: string;
  readonly rows: readonly OccupancyRow[];
  readonly notes: readonly string[];
}

interface Setup {
  readonly model: Model;
  readonly o: OccupancyOptions;
  readonly kdeg: number;
  readonly kd: number;
  readonly definition: OccupancyDefinition;
  readonly receptorIndex: number;
  readonly complexIndex: number;
  /** 0-based state of the drug in the central compartment: free amount (tmdd) or total amount (tmdd-qss). */
  readonly drugIndex: number;
  /** tmdd-qss: 0-based state of the total receptor; −1 for full TMDD. */
  readonly totalReceptorIndex: number;
  /** V and KSS (tmdd-qss) of each row's typical patient, by R0. */
  readonly rowValues: (r0: number) => { readonly V: number; readonly KSS: number };
}

/** Relative agreement demanded of the simulated receptor baseline KSYN/KDEG with the R0 of the row. */
const BASELINE_CHECK = 1e-9;

const fmtValue = (x: number): string => String(Number(x.toPrecision(6)));

/**
 * The receptor baseline a row simulates, KSYN/KDEG evaluated with the row's KSYN = R0·KDEG, must be
 * its R0: a KDEG computed from KSYN (KDEG = KSYN/BASE) rose with the KSYN of the row and left the
 * baseline at BASE, so the row labelled R0 = 5 simulated R0 = 1 and its dose was 6 % low.
 */
function checkBaselines(model: Model, o: OccupancyOptions, kdeg: number): void {
  const covariates = o.covariates ?? {};
  const expr = (name: string): string => {
    const par = (model.file as { parameters?: Record<string, { expr?: unknown }> }).parameters?.[name];
    return par && typeof par.expr === 'string' ? ` = ${par.expr}` : '';
  };
  for (const r0 of o.receptor) {
    const ksyn = r0 * kdeg;
    let v: Readonly<Record<string, number>>;
    let failed = '';
    try {
      v = model.evaluate({ ...covariates, KSYN: ksyn }).values;
    } catch (e) {
      failed = (e as Error).message;
      v = {};
    }
    const KSYN = v.KSYN as number;
    const KDEG = v.KDEG as number;
    const base = KSYN / KDEG;
    if (!failed && Number.isFinite(base) && Math.abs(base - r0) <= BASELINE_CHECK * r0) continue;
    const start = `occupancy: receptor R0 = ${r0} sets KSYN = R0·KDEG = ${fmtValue(ksyn)} (KDEG ${fmtValue(kdeg)} of the typical patient), but`;
    if (failed) throw Errors.option('receptor', `${start} model ${model.name} cannot be evaluated with it: ${failed}`, r0);
    const why =
      KDEG !== kdeg
        ? `the model's KDEG${expr('KDEG')} depends on KSYN: with it KDEG is ${fmtValue(KDEG)}`
        : KSYN !== ksyn
          ? `the model's KSYN is ${fmtValue(KSYN)} with it (a data item KSYN does not set it)`
          : `KSYN/KDEG is ${fmtValue(base)}`;
    throw Errors.option(
      'receptor',
      `${start} ${why}, and the simulated receptor baseline KSYN/KDEG would be ${fmtValue(base)}, not ${r0}; ` +
        'to tabulate R0, the model must give KDEG without KSYN (e.g. KDEG a value and KSYN = R0 * KDEG with a covariate R0)',
      r0,
    );
  }
}

/**
 * The regimen, with an infusion longer than the interval allowed (valid NONMEM input: the engine
 * runs the overlapping infusions, at steady state too); the nomogram's check refused it.
 */
function checkOccupancyRegimen(r: SteadyStateRegimen): void {
  if (!(Number.isFinite(r.interval) && r.interval > 0)) throw Errors.option('interval', `dosing interval must be a number > 0 (got ${r.interval})`);
  const d = r.infusion ?? 0;
  if (!(Number.isFinite(d) && d >= 0)) throw Errors.option('infusion', `infusion duration must be a number ≥ 0 (got ${d})`);
}

function setup(model: Model, o: OccupancyOptions): Setup {
  checkOccupancyRegimen(o.regimen);
  if (!(o.target > 0 && o.target < 1)) throw Errors.option('target', `occupancy: the target must be in (0, 1) (got ${o.target})`);
  if (o.receptor.length === 0) throw Errors.option('receptor', 'occupancy: give at least one receptor density R0');
  for (const r of o.receptor) if (!(Number.isFinite(r) && r >= 0)) throw Errors.option('receptor', `occupancy: R0 must be a number ≥ 0 (got ${r})`);
  const kind = model.structure.kind;
  const occupancy = builtinOf(kind)?.occupancy;
  if (!occupancy)
    throw Errors.option(
      'model',
      kind === 'user'
        ? `occupancy: model ${model.name} is a model text, whose receptor and complex states dosewise cannot name; occupancy needs a built-in TMDD structure (${BUILTINS_WITH_OCCUPANCY}) in a model file`
        : `occupancy: model ${model.name} has structure ${kind}; a receptor density needs a TMDD structure (${BUILTINS_WITH_OCCUPANCY})`,
    );
  const definition = o.definition ?? 'kd';
  if (definition === 'complex' && !occupancy.complex) throw Errors.option('definition', 'occupancy: the complex/(receptor + complex) definition needs the full TMDD model (states RECEPTOR and COMPLEX)');
  // no receptor: complex/(receptor + complex) is 0/0 at every dose, and the search ended in "the
  // exposure at dose 6.3975 is not a number", blaming the solver
  if (definition === 'complex' && o.receptor.includes(0))
    throw Errors.option('receptor', 'occupancy: R0 = 0 (no receptor): the complex definition, complex/(receptor + complex), is 0/0 there; it needs R0 > 0 (the kd definition, C/(KD + C), gives the no-binding dose at R0 = 0)', 0);
  // a KD the definition does not read would leave the table as it is, as if it had been applied
  if (definition === 'complex' && o.kd !== undefined)
    throw Errors.option('kd', `occupancy: kd ${o.kd} is used only by the 'kd' definition, C/(KD + C); the 'complex' definition reads the receptor and complex states`, o.kd);
  // each row's R0 sets KSYN = R0·KDEG as a data item, which overrides the model's KSYN whatever a
  // covariate R0 or KSYN says: such a covariate would be reported as set and change nothing
  for (const name of RECEPTOR_SETTINGS)
    if (o.covariates !== undefined && Object.hasOwn(o.covariates, name))
      throw Errors.option('covariates', `occupancy: covariate ${name} = ${o.covariates[name]} conflicts with receptor, which sets the receptor baseline R0 = KSYN/KDEG of each row; give R0 values in receptor`, o.covariates[name]);
  // the drug enters the depot or the central compartment; a dose into the receptor or complex state
  // was simulated as given, and its "no-binding dose" was an IV dose's
  const central = centralCompartment(model.structure);
  const drug = model.structure.depot ? [1, central] : [central];
  const cmt = o.regimen.cmt ?? 1;
  if (!drug.includes(cmt))
    throw Errors.option('cmt', `occupancy: compartment ${cmt} of model ${model.name} is ${model.stateNames[cmt - 1] ?? 'not one of its compartments'}, not a dose compartment; give ${drug.join(' or ')} (${drug.map((c) => model.stateNames[c - 1]).join(' or ')})`, cmt);
  const p = typicalParameters(model, o.covariates ?? {});
  const kdeg = p.KDEG as number;
  const kd = o.kd ?? occupancy.kd(p);
  if (!(Number.isFinite(kd) && kd > 0)) throw Errors.option('kd', `occupancy: KD must be a number > 0 (got ${kd}; give kd)`);
  if (o.steadyState === 'repeat' && o.doses !== undefined && !(Number.isInteger(o.doses) && o.doses >= 2)) throw Errors.option('doses', `occupancy: doses must be an integer ≥ 2 (got ${o.doses})`);
  checkBaselines(model, o, kdeg);
  const cache = new Map<number, { V: number; KSS: number }>();
  const rowValues = (r0: number): { V: number; KSS: number } => {
    let x = cache.get(r0);
    if (!x) {
      const v = model.evaluate({ ...o.covariates, KSYN: r0 * kdeg }).values;
      x = { V: v.V as number, KSS: v.KSS as number };
      cache.set(r0, x);
    }
    return x;
  };
  return {
    model,
    o,
    kdeg,
    kd,
    definition,
    receptorIndex: model.stateNames.indexOf('RECEPTOR'),
    complexIndex: model.stateNames.indexOf('COMPLEX'),
    drugIndex: central - 1,
    totalReceptorIndex: model.stateNames.indexOf('RTOTAL'),
    rowValues,
  };
}

/**
 * Free drug concentration at the states y (one output row) of the row with baseline r0: A/V for
 * full TMDD; for TMDD-QSS the root of the QSS relation C = Ctot − Rtot·C/(KSS + C), in the kernel's
 * cancellation-free form (assembly/models/tmddqss.ts, qssFree).
 */
function freeConcentration(s: Setup, y: Float64Array, at: number, r0: number): number {
  const { V, KSS } = s.rowValues(r0);
  const a = y[at + s.drugIndex] as number;
  if (s.totalReceptorIndex < 0) return a / V;
  const ctot = a / V;
  const rtot = y[at + s.totalReceptorIndex] as number;
  const x = ctot - rtot - KSS;
  const q = Math.sqrt(x * x + 4 * KSS * ctot);
  if (x >= 0) return 0.5 * (x + q);
  const den = q - x;
  return den > 0 ? (2 * KSS * ctot) / den : 0;
}

function records(s: Setup, r0: number, dose: number, id: number): DataRecord[] {
  const { regimen: reg, covariates } = s.o;
  const items = { ...covariates, KSYN: r0 * s.kdeg };
  const tau = reg.interval;
  const dur = reg.infusion ?? 0;
  const d = { amt: dose, cmt: reg.cmt, ...(dur > 0 ? { dur } : {}), items };
  if (s.o.steadyState === 'repeat') {
    const n = s.o.doses ?? 50;
    // n − 1 doses by ADDL, the last one as its own record so that an observation at its time
    // comes before it: troughs after n − 1 and after n doses
    let g = regimen(id);
    if (n > 2) g = g.dose({ ...d, time: 0, ii: tau, addl: n - 2 });
    else g = g.dose({ ...d, time: 0 });
    return g
      .dose({ ...d, time: (n - 1) * tau })
      .observe({ times: [(n - 1) * tau, n * tau], items })
      .records();
  }
  return regimen(id)
    .dose({ ...d, time: 0, ii: tau, addl: 1, ss: 1 })
    .observe({ times: [2 * tau], items })
    .records();
}

/**
 * What to try after a failed simulation: `rosenbrock` (the method), `rtol` (a looser relative
 * tolerance of the model's solver: `now`, e.g. `suggest`), `ssTol` (a looser steady-state
 * tolerance, `now`), `repeat` (steady state by repeated doses), `regimen` (a shorter interval or a
 * lower target, where the dose needed is implausible).
 */
export interface OccupancyAdvice {
  readonly try: 'rosenbrock' | 'rtol' | 'ssTol' | 'repeat' | 'regimen';
  readonly now?: number;
  readonly suggest?: number;
}

/**
 * A failed simulation of the dose search: `detail` says which (R0's KSYN, the dose, the solver's
 * status) and why (the dose the target needs); `advice` what to try, in the library's terms in the
 * message (a command line names its own options).
 */
export class OccupancySolverError extends DosewiseError {
  readonly detail: string;
  readonly advice: readonly OccupancyAdvice[];
  constructor(detail: string, advice: readonly OccupancyAdvice[]) {
    super('E_SOLVER', `solver: ${detail}${advice.length ? `; try ${advice.map(adviceText).join(', or ')}` : ''}`);
    this.name = 'OccupancySolverError';
    this.detail = detail;
    this.advice = advice;
  }
}

/** A tolerance as written: 1e-6, not 0.000001. */
export const tolText = (x: number | undefined): string => (x !== undefined && x > 0 && x < 1e-3 ? x.toExponential() : String(x));

function adviceText(a: OccupancyAdvice): string {
  switch (a.try) {
    case 'rosenbrock':
      return "method 'rosenbrock'";
    case 'rtol':
      return `a looser rtol of the model's solver (now ${tolText(a.now)}, e.g. ${tolText(a.suggest)})`;
    case 'ssTol':
      return `a looser ssTol (now ${tolText(a.now)})`;
    case 'repeat':
      return "steadyState 'repeat'";
    case 'regimen':
      return 'a shorter interval or a lower target';
  }
}

/** One engine call for all records (IDs 1..n), with the steady-state tolerance of the options. */
function run(s: Setup, recs: readonly DataRecord[]): { amounts: Float64Array } {
  const { model, o } = s;
  const groups = [...byId(recs).values()];
  const method = resolveMethod(model, o.method);
  const problem: Problem = {
    solver: { ...solverSetup(model, method), ssTol: o.ssTol ?? SS_TOL, ssMaxIter: 10000 },
    subjects: layoutSubjects(groups.map((g) => compileForModel(model, g))),
    // the states, not the model's observation: that may be total drug (observe output concentration)
    amounts: true,
  };
  const out = solve(problem, o.engine ?? threadEngine(model));
  const i = firstFailure(out);
  if (i >= 0) {
    const first = (groups[i] as DataRecord[])[0] as DataRecord;
    const status = out.status[i] as number;
    // "(loosen ssTol, or use steadyState: repeat)" after every failure, and nothing with 'repeat':
    // a step budget exhausted (a dose of 5.3e7 into TMDD) is the ODE solver's, which ssTol does not
    // touch and repeated doses meet too; the method or rtol is what helps there
    const advice: OccupancyAdvice[] = [];
    if (status === Status.SteadyStateNotReached) {
      if (o.steadyState !== 'repeat') advice.push({ try: 'ssTol', now: o.ssTol ?? SS_TOL }, { try: 'repeat' });
    } else if (status === Status.StepTooSmall || status === Status.MaxSteps || status === Status.NonFinite) {
      if (method !== Method.Rosenbrock) advice.push({ try: 'rosenbrock' });
      const rtol = model.solver.rtol;
      if (rtol < SOLVER_LIMITS.rtolMax) advice.push({ try: 'rtol', now: rtol, suggest: Math.min(SOLVER_LIMITS.rtolMax, Number((rtol * 100).toPrecision(3))) });
    }
    throw new OccupancySolverError(`occupancy, KSYN ${first.items.KSYN}, dose ${first.AMT}: ${statusText(status)}`, advice);
  }
  return { amounts: out.amounts as Float64Array };
}

/** Trough free concentration, occupancy and (repeat) the relative trough change, per (R0, dose). */
function troughs(s: Setup, r0s: readonly number[], doses: readonly number[]): { free: number; ro: number; change?: number }[] {
  const recs = r0s.flatMap((r0, i) => records(s, r0, doses[i] as number, i + 1));
  const sim = run(s, recs);
  const n = s.model.nStates;
  const out: { free: number; ro: number; change?: number }[] = [];
  let prev = NaN;
  recs.forEach((r, k) => {
    if (r.EVID !== 0) return;
    const last = s.o.steadyState !== 'repeat' || r.TIME > (s.o.regimen.interval * ((s.o.doses ?? 50) - 1));
    const free = freeConcentration(s, sim.amounts, k * n, r0s[r.ID - 1] as number);
    if (!last) {
      prev = free;
      return;
    }
    let ro: number;
    if (s.definition === 'kd') ro = free / (s.kd + free);
    else {
      const a = sim.amounts;
      const R = a[k * n + s.receptorIndex] as number;
      const P = a[k * n + s.complexIndex] as number;
      ro = P / (R + P);
    }
    out.push(s.o.steadyState === 'repeat' ? { free, ro, change: Math.abs(free - prev) / Math.abs(free) } : { free, ro });
  });
  return out;
}

/**
 * Closed-form dose with no target binding: the trough free concentration for dose D at steady
 * state is D·c(τ) with c from one-compartment kinetics at KEL (bolus, infusion, or absorption).
 * An infusion of T h started nτ before the trough adds (1 − e^(−k·nτ))/(TkV) per unit dose while it
 * runs (nτ ≤ T) and (1 − e^(−kT))·e^(−k(nτ − T))/(TkV) after it ends: with N = ⌊T/τ⌋ infusions
 * still running, the sum is N − e^(−kτ)(1 − e^(−kNτ))/(1 − e^(−kτ)) plus a geometric tail
 * (N = 0, T ≤ τ: the usual (1 − e^(−kT))·e^(−k(τ − T))/(1 − e^(−kτ))).
 */
export function linearOccupancyDose(model: Model, o: Pick<OccupancyOptions, 'target' | 'regimen' | 'covariates'>, kd: number): number {
  const p = typicalParameters(model, o.covariates ?? {});
  const ev = model.evaluate(o.covariates ?? {});
  const k = p.KEL as number;
  const V = p.V as number;
  const tau = o.regimen.interval;
  const T = o.regimen.infusion ?? 0;
  const cmt = o.regimen.cmt ?? 1;
  const cTarget = (kd * o.target) / (1 - o.target);
  const acc = (x: number) => Math.exp(-x * tau) / (1 - Math.exp(-x * tau));
  let perUnit: number;
  if (model.structure.depot && cmt === 1) {
    const ka = p.KA as number;
    const F = ev.F[0] as number;
    if (T > 0 || (ev.lag[0] as number) > 0 || Math.abs(ka - k) < 1e-12 * k) return NaN;
    perUnit = ((F * ka) / (V * (ka - k))) * (acc(k) - acc(ka));
  } else {
    const c = model.structure.depot ? 1 : 0;
    const F = ev.F[c] as number;
    if ((ev.lag[c] as number) > 0) return NaN;
    if (T > 0) {
      const N = Math.floor(T / tau);
      const q = 1 - Math.exp(-k * tau);
      const running = N - (Math.exp(-k * tau) * (1 - Math.exp(-k * N * tau))) / q;
      const ended = ((1 - Math.exp(-k * T)) * Math.exp(-k * ((N + 1) * tau - T))) / q;
      perUnit = (F / (T * k * V)) * (running + ended);
    } else perUnit = (F / V) * acc(k);
  }
  return cTarget / perUnit;
}

/**
 * Runs the dose search, a failed simulation saying what the target asks for: the no-binding dose
 * (binding only adds to it) and how little of a dose KEL leaves at trough. For the library TMDD
 * (KEL 0.1/h) at 90 % every 168 h that is 5.34e7, e^-16.8 = 5.1e-8 of a dose left at trough; the
 * failure named the dose tried and "loosen ssTol" alone.
 */
function withDoseNeeded<T>(s: Setup, linear: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof OccupancySolverError) || !(Number.isFinite(linear) && linear > 0)) throw e;
    const kel = typicalParameters(s.model, s.o.covariates ?? {}).KEL as number;
    const kt = kel * s.o.regimen.interval;
    const left = Math.exp(-kt);
    const g = (x: number): string => String(Number(x.toPrecision(3)));
    // a dose of which KEL leaves less than 1/1000 at trough: the regimen, not the solver, is the problem
    const implausible = left < 1e-3;
    const why =
      `the target needs at least ${Number(linear.toPrecision(4)).toExponential()}, its dose without binding (binding adds to it): ` +
      `KEL ${g(kel)}/h over the ${g(s.o.regimen.interval)} h interval leaves e^-${g(kt)} = ${left.toExponential(1)} of a dose at trough` +
      (implausible ? ', an implausible dose' : '');
    throw new OccupancySolverError(`${e.detail}; ${why}`, implausible ? [{ try: 'regimen' }, ...e.advice] : e.advice);
  }
}

/**
 * Dose needed for an occupancy target at trough, for each receptor density.
 *
 * @example occupancyDoses(tmdd, { target: 0.9, regimen: { interval: 168 }, receptor: [0.01, 1, 10] })
 */
export function occupancyDoses(model: Model, o: OccupancyOptions): OccupancyTable {
  checkModel(model, 'occupancyDoses()');
  if (o === undefined) throw Errors.option('options', 'occupancyDoses(): the options are required (target, regimen, receptor)');
  refuseUnknownKeys(o, OCCUPANCY_KEYS, 'occupancyDoses()');
  if (typeof o.regimen !== 'object' || o.regimen === null) throw Errors.optionValue('regimen', o.regimen, 'occupancyDoses(): give the regimen as { interval, infusion? } (h)', o.regimen === undefined ? 'none' : undefined);
  if (!Array.isArray(o.receptor)) throw Errors.optionValue('receptor', o.receptor, 'occupancyDoses(): must be an array of receptor densities R0 ≥ 0', o.receptor === undefined ? 'none' : undefined);
  const s = setup(model, o);
  const p = typicalParameters(model, o.covariates ?? {});
  const kss = ((p.KOFF as number) + (p.KINT as number)) / (p.KON as number);
  const linear = linearOccupancyDose(model, o, s.definition === 'kd' ? s.kd : kss);
  const r0s = [...o.receptor];
  const { doses } = withDoseNeeded(s, linear, () => bracketBisectBatch(
    (which, ds) => troughs(s, which.map((i) => r0s[i] as number), ds).map((t) => t.ro),
    r0s.map(() => o.target),
    {
      start: Number.isFinite(linear) && linear > 0 ? linear : 1,
      relTol: o.relTol ?? 1e-6,
      maxDose: o.maxDose,
      what: `occupancy ${o.target} at trough`,
      // logit(RO) = log(Cfree/KD) is close to linear in log(dose)
      transform: (y) => Math.log(y / (1 - y)),
    },
  ));
  const at = troughs(s, r0s, doses);
  // the dose found must give the target when simulated again: where the steady state is not
  // resolved (an interval short against the binding kinetics) the bisection can end on a dose that
  // does not (88 % for a 90 % target, or a negative trough), which is refused, not printed
  at.forEach((t, i) => {
    if (t.free >= 0 && Math.abs(t.ro - o.target) <= OCCUPANCY_CHECK) return;
    throw Errors.solver(
      `occupancy at R0 = ${r0s[i]}: the dose found (${Number((doses[i] as number).toPrecision(6))}) gives a trough occupancy of ${Number(t.ro.toPrecision(4))} (free trough ${Number(t.free.toPrecision(4))}), not the target ${o.target}: ` +
        `the steady state is not resolved at this interval (${o.regimen.interval} h); try a longer interval, or steady state by repeated doses`,
    );
  });
  const rows: OccupancyRow[] = r0s.map((R0, i) => {
    const t = at[i] as { free: number; ro: number; change?: number };
    const dose = doses[i] as number;
    return {
      R0,
      KSYN: R0 * s.kdeg,
      dose,
      linearDose: linear,
      ratioToLinear: dose / linear,
      troughFree: t.free,
      occupancy: t.ro,
      ...(t.change !== undefined ? { ssChange: t.change } : {}),
    };
  });
  const notes: string[] = [];
  if (s.definition === 'complex')
    notes.push('linear-PK dose for the complex definition uses KSS = (KOFF + KINT)/KON (quasi-steady-state binding), an approximation');
  if (!Number.isFinite(linear)) notes.push('no closed-form linear-PK dose for this regimen (lag time, or infusion into a depot)');
  const worst = Math.max(0, ...rows.map((r) => r.ssChange ?? 0));
  if (o.steadyState === 'repeat' && worst > 1e-4)
    notes.push(`the trough still changed by ${(100 * worst).toPrecision(2)}% over the last interval: ${o.doses ?? 50} doses are not enough for steady state`);
  return {
    dosewise: 'occupancy',
    version: 1,
    model: model.name,
    target: o.target,
    definition: s.definition,
    ...(s.definition === 'kd' ? { kd: s.kd } : {}),
    interval: o.regimen.interval,
    infusion: o.regimen.infusion ?? 0,
    steadyState:
      o.steadyState === 'repeat'
        ? `${o.doses ?? 50} doses from baseline (trough after the last)`
        : 'engine SS=1: dosing cycle of the non-linear model iterated to a periodic solution',
    rows,
    notes,
  };
}

/** Readable table of required dose vs receptor density. */
export function formatOccupancy(t: OccupancyTable): string {
  const g = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-2 ? x.toPrecision(4) : Number(x.toPrecision(5)).toString()) : '-');
  const rows = [['R0', 'KSYN', 'dose', 'linear-PK dose', 'ratio', 'Cfree trough', 'occupancy']];
  for (const r of t.rows) rows.push([g(r.R0), g(r.KSYN), g(r.dose), g(r.linearDose), g(r.ratioToLinear), g(r.troughFree), `${(100 * r.occupancy).toFixed(2)}%`]);
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  const head =
    `${t.model}: dose per administration for ${(100 * t.target).toFixed(1)}% occupancy at trough, q${t.interval}h` +
    `${t.infusion > 0 ? ` (${t.infusion} h infusion)` : ''}; ` +
    (t.definition === 'kd' ? `RO = Cfree/(KD + Cfree), KD = ${g(t.kd as number)}` : 'RO = complex/(receptor + complex)') +
    `\nsteady state: ${t.steadyState}\n\n`;
  return head + rows.map((r) => r.map((x, c) => x.padStart(w[c] as number)).join('  ')).join('\n') + '\n' + (t.notes.length ? '\n' + t.notes.join('\n') + '\n' : '');
}
