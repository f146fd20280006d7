// Exposure metrics, defined here only. A metric is data (MetricSpec: kernel type, window rule,
// threshold, fu, kd); its string form (`auc24`, `fu=0.1/tabove:2:0:24`) is read by parseMetricSpec
// and written by metricName (the column name), and metricDef resolves the window rule against the
// regimen (its last observation time and dosing interval) into what the kernel computes (MetricDef).
// Targets, forecasts and the design tools build their metrics through these, never by string.
// A new metric: its grammar here; a new kernel type also needs its code in scripts/gen-abi.mjs.
// Window rule (kernel: assembly/metrics.ts; profile: metric-grid.ts): a window [T0, T1] takes the
// concentration after a dose at T0 and before a dose at T1; a point value at a dose time is the
// pre-dose value.

import { METRIC_CODE } from '../abi.js';
import { Errors } from '../errors.js';
import type { MetricArrays } from '../engine/wasm.js';
import { STANDARD_COLUMNS, fixedRateDuration, givenAddl, isDose, keptDuration, type DataRecord } from '../regimen/record.js';
import { isNumberCell } from '../regimen/nmtran.js';
import { shapeOf } from '../option-keys.js';
import { recordPlace } from '../regimen/file.js';
import type { Evaluation, Model } from '../model/model.js';
import { chartSpacing, DRIFT_SHARE, SAME_GAP_HOURS, type ChartSpacing } from './chart-spacing.js';

export type MetricType = 'auc' | 'cmax' | 'cmin' | 'cavg' | 'timeabove' | 'fracin' | 'value' | 'tmax' | 'trough';

const KERNEL_TYPE: Readonly<Record<MetricType, number>> = METRIC_CODE;

export interface MetricDef {
  /** Column name in outputs. */
  readonly name: string;
  readonly type: MetricType;
  readonly t0: number;
  readonly t1: number;
  /** Threshold (timeabove) or window low (fracin). */
  readonly lo?: number;
  readonly hi?: number;
  /** Unbound fraction: the metric is computed on fu·C. */
  readonly fu?: number;
  /** Dissociation constant: the metric is computed on receptor occupancy fu·C/(KD + fu·C). */
  readonly kd?: number;
  /**
   * A daily AUC from one interval (auc24 at q36h, or after an SS = 1 reset): 24/τ, carried in `fu`
   * for the kernel; `unbound` is then the fu the user gave, if any. Outputs show these two, not the
   * product (summary.json printed "fu": 3 for an auc24 without any fu).
   */
  readonly scale?: number;
  readonly unbound?: number;
}

export interface RegimenTimes {
  /** Last time of the sampled profile. */
  readonly end: number;
  /** Dosing interval of the last doses (0 if single dose); after an SS record they continue, its II. */
  readonly tau: number;
  /** Time of the last dose. */
  readonly lastDose: number;
  /**
   * Time of the steady-state dose record (SS = 1) that began the last run of doses, where it lies
   * inside the 24 h that end with the last interval (absent elsewhere, where it changes nothing): it
   * resets the course and stands for an infinite history of its regimen, so the profile before it is
   * the replaced course's (or nothing), not that steady state (dailyAucWindow).
   */
  readonly ssStart?: number;
  /**
   * Time of such a steady-state record when the doses after it, up to the end of the last interval,
   * do not continue its regimen (another amount, rate, duration, compartment or interval, a dose left
   * out or doubled; doses of its own without II continue it as its ADDL copies do): neither the 24 h
   * of the profile nor AUCτ·24/τ is the daily AUC there (300 mg after 100 mg q8h SS read 157.6 as
   * 3·AUCτ for 102.5), so auc24 is refused, with or without a dosing interval. So too where the 24 h
   * start at or after the record and hold its steady state up to a change inside them (the next dose
   * of 1000 mg q12h SS at 0 h 2 h late, on 0–26 h: neither 400 nor a daily AUC of what follows); a
   * change before the 24 h start leaves them the profile's hours of what follows.
   */
  readonly ssChanged?: number;
  /**
   * The steady-state constant infusion (SS = 1 or 2; AMT 0, RATE > 0, II 0) inside the daily AUC's
   * 24 h: the one the last doses run from, or the last other one there (SS = 2 on EVID 1 adds to the
   * course and resets nothing, yet stands for the same infusion up to its record). It stands for an
   * infusion at RATE that has run forever up to its record and stops there, as in NONMEM: the hours
   * before it are that infusion's steady-state level, which the profile does not hold (it holds the
   * course the record replaced, or nothing), and no dosing interval scales to 24 h, so auc24 is
   * refused naming it (it read the profile's last 24 h: 19.285 for 49.285 after RATE 10 at 12 h, CL 4).
   */
  readonly ssInfusion?: { readonly time: number; readonly rate: number; readonly cmt: number; readonly ss: number; readonly evid: number };
  /**
   * The last dose, where it is an infusion still running when the next dose would be due by the
   * spacing of the doses before it (no II of its own): a load, then one long infusion, the usual way
   * to write a continuous infusion (meropenem 2 g over 0.5 h, then 18 g at 250 mg/h for 72 h). It has
   * no dosing interval (tau 0): the 0.5-h gap read as τ judged a "trough" at 1 h and an auc24 of
   * AUC(0.5–1)·48. The metrics of the last interval are refused naming it (continuousRefusal), and
   * auc24 is the profile's last 24 h, as without an interval. `spacing` is the gap before it, regular
   * or not (a load, 24 h at 250 mg/h, then 125 mg/h: the same infusion as without the load); `place`
   * its record's (`doses.1`, `row 3`); `rate` its RATE. A modelled duration or rate (RATE −2, −1) is
   * the typical subject's (ModelledDuration); where that could not be evaluated after regularly
   * spaced doses, `duration` is NaN and `unknown` says why: whether the spacing is an interval is then
   * not known, and the interval metrics and auc24 are refused. So too an infusion that continues
   * the one before it at another rate (a step-down whose last part is shorter than the gap before
   * it): `joins` names the record of the one it continues.
   */
  readonly continuous?: {
    readonly time: number;
    readonly amt: number;
    readonly duration: number;
    readonly spacing: number;
    readonly place: string;
    readonly rate: number;
    readonly unknown?: string;
    /**
     * No dose before it (spacing 0): it is continuous because it runs up to the profile's end or
     * past it (18 g over 72 h from 0 h, observed 0–48 h), not because it outlasts a spacing.
     */
    readonly alone?: true;
    readonly joins?: string;
    /** Where `joins` is given: the time the infusion it continues ends (at `time`, within 1 % of the gap). */
    readonly joinsEnd?: number;
    /**
     * A dose given while this infusion runs on past it (a bolus at 30 h into 250 mg/h over 72 h):
     * an extra dose within the continuous infusion, its time and record's place (the first such).
     */
    readonly extra?: { readonly time: number; readonly place: string };
  };
  /**
   * The time of the last dose before the profile's end whose interval the profile stops inside
   * (end < its time + τ), where an earlier interval is the last one held whole: a q6h grid by
   * 0.35 h ends at 23.8 h, and the 18-h dose's interval gave way to 12–18 h (PTA 34.0 % for 36.5 %
   * without a word). The metrics of the last interval are judged on that earlier one and warned of
   * (earlierIntervalWarning). A grid ending at a dose time cuts nothing: its interval is the one
   * before that dose, whose trough is the level drawn before it. Each interval is its dose's own: up
   * to the next dose, or its II where that comes first, so a change of interval (q24h, then q12h
   * from 48 h, on 0–56 h) judges the 24-h dose on 24–48 h, not on 24–36 h by the q12h dose's II.
   */
  readonly cutDose?: number;
  /** The end of cutDose's own interval (its time + its τ), which the profile does not reach. */
  readonly cutDue?: number;
  /**
   * Where the last interval of doses without II runs past the profile's end and is still the one read,
   * up to the end (lastInterval): `due` its end. By at most a minute (SAME_GAP_HOURS: a chart's
   * seconds; q12h with the 36-h dose held and the last at 48:00:10 fell back to 24–48 h across the
   * hold, trough 0.000399 for 0.1610), or, further, where the interval before it spans a held dose
   * (`held`, from `before`): no interval of the regimen to fall back to, said (earlierIntervalWarning).
   */
  readonly short?: { readonly due: number; readonly held?: readonly number[]; readonly before?: number };
  /**
   * A reading of the last interval that the records do not state, warned of (judgedDoseWarning):
   * `W_IRREGULAR_DOSE`, a last dose without II off the regular spacing of the doses before it, which
   * starts an interval of that spacing (1000 mg q24h at 0, 24, 48 h, then 71 h: 71–95 h, as with
   * ii 24; it had no interval, auc24 78.69 on 72–96 h for 100.0); `W_EXTRA_DOSE`, a dose inside the
   * last interval judged part of its dose, not the start of an interval (250 mg 4 h into q12h
   * 1000 mg, at most half of it; a bolus while the interval's infusion runs): it was judged on
   * 64–72 h, auctau 41.82 for 124.5. `time`: the dose's, `place` its record's, `text` what was judged.
   */
  readonly judged?: { readonly code: 'W_IRREGULAR_DOSE' | 'W_EXTRA_DOSE'; readonly time: number; readonly place: string; readonly text: string };
  /**
   * Where `judged` is W_IRREGULAR_DOSE: the interval starts of the regimen whose spacing τ is, up to
   * the last dose, so that pta's per 24 h counts the last 24/τ doses given, not the last 24 h of the
   * grid (1000 mg at 0, 12, 24, 36 and 60 h, the 48-h dose held, read 1000 per 24 h for 2000).
   */
  readonly spacedStarts?: readonly number[];
  /**
   * The last dose, where its record states an II but no ADDL and no SS, no dose follows it, and the
   * profile runs on past its interval's end by more than a grid step: as in NONMEM the II repeats
   * nothing there, so it starts no interval of its own (800 mg ii 8 at 0 h on 0–24 h read "q8h",
   * auc24 3·AUC(0–8) = 324.6 for the 115.4 of the one dose given). The times are read as without
   * that II, and the reading is warned (judgedDoseWarning: W_II_NOT_REPEATED). `place`: its record's.
   */
  readonly unrepeated?: { readonly time: number; readonly place: string; readonly ii: number };
}

/**
 * How long a dose record with a modelled rate or duration (RATE −1, −2) infuses: a number of hours,
 * or why it is not known (a string). `records`: the list r is in, whose earlier records of its
 * subject give the items r lacks. typicalDuration(model) gives the typical subject's.
 */
export type ModelledDuration = (r: DataRecord, records?: readonly DataRecord[]) => number | string;

/**
 * Where a metric's window lies, as a rule resolved against the regimen's times:
 * `last24` the daily AUC's window (dailyAucWindow), `interval` the last dosing interval, `profile` the whole
 * profile [0, end], `span` an explicit [t0, t1], `point` one time (the value before a dose there).
 */
export type MetricWindow =
  | 'last24'
  | 'interval'
  | 'profile'
  | { readonly span: readonly [t0: number, t1: number] }
  | { readonly at: number };

/** A metric as data: what the string grammar (parseMetricSpec) reads and metricName writes. */
export interface MetricSpec {
  readonly type: Exclude<MetricType, 'fracin'>;
  readonly window: MetricWindow;
  /** Concentration threshold of `timeabove`. */
  readonly threshold?: number;
  /** Unbound fraction: the metric is computed on fu·C. */
  readonly fu?: number;
  /** Dissociation constant: the metric is computed on receptor occupancy fu·C/(KD + fu·C). */
  readonly kd?: number;
}

/** Heads of the grammar whose window is the last dosing interval or an explicit T0:T1. */
const INTERVAL_TYPES: readonly MetricType[] = ['auc', 'cmax', 'cmin', 'trough', 'cavg', 'tmax'];
const KNOWN = 'auc24, auctau, auc:T0:T1, cmax, cmin, trough, cavg, tmax, conc@T, tabove:C, with optional fu=F/ and kd=K/ prefixes';

const g10 = (x: number): number => Number(x.toPrecision(10));

function refuse(label: string, why: string): never {
  throw Errors.option('metric', `metric ${label}: ${why}`);
}

/** The one rule on the fu=F/ and kd=K/ factors (`text`: the value as written). */
function checkFactor(label: string, which: 'fu' | 'kd', v: number, text: string): void {
  if (!(v > 0) || (which === 'fu' && v > 1)) refuse(label, `${which} must be ${which === 'fu' ? 'in (0, 1]' : '> 0'} (got ${text})`);
}

function checkThreshold(label: string, c: number, text: string): void {
  if (c < 0) refuse(label, `the threshold must be ≥ 0 (got ${text})`);
}

/**
 * Reads the metric grammar:
 * - `auc24`: the daily AUC (dailyAucWindow: the last 24 h of whole dosing intervals, or AUCτ·24/τ
 *   where τ does not divide 24); `auctau`: over the last dosing interval;
 * - `cmax`, `cmin`, `cavg` (= Css,avg): over the last dosing interval;
 * - `trough`: the pre-dose value at the end of the last dosing interval (left limit at T1), whereas
 *   `cmin` is the minimum over the window (after a dose at T0, before a dose at T1): they differ
 *   when the minimum is not at the end of the interval (absorption, a lag, a window cut short);
 * - `auc:T0:T1`, `cmax:T0:T1`, `cmin:T0:T1`, `cavg:T0:T1`, `trough:T0:T1` (the value before a dose at T1): explicit window;
 * - `conc@T`: the value at time T (before a dose at T); `tabove:C` / `tabove:C:T0:T1`: time above C;
 * - prefixes `fu=0.1/` (unbound) and `kd=2/` (occupancy), e.g. `fu=0.1/kd=2/cmin` (occupancy at trough).
 */
