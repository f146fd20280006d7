import { describe, it, expect } from 'vitest';
import {
  adjustedBodyWeight,
  bodyMassIndex,
  bsaDuBois,
  bsaMosteller,
  idealBodyWeightDevine,
  leanBodyWeightJanmahasatian,
} from '../../../src/clinical/index.js';
import { janmahasatianFormulaKg } from '../../../src/clinical/body-size.js';

describe('bsaMosteller', () => {
  it('170 cm, 70 kg → √(170 × 70 / 3600) = √3.305556 = 1.818 m²', () => {
    expect(bsaMosteller({ heightCm: 170, weightKg: 70 })).toBeCloseTo(1.8181, 4);
  });
});

describe('bsaDuBois', () => {
  it('170 cm, 70 kg → 0.007184 × 70^0.425 × 170^0.725 = 1.8097 m²', () => {
    // ln 70 × 0.425 = 1.805610; ln 170 × 0.725 = 3.723454; e^(5.529064) = 251.91; × 0.007184 = 1.8097
    expect(bsaDuBois({ heightCm: 170, weightKg: 70 })).toBeCloseTo(1.8097, 4);
  });

  it('180 cm, 100 kg → 0.007184 × 100^0.425 × 180^0.725 = 2.1950 m²', () => {
    // 100^0.425 = 7.079458; 180^0.725 = e^(0.725 × 5.192957) = e^3.764894 = 43.1591; 0.007184 × 7.079458 × 43.1591 = 2.1950
    expect(bsaDuBois({ heightCm: 180, weightKg: 100 })).toBeCloseTo(2.1950, 4);
  });
});

describe('bodyMassIndex', () => {
  it('170 cm, 70 kg → 70 / 1.7² = 24.2215 kg/m²', () => {
    expect(bodyMassIndex({ heightCm: 170, weightKg: 70 })).toBeCloseTo(24.2215, 4);
  });
});

describe('idealBodyWeightDevine', () => {
  it('male 70 in (177.8 cm) → 50 + 2.3 × 10 = 73 kg', () => {
    expect(idealBodyWeightDevine({ heightCm: 177.8, sex: 'male' })).toBeCloseTo(73, 10);
  });

  it('female 65 in (165.1 cm) → 45.5 + 2.3 × 5 = 57 kg', () => {
    expect(idealBodyWeightDevine({ heightCm: 165.1, sex: 'female' })).toBeCloseTo(57, 10);
  });

  it('60 in (152.4 cm) → the base weights 50 kg (male) and 45.5 kg (female)', () => {
    expect(idealBodyWeightDevine({ heightCm: 152.4, sex: 'male' })).toBeCloseTo(50, 10);
    expect(idealBodyWeightDevine({ heightCm: 152.4, sex: 'female' })).toBeCloseTo(45.5, 10);
  });

  it('refuses a height too short to give a positive IBW', () => {
    // female 80 cm = 31.5 in → 45.5 + 2.3 × (−28.5) < 0
    expect(() => idealBodyWeightDevine({ heightCm: 80, sex: 'female' })).toThrow(/clinical input heightCm: .*Devine.*\(got 80\)/);
  });
});

/* Janmahasatian et al., Clin Pharmacokinet 2005;44:1051:
 * male LBW = 9270·W/(6680 + 216·BMI); female LBW = 9270·W/(8780 + 244·BMI). */
describe('leanBodyWeightJanmahasatian', () => {
  it('male 170 cm, 70 kg → BMI 24.2215 → 648900 / 11911.83 = 54.475 kg', () => {
    expect(leanBodyWeightJanmahasatian({ heightCm: 170, weightKg: 70, sex: 'male' })).toBeCloseTo(54.475, 3);
  });

  it('female 160 cm, 60 kg → BMI 23.4375 → 556200 / (8780 + 5718.75) = 38.362 kg', () => {
    expect(leanBodyWeightJanmahasatian({ heightCm: 160, weightKg: 60, sex: 'female' })).toBeCloseTo(38.362, 3);
  });

  // the formula exceeds W where 9270 > 6680 + 216·BMI, a BMI under 11.99 (male): it gave 32.04 kg of
  // lean weight for a 30-kg man of 180 cm, which Cockcroft–Gault on the lean basis then used
  it('gives way to the total weight where the formula exceeds it: male 180 cm, 30 kg (BMI 9.26) → 30, not 278100 / 8680 = 32.04', () => {
    expect(janmahasatianFormulaKg({ heightCm: 180, weightKg: 30, sex: 'male' })).toBeCloseTo(32.039, 3);
    expect(leanBodyWeightJanmahasatian({ heightCm: 180, weightKg: 30, sex: 'male' })).toBe(30);
    // just above the threshold BMI the formula stands (BMI 12.5 at 180 cm: 40.5 kg → 40.12)
    expect(leanBodyWeightJanmahasatian({ heightCm: 180, weightKg: 40.5, sex: 'male' })).toBeCloseTo((9270 * 40.5) / (6680 + 216 * 12.5), 10);
  });
});

describe('adjustedBodyWeight', () => {
  it('male 177.8 cm, 120 kg → IBW 73 + 0.4 × (120 − 73) = 91.8 kg', () => {
    expect(adjustedBodyWeight({ heightCm: 177.8, weightKg: 120, sex: 'male' })).toBeCloseTo(91.8, 10);
  });

  it('female 165.1 cm, 100 kg → IBW 57 + 0.4 × 43 = 74.2 kg', () => {
    expect(adjustedBodyWeight({ heightCm: 165.1, weightKg: 100, sex: 'female' })).toBeCloseTo(74.2, 10);
  });
});
