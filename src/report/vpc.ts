// VPC charts. The percentile panel: for each percentile of the data, the interval of the simulated
// percentile over replicates as a shaded band across bins (outer percentiles blue, the median red,
// the usual VPC colours), the observed percentile as a line on top (solid median, dashed outer ones),
// and the observations as small grey points. The BLQ panel: the observed fraction below the LLOQ per
// bin against the simulated interval. Censored percentiles (null) break the lines and bands. On a
// log axis, values ≤ 0 (additive error simulates them) are left out and counted (vpcLogOmitted):
// they failed the whole command after the run ("a log scale needs values > 0 (got -0.353855)").

import { COLORS, type ChartOptions, type LegendItem, axisFrom, cartesian, el, esc, fmt, noDataChart, points, svgDocument } from './svg.js';

export interface VpcChartBin {
  readonly x: number;
  readonly percentiles: readonly { readonly p: number; readonly observed: number | null; readonly median: number | null; readonly lo: number | null; readonly hi: number | null }[];
  readonly blq?: { readonly observed: number; readonly median: number; readonly lo: number; readonly hi: number };
}

export interface VpcChartData {
  readonly bins: readonly VpcChartBin[];
  readonly observations?: readonly { readonly t: number; readonly dv: number }[];
  /** Level of the simulated intervals (for the legend). */
  readonly ci: number;
}

export interface VpcChartOptions extends ChartOptions {
  readonly logY?: boolean;
  readonly timeUnit?: string;
  readonly unit?: string;
  readonly yLabel?: string;
}

