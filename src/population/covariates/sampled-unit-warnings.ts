// The suspect-unit judgement a data set's value gets (W_RENAL_UNIT, W_SCR_UNIT, W_WEIGHT_UNIT:
// suspectUnitProblem) applied to a sampled population once per study, at its median subject (every
// normal draw at 0, every uniform at ½, derived covariates computed from those): a population is
// judged by what most of its subjects are, not by its tails (a real CRCL lognormal(median 90 mL/min)
// draws near-anuric subjects, which are patients, not mL/s). population, pta and band had no such
// check: Buelga 2005 (CRCL in L/h) with CRCL lognormal(median 90) in mL/min ran 16.7 times too high a
// clearance, band advising 16,250–30,250 mg q12h for 1,250–3,000, exit 0, where a data set's or
// --grid's CRCL 90 was warned. Resampled columns are judged row by row where their table is read
// (resampled-table-checks.ts), not here.

import { DosewiseError } from '../../errors.js';
import { declaredCovariateUnit, implausibleValueProblem, suspectUnitProblem } from '../../model/covariate-flags.js';
import type { Model } from '../../model/model.js';
import { parseCovariateSpec, type CovariateEntry } from './spec.js';
import { describeDistribution } from './units.js';

/** How covariate `name` is sampled, as the messages say it: `lognormal(median 90, cv 0.35)`, `CRCL = crcl_cg(SCR, AGE, WT, SEX) / 1`. */
function howSampled(name: string, e: CovariateEntry): string {
  if ('derived' in e) return `derived as ${name} = ${e.derived.trim()}`;
  if ('dist' in e) return `sampled as ${describeDistribution(e)}`;
  return 'resampled';
}

/**
 * The suspect-unit warnings of a sampled population's median subject `median` (its covariates by
 * name, as probeSubject computes them), one per covariate the model reads, each naming the covariate
 * file, the covariate, how it is sampled and the median value: "pop.json, covariates.CRCL: the median
 * subject (…: CRCL 89.64, WT 75.01) has CRCL 89.64, sampled as lognormal(…): W_RENAL_UNIT: CRCL 89.64
 * read as 89.64 L/h …".
 * A derived covariate whose median value the data-set path refuses (a value in the other usual unit,
 * a child's creatinine above 5 mg/dL) is refused here, naming its formula; a distribution's median is
 * refused where the specification is read (refuseImplausibleDistributions). `regimen`: the values the
 * regimen's records give every subject (a dialysis flag there spares a low clearance).
 */
export function sampledUnitWarnings(spec: unknown, model: Pick<Model, 'file' | 'name' | 'inputs'>, median: Readonly<Record<string, number>>, file?: string, regimen: Readonly<Record<string, number>> = {}): string[] {
  if (spec === undefined) return [];
  const entries = parseCovariateSpec(spec).covariates;
  const items = { ...regimen, ...median };
  // the values as the messages show them (judged on the exact ones)
  const shown = (v: number): number => +v.toPrecision(4);
  const subject = Object.entries(median)
    .filter(([n]) => model.inputs.includes(n))
    .map(([n, v]) => `${n} ${shown(v)}`)
    .join(', ');
  const out: string[] = [];
  for (const [name, value] of Object.entries(median)) {
    const e = entries[name];
    // a resampled column (no entry of its own) is judged on every row of its table
    if (e === undefined || 'resample' in e || !model.inputs.includes(name) || !Number.isFinite(value)) continue;
    const lead = `${file !== undefined ? `${file}, ` : ''}covariates.${name}: the median subject (every normal draw at 0, every uniform at ½: ${subject}) has ${name} ${shown(value)}, ${howSampled(name, e)}`;
    if ('derived' in e) {
      const why = implausibleValueProblem(model, name, value) ?? suspectUnitProblem(model, name, value, items)?.refuse;
      if (why !== undefined) {
        const path = `covariates.${name}.derived`;
        const unit = declaredCovariateUnit(model, name) ?? '';
        throw new DosewiseError('E_MODEL', `${lead}, and model ${model.name} reads ${name} in ${unit}: ${why}; at least half of the subjects would be computed so. Give ${name} in ${unit} (got ${shown(value)})`, { path, value, ...(file !== undefined ? { file } : {}) });
      }
    }
    const w = suspectUnitProblem(model, name, value, items)?.warning;
    if (w === undefined) continue;
    // said with the value as shown where it reads so with it
    const said = suspectUnitProblem(model, name, shown(value), { ...items, [name]: shown(value) })?.warning ?? w;
    out.push(`${lead}: ${said}`);
  }
  return out;
}
