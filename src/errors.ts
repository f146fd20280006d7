// One catalogue of errors. Every error dosewise raises for bad input is a DosewiseError with a
// stable `code` (tests assert it) and, where known, the place: file, row, column, value or path.

export type ErrorCode =
  | 'E_CSV_COLUMN_MISSING'
  | 'E_CSV_VALUE'
  | 'E_RECORD'
  | 'E_RECORD_ORDER'
  | 'E_MODEL'
  | 'E_EXPRESSION'
  | 'E_MODEL_TEXT'
  | 'E_PARAMETER'
  | 'E_ENGINE'
  | 'E_SOLVER'
  | 'E_CLI'
  | 'E_IO';

export interface ErrorPlace {
  readonly file?: string;
  /** 1-based data row (the header is row 0), as a spreadsheet user counts records. */
  readonly row?: number;
  readonly column?: string;
  readonly value?: unknown;
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
    this.place = place;
  }
}

function where(p: ErrorPlace): string {
  const parts: string[] = [];
  if (p.file !== undefined) parts.push(p.file);
  if (p.row !== undefined) parts.push(`row ${p.row}`);
  if (p.column !== undefined) parts.push(`column ${p.column}`);
  if (p.path !== undefined) parts.push(p.path);
  return parts.join(', ');
}

/** Longest text shown as a value: a runaway cell (a 10 MB numeral, a whole line) is cut, with its length. */
const SHOWN_MAX = 64;

function shown(v: unknown): string {
  if (typeof v === 'string') return v.length > SHOWN_MAX ? `${JSON.stringify(v.slice(0, SHOWN_MAX))}… (${v.length} characters)` : JSON.stringify(v);
  return String(v);
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
    new DosewiseError('E_CSV_VALUE', `${where({ file, row, column })}: ${why} (got ${shown(value)})`, { file, row, column, value }),
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
  cli: (why: string) => new DosewiseError('E_CLI', why),
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
