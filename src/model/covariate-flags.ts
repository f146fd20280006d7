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
  refuseCreatinineItems(model, records, file);
  for (const name of flagInputs(model))
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined || v !== v || v === 0 || v === 1) continue;
      throw Errors.record(r.row, name, v, `${name} is a 0/1 flag of model ${model.name} (unit "0/1"): 0 or 1`, file);
    }
}

/**
 * A serum creatinine the model file declares in mg/dL or in µmol/L, by its name (SCR, SCREAT, CREAT,
 * CR) or its description ("serum creatinine"): the two units differ 88.42-fold, so a value typed in
 * the other one is a wrong number for every level (SCR 80 in a model reading mg/dL gave Colin 2019
 * a clearance of 5e-23 of its typical value, a 12-h level of 13.88 for 5.48, exiting 0). The limits
 * are the calculators' (0.1–40 mg/dL, 8.842–3,536.8 µmol/L): outside them is the other unit.
 */
export function creatinineValueProblem(model: Pick<Model, 'file'>, name: string, value: number): string | undefined {
  if (isTextModelFile(model.file) || value !== value) return undefined;
  const c = (model.file.covariates ?? {})[name];
  if (!c || !Object.hasOwn(model.file.covariates ?? {}, name)) return undefined;
  const isCreatinine = /^(S?CR|SCREAT|S?CREAT|SCR_?MG|CRT)$/i.test(name) || /\bcreatinine\b/i.test(c.description ?? '');
  if (!isCreatinine || /cl(earance)?\b|crcl|gfr/i.test(`${name} ${c.description ?? ''}`.replace(/serum creatinine/gi, ''))) return undefined;
  const unit = (c.unit ?? '').replace(/\s/g, '').replace(/μ/g, 'µ').toLowerCase();
  if (unit === 'mg/dl' && value > 40) return `a serum creatinine in mg/dL is at most 40 (a value in µmol/L? ${value} µmol/L is ${Number((value / 88.42).toPrecision(4))} mg/dL)`;
  if ((unit === 'µmol/l' || unit === 'umol/l') && value > 0 && value < 8.842) return `a serum creatinine in µmol/L is at least 8.842 (a value in mg/dL? ${value} mg/dL is ${Number((value * 88.42).toPrecision(4))} µmol/L)`;
  return undefined;
}

/** Refuses a record whose serum creatinine is in the other unit than the model file declares (see creatinineValueProblem). */
export function refuseCreatinineItems(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly { readonly row: number; readonly items: Readonly<Record<string, number>> }[], file?: string): void {
  for (const name of model.inputs) {
    if (creatinineValueProblem(model, name, 1) === undefined && creatinineValueProblem(model, name, 100) === undefined) continue;
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined) continue;
      const why = creatinineValueProblem(model, name, v);
      if (why !== undefined) throw Errors.record(r.row, name, v, `${name} of model ${model.name} is in ${declaredCovariateUnit(model, name) ?? ''}: ${why}`, file);
    }
  }
}
