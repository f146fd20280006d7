// A measured level recorded against a compartment that has no scale predicts that compartment's
// amount, as in NONMEM (F = A(n)/S(n), S(n) = 1 when not set): CMT 2 in a two-compartment IV model
// is the peripheral amount in mg, fitted against a concentration in mg/L (η_CL 3.87, about 12 SD,
// with only an "implausible level" warning). Said once per data set.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';

export function amountObservationWarnings(model: Pick<Model, 'outputs' | 'observeCompartment' | 'parameterNames' | 'stateNames'>, records: readonly DataRecord[], file?: string): string[] {
  if (model.outputs) return [];
  let count = 0;
  let first: DataRecord | undefined;
  for (const r of records) {
    if (r.EVID !== 0 || r.MDV !== 0 || !(r.CMT > 0) || r.CMT === model.observeCompartment || model.parameterNames.includes(`S${r.CMT}`)) continue;
    count++;
    first ??= r;
  }
  if (!first) return [];
  const name = model.stateNames[first.CMT - 1];
  return [
    `${file ? `${file}, ` : ''}row ${first.row}: ${count === 1 ? 'a level' : `${count} levels`} with CMT ${first.CMT}${name ? ` (${name})` : ''} predict${count === 1 ? 's' : ''} the amount in that compartment, not a concentration (it has no scale S${first.CMT}; the model observes compartment ${model.observeCompartment}): write CMT 0 or ${model.observeCompartment} for a concentration`,
  ];
}
