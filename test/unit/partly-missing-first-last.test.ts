// A covariate blank at a patient's first record (NOCB) or last record (LOCF) passed the partly-missing
// check as "read by nothing", yet it was read, and the model's default taken for a patient who has
// the covariate elsewhere (vancomycin_goti_2018, DIAL default 0, a dialysis patient):
// - NOCB, an SS = 1 first dose with DIAL blank: the steady state was built at DIAL 0 (IPRED 33.74 at
//   0 h, 48.448 at 23.5 h, for 47.583 and 47.825), exit 0;
// - LOCF, the last record (a dose at 24 h) with DIAL blank: estimate() reported the current CL 0.959
//   and V 40.37 for 0.671 and 20.19, IPRED 16.29 at 24 h for 22.08, and a false W_PARAMETERS_CHANGE;
// - NOCB, a plain first dose with DIAL blank: unread by the course, but the first record's parameters
//   were computed at the default, and a false W_PARAMETERS_CHANGE (CL 0.959 on row 1) was said.
// A read blank is now refused naming the row, the column and why the row is read; an unread one takes
// the value the NOCB rule carries there (the next record's), so nothing reports the default.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';
import { regimen } from '../../src/regimen/builder.js';

const spec = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8'));
const goti = defineModel(spec);
const gotiLocf = defineModel({ ...spec, name: 'goti_locf', time_varying: 'locf' });

// CRCL 20, WT 80, 1000 mg over 1 h every 24 h at steady state; DIAL 1 on every record but the first
const ssData = (dial0: string): string =>
  ['ID,TIME,EVID,AMT,RATE,CMT,SS,II,DV,MDV,CRCL,WT,DIAL', `1,0,1,1000,1000,1,1,24,.,1,20,80,${dial0}`, '1,23.5,0,.,.,1,0,.,30,0,20,80,1', '1,24,1,1000,1000,1,0,.,.,1,20,80,1', '1,47.5,0,.,.,1,0,.,32,0,20,80,1'].join('\n');
// 1000 mg over 1 h every 12 h, two levels; DIAL 1 except where given
const course = (dial0: string, dialLast: string): string =>
  ['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,DIAL', `1,0,1,1000,1000,1,.,1,20,80,${dial0}`, '1,11.5,0,.,.,1,25,0,20,80,1', '1,12,1,1000,1000,1,.,1,20,80,1', '1,23.5,0,.,.,1,38,0,20,80,1', `1,24,1,1000,1000,1,.,1,20,80,${dialLast}`].join('\n');
const records = (text: string, file: string) => readNmtran(text, { file }).records;

describe('NOCB: a steady-state first dose reads its own covariates', () => {
  it('DIAL blank there is refused, naming row 1 and why it is read (the steady state was built at DIAL 0: 33.74 at 0 h for 47.58)', () => {
    const refused = /d45\.csv, row 1, column DIAL: ID 1 has DIAL 1 on row 2 but none on row 1 \(row 1 is a steady-state dose: the steady state before it is built with its values\), where model vancomycin_goti_2018 would use its default 0/;
    expect(() => simulate(goti, records(ssData(''), 'd45.csv'), { file: 'd45.csv' })).toThrow(refused);
    expect(() => estimate(goti, records(ssData(''), 'd45.csv'), { file: 'd45.csv' })).toThrow(refused);
  });

  it('filled in, the steady state is the DIAL 1 one', () => {
    // scipy.linalg.expm of the 2-compartment system (CL 4.5·(20/120)^0.8·0.7, V 58.4·80/70·0.5, Q 6.5,
    // V2 38.4), the periodic state x = (I − e^{24K})⁻¹·(one cycle from 0): C(0) 47.58344409671721
    // (the trough at steady state), C(23.5) 47.825391098424966; measured relative errors 6.7e-16, 4.4e-16
    const ipred = simulate(goti, records(ssData('1'), 'd45full.csv')).ipred;
    expect(Math.abs((ipred[0] as number) / 47.58344409671721 - 1)).toBeLessThan(1e-13);
    expect(Math.abs((ipred[1] as number) / 47.825391098424966 - 1)).toBeLessThan(1e-13);
  });
});

