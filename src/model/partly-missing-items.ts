// A covariate the model has a default for, left blank on some records of a patient who has it on
// others, took the default there: DIAL 0 over the first interval of a dialysis patient (a level of
// 6.47 for 9.16), WT 70 for an 80-kg patient, exit 0 (NONMEM would have read the blank as 0). And a
// column named like the covariate but in another case (`wt` for WT) was not read at all. Both are
// refused, naming the column, the patient and the rows; a patient with no value at all still gets
// the model's default, as documented.

import { DosewiseError, Errors } from '../errors.js';
import type { Model } from './model.js';
import { STANDARD_COLUMNS } from './standard-columns.js';

const STANDARD: ReadonlySet<string> = new Set<string>(STANDARD_COLUMNS);

interface ItemRecord {
  readonly row: number;
  readonly ID: number;
  readonly TIME: number;
  readonly EVID: number;
  readonly items: Readonly<Record<string, number>>;
  readonly SS?: number;
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
 * Whether every prediction before the first dose is 0 whatever the data items: the built-in kinds
 * whose amounts start at 0 and have no input but the doses. A PD baseline (E0), a tumour size, a
 * receptor's synthesis or a model text's init() or observe expression may read an item there.
 */
const ZERO_WITHOUT_DRUG: ReadonlySet<string> = new Set(['linear', 'mm']);

/** Where a patient's records are: the first time, the index of the first dose (the end when none). */
interface PatientSpan {
  readonly first: number;
  readonly firstDose: number;
}

function patientSpan(records: readonly ItemRecord[], start: number, end: number): PatientSpan {
  let firstDose = start;
  while (firstDose < end && (records[firstDose] as ItemRecord).EVID !== 1 && (records[firstDose] as ItemRecord).EVID !== 4) firstDose++;
  return { first: (records[start] as ItemRecord).TIME, firstDose };
}

/**
 * Whether nothing reads a record's own value of an input (`modifiers`: a dose modifier reads it).
 * Under NOCB a record's values hold over the interval that ends at it, so those of a dose or other
 * record at the patient's first time hold over none; a steady-state dose there is read all the same
 * (the steady state before it is built with its values: a blank DIAL of an SS = 1 first dose built it
 * at the default DIAL 0, IPRED 33.74 at 0 h for 47.58), and an observation's prediction reads its own.
 * Under LOCF a record's values hold from it on, and the last record's after it (a forecast, a metric,
 * the current parameters estimate() reports: CL 0.959 for 0.671 with DIAL blank on the last dose), so
 * every record is read.
 */
function unreadRecord(r: ItemRecord, first: number, modifiers: boolean, timeVarying: 'nocb' | 'locf'): boolean {
  return timeVarying === 'nocb' && !modifiers && r.EVID !== 0 && r.TIME === first && !((r.SS ?? 0) > 0);
}

/**
 * The index of the patient's first dose (records start..end) when an observation before it takes the
 * patient's next value of a blank (ZERO_WITHOUT_DRUG: the prediction there is 0 whatever the item),
 * else `start`. A regimen JSON's carry fills those observations as fillUnreadBlanks does a CSV's.
 */
export function blanksTakeNextBefore(model: Pick<Model, 'structure'>, records: readonly ItemRecord[], start = 0, end = records.length): number {
  return ZERO_WITHOUT_DRUG.has(model.structure.kind) ? patientSpan(records, start, end).firstDose : start;
}

/**
 * unreadRecord, or an observation before the patient's first dose (record `i`) of a model whose
 * predictions are 0 there whatever the items (ZERO_WITHOUT_DRUG): a baseline sample at 0 h with DIAL
 * blank before the first dose's DIAL 1 was refused, where its level is 0 at any DIAL; the values of
 * the interval it ends (NOCB) or starts (LOCF) move no drug. Refused where the prediction without
 * drug reads items (E0 written with one).
 */
function unreadAt(model: Pick<Model, 'structure'>, r: ItemRecord, i: number, span: PatientSpan, modifiers: boolean, timeVarying: 'nocb' | 'locf'): boolean {
  if (unreadRecord(r, span.first, modifiers, timeVarying)) return true;
  return r.EVID === 0 && i < span.firstDose && ZERO_WITHOUT_DRUG.has(model.structure.kind);
}

/** Why a blank on `r` is read, where that is not plain: the first record's steady state, the last record's values after it. */
function whyRead(r: ItemRecord, name: string, first: number, last: number, modifiers: boolean, timeVarying: 'nocb' | 'locf', at = `row ${r.row}`): string {
  if (r.EVID === 0) return '';
  if (timeVarying === 'nocb' && r.TIME === first) return modifiers ? ` (${at} is a dose whose modifiers read ${name})` : (r.SS ?? 0) > 0 ? ` (${at} is a steady-state dose: the steady state before it is built with its values)` : '';
  if (timeVarying === 'locf' && r.TIME === last) return ` (${at} is the patient's last record: under LOCF its values hold after it, for a forecast, a metric and the current parameters)`;
  return '';
}

/**
 * The model's parameters that a data column replaces (a column named like one on some record; the
 * inputs are defaultedInputs'): a blank in it took the model's own value over that record's interval
 * (1cmt-iv, the patient's CL 0.5 blank at 12 h: 5.1685 for 8.8692, −41.7 %) where the same blank of a
 * covariate is refused. Each name is looked for until a record gives it (a data set: the first).
 */
function parameterColumns(model: Pick<Model, 'parameterNames' | 'inputs'>, records: readonly ItemRecord[]): { name: string }[] {
  const open = model.parameterNames.filter((n) => !model.inputs.includes(n));
  const found: { name: string }[] = [];
  for (let i = 0; i < records.length && open.length > 0; i++) {
    const items = (records[i] as ItemRecord).items;
    for (let k = open.length - 1; k >= 0; k--)
      if ((open[k] as string) in items) {
        found.push({ name: open[k] as string });
        open.splice(k, 1);
      }
  }
  return found;
}

/** What a blank of `name` takes: a covariate's default, or (no default given: a parameter) the model's own value. */
const fallback = (name: string, value: number | undefined): string => (value === undefined ? `its own ${name} (the typical value, or the covariate model's)` : `its default ${value}`);

/**
 * Refuses a defaulted covariate, or a column replacing a parameter (parameterColumns), blank on
 * some records of a patient who has it on others, or a covariate given only under another case. A name in `overrides` holds on every record, blank or not. A blank that
 * nothing reads passes (unreadAt: a dose or other record at the patient's first time under NOCB,
 * no steady-state dose, when no dose modifier reads the item — a regimen built with dose() and
 * observe({items}) puts the covariates on the observations only — and an observation before the
 * first dose where the prediction is 0 whatever the item), and fillUnreadBlanks gives it the
 * patient's value. `placeOf` gives the place of a regimen JSON's records: the refusal names JSON
 * paths then (refuseJsonBlank). The blanks it passed as unread were read: an SS = 1 first dose under NOCB, and the
 * last record under LOCF (see unreadRecord). `paramBlanksRuledOut`: the caller's layout by design
 * of these records found no parameter column blank beside a value in any subject (design-groups.ts).
 */
export function refusePartlyMissingItems<R extends ItemRecord>(
  model: Pick<Model, 'name' | 'slots' | 'omega' | 'iov' | 'timeVarying' | 'structure' | 'parameterNames' | 'inputs'>,
  records: readonly R[],
  file?: string,
  overrides?: Readonly<Record<string, number>>,
  timeVarying: 'nocb' | 'locf' = model.timeVarying,
  placeOf?: (r: R) => string | undefined,
  paramBlanksRuledOut = false,
): void {
  if (records.length === 0) return;
  refuseCaseVariantColumns(model, records, file, overrides);
  // a pass per parameter column over W-gp's 730,000 records (their items read by name, ~40 ns a
  // value) took simulate() from ~100 to ~230 ms: none where the caller's layout ruled blanks out
  const params = paramBlanksRuledOut ? [] : parameterColumns(model, records);
  const inputs: readonly { name: string; value?: number }[] = [...defaultedInputs(model), ...params];
  if (inputs.length === 0) return;
  for (const { name, value } of inputs) {
    if (overrides?.[name] !== undefined) continue;
    const modifiers = model.slots.modifiersDependOn(new Set([name]));
    let anywhere = false;
    for (let start = 0; start < records.length; ) {
      const id = (records[start] as ItemRecord).ID;
      let end = start;
      while (end < records.length && (records[end] as ItemRecord).ID === id) end++;
      const span = patientSpan(records, start, end);
      const last = (records[end - 1] as ItemRecord).TIME;
      const unread = (r: ItemRecord, i: number): boolean => unreadAt(model, r, i, span, modifiers, timeVarying);
      let has = -1;
      let blank = -1;
      for (let i = start; i < end; i++) {
        const r = records[i] as ItemRecord;
        if (!missing(r.items[name])) {
          if (has < 0) has = i;
        } else if (blank < 0 && !unread(r, i)) blank = i;
      }
      if (has >= 0) anywhere = true;
      if (has >= 0 && blank >= 0) {
        const given = records[has] as R;
        const blanks = records.slice(start, end).filter((r, k) => missing(r.items[name]) && !unread(r, start + k));
        const why = whyRead(records[blank] as ItemRecord, name, span.first, last, modifiers, timeVarying, placeOf?.(records[blank] as R));
        refuseJsonBlank(model, records[blank] as R, given, blanks, name, value, why, file, placeOf, modifiers);
        const rows = blanks.map((r) => r.row);
        const listed = rows.length > 3 ? `${rows.slice(0, 3).join(', ')} and ${rows.length - 3} more` : rows.join(', ');
        throw Errors.record(
          (records[blank] as ItemRecord).row,
          name,
          '',
          `ID ${id} has ${name} ${given.items[name]} on row ${given.row} but none on row${rows.length === 1 ? '' : 's'} ${listed}${why}, where model ${model.name} would use ${fallback(name, value)}, not this patient's value; fill in the patient's ${name} on every record (${value === undefined ? `a patient with no ${name} on any record runs at the model's own` : 'NONMEM reads a blank as 0'})`,
          file,
        );
      }
      start = end;
    }
    if (!anywhere && value !== undefined) {
      const keys = Object.keys((records[0] as ItemRecord).items);
      const other = keys.find((k) => k !== name && k.toUpperCase() === name.toUpperCase());
      if (other !== undefined)
        throw Errors.record((records[0] as ItemRecord).row, other, (records[0] as ItemRecord).items[other], `model ${model.name} reads ${name}, and names are case-sensitive: column ${other} is not read, so every record would get the default ${name} ${value}; rename the column ${name}`, file);
    }
  }
}

/**
 * The refusal of a blank of a regimen JSON (`placeOf` gives its records' places), named by JSON
 * paths: a JSON has no rows, and "row 1, column DIAL: … none on rows 1, 3, 4 and 118 more" named
 * the sorted records of doses.0 and observe.0. Returns for a record of a CSV or built in code.
 * `modifiers`: a dose modifier reads the item, which carryRegimenItems does not carry to a dose.
 */
function refuseJsonBlank<R extends ItemRecord>(model: Pick<Model, 'name'>, blank: R, given: R, blanks: readonly R[], name: string, value: number | undefined, why: string, file: string | undefined, placeOf: ((r: R) => string | undefined) | undefined, modifiers: boolean): void {
  const place = placeOf?.(blank);
  const from = placeOf?.(given);
  if (place === undefined || from === undefined || file === undefined) return;
  const places = [...new Set(blanks.map((r) => placeOf?.(r) ?? `row ${r.row}`))];
  const listed = places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} more` : places.join(', ');
  throw Errors.jsonField(
    file,
    `${place}.items.${name}`,
    `${from}.items.${name} is ${given.items[name]}, but ${listed} give${places.length === 1 ? 's' : ''} no ${name}${why}, where model ${model.name} would use ${fallback(name, value)}; give ${name} in the items of ${listed} (${modifiers ? `a dose modifier reads ${name}: each dose has its own value, never carried from another dose; a value of the subject, such as a genotype, goes on every dose or in the covariate file` : `a value a regimen JSON gives holds from its time on only where every entry that gives ${name} gives that value`})`,
  );
}

const engineParametersOf = new WeakMap<object, readonly string[]>();

/**
 * The parameters the engine reads themselves: the structural values, the dose modifiers', a time
 * switch's and the scale's own names (CL, V, KA, F1, S2), which a POSTHOC table carries; not a θ
 * nor an intermediate another parameter reads (busulfan_shukla_2020's DAY = TIME > 24 ? 1 : 0 and
 * BMI, a model text's CrCl). A data column in another case than those was refused as a parameter's
 * look-alike: a study-day `Day`, a `Bmi`, a lab's `CRCL` (65202c4), with the remedy "rename the
 * column DAY", which would let the study day 1–4 replace the model's DAY (CL −54 % on day 4).
 */
function engineParameters(model: Pick<Model, 'slots' | 'parameterNames'>): readonly string[] {
  let e = engineParametersOf.get(model);
  if (!e) {
    const all = model.parameterNames;
    // with every other parameter pinned, a name reaches the engine only where the engine reads it
    e = all.filter((p) => model.slots.engineDependsOn(new Set([p]), new Set(all.filter((q) => q !== p))));
    engineParametersOf.set(model, e);
  }
  return e;
}

/**
 * A column named like an input the model reads without a default, in another case (`CrCl` for
 * CRCL): refused as the defaulted ones are, naming the column (it read "row 1, parameter CRCL:
 * the record has no value", naming neither the file nor the column). And one named like a
 * parameter in another case (`cl` for CL): a column CL replaces the parameter, `cl` was not read at
 * all, and a POSTHOC table's CL 8 ran at the model's CL 3 without a word (IPRED at 4 h +76.9 %):
 * only those the engine reads (engineParameters), never an intermediate.
 */
function refuseCaseVariantColumns(model: Pick<Model, 'name' | 'slots' | 'omega' | 'iov' | 'parameterNames' | 'inputs'>, records: readonly ItemRecord[], file: string | undefined, overrides?: Readonly<Record<string, number>>): void {
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
  // a column the model reads under its own name (a model text's own lower-case name) or a standard column (read in any case) is no look-alike
  const read = (k: string): boolean => model.parameterNames.includes(k) || model.inputs.includes(k) || STANDARD.has(k.toUpperCase());
  for (const name of engineParameters(model)) {
    if (overrides?.[name] !== undefined) continue;
    const other = keys.find((k) => k !== name && k.toUpperCase() === name.toUpperCase() && !read(k));
    if (other !== undefined)
      throw Errors.record(first.row, other, first.items[other], `model ${model.name} has the parameter ${name}, which a column ${name} replaces, and names are case-sensitive: column ${other} is not read, so every record would get the model's own ${name}; rename the column ${name} (or drop it if it means something else)`, file);
  }
}

