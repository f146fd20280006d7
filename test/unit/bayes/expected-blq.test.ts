// covarianceMethod 'expected' with BLQ (M3) records. The expected information left BLQ records out:
// a patient whose levels are all BLQ got exactly Ω back as the posterior covariance (Var(ETA_CL)
// 0.3) while the estimate had moved (ETA_CL 0.206). A BLQ record now adds the Fisher information
// of a censored normal observation (Tobit). The references (ref_f2.py, scipy, written for this
// test): the mode by BFGS then Nelder–Mead to 1e-13, and each record's information E[s·sᵀ] by
// numerical integration of the score s = ∇η log p (central differences of the log density in η,
// no closed form): the quantified side ∫_LLOQ^∞ s(y)s(y)ᵀ N(y; f, Var) dy plus the censored side
// Φ(z)·s_c·s_cᵀ, with Var = 0.2² + (0.1·f)² depending on η through f.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { addCensoredInformation, addInformation } from '../../../src/bayes/objective.js';

const model = defineModel({
  dosewise: 2,
  name: 't3',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '3*exp(ETA_CL)', V: '25*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.3, 0.1], [0.1, 0.2]] },
  residual: { model: 'combined', additive: 0.2, proportional: 0.1 },
});
const dose = { ID: 1, TIME: 0, EVID: 1, AMT: 200, RATE: 100, MDV: 1 };
const blq = (t: number) => ({ ID: 1, TIME: t, EVID: 0, DV: 0.5, MDV: 0, BLQ: 1, LLOQ: 0.5 });
const recs = (rows: Record<string, number>[]) => rows.map((r, i) => recordFromItems(r, i + 1));
const worst = (c: number[][] | undefined, ref: number[][]): number => Math.max(...ref.flatMap((row, i) => row.map((v, j) => Math.abs((c as number[][])[i]![j]! - v) / Math.sqrt(ref[i]![i]! * ref[j]![j]!))));

describe("covarianceMethod 'expected' with BLQ (M3) records", () => {
  it('all levels BLQ: the covariance was Ω itself (Var(ETA_CL) 0.3); now the censored records’ information, Var(ETA_CL) 0.1701', () => {
    const fit = estimate(model, recs([dose, blq(24), blq(36)]), { covarianceMethod: 'expected' });
    expect(fit.covarianceMethod).toBe('expected');
    expect(Math.abs(fit.eta[0]! - 0.2057829718458118)).toBeLessThan(1e-5);
    // measured max |ΔC|/√(CᵢᵢCⱼⱼ) 1.0e-7 (the mode 1e-7 from the reference's, central differences of step 1e-5)
    expect(worst(fit.covariance, [
      [0.17010218441627595, 0.12467557396912851],
      [0.12467557396912851, 0.19527488104611365],
    ])).toBeLessThan(1e-6);
  });

  it('one quantified level and two BLQ: the BLQ records’ information is added to the quantified one’s', () => {
    const fit = estimate(model, recs([dose, { ID: 1, TIME: 4, EVID: 0, DV: 5.5, MDV: 0, BLQ: 0, LLOQ: NaN }, blq(24), { ...blq(36), DV: NaN }]), { covarianceMethod: 'expected' });
    // measured 1.2e-8
    expect(worst(fit.covariance, [
      [0.041750121809780084, -0.016962301976483334],
      [-0.01696230197648333, 0.034257865537533676],
    ])).toBeLessThan(1e-7);
  });

  it('far above its limit a censored record carries a quantified record’s information; far below, none', () => {
    const dmu = Float64Array.from([0.7, -0.3]);
    const dV = Float64Array.from([0.05, 0.2]);
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    addInformation(a, 2, dmu, dV, 0, 0.09);
    // z = (limit − μ)/σ = −40
    addCensoredInformation(b, 2, dmu, dV, 0, 12, 0.09, 0);
    [...b].forEach((v, i) => expect(Math.abs(v - a[i]!)).toBeLessThan(1e-12 * Math.abs(a[i]!) + 1e-300));
    const c = new Float64Array(4);
    addCensoredInformation(c, 2, dmu, dV, 0, 0, 0.09, 12);
    [...c].forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-300));
  });
});
