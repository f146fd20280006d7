// What the records as a whole say of an estimate or forecast (W_SS_INFUSION, W_INFUSION_OVERLAP, W_COVARIATE_RANGE, W_DOSE_DUPLICATE,
// W_PARAM_REPLACES_DATA, W_COVARIATE_DEFAULT, W_COLUMN_NOT_READ, and a covariate likely in another
// unit: W_RENAL_UNIT and the UNIT_WARNING_CODES), in the library's warnings: the command line alone said them, and an app
// fitted WT 300 under a model built on 40–150, an SS 1, AMT 0, RATE 100 infusion that stops at its
// record, or overrides: { WT: 60 } over a chart of WT 80, without a word. Named by row, without the
// file (the caller's list names it), as the estimate's other warnings.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { SS_INFUSION_CODE, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { COVARIATE_RANGE_CODE, chartedRangeWarnings, covariateRangeWarnings } from '../regimen/covariate-ranges.js';
import { PARAM_REPLACES_CODE, replacedItemMessages } from '../regimen/replaced-items.js';
import { defaultedCovariateProblems, defaultedCovariateWarnings } from '../model/defaulted-inputs.js';
import { suspectUnitWarnings } from '../model/covariate-flags.js';
import { codeDoseDuplicates } from '../regimen/dose-duplicates.js';
import type { MapWarning } from './warnings.js';
import { overriddenEffectWarnings } from './overridden-effects.js';
import { INFUSION_OVERLAP_CODE, infusionOverlapWarnings } from '../regimen/infusion-overlap.js';

/**
 * The codes suspectUnitWarnings's messages carry: simulate() returned them and the command line
 * said them, while estimate(), forecast() and estimateCohort() returned none (Goti 2018 fitted and
 * forecast at CRCL 3, likely mL/s for 180 mL/min, an AUC24 of 1120 for 648, without a word).
 */
export type UnitWarningCode = 'W_RENAL_UNIT' | 'W_SCR_UNIT' | 'W_WEIGHT_UNIT' | 'W_HEIGHT_UNIT' | 'W_AGE_UNIT' | 'W_PMA_UNIT';
export const UNIT_WARNING_CODES: readonly UnitWarningCode[] = ['W_RENAL_UNIT', 'W_SCR_UNIT', 'W_WEIGHT_UNIT', 'W_HEIGHT_UNIT', 'W_AGE_UNIT', 'W_PMA_UNIT'];
const UNIT_CODE = new RegExp(`(?:^|: )(${UNIT_WARNING_CODES.join('|')}): `);

/** suspectUnitWarnings's, each with its code apart from its message ("row 3: CRCL 3 read as …"). */
export function unitWarnings(model: Model, records: readonly DataRecord[], overrides: Readonly<Record<string, number>> | undefined, alongside?: readonly DataRecord[]): { code: UnitWarningCode; message: string }[] {
  return suspectUnitWarnings(model, records, undefined, { overrides, alongside }).map((w) => {
    const m = UNIT_CODE.exec(w);
    // every message carries one of the codes; one that did not would still be said, as W_RENAL_UNIT's kin
    if (!m) return { code: 'W_RENAL_UNIT' as const, message: w };
    return { code: m[1] as UnitWarningCode, message: w.slice(0, m.index) + (m.index === 0 ? '' : ': ') + w.slice(m.index + m[0].length) };
  });
}

const DOSE_DUPLICATE = 'W_DOSE_DUPLICATE';

export function recordSetWarnings(model: Model, records: readonly DataRecord[], overrides: Readonly<Record<string, number>> | undefined, after: string): MapWarning[] {
  // pushed in loops, not spread from map() results: in optimized code an inlined map() makes a
  // holey array where the interpreter's is packed, and the spread deoptimized this function
  const out: MapWarning[] = [];
  for (const message of steadyInfusionWarnings(records, undefined)) out.push({ code: SS_INFUSION_CODE, message });
  // an infusion running past its own next dose (a duration typed in minutes): the fit's levels are of both together
  for (const w of infusionOverlapWarnings(records)) out.push({ code: INFUSION_OVERLAP_CODE, message: w.slice(INFUSION_OVERLAP_CODE.length + 2) });
  for (const message of covariateRangeWarnings(model, records, overrides)) out.push({ code: 'W_COVARIATE_RANGE', message });
  for (const message of replacedItemMessages(model, overrides, records, after)) out.push({ code: 'W_PARAM_REPLACES_DATA', message });
  for (const w of defaultedCovariateProblems(model, records, overrides)) out.push(w);
  for (const w of unitWarnings(model, records, overrides)) out.push(w);
  for (const w of codeDoseDuplicates(records)) out.push({ code: DOSE_DUPLICATE, message: w.slice(DOSE_DUPLICATE.length + 2) });
  for (const w of overriddenEffectWarnings(model, overrides, records)) out.push(w);
  return out;
}

/**
 * forecast()'s: the history's (`records`) and the future regimen's, as text with the code first, as
 * its other warnings; `overrides` replace the history's charted values too.
 */
export function forecastRecordWarnings(model: Model, history: readonly DataRecord[], future: readonly DataRecord[], overrides: Readonly<Record<string, number>> | undefined): string[] {
  return [
    ...steadyInfusionWarnings(history, 'records').map((w) => `${SS_INFUSION_CODE}: ${w}`),
    ...steadyInfusionWarnings(future, 'future regimen').map((w) => `${SS_INFUSION_CODE}: ${w}`),
    // an infusion running past its own next dose, in either (a future 1000 mg over 60 h q12h: auc24 212.8 for 364.8)
    ...infusionOverlapWarnings(history, undefined, 'records: '),
    ...infusionOverlapWarnings(future, undefined, 'future regimen: '),
    ...covariateRangeWarnings(model, history, overrides).map((w) => `${COVARIATE_RANGE_CODE}: records: ${w}`),
    ...chartedRangeWarnings(model, future, overrides).map((w) => `${COVARIATE_RANGE_CODE}: future regimen: ${w}`),
    ...replacedItemMessages(model, overrides, history, ", the history included; to change it from the future regimen on, give it in the future regimen's items").map((w) => `${PARAM_REPLACES_CODE}: ${w}`),
    // the history's: the future regimen's records carry the history's covariates
    ...defaultedCovariateWarnings(model, history, 'records', overrides),
    ...unitWarnings(model, history, overrides, future).map((w) => `${w.code}: records: ${w.message}`),
    // each judged beside the other (a dialysis flag charted in either runs both), as the command line judges them
    ...unitWarnings(model, future, overrides, history).map((w) => `${w.code}: future regimen: ${w.message}`),
    // a dose given twice (records built or edited in code; readNmtran's warnings name a file's)
    ...codeDoseDuplicates(history).map((w) => w.replace(`${DOSE_DUPLICATE}: `, `${DOSE_DUPLICATE}: records: `)),
    ...codeDoseDuplicates(future).map((w) => w.replace(`${DOSE_DUPLICATE}: `, `${DOSE_DUPLICATE}: future regimen: `)),
    // a column's value the future regimen lacks is the history's (said with it)
    ...overriddenEffectWarnings(model, overrides, history, future).map((w) => `${w.code}: ${w.message}`),
  ];
}
