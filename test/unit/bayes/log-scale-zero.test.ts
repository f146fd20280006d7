// Exponential (log-scale) error where a log does not exist: a level of 0 or below in concentration
// units (logDv false), and a level where the model predicts 0 (drawn before the first dose). Either
// made the objective Infinity or NaN at every point: the estimate came back as the prior mode, "not
// converged", and `dosewise estimate` printed it as the patient's parameters with exit 0.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { refused } from '../refused.js';
import { cli } from '../cli/run-cli.js';

const json = {
  dosewise: 2,
  name: 'log-scale',
  structure: '1cmt-iv',
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.05] },
  residual: { model: 'exponential', exponential: 0.2 },
};
const model = defineModel(json);
const csv = (first: string): string => `ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,0,.,.,${first},0\n1,1,1,1000,1000,.,1\n1,3,0,.,.,3.2,0\n1,12,0,.,.,0.5,0\n`;

describe('exponential error where the log does not exist', () => {
  it('a level ≤ 0 in concentration units (logDv false) is refused naming its row', () => {
    for (const dv of ['0', '-1']) refused(() => estimate(model, readNmtran(csv(dv)).records, { logDv: false }), 'E_RECORD', new RegExp(`^row 1, column DV: a level must be > 0: its logarithm is taken .*\\(got ${dv}\\)`));
  });

  it('a log-scale level where the model predicts 0: the estimate names its row, and the command exits 1', async () => {
    const fit = estimate(model, readNmtran(csv('-1.2')).records);
    expect(fit.ofv).toBe(Infinity);
    expect(fit.message).toMatch(/row 1 \(TIME 0\): the model predicts 0 there, whose log the exponential \(log-scale\) error cannot take/);
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-logzero-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'm.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'd.csv'), csv('-1.2') + csv('-1.2').split('\n').slice(2).join('\n').replace(/^1,/gm, '2,').replace(/\n$/, '') + '\n');
    const r = await cli(['estimate', '--model', join(dir, 'm.json'), '--data', join(dir, 'd.csv')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ID 2: converged/); // the other patient is estimated and printed
    expect(r.err).toMatch(/no estimate for 1 of 2 IDs, whose objective is not finite \(the values printed for them are the prior's\): ID 1 \(.*row 1 \(TIME 0\)/);
    // without the level, the patient is estimated
    expect(Number.isFinite(estimate(model, readNmtran(csv('.')).records).ofv)).toBe(true);
  });

  it('a negative prediction is named as one, with its value (−32.02 was said to be 0, "a level before the first dose?")', () => {
    const text = defineModel({ dosewise: 'text', file: 'negexp.model', text: 'model "change from baseline"\ntheta CL = 5, V = 50, KE0 = 0.7, EMAX = 80, TVEC50 = 2\neta ETA_EC50 ~ 0.1\ncompartment CENT, CE\nEC50 = TVEC50 * exp(ETA_EC50)\nC = CENT / V\nd/dt(CENT) = -CL / V * CENT\nd/dt(CE) = KE0 * (C - CE)\nobserve = -EMAX * CE / (EC50 + CE)\nresidual exponential 0.2\n' });
    const fit = estimate(text, readNmtran('ID,TIME,EVID,AMT,CMT,RATE,DV,MDV\n1,0,1,100,1,0,.,1\n1,2,0,0,0,0,25,0\n1,6,0,0,0,0,20,0\n').records);
    expect(fit.ofv).toBe(Infinity);
    expect(fit.message).toMatch(/row 2 \(TIME 2, predicted -\d+(\.\d+)?\).*the model predicts 0 or a negative value there, .*needs an additive or combined error/);
  });
});
