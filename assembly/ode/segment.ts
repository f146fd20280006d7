// The single ODE entry point of the event driver: integrate one discontinuity-free segment.
import { Status, Method, Kind } from "../abi";
import { nStates, isAutonomous } from "../models/rhs";
import { STATS, copyVec, allFinite, fillObservations } from "./control";
import { dopri5, STIFF } from "./dopri5";
import { dop853, LIMITED } from "./dop853";
import { dop853Pair } from "./dop853-pair";
import { dopri5Lanes } from "./dopri5-pair";
import { pairLane, setLaneInput } from "./lanes";
import { rosenbrock } from "./rosenbrock";
import { rodas5p } from "./rodas5p";
import { taylor, TAYLOR_STIFF } from "./taylor";
import { closeWindow, openWindow } from "../models/window";
import { userSmooth } from "../models/user";

/**
 * Method.Auto, AutoDop853 and AutoTight: whether the current subject's problem has shown itself stiff. Once it has, its
 * remaining segments go straight to RODAS4 (stiffness comes from the parameters, which a subject
 * keeps); the driver clears it at each subject (resetStiffness). For the subjects of a group
 * (odeSegmentLanes) each keeps its own in LANE_FLAGS, swapped in by selectLane().
 */
let stiffSubject = false;
/** Method.AutoTight: the subject's DOP853 steps were held by stability; Method.Auto from then on. */
let limitedSubject = false;
/**
 * The same for each subject of a group walked together (odeSegmentLanes; lane 0 is the subject
 * walked alone): one byte each, stiff then limited; selectLane() swaps a lane's into the two above.
 */
const LANE_FLAGS = memory.data(8, 8);
let current: i32 = 0;

export function resetStiffness(): void {
  stiffSubject = false;
  limitedSubject = false;
  store<u64>(LANE_FLAGS, 0);
  current = 0;
}

/** Makes subject l of a group (0–3) the current subject: its stiffness verdicts are the ones odeSegment() reads and sets. */
export function selectLane(l: i32): void {
  if (l == current) return;
  store<u8>(LANE_FLAGS + (<usize>current << 1), stiffSubject ? 1 : 0);
  store<u8>(LANE_FLAGS + (<usize>current << 1), limitedSubject ? 1 : 0, 1);
  stiffSubject = load<u8>(LANE_FLAGS + (<usize>l << 1)) != 0;
  limitedSubject = load<u8>(LANE_FLAGS + (<usize>l << 1), 1) != 0;
  current = l;
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
  openWindow(t0, t1);
  const r = segment(method, kind, ncmt, depot, y, t0, t1, p, rate, obsT, nObs, obsY, rtol, atol, hState);
  closeWindow();
  return r;
}

/** odeSegment() inside its window. */
function segment(
  method: i32, kind: i32, ncmt: i32, depot: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, obsY: usize, rtol: f64, atol: f64, hState: usize,
): i32 {
  store<u64>(STATS, 0);
  store<u64>(STATS, 0, 8);
  const n = nStates(kind, ncmt, depot);
  if (n == 0 || !knownMethod(method) || !(t1 >= t0) || (method == Method.Taylor && kind != Kind.MichaelisMenten)) return Status.BadModel;
  if (!allFinite(y, n)) return Status.NonFinite;
  const k = observeStart(n, y, t0, obsT, nObs, obsY);
  if (t1 == t0) {
    fillObservations(obsY, n, k, nObs, y);
    return Status.Ok;
  }
  const rt = max<f64>(rtol, RTOL_MIN);
  const at = max<f64>(atol, 0.0);
  const first = firstMethod(method, kind);
  if (first == FIRST_TAYLOR || first == FIRST_TAYLOR_STIFF) {
    const r = counted(taylor(ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, first == FIRST_TAYLOR_STIFF));
    if (r != TAYLOR_STIFF) return r;
    handOver(STIFF, hState);
  }
  if (first == FIRST_DOPRI5) return counted(dopri5(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState));
  if (first == FIRST_DOP853) return counted(dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState));
  if (first == FIRST_DOP853_STIFF || first == FIRST_DOP853_TIGHT) {
    const r = counted(dop853(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState, true, first == FIRST_DOP853_TIGHT));
    if (r != STIFF && r != LIMITED) return r;
    handOver(r, hState);
  }
  return fallback(method, kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState);
}

/** What subject l (0–3) of a group integrates: setSubject() before odeSegmentLanes(). */
const SUBJECTS = memory.data(4 * 16, 16);
const SUBJECT_STATUS = memory.data(4 * 4, 16);
// odeSegmentLanes' scratch: each subject's way in, and the subjects of the group being integrated
const FIRSTS = memory.data(4 * 4, 16);
const GROUP = memory.data(4 * 4, 16);

