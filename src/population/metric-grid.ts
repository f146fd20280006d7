// The profile exposure metrics are computed on. A profile sampled on a grid has one value per
// record, and one value cannot be both limits of a jump: at a dose the concentration before it
// (trough, a window ending there) and after it (a window starting there) differ. And a dose or an
// infusion end between two samples would be bridged by a straight line across the jump or the kink.
// So the metric profile samples every time where the profile jumps or kinks inside a metric window
// (doses of data records and ADDL doses, lagged arrivals, infusion ends, SS and EVID 3/4 resets)
// and the window edges themselves. At a jump it carries both limits: the pre-dose value (an
// observation record before the dose, as NONMEM reports a record placed before the dose record)
// and the post-dose value (the dose record's own row, or any record after an implied or lagged dose
// at that time). The metric kernel (assembly/metrics.ts) then takes the right limit at a window's
// start and the left limit at its end, and the trapezoid never spans a discontinuity.
// A record where the parameters change (a time-varying WT that sets V, a dialysis flag, a new
// occasion's κ) is a jump too, though no amount moves: the level is amount / V. The record reads one
// side (NOCB: the parameters before it; LOCF: after it) and a sample added at its time reads the
// other, so a WT 100 → 50 kg step no longer read auc:12:14 33.47 for an exact 45.75.
// When a dose's arrival or end depends on sampled values (a lag, modelled rate or duration with
// IIV or a sampled covariate), it differs per subject while the grid is shared: the grid carries
// the typical subject's times and metricTimingWarning says so.

import { Errors } from '../errors.js';
import { Ev } from '../abi.js';
import type { Model } from '../model/model.js';
import { autoSolver, undosedStates } from '../model/structure.js';
import { compileChecked, type EventTable, textStates } from '../regimen/compile.js';
import { recordFromItems } from '../regimen/nmtran.js';
import type { MetricDef } from './metrics.js';
import { refuseFactorsOnTotalDrug } from './factors-on-total-drug.js';
import { dataItem, givenAddl, isDose, PRE_DOSE_ITEM, type DataRecord } from '../regimen/record.js';

export interface MetricGrid {
  /** The records with the metric samples added (the same array when none was needed). */
  readonly records: readonly DataRecord[];
  /** Index in the original records per row, −1 for an added sample. */
  readonly source: Int32Array;
  /** Number of added samples. */
  readonly added: number;
  /**
   * Per row, 1 for a row added only as some metric's window edge or point time, which the metric
   * kernel shows only to the metrics whose own edge that time is; 0 for a row every metric reads (a
   * record, a jump or kink, a dense sample). Read by every metric, such a row changed their
   * trapezoids (a population's AUC24 on a 6-h grid +7 % once conc@145 was asked for besides).
   * Undefined when there is none.
   */
  readonly edgeOnly?: Int32Array;
}

/** Times the profile jumps (doses, resets) or kinks (rate changes) at, beyond the records' own. */
export interface Discontinuities {
  readonly jumps: readonly number[];
  readonly kinks: readonly number[];
  /**
   * Record times after which the parameter set changes. Whatever the observation reads (a volume
   * or scale, an effect's parameters) may change with it, and the level jump there as at a dose
   * (WT 100 → 50 kg with V per kg: twice the level), though no amount moves. One record reads one
   * side only (NOCB: the left, its own parameters; LOCF: the right), so metricGrid samples the other.
   */
  readonly paramJumps?: readonly number[];
  /**
   * The model may have phases much faster than the dense grid's first offset (an ODE model: target
   * binding after a bolus, 1/(kon·R0) ≈ 0.02 h): dense sampling then starts after each arrival
   * from FAST_OFFSETS (see modelDiscontinuities).
   */
  readonly fast?: boolean;
  /**
   * A dose enters a compartment other than the observed one (an oral dose's depot): the level rises
   * smoothly from each such arrival and peaks between samples (see ABSORPTION_OFFSETS).
   */
  readonly absorbed?: boolean;
}

export interface MetricGridOptions {
  /**
   * The metric windows: samples are added only inside them (edges included), and at their edges.
   * Without windows, every discontinuity from the first to the last record is sampled.
   */
  readonly windows?: readonly Pick<MetricDef, 't0' | 't1'>[];
  /** Discontinuities the model adds (lagged arrivals, modelled infusion ends): see modelDiscontinuities. */
  readonly events?: Discontinuities;
  /** Windows sampled on a fine grid besides (see denseMetricSampling). */
  readonly dense?: DenseSampling;
}

