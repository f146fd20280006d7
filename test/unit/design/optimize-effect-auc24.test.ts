// auc24 of an effect (a response, not a concentration) at an interval other than 24 h: the daily AUC
// is the interval's × 24/τ, a factor the kernel takes with the level's `fu`; the check that refuses
// `fu=` on an effect read it as the user's and refused "metric auc24: fu= acts on a concentration"
// for a bare auc24 target (q6h, q8h, q12h once a steady state was one interval; q18h and q48h
// before). The same model read as time-dependent (CL × (1 + 0·TIME): the whole day simulated, no
// factor) gives the same exposures.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

describe('optimize: auc24 of an effect at q8h, q12h, q18h', () => {
  it('ranks the regimens, with the exposures of the whole-day simulation', () => {
    const file = JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')) as { parameters: Record<string, unknown> };
    const model = defineModel(file);
    const timed = defineModel({ ...file, parameters: { ...file.parameters, CL: 'TVCL * exp(ETA_CL) * (1 + 0*TIME)' } });
    const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n').records;
    const opts = { doses: [50, 100, 200], intervals: [8, 12, 18], target: 'auc24:500:1500', draws: 200, seed: 4, top: 9 };
    const a = optimizeRegimen(model, records, opts);
    const b = optimizeRegimen(timed, records, opts);
    expect(a.ranked).toHaveLength(9);
    const other = new Map(b.ranked.map((c) => [`${c.dose}/${c.interval}`, c]));
    let worst = 0;
    for (const c of a.ranked) {
      const d = other.get(`${c.dose}/${c.interval}`);
      expect(d?.pta).toBe(c.pta);
      for (const q of ['lo', 'median', 'hi'] as const) worst = Math.max(worst, Math.abs((c.exposure['auc24']?.[q] as number) / (d?.exposure['auc24']?.[q] as number) - 1));
    }
    console.info(`largest relative difference ${worst}`);
    // measured 3.1e-13 (dopri5 at rtol 1e-11 over one interval or a day)
    expect(worst).toBeLessThan(1e-12);
  });
  it('still refuses a user fu= on an effect', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')));
    const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n').records;
    expect(() => optimizeRegimen(model, records, { doses: [100], intervals: [8], target: 'fu=0.5/auc24:500:1500', draws: 50 })).toThrow(/fu= acts on a concentration/);
  });
});
