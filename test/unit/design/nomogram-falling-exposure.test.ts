// Nomograms of a response that falls as the dose rises (an inhibitory Emax with EMAX < 0, an
// indirect response whose input the drug inhibits). The dose search assumed a rising exposure: with
// a falling one it shrank the dose to 0 (then refused as "row 1, column AMT: a dose record (EVID 1)
// needs an amount > 0 … (got 0)", a data row the user never wrote) or grew it to 1e12 ("not
// reached by any dose up to 1.00e+12"). It now reads the direction from the level without drug.
//
// References (python3/SciPy, 2026-12-05, not called here):
// - effect-emax: CL 5·(WT/70)^0.75 L/h, V 50 L, KE0 0.7/h, E0 100, EMAX −80, EC50 2 mg/L, bolus
//   q τ. The steady-state effect-site level is the geometric sum of the one-dose closed form,
//   Ce(t) = D/V·ke0/(ke0−k)·(e^(−kt)/(1−e^(−kτ)) − e^(−ke0·t)/(1−e^(−ke0·τ))); Cavg of E = 100 −
//   80·Ce/(2+Ce) by adaptive quadrature (quad, 1e-13), the dose by brentq (rtol 1e-14).
// - IDR: dR/dt = KIN·(1 ∓ 0.9·C/(2+C)) − 0.1·R, R(0) = 100, with an AUC state, integrated by
//   LSODA (rtol = atol = 1e-12) over 80 q24h cycles (every mode decays as e^(−0.1·24·80)); the dose by brentq (xtol 1e-9).
// The engine samples each interval on 480 steps: the doses from its Cavg of the Emax effect are
// 1.2e-5 to 2.4e-5 high relative (measured), of the IDR 1.6e-6 to 2.7e-6, from the trough 1e-9;
// the q12h/q24h comparison 1.5e-6 to 4.5e-6. Tolerances are about 4 times those.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bracketBisect, bracketBisectBatch, steadyStateExposure } from '../../../src/design/nomogram/nomogram-exposure.js';
import { defineModel } from '../../../src/model/model.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

const EMAX_INH = {
  dosewise: 2,
  name: 'inhibitory Emax (EMAX < 0), weight on CL',
  structure: 'effect-emax',
  theta: { TVCL: 5, TVV: 50 },
  covariates: { WT: { unit: 'kg', default: 70 } },
  parameters: { CL: 'TVCL * (WT/70)^0.75 * exp(ETA_CL)', V: 'TVV', KE0: 0.7, E0: 100, EMAX: -80, EC50: 2 },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] },
  residual: { model: 'additive', additive: 3 },
};

/** Indirect response on kin: '-' inhibits its input (IDR I, R falls with the dose), '+' stimulates it (IDR III). */
const idrText = (sign: '-' | '+'): string => `model "IDR ${sign === '-' ? 'I' : 'III'} with weight"
theta CL = 5, V = 50, KIN = 10, KOUT = 0.1, IMAX = 0.9, IC50 = 2
covariate WT = 70
eta ETA_CL ~ 0.09
compartment CENTRAL, R
init(R) = KIN / KOUT
CLi = CL * (WT / 70)^0.75 * exp(ETA_CL)
C = CENTRAL / V
d/dt(CENTRAL) = -CLi / V * CENTRAL
d/dt(R) = KIN * (1 ${sign} IMAX * C / (IC50 + C)) - KOUT * R
observe = R
residual additive 5
`;

const dir = tempDir('dw-nomo-falling-');
const emaxFile = join(dir, 'emaxinh.json');
writeFileSync(emaxFile, JSON.stringify(EMAX_INH));
const idr1File = join(dir, 'idr1.model');
writeFileSync(idr1File, idrText('-'));
const idr3File = join(dir, 'idr3.model');
writeFileSync(idr3File, idrText('+'));

interface Cell {
  covariates: Record<string, number>;
  computed: number;
  interval: number;
  falling?: true;
  achieved: { trough: number; cavg: number };
  candidates: { interval: number; feasible: boolean; reason?: string; achieved: { trough: number } }[];
}

async function cells(args: string[]): Promise<Cell[]> {
  const r = await cli(['nomogram', ...args, '--json']);
  expect(r.code).toBe(0);
  // --json says what a falling response changes on stderr (the text ends with it)
  expect(r.err).not.toMatch(/error|AMT/i);
  return JSON.parse(r.out).cells as Cell[];
}

