// The profile exposure metrics are computed on. A profile sampled on a grid has one value per
// record, and one value cannot be both limits of a jump: at a dose the concentration before it
// (trough, a window ending there) and after it (a window starting there) differ. Wherever a dose or
// reset falls on a time the profile samples, the metric profile carries both: the pre-dose value
// (an observation record before the dose, as NONMEM reports a record placed before the dose record)
// and the post-dose value (the dose record's own row, or any record after an ADDL dose at that time).
// The metric kernel (assembly/metrics.ts) then takes the right limit at a window's start and the
// left limit at its end.

import { Errors } from '../errors.js';
import { recordFromItems } from '../regimen/nmtran.js';
import type { MetricDef } from './metrics.js';
import { isDose, PRE_DOSE_ITEM, type DataRecord } from '../regimen/record.js';

export interface MetricGrid {
  /** The records with the pre-dose samples added (the same array when none was needed). */
  readonly records: readonly DataRecord[];
  /** Index in the original records per row, −1 for an added pre-dose sample. */
  readonly source: Int32Array;
  /** Number of added samples. */
  readonly added: number;
}

/**
 * Adds a pre-dose observation record at every sampled time where a dose (data or ADDL), an SS
 * reset or an EVID 3/4 reset happens and no record already reads the state before it. Records must
 * be sorted by time. The added record copies the data items that hold over the interval ending at
 * it (NOCB: the first record at its time; LOCF: the record before), so parameters do not change.
 */
export function metricGrid(records: readonly DataRecord[], timeVarying: 'nocb' | 'locf' = 'nocb'): MetricGrid {
  const end = records.reduce((m, r) => Math.max(m, r.TIME), 0);
  const jump = new Set<number>(); // times with a record-less (implied) dose: every record there is post-dose
  const recordJump = new Set<number>(); // times of dose / reset records
  for (const r of records) {
    if (isDose(r) || r.EVID === 3) recordJump.add(r.TIME);
    if (isDose(r)) for (let k = 1; k <= r.ADDL && r.TIME + k * r.II <= end; k++) jump.add(r.TIME + k * r.II);
  }
  const out: DataRecord[] = [];
  const source: number[] = [];
  let added = 0;
  for (let i = 0; i < records.length; ) {
    const t = (records[i] as DataRecord).TIME;
    let j = i;
    while (j < records.length && (records[j] as DataRecord).TIME === t) j++;
    const first = records[i] as DataRecord;
    const firstReadsBefore = (first.EVID === 0 || first.EVID === 2) && first.items[PRE_DOSE_ITEM] !== 1;
    const needs = jump.has(t) || (recordJump.has(t) && !firstReadsBefore);
    if (needs && first.items[PRE_DOSE_ITEM] !== 1) {
      const from = timeVarying === 'locf' && i > 0 ? (records[i - 1] as DataRecord) : first;
      const items = { ...from.items, ID: first.ID, TIME: t, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 1, DV: NaN, [PRE_DOSE_ITEM]: 1 };
      out.push(recordFromItems(items, first.row, 'metric grid'));
      source.push(-1);
      added++;
    }
    for (let k = i; k < j; k++) {
      out.push(records[k] as DataRecord);
      source.push(k);
    }
    i = j;
  }
  if (added === 0) return { records, source: Int32Array.from(records, (_, i) => i), added: 0 };
  return { records: out, source: Int32Array.from(source), added };
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
    const ss = records.find((r) => isDose(r) && r.SS === 1 && r.TIME === t);
    if (!ss || records.some((r) => isDose(r) && r.TIME < t)) continue;
    throw Errors.cli(
      `metric ${d.name}: at ${t} h an SS=1 dose resets the state, and the level before it is the empty state (0), not the steady-state trough; ask for the value one interval later (conc@${t + ss.II} or trough)`,
    );
  }
}
