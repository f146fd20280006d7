// Excel serial date-times that still read as hours with exit 0 (after
// 021bb74): d/daily08_plus.csv, ID 1 daily at 08:00 (refused alone) beside ID 2's second course 10
// days later, whose doses 10 apart turned the check off for every ID (ID 1's daily doses read 1 h
// apart, last level IPRED 45.94 for 5.94); d/q24_18.csv, once daily at 18:00 with troughs at 06:00,
// every value a quarter day (12 h read 0.5 h, ETA_V1 +1.77 for -0.084); d/q12_0012.csv, q12h at
// 00:00 and 12:00 (12 h read 0.5 h, ETA_V1 +1.44). Each ID is judged on its own doses, and an ID
// whose doses lie 2 or less apart each (daily, q12h, every other day as days; every 2 h or less as
// hours) is refused. Reference: test/oracle/excel_serial_per_id.py (python datetime).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const ref = JSON.parse(readFileSync('test/oracle/excel-serial-per-id.json', 'utf8')) as Record<string, Record<string, string>> & { gap_hours: Record<string, number> };
const SH = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const DOSE = '1,1000,1000,.,1';
const rows = (cells: readonly string[]): string => `${SH}\n${cells.join('\n')}\n`;
/** Doses and levels of one ID: a value with a trailing * is a dose. */
const id = (n: number, times: readonly string[]): string[] => times.map((t) => (t.endsWith('*') ? `${n},${t.slice(0, -1)},${DOSE}` : `${n},${t},0,.,.,5.0,0`));
const refused = (csv: string, file = 'd.csv'): string => caught(() => readNmtran(csv, { file })).message;
const times = (csv: string): number[] => readNmtran(csv).records.map((r) => r.TIME);
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('judged per ID: one patient does not turn the check off for the others (daily08_plus.csv)', () => {
  const one = id(1, ['46085.333333*', '46085.5', '46086.333333*', '46087.333333*', '46087.5']);
  const two = id(2, ['46085.333333*', '46085.5', '46095.333333*', '46095.5']);
  it('ID 1 daily at 08:00 is refused beside ID 2 with doses 10 apart, naming ID 1, its row and its date-time', () => {
    expect(refused(rows([...one, ...two]), 'daily08_plus.csv')).toMatch(
      new RegExp(`^daily08_plus\\.csv, row 1, column TIME: every TIME lies between 32,874 and 73,051, .*46085\\.333333 is ${esc(ref.daily08_plus['46085.333333'] as string)}\\), while read as hours 46085\\.333333 is 20 min past the hour, 5\\.3 years of elapsed hours; ID 1's doses at rows .* lie 1 apart each: as Excel dates every 1 day at 08:00 .*, as hours every 1 h, and nothing in the column tells which: the column holds date-times saved as numbers\\.`),
    );
    // in the other order ID 2 comes first, and its doses 10 apart read both ways too (f9: an ID with
    // doses 8 or more apart was read as hours without a word); ID 1 alone is refused as before
    expect(refused(rows([...two, ...one]))).toMatch(/^d\.csv, row 1, column TIME: .*ID 2's doses at rows 1 and 3 lie 10 apart: as Excel dates 10 days apart .*, as hours 10 h apart/);
    expect(refused(rows(one))).toMatch(/^d\.csv, row 1, column TIME: .*ID 1's doses at rows .* as Excel dates .*, as hours /);
  });
});

describe('doses 2 or less apart each, every value a quarter day (q24_18.csv, q12_0012.csv)', () => {
  it('q24_18.csv: once daily at 18:00, troughs at 06:00, refused: 1 apart, 1 h as hours, 24 h as days', () => {
    expect(refused(rows(id(1, ['46085.75*', '46086.25', '46086.75*', '46087.25'])), 'q24_18.csv')).toMatch(
      new RegExp(`^q24_18\\.csv, row 1, column TIME: every TIME lies between 32,874 and 73,051, as Excel's serial date-times of 1990-2099 do \\(days since 1900: 46085\\.75 is ${esc(ref.q24_18['46085.75'] as string)}\\), and ID 1's doses lie 2 or less apart each, rows 1 and 3 1 apart, read as 1 h where as days they are ${ref.gap_hours.q24_18} h: the column holds date-times saved as numbers\\. Write TIME as hours since the first record`),
    );
  });
  it('q12_0012.csv: q12h at 00:00 and 12:00 with levels at the dose times, refused: 12 h as days', () => {
    expect(refused(rows(['1,46085,1,1000,1000,.,1', '1,46085.5,0,.,.,4.9,0', '1,46085.5,1,1000,1000,.,1', '1,46086,0,.,.,7.8,0', '1,46086,1,1000,1000,.,1', '1,46086.5,0,.,.,9.5,0']))).toMatch(
      new RegExp(`row 1, column TIME: .*46085 is ${esc(ref.q12_0012['46085'] as string)}\\), and ID 1's doses lie 2 or less apart each, rows 1 and 3 0\\.5 apart, read as 30 min where as days they are ${ref.gap_hours.q12_0012} h`),
    );
  });
  it('every other day at 18:00 (2 apart, 48 h), and in a second ID beside one read as hours with time: hours', () => {
    const q48 = id(2, ['46085.75*', '46086.25', '46087.75*', '46088.25', '46089.75*']);
    expect(refused(rows(q48))).toMatch(new RegExp(`46085\\.75 is ${esc(ref.q48_18['46085.75'] as string)}\\), and ID 2's doses lie 2 or less apart each, rows 1 and 3 2 apart, read as 2 h where as days they are ${ref.gap_hours.q48_18} h`));
    const hours = id(1, ['35040*', '35041.5', '35052*', '35064*', '35065.25']);
    // ID 1's doses 12 apart read both ways (f9): refused first, at its row 1; with time: 'hours' both IDs read as written
    expect(refused(rows([...hours, ...q48]))).toMatch(/^d\.csv, row 1, column TIME: .*ID 1's doses at rows 1, 3 and 4 lie 12 apart each/);
    expect(refused(rows([...q48, ...hours]))).toMatch(/^d\.csv, row 6, column TIME: .*ID 1's doses at rows 6, 8 and 9 lie 12 apart each/);
    expect(readNmtran(rows([...hours, ...q48]), { time: 'hours' }).records).toHaveLength(10);
  });
});

describe('elapsed hours in the window whose doses lie more than 2 apart are refused, and read as written with time: hours', () => {
  it('q4h, q12h with a gap, and one dose', () => {
    // one dose, its levels within 2 of it: read as written
    const one = ['35040*', '35040.25', '35041.5'];
    expect(times(rows(id(1, one)))).toEqual(one.map((x) => Number(x.replace('*', ''))));
    // q4h at whole hours is every 4 days at 00:00 as Excel dates (every value a quarter day): both a
    // chart's, refused (until 2026-12-07 read as hours without a word, and with it Excel's weekly
    // doses at 06:00 as 7 h apart: spreadsheet-dates-quarter-day-mid-gaps.test.ts)
    const q4 = ['35040*', '35044*', '35048*', '35049.5'];
    expect(refused(rows(id(1, q4)))).toMatch(/ID 1's doses at rows 1, 2 and 3 lie 4 apart each: as Excel dates every 4 days at 00:00 .*, as hours every 4 h/);
    expect(readNmtran(rows(id(1, q4)), { time: 'hours' }).records.map((r) => r.TIME)).toEqual(q4.map((x) => Number(x.replace('*', ''))));
    // doses 8 or more apart read as Excel dates too (every 12 days at 00:00): refused (f9), read as written with time: 'hours'
    const q12 = ['35040*', '35040.5', '35052*', '35064*', '35065.25', '35100*'];
    expect(refused(rows(id(1, q12)))).toMatch(/ID 1's doses at rows 1, 3, 4 and 6 lie 12, 12 and 36 apart: as Excel dates 12, 12 and 36 days apart/);
    expect(readNmtran(rows(id(1, q12)), { time: 'hours' }).records.map((r) => r.TIME)).toEqual(q12.map((x) => Number(x.replace('*', ''))));
    // two doses at one time (a bolus and an infusion) are no gap
    const bolus = rows(['1,35040,1,500,0,.,1', '1,35040,1,1000,1000,.,1', '1,35046,0,.,.,5,0', '1,35052,1,1000,1000,.,1']);
    expect(refused(bolus)).toMatch(/ID 1's doses at rows 1, 2 and 4 lie 0 and 12 apart/);
    expect(readNmtran(bolus, { time: 'hours' }).records.map((r) => r.TIME)).toEqual([35040, 35040, 35046, 35052]);
  });
});
