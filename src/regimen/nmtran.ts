// NM-TRAN data sets (CSV) in and out. Reading validates every record and refuses a bad one with an
// error naming its row, column and value; it never guesses a number out of text.

import { DosewiseError, Errors } from '../errors.js';
import { isNumberArray, optionKeys, refuseUnknownKeys, shapeOf } from '../option-keys.js';
import { type DataRecord, SS_FROM_CURRENT, STANDARD_COLUMNS } from './record.js';
import { emptyExtraFieldsHint, extraFieldsHint, isDecimalComma, isMissingCell, separatorProblem } from './csv-dialect.js';
import { dateCellWhy, mayHoldText, textCellWhy } from './text-items.js';
import { clockDstLines, clockDstWarnings, chartZone, type ClockDstNote } from './clock-dst.js';
import { NEAR_DOSE_HOURS, duplicateDoseWarnings } from './dose-duplicates.js';
import { onZoneClock } from './zone-clock.js';
import { repeatedHourNotes } from './repeated-hour.js';
import { monthFirstDat2Warnings } from './month-first-dat2.js';
import { markClockItems } from './clock-records.js';
import { replicateTableRefusal } from './replicate-table.js';
import { commentRecordWarnings, isCommentLine, refuseAmbiguousComments, refuseExcelErrors, splitDataLines, withoutSeparatorLine } from './comment-lines.js';
import { DATE_COLUMNS, clockHoursOf, clockMinutes, dateOrderWarnings, isClockCell, isClockColumn, isDateText, isUndatedClock, refuseUndatedRepeatDoses, swappedOrderHint, unreadTimeWhy } from './clock.js';

export interface ReadOptions {
  /** Shown in error messages. */
  readonly file?: string;
  /**
   * The IANA time zone of the ward's clock (default the process's, TZ). Clock times without a UTC
   * offset are read as written whatever it is (unless onZoneClock); a daylight-saving switch of it
   * between two records of an ID is warned of (W_CLOCK_DST).
   */
  readonly zone?: string;
  /**
   * With `zone`: clock times without a UTC offset are the instants `zone`'s clock showed them, so the
   * hours across a daylight-saving switch are the real ones (and no W_CLOCK_DST is said); a time the
   * clocks skipped is refused. Default false: read on the wall clock.
   */
  readonly onZoneClock?: boolean;
  /**
   * 'hours': TIME holds elapsed hours (since the first record or an origin: a data warehouse's, since
   * birth), read as written. Values between 32,874 and 73,051 are also Excel's serial dates
   * (46000.1667: 2025-12-09 04:00), and dose gaps of 2 to 8 read as a chart's both ways (every 4-7
   * days, q4h-q7h): such a column is refused unless this says which. Default: not said.
   */
  readonly time?: 'hours';
}
const READ_KEYS = optionKeys<ReadOptions>({ file: true, zone: true, onZoneClock: true, time: true });

export interface DataSet {
  /** Header names in file order. */
  readonly columns: readonly string[];
  /** Raw cell text per record, in file order (for writing the rows back untouched). */
  readonly cells: readonly (readonly string[])[];
  readonly records: readonly DataRecord[];
  /** What reading it found doubtful, each starting with its code (W_DATE_ORDER: …); absent when nothing. */
  readonly warnings?: readonly string[];
}

// the commands take a data set's records, grouped by ID and filtered, and say its warnings where
// they say its text columns (cli/text-columns.ts): each warning stays with the record it names
const RECORD_WARNINGS = new WeakMap<DataRecord, string[]>();
// W_CLOCK_DST per ID, said in full for the first IDs given and counted for the rest
const RECORD_DST = new WeakMap<DataRecord, ClockDstNote>();

/** The reading warnings of these records (readNmtran's warnings, of the records given). */
export function readWarnings(records: readonly DataRecord[]): string[] {
  const out: string[] = [];
  const dst: ClockDstNote[] = [];
  for (const r of records) {
    const w = RECORD_WARNINGS.get(r);
    if (w !== undefined) out.push(...w);
    const d = RECORD_DST.get(r);
    if (d !== undefined) dst.push(d);
  }
  return [...out, ...clockDstLines(dst)];
}

/** Splits one CSV line (double quotes, "" escapes), trimming fields. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',').map((s) => s.trim());
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export { isMissingCell };

/** A CSV cell written as a decimal number (a decimal point, an optional exponent). */
export function isNumberCell(s: string): boolean {
  return NUMBER.test(s);
}

/**
 * Parses NM-TRAN CSV text. Lines starting with '#', '@' or 'C' are comments (NONMEM IGNORE=#/@/C),
 * before the header too, but for a first column of text (a WARD CCU) and an Excel error value
 * (comment-lines.ts); lines end with LF, CRLF or a lone CR (Excel's "CSV (Macintosh)").
 */
