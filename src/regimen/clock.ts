// Clock times in NM-TRAN data sets, as a chart gives them: a TIME column of clock times (`08:30`)
// with a DATE column, or ISO 8601 timestamps (`2026-03-04T08:30`). They become hours elapsed since
// the first record of each ID, as NM-TRAN does; the file's cells are kept for writing rows back.
//
// Date columns follow NONMEM's names: DATE month/day/year, DAT1 day/month/year, DAT2
// year/month/day, DAT3 year/day/month (separators / - or .); a DATE written YYYY-MM-DD is ISO.
// Two-digit years are 2000–2050 for 00–50 and 1951–1999 for 51–99 (NONMEM's LAST20=50).
// As in NM-TRAN, a date column makes TIME the time of day (hh:mm or hours) whether or not any
// cell holds a colon, and a date may be a day number or month and day without a year.
//
// Time zones: a time without an offset is read as written on the ward's clock — no time zone, no
// daylight-saving shift (22:00 to 06:00 the next day is 8 h) — which is what a chart records. A
// timestamp with an offset (`Z`, `+01:00`) is an instant, so offsets that change across a
// daylight-saving switch are honoured. Within one data set all times must be of one kind.

import { Errors } from '../errors.js';
import { isMissingCell } from './csv-dialect.js';
import { monthNameWhy, refuseCompactDayNumbers, refuseDayFractions, refuseExcelSerialTimes, refuseYearSteps } from './spreadsheet-dates.js';

/** NONMEM's date items and the order of their fields (m month, d day, y year). */
export const DATE_COLUMNS: Readonly<Record<string, 'mdy' | 'dmy' | 'ymd' | 'ydm'>> = { DATE: 'mdy', DAT1: 'dmy', DAT2: 'ymd', DAT3: 'ydm' };

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
/** A time of day in decimal hours (NM-TRAN's 14.75 for 14:45). */
const HOURS = /^(\d+(\.\d*)?|\.\d+)$/;
/** A date cell that gives no date (the data reader's missing values). */
const isMissingDate = (s: string | undefined): boolean => s === undefined || isMissingCell(s.trim());
// RFC 3339 / ISO 8601 extended format: `T` or `t` or a space, `Z` or `z`, an offset of hours
// (`+02`) or hours and minutes (`+02:00`, `+0200`); a 4-digit year first leaves `2026-3-4`
// unambiguous. The basic format (20260329T0800Z) stays refused: without separators it is a number.
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Minutes east of UTC of a timestamp's offset (none or `Z`: 0), or why it is none: minutes past 59
 * (`+01:99` read as +2 h 39) and offsets outside −12:00…+14:00 (`-25:00`), which no clock uses.
 */
function offsetMinutes(o: string | undefined): number | string {
  if (o === undefined || o.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(o) as RegExpExecArray;
  const min = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59) return `no such UTC offset ${o} (its minutes are 00 to 59)`;
  const v = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + min);
  if (v < -720 || v > 840) return `no such UTC offset ${o} (offsets are −12:00 to +14:00)`;
  return v;
}

export function isClockCell(s: string): boolean {
  return CLOCK.test(s) || ISO.test(s);
}

const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
/** A time of day after a date in one cell (2026-03-04T08:00, 04MAR2026:08:00:00). */
const TIME_AFTER = /[Tt: ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const MONTH_DATE = new RegExp(`^(\\d{1,2})[- ]?(?:${MONTHS})[- ]?(\\d{2}|\\d{4})$`, 'i');
/** A year as charts write one: two digits, or 19xx/20xx (a lot number's 2231 is none). */
const isYear = (y: string): boolean => y.length === 2 || /^(?:19|20)\d\d$/.test(y);
/** Whether a and b are a day and a month in either order (1–31 and 1–12). */
const isDayMonth = (a: string, b: string): boolean => {
  const [x, y] = [Number(a), Number(b)];
  return x >= 1 && y >= 1 && ((x <= 12 && y <= 31) || (x <= 31 && y <= 12));
};

/**
 * A calendar date as exporters write one: ISO, 03/04/2026 or 04.03.26, SAS's 04MAR2026 (with a
 * time after it too). Identifiers shaped like dates are none: a 3-digit year (SUBJID 01-02-103), a
 * year outside 1900–2099 (LOT 12-05-2231), and with - or . and a two-digit year a one-digit day
 * or month (ROOM 4-12-30, version 1.2.10); 3/4/26 and 4.3.2026 stay dates.
 */
export function isDateText(s: string): boolean {
  const t = s.trim().replace(TIME_AFTER, '');
  const ymd = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(t);
  if (ymd) return isYear(ymd[1] as string) && isDayMonth(ymd[3] as string, ymd[4] as string);
  const dmy = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$/.exec(t);
  if (dmy) {
    const [, a, sep, b, y] = dmy as unknown as [string, string, string, string, string];
    return isYear(y) && isDayMonth(a, b) && (sep === '/' || y.length === 4 || (a.length === 2 && b.length === 2));
  }
  const named = MONTH_DATE.exec(t);
  return named !== null && Number(named[1]) >= 1 && Number(named[1]) <= 31 && isYear(named[2] as string);
}

/**
 * Whether cells of a column are clock times (two or more h:mm, hours 0–23, minutes 00–59): a
 * dilution 1:10 in a column of ratios is none.
 */
export function isClockColumn(rows: readonly (readonly string[])[], i: number): boolean {
  let n = 0;
  for (const r of rows) {
    const m = /^(\d{1,2}):([0-5]\d)(?::[0-5]\d(?:\.\d+)?)?$/.exec((r[i] ?? '').trim());
    if (m && Number(m[1]) <= 23 && ++n >= 2) return true;
  }
  return false;
}

const fail = (row: number, column: string, value: string, why: string, file?: string): never => {
  throw Errors.csvValue(row, column, value, why, file);
};

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian), checking that the date exists. */
export function dayNumber(y: number, m: number, d: number): number | undefined {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31)) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return t / 86_400_000;
}

/** A year as the date columns read it: two digits 00–50 are 2000–2050, 51–99 1951–1999. */
export function fullYear(y: string): number {
  const v = Number(y);
  return y.length <= 2 ? (v <= 50 ? 2000 + v : 1900 + v) : v;
}

/** A date cell read: days since 1970-01-01 (or since day 0 for a day number), its form and month. */
interface DateCell {
  readonly days: number;
  /** 1: a day number; 2: month and day without a year; 3: a calendar date. */
  readonly form: 1 | 2 | 3;
  readonly month?: number;
}

/**
 * A date cell in the column's NONMEM format (or ISO YYYY-MM-DD), as NM-TRAN reads it: a calendar
 * date in the column's order (DATE month/day/year, ...), two components as the column's order
 * without the year (DATE 10-12 is 12 October), or one, the day (it may be 0 or negative).
 */
