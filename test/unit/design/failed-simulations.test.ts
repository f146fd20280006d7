// Subjects (pta) and posterior draws (optimize, advice) whose simulation fails stay in the PTA's
// denominator as not attaining the target, and their number is reported. The model: one-compartment
// Michaelis–Menten elimination, VMAX = 100·e^η mg/h (ω² 0.09), KM 10 mg/L: at 1100 mg q12h (dose
// rate R = 91.67 mg/h) a subject with VMAX < R has no steady state, P = Φ(ln(R/100)/0.3) = 0.386.
// Dropping those subjects raised the PTA of auc24:100:2000 from ≈ 45 % to ≈ 73 %.

import { describe, expect, it } from 'vitest';
import { pta } from '../../../src/design/pta/pta.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { compileTarget, parseTarget } from '../../../src/design/targets/targets.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { regimen } from '../../../src/regimen/builder.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { adviseFromState } from '../../../src/design/optimize/advice.js';
import { normalCdf } from '../../../src/stats/normal.js';
import { cli } from '../cli/run-cli.js';
import { MM_MODEL as mmJson } from './mm-oracle.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-files.js';

const TARGET = 'auc24:100:2000';
/** q12h 1-h infusions at steady state, for a patient of 70 kg (the optimize patient's weight). */
const q12 = (amt: number) => ({
  name: `${amt} q12h`,
  records: regimen().dose({ time: 0, amt, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1, items: { WT: 70 } }).observe({ grid: { from: 0, to: 24, step: 0.1 }, items: { WT: 70 } }).records(),
});
/** P(VMAX < dose rate): the subjects without a steady state. */
const pNoSteadyState = (amt: number) => normalCdf(Math.log(amt / 12 / 100) / 0.3);

/** Per-subject AUC24 of the same virtual subjects, counted here: failed = NaN, attained = within the window. */
async function perSubject(amt: number, n: number, seed: number): Promise<{ attained: number; failed: number }> {
  const reg = q12(amt);
  const target = compileTarget(parseTarget(TARGET), reg.records);
  const plan = populationPlan({ model: mmJson, records: reg.records, key: seedKey(seed), metrics: target.metrics, table: false });
  let attained = 0;
  let failed = 0;
  await runStudy(plan, {
    n,
    workers: 0,
    onChunk: (c) => {
      for (let s = 0; s < c.count; s++) {
        const v = c.metrics[s] as number;
        if (Number.isNaN(v)) failed++;
        else if (v >= 100 && v <= 2000) attained++;
      }
    },
  });
  return { attained, failed };
}

