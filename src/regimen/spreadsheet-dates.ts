// Dates and times that a spreadsheet wrote in a form the data reader reads as something else, with
// exit 0 and wrong hours: Excel's serial date-times in TIME (46085.333333 read as hours, so 12 h
// became 0.5 h), Excel's fraction of a day as the time of day beside a date (0.333333 for 08:00,
// read as 00:20), compact dates (260331) read as day numbers (the month end 70 days), and dates
// with a two-digit year under a date column of another order (26-03-04 under DAT1, consecutive
// days a year apart). Each is refused naming the column, the row and the value, and what to write.

import { Errors } from '../errors.js';
import { isMissingCell } from './csv-dialect.js';

const fail = (row: number, column: string, value: string, why: string, file?: string): never => {
  throw Errors.csvValue(row, column, value, why, file);
};

/** Days since 1970-01-01 of a date that exists (proleptic Gregorian), else undefined. */
function dayOf(y: number, m: number, d: number): number | undefined {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31)) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? t / 86_400_000 : undefined;
}

/** A year as the date columns read two digits (NONMEM's LAST20=50). */
const fullYear = (y: string): number => (y.length <= 2 ? (Number(y) <= 50 ? 2000 : 1900) + Number(y) : Number(y));
const iso = (days: number): string => new Date(days * 86_400_000).toISOString().slice(0, 10);
const thousands = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 6 });
const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(Math.round(minutes % 60)).padStart(2, '0')}`;
const describe = (order: string): string => ({ mdy: 'month/day/year', dmy: 'day/month/year', ymd: 'year/month/day', ydm: 'year/day/month' })[order] ?? order;
/** A date written in a column's order with four-digit years (03/31/2026 under DATE). */
const inOrder = (days: number, order: string): string => {
  const [y, m, d] = iso(days).split('-') as [string, string, string];
  const f: Record<string, string> = { y, m, d };
  return [...order].map((c) => f[c]).join('/');
};

/**
 * Excel's serial dates a chart exported now holds, 1990-01-01 to 2100-01-01 (day 25,569 is
 * 1970-01-01). Below, elapsed hours of a long course: 26281.258333 (1 h 15 min 30 s past 26280 h,
 * three years in) is 1971-12-14 06:12 as a date, and 20,000-80,000 refused it.
 */
const SERIAL_MIN = 32_874;
const SERIAL_MAX = 73_051;
const SERIAL_EPOCH = 25_569;
/** The widest dose gap of an ID (in the column's units) that reads as days, not hours: every other day. */
const SHORT_DOSE_GAP = 2;

/**
 * Whether a number's fraction is a whole number of `unit`-ths (1440: minutes of a day, 60: minutes
 * of an hour) to the decimals it is written with (46085.333333 is 08:00 within 0.0007 min).
 */
function wholeIn(s: string, unit: number): boolean {
  const decimals = (s.split('.')[1] ?? '').length;
  const x = (Number(s) % 1) * unit;
  return Math.abs(x - Math.round(x)) <= (unit / 2) * 10 ** -decimals + 1e-9;
}

/**
 * Refuses a TIME column (elapsed hours: no date column) whose every value is an Excel date of
 * 1990-2099 (32,874 to 73,051) and a whole minute of a day (to its decimals): Excel's date-times
 * saved as plain numbers, days since 1900, where a value with four decimals or more is no whole
 * minute of an hour (46085.395833 is 09:30 as a day, 23.75 min past as hours), or an ID's doses lie
 * less than 1 apart, twice or more, and not every value is a whole or half hour, or a value of an
 * ID is no quarter hour as hours (46085.333333: 08:00 as a day, 20 min past as hours), or an ID has
 * consecutive doses 8 or more apart or a record 8 or more after the dose before it (as days a week
 * or more, as hours q8h or longer: both a chart's; until f9 such an ID was read as hours, and Excel's
 * dates of doses 14 days apart ran as 14 h apart, exit 0), or an ID's consecutive doses lie 2 or less apart each (daily, q12h, every other day as days; every
 * 2 h or less as hours), each ID judged on its own. Gaps of 2 to 8 read as a chart's both ways
 * (every 4-7 days: vancomycin in dialysis; q3h-q8h with a nurse's jitter): the refusal gives both
 * readings and the remedies, never a guess, quarter-day values included (until 2026-12-07 weekly at
 * 06:00, 46085.25, 46092.25, ran as doses 7 h apart, exit 0), and so are an ID's one dose with a
 * record more than 2 on or ADDL with II more than 2 and under 8 (46085.25 with levels at 46087.25
 * and 46088.25 ran as 2 and 3 h on) (342790a read such an ID as hours: Excel's dialysis chart
 * of doses 4 and 7 days apart ran as 4 and 7 h, IPRED 56.26 for 14.35). Not called where the reader
 * is told TIME holds hours (readNmtran's option time: 'hours', the CLI's --time hours). Read as hours, a
 * 12-h dose interval (46085.333333 to 46085.833333) was 0.5 h and IPRED at 47.5 h read 88.259 for
 * 11.015; daily doses at even hours (08:00: .333333, 20 min as hours) and single doses passed,
 * exit 0 (IPRED 2.7396 at 2 h for 20.9307). Elapsed hours to the minute are whole minutes of a day
 * too, so the window of dates keeps those of courses under 3.75 years (26280.25, 30000.3333,
 * 26281.258333 with seconds were refused). An elapsed-hours chart refused so is read once written
 * from 0, or as written with time: 'hours'.
 */
export function refuseExcelSerialTimes(rows: readonly (readonly string[])[], columns: readonly string[], ti: number, ids: readonly number[] | undefined, file?: string): void {
  const column = columns[ti] as string;
  const upper = columns.map((c) => c.toUpperCase());
  const [ei, ai] = [upper.indexOf('EVID'), upper.indexOf('AMT')];
  const isDose = (r: readonly string[]): boolean => {
    const evid = ei < 0 ? undefined : Number((r[ei] ?? '').trim() || '0');
    if (evid !== undefined && evid !== 1 && evid !== 4) return false;
    return Number((r[ai] ?? '').trim()) > 0;
  };
  let n = 0;
  let halves = true;
  let told: number | undefined;
  // each ID's first value that is no quarter hour (row index)
  const unquartered = new Map<number, number>();
  for (let k = 0; k < rows.length; k++) {
    const s = (rows[k]?.[ti] ?? '').trim();
    if (isMissingCell(s)) continue;
    const v = Number(s);
    // the first cell out of range, or no whole minute of a day, ends it: a chart of elapsed hours costs a cell or two
    if (!/^\d+(\.\d*)?$/.test(s) || !(v >= SERIAL_MIN && v <= SERIAL_MAX) || !wholeIn(s, 1440)) return;
    n++;
    if ((v * 2) % 1 !== 0) halves = false;
    if (told === undefined && (s.split('.')[1] ?? '').length >= 4 && !wholeIn(s, 60)) told = k;
    // every even hour of a day is a whole minute of an hour (08:00 = .333333, 20 min): only the
    // quarter hours 00:00, 06:00, 12:00, 18:00 read alike as hours (0, 15, 30, 45 min)
    if (!wholeIn(s, 4) && !unquartered.has(ids?.[k] ?? 0)) unquartered.set(ids?.[k] ?? 0, k);
  }
  if (n < 2 && told === undefined) return;
  const asDate = (cell: string): string => {
    const minutes = Math.round((Number(cell) - SERIAL_EPOCH) * 1440);
    return `${iso(Math.floor(minutes / 1440))} ${hhmm(minutes % 1440)}`;
  };
  // hours since an origin (a warehouse's hours since 2021-01-01, since birth over 3.75 years) fall in
  // the window too: the remedy for them is one subtraction
  const origin = (rows.map((r) => (r[ti] ?? '').trim()).find((c) => !isMissingCell(c)) ?? '0');
  const remedy = (at: string): string =>
    `the column holds date-times saved as numbers. Write ${column} as hours since the first record (0, 1.5, 12, …; if it holds hours since an origin (a data warehouse's, since birth), subtract the first value, ${thousands(Number(origin))}, from each), or as clock times beside a DATE column (DATE 03/04/2026, ${column} 08:00: format the cells mm/dd/yyyy and hh:mm before saving as CSV), or as timestamps (${at}, format yyyy-mm-dd hh:mm); if it holds hours, give the read option time: 'hours', which reads them as written`;
  const range = `every ${column} lies between ${thousands(SERIAL_MIN)} and ${thousands(SERIAL_MAX)}, as Excel's serial date-times of 1990-2099 do`;
  const last = new Map<number, { k: number; v: number }>();
  const gaps: { before: { k: number; v: number }; k: number; id: number; gap: number }[] = [];
  // per ID, judged on its own doses (one patient's second course 10 days on turned the checks off
  // for every patient: another's daily doses at 08:00 read 1 h apart, IPRED 45.94 for 5.94): whether
  // two consecutive doses lie 8 or more apart (refused: both readings are a chart's), and its widest
  // gap between consecutive doses
  const far = new Set<number>();
  const widest = new Map<number, { before: { k: number; v: number }; k: number; gap: number }>();
  // an ID's first record 8 or more after the dose before it (bigtime_load.csv: a loading dose split 1
  // apart, levels 5 and 17 on): as hours levels 5 and 17 h on, as days 5 and 17 days on (a washout,
  // a follow-up), both a chart's, so it is refused like doses 8 or more apart, never read as hours
  const late = new Map<number, { dose: { k: number; v: number }; k: number; gap: number }>();
  // an ID's first record more than 2 after the dose before it, and its first dose repeated (ADDL)
  // every II more than 2 and under 8: with one dose (no gap between doses to judge) as days levels 3-7
  // days on or a weekly dose written once, as hours 3-7 h on or q3h-q7h; until 2026-12-07 read as
  // hours without a word (46085.25 with levels at 46087.25, 46088.25: CL 2.61, V 102.9 L for 1.975, 67.85)
  const onward = new Map<number, { dose: { k: number; v: number }; k: number; gap: number }>();
  const repeated = new Map<number, { k: number; addl: number; ii: number }>();
  const [adi, iii] = [upper.indexOf('ADDL'), upper.indexOf('II')];
  for (let k = 0; k < rows.length && ai >= 0; k++) {
    const s = (rows[k]?.[ti] ?? '').trim();
    if (!isMissingCell(s) && !isDose(rows[k] as readonly string[])) {
      const dose = last.get(ids?.[k] ?? 0);
      if (dose !== undefined && Number(s) - dose.v >= 8 && !late.has(ids?.[k] ?? 0)) late.set(ids?.[k] ?? 0, { dose, k, gap: Number(s) - dose.v });
      if (dose !== undefined && Number(s) - dose.v > SHORT_DOSE_GAP && !onward.has(ids?.[k] ?? 0)) onward.set(ids?.[k] ?? 0, { dose, k, gap: Number(s) - dose.v });
    }
    if (isMissingCell(s) || !isDose(rows[k] as readonly string[])) continue;
    const id = ids?.[k] ?? 0;
    const v = Number(s);
    const [addl, ii] = [adi, iii].map((c) => (c < 0 ? 0 : Number((rows[k]?.[c] ?? '').trim()) || 0)) as [number, number];
    if (addl > 0 && ii > SHORT_DOSE_GAP && ii < 8 && !repeated.has(id)) repeated.set(id, { k, addl, ii });
    const before = last.get(id);
    last.set(id, { k, v });
    if (before === undefined || !(v - before.v > 0)) continue;
    if (v - before.v >= 8) far.add(id);
    if (!((widest.get(id)?.gap ?? 0) >= v - before.v)) widest.set(id, { before, k, gap: v - before.v });
    if (!halves && v - before.v < 1) gaps.push({ before, k, id, gap: v - before.v });
  }
  if (gaps.length >= 2) {
    const { before, k, id, gap } = gaps[0] as (typeof gaps)[number];
    const first = (rows[before.k]?.[ti] ?? '').trim();
    fail(
      before.k + 1,
      column,
      first,
      `${range} (days since 1900: ${first} is ${asDate(first)}), and ID ${id}'s doses at rows ${before.k + 1} and ${k + 1} lie ${thousands(Number(gap.toPrecision(6)))} apart, ` +
        `read as ${thousands(Number((gap * 60).toPrecision(4)))} min where as days they are ${thousands(Number((gap * 24).toPrecision(4)))} h: ${remedy(asDate(first))}`,
      file,
    );
  }
  if (told !== undefined) {
    const s = (rows[told]?.[ti] ?? '').trim();
    const past = Number((((Number(s) % 1) * 60) % 60).toFixed(4));
    fail(
      told + 1,
      column,
      s,
      `${range}, each a whole minute of a day (days since 1900: ${s} is ${asDate(s)}), while read as hours ${s} is ${thousands(past)} min past the hour, no whole minute: ${remedy(asDate(s))}`,
      file,
    );
  }
  // an ID with doses 8 or more apart is judged like any other (f9: Excel's dates of a biologic every
  // 14 days at 08:00 ran as doses 14 h apart, exit 0, when such an ID was read as hours)
  const [id, at] = [...unquartered].sort((a, b) => a[1] - b[1])[0] ?? [];
  if (id !== undefined && at !== undefined) {
    const s = (rows[at]?.[ti] ?? '').trim();
    const past = Math.round((Number(s) % 1) * 60);
    const years = Number((Number(s) / 8766).toFixed(1));
    fail(
      at + 1,
      column,
      s,
      `${range}, each a whole minute of a day (days since 1900: ${s} is ${asDate(s)}), while read as hours ${s} is ${past} min past the hour, ${years} years of elapsed hours; ${bothReadings(rows, ti, ids, id, isDose, asDate)}, and nothing in the column tells which: ${remedy(asDate(s))}`,
      file,
    );
  }
  // every value a quarter hour, and doses 8 or more apart (q8h-q24h as hours since an origin; weekly,
  // every two weeks as days) or a record 8 or more after the dose before it: both a chart's, and
  // nothing in the column tells which (f9: 46085.25, 46092.25, … weekly at 06:00 read 7 h apart)
  // the first such ID in the file, at its first record (one pass: a file may hold 10^5 records or more)
  const wideAt = rows.findIndex((_, k) => far.has(ids?.[k] ?? 0) || late.has(ids?.[k] ?? 0));
  const wide = wideAt < 0 ? undefined : { i: ids?.[wideAt] ?? 0, at: wideAt };
  if (wide !== undefined) {
    const s = (rows[wide.at]?.[ti] ?? '').trim();
    const l = late.get(wide.i);
    const g = l === undefined ? '' : thousands(Number(l.gap.toPrecision(6)));
    const record = l === undefined ? '' : `; its record at row ${l.k + 1} lies ${g} after the dose before it (row ${l.dose.k + 1}): as Excel dates ${g} day${g === '1' ? '' : 's'} on, as hours ${g} h on`;
    fail(
      wide.at + 1,
      column,
      s,
      `${range}, each a whole minute of a day (days since 1900: ${s} is ${asDate(s)}); ${bothReadings(rows, ti, ids, wide.i, isDose, asDate)}${record}, and nothing in the column tells which: ${remedy(asDate(s))}`,
      file,
    );
  }
  // every value a quarter hour (00:00, 06:00, 12:00, 18:00 as days): doses that lie 2 or less
  // apart each are daily, q12h or every other day as days and every 2 h or less as hours, no
  // chart's whole course (once daily at 18:00 read 12 h as 0.5 h, ETA_V1 +1.77 for -0.084; q12h
  // at 00:00 and 12:00 likewise, +1.44; exit 0)
  const short = [...widest].filter(([, w]) => w.gap <= SHORT_DOSE_GAP).sort((a, b) => a[1].before.k - b[1].before.k)[0];
  if (short !== undefined) {
    const [sid, { before, k }] = short;
    const first = (rows[before.k]?.[ti] ?? '').trim();
    const gap = Number((Number((rows[k]?.[ti] ?? '').trim()) - Number(first)).toPrecision(6));
    const asHours = gap < 1 ? `${thousands(Number((gap * 60).toPrecision(4)))} min` : `${thousands(gap)} h`;
    fail(
      before.k + 1,
      column,
      first,
      `${range} (days since 1900: ${first} is ${asDate(first)}), and ID ${sid}'s doses lie ${SHORT_DOSE_GAP} or less apart each, rows ${before.k + 1} and ${k + 1} ${thousands(gap)} apart, read as ${asHours} where as days they are ${thousands(Number((gap * 24).toPrecision(4)))} h: ${remedy(asDate(first))}`,
      file,
    );
  }
  // every value a quarter hour, and an ID's widest gap between doses more than 2 and under 8: every
  // 3-7 days at 06:00 as days (weekly, twice weekly, dialysis), q3h-q7h at 0/15/30/45 min past as
  // hours; both a chart's, so refused as its neighbours are (until 2026-12-07 such an ID was read as
  // hours without a word: weekly at 06:00, 46085.25, 46092.25, ran as doses 7 h apart, exit 0)
  // the first such ID in the file, at its first record
  // An ID with one dose (no gap between doses: widest holds every ID with two) is judged by its
  // records more than 2 on (8 or more was refused above) and by its dose's ADDL/II: the same refusal
  const single = (id: number): boolean => !widest.has(id) && (onward.has(id) || repeated.has(id));
  const midAt = widest.size === 0 && onward.size === 0 && repeated.size === 0 ? -1 : rows.findIndex((_, k) => widest.has(ids?.[k] ?? 0) || single(ids?.[k] ?? 0));
  if (midAt >= 0) {
    const mi = ids?.[midAt] ?? 0;
    const s = (rows[midAt]?.[ti] ?? '').trim();
    const o = single(mi) ? onward.get(mi) : undefined;
    const r = single(mi) ? repeated.get(mi) : undefined;
    const g = o === undefined ? '' : thousands(Number(o.gap.toPrecision(6)));
    const record = o === undefined ? '' : `; its record at row ${o.k + 1} lies ${g} after its one dose (row ${o.dose.k + 1}): as Excel dates ${g} days on, as hours ${g} h on`;
    const ii = r === undefined ? '' : thousands(r.ii);
    const repeat = r === undefined ? '' : `; its dose at row ${r.k + 1} repeats ${thousands(r.addl)} time${r.addl === 1 ? '' : 's'} every ${ii} (ADDL ${thousands(r.addl)}, II ${ii}): as Excel dates every ${ii} days, as hours every ${ii} h`;
    fail(
      midAt + 1,
      column,
      s,
      `${range}, each a whole minute of a day (days since 1900: ${s} is ${asDate(s)}); ${bothReadings(rows, ti, ids, mi, isDose, asDate)}${record}${repeat}, and nothing in the column tells which: ${remedy(asDate(s))}`,
      file,
    );
  }
}

/** "4, 3.75 and 4.25": a list the way a sentence says it. */
const spoken = (xs: readonly string[]): string => (xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] as string}`);

/**
 * An ID's dose rows (with fewer than two doses, its records) and their gaps read both ways: "ID 1's
 * doses at rows 1, 2 and 3 lie 4 and 7 apart: as Excel dates 4 and 7 days apart (2026-03-04 16:00,
 * …), as hours 4 and 7 h apart", or with one gap throughout "every 6 days at 04:00" and "every 6 h".
 */
function bothReadings(rows: readonly (readonly string[])[], ti: number, ids: readonly number[] | undefined, id: number, isDose: (r: readonly string[]) => boolean, asDate: (cell: string) => string): string {
  const mine = rows.map((r, k) => ({ k, s: (r[ti] ?? '').trim(), dose: isDose(r) })).filter((x) => (ids?.[x.k] ?? 0) === id && !isMissingCell(x.s));
  const doses = mine.filter((x) => x.dose);
  const at = doses.length >= 2 ? doses : mine;
  const what = doses.length >= 2 ? 'doses' : 'records';
  const gaps = at.slice(1).map((x, i) => Number(x.s) - Number((at[i] as { s: string }).s));
  const shown = (xs: readonly string[], most: number): string[] => (xs.length > most ? [...xs.slice(0, most - 1), '…', xs[xs.length - 1] as string] : [...xs]);
  const rowList = spoken(shown(at.map((x) => String(x.k + 1)), 8));
  const same = gaps.length >= 2 && gaps.every((g) => Math.abs(g - (gaps[0] as number)) < 1e-5);
  const g0 = thousands(Number((gaps[0] ?? 0).toPrecision(6)));
  const gapList = spoken(shown(gaps.map((g) => thousands(Number(g.toPrecision(6)))), 6));
  const dates = at.slice(0, 3).map((x) => asDate(x.s));
  const dateList = `(${dates.join(', ')}${at.length > 3 ? ', …' : ''})`;
  const clock = same && Math.abs((gaps[0] as number) - Math.round(gaps[0] as number)) < 1e-5 ? ` at ${(dates[0] ?? '').slice(11)}` : '';
  const plural = (g: string): string => (g === '1' ? '' : 's');
  return same
    ? `ID ${id}'s ${what} at rows ${rowList} lie ${g0} apart each: as Excel dates every ${g0} day${plural(g0)}${clock} ${dateList}, as hours every ${g0} h`
    : `ID ${id}'s ${what} at rows ${rowList} lie ${gapList} apart: as Excel dates ${gapList} day${plural(gapList)} apart ${dateList}, as hours ${gapList} h apart`;
}

