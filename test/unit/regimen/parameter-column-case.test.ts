// A data column named like a model parameter in another letter case (`cl` for CL, `v` for V) was
// not read: a POSTHOC or mrgsolve-style table with CL 8 in `cl` ran at the model's CL 3 with exit 0
// and no word (2cmt-oral, IPRED at 4 h 1.824435 for 1.031580, +76.9 %), where `wt` for WT is
// refused. Names are case-sensitive (README); the column is now refused naming it and the
// parameter it resembles, in records, CSV and columns alike.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { recordsFromColumns } from '../../../src/regimen/columns.js';

const model = builtinModel('2cmt-oral', { CL: 3, V: 25, Q: 4, V2: 40, KA: 1.2 });
const base = { ID: [1, 1, 1], TIME: [0, 1, 4], EVID: [1, 0, 0], AMT: [100, NaN, NaN], CMT: [1, 2, 2] };

function refusal(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  throw new Error('not refused');
}

describe('a parameter column in another letter case', () => {
  it('cl for CL is refused naming both, from a CSV, records and columns alike', () => {
    const csv = 'ID,TIME,EVID,AMT,CMT,cl\n1,0,1,100,1,8\n1,1,0,.,2,8\n1,4,0,.,2,8\n';
    const fromCsv = refusal(() => simulate(model, readNmtran(csv, { file: 'lccl.csv' }).records, { file: 'lccl.csv' }));
    expect(fromCsv.code).toBe('E_RECORD');
    expect(fromCsv.message).toMatch(/lccl\.csv.*column cl.*parameter CL.*case-sensitive.*rename the column CL/);
    const cols = { ...base, cl: [8, 8, 8] };
    const fromCols = refusal(() => simulate(model, cols));
    expect(fromCols.message).toMatch(/column cl.*parameter CL/);
    expect(refusal(() => simulate(model, recordsFromColumns(cols)))).toEqual(fromCols);
  });

  it('v for V likewise; the exact name is read (CL 8: IPRED at 4 h 1.031580, not the model CL 3 value 1.824435)', () => {
    expect(refusal(() => simulate(model, { ...base, v: [5, 5, 5] })).message).toMatch(/column v.*parameter V\b/);
    const read = simulate(model, { ...base, CL: [8, 8, 8] }, { amounts: false });
    expect(read.ipred[2]).toBeCloseTo(1.03158, 5);
  });

  it('an override of the parameter makes the column moot: not refused', () => {
    expect(() => simulate(model, { ...base, cl: [8, 8, 8] }, { overrides: { CL: 3 } })).not.toThrow();
  });
});
