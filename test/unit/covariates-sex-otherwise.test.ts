// "1 if male, 0 otherwise": a one-sex description that gives 0 to every other value says the whole
// coding (1 = male, 0 = female). It was refused as unreadable ("Male: 1 if male, 0 otherwise" is no
// coding dosewise reads), though no other reading is possible. Forms with a second number, a
// negation or a reference word stay unread, as the other one-sex descriptions do.

import { describe, expect, it } from 'vitest';
import { describedSexCoding } from '../../src/population/covariates/coding.js';
import { parseCovariateSpec } from '../../src/population/covariates/spec.js';
import { covariateSampler } from '../../src/population/covariates/sample.js';

const MALE = new Map([
  [1, 'male'],
  [0, 'female'],
]);
const FEMALE = new Map([
  [1, 'female'],
  [0, 'male'],
]);

describe('"1 if X, 0 otherwise" (and "else") is an indicator of X', () => {
  it('reads the male and female forms, with or without a header', () => {
    for (const d of ['Male: 1 if male, 0 otherwise', '1 if male, 0 otherwise', '1 if male, otherwise 0', '1 if male, else 0', '1 if male, 0 else', 'Sex: 1 if male, 0 otherwise'])
      expect(describedSexCoding(d), d).toEqual(MALE);
    for (const d of ['Female: 1 if female, 0 otherwise', '1 if female, 0 otherwise', '1 if female, else 0', 'female: 1 if female; 0 otherwise'])
      expect(describedSexCoding(d), d).toEqual(FEMALE);
  });
  it('leaves the ambiguous ones unread: a code other than 0 and 1, a negation, a reference, no "1 if X"', () => {
    for (const d of ['1 if male, 2 otherwise', '2 if male, 0 otherwise', '1 if not male, 0 otherwise', '1 if male, 0 otherwise (reference = male)', '0 otherwise', 'male, 0 otherwise', 'Male'])
      expect(describedSexCoding(d), d).toBeUndefined();
  });
  it('runs crcl_cg on SEX so described: a man gets the male Cockcroft–Gault (it was refused)', () => {
    // Cockcroft–Gault by hand: (140 − 60)·70 / (72·1) = 77.777…, × 0.85 = 66.111… for a woman
    for (const [v, want] of [
      [1, 77.77777777777777],
      [0, 66.11111111111111],
    ] as const) {
      const covariates = {
        AGE: { dist: 'categorical', values: [60], p: [1], unit: 'years' },
        SEX: { dist: 'categorical', values: [v], p: [1], description: 'Male: 1 if male, 0 otherwise' },
        WT: { dist: 'categorical', values: [70], p: [1], unit: 'kg' },
        SCR: { dist: 'categorical', values: [1], p: [1], unit: 'mg/dL' },
        CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)', unit: 'mL/min' },
      };
      parseCovariateSpec({ covariates });
      const s = covariateSampler({ covariates });
      const out = s.names.map(() => new Float64Array(1));
      s.fill(1, new Float64Array(0), new Float64Array(16).fill(0.5), out);
      expect((out[s.names.indexOf('CRCL')] as Float64Array)[0]).toBeCloseTo(want, 9);
    }
  });
});
