// Shared pieces of the benchmarks: result types, PASS/MISS targets, a seeded RNG, tinybench helpers,
// and the W-b population (one compiled event table shared by every subject, one kernel parameter
// set per subject). Nothing here is timed by itself.

import { Bench } from 'tinybench';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModel, type Model } from '../src/model/model.js';
import { fillKernel } from '../src/model/structure.js';
import { regimen } from '../src/regimen/builder.js';
import type { DataRecord } from '../src/regimen/record.js';
import { compileForModel, resolveMethod } from '../src/engine/simulate.js';
import type { EventTable } from '../src/regimen/compile.js';
import { KIND_CODE } from '../src/model/structure.js';
import { PAR_STRIDE } from '../src/abi.js';
import type { BatchInput, Engine } from '../src/engine/wasm.js';

// ---------------------------------------------------------------------------------------------
// results

export interface Figure {
  /** Stable key, e.g. "wb.analytic.subjects_per_s". */
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** Target the figure is held against (value ≥ min and/or value ≤ max). */
  readonly target?: { readonly min?: number; readonly max?: number; readonly text: string };
  readonly note?: string;
}

export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly figures: Figure[];
  /** Raw statistics, check values and parameters, for results.json. */
  readonly details: Record<string, unknown>;
  readonly skipped?: string;
}

/** Figures measured earlier in the same run, by key (later workloads derive ratios from them). */
export type RunContext = Map<string, number>;

export interface Workload {
  readonly id: string;
  readonly title: string;
  /**
   * Run in a process of its own (run.ts starts one): for workloads whose cost depends on the
   * process's heap, which the workloads before them would otherwise have filled.
   */
  readonly isolated?: boolean;
  run(ctx: RunContext): Promise<WorkloadResult>;
}

export function verdict(f: Figure): '' | 'PASS' | 'MISS' {
  if (!f.target) return '';
  const { min, max } = f.target;
  return (min === undefined || f.value >= min) && (max === undefined || f.value <= max) ? 'PASS' : 'MISS';
}

// ---------------------------------------------------------------------------------------------
// RNG: xorshift128 (Marsaglia 2003) for uniforms, Box–Muller for normals. Deterministic per seed.

