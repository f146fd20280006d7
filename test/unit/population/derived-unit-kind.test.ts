// A derived covariate without a unit of its own is in its clinical function's unit. Against a model
// unit of another kind it ran silently: WT = bsa_mosteller(HT, WTK) (m², about 1.9) read by Goti
// 2018 as WT in kg, CRCL = egfr_ckdepi2021(SCR, AGE, SEX) (mL/min/1.73 m²) read as CRCL in mL/min,
// while the same unit written out was refused. Refused alike now; left unchecked only when a unit
// cannot be read at all.

import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { compareUnits, isCovariateUnit } from '../../../src/model/units.js';
import { refuseCovariateUnitMismatch } from '../../../src/population/covariates/index.js';
import { defineModel } from '../../../src/model/model.js';
import { DosewiseError } from '../../../src/errors.js';
import { pta } from '../../../src/design/pta/pta.js';
import { readRegimen } from '../../../src/regimen/file.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-derived-kind-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const gotiJson = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as { covariates: Record<string, { unit?: string }> };
const goti = defineModel(gotiJson);
const regimen = 'examples/design-vancomycin-q12h-1000.json';

/** WT from height and weight by Mosteller, with or without a unit written. */
const bsaSpec = (unit?: string) => ({
  covariates: {
    HT: { dist: 'normal', mean: 170, sd: 10, lower: 140, upper: 200, unit: 'cm' },
    WTK: { dist: 'lognormal', median: 78, cv: 0.25, lower: 40, upper: 200, unit: 'kg' },
    WT: { derived: 'bsa_mosteller(HT, WTK)', ...(unit !== undefined ? { unit } : {}) },
    CRCL: { dist: 'lognormal', median: 90, cv: 0.3, unit: 'mL/min' },
  },
});
/** CRCL by CKD-EPI 2021, with or without a unit written. */
const egfrSpec = (unit?: string) => ({
  covariates: {
    AGE: { dist: 'normal', mean: 58, sd: 17, lower: 18, upper: 95, unit: 'years' },
    SEX: { dist: 'categorical', values: [0, 1], p: [0.45, 0.55] },
    WT: { dist: 'lognormal', median: 78, cv: 0.25, unit: 'kg' },
    SCR: { dist: 'lognormal', median: 0.95, sdlog: 0.4, lower: 0.3, upper: 8, unit: 'mg/dL' },
    CRCL: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)', ...(unit !== undefined ? { unit } : {}) },
  },
});

function refusal(spec: unknown, model = goti): DosewiseError {
  try {
    refuseCovariateUnitMismatch(spec, model);
  } catch (e) {
    if (e instanceof DosewiseError) return e;
    throw e;
  }
  throw new Error('not refused');
}
/** The message from ", but" on: what the model reads and the advice, the same whoever gave the unit. */
const tail = (e: Error): string => e.message.slice(e.message.indexOf(', but '));

describe('units of another kind, unknown units', () => {
  it("mL/min/1.73 m² is understood: volume/time per area, 1/1.73 of mL/min/m², another kind than mL/min", () => {
    for (const u of ['mL/min/1.73 m²', 'mL/min/1.73m2', 'm²', 'kg', 'mL/min', 'mg/24 h']) expect(isCovariateUnit(u), u).toBe(true);
    for (const u of ['stone', 'mmHg', 'mL/min/0 m²']) expect(isCovariateUnit(u), u).toBe(false);
    expect(compareUnits('mL/min/1.73 m²', 'mL/min/1.73m2')).toEqual({ same: true });
    expect(compareUnits('mL/min/1.73 m²', 'mL/min')).toEqual({ same: false });
    expect(compareUnits('m²', 'kg')).toEqual({ same: false });
    // 1 mL/min per 1.73 m² is 1/1.73 mL/min per m²; 1 mg per 24 h is 1/24 mg/h
    expect(compareUnits('mL/min/1.73 m²', 'mL/min/m²').factor).toBeCloseTo(1 / 1.73, 11);
    expect(compareUnits('mg/24 h', 'mg/h').factor).toBeCloseTo(1 / 24, 12);
    // a product written with a full stop stays one (L.h-1), a decimal point does not become one
    expect(compareUnits('L.h-1', 'L/h')).toEqual({ same: true });
  });
});

