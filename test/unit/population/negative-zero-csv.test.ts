// The population table's CSV writes the doubles themselves, as its Arrow table does: String(-0) is
// "0", so a reported value of −0 lost its sign in the CSV while the Arrow table of the same run kept it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

it('writes −0 as -0 in subjects.csv', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dosewise-nz-'));
  try {
    const model = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
    model.parameters.NZ = { expr: '-0 * CL', unit: 'L/h' };
    writeFileSync(join(dir, 'm.json'), JSON.stringify(model));
    const r = await cli(['population', '--model', join(dir, 'm.json'), '--regimen', 'examples/wb-regimen.json', '--n', '5', '--seed', '3', '--metric', 'auc24', '--workers', '0', '--out', join(dir, 'out')]);
    expect(r.code, r.err).toBe(0);
    const [head, ...rows] = readFileSync(join(dir, 'out', 'subjects.csv'), 'utf8').trim().split('\n');
    const k = head!.split(',').indexOf('NZ');
    expect(k).toBeGreaterThan(0);
    expect(rows.map((l) => l.split(',')[k])).toEqual(['-0', '-0', '-0', '-0', '-0']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
