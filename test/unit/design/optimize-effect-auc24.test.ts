// auc24 of an effect (a response, not a concentration) at an interval other than 24 h: the daily AUC
// is the interval's × 24/τ, a factor the kernel takes with the level's `fu`; the check that refuses
// `fu=` on an effect read it as the user's and refused "metric auc24: fu= acts on a concentration"
// for a bare auc24 target (q6h, q8h, q12h once a steady state was one interval; q18h and q48h
// before). Each candidate's auc24 is its auctau × 24/τ (one steady-state interval).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

const model = defineModel(JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')));
const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n').records;

describe('optimize: auc24 of an effect at q8h, q12h, q18h', () => {
  it('ranks the regimens, each auc24 its auctau × 24/τ', () => {
    const opts = { doses: [50, 100, 200], intervals: [8, 12, 18], draws: 200, seed: 4, top: 9 };
    const a = optimizeRegimen(model, records, { ...opts, target: 'auc24:500:1500' });
    const b = optimizeRegimen(model, records, { ...opts, target: 'auctau:1:1e9' });
    expect(a.ranked).toHaveLength(9);
    const other = new Map(b.ranked.map((c) => [`${c.dose}/${c.interval}`, c]));
    let worst = 0;
    for (const c of a.ranked) {
      const d = other.get(`${c.dose}/${c.interval}`);
      for (const q of ['lo', 'median', 'hi'] as const) worst = Math.max(worst, Math.abs((c.exposure['auc24']?.[q] as number) / (((d?.exposure['auctau']?.[q] as number) * 24) / c.interval) - 1));
    }
    console.info(`largest relative difference ${worst}`);
    // measured 2026-12-05: 4.4e-16 (the same area, × 24/τ in the kernel or here)
    expect(worst).toBeLessThan(1e-14);
  });
  it('still refuses a user fu= on an effect', () => {
    expect(() => optimizeRegimen(model, records, { doses: [100], intervals: [8], target: 'fu=0.5/auc24:500:1500', draws: 50 })).toThrow(/fu= acts on a concentration/);
  });
});
