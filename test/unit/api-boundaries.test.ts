// The public API's boundary checks. Before: adviseFromState(), pta(), compileModel(),
// occupancyDoses() and relevance() ignored misspelt option keys (adviseFromState with maxdose: 750
// advised 1000 mg; pta with stratas gave an unstratified table, with signl ran to the end);
// `new Regimen(doses, observe)` took what dose() and observe() refuse ({ duration: 2 } ran as a
// bolus, { ADDL: 1, II: 12 } as one dose, { time: [1] } observed nothing); the functions that take a
// Model, given the model FILE object, undefined or swapped arguments, failed as raw TypeErrors
// ("model.inputs is not iterable") or, posteriorSample(), returned η draws of length 0.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caught, refused, refusedAsync } from './refused.js';
import { DosewiseError } from '../../src/errors.js';
import { builtinModel, defineModel, type Model } from '../../src/model/model.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';
import { posteriorSample } from '../../src/bayes/posterior.js';
import { shrinkage } from '../../src/bayes/shrinkage.js';
import { adviseFromState, maxDailyAmount } from '../../src/design/optimize/advice.js';
import { optimizeRegimen } from '../../src/design/optimize/optimize.js';
import { occupancyDoses } from '../../src/design/occupancy/occupancy.js';
import { pta } from '../../src/design/pta/pta.js';
import { formatRelevance, relevance, relevanceFromModel } from '../../src/design/relevance/relevance.js';
import { compileForModel, resolveMethod, simulate } from '../../src/engine/simulate.js';
import { compileModel } from '../../src/engine/model-text.js';
import { parseMetric, regimenTimesOf } from '../../src/population/metrics.js';
import { Regimen, regimen, type DoseSpec, type ObserveSpec } from '../../src/regimen/builder.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../src/replicate/run.js';

const json = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as unknown;
const map = defineModel(json);
const patient = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
const fit = estimate(map, patient);
const future = regimen().dose({ time: 48, amt: 1000, dur: 1 }).observe({ times: [60] }).records();
const advice = { from: 48, target: 'auc24:400:600,trough::20', doses: [500, 750, 1000], intervals: [12], infusions: [1], top: 1 };
const ptaBase = {
  model: json,
  regimens: [{ name: '1000 q12h', records: regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, ss: 1, addl: 1 }).observe({ grid: { from: 0, to: 24, step: 1 } }).records() }],
  target: 'auc24:400:600',
  n: 20,
  seed: 1,
  workers: 0,
};

