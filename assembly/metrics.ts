// Exposure metrics per subject over a sampled profile (times shared by all subjects of a chunk,
// values row-major nSubj × nRows), computed where the profile already is: in WASM memory.
//
// AUC uses the linear-up/log-down trapezoid rule (linear while rising or flat, log-linear while
// falling between positive values), the convention of NCA software (e.g. PKanalix, Phoenix
// "linear up log down"). A decline to exactly 0 from a positive value is log-down
// too, its end taken as the smallest positive double (it underflowed). A window edge between samples
// is linearly interpolated (the metric grid, src/population/metric-grid.ts, samples the edges and
// every dose, so this is a fallback). Time above a threshold and time in a window find crossings
// by the same rule: log-linear on a falling segment, linear on a rising one.
// Each value is first transformed: c → fu·c (unbound), then, if KD > 0, c → c/(KD + c) (receptor
// occupancy at equilibrium binding).
//
// Window edges. A dose makes the profile jump, so the profile may hold two samples at one time:
// the value before the dose, then the value after it (src/population/metric-grid.ts adds the
// samples a window needs). A window [T0, T1] takes the right limit at T0 (the last sample at T0: after a dose
// at T0) and the left limit at T1 (the first sample at T1: before a dose at T1). Samples strictly
// inside count for Cmax/Cmin whichever side of a jump they are; a zero-length segment adds no AUC.
// A point value (ValueAt, and Trough at T1) is the first sample at its time: the pre-dose value, as
// NONMEM reports an observation record placed before the dose record.
//
// Edge rows. A row added only as some metric's window edge or point time (edgeOnly[k] = 1, see
// src/population/metric-grid.ts) is read only by a metric whose own edge that time is, so that no
// metric depends on which others were asked for (however many); edgeOnly[k] = 0 (or no edgeOnly)
// is every metric's row.

import { Metric } from "./abi";

// @ts-ignore: decorator
@inline function tf(c: f64, fu: f64, kd: f64): f64 {
  const u = c * fu;
  return kd > 0.0 ? u / (kd + u) : u;
}

// @ts-ignore: decorator
@inline function lerp(ta: f64, ca: f64, tb: f64, cb: f64, t: f64): f64 {
  return tb == ta ? cb : ca + ((cb - ca) * (t - ta)) / (tb - ta);
}

// The smallest positive double: a decline that reached exactly 0 from c0 > 0 underflowed (e^−750
// after a bolus of half-life 10 s sampled 3 h later), so its true end lies below this.
const TINY: f64 = 5e-324;

/** An end below 0 by at most this share of a falling segment's start is a decline to 0 (solver noise), not a crossing. */
const ZERO_NOISE: f64 = 1e-9;

/** ln(a/b) for a ≥ b > 0, accurate near a = b and when a/b overflows (b subnormal). */
// @ts-ignore: decorator
@inline function lnRatio(a: f64, b: f64): f64 {
  const r = (a - b) / b;
  return r < 1e300 ? Math.log1p(r) : Math.log(a) - Math.log(b);
}

function segAuc(ta: f64, ca: f64, tb: f64, cb: f64): f64 {
  const dt = tb - ta;
  if (dt <= 0.0) return 0.0;
  // the logarithmic mean (ca − cb)/ln(ca/cb), with the log as log1p((ca − cb)/cb): on a plateau
  // (a continuous infusion at steady state, an ODE's last-digit wobble) ca/cb rounds to 1 + k·ε and
  // ln(ca/cb) kept one digit, so an AUC of 14.684·h came out as 8 or 16 per hour; ca − cb is exact
  // there (Sterbenz) and log1p of it is accurate to the last bit.
  // A decline to exactly 0 is a log-down segment whose end underflowed, not a straight line: the
  // linear trapezoid gave it ca·dt/2 (auctau 15 for an exact 0.04, 375-fold); with the end at TINY
  // the area is at most ca·dt/745, an upper bound on the exponential's. So is an end a solver left
  // a hair below 0 (−1.2e-13 after 96.6: the trapezoid gave 579.7 for 32.8): within ZERO_NOISE of
  // the start it is that underflow, not an effect crossing 0
  if (cb < ca && cb >= -ZERO_NOISE * ca) {
    const e = cb > 0.0 ? cb : TINY;
    return ((ca - e) * dt) / lnRatio(ca, e);
  }
  return 0.5 * (ca + cb) * dt;
}

