// Exact propagation of a linear model text takes exp(K·Δt) by scaling and squaring, whose rounding
// grows like ‖K·Δt‖·ε in the slow modes. A depot at KA = 1e7/h and elimination at 1e-6/h, observed
// 1e6 h after the dose, read 0.369319 for exp(−1.001) = 0.367512 (0.49 %), exit 0. Above ‖K‖₁·Δt =
// 2^32 the engine now refuses the step (Status.ExactLossy) and names the way out; below it the
// error stays under ~1e-6 (measured 5e-8 at ‖K‖₁·Δt = 2e9 and 1.0e-6 at 4e9, just under the bound).

import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const text = (ka: number) => `theta KA = ${ka}, CL = 1.001e-6, V = 1
compartment DEPOT, CENTRAL
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - CL / V * CENTRAL
observe = CENTRAL / V
`;
const records = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,1,1,.,1\n1,1e6,0,.,2,.,0\n').records;
// the depot is empty within microseconds: the level is exp(−CL/V·t) to far below 1e-12
const exact = Math.exp(-1.001);

describe('exact propagation where exp(K·Δt) would lose accuracy', () => {
  it('KA = 1e7/h over 1e6 h (‖K‖₁·Δt = 2e13): refused with auto and analytic, naming rosenbrock; rosenbrock is right', async () => {
    const model = await compileModel(text(1e7), { cacheDir: false, tier: 'auto' });
    for (const method of ['auto', 'analytic'] as const)
      expect(() => simulate(model, records, { method }), method).toThrow(/row 2 \(ID 1, TIME 1000000\): the solver reached TIME 0 \(row 1\), not this record: exact propagation would lose accuracy here: .*give method: 'rosenbrock'/);
    const r = simulate(model, records, { method: 'rosenbrock', rtol: 1e-10, atol: 1e-14 }).ipred[1] as number;
    expect(Math.abs(r / exact - 1)).toBeLessThan(1e-8);
  });

  it('KA = 1e3/h over 1e6 h (‖K‖₁·Δt = 2e9): propagated, within 1e-7 of the closed form', async () => {
    const model = await compileModel(text(1e3), { cacheDir: false, tier: 'auto' });
    const v = simulate(model, records, { method: 'auto' }).ipred[1] as number;
    console.info(`KA 1e3: relative error ${Math.abs(v / exact - 1).toExponential(2)}`);
    expect(Math.abs(v / exact - 1)).toBeLessThan(2e-7);
  });

  it('KA = 1e7/h, CL/V = 0.1/h over 200 h (‖K‖₁·Δt = 4e9, just under 2^32): propagated, within ~1e-6', async () => {
    const model = await compileModel('theta KA = 1e7, CL = 0.1, V = 1\ncompartment DEPOT, CENTRAL\nd/dt(DEPOT) = -KA * DEPOT\nd/dt(CENTRAL) = KA * DEPOT - CL / V * CENTRAL\nobserve = CENTRAL / V\n', { cacheDir: false, tier: 'auto' });
    const recs = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,1,1,.,1\n1,200,0,.,2,.,0\n').records;
    // KA/(KA − k)·(e^(−k·t) − e^(−KA·t)) at t = 200 h: 2.0611536431e-9
    const closed = (1e7 / (1e7 - 0.1)) * Math.exp(-0.1 * 200);
    const v = simulate(model, recs, { method: 'auto' }).ipred[1] as number;
    console.info(`KA 1e7, 200 h: relative error ${Math.abs(v / closed - 1).toExponential(2)}`);
    expect(Math.abs(v / closed - 1)).toBeLessThan(2e-6);
  });
});