export interface DenseSampling {
  readonly windows: readonly Pick<MetricDef, 't0' | 't1'>[];
  /** Samples per hour inside the windows, and inside the infusions (of the records) there. */
  readonly perHour: number;
  readonly perHourInfused: number;
  /** Hours after every dose arrival in the windows to sample at too (see arrivalSampling). */
  readonly afterArrival?: readonly number[];
  /** Hours after every infusion end in the windows to sample at too: where a distribution phase starts. */
  readonly afterInfusionEnd?: readonly number[];
  /** Hours after every dose arrival to sample at too where a dose is absorbed (Discontinuities.absorbed). */
  readonly afterAbsorbedArrival?: readonly number[];
}

/** Most samples denseMetricSampling adds to one window. */
const MAX_DENSE_SAMPLES = 4000;

/** Geometric offsets after a dose's arrival: a first-order rise or a distribution phase, resolved from 1/32 h on. */
const ARRIVAL_OFFSETS = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4];
/**
 * In their place, for a model solved by ODE (its dynamics are not known in closed form): quarter
 * octaves from 2^-14 to 4 h. A TMDD forecast's AUC over a week read 3.3685 for 3.3107 (+1.7 %) and
 * its time above 1 nmol/L 0.149 h for 0.133 (+12 %): target binding after the bolus is over within
 * 1/32 h. Octaves from 2^-14 h left +0.16 % and +3.8 %; quarter octaves +3.9e-4 and +1.2 %.
 */
const FAST_OFFSETS = Array.from({ length: 65 }, (_, k) => 2 ** (-14 + k / 4));
/**
 * After an absorbed (oral) dose's arrival, for one patient's forecast: quarter octaves from 1/32 h
 * and every 1/16 h to 4 h, where the rise and the peak bend the profile. With the octaves and the
 * 1/4-h grid alone the linear-up rule and the sampled maximum read low: a 1-cmt oral forecast (KA
 * 1.2/h, CL/V 0.4/h, q12h) AUC24 −2.2e-3 and Cmax −3.3e-3 of the closed form; now −1.2e-4 and
 * −3.5e-5 (quarter octaves alone: −5.9e-4, −5.9e-4; with 1/8 h: −2.8e-4, −3e-5), for 2.3× the
 * rows in the window and +1.5 % CPU in a forecast of 4,000 draws (every 1/32 h: −4.6e-5 for +7 %;
 * test/unit/bayes/forecast-oral-accuracy.test.ts). A regimen search keeps ARRIVAL_OFFSETS, whose
 * cost its candidates multiply; populations sample only their own grid.
 */
const ABSORPTION_OFFSETS = [...new Set([...Array.from({ length: 29 }, (_, k) => 2 ** (-5 + k / 4)), ...Array.from({ length: 64 }, (_, k) => (k + 1) / 16)])].sort((a, b) => a - b);

/**
 * Samples every 1/4 h inside the windows of the metrics that integrate or search the profile (AUC,
 * Cavg, Cmax, Cmin, Tmax, time above or within), and every 1/24 h inside infusions there, where the
 * level rises and the linear-up rule errs most (at most 4,000 per window and infusion): where these
 * follow the regimen's observation grid, a display grid decides the number (the W-map patient's
 * AUC24: +30 % on a 12-h grid, −0.4 % on a 1-h grid; +1.7e-4 with these samples, test/unit/bayes/
 * forecast.test.ts). For one patient's forecast and what-if, not for populations, whose grid the
 * study sets and whose cost it multiplies; every sample is a record (~10 µs here) and an output row
 * per draw, so uniform 1/10 h samples took the W-map forecast from 5 to 10 ms.
 */
export function denseMetricSampling(defs: readonly MetricDef[]): DenseSampling {
  // and after every arrival and infusion end (ARRIVAL_OFFSETS): a fast distribution phase (Q/V
  // 12.5/h) falls within one 1/4-h step, where the log-down rule put a forecast's AUC24 0.36 % high
  return { windows: defs.filter((d) => d.type !== 'value' && d.type !== 'trough'), perHour: 4, perHourInfused: 24, afterArrival: ARRIVAL_OFFSETS, afterInfusionEnd: END_OFFSETS, afterAbsorbedArrival: ABSORPTION_OFFSETS };
}

/**
 * After an infusion's end, its first hour (later, the offsets after the infusion's start reach):
 * 1/32 … 1 h for one patient's forecast (Q/V 12.5/h after 0.5-h infusions: AUC +2.7e-4 of exact);
 * every other one for a regimen search, whose 240 candidates × 1,000 draws the six took from 44 to
 * 50–67 ms (W-optimize, target < 50 ms) and the three from 41.5 to 47.6 ms (medians of six
 * interleaved runs): optimize's AUC24 there is within 1.1e-3 to 1.4e-3 of exact (1.1e-2 before any).
 */
