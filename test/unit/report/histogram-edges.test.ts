// The histogram's bins count every value between their labelled edges. With a plotted range (the
// population report's P0.5–P99.5), the bins are widened to round edges, and the edge bins counted
// only the values inside the range while keeping their full labels: on W-b, n 3000, seed 42 the
// report read "trough 0.5–1: 3" where subjects.csv has 18, and the 15 left out were called
// "outside the plotted range" though they lie inside the labelled bin.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { histogramChart } from '../../../src/report/histogram.js';
import { cli } from '../cli/run-cli.js';

interface Bar { lo: number; hi: number; count: number }

/** The bars of one chart, from their tooltips ("lo–hi: count (pct)"), and its "outside" note. */
function barsOf(svg: string): { bars: Bar[]; outside: number } {
  const bars = [...svg.matchAll(/<title>([-\d.e]+)–([-\d.e]+): (\d+)/g)].map((m) => ({ lo: Number(m[1]), hi: Number(m[2]), count: Number(m[3]) }));
  const note = /(\d+) values? outside the plotted range/.exec(svg);
  return { bars, outside: note ? Number(note[1]) : 0 };
}

/** Independent count: lo ≤ x < hi (the last bin also x = hi). */
const within = (xs: readonly number[], lo: number, hi: number, last: boolean): number => xs.filter((x) => x >= lo && (x < hi || (last && x === hi))).length;

describe('histogram bins and their labels', () => {
  it('edge bins of a plotted range count every value between their edges (10–20 read 5 for 10, 80–90 read 3 for 10)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 0.5); // 0.5..99.5, ten per bin of width 10
    const { bars, outside } = barsOf(histogramChart({ values }, { domain: [15, 83], binWidth: 10, percent: false }));
    expect(bars.map((b) => [b.lo, b.hi])).toEqual([[10, 20], [20, 30], [30, 40], [40, 50], [50, 60], [60, 70], [70, 80], [80, 90]]);
    bars.forEach((b, k) => expect(b.count).toBe(within(values, b.lo, b.hi, k === bars.length - 1)));
    expect(bars.map((b) => b.count)).toEqual(new Array(8).fill(10));
    // 0.5–9.5 and 90.5–99.5 lie beyond the outermost edges; before, 32 (0.5–14.5 and 83.5–99.5) were "outside"
    expect(outside).toBe(20);
  });

  it('a value on the upper edge of the last bin is in it, not outside', () => {
    const { bars, outside } = barsOf(histogramChart({ values: [0, 5, 10, 20, 20.5] }, { domain: [0, 20], binWidth: 10, percent: false }));
    expect(bars).toEqual([{ lo: 0, hi: 10, count: 2 }, { lo: 10, hi: 20, count: 2 }]);
    expect(outside).toBe(1);
  });

  describe('the population report (W-b, n 3000, seed 42)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-hist-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('every bar counts the subjects between its edges; "outside" only those beyond the outermost edges', async () => {
      const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '3000', '--seed', '42',
        '--metric', 'auc24', '--metric', 'trough', '--window', 'auc24=150:250', '--report', dir, '--out', dir, '--no-progress', '--workers', '0']);
      expect(r.code).toBe(0);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      const lines = readFileSync(join(dir, 'subjects.csv'), 'utf8').trim().split('\n');
      const header = (lines[0] as string).split(',');
      const column = (name: string): number[] => lines.slice(1).map((l) => Number(l.split(',')[header.indexOf(name)]));
      // counts numpy gave on the subjects.csv of this run ((x >= lo) & (x < hi)); the report read 3, 1, 22 and 3
      const numpy: Record<string, [number, number, number][]> = { trough: [[0.5, 1, 18], [13.5, 14, 3]], auc24: [[90, 100, 26], [400, 410, 4]] };
      for (const name of ['auc24', 'trough']) {
        const svg = html.slice(html.indexOf(`Distribution of ${name}`));
        const { bars, outside } = barsOf(svg.slice(0, svg.indexOf('</svg>')));
        const xs = column(name);
        expect(bars.length).toBeGreaterThan(5);
        bars.forEach((b, k) => expect([b.lo, b.hi, b.count]).toEqual([b.lo, b.hi, within(xs, b.lo, b.hi, k === bars.length - 1)]));
        const first = (bars[0] as Bar).lo;
        const last = (bars[bars.length - 1] as Bar).hi;
        expect(outside).toBe(xs.filter((x) => x < first || x > last).length);
        expect(bars.reduce((s, b) => s + b.count, 0) + outside).toBe(3000);
        for (const [lo, hi, n] of numpy[name] as [number, number, number][]) expect(bars.find((b) => b.lo === lo && b.hi === hi)?.count).toBe(n);
      }
    });
  });
});
