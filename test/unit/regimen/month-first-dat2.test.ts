// A US chart's month/day/year dates under DAT2 (NONMEM's year/month/day) were read without a word:
// 03/05/26, 03/06/26, 03/07/26 (5–7 March 2026) as 26 May, 26 June and 26 July 2003, the daily
// doses 744 h apart and the level at 1463.5 h for 47.5 (exit 0). The day-month swap of DAT2 (its
// last two fields) reads the US year as a month, and the two-digit-year rule wants a year that
// changes, where here the field read as the day (the US year) stays. Now W_DATE_ORDER says it, as
// it says a day-first chart under DATE, with both readings' dates and hours (python datetime:
// test/oracle/month_first_dat2.py → month-first-dat2.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

interface Case {
  chart: [string, string][];
  dat2: number[];
  month_first: number[];
  dat2_dates: string[];
  month_first_dates: string[];
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/month-first-dat2.json'), 'utf8')) as Record<'daily' | 'weekly', Case>;

const EVIDS = [1, 1, 0];
const text = (column: string, c: Case, ii = '.'): string =>
  `ID,${column},TIME,EVID,AMT,II,DV,MDV\n${c.chart.map(([d, t], i) => `1,${d},${t},${EVIDS[i]},${EVIDS[i] ? 1000 : '.'},${EVIDS[i] ? ii : '.'},${EVIDS[i] ? '.' : 10},${EVIDS[i] ? 1 : 0}`).join('\n')}\n`;
const warnings = (t: string): string[] => (readNmtran(t, { file: 'us.csv' }).warnings ?? []).filter((w) => w.startsWith('W_DATE_ORDER'));

describe('W_DATE_ORDER: month/day/year dates under DAT2', () => {
  it.each(['daily', 'weekly'] as const)('%s: read as DAT2 (python), warned with the month/day/year reading’s dates and hours', (name) => {
    const c = ORACLE[name];
    const t = text('DAT2', c);
    expect(readNmtran(t).records.map((r) => r.TIME)).toEqual(c.dat2);
    const w = warnings(t);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`W_DATE_ORDER: us.csv, rows 1 and 2 (ID 1): records read ${c.dat2[1]} h apart, DAT2 ${c.chart[0]?.[0]} as ${c.dat2_dates[0]} and ${c.chart[1]?.[0]} as ${c.dat2_dates[1]} (DAT2 is year/month/day), the ID's records spanning ${c.dat2[2]} h`);
    expect(w[0]).toContain(`read month/day/year they are ${c.month_first_dates[0]} and ${c.month_first_dates[1]}, ${c.month_first[1]} h apart, spanning ${c.month_first[2]} h`);
    expect(w[0]).toContain('if the chart writes month/day/year, name the column DATE');
    // followed, the remedy reads the month/day/year hours, without a warning
    const fixed = text('DATE', c);
    expect(readNmtran(fixed).records.map((r) => r.TIME)).toEqual(c.month_first);
    expect(warnings(fixed)).toEqual([]);
  });

  it('daily doses with II 24 (744 h apart read) are warned too', () => {
    expect(warnings(text('DAT2', ORACLE.daily, '24'))).toHaveLength(1);
  });

  it('a year/month/day chart of this decade (26/03/05: the first field no month) and ISO dates are not judged', () => {
    const ymd = 'ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,26/03/05,08:00,1,1000,.,1\n1,26/03/06,08:00,1,1000,.,1\n1,26/03/07,07:30,0,.,10,0\n';
    expect(readNmtran(ymd).records.map((r) => r.TIME)).toEqual([0, 24, 47.5]);
    expect(warnings(ymd)).toEqual([]);
    const iso = 'ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2003-05-26,08:00,1,1000,.,1\n1,2003-06-26,08:00,1,1000,.,1\n1,2003-07-26,07:30,0,.,10,0\n';
    expect(warnings(iso)).toEqual([]);
  });
});
