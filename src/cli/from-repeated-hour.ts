// optimize --from / --earliest at a time in the hour a zone's clocks repeat (Berlin 2026-10-25
// 02:00–03:00), given as a clock time or a timestamp without an offset under --tz. The chart's own
// times there are warned or refused (W_CLOCK_AMBIGUOUS, regimen/repeated-hour.ts); --from's were
// read without a word: a clock time as the first instant at or after the last record, which after a
// trough charted at 02:59 (read on the first pass) made --from 02:10 its second pass, 11 min after
// the trough, a reading that mixes the passes (on either pass alone the dose is 49 min before it),
// and after a chart ending the evening before made --from 02:30 the first pass (17.5 h) where the
// second (18.5 h) is as likely. Here:
// - both instants after the last record: the first is read (as a chart's time there is) and warned,
//   with the second's hours and the timestamp that gives it;
// - the first before the last record and the second after it: the time is before or after that
//   record depending on a pass the chart cannot tell (a level's time against the dose: what the fit
//   and the advice rest on), so it is refused naming the record's row and both readings.
// A forecast's future regimen read on the zone's clock (--regimen, --tz) is judged against the
// history the same way, row by row (repeatedHourFuture): a dose at 02:30 after a trough at 02:59 was
// refused as "before the last dose or level of the history" without a word of the second pass.

import { Errors } from '../errors.js';
import { offsetText, wallMinutes, zoneInstants } from '../regimen/clock.js';

/** What of a patient's clock the judgement needs: its zone (--tz), first and last records' instants, the last's row and wall time. */
export interface FromClock {
  readonly zone: string;
  /** Absolute minutes (UTC) of the ID's first and last records. */
  readonly origin: number;
  readonly last: number;
  readonly lastRow: number;
  readonly id: number;
}

const clockText = (wall: number): string => {
  // seconds shown where the time has them: 02:59:30 is in the hour, 03:00 is not
  const iso = new Date(Math.round(wall * 60) * 1000).toISOString();
  return iso.slice(11, 19).endsWith(':00') ? iso.slice(11, 16) : iso.slice(11, 19);
};
const dateText = (wall: number): string => `${new Date(Math.round(wall * 60) * 1000).toISOString().slice(0, 10)} ${clockText(wall)}`;
const hours = (minutes: number): string => `${Number((minutes / 60).toFixed(4))} h`;
const utc = (t: number): string => clockText(t);

/**
 * W_CLOCK_AMBIGUOUS of `--option text` read as the instant `at` (absolute minutes) on the zone's
 * clock, or undefined where that clock shows its time once; throws where the time's two instants
 * lie either side of the ID's last record.
 */
export function repeatedHourFrom(option: string, text: string, at: number, c: FromClock): string | undefined {
  const wall = wallMinutes(new Date(at * 60_000), c.zone);
  const both = zoneInstants(wall, c.zone);
  if (both.length < 2) return undefined;
  const [a, b] = both as [number, number];
  const [oa, ob] = [wall - a, wall - b];
  const time = clockText(wall);
  const iso = (o: number): string => `${dateText(wall).replace(' ', 'T')}${offsetText(o)}`;
  const lies = `${dateText(wall)} lies in the hour the clocks of ${c.zone} repeat, a time twice on its clock`;
  if (b < c.last) return undefined; // before the last record on either pass: refused as such by the caller
  if (a < c.last) {
    const gap = (t: number): string => `${Math.abs(Math.round(t - c.last))} min ${t < c.last ? 'before' : 'after'}`;
    throw Errors.cli(
      `--${option} ${text}: ID ${c.id}: ${lies}, and the ID's last record, row ${c.lastRow} (${dateText(wallMinutes(new Date(c.last * 60_000), c.zone))}), lies between its two instants: ` +
        `on the first pass, ${time} ${offsetText(oa)} (${utc(a)} UTC, ${hours(a - c.origin)}), it is ${gap(a)} row ${c.lastRow}; on the second, ${time} ${offsetText(ob)} (${utc(b)} UTC, ${hours(b - c.origin)}), ${gap(b)} it, ` +
        `and the chart cannot say which (a record's time there is read on the first pass); give --${option} with its UTC offset (e.g. ${iso(ob)} on the second pass), and where row ${c.lastRow} was on the second pass too, the data set's times with theirs`,
    );
  }
  return (
    `W_CLOCK_AMBIGUOUS: --${option} ${text} (${dateText(wall)}) lies in the hour the clocks of ${c.zone} repeat, a time twice on its clock: ` +
    `read as the first, ${time} ${offsetText(oa)} (${utc(a)} UTC, ${hours(a - c.origin)}); the second, ${time} ${offsetText(ob)} (${utc(b)} UTC), is ${hours(b - c.origin)}, ${hours(b - a)} later; ` +
    `if it is the second, give --${option} ${iso(ob)}`
  );
}

/**
 * Refuses a future regimen's record (`row` of `regimen`, at the instant `at`, its first reading) in
 * the hour the zone's clocks repeat whose two instants lie either side of the history's last record
 * (`c.lastRow` of `data`): before it on the first pass, after it on the second.
 */
export function repeatedHourFuture(regimen: string, row: number, at: number, data: string, c: FromClock): void {
  const wall = wallMinutes(new Date(at * 60_000), c.zone);
  const both = zoneInstants(wall, c.zone);
  if (both.length < 2) return;
  const [a, b] = both as [number, number];
  if (!(a < c.last && b >= c.last)) return;
  const [oa, ob] = [wall - a, wall - b];
  const time = clockText(wall);
  const gap = (t: number): string => `${Math.abs(Math.round(t - c.last))} min ${t < c.last ? 'before' : 'after'}`;
  throw Errors.cli(
    `--regimen ${regimen} row ${row} (${dateText(wall)}), ID ${c.id}, lies in the hour the clocks of ${c.zone} repeat, a time twice on its clock, and the history's last record, ${data} row ${c.lastRow} (${dateText(wallMinutes(new Date(c.last * 60_000), c.zone))}), lies between its two instants: ` +
      `on the first pass, ${time} ${offsetText(oa)} (${utc(a)} UTC, ${hours(a - c.origin)}), it is ${gap(a)} it; on the second, ${time} ${offsetText(ob)} (${utc(b)} UTC, ${hours(b - c.origin)}), ${gap(b)} it, ` +
      `and the files cannot say which (a time there is read on the first pass); give the regimen's times with their UTC offsets (e.g. ${dateText(wall).replace(' ', 'T')}${offsetText(ob)} on the second pass), and where row ${c.lastRow} of ${data} was on the second pass too, the history's with theirs`,
  );
}
