// The 0/1 flag rule of src/model/covariate-flags.ts, shared by the browser tool's covariate fields
// (src/web/case.ts) and the command line's --set / --grid / --param (src/cli/args.ts).

import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { declaredCovariateUnit, flagValueProblem, isFlagUnit } from '../../src/model/covariate-flags.js';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { covariateProblem } from '../../src/web/case.js';
import { checkModelNames } from '../../src/cli/args.js';
import { cli } from './cli/run-cli.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));

describe('0/1 flag covariates', () => {
  it('a unit "0/1" (spaces around allowed) marks a flag; a flag takes 0 or 1 only', () => {
    expect(isFlagUnit('0/1')).toBe(true);
    expect(isFlagUnit(' 0/1 ')).toBe(true);
    for (const u of ['kg', '', '1..5', undefined]) expect(isFlagUnit(u)).toBe(false);
    expect(flagValueProblem('0/1', 0)).toBeUndefined();
    expect(flagValueProblem('0/1', 1)).toBeUndefined();
    for (const v of [2, 0.5, -1, NaN]) expect(flagValueProblem('0/1', v)).toBe('must be 0 or 1');
    expect(flagValueProblem('kg', 2)).toBeUndefined();
    expect(flagValueProblem(undefined, 2)).toBeUndefined();
  });

  it("reads the unit a model file declares; a built-in structure or an undeclared name has none", () => {
    expect(declaredCovariateUnit(goti, 'DIAL')).toBe('0/1');
    expect(declaredCovariateUnit(goti, 'WT')).toBe('kg');
    expect(declaredCovariateUnit(goti, 'CL')).toBeUndefined();
    expect(declaredCovariateUnit(goti, 'constructor')).toBeUndefined();
    expect(declaredCovariateUnit(builtinModel('1cmt-iv'), 'CL')).toBeUndefined();
  });

  it('the browser tool and the command line refuse the same values', () => {
    for (const v of [0, 1, 2, 0.5]) {
      const web = covariateProblem('DIAL', '0/1', v);
      let cli: string | undefined;
      try {
        checkModelNames(goti, { DIAL: v }, 'set');
      } catch (e) {
        cli = (e as Error).message;
      }
      expect(cli === undefined).toBe(web === undefined);
    }
    expect(() => checkModelNames(goti, { DIAL: 2 }, 'param')).toThrow('--param DIAL=2: DIAL is a 0/1 flag of model vancomycin_goti_2018 (unit "0/1"): must be 0 or 1');
    expect(() => checkModelNames(goti, { WT: 2 }, 'set')).not.toThrow();
  });
});

describe('0/1 flag covariates sampled in a population', () => {
  it('a categorical [0, 2] for DIAL is refused at the first subject drawn outside 0/1; [0, 1] runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-flags-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const base = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
    const run = (values: number[]) => {
      const f = join(dir, `cov-${values.join('-')}.json`);
      writeFileSync(f, JSON.stringify({ ...base, covariates: { ...base.covariates, DIAL: { dist: 'categorical', values, p: [0.5, 0.5] } } }));
      return cli(['population', '--model', 'vancomycin_goti_2018', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--covariates', f, '--n', '50', '--workers', '0', '--no-progress']);
    };
    const bad = await run([0, 2]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/covariates\.DIAL.*virtual subject \d+: DIAL = 2, but model vancomycin_goti_2018 declares DIAL a 0\/1 flag/);
    expect((await run([0, 1])).code).toBe(0);
  });
});

describe('0/1 flag covariates in a data set', () => {
  it('a record with DIAL 2 is refused by simulate and estimate, naming row and value; 0 and 1 run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-flag-data-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const data = (dial: number): string => {
      const f = join(dir, `d${dial}.csv`);
      writeFileSync(f, `ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,0,1,1000,1000,.,1,70,80,${dial}\n1,11.5,0,.,.,12,0,70,80,${dial}\n`);
      return f;
    };
    for (const cmd of ['simulate', 'estimate']) {
      const bad = await cli([cmd, '--model', 'vancomycin_goti_2018', '--data', data(2)]);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/d2\.csv, row 1, column DIAL: DIAL is a 0\/1 flag of model vancomycin_goti_2018 \(unit "0\/1"\): 0 or 1 \(got 2\)/);
      expect((await cli([cmd, '--model', 'vancomycin_goti_2018', '--data', data(1)])).code).toBe(0);
    }
  });
});

