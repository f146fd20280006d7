// A user's covariate table (CSV) for resampling: a header line of column names, then one line per
// subject. Every selected cell must be a number; a missing or non-numeric cell is refused with an
// error naming its row (1-based data row, header = row 0), column and value.

import { Errors } from '../../errors.js';
import { finiteCell, isMissingCell, isNumberCell, splitCsvLine, withoutUnusedColumns } from '../../regimen/nmtran.js';
import { commaNumberWhy, extraFieldsHint, isDecimalComma, separatorProblem } from '../../regimen/csv-dialect.js';

export interface CovariateTable {
  /** Shown in error messages. */
  readonly file?: string;
  /** Selected column names, in the order asked for (or in file order when none were asked for). */
  readonly columns: readonly string[];
  /** One array per selected column, `rows` long. */
  readonly values: readonly Float64Array[];
  readonly rows: number;
}

export interface CovariateTableOptions {
  readonly file?: string;
  /** Columns to read; the others are ignored (not even checked). Default: all columns but an ID column. */
  readonly columns?: readonly string[];
}

/**
 * Parses a covariate table. Blank lines and lines starting with `#` are skipped (and not counted
 * as rows).
 *
 * @example
 * parseCovariateTable('WT,AGE\n70,40\n82,55\n').values[0]; // Float64Array [70, 82]
 */
export function parseCovariateTable(text: string, options: CovariateTableOptions = {}): CovariateTable {
  const file = options.file;
  // LF, CRLF or a lone CR (Excel's "CSV (Macintosh)"), as the data-set reader takes them
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let h = 0;
  while (h < lines.length && ((lines[h] as string).trim() === '' || (lines[h] as string).trim().startsWith('#'))) h++;
  if (h >= lines.length) throw Errors.csvValue(0, '*', '', 'the table is empty: expected a header line of column names', file);
  const named = splitCsvLine(lines[h] as string);
  const dialect = separatorProblem(lines[h] as string, named);
  if (dialect) throw Errors.csvValue(0, '*', lines[h] as string, dialect, file);
  // unnamed columns as the data-set reader takes them: a spreadsheet's unused ones (a comma ending
  // every line) and R's row names (write.csv's first column, "1", "2", … under "") are no covariate
  const { columns: header, cells: rows } = withoutUnusedColumns(named, dataCells(lines, h + 1, named.length, file), file);
  const index = new Map<string, number>();
  header.forEach((c, i) => {
    if (c === '') return;
    if (index.has(c)) throw Errors.csvValue(0, c, c, 'duplicate column name', file);
    index.set(c, i);
  });
  // an ID column is the usual shape of a demographics table, not a covariate: by default it is left
  // out (read as one, it was refused as "ID is also sampled" naming the regimen, which has no ID)
  const columns = options.columns ?? header.filter((c) => c !== '' && c.toUpperCase() !== 'ID');
  const at = columns.map((c) => {
    const i = index.get(c);
    if (i === undefined) throw Errors.csvColumnMissing(c, file);
    return i;
  });
  const data: number[][] = columns.map(() => []);
  let row = 0;
  for (const cells of rows) {
    row++;
    for (let k = 0; k < columns.length; k++) {
      const s = cells[at[k] as number] as string;
      const column = columns[k] as string;
      if (isMissingCell(s)) throw Errors.csvValue(row, column, s, 'missing value (every selected cell of a covariate table must be a number)', file);
      if (isDecimalComma(s)) throw Errors.csvValue(row, column, s, commaNumberWhy(s), file);
      if (!isNumberCell(s)) throw Errors.csvValue(row, column, s, 'not a number', file);
      (data[k] as number[]).push(finiteCell(s, row, column, file));
    }
  }
  if (row === 0) throw Errors.csvValue(1, '*', '', 'the table has no data rows below its header', file);
  return { file, columns: [...columns], values: data.map((d) => Float64Array.from(d)), rows: row };
}

/** The cells of the data lines from `from` on (blank, `#` and all-empty lines skipped), each `width` fields like the header. */
function dataCells(lines: readonly string[], from: number, width: number, file?: string): string[][] {
  const rows: string[][] = [];
  for (let li = from; li < lines.length; li++) {
    const line = lines[li] as string;
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const cells = splitCsvLine(line);
    // a spreadsheet's formatted empty row (",,,,"): no subject, as in a data set
    if (cells.every((c) => c.trim() === '')) continue;
    if (cells.length !== width) throw Errors.csvValue(rows.length + 1, '*', line, `expected ${width} fields like the header, found ${cells.length}${extraFieldsHint(cells.length, width)}`, file);
    rows.push(cells);
  }
  return rows;
}
