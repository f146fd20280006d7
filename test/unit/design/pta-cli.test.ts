// dosewise pta in-process: a commander program built with registerPta (and registerBand, as
// main.ts does; see design-cli.ts), the readable table and JSON, --help examples, and argument errors.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp-files.js';
import { cli, quick, regs, vanco } from './design-cli.js';

describe('dosewise pta', () => {
  it('two regimens the same subjects attain are called equal on them, not "ahead by 0.0 paired SE"', async () => {
    const dir = tempDir('dosewise-pta-tie-');
    const twin = join(dir, 'twin.json');
    copyFileSync(regs[2] as string, twin);
    const out = await cli(['pta', ...vanco, '--regimens', `${regs[2]},${twin}`, '--target', 'auc24:400:600', ...quick]);
    expect(out).toMatch(/\nbest: \S+ \(PTA [\d.]+% ± [\d.]+; the same subjects attain the target under \S+ \(none of the 2,000 differs: equal here; a larger --n may find subjects that tell them apart\)\)\n/);
  });

  it('prints a table of regimens × strata with PTA % ± SE, and the best regimen', async () => {
    const out = await cli(['pta', ...vanco, '--regimens', regs.join(','), '--target', 'auc24:400:600', '--strata', 'CRCL:30,60,90', ...quick]);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^vancomycin_goti_2018: PTA for auc24:400:600, 2,000 virtual subjects \(seed 1\), 4 regimens in/);
    expect(lines[1]).toBe('PTA % ± Monte Carlo SE');
    expect(lines[2]).toMatch(/^regimen\s+dose\s+per 24 h\s+CRCL < 30\s+30 ≤ CRCL < 60\s+60 ≤ CRCL < 90\s+CRCL ≥ 90\s+all$/);
    expect(lines[3]).toMatch(/^design-vancomycin-q12h-500\s+500 q12h\s+1000\s+\d+\.\d ± \d+\.\d/);
    expect(lines[7]).toMatch(/^n\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+2,000$/);
    expect(lines[8]).toMatch(/^best: design-vancomycin-q12h-\d+ \(PTA \d+\.\d% ± \d\.\d; ahead of design-vancomycin-q12h-\d+ by /);
  }, 60_000);

  it('--json: cells, ranking and plot data', async () => {
    const out = await cli(['pta', ...vanco, '--regimens', regs[0]!, '--regimens', regs[2]!, '--target', 'auc24:400:600,trough::20', '--json', ...quick]);
    const j = JSON.parse(out);
    expect(j.dosewise).toBe('pta');
    expect(j.model).toBe('vancomycin_goti_2018');
    expect(j.target).toBe('auc24:400:600,trough::20');
    expect(j.regimens.map((r: { name: string }) => r.name)).toEqual(['design-vancomycin-q12h-500', 'design-vancomycin-q12h-1000']);
    expect(j.regimens[0].overall.n).toBe(2000);
    expect(j.ranking).toHaveLength(2);
    expect(j.plot.series[0].points.map((p: { dailyDose: number }) => p.dailyDose)).toEqual([1000, 2000]);
  }, 60_000);

  it('--help shows examples; bad arguments name the option', async () => {
    const help = await cli(['pta', '--help']);
    expect(help).toMatch(/Examples:\n {2}dosewise pta --model vancomycin_goti_2018/);
    expect(help).toMatch(/--strata <NAME:C1,C2,...>/);
    await expect(cli(['pta', ...vanco, '--regimens', regs[0]!, '--target', 'auc24:600:400', ...quick])).rejects.toThrow('target auc24: window [600, 400] is empty (lo > hi)');
    await expect(cli(['pta', ...vanco, '--regimens', regs[0]!, '--target', 'auc24:400:600', '--strata', 'EGFR:60', ...quick])).rejects.toThrow(/strata EGFR: not a covariate or parameter/);
    await expect(cli(['pta', ...vanco, '--target', 'auc24:400:600', ...quick])).rejects.toThrow(/required option '--regimens <files>'/);
  });
});
