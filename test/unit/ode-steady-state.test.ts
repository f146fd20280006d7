// ODE steady state (SS = 1/2) when the terminal half-life is much longer than II: Newton's method on
// the one-cycle map must reach the periodic state that the analytic solution gives in closed form
// (the analytic path is itself checked against mpmath in test/property/analytic-stability.test.ts).

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';

const obs = (recs: ReturnType<ReturnType<typeof regimen>['records']>, v: Float64Array | number[]): number[] =>
  Array.from(v).filter((_, k) => recs[k]!.EVID === 0);

describe('ODE steady state with terminal half-life ≫ II', () => {
  const cases = [
    // t½ ≈ 6900 h, II 12 h: λτ ≈ 1.2e-3 (repeating cycles would need ~2e4 of them)
    { name: '1cmt-oral', params: { CL: 0.001, V: 10, KA: 1 }, dose: { amt: 100, ii: 12 } },
    // a deep peripheral compartment: terminal λ ≈ 2e-6 /h, II 24 h, infusion over 2 h
    { name: '3cmt-iv', params: { CL: 5, V: 20, Q: 2, V2: 50, Q3: 0.01, V3: 5000 }, dose: { amt: 500, ii: 24, dur: 2 } },
    // bolus into a 2-cmt model with near-zero clearance (λτ ≈ 5e-6), SS = 2 on top of a prior dose
    { name: '2cmt-iv', params: { CL: 1e-4, V: 10, Q: 1, V2: 30 }, dose: { amt: 50, ii: 8 } },
  ] as const;

  for (const c of cases) {
    for (const method of ['dopri5', 'rosenbrock'] as const) {
      it(`${c.name}, ${method}: equals the closed form within 1e-6 of the peak`, () => {
        const model = builtinModel(c.name, c.params);
        let r = regimen();
        if (c.name === '2cmt-iv') r = r.dose({ time: 0, amt: 20 });
        const ss = c.name === '2cmt-iv' ? 2 : 1;
        r = r.dose({ time: 5, ...c.dose, ss });
        const recs = r.observe({ times: [5, 5.5, 6, 9, 12, 16] }).records();
        const want = obs(recs, simulate(model, recs, { method: 'analytic' }).ipred);
        const got = obs(recs, simulate(model, recs, { method }).ipred);
        const peak = Math.max(...want);
        got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-6 * peak));
      });
    }
  }

  // Michaelis–Menten near saturation (C_ss ≈ 2·KM): the slope of the elimination gives t½ ≈ 1200 h
  // at steady state, 100 × II; the reference is 3000 doses given one by one (ADDL).
  for (const method of ['dopri5', 'rosenbrock'] as const) {
    it(`mm-iv, ${method}: SS = 1 equals 3000 repeated doses within 1e-6`, () => {
      const model = builtinModel('mm-iv', { VMAX: 5, KM: 20, V: 50 });
      const last = 2999 * 12;
      const times = [last + 1, last + 6, last + 11.5];
      const repeated = regimen().dose({ time: 0, amt: 40, ii: 12, addl: 2999 }).observe({ times }).records();
      const ss = regimen().dose({ time: last, amt: 40, ii: 12, ss: 1 }).observe({ times }).records();
      const want = obs(repeated, simulate(model, repeated, { method }).ipred);
      const got = obs(ss, simulate(model, ss, { method }).ipred);
      got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-6 * want[k]!));
    });
  }
});
