// NONMEM record semantics → the flat event table the WASM driver walks.
//
// Everything that depends on *when* and *how much* is resolved here, once per subject: ADDL expansion,
// lag times (ALAG delays a whole dose, its infusion and its ADDL copies), bioavailability (F scales
// the amount; with a RATE given as a rate the duration changes, a dose given as a duration keeps
// it), modelled rate (RATE = −1: the rate in force over each interval, until the amount is in) and
// duration (RATE = −2; both with F from the record in force when the dose enters), resets (EVID 3/4
// and SS = 1 cancel running infusions, lagged doses not yet in and pending ADDL copies), steady
// state (SS = 1/2, including infusions longer than II and lags beyond II), and which record's
// parameters hold over each interval (NOCB by default: a record's values hold over the interval that
// ends at it; LOCF as an option). The driver only advances, adds and resets.

import { Errors } from '../errors.js';
import { Ev, PAR_STRIDE } from '../abi.js';
import type { Evaluation, Model } from '../model/model.js';
import { optionKeys, refuseChoice, refuseMissingOptions, refuseUnknownKeys, shapeOf } from '../option-keys.js';
import { checkRecords } from './nmtran.js';
import { type DataRecord, compartmentBeyondWhy, isDose, keptDuration, PRE_DOSE_ITEM } from './record.js';
import { ParamWriter, TableWriter } from './table-writer.js';

export interface EventTable {
  readonly n: number;
  readonly time: Float64Array;
  readonly type: Int32Array;
  readonly cmt: Int32Array;
  readonly amt: Float64Array;
  readonly rate: Float64Array;
  readonly ii: Float64Array;
  readonly dur: Float64Array;
  readonly phase: Float64Array;
  readonly count: Int32Array;
  readonly par: Int32Array;
  readonly out: Int32Array;
}

export interface CompiledSubject {
  readonly events: EventTable;
  /** Kernel parameter sets, `stride` doubles each, indexed by EventTable.par. */
  readonly params: Float64Array;
  /** Doubles per parameter set (the model's parStride). */
  readonly stride: number;
  readonly nOut: number;
}

export interface CompileOptions {
  readonly timeVarying?: 'nocb' | 'locf';
  readonly nStates: number;
  /** Compartment (1-based) for dose records with CMT = 0 / absent. */
  readonly defaultDoseCmt?: number;
  readonly file?: string;
  /**
   * Parameter-set index per record, instead of deduplicating the evaluations' kernels: lets many
   * subjects share one event table (each subject brings its own sets in the same order).
   */
  readonly parIndex?: Int32Array;
  /** 0-based index of the model's observed compartment (observation records naming it use the model's output). */
  readonly observedIndex?: number;
  /**
   * A model text's compartment names: a RATE −1 / −2 refusal then names the rate(C) / duration(C)
   * statement to write, where a model file's names its JSON path compartments.N.rate.
   */
  readonly textStates?: readonly string[];
  /** Per state (0-based), why a dose may not go into it (undosedStates of the model's structure). */
  readonly undosed?: readonly (string | undefined)[];
}

/** CompileOptions.textStates of a model: its compartment names if it is a model text. */
export function textStates(model: Pick<Model, 'file' | 'stateNames'>): readonly string[] | undefined {
  return model.file.dosewise === 'text' ? model.stateNames : undefined;
}

/**
 * Where an ADDL implied dose falls relative to a data record at the same time. NONMEM gives
 * implied doses no data position; they act before records at their time, like lagged entries.
 */
const PRIO_GENERATED = 0;
const PRIO_IMPLIED = 0;
const PRIO_RECORD = 1;
/**
 * A pre-dose sample (PRE_DOSE_ITEM, added by metricGrid first among the records at its time) reads
 * the state before anything happens at its time, implied and lagged doses included: the left limit
 * that exposure metrics need at a dose.
 */
const PRIO_PRE_DOSE = -1;

