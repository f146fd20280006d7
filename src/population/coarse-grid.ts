// A population's AUC-type metrics (auc24, auctau, auc:T0:T1, cavg) are integrated over the
// regimen's observation grid, the study's choice (the README says so: a coarse grid gives a coarse
// AUC). Nobody could see by how much: a 1-cmt infusion (CL 10, V 20, 1000 mg over 2 h, SS q24h) on
// an hourly grid read auc24 98.69 for an exact 100 (−1.3 %), exit 0. Before the run, the typical
// subject is simulated on the study's grid and on that grid with every step cut in REFINE (the
// metric grid still adds dose times, infusion ends and window edges): where the two differ by more
// than COARSE_GRID_SHARE (a time above: TIME_ABOVE_SHARE of its window), W_COARSE_GRID names the metric, both values and a step that would do.
// The typical subject alone is not enough (a subgroup's absorption may be faster): subjects at the
// tails of each η and of the covariates are judged with it, and the step advised holds for them all.
// Each η alone is not enough either where the error grows with several at once (an oral grid's with
// KA and with CL/V): at each covariate subject, the one 2 SD of Ω along the direction in which the
// error grows fastest (read from the ±2 ω subjects) is judged too.
// Time above a threshold is read off the same grid (its crossings interpolated between samples,
// linearly on rising segments), and was not judged: 2 g over 3 h q8h (a 2-cmt β-lactam) read a
// typical fT>MIC of 5.642 h hourly for 5.724 h, PTA 93.9 % for 94.96 %, where an AUC off by as
// much was warned. It is judged the same way, its difference a share of its window (below: judged).

import { DosewiseError } from '../errors.js';
import { Method, Status } from '../abi.js';
import { engine } from '../engine/load.js';
import { defineModel, type Model } from '../model/model.js';
import { recordFromItems } from '../regimen/nmtran.js';
import type { DataRecord } from '../regimen/record.js';
import { preparePlan, probeSubject, simulateSubjects, type PreparedPlan } from './chunk.js';
import { hoursText, metricArrays, parseMetric, regimenTimesOf, windowText, type MetricDef } from './metrics.js';
import { normalQuantile } from '../stats/normal.js';
import { noiseBound } from '../engine/negative-amounts.js';
import type { CovariateSlot } from './covariates/sample.js';
import type { PopulationPlan } from './plan.js';

export const COARSE_GRID_CODE = 'W_COARSE_GRID';

/**
 * Largest relative difference between the grid's AUC and the refined one left unsaid. Measured at
 * the typical subject: the examples on their own grids −4.8e-5 (fixed-dose, 1-h infusion, 0.25 h)
 * and −2.4e-6 (vancomycin q12h, 0.1 h); 1-h infusions on an hourly grid −2.4e-4 (vancomycin) and
 * −7.7e-4 (fixed-dose): none warned, the largest 6× under the share. The 2-h infusion
 * hourly is at −1.3 % and W-b's hourly oral grid at −1.0 % of their closed forms (100 both): really
 * that far off, and warned; on 0.5-h grids −0.33 % and −0.26 %, not at the typical subject, but
 * W-b's at ETA_KA = +2 ω is −0.67 % there, warned (test/unit/population/coarse-grid.test.ts,
 * coarse-grid-subjects.test.ts).
 */
export const COARSE_GRID_SHARE = 0.005;

/**
 * Largest difference of a time above left unsaid, as a share of its window. Tighter than an AUC's:
 * where fT>MIC of most subjects nears the target's share, a small shift moves many across it. The
 * 6 g over 24 h day 1 (fu 0.6, MIC 8) hourly read the typical subject −0.28 % of its 24 h
 * (4 min) and PTA at fT ≥ 0.9 89.9 % for 90.62 ± 0.09 %; 2 g over 3 h q8h hourly −0.75 % (PTA 93.9
 * for 94.96 %). The suite's pta/population time-above runs on their grids (0.1–0.35 h, and hourly
 * where no crossing falls between samples) read at most −0.068 % at any judged subject, 3× under.
 */
export const TIME_ABOVE_SHARE = 0.002;

