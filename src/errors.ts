// One catalogue of errors. Every error dosewise raises for bad input is a DosewiseError with a
// stable `code` (tests assert it) and, where known, the place: file, row, column, value or path.

import { isPlainObject } from './plain-object.js';

/**
 * Every error code, with what it means. The code is stable (callers and tests branch on it); the
 * message is for people. The command line maps E_CLI and E_OPTION to exit code 2 (usage), the
 * others to 1 (bad input).
 */
export const ERROR_CODES = {
  E_CSV_COLUMN_MISSING: 'a required column of a CSV input is missing (place: file, column)',
  E_CSV_VALUE: 'a CSV cell is not a value of its column (place: file, row, column, value)',
  E_RECORD: 'a dosing/observation record is inconsistent (place: file, row, column, value)',
  E_RECORD_ORDER: 'record times decrease within an ID (place: file, row, column TIME)',
  E_MODEL: 'a model definition field is invalid (place: JSON path of the field)',
  E_EXPRESSION: 'an expression in a model cannot be parsed or evaluated (place: path, the expression)',
  E_MODEL_TEXT: 'a model text has a syntax or meaning error (place: file, line, col)',
  E_PARAMETER: 'a parameter value is out of its domain (place: row, parameter name, value)',
  E_ENGINE: 'the simulation engine refused a problem or could not run',
  E_SOLVER: 'the ODE solver failed (place: row where known)',
  E_OPTION: 'an option of a library call is invalid (place: path = the option or field, e.g. n, rtol, regimen.doses.0.ii)',
  E_CLINICAL: 'a clinical calculator input is missing or implausible (place: path = the input field, value)',
  E_DERIVED: 'a derived covariate could not be evaluated for a subject',
  E_REPORT: 'a chart or report was asked for something it cannot draw',
  E_CLI: 'a command-line usage error (an option or argument of the dosewise command)',
  E_IO: 'a file cannot be read or written, or a field of an input file is bad (place: file, path)',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorPlace {
  readonly file?: string;
  /** 1-based data row (the header is row 0), as a spreadsheet user counts records. */
  readonly row?: number;
  readonly column?: string;
  readonly value?: unknown;
  /**
   * True where `value` is a summary of a value too large to keep ("an array of 8 items (1499
   * characters as JSON), not kept in the error"), not the value given: a summary is itself a string,
   * which a caller could not tell from a string given.
   */
  readonly valueNotKept?: true;
  /** JSON path of a model-file field, e.g. `parameters.CL.value`. */
  readonly path?: string;
  /** 1-based line and column in a model text. */
  readonly line?: number;
  readonly col?: number;
}

export class DosewiseError extends Error {
  readonly code: ErrorCode;
  readonly place: ErrorPlace;
  constructor(code: ErrorCode, message: string, place: ErrorPlace = {}) {
    super(message);
    this.name = 'DosewiseError';
    this.code = code;
    const kept = place.value === undefined ? undefined : keptValue(place.value);
    this.place = Object.is(kept, place.value) ? place : { ...place, value: kept, valueNotKept: true };
  }
}

/** Longest value, as JSON (or a string's length), that an error's place carries as given. */
const KEPT_MAX = 256;

/**
 * The value an error's place carries: as given when small, else a summary of its type and size. A
 * caller's whole input rode on the error (estimateCohort() given one list of records: every record
 * with its DV and items), so an app that forwards errors to a log or an error tracker shipped
 * patient data, and for a cohort a very large object; the message shows at most SHOWN_MAX of it.
 */
function keptValue(v: unknown): unknown {
  // JSON has no BigInt: JSON.stringify(error.place) threw in an app's error logging (ageYears: 60n)
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return v.length > KEPT_MAX ? `a string of ${v.length} characters` : v;
  if (v instanceof Map || v instanceof Set) return v.size > 16 ? `a ${v instanceof Map ? 'Map' : 'Set'} of ${v.size}` : v;
  if (typeof v !== 'object' || v === null) return v;
  let length: number;
  try {
    length = JSON.stringify(v)?.length ?? 0;
  } catch {
    length = Infinity; // a cycle or a BigInt: not kept either
  }
  if (length <= KEPT_MAX) return v;
  const size = Array.isArray(v)
    ? `an array of ${v.length} items`
    : ArrayBuffer.isView(v)
      ? `a ${v.constructor.name} of ${(v as { length?: number }).length ?? v.byteLength}`
      : `an object of ${Object.keys(v).length} ${Object.keys(v).length === 1 ? 'key' : 'keys'}`;
  return `${size}${Number.isFinite(length) ? ` (${length} characters as JSON)` : ''}, not kept in the error`;
}

function where(p: ErrorPlace, rowZero = 'row 0'): string {
  const parts: string[] = [];
  if (p.file !== undefined) parts.push(p.file);
  if (p.row !== undefined) parts.push(p.row === 0 ? rowZero : `row ${p.row}`);
  if (p.column !== undefined) parts.push(`column ${p.column}`);
  if (p.path !== undefined) parts.push(p.path);
  return parts.join(', ');
}

/** Longest text shown as a value: a runaway cell (a 10 MB numeral, a whole line) is cut, with its length. */
const SHOWN_MAX = 64;

/** A BigInt as written in code, and said to be one: "(got 60)" hid why 60 was refused. */
const bigintText = (v: bigint): string => `${v}n, a BigInt`;

function shown(v: unknown): string {
  if (typeof v === 'bigint') return bigintText(v);
  if (typeof v === 'string') return v.length > SHOWN_MAX ? `${JSON.stringify(v.slice(0, SHOWN_MAX))}… (${v.length} characters)` : JSON.stringify(v);
  // JSON for what JSON shows (a regimen's observe entry with an unknown key read "[object Object]");
  // a Map, a Set or an Error is "{}" in JSON, which hid what was given (f7390e0)
  if (v instanceof Map) return `a Map of ${v.size} ${v.size === 1 ? 'entry' : 'entries'}`;
  if (v instanceof Set) return `a Set of ${v.size}`;
  if (v instanceof Error) return `an Error: ${shownText(v.message)}`;
  if (Array.isArray(v) || isPlainObject(v)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(v);
    } catch {
      text = undefined;
    }
    if (text !== undefined) return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
  }
  if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !(v instanceof Date)) {
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') return `an object of class ${name}`;
  }
  return String(v);
}

