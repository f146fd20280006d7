// The regular spacing of doses written without II where one of them drifted or was held: a chart
// of q12h doses with the 36-h dose given at 36.25 h has gaps 12, 12, 12.25, 11.75 and 12 h, no two
// last ones equal, and was read as having no interval at all (its trough taken at the profile's end).

/**
 * A dose at most this share of the spacing away from its place on the grid drifted (15–30 min of
 * q6h–q24h is 1–8 %); one further off is no dose of that spacing. A quarter, as a dose within the
 * first quarter of an interval is part of its dose (TOP_UP_SHARE): nearer than that to the grid, a
 * dose is that grid's.
 */
export const DRIFT_SHARE = 0.25;

export interface ChartSpacing {
  /** The spacing the gaps share. */
  readonly tau: number;
  /** The doses read on its grid: the last run of the chart that keeps it, in order, up to the last dose. */
  readonly starts: readonly number[];
  /** Those off the grid (by: hours late, negative early). */
  readonly off: readonly { readonly t: number; readonly by: number }[];
  /** Grid times between them where no dose was given (a dose held). */
  readonly held: readonly number[];
}

/**
 * The spacing most of the gaps of the interval starts `t` (ascending) share: a gap that two or more
 * of them equal, on whose grid the last doses lie, each within DRIFT_SHARE of it, none two to one
 * place (a skipped place is a held dose), with at least as many gaps of exactly that spacing as gaps
 * off it (held places aside). Of several, the one that reads the most doses, then the most on the
 * grid. Undefined where there is none.
 */
export function chartSpacing(t: readonly number[]): ChartSpacing | undefined {
  const n = t.length;
  if (n < 3) return undefined;
  const at = (i: number): number => t[i] as number;
  const gaps = t.slice(1).map((x, i) => x - at(i));
  const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  let best: (ChartSpacing & { onGrid: number }) | undefined;
  for (const tau of gaps) {
    if (!(tau > 0) || gaps.filter((g) => same(g, tau)).length < 2) continue;
    // each exact gap anchors a grid (its two doses on it): two doses drifted alike also make one
    gaps.forEach((g, a) => {
      if (!same(g, tau)) return;
      const fit = fitOn(t, tau, at(a + 1));
      if (fit === undefined || fit.from > a) return;
      if (best === undefined || fit.starts.length > best.starts.length || (fit.starts.length === best.starts.length && fit.onGrid > best.onGrid)) best = fit;
    });
  }
  if (best === undefined) return undefined;
  const { onGrid: _, ...spacing } = best;
  return spacing;
}

/** The last run of `t` on the grid anchor + k·tau (fitOn's rule in chartSpacing), or undefined where it does not hold enough exact gaps. */
function fitOn(t: readonly number[], tau: number, anchor: number): (ChartSpacing & { from: number; onGrid: number }) | undefined {
  const eps = (x: number): number => 1e-9 * Math.max(1, Math.abs(x));
  const slot: number[] = [];
  let from = t.length;
  for (let i = t.length - 1; i >= 0; i--) {
    const x = t[i] as number;
    const k = Math.round((x - anchor) / tau);
    if (Math.abs(x - anchor - k * tau) > DRIFT_SHARE * tau + eps(x) || (slot.length > 0 && k >= (slot[0] as number))) break;
    slot.unshift(k);
    from = i;
  }
  const starts = t.slice(from);
  const off: { t: number; by: number }[] = [];
  const held: number[] = [];
  let exact = 0;
  let offGaps = 0;
  starts.forEach((x, j) => {
    const k = slot[j] as number;
    const by = x - anchor - k * tau;
    if (Math.abs(by) > eps(x)) off.push({ t: x, by });
    if (j === 0) return;
    const steps = k - (slot[j - 1] as number);
    const gap = x - (starts[j - 1] as number);
    if (Math.abs(gap - tau) <= eps(x)) exact++;
    else if (Math.abs(gap - steps * tau) > eps(x)) offGaps++;
    for (let h = 1; h < steps; h++) held.push(anchor + ((slot[j - 1] as number) + h) * tau);
  });
  // a chart with one dose drifted or held (two in a longer one), not a spacing read into many: q12h
  // given as two 0.5-h bags back to back made a "q0.5h" grid of dozens of held places (a trough at
  // the peak, 39.44 for 0.1612), and two doses 15 min late each a q12.25h one
  if (exact < 2 || exact < offGaps || off.length + held.length > Math.max(1, Math.floor(starts.length / 4))) return undefined;
  return { tau, starts, off, held, from, onGrid: starts.length - off.length };
}