const CLOCK_CELL = /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const BARE = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * Refuses Excel's fraction of a day as the time of day (0.333333 for 08:00), which as NM-TRAN's
 * hours of the day read 00:20: times all below 1 (h) beside a date column, some above 0 (a level
 * 1.5 h after an 08:00 dose 3.75 min after it, IPRED 2.0618 for 24.3175; a chart whose every time
 * falls between 00:00 and 01:00 is none), and a number between 0 and 1 among clock times hh:mm, with
 * or without a date (a merged export's doses 0.333333 beside levels at 09:30: the doses read 00:20,
 * IPRED 5.8876 at 09:30 for 24.3175, exit 0).
 */
export function refuseDayFractions(rows: readonly (readonly string[])[], ti: number, column: string, dateColumn: string | undefined, file?: string): void {
  let k0 = -1;
  let clock = -1;
  let below = -1;
  let all = true;
  for (let k = 0; k < rows.length; k++) {
    const s = (rows[k]?.[ti] ?? '').trim();
    if (isMissingCell(s)) continue;
    if (clock < 0 && CLOCK_CELL.test(s)) clock = k;
    const bare = BARE.test(s);
    if (bare && below < 0 && Number(s) > 0 && Number(s) < 1) below = k;
    if (!bare || !(Number(s) < 1)) all = false;
    if (k0 < 0 && bare && Number(s) > 0) k0 = k;
  }
  const asClock = (s: string): string => hhmm(Math.round(Number(s) * 1440));
  if (clock >= 0 && below >= 0) {
    const s = (rows[below]?.[ti] ?? '').trim();
    fail(
      below + 1,
      column,
      s,
      `a number below 1 among clock times (row ${clock + 1}: ${(rows[clock]?.[ti] ?? '').trim()}): as hours of the day ${s} is ${hhmm(Math.round(Number(s) * 60))}, as Excel's fraction of a day ${asClock(s)}; ` +
        `write it as a clock time (${asClock(s)} if it is a spreadsheet's time: format the column hh:mm before saving as CSV)`,
      file,
    );
  }
  if (dateColumn === undefined || !all || k0 < 0) return;
  const s = (rows[k0]?.[ti] ?? '').trim();
  const hours = Math.round(Number(s) * 1440) / 60;
  fail(
    k0 + 1,
    column,
    s,
    `beside the ${dateColumn} column ${column} is the time of day (hh:mm, or hours of the day), and every one here is below 1 h (00:00 to 00:59), as Excel's fraction of a day is (${s} of a day is ${asClock(s)}): ` +
      `format the column hh:mm before saving as CSV (${asClock(s)}), or write hours of the day (${hours} for ${asClock(s)})`,
    file,
  );
}

