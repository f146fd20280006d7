// Levels a chart codes in a way the fit reads literally, warned about instead of fitted silently
// (the codes and the rows go into the estimate's warnings, as W_LEVEL_ZERO's do):
//
// - W_LEVEL_AFTER_DOSE: a level on a row after a dose at the same time is the level just after
//   that dose (NONMEM's record order, kept); a chart sorted "administration before lab" puts a
//   trough there, and a gentamicin trough of 1.1 was fitted against the post-dose peak of 20.97
//   (CL 3.516, SE 1.028, for 3.368, SE 0.722, with the level first). Warned only where the dose
//   moves the level's prediction: a bolus into the observed compartment, not an infusion's start
//   or an oral dose, which change nothing at that instant. An ADDL copy at the level's time counts
//   as a dose row above it (the compiler puts it before every record at its time); after an SS dose
//   the level before it is the steady-state trough, not what the rows before give.
// - W_LEVEL_NEGATIVE: a level < 0 fitted as measured (not BLQ, not on the log scale): a lab's "not
//   detected" code (−1) gave CL 3.487 where without it 2.881 and coded BLQ < 5 3.362. Warned, not
//   refused: simulated data with additive error have negative levels legitimately. Only outputs
//   that are concentrations (their unit mass or amount per volume; without a unit, the first
//   output): a PD response may be below 0.
// - W_BLQ_ABOVE_LLOQ: a BLQ 1 record whose DV is above its LLOQ is censored at the LLOQ, the DV
//   unread (DV 14.2, BLQ 1, LLOQ 5: CL 3.668 where read as measured 3.362).
// - W_LEVEL_DUPLICATE: two levels of one output at one time: replicates, legal in NONMEM, but a
//   chart's copied row (V 52.0 for 55.5) or a mistimed level (36.5 and 12.1 at 09:50: V 77.6) as often.
//   Not said of levels with a dose row between them (a trough, the push, the level after it, at one
//   minute): each is fitted against its own prediction, so they are not replicates.

import type { Model } from '../model/model.js';
import { dataItem, givenAddl, isDose, type DataRecord } from '../regimen/record.js';
import { recordOutput } from '../engine/outputs.js';
import { mapObjective, type MapObjective, type ObjectiveOptions } from './objective.js';
import { timeText, type MapWarning } from './warnings.js';
import { isConcentrationUnit, levelUnit } from './level-units.js';
import { DATE_COLUMNS } from '../regimen/clock.js';
import { chartedOnClock } from '../regimen/clock-records.js';

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

/** "row 3", "rows 3, 7", "rows 1, 2, 3, 4, 5 and 2 more". */
function rowsText(rows: readonly number[]): string {
  const shown = rows.length > 5 ? `${rows.slice(0, 5).join(', ')} and ${rows.length - 5} more` : rows.join(', ');
  return `row${rows.length === 1 ? '' : 's'} ${shown}`;
}

/** A dose moves a prediction at its own time by more than this fraction of the larger of the two. */
const JUMP = 1e-3;

/** An ADDL copy of record `dose` (its k-th) at a level's time. */
interface Copy {
  readonly dose: number;
  readonly k: number;
}

/** Whether two record times are one (an ADDL copy's time is TIME + k·II in floating point). */
const sameTime = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The ADDL copies given at time t, which the event compiler puts before every record at their time
 * (NONMEM's implied doses): a level there is read after them as after a dose row above it (400 mg
 * at 0 h II 24 ADDL 2, a level at 48 h: IPRED 13.27 where before the copy it is 0.29, CL 4.900 for
 * 3.790, unwarned where the same dose charted as a row was warned).
 */
