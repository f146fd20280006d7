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
  /** Smallest and largest banding value among the band's subjects: a printed cut then lies between them. */
  readonly min?: number;
  readonly max?: number;
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

/**
 * A cut as printed: to 4 digits, or with the fewest digits whose value lies between the last subject
 * below it and the first at or above it, so that the printed ranges hold the counts shown (2.475 for a
 * cut of 2.47527 between 2.4752576 and 2.4752773 moved subjects across it).
 */
export function cutText(cut: number, below = -Infinity, above = Infinity, short = fmt(cut, 4)): string {
  if (Number(short) > below && Number(short) <= above) return short;
  for (let p = 5; p <= 17; p++) {
    const v = Number(cut.toPrecision(p));
    if (v > below && v <= above) return String(v);
  }
  return String(cut);
}

/**
 * Band limits as text: "< 50", "50 to < 70", "≥ 90", "all". `below`/`above`: the largest value in the
 * band below the lower cut and the smallest in the band above the upper cut (with the band's own
 * min and max, the cuts are printed with enough digits to fall between them).
 */
export function bandRange(from: number | null, to: number | null, unit?: string, near: { readonly min?: number; readonly max?: number; readonly below?: number; readonly above?: number } = {}): string {
  const u = unit ? ` ${unit}` : '';
  const f = from !== null && Number.isFinite(from);
  const t = to !== null && Number.isFinite(to);
  const lower = () => cutText(from as number, near.below, near.min);
  const upper = () => cutText(to as number, near.max, near.above);
  if (f && t) return `${lower()} to < ${upper()}${u}`;
  if (f) return `≥ ${lower()}${u}`;
  if (t) return `< ${upper()}${u}`;
  return 'all';
}

const edge = (b: BandRow | undefined, side: 'min' | 'max'): number | undefined => (b && b.n > 0 ? b[side] : undefined);

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
  const rows = bands.map((b, i) => [
    bandRange(b.from, b.to, undefined, { min: b.n > 0 ? b.min : undefined, max: b.n > 0 ? b.max : undefined, below: edge(bands[i - 1], 'max'), above: edge(bands[i + 1], 'min') }),
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
