// The global part of MAP estimation: the local optimizer (optimize.ts) finds *a* mode; a patient's
// posterior can have more than one (flip-flop absorption, a lag time on either side of a sample),
// and the local optimizer may end in the wrong one with every sign of convergence. The search here
// is cheap when the posterior is unimodal and spends more only when the evidence says otherwise:
//
// 1. Start points: the whitened prior axes at ±2 SD and Halton points in the ±3 SD box of the
//    whitened prior (x = L z, Ω = L Lᵀ); for effects that move a lag time, a modelled duration or
//    rate (or F with a fixed rate), one point per interval of that effect where the arrival and
//    the infusion end of the dose before each sample stay on the same side of it (the objective is
//    piecewise smooth, with jumps where a sample crosses an absorption start or an infusion end),
//    and probes of each boundary between those intervals: at the boundary on the incumbent's side
//    and 1e-3 and 2e-3 SD beyond it (boundaryProbes).
// 2. The objective at every start (values only, no gradients) and, in the same engine call, a
//    hill–valley test of every start against the incumbent mode m: the objective at 1/3 and 2/3
//    of the way from the start to m. A start whose path down to m is not monotone (a ridge, a jump
//    or an invalid region in between) may lie in another basin. On ODE models these points are
//    screened at looser tolerances first, and those whose decision is within the screen's error
//    are evaluated again at full accuracy (refine), so the decisions are the accurate objective's.
// 3. Local optimizations: always from every start whose objective is below the incumbent's (so the
//    result is never above the objective at any start point); from the first BASE_LOCAL starts that
//    failed the hill–valley test, lowest objective first; from all of them (up to MAX_LOCAL) only
//    when one of those ended in a mode not seen before ("escalation"); and always from the far side
//    of a boundary where the objective falls moving away from the incumbent (a level just after
//    the arrival: its prediction rises from 0 there, and a mode can hug the boundary, too narrow
//    for the grid and not on a straight path's hill–valley points), and from every structural start
//    (the flip-flop point of oral absorption, flip-flop.ts).
// 4. The lowest objective wins; the distinct local optima found are the modes reported, the
//    estimate's first.

import type { MapObjective } from './objective.js';
import type { BatchFunction, MinimizeResult } from './optimize.js';
import { choleskySpd } from './linalg.js';
import { fixedRateDuration, givenAddl } from '../regimen/record.js';
import type { DataRecord } from '../regimen/record.js';

/** A local optimum found by the search. */
export interface MapMode {
  /** The estimated effects (order of the objective's labels). */
  readonly x: number[];
  readonly ofv: number;
  /** Local optimizations that ended here. */
  readonly runs: number;
}

export interface GlobalResult {
  readonly best: MinimizeResult;
  /** Distinct local optima, lowest objective first (the first is best). */
  readonly modes: MapMode[];
  /** Start points whose objective was evaluated. */
  readonly startPoints: number;
  /** Local optimizations run from them. */
  readonly localRuns: number;
  /** Objective evaluations (points) of the search, local optimizations included. */
  readonly points: number;
}

/** Local optimizations from hill–valley candidates before any disagreement. */
export const BASE_LOCAL = 2;
/** Cap on local optimizations from candidates that are not below the incumbent. */
export const MAX_LOCAL = 24;
/** Two optima closer than this (Mahalanobis distance under the prior) are one mode. */
export const SAME_MODE_DISTANCE = 0.05;
/** Fractions of the way from a start to the incumbent mode at which the hill–valley test looks. */
const HILL_VALLEY = [1 / 3, 2 / 3] as const;

const tolerance = (f: number): number => 1e-9 * (1 + Math.abs(f));

function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

/** The i-th element (i ≥ 1) of the van der Corput sequence in base b. */
function radicalInverse(i: number, b: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= b;
    r += f * (i % b);
    i = Math.floor(i / b);
  }
  return r;
}

/** Number of Halton start points for dim effects. */
export const haltonCount = (dim: number): number => Math.min(32, 2 + dim);

/**
 * Prior start points (count × dim, row-major): the whitened axes at ±2 SD, then haltonCount(dim)
 * Halton points in the ±3 SD box of the whitened prior, mapped by the prior's Cholesky factor.
 */
