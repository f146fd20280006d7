// Whether a model's parameters are free of the time: it reads no TIME data item and its model text
// no t. Its steady state then repeats each dosing interval exactly, so one interval holds every
// exposure of the steady state (auc24 as AUCτ·24/τ), where the day's 24/τ intervals of a q6h regimen
// cost four times the rows.

import type { Model } from './model.js';

export function parametersFreeOfTime(model: Model): boolean {
  return !model.inputs.includes('TIME') && model.kernel?.readsTime !== true;
}
