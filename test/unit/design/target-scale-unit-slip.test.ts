// W_TARGET_SCALE warned only beyond 100× from the standard dose's exposure, so the two slips
// clinicians make were silent: vancomycin `nomogram --target auc24=30000` (mg·min/L meant; 36.9×
// the typical 813) printed 38,750 mg q12h, exit 0; optimize ranked 50,500 mg q12h first for
// auc24:24000:36000; busulfan `auctau=1125` (µM·min, its usual TDM unit) gave 10.8 mg where 4600
// ng·h/mL gives 44.2 (4.1× under). Each value far (over 3×) from the typical exposure is now
// judged against the factors of a slip (×60 minutes for hours, busulfan's 246.3 g/mol, ×1000).
// Closed form (Buelga 2005, one compartment): CL = 1.08·CRCL = 3.24 L/h at CRCL 3 L/h; 15 mg/kg at
// 70 kg = 1050 mg q12h: AUC24 = 2100/3.24 = 648.1; 24000/648.1 = 37×, 24000/60 = 400 mg·h/L.
// Busulfan: 1 µmol·min/L = 246.3 µg·min/L = 246.3/60 = 4.105 ng·h/mL, so 1125 µM·min = 4,618.

import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { parseTarget } from '../../../src/design/targets/targets.js';
import { nomogramValues, specValues, targetScaleWarnings, unitSlips } from '../../../src/design/targets/target-scale.js';
import { registerNomogram } from '../../../src/cli/nomogram.js';

afterEach(() => vi.restoreAllMocks());

async function stderrOf(args: string[]): Promise<string> {
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerNomogram(p, () => {});
  await p.parseAsync(['node', 'dosewise', ...args]);
  vi.restoreAllMocks();
  return err.join('');
}

const buelga = libraryModel('vancomycin_buelga_2005');
const cov = { WT: 70, CRCL: 3 };
const bu = libraryModel('busulfan_mccune_2014');
const bcov = { WT: 70, AGE: 30, HT: 170, SEX: 1, TIME: 100 };

