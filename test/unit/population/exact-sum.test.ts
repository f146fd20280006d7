// ExactSum: the correctly rounded sum, whatever the order or partition of the values.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../../src/population/summary/exact-sum.js';

/** Reference: exact rational sum via BigInt scaled by 2^1100, rounded by Number(). */
function reference(xs: number[]): number {
  let acc = 0n;
  for (const x of xs) {
    if (x === 0) continue;
    const f = new Float64Array([x]);
    const u = new BigUint64Array(f.buffer)[0] as bigint;
    const e = Number((u >> 52n) & 0x7ffn);
    let m = u & ((1n << 52n) - 1n);
    if (e !== 0) m |= 1n << 52n;
    const shift = BigInt((e === 0 ? 1 : e) - 1075 + 1100);
    const v = m << shift;
    acc += u >> 63n ? -v : v;
  }
  // divide by 2^1100 with correct rounding: go through a string of sufficient precision
  const neg = acc < 0n;
  const a = neg ? -acc : acc;
  const bits = a.toString(2).length;
  const keep = 64;
  const drop = Math.max(0, bits - keep);
  const top = a >> BigInt(drop);
  const sticky = drop > 0 && (a & ((1n << BigInt(drop)) - 1n)) !== 0n ? 1n : 0n;
  const r = Number(top | sticky) * 2 ** (drop - 1100);
  return neg ? -r : r;
}

describe('ExactSum', () => {
  it('equals the correctly rounded exact sum, for any partition and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((x) => x === 0 || Math.abs(x) > 1e-200), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (xs, cut) => {
          const want = reference(xs);
          const whole = new ExactSum();
          whole.addAll(xs);
          const k = cut % xs.length;
          const a = new ExactSum();
          a.addAll(xs.slice(k).reverse());
          const b = new ExactSum();
          b.addAll(xs.slice(0, k));
          a.merge(b);
          expect(whole.value()).toBe(want);
          expect(a.value()).toBe(want);
          expect(ExactSum.fromJSON(whole.toJSON()).value()).toBe(want);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('is exact where naive summation is not', () => {
    const s = new ExactSum();
    s.addAll([1e16, 1, -1e16, 1, 1e-30]);
    expect(s.value()).toBe(2);
  });
});
