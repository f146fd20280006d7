/**
 * Warnings of the body-size formulas used outside what they were made for, and companions of the
 * body-size functions that return them with the value. The bare-number functions stay as they are
 * (their callers read a number); the companions exist so that an API caller hears what
 * `dosewise calc` says (Devine below 5 ft, an adjusted weight above the total weight, an adult
 * formula on a child's body), which were printed by the CLI only.
 */

import {
  adjustedBodyWeight,
  bodyMassIndex,
  DEVINE_MIN_HEIGHT_CM,
  idealBodyWeightDevine,
  janmahasatianFormulaKg,
  leanBodyWeightJanmahasatian,
  type HeightSexInput,
  type HeightWeightSexInput,
} from './body-size.js';

/** A calculator's value with its warnings (each `W_CODE: text`; empty when none). */
export interface ValueWithWarnings {
  readonly value: number;
  readonly warnings: string[];
}

/**
 * Below this height, without an age, a body is taken for a child's: 140 cm is about two SD below
 * the shortest national mean of adult women (about 150 cm) and a 10-year-old's median height.
 * Devine's 152.4 cm is the bottom of his formula's heights, not of adults': 150 cm is a common
 * adult height.
 */
export const CHILD_HEIGHT_CM = 140;

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3));

/** Devine's formula was fitted from 5 ft (152.4 cm) up; below, its IBW is a straight-line extrapolation. */
export function devineHeightWarnings(heightCm: number): string[] {
  if (!(heightCm < DEVINE_MIN_HEIGHT_CM)) return [];
  return [`W_DEVINE_EXTRAPOLATED: heightCm ${heightCm}: below 152.4 cm (60 in) the Devine ideal body weight is extrapolated (2.3 kg less per inch under 60), outside the heights it was made for`];
}

/**
 * Janmahasatian's lean weight is an adult formula (its BMI terms are adults' body composition). It
 * uses the BMI only, so a short adult is no extrapolation: warned where the inputs say child, an
 * age under 18 where given, else a height below {@link CHILD_HEIGHT_CM}.
 */
export function janmahasatianAgeWarnings(heightCm: number, ageYears?: number): string[] {
  const adult = "the Janmahasatian lean body weight is a formula made for adults (a child's body?)";
  if (ageYears !== undefined) return ageYears < 18 ? [`W_ADULT_FORMULA: ageYears ${ageYears}: under 18, and ${adult}`] : [];
  if (!(heightCm < CHILD_HEIGHT_CM)) return [];
  return [`W_ADULT_FORMULA: heightCm ${heightCm}: below ${CHILD_HEIGHT_CM} cm, a child's height, and ${adult}`];
}

/** An ideal or adjusted weight above the total weight (a patient under IBW): Cockcroft–Gault uses the total weight. */
export function aboveTotalWarning(basis: 'ideal' | 'adjusted', formulaKg: number, totalKg: number, tail = ''): string {
  return `W_ABOVE_TOTAL_WEIGHT: the ${basis} weight ${fmt(formulaKg)} kg is above the total weight ${totalKg} kg (a patient under the ideal weight): Cockcroft–Gault uses the total weight${tail}`;
}

/** The Janmahasatian formula's lean weight above the total weight (BMI under 11.99 kg/m², male): `then` says what is used. */
export function leanAboveTotalWarnings(input: HeightWeightSexInput, then: string): string[] {
  const formula = janmahasatianFormulaKg(input);
  if (!(formula > input.weightKg)) return [];
  const bmi = bodyMassIndex({ heightCm: input.heightCm, weightKg: input.weightKg });
  return [`W_ABOVE_TOTAL_WEIGHT: the Janmahasatian lean weight ${fmt(formula)} kg is above the total weight ${input.weightKg} kg (BMI ${fmt(bmi)} kg/m²): ${then}`];
}

/**
 * {@link idealBodyWeightDevine} with its warnings (W_DEVINE_EXTRAPOLATED below 152.4 cm).
 *
 * @example
 * idealBodyWeightDevineWithWarnings({ heightCm: 140, sex: 'female' }); // { value: 34.27…, warnings: ['W_DEVINE_EXTRAPOLATED: …'] }
 */
export function idealBodyWeightDevineWithWarnings(input: HeightSexInput): ValueWithWarnings {
  const value = idealBodyWeightDevine(input);
  return { value, warnings: devineHeightWarnings(input.heightCm) };
}

/**
 * {@link adjustedBodyWeight} with its warnings: W_DEVINE_EXTRAPOLATED below 152.4 cm, and
 * W_ABOVE_TOTAL_WEIGHT where the adjusted weight exceeds the total weight (a patient under IBW).
 */
export function adjustedBodyWeightWithWarnings(input: HeightWeightSexInput): ValueWithWarnings {
  const value = adjustedBodyWeight(input);
  const warnings = devineHeightWarnings(input.heightCm);
  if (value > input.weightKg) warnings.push(aboveTotalWarning('adjusted', value, input.weightKg, ' there'));
  return { value, warnings };
}

/**
 * {@link leanBodyWeightJanmahasatian} with its warnings: W_ADULT_FORMULA below 140 cm (a child's
 * height), and W_ABOVE_TOTAL_WEIGHT where the formula exceeds the total weight (the total weight is
 * returned).
 */
export function leanBodyWeightJanmahasatianWithWarnings(input: HeightWeightSexInput): ValueWithWarnings {
  const value = leanBodyWeightJanmahasatian(input);
  return { value, warnings: [...janmahasatianAgeWarnings(input.heightCm), ...leanAboveTotalWarnings(input, 'the total weight is given')] };
}
