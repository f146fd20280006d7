// The occasion (IOV) of a future sample that has none of its own. A level's occasion is that of the
// dose before it (refuseRecordsWithoutOccasion says so of a population's records). Filled by the NOCB
// rule of the other items (the next record's values), a grid from 48.5 to 96 h after doses at 48 h
// (OCC 3) and 72 h (OCC 4) took occasion 4 from 48.5 h on, and the whole window ran on one κ
// (auc:48:96 5 %/95 % 229.8/429.3 for the exact 248.2/421.4).

import { isDose, type DataRecord } from '../regimen/record.js';
import type { MetricGrid } from '../population/metric-grid.js';
import { doseOccasionGrid } from '../population/occasion-grid.js';

const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);

/**
 * Per record of `records` (history and future merged, in the simulation's order), the occasion a
 * future sample there is on: that of the latest dose (or reset) at or before it, history or future,
 * a sample at a dose's time being before the dose where the order puts it there (a trough). The
 * fitted history's levels count too: where the history ends on a level charted on another
 * occasion than its last dose (occasions by sampling day), the fit ran up to that level on the
 * level's κ, and a future without a dose of its own continues it rather than switching κ at the
 * level with nothing given. Records after `fittedEnd` that only sample (charted ahead) give none.
 */
export function occasionsBefore(records: readonly { r: DataRecord; src: number }[], col: string, fittedEnd: number, filled: readonly Record<string, number>[]): (number | undefined)[] {
  let occ: number | undefined;
  return records.map(({ r, src }, p) => {
    const gives = src === 1 ? !(r.EVID === 0 || r.EVID === 2) : isDose(r) || r.EVID === 3 || r.TIME <= fittedEnd;
    const v = src === 1 ? (filled[p] as Record<string, number>)[col] : r.items[col];
    if (gives && given(v)) occ = v;
    return occ;
  });
}

/**
 * Under NOCB a record's values govern the interval ending at it, so a future dose that opens an
 * occasion ran the stretch before it on its own κ, and the course depended on which times were
 * asked: C(84) 5 % 4.073 with samples at 60 and 84 h, 4.142 with a grid to 72 h (κ of occasion 4 over
 * 60–72 h, or of 3). On the metric grid of a forecast, past the fitted history (from `fittedEnd`,
 * whose course stays the one the estimate fitted), an occasion runs from its dose to the next one's
 * (doseOccasionGrid, which a population's regimen runs through too, from its start).
 */
export function futureOccasionGrid(grid: MetricGrid, fromFuture: ArrayLike<number>, col: string | undefined, fittedEnd: number, timeVarying: 'nocb' | 'locf'): MetricGrid {
  return doseOccasionGrid(grid, fromFuture, col, fittedEnd, timeVarying);
}

/**
 * Per record of `records` (as occasionsBefore), the occasion a future record there is on when the
 * history is not simulated (forecast's `history: false`): its own, else that of the future dose or
 * reset before it, else `start` (the occasion the history ends on). The history's records interleaved
 * by time gave a grid 0–24 h after doses of OCC 2 and 3 beside a history on OCC 1 to 23.5 h the
 * occasion 1 of its levels (auc:0:24 5 %/95 % 363.1/450.9 for the exact 278.8/592.8).
 */
export function futureOnlyOccasions(records: readonly { r: DataRecord; src: number }[], col: string, start: number | undefined): (number | undefined)[] {
  let occ = start;
  return records.map(({ r, src }) => {
    if (src !== 1) return undefined;
    const v = r.items[col];
    if (!given(v)) return occ;
    if (!(r.EVID === 0 || r.EVID === 2)) occ = v;
    return v;
  });
}
