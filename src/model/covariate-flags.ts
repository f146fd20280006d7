// Covariates a model file declares as 0/1 flags (`covariates.NAME.unit: "0/1"`, e.g. DIAL of
// vancomycin_goti_2018). The model's expressions scale or switch by them, so a 2 or a 0.5 would run
// and give a dose or a level no patient has. One rule for every place a value is typed in: the
// browser tool's covariate fields and the command line's --set / --grid / --param.

import { Errors } from '../errors.js';
import { CREATININE_UMOL_L_PER_MG_DL, PLAUSIBLE as CLINICAL } from '../clinical/validate.js';
import { heightForAgeUnitWarning } from './height-age-unit.js';
import { isTextModelFile, type Model } from './model.js';
import { parseCovariateUnit } from './units.js';
import { ageBodyWarning, ageCovariates, pmaFloorProblem, type BodyCovariates } from './age-body.js';

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

/**
 * Refuses a record whose value of a 0/1 flag covariate is another number (a data set's DIAL = 2).
 * `overrides` (values that replace the records' own on every record) are judged on each record
 * beside the record's other values.
 */
export function refuseFlagItems<R extends ItemRecord>(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly R[], file?: string, placeOf?: (r: R) => string | undefined, overrides?: Readonly<Record<string, number>>): void {
  refuseImplausibleItems(model, records, file, placeOf, overrides);
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
  /** Descriptions that name the quantity as the measure of something else, exempt where the name is not the quantity's (a dose by body weight). */
  readonly wordsNot?: RegExp;
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
    // a current, daily, working or birth weight and the weights derived from one (fat-free, lean,
    // ideal, adjusted) are body weights too: CW 800 (grams) ran a 26-week infant as 800 kg
    names: /^(WT|WGT|WGHT|WEIGHT|BW|BWT|BWG|TBW|CW|CWT|CURWT|WTCUR|DW|BIRTHWT|FFM|LBW|LBM|IBW|ABW|ADJBW|WT_?KG|WEIGHT_?KG)$/i,
    // another name is a body weight only where its description names one: any "… weight" took
    // DWT "delta weight (kg) from admission" and PDOSE "liver graft weight" (g) for body weights,
    // and refused DWT −3 and PDOSE 150
    words: /\b(body|current|birth|actual|total|dry|admission|working)\s+weight\b|\bweight of the patient\b|\bpatient'?s? weight\b/i,
    // a weight's name is exempt only by a description that plainly says change, difference or
    // ratio (which may be 0 or below: the excess weight of a lean patient); "per", "dose" or
    // "since" exempted WT "body weight at the time of each dose", which then ran at 70000 kg
    not: /\b(change|excess|difference|gain|loss|minus|increase|decrease|ratio|fraction|percent|percentage|z-?score|centile|percentile)\b|%/i,
    // another name's description may name a body weight as what something else is measured from or
    // by: "weight above ideal body weight", "weight deviation from dry weight" (−3 kg refused),
    // "prednisolone dose (not scaled by body weight)"
    wordsNot: /\b(dose|doses|dosing|above|over|below|under|lost|removed|gained|delta|variation|deviation|organ|graft|transplant|liver|kidney|heart|lung|spleen|brain|placenta)\b/i,
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
  if (value !== value) return undefined;
  const pma = pmaFloorProblem(model, name, value);
  if (pma !== undefined) return pma;
  const found = checkedQuantity(model, name);
  if (!found) return undefined;
  const { q, unit, range, declared } = found;
  {
    const [lo, hi] = range;
    if (value >= lo && value <= hi) return undefined;
    // the usual units, other than the declared one, in which the value is plausible
    const others = q.usual.filter((o) => !(sameDim(o.dim, unit.dim) && Math.abs(o.factor / unit.factor - 1) < 1e-9)).filter((o) => {
      const r = rangeIn(q, o);
      return r !== undefined && value >= r[0] && value <= r[1];
    });
    const other = others.length > 0 ? others.map((o) => o.name).join(' or ') : 'another unit';
    return `${q.what} in ${declared} is ${value < lo ? `at least ${lo}` : `at most ${hi}`} (a value in ${other}?)`;
  }
}

type Quantity = (typeof PLAUSIBLE)[number];

