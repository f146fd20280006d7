// With IOV every record needs its occasion: a record whose OCC was missing took the first
// occasion's κ, in estimation and in replicates (a level inside occasion 2 read occasion 1's
// clearance: elimination 0.246 and 0.090 /h on either side of it for 0.189 within the occasion).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { simulateReplicates } from '../../../src/replicate/run.js';

const model = defineModel({
  dosewise: 2,
  name: 'iov',
  structure: '1cmt-iv',
  parameters: { CL: '2 * exp(ETA_CL + KAPPA_CL)', V: '10 * exp(KAPPA_V)' },
  omega: { etas: ['ETA_CL'], matrix: [[0.09]] },
  iov: { etas: ['KAPPA_CL', 'KAPPA_V'], matrix: [[0.04, 0.01], [0.01, 0.0225]], occasion: 'OCC' },
  residual: { model: 'additive', additive: 0.5 },
});
const data = (occ: string) =>
  readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV,OCC', '1,0,1,100,1,.,1,1', '1,1,0,.,1,8,0,1', '1,100,1,100,1,.,1,2', '1,101,0,.,1,7,0,2', `1,102,0,.,1,6,0,${occ}`, '1,103,0,.,1,5,0,2'].join('\n'), { file: 'd.csv' }).records;

describe('a record without its occasion', () => {
  it('is refused by estimation, naming row and column', () => {
    expect(() => estimate(model, data('.'), { file: 'd.csv' })).toThrow(/d\.csv, row 5, column OCC: the model has IOV by OCC \(κ per occasion\): every record needs its occasion \(got "missing"\)/);
    expect(estimate(model, data('2')).occasions).toEqual([1, 2]);
  });

  it('is refused by replicates', async () => {
    await expect(simulateReplicates(model, data('.'), { replicates: 1, workers: 0, file: 'd.csv' }, () => undefined)).rejects.toThrow(/row 5, column OCC/);
  });
});
