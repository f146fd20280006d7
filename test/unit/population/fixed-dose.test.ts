// The fixed-dose question end to end (examples/fixed-dose): closed form for lognormal CL versus
// a simulated population, within Monte Carlo error.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { normalCdf } from '../../../src/stats/normal.js';
import { pta } from '../../../src/design/pta/pta.js';

const dir = 'examples/fixed-dose/';
const json = (f: string) => JSON.parse(readFileSync(dir + f, 'utf8'));

describe('fixed dose, CL ∝ eGFR', () => {
  it('fractions below / in / above the AUC window: closed form = Monte Carlo', async () => {
    const records = readRegimen(readFileSync(dir + 'regimen.json', 'utf8'), 'regimen.json');
    const metric = parseMetric('auc:0:24', { end: 24, tau: 24, lastDose: 0 });
    const n = 20_000;
    const res = await runStudy(
      { model: json('model.json'), covariates: json('covariates.json'), regimen: records.map((r) => r.items), key: seedKey(1), metrics: [metric], table: false, profiles: false },
      { n, workers: 0, chunkSize: 5000, windows: { [metric.name]: { lo: 400, hi: 600 } } },
    );
    const r = res.aggregates[metric.name]!.report();
    const mu = Math.log(2000 / 4);
    const sigma = Math.sqrt(0.35 ** 2 + 0.04);
    const below = normalCdf((Math.log(400) - mu) / sigma);
    const above = 1 - normalCdf((Math.log(600) - mu) / sigma);
    const se = (p: number) => Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(r.fracBelow! - below)).toBeLessThan(4 * se(below));
    expect(Math.abs(r.fracAbove! - above)).toBeLessThan(4 * se(above));
    expect(Math.abs(r.fracIn! - (1 - below - above))).toBeLessThan(4 * se(1 - below - above));
    // the median AUC is Dose/TVCL (the median of a lognormal), within the sketch's relative error
    expect(Math.abs(r.p50 / 500 - 1)).toBeLessThan(0.02);
  });

  it('trough PTA at steady state (SS=1 dose at the window start): closed form = Monte Carlo, not 0 %', async () => {
    // the trough C(24) = (R/CL)(1 − e^{−k})e^{−23k}/(1 − e^{−24k}), k = CL/V, falls with CL: the
    // fraction with trough ≥ c is P(CL ≤ CL*) with trough(CL*) = c, CL lognormal (median 4, σ² = 0.1625)
    const records = readRegimen(readFileSync(dir + 'regimen.json', 'utf8'), 'regimen.json');
    const trough = (cl: number) => {
      const k = cl / 40;
      return ((2000 / cl) * (1 - Math.exp(-k)) * Math.exp(-23 * k)) / (1 - Math.exp(-24 * k));
    };
    const clAt = (c: number) => {
      let lo = 0.01;
      let hi = 100;
      for (let i = 0; i < 200; i++) {
        const mid = Math.sqrt(lo * hi);
        if (trough(mid) > c) lo = mid;
        else hi = mid;
      }
      return lo;
    };
    const sigma = Math.sqrt(0.35 ** 2 + 0.04);
    const pAbove = (c: number) => normalCdf((Math.log(clAt(c)) - Math.log(4)) / sigma);
    const n = 20_000;
    const run = async (target: string) =>
      (await pta({ model: json('model.json'), covariates: json('covariates.json'), regimens: [{ name: 'fixed', records }], target, n, seed: 1, workers: 0, chunkSize: 5000 })).regimens[0]!.overall;
    const se = (p: number) => Math.sqrt((p * (1 - p)) / n);
    const t = await run('trough:3:');
    const want = pAbove(3); // 0.690
    expect(Math.abs(t.pta - want)).toBeLessThan(4 * se(want));
    // occupancy at trough ≥ 0.4 with KD = 2 (README's kd=2/): trough ≥ 2·0.4/0.6
    const o = await run('kd=2/occupancy:0.4');
    const wantO = pAbove((2 * 0.4) / 0.6); // 0.863
    expect(Math.abs(o.pta - wantO)).toBeLessThan(4 * se(wantO));
  });
});
