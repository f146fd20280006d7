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
      /^d\.csv, row 2, column TIME: a time of day written with a dot, beside the DATE column, where every such time has two decimals of 00 to 59 as minutes do: 20\.30 would be read as decimal hours, 20:18; write 20:30 for a clock time or 20\.5 for decimal hours \(got "20\.30"\)$/,
    );
  });

  it('names the first ambiguous row (8.30, row 1) and gives decimal hours to 4 places (9.20: 9.3333)', () => {
    expect(read(chart('8.30', '20.15'))).toThrow(/^d\.csv, row 1, column TIME: .*8\.30 would be read as decimal hours, 08:18; write 08:30 for a clock time or 8\.5 for decimal hours/);
    expect(read(chart('8', '9.20'))).toThrow(/row 2, .*9\.20 would be read as decimal hours, 09:12; write 09:20 for a clock time or 9\.3333 for decimal hours/);
    expect(read(chart('08.05', '9', 'DAT1', '04/03/2026'))).toThrow(/row 1, column TIME: .*beside the DAT1 column.*08\.05 would be read as decimal hours, 08:03; write 08:05 for a clock time or 8\.0833 for decimal hours/);
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

  it('the command line refuses with exit 1 and the same words', async () => {
    const { write } = tempFiles('dosewise-dotted-clock-');
    const data = write('chart.csv', chart('8.00', '20.30'));
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/chart\.csv, row 2, column TIME: .*write 20:30 for a clock time or 20\.5 for decimal hours/);
  });
});
