// W_PARAM_REPLACES_DATA: an override (the option `overrides`) of a data item the records chart
// replaces it on every record, the history included. Said by simulate(), estimate() and forecast():
// the command line alone said it (in its own words, naming --param), and an app that passed
// overrides: { WT: 60 } on records charting WT 80 got every level fitted at 60 without a word.

import type { Model } from '../model/model.js';
import type { DataRecord } from './record.js';

export const PARAM_REPLACES_CODE = 'W_PARAM_REPLACES_DATA' as const;

/** An item the overrides replace on records whose own value differs: its values there (a range above three) and how many such records. */
export interface ReplacedItem {
  readonly name: string;
  readonly value: number;
  readonly shown: string;
  readonly count: number;
}

export function replacedItems(model: Pick<Model, 'inputs'>, overrides: Readonly<Record<string, number>> | undefined, records: readonly DataRecord[]): ReplacedItem[] {
  const out: ReplacedItem[] = [];
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (!model.inputs.includes(name)) continue;
    const own = records.map((r) => r.items[name]).filter((v): v is number => v !== undefined && Number.isFinite(v) && v !== value);
    if (own.length === 0) continue;
    const values = [...new Set(own)].sort((a, b) => a - b);
    out.push({ name, value, shown: values.length > 3 ? `${values[0]}–${values[values.length - 1]}` : values.join(', '), count: own.length });
  }
  return out;
}

/** One message per item the overrides replace, counting the records whose own value differs; `after` says what that means for the caller. */
export function replacedItemMessages(model: Pick<Model, 'inputs'>, overrides: Readonly<Record<string, number>> | undefined, records: readonly DataRecord[], after: string): string[] {
  return replacedItems(model, overrides, records).map(({ name, value, shown, count }) => `${name} ${shown} on the records replaced by ${value} (overrides.${name}) on ${count} record${count === 1 ? '' : 's'}${after}`);
}
