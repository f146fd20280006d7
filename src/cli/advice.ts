// dosewise optimize --from: advice from the patient's current state (src/design/optimize/advice.ts):
// the next dose (time, amount, infusion duration) and the maintenance regimen after it, on top of
// the history, within the ward's constraints. Times are read and shown on the data set's clock
// when it has one (clock times or timestamps), else in hours since each ID's first record.

import { MODEL_APPROXIMATION_CODE } from '../model/approximation.js';
import { OMEGA_IMPLAUSIBLE_CODE } from '../model/variance-plausible.js';
import type { Command } from 'commander';
import { DosewiseError, Errors } from '../errors.js';
import { byId, readWarnings, type DataSet } from '../regimen/nmtran.js';
import { givenAddl, isDose, type DataRecord } from '../regimen/record.js';
import { doseTimes, intervalStartTimes, outlasting, typicalDuration, type ModelledDuration } from '../population/metrics.js';
import { SAME_GAP_HOURS } from '../population/chart-spacing.js';
import { onZoneClock, zoneOfClock } from '../regimen/zone-clock.js';
import { wallSpanSwitch } from '../regimen/clock-dst.js';
import { tzAdvice } from './ward-zone.js';
import { repeatedHourFrom } from './from-repeated-hour.js';
import { clockInstant, clockMinutes, clockNow, offsetText, patientDates, wallMinutes, zoneInstants, zoneName, type ClockMinutes } from '../regimen/clock.js';
import type { Model } from '../model/model.js';
import { adviseFromState, type AdviceResult, type Predicted } from '../design/optimize/advice.js';
import { HOLD_SOURCE } from '../design/optimize/hold-source.js';
import { roundDose, type RoundingRule } from '../design/nomogram/rounding.js';
import type { TargetSpec } from '../design/targets/targets.js';
import type { RankingSample } from '../design/optimize/optimize.js';
import { UNIT_WARNING_CODES } from '../bayes/record-set-warnings.js';
import { sirWarnings } from '../bayes/posterior.js';
import { sirWarningItems } from './sir-warning-items.js';
import { chartUnit } from './chart-unit.js';
import { commaList } from '../comma-list.js';
import { estimate } from '../bayes/estimate.js';
import { regimen } from '../regimen/builder.js';
import { concentrationChart, dataTable, fmt, type ReportSection } from '../report/index.js';
import { numberOption, withOptionNames } from './args.js';
import { covariateRangeWarnings, explanationSection } from './explain.js';
import { steadyStateWarnings } from '../engine/steady-state-warnings.js';
import { doseMarkers, measuredLevels, perOutput, plotCurve } from './forecast.js';
import { checkReportPath, concentrationWindow, emitReport } from './reports.js';
import { infeasibleText } from '../design/optimize/infeasible.js';
import { candidatePtaText } from '../design/pta/pta-text.js';
import { largestRoundedUp, ROUNDED_UP_RATIO } from './nomogram.js';

/** Codes of the fit's warnings said once for the data set, not per ID (a covariate's unit: optimize's warnUnits). */
const SAID_FOR_THE_FILE: ReadonlySet<string> = new Set([MODEL_APPROXIMATION_CODE, OMEGA_IMPLAUSIBLE_CODE, 'W_SS_INFUSION', 'W_COVARIATE_RANGE', 'W_COVARIATE_DEFAULT', 'W_COLUMN_NOT_READ', ...UNIT_WARNING_CODES]);

/** A next dose due before the chart's last record and not charted (W_NEXT_DOSE_OVERDUE): hours since the first record. */
export interface OverdueDose {
  readonly due: number;
  /** The last dose, ADDL copies included, and the interval after it. */
  readonly last: number;
  readonly tau: number;
  /** The record the chart runs to, where the advice starts. */
  readonly record: DataRecord;
}

/**
 * When the future starts for a patient: the next dose after the history (its dosing interval), or
 * the last record where that dose is due before it and not charted, which `overdue` hears of.
 */
export function nextDoseTime(records: readonly DataRecord[], modelled?: ModelledDuration, overdue?: (o: OverdueDose) => void): number {
  // one time per dosing event, with the largest II given then (a top-up record without II after a
  // q12h order made the spacing of the last doses the interval: next dose 66 h for 72 h); a dose
  // split over two records (500 mg + 500 mg at 24 h) is one dose, not an interval of 0 h that put
  // the next dose at the last record; nor are back-to-back bags (500 mg 20:00–20:30, 500 mg
  // 20:30–21:00 of q12h: "no interval, 12 h then 0.5 h apart"), read as the metrics read them
  const doses = intervalStartTimes(records, modelled);
  const distinct = doses.map((d) => d.t);
  const lastRecord = Math.max(...records.map((r) => r.TIME));
  const last = distinct[distinct.length - 1];
  if (last === undefined) return Math.max(0, Math.ceil(lastRecord));
  const gap = (k: number): number => (distinct[distinct.length - k] as number) - (distinct[distinct.length - k - 1] as number);
  let tau = (doses[doses.length - 1] as { ii: number }).ii;
  // a single dose has no interval (it became the last record's time rounded up to the hour: a
  // "next dose" 2 h after a loading dose)
  if (!(tau > 0) && distinct.length === 1)
    throw Errors.cli(`--from next-dose: the history has a single dose time (${Number(last.toPrecision(12))} h) and no II, so no interval: give --from as a time (or II on the dose record)`);
  if (!(tau > 0) && distinct.length === 2) tau = gap(1);
  else if (!(tau > 0) && distinct.length > 2) {
    // the interval of doses without II is their spacing where it is regular (as for metrics);
    // doses at 0, 12 and 27 h have none to add
    // gaps within a minute are one spacing, as the metrics read them (a dose charted 2 s late was
    // refused as "11.9994444444 h then 12 h apart"); the spacing is then their whole minute
    if (Math.abs(gap(1) - gap(2)) > SAME_GAP_HOURS)
      throw Errors.cli(`--from next-dose: the last doses have no interval (no II; ${lastDosesText(records, distinct.slice(-3))}: ${Number(gap(2).toPrecision(12))} h then ${Number(gap(1).toPrecision(12))} h apart): give --from as a time`);
    const minute = Math.round(((gap(1) + gap(2)) / 2) * 60) / 60;
    tau = Math.abs(gap(1) - minute) <= SAME_GAP_HOURS && Math.abs(gap(2) - minute) <= SAME_GAP_HOURS ? minute : gap(1);
  }
  const next = tau > 0 ? last + tau : Math.ceil(lastRecord);
  // a dose due before the chart ends (a trough drawn late at 20:10 for the 20:00 dose not charted)
  // is given when the chart ends, as a ward gives a late dose: it was the last record rounded up to
  // the whole hour since the first record (21:00), silently
  const at = next >= lastRecord ? next : lastRecord;
  if (!((doses[doses.length - 1] as { ii: number }).ii > 0) && distinct.length > 1) refuseOverRunning(records, last, gap(1), at, modelled);
  // a trough drawn within a minute of the due time (08:00:30 for 08:00) is on time, as the chart's
  // gaps are read alike within a minute (SAME_GAP_HOURS): it was warned overdue
  if (overdue && lastRecord - next > SAME_GAP_HOURS + 1e-9) overdue({ due: next, last, tau, record: records.reduce((a, r) => (r.TIME >= a.TIME ? r : a)) });
  return at;
}

/**
 * The doses at some times, named by their rows ("the doses at rows 2 (12 h), 3 (12.0833 h) and 5
 * (24 h)"): a refusal that gave the gaps alone left the chart to be searched for them.
 */
function lastDosesText(records: readonly DataRecord[], times: readonly number[]): string {
  const h = (x: number): string => `${Number(x.toPrecision(12))} h`;
  const named = times.map((t) => {
    const r = records.find((x) => isDose(x) && Math.abs(x.TIME - t) < 1e-9);
    return r === undefined ? `an ADDL dose (${h(t)})` : `${r.row} (${h(t)})`;
  });
  return `the doses at rows ${named.slice(0, -1).join(', ')} and ${named[named.length - 1] as string}`;
}

/**
 * Refuses a next dose at `at` while the last dose (at `last`, `spacing` after the one before) is an
 * infusion still running (metrics' outlasting): a load, then 18 g over 72 h, put the next dose
 * 0.5 h after the infusion began, stacked on it.
 */
function refuseOverRunning(records: readonly DataRecord[], last: number, spacing: number, at: number, modelled?: ModelledDuration): void {
  // a modelled duration (RATE −2) is the typical subject's, with the items of the records before it
  const c = outlasting(records, last, spacing, modelled);
  const end = c === undefined ? NaN : c.time + c.duration;
  if (c === undefined || !(end - at > 1e-9 * Math.max(1, end))) return;
  const h = (x: number): number => Number(x.toPrecision(12));
  throw Errors.cli(
    `--from next-dose: the last dose (${c.place}: AMT ${h(c.amt)} at ${h(c.time)} h, RATE ${h(c.rate)}) is an infusion running until ${h(end)} h, longer than the ${h(spacing)}-h spacing before it: ` +
      `a continuous infusion, with no next dose due by an interval (the spacing put it at ${h(at)} h, on the running infusion); give --from as a time (e.g. its end, --from ${h(end)})`,
  );
}