function copiesAt(records: readonly DataRecord[], t: number, before: number): Copy[] {
  const out: Copy[] = [];
  for (let i = 0; i < before; i++) {
    const d = records[i] as DataRecord;
    if (!isDose(d) || !(d.II > 0) || !(d.ADDL > 0) || !(d.TIME < t)) continue;
    const k = Math.round((t - d.TIME) / d.II);
    if (k >= 1 && k <= givenAddl(records, i) && sameTime(d.TIME + k * d.II, t)) out.push({ dose: i, k });
  }
  return out;
}

/**
 * The records with level j read before the doses at its time: moved before the first dose row of
 * its time, and each ADDL copy at its time split off (the record's copies ending before it, the
 * rest a dose row after the level).
 */
function levelFirst(records: readonly DataRecord[], j: number, rows: readonly number[], copies: readonly Copy[]): { records: DataRecord[]; at: number } {
  const out: DataRecord[] = [];
  let at = -1;
  const level = records[j] as DataRecord;
  const put = (): void => {
    at = out.length;
    out.push(level);
    for (const c of copies) {
      const d = records[c.dose] as DataRecord;
      const rest = d.ADDL - c.k;
      out.push({ ...d, TIME: level.TIME, SS: 0, ADDL: rest, II: rest > 0 ? d.II : 0 });
    }
  };
  records.forEach((r, i) => {
    if (i === j) {
      if (at < 0) put();
      return;
    }
    if (at < 0 && i === rows[0]) put();
    const c = copies.find((x) => x.dose === i);
    out.push(c ? { ...r, ADDL: c.k - 1, II: c.k - 1 > 0 || r.SS > 0 ? r.II : 0 } : r);
  });
  return { records: out, at };
}

/**
 * The steady-state trough of SS dose `d` (SS 1) for level j: the level one interval after the dose
 * given alone at steady state (SS 1 resets what came before, so nothing else adds).
 */
function steadyStateTrough(model: Model, d: DataRecord, level: DataRecord, x: ArrayLike<number>, options: ObjectiveOptions): number {
  const alone = [{ ...d, TIME: 0, ADDL: 0 }, { ...level, TIME: d.II }];
  return mapObjective(model, alone, options).predict(x).ipred[1] as number;
}

/**
 * W_LEVEL_AFTER_DOSE, one per level: the levels fitted after a dose at their own time (a dose row
 * above them or an ADDL copy), whose prediction at the estimate x differs when the level is read
 * before its time's doses (the same records reordered, one more prediction).
 */
