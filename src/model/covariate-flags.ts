// Covariates a model file declares as 0/1 flags (`covariates.NAME.unit: "0/1"`, e.g. DIAL of
// vancomycin_goti_2018). The model's expressions scale or switch by them, so a 2 or a 0.5 would run
// and give a dose or a level no patient has. One rule for every place a value is typed in: the
// browser tool's covariate fields and the command line's --set / --grid / --param.

import { Errors } from '../errors.js';
import { isTextModelFile, type Model } from './model.js';

/** Whether a declared covariate unit marks a 0/1 flag. */
export function isFlagUnit(unit: string | undefined): boolean {
  return unit !== undefined && unit.trim() === '0/1';
}

/**
 * Why `value` cannot be the value of a covariate of declared unit `unit`, as far as the flag rule
 * goes ('must be 0 or 1'), or undefined: also for a unit that is not a flag.
 *
 * @example
 * flagValueProblem('0/1', 2); // 'must be 0 or 1'
 * flagValueProblem('kg', 2); // undefined
 */
export function flagValueProblem(unit: string | undefined, value: number): string | undefined {
  return !isFlagUnit(unit) || value === 0 || value === 1 ? undefined : 'must be 0 or 1';
}

/** The unit the model file declares for covariate `name`, if any (model texts declare none). */
export function declaredCovariateUnit(model: Pick<Model, 'file'>, name: string): string | undefined {
  if (isTextModelFile(model.file)) return undefined;
  const covariates = model.file.covariates ?? {};
  return Object.hasOwn(covariates, name) ? covariates[name]?.unit : undefined;
}

const flagsOf = new WeakMap<object, readonly string[]>();

/** The data items a model reads that its file declares 0/1 flags (usually none). */
export function flagInputs(model: Pick<Model, 'file' | 'inputs'>): readonly string[] {
  let f = flagsOf.get(model);
  if (!f) flagsOf.set(model, (f = model.inputs.filter((n) => isFlagUnit(declaredCovariateUnit(model, n)))));
  return f;
}

/** Refuses a record whose value of a 0/1 flag covariate is another number (a data set's DIAL = 2). */
export function refuseFlagItems(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly { readonly row: number; readonly items: Readonly<Record<string, number>> }[], file?: string): void {
  for (const name of flagInputs(model))
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined || v !== v || v === 0 || v === 1) continue;
      throw Errors.record(r.row, name, v, `${name} is a 0/1 flag of model ${model.name} (unit "0/1"): 0 or 1`, file);
    }
}
