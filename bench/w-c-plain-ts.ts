// W-c — the analytic algorithms in plain TypeScript against the WASM kernels, on workload W-b (the
// same 100,000 subjects, the same shared event table, chunks of 10,000), both measured in this run:
//   per-subject algorithm: simulateBatch() (assembly/driver.ts) vs its port bench/plain/linear-ts.ts;
//   population fast path:  simulateShared() (what Engine.run() picks for W-b) vs bench/plain/shared-ts.ts.
// Every output of every subject must agree with WASM to 1e-12 relative before anything is timed.
// Timed on process CPU time, one thread: each side runs the kernel over all 100,000 subjects; the
// WASM side copies each chunk's inputs into its memory (RawKernel/RawShared load(), < 1 % of the
// call) and leaves outputs in place; the TS side writes into a reused output buffer.

import { engine } from '../src/engine/load.js';
import { type BatchInput, type SharedPlan, sharedPlan } from '../src/engine/wasm.js';
import { simulateBatchPlain } from './plain/linear-ts.js';
import { simulateSharedPlain } from './plain/shared-ts.js';
import { RawKernel, RawShared } from './raw.js';
import { Chunker, type Figure, type RunContext, type Workload, must, relErr, timeTasks } from './common.js';
import { CHUNK, N_ANALYTIC, population } from './w-b-batch.js';

export const TARGET_WASM_OVER_TS = 3;
const TOL = 1e-12;

interface Diff {
  worst: number;
  at: number;
}

function compare(a: Float64Array, b: Float64Array, base: number, d: Diff): void {
  if (a.length !== b.length) throw new Error(`W-c: output lengths differ (${a.length} vs ${b.length})`);
  for (let i = 0; i < a.length; i++) {
    const x = relErr(a[i] as number, b[i] as number);
    if (!(x <= d.worst)) {
      d.worst = x;
      d.at = base + i;
    }
  }
}