/**
 * Each step of the grid is cut in this many, and in half as many, for the reference, extrapolated
 * from the two (the trapezoid's error falls with the step squared). The 8× reading alone was itself
 * off: oral KA 3, CL 5, V 50, 500 mg q12h, auctau 156–168 read 99.84 for the exact 100 (−0.16 %), so
 * the 0.5 h it advised on a 2-h grid read 99.38 (−0.62 %) and was warned again.
 */
const REFINE = 8;

/**
 * Most samples the reference adds: a W-b course sampled every 0.1 h, auc:0:336 cut in 8, took
 * 2.8–3.5 s before the run (on a busy machine). Beyond it the steps are cut in fewer (at least 2, the reference's error a
 * quarter of the grid's, so a difference is read at least 3/4 of its size), and 4× this many
 * subject-samples bound the subjects judged (the typical first).
 */
const MAX_ADDED = 20_000;

const judgedType = (d: MetricDef): boolean => d.type === 'auc' || d.type === 'cavg' || d.type === 'timeabove';

/**
 * What a difference is a share of: an AUC's own value, but a time above's window, as fT>MIC reads
 * it (a subject barely above the MIC, 0.10 h for 0.12 h, is −17 % of its value and 0.25 % of an
 * 8-h interval: a PTA that asks half the interval does not turn on it).
 */
const scaleOf = (d: MetricDef, reference: number): number => (d.type === 'timeabove' ? d.t1 - d.t0 : reference);

const shareOf = (d: MetricDef): number => (d.type === 'timeabove' ? TIME_ABOVE_SHARE : COARSE_GRID_SHARE);

/** The advised step brings the worst judged subject under this share of its share (shareOf): a step read just within it is not promised. */
const ADVICE_MARGIN = 0.8;

/** η at ± this many standard deviations: a subject at either tail of each. */
const ETA_TAIL = 2;

/** Covariate draws at these quantiles besides the median: each draw alone, and every one together. */
const COVARIATE_TAILS = [0.02, 0.98] as const;

/**
 * A resampled table's draw is swept over 1,024 uniforms, then twice as many until no new row comes
 * (a table's rows are met once the sweep holds as many), up to this many: filling 65,536 subjects of
 * the vancomycin example's covariates (crcl_cg derived) took 140 ms, 1,024 about 1 ms.
 */
const MAX_SWEEP = 1 << 16;

/** Up to this many normal draws, their tails are also judged in every mix of signs (2^n − 2 subjects more). */
const MAX_CORNERS = 3;

/** A resampled column with at most this many distinct values is judged at each (a categorical one); others at their least and greatest. */
const TABLE_LEVELS = 8;

/** Most subjects judged: the typical first, then the covariate subjects, then the η tails of each. */
const MAX_JUDGED = 64;

/** One subject the grid is judged at, and what it is. */
interface Judged {
  readonly label: string;
  readonly covariates: Readonly<Record<string, number>>;
  readonly eta: readonly number[];
  /** An η tail: the index of its covariate subject (η 0), the η moved and its sign. */
  readonly tail?: { readonly base: number; readonly axis: number; readonly sign: number };
  /** 2 SD of Ω along the steepest rise of the grid's error (steepestSubjects). */
  readonly steepest?: boolean;
}

/** An AUC-type or time-above metric at the typical subject on the study's grid and on the refined one. */
export interface GridAccuracy {
  readonly def: MetricDef;
  readonly grid: number;
  /** Extrapolated from the grids cut in refine/2 and in refine (Richardson: the error falls with the step squared). */
  readonly refined: number;
  /** (grid − refined) / refined; a time above's over its window (scaleOf). */
  readonly rel: number;
  /** Largest step of the metric grid inside the window (h). */
  readonly step: number;
  /** The judged subject furthest off (the typical one when none is further), its values and what it is. */
  readonly worst: { readonly label: string; readonly grid: number; readonly refined: number; readonly rel: number };
  /** Judged subjects off by more than its share (shareOf), of `judged`. */
  readonly off: number;
  readonly judged: number;
  /** Below the solver's noise at every judged subject: not judged. */
  readonly noise: boolean;
}

interface Found {
  accuracy: GridAccuracy[];
  prepared: PreparedPlan;
  refine: number;
  subjects: readonly Judged[];
  /** Per subject × def (row-major), the extrapolated reference. */
  reference: Float64Array;
}

