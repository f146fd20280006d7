// TMDD and occupancy: the engine's steady state on a TMDD model agrees with many explicit doses;
// the dose for an occupancy target at trough rises with receptor density and tends to the
// linear-PK dose as R0 → 0.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { formatOccupancy, linearOccupancyDose, occupancyDoses } from '../../../src/design/occupancy/occupancy.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

const tmdd = builtinModel('tmdd'); // V 3, KEL 0.1, KON 0.5, KOFF 0.05 (KD 0.1), KINT 0.2, KDEG 0.25
const mab = defineModel(JSON.parse(readFileSync('examples/occupancy-tmdd.model.json', 'utf8')));

describe("the engine's steady state (SS=1) on a TMDD model", () => {
  it('equals the trough after 200 explicit doses, for low to high receptor density and dose', () => {
    for (const KSYN of [1e-6, 0.25, 2.5]) {
      for (const amt of [10, 300, 3000]) {
        const items = { KSYN };
        const ss = regimen().dose({ time: 0, amt, ii: 24, addl: 1, ss: 1, items }).observe({ times: [48], items }).records();
        const rep = regimen().dose({ time: 0, amt, ii: 24, addl: 199, items }).observe({ times: [200 * 24], items }).records();
        const a = simulate(tmdd, ss);
        const b = simulate(tmdd, rep);
        const ia = ss.findIndex((r) => r.EVID === 0);
        const ib = rep.findIndex((r) => r.EVID === 0);
        expect(Math.abs(a.ipred[ia]! / b.ipred[ib]! - 1)).toBeLessThan(1e-5);
        // the receptor and complex states agree too
        for (const s of [1, 2]) expect(Math.abs(a.amounts![ia * 3 + s]! - b.amounts![ib * 3 + s]!)).toBeLessThan(1e-6 * (1 + Math.abs(b.amounts![ib * 3 + s]!)));
      }
    }
  });
});

describe('dose for an occupancy target at trough vs receptor density', () => {
  const R0 = [1e-6, 0.04, 0.4, 4, 40];
  const t = occupancyDoses(tmdd, { target: 0.9, regimen: { interval: 24 }, receptor: R0 });

  it('reaches the target at trough in every row', () => {
    for (const r of t.rows) {
      expect(r.occupancy).toBeCloseTo(0.9, 5);
      expect(r.troughFree).toBeCloseTo(0.9, 4); // Cfree = KD·RO/(1 − RO) = 0.1·9
      expect(r.KSYN).toBeCloseTo(r.R0 * 0.25, 12);
    }
  });
  it('at a 0.1-h interval the dose is found (it was refused: the steady-state solve took a negative root)', () => {
    // test/oracle/tmdd_short_interval_ss.py (LSODA rtol 1e-12, brentq on the periodic free trough):
    // 0.0068068696; the steady-state solve now keeps its steps in the domain where Newton's did not
    // (test/unit/tmdd-short-interval-ss.test.ts)
    const r = occupancyDoses(mab, { target: 0.9, regimen: { interval: 0.1 }, receptor: [1] });
    expect(Math.abs((r.rows[0]?.dose as number) / 0.006806869560062924 - 1)).toBeLessThan(1e-6);
    expect(Math.abs((r.rows[0]?.occupancy as number) - 0.9)).toBeLessThan(1e-6);
  });
  it('a higher receptor density needs a higher dose (strictly increasing)', () => {
    for (let i = 1; i < t.rows.length; i++) expect(t.rows[i]!.dose).toBeGreaterThan(t.rows[i - 1]!.dose * 1.001);
    expect(t.rows[4]!.dose / t.rows[0]!.dose).toBeGreaterThan(50);
  });
  it('at very low R0 the dose approaches the linear-PK prediction', () => {
    // closed form: trough = D/V·e^(−kτ)/(1 − e^(−kτ)) = KD·RO/(1 − RO)
    const k = 0.1;
    const lin = 3 * 0.9 * (1 - Math.exp(-k * 24)) / Math.exp(-k * 24);
    expect(t.rows[0]!.linearDose).toBeCloseTo(lin, 9);
    expect(Math.abs(t.rows[0]!.ratioToLinear - 1)).toBeLessThan(1e-5);
    expect(t.rows[1]!.ratioToLinear).toBeGreaterThan(1);
  });
  it('steady state by 60 explicit doses gives the same doses and reports convergence', () => {
    const r = occupancyDoses(tmdd, { target: 0.9, regimen: { interval: 24 }, receptor: [0.4, 40], steadyState: 'repeat', doses: 60 });
    expect(Math.abs(r.rows[0]!.dose / t.rows[2]!.dose - 1)).toBeLessThan(1e-4);
    expect(Math.abs(r.rows[1]!.dose / t.rows[4]!.dose - 1)).toBeLessThan(1e-4);
    for (const row of r.rows) expect(row.ssChange).toBeLessThan(1e-8);
    expect(r.notes.join(' ')).not.toMatch(/not enough/);
    const short = occupancyDoses(mab, { target: 0.9, regimen: { interval: 168 }, receptor: [1], steadyState: 'repeat', doses: 2 });
    expect(short.notes.join(' ')).toMatch(/2 doses are not enough for steady state/);
  });
  it('table text', () => {
    const s = formatOccupancy(t);
    expect(s).toMatch(/90\.0% occupancy at trough, q24h/);
    expect(s).toMatch(/linear-PK dose/);
    expect(s.trim().split('\n')).toHaveLength(4 + R0.length);
  });
});

