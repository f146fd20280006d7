// An override of a covariate (the library's `overrides`, the command line's --param) replaces the
// records' values, so the covariate range is judged on it: `--param WT=300` over a chart of WT 80
// (range 40–150) was not said, `--param WT=60` over a chart of WT 300 was said. And a forecast
// report's explanation evaluated the typical and individual values at the charted WT, not at the
// override the fit used: V 50 (WT 70 → 50·70/70) shown for a fit at WT 35 (25).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { explanationSection } from '../../../src/report/explain.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-range-ov-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const wtModel = { dosewise: 2, name: 'wtmodel', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: '50*(WT/70)*exp(ETA_V)' }, covariates: { WT: { unit: 'kg', range: [40, 150] } }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] }, residual: { model: 'proportional', proportional: 0.15 } };
const patient = (wt: number): string => ['ID,TIME,EVID,AMT,RATE,DV,MDV,WT', `1,0,1,1000,1000,.,1,${wt}`, `1,2,0,.,.,15,0,${wt}`, `1,10,0,.,.,6,0,${wt}`].join('\n') + '\n';
const futureRows = (wt: number): string => ['ID,TIME,EVID,AMT,RATE,MDV,WT', `1,24,1,1000,1000,1,${wt}`, ...[25, 30, 36, 48].map((t) => `1,${t},0,.,.,1,${wt}`)].join('\n') + '\n';
const rangeOf = (w: readonly string[]): string[] => w.filter((x) => x.includes('W_COVARIATE_RANGE') || x.includes('lies outside'));

describe('covariate ranges judged on the overrides that replace the charted values', () => {
  const model = defineModel(wtModel);
  const at80 = readNmtran(patient(80)).records;
  const at300 = readNmtran(patient(300)).records;

  it('simulate(): an override outside the range is said (named by the override), one inside silences the chart', () => {
    expect(rangeOf(simulate(model, at80, { overrides: { WT: 300 } }).warnings)).toEqual(['W_COVARIATE_RANGE: WT 300 (overrides.WT) lies outside 40–150, the range the model was built on: an extrapolation']);
    expect(rangeOf(simulate(model, at300, { overrides: { WT: 60 } }).warnings)).toEqual([]);
    expect(rangeOf(simulate(model, at300).warnings)).toHaveLength(1);
  });

  it('estimate() and forecast(): the same; the future regimen’s values the override replaces are not said again', () => {
    const fit = estimate(model, at80, { overrides: { WT: 300 } });
    expect(fit.warnings.filter((w) => w.code === 'W_COVARIATE_RANGE').map((w) => w.message)).toEqual(['WT 300 (overrides.WT) lies outside 40–150, the range the model was built on: an extrapolation']);
    expect(estimate(model, at300, { overrides: { WT: 60 } }).warnings.filter((w) => w.code === 'W_COVARIATE_RANGE')).toEqual([]);
    const future = readNmtran(futureRows(300)).records;
    const f = forecast(model, at80, fit, future, { overrides: { WT: 300 }, metrics: ['auc:24:48'], draws: 50, seed: 1 });
    expect(rangeOf(f.warnings)).toEqual(['W_COVARIATE_RANGE: records: WT 300 (overrides.WT) lies outside 40–150, the range the model was built on: an extrapolation']);
    const g = forecast(model, at80, estimate(model, at80, { overrides: { WT: 60 } }), future, { overrides: { WT: 60 }, metrics: ['auc:24:48'], draws: 50, seed: 1 });
    expect(rangeOf(g.warnings)).toEqual([]);
  });

  it('the explanation’s typical and individual values are the fit’s, at the override', () => {
    const fit = estimate(model, at80, { overrides: { WT: 35 } });
    const s = explanationSection(model, 1, at80, fit, undefined, { WT: 35 });
    // V = 50·(WT/70)·e^η: typical 25 at WT 35 (57.142857 at the charted 80)
    const row = /<td[^>]*>V<\/td><td[^>]*>([^<]+)<\/td><td[^>]*>([^<]+)<\/td>/.exec(s.table ?? "");
    expect(row, s.table).not.toBeNull();
    expect(Number(row?.[1])).toBeCloseTo(25, 4);
    const etaV = fit.eta[1] as number;
    expect(Number(row?.[2])).toBeCloseTo(25 * Math.exp(etaV), 3);
    expect(s.text).toContain('WT 35 (overrides.WT) lies outside 40–150');
  });

  it('CLI: said once, naming --param; a future regimen’s WT that --param replaces is not said', async () => {
    const m = file('wt.json', JSON.stringify(wtModel));
    const data = file('p80.csv', patient(80));
    const est = await cli(['estimate', '--model', m, '--data', data, '--param', 'WT=300']);
    expect(est.code, est.err).toBe(0);
    expect(est.err.split('\n').filter((l) => l.includes('lies outside'))).toEqual([`dosewise: ${data}, ID 1: WT 300 (--param WT=300) lies outside 40–150, the range the model was built on: an extrapolation`]);
    const est2 = await cli(['estimate', '--model', m, '--data', file('p300.csv', patient(300)), '--param', 'WT=60']);
    expect(est2.err).not.toContain('lies outside');
    const fut = file('fut.csv', futureRows(300));
    const dir = join(tmp, 'rep');
    const fc = await cli(['forecast', '--model', m, '--data', data, '--regimen', fut, '--param', 'WT=60', '--metric', 'auc:24:48', '--draws', '50', '--report', dir]);
    expect(fc.code, fc.err).toBe(0);
    expect(fc.err).not.toContain('lies outside');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // V at WT 60: 50·60/70
    expect(html).toMatch(/<td[^>]*>V<\/td><td[^>]*>42\.857\d*<\/td>/);
  });
});
