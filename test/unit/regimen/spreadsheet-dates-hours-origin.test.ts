// Regressions of f5f6cc0: elapsed hours since an origin (a data warehouse's hours since
// 2021-01-01, ~46,000) lie in Excel's serial window 32,874-73,051. bigtime_load.csv's ID 2, a split
// loading dose 1 h apart (46000, 46001) with levels 5 and 17 h after it, was refused as "doses 2 or
// less apart each" (daily as days). As days those levels would lie 5 and 17 days after the last dose,
// no TDM chart's: an ID with a record 8 or more after its last dose before it read as hours and was
// no longer refused so. f9: as days a level 5 and 17 days on is a chart's too (a washout), so such an
// ID is refused naming both readings and the late record, and read as hours with time: 'hours'. Excel's own charts of t1 (daily 08:00, q12h 00:00/12:00, q24h 18:00) still are,
// and the refusal now names the remedy for hours since an origin: subtract the first value.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const csv = (rows: readonly string[]): string => `${H}\n${rows.join('\n')}\n`;

describe('elapsed hours in the window of Excel serial dates', () => {
  it("bigtime_load.csv: a split loading dose 1 apart, levels 5 and 17 on, reads as hours or as days (f9): refused naming the late record, read as hours with time: 'hours'", () => {
    const load = ['2,46000.0,1,1000,1000,.,1', '2,46001.0,1,1000,1000,.,1', '2,46006.0,0,.,.,20.1,0', '2,46018.0,0,.,.,9.3,0'];
    const all = csv(['1,46000.0,1,1000,1000,.,1', '1,46012.0,1,1000,1000,.,1', '1,46023.5,0,.,.,8.1,0', '1,46024.0,1,1000,1000,.,1', ...load]);
    expect(caught(() => readNmtran(csv(load))).message).toMatch(/ID 2's doses at rows 1 and 2 lie 1 apart: as Excel dates 1 day apart .*, as hours 1 h apart; its record at row 4 lies 17 after the dose before it \(row 2\): as Excel dates 17 days on, as hours 17 h on, and nothing in the column tells which/);
    const d = readNmtran(all, { time: 'hours' });
    expect(d.records.filter((r) => r.ID === 2).map((r) => r.TIME)).toEqual([46000, 46001, 46006, 46018]);
  });
  it("the Excel charts stay refused (daily 08:00; q12h 00:00/12:00; q24h 18:00 with troughs 12 h on), the remedy naming the origin to subtract", () => {
    const daily = caught(() => readNmtran(csv(['1,46085.333333,1,1000,1000,.,1', '1,46085.5,0,.,.,5.0,0', '1,46086.333333,1,1000,1000,.,1', '1,46087.333333,1,1000,1000,.,1', '1,46087.5,0,.,.,6.0,0'])));
    expect(daily.code).toBe('E_CSV_VALUE');
    expect(caught(() => readNmtran(csv(['1,46085,1,1000,1000,.,1', '1,46085.5,0,.,.,4.9,0', '1,46085.5,1,1000,1000,.,1', '1,46086,0,.,.,7.8,0', '1,46086,1,1000,1000,.,1', '1,46086.5,0,.,.,9.5,0']))).code).toBe('E_CSV_VALUE');
    const q24 = caught(() => readNmtran(csv(['1,46085.75,1,1000,1000,.,1', '1,46086.25,0,.,.,3.0,0', '1,46086.75,1,1000,1000,.,1', '1,46087.25,0,.,.,3.4,0'])));
    expect(q24.message).toMatch(/if it holds hours since an origin \(a data warehouse's, since birth\), subtract the first value, 46,085\.75, from each/);
  });
  // bigtime_q6.csv (q6h to the minute, x.1667) is refused again (342790a read it as hours, and with
  // it Excel's dialysis charts: spreadsheet-dates-declared-hours.test.ts); weekly at 04:00 likewise
  it('bigtime_q6.csv: q6h to the minute (x.1667) stays refused (as days q6d at 04:00), with the subtract-the-origin remedy', () => {
    const e = caught(() => readNmtran(csv(['2,46000.1667,1,500,500,.,1', '2,46006.1667,1,500,500,.,1', '2,46012.1667,1,500,500,.,1', '2,46017.9000,0,.,.,12.3,0', '2,46018.1667,1,500,500,.,1'])));
    expect(e.message).toMatch(/subtract the first value, 46,000\.1667, from each/);
  });
  it('weekly to the minute (x.1667, as days weekly at 04:00) stays refused, with the subtract-the-origin remedy', () => {
    const e = caught(() => readNmtran(csv(['2,46000.1667,1,500,500,.,1', '2,46007.1667,1,500,500,.,1', '2,46014.1667,1,500,500,.,1', '2,46020.9000,0,.,.,12.3,0', '2,46021.1667,1,500,500,.,1'])));
    expect(e.message).toMatch(/subtract the first value, 46,000\.1667, from each/);
  });
});
