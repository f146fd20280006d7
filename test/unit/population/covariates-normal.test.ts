import { describe, expect, it } from 'vitest';
import {
  normalCdf,
  normalQuantile,
  normalSf,
  truncatedStandardNormal,
  truncateStandardNormal,
} from '../../../src/stats/normal.js';

// Reference values computed with mpmath at 60 significant digits (ncdf; quantiles by bisection on
// ncdf at the exact double value of p).
const CDF: readonly (readonly [number, number])[] = [
  [-38, 2.88542835e-316],
  [-37.5, 4.605353009581955e-308],
  [-30, 4.906713927148187e-198],
  [-20, 2.7536241186062337e-89],
  [-10, 7.619853024160525e-24],
  [-8, 6.220960574271784e-16],
  [-6, 9.86587645037698e-10],
  [-5.656854, 7.708640151118107e-09],
  [-5, 2.866515718791939e-07],
  [-3, 0.0013498980316300946],
  [-2, 0.02275013194817921],
  [-1.96, 0.024997895148220435],
  [-1, 0.15865525393145705],
  [-0.66291, 0.25369409838973994],
  [-0.5, 0.3085375387259869],
  [-0.1, 0.460172162722971],
  [0, 0.5],
  [1e-10, 0.5000000000398942],
  [0.3, 0.6179114221889527],
  [0.66291, 0.7463059016102601],
  [0.7, 0.758036347776927],
  [1, 0.8413447460685429],
  [1.5, 0.9331927987311419],
  [2.5, 0.9937903346742238],
  [3, 0.9986501019683699],
  [5.7, 0.9999999940096286],
  [8, 0.9999999999999993],
];

const QUANTILE: readonly (readonly [number, number])[] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.273453560965326],
  [1e-20, -9.262340089798407],
  [1e-10, -6.361340902404057],
  [1e-5, -4.264890793922825],
  [0.001, -3.0902323061678136],
  [0.02425, -1.972961051311885],
  [0.025, -1.9599639845400543],
  [0.075, -1.439531470938456],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080408],
  [0.5, 0],
  [0.6, 0.2533471031357997],
  [0.925, 1.4395314709384561],
  [0.95, 1.6448536269514722],
  [0.975, 1.9599639845400538],
  [0.999, 3.090232306167813],
  [0.9999999, 5.199337582290661],
];

describe('normalCdf (Cody)', () => {
  it.each(CDF)('Φ(%d) matches the 20-digit reference to ~1e-14 relative', (x, p) => {
    const got = normalCdf(x);
    if (x < 0) expect(Math.abs(got - p) / p).toBeLessThan(2e-14);
    else expect(Math.abs(got - p)).toBeLessThan(2e-16);
  });

  it('upper tail Q(x) = Φ(−x) keeps relative precision where 1 − Φ(x) cancels', () => {
    expect(Math.abs(normalSf(10) - 7.619853024160525e-24) / 7.619853024160525e-24).toBeLessThan(2e-14);
    expect(Math.abs(normalSf(30) - 4.906713927148187e-198) / 4.906713927148187e-198).toBeLessThan(2e-14);
  });

  it('limits, symmetry and NaN', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-40)).toBe(0);
    expect(Number.isNaN(normalCdf(NaN))).toBe(true);
    for (const x of [0.2, 0.9, 2.2, 4.4, 6.1]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });

  it('is monotone across the interval boundaries 0.66291 and √32', () => {
    for (const b of [0.66291, Math.sqrt(32)]) {
      let prev = normalCdf(-b - 1e-6);
      for (let k = -50; k <= 50; k++) {
        const v = normalCdf(-b + k * 2e-8);
        expect(v).toBeGreaterThanOrEqual(prev);
        prev = v;
      }
    }
  });
});

describe('normalQuantile (Wichura AS 241)', () => {
  it.each(QUANTILE)('Φ⁻¹(%d) matches the 20-digit reference', (p, x) => {
    const got = normalQuantile(p);
    if (x === 0) expect(Math.abs(got)).toBeLessThan(1e-16);
    else expect(Math.abs(got - x) / Math.abs(x)).toBeLessThan(1e-14);
  });

  it('edges: 0 → −∞, 1 → +∞, outside [0, 1] → NaN', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(Number.isNaN(normalQuantile(-0.1))).toBe(true);
    expect(Number.isNaN(normalQuantile(1.1))).toBe(true);
    expect(Number.isNaN(normalQuantile(NaN))).toBe(true);
  });

  it('inverts normalCdf from −37 to 5', () => {
    for (let x = -37; x <= 5; x += 0.173) {
      const back = normalQuantile(normalCdf(x));
      // above 3, Φ(x) is within 1e-3 of 1 and p carries fewer significant bits of the tail
      const tol = x < 3 ? 1e-12 * Math.max(1, Math.abs(x)) : 1e-8;
      expect(Math.abs(back - x)).toBeLessThan(tol);
    }
  });
});

describe('truncated standard normal', () => {
  it('stays inside [α, β] and is monotone in z, in both tails and across zero', () => {
    for (const [a, b] of [
      [-1, 2],
      [3, 4],
      [8, 9],
      [-12, -10],
      [0.5, Infinity],
      [-Infinity, -6],
    ] as const) {
      const tr = truncatedStandardNormal(a, b);
      expect(tr.mass).toBeGreaterThan(0);
      let prev = -Infinity;
      for (let z = -9; z <= 9; z += 0.05) {
        const x = truncateStandardNormal(tr, z);
        expect(x).toBeGreaterThanOrEqual(a);
        expect(x).toBeLessThanOrEqual(b);
        expect(x).toBeGreaterThanOrEqual(prev - 1e-12); // monotone up to rounding
        prev = x;
      }
      // the median of the truncated law sits where Φ is halfway between Φ(α) and Φ(β)
      const med = truncateStandardNormal(tr, 0);
      const mid = (normalSf(-a) + normalSf(-b)) / 2; // Φ(α), Φ(β) via the tail-safe form
      if (a < 0) expect(normalCdf(med)).toBeCloseTo(mid, 12);
      else expect(normalSf(med) / ((normalSf(a) + normalSf(b)) / 2)).toBeCloseTo(1, 10);
    }
  });

  it('without bounds is the identity up to rounding', () => {
    const tr = truncatedStandardNormal(-Infinity, Infinity);
    for (const z of [-5, -1.3, 0, 0.4, 2.7]) expect(truncateStandardNormal(tr, z)).toBeCloseTo(z, 12);
  });
});
