// Tokens of a model text, with offsets that map back to line and column. A statement ends at a
// newline or `;`, except inside parentheses or brackets, so long expressions may span lines.
// `#` starts a comment that runs to the end of the line.

import { Errors } from '../../errors.js';
import { shownCharacter } from '../character-name.js';

export interface TextTok {
  /** 'nl' ends a statement (newline or `;` outside brackets). */
  readonly t: 'num' | 'id' | 'op' | 'str' | 'nl' | 'end';
  readonly s: string;
  readonly at: number;
}

/** Offsets → 1-based line/column, and the error constructor every stage of the text compiler uses. */
export class SourceText {
  readonly #starts: number[] = [0];
  readonly text: string;
  constructor(
    text: string,
    readonly file: string,
  ) {
    // a lone CR ends a line (classic Mac line ends), as in the CSV readers: a text written so was one
    // comment line, refused as "1:668: no compartments". Replaced one for one, so offsets are the file's
    this.text = text.replace(/\r(?!\n)/g, '\n');
    for (let i = 0; i < this.text.length; i++) if (this.text[i] === '\n') this.#starts.push(i + 1);
  }

  position(at: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - (this.#starts[lo] as number) + 1 };
  }

  lineText(line: number): string {
    const a = this.#starts[line - 1] ?? this.text.length;
    const b = this.#starts[line] ?? this.text.length + 1;
    return this.text.slice(a, b - 1).replace(/\r$/, '');
  }

  fail(at: number, why: string): never {
    const { line, col } = this.position(at);
    throw Errors.modelText(this.file, line, col, why, this.lineText(line));
  }
}

/** Said where a refusal follows a `;` on its line (NONMEM's comment mark). */
export const SEMICOLON_HINT = '(";" separates statements, as a new line does: "#" starts a comment)';

const NUMBER = /(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPS = ['**', '==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '^', '(', ')', ',', '?', ':', '<', '>', '!', '=', '~', '[', ']'];

export function tokenizeText(src: SourceText): TextTok[] {
  const text = src.text;
  const out: TextTok[] = [];
  const open: number[] = []; // offsets of the unclosed ( and [
  let i = 0;
  let semicolon = -1; // offset of the last `;` that ended a statement
  // what follows a `;` on its line may be meant as a NONMEM comment
  const fail: (at: number, why: string) => never = (at, why) => src.fail(at, semicolon >= 0 && !text.slice(semicolon, at).includes('\n') ? `${why} ${SEMICOLON_HINT}` : why);
  const endStatement = (at: number): void => {
    const last = out[out.length - 1];
    if (last && last.t !== 'nl') out.push({ t: 'nl', s: '\n', at });
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' || c === ';') {
      if (open.length === 0 || c === ';') {
        if (c === ';' && open.length > 0) src.fail(i, `";" inside parentheses or brackets ${SEMICOLON_HINT}`);
        if (c === ';') semicolon = i;
        endStatement(i);
      }
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close < 0 || (nl >= 0 && nl < close)) fail(i, 'unterminated string (a string ends with " on the same line)');
      out.push({ t: 'str', s: text.slice(i + 1, close), at: i });
      i = close + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    let m = NUMBER.exec(text);
    if (m) {
      // `2CL` is neither a number nor a name: say so rather than reading 2 * CL
      if (/[A-Za-z_]/.test(text[i + m[0].length] ?? '')) fail(i, `"${m[0]}${text[i + m[0].length]}": a name cannot start with a digit`);
      out.push({ t: 'num', s: m[0], at: i });
      i += m[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    m = IDENT.exec(text);
    if (m) {
      out.push({ t: 'id', s: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) fail(i, `unexpected character ${shownCharacter(text, i)}`);
    if (op === '(' || op === '[') open.push(i);
    if (op === ')' || op === ']') {
      const o = open.pop();
      if (o === undefined) fail(i, `unmatched "${op}"`);
      else if ((text[o] === '(') !== (op === ')')) fail(i, `"${op}" closes "${text[o]}" from line ${src.position(o).line}, column ${src.position(o).col}`);
    }
    out.push({ t: 'op', s: op === '**' ? '^' : op, at: i });
    i += op.length;
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) fail(unclosed, `"${text[unclosed]}" is never closed`);
  endStatement(text.length);
  out.push({ t: 'end', s: '', at: text.length });
  return out;
}