export function priorStarts(obj: MapObjective): { xs: Float64Array; count: number } {
  const dim = obj.dim;
  const L = choleskySpd(obj.priorCovariance, dim) as Float64Array;
  const nH = haltonCount(dim);
  const count = 2 * dim + nH;
  const xs = new Float64Array(count * dim);
  const z = new Float64Array(dim);
  const put = (k: number): void => {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += (L[i * dim + j] as number) * (z[j] as number);
      xs[k * dim + i] = s;
    }
  };
  let k = 0;
  for (let i = 0; i < dim; i++)
    for (const sign of [2, -2]) {
      z.fill(0);
      z[i] = sign;
      put(k++);
    }
  const bases = primes(dim);
  for (let h = 1; h <= nH; h++) {
    for (let i = 0; i < dim; i++) z[i] = 6 * radicalInverse(h, bases[i] as number) - 3;
    put(k++);
  }
  return { xs, count };
}

/** Grid step (prior SDs) along an effect that moves a lag or duration, and its half-range. */
const GRID_STEP = 0.05;
const GRID_RANGE = 3;

/** One effect's sweep: the grid (values of the effect), its intervals of equal signature (valid ones), and the signature at any value. */
interface Sweep {
  readonly j: number;
  readonly grid: number[];
  readonly intervals: [number, number][];
  readonly signatureAt: (v: number) => string;
}

/**
 * Each effect that moves a lag time, a modelled duration or rate (or F with a fixed infusion rate)
 * swept over ±3 prior SD (the others at `centre`) and cut into intervals where the arrival and
 * infusion end of the dose before each sample (ADDL copies and, for a steady-state dose, the
 * implied doses before it included) stay on the same side of it.
 */
function sweeps(obj: MapObjective, centre: ArrayLike<number>): Sweep[] {
  const { model, records, labels } = obj;
  const ev = model.slots;
  // loops, not map().filter(): in optimized code the inlined map() made a holey array where the
  // interpreter's was packed, and the filter() on it deoptimized this function once per worker
  const doses: (readonly [DataRecord, number])[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if ((r.EVID === 1 || r.EVID === 4) && r.AMT > 0) doses.push([r, i]);
  }
  if (doses.length === 0 || obj.observations.length === 0) return [];
  const fixedRate = doses.some(([r]) => r.RATE > 0);
  const kinds = new Set(['lag', 'duration', 'rate', ...(fixedRate ? ['bioavailability'] : [])]);
  const moving: (readonly [string, number])[] = [];
  for (let j = 0; j < labels.length; j++) {
    // the effect's name (a κ's label is NAME@occasion) without split(), whose optimized array deoptimized this
    const label = labels[j] as string;
    const at = label.indexOf('@');
    const name = at < 0 ? label : label.slice(0, at);
    if (ev.modifiersDependOn(new Set([name]), kinds)) moving.push([name, j]);
  }
  if (moving.length === 0) return [];
  const obsTimes = [...new Set(Array.from(obj.observations, (r) => (records[r] as (typeof records)[number]).TIME))];
  // dose events: each record, its ADDL copies, and two implied doses before a steady-state dose
  const events: { t: number; rec: number }[] = [];
  for (const [r, i] of doses) {
    for (let k = 0; k <= (r.II > 0 ? givenAddl(records, i) : 0); k++) events.push({ t: r.TIME + k * r.II, rec: i });
    if (r.SS > 0 && r.II > 0) for (const k of [1, 2]) events.push({ t: r.TIME - k * r.II, rec: i });
  }
  // each level against the dose before it (the latest nominal dose time at or before the level):
  // the levels of each event, and only the events that are some level's latest
  const latest = obsTimes.map((to) => events.reduce((m, e) => (e.t <= to && e.t > m ? e.t : m), -Infinity));
  const pairs = events.map((e) => ({ ...e, levels: obsTimes.filter((_, k) => latest[k] === e.t) })).filter((e) => e.levels.length > 0);
  const out: Sweep[] = [];
  for (const [, j] of moving) {
    const x = Float64Array.from(centre);
    const signatureAt = (v: number): string => {
      x[j] = v;
      let s = '';
      // the modifiers of each dose record once per point (its ADDL copies and implied doses share them)
      const mods = new Map<number, ReturnType<MapObjective['modifiersAt']>>();
      for (const e of pairs) {
        const rec = records[e.rec] as (typeof records)[number];
        let m = mods.get(e.rec);
        if (m === undefined && !mods.has(e.rec)) mods.set(e.rec, (m = obj.modifiersAt(x, e.rec)));
        if (!m) return 'invalid';
        const c = Math.max(0, (rec.CMT > 0 ? rec.CMT : 1) - 1);
        const lag = (m.lag[c] as number | undefined) ?? 0;
        const f = (m.F[c] as number | undefined) ?? 1;
        let dur = 0;
        if (rec.RATE === -2) dur = (m.D[c] as number | undefined) ?? 0;
        else if (rec.RATE === -1) dur = (rec.AMT * f) / ((m.R[c] as number | undefined) ?? Infinity);
        else if (rec.RATE > 0) dur = fixedRateDuration(rec, rec.AMT * f);
        const start = e.t + lag;
        const end = start + dur;
        for (const to of e.levels) {
          s += start < to ? '1' : '0';
          if (dur > 0) s += end < to ? '1' : '0';
        }
      }
      return s;
    };
    const sd = obj.priorSd[j] as number;
    const n = Math.round((2 * GRID_RANGE) / GRID_STEP) + 1;
    const grid: number[] = [];
    const sig: string[] = [];
    for (let g = 0; g < n; g++) {
      const v = (-GRID_RANGE + g * GRID_STEP) * sd;
      grid.push(v);
      sig.push(signatureAt(v));
    }
    // intervals of equal signature
    let a = 0;
    const intervals: [number, number][] = [];
    for (let g = 1; g <= n; g++) {
      if (g < n && sig[g] === sig[a]) continue;
      if (sig[a] !== 'invalid') intervals.push([a, g - 1]);
      a = g;
    }
    out.push({ j, grid, intervals, signatureAt });
  }
  return out;
}

