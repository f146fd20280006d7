import { describe, it, expect } from 'vitest';
import { egfrBedsideSchwartz, egfrCkdEpi2021Cr, egfrCkdEpi2021CrCys } from '../../../src/clinical/index.js';

/*
 * CKD-EPI 2021 creatinine (Inker et al., N Engl J Med 2021;385:1737–1749):
 *   eGFRcr = 142 × min(SCr/κ,1)^α × max(SCr/κ,1)^−1.200 × 0.9938^age × 1.012 [female]
 *   κ = 0.7 (F) / 0.9 (M); α = −0.241 (F) / −0.302 (M).
 * Expected values below are worked by hand from those coefficients.
 */
describe('egfrCkdEpi2021Cr', () => {
  it('female 50 y, SCr 0.8 mg/dL (SCr > κ: max branch) → ≈ 89.7', () => {
    // SCr/κ = 0.8/0.7 = 1.142857 ≥ 1 → min term = 1, max term = 1.142857^−1.2 = 0.851941
    // 0.9938^50 = 0.732740; 142 × 0.851941 × 0.732740 × 1.012 = 89.707
    expect(egfrCkdEpi2021Cr({ scrMgDl: 0.8, ageYears: 50, sex: 'female' })).toBeCloseTo(89.707, 2);
  });

  it('male 60 y, SCr 1.2 mg/dL → the known ≈ 69 mL/min/1.73 m²', () => {
    // SCr/κ = 1.2/0.9 = 1.333333 → 1.333333^−1.2 = 0.708066; 0.9938^60 = 0.688556
    // 142 × 0.708066 × 0.688556 = 69.231
    const egfr = egfrCkdEpi2021Cr({ scrMgDl: 1.2, ageYears: 60, sex: 'male' });
    expect(egfr).toBeCloseTo(69.231, 2);
    expect(Math.round(egfr)).toBe(69);
  });

  it('female 40 y, SCr 0.6 mg/dL (SCr < κ: min branch, α = −0.241)', () => {
    // SCr/κ = 0.6/0.7 = 0.857143 < 1 → 0.857143^−0.241 = 1.037849, max term = 1
    // 0.9938^40 = 0.779758; 142 × 1.037849 × 0.779758 × 1.012 = 116.295
    expect(egfrCkdEpi2021Cr({ scrMgDl: 0.6, ageYears: 40, sex: 'female' })).toBeCloseTo(116.295, 2);
  });

  it('male 30 y, SCr 0.7 mg/dL (SCr < κ: min branch, α = −0.302)', () => {
    // SCr/κ = 0.7/0.9 = 0.777778 → 0.777778^−0.302 = 1.078851; 0.9938^30 = 0.829793
    // 142 × 1.078851 × 0.829793 = 127.122
    expect(egfrCkdEpi2021Cr({ scrMgDl: 0.7, ageYears: 30, sex: 'male' })).toBeCloseTo(127.122, 2);
  });

  it('SCr exactly at κ: both branch terms equal 1 (continuity at the knot)', () => {
    // male 50 y, SCr 0.9 = κ → 142 × 0.9938^50 = 142 × 0.732740 = 104.049
    expect(egfrCkdEpi2021Cr({ scrMgDl: 0.9, ageYears: 50, sex: 'male' })).toBeCloseTo(104.049, 2);
    const below = egfrCkdEpi2021Cr({ scrMgDl: 0.9 - 1e-9, ageYears: 50, sex: 'male' });
    const above = egfrCkdEpi2021Cr({ scrMgDl: 0.9 + 1e-9, ageYears: 50, sex: 'male' });
    expect(below).toBeCloseTo(above, 6);
  });

  it('refuses children with the field and value in the message', () => {
    expect(() => egfrCkdEpi2021Cr({ scrMgDl: 0.5, ageYears: 12, sex: 'male' })).toThrow(
      'clinical input ageYears: must be ≥ 18 for CKD-EPI (got 12)',
    );
  });

  it('refuses a creatinine that looks like µmol/L', () => {
    expect(() => egfrCkdEpi2021Cr({ scrMgDl: 88, ageYears: 50, sex: 'male' })).toThrow(/scrMgDl.*µmol\/L.*\(got 88\)/);
  });

  it('refuses a creatinine below 0.1 mg/dL, a unit mix-up (1.2 µmol/L read as mg/dL gave an eGFR of 393)', () => {
    expect(() => egfrCkdEpi2021Cr({ scrMgDl: 1.2 / 88.42, ageYears: 40, sex: 'male' })).toThrow(
      /^clinical input scrMgDl: must be ≥ 0\.1 mg\/dL \(8\.842 µmol\/L\), below any measured creatinine; a value in another unit \(mmol\/L\?\) \(got 0\.0135/,
    );
    expect(() => egfrCkdEpi2021Cr({ scrMgDl: 0.09, ageYears: 40, sex: 'female' })).toThrow(/scrMgDl: must be ≥ 0\.1 mg\/dL/);
    // the limit itself is accepted
    expect(egfrCkdEpi2021Cr({ scrMgDl: 0.1, ageYears: 40, sex: 'male' })).toBeGreaterThan(0);
  });
});

/*
 * CKD-EPI 2021 creatinine–cystatin C (Inker et al., NEJM 2021):
 *   eGFRcr-cys = 135 × min(SCr/κ,1)^α × max(SCr/κ,1)^−0.544 × min(Scys/0.8,1)^−0.323
 *                × max(Scys/0.8,1)^−0.778 × 0.9961^age × 0.963 [female]
 *   κ = 0.7 (F) / 0.9 (M); α = −0.219 (F) / −0.144 (M).
 * (The −0.544 creatinine exponent above κ is the same for both sexes.)
 */
describe('egfrCkdEpi2021CrCys', () => {
  it('male 60 y, SCr 1.2, Scys 1.2 (both max branches) → ≈ 66.6', () => {
    // (1.2/0.9)^−0.544 = 0.855132; (1.2/0.8)^−0.778 = 0.729459; 0.9961^60 = 0.791000
    // 135 × 0.855132 × 0.729459 × 0.791000 = 66.611
    expect(egfrCkdEpi2021CrCys({ scrMgDl: 1.2, cystatinCMgL: 1.2, ageYears: 60, sex: 'male' })).toBeCloseTo(66.611, 2);
  });

  it('female 45 y, SCr 0.6, Scys 0.7 (both min branches) → ≈ 117.8', () => {
    // (0.6/0.7)^−0.219 = 1.034335; (0.7/0.8)^−0.323 = 1.044074; 0.9961^45 = 0.838750
    // 135 × 1.034335 × 1.044074 × 0.838750 × 0.963 = 117.757
    expect(egfrCkdEpi2021CrCys({ scrMgDl: 0.6, cystatinCMgL: 0.7, ageYears: 45, sex: 'female' })).toBeCloseTo(
      117.757,
      2,
    );
  });

  it('female 70 y, SCr 1.0 (max branch), Scys 0.6 (min branch) → ≈ 89.4', () => {
    // (1.0/0.7)^−0.544 = 0.823632; (0.6/0.8)^−0.323 = 1.097375; 0.9961^70 = 0.760687
    // 135 × 0.823632 × 1.097375 × 0.760687 × 0.963 = 89.383
    expect(egfrCkdEpi2021CrCys({ scrMgDl: 1.0, cystatinCMgL: 0.6, ageYears: 70, sex: 'female' })).toBeCloseTo(89.383, 2);
  });

  it('male 55 y, SCr 0.7 (min branch, α = −0.144), Scys 1.6 (max branch) → ≈ 65.8', () => {
    // (0.7/0.9)^−0.144 = 1.036852; (1.6/0.8)^−0.778 = 0.583175; 0.9961^55 = 0.806606
    // 135 × 1.036852 × 0.583175 × 0.806606 = 65.843
    expect(egfrCkdEpi2021CrCys({ scrMgDl: 0.7, cystatinCMgL: 1.6, ageYears: 55, sex: 'male' })).toBeCloseTo(65.843, 2);
  });

  it('both markers at their thresholds → 135 × 0.9961^age', () => {
    // male 40 y, SCr 0.9 = κ, Scys 0.8: 135 × 0.9961^40 = 135 × 0.855298 = 115.465
    expect(egfrCkdEpi2021CrCys({ scrMgDl: 0.9, cystatinCMgL: 0.8, ageYears: 40, sex: 'male' })).toBeCloseTo(115.465, 2);
  });

  it('refuses a cystatin C below 0.2 mg/L or a creatinine below 0.1 mg/dL, naming the field', () => {
    // cystatin C 0.01 mg/L gave an eGFR of 449
    expect(() => egfrCkdEpi2021CrCys({ scrMgDl: 1, cystatinCMgL: 0.01, ageYears: 40, sex: 'male' })).toThrow(
      'clinical input cystatinCMgL: must be ≥ 0.2 mg/L, below any measured cystatin C; a value in mg/dL? multiply it by 10 (cystatinCMgLFromMgDl) (got 0.01)',
    );
    expect(() => egfrCkdEpi2021CrCys({ scrMgDl: 0.05, cystatinCMgL: 1, ageYears: 40, sex: 'male' })).toThrow(/scrMgDl: must be ≥ 0\.1 mg\/dL/);
    expect(egfrCkdEpi2021CrCys({ scrMgDl: 1, cystatinCMgL: 0.2, ageYears: 40, sex: 'male' })).toBeGreaterThan(0);
  });

  it('requires cystatin C, naming the field', () => {
    const input = { scrMgDl: 1, ageYears: 50, sex: 'male' } as unknown as Parameters<typeof egfrCkdEpi2021CrCys>[0];
    expect(() => egfrCkdEpi2021CrCys(input)).toThrow('clinical input cystatinCMgL: is required (got undefined)');
  });
});

/* Bedside Schwartz (Schwartz et al., J Am Soc Nephrol 2009;20:629): eGFR = 0.413 × height[cm] / SCr[mg/dL]. */
describe('egfrBedsideSchwartz', () => {
  it('8 y, 120 cm, SCr 0.5 → 0.413 × 120 / 0.5 = 99.12', () => {
    expect(egfrBedsideSchwartz({ scrMgDl: 0.5, heightCm: 120, ageYears: 8 })).toBeCloseTo(99.12, 10);
  });

  it('14 y, 160 cm, SCr 0.8 → 0.413 × 160 / 0.8 = 82.6', () => {
    expect(egfrBedsideSchwartz({ scrMgDl: 0.8, heightCm: 160, ageYears: 14 })).toBeCloseTo(82.6, 10);
  });

  it('refuses adults and infants under 1 year', () => {
    expect(() => egfrBedsideSchwartz({ scrMgDl: 0.8, heightCm: 170, ageYears: 18 })).toThrow(
      /clinical input ageYears: must be < 18 .*\(got 18\)/,
    );
    expect(() => egfrBedsideSchwartz({ scrMgDl: 0.3, heightCm: 60, ageYears: 0.5 })).toThrow(
      /clinical input ageYears: must be ≥ 1 .*\(got 0\.5\)/,
    );
    // the advice said "use CKD-EPI 2021 for adults" to an infant
    expect(() => egfrBedsideSchwartz({ scrMgDl: 0.3, heightCm: 60, ageYears: 0.5 })).toThrow(/under 1 year no equation here applies: use a measured clearance/);
  });

  it('refuses a height given in metres', () => {
    expect(() => egfrBedsideSchwartz({ scrMgDl: 0.5, heightCm: 1.2, ageYears: 8 })).toThrow(/heightCm.*metres.*\(got 1\.2\)/);
  });

  it('refuses a creatinine below 0.1 mg/dL (a child\'s lowest is about 0.2)', () => {
    expect(() => egfrBedsideSchwartz({ scrMgDl: 0.03, heightCm: 120, ageYears: 8 })).toThrow(/^clinical input scrMgDl: must be ≥ 0\.1 mg\/dL .*\(got 0\.03\)$/);
    expect(egfrBedsideSchwartz({ scrMgDl: 0.2, heightCm: 80, ageYears: 1 })).toBeCloseTo(165.2, 10);
  });
});
