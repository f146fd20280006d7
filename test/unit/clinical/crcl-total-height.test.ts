// Cockcroft–Gault on the total weight did not read heightCm: 'abc', 1.75 (metres; a BMI of 228,571
// with 70 kg), 19 and 281 cm were taken without a word, where every other calculator refuses a
// height outside 20–280 cm or not a number, and where a height inside that range is checked with the
// weight (33 cm beside 650 kg refused as a BMI of 5,969): a grams-for-kg weight beside a metres height
// escaped the unit check (576 of 16,224 grid calls). Now a height given
// with weightBasis 'total' is read as any height is; the clearance still uses the total weight alone.
// 80 mL/min: (140 − 60) × 72 / (72 × 1), Cockcroft & Gault 1976.

import { describe, expect, it } from 'vitest';
import { crclCockcroftGault, dosingWeightKg } from '../../../src/clinical/crcl.js';
import { ClinicalInputError } from '../../../src/clinical/validate.js';
import { cli } from '../cli/run-cli.js';

const base = { scrMgDl: 1, ageYears: 60, sex: 'male' as const, weightKg: 72, weightBasis: 'total' as const };

function refused(f: () => unknown): ClinicalInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ClinicalInputError);
    return e as ClinicalInputError;
  }
  throw new Error('accepted');
}

describe("Cockcroft–Gault, weightBasis 'total', with a height", () => {
  for (const h of ['abc', 1.75, 19, 281, Number.NaN, null]) {
    it(`heightCm ${typeof h === 'string' ? JSON.stringify(h) : String(h)} is refused naming heightCm`, () => {
      const e = refused(() => crclCockcroftGault({ ...base, heightCm: h as number }));
      expect(e.message).toMatch(/heightCm/);
      expect(refused(() => dosingWeightKg({ weightBasis: 'total', weightKg: 72, heightCm: h as number, sex: 'male' })).message).toMatch(/heightCm/);
    });
  }

  it('1.75 m says it may be metres', () => {
    expect(refused(() => crclCockcroftGault({ ...base, heightCm: 1.75 })).message).toMatch(/metres/);
  });

  it('a plausible height is taken and does not change the clearance (80 mL/min); none given is fine', () => {
    expect(crclCockcroftGault({ ...base, heightCm: 175 }).crclMlMin).toBe(80);
    expect(crclCockcroftGault(base).crclMlMin).toBe(80);
    expect(crclCockcroftGault({ ...base, heightCm: 280 }).crclMlMin).toBe(80);
  });

  it('the command line refuses heightCm=abc weightBasis=total (exit 1, naming the field)', async () => {
    const r = await cli(['calc', 'crcl', 'scrMgDl=1', 'ageYears=60', 'sex=male', 'weightKg=72', 'heightCm=abc', 'weightBasis=total']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/heightCm/);
  });
});
