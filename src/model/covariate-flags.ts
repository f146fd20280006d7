// Covariates a model file declares as 0/1 flags (`covariates.NAME.unit: "0/1"`, e.g. DIAL of
// vancomycin_goti_2018). The model's expressions scale or switch by them, so a 2 or a 0.5 would run
// and give a dose or a level no patient has. One rule for every place a value is typed in: the
// browser tool's covariate fields and the command line's --set / --grid / --param.

import { Errors } from '../errors.js';
import { CREATININE_UMOL_L_PER_MG_DL, PLAUSIBLE as CLINICAL } from '../clinical/validate.js';
import { isTextModelFile, type Model } from './model.js';
import { parseCovariateUnit } from './units.js';

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

type ItemRecord = { readonly row: number; readonly items: Readonly<Record<string, number>> };

/**
 * The refusal of record r's item: by its row, or where `placeOf` names the record in a JSON file
 * (`doses.0`), by that field of `file` (a future regimen's dose named by the history's file and a
 * row of the merged records pointed at a row holding another value).
 */
function refuseItem<R extends ItemRecord>(r: R, name: string, v: number, why: string, file?: string, placeOf?: (r: R) => string | undefined): never {
  const place = placeOf?.(r);
  if (place !== undefined && file !== undefined) throw Errors.jsonField(file, `${place}.items.${name}`, why, v);
  throw Errors.record(r.row, name, v, why, file);
}

/** Refuses a record whose value of a 0/1 flag covariate is another number (a data set's DIAL = 2). */
export function refuseFlagItems<R extends ItemRecord>(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly R[], file?: string, placeOf?: (r: R) => string | undefined): void {
  refuseImplausibleItems(model, records, file, placeOf);
  for (const name of flagInputs(model))
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined || v !== v || v === 0 || v === 1) continue;
      refuseItem(r, name, v, `${name} is a 0/1 flag of model ${model.name} (unit "0/1"): 0 or 1`, file, placeOf);
    }
}

/** A unit a quantity is usually written in: its name, dimension (mass, amount, volume, time, length) and size against mg, mmol, L, h, m. */
interface UsualUnit {
  readonly name: string;
  readonly dim: readonly number[];
  readonly factor: number;
}

const MASS_CONCENTRATION = [1, 0, -1, 0, 0];
const AMOUNT_CONCENTRATION = [0, 1, -1, 0, 0];
const LENGTH = [0, 0, 0, 0, 1];
const MASS = [1, 0, 0, 0, 0];
// the calculators' limits (src/clinical/validate.ts), in mg/L and mmol/L: 0.1–40 mg/dL is 1–400
// mg/L and 8.842–3536.8 µmol/L (88.42 µmol/L per mg/dL)
const SCR_MG_L: readonly [number, number] = [CLINICAL.minScrMgDl * 10, CLINICAL.maxScrMgDl * 10];
const SCR_MMOL_L: readonly [number, number] = [(CLINICAL.minScrMgDl * CREATININE_UMOL_L_PER_MG_DL) / 1000, (CLINICAL.maxScrMgDl * CREATININE_UMOL_L_PER_MG_DL) / 1000];

/**
 * Quantities whose usual units differ so much that a value typed in the other one is far outside
 * any patient's range in the declared one: a serum creatinine in mg/dL or µmol/L (88.42-fold: SCR 80
 * in a model reading mg/dL gave Colin 2019 a clearance 5e-23 of its typical value, a 12-h level of
 * 13.88 for 5.48, exiting 0), a height in cm or m (tacrolimus reads HT in m: 175 made the fat-free
 * mass 104.1 kg for a 75-kg man, CL 1226 L/h for 791; McCune reads cm: 1.35 made it 0.007 kg). Found
 * by the covariate's name or the description the model file gives it; the limits are the
 * calculators' (0.1–40 mg/dL, from 8.842 µmol/L; heights from 20 cm to 3 m), looked up by what the
 * declared unit means, not by its spelling: "mg dL-1", "mg/100mL" (mg/dL) and "centimeters" (cm)
 * were not in a table of spellings, so SCR 80 and HT 1.35 ran under them; and SCR 0.08 mg/dL (a
 * value in mmol/L) ran, the table starting mg/dL at 0.
 */
