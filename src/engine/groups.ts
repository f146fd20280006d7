// Parameter-set groups: the records of one subject (a regimen, a patient) that differ in
// model-relevant items need their own kernel parameter sets; records with the same key share one.
// Many subjects (a population chunk, the points of a MAP stencil) then share one event table in
// which record r reads set groupOf[r], each subject bringing its own sets in group order.

import type { Evaluation, Model, Modifiers } from '../model/model.js';
import { undosedStates } from '../model/structure.js';
import { compileTable, type EventTable, textStates } from '../regimen/compile.js';
import { type DataRecord, refuseDurItem } from '../regimen/record.js';
import { relevantNames } from './relevant-items.js';

export interface ParameterGroups {
  /** Group per record. */
  readonly groupOf: Int32Array;
  /** One representative record per group (its first). */
  readonly groupRecord: readonly number[];
}

/** Groups records by `key` (records with equal keys share a parameter set). */
export function parameterGroups(records: readonly DataRecord[], key: (r: DataRecord, i: number) => string): ParameterGroups {
  const groupOf = new Int32Array(records.length);
  const groupRecord: number[] = [];
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const k = key(r, i);
    let g = seen.get(k);
    if (g === undefined) {
      g = groupRecord.length;
      seen.set(k, g);
      groupRecord.push(i);
    }
    groupOf[i] = g;
  });
  return { groupOf, groupRecord };
}

/**
 * The slot vector each group starts from: the model's inputs read from the group's record by
 * `valueOf` (absent or NaN → the input's default); random effects and sampled values go on top.
 * Here records meet the model's inputs, so a DUR item it does not read is refused here too (the MAP
 * objective and population runs both start from these bases).
 */
export function groupBases(model: Model, records: readonly DataRecord[], groupRecord: readonly number[], valueOf: (r: DataRecord, name: string) => number | undefined, file?: string): Float64Array[] {
  refuseDurItem(records, relevantNames(model), file, model.observeCompartment);
  const ev = model.slots;
  // loops, not map(): TurboFan's inlined map() makes a holey array where the interpreter's is packed,
  // and each reader of the list compiled for one was deoptimized by the other ("wrong map")
  const inputSlots: number[] = [];
  for (const name of ev.inputs) inputSlots.push(ev.slot(name));
  const bases: Float64Array[] = [];
  for (const r of groupRecord) {
    const rec = records[r] as DataRecord;
    const base = new Float64Array(ev.nSlots);
    for (let i = 0; i < ev.inputs.length; i++) {
      const x = valueOf(rec, ev.inputs[i] as string);
      base[inputSlots[i] as number] = x !== undefined && !Number.isNaN(x) ? x : (ev.defaults[i] as number);
    }
    bases.push(base);
  }
  return bases;
}

/** Compiles the records into one table whose record r reads parameter set groupOf[r]. */
export function compileGrouped(model: Model, records: readonly DataRecord[], groupOf: Int32Array, evals: readonly Evaluation[], file?: string): EventTable {
  return compileTable(records, evals, { nStates: model.nStates, timeVarying: model.timeVarying, parIndex: groupOf, observedIndex: model.observeCompartment - 1, file, textStates: textStates(model), undosed: undosedStates(model.structure) });
}

/** Per-record evaluations from the groups' kernel sets (G × stride) and modifiers, for compileGrouped. */
export function groupEvaluations(groupOf: Int32Array, kernels: Float64Array, mods: readonly Modifiers[], stride: number): Evaluation[] {
  // one object per group, shared by its records: the MAP objective calls this for every point
  const perGroup = new Map<number, Evaluation>();
  return Array.from(groupOf, (g) => {
    let e = perGroup.get(g);
    if (!e) {
      const m = mods[g] as Modifiers;
      perGroup.set(g, (e = { lag: m.lag, F: m.F, R: m.R, D: m.D, S: m.S, switches: m.switches, kernel: kernels.subarray(g * stride, (g + 1) * stride), values: {} }));
    }
    return e;
  });
}
