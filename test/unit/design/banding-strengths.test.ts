// band on strengths that cannot serve the target: vancomycin (Goti 2018, 2,000 subjects, seed 7)
// on 5000 and 6000 mg for auc24:400:600 gave everybody 5000 mg, "0.1 % in, 100.0 % above" (1 and
// 1,999 of 2,000: the printed row adds up to 100.1 by rounding), feasible, exit 0, without a word,
// where the median subject is within the window from 636.3 to 954.5 mg. W_BAND_STRENGTHS says so.
// References: test/oracle/band_strengths.py, by hand from `population`'s subject table of the same
// subjects (exposure ∝ dose; the two-band case by brute force over every cut and rising dose pair).

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli, vanco } from './design-cli.js';
import { STRENGTH_FRACTION, strengthRangeWarnings } from '../../../src/design/banding/strength-range.js';
import type { Band, DoseOutcome } from '../../../src/design/banding/banding.js';

interface Counts {
  dose: number;
  n: number;
  in: number;
  below: number;
  above: number;
}
interface Window {
  lo: number;
  hi: number;
}
const oracle = JSON.parse(readFileSync('test/oracle/band-strengths.json', 'utf8')) as {
  cases: { '5000,6000': { byDose: Counts[]; window: Window }; '100,150': { byDose: Counts[]; window: Window }; '1000,1500,2000 in 2 bands': { cut: number; bands: (Counts & { window: Window })[] } };
};
const g = (x: number): string => String(Number(x.toPrecision(4)));
const pct = (k: number, n: number): string => `${Number(((100 * k) / n).toFixed(2))} %`;