/** The quantity (creatinine, weight, height) covariate `name` of the model file is, with its declared unit and plausible range in it, or undefined. */
function checkedQuantity(model: Pick<Model, 'file'>, name: string): Checked | undefined {
  if (isTextModelFile(model.file)) return undefined;
  const all = model.file.covariates ?? {};
  if (!Object.hasOwn(all, name)) return undefined;
  const c = all[name];
  // asked for every record and covariate a unit warning reads (estimateCohort: each patient's);
  // kept per model file and name while the unit and description it was read from stay
  let byName = checkedCache.get(model.file);
  if (!byName) checkedCache.set(model.file, (byName = new Map()));
  const seen = byName.get(name);
  if (seen && seen.unit === c?.unit && seen.description === c?.description) return seen.found;
  const found = readQuantity(name, c);
  byName.set(name, { unit: c?.unit, description: c?.description, found });
  return found;
}

type Checked = { q: Quantity; unit: { dim: number[]; factor: number }; range: readonly [number, number]; declared: string };
const checkedCache = new WeakMap<object, Map<string, { unit?: string; description?: string; found: Checked | undefined }>>();

function readQuantity(name: string, c: { readonly unit?: string; readonly description?: string } | undefined): Checked | undefined {
  const unit = c?.unit === undefined ? undefined : parseCovariateUnit(c.unit);
  if (!unit) return undefined;
  const desc = c?.description ?? '';
  for (const q of PLAUSIBLE) {
    const range = rangeIn(q, unit);
    const named = q.names.test(name) || (q.words.test(desc) && !q.wordsNot?.test(desc));
    if (!range || !named || /clearance|gfr|urin|tumou?r|lesion/i.test(`${name} ${desc}`) || q.not?.test(desc)) continue;
    return { q, unit, range, declared: c?.unit ?? '' };
  }
  return undefined;
}

/**
 * Values inside a quantity's range that are more likely in another unit (the limits and their
 * reasons: CLINICAL.suspectScrMgDl, suspectWeightKg): SCR 30 µmol/L read as mg/dL gave Colin 2019 a
 * CL of 1e-9 L/h, a 450-g infant read as 450 kg a level of 0.0236 for 15.45. Warned in an adult,
 * refused in a neonate or child (PMA < 60 weeks, age < 18 years), above CLINICAL.childMaxScrMgDl.
 */
const SUSPECT: readonly { readonly what: Quantity['what']; readonly dim: readonly number[]; readonly above: number; readonly childAbove: number; readonly code: string; readonly other: string; readonly toBase: (v: number) => number }[] = [
  { what: 'a serum creatinine', dim: MASS_CONCENTRATION, above: CLINICAL.suspectScrMgDl * 10, childAbove: CLINICAL.childMaxScrMgDl * 10, code: 'W_SCR_UNIT', other: 'µmol/L', toBase: (v) => (v / CREATININE_UMOL_L_PER_MG_DL) * 10 },
  { what: 'a body weight', dim: MASS, above: CLINICAL.suspectWeightKg * 1e6, childAbove: CLINICAL.suspectWeightKg * 1e6, code: 'W_WEIGHT_UNIT', other: 'grams', toBase: (v) => v * 1e3 },
];

/**
 * A creatinine clearance or GFR in mL/s (SI: 1.2 mL/s is 72 mL/min) read as mL/min: Goti 2018 ran a
 * patient at CRCL 1.2 with a 24-h AUC of 1120.03 and a trough of 49.44 for 648.35 and 21.25 at 72
 * mL/min, without a word. The clearance/GFR covariates are left out of the plausibility ranges
 * (checkedQuantity): an anuric patient's clearance is near 0, so a low value is warned, never refused.
 * From SUSPECT_RENAL.min (below it, 6 mL/min if in mL/s, either reading is a kidney that hardly
 * filters) to below SUSPECT_RENAL.below (300 mL/min in mL/s, beyond augmented renal clearance).
 */
const SUSPECT_RENAL = { min: 0.1, below: 5, mlMin: 0.06, perArea: 1.73 } as const;
const VOLUME_PER_TIME = [0, 0, 1, -1, 0];
const VOLUME_PER_TIME_AREA = [0, 0, 1, -1, -2];
const RENAL_NAME = /^(CRCL|CLCR|CL_?CR|CLCREAT|CRCL\w+|CLCR\w+|CLCREAT\w+|E?GFR\w*|MGFR)$/i;
const RENAL_WORDS = /\bcreatinine clearance\b|\bglomerular filtration\b|\be?GFR\b/i;
/** A 0/1 flag that puts the patient on dialysis or renal replacement, whose clearance is no kidney's. */
const DIALYSIS = /^(DIAL\w*|HD|CRRT|CVVH\w*|RRT|ECMO_?RRT)$|dialy|haemofiltr|hemofiltr|renal replacement/i;

/** Whether a data column's name says dialysis or renal replacement (HD, CRRT, HEMODIALYSIS). */
export function dialysisName(name: string): boolean {
  return DIALYSIS.test(name);
}

