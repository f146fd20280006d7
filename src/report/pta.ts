// Probability of target attainment against dose: one line per stratum (colour, dash pattern and
// point markers), an optional interval band per stratum (e.g. the Monte Carlo 95% interval), and a
// dashed horizontal line at the PTA target (e.g. 90%). PTA values are fractions 0..1, drawn as %.

import { COLORS, DASHES, SERIES, type ChartOptions, type LegendItem, axisFrom, cartesian, el, esc, fmt, noDataChart, pct, points, svgDocument } from './svg.js';

export interface PtaPoint {
  readonly dose: number;
  /** Fraction 0..1. */
  readonly pta: number;
  /** Interval of the PTA (fractions), drawn as a light band. */
  readonly lo?: number;
  readonly hi?: number;
}

export interface PtaSeries {
  /** Stratum name (e.g. "CrCL 30–60"). */
  readonly label: string;
  readonly points: readonly PtaPoint[];
}

export interface PtaOptions extends ChartOptions {
  /** Target PTA as a fraction (default 0.9); null for none. */
  readonly target?: number | null;
  readonly xLabel?: string;
  readonly doseUnit?: string;
  readonly yLabel?: string;
  /** Draw the lo/hi bands when present (default true). */
  readonly intervals?: boolean;
  /** Fixed x ticks (e.g. the doses studied). */
  readonly xTicks?: readonly number[];
}

/** PTA-versus-dose chart as an SVG string. */
export function ptaChart(series: readonly PtaSeries[], o: PtaOptions = {}): string {
  const title = o.title ?? 'Probability of target attainment';
  const target = o.target === undefined ? 0.9 : o.target;
  const clean = series
    .map((s) => ({ label: s.label, points: s.points.filter((p) => Number.isFinite(p.dose) && Number.isFinite(p.pta)).sort((a, b) => a.dose - b.dose) }))
    .filter((s) => s.points.length > 0);
  if (clean.length === 0) return noDataChart('pta', title, { ...o, height: o.height ?? 240 });

  const doses = clean.flatMap((s) => s.points.map((p) => p.dose));
  const x = axisFrom(doses, {
    label: o.xLabel ?? 'Dose',
    unit: o.doseUnit,
    count: 6,
    ticks: o.xTicks,
    domain: o.xTicks && o.xTicks.length > 1 ? [Math.min(...doses, ...o.xTicks), Math.max(...doses, ...o.xTicks)] : undefined,
  });
  const y = { kind: 'linear' as const, domain: [0, 100] as const, ticks: [0, 20, 40, 60, 80, 100], label: o.yLabel ?? 'PTA', unit: '%' };

  const items: LegendItem[] = clean.map((s, i) => ({ kind: 'line', color: SERIES[i % SERIES.length] as string, dash: DASHES[i % DASHES.length], label: s.label }));
  if (target !== null && Number.isFinite(target)) items.push({ kind: 'line', color: COLORS.ink, dash: '2 2', label: `Target ${pct(target, 0)}` });

  const L = cartesian({ width: o.width ?? 640, height: o.height ?? 360, title: o.title, legend: items, x, y });
  const { plot } = L;
  const X = (d: number) => L.x.map(d);
  const Y = (f: number) => L.y.map(Math.min(100, Math.max(0, f * 100)));
  let body = L.header + L.under;

  if (o.intervals !== false) {
    clean.forEach((s, i) => {
      const iv = s.points.filter((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi));
      if (iv.length < 2) return;
      const up = iv.map((p) => [X(p.dose), Y(p.hi as number)] as const);
      const dn = iv.map((p) => [X(p.dose), Y(p.lo as number)] as const).reverse();
      body += el('polygon', { class: 'dw-band', points: points([...up, ...dn]), fill: SERIES[i % SERIES.length], 'fill-opacity': 0.12, stroke: 'none' });
    });
  }
  if (target !== null && Number.isFinite(target)) {
    const yt = Y(target);
    body += el('line', { class: 'dw-target', 'data-value': String(target), x1: plot.x0, y1: yt, x2: plot.x1, y2: yt, stroke: COLORS.ink, 'stroke-width': 1.2, 'stroke-dasharray': '2 2' });
  }
  clean.forEach((s, i) => {
    const color = SERIES[i % SERIES.length] as string;
    let g = '';
    if (s.points.length > 1) {
      g += el('polyline', { class: 'dw-line', points: points(s.points.map((p) => [X(p.dose), Y(p.pta)])), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': DASHES[i % DASHES.length], 'stroke-linejoin': 'round' });
    }
    for (const p of s.points) {
      const tip = `${s.label}: ${fmt(p.dose, 4)}${o.doseUnit ? ` ${o.doseUnit}` : ''} → PTA ${pct(p.pta)}`;
      g += el('circle', { class: 'dw-point', cx: X(p.dose), cy: Y(p.pta), r: 3.5, fill: color, stroke: '#ffffff', 'stroke-width': 1 }, `<title>${esc(tip)}</title>`);
    }
    body += el('g', { class: 'dw-series', 'data-label': s.label }, g);
  });
  body += L.over;

  const desc =
    o.desc ??
    `${title}: ${clean.length} stratum line${clean.length === 1 ? '' : 's'} (${clean.map((s) => s.label).join(', ')}) over doses ${fmt(Math.min(...doses), 4)}–${fmt(Math.max(...doses), 4)}${o.doseUnit ? ` ${o.doseUnit}` : ''}` +
      (target !== null && Number.isFinite(target) ? `; target PTA ${pct(target, 0)}.` : '.');
  return svgDocument({ width: L.width, height: L.height, title: o.title, accessibleTitle: title, desc, id: o.id, kind: 'pta', body });
}
