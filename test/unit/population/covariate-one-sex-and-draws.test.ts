// A sex covariate described with one sex word and no code, and a calculator's refusal of a tail
// draw (src/population/covariates/coding.ts oneSexOf, sample.ts refuseTailDraw):
// - SEX "is female" / "female indicator" was read by its name as 1 = male: a woman of 72 kg, 60
//   years, SCR 1 got the male Cockcroft–Gault CRCL (140−60)·72/72 = 80 mL/min for 0.85·80 = 68;
//   so did "female sex indicator", "Female: 1 = yes, 0 = no" (an indicator word anywhere) and
//   "Sex (reference = male)" (no indicator: now refused), 77.78 for 66.11 at 70 kg;
// - SCR lognormal(median 0.9, sdlog 1) drew 0.085 at subject 20, which crcl_cg refused as "a value
//   in another unit (mmol/L?)" under "model covariates.CRCL.derived", naming no file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CALCULATOR_SEX_CODING, describedSexCoding } from '../../../src/population/covariates/index.js';
import { unreadSexConflict } from '../../../src/population/covariates/coding.js';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-onesex-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const femaleFlag = new Map([
  [1, 'female'],
  [0, 'male'],
]);

describe('a description naming one sex and no code', () => {
  for (const d of ['female indicator', 'is female', 'indicator for female sex', 'Female flag', 'whether the patient is female'])
    it(`"${d}" is an indicator of female: 1 = female, 0 = male`, () => {
      expect(describedSexCoding(d)).toEqual(femaleFlag);
    });

  it('"male indicator" is 1 = male, 0 = female (the calculators\' coding)', () => {
    expect(describedSexCoding('male indicator')).toEqual(CALCULATOR_SEX_CODING);
  });

  // read by the name SEX as 1 = male, "female sex indicator" ran a woman of 70 kg, 60 years, SCR 1
  // with the male CRCL (140−60)·70/72 = 77.78 for 0.85·77.78 = 66.11
  for (const d of ['female sex indicator', 'female gender indicator', 'female sex flag', 'female sex dummy', 'Female patient indicator', 'Indicator: female', 'indicator (female)', 'Female sex (indicator)', 'female: yes/no', 'Female yes/no', 'Female_indicator', 'female sex indicator (1 = female)', 'Female: 1 = yes, 0 = no', 'female (0/1)', 'FEMALE (0 = no, 1 = yes)'])
    it(`"${d}" is an indicator of female wherever its indicator word or codes stand: 1 = female, 0 = male`, () => {
      expect(describedSexCoding(d)).toEqual(femaleFlag);
    });

  it('"Male (1=yes, 0=no)" is 1 = male, 0 = female', () => {
    expect(describedSexCoding('Male (1=yes, 0=no)')).toEqual(CALCULATOR_SEX_CODING);
  });

  // "Sex (reference = male)" is 0 = male; read by the name it ran 1 = male
  for (const d of ['Female', 'Male', 'effect of female sex', 'Sex (reference = male)', 'male is the reference category', 'sex: female', 'not female'])
    it(`"${d}" names one sex with no indicator word: no coding, refused whatever the name would read`, () => {
      expect(describedSexCoding(d)).toBeUndefined();
      expect(unreadSexConflict(d)).toMatch(/names (fe)?male alone, with no code and no word saying it is an indicator/);
      expect(unreadSexConflict(d, femaleFlag as never)).toMatch(/names (fe)?male alone/);
    });

  it('both sexes, no code: a reference or a contrast is refused, other text keeps the assumed coding', () => {
    expect(unreadSexConflict('female vs male (reference)')).toMatch(/names a sex as the reference or a contrast/);
    expect(unreadSexConflict('Sex: female relative to male')).toMatch(/reference or a contrast/);
    expect(unreadSexConflict('Sex of the patient (male or female)')).toBeUndefined();
  });

  it('"female = 0" and "female (1 = no, 0 = yes)" are no indicator of female', () => {
    expect(describedSexCoding('female (1 = no, 0 = yes)')).toBeUndefined();
    expect(unreadSexConflict('female (1 = no, 0 = yes)')).toMatch(/stand in no form dosewise pairs/);
    expect(describedSexCoding('female = 0')).toEqual(new Map([[0, 'female']]));
  });

  const population = (cov: unknown) => {
    const f = join(tmp, `cov${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, JSON.stringify(cov));
    return cli(['population', '--model', 'vancomycin_goti_2018', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--covariates', f, '--n', '3', '--workers', '0', '--no-progress']);
  };
  const cov = (description: string) => ({
    covariates: {
      AGE: { dist: 'categorical', values: [60], p: [1], unit: 'years' },
      SEX: { dist: 'categorical', values: [1], p: [1], description },
      WT: { dist: 'categorical', values: [72], p: [1], unit: 'kg' },
      SCR: { dist: 'categorical', values: [1], p: [1], unit: 'mg/dL' },
      CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' },
    },
  });

  const crcl = (out: string): number => {
    const [head, row] = out.trim().split('\n') as [string, string];
    return Number(row.split(',')[head.split(',').indexOf('CRCL')]);
  };

  it('population: SEX "female sex indicator" into crcl_cg(…, SEX) is refused (it ran CRCL 77.78 for 66.11); as 1 − SEX it is 66.11', async () => {
    const c = (derived: string) => ({ covariates: { ...cov('female sex indicator').covariates, WT: { dist: 'categorical', values: [70], p: [1], unit: 'kg' }, CRCL: { derived, unit: 'mL/min' } } });
    const refused = await population(c('crcl_cg(SCR, AGE, WT, SEX)'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/covariates\.CRCL\.derived: .*SEX.*1 = female/);
    const out = join(tmp, 'out-fsi');
    const f = join(tmp, 'cov-fsi.json');
    writeFileSync(f, JSON.stringify(c('crcl_cg(SCR, AGE, WT, 1 - SEX)')));
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--covariates', f, '--n', '3', '--workers', '0', '--no-progress', '--out', out]);
    expect(r.code, r.err).toBe(0);
    // Cockcroft–Gault, woman: 0.85·(140 − 60)·70/(72·1) = 66.1111 mL/min (closed form)
    expect(crcl(readFileSync(join(out, 'subjects.csv'), 'utf8'))).toBeCloseTo(66.1111, 3);
  });

  it('population: crcl_cg(…, SEX) with SEX "is female" or "Female" is refused (it ran CRCL 80 for 68)', async () => {
    const read = await population(cov('is female'));
    expect(read.code).toBe(1);
    expect(read.err).toMatch(/covariates\.CRCL\.derived: .*SEX.*1 = female/);
    const bare = await population(cov('Female'));
    expect(bare.code).toBe(1);
    expect(bare.err).toMatch(/covariates\.SEX\.description says "Female".*names female alone, with no code/);
  });
});

describe('a tail draw a calculator refuses', () => {
  it('names the covariate file, the subject, the draw and the distribution, and says to bound it', async () => {
    const f = join(tmp, 'cov3.json');
    writeFileSync(
      f,
      JSON.stringify({
        covariates: {
          AGE: { dist: 'normal', mean: 60, sd: 15, lower: 18, upper: 95, unit: 'years' },
          SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' },
          WT: { dist: 'lognormal', median: 75, cv: 0.25, lower: 40, upper: 200, unit: 'kg' },
          SCR: { dist: 'lognormal', median: 0.9, sdlog: 1, unit: 'mg/dL' },
          CRCL: { derived: 'min(crcl_cg(SCR, AGE, WT, SEX), 150)', unit: 'mL/min' },
        },
      }),
    );
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--covariates', f, '--n', '300', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    // the draw is below 0.1 mg/dL (ln(0.1/0.9) = −2.2 sdlog: 1.4 % of subjects, 4 in 300 expected)
    expect(r.err).toMatch(new RegExp(`${f.replace(/[.\\/]/g, '\\$&')}, covariates\\.SCR: virtual subject \\d+ drew SCR 0\\.0\\d+ from the lognormal in .*cov3\\.json \\(lognormal\\(median 0\\.9, sdlog 1\\)\\).*a tail draw of the distribution, not a value in another unit\\. Bound it with lower`));
    expect(r.err).not.toMatch(/mmol\/L\?/);
  });
});
