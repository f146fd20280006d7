// A data set's CSV file read straight into typed columns, for `dosewise simulate --data`: the
// record reader (readNmtran) made a string per line, an array of strings per row and a record object
// per row, 1.3 GB and ~26 s of CPU (mostly the collector) for W-gp's 730,000 rows. Here the file is
// read in chunks of bytes, each number parsed from its bytes into one Float64Array per column, and
// written back from the file's bytes in a second pass: no object per row.
//
// Only a data set the record reader would read without a word is read here, and the reading is then
// the record reader's, value for value (a property test compares them): a header of plain names
// (letters, digits, _) with ID and TIME, no date column nor a levels' unit column; rows of numbers
// written as the reader reads them, or missing cells (., blank, NA, NaN), no blanks, quotes or other
// text; each ID's rows contiguous and in time order; no comment line; a row that is no plain level
// or dose checked as the reader checks it (recordFromItems). Anything else, and anything the reader
// would warn of (a dose within 15 minutes of the ID's dose before it, a steady-state infusion,
// times that might be a spreadsheet's serial dates, no dose at all), returns undefined: the caller
// then reads the file with readNmtran, whose refusals and warnings stand as they were.

import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { Errors } from '../errors.js';
import { recordFromItems } from '../regimen/nmtran.js';
import { DATE_COLUMNS } from '../regimen/clock.js';
import { isLevelUnitColumn } from '../bayes/level-units.js';

/** A data set read by column, and the file it came from (for writing the rows back). */
export interface CsvColumns {
  /** Header names in file order (the record reader's `columns`). */
  readonly columns: readonly string[];
  /** One Float64Array per column, NaN a missing cell, by header name in file order (a DataColumns). */
  readonly table: Readonly<Record<string, Float64Array>>;
  readonly rows: number;
  /** The number of IDs. */
  readonly ids: number;
  /** The file, its size and modification time when read. */
  readonly file: string;
  readonly stat: { readonly size: number; readonly mtimeMs: number; readonly ino: number };
}

const CHUNK = 1 << 22;
// bytes: 0-9 . + - e E , N A a \r \n
const C0 = 48;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Exact powers of ten (10^0 … 10^22 are doubles without rounding). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Excel's serial date-times of 1990-2099 (spreadsheet-dates.ts): a data set all of whose times lie there is the record reader's to judge. */
const SERIAL_MIN = 32_874;
const SERIAL_MAX = 73_051;
/** Doses of one ID this close are the record reader's to warn of (W_DOSE_DUPLICATE, 15 minutes), with a margin. */
const NEAR_DOSE = 0.25 + 1e-6;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STANDARD = ['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV'] as const;

/** Why a reading was given up (for tests and the bench: the caller reads the file with readNmtran). */
export let lastFallback = '';

class GiveUp extends Error {}
const giveUp = (why: string): never => {
  throw new GiveUp(why);
};

/** Reads chunks of a file; lines are handed out as byte ranges of `buf`, a line never split across reads. */
class Lines {
  buf = Buffer.allocUnsafe(CHUNK);
  private len = 0;
  private pos = 0;
  private filePos = 0;
  private eof = false;
  constructor(private readonly fd: number) {}

  /** The next line as [start, end) of `buf` without its \n (and a \r before it), or false at the end. */
  next(out: { start: number; end: number }): boolean {
    for (;;) {
      const nl = this.buf.indexOf(LF, this.pos);
      if (nl >= 0 && nl < this.len) {
        out.start = this.pos;
        out.end = nl > this.pos && this.buf[nl - 1] === CR ? nl - 1 : nl;
        this.pos = nl + 1;
        return true;
      }
      if (this.eof) {
        if (this.pos >= this.len) return false;
        out.start = this.pos;
        out.end = this.len;
        this.pos = this.len;
        return true;
      }
      // keep the partial line, read after it (a line longer than the buffer grows it)
      const rest = this.len - this.pos;
      if (this.pos === 0 && rest === this.buf.length) {
        const b = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(b, 0, 0, rest);
        this.buf = b;
      } else if (rest > 0) this.buf.copy(this.buf, 0, this.pos, this.len);
      this.pos = 0;
      this.len = rest;
      const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.filePos);
      this.filePos += n;
      this.len += n;
      if (n === 0) this.eof = true;
    }
  }
}

