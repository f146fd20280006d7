// A covariate the model has a default for, left blank on some records of a patient who has it on
// others, took the default there: DIAL 0 over the first interval of a dialysis patient (a level of
// 6.47 for 9.16), WT 70 for an 80-kg patient, exit 0 (NONMEM would have read the blank as 0). And a
// column named like the covariate but in another case (`wt` for WT) was not read at all. Both are
// refused, naming the column, the patient and the rows; a patient with no value at all still gets
// the model's default, as documented.

import { Errors } from '../errors.js';
import type { Model } from './model.js';

interface ItemRecord {
  readonly row: number;
  readonly ID: number;
  readonly TIME: number;
  readonly EVID: number;
  readonly items: Readonly<Record<string, number>>;
}

const defaultedOf = new WeakMap<object, readonly { name: string; value: number }[]>();

/** The data items the model reads and has a default for (random effects excluded). */
function defaultedInputs(model: Pick<Model, 'slots' | 'omega' | 'iov'>): readonly { name: string; value: number }[] {
  let d = defaultedOf.get(model);
  if (!d) {
    // dose items are blank on the records that give no dose, and 0 there by NONMEM's rule: no patient value lost
    const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? []), 'AMT', 'RATE', 'ADDL', 'II', 'SS']);
    const { inputs, defaults } = model.slots;
    d = inputs.flatMap((name, i) => (effects.has(name) || Number.isNaN(defaults[i] as number) ? [] : [{ name, value: defaults[i] as number }]));
    defaultedOf.set(model, d);
  }
  return d;
}

const missing = (v: number | undefined): boolean => v === undefined || v !== v;

/**
 * Refuses a defaulted covariate blank on some records of a patient who has it on others, or given
 * only under another case. A name in `overrides` holds on every record, blank or not. A blank that
 * nothing reads passes: on a dose or other record at the patient's first time under NOCB (its values
 * hold over the interval that ends at it: none), or at its last time under LOCF, when no dose
 * modifier (F, lag, rate, duration) reads the item — a regimen built with dose() and observe({items})
 * puts the covariates on the observations only.
 */
export function refusePartlyMissingItems(
  model: Pick<Model, 'name' | 'slots' | 'omega' | 'iov' | 'timeVarying'>,
  records: readonly ItemRecord[],
  file?: string,
  overrides?: Readonly<Record<string, number>>,
  timeVarying: 'nocb' | 'locf' = model.timeVarying,
): void {
  if (records.length === 0) return;
  refuseCaseVariantColumns(model, records, file, overrides);
  const inputs = defaultedInputs(model);
  if (inputs.length === 0) return;
  for (const { name, value } of inputs) {
    if (overrides?.[name] !== undefined) continue;
    const modifiers = model.slots.modifiersDependOn(new Set([name]));
    let anywhere = false;
    for (let start = 0; start < records.length; ) {
      const id = (records[start] as ItemRecord).ID;
      let end = start;
      while (end < records.length && (records[end] as ItemRecord).ID === id) end++;
      const edge = timeVarying === 'nocb' ? (records[start] as ItemRecord).TIME : (records[end - 1] as ItemRecord).TIME;
      const unread = (r: ItemRecord): boolean => !modifiers && r.EVID !== 0 && r.TIME === edge;
      let has = -1;
      let blank = -1;
      for (let i = start; i < end; i++) {
        const r = records[i] as ItemRecord;
        if (!missing(r.items[name])) {
          if (has < 0) has = i;
        } else if (blank < 0 && !unread(r)) blank = i;
      }
      if (has >= 0) anywhere = true;
      if (has >= 0 && blank >= 0) {
        const given = records[has] as ItemRecord;
        const rows = records.slice(start, end).filter((r) => missing(r.items[name]) && !unread(r)).map((r) => r.row);
        const listed = rows.length > 3 ? `${rows.slice(0, 3).join(', ')} and ${rows.length - 3} more` : rows.join(', ');
        throw Errors.record(
          (records[blank] as ItemRecord).row,
          name,
          '',
          `ID ${id} has ${name} ${given.items[name]} on row ${given.row} but none on row${rows.length === 1 ? '' : 's'} ${listed}, where model ${model.name} would use its default ${value}, not this patient's value; fill in the patient's ${name} on every record (NONMEM reads a blank as 0)`,
          file,
        );
      }
      start = end;
    }
    if (!anywhere) {
      const keys = Object.keys((records[0] as ItemRecord).items);
      const other = keys.find((k) => k !== name && k.toUpperCase() === name.toUpperCase());
      if (other !== undefined)
        throw Errors.record((records[0] as ItemRecord).row, other, (records[0] as ItemRecord).items[other], `model ${model.name} reads ${name}, and names are case-sensitive: column ${other} is not read, so every record would get the default ${name} ${value}; rename the column ${name}`, file);
    }
  }
}