/**
 * The plan's AUC-type and time-above metrics at the typical subject (η and κ 0, covariates of the median subject)
 * and at subjects at the tails of each η and of the covariates (judgedSubjects), on the study's grid
 * and, extrapolated, on that grid with each step inside their windows cut in refine/2 and in REFINE
 * (fewer beyond MAX_ADDED samples: `refine`); undefined where the typical subject cannot be
 * simulated (the run says why). `prepared` is the plan as preparePlan made it, metrics those judged.
 */
export function gridAccuracy(plan: PopulationPlan, model?: Model): { accuracy: GridAccuracy[]; prepared: PreparedPlan; refine: number } | undefined {
  return judge(plan, model);
}

function judge(plan: PopulationPlan, model?: Model): Found | undefined {
  const defs = plan.metrics.filter(judgedType);
  if (defs.length === 0) return undefined;
  try {
    const m = model ?? defineModel(plan.model);
    const regimen = inWindows(plan, m, defs);
    const course = courseMetric(regimen);
    const pp = preparePlan({ ...plan, regimen, metrics: course ? [...defs, course] : defs, table: false, profiles: false }, m);
    const solved = pp.method !== Method.Analytic;
    const all = judgedSubjects(pp);
    const steps = defs.reduce((n, d) => n + Math.max(0, windowTimes(pp.records, d).length - 1), 0);
    // the budget is the typical subject's: more subjects, fewer of them when the grid is long
    const refine = Math.max(2, Math.min(REFINE, Math.floor(MAX_ADDED / Math.max(1, steps)) + 1));
    const budget = Math.max(1, Math.floor((MAX_ADDED * 4) / Math.max(1, steps * (refine - 1))));
    const first = all.slice(0, Math.min(all.length, budget));
    const half = Math.max(1, Math.floor(refine / 2));
    const finePlan = preparePlan(split(pp, defs, refine), m);
    const coarserPlan = half === 1 ? undefined : preparePlan(split(pp, defs, half), m);
    const M = pp.plan.metrics.length;
    const ratio = (refine / half) ** 2;
    const read = (subs: readonly Judged[]): { grid: Float64Array; fine: Float64Array; coarser: Float64Array } | undefined => {
      const grid = values(pp, subs);
      const fine = grid && values(finePlan, subs);
      const coarser = fine && (coarserPlan ? values(coarserPlan, subs) : grid);
      return grid && fine && coarser ? { grid, fine, coarser } : undefined;
    };
    const firstRead = read(first);
    if (!firstRead || !Number.isFinite(firstRead.grid[0] as number)) return undefined;
    // the steepest directions, read off the first subjects (a failed read leaves them out)
    const relAt = (v: { grid: Float64Array; fine: Float64Array; coarser: Float64Array }, s: number, j: number): number => {
      const f = v.fine[s * M + j] as number;
      const r = f + (f - (v.coarser[s * M + j] as number)) / (ratio - 1);
      return ((v.grid[s * M + j] as number) - r) / scaleOf(defs[j] as MetricDef, r);
    };
    const extra = steepestSubjects(pp, first, defs, (s, j) => relAt(firstRead, s, j)).slice(0, Math.max(1, Math.min(MAX_JUDGED, budget - first.length)));
    const extraRead = extra.length > 0 ? read(extra) : undefined;
    const subjects = extraRead ? [...first, ...extra] : first;
    const join = (a: Float64Array, b: Float64Array | undefined): Float64Array => {
      if (!b) return a;
      const out = new Float64Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    };
    const grid = join(firstRead.grid, extraRead?.grid);
    const fine = join(firstRead.fine, extraRead?.fine);
    const coarser = join(firstRead.coarser, extraRead?.coarser);
    const reference = new Float64Array(subjects.length * defs.length);
    const rtol = plan.rtol ?? m.solver.rtol;
    const atol = plan.atol ?? m.solver.atol;
    const accuracy = defs.map((def, j) => {
      let worst = -1;
      let off = 0;
      let judged = 0;
      let worstRel = 0;
      for (let s = 0; s < subjects.length; s++) {
        const g = grid[s * M + j] as number;
        const f = fine[s * M + j] as number;
        const r = f + (f - (coarser[s * M + j] as number)) / (ratio - 1);
        reference[s * defs.length + j] = r;
        if (!Number.isFinite(g) || !Number.isFinite(r)) continue;
        // An integrated (ODE) run's AUC is read as the solver's noise, not judged, where it and its
        // reference are both under (NOISE_ATOLS × atol + rtol × the course's peak level) × the window
        // (the engine's solver-noise bound over the window): an auc24 100–124 h after one
        // 100-mg dose of an MM model read −4.816e-12 on the grid for −2.989e-12 (+61 %, warned) where
        // the exact is ~3e-21. A bound on the difference instead, 100 × (rtol × the course's mean
        // level + atol) × the window, was 10 for W-b's auctau of 100 at rtol 1e-3: its hourly grid's
        // −1.0 % (a difference of 1) went unsaid, where the solver's own error was under 8.6e-5, and
        // an exact (analytic) run has no solver noise to allow for at all.
        const peak = course ? Math.abs(grid[s * M + defs.length] as number) : 0;
        const noise = noiseBound({ rtol, atol }, Number.isFinite(peak) ? peak : 0) * (def.t1 - def.t0);
        // a time above is hours, not a level: the solver's noise bound is no measure of it
        if (solved && def.type !== 'timeabove' && Math.abs(g) <= noise && Math.abs(r) <= noise) continue;
        judged++;
        const rel = (g - r) / scaleOf(def, r);
        if (Math.abs(rel) > shareOf(def)) off++;
        if (worst < 0 || Math.abs(rel) > Math.abs(worstRel)) [worst, worstRel] = [s, rel];
      }
      const g0 = grid[j] as number;
      const r0 = reference[j] as number;
      const w = Math.max(0, worst);
      return {
        def,
        grid: g0,
        refined: r0,
        rel: (g0 - r0) / scaleOf(def, r0),
        step: largestStep(pp.records, def),
        worst: { label: (subjects[w] as Judged).label, grid: grid[w * M + j] as number, refined: reference[w * defs.length + j] as number, rel: worst < 0 ? 0 : worstRel },
        off,
        judged,
        noise: judged === 0,
      };
    });
    return { accuracy, prepared: pp, refine, subjects, reference };
  } catch (e) {
    // the run itself refuses what the typical subject could not be simulated for, in its own words
    if (e instanceof DosewiseError) return undefined;
    throw e;
  }
}

