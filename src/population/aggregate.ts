// Per-metric aggregate of a population run: the mergeable summary (moments, quantile sketch,
// window counts) plus exactly rounded sums of x and x², so the reported mean and SD are the same
// to the bit for any chunking, worker count or sharding.

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
      this.#sumSq.add(x * x);
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
    const ss = this.#sumSq.value() - (n > 0 ? (this.#sum.value() * this.#sum.value()) / n : 0);
    return { ...r, mean, sd: n > 1 ? Math.sqrt(Math.max(0, ss) / (n - 1)) : NaN };
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
