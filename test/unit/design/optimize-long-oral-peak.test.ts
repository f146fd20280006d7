// optimize at a long interval of an oral model: the grid's uniform step τ/24 (1.5 h at q36h) and
// arrivalSampling's octaves (2 and 4 h after the dose) left the rise and peak of an oral dose (near
// 2.2 h) under-sampled. 1000 mg q36h of CL 5, V 50, KA 1.2/h (η ≈ 0) read auc24 133.043 for 133.333,
// peak 16.3857 for 16.4455 and time above 10 mg/L 7.5042 h for 7.5232 h (−2.2e-3, −3.6e-3, −2.5e-3),
// searchLateSamples adds fifth octaves
// from 1/2 h where τ/24 exceeds 1 h: −4.0e-4, −2.4e-4, −1.1e-4; none at q6h–q24h.
//
// References: the closed form of one-compartment oral doses at steady state (superposition),
// C(t) = D·KA/(V(KA − k)) · (e^(−kt)/(1 − e^(−kτ)) − e^(−KA·t)/(1 − e^(−KA·τ))), k = CL/V, computed by
// python3: auc24 = D/CL·24/τ (scipy.integrate.quad of C over [0, τ] × 24/τ agrees to 1e-15); the
// peak at tmax = ln(KA(1 − e^(−kτ))/(k(1 − e^(−KA·τ))))/(KA − k); the time above 10 between the two
// roots of C = 10 (scipy.optimize.brentq).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { lateSamples, searchLateSamples } from '../../../src/population/metric-grid.js';

const file = {
  dosewise: 2,
  name: 'oral',
  structure: { kind: 'linear', compartments: 1, depot: true },
  parameters: { CL: '5*exp(ETA_CL)', V: '50*exp(ETA_V)', KA: 1.2 },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [1e-10, 1e-10] },
  residual: { model: 'proportional', proportional: 0.1 },
};
const model = defineModel(file);
const patient = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,2,.,1,.,1\n').records;

/** The median exposures of 1000 mg every τ h (oral, dose compartment 1). */
function exposure(tau: number, target: string): Record<string, number> {
  const r = optimizeRegimen(model, patient, { doses: [1000], intervals: [tau], target, draws: 20, seed: 1 });
  return Object.fromEntries(Object.entries(r.ranked[0]?.exposure ?? {}).map(([k, v]) => [k.split(':').slice(0, 2).join(':'), v.median]));
}
const rel = (x: number | undefined, ref: number): number => Math.abs((x as number) / ref - 1);

// closed form (python3, see above)
const Q36 = { auc24: 133.3333333, peak: 16.44553757, tabove10: 7.523228876 };
const Q18_PEAK = 19.43234283;
const Q48 = { auc24: 100, peak: 16.10044195, tabove10: 7.2916501 };

describe('optimize: an oral peak at a long interval is sampled (searchLateSamples)', () => {
  it('q36h: auc24, peak and time above 10 within 1e-3 of the closed form (measured −4.0e-4, −2.4e-4, −1.1e-4; were −2.2e-3, −3.6e-3, −2.5e-3)', () => {
    const e = exposure(36, 'auc24:0:100000,peak/mic:1:0');
    expect(rel(e.auc24, Q36.auc24)).toBeLessThan(1e-3);
    expect(rel(e.cmax, Q36.peak)).toBeLessThan(1e-3);
    expect(rel(exposure(36, 'tabove:10:0')['tabove:10'], Q36.tabove10)).toBeLessThan(1e-3);
  });

  it('q48h (measured −4.1e-4, −1.2e-4, −1.3e-4; were −5.9e-3, −4.2e-3, −4.0e-3) and the q18h peak, unchanged (19.4214: −5.6e-4)', () => {
    const e = exposure(48, 'auc24:0:100000,peak/mic:1:0');
    expect(rel(e.auc24, Q48.auc24)).toBeLessThan(1e-3);
    expect(rel(e.cmax, Q48.peak)).toBeLessThan(1e-3);
    expect(rel(exposure(48, 'tabove:10:0')['tabove:10'], Q48.tabove10)).toBeLessThan(1e-3);
    expect(rel(exposure(18, 'peak/mic:1:0').cmax, Q18_PEAK)).toBeLessThan(1e-3);
  });

  it('adds no row at q6h–q24h (W-optimize), 15 per arrival at q36h', () => {
    for (const tau of [6, 8, 12, 18, 24]) expect(searchLateSamples([0], tau / 24, 0, tau)).toEqual(lateSamples([0], tau / 24, 0, tau));
    // 4.76, 5.66, 6.73, 8 h before; now fifth octaves from 0.57 h to 10.56 h: a candidate's rows
    // 39 → 54 (measured in simulateAt; q6h, q8h, q12h, q18h, q24h 30, 32, 31, 35, 34 before and after)
    expect(lateSamples([0], 1.5, 0, 36)).toHaveLength(4);
    const now = searchLateSamples([0], 1.5, 0, 36);
    expect(now[0]).toBeCloseTo(2 ** (-4 / 5), 12);
    expect(now).toHaveLength(22);
    // beside arrivalSampling's octaves (1, 2, 4 h): 22 − 3 times for 4
    const octaves = [1, 2, 4];
    expect(new Set([...now, ...octaves]).size - new Set([...lateSamples([0], 1.5, 0, 36), ...octaves]).size).toBe(15);
  });
});
