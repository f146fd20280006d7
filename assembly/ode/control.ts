// Shared step-size machinery of the adaptive integrators.
import { Status } from "../abi";
import { rhs, isAutonomous, heldState } from "../models/rhs";
import { ld } from "../linalg";

/** Step attempts (accepted + rejected) allowed in one segment before Status.MaxSteps. */
export const MAX_STEPS: i32 = 100000;
/** Relative step floor: below 1e-14*max(1,|t|) the step no longer changes t meaningfully. */
export const STEP_FLOOR: f64 = 1e-14;
/** Below this the tolerance scale sk would underflow; keeps e/sk finite when atol = 0 and y = 0. */
const SK_MIN: f64 = 1e-300;

// @ts-ignore: decorator
@inline
export function stepFloor(t: f64): f64 {
  return STEP_FLOOR * max<f64>(1.0, abs<f64>(t));
}

/** Tolerance scale of component i: atol + rtol*max(|y0_i|, |y1_i|). */
// @ts-ignore: decorator
@inline
export function tolScale(a: f64, b: f64, rtol: f64, atol: f64): f64 {
  return max<f64>(atol + rtol * max<f64>(abs<f64>(a), abs<f64>(b)), SK_MIN);
}

/**
 * The step's error err, raised by the domain check of the states that cannot be negative
 * (heldState: every state of a built-in kind, a model text's amounts; DifferentialEquations.jl's isoutofdomain): the exact state is >= 0, so a new
 * state y1 below -sk (sk its tolerance scale) is at least -y1/sk tolerances from it, whatever the
 * embedded estimate says. The step is then rejected and shrunk by the controller as for any other
 * error. Without it an explicit step across the end of a Michaelis–Menten fall (C >> KM, then C ~ 0)
 * at rtol 1e-4 was accepted far below zero (its own |y1| widens sk), where C < −KM makes the
 * elimination about −VMAX and the amount ran off to −9e4. Only a state above its own tolerance
 * at the step's start is held (one carried through zero): a state already at zero within tolerance
 * is left to the error control, since an explicit method at its stability limit in a stiff tail
 * keeps it within about ±atol of zero, and holding that noise exhausted DOP853's step budget on a
 * Michaelis–Menten with KM 1e-3 that it solved before. The integrators call this only where their
 * error loop saw some y1 + sk < 0, so a step that stays inside costs them one min (or compare) per
 * state; err is returned unchanged where no state is out.
 * ya, yb: the step's start and end, a state every `stride` bytes (8 alone, 16 in a pair's lane).
 */
export function domainError(kind: i32, err: f64, n: i32, ya: usize, yb: usize, stride: usize, rtol: f64, atol: f64): f64 {
  let e = err;
  for (let i = 0; i < n; i++) {
    if (!heldState(kind, i)) continue;
    const y1 = load<f64>(yb + <usize>i * stride);
    if (y1 < 0) {
      const y0 = load<f64>(ya + <usize>i * stride);
      const sk = tolScale(y0, y1, rtol, atol);
      if (y1 < -sk && y0 > tolScale(y0, y0, rtol, atol)) e = max<f64>(e, -y1 / sk);
    }
  }
  return e;
}

/**
 * Weighted RMS norm sqrt(1/n sum (e_i/sk_i)^2), sk_i = atol + rtol*max(|y0_i|,|y1_i|).
 * see: Hairer, Norsett & Wanner, Solving ODEs I, eq. (II.4.11)
 */
export function errNorm(n: i32, y0: usize, y1: usize, e: usize, rtol: f64, atol: f64): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const q = load<f64>(e + o) / tolScale(load<f64>(y0 + o), load<f64>(y1 + o), rtol, atol);
    s += q * q;
  }
  return Math.sqrt(s / <f64>n);
}

/**
 * Starting step size from one explicit Euler probe: h0 from ||y0||/||f0||, then h1 so that
 * the local error of a method of order `order` would be about 0.01; take min(100 h0, h1, hmax).
 * see: Hairer, Norsett & Wanner, Solving ODEs I, Sect. II.4, "Starting step size" (HINIT in dopri5.f)
 * Costs one right-hand-side evaluation; uses y1 and f1 as scratch.
 */
