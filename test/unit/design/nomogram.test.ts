// Nomograms: closed-form checks (dose = target·CL/F for an AUC target), rounding, interval choice
// under a trough ceiling, non-linear models by bisection, a four-covariate illustrative model.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { formatNomogram, nomogram, parseGridAxis, parseTarget } from '../../../src/design/nomogram/nomogram.js';
import { bracketBisect, bracketBisectBatch, steadyStateExposure } from '../../../src/design/nomogram/nomogram-exposure.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const illustrative = defineModel(JSON.parse(readFileSync('examples/nomogram-illustrative.model.json', 'utf8')));
const gotiCL = (crcl: number) => 4.5 * (crcl / 120) ** 0.8;

describe('steady-state exposure from the engine', () => {
  it('AUC over an interval at steady state = F·Dose/CL (2-cmt infusion), trough = the last level of a long simulation', () => {
    const covs = [30, 60, 120, 150].map((CRCL) => ({ covariates: { WT: 70, CRCL }, dose: 1000 }));
    const e = steadyStateExposure(goti, covs, { interval: 12, infusion: 1 });
    e.forEach((x, i) => {
      const CL = gotiCL(covs[i]!.covariates.CRCL);
      expect(Math.abs(x.auctau / (1000 / CL) - 1)).toBeLessThan(1e-5);
      expect(x.auc24).toBeCloseTo(x.auctau * 2, 9);
      expect(x.cavg).toBeCloseTo(x.auctau / 12, 9);
      expect(x.cmin).toBeCloseTo(x.trough, 9);
    });
    // steady state by 60 explicit doses
    const recs = regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, addl: 59, items: { WT: 70, CRCL: 30 } }).observe({ times: [720], items: { WT: 70, CRCL: 30 } }).records();
    const last = simulate(goti, recs).ipred[recs.findIndex((r) => r.EVID === 0)]!;
    expect(Math.abs(last / e[0]!.trough - 1)).toBeLessThan(1e-4);
  });
});

