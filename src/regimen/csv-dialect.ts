// Spreadsheets in many locales save "CSV" with semicolons between fields and a decimal comma
// (1,5 for 1.5). dosewise reads comma-separated fields and decimal points only; these checks turn the
// confusing consequences (a single column, a wrong field count, "not a number") into a message that
// says what the file looks like.

const MISSING = new Set(['.', '', 'NA', 'NaN']);

/** A CSV cell that means "no value": blank, `.`, `NA` or `NaN` (the same in data sets and covariate tables). */
export function isMissingCell(s: string): boolean {
  return MISSING.has(s);
}

/** Why a header line does not look comma-separated, or undefined when it does. */
export function separatorProblem(header: string, fields: readonly string[]): string | undefined {
  if (fields.length !== 1) return undefined;
  if (header.includes(';')) return 'looks like a semicolon-separated file; dosewise reads comma-separated CSV';
  if (header.includes('\t')) return 'looks like a tab-separated file; dosewise reads comma-separated CSV';
  // NONMEM reads blank-separated data too; "required column ID is missing" did not say why
  if (/^\s*\S+(\s+\S+)+\s*$/.test(header)) return 'looks like a space-separated file; dosewise reads comma-separated CSV';
  return undefined;
}

const DECIMAL_COMMA = /^[-+]?\d*,\d+([eE][-+]?\d+)?$/;

/** A cell such as "1,5" (quoted in a comma-separated file): a number written with a decimal comma. */
export function isDecimalComma(cell: string): boolean {
  return DECIMAL_COMMA.test(cell);
}

/** Why a cell with a comma is not a number: "1,000" reads as a thousands separator, "1,5" as a decimal comma. */
export function commaNumberWhy(cell: string): string {
  return /^[-+]?\d{1,3}(,\d{3})+$/.test(cell)
    ? 'a thousands separator or a decimal comma: dosewise reads numbers without separators and with a decimal point (1000, 1.5)'
    : 'decimal comma: dosewise reads numbers with a decimal point (1.5, not 1,5)';
}

/** Hint for a data line with more fields than the header: unquoted decimal commas split numbers in two. */
export function extraFieldsHint(found: number, expected: number): string {
  return found > expected ? ' (a decimal comma, as in 1,5? dosewise reads numbers with a decimal point: 1.5)' : '';
}

/**
 * Hint for a data line whose fields beyond the header's are all empty, in a file whose rows do not all
 * end so: empty trailing fields are read only when every row has them (an exporter's trailing comma),
 * since a row that alone ends with an empty field may hold a number split by a decimal comma.
 */
export function emptyExtraFieldsHint(otherRow: number, otherFound: number): string {
  return ` (its extra fields are empty, as after a trailing comma, but row ${otherRow} has ${otherFound} fields: empty trailing fields are read only when every row ends with them alike)`;
}
