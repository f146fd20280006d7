// Practical dose rounding: increments and strength combinations, nearest with ties up, bounds.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRounding, formatUnits, roundDose, strengthCombinations } from '../../../src/design/nomogram/rounding.js';

describe('roundDose: increments', () => {
  const r = { kind: 'increment', step: 250 } as const;
  it('nearest multiple, ties up', () => {
    expect(roundDose(1130, r).dose).toBe(1250);
    expect(roundDose(1120, r).dose).toBe(1000);
    expect(roundDose(1125, r).dose).toBe(1250); // tie → up
    expect(roundDose(875, r).dose).toBe(1000); // tie → up
    expect(roundDose(1000, r).dose).toBe(1000);
  });
  it('ties survive floating-point noise', () => {
    expect(roundDose(0.3 / 0.1 * 0.5, { kind: 'increment', step: 1 }).dose).toBe(2); // 1.4999999999999998 → tie → 2
    expect(roundDose(0.15 + 0.15 + 0.15 + 0.15 + 0.15, { kind: 'increment', step: 0.25 }).dose).toBe(0.75);
  });
  it('no floating-point noise in k·step', () => {
    expect(roundDose(0.7, { kind: 'increment', step: 0.1 }).dose).toBe(0.7);
    expect(roundDose(0.3, { kind: 'increment', step: 0.1 }).dose).toBe(0.3);
    expect(roundDose(0.31, { kind: 'strengths', strengths: [0.1], maxUnits: 5 }).dose).toBe(0.3);
  });
  it('down / up', () => {
    expect(roundDose(1240, { ...r, direction: 'down' }).dose).toBe(1000);
    expect(roundDose(1010, { ...r, direction: 'up' }).dose).toBe(1250);
    expect(roundDose(1000, { ...r, direction: 'up' }).dose).toBe(1000);
  });
  it('bounds: min and max clamp, and say so', () => {
    const b = { ...r, min: 500, max: 2000 };
    expect(roundDose(300, b)).toEqual({ dose: 500, computed: 300, clamped: 'min', clampedBy: 'computed' });
    expect(roundDose(2600, b)).toEqual({ dose: 2000, computed: 2600, clamped: 'max', clampedBy: 'computed' });
    expect(roundDose(1130, b)).toEqual({ dose: 1250, computed: 1130 });
    // never 0: the smallest multiple is one step
    expect(roundDose(50, r)).toEqual({ dose: 250, computed: 50, clamped: 'min', clampedBy: 'computed' });
    // a min that is not a multiple: the smallest allowed multiple above it
    expect(roundDose(100, { ...r, min: 600 }).dose).toBe(750);
  });
  it('errors for impossible rules', () => {
    expect(() => roundDose(100, { kind: 'increment', step: 0 })).toThrow(/increment must be a number > 0/);
    expect(() => roundDose(100, { kind: 'increment', step: 250, min: 600, max: 700 })).toThrow(/no multiple of 250/);
    expect(() => roundDose(100, { kind: 'increment', step: 250, min: 800, max: 700 })).toThrow(/min 800 > max 700/);
    expect(() => roundDose(-1, r)).toThrow(/≥ 0/);
    expect(() => roundDose(NaN, r)).toThrow(/finite/);
  });
  it('property: the result is a multiple within bounds, and no other multiple is nearer (ties up)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.constantFrom(1, 5, 12.5, 250), (x, step) => {
        const d = roundDose(x, { kind: 'increment', step }).dose;
        const k = d / step;
        expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
        expect(d).toBeGreaterThanOrEqual(step);
        const err = Math.abs(d - x);
        for (const o of [d - step, d + step]) if (o >= step) expect(Math.abs(o - x)).toBeGreaterThanOrEqual(err - 1e-9 * Math.max(1, x));
      }),
    );
  });
});

describe('roundDose: strength combinations', () => {
  const vials = { kind: 'strengths', strengths: [500, 1000], maxUnits: 3 } as const;
  it('achievable doses are the sums of up to maxUnits units', () => {
    expect(strengthCombinations(vials).map((c) => c.dose)).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    expect(strengthCombinations({ kind: 'strengths', strengths: [100, 250], maxUnits: 2 }).map((c) => c.dose)).toEqual([100, 200, 250, 350, 500]);
  });
  it('nearest sum, ties up, fewest units then larger strengths', () => {
    expect(roundDose(1130, vials)).toEqual({ dose: 1000, computed: 1130, units: [{ strength: 1000, count: 1 }] });
    expect(roundDose(1250, vials).dose).toBe(1500); // tie between 1000 and 1500 → up
    const r = roundDose(1400, vials);
    expect(r.dose).toBe(1500);
    expect(formatUnits(r.units)).toBe('1 × 1000 + 1 × 500');
    expect(roundDose(2000, vials).units).toEqual([{ strength: 1000, count: 2 }]); // not 4 × 500 (also over maxUnits)
  });
  it('beyond every combination: the largest, flagged', () => {
    expect(roundDose(5000, vials)).toMatchObject({ dose: 3000, clamped: 'max' });
    expect(roundDose(100, vials)).toMatchObject({ dose: 500, clamped: 'min' });
  });
  it('bounds filter the combinations', () => {
    expect(roundDose(700, { ...vials, min: 1000 }).dose).toBe(1000);
    expect(roundDose(2900, { ...vials, max: 2000 })).toMatchObject({ dose: 2000, clamped: 'max' });
    expect(() => roundDose(700, { ...vials, min: 3100, max: 3200 })).toThrow(/no combination/);
  });
  it('tablets of 2.5 and 5 mg', () => {
    const t = { kind: 'strengths', strengths: [5, 2.5], maxUnits: 2 } as const;
    expect(roundDose(6.2, t).dose).toBe(5);
    expect(roundDose(6.4, t)).toMatchObject({ dose: 7.5, units: [{ strength: 5, count: 1 }, { strength: 2.5, count: 1 }] });
    expect(roundDose(6.25, t).dose).toBe(7.5); // tie 5 / 7.5 → up
  });
  it('errors', () => {
    expect(() => roundDose(1, { kind: 'strengths', strengths: [] })).toThrow(/at least one strength/);
    expect(() => roundDose(1, { kind: 'strengths', strengths: [-5] })).toThrow(/> 0/);
    expect(() => roundDose(1, { kind: 'strengths', strengths: [1], maxUnits: 0 })).toThrow(/maxUnits/);
  });
});

describe('exact rule and descriptions', () => {
  it('exact: only clamped', () => {
    expect(roundDose(1234.5, { kind: 'exact' })).toEqual({ dose: 1234.5, computed: 1234.5 });
    expect(roundDose(1234.5, { kind: 'exact', max: 1000 })).toEqual({ dose: 1000, computed: 1234.5, clamped: 'max', clampedBy: 'computed' });
  });
  it('describes the rule', () => {
    expect(describeRounding({ kind: 'increment', step: 250, min: 500, max: 3000 })).toBe('multiples of 250 in [500, 3000], nearest (ties up)');
    expect(describeRounding({ kind: 'strengths', strengths: [500, 1000], maxUnits: 3 })).toBe('sums of 500 + 1000 (≤ 3 units), nearest (ties up)');
    expect(describeRounding({ kind: 'exact' })).toBe('not rounded');
  });
});
