// Regimen optimization for one patient: closed form for a linear model and an AUC target,
// stability under reseeding, clear results for infeasible targets, bad inputs refused.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const records = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
const doses = Array.from({ length: 20 }, (_, i) => 250 * (i + 1));

describe('optimizeRegimen', () => {
  it('for an AUC target the best dose is target·CL·τ/24 rounded to the candidates (closed form)', () => {
    const fit = estimate(model, records);
    const cl = fit.parameters.CL as number;
    const res = optimizeRegimen(model, records, { doses, intervals: [12], infusions: [1], target: 'auc24:400:600', draws: 400, seed: 3 }, fit);
    const best = res.ranked[0]!;
    const ideal = (500 * cl * 12) / 24;
    // the best candidate is one of the two doses bracketing the ideal dose
    expect(Math.abs(best.dose - ideal)).toBeLessThanOrEqual(250);
    // its median AUC24 is Dose·24/(τ·CL) at the mode, within the spread of the draws
    expect(Math.abs(best.exposure['auc24']!.median / ((best.dose * 24) / (12 * cl)) - 1)).toBeLessThan(0.05);
    expect(best.pta).toBeGreaterThan(0.5);
  });

  it('ranks 20 doses × 4 intervals × 3 infusion times; the choice is stable under reseeding', () => {
    const opts = { doses, intervals: [6, 8, 12, 24], infusions: [0.5, 1, 2], target: 'auc24:400:600, trough:0:20', draws: 1000 };
    const a = optimizeRegimen(model, records, { ...opts, seed: 1 });
    const b = optimizeRegimen(model, records, { ...opts, seed: 2, top: 240 });
    expect(a.evaluated).toBe(240);
    expect(a.feasible).toBe(true);
    // the top PTA under the two seeds agrees within Monte Carlo error
    expect(Math.abs(a.ranked[0]!.pta - b.ranked[0]!.pta)).toBeLessThan(4 * Math.hypot(a.ranked[0]!.ptaSe, b.ranked[0]!.ptaSe) + 1e-9);
    // seed 1's choice is, under seed 2, within Monte Carlo error of seed 2's best. Its rank there is
    // not stable: a dozen regimens have a PTA of 99.3–100 % (1/n apart), and the ties between them
    // go to the distance of noisy medians (SIR's seed 1 put 2500 mg q24h first, seed 2 2750 mg
    // q24h three times, with 2500 mg q24h fourth at 99.7 %; the test asked for the top 3)
    const same = b.ranked.find((c) => c.dose === a.ranked[0]!.dose && c.interval === a.ranked[0]!.interval && c.infusion === a.ranked[0]!.infusion)!;
    expect(b.ranked[0]!.pta - same.pta).toBeLessThan(4 * Math.hypot(b.ranked[0]!.ptaSe, same.ptaSe) + 2 / 1000);
  });

  it('reports no feasible regimen explicitly', () => {
    const res = optimizeRegimen(model, records, { doses: [1, 2], intervals: [24], target: 'auc24:4000:5000', draws: 100 });
    expect(res.feasible).toBe(false);
    expect(res.ranked).toEqual([]);
  });

  it('refuses bad inputs with the field named', () => {
    expect(() => optimizeRegimen(model, records, { doses: [-5], intervals: [12], target: 'auc24:400:600' })).toThrow(/doses.*≥|doses.*> 0/);
    expect(() => optimizeRegimen(model, records, { doses: [500], intervals: [], target: 'auc24:400:600' })).toThrow(/intervals/);
    expect(() => optimizeRegimen(model, records, { doses: [500], intervals: [12], target: 'auc24:600:400' })).toThrow(/empty|lo > hi/);
  });

  it('a patient without levels is dosed from the prior at their covariates', () => {
    const doseOnly = records.filter((r) => r.EVID !== 0);
    const res = optimizeRegimen(model, doseOnly, { doses, intervals: [12], infusions: [1], target: 'auc24:400:600', draws: 400 });
    expect(res.basis).toBe('prior');
    // typical CL = 4 L/h: ideal 1000 mg q12h
    expect(Math.abs(res.ranked[0]!.dose - 1000)).toBeLessThanOrEqual(250);
  });
});
