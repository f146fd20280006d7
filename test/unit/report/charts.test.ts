// Each chart: well-formed SVG with viewBox, size and accessible title/description; the expected
// elements (band polygon with 2·n points, target window spanning lo..hi through the axis mapping
// recovered from the tick marks, one line per stratum, ...); escaping of '<&"'; edge cases (no
// data → a "no data" note, one point, NaN skipped, log axis over values ≤ 0 refused); determinism.

import { describe, expect, it } from 'vitest';
import { concentrationChart, type CurvePoint } from '../../../src/report/concentration.js';
import { histogramChart } from '../../../src/report/histogram.js';
import { ptaChart } from '../../../src/report/pta.js';
import { forestPlot } from '../../../src/report/forest.js';
import { strategyChart } from '../../../src/report/strategies.js';
import { bandTable, bandRange, type BandRow } from '../../../src/report/table.js';
import { ReportError } from '../../../src/report/svg.js';
import { axisMap, byClass, findAll, parseXml, pointsOf, textOf, type XNode } from './xml.js';

const NASTY = `A<b> & "c"`;

/** Parses and checks the chart frame; returns the <svg> node. */
function chart(s: string, kind: string): XNode {
  const root = parseXml(s);
  expect(root.children).toHaveLength(1);
  const svg = root.children[0];
  expect(svg.name).toBe('svg');
  expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  expect(svg.attrs.class).toBe(`dw-chart dw-${kind}`);
  const [, , w, h] = svg.attrs.viewBox.split(' ').map(Number);
  expect(Number(svg.attrs.width)).toBe(w);
  expect(Number(svg.attrs.height)).toBe(h);
  const title = findAll(svg, 'title')[0];
  const desc = findAll(svg, 'desc')[0];
  expect(svg.children[0]).toBe(title);
  expect(textOf(title).length).toBeGreaterThan(0);
  expect(textOf(desc).length).toBeGreaterThan(0);
  expect(svg.attrs['aria-labelledby']).toBe(`${title.attrs.id} ${desc.attrs.id}`);
  expect(svg.attrs.role).toBe('img');
  return svg;
}

const num = (n: XNode, a: string) => Number(n.attrs[a]);
const close = (a: number, b: number, tol = 0.02) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

function curve(n: number): CurvePoint[] {
  return Array.from({ length: n }, (_, i) => {
    const t = i * 0.5;
    const c = 20 * Math.exp(-0.1 * t) + 1;
    return { t, c, lo: c * 0.7, hi: c * 1.4 };
  });
}

