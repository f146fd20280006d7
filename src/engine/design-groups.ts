// Subjects of a data set that share a design: in most data sets many IDs have the same dosing and
// sampling records and differ only in their parameters. The compiled event table is a function of
// the values the compiler reads (per record TIME, EVID, CMT, the pre-dose mark and, for a dose,
// AMT, RATE, the duration it keeps, ADDL, II, SS; per evaluation the modifiers lag, F, R, D and S;
// and where the kernel parameter sets change), so subjects that agree bit for bit on all of them
// have bitwise the same table: it is compiled once per design, and each subject brings only its
// parameter sets.
//
// Records are read once, in one pass per subject, into a key of plain doubles; the model is
// evaluated only where a subject's relevant items change (as the general path does). Anything the
// general path would refuse, or would treat in a way this pass does not reproduce (an ID that comes
// back after another, a kernel set holding NaN), returns undefined: the caller then takes the
// general path, which raises the same errors.

import type { Evaluation, Model } from '../model/model.js';
import { appendSubject, type CompileOptions, type EventTable } from '../regimen/compile.js';
import { type DataRecord, keptDuration, PRE_DOSE_ITEM } from '../regimen/record.js';
import { ParamWriter, type TableWriter } from '../regimen/table-writer.js';
import { type Items, relevantNames } from './relevant-items.js';
import { type SlotSet, slotRecords } from './slot-records.js';
import type { RecordPass } from '../regimen/nmtran.js';

export interface DesignGroup {
  /** Rows evStart..evEnd of the batch's events: the design's compiled table. */
  readonly evStart: number;
  readonly evEnd: number;
  /** Records (output rows) per subject. */
  readonly nRec: number;
  /** Parameter sets per subject. */
  readonly sets: number;
  /** Subjects of this design. */
  count: number;
  /** The design's key, and the same memory as 32-bit words. */
  readonly key: Float64Array;
  readonly bits: Int32Array;
}

/** The subjects of a data set by design: IDs in data order, each reading its own parameter sets and one design's table. */
export interface DesignLayout {
  readonly ids: readonly number[];
  /** Index of each subject's first record: its first output row. */
  readonly base: Int32Array;
  /** Design of each subject. */
  readonly design: Int32Array;
  /** First parameter set of each subject in `params`. */
  readonly parBase: Int32Array;
  readonly params: Float64Array;
  readonly stride: number;
  readonly designs: readonly DesignGroup[];
  /** Every design's table, one after the other. */
  readonly events: EventTable;
  /** Records in all (output rows). */
  readonly nOut: number;
}

/**
 * Per-subject indices of a batch, kept from one call to the next with the other staging arrays:
 * arrays made afresh per call outlived a scavenge or two and were promoted, and the old space
 * they filled cost full collections of the caller's records.
 */
export class SubjectIndex {
  n = 0;
  base: Int32Array = new Int32Array(256);
  design: Int32Array = new Int32Array(256);
  parBase: Int32Array = new Int32Array(256);

  reset(): void {
    this.n = 0;
  }

  add(base: number, design: number, parBase: number): void {
    const i = this.n;
    if (i === this.base.length) {
      const grow = (a: Int32Array): Int32Array => {
        const g = new Int32Array(2 * i);
        g.set(a);
        return g;
      };
      this.base = grow(this.base);
      this.design = grow(this.design);
      this.parBase = grow(this.parBase);
    }
    this.base[i] = base;
    this.design[i] = design;
    this.parBase[i] = parBase;
    this.n = i + 1;
  }
}

