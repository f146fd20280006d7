// W-e — the issue-3 population benchmark: W-b subjects (examples/wb-population.model.json and
// examples/wb-regimen.json; summaries only: metric auc24, no table, no profiles) through runStudy()
// on the Piscina worker pool, each measurement in a fresh child process (bench/w-e-child.ts), so
// that wall time includes pool start-up as for `dosewise population`, and peak RSS (getrusage
// maxRSS: main thread + worker threads) is that run's own.
//   scaling: 1,000,000 subjects with 1 and with 2 workers, alternated, REPS runs each (medians);
//   memory:  peak RSS at 100,000 vs 1,000,000 subjects (2 workers; highest of the runs);
//   ODE:     the 2-compartment oral variant (bench/models/w-e-2cmt-oral.model.json, dopri5 at the
//            W-b tolerances) with 2 workers; 100,000 subjects, or fewer when a pilot says that would
//            take longer than ODE_BUDGET_S (the 100,000-subject time is then extrapolated).
//            The same model as a model text (bench/models/w-e-2cmt-oral.model) under 'auto', which
//            propagates it exactly: the same subjects against dopri5's summary, then 10^6 subjects.
//   MM:      a non-linear population (Michaelis–Menten oral, bench/models/mm-oral-population.model.json),
//            N_MM subjects with 2 workers under 'auto' and DOP853; 10^6 subjects extrapolated.
// Wall times are what the targets are about; process CPU time and per-thread CPU time are recorded
// beside them (the machine may be shared), with the load average at each run.

import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Figure, type RunContext, type Workload, packageRoot } from './common.js';
import type { ChildConfig, ChildResult } from './w-e-child.js';

export const N_BIG = 1_000_000;
export const N_SMALL = 100_000;
export const N_ODE = 100_000;
const REPS = 3;
/** Longest ODE run (s, wall); beyond it fewer subjects are run and the 100,000 time extrapolated. */
const ODE_BUDGET_S = 20;
const ODE_PILOT_N = 2_000;
const ODE_CHUNK = 1_000;
const SEED = 'W-e';

export const TARGET_SCALING = 1.8;
export const TARGET_RATE_2W = 300_000;
/** ODE populations with 2 workers (2-cmt oral). */
export const TARGET_ODE_2W = 30_000;
/** A Michaelis–Menten oral population of 10^6 subjects with 2 workers (s). */
export const TARGET_MM_1M_S = 300;
const N_MM = 20_000;
/** "Flat": peak RSS at 10^6 subjects within 10 % of that at 10^5. */
export const TARGET_RSS_GROWTH = 1.1;

