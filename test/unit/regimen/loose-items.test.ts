// A data item set beside a record's fields ({ ...r, CRCL: 20 }) instead of in its items was read by
// nothing: estimate(), simulate() and estimateCohort() ran the items' CRCL (CL 2.526 L/h for the
// 1.148 of CRCL 20) and a WT of 82000 set that way, without a word. Each refuses it, naming the
// record and the item. 8797f5b looked at each ID's first record alone in simulate(), and vpc() and
// simulateReplicates() at none: a loose CRCL on records 2–3 (a covariate change, where a time-varying
// covariate goes) ran at the first record's value, and vpc() ran CRCL 80 for 20 (median at 23.5 h
// 9.748 for 15.587), `warnings: []`. Every record of every call is judged now, by counting its keys.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { posteriorSample } from '../../../src/bayes/posterior.js';
import { pta } from '../../../src/design/pta/pta.js';
import { anyExtraKeys } from '../../../src/regimen/loose-items.js';

const file = { dosewise: 2, name: 'crcl', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4.5*(CRCL/120)^0.8*exp(ETA_CL)', V: '50*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] }, residual: { model: 'proportional', proportional: 0.15 } };
const model = defineModel(file);
const records = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL\n1,0,1,1000,1000,.,1,55\n1,2,0,.,.,15,0,55\n1,10,0,.,.,8,0,55\n').records;
const edited = records.map((r) => ({ ...r, CRCL: 20 }) as DataRecord);
const why = /row 1, column CRCL: CRCL is set on the record beside its fields, where nothing reads it: a data item goes in the record's items \(records: \{ \.\.\.r, items: \{ \.\.\.r\.items, CRCL: value \} \}\) \(got 20\)/;

describe('an item set beside a record’s fields', () => {
  it('estimate(), simulate() and forecast() refuse it, naming the record and the item', () => {
    expect(() => estimate(model, edited)).toThrow(why);
    expect(() => simulate(model, edited)).toThrow(why);
    const fit = estimate(model, records);
    const future = regimen().dose({ time: 24, amt: 1000, rate: 1000, items: { CRCL: 55 } }).observe({ times: [30] }).records().map((r) => ({ ...r, CRCL: 20 }) as DataRecord);
    expect(() => forecast(model, records, fit, future, { draws: 10 })).toThrow(/CRCL is set on the record beside its fields/);
    // in the items, as the message says, it is read: CL 4.5·(20/120)^0.8 at η = 0
    const inItems = records.map((r) => ({ ...r, items: { ...r.items, CRCL: 20 } }));
    expect(estimate(model, inItems).parameters.CL).not.toBeCloseTo(estimate(model, records).parameters.CL, 3);
  });

  it('estimateCohort() refuses it, naming the patient', async () => {
    await expect(estimateCohort(file, [records, edited], { workers: 0 })).rejects.toThrow(/patient 2|patients\[1\]/);
  });

  it('records from readNmtran and regimen() pass', () => {
    expect(() => simulate(model, records)).not.toThrow();
  });
});

describe('an item set beside the fields of a later record, or in vpc(), simulateReplicates(), posteriorSample(), pta()', () => {
  const later = records.map((r, k) => (k >= 1 ? ({ ...r, CRCL: 20 }) as DataRecord : r));
  const laterWhy = /row 2, column CRCL: CRCL is set on the record beside its fields, where nothing reads it/;

  it('simulate() refuses it on a later record of an ID (it ran the first record\'s value)', () => {
    expect(() => simulate(model, later)).toThrow(laterWhy);
    // in the items, as the message says, it is read: a one-compartment infusion of 1000 mg over 1 h,
    // CL 4.5·(20/120)^0.8 and V 50 from 2 h on, closed form, where the level at 2 h is CRCL 55's
    const cl = (c: number): number => 4.5 * (c / 120) ** 0.8;
    const k55 = cl(55) / 50;
    const k20 = cl(20) / 50;
    const c2 = (1000 / cl(55)) * (1 - Math.exp(-k55)) * Math.exp(-k55 * 1);
    // NOCB: record 2's CRCL 20 holds from 0 to 2 h, record 3's from 2 to 10 h
    const c2nocb = (1000 / cl(20)) * (1 - Math.exp(-k20)) * Math.exp(-k20 * 1);
    const c10 = c2nocb * Math.exp(-k20 * 8);
    const inItems = records.map((r, k) => (k >= 1 ? { ...r, items: { ...r.items, CRCL: 20 } } : r));
    const ipred = simulate(model, inItems, { overrides: { ETA_CL: 0, ETA_V: 0 } }).ipred;
    expect(c2).not.toBeCloseTo(c2nocb, 1);
    expect(ipred[1]).toBeCloseTo(c2nocb, 4);
    expect(ipred[2]).toBeCloseTo(c10, 4);
  });

  it('a record built in code without row is named by its place', () => {
    const bare = records.map((r, k) => {
      const { row: _row, ...rest } = r;
      return (k === 2 ? { ...rest, WT: 80, CRCL: 20 } : rest) as DataRecord;
    });
    expect(() => simulate(model, bare)).toThrow(/row 3, column CRCL: CRCL is set on the record beside its fields/);
  });

  it('vpc() and simulateReplicates() refuse it on any record, before a worker starts', async () => {
    await expect(vpc(model, later, { replicates: 20, seed: 1, workers: 0 })).rejects.toThrow(laterWhy);
    await expect(simulateReplicates(model, later, { replicates: 2, seed: 1, workers: 0 }, () => {})).rejects.toThrow(laterWhy);
  });

  it('posteriorSample() (and so optimizeRegimen() and advice from a fit) refuses it', () => {
    const fit = estimate(model, records);
    expect(() => posteriorSample(model, later, fit, { draws: 10 })).toThrow(laterWhy);
  });

  it('pta() refuses it on a regimen\'s records (the plan keeps the items alone)', async () => {
    const reg = regimen().dose({ time: 0, amt: 1000, rate: 1000, ii: 12, addl: 3, items: { CRCL: 55 } }).records();
    const loose = reg.map((r) => ({ ...r, CRCL: 20 }) as DataRecord);
    await expect(pta({ model: file, regimens: [{ name: 'q', records: loose }], target: 'auc24:400:600', n: 10, seed: 1, workers: 0 })).rejects.toThrow(/row 1, column CRCL: CRCL is set on the record beside its fields, where nothing reads it: a data item goes in the record's items \(regimens\.0\.records: /);
  });

  it('a key the model does not read, and records as readNmtran and regimen() give them, pass', () => {
    expect(anyExtraKeys(records)).toBe(false);
    expect(anyExtraKeys(regimen().dose({ time: 0, amt: 1000 }).observe({ times: [1] }).records())).toBe(false);
    const noted = records.map((r) => ({ ...r, note: 'checked' }) as DataRecord);
    expect(anyExtraKeys(noted)).toBe(true);
    expect(() => simulate(model, noted)).not.toThrow();
  });
});

