// Reading dates, study days and R's row names: a German dotted date under DATE read month-first
// (744 h between consecutive days), clock times beside a DAY column all read on one day, an R
// covariate table's row names refused, and messages that named the wrong column or no form read.
// Reference hours are python datetime differences, computed when the tests were written (quoted
// beside each value).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseCovariateTable } from '../../../src/population/covariates/table.js';

const times = (csv: string): number[] => readNmtran(csv, { file: 'd.csv' }).records.map((r) => r.TIME);
const read = (csv: string) => (): unknown => readNmtran(csv, { file: 'd.csv' });
const dated = (column: string, d1: string, d2: string): string => `ID,${column},TIME,EVID,AMT,DV,MDV\n1,${d1},08:00,1,100,.,1\n1,${d2},08:00,1,100,.,1\n`;

describe('dotted dates', () => {
  it('refuses a dotted date under DATE (month/day/year), naming file, row, column and value, and pointing to DAT1', () => {
    // 03.03.2026 and 04.03.2026 read as 3 March and 3 April: 744 h apart (python: datetime(2026,4,3,8) - datetime(2026,3,3,8))
    expect(read(dated('DATE', '03.03.2026', '04.03.2026'))).toThrow(/^d\.csv, row 1, column DATE: a date with dots, which is day\.month\.year, under DATE, which is month\/day\/year: name the column DAT1 .*\(got "03\.03\.2026"\)$/);
    expect(read(dated('DATE', '03.03', '04.03'))).toThrow(/row 1, column DATE: a date with dots/);
  });

  it('reads dotted dates under DAT1 as day.month.year: consecutive days 24 h apart', () => {
    // python: (datetime(2026,3,4,8) - datetime(2026,3,3,8)).total_seconds() / 3600 = 24.0
    expect(times(dated('DAT1', '03.03.2026', '04.03.2026'))).toEqual([0, 24]);
    expect(times(dated('DAT2', '2026.03.03', '2026.03.04'))).toEqual([0, 24]);
    // slashes and dashes under DATE stay month/day/year
    expect(times(dated('DATE', '03/03/2026', '03/04/2026'))).toEqual([0, 24]);
  });

  it('points a year-first date under DATE to ISO or DAT2 (it was "no such date")', () => {
    expect(read(dated('DATE', '2026/03/28', '2026/03/29'))).toThrow(/row 1, column DATE: the year first, but DATE is month\/day\/year: write the dates ISO \(2026-03-28\), or name the column DAT2 \(year\/month\/day\)/);
    expect(times(dated('DAT2', '2026/03/28', '2026/03/29'))).toEqual([0, 24]);
  });

  it('calls a blank date on a later row a missing date (it was "not a date (got "")")', () => {
    expect(read(dated('DATE', '03/28/2026', ''))).toThrow(/^d\.csv, row 2, column DATE: missing date: with a DATE column every row needs its date/);
  });
});

