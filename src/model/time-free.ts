// Whether a model's equations or parameters read the time: a model text's t, a built-in's own
// (Claret's kill rate decays with t), or the TIME data item in what the engine reads. One free of the
// time repeats each dosing interval at steady state, so one interval holds every exposure of the
// steady state (auc24 as AUCτ·24/τ), where the day's 24/τ intervals of a q6h regimen cost four times
// the rows.

import type { Model } from './model.js';
import { builtinOf } from './structure.js';

const TIME_ITEM: ReadonlySet<string> = new Set(['TIME']);

/** Whether the model's equations read t (not the TIME data item). */
export function equationsReadTime(model: Pick<Model, 'kernel' | 'structure'>): boolean {
  return model.kernel?.readsTime === true || builtinOf(model.structure.kind)?.readsTime === true;
}

/**
 * Whether the parameters the engine reads read the TIME data item (busulfan's CL steps at 6 and
 * 36 h). A derived value for the report alone (DAY = floor(TIME/24)+1) changes no exposure: a
 * model with one was refused by optimize as changing with time.
 */
export function parametersReadTime(model: Pick<Model, 'inputs' | 'slots'>): boolean {
  return model.inputs.includes('TIME') && model.slots.engineDependsOn(TIME_ITEM);
}

export function parametersFreeOfTime(model: Model): boolean {
  return !parametersReadTime(model) && !equationsReadTime(model);
}

/**
 * What of the model reads the time, for a refusal where a steady state runs on a clock of its own
 * from 0 (no time of the patient's course): 'TIME in its parameters', 'the time t in its equations', or
 * undefined for a model free of the time.
 */
export function timeReadBy(model: Model): string | undefined {
  if (parametersReadTime(model)) return 'TIME in its parameters';
  return equationsReadTime(model) ? 'the time t in its equations' : undefined;
}
