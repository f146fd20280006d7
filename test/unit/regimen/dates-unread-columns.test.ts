// Dates, clock times and study days that were not read: a date column not named DATE
// carried as text beside dateless clock times (ADT: a level a day after its dose read 2 h after it,
// MAP V 117.2 for 68.5), one ID's day going back turning the day check off for every ID (CYCDAY 1, 8,
// 1, 2: the C1D8 level read 1 h after the dose), CDISC days −1 → 1 renamed DATE read 48 h apart,
// rates and flags refused as days, 20.30 among clock times read 20:18, and a European chart's dates
// read month-first 720 h apart without a word. Reference hours are python datetime differences and
// levels the one-compartment bolus closed form C = (D/V)·e^(−CL/V·t), computed when the tests were
// written (quoted beside each value).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { isDateText } from '../../../src/regimen/clock.js';
import { builtinModel } from '../../../src/index.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';

const times = (csv: string): number[] => readNmtran(csv, { file: 'd.csv' }).records.map((r) => r.TIME);
const read = (csv: string) => (): unknown => readNmtran(csv, { file: 'd.csv' });
/** adt.csv: a dose on the first date at 08:00, a level on the second at 10:00 (26 h later), the dates under `column`. */
const adt = (column: string, d1: string, d2: string): string =>
  `ID,USUBJID,${column},TIME,EVID,AMT,RATE,DV,MDV\n1,VAN-001,${d1},08:00,1,1000,1000,.,1\n1,VAN-001,${d2},10:00,0,.,.,4.0,0\n`;

describe('a date column not named DATE beside clock times without a date', () => {
  it('is refused, naming file, row, column and value, whatever its name and date form (it was carried as text: 2 h for 26 h)', () => {
    const names = ['ADT', 'EXSTDT', 'PCDAT', 'PCDTC', 'SAMPLE_DATE', 'Date of sample', 'VISITDATE', 'Datum', 'Fecha'];
    // ISO, month/day/year, SAS's DATE9 and SAS day numbers (days since 1960-01-01: python (date(2026,3,4) - date(1960,1,1)).days = 24169)
    const forms = [['2026-03-04', '2026-03-05'], ['03/04/2026', '03/05/2026'], ['04MAR2026', '05MAR2026'], ['24169', '24170']];
    for (const name of names)
      for (const [a, b] of forms)
        expect(read(adt(name, a as string, b as string)), `${name} ${a}`).toThrow(
          new RegExp(`^d\\.csv, row 2, column ${name}: clock times in TIME without a date column: ${name} is not read as the date, and it changes within ID 1.*rename it DATE.*or drop it \\(got "${b}"\\)$`),
        );
  });

  it('named DATE, the level reads 26 h after the dose', () => {
    // python: (datetime(2026,3,5,10) - datetime(2026,3,4,8)).total_seconds() / 3600 = 26.0
    expect(times(adt('DATE', '2026-03-04', '2026-03-05'))).toEqual([0, 26]);
    expect(times(adt('DATE', '24169', '24170'))).toEqual([0, 26]);
  });
});

