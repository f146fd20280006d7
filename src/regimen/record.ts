// A NONMEM data record after parsing: the standard items as numbers, every column kept by name.

import { Errors, type DosewiseError } from '../errors.js';
import { refuseTextCells, upperNames } from './text-items.js';
import { refuseLookalikeDoseColumns } from './lookalike-dose-columns.js';

export interface DataRecord {
  /** 1-based data row in the source (header = row 0); for records built in code, their index + 1. */
  readonly row: number;
  readonly ID: number;
  readonly TIME: number;
  /** 0 observation, 1 dose, 2 other (data items change), 3 reset, 4 reset and dose. */
  readonly EVID: number;
  readonly AMT: number;
  /** 1-based compartment; 0 means "the model's default" (dose: first compartment; observation: observed one). */
  readonly CMT: number;
  /** > 0 zero-order rate; 0 bolus; −1 rate from the model; −2 duration from the model. */
  readonly RATE: number;
  readonly ADDL: number;
  readonly II: number;
  readonly SS: number;
  readonly DV: number;
  readonly MDV: number;
  /** Every column of the row by its header name (standard ones included); NaN where missing (".") or text. */
  readonly items: Readonly<Record<string, number>>;
  /**
   * The row's cells of text, by column (SEX "M", a USUBJID), in columns dosewise does not read itself;
   * absent when there are none. Carried as written: a model that reads such a column refuses it.
   */
  readonly text?: Readonly<Record<string, string>>;
}

/** NONMEM's SS = 3: SS = 1 whose general steady-state routines (SS6, SS9) start their search from the current state; read as SS = 1 (recordFromItems). */
export const SS_FROM_CURRENT = 3;

/**
 * Data item marking an observation record added for exposure metrics: it reads the concentration
 * before every dose at its time (see src/population/metric-grid.ts). The name cannot be a column.
 */
export const PRE_DOSE_ITEM = '@predose';

/**
 * Data item of a dose record given as a duration (the builder's and a regimen JSON's `dur`, the
 * --infusion options): the duration in hours, which the dose keeps under bioavailability. F·AMT
 * enters over it at F·AMT/dur, NONMEM's rule for a modelled duration (RATE = −2, D1); the record's
 * RATE stays AMT/dur, as NM-TRAN writes it. Without this item a RATE > 0 is a rate, and F changes the
 * duration (F·AMT/RATE), NONMEM's rule for a RATE in the data. No data set names a column so (the
 * builder and a regimen JSON refuse items beginning with @), and the item counts only where RATE is
 * AMT/dur (keptDuration).
 */
export const DURATION_ITEM = '@dur';

/** The items of a dose of `amt` given over `dur` hours (RATE AMT/dur and the duration kept; 0: a bolus). */
export function durationItems(amt: number, dur: number): Record<string, number> {
  return dur > 0 ? { RATE: amt / dur, [DURATION_ITEM]: dur } : { RATE: 0 };
}

/**
 * The duration dose record r keeps under F (DURATION_ITEM), or 0 for a RATE given as a rate. Taken
 * only with the RATE written from it (AMT/dur): an item carried onto another dose record (a forecast
 * fills a future record's items from the one before) does not make its RATE a duration.
 */
export function keptDuration(r: DataRecord): number {
  const d = r.items[DURATION_ITEM];
  return d !== undefined && d > 0 && d < Infinity && r.RATE > 0 && r.RATE === r.AMT / d ? d : 0;
}

/**
 * How long dose record r's infusion of `amt` (its AMT × F) runs, for a RATE > 0: the duration it
 * was given with (keptDuration), else amt / RATE (with F = 1, amt / RATE as the event compiler
 * reckons it).
 */
export function fixedRateDuration(r: DataRecord, amt: number): number {
  const d = keptDuration(r);
  return d > 0 && amt !== r.AMT ? d : amt / r.RATE;
}

export { STANDARD_COLUMNS } from '../model/standard-columns.js';

