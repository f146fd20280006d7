// A --param naming a parameter that a data column also gives replaces the column on every record
// (README: --param replaces the data's values), yet simulate still warned "column CL replaces the
// model's parameter CL on every record that gives it", false for that run
// (simulate --model 1cmt-iv --param CL=5 --data blank-cl.csv). Now the column is said
// not to be read, naming --param; without --param the warning is unchanged.
// 1cmt-iv, 500 mg bolus, V 50: CL 5 gives 10·e^(−0.1·6) = 5.488116361 at 6 h (CL 0.5: 9.417645336).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-param-col-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = join(tmp, 'cl.csv');
writeFileSync(data, 'ID,TIME,EVID,AMT,DV,CL\n1,0,1,500,.,0.5\n1,6,0,.,.,0.5\n');

describe('--param over a parameter column', () => {
  it('simulate: no "column CL replaces the model\'s parameter" warning; the column is said not to be read', async () => {
    const r = await cli(['simulate', '--model', '1cmt-iv', '--param', 'V=50', '--param', 'CL=5', '--data', data, '--json']);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as { IPRED: number }[];
    expect(rows[1]?.IPRED).toBeCloseTo(10 * Math.exp(-0.6), 9);
    expect(r.err).not.toMatch(/column CL replaces the model's parameter CL/);
    expect(r.err).toMatch(/cl\.csv: column CL is not read: --param CL=5 sets the model's parameter CL on every record/);
  });
  it('simulate without --param CL: the column replaces the parameter, and says so', async () => {
    const r = await cli(['simulate', '--model', '1cmt-iv', '--param', 'V=50', '--data', data, '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { IPRED: number }[])[1]?.IPRED).toBeCloseTo(10 * Math.exp(-0.06), 9);
    expect(r.err).toMatch(/column CL replaces the model's parameter CL on every record that gives it/);
  });
});
