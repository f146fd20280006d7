// A forecast's future regimen on the patient's clock. A regimen CSV whose TIME column holds clock
// times (or timestamps) is read, like any NM-TRAN file, as hours since its own first record; for a
// forecast that put tomorrow's 08:00 dose at 0 h, on top of the history's first dose. Here its
// times are counted from each patient's first record instead, as the history's are, and a clock
// on one side only is refused (hours since what?).

import { Errors } from '../errors.js';
import { clockMinutes, patientDates, type ClockMinutes } from '../regimen/clock.js';
import { readNmtran, recordFromItems } from '../regimen/nmtran.js';
import { chartZone, wallSpanSwitch } from '../regimen/clock-dst.js';
import type { DataRecord } from '../regimen/record.js';
import { isJsonRegimen } from './io.js';
import { onZoneClock, secondReadings } from '../regimen/zone-clock.js';
import { repeatedHourFuture } from './from-repeated-hour.js';
import { tzAdvice } from './ward-zone.js';

function formsText(forms: readonly number[]): string {
  const names = ['', 'day numbers', 'months and days without a year', 'calendar dates'];
  return forms.map((f) => names[f]).join(' and ');
}

/** An input file with the text read from it: read again, a pipe (/dev/stdin, `<(...)`) gave nothing. */
export interface FileText {
  readonly file: string;
  readonly text: string;
}

/**
 * The clock of a data file's TIME column, or undefined (elapsed hours, or a JSON regimen); with
 * `zone` (--tz), a file without offsets is read on that zone's clock, as the history's hours were.
 */
function fileClock({ file, text }: FileText, zone: string | undefined, warn?: (w: string) => void): ClockMinutes | undefined {
  if (isJsonRegimen(file, text)) return undefined;
  const data = readNmtran(text, zone === undefined ? { file } : { file, zone, onZoneClock: true });
  // a future dose in the hour the clocks repeat (W_CLOCK_AMBIGUOUS), as the history's are said
  for (const w of data.warnings ?? []) if (w.startsWith('W_CLOCK_AMBIGUOUS:')) warn?.(w);
  const clock = clockMinutes(data.columns, data.cells, file, data.records.map((r) => r.ID));
  return clock && zone !== undefined ? onZoneClock(clock, zone, data.columns, data.cells, file) : clock;
}

