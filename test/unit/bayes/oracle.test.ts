// MAP estimates against the independent SciPy oracle (test/oracle/generate_map.py → map-fixtures.json):
// the same objective minimised by scipy.optimize BFGS (3-point gradients, gtol 1e-9, restarts) with
// the concentrations computed in Python (Bateman superposition, expm of the 2-cmt system). Python is
// never run here; the fixtures are committed.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { fixtures, oracleRecords } from './fixtures.js';

describe('MAP vs the SciPy oracle (η within 1e-4)', () => {
  for (const m of fixtures.models) {
    it(`${m.name}: ${m.patients.length} patients`, () => {
      const model = defineModel(m.model);
      let worst = 0;
      for (const p of m.patients) {
        expect(p.selfcheck_max_abs_eta_diff).toBeLessThan(1e-6);
        const records = oracleRecords(p);
        const fit = estimate(model, records);
        expect(fit.converged, `${m.name} ID ${p.id}`).toBe(true);
        p.eta.forEach((e, i) => {
          const d = Math.abs((fit.eta[i] as number) - e);
          worst = Math.max(worst, d);
          expect(d, `${m.name} ID ${p.id} (${p.label}) η${i + 1}`).toBeLessThan(1e-4);
        });
        // the same objective: OFV at the optimum agrees closely
        expect(Math.abs(fit.ofv - p.ofv), `${m.name} ID ${p.id} OFV`).toBeLessThan(1e-6 * Math.max(1, Math.abs(p.ofv)));
        // predictions at the observations (concentration scale)
        const obs = records.map((r, i) => [r, i] as const).filter(([r]) => r.EVID === 0);
        obs.forEach(([, i], k) => expect(Math.abs((fit.ipred[i] as number) / (p.ipred_obs[k] as number) - 1)).toBeLessThan(1e-4));
      }
      console.log(`oracle ${m.name}: max |Δη| ${worst.toExponential(2)} over ${m.patients.length} patients`);
    });
  }
});
