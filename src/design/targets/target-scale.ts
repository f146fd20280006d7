// W_TARGET_SCALE: a target on another scale than the model's output. Busulfan's model (McCune 2014)
// outputs ng/mL, and `nomogram --target auc24=80` (the mg·h/L habit) advised 0.77 mg q24h for 70 kg,
// exit 0, no word; vancomycin's `auc24=500000` advised 1,344,871 mg. The number is right for the
// unit read; the user was told nothing about the unit. One check for every command that reads
// targets (optimize, nomogram, pta, band): each target value beside what a standard dose gives the
// command's typical patient. More than SCALE_FACTOR above or below it is warned, naming the target,
// the model's concentration unit and the standard dose's exposure. Realistic targets are well inside
// it: vancomycin auc24 400–600 against ~480 at 15 mg/kg q12h; busulfan auc24 ~20,000 ng·h/mL against
// ~20,800 at 0.8 mg/kg q6h; a unit slip (×1000) is far outside.
// The 100× bound missed the slips clinicians make most: an AUC in mg·min/L (×60: vancomycin
// auc24=30000 gave 38,750 mg q12h, exit 0) and busulfan's µM·min (÷4.1: auctau=1125 gave 10.8 mg
// for 44.2). So each value is also judged against the factors such a slip makes (unitSlips): a
// value that comes within PLAUSIBLE of the typical exposure once
// converted from a slipped unit (and nearer it than as written) is warned, naming that unit and the
// converted value.

import type { Model } from '../../model/model.js';
import { isPlainObject } from '../../plain-object.js';
import { compareUnits } from '../../model/units.js';
import { modelDoseUnit } from './model-dose-unit.js';
import { type Exposure, steadyStateExposure } from '../nomogram/nomogram-exposure.js';
import type { TargetSpec } from './targets.js';

export const TARGET_SCALE_CODE = 'W_TARGET_SCALE';

/** Further than this factor from the standard dose's exposure (either way) a target is warned of. */
export const SCALE_FACTOR = 100;

/**
 * A unit slip is said where the value read in the slipped unit comes within this factor of the
 * standard dose's exposure, and nearer it than the value as written (30000 mg·min/L = 500 mg·h/L,
 * 0.62× Goti's 813). The realistic targets of the README and tests lie within 0.4–1.8× of it
 * (vancomycin 400–600 against 480–813, busulfan auctau 4,600 against 3,730–5,830), so a ×60 or
 * ×1000 reading is never nearer; busulfan's µM·min (÷4.1) is nearer below 1/√4.1 = 0.49×.
 */
export const PLAUSIBLE = 3;

/** A standard adult dose of a drug: per kg of WT (70 kg where the patient has none), as labels and guidelines give it. */
export interface StandardDose {
  readonly perKg: number;
  readonly interval: number;
  /** Infusion length (h); 0 = bolus or oral. */
  readonly infusion: number;
  readonly source: string;
  /**
   * g/mol, only for a drug whose AUC is commonly reported in µmol·min/L (busulfan: µM·min is its
   * usual TDM unit); others' µM·min slips are too rare to be worth a warning on a plausible target.
   */
  readonly molarMass?: number;
}

/** By the model's `drug` (else its name); every packaged model's doses are in mg. */
const STANDARD_DOSES: readonly (StandardDose & { readonly drug: RegExp })[] = [
  { drug: /vancomycin/i, perKg: 15, interval: 12, infusion: 1, source: '15 mg/kg q12h over 1 h (ASHP/IDSA 2020: 15–20 mg/kg q8–12h)' },
  { drug: /busulfan/i, perKg: 0.8, interval: 6, infusion: 2, source: '0.8 mg/kg q6h over 2 h (Busulfex label)', molarMass: 246.3 },
  { drug: /gentamicin/i, perKg: 5, interval: 24, infusion: 0.5, source: '5 mg/kg q24h over 30 min (extended-interval dosing)' },
  { drug: /amikacin/i, perKg: 15, interval: 24, infusion: 0.5, source: '15 mg/kg q24h over 30 min (label: 15 mg/kg/day)' },
  { drug: /ganciclovir/i, perKg: 5, interval: 12, infusion: 1, source: '5 mg/kg q12h over 1 h (label, induction)' },
  { drug: /tacrolimus/i, perKg: 0.075, interval: 12, infusion: 0, source: '0.075 mg/kg q12h oral (label: 0.15 mg/kg/day)' },
  { drug: /theophylline/i, perKg: 4, interval: 12, infusion: 0, source: '4 mg/kg q12h oral' },
];

