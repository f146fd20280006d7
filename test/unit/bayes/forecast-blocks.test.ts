// forecast() simulates its rows (mode, population, draws) in blocks: a dose timing that reads η
// (a lag with IIV) gives each draw its own event table, and one call for every draw took 824 MB for
// 20,000 draws. Blocks of any size, odd ones too (the engine runs subjects in SIMD pairs), give the
// same bits as one call.

import { afterEach, describe, expect, it } from 'vitest';
import { defineModel, type Model } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { regimen } from '../../../src/regimen/builder.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast, forecastBlocking, type Forecast, type ForecastOptions } from '../../../src/bayes/forecast.js';
import { MM_LAG_MODEL } from './mm-lag.js';
import { regimenRecords, wMapModel } from './wmap.js';

const lagHistory = ([
  { TIME: 0, EVID: 1, AMT: 100, CMT: 1 },
  { TIME: 1, EVID: 0, DV: 2.1 },
  { TIME: 6, EVID: 0, DV: 3.0 },
] as Record<string, number>[]).map((r, i) => recordFromItems({ ID: 1, ...r }, i + 1));

function run(model: Model, history: DataRecord[], future: DataRecord[], o: ForecastOptions, rows: number): Forecast {
  forecastBlocking.rows = rows;
  return forecast(model, history, estimate(model, history, { covariance: true }), future, o);
}

const same = (a: Forecast, b: Forecast): void => {
  for (const k of ['ipred', 'pred', 'median', 'lower', 'upper', 'profiles'] as const) expect([...((b as unknown as Record<string, Float64Array>)[k] ?? [])]).toEqual([...((a as unknown as Record<string, Float64Array>)[k] ?? [])]);
  expect(b.metrics).toEqual(a.metrics);
  expect(b.failed).toBe(a.failed);
};

describe('forecast draws in blocks', () => {
  const initial = forecastBlocking.rows;
  afterEach(() => void (forecastBlocking.rows = initial));

  it('a lag with IIV (a table per draw), with and without metrics: blocks of 7 and 64 rows give the bits of one call', () => {
    const model = defineModel(MM_LAG_MODEL);
    const future = regimen().dose({ time: 12, amt: 100, cmt: 1, addl: 2, ii: 12 }).observe({ grid: { from: 12, to: 48, step: 3 } }).records();
    for (const o of [{ draws: 301, seed: 3, profiles: true }, { draws: 301, seed: 3, metrics: ['auc:24:48', 'cmax:36:48', 'trough:36:48'] }] as ForecastOptions[]) {
      const one = run(model, lagHistory, future, o, 1 << 20);
      expect(one.median.every(Number.isFinite)).toBe(true);
      for (const rows of [7, 64]) same(one, run(model, lagHistory, future, o, rows));
    }
  });

  it('W-map (analytic, shared table): blocks of 5 rows give the bits of one call', () => {
    const model = defineModel(wMapModel);
    const future = regimen().dose({ time: 48, amt: 1000, rate: 1000, addl: 3, ii: 12 }).observe({ grid: { from: 48, to: 96, step: 2 } }).records();
    const o: ForecastOptions = { draws: 200, seed: 9, metrics: ['auc:72:96'], profiles: true };
    same(run(model, regimenRecords(), future, o, 1 << 20), run(model, regimenRecords(), future, o, 5));
  });
});