export function parseMetricSpec(spec: string): MetricSpec {
  let s = spec.trim();
  let fu: number | undefined;
  let kd: number | undefined;
  for (;;) {
    const m = /^(fu|kd)=([0-9.eE+-]+%?)\//i.exec(s);
    if (!m) break;
    const which = (m[1] as string).toLowerCase() as 'fu' | 'kd';
    // each prefix once: fu=0.5/fu=0.25/cmax ran as fu=0.25 under the name as written
    if ((which === 'fu' ? fu : kd) !== undefined) refuse(spec, `${which}= is given twice: give one`);
    // fu as a percentage too (fu=50%/ is 0.5, as a target's is); a KD is a concentration
    const pct = which === 'fu' && (m[2] as string).endsWith('%');
    const body = pct ? (m[2] as string).slice(0, -1) : (m[2] as string);
    const v = isNumberCell(body) ? Number(body) / (pct ? 100 : 1) : NaN;
    checkFactor(spec, which, v, m[2] as string);
    if (which === 'fu') fu = v;
    else kd = v;
    s = s.slice(m[0].length);
  }
  // a decimal number as written: Number() read "" (tabove:) as 0 and "0x30" as 48
  const num = (x: string | undefined, what: string): number => {
    const v = x !== undefined && isNumberCell(x.trim()) ? Number(x) : NaN;
    if (x === undefined || !Number.isFinite(v)) refuse(spec, `${what} must be a decimal number (got ${x === undefined || x.trim() === '' ? 'nothing' : x})`);
    return v;
  };
  const factors = { fu, kd };
  // case as the other names (CONC@5 was refused while AUC24 and Cmax were read)
  const at = /^conc@(.+)$/i.exec(s);
  const parts = s.split(':');
  const head = (parts[0] as string).toLowerCase();
  if (at) return { type: 'value', window: { at: num(at[1], 'time') }, ...factors };
  if (head === 'auc24' && parts.length === 1) return { type: 'auc', window: 'last24', ...factors };
  if (head === 'auctau' && parts.length === 1) return { type: 'auc', window: 'interval', ...factors };
  if (head === 'tabove') {
    const c = num(parts[1], 'threshold');
    checkThreshold(spec, c, parts[1] as string);
    // tabove:C (the whole profile) or tabove:C:T0:T1: a lone T0, or a field beyond T1, was dropped without a word
    if (parts.length !== 2 && parts.length !== 4) refuse(spec, 'use tabove:C (the whole profile) or tabove:C:T0:T1');
    const window: MetricWindow = parts.length === 4 ? { span: [num(parts[2], 'T0'), num(parts[3], 'T1')] } : 'profile';
    return { type: 'timeabove', window, threshold: c, ...factors };
  }
  if (INTERVAL_TYPES.includes(head as MetricType)) {
    const type = head as MetricSpec['type'];
    if (parts.length === 3) return { type, window: { span: [num(parts[1], 'T0'), num(parts[2], 'T1')] }, ...factors };
    if (parts.length === 1) return { type, window: 'interval', ...factors };
    refuse(spec, `use ${head} or ${head}:T0:T1`);
  }
  refuse(spec, `unknown (known: ${KNOWN})`);
}

/** The canonical name of a metric in the grammar (its column name in outputs; parses back to it). */
export function metricName(m: MetricSpec): string {
  const prefix = `${m.fu !== undefined ? `fu=${m.fu}/` : ''}${m.kd !== undefined ? `kd=${m.kd}/` : ''}`;
  const w = m.window;
  const span = typeof w === 'object' && 'span' in w ? `${w.span[0]}:${w.span[1]}` : undefined;
  let body: string | undefined;
  if (m.type === 'value') body = typeof w === 'object' && 'at' in w ? `conc@${w.at}` : undefined;
  else if (m.type === 'timeabove') body = w === 'profile' ? `tabove:${m.threshold}` : span !== undefined ? `tabove:${m.threshold}:${span}` : undefined;
  else if (m.type === 'auc' && w === 'last24') body = 'auc24';
  else if (m.type === 'auc' && w === 'interval') body = 'auctau';
  else if (w === 'interval') body = m.type;
  else if (span !== undefined) body = `${m.type}:${span}`;
  if (body === undefined) throw Errors.option('metric', `metric ${m.type}: no window ${JSON.stringify(w)} in the grammar (known: ${KNOWN})`);
  return prefix + body;
}

/**
 * The last dosing interval of the profile: [last dose, last dose + τ] (without a dosing interval,
 * the rest of the profile). regimenTimesOf makes it the last interval the profile holds whole; it
 * is not cut at the profile's end (a profile shorter than one interval is refused by
 * checkMetricTimes), since a trough, AUC or Cmin of part of an interval is not the interval's.
 */
export function lastInterval(t: RegimenTimes): [number, number] {
  const tau = t.tau > 0 ? t.tau : t.end - t.lastDose;
  return [Math.max(0, t.lastDose), t.short !== undefined ? Math.min(t.end, t.lastDose + tau) : t.lastDose + tau];
}

/** Whether a metric's window is resolved against the last dosing interval (it, or the daily AUC's 24 h that end with it). */
export function readsLastInterval(m: MetricSpec): boolean {
  return m.window === 'interval' || m.window === 'last24';
}

/** Whether a metric or target clause (auc24, fu=0.1/auc24, auc24:400:600) reads the daily AUC's 24 h. */
function readsDailyAuc(name: string): boolean {
  return (name.trim().replace(/^(?:(?:fu|kd)=[^/]*\/)+/i, '').split(':')[0] as string).toLowerCase() === 'auc24';
}

/**
 * "trough, auc24 are judged on the interval 36–48 h`tail`" for the metrics `names` that read the
 * last interval, the daily AUC named apart where its 24 h are not that interval: W_EARLIER_INTERVAL
 * said auc24 was judged on 36–48 h of a q12h regimen whose printed auc24 is over 24–48 h.
 */
export function judgedOnText(t: RegimenTimes, names: readonly string[], tail: string, fmt: (x: number) => string | number): string {
  const [a, b] = lastInterval(t);
  let day: { t0: number; t1: number } | undefined;
  try {
    day = dailyAucWindow(t);
  } catch {
    // refused where the metric is resolved; the interval alone is said here
    day = undefined;
  }
  const apart = day !== undefined && (Math.abs(day.t0 - a) > 1e-9 * Math.max(1, Math.abs(b)) || Math.abs(day.t1 - b) > 1e-9 * Math.max(1, Math.abs(b)));
  const daily = apart ? names.filter(readsDailyAuc) : [];
  const rest = names.filter((n) => !daily.includes(n));
  const verb = (l: readonly string[]): string => (l.length === 1 ? 'is' : 'are');
  if (day === undefined || daily.length === 0) return `${names.join(', ')} ${verb(names)} judged on the interval ${fmt(a)}–${fmt(b)} h${tail}`;
  const dayText = `${fmt(day.t0)}–${fmt(day.t1)} h`;
  if (rest.length === 0) return `${daily.join(', ')} ${verb(daily)} judged on ${dayText}, the 24 h that end with the interval ${fmt(a)}–${fmt(b)} h${tail}`;
  return `${rest.join(', ')} ${verb(rest)} judged on the interval ${fmt(a)}–${fmt(b)} h${tail}, and ${daily.join(', ')} on the 24 h that end with it, ${dayText}`;
}

/**
 * W_EARLIER_INTERVAL, where the profile stops inside a dose's interval (RegimenTimes.cutDose): the
 * metrics `names`, which read the last dosing interval, are judged on an earlier one. `regimen`
 * names the file; `explicit`: the metrics take a T0:T1 window, which the user can give to mean the
 * earlier interval. Undefined where nothing is cut or no metric reads the interval.
 */
export function earlierIntervalWarning(t: RegimenTimes, regimen: string, names: readonly string[], explicit = false): string | undefined {
  if (t.short?.held !== undefined && names.length > 0) return shortIntervalWarning(t, t.short, regimen, names);
  const dose = t.cutDose;
  if (dose === undefined || names.length === 0) return undefined;
  const [a, b] = lastInterval(t);
  const due = g10(t.cutDue ?? dose + t.tau);
  return (
    `W_EARLIER_INTERVAL: ${regimen}: the observation grid ends at ${g10(t.end)} h, inside the interval of the dose at ${g10(dose)} h (${g10(dose)}–${due} h), ` +
    `so ${judgedOnText(t, names, ', the last one the profile holds whole', g10)}; ` +
    `to judge the dose at ${g10(dose)} h, observe up to ${due} h (add the time ${due} to "observe", or a grid step that ends on it)` +
    (explicit ? `; to mean ${g10(a)}–${g10(b)} h, give that window (e.g. trough:${g10(a)}:${g10(b)})` : '')
  );
}

/**
 * W_SHORT_INTERVAL, where the profile stops inside the last interval and the one before it spans a
 * held dose (RegimenTimes.short): the metrics `names` are judged on the part of the last interval
 * the profile holds, not on the held gap (24–48 h of q12h with the 36-h dose held, a "trough" 24 h
 * after a dose).
 */
function shortIntervalWarning(t: RegimenTimes, short: NonNullable<RegimenTimes['short']>, regimen: string, names: readonly string[]): string {
  const [a, b] = lastInterval(t);
  const h = (x: number): string => String(g10(x));
  const held = (short.held ?? []).map(h).join(', ');
  return (
    `W_SHORT_INTERVAL: ${regimen}: the observation grid ends at ${h(t.end)} h, inside the interval of the dose at ${h(t.lastDose)} h (${h(t.lastDose)}–${h(short.due)} h), ` +
    `and the interval before it (${h(short.before ?? a)}–${h(t.lastDose)} h) spans a held dose (none given at ${held} h), no interval of the regimen, ` +
    `so ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} judged on ${h(a)}–${h(b)} h, the part of the last interval the profile holds (${hoursText(short.due - b)} h short of it); ` +
    `to judge the whole interval, observe up to ${h(short.due)} h (add the time ${h(short.due)} to "observe", or a grid step that ends on it)`
  );
}

/**
 * W_DOSE_IN_INFUSION, where a dose is given while the last infusion runs on past it
 * (RegimenTimes.continuous.extra): it starts no interval, and the metrics `names` of the last
 * interval are judged as the continuous infusion's. Undefined where there is none or no metric reads it.
 */
export function extraDoseWarning(t: RegimenTimes, regimen: string, names: readonly string[]): string | undefined {
  const c = t.continuous;
  if (c?.extra === undefined || names.length === 0) return undefined;
  return (
    `W_DOSE_IN_INFUSION: ${regimen}: the dose at ${hoursText(c.extra.time)} h (${c.extra.place}) is given while the infusion of ${c.place} (AMT ${g10(c.amt)} from ${hoursText(c.time)} h, ${hoursText(c.duration)} h) runs, ` +
    `so it is an extra dose within that continuous infusion, not the start of a dosing interval: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} judged as the continuous infusion's (auc24 the profile's last 24 h; no trough, AUCτ, Cavg or Cmax of an interval); ` +
    'to judge the dose on its own, give a window (auc:T0:T1, cavg:T0:T1) or the regimen with II'
  );
}

/**
 * W_IRREGULAR_DOSE or W_EXTRA_DOSE, where the last interval was read with a judgement the records do
 * not state (RegimenTimes.judged): names the dose, its record and the interval the metrics `names`
 * are judged on. Undefined where there is none or no metric reads the interval.
 */
export function judgedDoseWarning(t: RegimenTimes, regimen: string, names: readonly string[]): string | undefined {
  if (t.unrepeated !== undefined) return unrepeatedWarning(t, t.unrepeated, regimen, names);
  return judgedWarning(t, regimen, names);
}

function judgedWarning(t: RegimenTimes, regimen: string, names: readonly string[]): string | undefined {
  const j = t.judged;
  if (j === undefined) return unspacedWarning(t, regimen, names);
  if (names.length === 0) return undefined;
  const [a, b] = lastInterval(t);
  return (
    `${j.code}: ${regimen}: ${j.text}, so ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} judged on the interval ${hoursText(a)}–${hoursText(b)} h; ` +
    (j.code === 'W_IRREGULAR_DOSE'
      ? `to say so, give the doses with ii (here ii ${hoursText(t.tau)}); to judge other hours, give windows of your own (auc:T0:T1, trough:T0:T1)`
      : `to judge the dose at ${hoursText(j.time)} h on its own, give a window (auc:${hoursText(j.time)}:${hoursText(b)}, cavg:${hoursText(j.time)}:${hoursText(b)})`)
  );
}

/**
 * W_II_NOT_REPEATED (RegimenTimes.unrepeated): the last dose's II repeats nothing, so the metrics
 * `names` are read as without it; says how, and any other judgement of the times after it.
 */
function unrepeatedWarning(t: RegimenTimes, u: NonNullable<RegimenTimes['unrepeated']>, regimen: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const h = hoursText;
  const [a, b] = lastInterval(t);
  const daily = t.tau > 0 ? undefined : dailyAucRefusal(t) === undefined ? dailyAucWindow(t) : undefined;
  const were = `not a q${h(u.ii)}h interval ${h(u.time)}–${h(u.time + u.ii)} h, auc24 AUC(${h(u.time)}–${h(u.time + u.ii)})·${g10(24 / u.ii)}`;
  const reading =
    t.tau > 0
      ? `as without that II: the last interval is ${h(a)}–${h(b)} h, by the spacing of the doses before it`
      : `as the single dose it is, without a dosing interval: auc24 the profile's last 24 h${daily === undefined ? '' : ` (${h(daily.t0)}–${h(daily.t1)} h)`}, the last interval the rest of the profile (${h(a)}–${h(b)} h)`;
  const other = judgedWarning(t, regimen, names);
  return (
    `W_II_NOT_REPEATED: ${regimen}: the dose at ${h(u.time)} h (${u.place}) states ii ${h(u.ii)} but no addl or ss, and no dose follows it: it is given once (an II repeats nothing without ADDL or SS), and the profile runs on to ${h(t.end)} h with no dose; ` +
    `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} read ${reading} (${were}); to mean doses every ${h(u.ii)} h, give addl (the number of repeats) or ss` +
    (other === undefined ? '' : `. Also ${other}`)
  );
}

/** Hours as a forecast prints them: to 2 decimals (75.83, not 75.83333333333333), as the browser tool's fmtHours. */
export const hoursText = (h: number): string => String(Number(h.toFixed(2)));

/** A time or gap that 2 decimals would round to another (a dose 1 s late read "at 24 h … 0 h late", gaps "24, 24, 24"): 4 decimals there. */
const driftTimeText = (h: number): string => (Math.abs(h - Number(h.toFixed(2))) > 1e-9 ? String(Number(h.toFixed(4))) : hoursText(h));

/** How far a dose is off its place: hours, or minutes and seconds under a quarter hour. */
function offText(by: number): string {
  if (by >= 0.25) return `${hoursText(by)} h`;
  const s = Math.round(by * 3600);
  return s < 60 ? `${s} s` : `${Number((s / 60).toFixed(1))} min`;
}

/**
 * A metric's window as printed (h): `T0–T1`, `T` for a point, with `×k` for a daily AUC scaled from
 * one interval; `hours` writes each time (default 10 significant digits).
 */
export function windowText(d: Pick<MetricDef, 't0' | 't1' | 'scale'>, hours: (h: number) => string = (h) => String(g10(h))): string {
  const w = d.t0 === d.t1 ? hours(d.t0) : `${hours(d.t0)}–${hours(d.t1)}`;
  return d.scale !== undefined ? `${w}×${g10(d.scale)}` : w;
}

/**
 * Why the regimen has no daily AUC that auc24 could compute (undefined where it has one): its 24 h
 * would start before a steady-state constant infusion (RegimenTimes.ssInfusion), or before an SS = 1
 * record whose regimen the doses after it change, or hold that record's steady state and the change
 * (RegimenTimes.ssChanged). dailyAucWindow refuses with it; a caller whose auc24 is only a default
 * can leave it out instead.
 */
