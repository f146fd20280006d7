/**
 * Runtime validation shared by the clinical calculators.
 *
 * Inputs may arrive from untyped JSON, so every calculator re-checks its
 * input object here: it must be a plain object, must not carry any race
 * field, and every numeric field must be a finite number inside the stated
 * bounds. Failures throw {@link ClinicalInputError}, whose message names the
 * field and the offending value.
 */

import { ClinicalInputError } from '../errors.js';

/** Biological sex as used by the published equations. */
export type Sex = 'female' | 'male';

/** Error thrown for an invalid clinical input: a DosewiseError with code E_CLINICAL (defined in the error catalogue). */
export { ClinicalInputError };

/**
 * Plausibility limits applied to every calculator. They exist to catch unit
 * mix-ups (µmol/L passed as mg/dL, metres passed as centimetres), not to
 * encode clinical judgement.
 */
export const PLAUSIBLE = {
  /** Oldest accepted age, years. */
  maxAgeYears: 120,
  /**
   * Lowest accepted serum creatinine, mg/dL (8.842 µmol/L). Well below any measured value, in
   * adults and children alike (the lowest, in infants and in adults with little muscle, are about
   * 0.2 mg/dL), so refusing it refuses no patient: a smaller number is a unit mix-up (a mg/dL
   * value given as µmol/L, 1.2 → 0.014 mg/dL, or a value in mmol/L), which would otherwise give an
   * eGFR of several hundred.
   */
  minScrMgDl: 0.1,
  /** Highest accepted serum creatinine, mg/dL; µmol/L values are far larger. */
  maxScrMgDl: 40,
  /**
   * Lowest accepted serum cystatin C, mg/L. Well below any measured value at any age (reference
   * intervals of adults and of children past infancy start near 0.5 mg/L), so a smaller number is a
   * unit mix-up (mg/dL given as mg/L is 10 times too small).
   */
  minCystatinCMgL: 0.2,
  /** Highest accepted serum cystatin C, mg/L. */
  maxCystatinCMgL: 20,
  /**
   * Shortest accepted height, cm; a height in metres (≤ 2.8) falls below this. Infants born at 22–24
   * weeks measure about 26–30 cm: a floor of 30 cm refused them.
   */
  minHeightCm: 20,
  /** Tallest accepted height, cm. */
  maxHeightCm: 280,
  /** Heaviest accepted weight, kg. */
  maxWeightKg: 700,
  /**
   * Body-mass index bounds (kg/m²) of a weight beside a height: an extremely preterm infant (0.4 kg,
   * 30 cm) is about 4.4 and the heaviest adults recorded under 200, while a weight in grams typed as
   * kg (650 for 0.65 kg at 33 cm) is about 6,000: a BSA of 2.44 m² for 0.077.
   */
  minBmi: 2,
  maxBmi: 250,
  /**
   * Creatinine (mg/dL) above which a value is warned as one in µmol/L (W_SCR_UNIT): adults on
   * haemodialysis reach about 5–15 mg/dL before a session, above 15 is rare (rhabdomyolysis, a
   * large muscle mass), while 15–40 is where the usual µmol/L values of 9–40 fall.
   */
  suspectScrMgDl: 15,
  /** Creatinine (mg/dL) above which a neonate's or child's (PMA < 60 weeks, age < 18 years) is refused as a value in µmol/L: a child's muscle mass keeps it lower. */
  childMaxScrMgDl: 5,
  /** Weight (kg) above which a value is warned as one in grams (W_WEIGHT_UNIT), and refused for a neonate or child: the heaviest patients weigh under 300 kg, a preterm infant 300–700 g. */
  suspectWeightKg: 300,
  /** Body-mass index (kg/m²) above which a height is warned as one in inches (W_HEIGHT_UNIT): 67 in read as cm gives an adult 130–200, and patients seldom pass 80. */
  heightUnitBmi: 80,
} as const;

/** Property names (lower-cased, letters only) refused as race inputs. */
const RACE_KEYS: ReadonlySet<string> = new Set([
  'race',
  'black',
  'isblack',
  'ethnicity',
  'africanamerican',
]);

/** Renders a refused value for an error message (`NaN`, `undefined`, `"F"`). */

/**
 * Checks that `input` is an object and carries no race field (`race`,
 * `black`, `isBlack`, `ethnicity`, `africanAmerican`, any case).
 *
 * @example
 * assertClinicalInput({ scrMgDl: 1, ageYears: 50, sex: 'male' }); // passes
 * assertClinicalInput({ scrMgDl: 1, race: 'black' }); // throws ClinicalInputError
 */