describe('clock times without a date', () => {
  const days = (name: string): string =>
    `ID,${name},TIME,EVID,AMT,RATE,DV,MDV\n1,1,08:00,1,1000,1000,.,1\n1,2,08:00,1,1000,1000,.,1\n1,3,08:00,1,1000,1000,.,1\n1,3,09:00,0,.,.,33,0\n1,3,16:00,0,.,.,12,0\n`;

  it('refuses a day-like column beside clock times without a date column (all doses read at 0 h: 0,0,0,1,8)', () => {
    for (const name of ['DAY', 'DY', 'STUDYDAY', 'NDAY', 'day'])
      expect(read(days(name))).toThrow(new RegExp(`^d\\.csv, row 2, column ${name}: clock times in TIME without a date column: ${name} is not read as the day.*where ${name} holds the study day, rename it DATE.*where it is no day, give it a name without DAY or DY`));
  });

  it('a part of the day, or values no day number takes, is no study day (SHIFT_DAY_NIGHT 1 → 2 renamed DATE read the 19:30 level a day late: CL 2.62 for 5.42)', () => {
    const chart = (name: string, a: string, b: string, c: string): string => `ID,${name},TIME,EVID,AMT,DV,MDV\n1,${a},08:00,1,1000,.,1\n1,${b},09:30,0,.,30,0\n1,${c},19:30,0,.,12,0\n`;
    for (const [name, a, b, c] of [['SHIFT_DAY_NIGHT', '1', '1', '2'], ['DAYTIME', '1', '1', '0'], ['DAY_NIGHT', '0', '0', '1'], ['HOUR_OF_DAY', '8', '9.5', '19.5'], ['DAYPART', '2', '1', '1'], ['DOSEDAY', '8', '9.5', '19.5']] as const)
      expect(times(chart(name, a, b, c)), name).toEqual([0, 1.5, 11.5]);
  });

  it('reads CDISC study-day names (PCDY, VISITDY, EXDY, DAYNUM, CYCLEDAY) as day columns: refused beside dateless clock times', () => {
    // PCDY was not read: day 1 08:00 and day 2 09:00 read 1 h apart (MAP CL 3.876 for 0.150)
    for (const name of ['PCDY', 'VISITDY', 'EXDY', 'DAYNUM', 'DAY_NUM', 'CYCLEDAY', 'TDAY']) expect(read(days(name)), name).toThrow(new RegExp(`column ${name}: clock times in TIME without a date column`));
    expect(times('ID,BODY,TIME,AMT\n1,1,08:00,100\n1,2,09:00,100\n')).toEqual([0, 1]);
  });

  it('reads any name holding DAY or ending in DY as a day column (EXSTDY went unread: CL 4.062 for 5.076 under DATE)', () => {
    for (const name of ['EXSTDY', 'EXENDY', 'ASTDY', 'AENDY', 'STDY', 'STUDY DAY', 'Study Day', 'CYCDAY', 'DOSEDAY', 'RELDAY', 'NOMDAY', 'VISDAY', 'DAY OF CYCLE', 'CYCLE.DAY'])
      expect(read(days(name)), name).toThrow(new RegExp(`column ${name.replace('.', '\\.')}: clock times in TIME without a date column`));
    // words ending in DY that are no day, and a constant day column beside a changing one
    for (const name of ['STUDY', 'BODY', 'STEADY']) expect(times(`ID,${name},TIME,AMT\n1,1,08:00,100\n1,2,09:00,100\n`), name).toEqual([0, 1]);
    expect(read('ID,STUDYID,VISITDY,EXSTDY,TIME,EVID,AMT,DV,MDV\n1,7,1,1,08:00,1,1000,.,1\n1,7,1,2,09:00,0,.,5,0\n')).toThrow(/row 2, column EXSTDY: clock times in TIME without a date column/);
  });

  it('a clock time typed into elapsed hours names the row that made TIME a column of clock times (it named only row 3, "25")', () => {
    expect(read('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n1,1:30,0,.,5,0\n1,25,0,.,4,0\n')).toThrow(
      /^d\.csv, row 3, column TIME: not a time of day \(0 to 24 h, or hh:mm\): TIME holds clock times \(row 2: 1:30\), so every row is read as one; if TIME holds elapsed hours, write that row in hours too/,
    );
  });

  it('carries a DAY written as a text label ("D1") that never changes (a column of text nothing reads), and refuses one that changes as a day not read', () => {
    expect(times('ID,DAY,TIME,EVID,AMT,DV,MDV\n1,D1,08:00,1,1000,.,1\n1,D1,10:00,0,.,5,0\n')).toEqual([0, 2]);
    expect(read('ID,DAY,TIME,EVID,AMT,DV,MDV\n1,D1,08:00,1,1000,.,1\n1,D2,10:00,0,.,5,0\n')).toThrow(/^d\.csv, row 2, column DAY: clock times in TIME without a date column/);
  });

  it('reads a one-day chart whose DAY is the same on every record of each ID (it was refused): 0 and 2 h', () => {
    // a DAY that never changes within an ID moves no time: 08:00 → 10:00 is 2 h, for each ID
    expect(times('ID,DAY,TIME,EVID,AMT,DV,MDV\n1,1,08:00,1,1000,.,1\n1,1,10:00,0,.,5,0\n2,4,09:00,1,1000,.,1\n2,4,12:30,0,.,5,0\n')).toEqual([0, 2, 0, 3.5]);
    expect(read('ID,DAY,TIME,EVID,AMT,DV,MDV\n1,1,08:00,1,1000,.,1\n2,4,09:00,1,1000,.,1\n2,5,08:00,0,.,5,0\n')).toThrow(/^d\.csv, row 3, column DAY: clock times in TIME without a date column/);
  });

  it('reads the same days under DATE: 0, 24, 48, 49, 56 h', () => {
    // python: hours from datetime(2026,3,1,8) to day 1..3 at 08:00, day 3 at 09:00 and 16:00 = [0, 24, 48, 49, 56]
    expect(times(days('DATE'))).toEqual([0, 24, 48, 49, 56]);
  });

  it('leaves a DAY column beside elapsed hours or timestamps alone', () => {
    expect(times('ID,DAY,TIME,AMT\n1,1,0,100\n1,2,24,100\n')).toEqual([0, 24]);
    expect(times('ID,DAY,TIME,AMT\n1,1,2026-03-01T08:00,100\n1,2,2026-03-02T08:00,100\n')).toEqual([0, 24]);
  });

  it('refuses a second dose of one ID at the same clock time without dates, naming both rows', () => {
    const csv = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,08:00,1,1000,1000,.,1\n1,08:00,0,.,.,5,0\n1,08:00,1,1000,1000,.,1\n1,09:00,0,.,.,33,0\n';
    expect(read(csv)).toThrow(/^d\.csv, row 3, column TIME: a second dose of ID 1 at 08:00 \(row 1 has one\), and the clock times carry no date.*Add a date column/);
  });

  it('keeps two doses at one time with a date column, in elapsed hours, and in different IDs (a bolus beside an infusion)', () => {
    expect(times('ID,DATE,TIME,EVID,AMT,RATE\n1,1,08:00,1,500,0\n1,1,08:00,1,1000,1000\n')).toEqual([0, 0]);
    expect(times('ID,TIME,EVID,AMT,RATE\n1,0,1,500,0\n1,0,1,1000,1000\n')).toEqual([0, 0]);
    expect(times('ID,TIME,EVID,AMT,RATE\n1,08:00,1,500,0\n2,08:00,1,1000,1000\n')).toEqual([0, 0]);
  });
});