const rel = (x: number, ref: number): number => Math.abs(x / ref - 1);

describe('nomogram of a response that falls as the dose rises', () => {
  it('effect-emax, EMAX −80, cavg=50 q24h: 352.79 / 492.87 / 742.67 mg at WT 50 / 70 / 100 (exit 1, "row 1, column AMT … (got 0)" before)', async () => {
    const c = await cells(['--model', emaxFile, '--target', 'cavg=50', '--interval', '24', '--grid', 'WT=50,70,100']);
    const ref = [352.7887203486174, 492.8723668174563, 742.666033749269];
    c.forEach((cell, i) => {
      expect(rel(cell.computed, ref[i] as number)).toBeLessThan(1e-4);
      expect(cell.falling).toBe(true);
      expect(rel(cell.achieved.cavg, 50)).toBeLessThan(1e-8);
    });
  });

  it('effect-emax, trough=80 q24h at WT 70: 286.377 mg (same AMT error before)', async () => {
    const [cell] = await cells(['--model', emaxFile, '--target', 'trough=80', '--interval', '24', '--grid', 'WT=70']);
    expect(rel(cell!.computed, 286.37661316118187)).toBeLessThan(1e-8);
  });

  it('IDR I (kin inhibited), cavg=50 q24h at WT 70: 387.32 mg (same AMT error before)', async () => {
    const [cell] = await cells(['--model', idr1File, '--target', 'cavg=50', '--interval', '24', '--grid', 'WT=70']);
    expect(rel(cell!.computed, 387.32129731573735)).toBeLessThan(1e-5);
    expect(cell!.falling).toBe(true);
  });

  it('IDR I, cavg=90 q24h at WT 70: 31.52 mg ("not reached by any dose up to 1.00e+12" before: the search grew the dose)', async () => {
    const [cell] = await cells(['--model', idr1File, '--target', 'cavg=90', '--interval', '24', '--grid', 'WT=70']);
    expect(rel(cell!.computed, 31.52160634268658)).toBeLessThan(1e-5);
  });

  it('control, IDR III (kin stimulated, rising): cavg=150 gives 272.65 / 387.32 / 599.25 mg, unchanged, with no falling flag', async () => {
    const c = await cells(['--model', idr3File, '--target', 'cavg=150', '--interval', '24', '--grid', 'WT=50,70,100']);
    const ref = [272.6525319124288, 387.32129731664025, 599.2514898050273];
    c.forEach((cell, i) => {
      expect(rel(cell.computed, ref[i] as number)).toBeLessThan(1e-5);
      expect(cell).not.toHaveProperty('falling');
    });
  });

  it('a target beyond the level without drug is refused naming both (a dose of 0 reached the records as "row 1, column AMT" before)', async () => {
    // inhibited: no dose raises R above its baseline KIN/KOUT = 100, nor E above E0 = 100
    for (const model of [idr1File, emaxFile]) {
      const r = await cli(['nomogram', '--model', model, '--target', 'cavg=120', '--interval', '24', '--grid', 'WT=70']);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/(?:^|\n)dosewise: nomogram target cavg=120: not reached by any dose \(WT=70, interval 24 h\): the exposure is 100\.000 without drug and falls as the dose rises \(.* at dose 100\), so no dose gives 120; a target below 100\.000 can be met\n$/);
    }
    // stimulated: a target under the baseline went the same way (dose shrunk to 0, AMT error)
    const r = await cli(['nomogram', '--model', idr3File, '--target', 'cavg=90', '--interval', '24', '--grid', 'WT=70']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cavg=90: not reached by any dose \(WT=70, interval 24 h\): the exposure is 100\.000 without drug and rises as the dose rises .*a target above 100\.000 can be met/);
    expect(r.err).not.toMatch(/AMT|row 1/);
  });

  it('a target below the deepest inhibition (R ≥ KIN·(1 − IMAX)/KOUT = 10) is refused with the level at the largest dose', async () => {
    const r = await cli(['nomogram', '--model', idr1File, '--target', 'cavg=5', '--interval', '24', '--grid', 'WT=70']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/(?:^|\n)dosewise: nomogram target cavg=5: not reached by any dose up to 1\.00e\+12 \(WT=70, interval 24 h\): the exposure is 10\.0000 there \(100\.000 without drug\)\n$/);
  });

  it('--min-dose above the computed dose: marked v, and the legend says the response ends below the target, not above', async () => {
    const r = await cli(['nomogram', '--model', emaxFile, '--target', 'cavg=50', '--interval', '24', '--grid', 'WT=50,100', '--round', '100', '--min-dose', '600']);
    expect(r.code).toBe(0);
    // 352.79 is below 600: given 600; 742.67 rounds to 700
    expect(r.out).toMatch(/^50 +600v$/m);
    expect(r.out).toMatch(/^100 +700$/m);
    expect(r.out).toContain('v computed dose below the smallest allowed dose: exposure below target (it falls as the dose rises)');
    expect(r.out).not.toContain('exposure above target');
    expect(r.out).toContain('cavg falls as the dose rises (an inhibited response): each dose lowers it to 50');
  });

  it('--trough-max on an inhibited response bounds the level at the end of the interval: q24h (trough 70.84) is passed over for q12h (59.19, 207.19 mg)', async () => {
    // the trough is the effect before the next dose, where the inhibition has worn off most
    const [cell] = await cells(['--model', emaxFile, '--target', 'cavg=50', '--interval', '24,12', '--grid', 'WT=70', '--trough-max', '65']);
    expect(cell!.candidates[0]!.feasible).toBe(false);
    expect(rel(cell!.candidates[0]!.achieved.trough, 70.83600221831436)).toBeLessThan(2e-5);
    expect(cell!.interval).toBe(12);
    expect(rel(cell!.computed, 207.18964487772718)).toBeLessThan(2e-5);
    expect(rel(cell!.achieved.trough, 59.19060105082713)).toBeLessThan(2e-5);
  });
});

