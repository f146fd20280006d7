// Quantiles that fall among the values equal to the exact min or max are that value, not the
// sketch bucket's representative: tabove:4 with 4,581 of 5,000 subjects at exactly 24 h printed
// p50 = p95 = 23.927 (the bucket representative) where the lower empirical quantile (and numpy's
// type 7) is 24, and read "nobody is above the MIC all day". The sketch counts the values equal to
// its min and max, exactly and order-independently, so partitions and shards merge to the same bytes.
import { describe, expect, it } from 'vitest';
import { DDSketch, MetricSummary, merge, mergeAll, summarize } from '../../../src/population/summary/index.js';
import { MetricAggregate } from '../../../src/population/aggregate.js';

/** Lower empirical quantile x_(⌊q(n−1)⌋) of the sorted values (the rank the sketch reports). */
function lowerQuantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))] as number;
}

/** 4,581 values at exactly 24 and 419 spread below (as tabove:4 of such a run). */
function tabove(): number[] {
  const out: number[] = [];
  for (let i = 0; i < 419; i++) out.push(8 + (15.9 * i) / 419);
  for (let i = 0; i < 4581; i++) out.push(24);
  // interleaved, so chunks hold both
  return out.map((x, i) => [x, (i * 7919) % out.length] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
}

describe('DDSketch quantiles among values equal to the exact min or max', () => {
  it('returns the exact max where the rank falls among the values equal to it (p50, p95 = 24, not 23.927)', () => {
    const v = tabove();
    const s = new DDSketch().addAll(v);
    for (const q of [0.25, 0.5, 0.75, 0.95]) {
      expect(lowerQuantile(v, q)).toBe(24);
      expect(s.quantile(q)).toBe(24);
    }
    // below the run of 24s, still the bucket estimate within α
    const p05 = s.quantile(0.05);
    expect(Math.abs(p05 - lowerQuantile(v, 0.05))).toBeLessThanOrEqual(0.005 * lowerQuantile(v, 0.05));
    expect(s.toJSON().maxCount).toBe(4581);
    expect(s.toJSON().minCount).toBe(1);
  });

  it('returns the exact min where the rank falls among the values equal to it', () => {
    const v = [...Array.from({ length: 600 }, () => 0.37), ...Array.from({ length: 400 }, (_, i) => 0.38 + i / 100)];
    const s = new DDSketch().addAll(v);
    expect(lowerQuantile(v, 0.5)).toBe(0.37);
    expect(s.quantile(0.5)).toBe(0.37);
    expect(s.quantile(0.05)).toBe(0.37);
    expect(s.toJSON().minCount).toBe(600);
    // negative extremes too
    const neg = new DDSketch().addAll(v.map((x) => -x));
    expect(neg.quantile(0.5)).toBe(-0.37);
    expect(neg.quantile(0.95)).toBe(-0.37);
  });

  it('counts a single repeated value once as both min and max', () => {
    const s = new DDSketch().addAll([5.5, 5.5, 5.5]);
    expect(s.toJSON()).toMatchObject({ min: 5.5, max: 5.5, minCount: 3, maxCount: 3 });
    expect(s.quantile(0.5)).toBe(5.5);
  });

  it('merges the counts exactly: any partition in any order gives the same JSON as the whole', () => {
    const v = tabove();
    const whole = JSON.stringify(summarize(v).toJSON());
    for (const size of [1, 7, 100, 1000, 4999]) {
      const chunks: MetricSummary[] = [];
      for (let i = 0; i < v.length; i += size) chunks.push(summarize(v.slice(i, i + size)));
      expect(JSON.stringify(mergeAll(chunks).sketch.toJSON())).toBe(JSON.stringify(summarize(v).sketch.toJSON()));
      expect(JSON.stringify(mergeAll([...chunks].reverse()).sketch.toJSON())).toBe(JSON.stringify(summarize(v).sketch.toJSON()));
    }
    // a chunk whose max is below the whole max keeps none of its count
    const a = summarize([1, 2, 2]);
    const b = summarize([3, 3, 1, 1]);
    expect(merge(a, b).sketch.toJSON()).toMatchObject({ min: 1, minCount: 3, max: 3, maxCount: 2 });
    expect(JSON.parse(whole).sketch.maxCount).toBe(4581);
  });

  it('round-trips through JSON and merges shards to the bytes of one run', () => {
    const v = tabove();
    const one = new MetricAggregate();
    one.add(Float64Array.from(v));
    const shards = [v.slice(0, 1234), v.slice(1234, 3000), v.slice(3000)].map((part) => {
      const a = new MetricAggregate();
      a.add(Float64Array.from(part));
      return JSON.parse(JSON.stringify(a.toJSON()));
    });
    const merged = MetricAggregate.fromJSON(shards[0]);
    for (const s of shards.slice(1)) merged.mergeFrom(MetricAggregate.fromJSON(s));
    expect(JSON.stringify(merged.toJSON())).toBe(JSON.stringify(one.toJSON()));
    expect(merged.report().p50).toBe(24);
    expect(merged.report().p95).toBe(24);
  });

  it('reads a sketch written before the counts (no minCount / maxCount) as one value at each extreme', () => {
    const j = new DDSketch().addAll(tabove()).toJSON() as unknown as Record<string, unknown>;
    delete j.minCount;
    delete j.maxCount;
    const s = DDSketch.fromJSON(j);
    expect(s.toJSON()).toMatchObject({ minCount: 1, maxCount: 1 });
    // as before: the bucket estimate, within α
    expect(Math.abs(s.quantile(0.5) - 24)).toBeLessThanOrEqual(0.005 * 24);
    expect(s.quantile(1)).toBe(24);
  });

  it('refuses counts no data has, naming the field', () => {
    const j = new DDSketch().addAll([1, 2, 2, 3]).toJSON();
    expect(() => DDSketch.fromJSON({ ...j, maxCount: 5 })).toThrow(/sketch\.maxCount/);
    expect(() => DDSketch.fromJSON({ ...j, minCount: 0 })).toThrow(/sketch\.minCount/);
    expect(() => DDSketch.fromJSON({ ...j, minCount: 1.5 })).toThrow(/sketch\.minCount/);
    expect(() => DDSketch.fromJSON({ ...j, minCount: 3, maxCount: 2 })).toThrow(/sketch\.(minCount|maxCount)/);
  });
});
