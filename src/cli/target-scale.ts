// W_TARGET_SCALE on standard error (src/design/targets/target-scale.ts): the one check of a target's
// scale, said by every command that reads targets (optimize, nomogram, pta, band) before its run.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { isDose } from '../regimen/record.js';
import { regimenTimesOf } from '../population/metrics.js';
import { type ScaleReference, type ScaledValue, specValues, targetScaleWarnings } from '../design/targets/target-scale.js';
import { type TargetSpec, targetWarnings } from '../design/targets/targets.js';

export function warnTargetScale(model: Model, values: readonly ScaledValue[], ref: ScaleReference): void {
  for (const w of targetScaleWarnings(model, values, ref)) process.stderr.write(`dosewise: warning: ${w}\n`);
}

/** W_TARGET_DEGENERATE (a point window, a minimum of 0, clauses on one metric) and W_TARGET_SCALE of a target spec. */
export function warnTargetSpec(model: Model, spec: TargetSpec, ref: ScaleReference): void {
  for (const w of targetWarnings(spec)) process.stderr.write(`dosewise: warning: ${w}\n`);
  warnTargetScale(model, specValues(spec), ref);
}

/** A patient's covariates as its first record holds them (optimize's data), for the typical patient. */
export function recordCovariates(model: Model, records: readonly DataRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of model.inputs) {
    const v = records.map((r) => r.items[name]).find((x) => x !== undefined && Number.isFinite(x));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A regimen's doses and dosing interval (pta, band), for a model without a standard dose. */
export function regimenReference(records: readonly DataRecord[]): Pick<ScaleReference, 'doses' | 'interval'> {
  const doses = records.filter(isDose).map((r) => r.AMT).filter((x) => x > 0);
  let interval: number | undefined;
  try {
    interval = regimenTimesOf(records).tau;
  } catch {
    interval = undefined;
  }
  return { doses, ...(interval !== undefined && interval > 0 ? { interval } : {}) };
}