export function dailyAucRefusal(t: RegimenTimes): string | undefined {
  // a modelled infusion of unknown length: its 24 h are those of whole intervals or the profile's
  // last, as the spacing is an interval or not
  if (t.continuous?.unknown !== undefined) return continuousRefusal(t);
  const inf = t.ssInfusion;
  if (inf !== undefined) {
    // the hours before the record are the infusion's steady-state level (C = RATE/CL in a linear
    // model), the profile's hours there the replaced course or nothing: RATE 10 at 12 h on 0–24 h,
    // CL 4, read 19.285 (the decay after the record only) for 12·2.5 + 19.285 = 49.285. The record
    // stops its infusion, so neither the profile nor AUC × 24/span is the daily AUC: refused until
    // the kernel counts those hours (the level just after the record, times their number)
    const b = t.tau > 0 ? lastInterval(t)[1] : t.end;
    const h = g10(inf.time - (b - 24));
    const rec = `${inf.evid === 4 ? 'EVID 4, ' : ''}SS ${inf.ss}, AMT 0, RATE ${inf.rate}, II 0${inf.cmt > 0 ? `, CMT ${inf.cmt}` : ''}`;
    return `its 24 h (${g10(b - 24)}–${g10(b)} h) start ${h} h before the steady-state constant infusion at ${g10(inf.time)} h (${rec}), which stands for that infusion run forever up to its record: the profile before the record is what came before it (or nothing), without that infusion's steady state, and a daily AUC counting those hours is not computed yet; give auc:${g10(inf.time)}:${g10(b)} (the AUC after the record), or a profile whose last 24 h start at or after ${g10(inf.time)} h`;
  }
  if (t.ssChanged === undefined) return undefined;
  // without a dosing interval (doses after the record off its grid: 100 mg q8h SS at 24 h, 300 mg
  // at 32 h) the 24 h are the profile's last; they were taken so, 89.22 over 16–40 h, unrefused
  const b = t.tau > 0 ? lastInterval(t)[1] : t.end;
  // 300 mg after 100 mg q8h SS at 16 h read 157.6 (3·AUCτ) for 102.5
  if (t.ssChanged - (b - 24) > 1e-9 * Math.max(1, Math.abs(b)))
    return `its 24 h (${g10(b - 24)}–${g10(b)} h) start before the steady-state (SS = 1) record at ${g10(t.ssChanged)} h, and the doses after it change its regimen: the hours before the record are no steady state of what follows, and AUCτ·24/τ no daily AUC; give auc:T0:T1 or auctau`;
  // the 24 h start at or after the record, and its regimen changes inside them (regimenTimesOf sets
  // ssChanged so only then): 1000 mg q12h SS at 0 h, the next 2 h late, read 369.64 on 0–26 h
  return `its 24 h (${g10(b - 24)}–${g10(b)} h) start at or after the steady-state (SS = 1) record at ${g10(t.ssChanged)} h, and the doses after it change its regimen inside them (a dose late, left out, doubled or changed): those hours hold neither its steady state's daily AUC nor one of what follows; give auc:${g10(b - 24)}:${g10(b)} (the AUC of those hours as given) or auctau`;
}

/**
 * Why a continuous infusion (RegimenTimes.continuous) has no last dosing interval for a metric to
 * read (undefined where the regimen is none): the spacing before it is no interval, and a window of
 * the rest of the profile would be no trough, AUCτ or Cavg either (the load's decline and the
 * infusion's course in one). metricDef refuses with it; a caller whose interval metrics are only
 * defaults can leave them out instead.
 */
export function continuousRefusal(t: RegimenTimes, decimals?: number, grammar: 'metric' | 'target' = 'metric'): string | undefined {
  const c = t.continuous;
  if (c === undefined) return undefined;
  // hours as the caller prints them: a forecast's to 2 decimals (cavg:49.81471139:73.81471139 beside
  // windows printed 49.81–73.81), its example window rounded inward so that it stays on the profile
  const h = (x: number, round: (y: number) => number = Math.round): string => (decimals === undefined ? String(g10(x)) : String(round(g10(x * 10 ** decimals)) / 10 ** decimals));
  const dose = `the last dose (${c.place}: AMT ${g10(c.amt)} at ${h(c.time)} h${c.rate < 0 ? `, RATE ${c.rate}` : ''})`;
  // an example window: the infusion's last 24 h on the profile (where its end is not known, the profile's)
  const t1 = Number.isNaN(c.duration) ? t.end : Math.min(t.end, c.time + c.duration);
  const window = `a window metric (conc@T, cavg:T0:T1, auc:T0:T1, tabove:MIC:T0:T1, e.g. cavg:${h(Math.max(c.time, t1 - 24), Math.ceil)}:${h(t1, Math.floor)})`;
  // a target (pta, banding) takes no window of hours: cavg:48:72 there is a Cavg of 48–72 mg/L
  const noWindow = 'targets take no window of hours of their own (tabove:MIC:T0:T1 and cavg:T0:T1 are metrics of population and forecast, not targets)';
  // no II from the spacing: after a load it is the load's lead (ii 0.5 made 18 g over 72 h q0.5h dosing)
  if (c.unknown !== undefined)
    return (
      `${dose} has its infusion's ${c.rate === -1 ? 'rate' : 'duration'} from the model, not known here (${c.unknown}): whether it still runs when the next dose would be due by the ${h(c.spacing)}-h spacing of the doses before it, ` +
      `and so whether that spacing is a dosing interval, is not known, and no trough, AUCτ, Cavg, Cmax, time above MIC or daily AUC is taken on a guess; give doses that repeat with their II (ii: the hours between them, not a load's lead) or the infusion with RATE > 0` +
      (grammar === 'target' ? `; ${noWindow}` : `, or ${window}`)
    );
  const why =
    c.joins !== undefined
      ? `is an infusion of ${h(c.duration)} h that continues the infusion before it (${c.joins}, running up to ${h(c.joinsEnd ?? c.time)} h) at another rate or length`
      : c.extra !== undefined && c.spacing === 0
        ? `is an infusion of ${h(c.duration)} h`
        : c.alone === true
          ? `is an infusion of ${h(c.duration)} h with no dose before it, ${c.time + c.duration - t.end > 1e-9 * Math.max(1, Math.abs(t.end)) ? 'still running at' : 'running up to'} the profile's end (${h(t.end)} h)`
          : `is an infusion of ${h(c.duration)} h, still running when the next dose would be due by the ${h(c.spacing)}-h spacing of the doses before it`;
  // a dose given while it runs is an extra dose within it (extraDoseWarning), no interval's start
  const extra = c.extra === undefined ? '' : `, running past the dose at ${h(c.extra.time)} h (${c.extra.place}), an extra dose within it`;
  return (
    `${dose} ${why}${extra}: a continuous infusion, without a dosing interval to take a trough, AUCτ, Cavg, Cmax or time above MIC of; give the regimen with II (e.g. dur 24, ii 24, addl N for a 24-h rate), in a CSV regimen (which takes no duration) RATE = AMT/24 with II 24 and ADDL N, ` +
    (grammar === 'target' ? `or the target auc24 alone (the profile's last 24 h); ${noWindow}` : `or ${window}, or auc24 (the profile's last 24 h)`)
  );
}

/**
 * `auc24` is the daily AUC, as the nomogram and the clinical targets mean it: the last 24 h of
 * whole dosing intervals where τ divides 24 (q6h, q8h, q12h, q24h: the 24/τ intervals that end
 * with the last whole one); elsewhere (q18h, q36h, q48h) the last interval's AUC × 24/τ, since the
 * last 24 h of the profile would hold part of an interval (of a q48h dose at steady state, the
 * 24–48 h half: 17 % of the daily AUC instead of 100 %), and so where the profile holds less than
 * 24 h up to the end of its last whole interval, or where those 24 h would start before the SS = 1
 * record the last doses run from (RegimenTimes.ssStart: before it lies the course it replaced, not
 * the steady state it stands for; SS = 2 resets nothing and changes nothing here); without a dosing
 * interval, the last 24 h of the profile. Refused (dailyAucRefusal) where those 24 h would start
 * before a steady-state constant infusion, or before an SS = 1 record whose regimen the doses after
 * it change, or would hold that record's steady state and the change. Returns the window and the
 * factor on the AUC (1 where the window is 24 h).
 */
export function dailyAucWindow(t: RegimenTimes): { t0: number; t1: number; scale: number } {
  const why = dailyAucRefusal(t);
  if (why !== undefined) refuse('auc24', why);
  if (!(t.tau > 0)) return { t0: t.end - 24, t1: t.end, scale: 1 };
  const [a, b] = lastInterval(t);
  const k = 24 / t.tau;
  // the 24 h would reach back before the SS = 1 record the last doses run from: the hours before it
  // are the replaced course's tail (or nothing), not the steady state the record stands for. A
  // forecast of 160 mg q8h SS = 1 at 24 h after a q8h history read 8–32 h, 35.93 for 96, and a
  // q12h SS = 1 dose at 12 h on a 0–24 h grid 249.99 for 500
  const reset = t.ssStart !== undefined && t.ssStart - (b - 24) > 1e-9 * Math.max(1, Math.abs(b));
  // τ within a minute of a divisor of 24 h divides it, as charted: a dose of 1000/500 mg q6h charted
  // 5 s early gave the interval 17.9986–24 h, τ 6.0014, and auc24 read one 500-mg interval × 3.999
  // (209.46) for the 24 h's 297.26
  const n = Math.round(k);
  if (Math.abs(k - n) <= 1e-9 * k && b - 24 >= -1e-9 * Math.max(1, Math.abs(b)) && !reset) return { t0: Math.max(0, b - 24), t1: b, scale: 1 };
  // within a minute but not exact: the n whole intervals ending at b, scaled to 24 h; b − 24 cut a
  // q24h dose charted 30 s late (48–72.0083 h) after the 48-h bolus, 99.584 for 100
  // (from the first dose where they reach a moment before it: nothing was given before time 0)
  if (n >= 1 && Math.abs(t.tau - 24 / n) <= SAME_GAP_HOURS && b - n * t.tau >= -n * SAME_GAP_HOURS && !reset) {
    const t0 = Math.max(0, b - n * t.tau);
    return { t0, t1: b, scale: 24 / (b - t0) };
  }
  // τ not dividing 24, fewer than 24 h before the interval's end (one SS=1 dose of a q8h regimen),
  // or an SS = 1 reset inside the 24 h: the last interval at steady state is AUCτ, and × 24/τ its daily AUC
  return { t0: a, t1: b, scale: k };
}

function windowTimes(w: MetricWindow, t: RegimenTimes): readonly [number, number] {
  if (w === 'last24') {
    const d = dailyAucWindow(t);
    return [d.t0, d.t1];
  }
  if (w === 'interval') return lastInterval(t);
  if (w === 'profile') return [0, t.end];
  return 'span' in w ? w.span : [w.at, w.at];
}

/**
 * A metric resolved against the regimen's times: its kernel type, window and thresholds, named
 * `name` (default: its canonical name). `label` names it in errors (default: the name).
 */
export function metricDef(m: MetricSpec, t: RegimenTimes, name = metricName(m), label = name): MetricDef {
  if (m.fu !== undefined) checkFactor(label, 'fu', m.fu, String(m.fu));
  if (m.kd !== undefined) checkFactor(label, 'kd', m.kd, String(m.kd));
  if (m.type === 'timeabove') {
    if (m.threshold === undefined || !Number.isFinite(m.threshold)) refuse(label, `threshold must be a number (got ${m.threshold ?? 'nothing'})`);
    checkThreshold(label, m.threshold, String(m.threshold));
  }
  // hours to 2 decimals, as the outputs print them (72.08333333 h for a bag hung at 72 h 5 min)
  const continuous = m.window === 'interval' ? continuousRefusal(t, 2) : undefined;
  if (continuous !== undefined) refuse(label, continuous);
  const [t0, t1] = windowTimes(m.window, t).map((x) => onProfile(x, t.end)) as [number, number];
  // the profile's last 24 h, where it holds none, said so ("window [-7.5, 16.5] starts before time 0")
  if (m.window === 'last24' && t0 < 0)
    refuse(label, `the profile ends at ${hoursText(t.end)} h, before 24 h (shorter than a daily AUC's 24 h), and has no dosing interval to scale an AUC by 24/τ: observe at least 24 h, or give auc:0:${Math.floor(t.end * 100) / 100} (the AUC of the profile)`);
  const def: Omit<MetricDef, 'name'> = m.type === 'timeabove' ? { type: m.type, t0, t1, lo: m.threshold } : { type: m.type, t0, t1 };
  checkMetricTimes(label, def, t.end);
  // a daily AUC from one interval of τ ≠ 24/k: × 24/τ, carried by the kernel's concentration factor
  // (the AUC is linear in it; an occupancy AUC is not)
  const scale = m.window === 'last24' ? dailyAucWindow(t).scale : 1;
  if (scale !== 1 && m.kd !== undefined) refuse(label, `a daily occupancy AUC needs 24 h of whole dosing intervals, and τ = ${t.tau} h does not divide 24: use auc:T0:T1 (e.g. auc:${t0}:${t1}) or auctau`);
  return { name, ...def, fu: scale !== 1 ? (m.fu ?? 1) * scale : m.fu, kd: m.kd, ...(scale !== 1 ? { scale, unbound: m.fu } : {}) };
}

/**
 * Parses a metric name against the regimen's times (parseMetricSpec, then metricDef). The column
 * keeps the name as written (trimmed), so a user's own spelling names it.
 */
export function parseMetric(spec: string, t: RegimenTimes): MetricDef {
  // parseMetric('auc24') without the times failed as a raw TypeError
  if (typeof spec !== 'string') throw Errors.optionValue('metric', spec, 'parseMetric(spec, times): the metric is a name such as auc24, cmax or trough');
  const times = t as Partial<RegimenTimes> | null | undefined;
  if (typeof times !== 'object' || times === null || !Number.isFinite(times.end) || !Number.isFinite(times.tau) || !Number.isFinite(times.lastDose))
    throw Errors.optionValue('times', t, `parseMetric(${JSON.stringify(spec)}, times): the regimen's times { end, tau, lastDose } are required: regimenTimesOf(records)`, t === undefined ? 'none' : undefined);
  return metricDef(parseMetricSpec(spec), t, spec.trim(), spec);
}

/**
 * A window's end at the profile's end when it passes it by rounding alone: the last dose + τ,
 * 49.5833 + 24 + 24 = 97.58330000000001, against a grid ending at 97.5833, refused a forecast
 * ("ends after the last simulated time 97.5833", exit 2).
 */
function onProfile(x: number, end: number): number {
  return x > end && x - end <= 1e-9 * Math.max(1, Math.abs(end)) ? end : x;
}

/**
 * A metric's times must lie on the simulated profile [0, end]: a point after the last simulated
 * time or a window reaching past it would be computed on a profile that does not go there, and a
 * window with T1 ≤ T0 has nothing to compute.
 */
