// W_MODEL_APPROXIMATION: a model file whose caveat starts with APPROXIMATION departs from its
// publication (Størset 2014 tacrolimus outputs the plasma concentration where the paper and every
// TDM level are whole blood: `nomogram --target trough=8` advised 101 mg q12h, the dose for a plasma
// trough of 8 µg/L, 2.70 mg for a whole-blood one). The command line said it on standard error when
// it loaded the model, and nowhere else: not in --json warnings, nor in the library's results, so an
// app fitting whole-blood levels under it was told nothing. Said here from the model itself.

import { isPlainObject } from '../plain-object.js';
import type { Model } from './model.js';
import { implausibleVarianceWarnings } from './variance-plausible.js';

export const MODEL_APPROXIMATION_CODE = 'W_MODEL_APPROXIMATION';

/**
 * The warning's text after its code ("model tacrolimus_storset_2014: APPROXIMATION - whole blood
 * omitted: …; its output is ug/L plasma (dose in mg): levels and targets are read on that scale
 * (the model file's caveat says more)"), or undefined where the model's caveat says no APPROXIMATION.
 * `file`: the model's file as given (the command line's JSON), else the model's own.
 */
export function approximationMessage(model: Pick<Model, 'name' | 'file'>, file: unknown = model.file): string | undefined {
  if (!isPlainObject(file)) return undefined;
  const caveat = typeof file.caveat === 'string' ? file.caveat : '';
  if (!/^APPROXIMATION\b/.test(caveat)) return undefined;
  const first = /^(.*?)\.(\s|$)/s.exec(caveat)?.[1] ?? caveat;
  const unit = isPlainObject(file.observe) && typeof file.observe.unit === 'string' ? `; its output is ${file.observe.unit}` : '';
  return `model ${model.name}: ${first}${unit}: levels and targets are read on that scale (the model file's caveat says more)`;
}

/** The warning with its code first, as simulate()'s and forecast()'s warnings are written; undefined where none. */
export function approximationWarning(model: Pick<Model, 'name' | 'file'>, file?: unknown): string | undefined {
  const m = approximationMessage(model, file ?? model.file);
  return m === undefined ? undefined : `${MODEL_APPROXIMATION_CODE}: ${m}`;
}

/**
 * The model's own warnings in a list with the code first: this one (if any), then
 * W_OMEGA_IMPLAUSIBLE of a variance far beyond published models' (model/variance-plausible.ts).
 */
export function approximationWarnings(model: Pick<Model, 'name' | 'file'> & Partial<Pick<Model, 'omega' | 'iov' | 'residual' | 'outputs'>>): string[] {
  const w = approximationWarning(model);
  return [...(w === undefined ? [] : [w]), ...implausibleVarianceWarnings(model)];
}
