// W_LEVELS_CONTRADICT: two consecutive levels of one output, with no dose between them, whose ratio
// no plausible patient gives, even allowing each level its residual error.
//
// A chart of 1–2 levels has no leave-one-out check (implausible-levels.ts needs 3), and a pair that
// contradicts itself is fitted as a compromise: vancomycin (Goti 2018), 1000 mg over 1 h, levels
// 0.001 mg/L at 12 h and 60 mg/L at 13 h (a swapped or mislabelled tube) gave CL 0.861 L/h (typical
// ~2.7), V 12.0 L (typical 66.7), IWRES −2.83 and +3.66, exit 0 and no word: no IV model rises
// 60,000-fold in an hour without a dose.
//
// Judged generically, from the model itself (no rule per drug): for each such pair (i, j) the ratio
// r = f_j / f_i of the two predictions is computed over the prior's plausible range, the estimate,
// η = 0, each effect at ±2 and ±4 prior SD and every corner of the ±4-SD box (up to 8 effects; the
// ratio of a linear model's two predictions moves monotonically with each effect between doses),
// giving [r_min, r_max]. The pair contradicts the model where no true concentrations c_i and
// c_j = r·c_i with r in that range bring both levels within 3 residual SDs jointly:
// min over r, c_i of z_i² + z_j² > 9, z the level's own residual (its output's error model, on the
// log scale with exponential error). One degree of freedom remains after the free scale c_i (a dose
// or volume the chart may have wrong), so √(min) is in residual SDs (P(χ²₁ > 9) = 0.27 %, and less
// with r free over the ±4-SD box). 3, not the 4 of |IWRES|: Goti's published error,
// sd = 3.4 + 0.227·c (17 mg/L at 60), leaves the 0.001 → 60 pair 3.46 SDs from the nearest
// (c_i ≈ 49.9, r at its top 0.9995: z −3.39 and +0.69), which 4 SDs would let pass (scipy,
// test/oracle/levels_contradict.py).
// The estimate is one such point (c_i = f_i there), so a pair the estimate fits within 3 SDs jointly
// (IWRES_i² + IWRES_j² ≤ 9) is never warned and costs nothing: every ordinary chart.
//
// Not judged: BLQ levels, levels already said to be uninformative, pairs at one time
// (W_LEVEL_DUPLICATE's), pairs with a dose, an ADDL copy or a reset between them, pairs whose first
// level follows a dose row at its own time (W_LEVEL_AFTER_DOSE's), and pairs whose predictions are
// not > 0 at every point (a level before the first dose).

import type { Model } from '../model/model.js';
import { givenAddl, isDose, type DataRecord } from '../regimen/record.js';
import { recordOutput, recordResidual } from '../engine/outputs.js';
import { residualVariance } from '../model/residual.js';
import type { MapObjective } from './objective.js';
import { timeText, type MapWarning } from './warnings.js';

/** The pair's joint distance from the model, in residual SDs, above which it is warned (see the file comment). */
export const CONTRADICT_SD = 3;
/** The prior's range spanned by the ratio's points, in prior SDs per effect. */
export const CONTRADICT_PRIOR_SD = 4;
/** Up to this many effects the corners of the prior box are evaluated (2^8 = 256 points). */
const MAX_CORNER_DIM = 8;

const fmt = (v: number): string => String(Number(v.toPrecision(3)));

/** The output a level measures (DVID, else its compartment). */
function outputOf(model: Model, r: DataRecord): number {
  try {
    return recordOutput(model, r)?.dvid ?? (r.CMT > 0 ? r.CMT : model.observeCompartment);
  } catch {
    return r.CMT;
  }
}

/** Whether a dose (a row, or an ADDL copy) or a reset lies between records i and j (i < j, t_i < t_j), or a dose row just above i at its time. */
function doseBetween(records: readonly DataRecord[], i: number, j: number): boolean {
  // a dose row above level i at its own time: the level is read after it, W_LEVEL_AFTER_DOSE's
  // case (a trough charted after its dose, then the peak, was said twice)
  const ti0 = (records[i] as DataRecord).TIME;
  for (let k = i - 1; k >= 0 && (records[k] as DataRecord).TIME === ti0; k--) if (isDose(records[k] as DataRecord)) return true;
  for (let k = i + 1; k < j; k++) {
    const r = records[k] as DataRecord;
    if (isDose(r) || r.EVID === 3) return true;
  }
  const ti = (records[i] as DataRecord).TIME;
  const tj = (records[j] as DataRecord).TIME;
  // an ADDL copy at t_i is given before level i (the compiler puts copies before every record at their time)
  for (let k = 0; k < j; k++) {
    const d = records[k] as DataRecord;
    if (!isDose(d) || !(d.II > 0) || !(d.ADDL > 0)) continue;
    const n = givenAddl(records, k);
    const first = Math.max(1, Math.floor((ti - d.TIME) / d.II));
    for (let m = first; m <= n; m++) {
      const t = d.TIME + m * d.II;
      if (t > tj + 1e-9) break;
      if (t > ti + 1e-9) return true;
    }
  }
  return false;
}

