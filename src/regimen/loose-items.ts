// A data item set beside a record's fields ({ ...r, CRCL: 20 }) instead of in its items is read by
// nothing: estimate(), simulate() and estimateCohort() ran the records' own CRCL (CL 2.526 L/h for
// 1.148) and a WT of 82000 set that way without a word. Refused, naming the record and the item.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from './record.js';

const FIELDS: ReadonlySet<string> = new Set(['row', 'ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV', 'items', 'text']);

/** The keys every checked record has: ID … MDV and items (checkRecords refuses a record without one). */
const REQUIRED_KEYS = 12;

/**
 * Whether record `r` has an own key beyond its fields, told by counting them: a for-in over a plain
 * record allocates nothing (Object.keys made a 13-element array per record), and the count needs no
 * name lookups however many items the model reads. Only a record with more keys than ID … MDV,
 * items, and its row and text where present, is looked at by name.
 */
function hasExtraKeys(r: DataRecord): boolean {
  let n = 0;
  for (const _ in r) n++;
  return n > REQUIRED_KEYS + (r.row !== undefined ? 1 : 0) + (r.text !== undefined ? 1 : 0);
}

/** Whether any of `records` has an own key beyond a record's fields (its names are then worth reading). */
export function anyExtraKeys(records: readonly DataRecord[]): boolean {
  for (let i = 0; i < records.length; i++) if (hasExtraKeys(records[i] as DataRecord)) return true;
  return false;
}

/**
 * Refuses a record carrying an item the model reads as a field of its own (not in `items`), on
 * every record: a later record is where a time-varying covariate goes ({ ...r, CRCL: 20 } on records
 * 2–3 ran at the first record's CRCL 80, IPRED 10.69 for 16.64). `what` names the argument.
 */
export function refuseLooseItems(model: Pick<Model, 'inputs'>, records: readonly DataRecord[], what: string, file?: string): void {
  refuseItemsBesideFields(model.inputs, records, what, file);
}

/** The same for the item `names` (a cohort's: its records' columns, the model being compiled in the workers). */
export function refuseItemsBesideFields(itemNames: Iterable<string>, records: readonly DataRecord[], what: string, file?: string): void {
  let names: string[] | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (!hasExtraKeys(r)) continue;
    names ??= [...itemNames].filter((n) => !FIELDS.has(n));
    for (const n of names)
      if (Object.prototype.hasOwnProperty.call(r, n))
        throw Errors.record(typeof r.row === 'number' ? r.row : i + 1, n, (r as unknown as Record<string, unknown>)[n], `${n} is set on the record beside its fields, where nothing reads it: a data item goes in the record's items (${what}: { ...r, items: { ...r.items, ${n}: value } })`, file);
  }
}
