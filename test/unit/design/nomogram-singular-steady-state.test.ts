// Nomogram of a Michaelis–Menten model whose too-high trial doses the engine reports as a singular
// steady state (status 5, "elimination saturated below the dose rate") rather than a dose iteration
// that does not converge (status 4): both are doses above any exposure target. The table stopped at
// "steady state for dose 6400 (WT=90)" with exit 1; the doses are checked against an independent
// periodic solution of dA/dt = R(t) − VMAX·C/(KM + C) (SciPy's solve_ivp + brentq gave 1119 / 1513 /
// 1855 / 2143 mg).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { cli } from '../cli/run-cli.js';
import { mmSteadyStateAuc } from './mm-oracle.js';
import { tempDir } from '../temp-files.js';

const mmcov = {
  dosewise: 2,
  name: 'mmcov',
  structure: { kind: 'michaelis-menten', compartments: 1, depot: false },
  covariates: { WT: { unit: 'kg' } },
  parameters: { V: '40', VMAX: '100*(WT/70)*exp(ETA_VM)', KM: 10 },
  omega: { etas: ['ETA_VM'], diagonal: [0.09] },
  residual: { model: 'proportional', proportional: 0.1 },
};
const V = 40;
const KM = 10;

/** AUC24 at the periodic steady state of `dose` infused over 1 h every `tau` h (the shared oracle, V 40 L). */
const aucSteadyState = (dose: number, vmax: number, tau: number): number => mmSteadyStateAuc({ dose, vmax, km: KM, v: V, tau });

describe('nomogram: a singular steady state is a dose above the target', () => {
  it('auc24 = 500 q24h, WT 50–110: the doses whose steady-state AUC24 is 500', () => {
    const n = nomogram(defineModel(mmcov), { target: { metric: 'auc24', value: 500 }, intervals: [24], infusion: 1, grid: [{ name: 'WT', values: [50, 70, 90, 110] }] });
    expect(n.solution).toBe('bisection');
    const doses = n.cells.map((c) => c.computed!);
    // SciPy (solve_ivp at rtol 1e-12, brentq): 1119, 1513, 1855, 2143 mg
    expect(doses.map(Math.round)).toEqual([1119, 1513, 1855, 2143]);
    n.cells.forEach((c) => {
      const vmax = (100 * (c.covariates.WT as number)) / 70;
      expect(aucSteadyState(c.computed!, vmax, 24) / 500 - 1).toBeCloseTo(0, 5);
    });
  }, 60_000);

  it('the command prints the table (it exited 1 at "steady state for dose 6400 (WT=90) … no steady state exists")', async () => {
    const dir = tempDir('dw-nomo-singular-');
    const file = join(dir, 'mmcov.json');
    writeFileSync(file, JSON.stringify(mmcov));
    const r = await cli(['nomogram', '--model', file, '--target', 'auc24=500', '--interval', '24', '--infusion', '1', '--grid', 'WT=50:110:20']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const [wt, dose] of [[50, 1119], [70, 1513], [90, 1855], [110, 2143]]) expect(r.out).toMatch(new RegExp(`^${wt} +${dose}$`, 'm'));
  }, 60_000);

  it('a rounded dose above VMAX·τ has no steady state: the interval is infeasible with a reason, exit 0', async () => {
    const dir = tempDir('dw-nomo-singular-');
    const file = join(dir, 'mmcov.json');
    writeFileSync(file, JSON.stringify(mmcov));
    const r = await cli(['nomogram', '--model', file, '--target', 'auc24=50000', '--interval', '12', '--infusion', '1', '--grid', 'WT=70', '--round', '250', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out).cells[0];
    const cand = c.candidates[0];
    // at WT 70 at most VMAX·τ = 100 × 12 = 1200 mg is eliminated per interval: the computed dose lies
    // below it, its rounding (1250) above it
    expect(cand.computed).toBeLessThan(1200);
    expect(cand.computed).toBeGreaterThan(1125);
    expect(aucSteadyState(cand.computed, 100, 12) / 50000 - 1).toBeCloseTo(0, 3);
    expect(cand.rounded.dose).toBe(1250);
    expect(cand.feasible).toBe(false);
    expect(cand.reason).toBe('no periodic steady state at the rounded dose 1250');
    expect(c.dose).toBeNull();
  }, 60_000);
});
