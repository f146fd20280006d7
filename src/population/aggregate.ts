// Per-metric aggregate of a population run: the mergeable summary (moments, quantile sketch,
// window counts) plus exact sums of x and x² (each square split into its rounded value and its
// rounding error), so the reported mean and SD are the same to the bit for any chunking, worker
// count or sharding, and the SD has no cancellation: n·Σx² − (Σx)² is formed exactly and rounded
// once (a population of equal values has SD 0, not √(rounding)/n).

import { ExactSum } from './summary/exact-sum.js';
import { MetricSummary, merge, summarize, type MetricSummaryJSON, type SummaryReport, type Window } from './summary/index.js';

export interface AggregateJSON {
  readonly summary: MetricSummaryJSON;
  readonly sum: number[];
  readonly sumSq: number[];
  readonly n: number;
}

export class MetricAggregate {
  summary: MetricSummary;
  readonly #sum = new ExactSum();
  readonly #sumSq = new ExactSum();
  #n = 0;

  constructor(window?: Window) {
    this.summary = MetricSummary.empty(window);
  }

  add(values: Float64Array, window?: Window): void {
    this.summary = merge(this.summary, summarize(values, window));
    for (const x of values) {
      if (!Number.isFinite(x)) continue;
      this.#sum.add(x);
      const p = x * x;
      this.#sumSq.add(p);
      const e = productError(x, x, p);
      if (e !== 0) this.#sumSq.add(e);
      this.#n++;
    }
  }

  mergeFrom(other: MetricAggregate): void {
    this.summary = merge(this.summary, other.summary);
    this.#sum.merge(other.#sum);
    this.#sumSq.merge(other.#sumSq);
    this.#n += other.#n;
  }

  report(): SummaryReport {
    const r = this.summary.report();
    const n = this.#n;
    const mean = n > 0 ? this.#sum.value() / n : NaN;
    return { ...r, mean, sd: n > 1 ? Math.sqrt(Math.max(0, this.#spread()) / (n * (n - 1))) : NaN };
  }

  /** n·Σx² − (Σx)², exact before its one rounding (every product split by productError). */
  #spread(): number {
    const n = this.#n;
    const acc = new ExactSum();
    const put = (a: number, b: number, sign: number): boolean => {
      const p = a * b;
      if (!Number.isFinite(p)) return false;
      acc.add(sign * p);
      const e = productError(a, b, p);
      if (e !== 0) acc.add(sign * e);
      return true;
    };
    const q = this.#sumSq.toJSON();
    const s = this.#sum.toJSON();
    let ok = q.every((x) => put(x, n, 1));
    for (const a of s) for (const b of s) ok &&= put(a, b, -1);
    if (ok) return acc.value();
    // beyond the range where the products are finite: the direct formula
    const sum = this.#sum.value();
    return n * this.#sumSq.value() - sum * sum;
  }

  toJSON(): AggregateJSON {
    return { summary: this.summary.toJSON(), sum: this.#sum.toJSON(), sumSq: this.#sumSq.toJSON(), n: this.#n };
  }

  static fromJSON(j: AggregateJSON): MetricAggregate {
    const a = new MetricAggregate();
    a.summary = MetricSummary.fromJSON(j.summary);
    a.#sum.merge(ExactSum.fromJSON(j.sum));
    a.#sumSq.merge(ExactSum.fromJSON(j.sumSq));
    a.#n = j.n;
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
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  return Number.isFinite(e) ? e : 0;
}