describe('occupancy: other definitions and models', () => {
  it('complex/(receptor + complex) from the TMDD states: reached, and monotone in R0', () => {
    const t = occupancyDoses(tmdd, { target: 0.8, regimen: { interval: 24, infusion: 2 }, receptor: [0.1, 1, 10], definition: 'complex' });
    for (const r of t.rows) expect(r.occupancy).toBeCloseTo(0.8, 5);
    expect(t.rows[1]!.dose).toBeGreaterThan(t.rows[0]!.dose);
    expect(t.rows[2]!.dose).toBeGreaterThan(t.rows[1]!.dose);
    expect(t.notes.join(' ')).toMatch(/KSS = \(KOFF \+ KINT\)\/KON/);
  });
  it('weekly antibody-like model with R0 as a covariate, infusion: linear limit and monotone', () => {
    const t = occupancyDoses(mab, { target: 0.95, regimen: { interval: 168, infusion: 1 }, receptor: [1e-5, 1, 10] });
    expect(Math.abs(t.rows[0]!.ratioToLinear - 1)).toBeLessThan(1e-4);
    expect(t.rows[1]!.dose).toBeGreaterThan(t.rows[0]!.dose);
    expect(t.rows[2]!.dose).toBeGreaterThan(t.rows[1]!.dose);
    // the closed form with an infusion
    const k = 0.005;
    const c = (0.1 * 0.95) / 0.05;
    const per = ((1 - Math.exp(-k)) / (1 * k * 3)) * Math.exp(-k * 167) / (1 - Math.exp(-k * 168));
    expect(linearOccupancyDose(mab, { target: 0.95, regimen: { interval: 168, infusion: 1 } }, 0.1)).toBeCloseTo(c / per, 8);
  });
  it('quasi-steady-state TMDD with KD = KSS', () => {
    const qss = builtinModel('tmdd-qss');
    const t = occupancyDoses(qss, { target: 0.5, regimen: { interval: 24 }, receptor: [0.01, 1, 10] });
    expect(t.kd).toBeCloseTo(0.6, 12);
    for (const r of t.rows) expect(r.occupancy).toBeCloseTo(0.5, 5);
    expect(t.rows[2]!.dose).toBeGreaterThan(t.rows[0]!.dose);
  });
  it('errors', () => {
    const o = { target: 0.9, regimen: { interval: 24 }, receptor: [1] };
    expect(() => occupancyDoses(builtinModel('1cmt-iv'), o)).toThrow(/has structure .*; a receptor density needs a TMDD structure/);
    // a model text: said plainly (it read "model … (model text) is user")
    const text = defineModel({ dosewise: 'text', text: readFileSync('examples/user-models/tmdd.model', 'utf8'), file: 'tmdd.model' });
    expect(() => occupancyDoses(text, o)).toThrow(/is a model text, whose receptor and complex states dosewise cannot name; occupancy needs a built-in TMDD structure/);
    expect(() => occupancyDoses(tmdd, { ...o, target: 1 })).toThrow(/in \(0, 1\)/);
    expect(() => occupancyDoses(tmdd, { ...o, receptor: [] })).toThrow(/at least one/);
    expect(() => occupancyDoses(tmdd, { ...o, receptor: [-1] })).toThrow(/≥ 0/);
    expect(() => occupancyDoses(builtinModel('tmdd-qss'), { ...o, definition: 'complex' })).toThrow(/full TMDD/);
  });
  it('refuses options the table would not use: a KD with the complex definition, a covariate R0 or KSYN', () => {
    const o = { target: 0.9, regimen: { interval: 168 }, receptor: [1] };
    expect(() => occupancyDoses(mab, { ...o, definition: 'complex', kd: 5 })).toThrow(/kd 5 is used only by the 'kd' definition, C\/\(KD \+ C\)/);
    // R0 is a covariate of this model (KSYN = R0·KDEG), yet each row's receptor baseline overrides KSYN
    expect(() => occupancyDoses(mab, { ...o, covariates: { R0: 5 } })).toThrow(/covariate R0 = 5 conflicts with receptor, which sets the receptor baseline R0 = KSYN\/KDEG/);
    expect(() => occupancyDoses(tmdd, { ...o, regimen: { interval: 24 }, covariates: { KSYN: 2 } })).toThrow(/covariate KSYN = 2 conflicts with receptor/);
  });
});
