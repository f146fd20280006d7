// optimize --from next-dose while a continuous infusion of modelled duration runs: a 2 g load
// (INFD 0.5 h), then 18 g with RATE -2 and D1 = INFD = 72 h from 0.5 h, running until 72.5 h. The
// same history at RATE 250 was refused; with RATE -2 the 0.5-h spacing put the next dose at 24 h,
// on the running infusion, and every candidate "attained" on its level alone (exit 0).

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write: file } = tempFiles('dosewise-advice-rm2-');
const model = file('m_d1.json', {
  dosewise: 2,
  name: 'mero D1=INFD',
  structure: '1cmt-iv',
  covariates: { INFD: { unit: 'h', default: 4 } },
  parameters: { CL: { expr: '10 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: '20 * exp(ETA_V)', unit: 'L' }, D1: 'INFD' },
  compartments: { '1': { duration: 'D1' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
});
const args = ['--from', 'next-dose', '--target', 'tabove:16:0.5', '--doses', '1000:3000:500', '--intervals', '8', '--infusions', '4', '--top', '3', '--draws', '100'];

describe('next-dose while a RATE -2 infusion runs', () => {
  it('is refused naming the infusion and its end, as at a fixed rate', async () => {
    const data = file('rm2.csv', 'ID,TIME,EVID,AMT,RATE,INFD,DV,MDV\n1,0,1,2000,-2,0.5,.,1\n1,0.5,1,18000,-2,72,.,1\n1,12,0,.,.,72,24,0\n1,24,0,.,.,72,26,0\n');
    const r = await cli(['optimize', '--model', model, '--data', data, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from next-dose: the last dose \(row 2: AMT 18000 at 0\.5 h, RATE -2\) is an infusion running until 72\.5 h.*--from 72\.5/);
  });

  it('places the next dose of an ordinary q8h RATE -2 history (4-h infusions) at 32 h', async () => {
    const data = file('q8.csv', 'ID,TIME,EVID,AMT,RATE,INFD,DV,MDV\n1,0,1,1000,-2,4,.,1\n1,8,1,1000,-2,4,.,1\n1,16,1,1000,-2,4,.,1\n1,24,1,1000,-2,4,.,1\n1,30,0,.,.,4,20,0\n');
    const r = await cli(['optimize', '--model', model, '--data', data, ...args, '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { from: number }[])[0]?.from).toBe(32);
  });
});