const END_OFFSETS = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1];
const SEARCH_END_OFFSETS = [1 / 32, 1 / 8, 1 / 2];


/**
 * For the many profiles of a regimen search: besides the candidates' own grid (24 points per
 * interval, every infusion end), samples at 1/32, 1/16 … 2, 4 h after every dose arrival and every
 * infusion end in the windows (an infusion's rise included). Where the profile bends most is right after a dose (an oral dose's rise,
 * a two-compartment distribution phase); later it is near one exponential, which the log-down rule
 * integrates exactly. An oral dose at KA 4/h: AUC24 −2.4 % on the candidates' grid, within 2e-3 of
 * the closed form with 8 samples per dose, where 1/4-h samples throughout (denseMetricSampling)
 * made the search 2.5× slower (test/unit/design/optimize-oral-auc.test.ts).
 */
export function arrivalSampling(defs: readonly MetricDef[]): DenseSampling {
  return { ...denseMetricSampling(defs), perHour: 0, perHourInfused: 0, afterInfusionEnd: SEARCH_END_OFFSETS, afterAbsorbedArrival: undefined };
}

/** log2 of the hours after an arrival where lateSamples start by default: 4 h, where arrivalSampling's octaves end. */
const LATE_FROM_OCTAVE = 2;

/**
 * Samples at quarter octaves (2^(j/4) h, as the engine's other fast-phase samples; 2^(j/perOctave)
 * h) after every dose arrival and rate change (an infusion's start and end), from 2^fromOctave h on
 * (4 h by default), as long as they lie closer together than the uniform grid's `step` (a regimen
 * search's τ/24), inside [from, to]. The profile after an arrival is a sum of exponentials of rates
 * the search does not know; a geometric grid gives every time scale
 * the same relative resolution (a step of 16 % of the time since the arrival), where a step of τ/24
 * grows with τ. With 24 points per interval alone, a long-acting injectable (KA 0.0005/h, CL/V
 * 0.02/h) read Cavg −5.5e-4 at q672h and −6.1e-2 at q8760h (the 365-h step spans the absorption's
 * whole rise) and time above 0.05 mg/L 1267 h for 1428 h; the W-map model's AUC24 +1.0e-2 at q168h.
 * Now −7e-5 to −1.3e-4 at every interval, 1428.21 h, and W-map +2.2e-3 at q48h and q168h (+4e-4 at
 * q12h, +1.1e-3 at q24h): what is left there is the distribution phase between metricGrid's octaves
 * 2 and 4 h after the dose (arrivalSampling). Quarter octaves from 2 h would bring it to 9e-4 at
 * every interval, but add 6 % rows and ~10 % CPU to W-optimize (q6h–q24h); these add 1.2 % (at q24h
 * only: 4.76 and 5.66 h after each arrival), and none at q12h or shorter. A strategy comparison,
 * one simulation of its population, starts them at 1/32 h (src/design/strategies/strategies.ts);
 * a regimen search at a long interval earlier and denser (searchLateSamples).
 */
export function lateSamples(starts: readonly number[], step: number, from: number, to: number, fromOctave = LATE_FROM_OCTAVE, perOctave = 4): number[] {
  const out: number[] = [];
  for (const a of new Set(starts))
    for (let j = perOctave * fromOctave + 1; ; j++) {
      const o = 2 ** (j / perOctave);
      // the step from the sample before: where the uniform grid is as dense, the rest add nothing
      if (!(o - 2 ** ((j - 1) / perOctave) < step) || a + o >= to) break;
      if (a + o > from) out.push(a + o);
    }
  return out;
}

/**
 * lateSamples for a regimen search whose uniform step is `step` (τ/24): where it exceeds 1 h (τ >
 * 24 h), fifth octaves from 1/2 h on. The grid then holds an oral dose's rise and peak (near 2 h)
 * with arrivalSampling's octaves and 1.5-h steps alone: 1000 mg q36h of a 1-cmt oral model (CL 5,
 * V 50, KA 1.2/h) read auc24 −2.2e-3, peak −3.6e-3 and time above 10 mg/L −2.5e-3, now −4.0e-4,
 * −2.4e-4 and −1.1e-4 (within 5e-4 at q48h and q168h, within 1e-3 at q36h for KA 0.6 to 4/h;
 * quarter octaves from 1/2 h left the peak at −1.2e-3), for 15 rows more per arrival (a q36h
 * candidate's 39 to 54). At τ ≤ 24 h
 * nothing changes: W-optimize (q6h–q24h) keeps its rows and time, and q24h its −3.8e-3 (auc24) and
 * −1.9e-3 (peak) on that model (test/unit/design/optimize-long-oral-peak.test.ts).
 */
