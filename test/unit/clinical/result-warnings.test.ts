// The calculators' API results name the weight basis used and carry the warnings `dosewise calc`
// prints: crclCockcroftGault({ weightKg: 50, heightCm: 180, weightBasis: 'ideal' }) returned
// { crclMlMin: 69.44, weightBasis: 'ideal', weightKgUsed: 50 } (the total weight, labelled ideal,
// without a word) while the CLI relabelled it and warned; adjustedBodyWeight under IBW, Devine at
// 140 cm and Janmahasatian at 100 cm returned bare numbers where the CLI warned.
// References by hand from the published equations:
//   Cockcroft & Gault 1976: CrCl = (140 − age)·W/(72·SCr) × 0.85[F]
//   Devine 1974: IBW = 50 (M) / 45.5 (F) + 2.3·(H/2.54 − 60)
//   Traynor 1995: AdjBW = IBW + 0.4·(TBW − IBW)
//   Janmahasatian 2005: LBW = 9270·W/(6680 + 216·BMI) (M), 9270·W/(8780 + 244·BMI) (F)
import { describe, expect, it } from 'vitest';
import {
  adjustedBodyWeight,
  adjustedBodyWeightWithWarnings,
  crclCockcroftGault,
  idealBodyWeightDevine,
  idealBodyWeightDevineWithWarnings,
  leanBodyWeightJanmahasatian,
  leanBodyWeightJanmahasatianWithWarnings,
} from '../../../src/clinical/index.js';
import { calc } from '../../../src/cli/calc.js';

const devine = (h: number, male: boolean): number => (male ? 50 : 45.5) + 2.3 * (h / 2.54 - 60);

describe('crclCockcroftGault names the basis used and warns', () => {
  it('ideal basis under IBW: total weight used, basis "total", requested "ideal", W_ABOVE_TOTAL_WEIGHT (it said "ideal")', () => {
    // IBW at 180 cm, male: 50 + 2.3·(70.866 − 60) = 74.99 kg > 50 kg; CrCl = 100·50/72 = 69.444
    const r = crclCockcroftGault({ scrMgDl: 1, ageYears: 40, sex: 'male', weightKg: 50, heightCm: 180, weightBasis: 'ideal' });
    expect(r.crclMlMin).toBeCloseTo((100 * 50) / 72, 12);
    expect(r.weightKgUsed).toBe(50);
    expect(r.weightBasis).toBe('total');
    expect(r.weightBasisRequested).toBe('ideal');
    expect(devine(180, true)).toBeCloseTo(74.99, 2);
    expect(r.warnings).toEqual([
      'W_ABOVE_TOTAL_WEIGHT: the ideal weight 75.0 kg is above the total weight 50 kg (a patient under the ideal weight): Cockcroft–Gault uses the total weight',
    ]);
  });

  it('adjusted and lean bases above the total weight: the same', () => {
    const adj = crclCockcroftGault({ scrMgDl: 1, ageYears: 40, sex: 'male', weightKg: 50, heightCm: 180, weightBasis: 'adjusted' });
    expect(adj).toMatchObject({ weightBasis: 'total', weightBasisRequested: 'adjusted', weightKgUsed: 50 });
    // AdjBW = 0.6·74.99 + 0.4·50 = 64.99
    expect(adj.warnings).toEqual([expect.stringMatching(/^W_ABOVE_TOTAL_WEIGHT: the adjusted weight 65\.0 kg is above the total weight 50 kg/)]);
    // 30 kg at 180 cm, male: BMI 9.259, LBW formula 9270·30/(6680 + 216·9.259) = 32.04 kg
    const lean = crclCockcroftGault({ scrMgDl: 1, ageYears: 40, sex: 'male', weightKg: 30, heightCm: 180, weightBasis: 'lean' });
    expect(lean).toMatchObject({ weightBasis: 'total', weightBasisRequested: 'lean', weightKgUsed: 30 });
    expect(lean.warnings).toEqual(['W_ABOVE_TOTAL_WEIGHT: the Janmahasatian lean weight 32.0 kg is above the total weight 30 kg (BMI 9.26 kg/m²): Cockcroft–Gault uses the total weight']);
  });

  it('the basis requested where its weight is used; no warning for an ordinary patient', () => {
    const r = crclCockcroftGault({ scrMgDl: 1, ageYears: 40, sex: 'male', weightKg: 150, heightCm: 180, weightBasis: 'adjusted' });
    const adj = devine(180, true) + 0.4 * (150 - devine(180, true));
    expect(r.weightKgUsed).toBeCloseTo(adj, 10);
    expect(r.crclMlMin).toBeCloseTo((100 * adj) / 72, 10);
    expect(r).toMatchObject({ weightBasis: 'adjusted', weightBasisRequested: 'adjusted', warnings: [] });
  });

  it('warns where the Devine IBW it uses is extrapolated (148 cm)', () => {
    const r = crclCockcroftGault({ scrMgDl: 1, ageYears: 50, sex: 'female', weightKg: 90, heightCm: 148, weightBasis: 'ideal' });
    expect(r.weightKgUsed).toBeCloseTo(devine(148, false), 10);
    expect(r.warnings).toEqual([expect.stringMatching(/^W_DEVINE_EXTRAPOLATED: heightCm 148: below 152\.4 cm \(60 in\)/)]);
    expect(crclCockcroftGault({ scrMgDl: 1, ageYears: 50, sex: 'female', weightKg: 90, heightCm: 148, weightBasis: 'total' }).warnings).toEqual([]);
  });
});