/**
 * A cell's number as Number() reads its text, where the text is a decimal number as the record reader
 * reads one (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/); NaN for a missing cell (., blank, NA, NaN);
 * gives up on anything else. Digits up to 2^53 and a power of ten up to 10^22 make one exactly rounded
 * division or product (Clinger's fast path), which is Number()'s value; others are read by Number().
 */
function cellValue(b: Buffer, s: number, e: number): number {
  if (e === s) return NaN;
  let i = s;
  const c = b[i] as number;
  if (e - s === 1 && c === DOT) return NaN;
  let neg = false;
  if (c === PLUS || c === MINUS) {
    neg = c === MINUS;
    i++;
  }
  let m = 0;
  let exact = true;
  let scale = 0;
  let intDigits = 0;
  for (; i < e; i++) {
    const d = (b[i] as number) - C0;
    if (d < 0 || d > 9) break;
    if (m >= 900719925474099) exact = false;
    m = m * 10 + d;
    intDigits++;
  }
  let fracDigits = 0;
  if (i < e && b[i] === DOT) {
    i++;
    for (; i < e; i++) {
      const d = (b[i] as number) - C0;
      if (d < 0 || d > 9) break;
      if (m >= 900719925474099) exact = false;
      m = m * 10 + d;
      fracDigits++;
    }
    scale = -fracDigits;
  }
  const digits = intDigits + fracDigits;
  if (digits === 0) {
    // NA, NaN (a missing cell) or text
    if ((e - s === 2 && b[s] === 78 && b[s + 1] === 65) || (e - s === 3 && b[s] === 78 && b[s + 1] === 97 && b[s + 2] === 78)) return NaN;
    return giveUp('a cell that is no number');
  }
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === PLUS || b[i] === MINUS)) {
      eneg = b[i] === MINUS;
      i++;
    }
    let x = 0;
    let xd = 0;
    for (; i < e; i++) {
      const d = (b[i] as number) - C0;
      if (d < 0 || d > 9) break;
      if (x < 1e6) x = x * 10 + d;
      xd++;
    }
    if (xd === 0) return giveUp('a cell that is no number');
    scale += eneg ? -x : x;
  }
  if (i !== e) return giveUp('a cell that is no number');
  if (exact && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? m / (POW10[-scale] as number) : m * (POW10[scale] as number);
    return neg ? -v : v;
  }
  // the text with its sign
  const v = Number(b.toString('latin1', s, e));
  if (v - v !== 0) return giveUp('a number too large for a double');
  return v;
}

/** Whether x's first n bytes are b's n bytes from `at` (a loop: Buffer.compare's checks cost more for a cell). */
function sameAs(x: Buffer, b: Buffer, at: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (x[k] !== b[at + k]) return false;
  return true;
}

/**
 * Reads a data set's CSV into columns as readNmtran would read it, or gives undefined where readNmtran
 * must read it (see the file's head); `lastFallback` then says why. The file must be a file (not `-`).
 */
export function readCsvColumns(file: string): CsvColumns | undefined {
  let fd: number;
  try {
    // a pipe (<(cat data.csv), /dev/stdin) is not opened: it is read once, by readNmtran
    if (!statSync(file).isFile()) return undefined;
    fd = openSync(file, 'r');
  } catch {
    lastFallback = 'the file cannot be opened here';
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return giveUp('not a regular file');
    return readColumns(fd, file, st);
  } catch (e) {
    if (e instanceof GiveUp) {
      lastFallback = e.message;
      return undefined;
    }
    throw e;
  } finally {
    closeSync(fd);
  }
}

