/**
 * Creatinine clearance by Cockcroft–Gault (Cockcroft DW, Gault MH.
 * Prediction of creatinine clearance from serum creatinine. Nephron
 * 1976;16:31–41), with an explicit, required choice of dosing weight.
 *
 * The result is in mL/min, not normalised to body-surface area.
 */

import { adjustedBodyWeight, idealBodyWeightDevine, leanBodyWeightJanmahasatian } from './body-size.js';
import { aboveTotalWarning, devineHeightWarnings, leanAboveTotalWarnings } from './body-size-warnings.js';
import {
  assertClinicalInput,
  ClinicalInputError,
  PLAUSIBLE,
  readHeightCm,
  readNumber,
  readScrMgDl,
  readSex,
  readWeightKg,
  type Sex,
} from './validate.js';

/**
 * Which body weight enters Cockcroft–Gault:
 * - `total`: total (actual) body weight;
 * - `ideal`: Devine ideal body weight, or the total weight where that is less;
 * - `adjusted`: IBW + 0.4 × (TBW − IBW), or the total weight where that is less (a patient under IBW);
 * - `lean`: Janmahasatian lean body weight, or the total weight where that is less (BMI under 11.99 kg/m², male).
 */
export type WeightBasis = 'total' | 'ideal' | 'adjusted' | 'lean';

/** The accepted {@link WeightBasis} values. */
export const WEIGHT_BASES: readonly WeightBasis[] = ['total', 'ideal', 'adjusted', 'lean'];

/** Fields common to every Cockcroft–Gault input. */
interface CockcroftGaultCommon {
  /** Serum creatinine, mg/dL (0.1 ≤ SCr ≤ 40). */
  readonly scrMgDl: number;
  /** Age, years (≥ 18). */
  readonly ageYears: number;
  readonly sex: Sex;
  /** Total (actual) body weight, kg. */
  readonly weightKg: number;
}

/**
 * Input of {@link crclCockcroftGault}. `weightBasis` is required; `heightCm`
 * is required for every basis except `total`, and checked where given with it (20–280 cm, and
 * with the weight a body-mass index from 2 to 250) though that basis does not use it.
 */
export type CockcroftGaultInput = CockcroftGaultCommon &
  (
    | { readonly weightBasis: 'total'; readonly heightCm?: number }
    | { readonly weightBasis: 'ideal' | 'adjusted' | 'lean'; readonly heightCm: number }
  );

/** Result of {@link crclCockcroftGault}. */
export interface CockcroftGaultResult {
  /** Creatinine clearance, mL/min. */
  readonly crclMlMin: number;
  /**
   * The weight basis used: the one requested, or `total` where the requested basis's weight lies
   * above the total weight and the total weight was used (it said `ideal` for a total weight of
   * 50 kg beside an IBW of 75 kg).
   */
  readonly weightBasis: WeightBasis;
  /** The weight basis requested. */
  readonly weightBasisRequested: WeightBasis;
  /** The weight that entered the equation, kg. */
  readonly weightKgUsed: number;
  /**
   * Warnings, each `W_CODE: text` (empty when none): W_ABOVE_TOTAL_WEIGHT where the total weight
   * replaced the basis's, W_DEVINE_EXTRAPOLATED where the IBW used comes from a height below 152.4 cm.
   */
  readonly warnings: string[];
}

/** Reads and checks `input.weightBasis`. */
function readWeightBasis(input: Readonly<Record<string, unknown>>): WeightBasis {
  const value = input['weightBasis'];
  const found = WEIGHT_BASES.find((basis) => basis === value);
  if (found !== undefined) return found;
  const requirement = `must be one of ${WEIGHT_BASES.map((b) => `'${b}'`).join(' | ')}`;
  throw new ClinicalInputError('weightBasis', value, value === undefined ? `is required: ${requirement}` : requirement);
}

/**
 * Weight (kg) for the chosen basis, computed from the validated input.
 *
 * @example
 * dosingWeightKg({ weightBasis: 'ideal', weightKg: 120, heightCm: 177.8, sex: 'male' }); // 73
 */