describe('LOCF: the last record holds after it', () => {
  it('DIAL blank on the last dose is refused naming that row alone (estimate gave CL 0.959, V 40.37 for 0.671, 20.19)', () => {
    const refused = /d30\.csv, row 5, column DIAL: ID 1 has DIAL 1 on row 1 but none on row 5 \(row 5 is the patient's last record: under LOCF its values hold after it, for a forecast, a metric and the current parameters\), where model goti_locf would use its default 0/;
    const recs = records(course('1', ''), 'd30.csv');
    expect(() => estimate(gotiLocf, recs, { file: 'd30.csv' })).toThrow(refused);
    expect(() => simulate(gotiLocf, recs, { file: 'd30.csv' })).toThrow(refused);
    // forecast refused it naming rows 5, 1, 1 "and 15 more": its merged records' rows, the future regimen's among them
    const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [30, 36, 47.5, 50] }).records();
    const fit = estimate(gotiLocf, records(course('1', '1'), 'd30full.csv'));
    expect(() => forecast(gotiLocf, recs, fit, future, { file: 'd30.csv', draws: 50 })).toThrow(refused);
  });

  it('filled in, the current parameters are the DIAL 1 ones', () => {
    const e = estimate(gotiLocf, records(course('1', '1'), 'd30full.csv'));
    const [etaCl, etaV] = e.eta as [number, number];
    // closed form: CL = 4.5·(20/120)^0.8·0.7^DIAL·e^ηCL, V = 58.4·(80/70)·0.5^DIAL·e^ηV (0.6714 and 20.19 here;
    // measured relative error 0)
    expect(Math.abs((e.parameters.CL as number) / (4.5 * (20 / 120) ** 0.8 * 0.7 * Math.exp(etaCl)) - 1)).toBeLessThan(1e-14);
    expect(Math.abs((e.parameters.V as number) / (58.4 * (80 / 70) * 0.5 * Math.exp(etaV)) - 1)).toBeLessThan(1e-14);
    expect(e.warnings.map((w) => w.code)).not.toContain('W_PARAMETERS_CHANGE');
  });

  it('an input without a default, blank on the last dose, is refused too (it was filled from the record before)', () => {
    const text = defineModel({ dosewise: 'text', text: 'model "t"\ntheta TVCL = 5, TVV = 50\ncovariate WT\ncompartment CENTRAL\nCL = TVCL * (WT / 70)^0.75\nV = TVV * WT / 70\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n' });
    const recs = records('ID,TIME,EVID,AMT,DV,MDV,WT\n1,0,1,100,.,1,80\n1,2,0,.,1,0,80\n1,12,1,100,.,1,.\n', 'w.csv');
    // the text was "w.csv: row 3, parameter WT: the model reads this data item, but the record has no value …
    // (got NaN)": a data column called a parameter, a blank called NaN (now refused before any evaluation)
    expect(() => simulate(text, recs, { file: 'w.csv', timeVarying: 'locf' })).toThrow(/^w\.csv, row 3, column WT: blank, and model t reads WT with no default: fill in the patient's WT \(NONMEM reads a blank as 0\)$/);
  });
});

describe('NOCB: a plain first dose holds its covariates over no interval', () => {
  it('DIAL blank there passes and takes the next record\'s DIAL 1: no W_PARAMETERS_CHANGE from the default (CL 0.959 on row 1 was said)', () => {
    const e = estimate(goti, records(course('', '1'), 'd31.csv'), { file: 'd31.csv' });
    const full = estimate(goti, records(course('1', '1'), 'd31full.csv'));
    expect(e.warnings.map((w) => w.code)).not.toContain('W_PARAMETERS_CHANGE');
    expect(e.eta).toEqual(full.eta);
    const etaCl = (e.eta as number[])[0] as number;
    expect(Math.abs((e.parameters.CL as number) / (4.5 * (20 / 120) ** 0.8 * 0.7 * Math.exp(etaCl)) - 1)).toBeLessThan(1e-14);
  });

  it('a bolus there prints its level with the patient\'s value (1.75), not at the default (2): dose() before observe({ items })', () => {
    const text = defineModel({ dosewise: 'text', text: 'model "t"\ntheta TVCL = 5, TVV = 50\ncovariate WT = 70\ncompartment CENTRAL\nCL = TVCL\nV = TVV * WT / 70\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n' });
    const ipred = simulate(text, regimen().dose({ time: 0, amt: 100 }).observe({ times: [2], items: { WT: 80 } }).records()).ipred;
    // V = 50·80/70 = 57.142857 L: C(2) = 100/V·e^{−5/V·2} = 1.469049786346113 (closed form; measured error 0)
    expect(Math.abs((ipred[1] as number) / 1.469049786346113 - 1)).toBeLessThan(1e-14);
    // the dose row is printed after the bolus, with the record's own V: 100/V = 1.75 (closed form);
    // it printed 2, 100/50 at the default WT 70
    expect(Math.abs((ipred[0] as number) / 1.75 - 1)).toBeLessThan(1e-14);
  });
});