describe('concentrationChart', () => {
  const data = {
    curve: curve(25),
    observations: [{ t: 2, c: 17 }, { t: 10, c: 8, label: 'trough' }],
    target: { lo: 5, hi: 15 },
    doses: [{ t: 0, label: '1000 mg' }, { t: 6, label: '1000 mg' }],
  };

  it('draws the band (2·n points), the curve, the points, the target window and the doses', () => {
    const svg = chart(concentrationChart(data, { width: 700, height: 400, timeUnit: 'h', concentrationUnit: 'mg/L' }), 'concentration');
    expect(svg.attrs.viewBox).toBe('0 0 700 400');
    const band = byClass(svg, 'dw-band');
    expect(band).toHaveLength(1);
    expect(band[0].name).toBe('polygon');
    expect(pointsOf(band[0])).toHaveLength(2 * 25);
    expect(pointsOf(byClass(svg, 'dw-line')[0])).toHaveLength(25);
    expect(byClass(svg, 'dw-point')).toHaveLength(2);
    expect(byClass(svg, 'dw-dose')).toHaveLength(2);

    const X = axisMap(svg, 'x');
    const Y = axisMap(svg, 'y');
    // Target window: y from hi to lo in data coordinates.
    const rect = byClass(svg, 'dw-target')[0];
    close(num(rect, 'y'), Y(15));
    close(num(rect, 'y') + num(rect, 'height'), Y(5));
    // The band's first point is (t0, hi0); its last is (t0, lo0).
    const pts = pointsOf(band[0]);
    close(pts[0][0], X(0));
    close(pts[0][1], Y(data.curve[0].hi as number));
    close(pts[pts.length - 1][1], Y(data.curve[0].lo as number));
    // Measured points and dose markers at their data coordinates.
    const p = byClass(svg, 'dw-point')[1];
    close(num(p, 'cx'), X(10));
    close(num(p, 'cy'), Y(8));
    expect(textOf(p)).toContain('trough');
    close(num(byClass(svg, 'dw-dose')[1], 'x1'), X(6));
    // Axis labels with units; y axis from 0.
    expect(byClass(svg, 'dw-axis-label').map(textOf)).toEqual(['Time (h)', 'Concentration (mg/L)']);
    expect(byClass(svg, 'dw-tick').filter((t) => t.attrs['data-axis'] === 'y')[0].attrs['data-value']).toBe('0');
  });

  it('skips NaN values (the band loses the point, the line too)', () => {
    const c = curve(10);
    c[3] = { ...c[3], lo: NaN };
    c[5] = { ...c[5], c: NaN };
    const svg = chart(concentrationChart({ curve: c, observations: [{ t: NaN, c: 3 }, { t: 1, c: 2 }] }), 'concentration');
    expect(pointsOf(byClass(svg, 'dw-band')[0])).toHaveLength(2 * 9);
    expect(pointsOf(byClass(svg, 'dw-line')[0])).toHaveLength(9);
    expect(byClass(svg, 'dw-point')).toHaveLength(1);
  });

  it('escapes titles, labels and unit text', () => {
    const s = concentrationChart(
      { curve: curve(3), observations: [{ t: 0.5, c: 3, label: NASTY }], target: { lo: 1, hi: 2, label: NASTY }, doses: [{ t: 0, label: NASTY }] },
      { title: NASTY, desc: NASTY, concentrationUnit: NASTY, curveLabel: NASTY },
    );
    expect(s).not.toContain('<b>');
    const svg = chart(s, 'concentration');
    expect(textOf(findAll(svg, 'title')[0])).toBe(NASTY);
    expect(textOf(findAll(svg, 'desc')[0])).toBe(NASTY);
    expect(textOf(byClass(svg, 'dw-legend')[0])).toContain(NASTY);
    expect(byClass(svg, 'dw-axis-label').map(textOf)).toContain(`Concentration (${NASTY})`);
  });

  it('no data → a chart with a "no data" note; one point → a dot', () => {
    for (const d of [{}, { curve: [] }, { curve: [{ t: NaN, c: NaN }] }]) {
      const svg = chart(concentrationChart(d), 'concentration');
      expect(byClass(svg, 'dw-no-data').map(textOf)).toEqual(['No data']);
    }
    const one = chart(concentrationChart({ curve: [{ t: 1, c: 5, lo: 4, hi: 6 }] }), 'concentration');
    expect(byClass(one, 'dw-line')[0].name).toBe('circle');
    expect(pointsOf(byClass(one, 'dw-band')[0])).toHaveLength(2);
    const obsOnly = chart(concentrationChart({ observations: [{ t: 3, c: 7 }] }), 'concentration');
    expect(byClass(obsOnly, 'dw-point')).toHaveLength(1);
  });

  it('log y axis: logarithmic mapping; values ≤ 0 refused with a clear error', () => {
    const svg = chart(concentrationChart({ curve: curve(20), target: { lo: 5, hi: 15 } }, { logY: true }), 'concentration');
    const Y = axisMap(svg, 'y', true);
    const rect = byClass(svg, 'dw-target')[0];
    close(num(rect, 'y'), Y(15));
    close(num(rect, 'y') + num(rect, 'height'), Y(5));
    const withZero = [{ t: 0, c: 0, lo: 0, hi: 0 }, ...curve(5).slice(1)];
    expect(() => concentrationChart({ curve: withZero }, { logY: true })).toThrow(ReportError);
    expect(() => concentrationChart({ curve: withZero }, { logY: true })).toThrow(/concentration chart: a log scale needs values > 0 \(got 0\)/);
    expect(() => concentrationChart({ observations: [{ t: 1, c: -1 }] }, { logY: true })).toThrow(/got -1/);
  });

  it('hour time axes tick at multiples of 6/12/24 h; output is deterministic', () => {
    const c = Array.from({ length: 49 }, (_, i) => ({ t: i, c: 10 }));
    const svg = chart(concentrationChart({ curve: c }, { timeUnit: 'h' }), 'concentration');
    const xt = byClass(svg, 'dw-tick').filter((t) => t.attrs['data-axis'] === 'x').map((t) => Number(t.attrs['data-value']));
    expect(xt).toEqual([0, 6, 12, 18, 24, 30, 36, 42, 48]);
    expect(concentrationChart(data)).toBe(concentrationChart(data));
  });
});

