// EHR and Excel exports of the W-map patient (1000 mg over 1 h at 08:00 and 20:00 on 4
// and 5 March 2026; levels at 09:30, 19:30, 09:00 the next day and 07:30 on 6 March: 1.5, 11.5, 25,
// 47.5 h) read wrong hours with exit 0: Excel's serial date-times in TIME (46085.333333) read as
// hours, so 12 h was 0.5 h (IPRED 2.0618 at 1.5 h for 24.3175, 88.259 at 47.5 h for 11.0152);
// Excel's fraction of a day beside a date (0.333333 for 08:00) read as 00:20 (2.0618 for 24.3175);
// compact dates under DATE (260330, 260331, 260401) read as day numbers, the month end 70 days
// (the last level at 1704 h, IPRED 1.9e-27); and two-digit-year dates of another order (26-03-04
// under DAT1, 04/03/26 under DAT2) read consecutive days a year apart. Each is refused naming the
// column, the row and the value. Reference: test/oracle/spreadsheet_dates.py (the script ref2cmt.py).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const ref = JSON.parse(readFileSync('test/oracle/spreadsheet-dates.json', 'utf8')) as { ipred_meant: Record<string, number> };
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));

const DV = ['.', '27.57698', '3.437169', '.', '.', '38.494925', '.', '7.016984'];
const EV = (k: number): string => (DV[k] === '.' ? '1,1000,1000' : '0,.,.');
/** The chart with each row's date and time cells (`DATE,TIME` or one `TIME`). */
const chart = (header: string, when: readonly string[]): string => `ID,${header},EVID,AMT,RATE,DV,MDV\n${when.map((w, k) => `1,${w},${EV(k)},${DV[k]},${DV[k] === '.' ? 1 : 0}`).join('\n')}\n`;
const CLOCK = ['08:00', '09:30', '19:30', '20:00', '08:00', '09:00', '20:00', '07:30'];
const DAY = [0, 0, 0, 0, 1, 1, 1, 2];
const HOURS = ['0', '1.5', '11.5', '12', '24', '25', '36', '47.5'];
const SERIAL = ['46085.333333', '46085.395833', '46085.8125', '46085.833333', '46086.333333', '46086.375', '46086.833333', '46087.3125'];
const FRACTION = ['0.333333', '0.395833', '0.8125', '0.833333', '0.333333', '0.375', '0.833333', '0.3125'];
const dated = (dates: readonly string[], times: readonly string[] = CLOCK): string[] => times.map((t, k) => `${dates[DAY[k] as number]},${t}`);
const read = (csv: string, file = 'd.csv') => (): unknown => readNmtran(csv, { file });

/** IPRED of the chart at its levels against the oracle (relative error, measured 1e-9 or less). */
function expectMeant(csv: string): void {
  const d = readNmtran(csv);
  expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 36, 47.5]);
  const sim = simulate(wmap, d.records);
  const times = d.records.map((r) => r.TIME);
  for (const [t, c] of Object.entries(ref.ipred_meant)) expect(Math.abs((sim.ipred[times.indexOf(Number(t))] as number) - c) / c).toBeLessThan(1e-6);
}

describe('Excel serial date-times in TIME (excel_serial_time.csv)', () => {
  it('are refused naming the column, the rows and the date they are (12 h read 0.5 h, IPRED 2.0618 for 24.3175)', () => {
    expect(read(chart('TIME', SERIAL), 'excel_serial_time.csv')).toThrow(
      /^excel_serial_time\.csv, row 1, column TIME: every TIME lies between 32,874 and 73,051, as Excel's serial date-times of 1990-2099 do \(days since 1900: 46085\.333333 is 2026-03-04 08:00\), and ID 1's doses at rows 1 and 4 lie 0\.5 apart, read as 30 min where as days they are 12 h: .*Write TIME as hours since the first record .*timestamps \(2026-03-04 08:00, format yyyy-mm-dd hh:mm\); if it holds hours, give the read option time: 'hours', which reads them as written \(got "46085\.333333"\)$/,
    );
  });
  it('the forms it names read the chart as meant (IPRED within 1e-6 of the oracle)', () => {
    expectMeant(chart('TIME', HOURS));
    expectMeant(chart('TIME', dated(['2026-03-04', '2026-03-05', '2026-03-06']).map((c) => c.replace(',', ' '))));
    expectMeant(chart('DATE,TIME', dated(['03/04/2026', '03/05/2026', '03/06/2026'])));
  });
  it('elapsed hours past 20,000 a day or more apart, or from 0, are read as before', () => {
    const late = ['20000', '20024', '20048'].map((t, k) => `1,${t},${k === 2 ? '0,.,.,5,0' : '1,1000,1000,.,1'}`);
    expect(readNmtran(`ID,TIME,EVID,AMT,RATE,DV,MDV\n${late.join('\n')}\n`).records.map((r) => r.TIME)).toEqual([20000, 20024, 20048]);
    expect(readNmtran(chart('TIME', ['0', ...SERIAL.slice(1)])).records[1]?.TIME).toBe(46085.395833);
  });
});