export function searchLateSamples(starts: readonly number[], step: number, from: number, to: number): number[] {
  return step > 1 ? lateSamples(starts, step, from, to, -1, 5) : lateSamples(starts, step, from, to);
}

/**
 * Adds sample records where metrics need them (see the file comment). Records must be sorted by
 * time. An added record copies the data items that hold over the interval ending at it (NOCB: the
 * first record at or after its time; LOCF: the record before), so parameters do not change.
 */
export function metricGrid(records: readonly DataRecord[], timeVarying: 'nocb' | 'locf' = 'nocb', options: MetricGridOptions = {}): MetricGrid {
  if (records.length === 0) return { records, source: new Int32Array(0), added: 0 };
  const first = (records[0] as DataRecord).TIME;
  const end = records.reduce((m, r) => Math.max(m, r.TIME), first);
  const windows = options.windows ?? [{ t0: first, t1: end }];
  // a window may start before the first record (conc@5 with the first dose at 10 h): its samples
  // read the empty state there (0), where none before took the level after that dose instead
  const inWindow = (t: number) => t >= Math.min(first, 0) && t <= end && windows.some((w) => t >= w.t0 && t <= w.t1);
  const jump = new Set<number>(); // times with a record-less (implied or lagged) dose: every record there is post-dose
  const recordJump = new Set<number>(); // times of dose / reset records
  const point = new Set<number>(); // kinks and window edges: one sample is enough
  const infusions: [number, number][] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (isDose(r) || r.EVID === 3) recordJump.add(r.TIME);
    if (!isDose(r)) continue;
    const copies = givenAddl(records, i);
    for (let k = 0; k <= copies && r.TIME + k * r.II <= end; k++) {
      const t = r.TIME + k * r.II;
      if (k > 0) jump.add(t);
      if (r.RATE > 0 && r.AMT > 0) {
        point.add(t + r.AMT / r.RATE);
        infusions.push([t, t + r.AMT / r.RATE]);
      }
      if (!(r.II > 0)) break;
    }
  }
  for (const t of options.events?.jumps ?? []) jump.add(t);
  // parameter changes happen at records (see paramJumps): the side the record does not read is sampled there
  const paramJump = new Set(options.events?.paramJumps ?? []);
  for (const t of options.events?.kinks ?? []) point.add(t);
  // every time so far is a sample all metrics read; a window's edges are its metric's alone
  const shared = new Set(point);
  const edges = new Set<number>();
  for (const w of options.windows ?? [])
    for (const t of [w.t0, w.t1]) {
      point.add(t);
      edges.add(t);
    }
  const dense = options.dense;
  if (dense) {
    // on grids of their own (k / perHour h: exact at whole hours, shared by windows that overlap),
    // thinned for a long window; denser inside infusions, where the level rises (see denseMetricSampling)
    const add = (t: number): void => {
      point.add(t);
      shared.add(t);
    };
    const fill = (a: number, b: number, perHour: number): void => {
      for (let k = Math.floor(a * perHour) + 1, t = k / perHour; t < b; t = ++k / perHour) add(t);
    };
    const arrivals = dense.afterArrival?.length ? [...new Set([...recordJump, ...jump])] : [];
    const offsets = options.events?.fast && dense.afterArrival?.length ? FAST_OFFSETS : (dense.afterArrival ?? []);
    const afterArrival = options.events?.absorbed && dense.afterAbsorbedArrival?.length ? [...offsets, ...dense.afterAbsorbedArrival] : offsets;
    // an infusion's end starts the distribution phase as a bolus does (a fast one, Q/V 12.5/h: the
    // next hourly sample came after it, and the log-down rule over it put the AUC 1.1 % high); the
    // first hour after it is sampled (later, the offsets after the infusion's start reach)
    const endOffsets = dense.afterInfusionEnd ?? [];
    const ends = endOffsets.length ? [...new Set(infusions.map(([, b]) => b))].filter((b) => !arrivals.includes(b)) : [];
    for (const w of dense.windows) {
      const span = w.t1 - w.t0;
      if (!(span > 0) || !Number.isFinite(span)) continue;
      if (dense.perHour > 0) fill(w.t0, w.t1, Math.min(dense.perHour, MAX_DENSE_SAMPLES / span));
      for (const a of arrivals) for (const h of afterArrival) if (a + h > w.t0 && a + h < w.t1) add(a + h);
      for (const b of ends) for (const h of endOffsets) if (b + h > w.t0 && b + h < w.t1) add(b + h);
      for (const [a, b] of infusions)
        if (dense.perHourInfused > 0 && b > w.t0 && a < w.t1) fill(Math.max(a, w.t0), Math.min(b, w.t1), Math.min(dense.perHourInfused, MAX_DENSE_SAMPLES / (Math.min(b, w.t1) - Math.max(a, w.t0))));
    }
  }
  const recordTimes = new Set(records.map((r) => r.TIME));
  // sample times with no record: a pre- and a post-dose sample at a jump, one sample elsewhere
  const extra = [...new Set([...jump, ...point])].filter((t) => inWindow(t) && !recordTimes.has(t)).sort((a, b) => a - b);

  const out: DataRecord[] = [];
  const source: number[] = [];
  const edgeOnly: number[] = [];
  let added = 0;
  const sample = (t: number, from: DataRecord, at: DataRecord, pre: boolean): void => {
    // no `delete` (it turns the object into a dictionary, slow in every later read): a source item
    // marking a pre-dose sample is left out by copying the others
    let base: Record<string, number> = from.items;
    if (PRE_DOSE_ITEM in base) {
      base = {};
      for (const k in from.items) if (k !== PRE_DOSE_ITEM) base[k] = from.items[k] as number;
    }
    const items: Record<string, number> = { ...base, ID: at.ID, TIME: t, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 1, DV: NaN };
    if (pre) items[PRE_DOSE_ITEM] = 1;
    const rec = recordFromItems(items, at.row, 'metric grid');
    // a parameter that reads TIME reads the governing record's, as every other item: with the
    // sample's own, auc:1:10 moved a CL step at TIME 5 to the first sample past it (88.05 for 81.28)
    out.push('TIME' in from.items || from.TIME !== t ? { ...rec, items: { ...rec.items, TIME: from.items.TIME ?? from.TIME } } : rec);
    source.push(-1);
    edgeOnly.push(pre || jump.has(t) || paramJump.has(t) || shared.has(t) || !edges.has(t) ? 0 : 1);
    added++;
  };
  let e = 0;
  for (let i = 0; i < records.length; ) {
    const t = (records[i] as DataRecord).TIME;
    const head = records[i] as DataRecord;
    // record-less samples before this time: NOCB takes this record's items, LOCF the one before
    for (; e < extra.length && (extra[e] as number) < t; e++) {
      const x = extra[e] as number;
      const from = timeVarying === 'locf' && i > 0 ? (records[i - 1] as DataRecord) : head;
      if (jump.has(x)) sample(x, from, head, true);
      sample(x, from, head, false);
    }
    let j = i;
    while (j < records.length && (records[j] as DataRecord).TIME === t) j++;
    const firstReadsBefore = (head.EVID === 0 || head.EVID === 2) && head.items[PRE_DOSE_ITEM] !== 1;
    // LOCF: the records at t read the parameters after the change; the left limit takes the ones before
    const locfChange = timeVarying === 'locf' && i > 0 && paramJump.has(t);
    const needs = inWindow(t) && (jump.has(t) || (recordJump.has(t) && !firstReadsBefore) || locfChange);
    if (needs && head.items[PRE_DOSE_ITEM] !== 1) sample(t, timeVarying === 'locf' && i > 0 ? (records[i - 1] as DataRecord) : head, head, true);
    for (let k = i; k < j; k++) {
      out.push(records[k] as DataRecord);
      source.push(k);
      edgeOnly.push(0);
    }
    // NOCB: the records at t read the parameters before the change; the right limit takes the next
    // record's, which hold over the interval after t (a sample after the records at t, as a record
    // placed there reads them)
    if (timeVarying !== 'locf' && j < records.length && paramJump.has(t) && inWindow(t)) sample(t, records[j] as DataRecord, records[j - 1] as DataRecord, false);
    i = j;
  }
  if (added === 0) return { records, source: Int32Array.from(records, (_, i) => i), added: 0 };
  return { records: out, source: Int32Array.from(source), added, ...(edgeOnly.includes(1) ? { edgeOnly: Int32Array.from(edgeOnly) } : {}) };
}