describe('histogramChart', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('bins raw values; bars sum to 100%; target window spans lo..hi; fractions annotated', () => {
    const svg = chart(histogramChart({ values }, { target: { lo: 25.5, hi: 75.5 }, binWidth: 10, unit: 'mg·h/L' }), 'histogram');
    const bars = byClass(svg, 'dw-bar');
    const Y = axisMap(svg, 'y');
    const X = axisMap(svg, 'x');
    for (const b of bars) close(num(b, 'y') + num(b, 'height'), Y(0)); // bars stand on 0
    const total = bars.reduce((s, b) => s + (Y(0) - num(b, 'y')) / (Y(0) - Y(1)), 0);
    close(total, 100, 0.05);
    expect(bars).toHaveLength(10);
    const rect = byClass(svg, 'dw-target')[0];
    close(num(rect, 'x'), X(25.5));
    close(num(rect, 'x') + num(rect, 'width'), X(75.5));
    const legend = textOf(byClass(svg, 'dw-legend')[0]);
    expect(legend).toContain('Below 25.5: 25.0%');
    expect(legend).toContain('Within 25.5–75.5 mg·h/L: 50.0%');
    expect(legend).toContain('Above 75.5: 25.0%');
    // Bars coloured by their midpoint: [20, 30) is below 25.5, [70, 80) within 75.5.
    expect(bars.map((b) => b.attrs['data-region'])).toEqual(['below', 'below', 'below', 'within', 'within', 'within', 'within', 'within', 'above', 'above']);
  });

  it('takes precomputed bins (fractions by overlap, or given)', () => {
    const bins = [
      { lo: 0, hi: 10, count: 10 },
      { lo: 10, hi: 20, count: 10 },
      { lo: 20, hi: 30, count: 10 },
    ];
    const svg = chart(histogramChart({ bins }, { target: { lo: 5, hi: 25 }, percent: false }), 'histogram');
    expect(byClass(svg, 'dw-bar')).toHaveLength(3);
    const legend = textOf(byClass(svg, 'dw-legend')[0]);
    expect(legend).toContain('Below 5: 16.7%');
    expect(legend).toContain(': 66.7%');
    expect(byClass(svg, 'dw-axis-label').map(textOf)).toEqual(['Exposure', 'Count']);
    const given = chart(histogramChart({ bins }, { target: { lo: 5, hi: 25 }, fractions: { fracBelow: 0.1, fracIn: 0.8, fracAbove: 0.1 } }), 'histogram');
    expect(textOf(byClass(given, 'dw-legend')[0])).toContain(': 80.0%');
  });

  it('skips NaN, handles one value, and no data', () => {
    const svg = chart(histogramChart({ values: [NaN, 5, Infinity, 7, 9] }), 'histogram');
    expect(textOf(findAll(svg, 'desc')[0])).toMatch(/^Exposure distribution: 3 values/);
    const one = chart(histogramChart({ values: [500] }, { target: { lo: 400, hi: 600 } }), 'histogram');
    expect(byClass(one, 'dw-bar')).toHaveLength(1);
    expect(textOf(byClass(one, 'dw-legend')[0])).toContain('100.0%');
    for (const d of [{ values: [] }, { values: [NaN] }, { bins: [] }, { bins: [{ lo: 0, hi: 1, count: 0 }] }]) {
      expect(byClass(chart(histogramChart(d), 'histogram'), 'dw-no-data')).toHaveLength(1);
    }
  });

  it('a plotted range hides outside values but counts them in the fractions', () => {
    const svg = chart(histogramChart({ values }, { domain: [0, 50], target: { lo: 0, hi: 50 } }), 'histogram');
    expect(textOf(byClass(svg, 'dw-note')[0])).toBe('50 values outside the plotted range');
    expect(textOf(byClass(svg, 'dw-legend')[0])).toContain('Above 50: 50.0%');
  });

  it('escapes labels', () => {
    const s = histogramChart({ values }, { title: NASTY, xLabel: NASTY, target: { lo: 10, hi: 20, label: NASTY } });
    const svg = chart(s, 'histogram');
    expect(textOf(findAll(svg, 'title')[0])).toBe(NASTY);
    expect(byClass(svg, 'dw-axis-label').map(textOf)[0]).toBe(NASTY);
  });
});