export function assertClinicalInput(input: unknown, keys?: readonly string[]): asserts input is Readonly<Record<string, unknown>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ClinicalInputError('input', input, 'must be an object with named fields');
  }
  for (const key of Object.keys(input)) {
    if (RACE_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, ''))) {
      throw new ClinicalInputError(
        key,
        (input as Record<string, unknown>)[key],
        'dosewise uses race-free equations (CKD-EPI 2021, Inker et al. NEJM 2021) and accepts no race input; remove this field',
      );
    }
    // a field the calculator does not read is a typo or a unit it does not take: `ageYear` left the
    // age unread, and scrUmolL beside scrMgDl was ignored without a word
    if (keys && !keys.includes(key)) {
      const meant = keys.find((k) => k.toLowerCase() === key.toLowerCase());
      const why = key === 'scrUmolL' ? 'is not read here: convert it with scrMgDlFromUmolL (88.42 µmol/L per mg/dL) and give scrMgDl' : meant ? `is not read (names are case-sensitive): did you mean ${meant}?` : `is not read by this calculator (it reads ${keys.join(', ')})`;
      throw new ClinicalInputError(key, (input as Record<string, unknown>)[key], why);
    }
  }
}

/** Bounds for {@link readNumber}; each is optional. */
export interface NumberBounds {
  /** Value must be > this (strict). Defaults to 0: values must be positive. */
  readonly above?: number;
  /** Value must be ≥ this (inclusive). Replaces `above` when given. */
  readonly atLeast?: number;
  /** Value must be ≤ this (inclusive). */
  readonly atMost?: number;
  /** Value must be < this (strict). */
  readonly below?: number;
  /** Appended to the bound in the message, e.g. `for CKD-EPI`. */
  readonly context?: string;
}

/**
 * Reads `input[field]` and checks it is a finite number within `bounds`
 * (positive by default). Missing, non-number, NaN, ±Infinity and
 * out-of-bounds values throw a {@link ClinicalInputError} naming the field.
 *
 * @example
 * readNumber({ ageYears: 12 }, 'ageYears', { atLeast: 18, context: 'for CKD-EPI' });
 * // throws: 'clinical input ageYears: must be ≥ 18 for CKD-EPI (got 12)'
 */
export function readNumber(
  input: Readonly<Record<string, unknown>>,
  field: string,
  bounds: NumberBounds = {},
): number {
  const value = input[field];
  const why = bounds.context === undefined ? '' : ` ${bounds.context}`;
  if (value === undefined || value === null) {
    throw new ClinicalInputError(field, value, 'is required');
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ClinicalInputError(field, value, 'must be a finite number');
  }
  if (bounds.atLeast !== undefined) {
    if (value < bounds.atLeast) throw new ClinicalInputError(field, value, `must be ≥ ${bounds.atLeast}${why}`);
  } else {
    const above = bounds.above ?? 0;
    if (value <= above) throw new ClinicalInputError(field, value, `must be > ${above}${why}`);
  }
  if (bounds.atMost !== undefined && value > bounds.atMost) {
    throw new ClinicalInputError(field, value, `must be ≤ ${bounds.atMost}${why}`);
  }
  if (bounds.below !== undefined && value >= bounds.below) {
    throw new ClinicalInputError(field, value, `must be < ${bounds.below}${why}`);
  }
  return value;
}

/**
 * Reads `input.sex` and checks it is exactly `'female'` or `'male'`.
 *
 * @example
 * readSex({ sex: 'female' }); // 'female'
 */
export function readSex(input: Readonly<Record<string, unknown>>): Sex {
  const value = input['sex'];
  if (value === 'female' || value === 'male') return value;
  if (value === undefined || value === null) throw new ClinicalInputError('sex', value, "is required ('female' | 'male')");
  throw new ClinicalInputError('sex', value, "must be 'female' or 'male'");
}

/** µmol/L of creatinine per mg/dL (see units.ts, which exports it: defined here, as units.ts imports this file). */
export const CREATININE_UMOL_L_PER_MG_DL = 88.42;

/**
 * Reads a serum creatinine in mg/dL ({@link PLAUSIBLE}.minScrMgDl ≤ SCr ≤ maxScrMgDl).
 *
 * @example
 * readScrMgDl({ scrMgDl: 0.8 }); // 0.8
 */
export function readScrMgDl(input: Readonly<Record<string, unknown>>): number {
  const scr = readNumber(input, 'scrMgDl', { context: 'mg/dL' });
  if (scr < PLAUSIBLE.minScrMgDl) {
    throw new ClinicalInputError(
      'scrMgDl',
      scr,
      `must be ≥ ${PLAUSIBLE.minScrMgDl} mg/dL (${+(PLAUSIBLE.minScrMgDl * CREATININE_UMOL_L_PER_MG_DL).toFixed(3)} µmol/L), below any measured creatinine; a value in another unit (mmol/L?)`,
    );
  }
  if (scr > PLAUSIBLE.maxScrMgDl) {
    throw new ClinicalInputError(
      'scrMgDl',
      scr,
      `must be ≤ ${PLAUSIBLE.maxScrMgDl} mg/dL; a µmol/L value? convert it with scrMgDlFromUmolL`,
    );
  }
  return scr;
}

/**
 * Reads a serum creatinine in µmol/L, within the mg/dL limits of {@link readScrMgDl} converted at
 * 88.42 µmol/L per mg/dL, naming scrUmolL: a caller converting it to mg/dL itself would otherwise
 * see the refusal name a field its user never gave.
 *
 * @example
 * readScrUmolL({ scrUmolL: 80 }); // 80
 */
