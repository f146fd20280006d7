// calc lbw (Janmahasatian, an adult formula) on a child-sized body computed silently while ibw
// warned below 152.4 cm. Then (7b5b3e8) it warned below 152.4 cm too, and so warned 150 cm, a
// common adult height ('a child's body?'), though the formula uses the BMI only: now it warns where
// the inputs say child, an age under 18 where given (crcl), else a height below 140 cm.

import { describe, expect, it } from 'vitest';
import { calc } from '../../../src/cli/calc.js';

describe('calc lbw on a child-sized body', () => {
  it('warns below 140 cm (100 cm, 16 kg: the adult formula, 14.6 kg, without a word before)', () => {
    const r = calc('lbw', ['heightCm=100', 'weightKg=16', 'sex=male']);
    // 9270·16/(6680 + 216·16) (BMI 16/1² = 16) = 14.5986 kg
    expect(r.value).toBeCloseTo((9270 * 16) / (6680 + 216 * 16), 10);
    expect(r.warnings).toEqual([expect.stringMatching(/^W_ADULT_FORMULA: heightCm 100: below 140 cm, a child's height, and the Janmahasatian lean body weight is a formula made for adults/)]);
    expect(calc('lbw', ['heightCm=139', 'weightKg=35', 'sex=female']).warnings).toHaveLength(1);
    expect(calc('lbw', ['heightCm=170', 'weightKg=70', 'sex=male']).warnings).toBeUndefined();
  });

  it('an adult of 150 cm (or 140) is not warned: 150 cm, 55 kg female is 9270·55/(8780 + 244·BMI 24.44)', () => {
    const r = calc('lbw', ['heightCm=150', 'weightKg=55', 'sex=female']);
    const bmi = 55 / 1.5 ** 2;
    expect(r.value).toBeCloseTo((9270 * 55) / (8780 + 244 * bmi), 10);
    expect(r.warnings).toBeUndefined();
    expect(calc('lbw', ['heightCm=140', 'weightKg=45', 'sex=female']).warnings).toBeUndefined();
  });

  it('crcl on the lean weight: an adult by the age given, whatever the height', () => {
    const crcl = (age: number, h: number): readonly string[] => (calc('crcl', ['scrMgDl=0.8', `ageYears=${age}`, 'sex=female', 'weightKg=55', `heightCm=${h}`, 'weightBasis=lean']).warnings as readonly string[] | undefined) ?? [];
    expect(crcl(40, 150).filter((w) => /Janmahasatian/.test(w))).toEqual([]);
    expect(crcl(40, 135).filter((w) => /Janmahasatian/.test(w))).toEqual([]);
    // (Cockcroft–Gault itself refuses an age under 18)
  });
});