function checkMetricTimes(spec: string, d: Omit<MetricDef, 'name'>, end: number): void {
  const point = d.type === 'value';
  const what = point ? `time ${d.t0}` : `window [${d.t0}, ${d.t1}]`;
  if (!(d.t0 >= 0)) throw Errors.option('metric', `metric ${spec}: ${what} starts before time 0`);
  if (!point && !(d.t1 > d.t0)) throw Errors.option('metric', `metric ${spec}: ${what} is empty (T1 must be after T0)`);
  if (!(d.t1 <= end)) throw Errors.option('metric', `metric ${spec}: ${what} ${point ? 'is' : 'ends'} after the last simulated time ${end}; observe up to ${d.t1} h or choose an earlier time`);
}

/** A fraction-in-window metric over [t0, t1] (for %T in a concentration window). */
export function fracInMetric(name: string, lo: number, hi: number, t0: number, t1: number): MetricDef {
  return { name, type: 'fracin', t0, t1, lo, hi };
}

export function metricArrays(defs: readonly MetricDef[], edgeOnly?: Int32Array): MetricArrays {
  const m = defs.length;
  const a = {
    ...(edgeOnly ? { edgeOnly } : {}),
    type: new Int32Array(m),
    t0: new Float64Array(m),
    t1: new Float64Array(m),
    lo: new Float64Array(m),
    hi: new Float64Array(m),
    fu: new Float64Array(m),
    kd: new Float64Array(m),
  };
  defs.forEach((d, j) => {
    a.type[j] = KERNEL_TYPE[d.type];
    a.t0[j] = d.t0;
    a.t1[j] = d.t1;
    a.lo[j] = d.lo ?? 0;
    a.hi[j] = d.hi ?? Infinity;
    a.fu[j] = d.fu ?? 1;
    a.kd[j] = d.kd ?? 0;
  });
  return a;
}

/**
 * The dose times of the records up to `end` (ADDL copies given), in order, one per dosing event, each
 * with the largest II of the doses given then. Times within 1e-9 h·max(1, t) are one event: an ADDL
 * copy (8:01 + 12 h = 13.01666… + 12) and a record charted at 20:01 differ in the last bit, and read
 * as two doses 1.8e-15 h apart they had "no interval".
 */
export function doseTimes(records: readonly DataRecord[], end = Infinity): { t: number; ii: number }[] {
  const given: { t: number; ii: number }[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (!isDose(r)) continue;
    const copies = givenAddl(records, i);
    // without an end (the next dose after a history), only the last dosing events are read: the last
    // three of the whole list are each among the last three copies of their record, and expanding
    // every copy of an ADDL 1e9 record ran out of memory
    for (let k = end === Infinity ? Math.max(0, copies - 3) : 0; k <= copies; k++) {
      const t = r.TIME + k * r.II;
      if (t > end) break;
      given.push({ t, ii: r.II });
    }
  }
  const out: { t: number; ii: number }[] = [];
  for (const d of given.sort((a, b) => a.t - b.t)) {
    const last = out[out.length - 1];
    if (last && d.t - last.t <= 1e-9 * Math.max(1, Math.abs(d.t))) last.ii = Math.max(last.ii, d.ii);
    else out.push({ t: d.t, ii: d.ii });
  }
  return out;
}

/**
 * The timing metric names are resolved against: the profile's end (default: the last record time),
 * the last dose time up to `end` (ADDL expanded) and the dosing interval of the last doses.
 * `modelled` gives the length of an infusion whose rate or duration is the model's (RATE −1, −2;
 * typicalDuration(model)); without it such a last dose leaves the interval unknown (continuousRefusal).
 * `plan`: the time of the first dose of a plan that follows a history (a forecast's future regimen):
 * doses without II from it on, two or more, are spaced on their own, without the history's.
 */
export function regimenTimesOf(records: readonly DataRecord[], end?: number, modelled?: ModelledDuration, plan?: number): RegimenTimes {
  // called from outside without records, or with a data set's text, it failed as a TypeError
  if (!Array.isArray(records) || records.some((r) => typeof r !== 'object' || r === null || typeof (r as DataRecord).TIME !== 'number'))
    throw Errors.optionValue('records', records, 'regimenTimesOf(records, end?): records must be an array of records (readNmtran(text).records, regimen().records())', shapeOf(records));
  // Infinity is a profile without an end (a regimen's own records)
  if (end !== undefined && (typeof end !== 'number' || Number.isNaN(end))) throw Errors.optionValue('end', end, 'regimenTimesOf(records, end?): end must be a time (h)', shapeOf(end));
  if (plan !== undefined && (typeof plan !== 'number' || Number.isNaN(plan))) throw Errors.optionValue('plan', plan, 'regimenTimesOf(records, end?, modelled?, plan?): plan must be a time (h)', shapeOf(plan));
  return regimenTimesChecked(records, end ?? Math.max(...records.map((r) => r.TIME)), modelled, plan);
}

function regimenTimesChecked(records: readonly DataRecord[], end: number, modelled: ModelledDuration | undefined, plan: number | undefined): RegimenTimes {
  // the dosing events that start an interval: a bag that continues the one before it, a dose inside
  // the interval of a series that goes on, one given while an infusion runs starts none (intervalStarts)
  const { starts, extras, within } = intervalStarts(records, end, modelled);
  const doses = starts.filter((d) => d.t <= end);
  const times = doses.map((d) => d.t);
  // a dose at the profile's end starts an interval that is not sampled: the last interval is the one before it
  while (times.length > 1 && (times[times.length - 1] as number) >= end) times.pop();
  // the last dose's own II, whatever the order of the records: a top-up record (no II) after a q12h
  // order made the interval the spacing of the last doses (a "trough" 6 h after the last dose)
  let tau = times.length ? (doses[times.length - 1] as { ii: number }).ii : 0;
  // an II without ADDL or SS repeats no dose (NONMEM): where the profile runs on past its interval,
  // that dose is read as without it (800 mg ii 8 at 0 h on 0–24 h: auc24 324.6 as 3·AUC(0–8) for 115.4)
  const unrepeated = tau > 0 && Number.isFinite(end) ? unrepeatedII(records, times[times.length - 1] as number, end) : undefined;
  if (unrepeated !== undefined) tau = 0;
  let continuous: RegimenTimes['continuous'];
  let irregular: Irregular | undefined;
  let unspaced: number[] | undefined;
  let drifting: number[] | undefined;
  let twoDoses: TwoDoses | undefined;
  // doses without II that continue an SS = 1 record's regimen (its amount on its grid, written one
  // record each rather than as ADDL copies) keep its interval: 200 mg at 0 h, 100 mg q6h SS at 12 h
  // and 100 mg at 18 h read as irregular doses, τ 0, and auc24 took the profile's 0–24 h, the old
  // course's tail and two intervals, 67.95 for 0.8·100/4·24/6 = 80 (the ADDL 1 form's)
  const ssLast = !(tau > 0) && times.length ? steadyStateStart(records, times[times.length - 1] as number) : undefined;
  if (ssLast !== undefined && ssLast.II > 0 && continuesRegimen(records, ssLast, (times[times.length - 1] as number) + ssLast.II)) tau = ssLast.II;
  else if (!(tau > 0) && times.length) {
    // doses without II: their spacing is the interval only where it is regular. Doses at 0, 10 and
    // 24 h gave a "q14h" interval [24, 38] (a trough at 38 h, where no dose is) and an AUC24 of
    // AUC(24–38)·24/14; irregular doses have no interval, as a single dose has none
    // A steady-state constant infusion (SS > 0, AMT 0, RATE > 0, II 0) repeats no dose, so it spaces
    // none: a q8h SS dose at 0 h and such an infusion at 24 h made a "q24h" interval 0–24 h, and
    // auc24 read the history's 27.93 over 0–24 h, the infusion left out. Last, it leaves no interval
    // Nor does the SS = 1 record they run from: it stands for doses every II up to it, so the gap to
    // a dose off its grid is no interval (1000 mg q12h SS at 0 h, the next at 14 h: "q14h", and
    // auc24 read AUC(0–14)·24/14 = 369.64, neither the steady state's 400 nor the last 24 h's 352.83)
    const spaced: number[] = [];
    const after = (i: number): boolean => ssLast === undefined || (times[i] as number) - ssLast.TIME > 1e-9 * Math.max(1, Math.abs(times[i] as number));
    if (!constantInfusionOnly(records, doses, times.length - 1))
      for (let i = times.length - 1; i >= 0 && after(i) && spaced.length < SPACED; i--) if (!constantInfusionOnly(records, doses, i)) spaced.unshift(times[i] as number);
    // a plan's own doses are its spacing: one late dose in the history (gaps 24.67 and 24 h) left a
    // q24h future plan without an interval, its auc24 and trough read on the grid's last 24 h and end
    // (589.57 and 18.92 for 657.27 and 20.50 over its interval 75.83–99.83 h)
    const own = plan === undefined ? 0 : spaced.filter((t) => t - plan > -1e-9 * Math.max(1, Math.abs(t))).length;
    if (own >= 2) spaced.splice(0, spaced.length - own);
    const gap = (k: number): number => (spaced[spaced.length - k] as number) - (spaced[spaced.length - k - 1] as number);
    const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, a);
    // last gaps within a minute of each other but not equal are left to the chart (chartSpacing),
    // whose spacing is the one most gaps keep: the last gap of q12h with the 36-h dose 1 s late is
    // 11.9997 h, and the trough would be read a second early
    if (spaced.length === 2) tau = gap(1);
    else if (spaced.length > 2) tau = same(gap(1), gap(2)) ? gap(1) : 0;
    // a last dose off the regular spacing of the doses before it (an hour early or late) starts an
    // interval of that spacing, as with II, and is said (W_IRREGULAR_DOSE): 1000 mg at 0, 24, 48 and
    // 71 h had none, auc24 78.69 on 72–96 h for 100.0 on 71–95 h; q12h, the last at 59 h, a
    // "trough" 13 h after it (0.0979 for 0.1615 at 71 h) and 3000 per 24 h
    // Only within a quarter of the spacing and at about the regular amount (more than half, less than
    // twice): q12h, then a dose 24 h later read "12 h late", trough 0.1608 on 72–84 h for 0.000399 at
    // 96 h; q24h, then one 12 h later, 48–60 h for 60–72 h. Those change the regimen: no interval
    const amountAt = (t: number): number => records.reduce((a, r, i) => a + (givesDoseAt(records, i, t) && r.AMT > 0 ? r.AMT : 0), 0);
    // (a last dose seconds off is on the spacing as charted: the chart reads it, without a word)
    const offBy = (): boolean => Math.abs(gap(1) - gap(2)) > SAME_GAP_HOURS && Math.abs(gap(1) - gap(2)) <= TOP_UP_SHARE * gap(2) && aboutAmount(amountAt(spaced[spaced.length - 1] as number), amountAt(spaced[spaced.length - 2] as number));
    // two alike doses, each at most half the regimen's dose before them and both inside its interval
    // (250 mg at 52 and 56 h after 1000 mg q12h to 48 h): a new regimen of their spacing read from two
    // doses (56–60 h, auctau 26.54), or two top-ups of the 48-h dose (48–60 h, 145.64); the records
    // do not say which, so the reading is kept and said
    // The interval of that dose is the regimen's spacing, not the gap before it: a held dose made it
    // 24 h of q12h ("48–72 h", a window past the profile's end), a late one 8.5 h of q8h
    if (tau > 0 && spaced.length > 3) {
      const [of, a, b] = spaced.slice(-3) as [number, number, number];
      const spacing = regimenSpacingBefore(spaced.slice(0, -2));
      const [ofAmt, x, y] = [amountAt(of), amountAt(a), amountAt(b)];
      if (of + spacing - b > SAME_GAP_HOURS && aboutAmount(x, y) && Math.max(x, y) <= EXTRA_SHARE * ofAmt) twoDoses = { of, ofAmt, spacing, doses: [a, b], amts: [x, y] };
    }
    if (!(tau > 0) && spaced.length > 3 && same(gap(2), gap(3)) && gap(2) > 0 && offBy()) {
      tau = gap(2);
      irregular = { spacing: gap(2), gap: gap(1), starts: spaced.slice(-4) };
    }
    // an earlier dose drifted or held: the spacing most gaps share (chartSpacing). q12h with the
    // 36-h dose at 36.25 h, or none at 48 h, had none, the trough read at the end of a grid to 96 h
    // (9.9e-7 for 0.1612 at 72 h). At any amount: a dose held, then resumed at half (1000 mg q12h,
    // none at 48 h, 500 mg at 60 h) had no interval and no word when the amount was asked to be
    // alike (trough 0.000199 at 84 h for 0.0804 at 72 h); the reading is warned either way
    // Doses within a minute of its grid are on it: a chart with none off or held is regular, read
    // without a word, whichever dose was charted a second late (the 2nd was silent, the 3rd or 4th
    // "1 s late")
    const chart = tau > 0 ? undefined : chartSpacing(spaced);
    if (chart !== undefined) {
      tau = chart.tau;
      if (chart.off.length + chart.held.length > 0) irregular = { spacing: chart.tau, gap: gap(1), starts: chart.starts, chart };
    }
    if (!(tau > 0)) unspaced = spaced;
    if (driftingGaps(spaced, tau)) drifting = spaced;
    // against the gap before the last dose, regular or not: a load, 24 h at 250 mg/h, then 125 mg/h
    // for 48 h (gaps 0.5 and 24 h) was no continuous infusion, judged over 24.5–72 h as doses, where
    // the same without the load was one
    // or after an infusion that runs up to it at another rate (a step-down whose last part is shorter
    // than the gap: 250 mg/h for 48 h, then 125 mg/h for 24 h read "3000 q48h", auc24 AUC(0–48)/2)
    const prev = spaced[spaced.length - 2];
    const last = times[times.length - 1] as number;
    continuous = prev === undefined ? undefined : (outlasting(records, last, gap(1), modelled) ?? joinedInfusion(records, prev, last, modelled));
    // with no dose before it, an infusion that runs up to the profile's end or past it is one too:
    // 18 g over 72 h from 0 h, the usual one-record form, was read as a single dose, its "trough" the
    // level at the end of a 0–48 h grid, mid-infusion (76.49 = its Cmax), cavg and tabove over 0–72 h
    // from an empty body, where the same after a load was refused
    if (prev === undefined && spaced.length === 1) continuous = runsToEnd(records, last, end, modelled);
    // a modelled infusion of unknown length after irregular doses: no interval either way
    if (continuous?.unknown !== undefined && !(tau > 0)) continuous = undefined;
    if (continuous !== undefined) {
      tau = 0;
      irregular = undefined;
      unspaced = undefined;
      drifting = undefined;
    }
  }
  // doses given while the last infusion runs on past them are extra doses within it: a bolus at 30 h
  // into 250 mg/h over 72 h read "1000 q30h" (auc24 680 for 600), one a minute after its start "q0.01667h"
  const extra = times.length ? extraDose(records, extras, times[times.length - 1] as number, times[times.length - 2]) : undefined;
  if (extra !== undefined) {
    continuous = continuous !== undefined && continuous.unknown === undefined ? { ...continuous, extra: extra.extra } : extra;
    tau = 0;
    irregular = undefined;
    unspaced = undefined;
    drifting = undefined;
  }
  // a dose after the profile's end ends the last dose's interval: a q24h plan at 48 and 72 h without
  // II, its grid ending at 71 h, was spaced by the history's 12 h (a trough at 60 h, no warning)
  const after = continuous === undefined && times.length ? starts.slice(times.length).find((_, k) => !constantInfusionOnly(records, starts, times.length + k))?.t : undefined;
  if (after !== undefined) tau = ownInterval(doses[times.length - 1] as { ii: number }, times[times.length - 1] as number, after);
  // nor is an interval the profile stops inside (a forecast's grid ending 4 h after a q12h dose):
  // the last interval is the last one the profile holds whole, each dose's own (ownInterval)
  let cut: { cutDose: number; cutDue: number } | undefined;
  let short: RegimenTimes['short'];
  if (tau > 0)
    while (times.length > 1 && (times[times.length - 1] as number) + tau - end > 1e-9 * Math.max(1, end)) {
      const lastAt = times[times.length - 1] as number;
      const before = times[times.length - 2] as number;
      // doses without II: an interval a chart's seconds past the grid end (q12h, the last dose 10 s
      // late, grid to 60 h) is the last interval, read up to the end; and the gap before it, where it
      // spans a held dose, is no interval to fall back to (24–48 h of q12h held at 36 h: a "trough"
      // 24 h after a dose, 0.000399 for 0.1610)
      if (!((doses[times.length - 1] as { ii: number }).ii > 0)) {
        if (lastAt + tau - end <= SAME_GAP_HOURS + 1e-9 * Math.max(1, end)) {
          short = { due: lastAt + tau };
          break;
        }
        const held = irregular?.chart?.held.filter((x) => x > before && x < lastAt);
        if (held !== undefined && held.length > 0 && cut === undefined) {
          short = { due: lastAt + tau, held, before };
          break;
        }
      }
      const t = times.pop() as number;
      cut ??= { cutDose: t, cutDue: t + tau };
      irregular = undefined;
      tau = ownInterval(doses[times.length - 1] as { ii: number }, times[times.length - 1] as number, t);
    }
  const lastDose = times.length ? (times[times.length - 1] as number) : 0;
  const ss = times.length ? steadyStateStart(records, lastDose) : undefined;
  const dayStart = (tau > 0 ? (short !== undefined ? Math.min(end, lastDose + tau) : lastDose + tau) : end) - 24;
  const eps = 1e-9 * Math.max(1, Math.abs(dayStart + 24));
  const inDay = (r: DataRecord): boolean => r.TIME - dayStart > eps && dayStart + 24 - r.TIME > eps;
  const judged = tau > 0 ? judgedReading(records, lastDose, tau, irregular, within, continuous === undefined ? twoDoses : undefined, end) : undefined;
  // the doses a held or drifted dose's interval is counted by (pta's per 24 h)
  const spacedStarts = judged?.code === 'W_IRREGULAR_DOSE' ? irregular?.starts : undefined;
  const base = { end, tau, lastDose, ...(continuous !== undefined ? { continuous } : {}), ...cut, ...(short !== undefined ? { short } : {}), ...(judged !== undefined ? { judged } : {}), ...(spacedStarts !== undefined ? { spacedStarts } : {}), ...(unrepeated !== undefined ? { unrepeated } : {}) };
  // no spacing, and the rest of the profile read as the last interval: said (unspacedWarning),
  // whatever its length. Said only where it was as long as the longest gap, a held dose's (24 h of
  // q12h) let a chart with one dose 10 min late read 60–70 h (trough +172 %) or 60–78 h (−95 %)
  // without a word; a loading dose's gap kept the drift rule from saying it (a 2000-mg load, then
  // q12h at 6, 18:10, 29:40 and 42 h, grid to 52 h: trough 0.3376 at 52 h for 0.1242)
  const rest = !(tau > 0) && unspaced !== undefined && unspaced.length > 2 ? unspaced : undefined;
  // doses without II whose gaps all differ by minutes, not by a change of regimen (an EHR chart given
  // at 06:10, 14:05, 21:50 …), with no other judgement said: their interval is read from the last
  // gaps or the rest of the profile, a guess the records do not state (q8h drifted by 5–10 min, the
  // grid ending 4 h after the last dose: a "trough" of 7.843 at 50 h for 1.150; q48h with a middle dose
  // 2 h late: auc24 0.0008 over 168–192 h for 50.0; q6h with two doses off: τ 6.25, the trough 12 % off)
  const note =
    drifting !== undefined && judged === undefined && unrepeated === undefined
      ? { text: driftingText(records, drifting, tau), daily: true }
      : rest !== undefined
        ? { text: unspacedText(records, rest, end), daily: false }
        : undefined;
  const noted = (t: RegimenTimes): RegimenTimes => {
    if (note !== undefined) unspacedReadings.set(t, note);
    return t;
  };
  const infusion = (r: DataRecord): RegimenTimes => ({ ...base, ssInfusion: { time: r.TIME, rate: r.RATE, cmt: r.CMT, ss: r.SS, evid: r.EVID } });
  if (ss !== undefined && inDay(ss)) {
    // a constant infusion at steady state (no II): it stops at its record, so no later dose repeats it
    // and no interval of it scales to 24 h (dailyAucWindow)
    if (isConstantInfusion(ss)) return noted(infusion(ss));
    // up to the end of the last interval: a dose inside it (100 mg II 12 at 18 h after 100 mg q6h SS at
    // 12 h, observed to 24 h: the interval 12–24 h) changes the regimen as well as one before it
    return noted(continuesRegimen(records, ss, dayStart + 24) ? { ...base, ssStart: ss.TIME } : { ...base, ssChanged: ss.TIME });
  }
  // any other steady-state constant infusion inside the 24 h stands for that infusion run up to its
  // record too: SS = 2 (EVID 1) adds it to the course and resets nothing, so the hours before it
  // lack it (RATE 10 at 12 h after 500 mg at 0 h, CL 4, V 50: 0–24 h read 125.96 for 155.96)
  const inf = records.filter((r) => isConstantInfusion(r) && inDay(r)).reduce<DataRecord | undefined>((a, r) => (a === undefined || r.TIME >= a.TIME ? r : a), undefined);
  if (inf !== undefined) return noted(infusion(inf));
  // 24 h that start at or after the record and hold its steady state before the doses leave its
  // regimen (a dose late, left out, doubled or changed): 1000 mg q12h SS at 0 h, the next at 14 h,
  // on 0–26 h: neither the steady state's daily AUC (400) nor one of what follows
  // (a profile without an end, pta's regimen dose, has no such 24 h: its copies are not listed)
  const change = ss !== undefined && ss.II > 0 && Number.isFinite(dayStart) ? regimenChange(records, ss, dayStart + 24) : undefined;
  return noted(ss !== undefined && change !== undefined && change - dayStart > eps ? { ...base, ssChanged: ss.TIME } : base);
}

