// Levels a chart codes in a way the fit reads literally, warned about instead of fitted silently
// (the codes and the rows go into the estimate's warnings, as W_LEVEL_ZERO's do):
//
// - W_LEVEL_AFTER_DOSE: a level on a row after a dose at the same time is the level just after
//   that dose (NONMEM's record order, kept); a chart sorted "administration before lab" puts a
//   trough there, and a gentamicin trough of 1.1 was fitted against the post-dose peak of 20.97
//   (CL 3.516, SE 1.028, for 3.368, SE 0.722, with the level first). Warned only where the dose
//   moves the level's prediction: a bolus into the observed compartment, not an infusion's start
//   or an oral dose, which change nothing at that instant.
// - W_LEVEL_NEGATIVE: a level < 0 fitted as measured (not BLQ, not on the log scale): a lab's "not
//   detected" code (−1) gave CL 3.487 where without it 2.881 and coded BLQ < 5 3.362. Warned, not
//   refused: simulated data with additive error have negative levels legitimately.
// - W_BLQ_ABOVE_LLOQ: a BLQ 1 record whose DV is above its LLOQ is censored at the LLOQ, the DV
//   unread (DV 14.2, BLQ 1, LLOQ 5: CL 3.668 where read as measured 3.362).
// - W_LEVEL_DUPLICATE: two levels of one output at one time: replicates, legal in NONMEM, but a
//   chart's copied row (V 52.0 for 55.5) or a mistimed level (36.5 and 12.1 at 09:50: V 77.6) as often.

import type { Model } from '../model/model.js';
import { dataItem, isDose, type DataRecord } from '../regimen/record.js';
import { recordOutput } from '../engine/outputs.js';
import { mapObjective, type MapObjective, type ObjectiveOptions } from './objective.js';
import type { MapWarning } from './warnings.js';

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

/** "row 3", "rows 3, 7", "rows 1, 2, 3, 4, 5 and 2 more". */
function rowsText(rows: readonly number[]): string {
  const shown = rows.length > 5 ? `${rows.slice(0, 5).join(', ')} and ${rows.length - 5} more` : rows.join(', ');
  return `row${rows.length === 1 ? '' : 's'} ${shown}`;
}

/** A dose moves a prediction at its own time by more than this fraction of the larger of the two. */
const JUMP = 1e-3;

/**
 * W_LEVEL_AFTER_DOSE, one per level: the levels fitted after a dose at their own time, whose
 * prediction at the estimate x differs when the level is put before its time's doses (the same
 * records reordered, one more prediction).
 */
export function levelAfterDoseWarnings(model: Model, obj: MapObjective, x: ArrayLike<number>, ipred: ArrayLike<number>, options: ObjectiveOptions): MapWarning[] {
  const records = obj.records;
  const after = new Map<number, number[]>();
  let doses: number[] = [];
  records.forEach((r, i) => {
    if (i > 0 && r.TIME !== (records[i - 1] as DataRecord).TIME) doses = [];
    if (isDose(r)) doses.push(i);
    else if (doses.length > 0 && r.EVID === 0) after.set(i, [...doses]);
  });
  const fitted = Array.from(obj.observations).filter((i) => after.has(i));
  if (fitted.length === 0) return [];
  const moving = new Set(fitted);
  // each such level moved before the first dose of its time
  const order: number[] = [];
  records.forEach((_, i) => {
    if (moving.has(i)) return;
    for (const j of fitted) if ((after.get(j) as number[])[0] === i) order.push(j);
    order.push(i);
  });
  let before: Float64Array;
  try {
    const moved = mapObjective(model, order.map((i) => records[i] as DataRecord), options);
    before = moved.predict(x).ipred;
  } catch {
    return [];
  }
  const out: MapWarning[] = [];
  for (const j of fitted) {
    const f = ipred[j] as number;
    const b = before[order.indexOf(j)] as number;
    if (!Number.isFinite(f) || !Number.isFinite(b) || !(Math.abs(f - b) > JUMP * Math.max(Math.abs(f), Math.abs(b)))) continue;
    const r = records[j] as DataRecord;
    const ds = (after.get(j) as number[]).map((i) => (records[i] as DataRecord).row);
    out.push({
      code: 'W_LEVEL_AFTER_DOSE',
      message:
        `row ${r.row} (TIME ${fmt(r.TIME)}, DV ${fmt(r.DV)}) follows the dose of ${rowsText(ds)} at the same time and is fitted as the level just after it, against IPRED ${fmt(f)}, where before the dose it is ${fmt(b)}: ` +
        'records at one time are read in their order (as NONMEM does); if the sample was drawn before the dose (a trough in a chart sorted administration before lab), put its row before the dose\'s',
    });
  }
  return out;
}

