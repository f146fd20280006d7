// Per-metric aggregate of a population run: the mergeable summary (moments, quantile sketch,
// window counts) plus exact sums of x and x², so the reported mean and SD are the same to the bit
// for any chunking, worker count or sharding, and the SD has no cancellation: n·Σx² − (Σx)² is
// formed exactly (in integers) and the SD √((n·Σx² − (Σx)²) / (n(n − 1))) rounded once, for finite
// values of any magnitude (a population of equal values has SD 0, not √(rounding)/n; values near
// 1e-162 had SD 0 and values above 1.3e154 stopped the run when the sums were doubles).
// The summary's moments are stored the same way: its mean Σx/n and M2 (n·Σx² − (Σx)²)/n come from
// the exact sums, each rounded once, not from Welford's update and Chan's pairwise merge, whose last
// bits depend on where the chunks and shards were cut (summary.json of 5,000 subjects stored mean
// 221.19201575652514 with --workers 0 and 221.1920157565253 with 2 workers in chunks of 100, so its
// bytes and checksum differed with --workers and --chunk-size).

import { DosewiseError } from '../errors.js';
import { ExactSum, divideRounded, sqrtDivideRounded } from './summary/exact-sum.js';
import { MetricSummary, merge, summarize, type MetricSummaryJSON, type Moments, type SummaryReport, type Window } from './summary/index.js';

export interface AggregateJSON {
  readonly summary: MetricSummaryJSON;
  /** Σx exactly: m·2^e, m a signed hexadecimal integer. */
  readonly sum: { readonly m: string; readonly e: number };
  /** Σx² exactly: m·2^e, m a signed hexadecimal integer. */
  readonly sumSq: { readonly m: string; readonly e: number };
  /** Number of finite values. */
  readonly n: number;
}

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);

/**
 * Adds x² to `s` exactly: x = y·2^t with y in [1, 2) (an exact change of exponent), y² = p + err
 * exactly (Dekker's product: no overflow or underflow near 1), and p, err are added at 2^(2t).
 */
function addSquare(s: ExactSum, x: number): void {
  F[0] = x;
  let e = ((U[1] as number) >>> 20) & 0x7ff;
  let t = e - 1023;
  if (e === 0) {
    // subnormal: normalize first (exact)
    F[0] = x * 2 ** 64;
    e = ((U[1] as number) >>> 20) & 0x7ff;
    t = e - 1023 - 64;
  }
  U[1] = ((U[1] as number) & 0x800fffff) | 0x3ff00000;
  const y = F[0] as number;
  const p = y * y;
  s.addScaled(p, 2 * t);
  const err = productError(y, y, p);
  if (err !== 0) s.addScaled(err, 2 * t);
}

export class MetricAggregate {
  /** Sketch, window counts, count, min and max as merged; its mean and M2 are replaced by `summary`. */
  #merged: MetricSummary;
  /** `#merged` with the moments from the exact sums, once read (dropped by add and mergeFrom). */
  #exact: MetricSummary | null = null;
  #sum = new ExactSum();
  #sumSq = new ExactSum();
  #n = 0;

  constructor(window?: Window) {
    this.#merged = MetricSummary.empty(window);
  }

  /**
   * The summary of every value added or merged, its mean and M2 from the exact sums: the same to the
   * bit however the values were split into chunks, workers and shards (and so its JSON).
   */
  get summary(): MetricSummary {
    this.#exact ??= new MetricSummary(this.#exactMoments(), this.#merged.sketch, this.#merged.window);
    return this.#exact;
  }

