// W_TARGET_SCALE: a target on another scale than the model's output ran without a word. Busulfan
// (McCune 2014, ng/mL) `nomogram --target auc24=80` (mg·h/L written) advised 0.34 and 0.77 mg q24h,
// exit 0; vancomycin auc24=500000 advised 1,344,871 mg. One check (src/design/targets/target-scale.ts)
// for optimize, nomogram, pta and band: a target more than 100× from what the standard dose gives
// the typical patient is warned of, naming the target, the model's unit and that exposure.
// Closed form (Buelga 2005, one compartment): CL = 1.08·CRCL = 3.24 L/h at CRCL 3 L/h; 15 mg/kg at
// 70 kg = 1050 mg q12h: AUC24 = 2100/3.24 = 648.1; 400000/648.1 = 617×, 0.4/648.1 = 1/1,620.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { parseTarget } from '../../../src/design/targets/targets.js';
import { nomogramValues, specValues, targetScaleWarnings } from '../../../src/design/targets/target-scale.js';
import { registerNomogram } from '../../../src/cli/nomogram.js';
import { registerOptimize } from '../../../src/cli/optimize.js';
import { registerPta } from '../../../src/cli/pta.js';
import { registerBand } from '../../../src/cli/band.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-target-scale-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function stderrOf(args: string[]): Promise<string> {
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const r of [registerNomogram, registerOptimize, registerPta, registerBand]) r(p, () => {});
  await p.parseAsync(['node', 'dosewise', ...args]);
  vi.restoreAllMocks();
  return err.join('');
}

describe('W_TARGET_SCALE (library)', () => {
  const buelga = libraryModel('vancomycin_buelga_2005');
  const cov = { WT: 70, CRCL: 3 };
  it('a target 617× the standard dose’s AUC24 is warned, naming it, the unit and the AUC24 (648 closed form)', () => {
    const w = targetScaleWarnings(buelga, specValues(parseTarget('auc24:400000:600000')), { covariates: cov, interval: 12 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^W_TARGET_SCALE: target auc24:400000:600000 is 617× the auc24 of the standard dose 15 mg\/kg q12h.*1,050 mg at WT 70.*\(auc24 648\); the model's concentrations are mg\/L/);
    expect(targetScaleWarnings(buelga, specValues(parseTarget('auc24:0.4:0.6')), { covariates: cov, interval: 12 })[0]).toMatch(/auc24:0\.4:0\.6 is 1\/1,620 of the auc24/);
  });
  it('realistic targets are silent', () => {
    for (const t of ['auc24:400:600', 'auc24:400:600,trough::20', 'trough:10:20', 'peak/mic:1:8', 'tabove:1:0.5', 'cavg:15:25'])
      expect(targetScaleWarnings(buelga, specValues(parseTarget(t)), { covariates: cov, interval: 12 }), t).toEqual([]);
    const bu = libraryModel('busulfan_mccune_2014');
    const bcov = { WT: 70, AGE: 30, HT: 170, SEX: 1, TIME: 100 };
    expect(targetScaleWarnings(bu, nomogramValues({ metric: 'auc24', value: 20000 }), { covariates: bcov, interval: 24 })).toEqual([]);
    expect(targetScaleWarnings(bu, nomogramValues({ metric: 'auc24', value: 80 }), { covariates: bcov, interval: 24 })[0]).toMatch(/target auc24=80 is 1\/\d+ of the auc24 .*ng\/mL/);
  });
});

describe('W_TARGET_SCALE in every command that reads a target', () => {
  it('nomogram: busulfan auc24=80 (ng/mL model) warned; auc24=20000 silent', async () => {
    const base = ['nomogram', '--model', 'busulfan_mccune_2014', '--interval', '24', '--infusion', '3', '--set', 'TIME=100', '--grid', 'WT=20,70', '--set', 'AGE=30', '--set', 'HT=170', '--set', 'SEX=1'];
    expect(await stderrOf([...base, '--target', 'auc24=80'])).toMatch(/W_TARGET_SCALE: target auc24=80 .*ng\/mL/);
    expect(await stderrOf([...base, '--target', 'auc24=20000'])).not.toMatch(/W_TARGET_SCALE/);
  });
  it('optimize, pta and band: vancomycin auc24:400000:600000 warned; 400:600 silent', async () => {
    const data = join(tmp, 'pat.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,0,2,.,.,.,1,70,3\n');
    const opt = (t: string) => ['optimize', '--model', 'vancomycin_buelga_2005', '--data', data, '--target', t, '--doses', '500,1000', '--intervals', '12', '--draws', '200', '--no-progress'];
    expect(await stderrOf(opt('auc24:400000:600000'))).toMatch(/W_TARGET_SCALE: target auc24:400000:600000 is 617×/);
    expect(await stderrOf(opt('auc24:400:600'))).not.toMatch(/W_TARGET_SCALE/);
    const vanco = ['--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--n', '200', '--seed', '1', '--workers', '0', '--no-progress'];
    const pta = (t: string) => ['pta', ...vanco, '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', t];
    expect(await stderrOf(pta('auc24:400000:600000'))).toMatch(/W_TARGET_SCALE: target auc24:400000:600000/);
    expect(await stderrOf(pta('auc24:400:600'))).not.toMatch(/W_TARGET_SCALE/);
    const band = (t: string) => ['band', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--by', 'CRCL', '--bands', '2', '--doses', '500:2000:500', '--target', t];
    expect(await stderrOf(band('auc24:0.4:0.6'))).toMatch(/W_TARGET_SCALE: target auc24:0\.4:0\.6/);
    expect(await stderrOf(band('auc24:400:600'))).not.toMatch(/W_TARGET_SCALE/);
  });
});
