// W-ceiling — the MACHINE's own 1 → 2 scaling, with no dosewise orchestration in it: the bound of
// every 1 → 2 worker ratio measured here (W-e, W-map, W-sim, band). Whether the two vCPUs are two
// cores, two hyperthreads of one core, or share their host with other guests cannot be seen from
// inside the VM; this measures what it gives. Three kernels (bench/w-ceiling-kernels.ts): the
// engine's WASM hot loop and a pure-JavaScript float loop (compute-bound, L1/L2-sized, no
// allocation), and a stream over a 64-MB array (memory-bound). Each runs a fixed amount of work
// in 1 executor, then the same work in each of 2 at once, as worker threads of this process and as
// child processes; ratio = (2·work / time(2)) ÷ (work / time(1)), time(2) from the first start
// to the last end. Executors are started, prepared and warmed before anything is timed and
// are kept for every round. Each round records the load average (1 min) and CPU pressure before
// it; a round whose load average is above 1.2 is printed but not valid, and the figures are
// the medians of the valid rounds. Per executor: wall, its thread's CPU and run-queue wait
// (/proc/thread-self/schedstat), its process's CPU (process.cpuUsage), and the machine's steal
// time over the measurement (/proc/stat): CPU ≈ wall and no wait means the executor had a CPU
// throughout, so a ratio under 2 then comes from the two CPUs slowing each other (shared core,
// memory, clock), not from other work.

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Figure, type Workload, cpuPressure, packageRoot } from './common.js';
import { type ExecReply, type ExecRequest, KERNELS, type KernelName, type KernelSetup, type RunReport } from './w-ceiling-kernels.js';

export type Mode = 'threads' | 'processes';
export const MODES: readonly Mode[] = ['threads', 'processes'];

export interface CeilingOptions {
  /** Rounds (5). */
  readonly rounds?: number;
  /** CPU seconds of one executor's work per kernel (0.25). */
  readonly targetS?: number;
  /** W-b analytic subjects per Engine.run() call (64). */
  readonly chunk?: number;
  /** MiB streamed by the memory-bound kernel (64). */
  readonly memMb?: number;
  /** A round is valid when the 1-min load average before it is at most this (1.2). */
  readonly maxLoad?: number;
  /** Where the per-round lines go (stderr). */
  readonly log?: (line: string) => void;
}

/** One timed run of a kernel in 1 or 2 executors at once. */
export interface Measurement {
  readonly executors: number;
  /** First start to last end, s. */
  readonly spanS: number;
  /** Latest start minus earliest start, ms (how far apart the executors began). */
  readonly skewMs: number;
  /** Per executor: its own wall, its thread's CPU, its thread's wait for a CPU, its process's CPU, s. */
  readonly wallS: readonly number[];
  readonly threadCpuS: readonly number[];
  readonly waitS: readonly number[];
  readonly processCpuS: readonly number[];
  /** Steal time of the whole machine over the measurement (/proc/stat, both vCPUs), s; NaN off Linux. */
  readonly stealS: number;
}

export interface Pair {
  readonly one: Measurement;
  readonly two: Measurement;
  /** (2·work / time(2)) ÷ (work / time(1)) = 2·span(1) / span(2). */
  readonly ratio: number;
  /** The same per thread-CPU second: 2·cpu(1) / (cpu(2a) + cpu(2b)); 1 when the two do not slow each other per CPU second. */
  readonly cpuRatio: number;
}

export interface Round {
  readonly round: number;
  readonly loadAverage: number;
  readonly cpuPressurePct: number | null;
  readonly valid: boolean;
  readonly pairs: Record<KernelName, Record<Mode, Pair>>;
}

export interface Summary {
  /** Median over the valid rounds (NaN when none was valid). */
  readonly ratio: number;
  readonly cpuRatio: number;
  /** Median over every round, valid or not. */
  readonly ratioAllRounds: number;
  readonly cpuRatioAllRounds: number;
  readonly ratioRange: readonly [number, number];
  /** Medians over every round: span with 1 and with 2 executors, s. */
  readonly oneS: number;
  readonly twoS: number;
}

export interface CeilingResult {
  readonly setup: KernelSetup & { readonly targetS: number; readonly maxLoad: number; readonly rounds: number };
  /** Work per executor: Engine.run() calls, logistic-map steps, passes over the array. */
  readonly work: Record<KernelName, number>;
  /** Thread CPU s of that work in the sizing run (one worker thread). */
  readonly sizingCpuS: Record<KernelName, number>;
  readonly rounds: readonly Round[];
  readonly validRounds: number;
  readonly summary: Record<KernelName, Record<Mode, Summary>>;
  readonly wallS: number;
}

