// band cut a "≥ 150 kg" band of 15 of 100,000 subjects and gave it 1500 mg "in 53.3 %", the rest
// 1250 mg, where CL does not depend on weight at all (the model's WT is on V; Cavg = dose/(CL·τ)):
// 1,000,000 new subjects give 1500 mg 45.2 ± 3.2 % in 15–25 mg/L, below the 48.6 % of 1250 mg. The
// optimizer is exact; its in-sample fraction for so few subjects is not what the band will do.
// Such a band is warned (W_SMALL_BAND), with its Monte Carlo SE √(p(1−p)/n):
// √(8/15 · 7/15 / 15) = 12.88 percentage points.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './design-cli.js';
import { SMALL_BAND_SUBJECTS, smallBandWarnings } from '../../../src/design/banding/small-bands.js';
import type { Band } from '../../../src/design/banding/banding.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-small-band-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, x: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(x));
  return p;
};
const model = file('m1.json', {
  dosewise: 2,
  name: 't4_1cmt',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  covariates: { EGFR: { unit: 'mL/min/1.73m2' }, WT: { unit: 'kg' } },
  parameters: { CL: { expr: 'TVCL * (EGFR / 90)^0.75 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  observe: { compartment: 1, unit: 'mg/L' },
});
const covariates = file('cov1.json', {
  covariates: {
    WT: { dist: 'lognormal', median: 75, cv: 0.2, unit: 'kg' },
    SCR: { dist: 'lognormal', median: 0.9, sdlog: 0.3, unit: 'mg/dL' },
    AGE: { dist: 'uniform', lower: 20, upper: 80, unit: 'years' },
    SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' },
    EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' },
  },
});
const regimen = file('r1000.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1 }], observe: [{ grid: { from: 0, to: 12, step: 0.05 } }] });

const band = (b: Partial<Band> & Pick<Band, 'n' | 'in'>): Band => ({ from: null, to: null, min: 0, max: 1, dose: 1000, below: 0, above: b.n - b.in, fracIn: b.in / b.n, fracBelow: 0, fracAbove: (b.n - b.in) / b.n, ...b });
const overall = { n: 100_000, in: 0, below: 0, above: 0, fracIn: 0, fracBelow: 0, fracAbove: 0 };

describe('W_SMALL_BAND', () => {
  it('the 15-subject band of 100,000 is warned with its SE, its dose fitted to few and the remedy', async () => {
    const j = JSON.parse(await cli(['band', '--model', model, '--covariates', covariates, '--regimen', regimen, '--target', 'cavg:15:25', '--by', 'WT', '--bands', '3', '--doses', '250:2500:250', '--cut-step', '5', '--n', '100000', '--seed', '1', '--json', '--no-progress'])) as { bands: Band[]; warnings: string[] };
    const small = j.bands.findIndex((b) => b.n < SMALL_BAND_SUBJECTS);
    expect(j.bands[small]).toMatchObject({ from: 150, to: null, n: 15, in: 8, dose: 1500 });
    expect(j.warnings).toEqual([
      `W_SMALL_BAND: band ${small + 1} (WT ≥ 150) holds 15 of 100,000 subjects, fewer than 625, where a fraction's Monte Carlo SE can pass 2 percentage points (0.5/√n at 50 %): its 53.3 % in the target has an SE of 12.9 percentage points, and its dose 1500 was chosen to fit these few subjects, so that fraction is optimistic (new subjects in the band do worse with it on average); simulate more subjects or ask for fewer bands`,
    ]);
  }, 120_000);

  it('from 625 subjects (SE ≤ 0.5/√625 = 2 percentage points) and for one band: none', () => {
    expect(SMALL_BAND_SUBJECTS).toBe(625);
    const two = (n: number) => ({ feasible: true, overall, bands: [band({ to: 60, n: 100_000 - n, in: 40_000 }), band({ from: 60, n, in: Math.round(n / 2) })] });
    expect(smallBandWarnings(two(625), 'CRCL')).toEqual([]);
    expect(smallBandWarnings(two(624), 'CRCL')).toEqual([expect.stringMatching(/^W_SMALL_BAND: band 2 \(CRCL ≥ 60\) holds 624 of 100,000 subjects, fewer than 625, .*: its 50\.0 % in the target has an SE of 2\.0 percentage points/)]);
    expect(smallBandWarnings({ feasible: true, overall, bands: [band({ n: 10, in: 5 })] }, 'WT')).toEqual([]);
  });

  // the message said 'a band of 625 subjects or more has an SE of at most 2.0 percentage points'
  // beside a band whose own SE is under 2: p = 0.9, n = 600 gives √(0.9 · 0.1 / 600) = 1.22 points
  it('a warned band whose SE is under 2 points: the text is true of it (can pass 2 points; its own 1.2)', () => {
    const w = smallBandWarnings({ feasible: true, overall, bands: [band({ to: 60, n: 99_400, in: 40_000 }), band({ from: 60, n: 600, in: 540 })] }, 'CRCL');
    expect(w).toEqual([
      `W_SMALL_BAND: band 2 (CRCL ≥ 60) holds 600 of 100,000 subjects, fewer than 625, where a fraction's Monte Carlo SE can pass 2 percentage points (0.5/√n at 50 %): its 90.0 % in the target has an SE of 1.2 percentage points, and its dose 1000 was chosen to fit these few subjects, so that fraction is optimistic (new subjects in the band do worse with it on average); simulate more subjects or ask for fewer bands`,
    ]);
  });

  it('a band all in (or none in) reads its Wilson interval, not an SE of 0', () => {
    const r = { feasible: true, overall, bands: [band({ to: 40, n: 99_990, in: 40_000 }), band({ from: 40, to: 45.5, n: 10, in: 10 }), band({ from: 45.5, n: 5, in: 0 })] };
    const w = smallBandWarnings(r, 'WT');
    // Wilson 95 %, 10 of 10: [n/(n + z²), 1] = 10/13.84 = 72.2 %; 0 of 5: [0, z²/(5 + z²)] = 43.4 %
    expect(w[0]).toMatch(/^W_SMALL_BAND: band 2 \(40 ≤ WT < 45\.5\) holds 10 of 100,000 subjects, fewer than 625, .*: its 100\.0 % in the target has a 95 % Wilson interval of 72\.2–100\.0 %/);
    expect(w[1]).toMatch(/^W_SMALL_BAND: band 3 \(WT ≥ 45\.5\) holds 5 of 100,000 subjects, fewer than 625, .*: its 0\.0 % in the target has a 95 % Wilson interval of 0\.0–43\.4 %/);
  });
});
