// A sampled covariate named like a random effect, a parameter, a metric or a fixed column of the
// subject table: the table keeps one column per name, so a covariate ETA_V (mean 2) showed the drawn
// η (0.062, −0.066, 0.122) in its column, and one named like an η was not even warned of. Refused.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-clash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, json: unknown): string => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(json));
  return f;
};
const model = put('m.json', {
  dosewise: 2,
  name: 'covtest',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 4 }, TVV: { value: 40 } },
  covariates: { A: { default: 50 } },
  parameters: { CL: { expr: 'TVCL * (A/50)' }, V: { expr: 'TVV * exp(ETA_V)' } },
  omega: { etas: ['ETA_V'], diagonal: [0.04] },
  observe: { compartment: 1 },
});
const regimen = put('r.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] });
const run = (cov: Record<string, unknown>) => cli(['population', '--model', model, '--regimen', regimen, '--covariates', put('c.json', { covariates: { A: { dist: 'normal', mean: 50, sd: 1 }, ...cov } }), '--n', '3', '--seed', '1', '--metric', 'cmax', '--workers', '0', '--no-progress', '--no-table']);

describe('a sampled covariate that clashes with a column of the subject table', () => {
  it('is refused, naming what it clashes with: a random effect, a parameter, a metric, STATUS', async () => {
    const normal = { dist: 'normal', mean: 2, sd: 0.1 };
    for (const [name, what] of [['ETA_V', /ETA_V is also a random effect of model covtest/], ['CL', /CL is also a parameter of model covtest/], ['cmax', /cmax is also a metric of this run/], ['STATUS', /STATUS is also a column of the subject table/]] as const) {
      const r = await run({ [name]: normal });
      expect(r.code, name).not.toBe(0);
      expect(r.err, name).toMatch(what);
      expect(r.err, name).toMatch(new RegExp(`covariates\\.${name}: .*rename the covariate`));
    }
    expect((await run({})).code).toBe(0);
  });
  it('a resampled table leaves its ID column out unless "columns" names it (it was read as a covariate and refused, naming the regimen)', async () => {
    const table = join(dir, 'demo.csv');
    writeFileSync(table, 'ID,A\n101,40\n102,60\n');
    const r = await cli(['population', '--model', model, '--regimen', regimen, '--covariates', put('t.json', { covariates: { demo: { resample: 'demo.csv' } } }), '--n', '4', '--seed', '1', '--metric', 'cmax', '--workers', '0', '--no-progress', '--out', join(dir, 'out')]);
    expect(r.code, r.err).toBe(0);
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(join(dir, 'out', 'subjects.csv'), 'utf8').trim().split('\n');
    expect(lines[0]?.split(',').slice(0, 2)).toEqual(['ID', 'A']);
    // subject IDs 1..4, each A one of the table's rows
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['1', '2', '3', '4']);
    for (const l of lines.slice(1)) expect(['40', '60']).toContain(l.split(',')[1]);
    const named = await cli(['population', '--model', model, '--regimen', regimen, '--covariates', put('t2.json', { covariates: { demo: { resample: 'demo.csv', columns: ['ID', 'A'] } } }), '--n', '4', '--seed', '1', '--metric', 'cmax', '--workers', '0', '--no-progress', '--no-table']);
    expect(named.err).toMatch(/ID is also a column of the subject table/);
  });
});
