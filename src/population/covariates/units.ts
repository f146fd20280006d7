// A population's covariate file and the model both may say what unit a covariate is in (the file's
// `covariates.CRCL.unit`, the model file's `covariates.CRCL.unit`). Values are handed to the model
// as sampled, so two different units are a wrong number for every subject (CRCL in mL/min read by a
// model in L/h: clearance 16.7 times too high, the run exiting 0): refused, never converted, since
// the file may be meant for another model and a silent conversion would hide which.

import { DosewiseError } from '../../errors.js';
import { compareUnits, isCovariateUnit } from '../../model/units.js';
import { declaredCovariateUnit } from '../../model/covariate-flags.js';
import type { Model } from '../../model/model.js';
import { parseCovariateSpec, wholeCall } from './spec.js';
import { DERIVED_FUNCTIONS } from './derived.js';

/** Where the two units were written, for the message; without them the message names the fields. */
export interface CovariateUnitSources {
  /** The covariate file as the user gave it. */
  readonly covariatesFile?: string;
  /** The model file (a library model's path), as the user can open it. */
  readonly modelFile?: string;
}

/**
 * Refuses (E_MODEL, naming the covariate, both units, both files and the factor where the two units
 * are of one dimension) a covariate whose unit in the covariate specification differs from the unit
 * the model file declares for it. Units written differently but equal (`L/h`, `L/hour`, `l/h`) pass;
 * a covariate only one of the two gives a unit for is not checked. A derived covariate without a
 * unit that is one call of a clinical function is in that function's unit, refused alike against a
 * unit of another size or kind, and not checked against a unit dosewise cannot read.
 */
export function refuseCovariateUnitMismatch(spec: unknown, model: Pick<Model, 'file' | 'name'>, sources: CovariateUnitSources = {}): void {
  if (spec === undefined) return;
  const parsed = parseCovariateSpec(spec);
  for (const [name, entry] of Object.entries(parsed.covariates)) {
    if ('resample' in entry) continue;
    // a derived covariate without a unit of its own is in its function's (CRCL = crcl_cg(…) is in
    // mL/min: into a model reading CRCL in L/h it was 16.7 times too high without a word)
    const implied = (entry.unit === undefined || entry.unit.trim() === '') && 'derived' in entry ? derivedUnit(entry.derived) : undefined;
    const given = implied ?? entry.unit;
    const wanted = declaredCovariateUnit(model, name);
    if (given === undefined || wanted === undefined || given.trim() === '' || wanted.trim() === '') continue;
    const cmp = compareUnits(given, wanted);
    if (cmp.same) continue;
    // a function's unit is left unchecked only against a unit dosewise cannot read (not refused on a
    // spelling); of another kind (WT = bsa_mosteller(…) in m² read as kg) it is as wrong as written
    if (implied !== undefined && cmp.factor === undefined && !(isCovariateUnit(given) && isCovariateUnit(wanted))) continue;
    const path = `covariates.${name}.unit`;
    const file = sources.covariatesFile;
    const modelPlace = sources.modelFile !== undefined ? `model ${model.name} (${sources.modelFile}, ${path})` : `model ${model.name} (its ${path})`;
    const convert =
      cmp.factor !== undefined
        ? `: 1 ${given} = ${cmp.factor} ${wanted}, so every subject's ${name} would be read ${cmp.factor > 1 ? `${cmp.factor} times too low` : `${Number((1 / cmp.factor).toPrecision(6))} times too high`}. Give ${name} in ${wanted} (its values × ${cmp.factor}) or use a model that reads ${name} in ${given}`
        : `, a unit of another kind or one dosewise cannot convert: give ${name} in ${wanted}, or use a model that reads ${name} in ${given}`;
    const here = implied !== undefined ? `${name} = ${(entry as { derived: string }).derived} is in ${given}` : `${name} is in ${given} here`;
    const lead = file !== undefined ? `${file}, ${path}: ${here}` : `model ${path}: ${implied !== undefined ? `in the covariate specification, ${here}` : `the covariate specification gives ${name} in ${given}`}`;
    const message = `${lead}, but ${modelPlace} reads ${name} in ${wanted}${convert}; dosewise does not convert covariates (got ${JSON.stringify(given)})`;
    throw new DosewiseError('E_MODEL', message, { path, value: given, ...(file !== undefined ? { file } : {}) });
  }
}

/** The unit of a derived expression that is one call of a clinical function, else undefined. */
function derivedUnit(expr: string): string | undefined {
  const fn = wholeCall(expr);
  return fn === undefined ? undefined : (DERIVED_FUNCTIONS[fn] as { unit: string }).unit;
}
