// Forest plot of exposure ratios (test/reference) on a log x axis: one row per effect with its
// label on the left, the point and interval in the middle and "ratio (lo–hi)" on the right; the
// relevance band (default 0.80–1.25) is shaded and the line of no effect (1) drawn. Rows are
// coloured by verdict: interval inside the band, outside it, or straddling an edge (inconclusive).
// Ratios and bounds must be > 0 (log axis): ≤ 0 is refused; rows with a non-finite ratio are skipped.

import {
  COLORS,
  type AxisSpec,
  type ChartOptions,
  type LegendItem,
  axisBottom,
  bottomAxisHeight,
  el,
  esc,
  fmt,
  legend,
  logDomain,
  logScale,
  logTicks,
  noDataChart,
  ReportError,
  svgDocument,
  textWidth,
  titleHeight,
  truncate,
} from './svg.js';

export interface ForestRow {
  readonly label: string;
  /** Point estimate of the ratio, > 0. */
  readonly ratio: number;
  /** Interval (both > 0); non-finite or absent: the point alone is drawn. */
  readonly lo?: number;
  readonly hi?: number;
}

export interface ForestOptions extends ChartOptions {
  /** Relevance band (default [0.8, 1.25]). */
  readonly band?: readonly [number, number];
  readonly xLabel?: string;
  /** Heading of the label column (default "Effect"). */
  readonly labelHeading?: string;
  /** Heading of the value column (default "Ratio (interval)"). */
  readonly valueHeading?: string;
  /** Row height in px (default 26); the height grows with the rows unless `height` is given. */
  readonly rowHeight?: number;
}

type Verdict = 'inside' | 'outside' | 'inconclusive';
const VERDICT_COLOR: Record<Verdict, string> = { inside: COLORS.green, outside: COLORS.vermillion, inconclusive: COLORS.orange };
const VERDICT_LABEL: Record<Verdict, string> = { inside: 'Interval inside band', outside: 'Interval outside band', inconclusive: 'Interval straddles band edge' };

const PAD = 10;
const FONT = 12;

