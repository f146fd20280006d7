// The study report says how the dose bands were searched, in the banding variable's unit. It said
// "The exact optimum over every cut at multiples of 5 mL/min" for --band-by WT and pred:CL too,
// where no step applies (summary.json: candidates.mode "distinct", every cut between distinct
// values) and the unit is kg or L/h; the band table had no unit except for CrCL.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bandingSearchText, bandingUnit, vancomycinDemo } from '../../src/cli/demo-vancomycin.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-study-band-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const goti = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8'));

const run = async (bandBy: string, name: string): Promise<{ html: string; candidates: { mode: string; cuts: number; distinct: number; exhaustive: boolean } }> => {
  const report = join(dir, name);
  await vancomycinDemo({ n: 300, seed: 5, workers: 0, report, progress: false, bandBy }, () => {});
  const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8'));
  return { html: readFileSync(join(report, 'report.html'), 'utf8'), candidates: summary.banding.candidates };
};

describe('study report: the banding search in the banding variable\'s unit', () => {
  it('the unit is the model file\'s: a covariate\'s, or a parameter\'s for CL and pred:CL', () => {
    expect(bandingUnit(goti, 'CRCL')).toBe('mL/min');
    expect(bandingUnit(goti, 'WT')).toBe('kg');
    expect(bandingUnit(goti, 'pred:CL')).toBe('L/h');
    expect(bandingUnit(goti, 'CL')).toBe('L/h');
    expect(bandingUnit(goti, 'AGE')).toBeUndefined();
  });

  it('--band-by WT: every cut between distinct values, in kg; no "multiples of 5 mL/min"', async () => {
    const { html, candidates } = await run('WT', 'wt');
    expect(candidates.mode).toBe('distinct');
    expect(html).not.toContain('multiples of 5 mL/min');
    expect(html).toContain(`The exact optimum over every cut between distinct values of WT (${candidates.cuts.toLocaleString('en-US')} cut positions; WT in kg)`);
  });

  it('--band-by pred:CL: in L/h', async () => {
    const { html, candidates } = await run('pred:CL', 'pcl');
    expect(candidates.mode).toBe('distinct');
    expect(html).not.toContain('mL/min (dynamic');
    expect(html).toContain('pred:CL in L/h');
  });

  it('the default, CRCL: cuts at multiples of 5 mL/min, as searched (mode "step")', async () => {
    const { html, candidates } = await run('CRCL', 'crcl');
    expect(candidates.mode).toBe('step');
    expect(html).toContain(`The exact optimum over every cut of CRCL at multiples of 5 mL/min (${candidates.cuts.toLocaleString('en-US')} cut positions) (dynamic programming over the sorted patients), with the doses rising with CRCL;`);
  });

  it('a quantile search says it is not every cut', () => {
    const r = { bandBy: 'WT', banding: { candidates: { mode: 'quantile', cuts: 999, distinct: 5000, exhaustive: false } } } as Parameters<typeof bandingSearchText>[0];
    expect(bandingSearchText(r, 'kg', undefined)).toBe('The exact optimum over 999 cuts at quantiles of WT (of 4,999 possible between distinct values; WT in kg)');
  });
});
