// A steady state that does not exist is refused, for every method. Saturable absorption and
// Michaelis–Menten elimination (VMAX·τ = 60 mg per 12 h): 61 mg every 12 h accumulates without
// bound, and Newton's method on the cycle map once ran off to states of 1e18–1e20 mg, where one
// cycle's input is below the state's rounding and the map looks like a fixed point (exit 0, IPRED
// 3.9e18). Below VMAX·τ the periodic state is the trough after many explicit doses. The kernel is
// interpreted here (no compilation): the shipped engine's steady-state code is what is tested.
// Also here: a prediction that is not a number (an observation outside its domain) is refused.

import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const TEXT = `theta KA = 1, V = 10, VMAX = 5, KM = 1, KAM = 100
compartment DEPOT, CENTRAL
ABS = KA * DEPOT / (1 + DEPOT/KAM)
C = CENTRAL / V
d/dt(DEPOT) = -ABS
d/dt(CENTRAL) = ABS - VMAX * C / (KM + C)
observe = C
`;

const ss = (amt: number) => readNmtran(`ID,TIME,EVID,AMT,CMT,SS,II,DV,MDV\n1,0,1,${amt},1,1,12,.,1\n1,2,0,.,2,.,.,.,0`).records;

describe('steady state of a non-linear model text', () => {
  it('61 mg every 12 h against at most 60 mg eliminated: refused by every method', async () => {
    const model = await compileModel(TEXT, { cacheDir: false, tier: 'auto' });
    for (const method of ['auto', 'dop853', 'dopri5', 'rosenbrock'] as const)
      expect(() => simulate(model, ss(61), { method }), method).toThrow(/steady state/);
  });

  it('50 mg every 12 h: the periodic state equals the level 2 h after the 400th explicit dose', async () => {
    const model = await compileModel(TEXT, { cacheDir: false, tier: 'auto' });
    const explicit = readNmtran(`ID,TIME,EVID,AMT,CMT,ADDL,II,DV,MDV\n1,0,1,50,1,399,12,.,1\n1,${399 * 12 + 2},0,.,2,.,.,.,0`).records;
    const want = simulate(model, explicit, { method: 'dop853', rtol: 1e-10, atol: 1e-12 }).ipred[1] as number;
    for (const method of ['auto', 'dop853', 'dopri5', 'rosenbrock'] as const) {
      const got = simulate(model, ss(50), { method, rtol: 1e-10, atol: 1e-12 }).ipred[1] as number;
      expect(Math.abs(got / want - 1), method).toBeLessThan(1e-6);
    }
  });
});

describe('an observation outside its domain', () => {
  it('is refused, naming the record, not printed as a blank with exit 0', async () => {
    const model = await compileModel('theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * A\nobserve = log(A / V - 2)\n', { cacheDir: false, tier: 'auto' });
    const recs = (times: number[]) => readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,100,1,.,1', ...times.map((t) => `1,${t},0,.,1,.,0`)].join('\n')).records;
    // A/V = 10·e^(−0.1 t): above 2 until t = 16.1 h
    expect(simulate(model, recs([1, 10])).ipred[2]).toBeCloseTo(Math.log(10 * Math.exp(-1) - 2), 6);
    expect(() => simulate(model, recs([1, 20]))).toThrow(/ID 1, TIME 20\): the model's prediction is not a number there/);
  });
});
