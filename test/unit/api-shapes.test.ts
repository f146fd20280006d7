// Public functions called without their arguments or with another shape. Before, each failed as a
// raw TypeError from deep inside ("Cannot read properties of undefined (reading 'n')", "text.replace
// is not a function", "ps.forEach is not a function"), or ran on without a word (byId put a CSV text
// in one group under the ID undefined; quantiles with n beyond the values gave a NaN median; a
// misspelt optimizeBanding or compareStrategies key was ignored and the default used). Now each is a DosewiseError E_OPTION (E_RECORD for one record)
// whose message names the function and the argument, and says what to pass.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refused, refusedAsync } from './refused.js';
import { builtinModel, defineModel, type Model } from '../../src/model/model.js';
import { compareStrategies, type CompareStrategiesOptions } from '../../src/design/strategies/strategies.js';
import { optimizeBanding } from '../../src/design/banding/banding.js';
import { compileSubject } from '../../src/regimen/compile.js';
import { byId, readNmtran, writeNmtran } from '../../src/regimen/nmtran.js';
import { regimen } from '../../src/regimen/builder.js';
import { runStudy, seedKey } from '../../src/population/study.js';
import { parseMetric, regimenTimesOf } from '../../src/population/metrics.js';
import { populationPlan } from '../../src/design/pta/pta-plan.js';
import { quantiles } from '../../src/stats/quantile.js';
import { formatNomogram, nomogram } from '../../src/design/nomogram/nomogram.js';

const json = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as unknown;
const map = defineModel(json);
const csv = readFileSync('examples/map-patient.csv', 'utf8');
const data = readNmtran(csv);
const iv = builtinModel('1cmt-iv', { CL: 5, V: 50 });
const ivRecords = regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 2] }).records();
const call = <A extends unknown[]>(f: (...a: A) => unknown) => f as unknown as (...a: unknown[]) => unknown;

describe('compareStrategies', () => {
  const base = {
    model: json, n: 10, seed: 1, workers: 0, interval: 12, infusion: 1, doses: [500, 1000],
    window: { lo: 400, hi: 600 }, bandBy: 'WT', bands: 2, tdm: [],
  } satisfies CompareStrategiesOptions;
  const f = call(compareStrategies) as (...a: unknown[]) => Promise<unknown>;

  it('no options ("reading \'n\'"), a Model for the model file ("model dosewise: Invalid input"), no window ("Cannot destructure property \'lo\'"), a misspelt cutstep (ignored)', async () => {
    await refusedAsync(() => f(), 'E_OPTION', /^compareStrategies\(\): the options are required \(model, n, seed, interval, doses, window, bandBy, bands\)$/);
    await refusedAsync(() => f('vancomycin'), 'E_OPTION', /^compareStrategies\(\): the options must be an object .*\(got "vancomycin"\)/);
    // the workers take the model file: a Model failed as defineModel's "model dosewise: Invalid input"
    await refusedAsync(() => f({ ...base, model: map }), 'E_OPTION', /^model: compareStrategies\(\): model must be the model file object \(the JSON defineModel\(\) takes\), not a Model.* \(got a Model\)$/);
    await refusedAsync(() => f({ ...base, model: undefined }), 'E_OPTION', /^model: compareStrategies\(\): model must be the model file object .*\(got undefined\)$/);
    await refusedAsync(() => f({ ...base, window: undefined }), 'E_OPTION', /^compareStrategies\(\): window is required/);
    await refusedAsync(() => f({ ...base, window: { LO: 400, hi: 600 } }), 'E_OPTION', /^compareStrategies\(\): unknown option "window\.LO" \(did you mean window\.lo\?\)/);
    await refusedAsync(() => f({ ...base, bandBy: undefined }), 'E_OPTION', /^bandBy: compareStrategies\(\): bandBy must name the banding variable.*\(got undefined\)$/);
    await refusedAsync(() => f({ ...base, tdm: { times: [36] } }), 'E_OPTION', /^tdm: compareStrategies\(\): tdm must be an array of TDM designs.*\(got an object\)$/);
    await refusedAsync(() => f({ ...base, tdm: [{ time: [36] }] }), 'E_OPTION', /^compareStrategies\(\): unknown option "tdm\.0\.time" \(did you mean tdm\.0\.times\?\)/);
    await refusedAsync(() => f({ ...base, cutstep: 5 }), 'E_OPTION', /^compareStrategies\(\): unknown option "cutstep" \(did you mean cutStep\?\); the options are model, /);
    await refusedAsync(() => f({ ...base, onProgress: 5 }), 'E_OPTION', /^onProgress: expected a function/);
  });
});