/**
 * Start points for the piecewise-smooth parts of the objective: one start at the middle of each
 * interval of each effect's sweep (sweeps(); the others at `centre`), where the effect cuts the
 * arrival or infusion end of a dose across a level more than once.
 */
export function discontinuityStarts(obj: MapObjective, centre: ArrayLike<number>): Float64Array[] {
  const out: Float64Array[] = [];
  for (const { j, grid, intervals } of sweeps(obj, centre)) {
    if (intervals.length < 2) continue;
    for (const [lo, hi] of intervals) {
      const p = Float64Array.from(centre);
      p[j] = ((grid[lo] as number) + (grid[hi] as number)) / 2;
      out.push(p);
    }
  }
  return out;
}

/** Distance (prior SDs) of the probes from a boundary of the sweep, and the bisection's precision. */
export const PROBE_STEP = 1e-3;
const BOUNDARY_PRECISION = 1e-6;
/** Points per boundary probe: one on the centre's side of the boundary, two on the far side. */
export const PROBE_POINTS = 3;

/**
 * Probes of each boundary between two valid intervals of a sweep (sweeps(); the boundary located
 * by bisection of the signature to 1e-6 SD): the effect at b on the side of `centre`, and at
 * b ± δ and b ± 2δ on the far side (δ = PROBE_STEP prior SDs), the others at `centre`. Where a
 * level lies just after an arrival its prediction starts from 0 (absorption) with a slope that
 * the other side lacks, so a mode of the far piece can hug the boundary, narrower than the grid
 * step and out of reach of a start at the piece's middle: the probes tell whether the objective
 * falls moving away from the centre across the boundary. Groups of PROBE_POINTS, near side first.
 */
export function boundaryProbes(obj: MapObjective, centre: ArrayLike<number>): Float64Array[] {
  const out: Float64Array[] = [];
  for (const { j, grid, intervals, signatureAt } of sweeps(obj, centre)) {
    const sd = obj.priorSd[j] as number;
    const c = centre[j] as number;
    for (let k = 1; k < intervals.length; k++) {
      const [, hiA] = intervals[k - 1] as [number, number];
      const [loB] = intervals[k] as [number, number];
      if (loB !== hiA + 1) continue; // an invalid interval between
      let lo = grid[hiA] as number;
      let hi = grid[loB] as number;
      const sigLo = signatureAt(lo);
      while (hi - lo > BOUNDARY_PRECISION * sd) {
        const mid = (lo + hi) / 2;
        if (signatureAt(mid) === sigLo) lo = mid;
        else hi = mid;
      }
      const d = PROBE_STEP * sd;
      const at = (v: number): Float64Array => {
        const p = Float64Array.from(centre);
        p[j] = v;
        return p;
      };
      if (c <= lo) out.push(at(lo), at(hi + d), at(hi + 2 * d));
      else out.push(at(hi), at(lo - d), at(lo - 2 * d));
    }
  }
  return out;
}

