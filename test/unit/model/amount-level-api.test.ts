// A level recorded against a compartment with no scale predicts that compartment's amount (NONMEM's
// A(n)/S(n), S(n) = 1). Only the command line said so (src/cli/data-set-warnings.ts): through the
// API, estimate() fitted examples/map-patient.csv with CMT 2 on its four levels as the peripheral
// amount of map-wmap (η_CL 3.874, CL 192 L/h) with only W_LEVEL_IMPLAUSIBLE and W_ETA_FAR, and
// simulate() returned the peripheral amount (10.15, 27.49) or 1cmt-oral's depot amount (30.12) as
// ipred with warnings []. simulate(), estimate() and forecast() now give W_LEVEL_AMOUNT, once.
//
// Reference values, computed once in python3 (numpy/scipy): 2cmt-iv CL 5, V 50, Q 6, V2 50, 100 mg
// bolus at 0: A2(t) = (expm(K t) [100, 0])[1] with K = [[-k10-k12, k21], [k12, -k21]] = 10.152517775566398
// at 1 h, 27.489258135210093 at 5 h; 1cmt-oral KA 1.2, 100 mg: depot 100 e^{-1.2} = 30.119421191220212.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as unknown);
const patient = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
// examples/map-patient.csv with CMT 1 on the doses and CMT 2 on the four levels
const cmt2 = readNmtran(patient.map((l, i) => `${l},${i === 0 ? 'CMT' : l.split(',')[2] === '1' ? '1' : '2'}`).join('\n')).records;
const amountCodes = (w: readonly (string | { code: string })[]): number => w.filter((x) => (typeof x === 'string' ? x.startsWith('W_LEVEL_AMOUNT') : x.code === 'W_LEVEL_AMOUNT')).length;

describe('levels of a compartment without a scale, through the API', () => {
  it('simulate(): 2cmt-iv CMT 2 is the peripheral amount, warned once; CMT 1 is not', () => {
    const m = builtinModel('2cmt-iv', {});
    const s = simulate(m, regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 5], cmt: 2 }).records());
    expect(s.ipred[1]).toBeCloseTo(10.152517775566398, 8);
    expect(s.ipred[2]).toBeCloseTo(27.489258135210093, 8);
    expect(amountCodes(s.warnings)).toBe(1);
    expect(s.warnings.find((w) => w.startsWith('W_LEVEL_AMOUNT'))).toMatch(/^W_LEVEL_AMOUNT: row 2: 2 levels with CMT 2 \(PERIPH1\) predict the amount in that compartment/);
    expect(simulate(m, regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 5], cmt: 1 }).records()).warnings).toEqual([]);
  });

  it("simulate(): 1cmt-oral CMT 1 is the depot's amount (30.12 at 1 h), warned, naming the file given", () => {
    const s = simulate(builtinModel('1cmt-oral', {}), regimen().dose({ time: 0, amt: 100 }).observe({ times: [1], cmt: 1 }).records(), { file: 'p.csv' });
    expect(s.ipred[1]).toBeCloseTo(30.119421191220212, 8);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/^W_LEVEL_AMOUNT: p\.csv, row 2: a level with CMT 1 \(DEPOT\) predicts the amount/);
    expect(s.warnings[0]).not.toMatch(/--/);
  });

  it('estimate(): map-patient with CMT 2 on its levels says W_LEVEL_AMOUNT (η_CL 3.874 was explained only by W_LEVEL_IMPLAUSIBLE and W_ETA_FAR)', () => {
    const fit = estimate(wmap, cmt2);
    expect(fit.eta[0]).toBeGreaterThan(3);
    const w = fit.warnings.filter((x) => x.code === 'W_LEVEL_AMOUNT');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^row 2: 4 levels with CMT 2 \(PERIPH1\) predict the amount in that compartment, not a concentration/);
    expect(w[0]?.message).not.toMatch(/--/);
    // the example as written (no CMT) says nothing of it
    expect(estimate(wmap, readNmtran(patient.join('\n')).records).warnings.filter((x) => x.code === 'W_LEVEL_AMOUNT')).toEqual([]);
  });

  it("forecast(): a future grid observing CMT 2 is warned once (the history's levels are the estimate's)", () => {
    const history = readNmtran(patient.join('\n')).records;
    const fit = estimate(wmap, history);
    const plain = regimen().dose({ time: 48, amt: 1000, rate: 1000 }).observe({ times: [50, 60] });
    expect(amountCodes(forecast(wmap, history, fit, plain.records(), { draws: 50 }).warnings)).toBe(0);
    const peri = regimen().dose({ time: 48, amt: 1000, rate: 1000 }).observe({ times: [50, 60], cmt: 2 });
    const f = forecast(wmap, history, fit, peri.records(), { draws: 50 });
    expect(amountCodes(f.warnings)).toBe(1);
    expect(f.warnings.find((w) => w.startsWith('W_LEVEL_AMOUNT'))).toMatch(/^W_LEVEL_AMOUNT: future regimen, row \d+: 2 levels with CMT 2 \(PERIPH1\)/);
  });
});
