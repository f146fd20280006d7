// `optimize --from 08:00 --tz Europe/Berlin` (or --from 2026-03-29T08:00) on a chart whose
// timestamps carry UTC offsets was refused "the data set's timestamps carry a time-zone offset:
// give a full timestamp", though --tz names the ward's clock, on which either is one instant. They
// are read on that clock now, in its offset then; without --tz the refusal stays (the offsets name
// no zone). Reference instants from python zoneinfo (quoted beside each value), e.g.
// datetime(2026, 3, 29, 8, 0, tzinfo=ZoneInfo('Europe/Berlin')) = 06:00Z, the day the clocks go to
// summer time: 23 h after the chart's first record (2026-03-28T08:00+01:00), not 24 h at the
// chart's +01:00.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';
import { clockInstant } from '../../../src/regimen/clock.js';

const { write: file } = tempFiles('dosewise-from-zone-');
const model = file('m1.model.json', ONE_CMT_MODEL);
// the last record at 2026-03-29T01:00+01:00 (00:00Z), an hour before the clocks go to summer time
const data = file('d1.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-28T08:00+01:00,1,1000,1000,.,1\n1,2026-03-28T20:00+01:00,1,1000,1000,.,1\n1,2026-03-29T01:00+01:00,0,.,.,.,1\n');
type Out = { from: number; from_clock: string };
const advise = (...from: string[]) => cli(['optimize', '--model', model, '--data', data, ...from, ...ADVISE_ARGS, '--json']);
const minutes = (iso: string): number => Date.parse(iso) / 60_000;

describe('--from without an offset on a chart with offsets, read on --tz’s clock', () => {
  it('08:00 and 2026-03-29T08:00 in Europe/Berlin are 06:00Z (CEST): 23 h after the first record', async () => {
    for (const from of ['08:00', '2026-03-29T08:00']) {
      const r = await advise('--from', from, '--tz', 'Europe/Berlin');
      expect(r.code, r.err).toBe(0);
      const o = (JSON.parse(r.out) as Out[])[0] as Out;
      expect(o.from, from).toBe(23);
      expect(o.from_clock, from).toBe('2026-03-29T08:00:00+02:00');
      expect(r.err).not.toMatch(/W_FROM_LATER_DAY/);
    }
  });

  it('a local timestamp before the switch keeps its winter offset: 2026-03-28T20:30 is 19:30Z, 12.5 h', async () => {
    const r = await advise('--from', '2026-03-28T20:30', '--tz', 'Europe/Berlin');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as Out[])[0]?.from).toBe(12.5);
  });

  it('without --tz both are still refused, naming the option', async () => {
    const clock = await advise('--from', '08:00');
    expect(clock.code).not.toBe(0);
    expect(clock.err).toMatch(/--from 08:00: the data set's timestamps carry a time-zone offset: give a full timestamp/);
    const stamp = await advise('--from', '2026-03-29T08:00');
    expect(stamp.code).not.toBe(0);
    expect(stamp.err).toMatch(/--from 2026-03-29T08:00: the data set's timestamps carry a time-zone offset: give one here too/);
  });

  it('a time the clocks skip is refused; one they go back over is its first instant', () => {
    const last = minutes('2026-03-29T00:00Z');
    expect(() => clockInstant('2026-03-29T02:30', 'instant', last, '--from', 'Europe/Berlin')).toThrow(/--from 2026-03-29T02:30: no such time in Europe\/Berlin/);
    expect(() => clockInstant('02:30', 'instant', last, '--from', 'Europe/Berlin')).toThrow(/--from 02:30: no such time in Europe\/Berlin on 2026-03-29/);
    // fold 0 of 2026-10-25 02:30 Berlin: 00:30Z; fold 1: 01:30Z
    expect(clockInstant('2026-10-25T02:30', 'instant', 0, '--from', 'Europe/Berlin')).toBe(minutes('2026-10-25T00:30Z'));
    expect(clockInstant('02:30', 'instant', minutes('2026-10-25T00:45Z'), '--from', 'Europe/Berlin')).toBe(minutes('2026-10-25T01:30Z'));
    // 08:00 after 01:00 CET on the switch day: 06:00Z; after 09:00 CEST: the next day's, 2026-03-30T06:00Z
    expect(clockInstant('08:00', 'instant', last, '--from', 'Europe/Berlin')).toBe(minutes('2026-03-29T06:00Z'));
    expect(clockInstant('08:00', 'instant', minutes('2026-03-29T07:00Z'), '--from', 'Europe/Berlin')).toBe(minutes('2026-03-30T06:00Z'));
    // an offset given is read as given, --tz or not
    expect(clockInstant('2026-03-29T08:00+01:00', 'instant', last, '--from', 'Europe/Berlin')).toBe(minutes('2026-03-29T07:00Z'));
  });
});
