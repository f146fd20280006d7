// A table of columns with two names that differ only in letter case (TIME and time, AMT and amt,
// WT and wt) ran on one of them and dropped the other without a word: a 500-mg `amt` beside AMT 100
// dosed 100 mg, `time` 0, 2, 8 beside TIME 0, 1, 4 was ignored. The same header in a CSV is refused
// ("duplicate column name"); the table is now refused alike, naming both columns, from simulate()
// and recordsFromColumns().

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { recordsFromColumns } from '../../../src/regimen/columns.js';

const model = builtinModel('2cmt-oral', { CL: 3, V: 25, Q: 4, V2: 40, KA: 1.2 });
const B = { ID: [1, 1, 1], TIME: [0, 1, 4], EVID: [1, 0, 0], AMT: [100, NaN, NaN], CMT: [1, 2, 2] };

function refusal(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  throw new Error('not refused');
}

describe('columns whose names differ only in case', () => {
  it('the CSV reader refuses such a header', () => {
    expect(refusal(() => readNmtran('ID,TIME,time,EVID,AMT,CMT\n1,0,0,1,100,1\n')).message).toMatch(/column time: duplicate column name/);
  });

  it.each([
    ['time after TIME', { ID: B.ID, TIME: B.TIME, time: [0, 2, 8], EVID: B.EVID, AMT: B.AMT, CMT: B.CMT }, 'time', 'TIME'],
    ['TIME after time', { ID: B.ID, time: [0, 2, 8], TIME: B.TIME, EVID: B.EVID, AMT: B.AMT, CMT: B.CMT }, 'TIME', 'time'],
    ['Time and time', { ID: B.ID, Time: B.TIME, time: [0, 2, 8], EVID: B.EVID, AMT: B.AMT, CMT: B.CMT }, 'time', 'Time'],
    ['amt beside AMT', { ...B, amt: [500, NaN, NaN] }, 'amt', 'AMT'],
    ['wt beside WT', { ...B, WT: [70, 70, 70], wt: [140, 140, 140] }, 'wt', 'WT'],
    ['cl beside CL', { ...B, CL: [8, 8, 8], cl: [1, 1, 1] }, 'cl', 'CL'],
  ])('%s: refused naming both, by simulate() and recordsFromColumns() alike', (_, cols, second, first) => {
    const got = refusal(() => simulate(model, cols));
    expect(got.code).toBe('E_OPTION');
    expect(got.message).toContain(`columns.${second}: duplicate column name: ${first} and ${second}`);
    expect(refusal(() => recordsFromColumns(cols))).toEqual(got);
    expect(refusal(() => simulate(model, Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)]))))).toEqual(got);
  });
});
