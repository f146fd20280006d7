// Probability of target attainment over a virtual population (examples/fixed-dose: CL ∝ eGFR,
// lognormal eGFR and η, so AUC24 = Dose/CL is lognormal and the PTA has a closed form): Monte Carlo
// error reported and bounded, determinism for a seed, a ranking stable under reseeding, strata,
// plot data, and an explicit "no feasible regimen".

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pta, regimenDose, type PtaResult } from '../../../src/design/pta/pta.js';
import { parseStrata, stratumLabels, stratumOf, mcSe } from '../../../src/design/pta/attainment.js';
import { regimen } from '../../../src/regimen/builder.js';
import { normalCdf } from '../../../src/stats/normal.js';

const dir = 'examples/fixed-dose/';
const json = (f: string) => JSON.parse(readFileSync(dir + f, 'utf8'));
const model = json('model.json');
const covariates = json('covariates.json');
const daily = (amt: number) => ({
  name: `${amt} mg q24h`,
  records: regimen().dose({ time: 0, amt, cmt: 1, dur: 1, ii: 24, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.25 } }).records(),
});
const sigma = Math.sqrt(0.35 ** 2 + 0.04);
/** P(400 ≤ Dose/CL ≤ 600) with ln CL ~ N(ln 4, σ²). */
const closedForm = (dose: number) => {
  const mu = Math.log(dose / 4);
  return normalCdf((Math.log(600) - mu) / sigma) - normalCdf((Math.log(400) - mu) / sigma);
};

