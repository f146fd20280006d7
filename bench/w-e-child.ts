// One W-e measurement in a process of its own (so that its peak RSS is its own): builds the
// population plan the way `dosewise population` does (src/cli/population.ts: readRegimen,
// parseMetric, seedKey; summaries only, no table, no profiles), runs runStudy() on a worker pool,
// and prints one JSON line: wall time, process CPU time (all threads), CPU time per thread
// (/proc/self/task, read before the pool closes), peak RSS (getrusage maxRSS, all threads), load
// average and CPU pressure before and after, and the summary for cross-checks.
// Usage: node dist/bench/w-e-child.js '{"model":"...","regimen":"...","n":1000000,"workers":2,"seed":"W-e"}'

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { readRegimen } from '../src/regimen/file.js';
import { compileModel } from '../src/engine/model-text.js';
import { parseMetric } from '../src/population/metrics.js';
import { defaultPool, runStudy, seedKey } from '../src/population/study.js';
import type { PopulationPlan } from '../src/population/plan.js';
import type { SolverMethod } from '../src/model/model.js';
import { type ThreadCpu, cpuPressure, threadCpu } from './common.js';

export type { ThreadCpu };

export interface ChildConfig {
  readonly model: string;
  readonly regimen: string;
  readonly n: number;
  readonly workers: number;
  readonly seed: string;
  readonly chunkSize?: number;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
}

export interface ChildResult {
  readonly config: ChildConfig;
  readonly count: number;
  readonly failed: number;
  /** Pool start to last chunk folded (what `dosewise population` reports as its time, plus pool start-up). */
  readonly wallS: number;
  /** Pool shutdown after the study. */
  readonly closeS: number;
  /** Process CPU time over wallS, all threads. */
  readonly cpuUserS: number;
  readonly cpuSysS: number;
  /** CPU time per thread at the end of the study (before the pool closed), from process start. */
  readonly threads: readonly ThreadCpu[];
  readonly mainTid: number;
  /** Peak resident set size of the process (main thread + workers), KiB. */
  readonly maxRssKiB: number;
  /** RSS of the process before the pool started, KiB. */
  readonly rssBeforeKiB: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  /** CPU pressure (PSI some avg10, %) before and after: how much other work competed. */
  readonly pressureBefore: number | null;
  readonly pressureAfter: number | null;
  readonly summary: { readonly mean: number | null; readonly p50: number | null; readonly n: number };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  // plan: as src/cli/population.ts builds it
  // a model text is compiled (or taken from the kernel cache) before the clock starts, as the CLI does
  const model = cfg.model.endsWith('.model')
    ? (await compileModel(readFileSync(cfg.model, 'utf8'), { file: cfg.model, tier: 'compiled' })).file
    : (JSON.parse(readFileSync(cfg.model, 'utf8')) as unknown);
  const records = readRegimen(readFileSync(cfg.regimen, 'utf8'), cfg.regimen);
  const end = Math.max(...records.map((r) => r.TIME));
  const doses = records.filter((r) => r.EVID === 1 || r.EVID === 4);
  const last = doses[doses.length - 1];
  const lastDose = last ? last.TIME + last.ADDL * last.II : 0;
  const tau = last?.II ?? 0;
  const plan: PopulationPlan = {
    model,
    regimen: records.map((r) => r.items),
    key: seedKey(cfg.seed),
    metrics: [parseMetric('auc24', { end, tau, lastDose })],
    table: false,
    profiles: false,
    method: cfg.method,
    rtol: cfg.rtol,
    atol: cfg.atol,
  };
  const rssBeforeKiB = Math.round(process.memoryUsage.rss() / 1024);
  const loadBefore = loadavg();
  const pressureBefore = cpuPressure();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const pool = defaultPool(cfg.workers);
  let closeS = 0;
  const { r, wallS, cpu, threads } = await (async () => {
    try {
      const r = await runStudy(plan, { n: cfg.n, workers: cfg.workers, chunkSize: cfg.chunkSize, pool });
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      return { r, wallS, cpu, threads: threadCpu() };
    } finally {
      const tc = performance.now();
      await pool.close();
      closeS = (performance.now() - tc) / 1000;
    }
  })();
  const rep = r.aggregates.auc24?.report();
  const res: ChildResult = {
    config: cfg,
    count: r.count,
    failed: r.failed,
    wallS,
    closeS,
    cpuUserS: cpu.user / 1e6,
    cpuSysS: cpu.system / 1e6,
    threads,
    mainTid: process.pid,
    maxRssKiB: process.resourceUsage().maxRSS,
    rssBeforeKiB,
    loadBefore,
    loadAfter: loadavg(),
    pressureBefore,
    pressureAfter: cpuPressure(),
    summary: { mean: rep?.mean ?? null, p50: rep?.p50 ?? null, n: rep?.n ?? 0 },
  };
  process.stdout.write(`${JSON.stringify(res)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
