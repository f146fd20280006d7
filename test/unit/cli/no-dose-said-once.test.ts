// The library's simulate(), simulateReplicates() and vpc() now say W_NO_DOSE themselves (see
// test/unit/regimen/no-dose-library.test.ts); the command line, which said it before the run from the
// same function, says it once still, without the code, naming the file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-nodose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = join(tmp, 'nodose.csv');
writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,0.1,0\n1,1,0,.,1,0.2,0\n2,0.5,0,.,1,0.1,0\n');
const said = (err: string): number => (err.match(/no record is a dose/g) ?? []).length;

describe('the command line says "no record is a dose" once', () => {
  it('simulate', async () => {
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(said(r.err)).toBe(1);
    expect(r.err).toMatch(/warning: .*nodose\.csv: no record is a dose \(EVID 1 or 4 with an amount in AMT\)/);
    expect(r.err).not.toMatch(/W_NO_DOSE/);
  });
  it('simulate --replicates (stderr once; the JSON summary carries the code)', async () => {
    const out = join(tmp, 'reps.csv');
    const r = await cli(['simulate', '--model', 'examples/map-wmap.model.json', '--data', data, '--replicates', '2', '--seed', '1', '--workers', '0', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(said(r.err)).toBe(1);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings.filter((w) => w.startsWith('W_NO_DOSE: '))).toHaveLength(1);
  });
  it('vpc', async () => {
    const r = await cli(['vpc', '--model', 'examples/map-wmap.model.json', '--data', data, '--replicates', '5', '--seed', '1', '--workers', '0', '--out', join(tmp, 'vpc.json')]);
    expect(r.code, r.err).toBe(0);
    expect(said(r.err)).toBe(1);
  });
});