/** The 0/1 flags of the model that say the patient is on dialysis (Goti 2018's DIAL). */
export function dialysisFlags(model: Pick<Model, 'file'>): string[] {
  if (isTextModelFile(model.file)) return [];
  // a loop, not filter().map(): an optimized caller's inlined map() made a holey list where the
  // interpreter's was packed, and suspectUnitWarnings, compiled for one, was deoptimized by the other
  const out: string[] = [];
  for (const [n, c] of Object.entries(model.file.covariates ?? {})) if (isFlagUnit(c.unit) && (DIALYSIS.test(n) || DIALYSIS.test(c.description ?? ''))) out.push(n);
  return out;
}

/** Whether covariate `name` is a renal clearance or GFR the model file declares in mL/min (or mL/min/1.73 m²), with that unit. */
function renalMlMinUnit(model: Pick<Model, 'file'>, name: string): string | undefined {
  const u = renalUnit(model, name);
  return u !== undefined && u.mlMin ? u.declared : undefined;
}

/**
 * A renal clearance or GFR the model file declares in a volume per time (per 1.73 m² or not): the
 * unit as declared, its size in L/h, and whether it is mL/min (or mL/min/1.73 m²).
 */
function renalUnit(model: Pick<Model, 'file'>, name: string): { readonly declared: string; readonly lPerH: number; readonly mlMin: boolean } | undefined {
  if (isTextModelFile(model.file)) return undefined;
  const all = model.file.covariates ?? {};
  if (!Object.hasOwn(all, name)) return undefined;
  const c = all[name];
  const desc = c?.description ?? '';
  if (!RENAL_NAME.test(name) && !RENAL_WORDS.test(desc)) return undefined;
  // a model file that gives no unit but names it in the description ("creatinine clearance, mL/min")
  const declared = c?.unit ?? /\bm?L\s*\/\s*(min|h|s)\b(\s*\/\s*1\.73\s*m(²|2|\^2))?/i.exec(desc)?.[0];
  const unit = declared === undefined ? undefined : parseCovariateUnit(declared);
  if (!unit) return undefined;
  const mlMin = sameDim(unit.dim, VOLUME_PER_TIME) ? SUSPECT_RENAL.mlMin : sameDim(unit.dim, VOLUME_PER_TIME_AREA) ? SUSPECT_RENAL.mlMin / SUSPECT_RENAL.perArea : undefined;
  if (mlMin === undefined || declared === undefined) return undefined;
  // mL/s, L/h or any other size: a value of 1.2 is what it says
  return { declared, lPerH: unit.factor * (SUSPECT_RENAL.mlMin / mlMin), mlMin: Math.abs(unit.factor / mlMin - 1) < 1e-9 };
}

/**
 * A clearance in L/h above this (250 mL/min) is more likely a value in mL/min. Augmented renal
 * clearance starts at 130 mL/min and its cohorts' medians are near 200 (measured 8- or 24-h urine
 * clearances); a value above 250 is seldom measured, while a mL/min reading above 15 L/h is every
 * patient from 15 mL/min up. The bound was 25 L/h (417 mL/min): Buelga 2005 reads CRCL in L/h, and
 * CRCL 20 (mL/min, severe impairment) ran at CL 21.6 L/h, `nomogram` advising 5,400 mg q12h for 324
 * (1.2 L/h), without a word. Below it (a mL/min reading of under 15, kidney failure) the two readings
 * cannot be told apart: the nomogram states the grid's unit (renalReadingNote).
 */
const RENAL_L_PER_H_ABOVE = 15;
const RENAL_ML_MIN_ABOVE = RENAL_L_PER_H_ABOVE / SUSPECT_RENAL.mlMin;

/** mL/min in 1 L/h. */
const ML_MIN_PER_L_H = 1000 / 60;

/**
 * The mL/min a value in L/h must read as for the L/h reading to be offered: an ordinary adult's
 * clearance. Many popPK models read CRCL in L/h, and 6 (L/h, 100 mL/min) sent to Goti 2018 (mL/min)
 * ran as kidney failure without a word, optimizeRegimen advising 500 mg q48h for 1000 mg q12h (8×
 * less); 5-15 mL/min is also real kidney failure, so it is warned, never refused. Below 30 mL/min
 * (under 1.8) the L/h reading is itself impaired and not offered, above 200 (over 12) it is augmented.
 */
const RENAL_L_PER_H_READING = { from: 30, to: 200 } as const;

