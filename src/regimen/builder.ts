// A typed way to write a regimen in code instead of a CSV: doses and observations become the same
// DataRecord values the NM-TRAN reader produces, so both paths share one set of semantics.

import { DosewiseError, Errors } from '../errors.js';
import { optionKeys, refuseUnknownKeys } from '../option-keys.js';
import { recordFromItems } from './nmtran.js';
import { type DataRecord, durationItems, recordWhy } from './record.js';
import { isPlainObject } from '../plain-object.js';

/**
 * Most observation times of one subject: each becomes a record (a few hundred bytes) and a value per
 * subject in every simulated chunk, so 100,000 (≈ 40 MB of records, 0.8 MB per subject of engine
 * output) is far beyond any sampling design yet still fits in memory.
 */
export const MAX_OBSERVATIONS = 100_000;

/**
 * Most ADDL copies of one dose before the regimen's last record: the engine's limit (each copy
 * before the last record is an event it queues, see src/regimen/compile.ts; copies after it change
 * no output and are not queued).
 */
export const MAX_ADDL_COPIES = 1_000_000;

/**
 * How many of a dose's ADDL copies the engine queues when the last record is at `last`: those up to
 * it, one past it at most, as src/regimen/compile.ts counts them (0 without copies or II).
 */
export function addlCopiesDue(time: number, addl: number, ii: number, last: number): number {
  if (!(addl > 0) || !(ii > 0)) return 0;
  return Math.max(0, Math.min(addl, Math.floor((last - time) / ii) + 1));
}

/** Why a dose whose ADDL copies before the last record exceed MAX_ADDL_COPIES is refused. */
export function addlLimitWhy(due: number, last: number): string {
  return `${due} additional doses fall before the regimen's last record (at ${last} h; at most ${MAX_ADDL_COPIES.toLocaleString('en-US')}): copies after it are not given, each one before it is an event of every subject; give the regimen as a steady state (SS = 1) or in several records`;
}

/** Observation times of a grid from..to by step. */
export const gridPoints = (g: { readonly from: number; readonly to: number; readonly step: number }): number => Math.max(0, Math.floor((g.to - g.from) / g.step + 1e-9) + 1);

export interface DoseSpec {
  readonly time: number;
  readonly amt: number;
  /** 1-based compartment (default 1: the depot, or the central compartment of an IV model). */
  readonly cmt?: number;
  /** Zero-order rate (amount/time); −1 / −2 take the model's rate / duration. */
  readonly rate?: number;
  /**
   * Infusion duration, kept under bioavailability: F·amt enters over dur h (NONMEM's rule for a
   * modelled duration, RATE = −2). The record's RATE is amt/dur; a `rate` given instead keeps
   * NONMEM's rule for a RATE in the data (F changes the duration to F·amt/rate).
   */
  readonly dur?: number;
  readonly addl?: number;
  readonly ii?: number;
  readonly ss?: 0 | 1 | 2;
  /** Data items carried on the record (covariates, modifiers). */
  readonly items?: Readonly<Record<string, number>>;
}
const DOSE_KEYS = optionKeys<DoseSpec>({ time: true, amt: true, cmt: true, rate: true, dur: true, addl: true, ii: true, ss: true, items: true });

export interface ObserveSpec {
  /** Observation times (h): an array, or a typed array (Float64Array) of numbers. */
  readonly times?: readonly number[] | Float64Array;
  /** Grid from..to by step (inclusive of both ends when they fall on the grid). */
  readonly grid?: { readonly from: number; readonly to: number; readonly step: number };
  readonly cmt?: number;
  readonly items?: Readonly<Record<string, number>>;
}
const OBSERVE_KEYS = optionKeys<ObserveSpec>({ times: true, grid: true, cmt: true, items: true });
const GRID_KEYS = optionKeys<NonNullable<ObserveSpec['grid']>>({ from: true, to: true, step: true });

/** The field of a dose (the builder's, a regimen JSON's) a column of its record comes from; `dur`: the dose was given as a duration. */
export function doseField(column: string, dur: boolean): string {
  const keys: Record<string, string> = { TIME: 'time', AMT: 'amt', CMT: 'cmt', ADDL: 'addl', II: 'ii', SS: 'ss', RATE: dur ? 'dur' : 'rate' };
  return keys[column] ?? `items.${column}`;
}

/** Refuses a field that is not a number where the records need one ('100' for 100 became NaN or a silent 0). */
function refuseNotNumber(path: string, v: unknown, why: string, optional = true): void {
  if ((optional && v === undefined) || typeof v === 'number') return;
  throw Errors.optionValue(path, v, why);
}