/** Text cut as a value is (an Error's message may be long). */
function shownText(t: string): string {
  return t.length > SHOWN_MAX ? `${t.slice(0, SHOWN_MAX)}…` : t;
}

/** A long expression shown around offset `at` (a machine-made formula can be megabytes long). */
function excerpt(source: string, at: number, half = 40): string {
  if (source.length <= 2 * half) return source;
  const from = Math.max(0, Math.min(at - half, source.length - 2 * half));
  return `${from > 0 ? '…' : ''}${source.slice(from, from + 2 * half)}${from + 2 * half < source.length ? '…' : ''}`;
}

export const Errors = {
  csvColumnMissing: (column: string, file?: string) =>
    new DosewiseError('E_CSV_COLUMN_MISSING', `${file ?? 'data'}: required column ${column} is missing`, { file, column }),
  csvValue: (row: number, column: string, value: unknown, why: string, file?: string) =>
    // a CSV's row 0 is its header line (a duplicate or empty column name, a semicolon dialect)
    new DosewiseError('E_CSV_VALUE', `${where({ file, row, column }, 'header')}: ${why} (got ${shown(value)})`, { file, row, column, value }),
  record: (row: number, column: string, value: unknown, why: string, file?: string) =>
    new DosewiseError('E_RECORD', `${where({ file, row, column })}: ${why} (got ${shown(value)})`, { file, row, column, value }),
  recordOrder: (row: number, value: number, previous: number, file?: string) =>
    new DosewiseError(
      'E_RECORD_ORDER',
      `${where({ file, row, column: 'TIME' })}: times must not decrease within an ID (got ${value} after ${previous})`,
      { file, row, column: 'TIME', value },
    ),
  model: (path: string, why: string, value?: unknown) =>
    new DosewiseError('E_MODEL', `model ${path}: ${why}${value === undefined ? '' : ` (got ${shown(value)})`}`, { path, value }),
  expression: (source: string, at: number, why: string, path?: string) =>
    new DosewiseError('E_EXPRESSION', `${path ? `model ${path}: ` : ''}expression "${excerpt(source, at)}" at ${at}: ${why}`, { path, value: source }),
  /** A model-text problem, shown as `file:line:col: why` followed by the line and a caret under the column. */
  modelText: (file: string, line: number, col: number, why: string, lineText?: string) =>
    new DosewiseError(
      'E_MODEL_TEXT',
      `${file}:${line}:${col}: ${why}` +
        (lineText === undefined ? '' : `\n  ${line} | ${lineText}\n  ${' '.repeat(String(line).length)} | ${' '.repeat(Math.max(0, col - 1))}^`),
      { file, line, col },
    ),
  /** `got` replaces the value shown when more says where it comes from (e.g. "0, from WT = 0"). */
  parameter: (name: string, value: unknown, why: string, row?: number, got?: string) =>
    new DosewiseError(
      'E_PARAMETER',
      `${row !== undefined ? `row ${row}, ` : ''}parameter ${name}: ${why} (got ${got ?? shown(value)})`,
      { row, column: name, value },
    ),
  engine: (why: string) => new DosewiseError('E_ENGINE', `engine: ${why}`),
  solver: (why: string, row?: number) => new DosewiseError('E_SOLVER', `solver: ${why}`, { row }),
  /** A command-line usage error: only the command line (src/cli) raises these. */
  cli: (why: string) => new DosewiseError('E_CLI', why),
  /**
   * A bad option of a library call, named by its API field (`path`: `n`, `target`, `doses`): the
   * message names the field as the caller wrote it; the command line re-labels it with its option.
   */
  option: (path: string, why: string, value?: unknown) => new DosewiseError('E_OPTION', why, value === undefined ? { path } : { path, value }),
  /**
   * A value an option does not take, as `path: why (got value)`: the message leads with the field,
   * so the command line can re-label it with its option. `got` replaces the value shown.
   */
  optionValue: (path: string, value: unknown, why: string, got?: string): DosewiseError => Errors.option(path, `${path}: ${why} (got ${got ?? shown(value)})`, value),
  io: (file: string, why: string) => new DosewiseError('E_IO', `${file}: ${why}`, { file }),
  /**
   * The same error, named by the file it came from: a covariate specification is checked as a model
   * part (`model covariates.WT.sd: …`), but the user wrote it in its own file.
   */
  inFile: (file: string, e: DosewiseError) => {
    if (e.place.file !== undefined) return e;
    const path = e.place.path;
    const lead = path !== undefined && e.message.startsWith(`model ${path}: `) ? `model ${path}: ` : '';
    const message = lead ? `${file}, ${path}: ${e.message.slice(lead.length)}` : `${file}: ${e.message}`;
    return new DosewiseError(e.code, message, { ...e.place, file });
  },
  /** A bad field of a JSON input file, named by its path (`doses.0.ii`). */
  jsonField: (file: string, path: string, why: string, value?: unknown) =>
    new DosewiseError('E_IO', `${file}, ${path}: ${why}${value === undefined ? '' : ` (got ${shown(value)})`}`, { file, path, value }),
} as const;

