// A data item the model reads, given on a record built in code as something other than a number: the
// evaluator's Float64Array converted it as Number() does, so WT '55' ran as 55, ' 70' and '0x46' as
// 70, true as 1, '' and null as 0 (a DIAL flag '' read as no dialysis), and '70kg' or 'NaN' were
// refused as "a body weight in kg is at most 700 (a value in another unit?)". Every such value is
// refused now, naming the record, the item and the value, as a standard field given as text is.

import { describe, expect, it } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { regimen } from '../../../src/regimen/builder.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

const goti = libraryModel('vancomycin_goti_2018');
const items = { WT: 70, CRCL: 80, DIAL: 0 };
const recs = regimen().dose({ time: 0, amt: 1000, dur: 1, items }).observe({ times: [2, 12], items }).records().map((r, i) => (i === 2 ? { ...r, DV: 8, MDV: 0 } : r));
/** The records with item `name` set to `v` from record `from` on. */
const given = (name: string, v: unknown, from = 0): DataRecord[] => recs.map((r, i) => (i >= from ? ({ ...r, items: { ...r.items, [name]: v } } as unknown as DataRecord) : r));

describe('data items given as something other than a number', () => {
  const values: unknown[] = ['55', ' 70', '70kg', '', 'NaN', '0x46', null, true];
  it.each(values)('WT %j is refused by simulate() (with and without overrides), estimate() and forecast(), naming the row', (v) => {
    const why = new RegExp(`^row 2, column WT: WT is a data item the model reads, and must be a number, not ${v === null ? 'null' : typeof v}`);
    expect(() => simulate(goti, given('WT', v, 1))).toThrow(why);
    expect(() => simulate(goti, given('WT', v, 1), { overrides: { CRCL: 80 } })).toThrow(why);
    expect(() => estimate(goti, given('WT', v, 1))).toThrow(why);
    const fit = estimate(goti, recs);
    expect(() => forecast(goti, given('WT', v, 1), fit, [], { draws: 10 })).toThrow(why);
    // the builder refuses it already (dose.items.WT); a future record edited after it is refused by forecast()
    expect(() => regimen().dose({ time: 24, amt: 1000, dur: 1, items: { ...items, WT: v as number } })).toThrow(/dose\.items\.WT: a data item must be a number/);
    const future = regimen().dose({ time: 24, amt: 1000, dur: 1, items }).observe({ times: [30], items }).records();
    const edited = future.map((r, i) => (i === 1 ? ({ ...r, items: { ...r.items, WT: v } } as unknown as DataRecord) : r));
    expect(() => forecast(goti, recs, fit, edited, { draws: 10 })).toThrow(new RegExp(`^future regimen, ${why.source.slice(1)}`));
  });

  it('text says how to convert it; a flag given as empty text is not read as 0', () => {
    expect(() => simulate(goti, given('WT', '55'))).toThrow(/\(text is not read as a number: convert form input with Number\(\) and check it\); a missing value is NaN or no item at all \(got "55"\)$/);
    expect(() => simulate(goti, given('DIAL', ''))).toThrow(/^row 1, column DIAL: DIAL is a data item the model reads, and must be a number, not string/);
  });

  it('numbers pass, NaN among them where the model has a default or another record gives one, and an item the model does not read may hold anything', () => {
    expect(simulate(goti, recs).ipred[1]).toBeGreaterThan(0);
    expect(simulate(goti, given('NOTE', 'second bag')).ipred[1]).toBe(simulate(goti, recs).ipred[1]);
  });
});
