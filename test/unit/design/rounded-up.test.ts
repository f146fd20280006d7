// Adult strengths on small doses: `nomogram --round 250` put "250v" in every cell of computed doses
// of a few mg with only a footnote, and `optimize --from --round 250 --doses 1:10:0.5` said "no
// candidate reaches the target" without saying that rounding had made the 19 doses asked for one
// candidate, 250. Both warn now (W_ROUNDED_UP) where a practical dose is more than twice the dose
// computed or asked for, with the largest ratio.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-rounded-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('W_ROUNDED_UP', () => {
  const nomogram = ['nomogram', '--model', 'gentamicin_xuan_2003', '--target', 'cmax=10', '--interval', '36', '--infusion', '0.5', '--grid', 'WT=1,2,3', '--set', 'ClCr=5'];

  it('nomogram --round 250 on doses of a few mg warns with the largest ratio and its cell', async () => {
    const r = await cli([...nomogram, '--round', '250', '--json']);
    expect(r.code, r.err).toBe(0);
    const cells = (JSON.parse(r.out) as { cells: { covariates: { WT: number }; dose: number; computed: number }[] }).cells;
    // the typical patient at WT 1, ClCr 5 (CL 0.235 L/h, V 0.28 L, K12 0.092, K21 0.071 /h): 1 mg over
    // 0.5 h every 36 h peaks at steady state at 10 / 3.497175582988853 mg/L (scipy expm of the
    // two-compartment system, (I − e^{A·0.5}·e^{A·35.5})⁻¹ of the infusion's input); measured 3.497175582988848
    const light = cells.find((c) => c.covariates.WT === 1)!;
    expect(Math.abs(light.computed / 3.497175582988853 - 1)).toBeLessThan(1e-9);
    expect(light.dose).toBe(250);
    // 250 / 3.497175582988853 = 71.486: the largest ratio, at the lightest weight
    expect(r.err).toContain('W_ROUNDED_UP: doses multiples of 250, nearest (ties up): 3 of 3 cells give more than 2× the computed dose, up to 71.5× (WT 1: 250 for a computed 3.5)');
    const fine = await cli([...nomogram, '--round', '0.5']);
    expect(fine.code, fine.err).toBe(0);
    expect(fine.err).not.toContain('W_ROUNDED_UP');
  });

  it('optimize --from: says that --round merged the 19 --doses into one candidate, where nothing is feasible', async () => {
    const data = join(dir, 'p2.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr\n2,0,1,300,600,.,1,60,25\n2,1.5,0,.,.,17,0,60,25\n2,12,0,.,.,7.5,0,60,25\n');
    const args = ['optimize', '--model', 'gentamicin_xuan_2003', '--data', data, '--from', '24', '--target', 'peak/mic:1:40', '--doses', '1:10:0.5', '--round', '250', '--intervals', '36', '--infusions', '0.5', '--draws', '200'];
    const t = await cli(args);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toContain('  no feasible regimen: no candidate reaches the target for any draw (--round 250 made the 19 --doses (1–10) 1 candidate dose (250))\n');
    expect(t.err).toContain('W_ROUNDED_UP: --round 250 made the 19 --doses (1–10) 1 candidate dose (250): 19 of them became more than 2× themselves, up to 250× (1 → 250), so the doses asked for were not evaluated; give a --round step fit for them');
    const j = await cli([...args, '--json']);
    const [a] = JSON.parse(j.out) as { warnings: { code: string }[] }[];
    expect(a!.warnings.map((w) => w.code)).toContain('W_ROUNDED_UP');
    // a range whose foot alone is rounded up (100 → 250 of 100:3000:100) was searched: no warning
    const wide = await cli([...args.slice(0, 10), '100:3000:100', ...args.slice(11)]);
    expect(wide.err).not.toContain('W_ROUNDED_UP');
  });
});