/** The standard dose of the model's drug, or undefined where none is known (a model of one's own). */
export function standardDose(model: Pick<Model, 'name' | 'file'>): StandardDose | undefined {
  const drug = isPlainObject(model.file) && typeof model.file.drug === 'string' ? model.file.drug : model.name;
  return STANDARD_DOSES.find((s) => s.drug.test(drug));
}

/** One target value on a concentration scale: the metric it is judged on and how the user wrote it. */
export interface ScaledValue {
  readonly text: string;
  /** The exposure it compares with: its own metric, a trough or cmin with Css,avg, a MIC with Cmax. */
  readonly scale: 'auc24' | 'auctau' | 'cavg' | 'cmax';
  readonly value: number;
  /**
   * A threshold (the MIC of tabove, MIC·X of peak/mic), not an exposure to reach: judged only upward.
   * Far below Cmax is the ordinary case (meropenem 1 g q8h, Cmax ~54 mg/L, at a wild-type MIC of
   * 0.03 is 1/1,810; PTA-versus-MIC sweeps start at 0.03–0.06); only a threshold no standard dose
   * can reach (×100 above its Cmax, e.g. a MIC of 0.5 mg/L written 500) cannot be meaningful.
   */
  readonly threshold?: true;
}

/** The values of a target spec (optimize, pta, band) to judge: window bounds, MIC·X of peak/mic, the MIC of tabove. */
export function specValues(spec: TargetSpec): ScaledValue[] {
  const out: ScaledValue[] = [];
  for (const c of spec.clauses) {
    const fu = c.fu ?? 1;
    if (c.metric === 'auc24' || c.metric === 'auctau' || c.metric === 'cavg' || c.metric === 'trough') {
      const scale = c.metric === 'trough' ? 'cavg' : c.metric;
      const text = `${c.fu !== undefined ? `fu=${c.fu}/` : ''}${c.metric}:${c.lo ?? ''}:${c.hi ?? ''}`;
      for (const v of [c.lo, c.hi]) if (v !== undefined && v > 0) out.push({ text, scale, value: v / fu });
    } else if (c.metric === 'peak/mic') out.push({ text: `peak/mic:${c.mic}:${c.min}`, scale: 'cmax', value: (c.mic * c.min) / fu, threshold: true });
    else if (c.metric === 'tabove') out.push({ text: `tabove:${c.mic}:${c.min}`, scale: 'cmax', value: c.mic / fu, threshold: true });
  }
  return out;
}

/** The value of a nomogram target (auc24=500, trough=15, ...). */
export function nomogramValues(t: { readonly metric: string; readonly value: number }): ScaledValue[] {
  const scale = t.metric === 'auc24' || t.metric === 'auctau' || t.metric === 'cmax' ? t.metric : 'cavg';
  return [{ text: `${t.metric}=${t.value}`, scale, value: t.value }];
}

export interface ScaleReference {
  /** The typical patient's covariates (η = 0), as the command reads them. */
  readonly covariates: Readonly<Record<string, number>>;
  /** The command's dosing interval (h): auctau is judged over it. */
  readonly interval?: number;
  /** A model without a standard dose: the doses the command itself compares (its middle one is used). */
  readonly doses?: readonly number[];
  readonly infusion?: number;
}

const num = (x: number): string => Number(x.toPrecision(3)).toLocaleString('en-US');

/** A unit a target may have been written in by mistake: written value = value in the model's unit × factor. */
export interface UnitSlip {
  /** The unit the user likely wrote (mg·min/L). */
  readonly unit: string;
  /** The same exposure in the model's unit (mg·h/L). */
  readonly own: string;
  readonly factor: number;
}

