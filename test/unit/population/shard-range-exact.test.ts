// Shard I of N runs subjects ⌊(I−1)·n/N⌋ … ⌊I·n/N⌋ − 1 (README). (I−1)·n was a double: above 2^53 it
// rounded, and n 999999937, N 999999929 gave shard 999999928 no subject and shard 999999927 two.
// References: Python's integer floor division.

import { describe, expect, it } from 'vitest';
import { shardRange } from '../../../src/population/study.js';
import { cli } from '../cli/run-cli.js';

describe('shard ranges are exact', () => {
  const n = 999_999_937;
  const N = 999_999_929;

  it('n 999999937, N 999999929: shards 999999927 and 999999928 hold one subject each (2 and 0 before)', () => {
    expect(shardRange(n, { index: 999_999_926, count: N })).toEqual([999_999_933, 999_999_934]);
    expect(shardRange(n, { index: 999_999_927, count: N })).toEqual([999_999_934, 999_999_935]);
    expect(shardRange(n, { index: N - 1, count: N })).toEqual([999_999_935, 999_999_937]);
  });

  it('the last 200,000 shards tile the subjects with one or two each (only shard 999999929 has two)', () => {
    let prev = shardRange(n, { index: N - 200_000, count: N });
    const gaps: number[] = [];
    const sizes = new Map<number, number[]>();
    for (let i = N - 199_999; i < N; i++) {
      const r = shardRange(n, { index: i, count: N });
      if (r[0] !== prev[1]) gaps.push(i);
      const size = prev[1] - prev[0];
      if (size !== 1) sizes.set(size, [...(sizes.get(size) ?? []), i]);
      prev = r;
    }
    expect(gaps).toEqual([]);
    expect([...sizes]).toEqual([]);
    expect(prev).toEqual([999_999_935, 999_999_937]);
  });

  it('below 2^53 the ranges are unchanged: n 10^9 in 7 shards', () => {
    const bounds = [0, 142857142, 285714285, 428571428, 571428571, 714285714, 857142857, 1_000_000_000];
    for (let i = 0; i < 7; i++) expect(shardRange(1e9, { index: i, count: 7 })).toEqual([bounds[i], bounds[i + 1]]);
    expect(shardRange(10, { index: 2, count: 3 })).toEqual([6, 10]);
  });

  it('refuses a number of subjects that is not an integer, naming it', () => {
    expect(() => shardRange(10.5, { index: 0, count: 2 })).toThrow(/^n: the number of subjects must be a non-negative integer \(got 10\.5\)$/);
  });

  it('the command line runs shard 999999928/999999929 as subject 999,999,935 (count 1; count 0 before)', async () => {
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', String(n), '--seed', '1', '--metric', 'auc24',
      '--no-progress', '--json', '--workers', '0', '--shard', `999999928/${N}`]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { first: number; count: number };
    expect([s.first, s.count]).toEqual([999_999_934, 1]);
  });
});
