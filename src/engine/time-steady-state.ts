// A steady-state dose (SS = 1 or 2) in a model whose equations read the time t. The engine solves
// for the periodic state of the dosing interval that starts at the dose's TIME, with t running on
// from that TIME in every cycle, as the repeated doses before it had seen the same stretch of time
// again and again. That is the steady state only when the t terms repeat every II (a 24-h rhythm
// dosed every 24 h); otherwise no steady state exists and the number depends on where the record
// sits in time. Not refused in a model text (the periodic case is real), but said, naming the
// record; refused in a built-in whose t terms never repeat (Claret's kill rate decays as e^(−γ·t):
// SS = 1 gave the fixed point of drug-free growth, a tumour size of −8283, with exit 0).

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { builtinOf } from '../model/structure.js';
import type { DataRecord } from '../regimen/record.js';
import { steadyStateThreeRefusal } from './steady-state-three.js';

/** One warning (or none) for the steady-state doses of `records` under a model that reads t; a refusal where no interval repeats. */
export function timeSteadyStateWarnings(model: Pick<Model, 'kernel' | 'structure' | 'name'>, records: readonly DataRecord[], file?: string, at?: Int32Array): string[] {
  // every path that judges a data set's steady states (simulate, the commands' data-set warnings,
  // a population's regimen) comes through here first: SS = 3 where it is not SS = 1 is refused
  steadyStateThreeRefusal(model, records, file, at);
  const never = builtinOf(model.structure.kind)?.readsTime === true;
  if (!model.kernel?.readsTime && !never) return [];
  // `at`: the positions to read (at least every dose with SS > 0; all where absent)
  const ss = (at ? Array.from(at, (i) => records[i] as DataRecord) : records).filter((r) => (r.EVID === 1 || r.EVID === 4) && r.SS > 0);
  const first = ss[0];
  if (!first) return [];
  const where = `${file ? `${file}, ` : ''}row ${first.row} (ID ${first.ID}, TIME ${first.TIME})`;
  if (never)
    throw Errors.option('SS', `${where}: SS=${first.SS} with model ${model.name} (${model.structure.kind}), whose equations read the time t and never repeat an interval: there is no steady state; give the doses themselves (ADDL)`);
  const more = ss.length > 1 ? ` (and ${ss.length - 1} more steady-state dose record${ss.length > 2 ? 's' : ''})` : '';
  return [
    `${where}${more}: SS=${first.SS} with a model whose equations read t. The steady state is the periodic state of the interval TIME to TIME + II, with t running on from TIME in every cycle: exact only when the t terms repeat every II; otherwise no steady state exists and the values depend on the record's TIME.`,
  ];
}
