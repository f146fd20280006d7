// A chart without UTC offsets read on a named zone's clock. Its times are otherwise read on the wall
// clock (clock.ts), so across a daylight-saving switch the hours between them are 1 h off the real
// elapsed time: advice from 08:00 on the morning Berlin's clocks went forward read 24 h after a
// dose at 08:00 the day before, where 23 h had passed, and its hold ended 1 h early (a level of
// 20.32 at the advised 17:00, the hold's ceiling 20). Where the ward's zone is given, each time is
// the instant that zone's clock showed it, and the hours are real.

import { Errors } from '../errors.js';
import type { ClockMinutes } from './clock.js';
import { wallInstants } from './clock-dst.js';

// the clocks onZoneClock made, with the zone they were read on
const ZONES = new WeakMap<ClockMinutes, string>();
// and their rows whose time the clocks went back over: row index → the later instant (the earlier is read)
const SECONDS = new WeakMap<ClockMinutes, Map<number, number>>();

/** Of a clock onZoneClock read, the rows (0-based) in an hour its zone's clocks repeat, each with the later of its two instants. */
export function secondReadings(clock: ClockMinutes): ReadonlyMap<number, number> | undefined {
  return SECONDS.get(clock);
}

/** The zone a chart written without offsets was read on (onZoneClock), or undefined: its times are then instants. */
export function zoneOfClock(clock: ClockMinutes): string | undefined {
  return ZONES.get(clock);
}

const stamp = (wall: number): string => new Date(Math.round(wall) * 60_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * `clock` with its wall-clock calendar times read as instants on `zone`'s clock, each row's offset
 * that zone's then; a time the clocks went back over is the earlier of its two instants (the later
 * kept for secondReadings: repeated-hour.ts warns or refuses), one they
 * skipped (02:30 on the morning of the spring switch) is refused naming its row. A clock with
 * offsets, or with day numbers or dates without a year (no calendar day to place), is returned as is.
 */
export function onZoneClock(clock: ClockMinutes, zone: string, columns: readonly string[], cells: readonly (readonly string[])[], file?: string): ClockMinutes {
  if (clock.kind !== 'wall' || !clock.calendar) return clock;
  const abs: number[] = [];
  const offsets: number[] = [];
  const seconds = new Map<number, number>();
  clock.abs.forEach((w, k) => {
    const both = wallInstants(w, zone);
    const at = both[0];
    if (both.length > 1) seconds.set(k, both[1] as number);
    if (at === undefined) {
      const cell = cells[k]?.[clock.timeColumn] ?? '';
      throw Errors.csvValue(k + 1, columns[clock.timeColumn] as string, cell, `${stamp(w)} is no time on the clock of ${zone} (its clocks skip it that day, going to summer time): check the time`, file);
    }
    abs.push(at);
    offsets.push(w - at);
  });
  const read: ClockMinutes = { ...clock, abs, offsets, kind: 'instant' };
  ZONES.set(read, zone);
  SECONDS.set(read, seconds);
  return read;
}