function parseDate(s: string, column: string, row: number, file?: string): DateCell {
  // a spreadsheet's date cell written with its midnight (Excel: 2026-03-04 00:00:00) is the date;
  // another time of day there, or one on a date without a year, stays refused below
  const midnight = /^(\S+)(?:[Tt]| +)0?0:00(?::00(?:\.0*)?)?$/.exec(s);
  if (midnight) {
    const d = parseDate(midnight[1] as string, column, row, file);
    if (d.form === 3) return d;
    return fail(row, column, s, 'a date with a time of day: a date without a year, or a day number, takes no time (give the time in TIME)', file);
  }
  // a blank cell was refused as "not a date (got "")", as if something were written there
  if (isMissingDate(s)) return fail(row, column, s, `missing date: with a ${column} column every row needs its date (or day number)`, file);
  if (/^[+-]?\d{1,6}$/.test(s)) return { days: Number(s), form: 1 };
  const order = DATE_COLUMNS[column.toUpperCase()];
  // dots are the European day.month.year: 04.03.2026 under DATE was read as 3 April, and a day
  // later read 744 h later, without a word
  if (order === 'mdy' && /^\d{1,2}\.\d{1,2}(\.\d{1,4})?$/.test(s))
    return fail(row, column, s, `a date with dots, which is day.month.year, under ${column}, which is month/day/year: name the column DAT1 (day/month/year, dots read: 04.03.2026 is 4 March), or write the dates ISO (2026-03-04)`, file);
  const two = /^(\d{1,2})[/.-](\d{1,2})$/.exec(s);
  if (two && order) {
    // no year: a leap year's calendar, so that 2-29 exists (a span across the end of February,
    // which the year decides, is refused by the caller)
    const md = order.replace('y', '');
    const m = Number(two[md.indexOf('m') + 1]);
    const d = Number(two[md.indexOf('d') + 1]);
    const days = dayNumber(2000, m, d);
    if (days === undefined) return fail(row, column, s, `no such date (${column.toUpperCase()} without a year is ${md === 'md' ? 'month/day' : 'day/month'})`, file);
    return { days, form: 2, month: m };
  }
  // YYYY-MM-DD is ISO in DATE, DAT1 and DAT2 (the only reading their orders leave, or theirs);
  // DAT3 is year/day/month with any separator: 2026-03-04 there is 3 April
  const iso = order === 'ydm' ? null : /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const parts = iso ? [iso[1], iso[2], iso[3]] : /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/.exec(s)?.slice(1);
  const o = iso ? 'ymd' : order;
  if (!parts || !o) return fail(row, column, s, (o && monthNameWhy(s, column, o)) ?? `not a date (${column.toUpperCase()} is ${describe(o)}, or a day number)`, file);
  // 2026/03/28 under DATE was "no such date", which did not say what is read
  if (o[0] !== 'y' && parts[0]?.length === 4)
    return fail(row, column, s, `the year first, but ${column.toUpperCase()} is ${describe(o)}: write the dates ISO (${parts[0]}-${parts[1]}-${parts[2]}), or name the column DAT2 (year/month/day)`, file);
  const at = (c: 'y' | 'm' | 'd'): string => parts[o.indexOf(c)] as string;
  const days = dayNumber(fullYear(at('y')), Number(at('m')), Number(at('d')));
  if (days === undefined) return fail(row, column, s, `no such date (${column.toUpperCase()} is ${describe(o)})`, file);
  return { days, form: 3 };
}

function describe(order: string | undefined): string {
  const names: Record<string, string> = { mdy: 'month/day/year', dmy: 'day/month/year', ymd: 'year/month/day', ydm: 'year/day/month' };
  return order ? names[order] ?? order : 'a date';
}

/**
 * A study-day column's name, which NONMEM does not read as a date: any name holding DAY (DAY,
 * STUDYDAY, CYCDAY, DOSEDAY, RELDAY, "Study Day", CYCLE.DAY) or ending in CDISC's DY (DY, ADY, PCDY,
 * VISITDY, EXSTDY, EXENDY, ASTDY, AENDY), but not the words STUDY, BODY, STEADY. A list of names
 * missed EXSTDY beside clock times: a dose on day 1 at 08:00 and a level on day 2 at 09:00 read 1 h
 * apart (MAP CL 4.062 for 5.076); a column that is no day but changes within an ID is refused
 * with the rest, naming it, where a day missed gives wrong times.
 */
function isDayName(column: string): boolean {
  const n = column.toUpperCase().replace(/[^A-Z]/g, '');
  // a part of the day is no day number: DAYTIME, DAY_NIGHT, SHIFT_DAY_NIGHT, HOUR_OF_DAY were
  // refused, and renamed DATE as the message said, a night shift coded 2 read the 19:30 level a day late;
  // a rate per day (DOSES_PER_DAY 2 → 3) is no day either, and was refused as one, nor is a dose
  // per day after its unit (MGKGDAY 30 → 20, MG_DAY, MGDAY, UDAY, IU_DAY)
  if (/NIGHT|SHIFT|HOUR|TIME|LIGHT|PART|PERDAY|(?:MG|KG|MCG|UG|IU|ML|MMOL|U)DAY/.test(n)) return false;
  return n.includes('DAY') || (n.endsWith('DY') && !/(?:STUDY|BODY|STEADY)$/.test(n));
}

/**
 * A date column's name that NONMEM does not read (only DATE, DAT1–DAT3): CDISC's ADT, EXSTDT, PCDAT,
 * PCDTC, ADTM, SAMPLE_DATE, "Date of sample", VISITDATE, Datum, Fecha. ADT of 2026-03-04 then
 * 2026-03-05 beside dateless clock times was carried as text, and a level a day after the dose read
 * 2 h after it (MAP V 117.2 for 68.5).
 */
function isDateName(column: string): boolean {
  const n = column.toUpperCase().replace(/[^A-Z]/g, '');
  // DATE as a word part, at the start or end of a part between separators (SAMPLE_DATE, DATEOFDOSE,
  // VISITDATE, ADATE, DATED): inside a word it is none (UPDATED_BY, VALIDATED, SEDATED were refused as dates)
  const words = column.toUpperCase().split(/[^A-Z]+/);
  return words.some((w) => /^(?:DATE|DATUM|FECHA)|(?:DATE|DATUM|FECHA)$/.test(w)) || /(?:DT|DTC|DTM|DAT)$/.test(n);
}

/** A visit label that names a day ("Day 8", "Cycle 1 Day 8", "DAY 1"): a day, carried as text. */
const DAY_LABEL = /\bDAY\s*-?\d+/i;
const isWhole = (s: string): boolean => /^[+-]?\d+(?:\.0*)?$/.test(s.trim());

/**
 * Whether column d holds days or dates to check: a date name with a date or day number in it, a
 * day name with a day number or a label holding one (D1, Day 2), or any column with a visit label
 * of a day (AVISIT "Day 1" → "Day 2" read 2 h apart). VALIDATED Y/N or a weekday's name is none.
 */
function holdsDays(columns: readonly string[], rows: readonly (readonly string[])[], d: number): boolean {
  const name = columns[d] as string;
  const cells = rows.map((r) => r[d]).filter((c): c is string => !isMissingDate(c));
  if (isDateName(name) && cells.some((c) => isDateText(c) || isWhole(c))) return true;
  if (isDayName(name) && cells.some((c) => /\d/.test(c))) return true;
  return cells.some((c) => DAY_LABEL.test(c));
}

/**
 * Refuses clock times without a date column beside a study-day or date column whose day changes
 * within an ID: its days were not read, so daily doses at 08:00 on days 1, 2, 3 all read at 0 h
 * (MAP CL 11.2 for 4.23). A day the same on every record of each ID (a one-day chart) changes no
 * time and passes; so do timestamps, which carry their dates.
 */
function refuseDayColumn(columns: readonly string[], rows: readonly (readonly string[])[], ti: number, file?: string): void {
  for (let d = 0; d < columns.length; d++) {
    if (d !== ti && holdsDays(columns, rows, d)) refuseChangingDay(columns, rows, ti, d, file);
  }
}

/** Whether a column holds only 0 and 1 (and missing cells): maybe a flag (HD_DAY, a dialysis day), which the refusal says. */
function isFlagColumn(rows: readonly (readonly string[])[], d: number): boolean {
  return rows.every((r) => isMissingDate(r[d]) || /^[01](?:\.0*)?$/.test((r[d] as string).trim()));
}

/**
 * The first row (0-based) where the day of an ID changes (up or down: CYCDAY 1, 8, 1, 2 read the
 * C1D8 level 1 h after the dose), judging each ID on its own: one ID's day going back turned the
 * check off for every ID. An ID with a fraction there (8, 9.5, 19.5: hours) holds no day number.
 */
function dayChangeRow(rows: readonly (readonly string[])[], ti: number, d: number, id: number): number {
  const first = new Map<string, string>();
  const change = new Map<string, number>();
  const fraction = new Set<string>();
  rows.forEach((r, k) => {
    if (ISO.test(r[ti] as string) || isMissingDate(r[d])) return;
    const key = r[id] as string;
    // "Day 1" and "DAY 1" are one day
    const day = (r[d] as string).trim().toUpperCase().replace(/\s+/g, ' ');
    const v = Number(day);
    if (Number.isFinite(v) && !Number.isInteger(v)) fraction.add(key);
    const was = first.get(key);
    if (was === undefined) first.set(key, day);
    // "1" and "1.0" are one day, and so are two "D1": a text label is compared as written
    else if (!change.has(key) && was !== day && Number(was) !== v) change.set(key, k);
  });
  const rowsChanged = [...change].filter(([key]) => !fraction.has(key)).map(([, k]) => k);
  return rowsChanged.length > 0 ? Math.min(...rowsChanged) : -1;
}

