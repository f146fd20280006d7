// NONMEM's SS = 1: "compartment amounts resulting from prior dose event records are zeroed out, and
// infusions in progress or pending additional doses are cancelled". The ADDL copies of earlier
// records kept coming after an SS = 1 dose and after an EVID 3/4 reset (2.56× the level 10 h after
// an SS dose), exit 0. Closed forms: 1-cmt, CL 2 L/h, V 20 L (k = 0.1/h), 100 mg boluses.

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { givenAddl } from '../../../src/regimen/record.js';
import { regimenTimesOf } from '../../../src/population/metrics.js';

const k = 0.1;
const analytic = builtinModel('1cmt-iv', { CL: 2, V: 20 });
const text = defineModel({ dosewise: 'text', text: 'model "t"\ntheta CL = 2, V = 20\ncompartment CENT\nd/dt(CENT) = -CL / V * CENT\nobserve = CENT / V\n' });
const data = (rows: string[]) => readNmtran(['ID,TIME,EVID,AMT,CMT,ADDL,II,SS,DV,MDV', ...rows].join('\n')).records;
const level = (recs: ReturnType<typeof data>, at: number, model = analytic) => {
  const out = simulate(model, recs);
  return out.ipred[recs.findIndex((r) => r.EVID === 0 && r.TIME === at)] as number;
};

describe('a reset cancels the ADDL copies still pending', () => {
  it('SS = 1 at 40 h: the q12h copy due at 48 h is not given (analytic and ODE)', () => {
    const recs = data(['1,0,1,100,1,5,12,0,.,1', '1,40,1,100,1,0,12,1,.,1', '1,50,0,.,1,.,.,.,.,0']);
    const want = ((100 / (1 - Math.exp(-k * 12))) * Math.exp(-k * 10)) / 20;
    expect(Math.abs(level(recs, 50) / want - 1)).toBeLessThan(1e-12);
    expect(Math.abs(level(recs, 50, text) / want - 1)).toBeLessThan(1e-7);
  });

  it('EVID 3 at 20 h: nothing after it (the copy due at 24 h is cancelled)', () => {
    const recs = data(['1,0,1,100,1,5,12,0,.,1', '1,20,3,.,.,.,.,.,.,1', '1,30,0,.,1,.,.,.,.,0']);
    expect(level(recs, 30)).toBe(0);
  });

  it("EVID 4 at 20 h: only the new dose and its own copies (at 20 and 32 h)", () => {
    const recs = data(['1,0,1,100,1,5,12,0,.,1', '1,20,4,100,1,1,12,0,.,1', '1,40,0,.,1,.,.,.,.,0']);
    const want = (100 * Math.exp(-k * 20) + 100 * Math.exp(-k * 8)) / 20;
    expect(Math.abs(level(recs, 40) / want - 1)).toBeLessThan(1e-12);
  });

  it('a copy due at the reset time comes first and is wiped with the rest; one before it is given', () => {
    const recs = data(['1,0,1,100,1,5,12,0,.,1', '1,24,3,.,.,.,.,.,.,1', '1,23,0,.,1,.,.,.,.,0', '1,30,0,.,1,.,.,.,.,0'].sort((a, b) => Number(a.split(',')[1]) - Number(b.split(',')[1])));
    expect(Math.abs(level(recs, 23) / ((100 * Math.exp(-k * 23) + 100 * Math.exp(-k * 11)) / 20) - 1)).toBeLessThan(1e-12);
    expect(level(recs, 30)).toBe(0);
  });

  it('without a reset every copy is given (superposition of the six doses)', () => {
    const recs = data(['1,0,1,100,1,5,12,0,.,1', '1,70,0,.,1,.,.,.,.,0']);
    let want = 0;
    for (let j = 0; j <= 5; j++) want += (100 * Math.exp(-k * (70 - 12 * j))) / 20;
    expect(Math.abs(level(recs, 70) / want - 1)).toBeLessThan(1e-12);
  });

  it('givenAddl and the metric windows count only the copies given', () => {
    const recs = data(['1,0,1,100,1,5,12,0,.,1', '1,40,1,100,1,0,12,1,.,1', '1,50,0,.,1,.,.,.,.,0']);
    expect(givenAddl(recs, 0)).toBe(3); // 12, 24, 36 h; 48 and 60 h cancelled
    expect(givenAddl(data(['1,0,1,100,1,5,12,0,.,1', '1,24,3,.,.,.,.,.,.,1']), 0)).toBe(2); // 12, and 24 h itself
    expect(givenAddl(data(['1,0,1,100,1,5,12,0,.,1']), 0)).toBe(5);
    // the last dose before 64 h is the SS dose at 40 h, not a cancelled copy at 60 h
    expect(regimenTimesOf(recs, 64).lastDose).toBe(40);
  });
});
