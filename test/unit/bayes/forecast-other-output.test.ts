// A forecast's metrics whose window reaches back into the history read the history's levels of
// another output as the default output's values: the parent–metabolite example's metabolite cmax
// over 0–12 h was 19.5992, the parent's level at 1 h, for the metabolite's 16.53, exit 0. The
// history's levels of other outputs are now samples of the default output.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

const dir = 'examples/parent-metabolite';
const model = defineModel(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')));
const records = readNmtran(readFileSync(`${dir}/patients.csv`, 'utf8')).records.filter((r) => r.ID === 1);
const future = readRegimen(readFileSync(`${dir}/future.json`, 'utf8'), 'future.json');

describe('forecast metrics over a history with levels of another output', () => {
  it("are the default output's (the metabolite's closed form at the MAP parameters)", () => {
    const fit = estimate(model, records);
    const { KA, CL, V } = fit.parameters as Record<string, number>;
    const k = (CL as number) / (V as number);
    const doses = records.filter((r) => r.EVID === 1).map((r) => ({ t: r.TIME, amt: r.AMT }));
    // metabolite amount after first-order conversion of the parent (rate KA) and elimination k
    const cm = (t: number): number => doses.reduce((s, d) => (t >= d.t ? s + ((d.amt * (KA as number)) / ((KA as number) - k)) * (Math.exp(-k * (t - d.t)) - Math.exp(-(KA as number) * (t - d.t))) : s), 0) / (V as number);
    let cmax = 0;
    let auc = 0;
    const n = 120_000;
    for (let i = 0; i <= n; i++) {
      const t = (12 * i) / n;
      cmax = Math.max(cmax, cm(t));
      auc += ((i === 0 || i === n ? 0.5 : 1) * cm(t) * 12) / n;
    }
    const f = forecast(model, records, fit, future, { draws: 20, seed: 1, metrics: ['cmax:0:12', 'auc:0:12'] });
    const mc = (f.metrics['cmax:0:12'] as { mode: number }).mode;
    const ma = (f.metrics['auc:0:12'] as { mode: number }).mode;
    console.info(`cmax ${mc} vs ${cmax}; auc ${ma} vs ${auc}`);
    // the metric profile samples every 1/4 h: its peak and trapezoid AUC sit within ~1e-3 of the exact ones
    expect(Math.abs(mc / cmax - 1)).toBeLessThan(2e-3);
    expect(Math.abs(ma / auc - 1)).toBeLessThan(2e-3);
  });
});
