// The library refuses options it cannot mean, naming the field and the value, instead of running
// with a default or returning NaN: unknown (misspelt) keys of the builder's dose()/observe() and of
// the options of simulate, estimate, forecast, optimizeRegimen and nomogram; values outside an
// option's range or set (nomogram points and rounding, optimize level and top, simulate and estimate
// overrides, estimate's tolerances, start and enums, cohort workers); BLQ columns the data lacks.
// estimateCohort takes a Model as well as a model file, on worker threads too.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refused, refusedAsync } from './refused.js';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';
import { estimateCohort } from '../../src/bayes/task.js';
import { estimateFits } from '../../src/bayes/fit-task.js';
import { optimizeRegimen } from '../../src/design/optimize/optimize.js';
import { nomogram, type NomogramOptions } from '../../src/design/nomogram/nomogram.js';
import { roundDose } from '../../src/design/nomogram/rounding.js';
import { regimen, type DoseSpec } from '../../src/regimen/builder.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import * as api from '../../src/index.js';

const model = builtinModel('1cmt-iv', { CL: 2, V: 20 });
const records = regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 2, 4] }).records();
const map = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const patient = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));

describe('nomogram', () => {
  const base: NomogramOptions = { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'CRCL', values: [60] }], fixed: { WT: 70 } };
  it('points: an integer from 1 to 100,000, or refused naming it (NaN and −5 gave a dose 11.7× too large)', () => {
    for (const [points, got] of [[NaN, 'NaN'], [-5, '-5'], [1.5, '1.5'], [0, '0'], [1e9, '1000000000']] as const)
      refused(() => nomogram(goti, { ...base, points }), 'E_OPTION', new RegExp(`^nomogram: points must be an integer from 1 to 100,000, .*\\(got ${got}\\)$`));
    const dose = (points?: number) => nomogram(goti, { ...base, points }).cells[0]!.dose!;
    expect(Math.abs(dose(1000) / dose() - 1)).toBeLessThan(1e-4);
  });

  it('rounding: an unknown kind, direction or key names its field', () => {
    const e = refused(() => nomogram(goti, { ...base, rounding: { kind: 'increments', step: 250 } as never }), 'E_OPTION', /rounding\.kind must be one of exact, increment, strengths \(got "increments"\)/);
    expect(e.place.path).toBe('rounding.kind');
    refused(() => nomogram(goti, { ...base, rounding: { kind: 'increment', step: 250, direction: 'nearer' } as never }), 'E_OPTION', /rounding\.direction must be one of nearest, down, up \(got "nearer"\)/);
    refused(() => nomogram(goti, { ...base, rounding: { kind: 'increment', stp: 250 } as never }), 'E_OPTION', /unknown option "rounding\.stp" \(did you mean rounding\.step\?\)/);
    refused(() => nomogram(goti, { ...base, rounding: { kind: 'increment', step: 250, maxUnits: 3 } as never }), 'E_OPTION', /unknown option "rounding\.maxUnits"; the options of rounding are kind, step, min, max, direction/);
    refused(() => nomogram(goti, { ...base, rounding: { kind: 'strengths', strengths: 500 } as never }), 'E_OPTION', /rounding\.strengths must be an array/);
    refused(() => roundDose(1130, { kind: 'increments', step: 250 } as never), 'E_OPTION', /rounding\.kind must be one of/);
    expect(nomogram(goti, { ...base, rounding: { kind: 'increment', step: 250 } }).cells[0]!.dose! % 250).toBe(0);
  });

  it('unknown keys (troughmax), a fixed covariate the model does not read and an invalid method are refused', () => {
    refused(() => nomogram(goti, { ...base, troughmax: 1 } as never), 'E_OPTION', /^nomogram\(\): unknown option "troughmax" \(did you mean troughMax\?\); the options are target, intervals, .*troughMax/);
    refused(() => nomogram(goti, { ...base, fixed: { WT: 70, FOO: 1 } }), 'E_OPTION', /^nomogram: model .* does not read FOO \(its covariates: /);
    refused(() => nomogram(goti, { ...base, fixed: { WT: NaN } }), 'E_OPTION', /fixed\.WT must be a finite number \(got NaN\)/);
    refused(() => nomogram(goti, { ...base, target: { metric: 'auc24', value: 500, unit: 'mg' } as never }), 'E_OPTION', /unknown option "target\.unit"/);
    refused(() => nomogram(goti, { ...base, grid: [{ name: 'CRCL', value: [60] }] as never }), 'E_OPTION', /unknown option "grid\.0\.value" \(did you mean grid\.0\.values\?\)/);
    refused(() => nomogram(goti, { ...base, method: 'rk4' as never }), 'E_OPTION', /method: must be one of/);
  });
});