function refuseChangingDay(columns: readonly string[], rows: readonly (readonly string[])[], ti: number, d: number, file?: string): void {
  const id = columns.findIndex((c) => c.toUpperCase() === 'ID');
  const k = dayChangeRow(rows, ti, d, id);
  if (k < 0) return;
  const name = columns[d] as string;
  const cell = rows[k]?.[d] as string;
  const what = isDateName(name) && !isDayName(name) ? 'date' : 'day';
  if (!isWhole(cell) && !isDateText(cell)) {
    // a visit label ("Day 2", "Cycle 1 Day 8", "D8"): renaming the column DATE does not help (DATE
    // reads no label: "not a date"), and AVISIT or VISIT has no DAY in its name to drop
    fail(
      k + 1,
      name,
      cell,
      `clock times in TIME without a date column: ${name} holds visit labels, which are not read as days, and it changes within ID ${rows[k]?.[id]}, so every clock time of that ID fell on one day; ` +
        `add a DATE column with each record's date (month/day/year, or ISO 2026-03-04) or its study-day number (DATE 2 at 08:00 is 24 h after DATE 1 at 08:00; "Cycle 2 Day 1" is the study day counted through the cycles, not 1), ` +
        `or give TIME as hours since the first record; ${name} may stay beside it`,
      file,
    );
  }
  fail(
    k + 1,
    name,
    cell,
    `clock times in TIME without a date column: ${name} is not read as the ${what}, and it changes within ID ${rows[k]?.[id]}, so every clock time of that ID fell on one day; ` +
      `where ${name} holds the ${what === 'day' ? 'study day' : 'dates'}, rename it DATE (or, where the model reads ${name}, add a DATE column of the same ${what}s): DATE reads dates (month/day/year, or ISO 2026-03-04) and day numbers 1, 2, … (DATE 2 at 08:00 is 24 h after DATE 1 at 08:00; CDISC study days have no day 0, so first add 1 to every negative day: -1 → 0); ` +
      // a 0/1 column was let through as a flag: DAY 0 08:00 → DAY 1 10:00 then read 2 h apart (IPRED 17.2 for 1.56)
      (isFlagColumn(rows, d) ? `if ${name} is a flag, not a ${what}, rename it without ${what === 'day' ? 'DAY' : 'DATE'}; ` : '') +
      `where it is no ${what}, give it a name without ${what === 'day' ? 'DAY or DY' : 'DATE, DT or DAT'}, or drop it`,
    file,
  );
}

/**
 * Refuses day numbers under a date column that run from negative to positive without a day 0, as
 * CDISC study days (--DY) do: read as numbers, day -1 to day 1 is 48 h where the chart means 24
 * (a level 24 h after the dose read at 48 h: IPRED 0.165 for 1.81).
 */
function refuseDaysWithoutZero(rowDates: ClockMinutes['rowDates'], ids: readonly number[] | undefined, column: string, file?: string): void {
  const seen = new Map<number, { neg?: number; pos?: number; zero: boolean }>();
  rowDates.forEach((d, k) => {
    if (d?.form !== 1) return;
    const id = ids?.[k] ?? 0;
    const s = seen.get(id) ?? { zero: false };
    seen.set(id, s);
    const v = Number(d.cell);
    if (v < 0) s.neg ??= k;
    else if (v > 0) s.pos ??= k;
    else s.zero = true;
  });
  for (const s of seen.values()) {
    if (s.zero || s.neg === undefined || s.pos === undefined) continue;
    const [a, b] = [Math.min(s.neg, s.pos), Math.max(s.neg, s.pos)];
    const cell = rowDates[b]?.cell as string;
    fail(b + 1, column, cell, `day numbers from ${rowDates[a]?.cell} (row ${a + 1}) to ${cell} without a day 0: ${column} counts a day 0, so day -1 to day 1 reads 48 h; CDISC study days (--DY) skip day 0: add 1 to every negative day (-1 → 0, -2 → -1) and keep the others`, file);
  }
}

/** The data row (1-based) of the first clock time in TIME: the row that made the column one of clock times. */
function firstClockRow(rows: readonly (readonly string[])[], ti: number): number {
  return rows.findIndex((r) => isClockCell(r[ti] as string)) + 1;
}

/**
 * Why a TIME cell that is plainly a date or time is not read, naming the form that is; undefined
 * for other text. These were "not a number" or "every row needs one".
 */
export function unreadTimeWhy(s: string): string | undefined {
  const t = s.trim();
  const offset = '(?:[Zz]|[+-]\\d{2}(?::?\\d{2})?)';
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}[Tt ]+\d{1,2}:\d{2}/.test(t))
    return 'a date and a time in one cell: give the date in a date column (DATE month/day/year, DAT1 day/month/year) and the clock time in TIME (20:00), or write an ISO timestamp (2026-03-28T20:00)';
  if (!/^\d{4}-\d{1,2}-\d{1,2}[Tt ]/.test(t)) {
    if (new RegExp(`^\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?\\s*${offset}$`).test(t))
      return 'a clock time with a UTC offset: an offset is read only in a full timestamp (2026-03-28T20:00+01:00, without a date column); beside a date column write the time on the ward\'s clock (20:00)';
    return undefined;
  }
  if (/^\d{4}-\d{1,2}-\d{1,2}[Tt ]\d{1,2}$/.test(t)) return 'a timestamp without minutes: write hh:mm (2026-03-28T20:00)';
  if (new RegExp(`\\d{2}\\s+${offset}$`).test(t)) return 'a space before the UTC offset: write it right after the time (2026-03-29T08:00:00+02:00)';
  if (/\d{2}\s*[A-Za-z]{2,}$/.test(t)) return 'a time-zone name is not read: write a UTC offset right after the time (2026-03-28T20:00:00Z, 2026-03-28T20:00+01:00), or none for the ward\'s clock';
  return 'not a timestamp read (2026-03-28T20:00 or 2026-03-28 20:00, seconds and a UTC offset optional: Z, +01:00)';
}

/** Whether TIME holds clock times that carry no date (no date column, no timestamps), where read by clockHours. */
export function isUndatedClock(columns: readonly string[], rows: readonly (readonly string[])[]): boolean {
  const ti = columns.findIndex((c) => c.toUpperCase() === 'TIME');
  return !(ti < 0 || columns.some((c) => c.toUpperCase() in DATE_COLUMNS) || ISO.test(rows[0]?.[ti] ?? ''));
}

/**
 * Refuses two doses of one ID at one clock time when the times carry no date (read by clockHours,
 * in time order): daily doses at 08:00 written without dates all read at 0 h. Two doses at one time
 * are NONMEM's bolus beside an infusion, so a date column (one date for both) lets them through.
 */
export function refuseUndatedRepeatDoses(columns: readonly string[], rows: readonly (readonly string[])[], records: readonly { readonly row: number; readonly ID: number; readonly TIME: number; readonly EVID: number }[], file?: string): void {
  const ti = columns.findIndex((c) => c.toUpperCase() === 'TIME');
  if (!isUndatedClock(columns, rows)) return;
  let last: { readonly ID: number; readonly TIME: number; readonly row: number } | undefined;
  for (const r of records) {
    if (r.EVID !== 1 && r.EVID !== 4) continue;
    if (last && last.ID === r.ID && last.TIME === r.TIME) {
      const s = rows[r.row - 1]?.[ti] as string;
      fail(r.row, columns[ti] as string, s, `a second dose of ID ${r.ID} at ${s} (row ${last.row} has one), and the clock times carry no date: doses a day apart read at one time. Add a date column (DATE: dates, or day numbers 1, 2, …), which also keeps doses given together (a bolus and an infusion) at one time`, file);
    }
    last = r;
  }
}

/**
 * Refuses a four-digit time of day among clock times or beside a date column (0015, 0800, 1000):
 * it is hh:mm without its colon, where hours read 0015 as 15:00 (IPRED 3.146 for 13.75 at 4.25 h).
 */
