/**
 * Race-free renal-function and body-size calculators.
 *
 * Every function takes an object with named fields whose names carry their
 * units, validates it at runtime (inputs may be untyped JSON) and throws a
 * {@link ClinicalInputError} (a `DosewiseError`, code E_CLINICAL) naming the refused field and
 * value. Any race field (`race`, `black`, `ethnicity`, …) is refused.
 *
 * @example
 * import { egfrCkdEpi2021Cr } from './clinical/index.js';
 * egfrCkdEpi2021Cr({ scrMgDl: 1.2, ageYears: 60, sex: 'male' }); // ≈ 69.2
 */

export {
  egfrBedsideSchwartz,
  egfrCkdEpi2021Cr,
  egfrCkdEpi2021CrCys,
  type BedsideSchwartzInput,
  type CkdEpi2021CrCysInput,
  type CkdEpi2021CrInput,
} from './egfr.js';
export { CYSTATIN_UNIT_RATIO, egfrBedsideSchwartzWithWarnings, egfrCkdEpi2021CrCysWithWarnings } from './egfr-warnings.js';
export {
  crclCockcroftGault,
  dosingWeightKg,
  WEIGHT_BASES,
  type CockcroftGaultInput,
  type CockcroftGaultResult,
  type WeightBasis,
} from './crcl.js';
export {
  adjustedBodyWeight,
  bodyMassIndex,
  bsaDuBois,
  bsaMosteller,
  DEVINE_MIN_HEIGHT_CM,
  idealBodyWeightDevine,
  leanBodyWeightJanmahasatian,
  type HeightSexInput,
  type HeightWeightInput,
  type HeightWeightSexInput,
} from './body-size.js';
export {
  adjustedBodyWeightWithWarnings,
  idealBodyWeightDevineWithWarnings,
  leanBodyWeightJanmahasatianWithWarnings,
  type ValueWithWarnings,
} from './body-size-warnings.js';
export {
  CREATININE_UMOL_L_PER_MG_DL,
  MG_L_PER_MG_DL,
  cystatinCMgDlFromMgL,
  cystatinCMgLFromMgDl,
  scrMgDlFromUmolL,
  scrUmolLFromMgDl,
} from './units.js';
export { ClinicalInputError, PLAUSIBLE, assertClinicalInput, type Sex } from './validate.js';