/** Mass-concentration units 1000× apart, largest first; the AUC spelling of each. */
const MASS_LADDER = [
  { conc: 'g/L', auc: 'g·h/L', min: 'g·min/L' },
  { conc: 'mg/L', auc: 'mg·h/L', min: 'mg·min/L' },
  { conc: 'ng/mL', auc: 'ng·h/mL', min: 'ng·min/mL' },
  { conc: 'pg/mL', auc: 'pg·h/mL', min: 'pg·min/mL' },
] as const;

/** The model's concentration unit as a step of MASS_LADDER (mg/L 1, ng/mL and µg/L 2), or undefined (molar, not read). */
function ladderStep(unit: string | undefined): number | undefined {
  const token = unit?.trim().split(/\s+/)[0];
  if (!token) return undefined;
  const c = compareUnits(token, 'mg/L');
  if (c.same) return 1;
  if (c.factor === undefined) return undefined;
  const step = 1 + Math.log10(c.factor) / -3;
  return Number.isInteger(Math.round(step * 1e9) / 1e9) && step >= 0 && step <= 3 ? Math.round(step) : undefined;
}

/**
 * The slips a value on `scale` may come from: for an AUC, minutes for hours (×60) and, for a drug
 * with a molar mass, µmol·min/L; for any exposure, the mass unit 1000× smaller or larger
 * (ng/mL for mg/L). [] where the model's unit is not a mass concentration dosewise reads.
 */
export function unitSlips(scale: ScaledValue['scale'], unit: string | undefined, molarMass?: number): UnitSlip[] {
  const step = ladderStep(unit);
  if (step === undefined) return [];
  const own = MASS_LADDER[step] as (typeof MASS_LADDER)[number];
  const auc = scale === 'auc24' || scale === 'auctau';
  const name = (k: number): string | undefined => (auc ? MASS_LADDER[k]?.auc : MASS_LADDER[k]?.conc);
  const ownName = auc ? own.auc : own.conc;
  const out: UnitSlip[] = [];
  if (auc) out.push({ unit: own.min, own: ownName, factor: 60 });
  // 1 µmol·min/L = M µg·min/L = M/60 µg·h/L; in the model's unit (mg/L: step 1) × 1000^(step − 1) / 1000
  if (auc && molarMass !== undefined) out.push({ unit: 'µmol·min/L (µM·min)', own: ownName, factor: 60 / ((molarMass / 1000) * 1000 ** (step - 1)) });
  const smaller = name(step + 1);
  if (smaller) out.push({ unit: smaller, own: ownName, factor: 1000 });
  const larger = name(step - 1);
  if (larger) out.push({ unit: larger, own: ownName, factor: 1 / 1000 });
  return out;
}

/**
 * The W_TARGET_SCALE warnings of a target: one per clause with a value more than SCALE_FACTOR from
 * (a threshold: more than SCALE_FACTOR above) the exposure of the standard dose (or, without one, of the command's middle dose) in the typical
 * patient at steady state. [] where none is, or where that exposure cannot be computed (a covariate
 * the model needs is not given, no steady state): the check only ever adds a warning.
 */
export function targetScaleWarnings(model: Model, values: readonly ScaledValue[], ref: ScaleReference): string[] {
  if (values.length === 0) return [];
  const std = standardDose(model);
  // without a standard dose, the dose the target needs is judged first (neededDoseWarnings); the
  // values it warns of are not said again against the middle candidate dose
  // only for doses in mg or g, as the model states them (modelDoseUnit): 500 mg/kg/day means
  // nothing for a model in IU (heparin's ordinary anti-Xa target needs ~600 IU/kg/day), µg or mmol
  const doseUnit = std ? undefined : modelDoseUnit(model);
  if (!std && doseUnit) {
    const needed = neededDoseWarnings(model, values, ref, doseUnit);
    if (needed.length > 0) {
      const warned = new Set(needed.map((n) => n.text));
      return [...needed.map((n) => n.warning), ...targetScaleWarnings(model, values.filter((v) => !warned.has(v.text)), ref)];
    }
  }
  return typicalExposureWarnings(model, values, ref, std);
}

/**
 * Above this daily dose per kg (mg/kg/day) a target needs no drug's dose: the largest ordinary ones
 * (ampicillin, piperacillin in meningitis) are 300–400 mg/kg/day. The packaged models, under another
 * name, need 3.5–30 mg/kg/day at their ordinary targets (vancomycin auc24 600 at CRCL 60: 22.2), and
 * Goti's model at auc24=30000 (mg·min/L meant) 1,108.
 */
