// Per-metric population summary: moments (mean/SD/min/max), a DDSketch (quantiles with relative
// error ≤ α) and optional window counts (fraction below / within / above a target range).
// Memory is flat in N: O(maxBuckets) per metric regardless of the number of subjects.
//
// Typical use with chunks of subjects on workers:
//   worker k:  summarize(aucChunk, { lo: 400, hi: 600 }).toJSON()          → plain JSON, any transport
//   main:      chunkJsons.map(MetricSummary.fromJSON).reduce(merge)       (in chunk order)
// The sketch and window parts merge exactly and order-independently; the moments merge is
// deterministic for a given chunk order (bit-identical whichever worker computed each chunk).

import { DosewiseError } from '../../errors.js';
import {
  EMPTY_MOMENTS, mergeMoments, momentsFromJSON, momentsToJSON, standardDeviation, welford,
  type Moments, type MomentsJSON,
} from './moments.js';
import { DDSketch, type DDSketchJSON, type SketchOptions } from './sketch.js';
import { pct as percentText } from './percent-text.js';
import {
  emptyWindowCounts, mergeWindowCounts, windowCounts, windowCountsFromJSON, windowCountsToJSON, windowFractions,
  type Window, type WindowCounts, type WindowCountsJSON,
} from './window.js';

export const SUMMARY_VERSION = 1;

export interface MetricSummaryJSON {
  version: 1;
  moments: MomentsJSON;
  sketch: DDSketchJSON;
  window: WindowCountsJSON | null;
}

/** Readable report. NaN where undefined (empty summary, sd with n < 2, fractions without a window → null). */
export interface SummaryReport {
  /** Finite values summarized. */
  n: number;
  /** NaN / ±Infinity values excluded from everything. */
  nonFinite: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator). */
  sd: number;
  min: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  max: number;
  fracBelow: number | null;
  fracIn: number | null;
  fracAbove: number | null;
  /**
   * The window fractions over every subject counted, those without a value (nonFinite: a failed
   * simulation, an undefined metric) included, each counted as not in the window: their exposure
   * is unknown (unbounded where elimination saturates below the dose rate). fracBelow … fracAbove
   * are over the n with a value only, so where 543 of 2,000 failed, 80.0 % in the window there was
   * 58.25 % of the subjects (fracInAll), the PTA pta reports. The four add up to 1; null without a
   * window, NaN when nothing was counted.
   */
  fracBelowAll: number | null;
  fracInAll: number | null;
  fracAboveAll: number | null;
  /** nonFinite / (n + nonFinite): the subjects without a value, counted in none of the window's three. */
  fracNoValue: number | null;
  /** α: each pXX is within α·|exact| of the exact lower empirical quantile x_(⌊q(n−1)⌋). */
  quantileRelativeError: number;
  /** True if the sketch collapsed buckets: quantiles in the lowest kept bucket may then exceed α. */
  quantilesCollapsed: boolean;
  /** The quantiles (p05 … p95) in such a bucket: each is only an upper bound of the value at its rank. */
  foldedQuantiles: string[];
}

/** SummaryReport's fractions over every subject counted (a subject without a value is in none of the three). */
function allFractions(w: WindowCounts | null, nonFinite: number): Pick<SummaryReport, 'fracBelowAll' | 'fracInAll' | 'fracAboveAll' | 'fracNoValue'> {
  if (w === null) return { fracBelowAll: null, fracInAll: null, fracAboveAll: null, fracNoValue: null };
  const all = w.below + w.within + w.above + nonFinite;
  if (all === 0) return { fracBelowAll: NaN, fracInAll: NaN, fracAboveAll: NaN, fracNoValue: NaN };
  return { fracBelowAll: w.below / all, fracInAll: w.within / all, fracAboveAll: w.above / all, fracNoValue: nonFinite / all };
}

const QUANTILES = [['p05', 0.05], ['p25', 0.25], ['p50', 0.5], ['p75', 0.75], ['p95', 0.95]] as const;

export class MetricSummary {
  readonly moments: Moments;
  readonly sketch: DDSketch;
  readonly window: WindowCounts | null;