/** Forest plot as an SVG string. */
export function forestPlot(rows: readonly ForestRow[], o: ForestOptions = {}): string {
  const title = o.title ?? 'Exposure ratios';
  const band = o.band ?? [0.8, 1.25];
  if (!(band[0] > 0 && band[1] > band[0])) throw new ReportError(`forest plot: the relevance band must satisfy 0 < lo < hi (got ${band[0]}–${band[1]})`);
  const ok = rows.filter((r) => Number.isFinite(r.ratio));
  for (const r of ok) {
    for (const [k, v] of [['ratio', r.ratio], ['lo', r.lo], ['hi', r.hi]] as const) {
      if (v !== undefined && Number.isFinite(v) && v <= 0) throw new ReportError(`forest plot: row "${r.label}": ${k} must be > 0 on the log axis (got ${v})`);
    }
  }
  if (ok.length === 0) return noDataChart('forest', title, { ...o, height: o.height ?? 200 });

  const hasIv = (r: ForestRow) => r.lo !== undefined && r.hi !== undefined && Number.isFinite(r.lo) && Number.isFinite(r.hi);
  const lo = (r: ForestRow) => (hasIv(r) ? Math.min(r.lo as number, r.ratio) : r.ratio);
  const hi = (r: ForestRow) => (hasIv(r) ? Math.max(r.hi as number, r.ratio) : r.ratio);
  const verdict = (r: ForestRow): Verdict => (lo(r) >= band[0] && hi(r) <= band[1] ? 'inside' : hi(r) < band[0] || lo(r) > band[1] ? 'outside' : 'inconclusive');
  const valueText = (r: ForestRow) => (hasIv(r) ? `${fmt(r.ratio, 3)} (${fmt(r.lo as number, 3)}–${fmt(r.hi as number, 3)})` : fmt(r.ratio, 3));

  const width = o.width ?? 640;
  const labelHeading = o.labelHeading ?? 'Effect';
  const valueHeading = o.valueHeading ?? 'Ratio (interval)';
  const labelW = Math.min(width * 0.32, Math.max(textWidth(labelHeading, FONT), ...ok.map((r) => textWidth(r.label, FONT))));
  const valueW = Math.max(textWidth(valueHeading, FONT), ...ok.map((r) => textWidth(valueText(r), FONT)));
  const x0 = PAD + labelW + 14;
  const x1 = width - PAD - valueW - 14;

  const present = (['inside', 'inconclusive', 'outside'] as const).filter((v) => ok.some((r) => verdict(r) === v));
  const items: LegendItem[] = [
    { kind: 'band', color: COLORS.green, opacity: 0.15, label: `Relevance band ${fmt(band[0], 3)}–${fmt(band[1], 3)}` },
    ...present.map((v) => ({ kind: 'point' as const, color: VERDICT_COLOR[v], label: VERDICT_LABEL[v] })),
  ];
  const legendTop = PAD + titleHeight(o.title) + (o.title ? 2 : 0);
  const lg = legend(items, PAD, legendTop, width - 2 * PAD);
  const headY = legendTop + lg.height + 8 + FONT;
  const rowH = o.rowHeight ?? 26;
  const y0 = headY + 8;
  const domainVals = [...ok.flatMap((r) => [lo(r), hi(r)]), band[0], band[1]];
  const domain = logDomain(Math.min(...domainVals) / 1.05, Math.max(...domainVals) * 1.05);
  const xAxis0: AxisSpec = { kind: 'log', domain, ticks: [], label: o.xLabel ?? 'Exposure ratio (test/reference)', format: (v) => fmt(v, 3) };
  const natural = o.height === undefined ? y0 + ok.length * rowH + 4 + PAD + bottomAxisHeight(xAxis0) : o.height;
  const y1 = Math.max(y0 + rowH, natural - PAD - bottomAxisHeight(xAxis0));
  const height = Math.max(natural, y1 + PAD + bottomAxisHeight(xAxis0));
  const rh = (y1 - y0) / ok.length;
  const plot = { x0, y0, x1, y1 };
  const x = logScale(domain, [x0, x1]);

  // Ticks: band edges and 1 always; others where their labels do not collide.
  const must = [band[0], 1, band[1]];
  const kept: number[] = [...must];
  for (const t of logTicks(domain[0], domain[1])) {
    const w = textWidth(fmt(t, 3), 11) / 2 + 4;
    if (kept.every((k) => Math.abs(x.map(k) - x.map(t)) >= w + textWidth(fmt(k, 3), 11) / 2)) kept.push(t);
  }
  const ticks = [...new Set(kept)].filter((t) => t >= domain[0] && t <= domain[1]).sort((a, b) => a - b);
  const xAxis: AxisSpec = { ...xAxis0, ticks };

  let body = lg.svg;
  // Zebra rows across the whole width.
  ok.forEach((_, i) => {
    if (i % 2 === 1) body += el('rect', { class: 'dw-zebra', x: PAD, y: y0 + i * rh, width: width - 2 * PAD, height: rh, fill: '#F6F6F6' });
  });
  const [b0, b1] = [x.map(band[0]), x.map(band[1])];
  body += el('rect', { class: 'dw-relevance', 'data-lo': String(band[0]), 'data-hi': String(band[1]), x: b0, y: y0, width: b1 - b0, height: y1 - y0, fill: COLORS.green, 'fill-opacity': 0.15 });
  for (const t of ticks) body += el('line', { class: 'dw-grid', x1: x.map(t), y1: y0, x2: x.map(t), y2: y1, stroke: COLORS.grid });
  body += el('line', { class: 'dw-unity', x1: x.map(1), y1: y0, x2: x.map(1), y2: y1, stroke: COLORS.grey, 'stroke-width': 1.2 });
  body += el('text', { class: 'dw-heading', x: PAD, y: headY, 'font-size': FONT, 'font-weight': 'bold', fill: COLORS.ink }, esc(labelHeading));
  body += el('text', { class: 'dw-heading', x: width - PAD, y: headY, 'text-anchor': 'end', 'font-size': FONT, 'font-weight': 'bold', fill: COLORS.ink }, esc(valueHeading));

  ok.forEach((r, i) => {
    const cy = y0 + (i + 0.5) * rh;
    const v = verdict(r);
    const color = VERDICT_COLOR[v];
    let g = el('text', { x: PAD, y: cy, dy: '0.32em', 'font-size': FONT, fill: COLORS.ink }, `<title>${esc(r.label)}</title>${esc(truncate(r.label, labelW, FONT))}`);
    if (hasIv(r)) {
      const [a, b] = [x.map(r.lo as number), x.map(r.hi as number)];
      g += el('line', { class: 'dw-interval', x1: a, y1: cy, x2: b, y2: cy, stroke: color, 'stroke-width': 2 });
      g += el('line', { x1: a, y1: cy - 4, x2: a, y2: cy + 4, stroke: color, 'stroke-width': 2 });
      g += el('line', { x1: b, y1: cy - 4, x2: b, y2: cy + 4, stroke: color, 'stroke-width': 2 });
    }
    const xr = x.map(r.ratio);
    g += el('rect', { class: 'dw-point', x: xr - 4.5, y: cy - 4.5, width: 9, height: 9, fill: color, stroke: '#ffffff', 'stroke-width': 1 }, `<title>${esc(`${r.label}: ${valueText(r)}`)}</title>`);
    g += el('text', { x: width - PAD, y: cy, dy: '0.32em', 'text-anchor': 'end', 'font-size': FONT, fill: COLORS.ink, 'font-variant-numeric': 'tabular-nums' }, esc(valueText(r)));
    body += el('g', { class: 'dw-row', 'data-verdict': v }, g);
  });
  body += axisBottom(xAxis, x, plot);

  const desc =
    o.desc ??
    `${title}: ${ok.length} row${ok.length === 1 ? '' : 's'} on a log scale with relevance band ${fmt(band[0], 3)}–${fmt(band[1], 3)}. ` +
      ok.map((r) => `${r.label}: ${valueText(r)}, ${VERDICT_LABEL[verdict(r)].toLowerCase()}`).join('; ') +
      '.';
  return svgDocument({ width, height, title: o.title, accessibleTitle: title, desc, id: o.id, kind: 'forest', body });
}