/** How a clinical input value is shown in a message. */
function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return bigintText(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  // a boxed number (new Number(1)) is an object, not the number JSON makes of it: "(got 1)" hid it
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return shown(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * An invalid clinical input (code E_CLINICAL); `field` and `value` say what was refused, and
 * `place.path` is the field.
 *
 * @example
 * new ClinicalInputError('ageYears', 12, 'must be ≥ 18 for CKD-EPI').message;
 * // 'clinical input ageYears: must be ≥ 18 for CKD-EPI (got 12)'
 */
export class ClinicalInputError extends DosewiseError {
  /** Name of the refused input field. */
  readonly field: string;
  /** The refused value, as received. */
  readonly value: unknown;

  constructor(field: string, value: unknown, requirement: string) {
    super('E_CLINICAL', `clinical input ${field}: ${requirement} (got ${formatValue(value)})`, { path: field, value });
    this.name = 'ClinicalInputError';
    this.field = field;
    this.value = value;
  }
}

/** A chart was asked for something it cannot draw (e.g. a log axis over values ≤ 0); code E_REPORT. */
export class ReportError extends DosewiseError {
  declare readonly code: 'E_REPORT';
  constructor(message: string) {
    super('E_REPORT', message);
    this.name = 'ReportError';
  }
}

/** Thrown while evaluating a derived covariate (a clinical calculator refused its inputs, a bad sex code); code E_DERIVED. */
export class DerivedEvaluationError extends DosewiseError {
  constructor(message: string) {
    super('E_DERIVED', message);
    this.name = 'DerivedEvaluationError';
  }
}

/**
 * The error a cancelled run rejects with: the signal's reason where it is an Error (abort() gives
 * an AbortError), else an AbortError that says it (abort('user cancelled') rejected with an
 * engine error that lost the reason).
 */
export function cancellation(reason: unknown, what = 'cancelled'): Error {
  if (reason instanceof Error) return reason;
  const e = new Error(reason === undefined ? what : `${what}: ${String(reason)}`, { cause: reason });
  e.name = 'AbortError';
  return e;
}