/**
 * Refuses a data item the model reads and has no default for, blank on a record that is read (run
 * after fillUnreadBlanks: what is still blank is read), naming the file, the column and its rows;
 * and one given on no record at all. It was "row 2, parameter CRCL: the model reads this data item,
 * but the record has no value and the model gives no default (got NaN)" from the first evaluation:
 * no file, a data column called a parameter, a blank called NaN. A name in `overrides` holds on
 * every record.
 */
export function refuseBlankInputs(model: Pick<Model, 'name' | 'slots' | 'omega' | 'iov'>, records: readonly ItemRecord[], file?: string, overrides?: Readonly<Record<string, number>>): void {
  // dose items are blank on the records that give no dose, and 0 there by NONMEM's rule
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? []), 'AMT', 'RATE', 'ADDL', 'II', 'SS']);
  const { inputs, defaults } = model.slots;
  inputs.forEach((name, i) => {
    if (effects.has(name) || !Number.isNaN(defaults[i] as number) || overrides?.[name] !== undefined) return;
    const blanks = records.filter((r) => missing(r.items[name]));
    const b = blanks[0];
    if (!b) return;
    if (!records.some((r) => name in r.items))
      throw new DosewiseError('E_CSV_COLUMN_MISSING', `${file ?? 'records'}: no column ${name}: model ${model.name} reads ${name} and gives it no default; add the column with the patient's ${name} on every record`, { file, column: name });
    const rows = blanks.slice(1).map((r) => r.row);
    const listed = rows.length > 3 ? `${rows.slice(0, 3).join(', ')} and ${rows.length - 3} more` : rows.join(', ');
    const also = rows.length > 0 ? ` (so ${rows.length === 1 ? 'is row' : 'are rows'} ${listed})` : '';
    // no "(got …)": the cell is `.` or empty, which the record no longer tells apart
    const message = `${file === undefined ? '' : `${file}, `}row ${b.row}, column ${name}: blank${also}, and model ${model.name} reads ${name} with no default: fill in the patient's ${name} (NONMEM reads a blank as 0)`;
    throw new DosewiseError('E_RECORD', message, { file, row: b.row, column: name });
  });
}