/** Runs of consecutive bins where every value is finite (a censored value breaks a line). */
function runs<T>(items: readonly T[], ok: (t: T) => boolean): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  for (const it of items) {
    if (ok(it)) cur.push(it);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

const pctLabel = (p: number): string => `${fmt(p * 100, 3)}th`;

/** What a log y axis leaves out of the percentile panel: values ≤ 0, which it cannot place. */
export interface VpcLogOmitted {
  /** Observations (points) ≤ 0. */
  readonly observations: number;
  /** Observed percentiles (one per bin and percentile) ≤ 0: their line breaks there. */
  readonly observed: number;
  /** Simulated intervals (one per bin and percentile) whose lower end is ≤ 0: their band breaks there. */
  readonly intervals: number;
}

const drawnObservation = (p: { readonly t: number; readonly dv: number }, logY: boolean): boolean => Number.isFinite(p.t) && Number.isFinite(p.dv) && (!logY || p.dv > 0);
const drawnObserved = (q: VpcChartBin['percentiles'][number] | undefined, logY: boolean): boolean => q?.observed != null && Number.isFinite(q.observed) && (!logY || q.observed > 0);
const drawnInterval = (q: VpcChartBin['percentiles'][number] | undefined, logY: boolean): boolean =>
  q?.lo != null && q.hi != null && Number.isFinite(q.lo) && Number.isFinite(q.hi) && (!logY || q.lo > 0);

/** The values ≤ 0 a log y axis leaves out of vpcChart (censored, null values are not counted). */
export function vpcLogOmitted(data: VpcChartData): VpcLogOmitted {
  const qs = data.bins.flatMap((b) => b.percentiles);
  return {
    observations: (data.observations ?? []).filter((p) => Number.isFinite(p.t) && Number.isFinite(p.dv) && p.dv <= 0).length,
    observed: qs.filter((q) => q.observed != null && Number.isFinite(q.observed) && q.observed <= 0).length,
    intervals: qs.filter((q) => q.lo != null && q.hi != null && Number.isFinite(q.lo) && Number.isFinite(q.hi) && q.lo <= 0).length,
  };
}

/** "the log axis leaves out 3 observations ≤ 0 and 1 simulated interval reaching ≤ 0 (…)", or '' when it leaves out none. */
export function vpcLogOmittedText(n: VpcLogOmitted): string {
  const parts = [
    n.observations ? `${n.observations} observation${n.observations === 1 ? '' : 's'} ≤ 0` : '',
    n.observed ? `${n.observed} observed percentile${n.observed === 1 ? '' : 's'} ≤ 0` : '',
    n.intervals ? `${n.intervals} simulated interval${n.intervals === 1 ? '' : 's'} reaching ≤ 0` : '',
  ].filter((x) => x);
  if (parts.length === 0) return '';
  const list = parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] as string}`;
  return `the log axis leaves out ${list} (a log scale cannot place them)`;
}

/** The percentile panel of a VPC as an SVG string. */
export function vpcChart(data: VpcChartData, o: VpcChartOptions = {}): string {
  const title = o.title ?? 'Visual predictive check';
  const bins = [...data.bins].sort((a, b) => a.x - b.x);
  const logY = o.logY ?? false;
  const obs = (data.observations ?? []).filter((p) => drawnObservation(p, logY));
  const nP = bins[0]?.percentiles.length ?? 0;
  // the axis spans what is drawn: on a log axis a value ≤ 0 is left out, not refused
  const values = logY
    ? [...obs.map((p) => p.dv), ...bins.flatMap((b) => b.percentiles.flatMap((q) => [...(drawnObserved(q, true) ? [q.observed as number] : []), ...(drawnInterval(q, true) ? [q.lo as number, q.hi as number] : [])]))]
    : [...obs.map((p) => p.dv), ...bins.flatMap((b) => b.percentiles.flatMap((q) => [q.observed, q.lo, q.hi]).filter((v): v is number => v !== null && Number.isFinite(v)))];
  const omitted = logY ? vpcLogOmittedText(vpcLogOmitted(data)) : '';
  if (bins.length === 0 || values.length === 0)
    return noDataChart('vpc', title, { ...o, height: o.height ?? 260, desc: o.desc ?? (omitted ? `${title}: no value > 0 for a log axis; ${omitted}.` : undefined) }, omitted ? 'No value > 0 for a log axis' : 'No data');
  const x = axisFrom([...bins.map((b) => b.x), ...obs.map((p) => p.t)], { label: 'Time', unit: o.timeUnit, count: 6 });
  const y = axisFrom(values, { kind: o.logY ? 'log' : 'linear', zero: !o.logY, count: 5, label: o.yLabel ?? 'DV', unit: o.unit, what: 'VPC chart' });
  const level = `${fmt(data.ci * 100, 3)}% interval`;
  const mid = Math.floor(nP / 2);
  const colorOf = (q: number): string => (q === mid && nP % 2 === 1 ? COLORS.vermillion : COLORS.blue);
  const items: LegendItem[] = [
    { kind: 'point', color: COLORS.grey, label: 'Observed' },
    { kind: 'line', color: COLORS.ink, label: 'Observed percentiles' },
    { kind: 'band', color: COLORS.blue, opacity: 0.25, label: `Simulated ${bins[0]?.percentiles.filter((_, q) => colorOf(q) === COLORS.blue).map((q) => pctLabel(q.p)).join(', ')} (${level})` },
  ];
  if (nP % 2 === 1) items.push({ kind: 'band', color: COLORS.vermillion, opacity: 0.25, label: `Simulated ${pctLabel(bins[0]?.percentiles[mid]?.p ?? 0.5)} (${level})` });
  const L = cartesian({ width: o.width ?? 640, height: o.height ?? 400, title: o.title, legend: items, x, y });
  let body = L.header + L.under;
  for (let q = 0; q < nP; q++) {
    for (const run of runs(bins, (b) => drawnInterval(b.percentiles[q], logY))) {
      const up = run.map((b) => [L.x.map(b.x), L.y.map(b.percentiles[q]?.hi as number)] as const);
      const down = run.map((b) => [L.x.map(b.x), L.y.map(b.percentiles[q]?.lo as number)] as const).reverse();
      body += run.length === 1
        ? el('line', { class: 'dw-band', 'data-p': String(bins[0]?.percentiles[q]?.p), x1: up[0]?.[0], y1: up[0]?.[1], x2: down[0]?.[0], y2: down[0]?.[1], stroke: colorOf(q), 'stroke-width': 8, 'stroke-opacity': 0.3 })
        : el('polygon', { class: 'dw-band', 'data-p': String(bins[0]?.percentiles[q]?.p), points: points([...up, ...down]), fill: colorOf(q), 'fill-opacity': 0.25, stroke: 'none' });
    }
  }
  for (const p of obs) body += el('circle', { class: 'dw-point', cx: L.x.map(p.t), cy: L.y.map(p.dv), r: 2, fill: COLORS.grey, 'fill-opacity': 0.5 });
  for (let q = 0; q < nP; q++) {
    for (const run of runs(bins, (b) => drawnObserved(b.percentiles[q], logY))) {
      const pts = run.map((b) => [L.x.map(b.x), L.y.map(b.percentiles[q]?.observed as number)] as const);
      const dash = q === mid && nP % 2 === 1 ? undefined : '6 4';
      body += pts.length === 1
        ? el('circle', { class: 'dw-line', cx: pts[0]?.[0], cy: pts[0]?.[1], r: 3, fill: COLORS.ink })
        : el('polyline', { class: 'dw-line', 'data-p': String(bins[0]?.percentiles[q]?.p), points: points(pts), fill: 'none', stroke: COLORS.ink, 'stroke-width': 1.8, 'stroke-dasharray': dash });
    }
  }
  body += L.over;
  const desc = o.desc ?? `${title}: ${bins.length} time bins, observed ${bins[0]?.percentiles.map((q) => pctLabel(q.p)).join('/')} percentiles against the ${level} of the simulated ones; ${obs.length} observations${omitted ? `; ${omitted}` : ''}.`;
  return svgDocument({ width: L.width, height: L.height, title: o.title, accessibleTitle: title, desc, id: o.id, kind: 'vpc', body });
}

/** The BLQ panel of a VPC: observed fraction below the LLOQ per bin against the simulated interval. */
export function vpcBlqChart(data: VpcChartData, o: VpcChartOptions = {}): string {
  const title = o.title ?? 'Fraction below the LLOQ';
  const bins = [...data.bins].filter((b) => b.blq).sort((a, b) => a.x - b.x);
  if (bins.length === 0) return noDataChart('vpc-blq', title, { ...o, height: o.height ?? 200 });
  const x = axisFrom(bins.map((b) => b.x), { label: 'Time', unit: o.timeUnit, count: 6 });
  const y = axisFrom([0, 1, ...bins.flatMap((b) => [b.blq?.hi as number, b.blq?.observed as number])], { zero: true, count: 5, label: 'Fraction BLQ' });
  const items: LegendItem[] = [
    { kind: 'line', color: COLORS.ink, label: 'Observed' },
    { kind: 'band', color: COLORS.blue, opacity: 0.25, label: `Simulated (${fmt(data.ci * 100, 3)}% interval)` },
  ];
  const L = cartesian({ width: o.width ?? 640, height: o.height ?? 240, title: o.title, legend: items, x, y });
  let body = L.header + L.under;
  const up = bins.map((b) => [L.x.map(b.x), L.y.map(b.blq?.hi as number)] as const);
  const down = bins.map((b) => [L.x.map(b.x), L.y.map(b.blq?.lo as number)] as const).reverse();
  body += el('polygon', { class: 'dw-band', points: points([...up, ...down]), fill: COLORS.blue, 'fill-opacity': 0.25, stroke: 'none' });
  body += el('polyline', { class: 'dw-line', points: points(bins.map((b) => [L.x.map(b.x), L.y.map(b.blq?.observed as number)])), fill: 'none', stroke: COLORS.ink, 'stroke-width': 1.8 });
  for (const b of bins) body += el('circle', { class: 'dw-point', cx: L.x.map(b.x), cy: L.y.map(b.blq?.observed as number), r: 3, fill: COLORS.ink }, `<title>${esc(`t = ${fmt(b.x, 4)}: observed ${fmt((b.blq?.observed ?? 0) * 100, 3)}%`)}</title>`);
  body += L.over;
  return svgDocument({ width: L.width, height: L.height, title: o.title, accessibleTitle: title, desc: o.desc ?? `${title} in ${bins.length} time bins, observed against simulated.`, id: o.id, kind: 'vpc-blq', body });
}