describe('optimizeBanding', () => {
  const base = { by: [50, 70, 90], exposure: [0.6, 0.5, 0.4], window: { lo: 400, hi: 600 }, bands: 1, doses: [1000] };
  const f = call(optimizeBanding);

  it('no options ("reading \'exposure\'"), the banding variable as a column name ("no subject has a finite banding value"), a misspelt cutstep (ignored: cuts anywhere)', () => {
    refused(() => f(), 'E_OPTION', /^optimizeBanding\(\): the options are required \(by, exposure, window, bands, doses\)$/);
    refused(() => f([base]), 'E_OPTION', /^optimizeBanding\(\): the options must be an object .*\(got an array\)$/);
    const e = refused(() => f({ ...base, by: 'WT' }), 'E_OPTION', /^by: optimizeBanding\(\): by must be an array \(or a typed array\) of numbers, one per subject \(got the string "WT"\)$/);
    expect(e.place.path).toBe('by');
    refused(() => f({ ...base, exposure: undefined }), 'E_OPTION', /^exposure: optimizeBanding\(\): .*\(got undefined\)$/);
    refused(() => f({ ...base, window: undefined }), 'E_OPTION', /^optimizeBanding\(\): window is required/);
    refused(() => f({ ...base, window: '400-600' }), 'E_OPTION', /^optimizeBanding\(\): window must be an object with the keys lo, hi \(got "400-600"\)$/);
    refused(() => f({ ...base, window: { lo: '400', hi: 600 } }), 'E_OPTION', /^window: optimizeBanding\(\): window must be \{ lo, hi \}, both numbers .*\(got lo the string "400", hi number 600\)$/);
    refused(() => f({ ...base, cutstep: 5 }), 'E_OPTION', /^optimizeBanding\(\): unknown option "cutstep" \(did you mean cutStep\?\)/);
    // valid input as before: 1000 mg puts AUC 600, 500, 400 on the three subjects, all in [400, 600]
    expect(optimizeBanding({ ...base, by: Float64Array.from(base.by) }).overall.in).toBe(3);
  });
});

describe('compileSubject', () => {
  const evals = ivRecords.map((r) => iv.evaluate(r.items));
  const f = call(compileSubject);

  it('no arguments ("reading \'0\'"), a Model for the evaluations ("reading \'lag\'"), options left out ("reading \'parIndex\'"), a misspelt key', () => {
    refused(() => f(), 'E_OPTION', /^records: compileSubject\(records, evals, options\): records must be an array .*\(got undefined\)$/);
    refused(() => f(csv, evals, { nStates: 1 }), 'E_OPTION', /^records: compileSubject.*\(got a string of \d+ characters\)$/);
    refused(() => f(ivRecords, iv, { nStates: 1 }), 'E_OPTION', /^evals: compileSubject\(records, evals, options\): evals must be an array of one model evaluation per record.*\(got a Model\)$/);
    refused(() => f(ivRecords, evals.slice(1), { nStates: 1 }), 'E_OPTION', /^evals: compileSubject.*one evaluation per record \(3 records\) \(got 2 evaluations\)$/);
    refused(() => f(ivRecords, [1, 2, 3], { nStates: 1 }), 'E_OPTION', /^evals\.0: compileSubject.*\(got number 1\)$/);
    refused(() => f(ivRecords, evals), 'E_OPTION', /^compileSubject\(records, evals, options\): the options are required/);
    refused(() => f(ivRecords, evals, {}), 'E_OPTION', /^nStates: compileSubject.*number of compartments, an integer \(model\.nStates\) \(got undefined\)$/);
    refused(() => f(ivRecords, evals, { nStates: 1, timevarying: 'locf' }), 'E_OPTION', /^compileSubject\(\): unknown option "timevarying" \(did you mean timeVarying\?\)/);
    refused(() => f(ivRecords, evals, { nStates: 1, timeVarying: 'LOCF' }), 'E_OPTION', /^timeVarying: must be one of nocb, locf/);
    // a record built in code as readNmtran would refuse it (TIME as text from a form)
    refused(() => f([{ ...ivRecords[0], TIME: '0' }, ivRecords[1], ivRecords[2]], evals, { nStates: 1 }), 'E_RECORD', /TIME must be a number, not string/);
    // valid input as before: the dose, then two outputs
    expect(compileSubject(ivRecords, evals, { nStates: 1 }).nOut).toBe(3);
  });
});