function refuseClockWithoutColon(s: string, row: number, column: string, file?: string): void {
  // four digits are never hours of the day (0 to 24) but with a leading zero, which hours do not write
  const m = /^([01]\d|2[0-3])([0-5]\d)$/.exec(s.trim());
  if (!m) return;
  fail(row, column, s, `a clock time without its colon: write ${m[1]}:${m[2]}`, file);
}

/**
 * Refuses hours of the day with two decimals that could be minutes (20.30, 08.45, 9.60) in a TIME
 * column of clock times: 20.30 was read as 20.3 h, 20:18 (a level 12 h 18 min after the dose,
 * IPRED 5.846 for 5.730 at 12 h 30). 14.75 (14:45) and 20.5 (20:30) stay read as hours.
 */
function refuseMinutesAsDecimals(rows: readonly (readonly string[])[], ti: number, row: number, column: string, s: string, file?: string): void {
  const m = /^(\d{1,2})\.(\d{2})$/.exec(s.trim());
  // 08.00 reads 08:00 either way
  if (!m || m[2] === '00' || Number(m[2]) > 60) return;
  const first = firstClockRow(rows, ti);
  if (first === 0) return;
  const h = Number(s);
  const read = `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}`;
  const meant = Number(m[2]) < 60 ? `; write ${m[1]?.padStart(2, '0')}:${m[2]} for ${Number(m[1])} h ${Number(m[2])} min` : `; ${m[2]} is no minute (00 to 59)`;
  fail(row, column, s, `hours of the day with two decimals among clock times (row ${first}: ${rows[first - 1]?.[ti]}): ${s} is read as ${read}${meant}, or write ${read} where ${read} is meant`, file);
}

/**
 * Refuses times of day written with a dot for the colon (8.30, 20.15) in a TIME column that a date
 * column makes one of times of day, and that holds no clock time with a colon (those are judged one
 * by one, refuseMinutesAsDecimals): such a cell was read as decimal hours, 8.30 as 08:18, without a
 * word. Only where every time there written with a decimal point has two decimals of 00 to 59, as a
 * chart's minutes do: one that does not (14.75, 8.5) makes the column decimal hours, as NM-TRAN
 * reads it, and 8.00 reads 08:00 either way.
 */
