// Regressions of 342790a/846d631: a TIME column in Excel's serial window whose
// dose gaps read plausibly both as days and as hours was guessed. "Doses all 4 or more apart with one
// under 7 read as hours" read Excel's chart of vancomycin in dialysis (xl47g.csv: doses 4 and 7 days
// apart, a level 3.7 days on) as doses 4 and 7 h apart, IPRED 56.26 for 14.35 (+292 %), exit 0, while
// hours since an origin with a nurse's jitter (q4h with a dose 15 min early, q3h, q8h charted a few
// minutes early, q6h with a dose 2.5 h early) were still refused, naming only the 8-h rule. Gaps
// cannot tell "every 4-7 days" from "q4h-q7h", so the reader no longer guesses: such a column is
// refused naming the ID, its dose rows and both readings, with the remedies that work: the read option
// time: 'hours' (the CLI's --time hours) for hours, timestamps or a DATE column for Excel's dates.
// Reference: the hours as written, and for the days reading python's datetime (1899-12-30 + serial:
// 46085.666667 is 2026-03-04 16:00, 46100.333333 2026-03-19 08:00, 352 h on).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const csv = (head: string, rows: readonly string[]): string => `${head}\n${rows.join('\n')}\n`;
const H = 'ID,TIME,AMT,DV,EVID,MDV,CMT';
const XL47G = csv('ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT,CRCL,DIAL', ['1,46085.666667,2000,1000,.,1,1,1,80,10,1', '1,46089.666667,1000,1000,.,1,1,1,80,10,1', '1,46096.666667,1000,1000,.,1,1,1,80,10,1', '1,46100.333333,.,.,12,0,0,1,80,10,1']);
/** Hours-since-origin charts with a nurse's jitter, and the dose gaps as hours. */
const HOURS: Record<string, { rows: string[]; gaps: string }> = {
  q4j: { rows: ['1,46000.1667,1000,.,1,1,1', '1,46004.1667,1000,.,1,1,1', '1,46007.9167,1000,.,1,1,1', '1,46011.9000,.,10,0,0,1', '1,46012.1667,1000,.,1,1,1'], gaps: '4, 3.75 and 4.25' },
  q3: { rows: ['1,46000.1667,1000,.,1,1,1', '1,46003.1667,1000,.,1,1,1', '1,46006.1667,1000,.,1,1,1', '1,46008.9000,.,10,0,0,1', '1,46009.1667,1000,.,1,1,1'], gaps: '3' },
  q8e: { rows: ['1,46000.1667,1000,.,1,1,1', '1,46008.0833,1000,.,1,1,1', '1,46015.9000,.,10,0,0,1', '1,46016.0000,1000,.,1,1,1'], gaps: '7.9166 and 7.9167' },
  q8two: { rows: ['1,46000.1667,1000,.,1,1,1', '1,46007.7500,.,10,0,0,1', '1,46007.8333,1000,.,1,1,1'], gaps: '7.6666' },
  q6early: { rows: ['1,46000.1667,1000,.,1,1,1', '1,46006.1667,1000,.,1,1,1', '1,46009.6667,1000,.,1,1,1', '1,46015.9000,.,10,0,0,1', '1,46016.1667,1000,.,1,1,1'], gaps: '6, 3.5 and 6.5' },
  // 342790a's own cases: q6h and q4h to the minute, once read as hours without a word
  q6: { rows: ['2,46000.1667,500,.,1,1,1', '2,46006.1667,500,.,1,1,1', '2,46012.1667,500,.,1,1,1', '2,46017.9000,.,12.3,0,0,1', '2,46018.1667,500,.,1,1,1'], gaps: '6' },
  q4: { rows: ['1,46000.1667,1000,.,1,1,1', '1,46004.1667,1000,.,1,1,1', '1,46008.1667,1000,.,1,1,1', '1,46011.9000,.,10,0,0,1', '1,46012.1667,1000,.,1,1,1'], gaps: '4' },
};

describe('Excel serial window: dose gaps that read as days and as hours are not guessed', () => {
  it('xl47g.csv (Excel dates, doses 4 and 7 days apart: dialysis vancomycin) is refused naming the ID, the rows, both readings and the remedies', () => {
    const e = caught(() => readNmtran(XL47G));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's doses at rows 1, 2 and 3 lie 4 and 7 apart");
    expect(e.message).toContain('as Excel dates 4 and 7 days apart (2026-03-04 16:00, 2026-03-08 16:00, 2026-03-15 16:00)');
    expect(e.message).toContain('as hours 4 and 7 h apart');
    expect(e.message).toContain("if it holds hours, give the read option time: 'hours'");
    expect(e.message).toMatch(/or as timestamps \(2026-03-04 16:00, format yyyy-mm-dd hh:mm\)/);
  });

  it("the remedy for Excel's dates works: xl47g written as timestamps reads 0, 96, 264 and 352 h, as h47g.csv", () => {
    const stamps = XL47G.replace('46085.666667', '2026-03-04T16:00').replace('46089.666667', '2026-03-08T16:00').replace('46096.666667', '2026-03-15T16:00').replace('46100.333333', '2026-03-19T08:00');
    expect(readNmtran(stamps).records.map((r) => r.TIME)).toEqual([0, 96, 264, 352]);
  });

  it("every gap is the same reading: one interval says 'every 6 days at 04:00' against 'every 6 h'", () => {
    const e = caught(() => readNmtran(csv(H, HOURS.q6?.rows ?? [])));
    expect(e.message).toContain("ID 2's doses at rows 1, 2, 3 and 5 lie 6 apart each: as Excel dates every 6 days at 04:00 (2025-12-09 04:00, 2025-12-15 04:00, 2025-12-21 04:00, …), as hours every 6 h");
  });

  for (const [name, { rows, gaps }] of Object.entries(HOURS)) {
    it(`${name}: hours since an origin with gaps ${gaps} are refused without a word of their unit, and read as written with time: 'hours'`, () => {
      const e = caught(() => readNmtran(csv(H, rows)));
      expect(e.code).toBe('E_CSV_VALUE');
      expect(e.message).toContain(`as hours ${gaps === '3' || gaps === '4' || gaps === '6' ? `every ${gaps} h` : `${gaps} h apart`}`);
      expect(e.message).toContain("time: 'hours'");
      const d = readNmtran(csv(H, rows), { time: 'hours' });
      expect(d.records.map((r) => r.TIME)).toEqual(rows.map((r) => Number(r.split(',')[1])));
    });
  }

  it("time takes 'hours' only, named so", () => {
    const e = caught(() => readNmtran(csv(H, HOURS.q4?.rows ?? []), { time: 'days' as 'hours' }));
    expect(e.message).toMatch(/time.*'hours'/);
  });

  it("the Excel charts are refused as before, and time: 'hours' reads them as written (the user's word)", () => {
    const daily = ['1,46085.333333,1000,.,1,1,1', '1,46085.5,.,5.0,0,0,1', '1,46086.333333,1000,.,1,1,1', '1,46087.333333,1000,.,1,1,1', '1,46087.5,.,6.0,0,0,1'];
    const e = caught(() => readNmtran(csv(H, daily)));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toMatch(/subtract the first value, 46,085\.333333, from each/);
    expect(readNmtran(csv(H, daily), { time: 'hours' }).records[1]?.TIME).toBe(46085.5);
  });
});
