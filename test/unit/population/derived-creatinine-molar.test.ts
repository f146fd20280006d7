// A creatinine in µmol/L passed to a calculator that reads mg/dL is refused (dosewise does not
// convert), but the refusal called it "another kind of quantity": it is the same quantity, a molar
// concentration where a mass one is read, and the conversion is one division (mg/dL = µmol/L ÷
// 88.42, creatinine 113.12 g/mol: 10 mg/L ÷ 113.12 g/mol = 88.40 µmol/L, 88.42 the clinical factor).

import { describe, expect, it } from 'vitest';
import { parseCovariateSpec, resolveCovariates } from '../../../src/population/covariates/spec.js';
import { caught } from '../refused.js';

const base = {
  AGE: { dist: 'uniform', lower: 20, upper: 80, unit: 'years' },
  SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' },
};
const resolve = (covariates: Record<string, unknown>): unknown => resolveCovariates(parseCovariateSpec({ covariates }), () => undefined);
const scr = (unit: string, median: number): Record<string, unknown> => ({ ...base, SCR: { dist: 'lognormal', median, sdlog: 0.3, unit } });

describe('a creatinine in a molar unit into a calculator that reads mg/dL', () => {
  it('is refused as the same quantity in a molar unit, with the conversion', () => {
    const e = caught(() => resolve({ ...scr('umol/L', 80), EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' } }));
    expect(e.message).not.toMatch(/another kind of quantity/);
    expect(e.message).toMatch(/reads scr_mgdl in mg\/dL, but SCR \(covariates\.SCR\.unit\) is in umol\/L, a molar concentration of creatinine where a mass concentration is read/);
    expect(e.message).toMatch(/mg\/dL = µmol\/L ÷ 88\.42/);
    expect(e.message).toMatch(/write the conversion \(SCR \/ 88\.42\)/);
    // mmol/L: 1 mmol/L = 1000 µmol/L = 11.31 mg/dL
    const m = caught(() => resolve({ ...scr('mmol/L', 0.08), CRCL: { derived: 'crcl_cg(SCR, AGE, 70, SEX)' } }));
    expect(m.message).toMatch(/write the conversion \(SCR \/ 0\.08842\)/);
  });

  it('runs with the conversion written', () => {
    expect(() => resolve({ ...scr('umol/L', 80), EGFR: { derived: 'egfr_ckdepi2021(SCR / 88.42, AGE, SEX)' } })).not.toThrow();
    expect(() => resolve({ ...scr('mmol/L', 0.08), EGFR: { derived: 'egfr_ckdepi2021(SCR / 0.08842, AGE, SEX)' } })).not.toThrow();
  });
});