/** Whether record r has no data row of its own (a record built in code as a plain object, without `row`). */
export function lacksRow(r: DataRecord): boolean {
  const row: unknown = r.row;
  return typeof row !== 'number' || row - row !== 0;
}

/**
 * The records, each with a row: one built in code without a row is given its position + 1, the
 * number its refusals already named it by (checkRecords), so that every warning and refusal after
 * the check names it so. Without this, simulate(), estimate() and forecast() warned of such records
 * as "row undefined (and 3 more): W_RENAL_UNIT: …" or "row : MDV 0 … with DV missing", and refused
 * one as "column WT: …" without its place. The array itself where every record has a row (the
 * caller's records are never changed); `lacking`: whether one lacks it, where already known.
 */
export function withRows(records: readonly DataRecord[], lacking?: boolean): readonly DataRecord[] {
  if (lacking === false) return records;
  if (lacking === undefined && !records.some(lacksRow)) return records;
  return records.map((r, i) => (lacksRow(r) ? { ...r, row: i + 1 } : r));
}

export function isDose(r: DataRecord): boolean {
  return r.EVID === 1 || r.EVID === 4;
}

/** A record refusal's reason, without its place and value ("row 2, column CMT: X (got 3)" → "X"), to name it by another place. */
export function recordWhy(e: DosewiseError): string {
  return e.message.replace(/^.*?column [^:]+: /s, '').replace(/ \(got [^()]*\)$/, '');
}

/**
 * Why record r's CMT beyond the model's `nStates` compartments is refused. CMT = compartments + 1
 * is NONMEM's output compartment (the amount eliminated), valid NONMEM input that dosewise does not
 * have: "the model has 3 compartments" read as a typing error in the data.
 */
export function compartmentBeyondWhy(r: DataRecord, nStates: number): string {
  const has = `the model has ${nStates} compartment${nStates === 1 ? '' : 's'}`;
  if (r.CMT !== nStates + 1) return has;
  if (isDose(r)) return `${has}; CMT ${r.CMT} would be NONMEM's output compartment, which takes no dose`;
  return `CMT ${r.CMT} is NONMEM's output compartment (${has}): reading or resetting the amount eliminated is not supported; remove the record, or give the eliminated amount a compartment of its own in a model text`;
}

/**
 * How many of dose record `i`'s ADDL copies are given. A reset after it (EVID 3 or 4, or an SS = 1
 * dose) cancels the copies still pending, as NONMEM's SS = 1 does ("infusions in progress or pending
 * additional doses are cancelled"); a copy at the reset's own time comes before it, as every implied
 * dose comes before the records at its time. `records`: one subject's, in time order.
 */
export function givenAddl(records: readonly DataRecord[], i: number): number {
  const r = records[i] as DataRecord;
  if (!(r.ADDL > 0)) return 0;
  let until = Infinity;
  for (let j = i + 1; j < records.length; j++) {
    const x = records[j] as DataRecord;
    if (x.EVID === 3 || x.EVID === 4 || (x.EVID === 1 && x.SS === 1)) {
      until = x.TIME;
      break;
    }
  }
  if (until === Infinity || !(r.II > 0)) return r.ADDL;
  // the copies the event compiler gives: r.TIME + k·II ≤ until, in its arithmetic
  let k = Math.min(r.ADDL, Math.max(0, Math.floor((until - r.TIME) / r.II)));
  while (k < r.ADDL && r.TIME + (k + 1) * r.II <= until) k++;
  while (k > 0 && r.TIME + k * r.II > until) k--;
  return k;
}

/** A data item by name, case-insensitively (BLQ, LLOQ, DVID, occasion columns): NaN when absent. */
export function dataItem(items: Readonly<Record<string, number>>, name: string): number {
  const v = items[name];
  if (v !== undefined) return v;
  const up = name.toUpperCase();
  for (const k of Object.keys(items)) if (k.toUpperCase() === up) return items[k] as number;
  return NaN;
}

