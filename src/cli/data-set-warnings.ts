// The warnings about a data set as a whole that estimate and forecast print once, before any ID:
// steady-state doses in a model that reads t, columns named like a parameter or a model text's equation-level quantity,
// and covariates the model reads that no column gives (set to their defaults) with the columns named like them. Estimate adds a data set
// in which no record is a level (a level column named CONC: every estimate was the prior mode, said
// only in the table's header line); forecast does not, a forecast before any level being a prior one.
// Levels of a compartment without a scale are estimate()'s W_LEVEL_AMOUNT, said with each ID's fit.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { steadyStateWarnings } from '../engine/steady-state-warnings.js';
import { shadowColumnWarnings } from './shadow-columns.js';
import { suspectUnitWarnings } from '../model/covariate-flags.js';
import { defaultedCovariateWarnings } from '../model/defaulted-inputs.js';

/** `overrides`: --param's values, which replace the records'; `alongside`: records every patient runs with too (forecast's future regimen). */
export function dataSetWarnings(model: Model, patients: readonly (readonly [number, readonly DataRecord[]])[], file: string, overrides?: Readonly<Record<string, number>>, alongside?: readonly DataRecord[]): string[] {
  const records = patients.flatMap(([, r]) => r);
  return [...steadyInfusionWarnings(records, file), ...steadyStateWarnings(model, records, file), ...shadowColumnWarnings(model, Object.keys(records[0]?.items ?? {}), file, 'fitted', overrides), ...suspectUnitWarnings(model, records, file, { overrides, alongside, overrideName: paramName }), ...defaultedCovariateWarnings(model, records, file, overrides)];
}

/** An override as the command line gives it. */
export const paramName = (name: string, value: number): string => `--param ${name}=${value}`;

/** No record of the data set is a level (EVID 0, MDV 0, a DV): nothing informs the estimates. */
export function noLevelWarnings(records: readonly DataRecord[], file: string): string[] {
  // a BLQ flag is information too (the censored likelihood moves the estimate)
  if (records.length === 0 || records.some((r) => r.EVID === 0 && r.MDV === 0 && (Number.isFinite(r.DV) || r.items.BLQ === 1))) return [];
  const dv = 'DV' in (records[0]?.items ?? {});
  return [`${file}: no record is a level (an observation record, EVID 0, with MDV 0 and a value in DV${dv ? '' : '; the data have no DV column'}): every estimate is the prior mode (the typical patient)`];
}

// said by the library functions too (their `warnings`); here for the commands that read a data set themselves
export { noDoseWarnings, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
