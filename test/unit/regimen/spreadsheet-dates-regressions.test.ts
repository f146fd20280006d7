// Charts after 8b72fa3 (spreadsheet dates judged by a rule): study days
// 101-103 and mmdd 0305 -> 0306 under DATE were refused as ddmm (1 January and 1 February), a form
// not the column's; two-digit-year charts a year or more apart (DAT1 10/03/25 -> 10/09/26, 13,176 h)
// were refused; elapsed hours of a long course with seconds (26281.258333), or a bolus and an
// infusion 15 or 20 min later (26280.25, 30000.3333), were refused as Excel date-times; and Excel
// date-times at even hours (08:00 = .333333, 20 min as hours) with daily or single doses passed with
// exit 0 (IPRED 2.7396 at 2 h for 20.9307). References: test/oracle/spreadsheet_dates_regressions.py
// (python datetime for the hours, the script ref_map.py for IPRED).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const ref = JSON.parse(readFileSync('test/oracle/spreadsheet-dates-regressions.json', 'utf8')) as { hours: Record<string, number[]> } & Record<'s_q24_even' | 's_single_even', Record<string, number>>;
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const read = (csv: string, file = 'd.csv') => (): unknown => readNmtran(csv, { file });
const times = (csv: string): number[] => readNmtran(csv).records.map((r) => r.TIME);

/** A dose at 08:00 and a level at 09:30 on each date (the sd_*, m_*, y_* charts). */
const dated = (column: string, dates: readonly string[]): string =>
  `ID,${column},TIME,EVID,AMT,RATE,DV,MDV\n${dates.map((d) => `1,${d},08:00,1,1000,1000,.,1\n1,${d},09:30,0,.,.,27.5,0`).join('\n')}\n`;

