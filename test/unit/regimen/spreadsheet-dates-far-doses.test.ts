// f9 (silent wrong number): a TIME column without a date whose every value lies in Excel's serial
// window (32,874-73,051) was read as hours without a word where an ID had consecutive doses 8 or more
// apart, or a record 8 or more after the dose before it. Excel's dates of a biologic every two weeks
// (doses 46085.333333, 46099.333333, 46113.333333, trough 46112.333333: 2026-03-04 08:00, 2026-03-18
// 08:00, 2026-04-01 08:00, trough 2026-03-31 08:00) ran as doses 14 h apart, the trough 13 h after
// the second dose, exit 0. Doses 8 or more apart read as a chart's both ways (q8h-q24h hours since an
// origin; weekly, every two weeks as days), so the reader refuses naming the ID, its dose rows, both
// readings and the remedies (time: 'hours'; timestamps or a DATE column), as for gaps under 8.
// Reference: the hours as written, and for the days python's datetime (1899-12-30 + serial).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const csv = (head: string, rows: readonly string[]): string => `${head}\n${rows.join('\n')}\n`;
const H = 'ID,TIME,AMT,DV,EVID,MDV,CMT';
const XL14D = ['1,46085.333333,100,.,1,1,1', '1,46099.333333,100,.,1,1,1', '1,46112.333333,.,8.1,0,0,1', '1,46113.333333,100,.,1,1,1'];

describe('Excel serial window: an ID with doses 8 or more apart is not read as hours without a word', () => {
  it("xl14d (Excel dates of doses 14 days apart, a biologic q2w) is refused naming the ID, its dose rows, both readings and the remedies", () => {
    const e = caught(() => readNmtran(csv(H, XL14D)));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's doses at rows 1, 2 and 4 lie 14 apart each: as Excel dates every 14 days at 08:00 (2026-03-04 08:00, 2026-03-18 08:00, 2026-04-01 08:00), as hours every 14 h");
    expect(e.message).toContain("if it holds hours, give the read option time: 'hours'");
    expect(e.message).toMatch(/or as timestamps \(2026-03-04 08:00, format yyyy-mm-dd hh:mm\)/);
    expect(e.message).toContain('beside a DATE column');
  });

  it("with time: 'hours' the same column reads as written (doses 14 h apart)", () => {
    expect(readNmtran(csv(H, XL14D), { time: 'hours' }).records.map((r) => r.TIME)).toEqual([46085.333333, 46099.333333, 46112.333333, 46113.333333]);
  });

  it('written as timestamps it reads the doses 336 h apart, the trough 648 h on', () => {
    const stamps = ['1,2026-03-04T08:00,100,.,1,1,1', '1,2026-03-18T08:00,100,.,1,1,1', '1,2026-03-31T08:00,.,8.1,0,0,1', '1,2026-04-01T08:00,100,.,1,1,1'];
    expect(readNmtran(csv(H, stamps)).records.map((r) => r.TIME)).toEqual([0, 336, 648, 672]);
  });

  it('a quarter-day chart (doses every 14 days at 06:00, 15 min past as hours) is refused too', () => {
    const e = caught(() => readNmtran(csv(H, ['1,46085.25,100,.,1,1,1', '1,46099.25,100,.,1,1,1', '1,46112.25,.,5,0,0,1', '1,46113.25,100,.,1,1,1'])));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's doses at rows 1, 2 and 4 lie 14 apart each: as Excel dates every 14 days at 06:00 (2026-03-04 06:00, 2026-03-18 06:00, 2026-04-01 06:00), as hours every 14 h");
  });

  it('hours since an origin, q12h (doses 46000, 46012, 46024): both readings, refused; read as written with time: hours', () => {
    const rows = ['3,46000,500,.,1,1,1', '3,46011.5,.,9,0,0,1', '3,46012,500,.,1,1,1', '3,46024,500,.,1,1,1'];
    const e = caught(() => readNmtran(csv(H, rows)));
    expect(e.message).toContain("ID 3's doses at rows 1, 3 and 4 lie 12 apart each: as Excel dates every 12 days at 00:00");
    expect(e.message).toContain('as hours every 12 h');
    expect(readNmtran(csv(H, rows), { time: 'hours' }).records.map((r) => r.TIME)).toEqual([46000, 46011.5, 46012, 46024]);
  });

  it('a record 8 or more after the dose before it (a split loading dose 1 apart, levels 5 and 17 on) is refused: as days levels 5 and 17 days on, as hours 5 and 17 h', () => {
    const rows = ['1,46000,500,.,1,1,1', '1,46001,500,.,1,1,1', '1,46006,.,9,0,0,1', '1,46018,.,3,0,0,1'];
    const e = caught(() => readNmtran(csv(H, rows)));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's doses at rows 1 and 2");
    expect(e.message).toContain('row 4');
    expect(e.message).toContain('17 after the dose before it');
    expect(readNmtran(csv(H, rows), { time: 'hours' }).records.map((r) => r.TIME)).toEqual([46000, 46001, 46006, 46018]);
  });

  it('a chart starting near 0 (below 32,874) is read as hours as before', () => {
    const rows = ['1,0,100,.,1,1,1', '1,14,100,.,1,1,1', '1,27,.,8.1,0,0,1', '1,28,100,.,1,1,1'];
    expect(readNmtran(csv(H, rows)).records.map((r) => r.TIME)).toEqual([0, 14, 27, 28]);
  });

  it('each ID judged on its own: a second ID with doses 14 apart is refused by its own ID', () => {
    const rows = ['1,0,100,.,1,1,1', ...XL14D.map((r) => r.replace(/^1,/, '2,'))];
    // ID 1's 0 is outside the window: the whole column is no Excel dates and reads as hours
    expect(readNmtran(csv(H, rows)).records).toHaveLength(5);
    const e = caught(() => readNmtran(csv(H, XL14D.map((r) => r.replace(/^1,/, '2,')))));
    expect(e.message).toContain("ID 2's doses at rows 1, 2 and 4");
  });
});
