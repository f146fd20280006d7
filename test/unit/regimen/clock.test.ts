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

  it('a DATE column beside TIME in hours says why it is not read (NONMEM DATE=DROP)', () => {
    expect(() => readNmtran('ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,0,1,1000,.,1\n1,03/04/2026,2,0,.,5,0\n', { file: 'd.csv' })).toThrow(
      /d\.csv, row 1, column DATE: a date, while TIME holds hours since the first record: DATE is read only with clock times in TIME \(08:30\); drop the column, as NONMEM's DATE=DROP does/,
    );
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
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,03/04/2026,08:00,100\n1,03/04/2026,7.5,100')).toThrow(/row 2.*TIME.*every row needs one/);
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
