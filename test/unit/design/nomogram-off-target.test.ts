// nomogram rounding: the README's own example (Goti 2018, auc24=500 q12h, --round 250) reads 250 mg
// in the whole CRCL 30 row, a computed 371.1 mg: AUC24 336.8, 33 % under the target, and the text
// table had no mark for it (W_ROUNDED_UP fires only above 2× the computed dose). A cell whose rounded
// dose misses the target by more than 20 % is now marked `~`, with a legend naming the worst cell.
// Oracle: a linear model's exposure is proportional to dose, so achieved/target = rounded/computed
// (500 · 250/371.1 = 336.8).

import { describe, expect, it } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { OFF_TARGET, formatNomogram, nomogram } from '../../../src/design/nomogram/nomogram.js';

describe('nomogram: a rounded dose off target by more than 20 % is marked', () => {
  const goti = libraryModel('vancomycin_goti_2018');
  const n = nomogram(goti, {
    target: { metric: 'auc24', value: 500 },
    intervals: [12],
    infusion: 1,
    grid: [{ name: 'WT', values: [50, 60, 70, 80, 90, 100, 110, 120] }, { name: 'CRCL', values: [30, 50, 70, 90, 110, 130, 150] }],
    rounding: { kind: 'increment', step: 250 },
  });
  const text = formatNomogram(n);
  it('marks exactly the cells with |rounded/computed − 1| > 0.2, and says why under the table', () => {
    expect(OFF_TARGET).toBe(0.2);
    const c = n.cells.find((x) => x.covariates.WT === 50 && x.covariates.CRCL === 30)!;
    expect(c.dose).toBe(250);
    expect(c.achieved!.auc24).toBeCloseTo((500 * 250) / c.computed!, 1);
    expect(c.achieved!.auc24).toBeCloseTo(336.8, 0);
    const rows = text.split('\n');
    const marked = n.cells.filter((x) => Math.abs((x.dose as number) / (x.computed as number) - 1) > 0.2);
    expect(marked.length).toBeGreaterThan(0);
    for (const x of n.cells) {
      const row = rows.find((r) => r.startsWith(`${x.covariates.WT} `))!;
      const cols = row.trim().split(/\s+/);
      const cell = cols[1 + [30, 50, 70, 90, 110, 130, 150].indexOf(x.covariates.CRCL as number)]!;
      expect(cell.endsWith('~'), `WT ${x.covariates.WT} CRCL ${x.covariates.CRCL}: ${cell}`).toBe(marked.includes(x));
    }
    expect(text).toMatch(/~ the rounded dose misses the target by more than 20 %: .*auc24 33[67]\.\d for 500 \(-33 %\) at WT=50, CRCL=30/);
  });
  it('a table whose rounded doses are all within 20 % has no mark and no legend', () => {
    const exact = nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'WT', values: [70] }, { name: 'CRCL', values: [90] }], rounding: { kind: 'increment', step: 10 } });
    expect(formatNomogram(exact)).not.toMatch(/~/);
  });
});
