// Covariates of virtual populations: specification (JSON), sampler, and the pieces they use.

export {
  parseCovariateSpec,
  resolveCovariates,
  isRaceName,
  lognormalLogParams,
  choleskyLower,
  formatPath,
  COVARIATE_NAME,
  type CovariateSpec,
  type CovariateEntry,
  type DistributionCovariate,
  type NormalCovariate,
  type LognormalCovariate,
  type UniformCovariate,
  type CategoricalCovariate,
  type DerivedCovariate,
  type ResampleSource,
  type CorrelationSpec,
  type ResolvedCovariates,
} from './spec.js';
export { covariateSampler, mergeCovariateNotes, covariateNoteWarnings, type CovariateNotes, type CovariateSampler, type CovariateSamplerOptions, type CovariateSlot } from './sample.js';
export { refuseCovariateUnitMismatch, refuseImplausibleDistributions, refuseSexCodingMismatch, distributionMedian, type CovariateUnitSources } from './units.js';
export { parseCovariateTable, type CovariateTable, type CovariateTableOptions } from './table.js';
export { DERIVED_FUNCTIONS, DerivedEvaluationError, prepareDerived, compileDerived, type DerivedFunction, type DerivedNotes, type PreparedDerived } from './derived.js';
export { describedSexCoding, femaleByName, sexCodingConflict, CALCULATOR_SEX_CODING, type SexCoding, type CodedSex } from './coding.js';
export {
  normalCdf,
  normalSf,
  normalPdf,
  normalQuantile,
  truncatedStandardNormal,
  truncateStandardNormal,
  type TruncatedStandardNormal,
} from '../../stats/normal.js';
