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

/** Whether superposition holds for the model's states: a model text affine in its states (t may drift its rates), or a built-in linear in its states. */
export function linearInStates(model: LinearityModel): boolean {
  return model.kernel ? model.kernel.affine : builtinOf(model.structure.kind)?.linearInStates === true;
}

/** Why the model is not linear in its states, for the messages. */
function notLinear(model: LinearityModel & Pick<Model, 'name'>): string {
  if (model.kernel) return 'a model text whose equations are not linear in its states';
  return `${model.structure.kind}, whose equations are not linear in its states`;
}

const isAdd = (r: DataRecord): boolean => (r.EVID === 1 || r.EVID === 4) && r.SS === 2;
const isDoseGiven = (r: DataRecord): boolean => (r.EVID === 1 || r.EVID === 4) && (r.AMT > 0 || r.RATE > 0);

/**
 * Whether the model, left without doses, stays at its initial state: the built-ins but claret (a
 * tumour grows without drug), a model text without init() (its compartments start at 0). Then the
 * state before an ID's first dose is the undosed state SS = 2 subtracts, and the sum is the steady
 * state exactly (mm-iv 50 mg q12h SS=2 at 30 h: 50.05077784, as SS=1 and scipy). A text with init()
 * may start away from the equilibrium it settles at, which cannot be told without solving it.
 */
function startsAtRest(model: LinearityModel): boolean {
  if (model.kernel) return (model.structure.user?.init ?? []).every((a) => a === undefined || (a.k === 'num' && a.v === 0));
  return model.structure.kind !== 'claret';
}

/** The positions of the SS = 2 dose records an earlier dose's drug can still be under (since the ID's start or its last reset). */
function addedOnDrug(model: LinearityModel, records: readonly DataRecord[], at?: Int32Array): DataRecord[] {
  const rest = startsAtRest(model);
  const out: DataRecord[] = [];
  let id: number | undefined;
  let dosed = false;
  const n = at ? at.length : records.length;
  for (let k = 0; k < n; k++) {
    const r = records[at ? (at[k] as number) : k] as DataRecord;
    // EVID 4 resets before its dose: the record itself follows the reset
    if (r.ID !== id || r.EVID === 3 || r.EVID === 4) dosed = false;
    id = r.ID;
    if (isAdd(r) && (dosed || !rest)) out.push(r);
    if (isDoseGiven(r)) dosed = true;
  }
  return out;
}

/** W_SS2_NONLINEAR (one warning, or none) for the SS = 2 dose records of `records`; `at`: the positions to read (the records that are not observations), all where absent; `placeOf`: a record's place in its file. */
export function steadyStateAddWarnings(model: LinearityModel & Pick<Model, 'name'>, records: readonly DataRecord[], file?: string, at?: Int32Array, placeOf: (r: DataRecord) => string = recordPlace): string[] {
  if (linearInStates(model)) return [];
  // an SS = 2 dose onto the undosed state (an ID's first dose, after a reset) is the steady state exactly
  const added = addedOnDrug(model, records, at);
  const first = added[0];
  if (first === undefined) return [];
  const count = added.length;
  const more = count > 1 ? ` (and ${count - 1} more SS=2 dose record${count > 2 ? 's' : ''})` : '';
  return [
    `${SS2_NONLINEAR_CODE}: ${file ? `${file}, ` : ''}${placeOf(first)} (ID ${first.ID}, TIME ${first.TIME})${more}: SS=2 with model ${model.name} (${notLinear(model)}). ` +
      `SS=2 adds the dose's steady state less the undosed one (the state the model settles at without doses) to the current state: a superposition, which holds for linear kinetics only. ` +
      `Here the result is not the state (it may even be negative); NONMEM's literal sum (current + steady state) is not either. Give SS=1 to replace the state with the steady state, or give the doses themselves (ADDL).`,
  ];
}

/**
 * The SS = 2 dose record at or before position `row` of its ID (records[from..row]) under a model
 * not linear in its states, or undefined: a negative state there is the superposition's, not the
 * solver's, and a tighter rtol is no advice. One onto the undosed state (no dose before it since
 * the ID's start or a reset) is the steady state exactly, and is not blamed.
 */
export function steadyStateAddBefore(model: LinearityModel, records: readonly DataRecord[], from: number, row: number): DataRecord | undefined {
  if (linearInStates(model)) return undefined;
  for (let r = row; r >= from; r--) {
    const rec = records[r] as DataRecord;
    if (isAdd(rec)) return addedOnDrug(model, records.slice(from, r + 1)).includes(rec) ? rec : undefined;
    // a reset or an SS = 1 dose replaces the state: what came before it is gone
    if (rec.EVID === 3 || rec.EVID === 4 || (rec.EVID === 1 && rec.SS === 1)) return undefined;
  }
  return undefined;
}