/**
 * A set of values of one renal covariate judged as a whole (a nomogram's --grid axis, a resampled
 * table's column) is in mL/min where its largest is above this: CRCL=10:150:20 runs to 150, which as
 * L/h would be 2,500 mL/min, so its 10 is kidney failure in mL/min and not offered the L/h reading
 * (a false W_RENAL_UNIT on an ordinary renal dosing table). A set all within 5-15 still is.
 */
export const RENAL_SET_ML_MIN_ABOVE = 30;

/**
 * W_RENAL_UNIT where renal covariate `name` in mL/min is `value` from 0.1 to below 5 (a value in mL/s?),
 * or from 1.8 to 12 (a value in L/h? 30-200 mL/min; not where `largest`, the largest value of the grid
 * axis or table column it is judged with, is above RENAL_SET_ML_MIN_ABOVE), unless `items` set a dialysis flag of the model or make the patient a neonate or child (an absolute
 * GFR of 1-5 mL/min is a preterm's normal, and 60 times it no neonate's); undefined otherwise.
 */
export function renalUnitWarning(model: Pick<Model, 'file'>, name: string, value: number, items: Readonly<Record<string, number>> = {}, largest?: number): string | undefined {
  const u = renalUnit(model, name);
  if (u !== undefined && !u.mlMin && value * u.lPerH > RENAL_L_PER_H_ABOVE) {
    const inMlMin = +((value * u.lPerH) / SUSPECT_RENAL.mlMin).toPrecision(4);
    const asMlMin = +((value * SUSPECT_RENAL.mlMin) / u.lPerH).toPrecision(6);
    return `W_RENAL_UNIT: ${name} ${value} read as ${value} ${u.declared} (${inMlMin} mL/min, above the ${RENAL_ML_MIN_ABOVE} mL/min even augmented renal clearance seldom exceeds); if this is mL/min, it is ${asMlMin} ${u.declared}: convert it to ${u.declared}`;
  }
  const mlS = value >= SUSPECT_RENAL.min && value < SUSPECT_RENAL.below;
  // `largest`: the largest value of the set `value` is judged with (a grid axis); one above
  // RENAL_SET_ML_MIN_ABOVE makes the set mL/min, so the L/h reading is not offered for its low points
  const setInMlMin = largest !== undefined && largest > RENAL_SET_ML_MIN_ABOVE;
  const lH = !setInMlMin && round(value * ML_MIN_PER_L_H) >= RENAL_L_PER_H_READING.from && round(value * ML_MIN_PER_L_H) <= RENAL_L_PER_H_READING.to;
  if (!mlS && !lH) return undefined;
  const declared = renalMlMinUnit(model, name);
  if (declared === undefined || dialysisFlags(model).some((f) => items[f] === 1) || youngPatient(model, items) !== undefined) return undefined;
  const asLH = `if this is L/h, it is ${+(value * ML_MIN_PER_L_H).toPrecision(4)} ${declared} (×16.67)`;
  if (!mlS) return `W_RENAL_UNIT: ${name} ${value} read as ${value} ${declared} (kidney failure); ${asLH}. Kidney failure has such values: if it is in L/h, convert it to ${declared}`;
  const asMlS = `if this is mL/s, it is ${+(value * 60).toPrecision(6)} ${declared}`;
  if (!lH) return `W_RENAL_UNIT: ${name} ${value} read as ${value} ${declared}; ${asMlS}. Near-anuric patients have such values: if it is in mL/s, convert it to ${declared}`;
  return `W_RENAL_UNIT: ${name} ${value} read as ${value} ${declared}; ${asMlS}; ${asLH}. Near-anuric patients have such values: if it is in mL/s or L/h, convert it to ${declared}`;
}

/**
 * How the values of renal covariate `name` read where the model takes it in another unit than
 * mL/min (Buelga 2005: L/h): "CRCL is in L/h, not mL/min: 1.2–30 L/h are 20–500 mL/min; …", for a
 * table whose axis a clinician would read in mL/min; undefined for any other covariate.
 */
export function renalReadingNote(model: Pick<Model, 'file'>, name: string, values: readonly number[]): string | undefined {
  const u = renalUnit(model, name);
  if (u === undefined || u.mlMin || values.length === 0) return undefined;
  const mlMin = (v: number): number => +((v * u.lPerH) / SUSPECT_RENAL.mlMin).toPrecision(4);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const range = lo === hi ? `${lo} ${u.declared} is ${mlMin(lo)} mL/min` : `${lo}–${hi} ${u.declared} are ${mlMin(lo)}–${mlMin(hi)} mL/min`;
  const per = +(SUSPECT_RENAL.mlMin / u.lPerH).toPrecision(6);
  return `${name} is in ${u.declared}, not mL/min: ${range}; to give a clearance in mL/min, multiply it by ${per} (20 mL/min is ${+(20 * per).toPrecision(6)} ${u.declared})`;
}

