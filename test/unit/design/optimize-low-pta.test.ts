// optimize without --from ranked a regimen at PTA 0.1 % first with no warning, exit 0, and its JSON
// had no `likely`: it read as a recommendation, where the same case with --from says W_LOW_PTA and
// "best of poor options (not advice)". Now the steady-state ranking says them too below the floor
// of 10 % (LOW_PTA_FLOOR). Closed form (one compartment, CL = 4·e^η L/h, ω² 0.09): 1000 mg q12h
// gives AUC24 2000/CL; auc24:900:1100 holds for CL in [1.818, 2.222]:
// Φ(ln(2.222/4)/0.3) − Φ(ln(1.818/4)/0.3) = 0.02506 − 0.00429 = 2.08 %; auc24:400:600 for CL in
// [3.333, 5]: Φ(0.7438) − Φ(−0.6077) = 0.7715 − 0.2717 = 50.0 %.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerOptimize } from '../../../src/cli/optimize.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-opt-low-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const model = join(tmp, 'm1.json');
writeFileSync(model, JSON.stringify({
  dosewise: 2, name: 'one-cmt test', structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] }, residual: { model: 'proportional', proportional: 0.1 }, observe: { compartment: 1, unit: 'mg/L' },
}));
const data = join(tmp, 'p1.csv');
writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n');

async function run(args: string[]): Promise<{ out: string; err: string }> {
  const err: string[] = [];
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerOptimize(p, (s) => void (out += s));
  await p.parseAsync(['node', 'dosewise', ...args]);
  vi.restoreAllMocks();
  return { out, err: err.join('') };
}

const opt = (target: string, json = false) => ['optimize', '--model', model, '--data', data, '--target', target, '--doses', '250:1000:250', '--intervals', '12,24', '--infusions', '1', '--draws', '4000', '--top', '3', '--no-progress', ...(json ? ['--json'] : [])];

describe('optimize (no --from): a poor best is said', () => {
  it('auc24:900:1100: 1000 mg q12h first at 2.08 % (closed form) with W_LOW_PTA and "best of poor options (not advice)"', async () => {
    const { out, err } = await run(opt('auc24:900:1100'));
    expect(out).toMatch(/1000 +12 h +1 +0 +[1-3]\.\d% ±/);
    expect(out).toMatch(/best of poor options \(not advice\)/);
    expect(err).toMatch(/W_LOW_PTA: the best regimen searched \(1000 every 12 h over 1 h\) meets every target clause with a probability of [1-3]\.\d% .*below the floor of 10%/);
    const j = JSON.parse((await run(opt('auc24:900:1100', true))).out)[0];
    expect(j.likely).toBe(false);
    expect(Math.abs(j.ranked[0].pta - 0.0208)).toBeLessThan(0.01);
    expect(j.warnings.map((w: { code: string }) => w.code)).toContain('W_LOW_PTA');
  });
  it('auc24:400:600: 50.0 % (closed form), no warning, likely', async () => {
    const { out, err } = await run(opt('auc24:400:600'));
    expect(out).not.toMatch(/not advice/);
    expect(err).not.toMatch(/W_LOW_PTA/);
    expect(JSON.parse((await run(opt('auc24:400:600', true))).out)[0].likely).toBe(true);
  });
});
