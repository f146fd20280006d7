// Nomograms: a starting-dose table over a covariate grid, derived from a covariate model.
//
// For each grid cell the typical patient (every η = 0, the cell's covariates, the fixed ones) gets
// (an η or a model parameter on the grid or fixed is a what-if, named in `rule` and `whatIf`),
// for each candidate dosing interval τ:
//   1. the steady-state exposure per unit dose from the engine (SS = 1, metrics over one interval;
//      see nomogram-exposure.ts). Linear models are dose-proportional, so one run gives
//      dose = target / (exposure per unit dose) — for an AUC24 target and F·Dose/CL kinetics this is
//      dose per τ = target · CL/F · τ/24. Non-linear models (Michaelis–Menten, TMDD, ...) are solved
//      by bracket-and-bisect on dose with the engine instead;
//   2. the dose rounded to a practical one (rounding.ts: nearest available strength combination or
//      increment within [min, max], ties up);
//   3. the exposure achieved with the rounded dose, and whether it meets the constraints (trough
//      ceiling and floor, peak ceiling).
// The cell's interval is the FIRST interval in the order given that meets the constraints (list
// the preferred interval first, e.g. 12, 24, 48: q12h unless its trough exceeds the ceiling). A cell
// where none does has no dose (`dose: null`) and says why.
//
// The code is generic over any covariates of any model: the grid names model inputs. A published
// starting-dose relation (e.g. an FSH starting dose from age, BMI, AMH and antral follicle count)
// needs a model file with that relation; the library in models/ has none, so such a table can only
// be built once that model is added (see examples/nomogram-illustrative.model.json for a made-up,
// labelled-illustrative model with four such covariates).

import { approximationWarnings } from '../../model/approximation.js';
import { DosewiseError, Errors } from '../../errors.js';
import type { Model, SolverMethod } from '../../model/model.js';
import { type RoundedDose, type RoundingRule, checkRounding, describeRounding, formatUnits, roundDose } from './rounding.js';
import {
  type Exposure,
  type ExposureMetric,
  EXPOSURE_METRICS,
  bracketBisectBatch,
  checkPoints,
  checkRegimen,
  doseProportional,
  steadyStateExposure,
  steadyStateExposures,
  typicalParameters,
  unsetInputProblem,
} from './nomogram-exposure.js';
import { Status, statusText } from '../../engine/wasm.js';
import type { Engine } from '../../engine/wasm.js';
import { decimalList } from '../../comma-list.js';
import { checkSolverOptions } from '../../engine/solver-options.js';
import { declaredCovariateUnit, flagValueProblem, patientAgeWarning, patientHeightUnitWarning, patientUnitProblem, suspectUnitProblem } from '../../model/covariate-flags.js';
import { optionKeys, refuseUnknownKeys, shapeOf } from '../../option-keys.js';
import { MAX_OBSERVATIONS } from '../../regimen/builder.js';
import { checkModel } from '../../model/check-model.js';
import { isPlainObject } from '../../plain-object.js';

export interface NomogramTarget {
  /** auc24 (AUC per 24 h at steady state), auctau, cavg (Css,avg), trough, cmin or cmax. */
  readonly metric: ExposureMetric;
  readonly value: number;
}
const TARGET_KEYS = optionKeys<NomogramTarget>({ metric: true, value: true });

export interface GridAxis {
  /** A model input (covariate / data item), e.g. WT. */
  readonly name: string;
  readonly values: readonly number[];
}
const AXIS_KEYS = optionKeys<GridAxis>({ name: true, values: true });

export interface NomogramOptions {
  readonly target: NomogramTarget;
  /** Candidate dosing intervals (h), in order of preference. */
  readonly intervals: readonly number[];
  /** Infusion duration (h); 0/absent: bolus or a dose into the depot. */
  readonly infusion?: number;
  /** Dose compartment (default 1). */
  readonly cmt?: number;
  /** Covariate grid: the table's rows (first axis), columns (second), sub-tables (the rest). */
  readonly grid: readonly GridAxis[];
  /** Covariates held fixed in every cell (e.g. { DIAL: 0 }). */
  readonly fixed?: Readonly<Record<string, number>>;
  /** Practical doses (default: not rounded). */
  readonly rounding?: RoundingRule;
  /** Constraints on the exposure achieved with the rounded dose. */
  readonly troughMax?: number;
  readonly troughMin?: number;
  readonly peakMax?: number;
  readonly method?: SolverMethod;
  /** Grid points per interval for the engine's metrics (default 480). */
  readonly points?: number;
  readonly engine?: Engine;
}
const NOMOGRAM_KEYS = optionKeys<NomogramOptions>({
  target: true, intervals: true, infusion: true, cmt: true, grid: true, fixed: true, rounding: true, troughMax: true, troughMin: true, peakMax: true, method: true, points: true, engine: true,
});

function refuseUnread(model: Model, field: 'grid' | 'fixed', name: string): void {
  if (!model.inputs.includes(name) && !model.parameterNames.includes(name)) {
    const etas = model.omega?.names ?? [];
    const also = [etas.length ? `η (${etas.join(', ')})` : '', model.parameterNames.length ? `parameters (${model.parameterNames.join(', ')})` : ''].filter(Boolean).join(' and ');
    throw Errors.option(field, `nomogram: model ${model.name} does not read ${name} (its covariates: ${model.inputs.filter((n) => !etas.includes(n)).join(', ') || 'none'})${also ? `; its ${also} may be set too, as a what-if` : ''}`);
  }
}