/** Ages by which a patient is a neonate or child: a postmenstrual age under 60 weeks, any other age under 18 years (in h). */
const PMA_CHILD_H = 60 * 168;
const AGE_CHILD_H = 18 * 8766;

/** The age covariate of `items` that makes the patient a neonate or a child (`PMA 42 weeks`), or undefined. */
export function youngPatient(model: Pick<Model, 'file'>, items: Readonly<Record<string, number>>): string | undefined {
  if (isTextModelFile(model.file)) return undefined;
  for (const [name, c] of Object.entries(model.file.covariates ?? {})) {
    const v = items[name];
    const unit = c.unit === undefined ? undefined : parseCovariateUnit(c.unit);
    if (v === undefined || !(v >= 0) || !unit || !sameDim(unit.dim, [0, 0, 0, 1, 0])) continue;
    const text = `${name} ${c.description ?? ''}`;
    // a gestational age at birth stays under 60 weeks for life
    if (/\b(GA|gestational)\b/i.test(text) && !/post/i.test(text)) continue;
    const pma = /^(PMA|PCA)$/i.test(name) || /post-?(menstrual|conceptional)/i.test(text);
    const limit = pma ? PMA_CHILD_H : /\bage\b|^(AGE|PNA)/i.test(text) ? AGE_CHILD_H : undefined;
    if (limit !== undefined && v * unit.factor < limit) return `${name} ${v} ${c.unit}`;
  }
  return undefined;
}

/**
 * A value of covariate `name` plausible in its declared unit and yet more likely another (see
 * SUSPECT): `refuse` where `items` (the record's or --set's other values) make the patient a neonate
 * or a child, else `warning` (W_SCR_UNIT, W_WEIGHT_UNIT, and W_RENAL_UNIT, never refused); undefined for any other value.
 */
export function suspectUnitProblem(model: Pick<Model, 'file'>, name: string, value: number, items: Readonly<Record<string, number>> = {}, largest?: number): { readonly refuse?: string; readonly warning?: string } | undefined {
  const renal = renalUnitWarning(model, name, value, items, largest);
  if (renal !== undefined) return { warning: renal };
  const found = checkedQuantity(model, name);
  const s = found && SUSPECT.find((x) => x.what === found.q.what && sameDim(x.dim, found.unit.dim));
  if (!found || !s || !(value * found.unit.factor > s.childAbove || value * found.unit.factor > s.above)) return undefined;
  const { unit, declared } = found;
  const young = value * unit.factor > s.childAbove ? youngPatient(model, items) : undefined;
  const as = round(s.toBase(value) / unit.factor);
  const read = `${name} ${value} read as ${value} ${declared}; in ${s.other} it is ${+as.toPrecision(3)} ${declared}`;
  if (young !== undefined) return { refuse: `${found.q.what} above ${round(s.childAbove / unit.factor)} ${declared} with ${young} (a neonate or child) is a value in another unit: ${read}. Give ${name} in ${declared}` };
  if (value * unit.factor <= s.above) return undefined;
  // no patient's in the other unit either (WT 1e300 "in grams it is 1e+297 kg. If it is in grams, convert it"): no conversion helps
  if (as * unit.factor > s.above) return { warning: `${s.code}: ${name} ${value} read as ${value} ${declared}, and in ${s.other} it is ${+as.toPrecision(3)} ${declared}: implausible for ${found.q.what} in either unit; check the value` };
  return { warning: `${s.code}: ${read}. If it is in ${s.other}, convert it to ${declared}` };
}

/** What runs beside a data set's records: the values `overrides` give in place of theirs, and `alongside`, more records of the same patients (a forecast's history or future regimen). */
export interface UnitContext {
  readonly overrides?: Readonly<Record<string, number>>;
  readonly alongside?: readonly ItemRecord[];
  /** How an override is named (`--param CRCL=2`); by default `overrides.CRCL = 2`. */
  readonly overrideName?: (name: string, value: number) => string;
}

/**
 * The W_SCR_UNIT / W_WEIGHT_UNIT / W_RENAL_UNIT / W_HEIGHT_UNIT warnings of a data set's records, one
 * per covariate, naming the first row and its value; judged on the values that run (an override
 * replaces the records' value, which is then not warned) with the patient's dialysis flag from any
 * of its records, the overrides' or those `alongside` (whose flag counts for every patient).
 */