describe('body-size companions return the value with the warnings', () => {
  it('adjustedBodyWeightWithWarnings under IBW: the formula value and W_ABOVE_TOTAL_WEIGHT', () => {
    const r = adjustedBodyWeightWithWarnings({ heightCm: 180, weightKg: 50, sex: 'male' });
    expect(r.value).toBeCloseTo(0.6 * devine(180, true) + 0.4 * 50, 10);
    expect(r.value).toBe(adjustedBodyWeight({ heightCm: 180, weightKg: 50, sex: 'male' }));
    expect(r.warnings).toEqual(['W_ABOVE_TOTAL_WEIGHT: the adjusted weight 65.0 kg is above the total weight 50 kg (a patient under the ideal weight): Cockcroft–Gault uses the total weight there']);
    expect(adjustedBodyWeightWithWarnings({ heightCm: 180, weightKg: 150, sex: 'male' }).warnings).toEqual([]);
  });

  it('idealBodyWeightDevineWithWarnings at 140 cm: extrapolated, warned', () => {
    const r = idealBodyWeightDevineWithWarnings({ heightCm: 140, sex: 'female' });
    // 45.5 + 2.3·(55.118 − 60) = 34.27 kg
    expect(r.value).toBeCloseTo(34.2717, 4);
    expect(r.value).toBe(idealBodyWeightDevine({ heightCm: 140, sex: 'female' }));
    expect(r.warnings).toEqual([expect.stringMatching(/^W_DEVINE_EXTRAPOLATED: heightCm 140: below 152\.4 cm/)]);
    expect(idealBodyWeightDevineWithWarnings({ heightCm: 152.4, sex: 'female' }).warnings).toEqual([]);
  });

  it('leanBodyWeightJanmahasatianWithWarnings at 100 cm, 16 kg: adult formula on a child, warned', () => {
    const r = leanBodyWeightJanmahasatianWithWarnings({ heightCm: 100, weightKg: 16, sex: 'male' });
    expect(r.value).toBeCloseTo((9270 * 16) / (6680 + 216 * 16), 10);
    expect(r.value).toBe(leanBodyWeightJanmahasatian({ heightCm: 100, weightKg: 16, sex: 'male' }));
    expect(r.warnings).toEqual([expect.stringMatching(/^W_ADULT_FORMULA: heightCm 100: below 140 cm, a child's height/)]);
    const capped = leanBodyWeightJanmahasatianWithWarnings({ heightCm: 180, weightKg: 30, sex: 'male' });
    expect(capped.value).toBe(30);
    expect(capped.warnings).toEqual(['W_ABOVE_TOTAL_WEIGHT: the Janmahasatian lean weight 32.0 kg is above the total weight 30 kg (BMI 9.26 kg/m²): the total weight is given']);
    expect(leanBodyWeightJanmahasatianWithWarnings({ heightCm: 170, weightKg: 70, sex: 'male' }).warnings).toEqual([]);
  });
});

describe('dosewise calc takes its warnings and basis from the library', () => {
  it('prints what the API returns', () => {
    const r = calc('crcl', ['scrMgDl=1', 'ageYears=40', 'sex=male', 'weightKg=50', 'heightCm=180', 'weightBasis=ideal']);
    const api = crclCockcroftGault({ scrMgDl: 1, ageYears: 40, sex: 'male', weightKg: 50, heightCm: 180, weightBasis: 'ideal' });
    expect(r).toMatchObject({ value: api.crclMlMin, weightBasis: 'total', weightBasisRequested: 'ideal', weightKgUsed: 50, warnings: api.warnings });
    expect(calc('abw', ['heightCm=180', 'weightKg=50', 'sex=male']).warnings).toEqual(adjustedBodyWeightWithWarnings({ heightCm: 180, weightKg: 50, sex: 'male' }).warnings);
    expect(calc('ibw', ['heightCm=140', 'sex=female']).warnings).toEqual(idealBodyWeightDevineWithWarnings({ heightCm: 140, sex: 'female' }).warnings);
    expect(calc('lbw', ['heightCm=100', 'weightKg=16', 'sex=male']).warnings).toEqual(leanBodyWeightJanmahasatianWithWarnings({ heightCm: 100, weightKg: 16, sex: 'male' }).warnings);
  });
});
