// The units a derived covariate's clinical calls read. Values reach the functions as sampled, never
// converted, and nothing compared a covariate's written unit with the argument's: SCR declared in
// mg/L into crcl_cg(scr_mgdl, …) made every CrCl 10 times too low (11.67 for 116.69 mL/min), an AGE
// in months was read as years, and a unit written on CRCL = crcl_cg(…) ("L/h", or "") hid its
// mL/min from the model's unit check (Buelga's CL 123.79 for 7.427 L/h), all exiting 0.

import { describe, expect, it } from 'vitest';
import { parseCovariateSpec, resolveCovariates } from '../../../src/population/covariates/spec.js';
import { refuseCovariateUnitMismatch } from '../../../src/population/covariates/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readFileSync } from 'node:fs';
import { caught } from '../refused.js';

const base = {
  AGE: { dist: 'normal', mean: 60, sd: 5, lower: 18, upper: 95, unit: 'years' },
  SEX: { dist: 'categorical', values: [1], p: [1] },
  WT: { dist: 'lognormal', median: 80, cv: 0.1, lower: 40, upper: 200, unit: 'kg' },
  HT: { dist: 'normal', mean: 175, sd: 5, unit: 'cm' },
  SCR: { dist: 'lognormal', median: 1.0, sdlog: 0.1, unit: 'mg/dL' },
};
const resolve = (covariates: Record<string, unknown>): unknown => resolveCovariates(parseCovariateSpec({ covariates }), () => undefined);

describe('arguments of clinical functions in their units', () => {
  it('passes the units the functions read, however written, and covariates without a unit', () => {
    expect(() => resolve({ ...base, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } })).not.toThrow();
    expect(() => resolve({ ...base, AGE: { ...base.AGE, unit: 'y' }, SCR: { ...base.SCR, unit: undefined }, CRCL: { derived: 'crcl_cg(SCR, AGE, lbw_janmahasatian(HT, WT, SEX), SEX)', unit: 'mL/min' } })).not.toThrow();
    // a conversion written in the expression is the user's: not a bare covariate, not checked
    expect(() => resolve({ ...base, SCR: { ...base.SCR, unit: 'mg/L' }, CRCL: { derived: 'crcl_cg(SCR / 10, AGE, WT, SEX)' } })).not.toThrow();
  });
  it('refuses SCR in mg/L, AGE in months, a BSA as a weight, naming the function, argument, covariate and units', () => {
    const scr = caught(() => resolve({ ...base, SCR: { ...base.SCR, unit: 'mg/L' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } }));
    expect(scr.message).toMatch(/covariates\.CRCL\.derived: crcl_cg\(scr_mgdl, age_y, wt_kg, sex\) reads scr_mgdl in mg\/dL, but SCR \(covariates\.SCR\.unit\) is in mg\/L: 1 mg\/L = 0\.1 mg\/dL/);
    const age = caught(() => resolve({ ...base, AGE: { dist: 'uniform', lower: 24, upper: 119, unit: 'months' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } }));
    expect(age.message).toMatch(/reads age_y in years, but AGE \(covariates\.AGE\.unit\) is in months/);
    const bsa = caught(() => resolve({ ...base, CRCL: { derived: 'crcl_cg(SCR, AGE, bsa_mosteller(HT, WT), SEX)' } }));
    expect(bsa.message).toMatch(/reads wt_kg in kg, but bsa_mosteller\(…\) is in m², another kind of quantity/);
    const viaDerived = caught(() => resolve({ ...base, BSA: { derived: 'bsa_dubois(HT, WT)' }, CRCL: { derived: 'crcl_cg(SCR, AGE, BSA, SEX)' } }));
    expect(viaDerived.message).toMatch(/reads wt_kg in kg, but BSA = bsa_dubois\(…\) is in m²/);
  });
  it("refuses a unit written on a whole clinical call that is not the function's", () => {
    expect(caught(() => resolve({ ...base, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)', unit: 'L/h' } })).message).toMatch(/covariates\.CRCL\.unit: CRCL = crcl_cg\(…\) is in mL\/min, not L\/h/);
    expect(caught(() => resolve({ ...base, WT2: { derived: 'bsa_mosteller(HT, WT)', unit: 'kg' } })).message).toMatch(/WT2 = bsa_mosteller\(…\) is in m², not kg/);
  });
  it('an empty unit on a whole call is its function\'s: checked against the model (Buelga reads CRCL in L/h)', () => {
    const buelga = defineModel(JSON.parse(readFileSync('models/vancomycin_buelga_2005.json', 'utf8')));
    const e = caught(() => refuseCovariateUnitMismatch({ covariates: { ...base, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)', unit: '' } } }, buelga));
    expect(e.message).toMatch(/CRCL = crcl_cg\(SCR, AGE, WT, SEX\) is in mL\/min.*reads CRCL in L\/h/);
  });
  it('reads unit spellings (centimeters, metres) and names one it cannot read as such, not as another kind', () => {
    expect(() => resolve({ ...base, HT: { ...base.HT, unit: 'centimeters' }, L: { derived: 'lbw_janmahasatian(HT, WT, SEX)' } })).not.toThrow();
    expect(() => resolve({ ...base, HT: { ...base.HT, unit: 'Centimetre' }, L: { derived: 'lbw_janmahasatian(HT, WT, SEX)' } })).not.toThrow();
    expect(caught(() => resolve({ ...base, AGE: { ...base.AGE, unit: 'years old' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } })).message).toMatch(/AGE \(covariates\.AGE\.unit\) is in years old, a unit dosewise does not read: write it as years/);
  });
});
