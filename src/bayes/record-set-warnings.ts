// What the records as a whole say of an estimate or forecast (W_SS_INFUSION, W_COVARIATE_RANGE,
// W_PARAM_REPLACES_DATA, W_COVARIATE_DEFAULT, W_COLUMN_NOT_READ), in the library's warnings: the command line alone said them, and an app
// fitted WT 300 under a model built on 40–150, an SS 1, AMT 0, RATE 100 infusion that stops at its
// record, or overrides: { WT: 60 } over a chart of WT 80, without a word. Named by row, without the
// file (the caller's list names it), as the estimate's other warnings.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { SS_INFUSION_CODE, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { COVARIATE_RANGE_CODE, chartedRangeWarnings, covariateRangeWarnings } from '../regimen/covariate-ranges.js';
import { PARAM_REPLACES_CODE, replacedItemMessages } from '../regimen/replaced-items.js';
import { defaultedCovariateProblems, defaultedCovariateWarnings } from '../model/defaulted-inputs.js';
import type { MapWarning } from './warnings.js';

export function recordSetWarnings(model: Model, records: readonly DataRecord[], overrides: Readonly<Record<string, number>> | undefined, after: string): MapWarning[] {
  return [
    ...steadyInfusionWarnings(records, undefined).map((message) => ({ code: SS_INFUSION_CODE, message })),
    ...covariateRangeWarnings(model, records, overrides).map((message) => ({ code: 'W_COVARIATE_RANGE' as const, message })),
    ...replacedItemMessages(model, overrides, records, after).map((message) => ({ code: 'W_PARAM_REPLACES_DATA' as const, message })),
    ...defaultedCovariateProblems(model, records, overrides),
  ];
}

/**
 * forecast()'s: the history's (`records`) and the future regimen's, as text with the code first, as
 * its other warnings; `overrides` replace the history's charted values too.
 */
export function forecastRecordWarnings(model: Model, history: readonly DataRecord[], future: readonly DataRecord[], overrides: Readonly<Record<string, number>> | undefined): string[] {
  return [
    ...steadyInfusionWarnings(history, 'records').map((w) => `${SS_INFUSION_CODE}: ${w}`),
    ...steadyInfusionWarnings(future, 'future regimen').map((w) => `${SS_INFUSION_CODE}: ${w}`),
    ...covariateRangeWarnings(model, history, overrides).map((w) => `${COVARIATE_RANGE_CODE}: records: ${w}`),
    ...chartedRangeWarnings(model, future, overrides).map((w) => `${COVARIATE_RANGE_CODE}: future regimen: ${w}`),
    ...replacedItemMessages(model, overrides, history, ", the history included; to change it from the future regimen on, give it in the future regimen's items").map((w) => `${PARAM_REPLACES_CODE}: ${w}`),
    // the history's: the future regimen's records carry the history's covariates
    ...defaultedCovariateWarnings(model, history, 'records', overrides),
  ];
}
