// Which simulated observations are censored, and at which limit: one rule for simulateReplicates
// (simulate --replicates) and vpc, so the replicate table and the VPC censor the same values.
//
// A record's own LLOQ wins; else the run's limit (the lloq option); else the limit the BLQ rows
// give (their LLOQ, else their DV) when they all agree. An LLOQ column filled on the BLQ rows alone
// (`.` on the quantified ones, common in NONMEM data sets) censored replicates only on the rows
// that happened to be BLQ in the data: 10,096 of 84,000 simulated observations (12.0 %) where the
// same draws censored at the rows' common limit of 0.5 give 14,716 (17.5 %), with 4,620 DV_SIM
// values below 0.5 left uncensored; BLQ rows without any LLOQ column censored nothing.

import { Errors } from '../errors.js';
import type { DataRecord } from '../regimen/record.js';
import { blqFlag, dataItem, itemKey, refuseUnreadCensoring } from '../regimen/record.js';
import { formatNumber } from '../regimen/nmtran.js';
import { quantileSorted } from '../stats/quantile.js';

/**
 * Refuses censoring said in a column these runs do not read (one rule for simulateReplicates and
 * vpc): Monolix's and NONMEM's CENS, or a flag column named BQL, BLOQ, BLQFLAG, … with a flagged row
 * (name it BLQ). Replicates read none of them: the examples/vpc data with BLQ renamed BQL
 * censored 0 of 160,000 simulated observations (1,446 with its BLQ header), exit 0, warnings [],
 * while vpc refused the same file. A level below its LLOQ column without a BLQ flag is censored here
 * (estimation's refusal of it, as a level it would fit, is not for a VPC or a simulation).
 */
export function refuseUnreadFlags(records: readonly DataRecord[], file: string | undefined): void {
  refuseUnreadCensoring(records, 'BLQ', 'LLOQ', file, { belowLloqCensored: true });
}

/** A BLQ row's limit: its LLOQ, else its DV (where BLQ rows carry the limit without an LLOQ column). */
export function flaggedLimit(r: DataRecord): number {
  const own = dataItem(r.items, 'LLOQ');
  return Number.isFinite(own) ? own : r.DV;
}

/**
 * The limit of the observations `checked` picks that have no LLOQ of their own: the `lloq` option,
 * else the one limit their BLQ rows give (in LLOQ, else in DV), else undefined. Refused: a BLQ row
 * with no limit at all (DV `.` and no LLOQ, without the option), and BLQ rows whose limits differ
 * while some quantified observation has no LLOQ (its limit is then unknown).
 */
export function defaultLimit(records: readonly DataRecord[], checked: (r: DataRecord) => boolean, lloq: number | undefined, file: string | undefined): number | undefined {
  const flagged = records.filter((r) => checked(r) && blqFlag(r, 'BLQ', file));
  const first = flagged[0];
  const common = first !== undefined && flagged.every((r) => flaggedLimit(r) === flaggedLimit(first)) ? flaggedLimit(first) : undefined;
  const unlimited = records.some((r) => checked(r) && dataItem(r.items, 'BLQ') !== 1 && Number.isFinite(r.DV) && !Number.isFinite(dataItem(r.items, 'LLOQ')));
  // a BLQ row with DV '.' and no LLOQ has no limit at all: refused as such, not as limits that differ ("got NaN")
  const limitless = lloq !== undefined && Number.isFinite(lloq) ? undefined : flagged.find((r) => !Number.isFinite(flaggedLimit(r)));
  if (limitless) throw Errors.record(limitless.row, 'DV', Number.isNaN(limitless.DV) ? '.' : limitless.DV, 'a BLQ observation needs its LLOQ: give the limit in DV, an LLOQ column, or one limit for all (the API option lloq)', file);
  if (lloq === undefined && flagged.length > 0 && common === undefined && unlimited) refuseMixedLimits(flagged, file);
  return lloq ?? common;
}

/**
 * W_LEVELS_BELOW_LIMIT: a limit inferred from the BLQ rows (no `lloq` option) given to quantified
 * levels below it. Data pooling two assays (BLQ rows with LLOQ 0.5; another assay's quantified
 * 0.31 and 0.085 with LLOQ `.`) had those levels counted BLQ in the VPC's observed fraction (1.0 in
 * the last bins) and their simulated values censored at 0.5, without a word: said, naming how many
 * and the first row. `limit` is what defaultLimit gave.
 */
export function levelsBelowInferredLimit(records: readonly DataRecord[], checked: (r: DataRecord) => boolean, lloq: number | undefined, limit: number | undefined, file: string | undefined): string | undefined {
  if (lloq !== undefined || limit === undefined || !Number.isFinite(limit)) return undefined;
  const low = records.filter((r) => checked(r) && dataItem(r.items, 'BLQ') !== 1 && Number.isFinite(r.DV) && !Number.isFinite(dataItem(r.items, 'LLOQ')) && r.DV < limit);
  const first = low[0];
  if (first === undefined) return undefined;
  const n = low.length;
  return (
    `W_LEVELS_BELOW_LIMIT: ${n} quantified level${n === 1 ? '' : 's'} without an LLOQ of ${n === 1 ? 'its' : 'their'} own lie${n === 1 ? 's' : ''} below the limit ${formatNumber(limit)} that the BLQ rows give (their LLOQ, else their DV), ` +
    `first ${file ? `${file}, ` : ''}row ${first.row} (ID ${first.ID}, TIME ${formatNumber(first.TIME)}, DV ${formatNumber(first.DV)}): judged censored at ${formatNumber(limit)} (below it in the observed BLQ fraction, and their simulated values censored there). ` +
    'If the data pool assays with different limits, give every observation its own LLOQ'
  );
}