  add(values: Float64Array, window?: Window): void {
    this.#merged = merge(this.#merged, summarize(values, window));
    this.#exact = null;
    for (const x of values) {
      if (!Number.isFinite(x)) continue;
      this.#sum.add(x);
      if (x !== 0) addSquare(this.#sumSq, x);
      this.#n++;
    }
  }

  mergeFrom(other: MetricAggregate): void {
    this.#merged = merge(this.#merged, other.#merged);
    this.#exact = null;
    this.#sum.merge(other.#sum);
    this.#sumSq.merge(other.#sumSq);
    this.#n += other.#n;
  }

  /** Σx/n rounded once (n > 0). */
  #mean(): number {
    const s = this.#sum.exact();
    return divideRounded(s.m, s.e, BigInt(this.#n));
  }

  /** n·Σx² − (Σx)² exactly, as m·2^e (≥ 0: Cauchy–Schwarz on the exact sums). */
  #spread(): { m: bigint; e: number } {
    const s = this.#sum.exact();
    const q = this.#sumSq.exact();
    const N = BigInt(this.#n);
    const e = Math.min(q.e, 2 * s.e);
    return { m: ((N * q.m) << BigInt(q.e - e)) - ((s.m * s.m) << BigInt(2 * s.e - e)), e };
  }

  /**
   * The merged moments with mean = Σx/n and M2 = Σ(x − mean)² = (n·Σx² − (Σx)²)/n from the exact
   * sums, each rounded once (M2 beyond the double range is +Infinity, as Welford's is).
   */
  #exactMoments(): Moments {
    const m = this.#merged.moments;
    const n = this.#n;
    if (n === 0) return m;
    if (n === 1) return { ...m, mean: this.#mean(), m2: 0 };
    const d = this.#spread();
    return { ...m, mean: this.#mean(), m2: divideRounded(d.m, d.e, BigInt(n)) };
  }

  report(): SummaryReport {
    const r = this.summary.report();
    const n = this.#n;
    if (n === 0) return { ...r, mean: NaN, sd: NaN };
    const mean = this.#mean();
    if (n === 1) return { ...r, mean, sd: NaN };
    // n·Σx² − (Σx)² as an integer times 2^e (exact), then the SD rounded once
    const d = this.#spread();
    const N = BigInt(n);
    return { ...r, mean, sd: sqrtDivideRounded(d.m, d.e, N * (N - 1n)) };
  }

  toJSON(): AggregateJSON {
    return { summary: this.summary.toJSON(), sum: this.#sum.toJSON(), sumSq: this.#sumSq.toJSON(), n: this.#n };
  }

  /**
   * From toJSON()'s form; a field that is not is refused, named under `path`. The stored mean and
   * M2 are not read: toJSON rounds them from the sums again (a shard written before 2026-12-05
   * stored Chan's streaming moments there, and merges to the same bytes as one run all the same).
   */
  static fromJSON(j: AggregateJSON, path = 'aggregate'): MetricAggregate {
    if (typeof j !== 'object' || j === null) throw new DosewiseError('E_PARAMETER', `${path}: expected an object`, { path, value: j });
    const a = new MetricAggregate();
    a.#merged = MetricSummary.fromJSON(j.summary);
    a.#sum = ExactSum.fromJSON(j.sum, `${path}.sum`);
    a.#sumSq = ExactSum.fromJSON(j.sumSq, `${path}.sumSq`);
    if (j.n !== a.#merged.n)
      throw new DosewiseError('E_PARAMETER', `${path}.n: ${String(j.n)} values, but its summary counts ${a.#merged.n}`, { path: `${path}.n`, value: j.n });
    a.#n = j.n;
    // sums that no n values have: a mean and M2 rounded from them would be wrong (an M2 below 0)
    if (j.n === 0 && (a.#sum.exact().m !== 0n || a.#sumSq.exact().m !== 0n))
      throw new DosewiseError('E_PARAMETER', `${path}.sum: ${JSON.stringify(j.sum)}, ${path}.sumSq: ${JSON.stringify(j.sumSq)} for n = 0 values (the sums of no value are 0)`, { path: `${path}.sum`, value: j.sum });
    if (j.n > 0 && a.#spread().m < 0n)
      throw new DosewiseError('E_PARAMETER', `${path}.sumSq: ${JSON.stringify(j.sumSq)} is below (Σx)²/n for the sum ${JSON.stringify(j.sum)} of n = ${j.n} values: no ${j.n} values have these sums`, { path: `${path}.sumSq`, value: j.sumSq });
    return a;
  }
}

/** Splits a double into two halves of 26 bits (Dekker / Veltkamp), so their products are exact. */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/**
 * The rounding error of p = fl(a·b): a·b = p + error exactly (Dekker's TwoProduct, without FMA),
 * for |a|, |b| below 2^996 and products away from underflow.
 * see: Ogita, Rump & Oishi, SIAM J Sci Comput 2005;26:1955 (Algorithm 3.3)
 */
function productError(a: number, b: number, p: number): number {
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return ah * bh - p + ah * bl + al * bh + al * bl;
}
