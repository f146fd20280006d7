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
  refuseImplausibleItems(model, records, file);
  for (const name of flagInputs(model))
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined || v !== v || v === 0 || v === 1) continue;
      throw Errors.record(r.row, name, v, `${name} is a 0/1 flag of model ${model.name} (unit "0/1"): 0 or 1`, file);
    }
}

/**
 * Quantities whose usual units differ so much that a value typed in the other one is far outside
 * any patient's range in the declared one: a serum creatinine in mg/dL or µmol/L (88.42-fold: SCR 80
 * in a model reading mg/dL gave Colin 2019 a clearance 5e-23 of its typical value, a 12-h level of
 * 13.88 for 5.48, exiting 0), a height in cm or m (tacrolimus reads HT in m: 175 made the fat-free
 * mass 104.1 kg for a 75-kg man, CL 1226 L/h for 791; McCune reads cm: 1.35 made it 0.007 kg). Found
 * by the covariate's name or the description the model file gives it; the limits are the
 * calculators' (0.1–40 mg/dL; heights from 20 cm to 3 m).
 */
const PLAUSIBLE: readonly { readonly what: string; readonly names: RegExp; readonly words: RegExp; readonly units: Readonly<Record<string, readonly [number, number, string]>> }[] = [
  {
    what: 'a serum creatinine',
    names: /^(S?CR|S?CREAT|SCR_?MG|CRT)$/i,
    // a serum (or plasma) creatinine, not a urine one (20–300 mg/dL) nor a clearance
    words: /\b((serum|plasma) )?creatinine\b(?! clearance)/i,
    units: { 'mg/dl': [0, 40, 'µmol/L'], 'µmol/l': [8.842, Infinity, 'mg/dL'], 'umol/l': [8.842, Infinity, 'mg/dL'] },
  },
  {
    what: 'a height',
    // a body height or an infant's (recumbent, crown–heel) length; not BL or any "length" (a
    // tumour's baseline length of 4 cm was refused as a height)
    names: /^(HT|HGT|HEIGHT|HT_?CM|HT_?M|BHT)$/i,
    words: /\b(body )?height\b|\b(body|recumbent|crown[- ]heel|supine) length\b/i,
    units: { cm: [20, 300, 'm'], m: [0.2, 3, 'cm'] },
  },
];

/**
 * Why `value` cannot be covariate `name` of `model` in the unit its file declares (a value in the
 * other usual unit of a creatinine or a height), or undefined.
 */
export function implausibleValueProblem(model: Pick<Model, 'file'>, name: string, value: number): string | undefined {
  if (isTextModelFile(model.file) || value !== value) return undefined;
  const all = model.file.covariates ?? {};
  if (!Object.hasOwn(all, name)) return undefined;
  const c = all[name];
  const unit = (c?.unit ?? '').replace(/\s/g, '').replace(/μ/g, 'µ').toLowerCase();
  const desc = c?.description ?? '';
  for (const q of PLAUSIBLE) {
    const range = q.units[unit];
    if (!range || !(q.names.test(name) || q.words.test(desc)) || /clearance|gfr|urin|tumou?r|lesion/i.test(`${name} ${desc}`)) continue;
    const [lo, hi, other] = range;
    if (value < lo) return `${q.what} in ${c?.unit ?? ''} is at least ${lo} (a value in ${other}?)`;
    if (value > hi) return `${q.what} in ${c?.unit ?? ''} is at most ${hi} (a value in ${other}?)`;
  }
  return undefined;
}

/** Refuses a record whose creatinine or height is in the other usual unit than the model file declares (see implausibleValueProblem). */
export function refuseImplausibleItems(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly { readonly row: number; readonly items: Readonly<Record<string, number>> }[], file?: string): void {
  for (const name of model.inputs) {
    if (implausibleValueProblem(model, name, -Infinity) === undefined && implausibleValueProblem(model, name, Infinity) === undefined) continue;
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined) continue;
      const why = implausibleValueProblem(model, name, v);
      if (why !== undefined) throw Errors.record(r.row, name, v, `${name} of model ${model.name} is in ${declaredCovariateUnit(model, name) ?? ''}: ${why}`, file);
    }
  }
}