export function suspectUnitWarnings<R extends ItemRecord>(model: Pick<Model, 'file' | 'inputs'>, records: readonly R[], file?: string, context: UnitContext = {}): string[] {
  const where = (r: R): string => `${file ? `${file}, ` : ''}row ${r.row}`;
  const out: string[] = [];
  const over = Object.fromEntries(Object.entries(context.overrides ?? {}).filter(([n]) => model.inputs.includes(n)));
  // a patient on dialysis on any of its records (the flag may be set from a later session on)
  const flags = dialysisFlags(model);
  const idOf = (r: R): unknown => (r as { readonly ID?: unknown }).ID;
  const flagged = (items: Readonly<Record<string, number>>): boolean => flags.some((f) => items[f] === 1);
  const everyone = flagged(over) || (context.alongside ?? []).some((r) => flagged(r.items));
  const onDialysis = new Set(flags.length ? records.filter((r) => flagged(r.items)).map(idOf) : []);
  const dialysed = Object.fromEntries(flags.map((f) => [f, 1]));
  const overridden = Object.keys(over).length > 0;
  // the record's own items where nothing replaces or adds to them: estimateCohort asks this of each
  // patient, and a copy per record and check was 8 MB of garbage per 2,000 W-map patients
  const itemsOf = (r: R): Readonly<Record<string, number>> => {
    const dialysis = everyone || onDialysis.has(idOf(r));
    return !overridden && !dialysis ? r.items : { ...r.items, ...over, ...(dialysis ? dialysed : {}) };
  };
  for (const name of model.inputs) {
    const replaced = over[name];
    if (replaced !== undefined) {
      // one value for every record: said once, by its name, if it is suspect beside any record
      const hit = (records.length ? records.map(itemsOf) : [over]).map((items) => suspectUnitProblem(model, name, replaced, items)?.warning).find((w) => w !== undefined);
      if (hit !== undefined) out.push(`${context.overrideName?.(name, replaced) ?? `overrides.${name} = ${replaced}`}: ${hit}`);
      continue;
    }
    const hits = records.flatMap((r) => {
      const v = r.items[name];
      const w = v === undefined ? undefined : suspectUnitProblem(model, name, v, itemsOf(r))?.warning;
      return w === undefined ? [] : [{ r, w }];
    });
    const first = hits[0];
    if (first) out.push(`${where(first.r)}${hits.length > 1 ? ` (and ${hits.length - 1} more)` : ''}: ${first.w}`);
  }
  // the two per-record passes below only where the model reads what they judge: without an age
  // covariate patientAgeWarning is undefined for every record, and patientHeightUnitWarning without a
  // weight and height pair or a height in cm beside an age (2,000 W-gp subjects' 730,000 records
  // went through both for nothing: 45 % of simulate()'s time, three WeakMap reads per record)
  const ages = ageCovariates(model).length > 0;
  const height = bodyCovariates(model).height;
  const heights = bodyPair(model) !== undefined || (ages && height !== undefined && Math.abs(height.cmPerUnit - 1) < 1e-12);
  const aged = ages ? records.filter((r) => patientAgeWarning(model, itemsOf(r)) !== undefined) : [];
  if (aged[0]) out.push(`${where(aged[0])}${aged.length > 1 ? ` (and ${aged.length - 1} more)` : ''}: ${patientAgeWarning(model, itemsOf(aged[0])) as string}`);
  // with the values that replace the rows' own (--param HT=37 on rows of WT 14 ran without a word)
  const tall = heights ? records.filter((r) => patientHeightUnitWarning(model, itemsOf(r)) !== undefined) : [];
  const first = tall[0];
  if (first) out.push(`${where(first)}${tall.length > 1 ? ` (and ${tall.length - 1} more)` : ''}: ${patientHeightUnitWarning(model, itemsOf(first)) as string}`);
  return out;
}

const pairsOf = new WeakMap<object, { pair: BodyPair | undefined }>();

type BodyPair = { wt: string; kg: number; ht: string; m: number };

/**
 * The model's weight and height covariates with their sizes in kg and m, where it reads both; kept
 * per model (as bodyCovariates): asked twice for every record of every patient of a cohort.
 */
function bodyPair(model: Pick<Model, 'file' | 'inputs'>): BodyPair | undefined {
  let b = pairsOf.get(model);
  if (!b) pairsOf.set(model, (b = { pair: findBodyPair(model) }));
  return b.pair;
}

