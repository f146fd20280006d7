// Whether a model's exposure is proportional to the dose: its structure must be linear (a built-in
// linear or effect model), and nothing it computes may read the dose record's amount or rate. A
// linear oral model with F1 = AMT > 750 ? 0.5 : 1 was banded and scaled as if doubling the dose
// doubled the exposure.

import type { Model } from './model.js';
import { isDoseProportional } from './structure.js';

/** The dose record's items (AMT, RATE) the model's parameters or dose modifiers read. */
export function doseItemsRead(model: Model): string[] {
  return model.inputs.filter((n) => n === 'AMT' || n === 'RATE');
}

/** Whether every metric of this model scales with the dose (structure and expressions both). */
export function doseProportional(model: Model): boolean {
  return isDoseProportional(model.structure) && doseItemsRead(model).length === 0;
}

/** Why exposure is not proportional to dose for this model (for a refusal), or undefined when it is. */
export function notDoseProportional(model: Model): string | undefined {
  if (!isDoseProportional(model.structure)) return `model ${model.name} is ${model.structure.kind === 'user' ? 'a model text (dose proportionality is not known for it)' : model.structure.kind}`;
  const items = doseItemsRead(model);
  return items.length ? `model ${model.name} reads ${items.join(' and ')} in its parameters or dose modifiers, so its exposure is not` : undefined;
}
