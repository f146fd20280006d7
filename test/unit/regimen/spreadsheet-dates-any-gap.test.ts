// Spreadsheet charts that still read wrong hours with exit 0 after the
// first fixes (ac2f012/f16751d/23093b8), each judged by a rule that held only near its repro:
// compact dates refused only where their reading lay 1-7 days apart (0325 -> 0402, mmdd 8 days,
// read 77 days apart: ETA_CL -1.114 for 0.0309, IPRED at the 0402 dose 2.25e-27 for 12.712; 30426
// -> 31226, mmddyy, 800 days), two-digit years only where the year stepped by one (26-03-04 ->
// 26-03-06 under DAT1 read 17,520 h apart for 48), Excel's serial date-times in TIME only where an
// ID's doses lay under 1 apart twice (daily doses: IPRED 64.97 at 71.5 h for 4.6166; and a
// multi-year chart of elapsed hours, a bolus and an infusion 0.5 h later, was refused), Excel's
// fraction of a day only where every time was one (0.333333 doses beside 09:30 levels read 00:20:
// IPRED 5.8876 at 09:30 for 24.3175). Reference: test/oracle/spreadsheet_dates_gaps.py (the
// ref_map.py / ref_sims.py, matrix exponential).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const ref = JSON.parse(readFileSync('test/oracle/spreadsheet-dates-gaps.json', 'utf8')) as Record<string, Record<string, number>>;
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const read = (csv: string, file = 'd.csv') => (): unknown => readNmtran(csv, { file });
const times = (csv: string): number[] => readNmtran(csv).records.map((r) => r.TIME);

/** IPRED of a chart at the oracle's times (relative error measured ~1e-9). */
function expectMeant(csv: string, name: string): void {
  const d = readNmtran(csv);
  const sim = simulate(wmap, d.records);
  const t = d.records.map((r) => r.TIME);
  for (const [h, c] of Object.entries(ref[name] as Record<string, number>)) {
    const k = t.lastIndexOf(Number(h));
    expect(k).toBeGreaterThanOrEqual(0);
    expect(Math.abs((sim.ipred[k] as number) - c) / c).toBeLessThan(1e-6);
  }
}

const H = 'ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV';
/** b3_mmdd_q12.csv: q12h ADDL 15 from the first date 08:00, a dose and two levels on the second. */
const q12 = (header: string, first: string, second: string): string =>
  `${header}\n1,${first},08:00,1,1000,1000,12,15,.,1\n1,${first},09:30,0,.,.,.,.,27.57698,0\n1,${second},08:00,1,1000,1000,.,.,.,1\n1,${second},09:30,0,.,.,.,.,38.5,0\n1,${second},19:30,0,.,.,.,.,12.0,0\n`;