type Action =
  | { readonly k: 'record'; readonly r: number }
  | { readonly k: 'implied'; readonly r: number }
  // own: an entry of a steady-state schedule, whose F is the dose record's (the periodic state was built with it)
  | { readonly k: 'entry'; readonly r: number; readonly cmt: number; readonly own?: boolean }
  | { readonly k: 'end'; readonly cmt: number; readonly rate: number }
  // the end of a RATE = −1 infusion as scheduled at version v: a later rate change reschedules it
  | { readonly k: 'mend'; readonly inf: Modelled; readonly v: number }
  | { readonly k: 'switch' };

/**
 * A RATE = −1 infusion whose rate follows the modelled rate in force (NONMEM: "the value of Rn in
 * effect for the later time … may change during the course of the infusion"): `left` of its `amt`
 * was still to come at `t0`, entering at `rate` since. Its end is rescheduled at each change.
 */
interface Modelled {
  readonly c: number;
  /** Dose record (0-based within the subject), for messages. */
  readonly r: number;
  readonly amt: number;
  rate: number;
  left: number;
  t0: number;
  /** Bumped at each reschedule: an end item of an older version is stale. */
  v: number;
}

interface Item {
  readonly time: number;
  readonly prio: number;
  readonly seq: number;
  readonly gen: number;
  readonly a: Action;
}

class Heap {
  #a: Item[] = [];
  get size(): number {
    return this.#a.length;
  }
  get top(): Item | undefined {
    return this.#a[0];
  }
  static less(x: Item, y: Item): boolean {
    return x.time < y.time || (x.time === y.time && (x.prio < y.prio || (x.prio === y.prio && x.seq < y.seq)));
  }
  push(it: Item): void {
    const a = this.#a;
    a.push(it);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!Heap.less(a[i] as Item, a[p] as Item)) break;
      [a[i], a[p]] = [a[p] as Item, a[i] as Item];
      i = p;
    }
  }
  pop(): Item {
    const a = this.#a;
    const top = a[0] as Item;
    const last = a.pop() as Item;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && Heap.less(a[l] as Item, a[m] as Item)) m = l;
        if (r < a.length && Heap.less(a[r] as Item, a[m] as Item)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Item, a[i] as Item];
        i = m;
      }
    }
    return top;
  }
}

const COMPILE_KEYS = optionKeys<CompileOptions>({ timeVarying: true, nStates: true, defaultDoseCmt: true, file: true, parIndex: true, observedIndex: true, textStates: true, undosed: true });

/**
 * The arguments of compileSubject, called from outside (a Model for the evaluations, the options
 * left out, nothing at all): each failed as a raw TypeError deep in the compiler ("reading 'lag'",
 * "reading 'parIndex'", "reading '0'").
 */
