// Profiling harness: a private instance of the same WASM module, with one batch laid out in its
// memory once, so that simulateBatch() (RawKernel) or simulateShared() (RawShared) alone can be
// timed (no copying in or out, no allocation). The difference to Engine.run() on the same job is
// what the TypeScript wrapper adds.

import { wasmModule } from '../src/engine/load.js';
import { sharedWorkDoubles, type BatchInput, type SharedPlan } from '../src/engine/wasm.js';

interface RawExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(): void;
  simulateBatch(...args: number[]): number;
  simulateShared(...args: number[]): number;
  odeWork(which: number): number;
  resetOdeWork(): void;
}

function instantiate(): RawExports {
  const inst = new WebAssembly.Instance(wasmModule(), {
    env: {
      abort: () => {
        throw new Error('WASM abort');
      },
      seed: () => 0,
    },
  });
  return inst.exports as unknown as RawExports;
}

export class RawKernel {
  readonly #x: RawExports = instantiate();
  #args: number[] = [];
  #obs = 0;
  #nOut = 0;

  /** Copies the job into WASM memory (once). */
  load(job: BatchInput): void {
    const x = this.#x;
    x.reset();
    const nSubj = job.evStart.length;
    const ev = job.events;
    const alloc = (bytes: number): number => {
      const p = x.alloc(Math.max(16, bytes));
      if (p === 0) throw new Error('out of WASM memory');
      return p;
    };
    const putF = (a: Float64Array): number => {
      const p = alloc(a.length * 8);
      new Float64Array(x.memory.buffer, p, a.length).set(a);
      return p;
    };
    const putI = (a: Int32Array): number => {
      const p = alloc(a.length * 4);
      new Int32Array(x.memory.buffer, p, a.length).set(a);
      return p;
    };
    const evStart = putI(job.evStart);
    const evEnd = putI(job.evEnd);
    const time = putF(ev.time);
    const type = putI(ev.type);
    const cmt = putI(ev.cmt);
    const amt = putF(ev.amt);
    const rate = putF(ev.rate);
    const ii = putF(ev.ii);
    const dur = putF(ev.dur);
    const phase = putF(ev.phase);
    const count = putI(ev.count);
    const par = putI(ev.par);
    const out = putI(ev.out);
    const parBase = putI(job.parBase);
    const params = putF(job.params);
    const outBase = putI(job.outBase);
    const obs = alloc(job.nOut * 8);
    const status = alloc(nSubj * 4);
    this.#obs = obs;
    this.#nOut = job.nOut;
    this.#args = [
      job.kind, job.ncmt, job.depot ? 1 : 0, job.method, nSubj,
      evStart, evEnd, time, type, cmt, amt, rate, ii, dur, phase, count, par, out,
      parBase, params, outBase, obs, 0,
      job.rtol, job.atol, job.ssTol ?? 1e-10, job.ssMaxIter ?? 10000, job.ssWarm ? 1 : 0, status,
    ];
  }

  /** One kernel call on the loaded batch; returns the number of failed subjects. */
  call(): number {
    return this.#x.simulateBatch(...this.#args);
  }

  /** A view (not a copy) of the observations of the last call. */
  obs(): Float64Array {
    return new Float64Array(this.#x.memory.buffer, this.#obs, this.#nOut);
  }

  /** ODE work of one call: accepted and rejected steps, rhs and Jacobian evaluations, summed over its segments. */
  work(): { accepted: number; rejected: number; rhs: number; jac: number } {
    const x = this.#x;
    x.resetOdeWork();
    this.call();
    return { accepted: x.odeWork(0), rejected: x.odeWork(1), rhs: x.odeWork(2), jac: x.odeWork(3) };
  }
}

/**
 * The same for the population fast path: one batch laid out for simulateShared() (the layout
 * Engine.run() makes when sharedPlan() accepts the batch), so the kernel can be timed alone.
 * load() copies the inputs in; call() runs the kernel; outputs stay in WASM memory.
 */
export class RawShared {
  readonly #x: RawExports = instantiate();
  #args: number[] = [];
  #obs = 0;
  #nOut = 0;

  load(job: BatchInput, plan: SharedPlan): void {
    const x = this.#x;
    x.reset();
    const nSubj = job.evStart.length;
    const ev = job.events;
    const alloc = (bytes: number): number => {
      const p = x.alloc(Math.max(16, bytes));
      if (p === 0) throw new Error('out of WASM memory');
      return p;
    };
    const putF = (a: Float64Array): number => {
      const p = alloc(a.length * 8);
      new Float64Array(x.memory.buffer, p, a.length).set(a);
      return p;
    };
    const putI = (a: Int32Array): number => {
      const p = alloc(a.length * 4);
      new Int32Array(x.memory.buffer, p, a.length).set(a);
      return p;
    };
    const n = job.nStates;
    const time = putF(ev.time);
    const type = putI(ev.type);
    const cmt = putI(ev.cmt);
    const amt = putF(ev.amt);
    const rate = putF(ev.rate);
    const ii = putF(ev.ii);
    const dur = putF(ev.dur);
    const phase = putF(ev.phase);
    const count = putI(ev.count);
    const out = putI(ev.out);
    const params = putF(job.params);
    const obs = alloc(job.nOut * 8);
    const dts = putF(plan.dts);
    const dtIndex = putI(plan.dtIndex);
    const work = alloc(sharedWorkDoubles(n, plan.dts.length) * 8);
    const status = alloc(nSubj * 4);
    this.#obs = obs;
    this.#nOut = job.nOut;
    this.#args = [
      job.kind, job.ncmt, job.depot ? 1 : 0, nSubj, ev.n,
      time, type, cmt, amt, rate, ii, dur, phase, count, out,
      params, plan.nRows, obs, plan.dts.length, dts, dtIndex, work,
      job.ssTol ?? 1e-10, job.ssMaxIter ?? 10000, status,
    ];
  }

  call(): number {
    return this.#x.simulateShared(...this.#args);
  }

  obs(): Float64Array {
    return new Float64Array(this.#x.memory.buffer, this.#obs, this.#nOut);
  }
}
