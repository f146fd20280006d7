// A data set as a table of columns: one array of numbers per column, one value per row, instead of
// one record object per row. simulate() of 2,000 subjects' 730,000 own records spent most of its
// time loading the record objects and their items (a bare loop over the fields it needs took 21 ms
// per call, the whole budget of 100,000 subjects/s); typed columns are read in sequence.
//
// A table means what the same rows mean in a data file: each row is read as readNmtran reads a row
// of cells (recordFromItems: a standard column matched case-insensitively, NaN a missing cell, so a
// missing EVID is 1 with an amount and 0 without, a missing MDV 1 except on observations, a missing
// AMT, CMT, RATE, ADDL, II or SS 0), with every column kept as a data item of the row. recordsFromColumns
// gives those records; simulate() of the columns gives what simulate() of them gives, bit for bit,
// with the same refusals (row, column, value) and the same warnings.

import { Errors } from '../errors.js';
import { isPlainObject } from '../plain-object.js';
import { isNumberArray, shapeOf } from '../option-keys.js';
import type { DataRecord } from './record.js';
import { recordFromItems } from './nmtran.js';

/**
 * A data set by column: `{ ID: [...], TIME: [...], AMT: [...], WT: [...] }`, every column an array or
 * a typed array (Float64Array, Int32Array, …) of numbers of the same length, one value per row, rows
 * in data order. NaN is a missing cell (".").
 */
export type DataColumns = Readonly<Record<string, ArrayLike<number>>>;

/** A checked table: its column names (in the order of an items object of them), row count and values as Float64Arrays. */
export interface ColumnTable {
  /** Column names, in the order Object.keys lists them on a row's items. */
  readonly names: readonly string[];
  /** Each column's values, in `names` order (a Float64Array given is used as it is, not copied). */
  readonly values: readonly Float64Array[];
  readonly rows: number;
}

/**
 * Whether `x` is meant as a table of columns rather than an array of records: a plain object whose
 * every property is an array or a typed array, one at least of numbers (a typed array, or an array
 * that begins with a number). readNmtran's data set ({ columns, cells, records }) and { records }
 * are not: they are refused as records are, by what they are.
 */
export function isDataColumns(x: unknown): x is DataColumns {
  if (Array.isArray(x) || !isPlainObject(x)) return false;
  let numbers = false;
  for (const k in x as Record<string, unknown>) {
    if (!Object.hasOwn(x as object, k)) continue;
    const v = (x as Record<string, unknown>)[k];
    if (!isNumberArray(v)) return false;
    if (!Array.isArray(v) || typeof v[0] === 'number') numbers = true;
  }
  return numbers;
}

/**
 * Whether `x` is meant as a table of columns though isDataColumns says it is not one: a plain object
 * with an array or typed array among its properties, not readNmtran's data set or { records } (those
 * are refused as records are). Such a table of the wrong shape (WT: 70, a BigInt64Array, every
 * column empty) was refused as "records: must be an array of records", naming no column;
 * columnTable names it.
 */
export function meantAsColumns(x: unknown): boolean {
  if (Array.isArray(x) || !isPlainObject(x) || Object.hasOwn(x as object, 'records')) return false;
  return Object.values(x as Record<string, unknown>).some((v) => Array.isArray(v) || ArrayBuffer.isView(v));
}

/** Refuses a table's column that is not an array of numbers, naming it (what columnTable cannot read). */
function refuseColumnShapes(columns: Record<string, unknown>, what: string): void {
  for (const name of Object.keys(columns)) {
    const v = columns[name];
    if (v instanceof BigInt64Array || v instanceof BigUint64Array)
      throw Errors.optionValue(`${what}.${name}`, v, `a ${v.constructor.name} holds BigInts, not numbers: give a Float64Array (Float64Array.from(column, Number)) or an array of numbers; an ID beyond 2^53 − 1 is refused then, as two such IDs can be one number`, `a ${v.constructor.name} of ${v.length}`);
    if (!isNumberArray(v)) throw Errors.optionValue(`${what}.${name}`, v, `a column must be an array (or a typed array) of numbers, one per row (a value on every row: new Array(rows).fill(value))`);
  }
}