function refuseItems(path: string, items: unknown): void {
  if (items === undefined) return;
  if (!isPlainObject(items)) throw Errors.optionValue(path, items, 'data items are a plain object of NAME: number (not a Map or an array)');
  for (const [k, v] of Object.entries(items)) {
    refuseNotNumber(`${path}.${k}`, v, 'a data item must be a number');
    // the engine's own items (a dose's kept duration, a pre-dose mark) begin with @: given here, one
    // would change how a dose runs without its RATE or duration saying so
    if (k.startsWith('@')) throw Errors.optionValue(`${path}.${k}`, v, 'names beginning with @ are the engine\'s own items; give a dose\'s duration as dur');
  }
}

function checkDose(d: DoseSpec): void {
  if (typeof d !== 'object' || d === null) throw Errors.optionValue('dose', d, 'a dose is an object { time, amt, ... }');
  refuseUnknownKeys(d, DOSE_KEYS, 'dose()');
  refuseNotNumber('dose.time', d.time, 'a dose time must be a number of hours', false);
  refuseNotNumber('dose.amt', d.amt, 'a dose amount must be a number ≥ 0', false);
  for (const k of ['cmt', 'addl', 'ii', 'ss', 'rate', 'dur'] as const) refuseNotNumber(`dose.${k}`, d[k], 'must be a number');
  refuseItems('dose.items', d.items);
  refuseBadDoseNumbers(d);
  refuseDoseRecord(d);
}

/**
 * The records' own checks of a dose (AMT 0 only for a steady-state constant infusion, SS 0–2, a
 * whole CMT, …), named by the builder's field: dose({ ss: 3 }) was refused as "row 1, column SS",
 * a row and column no call has.
 */
function refuseDoseRecord(d: DoseSpec): void {
  try {
    recordFromItems(doseItems(d, 1), 1);
  } catch (e) {
    if (!(e instanceof DosewiseError) || e.code !== 'E_RECORD' || e.place.column === undefined) throw e;
    const field = doseField(e.place.column, d.dur !== undefined);
    const why = recordWhy(e);
    const given = field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], d);
    throw Errors.optionValue(`dose.${field}`, given ?? e.place.value, `dose(): ${field}: ${why}`);
  }
}

/** The data items of a dose's record. */
function doseItems(d: DoseSpec, id: number): Record<string, number> {
  // a duration stays one under F: RATE amt/dur as NM-TRAN writes it, with the duration kept
  const given = d.dur !== undefined ? durationItems(d.amt, d.dur) : { RATE: d.rate ?? 0 };
  return { ...d.items, ID: id, TIME: d.time, EVID: 1, AMT: d.amt, CMT: d.cmt ?? 1, ...given, ADDL: d.addl ?? 0, II: d.ii ?? 0, SS: d.ss ?? 0, MDV: 1 };
}

/**
 * Numbers no dose takes, named by the builder's field: NaN, −1000 or Infinity as an amount were
 * refused later against the records built ("row 1, column AMT … (got ".")"), a row no form has.
 * The records' own checks (AMT 0 only for a steady-state constant infusion, …) still follow.
 */
function refuseBadDoseNumbers(d: DoseSpec): void {
  const bad = (k: string, v: number, why: string): never => {
    throw Errors.optionValue(`dose.${k}`, v, `dose(): ${k} ${why}`, String(v));
  };
  // a duration of 0 (a bolus) is refused as a regimen JSON refuses it; a negative time is taken, as
  // a data set's TIME is (a dose before the first observation's clock zero), and observe() takes it
  if (!Number.isFinite(d.time)) bad('time', d.time, 'must be a finite number of hours');
  if (!(Number.isFinite(d.amt) && d.amt >= 0)) bad('amt', d.amt, 'must be a finite amount ≥ 0');
  if (d.rate !== undefined && !(Number.isFinite(d.rate) && (d.rate >= 0 || d.rate === -1 || d.rate === -2))) bad('rate', d.rate, 'must be ≥ 0, or -1 / -2 for a modelled rate / duration');
  if (d.dur !== undefined && !(Number.isFinite(d.dur) && d.dur > 0)) bad('dur', d.dur, 'must be a finite duration > 0 (hours; omit it for a bolus)');
  if (d.addl !== undefined && !(Number.isInteger(d.addl) && d.addl >= 0)) bad('addl', d.addl, 'must be a whole number ≥ 0');
  if (d.ii !== undefined && !(Number.isFinite(d.ii) && d.ii >= 0)) bad('ii', d.ii, 'must be a finite interval ≥ 0 (hours)');
}

