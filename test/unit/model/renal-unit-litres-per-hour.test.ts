// A creatinine clearance in L/h (the unit many popPK models state) sent to a model that reads
// mL/min: CRCL 6 (L/h, 100 mL/min) into Goti 2018 ran as kidney failure without a word, and
// optimizeRegimen advised 500 mg q48h for 1000 mg q12h (8× less); below 5 the warning offered only
// mL/s (4.8 L/h, 80 mL/min, was told "if this is mL/s, it is 288 mL/min"). 5–15 mL/min is also a
// real kidney failure, so it is warned, never refused, offering the L/h reading (× 1000/60 =
// 16.67, closed form) only where that reading is an ordinary clearance, 30–200 mL/min (1.8–12).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renalUnitWarning, suspectUnitProblem } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';

const read = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));
const goti = defineModel(read('models/vancomycin_goti_2018.json'));
const buelga = defineModel(read('models/vancomycin_buelga_2005.json'));
const rows = (crcl: number, dial = 0, dv = '.') =>
  readNmtran(`ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT,DIAL\n1,0,1,1000,1000,.,1,${crcl},70,${dial}\n1,11.5,0,.,.,${dv},${dv === '.' ? 1 : 0},${crcl},70,${dial}\n`).records;
const SIX = 'W_RENAL_UNIT: CRCL 6 read as 6 mL/min (kidney failure); if this is L/h, it is 100 mL/min (×16.67). Kidney failure has such values: if it is in L/h, convert it to mL/min';

describe('a clearance in L/h read as mL/min (W_RENAL_UNIT)', () => {
  it('5–12 mL/min offers the L/h reading (6 → 100, 5.5 → 91.67, 12 → 200 mL/min); 1.8–5 offers it beside mL/s; outside, not', () => {
    expect(renalUnitWarning(goti, 'CRCL', 6)).toBe(SIX);
    expect(renalUnitWarning(goti, 'CRCL', 5.5)).toMatch(/if this is L\/h, it is 91\.67 mL\/min/);
    expect(renalUnitWarning(goti, 'CRCL', 5)).toMatch(/CRCL 5 read as 5 mL\/min \(kidney failure\); if this is L\/h, it is 83\.33 mL\/min/);
    expect(renalUnitWarning(goti, 'CRCL', 12)).toMatch(/if this is L\/h, it is 200 mL\/min/);
    // 4.8 L/h is 80 mL/min: both readings, mL/s (288) and L/h (80)
    expect(renalUnitWarning(goti, 'CRCL', 4.8)).toBe('W_RENAL_UNIT: CRCL 4.8 read as 4.8 mL/min; if this is mL/s, it is 288 mL/min; if this is L/h, it is 80 mL/min (×16.67). Near-anuric patients have such values: if it is in mL/s or L/h, convert it to mL/min');
    expect(renalUnitWarning(goti, 'CRCL', 1.8)).toMatch(/if this is L\/h, it is 30 mL\/min/);
    // 1.2 L/h is 20 mL/min, itself impaired: only mL/s, as before
    expect(renalUnitWarning(goti, 'CRCL', 1.2)).toBe('W_RENAL_UNIT: CRCL 1.2 read as 1.2 mL/min; if this is mL/s, it is 72 mL/min. Near-anuric patients have such values: if it is in mL/s, convert it to mL/min');
    for (const v of [12.5, 15, 20, 30, 100]) expect(renalUnitWarning(goti, 'CRCL', v)).toBeUndefined();
    // a warning, never a refusal
    expect(suspectUnitProblem(goti, 'CRCL', 6, { WT: 70, DIAL: 0 })).toEqual({ warning: SIX });
    // on dialysis (DIAL 1) such a clearance is expected; a model reading L/h (Buelga 2005) takes 6 as is
    expect(renalUnitWarning(goti, 'CRCL', 6, { DIAL: 1 })).toBeUndefined();
    expect(renalUnitWarning(buelga, 'CRCL', 6)).toBeUndefined();
  });

  it('simulate, estimate, forecast and optimizeRegimen say it (a patient of CRCL 6, WT 70, DIAL 0)', () => {
    expect(simulate(goti, rows(6)).warnings).toContain(`row 1 (and 1 more): ${SIX}`);
    expect(simulate(goti, rows(100)).warnings.filter((w) => w.includes('W_RENAL_UNIT'))).toEqual([]);
    const recs = rows(6, 0, '20');
    const fit = estimate(goti, recs);
    expect(fit.warnings).toContainEqual({ code: 'W_RENAL_UNIT', message: `row 1 (and 1 more): ${SIX.replace('W_RENAL_UNIT: ', '')}` });
    const fut = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT,DIAL\n1,24,1,1000,1000,.,1,6,70,0\n1,36,0,.,.,.,1,6,70,0\n').records;
    const f = forecast(goti, recs, fit, fut, { metrics: ['auc24'], draws: 20, seed: 1 });
    expect(f.warnings).toContain(`W_RENAL_UNIT: records: row 1 (and 1 more): ${SIX.replace('W_RENAL_UNIT: ', '')}`);
    const o = optimizeRegimen(goti, rows(6), { doses: [500, 1000], intervals: [12, 48], infusions: [1], target: 'auc24:400:600', draws: 50, seed: 1, top: 1 });
    expect(JSON.stringify(o.warnings)).toContain('if this is L/h, it is 100 mL/min');
  });

  it('population / pta / band: judged at the median subject (CRCL normal(6, 1) in L/h)', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(join(tmpdir(), 'dosewise-renal-lh-'));
    try {
      const cov = join(tmp, 'c.json');
      writeFileSync(cov, JSON.stringify({ covariates: { CRCL: { dist: 'normal', mean: 6, sd: 1, lower: 2 }, WT: { dist: 'normal', mean: 70, sd: 10, lower: 40 }, DIAL: { derived: '0' } } }));
      const reg = join(tmp, 'r.json');
      writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1 }], observe: [{ times: [12] }] }));
      const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', cov, '--regimen', reg, '--n', '20', '--seed', '1', '--metric', 'conc@12', '--no-progress', '--workers', '0']);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/c\.json, covariates\.CRCL: .*W_RENAL_UNIT: CRCL 6 read as 6 mL\/min \(kidney failure\); if this is L\/h, it is 100 mL\/min/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