function checkCompileArguments(records: unknown, evals: unknown, options: unknown): void {
  const what = 'compileSubject(records, evals, options)';
  if (!Array.isArray(records)) throw Errors.optionValue('records', records, `${what}: records must be an array of one subject's records (as readNmtran(text).records or regimen().records() give)`, shapeOf(records));
  if (!Array.isArray(evals)) throw Errors.optionValue('evals', evals, `${what}: evals must be an array of one model evaluation per record (records.map((r) => model.evaluate(r.items)))`, shapeOf(evals));
  if (evals.length !== records.length) throw Errors.optionValue('evals', evals, `${what}: evals must hold one evaluation per record (${records.length} records)`, `${evals.length} evaluations`);
  evals.forEach((e: unknown, i) => {
    if (typeof e !== 'object' || e === null || !((e as Evaluation).kernel instanceof Float64Array))
      throw Errors.optionValue(`evals.${i}`, e, `${what}: an evaluation is what model.evaluate(items) returns (its kernel a Float64Array)`, shapeOf(e));
  });
  refuseMissingOptions(options, what, 'nStates: the model\'s nStates');
  refuseUnknownKeys(options, COMPILE_KEYS, 'compileSubject()');
  const o = options as CompileOptions;
  if (!(Number.isInteger(o.nStates) && o.nStates >= 0)) throw Errors.optionValue('nStates', o.nStates, `${what}: must be the model's number of compartments, an integer (model.nStates)`, shapeOf(o.nStates));
  refuseChoice('timeVarying', o.timeVarying, ['nocb', 'locf']);
  if (o.defaultDoseCmt !== undefined && !(Number.isInteger(o.defaultDoseCmt) && o.defaultDoseCmt >= 1)) throw Errors.optionValue('defaultDoseCmt', o.defaultDoseCmt, `${what}: must be a compartment number ≥ 1`, shapeOf(o.defaultDoseCmt));
  if (o.observedIndex !== undefined && !Number.isInteger(o.observedIndex)) throw Errors.optionValue('observedIndex', o.observedIndex, `${what}: must be the 0-based index of the observed compartment (model.observeCompartment − 1)`, shapeOf(o.observedIndex));
  if (o.parIndex !== undefined && !(o.parIndex instanceof Int32Array && o.parIndex.length >= records.length)) throw Errors.optionValue('parIndex', o.parIndex, `${what}: must be an Int32Array of one parameter-set index per record`, shapeOf(o.parIndex));
  if (o.file !== undefined && typeof o.file !== 'string') throw Errors.optionValue('file', o.file, `${what}: must be a file name (text)`, shapeOf(o.file));
  if (o.textStates !== undefined && !(Array.isArray(o.textStates) && o.textStates.every((n) => typeof n === 'string'))) throw Errors.optionValue('textStates', o.textStates, `${what}: must be a model text's compartment names (model.stateNames), an array of text`, shapeOf(o.textStates));
  // every record as readNmtran would take it; in any order (the compiler sorts what is not in event order)
  checkRecords(records, 'records', o.file, false);
}

/**
 * Compiles one subject's records (sorted by time, validated) with one model evaluation per record.
 * The public entry: its arguments are checked first (the engine's own callers, whose records are
 * checked once per call, use compileChecked).
 */
export function compileSubject(records: readonly DataRecord[], evals: readonly Evaluation[], options: CompileOptions): CompiledSubject {
  checkCompileArguments(records, evals, options);
  return compileChecked(records, evals, options);
}

/** compileSubject on arguments already checked (records read or checked by the caller). */
export function compileChecked(records: readonly DataRecord[], evals: readonly Evaluation[], options: CompileOptions): CompiledSubject {
  const p = new ParamWriter();
  const stride = evals[0]?.kernel.length ?? PAR_STRIDE;
  const sets = p.append(evals, evals.length, stride);
  const w = new TableWriter(records.length + 8);
  emitSubject(w, records, 0, records.length, evals, options.parIndex ?? p.index, options);
  return { events: w.slice(), params: p.data.slice(0, sets * stride), stride, nOut: records.length };
}

/** compileTable's writer: its rows are copied out (slice) before it is written again. */
const tableScratch = new TableWriter(256);

/**
 * The event table alone of one subject whose record r reads parameter set parIndex[r] (no sets
 * collected, no writer allocated): the MAP objective compiles one per point when the random
 * effects move a lag, F, rate, duration or scale. The same table as compileSubject's.
 */
export function compileTable(records: readonly DataRecord[], evals: readonly Evaluation[], options: CompileOptions & { readonly parIndex: Int32Array }): EventTable {
  const w = tableScratch;
  w.reset();
  emitSubject(w, records, 0, records.length, evals, options.parIndex, options);
  return w.slice();
}

/**
 * Appends one subject, records[base..base+n) with evaluations evals[0..n), to writers shared by a
 * batch (simulate()): its parameter sets to `p` (stride doubles each) and its events to `w`, whose
 * `par` count from the subject's first set and `out` from its first record. Returns the number of
 * sets appended.
 */
export function appendSubject(w: TableWriter, p: ParamWriter, records: readonly DataRecord[], base: number, n: number, evals: readonly Evaluation[], stride: number, options: CompileOptions): number {
  const sets = p.append(evals, n, stride);
  emitSubject(w, records, base, n, evals, options.parIndex ?? p.index, options);
  return sets;
}

