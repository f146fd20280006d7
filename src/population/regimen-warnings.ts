// What a population run's regimen says before any subject is simulated, in the library's `warnings`
// (pta(), the command line's population, which print them from there): a steady-state infusion that
// stops at its record, no dose at all, and the dosing interval the metrics were judged on where the
// records do not state it (W_EARLIER_INTERVAL, W_DOSE_IN_INFUSION, W_IRREGULAR_DOSE, W_II_NOT_REPEATED),
// and an infusion longer than its own interval (W_INFUSION_OVERLAP): a duration typed in minutes
// ("dur": 60 for 1 h, q12h SS) gave a trough PTA of 34.5 % for 30.0 % with no word, where simulate,
// estimate and forecast said it.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { recordFromItems } from '../regimen/nmtran.js';
import { noDoseWarnings, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { infusionOverlapWarnings } from '../regimen/infusion-overlap.js';
import { earlierIntervalWarning, extraDoseWarning, judgedDoseWarning, parseMetricSpec, readsLastInterval, regimenTimesOf, typicalDuration, type RegimenTimes } from './metrics.js';
import { planSampler, probeSubject } from './chunk.js';
import type { PopulationPlan } from './plan.js';

/**
 * The regimen's warnings, named by `regimen` (its file, or how the caller knows it), in the order the
 * command line has always printed them. `judged`: the metrics (or target clauses) that read the last
 * dosing interval; `explicit`: metrics the user named, whose window may be given instead.
 */
export function regimenWarnings(model: Model, records: readonly DataRecord[], regimen: string, times: RegimenTimes, judged: readonly string[], explicit = false): string[] {
  const said = [earlierIntervalWarning(times, regimen, judged, explicit), extraDoseWarning(times, regimen, judged), judgedDoseWarning(times, regimen, judged)].filter((w) => w !== undefined);
  return [...steadyInfusionWarnings(records, regimen), ...noDoseWarnings(model, records, regimen), ...said, ...infusionOverlapWarnings(records, regimen)];
}

/**
 * The same of a population plan's regimen, as runStudy() says them: named `regimen`, its records by
 * row (a plan keeps no file), every metric that reads the last interval judged; a modelled infusion's
 * length is the typical subject's with the probe subject's covariates, as pta reads it. pta() and
 * bandPopulation(), which say them of their regimens by name or file, leave these out of runStudy()'s.
 */
export function planRegimenWarnings(plan: PopulationPlan, model: Model): string[] {
  const records = plan.regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen'));
  if (records.length === 0) return [];
  const sampler = planSampler(plan);
  const times = regimenTimesOf(records, undefined, typicalDuration(model, sampler === undefined ? {} : probeSubject(sampler)));
  const judged = plan.metrics.filter((d) => readsInterval(d.name)).map((d) => d.name);
  return regimenWarnings(model, records, 'regimen', times, judged, true);
}

/** Whether the metric named `name` reads the last dosing interval; a name that is no metric text (a design's own) reads none. */
function readsInterval(name: string): boolean {
  try {
    return readsLastInterval(parseMetricSpec(name));
  } catch {
    return false;
  }
}
