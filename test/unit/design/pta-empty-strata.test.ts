// pta --strata with cut points in another unit: Buelga reads CRCL in L/h (a population of 2–8 L/h),
// and `--strata CRCL:30,60,90` (mL/min cuts) put every subject in "CRCL < 30", the other columns
// "- ± -" with n 0, exit 0, no warning. A stratum without a subject is now warned (W_EMPTY_STRATA),
// naming the strata, the variable's range in the population and the model's unit for it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pta } from '../../../src/design/pta/pta.js';
import { regimen } from '../../../src/regimen/builder.js';

const model = JSON.parse(readFileSync('models/vancomycin_buelga_2005.json', 'utf8'));
const covariates = { covariates: { CRCL: { dist: 'uniform', lower: 2, upper: 8, unit: 'L/h' }, WT: { dist: 'categorical', values: [70], p: [1], unit: 'kg' } } };

describe('pta: empty strata are warned', () => {
  it('CRCL:30,60,90 on a 2–8 L/h population: 3 of 4 strata empty, warned with the range and unit', async () => {
    const records = regimen().dose({ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1 }).observe({ grid: { from: 0, to: 24, step: 0.1 } }).records();
    const r = await pta({ model, covariates, regimens: [{ name: '1000 q12h', records }], target: 'auc24:400:600', strata: 'CRCL:30,60,90', n: 400, seed: 1, workers: 0 });
    expect(r.regimens[0]!.cells.map((c) => c.n)).toEqual([400, 0, 0, 0, 400]);
    const w = r.warnings.find((x) => x.startsWith('W_EMPTY_STRATA'));
    expect(w).toMatch(/^W_EMPTY_STRATA: strata CRCL:30,60,90: 3 of 4 strata hold no subject \(30 ≤ CRCL < 60, 60 ≤ CRCL < 90, CRCL ≥ 90\); CRCL runs 2(\.\d+)?–[78](\.\d+)? in this population \(the model reads it in L\/h\): cut points in another unit\?/);
    const ok = await pta({ model, covariates, regimens: [{ name: '1000 q12h', records }], target: 'auc24:400:600', strata: 'CRCL:4,6', n: 400, seed: 1, workers: 0 });
    expect(ok.warnings.filter((x) => x.startsWith('W_EMPTY_STRATA'))).toEqual([]);
  });
});