function findBodyPair(model: Pick<Model, 'file' | 'inputs'>): BodyPair | undefined {
  const of = (what: string, which = /./): { name: string; factor: number } | undefined => {
    for (const name of model.inputs) {
      const f = checkedQuantity(model, name);
      if (f?.q.what === what && which.test(name)) return { name, factor: f.unit.factor };
    }
    return undefined;
  };
  // the current weight, not a birth or a lean weight
  const w = of('a body weight', /^(WT|WGT|WGHT|WEIGHT|TBW|CW|CWT|CURWT|WTCUR|DW|WT_?KG|WEIGHT_?KG)$/i);
  const h = of('a height');
  return w && h ? { wt: w.name, kg: w.factor / 1e6, ht: h.name, m: h.factor } : undefined;
}

/** W_HEIGHT_UNIT where a height and a weight make a body-mass index above CLINICAL.heightUnitBmi (a height in inches read as cm). */
function heightUnitBmi(body: { wt: string; kg: number; ht: string; m: number }, items: Readonly<Record<string, number>>): string | undefined {
  const w = items[body.wt];
  const h = items[body.ht];
  if (w === undefined || h === undefined || !(w > 0 && h > 0)) return undefined;
  return heightUnitWarning(body.ht, h, `${body.wt} ${w}`, (w * body.kg) / (h * body.m) ** 2, body.m);
}

/**
 * W_HEIGHT_UNIT of one patient's values (a data row, a nomogram cell, a population's typical
 * subject): a height in cm that with the weight makes a body-mass index above
 * CLINICAL.heightUnitBmi, or, where the items give an age, lies outside the growth charts' heights
 * for it while read as inches it lies inside (height-age-unit.ts); undefined otherwise. A nomogram
 * and a population had no such check: HT 37 (inches) beside WT 14 and AGE 3 gave busulfan 48.6 mg
 * for 63.9 at 94 cm.
 */
export function patientHeightUnitWarning(model: Pick<Model, 'file' | 'inputs'>, items: Readonly<Record<string, number>>): string | undefined {
  const body = bodyPair(model);
  const bmi = body ? heightUnitBmi(body, items) : undefined;
  if (bmi !== undefined) return bmi;
  const sizes = bodyCovariates(model);
  const height = sizes.height;
  if (!height || Math.abs(height.cmPerUnit - 1) > 1e-12) return undefined;
  // the age's own warning (W_AGE_UNIT, W_PMA_UNIT) is given only where reading the height in inches
  // does not make the body fit the age: then the inches advice makes it worse (AGE 30 months typed
  // as years with WT 12 kg and HT 88 cm was told "88 in is 223.5 cm", a 12-kg body of BMI 2.4,
  // after W_AGE_UNIT had found the 2.5-year-old they fit)
  if (ageBodyWarning(model, items, sizes) !== undefined) return undefined;
  return heightForAgeUnitWarning(model, items, height.name);
}

/**
 * Heights (in) a value read as inches must lie in to be suspected: 18 in (45.7 cm) for a newborn to
 * 96 in (243.8 cm). A super-obese adult's HT 170 cm beside WT 250 (BMI 86.5) was warned as
 * "170 in is 431.8 cm", and HT 1.7 in metres as "1.7 in is 4.318 cm".
 */
const INCH_HEIGHT = { min: 18, max: 96 } as const;

/**
 * The W_HEIGHT_UNIT warning of height `name` = `value` (`metresPerUnit` m each) beside `weight`
 * making a body-mass index `bmi` above CLINICAL.heightUnitBmi, or undefined. Only a height in cm is
 * suspected: inches typed into metres or mm give a BMI far outside any body, refused elsewhere.
 */
export function heightUnitWarning(name: string, value: number, weight: string, bmi: number, metresPerUnit: number): string | undefined {
  if (!(bmi > CLINICAL.heightUnitBmi) || Math.abs(metresPerUnit - 0.01) > 1e-12 || !(value >= INCH_HEIGHT.min && value <= INCH_HEIGHT.max)) return undefined;
  return `W_HEIGHT_UNIT: ${name} ${value} with ${weight} makes a body-mass index of ${Math.round(bmi)} kg/m², above ${CLINICAL.heightUnitBmi}: a height in inches? ${value} in is ${+(value * 2.54).toPrecision(4)} cm; give the height in its declared unit`;
}

/**
 * The first of `names` whose value in one patient's `items` is in another unit than the model file
 * declares (implausibleValueProblem, or suspectUnitProblem's refusal judged with the patient's
 * other values), with why; undefined when none is. `items` must hold every value the patient is
 * computed with: a nomogram cell's fixed and grid values together, a data row with the values that
 * replace its own. Checked one value at a time, a neonate's weight in grams on a grid (PMA fixed)
 * was read as 650 kg (Colin 2019: 979 mg q8h for 5.5).
 */
