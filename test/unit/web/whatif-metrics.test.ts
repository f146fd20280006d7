// The what-if tool's curve metrics (WhatIfSession.mode: AUC24 from the last interval, trough, peak)
// against the closed form of a one-compartment IV bolus model: with no levels the MAP mode is the
// typical patient, so every number is a sum of exponentials. Doses fall on the grid at the edges of
// the last interval; the peak is the level after the dose at its start, the trough the level at its
// end, and the linear-up/log-down AUC of a mono-exponential decline is exact.

import { describe, expect, it } from 'vitest';
import { WhatIfSession } from '../../../src/web/session.js';

const CL = 4;
const V = 40;
const model = {
  dosewise: 2,
  name: 'what-if oracle',
  structure: '1cmt-iv',
  theta: { TVCL: { value: CL }, TVV: { value: V } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)' }, V: { expr: 'TVV' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.1] },
  observe: { compartment: 1 },
  residual: { model: 'proportional', proportional: 0.1 },
};

describe('what-if metrics at the window edges (bolus at the start of the last interval)', () => {
  it('trough, peak and AUC24 at the mode equal the closed form', () => {
    const s = new WhatIfSession();
    s.addModel('oracle', model);
    s.estimate({ model: 'oracle', covariates: {}, doses: { amount: 1000, infusion: 0, interval: 12, count: 2, start: 0 }, levels: [] });
    const m = s.mode({ amount: 1000, infusion: 0, interval: 12, count: 3, start: 24 });
    const k = CL / V;
    const doses = [0, 12, 24, 36, 48];
    const c48 = doses.reduce((a, td) => a + (1000 / V) * Math.exp(-k * (48 - td)), 0);
    const c60 = c48 * Math.exp(-12 * k);
    expect(Math.abs(m.peak / c48 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(m.trough / c60 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(m.auc24 / ((2 * (c48 - c60)) / k) - 1)).toBeLessThan(1e-9);
  });
});

describe("a what-if whose interval is not the history's (one q24h or q6h dose after a q12h history)", () => {
  it("its metrics are over the what-if's own interval: closed form, also in the forecast band's mode", () => {
    const s = new WhatIfSession();
    s.addModel('oracle', model);
    s.estimate({ model: 'oracle', covariates: {}, doses: { amount: 1000, infusion: 0, interval: 12, count: 3, start: 0 }, levels: [] });
    const k = CL / V;
    for (const tau of [24, 6]) {
      const w = { amount: 1000, infusion: 0, interval: tau, count: 1, start: 36 };
      const doses = [0, 12, 24, 36];
      const c = (t: number) => doses.filter((d) => d <= t).reduce((a, td) => a + (1000 / V) * Math.exp(-k * (t - td)), 0);
      const peak = c(36);
      const trough = peak * Math.exp(-k * tau);
      const auc24 = (((peak - trough) / k) * 24) / tau;
      const m = s.mode(w);
      // before: the interval was guessed from the history's spacing (q24h: trough at 48 h, 10.69 for 3.22)
      expect(Math.abs(m.peak / peak - 1)).toBeLessThan(1e-9);
      expect(Math.abs(m.trough / trough - 1)).toBeLessThan(1e-9);
      expect(Math.abs(m.auc24 / auc24 - 1)).toBeLessThan(1e-9);
      expect(Math.abs(s.forecast(w, { draws: 50 }).auc24.mode / auc24 - 1)).toBeLessThan(1e-9);
    }
  });
});