describe('TIME cells plainly times but not read say what is', () => {
  const one = (time: string, date = ''): string => `ID,${date ? 'DATE,' : ''}TIME,AMT\n1,${date ? `${date},` : ''}${time},100\n`;
  it.each([
    ['03/28/2026 20:00', '', /a date and a time in one cell: give the date in a date column \(DATE month\/day\/year, DAT1 day\/month\/year\) and the clock time in TIME/],
    ['2026-03-28T20', '', /a timestamp without minutes: write hh:mm/],
    ['2026-03-28 20:00:00 UTC', '', /a time-zone name is not read: write a UTC offset right after the time/],
    ['20:00+01:00', '03/28/2026', /a clock time with a UTC offset: an offset is read only in a full timestamp/],
    ['2026-03-29T08:00:00 +02:00', '', /a space before the UTC offset: write it right after the time \(2026-03-29T08:00:00\+02:00\)/],
  ])('%s', (time, date, why) => {
    expect(read(one(time, date))).toThrow(new RegExp(`^d\\.csv, row 1, column TIME: ${why.source}`));
  });

  it('names the form beside clock times too (it was "every row needs one")', () => {
    expect(read('ID,TIME,AMT\n1,2026-03-28T20:00+01:00,100\n1,2026-03-29T08:00:00 +02:00,0\n')).toThrow(/row 2, column TIME: a space before the UTC offset/);
  });
});

