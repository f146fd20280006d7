// The layout by design (design-groups.ts) read straight from a table of columns: subjects that agree
// bit for bit on every value the event compiler reads share one compiled table, each bringing its
// own parameter sets. The rows are checked in the same pass (what recordFromItems and checkRecords
// would refuse), as typed arrays read in sequence, with no object per row: a row is made into a
// record only for a subject whose design is new (compiled once per design).
//
// The pass takes only what it can prove the record path takes without a word: usual rows (standard
// fields as NONMEM allows them, no steady state, no infinite value in any column), each ID's rows
// contiguous and in time order, levels of the observed compartment. Anything else returns
// undefined, and the caller simulates the records the columns stand for, which refuses or warns as
// simulate() of records does.

import { NEAR_DOSE_HOURS } from '../regimen/dose-duplicates.js';
import { lookalikeDoseColumn } from '../regimen/lookalike-dose-columns.js';
import type { Model } from '../model/model.js';
import type { CompileOptions } from '../regimen/compile.js';
import type { ParamWriter, TableWriter } from '../regimen/table-writer.js';
import { type ColumnTable, tableRecords } from '../regimen/columns.js';
import { relevantNames } from './relevant-items.js';
import { type SlotSet, slotRecords } from './slot-records.js';
import { appendRuns, compileDesign, DesignBook, type DesignLayout, runsPart, type SubjectIndex } from './design-groups.js';

/** A byte view with memcmp (Node's Buffer): `compare` of two ranges, 0 where their bytes are equal. */
interface NativeBytes {
  compare(target: Uint8Array, targetStart: number, targetEnd: number, sourceStart: number, sourceEnd: number): number;
}
/**
 * Node's Buffer where there is one: comparing a subject's columns with its design's first subject
 * word by word in JavaScript was most of the layout (13 million compares per 2,000 W-gp subjects);
 * memcmp reads them at memory speed. Elsewhere (a browser) a loop over the values.
 */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): NativeBytes & Uint8Array } }).Buffer;

/** A name that toUpperCase() leaves as it is and that no other spelling upper-cases to (nmtran.ts). */
const UPPER_NAME = /^[A-Z0-9_]*$/;

/** Columns the record path reads in checks this pass does not make (refuseDurItem's DUR and PCMT) or marks of its own (@…). */
const HANDED_ON = /^(DUR|dur|Dur|PCMT|pcmt|Pcmt|@.*)$/;

let nanColumn = new Float64Array(0);
/** A column of NaN of at least n rows: a standard column the table does not have reads as missing cells. */
function missingColumn(n: number): Float64Array {
  if (nanColumn.length < n) nanColumn = new Float64Array(Math.max(n, 2 * nanColumn.length)).fill(NaN);
  return nanColumn;
}

/** The table's columns as the pass reads them (a class: one map for every call, which the hot loops see). */
class Plan {
  constructor(
    readonly ID: Float64Array,
    readonly TIME: Float64Array,
    readonly EVID: Float64Array,
    readonly AMT: Float64Array,
    readonly CMT: Float64Array,
    readonly RATE: Float64Array,
    readonly ADDL: Float64Array,
    readonly II: Float64Array,
    readonly SS: Float64Array,
    readonly DV: Float64Array,
    readonly MDV: Float64Array,
    /** The columns of the names the model's evaluation reads, and those names. */
    readonly relevant: readonly Float64Array[],
    readonly relevantNames: readonly string[],
    /** The columns read by nothing above, checked only for infinite values. */
    readonly others: readonly Float64Array[],
    /** TIME, EVID, AMT, CMT, RATE, ADDL, II, SS and MDV as the table has them (the columns it has). */
    readonly compared: readonly Float64Array[],
    /** The same as Node's Buffers (views, no copy), compared by memcmp; undefined elsewhere. */
    readonly comparedBytes: readonly NativeBytes[] | undefined,
    /** ID and the relevant columns as Node's Buffers, or undefined. */
    readonly idBytes: NativeBytes | undefined,
    readonly relevantBytes: readonly NativeBytes[] | undefined,
  ) {}
}

