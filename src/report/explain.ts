// What a clinician can check beside a recommendation: the patient's individual parameters against
// the population's typical values for the same covariates, how far the levels moved each η from its
// prior (posterior SD and individual shrinkage), the fitted against the measured levels with IWRES,
// the warnings, and the model: its name, citation, population and the covariate ranges it was built
// on (a value outside is flagged). One report section, printed with the forecast or the advice of
// the command line, and on the printed page of the browser tool (pure: no Node built-in).

import type { Estimate } from '../bayes/estimate.js';
import { blqLimitsOf } from '../bayes/blq-limits.js';
import { mapObjective, type ObjectiveOptions } from '../bayes/objective.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { covariateRangeWarnings, ranges } from '../regimen/covariate-ranges.js';
import { dataTable } from './table.js';
import { logScaleLevel } from './level-scale.js';
import { recordOutput } from '../engine/outputs.js';
import type { ReportSection } from './html.js';

/** Six significant digits, no trailing zeros ("4", "5.44093", "36.0232"). */
const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '.');

/**
 * Individual η-shrinkage from the posterior SD: 1 − √(1 − SD²/ω²). In a linear model the estimate
 * varies over patients with variance ω² − SD², so this is the cohort's 1 − SD(η̂)/ω for one patient:
 * 0 when the levels determine η (SD → 0), 1 when they tell nothing (SD = ω). It read 1 − SD/ω, which
 * runs the other way (0 for a prior-only estimate) under a caption that reads it as this.
 */
export function individualShrinkage(sd: number, omega: number): number {
  const r = sd / omega;
  return 1 - Math.sqrt(Math.max(0, 1 - r * r));
}

// below the engine: simulate(), estimate() and forecast() say them too (W_COVARIATE_RANGE)
export { covariateRangeWarnings, rangeBreaches, rangeBreachText, type RangeBreach } from '../regimen/covariate-ranges.js';

/** The explanation's words for an estimate without warnings (a report replaces them when the run gave others: src/report/warnings.ts). */
export const NO_WARNINGS = 'No warnings: every level is informative and plausible, and every covariate lies within the model’s stated ranges.';

/**
 * The explanation section of one patient; `blq` the BLQ columns and `overrides` the items the fit
 * read (estimate()'s options; `overrideName` names an override in the caller's words). Without the
 * overrides the typical and individual values were the charted items': V 54 and 52.07 L for a fit
 * at --param WT=60 over a chart of WT 80 (40.5 and 39.05 L).
 */
