import { describe, it, expect } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import {
  ClinicalInputError,
  adjustedBodyWeight,
  bodyMassIndex,
  bsaDuBois,
  bsaMosteller,
  crclCockcroftGault,
  cystatinCMgDlFromMgL,
  cystatinCMgLFromMgDl,
  egfrBedsideSchwartz,
  egfrCkdEpi2021Cr,
  egfrCkdEpi2021CrCys,
  idealBodyWeightDevine,
  leanBodyWeightJanmahasatian,
  scrMgDlFromUmolL,
  scrUmolLFromMgDl,
} from '../../../src/clinical/index.js';

/** Every calculator with a valid input; inputs are untyped, as from JSON. */
type Untyped = (input: never) => unknown;
const cases: ReadonlyArray<readonly [string, Untyped, Record<string, unknown>]> = [
  ['egfrCkdEpi2021Cr', egfrCkdEpi2021Cr, { scrMgDl: 1, ageYears: 50, sex: 'female' }],
  ['egfrCkdEpi2021CrCys', egfrCkdEpi2021CrCys, { scrMgDl: 1, cystatinCMgL: 1, ageYears: 50, sex: 'male' }],
  ['egfrBedsideSchwartz', egfrBedsideSchwartz, { scrMgDl: 0.5, heightCm: 120, ageYears: 8 }],
  [
    'crclCockcroftGault',
    crclCockcroftGault,
    { scrMgDl: 1, ageYears: 60, sex: 'male', weightKg: 90, heightCm: 175, weightBasis: 'adjusted' },
  ],
  ['bsaMosteller', bsaMosteller, { heightCm: 170, weightKg: 70 }],
  ['bsaDuBois', bsaDuBois, { heightCm: 170, weightKg: 70 }],
  ['bodyMassIndex', bodyMassIndex, { heightCm: 170, weightKg: 70 }],
  ['idealBodyWeightDevine', idealBodyWeightDevine, { heightCm: 170, sex: 'female' }],
  ['leanBodyWeightJanmahasatian', leanBodyWeightJanmahasatian, { heightCm: 170, weightKg: 70, sex: 'male' }],
  ['adjustedBodyWeight', adjustedBodyWeight, { heightCm: 170, weightKg: 110, sex: 'male' }],
  ['scrMgDlFromUmolL', scrMgDlFromUmolL, { scrUmolL: 80 }],
  ['scrUmolLFromMgDl', scrUmolLFromMgDl, { scrMgDl: 1 }],
  ['cystatinCMgLFromMgDl', cystatinCMgLFromMgDl, { cystatinCMgDl: 0.1 }],
  ['cystatinCMgDlFromMgL', cystatinCMgDlFromMgL, { cystatinCMgL: 1 }],
];

/** Catches what `fn(input)` throws, failing the test when it does not throw. */
function thrown(fn: Untyped, input: unknown): ClinicalInputError {
  try {
    fn(input as never);
  } catch (error) {
    expect(error).toBeInstanceOf(ClinicalInputError);
    expect(error).toBeInstanceOf(DosewiseError);
    expect((error as DosewiseError).code).toBe('E_CLINICAL');
    return error as ClinicalInputError;
  }
  throw new Error('expected a ClinicalInputError, none was thrown');
}

describe.each(cases)('%s input validation', (_name, fn, valid) => {
  it('accepts the valid input', () => {
    expect(() => fn(valid as never)).not.toThrow();
  });

  it.each([
    ['race', 'black'],
    ['race', 'white'],
    ['black', true],
    ['black', false],
    ['isBlack', false],
    ['Race', 'other'],
    ['ethnicity', 'hispanic'],
  ])('refuses a %s field (value %s): race-free equations only', (key, value) => {
    const error = thrown(fn, { ...valid, [key]: value });
    expect(error.field).toBe(key);
    expect(error.message).toContain(`clinical input ${key}:`);
    expect(error.message).toMatch(/race-free equations \(CKD-EPI 2021/);
  });

  const numericFields = Object.keys(valid).filter((key) => typeof valid[key] === 'number');

  it.each(numericFields)('refuses NaN in %s, naming the field and value', (field) => {
    const error = thrown(fn, { ...valid, [field]: Number.NaN });
    expect(error.field).toBe(field);
    expect(error.message).toBe(`clinical input ${field}: must be a finite number (got NaN)`);
  });

  it.each(numericFields)('refuses a negative %s, naming the field and value', (field) => {
    const error = thrown(fn, { ...valid, [field]: -1 });
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^clinical input ${field}: must be .*\\(got -1\\)$`));
  });

  it.each(numericFields)('refuses a missing %s, naming the field', (field) => {
    const { [field]: _dropped, ...rest } = valid;
    const error = thrown(fn, rest);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^clinical input ${field}: is required.*\\(got undefined\\)$`));
  });

  it.each(numericFields)('refuses %s given as a string', (field) => {
    const error = thrown(fn, { ...valid, [field]: '1.0' });
    expect(error.message).toBe(`clinical input ${field}: must be a finite number (got "1.0")`);
  });

  it.each(numericFields)('refuses an infinite %s', (field) => {
    expect(thrown(fn, { ...valid, [field]: Number.POSITIVE_INFINITY }).field).toBe(field);
  });

  if ('sex' in valid) {
    it('refuses a missing or unknown sex', () => {
      const { sex: _sex, ...rest } = valid;
      expect(thrown(fn, rest).message).toMatch(/^clinical input sex: is required.*\(got undefined\)$/);
      expect(thrown(fn, { ...valid, sex: 'F' }).message).toBe(
        `clinical input sex: must be 'female' or 'male' (got "F")`,
      );
    });
  }

  it('refuses a non-object input', () => {
    for (const bad of [null, undefined, 42, 'x', [1, 2]]) {
      expect(thrown(fn, bad).field).toBe('input');
    }
  });
});

describe('a weight beside a height must make a body; an extremely preterm length is a length', () => {
  it('a weight in grams typed as kg is refused (650 at 33 cm: BSA 2.44 m² for 0.077, BMI 5969)', () => {
    for (const f of [bsaMosteller, bsaDuBois, bodyMassIndex]) {
      expect(() => f({ heightCm: 33, weightKg: 650 }), f.name).toThrow(/weightKg.*with heightCm 33 this is a body-mass index of 5969 kg\/m², above any body \(≤ 250\); a weight in grams\? give kg \(0\.65\)/);
    }
  });
  it('an infant of 28 cm and 0.5 kg is read: Mosteller √(28·0.5/3600) = 0.06236 m² (a 30-cm floor refused it)', () => {
    expect(bsaMosteller({ heightCm: 28, weightKg: 0.5 })).toBeCloseTo(Math.sqrt((28 * 0.5) / 3600), 12);
    expect(() => bsaMosteller({ heightCm: 1.7, weightKg: 70 })).toThrow(/heightCm.*must be ≥ 20 cm; a value in metres\?/);
  });
  it('the heaviest and the lightest real bodies pass (635 kg at 185 cm: BMI 186; 0.4 kg at 30 cm: 4.4)', () => {
    expect(bodyMassIndex({ heightCm: 185, weightKg: 635 })).toBeCloseTo(635 / 1.85 ** 2, 9);
    expect(bodyMassIndex({ heightCm: 30, weightKg: 0.4 })).toBeCloseTo(0.4 / 0.09, 9);
  });
});
