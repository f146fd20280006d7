// Covariate values outside the ranges a model file states (`covariates.NAME.range: [lo, hi]`): an
// extrapolation. Said by simulate(), estimate() and forecast() in their warnings (W_COVARIATE_RANGE),
// and by the command line and the explanation section of reports: it was said by those alone, and
// an app forecast a WT of 300 kg under a range of 40–150 without a word. An override of a covariate
// (the option `overrides`, the command line's --param) replaces the records' values, so it is the
// value judged: `--param WT=300` over a chart of WT 80 was not said, `--param WT=60` over a chart of
// WT 300 was.

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

/**
 * A covariate outside the range the model states: given by the records (the first of them names the
 * value), or by an override (`override`, no records), which replaces the records' values.
 */
export interface RangeBreach {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly value: number;
  readonly records: readonly DataRecord[];
  readonly override: boolean;
}

/** The covariates the records, or the overrides that replace them, give outside the ranges the model states, one per covariate. */
export function rangeBreaches(model: Model, records: readonly DataRecord[], overrides?: Readonly<Record<string, number>>): RangeBreach[] {
  return ranges(model).flatMap(([name, lo, hi]): RangeBreach[] => {
    const o = overrides?.[name];
    if (o !== undefined && model.inputs.includes(name)) return Number.isFinite(o) && (o < lo || o > hi) ? [{ name, lo, hi, value: o, records: [], override: true }] : [];
    const bad = records.filter((r) => r.items[name] !== undefined && !Number.isNaN(r.items[name] as number) && ((r.items[name] as number) < lo || (r.items[name] as number) > hi));
    return bad.length ? [{ name, lo, hi, value: bad[0]?.items[name] as number, records: bad, override: false }] : [];
  });
}

/** "CRCL 400<where> lies outside 10–200, …" for a breach, `where` placed after the value. */
export function rangeBreachText(b: RangeBreach, where: string): string {
  return `${b.name} ${fmt(b.value)}${where} lies outside ${fmt(b.lo)}–${fmt(b.hi)}, the range the model was built on: an extrapolation`;
}

/**
 * Covariate values outside the ranges the model states: one line each, named by the record that
 * gives it or by the override (`overrideName`, the library's `overrides.WT` by default; the command
 * line names its --param).
 */
export function covariateRangeWarnings(model: Model, records: readonly DataRecord[], overrides?: Readonly<Record<string, number>>, overrideName: (name: string, value: number) => string = (n) => `overrides.${n}`): string[] {
  return rangeBreaches(model, records, overrides).map((b) => rangeBreachText(b, b.override ? ` (${overrideName(b.name, b.value)})` : rowsText(b)));
}

/** The records' own values outside the ranges, leaving out the items the overrides replace (said with another set of records: a forecast's history). */
export function chartedRangeWarnings(model: Model, records: readonly DataRecord[], overrides?: Readonly<Record<string, number>>): string[] {
  return rangeBreaches(model, records, overrides).flatMap((b) => (b.override ? [] : [rangeBreachText(b, rowsText(b))]));
}

const rowsText = (b: RangeBreach): string => ` (row ${b.records[0]?.row}${b.records.length > 1 ? ` and ${b.records.length - 1} more` : ''})`;
