// The ODE solvers' absolute tolerance follows the subject's dose scale: a 1e4-h infusion at
// 1e-6 units/h keeps amounts near 4e-8, where a fixed atol of 1e-10 let dopri5 drift by 2e-3 of
// the peak. The analytic solution (checked against mpmath in analytic-stability.test.ts) is the reference.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';

describe('ODE accuracy with tiny amounts (long infusions at small rates)', () => {
  const model = defineModel({
    dosewise: 1,
    name: 'small',
    structure: { kind: 'linear', compartments: 3, depot: false },
    parameters: { CL: 29.921090712772628, V: 1.207045635479543, Q: 1.1179011256999163, V2: 36.90731451778279, Q3: 0.010158280524974469, V3: 11.09259271770794 },
  });
  const dur = 14416.381705699621;
  for (const method of ['dopri5', 'rosenbrock'] as const) {
    it(`${method}: within 1e-7 of the peak for a ${Math.round(dur)}-h infusion of 1e-6 units/h`, () => {
      const recs = regimen()
        .dose({ time: 0, amt: dur * 1e-6, dur })
        .observe({ times: [1, 100, dur * 0.3, dur * 0.7, dur, dur + 5, dur + 50, dur + 500] })
        .records();
      const pick = (v: Float64Array): number[] => Array.from(v).filter((_, k) => recs[k]!.EVID === 0);
      const want = pick(simulate(model, recs, { method: 'analytic' }).ipred);
      const got = pick(simulate(model, recs, { method }).ipred);
      const peak = Math.max(...want);
      got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-7 * peak));
    });
  }
});
