// W-band — dose banding of 1,000,000 virtual subjects into 4 bands with 2 workers (issue 5 target:
// < 5 s, population + optimizer). The population is examples/fixed-dose (one-compartment IV, CL ∝
// eGFR, lognormal eGFR and η on CL): 1-h infusions every 24 h at steady state, concentrations
// hourly over the interval, AUC24 window 400–600 mg·h/L, banding by eGFR over 8 doses
// (1000–4500 mg). The optimizer searches every cut between distinct eGFR values (≈ 10⁶ candidates,
// exact). Figures: total wall time (pool already started), its parts, process CPU time, and the
// optimizer alone (median of 5 runs on the same subjects).

import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regimen } from '../src/regimen/builder.js';
import { defaultPool } from '../src/population/study.js';
import { bandPopulation, populationExposure } from '../src/design/banding/banding-population.js';
import { optimizeBandingIntervals } from '../src/design/banding/banding.js';
import { type Figure, type RunContext, type Workload, cpuNowMs, maybeGc, packageRoot } from './common.js';

const N = 1_000_000;
const WORKERS = 2;
const BANDS = 4;
const DOSES = [1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500];
const TARGET = 'auc24:400:600';

export const wband: Workload = {
  id: 'w-band',
  title: 'W-band dose banding, 1,000,000 virtual subjects into 4 bands, 2 workers',
  async run(_ctx: RunContext) {
    const dir = join(packageRoot(), 'examples', 'fixed-dose');
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as unknown;
    const covariates = JSON.parse(readFileSync(join(dir, 'covariates.json'), 'utf8')) as unknown;
    const records = regimen().dose({ time: 0, amt: 2000, cmt: 1, dur: 1, ii: 24, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 1 } }).records();
    const o = { model, covariates, regimen: records, target: TARGET, by: 'EGFR', bands: BANDS, doses: DOSES, seed: 'w-band', chunkSize: 25_000 };

    const p0 = performance.now();
    const pool = defaultPool(WORKERS);
    try {
      // start the workers (thread start, WASM compile) before timing
      await populationExposure({ ...o, n: 2 * WORKERS * 1000, chunkSize: 1000, pool });
      const poolS = (performance.now() - p0) / 1000;
      maybeGc();
      const load0 = loadavg()[0] ?? 0;
      const c0 = cpuNowMs();
      const t0 = performance.now();
      const r = await bandPopulation({ ...o, n: N, pool });
      const wallS = (performance.now() - t0) / 1000;
      const cpuS = (cpuNowMs() - c0) / 1000;
      if (!r.feasible) throw new Error(`W-band: ${r.message}`);
      if (r.overall.n !== N) throw new Error(`W-band: ${r.overall.n} subjects banded, expected ${N}`);

      // the optimizer alone, on the same subjects
      const pe = await populationExposure({ ...o, n: N, pool });
      const runs: { wall: number; cpu: number }[] = [];
      for (let i = 0; i < 5; i++) {
        maybeGc();
        const ci = cpuNowMs();
        const ti = performance.now();
        const ri = optimizeBandingIntervals({ by: pe.by, doseLo: pe.doseLo, doseHi: pe.doseHi, bands: BANDS, doses: DOSES });
        runs.push({ wall: (performance.now() - ti) / 1000, cpu: (cpuNowMs() - ci) / 1000 });
        if (ri.overall.in !== r.overall.in) throw new Error('W-band: the optimizer gave a different optimum on the same subjects');
      }
      const med = (k: 'wall' | 'cpu') => [...runs].sort((a, b) => a[k] - b[k])[2]?.[k] ?? NaN;

      // the same study on a pool of one worker (started and warmed the same way): the 1 → 2 ratio
      const pool1 = defaultPool(1);
      let one: Awaited<ReturnType<typeof bandPopulation>>;
      let oneWallS: number;
      try {
        await populationExposure({ ...o, n: 2 * 1000, chunkSize: 1000, pool: pool1 });
        maybeGc();
        const t1 = performance.now();
        one = await bandPopulation({ ...o, n: N, pool: pool1 });
        oneWallS = (performance.now() - t1) / 1000;
      } finally {
        await pool1.close();
      }
      if (one.overall.in !== r.overall.in) throw new Error('W-band: one worker banded the population differently from two');
      const load1 = loadavg()[0] ?? 0;
      const bands = r.bands.map((b) => `${b.from === null ? '' : b.from.toFixed(1)}–${b.to === null ? '' : b.to.toFixed(1)}: ${b.dose} mg`).join('; ');
      const figures: Figure[] = [
        {
          key: 'wband.subjects_per_s',
          label: `${N.toLocaleString('en-US')} subjects into ${BANDS} bands, population + optimizer, ${WORKERS} workers`,
          value: N / wallS,
          unit: 'subjects/s',
          target: { min: N / 5, text: `≥ ${(N / 5).toLocaleString('en-US')}/s (< 5 s in all)` },
          note: `wall ${wallS.toFixed(2)} s = population ${r.population.seconds.toFixed(2)} s + optimizer ${r.optimizerSeconds.toFixed(2)} s (+ ${(wallS - r.population.seconds - r.optimizerSeconds).toFixed(2)} s set-up); process CPU ${cpuS.toFixed(2)} s; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${availableParallelism()} CPUs; pool start ${poolS.toFixed(2)} s (not timed)`,
        },
        { key: 'wband.total_s', label: 'total wall time (population + optimizer)', value: wallS, unit: 's' },
        {
          key: 'wband.population_scaling',
          label: `population part, 1 → 2 workers (${N.toLocaleString('en-US')} subjects, AUC24 + subject table)`,
          value: one.population.seconds / r.population.seconds,
          unit: '×',
          target: { min: 1.85, text: '≥ 1.85×' },
          note: `${one.population.seconds.toFixed(2)} s → ${r.population.seconds.toFixed(2)} s; the whole study (with the optimizer, serial on the main thread) ${oneWallS.toFixed(2)} s → ${wallS.toFixed(2)} s, ×${(oneWallS / wallS).toFixed(2)}; same bands`,
        },
        { key: 'wband.population_s', label: `population (${N.toLocaleString('en-US')} subjects, AUC24 + subject table)`, value: r.population.seconds, unit: 's' },
        {
          key: 'wband.optimizer_s',
          label: `optimizer alone, median of 5 (${r.candidates.cuts.toLocaleString('en-US')} candidate cuts, ${DOSES.length} doses, K = ${BANDS})`,
          value: med('wall'),
          unit: 's',
          note: `CPU ${med('cpu').toFixed(3)} s; banded in window ${(100 * r.overall.fracIn).toFixed(1)} % vs best fixed dose ${r.fixed.dose} mg ${(100 * r.fixed.fracIn).toFixed(1)} %; bands ${bands}`,
        },
      ];
      return {
        id: 'w-band',
        title: this.title,
        figures,
        details: {
          n: N,
          workers: WORKERS,
          bands: r.bands,
          overall: r.overall,
          fixed: r.fixed,
          candidates: r.candidates,
          wall_s: wallS,
          cpu_s: cpuS,
          population_s: r.population.seconds,
          optimizer_s: r.optimizerSeconds,
          optimizer_runs: runs,
          pool_start_s: poolS,
          one_worker: { wall_s: oneWallS, population_s: one.population.seconds },
          load_average: [load0, load1],
          target: TARGET,
          doses: DOSES,
        },
      };
    } finally {
      await pool.close();
    }
  },
};