describe('a serum creatinine in the other unit than the model declares', () => {
  // SCR 80 (µmol/L) typed into Colin 2019, which reads SCR in mg/dL: FSCR = exp(−0.649·(80 − 0.83))
  // ≈ 5e-23, no elimination, a 12-h level of 13.88 for 5.48 — exit 0 before
  const colin = defineModel(JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')));
  it('is refused in a data set, naming the row, the covariate, both units and the value converted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-scr-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const f = join(dir, 'scr.csv');
    writeFileSync(f, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,1000,1000,.,1,70,1860,0.9\n1,12,0,.,.,.,0,70,1860,0.9\n2,0,1,1000,1000,.,1,70,1860,80\n2,12,0,.,.,.,0,70,1860,80\n');
    const r = await cli(['simulate', '--model', 'vancomycin_colin_2019', '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/row 3, column SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine in mg\/dL is at most 40 \(a value in µmol\/L\?\) \(got 80\)/);
    // the typical patient's 0.9 and a renal failure's 12 mg/dL run
    writeFileSync(f, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,1000,1000,.,1,70,1860,0.9\n1,12,0,.,.,.,0,70,1860,12\n');
    expect((await cli(['simulate', '--model', 'vancomycin_colin_2019', '--data', f])).code).toBe(0);
  });
  it('is refused in --set, and a covariate that is not a creatinine is not checked as one', () => {
    expect(() => checkModelNames(colin, { SCR: 80 }, 'set')).toThrow(/--set SCR=80: SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine in mg\/dL is at most 40/);
    expect(() => checkModelNames(colin, { SCR: 1.2, PMA: 3000 }, 'set')).not.toThrow();
    // a weight in grams is a body weight's refusal, not a creatinine's
    expect(() => checkModelNames(colin, { SCR: 1.2, WT: 3000 }, 'set')).toThrow(/--set WT=3000: .*a body weight in kg is at most 700 \(a value in g\?\)/);
  });
});

describe('a height in the other unit than the model declares', () => {
  // tacrolimus (Størset 2014) reads HT in m: 175 made the fat-free mass 104.1 kg for a 75-kg man and
  // CL 1226 L/h for 791; busulfan (McCune 2014) reads cm: 1.35 made it 0.007 kg — both exit 0 before
  const tac = defineModel(JSON.parse(readFileSync('models/tacrolimus_storset_2014.json', 'utf8')));
  const bus = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')));
  it('is refused in --set and in records, naming the unit declared and the other one', () => {
    expect(() => checkModelNames(tac, { HT: 175 }, 'set')).toThrow(/--set HT=175: HT of model .* is in m: a height in m is at most 3 \(a value in cm\?\)/);
    expect(() => checkModelNames(bus, { HT: 1.35 }, 'set')).toThrow(/--set HT=1\.35: HT of model .* is in cm: a height in cm is at least 20 \(a value in m\?\)/);
    expect(() => checkModelNames(tac, { HT: 1.75 }, 'set')).not.toThrow();
    expect(() => checkModelNames(bus, { HT: 135 }, 'set')).not.toThrow();
  });
  it('leaves other lengths and creatinines alone (a tumour length of 4 cm, BL, a urine creatinine of 120 mg/dL)', () => {
    const m = (covariates: Record<string, unknown>, expr: string) =>
      defineModel({ dosewise: 2, name: 'x', structure: '1cmt-iv', theta: { TVCL: 4 }, covariates, parameters: { CL: expr, V: 30 } });
    expect(() => checkModelNames(m({ TL: { unit: 'cm', description: 'baseline tumour length (sum of longest diameters)' } }, 'TVCL * (TL/4)^0.1'), { TL: 4 }, 'set')).not.toThrow();
    expect(() => checkModelNames(m({ BL: { unit: 'cm', description: 'baseline tumour size' } }, 'TVCL * (BL/4)^0.1'), { BL: 4 }, 'set')).not.toThrow();
    expect(() => checkModelNames(m({ UCR: { unit: 'mg/dL', description: 'urine creatinine' } }, 'TVCL * (UCR/100)^0.1'), { UCR: 120 }, 'set')).not.toThrow();
    // an infant's recumbent length is a height
    expect(() => checkModelNames(m({ LEN: { unit: 'cm', description: 'recumbent length' } }, 'TVCL * (LEN/50)^0.1'), { LEN: 0.5 }, 'set')).toThrow(/a height in cm is at least 20/);
  });
});
