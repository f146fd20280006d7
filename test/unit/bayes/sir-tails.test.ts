// SIR's proposal must have tails at least the posterior's. One proportional-error level does not
// vanish as CL → 0, so the posterior of ETA_CL keeps the prior's left tail, heavier than the normal
// N(mode, 1.5·C) the proposals were drawn from. Model m1 (IV bolus, CL = 5·exp(ETA_CL), ω² 0.3,
// V 50, 20 % proportional), 1000 mg at 0 and one level 12.8304 at 12 h: seed 73 gave a 95th
// percentile of conc@20 of 15.98 for the exact 11.22 (ESS 68 of 5000, k̂ 0.692, no warning).
//
// Reference: the exact posterior of ETA_CL on a grid of 400,001 points over [−6, 4] (python3/numpy,
// −2 log posterior (y − f)²/(0.2f)² + log (0.2f)² + η²/0.3, f = 20·exp(−0.1·e^η·12)):
//   η 5 %, 50 %, 95 %: −1.241625, −0.754425, −0.429150; conc@20 = 20·exp(−0.1·e^η·20):
//   5 %, 50 %, 95 %: 5.439068, 7.808168, 11.222308.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { defaultProposals, posteriorSample, sirWarnings } from '../../../src/bayes/posterior.js';

const model = defineModel({
  dosewise: 2,
  name: 'one-eta',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '5*exp(ETA_CL)', V: 50 },
  omega: { etas: ['ETA_CL'], diagonal: [0.3] },
  residual: { model: 'proportional', proportional: 0.2 },
});
const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,1000,.,1\n1,12,0,.,12.830407955174298,0\n').records;
const fit = estimate(model, records);
const EXACT = { q05: -1.241625, q50: -0.754425, q95: -0.42915 };
const quantile = (xs: Float64Array, p: number): number => {
  const s = Float64Array.from(xs).sort();
  return s[Math.round(p * (s.length - 1))] as number;
};

describe('SIR proposals with tails at least the posterior\'s', () => {
  it('seed 73: the 95th percentile of conc@20 near the exact 11.22 (it read 15.98 with ESS 68 of 5000)', () => {
    const p = posteriorSample(model, records, fit, { draws: 1000, seed: 73, sir: true });
    const c20 = (eta: number): number => 20 * Math.exp(-0.1 * Math.exp(eta) * 20);
    // the 95th percentile of conc@20 is the 5th of η (conc falls with η)
    const hi = c20(quantile(p.x, 0.05));
    // measured 11.285 (before 15.98)
    expect(Math.abs(hi - 11.222308)).toBeLessThan(0.5);
    expect(p.ess as number).toBeGreaterThan(0.5 * (p.proposals as number));
    expect(sirWarnings(p, 'the bands')).toEqual([]);
  });

  it('over 40 seeds the quantiles of η stay within 0.15 of the exact ones, every ESS above half the proposals', () => {
    let worst = 0;
    let minEss = Infinity;
    for (let seed = 1; seed <= 40; seed++) {
      const p = posteriorSample(model, records, fit, { draws: 1000, seed, sir: true });
      for (const [a, e] of [[0.05, EXACT.q05], [0.5, EXACT.q50], [0.95, EXACT.q95]] as const) worst = Math.max(worst, Math.abs(quantile(p.x, a) - e));
      minEss = Math.min(minEss, (p.ess as number) / (p.proposals as number));
    }
    expect(worst).toBeLessThan(0.15);
    expect(minEss).toBeGreaterThan(0.5);
    // measured: worst 0.066, smallest ESS 0.82 of the proposals (a guard: the normal proposal's 0.060
    // and 0.68 pass too; it failed 1 seed in 200, seed 73 above)
  });

  it('default proposals are 5 × draws but at least 25: 4 draws had 20, an undefined k̂ and no warning', () => {
    expect(defaultProposals(4)).toBe(25);
    expect(defaultProposals(1000)).toBe(5000);
    const p = posteriorSample(model, records, fit, { draws: 4, seed: 1, sir: true });
    expect(p.proposals).toBe(25);
    expect(Number.isFinite(p.paretoK)).toBe(true);
  });

  it('warns when the ESS is under 10 % of the proposals and under the draws, whatever k̂ (ESS 68 of 5000 with k̂ 0.692 went unsaid), and says more proposals help', () => {
    const w = sirWarnings({ method: 'sir', draws: 1000, proposals: 5000, ess: 68, paretoK: 0.692 }, "the bands' tails");
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/ESS 68 of 5,000 proposals, below 10 % of them and the 1,000 draws/);
    expect(w[0]).toMatch(/more proposals \(--proposals\) help/);
    expect(sirWarnings({ method: 'sir', draws: 1000, proposals: 5000, ess: 3800, paretoK: 0.2 }, 'x')).toEqual([]);
    // enough proposals for the draws: 4,535 of 100,000 carry 1,000 draws
    expect(sirWarnings({ method: 'sir', draws: 1000, proposals: 100000, ess: 4535, paretoK: 0.2 }, 'x')).toEqual([]);
    expect(sirWarnings({ method: 'sir', draws: 1000, proposals: 5000, ess: 3800, paretoK: 0.8 }, 'x')[0]).toMatch(/Pareto k̂ 0\.80 > 0\.7; ESS 3,800 of 5,000 proposals\)/);
  });
});
