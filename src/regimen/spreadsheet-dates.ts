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

/** Excel's serial dates from 1954 to 2119 (day 25,569 is 1970-01-01). */
const SERIAL_MIN = 20_000;
const SERIAL_MAX = 80_000;
const SERIAL_EPOCH = 25_569;

/**
 * Refuses a TIME column (elapsed hours: no date column) whose every value lies among Excel's serial
 * dates, 20,000 to 80,000, where consecutive doses of an ID lie less than 1 apart, twice or more:
 * Excel's date-times saved as plain numbers, days since 1900. Read as hours, a 12-h dose interval
 * (46085.333333 to 46085.833333) was 0.5 h, and IPRED at 47.5 h read 88.259 for 11.015. Doses,
 * not any records: a multi-year chart of elapsed hours has levels under an hour from a dose
 * (26291.5 before a dose at 26292), and was refused.
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
  for (const r of rows) {
    const s = (r[ti] ?? '').trim();
    if (isMissingCell(s)) continue;
    const v = Number(s);
    // the first cell out of range ends it: a chart of elapsed hours costs one cell
    if (!/^\d+(\.\d*)?$/.test(s) || !(v >= SERIAL_MIN && v <= SERIAL_MAX)) return;
    n++;
  }
  if (n < 2 || ai < 0) return;
  const last = new Map<number, { k: number; v: number }>();
  const gaps: { before: { k: number; v: number }; k: number; id: number; gap: number }[] = [];
  for (let k = 0; k < rows.length; k++) {
    const s = (rows[k]?.[ti] ?? '').trim();
    if (isMissingCell(s) || !isDose(rows[k] as readonly string[])) continue;
    const id = ids?.[k] ?? 0;
    const v = Number(s);
    const before = last.get(id);
    last.set(id, { k, v });
    if (before !== undefined && v - before.v > 0 && v - before.v < 1) gaps.push({ before, k, id, gap: v - before.v });
  }
  if (gaps.length >= 2) {
    const { before, k, id, gap } = gaps[0] as (typeof gaps)[number];
    const first = (rows[before.k]?.[ti] ?? '').trim();
    const minutes = Math.round((Number(first) - SERIAL_EPOCH) * 1440);
    const at = `${iso(Math.floor(minutes / 1440))} ${hhmm(minutes % 1440)}`;
    fail(
      before.k + 1,
      column,
      first,
      `every ${column} lies between ${thousands(SERIAL_MIN)} and ${thousands(SERIAL_MAX)}, as Excel's serial date-times do (days since 1900: ${first} is ${at}), and ID ${id}'s doses at rows ${before.k + 1} and ${k + 1} lie ${thousands(Number(gap.toPrecision(6)))} apart, ` +
        `read as ${thousands(Number((gap * 60).toPrecision(4)))} min where as days they are ${thousands(Number((gap * 24).toPrecision(4)))} h: the column holds date-times saved as numbers. ` +
        `Write ${column} as hours since the first record (0, 1.5, 12, …), or as clock times beside a DATE column (DATE 03/04/2026, ${column} 08:00: format the cells mm/dd/yyyy and hh:mm before saving as CSV), or as timestamps (${at}, format yyyy-mm-dd hh:mm)`,
      file,
    );
  }
}

/**
 * Refuses times of day that are all below 1 (h) beside a date column, some above 0: Excel's
 * fraction of a day (0.333333 for 08:00), which as NM-TRAN's hours of the day read 00:20, and a
 * level 1.5 h after an 08:00 dose 3.75 min after it (IPRED 2.0618 for 24.3175). A chart whose
 * every time falls between 00:00 and 01:00 is none.
 */
export function refuseDayFractions(rows: readonly (readonly string[])[], ti: number, column: string, dateColumn: string, file?: string): void {
  let k0 = -1;
  for (let k = 0; k < rows.length; k++) {
    const s = (rows[k]?.[ti] ?? '').trim();
    if (isMissingCell(s)) continue;
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s) || !(Number(s) < 1)) return;
    if (k0 < 0 && Number(s) > 0) k0 = k;
  }
  if (k0 < 0) return;
  const s = (rows[k0]?.[ti] ?? '').trim();
  const clock = hhmm(Math.round(Number(s) * 1440));
  const hours = Math.round(Number(s) * 1440) / 60;
  fail(
    k0 + 1,
    column,
    s,
    `beside the ${dateColumn} column ${column} is the time of day (hh:mm, or hours of the day), and every one here is below 1 h (00:00 to 00:59), as Excel's fraction of a day is (${s} of a day is ${clock}): ` +
      `format the column hh:mm before saving as CSV (${clock}), or write hours of the day (${hours} for ${clock})`,
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
      if (days !== undefined) out.push({ form: [...order].map((c) => c + c).join(''), days, text: iso(days).slice(5) });
    }
  }
  return out;
}