const PLAUSIBLE: readonly {
  readonly what: string;
  readonly names: RegExp;
  readonly words: RegExp;
  /** Descriptions of another quantity, which no range of this one holds (a weight's change). */
  readonly not?: RegExp;
  /** The range in each dimension's base unit (mg/L, mmol/L; m). */
  readonly ranges: readonly { readonly dim: readonly number[]; readonly range: readonly [number, number] }[];
  /** The units a value typed in the wrong one is likely in, named in the refusal when the value is in their range. */
  readonly usual: readonly UsualUnit[];
}[] = [
  {
    what: 'a serum creatinine',
    names: /^(S?CR|S?CREAT|SCR_?MG|CRT)$/i,
    // a serum (or plasma) creatinine, not a urine one (20–300 mg/dL) nor a clearance
    words: /\b((serum|plasma) )?creatinine\b(?! clearance)/i,
    ranges: [
      { dim: MASS_CONCENTRATION, range: SCR_MG_L },
      { dim: AMOUNT_CONCENTRATION, range: SCR_MMOL_L },
    ],
    usual: [
      { name: 'mg/dL', dim: MASS_CONCENTRATION, factor: 10 },
      { name: 'µmol/L', dim: AMOUNT_CONCENTRATION, factor: 1e-3 },
      { name: 'mmol/L', dim: AMOUNT_CONCENTRATION, factor: 1 },
    ],
  },
  {
    // a weight in grams (a neonatal unit's form) ran the Goti model at WT 70000 kg: levels 0.017 for 6.1
    what: 'a body weight',
    names: /^(WT|WGT|WEIGHT|BW|BWT|TBW|WT_?KG|WEIGHT_?KG)$/i,
    words: /\b(total |actual )?body weight\b/i,
    // quantities derived from a weight, which may be 0 or below (an excess weight of a lean patient)
    not: /\b(change|excess|difference|gain|loss|dose|per|minus|ratio|fraction|percent|since|over|above|below)\b|%/i,
    // 0.2–700 kg, in mg
    ranges: [{ dim: MASS, range: [0.2e6, 700e6] }],
    usual: [
      { name: 'kg', dim: MASS, factor: 1e6 },
      { name: 'g', dim: MASS, factor: 1e3 },
    ],
  },
  {
    what: 'a height',
    // a body height or an infant's (recumbent, crown–heel) length; not BL or any "length" (a
    // tumour's baseline length of 4 cm was refused as a height)
    names: /^(HT|HGT|HEIGHT|HT_?CM|HT_?M|BHT)$/i,
    words: /\b(body )?height\b|\b(body|recumbent|crown[- ]heel|supine) length\b/i,
    ranges: [{ dim: LENGTH, range: [0.2, 3] }],
    usual: [
      { name: 'm', dim: LENGTH, factor: 1 },
      { name: 'cm', dim: LENGTH, factor: 0.01 },
      { name: 'mm', dim: LENGTH, factor: 0.001 },
    ],
  },
];

const sameDim = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const round = (x: number): number => Number(x.toPrecision(10));

/** The plausible range of a quantity in a unit ({dim, factor}), rounded to what it is written as (0.1, 8.842), or undefined when the quantity is not in that dimension. */
function rangeIn(q: (typeof PLAUSIBLE)[number], u: { readonly dim: readonly number[]; readonly factor: number }): readonly [number, number] | undefined {
  const r = q.ranges.find((x) => sameDim(x.dim, u.dim))?.range;
  return r && [round(r[0] / u.factor), round(r[1] / u.factor)];
}

/**
 * Why `value` cannot be covariate `name` of `model` in the unit its file declares (a value in the
 * other usual unit of a creatinine or a height), or undefined.
 */
export function implausibleValueProblem(model: Pick<Model, 'file'>, name: string, value: number): string | undefined {
  if (isTextModelFile(model.file) || value !== value) return undefined;
  const all = model.file.covariates ?? {};
  if (!Object.hasOwn(all, name)) return undefined;
  const c = all[name];
  const unit = c?.unit === undefined ? undefined : parseCovariateUnit(c.unit);
  if (!unit) return undefined;
  const desc = c?.description ?? '';
  for (const q of PLAUSIBLE) {
    const range = rangeIn(q, unit);
    if (!range || !(q.names.test(name) || q.words.test(desc)) || /clearance|gfr|urin|tumou?r|lesion/i.test(`${name} ${desc}`) || q.not?.test(desc)) continue;
    const [lo, hi] = range;
    if (value >= lo && value <= hi) continue;
    // the usual units, other than the declared one, in which the value is plausible
    const others = q.usual.filter((o) => !(sameDim(o.dim, unit.dim) && Math.abs(o.factor / unit.factor - 1) < 1e-9)).filter((o) => {
      const r = rangeIn(q, o);
      return r !== undefined && value >= r[0] && value <= r[1];
    });
    const other = others.length > 0 ? others.map((o) => o.name).join(' or ') : 'another unit';
    return `${q.what} in ${c?.unit ?? ''} is ${value < lo ? `at least ${lo}` : `at most ${hi}`} (a value in ${other}?)`;
  }
  return undefined;
}

/** Refuses a record whose creatinine or height is in the other usual unit than the model file declares (see implausibleValueProblem). */
export function refuseImplausibleItems<R extends ItemRecord>(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly R[], file?: string, placeOf?: (r: R) => string | undefined): void {
  for (const name of model.inputs) {
    if (implausibleValueProblem(model, name, -Infinity) === undefined && implausibleValueProblem(model, name, Infinity) === undefined) continue;
    for (const r of records) {
      const v = r.items[name];
      if (v === undefined) continue;
      const why = implausibleValueProblem(model, name, v);
      if (why !== undefined) refuseItem(r, name, v, `${name} of model ${model.name} is in ${declaredCovariateUnit(model, name) ?? ''}: ${why}`, file, placeOf);
    }
  }
}