export function patientUnitProblem(model: Pick<Model, 'file' | 'name'>, items: Readonly<Record<string, number>>, names: readonly string[] = Object.keys(items)): { readonly name: string; readonly value: number; readonly why: string } | undefined {
  for (const name of names) {
    const v = items[name];
    if (v === undefined) continue;
    const why = implausibleValueProblem(model, name, v) ?? suspectUnitProblem(model, name, v, items)?.refuse;
    if (why !== undefined) return { name, value: v, why: `${name} of model ${model.name} is in ${declaredCovariateUnit(model, name) ?? ''}: ${why}` };
  }
  return undefined;
}

/**
 * The values of `overrides` that replace data items of the model (a --param of a covariate), or
 * undefined when none does.
 */
function itemOverrides(model: Pick<Model, 'inputs'>, overrides: Readonly<Record<string, number>> | undefined): Readonly<Record<string, number>> | undefined {
  const out = Object.fromEntries(Object.entries(overrides ?? {}).filter(([n]) => model.inputs.includes(n)));
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Refuses a record whose creatinine or height is in the other usual unit than the model file
 * declares (see implausibleValueProblem). With `overrides`, every record is judged with them in
 * place of its own values: SCR 8 given as an override on a data set of 30-week infants ran (CL
 * 5.1e-4 L/h) while the same SCR on the rows was refused. An override's value is refused as
 * `overrides.NAME`, naming the first record it makes implausible.
 */
export function refuseImplausibleItems<R extends ItemRecord>(model: Pick<Model, 'file' | 'inputs' | 'name'>, records: readonly R[], file?: string, placeOf?: (r: R) => string | undefined, overrides?: Readonly<Record<string, number>>): void {
  const over = itemOverrides(model, overrides);
  const itemsOf = over ? (r: R): Readonly<Record<string, number>> => ({ ...r.items, ...over }) : (r: R) => r.items;
  const names = model.inputs.filter((name) => implausibleValueProblem(model, name, -Infinity) !== undefined || implausibleValueProblem(model, name, Infinity) !== undefined);
  if (names.length === 0) return;
  for (const r of records) {
    const p = patientUnitProblem(model, itemsOf(r), names);
    if (p === undefined) continue;
    if (over && Object.hasOwn(over, p.name)) throw Errors.parameter(`overrides.${p.name}`, p.value, `${p.why} (the value replaces ${file ? `${file}, ` : ''}row ${r.row}'s)`);
    refuseItem(r, p.name, p.value, p.why, file, placeOf);
  }
}

const bodiesOf = new WeakMap<object, BodyCovariates>();

/** The model's current weight and height covariates (as bodyPair finds them), each where it reads one. */
export function bodyCovariates(model: Pick<Model, 'file' | 'inputs'>): BodyCovariates {
  let b = bodiesOf.get(model);
  if (!b) bodiesOf.set(model, (b = findBodyCovariates(model)));
  return b;
}

function findBodyCovariates(model: Pick<Model, 'file' | 'inputs'>): BodyCovariates {
  const of = (what: string, which = /./): { name: string; factor: number; unit: string } | undefined => {
    for (const name of model.inputs) {
      const f = checkedQuantity(model, name);
      if (f?.q.what === what && which.test(name)) return { name, factor: f.unit.factor, unit: f.declared };
    }
    return undefined;
  };
  const w = of('a body weight', /^(WT|WGT|WGHT|WEIGHT|TBW|CW|CWT|CURWT|WTCUR|DW|WT_?KG|WEIGHT_?KG)$/i);
  const h = of('a height');
  return { ...(w ? { weight: { name: w.name, kgPerUnit: w.factor / 1e6, unit: w.unit } } : {}), ...(h ? { height: { name: h.name, cmPerUnit: h.factor * 100, unit: h.unit } } : {}) };
}

/**
 * W_PMA_UNIT / W_AGE_UNIT of one patient's values (a data row with its overrides, a nomogram cell,
 * a population's typical subject): a weight or height far outside the growth charts for its age
 * (age-body.ts), or undefined.
 */
export function patientAgeWarning(model: Pick<Model, 'file' | 'inputs'>, items: Readonly<Record<string, number>>): string | undefined {
  // a height in inches (W_HEIGHT_UNIT by the body-mass index) makes a body of no age: an age read to
  // fit it sends the user to the wrong fix
  const pair = bodyPair(model);
  if (pair && heightUnitBmi(pair, items) !== undefined) return undefined;
  return ageBodyWarning(model, items, bodyCovariates(model));
}