/** The empty list of running RATE = −1 infusions every subject starts with (never written to). */
const NONE_RUNNING: Modelled[] = [];

/** Most ADDL copies of one record queued before the subject's last record (each a heap entry). */
const MAX_QUEUED_COPIES = 1_000_000;

const prioOf = (rec: DataRecord): number => (rec.items[PRE_DOSE_ITEM] === 1 ? PRIO_PRE_DOSE : PRIO_RECORD);

/**
 * Whether the records' array order is their order as events (time, then pre-dose before others, then
 * index), so they can be merged with the generated items instead of going through the heap.
 */
function inEventOrder(records: readonly DataRecord[], base: number, nRec: number): boolean {
  let t = -Infinity;
  let p = PRIO_PRE_DOSE;
  for (let r = base; r < base + nRec; r++) {
    const rec = records[r] as DataRecord;
    const q = prioOf(rec);
    // written so that NaN fails: such records take the heap, as they always did
    if (!(rec.TIME >= t) || (rec.TIME === t && q < p)) return false;
    t = rec.TIME;
    p = q;
  }
  return true;
}

/**
 * Compiles one subject, records[base..base+nRec), into `w`; its record r (0-based within the
 * subject) reads parameter set parOf[r] and evaluation evals[r], and writes output row r.
 */