describe('compact dates more than a week apart (b3_mmdd_q12.csv, b4_mmddyy5_gap8.csv)', () => {
  it('mmdd 0325 -> 0402 (8 days, read 77) is refused naming the column, row, value, both readings and what to write', () => {
    expect(read(q12(H, '0325', '0402'), 'b3_mmdd_q12.csv')).toThrow(
      /^b3_mmdd_q12\.csv, row 3, column DATE: day numbers 0325 \(row 2\) and 0402 of ID 1 lie 77 days apart, where read as compact dates \(mmdd\) they are 25 March and 2 April, 8 days apart \(every day number of DATE reads as a date in mmdd; if they are a study's days, give TIME as hours since the first record, without DATE\); .*write the dates in full \(with their year\) \(got "0402"\)$/,
    );
    // 16 days, a month, and a weekly level over a month end
    expect(read(q12(H, '0320', '0405'))).toThrow(/row 3, column DATE: .*20 March and 5 April, 16 days apart/);
    expect(read(q12(H, '0115', '0215'))).toThrow(/row 3, column DATE: .*15 January and 15 February, 31 days apart/);
  });
  it('the chart with its year reads the hours meant: IPRED at 192, 193.5, 203.5 h within 1e-6 of the oracle (12.712 at the dose read 1848 h)', () => {
    expectMeant(q12(H, '03/25/2026', '04/02/2026'), 'mmdd_q12');
    expectMeant(q12(H.replace('DATE', 'DAT2'), '2026-03-25', '2026-04-02'), 'mmdd_q12');
  });
  it('five digits: mmddyy 30426 -> 31226 (8 days, read 800) is refused, with the date in full', () => {
    const csv = 'ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,30426,08:00,1,1000,1000,12,19,.,1\n1,30426,09:30,0,.,.,.,.,27.57698,0\n1,31226,07:30,0,.,.,.,.,12.5,0\n';
    expect(read(csv, 'b4_mmddyy5_gap8.csv')).toThrow(/^b4_mmddyy5_gap8\.csv, row 3, column DATE: day numbers 30426 \(row 2\) and 31226 of ID 1 lie 800 days apart, where read as compact dates \(mmddyy\) they are 2026-03-04 and 2026-03-12, 8 days apart .*write the dates in full \(03\/12\/2026 or 2026-03-12 for 31226\) \(got "31226"\)$/);
  });
  it('ddmm parts from day numbers at every change of day: 1503 -> 1504 (a month, read 1 day) and 2003 -> 0504 (read backwards) are refused', () => {
    expect(read(q12(H.replace('DATE', 'DAT1'), '1503', '1504'))).toThrow(/row 3, column DAT1: day numbers 1503 \(row 2\) and 1504 of ID 1 lie 1 day apart, where read as compact dates \(ddmm\) they are 15 March and 15 April, 31 days apart/);
    expect(read(q12(H.replace('DATE', 'DAT1'), '2003', '0504'))).toThrow(/row 3, column DAT1: day numbers 2003 \(row 2\) and 0504 of ID 1 lie 1,499 days back, where read as compact dates \(ddmm\) they are 20 March and 5 April, 16 days apart/);
  });
  it('study days are read as before: a day number that is no compact date (1, 13, 100, 132) makes the column one of days', () => {
    expect(times(q12(H, '1', '331'))).toEqual([0, 1.5, 7920, 7921.5, 7931.5]);
    expect(times(q12(H, '100', '177'))).toEqual([0, 1.5, 1848, 1849.5, 1859.5]);
    expect(times(q12(H, '0131', '0132'))).toEqual([0, 1.5, 24, 25.5, 35.5]);
    // mmdd within a month agrees with day numbers (ddmm cannot read 0329): read as written
    expect(times(q12(H, '0321', '0329'))).toEqual([0, 1.5, 192, 193.5, 203.5]);
    // one ID's day number that is no compact date decides for the column
    expect(readNmtran(`${q12(H, '0325', '0402')}${q12(H, '7', '8').split('\n').slice(1).join('\n').replaceAll(/^1,/gm, '2,')}`.trim()).records.filter((r) => r.ID === 1).map((r) => r.TIME)).toEqual([0, 1.5, 1848, 1849.5, 1859.5]);
  });
});

describe('two-digit years of another order at any gap (c_dat1_yymmdd_gap2.csv, c_dat2_ddmmyy_gap2.csv)', () => {
  const DH = (c: string): string => H.replace('DATE', c);
  it('yy-mm-dd under DAT1, two days apart (read 17,520 h), is refused naming both readings and DAT2', () => {
    expect(read(q12(DH('DAT1'), '26-03-04', '26-03-06'), 'c_dat1_yymmdd_gap2.csv')).toThrow(
      /^c_dat1_yymmdd_gap2\.csv, row 3, column DAT1: DAT1 26-03-04 \(row 2\) and 26-03-06 of ID 1 differ in the two-digit year \(04, 06\) only: DAT1 is day\/month\/year, which reads them 26 March 2004 and 26 March 2006, 17,520 h apart; read year\/month\/day they are 4 March 2026 and 6 March 2026, 48 h apart: if the chart writes the dates year\/month\/day, name the column DAT2 .*\(got "26-03-06"\)$/,
    );
    // a week, and across a month end (read backwards, 2030 -> 2002)
    expect(read(q12(DH('DAT1'), '26-03-04', '26-03-11'))).toThrow(/row 3, column DAT1: .*read year\/month\/day they are 4 March 2026 and 11 March 2026, 168 h apart/);
    expect(read(q12(DH('DAT1'), '26-03-30', '26-04-02'))).toThrow(/row 3, column DAT1: DAT1 26-03-30 \(row 2\) and 26-04-02 of ID 1 differ in the two-digit year \(30, 02\): .*h back; read year\/month\/day they are 30 March 2026 and 2 April 2026, 72 h apart/);
  });
  it('dd/mm/yy under DAT2, two days apart, is refused pointing to DAT1', () => {
    expect(read(q12(DH('DAT2'), '04/03/26', '06/03/26'), 'c_dat2_ddmmyy_gap2.csv')).toThrow(/^c_dat2_ddmmyy_gap2\.csv, row 3, column DAT2: .*read day\/month\/year they are 4 March 2026 and 6 March 2026, 48 h apart: .*name the column DAT1 /);
  });
  it('the columns it names read the hours meant (IPRED at 48, 49.5, 59.5 h within 1e-6 of the oracle; 1.5e-291 at the dose read 17,520 h)', () => {
    const c = (header: string, a: string, b: string): string => q12(header, a, b).replaceAll(',12,15,', ',12,7,');
    expectMeant(c(DH('DAT2'), '26-03-04', '26-03-06'), 'dat1_gap2');
    expectMeant(c(DH('DAT1'), '04/03/26', '06/03/26'), 'dat1_gap2');
  });
  it('dates of the column order are read as before: days apart in one month, the same day years apart with four digits', () => {
    expect(times(q12(DH('DAT1'), '04/03/26', '06/03/26'))).toEqual([0, 1.5, 48, 49.5, 59.5]);
    expect(times(q12(DH('DAT1'), '26/03/2004', '26/03/2006'))).toEqual([0, 1.5, 17520, 17521.5, 17531.5]);
  });
});

const SH = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
describe("Excel's serial date-times in TIME with any number of doses (d_serial_q24.csv, d_elapsed_longterm.csv)", () => {
  const q24 = `${SH}\n1,46085.333333,1,1000,1000,.,1\n1,46085.395833,0,.,.,27.57698,0\n1,46085.812500,0,.,.,3.437169,0\n1,46086.333333,1,1000,1000,.,1\n1,46086.375000,0,.,.,38.494925,0\n1,46087.333333,1,1000,1000,.,1\n1,46088.312500,0,.,.,7.016984,0\n`;
  it('daily doses (1.000 apart) are refused, naming the row whose fraction is a whole minute of a day and none of an hour', () => {
    expect(read(q24, 'd_serial_q24.csv')).toThrow(
      /^d_serial_q24\.csv, row 2, column TIME: every TIME lies between 32,874 and 73,051, as Excel's serial date-times of 1990-2099 do, each a whole minute of a day \(days since 1900: 46085\.395833 is 2026-03-04 09:30\), while read as hours 46085\.395833 is 23\.75 min past the hour, no whole minute: the column holds date-times saved as numbers\. Write TIME as hours since the first record .*\(got "46085\.395833"\)$/,
    );
  });
  it('one dose, or two, are refused too', () => {
    expect(read(q24.split('\n').slice(0, 4).join('\n'))).toThrow(/row 2, column TIME: .*46085\.395833 is 2026-03-04 09:30/);
    expect(read(`${SH}\n1,46085.333333,1,1000,1000,.,1\n1,46085.395833,0,.,.,27.57698,0\n1,46085.833333,1,1000,1000,.,1\n1,46086.3125,0,.,.,7.0,0\n`)).toThrow(/row 2, column TIME: every TIME lies between/);
  });
  it('the hours it names read the chart as meant (IPRED within 1e-6 of the oracle; 64.97 at 71.5 h for 4.6166 when read as hours)', () => {
    expectMeant(`${SH}\n1,0,1,1000,1000,.,1\n1,1.5,0,.,.,27.57698,0\n1,11.5,0,.,.,3.437169,0\n1,24,1,1000,1000,.,1\n1,25,0,.,.,38.494925,0\n1,48,1,1000,1000,.,1\n1,71.5,0,.,.,7.016984,0\n`, 'serial_q24');
  });
  it('multi-year elapsed hours are read as written: a bolus and an infusion 0.5 h later (26280, 26280.5), and times to the minute', () => {
    const longterm = `${SH}\n1,26280,1,1000,.,.,1\n1,26280.5,1,500,1000,.,1\n1,26290,0,.,.,5.0,0\n1,26400,1,1000,.,.,1\n1,26400.5,1,500,1000,.,1\n1,26410,0,.,.,5.0,0\n`;
    expect(times(longterm)).toEqual([26280, 26280.5, 26290, 26400, 26400.5, 26410]);
    const minutes = ['26280', '26281.583333', '26291.333333', '26292', '26292.25', '26303.916667'];
    expect(times(`${SH}\n${minutes.map((t, k) => `1,${t},${k % 3 === 0 ? '1,1000,1000,.,1' : '0,.,.,5,0'}`).join('\n')}\n`)).toEqual(minutes.map(Number));
    // seconds (no whole minute of a day): hours
    expect(times(`${SH}\n1,26280,1,1000,1000,.,1\n1,26281.395839,0,.,.,5,0\n1,26281.5,0,.,.,5,0\n`)).toEqual([26280, 26281.395839, 26281.5]);
  });
});

describe("Excel's fraction of a day among clock times (s_mixed_frac3.csv)", () => {
  const DH = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV';
  const mixed = `${DH}\n1,03/04/2026,0.333333,1,1000,1000,.,1\n1,03/04/2026,09:30,0,0,0,27.57698,0\n1,03/04/2026,19:30,0,0,0,3.437169,0\n1,03/05/2026,0.333333,1,1000,1000,.,1\n1,03/05/2026,09:00,0,0,0,38.494925,0\n`;
  it('doses at 0.333333 beside levels at 09:30 are refused naming the row and both readings (read 00:20: IPRED 5.8876 at 09:30 for 24.3175)', () => {
    expect(read(mixed, 's_mixed_frac3.csv')).toThrow(
      /^s_mixed_frac3\.csv, row 1, column TIME: a number below 1 among clock times \(row 2: 09:30\): as hours of the day 0\.333333 is 00:20, as Excel's fraction of a day 08:00; write it as a clock time \(08:00 if it is a spreadsheet's time: format the column hh:mm before saving as CSV\) \(got "0\.333333"\)$/,
    );
  });
  it('without a date column too', () => {
    expect(read(`${SH}\n1,0.333333,1,1000,1000,.,1\n1,09:30,0,.,.,27.57698,0\n`)).toThrow(/row 1, column TIME: a number below 1 among clock times \(row 2: 09:30\)/);
  });
  it('the clock times read the hours meant (IPRED within 1e-6 of the oracle); hours of the day of 1 or more beside clock times are read as before', () => {
    expectMeant(mixed.replaceAll(',0.333333,', ',08:00,'), 'mixed_frac');
    expect(times(mixed.replaceAll(',0.333333,', ',8,'))).toEqual([0, 1.5, 11.5, 24, 25]);
  });
});

