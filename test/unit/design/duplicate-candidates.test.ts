// Duplicate candidates were ranked twice: optimize --doses 500,500,1000 printed "3 regimens" with
// `500 12 h` listed twice (using a --top slot), --intervals 12,12 and --infusions 1,1 the same;
// nomogram --strengths 500,500,1000 printed "sums of 500 + 500 + 1000"; band --doses
// 500,500,1000,1000 ran without a word. Now each list is de-duplicated, with a note naming the option
// and the value given more than once.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerNomogram } from '../../../src/cli/nomogram.js';
import { registerOptimize } from '../../../src/cli/optimize.js';
import { registerBand } from '../../../src/cli/band.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-duplicates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<{ out: string; err: string }> {
  const err: string[] = [];
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const r of [registerNomogram, registerOptimize, registerBand]) r(p, (s) => void (out += s));
  await p.parseAsync(['node', 'dosewise', ...args]);
  vi.restoreAllMocks();
  return { out, err: err.join('') };
}

describe('duplicate candidates are used once, with a note', () => {
  it('optimize --doses 500,500,1000 --intervals 12,12 --infusions 1,1: 2 regimens, each once', async () => {
    const data = join(tmp, 'pat.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,0,2,.,.,.,1,70,3\n');
    const { out, err } = await run(['optimize', '--model', 'vancomycin_buelga_2005', '--data', data, '--target', 'auc24:400:600', '--doses', '500,500,1000', '--intervals', '12,12', '--infusions', '1,1', '--draws', '200', '--no-progress', '--json']);
    const r = JSON.parse(out)[0];
    expect(r.evaluated).toBe(2);
    expect(r.ranked.map((c: { dose: number }) => c.dose).sort()).toEqual([1000, 500]);
    expect(err).toMatch(/note: --doses 500,500,1000: 500 given more than once; each candidate is used once/);
    expect(err).toMatch(/note: --intervals 12,12: 12 given more than once/);
    expect(err).toMatch(/note: --infusions 1,1: 1 given more than once/);
  });
  it('nomogram --strengths 500,500,1000: sums of 500 + 1000, with a note', async () => {
    const { out, err } = await run(['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=90', '--set', 'WT=70', '--strengths', '500,500,1000']);
    expect(out).toMatch(/sums of 500 \+ 1000/);
    expect(err).toMatch(/note: --strengths 500,500,1000: 500 given more than once/);
  });
  it('band --doses 500,500,1000,1000: a note', async () => {
    const { err } = await run(['band', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '500,500,1000,1000', '--n', '200', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(err).toMatch(/note: --doses 500,500,1000,1000: 500, 1000 given more than once/);
  });
});