export function readNmtran(text: string, options: ReadOptions = {}): DataSet {
  // a file read as bytes (readFileSync(path) without 'utf8') or a path instead of nothing failed as
  // "text.replace is not a function"
  if (typeof text !== 'string')
    throw Errors.optionValue('text', text, `readNmtran(text, options): text must be the CSV text of the data set${ArrayBuffer.isView(text) ? ", not its bytes: read it as text (readFileSync(path, 'utf8'), or new TextDecoder().decode(bytes))" : ''}`, shapeOf(text));
  refuseUnknownKeys(options, READ_KEYS, 'readNmtran()');
  const file = options.file;
  if (options.zone !== undefined) chartZone(options.zone);
  if (options.time !== undefined && options.time !== 'hours') throw Errors.optionValue('time', options.time, "readNmtran(text, options): time must be 'hours' (TIME holds elapsed hours, read as written) or left out");
  // UTF-16 (Excel's "Unicode text") read as UTF-8 holds a NUL beside every ASCII letter: it was
  // refused as "required column ID is missing"
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw Errors.csvValue(0, '*', '', `the file holds NUL characters (the first at character ${nul + 1}): it is UTF-16 or not text; save it as CSV in UTF-8`, file);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  withoutSeparatorLine(lines, file);
  const h = headerAt(lines);
  if (h >= lines.length) throw Errors.csvColumnMissing('ID', file);
  const headerLine = (lines[h] as string).replace(/^\s*#/, '');
  const header = splitCsvLine(headerLine);
  const dialect = separatorProblem(headerLine, header);
  if (dialect) throw Errors.csvValue(0, '*', headerLine, dialect, file);
  refuseDuplicateNames(header, file);
  for (const req of ['ID', 'TIME'] as const) if (!header.some((c) => c.toUpperCase() === req)) throw Errors.csvColumnMissing(req, file);
  const rows = splitDataLines(lines, h + 1, header.length, splitCsvLine);
  const named = withoutEmptyTail(header, rows.cells);
  const fitted = fitRows(rows.cells, named.length, (k) => lines[rows.lineAt[k] as number] as string, file);
  refuseAmbiguousComments(rows.skipped, named, fitted, file);
  const skippedRecords = commentRecordWarnings(rows.skipped, named, fitted, file);
  const { columns, cells } = withoutUnusedColumns(named, fitted, file);
  refuseExcelErrors(columns, cells, (c) => !mayHoldText(c), file);
  const idColumn = columns.findIndex((c) => c.toUpperCase() === 'ID');
  refuseUnsafeIds(cells, idColumn, columns[idColumn] as string, file);
  refuseIdSpellings(cells, idColumn, columns[idColumn] as string, file);
  const records: DataRecord[] = [];
  // clock times or timestamps in TIME become hours since each ID's first record (clock.ts);
  // the date column then carries no number
  const ids = cells.map((c) => Number(c[idColumn]));
  const wall = clockMinutes(columns, cells, file, ids, options.time);
  const minutes = wall && options.onZoneClock === true && options.zone !== undefined ? onZoneClock(wall, chartZone(options.zone), columns, cells, file) : wall;
  // a time the zone's clocks repeat: warned, or refused where it decides two records' spacing (repeated-hour.ts)
  const repeated = minutes && minutes !== wall ? repeatedHourNotes(minutes, ids, columns, cells, file) : [];
  const clock = minutes && clockHoursOf(minutes, columns, cells, ids, file);
  const undated = clock !== undefined && isUndatedClock(columns, cells);
  // a ratio (DILUTION 1:10) is a clock time only in a column of clock times: judged once per column
  const clockColumns = new Map<number, boolean>();
  const clockColumn = (i: number): boolean => clockColumns.get(i) ?? clockColumns.set(i, isClockColumn(cells, i)).get(i) as boolean;
  const skip = new Set(clock ? columns.filter((c) => c.toUpperCase() in DATE_COLUMNS || c.toUpperCase() === 'TIME') : []);
  // a refused missing cell of the row being read, as written (one function for every row)
  let current: readonly string[] = [];
  const typed = (name: string): string | undefined => missingCellText(columns, current, name);
  cells.forEach((cell, k) => {
    const r = k + 1;
    const items: Record<string, number> = {};
    // a column dosewise does not read may hold text, kept as written: refused where a model reads it (text-items.ts)
    let text: Record<string, string> | undefined;
    columns.forEach((c, i) => {
      const s = cell[i] as string;
      if (skip.has(c)) items[c] = c.toUpperCase() === 'TIME' ? (clock as number[])[k] as number : NaN;
      else if (isMissingCell(s)) items[c] = NaN;
      else if (isNumberCell(s)) items[c] = c.toUpperCase() === 'TIME' ? elapsedHours(s, r, c, file) : finiteCell(s, r, c, file);
      else if (c.toUpperCase() === 'II' && s.includes(':')) items[c] = durationHours(s, r, c, file);
      else if (mayHoldText(c)) {
        // a date or clock time there was carried as text: ADT beside dateless clock times read a level a day after the dose 2 h after it;
        // beside elapsed hours or dated times nothing is misread, and ADT, a DOB or a scheduled 08:00 is carried
        if (undated && (isDateText(s) || (isClockCell(s.trim()) && clockColumn(i)))) throw Errors.csvValue(r, c, s, dateCellWhy(s, c), file);
        items[c] = NaN;
        (text ??= {})[c] = s;
      } else if (c.toUpperCase() in DATE_COLUMNS && /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(s))
        // NONMEM's DATE=DROP keeps such a column beside elapsed hours; here a date is read only with clock times
        throw Errors.csvValue(r, c, s, `a date, while TIME holds hours since the first record: ${c} is read only with clock times in TIME (08:30); drop the column, as NONMEM's ${c}=DROP does`, file);
      else throw Errors.csvValue(r, c, s, (c.toUpperCase() === 'TIME' && !isDecimalComma(s) && !isClockCell(s) ? unreadTimeWhy(s) : undefined) ?? textCellWhy(s, c), file);
    });
    // advice naming a place in the chart then speaks its clock (clock-records.ts)
    if (clock) markClockItems(items);
    current = cell;
    const record = recordFromItems(items, r, file, typed);
    records.push(text === undefined ? record : { ...record, text });
  });
  checkOrder(records, file, clock ? (row) => written(columns, cells[row - 1] as readonly string[]) : undefined, (before, row) => swappedOrderHint(columns, cells, before, row, file));
  if (clock) refuseUndatedRepeatDoses(columns, cells, records, file);
  const ordered = clock ? dateOrderWarnings(columns, cells, records, file) : [];
  // and a US chart's month/day/year under DAT2, for the IDs not warned so (month-first-dat2.ts)
  const found = clock ? [...ordered, ...monthFirstDat2Warnings(columns, cells, records, new Set(ordered.map((w) => records[w.row - 1]?.ID as number)), file)].sort((x, y) => x.row - y.row) : [];
  const dst = minutes ? clockDstWarnings(minutes, ids, (row) => records[row - 1]?.EVID === 3 || records[row - 1]?.EVID === 4, chartZone(options.zone), options.zone !== undefined, file) : [];
  // a skipped line's warning goes with the record after it (the last, after the last record)
  const skippedAt = skippedRecords.map((w) => ({ row: Math.min(w.before + 1, records.length), text: w.text }));
  const copies = duplicateDoseWarnings(columns, cells, records, (row) => `${clock ? '' : 'TIME '}${written(columns, cells[row - 1] as readonly string[])}`, file);
  if (found.length === 0 && dst.length === 0 && skippedAt.length === 0 && copies.length === 0 && repeated.length === 0) return { columns, cells, records };
  for (const w of [...skippedAt, ...copies, ...found, ...repeated]) {
    const r = records[w.row - 1];
    if (r !== undefined) RECORD_WARNINGS.set(r, [...(RECORD_WARNINGS.get(r) ?? []), w.text]);
  }
  for (const d of dst) RECORD_DST.set(records[d.row - 1] as DataRecord, d);
  return { columns, cells, records, warnings: [...skippedAt.map((w) => w.text), ...copies.map((w) => w.text), ...found.map((w) => w.text), ...repeated.map((w) => w.text), ...clockDstLines(dst)] };
}

/**
 * The index of the header line: the first that is neither blank nor a comment ("# exported from
 * Monolix" above the header was read as the header). A comment line naming ID or TIME is the header
 * written NONMEM's way (#ID,TIME,…, or C,ID,TIME,… with a C column for IGNORE=C).
 */
function headerAt(lines: readonly string[]): number {
  const before = (line: string): boolean => line.trim() === '' || (isCommentLine(line) && !namesIdOrTime(line));
  let h = 0;
  while (h < lines.length && before(lines[h] as string)) h++;
  return h;
}

/** Whether a line holds a field ID or TIME (split at commas, semicolons or tabs, so a semicolon header is still found and named as such). */
function namesIdOrTime(line: string): boolean {
  return line
    .replace(/^\s*#/, '')
    .split(/[,;\t]/)
    .some((f) => /^\s*"?(ID|TIME)"?\s*$/i.test(f));
}

/** Refuses a name given twice, in any case: which column a model reads would be a guess. Unnamed columns: withoutUnusedColumns. */
function refuseDuplicateNames(columns: readonly string[], file?: string): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === '') continue;
    const key = c.toUpperCase();
    if (seen.has(key)) throw Errors.csvValue(0, c, c, 'duplicate column name', file);
    seen.add(key);
  }
}

/** Whether the fields of a row from `width` on are all empty. */
function emptyFrom(cell: readonly string[], width: number): boolean {
  for (let i = width; i < cell.length; i++) if (cell[i] !== '') return false;
  return true;
}

/**
 * Each row cut to the header's `width`. An exporter that ends every data row with a comma the header
 * lacks adds empty fields: dropped when every row has the same count and its extra fields are empty.
 * Any other count is refused: a decimal comma (1,5) splits a number in two, and a row that merely
 * ends with an empty field would read its values in the wrong columns.
 */