/** The name a record's items give a data item (matched case-insensitively), or `name` when absent. */
export function itemKey(items: Readonly<Record<string, number>>, name: string): string {
  if (name in items) return name;
  const up = name.toUpperCase();
  for (const k of Object.keys(items)) if (k.toUpperCase() === up) return k;
  return name;
}

/**
 * Whether an observation record is flagged below the limit of quantification by its `column` (0 or
 * missing: quantified, 1: BLQ). Any other code is refused: read as "not 1" it made a censored level
 * a quantified one (Monolix's −1, above the upper limit, included).
 */
export function blqFlag(r: DataRecord, column: string, file?: string): boolean {
  const v = dataItem(r.items, column);
  if (v === 1) return true;
  if (v === 0 || Number.isNaN(v)) return false;
  const monolix = v === -1 ? ' (-1, which Monolix uses for above the upper limit, is not)' : '';
  throw Errors.record(r.row, itemKey(r.items, column), v, `${column} must be 0 (quantified) or 1 (below the LLOQ): only 0 and 1 are understood${monolix}`, file);
}

/**
 * Other usual names of a BLQ flag column (case-insensitive). Not read: a data set that flags its
 * censored rows in one of them had those rows fitted as measured levels (ID 1's ETA_KA −0.801 for
 * −1.012 with BQL) and ranked as measured levels by vpc.
 */
const FLAG_SPELLINGS = ['BLQ', 'BQL', 'BLOQ', 'BLQFLAG', 'BLQ_FLAG', 'BQL_FLAG', 'BLOQ_FLAG'];

export interface UnreadCensoringOptions {
  /**
   * A level below its LLOQ column without a BLQ flag counts as censored (vpc ranks it below every
   * quantified value) rather than refused (estimation would fit it as a measured level).
   */
  readonly belowLloqCensored?: boolean;
}

/**
 * Other usual names of a limit-of-quantification column (case-insensitive; LIMIT is Monolix's).
 * Not read: a BLQ row took its limit from DV (an imputed LLOQ/2: OFV 2.571 for 1.660, ETA_V 0.033
 * for 0.048), and without a BLQ column a DV of 0 under LOQ 1 was fitted as a measured 0.
 */
const LIMIT_SPELLINGS = ['LLOQ', 'LOQ', 'LLQ', 'BLQLIMIT', 'BLQ_LIMIT', 'LOQ_LIMIT', 'LIMIT', 'LLOD', 'LOD'];

/**
 * The item names of a data set's records, upper-cased, each once. The censoring checks run on every
 * estimate (each patient of a cohort): asked of each record's Object.keys with a toUpperCase per
 * key, they made ~27 MB of garbage per 2,000 W-map patients (13 % of a worker's) to find, nearly
 * always, no such column; the records are walked again only where a name calls for it.
 */
function upperItemNames(records: readonly DataRecord[]): Set<string> {
  const seen = new Set<string>();
  for (const r of records) for (const k in r.items) seen.add(k);
  const up = new Set<string>();
  for (const k of seen) up.add(k.toUpperCase());
  return up;
}

function refuseUnreadLimit(records: readonly DataRecord[], flag: string, lloq: string, file: string | undefined, names: ReadonlySet<string>): void {
  const up = lloq.toUpperCase();
  if (names.has(up)) return;
  const others = new Set(LIMIT_SPELLINGS.filter((n) => n !== up));
  if (![...others].some((n) => names.has(n))) return;
  for (const r of records) {
    if (r.EVID !== 0) continue;
    for (const k of Object.keys(r.items))
      if (others.has(k.toUpperCase()) && Number.isFinite(r.items[k])) {
        // Monolix's LIMIT is the other end of a censoring interval (0 below an LLOQ given in DV), not
        // the limit: renamed LLOQ as the message said, a limit of 0 fitted "censored at zero" (η −0.018
        // for −0.043, mapbayr's M3 answer)
        if (k.toUpperCase() === 'LIMIT')
          throw Errors.record(r.row, k, r.items[k], `Monolix's LIMIT is the other end of a censoring interval (0 below a limit given in DV), which dosewise does not read: a ${flag} = 1 row is censored below its ${lloq} column or, without one, below its DV (as Monolix's CENS rows give the limit); drop the LIMIT column (interval censoring is not fitted)`, file);
        throw Errors.record(r.row, k, r.items[k], `the limit of quantification is read from a ${lloq} column (a ${flag} = 1 row without one takes its limit from DV), and this data set has none: ${k} is not read, so its limits would be lost; name the column ${lloq}`, file);
      }
  }
}

