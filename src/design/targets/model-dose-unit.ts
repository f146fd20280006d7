// The unit a model's doses are in, as the model file states it: W_TARGET_SCALE's rule for a model
// without a standard dose (more than 500 mg/kg/day is no drug's dose) holds only for doses in mg or
// g. A heparin model in IU at its ordinary anti-Xa target needs ~600 IU/kg/day, and was told it
// needed "48,300 mg": a model in IU, units, µg, mmol, or stating no unit, is not judged.

import type { Model } from '../../model/model.js';
import { isPlainObject } from '../../plain-object.js';

/** mg in one unit of each mass unit a dose may be stated in. */
const MASS_MG: Readonly<Record<string, number>> = { g: 1000, mg: 1, ug: 1e-3, 'µg': 1e-3, mcg: 1e-3, ng: 1e-6, pg: 1e-9 };
const VOLUME_L: Readonly<Record<string, number>> = { l: 1, dl: 0.1, ml: 1e-3 };

/** The dose units the rule judges, by their size in mg. */
const JUDGED: readonly { readonly unit: string; readonly mg: number }[] = [
  { unit: 'mg', mg: 1 },
  { unit: 'g', mg: 1000 },
];

const near = (a: number, b: number): boolean => Math.abs(a / b - 1) < 1e-9;

/**
 * The model's dose unit where it is mg or g, with its size in mg; undefined for any other unit or
 * none stated. Stated as "dose(s) in X" in `observe.unit` or `drug` (busulfan's "ng/mL (dose in
 * mg)", a heparin model's "doses in IU"), else read from `observe.unit` and `observe.scale`: a mass
 * concentration over a scale V, V/N or V*N (V in L) puts the doses in that mass unit times N (mg/L
 * with V: mg; ng/mL with V/1000: mg; ng/mL with V: µg). IU/L, mmol/L, or no observe.unit: undefined.
 */
export function modelDoseUnit(model: Pick<Model, 'file'>): { readonly unit: string; readonly mg: number } | undefined {
  const f = model.file;
  if (!isPlainObject(f)) return undefined;
  const observe = isPlainObject(f.observe) ? f.observe : undefined;
  const unitText = observe && typeof observe.unit === 'string' ? observe.unit : undefined;
  for (const text of [unitText, typeof f.drug === 'string' ? f.drug : undefined]) {
    const m = text === undefined ? null : /\bdoses?\s+(?:are\s+)?in\s+([A-Za-zµμ]+)/i.exec(text);
    if (m) {
      const mg = MASS_MG[(m[1] as string).replace('μ', 'µ').toLowerCase()];
      return JUDGED.find((j) => mg !== undefined && near(j.mg, mg));
    }
  }
  if (unitText === undefined || !observe) return undefined;
  const c = /^\s*([A-Za-zµμ]+)\s*\/\s*([A-Za-z]+)\s*$/.exec(unitText);
  const mass = c ? MASS_MG[(c[1] as string).replace('μ', 'µ').toLowerCase()] : undefined;
  const vol = c ? VOLUME_L[(c[2] as string).toLowerCase()] : undefined;
  if (mass === undefined || vol === undefined) return undefined;
  const scale = typeof observe.scale === 'string' ? /^\s*V\s*(?:([/*])\s*(\d+(?:\.\d+)?(?:e\d+)?))?\s*$/i.exec(observe.scale) : null;
  if (!scale) return undefined;
  const n = scale[2] === undefined ? 1 : Number(scale[2]);
  const params = isPlainObject(f.parameters) ? f.parameters : undefined;
  const vUnit = params && isPlainObject(params.V) && typeof params.V.unit === 'string' ? params.V.unit.trim() : 'L';
  if (vUnit !== 'L' && vUnit !== 'l') return undefined;
  // the observed value is A/V (mg/L per dose unit in mg) times N for V/N: the dose unit is the
  // concentration's mass per litre times N
  const doseMg = (mass / vol) * (scale[1] === '*' ? 1 / n : n);
  return JUDGED.find((j) => near(j.mg, doseMg));
}