function fitRows(cells: string[][], width: number, lineOf: (k: number) => string, file?: string): string[][] {
  const n = cells[0]?.length ?? width;
  if (n > width && cells.every((c) => c.length === n && emptyFrom(c, width))) {
    for (const c of cells) c.length = width;
    return cells;
  }
  // a row with too few fields or a value beyond the header first; else rows ending alike with empty fields
  const bad = cells.findIndex((c) => c.length < width || (c.length > width && !emptyFrom(c, width)));
  const k = bad >= 0 ? bad : cells.findIndex((c) => c.length !== width);
  if (k < 0) return cells;
  const found = (cells[k] as string[]).length;
  const other = cells.findIndex((c) => c.length !== found);
  const hint = bad >= 0 ? extraFieldsHint(found, width) : emptyExtraFieldsHint(other + 1, (cells[other] as string[]).length);
  throw Errors.csvValue(k + 1, '*', lineOf(k), `expected ${width} fields like the header, found ${found}${hint}`, file);
}

/**
 * The header without its trailing empty names where every row stops before them, with the same
 * number of fields: a header ending with a comma the rows lack (the reverse of fitRows' case) was
 * refused as "expected 5 fields like the header, found 4". No row has a field there, so no value
 * can be read in the wrong column.
 */
function withoutEmptyTail(header: string[], cells: readonly (readonly string[])[]): string[] {
  const n = cells[0]?.length;
  if (n === undefined || n >= header.length || !cells.every((c) => c.length === n)) return header;
  for (let i = n; i < header.length; i++) if (header[i] !== '') return header;
  return header.slice(0, n);
}

/**
 * The columns without the unnamed ones whose cells are all empty (a spreadsheet's unused columns,
 * saved as trailing commas on every line: two of them were refused as a duplicate name ""). A lone
 * unnamed column stays where it holds no value, or where it is the first column (R's write.csv
 * names its row names so); elsewhere one holding a value is refused, naming its position and the
 * row: it was kept as an item "" no model reads, so a RATE column left unnamed dosed a bolus and WT
 * written 70,5 read 70. Among several, one holding values cannot be told from the others and is
 * refused, naming it.
 */
export function withoutUnusedColumns(named: readonly string[], cells: string[][], file?: string): { columns: string[]; cells: string[][] } {
  const unnamed = named.flatMap((c, i) => (c === '' ? [i] : []));
  if (unnamed.length === 1 && (unnamed[0] as number) > 0) refuseUnnamedValue(unnamed[0] as number, named.length, cells, file);
  if (unnamed.length < 2) return { columns: [...named], cells };
  // a column of missing values ('.', NA, blank: a spacer) holds nothing; R's row names (the first
  // column) beside an empty trailing column were refused as two unnamed columns holding values
  const valued = unnamed.filter((i) => cells.some((r) => !isMissingCell(r[i] ?? '')));
  const rowNames = valued.length === 1 && valued[0] === 0;
  // beside R's row names the other column holding a value is the one to name (column 1 was blamed)
  if (!rowNames && valued[0] === 0) refuseUnnamedValue(valued[1] as number, named.length, cells, file);
  if (!rowNames)
    for (const i of valued) {
      const k = cells.findIndex((r) => !isMissingCell(r[i] ?? ''));
      const other = (unnamed.find((j) => j !== i) as number) + 1;
      throw Errors.csvValue(0, `#${i + 1}`, (cells[k] as string[])[i], `column ${i + 1} has no name (nor has column ${other}) but holds values (row ${k + 1}); name it, or delete it`, file);
    }
  const keep = <T>(row: readonly T[]): T[] => row.filter((_, i) => named[i] !== '' || (rowNames && i === 0));
  return { columns: keep(named), cells: cells.map(keep) };
}

/** Refuses the first value in the unnamed column `i` of `width`, naming its row (a decimal comma split across the last two columns is named as one). */
function refuseUnnamedValue(i: number, width: number, cells: readonly (readonly string[])[], file?: string): void {
  // '.' and NA are missing values here as in every column: a spacer column of dots holds nothing
  const k = cells.findIndex((r) => !isMissingCell(r[i] ?? ''));
  if (k < 0) return;
  const row = cells[k] as readonly string[];
  const v = row[i] as string;
  const before = row[i - 1] as string;
  const split = i === width - 1 && /^[-+]?\d+$/.test(before) && /^\d+$/.test(v);
  const hint = split ? ` (a decimal comma, as in ${before},${v}? dosewise reads numbers with a decimal point: ${before}.${v})` : '';
  throw Errors.csvValue(k + 1, `#${i + 1}`, v, `column ${i + 1} has no name but holds a value${hint}; name it, or delete it (an unnamed column is read only as R's row names, the first column, or when it is empty)`, file);
}

/**
 * Refuses an ID a double does not hold exactly: above 2^53 − 1, 12345678901234567 and
 * 12345678901234568 are the same number, and two patients' records merged into one subject.
 */
function refuseUnsafeIds(cells: readonly (readonly string[])[], idColumn: number, column: string, file?: string): void {
  cells.forEach((cell, k) => {
    const s = cell[idColumn] as string;
    const why = isNumberCell(s) ? idNumberProblem(Number(s)) : undefined;
    if (why) throw Errors.csvValue(k + 1, column, s, why, file);
  });
}

/**
 * Refuses one ID number written two ways: IDs 101.1 and 101.10 (text IDs from a system that reads
 * them as two patients) are one number, and their records were merged into one patient without a
 * word (the second one's first dose read 2.1814 for 2, on top of the first one's). 1 and 1.0 are the
 * same mistake the other way round (one patient whose ID is written two ways); either way which one
 * was meant is not for a reader to guess. Every ID cell must be written as that ID's first is. Checked
 * where the text changes from the row before (a new block), so a data set costs one Map per ID.
 */
function refuseIdSpellings(cells: readonly (readonly string[])[], idColumn: number, column: string, file?: string): void {
  const first = new Map<number, { readonly text: string; readonly row: number }>();
  let prev: string | undefined;
  cells.forEach((cell, k) => {
    const s = cell[idColumn] as string;
    if (s === prev) return;
    prev = s;
    // a cell that is no number is refused with the record, naming it
    if (!isNumberCell(s)) return;
    const id = Number(s);
    const seen = first.get(id);
    if (!seen) first.set(id, { text: s, row: k + 1 });
    else if (seen.text !== s)
      throw Errors.csvValue(k + 1, column, s, `ID ${s} is the number ${id}, as is ID ${seen.text} of row ${seen.row}: read as numbers they are one patient. If they are two, give them IDs that differ as numbers (1, 2, 3, …; keep the original in a column of its own); if one, write its ID alike on every row`, file);
  });
}

/** Why an ID read as `id` cannot be told from its neighbours, or undefined when it can (any safe integer, or a non-integer). */
export function idNumberProblem(id: number): string | undefined {
  if (!Number.isInteger(id) || Number.isSafeInteger(id)) return undefined;
  return `IDs ${id < 0 ? `below −${Number.MAX_SAFE_INTEGER} (−(2^53 − 1))` : `above ${Number.MAX_SAFE_INTEGER} (2^53 − 1)`} cannot be told apart as numbers (12345678901234567 and 12345678901234568 are the same double), so two patients would merge; renumber the IDs (1, 2, 3, …) and keep the original number in a column of its own`;
}

/** An II written as a clock duration: h:mm or h:mm:ss (hours of any number of digits). */
const DURATION = /^(\d+):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
const DURATION_WHY = 'not a duration (h:mm or h:mm:ss, minutes and seconds 00 to 59; or hours: 1.5)';

/**
 * Hours of an II written h:mm or h:mm:ss. NM-TRAN's II help: "Any II value ... that contains a
 * colon (:) is assumed to be a clock time (hh:min)" and converted, 1:30 to 1.50 (it was refused here
 * as a clock time in a column other than TIME). Minutes and seconds are 00 to 59.
 */