/**
 * The column recordFromItems reads standard item `name` from: the exact name, else (where some
 * column name is not an UPPER_NAME) the first column whose upper case is `name`.
 */
function standardColumn(t: ColumnTable, name: string, upper: boolean): number {
  const exact = t.names.indexOf(name);
  if (exact >= 0 || upper) return exact;
  return t.names.findIndex((k) => k.toUpperCase() === name);
}

function plan(model: Model, t: ColumnTable): Plan | undefined {
  // a rate, duration or ADDL under another name: refuseLookalikeDoseColumns judges it on the record path
  if (t.names.some((n) => HANDED_ON.test(n) || lookalikeDoseColumn(n))) return undefined;
  const upper = t.names.every((n) => UPPER_NAME.test(n));
  const used = new Set<number>();
  const col = (name: string): Float64Array => {
    const c = standardColumn(t, name, upper);
    if (c < 0) return missingColumn(t.rows);
    used.add(c);
    return t.values[c] as Float64Array;
  };
  const relevant: Float64Array[] = [];
  const names: string[] = [];
  for (const name of relevantNames(model)) {
    const c = t.names.indexOf(name);
    if (c < 0 || names.includes(name)) continue;
    relevant.push(t.values[c] as Float64Array);
    names.push(name);
    used.add(c);
  }
  const ID = col('ID');
  const TIME = col('TIME');
  const EVID = col('EVID');
  const AMT = col('AMT');
  const CMT = col('CMT');
  const RATE = col('RATE');
  const ADDL = col('ADDL');
  const II = col('II');
  const SS = col('SS');
  const DV = col('DV');
  const MDV = col('MDV');
  const missing = missingColumn(t.rows);
  const compared = [TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, MDV].filter((c) => c !== missing);
  const view = (c: Float64Array): NativeBytes => (NodeBuffer as NonNullable<typeof NodeBuffer>).from(c.buffer, c.byteOffset, c.byteLength);
  const node = NodeBuffer !== undefined;
  return new Plan(ID, TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, DV, MDV, relevant, names, t.values.filter((_, c) => !used.has(c)), compared, node ? compared.map(view) : undefined, node ? view(ID) : undefined, node ? relevant.map(view) : undefined);
}

/** Whether any value of the columns is infinite (recordFromItems refuses it, naming the row). */
function anyInfinite(cols: readonly Float64Array[], n: number): boolean {
  for (const c of cols)
    for (let i = 0; i < n; i++) {
      const v = c[i] as number;
      if (v === Infinity || v === -Infinity) return true;
    }
  return false;
}

/** Per-record fields written for a dose record (design-groups.ts). */
const MAX_RECORD_KEY = 10;

let keyBuf = new Float64Array(4096);
let keyBits = new Int32Array(keyBuf.buffer);
let runStart = new Int32Array(64);

function growKey(need: number): Float64Array {
  const grown = new Float64Array(Math.max(need, 2 * keyBuf.length));
  grown.set(keyBuf);
  keyBuf = grown;
  keyBits = new Int32Array(grown.buffer);
  return grown;
}

/** What scanSubject found besides the subject's end: runs, whether the records' part matched `ck`, and its length. */
const scan = { nRuns: 0, match: false, k: 0 };

/** The record fields of row r as recordFromItems derives them (a missing cell: its default). */
const row = { evid: 0, amt: 0, cmt: 0, rate: 0, addl: 0, ii: 0, ss: 0 };

/**
 * Reads row r's standard fields into `row`; false where the row is not a usual one (anything
 * recordFromItems or checkRecords would refuse, a steady state, a level of another compartment
 * than the observed one, a CMT beyond the model's): the record path decides then.
 */
