// The chart d/dat2iso.csv: ISO dates under DAT2 (year/month/day, ISO's own order) were
// warned W_DATE_ORDER (a monthly chart on days 1-12: 2026-01-12, 2026-02-12), telling the user to
// name the column DAT3, which read them 1 and 2 December, 24 h apart for 744 (d/dat3iso.csv, exit 0,
// no warning), and to "write the dates ISO", which they were. Under DATE the same text is read ISO
// and not warned. Each remedy a warning or a refusal hint names is followed here literally and must
// read the hours its condition says. The hours: python datetime (31 days, 744 h).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const H = (column: string): string => `ID,${column},TIME,EVID,AMT,RATE,DV,MDV`;
const EV = ['08:00,1,1000,1000,.,1', '09:30,0,.,.,27.57698,0'];
/** A dose at 08:00 and a level at 09:30 on each date. */
const chart = (column: string, dates: readonly string[]): string => `${H(column)}\n${dates.flatMap((d) => EV.map((e) => `1,${d},${e}`)).join('\n')}\n`;
const hours = (text: string): number[] => readNmtran(text).records.map((r) => r.TIME);
/** The ISO date a remedy names for a cell: "(2026-12-01 for 2026/01/12)". */
const isoFor = (warning: string, cell: string): string => (new RegExp(`\\((\\d{4}-\\d{2}-\\d{2}) for ${cell.replaceAll('/', '\\/')}\\)`).exec(warning) as RegExpExecArray)[1] as string;

describe('ISO dates under DAT2 are ISO (dat2iso.csv, dat2first.csv)', () => {
  it('are not warned, and read as under DATE: 744 h from 12 January to 12 February', () => {
    for (const dates of [['2026-01-12', '2026-02-12'], ['2026-01-01', '2026-02-01', '2026-03-01']]) {
      const d = readNmtran(chart('DAT2', dates), { file: 'dat2iso.csv' });
      expect(d.warnings).toBeUndefined();
      expect(d.records.map((r) => r.TIME)).toEqual(hours(chart('DATE', dates)));
    }
    expect(hours(chart('DAT2', ['2026-01-12', '2026-02-12']))).toEqual([0, 1.5, 744, 745.5]);
  });
  it('times going back on ISO dates under DAT2 are refused without a hint to name the column DAT3', () => {
    expect(caught(() => readNmtran(chart('DAT2', ['2026-05-03', '2026-04-04']))).message).not.toMatch(/DAT3/);
  });
});

describe('yyyy/mm/dd under DAT2 (dat2slash.csv): its likely reading first, its remedies each giving the hours they say', () => {
  const slash = chart('DAT2', ['2026/01/12', '2026/02/12']);
  const w = (readNmtran(slash, { file: 'dat2slash.csv' }).warnings ?? [])[0] as string;
  it('says that DAT2 is the order nearly every chart writes, ISO first, DAT3 only for year/day/month', () => {
    expect(w).toMatch(/^W_DATE_ORDER: dat2slash\.csv, rows 2 and 3 \(ID 1\): .*DAT2 2026\/01\/12 as 12 January 2026 .*read year\/day\/month they are 1 December 2026 and 2 December 2026, 22\.5 h apart/);
    expect(w).toMatch(/if the chart writes year\/month\/day, as read \(the order of ISO dates and of nearly every chart\), write the dates ISO \(2026-01-12 for 2026\/01\/12\), which silences this warning; only if it writes year\/day\/month, name the column DAT3$/);
  });
  it('the ISO it names, under DAT2, reads the hours as read (744 h) and silences the warning', () => {
    const fixed = readNmtran(chart('DAT2', [isoFor(w, '2026/01/12'), '2026-02-12']));
    expect(fixed.warnings).toBeUndefined();
    expect(fixed.records.map((r) => r.TIME)).toEqual([0, 1.5, 744, 745.5]);
  });
});

describe('DAT3: the "as read" remedy writes ISO under DAT2 (ISO under DAT3 is read year/day/month again)', () => {
  const dat3 = chart('DAT3', ['2026/03/04', '2026/03/05']);
  const w = (readNmtran(dat3).warnings ?? [])[0] as string;
  it('names DAT2 with the ISO dates; followed, the hours are those read under DAT3 (4 May, 720 h on), without a warning', () => {
    expect(w).toMatch(/if it writes the day before the month, as read, write the dates ISO \(2026-04-03 for 2026\/03\/04\) and name the column DAT2, which silences this warning$/);
    const fixed = readNmtran(chart('DAT2', [isoFor(w, '2026/03/04'), '2026-05-03']));
    expect(fixed.warnings).toBeUndefined();
    expect(fixed.records.map((r) => r.TIME)).toEqual(hours(dat3));
    expect(hours(dat3)).toEqual([0, 1.5, 720, 721.5]);
  });
  it('a refusal of times going back under DAT3 names DAT2 and no ISO dates under DAT3', () => {
    const m = caught(() => readNmtran(chart('DAT3', ['2026/03/05', '2026/04/04']))).message;
    expect(m).toMatch(/name the column DAT2 \(year\/month\/day\)/);
    expect(m).not.toMatch(/write the dates ISO/);
  });
});