function durationHours(s: string, row: number, column: string, file?: string): number {
  // 1:5 (1:05 or 1:50?) was "not a number"
  const m = DURATION.exec(s);
  if (!m) throw Errors.csvValue(row, column, s, DURATION_WHY, file);
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  if (!(min < 60 && sec < 60)) throw Errors.csvValue(row, column, s, DURATION_WHY, file);
  // one rounding: seconds, then hours (1:20 is 4800 s, 1.3333333333333333 h)
  const hours = (h * 3600 + min * 60 + sec) / 3600;
  if (!Number.isFinite(hours)) throw Errors.csvValue(row, column, s, 'the number is too large (beyond ±1.8e308, it would become infinite)', file);
  return hours;
}

/** The number of a numeric cell; one too large for a double (1e400, a runaway numeral) is refused, not read as ±Infinity. */
export function finiteCell(s: string, row: number, column: string, file?: string): number {
  const v = Number(s);
  if (!Number.isFinite(v)) throw Errors.csvValue(row, column, s, 'the number is too large (beyond ±1.8e308, it would become infinite)', file);
  return v;
}

/** A name that toUpperCase() leaves as it is and that no other spelling upper-cases to. */
const UPPER_NAME = /^[A-Z0-9_]*$/;

/**
 * The value of a standard item, matched case-insensitively; `upper` (every key of items is an
 * UPPER_NAME) skips the search for another spelling, which would allocate on every missing name.
 */
function get(items: Record<string, number>, name: string, upper = false): number {
  const exact = items[name];
  if (exact !== undefined) return exact;
  if (upper) return NaN;
  for (const k of Object.keys(items)) if (k.toUpperCase() === name) return items[k] as number;
  return NaN;
}

/**
 * Builds and validates one record from its named items (standard names matched case-insensitively).
 * `typed`: a file's cell of a standard item as written, so that a refused missing cell ("." or
 * empty) is shown as typed: a TIME or ID "." was refused "(got NaN)", the reader's number for it.
 */
export function recordFromItems(items: Record<string, number>, row: number, file?: string, typed?: (name: string) => string | undefined): DataRecord {
  // a missing value as the file wrote it; a record built in code shows the NaN it holds
  const shownAs = (name: string, v: number): number | string => (Number.isNaN(v) ? (typed?.(name) ?? v) : v);
  // whether every name is already upper case (the usual data set, and every cohort task): then a
  // missing item is not searched for under another spelling
  let upper = true;
  for (const k in items)
    if (!UPPER_NAME.test(k)) {
      upper = false;
      break;
    }
  const ID = get(items, 'ID', upper);
  if (!Number.isFinite(ID)) throw Errors.record(row, 'ID', shownAs('ID', ID), 'ID is required', file);
  // a table of columns of int64 IDs (9007199254740992 and …993, one double) merged two patients
  if (ID > Number.MAX_SAFE_INTEGER || ID < -Number.MAX_SAFE_INTEGER) throw Errors.record(row, 'ID', ID, idNumberProblem(ID) as string, file);
  const TIME = get(items, 'TIME', upper);
  // a file's "." or empty cell arrives as NaN: say so, not "(got NaN)" alone
  if (!Number.isFinite(TIME)) throw Errors.record(row, 'TIME', shownAs('TIME', TIME), Number.isNaN(TIME) ? 'TIME is required: a record without a time (".", an empty cell or no TIME item) has no place in the profile' : 'TIME must be finite', file);
  for (const k in items) {
    const v = items[k] as number;
    if (v === Infinity || v === -Infinity) throw Errors.record(row, k, v, 'must be a finite number', file);
  }
  const amtRaw = get(items, 'AMT', upper);
  const AMT = Number.isNaN(amtRaw) ? 0 : amtRaw;
  const MDV0 = get(items, 'MDV', upper);
  // any other code (NONMEM's MDV is a yes/no) dropped the level without a word
  if (!Number.isNaN(MDV0) && MDV0 !== 0 && MDV0 !== 1) throw Errors.record(row, 'MDV', MDV0, 'MDV must be 0 (a level to use) or 1 (none)', file);
  const evidRaw = get(items, 'EVID', upper);
  const EVID = Number.isNaN(evidRaw) ? (AMT !== 0 ? 1 : 0) : evidRaw;
  if (EVID !== 0 && EVID !== 1 && EVID !== 2 && EVID !== 3 && EVID !== 4) throw Errors.record(row, 'EVID', EVID, 'EVID must be 0, 1, 2, 3 or 4', file);
  const num = (name: string, dflt: number): number => {
    const v = get(items, name, upper);
    return Number.isNaN(v) ? dflt : v;
  };
  const CMT = num('CMT', 0);
  const RATE = num('RATE', 0);
  const ADDL = num('ADDL', 0);
  const II = num('II', 0);
  // SS = 3 on a dose is NONMEM's SS = 1 but for the start of the search of its general steady-state
  // routines (SS6, SS9: the current state): read as SS = 1 here, which steadyStateThreeRefusal
  // refuses in a model not linear in its states, the one place the two may differ (it finds the
  // SS = 3 records by their item, which keeps the 3). Refused before, though valid NONMEM input.
  const ssItem = num('SS', 0);
  const SS = ssItem === SS_FROM_CURRENT && (EVID === 1 || EVID === 4) ? 1 : ssItem;
  // without an EVID column a record is a dose only where AMT ≠ 0, so a steady-state constant
  // infusion (AMT 0, RATE > 0, SS 1) became an observation, and its RATE was refused as one
  // (II or ADDL alone is no infusion: such a row is an observation, refused as one by validateRecord)
  if (Number.isNaN(evidRaw) && AMT === 0 && (RATE !== 0 || SS !== 0)) {
    const [name, v] = RATE !== 0 ? ['RATE', RATE] : ['SS', SS];
    throw Errors.record(row, name, v, 'the data have no EVID, and without it a record is a dose only where AMT ≠ 0 (this one has none); a steady-state constant infusion (AMT 0, RATE > 0, SS 1) needs an EVID column with EVID 1 on its row', file);
  }
  const r: DataRecord = {
    row,
    ID,
    TIME,
    EVID,
    AMT,
    CMT,
    RATE,
    ADDL,
    II,
    SS,
    DV: num('DV', NaN),
    MDV: Number.isNaN(MDV0) ? (EVID === 0 ? 0 : 1) : MDV0,
    items,
  };
  validateRecord(r, file, Number.isNaN(amtRaw), { mdv: Number.isNaN(MDV0), evid: Number.isNaN(evidRaw), amt: typed?.('AMT') });
  return r;
}

const EVENT_KIND = ['an observation', 'a dose', 'an other-type', 'a reset', 'a reset-and-dose'];

/** What a data file's missing cell of a standard field is read as (what a record built in code writes instead of NaN). */
const MISSING_AS: Readonly<Record<string, string>> = { ID: 'refused', TIME: 'refused', EVID: '1 with an amount, else 0', AMT: '0', CMT: '0', RATE: '0', ADDL: '0', II: '0', SS: '0', MDV: '0 on observations, else 1' };

/**
 * Refuses a standard field of a record built in code that is not a number, or not finite (NaN only
 * in DV, where it means no level): a string from a web form ('7.769') was read as TIME 247.28 h
 * after JavaScript's concatenation, EVID '1' dosed nothing, a DV string fitted the prior.
 */
