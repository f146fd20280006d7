import { describe, it, expect } from 'vitest';
import { crclCockcroftGault, dosingWeightKg, type CockcroftGaultInput } from '../../../src/clinical/index.js';

/*
 * Cockcroft & Gault, Nephron 1976;16:31–41:
 *   CrCl[mL/min] = (140 − age) × weight[kg] / (72 × SCr[mg/dL]) × 0.85 [female]
 */
describe('crclCockcroftGault', () => {
  const base = { scrMgDl: 1.0, ageYears: 60, sex: 'male', weightKg: 72 } as const;

  it('male 60 y, 72 kg, SCr 1.0, total weight → (140 − 60) × 72 / (72 × 1.0) = 80 mL/min', () => {
    expect(crclCockcroftGault({ ...base, weightBasis: 'total' })).toEqual({
      crclMlMin: 80,
      weightBasis: 'total',
      weightBasisRequested: 'total',
      weightKgUsed: 72,
      warnings: [],
    });
  });

  it('female, same values → 80 × 0.85 = 68 mL/min', () => {
    const r = crclCockcroftGault({ ...base, sex: 'female', weightBasis: 'total' });
    expect(r.crclMlMin).toBeCloseTo(68, 10);
  });

  it('ideal weight: 177.8 cm (70 in) male → Devine IBW 50 + 2.3 × 10 = 73 kg → 80 × 73 / 72 = 81.111', () => {
    const r = crclCockcroftGault({ ...base, weightKg: 120, heightCm: 177.8, weightBasis: 'ideal' });
    expect(r.weightBasis).toBe('ideal');
    expect(r.weightKgUsed).toBeCloseTo(73, 10);
    expect(r.crclMlMin).toBeCloseTo(81.111, 3);
  });

  it('adjusted weight: IBW 73, TBW 120 → 73 + 0.4 × 47 = 91.8 kg → 80 × 91.8 / 72 = 102', () => {
    const r = crclCockcroftGault({ ...base, weightKg: 120, heightCm: 177.8, weightBasis: 'adjusted' });
    expect(r.weightKgUsed).toBeCloseTo(91.8, 10);
    expect(r.crclMlMin).toBeCloseTo(102, 10);
  });

  it('lean weight: male 170 cm 70 kg → BMI 24.2215, LBW 9270 × 70 / (6680 + 216 × 24.2215) = 54.475 → 60.528', () => {
    const r = crclCockcroftGault({ ...base, weightKg: 70, heightCm: 170, weightBasis: 'lean' });
    expect(r.weightBasis).toBe('lean');
    expect(r.weightKgUsed).toBeCloseTo(54.475, 3);
    expect(r.crclMlMin).toBeCloseTo(60.528, 3);
  });

  it('requires an explicit weight basis', () => {
    const input = { ...base } as unknown as CockcroftGaultInput;
    expect(() => crclCockcroftGault(input)).toThrow(/clinical input weightBasis: is required.*\(got undefined\)/);
    const wrong = { ...base, weightBasis: 'actual' } as unknown as CockcroftGaultInput;
    expect(() => crclCockcroftGault(wrong)).toThrow(/clinical input weightBasis: must be one of .*\(got "actual"\)/);
  });

  it('a patient under IBW: ideal and adjusted give way to the total weight (45 kg at 170 cm, female: IBW 61.5, AdjBW 54.9)', () => {
    const under = { scrMgDl: 1, ageYears: 72, sex: 'female' as const, weightKg: 45, heightCm: 170 };
    for (const weightBasis of ['ideal', 'adjusted'] as const) {
      const r = crclCockcroftGault({ ...under, weightBasis });
      expect(r.weightKgUsed).toBe(45);
      expect(r.crclMlMin).toBeCloseTo((((140 - 72) * 45) / 72) * 0.85, 12);
    }
  });

  it('a lean weight above the total weight gives way to it too (male 180 cm, 30 kg: LBW formula 32.04; CrCl was 44.50, now 41.67)', () => {
    const r = crclCockcroftGault({ scrMgDl: 1, ageYears: 40, sex: 'male', weightKg: 30, heightCm: 180, weightBasis: 'lean' });
    expect(r.weightKgUsed).toBe(30);
    expect(r.crclMlMin).toBeCloseTo(((140 - 40) * 30) / 72, 12);
    expect(dosingWeightKg({ weightBasis: 'lean', weightKg: 30, heightCm: 180, sex: 'male' })).toBe(30);
  });

  it('requires heightCm for ideal, adjusted and lean weights', () => {
    for (const weightBasis of ['ideal', 'adjusted', 'lean'] as const) {
      const input = { ...base, weightBasis } as unknown as CockcroftGaultInput;
      expect(() => crclCockcroftGault(input)).toThrow('clinical input heightCm: is required (got undefined)');
    }
  });

  it('refuses a creatinine below 0.1 mg/dL, naming the field', () => {
    expect(() => crclCockcroftGault({ ...base, scrMgDl: 0.0136, weightBasis: 'total' })).toThrow(
      /^clinical input scrMgDl: must be ≥ 0\.1 mg\/dL .*\(got 0\.0136\)$/,
    );
  });

  it('refuses age under 18, naming the field', () => {
    expect(() => crclCockcroftGault({ ...base, ageYears: 16, weightBasis: 'total' })).toThrow(
      /clinical input ageYears: must be ≥ 18 for Cockcroft–Gault \(got 16\)/,
    );
  });
});

describe('dosingWeightKg', () => {
  it('returns total weight unchanged without needing height', () => {
    expect(dosingWeightKg({ weightBasis: 'total', weightKg: 88, sex: 'female' })).toBe(88);
  });
});

describe('fields a calculator does not read', () => {
  it('are refused naming the field (a typo left the age unread; scrUmolL beside scrMgDl was ignored)', () => {
    const base = { scrMgDl: 1, ageYears: 60, sex: 'male' as const, weightKg: 70, weightBasis: 'total' as const };
    expect(() => crclCockcroftGault({ ...base, scrUmolL: 200 } as never)).toThrow(/scrUmolL.*convert it with scrMgDlFromUmolL/);
    expect(() => crclCockcroftGault({ ...base, heightcm: 170 } as never)).toThrow(/heightcm.*did you mean heightCm/);
    expect(() => crclCockcroftGault({ ...base, weightLb: 154 } as never)).toThrow(/weightLb.*not read by this calculator \(it reads scrMgDl, ageYears, sex, weightKg, weightBasis, heightCm\)/);
    expect(crclCockcroftGault(base).crclMlMin).toBeCloseTo(((140 - 60) * 70) / 72, 10);
  });
});
