// An infusion length written as a clock duration in DUR ("1:00", "1:30"): refused as "a clock time
// in a column other than TIME", which sent the user looking for a clock time where there is none.
// DUR is a duration in hours; h:mm is not read there (II reads it, as NM-TRAN does; DUR is no
// NM-TRAN item), so the refusal says to write hours, with the cell's own value in hours.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const read = (dur: string): string => caught(() => readNmtran(`ID,TIME,EVID,AMT,DUR,DV,MDV\n1,0,1,1000,${dur},.,1\n1,1,0,.,.,10,0\n`)).message;

describe('DUR written h:mm', () => {
  it('"1:00" is refused naming the row, DUR and the hours to write (1)', () => {
    const m = read('1:00');
    expect(m).toMatch(/row 1, column DUR: /);
    expect(m).toMatch(/a duration in hours/);
    expect(m).toMatch(/write 1 for 1:00/);
    expect(m).not.toMatch(/clock time in a column other than TIME/);
  });

  it('"1:30" is 1.5 h and "0:20" 0.3333 h in the advice; h:mm:ss too', () => {
    expect(read('1:30')).toMatch(/write 1\.5 for 1:30/);
    expect(read('0:20')).toMatch(/write 0\.3333 for 0:20/);
    expect(read('2:00:30')).toMatch(/write 2\.0083 for 2:00:30/);
  });

  it('a DUR in hours still reads; a clock time in AMT is still "a clock time in a column other than TIME"', () => {
    expect(readNmtran('ID,TIME,EVID,AMT,DUR,DV,MDV\n1,0,1,1000,1.5,.,1\n').records[0]?.items.DUR).toBe(1.5);
    expect(caught(() => readNmtran('ID,TIME,AMT\n1,0,1:30\n')).message).toMatch(/column AMT: a clock time in a column other than TIME/);
  });
});