function refuseField(row: number, name: string, v: unknown, file?: string): never {
  if (typeof v !== 'number')
    throw Errors.record(row, name, v, `${name} must be a number, not ${v === null ? 'null' : typeof v}${typeof v === 'string' ? ' (text is not read as a number: convert form input with Number() and check it)' : ''}`, file);
  if (name === 'DV') throw Errors.record(row, name, v, 'DV must be a finite number, or NaN for no level', file);
  const missing = MISSING_AS[name] as string;
  throw Errors.record(row, name, v, `${name} must be a finite number${Number.isNaN(v) ? ` (a data file's missing ${name} is ${missing === 'refused' ? 'refused' : `read as ${missing}`}; a record built in code gives that number)` : ''}`, file);
}

/**
 * What checkRecords saw of each record in its pass, for the checks after it: a check that reads only
 * dose records, or only levels of another compartment, then reads those, not every record again
 * (each pass over 730,000 records cost 6–9 ms in memory traffic alone, a third of simulate() on
 * 2,000 subjects' own records).
 */
export class RecordCensus {
  // positions in a typed array: a plain array grown by push left 1.8 MB of garbage per pass
  private positions = new Int32Array(256);
  private nEvents = 0;
  /** Whether any record carries text cells. */
  anyText = false;
  /** Bit c set where an observation record (EVID 0) has CMT c, for c ≤ 30. */
  private levelCmts = 0;
  /** An observation record with a CMT above 30. */
  private highCmt = false;
  /** A record without a row of its own (built in code as a plain object): withRows gives it one. */
  rowless = false;
  // doses with a record of their ID at most 15 minutes before them, the record before them: the
  // only ones that may copy another (codeDoseDuplicates), found while each record is in cache
  private nearPositions = new Int32Array(16);
  private nNear = 0;
  private prevId = NaN;
  private prevTime = NaN;

  // the steady-state doses apart: three checks read only them, and the 56,000 dose records of
  // 2,000 subjects' own records, read again by each (a cache miss per record), cost 3 ms a check
  private ssPositions = new Int32Array(16);
  private nSteady = 0;
  private durPcmtPositions = new Int32Array(16);
  private nDurPcmt = 0;

  see(r: DataRecord, i: number): void {
    if (r.EVID !== 0) {
      if (this.nEvents === this.positions.length) {
        const grown = new Int32Array(2 * this.nEvents);
        grown.set(this.positions);
        this.positions = grown;
      }
      this.positions[this.nEvents++] = i;
      if (r.SS !== 0) {
        if (this.nSteady === this.ssPositions.length) {
          const grown = new Int32Array(2 * this.nSteady);
          grown.set(this.ssPositions);
          this.ssPositions = grown;
        }
        this.ssPositions[this.nSteady++] = i;
      }
      // checkRecord has just read these items (their shape is in cache); refuseDurItem, reading
      // them again for every dose record, missed the cache each time: 4 ms of 2,000 subjects' own records
      const it = r.items;
      if (it.DUR !== undefined || it.dur !== undefined || it.Dur !== undefined || it.PCMT !== undefined || it.pcmt !== undefined || it.Pcmt !== undefined) {
        if (this.nDurPcmt === this.durPcmtPositions.length) {
          const grown = new Int32Array(2 * this.nDurPcmt);
          grown.set(this.durPcmtPositions);
          this.durPcmtPositions = grown;
        }
        this.durPcmtPositions[this.nDurPcmt++] = i;
      }
    }
    else if (r.CMT <= 30) this.levelCmts |= 1 << r.CMT;
    else this.highCmt = true;
    if (r.text !== undefined) this.anyText = true;
    const row = r.row;
    if (typeof row !== 'number' || row - row !== 0) this.rowless = true;
    if ((r.EVID === 1 || r.EVID === 4) && r.ID === this.prevId && r.TIME - this.prevTime <= NEAR_DOSE_HOURS) {
      if (this.nNear === this.nearPositions.length) {
        const grown = new Int32Array(2 * this.nNear);
        grown.set(this.nearPositions);
        this.nearPositions = grown;
      }
      this.nearPositions[this.nNear++] = i;
    }
    this.prevId = r.ID;
    this.prevTime = r.TIME;
  }

  /** Whether every observation record's CMT is one of `cmts` (each ≤ 30). */
  levelsOnlyIn(cmts: readonly number[]): boolean {
    let allowed = 0;
    for (const c of cmts) {
      if (!(c >= 0 && c <= 30)) return false;
      allowed |= 1 << c;
    }
    return !this.highCmt && (this.levelCmts & ~allowed) === 0;
  }

  /** Positions of the records that are not observations (EVID ≠ 0), in order. */
  get events(): Int32Array {
    return this.positions.subarray(0, this.nEvents);
  }

  /** Positions of the records that are not observations and have an SS other than 0, in order. */
  get steadyStates(): Int32Array {
    return this.ssPositions.subarray(0, this.nSteady);
  }

  /** Positions of the dose records that follow a record of their ID by at most NEAR_DOSE_HOURS, in order (the records seen in order from the first). */
  get nearDoses(): Int32Array {
    return this.nearPositions.subarray(0, this.nNear);
  }

  /** Positions of the records that are not observations and carry a DUR or PCMT item (as refuseDurItem spells them), in order. */
  get durOrPcmt(): Int32Array {
    return this.durPcmtPositions.subarray(0, this.nDurPcmt);
  }
}

/**
 * Refuses records built or edited in code that readNmtran refuses, naming the row, the field and the
 * value: `records` must be an array of records with `items`, standard fields numbers (finite; DV may
 * be NaN), EVID 0–4, MDV 0 or 1, and the dose items NONMEM's rules allow. simulate(), estimate() and
 * forecast() ran such records ({ ...r, AMT: 0 }, EVID 7, SS 3, MDV 5 on a level) into all-zero
 * predictions or an estimate at the prior, without a word. Once per public call: a linear pass of
 * field reads (readNmtran's records pass it by construction). `what` names the argument; `order`
 * also checks what checkRecordOrder checks (each ID's records contiguous and in time order).
 */
export function checkRecords(records: unknown, what = 'records', file?: string, order = true, census?: RecordCensus): asserts records is readonly DataRecord[] {
  if (!Array.isArray(records)) throw Errors.optionValue(what, records, 'must be an array of records (as readNmtran(text).records or regimen().records() give)', records === null ? 'null' : typeof records === 'object' ? 'an object that is not an array' : undefined);
  // with `order`, checkRecordOrder's checks in the same pass (the records are read once: a pass over
  // 730,000 records costs ~10 ms in memory traffic alone); a returning ID is refused before its
  // times are compared, so the last time of the current ID is all there is to keep
  let prevId = NaN;
  let lastTime = -Infinity;
  let seen: Set<number> | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    checkRecord(r, i, file);
    if (census) census.see(r, i);
    if (!order) continue;
    if (r.ID !== prevId) {
      refuseUnsafeId(r, i, file);
      if (i > 0) {
        seen ??= new Set<number>();
        seen.add(prevId);
        if (seen.has(r.ID)) throw Errors.record(r.row, 'ID', r.ID, 'the records of an ID must be contiguous', file);
      }
      prevId = r.ID;
    } else if (r.TIME < lastTime) throw timeGoesBack(r, lastTime, file);
    lastTime = r.TIME;
  }
}

/**
 * checkRecords' pass (with `order` and a census) one record at a time, for a caller that reads each
 * record for its own work in the same pass (the layout by design, design-groups.ts): the same
 * checks, census and order checks, raising the same errors; see() must be given every record of
 * the array once, in order, from the first, and the array must be an array (checkRecords' first test).
 * Reading the records twice, once for the checks and once for the layout, loaded each of 730,000
 * record objects and their items from memory twice (2,000 W-gp subjects).
 */
export class RecordPass {
  private prevId = NaN;
  private lastTime = -Infinity;
  private seen: Set<number> | undefined;

  constructor(
    readonly census: RecordCensus,
    private readonly file?: string,
  ) {}

  see(x: unknown, i: number): void {
    // checkRecords' loop body, with `order` and its census
    checkRecord(x, i, this.file);
    const r = x as DataRecord;
    this.census.see(r, i);
    if (r.ID !== this.prevId) {
      refuseUnsafeId(r, i, this.file);
      if (i > 0) {
        const seen = (this.seen ??= new Set<number>());
        seen.add(this.prevId);
        if (seen.has(r.ID)) throw Errors.record(r.row, 'ID', r.ID, 'the records of an ID must be contiguous', this.file);
      }
      this.prevId = r.ID;
    } else if (r.TIME < this.lastTime) throw timeGoesBack(r, this.lastTime, this.file);
    this.lastTime = r.TIME;
  }
}

/**
 * Refuses an ID beyond 2^53 − 1 as readNmtran does (records built from int64 IDs: two patients one
 * double, merged without a word). Checked where the ID changes, once per subject.
 */
function refuseUnsafeId(r: DataRecord, i: number, file?: string): void {
  if (r.ID > Number.MAX_SAFE_INTEGER || r.ID < -Number.MAX_SAFE_INTEGER) throw Errors.record(rowOf(r, i), 'ID', r.ID, idNumberProblem(r.ID) as string, file);
}

function checkRecord(x: unknown, i: number, file?: string): void {
  if (typeof x !== 'object' || x === null) throw Errors.record(i + 1, '*', x, 'a record must be an object { ID, TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, DV, MDV, items }', file);
  const r = x as DataRecord;
  const items: unknown = r.items;
  if (typeof items !== 'object' || items === null || Array.isArray(items))
    throw Errors.record(rowOf(r, i), 'items', items, 'a record needs its data items as an object, every column by name (e.g. { ID: 1, TIME: 0, WT: 70 }); readNmtran() and regimen().records() give them', file);
  // the usual record passes on a few comparisons (v − v is 0 for a finite number only): an
  // observation, other-type or reset record without dose items, a plain dose, and a level's MDV as
  // NONMEM allows it; anything else goes through every check, which names what is wrong
  const { ID, TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, DV, MDV } = r;
  if (
    typeof ID === 'number' && ID - ID === 0 && typeof TIME === 'number' && TIME - TIME === 0 &&
    typeof CMT === 'number' && CMT >= 0 && (CMT | 0) === CMT &&
    typeof DV === 'number' && (DV - DV === 0 || DV !== DV) &&
    (MDV === 1 || (MDV === 0 && (EVID === 0 || DV === 0 || DV !== DV)))
  ) {
    if ((EVID === 0 || EVID === 2 || EVID === 3) && AMT === 0 && RATE === 0 && ADDL === 0 && II === 0 && SS === 0) return;
    if (EVID === 1 && typeof AMT === 'number' && AMT > 0 && AMT - AMT === 0 && SS === 0 && (RATE === 0 || (RATE > 0 && RATE - RATE === 0)) && ADDL === 0 && II === 0) return;
  }
  checkRecordFully(r, i, file);
}

/** The row a record names: its own, or its position + 1 for one built in code without a row. */
function rowOf(r: DataRecord, i: number): number {
  return typeof r.row === 'number' && Number.isFinite(r.row) ? r.row : i + 1;
}

function checkRecordFully(r: DataRecord, i: number, file?: string): void {
  const row = rowOf(r, i);
  const { ID, TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, DV, MDV } = r;
  if (typeof ID !== 'number' || ID - ID !== 0) refuseField(row, 'ID', ID, file);
  if (typeof TIME !== 'number' || TIME - TIME !== 0) refuseField(row, 'TIME', TIME, file);
  if (typeof EVID !== 'number' || EVID - EVID !== 0) refuseField(row, 'EVID', EVID, file);
  if (typeof AMT !== 'number' || AMT - AMT !== 0) refuseField(row, 'AMT', AMT, file);
  if (typeof CMT !== 'number' || CMT - CMT !== 0) refuseField(row, 'CMT', CMT, file);
  if (typeof RATE !== 'number' || RATE - RATE !== 0) refuseField(row, 'RATE', RATE, file);
  if (typeof ADDL !== 'number' || ADDL - ADDL !== 0) refuseField(row, 'ADDL', ADDL, file);
  if (typeof II !== 'number' || II - II !== 0) refuseField(row, 'II', II, file);
  if (typeof SS !== 'number' || SS - SS !== 0) refuseField(row, 'SS', SS, file);
  if (typeof DV !== 'number' || (DV - DV !== 0 && DV === DV)) refuseField(row, 'DV', DV, file);
  if (typeof MDV !== 'number' || MDV - MDV !== 0) refuseField(row, 'MDV', MDV, file);
  if (EVID !== 0 && EVID !== 1 && EVID !== 2 && EVID !== 3 && EVID !== 4) throw Errors.record(row, 'EVID', EVID, 'EVID must be 0, 1, 2, 3 or 4', file);
  if (MDV !== 0 && MDV !== 1) throw Errors.record(row, 'MDV', MDV, 'MDV must be 0 (a level to use) or 1 (none)', file);
  validateRecord(row === r.row ? r : { ...r, row }, file);
}

/**
 * Why a CMT is refused. A negative one is valid NONMEM input (it turns that compartment off) that
 * dosewise does not take: "CMT must be a positive integer (got -3)" read as a typing error, and
 * beside CMT 0, which is taken, as a wrong rule.
 */
function cmtWhy(r: DataRecord): string {
  if (!Number.isInteger(r.CMT)) return 'CMT must be a whole number: a compartment, or 0 for the default one';
  const k = -r.CMT;
  const instead = r.EVID === 0 ? `write CMT ${k} (or 0) to keep the level with the compartment on` : 'remove the record';
  return `CMT −${k} (NONMEM: turn compartment ${k} off) is not supported: every compartment stays on here; ${instead}`;
}

/** `missing`: which of MDV and EVID a data file left missing (a record built in code gives both). */
function validateRecord(r: DataRecord, file?: string, amtMissing = false, missing?: { readonly mdv: boolean; readonly evid: boolean; readonly amt?: string }): void {
  const { row } = r;
  if (!Number.isInteger(r.CMT) || r.CMT < 0) throw Errors.record(row, 'CMT', r.CMT, cmtWhy(r), file);
  // NONMEM's rule: dose items are 0 on observation, other-type and reset records, and a level is
  // read only from an observation record. Both were dropped without a word (a charted dose written
  // with EVID 0 simulated as no dose at all).
  if (r.EVID !== 1 && r.EVID !== 4)
    for (const [name, v] of [['AMT', r.AMT], ['RATE', r.RATE], ['ADDL', r.ADDL], ['II', r.II], ['SS', r.SS]] as const)
      if (v !== 0) throw Errors.record(row, name, v, `${EVENT_KIND[r.EVID]} record (EVID ${r.EVID}) gives no dose, so ${name} must be 0 or missing (a dose is EVID 1, or 4 after a reset)`, file);
  // (a DV left empty or 0 there is no level to lose, and is common on dose rows)
  if (r.EVID !== 0 && r.MDV === 0 && Number.isFinite(r.DV) && r.DV !== 0)
    throw Errors.record(row, 'MDV', 0, `${EVENT_KIND[r.EVID]} record (EVID ${r.EVID}) has no level: its DV ${r.DV} would be dropped (MDV 0 is for observation records, EVID 0); put the level on a row of its own, or set MDV 1`, file);
  // a missing MDV is 1 there, so the level went the same way without a word (a trough charted on
  // the next dose's row: CL 3.98 for 5.30 with the level on its own row)
  if (r.EVID !== 0 && missing?.mdv && Number.isFinite(r.DV) && r.DV !== 0) {
    const column = Object.keys(r.items).some((k) => k.toUpperCase() === 'MDV');
    const evid = missing.evid ? `EVID ${r.EVID}: with EVID missing a record with AMT ≠ 0 is a dose` : `EVID ${r.EVID}`;
    throw Errors.record(row, 'DV', r.DV, `${EVENT_KIND[r.EVID]} record (${evid}) has no level: its DV ${r.DV} would be dropped (${column ? 'its MDV is missing, which is 1 on a record other than an observation' : 'the data have no MDV column, and MDV is 1 on a record other than an observation'}; a level is read only from an observation record, EVID 0); put the level on a row of its own, or set MDV 1 (a DV of 0 or . there passes)`, file);
  }
  if (r.EVID !== 1 && r.EVID !== 4) return;
  // one wording with AMT 0's below ("must be ≥ 0" for -100 beside "needs an amount > 0" for 0)
  if (!Number.isFinite(r.AMT) || r.AMT < 0)
    throw Errors.record(row, 'AMT', r.AMT, `a dose record (EVID ${r.EVID}) needs ${Number.isFinite(r.AMT) ? 'an amount' : 'a finite amount'} > 0`, file);
  // A dose record without an amount would silently dose nothing (and fits, forecasts and designs would
  // carry on as if it had been given). The one dose record NONMEM defines with AMT = 0 is the
  // steady-state constant infusion: SS = 1 or 2 (PREDPP reads the same items for both; SS = 2 was
  // refused here though the event compiler adds its steady state), RATE > 0, no II.
  const constantInfusion = (r.SS === 1 || r.SS === 2) && r.AMT === 0 && r.RATE > 0 && !(r.II > 0);
  if (!constantInfusion && (amtMissing || r.AMT === 0)) {
    const what = `a dose record (EVID ${r.EVID}) needs an amount > 0`;
    // no AMT cell to show ("(got NaN)" was the reader's number): said without a value, naming a
    // column that may hold the amounts under another name (DOSE)
    if (amtMissing && !Object.keys(r.items).some((k) => k.toUpperCase() === 'AMT'))
      throw new DosewiseError('E_RECORD', `${file === undefined ? '' : `${file}, `}row ${row}, column AMT: ${what}, and the data have no AMT column${amountLookalike(r)}`, { file, row, column: 'AMT' });
    const unsupported = amtMissing ? undefined : unsupportedSteadyState(r);
    if (unsupported !== undefined) throw Errors.record(row, 'AMT', r.AMT, unsupported, file);
    throw Errors.record(row, 'AMT', amtMissing ? (missing?.amt ?? '.') : r.AMT, `${what}${r.RATE !== 0 ? ' (a RATE or duration without an amount gives no drug)' : ''}; AMT = 0 is allowed only for a steady-state constant infusion (SS = 1 or 2, RATE > 0, no II)`, file);
  }
  if (!(r.RATE >= 0 || r.RATE === -1 || r.RATE === -2))
    throw Errors.record(row, 'RATE', r.RATE, 'RATE must be > 0 (rate), 0 (bolus), -1 (modelled rate) or -2 (modelled duration)', file);
  if (!Number.isInteger(r.ADDL) || r.ADDL < 0) throw Errors.record(row, 'ADDL', r.ADDL, 'ADDL must be a non-negative integer', file);
  if (!Number.isFinite(r.II) || r.II < 0) throw Errors.record(row, 'II', r.II, 'II must be ≥ 0', file);
  if (r.ADDL > 0 && !(r.II > 0)) throw Errors.record(row, 'II', r.II, 'II must be > 0 when ADDL > 0', file);
  if (![0, 1, 2].includes(r.SS))
    throw Errors.record(row, 'SS', r.SS, r.SS === SS_FROM_CURRENT ? `SS must be 0, 1 or 2; SS 3 (NONMEM: SS 1 with its steady-state search started from the current state) is read from items (a data set's rows, a regimen's doses), not in a record built as an object: give SS 1, the same steady state in a model linear in its states` : 'SS must be 0, 1 or 2', file);
  if (r.SS > 0 && !(r.II > 0)) {
    if (!constantInfusion)
      throw Errors.record(row, 'II', r.II, 'a steady-state dose (SS > 0) needs II > 0 (or AMT = 0 with RATE > 0 for a constant infusion)', file);
  }
}

/** The cell of standard column `name` (any letter case) where it is a missing one ("." or empty), as written; undefined otherwise. */
function missingCellText(columns: readonly string[], cell: readonly string[], name: string): string | undefined {
  const i = columns.findIndex((c) => c.toUpperCase() === name);
  const s = i < 0 ? undefined : cell[i];
  return s !== undefined && isMissingCell(s) ? s : undefined;
}

/** A column of the record named like an amount (DOSE, AMOUNT, DOSE_MG) that holds a number > 0 on it, as a hint; '' where none. */
function amountLookalike(r: DataRecord): string {
  for (const [k, v] of Object.entries(r.items))
    if (/^(?:\w*DOSE\w*|AMOUNT\w*|AMT_?\w+)$/i.test(k) && v > 0) return `; column ${k} holds ${v} on this row: if it is the amount, name the column AMT`;
  return '';
}

/**
 * Why a dose record of AMT 0, SS 1 or 2 and no II that NONMEM reads as a steady state is refused:
 * at the model's rate (RATE −1) or of the model without doses (RATE 0), each valid NONMEM input
 * dosewise does not take. Its refusal read "a RATE … without an amount gives no drug".
 */
function unsupportedSteadyState(r: DataRecord): string | undefined {
  if (!(r.SS === 1 || r.SS === 2) || r.AMT !== 0 || r.II > 0) return undefined;
  if (r.RATE === -1) return `AMT 0, RATE −1 and SS ${r.SS} (NONMEM: the steady state of an infusion at the model's rate) is not supported: give the rate in RATE (> 0) for a steady-state constant infusion (AMT 0, SS ${r.SS}, no II), or an amount with RATE −1 and an II for repeated doses at steady state`;
  if (r.RATE === 0) return `AMT 0, RATE 0 and SS ${r.SS} (NONMEM: the steady state of the model without doses) is not supported: every compartment starts at 0 here (a model text at its init()); remove the record`;
  return undefined;
}

/** A row's date and clock time as written (DATE 03/04/2026, TIME 19:30 → "03/04/2026 19:30"). */
function written(columns: readonly string[], cell: readonly string[]): string {
  return columns
    .map((c, i) => (c.toUpperCase() in DATE_COLUMNS || c.toUpperCase() === 'TIME' ? (cell[i] as string) : undefined))
    .filter((x): x is string => x !== undefined && x !== '')
    .join(' ');
}

/**
 * Records as the engine walks them: each ID's records contiguous and in time order, as readNmtran
 * refuses others. Records built in code reach simulate() without it: an ID coming back after
 * another had its outputs written to other IDs' rows, and a time going back skipped the record.
 */
export function checkRecordOrder(records: readonly DataRecord[], file?: string): void {
  checkOrder(records, file);
}

function checkOrder(records: readonly DataRecord[], file?: string, clockOf?: (row: number) => string, hint?: (before: number, row: number) => string | undefined): void {
  const last = new Map<number, number>();
  const lastRow = new Map<number, number>();
  let prevId: number | undefined;
  const seenBlocks = new Set<number>();
  for (const r of records) {
    if (r.ID !== prevId) {
      // a replicate table holds each ID once per REP: named as such, not as unsorted IDs
      if (seenBlocks.has(r.ID)) throw replicateTableRefusal(records, r, file) ?? Errors.record(r.row, 'ID', r.ID, 'the records of an ID must be contiguous', file);
      seenBlocks.add(r.ID);
      prevId = r.ID;
    }
    const t = last.get(r.ID);
    if (t !== undefined && r.TIME < t) {
      // clock times are named as written: "got 11.5 after 12" (hours since the first record) was not on the chart
      if (clockOf) {
        // a chart written day-first under DATE goes back where it crosses a month: say so
        const why = hint?.(lastRow.get(r.ID) as number, r.row);
        const e = Errors.record(r.row, 'TIME', clockOf(r.row), `times must not decrease within an ID: row ${lastRow.get(r.ID)} is ${clockOf(lastRow.get(r.ID) as number)}${why === undefined ? '' : `; ${why}`}`, file);
        throw new DosewiseError('E_RECORD_ORDER', e.message, e.place);
      }
      throw timeGoesBack(r, t, file);
    }
    last.set(r.ID, r.TIME);
    lastRow.set(r.ID, r.row);
  }
}

/**
 * The refusal of a TIME before the ID's previous one. At a reset (EVID 3 or 4) NONMEM may restart
 * the clock, valid input dosewise does not take: "times must not decrease" read as a typing error.
 */
function timeGoesBack(r: DataRecord, previous: number, file?: string): DosewiseError {
  if (r.EVID !== 3 && r.EVID !== 4) return Errors.recordOrder(r.row, r.TIME, previous, file);
  const e = Errors.record(r.row, 'TIME', r.TIME, `a reset (EVID ${r.EVID}) that restarts TIME (at ${r.TIME} after ${previous}) is not supported: an ID's times never decrease here; give times that keep increasing (this record at ${previous} or later, and the records after it moved by as much)`, file);
  return new DosewiseError('E_RECORD_ORDER', e.message, e.place);
}

/** The ID of records[i], which starts a run: a record that is no object, or whose ID is not a finite number, is refused. */
function runId(records: readonly unknown[], i: number): number {
  const r = records[i];
  if (typeof r !== 'object' || r === null) throw Errors.record(i + 1, '*', r, 'byId(records): a record must be an object { ID, TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, DV, MDV, items }');
  const id = (r as DataRecord).ID;
  if (typeof id !== 'number' || !Number.isFinite(id)) throw Errors.record(rowOf(r as DataRecord, i), 'ID', id, `byId(records): ID must be a finite number, not ${id === null ? 'null' : typeof id === 'number' ? String(id) : typeof id}`);
  return id;
}

/** Groups records by ID, preserving data order. */
export function byId(records: readonly DataRecord[]): Map<number, DataRecord[]> {
  // undefined failed as "reading 'length'"; a CSV text was put in one group under the ID undefined
  if (!Array.isArray(records)) throw Errors.optionValue('records', records, 'byId(records): must be an array of records (as readNmtran(text).records or regimen().records() give)', shapeOf(records));
  const m = new Map<number, DataRecord[]>();
  // IDs come in runs: one map lookup and one slice per run, not a lookup and a push per record; a
  // record that is no object ends a run (?.), and the next run's start refuses it
  let start = 0;
  let id = records.length > 0 ? runId(records, 0) : NaN;
  for (let i = 1; i <= records.length; i++) {
    if (i < records.length && (records[i] as DataRecord | null | undefined)?.ID === id) continue;
    const a = m.get(id);
    if (a) for (let j = start; j < i; j++) a.push(records[j] as DataRecord);
    else m.set(id, records.slice(start, i));
    start = i;
    if (i < records.length) id = runId(records, i);
  }
  return m;
}

/** A number as NM-TRAN output writes it: 10 significant digits, NaN as ".". */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '.';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(10)));
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
export function quoteCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Output column `name`'s value of data row i + 1, written: one that is not a number is refused ('12.5' from a form was a TypeError). */
function outputCell(values: ArrayLike<number>, name: string, i: number, what: string): string {
  const v: unknown = values[i];
  if (typeof v !== 'number') throw Errors.optionValue(`extra.${name}`, v, `${what}: row ${i + 1} must be a number (NaN is written as ".")`, shapeOf(v));
  return formatNumber(v);
}

