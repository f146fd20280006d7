// Records built in code reach simulate() and estimate() without readNmtran's checks: they are
// refused there as the reader refuses them (each ID's records contiguous and in time order). An ID
// coming back after another had its predictions written to other IDs' rows, a time going back
// left a record unprocessed (0 for 6.70), and an estimate over records out of order was another
// (η 0.048 for 0.179).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { recordFromItems } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { refused } from './refused.js';

const model = defineModel({
  dosewise: 2,
  name: 'one compartment',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '2*exp(ETA_CL)', V: 10 },
  omega: { etas: ['ETA_CL'], diagonal: [0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const recs = (rows: Record<string, number>[]) => rows.map((r, i) => recordFromItems(r, i + 1));

describe('records out of order given to the API', () => {
  it('simulate(): an ID that comes back, and a time that goes back, are refused naming the row', () => {
    const back = recs([
      { ID: 1, TIME: 0, EVID: 1, AMT: 100 },
      { ID: 2, TIME: 0, EVID: 1, AMT: 50 },
      { ID: 1, TIME: 2, EVID: 0 },
    ]);
    refused(() => simulate(model, back), 'E_RECORD', /row 3, column ID: the records of an ID must be contiguous/);
    const unsorted = recs([
      { ID: 1, TIME: 0, EVID: 1, AMT: 100 },
      { ID: 1, TIME: 2, EVID: 0 },
      { ID: 1, TIME: 1, EVID: 0 },
    ]);
    refused(() => simulate(model, unsorted), 'E_RECORD_ORDER', /row 3, column TIME: times must not decrease within an ID \(got 1 after 2\)/);
    // in order, the same records simulate: 10·e^(−0.2 t)
    const ok = simulate(model, [unsorted[0], unsorted[2], unsorted[1]] as typeof unsorted).ipred;
    expect(Math.abs((ok[2] as number) / (10 * Math.exp(-0.4)) - 1)).toBeLessThan(1e-14);
  });

  it('estimate(): a time that goes back is refused', () => {
    const unsorted = recs([
      { ID: 1, TIME: 0, EVID: 1, AMT: 100 },
      { ID: 1, TIME: 2, EVID: 0, DV: 6 },
      { ID: 1, TIME: 1, EVID: 0, DV: 8 },
    ]);
    refused(() => estimate(model, unsorted), 'E_RECORD_ORDER', /times must not decrease within an ID/);
  });
});

describe('a record without a time', () => {
  // a file's "." or empty TIME cell arrives as NaN: it was refused as "TIME is required and must be finite (got NaN)"
  it('is refused naming the row and saying what a missing time is', () => {
    refused(() => recordFromItems({ ID: 1, TIME: NaN, EVID: 0, DV: 14.2 }, 2, 'hT.csv'), 'E_RECORD', /^hT\.csv, row 2, column TIME: TIME is required: a record without a time \("\.", an empty cell or no TIME item\)/);
    refused(() => recordFromItems({ ID: 1, TIME: Infinity, EVID: 0 }, 3), 'E_RECORD', /row 3, column TIME: TIME must be finite \(got Infinity\)/);
  });
});