function runChild(cfg: ChildConfig): ChildResult {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'w-e-child.js');
  const out = execFileSync(process.execPath, [child, JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out.trim().split('\n').pop() ?? '';
  const r = JSON.parse(line) as ChildResult;
  if (r.failed > 0) throw new Error(`W-e: ${r.failed} of ${r.count} subjects failed (${JSON.stringify(cfg)})`);
  if (r.count !== cfg.n) throw new Error(`W-e: ran ${r.count} subjects, asked for ${cfg.n}`);
  return r;
}

function median(a: readonly number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** CPU seconds of the run split into worker threads (the `workers` busiest non-main threads), main thread, and the rest (V8/libuv helpers). */
function cpuSplit(r: ChildResult): { total: number; workers: number[]; main: number; other: number } {
  const total = r.cpuUserS + r.cpuSysS;
  const nonMain = r.threads.filter((t) => t.tid !== r.mainTid);
  const workers = nonMain.slice(0, r.config.workers).map((t) => t.cpuS);
  const main = r.threads.find((t) => t.tid === r.mainTid)?.cpuS ?? NaN;
  const other = nonMain.slice(r.config.workers).reduce((a, t) => a + t.cpuS, 0);
  return { total, workers, main, other };
}

/**
 * Wall time the run could not have beaten on 2 free cores: its busiest thread, or all its CPU
 * time spread over both cores (whichever is longer). Used for a contention-free scaling estimate.
 */
function cpuBound(r: ChildResult): number {
  const c = cpuSplit(r);
  return Math.max(c.total / 2, ...c.workers, c.main);
}

const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
const load1 = (r: ChildResult): number => r.loadBefore[0] ?? NaN;

/** Load average and CPU pressure over a set of runs, as text. */
function contention(rs: readonly ChildResult[]): string {
  const range = (xs: number[], d: (x: number) => string): string => (xs.length ? `${d(Math.min(...xs))}–${d(Math.max(...xs))}` : 'n/a');
  const loads = rs.map(load1);
  const psi = rs.flatMap((r) => [r.pressureBefore, r.pressureAfter]).filter((x): x is number => x !== null);
  return `1-min load average ${range(loads, f1)} on ${cpus().length} CPUs, CPU pressure (PSI some avg10) ${range(psi, (x) => x.toFixed(0))} %`;
}

function describe(r: ChildResult): Record<string, unknown> {
  const c = cpuSplit(r);
  return {
    n: r.count,
    workers: r.config.workers,
    wall_s: r.wallS,
    pool_close_s: r.closeS,
    subjects_per_s: r.count / r.wallS,
    cpu_s: { total: c.total, user: r.cpuUserS, sys: r.cpuSysS, worker_threads: c.workers, main_thread: c.main, other_threads: c.other },
    max_rss_mib: r.maxRssKiB / 1024,
    rss_before_pool_mib: r.rssBeforeKiB / 1024,
    load_average_before: r.loadBefore,
    load_average_after: r.loadAfter,
    cpu_pressure_some_avg10_pct: [r.pressureBefore, r.pressureAfter],
    summary_auc24: r.summary,
  };
}

export const we: Workload = {
  id: 'w-e',
  title: 'W-e population study (issue 3): W-b via runStudy, worker pool, summaries only',
  async run(_ctx: RunContext) {
    const root = packageRoot();
    const wbModel = join(root, 'examples', 'wb-population.model.json');
    const regimen = join(root, 'examples', 'wb-regimen.json');
    const odeModel = join(root, 'bench', 'models', 'w-e-2cmt-oral.model.json');
    const base = { model: wbModel, regimen, seed: SEED };

    // scaling: 1,000,000 subjects, 1 and 2 workers alternated
    const runs: Record<1 | 2, ChildResult[]> = { 1: [], 2: [] };
    for (let i = 0; i < REPS; i++) for (const w of [1, 2] as const) runs[w].push(runChild({ ...base, n: N_BIG, workers: w }));
    // same seed, same population: the summary must not depend on the number of workers
    const ref = runs[1][0]?.summary;
    for (const r of [...runs[1], ...runs[2]])
      if (r.summary.mean !== ref?.mean || r.summary.p50 !== ref?.p50 || r.summary.n !== N_BIG)
        throw new Error(`W-e: summaries differ between runs (${JSON.stringify(r.summary)} vs ${JSON.stringify(ref)})`);
    const wall1 = median(runs[1].map((r) => r.wallS));
    const wall2 = median(runs[2].map((r) => r.wallS));
    const cpu1 = median(runs[1].map((r) => cpuSplit(r).total));
    const cpu2 = median(runs[2].map((r) => cpuSplit(r).total));
    const bound1 = median(runs[1].map(cpuBound));
    const bound2 = median(runs[2].map(cpuBound));
    const workerCpu1 = median(runs[1].map((r) => cpuSplit(r).workers.reduce((a, b) => a + b, 0)));
    const workerCpu2 = median(runs[2].map((r) => cpuSplit(r).workers.reduce((a, b) => a + b, 0)));
    const mainCpu2 = median(runs[2].map((r) => cpuSplit(r).main));
    const otherCpu2 = median(runs[2].map((r) => cpuSplit(r).other));
    const loadText = contention([...runs[1], ...runs[2]]);

    // memory: 100,000 subjects (2 workers) against the 1,000,000-subject runs above
    const small = [runChild({ ...base, n: N_SMALL, workers: 2 }), runChild({ ...base, n: N_SMALL, workers: 2 })];
    const rssSmall = Math.max(...small.map((r) => r.maxRssKiB)) / 1024;
    const rssBig = Math.max(...runs[2].map((r) => r.maxRssKiB)) / 1024;
    const rssBig1 = Math.max(...runs[1].map((r) => r.maxRssKiB)) / 1024;

    // ODE variant: a pilot sizes the run
    const odeBase = { model: odeModel, regimen, seed: SEED, workers: 2, method: 'dopri5' as const, rtol: 1e-8, atol: 1e-10 };
    const pilot = runChild({ ...odeBase, n: ODE_PILOT_N, chunkSize: ODE_PILOT_N / 8 });
    const pilotRate = ODE_PILOT_N / pilot.wallS;
    const nOde = Math.min(N_ODE, Math.max(4_000, Math.floor((pilotRate * ODE_BUDGET_S) / 1_000) * 1_000));
    const ode = runChild({ ...odeBase, n: nOde, chunkSize: ODE_CHUNK });
    const odeRate = nOde / ode.wallS;
    const odeCpu = cpuSplit(ode);
    const odeWorkerCpu = odeCpu.workers.reduce((a, b) => a + b, 0);
    const extrapolated = nOde < N_ODE;
    // the same model written as a model text: linear in its compartments, so 'auto' propagates it
    // exactly (no steps); the same nOde subjects against dopri5's summary, then 10^6 subjects
    const odeText = join(root, 'bench', 'models', 'w-e-2cmt-oral.model');
    const textSame = runChild({ model: odeText, regimen, seed: SEED, workers: 2, n: nOde, chunkSize: ODE_CHUNK });
    const textVsOde = Math.abs((textSame.summary.mean ?? NaN) - (ode.summary.mean ?? NaN)) / Math.abs(ode.summary.mean ?? NaN);
    if (!(textVsOde <= 1e-7)) throw new Error(`W-e: the 2-cmt oral text (exact) and dopri5 disagree on mean AUC by ${textVsOde} (relative)`);
    const textBig = runChild({ model: odeText, regimen, seed: SEED, workers: 2, n: N_BIG });
    const textRate = N_BIG / textBig.wallS;
    // a non-linear population: Michaelis–Menten oral (bench/models/mm-oral-population.model.json),
    // 'auto' (Dormand–Prince) and DOP853, 2 workers; 10^6 subjects extrapolated from N_MM
    const mmModel = join(root, 'bench', 'models', 'mm-oral-population.model.json');
    const mm = (method: 'auto' | 'dop853') => runChild({ model: mmModel, regimen, seed: SEED, workers: 2, n: N_MM, method, chunkSize: ODE_CHUNK });
    const mmAuto = mm('auto');
    const mmDop853 = mm('dop853');
    const mmDiff = Math.abs((mmAuto.summary.mean ?? NaN) - (mmDop853.summary.mean ?? NaN)) / Math.abs(mmAuto.summary.mean ?? NaN);
    if (!(mmDiff <= 1e-6)) throw new Error(`W-e: Michaelis–Menten mean AUC differs between auto and dop853 by ${mmDiff} (relative)`);
    const mmFigure = (r: ChildResult, method: string): Figure => ({
      key: `we.mm.${method}.wall_1m_s`,
      label: `Michaelis–Menten oral population (${method}), 1,000,000 subjects, 2 workers: wall time (extrapolated from ${N_MM.toLocaleString('en-US')})`,
      value: (N_BIG / N_MM) * r.wallS,
      unit: 's',
      target: { max: TARGET_MM_1M_S, text: '< 5 min' },
      note: `${Math.round(N_MM / r.wallS).toLocaleString('en-US')} subjects/s (wall ${f1(r.wallS)} s, pool start-up included); process CPU ${f1(cpuSplit(r).total)} s; ${contention([r])}; mean AUC24 auto vs dop853 within ${mmDiff.toExponential(1)} (relative)`,
    });

    const big = N_BIG.toLocaleString('en-US');
    const figures: Figure[] = [
      {
        key: 'we.w1.wall_s',
        label: `${big} subjects, 1 worker: wall time`,
        value: wall1,
        unit: 's',
        note: `median of ${REPS}; process CPU ${f2(cpu1)} s (worker thread ${f2(workerCpu1)} s); ${loadText}`,
      },
      {
        key: 'we.w2.wall_s',
        label: `${big} subjects, 2 workers: wall time`,
        value: wall2,
        unit: 's',
        note: `median of ${REPS}; process CPU ${f2(cpu2)} s (worker threads ${f2(workerCpu2)} s, main thread ${f2(mainCpu2)} s, V8/libuv helpers ${f2(otherCpu2)} s); ${loadText}`,
      },
      { key: 'we.w1.subjects_per_s', label: `${big} subjects, 1 worker`, value: N_BIG / wall1, unit: 'subjects/s' },
      {
        key: 'we.w2.subjects_per_s',
        label: `${big} subjects, 2 workers`,
        value: N_BIG / wall2,
        unit: 'subjects/s',
        target: { min: TARGET_RATE_2W, text: '≥ 300,000/s' },
      },
      {
        key: 'we.scaling',
        label: 'scaling 1 → 2 workers (wall time ratio)',
        value: wall1 / wall2,
        unit: '×',
        target: { min: TARGET_SCALING, text: '≥ 1.8×' },
        note:
          `CPU-time estimate for 2 idle cores: ${f2(bound1 / bound2)}× (each run's wall floor = max(busiest thread, process CPU / 2): ` +
          `${f2(bound1)} s vs ${f2(bound2)} s); ${loadText}`,
      },
      { key: 'we.rss.small_mib', label: `peak RSS, ${N_SMALL.toLocaleString('en-US')} subjects (2 workers)`, value: rssSmall, unit: 'MiB' },
      {
        key: 'we.rss.big_mib',
        label: `peak RSS, ${big} subjects (2 workers)`,
        value: rssBig,
        unit: 'MiB',
        note: `1 worker: ${f1(rssBig1)} MiB; process before the pool starts: ${f1((runs[2][0]?.rssBeforeKiB ?? NaN) / 1024)} MiB`,
      },
      {
        key: 'we.rss.growth',
        label: `peak RSS growth ${N_SMALL.toLocaleString('en-US')} → ${big} subjects`,
        value: rssBig / rssSmall,
        unit: '×',
        target: { max: TARGET_RSS_GROWTH, text: '≤ 1.1× (flat)' },
        note: `+${f1(rssBig - rssSmall)} MiB for ${(N_BIG - N_SMALL).toLocaleString('en-US')} more subjects`,
      },
      {
        key: 'we.ode.subjects_per_s',
        label: `2-cmt oral ODE (dopri5), ${nOde.toLocaleString('en-US')} subjects, 2 workers`,
        value: odeRate,
        unit: 'subjects/s',
        note:
          `wall ${f1(ode.wallS)} s; process CPU ${f1(odeCpu.total)} s (worker threads ${f1(odeWorkerCpu)} s: ` +
          `${Math.round(nOde / odeWorkerCpu).toLocaleString('en-US')} subjects per worker-CPU-second); ${contention([ode])}` +
          (extrapolated ? `; ${nOde.toLocaleString('en-US')} run instead of ${N_ODE.toLocaleString('en-US')} (pilot: ${Math.round(pilotRate)}/s; > ${ODE_BUDGET_S} s budget)` : ''),
      },
      {
        key: 'we.ode.wall_100k_s',
        label: `2-cmt oral ODE, ${N_ODE.toLocaleString('en-US')} subjects, 2 workers: wall time${extrapolated ? ' (extrapolated)' : ''}`,
        value: extrapolated ? N_ODE / odeRate : ode.wallS,
        unit: 's',
        note:
          (extrapolated ? `${N_ODE.toLocaleString('en-US')} / ${Math.round(odeRate)} subjects/s measured on ${nOde.toLocaleString('en-US')}; ` : '') +
          `on 2 idle cores at the measured worker-CPU rate: ~${f1(N_ODE / (2 * (nOde / odeWorkerCpu)))} s`,
      },
      {
        key: 'we.ode_text.subjects_per_s',
        label: `2-cmt oral ODE as a model text, auto (exact propagation: linear in its compartments), ${big} subjects, 2 workers`,
        value: textRate,
        unit: 'subjects/s',
        target: { min: TARGET_ODE_2W, text: '≥ 30,000/s' },
        note:
          `wall ${f1(textBig.wallS)} s; process CPU ${f1(cpuSplit(textBig).total)} s; ${contention([textBig])}; ` +
          `mean AUC over the ${nOde.toLocaleString('en-US')} subjects of the dopri5 run within ${textVsOde.toExponential(1)} (relative) of dopri5's`,
      },
      mmFigure(mmAuto, 'auto'),
      mmFigure(mmDop853, 'dop853'),
    ];
    return {
      id: 'w-e',
      title: this.title,
      figures,
      details: {
        seed: SEED,
        model: 'examples/wb-population.model.json',
        regimen: 'examples/wb-regimen.json',
        metric: 'auc24',
        chunk_size: 10_000,
        clock: 'wall time from pool creation to the last chunk folded (runStudy); CPU times from process.cpuUsage() and /proc/self/task/*/stat',
        scaling_runs: { workers_1: runs[1].map(describe), workers_2: runs[2].map(describe) },
        medians: { wall_s_1: wall1, wall_s_2: wall2, cpu_s_1: cpu1, cpu_s_2: cpu2, worker_cpu_s_1: workerCpu1, worker_cpu_s_2: workerCpu2, cpu_bound_s_1: bound1, cpu_bound_s_2: bound2 },
        memory_runs_small: small.map(describe),
        ode: {
          model: 'bench/models/w-e-2cmt-oral.model.json',
          method: 'dopri5',
          rtol: 1e-8,
          atol: 1e-10,
          chunk_size: ODE_CHUNK,
          pilot: describe(pilot),
          run: describe(ode),
          n_run: nOde,
          extrapolated_to: extrapolated ? N_ODE : null,
        },
        mm_oral: { model: 'bench/models/mm-oral-population.model.json', n: N_MM, auto: describe(mmAuto), dop853: describe(mmDop853), mean_auc_rel_diff: mmDiff },
        ode_text: {
          model: 'bench/models/w-e-2cmt-oral.model',
          method: 'auto (exact propagation)',
          same_subjects_as_dopri5: describe(textSame),
          mean_auc_rel_diff_vs_dopri5: textVsOde,
          run: describe(textBig),
        },
      },
    };
  },
};
