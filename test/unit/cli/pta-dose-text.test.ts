// The pta table's dose and per-24-h columns. A continuous infusion's daily amount is rate × 24 h,
// which does not round-trip (11500 mg at 350 mg/h: 8400.000000000002): zeros stripped off the
// text of toPrecision(4) printed it "84", and 2000.0000000000002 as "2", with exit 0.

import { describe, expect, it } from 'vitest';
import { fmtDose } from '../../../src/cli/pta.js';

describe('pta dose text', () => {
  it('keeps the zeros of the integer part (8400.000000000002 printed "84")', () => {
    expect(fmtDose((11500 / (11500 / 350)) * 24)).toBe('8400');
    expect(fmtDose(2000.0000000000002)).toBe('2000');
    expect(fmtDose((6500 / (6500 / 350)) * 24)).toBe('8400');
  });

  it('prints four significant digits without trailing zeros', () => {
    expect(fmtDose(11500 / 350)).toBe('32.86');
    expect(fmtDose(2.5)).toBe('2.5');
    expect(fmtDose(0.1 + 0.2)).toBe('0.3');
    expect(fmtDose(1000)).toBe('1000');
    expect(fmtDose(123456.7)).toBe('123500');
  });
});