export function initialStep(
  kind: i32, ncmt: i32, depot: i32, n: i32, t: f64, y: usize, f0: usize, p: usize, rate: usize,
  hmax: f64, rtol: f64, atol: f64, order: f64, y1: usize, f1: usize,
): f64 {
  let dnf: f64 = 0;
  let dny: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const yi = load<f64>(y + o);
    const sk = tolScale(yi, yi, rtol, atol);
    const a = load<f64>(f0 + o) / sk;
    const b = yi / sk;
    dnf += a * a;
    dny += b * b;
  }
  let h: f64 = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h = min<f64>(h, hmax);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y1 + o, load<f64>(y + o) + h * load<f64>(f0 + o));
  }
  rhs(kind, ncmt, depot, t + h, y1, p, rate, f1);
  let der2: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const yi = load<f64>(y + o);
    const q = (load<f64>(f1 + o) - load<f64>(f0 + o)) / tolScale(yi, yi, rtol, atol);
    der2 += q * q;
  }
  der2 = Math.sqrt(der2) / h;
  const der12 = max<f64>(abs<f64>(der2), Math.sqrt(dnf));
  const h1 = der12 <= 1e-15 ? max<f64>(1e-6, h * 1e-3) : Math.pow(0.01 / der12, 1.0 / order);
  h = min<f64>(min<f64>(100.0 * h, h1), hmax);
  // a NaN probe (f undefined near y) must not propagate into the step size
  return h > 0 ? h : min<f64>(1e-6, hmax);
}

/**
 * Work counters of the last odeSegment call (i32 each): accepted steps, rejected steps,
 * right-hand-side evaluations, Jacobian evaluations (Rosenbrock; rejected steps reuse J).
 */
export const STATS: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline
export function writeStats(nacc: i32, nrej: i32, nfev: i32, njac: i32): void {
  store<i32>(STATS, nacc);
  store<i32>(STATS, nrej, 4);
  store<i32>(STATS, nfev, 8);
  store<i32>(STATS, njac, 12);
}

/** Observation rows kObs..nObs-1 all get the state y (nothing changes after the last step). */
// @ts-ignore: decorator
@inline
export function fillObservations(obsY: usize, n: i32, kObs: i32, nObs: i32, y: usize): void {
  const rowBytes = <usize>n << 3;
  for (let k = kObs; k < nObs; k++) copyVec(obsY + <usize>k * rowBytes, y, n);
}

/** firstDerivative's verdict that y is an equilibrium: every observation is written, the segment is done. */
export const AT_EQUILIBRIUM: i32 = -1;

/**
 * f0 = f(t, y) at the segment start (one rhs evaluation): NonFinite when it is not finite;
 * AT_EQUILIBRIUM when an autonomous system sits still (e.g. empty compartments, no input), in
 * which case the observations and counters are already written; else Ok.
 */
// @ts-ignore: decorator
@inline
export function firstDerivative(
  kind: i32, ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, rate: usize, f0: usize,
  obsY: usize, kObs: i32, nObs: i32,
): i32 {
  rhs(kind, ncmt, depot, t, y, p, rate, f0);
  if (!allFinite(f0, n)) return Status.NonFinite;
  if (isAutonomous(kind) && allZero(f0, n)) {
    fillObservations(obsY, n, kObs, nObs, y);
    writeStats(0, 0, 1, 0);
    return AT_EQUILIBRIUM;
  }
  return Status.Ok;
}

/**
 * First step of a segment: the caller's warm start (hState, the last step of the previous
 * segment) or the HNW heuristic, which costs one rhs evaluation (the caller counts it when
 * the returned value is not the warm start). A step below the floor was never chosen by error
 * control, so it is lifted: else a sliver segment (an infusion ending 1e-15 after an
 * observation) or a state far below atol would stop the solver before its first step.
 */
// @ts-ignore: decorator
@inline
export function warmStart(hState: usize): f64 {
  return hState ? load<f64>(hState) : 0.0;
}

// @ts-ignore: decorator
@inline
export function liftStep(h: f64, t: f64, span: f64): f64 {
  return min<f64>(max<f64>(h, 100.0 * stepFloor(t)), span);
}

/**
 * End of a segment: y gets the final state; on success the remaining observations get it too
 * and hState the proposed next step. A state that turned non-finite is a failure even when
 * every step passed error control.
 */
// @ts-ignore: decorator
@inline
export function finishSegment(
  status: i32, y: usize, ya: usize, n: i32, obsY: usize, kObs: i32, nObs: i32, hState: usize, hProposal: f64,
): i32 {
  copyVec(y, ya, n);
  if (status != Status.Ok) return status;
  if (!allFinite(ya, n)) return Status.NonFinite;
  fillObservations(obsY, n, kObs, nObs, ya);
  if (hState) store<f64>(hState, hProposal);
  return status;
}

/**
 * Copy n doubles. A plain loop: for n <= MAX_STATES it beats memory.copy, which engines
 * lower to an out-of-line runtime call.
 */
// @ts-ignore: decorator
@inline
export function copyVec(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(dst + o, load<f64>(src + o));
  }
}

/** True when all n entries are exactly zero (an equilibrium of an autonomous system). */
export function allZero(v: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    if (load<f64>(v + (<usize>i << 3)) != 0) return false;
  }
  return true;
}

