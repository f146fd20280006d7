// Which lines of an NM-TRAN data set are NONMEM comments (IGNORE=C, IGNORE=#, IGNORE=@). A hospital
// export whose first column is text (WARD ICU/CCU, ARM Treatment/Control) lost every row whose cell
// there starts with C, doses included: the W-map patient of ward_first.csv read IPRED 2.9159 at
// 24 h for 7.7692. An Excel error value (#N/A in a dose's ID cell) was dropped as a '#' comment.

import { DosewiseError, Errors } from '../errors.js';
import { isMissingCell } from './csv-dialect.js';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A line NONMEM's IGNORE=#, IGNORE=@ or IGNORE=C skips: its first character (after blanks) is that one. */
export function isCommentLine(line: string): boolean {
  return /^\s*[#@C]/.test(line);
}

// Excel's error values, in English and the commonest translations (#NV, #WERT! in German; #N/D in
// Spanish and Italian; #VALEUR! in French): a formula that failed, never a comment
const EXCEL_ERRORS = new Set(['#N/A', '#VALUE!', '#REF!', '#DIV/0!', '#NAME?', '#NUM!', '#NULL!', '#SPILL!', '#CALC!', '#GETTING_DATA', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#NV', '#WERT!', '#BEZUG!', '#ZAHL!', '#NAME!', '#N/D', '#VALOR!', '#REF', '#NOMBRE!', '#VALEUR!', '#NOM?', '#NUL!', '#DIV/0', '#N/B', '#WAARDE!', '#VERW!', '#GETAL!', '#NAAM?', '#LEEG!']);

/** Whether a cell is a spreadsheet's error value (#N/A, #VALUE!, #REF! …). */
export function isExcelError(cell: string): boolean {
  return cell.trimStart().startsWith('#') && EXCEL_ERRORS.has(cell.trim().toUpperCase());
}

/** Why an Excel error value is refused where it is read. */
export const EXCEL_ERROR_WHY = 'an Excel error value (a formula that failed in the spreadsheet), not data: correct the cell, or write . for a missing value';

/**
 * Refuses the first cell holding an Excel error value in a column `reads` (skipped or read as text,
 * the record it sits on was lost or misread), naming its row and column. Elsewhere it is text,
 * carried as written (a #N/A in a lab column nothing reads refused the data set).
 */
export function refuseExcelErrors(columns: readonly string[], cells: readonly (readonly string[])[], reads: (column: string) => boolean, file?: string): void {
  cells.forEach((cell, k) =>
    cell.forEach((s, i) => {
      if (isExcelError(s) && reads(columns[i] ?? '')) throw Errors.csvValue(k + 1, columns[i] ?? `#${i + 1}`, s, EXCEL_ERROR_WHY, file);
    }),
  );
}

/** A line whose only filled cell is its first, words (a letter; no number, no Excel error value): a note. */
const isPaddedNote = (cell: readonly string[]): boolean => {
  const first = (cell[0] as string).trim();
  return /[A-Za-z]/.test(first) && !NUMBER.test(first) && !isExcelError(first) && cell.slice(1).every((c) => c.trim() === '');
};

/** A cell as a record's would be compared: a number, a missing value, or other text. */
const shape = (s: string): 'n' | 't' => (isMissingCell(s) || NUMBER.test(s) ? 'n' : 't');

/** A line skipped as a comment, with its index among the text's lines and the data rows read before it. */
export interface SkippedLine {
  readonly line: number;
  readonly before: number;
  readonly cells: readonly string[];
  /** For C before a value the first column holds (CICU beside ICU): that value, the other reading's twin. */
  readonly twin?: string;
}

/**
 * The data lines from `from` on: each read row's cells and line index, and the comment lines
 * skipped. A line starting with C, # or @ is a comment, but where the first column holds text on the
 * rows read (or no row is read otherwise) one whose first cell is a word starting with C (CCU,
 * Control) and that has the header's `width` of fields is a row, unless it is C before a value the
 * column holds (CICU beside ICU, CCCU beside CCU, on any number of lines: see `values`) or all its
 * fields after the first are empty (a note); so is one whose first cell is an Excel error value. Blank lines, rows whose fields
 * are all empty (Excel saves a formatted empty row as ",,,,,,") and notes (words in the first cell,
 * nothing after it) are neither.
 */
export function splitDataLines(lines: readonly string[], from: number, width: number, split: (line: string) => string[]): { cells: string[][]; lineAt: number[]; skipped: SkippedLine[] } {
  const kept: { li: number; cell: string[]; word: boolean }[] = [];
  const comments: { li: number; cell: string[]; twin?: string | undefined }[] = [];
  for (let li = from; li < lines.length; li++) {
    const line = lines[li] as string;
    if (line.trim() === '') continue;
    const cell = split(line);
    if (cell.every((c) => c === '')) continue;
    // a note Excel padded to the header's width (Reviewed by pharmacist,,,,,,; Total: 8 rows,,,,,,)
    // holds no record whatever its first letter: it was refused as "column ID: not a number"
    if (isPaddedNote(cell) && !isCommentLine(line)) continue;
    if (!isCommentLine(line) || isExcelError(cell[0] as string)) kept.push({ li, cell, word: false });
    // a note Excel padded to the header's width ("Checked by pharmacist,,,,,,,") holds no record
    else if (/^C[A-Za-z]/.test(cell[0] as string) && cell.slice(1).some((c) => c.trim() !== '')) kept.push({ li, cell, word: true });
    else comments.push({ li, cell });
  }
  const plain = kept.filter((k) => !k.word);
  // a word line as wide as the header, or as the rows read (an exporter's trailing comma), is a row;
  // a narrower one a note ("Comments follow")
  const wide = (cell: readonly string[]): boolean => cell.length === width || cell.length === plain[0]?.cell.length;
  // a word in the first column of the rows read (ICU, Treatment), not a number or missing value
  const textFirst = plain.length === 0 || plain.some((k) => shape(k.cell[0] as string) === 't' && /[A-Za-z]/.test(k.cell[0] as string) && !isExcelError(k.cell[0] as string));
  // a C before a value the column holds (CICU beside ICU, CCCU beside CCU, CControl beside Control)
  // is NONMEM's comment of that row: read, a cancelled dose was given (ETA_CL 0.3077 for -0.0351).
  // The column's values are those of the rows read and the C words whose C-less forms are none
  // (CCU beside ICU, Control: such words are rows themselves, so CCCU beside CCU was read as data).
  // How often a C word stands decides nothing: a cancelled dose and its level are two lines, and a
  // C word on two lines of one ID taken for a ward read both, and every other ID's single CICU line
  // (ETA_CL 0.2218 and 0.3077 for -0.0351, no warning); a real CICU ward beside ICU is skipped, as
  // NONMEM skips it, each line warned of (W_COMMENT_RECORD). Shorter words first: CCICU is a comment
  // where CICU is one beside ICU, C after C after a value the column holds
  const values = new Set(plain.map((k) => k.cell[0] as string));
  const commentOf = (first: string): boolean => {
    for (let k = 1; k < first.length && first[k - 1] === 'C'; k++) if (values.has(first.slice(k))) return true;
    return false;
  };
  for (const w of [...new Set(kept.filter((k) => k.word).map((k) => k.cell[0] as string))].sort((a, b) => a.length - b.length)) if (!commentOf(w)) values.add(w);
  // the file shows CICU is a ward where a row read holds it (a quoted "CICU" is no comment line)
  const held = new Set(plain.map((k) => k.cell[0] as string));
  const row = (k: (typeof kept)[number]): boolean => !k.word || (textFirst && wide(k.cell) && (held.has(k.cell[0] as string) || !commentOf(k.cell[0] as string)));
  // C before a value the column holds, on a line as wide as a row: a comment or a ward (twin named)
  const twinOf = (first: string): string | undefined => {
    for (let k = 1; k < first.length && first[k - 1] === 'C'; k++) if (values.has(first.slice(k))) return first.slice(k);
    return undefined;
  };
  for (const k of kept) if (!row(k)) comments.push({ li: k.li, cell: k.cell, ...(textFirst && wide(k.cell) ? { twin: twinOf(k.cell[0] as string) } : {}) });
  const rows = kept.filter(row);
  const cells = rows.map((k) => k.cell);
  const lineAt = rows.map((k) => k.li);
  let n = 0;
  const skipped = comments
    .sort((a, b) => a.li - b.li)
    .map((c) => {
      while (n < lineAt.length && (lineAt[n] as number) < c.li) n++;
      return { line: c.li, before: n, cells: c.cell, ...(c.twin !== undefined ? { twin: c.twin } : {}) };
    });
  return { cells, lineAt, skipped };
}

/** What a skipped line would give read as a record (`AMT 1000 at TIME 12`), or undefined (see commentRecordWarnings). */
function recordHeld(s: SkippedLine, upper: readonly string[], textIn: readonly boolean[]): string | undefined {
  if (s.cells.length !== upper.length) return undefined;
  const first = (s.cells[0] as string).trim();
  const rest = first.slice(1);
  if (rest === '' || /^\s/.test(rest) || isMissingCell(rest.trim()) || NUMBER.test(rest)) return undefined;
  if (s.cells.some((c, i) => i > 0 && shape(c) === 't' && !textIn[i])) return undefined;
  const at = (name: string): number => upper.indexOf(name);
  const cell = (name: string): string | undefined => {
    const i = at(name);
    const v = i > 0 ? (s.cells[i] as string) : undefined;
    return v === undefined || isMissingCell(v) || Number(v) === 0 ? undefined : v;
  };
  const amt = cell('AMT');
  const dv = cell('DV');
  const time = at('TIME') > 0 ? s.cells[at('TIME')] : undefined;
  if (amt === undefined && dv === undefined) return undefined;
  return `${amt !== undefined ? `AMT ${amt}` : `DV ${dv}`}${time !== undefined ? ` at TIME ${time}` : ''}`;
}

/**
 * C before a value a text first column holds (CICU beside ICU, CIV beside IV) is NONMEM's comment of
 * that row or a ward of its own, and the file cannot tell: skipped, a patient moved from CICU to ICU
 * lost his CICU doses (CL 2.78 for 5.39, exit 0) and one charted only in CICU vanished; read, a
 * cancelled dose was given (ETA_CL 0.3077 for -0.0351). Where the readings differ (a line would be a
 * dose or a level, or its ID has no row read) the data set is refused, naming the lines, the word,
 * both readings and the remedies; lines that would be neither stay skipped (W_COMMENT_RECORD rules).
 */
export function refuseAmbiguousComments(skipped: readonly SkippedLine[], columns: readonly string[], cells: readonly (readonly string[])[], file?: string): void {
  const upper = columns.map((c) => c.toUpperCase());
  const textIn = columns.map((_, i) => cells.some((c) => shape(c[i] ?? '') === 't'));
  const idAt = upper.indexOf('ID');
  const ids = new Set(cells.map((c) => Number(c[idAt])));
  const byWord = new Map<string, { line: number; what: string }[]>();
  for (const s of skipped) {
    if (s.twin === undefined) continue;
    const held = recordHeld(s, upper, textIn);
    const id = idAt > 0 ? (s.cells[idAt] as string).trim() : '';
    const lost = idAt > 0 && !isMissingCell(id) && NUMBER.test(id) && !ids.has(Number(id));
    if (held === undefined && !lost) continue;
    const word = (s.cells[0] as string).trim();
    const what = [held, lost ? `ID ${id}, which has no other row` : undefined].filter((x) => x !== undefined).join(', ');
    byWord.set(word, [...(byWord.get(word) ?? []), { line: s.line + 1, what }]);
  }
  const [word, lines] = [...byWord][0] ?? [];
  if (word === undefined || lines === undefined) return;
  const twin = (skipped.find((s) => (s.cells[0] as string).trim() === word)?.twin) as string;
  const shownLines = lines.slice(0, 4).map((l) => `line ${l.line} (${l.what})`).join(', ') + (lines.length > 4 ? ` and ${lines.length - 4} more` : '');
  const column = columns[0] as string;
  throw new DosewiseError(
    'E_CSV_VALUE',
    `${file ?? 'data'}, column ${column}: ${shownLines} start with "${word}" beside rows whose ${column} is "${twin}": ambiguous, NONMEM's IGNORE=C comment (C before ${twin}: the lines skipped) or ${column} "${word}" of its own (the lines read as records); ` +
      `to read them as ${column} ${word}, quote the cell ("${word}",…); to comment them out, write # or a lone C before the line (#${word},… or C,…)`,
    { file, column, value: word },
  );
}

/**
 * W_COMMENT_RECORD: a skipped line that reads as a dose or a level (the header's number of fields,
 * each cell after the first a number or missing value where the rows read hold only such, an AMT or
 * DV), unless in NONMEM's comment forms, whose skipping is meant: the marker alone (`C,1,12,…`, a C
 * column), the marker and a blank (`C excluded outlier,…`), or the marker before a number or missing
 * value (`C1,1,0,…`, `#1,…`). `columns` are the header's names, `cells` the rows read.
 */
export function commentRecordWarnings(skipped: readonly SkippedLine[], columns: readonly string[], cells: readonly (readonly string[])[], file?: string): { before: number; text: string }[] {
  if (skipped.length === 0) return [];
  const upper = columns.map((c) => c.toUpperCase());
  const textIn = columns.map((_, i) => cells.some((c) => shape(c[i] ?? '') === 't'));
  const out: { before: number; text: string }[] = [];
  for (const s of skipped) {
    const first = (s.cells[0] as string).trim();
    const held = recordHeld(s, upper, textIn);
    if (held === undefined) continue;
    const place = s.before === 0 ? 'before row 1' : `after row ${s.before}`;
    out.push({
      before: s.before,
      text:
        `W_COMMENT_RECORD: ${file === undefined ? '' : `${file}, `}line ${s.line + 1} (${place}): skipped as a comment (NONMEM's IGNORE=${first[0]}, its first character) though it reads as a record: ${held}; ` +
        `if it is data, start the line otherwise (quote its first cell: "${first}"); if it is a comment, write ${first[0]} and a blank before it`,
    });
  }
  return out;
}

/**
 * Excel's separator line, `sep=,`, as a match whose [1] is the separator (undefined: none named):
 * also quoted (`"sep=,"`, a CSV writer's quoting of a cell holding a comma) and padded to the
 * header's width (`sep=,,,,,,`); both were refused as "required column ID is missing".
 */
export function separatorLine(line: string): RegExpExecArray | undefined {
  return /^\s*"?sep=([^" ])?"?[,;\t ]*$/i.exec(line) ?? undefined;
}

/**
 * An Excel "sep=," first line, naming the separator: not the header (it was refused as "required
 * column ID is missing"). A comma's is blanked; another separator's refused, naming it.
 */
export function withoutSeparatorLine(lines: string[], file?: string): void {
  const sep = separatorLine(lines[0] ?? '');
  if (sep === undefined) return;
  if (sep[1] !== undefined && sep[1] !== ',') throw Errors.csvValue(0, '*', lines[0] as string, `the file says its columns are separated by ${JSON.stringify(sep[1])} (its sep= line): dosewise reads CSV separated by commas; save it so`, file);
  lines[0] = '';
}
