// Nomogram of a Michaelis–Menten model: a trial dose whose rate saturates the elimination has no
// steady state, so it is above any exposure target; the dose search narrows below it instead of
// stopping at the error (the search went 100 → 400 → 1600 mg and failed at 1600). The doses found are
// checked against an independent integration of dA/dt = R(t) − VMAX·C/(KM + C) to its periodic state.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { bracketBisect } from '../../../src/design/nomogram/nomogram-exposure.js';
import { cli } from '../cli/run-cli.js';
import { MM_MODEL as mmJson, mmSteadyStateAuc } from './mm-oracle.js';
import { tempDir } from '../temp-files.js';

describe('nomogram of a non-linear model: doses without a steady state are too high', () => {
  it('auc24 = 100 and 150 at WT 70 (V 50 L): the dose whose steady-state AUC24 is the target', () => {
    const model = defineModel(mmJson);
    for (const [value, expected] of [
      [100, 339.5],
      [150, 445.8],
    ] as const) {
      const n = nomogram(model, { target: { metric: 'auc24', value }, intervals: [12], infusion: 1, grid: [{ name: 'WT', values: [50, 70] }] });
      expect(n.solution).toBe('bisection');
      for (const c of n.cells) {
        const V = (50 * (c.covariates.WT as number)) / 70;
        // a steady state at all: below the saturating rate of 100 mg/h × 12 h
        expect(c.computed!).toBeLessThan(1200);
        expect(mmSteadyStateAuc({ dose: c.computed!, vmax: 100, km: 10, v: V, tau: 12, perHour: 4000 }) / value - 1).toBeCloseTo(0, 4);
      }
      expect(n.cells[1]!.computed!).toBeCloseTo(expected, 1);
    }
  });

  it('the command prints the dose (it stopped at "steady state for dose 1600 … did not reach a periodic steady state")', async () => {
    const dir = tempDir('dw-nomo-mm-');
    const file = join(dir, 'mm.json');
    writeFileSync(file, JSON.stringify(mmJson));
    const r = await cli(['nomogram', '--model', file, '--target', 'auc24=150', '--interval', '12', '--infusion', '1', '--grid', 'WT=70', '--round', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^70 +446$/m);
    // near the saturating rate: the computed dose has a steady state, its rounding up to 1200 (= VMAX·τ) has none
    const j = await cli(['nomogram', '--model', file, '--target', 'auc24=1e6', '--interval', '12', '--infusion', '1', '--grid', 'WT=70', '--round', '100', '--json']);
    expect(j.code).toBe(0);
    const cell = JSON.parse(j.out).cells[0];
    expect(cell.dose).toBeNull();
    expect(cell.candidates[0].computed).toBeLessThan(1200);
    expect(cell.candidates[0].computed).toBeGreaterThan(1199);
    expect(cell.candidates[0].reason).toBe('no periodic steady state at the rounded dose 1200');
  });

  it('bracketBisect: +Infinity (no exposure, too high) narrows the bracket; refused when the target lies beyond it', () => {
    // f = dose/10 below 10, no exposure from 10 on: the target 0.5 is at 5, the target 2 beyond every dose with an exposure
    const f = (x: number): number => (x < 10 ? x / 10 : Infinity);
    expect(bracketBisect(f, 0.5, { start: 100, relTol: 1e-10, transform: Math.log }).dose).toBeCloseTo(5, 8);
    expect(bracketBisect(f, 0.99, { start: 100, relTol: 1e-10 }).dose).toBeCloseTo(9.9, 8);
    expect(() => bracketBisect(f, 2, { start: 100, what: 'test target', label: () => 'cell WT=70' })).toThrow(/^test target: not reached by any dose with a steady state \(cell WT=70\): the exposure at 10\.0000/);
  });
});