export function readScrUmolL(input: Readonly<Record<string, unknown>>): number {
  const scr = readNumber(input, 'scrUmolL', { context: 'µmol/L' });
  const min = +(PLAUSIBLE.minScrMgDl * CREATININE_UMOL_L_PER_MG_DL).toFixed(3);
  const max = +(PLAUSIBLE.maxScrMgDl * CREATININE_UMOL_L_PER_MG_DL).toFixed(3);
  if (scr < min) {
    throw new ClinicalInputError('scrUmolL', scr, `must be ≥ ${min} µmol/L (${PLAUSIBLE.minScrMgDl} mg/dL), below any measured creatinine; a mg/dL value? give it as scrMgDl`);
  }
  if (scr > max) throw new ClinicalInputError('scrUmolL', scr, `must be ≤ ${max} µmol/L (${PLAUSIBLE.maxScrMgDl} mg/dL)`);
  return scr;
}

/**
 * Reads a serum cystatin C in mg/L ({@link PLAUSIBLE}.minCystatinCMgL ≤ Scys ≤ maxCystatinCMgL).
 *
 * @example
 * readCystatinCMgL({ cystatinCMgL: 0.9 }); // 0.9
 */
export function readCystatinCMgL(input: Readonly<Record<string, unknown>>): number {
  const scys = readNumber(input, 'cystatinCMgL', { atMost: PLAUSIBLE.maxCystatinCMgL, context: 'mg/L' });
  if (scys < PLAUSIBLE.minCystatinCMgL) {
    throw new ClinicalInputError(
      'cystatinCMgL',
      scys,
      `must be ≥ ${PLAUSIBLE.minCystatinCMgL} mg/L, below any measured cystatin C; a value in mg/dL? multiply it by 10 (cystatinCMgLFromMgDl)`,
    );
  }
  return scys;
}

/**
 * Reads a height in cm ({@link PLAUSIBLE}.minHeightCm ≤ h ≤ maxHeightCm).
 *
 * @example
 * readHeightCm({ heightCm: 170 }); // 170
 */
export function readHeightCm(input: Readonly<Record<string, unknown>>): number {
  const height = readNumber(input, 'heightCm', { atMost: PLAUSIBLE.maxHeightCm, context: 'cm' });
  if (height < PLAUSIBLE.minHeightCm) {
    throw new ClinicalInputError('heightCm', height, `must be ≥ ${PLAUSIBLE.minHeightCm} cm; a value in metres?`);
  }
  return height;
}

/**
 * Reads a total body weight in kg (0 < w ≤ {@link PLAUSIBLE}.maxWeightKg).
 *
 * @example
 * readWeightKg({ weightKg: 70 }); // 70
 */
export function readWeightKg(input: Readonly<Record<string, unknown>>): number {
  const weight = readNumber(input, 'weightKg', { atMost: PLAUSIBLE.maxWeightKg, context: 'kg' });
  // beside a height, the two must make a body (each alone was only held to its own range)
  const h = input.heightCm;
  const body = typeof h === 'number' ? implausibleBody(h, weight) : undefined;
  if (body?.side === 'above')
    throw new ClinicalInputError('weightKg', weight, `with heightCm ${h} this is a body-mass index of ${Math.round(body.bmi)} kg/m², above any body (≤ ${PLAUSIBLE.maxBmi}); a weight in grams? give kg (${+(weight / 1000).toPrecision(6)})`);
  if (body?.side === 'below')
    throw new ClinicalInputError('weightKg', weight, `with heightCm ${h} this is a body-mass index of ${+body.bmi.toPrecision(3)} kg/m², below any body (≥ ${PLAUSIBLE.minBmi}); a height in mm, or a weight in another unit?`);
  return weight;
}

/**
 * Whether a height (cm) and a weight (kg) make no body: a body-mass index outside
 * {@link PLAUSIBLE}.minBmi–maxBmi, the height itself within its bounds (a height out of them is
 * refused on its own). readWeightKg refuses such a pair as a unit mix-up; a population's sampler
 * asks the same question of the bodies it draws, where the units are right and the distribution
 * is not.
 *
 * @example
 * implausibleBody(176.4, 4.29); // { bmi: 1.378…, side: 'below' }
 * implausibleBody(170, 70); // undefined
 */
export function implausibleBody(heightCm: number, weightKg: number): { readonly bmi: number; readonly side: 'below' | 'above' } | undefined {
  if (!(heightCm >= PLAUSIBLE.minHeightCm && heightCm <= PLAUSIBLE.maxHeightCm) || !Number.isFinite(weightKg)) return undefined;
  const bmi = weightKg / (heightCm / 100) ** 2;
  if (bmi > PLAUSIBLE.maxBmi) return { bmi, side: 'above' };
  if (bmi < PLAUSIBLE.minBmi) return { bmi, side: 'below' };
  return undefined;
}