const hint = 'a table of columns is a plain object of arrays (or typed arrays) of numbers of one length, e.g. { ID: [1, 1], TIME: [0, 1], AMT: [100, NaN], DV: [NaN, 4.2] }';

/**
 * Checks a table of columns and gives its values as Float64Arrays (a number[] is copied, a cell that
 * is not a number refused naming its row and column). `what` names the argument.
 */
export function columnTable(columns: DataColumns, what = 'records', file?: string): ColumnTable {
  if (!isDataColumns(columns)) {
    if (!meantAsColumns(columns)) throw Errors.optionValue(what, columns, hint, shapeOf(columns));
    // a column of the wrong kind named; arrays alone (none with a number first: empty, or text) read on
    refuseColumnShapes(columns as Record<string, unknown>, what);
  }
  // the order of a row's items: an object of the names lists integer-like names first, as a record's items do
  const order: Record<string, number> = {};
  for (const k in columns) if (Object.hasOwn(columns, k)) order[k] = 0;
  const names = Object.keys(order);
  refuseCaseDuplicates(names, what);
  let rows = -1;
  const values: Float64Array[] = [];
  for (const name of names) {
    const col = columns[name] as ArrayLike<number>;
    if (rows < 0) rows = col.length;
    else if (col.length !== rows)
      throw Errors.optionValue(`${what}.${name}`, col, `every column must have one value per row: column ${names[0]} has ${rows}, ${name} has ${col.length}`, `${col.length} values`);
    if (col instanceof Float64Array) {
      values.push(col);
      continue;
    }
    const v = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const x: unknown = col[i];
      if (typeof x !== 'number')
        throw Errors.record(i + 1, name, x, `a cell must be a number (NaN for a missing one), not ${x === null ? 'null' : typeof x}${typeof x === 'string' ? ' (text is not read as a number: convert it with Number() and check it)' : ''}`, file);
      v[i] = x;
    }
    values.push(v);
  }
  return { names, values, rows: Math.max(rows, 0) };
}

/**
 * Refuses two names that differ only in letter case (TIME and time, WT and wt): a standard column is
 * read in any case and a covariate by its exact name, so one of the two was dropped without a word
 * (a 500-mg `amt` beside AMT 100 dosed 100 mg). readNmtran refuses the same header ("duplicate column
 * name"). Once per table, over its names.
 */
function refuseCaseDuplicates(names: readonly string[], what: string): void {
  if (names.length < 2) return;
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.toUpperCase();
    const first = seen.get(key);
    if (first !== undefined)
      throw Errors.optionValue(`${what}.${name}`, name, `duplicate column name: ${first} and ${name} differ only in letter case, and which one is read would be a guess (standard columns are read in any case, others by their exact name; a data file with both is refused alike); keep one`);
    seen.set(key, name);
  }
}

/** Row i's items: every column by name (NaN a missing cell), as readNmtran keeps a row's cells. */
export function rowItems(t: ColumnTable, i: number): Record<string, number> {
  const items: Record<string, number> = {};
  const { names, values } = t;
  for (let c = 0; c < names.length; c++) items[names[c] as string] = (values[c] as Float64Array)[i] as number;
  return items;
}

/** Records rows from..to of a checked table (row numbers i + 1), each read as readNmtran reads a data row. */
export function tableRecords(t: ColumnTable, from = 0, to = t.rows, file?: string): DataRecord[] {
  const out = new Array<DataRecord>(to - from);
  for (let i = from; i < to; i++) out[i - from] = recordFromItems(rowItems(t, i), i + 1, file);
  return out;
}

/**
 * The records a table of columns stands for: row i (0-based) is record i + 1, read as readNmtran
 * reads a data row (standard columns case-insensitive, NaN a missing cell, every column an item),
 * refused as readNmtran refuses one (naming the row, the column and the value). simulate() of the
 * columns is simulate() of these records.
 */
export function recordsFromColumns(columns: DataColumns, file?: string): DataRecord[] {
  return tableRecords(columnTable(columns, 'columns', file), 0, undefined, file);
}
