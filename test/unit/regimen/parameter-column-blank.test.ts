// A data column named like a parameter (CL, V, KA: a POSTHOC table, mrgsolve-style data) blank on
// one record of a patient who has it on others took the model's own value over that record's
// interval without a word: 1cmt-iv CL 5, V 50, the patient's CL 0.5 blank at 12 h gave 5.1685 for
// 8.8692 (−41.7 %), while the same blank in a covariate column is refused. It is refused now, naming
// the row, the column and the patient's value, from records, a CSV and columns alike. A blank nothing
// reads (a first dose under NOCB) passes, and a patient with no value at all runs at the model's own
// value, as a covariate's default (closed forms: 10·e^(−CL/V·t)).

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { type DataColumns, recordsFromColumns } from '../../../src/regimen/columns.js';

const m = builtinModel('1cmt-iv', { CL: 5, V: 50 });
const hex = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

function outcome(f: () => ReturnType<typeof simulate>): { ipred: string; warnings: readonly string[] } | { code?: string; message: string } {
  try {
    const r = f();
    return { ipred: hex(r.ipred), warnings: r.warnings };
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
}
/** simulate() of the columns, which must be that of their records (plain and typed). */
function both(cols: DataColumns, options: { timeVarying?: 'nocb' | 'locf' } = {}): ReturnType<typeof outcome> {
  const got = outcome(() => simulate(m, cols, { amounts: false, ...options }));
  expect(outcome(() => simulate(m, recordsFromColumns(cols), { amounts: false, ...options }))).toEqual(got);
  const typed = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v as ArrayLike<number>)]));
  expect(outcome(() => simulate(m, typed, { amounts: false, ...options }))).toEqual(got);
  return got;
}
const base = { ID: [1, 1, 1], TIME: [0, 6, 12], EVID: [1, 0, 0], AMT: [500, NaN, NaN] };

describe('a blank cell in a parameter column', () => {
  it('on a record that is read: refused naming the row, column and the patient value (columns, records, CSV)', () => {
    const got = both({ ...base, CL: [0.5, 0.5, NaN] });
    expect(got).toMatchObject({ code: 'E_RECORD' });
    expect((got as { message: string }).message).toMatch(/^row 3, column CL: ID 1 has CL 0\.5 on row 1 but none on row 3, where model 1cmt-iv would use its own CL/);
    const csv = 'ID,TIME,EVID,AMT,DV,CL\n1,0,1,500,.,0.5\n1,6,0,.,.,0.5\n1,12,0,.,.,.\n';
    const fromCsv = outcome(() => simulate(m, readNmtran(csv, { file: 'blank-cl.csv' }).records, { file: 'blank-cl.csv' }));
    expect((fromCsv as { message: string }).message).toMatch(/^blank-cl\.csv, row 3, column CL: ID 1 has CL 0\.5/);
    // the middle of a patient's records, and V or KA alike
    expect(both({ ...base, CL: [0.5, NaN, 0.5] })).toMatchObject({ code: 'E_RECORD' });
    expect(both({ ...base, V: [40, 40, NaN] })).toMatchObject({ code: 'E_RECORD' });
    // under LOCF the last record's values hold after it: its blank is read
    expect(both({ ...base, CL: [0.5, 0.5, NaN] }, { timeVarying: 'locf' })).toMatchObject({ code: 'E_RECORD' });
  });

  it('among 40 subjects of one design (laid out by design, as W-gp): the one blank is refused, records and columns', () => {
    const n = 40;
    const cols = { ID: [] as number[], TIME: [] as number[], EVID: [] as number[], AMT: [] as number[], CL: [] as number[] };
    for (let s = 1; s <= n; s++)
      for (const [t, e] of [[0, 1], [6, 0], [12, 0], [24, 1], [30, 0]] as const) {
        cols.ID.push(s);
        cols.TIME.push(t);
        cols.EVID.push(e);
        cols.AMT.push(e === 1 ? 500 : NaN);
        cols.CL.push(0.5 + s / 100);
      }
    expect('ipred' in both(cols)).toBe(true);
    cols.CL[20 * 5 + 3] = NaN;
    const got = both(cols);
    expect((got as { message: string }).message).toMatch(/^row 104, column CL: ID 21 has CL 0\.71 on row 101 but none on row 104/);
  });

  it('on a first dose under NOCB (its values hold over no interval): passes, at the patient CL 0.5', () => {
    const got = simulate(m, { ...base, CL: [NaN, 0.5, 0.5] }, { amounts: false });
    expect(got.ipred[1]).toBeCloseTo(10 * Math.exp(-0.06), 12);
    expect(got.ipred[2]).toBeCloseTo(10 * Math.exp(-0.12), 12);
    expect('ipred' in both({ ...base, CL: [NaN, 0.5, 0.5] })).toBe(true);
  });

  it('a patient without any value runs at the model CL 5, beside one with CL 0.5 (the fast path and the records agree)', () => {
    const cols = { ID: [1, 1, 1, 2, 2, 2], TIME: [0, 6, 12, 0, 6, 12], EVID: [1, 0, 0, 1, 0, 0], AMT: [500, NaN, NaN, 500, NaN, NaN], CL: [0.5, 0.5, 0.5, NaN, NaN, NaN] };
    const got = simulate(m, cols, { amounts: false });
    expect(got.ipred[2]).toBeCloseTo(10 * Math.exp(-0.12), 12);
    expect(got.ipred[5]).toBeCloseTo(10 * Math.exp(-1.2), 12);
    expect('ipred' in both(cols)).toBe(true);
  });
});
