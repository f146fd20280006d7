// The what-if tool's patient case as plain data (what the page's inputs hold), and its translation
// into data records: the history (doses given, measured levels, covariates on every record) that MAP
// estimation reads, and the future regimen (what-if doses plus an observation grid) that forecast()
// merges with that history. Pure, so the Node tests build exactly the records the browser builds.

import { recordFromItems } from '../regimen/nmtran.js';
import { durationItems, type DataRecord } from '../regimen/record.js';
import { regimen } from '../regimen/builder.js';
import { BACK_TO_BACK_SHARE, type MetricSpec } from '../population/metrics.js';
import { flagValueProblem, isFlagUnit } from '../model/covariate-flags.js';
import { parseCovariateUnit } from '../model/units.js';

/** Index of time in a covariate unit's dimensions (mass, amount, volume, time, length). */
const TIME_DIM = 3;

/** A run of equal doses: `count` doses of `amount` every `interval` hours from `start`, each infused over `infusion` hours (0 = bolus). */
export interface DoseSeries {
  readonly amount: number;
  readonly infusion: number;
  readonly interval: number;
  readonly count: number;
  readonly start: number;
}

/** One dose given: at `time` (h since the first record), `amount`, infused over `infusion` hours (0 = bolus). */
export interface GivenDose {
  readonly time: number;
  readonly amount: number;
  readonly infusion: number;
}

/**
 * A measured level. A BLQ level (`blq`) is below the assay's limit: `conc` is then that limit (LLOQ),
 * and the record carries BLQ 1 with LLOQ = conc (dosewise's M3 convention).
 */
export interface Level {
  readonly time: number;
  readonly conc: number;
  readonly blq?: boolean;
  /** For a model with several outputs: the DVID (key in the model's `outputs`) of the quantity measured; none = the model's observed output. */
  readonly dvid?: number;
}

/** What historyRecords needs of a model with several outputs: its outputs by DVID and its observed compartment. */
export interface OutputsOf {
  readonly outputs?: ReadonlyMap<number, { readonly compartment: number; readonly name: string }>;
  readonly observeCompartment: number;
}

export interface PatientCase {
  /** Key of a bundled model (see models.ts). */
  readonly model: string;
  readonly covariates: Readonly<Record<string, number>>;
  readonly doses: DoseSeries;
  /** The doses given one by one (irregular, missed or changed doses); when present they replace the series `doses`. */
  readonly given?: readonly GivenDose[];
  readonly levels: readonly Level[];
}

/** Credible level of bands and intervals, posterior draws and seed of every forecast in the tool. */
export const FORECAST_LEVEL = 0.9;
export const FORECAST_SEED = 1;

/**
 * A time as the tool holds it: 15 significant digits, as a pasted NM-TRAN set's times are compared.
 * A series' time summed in binary (1.13 + 12 = 13.129999999999999) fell before a level typed at
 * 13.13, which was then taken as drawn after that dose (V 115 L for 55.8 L).
 */
export function heldTime(t: number): number {
  return Number(t.toPrecision(15));
}

/** The dose times of a series. */
export function doseTimes(d: DoseSeries): number[] {
  return Array.from({ length: Math.max(0, Math.floor(d.count)) }, (_, k) => heldTime(d.start + k * d.interval));
}

/** The time the next dose after the history is due (start of the default what-if regimen). */
export function nextDoseTime(d: DoseSeries): number {
  return heldTime(d.start + Math.max(0, Math.floor(d.count)) * d.interval);
}

/** The doses of the history: the list given one by one when there is one, else the series expanded. */
export function historyDoses(c: Pick<PatientCase, 'doses' | 'given'>): GivenDose[] {
  if (c.given) return [...c.given].sort((a, b) => a.time - b.time);
  return doseTimes(c.doses).map((time) => ({ time, amount: c.doses.amount, infusion: c.doses.infusion }));
}

/**
 * When the next dose is due after the history (the default start of the what-if regimen): after a
 * series, one series interval after its last dose; after doses given one by one, `interval` (the
 * what-if regimen's) after the last of them.
 */
export function nextDoseAfter(c: Pick<PatientCase, 'doses' | 'given'>, interval: number): number {
  if (!c.given) return nextDoseTime(c.doses);
  const last = historyDoses(c).at(-1);
  return last === undefined ? 0 : heldTime(last.time + interval);
}

