// A chart's times of day written with a dot for the colon (8.30, 20.15) beside a date column: with a
// date column TIME is the time of day, and a cell without a colon was read as decimal hours, so
// 8.30 was 08:18 and 20.30 was 20:18 (a level 12.3 h after an 08:00 dose, for the 12.5 h meant),
// without a word. Where every such time has two decimals of 00 to 59, as minutes do, the column
// is refused naming the row, column and value and both readings; a column whose decimals are not
// all minutes (14.75, 8.5) is decimal hours, read as before, and a TIME of elapsed hours without a
// date column stays a number. Hours are differences of the clock times (20:30 − 08:00 = 12.5 h).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const times = (csv: string): number[] => readNmtran(csv, { file: 'd.csv' }).records.map((r) => r.TIME);
const read = (csv: string) => (): unknown => readNmtran(csv, { file: 'd.csv' });
/** A dose at `dose` and a level at `level` on one day, the date under `column`. */
const chart = (dose: string, level: string, column = 'DATE', date = '03/04/2026'): string => `ID,${column},TIME,EVID,AMT,DV,MDV\n1,${date},${dose},1,1000,.,1\n1,${date},${level},0,.,5,0\n`;

describe('times of day written with a dot beside a date column', () => {
  it('refuses 20.30 after 8.00, naming file, row, column, value and both readings (it read 12.3 h for 12.5)', () => {
    expect(read(chart('8.00', '20.30'))).toThrow(
      /^d\.csv, row 2, column TIME: a time of day written with a dot, beside the DATE column, where every such time has two decimals of 00 to 59 as minutes do: 20\.30 is read neither way: write 20:30 for the clock time 20:30, or 20\.3 for 20\.3 h \(20:18\) \(got "20\.30"\)$/,
    );
  });

  it('names the first ambiguous row (8.30, row 1) and both readings (9.20: 09:20, or 9.2 h, 09:12)', () => {
    expect(read(chart('8.30', '20.15'))).toThrow(/^d\.csv, row 1, column TIME: .*8\.30 is read neither way: write 08:30 for the clock time 08:30, or 8\.3 for 8\.3 h \(08:18\)/);
    expect(read(chart('8', '9.20'))).toThrow(/row 2, .*9\.20 is read neither way: write 09:20 for the clock time 09:20, or 9\.2 for 9\.2 h \(09:12\)/);
    expect(read(chart('08.05', '9', 'DAT1', '04/03/2026'))).toThrow(/row 1, column TIME: .*beside the DAT1 column.*08\.05 is read neither way: write 08:05 for the clock time 08:05, or 8\.05 for 8\.05 h \(08:03\)/);
  });

  it('reads decimal hours as before where the decimals are not all minutes, or where no time has a fraction', () => {
    // 14.75 (14:45) is no clock time: the column is decimal hours, 8.30 is 08:18 (14.75 − 8.3 = 6.45 h)
    expect(times(chart('8.30', '14.75'))[1]).toBeCloseTo(6.45, 12);
    // one decimal (8.5) is hours too: 20.15 − 8.5 = 11.65 h
    expect(times(chart('8.5', '20.15'))[1]).toBeCloseTo(11.65, 12);
    expect(times(chart('8', '20'))).toEqual([0, 12]);
    expect(times(chart('8.00', '20.00'))).toEqual([0, 12]);
    expect(times(chart('08:00', '20:30'))).toEqual([0, 12.5]);
  });

  it('keeps TIME of elapsed hours without a date column as numbers (8.30 h stays 8.30 h)', () => {
    expect(times('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,1000,.,1\n1,8.30,0,.,5,0\n1,20.15,0,.,4,0\n')).toEqual([0, 8.3, 20.15]);
  });

  it('a midnight 24.00 (or any whole hour) does not turn the refusal off: 9.30 beside 24.00 was read as 09:18', () => {
    // c24: 8.00 dose, 9.30, 16.00 dose, 20.45, 24.00 dose, 7.45 the next day; 9.30 read 09:18, 20.45
    // 20:27 and 7.45 07:27 (IPRED 6.6629, 7.1885, 6.4081 for 6.8315, 6.9236, 6.2516) without a word
    const c24 = 'ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,8.00,1,500,.,1\n1,03/04/2026,9.30,0,.,5.1,0\n1,03/04/2026,16.00,1,500,.,1\n1,03/04/2026,20.45,0,.,2.5,0\n1,03/04/2026,24.00,1,500,.,1\n1,03/05/2026,7.45,0,.,6.1,0\n';
    expect(read(c24)).toThrow(/^d\.csv, row 2, column TIME: .*9\.30 is read neither way/);
    expect(read(chart('8.', '20.45'))).toThrow(/row 2, column TIME: .*20\.45 is read neither way/);
  });

  it('24.00 is midnight, as 24:00 is: 16 h after an 8.00 dose, the same instant as 00.00 the next day', () => {
    const c = 'ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,8.00,1,500,.,1\n1,03/04/2026,24.00,1,500,.,1\n1,03/05/2026,0.00,0,.,6.1,0\n1,03/05/2026,8.00,0,.,6.1,0\n';
    expect(times(c)).toEqual([0, 16, 16, 24]);
    expect(times(c.replace('24.00', '24:00'))).toEqual([0, 16, 16, 24]);
  });

  it('gives both readings right: 9.50 in a chart of decimal hours is 9.5 h (09:30), not the 9.8333 of the clock time 09:50', () => {
    // dec: 8.00, 9.50, 20.25, 10.50 (decimal hours, every decimal 00-59): refused, as before; the
    // remedy said "9.8333 for decimal hours", which moves a level meant at 9.5 h by 20 min
    const dec = 'ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/04/2026,8.00,1,500,.,1\n1,03/04/2026,9.50,0,.,5.1,0\n1,03/04/2026,20.25,0,.,2.5,0\n1,03/05/2026,8.00,1,500,.,1\n1,03/05/2026,10.50,0,.,6.1,0\n';
    expect(read(dec)).toThrow(/row 2, column TIME: .*: 9\.50 is read neither way: write 09:50 for the clock time 09:50, or 9\.5 for 9\.5 h \(09:30\) \(got "9\.50"\)$/);
    expect(read(dec)).not.toThrow(/9\.8333/);
  });

  it('the command line refuses with exit 1 and the same words', async () => {
    const { write } = tempFiles('dosewise-dotted-clock-');
    const data = write('chart.csv', chart('8.00', '20.30'));
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/chart\.csv, row 2, column TIME: .*write 20:30 for the clock time 20:30, or 20\.3 for 20\.3 h \(20:18\)/);
  });
});
