// The fixed-dose question end to end (examples/fixed-dose): closed form for lognormal CL versus
// a simulated population, within Monte Carlo error.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { normalCdf } from '../../../src/stats/normal.js';

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
});
