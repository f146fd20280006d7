// pta's margin between the best regimen and the runner-up, and the interval of a PTA at 0 or 100 %.
//
// Every regimen is given to the same virtual subjects, so two PTAs are correlated and the SE of
// their difference comes from the paired outcomes: Var(p̂₁ − p̂₂) = (p₁₀ + p₀₁ − (p₁₀ − p₀₁)²)/n, p₁₀
// and p₀₁ the fractions attaining under one regimen only. The margin was (p₁ − p₂)/√(SE₁² + SE₂²), as
// for independent samples: 2.1 SE for a paired 3.4 (1000 vs 1100 mg q12h, n 2000, seed 1).
//
// The model: one compartment, CL = 4·exp(η), ω² 0.09, D mg q12h at steady state, so AUC24 = 2D/CL
// and 400 ≤ AUC24 ≤ 600 is 2D/600 ≤ CL ≤ 2D/400: each window is an interval of ln CL ~ N(ln 4, 0.09),
// and so is the overlap of two windows (attaining under both). The reference probabilities were
// computed with SciPy 1.17.1 (norm.cdf) when this test was written.

import { describe, expect, it } from 'vitest';
import { pta } from '../../../src/design/pta/pta.js';
import { discordant, pairedDifference, wilson } from '../../../src/design/pta/attainment.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli } from './design-cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-files.js';

