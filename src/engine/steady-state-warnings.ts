// The warnings about a data set's steady-state doses that every command simulating its records
// gives: SS in a model that reads t, SS with a lag, SS = 2 in a model not linear in its states.
// One list, so that a path added later (replicates, optimize, shrinkage) cannot give two of three.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { timeSteadyStateWarnings } from './time-steady-state.js';
import { steadyStateLagWarnings } from './steady-state-lag.js';
import { steadyStateAddWarnings } from './steady-state-add.js';

export function steadyStateWarnings(model: Model, records: readonly DataRecord[], file?: string): string[] {
  return [...timeSteadyStateWarnings(model, records, file), ...steadyStateLagWarnings(model, records, file), ...steadyStateAddWarnings(model, records, file)];
}
