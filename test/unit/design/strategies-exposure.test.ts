// The true exposure a strategy comparison judges every strategy by, subjects.exposure (AUC24 at
// steady state per unit dose), against its closed form: for any linear model at steady state the
// AUC over one interval is dose/CL, so AUC24 per unit dose is 24/(τ·CL), read from the result's own
// CL column. On 48 samples per interval the linear-up/log-down rule bridged the rise of an infusion
// and a distribution phase: −3.2 % (amikacin, 0.5-h infusion), +2.5 % (bolus), −11.8 % (1-cmt,
// CL/V 1/h) and +6.4 % (2-cmt, Q/V 4/h), enough to move subjects across the target window.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compareStrategies, type CompareStrategiesOptions, type CompareStrategiesResult } from '../../../src/design/strategies/strategies.js';

const amikacin: unknown = JSON.parse(readFileSync(new URL('../../../models/amikacin_burdet_2015.json', import.meta.url), 'utf8'));
const amikacinCovariates = {
  covariates: {
    CLCREAT4H: { dist: 'lognormal', median: 82, sdlog: 0.5, lower: 10, upper: 300 },
    TBW: { dist: 'lognormal', median: 78, cv: 0.2, lower: 40, upper: 160 },
    PoverF: { dist: 'lognormal', median: 169, cv: 0.4, lower: 50, upper: 500 },
  },
};
/** One compartment, k = CL/V = 1/h typically (up to ~4/h in the tail): the infusion's rise is most of the AUC. */
const fast1cmt = {
  dosewise: 2,
  name: 'fast_1cmt_test',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: 50, TVV: 50 },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)' }, V: { expr: 'TVV * exp(ETA_V)' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.04] },
  observe: { compartment: 1, scale: 'V' },
};
/** Two compartments, Q/V = 4/h typically: a distribution phase over within the first hour. */
const fast2cmt = {
  dosewise: 2,
  name: 'fast_2cmt_test',
  structure: { kind: 'linear', compartments: 2, depot: false, parameterization: 'clearance' },
  theta: { TVCL: 4, TVV: 15, TVQ: 60, TVV2: 30 },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)' }, V: { expr: 'TVV * exp(ETA_V)' }, Q: { expr: 'TVQ * exp(ETA_Q)' }, V2: { expr: 'TVV2' } },
  omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_Q'], diagonal: [0.1, 0.04, 0.04] },
  observe: { compartment: 1, scale: 'V' },
};
const doses = Array.from({ length: 40 }, (_, k) => 100 * (k + 1));
const common = { n: 3000, seed: 11, workers: 0, interval: 24, doses, bands: 3, tdm: [] } as const;

/** Largest and mean relative error of subjects.exposure against 24/(τ·CL). */
async function exposureError(o: CompareStrategiesOptions): Promise<{ worst: number; mean: number }> {
  const r = await compareStrategies(o);
  const cl = r.subjects.columns.CL as Float64Array;
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < r.n; i++) {
    const e = (r.subjects.exposure[i] as number) / (24 / (o.interval * (cl[i] as number))) - 1;
    if (!(Math.abs(e) <= Math.abs(worst))) worst = e;
    sum += e;
  }
  return { worst, mean: sum / r.n };
}

describe('compareStrategies: true exposure against 24/(τ·CL)', () => {
  // measured (n 3000, seed 11): worst relative error before → after the samples after each arrival
  it.each([
    // −3.2e-2 → 3.7e-4
    ['amikacin_burdet_2015, 0.5-h infusion q24h', { ...common, model: amikacin, covariates: amikacinCovariates, infusion: 0.5, window: { lo: 200, hi: 300 }, bandBy: 'CLCREAT4H' }, 1e-3],
    // +2.5e-2 → 9.5e-4
    ['amikacin_burdet_2015, bolus q24h', { ...common, model: amikacin, covariates: amikacinCovariates, window: { lo: 200, hi: 300 }, bandBy: 'CLCREAT4H' }, 1.5e-3],
    // −1.2e-1 → −8.0e-4
    ['1-cmt, CL/V 1/h, 0.5-h infusion q24h', { ...common, model: fast1cmt, infusion: 0.5, window: { lo: 40, hi: 60 }, bandBy: 'CL' }, 1.5e-3],
    // +6.4e-2 → 4.3e-4
    ['2-cmt, Q/V 4/h, bolus q24h', { ...common, model: fast2cmt, window: { lo: 400, hi: 600 }, bandBy: 'CL' }, 1e-3],
  ] as const)('%s: every subject within its tolerance', async (_, o, tol) => {
    const { worst, mean } = await exposureError(o as CompareStrategiesOptions);
    expect(Math.abs(worst)).toBeLessThan(tol);
    expect(Math.abs(mean)).toBeLessThan(tol / 2);
  });
});

