// The warnings about a data set as a whole that estimate and forecast print once, before any ID:
// steady-state doses in a model that reads t, and columns named like a parameter or a model text's equation-level quantity. Estimate adds a data set
// in which no record is a level (a level column named CONC: every estimate was the prior mode, said
// only in the table's header line); forecast does not, a forecast before any level being a prior one.
// Levels of a compartment without a scale are estimate()'s W_LEVEL_AMOUNT, said with each ID's fit.

import type { Model } from '../model/model.js';
import { isDose, type DataRecord } from '../regimen/record.js';
import { recordPlace } from '../regimen/file.js';
import { steadyStateWarnings } from '../engine/steady-state-warnings.js';
import { shadowColumnWarnings } from './shadow-columns.js';
import { suspectUnitWarnings } from '../model/covariate-flags.js';

export function dataSetWarnings(model: Model, patients: readonly (readonly [number, readonly DataRecord[]])[], file: string): string[] {
  const records = patients.flatMap(([, r]) => r);
  return [...steadyInfusionWarnings(records, file), ...steadyStateWarnings(model, records, file), ...shadowColumnWarnings(model, Object.keys(records[0]?.items ?? {}), file, 'fitted'), ...suspectUnitWarnings(model, records, file)];
}

/** No record of the data set is a level (EVID 0, MDV 0, a DV): nothing informs the estimates. */
export function noLevelWarnings(records: readonly DataRecord[], file: string): string[] {
  // a BLQ flag is information too (the censored likelihood moves the estimate)
  if (records.length === 0 || records.some((r) => r.EVID === 0 && r.MDV === 0 && (Number.isFinite(r.DV) || r.items.BLQ === 1))) return [];
  const dv = 'DV' in (records[0]?.items ?? {});
  return [`${file}: no record is a level (an observation record, EVID 0, with MDV 0 and a value in DV${dv ? '' : '; the data have no DV column'}): every estimate is the prior mode (the typical patient)`];
}

/** No record of the data set is a dose (EVID 1 or 4 with an AMT): every prediction is the model without drug. */
export function noDoseWarnings(model: Model, records: readonly DataRecord[], file: string): string[] {
  // Claret's tumour model reads its exposure from the DOSE data item, not from dose records
  if (records.length === 0 || records.some(isDose) || model.structure.kind === 'claret' || model.inputs.includes('DOSE')) return [];
  const amt = 'AMT' in (records[0]?.items ?? {});
  return [`${file}: no record is a dose (EVID 1 or 4 with an amount in AMT${amt ? '' : '; the data have no AMT column'}): every prediction is the model without drug`];
}

/**
 * A steady-state constant infusion (SS 1, AMT 0, RATE > 0) sets the state at the infusion's steady
 * state and stops there, as NONMEM does (its table for dosing-1001 ID 29 decays from 90909): read as
 * an infusion that runs on (as mrgsolve reads it), every later level was too low without a word.
 * Every command that reads records says so, once per file: a data set, and a regimen file (where a
 * JSON regimen's dose is named by its place, `doses.0`, its records' rows being the sorted order).
 */
export function steadyInfusionWarnings(records: readonly DataRecord[], file: string): string[] {
  const r = records.find((x) => isDose(x) && x.SS > 0 && !(x.AMT > 0) && x.RATE > 0);
  if (!r) return [];
  const n = records.filter((x) => isDose(x) && x.SS > 0 && !(x.AMT > 0) && x.RATE > 0).length;
  return [`${file}, ${recordPlace(r)}: ${n > 1 ? `${n} steady-state infusions` : 'a steady-state infusion'} (SS ${r.SS}, AMT 0, RATE ${r.RATE}) start${n > 1 ? '' : 's'} at the infusion's steady state and stop${n > 1 ? '' : 's'} at ${n > 1 ? 'their records' : 'its record'}, as in NONMEM; for one that runs on, add an infusion from that time (AMT = RATE × its duration)`];
}
