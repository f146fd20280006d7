// PTA printed to one decimal read "100.0 ± 0.0" for 1,999 of 2,000 subjects, beside a best regimen
// "at 100.0 %": a fraction short of 1 (or above 0) gets the decimals that show it is.

import { describe, expect, it } from 'vitest';
import { pct } from '../../../src/cli/pta.js';

describe('PTA percentages', () => {
  it('never print 100.0 below 1 nor 0.0 above 0', () => {
    expect(pct(1999 / 2000)).toBe('99.95');
    expect(pct(Math.sqrt((0.9995 * 0.0005) / 2000))).toBe('0.05');
    expect(pct(1)).toBe('100.0');
    expect(pct(0)).toBe('0.0');
    expect(pct(0.5)).toBe('50.0');
    expect(pct(0.12345)).toBe('12.3');
    expect(pct(NaN)).toBe('-');
    // a Wilson bound 0.99996 (100,000 draws all attaining) read "100.00": the widening stopped at '100.00' ≠ '100.0'
    expect(pct(0.99996)).toBe('99.996');
    expect(pct(0.999996)).toBe('99.9996');
    expect(pct(0.00004)).toBe('0.004');
  });
});
