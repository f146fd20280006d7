// Bayesian individualisation: MAP estimation of one patient's random effects.

export { estimate, type Estimate, type EstimateOptions } from './estimate.js';
export { mapObjective, type MapObjective, type ObjectiveOptions, type Predictions } from './objective.js';
export { bfgs, minimize, centralDifferences, finiteDifferenceHessian, type BatchFunction, type BfgsOptions, type MinimizeOptions, type MinimizeResult, type OptimizeResult } from './optimize.js';
export { logNormalCdf } from './normal.js';