/**
 * What a cell's patient is when the grid or the fixed values set an η or a model parameter (a
 * what-if: ETA_CL = 0.5, E0 = 20), e.g. "η = 0 except ETA_CL from the grid"; undefined for the
 * typical patient. The dose is computed for that patient, and the rule said "typical patient
 * (η = 0)" all the same.
 */
export function whatIfText(model: Model, grid: readonly GridAxis[], fixed: Readonly<Record<string, number>>): string | undefined {
  const etaNames = model.omega?.names ?? [];
  const set = [...grid.map((a) => ({ name: a.name, text: `${a.name} from the grid` })), ...Object.entries(fixed).map(([k, v]) => ({ name: k, text: `${k} = ${v}` }))];
  const etas = set.filter((x) => etaNames.includes(x.name));
  const parameters = set.filter((x) => !etaNames.includes(x.name) && !model.inputs.includes(x.name) && model.parameterNames.includes(x.name));
  if (etas.length === 0 && parameters.length === 0) return undefined;
  const list = (xs: readonly { text: string }[]): string => xs.map((x) => x.text).join(', ');
  return [
    etas.length ? `η = 0 except ${list(etas)}` : 'every η = 0',
    ...(parameters.length ? [`${list(parameters)} in place of the model's parameter${parameters.length === 1 ? '' : 's'}`] : []),
  ].join('; ');
}

/**
 * A covariate value of a cell, checked as the command line checks --set and --grid: a name the model
 * does not read changed nothing (fixed FOO: 1 was ignored), a 0/1 flag takes 0 or 1 only.
 */
function checkCovariate(model: Model, field: 'grid' | 'fixed', name: string, value: unknown): void {
  refuseUnread(model, field, name);
  if (!(typeof value === 'number' && Number.isFinite(value))) throw Errors.option(field, `nomogram: ${field === 'fixed' ? `fixed.${name}` : `covariate ${name}`} must be a finite number (got ${String(value)})`, value);
  const why = flagValueProblem(declaredCovariateUnit(model, name), value);
  if (why !== undefined) throw Errors.option(field, `nomogram: ${name} is a 0/1 flag of model ${model.name} (unit "0/1"): ${why} (got ${value})`, value);
}

export interface NomogramCandidate {
  readonly interval: number;
  /** Dose per administration that hits the target exactly. */
  readonly computed: number;
  readonly rounded: RoundedDose;
  /** Exposure at steady state with the rounded dose. */
  readonly achieved: Exposure;
  /** Present (true) when the target metric falls as the dose rises (an inhibited response). */
  readonly falling?: true;
  readonly feasible: boolean;
  /** Why not feasible (constraint violated). */
  readonly reason?: string;
}

export interface NomogramCell {
  readonly covariates: Readonly<Record<string, number>>;
  /** Individual parameters of the typical patient of the cell (e.g. CL, V). */
  readonly parameters: Readonly<Record<string, number>>;
  /** Chosen interval and rounded dose per administration; null when no interval is feasible. */
  readonly interval: number | null;
  readonly dose: number | null;
  /** The unrounded dose for the chosen interval. */
  readonly computed: number | null;
  readonly units?: RoundedDose['units'];
  readonly clamped?: RoundedDose['clamped'];
  readonly clampedBy?: RoundedDose['clampedBy'];
  readonly achieved: Exposure | null;
  /** Present (true) when the target metric falls as the dose rises at the chosen interval (an inhibited response). */
  readonly falling?: true;
  readonly candidates: readonly NomogramCandidate[];
  readonly note?: string;
}

export interface Nomogram {
  readonly dosewise: 'nomogram';
  readonly version: 1;
  readonly model: string;
  readonly target: NomogramTarget;
  readonly intervals: readonly number[];
  readonly infusion: number;
  readonly grid: readonly GridAxis[];
  readonly fixed: Readonly<Record<string, number>>;
  /** The rounding rule, described. */
  readonly rounding: string;
  /** The rounding rule as data: the doses it gives are shown as given (doseText). */
  readonly roundingRule: RoundingRule;
  readonly constraints: { readonly troughMax?: number; readonly troughMin?: number; readonly peakMax?: number };
  /** 'proportional' (linear model: one engine run per cell and interval) or 'bisection'. */
  readonly solution: 'proportional' | 'bisection';
  readonly rule: string;
  /** Present when a cell's patient is not the typical one: the η's and parameters set (e.g. "η = 0 except ETA_CL from the grid"). */
  readonly whatIf?: string;
  /** W_RENAL_UNIT and the other suspect units of a fixed or grid value ("grid CRCL=3: W_RENAL_UNIT: …", once per value); W_PMA_UNIT / W_AGE_UNIT: a cell whose weight or height no patient of its age has; W_HEIGHT_UNIT: a height in inches (each the first cell, with how many more). */
  readonly warnings?: readonly string[];
  readonly cells: readonly NomogramCell[];
}

/** Parses `auc24=500`, `cavg=15`, `trough=15`. */
export function parseTarget(s: string): NomogramTarget {
  const m = /^\s*([A-Za-z0-9]+)\s*=\s*([-0-9.eE+]+)\s*$/.exec(s);
  const metric = m?.[1]?.toLowerCase() as ExposureMetric | undefined;
  const value = m ? Number(m[2]) : NaN;
  if (!m || !metric || !EXPOSURE_METRICS.includes(metric))
    throw Errors.option('target', `target ${s}: expected METRIC=VALUE with METRIC one of ${EXPOSURE_METRICS.join(', ')} (e.g. auc24=500)`);
  if (!(Number.isFinite(value) && value > 0)) throw Errors.option('target', `target ${s}: the value must be a number > 0`);
  return { metric, value };
}

