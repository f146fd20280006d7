// W_BAND_STRENGTHS: strengths that cannot serve the target. The optimizer gives each band the best
// of the doses offered, and the best can still be far off: vancomycin (Goti 2018, 2,000 subjects,
// seed 7) banded on 5000 and 6000 mg for auc24:400:600 gave everybody 5000 mg, "0.1 % in, 100.0 %
// above", feasible, without a word, where the median subject is in the window from 636 to 954 mg.
// Only a dose no subject attains was said ("no feasible regimen"). A band given the smallest dose
// with most of its subjects still above the window (or the largest, most still below) is warned,
// with the doses that would serve its median subject.

import type { Band, BandingResult, DoseOutcome } from './banding.js';
import { quantileSorted } from '../../stats/quantile.js';

/** A band (or the population) is warned when more than this fraction is outside at the end dose. */
export const STRENGTH_FRACTION = 0.5;

const short = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : 'no dose');
const count = (x: number): string => x.toLocaleString('en-US');
// two decimals: 1,999 of 2,000 is 99.95 %, which the table's one decimal reads as 100.0 %
const pct = (x: number): string => `${Number((100 * x).toFixed(2))} %`;

function rangeText(by: string, from: number | null, to: number | null): string {
  if (from === null && to === null) return `all ${by}`;
  if (from === null) return `${by} < ${short(to as number)}`;
  if (to === null) return `${by} ≥ ${short(from)}`;
  return `${short(from)} ≤ ${by} < ${short(to)}`;
}

/** The median by dosewise's one quantile definition (type 7: the mean of the middle two for an even count); NaN for none. */
const median = (xs: number[]): number => quantileSorted(xs.sort((a, b) => a - b), 0.5);

export interface SubjectDoses {
  readonly by: ArrayLike<number>;
  /** Lowest and highest dose that put each subject within the target (NaN: left out). */
  readonly doseLo: ArrayLike<number>;
  readonly doseHi: ArrayLike<number>;
}

/** The median of the subjects' lowest and of their highest dose in the target, over by ∈ [from, to). */
function medianWindow(s: SubjectDoses, from: number | null, to: number | null): { lo: number; hi: number } {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < s.by.length; i++) {
    const x = s.by[i] as number;
    const a = s.doseLo[i] as number;
    if (!Number.isFinite(x) || Number.isNaN(a) || (from !== null && x < from) || (to !== null && x >= to)) continue;
    lo.push(a);
    hi.push(s.doseHi[i] as number);
  }
  return { lo: median(lo), hi: median(hi) };
}

/** "from 636.3 to 954.5", "from 636.3 up", "up to 954.5". */
function windowText(w: { lo: number; hi: number }): string {
  if (!(w.hi < Infinity)) return `at ${short(w.lo)} or more`;
  if (!(w.lo > 0)) return `at up to ${short(w.hi)}`;
  return `from ${short(w.lo)} to ${short(w.hi)}`;
}

/**
 * W_BAND_STRENGTHS warnings: each band given the smallest available dose with more than half its
 * subjects above the target (or the largest, more than half below), and, where no band is warned
 * at that end, the smallest (largest) dose putting more than half of all subjects above (below).
 * The dose the target needs is the band's median subject's window (the medians of the subjects'
 * lowest and highest doses in the target: one subject's window for a target of one clause).
 */
export function strengthRangeWarnings(r: Pick<BandingResult, 'feasible' | 'bands' | 'byDose'>, s: SubjectDoses, by: string, target: string): string[] {
  if (!r.feasible || r.byDose.length === 0) return [];
  const doses = r.byDose.map((d) => d.dose);
  const smallest = Math.min(...doses);
  const largest = Math.max(...doses);
  const ends = [
    { dose: smallest, side: 'above' as const, which: 'smallest', advice: 'smaller', frac: (f: Band | DoseOutcome) => f.fracAbove, k: (f: Band | DoseOutcome) => f.above },
    { dose: largest, side: 'below' as const, which: 'largest', advice: 'larger', frac: (f: Band | DoseOutcome) => f.fracBelow, k: (f: Band | DoseOutcome) => f.below },
  ];
  const out: string[] = [];
  for (const e of ends) {
    let warned = false;
    r.bands.forEach((b, i) => {
      if (b.dose !== e.dose || !(e.frac(b) > STRENGTH_FRACTION)) return;
      warned = true;
      out.push(
        `W_BAND_STRENGTHS: band ${i + 1} (${rangeText(by, b.from, b.to)}) gets the ${e.which} available dose, ${e.dose}, which puts ${count(e.k(b))} of its ${count(b.n)} subjects (${pct(e.frac(b))}) ${e.side} ${target}; ` +
          `its median subject is within the target ${windowText(medianWindow(s, b.from, b.to))}: the strengths are too ${e.advice === 'smaller' ? 'large' : 'small'} for this band, offer ${e.advice} ones`,
      );
    });
    const all = r.byDose.find((d) => d.dose === e.dose);
    if (warned || all === undefined || !(e.frac(all) > STRENGTH_FRACTION)) continue;
    out.push(
      `W_BAND_STRENGTHS: the ${e.which} available dose, ${e.dose}, puts ${count(e.k(all))} of all ${count(all.n)} subjects (${pct(e.frac(all))}) ${e.side} ${target}; ` +
        `the median subject is within the target ${windowText(medianWindow(s, null, null))}: the strengths are too ${e.advice === 'smaller' ? 'large' : 'small'} for most subjects, offer ${e.advice} ones`,
    );
  }
  return out;
}