/** Mahalanobis distance under the prior precision P. */
function distance(P: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const di = (a[i] as number) - (b[i] as number);
    if (di === 0) continue;
    for (let j = 0; j < n; j++) s += di * (P[i * n + j] as number) * ((a[j] as number) - (b[j] as number));
  }
  return Math.sqrt(Math.max(0, s));
}

/**
 * How far a screened objective value may be from the accurate one (global.ts uses the screen of
 * MapObjective.screenBatch): 1e-3·(1 + |f|) with f the incumbent's objective, ≥ 8× the largest
 * difference measured (test/unit/bayes/screen.test.ts).
 */
export const SCREEN_MARGIN = 1e-3;

/** Evaluates the points `redo` of xs again with `batch` (at full accuracy), in place in f; returns how many. */
function reevaluate(redo: readonly number[], xs: Float64Array, dim: number, f: Float64Array, batch: BatchFunction): number {
  if (redo.length === 0) return 0;
  const ys = new Float64Array(redo.length * dim);
  redo.forEach((p, i) => ys.set(xs.subarray(p * dim, (p + 1) * dim), i * dim));
  const out = new Float64Array(redo.length);
  batch(ys, redo.length, out);
  redo.forEach((p, i) => (f[p] = out[i] as number));
  return redo.length;
}

/**
 * Re-evaluates with the accurate `batch` every screened point whose decision could go the other
 * way within the screen's error: a start within the margin of the incumbent's objective f, every
 * point of a hill–valley path with two neighbours within twice the margin of each other, and any
 * non-finite value. Layout of f: count starts, then nT path points per start. Returns the number
 * of points re-evaluated.
 */
function refine(batch: BatchFunction, xs: Float64Array, dim: number, f: Float64Array, count: number, nT: number, incumbent: number, errorAtIncumbent: number): number {
  const margin = Math.max(SCREEN_MARGIN * (1 + (Number.isFinite(incumbent) ? Math.abs(incumbent) : 0)), Number.isFinite(errorAtIncumbent) ? 10 * errorAtIncumbent : Infinity);
  const close = (a: number, b: number, m: number): boolean => !Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a - b) <= m;
  const redo: number[] = [];
  for (let k = 0; k < count; k++) {
    const f0 = f[k] as number;
    let again = !Number.isFinite(f0) || (Number.isFinite(incumbent) && close(f0, incumbent, margin));
    if (nT > 0 && Number.isFinite(incumbent)) {
      let prev = f0;
      for (let q = 0; q <= nT && !again; q++) {
        const next = q < nT ? (f[count + k * nT + q] as number) : incumbent;
        again = close(prev, next, q < nT ? 2 * margin : margin);
        prev = next;
      }
    }
    if (!again) continue;
    redo.push(k);
    for (let q = 0; q < nT; q++) redo.push(count + k * nT + q);
  }
  return reevaluate(redo, xs, dim, f, batch);
}

/**
 * Runs the search around a first local optimum. `local` runs one local optimization from a point;
 * `precision` is the prior precision (for distances between optima). With `screen`, the start and
 * hill–valley points are evaluated by it first and only the points whose decision is within its
 * error again by `batch`. `probes` (boundaryProbes(), nProbes points in groups of PROBE_POINTS)
 * are evaluated in the same engine call: a local optimization always runs from a group's far side
 * where the objective falls moving away from the incumbent across the boundary, and from any probe
 * below the incumbent.
 */
