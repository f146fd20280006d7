// Levels a MAP estimate cannot be trusted on, reported with the estimate instead of a silent
// "converged". Two checks:
//
// - Uninformative level: at every plausible point of the prior — η = 0 and each estimated effect at
//   ±2 prior SD (the others 0) — the level's prediction is either ≈ 0 (below 1e-6 × the measured
//   concentration) or does not respond to the effects: its sensitivity
//   S = √(Σ_k (∂f/∂x_k · SD_k)²) / √Var, how many residual SDs the prediction moves when every effect
//   moves by one prior SD (f and Var on the scale of the likelihood, log with exponential error), is
//   below 1e-3. A level before the first dose, or many half-lives after the last one, is such a
//   level: the estimate then stays at the prior, or is dragged far into its tail, and either way the
//   level says nothing about this patient. Informative levels have S of order 1 or more.
// - Implausible level: |IWRES| > 4 at the estimate (a wrong time, unit or dose record is likelier
//   than a 4-SD residual); not repeated for a level already reported as uninformative.

import type { Model } from '../model/model.js';
import type { MapObjective } from './objective.js';

export type LevelWarningCode = 'W_LEVEL_UNINFORMATIVE' | 'W_LEVEL_IMPLAUSIBLE';

export interface LevelWarning {
  readonly code: LevelWarningCode;
  /** Index of the observation record in the records given (as in ipred / iwres). */
  readonly record: number;
  /** The record's data row (1-based, header = row 0), as error messages count them. */
  readonly row: number;
  readonly time: number;
  readonly message: string;
}

/** Effects are moved this many prior SDs from 0 to span the plausible patients. */
export const PLAUSIBLE_SD = 2;
/** Below this sensitivity (residual SDs per prior SD) a level carries no information. */
export const NEGLIGIBLE_SENSITIVITY = 1e-3;
/** A prediction below this fraction of the measured concentration counts as 0. */
export const NEGLIGIBLE_PREDICTION = 1e-6;
/** |IWRES| above this at the estimate: an implausible level. */
export const IMPLAUSIBLE_IWRES = 4;

const STEP = 1e-3;

export interface LevelCheckInput {
  readonly model: Model;
  readonly obj: MapObjective;
  /** IWRES per record at the estimate. */
  readonly iwres: Float64Array;
  /** Exponential error: DV is log(concentration) (the objective's logDv, default true). */
  readonly logDv?: boolean;
}

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

/** The warnings of one patient's estimate, in record order. */
export function levelWarnings({ model, obj, iwres, logDv = true }: LevelCheckInput): LevelWarning[] {
  const out: LevelWarning[] = [];
  const records = obj.records;
  const expo = model.residual?.model === 'exponential';
  const uninformative = obj.dim > 0 ? uninformativeLevels(obj, expo, logDv) : new Set<number>();
  obj.observations.forEach((r, k) => {
    if (obj.blq[k]) return;
    const rec = records[r] as (typeof records)[number];
    const where = `row ${rec.row} (TIME ${fmt(rec.TIME)}, DV ${fmt(rec.DV)})`;
    if (uninformative.has(r)) {
      out.push({
        code: 'W_LEVEL_UNINFORMATIVE',
        record: r,
        row: rec.row,
        time: rec.TIME,
        message:
          `${where}: the level carries no information about the parameters: for every plausible patient (random effects within ±${PLAUSIBLE_SD} SD) ` +
          'the model predicts ≈ 0 there, or a value that does not respond to them (a level before the first dose, or long after the last one?)',
      });
      return;
    }
    const w = iwres[r] as number;
    if (Math.abs(w) > IMPLAUSIBLE_IWRES) {
      out.push({
        code: 'W_LEVEL_IMPLAUSIBLE',
        record: r,
        row: rec.row,
        time: rec.TIME,
        message: `${where}: implausible level, |IWRES| = ${fmt(Math.abs(w))} > ${IMPLAUSIBLE_IWRES} at the estimate (a wrong time, unit or dose record?)`,
      });
    }
  });
  return out;
}

/** Records (indices) of the quantified levels that are uninformative at every plausible prior point. */
function uninformativeLevels(obj: MapObjective, expo: boolean, logDv: boolean): Set<number> {
  const dim = obj.dim;
  const nRec = obj.records.length;
  // centres: 0 and ±PLAUSIBLE_SD·SD_k e_k; around each, the central-difference stencil
  const centres: Float64Array[] = [new Float64Array(dim)];
  for (let k = 0; k < dim; k++)
    for (const s of [-1, 1]) {
      const c = new Float64Array(dim);
      c[k] = s * PLAUSIBLE_SD * (obj.priorSd[k] as number);
      centres.push(c);
    }
  const perCentre = 1 + 2 * dim;
  const xs = new Float64Array(centres.length * perCentre * dim);
  centres.forEach((c, i) => {
    const base = i * perCentre;
    xs.set(c, base * dim);
    for (let k = 0; k < dim; k++) {
      const h = STEP * (obj.priorSd[k] as number);
      xs.set(c, (base + 1 + 2 * k) * dim);
      xs[(base + 1 + 2 * k) * dim + k] = (c[k] as number) + h;
      xs.set(c, (base + 2 + 2 * k) * dim);
      xs[(base + 2 + 2 * k) * dim + k] = (c[k] as number) - h;
    }
  });
  const sim = obj.simulate(xs, centres.length * perCentre);
  const variances = centres.map((c) => obj.predict(c).variance);

  const found = new Set<number>();
  obj.observations.forEach((r, j) => {
    if (obj.blq[j]) return;
    const dv = (obj.records[r] as (typeof obj.records)[number]).DV;
    const measured = expo && logDv ? Math.exp(dv) : dv;
    const everywhere = centres.every((_, i) => {
      const base = i * perCentre;
      const f = sim.obs[base * nRec + r] as number;
      if (sim.ok[base] && Number.isFinite(f) && measured > 0 && Math.abs(f) <= NEGLIGIBLE_PREDICTION * measured) return true;
      const V = (variances[i] as Float64Array)[r] as number;
      if (!(V > 0)) return false;
      let s2 = 0;
      for (let k = 0; k < dim; k++) {
        const up = sim.obs[(base + 1 + 2 * k) * nRec + r] as number;
        const dn = sim.obs[(base + 2 + 2 * k) * nRec + r] as number;
        if (!sim.ok[base + 1 + 2 * k] || !sim.ok[base + 2 + 2 * k]) return false;
        const tu = expo ? Math.log(up) : up;
        const td = expo ? Math.log(dn) : dn;
        // a difference quotient over 2h in x, times SD_k: (tu − td)/(2·STEP)
        const d = (tu - td) / (2 * STEP);
        if (!Number.isFinite(d)) return false;
        s2 += d * d;
      }
      return Math.sqrt(s2 / V) < NEGLIGIBLE_SENSITIVITY;
    });
    if (everywhere) found.add(r);
  });
  return found;
}
