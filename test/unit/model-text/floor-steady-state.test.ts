// An SS = 1 dose of a text whose elimination reads floor(t) (a 24-h sawtooth, which the solver
// cannot stop at) with the discontinuity inside the dosing cycle. DOP853's cycle map then jumps by
// ~1e-7 mg between nearby iterates at a 0.4 mg trough (its own error at rtol 1e-8 after a 100 mg
// dose), so Newton's steps never reached ssTol (1e-10 of the trough) and `auto` and `dop853`
// refused the dose as having no steady state; `dopri5` and `rosenbrock` gave it. Closed form: the
// model is linear in the amount, k(t) = 0.2·(1 + 0.3·(t mod 24)/24), ∫ over 24 h = 5.52.

import { describe, expect, it } from 'vitest';
import { defineModel, type SolverMethod } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const text = 'model "circ"\ntheta V = 10, CL = 2, AMP = 0.3\ncompartment CENTRAL\nd/dt(CENTRAL) = -CL * (1 + AMP * (t - 24 * floor(t / 24)) / 24) * CENTRAL / V\nobserve = CENTRAL / V\n';
// ID 2: a reset at 2, then 100 mg q24h at steady state from TIME 5 (EVID 4 and EVID 1)
const data = (evid: number): string =>
  ['ID,TIME,EVID,AMT,CMT,RATE,II,SS,ADDL,DV,MDV', '2,0,0,0,1,0,0,0,0,.,0', '2,2,2,0,0,0,0,0,0,.,1', `2,5,${evid},100,1,0,24,1,0,.,1`, '2,6,0,0,1,0,0,0,0,.,0'].join('\n');

/** The periodic amount right after the dose at 5, and 1 h later (k over [5, 6] averages 0.2·(1 + 0.3·5.5/24)). */
const atDose = 100 / (1 - Math.exp(-5.52));
const oneHourOn = atDose * Math.exp(-0.2 * (1 + (0.3 * 5.5) / 24));

describe('steady state across a floor(t) switch inside the dosing cycle', () => {
  const model = defineModel({ dosewise: 'text', text });
  for (const evid of [4, 1])
    for (const method of ['auto', 'dop853', 'dopri5', 'rosenbrock'] as SolverMethod[])
      it(`EVID ${evid}, ${method}`, () => {
        const sim = simulate(model, readNmtran(data(evid)).records, { method });
        const a = Array.from(sim.amounts ?? []);
        // rows: 0, 2, 5 (the dose), 6; measured 4.8e-11 (dop853, auto), 3.2e-9 (dopri5), 1.6e-10 (rosenbrock)
        expect(Math.abs((a[2] as number) / atDose - 1)).toBeLessThan(1e-8);
        expect(Math.abs((a[3] as number) / oneHourOn - 1)).toBeLessThan(1e-8);
      });
});

// The same for an input switched on t·t (from 2 to 7.5 h, which the solver cannot stop at either),
// q24h from TIME 0: every method refused it before (README's "miss"); now each gives the periodic
// state within what stepping across an unstopped switch leaves. Closed form: k 0.1 /h, 10 /h input.
describe('steady state across an input switched on t·t inside the dosing cycle', () => {
  const k = 0.1;
  const input = (10 / k) * (1 - Math.exp(-5.5 * k));
  const trough = ((100 * Math.exp(-7.5 * k) + input) * Math.exp(-16.5 * k)) / (1 - Math.exp(-24 * k));
  const at = (t: number): number => (trough + 100) * Math.exp(-k * t) + (t > 7.5 ? input * Math.exp(-k * (t - 7.5)) : 0);
  const switched = 'model "m"\ntheta K = 0.1, V = 10\ncompartment CENT\nIN = if(t * t > 4, if(t * t < 56.25, 10, 0), 0)\nd/dt(CENT) = IN - K * CENT\nobserve = CENT / V\n';
  const model = defineModel({ dosewise: 'text', text: switched });
  const records = readNmtran('ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV\n1,0,1,100,1,24,1,.,1\n1,11.99,0,.,1,.,.,.,0\n').records;
  for (const method of ['auto', 'dop853', 'dopri5', 'rosenbrock'] as SolverMethod[])
    it(method, () => {
      const a = Array.from(simulate(model, records, { method }).amounts ?? []);
      // measured 1.3e-8 / 3.6e-8 (dop853, auto), 9.7e-8 / 8.5e-7 (dopri5), 4.3e-10 / 5.2e-9 (rosenbrock)
      expect(Math.abs((a[0] as number) / at(0) - 1)).toBeLessThan(3e-6);
      expect(Math.abs((a[1] as number) / at(11.99) - 1)).toBeLessThan(3e-6);
    });
});