describe('optimizeRegimen', () => {
  const o = { doses: [500, 1000, 1500], intervals: [12], infusions: [1], target: 'auc24:400:600', draws: 50 };
  const fit = estimate(map, patient);
  it('level outside (0, 1) is refused as forecast() refuses it (1.5 and NaN gave NaN intervals)', () => {
    refused(() => optimizeRegimen(map, patient, { ...o, level: 1.5 }, fit), 'E_OPTION', /^level: must be in \(0, 1\) \(got 1\.5\)$/);
    refused(() => optimizeRegimen(map, patient, { ...o, level: NaN }, fit), 'E_OPTION', /level: .*\(got NaN\)/);
  });
  it('top must be an integer ≥ 1 (−1 dropped a candidate, 0 returned none with feasible true)', () => {
    for (const top of [-1, 0, 1.5]) refused(() => optimizeRegimen(map, patient, { ...o, top }, fit), 'E_OPTION', new RegExp(`^top: must be an integer ≥ 1 \\(got ${top}\\)$`));
    expect(optimizeRegimen(map, patient, { ...o, top: 2 }, fit).ranked).toHaveLength(2);
  });
  it('unknown keys are refused; the options estimate() does not take are not passed to it', () => {
    refused(() => optimizeRegimen(map, patient, { ...o, interval: [12] } as never, fit), 'E_OPTION', /^optimizeRegimen\(\): unknown option "interval" \(did you mean intervals\?\)/);
    // without a fit, optimizeRegimen estimates with its objective options alone
    expect(optimizeRegimen(map, patient, { ...o, top: 1 }).ranked).toHaveLength(1);
  });
});

describe('simulate: overrides and options', () => {
  it('an override the model has no parameter or data item of, or that is not a finite number, is refused naming it (as --param)', () => {
    refused(() => simulate(model, records, { overrides: { CLX: 2 } }), 'E_PARAMETER', /^parameter overrides\.CLX: model .* has no parameter or data item CLX \(parameters: CL, V; data items: none\) \(got 2\)$/);
    refused(() => simulate(model, records, { overrides: { CL: NaN } }), 'E_PARAMETER', /^parameter overrides\.CL: must be a finite number \(got NaN\)$/);
    refused(() => simulate(model, records, { overrides: { CL: '7' } as never }), 'E_PARAMETER', /^parameter overrides\.CL: must be a finite number \(got "7"\)$/);
    const a = simulate(model, records, { overrides: { CL: 7 } }).ipred;
    const b = simulate(builtinModel('1cmt-iv', { CL: 7, V: 20 }), records).ipred;
    expect([...a]).toEqual([...b]);
  });
  it('estimate refuses the same overrides', () => {
    refused(() => estimate(map, patient, { overrides: { CLX: 2 } }), 'E_PARAMETER', /parameter overrides\.CLX: model .* has no parameter or data item CLX/);
    refused(() => estimate(map, patient, { overrides: { CL: Infinity } }), 'E_PARAMETER', /parameter overrides\.CL: must be a finite number \(got Infinity\)/);
  });
  it('misspelt keys and invalid values of an option are refused, naming the key and the known ones', () => {
    refused(() => simulate(model, records, { methd: 'dopri5' } as never), 'E_OPTION', /^simulate\(\): unknown option "methd" \(did you mean method\?\); the options are method, rtol, atol, overrides, amounts, timeVarying, file, engine$/);
    refused(() => simulate(model, records, { timeVarying: 'xx' } as never), 'E_OPTION', /^timeVarying: must be one of nocb, locf \(got "xx"\)$/);
    refused(() => simulate(model, records, { amounts: 'no' } as never), 'E_OPTION', /^amounts: must be true or false/);
    // a key set to undefined asks for nothing
    expect(simulate(model, records, { timeVarying: undefined, whatever: undefined } as never).ipred.length).toBe(records.length);
  });
});