/**
 * W_COARSE_GRID, one warning per AUC-type or time-above metric that moves by more than its share (shareOf) at any
 * judged subject between the grid and the extrapolated reference (gridAccuracy), with the cut of the
 * grid's steps, up to refine, that brings the worst of them under ADVICE_MARGIN of the share.
 */
export function coarseGridWarnings(plan: PopulationPlan, model?: Model): string[] {
  const found = judge(plan, model);
  if (!found) return [];
  const { accuracy, prepared, refine, subjects, reference } = found;
  const defs = prepared.plan.metrics;
  const nDefs = accuracy.length;
  const over = accuracy.filter((a) => !a.noise && a.off > 0);
  if (over.length === 0) return [];
  const target = (a: GridAccuracy): number => ADVICE_MARGIN * shareOf(a.def);
  const enough = new Map<GridAccuracy, number>();
  const worstAt = (v: Float64Array, a: GridAccuracy): number => {
    const j = accuracy.indexOf(a);
    let w = 0;
    for (let s = 0; s < subjects.length; s++) {
      const r = reference[s * nDefs + j] as number;
      const x = Math.abs(((v[s * defs.length + j] as number) - r) / scaleOf(a.def, r));
      if (Number.isFinite(x)) w = Math.max(w, x);
    }
    return w;
  };
  try {
    // the error falls with the step squared: start where that puts the worst subject under the
    // target and check it there, one finer cut at a time
    let k = Math.max(2, Math.min(refine, Math.ceil(Math.sqrt(Math.max(...over.map((a) => Math.abs(a.worst.rel) / target(a)))))));
    for (; k <= refine && over.some((a) => !enough.has(a)); k++) {
      const v = values(preparePlan(split(prepared, over.filter((a) => !enough.has(a)).map((a) => a.def), k), prepared.model), subjects);
      if (!v) break;
      for (const a of over) if (!enough.has(a) && worstAt(v, a) <= target(a)) enough.set(a, k);
    }
  } catch (e) {
    if (!(e instanceof DosewiseError)) throw e;
  }
  return over.map((a) => {
    const k = enough.get(a);
    const above = a.def.type === 'timeabove';
    const h = above ? ' h' : '';
    const of = above ? ' of the window' : '';
    const advice =
      k !== undefined
        ? `a grid step of ${stepText(a.step / k)} h inside the window would bring ${a.judged > 1 ? 'each of them' : 'it'} within ${percent(shareOf(a.def))}${of}`
        : `even a step of ${stepText(a.step / refine)} h inside the window leaves ${a.judged > 1 ? 'the worst' : 'it'} more than ${percent(target(a))}${of} off; use a finer one`;
    const typical = `at the typical subject it reads ${sig(a.grid)}${h} on the grid for ${sig(a.refined)}${h} extrapolated from grids ${Math.max(1, Math.floor(refine / 2))}× and ${refine}× finer (${signedPercent(a.rel)}${of})`;
    const others =
      a.judged > 1
        ? `; ${a.off} of ${a.judged} subjects judged (${judgedText(subjects, prepared.sampler?.layout ?? [])}) ${a.off === 1 ? 'is' : 'are'} off by more than ${percent(shareOf(a.def))}${of}` +
          (a.worst.label !== 'the typical subject' ? `, the furthest ${a.worst.label}: ${sig(a.worst.grid)}${h} for ${sig(a.worst.refined)}${h} (${signedPercent(a.worst.rel)}${of})` : '')
        : '';
    const read = above ? "is read off the regimen's observation grid, its crossings interpolated between samples" : "is integrated over the regimen's observation grid";
    return (
      `${COARSE_GRID_CODE}: metric ${a.def.name} (window ${windowText(a.def, hoursText)} h) ${read} (largest step there ${stepText(a.step)} h), ` +
      `too coarse for it: ${typical}${others}; ${advice}`
    );
  });
}