const band = (doses: string, bands: number, extra: string[] = []): Promise<string> =>
  cli(['band', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', String(bands), '--doses', doses, '--n', '2000', '--seed', '7', '--workers', '0', '--no-progress', ...extra]);
interface Out {
  feasible: boolean;
  bands: Band[];
  byDose: DoseOutcome[];
  overall: Band;
  warnings: string[];
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('W_BAND_STRENGTHS: the strengths are too large (or too small) for most subjects', () => {
  it('5000, 6000 mg (about 5× too much): 1,999 of 2,000 above at 5000, warned with the median subject’s 636.3–954.5 mg, on stderr and in JSON', async () => {
    const ref = oracle.cases['5000,6000'];
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const j = JSON.parse(await band('5000,6000', 3, ['--json'])) as Out;
    expect(j.feasible).toBe(true);
    expect(j.byDose.map((d) => ({ dose: d.dose, n: d.n, in: d.in, below: d.below, above: d.above }))).toEqual(ref.byDose);
    for (const f of [...j.bands, j.overall, ...j.byDose]) expect(f.in + f.below + f.above).toBe(f.n);
    const [at5000] = ref.byDose as [Counts];
    const w = `W_BAND_STRENGTHS: band 1 (all CRCL) gets the smallest available dose, 5000, which puts ${at5000.above.toLocaleString('en-US')} of its 2,000 subjects (${pct(at5000.above, 2000)}) above auc24:400:600; its median subject is within the target from ${g(ref.window.lo)} to ${g(ref.window.hi)}: the strengths are too large for this band, offer smaller ones`;
    expect(w).toContain('1,999 of its 2,000 subjects (99.95 %)');
    expect(j.warnings.filter((x) => !x.startsWith('W_COVARIATE_DEFAULT: DIAL'))).toEqual([w]);
    expect(err.join('')).toContain(`dosewise: warning: ${w}\n`);
  }, 60_000);

  it('the printed row 0.1 % in, 0.0 % below, 100.0 % above (100.1) states its rounding', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const text = await band('5000,6000', 3);
    expect(text).toMatch(/1 {6}all {9}2,000 {4}5000 {2}0\.1% {3}0\.0% {2}100\.0%\n/);
    expect(text).toContain('(percentages rounded to 0.1 %: a row may add up to 99.9 % or 100.1 %)\n');
  }, 60_000);

  it('100, 150 mg (too little): the largest, 150, leaves 1,991 of 2,000 below', async () => {
    const ref = oracle.cases['100,150'];
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const j = JSON.parse(await band('100,150', 2, ['--json'])) as Out;
    const at150 = ref.byDose[1] as Counts;
    expect(j.bands).toHaveLength(1);
    expect(j.bands[0]).toMatchObject({ dose: 150, n: 2000, in: at150.in, below: at150.below, above: 0 });
    expect(j.warnings.filter((x) => !x.startsWith('W_COVARIATE_DEFAULT: DIAL'))).toEqual([
      `W_BAND_STRENGTHS: band 1 (all CRCL) gets the largest available dose, 150, which puts 1,991 of its 2,000 subjects (${pct(at150.below, 2000)}) below auc24:400:600; its median subject is within the target from ${g(ref.window.lo)} to ${g(ref.window.hi)}: the strengths are too small for this band, offer larger ones`,
    ]);
  }, 60_000);

  it('two bands on 1000, 1500, 2000 mg: the lower band, on 1000 mg, has 60.2 % above and is warned; the upper is not', async () => {
    const ref = oracle.cases['1000,1500,2000 in 2 bands'];
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const j = JSON.parse(await band('1000,1500,2000', 2, ['--json'])) as Out;
    expect(j.bands.map((b) => ({ dose: b.dose, n: b.n, in: b.in, below: b.below, above: b.above }))).toEqual(ref.bands.map(({ window: _, ...c }) => c));
    const [b1] = ref.bands as [Counts & { window: Window }];
    expect(b1.above / b1.n).toBeGreaterThan(STRENGTH_FRACTION);
    const cut = j.bands[0]?.to as number;
    // dosewise cuts between the band's largest CRCL and the next; the brute force at the next value
    expect(cut).toBeLessThan(ref.cut);
    expect(j.warnings.filter((x) => x.startsWith('W_BAND_STRENGTHS'))).toEqual([
      `W_BAND_STRENGTHS: band 1 (CRCL < ${g(cut)}) gets the smallest available dose, 1000, which puts 1,027 of its 1,705 subjects (${pct(b1.above, b1.n)}) above auc24:400:600; its median subject is within the target from ${g(b1.window.lo)} to ${g(b1.window.hi)}: the strengths are too large for this band, offer smaller ones`,
    ]);
  }, 60_000);

  it("the README's strengths (250 to 2000 mg) serve the bands: no warning", async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const j = JSON.parse(await band('250:2000:250', 3, ['--json'])) as Out;
    expect(j.warnings.filter((x) => x.startsWith('W_BAND_STRENGTHS'))).toEqual([]);
  }, 60_000);
});

describe('strengthRangeWarnings on hand-made subjects', () => {
  // 10 subjects, exposure e_i = i per mg (i = 1..10), window [10, 20]: subject i is in from 10/i to 20/i
  const e = Array.from({ length: 10 }, (_, i) => i + 1);
  const s = { by: e, doseLo: e.map((x) => 10 / x), doseHi: e.map((x) => 20 / x) };
  const frac = (dose: number, from: number, to: number) => {
    const v = e.filter((x) => x >= from && x < to).map((x) => x * dose);
    const n = v.length;
    const k = { in: v.filter((y) => y >= 10 && y <= 20).length, below: v.filter((y) => y < 10).length, above: v.filter((y) => y > 20).length };
    return { n, ...k, fracIn: k.in / n, fracBelow: k.below / n, fracAbove: k.above / n };
  };
  const byDose = [3, 8].map((dose) => ({ dose, ...frac(dose, -Infinity, Infinity) }));

  it('a band at the smallest dose that is mostly in is not warned, but most of everybody above it is, once, with the median subject', () => {
    // dose 3: subjects 4–6 in (12, 15, 18), 7–10 above (4 of 10: not more than half); 1–3 below
    expect(byDose[0]).toMatchObject({ in: 3, above: 4, below: 3 });
    // at dose 8 (the largest) subjects 2 (16) in, 1 below, 3–10 above; give it to x ≥ 5 only
    const bands: Band[] = [
      { from: null, to: 4.5, min: 1, max: 4, dose: 3, ...frac(3, -Infinity, 4.5) },
      { from: 4.5, to: null, min: 5, max: 10, dose: 8, ...frac(8, 4.5, Infinity) },
    ];
    // band 1 at 3 mg: 3, 6, 9 below, 12 in; band 2 at 8 mg (the largest): 40 … 80, none below
    expect(bands[0]).toMatchObject({ n: 4, in: 1, below: 3, above: 0 });
    const w = strengthRangeWarnings({ feasible: true, bands, byDose }, s, 'X', 'cavg:10:20');
    // 3 mg puts 4 of 10 above: no warning at the small end; 8 mg puts 1 of 10 below: none at the large end
    expect(w).toEqual([]);
    // a window of [10, 20] on e·dose with the smallest dose 5: above for e > 4, 6 of 10
    const at5 = [5, 8].map((dose) => ({ dose, ...frac(dose, -Infinity, Infinity) }));
    const w5 = strengthRangeWarnings({ feasible: true, bands: [{ from: null, to: 2.5, min: 1, max: 2, dose: 8, ...frac(8, -Infinity, 2.5) }, { from: 2.5, to: null, min: 3, max: 10, dose: 8, ...frac(8, 2.5, Infinity) }], byDose: at5 }, s, 'X', 'cavg:10:20');
    // no band is on 5 mg; all subjects at 5 mg: 6 of 10 above; median of 10/i over i = 1..10 is (10/5 + 10/6)/2 = 1.833, of 20/i 3.667
    expect(w5).toEqual([
      'W_BAND_STRENGTHS: the smallest available dose, 5, puts 6 of all 10 subjects (60 %) above cavg:10:20; the median subject is within the target from 1.833 to 3.667: the strengths are too large for most subjects, offer smaller ones',
    ]);
  });

  it('exactly half above is not more than half; an open window reads "or more"', () => {
    // dose 4: 4·i > 20 for i = 6..10, 5 of 10: not warned
    const at4 = [{ dose: 4, ...frac(4, -Infinity, Infinity) }];
    expect(at4[0]).toMatchObject({ above: 5 });
    expect(strengthRangeWarnings({ feasible: true, bands: [{ from: null, to: null, min: 1, max: 10, ...at4[0]! }], byDose: at4 }, s, 'X', 'cavg:10:20')).toEqual([]);
    // an open top (trough ≥ 10): dose 1 puts subjects 1–9 below (9 of 10) with no doseHi
    const open = { by: e, doseLo: e.map((x) => 10 / x), doseHi: e.map(() => Infinity) };
    const b = { n: 10, in: 1, below: 9, above: 0, fracIn: 0.1, fracBelow: 0.9, fracAbove: 0 };
    expect(strengthRangeWarnings({ feasible: true, bands: [{ from: null, to: null, min: 1, max: 10, dose: 1, ...b }], byDose: [{ dose: 1, ...b }] }, open, 'X', 'trough:10:')).toEqual([
      'W_BAND_STRENGTHS: band 1 (all X) gets the largest available dose, 1, which puts 9 of its 10 subjects (90 %) below trough:10:; its median subject is within the target at 1.833 or more: the strengths are too small for this band, offer larger ones',
    ]);
    // infeasible results have their own message
    expect(strengthRangeWarnings({ feasible: false, bands: [], byDose: [{ dose: 1, ...b }] }, open, 'X', 'trough:10:')).toEqual([]);
  });
});
