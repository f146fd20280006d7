// A steady-state dose of a two-compartment model whose peripheral exchange is 0 (Q = 0): the
// analytic path's closed form is singular there, and its refusal read "no steady state exists (no
// elimination, …)" with CL 5 L/h. It now says the other cause and the way out, which gives the
// exact value: A1 = 100/(1 − e^(−CL/V·12)) at the dose, 143.10127616 for CL 5, V 50 (closed form).

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { readNmtran } from '../../src/regimen/nmtran.js';

const records = readNmtran('ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV\n1,0,1,100,1,12,1,.,1\n1,0,0,.,1,.,0,.,0\n').records;
const model = builtinModel('2cmt-iv', { CL: 5, V: 50, Q: 0, V2: 80 });

describe('SS = 1 with Q = 0', () => {
  it('the analytic path names the missing exchange and --method dopri5', () => {
    expect(() => simulate(model, records, { method: 'analytic' })).toThrow(
      /row 1 \(ID 1, TIME 0\), the SS = 1 dose: no steady state exists \(no elimination, or elimination saturated below the dose rate\); or, on the analytic path, a compartment without exchange \(Q = 0 or nearly\): try method: 'dopri5'/,
    );
  });

  it('dopri5 gives the closed form', () => {
    const r = simulate(model, records, { method: 'dopri5' });
    const c = 100 / (1 - Math.exp(-0.1 * 12)) / 50;
    expect(Math.abs((r.ipred[1] as number) / c - 1)).toBeLessThan(1e-7);
  });
});
