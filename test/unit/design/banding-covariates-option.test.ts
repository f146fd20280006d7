// The covariates option of bandPopulation() and populationExposure() is the caller's: a wrong shape
// was refused as "model covariates: missing (expected object)" (E_MODEL), blaming the model, when
// the caller gave the inner map { CRCL: … } for { covariates: { CRCL: … } }.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bandPopulation, populationExposure } from '../../../src/design/banding/banding-population.js';
import { regimen } from '../../../src/regimen/builder.js';
import { refusedAsync } from '../refused.js';

const goti = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8'));
const vancoCov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8'));
const records = regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, addl: 1, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.5 } }).records();
const base = { model: goti, regimen: records, target: 'auc24:400:600', by: 'CRCL', n: 20, seed: 7, workers: 0 };
const band = { bands: 2, doses: [500, 1000, 1500] };

describe('a covariates option of the wrong shape names the option, not the model', () => {
  it('the inner map given alone: E_OPTION naming covariates and where its keys belong', async () => {
    const inner = vancoCov.covariates as Record<string, unknown>;
    const keys = Object.keys(inner).join(', ');
    for (const [what, f] of [
      ['populationExposure()', () => populationExposure({ ...base, covariates: inner })],
      ['bandPopulation()', () => bandPopulation({ ...base, ...band, covariates: inner })],
    ] as const) {
      const msg = new RegExp(`^${what.replace(/[()]/g, '\\$&')}: covariates must be a covariate specification \\{ covariates: \\{ NAME: .*; got an object with ${keys}: put them inside its covariates$`);
      await refusedAsync(f, 'E_OPTION', msg);
      const e = await f().catch((x: unknown) => x);
      expect((e as { place: { path: string } }).place.path).toBe('covariates');
      expect((e as Error).message).not.toMatch(/^model /);
    }
  });

  it('not an object, or a bad field inside: E_OPTION with the path under covariates', async () => {
    await refusedAsync(() => bandPopulation({ ...base, ...band, covariates: [1, 2] }), 'E_OPTION', /^bandPopulation\(\): covariates must be a covariate specification .* \(got an array of 2\)$/);
    await refusedAsync(() => populationExposure({ ...base, covariates: 'covariates.json' }), 'E_OPTION', /^populationExposure\(\): covariates must be a covariate specification .* \(got the string "covariates.json"\)$/);
    await refusedAsync(() => populationExposure({ ...base, covariates: { covariates: { WT: 5 } } }), 'E_OPTION', /^populationExposure\(\): covariates\.covariates\.WT: expected an object with dist, derived or resample \(got 5\)$/);
  });

  it('a specification of the right shape still runs', async () => {
    const pe = await populationExposure({ ...base, covariates: vancoCov });
    expect(pe.by.length).toBe(20);
  });
});
