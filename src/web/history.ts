// The what-if tool's history as a chart gives it, pure (no DOM), so the Node tests check exactly what
// the page does: time cells in hours or as a date and clock time (read by src/regimen/clock.ts, and
// turned into hours since the first record), rows pasted from a spreadsheet or opened from a CSV
// (a simple time,dose,duration,level,blq layout, or an NM-TRAN data set of one patient read by
// src/regimen/nmtran.ts), and the case saved to and reopened from a JSON file.

import { Errors } from '../errors.js';
import { clockMinutes, isClockCell, offsetText } from '../regimen/clock.js';
import { isMissingCell, isNumberCell, readNmtran, splitCsvLine } from '../regimen/nmtran.js';
import { separatorLine } from '../regimen/comment-lines.js';
import { separatorProblem } from '../regimen/csv-dialect.js';
import { numberTextProblem } from './number-text.js';
import { heldTime, infusionCheck, infusionPastNextText, longInfusionText, type DoseSeries } from './case.js';
import { givenAddl } from '../regimen/record.js';
import { duplicateJsonKey } from '../json-duplicate-keys.js';

/** One row of the "Doses given" table as entered (time in hours or a date and clock time). */
export interface DoseRow {
  readonly time: string;
  readonly amount: string;
  readonly infusion: string;
}

/** One row of the levels table as entered; a BLQ row's concentration is the assay's limit (LLOQ). */
export interface LevelRow {
  readonly time: string;
  readonly conc: string;
  readonly blq: boolean;
  /** For a model with several outputs: the DVID of the quantity measured (empty or absent: the model's observed output). */
  readonly dvid?: string;
}

/** What a time cell holds: hours since the first record, or a date and clock time (minutes since 1970 on the ward's clock, or an instant when it has an offset). */
export type TimeCell = { readonly kind: 'hours'; readonly hours: number } | { readonly kind: 'clock'; readonly minutes: number; readonly zone: boolean; readonly offset: number } | { readonly kind: 'bad'; readonly why: string };

const TIME_HELP = 'hours since the first record (12.5) or a date and clock time (2026-03-04 08:30)';

/** Reads one time cell: a number of hours, or a date-time `2026-03-04 08:30` / ISO `2026-03-04T08:30` (optionally with seconds and an offset). */
export function readTimeCell(text: string): TimeCell {
  const s = text.trim();
  if (s === '') return { kind: 'bad', why: `enter a time: ${TIME_HELP}` };
  if (isNumberCell(s)) {
    const hours = Number(s);
    return Number.isFinite(hours) ? { kind: 'hours', hours } : { kind: 'bad', why: 'the number is too large' };
  }
  // a decimal comma (48,5): said so, as in a number field
  const comma = numberTextProblem(s);
  if (comma?.comma) return { kind: 'bad', why: comma.message };
  if (isClockCell(s) && !/^\d{4}-/.test(s)) return { kind: 'bad', why: `a clock time needs its date (2026-03-04 ${s})` };
  if (!isClockCell(s)) return { kind: 'bad', why: `not a time: ${TIME_HELP}` };
  try {
    const c = clockMinutes(['TIME'], [[s]]);
    if (!c) return { kind: 'bad', why: `not a time: ${TIME_HELP}` };
    return { kind: 'clock', minutes: c.abs[0] as number, zone: c.kind === 'instant', offset: c.offsets[0] ?? 0 };
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    // the message of clock.ts names a data row; here only the reason matters
    return { kind: 'bad', why: m.replace(/^[^:]*column TIME: /, '').replace(/ \(got .*\)$/, '') };
  }
}

/**
 * Hours of a list of time cells (doses and levels together): numbers as they are, or — when the
 * cells are dates and clock times — hours since the earliest of them (the first record), as NM-TRAN
 * computes TIME from clock times. Every cell must be of one kind; the first one that cannot be used
 * is returned with why.
 */