/** What kinds of subject were judged, as the warning names them. */
function judgedText(subjects: readonly Judged[], layout: readonly CovariateSlot[]): string {
  const kinds = ['the typical'];
  if (subjects.some((s) => s.tail)) kinds.push(`each η at ±${ETA_TAIL} ω`);
  if (subjects.some((s) => s.steepest)) kinds.push(`η ${ETA_TAIL} SD of Ω out in the direction the grid's error grows fastest`);
  if (subjects.some((s) => s.label.startsWith('the subject with'))) {
    const has = (k: CovariateSlot['kind']): boolean => layout.some((l) => l.kind === k);
    if (has('normal') || has('lognormal') || has('uniform'))
      kinds.push(`the covariates at their ${COVARIATE_TAILS.map((q) => ordinal(q * 100)).join(' and ')} percentiles (each alone and all together${layout.filter((l) => l.normal !== undefined).length <= MAX_CORNERS ? ', the normal ones in every mix of the two' : ''})`);
    if (has('categorical')) kinds.push('each level of a categorical');
    if (has('resample')) kinds.push(`the table's rows with each column's least and greatest value (each value of one with at most ${TABLE_LEVELS})`);
  }
  return kinds.join(', ');
}

const ordinal = (n: number): string => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/**
 * The subjects the grid is judged at: the typical (η 0, the median subject's covariates); the
 * covariates at their tails (covariateSubjects); and at each of these each η alone at ±ETA_TAIL ω,
 * up to MAX_JUDGED. The typical alone missed the 40 % of immediate-release subjects of a formulation
 * covariate (the median subject extended release): warned −1.1 % where they were −7.9 % on average,
 * −19.3 % at worst.
 */
