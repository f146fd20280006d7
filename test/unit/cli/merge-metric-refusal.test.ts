// merge refused shards whose metrics or windows differ with "metrics or windows differ from
// spw/1's", naming neither the metric nor the values (auc24=150:250 in one shard, 150:251 in the
// other): with 16 shards and many metrics the user diffed the summary.json files by hand. The
// refusal names the metric, what differs and both values, as the other merge refusals do.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-merge-metric-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]): string => join(tmp, ...p);
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '30', '--seed', '7',
  '--workers', '0', '--no-progress'];
const shard = async (i: number, dir: string, extra: string[]): Promise<string> => {
  const r = await cli([...base, ...extra, '--shard', `${i}/2`, '--out', at(dir)]);
  expect(r.code, r.err).toBe(0);
  return at(dir);
};
const merge = (dirs: string[]) => cli(['merge', ...dirs, '--out', at('merged')]);

describe('merge: a metric that differs is named, with both values', () => {
  it('names the metric and both windows (150:251 against 150:250)', async () => {
    const a = await shard(1, 'w1', ['--metric', 'auc24', '--metric', 'trough', '--window', 'auc24=150:250']);
    const b = await shard(2, 'w2', ['--metric', 'auc24', '--metric', 'trough', '--window', 'auc24=150:251']);
    const r = await merge([a, b]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${b}: metric auc24: window 150:251 differs from 150:250 in ${a}: the shards are not from one run`);
  });

  it('names a window on one side only', async () => {
    const a = await shard(1, 'n1', ['--metric', 'auc24', '--metric', 'trough']);
    const b = await shard(2, 'n2', ['--metric', 'auc24', '--metric', 'trough', '--window', 'trough=1:2']);
    const r = await merge([a, b]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${b}: metric trough: window 1:2 differs from none in ${a}`);
  });

  it('names both metric lists where the metrics differ', async () => {
    const a = await shard(1, 'm1', ['--metric', 'auc24', '--metric', 'trough']);
    const b = await shard(2, 'm2', ['--metric', 'auc24', '--metric', 'cmax']);
    const r = await merge([a, b]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${b}: metrics auc24, cmax differ from auc24, trough in ${a}: the shards are not from one run`);
    const c = await shard(2, 'm3', ['--metric', 'auc24']);
    const s = await merge([a, c]);
    expect(s.code).toBe(1);
    expect(s.err).toContain(`${c}: metrics auc24 differ from auc24, trough in ${a}`);
  });
});
