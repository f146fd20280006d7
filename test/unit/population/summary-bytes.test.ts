// summary.json is the same bytes however a population was split: into chunks of any size, or into
// shards merged afterwards. Its stored moments (aggregate.summary.moments.mean and m2) came from
// Welford's update and Chan's pairwise merge, whose last bits depend on where the values were cut
// (5,000 subjects stored mean 221.19201575652514 with one worker and 221.1920157565253
// with chunks of 100, so the file's bytes and its checksum differed); they are now rounded once
// from the exact sums, which every split adds to the same integers.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { checksumHolds, withChecksum } from '../../../src/cli/summary-checksum.js';
import { MetricAggregate, type AggregateJSON } from '../../../src/population/aggregate.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-sumbytes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const quiet = (): undefined => undefined;

/** 1,000 values 100 + (i·2654435761 mod 1000003)/3: exact in JS and Python alike (one rounding each). */
const values = Float64Array.from({ length: 1000 }, (_, i) => 100 + ((i * 2654435761) % 1000003) / 3);

/** The aggregate of `values` added in chunks of `size`, each chunk an aggregate merged in order. */
function chunked(size: number): MetricAggregate {
  const all = new MetricAggregate();
  for (let i = 0; i < values.length; i += size) {
    const part = new MetricAggregate();
    part.add(values.slice(i, i + size));
    all.mergeFrom(MetricAggregate.fromJSON(part.toJSON()));
  }
  return all;
}

describe('aggregate moments', () => {
  it('are the exact mean and M2 rounded once, the same JSON for any chunking (Welford/Chan gave mean 167753.65133333326, …334 or …34 and M2 9270522941755.97, ….986 or ….988 for chunks of 7, 100, 333)', () => {
    // python3: Fraction sums of the same doubles, S/n and Q − S²/n rounded once by float()
    const mean = 167753.65133333334;
    const m2 = 9270522941755.986;
    const ref = JSON.stringify(chunked(values.length).toJSON());
    for (const size of [1, 7, 100, 333]) {
      const a = chunked(size);
      expect(a.summary.moments.mean).toBe(mean);
      expect(a.summary.moments.m2).toBe(m2);
      expect(JSON.stringify(a.toJSON())).toBe(ref);
      expect(a.report().mean).toBe(mean);
    }
    const j = chunked(7).toJSON();
    expect([j.summary.moments.mean, j.summary.moments.m2]).toEqual([mean, m2]);
  });

  it('one value: its mean and M2 0; none: the empty moments', () => {
    const one = new MetricAggregate();
    one.add(Float64Array.of(0.1));
    expect([one.summary.moments.mean, one.summary.moments.m2]).toEqual([0.1, 0]);
    const none = new MetricAggregate();
    none.add(Float64Array.of(NaN));
    expect(none.toJSON().summary.moments).toEqual({ count: 0, mean: 0, m2: 0, min: null, max: null, nonFinite: 1 });
  });

  it('an M2 beyond the double range is null in JSON, as before, and reads back', () => {
    const a = new MetricAggregate();
    a.add(Float64Array.of(-1e300, 1e300));
    const j = a.toJSON();
    expect(j.summary.moments.m2).toBe(null);
    expect(j.summary.moments.mean).toBe(0);
    expect(JSON.stringify(MetricAggregate.fromJSON(JSON.parse(JSON.stringify(j)) as AggregateJSON).toJSON())).toBe(JSON.stringify(j));
  });

  it('refuses sums that no values have (n·Σx² < (Σx)²), naming the field and value, rather than storing an M2 below 0', () => {
    const a = new MetricAggregate();
    a.add(Float64Array.of(3, 5));
    const j = a.toJSON();
    // Σx² = 1 for Σx = 8 over 2 values (8² / 2 = 32 > 1)
    const bad = { ...j, sumSq: { m: '1', e: 0 } };
    expect(() => MetricAggregate.fromJSON(bad, 's.json, metrics.0.aggregate')).toThrow(/s\.json, metrics\.0\.aggregate\.sumSq: \{"m":"1","e":0\} is below \(Σx\)²\/n for the sum \{"m":"1","e":3\} of n = 2 values/);
    const none = new MetricAggregate().toJSON();
    expect(() => MetricAggregate.fromJSON({ ...none, sum: { m: '1', e: 0 } })).toThrow(/aggregate\.sum: \{"m":"1","e":0\}.*for n = 0 values/);
  });

  it('reads the streaming moments a shard of an earlier build stored, and writes the exact ones', () => {
    // what one chunk of all 1,000 values stored before (Welford): read, then rounded from the sums again
    const a = chunked(7).toJSON();
    const old = { ...a, summary: { ...a.summary, moments: { ...a.summary.moments, mean: 167753.65133333326, m2: 9270522941755.988 } } };
    expect(JSON.stringify(MetricAggregate.fromJSON(old).toJSON())).toBe(JSON.stringify(a));
  });
});

describe('summary.json bytes', () => {
  const base = ['node', 'dosewise', 'population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json',
    '--n', '1000', '--seed', 'bytes', '--metric', 'auc24', '--metric', 'cmax', '--window', 'auc24=150:250', '--workers', '0', '--no-progress'];

  it('are identical for --chunk-size 7, 100, 1000 and for 3 shards merged (mean and m2 differed in the last bits, so did the checksum)', async () => {
    // the run's duration is the one field that describes the machine, not the population: held at 0
    vi.spyOn(performance, 'now').mockReturnValue(0);
    const file = (d: string): string => readFileSync(join(tmp, d, 'summary.json'), 'utf8');
    for (const c of ['7', '100', '1000']) expect(await run([...base, '--chunk-size', c, '--out', join(tmp, `c${c}`)], quiet)).toBe(0);
    for (const i of [1, 2, 3]) expect(await run([...base, '--chunk-size', '100', '--shard', `${i}/3`, '--out', join(tmp, `s${i}`)], quiet)).toBe(0);
    expect(await run(['node', 'dosewise', 'merge', join(tmp, 's1'), join(tmp, 's2'), join(tmp, 's3'), '--out', join(tmp, 'merged')], quiet)).toBe(0);
    const one = file('c7');
    expect(file('c100')).toBe(one);
    expect(file('c1000')).toBe(one);
    const parsed = JSON.parse(one) as { checksum: string; metrics: { aggregate: AggregateJSON }[] };
    expect(checksumHolds(parsed)).toBe(true);
    // the merged summary adds only the shard folders it came from; without them it is one run's bytes
    const { merged_from: from, ...merged } = JSON.parse(file('merged')) as { merged_from: string[]; checksum: string };
    expect(from).toEqual([1, 2, 3].map((i) => join(tmp, `s${i}`)));
    expect(JSON.stringify(withChecksum(merged), null, 1) + '\n').toBe(one);
    expect(merged.checksum).not.toBe(parsed.checksum); // it covers merged_from too
    // and the stored mean is the reported one (Σx/n rounded once)
    for (const m of parsed.metrics as { report: { mean: number }; aggregate: AggregateJSON }[]) expect(m.aggregate.summary.moments.mean).toBe(m.report.mean);
  }, 120_000);
});
