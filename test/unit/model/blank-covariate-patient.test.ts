// A patient whose cells of a covariate column are all blank runs at the model's default, as a data
// set without the column does; the latter warned W_COVARIATE_DEFAULT and the former said nothing:
// goti_dial2.csv's ID 2 (DIAL "." on every row) ran off dialysis (IPRED 6.3067 at 12 h; 8.3850 at
// DIAL 1), exit 0. Now warned, naming the ID and the default.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-blank-patient-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('ID 2 with DIAL blank on every record: W_COVARIATE_DEFAULT naming ID 2 and the default 0; ID 1 (DIAL 1) alone is not warned', async () => {
  const data = join(tmp, 'goti_dial2.csv');
  writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,DIAL\n1,0,1,1000,1000,1,.,1,80,70,1\n1,12,0,0,0,1,.,0,80,70,1\n2,0,1,1000,1000,1,.,1,80,70,.\n2,12,0,0,0,1,.,0,80,70,.\n');
  const r = await cli(['simulate', '--model', 'vancomycin_goti_2018', '--data', data]);
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/W_COVARIATE_DEFAULT: .*DIAL is blank on every record of ID 2: set to its default 0/);
  const one = join(tmp, 'goti_dial1.csv');
  writeFileSync(one, 'ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,DIAL\n1,0,1,1000,1000,1,.,1,80,70,1\n1,12,0,0,0,1,.,0,80,70,1\n');
  const ok = await cli(['simulate', '--model', 'vancomycin_goti_2018', '--data', one]);
  expect(ok.err).not.toMatch(/W_COVARIATE_DEFAULT/);
});
