// The WASM engine: one instance, one linear-memory arena. Each batch call lays out its typed arrays
// with alloc(), copies inputs in, makes ONE call into the kernel, and copies outputs out; no
// per-subject or per-step crossing of the JS↔WASM boundary.

import { ABI_VERSION, BAND_FIELDS, BAND_HEAD, Kind, Method, SHARED_BLOCK, STATUS_TEXT, Status } from '../abi.js';
import { Errors } from '../errors.js';
import type { EventTable } from '../regimen/compile.js';
import type { KernelCode } from '../model/text/bytecode.js';
import './wasm-module-type.js';

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly ABI_VERSION: WebAssembly.Global;
  alloc(bytes: number): number;
  reset(): void;
  simulateBatch(...args: number[]): number;
  simulateShared(...args: number[]): number;
  mapLoad(...args: number[]): void;
  mapWorkBytes(cap: number): number;
  mapWork(work: number, cap: number): void;
  mapBatch(xs: number, count: number, out: number): void;
  mapGradient(x: number, steps: number, g: number): number;
  mapBfgs(x0: number, steps: number, H0: number, given: number, gtol: number, gtolNoisy: number, ftol: number, xtol: number, maxIterations: number, maxStep: number, xOut: number, gOut: number, hOut: number, info: number): number;
  mapExp(x: number): number;
  mapLog(x: number): number;
  fillRandom(keyLo: number, keyHi: number, first: number, n: number, domain: number, k: number, normal: number, out: number): void;
  metricsBatch(...args: number[]): void;
  bandSort(n: number, values: number, payload: number, work: number): void;
  bandPack(m: number, by: number, doseLo: number, doseHi: number, D: number, doses: number, N: number, work: number, n: number): number;
  bandOptimize(N: number, n: number, D: number, K: number, cuts: number, param: number, order: number, work: number, out: number): number;
  bandWorkBytes(N: number, K: number, D: number): number;
  programCode(): number;
  programConstants(): number;
  programLoad(nStates: number, flags: number, starts: number): void;
}

/** Metric definitions as the kernel reads them (assembly/metrics.ts). */
export interface MetricArrays {
  readonly type: Int32Array;
  readonly t0: Float64Array;
  readonly t1: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly fu: Float64Array;
  readonly kd: Float64Array;
  /** Per profile row, 1 for a row only the metrics whose edge it is read (MetricGrid.edgeOnly); absent: every row is every metric's. */
  readonly edgeOnly?: Int32Array;
}

export interface BatchInput {
  readonly kind: number;
  readonly ncmt: number;
  readonly depot: boolean;
  readonly method: number;
  readonly nStates: number;
  /** Concatenated event tables; subject s walks evStart[s]..evEnd[s] (tables may be shared). */
  readonly events: EventTable;
  readonly evStart: Int32Array;
  readonly evEnd: Int32Array;
  readonly params: Float64Array;
  readonly parBase: Int32Array;
  readonly outBase: Int32Array;
  readonly nOut: number;
  readonly amounts: boolean;
  readonly rtol: number;
  readonly atol: number;
  readonly ssTol?: number;
  readonly ssMaxIter?: number;
  /**
   * ODE steady states of the later subjects start from the first subject's periodic state when
   * their parameters are within 1 % of its (assembly/driver.ts): for batches of nearby points (a
   * finite-difference stencil), at the price of results that depend on the batch's first subject
   * to within the steady-state tolerance. Default false: every subject from its own initial state.
   */
  readonly ssWarm?: boolean;
}

/**
 * One patient's MAP objective as the engine evaluates it (assembly/map.ts; built by
 * src/bayes/map-fast.ts): a linear model solved analytically, structural values TV·exp(η) or TV per
 * parameter-set group, one shared event table, no BLQ, no IOV.
 */