describe('probability of target attainment', () => {
  it('PTA = closed form within 4 Monte Carlo SE, and the SE reported is √(p(1−p)/n)', async () => {
    const n = 20_000;
    const r = await pta({ model, covariates, regimens: [daily(2000), daily(1000)], target: 'auc24:400:600', n, seed: 1, workers: 0, chunkSize: 5000 });
    for (const g of r.regimens) {
      const p = closedForm(g.dose);
      expect(g.overall.n).toBe(n);
      expect(g.overall.se).toBeCloseTo(Math.sqrt((g.overall.pta * (1 - g.overall.pta)) / n), 15);
      expect(Math.abs(g.overall.pta - p)).toBeLessThan(4 * mcSe(p, n));
      expect(g.overall.attained + g.overall.below + g.overall.above).toBe(n);
    }
    expect(closedForm(2000)).toBeCloseTo(0.3845, 3); // examples/fixed-dose/README.md
    expect(r.best).toBe('2000 mg q24h');
    expect(r.margin).toBeGreaterThan(4);
  });

  it('one subject against one is never "separated": the margin uses an adjusted paired table, never a zero SE', async () => {
    const r = await pta({ model, covariates, regimens: [daily(2000), daily(4500)], target: 'auc24:0:1e9', n: 1, seed: 1, workers: 0 });
    // both attain (100 % ± 0): the plain SEs would make the margin 0/0, and 1 against 0 would be ∞
    expect(r.regimens.every((g) => g.overall.pta === 1 && g.overall.se === 0)).toBe(true);
    expect(r.margin).toBe(0);
    const one = await pta({ model, covariates, regimens: [daily(2000), daily(1)], target: 'auc24:100:1e9', n: 1, seed: 1, workers: 0 });
    expect(one.regimens.map((g) => g.overall.pta)).toEqual([1, 0]);
    // the same subject under both regimens: Agresti–Min's table (0.5 added to each cell, n + 2 = 3),
    // 1 / (√(1.5 + 0.5 − 1/3) / 3) = 2.32, below 4. It was 3.2 with two independent Agresti–Coull
    // proportions (3/5 and 2/5), before the margin was paired (test/unit/design/pta-paired-margin.test.ts)
    expect(one.margin).toBeCloseTo(1 / (Math.sqrt(2 - 1 / 3) / 3), 12);
  });

  it('deterministic for a seed: the same table for any chunk size (and across worker threads)', async () => {
    const o = { model, covariates, regimens: [daily(1500), daily(2500)], target: 'auc24:400:600,trough::5', strata: 'EGFR:60,90', n: 3000, seed: 'det' };
    const a = await pta({ ...o, workers: 0, chunkSize: 3000 });
    const b = await pta({ ...o, workers: 0, chunkSize: 700 });
    const w = await pta({ ...o, workers: 2, chunkSize: 500 });
    const strip = (r: PtaResult) => r.regimens.map((g) => g.cells);
    expect(strip(b)).toEqual(strip(a));
    expect(strip(w)).toEqual(strip(a));
    expect(b.ranking).toEqual(a.ranking);
    const c = await pta({ ...o, seed: 'other', workers: 0, chunkSize: 3000 });
    expect(strip(c)).not.toEqual(strip(a));
  });

  it('the best regimen is stable under reseeding when the PTAs differ by more than 4 SE', async () => {
    const regimens = [1000, 1500, 2000, 2500, 3000].map(daily);
    const run = (seed: string) => pta({ model, covariates, regimens, target: 'auc24:400:600', n: 6000, seed, workers: 0, chunkSize: 3000 });
    const [a, b] = [await run('seed-A'), await run('seed-B')];
    expect(a.margin).toBeGreaterThan(4);
    expect(b.margin).toBeGreaterThan(4);
    expect(a.best).toBe('2000 mg q24h');
    expect(b.best).toBe(a.best);
    // every pair separated by > 4 SE under one seed keeps its order under the other
    let checked = 0;
    for (const x of a.regimens) {
      for (const y of a.regimens) {
        const z = (x.overall.pta - y.overall.pta) / Math.sqrt(x.overall.se ** 2 + y.overall.se ** 2);
        if (z > 4) {
          checked++;
          const xb = b.regimens.find((g) => g.name === x.name)!;
          const yb = b.regimens.find((g) => g.name === y.name)!;
          expect(xb.overall.pta).toBeGreaterThan(yb.overall.pta);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('strata by cut points on a covariate: labels, counts, and the expected gradient', async () => {
    const r = await pta({ model, covariates, regimens: [daily(2000)], target: 'auc24:400:600', strata: 'EGFR:60,90,120', n: 8000, seed: 2, workers: 0, chunkSize: 4000 });
    expect(r.strata?.labels).toEqual(['EGFR < 60', '60 ≤ EGFR < 90', '90 ≤ EGFR < 120', 'EGFR ≥ 120']);
    const cells = r.regimens[0]!.cells;
    expect(cells.map((c) => c.stratum)).toEqual([...r.strata!.labels, 'all']);
    expect(cells.slice(0, 4).reduce((s, c) => s + c.n, 0)).toBe(8000);
    // low eGFR: low CL, exposure above the window; high eGFR: below
    expect(cells[0]!.fracAbove).toBeGreaterThan(cells[3]!.fracAbove);
    expect(cells[3]!.fracBelow).toBeGreaterThan(cells[0]!.fracBelow);
    // plot data: one series per stratum, in increasing daily dose
    expect(r.plot.series.map((s) => s.stratum)).toEqual(cells.map((c) => c.stratum));
    expect(r.plot.series[4]!.points[0]).toMatchObject({ regimen: '2000 mg q24h', dailyDose: 2000, pta: cells[4]!.pta });
  });

  it('strata on a model parameter (individual CL), and plot points sorted by daily dose', async () => {
    const r = await pta({ model, covariates, regimens: [daily(3000), daily(1000), daily(2000)], target: 'auc24:400:600', strata: { variable: 'CL', cuts: [3, 5] }, n: 2000, seed: 3, workers: 0 });
    expect(r.plot.series[0]!.points.map((p) => p.dailyDose)).toEqual([1000, 2000, 3000]);
    // CL < 3 with 1000 mg/day: AUC > 333; CL ≥ 5 with 3000 mg/day: AUC ≤ 600
    expect(r.regimens.find((g) => g.dose === 3000)!.cells[2]!.above).toBe(0);
  });

  it('errors: unknown stratum variable, bad cut points, duplicate regimen names', async () => {
    const base = { model, covariates, regimens: [daily(2000)], target: 'auc24:400:600', n: 100, seed: 1, workers: 0 };
    await expect(pta({ ...base, strata: 'WT:60' })).rejects.toThrow(/strata WT: not a covariate or parameter of this population \(available: EGFR, ETA_CL, CL, V\)/);
    expect(() => parseStrata('EGFR:90,60')).toThrow('strata EGFR:90,60: cut points must increase (90 then 60)');
    expect(() => parseStrata('EGFR')).toThrow(/expected NAME:C1,C2/);
    await expect(pta({ ...base, regimens: [daily(2000), daily(2000)] })).rejects.toThrow(/two regimens are named 2000 mg q24h/);
    await expect(pta({ ...base, target: 'auc24:600:400' })).rejects.toThrow('target auc24: window [600, 400] is empty (lo > hi)');
  });

  it('no feasible regimen: an explicit result', async () => {
    const r = await pta({ model, covariates, regimens: [daily(10), daily(20)], target: 'auc24:400:600', n: 500, seed: 1, workers: 0 });
    expect(r.feasible).toBe(false);
    expect(r.best).toBeNull();
    expect(r.message).toMatch(/^no feasible regimen: none of the 2 regimens puts any virtual subject within the target auc24:400:600/);
    expect(r.regimens[0]!.overall.fracBelow).toBe(1);
  });

  it('helpers: stratum index, labels, regimen dose', () => {
    expect([0, 29.9, 30, 59, 60, 200, NaN].map((x) => stratumOf(x, [30, 60]))).toEqual([0, 0, 1, 1, 2, 2, -1]);
    expect(stratumLabels({ variable: 'CRCL', cuts: [30] })).toEqual(['CRCL < 30', 'CRCL ≥ 30']);
    expect(regimenDose(daily(2000).records)).toEqual({ dose: 2000, interval: 24, dailyDose: 2000 });
    const q8 = regimen().dose({ time: 0, amt: 500, ii: 8, addl: 5 }).observe({ times: [48] }).records();
    expect(regimenDose(q8)).toEqual({ dose: 500, interval: 8, dailyDose: 1500 });
  });
});
