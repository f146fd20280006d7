// Devine's ideal body weight below 60 in (152.4 cm). `dosewise calc ibw` warns that the formula is
// extrapolated there (a straight line continued past the heights it was fitted on); a population's
// derived ibw_devine gave a 106-cm girl 3.50 kg and said nothing. The sampler now counts the
// population's subjects whose ibw_devine was computed below 152.4 cm and the lowest such height,
// and the run's warnings say it once per covariate.

import { describe, expect, it } from 'vitest';
import { covariateNoteWarnings, covariateSampler, mergeCovariateNotes } from '../../src/population/covariates/sample.js';
import { DEVINE_MIN_HEIGHT_CM } from '../../src/clinical/index.js';

const spec = {
  covariates: {
    SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] },
    HT: { dist: 'uniform', lower: 100, upper: 200, unit: 'cm' },
    DW: { derived: 'ibw_devine(HT, SEX)' },
  },
};

// Devine by hand (python3 at the time of writing): 45.5 (F) or 50 (M) + 2.3·(H/2.54 − 60)
const IBW = { f105: 2.5787401574803184, m150: 47.82677165354331, f160: 52.38188976377953, m190: 84.04724409448819 };

/** Fills subjects (SEX uniform, HT uniform) row by row: SEX ≥ ½ draws 1 (male). */
function fill(s: ReturnType<typeof covariateSampler>, rows: readonly (readonly [number, number])[], label?: string): Float64Array[] {
  const out = s.names.map(() => new Float64Array(rows.length));
  s.fill(rows.length, new Float64Array(0), Float64Array.from(rows.flat()), out, 0, label);
  return out;
}

describe('ibw_devine below 152.4 cm in a population', () => {
  it('is 60 in', () => {
    expect(DEVINE_MIN_HEIGHT_CM).toBeCloseTo(152.4, 12);
  });

  it('counts the subjects computed below 152.4 cm and the lowest height (before: no word; the values stay the formula\'s)', () => {
    const s = covariateSampler(spec);
    // heights 105, 150, 160, 190 cm (uniform 100 + 100·u)
    const out = fill(s, [
      [0.25, 0.05],
      [0.75, 0.5],
      [0.25, 0.6],
      [0.75, 0.9],
    ]);
    const dw = out[s.names.indexOf('DW')] as Float64Array;
    expect(dw[0]).toBeCloseTo(IBW.f105, 10);
    expect(dw[1]).toBeCloseTo(IBW.m150, 10);
    expect(dw[2]).toBeCloseTo(IBW.f160, 10);
    expect(dw[3]).toBeCloseTo(IBW.m190, 10);
    const notes = s.takeNotes();
    expect(notes.subjects).toBe(4);
    expect(notes.devine.DW?.subjects).toBe(2);
    expect(notes.devine.DW?.lowestHeightCm).toBeCloseTo(105, 10);
    expect(covariateNoteWarnings(notes)).toEqual([
      'covariates.DW: ibw_devine was computed from a height below 152.4 cm (60 in) for 2 of 4 subjects (lowest 105 cm): there the Devine ideal body weight is extrapolated (2.3 kg less per inch under 60), outside the heights it was made for',
    ]);
    // taken: the next chunk starts from nothing
    expect(s.takeNotes()).toEqual({ subjects: 0, devine: {} });
  });

  it('leaves out a probe subject (the median one) and merges chunks into one warning', () => {
    const s = covariateSampler(spec);
    fill(s, [[0.5, 0.01]], 'the median subject');
    expect(s.takeNotes()).toEqual({ subjects: 0, devine: {} });
    fill(s, [[0.25, 0.3], [0.25, 0.9]]); // 130, 190 cm
    const a = s.takeNotes();
    fill(s, [[0.75, 0.2]]); // 120 cm
    const b = s.takeNotes();
    const merged = mergeCovariateNotes(a, b);
    expect(merged?.subjects).toBe(3);
    expect(merged?.devine.DW?.subjects).toBe(2);
    expect(merged?.devine.DW?.lowestHeightCm).toBeCloseTo(120, 10);
    expect(covariateNoteWarnings(merged)[0]).toMatch(/for 2 of 3 subjects \(lowest 120 cm\)/);
  });

  it('says nothing when every height is 152.4 cm or more, or when no subject calls ibw_devine (a lazy branch)', () => {
    const s = covariateSampler(spec);
    fill(s, [[0.25, 0.53], [0.75, 0.99]]);
    expect(covariateNoteWarnings(s.takeNotes())).toEqual([]);
    const lazy = covariateSampler({ covariates: { ...spec.covariates, DW: { derived: 'HT < 152.4 ? 40 : ibw_devine(HT, SEX)' } } });
    fill(lazy, [[0.25, 0.05], [0.25, 0.9]]);
    expect(covariateNoteWarnings(lazy.takeNotes())).toEqual([]);
  });
});

describe('a population run says it (dosewise population)', () => {
  it('warns once on stderr with the count and the lowest height, for any --workers 0 chunking', async () => {
    const { cli } = await import('./cli/run-cli.js');
    const dir = 'test/fixtures/ibw-range';
    const args = ['population', '--model', `${dir}/model.json`, '--regimen', `${dir}/reg.json`, '--covariates', `${dir}/cov.json`, '--n', '20', '--metric', 'auc24', '--no-progress', '--workers', '0'];
    const a = await cli([...args, '--chunk-size', '20']);
    const b = await cli([...args, '--chunk-size', '3']);
    expect(a.code).toBe(0);
    const warned = (e: string) => e.split('\n').filter((l) => l.includes('ibw_devine was computed from a height below 152.4 cm'));
    // every height is drawn from 100–150 cm: all 20 subjects are below 60 in
    expect(warned(a.err)).toHaveLength(1);
    expect(warned(a.err)[0]).toMatch(/for 20 of 20 subjects \(lowest 1\d\d\.?\d* cm\)/);
    expect(warned(b.err)).toEqual(warned(a.err));
  });
});
