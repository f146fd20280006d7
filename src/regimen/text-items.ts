// Columns of text in a data set: USUBJID, a study code, SEX as M/F, an arm's name. A data set built
// from CDISC sources carries them, and one such column nothing reads refused the whole data set as
// "not a number" (NONMEM needs =DROP for them). A column dosewise does not read itself holds text
// as written: the record keeps the cell in `text` (its item is NaN) and the file's cells are written
// back. Where the model's inputs are known, a column it reads with text is refused as the reader
// refused it, naming the file, the row, the column and the value: a text cell is never a number,
// nor a blank that a default fills.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { STANDARD_COLUMNS } from '../model/standard-columns.js';
import { commaNumberWhy, isDecimalComma } from './csv-dialect.js';
import { DATE_COLUMNS, isClockCell } from './clock.js';
import { EXCEL_ERROR_WHY, isExcelError } from './comment-lines.js';

/** The columns dosewise itself reads as numbers (upper case): text there is refused as the file is read. */
const READ_COLUMNS: ReadonlySet<string> = new Set([...STANDARD_COLUMNS, ...Object.keys(DATE_COLUMNS), 'DVID', 'BLQ', 'LLOQ', 'OCC', 'DUR', 'PCMT']);

/** Whether column `c` may hold text: a column the reader does not read as a number (matched case-insensitively). */
export function mayHoldText(c: string): boolean {
  return !READ_COLUMNS.has(c.toUpperCase());
}

/** Why a cell of a column other than TIME (`column`, where known) is not a number (the reader's words, eager or lazy). */
export function textCellWhy(s: string, column?: string): string {
  if (isDecimalComma(s)) return commaNumberWhy(s);
  if (isExcelError(s)) return EXCEL_ERROR_WHY;
  const blq = column?.toUpperCase() === 'DV' ? belowLimitWhy(s) : undefined;
  if (blq !== undefined) return blq;
  const dur = column?.toUpperCase() === 'DUR' ? clockDurationWhy(s) : undefined;
  if (dur !== undefined) return dur;
  return isClockCell(s) ? 'a clock time in a column other than TIME' : 'not a number';
}

/**
 * An infusion length written h:mm in DUR ("1:00"): it is a duration, not a clock time as the generic
 * words said; it is not read as h:mm (DUR is no NM-TRAN item, whose II alone takes h:mm), so the
 * hours to write are given.
 */
function clockDurationWhy(s: string): string | undefined {
  const m = /^(\d+):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(s.trim());
  if (!m) return undefined;
  const [min, sec] = [Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  const hours = min < 60 && sec < 60 ? Number(m[1]) + min / 60 + sec / 3600 : undefined;
  const write = hours === undefined ? 'hours' : `${Number(hours.toFixed(4))} for ${s.trim()}`;
  return `DUR is a duration in hours, and h:mm is not read there: write ${write} (1.5 for 1 h 30 min)`;
}

/**
 * A level below the limit typed into DV as the lab reports it ("<0.5", "<LLOQ"): "not a number" left
 * the user to find how a censored level is coded (M3: BLQ 1 with the limit in LLOQ, DV the limit or .).
 */
function belowLimitWhy(s: string): string | undefined {
  const m = /^<\s*=?\s*(?:(\d+(?:\.\d*)?|\.\d+)|(?:LLOQ|LOQ|BLQ|LLQ))$/i.exec(s.trim());
  if (!m) return undefined;
  const limit = m[1] === undefined ? undefined : String(Number(m[1]));
  const dv = limit === undefined ? 'DV the limit' : `DV ${limit} (the limit)`;
  return (
    'a level below the limit of quantification written as text, which DV does not read: to fit it as below the limit (M3), write ' +
    `${dv} or ., BLQ 1 and LLOQ ${limit ?? 'the limit'} (columns BLQ and LLOQ); or MDV 1 to leave it out`
  );
}

/**
 * Why a date or clock time in a column dosewise does not read is refused, not carried: ADT, EXSTDT or
 * ATM beside clock times in TIME moved no time (a level a day after its dose read 2 h after it).
 */
export function dateCellWhy(s: string, column: string): string {
  if (/^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s.trim()))
    return `a clock time in ${column}, which is not read: clock times are read only in TIME (with a DATE column for their dates); give the times in TIME, or drop ${column}`;
  return `a date in ${column}, which is not read (dates are read only from DATE, DAT1, DAT2 or DAT3): to have them read, name the column DATE (ISO 2026-03-04 or month/day/year; DAT1 for day/month/year) with clock times in TIME, or drop ${column}`;
}

/** The data items a model reads: its inputs (covariates, items of its expressions and dose modifiers), its parameters (a column of that name replaces one) and its occasion column. */
export function itemsReadBy(model: Pick<Model, 'inputs' | 'parameterNames' | 'iov'>): string[] {
  return [...model.inputs, ...model.parameterNames, ...(model.iov?.occasion !== undefined ? [model.iov.occasion] : [])];
}

interface TextRecord {
  readonly row: number;
  readonly text?: Readonly<Record<string, string>>;
}

/**
 * Refuses a text cell of a column in `reads` (matched case-insensitively, as the reader matched
 * standard names: a column `sex` of M/F beside a model reading SEX is no column to carry), naming
 * the file, the row, the column and the value as the reader did. Records without text cost one
 * field read each.
 */
export function refuseTextItems(records: readonly TextRecord[], reads: readonly string[], file?: string): void {
  let upper: ReadonlySet<string> | undefined;
  for (const r of records) if (r.text !== undefined) refuseTextCells(r, (upper ??= upperNames(reads)), file);
}

/** The names upper-cased, for refuseTextCells. */
export function upperNames(reads: readonly string[]): ReadonlySet<string> {
  return new Set(reads.map((n) => n.toUpperCase()));
}

/** refuseTextItems for one record, whose text is given; `upper`: upperNames of the names read. */
export function refuseTextCells(r: TextRecord, upper: ReadonlySet<string>, file?: string): void {
  const text = r.text as Readonly<Record<string, string>>;
  for (const c in text) if (upper.has(c.toUpperCase())) throw Errors.csvValue(r.row, c, text[c], textCellWhy(text[c] as string, c), file);
}

/** The columns of the records that hold text, in the order first met. */
export function textColumns(records: readonly TextRecord[]): string[] {
  const out = new Set<string>();
  for (const r of records) if (r.text !== undefined) for (const c in r.text) out.add(c);
  return [...out];
}
