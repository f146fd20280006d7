// The warnings about a data set as a whole that estimate and forecast print once, before any ID:
// steady-state doses in a model that reads t, levels of a compartment without a scale, and
// columns named like a parameter or a model text's equation-level quantity.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { timeSteadyStateWarnings } from '../engine/time-steady-state.js';
import { steadyStateLagWarnings } from '../engine/steady-state-lag.js';
import { amountObservationWarnings } from '../engine/amount-observations.js';
import { shadowColumnWarnings } from './shadow-columns.js';

export function dataSetWarnings(model: Model, patients: readonly (readonly [number, readonly DataRecord[]])[], file: string): string[] {
  const records = patients.flatMap(([, r]) => r);
  return [...timeSteadyStateWarnings(model, records, file), ...steadyStateLagWarnings(model, records, file), ...amountObservationWarnings(model, records, file), ...shadowColumnWarnings(model, Object.keys(records[0]?.items ?? {}), file)];
}