function usualRow(p: Plan, r: number, nStates: number, observed: number): boolean {
  const a0 = p.AMT[r] as number;
  const amt = a0 !== a0 ? 0 : a0;
  const e0 = p.EVID[r] as number;
  const evid = e0 !== e0 ? (amt !== 0 ? 1 : 0) : e0;
  const c0 = p.CMT[r] as number;
  const cmt = c0 !== c0 ? 0 : c0;
  const r0 = p.RATE[r] as number;
  const rate = r0 !== r0 ? 0 : r0;
  const d0 = p.ADDL[r] as number;
  const addl = d0 !== d0 ? 0 : d0;
  const i0 = p.II[r] as number;
  const ii = i0 !== i0 ? 0 : i0;
  const s0 = p.SS[r] as number;
  if (s0 !== 0 && s0 === s0) return false;
  const dv = p.DV[r] as number;
  const m0 = p.MDV[r] as number;
  if (!(cmt >= 0 && (cmt | 0) === cmt && cmt <= nStates)) return false;
  if (!(dv - dv === 0 || dv !== dv)) return false;
  if (m0 === m0) {
    if (!(m0 === 1 || (m0 === 0 && (evid === 0 || dv === 0 || dv !== dv)))) return false;
  } else if (evid !== 0 && dv - dv === 0 && dv !== 0) return false;
  if (evid === 0 || evid === 2 || evid === 3) {
    if (amt !== 0 || rate !== 0 || addl !== 0 || ii !== 0) return false;
    if (evid === 0 && cmt !== 0 && cmt !== observed) return false;
  } else if (evid === 1 || evid === 4) {
    if (!(amt > 0 && amt - amt === 0)) return false;
    if (!(rate === 0 || (rate > 0 && rate - rate === 0) || rate === -1 || rate === -2)) return false;
    if (!(addl >= 0 && addl - addl === 0 && Math.floor(addl) === addl)) return false;
    if (!(ii >= 0 && ii - ii === 0) || (addl > 0 && !(ii > 0))) return false;
  } else return false;
  row.evid = evid;
  row.amt = amt;
  row.cmt = cmt;
  row.rate = rate;
  row.addl = addl;
  row.ii = ii;
  // 0 or −0 (a missing cell: 0), which the record keeps as it is
  row.ss = s0 !== s0 ? 0 : s0;
  return true;
}

/**
 * One subject's rows from `base`: checks each (usualRow, times not going back), compares the
 * records' part of its key with `ck` while it matches, and notes where its relevant items change
 * (runStart). Returns the index after the subject's last row, or −1 where the record path must decide.
 */
