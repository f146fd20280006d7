// W-ceiling's kernels and the executor loop that runs them in a worker thread or a child process
// (bench/w-ceiling-child.ts is the entry; bench/w-ceiling.ts the orchestration). Three kernels,
// each a fixed amount of work that shares nothing with another executor's:
//   wasm — the engine's own hot loop: Engine.run() on one small W-b analytic chunk (64 subjects,
//          ~170 KB of profiles in WASM memory and in the one reused output buffer: L2-sized),
//          the same prebuilt job again and again, no allocation beyond the call's status array;
//   js   — a pure JavaScript float loop (logistic map x ← r·x·(1 − x)), no memory at all;
//   mem  — a stream over a 64-MB Float64Array (a[i] ← a[i]·½ + 1 at its fixed point 2: 128 MB of
//          traffic a pass).
// Each run reports its wall interval on a clock shared by threads and processes, and its own
// thread's CPU time and run-queue wait from /proc/thread-self/schedstat (ns; Linux).

import { readFileSync } from 'node:fs';
import { engine } from '../src/engine/load.js';
import type { BatchInput, Engine } from '../src/engine/wasm.js';
import { Chunker, wbPopulation } from './common.js';

export type KernelName = 'wasm' | 'js' | 'mem';
export const KERNELS: readonly KernelName[] = ['wasm', 'js', 'mem'];

export interface KernelSetup {
  /** Subjects of the W-b analytic chunk (64 by default). */
  readonly chunk: number;
  /** Size of the streamed array, MiB (64 by default). */
  readonly memMb: number;
}

/** What the parent sends; `run` and `pilot` are answered by a RunReport, `prep` by a Ready. */
export type ExecRequest =
  | { readonly t: 'prep'; readonly setup: KernelSetup }
  | { readonly t: 'run'; readonly kernel: KernelName; readonly work: number }
  | { readonly t: 'exit' };

export interface Ready {
  readonly t: 'ready';
  readonly pid: number;
  /** Kernel thread id of the executor's thread (from /proc/thread-self), or 0 off Linux. */
  readonly tid: number;
}

export interface RunReport {
  readonly t: 'done';
  readonly kernel: KernelName;
  readonly work: number;
  /** Start and end of the timed loop, ms since the epoch (performance.timeOrigin + now()). */
  readonly startMs: number;
  readonly endMs: number;
  /** The executor thread's on-CPU time over the loop (schedstat), ns; NaN where unreadable. */
  readonly cpuNs: number;
  /** The executor thread's time runnable but waiting for a CPU over the loop (schedstat), ns. */
  readonly waitNs: number;
  /** process.cpuUsage() over the loop (all threads of the executor's process), µs. */
  readonly procCpuUs: number;
  /** A value the loop computed (kept so that nothing is optimised away; equal for equal work). */
  readonly check: number;
}

export interface ExecError {
  readonly t: 'error';
  readonly message: string;
}

export type ExecReply = Ready | RunReport | ExecError;

/** [on-CPU ns, run-queue wait ns] of the calling thread, or NaNs where /proc/thread-self/schedstat is missing. */
export function threadSchedNs(): [number, number] {
  try {
    const f = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/);
    return [Number(f[0]), Number(f[1])];
  } catch {
    return [NaN, NaN];
  }
}

function threadId(): number {
  try {
    const s = readFileSync('/proc/thread-self/stat', 'utf8');
    return Number(s.slice(0, s.indexOf(' ')));
  } catch {
    return 0;
  }
}

/** The state one executor keeps between runs: the engine's chunk and the streamed array. */
export class Kernels {
  readonly #eng: Engine;
  readonly #job: BatchInput;
  readonly #into: Float64Array;
  readonly #mem: Float64Array;

  constructor(setup: KernelSetup) {
    const pop = wbPopulation(setup.chunk);
    const c = new Chunker(pop, 'analytic');
    this.#eng = engine();
    this.#job = c.job(0, setup.chunk);
    this.#into = new Float64Array(setup.chunk * pop.nOut);
    // touched now (no page faults inside a timed pass), at the pass's fixed point: every pass the same
    this.#mem = new Float64Array(Math.max(1, Math.round((setup.memMb * 1048576) / 8))).fill(2);
    // every kernel once, so that what is timed is compiled code
    this.run('wasm', 2);
    this.run('js', 200_000);
    this.run('mem', 1);
  }

  /** Runs `work` units of a kernel: Engine.run() calls, logistic-map steps, or passes over the array. */
  run(kernel: KernelName, work: number): number {
    switch (kernel) {
      case 'wasm':
        return this.#wasm(work);
      case 'js':
        return logistic(work);
      case 'mem':
        return stream(this.#mem, work);
    }
  }

  #wasm(calls: number): number {
    let failed = 0;
    for (let i = 0; i < calls; i++) failed += this.#eng.run(this.#job, this.#into).failed;
    if (failed) throw new Error(`W-ceiling: ${failed} subjects failed`);
    return this.#into[this.#into.length - 1] as number;
  }
}

/** `steps` steps of the logistic map at r = 3.9 from 0.3: a chain of dependent multiplies, no memory. */
export function logistic(steps: number): number {
  let x = 0.3;
  for (let i = 0; i < steps; i++) x = 3.9 * x * (1 - x);
  return x;
}

/** `passes` passes of a[i] ← a[i]·½ + 1 (from 2, its fixed point: each pass reads and writes every element, and leaves it as it was). */
export function stream(a: Float64Array, passes: number): number {
  const n = a.length;
  for (let p = 0; p < passes; p++) for (let i = 0; i < n; i++) a[i] = (a[i] as number) * 0.5 + 1;
  return (a[0] as number) + (a[n >> 1] as number);
}

/** Answers the parent's requests, one at a time (the body of a worker thread or a child process). */
export function serve(send: (m: ExecReply) => void, onMessage: (h: (m: ExecRequest) => void) => void, exit: () => void): void {
  let k: Kernels | undefined;
  onMessage((m) => {
    try {
      if (m.t === 'exit') return exit();
      if (m.t === 'prep') {
        k = new Kernels(m.setup);
        return send({ t: 'ready', pid: process.pid, tid: threadId() });
      }
      if (!k) throw new Error('run before prep');
      const [c0, w0] = threadSchedNs();
      const u0 = process.cpuUsage();
      const startMs = performance.timeOrigin + performance.now();
      const check = k.run(m.kernel, m.work);
      const endMs = performance.timeOrigin + performance.now();
      const u = process.cpuUsage(u0);
      const [c1, w1] = threadSchedNs();
      send({ t: 'done', kernel: m.kernel, work: m.work, startMs, endMs, cpuNs: c1 - c0, waitNs: w1 - w0, procCpuUs: u.user + u.system, check });
    } catch (e) {
      send({ t: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