/**
 * Jump (dose, reset), kink (rate change) and parameter-change times of a compiled event table.
 * With `params` (the table's sets, `stride` doubles each), a change of set index whose values are
 * the same is no change.
 */
export function tableDiscontinuities(table: EventTable, params?: Float64Array, stride = 0): Discontinuities {
  const jumps: number[] = [];
  const kinks: number[] = [];
  const paramJumps: number[] = [];
  for (let i = 0; i < table.n; i++) {
    const type = table.type[i] as number;
    const t = table.time[i] as number;
    if (type === Ev.Bolus || type === Ev.Reset || type === Ev.SteadyState || type === Ev.SteadyStateAdd) jumps.push(t);
    // a model text's equations switch at a Params event of no other effect
    else if (type === Ev.Rate || type === Ev.Params) kinks.push(t);
    // an event's set holds over the interval ending at it (and is what an observation there reads):
    // the change is at the earlier event (NOCB: the record; LOCF: its Params event, at the record)
    if (i + 1 < table.n && table.par[i] !== table.par[i + 1] && !sameSet(params, stride, table.par[i] as number, table.par[i + 1] as number)) {
      if (paramJumps[paramJumps.length - 1] !== t) paramJumps.push(t);
    }
  }
  return { jumps, kinks, ...(paramJumps.length ? { paramJumps } : {}) };
}