function readColumns(fd: number, file: string, st: Stats): CsvColumns {
  const lines = new Lines(fd);
  const at = { start: 0, end: 0 };
  if (!lines.next(at)) return giveUp('an empty file');
  let b = lines.buf;
  let hs = at.start;
  if (b[hs] === 0xef && b[hs + 1] === 0xbb && b[hs + 2] === 0xbf) hs += 3;
  const header = b.toString('latin1', hs, at.end).split(',');
  const upper = header.map((c) => c.toUpperCase());
  if (header.length < 2 || !header.every((c) => NAME.test(c))) return giveUp('a header other than plain names');
  if (new Set(upper).size !== upper.length) return giveUp('a name given twice');
  if (!upper.includes('ID') || !upper.includes('TIME')) return giveUp('no ID or TIME column');
  if (upper.some((c) => c in DATE_COLUMNS) || header.some(isLevelUnitColumn)) return giveUp('a date or unit column');
  const width = header.length;
  const ix = Object.fromEntries(STANDARD.map((n) => [n, upper.indexOf(n)])) as Record<(typeof STANDARD)[number], number>;
  const iId = ix.ID;
  const iTime = ix.TIME;
  let cap = 1024;
  let cols = header.map(() => new Float64Array(cap));
  const row = new Float64Array(width);
  // each cell's [start, end) in the line
  const cs = new Int32Array(width);
  const ce = new Int32Array(width);
  // the previous row's long cells, copied: a covariate repeated on every row of an ID is parsed once
  const prevText = header.map(() => Buffer.alloc(32));
  const prevLen = new Int32Array(width).fill(-1);
  const prevVal = new Float64Array(width);
  let rows = 0;
  const seen = new Set<number>();
  let idText = Buffer.alloc(0);
  let prevId = NaN;
  let lastTime = -Infinity;
  let lastDose = -Infinity;
  let anyDose = false;
  let timeOutsideSerial = false;
  while (lines.next(at)) {
    b = lines.buf;
    const s = at.start;
    const e = at.end;
    if (e === s) continue; // a blank line: skipped as the reader skips it
    // the cells: commas between, and no byte the reader would read otherwise (a quote, a blank, a
    // '#', '@' or 'C' of a comment line, text)
    let k = 0;
    cs[0] = s;
    for (let p = s; p < e; p++) {
      const c = b[p] as number;
      if (c === COMMA) {
        ce[k] = p;
        if (++k >= width) return giveUp('a row with more fields than the header');
        cs[k] = p + 1;
      } else if (!((c >= C0 && c <= C0 + 9) || c === DOT || c === PLUS || c === MINUS || c === 101 || c === 69 || c === 78 || c === 65 || c === 97)) return giveUp('a row holding text, quotes, blanks or a comment');
    }
    ce[k] = e;
    if (k !== width - 1) return giveUp('a row with fewer fields than the header');
    // a row whose cells after the first are all empty (",,,": skipped; NA,,,: a note) is the reader's
    let filled = false;
    for (let j = 1; j < width && !filled; j++) if ((ce[j] as number) > (cs[j] as number)) filled = true;
    if (!filled) return giveUp('a row without cells after the first');
    for (let j = 0; j < width; j++) {
      const a = cs[j] as number;
      const z = ce[j] as number;
      const n = z - a;
      if (n > 8 && n <= 32 && prevLen[j] === n && sameAs(prevText[j] as Buffer, b, a, n)) {
        row[j] = prevVal[j] as number;
        continue;
      }
      const v = cellValue(b, a, z);
      row[j] = v;
      if (n > 8 && n <= 32) {
        b.copy(prevText[j] as Buffer, 0, a, z);
        prevLen[j] = n;
        prevVal[j] = v;
      }
    }
    // TIME written 0800 is refused by the reader (a clock time without its colon)
    {
      const a = cs[iTime] as number;
      const d = (k: number): boolean => (b[a + k] as number) >= C0 && (b[a + k] as number) <= C0 + 9;
      if ((ce[iTime] as number) - a === 4 && b[a] === C0 && d(1) && d(2) && d(3)) return giveUp('a TIME of four digits with a leading zero');
    }
    // an ID: a new one where its text changes; the same number written otherwise, or one seen before, is the reader's to refuse
    const ia = cs[iId] as number;
    const iz = ce[iId] as number;
    const id = row[iId] as number;
    if (!(rows > 0 && iz - ia === idText.length && sameAs(idText, b, ia, idText.length))) {
      if (id !== id) return giveUp('a missing ID');
      if (Number.isInteger(id) && !Number.isSafeInteger(id)) return giveUp('an ID beyond 2^53');
      if (rows > 0 && id === prevId) return giveUp('one ID written two ways');
      if (seen.has(id)) return giveUp('an ID whose rows are not contiguous');
      seen.add(id);
      idText = Buffer.from(b.subarray(ia, iz));
      prevId = id;
      lastTime = -Infinity;
      lastDose = -Infinity;
    }
    const time = row[iTime] as number;
    if (!(time >= lastTime)) return giveUp('a missing TIME, or times going back');
    lastTime = time;
    if (!(time >= SERIAL_MIN && time <= SERIAL_MAX)) timeOutsideSerial = true;
    // the record as recordFromItems makes it; a plain level or dose passes its checks, others are checked by it
    const val = (i: number): number => (i < 0 ? NaN : (row[i] as number));
    const amtRaw = val(ix.AMT);
    const AMT = amtRaw !== amtRaw ? 0 : amtRaw;
    const evidRaw = val(ix.EVID);
    const EVID = evidRaw !== evidRaw ? (AMT !== 0 ? 1 : 0) : evidRaw;
    const or0 = (i: number): number => {
      const v = val(i);
      return v !== v ? 0 : v;
    };
    const CMT = or0(ix.CMT);
    const RATE = or0(ix.RATE);
    const ADDL = or0(ix.ADDL);
    const II = or0(ix.II);
    const SS = or0(ix.SS);
    const DV = val(ix.DV);
    const mdv0 = val(ix.MDV);
    const usual =
      (mdv0 !== mdv0 || mdv0 === 0 || mdv0 === 1) &&
      CMT >= 0 && Number.isInteger(CMT) &&
      (EVID === 0 || DV === 0 || DV !== DV || mdv0 === 1) &&
      (((EVID === 0 || EVID === 2 || EVID === 3) && AMT === 0 && RATE === 0 && ADDL === 0 && II === 0 && SS === 0) || (EVID === 1 && AMT > 0 && RATE >= 0 && ADDL === 0 && II === 0 && SS === 0));
    if (!usual) {
      const items: Record<string, number> = {};
      for (let j = 0; j < width; j++) items[header[j] as string] = row[j] as number;
      try {
        recordFromItems(items, rows + 1, file);
      } catch {
        return giveUp('a row the record reader refuses');
      }
      // the reader's warning of a steady-state infusion that stops at its record
      if (SS > 0 && !(AMT > 0) && RATE > 0 && (EVID === 1 || EVID === 4)) return giveUp('a steady-state infusion');
    }
    if (EVID === 1 || EVID === 4) {
      anyDose = true;
      if (time - lastDose <= NEAR_DOSE) return giveUp('doses of one ID within 15 minutes');
      lastDose = time;
    }
    if (rows === cap) {
      cap = Math.max(cap * 2, Math.ceil((st.size / Math.max(1, e - s + 1)) * 1.05));
      cols = cols.map((c) => {
        const g = new Float64Array(cap);
        g.set(c);
        return g;
      });
    }
    for (let j = 0; j < width; j++) (cols[j] as Float64Array)[rows] = row[j] as number;
    rows++;
  }
  if (rows === 0) return giveUp('no rows');
  if (!anyDose) return giveUp('no dose');
  if (!timeOutsideSerial) return giveUp('times that may be serial date-times');
  const table: Record<string, Float64Array> = {};
  header.forEach((c, j) => (table[c] = (cols[j] as Float64Array).subarray(0, rows)));
  return { columns: header, table, rows, ids: seen.size, file, stat: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino } };
}