/** The first bad field of the dose given in row `row` (1-based) and why, or undefined. */
export function givenProblem(d: GivenDose, row: number): { field: keyof GivenDose; message: string } | undefined {
  const bad = (field: keyof GivenDose, why: string) => ({ field, message: `Dose ${row}: ${why}` });
  if (!(Number.isFinite(d.time) && d.time >= 0)) return bad('time', 'the time must be ≥ 0 h after the first record');
  if (!(d.amount > 0 && Number.isFinite(d.amount))) return bad('amount', 'the dose must be > 0');
  if (!(d.infusion >= 0 && Number.isFinite(d.infusion))) return bad('infusion', 'the infusion time must be ≥ 0');
  return undefined;
}

/** What a refusal or warning of an infusion's length says: minutes typed into a field of hours (60 for 1 h) made a 60-h infusion. */
export const HOURS_HINT = 'durations are in hours (60 min = 1 h)';

/** Infusions this long or longer are warned of (W_LONG_INFUSION), unless one is hung as another ends (bags changed). */
export const LONG_INFUSION_HOURS = 24;

/** How doses given one by one overlap: the first (in time) whose infusion runs past the start of the next later dose, and the doses of 24 h or longer. */
export interface InfusionCheck {
  /** Indices into the list given: the dose and the next later one it runs past. */
  readonly overlap?: { readonly index: number; readonly next: number };
  /** Indices of the infusions of LONG_INFUSION_HOURS or longer that are not bags back to back (hung as another ends, or ending as another is hung). */
  readonly long: readonly number[];
}

/**
 * The infusions of a history of doses given one by one (times in h, in any order) that run past the
 * next dose's start, and those of 24 h or longer: a series refuses an infusion longer than its
 * interval, but a table row took minutes for hours (60, 60, 90: a 60-h infusion under the next dose
 * 12.5 h later) without a word. Ends are compared as the tool holds times, so back-to-back bags
 * (24 h at 0 and 24) do not overlap; doses at one time are not compared with each other.
 */
export function infusionCheck(doses: readonly Pick<GivenDose, 'time' | 'infusion'>[]): InfusionCheck {
  const order = doses.map((_, i) => i).sort((a, b) => (doses[a] as GivenDose).time - (doses[b] as GivenDose).time);
  const long: number[] = [];
  let overlap: InfusionCheck['overlap'];
  order.forEach((i, k) => {
    const d = doses[i] as GivenDose;
    if (!(d.infusion > 0)) return;
    const next = order.slice(k + 1).find((j) => (doses[j] as GivenDose).time > d.time);
    const nextTime = next === undefined ? Infinity : (doses[next] as GivenDose).time;
    const backToBack = infusionEndsAt(d, nextTime);
    if (heldTime(d.time + d.infusion) > heldTime(nextTime) && !backToBack) overlap ??= { index: i, next: next as number };
    // a bag hung as the one before ends continues it, as does one that ends as the next is hung
    else if (d.infusion >= LONG_INFUSION_HOURS && !backToBack && !doses.some((p) => p.infusion > 0 && infusionEndsAt(p, d.time))) long.push(i);
  });
  return { ...(overlap ? { overlap } : {}), long };
}

// an infusion ending within BACK_TO_BACK_SHARE of the gap to the next dose is bags back to back, as
// the command line reads them: 24-h bags of 2000 mg at RATE 83.33 run 24.0012 h, and were refused

/** Whether infusion `d` ends at time `t` (after its start), within BACK_TO_BACK_SHARE of the gap. */
function infusionEndsAt(d: Pick<GivenDose, 'time' | 'infusion'>, t: number): boolean {
  return t > d.time && Number.isFinite(t) && Math.abs(heldTime(d.time + d.infusion) - heldTime(t)) <= BACK_TO_BACK_SHARE * (t - d.time);
}

/**
 * Why an infusion running past the next dose is refused, with what to do (`next` names that dose:
 * "Dose 2", "row 2"; `nextInfusion` its own infusion time, 0 for a bolus).
 */
export function infusionPastNextText(infusion: number, gap: number, next: string, nextInfusion: number): string {
  // to 6 digits: the overlap is seen (24.0012 h against 24 h), and 1000/16.6667 shows 59.9999 h
  const h = (v: number): number => Number(v.toPrecision(6));
  const what = nextInfusion > 0 ? 'two infusions running at once' : 'a dose during a running infusion';
  return `a ${h(infusion)} h infusion runs past the next dose, ${h(gap)} h later (${next}): ${HOURS_HINT}; the tool does not take ${what} (dosewise estimate reads ${nextInfusion > 0 ? 'them' : 'it'})`;
}