export function dosingWeightKg(input: {
  readonly weightBasis: WeightBasis;
  readonly weightKg: number;
  readonly heightCm?: number;
  readonly sex: Sex;
}): number {
  assertClinicalInput(input);
  const basis = readWeightBasis(input);
  const weightKg = readWeightKg(input);
  // a height given beside the total weight is read as any height is (20–280 cm, a number): unread,
  // 'abc', 1.75 (metres: a BMI of 228,571 with 70 kg), 19 and 281 passed, and with them a
  // grams-for-kg weight escaped readWeightKg's body-mass check, which holds only inside that range
  if (basis === 'total') {
    if (input.heightCm !== undefined) readHeightCm(input);
    return weightKg;
  }
  const heightCm = readHeightCm(input);
  const sex = readSex(input);
  // never above the total weight: the ideal or adjusted weight of a patient under IBW (45 kg at
  // 170 cm: IBW 61.5, AdjBW 54.9) raised the clearance above what their own weight gives, and so
  // did Janmahasatian's lean weight at a BMI under 11.99 (32.04 kg for 30 kg at 180 cm, male)
  if (basis === 'ideal') return Math.min(weightKg, idealBodyWeightDevine({ heightCm, sex }));
  if (basis === 'adjusted') return Math.min(weightKg, adjustedBodyWeight({ heightCm, weightKg, sex }));
  return Math.min(weightKg, leanBodyWeightJanmahasatian({ heightCm, weightKg, sex }));
}

/**
 * Cockcroft–Gault creatinine clearance.
 *
 * CrCl = (140 − age) × weight[kg] / (72 × SCr[mg/dL]) × 0.85 [female],
 * with the weight chosen by `weightBasis`.
 *
 * @returns clearance in mL/min, with the weight basis and weight used and any warnings
 * @example
 * crclCockcroftGault({ scrMgDl: 1, ageYears: 60, sex: 'male', weightKg: 72, weightBasis: 'total' });
 * // { crclMlMin: 80, weightBasis: 'total', weightBasisRequested: 'total', weightKgUsed: 72, warnings: [] }
 */
export function crclCockcroftGault(input: CockcroftGaultInput): CockcroftGaultResult {
  assertClinicalInput(input, ['scrMgDl', 'ageYears', 'sex', 'weightKg', 'weightBasis', 'heightCm']);
  const scr = readScrMgDl(input);
  const age = readNumber(input, 'ageYears', { atLeast: 18, atMost: PLAUSIBLE.maxAgeYears, context: 'for Cockcroft–Gault' });
  const female = readSex(input) === 'female';
  const weightBasisRequested = readWeightBasis(input);
  const weight = dosingWeightKg(input);
  const crclMlMin = (((140 - age) * weight) / (72 * scr)) * (female ? 0.85 : 1); // Cockcroft & Gault, Nephron 1976;16:31: CrCl = (140 − age)·W / (72·SCr) × 0.85[F]
  const { warnings, capped } = basisWarnings(input, weightBasisRequested);
  return { crclMlMin, weightBasis: capped ? 'total' : weightBasisRequested, weightBasisRequested, weightKgUsed: weight, warnings };
}

/**
 * The warnings of the requested basis's weight (validated input: extrapolated, or above the total
 * weight) and whether the total weight replaced it.
 */
function basisWarnings(input: CockcroftGaultInput, basis: WeightBasis): { warnings: string[]; capped: boolean } {
  if (basis === 'total' || input.weightBasis === 'total') return { warnings: [], capped: false };
  const body = { heightCm: input.heightCm, weightKg: input.weightKg, sex: readSex(input as unknown as Readonly<Record<string, unknown>>) };
  if (basis === 'lean') {
    const warnings = leanAboveTotalWarnings(body, 'Cockcroft–Gault uses the total weight');
    return { warnings, capped: warnings.length > 0 };
  }
  const formula = basis === 'ideal' ? idealBodyWeightDevine({ heightCm: body.heightCm, sex: body.sex }) : adjustedBodyWeight(body);
  const capped = formula > body.weightKg;
  return { warnings: [...devineHeightWarnings(body.heightCm), ...(capped ? [aboveTotalWarning(basis, formula, body.weightKg)] : [])], capped };
}