// ---------------------------------------------------------------------------------------------
// executors

class Executor {
  #pending: { resolve: (m: ExecReply) => void; reject: (e: Error) => void } | undefined;
  #dead: Error | undefined;

  constructor(
    readonly mode: Mode,
    readonly post: (m: ExecRequest) => void,
    readonly stop: () => Promise<void>,
  ) {}

  request(m: ExecRequest): Promise<ExecReply> {
    if (this.#dead) return Promise.reject(this.#dead);
    if (this.#pending) return Promise.reject(new Error('W-ceiling: an executor got a request before answering the last'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.post(m);
    });
  }

  async run(kernel: KernelName, work: number): Promise<RunReport> {
    const r = await this.request({ t: 'run', kernel, work });
    if (r.t !== 'done') throw new Error(`W-ceiling: unexpected reply ${r.t}`);
    return r;
  }

  reply(m: ExecReply): void {
    const p = this.#pending;
    this.#pending = undefined;
    if (!p) return;
    if (m.t === 'error') p.reject(new Error(`W-ceiling ${this.mode} executor: ${m.message}`));
    else p.resolve(m);
  }

  fail(e: Error): void {
    this.#dead ??= e;
    const p = this.#pending;
    this.#pending = undefined;
    p?.reject(e);
  }
}

/** dist/bench/w-ceiling-child.js beside this module when it is built, else the build's (tests run the TypeScript). */
function childFile(): URL {
  const here = new URL('./w-ceiling-child.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = join(packageRoot(), 'dist', 'bench', 'w-ceiling-child.js');
  if (!existsSync(built)) throw new Error(`W-ceiling needs the build (npm run build): ${built} is missing`);
  return pathToFileURL(built);
}

function startThread(file: URL): Executor {
  const w = new Worker(file, { execArgv: [] });
  const ex: Executor = new Executor(
    'threads',
    (m) => w.postMessage(m),
    async () => {
      await w.terminate();
    },
  );
  w.on('message', (m: ExecReply) => ex.reply(m));
  w.on('error', (e) => ex.fail(e));
  w.on('exit', (code) => ex.fail(new Error(`W-ceiling worker thread exited (${code})`)));
  return ex;
}

function startProcess(file: URL): Executor {
  const c: ChildProcess = fork(fileURLToPath(file), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  const ex: Executor = new Executor(
    'processes',
    (m) => c.send(m),
    async () => {
      if (c.connected) c.send({ t: 'exit' } satisfies ExecRequest);
      const t = setTimeout(() => c.kill(), 5000);
      await exited;
      clearTimeout(t);
    },
  );
  c.on('message', (m) => ex.reply(m as ExecReply));
  c.on('error', (e) => ex.fail(e));
  c.on('exit', (code, sig) => ex.fail(new Error(`W-ceiling child process exited (${code ?? sig})`)));
  return ex;
}

// ---------------------------------------------------------------------------------------------
// measurement

/** Steal ticks of the whole machine so far (/proc/stat), s; NaN off Linux. */
function stealS(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/) ?? [];
    return Number(f[8]) / 100;
  } catch {
    return NaN;
  }
}

const s = (ns: number): number => ns / 1e9;

async function measure(execs: readonly Executor[], kernel: KernelName, work: number, checks: Map<KernelName, number>): Promise<Measurement> {
  const st0 = stealS();
  const rs = await Promise.all(execs.map((e) => e.run(kernel, work)));
  const st1 = stealS();
  for (const r of rs) {
    const want = checks.get(kernel);
    if (want === undefined) checks.set(kernel, r.check);
    else if (!Object.is(want, r.check)) throw new Error(`W-ceiling ${kernel}: the same work gave ${r.check} against ${want}`);
  }
  const start = Math.min(...rs.map((r) => r.startMs));
  const end = Math.max(...rs.map((r) => r.endMs));
  return {
    executors: execs.length,
    spanS: (end - start) / 1000,
    skewMs: Math.max(...rs.map((r) => r.startMs)) - start,
    wallS: rs.map((r) => (r.endMs - r.startMs) / 1000),
    threadCpuS: rs.map((r) => s(r.cpuNs)),
    waitS: rs.map((r) => s(r.waitNs)),
    processCpuS: rs.map((r) => r.procCpuUs / 1e6),
    stealS: st1 - st0,
  };
}

/** CPU s of a measurement's executors (their threads' schedstat, else their processes' cpuUsage). */
function cpuOf(m: Measurement): number[] {
  return m.threadCpuS.map((c, i) => (Number.isFinite(c) ? c : (m.processCpuS[i] as number)));
}