describe('misspelt option keys are refused by every call that takes an options object', () => {
  it('adviseFromState: maxdose (1000 mg advised for maxDose 750), max_rate, holdbelow, fooBar', () => {
    const e = refused(() => adviseFromState(map, patient, { ...advice, maxdose: 750 } as never), 'E_OPTION', /^adviseFromState\(\): unknown option "maxdose" \(did you mean maxDose\?\); the options are /);
    expect(e.place).toEqual({ path: 'maxdose', value: 750 });
    refused(() => adviseFromState(map, patient, { ...advice, max_rate: 250 } as never), 'E_OPTION', /unknown option "max_rate" \(did you mean maxRate\?\)/);
    refused(() => adviseFromState(map, patient, { ...advice, holdbelow: 5 } as never), 'E_OPTION', /unknown option "holdbelow" \(did you mean holdBelow\?\)/);
    refused(() => adviseFromState(map, patient, { ...advice, fooBar: 1 } as never), 'E_OPTION', /^adviseFromState\(\): unknown option "fooBar"; the options are /);
    // the options optimizeRegimen shares with it (the objective's, the ranking's) stay accepted
    expect(() => adviseFromState(map, patient, { ...advice, maxDose: 750, draws: 50, seed: 1, sir: false, blq: undefined })).not.toThrow();
  });

  it('pta: stratas (an unstratified table), signl (not cancellable), chunksize, a regimen key other than name and records', async () => {
    await refusedAsync(() => pta({ ...ptaBase, stratas: 'WT:70' } as never), 'E_OPTION', /^pta\(\): unknown option "stratas" \(did you mean strata\?\)/);
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await refusedAsync(() => pta({ ...ptaBase, signl: ac.signal } as never), 'E_OPTION', /^pta\(\): unknown option "signl" \(did you mean signal\?\)/);
    await refusedAsync(() => pta({ ...ptaBase, chunksize: 10 } as never), 'E_OPTION', /unknown option "chunksize" \(did you mean chunkSize\?\)/);
    const e = await pta({ ...ptaBase, regimens: [{ ...ptaBase.regimens[0], recs: 1 }] } as never).catch((x: unknown) => x as DosewiseError);
    expect(e).toBeInstanceOf(DosewiseError);
    expect((e as DosewiseError).message).toBe('pta(): unknown option "regimens.0.recs"; the options of regimens.0 are name, records, file');
    expect((e as DosewiseError).place.path).toBe('regimens.0.recs');
    await refusedAsync(() => pta({ ...ptaBase, signal: 'stop' } as never), 'E_OPTION', /^signal: expected an AbortSignal/);
  });

  it('compileModel: cachedir for cacheDir (the kernel went to the disk cache)', async () => {
    await refusedAsync(() => compileModel('x', { cachedir: false } as never), 'E_OPTION', /^compileModel\(\): unknown option "cachedir" \(did you mean cacheDir\?\)/);
  });

  it('compileForModel, occupancyDoses, relevance, relevanceFromModel: unknown keys', () => {
    refused(() => compileForModel(map, patient, { methd: 'ode' } as never), 'E_OPTION', /^compileForModel\(\): unknown option "methd" \(did you mean method\?\)/);
    refused(() => occupancyDoses(map, { foo: 1 } as never), 'E_OPTION', /^occupancyDoses\(\): unknown option "foo"; the options are target, regimen, receptor/);
    const effects = [{ label: 'keto', on: 'CL' as const, ratio: 0.5 }];
    refused(() => relevance(effects, { dosestep: 0.5 } as never), 'E_OPTION', /^relevance\(\): unknown option "dosestep" \(did you mean doseStep\?\)/);
    refused(() => relevanceFromModel(map, effects, { dose: 1000, regimen: { interval: 12 }, covariate: {} } as never), 'E_OPTION', /^relevanceFromModel\(\): unknown option "covariate" \(did you mean covariates\?\)/);
  });

  it('maxDailyAmount(records, { x: 1 }) returned 0: it takes { t, amt } doses and a time', () => {
    refused(() => maxDailyAmount(patient as never, { x: 1 } as never), 'E_OPTION', /^doses\.0: maxDailyAmount\(doses, after\): each dose must be \{ t, amt \}/);
    refused(() => maxDailyAmount([{ t: 0, amt: 1000 }], { x: 1 } as never), 'E_OPTION', /^after: maxDailyAmount\(doses, after\)/);
    // 1000 at 0 and 12 h, 500 at 24 h: any 24 h window holds at most two of them, 1000 + 1000
    expect(maxDailyAmount([{ t: 0, amt: 1000 }, { t: 12, amt: 1000 }, { t: 24, amt: 500 }], 0)).toBe(2000);
  });
});