function checkObserve(o: ObserveSpec): void {
  if (typeof o !== 'object' || o === null) throw Errors.optionValue('observe', o, 'an observation is an object { times } or { grid }');
  refuseUnknownKeys(o, OBSERVE_KEYS, 'observe()');
  // an observe() without times or a grid added no record, so a misspelt key observed nothing
  if (o.times === undefined && o.grid === undefined) throw Errors.optionValue('observe', o, 'give the observation times (times) or a grid (grid: { from, to, step })', 'no times, no grid');
  if (o.times !== undefined) {
    // a Float64Array was refused, where the rest of the API takes typed arrays (BigInt64Array holds no hours)
    const typed = ArrayBuffer.isView(o.times) && !(o.times instanceof DataView) && !(o.times instanceof BigInt64Array) && !(o.times instanceof BigUint64Array);
    if (!Array.isArray(o.times) && !typed) throw Errors.optionValue('observe.times', o.times, 'observation times are an array (or a typed array) of numbers');
    Array.from(o.times as ArrayLike<unknown>).forEach((t: unknown, i) => refuseNotNumber(`observe.times.${i}`, t, 'an observation time must be a number of hours', false));
  }
  if (o.grid !== undefined) {
    refuseUnknownKeys(o.grid, GRID_KEYS, 'observe()', 'grid.');
    for (const k of GRID_KEYS) refuseNotNumber(`observe.grid.${k}`, (o.grid as Record<string, unknown>)[k], 'a grid is { from, to, step } in hours, numbers', false);
  }
  refuseNotNumber('observe.cmt', o.cmt, 'must be a number');
  // refused by the records as "row N, column CMT", a row no call has
  if (o.cmt !== undefined && !(Number.isInteger(o.cmt) && o.cmt >= 0)) throw Errors.optionValue('observe.cmt', o.cmt, 'observe(): cmt must be a whole number: a compartment, or 0 for the default one');
  refuseItems('observe.items', o.items);
}

/** The observation times of a spec, in the order they become records: its times, then its grid. */
export function observeTimes(o: ObserveSpec): number[] {
  const times = [...(o.times ?? [])];
  if (o.grid) {
    const { from, to, step } = o.grid;
    if (!(to >= from)) throw Errors.optionValue('observe.grid', o.grid, 'a grid ends at or after its start ("to" ≥ "from")', JSON.stringify(`${from}:${to}:${step}`));
    if (!(step > 0) || !(gridPoints(o.grid) <= MAX_OBSERVATIONS))
      throw Errors.optionValue('observe.grid', o.grid, `a grid needs step > 0 and at most ${MAX_OBSERVATIONS.toLocaleString('en-US')} observation times`, JSON.stringify(`${from}:${to}:${step}`));
    const n = Math.floor((to - from) / step + 1e-9);
    // to 15 digits: from 0.1 by 0.1 made 60.00000000000001, a time just after a dose at 60 h, so
    // the level read there was the peak (48.58) where the pre-dose 6.99 was meant
    for (let k = 0; k <= n; k++) times.push(Math.min(to, Number((from + k * step).toPrecision(15))));
  }
  return times;
}

/**
 * The first dose whose ADDL copies before the regimen's last record (the latest dose or observation
 * time) exceed MAX_ADDL_COPIES, with their number and that time; undefined when none does.
 */
export function addlOverLimit(doses: readonly Pick<DoseSpec, 'time' | 'addl' | 'ii'>[], observeTimes: readonly number[]): { index: number; due: number; last: number } | undefined {
  let last = -Infinity;
  for (const d of doses) if (d.time > last) last = d.time;
  for (const t of observeTimes) if (t > last) last = t;
  for (const [index, d] of doses.entries()) {
    const due = addlCopiesDue(d.time, d.addl ?? 0, d.ii ?? 0, last);
    if (due > MAX_ADDL_COPIES) return { index, due, last };
  }
  return undefined;
}

/** Set while the builder makes a Regimen of parts it has checked (each dose() would re-check all). */
let checkedParts = false;

function built(doses: readonly DoseSpec[], obs: readonly ObserveSpec[], id: number): Regimen {
  checkedParts = true;
  try {
    return new Regimen(doses, obs, id);
  } finally {
    checkedParts = false;
  }
}

/** Refuses (E_OPTION, naming the argument) a list of the Regimen constructor that is not an array. */
function refuseNotList(path: string, v: unknown, what: string): void {
  if (!Array.isArray(v)) throw Errors.optionValue(path, v, `new Regimen(doses, observe): ${path} must be an array of ${what}`, v === null ? 'null' : typeof v === 'object' ? 'an object, not an array' : undefined);
}

