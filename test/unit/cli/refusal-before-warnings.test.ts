// A refused data set prints its refusal alone: CMT 2 with a one-compartment model printed
// "2 levels with CMT 2 predict the amount…" (and the CL column's warning) before the fatal
// "row 1, column CMT: … NONMEM's output compartment", warnings about a run that never happened.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { amountObservationWarnings } from '../../../src/engine/amount-observations.js';
import { builtinModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-refusal-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('simulate: the data set refused before any of its warnings', () => {
  it('CMT 2 in 1cmt-iv: the refusal of row 1 alone, no warning printed (y3.csv)', async () => {
    const data = file('y3.csv', 'ID,TIME,EVID,AMT,CMT,II,SS,CL\n1,0,1,100,2,12,1,1.1\n1,6,0,0,2,0,0,2.2\n1,12,0,0,2,0,0,2.2\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/warning/);
    expect(r.err).toMatch(/^dosewise: .*y3\.csv, row 1, column CMT: the model has 1 compartment; CMT 2 would be NONMEM's output compartment, which takes no dose \(got 2\)\n$/);
  });
  it('a run that happens still warns (the CL column), once', async () => {
    const data = file('ok.csv', 'ID,TIME,EVID,AMT,CMT,II,SS,CL\n1,0,1,100,1,12,1,1.1\n1,6,0,0,1,0,0,2.2\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.code).toBe(0);
    expect(r.err.match(/warning: .*column CL replaces the model's parameter CL/g)).toHaveLength(1);
  });
  it('levels of a compartment beyond the model are not warned of as amounts (they are refused where run)', () => {
    const recs = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,6,0,.,2,3,0\n1,12,0,.,2,2,0\n').records;
    expect(amountObservationWarnings(builtinModel('1cmt-iv', { CL: 1, V: 10 }), recs)).toEqual([]);
  });
});
