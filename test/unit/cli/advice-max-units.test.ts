// optimize --from with --strengths: a --doses value above what --max-units units make (default 4)
// became the largest such dose, so `--doses 160:640:40 --strengths 80` evaluated 9 regimens up to
// 320 mg (4 × 80), advised 320 mg q36h where 400 mg q48h (reached with --max-units 8) was better,
// and nothing said so: JSON `excluded` listed maxDaily and infusionLongerThanInterval only.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { practicalCandidates } from '../../../src/cli/advice.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-max-units-');
// the chart gent1.csv: gentamicin 480 mg over 0.5 h, a level, a BLQ trough, a second dose and its peak
const chart = write(
  'gent1.csv',
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ,WT,ClCr\n7,03/10/2026,09:05,1,480,960,.,1,.,.,75,70\n7,03/10/2026,18:10,0,.,.,3.9,0,0,0.5,75,70\n' +
    '7,03/11/2026,08:50,0,.,.,0.5,0,1,0.5,75,45\n7,03/11/2026,10:40,1,480,960,.,1,.,.,75,45\n7,03/11/2026,10:55,0,.,.,14.8,0,0,0.5,75,45\n',
);
const advice = ['optimize', '--model', 'gentamicin_xuan_2003', '--data', chart, '--from', '2026-03-12T09:00', '--target', 'auc24:70:100,trough::1', '--doses', '160:640:40', '--strengths', '80', '--intervals', '24,36,48', '--infusions', '0.5', '--draws', '200', '--seed', '1'];

interface Out {
  evaluated: number;
  excluded: { maxDaily: number; infusionLongerThanInterval: number; maxUnits: { count: number; largest: number; limit: number; doses: number[] } | null };
  recommendation: { next: { amount: number }; maintenance: { amount: number; interval: number } };
}

describe('optimize --from --strengths: the --doses the unit limit cuts', () => {
  it('are counted in excluded.maxUnits and named on stderr with the --max-units that reaches them', async () => {
    const r = await cli([...advice, '--json']);
    expect(r.code, r.err).toBe(0);
    const [o] = JSON.parse(r.out) as Out[];
    // by hand: 4 × 80 = 320 is the largest dose; 360, 400, …, 640 (8 values) lie above it, and 640 = 8 × 80.
    // The candidates left are 160, 240 (200 ties up), 320: 3 doses × 3 intervals = 9 regimens
    expect(o?.evaluated).toBe(9);
    expect(o?.excluded.maxUnits).toEqual({ count: 8, largest: 320, limit: 4, doses: [360, 400, 440, 480, 520, 560, 600, 640] });
    expect(r.err).toMatch(/warning: W_MAX_UNITS: 8 of the --doses \(360, 400, …, 640\) are above 320, the largest dose of at most 4 units of --strengths 80 \(--max-units 4\): each became 320, so none of them was evaluated; give --max-units 8 to evaluate them/);
    const text = await cli(advice);
    expect(text.out).toMatch(/; 9 regimens × [^\n]*\(8 of the --doses above 320, the most 4 units make: not evaluated\)/);
  });

  it('with --max-units 8 every --doses value is a candidate: no warning, 400 mg q48h ranks first', async () => {
    const r = await cli([...advice, '--max-units', '8', '--json']);
    expect(r.code, r.err).toBe(0);
    const [o] = JSON.parse(r.out) as Out[];
    // by hand: 160, 240, 320 (280 ties up), 400 (360 ties up), 480, 560, 640: 7 doses × 3 intervals
    expect(o?.evaluated).toBe(21);
    expect(o?.excluded.maxUnits).toBeNull();
    expect(r.err).not.toMatch(/W_MAX_UNITS/);
    expect([o?.recommendation.maintenance.amount, o?.recommendation.maintenance.interval]).toEqual([400, 48]);
    // python3 (numpy, scipy.linalg.expm of the 2-cmt micro-constant system with an AUC state) from the MAP
    // parameters of this run (CL 2.51143399165117 from row 3 on, 0.047·70·e^ηCL = 3.90668 before under NOCB,
    // V 20.764571244989657, K12 0.061321595392824495, K21 0.05699869169702192): the history's two 480 mg
    // infusions, then 400 mg over 0.5 h at 68.9166666667 h; at E = 116.916666667 h the level is
    // 0.7263653974879252, and AUC(E − 48, E)·24/48 = 83.33813363196944. Measured: 1e-11 and 3.6e-4 relative
    // (the AUC is the engine's quadrature on its samples: hourly, log-trapezoids down give 83.3697)
    const best = o?.recommendation as unknown as { exposure: { auc24: { mode: number }; trough: { mode: number } } };
    expect(Math.abs(best.exposure.trough.mode / 0.7263653974879252 - 1)).toBeLessThan(1e-8);
    expect(Math.abs(best.exposure.auc24.mode / 83.33813363196944 - 1)).toBeLessThan(1e-3);
  });

  it('practicalCandidates: the cut doses, the largest dose and the limit that reaches them', () => {
    // by hand: 4 units of 500/1000 make at most 4000; 4500 needs 5 units (4 × 1000 + 500), 5000 needs 5
    expect(practicalCandidates([1000, 4500, 5000, 4000], { strengths: '500,1000' })).toEqual({ doses: [1000, 4000], unitLimited: { doses: [4500, 5000], largest: 4000, maxUnits: 4, reaching: 5 } });
    expect(practicalCandidates([1000, 4000], { strengths: '500,1000' })).toEqual({ doses: [1000, 4000] });
    expect(practicalCandidates([1000, 4500], { round: '250' })).toEqual({ doses: [1000, 4500] });
  });
});
