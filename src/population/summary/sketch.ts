// DDSketch: a mergeable quantile sketch with relative-error guarantee
// (Masson, Rim & Lee, "DDSketch: A fast and fully-mergeable quantile sketch with relative-error
// guarantees", PVLDB 12(12), 2019).
//
// With relative accuracy α and γ = (1+α)/(1−α), a value x > 0 goes to bucket i = ⌈log_γ x⌉, which
// covers (γ^(i−1), γ^i]; the bucket's representative 2γ^i/(γ+1) is within α·x of every x in it.
// quantile(q) returns the representative of the bucket holding the value of rank ⌊q·(n−1)⌋
// (0-based, lower empirical quantile, no interpolation), clamped to the exact [min, max], so
//     |quantile(q) − x_(⌊q(n−1)⌋)| ≤ α·|x_(⌊q(n−1)⌋)|
// (plus ~1e−13 relative floating-point slack at bucket edges; for normal doubles) unless the value
// lies in a collapsed bucket (see below).
// • The values equal to the exact min and max are counted (minCount, maxCount), and a rank among
//   them returns that exact value: where 4,581 of 5,000 subjects were above the MIC for exactly 24 h,
//   the bucket representative 23.927 was printed as p50 and p95 ("nobody above it all day"), within
//   α but below the value most subjects share. Merging adds the counts where the extremes are equal
//   and keeps the more extreme one's count, so it stays exact and order-independent.
//
// • Zeros (±0) are counted exactly in a zero bucket; negative values go to a mirror store keyed by
//   −⌈log_γ |x|⌉, so both stores list values in increasing order. Non-finite values are ignored.
// • Counts are integers; merge = add bucket counts. Merging is exact and order-independent: the
//   sketch of any partition of the data, merged in any order, is identical (toJSON deep-equal) to the
//   sketch of the whole. Bucket indices use Math.log, which is deterministic for a given JS engine.
// • Memory is bounded: each store keeps at most `maxBuckets` (default 4096) consecutive buckets.
//   This is the paper's collapsing variant ("collapse lowest"): when the key range would exceed the
//   cap, the lowest buckets — the smallest values (for the negative store, the most negative) — are
//   folded into the lowest kept bucket. The kept window is anchored at the highest key ever seen,
//   which keeps collapsing exact under merge. Quantiles whose value falls in the folded bucket lose
//   the α guarantee (`collapsed` reports whether any folding happened); quantiles above it keep it.
//   With α = 0.005 the 4096 buckets span a factor γ^4096 ≈ 6·10^17 per sign, far wider than any
//   exposure metric, so collapsing only happens for pathological ranges.

import { DosewiseError } from '../../errors.js';

export const DEFAULT_ALPHA = 0.005;
export const DEFAULT_MAX_BUCKETS = 4096;

export interface SketchOptions {
  /** Relative accuracy α, 0 < α < 1 (default 0.005). */
  readonly alpha?: number;
  /** Maximum number of buckets per sign store, integer ≥ 1 (default 4096). */
  readonly maxBuckets?: number;
}

export interface StoreJSON {
  /** Key of counts[0]. */
  offset: number;
  /** Bucket counts for keys offset, offset+1, …; first and last entries non-zero (or empty). */
  counts: number[];
  /** True when values below the kept key window were folded into its lowest bucket. */
  collapsed: boolean;
}

export interface DDSketchJSON {
  alpha: number;
  maxBuckets: number;
  count: number;
  zeroCount: number;
  /** Exact extremes; null when empty. */
  min: number | null;
  max: number | null;
  /**
   * Number of values equal to min and to max (0 when empty). A sketch written before these counts
   * (without them) is read with 1 each: the extreme itself, all that is known.
   */
  minCount: number;
  maxCount: number;
  positive: StoreJSON;
  /** Keys are −⌈log_γ |x|⌉. */
  negative: StoreJSON;
}

function bad(path: string, value: unknown, why: string): DosewiseError {
  return new DosewiseError('E_PARAMETER', `${path}: ${why}`, { path, value });
}

/** Integer bucket counts over consecutive keys, collapsing the lowest keys beyond `cap`. */
class BucketStore {
  private buf = new Float64Array(0);
  /** Key of buf[0]. */
  private offset = 0;
  /** Lowest and highest non-zero key (valid when total > 0). */
  lo = 0;
  hi = -1;
  total = 0;
  collapsed = false;

  constructor(readonly cap: number) {}

  /** Number of buckets in the occupied key range [lo, hi] (≤ cap). */
  get span(): number {
    return this.total === 0 ? 0 : this.hi - this.lo + 1;
  }

  /** Length of the backing array (≤ 2·cap). */
  get capacity(): number {
    return this.buf.length;
  }

