// The models the what-if tool offers, bundled as JSON (published models from models/ and the W-map
// example), and how their covariate inputs are described to the page.

import goti from '../../models/vancomycin_goti_2018.json' with { type: 'json' };
import thomson from '../../models/vancomycin_thomson_2009.json' with { type: 'json' };
import burdet from '../../models/amikacin_burdet_2015.json' with { type: 'json' };
import xuan from '../../models/gentamicin_xuan_2003.json' with { type: 'json' };
import wmap from '../../examples/map-wmap.model.json' with { type: 'json' };
import parentMetabolite from '../../examples/parent-metabolite/model.json' with { type: 'json' };
import { isTextModelFile, type Model } from '../model/model.js';
import type { ModelFile } from '../model/schema.js';

/** Model files by key (the key is what the page's #model select holds). */
export const MODEL_FILES: Readonly<Record<string, unknown>> = {
  vancomycin_goti_2018: goti,
  vancomycin_thomson_2009: thomson,
  amikacin_burdet_2015: burdet,
  gentamicin_xuan_2003: xuan,
  'map-wmap': wmap,
  'parent-metabolite': parentMetabolite,
};

export const DEFAULT_MODEL = 'vancomycin_goti_2018';

export interface CovariateField {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** The model's own default, which the engine takes when a data set lacks the column (undefined: none; `value` is then a typical adult's start value). */
  readonly default?: number;
  readonly description: string;
}

export interface ModelInfo {
  readonly key: string;
  readonly name: string;
  readonly drug: string;
  readonly description: string;
  readonly citation: string;
  readonly covariates: readonly CovariateField[];
  readonly etas: readonly string[];
  /** Unit of the observed concentration. */
  readonly concUnit: string;
  /** The measured quantities of a model with several outputs (by DVID; `main` the one it observes by default); empty for one output. */
  readonly outputs: readonly OutputInfo[];
  /** The compartment the model observes (1-based), where a level without a DVID is predicted. */
  readonly observeCompartment: number;
  /**
   * The model's bioavailability F of the dose compartment (1) may differ from 1: a data set's RATE
   * then sets another duration (F·AMT/RATE) than the tool's dose, which keeps its duration.
   */
  readonly doseF: boolean;
}

export interface OutputInfo {
  readonly dvid: number;
  readonly name: string;
  readonly unit: string;
  readonly compartment: number;
  readonly main: boolean;
}

/** Start values for covariates the model file gives no default for (a typical adult). */
const TYPICAL: Readonly<Record<string, number>> = {
  WT: 70,
  TBW: 70,
  CRCL: 90,
  CLCR: 90,
  CLCREAT4H: 82,
  POVERF: 169,
  DIAL: 0,
  AGE: 50,
  HT: 170,
};

/** The page's description of a compiled model: every input it reads, with unit, start value and meaning. */
export function modelInfo(key: string, model: Model): ModelInfo {
  // a model text carries no descriptive fields; its name and inputs come from the model itself
  const file: Partial<ModelFile> = isTextModelFile(model.file) ? {} : model.file;
  const declared = file.covariates ?? {};
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
  const names = [...Object.keys(declared), ...model.inputs.filter((n) => !(n in declared) && !effects.has(n))];
  const covariates = names.map((name) => {
    const d = declared[name];
    const unit = d?.unit ?? '';
    // CRCL in L/h (some models) starts at the L/h equivalent of 90 mL/min
    const typical = unit === 'L/h' && /^CRCL$/i.test(name) ? 5.4 : (TYPICAL[name.toUpperCase()] ?? 1);
    const own = modelDefault(model, name) ?? d?.default;
    return { name, unit, value: own ?? typical, ...(own === undefined ? {} : { default: own }), description: d?.description ?? '' };
  });
  const unit = (file.observe?.unit ?? file.residual?.unit ?? 'mg/L').split(' ')[0] ?? 'mg/L';
  return {
    key,
    name: file.name ?? model.name,
    drug: file.drug ?? '',
    description: file.description ?? '',
    citation: file.citation ?? '',
    covariates,
    etas: model.omega?.names ?? [],
    concUnit: unit,
    outputs: [...(model.outputs?.values() ?? [])].map((o) => ({ dvid: o.dvid, name: o.name, unit: (o.unit ?? unit).split(' ')[0] ?? unit, compartment: o.compartment, main: o.compartment === model.observeCompartment })),
    observeCompartment: model.observeCompartment,
    doseF: doseBioavailability(model, covariates),
  };
}

/** The default the engine takes for an input a data set lacks (a model text's too, which has no covariates block in its file), or undefined. */
function modelDefault(model: Model, name: string): number | undefined {
  const i = model.slots.inputs.indexOf(name);
  const v = i < 0 ? NaN : (model.slots.defaults[i] as number);
  return Number.isNaN(v) ? undefined : v;
}

/** Whether F of compartment 1 reads anything (a covariate, an η) or is not 1 at the start values. */
function doseBioavailability(model: Model, covariates: readonly { name: string; value: number }[]): boolean {
  const names = new Set([...model.inputs, ...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
  if (model.slots.modifiersDependOn(names, new Set(['bioavailability:1']))) return true;
  try {
    const e = model.evaluate(Object.fromEntries(covariates.map((c) => [c.name, c.value])));
    return (e.F[0] ?? 1) !== 1;
  } catch {
    // no value at the start values: F cannot be read, so take it as not known to be 1
    return true;
  }
}
