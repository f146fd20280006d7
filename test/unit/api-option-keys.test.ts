// Misspelt option keys of runStudy, populationPlan, simulateReplicates, vpc, posteriorSample and
// readNmtran ran the call with the default without a word ({ worker: 2 } on every core, { draw: 10 }
// 1000 draws); shrinkage() took a third argument and ignored it. Each refuses them now (E_OPTION,
// naming the key and the call, with the likely meant key), and the callers in the repository that
// pass on a larger options object hand each call its own keys only. Option values out of range are
// option errors too (E_OPTION, place.path = the option, the value), not parameter errors.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refused, refusedAsync } from './refused.js';
import { DosewiseError } from '../../src/errors.js';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';
import { posteriorSample } from '../../src/bayes/posterior.js';
import { shrinkage } from '../../src/bayes/shrinkage.js';
import { optimizeRegimen } from '../../src/design/optimize/optimize.js';
import { populationPlan } from '../../src/design/pta/pta-plan.js';
import { simulate } from '../../src/engine/simulate.js';
import { runStudy, seedKey } from '../../src/population/study.js';
import type { PopulationPlan } from '../../src/population/plan.js';
import { regimen, type DoseSpec } from '../../src/regimen/builder.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../src/replicate/run.js';
import { vpc } from '../../src/vpc/vpc.js';

const model = builtinModel('1cmt-iv', { CL: 2, V: 20 });
const records = regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 2, 4] }).records();
const map = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const patient = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
const vpcModel = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));
const vpcData = readNmtran(readFileSync('examples/vpc/data.csv', 'utf8')).records;
const plan = (o: Partial<PopulationPlan> = {}): PopulationPlan => ({ model: model.file, regimen: records.map((r) => r.items), key: seedKey(1), metrics: [], table: false, profiles: false, ...o });

/** The error `f` throws (rejects with), which must be a DosewiseError. */
async function caught(f: () => unknown): Promise<DosewiseError> {
  let err: unknown;
  try {
    await f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DosewiseError);
  return err as DosewiseError;
}