  /** Takes ownership of `sketch`; prefer summarize(), merge() and fromJSON(). */
  constructor(moments: Moments, sketch: DDSketch, window: WindowCounts | null) {
    this.moments = moments;
    this.sketch = sketch;
    this.window = window;
  }

  /** An empty summary (identity of merge for the same window and sketch options). */
  static empty(window?: Window, options: SketchOptions = {}): MetricSummary {
    return new MetricSummary(EMPTY_MOMENTS, new DDSketch(options), window === undefined ? null : emptyWindowCounts(window));
  }

  get n(): number {
    return this.moments.count;
  }

  quantile(q: number): number {
    return this.sketch.quantile(q);
  }

  report(): SummaryReport {
    const m = this.moments;
    const empty = m.count === 0;
    const f = this.window === null ? null : windowFractions(this.window);
    const s = this.sketch;
    return {
      n: m.count,
      nonFinite: m.nonFinite,
      mean: empty ? NaN : m.mean,
      sd: standardDeviation(m),
      min: empty ? NaN : m.min,
      p05: s.quantile(0.05),
      p25: s.quantile(0.25),
      p50: s.quantile(0.5),
      p75: s.quantile(0.75),
      p95: s.quantile(0.95),
      max: empty ? NaN : m.max,
      fracBelow: f === null ? null : f.fracBelow,
      fracIn: f === null ? null : f.fracIn,
      fracAbove: f === null ? null : f.fracAbove,
      ...allFractions(this.window, m.nonFinite),
      quantileRelativeError: s.alpha,
      quantilesCollapsed: s.collapsed,
      foldedQuantiles: QUANTILES.filter(([, q]) => s.quantileFolded(q)).map(([name]) => name),
    };
  }

  toJSON(): MetricSummaryJSON {
    return {
      version: SUMMARY_VERSION,
      moments: momentsToJSON(this.moments),
      sketch: this.sketch.toJSON(),
      window: this.window === null ? null : windowCountsToJSON(this.window),
    };
  }

  static fromJSON(j: unknown): MetricSummary {
    if (typeof j !== 'object' || j === null) {
      throw new DosewiseError('E_PARAMETER', 'summary: expected an object', { path: 'summary', value: j });
    }
    const o = j as Record<string, unknown>;
    if (o.version !== SUMMARY_VERSION) {
      throw new DosewiseError('E_PARAMETER', `summary.version: unsupported version (got ${String(o.version)}, expected ${SUMMARY_VERSION})`,
        { path: 'summary.version', value: o.version });
    }
    const moments = momentsFromJSON(o.moments, 'summary.moments');
    const sketch = DDSketch.fromJSON(o.sketch, 'summary.sketch');
    const window = o.window === null || o.window === undefined ? null : windowCountsFromJSON(o.window, 'summary.window');
    if (sketch.count !== moments.count) {
      throw new DosewiseError('E_PARAMETER', `summary: sketch count ${sketch.count} ≠ moments count ${moments.count}`, { path: 'summary' });
    }
    if (window !== null && window.below + window.within + window.above !== moments.count) {
      throw new DosewiseError('E_PARAMETER', 'summary: window counts do not add up to the moments count', { path: 'summary.window' });
    }
    return new MetricSummary(moments, sketch, window);
  }
}

/** Summary of one chunk of per-subject values (NaN / ±Infinity counted as nonFinite and excluded). */
export function summarize(values: ArrayLike<number>, window?: Window, options: SketchOptions = {}): MetricSummary {
  return new MetricSummary(
    welford(values),
    new DDSketch(options).addAll(values),
    window === undefined ? null : windowCounts(values, window),
  );
}

/**
 * Summary of a ++ b (a is the earlier chunk). Neither argument is modified. Requires the same
 * window (or none) and the same sketch alpha / maxBuckets.
 */
export function merge(a: MetricSummary, b: MetricSummary): MetricSummary {
  if ((a.window === null) !== (b.window === null)) {
    throw new DosewiseError('E_PARAMETER', 'summary: cannot merge a summary with a window and one without', { path: 'summary.window' });
  }
  const window = a.window !== null && b.window !== null ? mergeWindowCounts(a.window, b.window) : null;
  return new MetricSummary(mergeMoments(a.moments, b.moments), a.sketch.clone().mergeFrom(b.sketch), window);
}

