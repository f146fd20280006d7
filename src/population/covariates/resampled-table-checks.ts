// A resampling table's values judged as a data set's are, once per study where it is planned (the
// main thread, before a worker starts; never per subject): each row is a patient the subjects are
// drawn from. Nothing checked them: a table's WT 72000 (grams) ran Goti 2018 with V 63,652 L, and SCR
// 80 (µmol/L) ran Colin 2019 to an AUC24 of 1.8e25, both exit 0, where a data set's same cell is
// refused. A column the model reads gets the data set's refusals (implausibleValueProblem, the child
// rule) and warnings (W_SCR_UNIT, W_WEIGHT_UNIT, W_RENAL_UNIT); a column a derived covariate's
// calculator reads (crcl_cg(SCR, …)) gets `calc`'s warnings (W_SCR_UNIT above 15 mg/dL, W_WEIGHT_UNIT
// above 300 kg), its refusals being the calculator's own when a subject draws the row.

import { PLAUSIBLE as CLINICAL } from '../../clinical/validate.js';
import { Errors } from '../../errors.js';
import { patientUnitProblem, suspectUnitProblem } from '../../model/covariate-flags.js';
import type { Model } from '../../model/model.js';
import { DERIVED_FUNCTIONS } from './derived.js';
import { parseCovariateSpec, resolveCovariates } from './spec.js';
import { parseCovariateTable, type CovariateTable } from './table.js';

/** `calc`'s unit warnings of a calculator input, by the derived functions' parameter names: the value above which it is warned, its code, and the other unit. */
const CALCULATOR_SUSPECT: Readonly<Record<string, { readonly above: number; readonly code: string; readonly unit: string; readonly other: string }>> = {
  scr_mgdl: { above: CLINICAL.suspectScrMgDl, code: 'W_SCR_UNIT', unit: 'mg/dL', other: 'µmol/L' },
  wt_kg: { above: CLINICAL.suspectWeightKg, code: 'W_WEIGHT_UNIT', unit: 'kg', other: 'grams' },
};

/**
 * The warnings of the resampling tables of covariate specification `spec` (read by `readText`),
 * one per column and kind, naming the table, the first row, how many more, the column and the
 * covariate file; refuses (E_CSV_VALUE, naming the table, row, column and value) a cell the model
 * reads that a data set's record could not have. `median`: the median subject's other covariates,
 * `regimen`: the values the regimen gives every subject (both beside a row's own, as a record's
 * other items: a table's age makes a row a child's).
 */
export function resampledTableChecks(
  spec: unknown,
  model: Pick<Model, 'file' | 'name' | 'inputs'>,
  readText: (path: string) => string,
  file?: string,
  median: Readonly<Record<string, number>> = {},
  regimen: Readonly<Record<string, number>> = {},
): string[] {
  if (spec === undefined) return [];
  const parsed = parseCovariateSpec(spec);
  const tables = new Map<string, CovariateTable>();
  for (const [label, e] of Object.entries(parsed.covariates)) if ('resample' in e) tables.set(label, parseCovariateTable(readText(e.resample), { file: e.resample, columns: e.columns }));
  if (tables.size === 0) return [];
  // the calculator inputs that are bare covariate names: crcl_cg(SCR, AGE, WT, SEX) reads SCR in mg/dL
  const calculatorInputs = new Map<string, { readonly fn: string; readonly param: string }>();
  const resolved = resolveCovariates(parsed, (label) => tables.get(label)?.columns);
  for (const prepared of resolved.derived.values())
    for (const site of prepared.calls.values())
      site.args.forEach((a, i) => {
        const param = DERIVED_FUNCTIONS[site.fn]?.params[i];
        if (a.k === 'var' && param !== undefined && CALCULATOR_SUSPECT[param] !== undefined && !calculatorInputs.has(a.name)) calculatorInputs.set(a.name, { fn: site.fn, param });
      });
  const out: string[] = [];
  for (const [label, t] of tables) {
    const by = `resampled by covariates.${label}${file !== undefined ? ` of ${file}` : ''}`;
    const rowItems = (r: number): Record<string, number> => {
      const items: Record<string, number> = { ...regimen, ...median };
      t.columns.forEach((c, k) => (items[c] = (t.values[k] as Float64Array)[r] as number));
      return items;
    };
    const read = t.columns.filter((c) => model.inputs.includes(c));
    // refusals first, in row order: the first row a data set would refuse
    if (read.length > 0)
      for (let r = 0; r < t.rows; r++) {
        const p = patientUnitProblem(model, rowItems(r), read);
        if (p !== undefined) throw Errors.csvValue(r + 1, p.name, p.value, `${p.why}; the row is ${by}, and a subject drawing it would run with this value`, t.file);
      }
    t.columns.forEach((c, k) => {
      const values = t.values[k] as Float64Array;
      const calc = model.inputs.includes(c) ? undefined : calculatorInputs.get(c);
      const hits: { row: number; warning: string }[] = [];
      let largest = -Infinity;
      for (let r = 0; r < t.rows; r++) if ((values[r] as number) > largest) largest = values[r] as number;
      for (let r = 0; r < t.rows; r++) {
        const v = values[r] as number;
        let w: string | undefined;
        // the column judged as a whole (its largest: RENAL_SET_ML_MIN_ABOVE), as a nomogram's grid axis
        if (model.inputs.includes(c)) w = suspectUnitProblem(model, c, v, rowItems(r), largest)?.warning;
        else if (calc !== undefined) {
          const s = CALCULATOR_SUSPECT[calc.param] as (typeof CALCULATOR_SUSPECT)[string];
          if (v > s.above) w = `${s.code}: ${c} ${v} read by ${calc.fn} as ${v} ${s.unit}, above the ${s.above} ${s.unit} \`dosewise calc\` warns from; if it is in ${s.other}, convert it to ${s.unit}`;
        }
        if (w !== undefined) hits.push({ row: r + 1, warning: w });
      }
      const first = hits[0];
      if (first) out.push(`${t.file ?? 'the covariate table'}, row ${first.row}${hits.length > 1 ? ` (and ${hits.length - 1} more)` : ''}, column ${c} (${by}): ${first.warning}`);
    });
  }
  return out;
}
