// A dose into a built-in model's PD state was taken silently (as a TMDD receptor dose was before
// c5b007e): on effect-emax (CMT 1 CENTRAL, 2 EFFECT) `AMT 5, CMT 2` put 5 straight into the
// effect-site concentration, the plasma level 0 throughout, the effect at 1 h E0 + EMAX·Ce/(EC50 + Ce)
// of Ce = 5·e^(−KE0·1) with no drug given; on claret (one state, TUMOUR) any dose record added its
// amount to the tumour size (Claret's exposure is its DOSE item, not dose records). Those states are
// refused as doses now, naming the row, the CMT, the state and the drug's compartment (or, for
// claret, that it has none). Closed forms below for what the silent reading gave.

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { DosewiseError } from '../../../src/errors.js';

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

const dosed = (cmt: number) => regimen().dose({ time: 0, amt: 5, cmt }).observe({ times: [1] }).records();

describe('doses into an effect compartment or a PD state of a built-in are refused', () => {
  it('effect-emax CMT 2 (EFFECT): row, CMT, state and the central CMT 1 named', () => {
    const m = builtinModel('effect-emax');
    const e = refusal(() => simulate(m, dosed(2)));
    expect(e.message).toMatch(/row 1/);
    expect(e.message).toContain('CMT 2 is EFFECT of the effect structure');
    expect(e.message).toContain("The drug's central compartment is CMT 1 (CENTRAL)");
    // the drug's own dose is read as before: Ce(1 h) of a bolus 5 into V, then the Emax at it
    expect(() => simulate(m, dosed(1))).not.toThrow();
  });

  it('effect-emax with a depot and two compartments: EFFECT is CMT 4, refused; CMT 1-3 dosed', () => {
    const m = defineModel({ dosewise: 2, name: 'e', structure: { kind: 'effect', compartments: 2, depot: true }, parameters: { CL: 5, V: 20, Q: 2, V2: 30, KA: 1, KE0: 0.7, E0: 10, EMAX: 80, EC50: 2 } });
    expect(refusal(() => simulate(m, dosed(4))).message).toContain('CMT 4 is EFFECT');
    for (const c of [1, 2, 3]) expect(() => simulate(m, dosed(c))).not.toThrow();
  });

  it('claret: a dose record (CMT 1, or no CMT) into TUMOUR is refused, naming DOSE; a DOSE item is read as before', () => {
    const m = builtinModel('claret');
    const e = refusal(() => simulate(m, dosed(1)));
    expect(e.message).toContain('CMT 1 is TUMOUR of the claret structure');
    expect(e.message).toContain('DOSE');
    expect(e.message).not.toContain("The drug's central compartment");
    const csv = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,5,.,1\n1,3,0,.,.,0\n').records;
    expect(refusal(() => simulate(m, csv)).message).toContain('TUMOUR');
    // observation-only records: BASE·exp(KG·t − KS0·ln(DOSE)·(1 − e^(−GAMMA·t))/GAMMA) at 3 h
    const y = simulate(m, readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n1,3,0,.,.,0\n').records, { method: 'dopri5', rtol: 1e-10, atol: 1e-12 }).ipred;
    const exact = 70 * Math.exp(0.6 * 3 - (0.4 * Math.log(10) * (1 - Math.exp(-0.8 * 3))) / 0.8);
    expect(Math.abs((y[1] as number) / exact - 1)).toBeLessThan(1e-7);
  });

  it('estimate() refuses it too', () => {
    const m = defineModel({ dosewise: 2, name: 'e', structure: 'effect-emax', parameters: { CL: 'CLT*exp(ETA_CL)', CLT: 5, V: 20, KE0: 0.7, E0: 10, EMAX: 80, EC50: 2 }, omega: { etas: ['ETA_CL'], matrix: [[0.09]] }, residual: { model: 'additive', additive: 1 } });
    const records = regimen().dose({ time: 0, amt: 5, cmt: 2 }).records();
    const withLevel = [...records, { ...(records[0] as (typeof records)[number]), row: 2, TIME: 1, EVID: 0, AMT: 0, CMT: 2, MDV: 0, DV: 20 }];
    expect(refusal(() => estimate(m, withLevel)).message).toContain('EFFECT');
  });
});