describe('nomogram: vancomycin (Goti 2018) over WT × CRCL', () => {
  const grid = [
    { name: 'WT', values: [50, 70, 90, 110] },
    { name: 'CRCL', values: [30, 60, 90, 120, 150] },
  ];
  it('unrounded dose per administration = target · CL · τ/24 in every cell (closed form, 1e-5)', () => {
    const n = nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid });
    expect(n.solution).toBe('proportional');
    expect(n.cells).toHaveLength(20);
    for (const c of n.cells) {
      const expected = (500 * gotiCL(c.covariates.CRCL!) * 12) / 24;
      expect(Math.abs(c.computed! / expected - 1)).toBeLessThan(1e-5);
      expect(c.dose).toBe(c.computed); // not rounded
      expect(c.parameters.CL).toBeCloseTo(gotiCL(c.covariates.CRCL!), 12);
      expect(c.achieved!.auc24).toBeCloseTo(500, 6);
    }
    // CL does not depend on weight: the AUC-targeted dose does not either; the trough does (V ∝ WT)
    const at = (wt: number, crcl: number) => n.cells.find((c) => c.covariates.WT === wt && c.covariates.CRCL === crcl)!;
    expect(Math.abs(at(50, 90).computed! / at(110, 90).computed! - 1)).toBeLessThan(1e-6);
    expect(at(50, 90).achieved!.trough).not.toBeCloseTo(at(110, 90).achieved!.trough, 1);
  });

  it('rounded to 250 mg within [500, 3000]; the achieved AUC scales with the rounded dose', () => {
    const n = nomogram(goti, {
      target: { metric: 'auc24', value: 500 },
      intervals: [12],
      infusion: 1,
      grid,
      rounding: { kind: 'increment', step: 250, min: 500, max: 3000 },
    });
    for (const c of n.cells) {
      expect(c.dose! % 250).toBe(0);
      expect(Math.abs(c.dose! - c.computed!)).toBeLessThanOrEqual(125 + 1e-9 + (c.clamped ? Infinity : 0));
      expect(c.achieved!.auc24).toBeCloseTo((500 * c.dose!) / c.computed!, 6);
    }
    // CRCL 30: 500·1.4845·12/24 = 371 mg → below the smallest allowed dose
    const low = n.cells.find((c) => c.covariates.CRCL === 30)!;
    expect(low).toMatchObject({ dose: 500, clamped: 'min' });
    expect(n.cells.find((c) => c.covariates.CRCL === 120)!.dose).toBe(1250); // 1125 → tie → up
  });

  it('interval choice: the first interval whose trough stays under the ceiling', () => {
    const n = nomogram(goti, {
      target: { metric: 'auc24', value: 500 },
      intervals: [12, 24, 48],
      infusion: 1,
      grid,
      troughMax: 16,
      rounding: { kind: 'increment', step: 250, min: 500 },
    });
    for (const c of n.cells) {
      expect(c.interval).not.toBeNull();
      expect(c.achieved!.trough).toBeLessThanOrEqual(16);
      const i = n.intervals.indexOf(c.interval!);
      for (const earlier of c.candidates.slice(0, i)) {
        expect(earlier.feasible).toBe(false);
        expect(earlier.reason).toMatch(/^trough .* > 16$/);
      }
    }
    // low CrCL: long half-life, q12h trough too high → a longer interval; high CrCL stays q12h
    const low = n.cells.find((c) => c.covariates.CRCL === 30 && c.covariates.WT === 70)!;
    const high = n.cells.find((c) => c.covariates.CRCL === 150 && c.covariates.WT === 70)!;
    expect(low.interval).toBe(48); // q12h 500 mg: trough 25; q24h 750 mg: 17.0; q48h 1500 mg: 14.0
    expect(high.interval).toBe(12);
    expect(n.cells.find((c) => c.covariates.CRCL === 60 && c.covariates.WT === 70)!.interval).toBe(24);
    const text = formatNomogram(n);
    expect(text).toMatch(/WT \\ CRCL/);
    expect(text).toMatch(/q12h/);
    expect(text).toMatch(/trough ≤ 16/);
  });

  it('no feasible interval: dose null with the reason, shown as — in the table', () => {
    const n = nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12, 24], infusion: 1, grid: [{ name: 'CRCL', values: [30, 120] }], fixed: { WT: 70 }, troughMax: 0.5 });
    expect(n.cells.every((c) => c.dose === null && c.interval === null && /no interval meets/.test(c.note!))).toBe(true);
    expect(formatNomogram(n)).toMatch(/—/);
  });

  it('JSON is plain data (round-trips)', () => {
    const n = nomogram(goti, { target: { metric: 'auc24', value: 400 }, intervals: [8], infusion: 1.5, grid: [{ name: 'CRCL', values: [60] }], fixed: { WT: 80 }, rounding: { kind: 'strengths', strengths: [500, 1000, 250], maxUnits: 4 } });
    const j = JSON.parse(JSON.stringify(n));
    expect(j).toMatchObject({ dosewise: 'nomogram', version: 1, model: 'vancomycin_goti_2018', target: { metric: 'auc24', value: 400 }, fixed: { WT: 80 } });
    expect(j.cells[0].units.reduce((s: number, u: { strength: number; count: number }) => s + u.strength * u.count, 0)).toBe(j.cells[0].dose);
    // 400·CL(60)·8/24 = 400·2.585·8/24 = 345 → 250 + ... nearest sum of 250/500/1000: 250 (|95|) vs 500 (|155|)
    expect(j.cells[0].dose).toBe(250);
  });

  it('errors: a covariate the model does not read, bad targets, bad intervals', () => {
    const base = { target: { metric: 'auc24', value: 500 }, intervals: [12], grid: [{ name: 'AGE', values: [30] }] } as const;
    expect(() => nomogram(goti, base)).toThrow(/does not read AGE \(its covariates: CRCL, DIAL, WT\)/);
    expect(() => nomogram(goti, { ...base, grid: [{ name: 'CRCL', values: [60] }] })).toThrow(/WT/); // WT missing
    expect(() => nomogram(goti, { ...base, target: { metric: 'auc24', value: -1 } })).toThrow(/> 0/);
    expect(() => nomogram(goti, { ...base, intervals: [] })).toThrow(/at least one dosing interval/);
    // an infusion longer than the interval is run (nomogram-long-infusion.test.ts); a negative one is refused
    expect(() => nomogram(goti, { ...base, intervals: [12], infusion: -1, grid: [{ name: 'CRCL', values: [60] }], fixed: { WT: 70 } })).toThrow(/infusion duration must be a number ≥ 0/);
  });

  it('refuses a covariate both on the grid and fixed: the grid wins, and the result would list the fixed value', () => {
    const o = { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'WT', values: [50, 70] }, { name: 'CRCL', values: [60] }], fixed: { WT: 80 } } as const;
    expect(() => nomogram(goti, o)).toThrow('nomogram: covariate WT is both on the grid and fixed (WT = 80); give it in one of the two');
    try {
      nomogram(goti, o);
    } catch (e) {
      expect(e).toMatchObject({ code: 'E_OPTION', place: { path: 'fixed', value: 80 } });
    }
  });
});