export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare = NaN;

  constructor(seed: number) {
    // splitmix32 to spread the seed over the 128-bit state (never all zero)
    let z = seed >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      return (t ^ (t >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next() | 1;
  }

  #u32(): number {
    let t = this.#s3;
    const s = this.#s0;
    this.#s3 = this.#s2;
    this.#s2 = this.#s1;
    this.#s1 = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.#s0 = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.#s0;
  }

  /** Uniform on (0, 1), 53 random bits. */
  uniform(): number {
    for (;;) {
      const u = ((this.#u32() >>> 5) * 67108864 + (this.#u32() >>> 6)) / 9007199254740992;
      if (u > 0) return u;
    }
  }

  normal(): number {
    if (!Number.isNaN(this.#spare)) {
      const z = this.#spare;
      this.#spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const th = 2 * Math.PI * this.uniform();
    this.#spare = r * Math.sin(th);
    return r * Math.cos(th);
  }
}

// ---------------------------------------------------------------------------------------------
// timing

export interface Timing {
  /** Which clock the statistics are on: process CPU time (user + system) or wall time. */
  readonly clock: 'cpu' | 'wall';
  /** Median time per task call, ms. */
  readonly medianMs: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly rmePct: number;
  readonly samples: number;
  /** Median wall time per call, ms (equal to medianMs on the wall clock). */
  readonly wallMedianMs: number;
}

export function maybeGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') g();
}

/**
 * Linux CPU pressure (PSI): share of the last 10 s in which some runnable task waited for a CPU,
 * in %; null where /proc/pressure is unavailable. A direct measure of other work competing.
 */
export function cpuPressure(): number | null {
  try {
    const m = /some avg10=([0-9.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Process CPU time (user + system) in ms: robust to other processes sharing the machine. */
export function cpuNowMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(a: readonly number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Times each function with tinybench (synchronously, one after the other). For long calls
 * (a whole population) pass a small `iterations` and `timeMs = 0`: exactly that many samples.
 * clock 'cpu' measures process CPU time (the figures are then per core even when other work
 * shares the machine; wall time is recorded beside it); 'wall' is tinybench's default clock.
 */
export function timeTasks(
  tasks: ReadonlyArray<readonly [string, () => unknown]>,
  opts: { iterations: number; timeMs: number; warmupIterations: number; warmupTimeMs: number; clock?: 'cpu' | 'wall' },
): Map<string, Timing> {
  const clock = opts.clock ?? 'wall';
  const bench = new Bench({
    iterations: opts.iterations,
    time: opts.timeMs,
    warmupIterations: opts.warmupIterations,
    warmupTime: opts.warmupTimeMs,
    throws: true,
    ...(clock === 'cpu' ? { now: cpuNowMs } : {}),
  });
  const walls = new Map<string, number[]>();
  for (const [name, fn] of tasks) {
    const w: number[] = [];
    walls.set(name, w);
    bench.add(
      name,
      clock === 'cpu'
        ? () => {
            const t0 = performance.now();
            const r = fn();
            w.push(performance.now() - t0);
            return r;
          }
        : fn,
      {
        beforeAll(mode) {
          maybeGc();
          if (mode === 'run') w.length = 0;
        },
      },
    );
  }
  bench.runSync();
  const out = new Map<string, Timing>();
  for (const t of bench.tasks) {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`benchmark task ${t.name} ${r.state}${r.state === 'errored' ? `: ${r.error.message}` : ''}`);
    const l = r.latency;
    out.set(t.name, {
      clock,
      medianMs: l.p50,
      meanMs: l.mean,
      minMs: l.min,
      rmePct: l.rme,
      samples: l.samplesCount,
      wallMedianMs: clock === 'cpu' ? median(walls.get(t.name) ?? []) : l.p50,
    });
  }
  return out;
}

export function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`missing ${what}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// repository paths

/** The package root (where package.json is), found from this module in src or dist. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('package root not found');
}

// ---------------------------------------------------------------------------------------------
// W-b: one-compartment oral, 500 mg q12h × 28, hourly observations 0..336 h

export const WB = {
  KA: 1.2,
  CL: 5,
  V: 50,
  dose: 500,
  tau: 12,
  nDoses: 28,
  tEnd: 336,
  omega2: { CL: 0.09, V: 0.04, KA: 0.25 },
  rtol: 1e-8,
  atol: 1e-10,
  check24: 4.27539936,
  seed: 20240601,
} as const;

export interface Population {
  readonly model: Model;
  readonly records: DataRecord[];
  /** The compiled table, shared by every subject. */
  readonly events: EventTable;
  /** Parameter sets per subject (1 here: the regimen has no time-varying items). */
  readonly setsPerSubject: number;
  /** Output rows per subject (one per record: 337 observations + 1 dose record). */
  readonly nOut: number;
  /** Output row of the observation at t = 24 h. */
  readonly row24: number;
  /** Output rows of the 337 observation records. */
  readonly obsRows: Int32Array;
  readonly n: number;
  /** Kernel parameter sets, n × setsPerSubject × PAR_STRIDE doubles. */
  readonly params: Float64Array;
  /** Typical-subject parameter sets (setsPerSubject × PAR_STRIDE). */
  readonly typical: Float64Array;
  /** Individual CL, V, KA. */
  readonly cl: Float64Array;
  readonly v: Float64Array;
  readonly ka: Float64Array;
}

export function wbModel(): Model {
  return builtinModel('1cmt-oral', { KA: WB.KA, CL: WB.CL, V: WB.V });
}

export function wbRecords(): DataRecord[] {
  return regimen()
    .dose({ time: 0, amt: WB.dose, addl: WB.nDoses - 1, ii: WB.tau })
    .observe({ grid: { from: 0, to: WB.tEnd, step: 1 } })
    .records();
}

/** Builds the W-b population: compiles the regimen once and draws n subjects from `seed`. */
export function wbPopulation(n: number, seed: number = WB.seed): Population {
  const model = wbModel();
  const records = wbRecords();
  const compiled = compileForModel(model, records);
  const setsPerSubject = compiled.params.length / PAR_STRIDE;
  const obsIdx: number[] = [];
  records.forEach((r, i) => {
    if (r.EVID === 0) obsIdx.push(i);
  });
  if (obsIdx.length !== 337) throw new Error(`W-b has ${obsIdx.length} observations, expected 337`);
  const row24 = records.findIndex((r) => r.EVID === 0 && r.TIME === 24);
  const st = model.structure;
  const fill = (cl: number, v: number, ka: number, out: Float64Array, base: number): void => {
    const val: Record<string, number> = { CL: cl, V: v, KA: ka };
    for (let k = 0; k < setsPerSubject; k++)
      fillKernel(st, (name) => must(val[name], `parameter ${name}`), model.observeCompartment, model.output, v, out, base + k * PAR_STRIDE);
  };
  const typical = new Float64Array(setsPerSubject * PAR_STRIDE);
  fill(WB.CL, WB.V, WB.KA, typical, 0);
  // the hand-filled typical set must be the one the model itself evaluates
  for (let i = 0; i < typical.length; i++)
    if (typical[i] !== compiled.params[i]) throw new Error(`typical kernel set differs from the model's at slot ${i % PAR_STRIDE}`);

  const rng = new Rng(seed);
  const params = new Float64Array(n * setsPerSubject * PAR_STRIDE);
  const cl = new Float64Array(n);
  const v = new Float64Array(n);
  const ka = new Float64Array(n);
  const sd = { CL: Math.sqrt(WB.omega2.CL), V: Math.sqrt(WB.omega2.V), KA: Math.sqrt(WB.omega2.KA) };
  for (let s = 0; s < n; s++) {
    cl[s] = WB.CL * Math.exp(sd.CL * rng.normal());
    v[s] = WB.V * Math.exp(sd.V * rng.normal());
    ka[s] = WB.KA * Math.exp(sd.KA * rng.normal());
    fill(cl[s] as number, v[s] as number, ka[s] as number, params, s * setsPerSubject * PAR_STRIDE);
  }
  return {
    model,
    records,
    events: compiled.events,
    setsPerSubject,
    nOut: compiled.nOut,
    row24,
    obsRows: Int32Array.from(obsIdx),
    n,
    params,
    typical,
    cl,
    v,
    ka,
  };
}

export type MethodName = 'analytic' | 'dopri5' | 'rosenbrock';

/**
 * Batch jobs over subjects [from, to) of a population, all walking the shared table. Index arrays
 * are built once per chunk size and reused (the engine copies inputs in on every call).
 */
export class Chunker {
  readonly #pop: Population;
  readonly #method: number;
  readonly #kind: number;
  readonly #cache = new Map<number, { evStart: Int32Array; evEnd: Int32Array; parBase: Int32Array; outBase: Int32Array }>();

  constructor(pop: Population, method: MethodName) {
    this.#pop = pop;
    this.#method = resolveMethod(pop.model, method);
    this.#kind = KIND_CODE[pop.model.structure.kind];
  }

  #index(m: number): { evStart: Int32Array; evEnd: Int32Array; parBase: Int32Array; outBase: Int32Array } {
    let c = this.#cache.get(m);
    if (!c) {
      const p = this.#pop;
      const evStart = new Int32Array(m); // every subject starts at event 0 ...
      const evEnd = new Int32Array(m).fill(p.events.n); // ... and ends at the table's end
      const parBase = new Int32Array(m);
      const outBase = new Int32Array(m);
      for (let s = 0; s < m; s++) {
        parBase[s] = s * p.setsPerSubject;
        outBase[s] = s * p.nOut;
      }
      c = { evStart, evEnd, parBase, outBase };
      this.#cache.set(m, c);
    }
    return c;
  }

  #out = new Float64Array(0);
  #buffer(n: number): Float64Array {
    if (this.#out.length < n) this.#out = new Float64Array(n);
    return this.#out;
  }

  /** The job for subjects [from, to), or for explicit parameter sets (e.g. the typical subject). */
  job(from: number, to: number, params?: Float64Array): BatchInput {
    const p = this.#pop;
    const m = to - from;
    const stride = p.setsPerSubject * PAR_STRIDE;
    return {
      kind: this.#kind,
      ncmt: p.model.structure.compartments,
      depot: p.model.structure.depot,
      method: this.#method,
      nStates: p.model.nStates,
      events: p.events,
      ...this.#index(m),
      params: params ?? p.params.subarray(from * stride, to * stride),
      nOut: m * p.nOut,
      amounts: false,
      rtol: WB.rtol,
      atol: WB.atol,
    };
  }

  /** Runs subjects [0, n) in chunks; returns a checksum of the last observation of each chunk. */
  runAll(engine: Engine, n: number, chunk: number, keep?: (from: number, obs: Float64Array) => void, reuse = true): number {
    let sink = 0;
    // one output buffer for every chunk, as a caller streaming chunks would keep (Engine.run's `into`)
    const into = reuse ? this.#buffer(Math.min(n, chunk) * this.#pop.nOut) : undefined;
    for (let from = 0; from < n; from += chunk) {
      const to = Math.min(n, from + chunk);
      const out = engine.run(this.job(from, to), into);
      if (out.failed > 0) throw new Error(`${out.failed} subjects failed in chunk ${from}..${to}`);
      sink += out.obs[out.obs.length - 1] as number;
      keep?.(from, out.obs);
    }
    return sink;
  }
}

export function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e4) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(Math.max(0, digits - 1));
  return v.toPrecision(digits);
}

export interface ThreadCpu {
  readonly tid: number;
  readonly name: string;
  readonly cpuS: number;
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds of every thread of this process so far (Linux /proc/self/task; empty elsewhere), busiest first. */
export function threadCpu(): ThreadCpu[] {
  const out: ThreadCpu[] = [];
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out; // not Linux: per-thread figures are left out
  }
  for (const t of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      // fields after the parenthesised name: state(3) ... utime(14) stime(15)
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]);
      out.push({ tid: Number(t), name, cpuS: ticks / TICKS_PER_S });
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out.sort((a, b) => b.cpuS - a.cpuS);
}

/** CPU seconds of one timed run by thread: the pool's worker threads, the main thread, and V8/libuv helper threads. */
export interface CpuSplit {
  readonly workers: readonly number[];
  readonly main: number;
  readonly helpers: number;
}

/** CPU seconds per thread between two threadCpu() readings: the busiest `workers` threads other than the main one, the main thread, and the rest (V8/libuv helpers). */
export function cpuSplit(before: readonly ThreadCpu[], after: readonly ThreadCpu[], workers: number): CpuSplit {
  const was = new Map(before.map((t) => [t.tid, t.cpuS]));
  const used = after.map((t) => ({ tid: t.tid, s: t.cpuS - (was.get(t.tid) ?? 0) })).sort((a, b) => b.s - a.s);
  const mainTid = process.pid;
  const others = used.filter((t) => t.tid !== mainTid);
  return {
    workers: others.slice(0, workers).map((t) => t.s),
    main: used.find((t) => t.tid === mainTid)?.s ?? NaN,
    helpers: others.slice(workers).reduce((a, t) => a + t.s, 0),
  };
}

export function splitText(c: CpuSplit): string {
  return `CPU s: worker threads ${c.workers.map((s) => s.toFixed(2)).join(' + ')}, main ${c.main.toFixed(2)}, V8/libuv helpers ${c.helpers.toFixed(2)}`;
}
