// The scale of a measured level as the reports show it. With exponential (log-scale) residual error
// DV and a BLQ limit are ln(concentration) (the objective's logDv, the only reading of the command
// line), while the charts and the level tables are in concentration units beside IPRED: such a DV
// showed as itself, 2.887 on the mg/L axis beside IPRED 19.26 for a level of e^2.887 = 17.94 mg/L,
// and a limit of e^0 = 1 mg/L as "< 0". Per record, as a parent on the log scale may sit beside a
// metabolite on the linear one.

import { recordResidual } from '../engine/outputs.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';

/** Whether record r's DV (and BLQ limit) is ln(concentration): an observation whose residual error is exponential. */
export function logScaleLevel(model: Model, r: DataRecord): boolean {
  if (r.EVID !== 0) return false;
  try {
    return recordResidual(model, r)?.model === 'exponential';
  } catch {
    // a record the fit refuses (an unknown DVID) is not shown; read it as written
    return false;
  }
}

/** A DV or BLQ limit `v` of record r in concentration units (exp of a log-scale value). */
export function levelConcentration(model: Model, r: DataRecord, v: number): number {
  return logScaleLevel(model, r) ? Math.exp(v) : v;
}
