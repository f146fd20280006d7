// population, pta and band took a steady-state dose (SS = 1) under a model whose parameters read TIME
// without a word, where optimize and nomogram refuse such a model. McCune 2014 busulfan with T_CL_EFF
// at its default 0, 100 mg over 3 h q24h SS at 0 h: the steady state was built at the clearance of
// 0 h, which then steps ×0.932 at 6 h, so the profile did not close (2.172 at 0 h, 3.414 at 24 h; a
// population's mean trough 15.7 for a mean cmin 11.7; AUC24 30,077 where the steady state at the
// later clearance is 31,851). Refused now, naming the record; doses given from the first (II, ADDL)
// run. A model text whose equations read t keeps its warning (a rhythm dosed at its period).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { pta } from '../../../src/design/pta/pta.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { bandPopulation } from '../../../src/design/banding/banding-population.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { tempFiles } from '../temp-files.js';

const FIX = 'test/fixtures/steady-state-time';
const { write: file } = tempFiles('dosewise-ss-time-');
const bu = JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')) as unknown;
const covariates = JSON.parse(readFileSync(`${FIX}/bu-cov0.json`, 'utf8')) as unknown;
const ssText = readFileSync(`${FIX}/bu-reg.json`, 'utf8');
const ss = readRegimen(ssText, 'bu-reg.json');
// the same course given dose by dose from its first, over four days
const addlJson = { doses: [{ time: 0, amt: 100, cmt: 1, dur: 3, ii: 24, addl: 3, items: { OCC: 1 } }], observe: [{ grid: { from: 72, to: 96, step: 0.5 }, items: { OCC: 1 } }] };
const addl = readRegimen(JSON.stringify(addlJson), 'bu-addl.json');
const refusal = /SS=1 with model busulfan_mccune_2014, which reads TIME in its parameters .*give the doses themselves from the first/;

describe('a steady-state dose under a model whose parameters read TIME', () => {
  it('runStudy() (population) refuses it, naming the record; ADDL doses run', async () => {
    const metrics = [parseMetric('auc24', regimenTimesOf(ss))];
    const plan = populationPlan({ model: bu, records: ss, covariates, key: seedKey(1), metrics, table: false });
    await expect(runStudy(plan, { n: 20, workers: 0 })).rejects.toThrow(refusal);
    await expect(runStudy(plan, { n: 20, workers: 0 })).rejects.toThrow(/^regimen, doses\.0 \(TIME 0\)/);
    const ok = populationPlan({ model: bu, records: addl, covariates, key: seedKey(1), metrics: [parseMetric('auc24', regimenTimesOf(addl))], table: false });
    const r = await runStudy(ok, { n: 20, workers: 0 });
    expect(r.failed).toBe(0);
  });

  it('pta() and bandPopulation() refuse it', async () => {
    await expect(pta({ model: bu, regimens: [{ name: 'ss', records: ss }], covariates, target: 'auc24:60000:90000', n: 20, seed: 1, workers: 0 })).rejects.toThrow(refusal);
    await expect(bandPopulation({ model: bu, regimen: ss, target: 'auc24:60000:90000', by: 'WT', bands: 2, doses: [50, 100, 150], covariates, n: 40, seed: 1, workers: 0 })).rejects.toThrow(refusal);
  });

  it('CLI: population, pta and band refuse it, naming the file place', async () => {
    const common = ['--model', 'busulfan_mccune_2014', '--covariates', `${FIX}/bu-cov0.json`, '--regimen', `${FIX}/bu-reg.json`, '--n', '20', '--workers', '0', '--no-progress'];
    const runs = [
      ['population', ...common, '--metric', 'auc24'],
      ['pta', ...common, '--target', 'auc24:60000:90000'],
      ['band', ...common, '--target', 'auc24:60000:90000', '--by', 'WT', '--bands', '2', '--doses', '50,100,150'],
    ];
    for (const args of runs) {
      const r = await cli(args);
      expect(r.code, args[0]).not.toBe(0);
      expect(r.err, args[0]).toMatch(refusal);
      expect(r.err, args[0]).toMatch(/doses\.0 \(TIME 0\)/);
    }
    const ok = await cli(['population', '--model', 'busulfan_mccune_2014', '--covariates', `${FIX}/bu-cov0.json`, '--regimen', file('bu-addl.json', JSON.stringify(addlJson)), '--n', '20', '--workers', '0', '--no-progress', '--metric', 'auc24']);
    expect(ok.code, ok.err).toBe(0);
  });
});
