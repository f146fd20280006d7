// W_TARGET_SCALE: a target on another scale than the model's output. Busulfan's model (McCune 2014)
// outputs ng/mL, and `nomogram --target auc24=80` (the mg·h/L habit) advised 0.77 mg q24h for 70 kg,
// exit 0, no word; vancomycin's `auc24=500000` advised 1,344,871 mg. The number is right for the
// unit read; the user was told nothing about the unit. One check for every command that reads
// targets (optimize, nomogram, pta, band): each target value beside what a standard dose gives the
// command's typical patient. More than SCALE_FACTOR above or below it is warned, naming the target,
// the model's concentration unit and the standard dose's exposure. Realistic targets are well inside
// it: vancomycin auc24 400–600 against ~480 at 15 mg/kg q12h; busulfan auc24 ~20,000 ng·h/mL against
// ~20,800 at 0.8 mg/kg q6h; a unit slip (×1000) is far outside.

import type { Model } from '../../model/model.js';
import { isPlainObject } from '../../plain-object.js';
import { type Exposure, steadyStateExposure } from '../nomogram/nomogram-exposure.js';
import type { TargetSpec } from './targets.js';

export const TARGET_SCALE_CODE = 'W_TARGET_SCALE';

/** Further than this factor from the standard dose's exposure (either way) a target is warned of. */
export const SCALE_FACTOR = 100;

/** A standard adult dose of a drug: per kg of WT (70 kg where the patient has none), as labels and guidelines give it. */
export interface StandardDose {
  readonly perKg: number;
  readonly interval: number;
  /** Infusion length (h); 0 = bolus or oral. */
  readonly infusion: number;
  readonly source: string;
}

/** By the model's `drug` (else its name); every packaged model's doses are in mg. */
const STANDARD_DOSES: readonly (StandardDose & { readonly drug: RegExp })[] = [
  { drug: /vancomycin/i, perKg: 15, interval: 12, infusion: 1, source: '15 mg/kg q12h over 1 h (ASHP/IDSA 2020: 15–20 mg/kg q8–12h)' },
  { drug: /busulfan/i, perKg: 0.8, interval: 6, infusion: 2, source: '0.8 mg/kg q6h over 2 h (Busulfex label)' },
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

/**
 * The W_TARGET_SCALE warnings of a target: one per clause with a value more than SCALE_FACTOR from
 * (a threshold: more than SCALE_FACTOR above) the exposure of the standard dose (or, without one, of the command's middle dose) in the typical
 * patient at steady state. [] where none is, or where that exposure cannot be computed (a covariate
 * the model needs is not given, no steady state): the check only ever adds a warning.
 */
export function targetScaleWarnings(model: Model, values: readonly ScaledValue[], ref: ScaleReference): string[] {
  if (values.length === 0) return [];
  const std = standardDose(model);
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
    if (r <= SCALE_FACTOR && (v.threshold || r >= 1 / SCALE_FACTOR)) continue;
    said.add(v.text);
    const factor = r > 1 ? `${num(r)}×` : `1/${num(1 / r)} of`;
    out.push(
      `${TARGET_SCALE_CODE}: target ${v.text} is ${factor} the ${v.scale} of ${what} in the typical patient (${v.scale} ${num(t)}); ` +
        `the model's concentrations are ${unit ?? 'in its own unit (the model file states none)'}: a target written in another unit (1 mg/L = 1000 ng/mL = 1000 µg/L)?`,
    );
  }
  return out;
}