/** W_LEVEL_NEGATIVE: levels below 0 fitted as measured (not BLQ, not on the log scale, where they are levels below 1). */
export function negativeLevelWarning(obj: Pick<MapObjective, 'records' | 'observations' | 'blq' | 'logScale'>): MapWarning | undefined {
  const rows: string[] = [];
  obj.observations.forEach((i, k) => {
    const r = obj.records[i] as DataRecord;
    if (!obj.blq[k] && !obj.logScale[k] && r.DV < 0) rows.push(`row ${r.row} (DV ${fmt(r.DV)})`);
  });
  if (rows.length === 0) return undefined;
  return {
    code: 'W_LEVEL_NEGATIVE',
    message:
      `${rows.join(', ')}: a negative level is fitted as measured, which no assay reports (a lab's "not detected" code?); ` +
      'a level below the limit of quantification is coded BLQ 1 with its LLOQ (columns BLQ and LLOQ, DV the limit or .), a sample without a level MDV 1; simulated levels with additive error may be negative, and are then as meant',
  };
}

/** W_BLQ_ABOVE_LLOQ: BLQ records whose DV is above their LLOQ (on one scale, DV's), censored at the LLOQ with the DV unread. */
export function blqAboveLimitWarning(obj: Pick<MapObjective, 'records' | 'observations' | 'blq'>, blq: ObjectiveOptions['blq']): MapWarning | undefined {
  if (blq === false) return undefined;
  const flag = blq?.flag ?? 'BLQ';
  const lloq = blq?.lloq ?? 'LLOQ';
  const rows: string[] = [];
  obj.observations.forEach((i, k) => {
    const r = obj.records[i] as DataRecord;
    const limit = dataItem(r.items, lloq);
    if (obj.blq[k] && Number.isFinite(limit) && r.DV > limit) rows.push(`row ${r.row} (DV ${fmt(r.DV)}, ${flag} 1, ${lloq} ${fmt(limit)})`);
  });
  if (rows.length === 0) return undefined;
  return {
    code: 'W_BLQ_ABOVE_LLOQ',
    message:
      `${rows.join(', ')}: flagged below the limit of quantification with a DV above the limit: censored at the ${lloq}, the DV unread; which is meant? ` +
      `a measured level is ${flag} 0, a level below the limit keeps DV at the limit or .`,
  };
}

/** W_LEVEL_DUPLICATE: two or more fitted levels of one output at one time (replicates, or a copied or mistimed row). */
export function duplicateLevelWarning(model: Model, obj: Pick<MapObjective, 'records' | 'observations'>): MapWarning | undefined {
  const groups = new Map<string, DataRecord[]>();
  for (const i of obj.observations) {
    const r = obj.records[i] as DataRecord;
    let output: number;
    try {
      output = recordOutput(model, r)?.dvid ?? (r.CMT > 0 ? r.CMT : model.observeCompartment);
    } catch {
      output = r.CMT;
    }
    const key = `${r.TIME}|${output}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const dups = [...groups.values()].filter((g) => g.length > 1);
  if (dups.length === 0) return undefined;
  const text = dups.map((g) => `rows ${g.map((r) => r.row).join(', ')} (TIME ${fmt((g[0] as DataRecord).TIME)}, DV ${g.map((r) => (Number.isFinite(r.DV) ? fmt(r.DV) : '.')).join(', ')})`);
  return {
    code: 'W_LEVEL_DUPLICATE',
    message:
      `${text.join('; ')}: levels of one output at one time, each fitted (replicates, as NONMEM fits them): ` +
      'a row copied twice counts its level twice, and two different levels at one time usually mean one of them was charted at the wrong time; remove the copy or correct the time',
  };
}
