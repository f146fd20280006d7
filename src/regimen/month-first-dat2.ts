// A US chart's dates, month/day/year with a two-digit year (03/05/26 for 5 March 2026), under DAT2,
// NONMEM's year/month/day: read 26 May 2003, and daily doses on 03/05/26, 03/06/26, 03/07/26 a month
// apart (744 h for 24, a level at 1463.5 h for 47.5), exit 0 and no word. The other rules of date
// order miss it: DAT2's day-month swap (its last two fields) reads the US year as a month (26), and
// the two-digit-year rule looks for a year that changes where here the field read as the day, the
// US year, stays. Such a chart reads at all only on days 1–12 (03/13/26 is no month 13: refused), in
// years 2001–2012 as DAT2 reads them. W_DATE_ORDER says it as it says a day-first chart under DATE:
// where every date of an ID reads month/day/year too, a week or more lies between two consecutive
// records as read, and the month/day/year reading keeps their order and makes the chart compact
// (a tenth of the span read or less, or no gap over 36 h). ISO dates (2003-05-26) are not judged.

import { dayNumber, fullYear } from './clock.js';

const TWO_DIGIT = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2})$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const dateText = (day: number): string => {
  const at = new Date(day * 86_400_000);
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
};
const hours = (h: number): number => Number(h.toPrecision(6));

/** A cell's days as DAT2 reads it (yy/mm/dd) and as month/day/yy, where it is written with two-digit fields and reads both ways. */
function readings(cell: string): { readonly dat2: number; readonly monthFirst: number } | undefined {
  const m = TWO_DIGIT.exec(cell.trim());
  if (m === null) return undefined;
  const [a, b, c] = [m[1] as string, Number(m[3]), m[4] as string];
  const dat2 = dayNumber(fullYear(a), b, Number(c));
  const monthFirst = dayNumber(fullYear(c), Number(a), b);
  return dat2 === undefined || monthFirst === undefined ? undefined : { dat2, monthFirst };
}

/** A date that reads year/month/day and not month/day/year: a first field of 13-99, or four digits. */
function yearFirstOnly(cell: string): boolean {
  const m = TWO_DIGIT.exec(cell.trim());
  if (m === null) return /^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}$/.test(cell.trim());
  return dayNumber(fullYear(m[1] as string), Number(m[3]), Number(m[4])) !== undefined && dayNumber(fullYear(m[4] as string), Number(m[1]), Number(m[3])) === undefined;
}

/**
 * W_DATE_ORDER of month/day/year charts under DAT2 (above), one per ID, for the IDs not in `warned`
 * (said by the other date-order rules). `records` are the data set's, TIME as read.
 */
export function monthFirstDat2Warnings(columns: readonly string[], rows: readonly (readonly string[])[], records: readonly { readonly row: number; readonly ID: number; readonly TIME: number }[], warned: ReadonlySet<number>, file?: string): { readonly row: number; readonly text: string }[] {
  const di = columns.findIndex((c) => c.toUpperCase() === 'DAT2');
  if (di < 0) return [];
  const column = columns[di] as string;
  // the file shows it writes year first where a date of the column reads year/month/day only (13/01/15,
  // 2011/04/15): a DAT2 chart of 2001-2012 (11/01/15 monthly, 15 January 2011) is then not warned.
  // One ID's dates alone cannot tell, the two readings being mirror images (README)
  if (rows.some((r) => yearFirstOnly(r[di] ?? ''))) return [];
  const byId = new Map<number, (typeof records)[number][]>();
  for (const r of records) if (!warned.has(r.ID)) (byId.get(r.ID) ?? byId.set(r.ID, []).get(r.ID) as (typeof records)[number][]).push(r);
  const out: { row: number; text: string }[] = [];
  for (const [id, rs] of byId) {
    if (rs.length < 2) continue;
    const cells = rs.map((r) => rows[r.row - 1]?.[di] ?? '');
    const both = cells.map(readings);
    if (!both.every((x) => x !== undefined)) continue;
    const read = rs.map((r) => r.TIME);
    const other = read.map((t, k) => t + 24 * ((both[k]?.monthFirst as number) - (both[k]?.dat2 as number) - ((both[0]?.monthFirst as number) - (both[0]?.dat2 as number))));
    if (other.some((t, k) => k > 0 && t < (other[k - 1] as number))) continue;
    // the longest gap as read, a week or more, where the other reading is compact
    let j = 0;
    for (let k = 1; k < read.length; k++) if ((read[k] as number) - (read[k - 1] as number) > (j === 0 ? 0 : (read[j] as number) - (read[j - 1] as number))) j = k;
    const span = (read[read.length - 1] as number) - (read[0] as number);
    const otherSpan = (other[other.length - 1] as number) - (other[0] as number);
    const widest = Math.max(...other.slice(1).map((t, k) => t - (other[k] as number)));
    if (j === 0 || (read[j] as number) - (read[j - 1] as number) < 7 * 24 || !(otherSpan <= span / 10 || widest <= 36)) continue;
    const [a, b] = [rs[j - 1]?.row as number, rs[j]?.row as number];
    const [ca, cb] = [(cells[j - 1] as string).trim(), (cells[j] as string).trim()];
    const [ra, rb] = [both[j - 1] as NonNullable<(typeof both)[number]>, both[j] as NonNullable<(typeof both)[number]>];
    out.push({
      row: b,
      text:
        `W_DATE_ORDER: ${file ?? 'the data set'}, rows ${a} and ${b} (ID ${id}): records read ${hours((read[j] as number) - (read[j - 1] as number))} h apart, ${column} ${ca} as ${dateText(ra.dat2)} and ${cb} as ${dateText(rb.dat2)} (${column} is year/month/day), the ID's records spanning ${hours(span)} h; ` +
        `read month/day/year they are ${dateText(ra.monthFirst)} and ${dateText(rb.monthFirst)}, ${hours((other[j] as number) - (other[j - 1] as number))} h apart, spanning ${hours(otherSpan)} h; ` +
        `if the chart writes month/day/year, name the column DATE; if it writes year/month/day, as read, write the dates ISO (${new Date(ra.dat2 * 86_400_000).toISOString().slice(0, 10)} for ${ca}), which silences this warning`,
    });
  }
  return out;
}