describe('unknown option keys are refused, naming the key, the call and the likely meant key', () => {
  it('runStudy: worker, onprogress, seed (the seed is the plan key), before any worker starts', async () => {
    const e = await caught(() => runStudy(plan(), { n: 10, worker: 2 } as never));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toMatch(/^runStudy\(\): unknown option "worker" \(did you mean workers\?\); the options are n, chunkSize, workers, shard, windows, onProgress, signal, onChunk, pool$/);
    expect(e.place).toEqual({ path: 'worker', value: 2 });
    await refusedAsync(() => runStudy(plan(), { n: 10, workers: 0, onprogress: () => {} } as never), 'E_OPTION', /^runStudy\(\): unknown option "onprogress" \(did you mean onProgress\?\)/);
    await refusedAsync(() => runStudy(plan(), { n: 10, workers: 0, seed: 7 } as never), 'E_OPTION', /^runStudy\(\): unknown option "seed"; the options are n, /);
    // a key set to undefined asks for nothing
    const r = await runStudy(plan(), { n: 3, workers: 0, seed: undefined } as never);
    expect(r.count).toBe(3);
  });

  it('populationPlan: metric for metrics', () => {
    refused(() => populationPlan({ model: model.file, records, key: [0, 0], metric: [], table: false } as never), 'E_OPTION', /^populationPlan\(\): unknown option "metric" \(did you mean metrics\?\); the options are model, records, covariates, files, covariatesFile, key, metrics, table, method, rtol, atol$/);
    expect(populationPlan({ model: model.file, records, key: [0, 0], metrics: [], table: false }).regimen).toHaveLength(records.length);
  });

  it('simulateReplicates: replicate for replicates', async () => {
    await refusedAsync(() => simulateReplicates(vpcModel, vpcData, { replicate: 5, workers: 0 } as never, () => {}), 'E_OPTION', /^simulateReplicates\(\): unknown option "replicate" \(did you mean replicates\?\)/);
  });

  it('vpc: replicate for replicates, and the options of simulateReplicates it does not take', async () => {
    await refusedAsync(() => vpc(vpcModel, vpcData, { replicate: 5, workers: 0 } as never), 'E_OPTION', /^vpc\(\): unknown option "replicate" \(did you mean replicates\?\)/);
    await refusedAsync(() => vpc(vpcModel, vpcData, { epsilon: false, workers: 0 } as never), 'E_OPTION', /^vpc\(\): unknown option "epsilon"/);
  });

  it('vpc passes simulateReplicates its own options only (bins, ci, percentiles are not its keys)', async () => {
    const r = await vpc(vpcModel, vpcData, { replicates: 5, seed: 3, workers: 0, bins: 3, ci: 0.9, percentiles: [0.1, 0.5, 0.9], predictionCorrected: false });
    expect(r.replicates).toBe(5);
    expect(r.bins).toHaveLength(3);
  });

  it('posteriorSample: draw for draws; forecast and optimizeRegimen pass it their own keys only', () => {
    const fit = estimate(map, patient);
    refused(() => posteriorSample(map, patient, fit, { draw: 10 } as never), 'E_OPTION', /^posteriorSample\(\): unknown option "draw" \(did you mean draws\?\); the options are method, .*draws, seed, sir, proposals, inflation, objective$/);
    expect(posteriorSample(map, patient, fit, { draws: 10, seed: 2 }).draws).toBe(10);
    const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [60] }).records();
    const f = forecast(map, patient, fit, future, { draws: 20, level: 0.8, metrics: ['trough'], history: true, sir: true, proposals: 40 });
    expect(f.lower).toHaveLength(1);
    expect(optimizeRegimen(map, patient, { doses: [1000], intervals: [12], target: 'auc24:400:600', draws: 20, top: 1, sir: false }, fit).ranked).toHaveLength(1);
  });

  it('readNmtran: fil for file', () => {
    const text = 'ID,TIME,EVID,AMT,DV\n1,0,1,100,.\n1,2,0,0,3';
    refused(() => readNmtran(text, { fil: 'd.csv' } as never), 'E_OPTION', /^readNmtran\(\): unknown option "fil" \(did you mean file\?\); the options are file, zone, onZoneClock, time$/);
    expect(readNmtran(text, { file: 'd.csv' }).records).toHaveLength(2);
  });

  it('shrinkage takes no options: a third argument is refused, naming its key', () => {
    // two patients: shrinkage of one is refused
    const fits = [estimate(map, patient), estimate(map, patient)];
    const shrink = shrinkage as (...a: unknown[]) => ReturnType<typeof shrinkage>;
    const e = refused(() => shrink(map, fits, { level: 0.9 }), 'E_OPTION', /^shrinkage\(\): unknown option "level"; shrinkage takes no options, only \(model, estimates\)$/);
    expect(e.place).toEqual({ path: 'level', value: 0.9 });
    refused(() => shrink(map, fits, 0.9), 'E_OPTION', /^shrinkage\(\): a third argument \(got 0\.9\); shrinkage takes no options/);
    expect(shrink(map, fits, undefined).sd).toEqual(shrinkage(map, fits).sd);
    expect(shrink(map, fits, {}).n).toBe(2);
  });
});