/** Whether sets a and b hold the same values (NaN equal to NaN); false without the sets. */
function sameSet(params: Float64Array | undefined, stride: number, a: number, b: number): boolean {
  if (!params || !(stride > 0) || (a + 1) * stride > params.length || (b + 1) * stride > params.length) return false;
  for (let k = 0; k < stride; k++) if (!Object.is(params[a * stride + k], params[b * stride + k]) && params[a * stride + k] !== params[b * stride + k]) return false;
  return true;
}

/** Modifiers that move a dose's arrival or end; F does too when a dose has a fixed RATE (the duration is F·AMT/RATE). */
function timingKinds(records: readonly DataRecord[]): ReadonlySet<string> {
  const k = new Set(['lag', 'rate', 'duration']);
  if (records.some((r) => isDose(r) && r.RATE > 0)) k.add('bioavailability');
  return k;
}

/**
 * The discontinuities of a regimen under a model, for one set of values of the inputs the records
 * lack (`fixed`: e.g. the median subject's covariates; η and κ at 0): lagged arrivals, infusion
 * ends with modelled rate, duration or F, and the records' own doses and resets.
 */
export function modelDiscontinuities(model: Model, records: readonly DataRecord[], fixed: Readonly<Record<string, number>> = {}): Discontinuities {
  const evals = records.map((r) => model.evaluate(r.items, fixed, r.row));
  const compiled = compileChecked(records, evals, { nStates: model.nStates, timeVarying: model.timeVarying, observedIndex: model.observeCompartment - 1, textStates: textStates(model), undosed: undosedStates(model.structure) });
  const found = tableDiscontinuities(compiled.events, compiled.params, compiled.stride);
  // κ is 0 here, so a new occasion changes no set, while each subject's κ (a population's draws, a
  // forecast's estimates) moves its parameters there: every change of occasion counts
  const col = model.iov?.occasion;
  const occasions: number[] = [];
  if (col !== undefined)
    for (let i = 1; i < records.length; i++) {
      const a = records[i - 1] as DataRecord;
      const b = records[i] as DataRecord;
      if (!Object.is(a.items[col] ?? NaN, b.items[col] ?? NaN)) occasions.push(model.timeVarying === 'locf' ? b.TIME : a.TIME);
    }
  const paramJumps = occasions.length ? [...new Set([...(found.paramJumps ?? []), ...occasions])].sort((x, y) => x - y) : found.paramJumps;
  // a dose into another compartment than the observed one (CMT 0: the first, as compileChecked reads it)
  const absorbed = records.some((r) => isDose(r) && r.AMT > 0 && (r.CMT > 0 ? r.CMT : 1) !== model.observeCompartment);
  return { ...found, ...(paramJumps?.length ? { paramJumps } : {}), fast: odeModel(model), absorbed };
}

/** Whether the model is solved by ODE (its own method; a linear structure or text is propagated exactly). */
function odeModel(model: Model): boolean {
  if (model.solver.method === 'analytic') return false;
  return model.kernel ? !model.kernel.linear : autoSolver(model.structure) === 'ode';
}

/** Whether the records' dose arrivals or infusion ends move with `sampled` values (η, κ, sampled covariates): a lag, a modelled rate or duration, F under a fixed RATE. */
export function timingVaries(model: Model, records: readonly DataRecord[], sampled: ReadonlySet<string>): boolean {
  return records.some(isDose) && model.slots.modifiersDependOn(sampled, timingKinds(records));
}