describe('day numbers judged in the column order alone (sd_101_103.csv, m_mmdd_0305.csv)', () => {
  it('study days 101-103, 201-203, 301-310 and q48h 110 -> 112 under DATE are read as days (refused as ddmm 1 January, 1 February)', () => {
    expect(times(dated('DATE', ['101', '102', '103']))).toEqual(ref.hours.sd_101_103);
    expect(times(dated('DATE', ['201', '202', '203']))).toEqual(ref.hours.sd_101_103);
    expect(times(dated('DATE', ['1201', '1202', '1203']))).toEqual(ref.hours.sd_101_103);
    expect(times(dated('DATE', ['110', '112']))).toEqual(ref.hours.sd_q48);
    expect(times(dated('DATE', Array.from({ length: 10 }, (_, k) => String(301 + k))))).toEqual(Array.from({ length: 20 }, (_, k) => 24 * Math.floor(k / 2) + 1.5 * (k % 2)));
  });
  it('mmdd dates 0305, 0306, 0308 under DATE read 0, 24, 72 h, as python datetime; DAT2 (mmdd) reads 105 -> 106 a day apart', () => {
    expect(times(dated('DATE', ['0305', '0306', '0308']))).toEqual(ref.hours.m_mmdd_0305);
    expect(times(dated('DAT2', ['105', '106']))).toEqual(ref.hours.sd_101_103.slice(0, 4));
  });
  it('day-first columns (DAT1, DAT3) judge ddmm: 105 -> 106 (1 May, 1 June) is refused, one day apart in the singular', () => {
    expect(read(dated('DAT1', ['105', '106', '107']), 'sd_dat1_105.csv')).toThrow(
      /^sd_dat1_105\.csv, row 3, column DAT1: day numbers 105 \(row 2\) and 106 of ID 1 lie 1 day apart, where read as compact dates \(ddmm\) they are 1 May and 1 June, 31 days apart \(every day number of DAT1 reads as a date in ddmm;/,
    );
    expect(read(dated('DAT3', ['105', '106']))).toThrow(/column DAT3: day numbers 105 \(row 2\) and 106 of ID 1 lie 1 day apart, where read as compact dates \(ddmm\)/);
  });
  it('mmdd across a month end under DATE is still refused (0331 -> 0401: 70 days for 1)', () => {
    expect(read(dated('DATE', ['0330', '0331', '0401']))).toThrow(/column DATE: day numbers 0331 \(row 4\) and 0401 of ID 1 lie 70 days apart, where read as compact dates \(mmdd\) they are 31 March and 1 April, 1 day apart/);
  });
});

describe('two-digit years a year or more apart (y_dat1_18mo.csv, y_date_13mo.csv)', () => {
  it('are read in the column order, the hours python datetime gives, where the other order reads them more than a month apart', () => {
    expect(times(dated('DAT1', ['10/03/25', '10/09/26']))).toEqual(ref.hours.y_dat1_18mo);
    expect(times(dated('DAT1', ['05/05/24', '05/06/26']))).toEqual(ref.hours.y_dat1_2y);
    expect(times(dated('DAT2', ['25/03/10', '26/09/10']))).toEqual(ref.hours.y_dat2_18mo);
    expect(times(dated('DATE', ['03/10/25', '03/12/26']))).toEqual(ref.hours.y_date_13mo);
  });
  it('are refused where the other order reads them a month or less apart and closer (a year apart on one date: 1 day; yy-mm-dd across a month end)', () => {
    expect(read(dated('DAT1', ['15/03/24', '15/03/25']))).toThrow(/column DAT1: DAT1 15\/03\/24 \(row 2\) and 15\/03\/25 of ID 1 differ in the two-digit year \(24, 25\) only: .*read year\/month\/day they are 24 March 2015 and 25 March 2015, 24 h apart/);
    expect(read(dated('DATE', ['03/10/25', '03/10/26']))).toThrow(/column DATE: .*read year\/month\/day they are 25 October 2003 and 26 October 2003, 24 h apart/);
    expect(read(dated('DAT1', ['26-03-28', '26-04-02']))).toThrow(/column DAT1: .*read year\/month\/day they are 28 March 2026 and 2 April 2026, 120 h apart/);
  });
});

const SH = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const rows = (cells: readonly string[]): string => `${SH}\n${cells.join('\n')}\n`;
describe("Excel's serial date-times at even hours (s_q24_even.csv, s_single_even.csv)", () => {
  const DAY = ['.333333,1,1000,1000,.,1', '.416667,0,.,.,20,0', '.583333,0,.,.,20,0', '.833333,0,.,.,20,0'];
  const q24 = rows([46085, 46086, 46087].flatMap((d) => DAY.map((c) => `1,${d}${c}`)));
  it('daily doses at 08:00 with levels at 10:00, 14:00, 20:00 are refused naming the row, the date-time and the minutes as hours', () => {
    expect(read(q24, 's_q24_even.csv')).toThrow(
      /^s_q24_even\.csv, row 1, column TIME: every TIME lies between 32,874 and 73,051, as Excel's serial date-times of 1990-2099 do, each a whole minute of a day \(days since 1900: 46085\.333333 is 2026-03-04 08:00\), while read as hours 46085\.333333 is 20 min past the hour, 5\.3 years of elapsed hours; ID 1's doses at rows 1, 5 and 9 lie 1 apart each: as Excel dates every 1 day at 08:00 \(2026-03-04 08:00, 2026-03-05 08:00, 2026-03-06 08:00\), as hours every 1 h, and nothing in the column tells which: the column holds date-times saved as numbers\. Write TIME as hours since the first record .*\(got "46085\.333333"\)$/,
    );
  });
  it('one dose is refused too', () => {
    expect(read(rows(['1,46085.333333,1,1000,1000,.,1', '1,46085.416667,0,.,.,20,0', '1,46085.666667,0,.,.,8,0', '1,46086.333333,0,.,.,3,0']))).toThrow(/row 1, column TIME: every TIME lies between 32,874 and 73,051/);
  });
  it('the hours it names read the chart as meant (IPRED within 1e-6 of the oracle; 2.7396 at 2 h for 20.9307 when read as hours)', () => {
    for (const [name, doses] of [['s_q24_even', [0, 24, 48]], ['s_single_even', [0]]] as const) {
      const levels = Object.keys(ref[name]).map(Number);
      const csv = rows([...doses.map((t) => `1,${t},1,1000,1000,.,1`), ...levels.map((t) => `1,${t},0,.,.,20,0`)].sort((a, b) => Number(a.split(',')[1]) - Number(b.split(',')[1])));
      const d = readNmtran(csv);
      const sim = simulate(wmap, d.records);
      const t = d.records.map((r) => r.TIME);
      for (const [h, c] of Object.entries(ref[name])) expect(Math.abs((sim.ipred[t.lastIndexOf(Number(h))] as number) - c) / c).toBeLessThan(1e-6);
    }
  });
});

describe('elapsed hours of a long course are read as written (e_seconds.csv, e_quarter.csv, e_third.csv, e_long.csv)', () => {
  it('below 32,874 (Excel dates before 1990): seconds, and a bolus with an infusion 15 or 20 min later', () => {
    for (const t of [
      ['26280', '26281.258333', '26292', '26303.5'],
      ['26280', '26281.2583', '26292', '26303.5'],
    ])
      expect(times(rows(t.map((x, k) => `1,${x},${k % 2 === 0 ? '1,1000,1000,.,1' : '0,.,.,20,0'}`)))).toEqual(t.map(Number));
    const quarter = ['1,26280,1,500,0,.,1', '1,26280.25,1,1000,1000,.,1', '1,26286,0,.,.,20,0', '1,26304,1,500,0,.,1', '1,26304.25,1,1000,1000,.,1', '1,26310,0,.,.,20,0'];
    expect(times(rows(quarter))).toEqual([26280, 26280.25, 26286, 26304, 26304.25, 26310]);
    const third = ['1,30000,1,500,0,.,1', '1,30000.3333,1,1000,1000,.,1', '1,30006,0,.,.,20,0', '1,30024,1,500,0,.,1', '1,30024.3333,1,1000,1000,.,1', '1,30030.75,0,.,.,20,0'];
    expect(times(rows(third))).toEqual([30000, 30000.3333, 30006, 30024, 30024.3333, 30030.75]);
  });
  it('in the window, with doses 12 h apart and a level 10 min past the hour (35065.1667): read as written with time: hours', () => {
    const t = ['35040', '35041.5', '35052', '35063.75', '35064', '35065.1667', '35076'];
    const csv = rows(t.map((x) => `1,${x},${Number(x) % 12 === 0 ? '1,1000,1000,.,1' : '0,.,.,20,0'}`));
    // doses 12 apart read as Excel dates too (every 12 days at 00:00): refused without the option (f9)
    expect(read(csv)).toThrow(/as Excel dates every 12 days at 00:00 .*, as hours every 12 h/);
    expect(readNmtran(csv, { time: 'hours' }).records.map((r) => r.TIME)).toEqual(t.map(Number));
  });
});

describe('the command line', () => {
  it('simulate refuses the even-hour serial chart with exit 1 (it printed IPRED 2.7396 for 20.9307 with exit 0) and reads the study days', async () => {
    const { write } = tempFiles('dosewise-spreadsheet-dates-regr-');
    const bad = await cli(['simulate', '--model', 'examples/map-wmap.model.json', '--data', write('s_single_even.csv', rows(['1,46085.333333,1,1000,1000,.,1', '1,46085.416667,0,.,.,20,0']))]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/s_single_even\.csv, row 1, column TIME: every TIME lies between 32,874 and 73,051/);
    const good = await cli(['simulate', '--model', 'examples/map-wmap.model.json', '--data', write('sd_101_103.csv', dated('DATE', ['101', '102', '103']))]);
    expect(good.code).toBe(0);
  });
});
