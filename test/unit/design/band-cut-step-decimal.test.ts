// A decimal --cut-step names decimal cuts: 3 × 0.1 is 0.30000000000000004 in floating point, so the
// subjects at X = 0.3 fell below a cut printed "< 0.3" — optimized and counted with the band below
// (500 mg), while the table told the reader to give them the band above's 1250 mg.

import { describe, expect, it } from 'vitest';
import { optimizeBanding } from '../../../src/design/banding/banding.js';

/** Subjects of band b by their banding values: from ≤ x < to. */
const inBand = (by: readonly number[], b: { from: number | null; to: number | null }): number => by.filter((x) => (b.from === null || x >= b.from) && (b.to === null || x < b.to)).length;

describe('optimizeBanding with a decimal cutStep', () => {
  it('cuts at 0.3 itself: the subjects at 0.3 are in the band whose label holds them', () => {
    // per unit dose, X ≤ 0.2 gives 10 and X ≥ 0.3 gives 20; the window [15, 25] wants 2 and 1
    const by = [0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.6, 0.7, 0.7];
    const exposure = by.map((x) => (x <= 0.2 ? 10 : 20));
    const r = optimizeBanding({ by, exposure, window: { lo: 15, hi: 25 }, bands: 2, doses: [1, 2], cutStep: 0.1 });
    expect(r.bands[1]?.from).toBe(0.3);
    expect(r.bands.map((b) => b.n)).toEqual([4, 6]);
    for (const b of r.bands) expect(inBand(by, b)).toBe(b.n);
    expect(r.overall.fracIn).toBe(1);
  });
  it('cuts at decimal multiples of 0.7, 0.05 and 2.5 the same way (3 × 0.7 is 2.0999999999999996)', () => {
    const cases: [number, number, number[]][] = [
      [0.7, 2.1, [0.7, 1.4, 1.4, 2.1, 2.1, 2.8, 3.5]],
      [0.05, 0.15, [0.05, 0.1, 0.1, 0.15, 0.15, 0.2, 0.25]],
      [2.5, 7.5, [2.5, 5, 5, 7.5, 7.5, 10, 12.5]],
    ];
    for (const [step, at, by] of cases) {
      const exposure = by.map((x) => (x < at ? 10 : 20));
      const r = optimizeBanding({ by, exposure, window: { lo: 15, hi: 25 }, bands: 2, doses: [1, 2], cutStep: step });
      expect(r.bands[1]?.from, `step ${step}`).toBe(at);
      for (const b of r.bands) expect(inBand(by, b), `step ${step}`).toBe(b.n);
      expect(r.overall.fracIn, `step ${step}`).toBe(1);
    }
  });
});
