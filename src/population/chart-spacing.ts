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

/**
 * Gaps and times within a minute of each other are one spacing as charted (a dose charted 08:00:01):
 * read against 1e-9 h, a q12h chart's 1-s-late dose was warned or not by which dose it was.
 */
export const SAME_GAP_HOURS = 1 / 60;

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
 * of them equal or are whole multiples of (a held dose's 24 h of q12h), within a minute
 * (SAME_GAP_HOURS), on whose grid the last doses lie, each within DRIFT_SHARE of it, none two to one
 * place (a skipped place is a held dose), with at least as many gaps of that spacing or its multiples
 * as gaps off it. Of several, the one that reads the most doses, then the most on the grid, then one
 * of whole minutes, then the most gaps of exactly it or its multiples, then the one nearest a whole minute. Times within a minute of the grid are on it (`off` holds none of them):
 * where every dose is, the chart is regular. Undefined where there is none.
 */
export function chartSpacing(t: readonly number[]): ChartSpacing | undefined {
  const n = t.length;
  if (n < 3) return undefined;
  const at = (i: number): number => t[i] as number;
  const gaps = t.slice(1).map((x, i) => x - at(i));
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= SAME_GAP_HOURS;
  const exactly = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  let best: Fit | undefined;
  for (const tau of gaps) {
    if (!(tau > 0) || gaps.filter((g) => keeps(g, tau)).length < 2) continue;
    const repeats = gaps.filter((g) => Math.round(g / tau) >= 1 && exactly(g, Math.round(g / tau) * tau)).length;
    // each gap of the spacing anchors a grid (its two doses on it): two doses drifted alike also make one
    gaps.forEach((g, a) => {
      if (!near(g, tau)) return;
      const fit = fitOn(t, tau, at(a + 1));
      if (fit === undefined || fit.from > a) return;
      // a spacing of whole minutes before one that two gaps charted seconds off repeat: q12h with
      // two doses 30 s late (gaps 12.0083, 11.9917, 12, 12.0083) read "q12.0083h", its last interval
      // 30 s past a grid ending at 60 h, and fell back to 36–48.0083 h (W_EARLIER_INTERVAL)
      const rank = [fit.starts.length, fit.onGrid, offMinute(tau) <= 1e-6 ? 1 : 0, repeats, -offMinute(tau)];
      if (best === undefined || ahead(rank, best.rank)) best = { ...fit, rank, repeats };
    });
  }
  if (best === undefined) return undefined;
  return refined(t, best);
}

/** How far hours h are from a whole minute (charts give minutes; a second off is the charting's). */
function offMinute(h: number): number {
  return Math.abs(h * 60 - Math.round(h * 60));
}

/** A grid fitOn read, with chartSpacing's ranking of it and how many gaps are exactly its spacing or its multiples. */
type Fit = ChartSpacing & { from: number; onGrid: number; rank: number[]; repeats: number };

/** Whether rank a comes before rank b (the first entry that differs is larger). */
function ahead(a: readonly number[], b: readonly number[]): boolean {
  const i = a.findIndex((x, k) => x !== b[k]);
  return i >= 0 && (a[i] as number) > (b[i] as number);
}

/** Whether gap g is tau or a whole multiple of it (a held dose), within a minute. */
function keeps(g: number, tau: number): boolean {
  const k = Math.round(g / tau);
  return k >= 1 && Math.abs(g - k * tau) <= SAME_GAP_HOURS;
}

/**
 * The spacing of `fit` as its first and last doses give it, where no two gaps are exactly it or its
 * multiples and that span is nearer a whole minute: doses charted seconds off make gaps like 24.0003
 * and 23.9997 h, neither the spacing (the trough was read a second late or early); where two gaps
 * repeat a value, that is the spacing.
 */
function refined(t: readonly number[], fit: Fit): ChartSpacing {
  const spacing: ChartSpacing = { tau: fit.tau, starts: fit.starts, off: fit.off, held: fit.held };
  const first = fit.starts[0] as number;
  const last = fit.starts[fit.starts.length - 1] as number;
  if (fit.repeats >= 2 || fit.off.some((d) => d.t === first || d.t === last)) return spacing;
  const steps = Math.round((last - first) / fit.tau);
  const tau = (last - first) / steps;
  if (!(steps >= 1) || Math.abs(tau - fit.tau) <= 1e-9 * fit.tau || !(offMinute(tau) < offMinute(fit.tau))) return spacing;
  const again = fitOn(t, tau, last);
  if (again === undefined || again.starts.length !== fit.starts.length) return spacing;
  return { tau, starts: again.starts, off: again.off, held: again.held };
}

/**
 * The last run of `t` on the grid anchor + k·tau (fitOn's rule in chartSpacing), or undefined where it
 * does not hold enough gaps of the spacing or holds too many doses off it or held.
 */
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
  let kept = 0;
  let offGaps = 0;
  starts.forEach((x, j) => {
    const k = slot[j] as number;
    const by = x - anchor - k * tau;
    if (Math.abs(by) > SAME_GAP_HOURS) off.push({ t: x, by });
    if (j === 0) return;
    const steps = k - (slot[j - 1] as number);
    const gap = x - (starts[j - 1] as number);
    // a gap of the spacing, or of whole spacings over a held dose (12 and 24 h of q12h), keeps it
    if (Math.abs(gap - steps * tau) <= SAME_GAP_HOURS) kept++;
    else offGaps++;
    for (let h = 1; h < steps; h++) held.push(anchor + ((slot[j - 1] as number) + h) * tau);
  });
  const onGrid = starts.length - off.length;
  // few doses drifted and few held, each counted apart (one of each in a chart of five: q12h at 0,
  // 12, 36, 48:10 and 60 h had no interval, its trough read 23.75 h after the last dose, 0.000349
  // for 0.1243), not a spacing read into many: q12h given as two 0.5-h bags back to back made a
  // "q0.5h" grid of dozens of held places (a trough at the peak, 39.44 for 0.1612), and two doses
  // 15 min late each a q12.25h one. A chart with a dose off or held stands on four doses on its
  // grid (0, 4 and 12 h are no q4h with the 8-h dose held)
  const few = Math.max(1, Math.floor(starts.length / 4));
  if (kept < 2 || kept < offGaps || off.length > few || held.length > few || onGrid < (off.length + held.length > 0 ? 4 : 3)) return undefined;
  return { tau, starts, off, held, from, onGrid };
}
