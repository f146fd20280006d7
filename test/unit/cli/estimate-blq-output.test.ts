// estimate's text output printed BLQ rows (BLQ 1, LLOQ 0.5) as "DV 0.500000, IPRED 0.117528, IWRES ."
// like measured levels of 0.5 (the chart blq.csv). They now read "<0.5 (BLQ)" in the DV column,
// and the JSON gives per record (as ipred) `blq` (true for a BLQ level) and `lloq` (its limit on
// DV's scale, null elsewhere). A quantified row with an LLOQ column (row 3) stays a measured level.
//
// Reference: scipy MAP of the same data (1-cmt, combined error 0.3 + 15 %, M3; blq.py
// with the script ref.py, run once): η (0.6448185411, 0.0394063025), OFV 5.359813424028743; IPRED
// at 24 h 0.11752793 (scipy.linalg.expm, at that η).

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-estimate-blq-');
const model = write('blq.json', {
  dosewise: 2,
  name: 'blq',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.1, 0.04], [0.04, 0.08]] },
  residual: { model: 'combined', additive: 0.3, proportional: 0.15 },
});
const data = write('blq.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ\n1,0,1,1000,500,.,1,0,.\n1,1,0,.,.,14.0,0,0,.\n1,12,0,.,.,2.0,0,0,0.5\n1,24,0,.,.,0.5,0,1,0.5\n1,36,0,.,.,0.5,0,1,0.5\n');

describe('estimate marks BLQ levels', () => {
  it('text: "<0.5 (BLQ)" in the DV column of the BLQ rows, the measured levels as before', async () => {
    const r = await cli(['estimate', '--model', model, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/OFV 5\.359813/);
    const lines = r.out.split('\n');
    const row = (t: string) => lines.find((l) => l.trim().startsWith(`${t} `)) ?? '';
    expect(row('24.0000')).toMatch(/^\s+24\.0000\s+0\s+<0\.5 \(BLQ\)\s+0\.117528\s+\S+\s+\.$/);
    expect(row('36.0000')).toMatch(/<0\.5 \(BLQ\)/);
    expect(row('12.0000')).toMatch(/^\s+12\.0000\s+0\s+2\.00000\s/);
    expect(r.out).not.toMatch(/0\.500000/);
  });

  it('JSON: blq and lloq per record, as ipred; the estimate as scipy\'s', async () => {
    const r = await cli(['estimate', '--model', model, '--data', data, '--json']);
    expect(r.code, r.err).toBe(0);
    const [fit] = JSON.parse(r.out) as { blq: boolean[]; lloq: (number | null)[]; eta: number[]; ofv: number; ipred: number[] }[];
    expect(fit?.blq).toEqual([false, false, false, true, true]);
    expect(fit?.lloq).toEqual([null, null, null, 0.5, 0.5]);
    // measured: |Δη| 6.7e-10, |ΔOFV| 2e-15, |ΔIPRED| 4.5e-9 (scipy's printed to 8 digits)
    expect(Math.abs((fit?.eta[0] as number) - 0.6448185411)).toBeLessThan(5e-9);
    expect(Math.abs((fit?.ofv as number) - 5.359813424028743)).toBeLessThan(1e-12);
    expect(Math.abs((fit?.ipred[3] as number) - 0.11752793)).toBeLessThan(2e-8);
  });

  it('--no-blq: every row a measured level, no BLQ mark', async () => {
    const r = await cli(['estimate', '--model', model, '--data', data, '--no-blq', '--json']);
    const [fit] = JSON.parse(r.out) as { blq: boolean[] }[];
    expect(fit?.blq).toEqual([false, false, false, false, false]);
  });
});