export function globalSearch(
  batch: BatchFunction,
  dim: number,
  first: MinimizeResult,
  starts: Float64Array,
  count: number,
  local: (x0: Float64Array) => MinimizeResult,
  precision: Float64Array,
  screen?: BatchFunction,
  probes: Float64Array = new Float64Array(0),
  nProbes = 0,
  structural: readonly Float64Array[] = [],
): GlobalResult {
  let points = 0;
  let best = first;
  const modes: { x: Float64Array; f: number; runs: number }[] = [];
  if (Number.isFinite(first.f)) modes.push({ x: Float64Array.from(first.x), f: first.f, runs: 1 });
  // the starts, the points of their hill–valley tests against the incumbent and the boundary
  // probes, in one engine call
  const m = first.x;
  const nT = HILL_VALLEY.length;
  const withPaths = Number.isFinite(first.f);
  const nS = withPaths ? count * (1 + nT) : count;
  const total = nS + nProbes;
  const xs = new Float64Array(total * dim);
  xs.set(starts.subarray(0, count * dim));
  if (withPaths)
    for (let k = 0; k < count; k++)
      HILL_VALLEY.forEach((t, q) => {
        const at = (count + k * nT + q) * dim;
        for (let i = 0; i < dim; i++) {
          const s = starts[k * dim + i] as number;
          xs[at + i] = s + t * ((m[i] as number) - s);
        }
      });
  xs.set(probes.subarray(0, nProbes * dim), nS * dim);
  let fAll = new Float64Array(total);
  if (screen) {
    // the incumbent itself goes last into the screen: its error there widens the margin if larger
    const withM = new Float64Array((total + 1) * dim);
    withM.set(xs);
    if (withPaths) withM.set(m, total * dim);
    const f = new Float64Array(total + 1);
    screen(withM, withPaths ? total + 1 : total, f);
    points += withPaths ? total + 1 : total;
    fAll = f.subarray(0, total);
    const err = withPaths ? Math.abs((f[total] as number) - first.f) : 0;
    points += refine(batch, xs, dim, fAll, count, withPaths ? nT : 0, first.f, err);
    points += refineProbes(batch, xs, dim, fAll, nS, nProbes, first.f, err);
  } else {
    batch(xs, total, fAll);
    points += total;
  }
  const fS = fAll.subarray(0, count);
  const fH = fAll.subarray(count, nS);
  const fP = fAll.subarray(nS, total);
  // each candidate start: its point, its objective, and whether it must run (a probe's far side)
  const candidates: { x: Float64Array; f0: number; forced: boolean }[] = [];
  const startAt = (k: number): Float64Array => starts.slice(k * dim, (k + 1) * dim);
  if (withPaths) {
    for (let k = 0; k < count; k++) {
      const f0 = fS[k] as number;
      if (!Number.isFinite(f0)) continue;
      if (f0 < first.f - tolerance(first.f)) {
        candidates.push({ x: startAt(k), f0, forced: false });
        continue;
      }
      const path = [f0, ...Array.from({ length: nT }, (_, q) => fH[k * nT + q] as number), first.f];
      let monotone = true;
      for (let q = 1; q < path.length; q++) if (!((path[q] as number) <= (path[q - 1] as number) + tolerance(path[q - 1] as number))) monotone = false;
      if (!monotone) candidates.push({ x: startAt(k), f0, forced: false });
    }
  } else for (let k = 0; k < count; k++) if (Number.isFinite(fS[k])) candidates.push({ x: startAt(k), f0: fS[k] as number, forced: false });
  const probeAt = (p: number): Float64Array => probes.slice(p * dim, (p + 1) * dim);
  for (let g = 0; g + PROBE_POINTS <= nProbes; g += PROBE_POINTS) {
    const [near, far1, far2] = [fP[g], fP[g + 1], fP[g + 2]] as [number, number, number];
    // the far side's lower point: a valley there starts from the boundary's edge
    const far = far2 < far1 || !Number.isFinite(far1) ? g + 2 : g + 1;
    const fFar = fP[far] as number;
    const falls = Number.isFinite(near) && Number.isFinite(fFar) && (far1 < near - PROBE_FALL * (1 + Math.abs(near)) || far2 < far1 - PROBE_FALL * (1 + Math.abs(far1)));
    if (falls) candidates.push({ x: probeAt(far), f0: fFar, forced: true });
    else if (Number.isFinite(fFar) && (!withPaths || fFar < first.f - tolerance(first.f))) candidates.push({ x: probeAt(far), f0: fFar, forced: false });
    if (Number.isFinite(near) && (!withPaths || near < first.f - tolerance(first.f))) candidates.push({ x: probeAt(g), f0: near, forced: false });
  }
  // structural starts (the flip-flop point) always run: the other mode's basin lies behind a ridge,
  // and the point itself is far above the incumbent (+37.5 for a one-level oral patient), so
  // neither its objective nor a hill–valley path would select it
  if (structural.length > 0) {
    const xsS = new Float64Array(structural.length * dim);
    structural.forEach((p, k) => xsS.set(p, k * dim));
    const fSt = new Float64Array(structural.length);
    batch(xsS, structural.length, fSt);
    points += structural.length;
    structural.forEach((p, k) => {
      if (Number.isFinite(fSt[k])) candidates.push({ x: Float64Array.from(p), f0: fSt[k] as number, forced: true });
    });
  }
  candidates.sort((a, b) => a.f0 - b.f0);

  const modeOf = (x: ArrayLike<number>): number => modes.findIndex((md) => distance(precision, md.x, x) < SAME_MODE_DISTANCE);
  let localRuns = 0;
  let optional = 0;
  let escalated = false;
  for (const { x: x0, f0, forced } of candidates) {
    const below = !Number.isFinite(best.f) || f0 < best.f - tolerance(best.f);
    if (!below && !forced) {
      if (optional >= (escalated ? MAX_LOCAL : BASE_LOCAL)) continue;
      optional++;
    }
    const r = local(x0);
    localRuns++;
    points += r.points;
    if (!Number.isFinite(r.f)) continue;
    const at = modeOf(r.x);
    if (at >= 0) {
      const md = modes[at] as (typeof modes)[number];
      md.runs++;
      if (r.f < md.f) {
        md.f = r.f;
        md.x = Float64Array.from(r.x);
      }
    } else {
      modes.push({ x: Float64Array.from(r.x), f: r.f, runs: 1 });
      escalated = true;
    }
    // the same mode as the incumbent replaces it only by more than the noise of its objective;
    // a start below the incumbent always wins (the result is never above a start's objective), and
    // another mode wins whenever it is lower: a converged run is preferred to an unconverged
    // incumbent only within the same mode (across modes that returned the higher one)
    const sameAsBest = distance(precision, r.x, best.x) < SAME_MODE_DISTANCE;
    const margin = below ? 0 : sameAsBest ? 1e-6 * (1 + Math.abs(best.f)) : tolerance(best.f);
    if (!Number.isFinite(best.f) || r.f < best.f - margin || (sameAsBest && r.converged && !best.converged && r.f <= best.f + 1e-6)) best = r;
  }
  // the estimate's mode is reported at the estimate (a run into its basin that was lower by less
  // than the margin above left another point there, and the report listed the estimate twice,
  // W_MAP_MULTIMODAL against itself), and first: every other mode is above it
  const own = Number.isFinite(best.f) ? modeOf(best.x) : -1;
  if (own >= 0) {
    const md = modes[own] as (typeof modes)[number];
    md.x = Float64Array.from(best.x);
    md.f = best.f;
  } else if (Number.isFinite(best.f)) modes.push({ x: Float64Array.from(best.x), f: best.f, runs: 1 });
  const ownMode = modes[own >= 0 ? own : modes.length - 1];
  const sorted = modes
    .sort((a, b) => (a === ownMode ? -1 : b === ownMode ? 1 : a.f - b.f))
    .map((md) => ({ x: [...md.x], ofv: md.f, runs: md.runs }));
  return { best, modes: sorted, startPoints: count + nProbes + structural.length, localRuns, points };
}

