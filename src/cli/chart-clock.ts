// The chart's clock beside hours since the first record, for the tables people read. estimate and
// forecast printed "47.6667" and "51.1667" for levels a pharmacist knows as 07:40 and 11:10, and
// finding which level was meant took date arithmetic. Machine columns (JSON) keep the hours alone.

import { clockMinutes, offsetText, wallMinutes } from '../regimen/clock.js';
import { onZoneClock, zoneOfClock } from '../regimen/zone-clock.js';
import { readNmtran } from '../regimen/nmtran.js';
import type { DataRecord } from '../regimen/record.js';

/** A patient's clock: the clock time of hours since its first record, or undefined off the calendar. */
export type HoursClock = (hours: number) => string;

/**
 * For each patient (its records as read from `text`), the clock of its calendar-dated chart: wall
 * times as written, instants in the offset of the record in force at each (a time past the
 * chart in its last record's), or with `zone` (--tz) on that zone's clock; undefined for elapsed
 * hours, clock times without dates, day numbers or dates without a year.
 */
export function chartClocks(text: string, file: string, zone?: string): (records: readonly DataRecord[]) => HoursClock | undefined {
  const data = readNmtran(text, zone === undefined ? { file } : { file, zone, onZoneClock: true });
  const wall = clockMinutes(data.columns, data.cells, file, data.records.map((r) => r.ID));
  if (wall === undefined) return () => undefined;
  // --tz (forecast): the chart read on the zone's clock, as its hours were; shown as it writes its
  // times, on that clock (a time past the chart too), without an offset the chart does not write
  const clock = zone === undefined ? wall : onZoneClock(wall, zone, data.columns, data.cells, file);
  const onZone = zoneOfClock(clock);
  return (records) => {
    const first = records[0];
    const last = records[records.length - 1];
    if (first === undefined || last === undefined || records.some((r) => clock.rowDates[r.row - 1]?.form !== 3)) return undefined;
    const origin = (clock.abs[first.row - 1] as number) - first.TIME * 60;
    const offsets = clock.offsets;
    // an instant is shown in the offset of the record in force at it (the latest at or before it; the
    // first before the chart), so a row reads as charted: with the last record's offset a Berlin dose
    // charted 08:00 +01:00 before the switch showed as 09:00 +02:00, a time the ward never wrote
    const offsetAt = (hours: number): number | undefined => {
      if (clock.kind !== 'instant') return undefined;
      let at = first;
      for (const r of records) if (r.TIME <= hours + 1e-9) at = r;
      return offsets[at.row - 1] as number;
    };
    return (hours) => {
      if (onZone !== undefined) {
        const iso = new Date(Math.round(wallMinutes(new Date(Math.round((origin + hours * 60) * 60_000)), onZone) * 60_000)).toISOString();
        return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
      }
      const offset = offsetAt(hours);
      const iso = new Date(Math.round((origin + hours * 60 + (offset ?? 0)) * 60_000)).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${offset === undefined ? '' : ` ${offsetText(offset)}`}`;
    };
  };
}