describe('ptaChart', () => {
  const series = [
    { label: 'CrCL < 30', points: [500, 1000, 1500, 2000].map((d) => ({ dose: d, pta: Math.min(1, d / 1600), lo: Math.min(1, d / 1600) * 0.9, hi: Math.min(1, d / 1600) })) },
    { label: NASTY, points: [500, 1000, 1500, 2000].map((d) => ({ dose: d, pta: d / 4000 })) },
  ];

  it('one line per stratum, interval bands, and a target line at the PTA target', () => {
    const svg = chart(ptaChart(series, { doseUnit: 'mg' }), 'pta');
    const lines = byClass(svg, 'dw-line');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => pointsOf(l).length)).toEqual([4, 4]);
    expect(byClass(svg, 'dw-series').map((g) => g.attrs['data-label'])).toEqual(['CrCL < 30', NASTY]);
    expect(pointsOf(byClass(svg, 'dw-band')[0])).toHaveLength(8);
    const Y = axisMap(svg, 'y');
    const X = axisMap(svg, 'x');
    close(num(byClass(svg, 'dw-target')[0], 'y1'), Y(90));
    const [x0, y0] = pointsOf(lines[1])[1];
    close(x0, X(1000));
    close(y0, Y(25));
    expect(textOf(byClass(svg, 'dw-legend')[0])).toContain('Target 90%');
    expect(byClass(svg, 'dw-axis-label').map(textOf)).toEqual(['Dose (mg)', 'PTA (%)']);
  });

  it('no target line when target is null; NaN skipped; single points; no data', () => {
    const svg = chart(ptaChart([{ label: 'a', points: [{ dose: 1, pta: NaN }, { dose: 2, pta: 0.5 }] }], { target: null }), 'pta');
    expect(byClass(svg, 'dw-target')).toHaveLength(0);
    expect(byClass(svg, 'dw-line')).toHaveLength(0);
    expect(byClass(svg, 'dw-point')).toHaveLength(1);
    expect(byClass(chart(ptaChart([]), 'pta'), 'dw-no-data')).toHaveLength(1);
    expect(byClass(chart(ptaChart([{ label: 'x', points: [{ dose: NaN, pta: 1 }] }]), 'pta'), 'dw-no-data')).toHaveLength(1);
  });
});

