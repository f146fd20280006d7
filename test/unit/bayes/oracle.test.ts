// MAP estimates against the independent SciPy oracle (test/oracle/generate_map.py → map-fixtures.json):
// the same objective minimised by scipy.optimize BFGS (3-point gradients, gtol 1e-9, restarts) with
// the concentrations computed in Python (Bateman superposition, expm of the 2-cmt system). Python is
// never run here; the fixtures are committed.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { fixtures, oracleRecords } from './fixtures.js';

// Tolerances sit a small factor above the largest differences measured over all fixtures: η 4.4e-9,
// OFV 6.2e-15 relative, IPRED 5.9e-9 relative; the oracle's own restarts agree to 4.9e-9.
describe('MAP vs the SciPy oracle (η within 2e-8)', () => {
  for (const m of fixtures.models) {
    it(`${m.name}: ${m.patients.length} patients`, () => {
      const model = defineModel(m.model);
      let worst = 0;
      let worstOfv = 0;
      let worstIpred = 0;
      let worstSelf = 0;
      for (const p of m.patients) {
        worstSelf = Math.max(worstSelf, p.selfcheck_max_abs_eta_diff);
        expect(p.selfcheck_max_abs_eta_diff).toBeLessThan(1e-8);
        const records = oracleRecords(p);
        const fit = estimate(model, records);
        expect(fit.converged, `${m.name} ID ${p.id}`).toBe(true);
        p.eta.forEach((e, i) => {
          const d = Math.abs((fit.eta[i] as number) - e);
          worst = Math.max(worst, d);
          expect(d, `${m.name} ID ${p.id} (${p.label}) η${i + 1}`).toBeLessThan(2e-8);
        });
        // the same objective: OFV at the optimum agrees closely
        worstOfv = Math.max(worstOfv, Math.abs(fit.ofv - p.ofv) / Math.max(1, Math.abs(p.ofv)));
        expect(Math.abs(fit.ofv - p.ofv), `${m.name} ID ${p.id} OFV`).toBeLessThan(5e-14 * Math.max(1, Math.abs(p.ofv)));
        // predictions at the observations (concentration scale)
        const obs = records.map((r, i) => [r, i] as const).filter(([r]) => r.EVID === 0);
        obs.forEach(([, i], k) => {
          const d = Math.abs((fit.ipred[i] as number) / (p.ipred_obs[k] as number) - 1);
          worstIpred = Math.max(worstIpred, d);
          expect(d).toBeLessThan(3e-8);
        });
      }
      console.log(`oracle ${m.name}: max |Δη| ${worst.toExponential(2)}, OFV ${worstOfv.toExponential(2)} relative, IPRED ${worstIpred.toExponential(2)} relative, oracle self-check ${worstSelf.toExponential(2)}, over ${m.patients.length} patients`);
    });
  }
});
