// A table of columns of the wrong shape was refused as "records: must be an array of records (as
// readNmtran(text).records or regimen().records() give) (got an object that is not an array)": a
// column that is not an array (WT: 70, TIME: '01'), a BigInt64Array column, a table with no rows.
// That blamed `records` and named no column. Each now names the column and what is wrong, from
// simulate() and recordsFromColumns() alike; readNmtran's data set and { records } are still
// refused as records are.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { recordsFromColumns } from '../../../src/regimen/columns.js';

const m = builtinModel('1cmt-iv', { CL: 5, V: 50 });

function refusal(f: () => unknown): { code?: string; message: string; place?: unknown } {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message, place: (e as { place?: unknown }).place };
  }
  throw new Error('not refused');
}

describe('a table of columns of the wrong shape', () => {
  it('a column that is not an array: named, with what it is', () => {
    const wt = refusal(() => simulate(m, { ID: [1, 1], TIME: [0, 1], EVID: [1, 0], AMT: [500, NaN], WT: 70 } as never));
    expect(wt.code).toBe('E_OPTION');
    expect(wt.message).toMatch(/^columns\.WT: a column must be an array \(or a typed array\) of numbers, one per row.*\(got 70\)$/);
    expect(refusal(() => recordsFromColumns({ ID: [1, 1], TIME: [0, 1], EVID: [1, 0], AMT: [500, NaN], WT: 70 } as never))).toEqual(wt);
    expect(refusal(() => simulate(m, { ID: [1, 1], TIME: '01', EVID: [1, 0], AMT: [500, NaN] } as never)).message).toMatch(/^columns\.TIME: a column must be an array .*\(got "01"\)$/);
  });

  it('a BigInt64Array column: named, with the conversion', () => {
    const e = refusal(() => simulate(m, { ID: new BigInt64Array([1n, 1n]), TIME: [0, 1], EVID: [1, 0], AMT: [500, NaN] } as never));
    expect(e.message).toMatch(/^columns\.ID: a BigInt64Array holds BigInts, not numbers: .*Float64Array\.from/);
    expect(() => JSON.stringify(e.place)).not.toThrow();
  });

  it('no rows: said so; recordsFromColumns gives no records', () => {
    const e = refusal(() => simulate(m, { ID: [], TIME: [], EVID: [], AMT: [] }));
    expect(e.message).toMatch(/^columns: the table has no rows \(every column is empty\): nothing to simulate/);
    expect(refusal(() => simulate(m, { ID: new Float64Array(0), TIME: new Float64Array(0), EVID: new Float64Array(0), AMT: new Float64Array(0) })).message).toBe(e.message);
    expect(recordsFromColumns({ ID: [], TIME: [] })).toEqual([]);
  });

  it('what is not a table is refused as records are', () => {
    expect(refusal(() => simulate(m, { records: [] } as never)).message).toMatch(/^records: must be an array of records/);
    expect(refusal(() => simulate(m, {} as never)).message).toMatch(/^records: must be an array of records/);
  });
});