describe('new Regimen(doses, observe) checks what dose() and observe() check', () => {
  // 1-cmt IV, CL 5, V 50: k = 0.1 /h
  const m = builtinModel('1cmt-iv', { CL: 5, V: 50 });
  const at = (r: Regimen): number[] => Array.from(simulate(m, r.records()).ipred).filter((_, i) => r.records()[i]?.EVID === 0);

  it('{ duration: 2 } ran as a bolus (1.8097 at 1 h, 100/50·e^−0.1): refused, naming the dose and the key', () => {
    const e = refused(() => new Regimen([{ time: 0, amt: 100, duration: 2 } as never], [{ times: [1] }]), 'E_OPTION', /^new Regimen\(\): doses\[0\]: dose\(\): unknown option "duration"/);
    expect(e.place.path).toBe('doses.0.duration');
    // what was meant: 100 mg over 2 h, at 1 h R/CL·(1 − e^−k) = 10·(1 − e^−0.1) = 0.951625819640405
    // (the analytic solution: 5.6e-16 off, measured; 5e-15 allowed)
    const [c] = at(new Regimen([{ time: 0, amt: 100, dur: 2 }], [{ times: [1] }]));
    expect(c).toBeCloseTo(0.9516258196404048, 14);
  });

  it('{ ADDL: 1, II: 12 } ran one dose (0.5451 at 13 h): refused; addl/ii give two doses, 2e^−1.3 + 2e^−0.1 at 13 h', () => {
    refused(() => new Regimen([{ time: 0, amt: 100, ADDL: 1, II: 12 } as never], [{ times: [13] }]), 'E_OPTION', /unknown option "ADDL" \(did you mean addl\?\)/);
    const [c] = at(new Regimen([{ time: 0, amt: 100, addl: 1, ii: 12 }], [{ times: [13] }]));
    expect(c).toBeCloseTo(2.354738422139944, 14);
  });

  it('observe { time: [1] } gave no observation rows; a list that is not an array, an ID that is not a number', () => {
    const e = refused(() => new Regimen([{ time: 0, amt: 100 }], [{ time: [1] } as never]), 'E_OPTION', /^new Regimen\(\): observe\[0\]: observe\(\): unknown option "time" \(did you mean times\?\)/);
    expect(e.place.path).toBe('observe.0.time');
    refused(() => new Regimen({ time: 0, amt: 1 } as never), 'E_OPTION', /^doses: new Regimen\(doses, observe\): doses must be an array/);
    refused(() => new Regimen([], {} as never), 'E_OPTION', /^observe: new Regimen\(doses, observe\): observe must be an array/);
    refused(() => new Regimen([], [], 'a' as never), 'E_OPTION', /^id: new Regimen/);
    // the builder's own chain is unchanged
    expect(regimen(3).dose({ time: 0, amt: 100 }).observe({ times: [1] }).records().map((r) => r.ID)).toEqual([3, 3]);
  });

  it('a later change to the caller\'s array does not change the Regimen', () => {
    const doses: DoseSpec[] = [{ time: 0, amt: 100 }];
    const obs: ObserveSpec[] = [{ times: [1] }];
    const r = new Regimen(doses, obs);
    doses.push({ time: 0, amt: 100, duration: 2 } as never);
    expect(r.records()).toHaveLength(2);
  });
});

