// The explanation section of the CLI's reports lives with the reports (src/report/explain.ts), so
// the browser tool prints the same one.

import type { Model } from '../model/model.js';
import { jsonPlace } from '../regimen/file.js';
import type { DataRecord } from '../regimen/record.js';

export { covariateRangeWarnings, explanationSection } from '../report/explain.js';

/** Six significant digits, no trailing zeros, as the history's range warnings print them. */
const fmt = (v: number): string => String(Number(v.toPrecision(6)));

/**
 * The covariate values a future regimen gives outside the ranges the model file states
 * (`covariates.NAME.range`), one line per covariate, named by the regimen `file` and the record
 * that gives the value (`doses.0.items.CRCL` of a regimen JSON, the row of a regimen CSV). The
 * history's were said (covariateRangeWarnings), a future dose's CRCL 1500 under a range of 10–200
 * was forecast (CL ≈ 60 L/h) without a word. Only the values the regimen gives: those it takes
 * from the history are the history's, said with it.
 */
export function regimenRangeWarnings(model: Model, future: readonly DataRecord[], file: string): string[] {
  const cov = (model.file as { covariates?: Record<string, { range?: readonly [number, number] }> }).covariates ?? {};
  const out: string[] = [];
  for (const [name, c] of Object.entries(cov)) {
    if (!c.range) continue;
    const [lo, hi] = c.range;
    const bad = future.filter((r) => {
      const v = r.items[name];
      return v !== undefined && !Number.isNaN(v) && (v < lo || v > hi);
    });
    const first = bad[0];
    if (first === undefined) continue;
    const place = jsonPlace(first);
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more record${bad.length > 2 ? 's' : ''})` : '';
    out.push(`${file}, ${place === undefined ? `row ${first.row}` : `${place}.items.${name}`}: ${name} ${fmt(first.items[name] as number)}${more} lies outside ${fmt(lo)}–${fmt(hi)}, the range the model was built on: an extrapolation`);
  }
  return out;
}