/** Oral, 1 compartment (CL/V 0.1/h typically), KA `ka`/h, a lag of `lag`·exp(ETA_LAG) h: each subject's dose arrives at its own time. */
function lagged(ka: number, lag: number, omegaLag: number, depot = true): unknown {
  return {
    dosewise: 2,
    name: 'lagged_test',
    structure: { kind: 'linear', compartments: 1, depot, parameterization: 'clearance' },
    parameters: { CL: '5 * exp(ETA_CL)', V: '50 * exp(ETA_V)', ...(depot ? { KA: String(ka) } : {}), ALAG: `${lag} * exp(ETA_LAG)` },
    omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_LAG'], diagonal: [0.1, 0.04, omegaLag] },
    compartments: { '1': { lag: 'ALAG' } },
  };
}
/** The lag from a sampled weight, no η: the arrival moves with a covariate. */
const weightLag = {
  dosewise: 2,
  name: 'weight_lag_test',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  parameters: { CL: '5 * exp(ETA_CL)', V: '50 * exp(ETA_V)', KA: '20', ALAG: '2 * (WT / 70)^2' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.04] },
  compartments: { '1': { lag: 'ALAG' } },
};
const fewer = { n: 400, seed: 11, workers: 0, doses, bands: 3, tdm: [], window: { lo: 200, hi: 300 }, bandBy: 'CL' } as const;

describe('compareStrategies: true exposure against 24/(τ·CL) where the dose arrives at each subject\'s own time', () => {
  // measured (n 400, seed 11): worst relative error before → after the uniform 1/32-h samples
  // (the median subject's arrival alone was sampled densely before)
  it.each([
    // −3.5e-2 → −5.0e-4
    ['KA 20/h, ALAG 2·exp(η), ω² 0.5, q24h', { ...fewer, model: lagged(20, 2, 0.5), interval: 24 }],
    // −1.4e-2 → −5.0e-4
    ['KA 20/h, ALAG 2·exp(η), ω² 0.5, q12h', { ...fewer, model: lagged(20, 2, 0.5), interval: 12 }],
    // +3.5e-2 → −3.5e-4
    ['KA 20/h, ALAG 14·exp(η), ω² 0.3, q24h', { ...fewer, model: lagged(20, 14, 0.3), interval: 24 }],
    // −3.1e-2 → −4.6e-4
    ['KA 20/h, ALAG 2·(WT/70)², WT sampled, q24h', { ...fewer, model: weightLag, interval: 24, covariates: { covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.3, lower: 30, upper: 200 } } } }],
  ] as const)('%s: every subject within 1e-3', async (_, o) => {
    const { worst, mean } = await exposureError(o as CompareStrategiesOptions);
    expect(Math.abs(worst)).toBeLessThan(1e-3);
    expect(Math.abs(mean)).toBeLessThan(5e-4);
  });

  it('warns (W_BOLUS_ARRIVAL_VARIES) where a lagged bolus jumps at each subject\'s own time, and not for an oral dose', async () => {
    const bolus = await compareStrategies({ ...fewer, n: 50, model: lagged(0, 2, 0.5, false), interval: 24 } as CompareStrategiesOptions);
    // 50 subjects also make every band a small one (W_SMALL_BAND, tested with the strategies)
    const arrival = (r: CompareStrategiesResult) => r.warnings.filter((w) => w.code !== 'W_SMALL_BAND');
    expect(arrival(bolus).map((w) => w.code)).toEqual(['W_BOLUS_ARRIVAL_VARIES']);
    expect(arrival(bolus)[0]?.message).toMatch(/compartments\.1\.lag.*ETA_LAG.*infusion/);
    const oral = await compareStrategies({ ...fewer, n: 50, model: lagged(20, 2, 0.5), interval: 24 } as CompareStrategiesOptions);
    expect(arrival(oral)).toEqual([]);
  });
});