/** Parses `WT=50:120:10` (from:to:step, both ends included when on the grid) or `WT=50,70,90`. */
export function parseGridAxis(s: string): GridAxis {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(s);
  if (!m) throw Errors.option('grid', `grid ${s}: expected NAME=FROM:TO:STEP or NAME=V1,V2,...`);
  const name = m[1] as string;
  const spec = (m[2] as string).trim();
  let values: number[];
  if (spec.includes(':')) {
    const p = spec.split(':').map((x) => decimalList(x)[0] as number);
    const [a, b, st] = p as [number, number, number];
    if (p.length !== 3 || !p.every(Number.isFinite) || !(st > 0) || !(b >= a))
      throw Errors.option('grid', `grid ${s}: expected NAME=FROM:TO:STEP with FROM ≤ TO and STEP > 0`);
    const n = Math.floor((b - a) / st + 1e-9);
    if (n > 10_000) throw Errors.option('grid', `grid ${s}: more than 10000 values`);
    values = Array.from({ length: n + 1 }, (_, k) => Number((a + k * st).toPrecision(12)));
  } else {
    values = decimalList(spec);
    if (values.length === 0 || !values.every(Number.isFinite)) throw Errors.option('grid', `grid ${s}: values must be numbers`);
  }
  return { name, values };
}

/**
 * The engine's ways of saying a dose rate exceeds what the elimination can clear: the dose
 * iteration diverging (4) or the steady-state system turning singular (5) when the saturated
 * elimination falls below the dose rate; near that rate, a periodic state the iteration cannot pin
 * (8) or a negative root of the cycle map (9). Which one a model meets depends on where it saturates, so
 * all mean "above any exposure target" here.
 */
function withoutSteadyState(st: number): boolean {
  return st === Status.SteadyStateNotReached || st === Status.SingularSteadyState || st === Status.SteadyStateNoisy || st === Status.SteadyStateNegative;
}

function exposureOf(e: Exposure, metric: ExposureMetric): number {
  return e[metric];
}

function scaleExposure(e: Exposure, k: number): Exposure {
  return { auctau: e.auctau * k, auc24: e.auc24 * k, cavg: e.cavg * k, cmax: e.cmax * k, trough: e.trough * k, cmin: e.cmin * k };
}

/** Relative tolerance of the dose found by bisection (non-linear models). */
const BISECTION_TOL = 1e-7;

/** The typical parameters of a cell; a cell whose covariates give none is named by its grid values (the --grid entry). */
function cellTypicalParameters(model: Model, cell: Readonly<Record<string, number>>, grid: readonly GridAxis[]): Record<string, number> {
  try {
    return typicalParameters(model, cell);
  } catch (e) {
    if (!(e instanceof DosewiseError) || e.code !== 'E_PARAMETER') throw e;
    throw Errors.option('grid', `grid ${grid.map((a) => `${a.name}=${cell[a.name]}`).join(', ')}: ${e.message}`, e.place.value);
  }
}

function cartesian(axes: readonly GridAxis[]): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const a of axes) out = out.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: v })));
  return out;
}

/**
 * Builds the starting-dose table.
 *
 * @example
 * nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12, 24], infusion: 1,
 *   grid: [{ name: 'WT', values: [50, 70, 90] }, { name: 'CRCL', values: [30, 60, 120] }],
 *   rounding: { kind: 'increment', step: 250 }, troughMax: 20 })
 */
/**
 * W_RENAL_UNIT and the other suspect-unit warnings (suspectUnitProblem, the command line's --set and
 * --grid warnings) of the fixed values and grid values, each once, judged with the cells it is in
 * (a dialysis flag or a child's age there spares a low clearance): "grid CRCL=3: W_RENAL_UNIT: …".
 * The library's nomogram() returned none, so an app's table for CRCL 3 (180 mL/min if mL/s) or
 * Buelga's CRCL 100 L/h (1667 mL/min) came without a word, where the command line warned.
 */
function unitWarnings(model: Model, grid: readonly GridAxis[], fixed: Readonly<Record<string, number>>, cells: readonly Readonly<Record<string, number>>[]): string[] {
  const said = new Map<string, string>();
  const judge = (field: string, name: string, value: number, largest?: number): void => {
    const key = `${field} ${name}=${value}`;
    if (said.has(key)) return;
    // the first cell of that value where it reads so (DIAL 0 beside DIAL 1 on the grid: the DIAL 0 cells)
    for (const cell of cells) {
      if (cell[name] !== value) continue;
      const w = suspectUnitProblem(model, name, value, cell, largest)?.warning;
      if (w === undefined) continue;
      said.set(key, `${key}: ${w}`);
      return;
    }
  };
  for (const [name, value] of Object.entries(fixed)) if (model.inputs.includes(name)) judge('fixed', name, value);
  // an axis is judged as a whole: CRCL=10:150:20 runs to 150, so it is mL/min and its 10 is not
  // offered the L/h reading (RENAL_SET_ML_MIN_ABOVE); an axis all within 5-15 still is
  for (const a of grid) if (model.inputs.includes(a.name)) for (const v of a.values) judge('grid', a.name, v, Math.max(...a.values));
  return [...said.values()];
}