describe('regimen builder: dose() and observe()', () => {
  it('a misspelt key is refused, naming it and the keys (duration gave a bolus, ADDL/II a single dose)', () => {
    refused(() => regimen().dose({ time: 0, amt: 100, duration: 2 } as never), 'E_OPTION', /^dose\(\): unknown option "duration" \(did you mean dur\?\); the options are time, amt, cmt, rate, dur, addl, ii, ss, items$/);
    // whole words for the abbreviations, too far from them by spelling for the hint (duration is 5 edits from dur)
    for (const [word, short] of [['amount', 'amt'], ['interval', 'ii'], ['compartment', 'cmt'], ['additional', 'addl'], ['steadyState', 'ss']])
      refused(() => regimen().dose({ time: 0, amt: 100, [word]: 1 } as never), 'E_OPTION', new RegExp(`^dose\\(\\): unknown option "${word}" \\(did you mean ${short}\\?\\)`));
    refused(() => regimen().dose({ time: 0, amt: 100, ADDL: 3, II: 12 } as never), 'E_OPTION', /unknown option "ADDL" \(did you mean addl\?\)/);
    refused(() => regimen().observe({ time: [1, 2] } as never), 'E_OPTION', /^observe\(\): unknown option "time" \(did you mean times\?\); the options are times, grid, cmt, items$/);
    refused(() => regimen().observe({ grid: { from: 0, to: 10, stp: 1 } } as never), 'E_OPTION', /unknown option "grid\.stp" \(did you mean grid\.step\?\)/);
    refused(() => regimen().observe({ cmt: 1 }), 'E_OPTION', /observe: give the observation times/);
  });
  it('an amount that is not a number says so (not "must be ≥ 0")', () => {
    refused(() => regimen().dose({ time: 0, amt: '100' } as unknown as DoseSpec), 'E_OPTION', /^dose\.amt: a dose amount must be a number ≥ 0 \(got "100"\)$/);
    refused(() => regimen().dose({ time: '0', amt: 100 } as unknown as DoseSpec), 'E_OPTION', /^dose\.time: a dose time must be a number/);
    refused(() => regimen().dose({ time: 0, amt: 100, items: { WT: '70' } } as unknown as DoseSpec), 'E_OPTION', /^dose\.items\.WT: a data item must be a number \(got "70"\)$/);
    refused(() => regimen().observe({ times: [1, '2'] } as never), 'E_OPTION', /^observe\.times\.1: /);
    expect(regimen().dose({ time: 0, amt: 100, dur: 2, addl: 1, ii: 12 }).observe({ times: [1] }).records()).toHaveLength(2);
  });
});

describe('option keys of estimate and forecast', () => {
  const fit = estimate(map, patient);
  const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [60] }).records();
  it('forecast refuses metric for metrics', () => {
    refused(() => forecast(map, patient, fit, future, { metric: ['auc24'] } as never), 'E_OPTION', /^forecast\(\): unknown option "metric" \(did you mean metrics\?\); the options are method, .*metrics/);
    refused(() => forecast(map, patient, fit, future, { metrics: 'auc24' } as never), 'E_OPTION', /metrics: must be an array/);
  });
  it('estimate refuses unknown keys and invalid values', () => {
    refused(() => estimate(map, patient, { gtl: 1e-6 } as never), 'E_OPTION', /^estimate\(\): unknown option "gtl" \(did you mean gtol\?\)/);
    refused(() => estimate(map, patient, { draws: 10 } as never), 'E_OPTION', /unknown option "draws"/);
  });
});

