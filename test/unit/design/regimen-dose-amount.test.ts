// The dose pta and band show (and band scales from) is the amount given at the last dose time, records
// at one time summed: 500 (SS = 1) + 500 (SS = 2) at 0 h q12h showed "500 q12h" and band doses
// scaled from 500 although each administration is 1000. The dose per 24 h is the mean amount per dose
// time over the last 24 h of dosing × 24/τ: 1000, 500, 1000, 500 q12h showed 1000 per 24 h where every
// 24 h gives 1500. Expected values are the amounts summed by hand over one 24-h period, and AUC24 =
// dose per 24 h / CL of a one-compartment model at steady state.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { populationExposure } from '../../../src/design/banding/banding-population.js';
import { readRegimenFile } from '../../../src/cli/io.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

const dir = tempDir('dw-regdose-');
const file = (name: string, doses: unknown[], to = 48): string => {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ doses, observe: [{ grid: { from: 0, to, step: 1 } }] }));
  return f;
};
const splitSs2 = file('split_ss2', [
  { time: 0, amt: 500, cmt: 1, ii: 12, ss: 1, addl: 1 },
  { time: 0, amt: 500, cmt: 1, ii: 12, ss: 2, addl: 1 },
], 24);
const splitSs1 = file('split_ss1', [
  { time: 0, amt: 500, cmt: 1, ii: 12, ss: 1, addl: 1 },
  { time: 0, amt: 500, cmt: 1, ii: 12, ss: 1, addl: 1 },
], 24);
const alt = file('alt', [0, 12, 24, 36].map((time, k) => ({ time, amt: k % 2 ? 500 : 1000, cmt: 1 })));
const oneCmt = {
  dosewise: 2,
  name: 'one-cmt',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '5*exp(ETA_CL)', V: '40*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
};
const model = join(dir, 'one.json');
writeFileSync(model, JSON.stringify(oneCmt));

describe('regimenDose: the amount at the last dose time, and the mean per dose time over the last 24 h', () => {
  it('500 SS = 1 + 500 SS = 2 at 0 h, q12h: 1000 per administration, 2000 per 24 h', () => {
    expect(regimenDose(readRegimenFile(splitSs2))).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
  });

  it('two SS = 1 records at one time: the second resets the first, 500 per administration, 1000 per 24 h', () => {
    expect(regimenDose(readRegimenFile(splitSs1))).toEqual({ dose: 500, interval: 12, dailyDose: 1000 });
  });

  it('alternating doses: 1000, 500, 1000, 500 q12h give 1000 + 500 = 1500 per 24 h (the last dose is 500)', () => {
    expect(regimenDose(readRegimenFile(alt))).toEqual({ dose: 500, interval: 12, dailyDose: 1500 });
    // q8h 1000, 500, 500 repeated: every 24 h gives 2000
    let r = regimen();
    for (let k = 0; k < 9; k++) r = r.dose({ time: 8 * k, amt: k % 3 === 0 ? 1000 : 500, cmt: 1 });
    expect(regimenDose(r.observe({ grid: { from: 0, to: 96, step: 1 } }).records())).toEqual({ dose: 500, interval: 8, dailyDose: 2000 });
    // q6h with II: 1000 + 1000 + 1000 + 1000 over 24 h, whatever came before
    const ii = regimen().dose({ time: 0, amt: 3000, cmt: 1 }).dose({ time: 12, amt: 1000, cmt: 1, ii: 6, addl: 7 }).observe({ grid: { from: 0, to: 72, step: 1 } }).records();
    expect(regimenDose(ii)).toEqual({ dose: 1000, interval: 6, dailyDose: 4000 });
  });

  it('an interval of 24 h or more: the last amount × 24/τ (1000, 500 q24h: 500; 1000 q36h: 666.7)', () => {
    const q24 = regimen().dose({ time: 0, amt: 1000, cmt: 1 }).dose({ time: 24, amt: 500, cmt: 1 }).observe({ grid: { from: 0, to: 48, step: 1 } }).records();
    expect(regimenDose(q24)).toEqual({ dose: 500, interval: 24, dailyDose: 500 });
    const q36 = regimen().dose({ time: 0, amt: 1000, cmt: 1, ii: 36, addl: 2 }).observe({ grid: { from: 0, to: 108, step: 1 } }).records();
    const d = regimenDose(q36);
    expect(d).toMatchObject({ dose: 1000, interval: 36 });
    expect(d.dailyDose).toBeCloseTo((1000 * 24) / 36, 10);
  });
});

describe('pta and band show and scale from the amount of one administration', () => {
  it('pta: "1000 q12h | 2000" for 500 + 500 SS = 2, "500 q12h | 1500" for alternating doses', async () => {
    const r = await cli(['pta', '--model', model, '--regimens', `${splitSs2},${alt}`, '--target', 'auc24:300:500', '--n', '50', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^split_ss2 +1000 q12h +2000 /m);
    expect(r.out).toMatch(/^alt +500 q12h +1500 /m);
  }, 60_000);

  it('band: simulated at 1000 q12h; each subject needs D with AUC24 = 2·D/CL in [300, 500], D in [150·CL, 250·CL]', async () => {
    const records = readRegimenFile(splitSs2);
    const pe = await populationExposure({ model: oneCmt, regimen: records, target: 'auc24:300:500', by: 'CL', keep: ['CL'], n: 200, seed: '1', workers: 0 });
    expect(pe.referenceDose).toBe(1000);
    expect(pe.failed).toBe(0);
    const cl = pe.columns.CL!;
    for (let s = 0; s < 200; s++) {
      // before: the reference 500 gave 75·CL and 125·CL, half the doses each subject needs
      expect((pe.doseLo[s] as number) / (150 * (cl[s] as number)) - 1).toBeCloseTo(0, 4);
      expect((pe.doseHi[s] as number) / (250 * (cl[s] as number)) - 1).toBeCloseTo(0, 4);
    }
    const b = await cli(['band', '--model', model, '--regimen', splitSs2, '--target', 'auc24:300:500', '--by', 'CL', '--bands', '2', '--doses', '500:3000:250', '--n', '200', '--workers', '0', '--no-progress']);
    expect(b.code).toBe(0);
    expect(b.out).toContain('simulated at 1000 q12h');
    expect(b.out).toContain('note: the regimen has dose records of 500 (1000 at its last dose time): a band dose D scales every one of them by D/1000');
  }, 60_000);
});
