// A steady-state dose (SS = 1 or 2) in a population run under a model whose parameters read the TIME
// data item (busulfan_mccune_2014's CL steps ×0.932 6 h after T_CL_EFF and again at 36 h). The
// engine builds the steady state with the parameters at the record's TIME, then they step: the
// "steady state" does not close (T_CL_EFF 0, 100 mg q24h over 3 h SS at 0 h: 2.172 at 0 h, 3.414 at
// 24 h; a population's mean trough 15.7 for a mean cmin 11.7; AUC24 30,077 where the steady state at
// the later clearance is 31,851, −5.6 %). `optimize` and `nomogram` refuse such a model (timeReadBy,
// unsetInputProblem); `population`, `pta` and `band` ran it without a word. A model text whose
// equations read t keeps its warning (timeSteadyStateWarnings): a rhythm dosed at its period is periodic.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { parametersReadTime, timeReadBy } from '../model/time-free.js';
import type { DataRecord } from '../regimen/record.js';

/** Refuses the first steady-state dose of `records` under a model whose parameters read TIME; `placeOf` names a record (a regimen JSON's `doses.0`). */
export function refuseSteadyStateReadingTime(model: Model, records: readonly DataRecord[], file: string, placeOf: (r: DataRecord) => string = (r) => `row ${r.row}`): void {
  if (!parametersReadTime(model)) return;
  const first = records.find((r) => (r.EVID === 1 || r.EVID === 4) && r.SS > 0);
  if (!first) return;
  throw Errors.option(
    'SS',
    `${file}, ${placeOf(first)} (TIME ${first.TIME}): SS=${first.SS} with model ${model.name}, which reads ${timeReadBy(model) ?? 'TIME'} (they change with time): the steady state is built with the parameters at the record's TIME, which then change, so it is the steady state of neither; give the doses themselves from the first (II and ADDL, without SS), so that the parameters change at their times`,
  );
}