describe('readNmtran, writeNmtran, byId', () => {
  it('readNmtran: no text ("reading \'indexOf\'"), the file\'s bytes ("text.replace is not a function"), a misspelt option', () => {
    const r = call(readNmtran);
    refused(() => r(), 'E_OPTION', /^text: readNmtran\(text, options\): text must be the CSV text of the data set \(got undefined\)$/);
    refused(() => r(readFileSync('examples/map-patient.csv')), 'E_OPTION', /^text: readNmtran.*not its bytes: read it as text \(readFileSync\(path, 'utf8'\).*\(got a Buffer\)$/);
    refused(() => r(csv, { File: 'p.csv' }), 'E_OPTION', /^readNmtran\(\): unknown option "File" \(did you mean file\?\)/);
  });

  it('writeNmtran: no data, no extra (both "Cannot convert undefined or null to object"), records for the data set, a text column ("v.toPrecision is not a function")', () => {
    const w = call(writeNmtran);
    const ipred = new Float64Array(data.records.length).fill(1.5);
    refused(() => w(), 'E_OPTION', /^data: writeNmtran\(data, extra\): data must be the data set readNmtran\(text\) returns .*\(got undefined\)$/);
    refused(() => w(data.records, { IPRED: ipred }), 'E_OPTION', /^data: writeNmtran.*\(got an array of \d+\)$/);
    refused(() => w(data), 'E_OPTION', /^extra: writeNmtran\(data, extra\): extra must be an object of output columns by name.*\{\} for none\) \(got undefined\)$/);
    refused(() => w(data, [ipred]), 'E_OPTION', /^extra: writeNmtran.*\(got an array of 1\)$/);
    refused(() => w(data, { IPRED: 'x' }), 'E_OPTION', /^extra\.IPRED: writeNmtran.*an output column must be an array .*\(got the string "x"\)$/);
    const text = Array.from(ipred, String);
    refused(() => w(data, { IPRED: text }), 'E_OPTION', /^extra\.IPRED: writeNmtran\(data, extra\): row 1 must be a number \(NaN is written as "\."\) \(got the string "1\.5"\)$/);
    // valid input as before: the header gains IPRED and every row ends with 1.5
    const out = writeNmtran(data, { IPRED: ipred }).trimEnd().split('\n');
    expect(out[0]).toBe(`${data.columns.join(',')},IPRED`);
    expect(out.slice(1).every((l) => l.endsWith(',1.5'))).toBe(true);
  });

  it('byId: no records ("reading \'length\'"), a CSV text (one group under the ID undefined), a null record, an ID as text', () => {
    const b = call(byId);
    refused(() => b(), 'E_OPTION', /^records: byId\(records\): must be an array of records .*\(got undefined\)$/);
    refused(() => b(csv), 'E_OPTION', /^records: byId\(records\).*\(got a string of \d+ characters\)$/);
    refused(() => b(data), 'E_OPTION', /^records: byId\(records\).*\(got an object\)$/);
    refused(() => b([ivRecords[0], null]), 'E_RECORD', /^row 2, column \*: byId\(records\): a record must be an object/);
    refused(() => b([{ ...ivRecords[0], ID: '1' }]), 'E_RECORD', /^row 1, column ID: byId\(records\): ID must be a finite number, not string/);
    // valid input as before: two IDs in runs, data order kept
    const two = [...ivRecords, ...ivRecords.map((r) => ({ ...r, ID: 2 }))];
    const m = byId(two);
    expect([...m.keys()]).toEqual([1, 2]);
    expect(m.get(2)?.map((r) => r.TIME)).toEqual([0, 1, 2]);
    expect(byId([]).size).toBe(0);
  });
});

describe('runStudy', () => {
  const times = regimenTimesOf(ivRecords);
  const plan = () => populationPlan({ model: iv.file, records: ivRecords, key: seedKey(1), metrics: [parseMetric('cmax', times)], table: false });
  const f = call(runStudy) as (...a: unknown[]) => Promise<unknown>;

  it('no arguments ("reading \'n\'"), a Model for the plan ("reading \'forEach\'"), no options, a misspelt key', async () => {
    await refusedAsync(() => f(), 'E_OPTION', /^plan: runStudy\(plan, options\): plan must be a population plan, as populationPlan\(.*\) returns \(got undefined\)$/);
    await refusedAsync(() => f(iv, { n: 2 }), 'E_OPTION', /^plan: runStudy.*\(got a Model\)$/);
    await refusedAsync(() => f({ n: 2 }, plan()), 'E_OPTION', /^plan: runStudy.*\(got an object without model, regimen, metrics, key, table\)$/);
    await refusedAsync(() => f(plan()), 'E_OPTION', /^runStudy\(\): the options are required \(n\)$/);
    await refusedAsync(() => f(plan(), 10), 'E_OPTION', /^runStudy\(\): the options must be an object .*\(got 10\)$/);
    await refusedAsync(() => f(plan(), { n: 2, workers: 0, chunksize: 1 }), 'E_OPTION', /^runStudy\(\): unknown option "chunksize" \(did you mean chunkSize\?\)/);
    // valid input as before: a 100-mg bolus into V 50 peaks at 100/50 = 2 at the dose, for every
    // subject (the built-in model has no random effects)
    const got: number[] = [];
    const r = await runStudy(plan(), { n: 2, workers: 0, onChunk: (ch) => void got.push(...ch.metrics) });
    expect(r.count).toBe(2);
    expect(got).toHaveLength(2);
    for (const c of got) expect(Math.abs(c - 2)).toBeLessThan(1e-14);
  });
});

