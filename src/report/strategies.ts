// Strategy comparison: one horizontal stacked bar per dosing strategy, 0–100% of patients below,
// within and above the target window, with the percentages written inside segments wide enough to
// hold them. Fractions are normalised to their sum; non-finite fractions count as 0, and a row
// with no finite fraction is skipped.

import {
  COLORS,
  REGION_COLORS,
  type AxisSpec,
  type ChartOptions,
  type LegendItem,
  axisBottom,
  bottomAxisHeight,
  el,
  esc,
  legend,
  linearScale,
  noDataChart,
  pct,
  svgDocument,
  textWidth,
  titleHeight,
  truncate,
} from './svg.js';

export interface StrategyRow {
  readonly label: string;
  /** Fractions of patients (0..1; normalised to their sum). */
  readonly fracBelow: number;
  readonly fracIn: number;
  readonly fracAbove: number;
}

export interface StrategyOptions extends ChartOptions {
  /** Text of the window in the legend, e.g. "AUC24 400–600 mg·h/L". */
  readonly windowLabel?: string;
  readonly xLabel?: string;
  /** Bar row height (default 34); the height grows with the rows unless `height` is given. */
  readonly rowHeight?: number;
}

const PAD = 10;
const FONT = 12;

/** Stacked % below / within / above per strategy, as an SVG string. */
export function strategyChart(rows: readonly StrategyRow[], o: StrategyOptions = {}): string {
  const title = o.title ?? 'Target attainment by dosing strategy';
  const f = (v: number) => (Number.isFinite(v) ? Math.max(0, v) : 0);
  const ok = rows
    .filter((r) => [r.fracBelow, r.fracIn, r.fracAbove].some(Number.isFinite))
    .map((r) => {
      const parts = [f(r.fracBelow), f(r.fracIn), f(r.fracAbove)];
      const sum = parts[0]! + parts[1]! + parts[2]!;
      return { label: r.label, parts: sum > 0 ? parts.map((p) => p / sum) : [0, 0, 0] };
    });
  if (ok.length === 0) return noDataChart('strategies', title, { ...o, height: o.height ?? 200 });

  const width = o.width ?? 640;
  const win = o.windowLabel ? ` (${o.windowLabel})` : '';
  const items: LegendItem[] = [
    { kind: 'rect', color: REGION_COLORS.below, label: 'Below window' },
    { kind: 'rect', color: REGION_COLORS.within, label: `Within window${win}` },
    { kind: 'rect', color: REGION_COLORS.above, label: 'Above window' },
  ];
  const labelW = Math.min(width * 0.3, Math.max(...ok.map((r) => textWidth(r.label, FONT))));
  const x0 = PAD + labelW + 12;
  const x1 = width - PAD - 12;
  const legendTop = PAD + titleHeight(o.title) + (o.title ? 2 : 0);
  const lg = legend(items, PAD, legendTop, width - 2 * PAD);
  const y0 = legendTop + lg.height + 12;
  const xAxis: AxisSpec = { kind: 'linear', domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100], label: o.xLabel ?? 'Patients', unit: '%' };
  const rowH = o.rowHeight ?? 34;
  const natural = o.height ?? y0 + ok.length * rowH + PAD + bottomAxisHeight(xAxis);
  const y1 = Math.max(y0 + rowH, natural - PAD - bottomAxisHeight(xAxis));
  const height = Math.max(natural, y1 + PAD + bottomAxisHeight(xAxis));
  const rh = (y1 - y0) / ok.length;
  const plot = { x0, y0, x1, y1 };
  const x = linearScale([0, 100], [x0, x1]);

  let body = lg.svg;
  for (const t of xAxis.ticks) body += el('line', { class: 'dw-grid', x1: x.map(t), y1: y0, x2: x.map(t), y2: y1, stroke: COLORS.grid });
  const names = ['below', 'within', 'above'] as const;
  ok.forEach((r, i) => {
    const barH = Math.min(22, rh * 0.7);
    const top = y0 + (i + 0.5) * rh - barH / 2;
    let g = el('text', { x: x0 - 10, y: top + barH / 2, dy: '0.32em', 'text-anchor': 'end', 'font-size': FONT, fill: COLORS.ink }, `<title>${esc(r.label)}</title>${esc(truncate(r.label, labelW, FONT))}`);
    let acc = 0;
    r.parts.forEach((p, k) => {
      const a = x.map(acc * 100);
      acc += p;
      const b = x.map(acc * 100);
      const name = names[k] as (typeof names)[number];
      const tip = `${r.label}: ${pct(p)} ${name === 'within' ? 'within' : name} the window`;
      g += el('rect', { class: 'dw-segment', 'data-region': name, 'data-fraction': String(Number(p.toPrecision(12))), x: a, y: top, width: b - a, height: barH, fill: REGION_COLORS[name] }, `<title>${esc(tip)}</title>`);
      const text = [pct(p, 1), pct(p, 0)].find((t) => b - a >= textWidth(t, 11) + 6);
      if (p > 0 && text !== undefined) {
        g += el('text', { x: (a + b) / 2, y: top + barH / 2, dy: '0.32em', 'text-anchor': 'middle', 'font-size': 11, fill: name === 'below' ? COLORS.ink : '#ffffff', 'font-weight': name === 'within' ? 'bold' : undefined }, esc(text));
      }
    });
    body += el('g', { class: 'dw-strategy', 'data-label': r.label }, g);
  });
  body += axisBottom(xAxis, x, plot);

  const desc = o.desc ?? `${title}: ` + ok.map((r) => `${r.label}: ${pct(r.parts[0]!)} below, ${pct(r.parts[1]!)} within, ${pct(r.parts[2]!)} above`).join('; ') + '.';
  return svgDocument({ width, height, title: o.title, accessibleTitle: title, desc, id: o.id, kind: 'strategies', body });
}