/** The points the ratio is judged at: the estimate, 0, each effect at ±2 and ±4 SD, the ±4-SD corners. */
function priorPoints(obj: Pick<MapObjective, 'dim' | 'priorSd'>, x: ArrayLike<number>): { xs: Float64Array; count: number } {
  const dim = obj.dim;
  const pts: number[][] = [Array.from(x), new Array<number>(dim).fill(0)];
  for (let k = 0; k < dim; k++)
    for (const s of [-CONTRADICT_PRIOR_SD, -2, 2, CONTRADICT_PRIOR_SD]) {
      const p = new Array<number>(dim).fill(0);
      p[k] = s * (obj.priorSd[k] as number);
      pts.push(p);
    }
  if (dim > 1 && dim <= MAX_CORNER_DIM)
    for (let m = 0; m < 1 << dim; m++) pts.push(Array.from({ length: dim }, (_, k) => ((m >> k) & 1 ? 1 : -1) * CONTRADICT_PRIOR_SD * (obj.priorSd[k] as number)));
  const xs = new Float64Array(pts.length * dim);
  pts.forEach((p, k) => xs.set(p, k * dim));
  return { xs, count: pts.length };
}

/** A level's residual z(c) at true concentration c > 0, on its likelihood's scale. */
function residualOf(model: Model, rec: DataRecord, logScale: boolean): ((c: number) => number) | undefined {
  const res = recordResidual(model, rec);
  if (res === undefined) return undefined;
  if (res.model === 'exponential') {
    const y = logScale ? rec.DV : Math.log(rec.DV);
    if (!Number.isFinite(y)) return undefined;
    return (c) => (y - Math.log(c)) / res.exponential;
  }
  return (c) => (rec.DV - c) / Math.sqrt(residualVariance(res, c));
}

/** min over u in [lo, hi] of g(u): a grid, then golden section around its best (within [lo, hi]). */
function minimize1(g: (u: number) => number, lo: number, hi: number, n: number): { u: number; v: number } {
  const step = (hi - lo) / n;
  let best = { u: lo, v: g(lo) };
  for (let k = 1; k <= n; k++) {
    const u = lo + k * step;
    const v = g(u);
    if (v < best.v) best = { u, v };
  }
  // within [lo, hi]: the ratio's range is a bound, not a start
  let a = Math.max(lo, best.u - step);
  let b = Math.min(hi, best.u + step);
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let gc = g(c);
  let gd = g(d);
  for (let it = 0; it < 60; it++) {
    if (gc < gd) {
      b = d;
      d = c;
      gd = gc;
      c = b - phi * (b - a);
      gc = g(c);
    } else {
      a = c;
      c = d;
      gc = gd;
      d = a + phi * (b - a);
      gd = g(d);
    }
  }
  const u = (a + b) / 2;
  const v = g(u);
  return v < best.v ? { u, v } : best;
}

/**
 * The pair's joint distance² min over log r in [lr0, lr1] and c_i of z_i(c_i)² + z_j(r·c_i)²;
 * `scale`: log concentrations the levels and predictions span (the c_i searched around them).
 */
export function pairDistance2(zi: (c: number) => number, zj: (c: number) => number, lr0: number, lr1: number, scale: readonly number[]): number {
  const lo = Math.min(...scale) - 12;
  const hi = Math.max(...scale) + 12;
  const at = (lr: number): number =>
    minimize1(
      (u) => {
        const c = Math.exp(u);
        const a = zi(c);
        const b = zj(Math.exp(u + lr));
        const s = a * a + b * b;
        return Number.isFinite(s) ? s : Infinity;
      },
      lo - Math.max(0, lr1),
      hi - Math.min(0, lr0),
      240,
    ).v;
  if (!(lr1 - lr0 > 1e-12)) return at(lr0);
  return minimize1(at, lr0, lr1, 24).v;
}

/**
 * W_LEVELS_CONTRADICT, one per pair: consecutive levels of one output with no dose between them
 * whose ratio no patient within ±4 prior SDs gives within 3 residual SDs (see the file comment).
 * `iwres`: at the estimate x; `skip`: records not judged (uninformative levels).
 */