/**
 * Time within [ta, tb] where the segment lies in [lo, hi] (`above`: above lo, strictly, as
 * time above a threshold is: a profile at 0 before the first dose counted as above 0, and a plateau
 * at the MIC as above it). A falling segment is the exponential through its ends, as segAuc's
 * log-down area is (a decline to 0 ends at TINY, as there): the chord lies above a falling
 * exponential, so linear crossings overstated time above every time (fT>MIC 4.278 h for an exact
 * 4.133 h, which met a target of 0.53·τ that the exact 0.517 misses). A rising or flat segment, and
 * one that falls below 0 (an effect, not a level), stays linear, as the AUC's linear rule does.
 */
function segTimeIn(ta: f64, ca: f64, tb: f64, cb: f64, lo: f64, hi: f64, above: bool): f64 {
  const dt = tb - ta;
  if (dt <= 0.0) return 0.0;
  if (ca == cb) return (above ? ca > lo : ca >= lo) && ca <= hi ? dt : 0.0;
  let s0: f64, s1: f64;
  if (cb < ca && cb >= -ZERO_NOISE * ca) {
    // c(s) = ca·(e/ca)^s, s in [0, 1]: c ≤ hi from s = ln(ca/hi)/L, c ≥ lo until s = ln(ca/lo)/L
    const e = cb > 0.0 ? cb : TINY;
    const L = lnRatio(ca, e);
    s0 = hi >= ca ? 0.0 : hi <= e ? 1.0 : lnRatio(ca, hi) / L;
    s1 = lo <= e ? 1.0 : lo >= ca ? 0.0 : lnRatio(ca, lo) / L;
    return s1 > s0 ? (s1 - s0) * dt : 0.0;
  }
  // parameter s in [0,1] where c(s) = ca + s (cb − ca) lies in [lo, hi]
  s0 = (lo - ca) / (cb - ca);
  s1 = (hi - ca) / (cb - ca);
  if (s0 > s1) {
    const x = s0;
    s0 = s1;
    s1 = x;
  }
  s0 = Math.max(0.0, s0);
  s1 = Math.min(1.0, s1);
  return s1 > s0 ? (s1 - s0) * dt : 0.0;
}

// @ts-ignore: decorator
@inline function visible(edgeOnly: usize, times: usize, k: i32, t0: f64, t1: f64): bool {
  if (edgeOnly == 0 || load<i32>(edgeOnly + (<usize>k << 2)) == 0) return true;
  const t = load<f64>(times + (<usize>k << 3));
  return t == t0 || t == t1;
}

/** The value at t: the first visible sample at t (left limit), or interpolated between visible samples; NaN past the end. */
function valueAt(times: usize, row: usize, nRows: i32, t0: f64, fu: f64, kd: f64, edgeOnly: usize): f64 {
  let prev = -1;
  for (let k = 0; k < nRows; k++) {
    if (!visible(edgeOnly, times, k, t0, t0)) continue;
    const t = load<f64>(times + (<usize>k << 3));
    if (t >= t0) {
      const c = tf(load<f64>(row + (<usize>k << 3)), fu, kd);
      if (t == t0 || prev < 0) return c;
      const tp = load<f64>(times + (<usize>prev << 3));
      return lerp(tp, tf(load<f64>(row + (<usize>prev << 3)), fu, kd), t, c, t0);
    }
    prev = k;
  }
  return NaN;
}

