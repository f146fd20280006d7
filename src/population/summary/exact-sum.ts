// Exact floating-point sums that merge in any order to the same result, so a mean or SD is
// bit-identical whether a population ran in one chunk, many chunks, many workers or many shards.
//
// Method: a binned "superaccumulator" (cf. Collange, Defour, Graillat & Iakymchuk 2015): a double
// is M·2^(e−1075) with an integer mantissa M < 2^53; M is split into 21 high and 32 low bits and each
// part is added to an integer-valued double bin per exponent e, which stays exact for 2^20 additions.
// Before that, and whenever the sum is read, merged or written, the bins are flushed into one
// integer (BigInt) in units of 2^UNIT, so the sum is exact for values of any magnitude and count:
// the squares of doubles from 5e-324 to 1.8e308 (2^-2148 to 2^2048) too, added as y²·2^(2t) by
// `addScaled` (sums of doubles rounded to doubles underflowed below 1e-154 and overflowed above
// 1.3e154: an SD of 0 for values near 1e-162, a crash for values near 1e160). Reading rounds once.

import { DosewiseError } from '../../errors.js';

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
const FLUSH_EVERY = 1 << 20;

// Bins are indexed by e + shift (e the biased exponent of the double added, shift its scale):
// from the rounding error of y² for y in [1, 2) (≥ 2^-104, biased exponent ≥ 919) scaled by the
// smallest subnormal squared (2^(2·−1074)), to y² < 4 (biased 1024) scaled by 2^(2·1023).
const MIN_ES = -1232;
const MAX_ES = 3072;
const NBINS = MAX_ES - MIN_ES + 1;
/** The unit of the integer accumulator: its value is acc·2^UNIT. */
const UNIT = MIN_ES - 1075;

/** JSON form of an exact sum: the value m·2^e, m a signed hexadecimal integer (odd, or "0" with e = 0). */
export interface ExactSumJSON {
  readonly m: string;
  readonly e: number;
}

/** Number of bits of a positive BigInt. */
export function bitLength(a: bigint): number {
  const h = a.toString(16);
  return 4 * (h.length - 1) + (32 - Math.clz32(parseInt(h[0] as string, 16)));
}

/** x·2^k for a result that is representable (exact in steps that stay within the double range). */
function scale2(x: number, k: number): number {
  let y = x;
  let j = k;
  while (j > 1000) { y *= 2 ** 1000; j -= 1000; }
  while (j < -1000) { y *= 2 ** -1000; j += 1000; }
  return y * 2 ** j;
}

/** m·2^e rounded once to the nearest double (ties to even; subnormals and ±Infinity as IEEE 754 rounds). */
export function roundScaled(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  const a = neg ? -m : m;
  const bl = bitLength(a);
  const top = bl - 1 + e; // exponent of the leading bit
  if (top > 1023) return neg ? -Infinity : Infinity;
  // significant bits a double holds at this magnitude (fewer below 2^-1022)
  const keep = top >= -1022 ? 53 : top + 1075;
  let drop = bl - keep;
  let q = a;
  if (drop > 0) {
    const d = BigInt(drop);
    q = a >> d;
    const rem = a - (q << d);
    const half = 1n << (d - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  } else drop = 0;
  const r = scale2(Number(q), e + drop);
  return neg ? -r : r;
}

/** m·2^e / d rounded once to the nearest double (d > 0). */
export function divideRounded(m: bigint, e: number, d: bigint): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  const a = neg ? -m : m;
  // a quotient of ≥ 65 bits, plus a sticky bit when inexact, rounds as the exact quotient does
  const s = 66 - (bitLength(a) - bitLength(d));
  const num = s >= 0 ? a << BigInt(s) : a;
  const den = s >= 0 ? d : d << BigInt(-s);
  let q = num / den;
  let ex = e - s;
  if (num % den !== 0n) {
    q = (q << 1n) | 1n;
    ex -= 1;
  }
  const r = roundScaled(q, ex);
  return neg ? -r : r;
}

/** ⌊√n⌋ (Newton from above). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** √(m·2^e / d) rounded once to the nearest double (m ≥ 0, d > 0). */
export function sqrtDivideRounded(m: bigint, e: number, d: bigint): number {
  if (m <= 0n) return 0;
  // a radicand of ≥ 113 bits (a root of ≥ 57), with an even power of two
  let s = 114 - (bitLength(m) - bitLength(d));
  if (((e - s) & 1) !== 0) s += 1;
  const num = s >= 0 ? m << BigInt(s) : m;
  const den = s >= 0 ? d : d << BigInt(-s);
  const t = num / den;
  let r = isqrt(t);
  let ex = (e - s) / 2;
  // ⌊√⌊A⌋⌋ = ⌊√A⌋; a sticky bit when the root is not exact
  if (num % den !== 0n || r * r !== t) {
    r = (r << 1n) | 1n;
    ex -= 1;
  }
  return roundScaled(r, ex);
}

export class ExactSum {
  // the bins exist only once a value is added (sums rebuilt from JSON, a worker's chunk summary or a
  // shard, are merged and read, never added to, and there are many of them), and only for the
  // exponents seen: bin i is k = #base + i, grown when a value falls outside
  #hi: Float64Array | null = null;
  #lo: Float64Array | null = null;
  #base = 0;
  #kmin = NBINS;
  #kmax = -1;
  #acc = 0n;
  #pending = 0;

  add(x: number): void {
    this.addScaled(x, 0);
  }

