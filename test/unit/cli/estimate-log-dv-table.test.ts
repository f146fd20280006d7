// estimate's table printed the levels of an exponential error on the log scale they are read on
// (DV 2.19722 beside IPRED 8.87399): their concentration, exp(DV), is shown beside them now, on
// IPRED's scale; a BLQ level's limit likewise.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-logdv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const model = (residual: object): string => {
  const p = join(tmp, `m${Object.keys(residual).length}.json`);
  writeFileSync(p, JSON.stringify({ dosewise: 2, name: 'oral-exp', structure: { kind: 'linear', compartments: 1, depot: true }, parameters: { CL: '5*exp(ETA_CL)', V: '40*exp(ETA_V)', KA: '1.2' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.16, 0.09] }, residual }));
  return p;
};
const data = join(tmp, 'd.csv');
writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,CMT,BLQ\n1,0,1,1000,.,1,1,0\n1,1,0,.,2.197225,0,2,0\n1,4,0,.,2.602690,0,2,0\n1,48,0,.,-1.203973,0,2,1\n');

describe('estimate table with levels on the log scale', () => {
  it('shows exp(DV) beside the log DV, and the BLQ limit as a concentration', async () => {
    const r = await cli(['estimate', '--model', model({ model: 'exponential', exponential: 0.2 }), '--data', data]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    const head = lines.find((l) => /^\s+TIME\s+EVID/.test(l)) as string;
    expect(head.trim().split(/\s+/)).toEqual(['TIME', 'EVID', 'DV', 'exp(DV)', 'IPRED', 'PRED', 'IWRES']);
    const at1 = (lines.find((l) => /^\s+1\.00000\s+0\s/.test(l)) as string).trim().split(/\s+/);
    expect(at1[2]).toBe('2.19722');
    // e^2.197225 = 9.00000
    expect(Number(at1[3])).toBeCloseTo(9, 4);
    const blq = lines.find((l) => /^\s+48\.0000\s+0\s/.test(l)) as string;
    // the limit e^-1.203973 = 0.3
    expect(blq).toMatch(/<-1\.20397 \(BLQ\)\s+<0\.3\s/);
  });

  it('no such column for levels in concentration', async () => {
    const p = join(tmp, 'c.csv');
    writeFileSync(p, 'ID,TIME,EVID,AMT,DV,MDV,CMT\n1,0,1,1000,.,1,1\n1,1,0,.,9,0,2\n1,4,0,.,13.5,0,2\n');
    const c = await cli(['estimate', '--model', model({ model: 'proportional', proportional: 0.2 }), '--data', p]);
    expect(c.code, c.err).toBe(0);
    expect((c.out.split('\n').find((l) => /^\s+TIME\s+EVID/.test(l)) as string).trim().split(/\s+/)).toEqual(['TIME', 'EVID', 'DV', 'IPRED', 'PRED', 'IWRES']);
  });
});