export interface MapPatient {
  readonly kind: number;
  readonly ncmt: number;
  readonly depot: boolean;
  readonly micro: boolean;
  readonly method: number;
  readonly rtol: number;
  readonly atol: number;
  readonly ssTol: number;
  readonly ssMaxIter: number;
  readonly nStates: number;
  readonly events: EventTable;
  /** The population fast path's step lengths (−1: the table does not take it). */
  readonly nDt: number;
  readonly dts: Float64Array;
  readonly dtIndex: Int32Array;
  readonly dim: number;
  readonly groups: number;
  readonly nRec: number;
  /** groups × 7: CL (K), V, Q (K12), V2 (K21), Q3 (K13), V3 (K31), KA: L of (L·exp(η))·R, or the value of one free of η. */
  readonly tv: Float64Array;
  /** groups × 7: R of (L·exp(η))·R (1 where there is none). */
  readonly right: Float64Array;
  /** groups × parStride: each group's kernel set at η = 0. */
  readonly base: Float64Array;
  /** Per structural value: its effect (index into x) or −1. */
  readonly eta: Int32Array;
  /** Per structural value: −1 absent, 0 finite, 1 > 0, 2 ≥ 0. */
  readonly check: Int32Array;
  /** Structural value that is the observation scale, or −1 (the base sets' scale). */
  readonly scaleIndex: number;
  readonly obsRec: Int32Array;
  readonly obsY: Float64Array;
  readonly obsGuard: Int32Array;
  readonly obsModel: Int32Array;
  readonly obsA: Float64Array;
  readonly obsB: Float64Array;
  readonly precision: Float64Array;
}

/** What Engine.mapBfgs returns: optimize.ts bfgs's result fields. */
export interface MapBfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly g: Float64Array;
  readonly inverseHessian: Float64Array;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  /** Index into BFGS_MESSAGES (src/bayes/map-fast.ts). */
  readonly message: number;
}

export interface BatchOutput {
  /** Observed value per output row. */
  readonly obs: Float64Array;
  /** Amount per state per output row (nStates per row), when asked. */
  readonly amounts?: Float64Array;
  /** Status per subject (0 = ok; see STATUS_TEXT). */
  readonly status: Int32Array;
  readonly failed: number;
}

/** The most working memory bandOptimize takes (its subjects, bands and doses; see bandWorkBytes). */
const BAND_MAX_BYTES = 1.5 * 2 ** 30;

/** Subjects per staging block of bandOptimize (1.5 MB). */
const BAND_STAGE = 65_536;

export class Engine {
  readonly #x: Exports;

  private constructor(instance: WebAssembly.Instance) {
    this.#x = instance.exports as unknown as Exports;
    const v = this.#x.ABI_VERSION.value as number;
    if (v !== ABI_VERSION) throw Errors.engine(`WASM ABI version ${v} does not match the TypeScript side (${ABI_VERSION}); rebuild with npm run build`);
  }