/** True when all n entries are finite. */
export function allFinite(v: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    if (!isFinite<f64>(load<f64>(v + (<usize>i << 3)))) return false;
  }
  return true;
}

/**
 * Cheap log2(x) for finite x > 0, absolute error < 1e-4. Step-size factors are clamped and
 * multiplied by a safety factor, so controller exponentials need only ~1e-3 accuracy; the
 * full-precision Math.pow sits on the step's critical path and costs ~20% of a small step.
 * x = m*2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172,
 * series to s^5 (error < 2 s^7/7 < 1e-6 in ln m).
 * see: Muller, Elementary Functions, 3rd ed., Ch. 5 (range reduction)
 */
// @ts-ignore: decorator
@inline
export function log2Fast(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let e = <f64>(<i32>((bits >> 52) & 0x7ff) - 1023);
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1.0;
  }
  const s = (m - 1.0) / (m + 1.0);
  const s2 = s * s;
  return e + s * (2.8853900817779268 + s2 * (0.9617966939259756 + s2 * 0.5770780163555854));
}

/**
 * Cheap 2^y for |y| < 1000, relative error < 1e-6: y = i + f, |f| <= 1/2,
 * e^(f ln2) by Taylor to degree 5, 2^i assembled in the exponent bits.
 */
// @ts-ignore: decorator
@inline
export function exp2Fast(y: f64): f64 {
  const yi = Math.floor(y + 0.5);
  const z = (y - yi) * 0.6931471805599453;
  const p = 1.0 + z * (1.0 + z * (0.5 + z * (1.0 / 6.0 + z * (1.0 / 24.0 + z * (1.0 / 120.0)))));
  return p * reinterpret<f64>(<u64>(<i64>yi + 1023) << 52);
}

/**
 * Whether an accepted step of length h was held back by stability rather than accuracy:
 * h·|f(y1) − f(ỹ)| / |y1 − ỹ|, with y1 the new state and ỹ a stage state also at t + h (fa, fb their
 * derivatives), estimates h·λ of the dominant eigenvalue; above `limit` the explicit method sits on
 * its stability boundary.
 * see: Hairer, Norsett & Wanner I, Sect. IV.2; dopri5.f and dop853.f (IASTI, NONSTI)
 */
// @ts-ignore: decorator
@inline
export function stabilityBound(n: i32, h: f64, fa: usize, fb: usize, ya: usize, yb: usize, limit: f64): bool {
  stabilityMeasure(n, fa, fb, ya, yb);
  return stabilityBeyond(h, limit);
}

/** |f(y1) − f(ỹ)|² and |y1 − ỹ|² of the last stabilityMeasure: one measure, tested against several limits. */
let stabNum: f64 = 0;
let stabDen: f64 = 0;

/** Measures an accepted step for stabilityBeyond (the sums of stabilityBound). */
// @ts-ignore: decorator
@inline
export function stabilityMeasure(n: i32, fa: usize, fb: usize, ya: usize, yb: usize): void {
  let num: f64 = 0;
  let den: f64 = 0;
  for (let i = 0; i < n; i++) {
    const a = ld(fa, i) - ld(fb, i);
    const b = ld(ya, i) - ld(yb, i);
    num += a * a;
    den += b * b;
  }
  stabNum = num;
  stabDen = den;
}

/** stabilityBound's test of the last measured step against `limit`. */
// @ts-ignore: decorator
@inline
export function stabilityBeyond(h: f64, limit: f64): bool {
  return beyond(h, stabNum, stabDen, limit);
}

/** h·λ above `limit`, λ² estimated as num/den (the sums of a stability measure; lanes.ts measures both lanes of a pair). */
// @ts-ignore: decorator
@inline
export function beyond(h: f64, num: f64, den: f64, limit: f64): bool {
  return den > 0 && h * h * num > limit * limit * den;
}

/** Starts counting stability-bound steps afresh (each integration): runs points at two i32 counters. */
// @ts-ignore: decorator
@inline
export function resetStiffRuns(runs: usize): void {
  store<i32>(runs, 0);
  store<i32>(runs, 0, 4);
}

/**
 * Counts an accepted step: true once `steps` stability-bound steps came without `calm` ordinary ones
 * between. runs: the integration's two counters (bound steps in a row, calm steps in a row).
 */
// @ts-ignore: decorator
@inline
export function stiffAfter(runs: usize, bound: bool, steps: i32, calm: i32): bool {
  if (bound) {
    store<i32>(runs, 0, 4);
    const r = load<i32>(runs) + 1;
    store<i32>(runs, r);
    return r >= steps;
  }
  const c = load<i32>(runs, 4) + 1;
  store<i32>(runs, c, 4);
  if (c >= calm) store<i32>(runs, 0);
  return false;
}