export function setSubject(l: i32, y: usize, p: usize, obsY: usize, hState: usize): void {
  const at = SUBJECTS + (<usize>l << 4);
  store<u32>(at, <u32>y);
  store<u32>(at, <u32>p, 4);
  store<u32>(at, <u32>obsY, 8);
  store<u32>(at, <u32>hState, 12);
}

/** Subject l's status from the last odeSegmentLanes(). */
export function subjectStatus(l: i32): i32 {
  return load<i32>(SUBJECT_STATUS + (<usize>l << 2));
}

// @ts-ignore: decorator
@inline
function subjectField(l: i32, field: i32): usize {
  return <usize>load<u32>(SUBJECTS + (<usize>l << 4) + (<usize>field << 2));
}

/**
 * odeSegment() for m (2–4) subjects of the same model over the same segment (setSubject(): each
 * subject's state, parameters, observation rows and warm start; the same times, inputs and
 * tolerances). Subjects whose segment starts with the same explicit method run side by side, a
 * pair per f64x2, under Dormand–Prince two pairs interleaved (dop853Pair, dopri5Lanes); the rest alone. Each gets
 * exactly what odeSegment() gives it alone: subjectStatus(l).
 */
export function odeSegmentLanes(
  m: i32, method: i32, kind: i32, ncmt: i32, depot: i32, t0: f64, t1: f64, rate: usize,
  obsT: usize, nObs: i32, rtol: f64, atol: f64,
): void {
  openWindow(t0, t1);
  const n = nStates(kind, ncmt, depot);
  const grouped = n > 0 && knownMethod(method) && t1 > t0;
  // each subject's way in, or −1 where it goes alone
  const firsts = FIRSTS;
  for (let l = 0; l < m; l++) {
    selectLane(l);
    const first = firstMethod(method, kind);
    const alone = !grouped || first == FIRST_ROSENBROCK || first == FIRST_TAYLOR || first == FIRST_TAYLOR_STIFF || !allFinite(subjectField(l, 0), n);
    store<i32>(firsts + (<usize>l << 2), alone ? -1 : first);
  }
  const rt = max<f64>(rtol, RTOL_MIN);
  const at = max<f64>(atol, 0.0);
  let k = 0;
  if (grouped) while (k < nObs && load<f64>(obsT + (<usize>k << 3)) <= t0) k++;
  for (let l = 0; l < m; l++) {
    const first = load<i32>(firsts + (<usize>l << 2));
    if (first < 0) continue;
    // this subject's group: the later subjects with the same way in, as many as its method takes
    const lanes = GROUP;
    const most = first == FIRST_DOPRI5 || first == FIRST_DOPRI5_STIFF ? 4 : 2;
    let g = 0;
    for (let j = l; j < m && g < most; j++) {
      if (load<i32>(firsts + (<usize>j << 2)) != first) continue;
      store<i32>(lanes + (<usize>g << 2), j);
      store<i32>(firsts + (<usize>j << 2), -2); // taken
      g++;
    }
    const np = g >> 1;
    if (np == 0) {
      store<i32>(firsts + (<usize>l << 2), -1); // alone after all
      continue;
    }
    for (let q = 0; q < 2 * np; q++) {
      const j = load<i32>(lanes + (<usize>q << 2));
      observeStart(n, subjectField(j, 0), t0, obsT, nObs, subjectField(j, 2));
      setLaneInput(q, subjectField(j, 0), subjectField(j, 1), subjectField(j, 2), subjectField(j, 3));
    }
    if (first == FIRST_DOPRI5 || first == FIRST_DOPRI5_STIFF) {
      dopri5Lanes(np, kind, ncmt, depot, n, t0, t1, rate, obsT, nObs, k, rt, at, first == FIRST_DOPRI5_STIFF);
    } else {
      dop853Pair(kind, ncmt, depot, n, t0, t1, rate, obsT, nObs, k, rt, at, first != FIRST_DOP853, first == FIRST_DOP853_TIGHT);
    }
    for (let q = 0; q < 2 * np; q++) {
      const j = load<i32>(lanes + (<usize>q << 2));
      addWork(pairLane(q, 1), pairLane(q, 2), pairLane(q, 3), 0);
      let r = pairLane(q, 0);
      // a subject handed over (stiff, or DOP853 held by stability) goes on alone, from the segment's start
      if (r == STIFF || r == LIMITED) {
        selectLane(j);
        const h = subjectField(j, 3);
        handOver(r, h);
        r = fallback(method, kind, ncmt, depot, n, subjectField(j, 0), t0, t1, subjectField(j, 1), rate, obsT, nObs, k, subjectField(j, 2), rt, at, h);
      }
      store<i32>(SUBJECT_STATUS + (<usize>j << 2), r);
    }
    // an odd one out of the group goes alone (below)
    if (g & 1) store<i32>(firsts + (<usize>load<i32>(lanes + (<usize>(g - 1) << 2)) << 2), -1);
  }
  for (let l = 0; l < m; l++) {
    if (load<i32>(firsts + (<usize>l << 2)) != -1) continue;
    selectLane(l);
    store<i32>(SUBJECT_STATUS + (<usize>l << 2), segment(method, kind, ncmt, depot, subjectField(l, 0), t0, t1, subjectField(l, 1), rate, obsT, nObs, subjectField(l, 2), rtol, atol, subjectField(l, 3)));
  }
  selectLane(0);
  closeWindow();
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
  return method == Method.Dopri5 || method == Method.Rosenbrock || method == Method.Auto || method == Method.Dop853 || method == Method.AutoDop853 || method == Method.AutoTight || method == Method.Taylor;
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
/** Method.Taylor: the Taylor series alone (Michaelis–Menten built-ins). */
const FIRST_TAYLOR: i32 = 6;
/** An automatic choice for a Michaelis–Menten built-in (autoTaylor), not yet stiff: the Taylor series, RODAS4/Rodas5P once stiff. */
const FIRST_TAYLOR_STIFF: i32 = 7;

/** Whether an automatic choice starts the kind's segments with the Taylor series. */
// @ts-ignore: decorator
@inline
function autoTaylor(method: i32, kind: i32): bool {
  return AUTO_TAYLOR && method == Method.AutoTight && kind == Kind.MichaelisMenten;
}
/** See autoTaylor(). */
const AUTO_TAYLOR = false;

/** How the current subject's segment starts. */
function firstMethod(method: i32, kind: i32): i32 {
  if (method == Method.Taylor) return FIRST_TAYLOR;
  if (method == Method.Dopri5) return FIRST_DOPRI5;
  if (method == Method.Dop853) return FIRST_DOP853;
  if (method == Method.Rosenbrock || stiffSubject) return FIRST_ROSENBROCK;
  if (autoTaylor(method, kind)) return FIRST_TAYLOR_STIFF;
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
  return counted(useRodas5p(kind, rt)
    ? rodas5p(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState)
    : rosenbrock(kind, ncmt, depot, n, y, t0, t1, p, rate, obsT, nObs, k, obsY, rt, at, hState));
}

/** Largest rtol at which the stiff method is Rodas5P (RODAS4 above). */
const RODAS5P_RTOL: f64 = 1e-8;
/** Testing only (assembly/testing.ts, the fixed-step order tests): 0 the rule below, 4 RODAS4, 5 Rodas5P. */
let stiffChoice: i32 = 0;
export function setStiffChoice(c: i32): void {
  stiffChoice = c;
}

/**
 * The stiff method: Rodas5P for the autonomous kinds at rtol <= 1e-8 (a model text too, where its
 * right-hand side has no switch on the states or t: userSmooth), RODAS4 otherwise. On W-ode's full
 * TMDD at rtol 1e-8 RODAS4 took 18,894 steps per subject (order reduction: ~3.2x the steps for 100x
 * the accuracy) and Rodas5P 6,095, with an 8x smaller error. Elsewhere Rodas5P's error against the
 * tests' closed forms was larger than RODAS4's, so those keep RODAS4: a model text's state switch
 * (x/|x|) at rtol 1e-8 read 5.2e-8 off (RODAS4 within 0.42 rtol) and 8.8e-6 at 1e-6; the
 * non-autonomous Claret model at 1e-10 3.4e-10 for 1.9e-12 (order 4.5 at the fixed-step test's
 * steps); Michaelis–Menten mm-iv at 1e-3 past the domain test's 0.5 tolerances. A text of a built-in
 * model (the README's TMDD text) takes the built-in's method, so the two give the same values.
 */
function useRodas5p(kind: i32, rtol: f64): bool {
  if (stiffChoice != 0) return stiffChoice == 5;
  return rtol <= RODAS5P_RTOL && isAutonomous(kind) && (kind != Kind.User || userSmooth());
}

/**
 * Work counter of the last odeSegment call: 0 accepted steps, 1 rejected steps,
 * 2 right-hand-side evaluations, 3 Jacobian evaluations (Rosenbrock only).
 */
export function odeStat(which: i32): i32 {
  if (which < 0 || which > 3) return -1;
  return load<i32>(STATS + (<usize>which << 2));
}
