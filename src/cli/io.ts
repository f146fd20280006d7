// File I/O for the CLI: inputs read with errors that name the file (and, for JSON, the line and
// column of a syntax error or the path of a bad field with its value); outputs written atomically
// (temporary file in the same folder, then rename), so a crash never leaves a half-written file and
// an existing file is replaced only by a complete one. The rules for output paths (links followed,
// devices and folders refused, "-" for standard output) are in src/files.ts; "-" as an input is standard input, read once. Every file read here is
// remembered (rememberInput, with what it was read as), and no output of the command may replace it.

import { readFileSync, statSync } from 'node:fs';
import { DosewiseError, Errors } from '../errors.js';
import { claimStdin, ioCause, rememberInput, writeFileAtomic, writeFileAtomicChunks } from '../files.js';
import { parseRegimenJson, readRegimen } from '../regimen/file.js';
import type { DataRecord } from '../regimen/record.js';
import { duplicateJsonKey } from '../json-duplicate-keys.js';

/**
 * A text input (JSON, a model text, a CSV) without its UTF-8 byte-order mark, if any: an editor's
 * "UTF-8 with BOM" made JSON.parse and the model-text parser refuse the first character, while the
 * CSV readers skipped it. One mark is taken off, before any parser sees the text, so the lines and
 * columns that errors name are those an editor shows. The file is remembered as an input (`as`: what
 * it was read as, e.g. "the data set"), which no output of this command may replace.
 */
export function readText(file: string, as?: string): string {
  if (file === '-') return withoutMark(readStdin(as ?? 'an input'));
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw Errors.io(file, `cannot read (${ioCause(e)})`);
  }
  rememberInput(file, as);
  return withoutMark(text);
}

const withoutMark = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * `-` as an input: standard input, as `-` is standard output for outputs (it was read as a file
 * named "-": "cannot read (no such file, ENOENT)"). Read whole, by one input only: a second would
 * find it spent, so a command given `-` twice is refused naming both.
 */
function readStdin(as: string): string {
  const before = claimStdin(as);
  if (before !== undefined) throw Errors.io('-', `standard input is read once, and ${before} was read from it: give ${as} as a file`);
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    // a non-blocking descriptor 0 (a terminal Node set so) refuses a synchronous read; its path does not
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw Errors.io('-', `cannot read standard input (${ioCause(e)})`);
    try {
      return readFileSync('/dev/stdin', 'utf8');
    } catch (e2) {
      throw Errors.io('-', `cannot read standard input (${ioCause(e2)})`);
    }
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] as string).length + 1 };
}

/** Offset of the first syntax error of a JSON text (a small validating scanner), or -1. */
export function jsonErrorOffset(t: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < t.length && ' \t\n\r'.includes(t[i] as string)) i++;
  };
  const str = (): void => {
    i++;
    while (i < t.length) {
      const c = t[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = t[i + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) i += 6;
        else if (e !== '' && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail();
        }
      } else if (c < ' ') fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (t[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (t[i] !== '"') fail();
          str();
          ws();
          if (t[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 1000));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    if (i < t.length) fail();
    return -1;
  } catch (p) {
    if (typeof p === 'number') return p;
    throw p;
  }
}

/** JSON.parse with an error naming the file, line and column (and what was found there). */
export function parseJsonText(text: string, file: string): unknown {
  try {
    const json: unknown = JSON.parse(text);
    refuseDuplicateKeys(text, file);
    return json;
  } catch (e) {
    if (e instanceof DosewiseError) throw e;
    // V8's message, without the position (given as line and column) or the quoted input
    const why = (e as Error).message.replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '').replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?/, '');
    const offset = jsonErrorOffset(text);
    if (offset < 0) throw Errors.io(file, `not valid JSON: ${why}`);
    const { line, column } = lineColumn(text, offset);
    const got = offset < text.length ? JSON.stringify((text.slice(offset, offset + 12).split(/\r?\n/)[0] as string) || text[offset]) : 'the end of the file';
    throw Errors.io(`${file}, line ${line}, column ${column}`, `not valid JSON: ${why} (got ${got})`);
  }
}

/** Refuses a JSON text with a key written twice in one object (JSON.parse keeps the last one without a word). */
export function refuseDuplicateKeys(text: string, file: string): void {
  const dup = duplicateJsonKey(text);
  if (!dup) return;
  const { line, column } = lineColumn(text, dup.offset);
  throw Errors.io(`${file}, line ${line}, column ${column}`, `key ${JSON.stringify(dup.key)} is given twice in ${dup.path === '' ? 'the top-level object' : dup.path}: JSON keeps only the last, so one of the two values would be dropped without a word; keep one`);
}

export function readJson(file: string, as?: string): unknown {
  return parseJsonText(readText(file, as), file);
}

/** The value at a dotted path (`doses.0.amt`) of a JSON document, or undefined. */
function at(json: unknown, path: readonly (string | number)[]): unknown {
  let v = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}

/**
 * Whether a regimen's text is JSON: by its .json or .csv name, else by its content as --model's is
 * (a pipe, /dev/stdin or `<(cat fut.json)`, has no name that says: its JSON was read as CSV,
 * "required column ID is missing").
 */
export function isJsonRegimen(file: string, text: string): boolean {
  if (/\.json$/i.test(file)) return true;
  if (/\.csv$/i.test(file)) return false;
  return /^\s*[{[]/.test(text);
}

/**
 * A regimen file (JSON {doses, observe} or NM-TRAN CSV, by extension or content). JSON errors name the line and
 * column of a syntax error, or the field (`doses.0.amt`) and the value found there.
 */
export function readRegimenFile(file: string, as = 'the regimen'): DataRecord[] {
  return parseRegimenText(readText(file, as), file);
}

/** A regimen file's records from its text, already read (a pipe gives its text once only). */
export function parseRegimenText(text: string, file: string): DataRecord[] {
  if (!isJsonRegimen(file, text)) return readRegimen(text, file);
  const json = parseJsonText(text, file);
  try {
    return parseRegimenJson(json, file);
  } catch (e) {
    if (!(e instanceof DosewiseError) || e.code !== 'E_IO') throw e;
    const m = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ([^:\\s]+): (.*)$`, 's').exec(e.message);
    if (!m || m[1] === '(root)') throw e;
    const path = (m[1] as string).split('.');
    const v = at(json, path);
    throw Errors.io(`${file}, ${m[1]}`, `${m[2]}${v === undefined ? '' : ` (got ${JSON.stringify(v)})`}`);
  }
}

/** "-" as an output path: standard output, where the output allows it. */
export const isStdout = (file: string | undefined): boolean => file === '-';

/**
 * Writes an output file atomically (see src/files.ts for the path rules). `-` is refused here: a
 * command that can print the output checks isStdout() first. A refused path names `option`; an
 * output that can go to standard output is an --out.
 */
export function writeAtomic(file: string, content: string | Uint8Array, stdoutHint = false, option: string | undefined = stdoutHint ? '--out' : undefined): void {
  if (isStdout(file)) throw Errors.io(file, 'this output cannot go to standard output; give a file path');
  writeFileAtomic(file, content, stdoutHint, option);
}

/** writeAtomic with the content given in chunks: `produce` calls `write` with each. */
export function writeAtomicChunks(file: string, produce: (write: (chunk: Uint8Array) => void) => void, stdoutHint = false, option: string | undefined = stdoutHint ? '--out' : undefined): void {
  if (isStdout(file)) throw Errors.io(file, 'this output cannot go to standard output; give a file path');
  writeFileAtomicChunks(file, produce, stdoutHint, option);
}
