// A calculator's refusal of a value computed from a resampled row named "model covariates.CRCL.derived:
// virtual subject 2: crcl_cg(0.7, 15, 50, 1): … ageYears: must be ≥ 18", naming neither the covariate
// file (there is no model file of that name) nor the table row the subject drew. Now both.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-resampled-row-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, value: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

it('crcl_cg refusing AGE 15 of goti_tab5.csv row 3 names the covariate file, the table and its row', async () => {
  write('goti_tab5.csv', 'AGE,SEX,WT,SCR\n60,1,70,1.0\n45,0,60,0.8\n15,1,50,0.7\n');
  const cov = write('gcov_goti_tab5.json', { covariates: { T: { resample: 'goti_tab5.csv' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' }, DIAL: { derived: '0' } } });
  const reg = write('reg.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1 }], observe: [{ times: [12] }] });
  const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', cov, '--regimen', reg, '--n', '30', '--seed', '1', '--metric', 'conc@12', '--no-progress', '--workers', '0']);
  expect(r.code).toBe(1);
  expect(r.err).not.toMatch(/model covariates\.CRCL/);
  expect(r.err).toMatch(
    /gcov_goti_tab5\.json, covariates\.CRCL\.derived: virtual subject \d+, drawing row 3 of goti_tab5\.csv \(resampled by covariates\.T: AGE 15, SEX 1, WT 50, SCR 0\.7\): crcl_cg\(0\.7, 15, 50, 1\): .*ageYears/,
  );
});
