// W-map — MAP Bayesian estimation for one patient of the W-a two-compartment infusion model
// (IIV ω² 0.1 on CL and V1, 10 % proportional error; 1000 mg 1-h infusions at 0, 12, 24, 36 h;
// 4 concentrations). Figures: median time per estimation on one core (with the Laplace covariance)
// and the η against mapbayr's; 10,000 simulated patients (η from Ω, residual error, the same four
// sampling times) through the worker pool with 1 and 2 workers; a forecast of four more doses with
// a 1,000-draw credible band on an hourly 48-h grid.

import { availableParallelism } from 'node:os';
import { defineModel } from '../src/model/model.js';
import { recordFromItems } from '../src/regimen/nmtran.js';
import type { DataRecord } from '../src/regimen/record.js';
import { regimen } from '../src/regimen/builder.js';
import { engine } from '../src/engine/load.js';
import { nodePool } from '../src/pool/node.js';
import { seedKey } from '../src/population/study.js';
import { estimate } from '../src/bayes/estimate.js';
import { mapObjective } from '../src/bayes/objective.js';
import { forecast } from '../src/bayes/forecast.js';
import { type CohortResult, cohortTasks, estimateCohort, estimateWorkerFile, type EstimateTask } from '../src/bayes/task.js';
import { type CpuSplit, type Figure, type RunContext, type Workload, cpuNowMs, cpuSplit, must, splitText, threadCpu, timeTasks } from './common.js';