describe('II and EVID messages', () => {
  it('gives the h:mm duration hint for II 1:5, as for 12:75 (it was "not a number")', () => {
    for (const ii of ['1:5', '12:75']) expect(read(`ID,TIME,AMT,II,ADDL\n1,0,100,${ii},2\n`)).toThrow(/row 1, column II: not a duration \(h:mm or h:mm:ss/);
  });

  it('refuses II on an observation row without EVID as an observation, not as a constant infusion', () => {
    expect(read('ID,TIME,AMT,II,DV\n1,0,100,.,.\n1,1,.,12,3\n')).toThrow(/^d\.csv, row 2, column II: an observation record \(EVID 0\) gives no dose, so II must be 0/);
    // RATE there is still the constant-infusion case
    expect(read('ID,TIME,AMT,RATE,SS,DV\n1,0,0,50,1,.\n')).toThrow(/needs an EVID column with EVID 1/);
  });
});

describe('unnamed columns', () => {
  it('blames the trailing unnamed column holding a value beside R row names (it blamed column 1)', () => {
    const csv = '"",ID,TIME,EVID,AMT,DV,MDV,\n"1",1,0,1,100,.,1,x\n"2",1,1,0,.,3,0,\n';
    expect(read(csv)).toThrow(/^d\.csv, row 1, column #8: column 8 has no name but holds a value.*\(got "x"\)$/);
  });

  it("reads an R write.csv covariate table with row names (it was refused as column 1 holding a value)", () => {
    const t = parseCovariateTable('"","WT"\n"1",50\n"2",100\n', { file: 'rtab.csv' });
    expect(t.columns).toEqual(['WT']);
    expect([...(t.values[0] as Float64Array)]).toEqual([50, 100]);
    expect(t.rows).toBe(2);
  });

  it('refuses an unnamed covariate-table column holding a value elsewhere, as the data set does', () => {
    expect(() => parseCovariateTable('WT,,AGE\n50,3,40\n', { file: 'rtab.csv' })).toThrow(/^rtab\.csv, row 1, column #2: column 2 has no name but holds a value/);
    expect(() => parseCovariateTable('"","WT",\n"1",50,x\n', { file: 'rtab.csv' })).toThrow(/rtab\.csv, row 1, column #3: column 3 has no name/);
    expect(parseCovariateTable('WT,AGE,\n50,40,\n').columns).toEqual(['WT', 'AGE']);
  });
});

describe('clock times written without a colon', () => {
  // 0800, 0930, 1930 read as 800, 930, 1930 h: levels of 15 at 1.5 h and 3 at 11.5 h after the dose
  // (k = ln 5 / 10, CL ≈ 8.4 L/h by hand) gave MAP CL 0.187 with exit 0
  it('refuses a TIME of four digits with a leading zero, naming file, row, column and value', () => {
    expect(read('ID,TIME,EVID,AMT,DV,MDV\n1,0800,1,1000,.,1\n1,0930,0,.,15,0\n1,1930,0,.,3,0\n')).toThrow(/^d\.csv, row 1, column TIME: 0800 reads as a clock time without a colon: write 08:00 \(with a DATE column, or ISO timestamps such as 2026-03-04T08:00\) or hours since the first record \(hours written with leading zeros, 0800 for 800 h: write 800\) \(got "0800"\)$/);
  });

  it('reads hours without a leading zero as hours, as NONMEM does (800, 1930)', () => {
    expect(times('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,1000,.,1\n1,800,0,.,15,0\n1,1930,0,.,3,0\n1,0.5,0,.,3,0\n'.replace('1,0.5,0,.,3,0\n', ''))).toEqual([0, 800, 1930]);
    expect(times('ID,TIME,AMT\n1,0,100\n1,0.25,100\n1,012.5,100\n')).toEqual([0, 0.25, 12.5]);
  });
});
