// dosewise nomogram and dosewise relevance, in process: a commander program with the register
// functions, as main.ts builds it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerNomogram } from '../../../src/cli/nomogram.js';
import { registerRelevance } from '../../../src/cli/relevance.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-nomogram-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ out: string; error?: Error }> {
  let out = '';
  const write = (s: string) => void (out += s);
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: write, writeErr: write });
  registerNomogram(p, write);
  registerRelevance(p, write);
  try {
    await p.parseAsync(['node', 'dosewise', ...args]);
    return { out };
  } catch (e) {
    return { out, error: e as Error };
  }
}

describe('dosewise nomogram', () => {
  const base = ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1'];
  it('the README example: WT × CRCL table rounded to 250 mg', async () => {
    const { out, error } = await run([...base, '--grid', 'WT=50:120:10', '--grid', 'CRCL=30:150:20', '--round', '250']);
    expect(error).toBeUndefined();
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/vancomycin_goti_2018: starting dose per administration for auc24 = 500/);
    expect(lines.find((l) => l.startsWith('WT \\ CRCL'))!.split(/\s+/).slice(3)).toEqual(['30', '50', '70', '90', '110', '130', '150']);
    // dose q12h = 500·CL/2 with CL = 4.5·(CRCL/120)^0.8: CRCL 30 → 371 → 250; 90 → 892 → 1000; 150 → 1345 → 1250
    const row70 = lines.find((l) => l.startsWith('70 '))!.trim().split(/\s+/);
    // 250 for 371 is auc24 336.8, −33 %: marked ~ (more than 20 % off target)
    expect(row70).toEqual(['70', '250~', '500', '750', '1000', '1000', '1250', '1250']);
    expect(lines.filter((l) => /^\d+ /.test(l))).toHaveLength(8);
  });
  it('--json with intervals, trough ceiling and strengths', async () => {
    const { out, error } = await run([
      ...base.slice(0, 5), '--interval', '12,24', '--interval', '48', '--infusion', '1', '--grid', 'CRCL=30,90', '--set', 'WT=70',
      '--trough-max', '16', '--strengths', '500,1000', '--max-units', '4', '--json',
    ]);
    expect(error).toBeUndefined();
    const j = JSON.parse(out);
    expect(j.intervals).toEqual([12, 24, 48]);
    expect(j.rounding).toBe('sums of 500 + 1000 (≤ 4 units), nearest (ties up)');
    expect(j.constraints).toEqual({ troughMax: 16 });
    // q12h troughs 25 (CRCL 30, 500 mg) and 17.6 (CRCL 90, 1000 mg) exceed 16 → q24h: 742 → 500 and 1784 → 2000 mg
    expect(j.cells.map((c: { interval: number; dose: number }) => [c.interval, c.dose])).toEqual([[24, 500], [24, 2000]]);
    expect(j.cells[1].units).toEqual([{ strength: 1000, count: 2 }]);
    for (const c of j.cells) {
      expect(c.achieved.trough).toBeLessThanOrEqual(16);
      expect(c.candidates[0]).toMatchObject({ interval: 12, feasible: false });
    }
  });
  it('the illustrative four-covariate model', async () => {
    const { out, error } = await run(['nomogram', '--model', 'examples/nomogram-illustrative.model.json', '--target', 'cavg=7.3', '--interval', '24',
      '--grid', 'AGE=25:40:5', '--grid', 'AMH=0.5,1,2.5,5', '--set', 'BMI=24', '--set', 'AFC=12', '--round', '25', '--min-dose', '75', '--max-dose', '300']);
    expect(error).toBeUndefined();
    expect(out).toMatch(/AGE \\ AMH/);
    expect(out).toMatch(/fixed: BMI=24, AFC=12/);
  });
  it('usage errors name the option', async () => {
    expect((await run([...base, '--grid', 'WT=50:120'])).error?.message).toMatch(/--grid WT=50:120: expected NAME=FROM:TO:STEP/);
    expect((await run([...base, '--grid', 'CRCL=30:150:20', '--set', 'WT=70', '--round', 'x'])).error?.message).toMatch(/--round x: expected an increment > 0/);
    expect((await run([...base, '--grid', 'CRCL=30:150:20', '--set', 'WT=70', '--round', '250', '--strengths', '500'])).error?.message).toMatch(/not both/);
    expect((await run(['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24:500', '--interval', '12', '--grid', 'WT=70'])).error?.message).toMatch(/--target auc24:500/);
    expect((await run([...base, '--grid', 'CRCL=60'])).error?.message).toMatch(/WT/);
    expect((await run(['nomogram', '--model', 'vancomycin_goti_2018'])).error?.message).toMatch(/required option/);
  });
  it('refuses a covariate in both --grid and --set: the grid values were used, yet the JSON said "fixed": {"WT": 80}', async () => {
    const r = await run([...base, '--grid', 'WT=50,70', '--grid', 'CRCL=60', '--set', 'WT=80', '--json']);
    expect(r.error?.message).toBe('--set WT=80: WT is also a --grid axis; give it in one of the two');
    expect(r.out).toBe('');
  });
  it('a 0/1 flag covariate (DIAL, unit "0/1") takes 0 or 1 in --set and --grid, as in the browser tool', async () => {
    const grid = [...base, '--grid', 'CRCL=60,120', '--set', 'WT=70'];
    const set2 = await run([...grid, '--set', 'DIAL=2']);
    expect(set2.error?.message).toBe('--set DIAL=2: DIAL is a 0/1 flag of model vancomycin_goti_2018 (unit "0/1"): must be 0 or 1');
    expect(set2.out).toBe('');
    expect((await run([...grid, '--set', 'DIAL=0.5'])).error?.message).toMatch(/--set DIAL=0\.5: DIAL is a 0\/1 flag/);
    // every grid value is checked, not only the first
    expect((await run([...base, '--grid', 'CRCL=60', '--grid', 'DIAL=0:2:1', '--set', 'WT=70'])).error?.message).toMatch(/^--grid DIAL=2: DIAL is a 0\/1 flag of model vancomycin_goti_2018/);
    const ok = await run([...base, '--grid', 'CRCL=60', '--grid', 'DIAL=0,1', '--set', 'WT=70', '--json']);
    expect(ok.error).toBeUndefined();
    expect(JSON.parse(ok.out).cells).toHaveLength(2);
    expect((await run([...grid, '--set', 'DIAL=1'])).error).toBeUndefined();
  });
  it('--help shows examples', async () => {
    const { out } = await run(['nomogram', '--help']);
    expect(out).toMatch(/dosewise nomogram --model vancomycin_goti_2018 --target auc24=500 --interval 12 --infusion 1/);
    expect(out).toMatch(/--grid <NAME=FROM:TO:STEP>/);
  });
});

