// The explanation section of the CLI's reports lives with the reports (src/report/explain.ts), so
// the browser tool prints the same one.

import type { Model } from '../model/model.js';
import { jsonPlace } from '../regimen/file.js';
import type { DataRecord } from '../regimen/record.js';

import { rangeBreaches, rangeBreachText } from '../report/explain.js';

export { covariateRangeWarnings, explanationSection } from '../report/explain.js';

/**
 * The covariate values a future regimen gives outside the ranges the model file states, one line
 * per covariate, named by the regimen `file` and the record that gives the value
 * (`doses.0.items.CRCL` of a regimen JSON, the row of a regimen CSV). The history's were said
 * (covariateRangeWarnings), a future dose's CRCL 1500 under a range of 10–200 was forecast (CL ≈ 60
 * L/h) without a word. Only the values the regimen gives: those it takes from the history are the
 * history's, said with it, and so are those --param replaces.
 */
export function regimenRangeWarnings(model: Model, future: readonly DataRecord[], file: string, overrides?: Readonly<Record<string, number>>): string[] {
  // an item --param replaces is --param's value, said with the history's
  return rangeBreaches(model, future, overrides).filter((b) => !b.override).map((b) => {
    const first = b.records[0] as DataRecord;
    const place = jsonPlace(first);
    const more = b.records.length > 1 ? ` (and ${b.records.length - 1} more record${b.records.length > 2 ? 's' : ''})` : '';
    return `${file}, ${place === undefined ? `row ${first.row}` : `${place}.items.${b.name}`}: ${rangeBreachText(b, more)}`;
  });
}