const model = {
  dosewise: 2,
  name: 'pta 1cmt',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
const q12 = (amt: number) => ({
  name: `${amt} mg q12h`,
  records: regimen().dose({ time: 0, amt, cmt: 1, ii: 12, ss: 1, addl: 1 }).observe({ grid: { from: 0, to: 24, step: 0.5 } }).records(),
});

/** P(attains under 1000 mg), P(attains under D mg), P(both), SciPy. */
const exact: Record<number, { p1: number; p2: number; p11: number }> = {
  1060: { p1: 0.499824386696881, p2: 0.4862715387861207, p11: 0.4318879136211363 },
  1100: { p1: 0.499824386696881, p2: 0.46987784541403027, p11: 0.3856112285572531 },
  // the windows [3.33, 5] and [5, 7.5] L/h of CL share one point: never both
  1500: { p1: 0.499824386696881, p2: 0.21042575515625872, p11: 0 },
};
const pairedSd = (e: { p1: number; p2: number; p11: number }, n: number) => {
  const p10 = e.p1 - e.p11;
  const p01 = e.p2 - e.p11;
  return Math.sqrt((p10 + p01 - (p10 - p01) ** 2) / n);
};
const independentSd = (e: { p1: number; p2: number }, n: number) => Math.sqrt((e.p1 * (1 - e.p1) + e.p2 * (1 - e.p2)) / n);

describe('pta: the margin between two regimens is measured on the same subjects (paired)', () => {
  it('discordant counts and the paired SE on known indicators', () => {
    // subjects 0..69: a attains on multiples of 2, b on multiples of 3 (words 0, 1 and 2 of the bit sets)
    const n = 70;
    const bitsOf = (f: (i: number) => boolean) => {
      const w = new Uint32Array(Math.ceil(n / 32));
      for (let i = 0; i < n; i++) if (f(i)) w[i >>> 5]! |= 1 << (i & 31);
      return w;
    };
    const a = bitsOf((i) => i % 2 === 0);
    const b = bitsOf((i) => i % 3 === 0);
    let aOnly = 0;
    let bOnly = 0;
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0 && i % 3 !== 0) aOnly++;
      if (i % 3 === 0 && i % 2 !== 0) bOnly++;
    }
    expect(discordant(a, b)).toEqual({ aOnly, bOnly });
    expect([aOnly, bOnly]).toEqual([23, 12]);
    // every bit of a word, the sign bit included (subject 31 of each 32)
    const ones = new Uint32Array([0xffffffff, 0xffffffff]);
    const none = new Uint32Array(2);
    expect(discordant(ones, none)).toEqual({ aOnly: 64, bOnly: 0 });
    expect(discordant(none, ones)).toEqual({ aOnly: 0, bOnly: 64 });
    expect(discordant(new Uint32Array([0x80000000]), new Uint32Array([0x80000001]))).toEqual({ aOnly: 0, bOnly: 1 });
    // Agresti–Min: 0.5 added to each cell, n + 2 subjects: √(b* + c* − (b* − c*)²/n*)/n*
    const d = pairedDifference(23, 12, 70);
    expect(d.difference).toBe(11 / 70);
    expect(d.se).toBeCloseTo(Math.sqrt(23.5 + 12.5 - 11 ** 2 / 72) / 72, 15);
    // the counts (1000 vs 1100 mg, n 2000, seed 1: 217 and 152 discordant): SE 0.009581
    // (SciPy), margin 3.39 where √(SE₁² + SE₂²) = 0.0158 printed 2.1
    expect(pairedDifference(217, 152, 2000).se).toBeCloseTo(0.009580643680984345, 12);
    // never 0: one subject attaining under one regimen only is 2.32 SE, not ∞
    expect(pairedDifference(1, 0, 1).se).toBeCloseTo(0.4303314829119352, 12);
    expect(pairedDifference(0, 0, 1).se).toBeGreaterThan(0);
  });

  it('the SE behind the margin is the paired one of the closed form (0.0031 for 1000 vs 1100 mg), not the independent 0.0050', async () => {
    const n = 20_000;
    for (const d of [1100, 1500] as const) {
      const r = await pta({ model, regimens: [q12(1000), q12(d)], target: 'auc24:400:600', n, seed: 1, workers: 0 });
      const e = exact[d]!;
      const [g1, g2] = r.regimens;
      // the simulation is the closed form's: each PTA and the attaining-under-one-only fractions within 4 SE
      expect(Math.abs(g1!.overall.pta - e.p1)).toBeLessThan(4 * Math.sqrt((e.p1 * (1 - e.p1)) / n));
      expect(Math.abs(g2!.overall.pta - e.p2)).toBeLessThan(4 * Math.sqrt((e.p2 * (1 - e.p2)) / n));
      expect(r.ranking[0]).toBe('1000 mg q12h');
      const p10 = e.p1 - e.p11;
      const p01 = e.p2 - e.p11;
      expect(Math.abs(r.discordant!.best / n - p10)).toBeLessThan(4 * Math.sqrt((p10 * (1 - p10)) / n));
      expect(Math.abs(r.discordant!.runnerUp / n - p01)).toBeLessThan(4 * Math.sqrt((p01 * (1 - p01)) / n));
      // the SE the margin divides by: measured 0.998 × (1100) and 1.007 × (1500) the exact paired SD
      // (0.003143 and 0.005597); before it was 1.589 × and 0.819 × (√(SE₁² + SE₂²) ≈ 0.004995 and
      // 0.004561: 1000 and 1500 mg never attain together, so their PTAs are negatively correlated and
      // the separation was overstated). Sampling error of the paired SE here is about 1 %
      const se = (g1!.overall.pta - g2!.overall.pta) / r.margin!;
      expect(se).toBeCloseTo(r.marginSe!, 12);
      expect(Math.abs(se / pairedSd(e, n) - 1)).toBeLessThan(0.03);
      expect(Math.abs(se / independentSd(e, n) - 1)).toBeGreaterThan(0.15);
    }
  }, 120_000);

  it('over 20 seeds the difference spreads as the reported paired SE says (1000 vs 1060 mg: it spread half the SE printed before)', async () => {
    const n = 2000;
    const e = exact[1060]!;
    const z: number[] = [];
    for (let s = 1; s <= 20; s++) {
      const r = await pta({ model, regimens: [q12(1000), q12(1060)], target: 'auc24:400:600', n, seed: `paired-${s}`, workers: 0 });
      const [g1, g2] = r.regimens;
      const diff = g1!.overall.pta - g2!.overall.pta;
      // the SE of the reported margin, whichever regimen came first
      const se = Math.abs(diff / r.margin!);
      z.push((diff - (e.p1 - e.p2)) / se);
    }
    const sd = Math.sqrt(z.reduce((s, x) => s + x * x, 0) / z.length);
    // root mean square of the standardized differences from the exact one: measured 0.949; with
    // √(SE₁² + SE₂²) (0.0158 for an exact paired 0.0078) the same runs gave 0.462. For 20 standardized
    // differences it lies in [0.69, 1.31] with 95 % probability (√(χ²₂₀/20))
    expect(sd).toBeGreaterThan(0.69);
    expect(sd).toBeLessThan(1.31);
  }, 120_000);
});