describe("a date with the month's name (i_monname.csv)", () => {
  it('04-MAR-2026, 04-Mar-26 and 04MAR2026 are refused saying names are not read, with the date in numbers', () => {
    const c = (d: string, col = 'DATE'): string => `ID,${col},TIME,EVID,AMT,RATE,DV,MDV\n1,${d},08:00,1,1000,1000,.,1\n`;
    expect(read(c('04-MAR-2026'), 'i_monname.csv')).toThrow(/^i_monname\.csv, row 1, column DATE: a date with the month's name, which is not read: DATE is month\/day\/year in numbers; write it so \(03\/04\/2026, or ISO 2026-03-04\)/);
    expect(read(c('04-Mar-26'))).toThrow(/month's name.*\(03\/04\/2026, or ISO 2026-03-04\)/);
    expect(read(c('04MAR2026', 'DAT1'))).toThrow(/DAT1 is day\/month\/year in numbers; write it so \(04\/03\/2026, or ISO 2026-03-04\)/);
    expect(read(c('"Mar 4, 2026"'))).toThrow(/month's name.*2026-03-04/);
    expect(read(c('04-XYZ-2026'))).toThrow(/not a date \(DATE is month\/day\/year, or a day number\)/);
  });
});

describe('the command line', () => {
  it('simulate refuses with exit 1 what it printed with exit 0', async () => {
    const { write } = tempFiles('dosewise-spreadsheet-dates-gap-');
    for (const [name, csv, words] of [
      ['b3_mmdd_q12.csv', q12(H, '0325', '0402'), /b3_mmdd_q12\.csv, row 3, column DATE: day numbers 0325/],
      ['c_dat1_yymmdd_gap2.csv', q12(H.replace('DATE', 'DAT1'), '26-03-04', '26-03-06'), /c_dat1_yymmdd_gap2\.csv, row 3, column DAT1: /],
      ['d_serial_single.csv', `${SH}\n1,46085.333333,1,1000,1000,.,1\n1,46085.395833,0,.,.,27.57698,0\n`, /d_serial_single\.csv, row 2, column TIME: every TIME lies between/],
    ] as const) {
      const r = await cli(['simulate', '--model', 'examples/map-wmap.model.json', '--data', write(name, csv)]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(words);
      expect(r.out).toBe('');
    }
  });
});
