// The subject table and strata on a parameter read the first record's parameters: a regimen with
// CRCL 120 on the dose at 0 h and 30 on every later record reported CL 7.07 for subject 1 (and put
// 3,503 of 5,000 subjects in "CL ≥ 4"), where under NOCB the first record governs no interval and
// the CL that ran was 7.07·30/120 = 1.77. They now give the last record's values, as estimate
// reports a patient's current parameters, and the run says the parameters change over the course.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-last-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const model = {
  dosewise: 2,
  name: 'time-varying CRCL',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  covariates: { CRCL: { unit: 'mL/min' } },
  parameters: { CL: { expr: 'TVCL * (CRCL/100) * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
};
const regimen = ['ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CRCL', '1,0,1,1000,1,500,3,12,0,.,1,120', '1,4,0,0,1,0,0,0,0,.,0,30', '1,12,0,0,1,0,0,0,0,.,0,30', '1,48,0,0,1,0,0,0,0,.,0,30'].join('\n') + '\n';

describe('population parameters of a regimen whose covariates change', () => {
  it('the subject table gives the CL that ran (the last record\'s), and a warning says it changes', async () => {
    const m = join(tmp, 'm.json');
    const r = join(tmp, 'r.csv');
    writeFileSync(m, JSON.stringify(model));
    writeFileSync(r, regimen);
    const out = join(tmp, 'out');
    const res = await cli(['population', '--model', m, '--regimen', r, '--n', '50', '--metric', 'conc@48', '--out', out, '--workers', '0', '--no-progress']);
    expect(res.code, res.err).toBe(0);
    expect(res.err).toMatch(/warning: regimen: CRCL changes over the records \(120 on row 1, 30 on row 2\).*the subject table's parameters and strata on a parameter are the last record's/);
    const [head, ...rows] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const cols = (head as string).split(',');
    for (const row of rows.slice(0, 10)) {
      const v = row.split(',').map(Number);
      const cl = v[cols.indexOf('CL')] as number;
      const eta = v[cols.indexOf('ETA_CL')] as number;
      // CL = 4·(30/100)·exp(η): the clearance of every interval under NOCB
      expect(cl / (1.2 * Math.exp(eta)) - 1).toBeLessThan(1e-12);
      // and it is the one that gives the level: 4 infusions of 1000 mg over 2 h, q12h, V 50
      const k = cl / 50;
      const c48 = [0, 12, 24, 36].reduce((a, s) => a + ((500 / k) * (1 - Math.exp(-2 * k)) * Math.exp(-k * (48 - s - 2))) / 50, 0);
      expect(Math.abs((v[cols.indexOf('conc@48')] as number) / c48 - 1)).toBeLessThan(1e-9);
    }
  });
});
