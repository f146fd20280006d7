// A one-patient forecast's AUC and Cmax of an oral (first-order absorption) model against the
// closed form (Bateman). On the 1/4-h grid with octaves after each arrival the linear-up rule under
// the rise and the sampled maximum read low: AUC24 −2.2e-3 and Cmax −3.3e-3 (KA 1.2/h, CL/V 0.4/h);
// the absorption is now sampled every 1/16 h for 4 h after each arrival (metric-grid.ts,
// ABSORPTION_OFFSETS): −1.2e-4 and −3.5e-5.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

const KA = 1.2;
const model = defineModel({
  dosewise: 2,
  name: 'oral 1-cmt',
  structure: { kind: 'linear', compartments: 1, depot: true },
  parameters: { CL: '7.2*exp(ETA_CL)', V: '18*exp(ETA_V)', KA },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const history = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,200,1,.,1\n1,1.5,0,.,2,7.4,0\n1,6,0,.,2,2.9,0\n1,11.5,0,.,2,0.9,0\n').records;
// the last history level at 11.5 h; four doses q12h from 12 h, judged on their last 24 h (36–60 h)
const DOSES = [0, 12, 24, 36, 48];
const future = parseRegimenJson({ doses: [{ time: 12, amt: 200, cmt: 1, addl: 3, ii: 12 }], observe: [{ grid: { from: 12, to: 60, step: 1 } }] });

/** Level at t of 200-mg oral doses (F 1) by superposition of the Bateman function. */
function level(t: number, CL: number, V: number): number {
  const k = CL / V;
  return DOSES.reduce((s, td) => (t > td ? s + ((200 * KA) / (V * (KA - k))) * (Math.exp(-k * (t - td)) - Math.exp(-KA * (t - td))) : s), 0);
}

/** ∫ level over [a, b], from the Bateman function's primitive. */
function auc(a: number, b: number, CL: number, V: number): number {
  const k = CL / V;
  const prim = (t: number, td: number): number => {
    const s = Math.max(0, t - td);
    return ((200 * KA) / (V * (KA - k))) * ((1 - Math.exp(-k * s)) / k - (1 - Math.exp(-KA * s)) / KA);
  };
  return DOSES.reduce((s, td) => s + prim(b, td) - prim(a, td), 0);
}

/**
 * The peak after the dose at 48 h: where dC/dt = 0, by bisection on the closed-form derivative. One
 * dose alone peaks at ln(KA/k)/(KA − k) after it; the earlier doses' declining tails move it a little earlier.
 */
function cmax(CL: number, V: number): number {
  const k = CL / V;
  const slope = (t: number): number => DOSES.reduce((s, td) => (t > td ? s + (-k * Math.exp(-k * (t - td)) + KA * Math.exp(-KA * (t - td))) : s), 0);
  let lo = 48 + 1e-9;
  let hi = 48 + (2 * Math.log(KA / k)) / (KA - k);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (slope(mid) > 0) lo = mid;
    else hi = mid;
  }
  return level((lo + hi) / 2, CL, V);
}

describe('forecast metrics of a 1-cmt oral model (KA 1.2/h) against the closed form', () => {
  const fit = estimate(model, history);
  const f = forecast(model, history, fit, future, { draws: 50, seed: 1, metrics: ['auc24', 'cmax'] });
  const at = (eta: readonly number[]) => [7.2 * Math.exp(eta[0] as number), 18 * Math.exp(eta[1] as number)] as const;

  it('windows: auc24 36–60 h, cmax 48–60 h', () => {
    expect(f.metricDefs.map((d) => [d.name, d.t0, d.t1])).toEqual([['auc24', 36, 60], ['cmax', 48, 60]]);
  });

  it('typical subject (η = 0, CL/V 0.4/h): AUC24 and Cmax within 2.5e-4 and 1e-4 (measured −1.16e-4 and −3.5e-5; −2.16e-3 and −3.25e-3 before)', () => {
    const [CL, V] = at([0, 0]);
    // the single-dose peak: the closed form's own tmax
    const k = CL / V;
    const tmax = Math.log(KA / k) / (KA - k);
    expect(cmax(CL, V)).toBeGreaterThan(level(48 + tmax, CL, V) - 1e-9);
    expect(Math.abs(f.metrics.auc24!.pred / auc(36, 60, CL, V) - 1)).toBeLessThan(2.5e-4);
    expect(Math.abs(f.metrics.cmax!.pred / cmax(CL, V) - 1)).toBeLessThan(1e-4);
  });

  it('the MAP patient (CL/V 0.24/h): AUC24 and Cmax within 1.5e-4 and 1e-5 (measured −7.0e-5 and −1.1e-6; −1.25e-3 and −2.19e-3 before)', () => {
    const [CL, V] = at(fit.eta);
    expect(CL / V).toBeCloseTo(0.237, 3);
    expect(Math.abs(f.metrics.auc24!.mode / auc(36, 60, CL, V) - 1)).toBeLessThan(1.5e-4);
    expect(Math.abs(f.metrics.cmax!.mode / cmax(CL, V) - 1)).toBeLessThan(1e-5);
  });
});
