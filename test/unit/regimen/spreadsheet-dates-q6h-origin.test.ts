// Hours since an origin in Excel's serial window (32,874-73,051) were refused for a q6h chart: a
// data warehouse's hours since 2021-01-01, doses at 46000.1667, 46006.1667, … (10 min past the
// hour) and a trough at 46017.9, were refused as "every 6 days at 04:00" (the doses never 8 or more
// apart). q4h-q6h are the commonest hospital intervals, and an Excel chart of doses every 4 to 6 days
// is none a TDM chart holds: an ID whose consecutive doses all lie 4 or more apart, one of them less
// than 7, is read as hours. Weekly doses (7 apart, as days: weekly at 08:00), daily ones with days
// held (1 and 3 apart) and doses after twice-weekly dialysis (3 and 4 days apart) stay refused, as
// do t1's Excel charts (spreadsheet-dates-hours-origin.test.ts).
// The hours are the values as written (no reference needed beyond them).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const csv = (rows: readonly string[]): string => `${H}\n${rows.join('\n')}\n`;

describe('q4h-q6h elapsed hours in the window of Excel serial dates', () => {
  it('bigtime_q6.csv: q6h to the minute (46000.1667 …) with a trough 16 min before a dose is read as hours', () => {
    const d = readNmtran(csv(['2,46000.1667,1,500,500,.,1', '2,46006.1667,1,500,500,.,1', '2,46012.1667,1,500,500,.,1', '2,46017.9000,0,.,.,12.3,0', '2,46018.1667,1,500,500,.,1']));
    expect(d.records.map((r) => r.TIME)).toEqual([46000.1667, 46006.1667, 46012.1667, 46017.9, 46018.1667]);
  });

  it('q4h at 20 min past the hour (.333333) with a dose 30 min late, and a second ID q6h, are read as hours', () => {
    const d = readNmtran(csv(['1,46085.333333,1,500,500,.,1', '1,46089.333333,1,500,500,.,1', '1,46093.833333,1,500,500,.,1', '1,46097.333333,0,.,.,8.0,0', '3,46100.25,1,1000,1000,.,1', '3,46106.25,1,1000,1000,.,1', '3,46111.75,0,.,.,5.0,0']));
    expect(d.records.map((r) => r.TIME)).toEqual([46085.333333, 46089.333333, 46093.833333, 46097.333333, 46100.25, 46106.25, 46111.75]);
  });

  it('weekly doses at 08:00 (7 apart), daily doses with two days held (1 and 3 apart) and twice-weekly dialysis doses (3, 4, 3) stay refused as Excel dates', () => {
    const weekly = caught(() => readNmtran(csv(['1,46085.333333,1,1000,1000,.,1', '1,46085.375,0,.,.,50,0', '1,46092.333333,1,1000,1000,.,1', '1,46099.333333,1,1000,1000,.,1'])));
    expect(weekly.code).toBe('E_CSV_VALUE');
    const held = caught(() => readNmtran(csv(['1,46085.333333,1,1000,1000,.,1', '1,46086.333333,1,1000,1000,.,1', '1,46089.333333,1,1000,1000,.,1', '1,46089.5,0,.,.,6.0,0'])));
    expect(held.code).toBe('E_CSV_VALUE');
    const dialysis = caught(() => readNmtran(csv(['1,46085.333333,1,1000,1000,.,1', '1,46088.333333,1,1000,1000,.,1', '1,46092.3,0,.,.,18.0,0', '1,46092.333333,1,1000,1000,.,1', '1,46095.333333,1,1000,1000,.,1'])));
    expect(dialysis.code).toBe('E_CSV_VALUE');
  });
});
