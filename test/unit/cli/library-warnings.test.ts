// Warnings the command line printed and the library functions did not return: an app builder's
// pta() got only W_COARSE_GRID where the CLI said W_II_NOT_REPEATED (800 mg "ii 8" read as one dose:
// PTA 21.9 %) and W_IRREGULAR_DOSE (a dose 15 min late); simulate(), estimate() and forecast() gave
// no word of an SS 1, AMT 0, RATE 100 infusion that stops at its record, of WT 300 under a model
// built on 40–150, of a future dose at 60.25 h judged as ii 12, or of overrides: { WT: 60 } over a
// chart of WT 80; bandPopulation() none of the steady-state infusion. Each is now in the library's
// warnings, and the command line prints it exactly once, in its own words as before.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { pta } from '../../../src/design/pta/pta.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { bandPopulation } from '../../../src/design/banding/banding-population.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen, type DoseSpec, type ObserveSpec } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-libwarn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const lines = (err: string, re: RegExp): number => err.split('\n').filter((l) => re.test(l)).length;

const ptaModel = { dosewise: 2, name: 'iv1b', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '10*exp(ETA_CL)', V: '20*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] }, residual: { model: 'proportional', proportional: 0.1 } };
const a = { doses: [{ time: 0, amt: 2000, dur: 2, ii: 24, addl: 2, ss: 1 }], observe: [{ grid: { from: 0, to: 72, step: 0.25 } }] };
const b = { doses: [{ time: 0, amt: 800, ii: 8 }], observe: [{ grid: { from: 0, to: 24, step: 0.25 } }] };
const c = { doses: [0, 12, 24, 36.25, 48, 60].map((time) => ({ time, amt: 1000, dur: 1 })), observe: [{ grid: { from: 0, to: 72, step: 0.25 } }] };
const built = (j: { doses: readonly object[]; observe: readonly object[] }): ReturnType<ReturnType<typeof regimen>['records']> => {
  let r = regimen();
  for (const d of j.doses) r = r.dose(d as DoseSpec);
  for (const o of j.observe) r = r.observe(o as ObserveSpec);
  return r.records();
};

describe('pta(): the regimens’ readings are in its warnings', () => {
  it('API: W_II_NOT_REPEATED for b, W_IRREGULAR_DOSE for c, named by regimen (or by file where given)', async () => {
    const r = await pta({ model: ptaModel, regimens: [{ name: 'a', records: built(a) }, { name: 'b', records: built(b) }, { name: 'c', records: built(c), file: 'c.json' }], target: 'auc24:100:300', n: 200, seed: 5, workers: 0 });
    expect(r.warnings.filter((w) => w.startsWith('W_II_NOT_REPEATED: regimen b: the dose at 0 h (row ') && w.includes(') states ii 8 but no addl or ss'))).toHaveLength(1);
    expect(r.warnings.filter((w) => w.startsWith('W_IRREGULAR_DOSE: c.json: ') && w.includes('the dose at 36.25 h'))).toHaveLength(1);
    // before the run's own
    expect(r.warnings.findIndex((w) => w.startsWith('W_IRREGULAR_DOSE'))).toBeLessThan(2);
    expect(r.regimens.find((g) => g.name === 'b')?.interval).toBe(0);
  });

  it('CLI: each printed once, the JSON’s warnings the library’s', async () => {
    const [fa, fb, fc] = [['a.json', a], ['b.json', b], ['c.json', c]].map(([n, j]) => file(n as string, JSON.stringify(j)));
    const m = file('iv1b.json', JSON.stringify(ptaModel));
    const r = await cli(['pta', '--model', m, '--regimen', fa as string, '--regimen', fb as string, '--regimen', fc as string, '--target', 'auc24:100:300', '--n', '200', '--seed', '5', '--workers', '0', '--json', '--no-progress']);
    expect(r.code).toBe(0);
    expect(lines(r.err, /^dosewise: warning: W_II_NOT_REPEATED: .*b\.json: the dose at 0 h \(doses\.0\)/)).toBe(1);
    expect(lines(r.err, /^dosewise: warning: W_IRREGULAR_DOSE: .*c\.json: .*the dose at 36\.25 h \(doses\.3\) 0\.25 h late/)).toBe(1);
    const out = JSON.parse(r.out) as { warnings: string[] };
    expect(out.warnings.filter((w) => w.startsWith('W_II_NOT_REPEATED'))).toHaveLength(1);
    expect(out.warnings.filter((w) => w.startsWith('W_IRREGULAR_DOSE'))).toHaveLength(1);
  });
});

describe('runStudy(): the regimen’s readings are in its warnings', () => {
  it('API: W_II_NOT_REPEATED of 800 mg "ii 8" (named regimen, by row); the CLI’s population prints it once, by doses.0', async () => {
    const records = built(b);
    const plan = populationPlan({ model: ptaModel, records, key: seedKey(1), metrics: [parseMetric('auc24', regimenTimesOf(records))], table: false });
    const r = await runStudy(plan, { n: 100, workers: 0 });
    expect(r.warnings.filter((w) => /^W_II_NOT_REPEATED: regimen: the dose at 0 h \(row \d+\) states ii 8/.test(w))).toHaveLength(1);
    const m = file('iv1b-pop.json', JSON.stringify(ptaModel));
    const c1 = await cli(['population', '--model', m, '--regimen', file('bpop.json', JSON.stringify(b)), '--n', '100', '--workers', '0', '--no-progress', '--json']);
    expect(c1.code, c1.err).toBe(0);
    expect(lines(c1.err, /W_II_NOT_REPEATED/)).toBe(1);
    expect(lines(c1.err, /W_II_NOT_REPEATED: .*bpop\.json: the dose at 0 h \(doses\.0\)/)).toBe(1);
    expect((JSON.parse(c1.out) as { warnings: string[] }).warnings.filter((w) => w.startsWith('W_II_NOT_REPEATED'))).toHaveLength(1);
  });
});

const wtModel = { dosewise: 2, name: 'wtmodel', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: '50*(WT/70)*exp(ETA_V)' }, covariates: { WT: { unit: 'kg', range: [40, 150] } }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] }, residual: { model: 'proportional', proportional: 0.15 } };
const patient = (wt: number): string => ['ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV,WT', `1,0,1,1000,1000,0,0,.,1,${wt}`, `1,2,0,.,.,0,0,3.1,0,${wt}`, `1,10,0,.,.,0,0,1.2,0,${wt}`, `1,12,1,0,100,1,0,.,1,${wt}`, `1,20,0,.,.,0,0,5,0,${wt}`].join('\n') + '\n';
const fut = { doses: [24, 36, 48, 60.25, 72].map((time) => ({ time, amt: 1000, dur: 1 })), observe: [{ grid: { from: 24, to: 84, step: 0.5 } }] };
const ssInfusion = /a steady-state infusion \(SS 1, AMT 0, RATE 100\) starts at the infusion's steady state and stops at its record/;
const outside = /WT 300 \(row 1 and 4 more\) lies outside 40–150, the range the model was built on/;