/**
 * A warning when dose arrivals or infusion ends depend on values that differ per subject (`sampled`:
 * η, κ, sampled covariates) and the regimen has metric windows: the shared grid samples the typical
 * subject's times, so metrics around another subject's arrival are interpolated between grid samples.
 */
export function metricTimingWarning(model: Model, records: readonly DataRecord[], sampled: ReadonlySet<string>, defs: readonly MetricDef[]): string | undefined {
  if (defs.length === 0 || !timingVaries(model, records, sampled)) return undefined;
  const kinds = timingKinds(records);
  const times = [...new Set(records.filter((r) => r.EVID === 0 || r.EVID === 2).map((r) => r.TIME))].sort((a, b) => a - b);
  let step = 0;
  for (let i = 1; i < times.length; i++) step = Math.max(step, (times[i] as number) - (times[i - 1] as number));
  const which = [...kinds].filter((k) => model.slots.modifiersDependOn(sampled, new Set([k]))).join('/');
  return (
    `metrics ${defs.map((d) => d.name).join(', ')}: the dose ${which} of model ${model.name} differs per subject (it reads ${[...sampled].filter((n) => model.slots.modifiersDependOn(new Set([n]), kinds)).join(', ')}), ` +
    `so dose arrivals and infusion ends are sampled at the typical subject's times only; around another subject's arrival the metrics are interpolated between observation times (largest step ${step} h)`
  );
}

/** Keeps the rows of the original records from a row-major profile (count × grid rows). */
export function originalRows(grid: MetricGrid, values: Float64Array, count: number): Float64Array {
  if (grid.added === 0) return values;
  const n = grid.source.length;
  const keep = n - grid.added;
  const out = new Float64Array(count * keep);
  for (let s = 0; s < count; s++) {
    let o = s * keep;
    for (let r = 0; r < n; r++) if ((grid.source[r] as number) >= 0) out[o++] = values[s * n + r] as number;
  }
  return out;
}

/** Row in the metric grid of each original record. */
export function gridRowOf(grid: MetricGrid): Int32Array {
  const rowOf = new Int32Array(grid.source.length - grid.added);
  grid.source.forEach((s, r) => {
    if (s >= 0) rowOf[s] = r;
  });
  return rowOf;
}

/**
 * Refuses a point metric (conc@T, or a trough at T) at the time of an SS=1 dose that no earlier
 * dose precedes: the level before that record is the empty state before the reset (0), while the
 * steady state the record stands for has a trough one interval later.
 */
export function refuseEmptyStatePoints(defs: readonly MetricDef[], records: readonly DataRecord[]): void {
  for (const d of defs) {
    const t = d.type === 'value' ? d.t0 : d.type === 'trough' ? d.t1 : undefined;
    if (t === undefined) continue;
    // the first dose an SS=1 dose at or after t: the level at t is the empty state, not the patient's
    const ss = records.find((r) => isDose(r) && r.SS === 1 && r.TIME >= t);
    if (!ss || records.some((r) => isDose(r) && r.TIME < t) || records.some((r) => isDose(r) && r.TIME < ss.TIME)) continue;
    throw Errors.option('metrics',
      ss.TIME === t
        ? `metric ${d.name}: at ${t} h an SS=1 dose resets the state, and the level before it is the empty state (0), not the steady-state trough; ask for the value one interval later (conc@${t + ss.II} or trough)`
        : `metric ${d.name}: ${t} h is before the SS=1 dose at ${ss.TIME} h, the first dose: the level there is the empty state (0), not the steady state the dose stands for; ask for a time from ${ss.TIME} h on`,
    );
  }
}

/** The output exposure metrics are computed on: the model's default (its observed compartment). */
export function metricOutputName(model: Pick<Model, 'outputs' | 'observeCompartment'>): string {
  const c = model.observeCompartment;
  const o = model.outputs ? [...model.outputs.values()].find((x) => x.compartment === c) : undefined;
  return o ? `output ${o.name} (DVID ${o.dvid}, compartment ${c})` : `compartment ${c}`;
}

/**
 * A model with several outputs: which one its metrics and targets are on, said with every run
 * (nothing else names it: auc24 of a parent–metabolite model is the metabolite's).
 */
export function metricOutputNote(model: Pick<Model, 'outputs' | 'observeCompartment'>): string[] {
  if (!model.outputs || model.outputs.size < 2) return [];
  return [`exposure metrics and targets are on ${metricOutputName(model)}, the model's default output (observe.compartment chooses it)`];
}