function judgedSubjects(pp: PreparedPlan): Judged[] {
  const sampler = pp.sampler;
  const nEta = pp.etaNames.length;
  const zero = new Array<number>(nEta).fill(0);
  const covs: { label: string; covariates: Record<string, number> }[] = [{ label: 'the typical subject', covariates: sampler ? probeSubject(sampler) : {} }];
  if (sampler && sampler.names.length > 0)
    for (const c of covariateSubjects(sampler)) {
      const same = covs.some((x) => sampler.names.every((n) => Object.is(x.covariates[n], c[n])));
      if (!same) covs.push({ label: `the subject with ${sampler.names.map((n) => `${n} ${sig(c[n] as number)}`).join(', ')}`, covariates: c });
    }
  const omega = pp.model.omega;
  const sd = pp.etaNames.map((n) => {
    const i = omega?.names.indexOf(n) ?? -1;
    return i >= 0 ? Math.sqrt(((omega?.matrix[i] as readonly number[])[i] as number) ?? 0) : 0;
  });
  // every covariate subject at η 0 before any is crossed with the η tails: a level or a table row
  // left out by the cap would go unjudged altogether
  const out: Judged[] = covs.map((c) => ({ ...c, eta: zero }));
  covs.forEach((c, base) => {
    for (let i = 0; i < nEta; i++) {
      if (!((sd[i] as number) > 0)) continue;
      for (const sign of [1, -1]) {
        const eta = [...zero];
        eta[i] = sign * ETA_TAIL * (sd[i] as number);
        out.push({ label: `${withEtas(c.label)} ${pp.etaNames[i]} = ${sign > 0 ? '+' : '−'}${ETA_TAIL} ω (${sign > 0 ? '' : '−'}${sig(Math.abs(eta[i] as number))})`, covariates: c.covariates, eta, tail: { base, axis: i, sign } });
      }
    }
  });
  return out.slice(0, MAX_JUDGED);
}

/** A covariate subject's label, to be followed by η values. */
const withEtas = (label: string): string => (label === 'the typical subject' ? 'the typical subject with' : `${label} and`);

/** Ω over the plan's η (0 for an η Ω does not hold). */
function omegaOf(pp: PreparedPlan): number[][] {
  const omega = pp.model.omega;
  const at = pp.etaNames.map((n) => omega?.names.indexOf(n) ?? -1);
  return at.map((a) => at.map((b) => (a >= 0 && b >= 0 ? (((omega?.matrix[a] as readonly number[])[b] as number) ?? 0) : 0)));
}

/**
 * At each covariate subject whose η tails were all judged, and for each metric: the subject 2 SD of
 * Ω along the direction in which the grid's error grows fastest. With g the error's slope in η (from
 * the ±ETA_TAIL ω subjects) that is η = ±2 Ω g / √(gᵀΩg): as far out as each η alone at 2 ω (ηᵀΩ⁻¹η
 * = 4), its sign the one whose linear reading is further from 0. The oral grid (0.5 h, KA
 * 1.2·e^ηKA, 7 % of subjects beyond 0.5 %) read at most −0.495 % with each η alone; the error grows
 * with KA and with CL/V together, and this subject (η_CL +0.345, η_V −0.090, η_KA +0.436) reads −0.62 %.
 * The same direction for two metrics (auctau and cavg) is judged once.
 */
function steepestSubjects(pp: PreparedPlan, judged: readonly Judged[], defs: readonly MetricDef[], relAt: (s: number, j: number) => number): Judged[] {
  const nEta = pp.etaNames.length;
  if (nEta < 2) return [];
  const omega = omegaOf(pp);
  const sd = omega.map((row, i) => Math.sqrt(row[i] as number));
  const out: Judged[] = [];
  judged.forEach((base, b) => {
    if (base.tail || base.steepest) return;
    const at = new Map<string, number>();
    judged.forEach((s, k) => {
      if (s.tail?.base === b) at.set(`${s.tail.axis}${s.tail.sign}`, k);
    });
    defs.forEach((_, j) => {
      const g = new Array<number>(nEta).fill(0);
      for (let i = 0; i < nEta; i++) {
        if (!((sd[i] as number) > 0)) continue;
        const up = at.get(`${i}1`);
        const down = at.get(`${i}-1`);
        if (up === undefined || down === undefined) return;
        g[i] = (relAt(up, j) - relAt(down, j)) / (2 * ETA_TAIL * (sd[i] as number));
      }
      const og = omega.map((row) => row.reduce((x, o, k) => x + o * (g[k] as number), 0));
      const s2 = og.reduce((x, v, k) => x + v * (g[k] as number), 0);
      const r0 = relAt(b, j);
      if (!(s2 > 0) || !Number.isFinite(s2) || !Number.isFinite(r0)) return;
      const reach = ETA_TAIL * Math.sqrt(s2);
      const sign = Math.abs(r0 + reach) >= Math.abs(r0 - reach) ? 1 : -1;
      const eta = og.map((v) => (sign * ETA_TAIL * v) / Math.sqrt(s2));
      // one direction at most once (cavg's error is auctau's)
      if (out.some((o) => o.covariates === base.covariates && o.eta.every((e, k) => Math.abs(e - (eta[k] as number)) <= 1e-9 * (1 + Math.abs(e))))) return;
      const written = pp.etaNames.map((n, k) => `${n} = ${(eta[k] as number) < 0 ? '−' : '+'}${sig(Math.abs(eta[k] as number))}`).join(', ');
      out.push({ label: `${withEtas(base.label)} ${written} (${ETA_TAIL} SD of Ω in the direction the grid's error grows fastest)`, covariates: base.covariates, eta, steepest: true });
    });
  });
  return out;
}

