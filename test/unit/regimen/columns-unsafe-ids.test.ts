// IDs beyond 2^53 − 1 in a table of columns (int64 warehouse IDs 9007199254740992 and
// 9007199254740993, both the double 9007199254740992) merged two patients without a word: one ID,
// patient 2's level at 3 h 4.5895 for 2.3800 (+92.8 %, patient 1's dose carried over). The CSV
// reader refuses such IDs; a table of columns and records built in code are now refused alike,
// naming the row, the column and the value.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { recordsFromColumns } from '../../../src/regimen/columns.js';

const model = builtinModel('2cmt-oral', { CL: 3, V: 25, Q: 4, V2: 40, KA: 1.2 });

function refusal(f: () => unknown): { code?: string; message: string; place?: unknown } {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message, place: (e as { place?: unknown }).place };
  }
  throw new Error('not refused');
}

describe('IDs a double does not hold exactly', () => {
  const ids = [9007199254740992n, 9007199254740992n, 9007199254740993n, 9007199254740993n].map(Number);
  const cols = { ID: ids, TIME: [0, 1, 2, 3], EVID: [1, 0, 1, 0], AMT: [100, NaN, 100, NaN], CMT: [1, 2, 1, 2] };

  it('the CSV reader refuses them', () => {
    const csv = 'ID,TIME,EVID,AMT,CMT\n9007199254740992,0,1,100,1\n9007199254740992,1,0,.,2\n9007199254740993,0,1,100,1\n9007199254740993,1,0,.,2\n';
    expect(refusal(() => readNmtran(csv)).message).toMatch(/IDs above 9007199254740991 \(2\^53 − 1\) cannot be told apart/);
  });

  it('a table of columns (plain and typed) is refused at row 1, column ID, as recordsFromColumns and the records are', () => {
    const got = refusal(() => simulate(model, cols));
    expect(got.code).toBe('E_RECORD');
    expect(got.message).toMatch(/^row 1, column ID: IDs above 9007199254740991 \(2\^53 − 1\) cannot be told apart/);
    expect(refusal(() => simulate(model, { ...cols, ID: Float64Array.from(ids) }))).toEqual(got);
    expect(refusal(() => recordsFromColumns(cols))).toEqual(got);
    const records = [0, 1, 2, 3].map((i) => ({ ID: ids[i] as number, TIME: i, EVID: i % 2 ? 0 : 1, AMT: i % 2 ? 0 : 100, CMT: i % 2 ? 2 : 1, RATE: 0, ADDL: 0, II: 0, SS: 0, DV: NaN, MDV: i % 2 ? 0 : 1, items: {}, row: i + 1 }));
    expect(refusal(() => simulate(model, records)).message).toBe(got.message);
  });

  it('negative ones too; safe and fractional IDs pass (patients apart: 2.3800 at 3 h)', () => {
    expect(refusal(() => simulate(model, { ...cols, ID: ids.map((x) => -x) })).message).toMatch(/column ID/);
    const r = simulate(model, { ...cols, ID: [9007199254740991, 9007199254740991, 1.5, 1.5] }, { amounts: false });
    expect(r.ids).toEqual([9007199254740991, 1.5]);
    expect(r.ipred[3]).toBeCloseTo(r.ipred[1] as number, 12);
  });
});
