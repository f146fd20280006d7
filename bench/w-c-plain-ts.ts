// W-c — the analytic algorithm in plain TypeScript (bench/plain/linear-ts.ts) against the WASM
// kernel, on workload W-b (the same 100,000 subjects, the same shared event table and chunks).
// Outputs must agree with WASM to 1e-12 relative before anything is timed.

import { engine } from '../src/engine/load.js';
import { simulateBatchPlain } from './plain/linear-ts.js';
import { RawKernel } from './raw.js';
import { Chunker, type Figure, type RunContext, type Workload, must, relErr, timeTasks } from './common.js';
import { CHUNK, N_ANALYTIC, population } from './w-b-batch.js';

export const TARGET_WASM_OVER_TS = 3;
const TOL = 1e-12;

export const wc: Workload = {
  id: 'w-c',
  title: 'W-c same analytic algorithm in plain TypeScript vs WASM (W-b subjects)',
  async run(_ctx: RunContext) {
    const pop = population();
    const eng = engine();
    const ch = new Chunker(pop, 'analytic');

    // correctness: every output of every subject, chunk by chunk
    let worst = 0;
    let worstAt = -1;
    let compared = 0;
    for (let from = 0; from < N_ANALYTIC; from += CHUNK) {
      const to = Math.min(N_ANALYTIC, from + CHUNK);
      const job = ch.job(from, to);
      const w = eng.run(job);
      const p = simulateBatchPlain(job);
      if (w.failed || p.failed) throw new Error(`W-c: failures (wasm ${w.failed}, ts ${p.failed})`);
      for (let i = 0; i < w.obs.length; i++) {
        const d = relErr(w.obs[i] as number, p.obs[i] as number);
        if (!(d <= worst)) {
          worst = d;
          worstAt = from * pop.nOut + i;
        }
      }
      compared += w.obs.length;
    }
    if (!(worst <= TOL)) {
      const s = Math.floor(worstAt / pop.nOut);
      throw new Error(
        `W-c: plain TS differs from WASM by ${worst.toExponential(2)} (> ${TOL}) at subject ${s} ` +
          `(CL ${pop.cl[s]}, V ${pop.v[s]}, KA ${pop.ka[s]}), row ${worstAt % pop.nOut}`,
      );
    }

    const runPlain = (): number => {
      let sink = 0;
      for (let from = 0; from < N_ANALYTIC; from += CHUNK) {
        const out = simulateBatchPlain(ch.job(from, Math.min(N_ANALYTIC, from + CHUNK)));
        sink += out.obs[out.obs.length - 1] as number;
      }
      return sink;
    };
    // kernel against kernel: one chunk, no copies on either side (TS reuses its output buffer)
    const raw = new RawKernel();
    const chunkJob = ch.job(0, CHUNK);
    raw.load(chunkJob);
    const buf = new Float64Array(chunkJob.nOut);
    const t = timeTasks(
      [
        ['wasm population', () => ch.runAll(eng, N_ANALYTIC, CHUNK)],
        ['ts population', runPlain],
        ['wasm chunk kernel', () => raw.call()],
        ['ts chunk kernel', () => simulateBatchPlain(chunkJob, buf)],
      ],
      { iterations: 3, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
    );
    const tw = must(t.get('wasm population'), 'timing');
    const tt = must(t.get('ts population'), 'timing');
    const twk = must(t.get('wasm chunk kernel'), 'timing');
    const ttk = must(t.get('ts chunk kernel'), 'timing');
    const figures: Figure[] = [
      { key: 'wc.ts.subjects_per_s', label: 'plain TS, W-b population', value: N_ANALYTIC / (tt.medianMs / 1000), unit: 'subject-profiles/s' },
      { key: 'wc.wasm.subjects_per_s', label: 'WASM (Engine.run), W-b population', value: N_ANALYTIC / (tw.medianMs / 1000), unit: 'subject-profiles/s' },
      {
        key: 'wc.ratio.wasm_over_ts',
        label: 'speed-up WASM / plain TS (Engine.run vs TS)',
        value: tt.medianMs / tw.medianMs,
        unit: '×',
        target: { min: TARGET_WASM_OVER_TS, text: '≥ 3×' },
      },
      {
        key: 'wc.ratio.kernel_wasm_over_ts',
        label: 'speed-up WASM / plain TS, kernels only (one chunk, no copies)',
        value: ttk.medianMs / twk.medianMs,
        unit: '×',
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
        max_rel_diff_ts_vs_wasm: worst,
        tolerance: TOL,
        timings_ms: { wasm_population: tw, ts_population: tt, wasm_chunk_kernel: twk, ts_chunk_kernel: ttk },
      },
    };
  },
};
