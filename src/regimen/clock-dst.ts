// A chart's clock times without a UTC offset are read on the wall clock (clock.ts): across a
// daylight-saving switch of the ward's zone the hours between two records are then 1 h off the real
// elapsed time (20:00 to 08:00 across Berlin's spring switch: 12 h read, 11 h elapsed), and a fit
// of those levels moved silently (vancomycin CL 2.687 where the instants give 2.680). The rule
// stands (the chart does not say its zone); where the zone in use is known, the switch is said.

import { Errors } from '../errors.js';
import { offsetText, type ClockMinutes } from './clock.js';

// one formatter per zone: building one per call read a 60,000-record chart in minutes
const FORMATS = new Map<string, Intl.DateTimeFormat>();
const GMT = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

/**
 * The zone's UTC offset (minutes east, rounded to the minute) at an instant in minutes since 1970.
 * Read from the offset ICU names (GMT+01:00): 3.8 µs a call where formatToParts' six parts took 12.
 */
function offsetAt(instant: number, zone: string): number {
  const f = FORMATS.get(zone) ?? FORMATS.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })).get(zone) as Intl.DateTimeFormat;
  const m = GMT.exec(f.format(new Date(instant * 60_000)));
  if (m === null) throw new Error(`the UTC offset of ${zone} at ${new Date(instant * 60_000).toISOString()} was not read`);
  if (m[1] === undefined) return 0;
  return (m[1] === '-' ? -1 : 1) * Math.round(Number(m[2]) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60);
}

/**
 * The instants (minutes since 1970) at which `zone`'s clock reads the wall time `w` (a 'wall'
 * chart's minutes), earliest first: none where its clocks skip it, two where they go back over it.
 * The offsets two days either side are the only candidates (switches lie days apart).
 */
export function wallInstants(w: number, zone: string): number[] {
  const [early, late] = [offsetAt(w - 2880, zone), offsetAt(w + 2880, zone)];
  const fits = [...new Set([early, late])].filter((o) => offsetAt(w - o, zone) === o);
  return fits.map((o) => w - o).sort((x, y) => x - y);
}

/**
 * An offset cheap enough to scan a chart's span with: the process's own zone through Date (0.46 µs a
 * call). It truncates the seconds of local mean time (before about 1920) that offsetAt rounds, so it
 * only says where the offset changes; the offsets quoted are offsetAt's.
 */
function scanOffset(zone: string): (instant: number) => number {
  // asked once per chart: building a formatter costs some 0.1 ms
  if (new Intl.DateTimeFormat().resolvedOptions().timeZone === zone) return (t) => -new Date(t * 60_000).getTimezoneOffset();
  return (t) => offsetAt(t, zone);
}

/**
 * The scan's step. The shortest excursion of an offset in the tz database since 1900 lasts 3.99 days
 * (Africa/Freetown, September 1939; then 6.96 days, Brazil October 2000): a step of 3 days misses none.
 */
const STEP = 3 * 1440;

interface Switch {
  /** The first minute (since 1970) in the new offset, and the offsets before and after. */
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** The zone's changes of offset within the spans of instants (ascending, apart), stepped and bisected. */
function switchesIn(spans: readonly (readonly [number, number])[], off: (instant: number) => number, zone: string): Switch[] {
  const found: number[] = [];
  for (const [from, to] of spans) {
    let t = from;
    let o = off(t);
    while (t < to) {
      const next = Math.min(t + STEP, to);
      const on = off(next);
      // more than one change within a step: each in turn
      let lo0 = t;
      while (o !== on) {
        let [lo, hi] = [lo0, next];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (off(mid) === o) lo = mid;
          else hi = mid;
        }
        found.push(hi);
        o = off(hi);
        lo0 = hi;
      }
      t = next;
    }
  }
  // offsets of seconds that round to one minute are no change
  return found.map((at) => ({ at, before: offsetAt(at - 1, zone), after: offsetAt(at, zone) })).filter((s) => s.before !== s.after);
}

