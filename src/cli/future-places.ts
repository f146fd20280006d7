// forecast's refusals of a future regimen's record named by the regimen's file and, for a JSON,
// the entry it came from (`doses.1.time`, `observe.1.cmt`), as the README names JSON records. The
// library names them "future regimen, row 2", a row of the sorted records no file has, and a
// compartment the model lacks was checked among the merged records under the history's name
// ("dataB.csv, row 5, column CMT": row 5 of the future, a level in compartment 1 in dataB.csv).

import { DosewiseError, Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { inRegimenFile } from '../regimen/file.js';
import { compartmentBeyondWhy, recordWhy, type DataRecord } from '../regimen/record.js';

/** The library's refusal of a future record ("future regimen, row N"), named by `file` and the record's place in it; any other error as it is. */
export function inFutureFile(e: unknown, future: readonly DataRecord[], file: string): unknown {
  if (!(e instanceof DosewiseError) || e.code !== 'E_RECORD' || e.place.file !== 'future regimen' || e.place.row === undefined || e.place.column === undefined) return e;
  return inRegimenFile(Errors.record(e.place.row, e.place.column, e.place.value, recordWhy(e), file), future, file);
}

/** Refuses a future record's compartment the model lacks (as forecast() would), named by `file` and its place. */
export function refuseFutureCompartments(model: Model, future: readonly DataRecord[], file: string): void {
  for (const r of future) if (r.CMT > model.nStates) throw inRegimenFile(Errors.record(r.row, 'CMT', r.CMT, compartmentBeyondWhy(r, model.nStates), file), future, file);
}
