// Clock times and dates in NM-TRAN data sets: hours since each ID's first record, against hand
// counts of the calendar; the file's cells kept for writing back; refusals naming row and column.

import { describe, expect, it } from 'vitest';
import { readNmtran, writeNmtran } from '../../../src/regimen/nmtran.js';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';

const times = (csv: string): number[] => readNmtran(csv).records.map((r) => r.TIME);

describe('clock times in NM-TRAN data', () => {
  it('DATE (month/day/year) and hh:mm: hours since the ID first record, across midnight and months', () => {
    const csv = ['ID,DATE,TIME,EVID,AMT,DV', '1,03/31/2026,08:00,1,1000,.', '1,03/31/2026,20:00,1,1000,.', '1,04/01/2026,07:30,0,0,12.5', '2,12/31/2025,23:15,1,500,.', '2,01/01/2026,01:45,0,0,3.1'].join('\n');
    // 31 March 08:00 → 20:00 = 12 h; → 1 April 07:30 = 23.5 h; 31 Dec 23:15 → 1 Jan 01:45 = 2.5 h
    expect(times(csv)).toEqual([0, 12, 23.5, 0, 2.5]);
  });

  it('a clock time before the one above it is named as written, with the row it follows', () => {
    expect(() => readNmtran('ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,08:00,1,1000,.,1\n1,03/04/2026,20:00,1,1000,.,1\n1,03/04/2026,19:30,0,.,5,0\n', { file: 'c.csv' })).toThrow(
      /c\.csv, row 3, column TIME: times must not decrease within an ID: row 2 is 03\/04\/2026 20:00 \(got "03\/04\/2026 19:30"\)/,
    );
  });

  it("with a date column TIME is the time of day, in hours or hh:mm, as NM-TRAN translates it (its DATE help page's example)", () => {
    // a DATE of day numbers beside TIME in hours was a data item, and TIME elapsed hours: day 2 at
    // 10:00 read 2 h after day 1 at 08:00, not 26 h (a closed form then 11× too high)
    expect(times('ID,DATE,TIME,AMT\n1,1,8,100\n1,1,10,0\n1,2,10,0\n1,3,12,0')).toEqual([0, 2, 26, 52]);
    expect(times('ID,DATE,TIME,AMT\n1,0,8,100\n1,1,9.5,0')).toEqual([0, 25.5]); // day 0 exists
    // the help page: 10-1-86 9:15 → 0, 14:40 → 5.42, 10-2-86 8:30 → 23.25; 10-12 8 → 0, 10-14 10 → 50
    const help = times('ID,DATE,TIME,AMT\n1,10-1-86,9:15,100\n1,10-1-86,14:40,0\n1,10-2-86,8:30,0\n2,10-12,8,100\n2,10-14,10,0');
    expect(help.map((t) => Math.round(t * 100) / 100)).toEqual([0, 5.42, 23.25, 0, 50]);
    // a calendar date beside hours of the day (NM-TRAN translates with DATE=DROP too), and 14.75 = 14:45
    expect(times('ID,DATE,TIME,AMT\n1,03/04/2026,8,100\n1,03/04/2026,14.75,0\n1,03/05/2026,08:00,0')).toEqual([0, 6.75, 24]);
    expect(times('ID,TIME,AMT\n1,8:00,100\n1,14.75,0')).toEqual([0, 6.75]); // the TIME help page, without a date
    // DAT3 is year/day/month whatever the separator: 2026-03-04 is 3 April there (it was read as ISO, 4 March: 744 h for 24)
    expect(times('ID,DAT3,TIME,AMT\n1,2026-03-04,08:00,100\n1,2026-04-04,08:00,0')).toEqual([0, 24]);
    expect(times('ID,DAT3,TIME,AMT\n1,2026-13-03,08:00,100\n1,2026-14-03,08:00,0')).toEqual([0, 24]);
    // DAT1 without a year is day/month
    expect(times('ID,DAT1,TIME,AMT\n1,31/12,8,100\n1,31/12,20,0')).toEqual([0, 12]);
  });

  it('refuses what a time of day with a date cannot be, and dates it cannot count', () => {
    // TIME beyond a day beside a date: elapsed hours, which NM-TRAN would translate as clock times
    expect(() => readNmtran('ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,0,1,1000,.,1\n1,03/05/2026,26,0,.,5,0\n', { file: 'd.csv' })).toThrow(
      /d\.csv, row 2, column TIME: with a DATE column TIME is the time of day, which NM-TRAN translates to hours elapsed with the date: 26 h is not one; if TIME holds elapsed hours, remove the DATE column/,
    );
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,1,8,100\n1,03/04/2026,9,0')).toThrow(/row 2, column DATE: dates of different forms for one ID \(row 1 has 1\)/);
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,02-27,8,100\n1,03-01,9,0')).toThrow(/row 2, column DATE: dates without a year in January–February and in March–December for one ID/);
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,02-30,8,100')).toThrow(/row 1, column DATE: no such date \(DATE without a year is month\/day\)/);
    // 29 February without a year is a date (NM-TRAN asks only day ≤ 31, month ≤ 12)
    expect(times('ID,DATE,TIME,AMT\n1,2-29,8,100\n1,2-29,20,0')).toEqual([0, 12]);
    // clock times without a date beside timestamps: the former sat on 1 January 1970 (a level at 492,385 h)
    expect(() => readNmtran('ID,TIME,AMT\n1,08:00,100\n1,2026-03-04T09:00,0')).toThrow(/row 2, column TIME: timestamps and clock times without a date in one data set \(row 1 has a clock time without a date\)/);
    expect(() => readNmtran('ID,TIME,AMT\n1,2026-03-04T09:00,100\n2,08:00,0')).toThrow(/row 2, column TIME: timestamps and clock times without a date/);
  });

  it('a 12-hour clock time (8:00 PM) is refused naming the TIME cell (the refusal named the DATE column)', () => {
    expect(() => readNmtran('ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,8:00 AM,1,1000,.,1\n1,03/04/2026,8:00 PM,0,.,5,0\n', { file: 'c.csv' })).toThrow(
      /c\.csv, row 1, column TIME: a 12-hour clock time: write the time on the 24-hour clock \(20:00 for 8:00 PM/,
    );
  });

  it('DAT1 (day/month/year), DAT2 (year/month/day), two-digit years and ISO dates in DATE', () => {
    expect(times('ID,DAT1,TIME,AMT\n1,28/02/2024,22:00,100\n1,01/03/2024,06:00,100')).toEqual([0, 32]); // 2024 is a leap year: 29 Feb between
    expect(times('ID,DAT2,TIME,AMT\n1,2026/3/4,8:00,100\n1,2026/3/5,8:00:30,100')).toEqual([0, 24 + 30 / 3600]);
    expect(times('ID,DATE,TIME,AMT\n1,12/31/99,12:00,100\n1,01/01/00,12:00,100')).toEqual([0, 24]); // 99 → 1999, 00 → 2000
    expect(times('ID,DATE,TIME,AMT\n1,2026-03-04,08:00,100\n1,2026-03-06,08:00,100')).toEqual([0, 48]);
  });

  it('ISO 8601 timestamps: as written without an offset (no daylight-saving shift), as instants with one', () => {
    // Europe switched to summer time on 29 March 2026 at 02:00
    expect(times('ID,TIME,AMT\n1,2026-03-28T20:00,100\n1,2026-03-29T08:00,100')).toEqual([0, 12]);
    expect(times('ID,TIME,AMT\n1,2026-03-28T20:00+01:00,100\n1,2026-03-29T08:00+02:00,100')).toEqual([0, 11]);
    expect(times('ID,TIME,AMT\n1,2026-03-28T20:00Z,100\n1,2026-03-28 21:30Z,100')).toEqual([0, 1.5]);
  });

  it('keeps the file cells for writing rows back, and simulates as the same history in hours', () => {
    const csv = 'ID,DATE,TIME,EVID,AMT,RATE,DV\n1,03/04/2026,08:00,1,1000,1000,.\n1,03/04/2026,20:00,1,1000,1000,.\n1,03/05/2026,07:30,0,0,0,12.5\n';
    const data = readNmtran(csv);
    expect(writeNmtran(data, {}).split('\n')[1]).toBe('1,03/04/2026,08:00,1,1000,1000,.');
    const hours = readNmtran('ID,TIME,EVID,AMT,RATE,DV\n1,0,1,1000,1000,.\n1,12,1,1000,1000,.\n1,23.5,0,0,0,12.5\n');
    const model = builtinModel('2cmt-iv', { CL: 4, V: 30, Q: 6, V2: 50 });
    expect(simulate(model, data.records).ipred).toEqual(simulate(model, hours.records).ipred);
  });

  it('refuses what it cannot read, naming row and column', () => {
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,02/30/2026,08:00,100', { file: 'c.csv' })).toThrow(/row 1.*DATE.*no such date/);
    expect(() => readNmtran('ID,TIME,AMT\n1,22:00,100\n1,06:00,100')).toThrow(/row 2.*TIME.*across midnight, add a DATE column/);
    expect(() => readNmtran('ID,TIME,AMT\n1,2026-03-28T20:00,100\n1,2026-03-29T08:00Z,100')).toThrow(/row 2.*with and without a time-zone offset/);
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,03/04/2026,25:00,100')).toThrow(/row 1.*not a clock time/);
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,03/04/2026,08:00,100\n1,03/04/2026,x,100')).toThrow(/row 2.*TIME.*every row needs one/);
    // times must still increase within an ID
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,03/05/2026,08:00,100\n1,03/04/2026,09:00,100')).toThrow(/row 2/);
  });
});

describe('a charted patient', () => {
  it('examples/clock-patient.csv (dates and clock times) is the W-map patient of examples/map-patient.csv (hours)', async () => {
    const { readFileSync } = await import('node:fs');
    const clock = readNmtran(readFileSync('examples/clock-patient.csv', 'utf8'));
    const hours = readNmtran(readFileSync('examples/map-patient.csv', 'utf8'));
    expect(clock.records.map((r) => r.TIME)).toEqual(hours.records.map((r) => r.TIME));
  });
});