/**
 * Writes the data set's rows back as writeNmtran(data, extra) writes them (the cells as written, then
 * each extra column's value by formatNumber's rule), reading the file again: `write` is given the
 * text in chunks. The file must be as it was read.
 */
export function writeCsvColumns(data: CsvColumns, extra: readonly (readonly [string, (i: number) => number])[], write: (chunk: Buffer) => void, format: (v: number, out: Buffer, at: number) => number): void {
  const fd = openSync(data.file, 'r');
  try {
    const st = fstatSync(fd);
    if (st.size !== data.stat.size || st.mtimeMs !== data.stat.mtimeMs || st.ino !== data.stat.ino) throw Errors.io(data.file, 'changed while it was read: run again');
    const lines = new Lines(fd);
    const at = { start: 0, end: 0 };
    const OUT = 1 << 20;
    let out = Buffer.allocUnsafe(OUT);
    let o = 0;
    const flush = (): void => {
      if (o > 0) write(out.subarray(0, o));
      out = Buffer.allocUnsafe(OUT);
      o = 0;
    };
    lines.next(at);
    const head = [...data.columns, ...extra.map(([n]) => n)].join(',') + '\n';
    o += out.write(head, o, 'latin1');
    let r = 0;
    while (lines.next(at)) {
      const b = lines.buf;
      const n = at.end - at.start;
      if (n === 0) continue;
      if (r >= data.rows) throw Errors.io(data.file, 'changed while it was read: run again');
      // the line and up to 26 bytes per value (formatNumber's longest: -1.234567891e-308)
      if (o + n + 1 + 32 * extra.length > out.length) {
        flush();
        if (n + 1 + 32 * extra.length > out.length) out = Buffer.allocUnsafe(n + 1 + 32 * extra.length);
      }
      for (let p = at.start; p < at.end; p++) out[o++] = b[p] as number;
      for (const [, value] of extra) {
        out[o++] = COMMA;
        o = format(value(r), out, o);
      }
      out[o++] = LF;
      r++;
    }
    if (r !== data.rows) throw Errors.io(data.file, 'changed while it was read: run again');
    if (o > 0) write(out.subarray(0, o));
  } finally {
    closeSync(fd);
  }
}

