// A NONMEM data record after parsing: the standard items as numbers, every column kept by name.

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
  /** Every column of the row by its header name (standard ones included); NaN where missing ("."). */
  readonly items: Readonly<Record<string, number>>;
}

/**
 * Data item marking an observation record added for exposure metrics: it reads the concentration
 * before every dose at its time (see src/population/metric-grid.ts). The name cannot be a column.
 */
export const PRE_DOSE_ITEM = '@predose';

export { STANDARD_COLUMNS } from '../model/standard-columns.js';

export function isDose(r: DataRecord): boolean {
  return r.EVID === 1 || r.EVID === 4;
}

/** A data item by name, case-insensitively (BLQ, LLOQ, DVID, occasion columns): NaN when absent. */
export function dataItem(items: Readonly<Record<string, number>>, name: string): number {
  const v = items[name];
  if (v !== undefined) return v;
  const up = name.toUpperCase();
  for (const k of Object.keys(items)) if (k.toUpperCase() === up) return items[k] as number;
  return NaN;
}
