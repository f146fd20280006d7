// Warnings about a set of records as a whole that the library functions say in their `warnings`
// (simulate(), simulateReplicates(), vpc(), estimate(), forecast(), pta(), bandPopulation()) and the CLI prints from there: said
// only by the command line, an app calling the library got the numbers without a word.

import type { Model } from '../model/model.js';
import { isDose, type DataRecord } from './record.js';
import { recordPlace } from './file.js';

/** The code the library's warnings give steadyInfusionWarnings' text (the command line prints it without one, as it always has). */
export const SS_INFUSION_CODE = 'W_SS_INFUSION' as const;

/**
 * The code of noDoseWarnings' text where the library says it (simulate(), simulateReplicates(),
 * vpc()): the command line alone said it, and simulate() of the same records (EVID 0 on every row)
 * returned every prediction 0 with warnings [].
 */
export const NO_DOSE_CODE = 'W_NO_DOSE' as const;

/**
 * No record of the data set is a dose (EVID 1 or 4): every prediction is the model without drug.
 * `records` may be any sequence of them (simulate()'s column path hands its designs' first
 * subjects' rows, read one at a time: the search stops at the first dose, most often the first row).
 */
export function noDoseWarnings(model: Model, records: Iterable<DataRecord>, file?: string): string[] {
  // Claret's tumour model reads its exposure from the DOSE data item, not from dose records
  if (model.structure.kind === 'claret' || model.inputs.includes('DOSE')) return [];
  let first: DataRecord | undefined;
  for (const r of records) {
    if (isDose(r)) return [];
    first ??= r;
  }
  if (first === undefined) return [];
  const amt = 'AMT' in first.items;
  return [`${file ? `${file}: ` : ''}no record is a dose (EVID 1 or 4 with an amount in AMT${amt ? '' : '; the data have no AMT column'}): every prediction is the model without drug`];
}

/**
 * A steady-state constant infusion (SS 1, AMT 0, RATE > 0) sets the state at the infusion's steady
 * state and stops there, as NONMEM does (its table for dosing-1001 ID 29 decays from 90909): read as
 * an infusion that runs on (as mrgsolve reads it), every later level was too low without a word.
 * Every command that reads records says so, once per file: a data set, and a regimen file (where a
 * JSON regimen's dose is named by its place, `doses.0`, its records' rows being the sorted order);
 * without a file (records built in code), by the record alone.
 */
export function steadyInfusionWarnings(records: readonly DataRecord[], file: string | undefined, at?: Int32Array): string[] {
  // `at`: the positions to read (at least every dose with SS > 0), all where absent: a filter over
  // every record was 8 ms of simulate() on 2,000 subjects' 730,000 own records, a cache miss per
  // record object
  let r: DataRecord | undefined;
  let n = 0;
  const m = at ? at.length : records.length;
  for (let j = 0; j < m; j++) {
    const x = records[at ? (at[j] as number) : j] as DataRecord;
    if (!(x.SS > 0) || x.AMT > 0 || !(x.RATE > 0) || !isDose(x) || runsOn(x, records)) continue;
    r ??= x;
    n++;
  }
  if (!r) return [];
  return [`${file === undefined ? '' : `${file}, `}${recordPlace(r)}: ${n > 1 ? `${n} steady-state infusions` : 'a steady-state infusion'} (SS ${r.SS}, AMT 0, RATE ${r.RATE}) start${n > 1 ? '' : 's'} at the infusion's steady state and stop${n > 1 ? '' : 's'} at ${n > 1 ? 'their records' : 'its record'}, as in NONMEM; for one that runs on, add an infusion from that time (AMT = RATE × its duration)`];
}

/**
 * An infusion at the same rate, starting at the steady-state record's time and compartment, is the
 * warning's own advice taken: the level runs on at RATE/CL and the warning was a false alarm.
 */
function runsOn(ss: DataRecord, records: readonly DataRecord[]): boolean {
  return records.some((x) => x !== ss && isDose(x) && x.ID === ss.ID && x.TIME === ss.TIME && x.CMT === ss.CMT && x.AMT > 0 && x.RATE === ss.RATE && !(x.SS > 0));
}