function emitSubject(w: TableWriter, records: readonly DataRecord[], base: number, nRec: number, evals: readonly Evaluation[], parOf: Int32Array, options: CompileOptions): void {
  const { nStates, file } = options;
  const locf = options.timeVarying === 'locf';
  const heap = new Heap();
  // Records are items (time, prio −1/1, seq = index) and generated ones (time, prio 0, seq ≥ nRec),
  // popped in that order. Records in event order are read from the array (cursor `cur`) and merged
  // with a heap of generated items only; others go through the heap, as every record used to.
  const ordered = inEventOrder(records, base, nRec);
  let cur = ordered ? 0 : nRec;
  let seq = 0;
  if (!ordered)
    for (let r = 0; r < nRec; r++) {
      const rec = records[base + r] as DataRecord;
      heap.push({ time: rec.TIME, prio: prioOf(rec), seq: seq++, gen: 0, a: { k: 'record', r } });
    }
  seq = nRec;
  // record times in order, for snap(): an implied or lagged dose computed one ulp past a record's
  // time (00:37 + 6 h = 6.616666666666667 beside 06:37 = 6.616666666666666) came after the level
  // charted at it, which read the amount before the dose (1.0976 for 3.0976)
  const recTimes = new Float64Array(nRec);
  for (let r = 0; r < nRec; r++) recTimes[r] = (records[base + r] as DataRecord).TIME;
  if (!ordered) recTimes.sort();
  const tLast = nRec > 0 ? (recTimes[nRec - 1] as number) : 0;
  /** t, or the record time within a few ulps of it: a dose due at a record's time is at that time. */
  const snap = (t: number): number => {
    let lo = 0;
    let hi = nRec;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((recTimes[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    const tol = 8.9e-16 * Math.max(1, Math.abs(t));
    if (lo < nRec && (recTimes[lo] as number) - t <= tol) return recTimes[lo] as number;
    if (lo > 0 && t - (recTimes[lo - 1] as number) <= tol) return recTimes[lo - 1] as number;
    return t;
  };
  let gen = 0;
  let next = 0; // the next data record not yet processed
  let lastPar = nRec ? (parOf[0] as number) : 0;

  const doseCmt = (rec: DataRecord): number => {
    const c = rec.CMT === 0 ? (options.defaultDoseCmt ?? 1) : rec.CMT;
    if (c > nStates) throw Errors.record(rec.row, 'CMT', rec.CMT, compartmentBeyondWhy(rec, nStates), file);
    const why = options.undosed?.[c - 1];
    if (why !== undefined) throw Errors.record(rec.row, 'CMT', rec.CMT, why, file);
    return c - 1;
  };
  // Parameter set in force for an interval ending at time t strictly between records.
  const parAt = (): number => (locf ? lastPar : (parOf[Math.min(next, nRec - 1)] as number));
  // ...and its record, whose evaluation gives the modifiers of a dose entering then
  const evalAt = (): number => (locf ? Math.max(0, next - 1) : Math.min(next, nRec - 1));
  // RATE = −1 infusions running with the rate in force, allocated with the first (none running:
  // one length test per record, the hot path of simulate() unchanged)
  let running: Modelled[] = NONE_RUNNING;

  const texts = options.textStates;
  /** Why a RATE −1 / −2 dose into c has no modelled rate / duration (it is 0: a modifier < 0 is refused where evaluated). */
  const noModelled = (what: 'rate' | 'duration', c: number, r: number, e: number): string => {
    const name = texts?.[c];
    return name === undefined
      ? `compartment ${c + 1} (compartments.${c + 1}.${what} is 0 (or not given in the model)${fromRow(r, e)})`
      : `compartment ${c + 1} (${name}) (the model text has no ${what}(${name}) statement, or it reads 0${e === r ? ' on this record' : fromRow(r, e)}: write ${what}(${name}) = expression)`;
  };
  /** " at row n, …" when a dose's modifiers come from a record other than its own (a lagged entry, an ADDL copy). */
  const fromRow = (r: number, e: number): string => (e === r ? '' : ` at row ${(records[base + e] as DataRecord).row}, the record in force when the dose enters`);

  /**
   * Amount, rate and duration of one entry of record r's dose into c, with F, the modelled rate and
   * the modelled duration all from evaluation e: NONMEM takes F "in effect at the time the dose is
   * actually introduced" and D "at the dose event time (or lagged time, if the dose is lagged)"; a
   * lagged RATE = −2 dose took D from its dose record (3 h for the 6 h in force when it entered).
   */
  const doseShape = (rec: DataRecord, r: number, c: number, e: number): { amt: number; rate: number; dur: number } => {
    const mod = evals[e] as Evaluation;
    const amt = rec.AMT * (mod.F[c] as number);
    if (rec.RATE === 0) return { amt, rate: 0, dur: 0 };
    if (rec.RATE > 0) {
      // a dose given as a duration keeps it: F·AMT over dur h (500 mg "over 10 h" into a depot with
      // F 0.8 ran 8 h at the RATE AMT/dur); with F = 1 the RATE as written, bit for bit as before
      const D = amt === rec.AMT ? 0 : keptDuration(rec);
      return D > 0 ? { amt, rate: amt / D, dur: D } : { amt, rate: rec.RATE, dur: amt / rec.RATE };
    }
    if (rec.RATE === -1) {
      const R = mod.R[c] as number;
      if (!(R > 0)) throw Errors.record(rec.row, 'RATE', rec.RATE, `RATE = -1 needs a modelled rate > 0 for ${noModelled('rate', c, r, e)}`, file);
      return { amt, rate: R, dur: amt / R };
    }
    const D = mod.D[c] as number;
    if (!(D > 0)) throw Errors.record(rec.row, 'RATE', rec.RATE, `RATE = -2 needs a modelled duration > 0 for ${noModelled('duration', c, r, e)}`, file);
    return { amt, rate: amt / D, dur: D };
  };

  /**
   * One entry of record r's dose into c at t, its modifiers from evaluation e. `fixed`: a RATE = −1
   * infusion keeps its starting rate (a steady-state record's entries, built into its periodic
   * state at that rate; a model whose modifiers read the dose record's AMT or RATE).
   */
  const enter = (t: number, rec: DataRecord, r: number, c: number, par: number, e: number, fixed: boolean): void => {
    const s = doseShape(rec, r, c, e);
    // the infusion runs over the times as doubles hold them: far from 0 its end rounds (one ulp at
    // 1e5 h is 1.5e-11 h), so the rate is the amount over that span, and an end that rounds onto
    // the start is a bolus (100 mg at RATE 1e14 at 1e5 h was lost; at RATE 1e12, 1.9 % too much)
    const span = s.rate === 0 ? 0 : t + s.dur - t;
    if (s.rate === 0 || (!(span > 0) && s.dur > 0)) {
      w.add(t, Ev.Bolus, par, c, s.amt, 0, 0, 0, 0, 0, -1);
    } else if (s.dur > 0) {
      const rate = span === s.dur ? s.rate : s.amt / span;
      w.add(t, Ev.Rate, par, c, 0, rate, 0, 0, 0, 0, -1);
      if (rec.RATE === -1 && !fixed) {
        const inf: Modelled = { c, r, amt: s.amt, rate, left: s.amt, t0: t, v: 0 };
        if (running === NONE_RUNNING) running = [];
        running.push(inf);
        heap.push({ time: t + s.dur, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'mend', inf, v: 0 } });
      } else heap.push({ time: t + s.dur, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'end', cmt: c, rate } });
    }
  };

  /**
   * After a record at t: each running RATE = −1 infusion takes the modelled rate in force over the
   * interval that starts at t (NOCB: the next record's; LOCF: this one's), with its end moved to
   * where the amount still to come runs out at that rate. Held at the dose record's rate, 100 mg at
   * 10 mg/h then 20 mg/h from 2 h (NOCB) read 2.555 mg/L at 6 h for 4.351.
   */
  const retime = (t: number, par: number): void => {
    const e = evalAt();
    const R = (evals[e] as Evaluation).R;
    for (const m of running) {
      const rate = R[m.c] as number;
      if (rate === m.rate) continue;
      const left = m.left - m.rate * (t - m.t0);
      // all in (its end, due now, came a few ulps past this record): the end item stands
      if (!(left > 1e-12 * m.amt)) continue;
      if (!(rate > 0)) {
        const dose = records[base + m.r] as DataRecord;
        throw Errors.record(
          (records[base + e] as DataRecord).row,
          texts?.[m.c] === undefined ? `compartments.${m.c + 1}.rate` : `rate(${texts[m.c] as string})`,
          rate,
          `the RATE = -1 infusion of row ${dose.row} into compartment ${m.c + 1} is still running at ${t} h (${left} of ${m.amt} to come), and its rate must stay > 0 until the amount is in`,
          file,
        );
      }
      w.add(t, Ev.Rate, par, m.c, 0, rate - m.rate, 0, 0, 0, 0, -1);
      m.left = left;
      m.t0 = t;
      m.rate = rate;
      m.v++;
      heap.push({ time: t + left / rate, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'mend', inf: m, v: m.v } });
    }
  };

  const reset = (t: number, par: number): void => {
    gen++;
    running.length = 0;
    w.add(t, Ev.Reset, par, 0, 0, 0, 0, 0, 0, 0, -1);
  };

  const steadyState = (t: number, rec: DataRecord, r: number, c: number, par: number): void => {
    const mod = evals[r] as Evaluation;
    if (!(rec.II > 0)) {
      // AMT = 0, RATE > 0, SS = 1: the state a constant infusion reaches after running forever
      // (SS = 2: that state added to the current one). The record's own dose has AMT = 0, so
      // nothing keeps running after it (nmtests scenario 29).
      w.add(t, rec.SS === 2 ? Ev.SteadyStateAdd : Ev.SteadyState, par, c, 0, rec.RATE, 0, 0, 0, 0, -1);
      return;
    }
    const tau = rec.II;
    const L = mod.lag[c] as number;
    const shape = doseShape(rec, r, c, r);
    // the cycle's infusion over the span its rounded end gives (as enter() runs the record's own
    // dose): at 1e5 h an infusion of 1e-12 h rounds to none, and the periodic state was built empty
    const span = shape.rate > 0 ? t + shape.dur - t : 0;
    const s = shape.rate === 0 || span === shape.dur ? shape : span > 0 ? { amt: shape.amt, rate: shape.amt / span, dur: span } : { amt: shape.amt, rate: 0, dur: 0 };
    // entries of the periodic schedule are at e_k = t + L − k·τ (k = 0 is this record's own dose);
    // k* is the most recent one strictly before t, θ the time since it.
    const q = L / tau;
    const qr = Math.round(q);
    const kStar = (Math.abs(q - qr) < 1e-12 ? qr : Math.floor(q)) + 1;
    const phase = kStar * tau - L;
    let ghosts = 0;
    if (s.rate > 0) {
      for (let k = kStar; t + L - k * tau + s.dur > t + 1e-12 * tau; k++) {
        ghosts++;
        heap.push({ time: t + L - k * tau + s.dur, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'end', cmt: c, rate: s.rate } });
      }
    }
    w.add(t, rec.SS === 2 ? Ev.SteadyStateAdd : Ev.SteadyState, par, c, s.rate > 0 ? 0 : s.amt, s.rate, tau, s.dur, phase, ghosts, -1);
    // entries of the schedule still to come (lag ≥ τ leaves earlier doses in transit)
    for (let k = kStar - 1; k >= 0; k--) {
      const te = snap(t + L - k * tau);
      if (te <= t) enter(t, rec, r, c, par, r, true);
      else heap.push({ time: te, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'entry', r, cmt: c, own: true } });
    }
  };

  const dose = (t: number, rec: DataRecord, r: number, par: number, allowSs: boolean, e: number): void => {
    const c = doseCmt(rec);
    const mod = evals[r] as Evaluation;
    if (allowSs && rec.SS > 0) {
      if (rec.SS === 1) reset(t, par);
      steadyState(t, rec, r, c, par);
    } else {
      const L = mod.lag[c] as number;
      if (L > 0) heap.push({ time: snap(t + L), prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'entry', r, cmt: c } });
      else enter(t, rec, r, c, par, e, mod.dosesOwnModifiers === true);
    }
    // pushed in this reset generation: a later reset (EVID 3/4, SS = 1) cancels the copies still pending
    if (allowSs && rec.ADDL > 0) {
      // copies after the subject's last record change no output: ADDL 1e9 with II 1 queued a billion
      // copies for a level at 10 h, and the process ran out of memory
      const due = Math.min(rec.ADDL, Math.floor((tLast - t) / rec.II) + 1);
      if (due > MAX_QUEUED_COPIES)
        throw Errors.record(rec.row, 'ADDL', rec.ADDL, `${due} additional doses fall before the subject's last record (at most ${MAX_QUEUED_COPIES}); give the regimen as a steady state (SS = 1) or in several records`, file);
      for (let k = 1; k <= due; k++) heap.push({ time: snap(t + k * rec.II), prio: PRIO_IMPLIED, seq: seq++, gen, a: { k: 'implied', r } });
    }
  };

  const record = (r: number): void => {
    const rec = records[base + r] as DataRecord;
    const par = parOf[r] as number;
    if (locf && par !== lastPar) w.add(rec.TIME, Ev.Params, lastPar, 0, 0, 0, 0, 0, 0, 0, -1);
    next = r + 1;
    lastPar = par;
    if (rec.EVID === 3 || rec.EVID === 4) reset(rec.TIME, par);
    if (isDose(rec)) dose(rec.TIME, rec, r, par, true, r);
    // an observation naming a compartment other than the model's observed one reads its amount / S
    const oc = options.observedIndex !== undefined && rec.EVID === 0 && rec.CMT > 0 && rec.CMT - 1 !== options.observedIndex ? rec.CMT - 1 : -1;
    w.add(rec.TIME, Ev.Obs, par, oc, oc >= 0 ? 1 / ((evals[r] as Evaluation).S[oc] as number) : 0, 0, 0, 0, 0, 0, r);
    if (running.length > 0) retime(rec.TIME, par);
  };

  // a model text's equations switch at these times (t compared with a record-level quantity): the
  // solver stops there (an event of no effect), so no step crosses one. Every record's are taken,
  // from the subject's first record to its last: a stop more is harmless, a missed one is not.
  if (nRec > 0 && evals[0]?.switches) {
    let t0 = Infinity;
    let t1 = -Infinity;
    for (let r = 0; r < nRec; r++) {
      const t = (records[base + r] as DataRecord).TIME;
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
    }
    const times = new Set<number>();
    for (let r = 0; r < nRec; r++) for (const x of (evals[r] as Evaluation).switches ?? []) if (x > t0 && x < t1) times.add(x);
    for (const x of times) heap.push({ time: x, prio: PRIO_GENERATED, seq: seq++, gen: -1, a: { k: 'switch' } });
  }

  while ((cur < nRec || heap.size > 0) && next < nRec) {
    if (cur < nRec) {
      const rec = records[base + cur] as DataRecord;
      const top = heap.top;
      // the record first unless a generated item sorts before it (generated prio 0, seq > any record's)
      if (top === undefined || rec.TIME < top.time || (rec.TIME === top.time && prioOf(rec) < top.prio)) {
        record(cur++);
        continue;
      }
    }
    const it = heap.pop();
    const a = it.a;
    if (a.k === 'record') {
      record(a.r);
      continue;
    }
    if (a.k === 'switch') {
      w.add(it.time, Ev.Params, parAt(), 0, 0, 0, 0, 0, 0, 0, -1);
      continue;
    }
    if (a.k === 'end') {
      if (it.gen === gen) w.add(it.time, Ev.Rate, parAt(), a.cmt, 0, -a.rate, 0, 0, 0, 0, -1);
      continue;
    }
    if (a.k === 'mend') {
      const m = a.inf;
      if (it.gen === gen && a.v === m.v) {
        w.add(it.time, Ev.Rate, parAt(), m.c, 0, -m.rate, 0, 0, 0, 0, -1);
        running.splice(running.indexOf(m), 1);
      }
      continue;
    }
    if (a.k === 'entry') {
      // a steady state's entries still in transit take the dose record's F, as the periodic state
      // before them did: F = AMT > 750 ? 0.5 : 1 built the state with 0.5 and let the lagged dose in
      // with the next record's 1, a level at 12 h 1.7 times the one at 0 h
      if (it.gen === gen) {
        const own = a.own === true || (evals[a.r] as Evaluation).dosesOwnModifiers === true;
        enter(it.time, records[base + a.r] as DataRecord, a.r, a.cmt, parAt(), own ? a.r : evalAt(), own);
      }
      continue;
    }
    // implied (ADDL) dose: a dose record of its own at its time, not at steady state
    if (it.gen === gen) dose(it.time, records[base + a.r] as DataRecord, a.r, parAt(), false, (evals[a.r] as Evaluation).dosesOwnModifiers ? a.r : evalAt());
  }
}

