// Exactly rounded floating-point sums that merge in any order to the same result, so a mean is
// bit-identical whether a population ran in one chunk, many chunks, many workers or many shards.
//
// Method: a binned "superaccumulator" (cf. Collange, Defour, Graillat & Iakymchuk 2015): a double
// is M·2^(e−1075) with an integer mantissa M < 2^53; M is split into 21 high and 32 low bits and each
// part is added to an integer-valued double bin per exponent e, which stays exact for 2^20 additions.
// Before that, the bins are flushed into Shewchuk's non-overlapping partials (Shewchuk 1997,
// Discrete Comput Geom 18:305; the algorithm of Python's math.fsum), which also give the final
// correctly rounded value. Adding is a few integer operations per value.

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
const FLUSH_EVERY = 1 << 20;
const TWO32 = 4294967296;
const EMPTY = new Float64Array(0);

/** Shewchuk partials: exact sum of every double added. */
class Partials {
  p: number[] = [];
  add(x: number): void {
    let xi = x;
    let i = 0;
    const p = this.p;
    for (let j = 0; j < p.length; j++) {
      let y = p[j] as number;
      if (Math.abs(xi) < Math.abs(y)) [xi, y] = [y, xi];
      const hi = xi + y;
      const lo = y - (hi - xi);
      if (lo !== 0) p[i++] = lo;
      xi = hi;
    }
    p.length = i;
    p.push(xi);
  }
  /** The exact sum rounded once (half-even correction as in math.fsum). */
  value(): number {
    const p = this.p;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n] as number;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n] as number;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && (p[n - 1] as number) < 0) || (lo > 0 && (p[n - 1] as number) > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

export class ExactSum {
  // the bins (32 KB) exist only once a value is added: sums rebuilt from partials (a worker's
  // chunk summary, a shard) are merged and read, never added to, and there are many of them
  #hi = EMPTY;
  #lo = EMPTY;
  readonly #partials = new Partials();
  #pending = 0;

  add(x: number): void {
    if (this.#hi === EMPTY) {
      this.#hi = new Float64Array(2048);
      this.#lo = new Float64Array(2048);
    }
    F[0] = x;
    const w1 = U[1] as number;
    const e = (w1 >>> 20) & 0x7ff;
    if (e === 0x7ff) throw new RangeError(`ExactSum: non-finite value ${x}`);
    const sign = w1 >>> 31 ? -1 : 1;
    const mh = (w1 & 0xfffff) | (e === 0 ? 0 : 0x100000);
    const bin = e === 0 ? 1 : e;
    this.#hi[bin] = (this.#hi[bin] as number) + sign * mh;
    this.#lo[bin] = (this.#lo[bin] as number) + sign * (U[0] as number);
    if (++this.#pending >= FLUSH_EVERY) this.#flush();
  }

  addAll(values: ArrayLike<number>): void {
    for (let k = 0; k < values.length; k++) this.add(values[k] as number);
  }

  #flush(): void {
    if (this.#pending === 0) return;
    for (let e = 1; e < 2048; e++) {
      const h = this.#hi[e] as number;
      const l = this.#lo[e] as number;
      // bins hold integers < 2^53: scaling by a power of two is exact
      if (h !== 0) this.#partials.add(h * 2 ** (e - 1075) * TWO32);
      if (l !== 0) this.#partials.add(l * 2 ** (e - 1075));
    }
    this.#hi.fill(0);
    this.#lo.fill(0);
    this.#pending = 0;
  }

  merge(other: ExactSum): void {
    other.#flush();
    this.#flush();
    for (const x of other.#partials.p) this.#partials.add(x);
  }

  value(): number {
    this.#flush();
    return this.#partials.value();
  }

  toJSON(): number[] {
    this.#flush();
    return [...this.#partials.p];
  }

  static fromJSON(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const x of partials) s.#partials.add(x);
    return s;
  }
}