describe('forestPlot', () => {
  const rows = [
    { label: 'inhibitor', ratio: 2, lo: 1.6, hi: 2.5 },
    { label: 'food', ratio: 1.02, lo: 0.9, hi: 1.15 },
    { label: NASTY, ratio: 0.85, lo: 0.7, hi: 1.05 },
    { label: 'point only', ratio: 1.1 },
  ];

  it('log x axis; relevance band spans 0.8–1.25; one row per effect coloured by verdict', () => {
    const svg = chart(forestPlot(rows), 'forest');
    const X = axisMap(svg, 'x', true);
    const band = byClass(svg, 'dw-relevance')[0];
    close(num(band, 'x'), X(0.8));
    close(num(band, 'x') + num(band, 'width'), X(1.25));
    const r = byClass(svg, 'dw-row');
    expect(r.map((x) => x.attrs['data-verdict'])).toEqual(['outside', 'inside', 'inconclusive', 'inside']);
    const pt = byClass(r[0], 'dw-point')[0];
    close(num(pt, 'x') + num(pt, 'width') / 2, X(2));
    const iv = byClass(r[0], 'dw-interval')[0];
    close(num(iv, 'x1'), X(1.6));
    close(num(iv, 'x2'), X(2.5));
    expect(byClass(r[3], 'dw-interval')).toHaveLength(0);
    const ticks = byClass(svg, 'dw-tick').map((t) => Number(t.attrs['data-value']));
    expect(ticks).toEqual(expect.arrayContaining([0.8, 1, 1.25]));
    expect(textOf(r[2])).toContain(NASTY);
    expect(textOf(r[0])).toContain('2 (1.6–2.5)');
    // Height grows with the rows.
    const more = chart(forestPlot([...rows, ...rows]), 'forest');
    expect(Number(more.attrs.height)).toBeGreaterThan(Number(svg.attrs.height));
  });

  it('a custom band; long labels truncated with the full text in a tooltip', () => {
    const long = 'an effect with a really very long descriptive label that cannot fit';
    const svg = chart(forestPlot([{ label: long, ratio: 1, lo: 0.9, hi: 1.1 }], { band: [0.7, 1.43], width: 500 }), 'forest');
    const band = byClass(svg, 'dw-relevance')[0];
    expect(band.attrs['data-lo']).toBe('0.7');
    const label = findAll(byClass(svg, 'dw-row')[0], 'text')[0];
    expect(label.text.endsWith('…')).toBe(true);
    expect(textOf(findAll(label, 'title')[0])).toBe(long);
  });

  it('refuses ratios ≤ 0 (log axis); skips NaN rows; no data', () => {
    expect(() => forestPlot([{ label: 'x', ratio: 0 }])).toThrow(/forest plot: row "x": ratio must be > 0 on the log axis \(got 0\)/);
    expect(() => forestPlot([{ label: 'y', ratio: 1, lo: -0.1, hi: 2 }])).toThrow(ReportError);
    expect(() => forestPlot(rows, { band: [1.25, 0.8] })).toThrow(/relevance band/);
    const svg = chart(forestPlot([{ label: 'nan', ratio: NaN }, { label: 'ok', ratio: 1.5, lo: NaN, hi: 2 }]), 'forest');
    expect(byClass(svg, 'dw-row')).toHaveLength(1);
    expect(byClass(chart(forestPlot([]), 'forest'), 'dw-no-data')).toHaveLength(1);
  });
});