export const IMPLAUSIBLE_DAILY_PER_KG = 500;

/** A slip is named where the value read in it needs at most this daily dose (mg/kg/day). */
export const ORDINARY_DAILY_PER_KG = 100;

/**
 * The daily dose per kg of WT (70 kg where the patient has none) the typical patient (η = 0) needs
 * at steady state for a target value, on the command's interval (24 h where it has none), in the
 * model's own dose unit per kg per day: for a model without a standard dose (judged only where its
 * doses are in mg or g: modelDoseUnit). Found from the
 * exposure of 100 mg and refined once at the dose it gives (exact for a linear model). Undefined
 * for a threshold (a MIC, judged on Cmax) or where the exposure cannot be computed.
 */
export function neededDailyDosePerKg(model: Model, v: ScaledValue, ref: ScaleReference): number | undefined {
  if (v.threshold || v.scale === 'cmax' || !(v.value > 0)) return undefined;
  const interval = ref.interval ?? 24;
  const wt = ref.covariates.WT !== undefined && ref.covariates.WT > 0 ? ref.covariates.WT : 70;
  const exposure = (dose: number): number => {
    const e = steadyStateExposure(model, [{ covariates: ref.covariates, dose }], { interval, infusion: ref.infusion ?? 0 })[0] as Exposure;
    return v.scale === 'auctau' ? e.auctau : e[v.scale];
  };
  try {
    let dose = 100;
    for (let k = 0; k < 2; k++) {
      const x = exposure(dose);
      if (!(Number.isFinite(x) && x > 0)) return undefined;
      dose *= v.value / x;
    }
    return (dose * 24) / interval / wt;
  } catch {
    return undefined;
  }
}

/**
 * W_TARGET_SCALE of a model without a standard dose, judged from the model itself: a value whose
 * daily dose in the typical patient is above IMPLAUSIBLE_DAILY_PER_KG, with the slips whose reading
 * needs an ordinary dose. Goti's vancomycin model under another name and drug, `nomogram --target
 * auc24=30000` (mg·min/L meant), advised 38,750 mg q12h without a word.
 */
function neededDoseWarnings(model: Model, values: readonly ScaledValue[], ref: ScaleReference, doseUnit: { readonly unit: string; readonly mg: number }): { text: string; warning: string }[] {
  const interval = ref.interval ?? 24;
  const wt = ref.covariates.WT !== undefined && ref.covariates.WT > 0 ? ref.covariates.WT : 70;
  const unit = isPlainObject(model.file) && isPlainObject(model.file.observe) && typeof model.file.observe.unit === 'string' ? model.file.observe.unit : undefined;
  const out: { text: string; warning: string }[] = [];
  for (const v of values) {
    if (out.some((o) => o.text === v.text)) continue;
    // in mg/kg/day (the model's dose unit, mg or g, times its size in mg)
    const own = neededDailyDosePerKg(model, v, ref);
    const perKg = own === undefined ? undefined : own * doseUnit.mg;
    if (perKg === undefined || perKg <= IMPLAUSIBLE_DAILY_PER_KG) continue;
    const slips = unitSlips(v.scale, unit).filter((s) => s.factor > 1 && perKg / s.factor <= ORDINARY_DAILY_PER_KG);
    const likely = slips.map((s) => `${v.value} ${s.unit} = ${num(v.value / s.factor)} ${s.own}`).join('; or ');
    // in the model's own dose unit
    const dose = (perKg * wt * interval) / 24 / doseUnit.mg;
    out.push({
      text: v.text,
      warning:
        `${TARGET_SCALE_CODE}: target ${v.text} needs ${num(dose)} ${doseUnit.unit} q${num(interval)}h (${num(perKg)} mg/kg/day at WT ${num(wt)}) in the typical patient of ${model.name}, ` +
        `more than ${IMPLAUSIBLE_DAILY_PER_KG} mg/kg/day, no drug's dose (no standard dose is known for ${model.name}, so the target is judged by the dose it needs); ` +
        (slips.length > 0
          ? `the model's concentrations are ${unit}: a value ${v.value} written in another unit (${likely})?`
          : `the model's concentrations are ${unit ?? 'in its own unit (the model file states none)'}: a target written in another unit (1 mg/L = 1000 ng/mL = 1000 µg/L)?`),
    });
  }
  return out;
}

