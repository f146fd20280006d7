// A one-sided target (trough ≤ 15, AUC ≥ 400) shades its rect without the open side's data
// attribute: it wrote data-lo="-Infinity" / data-hi="Infinity" into the report's SVG.

import { describe, expect, it } from 'vitest';
import { concentrationChart } from '../../../src/report/concentration.js';
import { histogramChart } from '../../../src/report/histogram.js';
import { byClass, parseXml } from './xml.js';

const curve = [0, 1, 2, 3, 4].map((t) => ({ t, c: 20 - 3 * t }));

describe('one-sided target windows', () => {
  it('concentration chart: trough ≤ 15 has data-hi 15 and no data-lo', () => {
    const s = concentrationChart({ curve, target: { lo: -Infinity, hi: 15, label: 'Trough target ≤ 15' } });
    expect(s).not.toMatch(/Infinity|NaN/);
    const rect = byClass(parseXml(s), 'dw-target')[0];
    expect(rect?.attrs['data-hi']).toBe('15');
    expect(rect?.attrs['data-lo']).toBeUndefined();
  });

  it('histogram: AUC ≥ 400 has data-lo 400 and no data-hi; a two-sided one keeps both', () => {
    const values = [300, 350, 420, 480, 550, 610];
    const s = histogramChart({ values }, { target: { lo: 400, hi: Infinity } });
    expect(s).not.toMatch(/Infinity|NaN/);
    const rect = byClass(parseXml(s), 'dw-target')[0];
    expect(rect?.attrs['data-lo']).toBe('400');
    expect(rect?.attrs['data-hi']).toBeUndefined();
    const both = byClass(parseXml(histogramChart({ values }, { target: { lo: 400, hi: 600 } })), 'dw-target')[0];
    expect([both?.attrs['data-lo'], both?.attrs['data-hi']]).toEqual(['400', '600']);
  });
});
