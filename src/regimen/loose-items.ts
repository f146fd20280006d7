// A data item set beside a record's fields ({ ...r, CRCL: 20 }) instead of in its items is read by
// nothing: estimate(), simulate() and estimateCohort() ran the records' own CRCL (CL 2.526 L/h for
// 1.148) and a WT of 82000 set that way without a word. Refused, naming the record and the item.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from './record.js';

const FIELDS: ReadonlySet<string> = new Set(['row', 'ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV', 'items', 'text']);

/**
 * Refuses a record carrying an item the model reads as a field of its own (not in `items`). `firstOfId`
 * looks at each ID's first record alone (a data set's whole records edited by one map()), for calls
 * over many records where a key test per record would cost a pass of its own.
 */
export function refuseLooseItems(model: Pick<Model, 'inputs'>, records: readonly DataRecord[], what: string, file?: string, firstOfId = false): void {
  refuseItemsBesideFields(model.inputs, records, what, file, firstOfId);
}

/** The same for the item `names` (a cohort's: its records' columns, the model being compiled in the workers). */
export function refuseItemsBesideFields(itemNames: Iterable<string>, records: readonly DataRecord[], what: string, file?: string, firstOfId = false): void {
  const names = [...itemNames].filter((n) => !FIELDS.has(n));
  if (names.length === 0) return;
  let prevId = NaN;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (firstOfId) {
      if (r.ID === prevId) continue;
      prevId = r.ID;
    }
    for (const n of names)
      if (Object.prototype.hasOwnProperty.call(r, n))
        throw Errors.record(typeof r.row === 'number' ? r.row : i + 1, n, (r as unknown as Record<string, unknown>)[n], `${n} is set on the record beside its fields, where nothing reads it: a data item goes in the record's items (${what}: { ...r, items: { ...r.items, ${n}: value } })`, file);
  }
}
