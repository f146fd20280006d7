// The WASM engine: one instance, one linear-memory arena. Each batch call lays out its typed arrays
// with alloc(), copies inputs in, makes ONE call into the kernel, and copies outputs out; no
// per-subject or per-step crossing of the JS↔WASM boundary.

import { ABI_VERSION, Method, STATUS_TEXT, Status } from '../abi.js';
import { Errors } from '../errors.js';
import type { EventTable } from '../regimen/compile.js';

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly ABI_VERSION: WebAssembly.Global;
  alloc(bytes: number): number;
  reset(): void;
  simulateBatch(...args: number[]): number;
  simulateShared(...args: number[]): number;
  fillRandom(keyLo: number, keyHi: number, first: number, n: number, domain: number, k: number, normal: number, out: number): void;
  metricsBatch(...args: number[]): void;
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

  /**
   * Simulates like run(), then computes metrics on the profiles while they are still in WASM memory.
   * Requires every subject to have the same output rows at the same times (`times`, nRows per subject).
   */
  runWithMetrics(job: BatchInput, times: Float64Array, metrics: MetricArrays, keepProfiles: boolean): BatchOutput & { metrics: Float64Array } {
    const nSubj = job.evStart.length;
    const m = metrics.type.length;
    let res!: BatchOutput;
    let mOut = 0;
    this.#afterRun = (obsPtr: number) => {
      const f64 = (a: Float64Array): number => {
        const p = this.#alloc(Math.max(1, a.length) * 8);
        new Float64Array(this.#x.memory.buffer, p, a.length).set(a);
        return p;
      };
      const tPtr = f64(times);
      const typePtr = this.#alloc(Math.max(1, m) * 4);
      new Int32Array(this.#x.memory.buffer, typePtr, m).set(metrics.type);
      const ptrs = [metrics.t0, metrics.t1, metrics.lo, metrics.hi, metrics.fu, metrics.kd].map(f64);
      mOut = this.#alloc(Math.max(1, nSubj * m) * 8);
      this.#x.metricsBatch(nSubj, times.length, tPtr, obsPtr, m, typePtr, ...ptrs, mOut);
    };
    try {
      res = this.run(job, !keepProfiles);
    } finally {
      this.#afterRun = undefined;
    }
    const metricsOut = new Float64Array(this.#x.memory.buffer, mOut, nSubj * m).slice();
    return { ...res, metrics: metricsOut };
  }

  #afterRun: ((obsPtr: number) => void) | undefined;

  run(job: BatchInput, skipObsCopy = false): BatchOutput {
    const shared = sharedPlan(job);
    if (shared) return this.#runShared(job, shared, skipObsCopy);
    const x = this.#x;
    const nSubj = job.evStart.length;
    const ev = job.events;
    x.reset();
    const f64 = (n: number): number => this.#alloc(Math.max(1, n) * 8);
    const i32 = (n: number): number => this.#alloc(Math.max(1, n) * 4);
    const p = {
      evStart: i32(nSubj),
      evEnd: i32(nSubj),
      time: f64(ev.n),
      type: i32(ev.n),
      cmt: i32(ev.n),
      amt: f64(ev.n),
      rate: f64(ev.n),
      ii: f64(ev.n),
      dur: f64(ev.n),
      phase: f64(ev.n),
      count: i32(ev.n),
      par: i32(ev.n),
      out: i32(ev.n),
      parBase: i32(nSubj),
      params: f64(job.params.length),
      outBase: i32(nSubj),
      obs: f64(job.nOut),
      amounts: job.amounts ? f64(job.nOut * job.nStates) : 0,
      status: i32(nSubj),
    };
    const buf = x.memory.buffer;
    const putF = (ptr: number, a: Float64Array): void => new Float64Array(buf, ptr, a.length).set(a);
    const putI = (ptr: number, a: Int32Array): void => new Int32Array(buf, ptr, a.length).set(a);
    putI(p.evStart, job.evStart);
    putI(p.evEnd, job.evEnd);
    putF(p.time, ev.time);
    putI(p.type, ev.type);
    putI(p.cmt, ev.cmt);
    putF(p.amt, ev.amt);
    putF(p.rate, ev.rate);
    putF(p.ii, ev.ii);
    putF(p.dur, ev.dur);
    putF(p.phase, ev.phase);
    putI(p.count, ev.count);
    putI(p.par, ev.par);
    putI(p.out, ev.out);
    putI(p.parBase, job.parBase);
    putF(p.params, job.params);
    putI(p.outBase, job.outBase);
    const failed = x.simulateBatch(
      job.kind, job.ncmt, job.depot ? 1 : 0, job.method, nSubj,
      p.evStart, p.evEnd, p.time, p.type, p.cmt, p.amt, p.rate, p.ii, p.dur, p.phase, p.count, p.par, p.out,
      p.parBase, p.params, p.outBase, p.obs, p.amounts,
      job.rtol, job.atol, job.ssTol ?? 1e-10, job.ssMaxIter ?? 10000, p.status,
    );
    this.#afterRun?.(p.obs);
    const out = x.memory.buffer;
    return {
      obs: skipObsCopy ? new Float64Array(0) : new Float64Array(out, p.obs, job.nOut).slice(),
      amounts: job.amounts ? new Float64Array(out, p.amounts, job.nOut * job.nStates).slice() : undefined,
      status: new Int32Array(out, p.status, nSubj).slice(),
      failed,
    };
  }

  /** The population fast path (assembly/driver.ts simulateShared): same results, events walked once. */
  #runShared(job: BatchInput, plan: SharedPlan, skipObsCopy: boolean): BatchOutput {
    const x = this.#x;
    const nSubj = job.evStart.length;
    const ev = job.events;
    x.reset();
    const f64 = (n: number): number => this.#alloc(Math.max(1, n) * 8);
    const i32 = (n: number): number => this.#alloc(Math.max(1, n) * 4);
    const n = job.nStates;
    const p = {
      time: f64(ev.n), type: i32(ev.n), cmt: i32(ev.n), amt: f64(ev.n), rate: f64(ev.n), ii: f64(ev.n), dur: f64(ev.n),
      phase: f64(ev.n), count: i32(ev.n), out: i32(ev.n),
      params: f64(job.params.length), obs: f64(job.nOut),
      dts: f64(plan.dts.length), dtIndex: i32(ev.n),
      work: f64(SHARED_BLOCK * (n + 2 * plan.dts.length * n * n)),
      status: i32(nSubj),
    };
    const buf = x.memory.buffer;
    const putF = (ptr: number, a: Float64Array): void => new Float64Array(buf, ptr, a.length).set(a);
    const putI = (ptr: number, a: Int32Array): void => new Int32Array(buf, ptr, a.length).set(a);
    putF(p.time, ev.time);
    putI(p.type, ev.type);
    putI(p.cmt, ev.cmt);
    putF(p.amt, ev.amt);
    putF(p.rate, ev.rate);
    putF(p.ii, ev.ii);
    putF(p.dur, ev.dur);
    putF(p.phase, ev.phase);
    putI(p.count, ev.count);
    putI(p.out, ev.out);
    putF(p.params, job.params);
    putF(p.dts, plan.dts);
    putI(p.dtIndex, plan.dtIndex);
    const failed = x.simulateShared(
      job.ncmt, job.depot ? 1 : 0, nSubj, ev.n,
      p.time, p.type, p.cmt, p.amt, p.rate, p.ii, p.dur, p.phase, p.count, p.out,
      p.params, plan.nRows, p.obs, plan.dts.length, p.dts, p.dtIndex, p.work,
      job.ssTol ?? 1e-10, job.ssMaxIter ?? 10000, p.status,
    );
    this.#afterRun?.(p.obs);
    const out = x.memory.buffer;
    return {
      obs: skipObsCopy ? new Float64Array(0) : new Float64Array(out, p.obs, job.nOut).slice(),
      amounts: undefined,
      status: new Int32Array(out, p.status, nSubj).slice(),
      failed,
    };
  }

  #alloc(bytes: number): number {
    const ptr = this.#x.alloc(bytes);
    if (ptr === 0) throw Errors.engine(`out of WASM memory allocating ${bytes} bytes; use smaller chunks`);
    return ptr;
  }
}

