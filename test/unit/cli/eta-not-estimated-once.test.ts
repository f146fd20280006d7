// W_ETA_NOT_ESTIMATED (0b9f8e9, a1905d0) depends on the model, --param and the data's columns, not on
// the patient, but the command line said it once per ID with the fit's warnings: `estimate --param
// V=60` on 20 patients printed 20 identical lines, a cohort of 500 would bury every
// per-patient warning. It is now said once for the data set, with the count of IDs it concerns, as
// the data set's other warnings are; the JSON keeps it in each ID's warnings.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eta-once-'));
const patient = (id: number, cl: string): string[] => [`${id},0,1,1000,1000,.,1,70,${40 + 10 * id},0,${cl}`, `${id},11.5,0,.,.,${8 + id},0,70,${40 + 10 * id},0,${cl}`];
const header = 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL,CL';
const every = join(dir, 'four.csv');
writeFileSync(every, [header, ...[1, 2, 3, 4].flatMap((i) => patient(i, '.'))].join('\n') + '\n');
const some = join(dir, 'four-cl.csv');
writeFileSync(some, [header, ...[1, 2, 3].flatMap((i) => patient(i, '4')), ...patient(4, '.')].join('\n') + '\n');
const lines = (err: string): string[] => err.split('\n').filter((l) => l.includes('W_ETA_NOT_ESTIMATED'));

describe('W_ETA_NOT_ESTIMATED is said once for the data set', () => {
  it('estimate --param V=60 on 4 IDs: one line naming all 4 IDs (it was 4 identical lines)', async () => {
    const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', every, '--param', 'V=60']);
    expect(r.code).toBe(0);
    expect(lines(r.err)).toEqual([`dosewise: warning: ${every}, all 4 IDs, W_ETA_NOT_ESTIMATED: ETA_V is not estimated: V (--param V=60) is given and nothing else reads ETA_V; it stays 0 and has no posterior (its prior SD, ${lines(r.err)[0]?.match(/prior SD, ([0-9.]+)/)?.[1]}, is no SE); to estimate ETA_V, do not give V`]);
    const j = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', every, '--param', 'V=60', '--json']);
    const out = JSON.parse(j.out) as { warnings: { code: string }[] }[];
    expect(out.map((e) => e.warnings.filter((w) => w.code === 'W_ETA_NOT_ESTIMATED').length)).toEqual([1, 1, 1, 1]);
  });

  it('a CL column on 3 of 4 IDs: one line naming those IDs, in the words of the first', async () => {
    const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', some]);
    expect(r.code).toBe(0);
    const l = lines(r.err);
    expect(l).toHaveLength(1);
    expect(l[0]).toContain(`${some}, 3 of the 4 IDs (ID 1, 2, 3), W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (the data's column CL, on every record, from row 1) is given`);
    expect(l[0]).toMatch(/\(ID 1's rows; the others' differ\)$/);
  });

  it('forecast likewise: once for 4 IDs', async () => {
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', every, '--regimen', 'examples/map-future.json', '--param', 'V=60', '--metric', 'trough']);
    expect(r.code).toBe(0);
    expect(lines(r.err)).toHaveLength(1);
    expect(lines(r.err)[0]).toContain(`${every}, all 4 IDs, W_ETA_NOT_ESTIMATED: ETA_V is not estimated`);
  });
});
