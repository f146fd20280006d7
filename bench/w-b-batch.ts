// W-b — population batch: one-compartment oral, 500 mg q12h for 14 days, hourly observations
// (337 per subject), log-normal IIV on CL, V, KA. One thread. The event table is compiled once and
// shared by every subject; each subject has its own kernel parameter set; Engine.run() is called
// on chunks of subjects (one WASM call each).

import { engine } from '../src/engine/load.js';
import { simulate } from '../src/engine/simulate.js';
import type { Engine } from '../src/engine/wasm.js';
import { RawKernel } from './raw.js';
import {
  Chunker,
  type Figure,
  type MethodName,
  type Population,
  type RunContext,
  type Timing,
  type Workload,
  WB,
  cpuNowMs,
  must,
  relErr,
  timeTasks,
  wbPopulation,
} from './common.js';

export const N_ANALYTIC = 100_000;
/** Largest ODE population; the run picks N so that one pass takes about ODE_PASS_S (≥ 2,000). */
export const N_ODE_MAX = 20_000;
const ODE_PASS_S = 2.5;
/**
 * Subjects per Engine.run() call. Chunks of 1,000 (2.7 MB of profiles) copied into one reused
 * buffer: a fresh 27 MB array per 10,000-subject call cost more in page faults and collection
 * than the analytic kernel (259,000–291,000 /s against 570,000 /s, bench notes in the README).
 */
export const CHUNK = 1_000;

export const TARGET_ANALYTIC = 500_000;
export const TARGET_ODE = 50_000;

let cachedPop: Population | undefined;
/** The W-b population (N_ANALYTIC subjects, seed WB.seed); W-c uses the same subjects. */
export function population(): Population {
  cachedPop ??= wbPopulation(N_ANALYTIC);
  return cachedPop;
}

/** C(24 h) of the typical subject through the batch path (shared table, hand-filled kernel set). */
export function typicalC24(pop: Population, eng: Engine, method: MethodName): number {
  const c = new Chunker(pop, method);
  const out = eng.run(c.job(0, 1, pop.typical));
  if (out.failed) throw new Error(`typical subject failed (${method})`);
  return must(out.obs[pop.row24], 'C(24)');
}

export function checkTypical(pop: Population, eng: Engine): Record<string, number> {
  const res: Record<string, number> = {};
  for (const m of ['analytic', 'dopri5'] as const) {
    const batch = typicalC24(pop, eng, m);
    const viaSimulate = must(simulate(pop.model, pop.records, { method: m, amounts: false, rtol: WB.rtol, atol: WB.atol }).ipred[pop.row24], 'C(24)');
    for (const [what, c] of [['batch', batch], ['simulate', viaSimulate]] as const) {
      const rel = relErr(c, WB.check24);
      if (!(rel <= 1e-8)) throw new Error(`W-b check failed (${m}, ${what}): C(24) = ${c}, expected ${WB.check24} (rel. error ${rel.toExponential(2)} > 1e-8)`);
    }
    res[`${m}_c24`] = batch;
    res[`${m}_c24_rel_err`] = relErr(batch, WB.check24);
  }
  return res;
}

/** Subject-profiles per second from a timing of `n` subjects. */
const rate = (n: number, t: Timing): number => n / (t.medianMs / 1000);

