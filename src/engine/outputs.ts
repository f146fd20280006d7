// Which measured quantity an observation record is, for models with several outputs (parent and
// metabolite, total and unbound): its DVID names it (NONMEM's usual data item), else its CMT. The
// engine predicts an observation from the compartment in CMT (amount / S<CMT>; CMT 0 = the model's
// observed compartment), so a DVID whose output sits in another compartment than the record's is
// refused rather than scored against the wrong prediction.

import { Errors } from '../errors.js';
import type { Model, Output, Residual } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { dataItem } from '../regimen/record.js';


/** The output an observation record measures (undefined for a model with one output). */
export function recordOutput(model: Model, rec: DataRecord, file?: string): Output | undefined {
  const outputs = model.outputs;
  if (!outputs) return undefined;
  const predicted = rec.CMT > 0 ? rec.CMT : model.observeCompartment;
  const dvid = dataItem(rec.items, 'DVID');
  if (!Number.isNaN(dvid)) {
    const o = outputs.get(dvid);
    if (!o) throw Errors.record(rec.row, 'DVID', dvid, `the model's outputs are DVID ${[...outputs.keys()].join(', ')}`, file);
    if (o.compartment !== predicted)
      throw Errors.record(rec.row, 'CMT', rec.CMT, `DVID ${dvid} (${o.name}) is measured in compartment ${o.compartment}: give CMT ${o.compartment}${rec.items.CMT === undefined && !Object.keys(rec.items).some((k) => k.toUpperCase() === 'CMT') ? ' (the data set has no CMT column: add one)' : ''}`, file);
    return o;
  }
  for (const o of outputs.values()) if (o.compartment === predicted) return o;
  throw Errors.record(rec.row, 'DVID', undefined, `no output of the model measures compartment ${predicted}: give DVID (${[...outputs.keys()].join(', ')}) or CMT`, file);
}

/** The residual error model of an observation record: its output's, or the model's. */
export function recordResidual(model: Model, rec: DataRecord, file?: string): Residual | undefined {
  return recordOutput(model, rec, file)?.residual ?? model.residual;
}
