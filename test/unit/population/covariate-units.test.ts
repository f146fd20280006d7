// A covariate file's unit against the model file's unit for the same covariate. Nothing compared
// them: examples/design-vancomycin-covariates.json (CRCL in mL/min) run with vancomycin_buelga_2005
// (CRCL in L/h) gave every subject a CL 16.667 times too high (AUC24 median 22.76 for 379.7), and
// a height in cm read by tacrolimus_storset_2014 (HT in m) likewise, both exiting 0. Refused now,
// naming the covariate, both units, both files and the factor; never converted.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { compareUnits } from '../../../src/model/units.js';
import { refuseCovariateUnitMismatch } from '../../../src/population/covariates/index.js';
import { defineModel } from '../../../src/model/model.js';
import { DosewiseError } from '../../../src/errors.js';
import { pta } from '../../../src/design/pta/pta.js';
import { readRegimen } from '../../../src/regimen/file.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-covunits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vancoCov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, Record<string, unknown>> };
const modelJson = (name: string): unknown => JSON.parse(readFileSync(`models/${name}.json`, 'utf8'));
const regimen = 'examples/design-vancomycin-q12h-1000.json';
const write = (name: string, spec: unknown): string => {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify(spec));
  return f;
};
/** The vancomycin covariates with CRCL given in another unit. */
const crclIn = (unit: string, factor = 1): unknown => ({
  ...vancoCov,
  covariates: { ...vancoCov.covariates, CRCL: { ...vancoCov.covariates.CRCL, derived: `${String(vancoCov.covariates.CRCL?.derived)} * ${factor}`, unit } },
});
const run = (model: string, cov: string, extra: string[] = []) =>
  cli(['population', '--model', model, '--covariates', cov, '--regimen', regimen, '--n', '200', '--seed', '1', '--metric', 'auc24', '--workers', '0', '--no-progress', ...extra]);

describe('compareUnits', () => {
  it('one unit however written', () => {
    // capitals, Greek mu for the micro sign, words, superscript exponents and the dimensionless
    // spellings of a flag were refused as other units ("Years" against "y" while "years" passed)
    for (const [a, b] of [['L/h', 'L/hour'], ['L/h', 'l/h'], ['L/h', 'L h-1'], ['mL/min', 'ml/min'], ['years', 'y'], ['kg', 'kg'], ['m2', 'm²'], ['0/1', '0 / 1'], ['mL/min/1.73 m²', 'mL/min/1.73m2'], ['Years', 'y'], ['year', 'YEARS'], ['μmol/L', 'µmol/L'], ['umol/L', 'micromol/L'], ['kilogram', 'kg'], ['d', 'Days'], ['wk', 'Weeks'], ['mL·min⁻¹', 'mL/min'], ['kg·m⁻²', 'kg/m²'], ['0/1', '-'], ['0/1', '1']])
      expect(compareUnits(a as string, b as string), `${a} ${b}`).toEqual({ same: true });
  });
  it('the factor between units of one dimension, none between dimensions or unknown units', () => {
    expect(compareUnits('mL/min', 'L/h')).toEqual({ same: false, factor: 0.06 });
    expect(compareUnits('L/h', 'mL/min').factor).toBeCloseTo(1 / 0.06, 9);
    expect(compareUnits('cm', 'm')).toEqual({ same: false, factor: 0.01 });
    expect(compareUnits('g', 'kg')).toEqual({ same: false, factor: 0.001 });
    expect(compareUnits('years', 'weeks').factor).toBeCloseTo(8766 / 168, 9);
    expect(compareUnits('mg/dL', 'umol/L')).toEqual({ same: false });
    expect(compareUnits('kg', 'm')).toEqual({ same: false });
    expect(compareUnits('mmHg', 'kPa')).toEqual({ same: false });
    expect(compareUnits('ML/MIN', 'L/h')).toEqual({ same: false, factor: 0.06 });
  });
});