/**
 * Refuses a level below its limit whose flag cell is blank: blank reads as 0 (quantified), so a DV of
 * 0.4 under an LLOQ of 1 was fitted as a measured 0.4 (OFV −0.00001 for 1.660 as censored).
 */
function refuseBlankFlagBelowLimit(records: readonly DataRecord[], flag: string, lloq: string, file?: string): void {
  for (const r of records) {
    if (r.EVID !== 0 || r.MDV !== 0) continue;
    const limit = dataItem(r.items, lloq);
    if (!(Number.isFinite(limit) && Number.isFinite(r.DV) && r.DV < limit) || !Number.isNaN(dataItem(r.items, flag))) continue;
    throw Errors.record(r.row, itemKey(r.items, flag), '', `is blank on a level below its ${itemKey(r.items, lloq)} (DV ${r.DV} < ${limit}): blank reads as 0, a measured level; write ${flag} = 1 for a censored level (M3) or 0 for a measured one`, file);
  }
}

/**
 * Refuses censoring the data say but the BLQ column does not, when no record has that column: a
 * Monolix/NONMEM `CENS` column (its rows were fitted as measured levels: CL 3.76 for 3.48), a flag
 * column of another usual name (BQL, BLOQ, BLQFLAG, BLQ_FLAG, BQL_FLAG, BLOQ_FLAG) with a row
 * flagged, or, unless `belowLloqCensored`, an `LLOQ` column with a level below it (a DV of 0 under
 * an LLOQ of 2 fitted as a measured 0).
 */
export function refuseUnreadCensoring(records: readonly DataRecord[], flag: string, lloq: string, file?: string, o: UnreadCensoringOptions = {}): void {
  const names = upperItemNames(records);
  refuseUnreadLimit(records, flag, lloq, file, names);
  const up = flag.toUpperCase();
  if (names.has(up)) {
    if (!o.belowLloqCensored) refuseBlankFlagBelowLimit(records, flag, lloq, file);
    return;
  }
  const others = new Set(FLAG_SPELLINGS.filter((n) => n !== up));
  // the columns first: a flag column explains a level below its LLOQ better than a missing BLQ = 1
  if (names.has('CENS') || [...others].some((n) => names.has(n)))
    for (const r of records) {
      for (const k of Object.keys(r.items)) {
        const K = k.toUpperCase();
        const v = r.items[k] as number;
        if (v === 0 || Number.isNaN(v)) continue;
        if (K === 'CENS')
          throw Errors.record(r.row, k, v, `censoring is read from a ${flag} column (1 = below the limit, the limit in ${lloq} or DV), and this data set has none: ${k} is not read, so its censored rows would be read as measured levels; name the column ${flag} (CENS = 1 is ${flag} = 1; −1, above a limit, is not taken)`, file);
        if (others.has(K))
          throw Errors.record(r.row, k, v, `censoring is read from a ${flag} column (1 = below the limit, the limit in ${lloq} or DV), and this data set has none: ${k} is not read, so its flagged rows would be read as measured levels; name the column ${flag}`, file);
      }
    }
  // no record has the limit's column: every record's limit would read NaN
  if (o.belowLloqCensored || !names.has(lloq.toUpperCase())) return;
  for (const r of records) {
    if (r.EVID !== 0 || r.MDV !== 0) continue;
    const limit = dataItem(r.items, lloq);
    if (Number.isFinite(limit) && Number.isFinite(r.DV) && r.DV < limit)
      throw Errors.record(r.row, 'DV', r.DV, `below ${itemKey(r.items, lloq)} ${limit}, and no ${flag} column marks it: it would be fitted as a measured level; add ${flag} = 1 to censored rows (M3), or leave them out`, file);
  }
}