describe('a model that is not a Model is refused naming the argument and saying what to pass', () => {
  const fileObject = /model must be a Model \(defineModel\(json\), builtinModel\(name, parameters\) or await compileModel\(text\)\); got a model file object: pass defineModel\(json\)/;

  it('posteriorSample(json) returned η of length 0 without a word', () => {
    const e = refused(() => posteriorSample(json as Model, patient, fit, { draws: 5 }), 'E_OPTION', /^posteriorSample\(\): /);
    expect(e.message).toMatch(fileObject);
    expect(e.place.path).toBe('model');
  });

  it('estimate, simulate, forecast, optimizeRegimen, adviseFromState, shrinkage, occupancyDoses, relevanceFromModel, compileForModel: raw TypeErrors before', () => {
    const calls: [string, () => unknown][] = [
      ['estimate', () => estimate(json as Model, patient)],
      ['simulate', () => simulate(json as Model, patient)],
      ['forecast', () => forecast(json as Model, patient, fit, future, { draws: 50 })],
      ['optimizeRegimen', () => optimizeRegimen(json as Model, patient, { target: 'auc24:400:600', doses: [1000], intervals: [12] }, fit)],
      ['adviseFromState', () => adviseFromState(json as Model, patient, { from: 48, target: 'auc24:400:600', doses: [1000], intervals: [12] }, fit)],
      ['shrinkage', () => shrinkage(json as Model, [fit, fit])],
      ['occupancyDoses', () => occupancyDoses(json as Model, { target: 0.9, regimen: { interval: 168 }, receptor: [1] })],
      ['relevanceFromModel', () => relevanceFromModel(json as Model, [], { dose: 1, regimen: { interval: 12 } })],
      ['compileForModel', () => compileForModel(json as Model, patient)],
      ['resolveMethod', () => resolveMethod(json as Model, 'dopri5')],
    ];
    for (const [name, f] of calls) {
      const e = caught(f);
      expect(e.code, name).toBe('E_OPTION');
      expect(e.message, name).toMatch(new RegExp(`^${name}\\(\\): `));
      expect(e.message, name).toMatch(fileObject);
    }
    // shrinkage said the model "has 0 η"
    expect(caught(() => shrinkage(json as Model, [fit, fit])).message).not.toMatch(/has 0/);
  });

  it('undefined, a model text object, swapped arguments', () => {
    refused(() => estimate(undefined as never, patient), 'E_OPTION', /^estimate\(\): model must be a Model .*; got undefined$/);
    refused(() => simulate(undefined as never, patient), 'E_OPTION', /^simulate\(\): model must be a Model .*; got undefined$/);
    refused(() => simulate({ dosewise: 'text', text: 'x' } as never, patient), 'E_OPTION', /got a model text object: pass defineModel\(\{ dosewise: 'text', text \}\)/);
    refused(() => shrinkage([fit, fit] as never, map as never), 'E_OPTION', /^shrinkage\(\): model must be a Model .*; got an array \(are the arguments in the right order\?\)/);
    refused(() => shrinkage(map, map as never), 'E_OPTION', /^shrinkage\(\): estimates must be an array/);
  });

  it('simulateReplicates({}, {}), relevance({}), occupancyDoses without a regimen, parseMetric without times: raw TypeErrors before', async () => {
    await refusedAsync(() => simulateReplicates({} as never, {} as never, {}, () => {}), 'E_OPTION', /^simulateReplicates\(\): model must be a Model .*; got an object that is not one/);
    await refusedAsync(() => simulateReplicates(map, {} as never, {}, () => {}), 'E_OPTION', /^records: simulateReplicates/);
    await refusedAsync(() => simulateReplicates(map, patient, undefined as never, () => {}), 'E_OPTION', /the options are required/);
    const e = refused(() => relevance({} as never), 'E_OPTION', /^effects: relevance\(\): must be an array of effects/);
    expect(e.place.path).toBe('effects');
    refused(() => relevance([null] as never), 'E_OPTION', /^effects\.0: relevance\(\): an effect is an object/);
    // LO and HI for lo and hi made an effect without an interval ('none') where 0.4–0.6 was meant
    refused(() => relevance([{ label: 'keto', on: 'CL', ratio: 0.5, LO: 0.4, HI: 0.6 } as never]), 'E_OPTION', /^relevance\(\): unknown option "effects\.0\.LO" \(did you mean effects\.0\.lo\?\)/);
    refused(() => formatRelevance({} as never), 'E_OPTION', /^table: formatRelevance\(table\)/);
    refused(() => occupancyDoses(map, { target: 0.9, receptor: [1] } as never), 'E_OPTION', /^regimen: occupancyDoses\(\): give the regimen/);
    refused(() => occupancyDoses(map, { target: 0.9, regimen: { interval: 168 } } as never), 'E_OPTION', /^receptor: occupancyDoses\(\): must be an array/);
    refused(() => parseMetric('auc24', undefined as never), 'E_OPTION', /^times: parseMetric\("auc24", times\): the regimen's times \{ end, tau, lastDose \} are required: regimenTimesOf\(records\)/);
    refused(() => parseMetric(24 as never, regimenTimesOf(future)), 'E_OPTION', /^metric: parseMetric/);
    // with its times it parses as before
    expect(parseMetric('cmax', regimenTimesOf(future)).type).toBe('cmax');
  });
});

describe('minor boundaries', () => {
  it('observe({ times: Float64Array }) was refused ("observation times are an array of numbers"): typed arrays are taken', () => {
    const a = regimen().dose({ time: 0, amt: 100 }).observe({ times: new Float64Array([1, 2]) }).records();
    const b = regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 2] }).records();
    expect(a).toEqual(b);
    refused(() => regimen().observe({ times: new DataView(new ArrayBuffer(8)) as never }), 'E_OPTION', /^observe\.times: observation times are an array \(or a typed array\) of numbers/);
    refused(() => regimen().observe({ times: new BigInt64Array(1) as never }), 'E_OPTION', /^observe\.times: /);
  });

  it('builtinModel(name, { CL: 5, V: undefined }) was refused: an undefined parameter is one not given (V keeps its default 50)', () => {
    const m = builtinModel('1cmt-iv', { CL: 5, V: undefined as never });
    // 100 mg bolus into V 50 with k = CL/V = 0.1: 2·e^−0.1 = 1.809674836071919 at 1 h
    // (row 1 is the dose, row 2 the level at 1 h)
    const [, c] = simulate(m, regimen().dose({ time: 0, amt: 100 }).observe({ times: [1] }).records()).ipred;
    expect(c).toBeCloseTo(1.809674836071919, 14);
    expect(m.file).toEqual(builtinModel('1cmt-iv', { CL: 5 }).file);
    refused(() => builtinModel('1cmt-iv', { CLX: undefined as never }), 'E_MODEL', /not a parameter of 1cmt-iv/);
    refused(() => builtinModel(undefined as never), 'E_MODEL', /the name is a string/);
  });
});