describe('quantiles', () => {
  const f = call(quantiles);

  it('no arguments ("reading \'forEach\'"), the probabilities as one number ("ps.forEach is not a function"), n beyond the values (NaN), out too short (the 0.9 quantile dropped)', () => {
    const a = () => Float64Array.from([4, 1, 3, 2]);
    refused(() => f(), 'E_OPTION', /^a: quantiles\(a, n, ps, out\): a must be a Float64Array of the values.*\(got undefined\)$/);
    refused(() => f(a(), 4, 0.5, new Float64Array(1)), 'E_OPTION', /^ps: quantiles\(a, n, ps, out\): ps must be an array of probabilities.*\(got number 0\.5\)$/);
    refused(() => f(a(), 4, ['0.5'], new Float64Array(1)), 'E_OPTION', /^ps\.0: quantiles.*\(got the string "0\.5"\)$/);
    // n 5 of 4 values read undefined as a fifth value: the median came out NaN
    refused(() => f(a(), 5, [0.5], new Float64Array(1)), 'E_OPTION', /^n: quantiles.*an integer from 0 to a\.length 4 \(got 5\)$/);
    refused(() => f(a(), [0.5], new Float64Array(1)), 'E_OPTION', /^n: quantiles.*\(got an array of 1\)$/);
    // a quantile beyond out's length was dropped without a word
    refused(() => f(a(), 4, [0.1, 0.5, 0.9], new Float64Array(2)), 'E_OPTION', /^out: quantiles.*hold ps\.length \(3\) values.*\(got a Float64Array of 2\)$/);
    // valid input as before: numpy.quantile([4, 1, 3, 2], [0.1, 0.5, 0.9]) = [1.3, 2.5, 3.7] (type 7)
    const out = new Float64Array(3);
    quantiles(a(), 4, [0.1, 0.5, 0.9], out);
    [1.3, 2.5, 3.7].forEach((q, i) => expect(Math.abs((out[i] as number) - q)).toBeLessThan(1e-14));
  });
});

describe('formatNomogram', () => {
  const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
  const options = { target: { metric: 'auc24' as const, value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'CRCL', values: [60, 120] }], fixed: { WT: 70 } };

  it('no nomogram ("reading \'intervals\'"), its options, a Model, one without cells; its JSON passes', () => {
    const f = call(formatNomogram);
    refused(() => f(), 'E_OPTION', /^nomogram: formatNomogram\(nomogram\): nomogram must be what nomogram\(model, options\) returns.*\(got undefined\)$/);
    refused(() => f(options), 'E_OPTION', /^nomogram: formatNomogram.*\(got an object\)$/);
    refused(() => f(goti as Model), 'E_OPTION', /^nomogram: formatNomogram.*\(got a Model\)$/);
    const n = nomogram(goti, options);
    const e = refused(() => f({ ...n, cells: undefined }), 'E_OPTION', /^nomogram\.cells: formatNomogram\(nomogram\): .*this one lacks cells \(got undefined\)$/);
    expect(e.place.path).toBe('nomogram.cells');
    // the JSON of a nomogram (dosewise nomogram --json) formats as the nomogram does
    expect(formatNomogram(JSON.parse(JSON.stringify(n)) as typeof n)).toBe(formatNomogram(n));
  });
});

describe('regimenTimesOf', () => {
  it('no records ("reading \'map\'"), a data set\'s text, an end that is no number', () => {
    const f = regimenTimesOf as (...a: unknown[]) => unknown;
    expect(() => f()).toThrow(/^records: regimenTimesOf\(records, end\?\): records must be an array of records/);
    expect(() => f('ID,TIME\n1,0\n')).toThrow(/records must be an array of records .*\(got the string/);
    expect(() => f(ivRecords, 'x')).toThrow(/^end: regimenTimesOf\(records, end\?\): end must be a time/);
    // valid input as before: the profile's end is the last record's time
    expect(regimenTimesOf(ivRecords).end).toBe(Math.max(...ivRecords.map((r) => r.TIME)));
  });
});
