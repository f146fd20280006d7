// Edges of the clock reader (src/regimen/clock.ts): 24:00 as a clock time to resolve,
// impossible UTC offsets, valid ISO 8601 / RFC 3339 spellings that were refused, and the dates of
// one ID taken per ID. Reference hours are python datetime differences, computed when the tests
// were written (quoted beside each value).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { clockInstant, clockMinutes, patientDates } from '../../../src/regimen/clock.js';

const times = (csv: string): number[] => readNmtran(csv).records.map((r) => r.TIME);
const stamped = (second: string): string => `ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-28T20:00Z,1,1000,1000,.,1\n1,${second},0,.,.,10,0\n`;

describe('24:00 as a clock time to resolve', () => {
  // the last record at 1 January 2027 00:00, in clockMinutes' units (minutes since 1970)
  const midnight = Date.UTC(2027, 0, 1) / 60_000;

  it('24:00 after a record at 00:00 is that same instant, as 00:00 is (it read the next midnight, +1440 min)', () => {
    // 24:00 is 00:00 of the next day; the first one at or after 1 Jan 00:00 is 31 Dec 24:00 = 1 Jan 00:00
    expect(clockInstant('00:00', 'wall', midnight, '--from')).toBe(midnight);
    expect(clockInstant('24:00', 'wall', midnight, '--from')).toBe(midnight);
    expect(clockInstant('2026-12-31T24:00', 'wall', midnight, '--from')).toBe(midnight);
  });

  it('24:00 after a record at 20:00 is the coming midnight, as 00:00 is (4 h later)', () => {
    const eight = midnight - 4 * 60;
    expect(clockInstant('24:00', 'wall', eight, '--earliest')).toBe(midnight);
    expect(clockInstant('00:00', 'wall', eight, '--earliest')).toBe(midnight);
  });
});

describe('UTC offsets', () => {
  it('refuses minutes past 59 (+01:99 read as +2 h 39, +01:60 as +2 h), naming the row, column and cell', () => {
    expect(() => readNmtran(stamped('2026-03-29T08:00+01:99'), { file: 'o.csv' })).toThrow(/o\.csv, row 2, column TIME: no such UTC offset \+01:99 \(its minutes are 00 to 59\).*2026-03-29T08:00\+01:99/);
    expect(() => readNmtran(stamped('2026-03-29T08:00+01:60'))).toThrow(/row 2, column TIME: no such UTC offset \+01:60/);
  });

  it('refuses offsets outside −12:00…+14:00 (-25:00 was read as one)', () => {
    expect(() => readNmtran(stamped('2026-03-29T20:00-25:00'))).toThrow(/row 2, column TIME: no such UTC offset -25:00 \(offsets are −12:00 to \+14:00\)/);
    expect(() => readNmtran(stamped('2026-03-29T20:00+14:01'))).toThrow(/no such UTC offset \+14:01/);
    expect(() => readNmtran(stamped('2026-03-29T20:00-12:30'))).toThrow(/no such UTC offset -12:30/);
  });

  it('keeps the extremes −12:00 and +14:00 (python: 36 h and 34 h after 2026-03-28T20:00Z)', () => {
    expect(times(stamped('2026-03-29T20:00-12:00'))).toEqual([0, 36]);
    expect(times(stamped('2026-03-30T20:00+14:00'))).toEqual([0, 34]);
    expect(times(stamped('2026-03-29T08:00+05:30'))).toEqual([0, 6.5]);
  });

  it('refuses an impossible offset in --from, naming the option and the value', () => {
    expect(() => clockInstant('2026-03-29T20:00+02:99', 'instant', 0, '--from')).toThrow(/--from 2026-03-29T20:00\+02:99: no such UTC offset \+02:99/);
    expect(() => clockInstant('2026-03-29T20:00-25:00', 'instant', 0, '--earliest')).toThrow(/--earliest 2026-03-29T20:00-25:00: no such UTC offset -25:00/);
  });
});

describe('ISO 8601 / RFC 3339 spellings', () => {
  it('reads an offset of hours only, +02 (refused before), as +02:00: 10 h after 20:00Z (python)', () => {
    expect(times(stamped('2026-03-29T08:00+02'))).toEqual([0, 10]);
    expect(times(stamped('2026-03-29T08:00+0200'))).toEqual([0, 10]);
  });

  it('reads lowercase t and z (RFC 3339 allows them; refused before): 12 h', () => {
    expect(times(stamped('2026-03-29t08:00z'))).toEqual([0, 12]);
  });

  it('keeps refusing the basic format 20260329T0800Z (without separators it is a number, not read as a time)', () => {
    expect(() => readNmtran(stamped('20260329T0800Z'))).toThrow(/row 2, column TIME/);
  });

  it('DATE 2026-3-4 (a 4-digit year first: ISO, refused before) and a month/day DATE keep their readings: 36 h (python)', () => {
    expect(times('ID,DATE,TIME,AMT\n1,2026-3-4,08:00,100\n1,2026-3-5,20:00,0')).toEqual([0, 36]);
    expect(times('ID,DAT1,TIME,AMT\n1,2026-3-4,08:00,100\n1,2026-03-05,20:00,0')).toEqual([0, 36]);
    // DAT3 is year/day/month whatever the separator: 2026-4-3 is 4 March there
    expect(times('ID,DAT3,TIME,AMT\n1,2026-4-3,08:00,100\n1,2026-5-3,20:00,0')).toEqual([0, 36]);
    expect(times('ID,DATE,TIME,AMT\n1,3/4/2026,08:00,100\n1,3/5/2026,20:00,0')).toEqual([0, 36]);
  });

  it("reads Excel's date with its midnight (2026-03-04 00:00:00, refused before) as the date: 25.5 h (python)", () => {
    expect(times('ID,DATE,TIME,AMT\n1,2026-03-04 00:00:00,08:00,100\n1,2026-03-05 00:00:00,09:30,0')).toEqual([0, 25.5]);
    expect(times('ID,DAT1,TIME,AMT\n1,04/03/2026 00:00,08:00,100\n1,05/03/2026 00:00,09:30,0')).toEqual([0, 25.5]);
  });

  it('keeps refusing a date cell with another time of day, and a midnight on a date without a year', () => {
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,2026-03-04 08:00:00,08:00,100')).toThrow(/row 1, column DATE: not a date/);
    expect(() => readNmtran('ID,DATE,TIME,AMT\n1,03-04 00:00,08:00,100')).toThrow(/row 1, column DATE: a date with a time of day/);
  });
});

describe('dates per ID', () => {
  it('one ID with day numbers leaves another its calendar dates (the file-wide forms were [1, 3], no calendar for either)', () => {
    const csv = 'ID,DAT1,TIME,AMT\n1,1,08:00,100\n1,1,20:00,0\n2,03/12/2026,08:00,100\n2,03/12/2026,20:00,0';
    const d = readNmtran(csv);
    const c = clockMinutes(d.columns, d.cells, undefined, d.records.map((r) => r.ID));
    if (!c) throw new Error('no clock');
    expect(c.calendar).toBe(false);
    expect(patientDates(c, [1, 2])).toMatchObject({ dated: true, forms: [1], calendar: false });
    expect(patientDates(c, [3, 4])).toMatchObject({ dated: true, forms: [3], calendar: true });
  });
});