describe('simulate(), estimate(), forecast(): the records’ warnings are in theirs', () => {
  const model = defineModel(wtModel);
  const records = readNmtran(patient(300)).records;
  const at80 = readNmtran(patient(80)).records;

  it('simulate(): the steady-state infusion, the covariate range, an override over charted values', () => {
    const w = simulate(model, records).warnings;
    expect(w.filter((x) => x.startsWith('W_SS_INFUSION: row 4: ') && ssInfusion.test(x))).toHaveLength(1);
    expect(w.filter((x) => x.startsWith('W_COVARIATE_RANGE: ') && outside.test(x))).toHaveLength(1);
    const o = simulate(model, at80, { overrides: { WT: 60 } }).warnings;
    expect(o.filter((x) => x.startsWith('W_PARAM_REPLACES_DATA: WT 80 on the records replaced by 60 (overrides.WT) on 5 records'))).toHaveLength(1);
    // no CLI option in a library message
    expect(o.join('\n')).not.toMatch(/--param/);
  });

  it('estimate(): the same, with codes', () => {
    const fit = estimate(model, records);
    expect(fit.warnings.filter((x) => x.code === 'W_SS_INFUSION' && ssInfusion.test(x.message))).toHaveLength(1);
    expect(fit.warnings.filter((x) => x.code === 'W_COVARIATE_RANGE' && outside.test(x.message))).toHaveLength(1);
    const o = estimate(model, at80, { overrides: { WT: 60 } });
    expect(o.warnings.filter((x) => x.code === 'W_PARAM_REPLACES_DATA' && /^WT 80 on the records replaced by 60 \(overrides\.WT\) on 5 records/.test(x.message))).toHaveLength(1);
  });

  it('forecast(): W_IRREGULAR_DOSE of the future dose at 60.25 h, and the history’s', () => {
    const fit = estimate(model, records);
    let r = regimen();
    for (const d of fut.doses) r = r.dose(d);
    for (const o of fut.observe) r = r.observe(o);
    const f = forecast(model, records, fit, r.records(), { metrics: ['auc24', 'trough'], seed: 1, draws: 200 });
    expect(f.warnings.filter((x) => x.startsWith('W_IRREGULAR_DOSE: future regimen: ') && x.includes('the dose at 60.25 h'))).toHaveLength(1);
    expect(f.warnings.filter((x) => x.startsWith('W_SS_INFUSION: records, row 4: '))).toHaveLength(1);
    expect(f.warnings.filter((x) => x.startsWith('W_COVARIATE_RANGE: records: ') && outside.test(x))).toHaveLength(1);
    // judged on 72–84 h, as with ii 12
    expect(f.metricDefs.find((d) => d.name === 'trough')).toMatchObject({ t0: 72, t1: 84 });
  });

  it('CLI: each said once, as before', async () => {
    const m = file('wt.json', JSON.stringify(wtModel));
    const data = file('pat.csv', patient(300));
    const future = file('fut.json', JSON.stringify(fut));
    const sim = await cli(['simulate', '--model', m, '--data', data]);
    expect(lines(sim.err, ssInfusion)).toBe(1);
    expect(lines(sim.err, outside)).toBe(1);
    const est = await cli(['estimate', '--model', m, '--data', data]);
    expect(lines(est.err, ssInfusion)).toBe(1);
    expect(lines(est.err, outside)).toBe(1);
    const fc = await cli(['forecast', '--model', m, '--data', data, '--regimen', future, '--no-progress', '--draws', '200']);
    expect(fc.code).toBe(0);
    expect(lines(fc.err, ssInfusion)).toBe(1);
    expect(lines(fc.err, outside)).toBe(1);
    expect(lines(fc.err, /W_IRREGULAR_DOSE: .*fut\.json, ID 1: .*the dose at 60\.25 h \(doses\.3\)/)).toBe(1);
    expect(lines(fc.err, /W_IRREGULAR_DOSE/)).toBe(1);
    const d80 = file('pat80.csv', patient(80));
    for (const cmd of [['simulate'], ['estimate'], ['forecast', '--regimen', future, '--no-progress', '--draws', '200']]) {
      const r = await cli([cmd[0] as string, '--model', m, '--data', d80, '--param', 'WT=60', ...cmd.slice(1)]);
      expect(lines(r.err, /W_PARAM_REPLACES_DATA/), cmd[0]).toBe(1);
      expect(lines(r.err, /\(--param WT=60\)/), cmd[0]).toBe(1);
    }
    const json = await cli(['estimate', '--model', m, '--data', d80, '--param', 'WT=60', '--json']);
    const ws = (JSON.parse(json.out) as { warnings: { code: string; message: string }[] }[])[0]?.warnings ?? [];
    expect(ws.filter((w) => w.code === 'W_PARAM_REPLACES_DATA')).toHaveLength(1);
  });
});

