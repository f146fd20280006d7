// dosewise simulate (no replicates) refuses a data set that already has a column it writes (IPRED,
// A1..An): its own earlier output given as data got IPRED and A1 twice in the header, and --json
// kept one of them.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-written-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'data.csv');
writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,0,1,.,0\n1,2,0,0,1,.,0\n');

describe('simulate: input columns named like the output', () => {
  it('refuses its own output given as data, naming the column and the file, and writes nothing', async () => {
    const round1 = join(dir, 'round1.csv');
    const first = await cli(['simulate', '--model', '1cmt-iv', '--data', data, '--out', round1]);
    expect(first.code, first.err).toBe(0);
    const round2 = join(dir, 'round2.csv');
    writeFileSync(round2, 'kept\n');
    for (const extra of [['--out', round2], ['--json'], []]) {
      const r = await cli(['simulate', '--model', '1cmt-iv', '--data', round1, '--param', 'CL=10', ...extra]);
      expect(r.code, extra.join(' ')).toBe(1);
      expect(r.err).toContain(`${round1}, header, column IPRED: simulate writes a column of that name (IPRED, A1)`);
      expect(r.out).toBe('');
    }
    expect(readFileSync(round2, 'utf8')).toBe('kept\n');
  });

  it('matches the names case-insensitively, as the data reader does, A1..An of the model', async () => {
    const lower = join(dir, 'lower.csv');
    writeFileSync(lower, 'ID,TIME,EVID,AMT,CMT,DV,MDV,a1\n1,0,1,100,1,.,1,0\n1,2,0,0,1,.,0,0\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', lower]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${lower}, header, column a1:`);
    const ipred = join(dir, 'ipred.csv');
    writeFileSync(ipred, 'ID,TIME,EVID,AMT,CMT,DV,MDV,Ipred\n1,0,1,100,1,.,1,0\n1,2,0,0,1,.,0,0\n');
    expect((await cli(['simulate', '--model', '1cmt-iv', '--data', ipred, '--json'])).err).toContain(`${ipred}, header, column Ipred:`);
    // A2 is not written for a one-compartment model: a data item of that name stays an input column
    const a2 = join(dir, 'a2.csv');
    writeFileSync(a2, 'ID,TIME,EVID,AMT,CMT,DV,MDV,A2\n1,0,1,100,1,.,1,7\n1,2,0,0,1,.,0,7\n');
    const ok = await cli(['simulate', '--model', '1cmt-iv', '--data', a2]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out.split('\n')[0]).toBe('ID,TIME,EVID,AMT,CMT,DV,MDV,A2,IPRED,A1');
  });
});