function pair(one: Measurement, two: Measurement): Pair {
  const c1 = cpuOf(one).reduce((a, b) => a + b, 0);
  const c2 = cpuOf(two).reduce((a, b) => a + b, 0);
  return { one, two, ratio: (2 * one.spanS) / two.spanS, cpuRatio: (2 * c1) / c2 };
}

/** Initial work of the sizing run (then scaled until it takes a quarter of targetS or more). */
const PILOT: Record<KernelName, number> = { wasm: 4, js: 1_000_000, mem: 1 };

async function size(ex: Executor, kernel: KernelName, targetS: number): Promise<{ work: number; cpuS: number }> {
  let work = PILOT[kernel];
  for (let i = 0; ; i++) {
    const r = await ex.run(kernel, work);
    const cpu = Number.isFinite(r.cpuNs) ? s(r.cpuNs) : r.procCpuUs / 1e6;
    const t = cpu > 0 ? cpu : (r.endMs - r.startMs) / 1000;
    if (t >= targetS / 4 || i >= 5) {
      const w = Math.max(1, Math.round((work * targetS) / Math.max(t, 1e-6)));
      return { work: w, cpuS: (t * w) / work };
    }
    work = Math.max(work * 2, Math.ceil((work * targetS) / 4 / Math.max(t, 1e-6)));
  }
}

function median(a: readonly number[]): number {
  const v = a.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}

const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);

function pairText(p: Pair): string {
  const c1 = cpuOf(p.one);
  const c2 = cpuOf(p.two);
  return (
    `×${f2(p.ratio)} (1: ${f3(p.one.spanS)} s, 2: ${f3(p.two.spanS)} s; thread CPU ${c1.map(f3).join('')} | ${c2.map(f3).join(' + ')} s, ` +
    `wait ${p.one.waitS.map(f3).join('')} | ${p.two.waitS.map(f3).join(' + ')} s, steal ${f2(p.one.stealS)} | ${f2(p.two.stealS)} s; per CPU-s ×${f2(p.cpuRatio)})`
  );
}

/** Measures the machine's 1 → 2 scaling (see the head of this file). */
export async function measureCeiling(o: CeilingOptions = {}): Promise<CeilingResult> {
  const rounds = o.rounds ?? 5;
  const targetS = o.targetS ?? 0.25;
  const maxLoad = o.maxLoad ?? 1.2;
  const setup: KernelSetup = { chunk: o.chunk ?? 64, memMb: o.memMb ?? 64 };
  // stderr: run.ts reads this process's stdout for its result (the first line after run.ts's "... ")
  let first = true;
  const log =
    o.log ??
    ((l: string) => {
      process.stderr.write(`${first ? '\n' : ''}${l}\n`);
      first = false;
    });
  const t0 = performance.now();
  const file = childFile();
  const execs: Record<Mode, Executor[]> = { threads: [], processes: [] };
  try {
    execs.threads.push(startThread(file), startThread(file));
    execs.processes.push(startProcess(file), startProcess(file));
    const all = [...execs.threads, ...execs.processes];
    const ready = await Promise.all(all.map((e) => e.request({ t: 'prep', setup })));
    for (const r of ready) if (r.t !== 'ready') throw new Error(`W-ceiling: an executor answered ${r.t} to prep`);

    const [sizer] = execs.threads as [Executor];
    const work = {} as Record<KernelName, number>;
    const sizingCpuS = {} as Record<KernelName, number>;
    for (const k of KERNELS) {
      const z = await size(sizer, k, targetS);
      work[k] = z.work;
      sizingCpuS[k] = z.cpuS;
    }
    log(
      `w-ceiling: work per executor: ${work.wasm} Engine.run() calls of ${setup.chunk} W-b subjects, ${work.js.toLocaleString('en-US')} logistic-map steps, ` +
        `${work.mem} passes over ${setup.memMb} MiB (~${f2(targetS)} CPU s each, sized on one worker thread: ${KERNELS.map((k) => f3(sizingCpuS[k])).join(' / ')} s)`,
    );

    const checks = new Map<KernelName, number>();
    const out: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      const loadAverage = loadavg()[0] ?? NaN;
      const cpuPressurePct = cpuPressure();
      const valid = loadAverage <= maxLoad;
      const pairs = {} as Record<KernelName, Record<Mode, Pair>>;
      // the order alternates from round to round, so that a drift in the machine's load falls on both sides
      const modes = r % 2 ? [...MODES].reverse() : MODES;
      for (const k of KERNELS) {
        const got: Partial<Record<Mode, Pair>> = {};
        for (const m of modes) {
          const [a, b] = execs[m] as [Executor, Executor];
          if (r % 2) {
            const two = await measure([a, b], k, work[k], checks);
            got[m] = pair(await measure([a], k, work[k], checks), two);
          } else {
            const one = await measure([a], k, work[k], checks);
            got[m] = pair(one, await measure([a, b], k, work[k], checks));
          }
        }
        pairs[k] = got as Record<Mode, Pair>;
      }
      out.push({ round: r + 1, loadAverage, cpuPressurePct, valid, pairs });
      log(
        `w-ceiling round ${r + 1}/${rounds}: load average ${f2(loadAverage)}${valid ? '' : ` > ${maxLoad}: NOT VALID`}, CPU pressure ${cpuPressurePct ?? 'n/a'} %\n` +
          KERNELS.flatMap((k) => MODES.map((m) => `  ${k} ${m}: ${pairText(pairs[k][m])}`)).join('\n'),
      );
    }

    const valid = out.filter((r) => r.valid);
    const summary = {} as Record<KernelName, Record<Mode, Summary>>;
    for (const k of KERNELS) {
      const byMode = {} as Record<Mode, Summary>;
      for (const m of MODES) {
        const ratios = out.map((r) => r.pairs[k][m].ratio);
        byMode[m] = {
          ratio: median(valid.map((r) => r.pairs[k][m].ratio)),
          cpuRatio: median(valid.map((r) => r.pairs[k][m].cpuRatio)),
          ratioAllRounds: median(ratios),
          cpuRatioAllRounds: median(out.map((r) => r.pairs[k][m].cpuRatio)),
          ratioRange: [Math.min(...ratios), Math.max(...ratios)],
          oneS: median(out.map((r) => r.pairs[k][m].one.spanS)),
          twoS: median(out.map((r) => r.pairs[k][m].two.spanS)),
        };
      }
      summary[k] = byMode;
    }
    return {
      setup: { ...setup, targetS, maxLoad, rounds },
      work,
      sizingCpuS,
      rounds: out,
      validRounds: valid.length,
      summary,
      wallS: (performance.now() - t0) / 1000,
    };
  } finally {
    await Promise.all([...execs.threads, ...execs.processes].map((e) => e.stop().catch(() => undefined)));
  }
}

