// NONMEM record semantics → the flat event table the WASM driver walks.
//
// Everything that depends on *when* and *how much* is resolved here, once per subject: ADDL expansion,
// lag times (ALAG delays a whole dose, its infusion and its ADDL copies), bioavailability (F scales
// the amount; with a fixed RATE the duration changes), modelled rate (RATE = −1) and duration
// (RATE = −2), resets (EVID 3/4 and SS = 1 cancel running infusions and lagged doses not yet in),
// steady state (SS = 1/2, including infusions longer than II and lags beyond II), and which record's
// parameters hold over each interval (NOCB by default: a record's values hold over the interval
// that ends at it; LOCF as an option). The driver only advances, adds and resets.

import { Errors } from '../errors.js';
import { Ev, PAR_STRIDE } from '../abi.js';
import type { Evaluation } from '../model/model.js';
import { type DataRecord, isDose, PRE_DOSE_ITEM } from './record.js';

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
  | { readonly k: 'entry'; readonly r: number; readonly cmt: number }
  | { readonly k: 'end'; readonly cmt: number; readonly rate: number };

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

class Builder {
  time: number[] = [];
  type: number[] = [];
  cmt: number[] = [];
  amt: number[] = [];
  rate: number[] = [];
  ii: number[] = [];
  dur: number[] = [];
  phase: number[] = [];
  count: number[] = [];
  par: number[] = [];
  out: number[] = [];
  add(t: number, type: number, par: number, f: Partial<{ cmt: number; amt: number; rate: number; ii: number; dur: number; phase: number; count: number; out: number }> = {}): void {
    this.time.push(t);
    this.type.push(type);
    this.par.push(par);
    this.cmt.push(f.cmt ?? 0);
    this.amt.push(f.amt ?? 0);
    this.rate.push(f.rate ?? 0);
    this.ii.push(f.ii ?? 0);
    this.dur.push(f.dur ?? 0);
    this.phase.push(f.phase ?? 0);
    this.count.push(f.count ?? 0);
    this.out.push(f.out ?? -1);
  }
  build(): EventTable {
    return {
      n: this.time.length,
      time: Float64Array.from(this.time),
      type: Int32Array.from(this.type),
      cmt: Int32Array.from(this.cmt),
      amt: Float64Array.from(this.amt),
      rate: Float64Array.from(this.rate),
      ii: Float64Array.from(this.ii),
      dur: Float64Array.from(this.dur),
      phase: Float64Array.from(this.phase),
      count: Int32Array.from(this.count),
      par: Int32Array.from(this.par),
      out: Int32Array.from(this.out),
    };
  }
}

/** Deduplicates consecutive identical kernel parameter sets; returns the set index per record. */
function paramSets(evals: readonly Evaluation[]): { params: Float64Array; index: Int32Array; stride: number } {
  const index = new Int32Array(evals.length);
  const sets: Float64Array[] = [];
  evals.forEach((e, i) => {
    const prev = sets[sets.length - 1];
    if (prev && prev.every((v, k) => v === e.kernel[k])) index[i] = sets.length - 1;
    else {
      sets.push(e.kernel);
      index[i] = sets.length - 1;
    }
  });
  const stride = evals[0]?.kernel.length ?? PAR_STRIDE;
  const params = new Float64Array(sets.length * stride);
  sets.forEach((s, i) => params.set(s, i * stride));
  return { params, index, stride };
}

/**
 * Compiles one subject's records (sorted by time, validated) with one model evaluation per record.
 */