/** The warnings of the values against the standard dose's exposure, or the command's middle candidate dose's. */
function typicalExposureWarnings(model: Model, values: readonly ScaledValue[], ref: ScaleReference, std: StandardDose | undefined): string[] {
  if (values.length === 0) return [];
  const wt = ref.covariates.WT !== undefined && ref.covariates.WT > 0 ? ref.covariates.WT : 70;
  const middle = ref.doses && ref.doses.length > 0 ? [...ref.doses].sort((a, b) => a - b)[Math.floor((ref.doses.length - 1) / 2)] : undefined;
  let dose: number;
  let regimen: { interval: number; infusion: number };
  let what: string;
  if (std) {
    dose = std.perKg * wt;
    regimen = { interval: std.interval, infusion: std.infusion };
    what = `the standard dose ${std.source}, ${num(dose)} mg at WT ${num(wt)}`;
  } else if (middle !== undefined && ref.interval !== undefined) {
    dose = middle;
    regimen = { interval: ref.interval, infusion: ref.infusion ?? 0 };
    what = `${num(dose)} q${num(ref.interval)}h (the middle candidate dose; no standard dose is known for ${model.name})`;
  } else return [];
  let e: Exposure;
  try {
    e = steadyStateExposure(model, [{ covariates: ref.covariates, dose }], regimen)[0] as Exposure;
  } catch {
    return [];
  }
  const typical = (s: ScaledValue['scale']): number => (s === 'auctau' ? (e.auc24 * (ref.interval ?? regimen.interval)) / 24 : e[s]);
  const unit = isPlainObject(model.file) && isPlainObject(model.file.observe) && typeof model.file.observe.unit === 'string' ? model.file.observe.unit : undefined;
  const said = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (said.has(v.text)) continue;
    const t = typical(v.scale);
    if (!(Number.isFinite(t) && t > 0)) continue;
    const r = v.value / t;
    // a slip where the value read in it lies within PLAUSIBLE of the typical exposure and nearer it
    // than the value as written (busulfan's 4.1 is inside PLAUSIBLE: 1125 µM·min is 1/3.31 of WT 20's
    // auctau, 4,620 ng·h/mL 1.24×); a threshold (a MIC) far below Cmax is ordinary: only upward
    const far = (x: number): number => Math.abs(Math.log(x));
    // and only where the value as written is itself PLAUSIBLE or more away: the standard dose grows
    // with total weight, so a heavy adult's typical busulfan auctau (6,090–7,630 ng·h/mL at 100–140 kg)
    // put an ordinary 3000 (1/2.2) nearer its µM·min reading and warned a slip that was none
    const slips = far(r) < Math.log(PLAUSIBLE) ? [] : unitSlips(v.scale, unit, std?.molarMass).filter((s) => far(r / s.factor) < Math.log(PLAUSIBLE) && far(r / s.factor) < far(r) && !(v.threshold && s.factor < 1));
    if (slips.length === 0 && r <= SCALE_FACTOR && (v.threshold || r >= 1 / SCALE_FACTOR)) continue;
    said.add(v.text);
    const factor = r > 1 ? `${num(r)}×` : `1/${num(1 / r)} of`;
    const likely = slips.map((s) => `${v.value} ${s.unit} = ${num(v.value / s.factor)} ${s.own}`).join('; or ');
    out.push(
      `${TARGET_SCALE_CODE}: target ${v.text} is ${factor} the ${v.scale} of ${what} in the typical patient (${v.scale} ${num(t)}); ` +
        (slips.length > 0
          ? `the model's concentrations are ${unit}: a value ${v.value} written in another unit (${likely})?`
          : `the model's concentrations are ${unit ?? 'in its own unit (the model file states none)'}: a target written in another unit (1 mg/L = 1000 ng/mL = 1000 µg/L)?`),
    );
  }
  return out;
}
