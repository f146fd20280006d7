// The limit of each BLQ (M3) observation as the data give it, read as the objective reads it (its
// flag column 1, the LLOQ column when a number, else DV; on DV's scale), for what shows levels to a
// reader: estimate's table, and the reports' level tables and charts. Those read DV alone and showed
// a BLQ level as a measured 0 (DV 0), as missing (DV .) or as measured at its limit (DV = LLOQ),
// while the fit censored it.

import { blqFlag, dataItem, type DataRecord } from '../regimen/record.js';
import type { ObjectiveOptions } from './objective.js';

/** Per record: a BLQ observation's limit, NaN for every other record (all NaN with `blq` false). */
export function blqLimitsOf(records: readonly DataRecord[], blq: ObjectiveOptions['blq'], file?: string): number[] {
  if (blq === false) return records.map(() => NaN);
  const flag = blq?.flag ?? 'BLQ';
  const column = blq?.lloq ?? 'LLOQ';
  return records.map((r) => {
    if (r.EVID !== 0 || r.MDV !== 0 || !blqFlag(r, flag, file)) return NaN;
    const lloq = dataItem(r.items, column);
    return Number.isFinite(lloq) ? lloq : r.DV;
  });
}