describe('failed simulations count as not attaining the target', () => {
  it('pta: PTA = attained / all subjects from the per-subject AUC24; failed reported per regimen and cell', async () => {
    const n = 2000;
    const r = await pta({ model: mmJson, regimens: [q12(700), q12(1100)], target: TARGET, n, seed: 1, workers: 0 });
    for (const [i, amt] of [700, 1100].entries()) {
      const g = r.regimens[i]!;
      const ref = await perSubject(amt, n, 1);
      expect(ref.failed).toBeGreaterThan(0);
      expect(g.failed).toBe(ref.failed);
      expect(g.overall).toMatchObject({ n, attained: ref.attained, failed: ref.failed });
      expect(g.overall.pta).toBe(ref.attained / n);
      expect(g.overall.se).toBeCloseTo(Math.sqrt((g.overall.pta * (1 - g.overall.pta)) / n), 15);
      expect(g.overall.attained + g.overall.below + g.overall.above + g.overall.failed).toBe(n);
      // the failures are the subjects without a steady state: P(VMAX < R) within 4 Monte Carlo SE
      const p = pNoSteadyState(amt);
      expect(Math.abs(g.failed / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      // no PTA above the fraction of subjects with an exposure (before: 73 % for 1100 mg, above 1 − 0.386)
      expect(g.overall.pta).toBeLessThanOrEqual(1 - g.failed / n);
    }
    const big = r.regimens[1]!;
    expect(big.overall.pta).toBeGreaterThan(0.4);
    expect(big.overall.pta).toBeLessThan(0.5);
    expect(r.warnings.filter((w) => w.startsWith('W_SIMULATION_FAILED: regimen 1100 q12h:'))).toEqual([
      expect.stringContaining(`the simulation of ${big.failed.toLocaleString('en-US')} of 2,000 virtual subjects`),
    ]);
  });

  it('pta: failed subjects are counted in their stratum', async () => {
    const r = await pta({ model: mmJson, regimens: [q12(1100)], target: TARGET, strata: 'VMAX:91.6666', n: 1000, seed: 2, workers: 0 });
    const [low, high, all] = r.regimens[0]!.cells;
    // below the dose rate, every subject fails: PTA 0 over all of them, not NaN over none
    expect(low!.failed).toBe(low!.n);
    expect(low!.pta).toBe(0);
    expect(high!.failed).toBe(0);
    expect(low!.n + high!.n).toBe(1000);
    expect(all!.failed).toBe(r.regimens[0]!.failed);
    expect(all!.pta).toBe(high!.attained / 1000);
  });

  it('pta command: a failed column, the subjects per regimen, and the warning with its count', async () => {
    const dir = tempDir('dw-failed-');
    const model = join(dir, 'mm.json');
    writeFileSync(model, JSON.stringify(mmJson));
    writeFileSync(join(dir, 'cov.json'), JSON.stringify({ covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.2 } } }));
    const regs = [700, 1100].map((amt) => {
      const f = join(dir, `r${amt}.json`);
      writeFileSync(f, JSON.stringify({ doses: [{ time: 0, amt, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.1 } }] }));
      return f;
    });
    const res = await cli(['pta', '--model', model, '--covariates', join(dir, 'cov.json'), '--regimens', regs.join(','), '--target', TARGET, '--n', '1000', '--workers', '0', '--no-progress', '--json']);
    expect(res.code).toBe(0);
    const j = JSON.parse(res.out) as { regimens: { name: string; failed: number; overall: { n: number; pta: number; attained: number; failed: number } }[]; warnings: string[] };
    for (const g of j.regimens) {
      expect(g.overall.n).toBe(1000);
      expect(g.overall.failed).toBe(g.failed);
      expect(g.overall.pta).toBe(g.overall.attained / 1000);
      expect(res.err).toContain(`W_SIMULATION_FAILED: regimen ${g.name}: the simulation of ${g.failed} of 1,000 virtual subjects`);
    }
    const r1100 = j.regimens[1]!;
    expect(r1100.failed).toBeGreaterThan(300);
    expect(r1100.overall.pta).toBeLessThan(0.5);
    const text = await cli(['pta', '--model', model, '--covariates', join(dir, 'cov.json'), '--regimens', regs.join(','), '--target', TARGET, '--n', '1000', '--workers', '0', '--no-progress']);
    const row = text.out.split('\n').find((l) => l.startsWith('r1100'))!;
    expect(row).toMatch(new RegExp(`${(100 * r1100.overall.pta).toFixed(1)} ± [0-9.]+ +${r1100.failed}$`));
    expect(text.out).toMatch(/^n +1,000 *$/m);
    expect(text.out).toContain(`r1100: the simulation of ${r1100.failed} of 1,000 subjects failed; they count as not attaining the target`);
  });

  it('optimize (prior draws) and advice (posterior draws from a steady-state history): the PTA of all draws, as over a virtual population', async () => {
    const model = defineModel(mmJson);
    // the same distribution as the prior draws of a 70 kg patient: an independent Monte Carlo estimate
    const n = 4000;
    const ref = await perSubject(1100, n, 7);
    const pRef = ref.attained / n;
    const seRef = Math.sqrt((pRef * (1 - pRef)) / n);
    const draws = 2000;
    const records = readNmtran('ID,TIME,AMT,RATE,CMT,EVID,DV,MDV,WT\n1,0,0,0,1,2,.,1,70\n').records;
    const opt = optimizeRegimen(model, records, { doses: [700, 1100], intervals: [12], infusions: [1], target: TARGET, draws, seed: 1 });
    const c = opt.ranked.find((x) => x.dose === 1100)!;
    // before: 73.0 % over the draws left
    expect(Math.abs(c.pta - pRef)).toBeLessThan(4 * Math.hypot(seRef, c.ptaSe));
    const pNo = pNoSteadyState(1100);
    expect(Math.abs(c.failed / draws - pNo)).toBeLessThan(4 * Math.sqrt((pNo * (1 - pNo)) / draws));
    expect(c.ptaSe).toBeCloseTo(Math.sqrt((c.pta * (1 - c.pta)) / draws), 15);
    expect(c.pta).toBeLessThanOrEqual(1 - c.failed / draws);
    expect(opt.ranked[0]!.dose).toBe(700);
    const w = opt.warnings.find((x) => (x.code as string) === 'W_SIMULATION_FAILED')!;
    expect(w.message).toContain(`at most ${c.failed.toLocaleString('en-US')} of 2,000 draws, for 1100 every 12 h over 1 h`);

    // advice from 12 h after a steady-state 1100 mg q12h dose, continuing the regimen: the draws
    // whose history has no steady state fail, the others stay at steady state
    const hist = readNmtran('ID,TIME,AMT,RATE,CMT,EVID,II,SS,DV,MDV,WT\n1,0,1100,1100,1,1,12,1,.,1,70\n').records;
    const adv = adviseFromState(model, hist, { from: 12, doses: [1100], intervals: [12], infusions: [1], target: TARGET, draws, seed: 1, holdBelow: 1e9, loading: false });
    const a = adv.ranked[0]!;
    expect(Math.abs(a.pta - pRef)).toBeLessThan(4 * Math.hypot(seRef, a.ptaSe));
    expect(Math.abs(a.failed / draws - pNo)).toBeLessThan(4 * Math.sqrt((pNo * (1 - pNo)) / draws));
    expect(a.ptaSe).toBeCloseTo(Math.sqrt((a.pta * (1 - a.pta)) / draws), 15);
    expect(adv.warnings.some((x) => (x.code as string) === 'W_SIMULATION_FAILED' && x.message.includes(`at most ${a.failed.toLocaleString('en-US')} of 2,000 draws`))).toBe(true);
  });
});