export function nomogram(model: Model, o: NomogramOptions): Nomogram {
  checkModel(model, 'nomogram()');
  refuseUnknownKeys(o, NOMOGRAM_KEYS, 'nomogram()');
  refuseUnknownKeys(o.target, TARGET_KEYS, 'nomogram()', 'target.');
  if (Array.isArray(o.grid)) o.grid.forEach((a, i) => refuseUnknownKeys(a, AXIS_KEYS, 'nomogram()', `grid.${i}.`));
  checkPoints(o.points, 'nomogram: points');
  checkSolverOptions({ method: o.method });
  if (o.rounding !== undefined) checkRounding(o.rounding);
  if (o.fixed !== undefined && !isPlainObject(o.fixed)) throw Errors.optionValue('fixed', o.fixed, 'nomogram: fixed covariates are a plain object of NAME: number (not a Map or an array)');
  if (o.fixed !== undefined) for (const [k, v] of Object.entries(o.fixed)) checkCovariate(model, 'fixed', k, v);
  if (o.intervals.length === 0) throw Errors.option('intervals', 'nomogram: give at least one dosing interval');
  for (const tau of o.intervals) checkRegimen({ interval: tau, infusion: o.infusion });
  if (!EXPOSURE_METRICS.includes(o.target.metric)) throw Errors.option('target.metric', `nomogram: unknown target metric ${String(o.target.metric)}`);
  if (!(Number.isFinite(o.target.value) && o.target.value > 0)) throw Errors.option('target.value', `nomogram: the target must be a number > 0 (got ${o.target.value})`);
  if (o.grid.length === 0) throw Errors.option('grid', 'nomogram: give at least one covariate axis (e.g. the axis WT=50:120:10)');
  const seen = new Set<string>();
  for (const a of o.grid) {
    if (seen.has(a.name)) throw Errors.option('grid', `nomogram: covariate ${a.name} is on the grid twice`);
    seen.add(a.name);
    refuseUnread(model, 'grid', a.name);
    if (a.values.length === 0) throw Errors.option('grid', `nomogram: covariate ${a.name} has no values`);
    for (const v of a.values) checkCovariate(model, 'grid', a.name, v);
    // a repeated value printed the same row twice, as if two patients
    const twice = a.values.find((v, k) => a.values.indexOf(v) !== k);
    if (twice !== undefined) throw Errors.option('grid', `grid ${a.name}: the value ${twice} is given twice; give each value once`, twice);
    // the cell's value wins over the fixed one, which the result would still list as held fixed
    if (o.fixed !== undefined && Object.hasOwn(o.fixed, a.name))
      throw Errors.option('fixed', `nomogram: covariate ${a.name} is both on the grid and fixed (${a.name} = ${o.fixed[a.name]}); give it in one of the two`, o.fixed[a.name]);
  }
  for (const [k, v] of [['troughMax', o.troughMax], ['troughMin', o.troughMin], ['peakMax', o.peakMax]] as const)
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw Errors.option(k, `nomogram: ${k} must be a number ≥ 0 (got ${v})`);
  // an empty window ran, every cell read "no interval meets the constraints"
  if (o.troughMin !== undefined && o.troughMax !== undefined && o.troughMin > o.troughMax)
    throw Errors.option('troughMin', `nomogram: troughMin ${o.troughMin} is above troughMax ${o.troughMax}: no trough is allowed`, o.troughMin);
  if (o.troughMin !== undefined && o.peakMax !== undefined && o.troughMin > o.peakMax)
    throw Errors.option('troughMin', `nomogram: troughMin ${o.troughMin} is above peakMax ${o.peakMax}: a trough is never above its peak, so no regimen is allowed`, o.troughMin);
  const rounding: RoundingRule = o.rounding ?? { kind: 'exact' };
  const fixed = o.fixed ?? {};
  const unset = unsetInputProblem(model, [...Object.keys(fixed), ...o.grid.map((a) => a.name)], {
    time: 'give the time in fixed (h, e.g. fixed: { TIME: 100 })',
    covariate: (name) => `give ${name} as a grid axis or in fixed`,
  });
  if (unset !== undefined) throw Errors.option('fixed', `nomogram: ${unset}`);
  const cells = cartesian(o.grid).map((c) => ({ ...fixed, ...c }));
  // each cell is one patient, its values judged together: a weight in grams on the grid beside a
  // fixed PMA of 30 weeks was read as 650 kg (Colin 2019: 979 mg q8h where 5.5 mg is meant)
  for (const cell of cells) {
    const p = patientUnitProblem(model, cell);
    if (p === undefined) continue;
    const field = o.grid.some((a) => a.name === p.name) ? 'grid' : 'fixed';
    throw Errors.option(field, `${field} ${p.name}=${p.value} (cell ${covariateText(cell)}): ${p.why}`, p.value);
  }
  // an age in another unit than the model's (PMA 35 for 35 years: 327.5 mg q12h for 979.9), told by
  // the weight and height of the cell
  const aged = cells.flatMap((cell) => {
    const w = patientAgeWarning(model, cell);
    return w === undefined ? [] : [`cell ${covariateText(cell)}: ${w}`];
  });
  // a height in inches (HT 37 beside WT 14 and AGE 3: busulfan 48.6 mg for 63.9 at 94 cm), as a data set's row is told
  const tall = cells.flatMap((cell) => {
    const w = patientHeightUnitWarning(model, cell);
    return w === undefined ? [] : [`cell ${covariateText(cell)}: ${w}`];
  });
  const firstOf = (list: readonly string[]): string[] => (list.length === 0 ? [] : [`${list[0] as string}${list.length > 1 ? ` (and ${list.length - 1} more cell${list.length > 2 ? 's' : ''})` : ''}`]);
  const warnings = [...approximationWarnings(model), ...unitWarnings(model, o.grid, fixed, cells), ...firstOf(aged), ...firstOf(tall)];
  // before any engine run: a cell refused there was named as the data row "row 1"
  const cellParameters = cells.map((cov) => cellTypicalParameters(model, cov, o.grid));
  const proportional = doseProportional(model);
  const target = o.target;
  const expOpts = { method: o.method, points: o.points, engine: o.engine };

  // exact dose per cell for each interval; for a dose-proportional model also the exposure at a
  // reference dose, which scales to any other dose
  const REF = 1000;
  const reference: Exposure[][] = [];
  // per interval and cell: the target metric falls as the dose rises (found by the dose search)
  const falling: boolean[][] = [];
  const computed: number[][] = o.intervals.map((tau) => {
    const reg = { interval: tau, infusion: o.infusion, cmt: o.cmt };
    if (proportional) {
      const e = steadyStateExposure(model, cells.map((covariates) => ({ covariates, dose: REF })), reg, expOpts);
      reference.push(e);
      falling.push(cells.map(() => false));
      return e.map((x) => {
        const per = exposureOf(x, target.metric) / REF;
        if (!(per > 0)) throw Errors.solver(`nomogram: the ${target.metric} per unit dose is ${per} for interval ${tau} h; the target cannot be reached`);
        return target.value / per;
      });
    }
    const search = bracketBisectBatch(
      (which, doses) => {
        const patients = which.map((i, k) => ({ covariates: cells[i] as Record<string, number>, dose: doses[k] as number }));
        const { exposures, status } = steadyStateExposures(model, patients, reg, expOpts);
        return exposures.map((x, k) => {
          const st = status[k] as number;
          // the dose rate saturates the elimination: above any exposure target (bracketBisectBatch)
          if (withoutSteadyState(st)) return Infinity;
          if (st !== Status.Ok) throw Errors.solver(`nomogram: steady state for dose ${doses[k]} (${covariateText(cells[which[k] as number] as Record<string, number>)}), interval ${tau} h: ${statusText(st)}`);
          return exposureOf(x, target.metric);
        });
      },
      cells.map(() => target.value),
      // a response the drug lowers (an inhibitory Emax, an indirect response on kin) falls as the
      // dose rises: searched as rising, its dose shrank to 0 or grew to 1e12
      {
        start: 100,
        relTol: BISECTION_TOL,
        what: `nomogram target ${target.metric}=${target.value}`,
        transform: Math.log,
        direction: 'auto',
        label: (i) => `${covariateText(cells[i] as Record<string, number>)}, interval ${tau} h`,
      },
    );
    falling.push(search.falling);
    return search.doses;
  });

  // how accurate each computed dose is: the target metric on the grid of `points` per interval
  // against one twice as fine (its sampling error is O(step²): the coarse grid's error is below
  // twice the difference), plus the bisection's tolerance. A dose within it of a bound or a tie is
  // taken as there: 1000.00038 mg from a sampled AUC24 (exact 500·4/2 = 1000) was flagged
  // "above the largest allowed dose 1000", the target "not reached"
  const points = o.points ?? 480;
  const finer = Math.min(2 * points, MAX_OBSERVATIONS);
  const accuracy: number[][] = o.intervals.map((tau, j) => {
    const base = proportional ? 1e-9 : BISECTION_TOL;
    if (finer === points) return cells.map(() => base);
    const reg = { interval: tau, infusion: o.infusion, cmt: o.cmt };
    const at = (i: number): number => (proportional ? REF : ((computed[j] as number[])[i] as number));
    const { exposures } = steadyStateExposures(model, cells.map((covariates, i) => ({ covariates, dose: at(i) })), reg, { ...expOpts, points: finer });
    return exposures.map((x, i) => {
      const fine = exposureOf(x, target.metric);
      const coarse = proportional ? exposureOf((reference[j] as Exposure[])[i] as Exposure, target.metric) : target.value;
      const e = Math.abs(coarse - fine) / Math.abs(fine);
      return Number.isFinite(e) ? Math.min(1e-3, base + 2 * e) : base;
    });
  });

  // rounded doses and the exposure they achieve
  const rounded: RoundedDose[][] = computed.map((row, j) => row.map((d, i) => roundDose(d, rounding, (accuracy[j] as number[])[i] as number)));
  // a dose rounded up past the last one with a steady state has no exposure: not a dose to give
  const noSteadyState: boolean[][] = o.intervals.map(() => cells.map(() => false));
  const achieved: Exposure[][] = o.intervals.map((tau, j) => {
    const r = rounded[j] as RoundedDose[];
    if (proportional) return (reference[j] as Exposure[]).map((x, i) => scaleExposure(x, (r[i] as RoundedDose).dose / REF));
    const reg = { interval: tau, infusion: o.infusion, cmt: o.cmt };
    const { exposures, status } = steadyStateExposures(model, cells.map((covariates, i) => ({ covariates, dose: (r[i] as RoundedDose).dose })), reg, expOpts);
    status.forEach((st, i) => {
      if (withoutSteadyState(st)) (noSteadyState[j] as boolean[])[i] = true;
      else if (st !== Status.Ok) throw Errors.solver(`nomogram: steady state for dose ${(r[i] as RoundedDose).dose} (${covariateText(cells[i] as Record<string, number>)}), interval ${tau} h: ${statusText(st)}`);
    });
    return exposures;
  });

  const out: NomogramCell[] = cells.map((cov, i) => {
    const candidates: NomogramCandidate[] = o.intervals.map((interval, j) => {
      const a = (achieved[j] as Exposure[])[i] as Exposure;
      const why: string[] = [];
      if ((noSteadyState[j] as boolean[])[i]) why.push(`no periodic steady state at the rounded dose ${roundedText((rounded[j] as RoundedDose[])[i] as RoundedDose, rounding)}`);
      if (o.troughMax !== undefined && a.trough > o.troughMax) why.push(`trough ${fmt(a.trough)} > ${o.troughMax}`);
      if (o.troughMin !== undefined && a.trough < o.troughMin) why.push(`trough ${fmt(a.trough)} < ${o.troughMin}`);
      if (o.peakMax !== undefined && a.cmax > o.peakMax) why.push(`peak ${fmt(a.cmax)} > ${o.peakMax}`);
      const base = {
        interval,
        computed: (computed[j] as number[])[i] as number,
        rounded: (rounded[j] as RoundedDose[])[i] as RoundedDose,
        achieved: a,
        ...((falling[j] as boolean[])[i] ? { falling: true as const } : {}),
        feasible: why.length === 0,
      };
      return why.length ? { ...base, reason: why.join('; ') } : base;
    });
    const parameters = cellParameters[i] as Record<string, number>;
    const best = candidates.find((c) => c.feasible);
    const covariates = Object.fromEntries(o.grid.map((a) => [a.name, cov[a.name] as number]));
    if (!best)
      return {
        covariates,
        parameters,
        interval: null,
        dose: null,
        computed: null,
        achieved: null,
        candidates,
        note: `no interval meets the constraints (${candidates.map((c) => `q${c.interval}h: ${c.reason ?? ''}`).join('; ')})`,
      };
    const cell: NomogramCell = {
      covariates,
      parameters,
      interval: best.interval,
      dose: best.rounded.dose,
      computed: best.computed,
      achieved: best.achieved,
      ...(best.falling ? { falling: true as const } : {}),
      candidates,
      ...(best.rounded.units ? { units: best.rounded.units } : {}),
      ...(best.rounded.clamped ? { clamped: best.rounded.clamped, clampedBy: best.rounded.clampedBy, note: clampNote(best.rounded, rounding) } : {}),
    };
    return cell;
  });

  const whatIf = whatIfText(model, o.grid, fixed);
  return {
    dosewise: 'nomogram',
    version: 1,
    model: model.name,
    target,
    intervals: [...o.intervals],
    infusion: o.infusion ?? 0,
    grid: o.grid.map((a) => ({ name: a.name, values: [...a.values] })),
    fixed: { ...fixed },
    rounding: describeRounding(rounding),
    roundingRule: rounding.kind === 'strengths' ? { ...rounding, strengths: [...rounding.strengths] } : { ...rounding },
    constraints: {
      ...(o.troughMax !== undefined ? { troughMax: o.troughMax } : {}),
      ...(o.troughMin !== undefined ? { troughMin: o.troughMin } : {}),
      ...(o.peakMax !== undefined ? { peakMax: o.peakMax } : {}),
    },
    solution: proportional ? 'proportional' : 'bisection',
    rule:
      (whatIf === undefined ? 'typical patient (η = 0) per cell' : `per cell: ${whatIf}`) +
      '; steady state from the engine (SS=1); dose = target / exposure per unit dose' +
      (proportional ? '' : ' (bisection: the model is not dose-proportional)') +
      '; rounded to practical doses; interval = the first of the list whose rounded dose meets the constraints',
    ...(whatIf !== undefined ? { whatIf } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    cells: out,
  };
}

/** Why the dose given is an end of the allowed range, with the numbers. */
function clampNote(r: RoundedDose, rule: RoundingRule): string {
  const min = r.clamped === 'min';
  const bound = min ? rule.min : rule.max;
  // a computed dose can lie beyond every practical dose while within the bound (150 with multiples of 250 from 100)
  const beyond = r.clampedBy === 'rounded' || (bound !== undefined && (min ? r.computed < bound : r.computed > bound));
  // the bound, the dose given and the rule's rounding are doses as written or as the rule gives them
  const limit = beyond && bound !== undefined ? `the ${min ? 'smallest' : 'largest'} allowed dose ${String(bound)}` : `the ${min ? 'smallest' : 'largest'} practical dose`;
  const given = `${min ? 'raised' : 'lowered'} to ${roundedText(r, rule)}`;
  if (r.clampedBy === 'rounded') return `computed dose ${fmt(r.computed)} rounds to ${String(r.unbounded)}, ${min ? 'below' : 'above'} ${limit}: ${given}`;
  return `computed dose ${fmt(r.computed)} is ${min ? 'below' : 'above'} ${limit}: ${given}`;
}

/** The mark of a cell whose dose is an end of the allowed range: v / ^ for the computed dose, v* / ^* for its rounding. */
export function clampMark(c: Pick<NomogramCell, 'clamped' | 'clampedBy'>): string {
  if (!c.clamped) return '';
  return (c.clamped === 'max' ? '^' : 'v') + (c.clampedBy === 'rounded' ? '*' : '');
}

/**
 * The legend of the marks used in the cells. Too large a dose puts a falling exposure (an inhibited
 * response) below its target, not above it: the v lines say which, once for each kind of cell.
 */
export function clampLegend(cells: readonly Pick<NomogramCell, 'clamped' | 'clampedBy' | 'falling'>[]): string[] {
  const has = (m: string, falling?: boolean): boolean => cells.some((c) => clampMark(c) === m && (falling === undefined || (c.falling === true) === falling));
  const out: string[] = [];
  if (has('^')) out.push('^ computed dose above the largest allowed dose: target not reached');
  if (has('^*')) out.push('^* computed dose within the allowed range, rounded above the largest allowed dose: the largest practical dose allowed is given, target not reached');
  if (has('v', false)) out.push('v computed dose below the smallest allowed dose: exposure above target');
  if (has('v', true)) out.push('v computed dose below the smallest allowed dose: exposure below target (it falls as the dose rises)');
  if (has('v*', false)) out.push('v* computed dose within the allowed range, rounded below the smallest allowed dose: the smallest practical dose allowed is given, exposure above target');
  if (has('v*', true)) out.push('v* computed dose within the allowed range, rounded below the smallest allowed dose: the smallest practical dose allowed is given, exposure below target (it falls as the dose rises)');
  return out;
}

function covariateText(c: Readonly<Record<string, number>>): string {
  return Object.entries(c).map(([k, v]) => `${k}=${v}`).join(', ');
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

/**
 * A dose as text. A dose the rule gives (a multiple of the increment, a sum of strengths, or the
 * bound it was clamped to) is shown exactly: with multiples of 0.25, 3 significant digits printed
 * 12.25 as 12.3, a dose that cannot be given, and 1113.5 as 1114 with multiples of 0.5. Rounding
 * leaves at most 12 significant digits (rounding.ts), so the shortest text of the number is exact and
 * short, without trailing zeros (12.5, not 12.50). A dose not rounded keeps 3 significant digits.
 */
export function doseText(dose: number, rule: RoundingRule, clamped?: RoundedDose['clamped']): string {
  return rule.kind === 'exact' && clamped === undefined ? fmt(dose) : String(dose);
}

function roundedText(r: RoundedDose, rule: RoundingRule): string {
  return doseText(r.dose, rule, r.clamped);
}

/**
 * How far a rounded dose may leave the target unmarked: 20 %. Nearest rounding to 250 mg read 250 in
 * the README example's whole CRCL 30 row (computed 371.1 mg, AUC24 336.8 for 500: −33 %) without a
 * mark; W_ROUNDED_UP fires only above twice the computed dose.
 */
export const OFF_TARGET = 0.2;

/**
 * The achieved target metric over the target, − 1, of a cell with a dose; undefined where there is
 * none. A cell clamped to an end of the allowed doses (^, v) counts too: they were left out, so
 * 250v at +35 % had no `~` and the legend named a +25 % cell "the furthest" (the ^ and v legends
 * give the direction, not how far).
 */
function offTarget(c: Pick<NomogramCell, 'dose' | 'achieved'>, target: NomogramTarget): number | undefined {
  if (c.dose === null || c.achieved === null) return undefined;
  const a = c.achieved[target.metric];
  return Number.isFinite(a) ? a / target.value - 1 : undefined;
}

/** `~` where the rounded dose misses the target by more than OFF_TARGET. */
function offMark(c: NomogramCell, target: NomogramTarget): string {
  const r = offTarget(c, target);
  return r !== undefined && Math.abs(r) > OFF_TARGET ? '~' : '';
}

/** The legend of `~`: how many cells, and the furthest one with its exposure. */
function offTargetLegend(n: Pick<Nomogram, 'cells' | 'target'>): string[] {
  const off = n.cells.filter((c) => offMark(c, n.target) !== '');
  if (off.length === 0) return [];
  const worst = off.reduce((a, b) => (Math.abs(offTarget(b, n.target) as number) > Math.abs(offTarget(a, n.target) as number) ? b : a));
  const r = offTarget(worst, n.target) as number;
  const a = (worst.achieved as Exposure)[n.target.metric];
  // those at an end of the allowed doses miss it by that limit, not by the rounding: said apart
  const clamped = off.filter((c) => c.clamped).length;
  const ends = clamped > 0 ? ` (${clamped} at an end of the allowed doses, v or ^)` : '';
  return [
    `~ the rounded dose misses the target by more than ${OFF_TARGET * 100} %: ${off.length} cell${off.length > 1 ? 's' : ''}${ends}, the furthest ${n.target.metric} ${Number(a.toPrecision(4))} for ${n.target.value} (${r > 0 ? '+' : ''}${Math.round(r * 100)} %) at ${covariateText(worst.covariates)}; a finer rounding step or other strengths come closer${clamped > 0 ? ', and for v or ^ other dose limits' : ''}`,
  ];
}

function cellText(c: NomogramCell, multiInterval: boolean, rule: RoundingRule, target: NomogramTarget): string {
  if (c.dose === null) return '—';
  const d = doseText(c.dose, rule, c.clamped);
  const flag = clampMark(c) + offMark(c, target);
  return multiInterval ? `${d} q${c.interval}h${flag}` : `${d}${flag}`;
}

function table(rows: string[][]): string {
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c] as number) : x.padStart(w[c] as number))).join('  ')).join('\n') + '\n';
}