/** A day number's readings as a compact date: yymmdd, ddmmyy, mmddyy, yyddmm (5–6 digits) or mmdd, ddmm (3–4 digits, no year). */
function compactReadings(cell: string): { readonly form: string; readonly days: number; readonly text: string }[] {
  const s = cell.trim();
  if (!/^\d{3,6}$/.test(s)) return [];
  const out: { form: string; days: number; text: string }[] = [];
  if (s.length >= 5) {
    const p = s.padStart(6, '0');
    const f = [p.slice(0, 2), p.slice(2, 4), p.slice(4, 6)];
    for (const order of ['ymd', 'dmy', 'mdy', 'ydm']) {
      const at = (c: string): string => f[order.indexOf(c)] as string;
      const days = dayOf(fullYear(at('y')), Number(at('m')), Number(at('d')));
      if (days !== undefined) out.push({ form: [...order].map((c) => c + c).join(''), days, text: iso(days) });
    }
  } else {
    const p = s.padStart(4, '0');
    for (const order of ['md', 'dm']) {
      const m = Number(p.slice(order.indexOf('m') * 2, order.indexOf('m') * 2 + 2));
      const d = Number(p.slice(order.indexOf('d') * 2, order.indexOf('d') * 2 + 2));
      // a leap year, so that 0229 reads
      const days = dayOf(2000, m, d);
      if (days !== undefined) out.push({ form: [...order].map((c) => c + c).join(''), days, text: new Date(days * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' }) });
    }
  }
  return out;
}

/** The rows' dates as clockMinutes reads them: form 1 a day number. */
type RowDates = readonly ({ readonly form: number; readonly cell: string } | undefined)[];

/**
 * The compact forms of the column's own order (mmdd and mmddyy under DATE, ddmm and ddmmyy under
 * DAT1, mmdd and yymmdd under DAT2, ddmm and yyddmm under DAT3) that read every day number of a
 * column as a date. Only the column's order: judged by every form, study days 101, 102, 103 under
 * DATE were refused as ddmm (1 January, 1 February) and mmdd 0305 → 0306 as 3 May, 3 June.
 */
function columnCompactForms(rowDates: RowDates, order: string): string[] {
  const own = (f: string): boolean => f.replace(/(.)\1/g, '$1') === order || f.replace(/(.)\1/g, '$1') === order.replace('y', '');
  let forms: string[] | undefined;
  for (const d of rowDates) {
    if (d?.form !== 1) continue;
    const here = compactReadings(d.cell).map((r) => r.form).filter(own);
    forms = forms === undefined ? here : forms.filter((f) => here.includes(f));
    if (forms.length === 0) return [];
  }
  return forms ?? [];
}

/**
 * Refuses day numbers that are compact dates: six digits that read as a date (260331, yymmdd;
 * 040326, ddmmyy), and, in a column whose every day number reads as a date in one compact form
 * (mmdd, ddmm, or mmddyy, ddmmyy, yymmdd with five digits), a jump between consecutive records
 * of an ID that as day numbers and as that form's dates differs by more than a day. Read as day
 * numbers, 260331 → 260401 was 70 days (the last level at 1704 h for 47.5, IPRED 1.9e-27 for
 * 11.0152), 0325 → 0402 (mmdd, 8 days) 77 days (η_CL −1.114 for 0.0309), and 30426 → 31226
 * (mmddyy, 8 days) 800 days, exit 0, when only readings a week or less apart were judged.
 */
export function refuseCompactDayNumbers(rowDates: RowDates, ids: readonly number[] | undefined, column: string, order: string, file?: string): void {
  // a day number that reads as no date in the column's form (1, 13, 100; 0325 beside 2503) makes
  // it a column of study days: 1, 331, 401 were refused as month ends. Every jump of a column of
  // compact dates is judged: within a month mmdd and day numbers agree (0325 → 0326), across a
  // month end they part (0331 → 0401: 70 days for 1, 0325 → 0402: 77 for 8), and ddmm (DAT1, DAT3)
  // parts at every change of day (0403 → 0503: 100 days for 1; 1503 → 1504: 1 day for a month)
  const forms = columnCompactForms(rowDates, order);
  const accepted = `${column} reads dates with separators in its order, ${describe(order)} (two-digit years 00–50 are 2000–2050), ISO dates (2026-03-31), or day numbers (1, 2, …)`;
  const last = new Map<number, { k: number; cell: string }>();
  rowDates.forEach((d, k) => {
    if (d?.form !== 1) return;
    const cell = d.cell.trim();
    const readings = /^\d{6}$/.test(cell) ? compactReadings(cell) : [];
    if (readings.length > 0) {
      const r = readings[0] as { form: string; days: number };
      fail(
        k + 1,
        column,
        cell,
        `a day number of six digits, which reads as a compact date (${readings.map((x) => `${x.form} ${x.text}`).join(', ')}): day numbers are days, so across a month end (260331 → 260401) they lie 70 days apart, and across a year end 8,870; ` +
          `${accepted}: write each date in full (${inOrder(r.days, order)} or ${iso(r.days)} for ${cell} if it is ${r.form})`,
        file,
      );
    }
    const id = ids?.[k] ?? 0;
    const before = last.get(id);
    last.set(id, { k, cell });
    if (before === undefined) return;
    const apart = Number(cell) - Number(before.cell);
    for (const form of forms) {
      const a = compactReadings(before.cell).find((x) => x.form === form);
      const b = compactReadings(cell).find((x) => x.form === form);
      if (a === undefined || b === undefined || Math.abs(b.days - a.days - apart) <= 1) continue;
      const days = b.days - a.days;
      // study days 101 → 102 under DAT1 (ddmm: 1 January → 1 February): DATE's mmdd reads them as
      // the day numbers do, a remedy shorter than rewriting TIME as hours (and, for days, as right)
      const [am, bm] = [before.cell, cell].map((c) => compactReadings(c).find((x) => x.form === 'mmdd'));
      const asDays = form === 'ddmm' && am !== undefined && bm !== undefined && Math.abs(bm.days - am.days - apart) <= 1;
      const studyDays = asDays
        ? `if they are a study's days, name the column DATE (its mmdd reads ${before.cell} and ${cell} ${thousands(Math.abs(apart))} day${Math.abs(apart) === 1 ? '' : 's'} apart, as day numbers), or give TIME as hours since the first record, without ${column}`
        : `if they are a study's days, give TIME as hours since the first record, without ${column}`;
      fail(
        k + 1,
        column,
        cell,
        `day numbers ${before.cell} (row ${before.k + 1}) and ${cell} of ID ${id} lie ${thousands(Math.abs(apart))} day${Math.abs(apart) === 1 ? '' : 's'} ${apart < 0 ? 'back' : 'apart'}, where read as compact dates (${form}) they are ${a.text} and ${b.text}, ${thousands(Math.abs(days))} day${Math.abs(days) === 1 ? '' : 's'} ${days < 0 ? 'back' : 'apart'} ` +
          `(every day number of ${column} reads as a date in ${form}; ${studyDays}); ` +
          `${accepted}: write the dates in full (${form.length === 4 ? 'with their year' : `${inOrder(b.days, order)} or ${iso(b.days)} for ${cell}`})`,
        file,
      );
    }
  });
}

/** The most days apart that the other order's reading of two consecutive records may lie to refuse them. */
const OTHER_READING_DAYS = 31;

/**
 * Refuses consecutive dates of an ID with two-digit years that differ in the year field but not in
 * the field the other order reads as the year (the day under DAT1 and DAT2), where read in that
 * other order (the year field as the day, the day as the year) they are valid and in order: a
 * date of another order under the column (26-03-04, 26-03-06 yy-mm-dd under DAT1, read 26 March
 * 2004 and 2006; 04/03/26, 06/03/26 dd/mm/yy under DAT2). Read so, records two days apart were
 * 17,520 h apart with exit 0 (η_CL −1.114 for 0.279) when only a year stepping by one was judged.
 * Only where the other reading is the closer and a month or less: charts a year or more apart on
 * one day of the month (DAT1) or in one month (DATE) are read in the column's order.
 */
export function refuseYearSteps(rowDates: RowDates, ids: readonly number[] | undefined, column: string, order: string, file?: string): void {
  const y = order.indexOf('y');
  if (y !== 0 && y !== 2) return;
  // the year field read as the day: a year at the end is yy/mm/dd (DAT2), a year first dd/mm/yy (DAT1)
  const other = y === 2 ? 'ymd' : 'dmy';
  const otherName = y === 2 ? 'DAT2' : 'DAT1';
  const oy = other.indexOf('y');
  const fields = (cell: string): string[] | undefined => /^(\d{1,2})([/.-])(\d{1,2})\2(\d{1,2})$/.exec(cell.trim())?.filter((_, i) => i === 1 || i === 3 || i === 4);
  const read = (f: readonly string[], o: string): number | undefined => dayOf(fullYear(f[o.indexOf('y')] as string), Number(f[o.indexOf('m')]), Number(f[o.indexOf('d')]));
  const last = new Map<number, { k: number; cell: string }>();
  rowDates.forEach((d, k) => {
    if (d?.form !== 3) return;
    const id = ids?.[k] ?? 0;
    const before = last.get(id);
    last.set(id, { k, cell: d.cell });
    const [fa, fb] = [before && fields(before.cell), fields(d.cell)];
    if (before === undefined || fa === undefined || fb === undefined || fa[y]?.length !== 2 || fb[y]?.length !== 2) return;
    // a patient's consecutive records lie in one year as often as not; the same day of the month
    // in other years is rare, and read the other way such dates are days apart
    if (Number(fb[y]) === Number(fa[y]) || Number(fb[oy]) !== Number(fa[oy])) return;
    const [a, b] = [read(fa, order), read(fb, order)];
    const [oa, ob] = [read(fa, other), read(fb, other)];
    if (a === undefined || b === undefined || oa === undefined || ob === undefined || ob < oa || Math.abs(b - a - (ob - oa)) <= 1) return;
    // the other reading must be a chart's next record, a month or less on, and closer than the
    // column's: 10/03/25 -> 10/09/26 under DAT1 (13,176 h) read 25 March -> 26 September 2010 and
    // 03/10/25 -> 03/12/26 under DATE 25 October -> 26 December 2003, and were refused
    if (ob - oa > OTHER_READING_DAYS || ob - oa >= Math.abs(b - a)) return;
    const long = (days: number): string => new Date(days * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const only = fa.every((v, i) => i === y || Number(v) === Number(fb[i]));
    fail(
      k + 1,
      column,
      d.cell,
      `${column} ${before.cell} (row ${before.k + 1}) and ${d.cell} of ID ${id} differ in the two-digit year (${fa[y]}, ${fb[y]})${only ? ' only' : ''}: ${column} is ${describe(order)}, which reads them ${long(a)} and ${long(b)}, ${thousands(Math.abs(b - a) * 24)} h ${b < a ? 'back' : 'apart'}; ` +
        `read ${describe(other)} they are ${long(oa)} and ${long(ob)}, ${thousands((ob - oa) * 24)} h apart: if the chart writes the dates ${describe(other)}, name the column ${otherName} (or write them ISO, ${iso(ob)} for ${d.cell}); if the records are years apart, write the years with four digits (${inOrder(b, order)})`,
      file,
    );
  });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Why a date written with a month's name (04-MAR-2026, 04-Mar-26, 04MAR2026: Oracle, Cerner and
 * SAS DATE9 exports; Mar 4, 2026) is not read, with the date in the column's order and ISO; it was
 * "not a date", which did not say that names are not read. Undefined when it names no month.
 */
export function monthNameWhy(cell: string, column: string, order: string): string | undefined {
  const s = cell.trim();
  const dmy = /^(\d{1,2})[-/. ]?([A-Za-z]{3,9})\.?[-/., ]*(\d{2}|\d{4})$/.exec(s);
  const mdy = /^([A-Za-z]{3,9})\.?[-/. ]*(\d{1,2})(?:st|nd|rd|th)?,?[-/. ]*(\d{2}|\d{4})$/.exec(s);
  const parts = dmy ? { d: dmy[1], m: dmy[2], y: dmy[3] } : mdy ? { d: mdy[2], m: mdy[1], y: mdy[3] } : undefined;
  const month = parts && MONTHS.indexOf((parts.m as string).slice(0, 3).toLowerCase()) + 1;
  if (!parts || !month || !(parts.m as string).toLowerCase().startsWith(MONTHS[month - 1] as string)) return undefined;
  const days = dayOf(fullYear(parts.y as string), month, Number(parts.d));
  const written = days === undefined ? '' : ` (${inOrder(days, order)}, or ISO ${iso(days)})`;
  return `a date with the month's name, which is not read: ${column.toUpperCase()} is ${describe(order)} in numbers; write it so${written}, or format the column so before saving as CSV`;
}