/** Runs a check of one element of a constructor list, naming the element (`doses.1.dur`) in what it refuses. */
function inList(list: string, i: number, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof DosewiseError)) throw e;
    const field = (e.place.path ?? '').replace(/^(dose|observe)\.?/, '');
    throw new DosewiseError(e.code, `new Regimen(): ${list}[${i}]: ${e.message}`, { ...e.place, path: `${list}.${i}${field ? `.${field}` : ''}` });
  }
}

/** Immutable regimen under construction; each call returns a new one. */
export class Regimen {
  readonly #doses: readonly DoseSpec[];
  readonly #obs: readonly ObserveSpec[];
  readonly #id: number;

  constructor(doses: readonly DoseSpec[] = [], obs: readonly ObserveSpec[] = [], id = 1) {
    if (!checkedParts) {
      // the constructor took what dose() and observe() refuse: { duration: 2 } ran as a bolus,
      // { ADDL: 1, II: 12 } as one dose, { time: [1] } observed nothing
      refuseNotList('doses', doses, 'dose objects { time, amt, ... }');
      refuseNotList('observe', obs, 'observation objects { times } or { grid }');
      doses.forEach((d, i) => inList('doses', i, () => checkDose(d)));
      obs.forEach((o, i) => inList('observe', i, () => checkObserve(o)));
      if (!(Number.isFinite(id) && typeof id === 'number')) throw Errors.optionValue('id', id, 'new Regimen(doses, observe, id): the ID must be a finite number');
      doses = [...doses];
      obs = [...obs];
    }
    this.#doses = doses;
    this.#obs = obs;
    this.#id = id;
  }

  dose(d: DoseSpec): Regimen {
    checkDose(d);
    return built([...this.#doses, d], this.#obs, this.#id);
  }

  observe(o: ObserveSpec): Regimen {
    checkObserve(o);
    return built(this.#doses, [...this.#obs, o], this.#id);
  }

  withId(id: number): Regimen {
    if (!(Number.isFinite(id) && typeof id === 'number')) throw Errors.optionValue('id', id, 'withId(id): the ID must be a finite number');
    return built(this.#doses, this.#obs, id);
  }

  /**
   * Records sorted by time; at a time where a dose and an observation are both given, the
   * observation's record comes first (a pre-dose level). An ADDL copy is not a record: the engine
   * gives it before the records at its time, so a level at a copy's time reads the level after it
   * (README, "Regimen file").
   */
  records(): DataRecord[] {
    type Row = { t: number; order: number; items: Record<string, number> };
    const rows: Row[] = [];
    for (const d of this.#doses) {
      if (d.dur !== undefined && d.rate !== undefined) throw Errors.optionValue('dose.dur', d.dur, `give a rate or a duration, not both (rate ${d.rate})`);
      // a duration or rate that is not a number made the dose a bolus without a word
      if (d.dur !== undefined && !(typeof d.dur === 'number' && d.dur > 0 && Number.isFinite(d.dur))) throw Errors.optionValue('dose.dur', d.dur, 'a duration is a finite number of hours > 0 (omit it for a bolus)');
      if (d.rate !== undefined && !(typeof d.rate === 'number' && Number.isFinite(d.rate))) throw Errors.optionValue('dose.rate', d.rate, 'a rate is a finite number (> 0, 0 for a bolus, −1 or −2 from the model)');
      rows.push({ t: d.time, order: 1, items: doseItems(d, this.#id) });
    }
    let lastObservation = -Infinity;
    for (const o of this.#obs)
      for (const t of observeTimes(o)) {
        rows.push({ t, order: 0, items: { ...o.items, ID: this.#id, TIME: t, EVID: 0, CMT: o.cmt ?? 0, MDV: 0 } });
        if (t > lastObservation) lastObservation = t;
      }
    // the engine queues each copy up to the last record as an event of every subject and refuses
    // more than it takes only when it simulates, naming a row of the sorted records: refused here,
    // naming the dose (copies after the last record are never expanded, whatever ADDL says)
    const over = addlOverLimit(this.#doses, [lastObservation]);
    if (over) {
      const d = this.#doses[over.index] as DoseSpec;
      throw Errors.optionValue('dose.addl', d.addl, `the dose at ${d.time} h: ${addlLimitWhy(over.due, over.last)}`);
    }
    rows.sort((a, b) => a.t - b.t || a.order - b.order);
    return rows.map((r, i) => recordFromItems(r.items, i + 1));
  }
}

/** Starts an empty regimen. @example regimen().dose({ time: 0, amt: 500, addl: 27, ii: 12 }).observe({ grid: { from: 0, to: 336, step: 1 } }) */
export function regimen(id = 1): Regimen {
  return new Regimen([], [], id);
}