export function compileSubject(records: readonly DataRecord[], evals: readonly Evaluation[], options: CompileOptions): CompiledSubject {
  const { nStates, file } = options;
  const locf = options.timeVarying === 'locf';
  const { params, index: dedup, stride } = paramSets(evals);
  const parOf = options.parIndex ?? dedup;
  const b = new Builder();
  const heap = new Heap();
  let seq = 0;
  let gen = 0;
  records.forEach((rec, r) => heap.push({ time: rec.TIME, prio: rec.items[PRE_DOSE_ITEM] === 1 ? PRIO_PRE_DOSE : PRIO_RECORD, seq: seq++, gen: 0, a: { k: 'record', r } }));
  let next = 0; // the next data record not yet processed
  let lastPar = records.length ? (parOf[0] as number) : 0;

  const doseCmt = (rec: DataRecord): number => {
    const c = rec.CMT === 0 ? (options.defaultDoseCmt ?? 1) : rec.CMT;
    if (c > nStates) throw Errors.record(rec.row, 'CMT', rec.CMT, `the model has ${nStates} compartments`, file);
    return c - 1;
  };
  // Parameter set in force for an interval ending at time t strictly between records.
  const parAt = (): number => (locf ? lastPar : (parOf[Math.min(next, records.length - 1)] as number));
  const evalAt = (): Evaluation => evals[locf ? Math.max(0, next - 1) : Math.min(next, records.length - 1)] as Evaluation;

  /** Amount, rate and duration of one entry of record r's dose into c, with F taken from `fEval`. */
  const doseShape = (rec: DataRecord, r: number, c: number, fEval: Evaluation): { amt: number; rate: number; dur: number } => {
    const mod = evals[r] as Evaluation;
    const amt = rec.AMT * (fEval.F[c] as number);
    if (rec.RATE === 0) return { amt, rate: 0, dur: 0 };
    if (rec.RATE > 0) return { amt, rate: rec.RATE, dur: amt / rec.RATE };
    if (rec.RATE === -1) {
      const R = mod.R[c] as number;
      if (!(R > 0)) throw Errors.record(rec.row, 'RATE', rec.RATE, `RATE = -1 needs a modelled rate > 0 for compartment ${c + 1} (compartments.${c + 1}.rate is ${R})`, file);
      return { amt, rate: R, dur: amt / R };
    }
    const D = mod.D[c] as number;
    if (!(D > 0)) throw Errors.record(rec.row, 'RATE', rec.RATE, `RATE = -2 needs a modelled duration > 0 for compartment ${c + 1} (compartments.${c + 1}.duration is ${D})`, file);
    return { amt, rate: amt / D, dur: D };
  };

  const enter = (t: number, rec: DataRecord, r: number, c: number, par: number, fEval: Evaluation): void => {
    const s = doseShape(rec, r, c, fEval);
    if (s.rate === 0) {
      b.add(t, Ev.Bolus, par, { cmt: c, amt: s.amt });
    } else if (s.dur > 0) {
      b.add(t, Ev.Rate, par, { cmt: c, rate: s.rate });
      heap.push({ time: t + s.dur, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'end', cmt: c, rate: s.rate } });
    }
  };

  const reset = (t: number, par: number): void => {
    gen++;
    b.add(t, Ev.Reset, par);
  };

  const steadyState = (t: number, rec: DataRecord, r: number, c: number, par: number): void => {
    const mod = evals[r] as Evaluation;
    if (!(rec.II > 0)) {
      // AMT = 0, RATE > 0, SS = 1: the state a constant infusion reaches after running forever.
      // The record's own dose has AMT = 0, so nothing keeps running after it (nmtests scenario 29).
      b.add(t, Ev.SteadyState, par, { cmt: c, rate: rec.RATE, ii: 0 });
      return;
    }
    const tau = rec.II;
    const L = mod.lag[c] as number;
    const s = doseShape(rec, r, c, mod);
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
    b.add(t, Ev.SteadyState, par, { cmt: c, amt: s.rate > 0 ? 0 : s.amt, rate: s.rate, ii: tau, dur: s.dur, phase, count: ghosts });
    // entries of the schedule still to come (lag ≥ τ leaves earlier doses in transit)
    for (let k = kStar - 1; k >= 0; k--) {
      const te = t + L - k * tau;
      if (te <= t) enter(t, rec, r, c, par, mod);
      else heap.push({ time: te, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'entry', r, cmt: c } });
    }
  };

  const dose = (t: number, rec: DataRecord, r: number, par: number, allowSs: boolean, fEval: Evaluation): void => {
    const c = doseCmt(rec);
    const mod = evals[r] as Evaluation;
    if (allowSs && rec.SS > 0) {
      if (rec.SS === 1) reset(t, par);
      steadyState(t, rec, r, c, par);
    } else {
      const L = mod.lag[c] as number;
      if (L > 0) heap.push({ time: t + L, prio: PRIO_GENERATED, seq: seq++, gen, a: { k: 'entry', r, cmt: c } });
      else enter(t, rec, r, c, par, fEval);
    }
    if (allowSs) for (let k = 1; k <= rec.ADDL; k++) heap.push({ time: t + k * rec.II, prio: PRIO_IMPLIED, seq: seq++, gen: 0, a: { k: 'implied', r } });
  };

  while (heap.size > 0 && next < records.length) {
    const it = heap.pop();
    const a = it.a;
    if (a.k === 'record') {
      const r = a.r;
      const rec = records[r] as DataRecord;
      const par = parOf[r] as number;
      if (locf && par !== lastPar) b.add(rec.TIME, Ev.Params, lastPar);
      next = r + 1;
      lastPar = par;
      if (rec.EVID === 3 || rec.EVID === 4) reset(rec.TIME, par);
      if (isDose(rec)) dose(rec.TIME, rec, r, par, true, evals[r] as Evaluation);
      // an observation naming a compartment other than the model's observed one reads its amount / S
      const ev = evals[r] as Evaluation;
      const oc = options.observedIndex !== undefined && rec.EVID === 0 && rec.CMT > 0 && rec.CMT - 1 !== options.observedIndex ? rec.CMT - 1 : -1;
      b.add(rec.TIME, Ev.Obs, par, { out: r, cmt: oc, amt: oc >= 0 ? 1 / (ev.S[oc] as number) : 0 });
      continue;
    }
    if (a.k === 'end') {
      if (it.gen === gen) b.add(it.time, Ev.Rate, parAt(), { cmt: a.cmt, rate: -a.rate });
      continue;
    }
    if (a.k === 'entry') {
      if (it.gen === gen) enter(it.time, records[a.r] as DataRecord, a.r, a.cmt, parAt(), evalAt());
      continue;
    }
    // implied (ADDL) dose: a dose record of its own at its time, not at steady state
    dose(it.time, records[a.r] as DataRecord, a.r, parAt(), false, evalAt());
  }
  return { events: b.build(), params, stride, nOut: records.length };
}

/** Concatenates event tables; evStart/evEnd receive each table's range. */
export function concatTables(tables: readonly EventTable[], evStart: Int32Array, evEnd: Int32Array): EventTable {
  const total = tables.reduce((a, t) => a + t.n, 0);
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
  let e = 0;
  tables.forEach((t, i) => {
    for (const k of ['time', 'type', 'cmt', 'amt', 'rate', 'ii', 'dur', 'phase', 'count', 'par', 'out'] as const) ev[k].set(t[k], e);
    evStart[i] = e;
    evEnd[i] = e + t.n;
    e += t.n;
  });
  return ev;
}
