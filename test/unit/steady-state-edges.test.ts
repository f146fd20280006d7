// Steady states refused where they exist. (1) An infusion longer than its interval (10 mg over
// 24 h every 0.1 h): the ODE path counted a cycle's input as rate × τ (0.04 mg), so a periodic
// state of 4,255 doses read as "no steady state" ("the dose rate exceeds the largest elimination
// rate"), model texts too. (2) An SS dose into the central compartment of a model whose depot has
// KA = 0, or whose peripheral has Q = 0: the state the dose never reaches made I − Φ(τ) singular.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { compileModel } from '../../src/engine/model-text.js';
import { simulate } from '../../src/engine/simulate.js';
import { readNmtran } from '../../src/regimen/nmtran.js';

const long = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS\n1,0,1,10,1,0.4166666666666667,0,0.1,1\n1,0,0,.,1,.,.,.,.\n').records;

describe('an SS infusion longer than its interval', () => {
  it('ODE methods give (AMT/II)/CL as analytic does, CL 0.235 and 0.2 (refused before)', () => {
    for (const cl of [0.235, 0.2]) {
      const m = builtinModel('1cmt-iv', { CL: cl, V: 100 });
      const exact = 10 / 0.1 / cl;
      expect((simulate(m, long, { method: 'analytic' }).ipred[1] as number) / exact - 1).toBeLessThan(1e-12);
      for (const method of ['dopri5', 'dop853', 'rosenbrock'] as const) {
        const v = simulate(m, long, { method }).ipred[1] as number;
        expect(Math.abs(v / exact - 1), `${method} CL ${cl}`).toBeLessThan(1e-6);
      }
    }
  });
  it('a non-linear model text reaches its periodic state (brentq: 100 = 0.1·C + 0.01·C/(50 + C), C = 999.90476…)', async () => {
    const m = await compileModel('model "long mm"\ntheta V = 100, CL = 0.1, VMAX = 0.01, KM = 50\ncompartment CEN\nd/dt(CEN) = -CL/V*CEN - VMAX*(CEN/V)/(KM + CEN/V)\nobserve = CEN / V\n', { cacheDir: false, tier: 'auto' });
    // the concentration where 100 mg/h in equals 0.1·C·… out: C·V in amount, C in mg/L
    const c = 999.9047623367179;
    const v = simulate(m, long, { method: 'auto' }).ipred[1] as number;
    expect(Math.abs(v / c - 1)).toBeLessThan(1e-5);
  });
});

describe('an SS dose that never reaches a state', () => {
  const ka0 = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS\n1,0,1,100,2,0,0,12,1\n1,0,0,.,2,.,.,.,.\n1,5,0,.,2,.,.,.,.\n').records;
  // 100/(1 − e^(−0.1·12))/50 after the dose, × e^(−0.5) at 5 h
  const post = 100 / (1 - Math.exp(-1.2)) / 50;
  it('KA = 0 with the dose into the central compartment: its periodic state, analytic and ODE', () => {
    const m = builtinModel('1cmt-oral', { KA: 0, CL: 5, V: 50 });
    for (const method of ['analytic', 'dopri5', 'rosenbrock'] as const) {
      const r = simulate(m, ka0, { method });
      expect(Math.abs((r.ipred[1] as number) / post - 1), method).toBeLessThan(method === 'analytic' ? 1e-13 : 1e-6);
      expect(Math.abs((r.ipred[2] as number) / (post * Math.exp(-0.5)) - 1), method).toBeLessThan(method === 'analytic' ? 1e-13 : 1e-6);
    }
  });
  // the analytic path still refuses Q = 0 (a disposition rate of 0 in its spectral solve): README limits
  it('Q = 0 with the dose into the central compartment, ODE methods', () => {
    const q0 = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS\n1,0,1,100,1,0,0,12,1\n1,0,0,.,1,.,.,.,.\n1,5,0,.,1,.,.,.,.\n').records;
    const m = builtinModel('2cmt-iv', { CL: 5, V: 50, Q: 0, V2: 30 });
    for (const method of ['dopri5', 'rosenbrock'] as const) {
      const r = simulate(m, q0, { method });
      expect(Math.abs((r.ipred[1] as number) / post - 1), method).toBeLessThan(1e-6);
    }
  });
  it('a dose into the depot at KA = 0 still has no steady state (it only accumulates)', () => {
    const intoDepot = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS\n1,0,1,100,1,0,0,12,1\n1,0,0,.,2,.,.,.,.\n').records;
    expect(() => simulate(builtinModel('1cmt-oral', { KA: 0, CL: 5, V: 50 }), intoDepot, { method: 'analytic' })).toThrow(/no steady state/);
  });
});
