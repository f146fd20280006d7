// merge compared the shards' seeds as written: shards of `--seed 1` and `--seed 01` (one stream,
// seedText) were refused with 'seed "01" differs from "1"'. Seeds are compared as the seed parser
// reads them; seeds that are other streams are still refused.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-merge-seed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]): string => join(tmp, ...p);
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '200',
  '--metric', 'auc24', '--window', '150:250', '--workers', '0', '--no-progress'];

describe('merge: seeds compared as read', () => {
  it('shards of --seed 1 and --seed 01 merge to the single run of --seed 1; --seed 2 is refused', async () => {
    expect((await cli([...base, '--seed', '1', '--shard', '1/2', '--out', at('a')])).code).toBe(0);
    expect((await cli([...base, '--seed', '01', '--shard', '2/2', '--out', at('b')])).code).toBe(0);
    expect((await cli([...base, '--seed', '2', '--shard', '2/2', '--out', at('b2')])).code).toBe(0);
    expect((await cli([...base, '--seed', '1', '--out', at('one')])).code).toBe(0);
    const r = await cli(['merge', at('a'), at('b'), '--out', at('c')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(at('c', 'subjects.csv'), 'utf8')).toBe(readFileSync(at('one', 'subjects.csv'), 'utf8'));
    const bad = await cli(['merge', at('a'), at('b2'), '--out', at('d')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/seed "2" differs from "1"/);
  }, 60_000);
});