/**
 * Refuses what is not a nomogram (the options, the Model, nothing): formatNomogram failed as a raw
 * TypeError ("reading 'intervals'"). A nomogram read back from its JSON (--json) passes.
 */
function checkNomogram(n: unknown): asserts n is Nomogram {
  const what = 'formatNomogram(nomogram)';
  const o = n as Partial<Record<keyof Nomogram, unknown>> | null;
  if (typeof n !== 'object' || n === null || Array.isArray(n) || o?.dosewise !== 'nomogram')
    throw Errors.optionValue('nomogram', n, `${what}: nomogram must be what nomogram(model, options) returns (or its JSON, { dosewise: 'nomogram', … })`, shapeOf(n));
  const missing = [
    ...(['intervals', 'grid', 'cells'] as const).filter((k) => !Array.isArray(o[k])),
    ...(['target', 'constraints', 'fixed'] as const).filter((k) => typeof o[k] !== 'object' || o[k] === null),
  ];
  if (Array.isArray(o.grid) && o.grid.length === 0) missing.push('grid');
  if (missing.length > 0) throw Errors.optionValue(`nomogram.${missing[0]}`, o[missing[0] as keyof Nomogram], `${what}: a nomogram has intervals, grid (at least one axis) and cells as arrays, target, constraints and fixed as objects; this one lacks ${missing.join(', ')}`, shapeOf(o[missing[0] as keyof Nomogram]));
}

