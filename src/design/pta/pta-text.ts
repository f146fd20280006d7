// How a PTA is written beside its uncertainty, pure (no node: modules): pta's and optimize's tables,
// the advice of the command line and of the browser page.

// population's window fractions are written by the same rule, below design in the layers
import { pct } from '../../population/summary/percent-text.js';

export { pct };

/**
 * A cell as `PTA ± SE` in percent; at 0 or 100 % (where the SE is 0) as `PTA [lo, hi]`, its 95 %
 * Wilson interval: 0 of 18 subjects read "0.0 ± 0.0", as if 0 % were certain, where up to 17.6 % is
 * consistent with the data. `unit` follows the PTA ("50.4% ± 1.1").
 */
export function ptaCellText(c: { readonly pta: number; readonly se: number; readonly lo: number; readonly hi: number; readonly n: number }, unit = ''): string {
  if (c.n > 0 && (c.pta === 0 || c.pta === 1)) return `${pct(c.pta)}${unit} [${pct(c.lo)}, ${pct(c.hi)}]`;
  return `${pct(c.pta)}${unit} ± ${pct(c.se)}`;
}

/** A ranked candidate's PTA (optimize's, the advice's) as ptaCellText writes it, over `draws` draws. */
export function candidatePtaText(c: { readonly pta: number; readonly ptaSe: number; readonly ptaLo: number; readonly ptaHi: number }, draws: number, unit = '%'): string {
  return ptaCellText({ pta: c.pta, se: c.ptaSe, lo: c.ptaLo, hi: c.ptaHi, n: draws }, unit);
}