export const WMAP_MODEL = {
  dosewise: 2,
  name: 'W-map',
  structure: { kind: 'linear', compartments: 2, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: 6, V2: 50 },
  omega: { etas: ['ETA_CL', 'ETA_V1'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
} as const;

const DOSES = [0, 12, 24, 36];
const SAMPLES: readonly (readonly [number, number])[] = [
  [1.5, 27.57698],
  [11.5, 3.437169],
  [25, 38.494925],
  [47.5, 7.016984],
];
const MAPBAYR_ETA = [0.307654, -0.221371] as const;
const N_POOL = 10_000;
const CHUNK = 250;
const SEED = 'w-map';

function patientRecords(id: number, dv: readonly number[]): DataRecord[] {
  const rows: Record<string, number>[] = [
    ...DOSES.map((t) => ({ TIME: t, EVID: 1, AMT: 1000, RATE: 1000, DV: NaN, MDV: 1 })),
    ...SAMPLES.map(([t], k) => ({ TIME: t, EVID: 0, AMT: 0, RATE: 0, DV: dv[k] as number, MDV: 0 })),
  ].sort((a, b) => (a.TIME as number) - (b.TIME as number));
  return rows.map((r, i) => recordFromItems({ ID: id, ...r }, i + 1));
}

/** n patients: η ~ N(0, Ω) and DV = f·(1 + 0.1 ε) from the counter-based generator (seeded). */
export function simulatedPatients(n: number): DataRecord[][] {
  const model = defineModel(WMAP_MODEL);
  const eng = engine();
  const key = seedKey(SEED);
  const z = eng.random(key, 0, n, 1, 2, true);
  const eps = eng.random(key, 0, n, 2, SAMPLES.length, true);
  const template = patientRecords(1, SAMPLES.map(() => 1));
  const obj = mapObjective(model, template);
  const xs = z.map((v) => v * Math.sqrt(0.1));
  const sim = obj.simulate(xs, n);
  const obsRows = template.map((r, i) => [r, i] as const).filter(([r]) => r.EVID === 0).map(([, i]) => i);
  return Array.from({ length: n }, (_, p) =>
    patientRecords(p + 1, obsRows.map((row, k) => (sim.obs[p * template.length + row] as number) * (1 + 0.1 * (eps[p * SAMPLES.length + k] as number)))),
  );
}

export const wmap: Workload = {
  id: 'w-map',
  title: 'W-map MAP estimation (2-cmt infusion, 4 concentrations), pool and forecast',
  async run(_ctx: RunContext) {
    const model = defineModel(WMAP_MODEL);
    const records = patientRecords(1, SAMPLES.map(([, c]) => c));
    const fit = estimate(model, records);
    if (!fit.converged) throw new Error(`W-map: the estimate did not converge (${fit.message})`);
    const dEta = Math.max(...MAPBAYR_ETA.map((e, i) => Math.abs(e - (fit.eta[i] as number))));
    if (!(dEta < 1e-3)) throw new Error(`W-map: η (${fit.eta.join(', ')}) differs from mapbayr's by ${dEta}`);

    const future = regimen().dose({ time: 48, amt: 1000, dur: 1, addl: 3, ii: 12 }).observe({ grid: { from: 48, to: 96, step: 1 } }).records();
    const fOpts = { draws: 1000, seed: 1, metrics: ['auc24', 'cmax', 'trough'] };
    const fc = forecast(model, records, fit, future, fOpts);
    const t = timeTasks(
      [
        ['estimate', () => estimate(model, records)],
        ['estimate without covariance', () => estimate(model, records, { covariance: false })],
        ['estimate, local optimizer alone', () => estimate(model, records, { global: false, report: false })],
        ['forecast 1000 draws', () => forecast(model, records, fit, future, fOpts)],
        ['forecast 1000 draws SIR', () => forecast(model, records, fit, future, { ...fOpts, sir: true })],
      ],
      { iterations: 300, timeMs: 1000, warmupIterations: 30, warmupTimeMs: 200 },
    );
    const tEst = must(t.get('estimate'), 'estimate timing');
    const tEstNoCov = must(t.get('estimate without covariance'), 'estimate timing');
    const tEstLocal = must(t.get('estimate, local optimizer alone'), 'estimate timing');
    const tFc = must(t.get('forecast 1000 draws'), 'forecast timing');
    const tFcSir = must(t.get('forecast 1000 draws SIR'), 'forecast timing');

    // 10,000 patients through the pool (wall clock; pool started and warmed before timing)
    const patients = simulatedPatients(N_POOL);
    const pool: Record<number, { rate: number; wallS: number; cpuS: number; converged: number; threads: CpuSplit }> = {};
    // the same cohort again on the same pool, whose workers have now compiled the estimation code
    // (a long-lived pool, as a service or the browser tool keeps): what remains once JIT warm-up is paid
    const warm: Record<number, { rate: number; wallS: number; threads: CpuSplit }> = {};
    const cores = availableParallelism();
    let reference: Float64Array | undefined;
    let bytesPerPatient = NaN;
    for (const workers of [1, 2]) {
      const p = nodePool<EstimateTask>(estimateWorkerFile(), workers);
      try {
        await estimateCohort(WMAP_MODEL, patients.slice(0, 4 * workers * 10), { pool: p, chunkSize: 10 });
        const th0 = threadCpu();
        const c0 = cpuNowMs();
        const t0 = performance.now();
        const r = await estimateCohort(WMAP_MODEL, patients, { pool: p, chunkSize: CHUNK });
        const wallS = (performance.now() - t0) / 1000;
        const cpuS = (cpuNowMs() - c0) / 1000;
        const threads = cpuSplit(th0, threadCpu(), workers);
        let converged = 0;
        for (const c of r.converged) converged += c;
        if (reference) {
          for (let i = 0; i < r.eta.length; i++) if (r.eta[i] !== reference[i]) throw new Error(`W-map pool: η of patient ${i >> 1} differs between 1 and ${workers} workers`);
        } else {
          reference = r.eta;
          bytesPerPatient = transferBytes(patients, r);
        }
        pool[workers] = { rate: N_POOL / wallS, wallS, cpuS, converged, threads };
        const thw = threadCpu();
        const tw = performance.now();
        const rw = await estimateCohort(WMAP_MODEL, patients, { pool: p, chunkSize: CHUNK });
        const wallW = (performance.now() - tw) / 1000;
        for (let i = 0; i < rw.eta.length; i++) if (rw.eta[i] !== r.eta[i]) throw new Error(`W-map pool: η of patient ${i >> 1} differs between a cold and a warm pool`);
        warm[workers] = { rate: N_POOL / wallW, wallS: wallW, threads: cpuSplit(thw, threadCpu(), workers) };
      } finally {
        await p.close();
      }
    }
    const p1 = must(pool[1], 'pool 1');
    const p2 = must(pool[2], 'pool 2');
    const w1 = must(warm[1], 'warm pool 1');
    const w2 = must(warm[2], 'warm pool 2');
    const amdahl = scalingModel(p1.threads, p2.threads, bytesPerPatient);

    const figures: Figure[] = [
      {
        key: 'wmap.estimate_ms',
        label: 'MAP estimate, median per patient (with Laplace covariance), one core',
        value: tEst.medianMs,
        unit: 'ms',
        note: `without covariance ${tEstNoCov.medianMs.toFixed(3)} ms; local optimizer alone (global: false, no report; the estimate before the global search) ${tEstLocal.medianMs.toFixed(3)} ms; ${fit.convergence?.startPoints} start points, ${fit.convergence?.localRuns} extra local runs; η = (${fit.eta.map((e) => e.toFixed(6)).join(', ')}) vs mapbayr (${MAPBAYR_ETA.join(', ')}), max |Δη| ${dEta.toExponential(1)}; ${fit.iterations} BFGS iterations, ${fit.evaluations} objective evaluations`,
      },
      {
        key: 'wmap.estimates_per_s',
        label: 'MAP estimates per second, one core (1 / median)',
        value: 1000 / tEst.medianMs,
        unit: 'patients/s',
        target: { min: 500, text: '≥ 500/s (< 2 ms each)' },
      },
      {
        key: 'wmap.pool1.patients_per_s',
        label: `${N_POOL.toLocaleString('en-US')} simulated patients, pool of 1 worker`,
        value: p1.rate,
        unit: 'patients/s',
        note: `wall ${p1.wallS.toFixed(2)} s; ${p1.converged}/${N_POOL} converged; ${splitText(p1.threads)}`,
      },
      {
        key: 'wmap.pool2.patients_per_s',
        label: `${N_POOL.toLocaleString('en-US')} simulated patients, pool of 2 workers`,
        value: p2.rate,
        unit: 'patients/s',
        note: `wall ${p2.wallS.toFixed(2)} s; speed-up ×${(p2.rate / p1.rate).toFixed(2)} over 1 worker (${cores} CPUs available); identical η; ${splitText(p2.threads)}`,
      },
      {
        key: 'wmap.pool.warm_scaling',
        label: `${N_POOL.toLocaleString('en-US')} patients again on the same pool (workers warm: the first cohort compiled their code), 1 → 2 workers`,
        value: w2.rate / w1.rate,
        unit: '×',
        target: { min: 1.85, text: '≥ 1.85×' },
        note: `${Math.round(w1.rate).toLocaleString('en-US')} / ${Math.round(w2.rate).toLocaleString('en-US')} patients/s; 1 worker: ${splitText(w1.threads)}; 2 workers: ${splitText(w2.threads)}`,
      },
      {
        key: 'wmap.pool.predicted_speedup',
        label: 'MAP cohort: predicted speed-up at 8 / 16 / 64 cores (scaling model from the 1- and 2-worker runs)',
        value: amdahl.at(64),
        unit: '× at 64',
        note: `serial share ${(100 * amdahl.serial).toFixed(1)} % (main thread, and ${amdahl.perWorker.toFixed(2)} s of V8 helper CPU per extra worker); ×${amdahl.at(8).toFixed(1)} / ×${amdahl.at(16).toFixed(1)} / ×${amdahl.at(64).toFixed(1)}; ${Math.round(amdahl.bytesPerPatient)} bytes per patient to and from a worker`,
      },
      {
        key: 'wmap.forecast_ms',
        label: 'forecast, 1,000-draw credible band, 49 hourly times + 3 metrics',
        value: tFc.medianMs,
        unit: 'ms',
        note: `with SIR (5,000 proposals): ${tFcSir.medianMs.toFixed(2)} ms; trough MAP ${fc.metrics.trough?.mode.toFixed(3)} mg/L, 90 % interval ${fc.metrics.trough?.lower.toFixed(3)}–${fc.metrics.trough?.upper.toFixed(3)}`,
      },
      {
        key: 'wmap.forecasts_per_s',
        label: 'forecasts per second (1 / median)',
        value: 1000 / tFc.medianMs,
        unit: 'forecasts/s',
        target: { min: 100, text: '≥ 100/s (< 10 ms each)' },
      },
    ];
    return {
      id: 'w-map',
      title: this.title,
      figures,
      details: {
        eta: fit.eta,
        mapbayr_eta: MAPBAYR_ETA,
        max_abs_eta_diff: dEta,
        ofv: fit.ofv,
        iterations: fit.iterations,
        evaluations: fit.evaluations,
        pool: { patients: N_POOL, chunk: CHUNK, seed: SEED, cpus: cores, workers: pool, warm, amdahl: { serial_share: amdahl.serial, helper_cpu_per_extra_worker_s: amdahl.perWorker, predicted: { 8: amdahl.at(8), 16: amdahl.at(16), 64: amdahl.at(64) }, bytes_per_patient: amdahl.bytesPerPatient } },
        forecast: { draws: 1000, times: fc.times.length, metrics: fc.metrics },
        timings_ms: { estimate: tEst, estimate_without_covariance: tEstNoCov, estimate_local_only: tEstLocal, forecast: tFc, forecast_sir: tFcSir },
      },
    };
  },
};




/**
 * A scaling model from the 1- and 2-worker runs, in CPU seconds: the main thread's time is serial
 * (it builds tasks and merges results), the worker threads' time divides among N cores, and the
 * helper threads' time (V8's JIT compiler and GC threads) has a part that grows with the number of
 * workers — each worker's isolate compiles and collects on its own — which does not divide:
 *   T(N) = main + (workers + helpers₀) / N + f,  f = helpers(2) − helpers(1),  S(N) = T(1) / T(N).
 * `serial` is the share of T(1) that no number of cores removes (main + f).
 */
function scalingModel(one: CpuSplit, two: CpuSplit, bytesPerPatient: number): { serial: number; at: (n: number) => number; bytesPerPatient: number; perWorker: number } {
  const work = one.workers.reduce((a, b) => a + b, 0);
  const f = Math.max(0, two.helpers - one.helpers);
  const p = work + one.helpers - f;
  const t = (n: number): number => one.main + p / n + f;
  return { serial: (one.main + f) / t(1), at: (n) => t(1) / t(n), bytesPerPatient, perWorker: f };
}

/** Bytes that cross to and from a worker per patient: its task table cells and its packed estimates. */
function transferBytes(patients: readonly (readonly DataRecord[])[], r: CohortResult): number {
  const task = cohortTasks(WMAP_MODEL, patients, patients.length)[0];
  const sent = task ? task.rows.byteLength + task.starts.byteLength : 0;
  const back = [r.eta, r.parameters, r.ofv, r.converged, r.iterations, r.ipred].reduce((a, x) => a + x.byteLength, 0);
  return (sent + back) / Math.max(1, r.count);
}