describe('nomogram: generic over models and covariates', () => {
  it('oral model with F and four covariates (illustrative FSH-like model): dose = Cavg·CL·τ/F', () => {
    const n = nomogram(illustrative, {
      target: { metric: 'cavg', value: 7.3 },
      intervals: [24],
      grid: [
        { name: 'AGE', values: [25, 35, 42] },
        { name: 'BMI', values: [19, 24, 32] },
        { name: 'AMH', values: [0.5, 2.5, 6] },
        { name: 'AFC', values: [5, 12, 25] },
      ],
    });
    expect(n.cells).toHaveLength(81);
    for (const c of n.cells) expect(Math.abs(c.computed! / ((7.3 * c.parameters.CL! * 24) / 0.7) - 1)).toBeLessThan(1e-5);
    const at = (AGE: number, BMI: number, AMH: number, AFC: number) =>
      n.cells.find((c) => c.covariates.AGE === AGE && c.covariates.BMI === BMI && c.covariates.AMH === AMH && c.covariates.AFC === AFC)!.computed!;
    expect(at(35, 32, 2.5, 12)).toBeGreaterThan(at(35, 19, 2.5, 12)); // heavier: more
    expect(at(35, 24, 6, 12)).toBeLessThan(at(35, 24, 0.5, 12)); // higher AMH: less
    expect(at(42, 24, 2.5, 12)).toBeGreaterThan(at(25, 24, 2.5, 12)); // older: more
    // more than two axes: one sub-table per value of the others
    const text = formatNomogram(n);
    expect(text.match(/^AMH=.*AFC=/gm)).toHaveLength(9);
  });

  it('non-linear (Michaelis–Menten) model: bisection with the engine hits the target', () => {
    const mm = builtinModel('mm-iv', { VMAX: 50, KM: 2, V: 50 });
    const n = nomogram(mm, { target: { metric: 'cavg', value: 3 }, intervals: [12, 24], infusion: 1, grid: [{ name: 'VMAX', values: [30, 50, 80] }] });
    expect(n.solution).toBe('bisection');
    for (const c of n.cells) expect(c.achieved!.cavg).toBeCloseTo(3, 4);
    // more capacity, more dose; and less than proportional at low concentration is not assumed
    const d = n.cells.map((c) => c.computed!);
    expect(d[0]).toBeLessThan(d[1]!);
    expect(d[1]).toBeLessThan(d[2]!);
  });
});

describe('parsers and the dose search', () => {
  it('parseTarget / parseGridAxis', () => {
    expect(parseTarget('auc24=500')).toEqual({ metric: 'auc24', value: 500 });
    expect(parseTarget('Trough=15')).toEqual({ metric: 'trough', value: 15 });
    expect(() => parseTarget('auc=500')).toThrow(/METRIC=VALUE/);
    expect(() => parseTarget('auc24=0')).toThrow(/> 0/);
    expect(parseGridAxis('WT=50:120:10').values).toEqual([50, 60, 70, 80, 90, 100, 110, 120]);
    expect(parseGridAxis('CRCL=30:150:20').values).toEqual([30, 50, 70, 90, 110, 130, 150]);
    expect(parseGridAxis('AMH=0.1:0.3:0.1').values).toEqual([0.1, 0.2, 0.3]);
    expect(parseGridAxis('AGE=25, 30,41').values).toEqual([25, 30, 41]);
    expect(() => parseGridAxis('WT=120:50:10')).toThrow(/FROM ≤ TO/);
    expect(() => parseGridAxis('WT')).toThrow(/NAME=FROM:TO:STEP/);
  });
  it('bracketBisect finds the root of an increasing function from either side', () => {
    expect(bracketBisect((x) => x * x, 2, { start: 1000 }).dose).toBeCloseTo(Math.SQRT2, 5);
    expect(bracketBisect((x) => Math.log(x), 3, { start: 1 }).dose).toBeCloseTo(Math.E ** 3, 3);
    expect(() => bracketBisect(() => 0, 1, { maxDose: 1e6 })).toThrow(/not reached/);
    const b = bracketBisectBatch((w, d) => d.map((x, k) => x * (w[k]! + 1)), [10, 10, 10]);
    expect(b.doses.map((x) => Number(x.toFixed(4)))).toEqual([10, 5, 3.3333]);
  });
});