describe("Excel's fraction of a day as the time of day (date_excel_frac.csv)", () => {
  it('is refused naming the column, the row and the clock time it is (08:00 read 00:20)', () => {
    expect(read(chart('DATE,TIME', dated(['03/04/2026', '03/05/2026', '03/06/2026'], FRACTION)), 'date_excel_frac.csv')).toThrow(
      /^date_excel_frac\.csv, row 1, column TIME: beside the DATE column TIME is the time of day \(hh:mm, or hours of the day\), and every one here is below 1 h \(00:00 to 00:59\), as Excel's fraction of a day is \(0\.333333 of a day is 08:00\): format the column hh:mm before saving as CSV \(08:00\), or write hours of the day \(8 for 08:00\) \(got "0\.333333"\)$/,
    );
  });
  it('hours of the day, and a day-only chart at TIME 0, are read as before', () => {
    expectMeant(chart('DATE,TIME', dated(['03/04/2026', '03/05/2026', '03/06/2026'], ['8', '9.5', '19.5', '20', '8', '9', '20', '7.5'])));
    expect(readNmtran('ID,DATE,TIME,EVID,AMT,DV,MDV\n1,1,0,1,100,.,1\n1,2,0,0,.,5,0\n').records.map((r) => r.TIME)).toEqual([0, 24]);
    expect(readNmtran('ID,DATE,TIME,EVID,AMT,DV,MDV\n1,1,0.5,1,100,.,1\n1,1,14.75,0,.,5,0\n').records.map((r) => r.TIME)).toEqual([0, 14.25]);
  });
});

describe('compact dates read as day numbers (d_yymmdd_monthend.csv, d_ddmmyy.csv)', () => {
  it('six digits are refused naming the column, row, value, its readings and the forms read (the month end read 70 days)', () => {
    expect(read(chart('DATE,TIME', dated(['260330', '260331', '260401'])), 'd_yymmdd_monthend.csv')).toThrow(
      /^d_yymmdd_monthend\.csv, row 1, column DATE: a day number of six digits, which reads as a compact date \(yymmdd 2026-03-30, ddmmyy 2030-03-26\): .*70 days apart.*DATE reads dates with separators in its order, month\/day\/year .*ISO dates \(2026-03-31\), or day numbers \(1, 2, …\): write each date in full \(03\/30\/2026 or 2026-03-30 for 260330 if it is yymmdd\) \(got "260330"\)$/,
    );
    expect(read(chart('DAT1,TIME', dated(['040326', '050326', '060326'])))).toThrow(/^d\.csv, row 1, column DAT1: a day number of six digits, which reads as a compact date \(.*ddmmyy 2026-03-04.*\(got "040326"\)$/);
    expect(read(chart('DAT2,TIME', dated(['260304', '260305', '260306'])))).toThrow(/row 1, column DAT2: .*write each date in full \(2026\/03\/04 or 2026-03-04 for 260304 if it is yymmdd\)/);
  });
  it('shorter ones are refused where consecutive day numbers jump across a month or year end (0331 → 0401: 70 days for 1)', () => {
    expect(read(chart('DATE,TIME', dated(['0330', '0331', '0401'])))).toThrow(/^d\.csv, row 8, column DATE: day numbers 0331 \(row 7\) and 0401 of ID 1 lie 70 days apart, where read as compact dates \(mmdd\) they are 31 March and 1 April, 1 day apart .*write the dates in full \(with their year\) \(got "0401"\)$/);
    expect(read(chart('DAT1,TIME', dated(['40326', '50326', '60326'])))).toThrow(/^d\.csv, row 5, column DAT1: day numbers 40326 \(row 4\) and 50326 of ID 1 lie 10,000 days apart, where read as compact dates \(ddmmyy\) they are 2026-03-04 and 2026-03-05, 1 day apart \(every day number of DAT1 reads as a date in ddmmyy; .*\); DAT1 reads dates .*: write the dates in full \(05\/03\/2026 or 2026-03-05 for 50326\) \(got "50326"\)$/);
  });
  it('day numbers read as before (1, 2, 3; 100, 101, 102; 0329, 0330, 0331 within a month)', () => {
    for (const days of [['1', '2', '3'], ['100', '101', '102'], ['0329', '0330', '0331']]) expect(readNmtran(chart('DATE,TIME', dated(days))).records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 36, 47.5]);
  });
});

