// What a population run's regimen says before any subject is simulated, in the library's `warnings`
// (pta(), the command line's population, which print them from there): a steady-state infusion that
// stops at its record, no dose at all, and the dosing interval the metrics were judged on where the
// records do not state it (W_EARLIER_INTERVAL, W_DOSE_IN_INFUSION, W_IRREGULAR_DOSE, W_II_NOT_REPEATED).

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { noDoseWarnings, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { earlierIntervalWarning, extraDoseWarning, judgedDoseWarning, type RegimenTimes } from './metrics.js';

/**
 * The regimen's warnings, named by `regimen` (its file, or how the caller knows it), in the order the
 * command line has always printed them. `judged`: the metrics (or target clauses) that read the last
 * dosing interval; `explicit`: metrics the user named, whose window may be given instead.
 */
export function regimenWarnings(model: Model, records: readonly DataRecord[], regimen: string, times: RegimenTimes, judged: readonly string[], explicit = false): string[] {
  const said = [earlierIntervalWarning(times, regimen, judged, explicit), extraDoseWarning(times, regimen, judged), judgedDoseWarning(times, regimen, judged)].filter((w) => w !== undefined);
  return [...steadyInfusionWarnings(records, regimen), ...noDoseWarnings(model, records, regimen), ...said];
}
