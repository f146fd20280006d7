/**
 * The eGFR equations with the warnings of inputs more likely in another unit, which the formulas'
 * own limits let through: a height in inches beside the age of a child (Schwartz reads no weight,
 * so no body-mass index tells it), and a cystatin C in mg/dL above the 0.2 mg/L floor (0.25 mg/dL,
 * 2.5 mg/L, gave CKD-EPI 2021 creatinine–cystatin C 100.7 for 28.5 mL/min/1.73 m²).
 */

import type { ValueWithWarnings } from './body-size-warnings.js';
import { egfrBedsideSchwartz, egfrCkdEpi2021Cr, egfrCkdEpi2021CrCys, type BedsideSchwartzInput, type CkdEpi2021CrCysInput } from './egfr.js';
import { bodyEnvelopeAtAge } from './growth-standards.js';
import { heightOutsideAge } from './height-for-age.js';
import { MG_L_PER_MG_DL } from './units.js';
import { PLAUSIBLE } from './validate.js';

const num = (x: number): string => String(+x.toPrecision(4));

/**
 * W_HEIGHT_UNIT where `heightCm` lies outside the heights growth charts give for `ageYears`
 * (growth-standards.ts: the median height ±30 %, about 6 SD, from the most preterm birth's to a term
 * birth's) and the height read as inches lies inside; W_HEIGHT_FOR_AGE where neither does.
 */
export function heightForAgeWarnings(heightCm: number, ageYears: number): string[] {
  const out = heightOutsideAge(heightCm, bodyEnvelopeAtAge(ageYears).heightCm);
  if (out === undefined) return [];
  const where = `heightCm ${heightCm} at ageYears ${ageYears}: outside the heights growth charts give for that age (${out.range})`;
  if (out.inchesCm !== undefined) return [`W_HEIGHT_UNIT: ${where}: a height in inches? ${heightCm} in is ${out.inchesCm} cm; give the height in cm`];
  return [`W_HEIGHT_FOR_AGE: ${where}; check the height and the age`];
}

/**
 * {@link egfrBedsideSchwartz} with its warnings: W_HEIGHT_UNIT / W_HEIGHT_FOR_AGE where the height
 * is no child's of that age (heightCm 37 at 3 years gave 50.9 for 129.4 mL/min/1.73 m² at 94 cm).
 *
 * @example
 * egfrBedsideSchwartzWithWarnings({ scrMgDl: 0.3, heightCm: 37, ageYears: 3 }); // { value: 50.93…, warnings: ['W_HEIGHT_UNIT: …'] }
 */
export function egfrBedsideSchwartzWithWarnings(input: BedsideSchwartzInput): ValueWithWarnings {
  const value = egfrBedsideSchwartz(input);
  return { value, warnings: heightForAgeWarnings(input.heightCm, input.ageYears) };
}

/**
 * CKD-EPI 2012 cystatin C equation (Inker LA et al. N Engl J Med 2012;367:20–29; race-free):
 * 133 × min(Scys/0.8, 1)^−0.499 × max(Scys/0.8, 1)^−1.328 × 0.996^age × 0.932 [female].
 */
function ckdEpi2012Cys(scys: number, ageYears: number, female: boolean): number {
  const q = scys / 0.8;
  return 133 * Math.min(q, 1) ** -0.499 * Math.max(q, 1) ** -1.328 * 0.996 ** ageYears * (female ? 0.932 : 1);
}

/**
 * Above this ratio of the cystatin-only to the creatinine-only eGFR, a cystatin C is suspected of
 * being in mg/dL. Real patients whose cystatin C gives the higher eGFR (a large muscle mass or
 * creatine supplements, drugs that block creatinine secretion, hypothyroidism) differ by up to
 * about 2× (scrMgDl 1.5 with 0.6 mg/L at 30 years, a body-builder's values: 2.1×); the warning
 * also needs the mg/dL reading (×10) to bring the two nearer, which a real value with a high
 * creatinine does not (2.0 mg/dL with 0.6 mg/L at 30 years: 3.0×, ×10 gives 0.18×).
 */
export const CYSTATIN_UNIT_RATIO = 3;

/**
 * Below this cystatin C (mg/L) an adult's value is suspected of being in mg/dL whatever the
 * creatinine: healthy young adults' reference intervals start at about 0.5–0.6 mg/L, and the ratio
 * rule misses a sarcopenic patient's low creatinine (0.6 mg/dL with 0.2 at 80 years: 2.1×, eGFR
 * 153.9 for 48.2 at 2.0 mg/L), where cystatin C is most often measured.
 */
export const CYSTATIN_ADULT_FLOOR_MG_L = 0.4;

/**
 * W_CYSTATIN_UNIT where the cystatin C is implausibly low: below {@link CYSTATIN_ADULT_FLOOR_MG_L},
 * or for the creatinine, the CKD-EPI 2012 cystatin-only eGFR above {@link CYSTATIN_UNIT_RATIO} times
 * the CKD-EPI 2021 creatinine-only one and the cystatin read as mg/dL (×10, within the accepted
 * range) nearer to it.
 */
export function cystatinUnitWarnings(input: CkdEpi2021CrCysInput): string[] {
  const { cystatinCMgL: scys, ageYears: age } = input;
  const female = input.sex === 'female';
  const cr = egfrCkdEpi2021Cr({ scrMgDl: input.scrMgDl, ageYears: age, sex: input.sex });
  const asGiven = ckdEpi2012Cys(scys, age, female) / cr;
  const mgDl = scys * MG_L_PER_MG_DL;
  if (mgDl > PLAUSIBLE.maxCystatinCMgL) return [];
  const reading = `a value in mg/dL? ${scys} mg/dL is ${num(mgDl)} mg/L (cystatinCMgLFromMgDl), where the creatinine–cystatin C eGFR is ${num(egfrCkdEpi2021CrCys({ ...input, cystatinCMgL: mgDl }))}; give cystatin C in mg/L`;
  const floor = [`W_CYSTATIN_UNIT: cystatinCMgL ${scys}: below the cystatin C of any adult (reference intervals start at about 0.5–0.6 mg/L): ${reading}`];
  const low = scys < CYSTATIN_ADULT_FLOOR_MG_L;
  if (!(asGiven > CYSTATIN_UNIT_RATIO)) return low ? floor : [];
  const asMgDl = ckdEpi2012Cys(mgDl, age, female) / cr;
  if (!(Math.abs(Math.log(asMgDl)) < Math.log(asGiven))) return low ? floor : [];
  return [
    `W_CYSTATIN_UNIT: cystatinCMgL ${scys} beside scrMgDl ${input.scrMgDl}: the cystatin C alone gives an eGFR ${num(asGiven)} times the creatinine's (CKD-EPI 2012 cystatin ${num(cr * asGiven)}, 2021 creatinine ${num(cr)} mL/min/1.73 m²): ${reading}`,
  ];
}

/**
 * {@link egfrCkdEpi2021CrCys} with its warnings: W_CYSTATIN_UNIT where the cystatin C is more
 * likely in mg/dL (see `cystatinUnitWarnings`).
 *
 * @example
 * egfrCkdEpi2021CrCysWithWarnings({ scrMgDl: 2, cystatinCMgL: 0.25, ageYears: 60, sex: 'male' }); // { value: 100.69…, warnings: ['W_CYSTATIN_UNIT: …'] }
 */
export function egfrCkdEpi2021CrCysWithWarnings(input: CkdEpi2021CrCysInput): ValueWithWarnings {
  const value = egfrCkdEpi2021CrCys(input);
  return { value, warnings: cystatinUnitWarnings(input) };
}