/** Writes CSV: the input cells untouched plus extra numeric columns (NaN written as "."). */
export function writeNmtran(data: DataSet, extra: Readonly<Record<string, ArrayLike<number>>>): string {
  const what = 'writeNmtran(data, extra)';
  // given records for the data set it failed as "reading 'length'", and with nothing or extra left
  // out as "Cannot convert undefined or null to object"
  const d: unknown = data;
  if (typeof d !== 'object' || d === null || !Array.isArray((d as DataSet).columns) || !Array.isArray((d as DataSet).cells))
    throw Errors.optionValue('data', d, `${what}: data must be the data set readNmtran(text) returns ({ columns, cells, records }), whose cells are written back`, shapeOf(d));
  const x: unknown = extra;
  if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x))
    throw Errors.optionValue('extra', x, `${what}: extra must be an object of output columns by name, one number per record (e.g. { IPRED: simulation.ipred }; {} for none)`, shapeOf(x));
  const names = Object.keys(extra);
  for (const n of names) {
    if (!isNumberArray(extra[n])) throw Errors.optionValue(`extra.${n}`, extra[n], `${what}: an output column must be an array (or a typed array) of numbers, one per record`, shapeOf(extra[n]));
    const len = (extra[n] as ArrayLike<number>).length;
    if (len !== data.cells.length) throw Errors.csvValue(0, n, len, `an output column must have one value per record (${data.cells.length})`);
  }
  const lines = [[...data.columns, ...names].map(quoteCell).join(',')];
  data.cells.forEach((cell, i) => {
    if (!Array.isArray(cell)) throw Errors.optionValue(`cells.${i}`, cell, `${what}: data row ${i + 1}: the cells of a row are an array of text (as readNmtran gives)`, shapeOf(cell));
    lines.push([...cell.map(quoteCell), ...names.map((n) => outputCell(extra[n] as ArrayLike<number>, n, i, what))].join(','));
  });
  return lines.join('\n') + '\n';
}

export { STANDARD_COLUMNS };

/**
 * A TIME cell of elapsed hours. Four digits with a leading zero (0800, 0930) are a clock time
 * written without its colon: read as 800 and 930 h, a chart's levels fell to 1e-38 and MAP put CL
 * at 0.187 for ~8.4 L/h with exit 0. 800 or 1930 without the zero stay hours, as NONMEM reads them.
 */
function elapsedHours(s: string, row: number, column: string, file?: string): number {
  const t = s.trim();
  if (/^0\d{3}$/.test(t))
    throw Errors.csvValue(row, column, s, `${t} reads as a clock time without a colon: write ${t.slice(0, 2)}:${t.slice(2)} (with a DATE column, or ISO timestamps such as 2026-03-04T${t.slice(0, 2)}:${t.slice(2)}) or hours since the first record (hours written with leading zeros, ${t} for ${Number(t)} h: write ${Number(t)})`, file);
  return finiteCell(s, row, column, file);
}