  /** Instantiates from compiled WASM bytes or a module (works in Node and browsers). */
  static fromModule(module: WebAssembly.Module): Engine {
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw Errors.engine(`WASM abort at ${line}:${col}`);
        },
        seed: () => 0,
      },
    });
    return new Engine(instance);
  }

  /**
   * Makes `code` (src/model/text/bytecode.ts) this instance's user model (Kind.User), run by the
   * engine's interpreter: one instance per interpreted kernel, like one per compiled kernel.
   */
  loadProgram(code: KernelCode): void {
    const x = this.#x;
    new Int32Array(x.memory.buffer, x.programCode(), code.code.length).set(code.code);
    new Float64Array(x.memory.buffer, x.programConstants(), code.constants.length).set(code.constants);
    x.reset();
    x.programLoad(code.nStates, code.flags, this.#put(code.starts));
  }

  /**
   * Counter-based random variates: row-major n × k, variate j of stream `domain` for subjects
   * first..first+n-1 (standard normals, or uniforms in (0, 1)). See assembly/rng.ts.
   */
  random(key: readonly [number, number], first: number, n: number, domain: number, k: number, normal: boolean): Float64Array {
    if (n * k === 0) return new Float64Array(0);
    this.#x.reset();
    const out = this.#alloc(n * k * 8);
    this.#x.fillRandom(key[0] >>> 0, key[1] >>> 0, first, n, domain, k, normal ? 1 : 0, out);
    return new Float64Array(this.#x.memory.buffer, out, n * k).slice();
  }

  /** random()'s values written into `into` from `at` (no array made: for loops that draw again and again). */
  randomInto(key: readonly [number, number], first: number, n: number, domain: number, k: number, normal: boolean, into: Float64Array, at: number): void {
    if (n * k === 0) return;
    if (at < 0 || at + n * k > into.length) throw new RangeError(`randomInto: ${n * k} values do not fit at ${at} of ${into.length}`);
    this.#x.reset();
    const out = this.#alloc(n * k * 8);
    this.#x.fillRandom(key[0] >>> 0, key[1] >>> 0, first, n, domain, k, normal ? 1 : 0, out);
    into.set(new Float64Array(this.#x.memory.buffer, out, n * k), at);
  }

  /**
   * Sorts values ascending (stably) together with a 32-bit payload each, in place (radix sort,
   * assembly/banding.ts). Memory: 24 bytes per value while it runs.
   */
  sortWithPayload(values: Float64Array, payload: Uint32Array): void {
    const n = values.length;
    if (payload.length !== n) throw new RangeError(`sortWithPayload: ${n} values but ${payload.length} payloads`);
    if (n === 0) return;
    const x = this.#x;
    x.reset();
    const v = this.#alloc(n * 8);
    const p = this.#alloc(n * 4);
    const work = this.#alloc(12 * n + 65536 * 4 + 64);
    new Float64Array(x.memory.buffer, v, n).set(values);
    new Uint32Array(x.memory.buffer, p, n).set(payload);
    x.bandSort(n, v, p, work);
    values.set(new Float64Array(x.memory.buffer, v, n));
    payload.set(new Uint32Array(x.memory.buffer, p, n));
  }

  /**
   * The exact dose-banding optimizer's work on the subjects (assembly/banding.ts): the subjects go
   * in through a staging area of BAND_STAGE at a time (bandPack), then bandOptimize. Returns its
   * outcome code and its `out` record (BAND_HEAD doubles, 2 per dose, BAND_FIELDS per band).
   * Memory: 24 + 4·bands bytes per subject, and the staging.
   */
  bandOptimize(by: Float64Array, doseLo: Float64Array, doseHi: Float64Array, doses: Float64Array, bands: number, cuts: number, param: number, order: number): { code: number; out: Float64Array } {
    const x = this.#x;
    x.reset();
    const N = by.length;
    const D = doses.length;
    const pDoses = this.#put(doses);
    const workBytes = x.bandWorkBytes(N, bands, D);
    // the engine's memory is addressed with 32-bit offsets that JavaScript views read as signed: a
    // larger request failed as a raw RangeError (40 million subjects × 10 bands)
    if (workBytes > BAND_MAX_BYTES)
      throw Errors.option('bands', `banding: ${N.toLocaleString('en-US')} subjects, ${bands} bands and ${D} doses need ${(workBytes / 2 ** 30).toFixed(1)} GiB of working memory, more than the engine's ${BAND_MAX_BYTES / 2 ** 30} GiB: band fewer subjects (a sample of them), or ask fewer bands`);
    const work = this.#alloc(workBytes);
    const stage = Math.max(1, Math.min(N, BAND_STAGE));
    const pStage = this.#alloc(3 * stage * 8);
    const outLen = BAND_HEAD + 2 * D + BAND_FIELDS * bands;
    const out = this.#alloc(outLen * 8);
    const [f64] = this.#views();
    const o = pStage >>> 3;
    let n = 0;
    for (let k0 = 0; k0 < N; k0 += stage) {
      const m = Math.min(stage, N - k0);
      f64.set(by.subarray(k0, k0 + m), o);
      f64.set(doseLo.subarray(k0, k0 + m), o + stage);
      f64.set(doseHi.subarray(k0, k0 + m), o + 2 * stage);
      n = x.bandPack(m, pStage, pStage + 8 * stage, pStage + 16 * stage, D, pDoses, N, work, n);
    }
    const code = x.bandOptimize(N, n, D, bands, cuts, param, order, work, out);
    return { code, out: new Float64Array(x.memory.buffer, out, outLen).slice() };
  }

  /**
   * Simulates like run(), then computes metrics on the profiles while they are still in WASM memory.
   * Requires every subject to have the same output rows at the same times (`times`, nRows per subject).
   */
  runWithMetrics(job: BatchInput, times: Float64Array, metrics: MetricArrays, keepProfiles: boolean | Int32Array): BatchOutput & { metrics: Float64Array } {
    const nSubj = job.evStart.length;
    const m = metrics.type.length;
    let mOut = 0;
    const rows = keepProfiles instanceof Int32Array ? keepProfiles : undefined;
    let picked: Float64Array | undefined;
    const res = this.#execute(job, keepProfiles !== true, (obsPtr) => {
      const args = [metrics.t0, metrics.t1, metrics.lo, metrics.hi, metrics.fu, metrics.kd].map((a) => this.#put(a));
      const tPtr = this.#put(times);
      const typePtr = this.#put(metrics.type);
      const edgePtr = metrics.edgeOnly ? this.#put(metrics.edgeOnly) : 0;
      mOut = this.#alloc(Math.max(1, nSubj * m) * 8);
      this.#x.metricsBatch(nSubj, times.length, tPtr, obsPtr, m, typePtr, ...args, edgePtr, mOut);
      if (rows) {
        // the rows asked for, not the whole profiles (a forecast's metric samples outnumber them)
        const [f64] = this.#views();
        const nRows = times.length;
        const nr = rows.length;
        picked = new Float64Array(nSubj * nr);
        for (let s = 0, o = obsPtr >>> 3; s < nSubj; s++, o += nRows) for (let j = 0; j < nr; j++) picked[s * nr + j] = f64[o + (rows[j] as number)] as number;
      }
    });
    return { ...res, obs: picked ?? res.obs, metrics: new Float64Array(this.#x.memory.buffer, mOut, nSubj * m).slice() };
  }

  /**
   * Simulates a batch. `into`, when given, receives the observations (its first job.nOut values;
   * `obs` is then that view) instead of a fresh array: a caller that runs chunk after chunk reuses
   * one buffer, where a fresh array of tens of megabytes per call costs more in page faults and
   * collection than the analytic kernel itself (bench/w-b-batch.ts).
   */
  run(job: BatchInput, into?: Float64Array): BatchOutput {
    if (into !== undefined && into.length < job.nOut) throw Errors.option('into', `run(): the output buffer holds ${into.length} values, the batch has ${job.nOut} outputs`);
    return this.#execute(job, false, undefined, into);
  }

  /**
   * Lays the batch out in WASM memory, makes the ONE kernel call (the population fast path when the
   * batch qualifies, the per-subject walker otherwise), runs `after` on the profiles in place, and
   * copies the outputs out.
   */
  #execute(job: BatchInput, skipObsCopy: boolean, after?: (obsPtr: number) => void, into?: Float64Array): BatchOutput {
    const x = this.#x;
    const nSubj = job.evStart.length;
    const ev = job.events;
    x.reset();
    // one local per column (no array of pointers): the MAP objective makes ~100 calls per patient
    const eTime = this.#put(ev.time);
    const eType = this.#put(ev.type);
    const eCmt = this.#put(ev.cmt);
    const eAmt = this.#put(ev.amt);
    const eRate = this.#put(ev.rate);
    const eIi = this.#put(ev.ii);
    const eDur = this.#put(ev.dur);
    const ePhase = this.#put(ev.phase);
    const eCount = this.#put(ev.count);
    const params = this.#put(job.params);
    const obs = this.#alloc(Math.max(1, job.nOut) * 8);
    const status = this.#alloc(Math.max(1, nSubj) * 4);
    if (this.#dtIndex.length < ev.n) this.#dtIndex = new Int32Array(Math.max(ev.n, 2 * this.#dtIndex.length));
    const nDt = planShared(job, this.#dts, this.#dtIndex);
    let amounts = 0;
    let failed: number;
    if (nDt >= 0) {
      const n = job.nStates;
      const work = this.#alloc(Math.max(1, sharedWorkDoubles(n, nDt)) * 8);
      failed = x.simulateShared(
        job.kind, job.ncmt, job.depot ? 1 : 0, nSubj, ev.n, eTime, eType, eCmt, eAmt, eRate, eIi, eDur, ePhase, eCount, this.#put(ev.out),
        params, job.nOut / nSubj, obs, nDt, this.#putN(this.#dts, nDt), this.#putN(this.#dtIndex, ev.n), work,
        job.ssTol ?? 1e-10, job.ssMaxIter ?? 10000, status,
      );
    } else {
      amounts = job.amounts ? this.#alloc(Math.max(1, job.nOut * job.nStates) * 8) : 0;
      failed = x.simulateBatch(
        job.kind, job.ncmt, job.depot ? 1 : 0, job.method, nSubj,
        this.#put(job.evStart), this.#put(job.evEnd), eTime, eType, eCmt, eAmt, eRate, eIi, eDur, ePhase, eCount, this.#put(ev.par), this.#put(ev.out),
        this.#put(job.parBase), params, this.#put(job.outBase), obs, amounts,
        job.rtol, job.atol, job.ssTol ?? 1e-10, job.ssMaxIter ?? 10000, job.ssWarm ? 1 : 0, status,
      );
    }
    after?.(obs);
    const [f64, i32] = this.#views();
    let out: Float64Array;
    if (skipObsCopy) out = new Float64Array(0);
    else if (into) {
      out = into.subarray(0, job.nOut);
      out.set(f64.subarray(obs >>> 3, (obs >>> 3) + job.nOut));
    } else out = f64.slice(obs >>> 3, (obs >>> 3) + job.nOut);
    return {
      obs: out,
      amounts: amounts ? f64.slice(amounts >>> 3, (amounts >>> 3) + job.nOut * job.nStates) : undefined,
      status: i32.slice(status >>> 2, (status >>> 2) + nSubj),
      failed,
    };
  }

  /** Loads a patient's MAP objective and a work area for batches of up to `cap` points (assembly/map.ts). */
  #mapLoad(m: MapPatient, cap: number): void {
    const x = this.#x;
    x.reset();
    const ev = m.events;
    x.mapLoad(
      m.kind, m.ncmt, m.depot ? 1 : 0, m.micro ? 1 : 0, m.method, m.rtol, m.atol, m.ssTol, m.ssMaxIter, m.nStates,
      ev.n, this.#put(ev.time), this.#put(ev.type), this.#put(ev.cmt), this.#put(ev.amt), this.#put(ev.rate), this.#put(ev.ii), this.#put(ev.dur), this.#put(ev.phase), this.#put(ev.count), this.#put(ev.par), this.#put(ev.out),
      m.nDt, this.#put(m.dts), this.#put(m.dtIndex),
      m.dim, m.groups, m.nRec, this.#put(m.tv), this.#put(m.right), this.#put(m.base), this.#put(m.eta), this.#put(m.check), m.scaleIndex,
      m.obsRec.length, this.#put(m.obsRec), this.#put(m.obsY), this.#put(m.obsGuard), this.#put(m.obsModel), this.#put(m.obsA), this.#put(m.obsB), this.#put(m.precision),
    );
    x.mapWork(this.#alloc(x.mapWorkBytes(cap)), cap);
  }

  /** The OFV at `count` points (row k = xs[k·dim ..]) into out, in ONE call (assembly/map.ts mapBatch). @internal */
  mapBatch(m: MapPatient, xs: Float64Array, count: number, out: Float64Array): void {
    this.#mapLoad(m, count);
    const pXs = this.#put(xs);
    const pOut = this.#alloc(Math.max(1, count) * 8);
    this.#x.mapBatch(pXs, count, pOut);
    const [f64] = this.#views();
    for (let k = 0, o = pOut >>> 3; k < count; k++) out[k] = f64[o + k] as number;
  }

  /** The OFV at x and its central-difference gradient (relative steps) into g (assembly/map.ts mapGradient). @internal */
  mapGradient(m: MapPatient, x: Float64Array, steps: ArrayLike<number>, g: Float64Array): number {
    const n = m.dim;
    this.#mapLoad(m, 2 * n + 1);
    const px = this.#alloc(Math.max(1, n) * 8);
    const ps = this.#alloc(Math.max(1, n) * 8);
    const pg = this.#alloc(Math.max(1, n) * 8);
    const [f64] = this.#views();
    for (let i = 0; i < n; i++) {
      f64[(px >>> 3) + i] = x[i] as number;
      f64[(ps >>> 3) + i] = steps[i] as number;
    }
    const f = this.#x.mapGradient(px, ps, pg);
    const [v] = this.#views();
    for (let i = 0; i < n; i++) g[i] = v[(pg >>> 3) + i] as number;
    return f;
  }

  /** A whole BFGS run from x0 on the patient's objective (assembly/map.ts mapBfgs: optimize.ts bfgs with central differences). @internal */
  mapBfgs(m: MapPatient, x0: ArrayLike<number>, steps: ArrayLike<number>, H0: Float64Array | undefined, o: { gtol: number; gtolNoisy: number; ftol: number; xtol: number; maxIterations: number; maxStep: number }): MapBfgsResult {
    const n = m.dim;
    this.#mapLoad(m, 2 * n + 1);
    const px = this.#alloc(Math.max(1, n) * 8);
    const ps = this.#alloc(Math.max(1, n) * 8);
    const ph0 = this.#alloc(Math.max(1, n * n) * 8);
    const pxo = this.#alloc(Math.max(1, n) * 8);
    const pgo = this.#alloc(Math.max(1, n) * 8);
    const pho = this.#alloc(Math.max(1, n * n) * 8);
    const pinfo = this.#alloc(16);
    const [f64] = this.#views();
    for (let i = 0; i < n; i++) {
      f64[(px >>> 3) + i] = x0[i] as number;
      f64[(ps >>> 3) + i] = steps[i] as number;
    }
    if (H0) f64.set(H0, ph0 >>> 3);
    const f = this.#x.mapBfgs(px, ps, ph0, H0 ? 1 : 0, o.gtol, o.gtolNoisy, o.ftol, o.xtol, o.maxIterations, o.maxStep, pxo, pgo, pho, pinfo);
    const [v, i32] = this.#views();
    return {
      x: v.slice(pxo >>> 3, (pxo >>> 3) + n),
      f,
      g: v.slice(pgo >>> 3, (pgo >>> 3) + n),
      inverseHessian: v.slice(pho >>> 3, (pho >>> 3) + n * n),
      iterations: i32[pinfo >>> 2] as number,
      evaluations: i32[(pinfo >>> 2) + 1] as number,
      converged: i32[(pinfo >>> 2) + 2] === 1,
      message: i32[(pinfo >>> 2) + 3] as number,
    };
  }

  /** This module's Math.exp and Math.log (assembly/map.ts), which must be V8's bit for bit. @internal */
  mapMath(x: number): [number, number] {
    return [this.#x.mapExp(x), this.#x.mapLog(x)];
  }

  #buffer: ArrayBuffer | undefined;
  #f64 = new Float64Array(0);
  #i32 = new Int32Array(0);

  /**
   * Whole-memory views, made again only when memory has grown (which replaces the buffer): a
   * batch call copies in a dozen arrays, and a view per copy was garbage on every MAP iteration.
   */
  #views(): [Float64Array, Int32Array] {
    const b = this.#x.memory.buffer;
    if (b !== this.#buffer) {
      this.#buffer = b;
      this.#f64 = new Float64Array(b);
      this.#i32 = new Int32Array(b);
    }
    return [this.#f64, this.#i32];
  }

  /** Allocates WASM memory for a typed array and copies it in; returns the pointer (16-byte aligned). */
  #put(a: Float64Array | Int32Array): number {
    const ptr = this.#alloc(Math.max(1, a.length) * a.BYTES_PER_ELEMENT);
    const [f64, i32] = this.#views();
    if (a instanceof Float64Array) f64.set(a, ptr >>> 3);
    else i32.set(a, ptr >>> 2);
    return ptr;
  }

  /** #put of the first n values of a scratch array, value by value (a subarray would be garbage). */
  #putN(a: Float64Array | Int32Array, n: number): number {
    const ptr = this.#alloc(Math.max(1, n) * a.BYTES_PER_ELEMENT);
    const [f64, i32] = this.#views();
    if (a instanceof Float64Array) for (let i = 0, o = ptr >>> 3; i < n; i++) f64[o + i] = a[i] as number;
    else for (let i = 0, o = ptr >>> 2; i < n; i++) i32[o + i] = a[i] as number;
    return ptr;
  }

  // the fast path's plan, made again on every call into these (sharedPlan without allocation)
  #dts = new Float64Array(MAX_SHARED_DT);
  #dtIndex = new Int32Array(64);

  #alloc(bytes: number): number {
    // the engine's argument is a u32: 4 GB or more wrapped around and trapped out of bounds
    if (!(bytes <= 0xffff_fff0)) throw Errors.engine(`out of WASM memory allocating ${bytes} bytes; use smaller chunks`);
    const ptr = this.#x.alloc(bytes);
    if (ptr === 0) throw Errors.engine(`out of WASM memory allocating ${bytes} bytes; use smaller chunks`);
    return ptr;
  }
}

export interface SharedPlan {
  readonly nRows: number;
  readonly dts: Float64Array;
  readonly dtIndex: Int32Array;
}

/** Most distinct step lengths the fast path precomputes per subject (irregular grids use the general path). */
const MAX_SHARED_DT = 64;

/**
 * Whether a batch can take the population fast path: analytic linear model, every subject walking
 * the same whole table with one parameter set of its own, outputs in equal blocks, no amounts.
 */
/** Doubles of the fast path's work buffer: per subject its state, and Φ, Γ, Γ·c per step length. */
export function sharedWorkDoubles(nStates: number, nDt: number): number {
  return SHARED_BLOCK * (nStates + nDt * (2 * nStates * nStates + nStates));
}

export function sharedPlan(job: BatchInput): SharedPlan | undefined {
  const dts = new Float64Array(MAX_SHARED_DT);
  const dtIndex = new Int32Array(job.events.n);
  const nDt = planShared(job, dts, dtIndex);
  return nDt < 0 ? undefined : { nRows: job.nOut / job.evStart.length, dts: dts.slice(0, nDt), dtIndex };
}

/**
 * sharedPlan() into the caller's arrays (dts: MAX_SHARED_DT values, dtIndex: one per event), for
 * Engine's calls, which must not leave garbage behind: the number of distinct step lengths, or −1
 * where the batch does not qualify.
 */
function planShared(job: BatchInput, dts: Float64Array, dtIndex: Int32Array): number {
  const nSubj = job.evStart.length;
  const ev = job.events;
  // Analytic on Kind.User means a model text linear in its states (resolveMethod allows no other)
  if (job.method !== Method.Analytic || (job.kind !== Kind.Linear && job.kind !== Kind.User) || job.amounts || nSubj < 2) return -1;
  const nRows = job.nOut / nSubj;
  if (!Number.isInteger(nRows)) return -1;
  for (let s = 0; s < nSubj; s++)
    if (job.evStart[s] !== 0 || job.evEnd[s] !== ev.n || job.parBase[s] !== s || job.outBase[s] !== s * nRows) return -1;
  for (let e = 0; e < ev.n; e++) if (ev.par[e] !== 0 || (ev.out[e] as number) >= nRows) return -1;
  let nDt = 0;
  if (ev.n > 0) dtIndex[0] = -1;
  for (let e = 1; e < ev.n; e++) {
    dtIndex[e] = -1;
    const dt = (ev.time[e] as number) - (ev.time[e - 1] as number);
    if (dt <= 0) continue;
    let k = 0;
    while (k < nDt && dts[k] !== dt) k++;
    if (k === nDt) {
      if (nDt >= MAX_SHARED_DT) return -1;
      dts[nDt++] = dt;
    }
    dtIndex[e] = k;
  }
  return nDt;
}

export function statusText(code: number): string {
  return STATUS_TEXT[code] ?? `status ${code}`;
}

export { Method, Status };