function scanSubject(p: Plan, rows: number, base: number, ck: Float64Array, nStates: number, observed: number): number {
  const { ID, TIME } = p;
  const rel = p.relevant;
  const nRel = rel.length;
  const id = ID[base] as number;
  const ckLen = ck.length;
  let match = ckLen > 0;
  let k = 1;
  let nRuns = 0;
  let last = -Infinity;
  let lastDose = -Infinity;
  let r = base;
  for (; r < rows; r++) {
    if (r > base && (ID[r] as number) !== id) break;
    const t = TIME[r] as number;
    if (!(t - t === 0) || t < last) return -1;
    last = t;
    if (!usualRow(p, r, nStates, observed)) return -1;
    const evid = row.evid;
    // two doses of the subject up to 15 minutes apart: copies or near copies the record path warns of (codeDoseDuplicates)
    if (evid === 1 || evid === 4) {
      if (t - lastDose <= NEAR_DOSE_HOURS) return -1;
      lastDose = t;
    }
    const code = evid === 0 ? 0 : evid === 1 ? 1 : evid === 3 ? 3 : evid === 4 ? 4 : 2;
    const c = row.cmt === 0 ? 0 : row.cmt;
    if (match) match = k + 4 <= ckLen && ck[k] === t && (t !== 0 || 1 / t === 1 / (ck[k] as number)) && ck[k + 1] === code && ck[k + 2] === c && ck[k + 3] === 0;
    k += 4;
    if (code === 1 || code === 4) {
      const { amt, rate, addl, ii, ss } = row;
      if (match)
        match =
          k + 6 <= ckLen &&
          ck[k] === amt &&
          ck[k + 1] === rate && (rate !== 0 || 1 / rate === 1 / (ck[k + 1] as number)) &&
          ck[k + 2] === addl && (addl !== 0 || 1 / addl === 1 / (ck[k + 2] as number)) &&
          ck[k + 3] === ii && (ii !== 0 || 1 / ii === 1 / (ck[k + 3] as number)) &&
          ck[k + 4] === ss && 1 / ss === 1 / (ck[k + 4] as number) &&
          ck[k + 5] === 0;
      k += 6;
    }
    // the relevant items: a change from the previous row starts a run (NaN equals NaN, as sameItems
    // has it); a blank beside a value of the subject is the record path's to refuse or fill
    // (refusePartlyMissingItems: a CL blank on one row took the model's CL over its interval)
    let change = r === base;
    for (let j = 0; j < nRel; j++) {
      const col = rel[j] as Float64Array;
      const x = col[r] as number;
      if (x === Infinity || x === -Infinity) return -1;
      if (r > base) {
        const y = col[r - 1] as number;
        if (x !== y && (x === x || y === y)) {
          if (x !== x || y !== y) return -1;
          change = true;
        }
      }
    }
    if (change) {
      if (nRuns === runStart.length) {
        const grown = new Int32Array(2 * nRuns);
        grown.set(runStart);
        runStart = grown;
      }
      runStart[nRuns++] = r - base;
    }
  }
  scan.nRuns = nRuns;
  scan.match = match && ck[0] === r - base;
  scan.k = k;
  return r;
}

/** Writes the records' part of the key of rows base..end (checked by scanSubject) into keyBuf; returns its length. */
function writeRecordsKey(p: Plan, base: number, end: number, nStates: number, observed: number): number {
  let key: Float64Array = keyBuf;
  let k = 1;
  for (let r = base; r < end; r++) {
    if (k + MAX_RECORD_KEY > key.length) key = growKey(k + MAX_RECORD_KEY);
    usualRow(p, r, nStates, observed);
    const evid = row.evid;
    const code = evid === 0 ? 0 : evid === 1 ? 1 : evid === 3 ? 3 : evid === 4 ? 4 : 2;
    key[k] = p.TIME[r] as number;
    key[k + 1] = code;
    key[k + 2] = row.cmt === 0 ? 0 : row.cmt;
    key[k + 3] = 0;
    k += 4;
    if (code === 1 || code === 4) {
      key[k] = row.amt;
      key[k + 1] = row.rate;
      key[k + 2] = row.addl;
      key[k + 3] = row.ii;
      // SS (±0 on every usual row) and the kept duration (none: no @dur column)
      key[k + 4] = row.ss;
      key[k + 5] = 0;
      k += 6;
    }
  }
  return k;
}

/** A design's first subject, whose rows scanSubject checked: the rows of a subject equal to them bit for bit are checked too (but for DV). */
interface Reference {
  readonly base: number;
  readonly nRec: number;
  /** Length of the records' part of the design's key. */
  readonly recordsEnd: number;
  /** Rows (from base) other than observations whose MDV cell is not 1: a DV there must be 0 or missing. */
  readonly dvEmpty: Int32Array;
}

function reference(p: Plan, base: number, nRec: number, recordsEnd: number, nStates: number, observed: number): Reference {
  const dvEmpty: number[] = [];
  for (let i = 0; i < nRec; i++) {
    usualRow(p, base + i, nStates, observed);
    if (row.evid !== 0 && p.MDV[base + i] !== 1) dvEmpty.push(i);
  }
  return { base, nRec, recordsEnd, dvEmpty: Int32Array.from(dvEmpty) };
}

