// dosewise occupancy: the occupancy is that of the free drug from the TMDD states whatever the
// model observes; each row simulates the receptor baseline it is labelled with, or is refused; list
// entries are decimal numbers; an infusion longer than the interval is run, not refused.
//
// References: python3/scipy (solve_ivp LSODA, rtol 1e-12; periodic state by fsolve on one dosing
// cycle; brentq on the dose), written for these tests, not calling dosewise:
//   full TMDD (V 3, KEL 0.005, KON 0.5, KOFF 0.05, KINT 0.04, KDEG 0.02), 90 % at trough, q168h:
//     R0 = 5, bolus:         79.94992352622572 (74.8236 gives a free trough 0.26535: 72.6 %)
//     R0 = 1, 200-h infusion: 12.13751874064084
//   TMDD-QSS (V 3, KEL 0.005, KSS 0.5, KINT 0.04, KDEG 0.02), R0 = 5, q504h bolus: 823.6881503690275
//     (738.741 gives a free trough 2.32559: 82.3 %; the same scipy method, free C from the QSS quadratic)
//   no binding, 200-h infusion q168h, trough 0.9 by summing 2·10^5 past infusions: 2.3855585493950544

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineModel } from '../../../src/model/model.js';
import { linearOccupancyDose, occupancyDoses } from '../../../src/design/occupancy/occupancy.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

const qssFile = (observe: Record<string, unknown>) => ({
  dosewise: 2,
  name: 'qss_test',
  structure: 'tmdd-qss',
  parameters: {
    V: { value: 3, unit: 'L' },
    KEL: { value: 0.005, unit: '1/h' },
    KSS: { value: 0.5, unit: 'nmol/L' },
    KINT: { value: 0.04, unit: '1/h' },
    KDEG: { value: 0.02, unit: '1/h' },
    KSYN: { expr: 'R0 * KDEG', unit: 'nmol/L/h' },
  },
  covariates: { R0: { unit: 'nmol/L', default: 5 } },
  observe,
});
const example = 'examples/occupancy-tmdd.model.json';
const mab = defineModel(JSON.parse(readFileSync(example, 'utf8')));

describe('occupancy is computed from the free concentration of the states, whatever the model observes', () => {
  it('a TMDD-QSS model observing total drug gets the dose of free drug (was 738.741, from the total trough: 82.3 % occupancy)', () => {
    const total = defineModel(qssFile({ compartment: 1, output: 'concentration', unit: 'nmol/L' }));
    const free = defineModel(qssFile({ unit: 'nmol/L' }));
    const o = { target: 0.9, regimen: { interval: 504 }, receptor: [5] };
    const t = occupancyDoses(total, o).rows[0]!;
    // measured 1.16e-7 off scipy (the bisection stops at 1e-6 relative in dose)
    expect(rel(t.dose, 823.6881503690275)).toBeLessThan(3e-6);
    // at 90 %, the free trough is KSS·0.9/0.1 = 4.5; the total trough the old code read was 4.5 at 738.741
    expect(rel(t.troughFree, 4.5)).toBeLessThan(1e-5);
    expect(Math.abs(t.occupancy - 0.9)).toBeLessThan(1e-6);
    // the same model observing free drug: the same table
    expect(rel(occupancyDoses(free, o).rows[0]!.dose, t.dose)).toBeLessThan(1e-12);
  });

  it('a full TMDD model observing the receptor state still gets the free drug dose (occupancy is not read from the observation)', () => {
    const file = JSON.parse(readFileSync(example, 'utf8'));
    const receptor = defineModel({ ...file, observe: { compartment: 2, output: 'concentration', unit: 'nmol/L' } });
    const t = occupancyDoses(receptor, { target: 0.9, regimen: { interval: 168 }, receptor: [5] }).rows[0]!;
    // measured 2.3e-7 off scipy
    expect(rel(t.dose, 79.94992352622572)).toBeLessThan(3e-6);
    expect(rel(t.troughFree, 0.9)).toBeLessThan(1e-5);
  });
});