export function resolveTimes(cells: readonly string[]): { readonly hours: number[]; readonly clock: boolean; readonly origin?: number; readonly zone?: boolean; readonly offset?: number } | { readonly index: number; readonly message: string } {
  const read = cells.map(readTimeCell);
  const bad = read.findIndex((c) => c.kind === 'bad');
  if (bad >= 0) return { index: bad, message: (read[bad] as { why: string }).why };
  const first = read[0];
  if (!first) return { hours: [], clock: false };
  const mixed = read.findIndex((c) => c.kind !== first.kind || (c.kind === 'clock' && first.kind === 'clock' && c.zone !== first.zone));
  if (mixed >= 0) {
    const why = read[mixed]?.kind !== first.kind ? 'hours and clock times mixed: write every time one way' : 'times with and without a time-zone offset mixed: write every time one way';
    return { index: mixed, message: why };
  }
  if (first.kind === 'hours') return { hours: read.map((c) => (c as { hours: number }).hours), clock: false };
  const minutes = read.map((c) => (c as { minutes: number }).minutes);
  const origin = Math.min(...minutes);
  const zone = (first as { zone: boolean }).zone;
  const offset = zone ? lastOffset(minutes, read.map((c) => (c as { offset: number }).offset)) : undefined;
  return { hours: minutes.map((m) => (m - origin) / 60), clock: true, origin, zone, ...(offset === undefined ? {} : { offset }) };
}

/** The offset of the latest of times `minutes` (each with its offset): a chart's times are shown in it, as the command line shows them. */
function lastOffset(minutes: readonly number[], offsets: readonly number[]): number | undefined {
  let last = -1;
  minutes.forEach((m, i) => {
    if (last < 0 || m >= (minutes[last] as number)) last = i;
  });
  return offsets[last];
}

/**
 * `2026-03-06T08:00` (seconds when there are any) of a time in hours since the first record; when
 * the history's times carry offsets, in the offset of its last record (`2026-03-06T11:00+01:00`),
 * or UTC (`Z`) without one: a chart written at +01:00 was shown, and advised, in UTC.
 */
