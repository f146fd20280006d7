// W_CLOCK_DST past the chart's records. A daylight-saving switch between a wall-clock
// chart's last record and `optimize --from` was said nowhere, even with --tz naming the ward's zone:
// vancomycin at 08:00 and 20:00 on 28 March 2026 and a level at 01:30, advice from 08:00 after
// Berlin's clocks went forward read 24 h after the first dose where 23 h had passed, the level
// 24.27 for 24.90 and the hold ending at 17:00 (8.751 h), when the level is still 20.32 > 20. Now
// --tz reads the chart on the ward's clock (real hours), and without it the switch is warned
// wherever it falls after the records: --from, the advised next dose, a forecast's future doses.
// Reference: test/oracle/clock_dst_advice.py (python zoneinfo + matrix exponential) →
// clock-dst-advice.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

interface Case {
  from_hours: number;
  wall_hours: number;
  level_at_from: number;
  level_at_wall_24: number;
  below_20_hours_after_from: number;
  level_at_17: number;
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/clock-dst-advice.json'), 'utf8')) as Record<'spring' | 'autumn', Case>;

const { write: file } = tempFiles('dosewise-dst-after-');
const head = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n';
const chart = (d1: string, d2: string): string => `${head}1,${d1},08:00,1,1500,1000,.,1,80,40,0\n1,${d1},20:00,1,1500,1000,.,1,80,40,0\n1,${d2},01:30,0,.,.,38.0,0,80,40,0\n`;
const spring = file('dst3.csv', chart('2026-03-28', '2026-03-29'));
const autumn = file('dst2.csv', chart('2026-10-24', '2026-10-25'));
const ADVISE = ['--target', 'auc24:400:600,trough::20', '--doses', '500:2000:250', '--intervals', '12,24', '--infusions', '1', '--top', '1', '--seed', '1', '--draws', '200'];
const optimize = (data: string, from: string, ...more: string[]) => cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', from, ...ADVISE, ...more]);
type Out = { from: number; from_clock: string; state: { mode: number }; hold: { hours: number; until: number; until_clock: string } | null; warnings: { code: string; message: string }[] };
const parsed = (s: string): Out => (JSON.parse(s) as Out[])[0] as Out;

const tz = process.env.TZ;
afterEach(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

describe('optimize --from --tz: the chart read on the ward’s clock, its hours real across a switch', () => {
  it.each([
    ['spring', spring, '2026-03-29T08:00', '2026-03-29T18:00'],
    ['autumn', autumn, '2026-10-25T08:00', '2026-10-25T16:00'],
  ] as const)('%s: --from 08:00 in real hours after the first dose (23 h, 25 h: python zoneinfo), the level and the hold on them', async (name, data, from, until) => {
    const c = ORACLE[name];
    process.env.TZ = 'UTC';
    const r = await optimize(data, from, '--tz', 'Europe/Berlin', '--json');
    expect(r.code, r.err).toBe(0);
    const o = parsed(r.out);
    expect(o.from).toBe(c.from_hours);
    expect(o.from_clock).toBe(`${from}:00`);
    // the MAP of the history is the same on both charts: the level at the real hours, not at 24 h
    expect(o.state.mode).toBeCloseTo(c.level_at_from, 3);
    expect(Math.abs(o.state.mode - c.level_at_wall_24)).toBeGreaterThan(0.5);
    // the hold in whole hours past the crossing (9.751 h spring, 7.751 h autumn): 18:00 CEST, 16:00 CET
    expect(o.hold?.hours).toBe(Math.ceil(c.below_20_hours_after_from));
    expect(o.hold?.until_clock).toBe(`${until}:00`);
    expect(r.err).not.toMatch(/W_CLOCK_DST/);
    const t = await optimize(data, from, '--tz', 'Europe/Berlin');
    expect(t.out).toContain(`advice from ${from.replace('T', ' ')} (${c.from_hours} h)`);
  });

  it('the spring level at the old advised 17:00 was above the hold level (python 20.32 > 20)', () => {
    expect(ORACLE.spring.level_at_17).toBeGreaterThan(20);
  });
});

describe('without --tz (the wall clock): W_CLOCK_DST where the switch lies after the records', () => {
  it('between the last record and --from, naming both clock times (TZ=Europe/Berlin)', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await optimize(spring, '2026-03-29T08:00', '--json');
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out).from).toBe(ORACLE.spring.wall_hours);
    const w = parsed(r.out).warnings.filter((x) => x.code === 'W_CLOCK_DST');
    expect(w).toHaveLength(1);
    expect(r.err).toMatch(
      /W_CLOCK_DST: \S*dst3\.csv, ID 1: the daylight-saving switch of Europe\/Berlin \(the process's time zone, TZ\) at 2026-03-29 02:00 \+01:00 \(2026-03-29 03:00 \+02:00\) lies between row 3 \(2026-03-29 01:30\), the chart's last record, and --from 2026-03-29T08:00 \(2026-03-29 08:00\): .*6\.5 h apart, where the instants are 5\.5 h apart.*--tz Europe\/Berlin/,
    );
    // a zone without the switch says nothing
    process.env.TZ = 'UTC';
    const u = await optimize(spring, '2026-03-29T08:00');
    expect(u.err).not.toMatch(/W_CLOCK_DST/);
  });

  it('between --from and the advised next dose (autumn: --from 00:00, the hold ends after the clocks go back)', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await optimize(autumn, '2026-10-25T01:45');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/W_CLOCK_DST: \S*dst2\.csv, ID 1: the daylight-saving switch of Europe\/Berlin \(the process's time zone, TZ\) at 2026-10-25 03:00 \+02:00 \(2026-10-25 02:00 \+01:00\) lies between --from 2026-10-25T01:45 \(2026-10-25 01:45\) and the advised next dose \(2026-10-25 \d\d:\d\d\)/);
  });

  it('a chart with UTC offsets: the next dose across the switch, shown in the last record’s offset, is said on the zone’s clock (TZ=Europe/Berlin)', async () => {
    const offsets = file('offpre.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,2026-03-28T08:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-28T20:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-29T01:30+01:00,0,.,.,20,0,80,40,0\n');
    process.env.TZ = 'Europe/Berlin';
    const r = await optimize(offsets, 'next-dose');
    expect(r.code, r.err).toBe(0);
    // 20:00 +01:00 + 12 h is 2026-03-29 07:00Z: 09:00 +02:00 in Berlin (python zoneinfo)
    expect(r.err).toMatch(/W_CLOCK_DST: \S*offpre\.csv, ID 1: the advice's times are shown in the offset of the chart's last record \(\+01:00\), and Europe\/Berlin, this computer's zone, is at \+02:00 by the advised next dose: 2026-03-29 08:00 \+01:00 is 2026-03-29 09:00 \+02:00 on its clock/);
    process.env.TZ = 'UTC';
    const u = await optimize(offsets, 'next-dose');
    expect(u.err).not.toMatch(/W_CLOCK_DST/);
    const t = await optimize(offsets, 'next-dose', '--tz', 'Europe/Berlin');
    expect(t.err).not.toMatch(/W_CLOCK_DST/);
  });

  it('forecast: between the history and the future regimen’s doses (TZ=Europe/Berlin)', async () => {
    process.env.TZ = 'Europe/Berlin';
    const future = file('dst3fut.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-29,08:00,0,.,.,.,0\n1,2026-03-29,17:00,1,1000,1000,.,1\n');
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', spring, '--regimen', future, '--draws', '20', '--metric', 'cmax']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/W_CLOCK_DST: \S*dst3fut\.csv, ID 1: the daylight-saving switch of Europe\/Berlin \(the process's time zone, TZ\) at 2026-03-29 02:00 \+01:00 \(2026-03-29 03:00 \+02:00\) lies between \S*dst3\.csv row 3 \(2026-03-29 01:30\) and \S*dst3fut\.csv row 1 \(2026-03-29 08:00\)/);
    process.env.TZ = 'UTC';
    const u = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', spring, '--regimen', future, '--draws', '20', '--metric', 'cmax']);
    expect(u.err).not.toMatch(/W_CLOCK_DST/);
  });
});

describe('readNmtran(text, { zone, onZoneClock: true })', () => {
  const text = 'ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2026-03-28,20:00,1,1000,.,1\n1,2026-03-29,08:00,1,1000,.,1\n1,2026-03-29,10:00,0,.,20,0\n';
  it('reads the times as the zone’s instants: 11 h across the spring switch (python zoneinfo), no W_CLOCK_DST', () => {
    const d = readNmtran(text, { zone: 'Europe/Berlin', onZoneClock: true });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 11, 13]);
    expect(d.warnings).toBeUndefined();
    // without it, the wall clock's 12 h, warned
    expect(readNmtran(text, { zone: 'Europe/Berlin' }).records.map((r) => r.TIME)).toEqual([0, 12, 14]);
  });
  it('refuses a time the clocks skip, naming its row', () => {
    const skipped = text.replace('2026-03-29,08:00', '2026-03-29,02:30');
    expect(() => readNmtran(skipped, { file: 's.csv', zone: 'Europe/Berlin', onZoneClock: true })).toThrow(/row 2.*2026-03-29 02:30 is no time on the clock of Europe\/Berlin/);
  });
});