describe('each row simulates the receptor baseline R0 it is labelled with', () => {
  const derived = {
    dosewise: 2,
    name: 'kdeg_derived',
    structure: 'tmdd',
    parameters: {
      V: { value: 3, unit: 'L' },
      KEL: { value: 0.005, unit: '1/h' },
      KON: { value: 0.5, unit: 'L/nmol/h' },
      KOFF: { value: 0.05, unit: '1/h' },
      KINT: { value: 0.04, unit: '1/h' },
      KDEG: { expr: 'KSYN/BASE', unit: '1/h' },
      KSYN: { value: 0.02, unit: 'nmol/L/h' },
      BASE: { value: 1, unit: 'nmol/L' },
    },
    observe: { unit: 'nmol/L' },
  };

  it('a model whose KDEG is computed from KSYN is refused, naming both (the row R0 = 5 simulated R0 = 1: dose 74.8236, 72.6 % occupancy)', () => {
    const m = defineModel(derived);
    expect(() => occupancyDoses(m, { target: 0.9, regimen: { interval: 168 }, receptor: [1, 5] })).toThrow(
      /receptor R0 = 5 sets KSYN = R0·KDEG = 0\.1 .*KDEG = KSYN\/BASE depends on KSYN: with it KDEG is 0\.1, and the simulated receptor baseline KSYN\/KDEG would be 1, not 5/,
    );
    // its own baseline (R0 = BASE = 1) is the one it simulates: not refused
    expect(occupancyDoses(m, { target: 0.9, regimen: { interval: 168 }, receptor: [1] }).rows).toHaveLength(1);
  });

  it('with KDEG a value, R0 = 5 gets the dose for R(0) = 5', () => {
    const t = occupancyDoses(mab, { target: 0.9, regimen: { interval: 168 }, receptor: [5] }).rows[0]!;
    expect(rel(t.dose, 79.94992352622572)).toBeLessThan(3e-6);
  });

  it('the command line refuses it with exit 2, printing no table', async () => {
    const dir = tempDir('occupancy-');
    const file = join(dir, 'kdeg_derived.model.json');
    writeFileSync(file, JSON.stringify(derived));
    const r = await cli(['occupancy', '--model', file, '--target', '0.9', '--interval', '168', '--receptor', '1,5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/receptor R0 = 5 .*KDEG = KSYN\/BASE depends on KSYN/);
    expect(r.out).toBe('');
  });
});

describe('list entries are decimal numbers: an empty entry was a row at 0, 0x10 was 16', () => {
  const base = ['occupancy', '--model', example, '--target', '0.9', '--interval', '168'];
  it.each([
    ['1,5,', /--receptor 1,5,: entry 3 of 3 is empty/],
    ['1,,5', /--receptor 1,,5: entry 2 of 3 is empty/],
    ['0x10', /--receptor 0x10: entry 1 of 1 is "0x10"/],
    ['', /--receptor : entry 1 of 1 is empty/],
    ['1,-2', /--receptor 1,-2: entry 2 of 2 is "-2"; expected a comma list of receptor baselines R0 ≥ 0/],
  ])('--receptor %j is refused naming the entry', async (list, message) => {
    const r = await cli([...base, '--receptor', list]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
  it('a decimal list with spaces and an exponent is read', async () => {
    const r = await cli([...base, '--receptor', '1e-3, 1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).rows.map((x: { R0: number }) => x.R0)).toEqual([0.001, 1]);
  });

  const nomo = ['nomogram', '--model', example, '--target', 'trough=0.9', '--interval', '168'];
  it.each([
    ['R0=1,,5', /--grid R0=1,,5: entry 2 of 3 is empty/],
    ['R0=1,5,', /--grid R0=1,5,: entry 3 of 3 is empty/],
    ['R0=0x10', /--grid R0=0x10: entry 1 of 1 is "0x10"/],
    ['R0=:5:1', /--grid R0=:5:1: FROM is empty/],
    ['R0=1:0x5:1', /--grid R0=1:0x5:1: TO is "0x5"/],
  ])('nomogram --grid %j is refused naming the entry', async (grid, message) => {
    const r = await cli([...nomo, '--grid', grid]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});

describe('an infusion longer than the dosing interval (valid NONMEM input) is run, not refused', () => {
  it('200-h infusions q168h: the dose matches scipy, and R0 = 0 the closed form summed over the overlapping infusions', () => {
    const t = occupancyDoses(mab, { target: 0.9, regimen: { interval: 168, infusion: 200 }, receptor: [0, 1] });
    // the closed form was (1 − e^(−kT))·e^(−k(τ − T))/(1 − e^(−kτ)), which assumes each infusion ends within its interval
    expect(rel(t.rows[0]!.linearDose, 2.3855585493950544)).toBeLessThan(1e-12);
    expect(rel(t.rows[0]!.dose, 2.3855585493950544)).toBeLessThan(3e-6);
    // measured 4e-13 off scipy
    expect(rel(t.rows[1]!.dose, 12.13751874064084)).toBeLessThan(3e-6);
    // by 100 explicit doses: the same
    const r = occupancyDoses(mab, { target: 0.9, regimen: { interval: 168, infusion: 200 }, receptor: [1], steadyState: 'repeat', doses: 100 });
    expect(rel(r.rows[0]!.dose, 12.13751874064084)).toBeLessThan(3e-6);
  });
  it('the closed form agrees with the usual one where the infusion ends within the interval, and at T = τ', () => {
    const k = 0.005;
    const V = 3;
    for (const T of [1, 100, 168]) {
      const usual = ((1 - Math.exp(-k * T)) / (T * k * V)) * Math.exp(-k * (168 - T)) / (1 - Math.exp(-k * 168));
      expect(rel(linearOccupancyDose(mab, { target: 0.9, regimen: { interval: 168, infusion: T } }, 0.1), 0.9 / usual)).toBeLessThan(1e-12);
    }
  });
  it('the command line runs --infusion 200 --interval 168 (exit 2 before)', async () => {
    const r = await cli(['occupancy', '--model', example, '--target', '0.9', '--interval', '168', '--infusion', '200', '--receptor', '1', '--json']);
    expect(r.code).toBe(0);
    expect(rel(JSON.parse(r.out).rows[0].dose, 12.13751874064084)).toBeLessThan(3e-6);
  });
});