/** IDs equal as byId's Map sees them (SameValueZero). */
const sameId = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** Whether an ID occurs twice (records of an ID that come back after another's: byId regroups them). */
function idRepeats(ids: readonly number[]): boolean {
  const sorted = Float64Array.from(ids).sort();
  for (let i = 1; i < sorted.length; i++) if (sameId(sorted[i] as number, sorted[i - 1] as number)) return true;
  return false;
}

/** Bitwise equality of the first n doubles of a key (as 2n 32-bit words) and a design's. */
export function sameKey(bits: Int32Array, n: number, other: Int32Array): boolean {
  const words = 2 * n;
  if (other.length !== words) return false;
  for (let i = 0; i < words; i++) if (bits[i] !== other[i]) return false;
  return true;
}

/** Whether words from..to of two keys are equal. */
export function sameWords(bits: Int32Array, from: number, to: number, other: Int32Array): boolean {
  for (let i = from; i < to; i++) if (bits[i] !== other[i]) return false;
  return true;
}

export const EMPTY_KEY = new Float64Array(0);

/** FNV-1a over the first n doubles' bits: keys that sameKey equates hash alike. */
export function hashKey(bits: Int32Array, n: number): number {
  let h = 0x811c9dc5 ^ n;
  for (let i = 0; i < 2 * n; i++) h = Math.imul(h ^ (bits[i] as number), 0x01000193);
  return h;
}

/**
 * sameRelevant's test, as a function of this pass's own: V8 keeps type feedback per function, and
 * sameRelevant also sees the items of regimens built in code and of other callers; with several
 * item shapes its loads turn generic and box every double they read (16 bytes per value, ~70 MB
 * of garbage per 730,000 records). Here the loads see the data set's item shape alone.
 */
function sameItems(a: Items, b: Items, names: readonly string[]): boolean {
  const n = names.length;
  if (n === 0) return true;
  const k0 = names[0] as string;
  const x0 = a[k0];
  const y0 = b[k0];
  if (x0 !== y0 && (x0 === x0 || y0 === y0)) return false;
  if (n === 1) return true;
  const k1 = names[1] as string;
  const x1 = a[k1];
  const y1 = b[k1];
  if (x1 !== y1 && (x1 === x1 || y1 === y1)) return false;
  if (n === 2) return true;
  const k2 = names[2] as string;
  const x2 = a[k2];
  const y2 = b[k2];
  if (x2 !== y2 && (x2 === x2 || y2 === y2)) return false;
  for (let i = 3; i < n; i++) {
    const k = names[i] as string;
    const x = a[k];
    const y = b[k];
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

/** Whether one of `names` is missing (a blank or no item) on one of a, b and given on the other: at a run's start only. */
function blankBesideValue(a: Items, b: Items, names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) {
    const k = names[i] as string;
    const x = a[k];
    const y = b[k];
    if ((x === undefined || x !== x) !== (y === undefined || y !== y)) return true;
  }
  return false;
}

/** Subjects read before the pass judges whether designs repeat enough to be worth grouping. */
export const MIN_SUBJECTS_TO_JUDGE = 32;

/**
 * The designs found so far, by key, and the subjects counted into them: the bookkeeping both
 * layouts (records, columns) share. A key is the records' part then the runs' part (appendRuns).
 */
export class DesignBook {
  readonly designs: DesignGroup[] = [];
  readonly ids: number[] = [];
  private readonly byHash = new Map<number, number[]>();
  private hash = 0;
  /** The last subject's design, −1 before the first. */
  last = -1;

  /** The key the next subject is compared with while it is read (most subjects share the last one's design). */
  lastKey(): Float64Array {
    return this.last >= 0 ? (this.designs[this.last] as DesignGroup).key : EMPTY_KEY;
  }

  /** The last design where the records' part of the key in `bits` matched it as read (`match`) and the runs' part, from `recordsEnd` to `k`, is the same bit for bit; else −1. */
  sameAsLast(bits: Int32Array, k: number, match: boolean, recordsEnd: number): number {
    if (!match || this.last < 0) return -1;
    const d = this.designs[this.last] as DesignGroup;
    return d.key.length === k && sameWords(bits, 2 * recordsEnd, 2 * k, d.bits) ? this.last : -1;
  }

  /** The design whose key is bits[0, 2k), or −1 (then `add` files it under the hash found here). */
  lookup(bits: Int32Array, k: number): number {
    const h = hashKey(bits, k);
    this.hash = h;
    return this.byHash.get(h)?.find((c) => sameKey(bits, k, (this.designs[c] as DesignGroup).bits)) ?? -1;
  }

  /** A new design of the key bits[0, 2k) that `lookup` missed, its table at evStart..evEnd. */
  add(bits: Int32Array, k: number, evStart: number, evEnd: number, nRec: number, sets: number): number {
    const g = this.designs.length;
    const own = bits.slice(0, 2 * k);
    this.designs.push({ evStart, evEnd, nRec, sets, count: 0, key: new Float64Array(own.buffer), bits: own });
    const list = this.byHash.get(this.hash);
    if (list) list.push(g);
    else this.byHash.set(this.hash, [g]);
    return g;
  }

  /**
   * Counts subject `id` (its records from `base`, its sets from `parBase`) into design g. False where
   * nearly every subject has a design of its own (sampling times of their own, say): the general path
   * lays such data out without the keys, and this pass gave up only a few subjects' work to find out.
   */
  count(g: number, id: number, base: number, parBase: number, index: SubjectIndex): boolean {
    this.last = g;
    (this.designs[g] as DesignGroup).count++;
    this.ids.push(id);
    index.add(base, g, parBase);
    const n = this.ids.length;
    return !(n >= MIN_SUBJECTS_TO_JUDGE && (n & (n - 1)) === 0 && 4 * this.designs.length > 3 * n);
  }

  /** The layout of the subjects counted, their sets in `p` (stride each) and the designs' tables in `w`. */
  layout(index: SubjectIndex, p: ParamWriter, stride: number, w: TableWriter, rows: number): DesignLayout {
    const n = index.n;
    return {
      ids: this.ids,
      base: index.base.subarray(0, n),
      design: index.design.subarray(0, n),
      parBase: index.parBase.subarray(0, n),
      params: p.data.subarray(0, p.length),
      stride,
      designs: this.designs,
      events: w.view(),
      nOut: rows,
    };
  }
}

/** Per-record fields written for a dose record (the most any record writes). */
const MAX_RECORD_KEY = 10;

// scratch kept between calls: one subject's key (with its bits) and run starts
let keyBuf = new Float64Array(4096);
let keyBits = new Int32Array(keyBuf.buffer);
let runStart = new Int32Array(64);
const scratchParams = new ParamWriter();

function growKey(need: number): Float64Array {
  const grown = new Float64Array(Math.max(need, 2 * keyBuf.length));
  grown.set(keyBuf);
  keyBuf = grown;
  keyBits = new Int32Array(grown.buffer);
  return grown;
}

export function kernelHasNaN(k: Float64Array, stride: number): boolean {
  for (let j = 0; j < stride; j++) if ((k[j] as number) !== (k[j] as number)) return true;
  return false;
}

/**
 * Appends one evaluation's modifiers to the key (lengths first, so the key stays a plain sequence):
 * lag, F, R and D whole, S only of the compartments `otherObs` marks, and the switch times (the compiler reads S only
 * for an observation naming a compartment other than the observed one; the observed compartment's
 * S is the volume, different in every subject, and reaches the engine through the kernel set).
 */
export function writeModifiers(key: Float64Array, k: number, e: SlotSet, otherObs: Uint8Array): number {
  for (const a of [e.lag, e.F, e.R, e.D]) {
    key[k++] = a.length;
    for (let i = 0; i < a.length; i++) key[k++] = a[i] as number;
  }
  const S = e.S;
  key[k++] = S.length;
  for (let i = 0; i < S.length; i++) if (otherObs[i] === 1) key[k++] = S[i] as number;
  // a model text's switch times are stops of the solver in the table
  const sw = e.switches;
  key[k++] = sw ? sw.length : 0;
  if (sw) for (let i = 0; i < sw.length; i++) key[k++] = sw[i] as number;
  return k;
}

/** The runs' parameter sets as appendRuns appended them: the kernel's stride, the first set's index, the sets' handle. */
export const runsPart = { stride: 0, parBase: 0, sets: 0 };

/**
 * Appends a subject's run evaluations to `p` and writes the runs' part of its key from `k` (each
 * run's start, its set's index, its modifiers with the S of the compartments `otherObs` marks);
 * returns the key's length, or −1 where a set holds NaN (never shared between records, so the sets
 * would not follow the runs). The key may grow through `grow`: the caller reads its buffer again.
 */
export function appendRuns(p: ParamWriter, runEvals: readonly SlotSet[], nRuns: number, runStart: Int32Array, key: Float64Array, k: number, otherObs: Uint8Array, grow: (need: number) => Float64Array): number {
  const stride = (runEvals[0] as SlotSet).kernel.length;
  for (let j = 0; j < nRuns; j++) if (kernelHasNaN((runEvals[j] as SlotSet).kernel, stride)) return -1;
  runsPart.stride = stride;
  runsPart.parBase = p.length / stride;
  runsPart.sets = p.append(runEvals, nRuns, stride);
  let need = k;
  for (let j = 0; j < nRuns; j++) {
    const e = runEvals[j] as SlotSet;
    need += 8 + e.lag.length + e.F.length + e.R.length + e.D.length + e.S.length + (e.switches?.length ?? 0);
  }
  if (need > key.length) key = grow(need);
  for (let j = 0; j < nRuns; j++) {
    key[k++] = runStart[j] as number;
    key[k++] = p.index[j] as number;
    k = writeModifiers(key, k, runEvals[j] as SlotSet, otherObs);
  }
  return k;
}

/**
 * Compiles a new design's table into `w` from its first subject's records (from `from`, nRec of
 * them), each run's records under the run's whole evaluation (the compiler reads those, bitwise the
 * slot sets); returns where its events start in `w`, or −1 where the general path must decide.
 */
export function compileDesign(model: Model, records: readonly DataRecord[], from: number, nRec: number, runStart: Int32Array, nRuns: number, overrides: Readonly<Record<string, number>> | undefined, stride: number, co: CompileOptions, w: TableWriter): number {
  const evals = new Array<Evaluation>(nRec);
  for (let j = 0; j < nRuns; j++) {
    const rec = records[from + (runStart[j] as number)] as DataRecord;
    let e: Evaluation;
    try {
      e = model.evaluate(rec.items, overrides, rec.row);
    } catch {
      return -1;
    }
    const end = j + 1 < nRuns ? (runStart[j + 1] as number) : nRec;
    for (let i = runStart[j] as number; i < end; i++) evals[i] = e;
  }
  const evStart = w.n;
  scratchParams.reset();
  try {
    appendSubject(w, scratchParams, records, from, nRec, evals, stride, co);
  } catch {
    return -1;
  }
  return evStart;
}

/** What readSubject found besides the subject's end: key length, runs, whether the key matched, other compartments observed, the first record not yet checked. */
const scan = { k: 0, nRuns: 0, match: false, anyOther: false, checked: 0 };

/**
 * Reads one subject's records from `base` into keyBuf (its records' part) and runStart (where its
 * relevant items change), comparing the key with `ck` as it goes; returns the index after the
 * subject's last record, or −1 where the general path must decide. The hot loop of the layout, a
 * function of its own so that V8 optimizes it alone.
 */
function readSubject(records: readonly DataRecord[], base: number, id: number, ck: Float64Array, relevant: readonly string[], params: readonly string[], nStates: number, observed: number, otherObs: Uint8Array, pass: RecordPass | undefined, checked: number): number {
  const rows = records.length;
  const ckLen = ck.length;
  let match = ckLen > 0;
  let key: Float64Array = keyBuf;
  let k = 1;
  let nRuns = 0;
  let prev: Items | undefined;
  let anyOther = false;
  let r = base;
  for (; r < rows; r++) {
    // checkRecords' checks of the record first, while it is in cache (the record after the
    // subject's last, read for its ID, is checked here and not again by the next subject)
    if (r >= checked) {
      (pass as RecordPass).see(records[r], r);
      checked = r + 1;
    }
    const rec = records[r] as DataRecord;
    if (r > base && !sameId(rec.ID, id)) break;
    if (k + MAX_RECORD_KEY > key.length) key = growKey(k + MAX_RECORD_KEY);
    const evid = rec.EVID;
    const cmt = rec.CMT;
    if (cmt > nStates) return -1;
    const items = rec.items;
    const t = rec.TIME;
    // EVID and CMT as the compiler tells them apart: EVID 0, 1, 3, 4 or any other; CMT 0 (±) or its value
    const code = evid === 0 ? 0 : evid === 1 ? 1 : evid === 3 ? 3 : evid === 4 ? 4 : 2;
    const c = cmt === 0 ? 0 : cmt;
    const pre = items[PRE_DOSE_ITEM] === 1 ? 1 : 0;
    key[k] = t;
    key[k + 1] = code;
    key[k + 2] = c;
    key[k + 3] = pre;
    // equal values, and for a zero the same sign (1/±0 = ±∞): then the bits are equal (NaN never is)
    if (match) match = k + 4 <= ckLen && ck[k] === t && (t !== 0 || 1 / t === 1 / (ck[k] as number)) && ck[k + 1] === code && ck[k + 2] === c && ck[k + 3] === pre;
    k += 4;
    // as the compiler decides it (a CMT beyond the model's compartments was refused above)
    if (code === 0 && cmt > 0 && cmt - 1 !== observed) {
      otherObs[cmt - 1] = 1;
      anyOther = true;
    }
    if (code === 1 || code === 4) {
      const amt = rec.AMT;
      const rate = rec.RATE;
      const addl = rec.ADDL;
      const ii = rec.II;
      const ss = rec.SS;
      // a dose given as a duration keeps it under F (the compiler's doseShape): 0 for a RATE given
      // as a rate, or none, so that two doses alike but for it never share a table
      const dur = keptDuration(rec);
      key[k] = amt;
      key[k + 1] = rate;
      key[k + 2] = addl;
      key[k + 3] = ii;
      key[k + 4] = ss;
      key[k + 5] = dur;
      if (match)
        match =
          k + 6 <= ckLen &&
          ck[k] === amt && (amt !== 0 || 1 / amt === 1 / (ck[k] as number)) &&
          ck[k + 1] === rate && (rate !== 0 || 1 / rate === 1 / (ck[k + 1] as number)) &&
          ck[k + 2] === addl && (addl !== 0 || 1 / addl === 1 / (ck[k + 2] as number)) &&
          ck[k + 3] === ii && (ii !== 0 || 1 / ii === 1 / (ck[k + 3] as number)) &&
          ck[k + 4] === ss && (ss !== 0 || 1 / ss === 1 / (ck[k + 4] as number)) &&
          ck[k + 5] === dur;
      k += 6;
    }
    if (prev === undefined || (items !== prev && !sameItems(items, prev, relevant))) {
      // a parameter's column blank beside a value of the subject: the record path refuses it or
      // fills it (refusePartlyMissingItems), and a layout made says none was (paramBlanksRuledOut)
      if (prev !== undefined && blankBesideValue(items, prev, params)) return -1;
      if (nRuns === runStart.length) {
        const grown = new Int32Array(2 * nRuns);
        grown.set(runStart);
        runStart = grown;
      }
      runStart[nRuns++] = r - base;
    }
    prev = items;
  }
  scan.k = k;
  scan.nRuns = nRuns;
  scan.match = match && ck[0] === r - base;
  scan.anyOther = anyOther;
  scan.checked = checked;
  return r;
}

/**
 * Reads the records by subject and groups the subjects by design, compiling each design's table once
 * into `w`, every subject's parameter sets into `p` and its indices into `index` (all three emptied
 * by the caller). Returns undefined where the general path must decide (see the file's head).
 */
export function layoutDesigns(
  model: Model,
  records: readonly DataRecord[],
  overrides: Readonly<Record<string, number>> | undefined,
  co: CompileOptions,
  staged: { readonly w: TableWriter; readonly p: ParamWriter; readonly index: SubjectIndex },
  pass?: RecordPass,
): DesignLayout | undefined {
  const { w, p, index } = staged;
  const relevant = relevantNames(model);
  const nStates = model.nStates;
  const rows = records.length;
  const book = new DesignBook();
  const observed = co.observedIndex ?? -1;
  // compartments (0-based) that observation records of the subject name instead of the observed one
  const otherObs = new Uint8Array(nStates);
  // sets per run; through the slot evaluator unless overrides apply (evaluate reads them by name)
  const runEvals: SlotSet[] = [];
  const slotEval = overrides === undefined ? slotRecords(model) : undefined;
  let stride = 0;
  // with `pass`, every record goes through it as it is read (the first record not yet through it);
  // without, none does
  let checked = pass ? 0 : rows;
  for (let base = 0; base < rows; ) {
    if (base >= checked) {
      (pass as RecordPass).see(records[base], base);
      checked = base + 1;
    }
    const id = (records[base] as DataRecord).ID;
    // the key is compared with the last subject's design while it is written (most subjects share it)
    const ck = book.lastKey();
    const r = readSubject(records, base, id, ck, relevant, model.parameterNames, nStates, observed, otherObs, pass, checked);
    if (r < 0) return undefined;
    checked = scan.checked;
    const key: Float64Array = keyBuf;
    let k = scan.k;
    const nRuns = scan.nRuns;
    const match = scan.match;
    const anyOther = scan.anyOther;
    const nRec = r - base;
    key[0] = nRec;
    const recordsEnd = k;

    // one evaluation per run of equal relevant items, as evaluateRecords makes them
    for (let j = 0; j < nRuns; j++) {
      const rec = records[base + (runStart[j] as number)] as DataRecord;
      if (slotEval) {
        const e = slotEval.evaluate(rec.items, j);
        if (e === undefined) return undefined;
        runEvals[j] = e;
      } else
        try {
          runEvals[j] = model.evaluate(rec.items, overrides, rec.row);
        } catch {
          return undefined;
        }
    }
    k = appendRuns(p, runEvals, nRuns, runStart, key, k, otherObs, growKey);
    if (k < 0) return undefined;
    stride = runsPart.stride;
    const { parBase, sets } = runsPart;
    if (anyOther) otherObs.fill(0);

    const bits = keyBits;
    // the records' part matched above; the runs' part (a few values) is compared bit for bit
    let g = book.sameAsLast(bits, k, match, recordsEnd);
    if (g < 0) {
      g = book.lookup(bits, k);
      if (g < 0) {
        // the compiler reads whole evaluations (once per design): evaluate's, bitwise the sets above
        const evStart = compileDesign(model, records, base, nRec, runStart, nRuns, overrides, stride, co, w);
        if (evStart < 0) return undefined;
        g = book.add(bits, k, evStart, w.n, nRec, sets);
      }
    }
    if (!book.count(g, id, base, parBase, index)) return undefined;
    base = r;
  }
  if (idRepeats(book.ids)) return undefined;
  return book.layout(index, p, stride, w, rows);
}