/** formatNumber's text written by formatNumber. */
const SLOW = (v: number, out: Buffer, at: number, format: (v: number) => string): number => at + out.write(format(v), at, 'latin1');

/** Writes the digits of a whole number 0 ≤ n < 2^53 at `at`; returns the end. */
function writeDigits(n: number, out: Buffer, at: number): number {
  let len = 1;
  for (let p = 10; p <= n; p *= 10) len++;
  for (let k = at + len - 1; k >= at; k--) {
    const q = Math.floor(n / 10);
    out[k] = C0 + (n - q * 10);
    n = q;
  }
  return at + len;
}

/**
 * Writes `v` as formatNumber writes it (NaN as '.', a whole number as String() writes it, others
 * String(Number(v.toPrecision(10)))), into `out` at `at`; returns the end. The ten significant
 * digits are found with one exactly rounded product or quotient, a, 10^(9−e) (its error below 2e−6
 * of a unit), where the rounding they decide lies more than 1e−4 from a tie; the digits, without
 * trailing zeros, are then the shortest that read back as Number(toPrecision(10)) (two decimals of
 * at most 15 digits are never one double), placed as Number.prototype.toString places them.
 * Elsewhere (ties, very small or large values) `format` (formatNumber) writes it.
 */
export function writeNumberText(v: number, out: Buffer, at: number, format: (v: number) => string): number {
  if (v !== v) {
    out[at] = DOT;
    return at + 1;
  }
  const neg = v < 0;
  const a = neg ? -v : v;
  if (Number.isInteger(v)) {
    if (a > 9007199254740991) return SLOW(v, out, at, format);
    if (neg) out[at++] = MINUS;
    return writeDigits(a, out, at);
  }
  if (!(a >= 1e-300 && a < 1e15)) return SLOW(v, out, at, format);
  let e = Math.floor(Math.log10(a));
  let s: number;
  for (let tries = 0; ; tries++) {
    const p = 9 - e;
    if (p > 22 || p < -22 || tries > 2) return SLOW(v, out, at, format);
    s = p >= 0 ? a * (POW10[p] as number) : a / (POW10[-p] as number);
    if (s < 1e9) e--;
    else if (s >= 1e10) e++;
    else break;
  }
  if (!(s >= 1e9 + 1e-4 && s < 9999999999.4)) return SLOW(v, out, at, format);
  const fl = Math.floor(s);
  const f = s - fl;
  if (f > 0.4999 && f < 0.5001) return SLOW(v, out, at, format);
  let n = f > 0.5 ? fl + 1 : fl;
  // the digits without trailing zeros: k of them
  let k = 10;
  while (n % 10 === 0) {
    n /= 10;
    k--;
  }
  if (neg) out[at++] = MINUS;
  const point = e + 1; // Number.prototype.toString's n: the value is 0.d1d2… × 10^point
  if (point >= k && point <= 21) {
    at = writeDigits(n, out, at);
    for (let z = k; z < point; z++) out[at++] = C0;
    return at;
  }
  if (point > 0 && point <= 21) {
    const end = writeDigits(n, out, at);
    // move the fraction's digits one place on for the point
    for (let q = end; q > at + point; q--) out[q] = out[q - 1] as number;
    out[at + point] = DOT;
    return end + 1;
  }
  if (point > -6 && point <= 0) {
    out[at++] = C0;
    out[at++] = DOT;
    for (let z = point; z < 0; z++) out[at++] = C0;
    return writeDigits(n, out, at);
  }
  // d.ddde±x
  const end = writeDigits(n, out, at + (k > 1 ? 1 : 0));
  if (k > 1) {
    out[at] = out[at + 1] as number;
    out[at + 1] = DOT;
  }
  at = end;
  out[at++] = 101;
  out[at++] = point - 1 < 0 ? MINUS : PLUS;
  return writeDigits(Math.abs(point - 1), out, at);
}