/** The warning of infusions of 24 h or longer (`which` names them: "Dose 3", "rows 1, 3"). */
export function longInfusionText(which: string): string {
  return `W_LONG_INFUSION: ${which} infused over ${LONG_INFUSION_HOURS} h or longer: ${HOURS_HINT}; a continuous infusion on purpose is taken as it is`;
}

/** End of a dose series' last interval. */
export function seriesEnd(d: DoseSeries): number {
  return nextDoseTime(d);
}

function doseItems(amount: number, infusion: number): Record<string, number> {
  return { EVID: 1, AMT: amount, ...durationItems(amount, infusion) };
}

/**
 * Most doses in one series. Every dose adds two curve points, 500 posterior draws for the band and
 * a marker on the plot: at 500 doses the band takes about 0.6 s in the worker and a redraw 0.1–0.3 s
 * on the page (headless Chromium, 2 shared cores); at 1,000 a redraw held the page for over a second,
 * and 100,000 doses would stall the tool, so longer regimens are refused with a message naming the
 * field (the CLI has no such limit).
 */
export const MAX_DOSES = 500;

/** The first bad field of a dose series and why, or undefined. */
export function seriesProblem(d: DoseSeries, what: string): { field: keyof DoseSeries; message: string } | undefined {
  const bad = (field: keyof DoseSeries, why: string) => ({ field, message: `${what}: ${why}` });
  if (!(d.amount > 0)) return bad('amount', 'the dose must be > 0');
  if (!(d.infusion >= 0)) return bad('infusion', 'the infusion time must be ≥ 0');
  if (!(d.interval > 0)) return bad('interval', 'the interval must be > 0');
  if (!(Number.isInteger(d.count) && d.count >= 1)) return bad('count', 'the number of doses must be a whole number ≥ 1');
  if (d.count > MAX_DOSES) return bad('count', `at most ${MAX_DOSES.toLocaleString('en-US')} doses (got ${d.count.toLocaleString('en-US')}): longer regimens would stall the tool`);
  if (!(d.start >= 0)) return bad('start', 'the start time must be ≥ 0');
  if (d.infusion > d.interval) return bad('infusion', 'the infusion must not be longer than the interval');
  return undefined;
}

/** Checks a dose series and returns a message naming the first bad field, or undefined. */
export function checkSeries(d: DoseSeries, what: string): string | undefined {
  return seriesProblem(d, what)?.message;
}

/** Whether a covariate's unit is one of time (h, min, days, weeks, months, years: an age or a duration). */
function isTimeUnit(unit: string): boolean {
  const d = parseCovariateUnit(unit)?.dim;
  return d !== undefined && d.every((x, i) => x === (i === TIME_DIM ? 1 : 0));
}

/**
 * Why a covariate value cannot be used, or undefined. The unit says what the value is: `0/1` a
 * flag (the rule of src/model/covariate-flags.ts, which the command line applies too), `1..5` or
 * `1, 2, ...` an occasion number, a unit of time (h, min, days, weeks, months, years) an age or a
 * duration (≥ 0), any other unit a physical quantity (weight, clearance, height, …: > 0); a
 * covariate without a unit only needs a number.
 */
export function covariateProblem(name: string, unit: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return `${name}: enter a number`;
  const u = unit.trim();
  if (isFlagUnit(u)) {
    const why = flagValueProblem(u, value);
    return why === undefined ? undefined : `${name}: ${why} (got ${value})`;
  }
  if (/^1\s*(\.\.|,)/.test(u)) return Number.isInteger(value) && value >= 1 ? undefined : `${name}: must be a whole number ≥ 1 (got ${value})`;
  // an age or a duration (h, min, days, weeks, months, years) may be 0, as on the command line (a
  // newborn's PNA of 0 days was refused as "must be > 0 days")
  if (isTimeUnit(u)) return value >= 0 ? undefined : `${name}: must be ≥ 0 ${u} (got ${value})`;
  if (u !== '') return value > 0 ? undefined : `${name}: must be > 0 ${u} (got ${value})`;
  return undefined;
}

