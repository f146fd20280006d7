// SVG primitives for the report charts: escaping, number formatting, linear and log scales, nice
// ticks, axes with labels and units, a legend, and the chart frame (viewBox, accessible <title> and
// <desc>, a "no data" note). Everything is a pure function returning strings: no DOM, no Node API,
// so the same code runs in Node and in browsers, and the same input always gives the same bytes.
//
// Presentation is in attributes (not a <style> element) so that an SVG inlined in an HTML page
// neither leaks styles into the page nor depends on the page's CSS. Elements carry `class` names
// (dw-band, dw-line, dw-point, dw-target, dw-tick, ...) for tests and for optional page styling.

import { ReportError } from '../errors.js';

/** A chart was asked for something it cannot draw: a DosewiseError with code E_REPORT (defined in the error catalogue). */
export { ReportError };

// ---------------------------------------------------------------------------------------------
// Text and numbers

/** Escapes text for XML/HTML content and attribute values (& < > " '). */
export function esc(s: unknown): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A coordinate: rounded to 0.01 px, no "-0" (deterministic, compact output). */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A number for a label: integers as they are, others to `digits` significant digits. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '–';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  const r = Number(v.toPrecision(digits));
  if (r !== 0 && (Math.abs(r) >= 1e7 || Math.abs(r) < 1e-4)) return r.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  return String(r);
}

/** A fraction 0..1 as a percentage with one decimal ("12.3%"). */
export function pct(f: number, decimals = 1): string {
  if (!Number.isFinite(f)) return '–';
  return `${(f * 100).toFixed(decimals)}%`;
}

/** "label (unit)", or the label alone. */
export function withUnit(label: string, unit?: string): string {
  return unit ? `${label} (${unit})` : label;
}

