// Exposure histogram: bars from raw values (binned here, nice bin edges) or from precomputed bins,
// the target window shaded behind the bars, bars coloured below / within / above the window, and
// the three fractions annotated in the legend. Fractions from raw values are exact (lo ≤ v ≤ hi is
// within); from bins they assume values spread evenly inside each bin (or pass them in `fractions`).

import {
  COLORS,
  REGION_COLORS,
  type ChartOptions,
  type LegendItem,
  axisFrom,
  cartesian,
  el,
  esc,
  fmt,
  niceStep,
  noDataChart,
  pct,
  svgDocument,
  windowText,
  xExtent,
  yExtent,
  finiteBounds,
} from './svg.js';

export interface HistogramBin {
  /** Bin edges, lo < hi. */
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
}

export type HistogramData = { readonly values: ArrayLike<number> } | { readonly bins: readonly HistogramBin[] };

export interface HistogramFractions {
  readonly fracBelow: number;
  readonly fracIn: number;
  readonly fracAbove: number;
}

export interface HistogramOptions extends ChartOptions {
  /** Target window on the value (either bound may be ±Infinity). */
  readonly target?: { readonly lo: number; readonly hi: number; readonly label?: string };
  /** Bin width (raw values); default: a nice width giving about 2·n^(1/3) bins (5–40). */
  readonly binWidth?: number;
  /** Approximate number of bins (raw values). */
  readonly binCount?: number;
  /**
   * Range the bins span (raw values), widened to whole bins: a value outside it counts in the bin
   * whose edges hold it, and is not drawn only beyond the outermost bin edges; all count in the fractions.
   */
  readonly domain?: readonly [number, number];
  /** y as % of all values (default) or as counts. */
  readonly percent?: boolean;
  readonly xLabel?: string;
  readonly unit?: string;
  readonly yLabel?: string;
  /** Fractions to annotate instead of the computed ones. */
  readonly fractions?: HistogramFractions;
}

interface Binned {
  readonly bins: HistogramBin[];
  readonly total: number;
  readonly hidden: number;
  readonly fractions: HistogramFractions | null;
}

function binValues(values: ArrayLike<number>, o: HistogramOptions): Binned {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (Number.isFinite(x)) v.push(x);
  }
  const total = v.length;
  let fractions: HistogramFractions | null = null;
  if (o.target && total > 0) {
    let below = 0;
    let above = 0;
    for (const x of v) {
      if (x < o.target.lo) below++;
      else if (x > o.target.hi) above++;
    }
    fractions = { fracBelow: below / total, fracIn: (total - below - above) / total, fracAbove: above / total };
  }
  // the domain sets the bins (values outside it would squeeze them); every value then counts in the
  // bin whose labelled edges hold it, also beyond the domain, so a bin's count is what its label
  // says (the edge bins of a P0.5–P99.5 domain read 3 for 18 before) and only values beyond the
  // outermost edges are "outside the plotted range"
  const dom = o.domain;
  const shown = dom ? v.filter((x) => x >= dom[0] && x <= dom[1]) : v;
  if (shown.length === 0) return { bins: [], total, hidden: total, fractions };
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of shown) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (dom) [lo, hi] = [dom[0], dom[1]];
  const count = o.binCount ?? Math.min(40, Math.max(5, Math.ceil(2 * Math.cbrt(shown.length))));
  const width = o.binWidth && o.binWidth > 0 ? o.binWidth : niceStep(hi > lo ? hi - lo : Math.abs(lo) || 1, hi > lo ? count : 5);
  let k0 = Math.floor(lo / width + 1e-9);
  let nb = Math.max(1, Math.ceil((hi - k0 * width) / width - 1e-9));
  const edge = (k: number): number => Number((k0 * width + k * width).toPrecision(12));
  // the labelled (rounded) edges cover lo…hi
  if (edge(0) > lo) {
    k0--;
    nb++;
  }
  if (edge(nb) < hi) nb++;
  const edges = Array.from({ length: nb + 1 }, (_, k) => edge(k));
  const first = edges[0] as number;
  const last = edges[nb] as number;
  const counts = new Array<number>(nb).fill(0);
  let hidden = 0;
  for (const x of v) {
    if (x < first || x > last) {
      hidden++;
      continue;
    }
    // bin k holds edges[k] ≤ x < edges[k + 1]; the last one also x = its upper edge
    let k = Math.min(nb - 1, Math.max(0, Math.floor((x - first) / width)));
    while (k > 0 && x < (edges[k] as number)) k--;
    while (k < nb - 1 && x >= (edges[k + 1] as number)) k++;
    counts[k] = (counts[k] as number) + 1;
  }
  const bins = counts.map((c, k) => ({ lo: edges[k] as number, hi: edges[k + 1] as number, count: c }));
  return { bins, total, hidden, fractions };
}

function fromBins(bins: readonly HistogramBin[], o: HistogramOptions): Binned {
  const ok = bins.filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi) && Number.isFinite(b.count) && b.hi > b.lo && b.count >= 0);
  const total = ok.reduce((s, b) => s + b.count, 0);
  let fractions: HistogramFractions | null = null;
  if (o.target && total > 0) {
    const { lo, hi } = o.target;
    let below = 0;
    let above = 0;
    for (const b of ok) {
      const w = b.hi - b.lo;
      below += (b.count * Math.max(0, Math.min(b.hi, lo) - b.lo)) / w;
      above += (b.count * Math.max(0, b.hi - Math.max(b.lo, hi))) / w;
    }
    fractions = { fracBelow: below / total, fracIn: Math.max(0, 1 - (below + above) / total), fracAbove: above / total };
  }
  return { bins: [...ok].sort((a, b) => a.lo - b.lo), total, hidden: 0, fractions };
}