/**
 * Refuses an observation record whose DVID names another output than the one a model without
 * `outputs` has: it would be scored against the drug's concentration. That output is DVID 1, the
 * first key models with outputs usually give their observation.
 */
export function refuseOtherDvid(r: DataRecord, file?: string): void {
  const v = dataItem(r.items, 'DVID');
  if (Number.isNaN(v) || v === 1) return;
  throw Errors.record(r.row, itemKey(r.items, 'DVID'), v, 'the model has one output (DVID 1); a record of another DVID needs a model with `outputs` for it', file);
}

/**
 * NONMEM's PCMT names the compartment whose prediction a dose, other-type or reset record reports;
 * dosewise reports the observed compartment's on every record, so a PCMT of another compartment
 * was read as a plain data item: a dose into the depot with PCMT 1 gave the central concentration
 * (2.598 at 0.5 h) where NONMEM reports A1 (47.24). It is refused unless the model reads an item of
 * that name; PCMT 0, blank or the observed compartment changes nothing.
 */
function refusePcmtItem(r: DataRecord, reads: readonly string[], observed: number, file?: string): void {
  const items = r.items;
  const k = items.PCMT !== undefined ? 'PCMT' : items.pcmt !== undefined ? 'pcmt' : items.Pcmt !== undefined ? 'Pcmt' : undefined;
  if (k === undefined) return;
  const v = items[k] as number;
  if (Number.isNaN(v) || v === 0 || v === observed || reads.includes(k)) return;
  throw Errors.record(r.row, k, v, `dosewise does not read PCMT: every record's prediction is that of the observed compartment (${observed}), while NONMEM reports compartment ${v} here; drop the column or set it to 0 (a level of another compartment is an observation record with that CMT, where the model has an output for it)`, file);
}

/**
 * Refuses a dose record that gives its infusion as a DUR data item while the model reads no item of
 * that name: NONMEM has no DUR item, so the dose would be a bolus (the browser's importer reads
 * DUR, the command line did not). `reads` are the names the model reads from records. A column of
 * text among them is refused too (text-items.ts): every evaluation of records starts here.
 */
export function refuseDurItem(records: readonly DataRecord[], reads: readonly string[], file?: string, observed?: number, at?: Int32Array): void {
  // a rate, duration or ADDL under another name (INF_RATE, DURATION, N_ADDL) ran as a bolus or one dose
  refuseLookalikeDoseColumns(records, reads, file);
  let upper: ReadonlySet<string> | undefined;
  // indexed: a loop run once per call is seldom optimized, and for-of then allocates per record;
  // `at`: the positions to read (at least the records that are not observations and carry a DUR or
  // PCMT item; none with text), all where absent
  const n = at ? at.length : records.length;
  for (let j = 0; j < n; j++) {
    const r = records[at ? (at[j] as number) : j] as DataRecord;
    // here records meet the model's inputs: a column of text it reads is refused before any is
    // evaluated, in the pass this check makes anyway (not a second walk of every record)
    if (r.text !== undefined) refuseTextCells(r, (upper ??= upperNames(reads)), file);
    if (r.EVID === 0) continue;
    if (observed !== undefined) refusePcmtItem(r, reads, observed, file);
    if (!isDose(r) || r.RATE < 0) continue;
    // the column as data sets spell it (DUR, Dur, dur): three direct loads, not an enumeration of
    // every dose record's items (8 % of simulate() on 2,000 subjects' own records)
    const items = r.items;
    const k = items.DUR !== undefined ? 'DUR' : items.dur !== undefined ? 'dur' : items.Dur !== undefined ? 'Dur' : undefined;
    if (k === undefined) continue;
    const dur = items[k] as number;
    if (!(dur > 0 && dur < Infinity) || reads.includes(k)) continue;
    if (r.RATE > 0) {
      refuseRateAgainstDur(r, k, dur, file);
      continue;
    }
    // at full precision: AMT over a rate rounded to 6 digits (333.333 for 2000 mg over 6 h) lasts a
    // little longer than DUR (6.000006 h), and separate records of it overlapped their spacing
    const rate = r.AMT / dur;
    throw Errors.record(r.row, k, dur, `dosewise reads NONMEM's RATE, not DUR: give RATE = AMT/DUR (${rate}) for a ${dur}-h infusion, or RATE = -2 with the duration in the model`, file);
  }
}