/**
 * The observation items naming a level's output: CMT = the output's compartment (0 when it is the
 * model's observed compartment) and DVID = its key; none for a level without a DVID.
 */
export function levelOutputItems(l: Pick<Level, 'dvid'>, model?: OutputsOf): Record<string, number> {
  if (l.dvid === undefined) return {};
  const o = model?.outputs?.get(l.dvid);
  if (!o) throw new Error(`a level of DVID ${l.dvid}: ${model?.outputs ? `the model's outputs are DVID ${[...model.outputs.keys()].join(', ')}` : 'the model has one output'}`);
  return { CMT: o.compartment === model?.observeCompartment ? 0 : o.compartment, DVID: l.dvid };
}

/**
 * The patient's records: one dose record per dose given (no ADDL) and one observation per level,
 * sorted by time with levels before doses at equal times (pre-dose levels); every record carries
 * the covariates. The doses are the list given one by one when the case has one, else the series.
 * A level of a model with several outputs (`dvid`) is predicted from its output's compartment:
 * CMT = that compartment (0 when it is the model's observed one) and DVID = its key.
 */
export function historyRecords(c: Pick<PatientCase, 'covariates' | 'doses' | 'given' | 'levels'>, model?: OutputsOf): DataRecord[] {
  type Row = { t: number; order: number; items: Record<string, number> };
  const rows: Row[] = [];
  for (const d of historyDoses(c)) rows.push({ t: d.time, order: 1, items: { TIME: d.time, ...doseItems(d.amount, d.infusion) } });
  // a BLQ level: BLQ 1 with its limit as LLOQ (and DV), the M3 likelihood
  for (const l of c.levels) rows.push({ t: l.time, order: 0, items: { TIME: l.time, EVID: 0, DV: l.conc, ...levelOutputItems(l, model), ...(l.blq ? { BLQ: 1, LLOQ: l.conc } : {}) } });
  rows.sort((a, b) => a.t - b.t || a.order - b.order);
  return rows.map((r, i) => recordFromItems({ ID: 1, ...c.covariates, ...r.items }, i + 1));
}

/** A grid step giving about `points` points over `span` hours, rounded to 1, 2 or 5 × 10^k. */
export function niceStep(span: number, points = 300): number {
  const raw = span / points;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * Observation times over [from, to]: a regular grid plus every dose time and infusion end inside
 * (so peaks and troughs are sampled exactly), ascending and distinct.
 */
export function observationTimes(from: number, to: number, doses: readonly { time: number; infusion: number }[], points = 300): number[] {
  const step = niceStep(Math.max(to - from, 1e-9), points);
  const set = new Set<number>();
  const n = Math.floor((to - from) / step + 1e-9);
  for (let k = 0; k <= n; k++) set.add(+(from + k * step).toFixed(10));
  set.add(to);
  for (const d of doses) {
    for (const t of [d.time, d.time + d.infusion]) if (t >= from && t <= to) set.add(+t.toFixed(10));
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * The future regimen as records: the what-if doses and observations from `from` (default 0, so the
 * curve covers the history too) to the end of the last what-if interval.
 */
export function futureRecords(w: DoseSeries, options: { readonly from?: number; readonly points?: number; readonly history?: DoseSeries | readonly GivenDose[] } = {}): DataRecord[] {
  const end = seriesEnd(w);
  const from = options.from ?? 0;
  const doses = doseTimes(w).map((time) => ({ time, infusion: w.infusion }));
  const h = options.history;
  const past = h === undefined ? [] : 'count' in h ? historyDoses({ doses: h }) : h;
  let r = regimen();
  // each dose carries the what-if's interval (II without ADDL gives no dose): the metrics' last
  // interval is the what-if's own, not one guessed from the spacing of the history's doses (one
  // q24h dose after a q12h history had its trough taken 12 h after it)
  for (const d of doses) r = r.dose({ time: d.time, amt: w.amount, dur: w.infusion > 0 ? w.infusion : undefined, ii: w.interval > 0 ? w.interval : undefined });
  return r.observe({ times: observationTimes(from, end, [...past, ...doses], options.points) }).records();
}

/** Metrics asked of forecast() for the what-if regimen, over its last dosing interval (named auctau, trough, cmax). */
export const WHATIF_METRICS: readonly MetricSpec[] = [
  { type: 'auc', window: 'interval' },
  { type: 'trough', window: 'interval' },
  { type: 'cmax', window: 'interval' },
];