/**
 * Whether the subject from `base` has as many rows as reference `ref`, bit for bit equal to them in
 * every column the compiler and the checks read but ID and DV, its own ID on each, and a DV each
 * row takes: its rows are then usual ones, in time order, with the records' part of the reference's key.
 * Column by column, each a run of words compared with the reference's (in cache).
 */
function sameRows(p: Plan, rows: number, base: number, id: number, ref: Reference): boolean {
  const n = ref.nRec;
  const end = base + n;
  if (end > rows || (end < rows && p.ID[end] === id)) return false;
  const ID = p.ID;
  // every ID's bits the next one's (memcmp of the column against itself one row on), else value by value
  const idBytes = p.idBytes as (NativeBytes & Uint8Array) | undefined;
  if (idBytes === undefined || ID[base] !== id || idBytes.compare(idBytes, 8 * base, 8 * (end - 1), 8 * (base + 1), 8 * end) !== 0)
    for (let i = base; i < end; i++) if (ID[i] !== id) return false;
  const bytes = p.comparedBytes;
  if (bytes !== undefined) {
    for (let c = 0; c < bytes.length; c++) {
      const x = bytes[c] as NativeBytes & Uint8Array;
      if (x.compare(x, 8 * ref.base, 8 * (ref.base + n), 8 * base, 8 * end) !== 0) return false;
    }
  } else {
    const cmp = p.compared;
    const d = ref.base - base;
    for (let c = 0; c < cmp.length; c++) {
      const col = cmp[c] as Float64Array;
      for (let i = base; i < end; i++) {
        const x = col[i] as number;
        const y = col[i + d] as number;
        // bit for bit but NaN's payload (a missing cell is missing whatever its bits): equal values, a zero's sign
        if (x === y ? x === 0 && 1 / x !== 1 / y : x === x || y === y) return false;
      }
    }
  }
  const DV = p.DV;
  for (let i = base; i < end; i++) {
    const v = DV[i] as number;
    if (v === Infinity || v === -Infinity) return false;
  }
  const e = ref.dvEmpty;
  for (let j = 0; j < e.length; j++) {
    const v = DV[base + (e[j] as number)] as number;
    if (v === v && v !== 0) return false;
  }
  return true;
}

let changed = new Uint8Array(0);

/**
 * Where the relevant items of rows base..base+n change (runStart, scanSubject's runs), column by
 * column; the number of runs, or −1 for an infinite value or a blank beside a value.
 */
function columnRuns(p: Plan, base: number, n: number): number {
  if (changed.length < n) changed = new Uint8Array(Math.max(n, 2 * changed.length));
  let any = false;
  const rel = p.relevant;
  const bytes = p.relevantBytes;
  for (let c = 0; c < rel.length; c++) {
    const col = rel[c] as Float64Array;
    let y = col[base] as number;
    if (y === Infinity || y === -Infinity) return -1;
    // the usual subject: one value on every row (each row's bits the next one's)
    const b = bytes?.[c] as (NativeBytes & Uint8Array) | undefined;
    if (b !== undefined && b.compare(b, 8 * base, 8 * (base + n - 1), 8 * (base + 1), 8 * (base + n)) === 0) continue;
    for (let i = 1; i < n; i++) {
      const x = col[base + i] as number;
      if (x !== y && (x === x || y === y)) {
        // an infinite value, or a blank beside a value (scanSubject): the record path decides
        if (x === Infinity || x === -Infinity || x !== x || y !== y) return -1;
        changed[i] = 1;
        any = true;
      }
      y = x;
    }
  }
  runStart[0] = 0;
  if (!any) return 1;
  let nRuns = 1;
  for (let i = 1; i < n; i++)
    if (changed[i] === 1) {
      changed[i] = 0;
      if (nRuns === runStart.length) {
        const grown = new Int32Array(2 * nRuns);
        grown.set(runStart);
        runStart = grown;
      }
      runStart[nRuns++] = i;
    }
  return nRuns;
}

/**
 * The table laid out by design, its rows checked as it is read (see the file's head); undefined
 * where the record path must decide. Without overrides: the sets come from the slot evaluator.
 */