describe('bracketBisect with direction auto', () => {
  it('finds the dose of a falling function (100 − 80x/(2+x) = 50 at x = 10/3); the default rising search still fails on it (grows to 1e12)', () => {
    const f = (x: number): number => 100 - (80 * x) / (2 + x);
    const r = bracketBisectBatch((_, d) => d.map(f), [50], { start: 100, relTol: 1e-12, direction: 'auto' });
    expect(r.doses[0]).toBeCloseTo(10 / 3, 9);
    expect(r.falling).toEqual([true]);
    // read at start·1e-9 = 1e-7, where f = 100 − 80·1e-7/2
    expect(r.baseline[0]).toBeCloseTo(100 - 4e-6, 9);
    // searched as rising, f(100) = 21.6 < 50 read as "too low": the dose grew to 1e12
    expect(() => bracketBisect(f, 50, { start: 100 })).toThrow(/not reached by any dose up to 1\.00e\+12/);
  });

  it('a falling function with no steady state from x = 10 on: 100/(1+x) = 20 at x = 4; 5 (at x = 19) is refused', () => {
    const f = (x: number): number => (x < 10 ? 100 / (1 + x) : Infinity);
    expect(bracketBisectBatch((_, d) => d.map(f), [20], { start: 100, relTol: 1e-12, direction: 'auto' }).doses[0]).toBeCloseTo(4, 9);
    expect(() => bracketBisectBatch((_, d) => d.map(f), [5], { start: 100, direction: 'auto', what: 't', label: () => 'p' })).toThrow(
      /^t: not reached by any dose with a steady state \(p\): the exposure at 10\.0000 could not be computed, and the doses below it stay over the target$/,
    );
  });

  it('a function the dose does not move is refused, naming its level', () => {
    expect(() => bracketBisectBatch((_, d) => d.map(() => 7), [5], { start: 100, direction: 'auto', what: 't', label: () => 'p' })).toThrow(
      /^t: not reached by any dose up to 1\.00e\+12 \(p\): the exposure stays at 7\.00000, its level without drug$/,
    );
  });
});

describe('steady-state exposure at dose 0', () => {
  it('is refused naming the dose and the patient, not as "row 1, column AMT"', () => {
    const model = defineModel(EMAX_INH);
    expect(() => steadyStateExposure(model, [{ covariates: { WT: 70 }, dose: 0 }], { interval: 24 })).toThrow(
      /^steady-state exposure: patient 1 \(WT=70\): the dose must be a finite number > 0 \(got 0\)$/,
    );
  });
});
