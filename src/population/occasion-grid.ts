// An occasion (IOV) runs from its dose to the next one's, whatever times are asked. Under NOCB a
// record's values govern the interval ending at it, so the stretch from the last record before a
// dose that opens an occasion to that dose ran on the new occasion's κ: which κ a stretch had then
// depended on the samples asked for. A population's regimen with doses at 0 h (OCC 1) and 24 h (OCC 2)
// ran 12–24 h on κ₂ with samples at [12, 36] and on κ₁ with [12, 23.9, 36]: trough:0:24 SD 0.997 or
// 1.078 (exact 1.079), PTA trough 4–6 40.6 % or 39.1 % (exact 39.50 %), conc@36 up to 11 % apart.

import { DURATION_ITEM, PRE_DOSE_ITEM, type DataRecord } from '../regimen/record.js';
import { recordFromItems } from '../regimen/nmtran.js';
import type { MetricGrid } from './metric-grid.js';

const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);

/**
 * The metric grid with every occasion running from its dose (or reset) to the next one's. Only the
 * rows from `fittedEnd` on whose original record `fromFuture` marks 1 are moved: a forecast's future
 * past the fitted history (whose course stays the one the estimate fitted); a population's whole
 * regimen (all 1, −Infinity). Forecast: C(84) 5 % 4.073 with samples at 60 and 84 h, 4.142 with a
 * grid to 72 h (κ of occasion 4 over 60–72 h, or of 3). `file` names the records' source in a refusal
 * of an added sample. Under NOCB:
 * - a sample the grid added that such a dose or reset governs (it copied that record's items)
 *   takes the occasion of the row before it instead, as a future sample there does (occasionsBefore);
 * - such a dose or reset on another occasion than the row before it, with no row at its time
 *   before it, gets a sample there on the earlier occasion (the dose's other items), so that the
 *   interval up to the dose is the earlier occasion's whatever was asked.
 * An occasion thus runs from its dose to the next one's, the pharmacometric reading of OCC.
 */
export function doseOccasionGrid(grid: MetricGrid, fromFuture: ArrayLike<number>, col: string | undefined, fittedEnd: number, timeVarying: 'nocb' | 'locf', file = 'future regimen'): MetricGrid {
  if (col === undefined || timeVarying !== 'nocb') return grid;
  const recs = grid.records;
  // the next original record at or after each row: the one whose items an added sample copied
  const next = new Int32Array(recs.length);
  for (let q = recs.length - 1, at = -1; q >= 0; q--) next[q] = (grid.source[q] as number) >= 0 ? (at = q) : at;
  const futureDose = (q: number): boolean => {
    const s = grid.source[q] as number;
    const r = recs[q] as DataRecord;
    return s >= 0 && fromFuture[s] === 1 && r.EVID !== 0 && r.EVID !== 2;
  };
  const out: DataRecord[] = [];
  const source: number[] = [];
  const edgeOnly: number[] = [];
  let changed = false;
  let last: number | undefined; // the occasion of the latest row, as filled
  for (let q = 0; q < recs.length; q++) {
    let r = recs[q] as DataRecord;
    const g = next[q] as number;
    const past = r.TIME >= fittedEnd && last !== undefined;
    if (past && (grid.source[q] as number) < 0 && g >= 0 && futureDose(g) && r.items[col] !== last) {
      r = { ...r, items: { ...r.items, [col]: last as number } };
      changed = true;
    } else if (past && futureDose(q) && given(r.items[col]) && r.items[col] !== last && !(q > 0 && (recs[q - 1] as DataRecord).TIME === r.TIME)) {
      // what describes the dose itself (its kept duration, a pre-dose mark) is not the sample's
      const items: Record<string, number> = {};
      for (const k in r.items) if (k !== PRE_DOSE_ITEM && k !== DURATION_ITEM) items[k] = r.items[k] as number;
      Object.assign(items, { ID: r.ID, TIME: r.TIME, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 1, DV: NaN, [col]: last as number });
      out.push(recordFromItems(items, r.row, file));
      source.push(-1);
      edgeOnly.push(0);
      changed = true;
    }
    out.push(r);
    source.push(grid.source[q] as number);
    edgeOnly.push(grid.edgeOnly?.[q] ?? 0);
    if (given(r.items[col])) last = r.items[col];
  }
  if (!changed) return grid;
  const added = source.filter((s) => s < 0).length;
  return { records: out, source: Int32Array.from(source), added, ...(edgeOnly.includes(1) ? { edgeOnly: Int32Array.from(edgeOnly) } : {}) };
}