/**
 * Refuses a dose record whose RATE and DUR give two infusion lengths: dosewise runs AMT/RATE, as
 * NONMEM does, so RATE 10 for AMT 100 beside DUR 5 ran a 10-h infusion with DUR silently dropped. A
 * difference within a rounded pump rate (2 % of DUR, or 5 minutes) passes: RATE 333.333 for 2000 over
 * 6 h, RATE 2.3 for 7 mg over 3 h. A model's F is not known here: the message says it may explain it.
 */
function refuseRateAgainstDur(r: DataRecord, k: string, dur: number, file?: string): void {
  // a constant infusion at steady state (AMT 0) has no length to compare
  if (!(r.AMT > 0)) return;
  const length = r.AMT / r.RATE;
  // a pump rate rounded to one decimal (7 mg at 2.3 mg/h for 3 h: 3.04 h) is within 2 %
  if (Math.abs(length - dur) <= Math.max(2e-2 * dur, 5 / 60)) return;
  throw Errors.record(
    r.row,
    k,
    dur,
    `RATE ${r.RATE} and ${k} ${dur} disagree: AMT/RATE = ${r.AMT}/${r.RATE} is a ${length}-h infusion, ${k} says ${dur} h (times are in hours); dosewise reads NONMEM's RATE, not ${k}: drop ${k} where RATE is right (with a bioavailability F on this dose the infusion lasts F·AMT/RATE, as in NONMEM, which ${k} may be), or give RATE = AMT/${k} (${r.AMT / dur}) for a ${dur}-h infusion`,
    file,
  );
}

/**
 * Refuses a BLQ record's limit that is no limit of quantification. On the log scale (exponential
 * error, DV = log concentration) any value is one. In concentration units it must be > 0: the usual
 * mistake is DV = 0 on a BLQ row without an LLOQ column, whose M3 term −2 ln Φ((0 − f)/√Var) then
 * says nothing of the assay. An LLOQ column of 0 stays: censoring at zero ("measured ≤ 0"), which the
 * strategy comparison writes for non-positive simulated levels; not when its log is taken.
 * `column` is where the limit comes from ('DV' when from DV).
 */
export function refuseBlqLimit(r: DataRecord, limit: number, column: string, scale: 'log' | 'concentration' | 'logged', file?: string, lloqOption = false): void {
  if (scale === 'log' || limit > 0) return;
  if (limit === 0 && column !== 'DV' && scale === 'concentration') return;
  const from = column === 'DV' ? ' (DV gives it when there is no LLOQ column)' : '';
  const why = scale === 'logged' ? 'its logarithm is taken (exponential error with DV in concentration units, logDv false)' : 'DV is in concentration units; only a log-scale DV (exponential error) has limits ≤ 0';
  // replicates and vpc take one limit for all as an option (the CLI names its own option there)
  const how = lloqOption ? `; give the assay's limit in an LLOQ column, or one limit for all (the API option lloq)` : '';
  throw Errors.record(r.row, column, limit, `a BLQ record's LLOQ must be > 0${from}: ${why}${how}`, file);
}