export const wc: Workload = {
  id: 'w-c',
  title: 'W-c same analytic algorithms in plain TypeScript vs WASM (W-b, 100,000 subjects, one thread)',
  async run(_ctx: RunContext) {
    const pop = population();
    const eng = engine();
    const ch = new Chunker(pop, 'analytic');
    const jobs: BatchInput[] = [];
    const plans: SharedPlan[] = [];
    for (let from = 0; from < N_ANALYTIC; from += CHUNK) {
      const job = ch.job(from, Math.min(N_ANALYTIC, from + CHUNK));
      const plan = sharedPlan(job);
      if (!plan) throw new Error('W-c: the W-b chunk does not qualify for the population fast path');
      jobs.push(job);
      plans.push(plan);
    }
    const rawB = new RawKernel();
    const rawS = new RawShared();

    // correctness: every output of every subject, chunk by chunk
    const dBatch: Diff = { worst: 0, at: -1 }; // TS port of simulateBatch vs WASM simulateBatch
    const dShared: Diff = { worst: 0, at: -1 }; // TS port of simulateShared vs WASM simulateShared
    const dEngine: Diff = { worst: 0, at: -1 }; // WASM simulateShared (raw) vs Engine.run
    const dPaths: Diff = { worst: 0, at: -1 }; // WASM simulateShared vs WASM simulateBatch
    let compared = 0;
    jobs.forEach((job, c) => {
      const plan = plans[c] as SharedPlan;
      const base = c * CHUNK * pop.nOut;
      rawB.load(job);
      const fb = rawB.call();
      const wb = rawB.obs().slice();
      rawS.load(job, plan);
      const fs = rawS.call();
      const ws = rawS.obs().slice();
      const e = eng.run(job);
      const pb = simulateBatchPlain(job);
      const ps = simulateSharedPlain(job, plan);
      if (fb || fs || e.failed || pb.failed || ps.failed)
        throw new Error(`W-c: failures in chunk ${c} (wasm batch ${fb}, wasm shared ${fs}, Engine.run ${e.failed}, ts batch ${pb.failed}, ts shared ${ps.failed})`);
      compare(wb, pb.obs, base, dBatch);
      compare(ws, ps.obs, base, dShared);
      compare(ws, e.obs, base, dEngine);
      compare(ws, wb, base, dPaths);
      compared += wb.length;
    });
    for (const [what, d] of [
      ['TS port of simulateBatch differs from WASM simulateBatch', dBatch],
      ['TS port of simulateShared differs from WASM simulateShared', dShared],
    ] as const) {
      if (!(d.worst <= TOL)) {
        const s = Math.floor(d.at / pop.nOut);
        throw new Error(
          `W-c: ${what} by ${d.worst.toExponential(2)} (> ${TOL}) at subject ${s} ` +
            `(CL ${pop.cl[s]}, V ${pop.v[s]}, KA ${pop.ka[s]}), row ${d.at % pop.nOut}`,
        );
      }
    }
    if (dEngine.worst !== 0) throw new Error(`W-c: the raw simulateShared harness differs from Engine.run() by ${dEngine.worst.toExponential(2)}; it is not timing the path Engine.run takes`);

    const buf = new Float64Array(CHUNK * pop.nOut);
    const t = timeTasks(
      [
        [
          'wasm batch',
          () => {
            let f = 0;
            for (const job of jobs) {
              rawB.load(job);
              f += rawB.call();
            }
            return f;
          },
        ],
        [
          'ts batch',
          () => {
            let f = 0;
            for (const job of jobs) f += simulateBatchPlain(job, buf).failed;
            return f;
          },
        ],
        [
          'wasm shared',
          () => {
            let f = 0;
            jobs.forEach((job, c) => {
              rawS.load(job, plans[c] as SharedPlan);
              f += rawS.call();
            });
            return f;
          },
        ],
        [
          'ts shared',
          () => {
            let f = 0;
            jobs.forEach((job, c) => (f += simulateSharedPlain(job, plans[c] as SharedPlan, buf).failed));
            return f;
          },
        ],
        ['engine run', () => ch.runAll(eng, N_ANALYTIC, CHUNK)],
      ],
      { iterations: 3, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
    );
    const twb = must(t.get('wasm batch'), 'timing');
    const ttb = must(t.get('ts batch'), 'timing');
    const tws = must(t.get('wasm shared'), 'timing');
    const tts = must(t.get('ts shared'), 'timing');
    const ter = must(t.get('engine run'), 'timing');
    const rate = (ms: number): number => N_ANALYTIC / (ms / 1000);
    const n = N_ANALYTIC.toLocaleString('en-US');
    const figures: Figure[] = [
      { key: 'wc.batch.ts.subjects_per_s', label: `per-subject algorithm, plain TS port, ${n} subjects`, value: rate(ttb.medianMs), unit: 'subject-profiles/s' },
      { key: 'wc.batch.wasm.subjects_per_s', label: `per-subject algorithm, WASM simulateBatch(), ${n} subjects`, value: rate(twb.medianMs), unit: 'subject-profiles/s' },
      {
        key: 'wc.ratio.kernel_wasm_over_ts',
        label: 'WASM / plain TS, per-subject algorithm (simulateBatch vs port)',
        value: ttb.medianMs / twb.medianMs,
        unit: '×',
        target: { min: TARGET_WASM_OVER_TS, text: '≥ 3×' },
      },
      { key: 'wc.shared.ts.subjects_per_s', label: `population fast path, plain TS port, ${n} subjects`, value: rate(tts.medianMs), unit: 'subject-profiles/s' },
      { key: 'wc.shared.wasm.subjects_per_s', label: `population fast path, WASM simulateShared(), ${n} subjects`, value: rate(tws.medianMs), unit: 'subject-profiles/s' },
      {
        key: 'wc.ratio.shared_wasm_over_ts',
        label: 'WASM / plain TS, population fast path (simulateShared vs port)',
        value: tts.medianMs / tws.medianMs,
        unit: '×',
        target: { min: TARGET_WASM_OVER_TS, text: '≥ 3×' },
      },
      {
        key: 'wc.engine.subjects_per_s',
        label: `WASM Engine.run() (fast path + copies in/out), ${n} subjects`,
        value: rate(ter.medianMs),
        unit: 'subject-profiles/s',
        note: `plain-TS fast path is ${(ttb.medianMs / tts.medianMs).toFixed(2)}× the plain-TS per-subject port; WASM fast path ${(twb.medianMs / tws.medianMs).toFixed(2)}× WASM simulateBatch`,
      },
    ];
    return {
      id: 'w-c',
      title: this.title,
      figures,
      details: {
        n: N_ANALYTIC,
        chunk: CHUNK,
        outputs_compared: compared,
        tolerance: TOL,
        max_rel_diff: {
          ts_batch_vs_wasm_batch: dBatch.worst,
          ts_shared_vs_wasm_shared: dShared.worst,
          wasm_shared_raw_vs_engine_run: dEngine.worst,
          wasm_shared_vs_wasm_batch: dPaths.worst,
        },
        shared_plan: { distinct_dt: Array.from(plans[0]?.dts ?? []), rows_per_subject: plans[0]?.nRows },
        timings_ms: { wasm_batch: twb, ts_batch: ttb, wasm_shared: tws, ts_shared: tts, engine_run: ter },
        ns_per_subject: {
          wasm_batch: (twb.medianMs * 1e6) / N_ANALYTIC,
          ts_batch: (ttb.medianMs * 1e6) / N_ANALYTIC,
          wasm_shared: (tws.medianMs * 1e6) / N_ANALYTIC,
          ts_shared: (tts.medianMs * 1e6) / N_ANALYTIC,
          engine_run: (ter.medianMs * 1e6) / N_ANALYTIC,
        },
      },
    };
  },
};
