// A population's AUC-type metrics (auc24, auctau, auc:T0:T1, cavg) are integrated over the
// regimen's observation grid, the study's choice (the README says so: a coarse grid gives a coarse
// AUC). Nobody could see by how much: a 1-cmt infusion (CL 10, V 20, 1000 mg over 2 h, SS q24h) on
// an hourly grid read auc24 98.69 for an exact 100 (−1.3 %), exit 0. Before the run, the typical
// subject is simulated on the study's grid and on that grid with every step cut in REFINE (the
// metric grid still adds dose times, infusion ends and window edges): where the two differ by more
// than COARSE_GRID_SHARE, W_COARSE_GRID names the metric, both values and a step that would do.

import { DosewiseError } from '../errors.js';
import { Status } from '../abi.js';
import { engine } from '../engine/load.js';
import { defineModel, type Model } from '../model/model.js';
import { recordFromItems } from '../regimen/nmtran.js';
import type { DataRecord } from '../regimen/record.js';
import { preparePlan, probeSubject, simulateSubjects, type PreparedPlan } from './chunk.js';
import { hoursText, metricArrays, windowText, type MetricDef } from './metrics.js';
import type { PopulationPlan } from './plan.js';

export const COARSE_GRID_CODE = 'W_COARSE_GRID';

/**
 * Largest relative difference between the grid's AUC and the refined one left unsaid. Measured at
 * the typical subject: the examples on their own grids −4.8e-5 (fixed-dose, 1-h infusion, 0.25 h)
 * and −2.4e-6 (vancomycin q12h, 0.1 h); 1-h infusions on an hourly grid −2.4e-4 (vancomycin) and
 * −7.7e-4 (fixed-dose): none warned, the largest 6× under the share. The tester's 2-h infusion
 * hourly is at −1.3 % and W-b's hourly oral grid at −1.0 % of their closed forms (100 both): really
 * that far off, and warned; on 0.5-h grids −0.33 % and −0.26 %, not
 * (test/unit/population/coarse-grid.test.ts).
 */
export const COARSE_GRID_SHARE = 0.005;

/** Each step of the grid is cut in this many for the reference: the trapezoid's error falls with the step squared, so the reference's is 1/64 of the grid's. */
const REFINE = 8;

/**
 * Most samples the reference adds: a W-b course sampled every 0.1 h, auc:0:336 cut in 8, took
 * 2.8–3.5 s before the run (on a busy machine). Beyond it the steps are cut in fewer (at least 2, the reference's error a
 * quarter of the grid's, so a difference is read at least 3/4 of its size).
 */
const MAX_ADDED = 20_000;

/** Finest cut of the grid's steps suggested: beyond it the reference itself is not 4× more accurate than the suggestion. */
const MAX_SPLIT = 4;

const integrated = (d: MetricDef): boolean => d.type === 'auc' || d.type === 'cavg';

/** An AUC-type metric at the typical subject on the study's grid and on the refined one. */
export interface GridAccuracy {
  readonly def: MetricDef;
  readonly grid: number;
  readonly refined: number;
  /** (grid − refined) / refined. */
  readonly rel: number;
  /** Largest step of the metric grid inside the window (h). */
  readonly step: number;
}

/**
 * The plan's AUC-type metrics at the typical subject (η and κ 0, covariates of the median subject)
 * on the study's grid and on that grid with each step inside their windows cut in REFINE (fewer
 * beyond MAX_ADDED samples: `refine`); undefined where the typical subject cannot be simulated (the
 * run says why). `prepared` is the plan as preparePlan made it, metrics the AUC-type ones.
 */
