// A refused missing cell is shown as the user typed it: a TIME or ID written "." was refused with
// "(got NaN)", the reader's number for it, and a dose row of a data set whose amounts are in a
// column DOSE (no AMT column) with "(got NaN)" too, though there was no AMT cell at all. Records
// built in code with NaN still show NaN: that is what they hold.

import { describe, expect, it } from 'vitest';
import { readNmtran, recordFromItems } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,CMT,DV,MDV';

describe('a missing cell is shown as typed', () => {
  it('TIME "." and TIME empty', () => {
    const dot = caught(() => readNmtran(`${H}\n1,0,1,100,1,.,1\n1,.,0,.,1,.,0\n`, { file: 't.csv' }));
    expect(dot.message).toBe('t.csv, row 2, column TIME: TIME is required: a record without a time (".", an empty cell or no TIME item) has no place in the profile (got ".")');
    expect(dot.place).toMatchObject({ file: 't.csv', row: 2, column: 'TIME', value: '.' });
    const empty = caught(() => readNmtran(`${H}\n1,0,1,100,1,.,1\n1,,0,.,1,.,0\n`, { file: 't.csv' }));
    expect(empty.message).toMatch(/^t\.csv, row 2, column TIME: TIME is required: .* \(got ""\)$/);
  });

  it('ID "."', () => {
    const e = caught(() => readNmtran(`${H}\n1,0,1,100,1,.,1\n.,1,0,.,1,.,0\n`, { file: 'i.csv' }));
    expect(e.message).toBe('i.csv, row 2, column ID: ID is required (got ".")');
  });

  it('AMT "." and AMT empty on a dose', () => {
    expect(caught(() => readNmtran(`${H}\n1,0,1,.,1,.,1\n`)).message).toMatch(/^row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0; .* \(got "\."\)$/);
    expect(caught(() => readNmtran(`${H}\n1,0,1,,1,.,1\n`)).message).toMatch(/^row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0; .* \(got ""\)$/);
  });

  it('no AMT column: said without a value, and a DOSE column named', () => {
    const e = caught(() => readNmtran('ID,TIME,EVID,DOSE,CMT,DV,MDV\n1,0,1,1000,1,.,1\n1,1,0,.,1,20,0\n', { file: 'dose.csv' }));
    expect(e.code).toBe('E_RECORD');
    expect(e.place).toMatchObject({ file: 'dose.csv', row: 1, column: 'AMT' });
    expect(e.message).toBe('dose.csv, row 1, column AMT: a dose record (EVID 1) needs an amount > 0, and the data have no AMT column; column DOSE holds 1000 on this row: if it is the amount, name the column AMT');
    // no look-alike column: the same, without the hint
    expect(caught(() => readNmtran('ID,TIME,EVID,CMT,DV\n1,0,1,1,.\n')).message).toBe('row 1, column AMT: a dose record (EVID 1) needs an amount > 0, and the data have no AMT column');
  });

  it('records built in code show the NaN they hold', () => {
    expect(caught(() => recordFromItems({ ID: NaN, TIME: 0 }, 1)).message).toBe('row 1, column ID: ID is required (got NaN)');
    expect(caught(() => recordFromItems({ ID: 1, TIME: NaN }, 1)).message).toMatch(/\(got NaN\)$/);
  });
});