function one(times: usize, row: usize, nRows: i32, type: i32, t0: f64, t1: f64, lo: f64, hi: f64, fu: f64, kd: f64, edgeOnly: usize): f64 {
  if (type == Metric.ValueAt) return valueAt(times, row, nRows, t0, fu, kd, edgeOnly);
  if (type == Metric.Trough) return valueAt(times, row, nRows, t1, fu, kd, edgeOnly);
  if (!(t1 > t0)) {
    // an empty window: its point value for the extremes, no area, no average
    if (type == Metric.Cmax || type == Metric.Cmin) return valueAt(times, row, nRows, t0, fu, kd, edgeOnly);
    if (type == Metric.Tmax) return t0;
    if (type == Metric.Auc || type == Metric.TimeAbove) return 0.0;
    return NaN;
  }
  let auc = 0.0;
  let timeIn = 0.0;
  let cmax = -Infinity;
  let cmin = Infinity;
  let tmax = NaN;
  let any = false;
  // times are sorted: kA = the last sample at or before t0 (right limit at t0), kB = the first
  // sample at or after t1 (left limit at t1); the window is the segments between them
  let kA = 0;
  let hiA = nRows - 1;
  while (kA < hiA) {
    const mid = (kA + hiA + 1) >> 1;
    if (load<f64>(times + (<usize>mid << 3)) <= t0) kA = mid;
    else hiA = mid - 1;
  }
  let loB = kA;
  let kB = nRows - 1;
  while (loB < kB) {
    const mid = (loB + kB) >> 1;
    if (load<f64>(times + (<usize>mid << 3)) >= t1) kB = mid;
    else loB = mid + 1;
  }
  // …among the rows this metric reads
  while (kA > 0 && !visible(edgeOnly, times, kA, t0, t1)) kA--;
  while (kB < nRows - 1 && !visible(edgeOnly, times, kB, t0, t1)) kB++;
  for (let k = kA; k < kB; ) {
    let next = k + 1;
    while (next < kB && !visible(edgeOnly, times, next, t0, t1)) next++;
    const ta = load<f64>(times + (<usize>k << 3));
    const tb = load<f64>(times + (<usize>next << 3));
    const ca = tf(load<f64>(row + (<usize>k << 3)), fu, kd);
    const cb = tf(load<f64>(row + (<usize>next << 3)), fu, kd);
    k = next;
    const a = Math.max(ta, t0);
    const b = Math.min(tb, t1);
    const va = a == ta ? ca : lerp(ta, ca, tb, cb, a);
    const vb = b == tb ? cb : lerp(ta, ca, tb, cb, b);
    // an undefined level in the window leaves every metric of it undefined: cmax compared past it
    // (NaN > x is false) and read an effect's peak from the other points with exit 0
    if (isNaN(va) || isNaN(vb)) return NaN;
    any = true;
    if (va > cmax) {
      cmax = va;
      tmax = a;
    }
    if (vb > cmax) {
      cmax = vb;
      tmax = b;
    }
    cmin = Math.min(cmin, Math.min(va, vb));
    if (type == Metric.Auc || type == Metric.Cavg) auc += segAuc(a, va, b, vb);
    else if (type == Metric.TimeAbove) timeIn += segTimeIn(a, va, b, vb, lo, Infinity, true);
    else if (type == Metric.FracIn) timeIn += segTimeIn(a, va, b, vb, lo, hi, false);
  }
  if (!any) return NaN;
  switch (type) {
    case Metric.Auc:
      return auc;
    case Metric.Cavg:
      return auc / (t1 - t0);
    case Metric.Cmax:
      return cmax;
    case Metric.Cmin:
      return cmin;
    case Metric.Tmax:
      return tmax;
    case Metric.TimeAbove:
      return timeIn;
    case Metric.FracIn:
      return timeIn / (t1 - t0);
  }
  return NaN;
}

/**
 * out[s·m + j] = metric j of subject s. Metric j: type, window [t0, t1], thresholds lo/hi, fu, KD,
 * over the rows it reads (edgeOnly: 0, or per row an i32, 1 for a row only its edges' metrics read; see above).
 * Non-finite profile values give NaN metrics (a failed subject stays visible, never silently 0).
 */
export function metricsBatch(
  nSubj: i32, nRows: i32, times: usize, values: usize,
  m: i32, mType: usize, mT0: usize, mT1: usize, mLo: usize, mHi: usize, mFu: usize, mKd: usize,
  edgeOnly: usize, out: usize,
): void {
  for (let s = 0; s < nSubj; s++) {
    const row = values + (<usize>(s * nRows) << 3);
    for (let j = 0; j < m; j++) {
      const o = j << 3;
      const v = one(
        times, row, nRows, load<i32>(mType + (<usize>j << 2)),
        load<f64>(mT0 + o), load<f64>(mT1 + o), load<f64>(mLo + o), load<f64>(mHi + o), load<f64>(mFu + o), load<f64>(mKd + o),
        edgeOnly,
      );
      store<f64>(out + (<usize>(s * m + j) << 3), v);
    }
  }
}