  countAt(key: number): number {
    const j = key - this.offset;
    return j >= 0 && j < this.buf.length ? (this.buf[j] as number) : 0;
  }

  /** Makes [lo, hi] addressable, keeping the counts of the current [this.lo, this.hi] that fall in it. */
  private reserve(lo: number, hi: number): void {
    const buf = this.buf;
    if (lo >= this.offset && hi < this.offset + buf.length) return;
    const span = hi - lo + 1;
    let len = buf.length;
    if (span > len) len = Math.min(2 * this.cap, Math.max(2 * span, 32));
    if (len < span) len = span;
    const offset = lo - Math.floor((len - span) / 2);
    const next = new Float64Array(len);
    if (this.total > 0) {
      const from = Math.max(this.lo, offset);
      const to = Math.min(this.hi, offset + len - 1);
      for (let k = from; k <= to; k++) next[k - offset] = buf[k - this.offset] as number;
    }
    this.buf = next;
    this.offset = offset;
  }

  /** Adds c > 0 to bucket `key`, collapsing so that hi − lo < cap. */
  add(key: number, c: number): void {
    if (this.total === 0) {
      this.reserve(key, key);
      this.lo = key;
      this.hi = key;
      this.buf[key - this.offset] = c;
      this.total = c;
      return;
    }
    const hi = key > this.hi ? key : this.hi;
    const floor = hi - this.cap + 1;
    let lo = this.lo;
    let folded = 0;
    if (lo < floor) {
      const end = Math.min(this.hi, floor - 1);
      for (let k = lo; k <= end; k++) {
        const j = k - this.offset;
        folded += this.buf[j] as number;
        this.buf[j] = 0;
      }
      lo = floor;
      this.collapsed = true;
    }
    let k = key;
    if (k < floor) {
      k = floor;
      this.collapsed = true;
    }
    if (k < lo) lo = k;
    this.reserve(lo, hi);
    this.lo = lo;
    this.hi = hi;
    if (folded > 0) this.buf[floor - this.offset] = (this.buf[floor - this.offset] as number) + folded;
    const j = k - this.offset;
    this.buf[j] = (this.buf[j] as number) + c;
    this.total += c;
  }

  /** Adds every bucket of `other` (highest first, so the window moves at most once). */
  mergeFrom(other: BucketStore): void {
    if (other.total === 0) return;
    for (let k = other.hi; k >= other.lo; k--) {
      const c = other.countAt(k);
      if (c > 0) this.add(k, c);
    }
    if (other.collapsed) this.collapsed = true;
  }

  /** Key of the bucket holding the value of 0-based rank `rank` (< total) in increasing key order. */
  findRank(rank: number): number {
    let cum = 0;
    for (let k = this.lo; k <= this.hi; k++) {
      cum += this.countAt(k);
      if (cum > rank) return k;
    }
    return this.hi;
  }

  toJSON(): StoreJSON {
    if (this.total === 0) return { offset: 0, counts: [], collapsed: false };
    const counts: number[] = new Array<number>(this.hi - this.lo + 1);
    for (let k = this.lo; k <= this.hi; k++) counts[k - this.lo] = this.countAt(k);
    return { offset: this.lo, counts, collapsed: this.collapsed };
  }

  static fromJSON(j: unknown, cap: number, path: string): BucketStore {
    if (typeof j !== 'object' || j === null) throw bad(path, j, 'expected an object');
    const o = j as Record<string, unknown>;
    const { offset, counts, collapsed } = o;
    if (typeof collapsed !== 'boolean') throw bad(`${path}.collapsed`, collapsed, 'expected a boolean');
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw bad(`${path}.offset`, offset, 'expected an integer');
    if (!Array.isArray(counts)) throw bad(`${path}.counts`, counts, 'expected an array');
    if (counts.length > cap) throw bad(`${path}.counts`, counts.length, `more than maxBuckets = ${cap} buckets`);
    const s = new BucketStore(cap);
    if (counts.length === 0) return s;
    let total = 0;
    counts.forEach((c: unknown, i) => {
      if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) throw bad(`${path}.counts[${i}]`, c, 'expected a non-negative integer');
      total += c;
    });
    if (counts[0] === 0 || counts[counts.length - 1] === 0) throw bad(`${path}.counts`, counts, 'first and last counts must be non-zero');
    s.reserve(offset, offset + counts.length - 1);
    for (let i = 0; i < counts.length; i++) s.buf[offset + i - s.offset] = counts[i] as number;
    s.lo = offset;
    s.hi = offset + counts.length - 1;
    s.total = total;
    s.collapsed = collapsed;
    return s;
  }
}

