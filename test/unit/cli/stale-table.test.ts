// A subject table the run did not write stays in --out DIR (the folder's files are the user's), and
// is said to be an earlier run's: with --no-table (or the other --format) the previous run's
// subjects.csv was read beside the new summary.json as this run's.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-stale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...extra: string[]) => cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '20', '--workers', '0', '--no-progress', '--metric', 'auc24', '--out', dir, ...extra]);

describe('population --out DIR with an earlier table in it', () => {
  it('says which subject table is not this run', async () => {
    const first = await run();
    expect(first.code, first.err).toBe(0);
    expect(first.err).not.toMatch(/earlier run's subject table/);
    const none = await run('--no-table');
    expect(none.code).toBe(0);
    expect(none.err).toMatch(/subjects\.csv is an earlier run's subject table, not this run's \(--no-table wrote none\)/);
    const arrow = await run('--format', 'arrow');
    expect(arrow.code).toBe(0);
    expect(arrow.err).toMatch(/subjects\.csv is an earlier run's subject table, not this run's \(this one wrote .*subjects\.arrow\)/);
    // the table written replaces its own earlier self without a word
    expect((await run()).err).toMatch(/subjects\.arrow is an earlier run's/);
  });
});
