// The single ODE entry point of the event driver: integrate one discontinuity-free segment.
import { Status, Method } from "../abi";
import { nStates } from "../models/rhs";
import { STATS, copyVec, allFinite, fillObservations } from "./control";
import { dopri5, STIFF } from "./dopri5";
import { dop853, LIMITED } from "./dop853";
import { dop853Pair } from "./dop853-pair";
import { dopri5Pair } from "./dopri5-pair";
import { pairLane } from "./lanes";
import { rosenbrock } from "./rosenbrock";

/**
 * Method.Auto, AutoDop853 and AutoTight: whether the current subject's problem has shown itself stiff. Once it has, its
 * remaining segments go straight to RODAS4 (stiffness comes from the parameters, which a subject
 * keeps); the driver clears it at each subject (resetStiffness). stiff1/limited1 hold the same for
 * the second subject of a pair (odeSegmentPair), swapped in while that subject's segment runs alone.
 */
let stiffSubject = false;
/** Method.AutoTight: the subject's DOP853 steps were held by stability; Method.Auto from then on. */
let limitedSubject = false;
let stiff1 = false;
let limited1 = false;

export function resetStiffness(): void {
  stiffSubject = false;
  limitedSubject = false;
  stiff1 = false;
  limited1 = false;
}

function swapLanes(): void {
  const s = stiffSubject;
  stiffSubject = stiff1;
  stiff1 = s;
  const l = limitedSubject;
  limitedSubject = limited1;
  limited1 = l;
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
  store<u64>(STATS, 0);
  store<u64>(STATS, 0, 8);
  const n = nStates(kind, ncmt, depot);
  if (n == 0 || !knownMethod(method) || !(t1 >= t0)) return Status.BadModel;
  if (!allFinite(y, n)) return Status.NonFinite;
  const k = observeStart(n, y, t0, obsT, nObs, obsY);
  if (t1 == t0) {
    fillObservations(obsY, n, k, nObs, y);
    return Status.Ok;
  }
  const rt = max<f64>(rtol, RTOL_MIN);
  const at = max<f64>(atol, 0.0);
  const first = firstMethod(method);
  if (first == FIRST_DOPRI5) return counted(dopri5(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState));
  if (first == FIRST_DOP853) return counted(dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState));
  if (first == FIRST_DOP853_STIFF || first == FIRST_DOP853_TIGHT) {
    const r = counted(dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, true, first == FIRST_DOP853_TIGHT));
    if (r != STIFF && r != LIMITED) return r;
    handOver(r, hState);
  }
  return fallback(method, kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState);
}

/**
 * odeSegment() for two subjects of the same model over the same segment: the first subject's state
 * yA, parameters pA, observation rows obsYA and warm start hA, the second's yB, pB, obsYB, hB; the
 * same times, inputs and tolerances. Where both would start with DOP853 they run side by side
 * (dop853Pair: a lane each); each gets exactly what odeSegment() gives it alone. Returns the first
 * subject's status; pairStatus() the second's.
 */
export function odeSegmentPair(
  method: i32, kind: i32, ncmt: i32, depot: i32, yA: usize, yB: usize, t0: f64, t1: f64, pA: usize, pB: usize, rate: usize,
  obsT: usize, nObs: i32, obsYA: usize, obsYB: usize, rtol: f64, atol: f64, hA: usize, hB: usize,
): i32 {
  const n = nStates(kind, ncmt, depot);
  const first = firstMethod(method);
  swapLanes();
  const firstB = firstMethod(method);
  swapLanes();
  if (n == 0 || !knownMethod(method) || !(t1 > t0) || first == FIRST_ROSENBROCK || first != firstB || !allFinite(yA, n) || !allFinite(yB, n)) {
    const a = odeSegment(method, kind, ncmt, depot, yA, t0, t1, pA, rate, obsT, nObs, obsYA, rtol, atol, hA);
    swapLanes();
    statusB = odeSegment(method, kind, ncmt, depot, yB, t0, t1, pB, rate, obsT, nObs, obsYB, rtol, atol, hB);
    swapLanes();
    return a;
  }
  const k = observeStart(n, yA, t0, obsT, nObs, obsYA);
  observeStart(n, yB, t0, obsT, nObs, obsYB);
  const rt = max<f64>(rtol, RTOL_MIN);
  const at = max<f64>(atol, 0.0);
  if (first == FIRST_DOPRI5 || first == FIRST_DOPRI5_STIFF) {
    dopri5Pair(kind, ncmt, depot, n, yA, yB, t0, t1, pA, pB, rate, obsT, nObs, k, obsYA, obsYB, rt, at, hA, hB, first == FIRST_DOPRI5_STIFF);
  } else {
    dop853Pair(kind, ncmt, depot, n, yA, yB, t0, t1, pA, pB, rate, obsT, nObs, k, obsYA, obsYB, rt, at, hA, hB, first != FIRST_DOP853, first == FIRST_DOP853_TIGHT);
  }
  let a = pairLane(0, 0);
  let b = pairLane(1, 0);
  addWork(pairLane(0, 1) + pairLane(1, 1), pairLane(0, 2) + pairLane(1, 2), pairLane(0, 3) + pairLane(1, 3), 0);
  // a lane handed over (stiff, or DOP853 held by stability) goes on alone, from the segment's start
  if (a == STIFF || a == LIMITED) {
    handOver(a, hA);
    a = fallback(method, kind, ncmt, depot, n, yA, t0, t1, pA, rate, obsT, nObs, k, obsYA, rt, at, hA);
  }
  if (b == STIFF || b == LIMITED) {
    swapLanes();
    handOver(b, hB);
    b = fallback(method, kind, ncmt, depot, n, yB, t0, t1, pB, rate, obsT, nObs, k, obsYB, rt, at, hB);
    swapLanes();
  }
  statusB = b;
  return a;
}