/**
 * RegimenTimes.unrepeated of the last dose at `t` on a profile ending at `end`: its records state an
 * II but no ADDL and no SS (it is no ADDL copy), no dose follows it, and `end` lies beyond t + II by
 * more than the last step of the observations that end the profile (a grid ending a little past it
 * still holds that interval). A plan's last dose whose II ends at the profile's end keeps its interval.
 */
/** The share of II a profile may run past t + II by (its last grid step) before the II is read as repeating nothing. */
const UNREPEATED_STEP_SHARE = 0.25;

function unrepeatedII(records: readonly DataRecord[], t: number, end: number): RegimenTimes['unrepeated'] {
  const eps = 1e-9 * Math.max(1, Math.abs(t));
  const givers = records.filter((r, i) => givesDoseAt(records, i, t) && r.AMT > 0);
  const own = givers.filter((r) => r.II > 0);
  if (own.length === 0 || givers.some((r) => Math.abs(r.TIME - t) > eps || r.ADDL > 0 || r.SS > 0)) return undefined;
  if (doseAfter(records, t) !== undefined) return undefined;
  const ii = Math.max(...own.map((r) => r.II));
  const seen = [...new Set(records.filter((r) => r.EVID === 0 && r.TIME <= end).map((r) => r.TIME))].sort((a, b) => a - b);
  const lastTwo = seen.slice(-2);
  const atEnd = lastTwo.length === 2 && Math.abs((lastTwo[1] as number) - end) <= 1e-9 * Math.max(1, Math.abs(end));
  // a grid's last step, not the gap between sparse levels (800 mg ii 8 at 0 h with levels at 2, 4
  // and 24 h read q8h: auc24 235.6 as AUC(0–8)·3 for the one dose's 80.0)
  const step = atEnd ? Math.min((lastTwo[1] as number) - (lastTwo[0] as number), UNREPEATED_STEP_SHARE * ii) : 0;
  if (!(end - (t + ii) - step > 1e-9 * Math.max(1, Math.abs(end)))) return undefined;
  return { time: t, place: recordPlace(own[0] as DataRecord), ii };
}

/** Interval starts read without II (regimenTimesOf): the last SPACED of them, enough for a day of q3h doses and a drifted or held one among them. */
export const SPACED = 8;

/**
 * A spacing of doses without II judged where the doses do not keep it: the last dose off the spacing
 * of the doses before it (`gap` after the one before), or doses on a chart's spacing with one drifted
 * or held (`chart`). `starts`: the interval starts of that spacing up to the last dose.
 */
interface Irregular {
  readonly spacing: number;
  readonly gap: number;
  readonly starts: readonly number[];
  readonly chart?: ChartSpacing;
}

/** Two alike doses without II inside the interval of the dose `of` (its `spacing`), each at most half its amount, read as a new regimen. */
interface TwoDoses {
  readonly of: number;
  readonly ofAmt: number;
  readonly spacing: number;
  readonly doses: readonly [number, number];
  readonly amts: readonly [number, number];
}

/**
 * The regimen's spacing at the last of interval starts t: the chart's (chartSpacing, over a held or
 * drifted dose), else the gap before the last where the last is a whole number of it or within
 * DRIFT_SHARE of it (a late dose), else the last gap.
 */
function regimenSpacingBefore(t: readonly number[]): number {
  const chart = chartSpacing(t);
  if (chart !== undefined) return chart.tau;
  const n = t.length;
  const last = (t[n - 1] as number) - (t[n - 2] as number);
  if (n < 3) return last;
  const before = (t[n - 2] as number) - (t[n - 3] as number);
  const k = Math.max(1, Math.round(last / before));
  return before > 0 && Math.abs(last - k * before) <= DRIFT_SHARE * before ? before : last;
}

/** The record place of the dose at t (or "the dose at t h"). */
function doseAt(records: readonly DataRecord[], t: number): string {
  const k = records.findIndex((_, i) => givesDoseAt(records, i, t));
  return k < 0 ? `the dose at ${hoursText(t)} h` : recordPlace(records[k] as DataRecord);
}

/**
 * Doses without II read on no regular spacing, or at drifting times: the interval metrics read the
 * rest of the profile after the last dose, or the last gaps, as the last interval. Kept beside
 * the times, not in them: the times are as before (the rest of the profile is still the interval
 * read, auc24 the profile's last 24 h); only unspacedWarning says it.
 */
const unspacedReadings = new WeakMap<RegimenTimes, { readonly text: string; readonly daily: boolean }>();

/**
 * Whether the gaps between doses `t` (interval starts without II, ascending; three or more) differ
 * as drifted doses do: not all within a minute of each other (SAME_GAP_HOURS), and, with the
 * interval `tau` read from the last gaps, more of them off it by less than a quarter of it
 * (DRIFT_SHARE) than on it or a whole multiple of it (a held dose) within a minute; without one (0),
 * some off the median gap so, and most of them within a quarter of it or of a whole multiple of it
 * (a load or a change of interval the others; gaps a dose inside an interval split are first
 * joined, unsplit). A loading dose (gaps 6, 12, 12 h) or a held one (12, 24, 12 h) is no drift,
 * nor a top-up (24, 20, 4 h), nor a dose late early in the chart (12.17, 11.83, 12, 12 h: two of four off, adding up to whole spacings), nor a change of interval whose last
 * gaps are equal (8, 8, 6, 6 h; 12, 12, 10, 10 h: the gaps off it keep one spacing of their own);
 * q6h with two doses off (6, 6, 5.5, 6.25, 6.25: τ 6.25) is, so are late doses whose last gaps are equal
 * (12, 13, 11.5, 11.5 h: two off, 25 h, no whole spacings of 11.5), and a load before drifted doses (6,
 * 12.17, 11.5, 12.33 h, no τ) too.
 */
function driftingGaps(t: readonly number[], tau: number): boolean {
  if (t.length < 3) return false;
  const gaps = unsplit(t.slice(1).map((x, i) => x - (t[i] as number)));
  if (Math.max(...gaps) - Math.min(...gaps) <= SAME_GAP_HOURS) return false;
  const s = tau > 0 ? tau : ([...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] as number);
  const by = (g: number): number => Math.abs(g - Math.max(1, Math.round(g / s)) * s);
  const kept = gaps.filter((g) => by(g) <= SAME_GAP_HOURS).length;
  // a gap at the quarter-of-τ limit, within a minute, is another spacing's, not drift: q6h then q8h
  // (the 6-h gaps 2 h off 8 h) with one early q6h dose 2 min late counted 6.0333, 6 and 6 h drifted
  // against 8, 8, 8 kept, and was warned 'their times drift' (on time, and before a7f752d, not)
  const limit = DRIFT_SHARE * s - (tau > 0 ? SAME_GAP_HOURS : 0);
  const drifted = gaps.filter((g) => by(g) > SAME_GAP_HOURS && by(g) <= limit);
  if (!(tau > 0)) return kept + drifted.length >= 2 && kept + drifted.length > gaps.length - kept - drifted.length && drifted.length > 0;
  if (drifted.every((g) => Math.abs(g - (drifted[0] as number)) <= SAME_GAP_HOURS)) return false;
  // at a tie, a late dose and the next on time make up for each other (12.17 + 11.83 = 24 h of q12h,
  // no drift), late doses that do not are (12 + 13 = 25 h of "q11.5h": read silently, trough +28 %)
  if (drifted.length === kept) return !keeps(drifted.reduce((a, g) => a + g, 0), s);
  return drifted.length > kept;
}

/** Whether hours h are a whole number of spacings s, within a minute (SAME_GAP_HOURS). */
function keeps(h: number, s: number): boolean {
  return Math.round(h / s) >= 1 && Math.abs(h - Math.round(h / s) * s) <= SAME_GAP_HOURS;
}