interface SharedPlan {
  readonly nRows: number;
  readonly dts: Float64Array;
  readonly dtIndex: Int32Array;
}

/** Subjects per block in assembly/driver.ts simulateShared. */
const SHARED_BLOCK = 64;

/** Most distinct step lengths the fast path precomputes per subject (irregular grids use the general path). */
const MAX_SHARED_DT = 64;

/**
 * Whether a batch can take the population fast path: analytic linear model, every subject walking
 * the same whole table with one parameter set of its own, outputs in equal blocks, no amounts.
 */
function sharedPlan(job: BatchInput): SharedPlan | undefined {
  const nSubj = job.evStart.length;
  const ev = job.events;
  if (job.method !== Method.Analytic || job.kind !== 1 || job.amounts || nSubj < 2) return undefined;
  const nRows = job.nOut / nSubj;
  if (!Number.isInteger(nRows)) return undefined;
  for (let s = 0; s < nSubj; s++)
    if (job.evStart[s] !== 0 || job.evEnd[s] !== ev.n || job.parBase[s] !== s || job.outBase[s] !== s * nRows) return undefined;
  for (let e = 0; e < ev.n; e++) if (ev.par[e] !== 0 || (ev.out[e] as number) >= nRows) return undefined;
  const dts: number[] = [];
  const dtIndex = new Int32Array(ev.n).fill(-1);
  for (let e = 1; e < ev.n; e++) {
    const dt = (ev.time[e] as number) - (ev.time[e - 1] as number);
    if (dt <= 0) continue;
    let k = dts.indexOf(dt);
    if (k < 0) {
      if (dts.length >= MAX_SHARED_DT) return undefined;
      k = dts.push(dt) - 1;
    }
    dtIndex[e] = k;
  }
  return { nRows, dts: Float64Array.from(dts), dtIndex };
}

export function statusText(code: number): string {
  return STATUS_TEXT[code] ?? `status ${code}`;
}

export { Method, Status };
