// A dose into a built-in TMDD's receptor or complex state. On `tmdd` (no
// depot: CMT 1 central, 2 receptor, 3 complex) `AMT 5, CMT 2` added 5 to the free-receptor
// concentration (4 → 9) with exit 0, and the drug never appeared (IPRED 0 throughout): CMT
// numbering carried over from an ADVAN2-style data set (central = 2). Those states are target
// concentrations, not drug compartments: a dose there is refused naming the row, the CMT, the
// state and the drug's central CMT, on every path that compiles doses (simulate, estimate).

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
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

describe('doses into a TMDD structure’s receptor or complex state are refused', () => {
  it('tmdd CMT 2 (RECEPTOR) and CMT 3 (COMPLEX): row, CMT, state and the central CMT 1 named', () => {
    const m = builtinModel('tmdd');
    const e = refusal(() => simulate(m, dosed(2)));
    expect(e.message).toMatch(/row 1/);
    expect(e.message).toContain('CMT 2');
    expect(e.message).toContain('RECEPTOR');
    expect(e.message).toContain('CMT 1');
    expect(refusal(() => simulate(m, dosed(3))).message).toContain('COMPLEX');
  });

  it('tmdd-qss CMT 2 (RTOTAL) is refused; its CMT 1 (TOTAL, the drug) is dosed', () => {
    const m = builtinModel('tmdd-qss');
    expect(refusal(() => simulate(m, dosed(2))).message).toContain('RTOTAL');
    expect(() => simulate(m, dosed(1))).not.toThrow();
  });

  it('a TMDD with a depot: CMT 3 (RECEPTOR) refused, naming CMT 2 as central; CMT 1 and 2 dosed', () => {
    const m = defineModel({ dosewise: 2, name: 't', structure: { kind: 'tmdd', compartments: 1, depot: true }, parameters: { V: 3, KEL: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1, KDEG: 0.25, KA: 1.2 } });
    const e = refusal(() => simulate(m, dosed(3)));
    expect(e.message).toContain('RECEPTOR');
    expect(e.message).toContain('CMT 2');
    expect(() => simulate(m, dosed(1))).not.toThrow();
    expect(() => simulate(m, dosed(2))).not.toThrow();
  });

  it('the drug’s own dose is unchanged: tmdd CMT 1, 5 into V 3 gives A1(0+) = 5 (C 5/3 at the dose)', () => {
    const sim = simulate(builtinModel('tmdd'), regimen().dose({ time: 0, amt: 5, cmt: 1 }).observe({ times: [0] }).records());
    expect(Math.abs((sim.ipred[sim.ipred.length - 1] as number) / (5 / 3) - 1)).toBeLessThan(1e-12);
  });

  it('estimate() refuses it too', () => {
    const m = defineModel({ dosewise: 2, name: 't', structure: 'tmdd', parameters: { V: 3, KEL: 'KELT*exp(ETA_KEL)', KELT: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1, KDEG: 0.25 }, omega: { etas: ['ETA_KEL'], matrix: [[0.09]] }, residual: { model: 'proportional', proportional: 0.1 } });
    const records = regimen().dose({ time: 0, amt: 5, cmt: 2 }).records();
    const withLevel = [...records, { ...(records[0] as (typeof records)[number]), row: 2, TIME: 1, EVID: 0, AMT: 0, CMT: 1, MDV: 0, DV: 1 }];
    expect(refusal(() => estimate(m, withLevel)).message).toContain('RECEPTOR');
  });
});
