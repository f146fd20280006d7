// `optimize --from` on clock-time charts: a clock-time --from that lands on the next day (warned,
// W_FROM_LATER_DAY), `now` read on the chart's zone (--tz) with the zone named, next-dose across a
// daylight-saving switch read on the wall clock, times shown in the chart's offset, and a chart
// dated after now. Reference values computed with python datetime/zoneinfo when the tests were
// written; levels are the closed form of a 1-h infusion of 1000 into one compartment (CL 4, V 40,
// k = 0.1/h): 250·(1 − e^−0.1)·e^−0.1·(t − 1).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';

const { write: file } = tempFiles('dosewise-from-clock-');
const model = file('m1.model.json', ONE_CMT_MODEL);
const advise = ADVISE_ARGS;
type Out = { id: number; from: number; from_clock: string; next_time: number; next_clock: string; state: { mode: number } };
const parsed = (out: string): Out[] => JSON.parse(out) as Out[];

describe('a clock-time --from on a later day than the last record (W_FROM_LATER_DAY)', () => {
  it('--from 07:00 after a level at 07:30 is tomorrow 07:00, 24 h (python), and warned with both times and the full timestamp to give', async () => {
    const data = file('ld.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-06T07:00,1,1000,1000,.,1\n1,2026-03-06T07:30,0,.,.,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', '07:00', ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(24);
    expect(r.err).toMatch(/warning: .*ld\.csv, ID 1: W_FROM_LATER_DAY: --from 07:00 is 2026-03-07 07:00 \(24 h\), 23\.5 h after the last record \(2026-03-06 07:30\): .*to mean an earlier time, give it in full \(--from 2026-03-06T07:00\)/);
  });

  it('with two IDs, --from 09:00 is today for one (dose 06:00, level 07:00: 3 h) and tomorrow for the other (dose 08:00, level 09:15: 25 h): only the second is warned', async () => {
    const data = file('two.csv', 'ID,DAT2,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-06,08:00,1,1000,1000,.,1\n1,2026-03-06,09:15,0,.,.,.,1\n2,2026-03-06,06:00,1,1000,1000,.,1\n2,2026-03-06,07:00,0,.,.,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', '09:00', ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out).map((x) => x.from)).toEqual([25, 3]);
    // level of ID 2 at 3 h: 250·(1 − e^−0.1)·e^−0.2 = 19.4802
    expect(parsed(r.out)[1]?.state.mode).toBeCloseTo(19.4802, 2);
    expect(r.err).toMatch(/ID 1: W_FROM_LATER_DAY: --from 09:00 is 2026-03-07 09:00 \(25 h\), 23\.75 h after the last record \(2026-03-06 09:15\)/);
    expect(r.err).not.toMatch(/ID 2: W_FROM_LATER_DAY/);
  });

  it('on a chart of day numbers the day is printed, and the earlier time offered in hours', async () => {
    const data = file('dn.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,DV,MDV\n1,1,08:00,1,1000,1000,.,1\n1,1,09:15,0,.,.,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', '09:00', ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/W_FROM_LATER_DAY: --from 09:00 is day 2 09:00 \(25 h\), 23\.75 h after the last record \(day 1 09:15\): .*\(--from 1, hours since the first record\)/);
  });

  it('a clock time later the same day is not warned', async () => {
    const data = file('same.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-06T07:00,1,1000,1000,.,1\n1,2026-03-06T07:30,0,.,.,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', '10:00', ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(3);
    expect(r.err).not.toMatch(/W_FROM_LATER_DAY/);
  });
});

describe('--from now and --tz', () => {
  // now frozen at 2026-12-05 17:00 UTC: 18:00 in Berlin (python zoneinfo)
  const frozen = (): void => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-05T17:00:00Z') });
  };
  afterEach(() => vi.useRealTimers());
  const data = file('now.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-12-05T08:00,1,1000,1000,.,1\n1,2026-12-05T09:00,0,.,.,.,1\n');

  it('reads now on the clock of --tz and names it: Berlin 18:00 is 10 h (level 9.6726), UTC 17:00 is 9 h (10.6898)', async () => {
    frozen();
    const berlin = await cli(['optimize', '--model', model, '--data', data, '--from', 'now', '--tz', 'Europe/Berlin', ...advise]);
    expect(berlin.code, berlin.err).toBe(0);
    expect(berlin.out).toMatch(/ID 1: advice from now = 2026-12-05 18:00 Europe\/Berlin \(10 h\);/);
    expect(berlin.err).not.toMatch(/note: .*time zone/);
    const j = await cli(['optimize', '--model', model, '--data', data, '--from', 'now', '--tz', 'Europe/Berlin', ...advise, '--json']);
    expect(parsed(j.out)[0]?.from).toBe(10);
    expect(parsed(j.out)[0]?.state.mode).toBeCloseTo(9.672555, 2);
    const utc = await cli(['optimize', '--model', model, '--data', data, '--from', 'now', '--tz', 'UTC', ...advise, '--json']);
    expect(parsed(utc.out)[0]?.from).toBe(9);
    expect(parsed(utc.out)[0]?.state.mode).toBeCloseTo(10.689826, 2);
  });

  it('without --tz the process zone is read, and a note names it', async () => {
    frozen();
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'now', ...advise, '--json']);
    const t = await cli(['optimize', '--model', model, '--data', data, '--from', 'now', '--tz', zone, ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(parsed(t.out)[0]?.from);
    expect(r.err).toContain(`note: ${data}: now is read on the clock of ${zone} (the process's time zone, TZ)`);
    expect(r.err).toMatch(/give --tz with the ward's zone/);
  });

  it('refuses an unknown zone, and --tz without --from', async () => {
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'now', '--tz', 'Europe/Berln', ...advise]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--tz Europe\/Berln: not a time zone/);
    const w = await cli(['optimize', '--model', model, '--data', data, '--tz', 'UTC', ...advise]);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/--tz UTC: applies with --from/);
  });

  it('a chart dated after now is refused with both times (it said "--from now (-184.16 h): must be a time ≥ 0"): 4431 h before (python)', async () => {
    frozen();
    const later = file('later.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2027-06-08T08:00,1,1000,1000,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', later, '--from', 'now', '--tz', 'UTC', ...advise]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from now: ID 1: now is 2026-12-05 17:00 UTC, 4431 h before the chart's first record \(2027-06-08 08:00\): check the chart's dates/);
    expect(r.err).not.toMatch(/≥ 0/);
  });
});

