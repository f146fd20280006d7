// NONMEM's SS = 3 is SS = 1 with one exception: its general steady-state routines (SS6, SS9, for
// $DES models) start their search from the current state. The analytic routines of the linear
// models ignore it, so there SS = 3 is SS = 1 exactly, and the reader takes it as SS = 1 (it was
// refused, "SS must be 0, 1 or 2 (got 3)", though valid NONMEM input). In a model linear in its
// states (a linear or effect built-in, a model text affine in its states) the periodic state is
// unique, so no start can change it. In one that is not (Michaelis–Menten, TMDD, a text with a
// saturable rate) a steady state found from the current state may be another than SS = 1's, so
// SS = 3 is refused there, naming the record, rather than read as SS = 1 without a word.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { isDose, SS_FROM_CURRENT, type DataRecord } from '../regimen/record.js';
import { linearInStates } from './steady-state-add.js';

/** The record's SS item as written (any letter case); the record's SS holds 1 for a 3. */
function ssItem(r: DataRecord): number {
  const v = r.items.SS;
  if (v !== undefined) return v;
  for (const k in r.items) if (k.toUpperCase() === 'SS') return r.items[k] as number;
  return NaN;
}

/** Throws for the first SS = 3 dose of `records` where the model is not linear in its states; `at`: the positions to read (at least every dose with SS > 0), all where absent. */
export function steadyStateThreeRefusal(model: Pick<Model, 'kernel' | 'structure' | 'name'>, records: readonly DataRecord[], file?: string, at?: Int32Array): void {
  if (linearInStates(model)) return;
  const m = at ? at.length : records.length;
  for (let j = 0; j < m; j++) {
    const r = records[at ? (at[j] as number) : j] as DataRecord;
    if (r.SS !== 1 || !isDose(r) || ssItem(r) !== SS_FROM_CURRENT) continue;
    const what = model.kernel ? `model ${model.name}, a model text not linear in its states` : `model ${model.name} (${model.structure.kind}), not linear in its states`;
    throw Errors.record(
      r.row,
      'SS',
      SS_FROM_CURRENT,
      `SS 3 (NONMEM: SS 1 with its steady-state search started from the current state) is read as SS 1 only in a model linear in its states, whose steady state is one whatever the start; in ${what}, the state found from the current one may be another: give SS 1 (dosewise's own search) or the doses themselves (II and ADDL, without SS)`,
      file,
    );
  }
}