export function levelAfterDoseWarnings(model: Model, obj: MapObjective, x: ArrayLike<number>, ipred: ArrayLike<number>, options: ObjectiveOptions): MapWarning[] {
  const records = obj.records;
  const after = new Map<number, number[]>();
  let doses: number[] = [];
  records.forEach((r, i) => {
    if (i > 0 && r.TIME !== (records[i - 1] as DataRecord).TIME) doses = [];
    if (isDose(r)) doses.push(i);
    else if (r.EVID === 0) after.set(i, [...doses]);
  });
  const out: MapWarning[] = [];
  // a chart of dates and clock times holds no elapsed hours: "chart the dose at TIME 48" or "an SS
  // dose at TIME -12" cannot be written in it, so its advice is given in words
  // (a data set's records share its columns: the first one's tell), as is one of timestamps or clock times in TIME
  const clock = Object.keys(records[0]?.items ?? {}).some((c) => c.toUpperCase() in DATE_COLUMNS) || chartedOnClock(records);
  for (const j of Array.from(obj.observations)) {
    const rows = after.get(j);
    if (rows === undefined) continue;
    const r = records[j] as DataRecord;
    const copies = copiesAt(records, r.TIME, j);
    if (rows.length === 0 && copies.length === 0) continue;
    let b: number;
    try {
      const moved = levelFirst(records, j, rows, copies);
      b = mapObjective(model, moved.records, options).predict(x).ipred[moved.at] as number;
    } catch {
      continue;
    }
    const f = ipred[j] as number;
    if (!Number.isFinite(f) || !Number.isFinite(b) || !(Math.abs(f - b) > JUMP * Math.max(Math.abs(f), Math.abs(b)))) continue;
    const named = [...copies.map((c) => `row ${(records[c.dose] as DataRecord).row} (its ADDL copy at ${fmt(r.TIME)} h)`), ...(rows.length > 0 ? [rowsText(rows.map((i) => (records[i] as DataRecord).row))] : [])];
    const head = `row ${r.row} (TIME ${timeText(r.TIME)}, DV ${fmt(r.DV)}) follows the dose of ${named.join(' and ')} at the same time and is fitted as the level just after it, against IPRED ${fmt(f)}`;
    // a level put before an SS dose's row reads the doses charted before it (often none: 0), not the
    // steady state the dose stands for: "before the dose it is 0, put its row first" fitted it against 0
    const ss = rows.map((i) => records[i] as DataRecord).find((d) => d.SS === 1 && d.II > 0);
    let trough = NaN;
    if (ss) {
      try {
        trough = steadyStateTrough(model, ss, r, x, options);
      } catch {
        trough = NaN;
      }
    }
    // an SS infusion's start moves no level: the level after it is its steady-state trough, fitted
    // right, and "before the dose it is 16.6, the steady-state trough" was warned against IPRED 16.6
    if (ss && Number.isFinite(trough) && !(Math.abs(f - trough) > JUMP * Math.max(Math.abs(f), Math.abs(trough)))) continue;
    let message: string;
    if (ss && Number.isFinite(trough))
      message =
        `${head}, where before the dose it is ${fmt(trough)}, the steady-state trough of the SS dose (${fmt(ss.II)} h after each of its doses): records at one time are read in their order (as NONMEM does), and a level put before an SS dose's row reads the doses charted before it (${fmt(b)}), not the steady state; ` +
        `if the sample was drawn before the dose, chart the steady state as an SS dose ${clock ? `dated one interval (${fmt(ss.II)} h) before this dose` : `at TIME ${timeText(ss.TIME - ss.II)}`} (II ${fmt(ss.II)}), then the level, then this dose without SS`;
    else if (copies.length > 0) {
      const c = copies[0] as Copy;
      const d = records[c.dose] as DataRecord;
      message =
        `${head}, where before the dose it is ${fmt(b)}: records at one time are read in their order, an ADDL copy before every record at its time (as NONMEM does); ` +
        `if the sample was drawn before the dose, end row ${d.row}'s copies before it (ADDL ${c.k - 1}) and chart the dose ${clock ? "as a row of its own at the level's date and clock time," : `at TIME ${timeText(r.TIME)} as a row`} after the level's (ADDL ${d.ADDL - c.k}${d.ADDL - c.k > 0 ? `, II ${fmt(d.II)}` : ''})`;
    } else
      message =
        `${head}, where before the dose it is ${fmt(b)}: ` +
        "records at one time are read in their order (as NONMEM does); if the sample was drawn before the dose (a trough in a chart sorted administration before lab), put its row before the dose's";
    out.push({ code: 'W_LEVEL_AFTER_DOSE', message });
  }
  return out;
}

/**
 * Whether a negative value of record r's output is no level an assay reports: an output in a unit
 * of concentration (mass or amount per volume); where the model gives no unit, its first output
 * (the lowest DVID, the PK output) or the model's only one. A PD response (an effect in % from a
 * baseline of −2.1) is legitimately below 0, and was warned.
 */
function isConcentrationOutput(model: Model, r: DataRecord): boolean {
  const unit = levelUnit(model, r);
  if (unit !== undefined) return isConcentrationUnit(unit);
  if (!model.outputs) return true;
  try {
    return recordOutput(model, r)?.dvid === Math.min(...model.outputs.keys());
  } catch {
    return true;
  }
}

