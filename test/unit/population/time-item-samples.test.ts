// A parameter that reads TIME reads the governing record's TIME at a metric's samples, as it reads
// every other item there: the samples of auc:1:10 carried their own TIME, so a CL that steps at
// TIME 5 stepped at the first sample past 5 instead of over the interval the 10-h record governs
// (NOCB), and the AUC depended on which metrics were asked for.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-time-item-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const model = {
  dosewise: 2,
  name: 'time step CL',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVV: { value: 50, unit: 'L' } },
  parameters: { CL: { expr: '(TIME > 5 ? 8 : 4) * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
};
const regimen = ['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,1000,1,.,1', '1,1,0,.,1,.,0', '1,10,0,.,1,.,0', '1,12,0,.,1,.,0'].join('\n') + '\n';

describe('metric samples of a model that reads TIME', () => {
  it('auc:1:10 and conc@4 follow the records (CL 4 over (0, 1], 8 over (1, 10] under NOCB)', async () => {
    const m = join(tmp, 'm.json');
    const r = join(tmp, 'r.csv');
    writeFileSync(m, JSON.stringify(model));
    writeFileSync(r, regimen);
    const out = join(tmp, 'out');
    const res = await cli(['population', '--model', m, '--regimen', r, '--n', '3', '--metric', 'auc:1:10', '--metric', 'conc@4', '--out', out, '--workers', '0', '--no-progress']);
    expect(res.code, res.err).toBe(0);
    const [head, row] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const cols = (head as string).split(',');
    const v = (row as string).split(',').map(Number);
    const c1 = 20 * Math.exp(-0.08);
    const k = 8 / 50;
    expect(Math.abs((v[cols.indexOf('auc:1:10')] as number) / ((c1 / k) * (1 - Math.exp(-9 * k))) - 1)).toBeLessThan(1e-6);
    expect(Math.abs((v[cols.indexOf('conc@4')] as number) / (c1 * Math.exp(-3 * k)) - 1)).toBeLessThan(1e-12);
  });
});