/** Concatenates event tables; evStart/evEnd receive each table's range. */
export function concatTables(tables: readonly EventTable[], evStart: Int32Array, evEnd: Int32Array): EventTable {
  // a table given for several subjects (the points of a MAP stencil that share their modifiers) is
  // laid out once and its rows walked by each of them: rows count their parameter sets and outputs
  // from the subject's own bases
  const at = new Map<EventTable, number>();
  let total = 0;
  for (const t of tables)
    if (!at.has(t)) {
      at.set(t, total);
      total += t.n;
    }
  const ev = {
    n: total,
    time: new Float64Array(total),
    type: new Int32Array(total),
    cmt: new Int32Array(total),
    amt: new Float64Array(total),
    rate: new Float64Array(total),
    ii: new Float64Array(total),
    dur: new Float64Array(total),
    phase: new Float64Array(total),
    count: new Int32Array(total),
    par: new Int32Array(total),
    out: new Int32Array(total),
  };
  for (const [t, e] of at) for (const k of ['time', 'type', 'cmt', 'amt', 'rate', 'ii', 'dur', 'phase', 'count', 'par', 'out'] as const) ev[k].set(t[k], e);
  tables.forEach((t, i) => {
    const e = at.get(t) as number;
    evStart[i] = e;
    evEnd[i] = e + t.n;
  });
  return ev;
}
