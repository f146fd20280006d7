// W-map (shared/BENCHMARKS.md): MAP for one patient of the W-a two-compartment infusion model.
// mapbayr (L-BFGS-B) gives η = (0.307654, −0.221371), printed to 6 decimals (±5e-7); dosewise's
// η differ by 1.24e-6 and 5.2e-7.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { regimenRecords, wMapModel } from './wmap.js';
import { estimate } from '../../../src/bayes/estimate.js';

describe('W-map', () => {
  it('reproduces mapbayr η within 3e-6', () => {
    const model = defineModel(wMapModel);
    const fit = estimate(model, regimenRecords());
    expect(fit.converged).toBe(true);
    expect(Math.abs((fit.eta[0] as number) - 0.307654)).toBeLessThan(3e-6);
    expect(Math.abs((fit.eta[1] as number) - -0.221371)).toBeLessThan(3e-6);
    // individual parameters follow from η
    expect(fit.parameters.CL).toBeCloseTo(4 * Math.exp(fit.eta[0] as number), 12);
    expect(fit.parameters.V).toBeCloseTo(30 * Math.exp(fit.eta[1] as number), 12);
  });
});