describe('a date or clock time in a column nothing reads', () => {
  it('is refused beside clock times without a date column, saying how to have it read or to drop it', () => {
    expect(read('ID,TIME,AMT,DV,EVID,MDV,ATM,ENDTIME\n1,08:00,1000,.,1,1,08:00,09:00\n1,10:00,0,.,0,0,10:00,.\n')).toThrow(
      /^d\.csv, row 1, column ATM: a clock time in ATM, which is not read: clock times are read only in TIME \(with a DATE column for their dates\); give the times in TIME, or drop ATM \(got "08:00"\)$/,
    );
    expect(read('ID,TIME,AMT,DV,EVID,MDV,EXSTDTC\n1,08:00,1000,.,1,1,2026-03-04T08:00\n')).toThrow(
      /^d\.csv, row 1, column EXSTDTC: a date in EXSTDTC, which is not read \(dates are read only from DATE, DAT1, DAT2 or DAT3\): to have them read, name the column DATE .*or drop EXSTDTC \(got "2026-03-04T08:00"\)$/,
    );
  });

  it('is carried beside elapsed hours or dated clock times, where nothing is misread (such charts were refused before)', () => {
    // t1_adpc.csv: ADT/ATM/ADTM beside TIME in elapsed hours; h1_dob.csv: a DOB beside DATE and TIME;
    // t2b_notes.csv: SCHEDULED 08:00 beside DATE and TIME. python: (datetime(2026,3,5,10) - datetime(2026,3,4,8)) / 1 h = 26.0
    const t1 = readNmtran('ID,USUBJID,ADT,ATM,ADTM,ADY,TIME,EVID,AMT,RATE,DV,MDV\n1,STUDY1-01-001,2026-03-04,08:00,2026-03-04T08:00,1,0,1,1000,1000,.,1\n1,STUDY1-01-001,2026-03-05,10:00,2026-03-05T10:00,2,26,0,.,.,1.56,0\n', { file: 'd.csv' });
    expect(t1.records.map((r) => r.TIME)).toEqual([0, 26]);
    expect(t1.records[1]?.text).toEqual({ USUBJID: 'STUDY1-01-001', ADT: '2026-03-05', ATM: '10:00', ADTM: '2026-03-05T10:00' });
    expect(times('ID,DOB,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,05/12/1950,03/04/2026,08:00,1,1000,1000,.,1\n1,05/12/1950,03/05/2026,10:00,0,.,.,1.56,0\n')).toEqual([0, 26]);
    expect(times('ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,SCHEDULED\n1,03/04/2026,08:00,1,1000,1000,.,1,08:00\n1,03/05/2026,10:00,0,.,.,1.56,0,09:00\n')).toEqual([0, 26]);
  });

  it('other text is carried: USUBJID, an arm, SEX as M/F, a note', () => {
    const d = readNmtran('ID,USUBJID,ARM,SEX,NOTE,TIME,EVID,AMT,DV,MDV\n1,VAN-001,Vanco q12h,M,pump 2,08:00,1,1000,.,1\n1,VAN-001,Vanco q12h,M,late,10:00,0,.,4,0\n', { file: 'd.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 2]);
    expect(d.records[0]?.text).toEqual({ USUBJID: 'VAN-001', ARM: 'Vanco q12h', SEX: 'M', NOTE: 'pump 2' });
  });
});

describe('a study day judged per ID', () => {
  it('refuses a day going back within an ID (CYCDAY 1, 8, 1, 2 passed: the C1D8 level read 1 h after the dose)', () => {
    expect(read('ID,CYCLE,CYCDAY,TIME,AMT,DV,EVID,MDV\n1,1,1,08:00,1000,.,1,1\n1,1,8,09:00,0,.,0,0\n1,2,1,10:00,1000,.,1,1\n1,2,2,11:00,0,.,0,0\n')).toThrow(
      /^d\.csv, row 2, column CYCDAY: clock times in TIME without a date column: CYCDAY is not read as the day, and it changes within ID 1/,
    );
  });

  it("one ID's day going back no longer turns the check off for another (pcdy2.csv: ID 1's level read 1 h after its dose)", () => {
    expect(read('ID,PCDY,TIME,AMT,DV,EVID,MDV\n1,1,08:00,1000,.,1,1\n1,2,09:00,0,.,0,0\n2,2,08:00,1000,.,1,1\n2,1,10:00,0,.,0,0\n')).toThrow(/^d\.csv, row 2, column PCDY: .*changes within ID 1/);
    // the ID whose day changes is named, another's constant day passes
    expect(read('ID,PCDY,TIME,AMT,DV,EVID,MDV\n1,1,08:00,1000,.,1,1\n1,1,09:00,0,.,0,0\n2,2,08:00,1000,.,1,1\n2,1,10:00,0,.,0,0\n')).toThrow(/^d\.csv, row 4, column PCDY: .*changes within ID 2/);
    // an ID with fractions there holds hours, not days; another ID's change is still refused
    expect(read('ID,DOSEDAY,TIME,AMT,DV,EVID,MDV\n1,8,08:00,1000,.,1,1\n1,9.5,09:30,0,.,0,0\n2,1,08:00,1000,.,1,1\n2,2,08:00,0,.,0,0\n')).toThrow(/^d\.csv, row 4, column DOSEDAY: .*changes within ID 2/);
  });

  it('a rate per day is no day (DOSES_PER_DAY 2 → 3 was refused): 0, 6, 7 h', () => {
    expect(times('ID,TIME,DOSES_PER_DAY,AMT,DV,EVID,MDV\n1,08:00,2,1000,.,1,1\n1,14:00,3,1000,.,1,1\n1,15:00,3,0,.,0,0\n')).toEqual([0, 6, 7]);
  });

  it('says to add a DATE column where the model reads the day column (renaming PNADAYS broke the model), and to shift CDISC days', () => {
    expect(read('ID,TIME,PNADAYS,AMT,DV,EVID,MDV,WT\n1,08:00,3,10,.,1,1,0.45\n1,20:00,3,0,.,0,0,0.45\n1,08:00,4,10,.,1,1,0.45\n')).toThrow(
      /row 3, column PNADAYS: .*where PNADAYS holds the study day, rename it DATE \(or, where the model reads PNADAYS, add a DATE column of the same days\).*CDISC study days have no day 0, so first add 1 to every negative day: -1 → 0/,
    );
  });
});

describe('CDISC study days under DATE', () => {
  const c4 = (d1: string, d2: string): string => `ID,USUBJID,DATE,TIME,AMT,DV,EVID,MDV\n1,A-1,${d1},08:00,1000,.,1,1\n1,A-1,${d2},08:00,0,.,0,0\n`;

  it('refuses day numbers from negative to positive without a day 0 (day −1 → 1 read 48 h: IPRED 0.1646 for 1.814)', () => {
    expect(read(c4('-1', '1'))).toThrow(/^d\.csv, row 2, column DATE: day numbers from -1 \(row 1\) to 1 without a day 0: DATE counts a day 0, so day -1 to day 1 reads 48 h; CDISC study days \(--DY\) skip day 0: add 1 to every negative day/);
    // with a day 0, or all on one side of it, the numbers are read as written
    expect(times('ID,DATE,TIME,AMT\n1,-2,08:00,100\n1,0,08:00,100\n1,1,08:00,100\n')).toEqual([0, 48, 72]);
    expect(times('ID,DATE,TIME,AMT\n1,-2,08:00,100\n1,-1,08:00,100\n')).toEqual([0, 24]);
  });

  it('shifted as the message says, the level 24 h after the dose is the closed form', () => {
    const recs = readNmtran(c4('0', '1'), { file: 'd.csv' }).records;
    expect(recs.map((r) => r.TIME)).toEqual([0, 24]);
    // python: 1000/50 * exp(-5/50 * 24) = 1.8143590657882493 (day −1 → 1 at 48 h gave 0.16459494098040045)
    const ipred = simulate(builtinModel('1cmt-iv', { CL: 5, V: 50 }), [...recs]).ipred;
    expect(Math.abs((ipred[1] as number) / 1.8143590657882493 - 1)).toBeLessThan(1e-12);
  });
});

describe('two decimals among clock times', () => {
  const chart = (t: string): string => `ID,TIME,AMT,DV,EVID,MDV\n1,08:00,1000,.,1,1\n1,${t},0,.,0,0\n`;

  it('refuses 20.30, 08.45 and 9.60, naming row and value and what they read as (20.30 read 20:18: IPRED 5.846 for 5.730)', () => {
    expect(read(chart('20.30'))).toThrow(/^d\.csv, row 2, column TIME: hours of the day with two decimals among clock times \(row 1: 08:00\): 20\.30 is read as 20:18; write 20:30 for 20 h 30 min, or write 20:18 where 20:18 is meant \(got "20\.30"\)$/);
    expect(read(chart('08.45'))).toThrow(/08\.45 is read as 08:27; write 08:45 for 8 h 45 min/);
    expect(read(chart('9.60'))).toThrow(/9\.60 is read as 09:36; 60 is no minute \(00 to 59\)/);
  });

  it('reads 20:30, 20.5, 14.75 and 08.00 as before: 12.5, 12.5, 6.75 and 0 h', () => {
    // 20:30 − 08:00 = 12.5 h, the level the chart meant: python 1000/50 * exp(-0.1 * 12.5) = 5.730095937203802
    for (const [t, h] of [['20:30', 12.5], ['20.5', 12.5], ['14.75', 6.75], ['08.00', 0]] as const) expect(times(chart(t)), t).toEqual([0, h]);
  });
});

describe('dates read month-first on a day-first chart', () => {
  // eu.csv: daily doses (II 24) on 4 and 5 March written 04/03/2026 and 05/03/2026
  const eu = (column: string): string =>
    `ID,${column},TIME,EVID,AMT,RATE,II,DV,MDV\n1,04/03/2026,08:00,1,400,800,24,.,1\n1,05/03/2026,08:00,1,400,800,24,.,1\n1,05/03/2026,09:30,0,.,.,.,17.5,0\n1,05/03/2026,16:00,0,.,.,.,7.9,0\n`;

  it('warns W_DATE_ORDER where doses with II 24 read 720 h apart under DATE, naming the rows and the dates as read', () => {
    const d = readNmtran(eu('DATE'), { file: 'eu.csv' });
    // python: (datetime(2026,5,3,8) - datetime(2026,4,3,8)).total_seconds() / 3600 = 720.0
    expect(d.records.map((r) => r.TIME)).toEqual([0, 720, 721.5, 728]);
    expect(d.warnings).toEqual([
      'W_DATE_ORDER: eu.csv, rows 1 and 2 (ID 1): doses with II 24 h read 720 h apart, DATE 04/03/2026 as 3 April 2026 and 05/03/2026 as 3 May 2026 (DATE is month/day/year); if the chart writes the day first, name the column DAT1 (day/month/year); if it writes the month first, as read, write the dates ISO (2026-04-03 for 04/03/2026), which silences this warning',
    ]);
  });

  it('reads them under DAT1 24 h apart, without a warning; ISO dates and doses II apart give none either', () => {
    // python: (datetime(2026,3,5,8) - datetime(2026,3,4,8)).total_seconds() / 3600 = 24.0
    const d = readNmtran(eu('DAT1'), { file: 'eu.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 24, 25.5, 32]);
    expect(d.warnings).toBeUndefined();
    expect(readNmtran('ID,DATE,TIME,EVID,AMT,II\n1,2026-03-04,08:00,1,400,24\n1,2026-04-03,08:00,1,400,24\n', { file: 'd.csv' }).warnings).toBeUndefined();
    expect(readNmtran('ID,DATE,TIME,EVID,AMT,II\n1,03/04/2026,08:00,1,400,24\n1,03/05/2026,08:00,1,400,24\n', { file: 'd.csv' }).warnings).toBeUndefined();
  });

  it('every command says it once, as a warning on stderr', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-eu-'));
    try {
      const f = join(dir, 'eu.csv');
      writeFileSync(f, eu('DATE'));
      const r = await cli(['simulate', '--model', '1cmt-iv', '--param', 'CL=5', '--param', 'V=50', '--data', f]);
      expect(r.code).toBe(0);
      expect(r.err.match(/dosewise: warning: W_DATE_ORDER: .*eu\.csv, rows 1 and 2 \(ID 1\)/g)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The reference is simulate --model 1cmt-iv CL=5 V=50, 1000 mg over 1 h: python
// 1000*(1-exp(-0.1))/0.1/50*exp(-0.1*(t-1)) = 1.5622840819129837 at 26 h, 17.22133299159555 at 2 h,
// 13.75151370244499 at 4.25 h; hours are python datetime differences.
const ipredAt = (csv: string, row: number): number => simulate(builtinModel('1cmt-iv', { CL: 5, V: 50 }), [...readNmtran(csv, { file: 'd.csv' }).records]).ipred[row - 1] as number;

describe('a day column of 0 and 1 beside clock times without a date (f1_day01.csv: 2 h for 26 h, IPRED 17.221 for 1.562)', () => {
  it('is refused as a day that changes, saying to rename a flag without DAY', () => {
    expect(read('ID,DAY,TIME,EVID,AMT,RATE,DV,MDV\n1,0,08:00,1,1000,1000,.,1\n1,1,10:00,0,.,.,1.56,0\n')).toThrow(
      /^d\.csv, row 2, column DAY: clock times in TIME without a date column: DAY is not read as the day, and it changes within ID 1.*if DAY is a flag, not a day, rename it without DAY;.*or drop it \(got "1"\)$/,
    );
    expect(read('ID,TIME,HD_DAY,AMT,DV,EVID,MDV\n1,08:00,0,1000,.,1,1\n1,14:00,1,0,.,0,0\n')).toThrow(/row 2, column HD_DAY: .*if HD_DAY is a flag, not a day, rename it without DAY/);
  });

  it('renamed DATE as the message says, the level reads 26 h after the dose: IPRED 1.5623', () => {
    const csv = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,0,08:00,1,1000,1000,.,1\n1,1,10:00,0,.,.,1.56,0\n';
    expect(times(csv)).toEqual([0, 26]);
    expect(Math.abs(ipredAt(csv, 2) / 1.5622840819129837 - 1)).toBeLessThan(1e-9);
  });
});

describe('four digits among clock times or beside a date column (m1.csv: 0015 read as 15:00, IPRED 3.146 for 13.75)', () => {
  it('refuses a leading-zero time without its colon, naming the row and how to write it', () => {
    expect(read('ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,03/04/2026,20:00,1,1000,1000,.,1\n1,03/05/2026,0015,0,.,.,5,0\n')).toThrow(/^d\.csv, row 2, column TIME: a clock time without its colon: write 00:15 \(got "0015"\)$/);
    expect(read('ID,TIME,EVID,AMT,DV,MDV\n1,20:00,1,1000,.,1\n1,0015,0,.,5,0\n')).toThrow(/row 2, column TIME: a clock time without its colon: write 00:15/);
    // d9_hhmm.csv, m5.csv: the advice was "remove the DATE column"
    expect(read('ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,03/04/2026,0800,1,1000,1000,.,1\n1,03/05/2026,1000,0,.,.,1.56,0\n')).toThrow(/^d\.csv, row 1, column TIME: a clock time without its colon: write 08:00 \(got "0800"\)$/);
  });

  it('written 00:15, the level reads 4.25 h after the dose: IPRED 13.7515; hours of the day still read', () => {
    const csv = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,03/04/2026,20:00,1,1000,1000,.,1\n1,03/05/2026,00:15,0,.,.,5,0\n';
    expect(times(csv)).toEqual([0, 4.25]);
    expect(Math.abs(ipredAt(csv, 2) / 13.75151370244499 - 1)).toBeLessThan(1e-9);
    expect(times('ID,DATE,TIME,EVID,AMT\n1,03/04/2026,8,1,1000\n1,03/04/2026,14.75,0,0\n')).toEqual([0, 6.75]);
  });
});

describe('identifiers shaped like dates or ratios beside clock times without a date', () => {
  it('isDateText takes dates, not a subject id, a lot, a room, a version', () => {
    for (const s of ['2026-03-04', '03/04/2026', '3/4/26', '04.03.26', '4.3.2026', '04MAR2026', '2026-03-04T08:00', '2026-01-12']) expect(isDateText(s), s).toBe(true);
    for (const s of ['01-02-103', '12-05-2231', '4-12-30', '1.2.10', '2026-13-40', '13/13/2026', '1:10']) expect(isDateText(s), s).toBe(false);
  });

  it('carries SUBJID 01-02-103, LOT 12-05-2231, ROOM 4-12-30, 1.2.10 and a DILUTION 1:10 (t3, i4, i5, t4, t5): 0 and 2 h', () => {
    for (const [c, v] of [['SUBJID', '01-02-103'], ['LOT', '12-05-2231'], ['ROOM', '4-12-30'], ['ASSAYVER', '1.2.10']])
      expect(times(`ID,${c},TIME,EVID,AMT,DV,MDV\n1,${v},08:00,1,1000,.,1\n1,${v},10:00,0,.,5,0\n`), c).toEqual([0, 2]);
    // one h:mm-shaped cell is a ratio, not a column of clock times
    expect(times('ID,DILUTION,TIME,EVID,AMT,DV,MDV\n1,.,08:00,1,1000,.,1\n1,1:10,10:00,0,.,5,0\n')).toEqual([0, 2]);
  });

  it('refuses a date shape (USUBJID 2026-01-12) and a column of clock times there', () => {
    expect(read('ID,USUBJID,TIME,EVID,AMT,DV,MDV\n1,2026-01-12,08:00,1,1000,.,1\n')).toThrow(/row 1, column USUBJID: a date in USUBJID/);
    expect(read('ID,SCHED,TIME,EVID,AMT,DV,MDV\n1,08:00,08:00,1,1000,.,1\n1,10:00,10:00,0,.,5,0\n')).toThrow(/row 1, column SCHED: a clock time in SCHED/);
  });
});

describe('names that hold DATE or DAY but are neither', () => {
  it('carries UPDATED_BY, VALIDATED, SEDATED and MGKGDAY 30 → 20 (t6, t7, s1, t8 were refused): 0, 2, 6 h', () => {
    for (const [c, a, b, z] of [['UPDATED_BY', 'JS', 'MK', 'MK'], ['VALIDATED', '.', 'N', 'Y'], ['SEDATED', 'N', 'N', 'Y'], ['MGKGDAY', '30', '30', '20'], ['MG_DAY', '30', '30', '20']])
      expect(times(`ID,TIME,EVID,AMT,RATE,DV,MDV,${c}\n1,08:00,1,1000,1000,.,1,${a}\n1,10:00,0,.,.,15.9,0,${b}\n1,14:00,1,750,750,.,1,${z}\n`), c).toEqual([0, 2, 6]);
  });

  it('keeps refusing DATE as a word part (DATEOFDOSE, ADATE) with dates in it', () => {
    for (const c of ['DATEOFDOSE', 'ADATE', 'Dose date'])
      expect(read(`ID,${c},TIME,EVID,AMT\n1,2026-03-04,08:00,1,1000\n1,2026-03-05,10:00,0,0\n`), c).toThrow(/row 2, column .*: clock times in TIME without a date column/);
  });
});

describe('W_DATE_ORDER only where the day-first reading fits the dosing (w1, w5 were warned)', () => {
  it('says nothing of q12h doses held 3 days (US dates): 0 … 119.5 h', () => {
    const d = readNmtran('ID,DATE,TIME,EVID,AMT,RATE,II,DV,MDV\n1,03/01/2026,08:00,1,1000,1000,12,.,1\n1,03/01/2026,20:00,1,1000,1000,12,.,1\n1,03/02/2026,08:00,1,1000,1000,12,.,1\n1,03/02/2026,18:00,0,.,.,.,25,0\n1,03/05/2026,08:00,1,750,750,12,.,1\n1,03/05/2026,20:00,1,750,750,12,.,1\n1,03/06/2026,07:30,0,.,.,.,8,0\n', { file: 'd.csv' });
    // python: (datetime(2026,3,6,7,30) - datetime(2026,3,1,8)) / 1 h = 119.5
    expect(d.records.map((r) => r.TIME)).toEqual([0, 12, 24, 34, 96, 108, 119.5]);
    expect(d.warnings).toBeUndefined();
  });

  it('says nothing across an EVID 4 reset three months later', () => {
    const d = readNmtran('ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,03/04/2026,08:00,1,1000,1000,12,5,.,1\n1,03/06/2026,19:30,0,.,.,.,.,9.5,0\n1,06/10/2026,08:00,4,1000,1000,12,5,.,1\n1,06/12/2026,19:30,0,.,.,.,.,9.1,0\n', { file: 'd.csv' });
    expect(d.warnings).toBeUndefined();
  });
});

describe('a visit label naming the day beside clock times without a date (v1_visit.csv: IPRED 17.22 for 1.562)', () => {
  it('is refused where the day changes within an ID, and "Day 1" and "DAY 1" are one day', () => {
    expect(read('ID,AVISIT,TIME,EVID,AMT,RATE,DV,MDV\n1,Day 1,08:00,1,1000,1000,.,1\n1,Day 2,10:00,0,.,.,1.56,0\n')).toThrow(/^d\.csv, row 2, column AVISIT: clock times in TIME without a date column: AVISIT holds visit labels, which are not read as days, and it changes within ID 1/);
    expect(read('ID,AVISIT,TIME,EVID,AMT\n1,Cycle 1 Day 1,08:00,1,1000\n1,Cycle 1 Day 8,10:00,0,0\n')).toThrow(/row 2, column AVISIT/);
    expect(times('ID,AVISIT,TIME,EVID,AMT,RATE,DV,MDV\n1,Day 1,08:00,1,1000,1000,.,1\n1,DAY 1,10:00,0,.,.,17.2,0\n')).toEqual([0, 2]);
  });
});

describe('the visit-label refusal says what works (d6.csv, d7.csv: it said "rename it DATE", then "not a date (got "Day 1")")', () => {
  const chart = (column: string, a: string, b: string, extra = ''): string =>
    `ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,${column}${extra ? ',DATE' : ''}\n1,08:00,1000,1000,.,1,1,1,${a}${extra ? ',1' : ''}\n1,09:30,.,.,30,0,0,1,${a}${extra ? ',1' : ''}\n1,08:00,1000,1000,.,1,1,1,${b}${extra ? `,${extra}` : ''}\n`;
  it('names a DATE column of dates or study-day numbers, or elapsed TIME; no rename, no "name without DAY"', () => {
    for (const [column, a, b] of [['AVISIT', 'Day 1', 'Day 2'], ['VISIT', 'Cycle 1 Day 1', 'Cycle 1 Day 8'], ['DAY', 'Day 1', 'Day 2']] as const) {
      const run = read(chart(column, a, b));
      expect(run, column).toThrow(new RegExp(`^d\\.csv, row 3, column ${column}: clock times in TIME without a date column: ${column} holds visit labels, which are not read as days.*add a DATE column with each record's date \\(month/day/year, or ISO 2026-03-04\\) or its study-day number.*or give TIME as hours since the first record; ${column} may stay beside it \\(got "${b}"\\)$`));
      expect(run, column).not.toThrow(/rename|name without/);
    }
  });
  it('and what it says is read: a DATE of study-day numbers beside the label puts day 2 at 24 h', () => {
    expect(times(chart('AVISIT', 'Day 1', 'Day 2', '2'))).toEqual([0, 1.5, 24]);
    expect(times(chart('VISIT', 'Cycle 1 Day 1', 'Cycle 1 Day 8', '8'))).toEqual([0, 1.5, 168]);
  });
});