describe('next-dose and clock times on a chart with offsets', () => {
  it('doses at 08:00 and 20:00 Berlin across the spring switch (11 h then 12 h apart) give the next dose at 20:00 +02:00, 35 h (python); it was refused', async () => {
    const data = file('dst.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-28T08:00+01:00,1,1000,1000,.,1\n1,2026-03-28T20:00+01:00,1,1000,1000,.,1\n1,2026-03-29T08:00+02:00,1,1000,1000,.,1\n1,2026-03-29T10:00+02:00,0,.,.,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(35);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-29T20:00:00+02:00');
    const t = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...advise]);
    // shown in the last record's offset, not UTC (it printed 18:00 UTC)
    expect(t.out).toMatch(/advice from 2026-03-29 20:00 \+02:00 \(35 h\)/);
    expect(t.out).not.toMatch(/UTC/);
  });

  it('across the autumn switch (13 h then 12 h apart): 20:00 +01:00, 37 h (python)', async () => {
    const data = file('dst2.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-10-24T08:00+02:00,1,1000,1000,.,1\n1,2026-10-24T20:00+02:00,1,1000,1000,.,1\n1,2026-10-25T08:00+01:00,1,1000,1000,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...advise, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(37);
  });

  it('a next dose past a switch is in the last record\'s offset (24 h), or in --tz\'s (08:00 +02:00 Berlin, 23 h; python zoneinfo)', async () => {
    const data = file('dst3.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-28T08:00+01:00,1,1000,1000,.,1\n1,2026-03-28T20:00+01:00,1,1000,1000,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...advise, '--json']);
    expect(parsed(r.out)[0]?.from).toBe(24);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-29T08:00:00+01:00');
    const z = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', '--tz', 'Europe/Berlin', ...advise, '--json']);
    expect(z.code, z.err).toBe(0);
    expect(parsed(z.out)[0]?.from).toBe(23);
    expect(parsed(z.out)[0]?.from_clock).toBe('2026-03-29T08:00:00+02:00');
  });
});
