// Covariate values outside the ranges a model file states (`covariates.NAME.range: [lo, hi]`): an
// extrapolation. Said by simulate(), estimate() and forecast() in their warnings (W_COVARIATE_RANGE),
// and by the command line and the explanation section of reports: it was said by those alone, and
// an app forecast a WT of 300 kg under a range of 40–150 without a word.

import type { Model } from '../model/model.js';
import type { DataRecord } from './record.js';

export const COVARIATE_RANGE_CODE = 'W_COVARIATE_RANGE' as const;

/** Six significant digits, no trailing zeros ("4", "5.44093", "36.0232"). */
const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '.');

/** Covariate ranges a model file states (`covariates.NAME.range: [lo, hi]`). */
export function ranges(model: Model): [string, number, number][] {
  const cov = (model.file as { covariates?: Record<string, { range?: [number, number] }> } | undefined)?.covariates ?? {};
  return Object.entries(cov).flatMap(([n, c]) => (c.range ? [[n, c.range[0], c.range[1]] as [string, number, number]] : []));
}

/** A covariate the records give outside the range the model states, with those records (the first names the value). */
export interface RangeBreach {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly records: readonly DataRecord[];
}

/** The covariates the records give outside the ranges the model states, one per covariate. */
export function rangeBreaches(model: Model, records: readonly DataRecord[]): RangeBreach[] {
  return ranges(model).flatMap(([name, lo, hi]) => {
    const bad = records.filter((r) => r.items[name] !== undefined && !Number.isNaN(r.items[name] as number) && ((r.items[name] as number) < lo || (r.items[name] as number) > hi));
    return bad.length ? [{ name, lo, hi, records: bad }] : [];
  });
}

/** "CRCL 400<where> lies outside 10–200, …" for a breach, `where` placed after the value. */
export function rangeBreachText(b: RangeBreach, where: string): string {
  return `${b.name} ${fmt(b.records[0]?.items[b.name] as number)}${where} lies outside ${fmt(b.lo)}–${fmt(b.hi)}, the range the model was built on: an extrapolation`;
}

/** Covariate values of the records outside the ranges the model states: one line each. */
export function covariateRangeWarnings(model: Model, records: readonly DataRecord[]): string[] {
  return rangeBreaches(model, records).map((b) => rangeBreachText(b, ` (row ${b.records[0]?.row}${b.records.length > 1 ? ` and ${b.records.length - 1} more` : ''})`));
}