export function layoutColumns(
  model: Model,
  t: ColumnTable,
  co: CompileOptions,
  staged: { readonly w: TableWriter; readonly p: ParamWriter; readonly index: SubjectIndex },
  file?: string,
): DesignLayout | undefined {
  const pl = plan(model, t);
  if (!pl || anyInfinite(pl.others, t.rows)) return undefined;
  const { w, p, index } = staged;
  const nStates = model.nStates;
  const rows = t.rows;
  const seen = new Set<number>();
  const book = new DesignBook();
  const refs: Reference[] = [];
  const observed = (co.observedIndex ?? -1) + 1;
  const none = new Uint8Array(nStates);
  const runEvals: SlotSet[] = [];
  const slotEval = slotRecords(model);
  // the relevant items of a run's first row, for the slot evaluator (it reads those names alone)
  const items: Record<string, number> = {};
  const relNames = pl.relevantNames;
  let stride = 0;
  for (let base = 0; base < rows; ) {
    const id = pl.ID[base] as number;
    // an ID given twice is refused by the record path (records of an ID must be contiguous), and
    // one beyond 2^53 − 1 (two int64 IDs one double: recordFromItems refuses it)
    if (!(id - id === 0) || id > Number.MAX_SAFE_INTEGER || id < -Number.MAX_SAFE_INTEGER || seen.has(id)) return undefined;
    seen.add(id);
    const ck = book.lastKey();
    const ref = book.last >= 0 ? refs[book.last] : undefined;
    let r: number;
    let nRuns: number;
    let match: boolean;
    let k: number;
    // most subjects share the last one's design: their rows are compared with its first subject's, column by column
    if (ref !== undefined && sameRows(pl, rows, base, id, ref)) {
      r = base + ref.nRec;
      nRuns = columnRuns(pl, base, ref.nRec);
      if (nRuns < 0) return undefined;
      match = true;
      k = ref.recordsEnd;
    } else {
      r = scanSubject(pl, rows, base, ck, nStates, observed);
      if (r < 0) return undefined;
      nRuns = scan.nRuns;
      match = scan.match;
      k = match ? scan.k : writeRecordsKey(pl, base, r, nStates, observed);
    }
    const nRec = r - base;
    const key: Float64Array = keyBuf;
    key[0] = nRec;
    const recordsEnd = k;

    for (let j = 0; j < nRuns; j++) {
      const at = base + (runStart[j] as number);
      for (let c = 0; c < relNames.length; c++) items[relNames[c] as string] = (pl.relevant[c] as Float64Array)[at] as number;
      const e = slotEval.evaluate(items, j);
      if (e === undefined) return undefined;
      runEvals[j] = e;
    }
    // no level of another compartment than the observed one (usualRow): S enters by its length alone
    k = appendRuns(p, runEvals, nRuns, runStart, key, k, none, growKey);
    if (k < 0) return undefined;
    stride = runsPart.stride;
    const { parBase, sets } = runsPart;

    const bits = keyBits;
    let g = book.sameAsLast(bits, k, match, recordsEnd);
    if (g < 0) {
      // matched, the records' part was compared, not written: written now (the same length, before the runs' part)
      if (match) writeRecordsKey(pl, base, r, nStates, observed);
      g = book.lookup(keyBits, k);
      if (g < 0) {
        // a new design: its rows made records (as the record path reads them) and compiled once
        const records = tableRecords(t, base, r, file);
        const evStart = compileDesign(model, records, 0, nRec, runStart, nRuns, undefined, stride, co, w);
        if (evStart < 0) return undefined;
        g = book.add(keyBits, k, evStart, w.n, nRec, sets);
        refs.push(reference(pl, base, nRec, recordsEnd, nStates, observed));
      }
    }
    if (!book.count(g, id, base, parBase, index)) return undefined;
    base = r;
  }
  return book.layout(index, p, stride, w, rows);
}