describe('two-digit-year dates under the date column of another order (y_dat1_yymmdd.csv, y_dat2_dmy2.csv)', () => {
  it('yy-mm-dd under DAT1 is refused naming the rows and the other reading (8,760 h for 24)', () => {
    expect(read(chart('DAT1,TIME', dated(['26-03-04', '26-03-05', '26-03-06'])), 'y_dat1_yymmdd.csv')).toThrow(
      /^y_dat1_yymmdd\.csv, row 5, column DAT1: DAT1 26-03-04 \(row 4\) and 26-03-05 of ID 1 differ in the two-digit year \(04, 05\) only: DAT1 is day\/month\/year, which reads them 26 March 2004 and 26 March 2005, 8,760 h apart; read year\/month\/day they are 4 March 2026 and 5 March 2026, 24 h apart: if the chart writes the dates year\/month\/day, name the column DAT2 \(or write them ISO, 2026-03-05 for 26-03-05\); if the records are years apart, write the years with four digits \(26\/03\/2005\) \(got "26-03-05"\)$/,
    );
  });
  it('dd/mm/yy under DAT2 is refused, pointing to DAT1', () => {
    expect(read(chart('DAT2,TIME', dated(['04/03/26', '05/03/26', '06/03/26'])))).toThrow(/^d\.csv, row 5, column DAT2: DAT2 04\/03\/26 \(row 4\) and 05\/03\/26 .*read day\/month\/year they are 4 March 2026 and 5 March 2026, 24 h apart: .*name the column DAT1 /);
  });
  it('the columns it names read the chart as meant; four-digit years a year apart are read as written', () => {
    expectMeant(chart('DAT2,TIME', dated(['26-03-04', '26-03-05', '26-03-06'])));
    expectMeant(chart('DAT1,TIME', dated(['04/03/26', '05/03/26', '06/03/26'])));
    expect(readNmtran(chart('DAT1,TIME', dated(['26/03/2004', '26/03/2005', '26/03/2006']))).records[4]?.TIME).toBe(8760);
  });
});

describe('the command line', () => {
  it('simulate refuses with exit 1 and the same words (it printed wrong IPRED with exit 0)', async () => {
    const { write } = tempFiles('dosewise-spreadsheet-dates-');
    for (const [name, csv, words] of [
      ['excel_serial_time.csv', chart('TIME', SERIAL), /excel_serial_time\.csv, row 1, column TIME: every TIME lies between 32,874 and 73,051/],
      ['date_excel_frac.csv', chart('DATE,TIME', dated(['03/04/2026', '03/05/2026', '03/06/2026'], FRACTION)), /date_excel_frac\.csv, row 1, column TIME: .*0\.333333 of a day is 08:00/],
      ['d_yymmdd_monthend.csv', chart('DATE,TIME', dated(['260330', '260331', '260401'])), /d_yymmdd_monthend\.csv, row 1, column DATE: a day number of six digits/],
      ['y_dat2_dmy2.csv', chart('DAT2,TIME', dated(['04/03/26', '05/03/26', '06/03/26'])), /y_dat2_dmy2\.csv, row 5, column DAT2: .*name the column DAT1/],
    ] as const) {
      const r = await cli(['simulate', '--model', 'examples/map-wmap.model.json', '--data', write(name, csv)]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(words);
      expect(r.out).toBe('');
    }
  });
});

// Long-term charts, refused though read right before: day numbers of a
// study (DATE 1, 331, 401; 127 → 203) and elapsed hours past 20,000 with a level 0.5 h before a dose
describe('long-term charts read as before', () => {
  const H = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV';
  it('daynum_gap3.csv: day numbers with long gaps, one of them no compact date', () => {
    expect(readNmtran(`${H}\n1,1,08:00,1,1000,1000,.,1\n1,331,08:00,1,1000,1000,.,1\n1,401,09:30,0,.,.,27.5,0\n`).records.map((r) => r.TIME)).toEqual([0, 7920, 9601.5]);
    // every one a compact date (127 → 203: 01-27 and 02-03, a week apart): refused, as is any jump of
    // such a column, not only one from a month's last day — ddmm 0403 → 0503 → 0603 (4–6 March) read
    // 2,400 h apart, IPRED at 47.5 h 1.2e-39 for 11.0152, and mmdd 0227 → 0228 → 0301 put the last
    // level at 1,775.5 h, exit 0, when only month ends were judged
    for (const days of [['127', '127', '203'], ['0403', '0503', '0603'], ['0227', '0228', '0301'], ['0329', '0330', '0401']])
      expect(read(chart('DATE,TIME', dated(days)))).toThrow(/read as compact dates \((mmdd|ddmm)\)/);
    // 0331 beside a day number that is no compact date (13 as mmdd or ddmm): day numbers
    expect(readNmtran(chart('DATE,TIME', dated(['13', '0331', '0401']))).records[7]?.TIME).toBe(9311.5);
  });
  it('longterm.csv: elapsed hours past 20,000 with doses 12 h apart and a level 0.5 h before a dose', () => {
    const t = ['26280', '26281.5', '26291.5', '26292', '26304', '26305', '26316', '26327.5'];
    expect(readNmtran(chart('TIME', t)).records.map((r) => r.TIME)).toEqual(t.map(Number));
    // one dose gap below 1 is no series of date-times
    const one = ['26280', '26281.5', '26291.5', '26291.8', '26304', '26305', '26316', '26327.5'];
    expect(readNmtran(chart('TIME', one)).records.map((r) => r.TIME)).toEqual(one.map(Number));
  });
});
