// Values spanning more decades than the summary's sketch keeps (concentrations 48 h after a dose
// with ω²(CL) = 1.5: 1.7e-74 to 81) fold the lowest buckets into one: p05 read 1.331e-16 for
// 1.708e-74 with exit 0 and nothing said. Such quantiles are now marked as upper bounds, warned
// about, and printed with ≤.

import { describe, expect, it } from 'vitest';
import { DDSketch, foldedQuantileWarnings, summarize } from '../../../src/population/summary/index.js';

function lowerOrderStatistic(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

describe('quantiles in folded buckets', () => {
  // 10,000 values 10^u, u uniform on [−80, 2]: 82 decades, far beyond the default bucket cap
  const values = Float64Array.from({ length: 10_000 }, (_, i) => 10 ** (-80 + (82 * (i + 0.5)) / 10_000));
  const sorted = Float64Array.from(values).sort();

  it('are flagged, and each flagged one is an upper bound of the exact lower order statistic', () => {
    const s = new DDSketch().addAll(values);
    expect(s.collapsed).toBe(true);
    for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      const exact = lowerOrderStatistic(sorted, q);
      const got = s.quantile(q);
      if (s.quantileFolded(q)) expect(got).toBeGreaterThanOrEqual(exact);
      else expect(Math.abs(got / exact - 1)).toBeLessThanOrEqual(s.alpha * (1 + 1e-12));
    }
    expect(s.quantileFolded(0.05)).toBe(true);
    expect(s.quantileFolded(0.95)).toBe(false);
  });

  it('are named in the report and in a warning', () => {
    const report = summarize(values).report();
    expect(report.foldedQuantiles).toContain('p05');
    expect(report.foldedQuantiles).not.toContain('p95');
    const [w] = foldedQuantileWarnings([{ name: 'conc@48', report }]);
    expect(w).toMatch(/conc@48.*p05.*upper bounds/);
    expect(foldedQuantileWarnings([{ name: 'auc', report: summarize(Float64Array.from({ length: 1000 }, (_, i) => 100 + i)).report() }])).toEqual([]);
  });
});
