/**
 * Estimated glomerular filtration rate (eGFR), race-free.
 *
 * Adults: CKD-EPI 2021 creatinine and creatinine–cystatin C equations
 * (Inker LA et al. New creatinine- and cystatin C–based equations to estimate
 * GFR without race. N Engl J Med 2021;385:1737–1749). Children: bedside
 * Schwartz (Schwartz GJ et al. New equations to estimate GFR in children with
 * CKD. J Am Soc Nephrol 2009;20:629–637).
 *
 * All results are in mL/min/1.73 m² (normalised to body-surface area). No
 * function accepts a race input; one present in the input object is refused.
 */

import {
  assertClinicalInput,
  ClinicalInputError,
  CREATININE_UMOL_L_PER_MG_DL,
  PLAUSIBLE,
  readCystatinCMgL,
  readNumber,
  readScrMgDl,
  readHeightCm,
  readSex,
  type Sex,
} from './validate.js';

/** Input of {@link egfrCkdEpi2021Cr}. */
export interface CkdEpi2021CrInput {
  /** Serum creatinine, mg/dL (IDMS-traceable; 0.1 ≤ SCr ≤ 40). */
  readonly scrMgDl: number;
  /** Age, years (≥ 18). */
  readonly ageYears: number;
  readonly sex: Sex;
}

/** Input of {@link egfrCkdEpi2021CrCys}. */
export interface CkdEpi2021CrCysInput extends CkdEpi2021CrInput {
  /** Serum cystatin C, mg/L (IFCC-standardised; 0.2 ≤ Scys ≤ 20). */
  readonly cystatinCMgL: number;
}

/** Input of {@link egfrBedsideSchwartz}. */
export interface BedsideSchwartzInput {
  /** Serum creatinine, mg/dL (enzymatic, IDMS-traceable; 0.1 ≤ SCr ≤ 40). */
  readonly scrMgDl: number;
  /** Height, cm. */
  readonly heightCm: number;
  /** Age, years (1 ≤ age < 18). */
  readonly ageYears: number;
  /**
   * `true` where a creatinine above {@link PLAUSIBLE}.childMaxScrMgDl is the child's own (a child on
   * dialysis, or a value converted from µmol/L): without it, such a value is refused as one in µmol/L.
   */
  readonly scrAboveChildMaxConfirmed?: boolean;
}

/**
 * A child's creatinine above PLAUSIBLE.childMaxScrMgDl is more likely one in µmol/L (a child's muscle
 * mass keeps it lower): scrMgDl 30 at 5 years gave 1.51 for 133.9 mL/min/1.73 m² here while
 * `dosewise calc` refused it.
 */
function refuseChildScrInOtherUnit(input: Readonly<Record<string, unknown>>, scr: number, age: number): void {
  const confirmed = input.scrAboveChildMaxConfirmed;
  if (confirmed !== undefined && typeof confirmed !== 'boolean') throw new ClinicalInputError('scrAboveChildMaxConfirmed', confirmed, 'must be true or false');
  if (!(scr > PLAUSIBLE.childMaxScrMgDl) || confirmed === true) return;
  const read = `scrMgDl ${+scr.toPrecision(4)} read as ${+scr.toPrecision(4)} mg/dL; in µmol/L it is ${+(scr / CREATININE_UMOL_L_PER_MG_DL).toPrecision(4)} mg/dL`;
  throw new ClinicalInputError('scrMgDl', scr, `is above ${PLAUSIBLE.childMaxScrMgDl} mg/dL at ageYears ${age} (a child): a value in another unit? ${read}; convert µmol/L with scrMgDlFromUmolL, or give scrAboveChildMaxConfirmed: true for a child's creatinine truly above ${PLAUSIBLE.childMaxScrMgDl} mg/dL`);
}

/** Reads an adult age for a CKD-EPI equation (18 ≤ age ≤ 120). */
function readAdultAge(input: Readonly<Record<string, unknown>>): number {
  return readNumber(input, 'ageYears', { atLeast: 18, atMost: PLAUSIBLE.maxAgeYears, context: 'for CKD-EPI' });
}

