// The last gap of the Excel serial window (README "NONMEM record semantics"): an ID whose every TIME
// value is a quarter day (00:00, 06:00, 12:00, 18:00 as days; 0, 15, 30, 45 min past as hours) and
// whose consecutive doses lie more than 2 and under 8 apart was read as hours without a word, exit 0:
// Excel's dates of a weekly dose at 06:00 (46085.25, 46092.25: 2026-03-04 06:00, 2026-03-11 06:00)
// ran as doses 7 h apart. Its neighbours (doses 2 or less apart, 8 or more apart, a value no quarter
// hour) are refused naming the ID, its dose rows, both readings and the remedies; now so is this.
// Reference: the hours as written, and the dates from python's datetime (1899-12-30 + serial):
// 46085.25 → 2026-03-04 06:00, 46092.25 → 2026-03-11 06:00, 46099.25 → 2026-03-18 06:00,
// 46088.25 → 2026-03-07 06:00, 46091.75 → 2026-03-10 18:00.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const csv = (head: string, rows: readonly string[]): string => `${head}\n${rows.join('\n')}\n`;
const H = 'ID,TIME,AMT,DV,EVID,MDV,CMT';
// weekly at 06:00, a trough 6 h before the third dose (as days; 0.25 h before as hours)
const WEEKLY = ['1,46085.25,100,.,1,1,1', '1,46092.25,100,.,1,1,1', '1,46099,.,8.1,0,0,1', '1,46099.25,100,.,1,1,1'];

describe('Excel serial window: quarter-day values with doses more than 2 and under 8 apart', () => {
  it('weekly at 06:00 (46085.25, 46092.25, 46099.25) is refused naming the ID, its dose rows, both readings and the remedies', () => {
    const e = caught(() => readNmtran(csv(H, WEEKLY)));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toContain("ID 1's doses at rows 1, 2 and 4 lie 7 apart each: as Excel dates every 7 days at 06:00 (2026-03-04 06:00, 2026-03-11 06:00, 2026-03-18 06:00), as hours every 7 h");
    expect(e.message).toContain("if it holds hours, give the read option time: 'hours'");
    expect(e.message).toContain('or as timestamps (2026-03-04 06:00, format yyyy-mm-dd hh:mm)');
    expect(e.message).toContain('beside a DATE column');
    expect(e.message).toContain('row 1');
  });

  it('two doses only (46085.25, 46092.25), and gaps of 3 and 3.5 (twice weekly at 06:00 and 18:00) are refused too', () => {
    expect(caught(() => readNmtran(csv(H, ['1,46085.25,100,.,1,1,1', '1,46092.25,100,.,1,1,1']))).message).toContain("ID 1's doses at rows 1 and 2 lie 7 apart: as Excel dates 7 days apart (2026-03-04 06:00, 2026-03-11 06:00), as hours 7 h apart");
    const e = caught(() => readNmtran(csv(H, ['1,46085.25,100,.,1,1,1', '1,46088.25,100,.,1,1,1', '1,46091.75,100,.,1,1,1'])));
    expect(e.message).toContain("ID 1's doses at rows 1, 2 and 3 lie 3 and 3.5 apart: as Excel dates 3 and 3.5 days apart (2026-03-04 06:00, 2026-03-07 06:00, 2026-03-10 18:00), as hours 3 and 3.5 h apart");
  });

  it('each ID on its own: the second ID (weekly) is named, at its first row', () => {
    const rows = ['1,46085.25,100,.,1,1,1', ...WEEKLY.map((r) => r.replace(/^1,/, '2,'))];
    const e = caught(() => readNmtran(csv(H, rows)));
    expect(e.message).toContain("ID 2's doses at rows 2, 3 and 5 lie 7 apart each");
  });

  it("with time: 'hours' the column reads as written (doses 7 h apart)", () => {
    expect(readNmtran(csv(H, WEEKLY), { time: 'hours' }).records.map((r) => r.TIME)).toEqual([46085.25, 46092.25, 46099, 46099.25]);
  });

  it('written as timestamps the doses lie 168 h apart, the trough 330 h on', () => {
    const stamps = ['1,2026-03-04T06:00,100,.,1,1,1', '1,2026-03-11T06:00,100,.,1,1,1', '1,2026-03-18T00:00,.,8.1,0,0,1', '1,2026-03-18T06:00,100,.,1,1,1'];
    expect(readNmtran(csv(H, stamps)).records.map((r) => r.TIME)).toEqual([0, 168, 330, 336]);
  });

  it('the CLI refuses it (exit 1, naming --time hours) and reads it with --time hours', async () => {
    const { write: file } = tempFiles('dosewise-quarter-mid-');
    const head = 'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT,CRCL,DIAL\n';
    const data = file('weekly.csv', `${head}1,46085.25,1000,1000,.,1,1,1,80,60,0\n1,46092.25,1000,1000,.,1,1,1,80,60,0\n1,46099,.,.,8,0,0,1,80,60,0\n`);
    const model = ['--model', 'vancomycin_goti_2018'];
    const refused = await cli(['simulate', ...model, '--data', data, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('as Excel dates 7 days apart');
    expect(refused.err).toContain('give --time hours');
    const read = await cli(['simulate', ...model, '--data', data, '--json', '--time', 'hours']);
    expect(read.code).toBe(0);
  }, 60_000);
});

describe('one day apart is said in the singular', () => {
  it('"1 day apart", not "1 days apart"', () => {
    const rows = ['2,46000,1000,.,1,1,1', '2,46001,1000,.,1,1,1', '2,46006,.,20,0,0,1', '2,46018,.,9,0,0,1'];
    const e = caught(() => readNmtran(csv(H, rows)));
    expect(e.message).toContain("ID 2's doses at rows 1 and 2 lie 1 apart: as Excel dates 1 day apart (");
    expect(e.message).not.toContain('1 days');
  });
});
