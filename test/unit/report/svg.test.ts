// SVG primitives: escaping, number formatting, scales and ticks, log-scale refusal, legend layout,
// and the test's own well-formedness checker (it must reject what it is meant to catch).

import { describe, expect, it } from 'vitest';
import {
  ReportError,
  axisFrom,
  el,
  esc,
  fmt,
  legend,
  linearScale,
  logDomain,
  logScale,
  logTicks,
  niceDomain,
  niceTicks,
  noDataChart,
  pct,
  px,
  tickLabel,
  truncate,
  textWidth,
} from '../../../src/report/svg.js';
import { byClass, findAll, parseXml, textOf } from './xml.js';

describe('text', () => {
  it('escapes the XML specials', () => {
    expect(esc(`a<b>&"c"'d`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;d');
    expect(el('text', { x: 1.005, 'data-l': '<&">' }, esc('<&>'))).toBe('<text x="1" data-l="&lt;&amp;&quot;&gt;">&lt;&amp;&gt;</text>');
  });

  it('formats coordinates and labels deterministically', () => {
    expect(px(-0.001)).toBe('0');
    expect(px(12.3456)).toBe('12.35');
    expect(fmt(1000)).toBe('1000');
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(1.25)).toBe('1.25');
    expect(fmt(Infinity)).toBe('∞');
    expect(pct(0.1234)).toBe('12.3%');
    expect(pct(NaN)).toBe('–');
    expect(tickLabel(0.30000000000000004)).toBe('0.3');
    expect(tickLabel(2e6)).toBe('2e6');
  });

  it('truncates long labels with an ellipsis', () => {
    const t = truncate('a very long label indeed, much longer than the room', 80);
    expect(t.endsWith('…')).toBe(true);
    expect(textWidth(t)).toBeLessThanOrEqual(80);
    expect(truncate('short', 80)).toBe('short');
  });
});

describe('scales and ticks', () => {
  it('nice linear ticks and domains', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceDomain(0.3, 9.7)).toEqual([0, 10]);
    expect(niceTicks(0.1, 0.7, 6)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceDomain(5, 5)).toEqual([4.4, 5.6]);
    expect(niceDomain(0, 0)).toEqual([-1, 1]);
  });

  it('axisFrom: ticks span the whole nice domain; zero included on request; NaN ignored', () => {
    const a = axisFrom([0.1, 1.49, NaN], { count: 5 });
    expect(a.ticks[0]).toBe(a.domain[0]);
    expect(a.ticks[a.ticks.length - 1]).toBe(a.domain[1]);
    expect(axisFrom([5, 7], { zero: true }).domain[0]).toBe(0);
    expect(axisFrom([], {}).domain).toEqual([0, 1]);
    expect(axisFrom([200, 1730], { nice: false }).domain).toEqual([200, 1730]);
  });

  it('linear and log scales map the domain onto the range', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect(s.map(0)).toBe(100);
    expect(s.map(2.5)).toBe(75);
    expect(linearScale([3, 3], [0, 10]).map(3)).toBe(5);
    const l = logScale([1, 100], [0, 200]);
    expect(l.map(10)).toBeCloseTo(100, 10);
  });

  it('log ticks and domains use 1-2-5 steps', () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1, 1e6)).toEqual([1, 10, 100, 1000, 10000, 100000, 1000000]);
    expect(logDomain(0.33, 47)).toEqual([0.2, 50]);
    expect(logTicks(0.5, 2)).toContain(1);
  });

  it('a log scale refuses values ≤ 0 with a clear error', () => {
    expect(() => logScale([0, 10], [0, 1])).toThrow(ReportError);
    expect(() => logScale([0, 10], [0, 1])).toThrow(/log scale: the domain must be > 0/);
    expect(() => axisFrom([1, 0, 5], { kind: 'log', what: 'my chart' })).toThrow(/my chart: a log scale needs values > 0 \(got 0\)/);
    expect(() => axisFrom([1, -2], { kind: 'log' })).toThrow(expect.objectContaining({ code: 'E_REPORT' }));
    // NaN is skipped, not refused.
    expect(axisFrom([1, NaN, 10], { kind: 'log' }).domain).toEqual([1, 10]);
  });
});

describe('legend and frame', () => {
  const items = [
    { kind: 'line' as const, color: '#000', label: 'first series' },
    { kind: 'band' as const, color: '#000', label: 'second <band>' },
    { kind: 'point' as const, color: '#000', label: 'third & last' },
  ];

  it('wraps within its width and escapes labels', () => {
    const wide = legend(items, 0, 0, 1000);
    const narrow = legend(items, 0, 0, 120);
    expect(wide.height).toBeLessThan(narrow.height);
    const root = parseXml(`<svg>${narrow.svg}</svg>`);
    expect(byClass(root, 'dw-legend-item').map(textOf)).toEqual(['first series', 'second <band>', 'third & last']);
    expect(legend([], 0, 0, 100)).toEqual({ svg: '', height: 0 });
  });

  it('the no-data chart is an accessible SVG with a note', () => {
    const s = noDataChart('x', 'Thing', { title: 'T <1>' });
    const root = parseXml(s);
    const svg = findAll(root, 'svg')[0];
    expect(svg.attrs.viewBox).toBe('0 0 640 200');
    expect(textOf(findAll(svg, 'title')[0])).toBe('T <1>');
    expect(byClass(root, 'dw-no-data').map(textOf)).toEqual(['No data']);
    const [t, d] = svg.attrs['aria-labelledby'].split(' ');
    expect(findAll(svg, 'title')[0].attrs.id).toBe(t);
    expect(findAll(svg, 'desc')[0].attrs.id).toBe(d);
  });
});

describe('the test checker', () => {
  it('accepts well-formed markup and rejects malformed markup', () => {
    expect(() => parseXml('<a x="1"><b/>t &amp; u<c></c></a>')).not.toThrow();
    for (const bad of ['<a><b></a></b>', '<a>', '<a>x & y</a>', '<a x="<"/>', '<a x="1" x="2"/>', '<a x=1/>', '<a/><b/>', 'text', '<a>1 < 2</a>', '<a x="&nbsp;"/>']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
    expect(() => parseXml('<!DOCTYPE html><html><head><meta charset="utf-8"><style>a > b { }</style></head><body><br></body></html>', { html: true })).not.toThrow();
  });
});
