// A chart without UTC offsets read on the ward's clock (zone-clock.ts, --tz): a time in the hour the
// clocks repeat when they go back (Berlin 2026-10-25 02:00–03:00) is on that clock twice, an hour
// apart, and the chart does not say which. It was read as the earlier without a word: a dose at 02:30
// 6.5 h after the evening's dose, where 7.5 h is as likely. A clinician's reading:
// - one record of a patient in that hour, or several at one clock time (one event: a dose and the
//   level drawn before it): the earlier reading, warned (W_CLOCK_AMBIGUOUS) with the row, the time,
//   both readings and the hours the other would give; nothing else of the chart moves past it;
// - records of a patient in that hour at different clock times: the two passes of the hour put them
//   minutes or an hour and more apart, or in the other order (a dose at 02:10, a level at 02:40: 30 or
//   90 min after it; a level at 02:10 charted after a dose at 02:40: 30 min after it on the second
//   pass, before it on one), which decides a peak's fit: refused, naming both rows, for the times
//   with their UTC offsets. A record outside the hour keeps its order with the hour's either way.

import { Errors } from '../errors.js';
import { offsetText, type ClockMinutes } from './clock.js';
import { secondReadings, zoneOfClock } from './zone-clock.js';

/** A warning of the records of one ID at one clock time in a repeated hour, said with its first row. */
export interface RepeatedHourNote {
  readonly row: number;
  readonly text: string;
}

const stamp = (wall: number): string => new Date(Math.round(wall) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
const hours = (minutes: number): string => `${Number((minutes / 60).toFixed(4))} h`;
const rowsText = (rows: readonly number[]): string => (rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`);

/**
 * W_CLOCK_AMBIGUOUS of a clock read on a zone's clock (onZoneClock), refusing two records of an ID at
 * different clock times in one repeated hour (see above). `ids` are the rows' IDs; a clock read on
 * no zone says nothing.
 */
export function repeatedHourNotes(read: ClockMinutes, ids: readonly number[], columns: readonly string[], cells: readonly (readonly string[])[], file?: string): RepeatedHourNote[] {
  const zone = zoneOfClock(read);
  const seconds = secondReadings(read);
  if (zone === undefined || seconds === undefined || seconds.size === 0) return [];
  const { abs, offsets } = read;
  const wall = (k: number): number => (abs[k] as number) + (offsets[k] as number);
  const later = (k: number): number => seconds.get(k) as number;
  // each ID's rows (0-based, in row order): the first gives its hours, the rows in the hour are judged
  const rowsOf = new Map<number, number[]>();
  ids.forEach((id, k) => (rowsOf.get(id) ?? rowsOf.set(id, []).get(id) as number[]).push(k));
  const notes: RepeatedHourNote[] = [];
  for (const [id, rows] of rowsOf) {
    const inHour = rows.filter((k) => seconds.has(k));
    if (inHour.length === 0) continue;
    // two clock times of one repeated hour (the intervals of their two readings overlap)
    for (const [i, j] of inHour.entries())
      for (const k of inHour.slice(i + 1)) {
        if (wall(j) === wall(k) || Math.abs((abs[j] as number) - (abs[k] as number)) >= Math.max(later(j) - (abs[j] as number), later(k) - (abs[k] as number))) continue;
        const [onePass, twoPasses] = [(abs[k] as number) - (abs[j] as number), later(k) - (abs[j] as number)];
        const gap = (m: number): string => `${Math.abs(Math.round(m))} min ${m < 0 ? 'before' : 'after'}`;
        const [oa, ob] = [offsets[k] as number, wall(k) - later(k)];
        const iso = stamp(wall(k)).replace(' ', 'T');
        throw Errors.csvValue(
          k + 1,
          columns[read.timeColumn] as string,
          cells[k]?.[read.timeColumn] ?? '',
          `rows ${j + 1} (${stamp(wall(j))}) and ${k + 1} (${stamp(wall(k))}) lie in the hour the clocks of ${zone} repeat (${offsetText(oa)}, then ${offsetText(ob)}), each time twice on its clock: ` +
            `row ${k + 1} is ${gap(onePass)} row ${j + 1} on one pass of it, ${gap(twoPasses)} on the two, and the chart cannot say which; ` +
            `give the data set's times with their UTC offsets (ISO 8601, e.g. ${iso}${offsetText(oa)} on the first pass, ${iso}${offsetText(ob)} on the second)`,
          file,
        );
      }
    // the hour's records at one clock time are one event (else refused above), several hours apart once a year
    const first = rows[0] as number;
    for (const w of [...new Set(inHour.map(wall))]) {
      const group = inHour.filter((k) => wall(k) === w);
      const k = group[0] as number;
      const others = rows.filter((x) => !group.includes(x));
      // a patient charted only then: the hours between its records are the same on either reading
      if (others.length === 0) continue;
      const [a, b] = [abs[k] as number, later(k)];
      const [oa, ob] = [offsets[k] as number, w - b];
      const utc = (t: number): string => stamp(t).slice(11);
      const time = stamp(w).slice(11);
      const next = others.find((x) => x > k) ?? (others[0] as number);
      const moves = group.includes(first)
        ? `puts the ID's later records ${hours(b - a)} closer to ${group.length > 1 ? 'them' : 'it'} (row ${next + 1} at ${hours((abs[next] as number) - b)} for ${hours((abs[next] as number) - a)})`
        : `puts ${group.length > 1 ? 'them' : 'it'} ${hours(b - (abs[first] as number))} after the ID's first record (row ${first + 1}) for ${hours(a - (abs[first] as number))}`;
      notes.push({
        row: k + 1,
        text:
          `W_CLOCK_AMBIGUOUS: ${file ?? 'the data set'}, ID ${id}: ${rowsText(group.map((x) => x + 1))} (${stamp(w)}) ${group.length > 1 ? 'lie' : 'lies'} in the hour the clocks of ${zone} repeat, a time twice on its clock: ` +
          `read as the first, ${time} ${offsetText(oa)} (${utc(a)} UTC); the second, ${time} ${offsetText(ob)} (${utc(b)} UTC), ${hours(b - a)} later, ${moves}; ` +
          `if it is the second, give the data set's times with their UTC offsets (ISO 8601, e.g. ${stamp(w).replace(' ', 'T')}${offsetText(ob)})`,
      });
    }
  }
  return notes;
}