/** Whether the zone keeps a change's new offset for a year (Volgograd, 27 December 2020): no daylight saving, which switches back within one. */
function lasting(sw: Switch, off: (instant: number) => number): boolean {
  return [91, 182, 273, 365].every((d) => off(sw.at + d * 1440) === off(sw.at));
}

/** The canonical name of an IANA zone, refusing an unknown one by the option that gave it. */
export function chartZone(zone: string | undefined, what = 'zone'): string {
  try {
    // a process TZ that ICU cannot read (TZ=Bogus/Zone, TZ=:/etc/localtime) resolves to no name, and
    // the process then keeps UTC (getTimezoneOffset 0): every data set read crashed on it
    return new Intl.DateTimeFormat('en-US', zone === undefined ? {} : { timeZone: zone }).resolvedOptions().timeZone ?? 'UTC';
  } catch {
    throw Errors.optionValue(what, zone, 'not a time zone: give an IANA name such as Europe/Berlin, America/New_York or UTC');
  }
}

const stamp = (wall: number): string => new Date(Math.round(wall) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
const hours = (minutes: number): string => `${Number((minutes / 60).toFixed(4))} h`;
/** A list cut after `shown` items: "a, b, c and 4 more". */
function listed(items: readonly string[], shown: number): string {
  const head = items.slice(0, shown);
  if (items.length > shown) return `${head.join(', ')} and ${items.length - shown} more`;
  return head.length > 1 ? `${head.slice(0, -1).join(', ')} and ${head[head.length - 1] as string}` : (head[0] ?? '');
}

/** One ID's W_CLOCK_DST, with what a summary of many IDs needs. */
export interface ClockDstNote {
  /** The 1-based row after the first change of offset the ID's records span. */
  readonly row: number;
  readonly id: number;
  readonly text: string;
  /** Pairs of consecutive records of the ID whose hours on the wall clock are not the instants'. */
  readonly pairs: number;
  readonly file?: string;
  readonly zoneWords: string;
  /** Rows of the ID at a wall time the zone's clocks skip (02:30 on Berlin's spring night). */
  readonly skipped: number;
}

/** IDs warned in full; the rest are counted in one warning (1,000 IDs over two Berlin years read 4,000 lines). */
const IDS_IN_FULL = 3;

/**
 * W_CLOCK_DST for each ID whose consecutive records, charted on the wall clock with calendar dates
 * (day numbers have no calendar to switch), lie on either side of changes of `zone`'s offset that do
 * not cancel: one warning per ID, its first such pair in full with the changes between them. A pair
 * is passed where the later record is a reset (EVID 3, 4: the hours before it are read by nothing).
 * `given` says whether the zone was given or is the process's.
 */
export function clockDstWarnings(clock: ClockMinutes, ids: readonly number[], isReset: (row: number) => boolean, zone: string, given: boolean, file?: string): ClockDstNote[] {
  // UTC and Etc/* have one offset by definition: no row is looked at
  if (clock.kind !== 'wall' || !clock.dateForms.includes(3) || zone === 'UTC' || zone.startsWith('Etc/')) return [];
  const { abs } = clock;
  const n = abs.length;
  // an ID with day numbers or dates without a year is on no calendar
  let offCalendar: Set<number> | undefined;
  if (!clock.calendar) {
    offCalendar = new Set();
    for (let k = 0; k < n; k++) if (clock.rowDates[k]?.form !== 3) offCalendar.add(ids[k] as number);
  }
  // the spans of the IDs' records (as instants, a day either side for any offset), merged
  // (an ID's rows one run after another: the map is asked once per run)
  const span = new Map<number, [number, number]>();
  let s: [number, number] | undefined;
  for (let k = 0; k < n; k++) {
    const id = ids[k] as number;
    if (k === 0 || ids[k - 1] !== id) s = offCalendar?.has(id) ? undefined : span.get(id) ?? span.set(id, [Infinity, -Infinity]).get(id);
    if (s === undefined) continue;
    const w = abs[k] as number;
    if (w < s[0]) s[0] = w;
    if (w > s[1]) s[1] = w;
  }
  const spans: [number, number][] = [];
  for (const [a, b] of [...span.values()].sort((x, y) => x[0] - y[0])) {
    const [lo, hi] = [Math.floor(a) - 1440, Math.ceil(b) + 1440];
    const last = spans[spans.length - 1];
    if (last !== undefined && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else spans.push([lo, hi]);
  }
  const off = scanOffset(zone);
  const switches = switchesIn(spans, off, zone);
  const lasts = new Map<Switch, boolean>();
  const lastingOnce = (sw: Switch): boolean => lasts.get(sw) ?? lasts.set(sw, lasting(sw, off)).get(sw) as boolean;
  if (switches.length === 0) return [];
  // a wall time's offset: the first read in the new offset is at `edge`; a skipped or repeated hour
  // reads in the old one (as Temporal's 'compatible'): segment s has offset[s]
  const edges = switches.map((sw) => sw.at + Math.max(sw.before, sw.after));
  const offset = [(switches[0] as Switch).before, ...switches.map((sw) => sw.after)];
  const segment = (w: number): number => {
    let [lo, hi] = [0, edges.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((edges[mid] as number) <= w) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // a wall time in a spring switch's gap (02:00-03:00 in Berlin): read in the old offset (segment
  // s, before switch s), but no instant of the zone's clock; its row is named, not given an instant
  const skippedBy = (w: number, seg: number): Switch | undefined => {
    const sw = switches[seg];
    return sw !== undefined && sw.after > sw.before && w >= sw.at + sw.before ? sw : undefined;
  };
  const gapsOf = new Map<number, number[]>();
  const pairsOf = new Map<number, [number, number][]>();
  const lastOf = new Map<number, number>();
  let prevSeg = 0;
  for (let k = 0; k < n; k++) {
    const id = ids[k] as number;
    const same = k > 0 && ids[k - 1] === id;
    if (!same && k > 0) lastOf.set(ids[k - 1] as number, k - 1);
    const w = abs[k] as number;
    // mostly the previous record's segment: no search
    const seg = same && (prevSeg === 0 || (edges[prevSeg - 1] as number) <= w) && (prevSeg === edges.length || w < (edges[prevSeg] as number)) ? prevSeg : segment(w);
    if (!offCalendar?.has(id) && skippedBy(w, seg) !== undefined) (gapsOf.get(id) ?? gapsOf.set(id, []).get(id) as number[]).push(k + 1);
    const j = same ? k - 1 : lastOf.get(id);
    const segBefore = same ? prevSeg : j === undefined ? seg : segment(abs[j] as number);
    prevSeg = seg;
    // changes that cancel (two switches months apart) leave the hours the instants'
    if (j === undefined || segBefore === seg || offset[segBefore] === offset[seg] || offCalendar?.has(id) || isReset(k + 1)) continue;
    const list = pairsOf.get(id) ?? pairsOf.set(id, []).get(id) as [number, number][];
    list.push([j + 1, k + 1]);
  }
  const zoneWords = `${zone}${given ? '' : " (the process's time zone, TZ)"}`;
  const at = (sw: Switch, kinds: readonly boolean[], k: number): string => `${stamp(sw.at + sw.before)} ${offsetText(sw.before)} (${stamp(sw.at + sw.after)} ${offsetText(sw.after)})${kinds.every((x) => x === kinds[0]) ? '' : kinds[k] ? ' (permanent)' : ' (daylight saving)'}`;
  const whatOf = (kinds: readonly boolean[], many: boolean): string =>
    kinds.every((x) => !x) ? `the daylight-saving switch${many ? 'es' : ''}` : kinds.every((x) => x) ? `the permanent change${many ? 's' : ''} of UTC offset` : 'the changes of UTC offset';
  // the rows at a skipped time: a typo or a device clock not put forward, which a chart read on the
  // zone's clock (--tz) refuses; read as written here (the chart does not say its zone, the process's
  // may not be the ward's), so warned, naming the row and how to write what was meant
  const skippedWords = (gaps: readonly number[]): string => {
    const w = abs[(gaps[0] as number) - 1] as number;
    const sw = skippedBy(w, segment(w)) as Switch;
    const others = gaps.slice(1, 4).map((r) => `row ${r} (${stamp(abs[r - 1] as number)})`);
    const more = gaps.length > 4 ? ` and ${gaps.length - 4} more` : '';
    return (
      `row ${gaps[0]}'s time, ${stamp(w)}, is no time on the clock of ${zone}: its clocks skip from ${stamp(sw.at + sw.before).slice(11)} to ${stamp(sw.at + sw.after).slice(11)} that night, ` +
      `so it has no instant and is read as written, on the wall clock${others.length > 0 ? `, as are ${others.join(', ')}${more}` : ''} (a typo, or a clock not put forward?): ` +
      `correct it, or give it with the UTC offset of the clock that wrote it, ${stamp(w).replace(' ', 'T')}${offsetText(sw.before)} for a clock not put forward (the instant ${stamp(w - sw.before + sw.after).replace(' ', 'T')}${offsetText(sw.after)})`
    );
  };
  const out: ClockDstNote[] = [];
  for (const [id, pairs] of pairsOf) {
    const [ra, rb] = pairs[0] as [number, number];
    const gaps = gapsOf.get(id) ?? [];
    // built when said: a chart of 1,000 IDs says three
    let text: string | undefined;
    const say = (): string => {
      const [wa, wb] = [abs[ra - 1] as number, abs[rb - 1] as number];
      const [sa, sb] = [segment(wa), segment(wb)];
      const [oa, ob] = [offset[sa] as number, offset[sb] as number];
      const between = switches.slice(sa, sb);
      const kinds = between.slice(0, 3).map(lastingOnce);
      const many = between.length > 1;
      const more = pairs.length > 1 ? `; ${pairs.length - 1} more pair${pairs.length > 2 ? 's' : ''} of its rows lie${pairs.length > 2 ? '' : 's'} across a change of offset too (rows ${pairs.slice(1, 4).map(([a, b]) => `${a} and ${b}`).join('; ')}${pairs.length > 4 ? `; and ${pairs.length - 4} more` : ''})` : '';
      // a row at a skipped time has no instant to count hours to
      const instants = gaps.includes(ra) || gaps.includes(rb) ? '' : `, where the instants are ${hours(wb - ob - (wa - oa))} apart`;
      return (
        `W_CLOCK_DST: ${file ?? 'the data set'}, ID ${id}: ${whatOf(kinds, many)} of ${zoneWords} at ${listed([...between.slice(0, 3).map((sw, k) => at(sw, kinds, k)), ...between.slice(3).map(() => '')], 3)} ${many ? 'lie' : 'lies'} between row ${ra} (${stamp(wa)}) and row ${rb} (${stamp(wb)}): ` +
        `their times, without a UTC offset, are read on the wall clock, ${hours(wb - wa)} apart${instants}${more}; ` +
        (gaps.length > 0 ? `${skippedWords(gaps)}; ` : '') +
        `to have them read as instants, give the times with their UTC offsets (ISO 8601, e.g. ${stamp(wa).replace(' ', 'T')}${offsetText(oa)})`
      );
    };
    out.push({
      row: rb,
      id,
      pairs: pairs.length,
      ...(file !== undefined ? { file } : {}),
      zoneWords,
      skipped: gaps.length,
      get text() {
        return (text ??= say());
      },
    });
  }
  // an ID whose skipped time has no record after the switch (its last row): no pair, still named
  for (const [id, gaps] of gapsOf) {
    if (pairsOf.has(id)) continue;
    const w = abs[(gaps[0] as number) - 1] as number;
    const sw = skippedBy(w, segment(w)) as Switch;
    const kinds = [lastingOnce(sw)];
    out.push({
      row: gaps[0] as number,
      id,
      pairs: 0,
      ...(file !== undefined ? { file } : {}),
      zoneWords,
      skipped: gaps.length,
      text: `W_CLOCK_DST: ${file ?? 'the data set'}, ID ${id}: ${whatOf(kinds, false)} of ${zoneWords} at ${at(sw, kinds, 0)}: ${skippedWords(gaps)}`,
    });
  }
  return out;
}

/** The W_CLOCK_DST lines of some IDs' notes: the first IDs' in full, the rest in one line. */
export function clockDstLines(notes: readonly ClockDstNote[]): string[] {
  if (notes.length <= IDS_IN_FULL + 1) return notes.map((x) => x.text);
  const rest = notes.slice(IDS_IN_FULL);
  const first = rest[0] as ClockDstNote;
  const pairs = rest.reduce((s, x) => s + x.pairs, 0);
  const skipped = rest.reduce((s, x) => s + x.skipped, 0);
  return [
    ...notes.slice(0, IDS_IN_FULL).map((x) => x.text),
    `W_CLOCK_DST: ${first.file ?? 'the data set'}: ${rest.length} more IDs (${listed(rest.map((x) => String(x.id)), 3)}) have records on either side of a change of UTC offset of ${first.zoneWords}, ${pairs} pairs of rows in all, ` +
      `their hours on the wall clock not the instants'${skipped > 0 ? `, and ${skipped} row${skipped > 1 ? 's' : ''} at a time its clocks skip, read as written (no time on that clock: a typo or a clock not put forward?)` : ''}; to have them read as instants, give the times with their UTC offsets (ISO 8601)`,
  ];
}

/** A change of offset between two wall-clock times, as wallSpanSwitch says it. */
export interface WallSpanSwitch {
  /** "the daylight-saving switch of Europe/Berlin at 2026-03-29 02:00 +01:00 (2026-03-29 03:00 +02:00)". */
  readonly what: string;
  /** Hours between the two times on the wall clock, and as the instants the zone's clock gives them. */
  readonly wallHours: number;
  readonly realHours: number;
}

/**
 * The changes of `zone`'s offset between two times of a wall-clock chart (clockMinutes' minutes,
 * a < b) that do not cancel, or undefined. The times a chart's records span are clockDstWarnings';
 * this judges the times a command adds after them (a start of advice, a future regimen's doses),
 * where a switch moved the advised hours 1 h without a word.
 */
export function wallSpanSwitch(zone: string, given: boolean, a: number, b: number): WallSpanSwitch | undefined {
  if (!(b > a) || zone === 'UTC' || zone.startsWith('Etc/')) return undefined;
  // a wall time's offset: a repeated hour reads in the old one (the earlier instant), a skipped one too
  const offsetOf = (w: number): number => {
    const t = wallInstants(w, zone)[0];
    return t === undefined ? offsetAt(w - 2880, zone) : w - t;
  };
  const [oa, ob] = [offsetOf(a), offsetOf(b)];
  if (oa === ob) return undefined;
  const off = scanOffset(zone);
  const between = switchesIn([[a - oa, b - ob]], off, zone);
  if (between.length === 0) return undefined;
  const kinds = between.slice(0, 3).map((sw) => lasting(sw, off));
  const at = (sw: Switch, k: number): string => `${stamp(sw.at + sw.before)} ${offsetText(sw.before)} (${stamp(sw.at + sw.after)} ${offsetText(sw.after)})${kinds.every((x) => x === kinds[0]) ? '' : kinds[k] ? ' (permanent)' : ' (daylight saving)'}`;
  const many = between.length > 1;
  const what = kinds.every((x) => !x) ? `the daylight-saving switch${many ? 'es' : ''}` : kinds.every((x) => x) ? `the permanent change${many ? 's' : ''} of UTC offset` : 'the changes of UTC offset';
  const zoneWords = `${zone}${given ? '' : " (the process's time zone, TZ)"}`;
  return { what: `${what} of ${zoneWords} at ${listed([...between.slice(0, 3).map(at), ...between.slice(3).map(() => '')], 3)}`, wallHours: (b - a) / 60, realHours: (b - ob - (a - oa)) / 60 };
}
