// A steady-state dose with a lag: the periodic state before the record is built with the dose
// record's F, and the record's own dose, still in transit at its time, entered with the F of the
// record in force at its arrival. With F = AMT > 750 ? 0.5 : 1 (observation records have AMT 0)
// the level at 12 h was 8.397 against 4.943 at 0 h: no periodic state at all. Its entries now take
// the dose record's F, and the profile repeats every II.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const model = defineModel({
  dosewise: 2, name: 'ssF', structure: '1cmt-oral',
  parameters: { CL: 5, V: 50, KA: 1.2, F1: 'AMT > 750 ? 0.5 : 1', ALAG: 0.5 },
  compartments: { '1': { bioavailability: 'F1', lag: 'ALAG' } },
});

describe('SS = 1 with a lag and an F that depends on the dose record', () => {
  it('the profile repeats every II (level at 12 h = level at 0 h), at the closed-form steady state with F 0.5', () => {
    const r = readNmtran('ID,TIME,AMT,CMT,EVID,MDV,II,SS,DV\n1,0,1000,1,1,1,12,1,.\n1,0,0,2,0,0,0,0,.\n1,6,0,2,0,0,0,0,.\n1,12,0,2,0,0,0,0,.\n').records;
    const c = simulate(model, r).ipred;
    // closed form: doses of 500 (F 0.5) every 12 h, lag 0.5; level at phase θ after the last entry
    const k = 0.1, ka = 1.2, tau = 12, D = 500, V = 50;
    const ss = (theta: number) => ((D * ka) / (V * (ka - k))) * (Math.exp(-k * theta) / (1 - Math.exp(-k * tau)) - Math.exp(-ka * theta) / (1 - Math.exp(-ka * tau)));
    expect(c[1]).toBeCloseTo(ss(11.5), 10);
    expect(c[2]).toBeCloseTo(ss(5.5), 10);
    expect(c[3]).toBeCloseTo(c[1] as number, 10);
  });
});