describe('option values out of range are E_OPTION errors with the option as place.path and the value', () => {
  /** The error's code, path and value, and that it is no parameter error (no column). */
  const expectOption = (e: DosewiseError, path: string, value: unknown): void => {
    expect(e.code).toBe('E_OPTION');
    expect(e.place.path).toBe(path);
    expect(e.place.value).toEqual(value);
    expect(e.place.column).toBeUndefined();
    expect(e.message.startsWith(`${path}: `)).toBe(true);
  };

  it('runStudy: n, chunkSize, workers and the plan\'s solver settings', async () => {
    expectOption(await caught(() => runStudy(plan(), { n: 0, workers: 0 })), 'n', 0);
    expectOption(await caught(() => runStudy(plan(), { n: 10, chunkSize: 2.5, workers: 0 })), 'chunkSize', 2.5);
    expectOption(await caught(() => runStudy(plan(), { n: 10, workers: -1 })), 'workers', -1);
    expectOption(await caught(() => runStudy(plan({ rtol: 5 }), { n: 10, workers: 0 })), 'rtol', 5);
    expectOption(await caught(() => runStudy(plan({ method: 'euler' as never }), { n: 10, workers: 0 })), 'method', 'euler');
  });

  it('estimate, forecast and simulate: solver settings, gtol, enums, draws, start, blq', async () => {
    expectOption(await caught(() => estimate(map, patient, { gtol: -1 })), 'gtol', -1);
    expectOption(await caught(() => estimate(map, patient, { rtol: 0 })), 'rtol', 0);
    expectOption(await caught(() => estimate(map, patient, { restarts: 'sometimes' as never })), 'restarts', 'sometimes');
    expectOption(await caught(() => estimate(map, patient, { start: [0.1] })), 'start', [0.1]);
    expectOption(await caught(() => estimate(map, patient, { blq: { flag: 'CENS' } })), 'blq.flag', 'CENS');
    expectOption(await caught(() => simulate(model, records, { method: 'rk4' as never })), 'method', 'rk4');
    expectOption(await caught(() => simulate(model, records, { timeVarying: 'xx' as never })), 'timeVarying', 'xx');
    const fit = estimate(map, patient);
    const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [60] }).records();
    expectOption(await caught(() => forecast(map, patient, fit, future, { draws: 0 })), 'draws', 0);
    expectOption(await caught(() => forecast(map, patient, fit, future, { level: 1.5 })), 'level', 1.5);
    expectOption(await caught(() => posteriorSample(map, patient, fit, { draws: 1.5 })), 'draws', 1.5);
    expectOption(await caught(() => posteriorSample(map, patient, fit, { sir: true, draws: 10, proposals: 0 })), 'proposals', 0);
  });

  it('optimizeRegimen: doses, intervals, top', async () => {
    const fit = estimate(map, patient);
    const o = { doses: [1000], intervals: [12], target: 'auc24:400:600', draws: 20 };
    expectOption(await caught(() => optimizeRegimen(map, patient, { ...o, doses: [] }, fit)), 'doses', []);
    expectOption(await caught(() => optimizeRegimen(map, patient, { ...o, intervals: [-12] }, fit)), 'intervals', -12);
    expectOption(await caught(() => optimizeRegimen(map, patient, { ...o, top: 0 }, fit)), 'top', 0);
  });

  it('the regimen builder: dose.amt, dose.dur, observe.grid, observe', async () => {
    expectOption(await caught(() => regimen().dose({ time: 0, amt: '100' } as unknown as DoseSpec)), 'dose.amt', '100');
    expectOption(await caught(() => regimen().dose({ time: 0, amt: 100, dur: -1 }).records()), 'dose.dur', -1);
    expectOption(await caught(() => regimen().dose({ time: 0, amt: 100, dur: 1, rate: 50 }).records()), 'dose.dur', 1);
    const grid = { from: 0, to: 10, step: 0 };
    const e = await caught(() => regimen().observe({ grid }).records());
    expectOption(e, 'observe.grid', grid);
    expect(e.message).toBe('observe.grid: a grid needs step > 0 and at most 100,000 observation times (got "0:10:0")');
    expectOption(await caught(() => regimen().observe({ cmt: 1 })), 'observe', { cmt: 1 });
  });

  it('the regimen builder names the field of a number no dose takes (they were "row 1, column AMT … (got ".")")', async () => {
    expectOption(await caught(() => regimen().dose({ time: 0, amt: NaN })), 'dose.amt', NaN);
    expectOption(await caught(() => regimen().dose({ time: 0, amt: -1000 })), 'dose.amt', -1000);
    expectOption(await caught(() => regimen().dose({ time: 0, amt: Infinity })), 'dose.amt', Infinity);
    expectOption(await caught(() => regimen().dose({ time: NaN, amt: 100 })), 'dose.time', NaN);
    expectOption(await caught(() => regimen().dose({ time: 0, amt: 100, rate: -5 })), 'dose.rate', -5);
    expectOption(await caught(() => regimen().dose({ time: 0, amt: 100, addl: -1, ii: 12 })), 'dose.addl', -1);
    expectOption(await caught(() => regimen().dose({ time: 0, amt: 100, addl: 2.5, ii: 12 })), 'dose.addl', 2.5);
    // what doses take stays taken: a modelled rate or duration, AMT 0 left to the records' rule
    expect(regimen().dose({ time: 0, amt: 100, rate: -2 }).dose({ time: 12, amt: 100, addl: 2, ii: 12 }).records().length).toBe(2);
  });

  it('a parameter value of a record stays a parameter error (E_PARAMETER, naming row and column)', async () => {
    const e = await caught(() => simulate(builtinModel('1cmt-iv', { CL: 2, V: 0 }), records));
    expect(e.code).toBe('E_PARAMETER');
    expect(e.place.column).toBe('V');
  });
});

describe('shard of the API', () => {
  it('is 0-based, and its refusal says so (it quoted the 1-based I/N of the command line)', async () => {
    const { shardRange } = await import('../../src/population/study.js');
    expect(shardRange(10, { index: 2, count: 3 })).toEqual([6, 10]);
    expect(() => shardRange(10, { index: 3, count: 3 })).toThrow(/shard: expected \{ index, count \} with index from 0 to count − 1 \(0-based; the command line's I\/N is 1-based\) and count ≥ 1 \(got index 3, count 3\)/);
  });
});
