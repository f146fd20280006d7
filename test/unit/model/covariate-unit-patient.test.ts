// The child rule (a creatinine above 5 mg/dL or a weight above 300 kg beside a PMA under 60 weeks
// is a value in another unit) judged on each patient's full set of values, wherever they come from.
// It was applied only where both values sat in --set or on one data row:
// - nomogram, Colin 2019 q8h, PMA 30 fixed, WT 450 and 650 (grams) on the grid: 743 and 979 mg for
//   4.18 and 5.50 mg; --grid SCR=8 at PMA 34 (mg/L): 0.15 mg without a word; nomogram() alike;
// - simulate/estimate with SCR 8 or WT 650 as an override on a data set of 30-week infants ran
//   (estimate: CL 5.1e-4 L/h where the charted SCR gives ~0.091).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';

const colin = defineModel(JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')) as never);
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-patient-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

// a 30-week infant of 1.2 kg, SCR 0.9 mg/dL, 18 mg q8h with two levels
const NEO = ['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR', '1,0,1,18,18,.,1,1.2,30,0.9', '1,8,1,18,18,.,1,1.2,30,0.9', '1,10,0,.,.,30.1,0,1.2,30,0.9', '1,16,0,.,.,17.5,0,1.2,30,0.9'];
const neo = readNmtran(NEO.join('\n')).records;
const neoCsv = write('neo.csv', NEO.join('\n') + '\n');
const nomo = (grid: { name: string; values: number[] }[], fixed: Record<string, number>) => nomogram(colin, { target: { metric: 'auc24', value: 500 }, intervals: [8], infusion: 1, grid, fixed });

describe('nomogram: a grid value judged with the fixed values of its cell', () => {
  it('nomogram(): WT 650 on the grid at fixed PMA 30 is refused, naming the cell; WT 0.65 gives 5.50 mg', () => {
    expect(() => nomo([{ name: 'WT', values: [0.65, 650] }], { PMA: 30, SCR: 0.8 })).toThrow(/^grid WT=650 \(cell PMA=30, SCR=0\.8, WT=650\): WT of model vancomycin_colin_2019 is in kg: a body weight above 300 kg with PMA 30 weeks \(a neonate or child\)/);
    // AUC24 = 3·dose/CL at q8h: dose = 500·CL/3, CL = 0.0330234368276399 L/h (Colin 2019 at WT 0.65,
    // PMA 30, SCR 0.8; an independent script's colin()) = 5.503906 mg
    expect(nomo([{ name: 'WT', values: [0.65] }], { PMA: 30, SCR: 0.8 }).cells[0]?.computed).toBeCloseTo(5.503906137939983, 3);
  });

  it('nomogram(): PMA on the grid refuses a fixed SCR 8 (fixed.SCR)', () => {
    expect(() => nomo([{ name: 'PMA', values: [34, 2000] }], { WT: 2, SCR: 8 })).toThrow(/^fixed SCR=8 \(cell WT=2, SCR=8, PMA=34\): .*above 5 mg\/dL with PMA 34 weeks/);
  });

  it('CLI: --grid SCR=0.8,4,6,8 with --set PMA=34 --set WT=2 is refused at SCR 6 (printed 0.53 mg, exit 0)', async () => {
    const r = await cli(['nomogram', '--model', 'vancomycin_colin_2019', '--target', 'auc24=500', '--interval', '8', '--infusion', '1', '--grid', 'SCR=0.8,4,6,8', '--set', 'PMA=34', '--set', 'WT=2']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--grid SCR=6 \(with PMA=34, WT=2\): SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine above 5 mg\/dL with PMA 34 weeks/);
    expect(r.out).toBe('');
  });

  it('CLI: --grid WT=0.45,0.65,450,650 with --set PMA=30 is refused at WT 450, not only warned', async () => {
    const r = await cli(['nomogram', '--model', 'vancomycin_colin_2019', '--target', 'auc24=500', '--interval', '8', '--infusion', '1', '--grid', 'WT=0.45,0.65,450,650', '--set', 'PMA=30', '--set', 'SCR=0.8']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--grid WT=450 \(with PMA=30, SCR=0\.8\): .*above 300 kg with PMA 30 weeks/);
    expect(r.err).not.toMatch(/W_WEIGHT_UNIT/);
  });

  it('adults keep the warning only: WT 450 at PMA 2000 weeks runs', async () => {
    const r = await cli(['nomogram', '--model', 'vancomycin_colin_2019', '--target', 'auc24=500', '--interval', '8', '--infusion', '1', '--grid', 'WT=70,450', '--set', 'PMA=2000', '--set', 'SCR=0.8', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/W_WEIGHT_UNIT/);
  });
});

describe('an override judged on every record with the record\'s other values', () => {
  it('simulate(): overrides SCR 8 on 30-week rows is refused as overrides.SCR, naming the row; WT 650 too', () => {
    expect(() => simulate(colin, neo, { file: 'neo.csv', overrides: { SCR: 8 } })).toThrow(/parameter overrides\.SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine above 5 mg\/dL with PMA 30 weeks.*neo\.csv, row 1's\)/);
    expect(() => simulate(colin, neo, { file: 'neo.csv', overrides: { WT: 650 } })).toThrow(/overrides\.WT: .*above 300 kg with PMA 30 weeks/);
    // the charted SCR 0.9 and an override of 4 mg/dL still run
    expect(() => simulate(colin, neo, { overrides: { SCR: 4 } })).not.toThrow();
  });

  it('simulate(): an override of PMA makes the rows\' own SCR 8 a child\'s: refused by the row', () => {
    const adultScr8 = readNmtran(NEO.map((l, i) => (i === 0 ? l : l.replace(/,1\.2,30,0\.9$/, ',70,2000,8'))).join('\n')).records;
    expect(() => simulate(colin, adultScr8, { file: 'a.csv' })).not.toThrow();
    expect(() => simulate(colin, adultScr8, { file: 'a.csv', overrides: { PMA: 30 } })).toThrow(/a\.csv, row 1, column SCR: .*above 5 mg\/dL with PMA 30 weeks/);
  });

  it('estimate(): overrides SCR 8 refused (converged to CL 5.1e-4 L/h before)', () => {
    expect(() => estimate(colin, neo, { overrides: { SCR: 8 } })).toThrow(/overrides\.SCR: .*PMA 30 weeks/);
  });

  it('CLI: simulate and estimate --param SCR=8 / WT=650 refused by option (exit 0 before)', async () => {
    const s = await cli(['simulate', '--model', 'vancomycin_colin_2019', '--data', neoCsv, '--param', 'SCR=8', '--out', join(tmp, 'o.csv')]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/--param SCR=8: .*PMA 30 weeks.*\(it replaces .*neo\.csv, row 1's SCR 0\.9\)/);
    const e = await cli(['estimate', '--model', 'vancomycin_colin_2019', '--data', neoCsv, '--param', 'WT=650', '--workers', '0']);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/--param WT=650: .*above 300 kg with PMA 30 weeks/);
  });
});
