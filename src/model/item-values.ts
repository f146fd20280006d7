// Data items a model reads, given as something other than a number on records built in code: a web
// form's text ('55' for WT, ' 70', '70kg', '', 'NaN'), null from JSON, true. The evaluator wrote
// them into a Float64Array, which converts as Number() does: '55' ran as 55, ' 70' and '0x46' as 70,
// true as 1, and '' and null as 0 (DIAL '' read as no dialysis, without a word); '70kg' and 'NaN'
// became NaN and were refused as "a body weight in kg is at most 700 (a value in another unit?)".
// Refused, naming the record, the item and the value, as a record's standard fields (TIME '7.769')
// and the builder's items already are: a number written as text is not read, whatever it holds,
// because text that Number() reads is not always the number meant ('0x46', '1e3', ' ', '').

import { Errors } from '../errors.js';

/** Why an item value that is not a number is refused (`name` the item). */
export function itemValueWhy(name: string, v: unknown): string {
  const kind = v === null ? 'null' : typeof v;
  const text = typeof v === 'string' ? ' (text is not read as a number: convert form input with Number() and check it)' : '';
  return `${name} is a data item the model reads, and must be a number, not ${kind}${text}; a missing value is NaN or no item at all`;
}

/** Item records: their data items by name, and their row. */
interface ItemRecord {
  readonly row: number;
  readonly items: Readonly<Record<string, unknown>>;
}

/**
 * Refuses a record whose item that the model reads (`names`: its inputs, and its parameters, which
 * an item of that name replaces) is not a number (a number, NaN included, or absent passes).
 */
export function refuseItemValues(names: readonly string[], records: readonly ItemRecord[], file?: string): void {
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as ItemRecord;
    const items = r.items;
    for (let k = 0; k < names.length; k++) {
      const name = names[k] as string;
      const v = items[name];
      if (v === undefined || typeof v === 'number') continue;
      throw Errors.record(r.row, name, v, itemValueWhy(name, v), file);
    }
  }
}