/** The censoring limit of observation record r (NaN: none): its LLOQ, else `fallback`, else (a BLQ row) its DV. */
export function observationLimit(r: DataRecord, fallback: number | undefined, file?: string): number {
  const own = dataItem(r.items, 'LLOQ');
  if (Number.isFinite(own)) return own;
  if (fallback !== undefined && Number.isFinite(fallback)) return fallback;
  return blqFlag(r, 'BLQ', file) ? r.DV : NaN;
}

/**
 * NONMEM's M1 coding flags a level below the LLOQ BLQ = 1 and leaves it out with MDV = 1. Dropped,
 * the observed side lost its censored levels while the simulated side kept the values below the
 * limit at the same times (a replicate table wrote DV_SIM '.' and BLQ_SIM 0 there, so BLQ fractions
 * from it left out the rows most likely BLQ): a BLQ = 1 row is a censored observation whatever its
 * MDV (the record with MDV 0), and a note says how many. Estimation reads MDV as given.
 */
export function m1Censored(records: readonly DataRecord[], notes: string[]): readonly DataRecord[] {
  const m1 = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 1 && dataItem(r.items, 'BLQ') === 1;
  const rows = records.filter(m1).map((r) => r.row);
  if (rows.length === 0) return records;
  notes.push(
    `${rows.length} BLQ row${rows.length === 1 ? '' : 's'} with MDV 1 (NONMEM's M1 coding; row${rows.length === 1 ? '' : 's'} ${rows.slice(0, 3).join(', ')}${rows.length > 3 ? ` and ${rows.length - 3} more` : ''}) ` +
      `${rows.length === 1 ? 'is' : 'are'} counted as censored observations, below the LLOQ: their simulated values are drawn and censored at the limit, as at every observation`,
  );
  // the workers rebuild records from their items: MDV 0 there too
  return records.map((r) => (m1(r) ? { ...r, MDV: 0, items: { ...r.items, [itemKey(r.items, 'MDV')]: 0 } } : r));
}

/** Refuses BLQ rows whose limits (in LLOQ, else in DV) differ while a quantified observation has none, naming the rows and limits. */
function refuseMixedLimits(flagged: readonly DataRecord[], file: string | undefined): never {
  const byLimit = new Map<number, number[]>();
  for (const r of flagged) {
    const rows = byLimit.get(flaggedLimit(r)) ?? [];
    rows.push(r.row);
    byLimit.set(flaggedLimit(r), rows);
  }
  const sorted = [...byLimit.entries()].sort((a, b) => b[1].length - a[1].length);
  const list = sorted.map(([v, rows]) => `${formatNumber(v)} (row${rows.length === 1 ? '' : 's'} ${rows.slice(0, 3).join(', ')}${rows.length > 3 ? ` and ${rows.length - 3} more` : ''})`);
  // the first row whose limit is not the most frequent one
  const [usual] = sorted[0] as [number, number[]];
  const odd = flagged.find((r) => flaggedLimit(r) !== usual) as DataRecord;
  const column = Number.isFinite(dataItem(odd.items, 'LLOQ')) ? 'LLOQ' : 'DV';
  throw Errors.record(
    odd.row,
    column,
    flaggedLimit(odd),
    `BLQ rows give different limits (in LLOQ, else in DV) and some quantified observation has no LLOQ: ${list.join(', ')}. Simulated values are censored at their observation's limit, and the limit of a quantified observation is then unknown: ` +
      'give every observation its LLOQ or one limit for all (the API option lloq)',
    file,
  );
}

/**
 * Whether a run over `records` can censor (so a replicate table has a BLQ_SIM column): a limit
 * for all (`lloq`), an LLOQ column, or a BLQ row (whose limit the rule above gives the others too).
 */
export function hasLimits(records: readonly DataRecord[], columns: readonly string[], lloq: number | undefined): boolean {
  return lloq !== undefined || columns.some((c) => c.toUpperCase() === 'LLOQ') || records.some((r) => r.EVID === 0 && dataItem(r.items, 'BLQ') === 1);
}

/** How many times nearer the concentration reading of the DVs must lie (median distance) to be taken. */
const SCALE_RATIO = 3;

/**
 * The VPC's (and replicates') second reading of W_DV_SCALE, for levels near 1: estimation's rule (shared, unchanged)
 * asks the log reading to be far off (RMS > 2), and concentrations of 0.25–6 mg/L read as logs lie
 * within about 1.2 of ln PRED, so they were compared as logs with log-scale simulations (observed
 * medians of 1.5 against simulated 0.35), exit 0. Here the positive DVs are read both ways: the
 * median |ln DV − ln PRED| at most 1/SCALE_RATIO of the median |DV − ln PRED| (0.235 against 1.17 on
 * such data; 1.28 against 0.235 on the same levels logged), and below 1, as a plausible fit is.
 * Returns the number of levels compared, or 0.
 */
export function concentrationsFitBetter(dvs: readonly number[], typical: readonly number[]): number {
  const asLog: number[] = [];
  const asConc: number[] = [];
  dvs.forEach((dv, k) => {
    const f = typical[k] as number;
    if (!(f > 0) || !(dv > 0) || !Number.isFinite(dv)) return;
    asLog.push(Math.abs(dv - Math.log(f)));
    asConc.push(Math.abs(Math.log(dv) - Math.log(f)));
  });
  const median = (a: number[]): number => quantileSorted(Float64Array.from(a).sort(), 0.5);
  const conc = median(asConc);
  return asConc.length > 0 && conc < 1 && conc * SCALE_RATIO <= median(asLog) ? asConc.length : 0;
}