export function contradictingLevelsWarnings(model: Model, obj: MapObjective, x: ArrayLike<number>, iwres: ArrayLike<number>, skip: ReadonlySet<number>): MapWarning[] {
  const records = obj.records;
  const byOutput = new Map<number, { r: number; k: number }[]>();
  obj.observations.forEach((r, k) => {
    const rec = records[r] as DataRecord;
    if (obj.blq[k] || skip.has(r) || !Number.isFinite(rec.DV)) return;
    const o = outputOf(model, rec);
    const list = byOutput.get(o);
    if (list) list.push({ r, k });
    else byOutput.set(o, [{ r, k }]);
  });
  const pairs: [{ r: number; k: number }, { r: number; k: number }][] = [];
  for (const list of byOutput.values())
    for (let n = 1; n < list.length; n++) {
      const a = list[n - 1] as { r: number; k: number };
      const b = list[n] as { r: number; k: number };
      const wa = iwres[a.r] as number;
      const wb = iwres[b.r] as number;
      // the estimate brings both within 4 SDs jointly: no contradiction, nothing to compute
      if (!(wa * wa + wb * wb > CONTRADICT_SD * CONTRADICT_SD)) continue;
      const ra = records[a.r] as DataRecord;
      const rb = records[b.r] as DataRecord;
      if (!(rb.TIME > ra.TIME) || doseBetween(records, a.r, b.r)) continue;
      pairs.push([a, b]);
    }
  if (pairs.length === 0 || obj.dim === 0) return [];
  const { xs, count } = priorPoints(obj, x);
  let sim;
  try {
    sim = obj.simulateAsObjective(xs, count);
  } catch {
    return [];
  }
  const nRec = records.length;
  const out: MapWarning[] = [];
  for (const [a, b] of pairs) {
    let lr0 = Infinity;
    let lr1 = -Infinity;
    let valid = true;
    for (let p = 0; p < count && valid; p++) {
      if (!sim.ok[p]) continue;
      const fa = sim.obs[p * nRec + a.r] as number;
      const fb = sim.obs[p * nRec + b.r] as number;
      if (!(fa > 0) || !(fb > 0) || !Number.isFinite(fa) || !Number.isFinite(fb)) {
        valid = false;
        break;
      }
      const lr = Math.log(fb / fa);
      lr0 = Math.min(lr0, lr);
      lr1 = Math.max(lr1, lr);
    }
    if (!valid || !Number.isFinite(lr0) || !Number.isFinite(lr1)) continue;
    const ra = records[a.r] as DataRecord;
    const rb = records[b.r] as DataRecord;
    const za = residualOf(model, ra, obj.logScale[a.k] === 1);
    const zb = residualOf(model, rb, obj.logScale[b.k] === 1);
    if (!za || !zb) continue;
    const fa0 = sim.obs[a.r] as number;
    const fb0 = sim.obs[b.r] as number;
    const level = (rec: DataRecord, logScale: boolean): number => (logScale ? rec.DV : Math.log(rec.DV));
    const scale = [Math.log(fa0), Math.log(fb0), level(ra, obj.logScale[a.k] === 1), level(rb, obj.logScale[b.k] === 1)].filter(Number.isFinite);
    const d2 = pairDistance2(za, zb, lr0, lr1, scale);
    if (!(d2 > CONTRADICT_SD * CONTRADICT_SD)) continue;
    const dv = (rec: DataRecord, logScale: boolean): number => (logScale ? Math.exp(rec.DV) : rec.DV);
    const va = dv(ra, obj.logScale[a.k] === 1);
    const vb = dv(rb, obj.logScale[b.k] === 1);
    const observed = va > 0 && vb > 0 ? ` (×${fmt(vb / va)})` : '';
    const hours = Number((rb.TIME - ra.TIME).toPrecision(4));
    out.push({
      code: 'W_LEVELS_CONTRADICT',
      message:
        `rows ${ra.row} and ${rb.row} contradict each other: the level goes from DV ${fmt(ra.DV)} at TIME ${timeText(ra.TIME)} (row ${ra.row}) to DV ${fmt(rb.DV)} at TIME ${timeText(rb.TIME)} (row ${rb.row})${observed} in ${hours} h with no dose between them, ` +
        `where the model gives ×${fmt(Math.exp(lr0))} to ×${fmt(Math.exp(lr1))} for every patient within ±${CONTRADICT_PRIOR_SD} prior SDs; allowing each level its residual error the pair is ${fmt(Math.sqrt(d2))} residual SDs from the nearest (above ${CONTRADICT_SD}): ` +
        'one of the two is likely wrong (a swapped or mislabelled tube, a wrong time, unit or dose record), and the estimate is a compromise between them',
    });
  }
  return out;
}
