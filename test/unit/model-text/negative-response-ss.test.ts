// A response a drug drives below its zero: d/dt(E) = KIN − KOUT·E − EMAX·P/(EC50 + P) with EMAX >
// KIN settles at E = −18.30 under 100 mg q12h. Its SS dose was refused with every method ("the
// steady-state solve found a negative amount ... none may exist (the dose rate exceeding the
// largest elimination rate)"): E stays ≥ 0 over a first cycle from the state before the dose, so
// its negative periodic state was judged a root of the equations, as an amount's would be. An
// amount cannot leave 0 (its outflows vanish with it); E can (its rate at 0 is below 0 there), and
// is no longer judged so. Reference: test/oracle/negative_response_ss.py (DOP853 rtol 1e-13).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const ref = JSON.parse(readFileSync(new URL('../../oracle/negative-response-ss.json', import.meta.url), 'utf8')) as { trough: number[]; at6: number[] };

const TEXT = `model "PD state negative at steady state only"
theta CL = 1, V = 10, Q = 0.5, V2 = 100, KIN = 1, KOUT = 0.1, EMAX = 3, EC50 = 50
compartment A, P, E
init(E) = KIN / KOUT
d/dt(A) = -CL / V * A - Q / V * A + Q / V2 * P
d/dt(P) = Q / V * A - Q / V2 * P
d/dt(E) = KIN - KOUT * E - EMAX * P / (EC50 + P)
observe = E
`;
const DATA = `ID,TIME,EVID,AMT,CMT,II,SS,MDV
1,0,1,100,1,12,1,1
1,6,0,0,1,0,0,0
1,12,0,0,1,0,0,0
`;

describe('SS of a response driven below 0', () => {
  const model = defineModel({ dosewise: 'text', text: TEXT });
  const records = readNmtran(DATA, { file: 'pdneg.csv' }).records;
  for (const method of ['auto', 'dopri5', 'dop853', 'rosenbrock'] as const)
    it(`is the periodic state (${method})`, () => {
      const a = simulate(model, records, { method }).amounts as Float64Array;
      for (const [row, want] of [[1, ref.at6], [2, ref.trough]] as const)
        for (let j = 0; j < 3; j++) expect(Math.abs((a[row * 3 + j] as number) - (want[j] as number)) / Math.abs(want[j] as number), `row ${row} state ${j}`).toBeLessThan(5e-8);
    });
});
