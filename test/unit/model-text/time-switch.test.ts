// A comparison of t in a text's equations switches them at a time the solver does not stop at; a
// step across the switch is held only by its error estimate. The text compiler says so, once,
// where the first one is; the same input as an infusion record, which the solver stops at, meets
// the tolerance. Closed form: input 10/h over [0, 5.3], k = 0.3/h, V = 5.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const switched = 'model "t input"\ntheta K = 0.3, V = 5\ncompartment CENT\nIN = if(t < 5.3, 10, 0)\nd/dt(CENT) = IN - K * CENT\nobserve = CENT / V\n';
const plain = switched.replace('IN = if(t < 5.3, 10, 0)', 'IN = 0');
const exact = (t: number): number => ((10 / 0.3) * (1 - Math.exp(-0.3 * Math.min(t, 5.3))) * Math.exp(-0.3 * Math.max(0, t - 5.3))) / 5;

describe('a switch on t in the equations', () => {
  it('is warned once, at its place', () => {
    const w = compileModelText(switched, 'm.model').model.warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^m\.model:4:\d+: warning: the equations switch on t here, at a time the solver does not stop at/);
    expect(compileModelText(plain, 'm.model').model.warnings).toEqual([]);
    // a time switch through a local, and in d/dt itself
    expect(compileModelText(switched.replace('IN = if(t < 5.3, 10, 0)', 'TT = t * 2\nIN = if(TT > 10.6, 0, 10)'), 'm.model').model.warnings[0]).toMatch(/m\.model:5:/);
  });

  it('the same input as an infusion record meets the tolerance; the switch only by its error estimate', () => {
    const times = [5, 6, 10, 20];
    const obs = times.map((t) => `1,${t},0,.,.,1,.,0`);
    const infusion = simulate(defineModel({ dosewise: 'text', text: plain }), readNmtran(['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV', '1,0,1,53,10,1,.,1', ...obs].join('\n')).records, { method: 'dopri5' });
    const viaSwitch = simulate(defineModel({ dosewise: 'text', text: switched }), readNmtran(['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV', ...obs].join('\n')).records, { method: 'dopri5' });
    const err = (ipred: Float64Array, skip: number) => Math.max(...times.map((t, i) => Math.abs((ipred[i + skip] as number) / exact(t) - 1)));
    expect(err(infusion.ipred, 1)).toBeLessThan(2e-8); // measured 6.6e-9 (rtol 1e-8)
    expect(err(viaSwitch.ipred, 0)).toBeGreaterThan(1e-7); // measured 4.5e-7: what the warning is about
  });
});
