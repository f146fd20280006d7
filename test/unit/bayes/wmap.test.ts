// W-map (shared/BENCHMARKS.md): MAP for one patient of the W-a two-compartment infusion model.
// mapbayr (L-BFGS-B) gives η = (0.307654, −0.221371).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { regimenRecords, wMapModel } from './wmap.js';
import { estimate } from '../../../src/bayes/estimate.js';

describe('W-map', () => {
  it('reproduces mapbayr η within 1e-3', () => {
    const model = defineModel(wMapModel);
    const fit = estimate(model, regimenRecords());
    expect(fit.converged).toBe(true);
    expect(Math.abs((fit.eta[0] as number) - 0.307654)).toBeLessThan(1e-3);
    expect(Math.abs((fit.eta[1] as number) - -0.221371)).toBeLessThan(1e-3);
    // individual parameters follow from η
    expect(fit.parameters.CL).toBeCloseTo(4 * Math.exp(fit.eta[0] as number), 12);
    expect(fit.parameters.V).toBeCloseTo(30 * Math.exp(fit.eta[1] as number), 12);
  });
});