/**
 * Runs `f`, naming a refused --from or --earliest as the user wrote it with its hours: "--from
 * 2026-04-01T20:44 (47.7333 h): is before a level" where it read "--from 47.733333333333334".
 */
function asWritten<T>(given: Readonly<Record<string, readonly [string | undefined, number | undefined]>>, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof DosewiseError)) throw e;
    for (const [name, [text, hours]] of Object.entries(given)) {
      const lead = `--${name} ${hours}`;
      if (text === undefined || hours === undefined || !e.message.startsWith(lead)) continue;
      const shown = text === String(hours) ? text : `${text} (${Number(hours.toPrecision(6))} h)`;
      throw new DosewiseError(e.code, `--${name} ${shown}${e.message.slice(lead.length)}`, e.place);
    }
    throw e;
  }
}

/**
 * Runs `f`, naming the data file of a parameter out of its domain on a record: "row 3, parameter CL:
 * must be ≥ 0 (got -0.049, from CRCL = 0, …)" named no file.
 */
function parameterInFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DosewiseError && e.code === 'E_PARAMETER' && e.place.row !== undefined) throw Errors.inFile(file, e);
    throw e;
  }
}

/** The options of advice mode (all need --from), as commander names them. */
export const ADVICE_OPTIONS = ['from', 'earliest', 'tz', 'round', 'strengths', 'maxUnits', 'maxDose', 'maxDaily', 'maxRate', 'holdBelow', 'timeStep', 'horizon'] as const;

export interface AdviceArgs {
  readonly from?: string;
  readonly earliest?: string;
  /** The IANA zone of a chart without offsets (for now), or of the next dose on a chart with offsets. */
  readonly tz?: string;
  readonly round?: string;
  readonly strengths?: string;
  readonly maxUnits?: string;
  readonly maxDose?: string;
  readonly maxDaily?: string;
  readonly maxRate?: string;
  readonly holdBelow?: string;
  readonly timeStep?: string;
  readonly horizon?: string;
  readonly json?: boolean;
  readonly report?: string;
  readonly cmt?: number;
  readonly draws: number;
  readonly seed: string;
  readonly top: number;
  /** --sir / --no-sir (undefined: the API's default, SIR) and --proposals. */
  readonly sir?: boolean;
  readonly proposals?: number;
}

/** Adds the advice options to `optimize`. */
export function adviceOptions(cmd: Command): Command {
  return cmd
    .option('--from <when>', "advice from the patient's current state at: now, next-dose, hours since the first record (50), a clock time (08:00: the next one after the last record) or a timestamp (2026-03-06T08:00)")
    .option('--earliest <when>', 'with --from: no new dose before this time (same forms as --from)')
    .option('--tz <zone>', "with --from: the chart's time zone (IANA, e.g. Europe/Berlin; default the process's, TZ): reads now on a chart without UTC offsets, and the offset of next-dose, a clock time and a timestamp without an offset on one with offsets")
    .option('--round <step>', 'with --from: round candidate doses to multiples of this increment (e.g. 250)')
    .option('--strengths <list>', 'with --from: round candidate doses to sums of these strengths (e.g. 500,1000)')
    .option('--max-units <n>', 'with --strengths: at most this many units per dose (default 4)')
    .option('--max-dose <x>', 'with --from: largest single dose')
    .option('--max-daily <x>', 'with --from: largest amount in any 24 h (the history included)')
    .option('--max-rate <x>', 'with --from: largest infusion rate (amount/h): larger doses are infused longer, e.g. 1000 for vancomycin')
    .option('--hold-below <c>', 'with --from: hold the next dose until the predicted level is below this (default: the ceiling of a trough target, else an auc24 ceiling / 24 or a cavg ceiling)')
    .option('--time-step <h>', 'with --from: time step of a hold, in h (default 1)')
    .option('--horizon <h>', 'with --from: the targets are judged at the end of this many hours after the next dose, rounded up to whole intervals (default 48)');
}

