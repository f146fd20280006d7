/**
 * Laboratory unit conversions for the renal-function calculators.
 *
 * Creatinine: 1 mg/dL = 88.42 µmol/L, the factor dosewise uses throughout
 * (from the molar mass of creatinine, ≈113.1 g/mol: 10 mg/L ÷ 113.1 mg/mmol;
 * often rounded to 88.4). Cystatin C is reported in mg/L by
 * IFCC-standardised assays (ERM-DA471/IFCC); only the dimensional mg/dL ↔
 * mg/L conversion is provided.
 */

import { CREATININE_UMOL_L_PER_MG_DL, assertClinicalInput, readNumber } from './validate.js';

/** µmol/L of creatinine per mg/dL (defined in validate.ts, whose limits convert with it). */
export { CREATININE_UMOL_L_PER_MG_DL };

/** mg/L per mg/dL (1 dL = 0.1 L). */
export const MG_L_PER_MG_DL = 10;

/**
 * Serum creatinine µmol/L → mg/dL.
 *
 * @returns serum creatinine, mg/dL
 * @example
 * scrMgDlFromUmolL({ scrUmolL: 88.42 }); // 1
 */
export function scrMgDlFromUmolL(input: { readonly scrUmolL: number }): number {
  assertClinicalInput(input, ['scrUmolL']);
  const scrUmolL = readNumber(input, 'scrUmolL', { context: 'µmol/L' });
  return scrUmolL / CREATININE_UMOL_L_PER_MG_DL; // SCr[mg/dL] = SCr[µmol/L] / 88.42
}

/**
 * Serum creatinine mg/dL → µmol/L.
 *
 * @returns serum creatinine, µmol/L
 * @example
 * scrUmolLFromMgDl({ scrMgDl: 1 }); // 88.42
 */
export function scrUmolLFromMgDl(input: { readonly scrMgDl: number }): number {
  assertClinicalInput(input, ['scrMgDl']);
  const scrMgDl = readNumber(input, 'scrMgDl', { context: 'mg/dL' });
  return scrMgDl * CREATININE_UMOL_L_PER_MG_DL; // SCr[µmol/L] = SCr[mg/dL] × 88.42
}

/**
 * Serum cystatin C mg/dL → mg/L (the unit the CKD-EPI equations expect).
 *
 * @returns serum cystatin C, mg/L
 * @example
 * cystatinCMgLFromMgDl({ cystatinCMgDl: 0.1 }); // 1
 */
export function cystatinCMgLFromMgDl(input: { readonly cystatinCMgDl: number }): number {
  assertClinicalInput(input, ['cystatinCMgDl']);
  const mgDl = readNumber(input, 'cystatinCMgDl', { context: 'mg/dL' });
  return mgDl * MG_L_PER_MG_DL; // Scys[mg/L] = Scys[mg/dL] × 10
}

/**
 * Serum cystatin C mg/L → mg/dL.
 *
 * @returns serum cystatin C, mg/dL
 * @example
 * cystatinCMgDlFromMgL({ cystatinCMgL: 1 }); // 0.1
 */
export function cystatinCMgDlFromMgL(input: { readonly cystatinCMgL: number }): number {
  assertClinicalInput(input, ['cystatinCMgL']);
  const mgL = readNumber(input, 'cystatinCMgL', { context: 'mg/L' });
  return mgL / MG_L_PER_MG_DL; // Scys[mg/dL] = Scys[mg/L] / 10
}