export function gridAccuracy(plan: PopulationPlan, model?: Model): { accuracy: GridAccuracy[]; prepared: PreparedPlan; refine: number } | undefined {
  const defs = plan.metrics.filter(integrated);
  if (defs.length === 0) return undefined;
  try {
    const pp = preparePlan({ ...plan, regimen: inWindows(plan, model ?? defineModel(plan.model), defs), metrics: defs, table: false, profiles: false });
    const grid = typicalValues(pp);
    const steps = defs.reduce((n, d) => n + Math.max(0, windowTimes(pp.records, d).length - 1), 0);
    const refine = Math.max(2, Math.min(REFINE, Math.floor(MAX_ADDED / Math.max(1, steps)) + 1));
    const refined = grid && typicalValues(preparePlan(split(pp, defs, refine)));
    if (!grid || !refined) return undefined;
    const accuracy = defs.map((def, j) => {
      const g = grid[j] as number;
      const r = refined[j] as number;
      return { def, grid: g, refined: r, rel: (g - r) / r, step: largestStep(pp.records, def) };
    });
    return { accuracy, prepared: pp, refine };
  } catch (e) {
    // the run itself refuses what the typical subject could not be simulated for, in its own words
    if (e instanceof DosewiseError) return undefined;
    throw e;
  }
}

/**
 * W_COARSE_GRID, one warning per AUC-type metric whose value at the typical subject moves by more
 * than COARSE_GRID_SHARE on a grid REFINE× finer (gridAccuracy), with the cut of the grid's steps,
 * from 2 to MAX_SPLIT (and below the reference's), that brings it under the share.
 */
export function coarseGridWarnings(plan: PopulationPlan, model?: Model): string[] {
  const found = gridAccuracy(plan, model);
  if (!found) return [];
  const { accuracy, prepared, refine } = found;
  const over = accuracy.filter((a) => Number.isFinite(a.rel) && Math.abs(a.rel) > COARSE_GRID_SHARE);
  if (over.length === 0) return [];
  // the cut that brings each metric under the share, tried from the coarsest
  const enough = new Map<GridAccuracy, number>();
  const defs = prepared.plan.metrics;
  const tried = Math.min(MAX_SPLIT, refine - 1);
  try {
    for (let k = 2; k <= tried && over.some((a) => !enough.has(a)); k++) {
      const v = typicalValues(preparePlan(split(prepared, over.filter((a) => !enough.has(a)).map((a) => a.def), k)));
      if (!v) break;
      for (const a of over) if (!enough.has(a) && Math.abs((v[defs.indexOf(a.def)] as number) / a.refined - 1) <= COARSE_GRID_SHARE) enough.set(a, k);
    }
  } catch (e) {
    if (!(e instanceof DosewiseError)) throw e;
  }
  return over.map((a) => {
    const k = enough.get(a);
    const advice =
      k !== undefined
        ? `a grid step of ${stepText(a.step / k)} h inside the window would bring it within ${percent(COARSE_GRID_SHARE)}`
        : tried >= 2
          ? `even a step of ${stepText(a.step / tried)} h inside the window leaves it more than ${percent(COARSE_GRID_SHARE)} off; use a finer one`
          : `a finer grid inside the window would bring it closer`;
    return (
      `${COARSE_GRID_CODE}: metric ${a.def.name} (window ${windowText(a.def, hoursText)} h) is integrated over the regimen's observation grid (largest step there ${stepText(a.step)} h), ` +
      `too coarse for it: at the typical subject it reads ${sig(a.grid)} on the grid for ${sig(a.refined)} on a grid ${refine}× finer (${signedPercent(a.rel)}); ${advice}`
    );
  });
}

/**
 * The regimen's records without the observations outside every window, where no record changes an
 * input the model reads (the observations then carry nothing a parameter reads): preparing W-b
 * sampled every 0.1 h to 336 h took 0.3 s, twice more with the reference's samples.
 */
function inWindows(plan: PopulationPlan, model: Model, defs: readonly MetricDef[]): PopulationPlan['regimen'] {
  const records = plan.regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen'));
  const names = [...model.inputs, ...(model.iov ? [model.iov.occasion as string] : [])];
  const first = records[0];
  if (!first || records.some((r) => names.some((n) => !Object.is(r.items[n], first.items[n])))) return plan.regimen;
  return plan.regimen.filter((_, i) => {
    const r = records[i] as DataRecord;
    return r.EVID !== 0 || defs.some((d) => r.TIME >= d.t0 && r.TIME <= d.t1);
  });
}