  /** Adds x·2^shift exactly (shift an integer; x·2^shift between 2^-2300 and 2^2047 in magnitude, or 0). */
  addScaled(x: number, shift: number): void {
    F[0] = x;
    const w1 = U[1] as number;
    const e = (w1 >>> 20) & 0x7ff;
    if (e === 0x7ff) throw new RangeError(`ExactSum: non-finite value ${x}`);
    if (x === 0) return;
    const k = (e === 0 ? 1 : e) + shift - MIN_ES;
    if (!(k >= 0 && k < NBINS)) throw new RangeError(`ExactSum: ${x}·2^${shift} is outside the range of the bins`);
    let hi = this.#hi;
    let lo = this.#lo;
    let i = k - this.#base;
    if (hi === null || lo === null || i < 0 || i >= hi.length) {
      [hi, lo] = this.#grow(k);
      i = k - this.#base;
    }
    const sign = w1 >>> 31 ? -1 : 1;
    const mh = (w1 & 0xfffff) | (e === 0 ? 0 : 0x100000);
    hi[i] = (hi[i] as number) + sign * mh;
    lo[i] = (lo[i] as number) + sign * (U[0] as number);
    if (k < this.#kmin) this.#kmin = k;
    if (k > this.#kmax) this.#kmax = k;
    if (++this.#pending >= FLUSH_EVERY) this.#flush();
  }

  addAll(values: ArrayLike<number>): void {
    for (let k = 0; k < values.length; k++) this.add(values[k] as number);
  }

  /** Bins that hold bin k and those in use. */
  #grow(k: number): [Float64Array, Float64Array] {
    const from = Math.max(0, Math.min(k, this.#kmin) - 32);
    const to = Math.min(NBINS, Math.max(k, this.#kmax) + 33);
    const hi = new Float64Array(Math.max(to - from, this.#hi === null ? 0 : Math.min(NBINS, 2 * this.#hi.length)));
    const lo = new Float64Array(hi.length);
    const base = Math.min(from, NBINS - hi.length);
    if (this.#hi !== null && this.#lo !== null && this.#kmax >= this.#kmin) {
      hi.set(this.#hi.subarray(this.#kmin - this.#base, this.#kmax - this.#base + 1), this.#kmin - base);
      lo.set(this.#lo.subarray(this.#kmin - this.#base, this.#kmax - this.#base + 1), this.#kmin - base);
    }
    this.#hi = hi;
    this.#lo = lo;
    this.#base = base;
    return [hi, lo];
  }

  #flush(): void {
    const hi = this.#hi;
    const lo = this.#lo;
    if (this.#pending === 0 || hi === null || lo === null) return;
    let acc = this.#acc;
    const base = this.#base;
    for (let k = this.#kmin; k <= this.#kmax; k++) {
      const h = hi[k - base] as number;
      const l = lo[k - base] as number;
      // integers below 2^53: BigInt(h), BigInt(l) are exact; bin k's unit is 2^(k + UNIT)
      if (h !== 0 || l !== 0) acc += ((BigInt(h) << 32n) + BigInt(l)) << BigInt(k);
    }
    this.#acc = acc;
    hi.fill(0, this.#kmin - base, this.#kmax - base + 1);
    lo.fill(0, this.#kmin - base, this.#kmax - base + 1);
    this.#kmin = NBINS;
    this.#kmax = -1;
    this.#pending = 0;
  }

  merge(other: ExactSum): void {
    other.#flush();
    this.#flush();
    this.#acc += other.#acc;
  }

  /** The exact sum as m·2^e (m = 0 with e = 0, or m odd). */
  exact(): { m: bigint; e: number } {
    this.#flush();
    const a = this.#acc;
    if (a === 0n) return { m: 0n, e: 0 };
    const tz = bitLength(a & -a) - 1;
    return { m: a >> BigInt(tz), e: UNIT + tz };
  }

  /** The exact sum rounded once to the nearest double (±Infinity beyond ±1.8e308). */
  value(): number {
    this.#flush();
    return roundScaled(this.#acc, UNIT);
  }

  toJSON(): ExactSumJSON {
    const { m, e } = this.exact();
    return { m: m.toString(16), e };
  }

  /** From toJSON()'s form; anything else is refused, named by `path`. */
  static fromJSON(j: unknown, path = 'sum'): ExactSum {
    const bad = (why: string, value: unknown = j): DosewiseError =>
      new DosewiseError('E_PARAMETER', `${path}: ${why}`, { path, value });
    if (Array.isArray(j)) {
      // the form before 2026-12-05: doubles whose exact sum is the value (a worker or shard of that build)
      const s = new ExactSum();
      j.forEach((x: unknown, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x)) throw new DosewiseError('E_PARAMETER', `${path}.${i}: expected a finite number`, { path: `${path}.${i}`, value: x });
        s.add(x);
      });
      return s;
    }
    if (typeof j !== 'object' || j === null) throw bad('expected an exact sum { m, e } (m·2^e, m a hexadecimal integer)');
    const { m, e } = j as { m?: unknown; e?: unknown };
    // at most the width of the accumulator (the squares of 10^9 values of 1.8e308 need ≈ 4,400 bits)
    if (typeof m !== 'string' || !/^-?(0|[0-9a-f]{1,1500})$/.test(m)) throw bad('m: expected a hexadecimal integer (digits 0-9a-f, an optional leading minus)', m);
    if (typeof e !== 'number' || !Number.isInteger(e) || e < UNIT || e > 6000) throw bad(`e: expected an integer from ${UNIT} to 6000`, e);
    const neg = m.startsWith('-');
    const mag = BigInt(`0x${neg ? m.slice(1) : m}`);
    const s = new ExactSum();
    s.#acc = (neg ? -mag : mag) << BigInt(e - UNIT);
    return s;
  }
}
