// Concentration–time chart: a credible band (polygon: upper edge forward, lower edge back, so 2·n
// points for n time points), the median or MAP curve (polyline), measured levels (points; a level
// below the limit of quantification an open downward triangle at its limit), a shaded
// horizontal target window and optional dose markers (dashed verticals with ▼ and a label above the
// plot). Non-finite values are skipped; a log y axis refuses values ≤ 0 with a ReportError.

import {
  COLORS,
  type ChartOptions,
  type LegendItem,
  axisFrom,
  belowMarker,
  cartesian,
  el,
  esc,
  fmt,
  noDataChart,
  points,
  requirePositive,
  stepTicks,
  svgDocument,
  textWidth,
  windowText,
  yExtent,
  finiteBounds,
} from './svg.js';

export interface CurvePoint {
  readonly t: number;
  /** Median or MAP concentration. */
  readonly c: number;
  /** Lower and upper limit of the credible band (both or neither). */
  readonly lo?: number;
  readonly hi?: number;
}

export interface Observation {
  readonly t: number;
  /** The level; for a BLQ level its limit (LLOQ). */
  readonly c: number;
  readonly label?: string;
  /** Below the limit of quantification (c is the limit): drawn as an open ▽ at the limit, never as a measured value. */
  readonly blq?: boolean;
}

export interface DoseMarker {
  readonly t: number;
  /** e.g. "1000 mg"; drawn above the plot when there is room. */
  readonly label?: string;
}

export interface TargetWindow {
  /** Bounds (either may be ±Infinity). */
  readonly lo: number;
  readonly hi: number;
  readonly label?: string;
}

export interface ConcentrationData {
  readonly curve?: readonly CurvePoint[];
  readonly observations?: readonly Observation[];
  readonly target?: TargetWindow;
  readonly doses?: readonly DoseMarker[];
}

export interface ConcentrationOptions extends ChartOptions {
  /** Log y axis (values ≤ 0 are refused). */
  readonly logY?: boolean;
  readonly timeUnit?: string;
  readonly concentrationUnit?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Legend names. */
  readonly curveLabel?: string;
  readonly bandLabel?: string;
  readonly observationLabel?: string;
  /** Legend name of the BLQ levels. */
  readonly blqLabel?: string;
  /** Fixed x ticks. */
  readonly xTicks?: readonly number[];
}

const finite = (...v: (number | undefined)[]) => v.every((x) => x !== undefined && Number.isFinite(x));

/** Time ticks: hours in multiples of 6/12/24/… over long spans, nice 1-2-5 ticks otherwise. */
function timeAxis(values: number[], unit: string | undefined, label: string, fixed?: readonly number[]) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (!fixed && (unit === 'h' || unit === 'hour' || unit === 'hours') && hi - lo >= 18) {
    const step = [6, 12, 24, 48, 72, 168, 336, 672].find((s) => (hi - lo) / s <= 8) ?? 672;
    const domain: [number, number] = [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
    return { kind: 'linear' as const, domain, ticks: stepTicks(domain[0], domain[1], step), label, unit };
  }
  return axisFrom(values, { label, unit, count: 6, ticks: fixed, domain: fixed && fixed.length > 1 ? [Math.min(lo, ...fixed), Math.max(hi, ...fixed)] : undefined });
}

