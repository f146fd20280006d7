// optimize ranks candidates at steady state on a clock of their own from 0. A model whose parameters
// step with TIME (busulfan_mccune_2014: CL × 0.932 after 6 h, × 0.919 after 36 h) read the first
// day's values there: 400 mg q24h over 3 h gave AUC24 38,924 where the exact steady state after
// 36 h is 41,640 (−6.5 %; 400·24/τ/CL·1000, CL = 11.4·(NFM/70)^0.75·FMAT·FTIM), exit 0. It is
// refused, pointing to the advice from the patient's state, which runs on the patient's clock.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

describe('optimize: a model whose parameters read TIME', () => {
  it('is refused, naming the model and what to use instead', () => {
    const model = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')));
    expect(model.inputs).toContain('TIME');
    const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV,WT,HT,AGE,SEX\n1,0,2,.,.,1,60,170,30,1\n').records;
    expect(() => optimizeRegimen(model, records, { doses: [400], intervals: [24], infusions: [3], target: 'auc24:50000:70000', draws: 20 })).toThrow(/reads TIME in its parameters .* rank regimens from the patient's current state instead \(adviseFromState; on the command line, optimize from a start time\)/);
  });
});

describe('compareStrategies: a model whose parameters read TIME', () => {
  it('is refused, naming the model (a subject read 96.83 per unit dose for the 103.59 after the 36-h step)', async () => {
    const { compareStrategies } = await import('../../../src/design/strategies/strategies.js');
    const file = JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')) as Record<string, unknown>;
    const { iov: _iov, ...noIov } = file;
    await expect(
      compareStrategies({ model: noIov, covariates: { covariates: { WT: { dist: 'lognormal', median: 60, cv: 0.2 } } }, n: 20, seed: 1, workers: 0, interval: 24, infusion: 3, doses: [100, 200, 300, 400], window: { lo: 50000, hi: 70000 }, bandBy: 'WT', bands: 2, tdm: [] }),
    ).rejects.toThrow(/reads TIME in its parameters/);
  });
});
