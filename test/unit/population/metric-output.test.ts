// Exposure metrics are computed on one profile: the model's default output. The samples the metric
// profile adds and the dose records' rows are that output's, so a regimen observing another output
// (the parent of a parent–metabolite model) mixed the two profiles (AUC24 222 for an exact 177);
// it is refused, and a model with several outputs names the one its metrics are on. A covariate the
// population samples cannot also change over time in the regimen (the sampled value replaced it).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { metricOutputNote, refuseOtherOutputs } from '../../../src/population/metric-grid.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';

const pmJson = JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')) as Record<string, unknown>;
const pm = defineModel(pmJson);
const regimen = (observe: Record<string, unknown>): string => JSON.stringify({ doses: [{ time: 0, amt: 500, cmt: 1, addl: 9, ii: 12 }], observe: [{ grid: { from: 0, to: 120, step: 6 }, ...observe }] });

describe('metrics on the default output', () => {
  it('refuses a regimen observing another output, by CMT or by DVID; the default output passes', () => {
    expect(() => refuseOtherOutputs(pm, readRegimen(regimen({ cmt: 1 }), 'r.json'), 'r.json')).toThrow(/column CMT: exposure metrics are computed on output metabolite \(DVID 2, compartment 2\).*observes compartment 1/);
    expect(() => refuseOtherOutputs(pm, readRegimen(regimen({ items: { DVID: 1 } }), 'r.json'), 'r.json')).toThrow(/column DVID: .*observes compartment 1/);
    expect(() => refuseOtherOutputs(pm, readRegimen(regimen({}), 'r.json'))).not.toThrow();
    expect(() => refuseOtherOutputs(pm, readRegimen(regimen({ cmt: 2 }), 'r.json'))).not.toThrow();
    expect(metricOutputNote(pm)).toEqual(["exposure metrics and targets are on output metabolite (DVID 2, compartment 2), the model's default output (observe.compartment chooses it)"]);
  });

  it('a population on the other output is refused before any subject; on the default one it runs and says which output', async () => {
    const plan = (obs: Record<string, unknown>) => {
      const recs = readRegimen(regimen(obs), 'r.json');
      return { model: pmJson, regimen: recs.map((r) => r.items), key: seedKey(1), metrics: [parseMetric('auc24', regimenTimesOf(recs))], table: false, profiles: false } as const;
    };
    await expect(runStudy(plan({ cmt: 1 }), { n: 4, workers: 0 })).rejects.toThrow(/observes compartment 1/);
    const ok = await runStudy(plan({}), { n: 4, workers: 0 });
    expect(ok.warnings).toContain(metricOutputNote(pm)[0]);
  });

  it('refuses a covariate the population samples that the regimen changes over time', async () => {
    const model = { dosewise: 2, name: 'iv', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: '50*WT/70' }, omega: { etas: ['ETA_CL'], diagonal: [0.09] } };
    const recs = readRegimen(JSON.stringify({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1 }], observe: [{ times: [1, 6], items: { WT: 50 } }, { times: [12, 24], items: { WT: 100 } }] }), 'r.json');
    const covariates = { covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.2 } } };
    const plan = { model, regimen: recs.map((r) => r.items), covariates, key: seedKey(1), metrics: [parseMetric('auc:0:24', regimenTimesOf(recs))], table: false, profiles: false } as const;
    await expect(runStudy(plan, { n: 4, workers: 0 })).rejects.toThrow(/regimen gives WT values that change over time \(50, then 100\), and the population samples WT/);
  });
});
