// Hours since an origin in Excel's serial window (32,874-73,051) were refused for a q6h chart: a
// data warehouse's hours since 2021-01-01, doses at 46000.1667, 46006.1667, … (10 min past the
// hour) and a trough at 46017.9, were refused as "every 6 days at 04:00" (the doses never 8 or more
// apart). 342790a and 846d631 then read an ID whose doses all lie 3 (then 4) or more apart, one under
// 7, as hours, which read Excel's chart of dialysis vancomycin, doses 4 and 7 days apart, as 4 and 7 h
// (IPRED 56.26 for 14.35, exit 0). Gaps cannot tell every 4-7 days from q4h-q7h: such a
// chart is refused again, now with both readings, and read as written where the reader is told TIME
// holds hours (readNmtran's time: 'hours', the CLI's --time hours: spreadsheet-dates-declared-hours).
// The hours are the values as written (no reference needed beyond them).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const csv = (rows: readonly string[]): string => `${H}\n${rows.join('\n')}\n`;
const BIGTIME_Q6 = csv(['2,46000.1667,1,500,500,.,1', '2,46006.1667,1,500,500,.,1', '2,46012.1667,1,500,500,.,1', '2,46017.9000,0,.,.,12.3,0', '2,46018.1667,1,500,500,.,1']);
const Q4_Q6 = csv(['1,46085.333333,1,500,500,.,1', '1,46089.333333,1,500,500,.,1', '1,46093.833333,1,500,500,.,1', '1,46097.333333,0,.,.,8.0,0', '3,46100.25,1,1000,1000,.,1', '3,46106.25,1,1000,1000,.,1', '3,46111.75,0,.,.,5.0,0']);

describe('q4h-q6h elapsed hours in the window of Excel serial dates', () => {
  it("bigtime_q6.csv: q6h to the minute (46000.1667 …) is refused with both readings, and read as hours with time: 'hours'", () => {
    expect(caught(() => readNmtran(BIGTIME_Q6)).message).toContain('as Excel dates every 6 days at 04:00 (2025-12-09 04:00, 2025-12-15 04:00, 2025-12-21 04:00, …), as hours every 6 h');
    const d = readNmtran(BIGTIME_Q6, { time: 'hours' });
    expect(d.records.map((r) => r.TIME)).toEqual([46000.1667, 46006.1667, 46012.1667, 46017.9, 46018.1667]);
  });

  it("q4h at 20 min past the hour (.333333) with a dose 30 min late, and a second ID q6h: refused (4 and 4.5 days as Excel dates), read as hours with time: 'hours'", () => {
    expect(caught(() => readNmtran(Q4_Q6)).message).toContain("ID 1's doses at rows 1, 2 and 3 lie 4 and 4.5 apart: as Excel dates 4 and 4.5 days apart (2026-03-04 08:00, 2026-03-08 08:00, 2026-03-12 20:00), as hours 4 and 4.5 h apart");
    const d = readNmtran(Q4_Q6, { time: 'hours' });
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
