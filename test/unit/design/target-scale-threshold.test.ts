// W_TARGET_SCALE judged a MIC (tabove, peak/mic) against Cmax both ways and so flagged ordinary
// time-above-MIC targets at wild-type MICs as unit slips (t5 report, problem 2): meropenem-like
// W-map model, 1 g q8h over 0.5 h (Cmax 54.3 mg/L), `tabove:0.03:0.4` "1/1,810 of the cmax";
// gentamicin 5 mg/kg q24h `tabove:0.125:0.5` 1/139, `tabove:0.06:0.5` 1/289; vancomycin Goti
// 1000 mg q12h `tabove:0.25:0.5` 1/145. PTA-versus-MIC sweeps from 0.03 mg/L are the standard
// beta-lactam design. A threshold is now judged only upward: more than 100× ABOVE the standard
// dose's Cmax (no standard dose reaches it; a MIC of 0.5 written 500). Exposures (AUC, trough,
// cavg, a nomogram cmax) are judged both ways as before.
// Only the direction of the ratio is asserted (the 1/1,620 AUC24 case's closed form is in
// target-scale.test.ts).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { parseTarget } from '../../../src/design/targets/targets.js';
import { nomogramValues, specValues, targetScaleWarnings } from '../../../src/design/targets/target-scale.js';
import { registerPta } from '../../../src/cli/pta.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-target-threshold-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function stderrOf(args: string[]): Promise<string> {
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerPta(p, () => {});
  await p.parseAsync(['node', 'dosewise', ...args]);
  vi.restoreAllMocks();
  return err.join('');
}

describe('W_TARGET_SCALE: a MIC threshold is judged only upward', () => {
  const buelga = libraryModel('vancomycin_buelga_2005');
  const cov = { WT: 70, CRCL: 3 };
  const warn = (t: string) => targetScaleWarnings(buelga, specValues(parseTarget(t)), { covariates: cov, interval: 12 });
  it('low MICs (tabove, peak/mic) are quiet; a MIC far above Cmax is warned', () => {
    for (const t of ['tabove:0.03:0.4', 'tabove:0.06:0.5', 'tabove:0.125:0.5', 'peak/mic:0.03:8', 'peak/mic:0.001:10']) expect(warn(t), t).toEqual([]);
    expect(warn('tabove:5000:0.5')[0]).toMatch(/^W_TARGET_SCALE: target tabove:5000:0\.5 is \d[\d,]*× the cmax/);
    expect(warn('peak/mic:500:10')[0]).toMatch(/^W_TARGET_SCALE: target peak\/mic:500:10 is \d[\d,]*× the cmax/);
  });
  it('exposures are still judged both ways', () => {
    expect(warn('auc24:0.4:0.6')[0]).toMatch(/auc24:0\.4:0\.6 is 1\/1,620 of the auc24/);
    expect(warn('trough:0.01:0.02')[0]).toMatch(/trough:0\.01:0\.02 is 1\/\d[\d,]* of the cavg/);
    expect(warn('cavg:0.1:0.2')[0]).toMatch(/cavg:0\.1:0\.2 is 1\/\d[\d,]* of the cavg/);
    expect(targetScaleWarnings(buelga, nomogramValues({ metric: 'cmax', value: 0.2 }), { covariates: cov, interval: 12 })[0]).toMatch(/cmax=0\.2 is 1\/\d[\d,]* of the cmax/);
  });
});