/**
 * Gaps with each pair that a dose inside an interval split joined: two neighbours, one less than half
 * the other, whose sum is another gap within a minute (a top-up 4 h before the next q24h dose: 24,
 * 20, 4 h are 24, 24), not a drift of 4 h.
 */
function unsplit(gaps: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < gaps.length; i++) {
    const a = gaps[i] as number;
    const b = gaps[i + 1];
    const whole = b !== undefined && Math.min(a, b) < Math.max(a, b) / 2 && gaps.some((g, k) => k !== i && k !== i + 1 && Math.abs(g - (a + b)) <= SAME_GAP_HOURS);
    out.push(whole ? a + (b as number) : a);
    if (whole) i++;
  }
  return out;
}

/** What unspacedWarning says of doses `t` whose gaps drift (driftingGaps), read with interval tau (0: none). */
function driftingText(records: readonly DataRecord[], t: readonly number[], tau: number): string {
  const h = hoursText;
  const doses = t.map((x) => `${driftTimeText(x)} h (${doseAt(records, x)})`).join(', ');
  const gaps = t.slice(1).map((x, i) => driftTimeText(x - (t[i] as number))).join(', ');
  return (
    `the doses have no II and their times drift (given at ${doses}: gaps of ${gaps} h), ` +
    (tau > 0 ? `so the interval is read as the last gaps' ${h(tau)} h, not a spacing the records state` : 'so no dosing interval is read: the last dose starts the rest of the profile')
  );
}

/** What unspacedWarning says of doses `t` (interval starts without a regular spacing) on a profile ending at `end`. */
function unspacedText(records: readonly DataRecord[], t: readonly number[], end: number): string {
  const h = hoursText;
  const last = t[t.length - 1] as number;
  const longest = Math.max(...t.slice(1).map((x, i) => x - (t[i] as number)));
  const long = end - last - longest > -1e-9 * Math.max(1, end);
  const doses = t.map((x) => `${driftTimeText(x)} h (${doseAt(records, x)})`).join(', ');
  const gaps = t.slice(1).map((x, i) => driftTimeText(x - (t[i] as number))).join(', ');
  return (
    `the doses have no II and no regular spacing (given at ${doses}: gaps of ${gaps} h): the last dose (at ${h(last)} h) starts no dosing interval of a known length, ` +
    `and the rest of the profile after it (${h(last)}–${h(end)} h, ${h(end - last)} h) ${long ? 'is as long as the longest gap between them or longer' : 'is read as its interval'}`
  );
}

/**
 * W_IRREGULAR_DOSE where doses without II have no regular spacing and the rest of the profile after
 * the last one is read as the last interval: the metrics `names`
 * that read it (trough, auctau, cavg, cmax, cmin, tmax and the target clauses of the interval; auc24
 * is the profile's last 24 h there, as after a single dose) are judged over hours no dose was given
 * in. Names the doses. Undefined where the times hold none of that or no metric reads the interval.
 */
function unspacedWarning(t: RegimenTimes, regimen: string, names: readonly string[]): string | undefined {
  const note = unspacedReadings.get(t);
  // auc24 is the profile's last 24 h without a spacing (as after a single dose); drifting doses read it too
  const interval = note?.daily ? [...names] : names.filter((n) => !/(^|\/)auc24(:|$)/i.test(n.trim()));
  if (note === undefined || interval.length === 0) return undefined;
  const text = note.text;
  const [a, b] = lastInterval(t);
  return (
    `W_IRREGULAR_DOSE: ${regimen}: ${text}, so ${interval.join(', ')} ${interval.length === 1 ? 'is' : 'are'} judged on ${hoursText(a)}–${hoursText(b)} h, which may hold no trough or interval of the regimen; ` +
    'to judge a dosing interval, give the doses with ii, or windows of your own (trough:T0:T1, auc:T0:T1, cavg:T0:T1)'
  );
}

/**
 * RegimenTimes.judged of the last interval [lastDose, lastDose + tau]: its dose off the regular
 * spacing (`irregular`), else the first dose inside it judged part of its dose (`within`).
 */
function judgedReading(records: readonly DataRecord[], lastDose: number, tau: number, irregular: Irregular | undefined, within: readonly WithinDose[], twoDoses?: TwoDoses, profileEnd = Infinity): RegimenTimes['judged'] {
  const placeAt = (t: number): string => doseAt(records, t);
  const h = hoursText;
  const chart = irregular?.chart;
  if (chart !== undefined) {
    // the latest dose off the grid, else the dose after the latest held one, is the one named
    const named = chart.off.at(-1)?.t ?? chart.starts.find((x) => x > (chart.held.at(-1) ?? Infinity)) ?? lastDose;
    const off = chart.off.map((d) => `the dose at ${driftTimeText(d.t)} h (${placeAt(d.t)}) ${offText(Math.abs(d.by))} ${d.by < 0 ? 'early' : 'late'}`);
    const held = chart.held.length === 0 ? [] : [`none given at ${chart.held.map((x) => `${h(x)}`).join(', ')} h (held)`];
    return {
      code: 'W_IRREGULAR_DOSE',
      time: named,
      place: placeAt(named),
      text:
        `the doses have no II and do not all keep the ${h(chart.tau)}-h spacing most of their gaps share (${[...off, ...held].join('; ')}): ` +
        `the last dose (at ${h(lastDose)} h, ${placeAt(lastDose)}) is judged to start a dosing interval of that spacing, as with ii ${h(chart.tau)}`,
    };
  }
  if (irregular !== undefined) {
    const off = irregular.gap - irregular.spacing;
    // a gap of whole intervals is a dose held, not one late (0, 12, 24, 36, 60 h: none at 48 h)
    const steps = Math.round(irregular.gap / irregular.spacing);
    if (steps >= 2 && Math.abs(irregular.gap - steps * irregular.spacing) <= 1e-9 * Math.max(1, irregular.gap)) {
      const held = Array.from({ length: steps - 1 }, (_, k) => h(lastDose - irregular.gap + (k + 1) * irregular.spacing));
      return {
        code: 'W_IRREGULAR_DOSE',
        time: lastDose,
        place: placeAt(lastDose),
        text:
          `the last dose (at ${h(lastDose)} h, ${placeAt(lastDose)}) has no II and comes ${h(irregular.gap)} h after the dose before it, ${steps} intervals of the ${h(irregular.spacing)}-h spacing of the doses before it (none given at ${held.join(', ')} h: held): ` +
          `it is judged to start a dosing interval of that spacing, as with ii ${h(irregular.spacing)}`,
      };
    }
    return {
      code: 'W_IRREGULAR_DOSE',
      time: lastDose,
      place: placeAt(lastDose),
      text:
        `the last dose (at ${h(lastDose)} h, ${placeAt(lastDose)}) has no II and comes ${h(irregular.gap)} h after the dose before it, ${h(Math.abs(off))} h ${off < 0 ? 'early' : 'late'} by the ${h(irregular.spacing)}-h spacing of the doses before it: ` +
        `it is judged to start a dosing interval of that spacing, as with ii ${h(irregular.spacing)}`,
    };
  }
  const eps = 1e-9 * Math.max(1, Math.abs(lastDose + tau));
  const two = twoDoses;
  if (two !== undefined && Math.abs(two.doses[1] - lastDose) <= eps && Math.abs(two.doses[1] - two.doses[0] - tau) <= eps) {
    const [a, b] = two.doses;
    // a window past the profile's last time is refused: up to it, where the profile stops inside
    const end = Math.min(two.of + two.spacing, profileEnd);
    return {
      code: 'W_IRREGULAR_DOSE',
      time: lastDose,
      place: placeAt(lastDose),
      text:
        `the last two doses (AMT ${g10(two.amts[0])} at ${h(a)} h, ${placeAt(a)}; AMT ${g10(two.amts[1])} at ${h(b)} h, ${placeAt(b)}) have no II, are each at most half the dose at ${h(two.of)} h (AMT ${g10(two.ofAmt)}, ${placeAt(two.of)}) and both come inside its ${h(two.spacing)}-h spacing: ` +
        `they are read as a new regimen of their ${h(tau)}-h spacing, from two doses; if they are extra doses within the interval of the dose at ${h(two.of)} h, that interval is ${h(two.of)}–${h(end)} h (auc:${h(two.of)}:${h(end)}, cavg:${h(two.of)}:${h(end)})`,
    };
  }
  const w = within.find((d) => d.of === lastDose && d.t - lastDose > eps && lastDose + tau - d.t > eps);
  if (w === undefined) return undefined;
  const why = w.running ? "given while that dose's infusion runs" : `at most half of it (${g10(w.amt)} of ${g10(w.ofAmt)})`;
  return {
    code: 'W_EXTRA_DOSE',
    time: w.t,
    place: placeAt(w.t),
    text:
      `the dose at ${h(w.t)} h (${placeAt(w.t)}, AMT ${g10(w.amt)}) comes ${h(w.t - w.of)} h into the ${h(w.ii)}-h interval of the dose at ${h(w.of)} h (AMT ${g10(w.ofAmt)}), ${why}: ` +
      `it is judged an extra dose within that interval, not the start of one`,
  };
}

/**
 * The interval of the dose `d` at `t` that dose `next` follows: up to it, or to its II where that
 * comes first. Its own II alone, after a change of interval, took the next regimen's (a q24h dose
 * judged on 24–36 h by the q12h doses after it) or held the dose after it (36–60 h for q12h before
 * q24h from 48 h).
 */
function ownInterval(d: { ii: number }, t: number, next: number): number {
  return d.ii > 0 ? Math.min(d.ii, next - t) : next - t;
}

/**
 * The first dosing event after `t` (ADDL copies given), steady-state constant infusions aside (they
 * repeat no dose, so they end no interval); undefined where there is none. `ii`: of records with that II only.
 */
function doseAfter(records: readonly DataRecord[], t: number, ii?: number): number | undefined {
  const eps = 1e-9 * Math.max(1, Math.abs(t));
  let first = Infinity;
  records.forEach((r, i) => {
    if (!isDose(r) || isConstantInfusion(r) || (ii !== undefined && r.II !== ii)) return;
    const copies = r.II > 0 ? givenAddl(records, i) : 0;
    const k = r.TIME - t > eps ? 0 : Math.floor((t + eps - r.TIME) / r.II) + 1;
    if (k <= copies) first = Math.min(first, r.TIME + k * r.II);
  });
  return first < Infinity ? first : undefined;
}

/**
 * The longest infusion given at dose time `t`, and the first dose then whose modelled length is not
 * known. `near`: the records that may be given then (default all), where the caller has them by time.
 */
function infusionsAt(records: readonly DataRecord[], t: number, modelled?: ModelledDuration, near: readonly DataRecord[] = records): { longest?: { r: DataRecord; d: number }; unknown?: { r: DataRecord; why: string } } {
  const eps = 1e-9 * Math.max(1, Math.abs(t));
  const noModel = 'no model given to evaluate it: regimenTimesOf(records, end, typicalDuration(model))';
  let longest: { r: DataRecord; d: number } | undefined;
  let unknown: { r: DataRecord; why: string } | undefined;
  for (const r of near) {
    if (!isDose(r) || r.RATE === 0 || !(r.AMT > 0) || Math.abs(r.TIME - t) > eps) continue;
    const d = r.RATE > 0 ? fixedRateDuration(r, r.AMT) : (modelled?.(r, records) ?? noModel);
    if (typeof d === 'string') unknown ??= { r, why: d };
    else if (longest === undefined || d > longest.d) longest = { r, d };
  }
  return { ...(longest !== undefined ? { longest } : {}), ...(unknown !== undefined ? { unknown } : {}) };
}

/** RegimenTimes.continuous of the infusion of record r, `duration` h long, `spacing` after the dose before it. */
function continuousOf(r: DataRecord, duration: number, spacing: number): NonNullable<RegimenTimes['continuous']> {
  return { time: r.TIME, amt: r.AMT, duration, spacing, place: recordPlace(r), rate: r.RATE };
}

/** Share of the spacing within which an infusion's end is the next dose's time: bags back to back (2 g q6h at RATE 333.33 runs 6.00006 h). */
export const BACK_TO_BACK_SHARE = 0.01;

/**
 * The longest infusion given at dose time `t` where it runs longer than `spacing` (the gap before
 * it) by more than 1 % of it: the next dose would be due while it still runs, so the spacing is a
 * load's lead, not an interval (RegimenTimes.continuous). Within 1 % it is back-to-back infusions,
 * the spacing their interval: 2 g q6h at RATE 333.33 (6.00006 h) was refused as continuous, its
 * auc24 that of one dose. A modelled rate or duration (RATE −1, −2) is `modelled`'s; where it is
 * not known, and no other infusion then outlasts the spacing, the spacing is marked unknown.
 */
export function outlasting(records: readonly DataRecord[], t: number, spacing: number, modelled?: ModelledDuration): RegimenTimes['continuous'] {
  const { longest, unknown } = infusionsAt(records, t, modelled);
  if (longest !== undefined && longest.d - spacing > BACK_TO_BACK_SHARE * spacing) return continuousOf(longest.r, longest.d, spacing);
  return unknown === undefined ? undefined : { ...continuousOf(unknown.r, NaN, spacing), unknown: unknown.why };
}

/**
 * The longest infusion given at dose time `t`, the only dose that starts an interval (no gap before
 * it to space one), where it runs up to the profile's `end` or past it: ending at most 1 % of its
 * time on the profile (end − t) before the end. A lone dose that ends before that is a single dose,
 * its interval the rest of the profile (1000 mg over 1 h on 0–24 h: the trough at 24 h); one still
 * running there has no interval, and the rest of the profile is its build-up (RegimenTimes.continuous,
 * `alone`). A duration the model cannot give here is left to the single-dose reading, as after
 * irregular doses.
 */
function runsToEnd(records: readonly DataRecord[], t: number, end: number, modelled?: ModelledDuration): RegimenTimes['continuous'] {
  if (!Number.isFinite(end) || !(end > t)) return undefined;
  const { longest } = infusionsAt(records, t, modelled);
  if (longest === undefined || end - (t + longest.d) > BACK_TO_BACK_SHARE * (end - t)) return undefined;
  return { ...continuousOf(longest.r, longest.d, 0), alone: true };
}

/**
 * The infusion given at dose time `t` where it continues the infusion given at `prev` (the dose time
 * before it), which runs up to it (ending at most 1 % of the gap before `t`, or later), at another
 * rate or for another length than the gap: a rate change, one continuous infusion whatever the
 * lengths of its parts (250 mg/h for 48 h, then 125 mg/h for 24 h, read "3000 q48h"). The same
 * infusion every gap is back-to-back intermittent doses, its interval the gap (2 g q6h at RATE
 * 333.33), as outlasting reads them.
 */
