// contra.csv: vancomycin (Goti 2018), 1000 mg over 1 h, levels 0.001 mg/L at 12 h and
// 60 mg/L at 13 h with no dose between them (a swapped or mislabelled tube) were fitted as a patient
// with CL 0.861 L/h and V 12.0 L, IWRES −2.83 and +3.66, no warning, exit 0: a chart of 2 levels has
// no leave-one-out check, and no IV model rises 60,000-fold in an hour without a dose. Now
// W_LEVELS_CONTRADICT names both rows, times and values (contradicting-levels.ts). Numbers from
// test/oracle/levels_contradict.py (scipy, matrix exponential): the ratio f(13)/f(12) over the ±4-SD
// prior box 0.44203–0.99952, the pair 3.4573 residual SDs from the nearest. Failed before the fix
// (no W_LEVELS_CONTRADICT).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { pairDistance2 } from '../../../src/bayes/contradicting-levels.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const oracle = JSON.parse(readFileSync('test/oracle/levels-contradict.json', 'utf8')) as {
  cases: { y1: number; y2: number; ratio_min: number; ratio_max: number; distance: number }[];
};
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL';
const chart = (rows: string[]) => readNmtran([H, '3,0,1,1000,1000,.,1,80,60,0', ...rows].join('\n')).records;
const codes = (rows: string[]) => estimate(goti, chart(rows)).warnings.map((w) => w.code);

describe('W_LEVELS_CONTRADICT: two levels no patient gives together', () => {
  it('contra.csv: 0.001 at 12 h then 60 at 13 h, no dose between, is warned naming both rows, times and values', () => {
    const fit = estimate(goti, chart(['3,12,0,.,.,0.001,0,80,60,0', '3,13,0,.,.,60,0,80,60,0']));
    const w = fit.warnings.find((x) => x.code === 'W_LEVELS_CONTRADICT');
    expect(w?.message).toMatch(/^rows 2 and 3 contradict each other: the level goes from DV 0\.001 at TIME 12 \(row 2\) to DV 60 at TIME 13 \(row 3\) \(×60000\) in 1 h with no dose between them/);
    const m = /gives ×([\d.e+-]+) to ×([\d.e+-]+) .* the pair is ([\d.]+) residual SDs/.exec(w?.message ?? '');
    const c = oracle.cases[0] as (typeof oracle.cases)[number];
    expect(Number(m?.[1])).toBeCloseTo(c.ratio_min, 2);
    expect(Number(m?.[2])).toBeCloseTo(c.ratio_max, 2);
    expect(Number(m?.[3])).toBeCloseTo(c.distance, 2);
  });

  it("the pair's distance matches the oracle (Goti's combined1 error, sd = 3.4 + 0.227·c)", () => {
    const z = (y: number) => (c: number) => (y - c) / (3.4 + 0.227 * c);
    for (const c of oracle.cases) {
      const d = Math.sqrt(pairDistance2(z(c.y1), z(c.y2), Math.log(c.ratio_min), Math.log(c.ratio_max), [Math.log(Math.max(c.y1, 1e-3)), Math.log(c.y2), Math.log(10)]));
      expect(Math.abs(d - c.distance)).toBeLessThan(1e-4);
    }
  });

  it('ordinary pairs, a single level and a pair with a dose between them are silent', () => {
    expect(codes(['3,12,0,.,.,10,0,80,60,0', '3,13,0,.,.,9,0,80,60,0'])).not.toContain('W_LEVELS_CONTRADICT');
    // 5 then 25: within the wide published error (1.97 SDs, oracle)
    expect(codes(['3,12,0,.,.,5,0,80,60,0', '3,13,0,.,.,25,0,80,60,0'])).not.toContain('W_LEVELS_CONTRADICT');
    expect(codes(['3,13,0,.,.,60,0,80,60,0'])).not.toContain('W_LEVELS_CONTRADICT');
    // a dose between the two: a rise is what it gives
    expect(codes(['3,12,0,.,.,0.001,0,80,60,0', '3,12.5,1,1000,2000,.,1,80,60,0', '3,13,0,.,.,60,0,80,60,0'])).not.toContain('W_LEVELS_CONTRADICT');
  });
});
