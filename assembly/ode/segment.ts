// The single ODE entry point of the event driver: integrate one discontinuity-free segment.
import { Status, Method } from "../abi";
import { nStates } from "../models/rhs";
import { STATS, copyVec, allFinite } from "./control";
import { dopri5, STIFF } from "./dopri5";
import { dop853, LIMITED } from "./dop853";
import { rosenbrock } from "./rosenbrock";

/**
 * Method.Auto, AutoDop853 and AutoTight: whether the current subject's problem has shown itself stiff. Once it has, its
 * remaining segments go straight to RODAS4 (stiffness comes from the parameters, which a subject
 * keeps); the driver clears it at each subject (resetStiffness).
 */
let stiffSubject = false;
/** Method.AutoTight: the subject's DOP853 steps were held by stability; Method.Auto from then on. */
let limitedSubject = false;

export function resetStiffness(): void {
  stiffSubject = false;
  limitedSubject = false;
}

/** Smallest usable relative tolerance: a few ulps above rounding, as required by dopri5.f. */
const RTOL_MIN: f64 = 1e-14;

/**
 * Integrate y (nStates doubles, in place) from t0 to t1 with constant parameters p and constant
 * zero-order inputs `rate` (nStates doubles, or 0 for none).
 *
 * obsT: nObs sorted times in [t0, t1]; the state at obsT[k] is written to obsY + k*nStates*8
 * (dense output; times <= t0 get the initial state, times >= t1 the final state).
 * hState: pointer to one f64, the first step to try (0 = estimate); receives the controller's
 * step proposal for the next segment. Pass 0 (null) to disable warm starts.
 *
 * Returns a Status: Ok, BadModel (unknown method/layout, t1 < t0, NaN times), NonFinite,
 * StepTooSmall or MaxSteps (100000 step attempts). Work counters: see odeStat().
 */
export function odeSegment(
  method: i32, kind: i32, ncmt: i32, depot: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, obsY: usize, rtol: f64, atol: f64, hState: usize,
): i32 {
  const r = segment(method, kind, ncmt, depot, y, t0, t1, p, rate, obsT, nObs, obsY, rtol, atol, hState);
  for (let i = 0; i < 4; i++) {
    const o = <usize>i << 2;
    store<i32>(TOTALS + o, load<i32>(TOTALS + o) + load<i32>(STATS + o));
  }
  return r;
}

/**
 * Running sums of the odeSegment counters since resetOdeWork(): what a whole batch cost
 * (bench/w-ode.ts reports steps and rhs evaluations per subject from them).
 */
const TOTALS: usize = memory.data(16, 16);

export function resetOdeWork(): void {
  store<u64>(TOTALS, 0);
  store<u64>(TOTALS, 0, 8);
}

/** Running sum of odeStat(which) over the odeSegment calls since resetOdeWork(); -1 for a bad index. */
export function odeWork(which: i32): i32 {
  if (which < 0 || which > 3) return -1;
  return load<i32>(TOTALS + (<usize>which << 2));
}

// @ts-ignore: decorator
@inline
function segment(
  method: i32, kind: i32, ncmt: i32, depot: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, obsY: usize, rtol: f64, atol: f64, hState: usize,
): i32 {
  store<u64>(STATS, 0);
  store<u64>(STATS, 0, 8);
  const n = nStates(kind, ncmt, depot);
  if (n == 0 || (method != Method.Dopri5 && method != Method.Rosenbrock && method != Method.Auto && method != Method.Dop853 && method != Method.AutoDop853 && method != Method.AutoTight) || !(t1 >= t0)) {
    return Status.BadModel;
  }
  if (!allFinite(y, n)) return Status.NonFinite;
  const rowBytes = <usize>n << 3;
  // observations at (or before) t0 are the initial state, before any step
  let k = 0;
  while (k < nObs && load<f64>(obsT + (<usize>k << 3)) <= t0) {
    copyVec(obsY + <usize>k * rowBytes, y, n);
    k++;
  }
  if (t1 == t0) {
    while (k < nObs) {
      copyVec(obsY + <usize>k * rowBytes, y, n);
      k++;
    }
    return Status.Ok;
  }
  const rt = max<f64>(rtol, RTOL_MIN);
  const at = max<f64>(atol, 0.0);
  if (method == Method.Dopri5) {
    return dopri5(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState);
  }
  if (method == Method.Dop853) {
    return dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState);
  }
  if (method == Method.AutoDop853 && !stiffSubject) {
    const r = dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, true);
    if (r != STIFF) return r;
    stiffSubject = true;
    if (hState) store<f64>(hState, 0.0);
  } else if (method == Method.AutoTight && !stiffSubject && !limitedSubject) {
    const r = dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, true, true);
    if (r != STIFF && r != LIMITED) return r;
    // the whole segment again, from its start: stiff, with RODAS4; held by stability, as Auto
    if (r == STIFF) stiffSubject = true;
    else limitedSubject = true;
    if (hState) store<f64>(hState, 0.0);
  }
  if ((method == Method.Auto || method == Method.AutoTight) && !stiffSubject) {
    const r = dopri5(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, true);
    if (r != STIFF) return r;
    // the whole segment again, from its start, with the stiff method and its own first step
    stiffSubject = true;
    if (hState) store<f64>(hState, 0.0);
  }
  return rosenbrock(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState);
}

/**
 * Work counter of the last odeSegment call: 0 accepted steps, 1 rejected steps,
 * 2 right-hand-side evaluations, 3 Jacobian evaluations (Rosenbrock only).
 */
export function odeStat(which: i32): i32 {
  if (which < 0 || which > 3) return -1;
  return load<i32>(STATS + (<usize>which << 2));
}
