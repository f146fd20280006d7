// optimize judges a linear candidate of a one-metric target on its unit simulation's sorted draws
// (exposure quantiles read scaled, the draws attaining counted by bisection); any other target is
// judged draw by draw. Both must give the same numbers, bit for bit: here the same AUC24 window
// alone, and beside a clause every draw passes (trough ≥ 0), which takes the draw-by-draw path.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

describe('optimize: the sorted-draws judgment equals the draw-by-draw one', () => {
  it('PTA, failed draws and AUC24 quantiles of 60 candidates, with and without a second clause', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const records = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    const fit = estimate(model, records);
    const base = { doses: Array.from({ length: 20 }, (_, i) => 250 * (i + 1)), intervals: [8, 12, 24], infusions: [1], draws: 400, seed: 3, top: 60 };
    const one = optimizeRegimen(model, records, { ...base, target: 'auc24:400:600' }, fit);
    const two = optimizeRegimen(model, records, { ...base, target: 'auc24:400:600,trough:0:1e300' }, fit);
    expect(one.ranked.length).toBe(two.ranked.length);
    const key = (c: { dose: number; interval: number }): string => `${c.dose}/${c.interval}`;
    const byKey = new Map(two.ranked.map((c) => [key(c), c]));
    let between = 0;
    for (const c of one.ranked) {
      const d = byKey.get(key(c));
      expect(d).toBeDefined();
      expect(c.pta).toBe(d?.pta);
      expect(c.failed).toBe(d?.failed);
      expect(c.exposure['auc24']).toEqual(d?.exposure['auc24']);
      if (c.pta > 0 && c.pta < 1) between++;
    }
    // the comparison means something only where the window cuts through the draws
    expect(between).toBeGreaterThan(10);
  });
});