/** The metrics of the plan at the typical subject, or undefined where its simulation fails. */
function typicalValues(pp: PreparedPlan): Float64Array | undefined {
  const covariates: Record<string, number> = pp.sampler ? probeSubject(pp.sampler) : {};
  const cov = pp.covariateNames.map((n) => Float64Array.of(covariates[n] as number));
  const sim = simulateSubjects(pp, engine(pp.model), 1, { cov }, { invalid: 'fail', metrics: metricArrays(pp.plan.metrics, pp.grid.edgeOnly), rtol: pp.plan.rtol, atol: pp.plan.atol });
  return sim.result.status[0] === Status.Ok ? Float64Array.from(sim.result.metrics) : undefined;
}

/** Sample times of the metric grid inside a window (its edges, doses and infusion ends included). */
function windowTimes(records: readonly DataRecord[], d: MetricDef): number[] {
  return [...new Set(records.map((r) => r.TIME).filter((t) => t >= d.t0 && t <= d.t1))].sort((a, b) => a - b);
}

function largestStep(records: readonly DataRecord[], d: MetricDef): number {
  const t = windowTimes(records, d);
  let h = 0;
  for (let i = 1; i < t.length; i++) h = Math.max(h, (t[i] as number) - (t[i - 1] as number));
  return h;
}

/**
 * The prepared plan with an observation every 1/k of each step of its metric grid inside the windows
 * of `defs` (its metrics all kept), each a copy of the regimen record whose items hold there (NOCB: the next record; LOCF: the
 * one before), as the metric grid's own samples are.
 */
function split(pp: PreparedPlan, defs: readonly MetricDef[], k: number): PopulationPlan {
  const plan = pp.plan;
  const added = new Set<number>();
  for (const d of defs) {
    const t = windowTimes(pp.records, d);
    for (let i = 1; i < t.length; i++) {
      const a = t[i - 1] as number;
      const b = t[i] as number;
      for (let j = 1; j < k; j++) added.add(a + ((b - a) * j) / k);
    }
  }
  const records = plan.regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen'));
  const rows: { t: number; items: Readonly<Record<string, number>> }[] = plan.regimen.map((items, i) => ({ t: (records[i] as DataRecord).TIME, items }));
  const locf = pp.model.timeVarying === 'locf';
  const times = records.map((r) => r.TIME);
  for (const t of added) {
    const j = locf ? Math.max(0, firstAbove(times, t, true) - 1) : Math.min(records.length - 1, firstAbove(times, t, false));
    const from = records[j] as DataRecord;
    const items: Record<string, number> = {};
    for (const [name, v] of Object.entries(plan.regimen[j] as Readonly<Record<string, number>>)) if (!RECORD_ITEMS.has(name.toUpperCase())) items[name] = v;
    rows.push({ t, items: { ...items, ID: from.ID, TIME: t, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 1, DV: NaN } });
  }
  // stable: a record keeps its place among those at its time
  const sorted = rows.map((r, i) => ({ ...r, i })).sort((x, y) => x.t - y.t || x.i - y.i);
  return { ...pp.plan, regimen: sorted.map((r) => r.items), places: undefined };
}

/** The first index in sorted times whose time is above t (`strictly`), or at or above it (not); their number where none is. */
function firstAbove(times: readonly number[], t: number, strictly: boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strictly ? (times[mid] as number) <= t : (times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Items an added observation sets itself (any spelling of them in the copied record is left out). */
const RECORD_ITEMS = new Set(['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'MDV', 'DV']);

const sig = (v: number): string => String(Number(v.toPrecision(4)));
const percent = (x: number): string => `${Number((x * 100).toPrecision(2))} %`;
const signedPercent = (x: number): string => `${x > 0 ? '+' : '−'}${percent(Math.abs(x))}`;
/** A step as hours, with enough decimals to tell 1/3 h from 0.3 h. */
const stepText = (h: number): string => String(Number(h.toPrecision(3)));