describe('callers in the repository that pass a larger options object', () => {
  it("advice's options are not estimate()'s: adviseFromState passes estimate() its own keys only", () => {
    const advice = { from: 50, doses: [1000], intervals: [12], infusions: [1], target: 'auc24:400:600', draws: 20, seed: 1, top: 1 };
    refused(() => estimate(map, patient, advice as never), 'E_OPTION', /unknown option "from"/);
  });

  it("the command line's report charts a second output through forecast() (the curve was lost without a word)", async () => {
    const { cli } = await import('./cli/run-cli.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { onTestFinished } = await import('vitest');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-option-keys-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const r = await cli(['forecast', '--model', 'examples/parent-metabolite/model.json', '--data', 'examples/parent-metabolite/patients.csv', '--id', '1', '--regimen', 'examples/parent-metabolite/future.json', '--draws', '50', '--report', join(dir, 'rep')]);
    expect(r.code, r.err).toBe(0);
    const chart = readFileSync(join(dir, 'rep', 'report.html'), 'utf8').split('<svg').find((c) => c.includes('history and forecast — metabolite')) as string;
    expect(chart).toContain('class="dw-line"');
    expect(chart).toContain('class="dw-band"');
  });
});

describe('estimate: values', () => {
  it('gtol, maxIterations and start out of range name the field', () => {
    refused(() => estimate(map, patient, { gtol: -1 }), 'E_OPTION', /^gtol: the gradient tolerance must be a finite number > 0 \(got -1\)$/);
    refused(() => estimate(map, patient, { gtol: NaN }), 'E_OPTION', /gtol: .*\(got NaN\)/);
    refused(() => estimate(map, patient, { maxIterations: -5 }), 'E_OPTION', /^maxIterations: must be an integer ≥ 1 \(got -5\)$/);
    refused(() => estimate(map, patient, { maxIterations: 2.5 }), 'E_OPTION', /maxIterations:/);
    refused(() => estimate(map, patient, { start: [0.1, NaN] }), 'E_OPTION', /^start: must be 2 finite numbers, one per estimated effect \(ETA_CL, ETA_V1\) \(got \[0\.1, NaN\]\)$/);
    refused(() => estimate(map, patient, { start: [0.1] }), 'E_OPTION', /start: must be 2 finite numbers.*\(got \[0\.1\]\)/);
    const a = estimate(map, patient);
    const b = estimate(map, patient, { start: [0.1, -0.1], maxIterations: 500, gtol: 1e-6 });
    expect(b.eta[0]).toBeCloseTo(a.eta[0]!, 4);
  });
  it('enum options take their values only', () => {
    refused(() => estimate(map, patient, { covarianceMethod: 'fisher' } as never), 'E_OPTION', /^covarianceMethod: must be one of hessian, expected \(got "fisher"\)$/);
    refused(() => estimate(map, patient, { restarts: 'sometimes' } as never), 'E_OPTION', /^restarts: must be one of auto, always, never \(got "sometimes"\)$/);
    refused(() => estimate(map, patient, { global: 'no' } as never), 'E_OPTION', /^global: must be true or false \(got "no"\)$/);
    refused(() => estimate(map, patient, { logDv: 'yes' } as never), 'E_OPTION', /^logDv: must be true or false \(got "yes"\)$/);
  });
  it('a BLQ column named in the options that no record has is refused, naming option and column', () => {
    refused(() => estimate(map, patient, { blq: { flag: 'CENS' } }), 'E_OPTION', /^blq\.flag: no record has a column CENS: its BLQ records would be scored as measured levels \(got "CENS"\)$/);
    refused(() => estimate(map, patient, { blq: { lloq: 'LOQ' } }), 'E_OPTION', /^blq\.lloq: no record has a column LOQ: BLQ records would take DV as their LLOQ/);
    refused(() => estimate(map, patient, { blq: { flg: 'BLQ' } as never }), 'E_OPTION', /unknown option "blq\.flg" \(did you mean blq\.flag\?\)/);
    const fit = estimate(map, patient);
    const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [60] }).records();
    refused(() => forecast(map, patient, fit, future, { blq: { flag: 'CENS' } }), 'E_OPTION', /blq\.flag: no record has a column CENS/);
    refused(() => optimizeRegimen(map, patient, { doses: [1000], intervals: [12], target: 'auc24:400:600', blq: { lloq: 'LOQ' } }, fit), 'E_OPTION', /blq\.lloq: no record has a column LOQ/);
    // a column present (any case) passes
    const withCens = patient.map((r) => ({ ...r, items: { ...r.items, cens: 0 } }));
    expect(estimate(map, withCens, { blq: { flag: 'CENS' } }).eta).toEqual(fit.eta);
  });
});

