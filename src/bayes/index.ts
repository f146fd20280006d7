// Bayesian individualisation: MAP estimation of one patient's random effects, posterior sampling,
// forecasts of future regimens, shrinkage over a cohort, and cohort estimation on a worker pool.

export { estimate, type ConvergenceReport, type Estimate, type EstimateMode, type EstimateOptions } from './estimate.js';
export { levelWarnings, mapWarnings, type EstimateWarning, type LevelWarning, type LevelWarningCode, type MapWarning, type MapWarningCode } from './warnings.js';
export { mapObjective, type MapObjective, type ObjectiveOptions, type Predictions, type SimulatedPoints } from './objective.js';
export { bfgs, minimize, centralDifferences, finiteDifferenceHessian, scaledHessian, type BatchFunction, type BfgsOptions, type MinimizeOptions, type MinimizeResult, type OptimizeResult } from './optimize.js';
export { logNormalCdf } from '../stats/normal.js';
export { quantiles, quantileSorted } from '../stats/quantile.js';
export { posteriorSample, sampleMoments, PosteriorDomain, type PosteriorOptions, type PosteriorSample } from './posterior.js';
export { forecast, forecastRecords, type Forecast, type ForecastOptions, type Interval } from './forecast.js';
export { shrinkage, type Shrinkage } from './shrinkage.js';
export { estimateCohort, handleEstimateTask, unpackCohort, cohortTasks, type CohortOptions, type CohortResult, type CohortRunOptions, type EstimateTask } from './task.js';