/** A fall (relative) of the objective across a boundary probe that counts as a valley on the far side. */
export const PROBE_FALL = 1e-6;

/**
 * Re-evaluates with the accurate `batch` every screened probe group (at offset `at` of f) whose
 * decision could go the other way within the screen's error: two neighbours within the margin of
 * each other or of the incumbent, or a non-finite value. Returns the number of points re-evaluated.
 */
function refineProbes(batch: BatchFunction, xs: Float64Array, dim: number, f: Float64Array, at: number, n: number, incumbent: number, errorAtIncumbent: number): number {
  const margin = Math.max(SCREEN_MARGIN * (1 + (Number.isFinite(incumbent) ? Math.abs(incumbent) : 0)), Number.isFinite(errorAtIncumbent) ? 10 * errorAtIncumbent : Infinity);
  const close = (a: number, b: number): boolean => !Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a - b) <= 2 * margin;
  const redo: number[] = [];
  for (let g = 0; g + PROBE_POINTS <= n; g += PROBE_POINTS) {
    const v = [0, 1, 2].map((q) => f[at + g + q] as number);
    const [a, b, c] = v as [number, number, number];
    if (close(a, b) || close(b, c) || v.some((y) => !Number.isFinite(incumbent) || close(y, incumbent))) for (let q = 0; q < PROBE_POINTS; q++) redo.push(at + g + q);
  }
  return reevaluate(redo, xs, dim, f, batch);
}