describe('bandPopulation(): the steady-state infusion', () => {
  const bandModel = { dosewise: 2, name: 'band1', structure: '1cmt-iv', covariates: { WT: { default: 70, unit: 'kg' } }, parameters: { CL: '5*exp(ETA_CL)*(WT/70)^0.75', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.09] }, residual: { model: 'proportional', proportional: 0.1 } };
  const reg = { doses: [{ time: 0, amt: 0, rate: 100, ss: 1 }, { time: 12, amt: 1000, dur: 1, ii: 12, addl: 5 }], observe: [{ grid: { from: 0, to: 84, step: 0.5 } }] };
  const covariates = { covariates: { WT: { dist: 'normal', mean: 70, sd: 10, lower: 40, upper: 120, unit: 'kg' } } };

  it('API and CLI: said once', async () => {
    const r = await bandPopulation({ model: bandModel, regimen: built(reg), target: 'auc24:400:800', by: 'WT', bands: 2, doses: [500, 1000, 1500], covariates, n: 200, seed: 1, workers: 0 });
    expect(r.warnings.filter((w) => /^regimen, row \d+: a steady-state infusion \(SS 1, AMT 0, RATE 100\)/.test(w))).toHaveLength(1);
    const c1 = await cli(['band', '--model', file('band.json', JSON.stringify(bandModel)), '--regimen', file('breg.json', JSON.stringify(reg)), '--covariates', file('bcov.json', JSON.stringify(covariates)), '--target', 'auc24:400:800', '--by', 'WT', '--bands', '2', '--doses', '500,1000,1500', '--n', '200', '--workers', '0', '--no-progress']);
    expect(c1.code, c1.err).toBe(0);
    expect(lines(c1.err, /breg\.json, doses\.0: a steady-state infusion \(SS 1, AMT 0, RATE 100\)/)).toBe(1);
  });
});