export function clockOf(hours: number, clock: { readonly origin: number; readonly zone: boolean; readonly offset?: number }): string {
  const offset = clock.zone ? (clock.offset ?? 0) : 0;
  const iso = new Date(Math.round((clock.origin + hours * 60 + offset) * 60_000)).toISOString();
  const sec = iso.slice(17, 19) === '00' ? '' : iso.slice(16, 19);
  return `${iso.slice(0, 16)}${sec}${clock.zone ? (offset === 0 ? 'Z' : offsetText(offset)) : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Pasted rows and CSV files

/** What a paste or a file gives: dose rows and level rows (times as written; an NM-TRAN set's in hours). */
export interface PastedHistory {
  readonly doses: DoseRow[];
  readonly levels: LevelRow[];
  /** 'simple' (time,dose,duration,level,blq) or 'nmtran'. */
  readonly layout: 'simple' | 'nmtran';
  /** An NM-TRAN set's values of the model's covariates (columns named as the model names them, one value over the records). */
  readonly covariates?: Readonly<Record<string, number>>;
  /** The model's covariates an NM-TRAN set has a column of with every cell blank (`.`): in the file, but without a value. */
  readonly blankCovariates?: readonly string[];
  /** Warnings for the status line (W_LONG_INFUSION: an infusion of 24 h or longer, naming its rows). */
  readonly warnings?: readonly string[];
  /** An NM-TRAN set of clock times: how its times are written in the tables (on its clock, or in hours when its dates are not calendar dates), for the status line. */
  readonly clock?: string;
}

/**
 * What a pasted NM-TRAN set is read against: the open model's covariate names, its observed
 * compartment and its outputs (DVID and compartment). The tool gives every dose into the model's
 * dose compartment (CMT 1) and holds one value per covariate, so a set that says otherwise is refused.
 */
export interface PasteModel {
  readonly covariates: readonly string[];
  readonly observeCompartment: number;
  readonly outputs: readonly { readonly dvid: number; readonly compartment: number }[];
  /** F of the dose compartment may differ from 1 (ModelInfo.doseF). */
  readonly doseF?: boolean;
}

/** Column names of the simple layout and the names they may also go by. */
const SIMPLE_COLUMNS: Readonly<Record<string, 'time' | 'dose' | 'duration' | 'level' | 'blq' | 'dvid'>> = {
  time: 'time',
  dose: 'dose',
  amount: 'dose',
  amt: 'dose',
  duration: 'duration',
  dur: 'duration',
  infusion: 'duration',
  level: 'level',
  conc: 'level',
  concentration: 'level',
  dv: 'level',
  blq: 'blq',
  dvid: 'dvid',
  output: 'dvid',
};

const fail = (row: number, column: string, value: string, why: string, file?: string): never => {
  throw Errors.csvValue(row, column, value, why, file);
};

const num = (v: number): string => String(heldTime(v));

/**
 * Reads rows pasted from a spreadsheet (tab-separated) or a CSV file (comma-separated): either the
 * simple layout, a header of any of `time,dose,duration,level,blq` (a row with a dose is a dose
 * given, a row with a level a measured level, a row may hold both (the level drawn before the dose); `blq` 1/yes/true marks the level
 * as below the limit, the level then being that limit; an optional `dvid` names the output a level
 * measures, for a model with several outputs), or an NM-TRAN data set of one ID (ID, TIME,
 * EVID, AMT, RATE or DUR, DV, MDV, BLQ, LLOQ, DVID, ADDL/II expanded). Errors name the row (the first data
 * row is 1) and the column.
 */
export function parsePastedRows(text: string, file?: string, model?: PasteModel): PastedHistory {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '' && !/^[\s,]*$/.test(l));
  // Excel's CSV may open with a `sep=,` line naming its separator: not a header (it was refused as
  // "unknown column (got "sep=")")
  const sep = separatorLine(lines[0] ?? '');
  if (sep) {
    if (sep[1] !== ',' && sep[1] !== '\t' && sep[1] !== undefined) return fail(0, '*', lines[0] as string, `the file says its columns are separated by ${JSON.stringify(sep[1])} (its sep= line): separate the columns by commas or tabs (as a spreadsheet's copy does)`, file);
    lines.shift();
  }
  if (lines.length === 0) return fail(0, '*', '', 'nothing to read: paste a header row and data rows', file);
  const header = lines[0] as string;
  const tab = header.includes('\t');
  const split = (line: string): string[] => (tab ? line.split('\t').map((c) => c.trim()) : splitCsvLine(line));
  const all = split(header.replace(/^#/, ''));
  const dialect = separatorProblem(header, all);
  if (dialect) return fail(0, '*', header, `${dialect}: separate the columns by commas or tabs (as a spreadsheet's copy does)`, file);
  const upper = all.map((n) => n.toUpperCase());
  if (upper.includes('ID') && upper.includes('TIME')) return readNmtranHistory(tab ? lines.map((l) => split(l).join(',')).join('\n') : lines.join('\n'), file, model);
  // a spreadsheet's copy may end its lines with tabs: empty cells there are no columns (a header
  // with a trailing tab was refused as "unknown column (got "")"); only tabs, where no decimal comma
  // splits a number into an extra cell
  const names = tab ? withoutEmptyEnd(all) : all;
  const cols = names.map((n, i) => {
    if (n === '') return fail(0, '*', header, `column ${i + 1} has no name: name it (time, dose, duration, level, blq or dvid) or delete it`, file);
    const c = SIMPLE_COLUMNS[n.toLowerCase()];
    if (!c) return fail(0, n, n, 'unknown column: the header takes time, dose, duration, level, blq and dvid (or an NM-TRAN header with ID and TIME)', file);
    return c;
  });
  // two names of one column (dose and amt): one would be read and the other dropped without a word
  cols.forEach((c, i) => {
    const first = cols.indexOf(c);
    if (first !== i) fail(0, names[i] as string, names[i] as string, `${names[first]} and ${names[i]} are the same column (${c}): keep one`, file);
  });
  if (!cols.includes('time')) return fail(0, 'time', header, 'no time column: the header takes time, dose, duration, level and blq', file);
  if (!cols.includes('dose') && !cols.includes('level')) return fail(0, '*', header, 'neither a dose nor a level column', file);
  const doses: DoseRow[] = [];
  const levels: LevelRow[] = [];
  const sources: DoseSource[] = [];
  lines.slice(1).forEach((line, k) => {
    const row = k + 1;
    const cells = tab && split(line).length > names.length ? withoutEmptyEnd(split(line), names.length) : split(line);
    if (cells.length > names.length) fail(row, '*', line, `${cells.length} fields, the header has ${names.length}`, file);
    // a row short of the header is a mistake too (a decimal comma in a number, a cell left out): read
    // cell by cell it gave `0,1,000` under time,dose,duration,level as a 1 mg bolus; readNmtran
    // refuses it likewise. An empty cell written as a separator counts (`0,1000,,`).
    if (cells.length < names.length) fail(row, '*', line, `expected ${names.length} fields like the header, found ${cells.length}`, file);
    const cell = (c: string): { name: string; value: string } => {
      const i = cols.indexOf(c as (typeof cols)[number]);
      return { name: names[i] ?? c, value: i < 0 ? '' : (cells[i] ?? '').trim() };
    };
    const time = cell('time');
    const t = readTimeCell(time.value);
    if (t.kind === 'bad') fail(row, time.name, time.value, t.why, file);
    if (t.kind === 'hours' && t.hours < 0) fail(row, time.name, time.value, 'the time must be ≥ 0', file);
    const number = (c: { name: string; value: string }, positive: boolean): number => {
      if (!isNumberCell(c.value)) return fail(row, c.name, c.value, 'not a number', file);
      const v = Number(c.value);
      if (positive ? !(v > 0) : !(v >= 0)) fail(row, c.name, c.value, positive ? 'must be > 0' : 'must be ≥ 0', file);
      return v;
    };
    const dose = cell('dose');
    const dur = cell('duration');
    const level = cell('level');
    const blq = cell('blq');
    const dvid = cell('dvid');
    const given = !isMissingCell(dose.value);
    const measured = !isMissingCell(level.value);
    if (!given && !measured) fail(row, '*', line, 'neither a dose nor a level', file);
    if (given) {
      number(dose, true);
      if (!isMissingCell(dur.value)) number(dur, false);
      doses.push({ time: time.value, amount: dose.value, infusion: isMissingCell(dur.value) ? '0' : dur.value });
      sources.push({ row, column: dur.name, value: dur.value });
    } else if (!isMissingCell(dur.value)) fail(row, dur.name, dur.value, 'a duration without a dose', file);
    const flag = blq.value.toLowerCase();
    if (!['', '.', '0', '1', 'yes', 'no', 'true', 'false', 'y', 'n'].includes(flag)) fail(row, blq.name, blq.value, 'BLQ is 1 or 0 (yes/no)', file);
    const isBlq = ['1', 'yes', 'true', 'y'].includes(flag);
    if (measured) {
      number(level, true);
      if (!isMissingCell(dvid.value) && !/^[1-9]\d*$/.test(dvid.value)) fail(row, dvid.name, dvid.value, 'DVID is a whole number ≥ 1 (a key of the model\'s outputs)', file);
      levels.push({ time: time.value, conc: level.value, blq: isBlq, ...(isMissingCell(dvid.value) ? {} : { dvid: dvid.value }) });
    } else if (isBlq) fail(row, blq.name, blq.value, 'a BLQ row needs its limit (LLOQ) in the level column', file);
  });
  // hours and clock times mixed cannot be compared here: the tables refuse them when estimating
  const hours = resolveTimes([...doses.map((d) => d.time), ...levels.map((l) => l.time)]);
  const warnings = 'hours' in hours ? infusionWarnings(doses, hours.hours, sources, file) : [];
  return { doses, levels, layout: 'simple', ...(warnings.length > 0 ? { warnings } : {}) };
}

/** Where a pasted dose came from: its row, the cell of its duration, and whether it is an ADDL copy of that row. */
interface DoseSource {
  readonly row: number;
  readonly column: string;
  readonly value: string;
  readonly copy?: boolean;
}

/**
 * Refuses a pasted infusion that runs past the next dose's start, naming both rows (minutes taken
 * for hours: a 60-h infusion under the next dose 12.5 h later), and returns the warning of those of
 * 24 h or longer that do not (a continuous infusion on purpose is taken). `hours` are the doses'
 * times, `from` their sources, both in the order of `doses`.
 */
function infusionWarnings(doses: readonly DoseRow[], hours: readonly number[], from: readonly DoseSource[], file?: string): string[] {
  const check = infusionCheck(doses.map((d, i) => ({ time: hours[i] as number, infusion: Number(d.infusion) })));
  const o = check.overlap;
  if (o) {
    const [s, n] = [from[o.index], from[o.next]] as [DoseSource, DoseSource];
    fail(s.row, s.column, s.value, infusionPastNextText(Number(doses[o.index]?.infusion), (hours[o.next] as number) - (hours[o.index] as number), n.copy ? `an ADDL copy of row ${n.row}` : `row ${n.row}`, Number(doses[o.next]?.infusion)), file);
  }
  const rows = [...new Set(check.long.map((i) => (from[i] as DoseSource).row))].sort((a, b) => a - b);
  return rows.length > 0 ? [longInfusionText(`${rows.length > 1 ? 'rows' : 'row'} ${rows.join(', ')}`)] : [];
}

/** Cells without the empty ones at the end, keeping at least `keep`. */
function withoutEmptyEnd(cells: readonly string[], keep = 0): string[] {
  let n = cells.length;
  while (n > keep && cells[n - 1] === '') n--;
  return cells.slice(0, n);
}

function readNmtranHistory(text: string, file?: string, model?: PasteModel): PastedHistory {
  const data = readNmtran(text, { file });
  const ids = new Set(data.records.map((r) => r.ID));
  if (ids.size > 1) return fail(0, 'ID', [...ids].join(' '), `${ids.size} patients (IDs): the tool takes one, keep the rows of one ID`, file);
  const given: { dose: DoseRow; from: DoseSource }[] = [];
  const levels: LevelRow[] = [];
  // the row of the dose given at each time so far: a level after it at that time was drawn after it.
  // Keyed by the time as the tool will hold it (num(): 15 significant digits), since that decides
  // what historyRecords puts at one time: an ADDL copy's time summed in binary (1.13 + 12 =
  // 13.129999999999999, 08:01 + 12 h = 13.016666666666666 h against 13.016666666666667) missed the
  // level's exact key, yet both were written 13.13, and the level was taken as drawn before the copy.
  const doseRowAt = new Map<string, number>();
  data.records.forEach((r, i) => {
    const it = (name: string): number => {
      for (const [k, v] of Object.entries(r.items)) if (k.toUpperCase() === name) return v;
      return NaN;
    };
    // the tool's history is a list of doses given: it has no reset that would wipe the ones before
    if (r.EVID === 3 || r.EVID === 4) fail(r.row, 'EVID', String(r.EVID), 'a reset (EVID 3 or 4) is not taken: keep the rows from the reset on, with EVID 1 for its dose', file);
    if (r.EVID === 1) {
      if (r.SS !== 0) fail(r.row, 'SS', String(r.SS), 'steady-state doses are not taken: enter the doses given', file);
      if (r.RATE < 0) fail(r.row, 'RATE', String(r.RATE), 'a rate or duration from the model is not taken: give RATE or DUR', file);
      // every dose of the tool goes into the model's dose compartment (CMT 1)
      if (r.CMT > 1) fail(r.row, 'CMT', String(r.CMT), 'the tool gives every dose into compartment 1 (the model\'s dose compartment): a dose into another compartment is not taken; dosewise estimate reads it', file);
      // NONMEM infuses F·AMT at a RATE, for F·AMT/RATE h; the tool keeps a dose's duration (F·AMT
      // over it), so AMT/RATE read as the duration ran every such dose F times as long or short
      if (r.RATE > 0 && model?.doseF) fail(r.row, 'RATE', String(r.RATE), 'the model has a bioavailability F on the dose compartment, with which NONMEM infuses F·AMT at this rate (over F·AMT/RATE h), while the tool keeps a dose\'s duration: give DUR, the hours the dose ran', file);
      const dur = it('DUR');
      const infusion = r.RATE > 0 ? r.AMT / r.RATE : Number.isFinite(dur) && dur > 0 ? dur : 0;
      if (r.ADDL > 0 && !(r.II > 0)) fail(r.row, 'II', String(r.II), 'ADDL needs an interval II > 0', file);
      // the copies given: a later reset (EVID 3/4) cancels the rest, as in the engine
      const n = givenAddl(data.records, i);
      const column = r.RATE > 0 ? 'RATE' : 'DUR';
      const value = num(r.RATE > 0 ? r.RATE : dur);
      for (let k = 0; k <= n; k++) given.push({ dose: { time: num(r.TIME + k * r.II), amount: num(r.AMT), infusion: num(infusion) }, from: { row: r.row, column, value, ...(k > 0 ? { copy: true } : {}) } });
      if (!doseRowAt.has(num(r.TIME))) doseRowAt.set(num(r.TIME), r.row);
      // a level at the time of an ADDL copy follows that dose in a data set too (the engine gives the
      // implied dose first): the tool would take it as drawn before, a different estimate
      for (let k = 1; k <= n; k++) if (!doseRowAt.has(num(r.TIME + k * r.II))) doseRowAt.set(num(r.TIME + k * r.II), r.row);
    } else if (r.EVID === 0 && r.MDV !== 1) {
      // the tool places a level at a dose's time before that dose (a trough drawn before it); in a
      // data set the order of the rows says which, so a level listed after its dose is refused
      const before = doseRowAt.get(num(r.TIME));
      if (before !== undefined) fail(r.row, 'TIME', num(r.TIME), `a level at the time of a dose of row ${before} (listed after it, or one of its ADDL copies): in a data set it is drawn after that dose, and the tool takes a level at a dose's time as drawn before it; write the time it was drawn, or use dosewise estimate`, file);
      const blq = it('BLQ') === 1;
      const lloq = it('LLOQ');
      const conc = blq && Number.isFinite(lloq) ? lloq : r.DV;
      if (!(conc > 0)) fail(r.row, blq ? 'LLOQ' : 'DV', String(conc), blq ? 'a BLQ record needs its limit (LLOQ or DV) > 0' : 'a level must be > 0', file);
      const dvid = levelDvid(r.row, r.CMT, it('DVID'), model, file);
      levels.push({ time: num(r.TIME), conc: num(conc), blq, ...(dvid === undefined ? {} : { dvid: num(dvid) }) });
    }
  });
  given.sort((a, b) => Number(a.dose.time) - Number(b.dose.time));
  const doses = given.map((g) => g.dose);
  // the reading's (a dose row copied, a record skipped as a comment) with the tool's own
  const warnings = [...(data.warnings ?? []), ...infusionWarnings(doses, doses.map((d) => Number(d.time)), given.map((g) => g.from), file)];
  const covariates = model ? covariateValues(data, model, file) : {};
  const blankCovariates = (model?.covariates ?? []).filter((c) => data.columns.includes(c) && !(c in covariates));
  const clock = fileClock(data, file);
  const on = (t: string): string => (clock?.origin === undefined ? t : clockOf(Number(t), { origin: clock.origin, zone: clock.zone, offset: clock.offset }));
  return {
    doses: doses.map((d) => ({ ...d, time: on(d.time) })),
    levels: levels.map((l) => ({ ...l, time: on(l.time) })),
    layout: 'nmtran',
    ...(Object.keys(covariates).length > 0 ? { covariates } : {}),
    ...(blankCovariates.length > 0 ? { blankCovariates } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(clock ? { clock: clock.note } : {}),
  };
}

/**
 * The clock of a set of clock times: the tables keep it (times written as dates and clock times
 * from the first record's), so the advice's "From 2026-03-06 08:00" and the hours shown beside each
 * time work as for a typed history; they held hours, and a clock time given then was refused. Dates
 * that are not on the calendar (day numbers, no year, none) give hours since the first record only,
 * which the note says. Undefined for a set in hours.
 */
function fileClock(data: ReturnType<typeof readNmtran>, file?: string): { readonly origin?: number; readonly zone: boolean; readonly offset?: number; readonly note: string } | undefined {
  const c = clockMinutes(data.columns, data.cells, file);
  if (!c) return undefined;
  const zone = c.kind === 'instant';
  if (!c.calendar) return { zone, note: 'its clock times without calendar dates written as hours since the first record' };
  const origin = c.abs[0] as number;
  const offset = zone ? lastOffset(c.abs, c.offsets) : undefined;
  return { origin, zone, offset, note: `times on its clock from ${clockOf(0, { origin, zone, offset }).replace('T', ' ')}` };
}

/**
 * The DVID of a pasted level: its DVID item, or — for a level whose CMT is not the observed
 * compartment — the output of that compartment. A CMT that no output of the model measures, or one
 * that disagrees with the DVID, is refused (the tool predicts a level from its output only).
 */
function levelDvid(row: number, cmt: number, dvid: number, model: PasteModel | undefined, file?: string): number | undefined {
  if (!model || cmt === 0) return Number.isFinite(dvid) ? dvid : undefined;
  if (Number.isFinite(dvid)) {
    const o = model.outputs.find((x) => x.dvid === dvid);
    if (o && o.compartment !== cmt) fail(row, 'CMT', num(cmt), `DVID ${num(dvid)} is the model's output of compartment ${o.compartment}, not ${num(cmt)}`, file);
    return dvid;
  }
  if (cmt === model.observeCompartment) return undefined;
  const o = model.outputs.find((x) => x.compartment === cmt);
  if (!o) fail(row, 'CMT', num(cmt), `a level of compartment ${num(cmt)}: the model measures compartment ${model.observeCompartment}${model.outputs.length > 0 ? ` (outputs: ${model.outputs.map((x) => `DVID ${x.dvid}, compartment ${x.compartment}`).join('; ')})` : ''}`, file);
  return o?.dvid;
}

/**
 * The model's covariates an NM-TRAN set gives: a column named as the model names it (names are
 * case-sensitive, as for the command line: `wt` for WT is refused) holding one value over the
 * records (blank cells aside). The tool has one value per covariate, so a value that changes over
 * the stay is refused, naming the two rows: fitting the earlier levels with the later value would
 * give a wrong estimate, and `dosewise estimate` reads covariates that change.
 */
function covariateValues(data: { readonly columns: readonly string[]; readonly records: readonly { readonly row: number; readonly items: Readonly<Record<string, number>> }[] }, model: PasteModel, file?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of model.covariates) {
    if (!data.columns.includes(name)) {
      const other = data.columns.find((c) => c.toUpperCase() === name.toUpperCase());
      if (other !== undefined) fail(0, other, other, `the model reads ${name}, and names are case-sensitive: rename the column ${name}`, file);
      continue;
    }
    let first: { row: number; value: number } | undefined;
    for (const r of data.records) {
      const v = r.items[name] as number;
      if (!Number.isFinite(v)) continue;
      if (!first) first = { row: r.row, value: v };
      else if (v !== first.value)
        fail(r.row, name, num(v), `${name} changes over the records (row ${first.row}: ${num(first.value)}): the tool holds one value per covariate; use dosewise estimate, which reads covariates that change, or keep the rows of one value`, file);
    }
    if (first) out[name] = first.value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Saving and reopening a case

/** The case as the page holds it: model, covariates, the quick-entry series, the doses given (empty: the series is the history) and the levels. */
export interface CaseForm {
  readonly model: string;
  readonly covariates: Readonly<Record<string, number>>;
  readonly series: DoseSeries;
  readonly doses: readonly DoseRow[];
  readonly levels: readonly LevelRow[];
}

/** The JSON of a saved case (times as entered: a number of hours, or a date and clock time). */
interface CaseJson {
  dosewise: 'case';
  version: 1;
  model: string;
  covariates: Record<string, number>;
  series: DoseSeries;
  doses: { time: number | string; amount: number; infusion: number }[];
  levels: { time: number | string; conc: number; blq?: true; dvid?: number }[];
}

const SERIES_KEYS = ['amount', 'infusion', 'interval', 'count', 'start'] as const;

function timeValue(s: string, where: string): number | string {
  const t = readTimeCell(s);
  if (t.kind === 'bad') throw new Error(`${where}: ${t.why}`);
  // what caseFromJson refuses is not saved: a file that cannot be reopened would lose the case
  if (t.kind === 'hours' && t.hours < 0) throw new Error(`${where}: the time must be ≥ 0 (got ${JSON.stringify(s)})`);
  return t.kind === 'hours' ? t.hours : s.trim();
}

function numberValue(s: string, where: string, positive: boolean): number {
  const v = s.trim() === '' ? NaN : Number(s);
  if (positive ? !(v > 0 && Number.isFinite(v)) : !(v >= 0 && Number.isFinite(v))) throw new Error(`${where}: ${positive ? 'must be a number > 0' : 'must be a number ≥ 0'} (got ${JSON.stringify(s)})`);
  return v;
}

function dvidValue(s: string, where: string): number {
  const v = Number(s);
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${where}: DVID must be a whole number ≥ 1 (got ${JSON.stringify(s)})`);
  return v;
}

/** The case as a JSON file's text; refuses (naming the row) a cell that could not be reopened. */
export function caseToJson(c: CaseForm): string {
  for (const [k, v] of Object.entries(c.covariates)) if (!Number.isFinite(v)) throw new Error(`covariate ${k}: enter a number`);
  const json: CaseJson = {
    dosewise: 'case',
    version: 1,
    model: c.model,
    covariates: { ...c.covariates },
    // the quick entry as it stands (a half-filled series is kept as null fields only when unused)
    series: Object.fromEntries(SERIES_KEYS.map((k) => [k, c.series[k]])) as unknown as DoseSeries,
    doses: c.doses.map((d, i) => ({ time: timeValue(d.time, `Dose ${i + 1}, time`), amount: numberValue(d.amount, `Dose ${i + 1}, dose`, true), infusion: numberValue(d.infusion === '' ? '0' : d.infusion, `Dose ${i + 1}, infusion`, false) })),
    levels: c.levels.map((l, i) => ({ time: timeValue(l.time, `Level ${i + 1}, time`), conc: numberValue(l.conc, `Level ${i + 1}, concentration`, true), ...(l.blq ? { blq: true as const } : {}), ...(l.dvid ? { dvid: dvidValue(l.dvid, `Level ${i + 1}, output`) } : {}) })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A saved case read back, checked field by field (errors name the field, e.g. `doses[2].amount`). */
export function caseFromJson(text: string): CaseForm {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`not a case file (not JSON: ${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const dup = duplicateJsonKey(text);
  if (dup) throw new Error(`not a case file: key ${JSON.stringify(dup.key)} is given twice in ${dup.path === '' ? 'the top-level object' : dup.path} (JSON keeps only the last); keep one`);
  if (!isObject(j) || j.dosewise !== 'case') throw new Error('not a case file (no "dosewise": "case")');
  if (j.version !== 1) throw new Error(`case file version ${JSON.stringify(j.version)}: this page reads version 1`);
  if (typeof j.model !== 'string' || j.model === '') throw new Error('model: must be the key of a model');
  if (!isObject(j.covariates)) throw new Error('covariates: must be an object of numbers');
  const covariates: Record<string, number> = {};
  for (const [k, v] of Object.entries(j.covariates)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`covariates.${k}: must be a number`);
    covariates[k] = v;
  }
  if (!isObject(j.series)) throw new Error('series: must be an object (amount, infusion, interval, count, start)');
  const s = j.series;
  const series = Object.fromEntries(
    SERIES_KEYS.map((k) => {
      const v = s[k];
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) throw new Error(`series.${k}: must be a number`);
      return [k, v === null ? NaN : v];
    }),
  ) as unknown as DoseSeries;
  const list = (name: string): Record<string, unknown>[] => {
    const v = j[name];
    if (!Array.isArray(v)) throw new Error(`${name}: must be a list`);
    return v.map((x, i) => {
      if (!isObject(x)) throw new Error(`${name}[${i}]: must be an object`);
      return x;
    });
  };
  const time = (v: unknown, where: string): string => {
    if (typeof v !== 'number' && typeof v !== 'string') throw new Error(`${where}: must be hours or a date and clock time`);
    const t = readTimeCell(String(v));
    if (t.kind === 'bad') throw new Error(`${where}: ${t.why}`);
    if (t.kind === 'hours' && t.hours < 0) throw new Error(`${where}: must be ≥ 0`);
    return String(v);
  };
  const number = (v: unknown, where: string, positive: boolean): string => {
    if (typeof v !== 'number' || (positive ? !(v > 0) : !(v >= 0)) || !Number.isFinite(v)) throw new Error(`${where}: must be a number ${positive ? '> 0' : '≥ 0'}`);
    return String(v);
  };
  const doses = list('doses').map((d, i) => ({ time: time(d.time, `doses[${i}].time`), amount: number(d.amount, `doses[${i}].amount`, true), infusion: number(d.infusion ?? 0, `doses[${i}].infusion`, false) }));
  const levels = list('levels').map((l, i) => {
    if (l.blq !== undefined && typeof l.blq !== 'boolean') throw new Error(`levels[${i}].blq: must be true or false`);
    if (l.dvid !== undefined && !(typeof l.dvid === 'number' && Number.isInteger(l.dvid) && l.dvid >= 1)) throw new Error(`levels[${i}].dvid: must be a whole number ≥ 1`);
    return { time: time(l.time, `levels[${i}].time`), conc: number(l.conc, `levels[${i}].conc`, true), blq: l.blq === true, ...(l.dvid !== undefined ? { dvid: String(l.dvid) } : {}) };
  });
  return { model: j.model, covariates, series, doses, levels };
}

/**
 * Why a reopened case's covariates do not fit the model it names, or undefined: a covariate the
 * model does not read, or one it reads that the file lacks (a field would keep its start value, and
 * the estimate would run on a value nobody entered).
 */
export function caseCovariatesProblem(covariates: Readonly<Record<string, number>>, model: { readonly name: string; readonly covariates: readonly { readonly name: string }[] }): string | undefined {
  const names = model.covariates.map((c) => c.name);
  const unknown = Object.keys(covariates).find((k) => !names.includes(k));
  if (unknown !== undefined) return `covariates.${unknown}: model ${model.name} has no covariate ${unknown} (it reads ${names.length > 0 ? names.join(', ') : 'none'})`;
  const absent = names.filter((k) => !(k in covariates));
  if (absent.length > 0) return `covariates: ${absent.join(', ')} missing (model ${model.name} reads ${names.join(', ')})`;
  return undefined;
}
