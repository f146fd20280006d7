// A chart's clock times without a UTC offset are read on the wall clock (clock.ts): across a
// daylight-saving switch of the ward's zone the hours between two records are then 1 h off the real
// elapsed time (20:00 to 08:00 across Berlin's spring switch: 12 h read, 11 h elapsed), and a fit
// of those levels moved silently (vancomycin CL 2.687 where the instants give 2.680). The rule
// stands (the chart does not say its zone); where the zone in use is known, the switch is said.

import { Errors } from '../errors.js';
import { offsetText, patientDates, type ClockMinutes } from './clock.js';

// one formatter per zone: building one per call read a 60,000-record chart in minutes
const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset (minutes east) at an instant, in minutes since 1970. */
function offsetAt(instant: number, zone: string): number {
  const f = FORMATS.get(zone) ?? FORMATS.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })).get(zone) as Intl.DateTimeFormat;
  const parts = f.formatToParts(new Date(instant * 60_000));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) / 60_000 - instant);
}

/**
 * The zone's UTC offset of a wall-clock time (clockMinutes' units): in a repeated hour the earlier
 * instant's, in a skipped one the offset before the switch (as Temporal's 'compatible' reads it).
 */
function wallOffset(wall: number, zone: string): number {
  const before = offsetAt(wall - 1440, zone);
  const fits = [before, offsetAt(wall, zone), offsetAt(wall + 1440, zone)].filter((o) => offsetAt(wall - o, zone) === o);
  return fits.length === 0 ? before : Math.max(...fits);
}

interface Switch {
  /** The first minute (since 1970) in the new offset, and the offsets before and after. */
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** The zone's switches between two wall-clock times, found day by day (switches lie months apart). */
function switchesBetween(from: number, to: number, zone: string): Switch[] {
  const out: Switch[] = [];
  let t = from - 1440;
  let o = offsetAt(t, zone);
  while (t < to + 1440) {
    const next = Math.min(t + 1440, to + 1440);
    const on = offsetAt(next, zone);
    if (on !== o) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid, zone) === o) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before: o, after: on });
    }
    t = next;
    o = on;
  }
  return out;
}

/** The canonical name of an IANA zone, refusing an unknown one by the option that gave it. */
export function chartZone(zone: string | undefined, what = 'zone'): string {
  try {
    return new Intl.DateTimeFormat('en-US', zone === undefined ? {} : { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw Errors.optionValue(what, zone, 'not a time zone: give an IANA name such as Europe/Berlin, America/New_York or UTC');
  }
}

const stamp = (wall: number): string => new Date(Math.round(wall) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
const hours = (minutes: number): string => `${Number((minutes / 60).toFixed(4))} h`;

/**
 * W_CLOCK_DST for every daylight-saving switch of `zone` that lies between two consecutive records
 * of an ID charted on the wall clock with calendar dates (day numbers have no calendar to switch).
 * `given` says whether the zone was given or is the process's; `resets`, the 1-based rows of resets
 * (EVID 3, 4). Each warning with the 1-based row after the switch.
 */
export function clockDstWarnings(clock: ClockMinutes, ids: readonly number[], resets: ReadonlySet<number>, zone: string, given: boolean, file?: string): { readonly row: number; readonly text: string }[] {
  if (clock.kind !== 'wall') return [];
  const rowsOf = new Map<number, number[]>();
  ids.forEach((id, k) => {
    const rows = rowsOf.get(id) ?? rowsOf.set(id, []).get(id) as number[];
    rows.push(k + 1);
  });
  const out: { row: number; text: string }[] = [];
  const zoneWords = `${zone}${given ? '' : " (the process's time zone, TZ)"}`;
  const dated = [...rowsOf].filter(([, rows]) => patientDates(clock, rows).calendar);
  let [from, to] = [Infinity, -Infinity];
  for (const [, rows] of dated)
    for (const r of rows) {
      from = Math.min(from, clock.abs[r - 1] as number);
      to = Math.max(to, clock.abs[r - 1] as number);
    }
  const switches = dated.length === 0 ? [] : switchesBetween(from, to, zone);
  for (const [id, rows] of dated) {
    for (const sw of switches) {
      // the first wall time read in the new offset: a skipped or repeated hour reads in the old one, as wallOffset does
      const edge = sw.at + Math.max(sw.before, sw.after);
      const i = rows.findIndex((r, k) => k > 0 && (clock.abs[(rows[k - 1] as number) - 1] as number) < edge && (clock.abs[r - 1] as number) >= edge);
      // a reset (EVID 3, 4) after the switch: the hours before it are read by nothing
      if (i < 0 || resets.has(rows[i] as number)) continue;
      const [ra, rb] = [rows[i - 1] as number, rows[i] as number];
      const [wa, wb] = [clock.abs[ra - 1] as number, clock.abs[rb - 1] as number];
      const [oa, ob] = [wallOffset(wa, zone), wallOffset(wb, zone)];
      const wall = wb - wa;
      const instant = wb - ob - (wa - oa);
      // two switches between the rows (months apart) cancel: their hours are the instants'
      if (instant === wall) continue;
      out.push({
        row: rb,
        text:
          `W_CLOCK_DST: ${file ?? 'the data set'}, ID ${id}: the daylight-saving switch of ${zoneWords} at ${stamp(sw.at + sw.before)} ${offsetText(sw.before)} (${stamp(sw.at + sw.after)} ${offsetText(sw.after)}) lies between row ${ra} (${stamp(wa)}) and row ${rb} (${stamp(wb)}): ` +
          `their times, without a UTC offset, are read on the wall clock, ${hours(wall)} apart, where the instants are ${hours(instant)} apart; ` +
          `to have them read as instants, give the times with their UTC offsets (ISO 8601, e.g. ${stamp(wa).replace(' ', 'T')}${offsetText(oa)})`,
      });
    }
  }
  return out;
}
