// An age in another unit than the model reads, told by the PMA floor and by the weight and height
// beside it (src/model/age-body.ts, src/clinical/growth-standards.ts). Before:
// - nomogram, Colin 2019, WT 3, SCR 0.5, q6h AUC24 500: PMA 2 (a postnatal age) gave 1,049,774 mg
//   (age-typical SCR 29.5 mg/dL) for 24.3 mg at PMA 40; WT 70 at PMA 35 (years) 327.5 mg q12h for
//   979.9 at PMA 1860; simulate and population the same, exit 0;
// - nomogram, Shukla 2020: AGE 6 for a 6-month-old of 7.5 kg, 67 cm gave 46.77 mg for 33.83 (+38 %).
// References: test/oracle/age_body_units.py (closed form) -> age-body-units.json.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { patientAgeWarning, patientHeightUnitWarning } from '../../../src/model/covariate-flags.js';
import { refuseCovariateUnitMismatch, typicalSubjectAgeWarnings } from '../../../src/population/covariates/units.js';
import { cli } from '../cli/run-cli.js';

const ref = JSON.parse(readFileSync('test/oracle/age-body-units.json', 'utf8')) as Record<string, { CL: number; dose_auc500?: number; dose_auc20000?: number }>;
const colin = defineModel(JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')) as never);
const shukla = defineModel(JSON.parse(readFileSync('models/busulfan_shukla_2020.json', 'utf8')) as never);
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-age-body-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const colinNomo = (tau: number, grid: { name: string; values: number[] }[], fixed: Record<string, number>) =>
  nomogram(colin, { target: { metric: 'auc24', value: 500 }, intervals: [tau], infusion: 1, grid, fixed });

describe('PMA below the youngest live birth is refused', () => {
  it('nomogram(): PMA 2 on the grid is refused, naming the cell and the postnatal reading; PMA 40 gives the closed form', () => {
    expect(() => colinNomo(6, [{ name: 'PMA', values: [2, 10, 40] }], { WT: 3, SCR: 0.5 })).toThrow(
      /^grid PMA=2 \(cell WT=3, SCR=0\.5, PMA=2\): PMA of model vancomycin_colin_2019 is in weeks: a postmenstrual age of 2 weeks is below 21 weeks, the youngest of a live-born infant .*2 weeks after a term birth is PMA 42 weeks/,
    );
    const r = colinNomo(6, [{ name: 'PMA', values: [40] }], { WT: 3, SCR: 0.5 });
    // 24.33121 mg (q6h, AUC24 500): 500 * CL * 6 / 24, CL 0.19465 L/h
    expect(r.cells[0]?.computed).toBeCloseTo(ref['colin_WT3_PMA40_SCR0.5_q6']?.dose_auc500 as number, 3);
    expect(r.warnings).toBeUndefined();
  });

  it('CLI nomogram --grid PMA=2,10,40 exits 2 naming --grid PMA=2 (printed 1,049,774 mg, exit 0)', async () => {
    const r = await cli(['nomogram', '--model', 'vancomycin_colin_2019', '--target', 'auc24=500', '--interval', '6', '--infusion', '1', '--grid', 'WT=3', '--grid', 'PMA=2,10,40', '--set', 'SCR=0.5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--grid PMA=2 \(with SCR=0\.5, WT=3\): PMA of model vancomycin_colin_2019 is in weeks: a postmenstrual age of 2 weeks is below 21 weeks/);
    expect(r.out).toBe('');
  });

  it('simulate() refuses a data row at PMA 10, naming row and column', () => {
    const recs = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,30,30,.,1,3,10,0.5\n1,6,0,.,.,.,0,3,10,0.5\n').records;
    expect(() => simulate(colin, recs, { file: 'neo.csv' })).toThrow(/neo\.csv.*row 1.*PMA.*below 21 weeks/);
  });

  it('population: PMA uniform(1, 6) is refused (median 3.5 weeks), and uniform(10, 40) for drawing 36.7 % below 21 weeks; uniform(21, 40) and normal(34, 3) run', () => {
    const spec = (pma: unknown) => ({ covariates: { PMA: pma, WT: { dist: 'lognormal', median: 3.4, cv: 0.1, unit: 'kg' }, SCR: { dist: 'lognormal', median: 0.5, cv: 0.2, unit: 'mg/dL' } } });
    expect(() => refuseCovariateUnitMismatch(spec({ dist: 'uniform', lower: 1, upper: 6, unit: 'weeks' }), colin, { covariatesFile: 'pma-bad.json' })).toThrow(
      /^pma-bad\.json, covariates\.PMA: PMA is sampled as uniform\(1, 6\), whose median is 3\.5, .*below 21 weeks/,
    );
    expect(() => refuseCovariateUnitMismatch(spec({ dist: 'uniform', lower: 10, upper: 40, unit: 'weeks' }), colin, { covariatesFile: 'p.json' })).toThrow(
      /^p\.json, covariates\.PMA: PMA is sampled as uniform\(10, 40\), .*: 36\.7 % of the subjects would be drawn below 21 weeks.*"lower": 21/,
    );
    expect(() => refuseCovariateUnitMismatch(spec({ dist: 'uniform', lower: 21, upper: 40, unit: 'weeks' }), colin)).not.toThrow();
    expect(() => refuseCovariateUnitMismatch(spec({ dist: 'normal', mean: 34, sd: 3, unit: 'weeks' }), colin)).not.toThrow();
  });

  it('CLI population with pma-bad.json exits non-zero naming the file and covariates.PMA', async () => {
    const cov = write('pma-bad.json', JSON.stringify({ covariates: { PMA: { dist: 'uniform', lower: 1, upper: 6, unit: 'weeks' }, WT: { dist: 'lognormal', median: 3.4, cv: 0.1, unit: 'kg' }, SCR: { dist: 'lognormal', median: 0.5, cv: 0.2, unit: 'mg/dL' } } }));
    const reg = write('reg.json', JSON.stringify({ doses: [{ time: 0, amt: 40, cmt: 1, dur: 1, ii: 6, ss: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }));
    const r = await cli(['population', '--model', 'vancomycin_colin_2019', '--covariates', cov, '--regimen', reg, '--n', '200', '--metric', 'auc24', '--no-progress']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/pma-bad\.json, covariates\.PMA: PMA is sampled as uniform\(1, 6\).*below 21 weeks/);
  });
});

describe('a weight or height no patient of the stated age has is warned (W_PMA_UNIT, W_AGE_UNIT)', () => {
  it('nomogram(): WT 70 at PMA 35 warns W_PMA_UNIT naming years; PMA 1860 gives the closed form 979.94 mg q12h', () => {
    const r = colinNomo(12, [{ name: 'PMA', values: [35, 1860] }], { WT: 70, SCR: 0.9 });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toMatch(/^cell WT=70, SCR=0\.9, PMA=35: W_PMA_UNIT: PMA 35 weeks with WT 70 kg \(0\.\d+–\d+\.?\d* kg\): .*PMA in years\? 35 years is PMA 1866 weeks, where WT 70 kg fits/);
    expect(r.cells[1]?.computed).toBeCloseTo(ref['colin_WT70_PMA1860_SCR0.9_q12']?.dose_auc500 as number, 2);
    // the mistyped cell still runs as typed (a warning), at the closed form's 327.53 mg
    expect(r.cells[0]?.computed).toBeCloseTo(ref['colin_WT70_PMA35_SCR0.9_q12']?.dose_auc500 as number, 2);
  });

  it('CLI nomogram --grid PMA=35,1860 --set WT=70 warns W_PMA_UNIT on stderr, exit 0', async () => {
    const r = await cli(['nomogram', '--model', 'vancomycin_colin_2019', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'PMA=35,1860', '--set', 'WT=70', '--set', 'SCR=0.9']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/dosewise: warning: cell WT=70, SCR=0\.9, PMA=35: W_PMA_UNIT: .*PMA in years\?/);
    expect(r.err.match(/W_PMA_UNIT/g)).toHaveLength(1);
  });

  it('simulate(): pma35.csv warns W_PMA_UNIT at row 1 (and 1 more), not for the 1860-week rows', () => {
    const recs = readNmtran(['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR', '1,0,1,1000,1000,.,1,70,35,0.9', '1,11.5,0,.,.,.,0,70,35,0.9', '2,0,1,1000,1000,.,1,70,1860,0.9', '2,11.5,0,.,.,.,0,70,1860,0.9'].join('\n')).records;
    const w = simulate(colin, recs, { file: 'pma35.csv' }).warnings.filter((x) => /W_PMA_UNIT/.test(x));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^pma35\.csv, row 1 \(and 1 more\): W_PMA_UNIT: PMA 35 weeks with WT 70 kg/);
  });

  it('nomogram(): Shukla AGE 6 with WT 7.5, HT 67 warns W_AGE_UNIT naming months; AGE 0.5 gives the closed form 33.83 mg', () => {
    const r = nomogram(shukla, { target: { metric: 'auc24', value: 20000 }, intervals: [24], infusion: 3, grid: [{ name: 'AGE', values: [0.5, 6] }], fixed: { WT: 7.5, HT: 67, SEX: 1, REGI: 0, TIME: 0 } });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toMatch(/W_AGE_UNIT: AGE 6 years with HT 67 cm \(\d+(\.\d+)?–\d+(\.\d+)? cm\): .*AGE in months\? 6 months is 0\.5 years, where WT 7\.5 kg and HT 67 cm fit/);
    expect(r.cells[0]?.computed).toBeCloseTo(ref['shukla_AGE0.5_WT7.5_HT67_SEX1']?.dose_auc20000 as number, 2);
    expect(r.cells[1]?.computed).toBeCloseTo(ref['shukla_AGE6_WT7.5_HT67_SEX1']?.dose_auc20000 as number, 2);
  });

  it('population: WT lognormal(median 70) beside PMA uniform(30, 40) warns W_PMA_UNIT at the typical subject', () => {
    const spec = { covariates: { PMA: { dist: 'uniform', lower: 30, upper: 40, unit: 'weeks' }, WT: { dist: 'lognormal', median: 70, cv: 0.2, unit: 'kg' }, SCR: { dist: 'lognormal', median: 0.9, cv: 0.2, unit: 'mg/dL' } } };
    const w = typicalSubjectAgeWarnings(spec, colin);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^the typical subject \(every distribution at its median: PMA 35, WT 70, SCR 0\.9\): W_PMA_UNIT: .*PMA in years\?/);
    expect(typicalSubjectAgeWarnings({ covariates: { ...spec.covariates, WT: { dist: 'lognormal', median: 2.2, cv: 0.2, unit: 'kg' } } }, colin)).toEqual([]);
  });

  it('real extreme patients pass: a 24-week-born infant of 0.55 kg, a super-obese adult, an adult with achondroplasia, a 10-year-old of 80 kg', () => {
    expect(patientAgeWarning(colin, { PMA: 24, WT: 0.55 })).toBeUndefined();
    // born at 23 weeks, 2 weeks old: postnatal age alone cannot say how preterm
    expect(patientAgeWarning(shukla, { AGE: 2 / 52, WT: 0.6, HT: 30 })).toBeUndefined();
    expect(patientAgeWarning(shukla, { AGE: 45, WT: 250, HT: 170 })).toBeUndefined();
    expect(patientAgeWarning(shukla, { AGE: 30, WT: 45, HT: 125 })).toBeUndefined();
    expect(patientAgeWarning(shukla, { AGE: 10, WT: 80, HT: 145 })).toBeUndefined();
    // a 30-week postnatal infant typed as PMA 30
    expect(patientAgeWarning(colin, { PMA: 30, WT: 8 })).toMatch(/A postnatal age in weeks\? 30 weeks after a term birth is PMA 70 weeks, where WT 8 kg fits/);
  });
});

describe('a height in inches is left to W_HEIGHT_UNIT', () => {
  it('an adult of 70 kg at HT 67 (inches) gets no W_AGE_UNIT; a 6-month-old typed as AGE 6 still does', () => {
    expect(patientAgeWarning(shukla, { AGE: 30, WT: 70, HT: 67 })).toBeUndefined();
    expect(patientAgeWarning(shukla, { AGE: 6, WT: 7.5, HT: 67 })).toMatch(/^W_AGE_UNIT: /);
  });
});

describe('a height in inches wins over an age reading (W_HEIGHT_UNIT, no W_AGE_UNIT)', () => {
  const mccune = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')) as never);
  // McCune busulfan, AGE 3, WT 14, HT 37 (BMI 102): W_AGE_UNIT said "AGE in months? 3 months is 0.25 years"
  // first, whose advice gave 27.1 mg; the height in cm (94) gives 58.7 mg
  it('AGE 3, WT 14, HT 37 and AGE 1, WT 10, HT 30 get W_HEIGHT_UNIT only', () => {
    for (const items of [{ AGE: 3, WT: 14, HT: 37, SEX: 1 }, { AGE: 1, WT: 10, HT: 30, SEX: 1 }]) {
      expect(patientAgeWarning(mccune, items)).toBeUndefined();
      expect(patientHeightUnitWarning(mccune, items)).toMatch(/^W_HEIGHT_UNIT: /);
    }
  });

  it('CLI nomogram on the McCune case prints W_HEIGHT_UNIT and no W_AGE_UNIT', async () => {
    const r = await cli(['nomogram', '--model', 'models/busulfan_mccune_2014.json', '--target', 'auc24=20000', '--interval', '24', '--infusion', '3', '--grid', 'WT=14', '--set', 'HT=37', '--set', 'AGE=3', '--set', 'SEX=1', '--set', 'TIME=72']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/W_HEIGHT_UNIT/);
    expect(r.err).not.toMatch(/W_AGE_UNIT/);
  });

  it('a reading must fit weight and height together: a 6-month-old typed as AGE 6 still names months', () => {
    expect(patientAgeWarning(shukla, { AGE: 6, WT: 7.5, HT: 67 })).toMatch(/AGE in months\? 6 months is 0\.5 years/);
  });
});

describe('real obese and wasted children pass (ENVELOPE: a quarter to five times the median weight from 2 years)', () => {
  const Y = 365.25 / 7;
  // each was warned at a third to three times the median, Colin 13 y / 140 kg as "PMA in years? 718.3 years"
  it('Colin: 13 y 140 kg, 10 y 100 kg, 8 y 80 kg, 17 y 200 kg, 12 y 12 kg, 10 y 10 kg get no W_PMA_UNIT', () => {
    for (const [years, wt] of [[13, 140], [10, 100], [8, 80], [17, 200], [12, 12], [10, 10]] as const) {
      expect(patientAgeWarning(colin, { PMA: 40 + years * Y, WT: wt, SCR: 0.5 }), `${years} y ${wt} kg`).toBeUndefined();
    }
  });

  it('Shukla: 14 y, 160 kg, 165 cm gets no W_AGE_UNIT', () => {
    expect(patientAgeWarning(shukla, { AGE: 14, WT: 160, HT: 165, SEX: 1 })).toBeUndefined();
  });

  it('a reading past 120 years is not offered: 13 y at 260 kg names no "718 years"', () => {
    const w = patientAgeWarning(colin, { PMA: 40 + 13 * Y, WT: 260, SCR: 0.5 });
    expect(w).toMatch(/^W_PMA_UNIT: /);
    expect(w).not.toMatch(/years is PMA/);
  });
});

describe('PMA floor at 21 weeks: the youngest documented survivors were born at 21 weeks 1-2 days', () => {
  // a live-born infant at PMA 21.3, 420 g, was refused under the 22-week floor
  it('simulate() runs PMA 21.3 / 21.4 at WT 0.42 without W_PMA_UNIT; PMA 20.9 is refused naming the row', () => {
    const recs = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,6,6,.,1,0.42,21.3,0.9\n1,12,0,.,.,.,0,0.42,21.4,0.9\n').records;
    const r = simulate(colin, recs, { file: 'pma21.csv' });
    expect(r.warnings.filter((w) => /W_PMA_UNIT/.test(w))).toEqual([]);
    const slip = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,6,6,.,1,0.42,20.9,0.9\n1,12,0,.,.,.,0,0.42,20.9,0.9\n').records;
    expect(() => simulate(colin, slip, { file: 'pma20.csv' })).toThrow(/pma20\.csv.*row 1.*PMA.*below 21 weeks/);
  });

  it('CLI estimate on a PMA 21.3 infant of 420 g exits 0', async () => {
    const data = write('pma21.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,6,6,.,1,0.42,21.3,0.9\n1,12,0,.,.,10,0,0.42,21.4,0.9\n');
    const r = await cli(['estimate', '--model', 'models/vancomycin_colin_2019.json', '--data', data]);
    expect(r.err).not.toMatch(/below 2\d weeks/);
    expect(r.code).toBe(0);
  });
});
