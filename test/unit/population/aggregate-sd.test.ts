// The population SD from exact sums: no cancellation when the spread is tiny against the mean.

import { describe, expect, it } from 'vitest';
import { MetricAggregate } from '../../../src/population/aggregate.js';

const sdOf = (values: number[], chunks = 1): number => {
  const whole = new MetricAggregate();
  const size = Math.ceil(values.length / chunks);
  for (let i = 0; i < values.length; i += size) {
    const part = new MetricAggregate();
    part.add(Float64Array.from(values.slice(i, i + size)));
    whole.mergeFrom(part);
  }
  return whole.report().sd;
};

describe('population SD', () => {
  it('is 0 for equal values (the old n·Σx² − (Σx)² in doubles gave 8.8e-7 for 20 troughs of 61.9)', () => {
    expect(sdOf(new Array(20).fill(61.912671363646034))).toBe(0);
    expect(sdOf(new Array(1000).fill(1e8 / 3), 7)).toBe(0);
  });

  it('is exact to rounding for a spread 1e-13 of the mean, in any chunking', () => {
    // 2^26 + k·2^-20, k = 0..9, all exact doubles: SD = 2^-20 · √(82.5/9)
    const values = Array.from({ length: 10 }, (_, k) => 2 ** 26 + k * 2 ** -20);
    const exact = 2 ** -20 * Math.sqrt(82.5 / 9);
    for (const chunks of [1, 3, 10]) expect(Math.abs(sdOf(values, chunks) - exact) / exact).toBeLessThan(4e-16);
  });

  it('agrees with the two-pass formula on ordinary data', () => {
    const values = Array.from({ length: 5000 }, (_, i) => 200 + 60 * Math.sin(i * 1.7) + (i % 13));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const twoPass = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(Math.abs(sdOf(values, 4) - twoPass) / twoPass).toBeLessThan(1e-14);
  });
});
