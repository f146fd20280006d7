// The library refuses the same impossible values as the command line, with an option error
// (E_OPTION, place.path the field) naming the field: solver tolerances and method (simulate,
// estimate, runStudy), subjects, chunk size and workers (runStudy), posterior draws (forecast), an
// observation grid (regimen builder).

import { describe, expect, it } from 'vitest';
import { refused, refusedAsync } from './refused.js';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';
import { regimen } from '../../src/regimen/builder.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { runStudy, seedKey } from '../../src/population/study.js';
import type { PopulationPlan } from '../../src/population/plan.js';
import { readFileSync } from 'node:fs';

const model = builtinModel('1cmt-iv', { CL: 2, V: 20 });
const records = regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 2, 4] }).records();

describe('solver options', () => {
  it('simulate: rtol, atol and method out of range name the field', () => {
    refused(() => simulate(model, records, { rtol: -1 }), 'E_OPTION', /rtol: the relative tolerance must be a number from 1e-14 to 0\.1 \(got -1\)/);
    refused(() => simulate(model, records, { rtol: 0 }), 'E_OPTION', /rtol: .*\(got 0\)/);
    refused(() => simulate(model, records, { atol: 0 }), 'E_OPTION', /atol: the absolute tolerance must be a finite number > 0 \(got 0\)/);
    refused(() => simulate(model, records, { atol: NaN }), 'E_OPTION', /atol: .*\(got NaN\)/);
    refused(() => simulate(model, records, { method: 'euler' as never }), 'E_OPTION', /method: must be one of auto, analytic, dopri5, rosenbrock, dop853, taylor \(got "euler"\)/);
    expect(simulate(model, records, { method: 'dopri5', rtol: 1e-6, atol: 1e-9 }).ipred.length).toBe(records.length);
  });

  it('estimate: the same check', () => {
    const map = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const data = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    refused(() => estimate(map, data, { rtol: 5 }), 'E_OPTION', /rtol: .*\(got 5\)/);
  });

  it('forecast: draws beyond 1e6 are refused before any draw', () => {
    const map = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const data = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    const fit = estimate(map, data);
    const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [60] }).records();
    refused(() => forecast(map, data, fit, future, { draws: 1e9 }), 'E_OPTION', /draws: must be an integer from 1 to 1,000,000 \(got 1000000000\)/);
  });
});

describe('runStudy', () => {
  const plan = (o: Partial<PopulationPlan> = {}): PopulationPlan => ({
    model: model.file,
    regimen: records.map((r) => r.items),
    key: seedKey(1),
    metrics: [],
    table: false,
    profiles: false,
    ...o,
  });
  it('n, chunk size, workers and tolerances out of range name the field', async () => {
    await refusedAsync(() => runStudy(plan(), { n: 1e20, workers: 0 }), 'E_OPTION', /n: the number of subjects must be an integer from 1 to 1,000,000,000 \(got 100000000000000000000\)/);
    await refusedAsync(() => runStudy(plan(), { n: 0, workers: 0 }), 'E_OPTION', /n:/);
    await refusedAsync(() => runStudy(plan(), { n: 10, chunkSize: 0, workers: 0 }), 'E_OPTION', /chunkSize: must be a positive integer \(got 0\)/);
    await refusedAsync(() => runStudy(plan(), { n: 10, workers: -1 }), 'E_OPTION', /workers: must be an integer ≥ 0 \(got -1\)/);
    await refusedAsync(() => runStudy(plan({ rtol: -1 }), { n: 10, workers: 0 }), 'E_OPTION', /rtol: .*\(got -1\)/);
    await refusedAsync(() => runStudy(plan({ atol: 0 }), { n: 10, workers: 0 }), 'E_OPTION', /atol: .*\(got 0\)/);
  });

  it('a chunk whose engine output would pass 512 MB is refused, naming the largest chunk that fits', async () => {
    const long = regimen().dose({ time: 0, amt: 100 }).observe({ grid: { from: 0, to: 9_999, step: 1 } }).records();
    await refusedAsync(() => runStudy(plan({ regimen: long.map((r) => r.items) }), { n: 10_000, chunkSize: 10_000, workers: 0 }), 'E_OPTION', /chunkSize: a chunk of 10000 subjects × 10001 records needs more than 512 MB .*≤ 6710 \(got 10000\)/);
  });
});

describe('regimen builder', () => {
  it('an observation grid of more than 100,000 times, or a step ≤ 0, is refused before it is expanded', () => {
    refused(() => regimen().dose({ time: 0, amt: 1 }).observe({ grid: { from: 0, to: 1e12, step: 1 } }).records(), 'E_OPTION', /observe\.grid: a grid needs step > 0 and at most 100,000 observation times \(got "0:1000000000000:1"\)/);
    refused(() => regimen().observe({ grid: { from: 0, to: 10, step: 0 } }).records(), 'E_OPTION', /observe\.grid:/);
    refused(() => regimen().observe({ grid: { from: 0, to: 100_000, step: 1 } }).records(), 'E_OPTION', /observe\.grid:/); // 100,001 times
    expect(regimen().observe({ grid: { from: 0, to: 99_999, step: 1000 } }).records().length).toBe(100);
  });
});