let statusB: i32 = Status.Ok;

/** The second subject's status from the last odeSegmentPair(). */
export function pairStatus(): i32 {
  return statusB;
}

/** Running sums of the integrators' counters since resetOdeWork(): what a whole batch cost (bench/w-ode.ts reports steps and rhs evaluations per subject from them). */
const TOTALS: usize = memory.data(16, 16);

export function resetOdeWork(): void {
  store<u64>(TOTALS, 0);
  store<u64>(TOTALS, 0, 8);
}

/** Running sum of the work counters (as odeStat(which)) since resetOdeWork(), abandoned attempts included; -1 for a bad index. */
export function odeWork(which: i32): i32 {
  if (which < 0 || which > 3) return -1;
  return load<i32>(TOTALS + (<usize>which << 2));
}

function addWork(acc: i32, rej: i32, fev: i32, jev: i32): void {
  store<i32>(TOTALS, load<i32>(TOTALS) + acc);
  store<i32>(TOTALS, load<i32>(TOTALS, 4) + rej, 4);
  store<i32>(TOTALS, load<i32>(TOTALS, 8) + fev, 8);
  store<i32>(TOTALS, load<i32>(TOTALS, 12) + jev, 12);
}

/** An integrator's status, its counters (STATS) added to the running sums. */
function counted(r: i32): i32 {
  addWork(load<i32>(STATS), load<i32>(STATS, 4), load<i32>(STATS, 8), load<i32>(STATS, 12));
  return r;
}

function knownMethod(method: i32): bool {
  return method == Method.Dopri5 || method == Method.Rosenbrock || method == Method.Auto || method == Method.Dop853 || method == Method.AutoDop853 || method == Method.AutoTight;
}

/** Observations at (or before) t0 are the initial state, before any step; returns the first one after t0. */
function observeStart(n: i32, y: usize, t0: f64, obsT: usize, nObs: i32, obsY: usize): i32 {
  const rowBytes = <usize>n << 3;
  let k = 0;
  while (k < nObs && load<f64>(obsT + (<usize>k << 3)) <= t0) {
    copyVec(obsY + <usize>k * rowBytes, y, n);
    k++;
  }
  return k;
}

/** Method.Dopri5: Dormand–Prince alone. */
const FIRST_DOPRI5: i32 = 0;
/** Auto (and AutoTight once held by stability), not yet stiff: Dormand–Prince, RODAS4 once stiff. */
const FIRST_DOPRI5_STIFF: i32 = 1;
/** Method.Dop853: DOP853 alone. */
const FIRST_DOP853: i32 = 2;
/** AutoDop853, not yet stiff: DOP853, RODAS4 once stiff. */
const FIRST_DOP853_STIFF: i32 = 3;
/** AutoTight, neither stiff nor held by stability yet: DOP853; RODAS4 once stiff, Auto once held by stability. */
const FIRST_DOP853_TIGHT: i32 = 4;
/** RODAS4: Method.Rosenbrock, or an automatic choice for a subject that has shown itself stiff. */
const FIRST_ROSENBROCK: i32 = 5;

/** How the current subject's segment starts. */
function firstMethod(method: i32): i32 {
  if (method == Method.Dopri5) return FIRST_DOPRI5;
  if (method == Method.Dop853) return FIRST_DOP853;
  if (method == Method.Rosenbrock || stiffSubject) return FIRST_ROSENBROCK;
  if (method == Method.AutoDop853) return FIRST_DOP853_STIFF;
  if (method == Method.AutoTight && !limitedSubject) return FIRST_DOP853_TIGHT;
  return FIRST_DOPRI5_STIFF;
}

/** DOP853 gave the segment up (stiff, or held by stability): the subject remembers, the segment starts afresh. */
function handOver(r: i32, hState: usize): void {
  if (r == STIFF) stiffSubject = true;
  else limitedSubject = true;
  if (hState) store<f64>(hState, 0.0);
}

/** The rest of an automatic choice, from the segment's start: Dormand–Prince while not stiff, then RODAS4. */
function fallback(
  method: i32, kind: i32, ncmt: i32, depot: i32, n: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, k: i32, obsY: usize, rt: f64, at: f64, hState: usize,
): i32 {
  if ((method == Method.Auto || method == Method.AutoTight) && !stiffSubject) {
    const r = counted(dopri5(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, true));
    if (r != STIFF) return r;
    // the whole segment again, from its start, with the stiff method and its own first step
    stiffSubject = true;
    if (hState) store<f64>(hState, 0.0);
  }
  return counted(rosenbrock(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState));
}

/**
 * Work counter of the last odeSegment call: 0 accepted steps, 1 rejected steps,
 * 2 right-hand-side evaluations, 3 Jacobian evaluations (Rosenbrock only).
 */
export function odeStat(which: i32): i32 {
  if (which < 0 || which > 3) return -1;
  return load<i32>(STATS + (<usize>which << 2));
}