/** The value of `name` of the first record from i on that gives one, else of the patient's first that does. */
function nextValue(records: readonly ItemRecord[], name: string, i: number, start: number, end: number): number | undefined {
  for (let k = i; k < end; k++) if (!missing((records[k] as ItemRecord).items[name])) return (records[k] as ItemRecord).items[name];
  for (let k = start; k < i; k++) if (!missing((records[k] as ItemRecord).items[name])) return (records[k] as ItemRecord).items[name];
  return undefined;
}

/**
 * The records with a blank input that nothing reads (unreadRecord) filled in with the value the NOCB
 * rule carries there, that of the patient's next record with one, so that what reads the first
 * record's values all the same (the parameters estimate() reports on it, the printed prediction of a
 * dose there) reads the patient's. An input without a default blank there was refused ("row 1,
 * parameter CRCL: the record has no value") where the same blank in a defaulted input passed, so
 * `dose()` before `observe({ items })` failed for a model without a default; a defaulted one took its
 * default there, and a dialysis patient's first dose with DIAL blank gave a false W_PARAMETERS_CHANGE
 * (CL 0.959 on row 1, 0.671 on row 5). An observation before the first dose that unreadAt passes
 * takes the patient's next value too, under either rule. A patient without a value of the input
 * keeps the default.
 */
