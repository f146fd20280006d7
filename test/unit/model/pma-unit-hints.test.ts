// W_PMA_UNIT's hints for a neonate, Colin 2019 (PMA in weeks), a 32-week infant of
// 1.45 kg: PMA charted in days (224) said "No other reading of PMA fits WT 1.45 kg either", though
// 224 days = 32 weeks fits; WT in grams (1450) said "PMA in years? 32 years is PMA 1710 weeks,
// where WT 1450 kg fits", a weight no patient has. Closed form: 224 / 7 = 32 weeks.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { patientAgeWarning } from '../../../src/model/covariate-flags.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const colin = defineModel(JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')) as never);

describe('W_PMA_UNIT hints', () => {
  it('PMA 224 with WT 1.45 kg: PMA in days, 224 / 7 = 32 weeks', () => {
    const w = patientAgeWarning(colin, { WT: 1.45, PMA: 224, SCR: 0.6 });
    expect(w).toMatch(/^W_PMA_UNIT: PMA 224 weeks with WT 1\.45 kg/);
    expect(w).toContain('PMA in days? 224 days is PMA 32 weeks, where WT 1.45 kg fits');
    expect(w).not.toMatch(/No other reading/);
  });
  it('WT 1450 (grams) proposes no reading of PMA by it', () => {
    const w = patientAgeWarning(colin, { WT: 1450, PMA: 32, SCR: 0.6 });
    expect(w === undefined || !/years\? 32 years|where WT 1450 kg fits/.test(w)).toBe(true);
    if (w !== undefined) expect(w).toMatch(/WT 1450 kg is above any patient's weight \(300 kg; a weight in grams\?\).*check WT first/);
  });
  it('an adult of PMA in years (35) is still told so', () => {
    expect(patientAgeWarning(colin, { WT: 70, PMA: 35, SCR: 0.9 })).toMatch(/PMA in years\? 35 years is PMA 1866 weeks, where WT 70 kg fits/);
  });

  it('estimate says them on the charts', async () => {
    const { write } = tempFiles('dosewise-pma-hints-');
    const chart = (wt: string, pma: string): string =>
      'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n' +
      ['2026-12-05,06:00,1,22,22,.,1', '2026-12-05,18:00,1,22,22,.,1', '2026-12-06,06:00,1,22,22,.,1', '2026-12-06,07:30,0,.,.,24.1,0', '2026-12-06,17:45,0,.,.,9.8,0'].map((r) => `1,${r},${wt},${pma},0.6\n`).join('');
    const days = await cli(['estimate', '--model', 'models/vancomycin_colin_2019.json', '--data', write('neo_pmadays.csv', chart('1.45', '224'))]);
    expect(days.err).toContain('PMA in days? 224 days is PMA 32 weeks, where WT 1.45 kg fits');
    const grams = await cli(['estimate', '--model', 'models/vancomycin_colin_2019.json', '--data', write('neo_g.csv', chart('1450', '32'))]);
    expect(grams.code).not.toBe(0);
    expect(grams.err).not.toMatch(/32 years is PMA/);
  });
});