/** Concentration–time chart as an SVG string. */
export function concentrationChart(data: ConcentrationData, o: ConcentrationOptions = {}): string {
  const what = 'concentration chart';
  const curve = [...(data.curve ?? [])].filter((p) => finite(p.t, p.c)).sort((a, b) => a.t - b.t);
  const band = [...(data.curve ?? [])].filter((p) => finite(p.t, p.lo, p.hi)).sort((a, b) => a.t - b.t);
  const all = (data.observations ?? []).filter((p) => finite(p.t, p.c));
  const obs = all.filter((p) => p.blq !== true);
  const below = all.filter((p) => p.blq === true);
  const doses = [...(data.doses ?? [])].filter((d) => finite(d.t)).sort((a, b) => a.t - b.t);
  const target = data.target && !Number.isNaN(data.target.lo) && !Number.isNaN(data.target.hi) && data.target.lo <= data.target.hi ? data.target : undefined;
  const title = o.title ?? 'Concentration–time profile';

  if (curve.length === 0 && band.length === 0 && all.length === 0) return noDataChart('concentration', title, { ...o, height: o.height ?? 240 });

  const ys = [...curve.map((p) => p.c), ...band.flatMap((p) => [p.lo as number, p.hi as number]), ...all.map((p) => p.c)];
  if (o.logY) requirePositive(ys, what);
  const tgt = target ? [target.lo, target.hi].filter((v) => Number.isFinite(v) && (!o.logY || v > 0)) : [];
  const xs = [...curve.map((p) => p.t), ...band.map((p) => p.t), ...all.map((p) => p.t), ...doses.map((d) => d.t)];

  const cu = o.concentrationUnit;
  const x = timeAxis(xs, o.timeUnit, o.xLabel ?? 'Time', o.xTicks);
  const y = axisFrom([...ys, ...tgt], { kind: o.logY ? 'log' : 'linear', zero: !o.logY, count: 5, label: o.yLabel ?? 'Concentration', unit: cu, what });

  const items: LegendItem[] = [];
  if (band.length > 0) items.push({ kind: 'band', color: COLORS.blue, label: o.bandLabel ?? 'Credible band', opacity: 0.22 });
  if (curve.length > 0) items.push({ kind: 'line', color: COLORS.blue, label: o.curveLabel ?? 'Median' });
  if (obs.length > 0) items.push({ kind: 'point', color: COLORS.vermillion, label: o.observationLabel ?? 'Measured' });
  if (below.length > 0) items.push({ kind: 'below', color: COLORS.vermillion, label: o.blqLabel ?? 'Below LLOQ (BLQ), at the LLOQ' });
  if (target) items.push({ kind: 'band', color: COLORS.green, opacity: 0.18, label: target.label ?? `Target ${windowText(target.lo, target.hi, cu)}` });
  if (doses.length > 0) items.push({ kind: 'line', color: COLORS.grey, dash: '4 3', label: 'Dose' });

  const width = o.width ?? 640;
  const L = cartesian({ width, height: o.height ?? 360, title: o.title, legend: items, x, y, top: doses.length > 0 ? 22 : 0 });
  const { plot } = L;
  let body = L.header + L.under;

  if (target) {
    const [top, bottom] = yExtent(L.y, target.lo, target.hi, plot);
    body += el('rect', { class: 'dw-target', ...finiteBounds(target), x: plot.x0, y: top, width: plot.x1 - plot.x0, height: bottom - top, fill: COLORS.green, 'fill-opacity': 0.14 });
  }

  if (band.length > 0) {
    const upper = band.map((p) => [L.x.map(p.t), L.y.map(p.hi as number)] as const);
    const lower = band.map((p) => [L.x.map(p.t), L.y.map(p.lo as number)] as const).reverse();
    body += el('polygon', { class: 'dw-band', points: points([...upper, ...lower]), fill: COLORS.blue, 'fill-opacity': 0.22, stroke: 'none' });
  }

  for (const d of doses) {
    const xd = L.x.map(d.t);
    body += el('line', { class: 'dw-dose', 'data-t': String(d.t), x1: xd, y1: plot.y0, x2: xd, y2: plot.y1, stroke: COLORS.grey, 'stroke-width': 1, 'stroke-dasharray': '4 3' });
  }

  if (curve.length === 1) {
    const p = curve[0] as CurvePoint;
    body += el('circle', { class: 'dw-line', cx: L.x.map(p.t), cy: L.y.map(p.c), r: 3, fill: COLORS.blue });
  } else if (curve.length > 1) {
    body += el('polyline', { class: 'dw-line', points: points(curve.map((p) => [L.x.map(p.t), L.y.map(p.c)])), fill: 'none', stroke: COLORS.blue, 'stroke-width': 2, 'stroke-linejoin': 'round' });
  }

  for (const p of obs) {
    const tip = `${p.label ? `${p.label}: ` : ''}t = ${fmt(p.t, 4)}${o.timeUnit ? ` ${o.timeUnit}` : ''}, C = ${fmt(p.c, 4)}${cu ? ` ${cu}` : ''}`;
    body += el('circle', { class: 'dw-point', cx: L.x.map(p.t), cy: L.y.map(p.c), r: 4.5, fill: COLORS.vermillion, stroke: '#ffffff', 'stroke-width': 1.5 }, `<title>${esc(tip)}</title>`);
  }

  for (const p of below) {
    const tip = `${p.label ? `${p.label}: ` : ''}BLQ: t = ${fmt(p.t, 4)}${o.timeUnit ? ` ${o.timeUnit}` : ''}, C < ${fmt(p.c, 4)}${cu ? ` ${cu}` : ''} (the LLOQ)`;
    body += el('polygon', { class: 'dw-blq', 'data-t': String(p.t), 'data-lloq': String(p.c), points: points(belowMarker(L.x.map(p.t), L.y.map(p.c))), fill: '#ffffff', stroke: COLORS.vermillion, 'stroke-width': 1.5 }, `<title>${esc(tip)}</title>`);
  }

  body += L.over;

  if (doses.length > 0) {
    // Markers above the plot; labels only when consecutive ones do not collide.
    const xsPix = doses.map((d) => L.x.map(d.t));
    const labelled = doses.map((d) => d.label ?? '');
    let fits = true;
    for (let i = 1; i < doses.length; i++) {
      const need = (textWidth(labelled[i - 1] as string, 10) + textWidth(labelled[i] as string, 10)) / 2 + 6;
      if ((xsPix[i] as number) - (xsPix[i - 1] as number) < need) fits = false;
    }
    let marks = '';
    doses.forEach((d, i) => {
      const xd = xsPix[i] as number;
      const ty = plot.y0 - 2;
      marks += el('polygon', { points: points([[xd - 4, ty - 6], [xd + 4, ty - 6], [xd, ty]]), fill: COLORS.grey });
      if (fits && d.label) {
        const w = textWidth(d.label, 10) / 2;
        const lx = Math.min(Math.max(xd, plot.x0 + w - 4), width - w - 2);
        marks += el('text', { x: lx, y: ty - 9, 'text-anchor': 'middle', 'font-size': 10, fill: COLORS.grey }, esc(d.label));
      }
    });
    body += el('g', { class: 'dw-dose-markers' }, marks);
  }

  const desc =
    o.desc ??
    [
      `${title}.`,
      curve.length > 0 ? `${o.curveLabel ?? 'Median'} curve over ${fmt(curve[0]?.t ?? 0)}–${fmt(curve[curve.length - 1]?.t ?? 0)}${o.timeUnit ? ` ${o.timeUnit}` : ''}.` : '',
      band.length > 0 ? `${o.bandLabel ?? 'Credible band'} at ${band.length} time points.` : '',
      obs.length > 0 ? `${obs.length} measured level${obs.length === 1 ? '' : 's'}.` : '',
      below.length > 0 ? `${below.length} level${below.length === 1 ? '' : 's'} below the limit of quantification (BLQ), drawn at the limit.` : '',
      target ? `Target window ${windowText(target.lo, target.hi, cu)}.` : '',
      doses.length > 0 ? `${doses.length} dose${doses.length === 1 ? '' : 's'}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  return svgDocument({ width: L.width, height: L.height, title: o.title, accessibleTitle: title, desc, id: o.id, kind: 'concentration', body });
}