export function fillUnreadBlanks<R extends ItemRecord>(model: Pick<Model, 'slots' | 'omega' | 'iov' | 'timeVarying' | 'structure'>, records: readonly R[], timeVarying: 'nocb' | 'locf' = model.timeVarying): readonly R[] {
  if (timeVarying !== 'nocb' && !ZERO_WITHOUT_DRUG.has(model.structure.kind)) return records;
  // a dose record's blank DV is no blank value of the patient
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? []), 'AMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV']);
  const names = model.slots.inputs.filter((name) => !effects.has(name) && !model.slots.modifiersDependOn(new Set([name])));
  if (names.length === 0) return records;
  let out: R[] | undefined;
  for (let start = 0; start < records.length; ) {
    const id = (records[start] as R).ID;
    let end = start;
    while (end < records.length && (records[end] as R).ID === id) end++;
    const span = patientSpan(records, start, end);
    for (let i = start; i < end; i++) {
      const r = records[i] as R;
      if (r.TIME !== span.first && i >= span.firstDose) break;
      if (!unreadAt(model, r, i, span, false, timeVarying)) continue;
      const fill: Record<string, number> = {};
      for (const name of names) {
        if (!missing(r.items[name])) continue;
        const v = nextValue(records, name, i, start, end);
        if (v !== undefined) fill[name] = v;
      }
      if (Object.keys(fill).length === 0) continue;
      out ??= [...records];
      out[i] = { ...r, items: { ...r.items, ...fill } };
    }
    start = end;
  }
  return out ?? records;
}
