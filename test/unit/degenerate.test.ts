// Near-repeated eigenvalues (KA ≈ CL/V): the depot input by divided differences of exp must match the
// closed form of the degenerate case, call after call.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';

describe('analytic path with KA ≈ k', () => {
  it('matches the closed form for KA = k exactly and within 1 %', () => {
    for (const ka of [3, 3.01, 2.995]) {
      const k = 3; // CL/V = 150/50
      const model = builtinModel('1cmt-oral', { KA: ka, CL: 150, V: 50 });
      const times = [0.05, 0.1, 0.13, 0.2, 0.35, 0.5, 0.8, 1.3, 2];
      const recs = regimen().dose({ time: 0, amt: 500 }).observe({ times }).records();
      // run twice: state left in scratch buffers by the first call must not leak into the second
      for (let rep = 0; rep < 2; rep++) {
        const { ipred } = simulate(model, recs);
        recs.forEach((r, i) => {
          if (r.EVID !== 0) return;
          const t = r.TIME;
          const want = ka === k ? (500 / 50) * ka * t * Math.exp(-k * t) : ((500 * ka) / (50 * (ka - k))) * (Math.exp(-k * t) - Math.exp(-ka * t));
          expect(Math.abs((ipred[i] as number) - want)).toBeLessThan(1e-11 * want + 1e-14);
        });
      }
    }
  });
});