describe('a derived covariate in its function\'s unit, of another kind than the model\'s', () => {
  it('WT = bsa_mosteller(HT, WTK) (m²) against Goti 2018 (WT in kg): refused as the unit written out is', () => {
    const implied = refusal(bsaSpec());
    const written = refusal(bsaSpec('m²'));
    expect(implied.code).toBe('E_MODEL');
    expect(implied.place.path).toBe('covariates.WT.unit');
    expect(implied.message).toMatch(/^model covariates\.WT\.unit: in the covariate specification, WT = bsa_mosteller\(HT, WTK\) is in m², but model vancomycin_goti_2018 \(its covariates\.WT\.unit\) reads WT in kg, a unit of another kind or one dosewise cannot convert: give WT in kg/);
    expect(tail(implied)).toBe(tail(written));
    expect(written.place).toEqual(implied.place);
  });

  it('CRCL = egfr_ckdepi2021(SCR, AGE, SEX) (mL/min/1.73 m²) against mL/min: refused; in the same unit spelt otherwise it runs', () => {
    const implied = refusal(egfrSpec());
    expect(implied.message).toMatch(/CRCL = egfr_ckdepi2021\(SCR, AGE, SEX\) is in mL\/min\/1\.73 m², but model vancomycin_goti_2018 \(its covariates\.CRCL\.unit\) reads CRCL in mL\/min, a unit of another kind/);
    expect(tail(implied)).toBe(tail(refusal(egfrSpec('mL/min/1.73 m²'))));
    const perBsa = (unit: string) => defineModel({ ...gotiJson, covariates: { ...gotiJson.covariates, CRCL: { unit } } });
    expect(() => refuseCovariateUnitMismatch(egfrSpec(), perBsa('mL/min/1.73m2'))).not.toThrow();
    // one kind, another size: the factor 1/1.73, as for a unit written out
    expect(refusal(egfrSpec(), perBsa('mL/min/m²')).message).toMatch(/: 1 mL\/min\/1\.73 m² = 0\.578034682081 mL\/min\/m², so every subject's CRCL would be read 1\.73 times too high/);
  });

  it('a model unit dosewise cannot read is not compared with a function\'s unit', () => {
    const lb = defineModel({ ...gotiJson, covariates: { ...gotiJson.covariates, WT: { unit: 'stone' } } });
    expect(() => refuseCovariateUnitMismatch(bsaSpec(), lb)).not.toThrow();
    // written out, a unit that differs is refused as before
    expect(() => refuseCovariateUnitMismatch(bsaSpec('m²'), lb)).toThrow(/WT in m², but model vancomycin_goti_2018 .* reads WT in stone/);
  });

  it('population and pta (command and API) refuse it before simulating', async () => {
    const file = join(tmp, 'bsa.json');
    writeFileSync(file, JSON.stringify(bsaSpec()));
    const pop = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', file, '--regimen', regimen, '--n', '100', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(pop.code).toBe(1);
    expect(pop.out).toBe('');
    expect(pop.err).toContain(`${file}, covariates.WT.unit: WT = bsa_mosteller(HT, WTK) is in m², but model vancomycin_goti_2018 (models/vancomycin_goti_2018.json, covariates.WT.unit) reads WT in kg`);
    const p = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', file, '--regimens', regimen, '--target', 'auc24:400:600', '--n', '100', '--workers', '0', '--no-progress']);
    expect(p.code).toBe(1);
    expect(p.err).toContain('covariates.WT.unit: WT = bsa_mosteller(HT, WTK) is in m², but model vancomycin_goti_2018');
    const records = readRegimen(readFileSync(regimen, 'utf8'), regimen);
    await expect(pta({ model: gotiJson, regimens: [{ name: 'q12h', records }], target: 'auc24:400:600', covariates: egfrSpec(), n: 20, seed: 1, workers: 0 })).rejects.toThrow(
      /covariates\.CRCL\.unit: in the covariate specification, CRCL = egfr_ckdepi2021\(SCR, AGE, SEX\) is in mL\/min\/1\.73 m², but model vancomycin_goti_2018/,
    );
  }, 60_000);
});