/**
 * A column named like an input the model reads without a default, in another case (`CrCl` for
 * CRCL): refused as the defaulted ones are, naming the column (it read "row 1, parameter CRCL:
 * the record has no value", naming neither the file nor the column).
 */
function refuseCaseVariantColumns(model: Pick<Model, 'name' | 'slots' | 'omega' | 'iov'>, records: readonly ItemRecord[], file: string | undefined, overrides?: Readonly<Record<string, number>>): void {
  const first = records[0];
  if (!first) return;
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
  const { inputs, defaults } = model.slots;
  const keys = Object.keys(first.items);
  inputs.forEach((name, i) => {
    if (effects.has(name) || !Number.isNaN(defaults[i] as number) || name in first.items || overrides?.[name] !== undefined) return;
    const other = keys.find((k) => k.toUpperCase() === name.toUpperCase());
    if (other !== undefined)
      throw Errors.record(first.row, other, first.items[other], `model ${model.name} reads ${name}, and names are case-sensitive: column ${other} is not read; rename the column ${name}`, file);
  });
}

/**
 * The records with a blank input that nothing reads filled in: an input without a default, blank on
 * a dose or other record at a patient's first time under NOCB (its values hold over the interval
 * that ends there: none) or at the last time under LOCF, where no dose modifier reads it and the
 * record is no steady-state dose, takes the patient's nearest value. Such a blank was refused ("row 1,
 * parameter CRCL: the record has no value") where the same blank in a defaulted input passed, so
 * `dose()` before `observe({ items })` failed for a model without a default. The value is not read.
 */
export function fillUnreadBlanks<R extends ItemRecord & { readonly SS?: number }>(model: Pick<Model, 'slots' | 'omega' | 'iov' | 'timeVarying'>, records: readonly R[], timeVarying: 'nocb' | 'locf' = model.timeVarying): readonly R[] {
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? []), 'AMT', 'RATE', 'ADDL', 'II', 'SS']);
  const { inputs, defaults } = model.slots;
  const bare = inputs.filter((name, i) => !effects.has(name) && Number.isNaN(defaults[i] as number) && !model.slots.modifiersDependOn(new Set([name])));
  if (bare.length === 0) return records;
  let out: R[] | undefined;
  for (let start = 0; start < records.length; ) {
    const id = (records[start] as R).ID;
    let end = start;
    while (end < records.length && (records[end] as R).ID === id) end++;
    const edge = timeVarying === 'nocb' ? (records[start] as R).TIME : (records[end - 1] as R).TIME;
    for (let i = start; i < end; i++) {
      const r = records[i] as R;
      if (r.EVID === 0 || r.TIME !== edge || (r.SS ?? 0) > 0) continue;
      const fill: Record<string, number> = {};
      for (const name of bare) {
        if (!missing(r.items[name])) continue;
        // the nearest record of the patient with a value, later ones first under NOCB
        const order = timeVarying === 'nocb' ? [...Array(end - start).keys()].map((k) => start + k) : [...Array(end - start).keys()].map((k) => end - 1 - k);
        const from = order.map((k) => records[k] as R).find((x) => !missing(x.items[name]));
        if (from) fill[name] = from.items[name] as number;
      }
      if (Object.keys(fill).length === 0) continue;
      out ??= [...records];
      out[i] = { ...r, items: { ...r.items, ...fill } };
    }
    start = end;
  }
  return out ?? records;
}
