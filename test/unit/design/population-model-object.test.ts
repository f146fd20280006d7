// pta() refused a Model (defineModel, libraryModel) with "E_MODEL model dosewise: missing: every
// dosewise model file has the format field …, so it is not a dosewise model file" (it is no JSON at
// all), populationPlan() took it without a word and runStudy() then failed with the same message,
// while simulate/estimate/forecast/optimizeRegimen take a Model and estimateCohort either. A Model
// is now taken as its file: the results equal those of the file itself (same seed, bit for bit).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bandPopulation, defineModel, libraryModel, libraryModelFile, populationPlan, pta, regimen, runStudy, seedKey } from '../../../src/index.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';

const mj = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as unknown;
const recs = regimen().dose({ time: 0, amt: 1000, dur: 1, addl: 9, ii: 12 }).observe({ grid: { from: 96, to: 120, step: 0.5 } }).records();
const regs = [{ name: 'a', records: recs }];

describe('a Model given to the population runs', () => {
  it('pta(): defineModel(json) and libraryModel(name) run as their files', async () => {
    const file = await pta({ model: mj, regimens: regs, target: 'auc24:400:600', n: 100, seed: 1, workers: 0 });
    const model = await pta({ model: defineModel(mj), regimens: regs, target: 'auc24:400:600', n: 100, seed: 1, workers: 0 });
    expect(model.regimens[0]?.overall.pta).toBe(file.regimens[0]?.overall.pta);
    const goti = await pta({ model: libraryModel('vancomycin_goti_2018'), regimens: regs, target: 'auc24:400:600', n: 50, seed: 1, workers: 0, covariates: { covariates: { CRCL: { dist: 'normal', mean: 80, sd: 10, lower: 30 }, WT: { dist: 'normal', mean: 70, sd: 10, lower: 40 }, DIAL: { derived: '0' } } } });
    const gotiFile = await pta({ model: libraryModelFile('vancomycin_goti_2018'), regimens: regs, target: 'auc24:400:600', n: 50, seed: 1, workers: 0, covariates: { covariates: { CRCL: { dist: 'normal', mean: 80, sd: 10, lower: 30 }, WT: { dist: 'normal', mean: 70, sd: 10, lower: 40 }, DIAL: { derived: '0' } } } });
    expect(goti.regimens[0]?.overall.pta).toBe(gotiFile.regimens[0]?.overall.pta);
  });

  it('populationPlan() + runStudy(): a Model runs (it failed at run time), inline and on a worker', async () => {
    const metrics = [parseMetric('auc24', regimenTimesOf(recs))];
    const fromFile = await runStudy(populationPlan({ model: mj, records: recs, key: seedKey(7), metrics, table: false }), { n: 200, workers: 0 });
    const plan = populationPlan({ model: defineModel(mj), records: recs, key: seedKey(7), metrics, table: false });
    const inline = await runStudy(plan, { n: 200, workers: 0 });
    expect(inline.aggregates.auc24?.report().p50).toBe(fromFile.aggregates.auc24?.report().p50);
    const pooled = await runStudy(plan, { n: 200, workers: 1 });
    expect(pooled.aggregates.auc24?.report().p50).toBe(fromFile.aggregates.auc24?.report().p50);
  });

  it('bandPopulation(): a Model runs as its file', async () => {
    const goti = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as unknown;
    const vancoCov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as unknown;
    const records = regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, addl: 1, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.5 } }).records();
    const base = { regimen: records, target: 'auc24:400:600', by: 'CRCL', n: 20, seed: 7, workers: 0, covariates: vancoCov, bands: 2, doses: [500, 1000, 1500] };
    const a = await bandPopulation({ ...base, model: defineModel(goti) });
    const b = await bandPopulation({ ...base, model: goti });
    expect(JSON.stringify(a.bands)).toBe(JSON.stringify(b.bands));
  });
});
