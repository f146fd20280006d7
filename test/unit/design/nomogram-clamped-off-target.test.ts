// nomogram: a cell whose dose is an end of the allowed range (`v`, `^`) was never marked `~`, nor
// counted in the `~` legend, however far its dose missed the target: auc24=464 q12h, --round 250,
// WT 70 and CRCL 10, 30 printed `250v  500~` and "1 cell, the furthest auc24 580.7 for 464 (+25 %)",
// where the CRCL 10 cell reaches 626.5 (+35 %), the furthest; with --strengths 10 every cell read
// `40^` at about −91 % with no `~` and no legend. The README says a cell whose
// rounded dose misses the target by more than 20 % is marked `~`: clamped cells are now too, counted
// and named in the legend, which says how many of them are at an end of the allowed doses.
//
// Reference (closed form, 1-cmt IV infusion at steady state, typical subject): CL = 4·(CRCL/100)^0.7,
// auc24 = 24/12 · dose/CL.
//   CRCL 10: CL = 4·0.1^0.7 = 0.798105, 250 mg → 500/0.798105 = 626.48 (+35.0 %)
//   CRCL 30: CL = 4·0.3^0.7 = 1.722046, 500 mg → 1000/1.722046 = 580.70 (+25.2 %)
//   --strengths 10 (at most 4 units: 40 mg), CRCL 30 → 80/1.722046 = 46.46 (−90.0 %),
//   CRCL 10 → 80/0.798105 = 100.24 (−78.4 %)

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { formatNomogram, nomogram } from '../../../src/design/nomogram/nomogram.js';

const model = defineModel({
  dosewise: 2, name: 't2_1cmt_iv', drug: 'test drug X (doses in mg)', structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * (CRCL/100)^0.7 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
  covariates: { CRCL: { unit: 'mL/min' }, WT: { unit: 'kg' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.05] },
  observe: { compartment: 1, unit: 'mg/L' },
});
const grid = [{ name: 'WT', values: [70] }, { name: 'CRCL', values: [10, 30] }];
const cellsOf = (text: string): string[] => (text.split('\n').find((r) => r.startsWith('70 ')) ?? '').trim().split(/\s+/).slice(1);

describe('nomogram: a clamped cell (v, ^) off target by more than 20 % is marked ~ and counted', () => {
  it('--round 250: 250v~ and 500~, 2 cells, the furthest auc24 626.5 for 464 (+35 %) at CRCL 10 (was 250v, 1 cell, 580.7 +25 %)', () => {
    const n = nomogram(model, { target: { metric: 'auc24', value: 464 }, intervals: [12], infusion: 1, grid, rounding: { kind: 'increment', step: 250 } });
    const [c10, c30] = n.cells;
    expect([c10?.dose, c10?.clamped, c30?.dose, c30?.clamped]).toEqual([250, 'min', 500, undefined]);
    expect(c10?.achieved?.auc24).toBeCloseTo(500 / 0.798105, 2);
    expect(c30?.achieved?.auc24).toBeCloseTo(1000 / 1.722046, 2);
    const text = formatNomogram(n);
    expect(cellsOf(text)).toEqual(['250v~', '500~']);
    expect(text).toMatch(/~ the rounded dose misses the target by more than 20 %: 2 cells \(1 at an end of the allowed doses, v or \^\), the furthest auc24 626\.5 for 464 \(\+35 %\) at WT=70, CRCL=10;/);
  });

  it('--strengths 10: every cell 40^~, both counted, the furthest −90 % at CRCL 30 (was 40^ with no ~ and no legend)', () => {
    const n = nomogram(model, { target: { metric: 'auc24', value: 464 }, intervals: [12], infusion: 1, grid, rounding: { kind: 'strengths', strengths: [10] } });
    const text = formatNomogram(n);
    expect(cellsOf(text)).toEqual(['40^~', '40^~']);
    expect(text).toMatch(/2 cells \(2 at an end of the allowed doses, v or \^\), the furthest auc24 46\.46 for 464 \(-90 %\) at WT=70, CRCL=30;/);
  });

  it('a clamped cell within 20 % of the target is not marked ~', () => {
    // CRCL 30 computed 464·1.722046/2 = 399.5 mg; a largest dose of 390 lowers it (^)
    const n = nomogram(model, { target: { metric: 'auc24', value: 464 }, intervals: [12], infusion: 1, grid: [{ name: 'WT', values: [70] }, { name: 'CRCL', values: [30] }], rounding: { kind: 'increment', step: 10, max: 390 } });
    const text = formatNomogram(n);
    expect(n.cells[0]?.clamped).toBe('max');
    // 390 mg: 780/1.722046 = 453.0 (−2.4 %)
    expect(n.cells[0]?.achieved?.auc24).toBeCloseTo(780 / 1.722046, 2);
    expect(cellsOf(text)).toEqual(['390^']);
    expect(text).not.toMatch(/~ the rounded dose/);
  });
});
