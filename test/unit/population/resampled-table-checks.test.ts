// A resampling table's values judged as a data set's are, once, where the study is planned: a
// table's WT 72000 (grams) ran Goti 2018 with V 63,652 L, and SCR 80 (µmol/L) ran Colin 2019 to an
// AUC24 of 1.8e25, both exit 0, where the same cells in a data set are refused ("SCR … is in mg/dL:
// … at most 40 (a value in µmol/L?)"). The limits are the data set's (covariate-flags.ts: SCR ≤ 40
// mg/dL, W_SCR_UNIT above 15, W_WEIGHT_UNIT above 300 kg; W_RENAL_UNIT from 0.1 to 5 mL/min).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-resampled-checks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, value: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};
const reg = write('reg.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1 }], observe: [{ times: [12] }] });
const population = (model: string, covariates: string, n = 6) =>
  cli(['population', '--model', model, '--covariates', covariates, '--regimen', reg, '--n', String(n), '--seed', '1', '--metric', 'conc@12', '--no-progress', '--workers', '0']);

describe('a resampling table is checked as a data set', () => {
  it('WT 72000 (grams) on row 3 of the table is refused, naming the table, row, column, value and the covariate file', async () => {
    write('gw_tab.csv', 'WT,CRCL\n70,80\n65,90\n72000,85\n');
    const cov = write('gw.json', { covariates: { T: { resample: 'gw_tab.csv' }, DIAL: { derived: '0' } } });
    const r = await population('vancomycin_goti_2018', cov);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/gw_tab\.csv, row 3, column WT: WT of model vancomycin_goti_2018 is in kg: a body weight in kg is at most \d+ \(a value in g(rams)?\??\)?.*covariates\.T of .*gw\.json.*\(got 72000\)/);
  });

  it('SCR 80 (µmol/L) on rows 10, 20, 30, 40 of a Colin table is refused at row 10', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i + 1},70,2500,${(i + 1) % 10 === 0 ? 80 : 0.9}`);
    write('colin_tab.csv', `ID,WT,PMA,SCR\n${rows.join('\n')}\n`);
    const cov = write('colin_cov.json', { covariates: { T: { resample: 'colin_tab.csv', columns: ['WT', 'PMA', 'SCR'] } } });
    const r = await population('vancomycin_colin_2019', cov, 20);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/colin_tab\.csv, row 10, column SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine in mg\/dL is at most 40 \(a value in µmol\/L\?\).*\(got 80\)/);
  });

  it('SCR 20 in an adult table is warned W_SCR_UNIT once, with the first row and how many more', async () => {
    write('colin_t20.csv', 'WT,PMA,SCR\n70,2500,0.9\n72,2600,20\n68,2400,22\n');
    const cov = write('colin_t20.json', { covariates: { T: { resample: 'colin_t20.csv' } } });
    const r = await population('vancomycin_colin_2019', cov);
    expect(r.code).toBe(0);
    const w = r.err.split('\n').filter((l) => l.includes('W_SCR_UNIT'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/colin_t20\.csv, row 2 \(and 1 more\), column SCR \(resampled by covariates\.T of .*colin_t20\.json\): W_SCR_UNIT: SCR 20 read as 20 mg\/dL/);
  });

  it('a Goti table with CRCL 1.5 (mL/s) warns W_RENAL_UNIT; a plain table is not warned', async () => {
    write('g_mls.csv', 'WT,CRCL\n70,1.5\n65,1.2\n');
    const r = await population('vancomycin_goti_2018', write('g_mls.json', { covariates: { T: { resample: 'g_mls.csv' }, DIAL: { derived: '0' } } }));
    expect(r.err).toMatch(/g_mls\.csv, row 1 \(and 1 more\), column CRCL .*W_RENAL_UNIT: CRCL 1\.5 read as 1\.5 mL\/min; if this is mL\/s, it is 90 mL\/min/);
    write('g_ok.csv', 'WT,CRCL\n70,80\n65,90\n');
    const ok = await population('vancomycin_goti_2018', write('g_ok.json', { covariates: { T: { resample: 'g_ok.csv' }, DIAL: { derived: '0' } } }));
    expect(ok.code).toBe(0);
    expect(ok.err).not.toMatch(/W_\w+_UNIT/);
  });

  it('SCR 35 read by crcl_cg (a calculator input in mg/dL) is warned W_SCR_UNIT as `calc` warns above 15 mg/dL', async () => {
    write('goti_tab.csv', 'AGE,SEX,WT,SCR\n60,1,70,1.0\n45,0,60,0.8\n70,1,80,35\n');
    const cov = write('gcov_goti_tab.json', { covariates: { T: { resample: 'goti_tab.csv' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' }, DIAL: { derived: '0' } } });
    const r = await population('vancomycin_goti_2018', cov, 10);
    expect(r.err).toMatch(/goti_tab\.csv, row 3, column SCR \(resampled by covariates\.T of .*gcov_goti_tab\.json\): W_SCR_UNIT: SCR 35 .*crcl_cg.*mg\/dL/);
  });
});