describe('cohorts', () => {
  const json = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8'));
  const patients = [patient, patient];
  it('workers, gtol, enums and method are refused on this thread, before any worker starts', async () => {
    // an option of the call, as runStudy's is (E_OPTION; it was E_PARAMETER, as if a model parameter)
    await refusedAsync(() => estimateCohort(json, patients, { workers: -1 }), 'E_OPTION', /^workers: must be an integer ≥ 0 \(got -1\)$/);
    await refusedAsync(() => estimateCohort(json, patients, { workers: 1.5 }), 'E_OPTION', /workers: .*\(got 1\.5\)/);
    await refusedAsync(() => estimateFits(json, patients, { workers: -1 }), 'E_OPTION', /^workers: must be an integer ≥ 0/);
    await refusedAsync(() => estimateCohort(json, patients, { method: 'rk4' as never }), 'E_OPTION', /^method: must be one of auto, analytic, dopri5, rosenbrock, dop853, taylor \(got "rk4"\)$/);
    await refusedAsync(() => estimateFits(json, patients, { method: 'rk4' as never }), 'E_OPTION', /method:/);
    await refusedAsync(() => estimateCohort(json, patients, { gtol: -1, workers: 0 }), 'E_OPTION', /gtol:/);
    await refusedAsync(() => estimateCohort(json, patients, { restarts: 'sometimes' as never }), 'E_OPTION', /restarts:/);
    await refusedAsync(() => estimateCohort(json, patients, { worker: 2 } as never), 'E_OPTION', /^estimateCohort\(\): unknown option "worker" \(did you mean workers\?\)/);
    await refusedAsync(() => estimateFits(json, patients, { blq: { flag: 'CENS' }, workers: 0 }), 'E_OPTION', /blq\.flag: no record has a column CENS/);
    await refusedAsync(() => estimateFits(json, patients, { overrides: { CL: NaN }, workers: 0 }), 'E_PARAMETER', /parameter overrides\.CL: must be a finite number/);
    await refusedAsync(() => estimateFits(map, patients, { overrides: { CLX: 1 }, workers: 0 }), 'E_PARAMETER', /parameter overrides\.CLX: model .* has no parameter or data item CLX/);
  });

  it('a Model is sent to worker threads as its source: the same estimates as its file, inline and on two workers', async () => {
    const inline = await estimateCohort(json, patients, { workers: 0 });
    const model = await estimateCohort(defineModel(json), patients, { workers: 2, chunkSize: 1 });
    expect([...model.eta]).toEqual([...inline.eta]);
    const fits = await estimateFits(defineModel(json), patients, { workers: 0 });
    expect(fits[1]!.eta).toEqual([...inline.eta.slice(2, 4)]);
    expect(fits[0]!.eta).toEqual(estimate(map, patient).eta);
  });

  it("the browser entry's estimateCohort() refuses the same keys and values, before any worker starts", async () => {
    // it had only the worker check: a misspelt key or a covariance option ran without a word
    const web = await import('../../src/browser/index.js');
    await refusedAsync(() => web.estimateCohort(json, patients, { worker: 2 } as never), 'E_OPTION', /^estimateCohort\(\): unknown option "worker" \(did you mean workers\?\)/);
    await refusedAsync(() => web.estimateCohort(json, patients, { covariance: true, workers: 0 } as never), 'E_OPTION', /^estimateCohort\(\): covariance: the cohort result carries no covariance/);
    await refusedAsync(() => web.estimateCohort(json, patients, { gtol: -1, workers: 0 }), 'E_OPTION', /gtol:/);
    await refusedAsync(() => web.estimateCohort(json, patients, { chunkSize: 0, workers: 0 }), 'E_OPTION', /^chunkSize: expected a positive integer \(got 0\)/);
    await refusedAsync(() => web.estimateCohort(json, patients, { workers: -1 }), 'E_OPTION', /^workers: must be an integer ≥ 0 \(got -1\)$/);
  });

  it('a model that cannot be cloned to a worker is refused up front', async () => {
    await refusedAsync(() => estimateCohort({ ...json, f: () => 1 }, patients, { workers: 2 }), 'E_OPTION', /^estimateCohort\(\): the model cannot be sent to a worker/);
  });
});

describe('package exports', () => {
  it('regimenTimesOf is exported beside parseMetric, which needs it', () => {
    const recs = regimen().dose({ time: 0, amt: 1000, dur: 1, addl: 3, ii: 12 }).observe({ grid: { from: 36, to: 48, step: 1 } }).records();
    const m = api.parseMetric('auc24', api.regimenTimesOf(recs));
    expect(m.name).toBe('auc24');
  });
});
