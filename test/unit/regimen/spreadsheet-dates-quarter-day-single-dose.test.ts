// The single-dose gap of the Excel serial window (README "NONMEM record semantics"): an ID with one
// dose whose every TIME value is a quarter day (00:00, 06:00, 12:00, 18:00 as days; 0, 15, 30, 45 min
// past as hours) and whose records lie more than 2 and under 8 after it, or whose one dose repeats
// with ADDL every II more than 2 and under 8, was read as hours without a word, exit 0: Excel's dates
// of 1000 mg on 2026-03-04 06:00 (46085.25) with levels 2 and 3 days on were fitted as 2 and 3 h on
// (vancomycin_goti_2018: CL 2.61, V 102.9 L, where the chart in hours, 0, 48, 72, gives CL 1.975, V
// 67.85 L). Doses 2 or less, more than 2 and under 8, or 8 or more apart, and a record 8 or more on,
// are refused naming the ID, rows, both readings and the remedies; now so is this.
// Reference: the hours as written, and the dates from python's datetime (1899-12-30 + serial):
// 46085.25 → 2026-03-04 06:00, 46087.25 → 2026-03-06 06:00, 46088.25 → 2026-03-07 06:00,
// 46092.5 → 2026-03-11 12:00.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const csv = (head: string, rows: readonly string[]): string => `${head}\n${rows.join('\n')}\n`;
const H = 'ID,TIME,AMT,DV,EVID,MDV,CMT';
// one dose at 06:00, levels 2 and 3 days on (as hours 2 and 3 h on)
const ONE = ['1,46085.25,1000,.,1,1,1', '1,46087.25,.,10,0,0,1', '1,46088.25,.,5,0,0,1'];
const HA = 'ID,TIME,AMT,DV,EVID,MDV,CMT,ADDL,II';
// a weekly dose written once, ADDL 2, II 7, a level 7.25 on (as hours q7h, the level 7.25 h on)
const WEEKLY = ['1,46085.25,1000,.,1,1,1,2,7', '1,46092.5,.,10,0,0,1,.,.'];

describe('Excel serial window: one dose, quarter-day values, records more than 2 on or ADDL with II more than 2 and under 8', () => {
  it('one dose with levels 2 and 3 on (46085.25, 46087.25, 46088.25) is refused naming the ID, its rows, both readings and the remedies', () => {
    const e = caught(() => readNmtran(csv(H, ONE)));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's records at rows 1, 2 and 3 lie 2 and 1 apart: as Excel dates 2 and 1 days apart (2026-03-04 06:00, 2026-03-06 06:00, 2026-03-07 06:00), as hours 2 and 1 h apart");
    expect(e.message).toContain('its record at row 3 lies 3 after its one dose (row 1): as Excel dates 3 days on, as hours 3 h on');
    expect(e.message).toContain("if it holds hours, give the read option time: 'hours'");
    expect(e.message).toContain('or as timestamps (2026-03-04 06:00, format yyyy-mm-dd hh:mm)');
    expect(e.message).toContain('beside a DATE column');
    expect(e.message).toContain('row 1');
  });

  it('a weekly dose written once with ADDL 2 and II 7 is refused, naming the repeat both ways', () => {
    const e = caught(() => readNmtran(csv(HA, WEEKLY)));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's records at rows 1 and 2");
    expect(e.message).toContain('its dose at row 1 repeats 2 times every 7 (ADDL 2, II 7): as Excel dates every 7 days, as hours every 7 h');
    expect(e.message).toContain("time: 'hours'");
  });

  it('each ID on its own: the second ID (one dose, a level 3 on) is named at its first row', () => {
    const rows = ['1,46085.25,100,.,1,1,1', '1,46085.5,.,9,0,0,1', '2,46085.25,100,.,1,1,1', '2,46088.25,.,5,0,0,1'];
    const e = caught(() => readNmtran(csv(H, rows)));
    expect(e.message).toContain("ID 2's records at rows 3 and 4 lie 3 apart");
    expect(e.message).toContain('row 3');
  });

  it('records 2 or less after one dose, and ADDL with II 2 or less or 8 or more with records close by, stay read as hours', () => {
    expect(readNmtran(csv(H, ['1,46085.25,100,.,1,1,1', '1,46087.25,.,5,0,0,1'])).records.map((r) => r.TIME)).toEqual([46085.25, 46087.25]);
    expect(readNmtran(csv(HA, ['1,46085.25,100,.,1,1,1,3,1', '1,46086.25,.,5,0,0,1,.,.'])).records.length).toBe(2);
  });

  it("with time: 'hours' the column reads as written (levels 2 and 3 h on; the dose q7h)", () => {
    expect(readNmtran(csv(H, ONE), { time: 'hours' }).records.map((r) => r.TIME)).toEqual([46085.25, 46087.25, 46088.25]);
    expect(readNmtran(csv(HA, WEEKLY), { time: 'hours' }).records.map((r) => r.TIME)).toEqual([46085.25, 46092.5]);
  });

  it('written as timestamps the levels lie 48 and 72 h on', () => {
    const stamps = ['1,2026-03-04T06:00,1000,.,1,1,1', '1,2026-03-06T06:00,.,10,0,0,1', '1,2026-03-07T06:00,.,5,0,0,1'];
    expect(readNmtran(csv(H, stamps)).records.map((r) => r.TIME)).toEqual([0, 48, 72]);
  });

  it('the CLI refuses it (exit 1, naming --time hours) and reads it with --time hours', async () => {
    const { write: file } = tempFiles('dosewise-quarter-single-');
    const head = 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n';
    const data = file('xl1.csv', `${head}1,46085.25,1,1000,1000,.,1,80,60,0\n1,46087.25,0,.,.,10,0,80,60,0\n1,46088.25,0,.,.,5,0,80,60,0\n`);
    const model = ['--model', 'vancomycin_goti_2018'];
    const refused = await cli(['simulate', ...model, '--data', data, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('as Excel dates 2 and 1 days apart');
    expect(refused.err).toContain('give --time hours');
    const read = await cli(['simulate', ...model, '--data', data, '--json', '--time', 'hours']);
    expect(read.code).toBe(0);
  }, 60_000);
});
