// A data item set beside a record's fields ({ ...r, CRCL: 20 }) instead of in its items was read by
// nothing: estimate(), simulate() and estimateCohort() ran the items' CRCL (CL 2.526 L/h for the
// 1.148 of CRCL 20) and a WT of 82000 set that way, without a word. Each refuses it, naming the
// record and the item.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import type { DataRecord } from '../../../src/regimen/record.js';

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