describe('pta: the t5 report’s low-MIC cases are quiet (were 1/1,810, 1/434, 1/139, 1/289, 1/145)', () => {
  it('meropenem-like W-map 1 g q8h: tabove 0.03 and 0.125 quiet, 500 warned', async () => {
    const reg = join(tmp, 'mero.json');
    writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 0.5, ii: 8, addl: 8 }], observe: [{ grid: { from: 48, to: 72, step: 0.25 } }] }));
    const pta = (t: string) => ['pta', '--model', 'examples/map-wmap.model.json', '--regimens', reg, '--target', t, '--n', '50', '--seed', '1', '--workers', '0', '--no-progress'];
    for (const t of ['tabove:0.03:0.4', 'tabove:0.125:0.4', 'tabove:2:0.4']) expect(await stderrOf(pta(t)), t).not.toMatch(/W_TARGET_SCALE/);
    expect(await stderrOf(pta('tabove:50000:0.4'))).toMatch(/W_TARGET_SCALE: target tabove:50000:0\.4 is \d[\d,]*× the cmax of 1,000 q8h/);
  });
  it('gentamicin 5 mg/kg q24h: tabove 0.125 and 0.06 quiet', async () => {
    const reg = join(tmp, 'genta.json');
    const covs = join(tmp, 'genta-cov.json');
    writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 350, dur: 0.5, ii: 24, addl: 6 }], observe: [{ grid: { from: 144, to: 168, step: 0.5 } }] }));
    writeFileSync(covs, JSON.stringify({ covariates: { ClCr: { dist: 'normal', mean: 90, sd: 10, lower: 20, upper: 150 }, WT: { dist: 'normal', mean: 70, sd: 5, lower: 40, upper: 120 } } }));
    const pta = (t: string) => ['pta', '--model', 'gentamicin_xuan_2003', '--covariates', covs, '--regimens', reg, '--target', t, '--n', '50', '--seed', '1', '--workers', '0', '--no-progress'];
    for (const t of ['tabove:0.125:0.5', 'tabove:0.06:0.5']) expect(await stderrOf(pta(t)), t).not.toMatch(/W_TARGET_SCALE/);
  });
  it('vancomycin Goti 1000 mg q12h: tabove 0.25 quiet', async () => {
    const args = ['pta', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'tabove:0.25:0.5', '--n', '50', '--seed', '1', '--workers', '0', '--no-progress'];
    expect(await stderrOf(args)).not.toMatch(/W_TARGET_SCALE/);
  });
});

describe('W_TARGET_SCALE: the README’s and t5’s realistic nomogram targets stay quiet', () => {
  const cases: [string, Record<string, number>, number, { metric: string; value: number }][] = [
    ['vancomycin_goti_2018', { CRCL: 90, WT: 70, DIAL: 0 }, 12, { metric: 'auc24', value: 500 }],
    ['vancomycin_goti_2018', { CRCL: 8, WT: 70, DIAL: 1 }, 48, { metric: 'auc24', value: 500 }],
    ['vancomycin_buelga_2005', { CRCL: 6, WT: 70 }, 12, { metric: 'auc24', value: 500 }],
    ['vancomycin_thomson_2009', { CRCL: 90, WT: 70 }, 12, { metric: 'trough', value: 15 }],
    ['gentamicin_xuan_2003', { ClCr: 90, WT: 70 }, 24, { metric: 'cmax', value: 20 }],
    ['gentamicin_xuan_2003', { ClCr: 90, WT: 70 }, 24, { metric: 'trough', value: 0.5 }],
    ['amikacin_burdet_2015', { CLCREAT4H: 90, TBW: 70, PoverF: 0 }, 24, { metric: 'cmax', value: 60 }],
    ['busulfan_mccune_2014', { WT: 70, AGE: 30, HT: 170, SEX: 1, T_CL_EFF: 100, OCC: 1 }, 24, { metric: 'auc24', value: 20000 }],
    ['ganciclovir_caldes_2009', { ClCr: 90 }, 12, { metric: 'auc24', value: 50 }],
    ['theophylline_nonmem_theo_example_focei', {}, 12, { metric: 'cavg', value: 12 }],
  ];
  for (const [name, covariates, interval, t] of cases)
    it(`${name} ${t.metric}=${t.value}`, () => {
      expect(targetScaleWarnings(libraryModel(name), nomogramValues(t), { covariates, interval })).toEqual([]);
    });
});
