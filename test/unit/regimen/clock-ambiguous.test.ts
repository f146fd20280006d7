// A chart time in the hour the clocks repeat (Europe/Berlin 2026-10-25 02:00–03:00, New York
// 2026-11-01 01:00–02:00), read on the ward's clock (readNmtran's onZoneClock, `--tz`), was the
// earlier of its two instants without a word: a dose at 02:30 read 6.5 h after the evening's dose
// where the chart cannot tell 6.5 from 7.5 h. Now an ID's records in that hour at clock times that
// increase in chart order (one record, one event at one clock time, a q6h trough at 02:00 and the
// dose at 02:10) are read on one pass, the first, their spacing the charted one, and warned
// (W_CLOCK_AMBIGUOUS: the rows, the times, the reading taken, the other one and its hours). f34d273
// refused the q6h chart (and with it every patient of the file; t5 report); only a record charted
// after one of a later clock time in the hour (02:40, then 02:10), where the chart's order forces a
// switch of pass, is refused, naming both rows. Reference instants and hours: python zoneinfo,
// fold 0 and 1 (test/oracle/clock_ambiguous.py → clock-ambiguous.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

interface Case {
  zone: string;
  chart: string[];
  row: number;
  first: number[];
  second: number[];
  first_offset: string;
  second_offset: string;
  first_utc: string;
  second_utc: string;
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/clock-ambiguous.json'), 'utf8')) as Record<'berlin_dose' | 'berlin_first' | 'new_york_dose', Case> & Record<'pair_in_order' | 'pair_going_back', { one_pass: number; two_passes: number }> & { q6_trough_dose: { chart: string[]; first: number[]; second: number[]; mixed_minutes: number } };

const EVIDS = [1, 1, 0];
const chart = (c: Case): string =>
  `ID,DAT2,TIME,EVID,AMT,DV,MDV\n${c.chart.map((w, i) => `1,${w.slice(0, 10)},${w.slice(11)},${EVIDS[i]},${EVIDS[i] ? 1000 : '.'},${EVIDS[i] ? '.' : 20},${EVIDS[i] ? 1 : 0}`).join('\n')}\n`;
const onZone = (text: string, zone: string) => readNmtran(text, { file: 'w.csv', zone, onZoneClock: true });

describe('W_CLOCK_AMBIGUOUS: one record of an ID in the hour the clocks repeat', () => {
  it.each(['berlin_dose', 'new_york_dose'] as const)('%s: read as the first pass (python fold 0), warned with the second’s hours (fold 1)', (name) => {
    const c = ORACLE[name];
    const d = onZone(chart(c), c.zone);
    expect(d.records.map((r) => r.TIME)).toEqual(c.first);
    const w = (d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'));
    expect(w).toHaveLength(1);
    const wall = c.chart[c.row - 1] as string;
    const time = wall.slice(11);
    expect(w[0]).toContain(`W_CLOCK_AMBIGUOUS: w.csv, ID 1: row ${c.row} (${wall.replace('T', ' ')})`);
    expect(w[0]).toContain(`read as the first, ${time} ${c.first_offset} (${c.first_utc} UTC)`);
    expect(w[0]).toContain(`the second, ${time} ${c.second_offset} (${c.second_utc} UTC), 1 h later, puts it ${c.second[1]} h after the ID's first record (row 1) for ${c.first[1]} h`);
    expect(w[0]).toContain(`${wall}${c.second_offset}`);
  });

  it('the ID’s first record in the hour: its later records 1 h closer to it (python: 5.5 and 12 h for 6.5 and 13)', () => {
    const c = ORACLE.berlin_first;
    const d = onZone(chart(c).replace(/,1,1000,\.,1\n/, ',0,.,20,0\n'), c.zone);
    expect(d.records.map((r) => r.TIME)).toEqual(c.first);
    const w = (d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`the second, 02:30 +01:00 (01:30 UTC), 1 h later, puts the ID's later records 1 h closer to it (row 2 at ${c.second[1]} h for ${c.first[1]} h)`);
  });

  it('a dose and a level at one clock time in the hour are one event: read on one pass, one warning naming both rows', () => {
    const text = 'ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2026-10-24,20:00,1,1000,.,1\n1,2026-10-25,02:30,0,.,20,0\n1,2026-10-25,02:30,1,1000,.,1\n1,2026-10-25,08:00,0,.,10,0\n';
    const d = onZone(text, 'Europe/Berlin');
    expect(d.records.map((r) => r.TIME)).toEqual([0, 6.5, 6.5, 13]);
    const w = (d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('rows 2 and 3 (2026-10-25 02:30)');
  });

  it('on the wall clock (no onZoneClock), or an hour outside the switch, nothing is said', () => {
    const c = ORACLE.berlin_dose;
    expect(readNmtran(chart(c), { zone: c.zone }).warnings?.some((x) => x.startsWith('W_CLOCK_AMBIGUOUS')) ?? false).toBe(false);
    expect(onZone(chart(c).replace('02:30', '03:30'), c.zone).warnings?.some((x) => x.startsWith('W_CLOCK_AMBIGUOUS')) ?? false).toBe(false);
  });
});

describe('records of an ID in the repeated hour at increasing clock times: read on one pass', () => {
  const text = (a: string, b: string): string => `ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2026-10-24,20:00,1,1000,.,1\n1,2026-10-25,${a},1,1000,.,1\n1,2026-10-25,${b},0,.,20,0\n`;
  it(`a dose at 02:10, a level at 02:40: ${ORACLE.pair_in_order.one_pass} min apart as charted (python; ${ORACLE.pair_in_order.two_passes} on the two passes, not taken)`, () => {
    const d = onZone(text('02:10', '02:40'), 'Europe/Berlin');
    const t = d.records.map((r) => r.TIME);
    expect(((t[2] as number) - (t[1] as number)) * 60).toBeCloseTo(ORACLE.pair_in_order.one_pass, 9);
    const w = (d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('rows 2 and 3 (2026-10-25 02:10, 02:40) lie in the hour the clocks of Europe/Berlin repeat, each time twice on its clock: read as the first, 02:10, 02:40 +02:00 (00:10, 00:40 UTC); the second, 02:10, 02:40 +01:00 (01:10, 01:40 UTC), 1 h later');
    expect(w[0]).toContain(`row 2 on the first and row 3 on the second would put them ${ORACLE.pair_in_order.two_passes / 60} h apart for ${ORACLE.pair_in_order.one_pass / 60} h`);
  });
  it(`the q6h chart: trough 02:00, dose 02:10 read on the first pass (python ${ORACLE.q6_trough_dose.first.join(', ')} h), not refused`, () => {
    const c = ORACLE.q6_trough_dose;
    const ev = [1, 1, 0, 1, 0, 1];
    const rows = c.chart.map((x, i) => `1,${x.slice(0, 10)},${x.slice(11)},${ev[i]},${ev[i] ? 1000 : '.'},${ev[i] ? '.' : 9.1},${ev[i] ? 1 : 0}`);
    const d = onZone(`ID,DAT2,TIME,EVID,AMT,DV,MDV\n${rows.join('\n')}\n`, 'Europe/Berlin');
    d.records.forEach((r, i) => expect(r.TIME).toBeCloseTo(c.first[i] as number, 9));
    const w = (d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/ID 1: rows 3 and 4 \(2026-10-25 02:00, 02:10\).*the second, 02:00, 02:10 \+01:00 \(01:00, 01:10 UTC\), 1 h later, puts them 13 h after the ID's first record \(row 1\) for 12 h/);
    expect(w[0]).toContain(`would put them ${Number((c.mixed_minutes / 60).toFixed(4))} h apart for 0.1667 h`);
    // a second patient in the file is read too (t5 autumn_2ids.csv: one refusal lost every ID)
    const two = `ID,DAT2,TIME,EVID,AMT,DV,MDV\n${rows.join('\n')}\n2,2026-10-24,08:00,1,1000,.,1\n2,2026-10-25,07:30,0,.,9.1,0\n`;
    expect(onZone(two, 'Europe/Berlin').records.filter((r) => r.ID === 2).map((r) => r.TIME)).toEqual([0, 24.5]);
  });
});

describe('a record charted after one of a later clock time in the repeated hour: refused', () => {
  const text = (a: string, b: string): string => `ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2026-10-24,20:00,1,1000,.,1\n1,2026-10-25,${a},1,1000,.,1\n1,2026-10-25,${b},0,.,20,0\n`;
  it(`a dose at 02:40, then a level at 02:10: before it on one pass (${ORACLE.pair_going_back.one_pass} min), ${ORACLE.pair_going_back.two_passes} min after on the two; not "times must not decrease"`, () => {
    expect(() => onZone(text('02:40', '02:10'), 'Europe/Berlin')).toThrow(
      new RegExp(`row 3 is ${-ORACLE.pair_going_back.one_pass} min before row 2 on one pass of it, ${ORACLE.pair_going_back.two_passes} min after on the two`),
    );
  });
  it('another ID’s record in the hour is no matter', () => {
    const two = 'ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2026-10-24,20:00,1,1000,.,1\n1,2026-10-25,02:10,0,.,20,0\n2,2026-10-24,20:00,1,1000,.,1\n2,2026-10-25,02:40,0,.,20,0\n';
    const d = onZone(two, 'Europe/Berlin');
    expect(d.records.map((r) => r.TIME)).toEqual([0, 6 + 1 / 6, 0, 6 + 2 / 3]);
    expect((d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'))).toHaveLength(2);
  });
});
