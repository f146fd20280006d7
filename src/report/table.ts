// HTML tables for the report: a generic data table and the dose-band table (range of the banding
// variable, dose, n, % within the window, optionally % below/above and an overall row). Rows have
// the shape of src/design/banding's Band ({from, to, dose, n, fracIn, ...}), so a BandingResult's
// bands can be passed as they are. All cell text is escaped.

import { esc, fmt, pct } from './svg.js';

export interface TableColumn {
  readonly heading: string;
  /** Right-align (numbers). */
  readonly numeric?: boolean;
}

/** A plain HTML table (`<table class="dw-table">`) with escaped cells. */
export function dataTable(columns: readonly TableColumn[], rows: readonly (readonly (string | number)[])[], o: { caption?: string; footer?: readonly (string | number)[] } = {}): string {
  const cls = (c: TableColumn | undefined) => (c?.numeric ? ' class="num"' : '');
  const cell = (v: string | number) => esc(typeof v === 'number' ? fmt(v, 4) : v);
  const head = `<thead><tr>${columns.map((c) => `<th scope="col"${cls(c)}>${esc(c.heading)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((v, i) => `<td${cls(columns[i])}>${cell(v)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  const foot = o.footer ? `<tfoot><tr>${o.footer.map((v, i) => `<td${cls(columns[i])}>${cell(v)}</td>`).join('')}</tr></tfoot>` : '';
  const caption = o.caption ? `<caption>${esc(o.caption)}</caption>` : '';
  return `<table class="dw-table">${caption}${head}${body}${foot}</table>`;
}

export interface BandRow {
  /** Lower limit (inclusive) of the band, null for the first band. */
  readonly from: number | null;
  /** Upper limit (exclusive), null for the last band. */
  readonly to: number | null;
  readonly dose: number;
  readonly n: number;
  /** Fraction within the window, 0..1. */
  readonly fracIn: number;
  readonly fracBelow?: number;
  readonly fracAbove?: number;
}

export interface BandTableOptions {
  /** Name of the banding variable, e.g. "Weight" (default "Band"). */
  readonly by?: string;
  readonly byUnit?: string;
  readonly doseUnit?: string;
  readonly caption?: string;
  /** An overall row (e.g. BandingResult.overall). */
  readonly overall?: { readonly n: number; readonly fracIn: number; readonly fracBelow?: number; readonly fracAbove?: number };
}

/** Band limits as text: "< 50", "50 to < 70", "≥ 90", "all". */
export function bandRange(from: number | null, to: number | null, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  const f = from !== null && Number.isFinite(from);
  const t = to !== null && Number.isFinite(to);
  if (f && t) return `${fmt(from as number, 4)} to < ${fmt(to as number, 4)}${u}`;
  if (f) return `≥ ${fmt(from as number, 4)}${u}`;
  if (t) return `< ${fmt(to as number, 4)}${u}`;
  return 'all';
}

/** The dose-band table as an HTML string. */
export function bandTable(bands: readonly BandRow[], o: BandTableOptions = {}): string {
  const showBelow = bands.some((b) => b.fracBelow !== undefined) || o.overall?.fracBelow !== undefined;
  const showAbove = bands.some((b) => b.fracAbove !== undefined) || o.overall?.fracAbove !== undefined;
  const cols: TableColumn[] = [
    { heading: o.by ? `${o.by}${o.byUnit ? ` (${o.byUnit})` : ''}` : 'Band' },
    { heading: `Dose${o.doseUnit ? ` (${o.doseUnit})` : ''}`, numeric: true },
    { heading: 'n', numeric: true },
    ...(showBelow ? [{ heading: '% below', numeric: true }] : []),
    { heading: '% in window', numeric: true },
    ...(showAbove ? [{ heading: '% above', numeric: true }] : []),
  ];
  const p = (v: number | undefined) => (v === undefined ? '–' : pct(v));
  const rows = bands.map((b) => [
    bandRange(b.from, b.to),
    Number.isFinite(b.dose) ? fmt(b.dose, 4) : '–',
    String(b.n),
    ...(showBelow ? [p(b.fracBelow)] : []),
    p(b.fracIn),
    ...(showAbove ? [p(b.fracAbove)] : []),
  ]);
  const ov = o.overall;
  const footer = ov ? ['Overall', '', String(ov.n), ...(showBelow ? [p(ov.fracBelow)] : []), p(ov.fracIn), ...(showAbove ? [p(ov.fracAbove)] : [])] : undefined;
  if (bands.length === 0) return dataTable(cols, [['No bands', ...cols.slice(1).map(() => '')]], { caption: o.caption, footer });
  return dataTable(cols, rows, { caption: o.caption, footer });
}