/** Approximate rendered width of `s` in a sans-serif font of `size` px (for layout only). */
export function textWidth(s: string, size = 12): number {
  let w = 0;
  for (const ch of s) {
    if (/[il.,:;'|!·]/.test(ch)) w += 0.3;
    else if (/[mwMW%]/.test(ch)) w += 0.9;
    else if (/[A-Z]/.test(ch)) w += 0.68;
    else if (ch === ' ') w += 0.3;
    else w += 0.57;
  }
  return w * size;
}

/** Shortens `s` with an ellipsis to fit `width` px (the full text should go into a <title>). */
export function truncate(s: string, width: number, size = 12): string {
  if (textWidth(s, size) <= width) return s;
  let t = s;
  while (t.length > 1 && textWidth(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}

/** 32-bit FNV-1a hash as base-36 (deterministic element ids). */
export function hashId(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** Renders an element: attributes in the given order, undefined ones left out, values escaped. */
export function el(name: string, attrs: Record<string, string | number | undefined>, content?: string): string {
  let s = `<${name}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    s += ` ${k}="${typeof v === 'number' ? px(v) : esc(v)}"`;
  }
  return content === undefined ? `${s}/>` : `${s}>${content}</${name}>`;
}

/** Points attribute of a polyline/polygon. */
export function points(xy: readonly (readonly [number, number])[]): string {
  return xy.map(([x, y]) => `${px(x)},${px(y)}`).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Colours (Okabe–Ito: distinguishable with colour-vision deficiency, and in greyscale print)

export const COLORS = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  purple: '#CC79A7',
  yellow: '#F0E442',
  ink: '#222222',
  grey: '#666666',
  grid: '#E3E3E3',
  axis: '#444444',
} as const;

/** Series colours, in order. */
export const SERIES = [COLORS.blue, COLORS.vermillion, COLORS.green, COLORS.purple, COLORS.orange, COLORS.sky, COLORS.ink] as const;
/** Series dash patterns (so lines stay distinct in greyscale). */
export const DASHES = [undefined, '7 3', '2 3', '9 3 2 3'] as const;

/** Below / within / above a target window. */
export const REGION_COLORS = { below: COLORS.sky, within: COLORS.green, above: COLORS.vermillion } as const;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

// ---------------------------------------------------------------------------------------------
// Scales and ticks

export type ScaleKind = 'linear' | 'log';

export interface Scale {
  readonly kind: ScaleKind;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Data value → pixel. */
  map(v: number): number;
}

/** Linear map of `domain` onto `range` (a zero-width domain maps to the middle of the range). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return {
    kind: 'linear',
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0)),
  };
}

/** Log map of `domain` onto `range`; the domain must be > 0. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  if (!(d0 > 0 && d1 > 0)) throw new ReportError(`log scale: the domain must be > 0 (got ${d0}..${d1})`);
  const l0 = Math.log(d0);
  const span = Math.log(d1) - l0;
  const [r0, r1] = range;
  return {
    kind: 'log',
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((Math.log(v) - l0) / span) * (r1 - r0)),
  };
}

export function makeScale(kind: ScaleKind, domain: readonly [number, number], range: readonly [number, number]): Scale {
  return kind === 'log' ? logScale(domain, range) : linearScale(domain, range);
}

/** Removes floating-point noise (0.30000000000000004 → 0.3). */
function clean(v: number): number {
  const r = Number(v.toPrecision(12));
  return Object.is(r, -0) ? 0 : r;
}

/** A 1-2-5 step giving about `count` intervals over `span`. */
export function niceStep(span: number, count = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return clean((n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag);
}

/** Multiples of `step` within [lo, hi]. */
export function stepTicks(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9 && out.length < 1000; k++) out.push(clean(k * step));
  return out;
}

/** Nice ticks (1-2-5 steps) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (lo === hi) return [clean(lo)];
  return stepTicks(lo, hi, niceStep(hi - lo, count));
}

/** [lo, hi] widened to multiples of the nice step (a zero-width interval is widened first). */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  const [a, b] = niceDomainStep(lo, hi, count);
  return [a, b];
}

/** niceDomain with its tick step. */
function niceDomainStep(lo: number, hi: number, count: number): [number, number, number] {
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const step = niceStep(hi - lo, count);
  return [clean(Math.floor(lo / step + 1e-9) * step), clean(Math.ceil(hi / step - 1e-9) * step), step];
}

/** Log-axis ticks in [lo, hi]: decades over wide ranges, 1-2-5 over a few decades, finer within one. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0 && hi > 0)) throw new ReportError(`log scale: ticks need a range > 0 (got ${lo}..${hi})`);
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 4 ? [1] : decades > 1.2 ? [1, 2, 5] : decades > 0.5 ? [1, 1.5, 2, 3, 5, 7] : [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = clean(m * 10 ** e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  if (decades > 8) return out.filter((_, i) => i % Math.ceil(decades / 8) === 0);
  return out;
}

/** [lo, hi] widened to 1-2-5 boundaries for a log axis. */
export function logDomain(lo: number, hi: number): [number, number] {
  if (!(lo > 0 && hi > 0)) throw new ReportError(`log scale: values must be > 0 (got ${lo}..${hi})`);
  if (lo === hi) return [clean(lo / 2), clean(hi * 2)];
  const down = (v: number) => {
    const e = 10 ** Math.floor(Math.log10(v));
    const m = v / e;
    return clean((m >= 5 ? 5 : m >= 2 ? 2 : 1) * e);
  };
  const up = (v: number) => {
    const e = 10 ** Math.floor(Math.log10(v));
    const m = v / e;
    return clean((m <= 1 + 1e-9 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e);
  };
  return [down(lo), up(hi)];
}

/** Throws a clear error when a log axis would get a value ≤ 0 (NaN is skipped elsewhere). */
export function requirePositive(values: Iterable<number>, what: string): void {
  for (const v of values) {
    if (Number.isFinite(v) && v <= 0) throw new ReportError(`${what}: a log scale needs values > 0 (got ${v})`);
  }
}

/** Tick label: plain decimals (no floating noise), exponent form for very large or small values. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(clean(v));
}

// ---------------------------------------------------------------------------------------------
// Axes

export interface AxisSpec {
  readonly kind: ScaleKind;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly label?: string;
  readonly unit?: string;
  readonly format?: (v: number) => string;
}

export interface AxisFromOptions {
  readonly kind?: ScaleKind;
  /** Include 0 in a linear domain (counts, concentrations, percentages). */
  readonly zero?: boolean;
  /** Approximate number of ticks (linear). */
  readonly count?: number;
  /** Fixed domain: overrides the data extent. */
  readonly domain?: readonly [number, number];
  /** Linear: widen the domain to tick multiples (default true); false keeps the data extent. */
  readonly nice?: boolean;
  /** Fixed ticks: overrides the generated ones. */
  readonly ticks?: readonly number[];
  readonly label?: string;
  readonly unit?: string;
  readonly format?: (v: number) => string;
  /** Names the values in the error of a log axis over values ≤ 0. */
  readonly what?: string;
}

/** An axis over the finite values given: nice domain and ticks (linear), 1-2-5 ones (log). */
export function axisFrom(values: Iterable<number>, o: AxisFromOptions = {}): AxisSpec {
  const kind = o.kind ?? 'linear';
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (kind === 'log' && v <= 0) throw new ReportError(`${o.what ?? 'chart'}: a log scale needs values > 0 (got ${v})`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const base = { label: o.label, unit: o.unit, format: o.format };
  if (kind === 'log') {
    if (lo > hi) {
      lo = 1;
      hi = 10;
    }
    const domain = o.domain ?? logDomain(lo, hi);
    if (!(domain[0] > 0 && domain[1] > 0)) throw new ReportError(`${o.what ?? 'chart'}: a log scale needs a domain > 0 (got ${domain[0]}..${domain[1]})`);
    return { kind, domain, ticks: o.ticks ?? logTicks(domain[0], domain[1]), ...base };
  }
  if (lo > hi) {
    lo = 0;
    hi = 1;
  }
  if (o.zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const count = o.count ?? 5;
  if (o.domain) return { kind, domain: o.domain, ticks: o.ticks ?? niceTicks(o.domain[0], o.domain[1], count), ...base };
  if (o.nice === false && lo < hi) return { kind, domain: [lo, hi], ticks: o.ticks ?? niceTicks(lo, hi, count), ...base };
  const [d0, d1, step] = niceDomainStep(lo, hi, count);
  return { kind, domain: [d0, d1], ticks: o.ticks ?? stepTicks(d0, d1, step), ...base };
}

export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const TICK = 5;
const TICK_FONT = 11;
const LABEL_FONT = 12;

function labels(a: AxisSpec): string[] {
  const f = a.format ?? tickLabel;
  return a.ticks.map((t) => f(t));
}

/** Width needed left of the plot by a left axis (tick labels + rotated axis label). */
export function leftAxisWidth(a: AxisSpec): number {
  const w = Math.max(0, ...labels(a).map((s) => textWidth(s, TICK_FONT)));
  return TICK + 4 + w + (a.label ? 8 + LABEL_FONT + 4 : 4);
}

/** Height needed below the plot by a bottom axis. */
export function bottomAxisHeight(a: AxisSpec): number {
  return TICK + 4 + TICK_FONT + (a.label ? 10 + LABEL_FONT + 4 : 6);
}

/** Half the width of the last bottom tick label (so it is not clipped on the right). */
export function bottomAxisOverhang(a: AxisSpec): number {
  const ls = labels(a);
  const last = ls[ls.length - 1];
  return last === undefined ? 0 : textWidth(last, TICK_FONT) / 2;
}

/** Light grid lines at the ticks (drawn under the data). */
export function grid(x: { spec: AxisSpec; scale: Scale } | null, y: { spec: AxisSpec; scale: Scale } | null, plot: Rect): string {
  let s = '';
  if (x) for (const t of x.spec.ticks) s += el('line', { class: 'dw-grid', x1: x.scale.map(t), y1: plot.y0, x2: x.scale.map(t), y2: plot.y1, stroke: COLORS.grid, 'stroke-width': 1 });
  if (y) for (const t of y.spec.ticks) s += el('line', { class: 'dw-grid', x1: plot.x0, y1: y.scale.map(t), x2: plot.x1, y2: y.scale.map(t), stroke: COLORS.grid, 'stroke-width': 1 });
  return s ? el('g', { class: 'dw-grid-lines' }, s) : '';
}

/** Bottom axis: line, ticks with labels, and "label (unit)" centred below. */
export function axisBottom(spec: AxisSpec, scale: Scale, plot: Rect): string {
  const ls = labels(spec);
  let s = el('line', { x1: plot.x0, y1: plot.y1, x2: plot.x1, y2: plot.y1, stroke: COLORS.axis, 'stroke-width': 1 });
  spec.ticks.forEach((t, i) => {
    const x = scale.map(t);
    s += el(
      'g',
      { class: 'dw-tick', 'data-axis': 'x', 'data-value': String(t), 'data-pos': px(x) },
      el('line', { x1: x, y1: plot.y1, x2: x, y2: plot.y1 + TICK, stroke: COLORS.axis }) +
        el('text', { x, y: plot.y1 + TICK + 3 + TICK_FONT, 'text-anchor': 'middle', 'font-size': TICK_FONT, fill: COLORS.ink }, esc(ls[i])),
    );
  });
  if (spec.label) {
    const y = plot.y1 + TICK + 4 + TICK_FONT + 10 + LABEL_FONT * 0.8;
    s += el('text', { class: 'dw-axis-label', x: (plot.x0 + plot.x1) / 2, y, 'text-anchor': 'middle', 'font-size': LABEL_FONT, fill: COLORS.ink }, esc(withUnit(spec.label, spec.unit)));
  }
  return el('g', { class: 'dw-axis dw-axis-x' }, s);
}

/** Left axis: line, ticks with labels, and the rotated "label (unit)". */
export function axisLeft(spec: AxisSpec, scale: Scale, plot: Rect): string {
  const ls = labels(spec);
  let s = el('line', { x1: plot.x0, y1: plot.y0, x2: plot.x0, y2: plot.y1, stroke: COLORS.axis, 'stroke-width': 1 });
  spec.ticks.forEach((t, i) => {
    const y = scale.map(t);
    s += el(
      'g',
      { class: 'dw-tick', 'data-axis': 'y', 'data-value': String(t), 'data-pos': px(y) },
      el('line', { x1: plot.x0 - TICK, y1: y, x2: plot.x0, y2: y, stroke: COLORS.axis }) +
        el('text', { x: plot.x0 - TICK - 3, y, dy: '0.32em', 'text-anchor': 'end', 'font-size': TICK_FONT, fill: COLORS.ink }, esc(ls[i])),
    );
  });
  if (spec.label) {
    const w = Math.max(0, ...ls.map((l) => textWidth(l, TICK_FONT)));
    const x = plot.x0 - TICK - 4 - w - 8 - LABEL_FONT * 0.2;
    const y = (plot.y0 + plot.y1) / 2;
    s += el(
      'text',
      { class: 'dw-axis-label', x, y, transform: `rotate(-90 ${px(x)} ${px(y)})`, 'text-anchor': 'middle', 'font-size': LABEL_FONT, fill: COLORS.ink },
      esc(withUnit(spec.label, spec.unit)),
    );
  }
  return el('g', { class: 'dw-axis dw-axis-y' }, s);
}

// ---------------------------------------------------------------------------------------------
// Legend

export interface LegendItem {
  readonly label: string;
  /** Symbol: a line (dashed if `dash`), a filled rectangle, a point, a translucent band, or an open ▽ (a level below the limit of quantification). */
  readonly kind: 'line' | 'rect' | 'point' | 'band' | 'below';
  readonly color: string;
  readonly dash?: string;
  readonly opacity?: number;
}

const LEGEND_FONT = 11;
const LEGEND_ROW = 18;
const SWATCH = 20;

/** An open downward triangle's corners with its top edge's middle at (x, y): a level below a limit drawn at the limit, pointing below it. */
export function belowMarker(x: number, y: number): [number, number][] {
  return [
    [x - 5, y],
    [x + 5, y],
    [x, y + 8],
  ];
}

function legendItemWidth(it: LegendItem): number {
  return SWATCH + 6 + textWidth(it.label, LEGEND_FONT);
}

function swatch(it: LegendItem, x: number, y: number): string {
  const cy = y + LEGEND_ROW / 2;
  switch (it.kind) {
    case 'line':
      return el('line', { x1: x, y1: cy, x2: x + SWATCH, y2: cy, stroke: it.color, 'stroke-width': 2, 'stroke-dasharray': it.dash });
    case 'point':
      return el('circle', { cx: x + SWATCH / 2, cy, r: 4, fill: it.color, stroke: '#ffffff', 'stroke-width': 1 });
    case 'below':
      return el('polygon', { points: points(belowMarker(x + SWATCH / 2, cy - 4)), fill: '#ffffff', stroke: it.color, 'stroke-width': 1.5 });
    case 'band':
      return el('rect', { x, y: cy - 5, width: SWATCH, height: 10, fill: it.color, 'fill-opacity': it.opacity ?? 0.25 });
    case 'rect':
      return el('rect', { x, y: cy - 5, width: SWATCH, height: 10, fill: it.color, 'fill-opacity': it.opacity ?? 1 });
  }
}

/** Lays the items out left to right, wrapping within `width`; returns the markup and its height. */
export function legend(items: readonly LegendItem[], x: number, y: number, width: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  let cx = x;
  let row = 0;
  let s = '';
  for (const it of items) {
    const w = legendItemWidth(it);
    if (cx > x && cx + w > x + width) {
      row++;
      cx = x;
    }
    const ry = y + row * LEGEND_ROW;
    s += el('g', { class: 'dw-legend-item' }, swatch(it, cx, ry) + el('text', { x: cx + SWATCH + 6, y: ry + LEGEND_ROW / 2, dy: '0.32em', 'font-size': LEGEND_FONT, fill: COLORS.ink }, esc(it.label)));
    cx += w + 16;
  }
  return { svg: el('g', { class: 'dw-legend' }, s), height: (row + 1) * LEGEND_ROW };
}

/** Height the legend will take in `width` (for layout before drawing). */
export function legendHeight(items: readonly LegendItem[], width: number): number {
  return legend(items, 0, 0, width).height;
}

// ---------------------------------------------------------------------------------------------
// Frame

export interface ChartOptions {
  /** Pixel width (default 640); the SVG also has a viewBox, so it scales. */
  readonly width?: number;
  /** Pixel height (default per chart). */
  readonly height?: number;
  /** Visible title, and the accessible <title>. */
  readonly title?: string;
  /** Accessible description (<desc>); a summary is generated when absent. */
  readonly desc?: string;
  /** Prefix of element ids (default: a hash of the content); give distinct ids to identical charts on one page. */
  readonly id?: string;
}

export const TITLE_FONT = 14;
const PAD = 10;

/** Vertical space taken by the visible title. */
export function titleHeight(title?: string): number {
  return title ? TITLE_FONT + 10 : 0;
}

/** The <svg> element with viewBox, size, accessible title/description and the body. */
export function svgDocument(o: { width: number; height: number; title?: string; accessibleTitle: string; desc: string; id?: string; kind: string; body: string }): string {
  const id = o.id ?? `dw-${o.kind}-${hashId(o.accessibleTitle + '\u0000' + o.desc + '\u0000' + o.body)}`;
  const visible = o.title ? el('text', { class: 'dw-title', x: PAD, y: PAD + TITLE_FONT, 'font-size': TITLE_FONT, 'font-weight': 'bold', fill: COLORS.ink }, esc(o.title)) : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="dw-chart dw-${esc(o.kind)}" viewBox="0 0 ${px(o.width)} ${px(o.height)}" width="${px(o.width)}" height="${px(o.height)}"` +
    ` role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" font-family="${esc(FONT)}">` +
    `<title id="${esc(id)}-title">${esc(o.accessibleTitle)}</title>` +
    `<desc id="${esc(id)}-desc">${esc(o.desc)}</desc>` +
    el('rect', { class: 'dw-background', x: 0, y: 0, width: o.width, height: o.height, fill: '#ffffff' }) +
    visible +
    o.body +
    '</svg>'
  );
}

/** A chart with nothing to draw: the frame, the title and a centred note. */
export function noDataChart(kind: string, accessibleTitle: string, o: ChartOptions, note = 'No data'): string {
  const width = o.width ?? 640;
  const height = o.height ?? 200;
  const body =
    el('rect', { x: PAD, y: PAD + titleHeight(o.title), width: width - 2 * PAD, height: height - 2 * PAD - titleHeight(o.title), fill: 'none', stroke: COLORS.grid, 'stroke-dasharray': '4 4' }) +
    el('text', { class: 'dw-no-data', x: width / 2, y: (height + titleHeight(o.title)) / 2, dy: '0.32em', 'text-anchor': 'middle', 'font-size': 13, fill: COLORS.grey }, esc(note));
  return svgDocument({ width, height, title: o.title, accessibleTitle: o.title ?? accessibleTitle, desc: o.desc ?? `${accessibleTitle}: ${note.toLowerCase()}.`, id: o.id, kind, body });
}

export interface CartesianLayout {
  readonly width: number;
  readonly height: number;
  readonly plot: Rect;
  readonly x: Scale;
  readonly y: Scale;
  /** Title area + legend (drawn first). */
  readonly header: string;
  /** Grid lines (draw before the data). */
  readonly under: string;
  /** Axes (draw after the data). */
  readonly over: string;
}

/**
 * Lays out a chart with a bottom and a left axis: title, legend (wrapped to the plot width), optional
 * extra space above the plot (`top`) and on the right (`right`), then the plot rectangle and scales.
 */
export function cartesian(o: {
  width: number;
  height: number;
  title?: string;
  legend?: readonly LegendItem[];
  x: AxisSpec;
  y: AxisSpec;
  top?: number;
  right?: number;
  left?: number;
  gridX?: boolean;
  gridY?: boolean;
}): CartesianLayout {
  const left = PAD + Math.max(o.left ?? 0, leftAxisWidth(o.y));
  const right = PAD + Math.max(o.right ?? 0, bottomAxisOverhang(o.x), 6);
  const legendWidth = o.width - left - right;
  const legendTop = PAD + titleHeight(o.title) + (o.title ? 2 : 0);
  const lg = legend(o.legend ?? [], left, legendTop, legendWidth);
  const top = legendTop + lg.height + (lg.height > 0 ? 8 : 0) + (o.top ?? 0) + 6;
  const bottom = PAD + bottomAxisHeight(o.x);
  const plot: Rect = { x0: left, y0: top, x1: o.width - right, y1: Math.max(top + 20, o.height - bottom) };
  const x = makeScale(o.x.kind, o.x.domain, [plot.x0, plot.x1]);
  const y = makeScale(o.y.kind, o.y.domain, [plot.y1, plot.y0]);
  const under = grid(o.gridX === false ? null : { spec: o.x, scale: x }, o.gridY === false ? null : { spec: o.y, scale: y }, plot);
  const over = axisBottom(o.x, x, plot) + axisLeft(o.y, y, plot);
  return { width: o.width, height: Math.max(o.height, plot.y1 + bottom), plot, x, y, header: lg.svg, under, over };
}

/** Clamps v into [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Pixel extent [top, bottom] of the value interval [lo, hi] on a vertical scale, clipped to the plot (±∞ allowed). */
export function yExtent(scale: Scale, lo: number, hi: number, plot: Rect): [number, number] {
  const [d0, d1] = scale.domain;
  const a = clamp(Number.isFinite(hi) ? hi : d1, Math.min(d0, d1), Math.max(d0, d1));
  const b = clamp(Number.isFinite(lo) && !(scale.kind === 'log' && lo <= 0) ? lo : d0, Math.min(d0, d1), Math.max(d0, d1));
  return [clamp(scale.map(a), plot.y0, plot.y1), clamp(scale.map(b), plot.y0, plot.y1)];
}

/** Pixel extent [left, right] of [lo, hi] on a horizontal scale, clipped to the plot (±∞ allowed). */
export function xExtent(scale: Scale, lo: number, hi: number, plot: Rect): [number, number] {
  const [d0, d1] = scale.domain;
  const a = clamp(Number.isFinite(lo) && !(scale.kind === 'log' && lo <= 0) ? lo : d0, d0, d1);
  const b = clamp(Number.isFinite(hi) ? hi : d1, d0, d1);
  return [clamp(scale.map(a), plot.x0, plot.x1), clamp(scale.map(b), plot.x0, plot.x1)];
}

/** "lo–hi", "≥ lo", "≤ hi" for a window with possibly infinite bounds. */
export function windowText(lo: number, hi: number, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  if (Number.isFinite(lo) && Number.isFinite(hi)) return `${fmt(lo, 4)}–${fmt(hi, 4)}${u}`;
  if (Number.isFinite(lo)) return `≥ ${fmt(lo, 4)}${u}`;
  if (Number.isFinite(hi)) return `≤ ${fmt(hi, 4)}${u}`;
  return 'any';
}

/** A target's bounds as data attributes, an open side left out (a one-sided target read data-lo="-Infinity"). */
export function finiteBounds(t: { readonly lo: number; readonly hi: number }): Record<string, string> {
  return { ...(Number.isFinite(t.lo) ? { 'data-lo': String(t.lo) } : {}), ...(Number.isFinite(t.hi) ? { 'data-hi': String(t.hi) } : {}) };
}
