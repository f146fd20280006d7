// A sex covariate described with one sex word and no code, and a calculator's refusal of a tail
// draw (src/population/covariates/coding.ts oneSexOf, sample.ts refuseTailDraw):
// - SEX "is female" / "female indicator" was read by its name as 1 = male: a woman of 72 kg, 60
//   years, SCR 1 got the male Cockcroft–Gault CRCL (140−60)·72/72 = 80 mL/min for 0.85·80 = 68;
// - SCR lognormal(median 0.9, sdlog 1) drew 0.085 at subject 20, which crcl_cg refused as "a value
//   in another unit (mmol/L?)" under "model covariates.CRCL.derived", naming no file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('a bare "Female" is no coding: refused against 1 = male, kept for a covariate named FEMALE', () => {
    expect(describedSexCoding('Female')).toBeUndefined();
    expect(unreadSexConflict('Female')).toMatch(/names female alone, with no code/);
    expect(unreadSexConflict('Female', femaleFlag as never)).toBeUndefined();
    // text with both sexes and no code keeps the assumed coding
    expect(unreadSexConflict('Sex of the patient (male or female)')).toBeUndefined();
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