const stamp = (wall: number): string => new Date(Math.round(wall) * 60_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * W_CLOCK_DST of a future regimen on a wall-clock chart: a switch of the process's zone between the
 * history's last record and the future's first, or between two future records, read on the wall
 * clock as between the history's own records (said by readNmtran there, silent here before).
 */
function futureDst(history: ClockMinutes, lastRow: number, future: ClockMinutes, rows: readonly number[], files: { data: string; regimen: string }, id: number): string | undefined {
  if (history.kind !== 'wall' || future.kind !== 'wall' || !history.calendar || !future.calendar) return undefined;
  const zone = chartZone(undefined);
  const points = [{ at: history.abs[lastRow - 1] as number, words: `${files.data} row ${lastRow}` }, ...[...rows].sort((x, y) => (future.abs[x - 1] as number) - (future.abs[y - 1] as number)).map((row) => ({ at: future.abs[row - 1] as number, words: `${files.regimen} row ${row}` }))];
  for (let k = 1; k < points.length; k++) {
    const [a, b] = [points[k - 1] as (typeof points)[number], points[k] as (typeof points)[number]];
    const sw = wallSpanSwitch(zone, false, a.at, b.at);
    if (sw === undefined) continue;
    const h = (x: number): string => `${Number(x.toFixed(4))} h`;
    const lie = /switches|changes/.test(sw.what.split(' of ')[0] as string) ? 'lie' : 'lies';
    return (
      `W_CLOCK_DST: ${files.regimen}, ID ${id}: ${sw.what} ${lie} between ${a.words} (${stamp(a.at)}) and ${b.words.replace(`${files.regimen} row`, k > 1 ? 'row' : `${files.regimen} row`)} (${stamp(b.at)}): ` +
      `their times, without a UTC offset, are read on the wall clock, ${h(sw.wallHours)} apart, where the instants are ${h(sw.realHours)} apart, so the forecast's future is ${h(Math.abs(sw.wallHours - sw.realHours))} off the real elapsed time from there; ` +
      tzAdvice(zone, "both files' times as instants")
    );
  }
  return undefined;
}

/**
 * A function giving `future` on one patient's clock: unchanged when neither file has clock times,
 * re-timed from the patient's first record when both have. `warn` hears W_CLOCK_DST of the
 * future's times (once per patient each time the function is called). With `zone` (--tz) both files
 * are read on that zone's clock: the hours real, nothing to warn of (a file with offsets and one
 * without then agree, the zone naming the latter's).
 */
export function futureOnPatientClock(future: readonly DataRecord[], regimen: FileText, data: FileText, warn?: (w: string) => void, zone?: string): (patient: readonly DataRecord[]) => readonly DataRecord[] {
  const regimenFile = regimen.file;
  const dataFile = data.file;
  const fc = fileClock(regimen, zone, warn);
  const hc = fileClock(data, zone);
  if (!fc && !hc) return () => future;
  if (!fc) return () => future; // hours since the first record: the history's clock is in hours from there too
  if (!hc) throw Errors.cli(`--regimen ${regimenFile}: its TIME column holds clock times, but ${dataFile} gives hours: give the future regimen in hours since the patient's first record`);
  if (fc.kind !== hc.kind) throw Errors.cli(`--regimen ${regimenFile}: its times are ${fc.kind === 'instant' ? 'instants with a UTC offset' : 'times on the ward clock (no offset)'}, those of ${dataFile} ${hc.kind === 'instant' ? 'instants with a UTC offset' : 'times on the ward clock'}: give both the same way`);
  // clock times without a date are on day 0 (1970): against a dated history they read decades back
  if (fc.dated !== hc.dated)
    throw Errors.cli(
      fc.dated
        ? `--regimen ${regimenFile}: its times carry dates, those of ${dataFile} do not: write both with dates or both without`
        : `--regimen ${regimenFile}: its clock times have no date, while those of ${dataFile} do: give each future dose its date (a DATE column, or a timestamp such as 2026-03-06T08:00)`,
    );
  // day numbers or dates without a year against calendar dates: the dose landed decades away
  if (fc.dated && fc.dateForms.length !== 1) throw Errors.cli(`--regimen ${regimenFile}: its dates are ${formsText(fc.dateForms)}: write all of them the same way`);
  const regDates = patientDates(fc, future.map((r) => r.row));
  return (patient) => {
    const first = patient[0];
    if (!first) return future;
    // each patient's own dates: the history may chart one ID with day numbers and another with
    // calendar dates (the README allows it), which refused every clock-time regimen for all of them
    const own = patientDates(hc, patient.map((r) => r.row));
    if (fc.dated && (own.forms.length !== 1 || own.forms[0] !== fc.dateForms[0]))
      throw Errors.cli(`--regimen ${regimenFile}: its dates are ${formsText(fc.dateForms)}, those of ID ${first.ID} in ${dataFile} ${formsText(own.forms)}: write both the same way`);
    // dates without a year on both sides of the end of February (or of the year) counted on the
    // year-2000 calendar: 28 Feb 20:00 to 1 Mar 19:30 read 47.5 h, a leap day that a non-leap year
    // has not (23.5 h); December to January read a year back. Refused within one file, so across two
    const pair = own.early && regDates.late ? ([own.early, regDates.late] as const) : own.late && regDates.early ? ([own.late, regDates.early] as const) : undefined;
    if (pair)
      throw Errors.cli(
        `--regimen ${regimenFile}: dates without a year in January–February and in March–December for ID ${first.ID} (${dataFile} row ${pair[0].row}: ${pair[0].cell}; ${regimenFile} row ${pair[1].row}: ${pair[1].cell}): the hours between depend on the year (a leap day, or a new year, between them); give the year`,
      );
    const dst = warn && futureDst(hc, (patient[patient.length - 1] as DataRecord).row, fc, future.map((r) => r.row), { data: dataFile, regimen: regimenFile }, first.ID);
    if (dst !== undefined) warn?.(dst);
    const origin = hc.abs[first.row - 1] as number;
    // a future time in the hour the zone's clocks repeat, before the history's last record on one
    // pass and after it on the other: refused with both readings (from-repeated-hour.ts)
    const seconds = zone === undefined ? undefined : secondReadings(fc);
    const last = patient[patient.length - 1] as DataRecord;
    if (zone !== undefined && seconds !== undefined && seconds.size > 0)
      for (const r of future) if (seconds.has(r.row - 1)) repeatedHourFuture(regimenFile, r.row, fc.abs[r.row - 1] as number, dataFile, { zone, origin, last: hc.abs[last.row - 1] as number, lastRow: last.row, id: first.ID });
    return future.map((r) => {
      const t = ((fc.abs[r.row - 1] as number) - origin) / 60;
      return recordFromItems({ ...r.items, TIME: t }, r.row, regimenFile);
    });
  };
}