export class DDSketch {
  readonly alpha: number;
  readonly maxBuckets: number;
  readonly gamma: number;
  private readonly lnGamma: number;
  /** ln(2/(γ+1)): representative of key i is exp(i·lnγ + lnRep). */
  private readonly lnRep: number;
  private pos: BucketStore;
  private neg: BucketStore;
  private zeros = 0;
  private lowest = Infinity;
  private highest = -Infinity;
  private lowestCount = 0;
  private highestCount = 0;

  constructor(options: SketchOptions = {}) {
    const alpha = options.alpha ?? DEFAULT_ALPHA;
    const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) throw bad('alpha', alpha, 'relative accuracy must be in (0, 1)');
    if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1) throw bad('maxBuckets', maxBuckets, 'expected an integer ≥ 1');
    this.alpha = alpha;
    this.maxBuckets = maxBuckets;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.lnGamma = Math.log(this.gamma);
    this.lnRep = Math.log(2 / (this.gamma + 1));
    this.pos = new BucketStore(maxBuckets);
    this.neg = new BucketStore(maxBuckets);
  }

  /** Number of values counted (finite values only). */
  get count(): number {
    return this.pos.total + this.neg.total + this.zeros;
  }

  get zeroCount(): number {
    return this.zeros;
  }

  /** Exact minimum (NaN when empty). */
  get min(): number {
    return this.count === 0 ? NaN : this.lowest;
  }

  /** Exact maximum (NaN when empty). */
  get max(): number {
    return this.count === 0 ? NaN : this.highest;
  }

  /** Whether any bucket was collapsed (then the lowest quantiles lose the α guarantee). */
  get collapsed(): boolean {
    return this.pos.collapsed || this.neg.collapsed;
  }

  /** Occupied buckets per store: each ≤ maxBuckets. */
  bucketCounts(): { positive: number; negative: number } {
    return { positive: this.pos.span, negative: this.neg.span };
  }

  /** Length of the backing arrays per store: each ≤ 2·maxBuckets (so memory ≤ 2·2·8·maxBuckets bytes). */
  capacities(): { positive: number; negative: number } {
    return { positive: this.pos.capacity, negative: this.neg.capacity };
  }

  /** Bucket key ⌈log_γ x⌉ of x > 0. */
  key(x: number): number {
    return Math.ceil(Math.log(x) / this.lnGamma);
  }

  /** Representative value 2γ^i/(γ+1) of key i (positive store). */
  representative(i: number): number {
    return Math.exp(i * this.lnGamma + this.lnRep);
  }

  /** Adds one value; NaN and ±Infinity are ignored. */
  add(x: number): this {
    if (x - x !== 0) return this;
    if (x > 0) this.pos.add(this.key(x), 1);
    else if (x < 0) this.neg.add(-this.key(-x), 1);
    else {
      this.zeros++;
      x = 0; // −0 → +0
    }
    if (x < this.lowest) {
      this.lowest = x;
      this.lowestCount = 1;
    } else if (x === this.lowest) this.lowestCount++;
    if (x > this.highest) {
      this.highest = x;
      this.highestCount = 1;
    } else if (x === this.highest) this.highestCount++;
    return this;
  }

  /** Adds every value of a chunk (non-finite values ignored). */
  addAll(values: ArrayLike<number>): this {
    const len = values.length;
    for (let i = 0; i < len; i++) this.add(values[i] as number);
    return this;
  }

  private checkCompatible(other: DDSketch): void {
    if (other.alpha !== this.alpha || other.maxBuckets !== this.maxBuckets) {
      throw bad('sketch', { alpha: [this.alpha, other.alpha], maxBuckets: [this.maxBuckets, other.maxBuckets] },
        'cannot merge sketches with different alpha or maxBuckets');
    }
  }

  /** Adds `other`'s counts into this sketch (exact, order-independent). */
  mergeFrom(other: DDSketch): this {
    this.checkCompatible(other);
    this.pos.mergeFrom(other.pos);
    this.neg.mergeFrom(other.neg);
    this.zeros += other.zeros;
    if (other.lowest < this.lowest) {
      this.lowest = other.lowest;
      this.lowestCount = other.lowestCount;
    } else if (other.lowest === this.lowest) this.lowestCount += other.lowestCount;
    if (other.highest > this.highest) {
      this.highest = other.highest;
      this.highestCount = other.highestCount;
    } else if (other.highest === this.highest) this.highestCount += other.highestCount;
    return this;
  }

  clone(): DDSketch {
    return DDSketch.fromJSON(this.toJSON());
  }

  /**
   * Estimate of the value of rank ⌊q·(n−1)⌋ (0-based) in sorted order, within relative error α;
   * exact where that rank falls among the values equal to the min or the max (quantile(0) and
   * quantile(1) are the exact min and max). NaN when the sketch is empty.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw bad('q', q, 'quantile must be in [0, 1]');
    const n = this.count;
    if (n === 0) return NaN;
    if (q === 0) return this.lowest;
    if (q === 1) return this.highest;
    let rank = Math.floor(q * (n - 1));
    if (rank < this.lowestCount) return this.lowest;
    if (rank >= n - this.highestCount) return this.highest;
    let v: number;
    if (rank < this.neg.total) {
      v = -this.representative(-this.neg.findRank(rank));
    } else {
      rank -= this.neg.total;
      if (rank < this.zeros) v = 0;
      else v = this.representative(this.pos.findRank(rank - this.zeros));
    }
    return v < this.lowest ? this.lowest : v > this.highest ? this.highest : v;
  }

  /**
   * Whether quantile(q) lies in a store's lowest kept bucket after buckets were folded into it:
   * the values there span more than α (every value below that bucket's bound), so quantile(q) is
   * only a bound: every value at that rank is at most it.
   */
  quantileFolded(q: number): boolean {
    const n = this.count;
    if (!this.collapsed || n === 0 || q <= 0 || q >= 1) return false;
    let rank = Math.floor(q * (n - 1));
    // exact there (quantile() returns the extreme)
    if (rank < this.lowestCount || rank >= n - this.highestCount) return false;
    if (rank < this.neg.total) return this.neg.collapsed && this.neg.findRank(rank) === this.neg.lo;
    rank -= this.neg.total + this.zeros;
    return rank >= 0 && this.pos.collapsed && this.pos.findRank(rank) === this.pos.lo;
  }

  toJSON(): DDSketchJSON {
    const empty = this.count === 0;
    return {
      alpha: this.alpha,
      maxBuckets: this.maxBuckets,
      count: this.count,
      zeroCount: this.zeros,
      min: empty ? null : this.lowest,
      max: empty ? null : this.highest,
      minCount: this.lowestCount,
      maxCount: this.highestCount,
      positive: this.pos.toJSON(),
      negative: this.neg.toJSON(),
    };
  }

  static fromJSON(j: unknown, path = 'sketch'): DDSketch {
    if (typeof j !== 'object' || j === null) throw bad(path, j, 'expected an object');
    const o = j as Record<string, unknown>;
    const s = new DDSketch({ alpha: o.alpha as number, maxBuckets: o.maxBuckets as number });
    const pos = BucketStore.fromJSON(o.positive, s.maxBuckets, `${path}.positive`);
    const neg = BucketStore.fromJSON(o.negative, s.maxBuckets, `${path}.negative`);
    const zeros = o.zeroCount;
    if (typeof zeros !== 'number' || !Number.isSafeInteger(zeros) || zeros < 0) throw bad(`${path}.zeroCount`, zeros, 'expected a non-negative integer');
    const n = pos.total + neg.total + zeros;
    if (o.count !== n) throw bad(`${path}.count`, o.count, `does not equal the sum of bucket counts (${n})`);
    if (n === 0) {
      if (o.min !== null || o.max !== null) throw bad(path, j, 'min and max must be null when count = 0');
      for (const k of ['minCount', 'maxCount'] as const)
        if (o[k] !== undefined && o[k] !== 0) throw bad(`${path}.${k}`, o[k], 'must be 0 when count = 0');
    } else {
      const { min, max } = o;
      if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max) || !(min <= max)) {
        throw bad(path, { min, max }, 'min and max must be finite numbers with min ≤ max');
      }
      s.lowest = min;
      s.highest = max;
      s.lowestCount = extremeCount(o.minCount, `${path}.minCount`, n);
      s.highestCount = extremeCount(o.maxCount, `${path}.maxCount`, n);
      if (min === max ? s.lowestCount !== s.highestCount : s.lowestCount + s.highestCount > n) {
        throw bad(`${path}.maxCount`, { minCount: o.minCount, maxCount: o.maxCount, count: n, min, max },
          min === max ? 'must equal minCount when min = max' : `minCount + maxCount exceed the count (${n})`);
      }
    }
    s.pos = pos;
    s.neg = neg;
    s.zeros = zeros;
    return s;
  }
}

/** A stored minCount / maxCount of a non-empty sketch: absent (older sketches) reads as 1. */
function extremeCount(c: unknown, path: string, n: number): number {
  if (c === undefined) return 1;
  if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 1 || c > n) throw bad(path, c, `expected an integer from 1 to the count (${n})`);
  return c;
}

/** Sketch of one chunk. */
export function sketchOf(values: ArrayLike<number>, options: SketchOptions = {}): DDSketch {
  return new DDSketch(options).addAll(values);
}

/** New sketch holding a ∪ b (neither argument is modified). */
export function mergeSketches(a: DDSketch, b: DDSketch): DDSketch {
  return a.clone().mergeFrom(b);
}