/** The rows' dates as clockMinutes reads them: form 1 a day number. */
type RowDates = readonly ({ readonly form: number; readonly cell: string } | undefined)[];

/**
 * Refuses day numbers that are compact dates: six digits that read as a date (260331, yymmdd;
 * 040326, ddmmyy), and consecutive day numbers of an ID a month or more apart that read as dates
 * a week or less apart (0331 → 0401 as mmdd, from a month's last day, every day number of the
 * column a compact date; 40326 → 50326, ddmmyy without its leading zero). Read
 * as day numbers, 260331 → 260401 was 70 days (the last level at 1704 h for 47.5 h, IPRED 1.9e-27
 * for 11.0152) and 040326 → 050326 10,000 days.
 */
export function refuseCompactDayNumbers(rowDates: RowDates, ids: readonly number[] | undefined, column: string, order: string, file?: string): void {
  // a day number that is no compact date (1, 13, 32) makes the column one of study days: 1, 331,
  // 401 were refused as month ends. Three or four digits are judged only where every one reads as
  // mmdd or ddmm, whatever their jump: ddmm 0403 → 0503 (a month apart as day numbers, 2,400 h)
  // and mmdd 0227 → 0301 crossing a month end without its last day ran exit 0 when only jumps from
  // a month's last day were judged
  const allCompact = rowDates.every((d) => d?.form !== 1 || compactReadings(d.cell).length > 0);
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
    if (before === undefined || Math.abs(Number(cell) - Number(before.cell)) < 28) return;
    const short = cell.length <= 4 || before.cell.trim().length <= 4;
    if (short && !allCompact) return;
    for (const a of compactReadings(before.cell)) {
      const b = compactReadings(cell).find((x) => x.form === a.form && x.days - a.days >= 1 && x.days - a.days <= 7);
      if (b === undefined) continue;
      fail(
        k + 1,
        column,
        cell,
        `day numbers ${before.cell} (row ${before.k + 1}) and ${cell} of ID ${id} lie ${thousands(Math.abs(Number(cell) - Number(before.cell)))} days apart, where read as compact dates (${a.form}) they are ${a.text} and ${b.text}, ${b.days - a.days} day${b.days - a.days === 1 ? '' : 's'} apart; ` +
          `${accepted}: write the dates in full (${a.form.length === 4 ? 'with their year' : `${inOrder(b.days, order)} or ${iso(b.days)} for ${cell}`})`,
        file,
      );
    }
  });
}

/**
 * Refuses dates whose only changing field is a two-digit year stepping by one between consecutive
 * records of an ID, the other two fields fixed, where that field read as the day makes them
 * consecutive days: a date of another order under the column (26-03-04, 26-03-05 yy-mm-dd under
 * DAT1, read 26 March 2004 and 2005; 04/03/26, 05/03/26 dd/mm/yy under DAT2), 8,760 h apart with
 * exit 0 (the last level at 17,520 h for 47.5).
 */
export function refuseYearSteps(rowDates: RowDates, ids: readonly number[] | undefined, column: string, order: string, file?: string): void {
  const y = order.indexOf('y');
  if (y !== 0 && y !== 2) return;
  // the year field read as the day: a year at the end is yy/mm/dd (DAT2), a year first dd/mm/yy (DAT1)
  const other = y === 2 ? 'ymd' : 'dmy';
  const otherName = y === 2 ? 'DAT2' : 'DAT1';
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
    if (Number(fb[y]) !== Number(fa[y]) + 1 || fa.some((v, i) => i !== y && Number(v) !== Number(fb[i]))) return;
    const [a, b] = [read(fa, order), read(fb, order)];
    const [oa, ob] = [read(fa, other), read(fb, other)];
    if (a === undefined || b === undefined || oa === undefined || ob === undefined) return;
    const long = (days: number): string => new Date(days * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    fail(
      k + 1,
      column,
      d.cell,
      `${column} ${before.cell} (row ${before.k + 1}) and ${d.cell} of ID ${id} differ only in the two-digit year, one apart: ${column} is ${describe(order)}, which reads them ${long(a)} and ${long(b)}, ${thousands((b - a) * 24)} h apart; ` +
        `read ${describe(other)} they are ${long(oa)} and ${long(ob)}, ${thousands((ob - oa) * 24)} h apart: if the chart writes the dates ${describe(other)}, name the column ${otherName} (or write them ISO, ${iso(ob)} for ${d.cell}); if the records are a year apart, write the years with four digits (${inOrder(b, order)})`,
      file,
    );
  });
}