/** An advice option given without --from is refused (the steady-state ranking does not use it). */
export function refuseWithoutFrom(o: Record<string, unknown>): void {
  for (const k of ADVICE_OPTIONS) {
    if (k === 'from' || o[k] === undefined) continue;
    throw Errors.cli(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${String(o[k])}: applies with --from (advice from the patient's current state)`);
  }
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** A clock time without a date (08:00, 8:30:15), which the last record places on a day. */
const CLOCK_ONLY = /^\d{1,2}:\d{2}(:\d{2})?$/;

interface PatientClock {
  readonly clock: ClockMinutes;
  /** Absolute minutes of the ID's first and last records. */
  readonly origin: number;
  readonly last: number;
  /**
   * Whether this ID's times carry dates, and whether they are all calendar dates: one ID charted
   * with day numbers took the calendar from every other ID of the file (no dates shown, a timestamp
   * --from refused), though each ID's hours count from its own first record.
   */
  readonly dated: boolean;
  readonly calendar: boolean;
  /** The form of this ID's dates (1 day numbers, 2 month and day without a year, 3 calendar), if one. */
  readonly form?: number;
  /** UTC offsets (minutes east) of the ID's first and last records: times are shown in the last one's. */
  readonly firstOffset: number;
  readonly offset: number;
  /** --tz on a chart with offsets: times are shown, and the next dose placed, in its offset of the time. */
  readonly zone?: string;
}

/** The process's time zone, or --tz, as resolveWhen reads `now` and next-dose with it. */
interface Zone {
  readonly name: string;
  readonly given: boolean;
}

/**
 * next-dose on a chart whose timestamps carry offsets. Doses given at 08:00 and 20:00 local are 11 h
 * then 12 h apart across a daylight-saving switch, which read as irregular and was refused: the
 * interval is read on the chart's wall clock (each record in its own offset), as a ward gives them,
 * and the next dose is that wall-clock time in the last record's offset, or in --tz's offset then
 * (the chart does not say when its clock next shifts). Where the wall clock gives no interval but
 * the instants do (08:00 +01:00, 19:00 Z, 08:00 +01:00: 11 h then 13 h on each record's clock, 12 h
 * apart), the next dose is the last one's instant plus it: no offset to choose, nothing to warn of.
 * `warn` hears a placement the chart leaves in doubt (W_CHART_OFFSETS).
 */
function nextDoseOnClock(records: readonly DataRecord[], clock: PatientClock | undefined, warn?: (w: string) => void, modelled?: ModelledDuration): number {
  const overdue = warn && ((o: OverdueDose): void => warn(overdueText(o, clock)));
  if (!clock || clock.clock.kind !== 'instant') return nextDoseTime(records, modelled, overdue);
  const { offsets } = clock.clock;
  const wall = records.map((r) => ({ ...r, TIME: r.TIME + ((offsets[r.row - 1] as number) - clock.firstOffset) / 60 }));
  // the wall clock's hours shown in the last record's offset, as the next dose is
  const shift = (clock.offset - clock.firstOffset) / 60;
  const onWallOverdue = overdue && ((o: OverdueDose): void => overdue({ ...o, due: o.due - shift, last: o.last - shift, record: records.find((r) => r.row === o.record.row) ?? o.record }));
  let onWall: number;
  try {
    onWall = nextDoseTime(wall, modelled, onWallOverdue);
  } catch (e) {
    return onInstants(records, e, modelled, overdue);
  }
  const next = onWall + clock.firstOffset / 60; // hours of wall clock since the first record's instant
  let offset = clock.offset;
  // the zone's offset at that wall time: one step from the last record's offset finds it, but at a
  // switch the first guess may sit on the other side, hence a second
  for (let k = 0; k < (clock.zone ? 2 : 0); k++) offset = offsetAt(clock.origin + next * 60 - offset, clock);
  const hours = next - offset / 60;
  refuseOnRunning(records, hours, clock, modelled);
  const other = clock.zone ? undefined : lastDoseOffset(records, clock);
  if (warn && other) warn(chartOffsetsText(hours, next - other.offset / 60, other, records[records.length - 1] as DataRecord, clock));
  else if (warn && !clock.zone) {
    // doses in two offsets whose spacing differs on their clocks and as instants (08:00 +01:00
    // then 19:00 Z: 11 h, or 12 h): τ read on the clocks, 1 h off if the instants are the ward's
    const instant = spacedOnInstants(records, modelled);
    if (instant !== undefined && Math.abs(instant - hours) > 1 / 120)
      warn(
        `W_CHART_OFFSETS: next-dose is ${stamp(clock.origin + hours * 60, clock)} (${Number(hours.toFixed(4))} h), spaced on the doses' own clocks, whose UTC offsets differ; ` +
          `spaced as instants it is ${stamp(clock.origin + instant * 60, clock)} (${Number(instant.toFixed(4))} h). The chart does not say which is the ward's: give --tz <zone> (e.g. --tz Europe/Berlin) to place the next dose on the ward's clock`,
      );
  }
  return hours;
}

/**
 * Refuses a next dose placed on the wall clock while the last dose's infusion still runs as an
 * instant: 24-h bags at 08:00 +01:00 put the next at 08:00 +02:00 across the spring switch, 23 h
 * after the last one began, 1 h before it ends (the wall clock counted its 24 h as 25).
 */
function refuseOnRunning(records: readonly DataRecord[], hours: number, clock: PatientClock, modelled?: ModelledDuration): void {
  const last = doseTimes(records).at(-1)?.t;
  if (last === undefined || !(hours > last)) return;
  const c = outlasting(records, last, hours - last, modelled);
  const end = c === undefined ? NaN : c.time + c.duration;
  if (c === undefined || !(end - hours > 1e-9 * Math.max(1, end))) return;
  const h = (x: number): number => Number(x.toPrecision(12));
  throw Errors.cli(
    `--from next-dose: on the ward's clock the next dose is ${when(hours, clock)}, ${h(hours - last)} h after the last dose began, ` +
      `while it (${c.place}: AMT ${h(c.amt)}, RATE ${h(c.rate)}) is an infusion running until ${when(end, clock)}: a change of UTC offset shortened the interval on the clock; ` +
      `give --from as a time (e.g. its end, --from ${h(end)})`,
  );
}

/** next-dose spaced on the instants, where they give one. */
function spacedOnInstants(records: readonly DataRecord[], modelled?: ModelledDuration): number | undefined {
  try {
    return nextDoseTime(records, modelled);
  } catch {
    return undefined;
  }
}

/**
 * next-dose on the instants where the wall clock refused it; their refusal where they refuse too,
 * whose hours are those --from reads (the wall clock's named a RATE −2 infusion "running until
 * 122.5 h, give --from 122.5" for the 121.5 h that --from reads after the spring switch).
 */
function onInstants(records: readonly DataRecord[], refusal: unknown, modelled?: ModelledDuration, overdue?: (o: OverdueDose) => void): number {
  if (!(refusal instanceof DosewiseError)) throw refusal;
  return nextDoseTime(records, modelled, overdue);
}

/**
 * W_NEXT_DOSE_OVERDUE: next-dose is the chart's last record, the dose the interval puts next being
 * due before it and not charted; the doses due after it up to then are counted (a chart a day
 * past its last dose of q12h misses two).
 */
function overdueText(o: OverdueDose, clock: PatientClock | undefined): string {
  const end = o.record.TIME;
  const more = Math.floor((end - o.due) / o.tau + 1e-9);
  const record = o.record.EVID === 0 && o.record.MDV !== 1 ? `the level at row ${o.record.row}` : `row ${o.record.row}`;
  return (
    `W_NEXT_DOSE_OVERDUE: next-dose: the dose due at ${when(o.due, clock)}, ${Number(o.tau.toPrecision(6))} h after the last dose at ${when(o.last, clock)}, is not charted${more > 0 ? ` (nor ${more} more due every ${Number(o.tau.toPrecision(6))} h after it)` : ''}, ` +
    `and the chart runs to ${when(end, clock)}, ${record}: the advice starts there, the late dose given then; if the dose was given, chart it, or give --from as a time`
  );
}

/**
 * The record of the last dose (an ADDL copy's being its record's) and its offset, where that
 * differs from the last record's: the next dose, placed in the last record's offset, is then on
 * one of two clocks, which only --tz tells apart (a level stamped in UTC after doses at +01:00; a
 * level after a daylight-saving switch).
 */
function lastDoseOffset(records: readonly DataRecord[], clock: PatientClock): { row: number; offset: number } | undefined {
  let last: DataRecord | undefined;
  let at = -Infinity;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (!isDose(r)) continue;
    const t = r.TIME + givenAddl(records, i) * r.II;
    if (t >= at) [last, at] = [r, t];
  }
  if (!last) return undefined;
  const offset = clock.clock.offsets[last.row - 1] as number;
  return offset === clock.offset ? undefined : { row: last.row, offset };
}

/** W_CHART_OFFSETS: next-dose in both offsets, and where the last dose's would put it. */
function chartOffsetsText(hours: number, onDoseClock: number, dose: { row: number; offset: number }, lastRecord: DataRecord, clock: PatientClock): string {
  const onDose = { ...clock, offset: dose.offset };
  const at = clock.origin + hours * 60;
  return (
    `W_CHART_OFFSETS: next-dose is ${stamp(at, clock)} = ${stamp(at, onDose)} (${Number(hours.toFixed(4))} h), placed on the clock of the last record (row ${lastRecord.row}, ${offsetName(clock.offset)}), ` +
    `where the last dose (row ${dose.row}) is at ${offsetName(dose.offset)}: on the last dose's clock it is ${when(onDoseClock, onDose)}. ` +
    "The chart does not say which is the ward's: give --tz <zone> (e.g. --tz Europe/Berlin) to place the next dose on the ward's clock"
  );
}

/**
 * The ward's clock now as hours since the ID's first record: a now before the chart's first record
 * (a chart dated in the future, or read on another zone's clock) is refused with both times, where
 * it read "--from now (-184.16 h): must be a time ≥ 0".
 */
function nowHours(option: string, records: readonly DataRecord[], clock: PatientClock, zone: Zone | undefined): number {
  const now = clockNow(clock.clock.kind, new Date(), zone?.name);
  if (now >= clock.origin) return (now - clock.origin) / 60;
  const onWall = clock.clock.kind === 'wall' || zoneOfClock(clock.clock) !== undefined;
  const where = onWall ? ` ${zone?.name ?? zoneName(undefined, '--tz')}` : '';
  throw Errors.cli(
    `--${option} now: ${records[0] ? `ID ${records[0].ID}: ` : ''}now is ${stamp(now, clock)}${where}, ${Number(((clock.origin - now) / 60).toFixed(2))} h before the chart's first record (${stamp(clock.origin, clock)}): check the chart's dates and the computer's clock${onWall ? ' and time zone (--tz)' : ''}, or give --${option} as a timestamp`,
  );
}

/** A time given on the command line (see --from) as hours since the ID's first record. */
export function resolveWhen(text: string, option: string, records: readonly DataRecord[], clock: PatientClock | undefined, zone?: Zone, warn?: (w: string) => void, modelled?: ModelledDuration): number {
  const s = text.trim();
  const expected = 'expected now, next-dose, hours since the first record (e.g. 50), a clock time (08:00) or a timestamp (2026-03-06T08:00)';
  if (s === 'next-dose') return nextDoseOnClock(records, clock, warn, modelled);
  if (NUMBER.test(s)) {
    const h = Number(s);
    if (!(Number.isFinite(h) && h >= 0)) throw Errors.cli(`--${option} ${text}: expected hours ≥ 0 since the first record`);
    return h;
  }
  const noClock = (): never => {
    throw Errors.cli(`--${option} ${text}: the data set's TIME column holds hours, not clock times: give hours since the first record (e.g. 50) or next-dose`);
  };
  // day numbers and dates without a year count from no calendar day: now or a timestamp read decades away
  if (clock && !clock.calendar && (s === 'now' || /^\d{4}-/.test(s)))
    throw Errors.cli(`--${option} ${text}: ${records[0] ? `ID ${records[0].ID}: ` : ''}the data set's ${clock.dated ? 'dates are day numbers or have no year' : 'clock times have no date'}, which no calendar time matches: give a clock time (08:00), hours since the first record or next-dose`);
  if (s === 'now') {
    if (!clock) return noClock();
    return nowHours(option, records, clock, zone);
  }
  if (!clock) {
    if (clockInstant(s, 'wall', 0, `--${option}`) !== undefined) return noClock();
    throw Errors.cli(`--${option} ${text}: ${expected}`);
  }
  // --tz names the ward's clock, on which a clock time or a timestamp without an offset is definite
  const m = clockInstant(s, clock.clock.kind, clock.last, `--${option}`, clock.zone);
  if (m === undefined) throw Errors.cli(`--${option} ${text}: ${expected}`);
  // a time without an offset in the hour the zone's clocks repeat: warned, or refused where its two
  // instants lie either side of the last record (from-repeated-hour.ts)
  const last = records[records.length - 1];
  if (clock.zone !== undefined && last !== undefined && !/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s)) {
    const w = repeatedHourFrom(option, s, m, { zone: clock.zone, origin: clock.origin, last: clock.last, lastRow: last.row, id: last.ID });
    if (w !== undefined) warn?.(w);
  }
  return (m - clock.origin) / 60;
}

/** An offset as a chart's time is shown with it: UTC, +01:00. */
const offsetName = (minutes: number): string => (minutes === 0 ? 'UTC' : offsetText(minutes));

/** The UTC offset (minutes east) an instant is shown in: --tz's then, else the last record's. */
function offsetAt(abs: number, clock: PatientClock): number {
  return clock.zone ? Math.round(wallMinutes(new Date(abs * 60_000), clock.zone) - abs) : clock.offset;
}

/**
 * Absolute minutes on the patient's clock as an ISO date and time, and the offset it is shown in:
 * a chart with offsets in its last record's (it printed "2026-03-29 11:00 UTC" on a +02:00 chart).
 */
function isoOf(abs: number, clock: PatientClock): { iso: string; offset?: number } {
  const offset = clock.clock.kind === 'instant' ? offsetAt(abs, clock) : undefined;
  const iso = new Date(Math.round((abs + (offset ?? 0)) * 60_000)).toISOString();
  // a chart written without offsets, read on --tz's clock: its times shown as it writes them
  return zoneOfClock(clock.clock) === undefined ? { iso, offset } : { iso };
}

/** Absolute minutes as shown: 2026-03-06 09:00 (+02:00 on a chart with offsets), or 09:00 without calendar dates. */
function stamp(abs: number, clock: PatientClock): string {
  const { iso, offset } = isoOf(abs, clock);
  // day numbers, dates without a year or none: no calendar date to show (it read 1970-01-04)
  if (!clock.calendar) return iso.slice(11, 16);
  const sec = iso.slice(17, 19) === '00' ? '' : iso.slice(16, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${sec}${offset === undefined ? '' : ` ${offsetName(offset)}`}`;
}

/**
 * Absolute minutes with their day on any chart: a calendar date, `day 2` for day numbers, `7 March`
 * for dates without a year, `the next day` for clock times without a date (a time of day alone
 * hid that a clock-time --from had moved to the next day).
 */
function dayStamp(abs: number, clock: PatientClock): string {
  if (clock.calendar) return stamp(abs, clock);
  const day = Math.floor(abs / 1440);
  const time = stamp(abs, clock);
  if (clock.form === 1) return `day ${day} ${time}`;
  if (clock.form === 2) return `${new Date(day * 86_400_000).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long' })} ${time}`;
  const after = day - Math.floor(clock.last / 1440);
  return after === 0 ? time : `${time} ${after === 1 ? 'the next day' : `${after} days later`}`;
}

/** A time as shown: the clock (2026-03-06 09:00) with its hours, or hours alone; `zone` names the zone of a chart without offsets. */
function when(h: number, clock: PatientClock | undefined, zone?: string): string {
  const hours = `${Number(h.toFixed(4))} h`;
  if (!clock) return hours;
  return `${stamp(clock.origin + h * 60, clock)}${zone ? ` ${zone}` : ''} (${hours})`;
}

/** A time as --earliest takes it: the calendar's date and time (no offset to write), else hours since the first record. */
function earliestArg(h: number, clock: PatientClock | undefined): string {
  const hours = String(Number(h.toFixed(4)));
  if (!clock?.calendar) return hours;
  const { iso, offset } = isoOf(clock.origin + h * 60, clock);
  return offset === undefined && iso.slice(17, 19) === '00' ? iso.slice(0, 16) : hours;
}

/**
 * An advised time (the hold's end, the next dose, the maintenance start) as shown on the clock:
 * rounded up to the whole minute. From --from now it carried now's seconds ("next dose … at
 * 12:21:44"); up, as a dose must not come before the end of a hold. Without a clock, as it is.
 */
function advisedTime(h: number, clock: PatientClock | undefined): number {
  if (!clock) return h;
  // within 1e-6 min (60 µs) of a minute is on it: origin + h·60 misses a whole minute by rounding
  const up = Math.ceil(clock.origin + h * 60 - 1e-6);
  return (up - clock.origin) / 60;
}

function clockText(h: number, clock: PatientClock | undefined): string | null {
  if (!clock) return null;
  const { iso, offset } = isoOf(clock.origin + h * 60, clock);
  if (!clock.calendar) return iso.slice(11, 19);
  return offset === undefined ? iso.slice(0, 19) : `${iso.slice(0, 19)}${offset === 0 ? 'Z' : offsetText(offset)}`;
}

type RoundingArgs = Pick<AdviceArgs, 'round' | 'strengths' | 'maxUnits'>;

/** The rounding rule of --round or --strengths (with --max-units), if one. */
function practicalRule(a: RoundingArgs): RoundingRule | undefined {
  if (a.round !== undefined && a.strengths !== undefined) throw Errors.cli('give --round or --strengths, not both');
  if (a.maxUnits !== undefined && a.strengths === undefined) throw Errors.cli('--max-units needs --strengths');
  if (a.round !== undefined) return { kind: 'increment', step: numberOption('round', a.round, (x) => x > 0, 'an increment > 0') as number };
  if (a.strengths === undefined) return undefined;
  const strengths = commaList(a.strengths).map((s) => numberOption('strengths', s, (x) => x > 0, 'a comma list of strengths > 0') as number);
  const maxUnits = numberOption('max-units', a.maxUnits, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1');
  return { kind: 'strengths', strengths, ...(maxUnits !== undefined ? { maxUnits } : {}) };
}

/** --doses above the largest dose --max-units units of --strengths make: each became that dose, so none of them was evaluated. */
export interface UnitLimited {
  /** The --doses values above `largest`, ascending. */
  readonly doses: readonly number[];
  readonly largest: number;
  readonly maxUnits: number;
  /** The --max-units that reaches the largest of them (its units of the largest strength). */
  readonly reaching: number;
}

/**
 * --doses that --round or --strengths merged into fewer candidates; where most of them became more
 * than twice themselves, how many and the one rounded up the most.
 */
export interface MergedDoses {
  /** The option as given: `--round 250`, `--strengths 500,1000`. */
  readonly option: string;
  readonly given: readonly number[];
  readonly doses: readonly number[];
  readonly roundedUp?: { readonly count: number; readonly computed: number; readonly dose: number; readonly ratio: number };
}

/** Candidate doses: the --doses list rounded to --round multiples or --strengths sums (duplicates dropped), and those the unit limit cut. */
export function practicalCandidates(doses: readonly number[], a: RoundingArgs): { doses: number[]; unitLimited?: UnitLimited } {
  const rule = practicalRule(a);
  if (!rule) return { doses: [...doses] };
  const rounded = doses.map((d) => withOptionNames({ strengths: 'strengths', increment: 'round' }, () => roundDose(d, rule)));
  const out = [...new Set(rounded.map((r) => r.dose))].sort((x, y) => x - y);
  // without bounds, a strengths dose is clamped at the top only above every combination of maxUnits units
  const cut = rule.kind === 'strengths' ? [...new Set(rounded.filter((r) => r.clamped === 'max').map((r) => r.computed))].sort((x, y) => x - y) : [];
  const top = cut[cut.length - 1];
  if (rule.kind !== 'strengths' || top === undefined) return { doses: out };
  const maxUnits = rule.maxUnits ?? 4;
  const reaching = Math.ceil(top / Math.max(...rule.strengths) - 1e-9);
  return { doses: out, unitLimited: { doses: cut, largest: out[out.length - 1] as number, maxUnits, reaching } };
}

/**
 * What --round or --strengths made of the --doses `given` (the candidates `doses`): undefined when
 * it merged none. Most of them above twice themselves is a step too coarse for the doses (a 100 mg
 * at the foot of 100:3000:100 becoming 250 is not: the range was searched).
 */
function mergedDoses(given: readonly number[], doses: readonly number[], a: RoundingArgs): MergedDoses | undefined {
  if (a.round === undefined && a.strengths === undefined) return undefined;
  const asked = [...new Set(given)].sort((x, y) => x - y);
  const pairs = asked.map((d) => ({ computed: d, dose: practicalDoses([d], a)[0] as number }));
  const up = largestRoundedUp(pairs);
  const count = pairs.filter((p) => p.dose > ROUNDED_UP_RATIO * p.computed).length;
  if (!(doses.length < asked.length) && !up) return undefined;
  const option = a.round !== undefined ? `--round ${a.round}` : `--strengths ${a.strengths}`;
  return { option, given: asked, doses, ...(up && count > asked.length / 2 ? { roundedUp: { count, computed: up.computed, dose: up.dose, ratio: up.ratio } } : {}) };
}

/** Candidate doses: the --doses list rounded to --round multiples or --strengths sums (duplicates dropped). */
export function practicalDoses(doses: readonly number[], a: RoundingArgs): number[] {
  return practicalCandidates(doses, a).doses;
}

const listText = (xs: readonly number[]): string => (xs.length > 4 ? `${xs[0]}–${xs[xs.length - 1]}` : xs.join(', '));

/** "--round 250 made the 19 --doses (1–10) 1 candidate dose (250)". */
const mergedText = (m: MergedDoses): string =>
  `${m.option} made the ${m.given.length} --doses (${listText(m.given)}) ${m.doses.length} candidate dose${m.doses.length === 1 ? '' : 's'} (${listText(m.doses)})`;

/**
 * W_ROUNDED_UP: most --doses rounded to more than twice themselves. `--doses 1:10:0.5 --round 250`
 * evaluated 250 alone and said "no candidate reaches the target", not that none of the doses asked
 * for had been tried.
 */
function roundedUpText(m: MergedDoses): string | undefined {
  const up = m.roundedUp;
  if (!up) return undefined;
  return (
    `W_ROUNDED_UP: ${mergedText(m)}: ${up.count} of them became more than ${ROUNDED_UP_RATIO}× themselves, up to ${Number(up.ratio.toPrecision(3))}× (${up.computed} → ${up.dose}), so the doses asked for were not evaluated; ` +
    `give ${m.option.startsWith('--round') ? 'a --round step' : '--strengths'} fit for them`
  );
}

/**
 * W_MAX_UNITS: --doses above what --max-units units make became the largest dose, so `optimize
 * --from … --doses 160:640:40 --strengths 80` evaluated 9 regimens up to 320 mg (4 × 80, the
 * default) and advised 320 mg q36h where 400 mg q48h was better, and said nothing.
 */
function unitLimitText(u: UnitLimited, strengths: string): string {
  const listed = u.doses.length > 4 ? `${u.doses.slice(0, 2).join(', ')}, …, ${u.doses[u.doses.length - 1]}` : u.doses.join(', ');
  return (
    `W_MAX_UNITS: ${u.doses.length} of the --doses (${listed}) ${u.doses.length === 1 ? 'is' : 'are'} above ${u.largest}, the largest dose of at most ${u.maxUnits} units of --strengths ${strengths} (--max-units ${u.maxUnits}): ` +
    `each became ${u.largest}, so none of them was evaluated; give --max-units ${u.reaching} to evaluate them, or lower --doses`
  );
}

export interface AdviceInputs {
  readonly doses: readonly number[];
  readonly intervals: readonly number[];
  readonly infusions?: readonly number[];
  readonly target: TargetSpec;
}

/** `now`: the text after "now =" names the zone of a chart without offsets (its wall clock read there). */
type AdviceOut = AdviceResult & { id: number; clock: PatientClock | undefined; now?: { zone?: string }; unitLimited?: UnitLimited; merged?: MergedDoses; placements?: readonly string[] };

/**
 * The library names the hold level's field inside a message (a default hold level the level does
 * not fall below: "holdBelow sets another", "give holdBelow to hold"); the command line's option
 * is --hold-below. (The field leading a message is re-labelled by withOptionNames.)
 */
const withHoldOption = (message: string): string => message.replace(/\bholdBelow (sets another|to hold)/g, '--hold-below $1').replace(/\bwiden intervals\/doses\b/g, 'widen --intervals/--doses');

function holdOptionNamed<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DosewiseError && withHoldOption(e.message) !== e.message) throw new DosewiseError(e.code, withHoldOption(e.message), e.place);
    throw e;
  }
}

/**
 * W_FROM_LATER_DAY: a clock-time --from is the first such time at or after the last record, by the
 * documented rule; one on a later day (or more than 12 h on) is most often this morning's time
 * meant: `--from 07:00` after a level at 07:30 advised a loading dose after 23.5 h without drug,
 * silently, and for one ID of a file but not another.
 */
function laterDay(text: string, from: number, clock: PatientClock): string | undefined {
  if (!CLOCK_ONLY.test(text.trim())) return undefined;
  const at = clock.origin + from * 60;
  const gap = (at - clock.last) / 60;
  // the day on the ward's clock (--tz) where the chart's offsets say only instants
  const local = (t: number): number => (clock.zone ? wallMinutes(new Date(t * 60_000), clock.zone) : t);
  if (Math.floor(local(at) / 1440) === Math.floor(local(clock.last) / 1440) && gap <= 12) return undefined;
  const before = clock.zone ? (zoneInstants(local(at) - 1440, clock.zone)[0] ?? at - 1440) : at - 1440;
  const earlier = before < clock.origin ? '' : clock.calendar ? ` (--from ${isoOf(before, clock).iso.slice(0, 16)})` : ` (--from ${Number(((before - clock.origin) / 60).toFixed(4))}, hours since the first record)`;
  return `W_FROM_LATER_DAY: --from ${text.trim()} is ${dayStamp(at, clock)} (${Number(from.toFixed(4))} h), ${Number(gap.toFixed(2))} h after the last record (${dayStamp(clock.last, clock)}): a clock time is the first one at or after the last record; to mean an earlier time, give it in full${earlier}`;
}

/**
 * W_CLOCK_DST after the chart's records, on a chart without offsets read on the wall clock (no
 * --tz): a switch of the zone between the last record and --from, between --from and the advised
 * next dose, or between that and the maintenance start (`then`, if any), put the advice's hours 1 h
 * off the real ones without a word (readNmtran says the switches between records): a next dose
 * before Berlin's spring switch and a q24h maintenance after it read "from 2026-03-29 08:00 (72 h)"
 * for 71 h real. `fromText` is --from as given.
 */
function adviceDstText(file: string, records: readonly DataRecord[], clock: PatientClock | undefined, zone: Zone, fromText: string, from: number, next: number, then?: number): string | undefined {
  if (clock?.clock.kind === 'instant' && !zone.given) return offsetChartDstText(file, records, clock, zone, next, then);
  if (!clock || clock.clock.kind !== 'wall' || !clock.calendar || zone.given) return undefined;
  const last = records[records.length - 1] as DataRecord;
  const at = (h: number): number => clock.origin + h * 60;
  const fromWords = `--from ${fromText.trim()} (${stamp(at(from), clock)})`;
  const nextWords = `the advised next dose (${stamp(at(next), clock)})`;
  const legs: [number, number, string, string][] = [
    [clock.last, at(from), `row ${last.row} (${stamp(clock.last, clock)}), the chart's last record,`, fromWords],
    [at(from), at(next), fromWords, nextWords],
    ...(then === undefined ? [] : [[at(next), at(then), nextWords, `the maintenance start (${stamp(at(then), clock)})`] as [number, number, string, string]]),
  ];
  for (const [a, b, aWords, bWords] of legs) {
    const sw = wallSpanSwitch(zone.name, zone.given, a, b);
    if (sw === undefined) continue;
    const lie = /switches|changes/.test(sw.what.split(' of ')[0] as string) ? 'lie' : 'lies';
    const h = (x: number): string => `${Number(x.toFixed(4))} h`;
    return (
      `W_CLOCK_DST: ${file}, ID ${last.ID}: ${sw.what} ${lie} between ${aWords} and ${bWords}: the times, without a UTC offset, are read on the wall clock, ${h(sw.wallHours)} apart, where the instants are ${h(sw.realHours)} apart, ` +
      `so the advice's level and times from there are ${h(Math.abs(sw.wallHours - sw.realHours))} off the real elapsed time; ${tzAdvice(zone.name, "the chart's times as instants")}`
    );
  }
  return undefined;
}

/**
 * W_CLOCK_DST on a chart with UTC offsets (no --tz): the advice is shown in the last record's offset,
 * so a q24h next dose across a switch of the process's zone read "2026-03-29 08:00 +01:00 (24 h)",
 * 09:00 on Berlin's clock that day, where the ward's 08:00 is 23 h on, without a word. Said where the
 * process's zone agrees with the chart's last offset (the chart is plausibly on its clock) and is at
 * another offset by the advised next dose, or else by the maintenance start (`then`): "then: … from
 * 2026-03-29 08:00 +01:00" after a next dose on the 28th was 09:00 on the ward's clock, unsaid.
 */
function offsetChartDstText(file: string, records: readonly DataRecord[], clock: PatientClock, zone: Zone, next: number, then?: number): string | undefined {
  const offsetIn = (abs: number): number => Math.round(wallMinutes(new Date(abs * 60_000), zone.name) - abs);
  if (offsetIn(clock.last) !== clock.offset) return undefined;
  const moved = (h: number | undefined): boolean => h !== undefined && offsetIn(clock.origin + h * 60) !== clock.offset;
  const which = moved(next) ? 'the advised next dose' : moved(then) ? 'the maintenance start' : undefined;
  if (which === undefined) return undefined;
  const at = clock.origin + (which === 'the advised next dose' ? next : (then as number)) * 60;
  const there = offsetIn(at);
  const wall = new Date(Math.round((at + there) * 60_000)).toISOString();
  const last = records[records.length - 1] as DataRecord;
  return (
    `W_CLOCK_DST: ${file}, ID ${last.ID}: the advice's times are shown in the offset of the chart's last record (${offsetName(clock.offset)}), and ${zone.name}, this computer's zone, is at ${offsetName(there)} by ${which}: ${stamp(at, clock)} is ${wall.slice(0, 10)} ${wall.slice(11, 16)} ${offsetName(there)} on its clock; ` +
    `give --tz with the ward's zone (e.g. --tz ${zone.name}) to advise on its clock`
  );
}

/** Runs `optimize --from` on every ID of the data set and prints the advice. */
export function adviceCommand(model: Model, data: DataSet, file: string, o: AdviceArgs, inputs: AdviceInputs, stdout: (s: string) => void): void {
  checkReportPath(o.report);
  const positive = (name: string, v: string | undefined, what: string): number | undefined => numberOption(name, v, (x) => x > 0, what);
  const maxDose = positive('max-dose', o.maxDose, 'a dose > 0');
  const maxDaily = positive('max-daily', o.maxDaily, 'an amount per 24 h > 0');
  const maxRate = positive('max-rate', o.maxRate, 'an infusion rate > 0 (amount/h)');
  const holdBelow = positive('hold-below', o.holdBelow, 'a concentration > 0');
  const timeStep = positive('time-step', o.timeStep, 'hours > 0');
  const horizon = positive('horizon', o.horizon, 'hours > 0');
  const { doses, unitLimited } = practicalCandidates(inputs.doses, o);
  const merged = mergedDoses(inputs.doses, doses, o);
  if (unitLimited) process.stderr.write(`dosewise: warning: ${unitLimitText(unitLimited, o.strengths as string)}\n`);
  const roundedUp = merged && roundedUpText(merged);
  if (roundedUp) process.stderr.write(`dosewise: warning: ${roundedUp}\n`);
  const zone: Zone = { name: zoneName(o.tz, '--tz'), given: o.tz !== undefined };
  const read = clockMinutes(data.columns, data.cells, file, data.records.map((r) => r.ID));
  // --tz: a chart without offsets on the ward's clock, as readNmtran read its hours (zone-clock.ts)
  const clock = read && zone.given ? onZoneClock(read, zone.name, data.columns, data.cells, file) : read;
  const usesNow = [o.from, o.earliest].some((w) => w?.trim() === 'now');
  // a chart without offsets says nothing of its zone: the process's was read silently (1 h off for a Berlin chart on a UTC server)
  if (usesNow && clock?.kind === 'wall' && !zone.given)
    process.stderr.write(`dosewise: note: ${file}: now is read on the clock of ${zone.name} (the process's time zone, TZ), the chart's times having no UTC offset: give --tz with the ward's zone (e.g. --tz Europe/Berlin) if it is another\n`);
  // the data set's, said once as simulate --replicates, vpc and optimize without --from say them
  // (patient by patient, W_SS2_NONLINEAR came once per ID)
  for (const w of steadyStateWarnings(model, data.records, file)) process.stderr.write(`dosewise: warning: ${w}\n`);
  const results: AdviceOut[] = [];
  for (const [id, records] of byId(data.records)) {
    const dates = clock && patientDates(clock, records.map((r) => r.row));
    const firstRow = (records[0] as DataRecord).row - 1;
    const lastRow = (records[records.length - 1] as DataRecord).row - 1;
    const pc: PatientClock | undefined = clock && dates && {
      clock,
      origin: clock.abs[firstRow] as number,
      last: clock.abs[lastRow] as number,
      dated: dates.dated,
      calendar: dates.calendar,
      ...(dates.forms.length === 1 ? { form: dates.forms[0] } : {}),
      firstOffset: clock.offsets[firstRow] as number,
      offset: clock.offsets[lastRow] as number,
      ...(clock.kind === 'instant' && zone.given ? { zone: zone.name } : {}),
    };
    // a Set: --from next-dose and --earliest next-dose warn of one placement once
    const placements = new Set<string>();
    const modelled = typicalDuration(model);
    const from = resolveWhen(o.from as string, 'from', records, pc, zone, (w) => placements.add(w), modelled);
    const earliest = o.earliest === undefined ? undefined : resolveWhen(o.earliest, 'earliest', records, pc, zone, (w) => placements.add(w), modelled);
    for (const w of placements) process.stderr.write(`dosewise: warning: ${file}, ID ${id}: ${w}\n`);
    const later = pc && laterDay(o.from as string, from, pc);
    if (later) {
      process.stderr.write(`dosewise: warning: ${file}, ID ${id}: ${later}\n`);
      placements.add(later);
    }
    // a clock time is the first one after the last record: "--earliest 07:00" beside "--from 08:00"
    // is the next morning, a 23-h wait before the first dose that nothing in the advice pointed out
    if (earliest !== undefined && earliest - from > 12 && CLOCK_ONLY.test((o.earliest as string).trim()))
      process.stderr.write(`dosewise: warning: ${file}, ID ${id}: --earliest ${o.earliest} is ${when(earliest, pc)}, ${Number((earliest - from).toFixed(2))} h after --from (${when(from, pc)}): no dose before then; give a date and time if you meant another day\n`);
    const r = parameterInFile(file, () => asWritten({ from: [o.from as string, from], earliest: [o.earliest, earliest] }, () => withOptionNames(
      { from: 'from', earliest: 'earliest', maxDose: 'max-dose', maxDaily: 'max-daily', maxRate: 'max-rate', holdBelow: 'hold-below', timeStep: 'time-step', horizon: 'horizon', doses: 'doses', intervals: 'intervals', infusions: 'infusions', target: 'target' },
      () =>
        holdOptionNamed(() =>
          adviseFromState(model, records, {
            from, earliest, doses, intervals: inputs.intervals, infusions: inputs.infusions, maxRate, maxDose, maxDaily, holdBelow, timeStep, horizon,
            cmt: o.cmt, target: inputs.target, draws: o.draws, seed: o.seed, top: o.top, file, ...rankingSampleArgs(o),
          }),
        ),
    )));
    const dst = adviceDstText(file, records, pc, zone, o.from as string, from, r.nextTime, r.ranked[0]?.maintenance.start);
    if (dst !== undefined) {
      process.stderr.write(`dosewise: warning: ${dst}\n`);
      placements.add(dst);
    }
    // the fit's steady-state infusions and covariate ranges are said apart (once for the file, in the line below), its defaulted covariates once for the file (optimize)
    for (const w of r.warnings) if (!SAID_FOR_THE_FILE.has(w.code)) process.stderr.write(`dosewise: warning: ${file}, ID ${id}, ${w.code ? `${w.code}: ` : ''}${withHoldOption(w.message)}\n`);
    warnSample(file, id, r, o);
    for (const w of covariateRangeWarnings(model, records)) process.stderr.write(`dosewise: ${file}, ID ${id}: ${w}\n`);
    results.push({ id, ...r, clock: pc, unitLimited, merged, placements: [...readWarnings(records), ...placements, ...(roundedUp ? [roundedUp] : [])], ...(o.from?.trim() === 'now' ? { now: pc !== undefined && (pc.clock.kind === 'wall' || zoneOfClock(pc.clock) !== undefined) ? { zone: zone.name } : {} } : {}) });
  }
  if (o.json) stdout(JSON.stringify(results.map(adviceJson), null, 1) + '\n');
  else for (const r of results) stdout(adviceText(r));
  if (o.report !== undefined) {
    const patients = new Map(byId(data.records));
    const sections = results.flatMap((r) => {
      const recs = patients.get(r.id) ?? [];
      return [adviceSection(model, recs, r, o, inputs.target), explanationSection(model, r.id, recs, estimate(model, recs, {}))];
    });
    emitReport({ ...o, report: o.report }, 'optimize', { title: `Advice from now: ${model.name}`, subtitle: `${file}; target ${results[0]?.target ?? ''}`, sections }, stdout);
  }
}

/** The recommendation's doses on the patient's clock, with an observation grid to the end of its judged window. */
function recommendedFuture(r: AdviceOut, cmt: number | undefined): DataRecord[] {
  const best = r.ranked[0] as AdviceResult['ranked'][number];
  const dur = (d: number): number | undefined => (d > 0 ? d : undefined);
  let reg = regimen().dose({ time: best.next.time, amt: best.next.amount, dur: dur(best.next.duration), cmt });
  const n = Math.round((best.end - best.maintenance.start) / best.maintenance.interval);
  if (n > 0) reg = reg.dose({ time: best.maintenance.start, amt: best.maintenance.amount, dur: dur(best.maintenance.duration), cmt, addl: n - 1, ii: best.maintenance.interval });
  return reg.observe({ grid: { from: r.from, to: best.end, step: (best.end - r.from) / 120 } }).records();
}

/** The report's section of one ID: the advice as text, the ranked candidates, and the history with the recommendation's forecast. */
function adviceSection(model: Model, records: readonly DataRecord[], r: AdviceOut, o: AdviceArgs, target: TargetSpec): ReportSection {
  const heading = `ID ${r.id}`;
  const text = adviceText(r).split('\n').filter((l) => l.startsWith('  ') && !/^\s+next dose\s+maintenance/.test(l) && !/^\s+\d.*%/.test(l)).map((l) => l.trim()).join('\n\n');
  const intro = `${r.evaluated} regimens × ${drawsText(r)}; target ${r.target}. Ranked by the probability of meeting every target clause (± Monte Carlo SE; at 0 or 100 % its 95 % Wilson interval), then by the distance of the median exposures to the window centre.`;
  const best = r.ranked[0];
  if (!best) return { heading, text: `${intro}\n\n${text}` };
  const columns = exposureColumns(r.ranked.map((x) => x.exposure));
  const table = dataTable(
    [{ heading: 'Next dose', numeric: true }, { heading: 'Infusion (h)', numeric: true }, { heading: 'Maintenance', numeric: true }, { heading: 'Infusion (h)', numeric: true }, { heading: 'Every (h)', numeric: true }, { heading: 'PTA', numeric: true }, ...columns.map((col) => ({ heading: `${col.heading} MAP; median (90% interval)`, numeric: true }))],
    r.ranked.map((x) => [
      fmt(x.next.amount, 6),
      fmt(x.next.duration, 4),
      fmt(x.maintenance.amount, 6),
      fmt(x.maintenance.duration, 4),
      fmt(x.maintenance.interval, 4),
      candidatePtaText(x, r.draws),
      ...columns.map((col) => {
        const e = col.value(x.exposure);
        return e ? `${fmt(e.mode, 4)}; ${fmt(e.median, 4)} (${fmt(e.lo, 3)}–${fmt(e.hi, 3)})` : '–';
      }),
    ]),
    { caption: 'Best next doses and maintenance regimens' },
  );
  let svg: string | undefined;
  let note = '';
  try {
    const future = recommendedFuture(r, o.cmt);
    const fit = estimate(model, records, {});
    svg = perOutput(model, (output, main) =>
      concentrationChart(
        { curve: plotCurve(model, records, fit, future, { draws: Math.min(o.draws, 1000), seed: o.seed, level: 0.9, output }), observations: measuredLevels(records, model, output), doses: doseMarkers([...records, ...future], best.end), target: main ? concentrationWindow(target) : undefined },
        { title: `ID ${r.id}: history and the recommendation from ${fmt(r.from, 4)} h${output ? ` — ${output.name}` : ''}`, timeUnit: 'h', yLabel: output?.name, concentrationUnit: chartUnit(model, output), curveLabel: 'Posterior median', bandLabel: '90% credible band', observationLabel: 'Measured level' },
      ),
    );
  } catch (e) {
    note = `\n\n(The forecast curve could not be drawn: ${(e as Error).message}.)`;
  }
  return { heading, text: `${intro}\n\n${text}${note}`, svg, table };
}

/** The metric a key measures, without the window it was judged over: `tabove:15:12:24` → `tabove:15`. */
const withoutWindow = (key: string): string => key.replace(/:[^:/]+:[^:/]+$/, '');

/** One exposure column of a table of ranked regimens. */
export interface ExposureColumn {
  readonly heading: string;
  /** The row's own value of the column's metric (undefined if the row has none). */
  value<E>(exposure: Readonly<Record<string, E>>): E | undefined;
}

/**
 * The exposure columns of ranked regimens, one per target metric. A key names the window its
 * metric was judged over, and time above MIC is judged over each regimen's own last interval
 * (tabove:15:12:24 for q12h, tabove:15:0:24 for q24h; in advice also by where its judged time
 * ends): a column taken from the first regimen's key found nothing in the other rows. So a column
 * is the metric without its window, each row reads its own key, and the heading keeps the window
 * only where every row shares it.
 */
export function exposureColumns(exposures: readonly Readonly<Record<string, unknown>>[]): ExposureColumn[] {
  const keys = new Map<string, Set<string>>();
  for (const e of exposures)
    for (const k of Object.keys(e)) {
      const metric = withoutWindow(k);
      keys.set(metric, (keys.get(metric) ?? new Set()).add(k));
    }
  return [...keys].map(([metric, own]) => ({
    heading: own.size === 1 ? ([...own][0] as string) : `${metric} (last interval)`,
    value: <E>(e: Readonly<Record<string, E>>): E | undefined => {
      const k = Object.keys(e).find((x) => withoutWindow(x) === metric);
      return k === undefined ? undefined : e[k];
    },
  }));
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const predicted = (p: Predicted) => ({ mode: num(p.mode), median: num(p.median), lo: num(p.lo), hi: num(p.hi) });

function adviceJson(r: AdviceOut): Record<string, unknown> {
  const c = r.clock;
  return {
    id: r.id,
    from: r.from,
    from_clock: clockText(r.from, c),
    start: r.start,
    state: predicted(r.state),
    parameters: r.parameters,
    // hold.hours and hold.level count from hold.from: --earliest when it is after --from
    hold: r.hold ? { from: r.start, from_clock: clockText(r.start, c), hours: r.hold.hours, exact: r.hold.exact, below: r.hold.below, basis: r.holdBasis ?? null, level: r.hold.level, peak: r.hold.peak ?? null, until: r.nextTime, until_clock: clockText(advisedTime(r.nextTime, c), c) } : null,
    // a charted infusion running at --from (or --earliest): the next dose waits for its end
    running_infusion: r.running ? { ...r.running, end_clock: clockText(r.running.end, c) } : null,
    next_time: r.nextTime,
    next_clock: clockText(advisedTime(r.nextTime, c), c),
    recommendation: r.ranked[0] ? candidateJson(r.ranked[0], c) : null,
    // false with W_LOW_PTA: the recommendation is the best of poor options, not advice
    likely: r.ranked[0] !== undefined && lowPtaWarning(r) === undefined,
    ranked: r.ranked.map((x) => candidateJson(x, c)),
    feasible: r.feasible,
    evaluated: r.evaluated,
    // maxUnits: --doses above the largest dose of --max-units units (null when none): counted in doses, not regimens
    excluded: { ...r.excluded, maxUnits: r.unitLimited ? { count: r.unitLimited.doses.length, largest: r.unitLimited.largest, limit: r.unitLimited.maxUnits, doses: r.unitLimited.doses } : null },
    // the doses given filled the daily maximum: when the smallest dose fits under it (null otherwise)
    daily_from: r.dailyFrom ?? null,
    daily_from_clock: r.dailyFrom === undefined ? null : clockText(r.dailyFrom, c),
    draws: r.draws,
    target: r.target,
    basis: r.basis,
    ...sampleJson(r),
    notes: [rankNoiseText(r)].filter((x) => x !== undefined),
    // where --from landed (W_CHART_OFFSETS, W_FROM_LATER_DAY) too: an app reading the JSON saw none
    warnings: [...r.warnings.map((w) => ({ ...w, message: withHoldOption(w.message) })), ...(r.placements ?? []).map((m) => ({ code: m.slice(0, m.indexOf(':')), message: m.slice(m.indexOf(':') + 2) })), ...sirWarningItems(r, 'the PTAs')],
  };
}

function candidateJson(x: AdviceResult['ranked'][number], c: PatientClock | undefined): Record<string, unknown> {
  return {
    // the clocks of advised times rounded up to the whole minute (advisedTime), the hours exact
    next: { ...x.next, clock: clockText(advisedTime(x.next.time, c), c) },
    maintenance: { ...x.maintenance, start_clock: clockText(advisedTime(x.maintenance.start, c), c) },
    loading: x.loading,
    max_daily: x.maxDaily,
    pta: x.pta,
    pta_se: num(x.ptaSe),
    distance: num(x.distance),
    exposure: Object.fromEntries(Object.entries(x.exposure).map(([k, v]) => [k, predicted(v)])),
    judged_until: x.end,
    map_misses: x.mapMisses.map((m) => ({ ...m, value: num(m.value) })),
    // the maintenance dose alone at steady state, judged too (null: the model reads the time, no steady state)
    steady_state: x.steadyState
      ? { pta: x.steadyState.pta, window_pta: x.steadyState.windowPta, exposure: Object.fromEntries(Object.entries(x.steadyState.exposure).map(([k, v]) => [k, predicted(v)])), judged_until: x.steadyState.end }
      : null,
  };
}

const g = (x: number, p = 4): string => (Number.isFinite(x) ? String(Number(x.toPrecision(p))) : 'NaN');

/** The header's note of --doses the unit limit cut (W_MAX_UNITS on stderr says what to do). */
const unitsText = (u: UnitLimited | undefined): string => (u ? ` (${u.doses.length} of the --doses above ${u.largest}, the most ${u.maxUnits} units make: not evaluated)` : '');

function adviceText(r: AdviceOut): string {
  const c = r.clock;
  const warned = r.warnings.length ? ` — ${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''} (stderr)` : '';
  const skipped = r.excluded.maxDaily + r.excluded.infusionLongerThanInterval;
  let s = `ID ${r.id}: advice from ${r.now ? `now = ${when(r.from, c, r.now.zone)}` : when(r.from, c)}; target ${r.target}; ${r.evaluated} regimens × ${drawsText(r)}${skipped ? ` (${skipped} over the daily maximum or infused longer than their interval, left out)` : ''}${unitsText(r.unitLimited)}${warned}\n`;
  s += `  level at ${when(r.from, c)}: ${g(r.state.mode)} (individual prediction); posterior median ${g(r.state.median)} [90% ${g(r.state.lo, 3)}, ${g(r.state.hi, 3)}]\n`;
  const basis = r.holdBasis === 'exposure' ? HOLD_SOURCE.exposure : '';
  // with --earliest after --from the hold counts from --earliest, and its level is the one there:
  // "hold for 3 h … level 13.42" read as from --from (level 21.05), which the text never named
  const after = r.start !== r.from ? ` after the earliest time ${when(r.start, c)}` : '';
  // the next dose waits for a charted infusion still running (1750 mg was advised at 09:00 on a 2 g bag running 08:00–12:00)
  // where a longer hold decides, the bag is said all the same (it still runs at --from)
  if (r.running) {
    const waits = r.running.end >= r.nextTime ? 'the next dose starts at its end, not before' : 'the hold below lasts longer, so the next dose waits for the hold';
    s += `  the charted infusion of ${g(r.running.amount, 8)} at ${when(r.running.time, c)} (row ${r.running.row}, rate ${g(r.running.rate, 6)}/h) runs until ${when(r.running.end, c)}: ${waits}\n`;
  }
  const there = r.start !== r.from ? ` at ${c ? when(r.start, c).replace(/ \(.*\)$/, '') : `${g(r.start, 6)} h`}` : '';
  if (r.hold?.peak)
    s += `  hold the next dose for ${g(r.hold.hours, 6)} h${after}, until ${when(advisedTime(r.nextTime, c), c)}: the predicted level ${g(r.hold.level)}${there} rises to ${g(r.hold.peak.level)} at ${when(r.hold.peak.at, c)} (doses still running or being absorbed) and falls below ${g(r.hold.below)}${basis} after ${g(r.hold.exact)} h\n`;
  else if (r.hold) s += `  hold the next dose for ${g(r.hold.hours, 6)} h${after}, until ${when(advisedTime(r.nextTime, c), c)}: the predicted level ${g(r.hold.level)}${there} falls below ${g(r.hold.below)}${basis} after ${g(r.hold.exact)} h\n`;
  else if (r.holdNotFalling)
    // the level stays above the default hold level only because it returns to a level of its own
    // ("no hold: the predicted level is below 60" was said of a level of 67.1 rising to 100)
    // a level already below it (49.81 under a ceiling of 60, rising to 100) was said to "not fall below" it
    s += `  no hold: the predicted level ${g(r.holdNotFalling.level)} at ${when(r.start, c)} ${r.holdNotFalling.level < r.holdNotFalling.below ? 'is below' : 'does not fall below'} ${g(r.holdNotFalling.below)}${HOLD_SOURCE[r.holdBasis ?? 'trough']}${r.holdNotFalling.level < r.holdNotFalling.below ? ' but rises above it' : ''} without more doses (its no-drug level is ${g(r.holdNotFalling.noDrug)}; see the warning)\n`;
  else if (r.holdBelow !== undefined) s += `  no hold: the predicted level is below ${g(r.holdBelow)} at ${when(r.start, c)} and after it\n`;
  const best = r.ranked[0];
  // the doses tried were not those asked for: said where the search found nothing
  // the time the daily maximum leaves room from, on the clock, and the option that plans from it
  const earliest = r.dailyFrom === undefined ? '' : ` (--earliest ${earliestArg(r.dailyFrom, c)})`;
  if (!best) return s + `  ${infeasibleText(r, (h) => when(h, c))}${earliest}${r.merged ? ` (${mergedText(r.merged)})` : ''}\n`;
  const dose = (amount: number, duration: number): string => `${g(amount, 8)}${duration > 0 ? ` over ${g(duration, 6)} h` : ''}`;
  const low = lowPtaWarning(r);
  // the plan stays visible, but not as advice
  if (low) s += `  ${low.code}: ${withHoldOption(low.message)}\n  best of poor options (not advice) — `;
  else s += '  ';
  s += `next dose: ${dose(best.next.amount, best.next.duration)} at ${when(advisedTime(best.next.time, c), c)}${best.loading ? ' (loading dose)' : ''}\n`;
  s += `  then: ${dose(best.maintenance.amount, best.maintenance.duration)} every ${g(best.maintenance.interval, 6)} h from ${when(advisedTime(best.maintenance.start, c), c)}\n`;
  const columns = exposureColumns(r.ranked.map((x) => x.exposure));
  s += `  probability of meeting every target: ${candidatePtaText(best, r.draws)}${best.steadyState ? ' (in the judged window and at steady state)' : ''}\n`;
  s += `  ${steadyStateText(best)}\n`;
  s += `  ${'next dose'.padStart(16)} ${'maintenance'.padStart(22)} ${'PTA'.padStart(12)}  ${columns.map((col) => `${col.heading} MAP | median [90% interval]`).join('  ')}\n`;
  for (const x of r.ranked) {
    const ex = columns.map((col) => {
      const e = col.value(x.exposure);
      return e ? `${g(e.mode)} | ${g(e.median)} [${g(e.lo, 3)}, ${g(e.hi, 3)}]` : '–';
    });
    const next = `${g(x.next.amount, 8)}/${g(x.next.duration, 4)} h`;
    const maint = `${g(x.maintenance.amount, 8)}/${g(x.maintenance.duration, 4)} h q${g(x.maintenance.interval, 6)}h`;
    s += `  ${next.padStart(16)} ${maint.padStart(22)} ${candidatePtaText(x, r.draws).padStart(12)}  ${ex.join('  ')}\n`;
  }
  const noise = rankNoiseText(r);
  return noise ? `${s}  note: ${noise}\n` : s;
}

/**
 * The maintenance dose alone at steady state, as judged: a loading dose then 500 mg q24h was shown
 * at AUC24 487.9 (48–72 h) while it falls to 387.1 at steady state, below 400.
 */
function steadyStateText(x: AdviceResult['ranked'][number]): string {
  const ss = x.steadyState;
  if (!ss) return 'steady state: not judged (the model reads the time: its parameters change along the course)';
  const ex = Object.entries(ss.exposure).map(([k, e]) => `${withoutWindow(k)} ${g(e.mode)} | ${g(e.median)} [${g(e.lo, 3)}, ${g(e.hi, 3)}]`);
  return `at steady state (the maintenance dose alone, MAP | median [90% interval]): ${ex.join('; ')}; met by ${g(100 * ss.pta, 3)}% of the draws (judged window alone ${g(100 * ss.windowPta, 3)}%)`;
}

const lowPtaWarning = (r: AdviceOut): AdviceResult['warnings'][number] | undefined => r.warnings.find((w) => w.code === 'W_LOW_PTA');

/**
 * The ranked regimens whose PTA is below the best's by no more than their combined Monte Carlo SE:
 * 1.1 %, 1.0 % and 0.8 % (11, 10 and 8 of 1,000 draws) were ranked as if the order meant something.
 */
function rankNoiseText(r: AdviceOut): string | undefined {
  const best = r.ranked[0];
  if (!best) return undefined;
  const close = r.ranked.filter((x) => best.pta - x.pta <= Math.hypot(best.ptaSe, x.ptaSe));
  if (!close.some((x) => x.pta < best.pta)) return undefined;
  const hits = close.map((x) => Math.round(x.pta * r.draws).toLocaleString('en-US'));
  return (
    `the top ${close.length} PTAs (${close.map((x) => candidatePtaText(x, r.draws)).join(', ')}; ${hits.join(', ')} of ${r.draws.toLocaleString('en-US')} draws) lie within their Monte Carlo SE of each other: ` +
    'their order is noise: more --draws tell them apart, or choose among them by the exposures'
  );
}

/**
 * --sir / --no-sir and --proposals as ranking options: absent, the API's default (SIR with levels).
 * --proposals with --no-sir is refused (no proposals are drawn).
 */
export function rankingSampleArgs(o: { readonly sir?: boolean; readonly proposals?: number }): { sir?: boolean; proposals?: number } {
  if (o.proposals !== undefined && o.sir === false) throw Errors.cli(`--proposals ${o.proposals}: SIR proposals, not drawn with --no-sir (the Laplace approximation)`);
  return { ...(o.sir !== undefined ? { sir: o.sir } : {}), ...(o.proposals !== undefined ? { proposals: o.proposals } : {}) };
}

/**
 * "20000 posterior draws (SIR: ESS 90,392 of 100,000 proposals)": the approximation named. Draws
 * said to be "posterior" were those of the Laplace (normal) approximation, unnamed, and a ranking
 * on them can reverse two regimens (src/design/optimize/optimize.ts, RankingOptions.sir).
 */
export function drawsText(r: { readonly draws: number; readonly basis: 'posterior' | 'prior' } & RankingSample): string {
  const n = r.draws.toLocaleString('en-US');
  if (r.posterior === 'sir') return `${n} posterior draws (SIR: ESS ${Math.round(r.ess ?? 0).toLocaleString('en-US')} of ${(r.proposals ?? 0).toLocaleString('en-US')} proposals)`;
  if (r.posterior === 'laplace') return `${n} posterior draws (Laplace approximation)`;
  return `${n} ${r.basis} draws`;
}

/** The approximation of a ranking's draws for --json: posterior "sir" | "laplace" | null (prior draws), SIR's diagnostics. */
export function sampleJson(r: RankingSample): Record<string, unknown> {
  return { posterior: r.posterior, ...(r.posterior === 'sir' ? { proposals: r.proposals ?? null, ess: num(r.ess ?? NaN), pareto_k: num(r.paretoK ?? NaN) } : {}) };
}

/**
 * On stderr: SIR weights too uneven for the resampled draws to stand for the posterior (Pareto k̂
 * above 0.7, or ESS below 10 % of the proposals and below the draws: the PTAs may be off; more proposals help, the
 * proposal's tails being the posterior's at least), and --sir or --proposals given for a patient
 * without levels (prior draws, exact: not used).
 */
export function warnSample(file: string, id: number, r: { readonly basis: 'posterior' | 'prior'; readonly draws: number } & RankingSample, o: { readonly sir?: boolean; readonly proposals?: number }): void {
  for (const w of sirWarnings(r, 'the PTAs')) process.stderr.write(`dosewise: warning: ${file}, ID ${id}: ${w}\n`);
  if (r.basis === 'prior' && (o.sir === true || o.proposals !== undefined))
    process.stderr.write(`dosewise: note: ${file}, ID ${id}: no levels: the draws are the prior's (exact), ${o.proposals !== undefined ? '--proposals' : '--sir'} not used\n`);
}
