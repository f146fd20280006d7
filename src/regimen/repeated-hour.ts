// A chart without UTC offsets read on the ward's clock (zone-clock.ts, --tz): a time in the hour the
// clocks repeat when they go back (Berlin 2026-10-25 02:00–03:00) is on that clock twice, an hour
// apart, and the chart does not say which. It was read as the earlier without a word: a dose at 02:30
// 6.5 h after the evening's dose, where 7.5 h is as likely. A clinician's reading:
// - a patient's records in that hour at clock times that increase in chart order (one record; a dose
//   and the level drawn before it at one time; a q6h trough at 02:00 and the dose at 02:10) can all
//   lie on one pass, their spacing then the charted one: read on the first, warned (W_CLOCK_AMBIGUOUS)
//   with the rows, the times, both readings and the hours the other (all on the second) would give;
//   nothing else of the chart moves past them. A mix (02:00 on the first pass, 02:10 on the second:
//   70 min apart) is not taken: a chart writes what it did 10 min apart. Refusing these refused a
//   whole file of patients once a year for an ordinary q6h chart (t5 report);
// - a record charted after one of a later clock time in the hour (a dose at 02:40, then a level at
//   02:10): the chart's order forces a pass switch, 30 min after it on the second pass, or before it
//   on one, which decides a peak's fit: refused, naming both rows, for the times with their UTC
//   offsets. A record outside the hour keeps its order with the hour's either way.

import { Errors } from '../errors.js';
import { offsetText, type ClockMinutes } from './clock.js';
import { secondReadings, zoneOfClock } from './zone-clock.js';

/** A warning of the records of one ID at one clock time in a repeated hour, said with its first row. */
export interface RepeatedHourNote {
  readonly row: number;
  readonly text: string;
}

// to the second where the time has seconds: 02:59:30 said as 03:00 named a time outside the hour
const stamp = (wall: number): string => {
  const iso = new Date(Math.round(wall * 60) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(17, 19) === '00' ? iso.slice(11, 16) : iso.slice(11, 19)}`;
};
const hours = (minutes: number): string => `${Number((minutes / 60).toFixed(4))} h`;
const rowsText = (rows: readonly number[]): string => (rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`);

/**
 * W_CLOCK_AMBIGUOUS of a clock read on a zone's clock (onZoneClock), refusing a record of an ID charted
 * after one at a later clock time of the same repeated hour (see above). `ids` are the rows' IDs; a clock read on
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
 // a clock time charted after a later one of the same repeated hour (their readings' intervals
    // overlap): only a switch of pass keeps the chart's order
    for (const [i, j] of inHour.entries())
      for (const k of inHour.slice(i + 1)) {
        if (wall(j) <= wall(k) || Math.abs((abs[j] as number) - (abs[k] as number)) >= Math.max(later(j) - (abs[j] as number), later(k) - (abs[k] as number))) continue;
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
    // the hour's records, at clock times increasing in chart order (else refused above), read on one
    // pass, the first: the charted spacing between them either way
    const first = rows[0] as number;
    {
      const group = inHour;
      const k = group[0] as number;
      const last = group[group.length - 1] as number;
      const w = wall(k);
      const others = rows.filter((x) => !group.includes(x));
      // a patient charted only then: the hours between its records are the same on either reading
      if (others.length === 0) continue;
      const [a, b] = [abs[k] as number, later(k)];
      const [oa, ob] = [offsets[k] as number, w - b];
      const walls = [...new Set(group.map(wall))];
      const utc = (t: number): string => walls.map((x) => stamp(x - w + t).slice(11)).join(', ');
      const time = walls.map((x) => stamp(x).slice(11)).join(', ');
      const when = walls.length === 1 ? stamp(w) : `${stamp(w).slice(0, 10)} ${time}`;
      const next = others.find((x) => x > last) ?? (others[0] as number);
      const mixed = walls.length > 1 ? `; all on one pass, as charted (row ${k + 1} on the first and row ${last + 1} on the second would put them ${hours(later(last) - a)} apart for ${hours((abs[last] as number) - a)})` : '';
      const moves = group.includes(first)
        ? `puts the ID's later records ${hours(b - a)} closer to ${group.length > 1 ? 'them' : 'it'} (row ${next + 1} at ${hours((abs[next] as number) - b)} for ${hours((abs[next] as number) - a)})`
        : `puts ${group.length > 1 ? 'them' : 'it'} ${hours(b - (abs[first] as number))} after the ID's first record (row ${first + 1}) for ${hours(a - (abs[first] as number))}`;
      notes.push({
        row: k + 1,
        text:
          `W_CLOCK_AMBIGUOUS: ${file ?? 'the data set'}, ID ${id}: ${rowsText(group.map((x) => x + 1))} (${when}) ${group.length > 1 ? 'lie' : 'lies'} in the hour the clocks of ${zone} repeat, ${walls.length > 1 ? 'each time' : 'a time'} twice on its clock: ` +
          `read as the first, ${time} ${offsetText(oa)} (${utc(a)} UTC); the second, ${time} ${offsetText(ob)} (${utc(b)} UTC), ${hours(b - a)} later, ${moves}${mixed}; ` +
          `if ${group.length > 1 ? 'they are' : 'it is'} on the second, give the data set's times with their UTC offsets (ISO 8601, e.g. ${stamp(w).replace(' ', 'T')}${offsetText(ob)})`,
      });
    }
  }
  return notes;
}
