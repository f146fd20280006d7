// Whether a model's equations or parameters read the time: a model text's t, a built-in's own
// (Claret's kill rate decays with t), or the TIME data item in its parameters. One free of the time
// repeats each dosing interval at steady state, so one interval holds every exposure of the steady
// state (auc24 as AUCτ·24/τ), where the day's 24/τ intervals of a q6h regimen cost four times the rows.

import type { Model } from './model.js';
import { builtinOf } from './structure.js';

/** Whether the model's equations read t (not the TIME data item). */
export function equationsReadTime(model: Pick<Model, 'kernel' | 'structure'>): boolean {
  return model.kernel?.readsTime === true || builtinOf(model.structure.kind)?.readsTime === true;
}

export function parametersFreeOfTime(model: Model): boolean {
  return !model.inputs.includes('TIME') && !equationsReadTime(model);
}