/** W_LEVEL_NEGATIVE: levels below 0 fitted as measured (not BLQ, not on the log scale, where they are levels below 1), of outputs that are concentrations. */
export function negativeLevelWarning(obj: Pick<MapObjective, 'model' | 'records' | 'observations' | 'blq' | 'logScale'>): MapWarning | undefined {
  const rows: string[] = [];
  obj.observations.forEach((i, k) => {
    const r = obj.records[i] as DataRecord;
    if (!obj.blq[k] && !obj.logScale[k] && r.DV < 0 && isConcentrationOutput(obj.model, r)) rows.push(`row ${r.row} (DV ${fmt(r.DV)})`);
  });
  if (rows.length === 0) return undefined;
  return {
    code: 'W_LEVEL_NEGATIVE',
    message:
      `${rows.join(', ')}: a negative level is fitted as measured, which no assay reports (a lab's "not detected" code?); ` +
      'a level below the limit of quantification is coded BLQ 1 with its LLOQ (columns BLQ and LLOQ, DV the limit or .), a sample without a level MDV 1; simulated levels with additive error may be negative, and are then as meant',
  };
}

/** A BLQ record's DV within this fraction of its LLOQ is at the limit. */
const BLQ_TOLERANCE = 1e-6;

/** W_BLQ_ABOVE_LLOQ: BLQ records whose DV is above their LLOQ (on one scale, DV's), censored at the LLOQ with the DV unread. */
export function blqAboveLimitWarning(obj: Pick<MapObjective, 'records' | 'observations' | 'blq'>, blq: ObjectiveOptions['blq']): MapWarning | undefined {
  if (blq === false) return undefined;
  const flag = blq?.flag ?? 'BLQ';
  const lloq = blq?.lloq ?? 'LLOQ';
  const rows: string[] = [];
  obj.observations.forEach((i, k) => {
    const r = obj.records[i] as DataRecord;
    const limit = dataItem(r.items, lloq);
    // a DV written to the limit's digits (1.0000001 for 1) is the limit
    if (obj.blq[k] && Number.isFinite(limit) && r.DV - limit > BLQ_TOLERANCE * Math.abs(limit)) rows.push(`row ${r.row} (DV ${fmt(r.DV)}, ${flag} 1, ${lloq} ${fmt(limit)})`);
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
  // Dose rows above each record at its time: levels on either side of one (a trough, the push, the
  // level after it, all at 08:00) are fitted against different predictions (gentamicin 0.7291 and
  // 19.69), no replicates; W_LEVEL_AFTER_DOSE speaks of the one after the dose.
  const dosesAbove: number[] = [];
  obj.records.forEach((r, i) => {
    const prev = i > 0 ? (obj.records[i - 1] as DataRecord) : undefined;
    const above = prev && prev.TIME === r.TIME ? (dosesAbove[i - 1] as number) + (isDose(prev) ? 1 : 0) : 0;
    dosesAbove.push(above);
  });
  const groups = new Map<string, DataRecord[]>();
  for (const i of obj.observations) {
    const r = obj.records[i] as DataRecord;
    let output: number;
    try {
      output = recordOutput(model, r)?.dvid ?? (r.CMT > 0 ? r.CMT : model.observeCompartment);
    } catch {
      output = r.CMT;
    }
    const key = `${r.TIME}|${output}|${dosesAbove[i] as number}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const dups = [...groups.values()].filter((g) => g.length > 1);
  if (dups.length === 0) return undefined;
  const text = dups.map((g) => `rows ${g.map((r) => r.row).join(', ')} (TIME ${timeText((g[0] as DataRecord).TIME)}, DV ${g.map((r) => (Number.isFinite(r.DV) ? fmt(r.DV) : '.')).join(', ')})`);
  return {
    code: 'W_LEVEL_DUPLICATE',
    message:
      `${text.join('; ')}: levels of one output at one time, each fitted (replicates, as NONMEM fits them): ` +
      'a row copied twice counts its level twice, and two different levels at one time usually mean one of them was charted at the wrong time; remove the copy or correct the time',
  };
}
