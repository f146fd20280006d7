// A population's level-derived metric below zero under a model text. A model text's compartments
// are not held at zero by the solver (one may be a PD quantity), and a population keeps no amounts,
// so simulate's W_NEGATIVE_AMOUNT could not be said: a Michaelis–Menten text (V 42, VMAX 6300, KM 10,
// 60 g IV) at rtol 1e-4 under Dormand–Prince reported auc:0:24 −9319.6 for every subject (exact
// 6897.96) with no warning. Each chunk tallies its metric columns, already computed for its
// summaries; the tallies merge into what one pass over every subject in order gives, so the warning
// is the same whatever the chunk size and the number of workers.

import type { MetricDef, MetricType } from './metrics.js';

/** One metric's tally over some subjects: how many are below 0, the lowest value and its subject, the largest value (≥ 0). */
export interface NegativeTally {
  readonly negative: number;
  /** The lowest value below 0 (0 when none). */
  readonly min: number;
  /** Its subject (0-based in the population; the first such on ties), −1 when none. */
  readonly at: number;
  readonly max: number;
}

/** What a chunk of a model text's population sends: the solver's tolerances and one tally per metric. */
export interface NegativeTallies {
  readonly rtol: number;
  readonly atol: number;
  readonly metrics: readonly NegativeTally[];
}

/** Metrics that are levels or their integrals; a time or a fraction of time is never negative. */
const LEVEL_TYPES: ReadonlySet<MetricType> = new Set(['auc', 'cmax', 'cmin', 'cavg', 'value', 'trough']);

/** The tally of `col` (one value per subject, NaN for failed ones), its first subject numbered `first`. */
export function tallyNegatives(col: Float64Array, first: number): NegativeTally {
  let negative = 0;
  let min = 0;
  let at = -1;
  let max = 0;
  for (let s = 0; s < col.length; s++) {
    const x = col[s] as number;
    if (x > max) max = x;
    if (!(x < 0)) continue;
    negative++;
    if (x < min) {
      min = x;
      at = first + s;
    }
  }
  return { negative, min, at, max };
}

/** Two tallies as one (their subjects in any order: ties keep the lower subject). */
export function mergeTally(a: NegativeTally, b: NegativeTally): NegativeTally {
  const bLower = b.at >= 0 && (a.at < 0 || b.min < a.min || (b.min === a.min && b.at < a.at));
  return { negative: a.negative + b.negative, min: bLower ? b.min : a.min, at: bLower ? b.at : a.at, max: Math.max(a.max, b.max) };
}

export function mergeTallies(a: NegativeTallies | undefined, b: NegativeTallies | undefined): NegativeTallies | undefined {
  if (!a || !b) return a ?? b;
  return { rtol: a.rtol, atol: a.atol, metrics: a.metrics.map((t, j) => mergeTally(t, b.metrics[j] as NegativeTally)) };
}

/**
 * W_NEGATIVE_METRIC (one warning, or none), naming each level-derived metric whose lowest value is
 * below −(atol + rtol·its largest value ≥ 0 over the population): the largest, not the largest
 * magnitude, so that a value running off below zero does not widen its own bound (as
 * W_NEGATIVE_AMOUNT's peak). atol is the solver's, in amount units: the bound is a floor, not a conversion.
 */
export function negativeMetricWarnings(metrics: readonly MetricDef[], tallies: NegativeTallies | undefined, subjects: number): string[] {
  if (!tallies) return [];
  const said: string[] = [];
  metrics.forEach((m, j) => {
    const t = tallies.metrics[j];
    if (!t || !LEVEL_TYPES.has(m.type) || t.at < 0) return;
    const bound = tallies.atol + tallies.rtol * t.max;
    if (!(t.min < -bound)) return;
    said.push(`metric ${m.name} is negative for ${t.negative.toLocaleString('en-US')} of ${subjects.toLocaleString('en-US')} subjects, lowest ${+t.min.toPrecision(6)} (virtual subject ${t.at + 1}), below -(atol + rtol × its largest value ${+t.max.toPrecision(6)}) = ${+(-bound).toPrecision(3)}`);
  });
  if (said.length === 0) return [];
  return [
    `W_NEGATIVE_METRIC: ${said.join('; ')}: the solver most likely stepped an amount of the model text through zero (a saturable elimination at a loose tolerance, rtol ${tallies.rtol}); tighten rtol, e.g. to 1e-6. ` +
      'If the quantity may be negative (a response, a change from baseline), ignore this.',
  ];
}