/** Left fold of merge over chunk summaries in chunk order (copies the sketch once, not per chunk). */
export function mergeAll(chunks: readonly MetricSummary[]): MetricSummary {
  const first = chunks[0];
  if (first === undefined) throw new DosewiseError('E_PARAMETER', 'summary: nothing to merge', { path: 'summary' });
  let moments = first.moments;
  let window = first.window;
  const sketch = first.sketch.clone();
  for (let i = 1; i < chunks.length; i++) {
    const c = chunks[i] as MetricSummary;
    if ((window === null) !== (c.window === null)) {
      throw new DosewiseError('E_PARAMETER', 'summary: cannot merge a summary with a window and one without', { path: 'summary.window' });
    }
    moments = mergeMoments(moments, c.moments);
    sketch.mergeFrom(c.sketch);
    if (window !== null && c.window !== null) window = mergeWindowCounts(window, c.window);
  }
  return new MetricSummary(moments, sketch, window);
}

/**
 * A warning per metric whose printed quantiles lie in a folded bucket (values spanning more decades
 * than the sketch keeps, e.g. concentrations from 1e-74 to 40): there p05 read 1.3e-16 for 1.7e-74;
 * and per metric whose SD exceeds the largest double (values of both signs near ±1.8e308): it is
 * +Infinity, printed as – and written as null, not a number.
 */
export function foldedQuantileWarnings(reports: readonly { readonly name: string; readonly report: SummaryReport }[]): string[] {
  return reports.flatMap(({ name, report: r }) => [
    ...(r.foldedQuantiles.length === 0
      ? []
      : [`metric ${name}: its values span more decades than the summary keeps (${Number(r.min.toPrecision(4))} to ${Number(r.max.toPrecision(4))}), so ${r.foldedQuantiles.join(', ')} lie in its lowest bucket and are only upper bounds (≤ ${r.foldedQuantiles.map((q) => (r[q as keyof SummaryReport] as number).toPrecision(4)).join(', ')}), not within ${100 * r.quantileRelativeError}%; the subject table has the exact values`]),
    ...(r.n > 1 && r.sd === Infinity
      ? [`metric ${name}: its SD exceeds the largest double (1.8e308; values from ${r.min.toPrecision(4)} to ${r.max.toPrecision(4)}), so it is not reported (– in the table, null in JSON)`]
      : []),
  ]);
}

/**
 * The warning of a run some of whose subjects' simulation failed (their metrics are NaN): the
 * summaries and window fractions are over the subjects simulated only, which said nothing (543 of
 * 2,000 failed with VMAX below the dose rate: "in 80.0 %" where 58.25 % of the subjects were in the
 * window, the PTA pta gives). Names the count and, per metric with a window, its fraction of all
 * subjects in the window (fracInAll: a failed subject counted as not in it). None when none failed.
 */
export function failedSubjectWarnings(failed: number, count: number, reports: readonly { readonly name: string; readonly report: SummaryReport }[]): string[] {
  if (!(failed > 0)) return [];
  const fmt = (x: number): string => x.toLocaleString('en-US');
  // as the table prints fractions, and pta its share of failed subjects (27.1 % for 543 of 2,000)
  const pc = (x: number): string => `${percentText(x)} %`;
  const windowed = reports.filter((r) => r.report.fracInAll !== null && Number.isFinite(r.report.fracInAll));
  const all = windowed.map(({ name, report: r }) => `${name} ${pc(r.fracInAll as number)}${r.fracIn !== null && Number.isFinite(r.fracIn) ? ` (${pc(r.fracIn)} of those simulated)` : ''}`);
  return [
    `W_SIMULATION_FAILED: the simulation of ${fmt(failed)} of ${fmt(count)} virtual subjects (${Number(((100 * failed) / count).toPrecision(3))} %) failed (e.g. no periodic steady state, as when elimination saturates below the dose rate): their exposures are unknown (unbounded where elimination saturates), ` +
      `so n, mean, SD, percentiles${windowed.length ? ' and the fractions below / in / above the window' : ''} are over the ${fmt(count - failed)} subjects simulated only` +
      (windowed.length ? `; of all ${fmt(count)} subjects, a failed one counted as not in the window (in/all; fracInAll in JSON), in the window: ${all.join(', ')}` : ''),
  ];
}