function refuseDottedClockTimes(rows: readonly (readonly string[])[], ti: number, column: string, dateColumn: string, file?: string): void {
  const cells = rows.map((r) => (r[ti] ?? '').trim());
  // a whole hour (8.00, 8., and a midnight 24.00, which no clock time of 24:xx but 24:00 is) reads
  // the same either way, so it says nothing of the column: 24.00 beside 9.30 let 9.30 read 09:18
  const dotted = cells.filter((c) => HOURS.test(c) && c.includes('.') && !Number.isInteger(Number(c)));
  const minutes = (c: string): RegExpExecArray | null => /^(\d{1,2})\.([0-5]\d)$/.exec(c);
  if (!dotted.every((c) => minutes(c) !== null && Number(c) < 24)) return;
  const k = cells.findIndex((c) => dotted.includes(c));
  if (k < 0) return;
  const s = cells[k] as string;
  const [, h, m] = minutes(s) as RegExpExecArray;
  const clock = `${(h as string).padStart(2, '0')}:${m}`;
  const asHours = Number(s);
  const read = `${String(Math.floor(asHours)).padStart(2, '0')}:${String(Math.round((asHours % 1) * 60)).padStart(2, '0')}`;
  // both readings, each with its own remedy: "or 9.8333 for decimal hours" (the clock time's hours)
  // led a chart of decimal hours (9.50 for 9.5 h) to move its level by 20 min
  fail(k + 1, column, rows[k]?.[ti] as string, `a time of day written with a dot, beside the ${dateColumn} column, where every such time has two decimals of 00 to 59 as minutes do: ${s} is read neither way: write ${clock} for the clock time ${clock}, or ${asHours} for ${asHours} h (${read})`, file);
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date cell as read (3 April 2026). */
function dateAsRead(cell: string, column: string, row: number, file?: string): string {
  const d = parseDate(cell.trim(), column, row, file);
  const at = new Date(d.days * 86_400_000);
  return `${at.getUTCDate()} ${MONTH_NAMES[at.getUTCMonth()]}${d.form === 3 ? ` ${at.getUTCFullYear()}` : ''}`;
}

/** A date cell as read (3 April 2026), or undefined when its day and month could not be swapped (ISO, a day past 12, a day number). */
function swappableDateAsRead(cell: string, column: string, row: number, file?: string): string | undefined {
  return isSwappable(cell, column) ? dateAsRead(cell, column, row, file) : undefined;
}

/**
 * The day and month fields of a date cell under `column` and the cell with them swapped: the first
 * two numbers under DATE and DAT1 (04/03/2026), the last two of a full date under DAT2 and DAT3
 * (2026/03/04), whose charts were never judged (a yyyy/mm/dd chart under DAT3 read consecutive days
 * a month apart, exit 0).
 */
function dayMonthFields(cell: string, column: string): { readonly a: string; readonly b: string; readonly swapped: string } | undefined {
  const s = cell.trim();
  // an ISO date under DAT2 is read in ISO's own order, as under DATE and DAT1: judged, a monthly
  // chart on days 1-12 was told to name the column DAT3, which read 2026-01-12 and 2026-02-12 as
  // 1 and 2 December (24 h for 744), and to write the dates ISO, which they were
  if (DATE_COLUMNS[column.toUpperCase()] === 'ymd' && /^\d{4}-\d{1,2}-\d{1,2}$/.test(s)) return undefined;
  const y = DATE_COLUMNS[column.toUpperCase()]?.[0] === 'y' ? /^(\d{1,4}[/.-])(\d{1,2})([/.-])(\d{1,2})$/.exec(s) : null;
  if (y) return { a: y[2] as string, b: y[4] as string, swapped: `${y[1]}${y[4]}${y[3]}${y[2]}` };
  const f = /^(\d{1,2})([/.-])(\d{1,2})((?:[/.-]\d{1,4})?)$/.exec(s);
  return f ? { a: f[1] as string, b: f[3] as string, swapped: `${f[3]}${f[2]}${f[1]}${f[4]}` } : undefined;
}

function isSwappable(cell: string, column: string): boolean {
  const f = dayMonthFields(cell, column);
  return f !== undefined && Number(f.a) <= 12 && Number(f.b) <= 12 && f.a !== f.b;
}

/** Days a date cell moves when its day and month are swapped. */
function swapShiftDays(cell: string, column: string, row: number, file?: string): number {
  if (!isSwappable(cell, column)) return 0;
  return parseDate(swapDayMonth(cell, column), column, row, file).days - parseDate(cell.trim(), column, row, file).days;
}

/** A date cell with its day and month swapped (04/03/2026 → 03/04/2026 under DATE; 2026/03/04 → 2026/04/03 under DAT3). */
const swapDayMonth = (cell: string, column: string): string => dayMonthFields(cell, column)?.swapped ?? cell.trim();

/** The index of a data set's date column (DATE, DAT1, DAT2 or DAT3), or −1. */
const dateColumnIndex = (columns: readonly string[]): number => columns.findIndex((c) => DATE_COLUMNS[c.toUpperCase()] !== undefined);

/** The date column that reads the day and month the other way round, with its order. */
const SWAPPED_COLUMN: Readonly<Record<string, string>> = { mdy: 'DAT1 (day/month/year)', dmy: 'DATE (month/day/year)', ymd: 'DAT3 (year/day/month)', ydm: 'DAT2 (year/month/day)' };
/** What a chart misread under an order writes: the day before the month under DATE and DAT2. */
const writesFirst = (order: string | undefined): string => (order === 'mdy' ? 'day first' : order === 'dmy' ? 'month first' : order === 'ymd' ? 'day before the month' : 'month before the day');

/**
 * W_DATE_ORDER, by the row of the later dose: consecutive doses of one ID whose II is given, read
 * more than 5 times their ADDL's span ((ADDL + 1) · II) apart from dates whose day and month could
 * be swapped, where the swapped reading puts them about that span apart (within a factor 1.5). A
 * European chart's 04/03/2026 and 05/03/2026 under DATE (month/day/year) read 3 April and 3 May,
 * 720 h apart for daily doses, with exit 0 and CL 1.90 for 2.08: DAT1 reads day/month/year. Doses
 * held 3 days, or a reset (EVID 3 or 4) months later, are no sign of swapped dates, and were warned.
 * An ID not warned so is judged on all its records (compactSwapWarnings): doses charted as given,
 * without II, were never judged.
 */
export function dateOrderWarnings(columns: readonly string[], rows: readonly (readonly string[])[], records: readonly { readonly row: number; readonly ID: number; readonly TIME: number; readonly EVID: number; readonly II: number; readonly ADDL: number }[], file?: string): { readonly row: number; readonly text: string }[] {
  const di = dateColumnIndex(columns);
  if (di < 0) return [];
  const column = columns[di] as string;
  const order = DATE_COLUMNS[column.toUpperCase()] as string;
  const other = SWAPPED_COLUMN[order] as string;
  // a DAT1 chart misread is one written month first: "writes the day first, name the column DATE" said the opposite;
  // a chart written as read (a monthly depot on the 1st) is warned by design, and was not told how to silence it
  // each remedy, followed, reads the hours its condition says: ISO under DAT3 is read year/day/month
  // again, so there the ISO dates go with DAT2; under DAT2 the order read is ISO's and nearly every
  // chart's, and year/day/month (DAT3) comes last, as the rare case it is
  const iso = (cell: string, row: number): string => `write the dates ISO (${isoAsRead(cell, column, row, file)} for ${cell.trim()})`;
  const remedy = (cell: string, row: number): string =>
    order === 'ymd'
      ? `if the chart writes year/month/day, as read (the order of ISO dates and of nearly every chart), ${iso(cell, row)}, which silences this warning; only if it writes year/day/month, name the column DAT3`
      : `if the chart writes the ${writesFirst(order)}, name the column ${other}; if it writes the ${writesFirst(SWAPPED_ORDER[order])}, as read, ${iso(cell, row)}${order === 'ydm' ? ' and name the column DAT2' : ''}, which silences this warning`;
  const out: { row: number; text: string }[] = [];
  // one warning per ID: a month-first reading puts every month boundary of the chart far apart
  const warned = new Set<number>();
  let last: (typeof records)[number] | undefined;
  for (const r of records) {
    // a reset starts the ID's dosing anew: the gap across it says nothing of the dates
    if (r.EVID === 3 || r.EVID === 4) last = undefined;
    if (r.EVID !== 1 && r.EVID !== 4) continue;
    const span = last && last.ID === r.ID && last.II > 0 ? (last.ADDL + 1) * last.II : undefined;
    if (last && span !== undefined && r.TIME - last.TIME > 5 * span && !warned.has(r.ID)) {
      const a = rows[last.row - 1]?.[di] as string;
      const b = rows[r.row - 1]?.[di] as string;
      const readA = swappableDateAsRead(a, column, last.row, file);
      const readB = swappableDateAsRead(b, column, r.row, file);
      const swapped = r.TIME - last.TIME + 24 * (swapShiftDays(b, column, r.row, file) - swapShiftDays(a, column, last.row, file));
      if (readA !== undefined && readB !== undefined && swapped >= span / 1.5 && swapped <= span * 1.5) {
        warned.add(r.ID);
        out.push({ row: r.row, text: `W_DATE_ORDER: ${file ?? 'the data set'}, rows ${last.row} and ${r.row} (ID ${r.ID}): doses with II ${last.II} h read ${Number((r.TIME - last.TIME).toPrecision(6))} h apart, ${column} ${a} as ${readA} and ${b} as ${readB} (${column} is ${describe(DATE_COLUMNS[column.toUpperCase()])}); ${remedy(a, last.row)}` });
      }
    }
    last = r;
  }
  for (const w of compactSwapWarnings(column, di, rows, records.filter((r) => !warned.has(r.ID)), remedy, file)) out.push(w);
  return out.sort((x, y) => x.row - y.row);
}

/** Whether a date cell is written ISO (2026-03-04), which DATE, DAT1 and DAT2 read year/month/day only (DAT3 reads it year/day/month). */
const writtenIso = (cell: string, column: string): boolean => DATE_COLUMNS[column.toUpperCase()] !== 'ydm' && /^\d{4}-\d{1,2}-\d{1,2}$/.test(cell);

/** Whether a date cell reads as a valid date either way: day and month both 12 or less (04/03/2026, 12/12). */
const readsEitherWay = (cell: string, column: string): boolean => {
  const f = dayMonthFields(cell, column);
  return f !== undefined && Number(f.a) >= 1 && Number(f.a) <= 12 && Number(f.b) >= 1 && Number(f.b) <= 12;
};

const SWAPPED_ORDER: Readonly<Record<string, string>> = { mdy: 'dmy', dmy: 'mdy', ymd: 'ydm', ydm: 'ymd' };

/**
 * W_DATE_ORDER for an ID whose dose intervals cannot tell (doses charted as given, without II; or
 * one dose with II and levels): every date of the ID reads either way (day and month 12 or less),
 * a week or more lies between two consecutive records as read, and the other reading keeps the
 * records in order and makes the chart far more compact: its span a tenth of the span read or
 * less, or no gap between consecutive records over 36 h. A TDM chart's 01/12/2026 and 02/12/2026
 * under DATE read 12 January and 12 February, 744 h apart, with exit 0 and MAP CL 2.22 for 2.42.
 * A month-first chart's consecutive days (12/01, 12/02) swapped lie a month apart, so say nothing;
 * records a month apart on one day of the month (a monthly depot on the 1st) are warned, their
 * dates written ISO are not. As the II rule, each stretch between resets (EVID 3 or 4) is judged
 * on its own, and a gap within the doses an earlier dose's II and ADDL give is no sign: TDM
 * occasions a month apart after a reset, and troughs a month apart under II 744, were warned.
 */
function compactSwapWarnings(column: string, di: number, rows: readonly (readonly string[])[], records: readonly { readonly row: number; readonly ID: number; readonly TIME: number; readonly EVID: number; readonly II: number; readonly ADDL: number }[], remedy: (cell: string, row: number) => string, file?: string): { readonly row: number; readonly text: string }[] {
  const byId = new Map<number, (typeof records)[number][]>();
  // a push, not a copy of the ID's list per record: one ID of 20,000 records read in 3.4-5.1 s for 0.23 s
  for (const r of records) {
    const list = byId.get(r.ID);
    if (list) list.push(r);
    else byId.set(r.ID, [r]);
  }
  const order = DATE_COLUMNS[column.toUpperCase()];
  const otherOrder = describe(SWAPPED_ORDER[order as string]);
  const hours = (h: number): number => Number(h.toPrecision(6));
  const out: { row: number; text: string }[] = [];
  for (const [id, rs] of byId) {
    const cells = rs.map((r) => (rows[r.row - 1]?.[di] ?? '').trim());
    // ISO dates (year first) read one way only and keep their place; the others must each read
    // either way: an ISO block followed by a day-first chart under DATE (2026-03-04, then 05/03/2026
    // read 3 May) put doses 1428 h apart for 12 (ETA_CL -3.22, CL 0.159 for 5.44), without a word
    if (rs.length < 2 || !cells.every((c) => readsEitherWay(c, column) || writtenIso(c, column)) || cells.every((c) => writtenIso(c, column))) continue;
    const read = rs.map((r) => r.TIME);
    const shift = cells.map((c, k) => swapShiftDays(c, column, rs[k]?.row as number, file));
    const swapped = read.map((t, k) => t + 24 * ((shift[k] as number) - (shift[0] as number)));
    // the other reading must keep the chart's order, as the one read does
    if (swapped.some((t, k) => k > 0 && t < (swapped[k - 1] as number))) continue;
    const j = suspectGap(rs, read, swapped);
    if (j === undefined) continue;
    const span = (read[read.length - 1] as number) - (read[0] as number);
    const swappedSpan = (swapped[swapped.length - 1] as number) - (swapped[0] as number);
    const [a, b] = [rs[j - 1]?.row as number, rs[j]?.row as number];
    const [ca, cb] = [cells[j - 1] as string, cells[j] as string];
    const other = (c: string, row: number): string => dateAsRead(swapDayMonth(c, column), column, row, file);
    // the remedy names a date the other order reads too, not an ISO one
    const [ra, rowA] = writtenIso(ca, column) ? [cb, b] : [ca, a];
    const isoAt = cells.findIndex((c) => writtenIso(c, column));
    const isoNote = isoAt < 0 ? '' : ` (the ID's ISO dates, as ${cells[isoAt]} at row ${rs[isoAt]?.row}, read one way only)`;
    out.push({
      row: b,
      text: `W_DATE_ORDER: ${file ?? 'the data set'}, rows ${a} and ${b} (ID ${id}): records read ${hours((read[j] as number) - (read[j - 1] as number))} h apart, ${column} ${ca} as ${dateAsRead(ca, column, a, file)} and ${cb} as ${dateAsRead(cb, column, b, file)} (${column} is ${describe(order)}), the ID's records spanning ${hours(span)} h; read ${otherOrder} they are ${other(ca, a)} and ${other(cb, b)}, ${hours((swapped[j] as number) - (swapped[j - 1] as number))} h apart, spanning ${hours(swappedSpan)} h${isoNote}; ${remedy(ra, rowA)}`,
    });
  }
  return out;
}

/** The shortest gap between consecutive records that marks a chart as possibly read month-first. */
const SUSPECT_GAP_HOURS = 7 * 24;

/**
 * The index of the record ending the longest gap that marks an ID's records as read month-first
 * (compactSwapWarnings), or undefined. Stretches between resets are judged apart, on their own
 * spans; a gap that the doses of an earlier dose's II and ADDL span (to half an interval past the
 * last) is left out, as the reading as read agrees with it, but only where that II is itself a
 * suspect gap (a monthly depot, weekly doses): a q12h order with ADDL 89 (45 days) left out any
 * gap up to 46 days, and a day-first chart's levels a day after its first dose, read a month on
 * (743.5 h for 23.5), went unwarned with MAP CL 5.904 for 4.521. A gap a whole number of short IIs
 * is no sign either way: a day-first chart misread puts same-time records whole days apart.
 */
function suspectGap(rs: readonly { readonly EVID: number; readonly II: number; readonly ADDL: number }[], read: readonly number[], swapped: readonly number[]): number | undefined {
  let best: number | undefined;
  let start = 0;
  while (start < rs.length) {
    let end = start + 1;
    while (end < rs.length && rs[end]?.EVID !== 3 && rs[end]?.EVID !== 4) end++;
    const span = (read[end - 1] as number) - (read[start] as number);
    const swappedSpan = (swapped[end - 1] as number) - (swapped[start] as number);
    let covered = -Infinity;
    let longest: number | undefined;
    let widestSwapped = 0;
    for (let k = start + 1; k < end; k++) {
      const prev = rs[k - 1] as { readonly EVID: number; readonly II: number; readonly ADDL: number };
      if ((prev.EVID === 1 || prev.EVID === 4) && prev.II >= SUSPECT_GAP_HOURS) covered = Math.max(covered, (read[k - 1] as number) + (prev.ADDL + 1.5) * prev.II);
      const gap = (read[k] as number) - (read[k - 1] as number);
      widestSwapped = Math.max(widestSwapped, (swapped[k] as number) - (swapped[k - 1] as number));
      if (gap >= SUSPECT_GAP_HOURS && (read[k] as number) > covered && (longest === undefined || gap > (read[longest] as number) - (read[longest - 1] as number))) longest = k;
    }
    if (longest !== undefined && (swappedSpan <= span / 10 || widestSwapped <= 36) && (best === undefined || (read[longest] as number) - (read[longest - 1] as number) > (read[best] as number) - (read[best - 1] as number))) best = longest;
    start = end;
  }
  return best;
}

/** A date cell as read, written ISO (2026-01-05); an example where it carries no year. */
function isoAsRead(cell: string, column: string, row: number, file?: string): string {
  const d = parseDate(cell.trim(), column, row, file);
  return d.form === 3 ? new Date(d.days * 86_400_000).toISOString().slice(0, 10) : '2026-01-05';
}

/**
 * What a refusal of a time going back says under a date column where both dates read either way
 * and, day and month swapped, keep their order; undefined otherwise. A day-first chart crossing a
 * month under DATE (08/03/2026, 09/03/2026, 05/04/2026: 3 September, then 4 May) was refused
 * "times must not decrease" without a word of the order of day and month.
 */
export function swappedOrderHint(columns: readonly string[], rows: readonly (readonly string[])[], before: number, row: number, file?: string): string | undefined {
  const di = dateColumnIndex(columns);
  if (di < 0) return undefined;
  const column = columns[di] as string;
  const [a, b] = [(rows[before - 1]?.[di] ?? '').trim(), (rows[row - 1]?.[di] ?? '').trim()];
  if (!readsEitherWay(a, column) || !readsEitherWay(b, column)) return undefined;
  if (!(parseDate(swapDayMonth(b, column), column, row, file).days > parseDate(swapDayMonth(a, column), column, before, file).days)) return undefined;
  const order = DATE_COLUMNS[column.toUpperCase()] as string;
  // ISO dates under DAT3 are read year/day/month again: there DAT2 alone is the remedy
  return `${column} is ${describe(order)}, which reads ${a} as ${dateAsRead(a, column, before, file)} and ${b} as ${dateAsRead(b, column, row, file)}: if the chart writes the ${writesFirst(order)} (${dateAsRead(swapDayMonth(a, column), column, before, file)} and ${dateAsRead(swapDayMonth(b, column), column, row, file)}, in order), name the column ${SWAPPED_COLUMN[order]}${order === 'ydm' ? '' : `, or write the dates ISO (${isoAsRead(swapDayMonth(b, column), column, row, file)} for ${b})`}`;
}

/** Minutes since midnight of a clock time (whole minutes stay exact integers). */
function minutesOfClock(m: RegExpExecArray, row: number, column: string, s: string, file?: string): number {
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  if (!(h <= 24 && min < 60 && sec < 60) || (h === 24 && (min > 0 || sec > 0))) fail(row, column, s, 'not a clock time (hh:mm or hh:mm:ss, 00:00 to 24:00)', file);
  return h * 60 + min + sec / 60;
}

/**
 * Hours since the first record of each ID for every row, when the TIME column holds clock times
 * or timestamps; undefined when it holds numbers (the usual elapsed hours). `rows` are the data
 * rows' cells (1-based row numbers follow their order), `ids` each row's ID.
 */
export function clockHours(columns: readonly string[], rows: readonly (readonly string[])[], ids: readonly number[], file?: string): number[] | undefined {
  const clock = clockMinutes(columns, rows, file, ids);
  return clock && clockHoursOf(clock, columns, rows, ids, file);
}

/** clockHours of a clock already read: readNmtran reads it once for the hours and W_CLOCK_DST (twice cost 27 % of reading 100,000 rows). */
export function clockHoursOf(clock: ClockMinutes, columns: readonly string[], rows: readonly (readonly string[])[], ids: readonly number[], file?: string): number[] {
  const { abs, kind, dateColumn: di, timeColumn: ti } = clock;
  const tName = columns[ti] as string;
  // elapsed hours from each ID's first record, as NM-TRAN computes them
  const first = new Map<number, number>();
  return abs.map((h, k) => {
    const id = ids[k] as number;
    if (!first.has(id)) first.set(id, h);
    const t = (h - (first.get(id) as number)) / 60;
    if (t < 0 && di === undefined && kind === 'wall' && !ISO.test(rows[k]?.[ti] as string))
      fail(k + 1, tName, rows[k]?.[ti] as string, 'a clock time before the previous one of this ID: across midnight, add a DATE column', file);
    return t;
  });
}

/** The clock of a data set: absolute minutes since 1970-01-01 per row (on the ward's clock, or as instants with offsets). */
export interface ClockMinutes {
  readonly abs: readonly number[];
  /** 'wall': times as written without a zone; 'instant': timestamps with offsets. */
  readonly kind: 'wall' | 'instant';
  /** Index of the date column (DATE, DAT1, DAT2, DAT3), if any. */
  readonly dateColumn?: number;
  /** Whether the times carry dates (a date column or timestamps): without, every time is on day 0. */
  readonly dated: boolean;
  /** The forms of the dates (1 day numbers, 2 month and day without a year, 3 calendar dates or timestamps), ascending; empty without dates. */
  readonly dateForms: readonly number[];
  /** Whether every date is a calendar date (or a timestamp): then the minutes are on the calendar, else only their differences mean something. */
  readonly calendar: boolean;
  readonly timeColumn: number;
  /**
   * Each row's date: its form (as dateForms) and, for a month and day without a year, the month;
   * undefined without a date. The forms may differ between IDs: see patientDates.
   */
  readonly rowDates: readonly ({ readonly form: 1 | 2 | 3; readonly month?: number; readonly cell: string } | undefined)[];
  /**
   * Each row's UTC offset in minutes east (0 for times without one): a chart's doses at 08:00 and
   * 20:00 local are 11 h apart across a daylight-saving switch, 12 h on its wall clock.
   */
  readonly offsets: readonly number[];
}

/** The dates of some rows (1-based, e.g. one ID's): their forms, and whether they are all calendar dates. */
export interface PatientDates {
  readonly dated: boolean;
  readonly forms: readonly number[];
  readonly calendar: boolean;
  /** The first row with a date without a year in January–February, and in March–December. */
  readonly early?: { readonly row: number; readonly cell: string };
  readonly late?: { readonly row: number; readonly cell: string };
}

/**
 * The dates of the given rows of a data set. Forms may differ between IDs (one charted with day
 * numbers, another with calendar dates): the file's dateForms then took the calendar from every
 * ID, so a patient's own rows decide.
 */
export function patientDates(clock: ClockMinutes, rows: readonly number[]): PatientDates {
  const forms = new Set<number>();
  let early: PatientDates['early'];
  let late: PatientDates['late'];
  for (const row of rows) {
    const d = clock.rowDates[row - 1];
    if (!d) continue;
    forms.add(d.form);
    if (d.month !== undefined && d.month <= 2) early ??= { row, cell: d.cell };
    else if (d.month !== undefined) late ??= { row, cell: d.cell };
  }
  const sorted = [...forms].sort((x, y) => x - y);
  return { dated: sorted.length > 0, forms: sorted, calendar: sorted.length === 1 && sorted[0] === 3, ...(early ? { early } : {}), ...(late ? { late } : {}) };
}

/**
 * TIME's unit as the command line declared it (--time hours), for every file a command reads: the
 * data, a future regimen, and the chart read again for its clock. Undefined: not declared.
 */
let commandLineTime: 'hours' | undefined;

/** Sets the command line's --time for the command about to run (undefined without it). */
export function declareCommandLineTime(unit: 'hours' | undefined): void {
  commandLineTime = unit;
}

/**
 * Absolute minutes of every row when the TIME column holds clock times or timestamps (see clockHours); undefined for elapsed hours.
 * `time` 'hours' (readNmtran's option, or --time hours): TIME holds elapsed hours, as written, where
 * Excel's serial window would leave it open (refuseExcelSerialTimes is not called).
 */
export function clockMinutes(columns: readonly string[], rows: readonly (readonly string[])[], file?: string, ids?: readonly number[], time?: 'hours'): ClockMinutes | undefined {
  const upper = columns.map((c) => c.toUpperCase());
  const ti = upper.indexOf('TIME');
  // "8:00 PM" is no clock cell: the column was then read as hours, and the refusal named the DATE column
  const twelve = ti < 0 ? -1 : rows.findIndex((r) => /^\d{1,2}:\d{2}(:\d{2})?\s*[AaPp]\.?[Mm]\.?$/.test((r[ti] as string).trim()));
  if (twelve >= 0) fail(twelve + 1, columns[ti] as string, rows[twelve]?.[ti] as string, 'a 12-hour clock time: write the time on the 24-hour clock (20:00 for 8:00 PM, 00:30 for 12:30 AM)', file);
  if (ti < 0) return undefined;
  const dateCols = upper.map((c, i) => (c in DATE_COLUMNS ? i : -1)).filter((i) => i >= 0);
  // NM-TRAN translates TIME to elapsed hours whenever a date item is present, "whether or not any
  // time values contain ':'": a DATE of day numbers beside TIME in hours was read as a data item,
  // and the times as elapsed hours (day 2 at 10:00 read 2 h after day 1 at 08:00, not 26 h)
  const dated = dateCols.some((i) => rows.some((r) => !isMissingDate(r[i] as string)));
  if (!dated && (time ?? commandLineTime) !== 'hours') refuseExcelSerialTimes(rows, columns, ti, ids, file);
  if (!dated && !rows.some((r) => isClockCell(r[ti] as string))) return undefined;
  if (dateCols.length > 1) fail(0, columns[dateCols[1] as number] as string, columns[dateCols[1] as number] as string, 'more than one date column (DATE, DAT1, DAT2, DAT3): keep one', file);
  const di = dateCols[0];
  if (di === undefined) refuseDayColumn(columns, rows, ti, file);
  const tName = columns[ti] as string;
  if (di !== undefined && firstClockRow(rows, ti) === 0) refuseDottedClockTimes(rows, ti, tName, columns[di] as string, file);
  refuseDayFractions(rows, ti, tName, di === undefined ? undefined : (columns[di] as string), file);
  // absolute minutes since 1970-01-01 (on the clock as written, or as an instant with an offset):
  // whole minutes are exact integers, so elapsed times are one exact difference and one division
  const abs: number[] = [];
  let kind: 'wall' | 'instant' | undefined;
  // per ID (all rows one patient without ids): the form of its dates, its rows in January–February and after
  const dates = new Map<number, { form: number; row: number; cell: string; early?: number; late?: number }>();
  let firstStamp: { stamped: boolean; row: number } | undefined;
  const rowDates: ClockMinutes['rowDates'][number][] = [];
  const offsets: number[] = [];
  rows.forEach((cells, k) => {
    const row = k + 1;
    const s = cells[ti] as string;
    const iso = ISO.exec(s);
    let minutes: number;
    let k2: 'wall' | 'instant';
    if (iso) {
      if (di !== undefined) fail(row, tName, s, `a full timestamp and a ${columns[di]} column: give the date once`, file);
      const days = dayNumber(Number(iso[1]), Number(iso[2]), Number(iso[3]));
      if (days === undefined) fail(row, tName, s, 'no such date', file);
      const clock = minutesOfClock(CLOCK.exec(`${iso[4]}:${iso[5]}${iso[6] !== undefined ? `:${iso[6]}` : ''}`) as RegExpExecArray, row, tName, s, file);
      const offset = offsetMinutes(iso[7]);
      if (typeof offset === 'string') return fail(row, tName, s, offset, file);
      minutes = (days as number) * 1440 + clock - offset;
      offsets.push(offset);
      k2 = iso[7] === undefined ? 'wall' : 'instant';
      rowDates.push({ form: 3, cell: s });
    } else {
      const m = CLOCK.exec(s);
      let clock: number;
      if (m) clock = minutesOfClock(m, row, tName, s, file);
      else if (HOURS.test(s)) {
        // a time of day in hours (NM-TRAN: 14.75 is 14:45), beside clock times or a date
        const h = Number(s);
        refuseClockWithoutColon(s, row, tName, file);
        refuseMinutesAsDecimals(rows, ti, row, tName, s, file);
        if (!(h <= 24))
          fail(row, tName, s, di !== undefined ? `with a ${columns[di]} column TIME is the time of day, which NM-TRAN translates to hours elapsed with the date: ${s} h is not one; if TIME holds elapsed hours, remove the ${columns[di]} column` : `not a time of day (0 to 24 h, or hh:mm): TIME holds clock times (row ${firstClockRow(rows, ti)}: ${rows[firstClockRow(rows, ti) - 1]?.[ti]}), so every row is read as one; if TIME holds elapsed hours, write that row in hours too`, file);
        clock = h * 60;
      } else return fail(row, tName, s, unreadTimeWhy(s) ?? `the TIME column holds clock times${di !== undefined ? ` (a ${columns[di]} column is present)` : ''}: every row needs one (hh:mm, hours of the day, or a timestamp like 2026-03-04T08:30)`, file);
      let days = 0;
      if (di !== undefined) {
        const dc = cells[di] as string;
        const d = parseDate(dc, columns[di] as string, row, file);
        const id = ids?.[k] ?? 0;
        let seen = dates.get(id);
        if (!seen) dates.set(id, (seen = { form: d.form, row, cell: dc }));
        if (d.form !== seen.form)
          fail(row, columns[di] as string, dc, `dates of different forms for one ID (row ${seen.row} has ${seen.cell}): write all of them as a day number, month and day, or a full date`, file);
        if (d.month !== undefined) {
          if (d.month <= 2) seen.early ??= row;
          else seen.late ??= row;
          if (seen.early !== undefined && seen.late !== undefined)
            fail(Math.max(seen.early, seen.late), columns[di] as string, dc, 'dates without a year in January–February and in March–December for one ID: the hours between depend on the year (a leap day, or a new year, between them); give the year', file);
        }
        days = d.days;
        rowDates.push({ form: d.form, ...(d.month !== undefined ? { month: d.month } : {}), cell: dc });
      } else rowDates.push(undefined);
      minutes = days * 1440 + clock;
      offsets.push(0);
      k2 = 'wall';
    }
    // a clock time without a date sits on day 0 (1970): beside timestamps it read decades away
    if (di === undefined) {
      const stamped = iso !== null;
      if (firstStamp === undefined) firstStamp = { stamped, row };
      else if (firstStamp.stamped !== stamped)
        fail(row, tName, s, `timestamps and clock times without a date in one data set (row ${firstStamp.row} has ${firstStamp.stamped ? 'a timestamp' : 'a clock time without a date'}): write all times one way`, file);
    }
    if (kind !== undefined && kind !== k2) fail(row, tName, s, 'times with and without a time-zone offset in one data set: write all of them one way', file);
    kind = k2;
    abs.push(minutes);
  });
  if (di !== undefined) {
    refuseDaysWithoutZero(rowDates, ids, columns[di] as string, file);
    const order = DATE_COLUMNS[(columns[di] as string).toUpperCase()] as string;
    refuseCompactDayNumbers(rowDates, ids, columns[di] as string, order, file);
    refuseYearSteps(rowDates, ids, columns[di] as string, order, file);
  }
  const forms = new Set<number>([...dates.values()].map((d) => d.form));
  if (rows.some((r) => ISO.test(r[ti] as string))) forms.add(3);
  const dateForms = [...forms].sort((x, y) => x - y);
  return { abs, kind: kind ?? 'wall', dateColumn: di, timeColumn: ti, dated: dateForms.length > 0, dateForms, calendar: dateForms.length === 1 && dateForms[0] === 3, rowDates, offsets };
}

/**
 * A time on a data set's clock (`2026-03-06T09:00`, with `Z` / `+01:00` when the data set's
 * timestamps carry offsets; or `09:00`, the first such clock time at or after `after`) as absolute
 * minutes like clockMinutes' (`after` in those minutes too). Undefined when `text` is neither.
 * `what` names the value in errors (e.g. `--from`). `zone`, the ward's IANA zone, makes a time
 * without an offset definite on a data set with offsets: it is read on that zone's clock, in the
 * offset it has then (08:00 on 2026-03-29 in Europe/Berlin is 06:00Z, the day the clocks go to
 * summer time); without it such a time is refused, the chart's offsets naming no zone.
 */
export function clockInstant(text: string, kind: 'wall' | 'instant', after: number, what: string, zone?: string): number | undefined {
  const bad = (why: string): never => {
    throw Errors.option(what.replace(/^--/, ''), `${what} ${text}: ${why}`);
  };
  const iso = ISO.exec(text.trim());
  if (iso) {
    const days = dayNumber(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (days === undefined) return bad('no such date');
    const h = Number(iso[4]);
    const min = Number(iso[5]);
    const sec = iso[6] === undefined ? 0 : Number(iso[6]);
    if (!(h <= 24 && min < 60 && sec < 60) || (h === 24 && (min > 0 || sec > 0))) return bad('not a clock time (hh:mm or hh:mm:ss, 00:00 to 24:00)');
    const withOffset = iso[7] !== undefined;
    if (!withOffset && kind === 'instant' && zone !== undefined) {
      const at = zoneInstants((days as number) * 1440 + h * 60 + min + sec / 60, zone)[0];
      // the earlier of two where the clocks go back over it
      return at ?? bad(`no such time in ${zone} (its clocks skip it that day, going to summer time)`);
    }
    if (withOffset !== (kind === 'instant')) return bad(kind === 'instant' ? 'the data set\'s timestamps carry a time-zone offset: give one here too (e.g. 2026-03-06T09:00+01:00)' : 'the data set\'s times are on the ward\'s clock, without a time-zone offset: write the time without one');
    const offset = offsetMinutes(iso[7]);
    if (typeof offset === 'string') return bad(offset);
    return (days as number) * 1440 + h * 60 + min + sec / 60 - offset;
  }
  const m = CLOCK.exec(text.trim());
  if (!m) return undefined;
  if (kind === 'instant' && zone === undefined) return bad('the data set\'s timestamps carry a time-zone offset: give a full timestamp (e.g. 2026-03-06T09:00+01:00)');
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  if (!(h <= 24 && min < 60 && sec < 60) || (h === 24 && (min > 0 || sec > 0))) return bad('not a clock time (hh:mm or hh:mm:ss, 00:00 to 24:00)');
  // 24:00 is 00:00 of the next day, the same instant: at a last record charted at 00:00 it read
  // 24 h later (the last record's day + 1440 min) where 00:00 reads the record's own time
  const ofDay = (h * 60 + min + sec / 60) % 1440;
  if (kind === 'instant' && zone !== undefined) {
    // the first such time on the zone's clock at or after `after` (the earlier of two where the
    // clocks go back over it); one the clocks skip (02:30 going to summer time) is refused, not moved
    const local = wallMinutes(new Date(after * 60_000), zone);
    for (let day = Math.floor(local / 1440) - 1; ; day++) {
      const at = zoneInstants(day * 1440 + ofDay, zone);
      const found = at.find((t) => t >= after);
      if (found !== undefined) return found;
      if (at.length === 0 && day * 1440 + ofDay >= local) return bad(`no such time in ${zone} on ${new Date(day * 86_400_000).toISOString().slice(0, 10)} (its clocks skip it, going to summer time): give another time or a full timestamp`);
    }
  }
  const day = Math.floor(after / 1440);
  const t = day * 1440 + ofDay;
  return t >= after ? t : t + 1440;
}

/**
 * The instants (clockMinutes' units) at which `zone`'s clock reads `local` (a 'wall' chart's
 * minutes), earliest first: none where its clocks skip that time, two where they go back over it.
 */
export function zoneInstants(local: number, zone: string): number[] {
  // a zone changes its offset at most once in a day either side (IANA zones have no closer switches)
  const offsets = new Set([-1440, 0, 1440].map((d) => Math.round(wallMinutes(new Date((local + d) * 60_000), zone) - (local + d))));
  return [...offsets].map((o) => local - o).filter((t) => Math.abs(wallMinutes(new Date(t * 60_000), zone) - local) < 1e-6).sort((x, y) => x - y);
}

/**
 * The canonical name of an IANA time zone (undefined: the process's, i.e. TZ), refusing an unknown
 * one as the option `what` (e.g. `--tz`) with its value.
 */
export function zoneName(zone: string | undefined, what: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', zone === undefined ? {} : { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw Errors.option(what.replace(/^--/, ''), `${what} ${zone}: not a time zone: give an IANA name such as Europe/Berlin, America/New_York or UTC`);
  }
}

/** The wall-clock date and time of an instant in a time zone, in clockMinutes' units (a 'wall' chart's minutes). */
export function wallMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'), at.getUTCMilliseconds()) / 60_000;
}

/**
 * The ward's clock now, in clockMinutes' units: the instant ('instant'), or the date and time as
 * written on the clock of `zone` ('wall'; default the process's, TZ) — a chart without offsets says
 * nothing of its zone, and on a UTC server a Berlin chart's now read 1 h early.
 */
export function clockNow(kind: 'wall' | 'instant', now = new Date(), zone?: string): number {
  if (kind === 'instant') return now.getTime() / 60_000;
  return wallMinutes(now, zoneName(zone, '--tz'));
}

/** A UTC offset in minutes east as a timestamp writes it: +01:00, -05:30. */
export function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