export function explanationSection(model: Model, id: number, records: readonly DataRecord[], fit: Estimate, blq?: ObjectiveOptions['blq'], overrides?: ObjectiveOptions['overrides'], overrideName?: (name: string, value: number) => string): ReportSection {
  const file = model.file as { citation?: string; reference?: string; population?: string; description?: string };
  const obj = mapObjective(model, records, { blq, overrides });
  const zero = new Array<number>(obj.dim).fill(0);
  // on the last record, as estimate() reports the parameters: the patient's current values
  const last = Math.max(0, obj.records.length - 1);
  const typical = obj.values(zero, last);
  const individual = obj.values(fit.x, last);
  const names = Object.keys(fit.parameters);
  // the model's declared units (parameters.CL.unit "L/h") never showed beside the values
  const declared = (model.file as { parameters?: Record<string, unknown> }).parameters ?? {};
  const unitOf = (n: string): string => {
    const p = declared[n] as { unit?: unknown } | undefined;
    return typeof p === 'object' && p !== null && typeof p.unit === 'string' && p.unit.trim() !== '' ? ` (${p.unit})` : '';
  };
  const observed = (model.file as { observe?: { unit?: unknown } }).observe?.unit;
  // one output: its levels are in observe.unit (several outputs' levels may be in several units)
  const levelUnit = !model.outputs && typeof observed === 'string' && observed.trim() !== '' ? observed : undefined;
  const paramRows = names.map((n) => {
    const t = typical[n] as number;
    const v = individual[n] as number;
    return [`${n}${unitOf(n)}`, fmt(t), fmt(v), Number.isFinite(t) && t !== 0 ? `${fmt((100 * (v - t)) / Math.abs(t))}%` : '.'];
  });
  const etaNames = model.omega?.names ?? [];
  const omega = model.omega?.matrix ?? [];
  const etaRows = etaNames.map((n, i) => {
    const w = Math.sqrt((omega[i] as readonly number[])[i] as number);
    const j = fit.labels.indexOf(n);
    const sd = j >= 0 && fit.covariance ? Math.sqrt((fit.covariance[j] as number[])[j] as number) : NaN;
    return [n, fmt(w), fmt(fit.eta[i] as number), Number.isFinite(sd) ? fmt(sd) : '.', Number.isFinite(sd) && w > 0 ? `${fmt(100 * individualShrinkage(sd, w))}%` : '.'];
  });
  // a BLQ level as the fit censored it: below its limit (it showed as a measured 0, as missing with DV .)
  const limits = blqLimitsOf(records, blq);
  const shown = records.map((r, i) => r.EVID === 0 && r.MDV === 0 && (Number.isFinite(r.DV) || Number.isFinite(limits[i] as number)));
  // a log-scale DV (exponential error) and its limit as concentrations, on IPRED's scale: "Measured
  // 2.88729" stood beside IPRED 19.2631 for a level of 17.9446, and "<0 (BLQ)" for a limit of 1
  const logged = records.map((r, i) => shown[i] === true && logScaleLevel(model, r));
  // several outputs: which one each level measures, with its unit (they may differ)
  const outputOf = (r: DataRecord): string[] => {
    if (!model.outputs) return [];
    const o = recordOutput(model, r);
    return [o ? `${o.name}${o.unit ? ` (${o.unit})` : ''}` : '.'];
  };
  const levelRows = records.flatMap((r, i) => {
    if (!shown[i]) return [];
    const c = (v: number): number => (logged[i] ? Math.exp(v) : v);
    const measured = Number.isFinite(limits[i] as number) ? `<${fmt(c(limits[i] as number))} (BLQ)` : fmt(c(r.DV));
    return [[fmt(r.TIME), ...outputOf(r), measured, fmt(fit.ipred[i] as number), fmt(fit.pred[i] as number), fmt(fit.iwres[i] as number), Math.abs(fit.iwres[i] as number) > 4 ? 'implausible (|IWRES| > 4)' : '']];
  });
  const loggedOutputs = [...new Set(records.flatMap((r, i) => (logged[i] ? [recordOutput(model, r)?.name ?? ''] : [])))];
  const measuredHeading = !logged.some(Boolean) ? 'Measured' : model.outputs && records.some((_, i) => shown[i] && !logged[i]) ? `Measured (exp(DV) for ${loggedOutputs.join(', ')})` : 'Measured (exp(DV))';
  // the ranges said here for every fit (one from elsewhere may not carry them), not twice
  const warnings = [...fit.warnings.filter((w) => w.code !== 'W_COVARIATE_RANGE').map((w) => w.message), ...covariateRangeWarnings(model, records, overrides, overrideName)];
  const rng = ranges(model);
  const text = [
    `Model: ${model.name}${file.citation ? ` — ${file.citation}` : file.reference ? ` — ${file.reference}` : ''}.${file.population ? ` Built on: ${file.population}.` : ''}` +
      (rng.length ? ` Covariate ranges of the model: ${rng.map(([n, lo, hi]) => `${n} ${fmt(lo)}–${fmt(hi)}`).join(', ')}.` : ' The model file states no covariate ranges.'),
    `MAP estimate ${fit.converged ? 'converged' : 'did NOT converge'} (OFV ${fit.ofv.toFixed(4)}). Typical and individual values are the population's for this patient's covariates (all η = 0) and the patient's, on the last record (the current values); shrinkage is 1 − √(1 − posterior SD² / ω²), the patient's share of the cohort's η-shrinkage 1 − SD(η̂)/ω (the same in a linear model): near 100 % the levels told little about that η, near 0 % they determined it.`,
    warnings.length ? `Warnings:\n\n${warnings.map((w) => `• ${w}`).join('\n\n')}` : NO_WARNINGS,
  ].join('\n\n');
  const table =
    dataTable([{ heading: 'Parameter' }, { heading: 'Typical', numeric: true }, { heading: 'Individual', numeric: true }, { heading: 'Difference', numeric: true }], paramRows, { caption: 'Individual parameters against the typical patient with the same covariates' }) +
    (etaRows.length ? dataTable([{ heading: 'η' }, { heading: 'Prior SD (ω)', numeric: true }, { heading: 'Estimate', numeric: true }, { heading: 'Posterior SD', numeric: true }, { heading: 'Shrinkage', numeric: true }], etaRows, { caption: 'How far the levels moved each random effect' }) : '') +
    (levelRows.length ? dataTable([{ heading: 'Time (h)', numeric: true }, ...(model.outputs ? [{ heading: 'Output' }] : []), { heading: measuredHeading, numeric: true }, { heading: 'Fitted (IPRED)', numeric: true }, { heading: 'Typical (PRED)', numeric: true }, { heading: 'IWRES', numeric: true }, { heading: '' }], levelRows, { caption: `Measured against fitted levels${levelUnit ? ` (${levelUnit})` : ''}` }) : '');
  return { heading: `ID ${id}: why this estimate`, text, table };
}