/** Histogram of exposures as an SVG string. */
export function histogramChart(data: HistogramData, o: HistogramOptions = {}): string {
  const title = o.title ?? 'Exposure distribution';
  const target = o.target && !Number.isNaN(o.target.lo) && !Number.isNaN(o.target.hi) && o.target.lo <= o.target.hi ? o.target : undefined;
  const oo = { ...o, target };
  const b = 'values' in data ? binValues(data.values, oo) : fromBins(data.bins, oo);
  if (b.bins.length === 0 || b.total === 0) return noDataChart('histogram', title, { ...o, height: o.height ?? 240 });

  const percent = o.percent !== false;
  const h = (c: number) => (percent ? (100 * c) / b.total : c);
  const fr = o.fractions ?? b.fractions;
  const region = (bin: HistogramBin): 'below' | 'within' | 'above' | null => {
    if (!target) return null;
    const mid = (bin.lo + bin.hi) / 2;
    return mid < target.lo ? 'below' : mid > target.hi ? 'above' : 'within';
  };

  const edges = b.bins.flatMap((x) => [x.lo, x.hi]);
  const tgt = target ? [target.lo, target.hi].filter(Number.isFinite) : [];
  const x = axisFrom([...edges, ...tgt], { label: o.xLabel ?? 'Exposure', unit: o.unit, count: 6, nice: false });
  const y = axisFrom([0, ...b.bins.map((x) => h(x.count))], { zero: true, label: o.yLabel ?? (percent ? 'Patients' : 'Count'), unit: percent ? '%' : undefined });

  const items: LegendItem[] = [];
  if (target) {
    const u = o.unit;
    const lo = Number.isFinite(target.lo) ? fmt(target.lo, 4) : '';
    const hi = Number.isFinite(target.hi) ? fmt(target.hi, 4) : '';
    if (fr && Number.isFinite(target.lo)) items.push({ kind: 'rect', color: REGION_COLORS.below, label: `Below ${lo}: ${pct(fr.fracBelow)}` });
    items.push({ kind: 'rect', color: REGION_COLORS.within, label: `${target.label ?? `Within ${windowText(target.lo, target.hi, u)}`}${fr ? `: ${pct(fr.fracIn)}` : ''}` });
    if (fr && Number.isFinite(target.hi)) items.push({ kind: 'rect', color: REGION_COLORS.above, label: `Above ${hi}: ${pct(fr.fracAbove)}` });
  }

  const L = cartesian({ width: o.width ?? 640, height: o.height ?? 340, title: o.title, legend: items, x, y, gridX: false });
  const { plot } = L;
  let body = L.header + L.under;
  if (target) {
    const [x0, x1] = xExtent(L.x, target.lo, target.hi, plot);
    body += el('rect', { class: 'dw-target', ...finiteBounds(target), x: x0, y: plot.y0, width: x1 - x0, height: plot.y1 - plot.y0, fill: COLORS.green, 'fill-opacity': 0.12 });
  }
  let bars = '';
  for (const bin of b.bins) {
    const x0 = L.x.map(bin.lo);
    const x1 = L.x.map(bin.hi);
    const gap = x1 - x0 > 4 ? 1 : 0;
    const [top, bottom] = yExtent(L.y, 0, h(bin.count), plot);
    const r = region(bin);
    const tip = `${fmt(bin.lo, 4)}–${fmt(bin.hi, 4)}${o.unit ? ` ${o.unit}` : ''}: ${bin.count}${percent ? ` (${pct(bin.count / b.total)})` : ''}`;
    bars += el(
      'rect',
      { class: 'dw-bar', 'data-region': r ?? undefined, x: x0 + gap / 2, y: top, width: Math.max(0.5, x1 - x0 - gap), height: bottom - top, fill: r ? REGION_COLORS[r] : COLORS.blue, 'fill-opacity': 0.85 },
      `<title>${esc(tip)}</title>`,
    );
  }
  body += el('g', { class: 'dw-bars' }, bars);
  if (target) {
    const [x0, x1] = xExtent(L.x, target.lo, target.hi, plot);
    for (const [xv, v] of [[x0, target.lo], [x1, target.hi]] as const) {
      if (Number.isFinite(v)) body += el('line', { class: 'dw-target-edge', x1: xv, y1: plot.y0, x2: xv, y2: plot.y1, stroke: COLORS.green, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' });
    }
  }
  if (b.hidden > 0) {
    body += el('text', { class: 'dw-note', x: plot.x1, y: plot.y0 + 12, 'text-anchor': 'end', 'font-size': 10, fill: COLORS.grey }, esc(`${b.hidden} value${b.hidden === 1 ? '' : 's'} outside the plotted range`));
  }
  body += L.over;

  const desc =
    o.desc ??
    `${title}: ${b.total} value${b.total === 1 ? '' : 's'} in ${b.bins.length} bin${b.bins.length === 1 ? '' : 's'} from ${fmt(b.bins[0]?.lo ?? 0, 4)} to ${fmt(b.bins[b.bins.length - 1]?.hi ?? 0, 4)}${o.unit ? ` ${o.unit}` : ''}.` +
      (target && fr ? ` Target ${windowText(target.lo, target.hi, o.unit)}: ${pct(fr.fracBelow)} below, ${pct(fr.fracIn)} within, ${pct(fr.fracAbove)} above.` : '');
  return svgDocument({ width: L.width, height: L.height, title: o.title, accessibleTitle: title, desc, id: o.id, kind: 'histogram', body });
}