/**
 * Covariate sets at the tails, the rest of the draws at the median's (normals 0, uniforms ½): every
 * draw together at each of COVARIATE_TAILS; each normal and each uniform alone there; the normals'
 * tails in every mix of signs (up to MAX_CORNERS of them); each level of
 * a categorical; and the rows of a resampled table holding each column's least and greatest value
 * (each value of a column with at most TABLE_LEVELS). All together alone missed (a) a categorical's
 * middle level (FORM 0/1/2, 55/30/15 %, the 30 % fast absorbers all > 1 % off, silent), (b) effects
 * that cancel at the same quantile (KA ∝ WT^1.5 · AGE^−1.5: 5.8 % of subjects > 1 % off, silent) and
 * (c) a table's rows, taken at 2, 50 and 98 % of the file's order (FORM 1 in rows 101–400, silent).
 */
function covariateSubjects(sampler: NonNullable<PreparedPlan['sampler']>): Record<string, number>[] {
  const nz = sampler.normalsPerSubject;
  const nu = sampler.uniformsPerSubject;
  const out: Record<string, number>[] = [];
  // n subjects whose draws are the median's but where `set` changes them; a refused draw (a derived
  // covariate's tail) leaves the set out, as the typical subject's probe does
  const fill = (n: number, set: (z: Float64Array, u: Float64Array) => void): Float64Array[] | undefined => {
    const z = new Float64Array(n * nz);
    const u = new Float64Array(n * nu).fill(0.5);
    set(z, u);
    const cols = sampler.names.map(() => new Float64Array(n));
    try {
      sampler.fill(n, z, u, cols, 0, 'a subject at the covariate tails');
    } catch (e) {
      if (!(e instanceof DosewiseError)) throw e;
      return undefined;
    }
    return cols;
  };
  const take = (cols: Float64Array[] | undefined, i = 0): void => {
    if (!cols) return;
    const c: Record<string, number> = {};
    sampler.names.forEach((n, j) => (c[n] = (cols[j] as Float64Array)[i] as number));
    out.push(c);
  };
  for (const q of COVARIATE_TAILS) take(fill(1, (z, u) => (z.fill(normalQuantile(q)), u.fill(q))));
  for (let k = 0; k < nz; k++) for (const q of COVARIATE_TAILS) take(fill(1, (z) => (z[k] = normalQuantile(q))));
  // and, for a few, at opposite tails: alone WT at its 98th percentile (AGE at its median) read −1.1 %
  // while subjects heavy and young were −2.6 %
  if (nz <= MAX_CORNERS)
    for (let mask = 1; mask < (1 << nz) - 1; mask++) take(fill(1, (z) => z.forEach((_, k) => (z[k] = normalQuantile(COVARIATE_TAILS[(mask >> k) & 1] as number)))));
  const uniforms = new Map<number, string[]>();
  for (const slot of sampler.layout) if (slot.uniform !== undefined) uniforms.set(slot.uniform, [...(uniforms.get(slot.uniform) ?? []), slot.name]);
  for (const [j, names] of uniforms) {
    const kind = sampler.layout.find((l) => l.uniform === j)?.kind;
    if (kind === 'uniform') {
      for (const q of COVARIATE_TAILS) take(fill(1, (_z, u) => (u[j] = q)));
      continue;
    }
    if (kind === 'categorical') {
      for (const x of levelDraws(j, sampler.names.indexOf(names[0] as string), fill)) take(fill(1, (_z, u) => (u[j] = x)));
      continue;
    }
    // a table: sweep its draw, then keep the rows with the values wanted
    let cols: Float64Array[] | undefined;
    let n = 1024;
    for (let seen = -1; ; n *= 2) {
      const at = n;
      cols = fill(at, (_z, u) => {
        for (let i = 0; i < at; i++) u[i * nu + j] = (i + 0.5) / at;
      });
      if (!cols) break;
      const idx = names.map((name) => cols?.[sampler.names.indexOf(name)] as Float64Array);
      const rows = new Set<string>();
      for (let i = 0; i < at; i++) rows.add(idx.map((v) => v[i]).join(','));
      if (rows.size === seen || at >= MAX_SWEEP) break;
      seen = rows.size;
    }
    if (!cols) continue;
    const rows = new Set<number>();
    for (const name of names) {
      const v = cols[sampler.names.indexOf(name)] as Float64Array;
      const first = new Map<number, number>();
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i] as number;
        if (first.size <= TABLE_LEVELS && !first.has(x)) first.set(x, i);
        if (x < (v[lo] as number)) lo = i;
        if (x > (v[hi] as number)) hi = i;
      }
      if (first.size <= TABLE_LEVELS) for (const i of first.values()) rows.add(i);
      rows.add(lo).add(hi);
    }
    for (const i of [...rows].sort((a, b) => a - b)) take(cols, i);
  }
  return out;
}

