/**
 * Body-size descriptors used for dose scaling: body-surface area (BSA),
 * body-mass index (BMI) and the alternative dosing weights (ideal, lean,
 * adjusted). Adult formulas; heights in cm, weights in kg.
 */

import {
  assertClinicalInput,
  ClinicalInputError,
  readHeightCm,
  readSex,
  readWeightKg,
  type Sex,
} from './validate.js';

/** Height and total body weight. */
export interface HeightWeightInput {
  /** Height, cm. */
  readonly heightCm: number;
  /** Total (actual) body weight, kg. */
  readonly weightKg: number;
}

/** Height and sex, for {@link idealBodyWeightDevine}. */
export interface HeightSexInput {
  /** Height, cm. */
  readonly heightCm: number;
  readonly sex: Sex;
}

/** Height, total body weight and sex. */
export interface HeightWeightSexInput extends HeightWeightInput {
  readonly sex: Sex;
}

/** Centimetres per inch. */
const CM_PER_INCH = 2.54;

/**
 * The lowest height Devine's formula was made for, 60 in (5 ft) = 152.4 cm: below it
 * {@link idealBodyWeightDevine} extrapolates the line (2.3 kg less per inch under), a 106-cm child
 * getting 3.50 kg. Callers that warn of the extrapolation (`dosewise calc ibw`, a population's
 * derived ibw_devine) compare with this.
 */
export const DEVINE_MIN_HEIGHT_CM = 60 * CM_PER_INCH;

/**
 * Body-surface area, Mosteller formula.
 *
 * BSA = √(height[cm] × weight[kg] / 3600).
 *
 * @returns BSA, m²
 * @example
 * bsaMosteller({ heightCm: 170, weightKg: 70 }); // ≈ 1.818
 */
export function bsaMosteller(input: HeightWeightInput): number {
  assertClinicalInput(input, ['heightCm', 'weightKg']);
  const height = readHeightCm(input);
  const weight = readWeightKg(input);
  return Math.sqrt((height * weight) / 3600); // Mosteller RD, N Engl J Med 1987;317:1098: BSA = √(H[cm]·W[kg]/3600)
}

/**
 * Body-surface area, DuBois & DuBois formula.
 *
 * BSA = 0.007184 × weight[kg]^0.425 × height[cm]^0.725.
 *
 * @returns BSA, m²
 * @example
 * bsaDuBois({ heightCm: 170, weightKg: 70 }); // ≈ 1.810
 */
export function bsaDuBois(input: HeightWeightInput): number {
  assertClinicalInput(input, ['heightCm', 'weightKg']);
  const height = readHeightCm(input);
  const weight = readWeightKg(input);
  return 0.007184 * weight ** 0.425 * height ** 0.725; // DuBois D, DuBois EF, Arch Intern Med 1916;17:863: BSA = 0.007184·W^0.425·H^0.725
}

/**
 * Body-mass index.
 *
 * BMI = weight[kg] / height[m]².
 *
 * @returns BMI, kg/m²
 * @example
 * bodyMassIndex({ heightCm: 170, weightKg: 70 }); // ≈ 24.22
 */
export function bodyMassIndex(input: HeightWeightInput): number {
  assertClinicalInput(input, ['heightCm', 'weightKg']);
  const heightM = readHeightCm(input) / 100;
  const weight = readWeightKg(input);
  return weight / (heightM * heightM); // Quetelet index: BMI = W[kg] / H[m]²
}

/**
 * Ideal body weight, Devine formula.
 *
 * IBW = 50 kg (male) or 45.5 kg (female) + 2.3 kg per inch of height over
 * 60 in (5 ft). Heights below 60 in are extrapolated linearly (2.3 kg
 * subtracted per inch under); a height giving IBW ≤ 0 is refused.
 *
 * @returns IBW, kg
 * @example
 * idealBodyWeightDevine({ heightCm: 177.8, sex: 'male' }); // 73 (70 in)
 */
export function idealBodyWeightDevine(input: HeightSexInput): number {
  assertClinicalInput(input, ['heightCm', 'sex']);
  const height = readHeightCm(input);
  const base = readSex(input) === 'male' ? 50 : 45.5;
  const ibw = base + 2.3 * (height / CM_PER_INCH - 60); // Devine BJ, Drug Intell Clin Pharm 1974;8:650: IBW = 50 (M) / 45.5 (F) + 2.3·(H[in] − 60)
  if (ibw <= 0) throw new ClinicalInputError('heightCm', height, 'is too short for the Devine formula (IBW ≤ 0 kg)');
  return ibw;
}

/**
 * Lean body weight, Janmahasatian formula, at most the total body weight.
 *
 * LBW = 9270 × W / (6680 + 216 × BMI) (male), 9270 × W / (8780 + 244 × BMI)
 * (female); W total body weight in kg, BMI in kg/m². The formula exceeds W
 * below a BMI of 11.99 kg/m² (male) or 2.01 kg/m² (female); there the total
 * weight is returned.
 *
 * @returns LBW, kg
 * @example
 * leanBodyWeightJanmahasatian({ heightCm: 170, weightKg: 70, sex: 'male' }); // ≈ 54.48
 * leanBodyWeightJanmahasatian({ heightCm: 180, weightKg: 30, sex: 'male' }); // 30 (the formula gives 32.04)
 */
export function leanBodyWeightJanmahasatian(input: HeightWeightSexInput): number {
  // a lean weight above the total weight is no patient's: 32.04 kg of lean mass for a 30-kg man
  // at 180 cm, which crcl on the lean basis then used
  const lbw = janmahasatianFormulaKg(input);
  return Math.min(input.weightKg, lbw);
}

/**
 * The Janmahasatian formula as published, without the cap at the total weight of
 * {@link leanBodyWeightJanmahasatian}: what a caller compares to say the cap applied.
 *
 * @returns the formula's LBW, kg
 */
export function janmahasatianFormulaKg(input: HeightWeightSexInput): number {
  assertClinicalInput(input, ['heightCm', 'weightKg', 'sex']);
  const weight = readWeightKg(input);
  const bmi = bodyMassIndex({ heightCm: readHeightCm(input), weightKg: weight });
  const male = readSex(input) === 'male';
  // Janmahasatian S et al., Clin Pharmacokinet 2005;44:1051: LBW = 9270·W/(6680 + 216·BMI) (M), 9270·W/(8780 + 244·BMI) (F)
  return male ? (9270 * weight) / (6680 + 216 * bmi) : (9270 * weight) / (8780 + 244 * bmi);
}

/**
 * Adjusted body weight (correction factor 0.4), using Devine IBW.
 *
 * AdjBW = IBW + 0.4 × (TBW − IBW). Applied as written whatever the sign of
 * TBW − IBW; callers decide when to use it (usually TBW > 120 % IBW).
 *
 * @returns AdjBW, kg
 * @example
 * adjustedBodyWeight({ heightCm: 177.8, weightKg: 120, sex: 'male' }); // 91.8
 */
export function adjustedBodyWeight(input: HeightWeightSexInput): number {
  assertClinicalInput(input, ['heightCm', 'weightKg', 'sex']);
  const weight = readWeightKg(input);
  const ibw = idealBodyWeightDevine({ heightCm: readHeightCm(input), sex: readSex(input) });
  return ibw + 0.4 * (weight - ibw); // Traynor AM et al., Antimicrob Agents Chemother 1995;39:545: AdjBW = IBW + 0.4·(TBW − IBW)
}