describe('pta: a PTA of 0 or 100 % has an interval that does not collapse', () => {
  it('Wilson 95 % interval (SciPy reference values)', () => {
    const near = (x: { lo: number; hi: number }, lo: number, hi: number) => {
      expect(x.lo).toBeCloseTo(lo, 12);
      expect(x.hi).toBeCloseTo(hi, 12);
    };
    // 0 of 18: [0, 0.176] (Clopper–Pearson [0, 0.185]); Wald gave [0, 0]
    near(wilson(0, 18), 0, 0.17587922364665765);
    near(wilson(3, 18), 0.05836576805861446, 0.39222038103915735);
    near(wilson(18, 18), 0.8241207763533425, 1);
    near(wilson(0, 200), 0, 0.018845326377266575);
  });

  it('0 of 18 subjects in a stratum: cell [0, 0.176], plot band [0, 0.176] and "0.0 [0.0, 17.6]" printed (0.0 ± 0.0 and [0, 0] before)', async () => {
    // the stratified case: WT ≥ 150 kg holds 18 of 2000 subjects (seed 4), none within the
    // window at 1000 mg q12h
    const mband = {
      ...model,
      name: 'band 1cmt',
      covariates: { WT: { unit: 'kg', default: 70 } },
      parameters: { CL: { expr: 'TVCL * (WT/70)^0.75 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * WT/70', unit: 'L' } },
      omega: { etas: ['ETA_CL'], diagonal: [0.04] },
    };
    const cband = { covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.35, lower: 30, upper: 200, unit: 'kg' } } };
    const o = { model: mband, covariates: cband, regimens: [q12(1000), q12(1500)], target: 'auc24:400:600', strata: 'WT:33,150', n: 2000, seed: 4, workers: 0 };
    const r = await pta(o);
    const cell = r.regimens[0]!.cells[2]!;
    expect(cell).toMatchObject({ stratum: 'WT ≥ 150', n: 18, attained: 0, pta: 0, se: 0 });
    expect(cell.hi).toBeCloseTo(0.17587922364665765, 12);
    const point = r.plot.series[2]!.points.find((p) => p.regimen === '1000 mg q12h')!;
    expect([point.lo, point.hi]).toEqual([0, cell.hi]);
    // a cell inside (0, 1) keeps its Monte Carlo SE and gets its Wilson interval in the JSON
    const all = r.regimens[0]!.overall;
    expect(all.se).toBeCloseTo(Math.sqrt((all.pta * (1 - all.pta)) / all.n), 15);
    expect(all.lo).toBeCloseTo(wilson(all.attained, all.n).lo, 15);

    const dir = tempDir('pta-paired-');
    const file = (name: string, x: unknown) => (writeFileSync(join(dir, name), JSON.stringify(x)), join(dir, name));
    const reg = (amt: number) => file(`reg${amt}.json`, { doses: [{ time: 0, amt, cmt: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] });
    const out = await cli(['pta', '--model', file('mband.json', mband), '--covariates', file('cband.json', cband), '--regimens', `${reg(1000)},${reg(1500)}`, '--target', 'auc24:400:600', '--strata', 'WT:33,150', '--n', '2000', '--seed', '4', '--workers', '0', '--no-progress']);
    expect(out).toMatch(/^reg1000 +1000 q12h +2000 +\d+\.\d ± \d+\.\d +\d+\.\d ± \d+\.\d +0\.0 \[0\.0, 17\.6\] +\d+\.\d ± \d+\.\d$/m);
    expect(out).toContain('PTA [lo, hi]: a PTA of 0 or 100 % (SE 0), with its 95 % Wilson interval');
    expect(out).toMatch(/; ahead of reg1500 by \d+\.\d paired SE\)/);
  }, 120_000);
});
