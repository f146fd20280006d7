// MapObjective.forwardInformation (the expected information BFGS starts from on ODE models) against
// its closed form on a one-compartment bolus: f = D/V·exp(−CL/V·t), CL = 4·e^η₁, V = 30·e^η₂, so
// ∂f/∂η₁ = −f·k·t and ∂f/∂η₂ = f·(k·t − 1) with k = CL/V; I = Ω⁻¹ + Σ [∇f∇fᵀ/Var + ½ ∇Var∇Varᵀ/Var²].

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { residualVariance } from '../../../src/model/residual.js';

const OMEGA = [0.2, 0.3];
const model = defineModel({
  dosewise: 2,
  name: 'information',
  structure: '1cmt-iv',
  parameters: { CL: '4*exp(ETA1)', V: '30*exp(ETA2)' },
  omega: { etas: ['ETA1', 'ETA2'], diagonal: OMEGA },
  residual: { model: 'combined', additive: 0.3, proportional: 0.1 },
});
const TIMES = [0.5, 2, 6, 12];
const records = [
  recordFromItems({ ID: 1, TIME: 0, EVID: 1, AMT: 500, CMT: 1, MDV: 1 }, 1),
  ...TIMES.map((t, i) => recordFromItems({ ID: 1, TIME: t, EVID: 0, AMT: 0, CMT: 1, DV: 10 - i, MDV: 0 }, i + 2)),
];

function closedForm(eta: readonly [number, number]): number[] {
  const cl = 4 * Math.exp(eta[0]);
  const v = 30 * Math.exp(eta[1]);
  const k = cl / v;
  const info = [1 / (OMEGA[0] as number), 0, 0, 1 / (OMEGA[1] as number)];
  const residual = model.residual!;
  for (const t of TIMES) {
    const f = (500 / v) * Math.exp(-k * t);
    const g = [-f * k * t, f * (k * t - 1)];
    const V = residualVariance(residual, f);
    // dVar/df of the combined model, by a central difference of the variance function itself
    const dVdf = (residualVariance(residual, f * (1 + 1e-7)) - residualVariance(residual, f * (1 - 1e-7))) / (2e-7 * f);
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) info[a * 2 + b] = (info[a * 2 + b] as number) + ((g[a] as number) * (g[b] as number)) / V + (0.5 * dVdf * dVdf * (g[a] as number) * (g[b] as number)) / (V * V);
  }
  return info;
}

describe('forward-difference expected information', () => {
  it('equals the closed form on a one-compartment bolus within the forward difference error', () => {
    const obj = mapObjective(model, records);
    let worst = 0;
    for (const eta of [[0, 0], [0.4, -0.3], [-0.5, 0.6]] as const) {
      const got = obj.forwardInformation(eta, 1e-4);
      expect(got).toBeDefined();
      const want = closedForm(eta);
      // each entry against its scale √(I_aa·I_bb) (an off-diagonal entry may be near zero)
      want.forEach((w, i) => {
        const scale = Math.sqrt((want[(i >> 1) * 3] as number) * (want[(i & 1) * 3] as number));
        worst = Math.max(worst, Math.abs(((got as Float64Array)[i] as number) - w) / scale);
      });
    }
    // measured: 9.6e-5 of the diagonal scale (step 1e-4; an O(step) error)
    expect(worst).toBeLessThan(2e-4);
  });
});