/** A readable table: rows = first grid axis, columns = second, one table per value of the others. */
export function formatNomogram(n: Nomogram): string {
  checkNomogram(n);
  const multi = n.intervals.length > 1;
  const lines: string[] = [];
  const c = n.constraints;
  const cons = [
    c.troughMax !== undefined ? `trough ≤ ${c.troughMax}` : '',
    c.troughMin !== undefined ? `trough ≥ ${c.troughMin}` : '',
    c.peakMax !== undefined ? `peak ≤ ${c.peakMax}` : '',
  ].filter(Boolean);
  lines.push(`${n.model}: starting dose per administration for ${n.target.metric} = ${n.target.value} at steady state`);
  lines.push(
    `interval${multi ? 's' : ''} ${n.intervals.map((t) => `q${t}h`).join(', ')}${multi ? ' (first that meets the constraints)' : ''}; ` +
      `${n.infusion > 0 ? `${n.infusion} h infusion` : 'bolus / depot dose'}; doses ${n.rounding}` +
      (cons.length ? `; ${cons.join(', ')}` : ''),
  );
  const fixed = Object.entries(n.fixed).filter(([k]) => !n.grid.some((a) => a.name === k));
  if (fixed.length) lines.push(`fixed: ${fixed.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (typeof n.whatIf === 'string') lines.push(`patient per cell: ${n.whatIf}`);
  let out = lines.join('\n') + '\n\n';
  const [rowAxis, colAxis, ...rest] = n.grid as [GridAxis, GridAxis | undefined, ...GridAxis[]];
  const key = (cov: Readonly<Record<string, number>>) => n.grid.map((a) => cov[a.name]).join('|');
  const byKey = new Map(n.cells.map((cell) => [key(cell.covariates), cell]));
  for (const sub of cartesian(rest)) {
    if (rest.length) out += `${rest.map((a) => `${a.name}=${sub[a.name]}`).join(', ')}\n`;
    const header = [colAxis ? `${rowAxis.name} \\ ${colAxis.name}` : rowAxis.name, ...(colAxis ? colAxis.values.map(String) : ['dose'])];
    const rows = [header];
    for (const rv of rowAxis.values) {
      const r = [String(rv)];
      for (const cv of colAxis ? colAxis.values : [undefined]) {
        const cov: Record<string, number> = { ...sub, [rowAxis.name]: rv };
        if (colAxis && cv !== undefined) cov[colAxis.name] = cv;
        const cell = byKey.get(key(cov));
        r.push(cell ? cellText(cell, multi, n.roundingRule, n.target) : '?');
      }
      rows.push(r);
    }
    out += table(rows) + '\n';
  }
  const notes: string[] = [];
  notes.push(...clampLegend(n.cells));
  notes.push(...offTargetLegend(n));
  if (n.cells.some((x) => x.dose === null)) notes.push('— no interval meets the constraints (each interval is judged in the cell\'s candidates)');
  notes.push(...fallingNotes(n));
  return out + (notes.length ? notes.join('\n') + '\n' : '');
}

/**
 * What a falling target metric (an inhibited response) changes in reading the table. The limits
 * keep their meaning, levels of the same output as the target: the trough is the level at the end
 * of the interval, for an inhibited response near the least suppressed one (trough ≤ X: the effect
 * lasts the interval), and the peak is the highest level, not the deepest suppression, which no limit bounds.
 */
export function fallingNotes(n: Pick<Nomogram, 'cells' | 'target' | 'constraints'>): string[] {
  const falls = n.cells.some((c) => c.falling === true || c.candidates.some((k) => k.falling === true));
  if (!falls) return [];
  const out = [`${n.target.metric} falls as the dose rises (an inhibited response): each dose lowers it to ${n.target.value}`];
  const c = n.constraints;
  if (c.troughMax !== undefined || c.troughMin !== undefined)
    out.push('trough limits bound the level at the end of the interval, near the least suppressed one of an inhibited response');
  if (c.peakMax !== undefined) out.push('the peak limit bounds the highest level in the interval, the least suppressed one of an inhibited response, not the deepest suppression');
  return out;
}

export { formatUnits };