export const wb: Workload = {
  id: 'w-b',
  title: 'W-b population batch (1-cmt oral, 337 obs, IIV), one thread',
  async run(ctx: RunContext) {
    const pop = population();
    const eng = engine();
    const check = checkTypical(pop, eng);

    const ca = new Chunker(pop, 'analytic');
    const cd = new Chunker(pop, 'dopri5');
    // every subject must succeed before anything is timed; the ODE pilot also sizes the ODE run
    ca.runAll(eng, N_ANALYTIC, CHUNK);
    const pilotN = 1_000;
    const c0 = cpuNowMs();
    cd.runAll(eng, pilotN, CHUNK);
    const pilotRate = pilotN / Math.max(1e-3, (cpuNowMs() - c0) / 1000);
    const nOde = Math.max(2_000, Math.min(N_ODE_MAX, Math.round((ODE_PASS_S * pilotRate) / 1_000) * 1_000));
    cd.runAll(eng, nOde, CHUNK);

    const t = timeTasks(
      [
        ['analytic', () => ca.runAll(eng, N_ANALYTIC, CHUNK)],
        ['dopri5', () => cd.runAll(eng, nOde, CHUNK)],
      ],
      { iterations: 3, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
    );
    const ta = must(t.get('analytic'), 'analytic timing');
    const td = must(t.get('dopri5'), 'dopri5 timing');

    // profile: the kernel call alone on one chunk already in WASM memory (no copies, no allocation)
    const raw = new RawKernel();
    raw.load(ca.job(0, CHUNK));
    const runOut = new Float64Array(CHUNK * pop.nOut);
    const odeChunk = 1_000;
    const rawOde = new RawKernel();
    rawOde.load(cd.job(0, odeChunk));
    const tk = timeTasks(
      [
        ['analytic kernel only', () => raw.call()],
        ['analytic Engine.run', () => eng.run(ca.job(0, CHUNK), runOut)],
        ['dopri5 kernel only', () => rawOde.call()],
      ],
      { iterations: 5, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
    );
    const tka = must(tk.get('analytic kernel only'), 'kernel timing');
    const tkr = must(tk.get('analytic Engine.run'), 'run timing');
    const tkd = must(tk.get('dopri5 kernel only'), 'kernel timing');

    const analyticRate = rate(N_ANALYTIC, ta);
    const odeRate = rate(nOde, td);
    ctx.set('wb.analytic.s_per_subject', 1 / analyticRate);
    ctx.set('wb.dopri5.s_per_subject', 1 / odeRate);
    ctx.set('wb.analytic.wall_s_per_subject', ta.wallMedianMs / 1000 / N_ANALYTIC);
    ctx.set('wb.dopri5.wall_s_per_subject', td.wallMedianMs / 1000 / nOde);
    const figures: Figure[] = [
      {
        key: 'wb.analytic.subjects_per_s',
        label: `analytic, ${N_ANALYTIC.toLocaleString('en-US')} subjects`,
        value: analyticRate,
        unit: 'subject-profiles/s',
        target: { min: TARGET_ANALYTIC, text: '≥ 500,000/s' },
      },
      {
        key: 'wb.dopri5.subjects_per_s',
        label: `dopri5 (rtol 1e-8, atol 1e-10), ${nOde.toLocaleString('en-US')} subjects`,
        value: odeRate,
        unit: 'subject-profiles/s',
        target: { min: TARGET_ODE, text: '≥ 50,000/s' },
      },
      {
        key: 'wb.analytic.kernel_only.subjects_per_s',
        label: `analytic, simulateBatch() alone (${CHUNK.toLocaleString('en-US')}-subject chunk in memory)`,
        value: rate(CHUNK, tka),
        unit: 'subject-profiles/s',
        note:
          `Engine.run() on the same chunk: ${Math.round(rate(CHUNK, tkr)).toLocaleString('en-US')}/s ` +
          `(${((tkr.medianMs * 1e6) / CHUNK).toFixed(0)} vs ${((tka.medianMs * 1e6) / CHUNK).toFixed(0)} ns/subject; ` +
          'Engine.run adds layout and copies, and may route W-b to another kernel)',
      },
      {
        key: 'wb.dopri5.kernel_only.subjects_per_s',
        label: `dopri5, simulateBatch() alone (${odeChunk.toLocaleString('en-US')}-subject chunk)`,
        value: rate(odeChunk, tkd),
        unit: 'subject-profiles/s',
      },
    ];
    return {
      id: 'w-b',
      title: this.title,
      figures,
      details: {
        n_analytic: N_ANALYTIC,
        n_ode: nOde,
        chunk: CHUNK,
        seed: WB.seed,
        events_per_subject: pop.events.n,
        output_rows_per_subject: pop.nOut,
        check: check,
        timings_ms: {
          analytic_population: ta,
          dopri5_population: td,
          analytic_chunk_kernel_only: tka,
          analytic_chunk_engine_run: tkr,
          dopri5_chunk_kernel_only: tkd,
        },
        ns_per_subject: {
          analytic: (ta.medianMs * 1e6) / N_ANALYTIC,
          analytic_kernel_only: (tka.medianMs * 1e6) / CHUNK,
          analytic_engine_run_chunk: (tkr.medianMs * 1e6) / CHUNK,
          dopri5: (td.medianMs * 1e6) / nOde,
          dopri5_kernel_only: (tkd.medianMs * 1e6) / odeChunk,
        },
      },
    };
  },
};