describe('a covariate unit that differs from the model file\'s', () => {
  it('population: CRCL in mL/min against Buelga 2005 (L/h) is refused, naming both files, both units and the factor', async () => {
    const r = await cli(['population', '--model', 'vancomycin_buelga_2005', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimen', regimen, '--n', '20000', '--seed', '1', '--metric', 'auc24', '--metric', 'trough', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('examples/design-vancomycin-covariates.json, covariates.CRCL.unit: CRCL is in mL/min here, but model vancomycin_buelga_2005 (models/vancomycin_buelga_2005.json, covariates.CRCL.unit) reads CRCL in L/h');
    expect(r.err).toContain('1 mL/min = 0.06 L/h');
    expect(r.err).toContain('16.6667 times too high');
    expect(r.err).toMatch(/dosewise does not convert covariates/);
  });

  it('pta and band are refused alike', async () => {
    const p = await cli(['pta', '--model', 'vancomycin_buelga_2005', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', regimen, '--target', 'auc24:400:600', '--strata', 'CRCL:3.6', '--n', '50', '--workers', '0', '--no-progress']);
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/design-vancomycin-covariates\.json, covariates\.CRCL\.unit: CRCL is in mL\/min here, .*reads CRCL in L\/h/);
    const b = await cli(['band', '--model', 'vancomycin_buelga_2005', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimen', regimen, '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '500,1000', '--n', '50', '--workers', '0', '--no-progress']);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/covariates\.CRCL\.unit: CRCL is in mL\/min here, .*reads CRCL in L\/h/);
  });

  it('a height in cm against tacrolimus_storset_2014 (HT in m): factor 0.01', async () => {
    const cov = write('ht-cm.json', {
      covariates: {
        WT: { dist: 'normal', mean: 70, sd: 10, lower: 40, upper: 120, unit: 'kg' },
        HT: { dist: 'normal', mean: 172, sd: 9, lower: 140, upper: 200, unit: 'cm' },
        FEMALE: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], unit: '0/1' },
      },
    });
    const r = await run('tacrolimus_storset_2014', cov);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ht-cm\.json, covariates\.HT\.unit: HT is in cm here, but model tacrolimus_storset_2014 \(.*tacrolimus_storset_2014\.json, covariates\.HT\.unit\) reads HT in m: 1 cm = 0\.01 m, so every subject's HT would be read 100 times too high/);
  });

  it('the API (no file names) refuses too, naming the fields; the same unit written otherwise runs', async () => {
    const buelga = defineModel(modelJson('vancomycin_buelga_2005'));
    let e: unknown;
    try {
      refuseCovariateUnitMismatch(vancoCov, buelga);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(DosewiseError);
    expect((e as DosewiseError).code).toBe('E_MODEL');
    expect((e as DosewiseError).place.path).toBe('covariates.CRCL.unit');
    expect((e as Error).message).toMatch(/^model covariates\.CRCL\.unit: the covariate specification gives CRCL in mL\/min, but model vancomycin_buelga_2005 \(its covariates\.CRCL\.unit\) reads CRCL in L\/h: 1 mL\/min = 0\.06 L\/h/);
    const records = readRegimen(readFileSync(regimen, 'utf8'), regimen);
    await expect(pta({ model: modelJson('vancomycin_buelga_2005'), regimens: [{ name: 'q12h', records }], target: 'auc24:400:600', covariates: vancoCov, n: 20, seed: 1, workers: 0 })).rejects.toThrow(/covariates\.CRCL\.unit: the covariate specification gives CRCL in mL\/min/);
    // a unit dosewise cannot convert: no factor, still refused
    expect(() => refuseCovariateUnitMismatch({ covariates: { WT: { dist: 'normal', mean: 70, sd: 5, unit: 'stone' } } }, buelga)).toThrow(/WT in stone, but model vancomycin_buelga_2005 .* reads WT in kg, a unit of another kind or one dosewise cannot convert/);
    // pounds are read as a mass: refused with the factor
    expect(() => refuseCovariateUnitMismatch({ covariates: { WT: { dist: 'normal', mean: 70, sd: 5, unit: 'lb' } } }, buelga)).toThrow(/WT in lb, but model vancomycin_buelga_2005 .* reads WT in kg: 1 lb = 0\.45359237 kg/);
    // spelling only: accepted
    for (const unit of ['L/hour', 'l/h', 'L h-1']) expect(() => refuseCovariateUnitMismatch(crclIn(unit, 0.06), buelga), unit).not.toThrow();
    // a covariate only one side gives a unit for is not compared
    expect(() => refuseCovariateUnitMismatch({ covariates: { CRCL: { dist: 'normal', mean: 6, sd: 1 } } }, buelga)).not.toThrow();
  });

  it("a derived covariate without a unit is in its function's unit (crcl_cg: mL/min), refused against L/h", () => {
    const buelga = defineModel(modelJson('vancomycin_buelga_2005'));
    const derived = (expr: string, unit?: string) => ({
      covariates: {
        AGE: { dist: 'normal', mean: 58, sd: 17, lower: 18, upper: 95, unit: 'years' },
        SEX: { dist: 'categorical', values: [0, 1], p: [0.45, 0.55] },
        WT: { dist: 'normal', mean: 78, sd: 10, lower: 40, upper: 200, unit: 'kg' },
        SCR: { dist: 'normal', mean: 1, sd: 0.2, lower: 0.3, upper: 8, unit: 'mg/dL' },
        CRCL: { derived: expr, ...(unit ? { unit } : {}) },
      },
    });
    // it read crcl_cg's mL/min as L/h: every clearance 16.7 times too high
    expect(() => refuseCovariateUnitMismatch(derived('crcl_cg(SCR, AGE, WT, SEX)'), buelga)).toThrow(/CRCL = crcl_cg\(SCR, AGE, WT, SEX\) is in mL\/min, but model vancomycin_buelga_2005 .* reads CRCL in L\/h: 1 mL\/min = 0\.06 L\/h/);
    // an expression around the call has no known unit (give one); a unit given is the one compared
    expect(() => refuseCovariateUnitMismatch(derived('0.06 * crcl_cg(SCR, AGE, WT, SEX)'), buelga)).not.toThrow();
    expect(() => refuseCovariateUnitMismatch(derived('0.06 * crcl_cg(SCR, AGE, WT, SEX)', 'L/h'), buelga)).not.toThrow();
    expect(() => refuseCovariateUnitMismatch(derived('min(crcl_cg(SCR, AGE, WT, SEX), 150)', 'mL/min'), buelga)).toThrow(/the covariate specification gives CRCL in mL\/min,/);
  });

  it('CRCL given in L/h (the mL/min values × 0.06) runs on Buelga 2005, at the AUC24 its CL gives', async () => {
    const cov = write('crcl-lh.json', crclIn('L/hour', 0.06));
    const r = await run('vancomycin_buelga_2005', cov, ['--json']);
    expect(r.code, r.err).toBe(0);
    const p50 = (JSON.parse(r.out) as { metrics: { name: string; report: { p50: number } }[] }).metrics.find((m) => m.name === 'auc24')?.report.p50 as number;
    // 2000 mg/day over CL = 1.08 × CRCL[L/h]: hundreds, not the 22.76 of CRCL read in mL/min
    expect(p50).toBeGreaterThan(250);
    expect(p50).toBeLessThan(600);
  });
});