function joinedInfusion(records: readonly DataRecord[], prev: number, t: number, modelled?: ModelledDuration, at?: (t: number) => readonly DataRecord[]): RegimenTimes['continuous'] {
  const last = infusionsAt(records, t, modelled, at?.(t)).longest;
  const before = infusionsAt(records, prev, modelled, at?.(prev)).longest;
  const spacing = t - prev;
  const near = (x: number, y: number): boolean => Math.abs(x - y) <= BACK_TO_BACK_SHARE * y;
  if (last === undefined || before === undefined || !reaches(before.d, spacing)) return undefined;
  if (near(last.d, spacing) && near(last.r.AMT / last.d, before.r.AMT / before.d)) return undefined;
  return { ...continuousOf(last.r, last.d, spacing), joins: recordPlace(before.r), joinsEnd: prev + before.d };
}

/** A dosing event of doseTimes: its time and the largest II of the doses then. */
interface DoseEvent {
  readonly t: number;
  readonly ii: number;
}

/** A dose given while the no-II infusion `during` (given at `t0`) runs on past it. */
interface ExtraDose {
  readonly t: number;
  readonly during: { readonly t0: number; readonly r: DataRecord; readonly d: number };
}

/**
 * The dosing events up to `end` and the first few after it (whose first interval start ends the
 * last one's interval), each marked as starting a dosing interval or not. One does not where it is
 * part of a dose that began before it:
 * - a bag that continues the infusion before it at another rate or length (joinedInfusion) within a
 *   chain that ends short of the next dose and the profile's end: one composite dose (1000 mg over
 *   1 h, then 500 mg over 0.5 h, q12h: the 61-h bag ended the 60-h dose's interval, auc24 280.31
 *   for 300); a chain that runs up to them is a continuous infusion (joinedInfusion's);
 * - a dose inside the interval t..t + II of a dose whose series goes on (a dose at t + II), or that
 *   repeats with it every period (samePattern): a second record minutes later, a top-up (a next dose
 *   ends an interval early where it starts a regimen of its own, q24h then q12h from 36 h, or is
 *   given early, the next dose now);
 * - a dose given while an infusion without II runs on past it by more than 1 % of the time since
 *   its start: an extra dose within that continuous infusion (`extras`).
 */
function intervalStarts(records: readonly DataRecord[], end: number, modelled?: ModelledDuration): { starts: DoseEvent[]; extras: ExtraDose[]; within: WithinDose[] } {
  let horizon = end;
  for (let k = 0; k < 8 && Number.isFinite(end); k++) horizon = doseAfter(records, horizon) ?? horizon;
  const doses = doseTimes(records, horizon);
  // the dose records of each event, so that each event reads its own (every record for each of 8760
  // hourly doses took 21 s)
  const byEvent = new Map<number, DataRecord[]>(doses.map((d) => [d.t, []]));
  for (const r of records) {
    const i = isDose(r) ? eventIndex(doses, r.TIME) : -1;
    if (i >= 0) byEvent.get((doses[i] as DoseEvent).t)?.push(r);
  }
  const near = (t: number): readonly DataRecord[] => byEvent.get(t) ?? [];
  // with the ADDL copies given then (the amounts and infusions of a dose), from the few records with copies
  const withCopies = records.flatMap((r, k) => (isDose(r) && r.II > 0 && r.ADDL > 0 ? [{ r, n: givenAddl(records, k) }] : []));
  const given = (t: number): readonly DataRecord[] => {
    const eps = 1e-9 * Math.max(1, Math.abs(t));
    const copies = withCopies.filter(({ r, n }) => {
      const c = Math.round((t - r.TIME) / r.II);
      return c >= 1 && c <= n && Math.abs(r.TIME + c * r.II - t) <= eps;
    });
    return copies.length ? [...near(t), ...copies.map((x) => x.r)] : near(t);
  };
  const amount = (t: number): number => given(t).reduce((a, r) => a + (r.AMT > 0 ? r.AMT : 0), 0);
  // the end of the longest infusion given at t (copies too; t itself for boluses)
  const infusionEnd = (t: number): number => {
    let d = 0;
    for (const r of given(t)) {
      const h = r.RATE > 0 && r.AMT > 0 ? fixedRateDuration(r, r.AMT) : r.RATE < 0 && r.AMT > 0 ? modelled?.(r, records) : 0;
      if (typeof h === 'number' && h > d) d = h;
    }
    return t + d;
  };
  const starts: DoseEvent[] = [];
  const extras: ExtraDose[] = [];
  const within: WithinDose[] = [];
  let running: ExtraDose['during'] | undefined;
  let kept: Kept | undefined;
  doses.forEach((x, i) => {
    const eps = 1e-9 * Math.max(1, Math.abs(x.t));
    const inf = infusionsAt(records, x.t, modelled, near(x.t)).longest;
    // an extra dose ends within the infusion it is given in (a bolus, a shorter bag); one that runs
    // on past it is the next of overlapping infusions (6.07-h bags q6h: continuous at the last)
    const inRunning = running !== undefined && (inf === undefined || x.t + inf.d <= running.t0 + running.d + eps);
    const part = kept === undefined ? false : partOf(kept, x, i);
    if (running !== undefined && inRunning && running.t0 + running.d - x.t > BACK_TO_BACK_SHARE * (x.t - running.t0)) extras.push({ t: x.t, during: running });
    else if (i > 0 && composite(records, doses, i, end, modelled, near)) {
      // part of the composite dose the chain began
    } else if (part !== false) {
      // inside the interval of the dose before it: a second record minutes later, a top-up, a bolus
      // while its infusion runs; where that is a judgement (past the interval's first quarter), said
      if (part === 'judged' && kept !== undefined) within.push({ t: x.t, of: kept.t, ii: kept.ii, amt: amount(x.t), ofAmt: kept.amt, running: kept.infEnd - x.t > BACK_TO_BACK_SHARE * (x.t - kept.t) });
    } else {
      starts.push(x);
      const ii = x.ii > 0 ? x.ii : regularSpacing(starts.slice(-4).map((d) => d.t));
      kept = { t: x.t, ii, hasIi: x.ii > 0, goesOn: x.ii > 0 && seriesGoesOn(records, x, doses, near), amt: amount(x.t), infEnd: infusionEnd(x.t) };
    }
    // a no-II infusion is a continuous one whose extra doses are refused its interval only where it
    // runs up to the next dose given after it (or, the last, the spacing before it): a 1-h bag q12h
    // with a bolus 1 min in was refused as "an infusion of 1 h, still running when the next dose
    // would be due by the 12-h spacing"; it is one dose, as with II
    if (inf !== undefined && !(inf.r.II > 0) && (running === undefined || x.t + inf.d > running.t0 + running.d) && !intermittent(i, x.t + inf.d)) running = { t0: x.t, ...inf };
  });
  return { starts, extras, within };

  /** Whether an infusion from dosing event i ending at `stop` ends (by more than 1 %) before the next dose that outlasts it, or, the last, before the spacing before it ends. */
  function intermittent(i: number, stop: number): boolean {
    const t0 = (doses[i] as DoseEvent).t;
    const eps = 1e-9 * Math.max(1, Math.abs(stop));
    let next: number | undefined;
    for (let j = i + 1; j < doses.length && next === undefined; j++) if (infusionEnd((doses[j] as DoseEvent).t) > stop + eps) next = (doses[j] as DoseEvent).t;
    const last = starts.at(-1)?.t;
    const prev = last !== undefined && last < t0 - eps ? last : starts.at(-2)?.t;
    const due = next ?? (prev === undefined ? undefined : t0 + (t0 - prev));
    return due !== undefined && due - stop > BACK_TO_BACK_SHARE * (due - t0);
  }

  /**
   * Whether dosing event x (index i) is part of the kept dose: `true` where the records say so or it
   * comes within the first quarter of its interval, `'judged'` where it is read so past it (a dose of
   * at most half the kept one, or one given while the kept dose's infusion runs and ending within it).
   */
  function partOf(k: Kept, x: DoseEvent, i: number): boolean | 'judged' {
    const eps = 1e-9 * Math.max(1, Math.abs(x.t));
    const into = x.t - k.t;
    // a dose without II within a minute of the next place on the spacing is that place's dose, as
    // charted (the 18-h 500 mg of 1000/500 mg q6h at 17:59:55 was read a top-up of the 12-h dose,
    // the 18-h place "held", W_SHORT_INTERVAL and W_IRREGULAR_DOSE said so)
    const inInterval = k.ii > 0 && x.t < k.t + k.ii - (k.hasIi ? eps : Math.max(eps, SAME_GAP_HOURS));
    const early = inInterval && into < TOP_UP_SHARE * k.ii;
    const inInfusion = k.infEnd - x.t > BACK_TO_BACK_SHARE * into && infusionEnd(x.t) <= k.infEnd + eps;
    // a dose of a series of its own that goes on starts a regimen (q24h, then 500 mg q12h from 36 h)
    const ownSeries = x.ii > 0 && seriesGoesOn(records, x, doses, near);
    // and so does a record that states an II of its own, other than the interval it falls in, even
    // alone (1000 mg q12h, then 500 mg ii 8 at 56 h: a top-up on 48–60 h, trough 4.551 for 0.6159 at 64 h)
    const ownIi = x.ii > 0 && Math.abs(x.ii - k.ii) > 1e-9 * Math.max(1, k.ii);
    // nor is a dose whose infusion runs past the interval (a load, then a 48-h infusion)
    const inside = inInterval && infusionEnd(x.t) <= k.t + k.ii + eps;
    // a dose whose series goes on, or a second record of every dose (0 and 0.05 h, both q12h), at the last dose too
    if (k.hasIi && inInterval && (k.goesOn || samePattern(k, x, doses))) return true;
    // a bolus while the dose's short infusion runs (1000 mg over 1 h with 250 mg 1 min in, no II):
    // part of it, as with II; past the first quarter of the interval (a 1000-mg bolus 12 h into a
    // 24-h bag with II: judged on 60–72 h, "1000"), said
    if (inInfusion && !ownSeries) return early || !(k.ii > 0) ? true : 'judged';
    // a top-up soon after the dose (250 mg 1 h after it); without II, a dose resumed after a pause
    // (500 mg over 0.5 h at 60 and 60.75 h of q12h 1000 mg, judged on 60.75–72 h), where the doses
    // after it keep the spacing
    // (not one that starts a series of its own: q48h, then q24h from 104 h was judged on 96–128 h)
    if (early && !ownSeries && !ownIi && (k.hasIi || (inside && keepsSpacing(k, i)))) return true;
    // a dose much smaller than the one whose interval it is given in, past its first quarter: a
    // top-up (250 mg 4 h into q12h 1000 mg started an interval 64–72 h, auctau 41.82 for 124.5)
    // unless the dose after it is of about its amount: then it starts a series of its own (1000 mg
    // q12h, then 500 mg q8h from 56 h without II: folded into the 48-h dose, no interval was left,
    // trough 72–96 h 0.00018 for 0.5299 at 80 h)
    if (inside && !ownSeries && !ownIi && amount(x.t) <= EXTRA_SHARE * k.amt && !nextAlike(i, x) && !earlyPlace(k, x, i)) return 'judged';
    // a dose given early whose series stops (the next dose now, a last q12h dose at 59.5 after
    // 48) starts its interval: it was read as a top-up, the trough taken mid-infusion (22.28 for
    // 0.161)
    return false;
  }

  /**
   * Whether the dosing events after event x (index i) go on from it as a regimen: the next gives
   * about x's amount, or the next two, alike and not more than twice x, come at one spacing from x
   * (a load, then a smaller dose: 750 mg at 54 h, then 250 mg at 60 and 66 h after q12h 1500 mg,
   * was read as a top-up of the 48-h dose, its trough 0.1906 at 75 h for 0.8543 at 72 h).
   */
  function nextAlike(i: number, x: DoseEvent): boolean {
    const next = doses[i + 1];
    if (next === undefined) return false;
    if (aboutAmount(amount(next.t), amount(x.t))) return true;
    // the two alike and the first no larger than twice x: a top-up, the regular dose and a top-up in
    // the next interval (250 mg at 42 h, 1000 mg at 48 h, 250 mg at 54 h of q12h) are no regimen of 6 h
    const after = doses[i + 2];
    const gap = next.t - x.t;
    return (
      after !== undefined &&
      gap > 0 &&
      Math.abs(after.t - next.t - gap) <= SAME_GAP_HOURS &&
      aboutAmount(amount(next.t), amount(after.t)) &&
      amount(next.t) * EXTRA_SHARE < amount(x.t)
    );
  }

  /**
   * Whether dose x (event i), without II, inside kept dose k's interval, is the next place's dose given
   * early: within a quarter of the spacing before that place, no other dose near it, and about the
   * amount of the dose before k (1000/500 mg alternating q6h, the 18-h 500 mg at 17.9 h was read a
   * top-up of the 12-h dose and the 18-h place "held"; a 250-mg top-up of 1000 mg q12h stays one).
   */
  function earlyPlace(k: Kept, x: DoseEvent, i: number): boolean {
    if (k.hasIi || x.ii > 0 || !(k.ii > 0)) return false;
    const place = k.t + k.ii;
    const next = doses[i + 1];
    const before = starts[starts.length - 2];
    return (
      place - x.t <= DRIFT_SHARE * k.ii &&
      next !== undefined &&
      next.t - place >= (1 - DRIFT_SHARE) * k.ii &&
      before !== undefined &&
      aboutAmount(amount(before.t), amount(x.t))
    );
  }

  /** Whether the first dose past the first quarter of kept dose k's interval after event i comes at its end or later (a regimen that goes on). */
  function keepsSpacing(k: Kept, i: number): boolean {
    for (let j = i + 1; j < doses.length; j++) {
      const y = doses[j] as DoseEvent;
      if (y.t - k.t >= TOP_UP_SHARE * k.ii && amount(y.t) > EXTRA_SHARE * k.amt) return y.t - k.t >= (1 - TOP_UP_SHARE) * k.ii;
    }
    return true;
  }
}

/**
 * The dosing events of a history without an end that start a dosing interval (intervalStarts): the
 * next dose after it is due an interval after the last of them, not after the second bag of a dose
 * given as two, a top-up or a bolus while an infusion runs.
 */
export function intervalStartTimes(records: readonly DataRecord[], modelled?: ModelledDuration): readonly { readonly t: number; readonly ii: number }[] {
  return intervalStarts(records, Infinity, modelled).starts;
}

/** The dose an interval starts with, as intervalStarts keeps it: its II, or the regular spacing of the doses without II (0 where there is none). */
interface Kept extends DoseEvent {
  readonly hasIi: boolean;
  readonly goesOn: boolean;
  /** The amount given then (records at that time and ADDL copies summed). */
  readonly amt: number;
  /** The end of its longest infusion (its time for a bolus). */
  readonly infEnd: number;
}