describe('dosewise relevance', () => {
  it('table with a forest column and verdicts', async () => {
    const { out, error } = await run(['relevance', '--effects', 'examples/relevance-effects.json']);
    expect(error).toBeUndefined();
    expect(out).toMatch(/against the relevance band 0\.8–1\.25/);
    expect(out).toMatch(/strong CYP3A inhibitor\s+CL\s+0\.45\s+2\.22\s+1\.89–2\.63 .* adjust\s+×0\.5/);
    expect(out).toMatch(/body weight 120 vs 70 kg: an effect on V alone changes no AUC-targeted maintenance dose/);
  });
  it('--json, --band, --dose-step', async () => {
    const { out, error } = await run(['relevance', '--effects', 'examples/relevance-effects.json', '--band', '0.7:1.43', '--dose-step', '0.1', '--json']);
    expect(error).toBeUndefined();
    const j = JSON.parse(out);
    expect(j.band).toEqual([0.7, 1.43]);
    const renal = j.rows.find((r: { label: string }) => r.label === 'moderate renal impairment');
    expect(renal).toMatchObject({ on: 'CL', verdict: 'inconclusive', doseRatioRounded: 0.7 });
    for (const r of j.rows) for (const k of ['label', 'ratio', 'lo', 'hi', 'bandLo', 'bandHi', 'verdict']) expect(r).toHaveProperty(k);
  });
  it('--model: ratios from the engine', async () => {
    const { out, error } = await run(['relevance', '--effects', 'examples/relevance-effects.json', '--model', 'vancomycin_goti_2018', '--dose', '1000', '--interval', '12', '--infusion', '1', '--set', 'WT=70', '--set', 'CRCL=90', '--json']);
    expect(error).toBeUndefined();
    const j = JSON.parse(out);
    expect(j.method).toMatch(/^engine: typical patient of vancomycin_goti_2018/);
    const v = j.rows.find((r: { on: string }) => r.on === 'V');
    expect(Math.abs(v.ratio - 1)).toBeLessThan(1e-6);
    expect(v.cmaxRatio).toBeLessThan(0.9);
  });
  it('errors', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ label: 'x', on: 'KA', ratio: 2 }]));
    expect((await run(['relevance', '--effects', bad])).error?.message).toMatch(/bad\.json: effect 1 \(x\): on must be CL, F or V/);
    expect((await run(['relevance', '--effects', 'examples/relevance-effects.json', '--band', '1.25:0.8'])).error?.message).toMatch(/--band 1\.25:0\.8/);
    expect((await run(['relevance', '--effects', 'examples/relevance-effects.json', '--dose', '100'])).error?.message).toMatch(/need --model/);
    expect((await run(['relevance', '--effects', 'examples/relevance-effects.json', '--model', 'vancomycin_goti_2018'])).error?.message).toMatch(/needs --dose and --interval/);
    expect((await run(['relevance', '--effects', join(tmp, 'missing.json')])).error?.message).toMatch(/cannot read/);
  });
  it('--help shows the file format and examples', async () => {
    const { out } = await run(['relevance', '--help']);
    expect(out).toMatch(/Effects file \(JSON\)/);
    expect(out).toMatch(/dosewise relevance --effects examples\/relevance-effects\.json/);
  });
});
