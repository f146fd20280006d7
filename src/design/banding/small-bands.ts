// W_SMALL_BAND: a band the optimizer cut around a handful of subjects. Its dose is the one that puts
// most of those few in the target, so its in-sample fraction is optimistic (chosen on the same
// noise it is reported from), and its Monte Carlo error is large: a "≥ 150 kg" band of 15 of
// 100,000 subjects got 1500 mg "in 53.3 %" where 1,000,000 new subjects give 45.2 ± 3.2 %, below
// the 48.6 % of the 1250 mg everybody else got (CL did not depend on weight at all).

import type { BandingResult } from './banding.js';
import { wilson } from '../pta/attainment.js';

/** A band's fraction in the target may be off by more than this Monte Carlo SE (2 percentage points). */
export const SMALL_BAND_SE = 0.02;

/**
 * Bands with fewer subjects than this are warned: the binomial SE of a fraction is at most
 * 0.5/√n (at 50 %), above SMALL_BAND_SE below (0.5 / 0.02)² = 625 subjects. The worst case, not
 * the band's own fraction, because that fraction is the optimistic one (15 subjects at 100 % in
 * would read SE 0).
 */
export const SMALL_BAND_SUBJECTS = Math.ceil((0.5 / SMALL_BAND_SE) ** 2);

const pct = (x: number): string => (100 * x).toFixed(1);
const short = (x: number): string => String(Number(x.toPrecision(4)));

/** The band's limits as a range of `by`: "WT < 60", "60 ≤ WT < 85", "WT ≥ 150". */
function rangeText(by: string, from: number | null, to: number | null): string {
  if (from === null && to === null) return `all ${by}`;
  if (from === null) return `${by} < ${short(to as number)}`;
  if (to === null) return `${by} ≥ ${short(from)}`;
  return `${short(from)} ≤ ${by} < ${short(to)}`;
}

/**
 * One W_SMALL_BAND warning per band of fewer than SMALL_BAND_SUBJECTS subjects, where there are
 * bands (one band is the fixed dose, the same for everybody).
 */
export function smallBandWarnings(r: Pick<BandingResult, 'feasible' | 'bands' | 'overall'>, by: string): string[] {
  if (!r.feasible || r.bands.length < 2) return [];
  const out: string[] = [];
  r.bands.forEach((b, i) => {
    if (b.n >= SMALL_BAND_SUBJECTS) return;
    // at 0 or 100 % the SE is 0: the Wilson interval says what so few subjects allow
    const w = wilson(b.in, b.n);
    const error = b.in > 0 && b.in < b.n ? `an SE of ${pct(Math.sqrt((b.fracIn * (1 - b.fracIn)) / b.n))} percentage points` : `a 95 % Wilson interval of ${pct(w.lo)}–${pct(w.hi)} %`;
    // the bound is what a band this small can have, not what this one has: p = 0.9 of 600 has an
    // SE of 1.2 points, and it read as if 625 subjects would bring it down to 2
    out.push(
      `W_SMALL_BAND: band ${i + 1} (${rangeText(by, b.from, b.to)}) holds ${b.n.toLocaleString('en-US')} of ${r.overall.n.toLocaleString('en-US')} subjects, ` +
        `fewer than ${SMALL_BAND_SUBJECTS}, where a fraction's Monte Carlo SE can pass ${100 * SMALL_BAND_SE} percentage points (0.5/√n at 50 %): ` +
        `its ${pct(b.fracIn)} % in the target has ${error}, and its dose ${b.dose} was chosen to fit these few subjects, ` +
        `so that fraction is optimistic (new subjects in the band do worse with it on average); simulate more subjects or ask for fewer bands`,
    );
  });
  return out;
}