/** A dose judged part of the dose at `of` (a top-up, a bolus while its infusion runs) past the first quarter of its interval `ii`. */
interface WithinDose {
  readonly t: number;
  readonly of: number;
  readonly ii: number;
  readonly amt: number;
  readonly ofAmt: number;
  readonly running: boolean;
}

/** At most this share of a dose, a dose inside its interval past the first quarter is an extra dose within it (a top-up), not the next dose given early. */
const EXTRA_SHARE = 0.5;

/** Whether amounts a and b are about one dose: each more than half and less than twice the other. */
function aboutAmount(a: number, b: number): boolean {
  return a * EXTRA_SHARE < b && b * EXTRA_SHARE < a;
}

/**
 * The spacing of interval starts without II: the last gap where it equals the one before it; where
 * the last differs, the gap of the doses before it where the two before are equal (a dose an hour
 * early or late starts an interval of the regular spacing); else 0. Equal within a minute
 * (SAME_GAP_HOURS), as charted: a dose 1 s late left a q12h chart no spacing to judge a top-up by.
 */
function regularSpacing(t: readonly number[]): number {
  const n = t.length;
  const gap = (k: number): number => (t[n - k] as number) - (t[n - k - 1] as number);
  const same = (a: number, b: number): boolean => Math.abs(a - b) <= SAME_GAP_HOURS;
  if (n >= 3 && same(gap(1), gap(2))) return gap(1);
  if (n >= 4 && same(gap(2), gap(3))) return gap(2);
  return 0;
}

/** The index of the dosing event at time t (within 1e-9 h·max(1, t), as doseTimes merges them), or −1. */
function eventIndex(doses: readonly DoseEvent[], t: number): number {
  let lo = 0;
  let hi = doses.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((doses[mid] as DoseEvent).t < t) lo = mid + 1;
    else hi = mid;
  }
  const eps = 1e-9 * Math.max(1, Math.abs(t));
  return [lo - 1, lo].find((k) => k >= 0 && k < doses.length && Math.abs((doses[k] as DoseEvent).t - t) <= eps) ?? -1;
}

/**
 * Whether the series of dosing event `x` goes on: a dose of a record with its II at its time + II
 * (a dose of another interval there starts another regimen: q24h, then q12h from 36 h).
 */
function seriesGoesOn(records: readonly DataRecord[], x: DoseEvent, doses: readonly DoseEvent[], near: (t: number) => readonly DataRecord[]): boolean {
  if (!(x.ii > 0)) return false;
  const due = x.t + x.ii;
  // a record of its own there (one record per dose, each with II: 8760 of them took 20 s); else ADDL copies
  const i = eventIndex(doses, due);
  if (i >= 0 && near((doses[i] as DoseEvent).t).some((r) => r.II === x.ii)) return true;
  const eps = 1e-9 * Math.max(1, Math.abs(due));
  const next = doseAfter(records, due - 3 * eps, x.ii);
  return next !== undefined && Math.abs(next - due) <= 2 * eps;
}

/**
 * Whether dosing event i continues the infusion of event i − 1 (joinedInfusion) in a chain of such
 * bags that ends more than 1 % of the time left short of the next dose and of the profile's end:
 * an intermittent composite dose, not a continuous infusion (two bags q12h without II, 10.5 h off
 * between them, were refused as a continuous infusion).
 */
function composite(records: readonly DataRecord[], doses: readonly DoseEvent[], i: number, end: number, modelled: ModelledDuration | undefined, near: (t: number) => readonly DataRecord[]): boolean {
  let j = i;
  let part = joinedInfusion(records, (doses[j - 1] as DoseEvent).t, (doses[j] as DoseEvent).t, modelled, near);
  // a part that outlasts the gap before it is a load's lead and the long infusion after it (outlasting)
  if (part === undefined || part.duration - part.spacing > BACK_TO_BACK_SHARE * part.spacing) return false;
  // a chain whose first bag continues an infusion before it is the tail of a continuous run, not a
  // composite dose (24-h bags, then a 3000-mg bag over 24 h at 48 h, were judged on 24–48 h: trough
  // 25, auc24 600, where the run is continuous; 8-h bags q8h, then a 4-h bag at 40 h: 32–40 h)
  if (i >= 2 && runsUpTo(records, (doses[i - 2] as DoseEvent).t, (doses[i - 1] as DoseEvent).t, modelled, near)) return false;
  for (;;) {
    const next = doses[j + 1];
    const more = next === undefined ? undefined : joinedInfusion(records, (doses[j] as DoseEvent).t, next.t, modelled, near);
    if (more === undefined) break;
    part = more;
    j++;
  }
  const from = (doses[j] as DoseEvent).t;
  const reach = Math.min(doses[j + 1]?.t ?? doseAfter(records, from) ?? Infinity, end);
  return reach - (from + part.duration) > BACK_TO_BACK_SHARE * (reach - from);
}

/**
 * A dose within this share of the interval after the last dose of a series is part of that dose (a
 * top-up 1 h into q12h); one later is the next dose given early (the next dose now, 11.5 h into q12h).
 */
const TOP_UP_SHARE = 0.25;

/**
 * Whether dosing event x repeats with the kept dose's period at the same offset from it: both with
 * one II and each with a dose one II before (a dose written as two records, given every period).
 */
function samePattern(kept: DoseEvent, x: DoseEvent, doses: readonly DoseEvent[]): boolean {
  return x.ii === kept.ii && eventIndex(doses, x.t - x.ii) >= 0 && eventIndex(doses, kept.t - kept.ii) >= 0;
}

/** Whether the longest infusion given at `prev` runs up to `t` (within the 1 % share of the gap). */
function runsUpTo(records: readonly DataRecord[], prev: number, t: number, modelled: ModelledDuration | undefined, near: (t: number) => readonly DataRecord[]): boolean {
  const before = infusionsAt(records, prev, modelled, near(prev)).longest;
  return before !== undefined && reaches(before.d, t - prev);
}

/** Whether an infusion of `duration` runs up to a dose `spacing` after its start (within the 1 % share of the gap). */
function reaches(duration: number, spacing: number): boolean {
  return duration - spacing >= -BACK_TO_BACK_SHARE * spacing;
}

/**
 * RegimenTimes.continuous of the no-II infusion given at the last interval start `last` where doses
 * were given while it runs (`extras`), naming the first; `prev` the start before it.
 */
function extraDose(records: readonly DataRecord[], extras: readonly ExtraDose[], last: number, prev: number | undefined): NonNullable<RegimenTimes['continuous']> | undefined {
  const first = extras.find((e) => e.during.t0 === last);
  if (first === undefined) return undefined;
  const at = records.find((r, i) => r !== first.during.r && givesDoseAt(records, i, first.t));
  const { r, d } = first.during;
  return { ...continuousOf(r, d, prev === undefined ? 0 : last - prev), extra: { time: first.t, place: at === undefined ? `the dose at ${g10(first.t)} h` : recordPlace(at) } };
}

/** Whether record i gives a dose at time t, itself or an ADDL copy. */
function givesDoseAt(records: readonly DataRecord[], i: number, t: number): boolean {
  const r = records[i] as DataRecord;
  const eps = 1e-9 * Math.max(1, Math.abs(t));
  if (!isDose(r)) return false;
  const k = r.II > 0 ? Math.round((t - r.TIME) / r.II) : 0;
  return k >= 0 && k <= (r.II > 0 ? givenAddl(records, i) : 0) && Math.abs(r.TIME + k * r.II - t) <= eps;
}

/**
 * The typical subject's (η = 0) infusion length of a dose record with a modelled rate or duration
 * (RATE −1: F·AMT over the modelled rate; −2: the modelled duration), from the record's items and
 * those carried from earlier records (carriedItems); why not, where the model cannot be evaluated
 * there or gives no positive length. `covariates`: a population's typical subject's sampled values
 * (probeSubject), which replace the records' as each subject's sampled values do.
 */
export function typicalDuration(model: Pick<Model, 'evaluate' | 'omega' | 'iov'>, covariates: Readonly<Record<string, number>> = {}): ModelledDuration {
  const fixed = { ...covariates, ...Object.fromEntries([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])].map((n) => [n, 0])) };
  return (r, records = [r]) => {
    const c = (r.CMT > 0 ? r.CMT : 1) - 1;
    let e: Evaluation;
    try {
      // no row: the refusal names the record's place (doses.8), not its row among merged records (266)
      e = model.evaluate(carriedItems(records, r), fixed);
    } catch (err) {
      return `the model at η = 0 with the record's items: ${err instanceof Error ? err.message : String(err)}`;
    }
    const d = r.RATE === -1 ? (r.AMT * (e.F[c] ?? 1)) / (e.R[c] ?? NaN) : (e.D[c] ?? NaN);
    return d > 0 && d < Infinity ? d : `the typical subject's ${r.RATE === -1 ? `rate of compartment ${c + 1} is ${g10(e.R[c] ?? NaN)}` : `duration of compartment ${c + 1} is ${g10(d)}`}`;
  };
}

/**
 * Record r's items, with each it lacks carried from the earlier records of its subject in `records`
 * (the latest value before it), as a forecast fills its future doses from the history: a future
 * RATE −2 dose without WT under D1 = 4·(WT/70)^0.25 was "not known here", and forecast dropped its
 * default auc24, cmax and trough, where its simulation carried WT 70. The record's own fields and
 * the engine's @ items describe that record alone and are not carried.
 */
function carriedItems(records: readonly DataRecord[], r: DataRecord): Readonly<Record<string, number>> {
  const at = records.indexOf(r);
  const earlier = records.filter((x, j) => x !== r && x.ID === r.ID && (x.TIME < r.TIME || (x.TIME === r.TIME && j < at))).sort((a, b) => a.TIME - b.TIME);
  const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);
  const carried: Record<string, number> = {};
  for (const x of earlier)
    for (const [k, v] of Object.entries(x.items)) if (given(v) && !(STANDARD_COLUMNS as readonly string[]).includes(k) && !k.startsWith('@')) carried[k] = v;
  return { ...carried, ...Object.fromEntries(Object.entries(r.items).filter(([, v]) => given(v))) };
}

/** A steady-state constant infusion: SS > 0, AMT 0, RATE > 0, no II (it stops at its record). */
function isConstantInfusion(r: DataRecord): boolean {
  return isDose(r) && r.SS > 0 && !(r.II > 0) && r.RATE > 0 && !(r.AMT > 0);
}

/** Whether dosing event i (doseTimes) is steady-state constant infusions only: no II, and every dose record then is one. */
function constantInfusionOnly(records: readonly DataRecord[], doses: readonly { t: number; ii: number }[], i: number): boolean {
  const d = doses[i];
  if (d === undefined || d.ii > 0) return false;
  const eps = 1e-9 * Math.max(1, Math.abs(d.t));
  const at = records.filter((r) => isDose(r) && Math.abs(r.TIME - d.t) <= eps);
  return at.length > 0 && at.every(isConstantInfusion);
}

/**
 * Whether the doses after steady-state record `ss` before `until` continue its regimen: one dose at each
 * ss.TIME + k·II (k = 1, 2, … up to the last, none left out, none doubled), each of its amount,
 * compartment and rate or duration, with no steady state of its own and its II or none, whether
 * given as the record's ADDL copies or as records of their own. A dose written on its own (II 0)
 * after the record was a change of regimen (auc24 refused, though the ADDL form read 80); a skipped
 * dose was none (the interval after it scaled by 24/τ as if at steady state).
 */
function continuesRegimen(records: readonly DataRecord[], ss: DataRecord, until: number): boolean {
  return regimenChange(records, ss, until) === undefined;
}

/**
 * The first time before `until` at which the doses after steady-state record `ss` leave its regimen
 * (continuesRegimen): a dose of another shape or off its grid, a copy due then and not given, or one
 * given twice; undefined where they continue it. A copy due before `until` must be given: with none
 * after the record the empty list of copies passed, and 1000 mg q12h SS at 0 h with the next dose 2 h
 * late (at 14 h) read AUC(0–14)·24/14 = 369.64 as the daily AUC.
 */
function regimenChange(records: readonly DataRecord[], ss: DataRecord, until: number): number | undefined {
  const eps = 1e-9 * Math.max(1, Math.abs(Number.isFinite(until) ? until : ss.TIME));
  const inside = (r: DataRecord): boolean => r !== ss && isDose(r) && r.TIME >= ss.TIME - eps && r.TIME < until - eps;
  if (!(ss.II > 0)) return records.filter(inside).reduce<number | undefined>((m, r) => Math.min(m ?? Infinity, r.TIME), undefined);
  const shape = (r: DataRecord): boolean => r.AMT === ss.AMT && r.RATE === ss.RATE && r.CMT === ss.CMT && keptDuration(r) === keptDuration(ss);
  let first = Infinity;
  const ks: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (r !== ss && !inside(r)) continue;
    if (r !== ss && (!shape(r) || r.SS !== 0 || (r.II > 0 && r.II !== ss.II))) first = Math.min(first, r.TIME);
    const copies = givenAddl(records, i);
    for (let c = r === ss ? 1 : 0; c <= copies; c++) {
      const at = r.TIME + c * r.II;
      if (at >= until - eps) break;
      const k = Math.round((at - ss.TIME) / ss.II);
      if (Math.abs(ss.TIME + k * ss.II - at) > eps || k < 1) first = Math.min(first, at);
      else ks.push(k);
    }
  }
  // the copies due before `until` are k = 1 … due; the first k missing or given twice is the change
  const due = Number.isFinite(until) ? Math.max(0, Math.ceil((until - eps - ss.TIME) / ss.II) - 1) : Infinity;
  ks.sort((a, b) => a - b);
  const j = ks.findIndex((k, i) => k !== i + 1);
  const gap = j >= 0 ? Math.min(ks[j] as number, j + 1) : ks.length < due ? ks.length + 1 : undefined;
  if (gap !== undefined) first = Math.min(first, ss.TIME + gap * ss.II);
  return first < Infinity ? first : undefined;
}

/**
 * The time of the last reset up to `t` when it is a steady-state dose (SS = 1, or SS = 2 on EVID 4,
 * which resets first): the course the doses up to `t` run from. A later reset without steady state
 * (EVID 3, or EVID 4 with SS = 0) starts from the empty state, a real course; SS = 2 on EVID 1 adds
 * to the course before it and resets nothing.
 */
function steadyStateStart(records: readonly DataRecord[], t: number): DataRecord | undefined {
  const eps = 1e-9 * Math.max(1, Math.abs(t));
  let at = -Infinity;
  let ss: DataRecord | undefined;
  for (const r of records) {
    if (r.TIME > t + eps || r.TIME < at) continue;
    const steady = isDose(r) && (r.SS === 1 || (r.EVID === 4 && r.SS === 2));
    if (!steady && r.EVID !== 3 && r.EVID !== 4) continue;
    at = r.TIME;
    ss = steady ? r : undefined;
  }
  return ss;
}
