// A zero-order release longer than the dosing interval (an infusion of 1344 h q672h) was refused by
// the nomogram ("infusion duration 1344 h is longer than the dosing interval 672 h", exit 2),
// though the engine runs overlapping infusions at steady state and nothing in the nomogram's
// algorithm (the SS = 1 dose, one more at τ, the metrics over [τ, 2τ]) needs the infusion to end
// within its interval. References: superposition of the 1-cmt infusion response at steady state,
// Σ_n c(s + nτ), summed with mpmath (30 digits) when the tests were written.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { cli } from '../cli/run-cli.js';

// the model m3: 1-cmt with depot, CL 2 L/h, V 100 L at WT 70; the dose goes into the central compartment (cmt 2)
const spec = {
  dosewise: 2,
  name: 'lai-wt',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  theta: { TVCL: { value: 2, unit: 'L/h' }, TVV: { value: 100, unit: 'L' }, TVKA: { value: 0.0005, unit: '1/h' } },
  covariates: { WT: { unit: 'kg', default: 70 } },
  parameters: { CL: { expr: 'TVCL*(WT/70)^0.75*exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' }, KA: { expr: 'TVKA', unit: '1/h' } },
  omega: { etas: ['ETA_CL'], matrix: [[0.1]] },
  observe: { compartment: 2, scale: 'V', unit: 'mg/L' },
};
const model = defineModel(spec);
const dir = mkdtempSync(join(tmpdir(), 'dosewise-nomogram-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'm3.json');
writeFileSync(file, JSON.stringify(spec));
const rel = (a: number, b: number): number => Math.abs(a / b - 1);
const cell = (infusion: number, metric: 'trough' | 'cavg', value: number) =>
  nomogram(model, { target: { metric, value }, intervals: [672], infusion, cmt: 2, grid: [{ name: 'WT', values: [70] }] }).cells[0]!;

describe('nomogram: an infusion longer than the dosing interval is run, not refused', () => {
  it('1344 h q672h: two releases always overlap, the level is constant at D/(CL·τ), so trough 0.3 takes 0.3·2·672 = 403.2 mg (refused before)', () => {
    const c = cell(1344, 'trough', 0.3);
    // measured 1.4e-16
    expect(rel(c.computed!, 403.2)).toBeLessThan(1e-12);
    // a flat profile: peak, trough and average agree
    expect(rel(c.achieved!.cmax, 0.3)).toBeLessThan(1e-12);
    expect(rel(c.achieved!.cavg, 0.3)).toBeLessThan(1e-12);
  });
  it('1000 h q672h: the end of the release given one interval before falls 328 h into each interval; trough and peak by superposition', () => {
    const c = cell(1000, 'trough', 0.3);
    // Σ_{n≥1} c(nτ) = 5.0051334490265036e-4 per mg: 599.38461792332406 mg; measured 1e-15
    expect(rel(c.computed!, 599.3846179233241)).toBeLessThan(1e-12);
    // the peak is at that end (two releases before it, one after): 9.9929278398253874e-4 per mg; measured 1e-15
    expect(rel(c.achieved!.cmax, 599.3846179233241 * 0.0009992927839825388)).toBeLessThan(1e-12);
    // Css,avg = D/(CL·τ) whatever the overlap; measured +7.2e-7, the τ/480 grid's linear-up area
    // over the rise after each release starts (as for any infusion the nomogram tabulates)
    expect(rel(cell(1000, 'cavg', 0.3).computed!, 403.2)).toBeLessThan(2e-6);
  });
  it('1500 h q672h: the peak at the end of the release given two intervals before (156 h in), which no dose record of the grid names', () => {
    const c = cell(1500, 'trough', 0.3);
    // trough 6.6667717047556359e-4 per mg: 449.99291004070194 mg (measured 4e-15); peak 9.8528140767856089e-4 per mg
    expect(rel(c.computed!, 449.99291004070193)).toBeLessThan(1e-12);
    // measured 2.5e-16 with that end sampled (τ + 156 h); without it the nearest sample read 0.443290, −1.8e-4
    expect(rel(c.achieved!.cmax, 0.44336964785027483)).toBeLessThan(1e-12);
  });
  it('the command line runs --interval 672 --infusion 1344 --cmt 2 (exit 2 before)', async () => {
    const r = await cli(['nomogram', '--model', file, '--target', 'trough=0.3', '--interval', '672', '--infusion', '1344', '--cmt', '2', '--grid', 'WT=70', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(rel(JSON.parse(r.out).cells[0].computed, 403.2)).toBeLessThan(1e-12);
  });
});
