// The TDM part of the strategy comparison: the regimen up to the levels, residual error drawn as
// the model's residual model says, and each patient's history as one row block of a cohort
// estimation task (src/bayes/task.ts: a numeric table over named columns), so that 100,000
// patients cross to the workers as a few flat arrays instead of 100,000 record lists.

import { Errors } from '../../errors.js';
import type { Residual } from '../../model/model.js';
import { recordFromItems } from '../../regimen/nmtran.js';
import { DURATION_ITEM, type DataRecord } from '../../regimen/record.js';

export interface TdmSchedule {
  /** Sampling times (h after the first dose), ascending. */
  readonly times: readonly number[];
  readonly interval: number;
  readonly infusion: number;
  readonly cmt: number;
  /** Doses before the last level: at 0, τ, …, (doses − 1)·τ (every dose time < the last level). */
  readonly doses: number;
}

/** The dosing schedule up to the levels: every dose time strictly before the last level. */
export function tdmSchedule(times: readonly number[], interval: number, infusion: number, cmt: number): TdmSchedule {
  if (times.length === 0) throw Errors.option('times', 'TDM design: give at least one sampling time');
  const sorted = [...times].sort((a, b) => a - b);
  sorted.forEach((t, i) => {
    if (!(Number.isFinite(t) && t > 0)) throw Errors.option('times', `TDM design: sampling times must be > 0 h after the first dose (got ${t})`);
    if (i > 0 && t === sorted[i - 1]) throw Errors.option('times', `TDM design: sampling time ${t} h given twice`);
  });
  const last = sorted[sorted.length - 1] as number;
  const doses = Math.max(1, Math.ceil(last / interval - 1e-9));
  return { times: sorted, interval, infusion, cmt, doses };
}

/**
 * Standard deviation of a simulated level's residual error at prediction f (additive-type models;
 * not exponential): the model's own, so a level predicted at 0 under proportional error is 0 (the
 * likelihood's f = 0 → 1 guard of src/model/residual.ts is not the model's, see there).
 */
export function residualSd(r: Residual, f: number): number {
  const w = f;
  switch (r.model) {
    case 'additive':
      return r.additive;
    case 'proportional':
      return r.proportional * w;
    case 'combined':
      return Math.sqrt(r.additive * r.additive + r.proportional * r.proportional * w * w);
    case 'combined1':
      return r.additive + r.proportional * w;
    case 'exponential':
      return r.exponential;
  }
}

/**
 * A measured level: the true concentration f plus residual error from a standard normal z. With
 * exponential error the level is f·exp(σz) and the returned DV is its log (log-scale data, as the
 * MAP objective expects by default).
 */
export function measuredLevel(r: Residual, f: number, z: number): { level: number; dv: number } {
  if (r.model === 'exponential') {
    const level = f * Math.exp(r.exponential * z);
    return { level, dv: Math.log(level) };
  }
  const level = f + residualSd(r, f) * z;
  return { level, dv: level };
}

// the duration a dose was given with (DURATION_ITEM): the simulated truth ran it under F, so must the estimate
export const TDM_COLUMNS = ['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'MDV', 'DV', 'BLQ', 'LLOQ', DURATION_ITEM] as const;

/**
 * Writes one patient's records (the dose record, then one row per level) into `rows` at row `at`,
 * over `columns` = TDM_COLUMNS followed by the covariate names. Returns the number of rows written.
 */
export function writePatientRows(
  rows: Float64Array,
  at: number,
  columns: number,
  s: TdmSchedule,
  id: number,
  dose: number,
  dv: ArrayLike<number>,
  blq: ArrayLike<number>,
  lloq: number,
  covariates: ArrayLike<number>,
): number {
  const nc = TDM_COLUMNS.length;
  const put = (r: number, vals: readonly number[]): void => {
    const o = (at + r) * columns;
    for (let j = 0; j < nc; j++) rows[o + j] = vals[j] as number;
    for (let j = 0; j < covariates.length; j++) rows[o + nc + j] = covariates[j] as number;
  };
  const rate = s.infusion > 0 ? dose / s.infusion : 0;
  put(0, [id, 0, 1, dose, s.cmt, rate, s.doses - 1, s.doses > 1 ? s.interval : 0, 0, 1, NaN, 0, lloq, s.infusion > 0 ? s.infusion : NaN]);
  s.times.forEach((t, k) => put(1 + k, [id, t, 0, 0, 0, 0, 0, 0, 0, 0, dv[k] as number, blq[k] as number, lloq, NaN]));
  return 1 + s.times.length;
}

/** One patient's records as DataRecords (for estimate(), forecasts and reports). */
export function patientRecords(
  s: TdmSchedule,
  dose: number,
  dv: ArrayLike<number>,
  blq: ArrayLike<number>,
  lloq: number,
  covariateNames: readonly string[],
  covariates: ArrayLike<number>,
  id = 1,
): DataRecord[] {
  const columns = [...TDM_COLUMNS, ...covariateNames];
  const rows = new Float64Array((1 + s.times.length) * columns.length);
  const n = writePatientRows(rows, 0, columns.length, s, id, dose, dv, blq, lloq, covariates);
  const out: DataRecord[] = [];
  for (let r = 0; r < n; r++) {
    const items: Record<string, number> = {};
    columns.forEach((c, j) => (items[c] = rows[r * columns.length + j] as number));
    out.push(recordFromItems(items, r + 1, 'TDM'));
  }
  return out;
}
