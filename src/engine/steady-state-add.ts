// An SS = 2 dose into a model whose equations are not linear in its states. dosewise adds the dose's
// periodic state less the undosed one (the state the model settles at without doses) to the current
// state (assembly/driver.ts steadyState()): a superposition, exact for linear kinetics only. For an
// indirect response (init(R) = KIN/KOUT = 20, R 5.9902 before 50 mg q12h SS=2, whose periodic R is
// 7.9156) it gave R = 5.9902 + 7.9156 − 20 = −6.0942 with exit 0, and NONMEM's literal sum (13.906)
// is no state either; only W_NEGATIVE_AMOUNT spoke, advising a tighter rtol that changed nothing.

import type { Model } from '../model/model.js';
import { builtinOf } from '../model/structure.js';
import { recordPlace } from '../regimen/file.js';
import type { DataRecord } from '../regimen/record.js';

export const SS2_NONLINEAR_CODE = 'W_SS2_NONLINEAR';

type LinearityModel = Pick<Model, 'kernel' | 'structure'>;

/** Whether superposition holds for the model's states: a model text propagated exactly, or a built-in linear in its states. */
export function linearInStates(model: LinearityModel): boolean {
  return model.kernel ? model.kernel.linear : builtinOf(model.structure.kind)?.linearInStates === true;
}

/** Why the model is not linear in its states, for the messages. */
function notLinear(model: LinearityModel & Pick<Model, 'name'>): string {
  if (model.kernel) return model.kernel.readsTime ? 'a model text whose equations read t (not known to be linear in its states)' : 'a model text whose equations are not linear in its states';
  return `${model.structure.kind}, whose equations are not linear in its states`;
}

const isAdd = (r: DataRecord): boolean => (r.EVID === 1 || r.EVID === 4) && r.SS === 2;

/** W_SS2_NONLINEAR (one warning, or none) for the SS = 2 dose records of `records`; `at`: the positions to read (the records that are not observations), all where absent. */
export function steadyStateAddWarnings(model: LinearityModel & Pick<Model, 'name'>, records: readonly DataRecord[], file?: string, at?: Int32Array): string[] {
  if (linearInStates(model)) return [];
  let first: DataRecord | undefined;
  let count = 0;
  const n = at ? at.length : records.length;
  for (let k = 0; k < n; k++) {
    const r = records[at ? (at[k] as number) : k] as DataRecord;
    if (!isAdd(r)) continue;
    count++;
    first ??= r;
  }
  if (first === undefined) return [];
  const more = count > 1 ? ` (and ${count - 1} more SS=2 dose record${count > 2 ? 's' : ''})` : '';
  return [
    `${SS2_NONLINEAR_CODE}: ${file ? `${file}, ` : ''}${recordPlace(first)} (ID ${first.ID}, TIME ${first.TIME})${more}: SS=2 with model ${model.name} (${notLinear(model)}). ` +
      `SS=2 adds the dose's steady state less the undosed one (the state the model settles at without doses) to the current state: a superposition, which holds for linear kinetics only. ` +
      `Here the result is not the state (it may even be negative); NONMEM's literal sum (current + steady state) is not either. Give SS=1 to replace the state with the steady state, or give the doses themselves (ADDL).`,
  ];
}

/**
 * The SS = 2 dose record at or before position `row` of its ID (records[from..row]) under a model
 * not linear in its states, or undefined: a negative state there is the superposition's, not the
 * solver's, and a tighter rtol is no advice.
 */
export function steadyStateAddBefore(model: LinearityModel, records: readonly DataRecord[], from: number, row: number): DataRecord | undefined {
  if (linearInStates(model)) return undefined;
  for (let r = row; r >= from; r--) {
    const rec = records[r] as DataRecord;
    if (isAdd(rec)) return rec;
    // a reset or an SS = 1 dose replaces the state: what came before it is gone
    if (rec.EVID === 3 || rec.EVID === 4 || (rec.EVID === 1 && rec.SS === 1)) return undefined;
  }
  return undefined;
}
