// A false W_RENAL_UNIT at the low point of an ordinary renal nomogram (after e3120d8):
// `nomogram --grid CRCL=10:150:20` on Goti 2018 (mL/min) warned "CRCL 10 read as 10 mL/min (kidney
// failure); if this is L/h, it is 166.7 mL/min", each grid point judged alone. An axis is now judged
// as a whole: one running above 30 is mL/min (150 L/h would be 150 · 1000/60 = 2,500 mL/min), so its
// low points are not offered the L/h reading; an axis all within 5-15 still is (10 L/h = 166.7 mL/min).

import { describe, expect, it } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { resampledTableChecks } from '../../../src/population/covariates/resampled-table-checks.js';

const goti = libraryModel('vancomycin_goti_2018');
const renal = (ws: readonly string[] | undefined): string[] => (ws ?? []).filter((w) => w.includes('W_RENAL_UNIT'));
const axis = (from: number, to: number, step: number): number[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const table = (crcl: readonly number[]) => nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'WT', values: [70] }, { name: 'CRCL', values: crcl }], fixed: { DIAL: 0 } });

describe('nomogram(): a renal grid axis judged as a whole for the L/h reading', () => {
  it('CRCL=10:150:20 (the renal table) is mL/min: its 10 is not warned', () => {
    expect(renal(table(axis(10, 150, 20)).warnings)).toEqual([]);
    expect((150 * 1000) / 60).toBeCloseTo(2500, 6);
  });

  it('an axis all within 5-15 (CRCL=5,10,12) still offers the L/h reading for each point', () => {
    const w = renal(table([5, 10, 12]).warnings);
    expect(w).toHaveLength(3);
    expect(w[1]).toBe('grid CRCL=10: W_RENAL_UNIT: CRCL 10 read as 10 mL/min (kidney failure); if this is L/h, it is 166.7 mL/min (×16.67). Kidney failure has such values: if it is in L/h, convert it to mL/min');
  });

  it('an axis up to exactly 30 is not yet mL/min by its range (10 still warned); up to 31 it is', () => {
    expect(renal(table([10, 30]).warnings)).toHaveLength(1);
    expect(renal(table([10, 31]).warnings)).toEqual([]);
  });
});

describe('a resampled covariate table: its renal column judged as a whole likewise', () => {
  const checks = (crcl: readonly number[]): string[] =>
    resampledTableChecks({ covariates: { T: { resample: 't.csv' }, DIAL: { derived: '0' } } }, goti, () => `WT,CRCL\n${crcl.map((c) => `70,${c}`).join('\n')}\n`, 'c.json').filter((w) => w.includes('W_RENAL_UNIT'));
  it('a column running 10..150 is mL/min (silent); one of 6, 8, 10 still warns (row 1 and 2 more)', () => {
    expect(checks([10, 40, 90, 150])).toEqual([]);
    expect(checks([6, 8, 10])).toEqual([expect.stringMatching(/^t\.csv, row 1 \(and 2 more\), column CRCL .*W_RENAL_UNIT: CRCL 6 read as 6 mL\/min \(kidney failure\); if this is L\/h, it is 100 mL\/min/)]);
  });
});
