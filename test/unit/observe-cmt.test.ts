// Observation records naming another compartment read its amount divided by S<n> (NONMEM's
// F = A(n)/S(n)), e.g. a metabolite or the depot; without S<n> the amount itself.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';

const csv = `ID,TIME,EVID,AMT,CMT
1,0,1,100,1
1,2,0,0,1
1,2,0,0,2
1,2,0,0,0
`;

describe('observations of a named compartment', () => {
  it('reads A(n)/S(n), the default output otherwise', () => {
    const base = { dosewise: 1, name: 'oral', structure: 'advan2', parameters: { CL: 2, V: 20, KA: 0.7 } };
    const data = readNmtran(csv);
    const ka = 0.7;
    const k = 0.1;
    const depot = 100 * Math.exp(-ka * 2);
    const central = ((100 * ka) / (ka - k)) * (Math.exp(-k * 2) - Math.exp(-ka * 2));
    const plain = simulate(defineModel(base), data.records).ipred;
    expect(plain[1]).toBeCloseTo(depot, 10);
    expect(plain[2]).toBeCloseTo(central / 20, 10);
    expect(plain[3]).toBeCloseTo(central / 20, 10);
    const scaled = simulate(defineModel({ ...base, parameters: { ...base.parameters, S1: 4 } }), data.records).ipred;
    expect(scaled[1]).toBeCloseTo(depot / 4, 10);
  });
});
