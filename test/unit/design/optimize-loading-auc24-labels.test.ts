// optimize --loading: a daily AUC judged in the window was labelled with the dosing interval
// (`auc24:12:24`, "judged in every whole dosing interval (q12h: 0–12, 12–24, …)") but read over the
// 24 h that end with it (0–24): Buelga, 2000 mg then 750 mg q12h, `auc24:12:24` 510.79 where the
// interval's own AUC·24/τ is 504.31, `auc24:24:36` 495.35 for 486.42. The labels now name the hours
// read: auc24:0:24, auc24:12:36, auc24:24:48, and auc24:0:12 for the first interval (AUC 0–12 × 2,
// its 24 h would start before the loading dose). Oracle: test/oracle/optimize_loading_window.py.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

const ref = JSON.parse(readFileSync('test/oracle/optimize-loading-window.json', 'utf8')) as Record<string, number>;
const file = JSON.parse(readFileSync('models/vancomycin_buelga_2005.json', 'utf8'));
const buelga = defineModel({ ...file, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [1e-10, 1e-10] } });
const patient = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,0,2,.,.,.,1,70,3\n').records;

describe('optimize --loading: auc24 labels name the 24 h read', () => {
  it('2000 mg then 750 mg q12h over 1 h: auc24:0:12, 0:24, 12:36, 24:48 against the closed form', () => {
    const r = optimizeRegimen(buelga, patient, { doses: [750], intervals: [12], infusions: [1], loadingDoses: [2000], target: 'auc24:400:600', draws: 100, seed: 1 });
    const c = r.ranked.find((x) => x.loadingDose === 2000)!;
    expect(Object.keys(c.window!.exposure).sort()).toEqual(['auc24:0:12', 'auc24:0:24', 'auc24:12:36', 'auc24:24:48']);
    // measured within 1e-4 relative (the engine's sampled AUC)
    for (const k of ['auc24:0:12', 'auc24:0:24', 'auc24:12:36', 'auc24:24:48']) expect(Math.abs(c.window!.exposure[k]!.median / (ref[k] as number) - 1), k).toBeLessThan(5e-4);
  });
});