describe('W_TARGET_SCALE: a unit slip within 100×', () => {
  it('the slip factors: ×60 for minutes, 60/(246.3·1000/1000) = 0.2436 for busulfan µM·min in ng/mL, ×1000', () => {
    expect(unitSlips('auc24', 'mg/L').map((s) => [s.unit, s.factor])).toEqual([['mg·min/L', 60], ['ng·h/mL', 1000], ['g·h/L', 0.001]]);
    const b = unitSlips('auctau', 'ng/mL (dose in mg)', 246.3);
    expect(b[1]?.unit).toMatch(/µM·min/);
    expect(b[1]?.factor).toBeCloseTo(60 / 246.3, 10);
    expect(unitSlips('cavg', 'mg/L').map((s) => s.unit)).toEqual(['ng/mL', 'g/L']);
    expect(unitSlips('auc24', 'nmol/L')).toEqual([]);
  });
  it('vancomycin auc24:24000:36000 (37× and 55.5× of 648) is warned once as mg·min/L, naming 24000 = 400 mg·h/L', () => {
    const w = targetScaleWarnings(buelga, specValues(parseTarget('auc24:24000:36000')), { covariates: cov, interval: 12 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^W_TARGET_SCALE: target auc24:24000:36000 is 37× the auc24 .*\(auc24 648\); the model's concentrations are mg\/L: a value 24000 written in another unit \(24000 mg·min\/L = 400 mg·h\/L\)\?/);
  });
  it('busulfan auctau=1125 (µM·min) is warned naming 4,620 ng·h/mL; auctau=4600, auc24=20000 are silent', () => {
    const w = targetScaleWarnings(bu, nomogramValues({ metric: 'auctau', value: 1125 }), { covariates: bcov, interval: 6 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/target auctau=1125 is 1\/\d\.\d+ of the auctau .*1125 µmol·min\/L \(µM·min\) = 4,620 ng·h\/mL/);
    for (const value of [3000, 3700, 4600, 6200]) expect(targetScaleWarnings(bu, nomogramValues({ metric: 'auctau', value }), { covariates: bcov, interval: 6 }), String(value)).toEqual([]);
    expect(targetScaleWarnings(bu, nomogramValues({ metric: 'auc24', value: 20000 }), { covariates: bcov, interval: 24 })).toEqual([]);
  });
  it('busulfan auctau 3000-4500 for an adult of 100-140 kg (1/2.0-1/2.2 of the 0.8 mg/kg exposure) is silent; 1125 is still warned at 20-140 kg', () => {
    // The standard dose scales with total weight, so a heavy adult's typical auctau (6,090-7,630 ng·h/mL)
    // put 3000 within 3× of its µM·min reading (12,300): a slip was said for an ordinary target.
    const heavy = (wt: number) => ({ ...bcov, WT: wt, AGE: 40, HT: 175, TIME: 48 });
    for (const [wt, value] of [[100, 3000], [140, 3000], [140, 3700], [100, 4500]] as const)
      expect(targetScaleWarnings(bu, nomogramValues({ metric: 'auctau', value }), { covariates: heavy(wt), interval: 6 }), `${wt} kg ${value}`).toEqual([]);
    for (const wt of [20, 40, 70, 100, 140])
      expect(targetScaleWarnings(bu, nomogramValues({ metric: 'auctau', value: 1125 }), { covariates: heavy(wt), interval: 6 }), `${wt} kg`).toHaveLength(1);
  });
  it('the README’s and tests’ realistic targets stay silent', () => {
    for (const t of ['auc24:400:600', 'auc24:400:700', 'auc24:400:500', 'auc24:400:480', 'auc24:300:500', 'auc24:100:300', 'auctau:300:500', 'auc24:400:600,trough::20', 'trough:10:20', 'trough:15:20', 'trough:5:15', 'trough::10', 'cavg:15:25', 'peak/mic:1:8', 'tabove:1:0.5', 'tabove:0.03:0.4'])
      expect(targetScaleWarnings(buelga, specValues(parseTarget(t)), { covariates: cov, interval: 12 }), t).toEqual([]);
    for (const t of ['auc24:18000:22000', 'auc24:14000:24000', 'auc24:16000:24000'])
      expect(targetScaleWarnings(bu, specValues(parseTarget(t)), { covariates: bcov, interval: 24 }), t).toEqual([]);
  });
  it('nomogram: Goti auc24=30000 is warned as mg·min/L (500 mg·h/L); auc24=500 silent', async () => {
    const base = ['nomogram', '--model', 'vancomycin_goti_2018', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=60,100', '--set', 'WT=70', '--round', '250'];
    expect(await stderrOf([...base, '--target', 'auc24=30000'])).toMatch(/W_TARGET_SCALE: target auc24=30000 is 36\.9× .*30000 mg·min\/L = 500 mg·h\/L/);
    expect(await stderrOf([...base, '--target', 'auc24=500'])).not.toMatch(/W_TARGET_SCALE/);
  });
  it('nomogram: busulfan auctau=1125 on the grid WT=20,70 (typical WT 20: 1/3.31 of 3,730) is warned as µM·min; 3700 and 4600 silent', async () => {
    const base = ['nomogram', '--model', 'busulfan_mccune_2014', '--interval', '6', '--infusion', '3', '--grid', 'WT=20,70', '--set', 'AGE=30', '--set', 'HT=170', '--set', 'SEX=1', '--set', 'TIME=100'];
    expect(await stderrOf([...base, '--target', 'auctau=1125'])).toMatch(/W_TARGET_SCALE: target auctau=1125 is 1\/3\.31 .*1125 µmol·min\/L \(µM·min\) = 4,620 ng·h\/mL/);
    for (const t of ['auctau=3700', 'auctau=4600', 'auctau=6000']) expect(await stderrOf([...base, '--target', t]), t).not.toMatch(/W_TARGET_SCALE/);
  });
});
