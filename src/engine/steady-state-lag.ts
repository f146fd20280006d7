// A steady-state dose whose lag is a whole interval or longer (ALAG ≥ II). dosewise gives the
// periodic state of the dose train shifted by the lag: every earlier dose still in transit arrives
// on schedule (regimen/compile.ts). NONMEM 7.6 is reported to clamp instead (the record carries
// the steady-state peak, no dose arrives before TIME + ALAG; an infusion then delivers more than
// its amount), which dosewise does not copy: up to 2.5× apart at the record (CL 5, V 50, ALAG 15,
// II 12). The conformance tables hold lags below II only, so the difference is said where it arises.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';

/** A warning naming the first SS dose record whose lag (η = 0) is at least its II. */
export function steadyStateLagWarnings(model: Pick<Model, 'evaluate'>, records: readonly DataRecord[], file?: string, defaultDoseCmt = 1, at?: Int32Array): string[] {
  let first: DataRecord | undefined;
  let lag = 0;
  let count = 0;
  // indexed: run once per call, this loop is seldom optimized, and for-of then allocated an iterator
  // result per record (2.3 MB per simulate() of 2,000 subjects' own records); `at`: the positions to
  // read (at least every dose with SS > 0), all where absent
  const n = at ? at.length : records.length;
  for (let k = 0; k < n; k++) {
    const r = records[at ? (at[k] as number) : k] as DataRecord;
    if (!((r.EVID === 1 || r.EVID === 4) && r.SS > 0 && r.II > 0)) continue;
    let L: number;
    try {
      L = model.evaluate(r.items, {}, r.row).lag[(r.CMT === 0 ? defaultDoseCmt : r.CMT) - 1] ?? 0;
    } catch {
      continue; // what the record lacks is refused where it is simulated
    }
    if (!(L >= r.II)) continue;
    count++;
    if (first === undefined) {
      first = r;
      lag = L;
    }
  }
  if (first === undefined) return [];
  const where = `${file ? `${file}, ` : ''}row ${first.row} (ID ${first.ID}, TIME ${first.TIME})`;
  const more = count > 1 ? ` (and ${count - 1} more)` : '';
  return [
    `${where}${more}: SS=${first.SS} with a lag of ${lag} h, at least its II of ${first.II} h. dosewise gives the periodic state of the dose train shifted by the lag (the doses given before TIME still in transit arrive on schedule); NONMEM 7.6 is reported to clamp instead (the record carries the steady-state peak and no dose arrives before TIME + lag), so the two differ before the first arrival and after it.`,
  ];
}
