// Options of the worker calls: the library's options less what cannot cross to a worker (an engine
// instance) or is chosen by the worker itself.

import type { SimulateOptions } from '../engine/simulate.js';
import type { EstimateOptions } from '../bayes/estimate.js';
import type { ForecastOptions } from '../bayes/forecast.js';

/** simulate() options in a worker. */
export type WorkerSimulateOptions = Omit<SimulateOptions, 'engine'>;
/** estimate() options in a worker. */
export type WorkerEstimateOptions = Omit<EstimateOptions, 'engine'>;
/** forecast() options in a worker, with those of the estimate it starts from. */
export type WorkerForecastOptions = Omit<ForecastOptions, 'engine'> & { readonly estimate?: WorkerEstimateOptions };