// ---------------------------------------------------------------------------------------------
// the workload

const KERNEL_LABEL: Record<KernelName, string> = {
  wasm: 'WASM kernel (Engine.run(), W-b analytic, 64-subject chunk)',
  js: 'JavaScript float loop (logistic map)',
  mem: 'memory stream (64-MB Float64Array)',
};

export function ceilingFigures(c: CeilingResult): Figure[] {
  const loads = c.rounds.map((r) => r.loadAverage);
  const loadText = `load average before the rounds ${f2(Math.min(...loads))}–${f2(Math.max(...loads))}`;
  return KERNELS.flatMap((k) =>
    MODES.map((m): Figure => {
      const x = c.summary[k][m];
      const ok = c.validRounds > 0;
      const label = k === 'wasm' ? KERNEL_LABEL[k].replace('64', String(c.setup.chunk)) : k === 'mem' ? KERNEL_LABEL[k].replace('64', String(c.setup.memMb)) : KERNEL_LABEL[k];
      return {
        key: `wceiling.${k}.${m}.ratio`,
        label: `${label}, 1 → 2 ${m === 'threads' ? 'worker threads' : 'processes'}`,
        value: ok ? x.ratio : x.ratioAllRounds,
        unit: '×',
        note:
          (ok
            ? `median of ${c.validRounds} valid rounds of ${c.rounds.length} (${loadText}); `
            : `NO VALID ROUND (${loadText}, above ${c.setup.maxLoad}): the median of all ${c.rounds.length} rounds, not the machine's figure; `) +
          `all rounds ×${f2(x.ratioRange[0])}–×${f2(x.ratioRange[1])}; median time 1: ${f3(x.oneS)} s, 2: ${f3(x.twoS)} s; ` +
          `per thread-CPU second ×${f2(ok ? x.cpuRatio : x.cpuRatioAllRounds)}`,
      };
    }),
  );
}

export const wceiling: Workload = {
  id: 'w-ceiling',
  title: "W-ceiling the machine's own 1 → 2 scaling (WASM, JS and memory-bound loops; threads and processes)",
  // a process of its own: no heap, pool or helper threads of another workload beside it
  isolated: true,
  async run() {
    const c = await measureCeiling();
    return {
      id: 'w-ceiling',
      title: this.title,
      figures: ceilingFigures(c),
      details: {
        setup: c.setup,
        work: c.work,
        sizing_cpu_s: c.sizingCpuS,
        valid_rounds: c.validRounds,
        summary: c.summary,
        rounds: c.rounds,
        wall_s: c.wallS,
      },
    };
  },
};
