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

/**
 * What simulate refuses of a data set's steady states: SS = 3 where it is not SS = 1, and any SS in
 * a model whose equations read t and never repeat an interval. `file` names the refusal. Apart from
 * the warnings so that a caller whose warnings are file-less (simulateReplicates(): the command line
 * puts the file before each) still names the file in a refusal, as simulate does.
 */
export function steadyStateRefusals(model: Pick<Model, 'kernel' | 'structure' | 'name'>, records: readonly DataRecord[], file?: string, at?: Int32Array): void {
  steadyStateThreeRefusal(model, records, file, at);
  if (builtinOf(model.structure.kind)?.readsTime !== true) return;
  const first = steadyDoses(records, at)[0];
  if (first) throw Errors.option('SS', `${placeOf(first, file)}: SS=${first.SS} with model ${model.name} (${model.structure.kind}), whose equations read the time t and never repeat an interval: there is no steady state; give the doses themselves (ADDL)`);
}

/** The steady-state doses of `records` (`at`: the positions to read, at least every dose with SS > 0; all where absent). */
function steadyDoses(records: readonly DataRecord[], at?: Int32Array): DataRecord[] {
  return (at ? Array.from(at, (i) => records[i] as DataRecord) : records).filter((r) => (r.EVID === 1 || r.EVID === 4) && r.SS > 0);
}

const placeOf = (r: DataRecord, file?: string): string => `${file ? `${file}, ` : ''}row ${r.row} (ID ${r.ID}, TIME ${r.TIME})`;

/** One warning (or none) for the steady-state doses of `records` under a model that reads t; a refusal where no interval repeats. */
export function timeSteadyStateWarnings(model: Pick<Model, 'kernel' | 'structure' | 'name'>, records: readonly DataRecord[], file?: string, at?: Int32Array): string[] {
  // every path that judges a data set's steady states (simulate, the commands' data-set warnings,
  // a population's regimen) comes through here first: SS = 3 where it is not SS = 1 is refused,
  // and a steady state in a model that never repeats an interval
  steadyStateRefusals(model, records, file, at);
  if (!model.kernel?.readsTime) return [];
  const ss = steadyDoses(records, at);
  const first = ss[0];
  if (!first) return [];
  const where = placeOf(first, file);
  const more = ss.length > 1 ? ` (and ${ss.length - 1} more steady-state dose record${ss.length > 2 ? 's' : ''})` : '';
  return [
    `${where}${more}: SS=${first.SS} with a model whose equations read t. The steady state is the periodic state of the interval TIME to TIME + II, with t running on from TIME in every cycle: exact only when the t terms repeat every II; otherwise no steady state exists and the values depend on the record's TIME.`,
  ];
}
