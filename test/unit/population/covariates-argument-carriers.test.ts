// A creatinine in mg/L reached crcl_cg / egfr_ckdepi2021 unconverted when the argument was a clamp
// ("AGE > 65 && SCR < 10 ? 10 : SCR", the form of examples/design-vancomycin-covariates.json) or an
// alias (SCRX = SCRL): only a bare covariate with its own unit was checked. Goti 2018 ran with
// subject 1's CRCL 13.553 for 135.53 mL/min and a median AUC24 of 3902 for 623; egfr_ckdepi2021(SCRX,
// …) gave eGFR 4.15 for 65.75. A clamp or min/max of one covariate with numbers is that covariate,
// in its unit; an alias is in the unit of what it copies; a product or quotient is the user's
// conversion, unchecked.

import { describe, expect, it } from 'vitest';
import { parseCovariateSpec } from '../../../src/population/covariates/spec.js';
import { covariateSampler } from '../../../src/population/covariates/sample.js';
import { refuseCovariateUnitMismatch } from '../../../src/population/covariates/units.js';
import { defineModel } from '../../../src/model/model.js';
import { caught } from '../refused.js';

const base = {
  AGE: { dist: 'normal', mean: 70, sd: 1, unit: 'years' },
  SEX: { dist: 'categorical', values: [1], p: [1] },
  WT: { dist: 'lognormal', median: 80, sdlog: 0.1, unit: 'kg' },
  SCR: { dist: 'lognormal', median: 8, sdlog: 0.1, unit: 'mg/L' },
};
const spec = (more: Record<string, unknown>, scr: Record<string, unknown> = base.SCR): unknown => ({ covariates: { ...base, SCR: scr, ...more } });

describe('an argument whose value is one covariate carries its unit', () => {
  it('refuses SCR in mg/L through the clamp of the example file (before: accepted, CrCl 10 times too low)', () => {
    const e = caught(() => parseCovariateSpec(spec({ CRCL: { derived: 'min(crcl_cg(AGE > 65 && SCR < 10 ? 10 : SCR, AGE, WT, SEX), 150)', unit: 'mL/min' } })));
    expect(e.message).toMatch(/covariates\.CRCL\.derived: crcl_cg\(scr_mgdl, age_y, wt_kg, sex\) reads scr_mgdl in mg\/dL, but SCR \(covariates\.SCR\.unit\) is in mg\/L/);
    expect(e.message).toContain('the argument "AGE > 65 && SCR < 10 ? 10 : SCR" is that value');
    expect(e.message).toContain('1 mg/L = 0.1 mg/dL');
  });

  it('refuses min/max clamps and if(), and a selection between two covariates one of which is in mg/L', () => {
    for (const arg of ['max(SCR, 3)', 'min(max(SCR, 3), 80)', 'if(SCR < 3, 3, SCR)', 'AGE > 65 ? SCR : SCR2']) {
      const e = caught(() => parseCovariateSpec(spec({ SCR2: { dist: 'lognormal', median: 0.8, sdlog: 0.1, unit: 'mg/dL' }, CRCL: { derived: `crcl_cg(${arg}, AGE, WT, SEX)` } })));
      expect(e.message, arg).toMatch(/but SCR \(covariates\.SCR\.unit\) is in mg\/L/);
    }
  });

  it('refuses an alias SCRX = SCRL of a creatinine in mg/L (before: eGFR 4.15 for 65.75)', () => {
    const e = caught(() => parseCovariateSpec({ covariates: { ...base, SCRL: base.SCR, SCRX: { derived: 'SCRL' }, EGFR: { derived: 'egfr_ckdepi2021(SCRX, AGE, SEX)' } } }));
    expect(e.message).toMatch(/egfr_ckdepi2021\(scr_mgdl, age_y, sex\) reads scr_mgdl in mg\/dL, but SCRX \(= SCRL; SCRL \(covariates\.SCRL\.unit\)\) is in mg\/L/);
    // an alias of an alias, and a clamp of an alias, are the same values
    expect(() => parseCovariateSpec({ covariates: { ...base, SCRL: base.SCR, A: { derived: 'SCRL' }, B: { derived: 'max(A, 3)' }, EGFR: { derived: 'egfr_ckdepi2021(B, AGE, SEX)' } } })).toThrow(/but B .* is in mg\/L/);
  });

  it('refuses an alias labelled with another unit than what it copies (the label would hide the mg/L)', () => {
    const e = caught(() => parseCovariateSpec({ covariates: { ...base, SCRX: { derived: 'SCR', unit: 'mg/dL' } } }));
    expect(e.message).toMatch(/covariates\.SCRX\.unit: SCRX = SCR copies the values of SCR \(covariates\.SCR\.unit\), in mg\/L, not mg\/dL/);
  });

  it("an alias carries its unit into the model's unit check too", () => {
    // model.json of the report: SCR read in mg/dL; the alias SCR = SCRL (mg/L) has no unit of its own
    const model = defineModel({
      dosewise: 2,
      name: 'scr reader',
      structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
      theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
      covariates: { SCR: { unit: 'mg/dL', default: 1 } },
      parameters: { CL: { expr: 'TVCL / SCR', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
      observe: { compartment: 1, unit: 'mg/L' },
    } as never);
    const e = caught(() => refuseCovariateUnitMismatch({ covariates: { SCRL: base.SCR, SCR: { derived: 'SCRL' } } }, model));
    expect(e.message).toMatch(/SCR = SCRL is in mg\/L, but model scr reader .* reads SCR in mg\/dL: 1 mg\/L = 0\.1 mg\/dL/);
  });

  it('a conversion written in the call is the user\'s and runs, at the Cockcroft-Gault value of the converted creatinine', () => {
    // z = 0: AGE 70, WT 80 kg, SCR 8 mg/L; the clamp raises it to 10 mg/L, /10 = 1 mg/dL, so
    // CrCl = (140 − 70)·80 / (72·1) = 77.777… mL/min (closed form). Unconverted, the accepted clamp
    // gave (140 − 70)·80 / (72·10) = 7.78: ten times too low.
    const s = covariateSampler(spec({ CRCL: { derived: 'min(crcl_cg((AGE > 65 && SCR < 10 ? 10 : SCR) / 10, AGE, WT, SEX), 150)', unit: 'mL/min' } }));
    const out = s.names.map(() => new Float64Array(2));
    // subject 2: z_AGE = −10 → AGE 60, no clamp: SCR 8 mg/L = 0.8 mg/dL, CrCl = 80·80/(72·0.8) = 111.111…
    s.fill(2, Float64Array.of(0, 0, 0, -10, 0, 0), Float64Array.of(0.5, 0.5), out);
    const crcl = out[s.names.indexOf('CRCL')] as Float64Array;
    expect(crcl[0]).toBeCloseTo((70 * 80) / 72, 9);
    expect(crcl[1]).toBeCloseTo((80 * 80) / (72 * 0.8), 9);
  });

  it('SCR in mg/dL through the same clamp still runs (the example file)', () => {
    expect(() => parseCovariateSpec(spec({ CRCL: { derived: 'min(crcl_cg(AGE > 65 && SCR < 1 ? 1 : SCR, AGE, WT, SEX), 150)', unit: 'mL/min' } }, { ...base.SCR, median: 0.8, unit: 'mg/dL' }))).not.toThrow();
  });
});