/**
 * fu=F/ and kd=K/ act on a concentration (unbound fu·C, occupancy fu·C/(KD + fu·C)). On a model whose
 * metrics are on an effect (an Emax response in %) they gave an "unbound AUC" of the response, exit 0:
 * refused, naming the metric and the output.
 */
export function refuseFactorsOnEffect(model: Pick<Model, 'name' | 'output' | 'outputs' | 'observeCompartment' | 'structure' | 'stateNames'>, defs: readonly MetricDef[]): void {
  // and a TMDD model's total drug, which they read as the free one (every path that refuses an effect)
  refuseFactorsOnTotalDrug(model, defs);
  if (model.output !== 'effect') return;
  // the user's fu (a daily AUC of τ ≠ 24/k carries its 24/τ in fu too: that factor scales the area,
  // which is as right for an effect; refused as "fu=" it failed auc24 targets the user wrote bare)
  const d = defs.find((x) => (x.scale !== undefined ? x.unbound : x.fu) !== undefined || x.kd !== undefined);
  if (!d) return;
  throw Errors.option('metric', `metric ${d.name}: ${d.kd !== undefined ? 'kd=' : 'fu='} acts on a concentration, but model ${model.name}'s metrics and targets are on ${metricOutputName(model)}, an effect (not a concentration); drop the prefix, or measure the concentration with a model whose default output it is`);
}

/** The first observation record of another output than the default (by CMT, else by DVID), with what names it. */
export function otherOutputRecord(model: Pick<Model, 'outputs' | 'observeCompartment'>, records: readonly DataRecord[]): { record: DataRecord; column: 'CMT' | 'DVID'; compartment: number } | undefined {
  for (const r of records) {
    const o = otherOutputOf(model, r);
    if (o) return { record: r, ...o };
  }
  return undefined;
}

/** Where observation record `r` observes another output than the default one: by CMT or DVID, and which compartment; else undefined. */
function otherOutputOf(model: Pick<Model, 'outputs' | 'observeCompartment'>, r: DataRecord): { column: 'CMT' | 'DVID'; compartment: number } | undefined {
  const c = model.observeCompartment;
  if (r.EVID !== 0) return undefined;
  if (r.CMT > 0 && r.CMT !== c) return { column: 'CMT', compartment: r.CMT };
  if (!model.outputs) return undefined;
  const dvid = dataItem(r.items, 'DVID');
  const o = Number.isNaN(dvid) ? undefined : model.outputs.get(dvid);
  return o && o.compartment !== c ? { column: 'DVID', compartment: o.compartment } : undefined;
}

/**
 * The records with every observation of another output turned into one of the default output at
 * the same time, for a metric profile that reads a history: a forecast's metrics reaching back into
 * a history with parent levels read those levels as the metabolite's (cmax 19.60, the parent at
 * 1 h, for the metabolite's 16.53; an Emax response's minimum 8.05, below its E0 of 10).
 */
export function asDefaultOutput(model: Pick<Model, 'outputs' | 'observeCompartment'>, records: readonly DataRecord[]): DataRecord[] {
  return records.map((r) => {
    const o = otherOutputOf(model, r);
    if (!o) return r;
    const items: Record<string, number> = { ...r.items };
    for (const k of Object.keys(items)) if (k.toUpperCase() === 'DVID') delete items[k];
    return { ...r, CMT: 0, items };
  });
}

/**
 * Refuses observation records of another output than the one metrics are computed on. The samples
 * the metric profile adds (pre-dose values, window edges, dense samples) and the dose records' rows
 * are the default output's, so a regimen observing the parent of a parent–metabolite model had its
 * AUC24 computed over parent and metabolite values interleaved (222 for an exact 177), exit 0.
 */
export function refuseOtherOutputs(model: Pick<Model, 'outputs' | 'observeCompartment'>, records: readonly DataRecord[], file?: string): void {
  const other = otherOutputRecord(model, records);
  if (!other) return;
  const { record: r, column, compartment } = other;
  throw Errors.record(
    r.row,
    column,
    column === 'CMT' ? r.CMT : dataItem(r.items, 'DVID'),
    `exposure metrics are computed on ${metricOutputName(model)}, the model's default output, and this record observes compartment ${compartment}: a metric would mix the two profiles. Observe the default output (CMT 0 or ${model.observeCompartment}), or make the wanted output the model's default (observe.compartment)`,
    file,
  );
}
