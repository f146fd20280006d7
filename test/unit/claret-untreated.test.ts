// Claret's untreated arm (DOSE 0) and the model without resistance (GAMMA 0) were refused as
// "must be > 0", though the kernel reads both: DOSE ≤ 0 is no drug effect, GAMMA 0 a constant
// kill rate. Closed forms: y = BASE·exp(KG·t) untreated, BASE·exp((KG − KS0·ln DOSE)·t) at GAMMA 0.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';

const claret = (p: Record<string, number>) => defineModel({ dosewise: 2, name: 'claret', structure: 'claret', parameters: Object.fromEntries(Object.entries({ BASE: 70, KG: 0.6, KS0: 0.4, GAMMA: 0.8, DOSE: 10, ...p }).map(([k, v]) => [k, String(v)])) });
const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n1,3,0,.,.,0\n1,10,0,.,.,0\n').records;

describe('Claret at DOSE 0 and GAMMA 0', () => {
  it('an untreated arm grows at KG', () => {
    const y = simulate(claret({ DOSE: 0 }), records, { method: 'dopri5', rtol: 1e-10, atol: 1e-12 }).ipred;
    expect(y[1] as number).toBeCloseTo(70 * Math.exp(0.6 * 3), 6);
    expect((y[2] as number) / (70 * Math.exp(6)) - 1).toBeLessThan(1e-8);
  });
  it('without resistance the kill rate is constant (26.719 at 3, 2.824 at 10)', () => {
    const y = simulate(claret({ GAMMA: 0 }), records, { method: 'dopri5', rtol: 1e-10, atol: 1e-12 }).ipred;
    const r = 0.6 - 0.4 * Math.log(10);
    expect(Math.abs((y[1] as number) / (70 * Math.exp(r * 3)) - 1)).toBeLessThan(1e-8);
    expect(Math.abs((y[2] as number) / (70 * Math.exp(r * 10)) - 1)).toBeLessThan(1e-8);
  });
  it('still refuses a negative DOSE or GAMMA and BASE 0', () => {
    expect(() => simulate(claret({ DOSE: -1 }), records)).toThrow(/DOSE/);
    expect(() => simulate(claret({ GAMMA: -0.1 }), records)).toThrow(/GAMMA/);
    expect(() => simulate(claret({ BASE: 0 }), records)).toThrow(/BASE/);
  });
});