describe('strategyChart', () => {
  const rows = [
    { label: 'fixed', fracBelow: 0.3, fracIn: 0.4, fracAbove: 0.3 },
    { label: NASTY, fracBelow: 1, fracIn: 2, fracAbove: 1 }, // normalised
    { label: 'nan', fracBelow: NaN, fracIn: 0.9, fracAbove: 0.1 },
    { label: 'skip', fracBelow: NaN, fracIn: NaN, fracAbove: NaN },
  ];

  it('three stacked segments per strategy spanning 0–100%', () => {
    const svg = chart(strategyChart(rows, { windowLabel: 'AUC24 400–600' }), 'strategies');
    const X = axisMap(svg, 'x');
    const groups = byClass(svg, 'dw-strategy');
    expect(groups.map((g) => g.attrs['data-label'])).toEqual(['fixed', NASTY, 'nan']);
    for (const g of groups) {
      const seg = byClass(g, 'dw-segment');
      expect(seg.map((s) => s.attrs['data-region'])).toEqual(['below', 'within', 'above']);
      close(num(seg[0], 'x'), X(0));
      close(num(seg[2], 'x') + num(seg[2], 'width'), X(100));
    }
    const mid = byClass(groups[1], 'dw-segment')[1];
    close(num(mid, 'width'), X(50) - X(0));
    expect(byClass(groups[2], 'dw-segment').map((s) => Number(s.attrs['data-fraction']))).toEqual([0, 0.9, 0.1]);
    expect(textOf(byClass(svg, 'dw-legend')[0])).toContain('Within window (AUC24 400–600)');
    expect(textOf(groups[0])).toContain('40.0%');
  });

  it('no data', () => {
    expect(byClass(chart(strategyChart([]), 'strategies'), 'dw-no-data')).toHaveLength(1);
    expect(byClass(chart(strategyChart([rows[3]]), 'strategies'), 'dw-no-data')).toHaveLength(1);
  });
});

describe('bandTable', () => {
  it('one row per band with range, dose, n and % in window, plus an overall row', () => {
    const html = bandTable(
      [
        { from: null, to: 50, dose: 750, n: 10, fracIn: 0.5 },
        { from: 50, to: 70, dose: 1000, n: 20, fracIn: 0.625 },
        { from: 70, to: null, dose: 1250, n: 5, fracIn: 1 },
      ],
      { by: 'Weight', byUnit: 'kg', doseUnit: 'mg', caption: NASTY, overall: { n: 35, fracIn: 0.6 } },
    );
    const root = parseXml(html);
    expect(textOf(findAll(root, 'caption')[0])).toBe(NASTY);
    expect(findAll(root, 'th').map(textOf)).toEqual(['Weight (kg)', 'Dose (mg)', 'n', '% in window']);
    const rows = findAll(findAll(root, 'tbody')[0], 'tr').map((r) => findAll(r, 'td').map(textOf));
    expect(rows).toEqual([
      ['< 50', '750', '10', '50.0%'],
      ['50 to < 70', '1000', '20', '62.5%'],
      ['≥ 70', '1250', '5', '100.0%'],
    ]);
    expect(findAll(findAll(root, 'tfoot')[0], 'td').map(textOf)).toEqual(['Overall', '', '35', '60.0%']);
  });

  it('adds % below/above columns when given; empty → a "No bands" row', () => {
    const root = parseXml(bandTable([{ from: 1, to: 2, dose: 3, n: 4, fracIn: 0.5, fracBelow: 0.25, fracAbove: 0.25 }]));
    expect(findAll(root, 'th').map(textOf)).toEqual(['Band', 'Dose', 'n', '% below', '% in window', '% above']);
    expect(textOf(parseXml(bandTable([])))).toContain('No bands');
    expect(bandRange(null, null)).toBe('all');
  });
});

describe('bandTable cuts in the HTML report', () => {
  it('prints a cut with the digits that keep it between the subjects either side (2.475 for 2.47527 moved subjects at 2.4752576 across it)', () => {
    const bands: BandRow[] = [
      { from: null, to: 2.47527, dose: 500, n: 10, fracIn: 0.5, min: 1.2, max: 2.4752576 },
      { from: 2.47527, to: null, dose: 750, n: 12, fracIn: 0.6, min: 2.4752773, max: 4.1 },
    ];
    const cells = findAll(parseXml(bandTable(bands)), 'td').map(textOf);
    expect(cells).toContain('< 2.47527');
    expect(cells).toContain('≥ 2.47527');
    // every printed cut lies between the two bands' subjects
    expect(2.47527).toBeGreaterThan(2.4752576);
    expect(2.47527).toBeLessThanOrEqual(2.4752773);
    // with room, still 4 digits
    expect(bandRange(57.3827, null, 'mL/min', { below: 51, min: 60 })).toBe('≥ 57.38 mL/min');
    expect(bandRange(null, null)).toBe('all');
  });
});