/**
 * A uniform drawing each level of a categorical (uniform column j, output column c): its levels take
 * consecutive stretches of the draw, found by halving where the value changes (a level of p down to
 * 1e-9), about 30 one-subject draws per level.
 */
function levelDraws(j: number, c: number, fill: (n: number, set: (z: Float64Array, u: Float64Array) => void) => Float64Array[] | undefined): number[] {
  const valueAt = (x: number): number => (fill(1, (_z, u) => (u[j] = x))?.[c] as Float64Array | undefined)?.[0] ?? NaN;
  const levels = new Map<number, number>();
  const find = (a: number, va: number, b: number, vb: number): void => {
    if (Object.is(va, vb) || b - a < 1e-9) return;
    const m = (a + b) / 2;
    const vm = valueAt(m);
    if (!levels.has(vm)) levels.set(vm, m);
    find(a, va, m, vm);
    find(m, vm, b, vb);
  };
  const lo = 1e-12;
  const hi = 1 - 1e-12;
  const vlo = valueAt(lo);
  const vhi = valueAt(hi);
  levels.set(vlo, lo);
  if (!levels.has(vhi)) levels.set(vhi, hi);
  find(lo, vlo, hi, vhi);
  levels.delete(NaN);
  return [...levels.values()];
}

/** The whole course's peak level (first to last record), the scale the solver's noise is read against. */
function courseMetric(regimen: PopulationPlan['regimen']): MetricDef | undefined {
  const records = regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen'));
  const t0 = records[0]?.TIME;
  const t1 = records[records.length - 1]?.TIME;
  if (t0 === undefined || t1 === undefined || !(t1 > t0)) return undefined;
  return parseMetric(`cmax:${t0}:${t1}`, regimenTimesOf(records));
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

/** The metrics of the plan at each subject (row-major), or undefined where the typical subject's simulation fails (another's reads NaN). */
function values(pp: PreparedPlan, subjects: readonly Judged[]): Float64Array | undefined {
  const n = subjects.length;
  const cov = pp.covariateNames.map((name) => Float64Array.from(subjects, (s) => s.covariates[name] as number));
  const nEta = pp.etaNames.length;
  const eta = new Float64Array(n * nEta);
  subjects.forEach((s, i) => eta.set(s.eta, i * nEta));
  const sim = simulateSubjects(pp, engine(pp.model), n, { cov, eta }, { invalid: 'fail', metrics: metricArrays(pp.plan.metrics, pp.grid.edgeOnly), rtol: pp.plan.rtol, atol: pp.plan.atol });
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
