// merge --out DIR left an earlier run's subject table beside the new summary.json without a word:
// study A (seed 1, CSV) merged into result/, then study B (seed 2, Arrow) into the same folder, and
// result/subjects.csv (A's, auc24 mean 206.710) read beside B's summary.json (207.241), exit 0.
// merge now says it as population does (one function), and leaves the file as it was.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-merge-stale-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]): string => join(tmp, ...p);
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '200',
  '--metric', 'auc24', '--window', '150:250', '--workers', '0', '--no-progress'];

/** Shards 1/2 and 2/2 of one study into DIR/1 and DIR/2. */
async function study(dir: string, ...extra: string[]): Promise<void> {
  for (const i of [1, 2]) expect((await cli([...base, ...extra, '--shard', `${i}/2`, '--out', at(dir, String(i))])).code).toBe(0);
}

beforeAll(async () => {
  await study('A', '--seed', '1');
  await study('B', '--seed', '2', '--format', 'arrow');
  await study('C', '--seed', '3', '--no-table');
}, 60_000);

describe('merge --out DIR with an earlier table in it', () => {
  it('says which subject table is not the merge\'s, in population\'s words, and keeps it', async () => {
    const first = await cli(['merge', at('A', '1'), at('A', '2'), '--out', at('result')]);
    expect(first.code).toBe(0);
    expect(first.err).toBe('');
    const a = readFileSync(at('result', 'subjects.csv'), 'utf8');
    const b = await cli(['merge', at('B', '1'), at('B', '2'), '--out', at('result'), '--json']);
    expect(b.code).toBe(0);
    const said = `W_STALE_TABLE: ${at('result', 'subjects.csv')} is an earlier run's subject table, not this run's (this one wrote ${at('result', 'subjects.arrow')}); summary.json is this run's`;
    expect(b.err).toContain(`dosewise: warning: ${said}\n`);
    expect((JSON.parse(b.out) as { warnings: string[] }).warnings).toContain(said);
    expect(readFileSync(at('result', 'subjects.csv'), 'utf8')).toBe(a);
    // population in the same folder says the same, in the same words
    const pop = await cli([...base, '--seed', '2', '--format', 'arrow', '--out', at('result')]);
    expect(pop.code).toBe(0);
    expect(pop.err).toContain(said);
    // shards without tables: both earlier tables named
    const c = await cli(['merge', at('C', '1'), at('C', '2'), '--out', at('result')]);
    expect(c.code).toBe(0);
    for (const f of ['subjects.csv', 'subjects.arrow']) expect(c.err).toContain(`W_STALE_TABLE: ${at('result', f)} is an earlier run's subject table, not this run's (--no-table wrote none)`);
    // the table the merge writes replaces its own earlier self without a word
    const again = await cli(['merge', at('B', '1'), at('B', '2'), '--out', at('result')]);
    expect(again.err).not.toMatch(/subjects\.arrow is an earlier/);
    expect(again.err).toMatch(/subjects\.csv is an earlier/);
  });
});