/**
 * CKD-EPI 2021 creatinine equation (race-free).
 *
 * eGFRcr = 142 × min(SCr/κ, 1)^α × max(SCr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female],
 * κ = 0.7 (female) / 0.9 (male), α = −0.241 (female) / −0.302 (male).
 *
 * @returns eGFR, mL/min/1.73 m²
 * @example
 * egfrCkdEpi2021Cr({ scrMgDl: 1.2, ageYears: 60, sex: 'male' }); // ≈ 69.2
 */
export function egfrCkdEpi2021Cr(input: CkdEpi2021CrInput): number {
  assertClinicalInput(input, ['scrMgDl', 'ageYears', 'sex']);
  const scr = readScrMgDl(input);
  const age = readAdultAge(input);
  const female = readSex(input) === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = scr / kappa;
  // Inker et al., NEJM 2021;385:1737, eGFRcr: 142 × min(SCr/κ,1)^α × max(SCr/κ,1)^−1.200 × 0.9938^age × 1.012[F]
  return 142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
}

/**
 * CKD-EPI 2021 creatinine–cystatin C equation (race-free).
 *
 * eGFRcr-cys = 135 × min(SCr/κ, 1)^α × max(SCr/κ, 1)^−0.544
 *   × min(Scys/0.8, 1)^−0.323 × max(Scys/0.8, 1)^−0.778 × 0.9961^age × 0.963 [female],
 * κ = 0.7 (female) / 0.9 (male), α = −0.219 (female) / −0.144 (male).
 *
 * @returns eGFR, mL/min/1.73 m²
 * @example
 * egfrCkdEpi2021CrCys({ scrMgDl: 1.2, cystatinCMgL: 1.2, ageYears: 60, sex: 'male' }); // ≈ 66.6
 */
export function egfrCkdEpi2021CrCys(input: CkdEpi2021CrCysInput): number {
  assertClinicalInput(input, ['scrMgDl', 'cystatinCMgL', 'ageYears', 'sex']);
  const scr = readScrMgDl(input);
  const scys = readCystatinCMgL(input);
  const age = readAdultAge(input);
  const female = readSex(input) === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.219 : -0.144;
  const cr = scr / kappa;
  const cys = scys / 0.8;
  // Inker et al., NEJM 2021;385:1737, eGFRcr-cys: 135 × min(SCr/κ,1)^α × max(SCr/κ,1)^−0.544 × min(Scys/0.8,1)^−0.323 × max(Scys/0.8,1)^−0.778 × 0.9961^age × 0.963[F]
  return (
    135 *
    Math.min(cr, 1) ** alpha *
    Math.max(cr, 1) ** -0.544 *
    Math.min(cys, 1) ** -0.323 *
    Math.max(cys, 1) ** -0.778 *
    0.9961 ** age *
    (female ? 0.963 : 1)
  );
}

/**
 * Bedside Schwartz equation for children (1 ≤ age < 18 years).
 *
 * eGFR = 0.413 × height[cm] / SCr[mg/dL].
 *
 * @returns eGFR, mL/min/1.73 m²
 * @example
 * egfrBedsideSchwartz({ scrMgDl: 0.5, heightCm: 120, ageYears: 8 }); // ≈ 99.12
 */
export function egfrBedsideSchwartz(input: BedsideSchwartzInput): number {
  assertClinicalInput(input, ['scrMgDl', 'heightCm', 'ageYears', 'scrAboveChildMaxConfirmed']);
  const scr = readScrMgDl(input);
  const height = readHeightCm(input);
  // the advice named adults only, also for an infant under 1 year, whose creatinine still reflects
  // the mother's and whose GFR matures: no bedside equation in dosewise covers it
  const age = readNumber(input, 'ageYears', { atLeast: 1, below: 18, context: 'for bedside Schwartz, which is for ages 1 to 17 (CKD-EPI 2021 from 18; under 1 year no equation here applies: use a measured clearance)' });
  refuseChildScrInOtherUnit(input, scr, age);
  return (0.413 * height) / scr; // Schwartz et al., J Am Soc Nephrol 2009;20:629: eGFR = 0.413 × height[cm] / SCr[mg/dL]
}
