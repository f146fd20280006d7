// Growable typed arrays for compiled event tables and kernel parameter sets. The compiler appends
// rows positionally (no object per row, no number[] to copy later), and simulate() lets every
// subject append into ONE writer, so the batch layout needs no concatenation: subject s is rows
// evStart[s]..evEnd[s] of the same arrays.

import type { EventTable } from './compile.js';

/** Rows up to which slice() copies column by column: 8 doubles or fewer stay in V8's heap. */
const ON_HEAP_ROWS = 8;

const COLUMNS = ['time', 'type', 'cmt', 'amt', 'rate', 'ii', 'dur', 'phase', 'count', 'par', 'out'] as const;

export class TableWriter {
  /** Rows written. */
  n = 0;
  time: Float64Array;
  type: Int32Array;
  cmt: Int32Array;
  amt: Float64Array;
  rate: Float64Array;
  ii: Float64Array;
  dur: Float64Array;
  phase: Float64Array;
  count: Int32Array;
  par: Int32Array;
  out: Int32Array;

  constructor(capacity = 64) {
    const c = Math.max(1, capacity);
    this.time = new Float64Array(c);
    this.type = new Int32Array(c);
    this.cmt = new Int32Array(c);
    this.amt = new Float64Array(c);
    this.rate = new Float64Array(c);
    this.ii = new Float64Array(c);
    this.dur = new Float64Array(c);
    this.phase = new Float64Array(c);
    this.count = new Int32Array(c);
    this.par = new Int32Array(c);
    this.out = new Int32Array(c);
  }

  /** Appends one row (unused fields 0, out −1 as the driver expects). */
  add(t: number, type: number, par: number, cmt: number, amt: number, rate: number, ii: number, dur: number, phase: number, count: number, out: number): void {
    const i = this.n;
    if (i === this.time.length) this.#grow(2 * i);
    this.time[i] = t;
    this.type[i] = type;
    this.par[i] = par;
    this.cmt[i] = cmt;
    this.amt[i] = amt;
    this.rate[i] = rate;
    this.ii[i] = ii;
    this.dur[i] = dur;
    this.phase[i] = phase;
    this.count[i] = count;
    this.out[i] = out;
    this.n = i + 1;
  }

  /** Empties the writer, keeping its arrays (at least `capacity` rows) for the next batch. */
  reset(capacity = 0): void {
    this.n = 0;
    if (capacity > this.time.length) this.#grow(capacity);
  }

  #grow(capacity: number): void {
    for (const k of COLUMNS) {
      const old = this[k];
      const a = old instanceof Float64Array ? new Float64Array(capacity) : new Int32Array(capacity);
      a.set(old.subarray(0, this.n));
      (this as Record<(typeof COLUMNS)[number], Float64Array | Int32Array>)[k] = a;
    }
  }

  /**
   * Rows from..n as an exact-size table (copies): what a table kept or sent to a worker needs (a
   * view would carry, and clone, the whole grown buffer).
   */
  slice(from = 0): EventTable {
    const n = this.n;
    if (n - from > ON_HEAP_ROWS) return this.#sliceOneBuffer(from);
    return {
      n: n - from,
      time: this.time.slice(from, n),
      type: this.type.slice(from, n),
      cmt: this.cmt.slice(from, n),
      amt: this.amt.slice(from, n),
      rate: this.rate.slice(from, n),
      ii: this.ii.slice(from, n),
      dur: this.dur.slice(from, n),
      phase: this.phase.slice(from, n),
      count: this.count.slice(from, n),
      par: this.par.slice(from, n),
      out: this.out.slice(from, n),
    };
  }

  /**
   * slice() with every column in ONE ArrayBuffer: a typed array of more than 64 bytes is memory
   * outside V8's heap, made by malloc and freed by V8's sweeper, about a microsecond each way; a
   * MAP estimate compiles its patient's table once, and eleven of these per patient showed in a
   * cohort's profile (README, "Typed arrays outside V8's heap").
   */
  #sliceOneBuffer(from: number): EventTable {
    const n = this.n - from;
    const buf = new ArrayBuffer(n * (6 * 8 + 5 * 4));
    let at = 0;
    const f64 = (src: Float64Array): Float64Array => {
      const a = new Float64Array(buf, at, n);
      a.set(src.subarray(from, from + n));
      at += 8 * n;
      return a;
    };
    const i32 = (src: Int32Array): Int32Array => {
      const a = new Int32Array(buf, at, n);
      a.set(src.subarray(from, from + n));
      at += 4 * n;
      return a;
    };
    return {
      n,
      time: f64(this.time),
      amt: f64(this.amt),
      rate: f64(this.rate),
      ii: f64(this.ii),
      dur: f64(this.dur),
      phase: f64(this.phase),
      type: i32(this.type),
      cmt: i32(this.cmt),
      count: i32(this.count),
      par: i32(this.par),
      out: i32(this.out),
    };
  }

  /** All rows as views (no copy): for a batch used once, in this thread. */
  view(): EventTable {
    const n = this.n;
    return {
      n,
      time: this.time.subarray(0, n),
      type: this.type.subarray(0, n),
      cmt: this.cmt.subarray(0, n),
      amt: this.amt.subarray(0, n),
      rate: this.rate.subarray(0, n),
      ii: this.ii.subarray(0, n),
      dur: this.dur.subarray(0, n),
      phase: this.phase.subarray(0, n),
      count: this.count.subarray(0, n),
      par: this.par.subarray(0, n),
      out: this.out.subarray(0, n),
    };
  }
}

/**
 * Kernel parameter sets, `stride` doubles each, appended per subject with consecutive identical
 * sets shared; `index` (scratch, reused) receives the set per record, relative to the subject's first.
 */
export class ParamWriter {
  /** Doubles written. */
  length = 0;
  data = new Float64Array(256);
  index = new Int32Array(64);

  /** Empties the writer, keeping its arrays. */
  reset(): void {
    this.length = 0;
  }

  /**
   * Appends the distinct consecutive kernels of one subject's evaluations kernels[0..m); returns the number of
   * sets. Equality is `===` per value (as before: −0 equals 0, a set holding NaN equals nothing),
   * with a shortcut for the same kernel array when the last set holds no NaN.
   */
  append(kernels: readonly { readonly kernel: Float64Array }[], m: number, stride: number): number {
    if (this.index.length < m) this.index = new Int32Array(Math.max(m, 2 * this.index.length));
    const index = this.index;
    let sets = 0;
    let last: Float64Array | undefined;
    let lastNaN = false;
    let at = this.length; // offset of the last set appended
    for (let i = 0; i < m; i++) {
      const k = (kernels[i] as { readonly kernel: Float64Array }).kernel;
      let same = false;
      if (last !== undefined) {
        if (k === last && !lastNaN) same = true;
        else {
          same = true;
          const d = this.data;
          for (let j = 0; j < stride; j++)
            if (d[at + j] !== k[j]) {
              same = false;
              break;
            }
        }
      }
      if (!same) {
        at = this.length;
        if (at + stride > this.data.length) {
          const grown = new Float64Array(Math.max(at + stride, 2 * this.data.length));
          grown.set(this.data.subarray(0, at));
          this.data = grown;
        }
        const d = this.data;
        d.set(k.length === stride ? k : k.subarray(0, stride), at); // a typed copy keeps NaN payloads
        lastNaN = false;
        for (let j = 0; j < stride; j++) if (Number.isNaN(d[at + j])) lastNaN = true;
        this.length = at + stride;
        last = k;
        sets++;
      }
      index[i] = sets - 1;
    }
    return sets;
  }
}
