// W_TARGET_SCALE was judged only for models that name a drug with a standard dose (vancomycin,
// busulfan, ...). Goti's vancomycin model copied under another name and drug, given
// `nomogram --target auc24=30000` (mg·min/L meant), advised ~38.8 g q12h without a word. Without a
// standard dose a target is now judged by the daily dose the model's typical patient needs for it:
// more than 500 mg/kg/day is no drug's dose (the largest, ampicillin or piperacillin in meningitis,
// are 300–400 mg/kg/day), and a slip whose reading needs an ordinary dose is named.
// Closed form (Goti 2018, CRCL 60 mL/min, WT 70, no dialysis): CL = 4.5·(60/120)^0.8 = 2.5843 L/h;
// AUC24 = daily dose / CL, so auc24 30000 needs 77,529 mg/day = 38,764 mg q12h = 1,107.6 mg/kg/day,
// and 30000 mg·min/L = 500 mg·h/L needs 1,292 mg/day (18.5 mg/kg/day).

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { parseTarget } from '../../../src/design/targets/targets.js';
import { neededDailyDosePerKg, nomogramValues, specValues, targetScaleWarnings } from '../../../src/design/targets/target-scale.js';
import { registerNomogram } from '../../../src/cli/nomogram.js';
import { tempFiles } from '../temp-files.js';

afterEach(() => vi.restoreAllMocks());
const { write } = tempFiles('dosewise-target-scale-own-');

/** A packaged model under another name and drug: no standard dose is known for it. */
function ownCopy(file: string): Record<string, unknown> {
  const m = JSON.parse(readFileSync(`models/${file}.json`, 'utf8')) as Record<string, unknown>;
  return { ...m, name: `own_${file.replace(/^[a-z]+_/, '')}`, drug: 'drug X' };
}

const goti = defineModel(ownCopy('vancomycin_goti_2018'));
const cov = { WT: 70, CRCL: 60 };
const CL = 4.5 * (60 / 120) ** 0.8;

describe('W_TARGET_SCALE without a standard dose: the daily dose the target needs', () => {
  it('the needed dose of the typical patient (closed form: auc24 × CL per day)', () => {
    const perKg = neededDailyDosePerKg(goti, { scale: 'auc24', value: 30000, text: 'auc24=30000' }, { covariates: cov, interval: 12 });
    expect(Math.abs((perKg as number) / ((30000 * CL) / 70) - 1)).toBeLessThan(1e-4);
  });

  it('auc24=30000 on the copy of Goti is warned, naming the dose, the mg/kg/day and the mg·min/L reading', () => {
    const w = targetScaleWarnings(goti, nomogramValues({ metric: 'auc24', value: 30000 }), { covariates: cov, interval: 12 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^W_TARGET_SCALE: target auc24=30000 needs 38,800 mg q12h \(1,110 mg\/kg\/day at WT 70\) in the typical patient of own_goti_2018/);
    expect(w[0]).toContain('30000 mg·min/L = 500 mg·h/L');
  });

  it('optimize auc24:24000:36000 with candidates up to 60 g (their middle reaching it) is warned too', () => {
    const doses = Array.from({ length: 60 }, (_, i) => 1000 * (i + 1));
    const w = targetScaleWarnings(goti, specValues(parseTarget('auc24:24000:36000')), { covariates: cov, interval: 12, doses });
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('24000 mg·min/L = 400 mg·h/L');
  });

  it('nomogram on the copy says it on stderr', async () => {
    const file = write('own.json', ownCopy('vancomycin_goti_2018'));
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerNomogram(p, () => {});
    await p.parseAsync(['node', 'dosewise', 'nomogram', '--model', file, '--target', 'auc24=30000', '--interval', '12', '--grid', 'WT=60:80:10', '--set', 'CRCL=60']);
    vi.restoreAllMocks();
    expect(err.join('')).toMatch(/W_TARGET_SCALE: target auc24=30000 needs 38,800 mg q12h .*30000 mg·min\/L = 500 mg·h\/L/);
  });

  // the packaged models under other names, at their ordinary targets: needed doses well under the bound
  const ordinary: [string, Record<string, number>, string, number, number][] = [
    ['vancomycin_goti_2018', { WT: 70, CRCL: 60 }, 'auc24', 600, 12],
    ['vancomycin_goti_2018', { WT: 140, CRCL: 150 }, 'auc24', 600, 12],
    ['vancomycin_buelga_2005', { WT: 70, CRCL: 3 }, 'auc24', 600, 12],
    ['vancomycin_thomson_2009', { WT: 70, CRCL: 60 }, 'auc24', 600, 12],
    ['vancomycin_colin_2019', { WT: 70, PMA: 2120, SCR: 1 }, 'auc24', 600, 12],
    ['busulfan_mccune_2014', { WT: 70, AGE: 30, HT: 170, SEX: 1, OCC: 1 }, 'auctau', 6200, 6],
    ['busulfan_shukla_2020', { WT: 70, AGE: 30, HT: 170, SEX: 1, REGI: 0, OCC: 1 }, 'auc24', 25000, 24],
    ['amikacin_burdet_2015', { TBW: 70, CLCREAT4H: 100, PoverF: 200 }, 'auc24', 400, 24],
    ['gentamicin_xuan_2003', { WT: 70, ClCr: 60 }, 'auc24', 120, 24],
    ['ganciclovir_caldes_2009', { ClCr: 60 }, 'auc24', 120, 12],
    ['tacrolimus_storset_2014', { WT: 70, HT: 1.7, FEMALE: 0, OCC: 1 }, 'trough', 15, 12],
    ['theophylline_nonmem_theo_example_focei', {}, 'trough', 20, 12],
  ];
  for (const [file, covariates, metric, value, interval] of ordinary)
    it(`${file} copied: ${metric}=${value} needs under 100 mg/kg/day and is not warned`, () => {
      const m = defineModel(ownCopy(file));
      const values = nomogramValues({ metric, value });
      const perKg = neededDailyDosePerKg(m, values[0] as (typeof values)[number], { covariates, interval });
      expect(perKg).toBeGreaterThan(0);
      expect(perKg).toBeLessThan(100);
      expect(targetScaleWarnings(m, values, { covariates, interval })).toEqual([]);
    });
});
