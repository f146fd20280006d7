// The per-subject event walker: one call simulates a whole chunk of subjects over a flat event
// table (structure of arrays, built by src/regimen/compile.ts). NONMEM's record semantics (ADDL,
// lag, F, RATE/DUR, resets, SS bookkeeping of pending and overlapping infusions) are resolved there;
// here only the state changes: advance, add a bolus, change an input rate, reset, steady state.

import { Status, Kind, Ev, Method, ObsMode, P, MAX_STATES, PAR_STRIDE, SHARED_BLOCK } from "./abi";
import { userLinear, userObserve } from "./models/user";
import { ld, st, zero, copy, solve, expmNonneg, expmGeneral, isMetzler, EXPM_N } from "./linalg";
import { linearLoad, linearLoaded, linearLoadMatrix, linearAdvance, linearPhi, linearGamma, linearConstantInputSteadyState, linearPeriodicSteadyState, linearInvalidate, linearStates, linearHasConst, linearLossy, propagate, linearStepSlot, linearSlotPhi, linearSlotGam, linearSize, linearInput } from "./analytic/linear";
import { nStates, initState, observe, rhs, jac } from "./models/rhs";
import { odeSegment, odeSegmentLanes, setSubject, subjectStatus, resetStiffness, selectLane } from "./ode/segment";

const X = memory.data(8 * MAX_STATES, 16);
const X0 = memory.data(8 * MAX_STATES, 16);
const XS = memory.data(8 * MAX_STATES, 16);
/** The undosed periodic state of an ss=2 dose into a model that does not start at 0. */
const XU = memory.data(8 * MAX_STATES, 16);
const RATE = memory.data(8 * MAX_STATES, 16);
const SSR = memory.data(8 * MAX_STATES, 16);
const TMP = memory.data(8 * MAX_STATES, 16);
const MAT = memory.data(8 * MAX_STATES * MAX_STATES, 16);
const HSTATE = memory.data(8, 16);
const OBS_RUN: i32 = 64;
const OBSY = memory.data(8 * OBS_RUN * MAX_STATES, 16);

let gKind: i32 = 0;
let gNcmt: i32 = 0;
let gDepot: i32 = 0;
let gMethod: i32 = 0;
let gN: i32 = 0;
let gRtol: f64 = 1e-8;
let gAtol: f64 = 1e-10;

function hasAnyRate(r: usize): bool {
  for (let i = 0; i < gN; i++) if (ld(r, i) != 0.0) return true;
  return false;
}

// whether RATE has a non-zero entry, kept up to date where RATE changes (not rescanned per step)
let ratesOn: bool = false;

const XE = memory.data(8 * MAX_STATES, 16);
const CE = memory.data(8 * MAX_STATES, 16);

/**
 * Loads parameter set p for exact propagation: the mammillary closed forms, or — for a user model
 * linear in its states (f = J·x + c, J and c constant) — J from its Jacobian and c = f(0).
 */
function loadExact(p: usize): bool {
  if (gKind == Kind.Linear) return linearLoad(gNcmt, gDepot, p);
  if (linearLoaded(p)) return true;
  zero(XE, gN);
  jac(gKind, gNcmt, gDepot, 0.0, XE, p, MAT);
  rhs(gKind, gNcmt, gDepot, 0.0, XE, p, 0, CE);
  return linearLoadMatrix(gN, MAT, CE, p);
}

/** Advances state x from t0 to t1 under parameter set p with input rates r (no observations inside). */
function advance(x: usize, t0: f64, t1: f64, p: usize, r: usize): i32 {
  if (t1 <= t0) return Status.Ok;
  if (gMethod == Method.Analytic) {
    if (!loadExact(p)) return Status.NonFinite;
    if (linearLossy(t1 - t0)) return Status.ExactLossy;
    linearAdvance(x, t1 - t0, r, r == RATE ? ratesOn : hasAnyRate(r), TMP);
    return Status.Ok;
  }
  // no input running: no rate vector, so the right-hand side adds none (a zero added at every stage
  // is a load, an add and a store on the stages' critical path)
  const rIn = r == RATE ? (ratesOn ? r : 0) : hasAnyRate(r) ? r : 0;
  return odeSegment(gMethod, gKind, gNcmt, gDepot, x, t0, t1, p, rIn, 0, 0, 0, gRtol, gAtol, HSTATE);
}

/** Rates of the SS input profile: `count` infusions of rate R running into cmt. */
function setSsRate(cmt: i32, rate: f64, count: f64): void {
  zero(SSR, gN);
  st(SSR, cmt, rate * count);
}

/**
 * One dosing cycle of length tau from an entry: bolus amt, then `m+1` overlapping infusions for r,
 * then m for tau − r (m = floor(D/tau), r = D − m·tau). With tau' < tau it stops early (phase).
 */
function cyclePart(x: usize, t: f64, upTo: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize): i32 {
  if (amt != 0.0) st(x, cmt, ld(x, cmt) + amt);
  if (upTo <= 0.0) return Status.Ok;
  let m = 0.0;
  let r = 0.0;
  if (rate > 0.0 && dur > 0.0) {
    m = Math.floor(dur / tau);
    r = dur - m * tau;
    // r within rounding of tau means the infusions tile exactly: m+1 overlap throughout
    if (r > tau * (1.0 - 1e-12)) {
      m += 1.0;
      r = 0.0;
    }
  }
  const first = Math.min(r, upTo);
  if (first > 0.0) {
    setSsRate(cmt, rate, m + 1.0);
    const s = advance(x, t, t + first, p, SSR);
    if (s != Status.Ok) return s;
  }
  if (upTo > r) {
    setSsRate(cmt, rate, m);
    const s = advance(x, t + first, t + upTo, p, SSR);
    if (s != Status.Ok) return s;
  }
  return Status.Ok;
}

/**
 * The periodic solution at phase `phase` after the most recent entry into X: ss=1 (after a reset,
 * X holds the initial state) replaces the state by it; ss=2 (`add`) adds its dose-driven part, the
 * periodic state less the undosed one's. The undosed state is 0 unless the model starts away from
 * 0 (init(): an endogenous baseline, or an initial amount), and then the undosed steady state (the
 * equilibrium the model settles at without doses); the initial state in its place took an initial
 * amount off at every ss=2 dose (init(CENT) = 50: 100.9 for 150.9).
 * Linear: closed form x_tr = (I − Φ(τ))⁻¹·c with c one cycle from zero. ODE: Newton's method on the
 * cycle map (periodicNewton), converged when its step is within ssTol.
 */
function steadyState(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, phase: f64, p: usize, ssTol: f64, maxIter: i32, add: bool): i32 {
  initState(gKind, gNcmt, gDepot, p, X0);
  let undosed = X0;
  if (add && !allZero(X0, gN)) {
    const s = periodicState(t, cmt, 0.0, 0.0, tau, 0.0, phase, p, ssTol, maxIter, false);
    if (s != Status.Ok) return s;
    copy(XU, XS, gN);
    undosed = XU;
  }
  const s = periodicState(t, cmt, amt, rate, tau, dur, phase, p, ssTol, maxIter, true);
  if (s != Status.Ok) return s;
  for (let i = 0; i < gN; i++) st(X, i, ld(X, i) + ld(XS, i) - ld(undosed, i));
  return Status.Ok;
}

/** Whether the n doubles at x are all 0. */
function allZero(x: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (ld(x, i) != 0.0) return false;
  return true;
}

/**
 * XS = the periodic state at phase `phase` after the most recent entry (tau > 0), or the constant
 * infusion's steady state (tau = 0). `keepWarm`: this solve may seed the batch's warm starts.
 */
function periodicState(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, phase: f64, p: usize, ssTol: f64, maxIter: i32, keepWarm: bool): i32 {
  if (tau == 0.0) {
    // constant infusion at steady state: 0 = f(x) + R
    zero(SSR, gN);
    st(SSR, cmt, rate);
    if (gMethod == Method.Analytic) {
      if (!loadExact(p)) return Status.NonFinite;
      if (!linearConstantInputSteadyState(XS, SSR)) return Status.SingularSteadyState;
    } else {
      const s = newtonSteadyState(t, p);
      if (s != Status.Ok) return s;
    }
  } else if (gMethod == Method.Analytic) {
    if (!loadExact(p)) return Status.NonFinite;
    zero(XS, gN);
    let s = cyclePart(XS, t, tau, cmt, amt, rate, tau, dur, p);
    if (s != Status.Ok) return s;
    // (I − Φ(τ))·x_tr = c
    if (linearLossy(tau)) return Status.ExactLossy;
    if (!linearPeriodicSteadyState(XS, tau)) return Status.SingularSteadyState;
    s = cyclePart(XS, t, phase, cmt, amt, rate, tau, dur, p);
    if (s != Status.Ok) return s;
  } else {
    let s = keepWarm && warmUsable(cmt, amt, rate, tau, dur, p) ? periodicNewton(t, cmt, amt, rate, tau, dur, p, ssTol, maxIter, Start.Warm) : Status.SteadyStateNotReached;
    if (s != Status.Ok) s = periodicNewton(t, cmt, amt, rate, tau, dur, p, ssTol, maxIter, Start.Linearized);
    // where the linearized cycle misleads the first steps (a state driven out of the model's domain);
    // a singular I − M' is differences' own verdict, at X0 or a later iterate
    // a stall within the integrator's error says more than a later start's failure to get there
    const noisy = s == Status.SteadyStateNoisy;
    if (s != Status.Ok && s != Status.SingularSteadyState) s = periodicNewton(t, cmt, amt, rate, tau, dur, p, ssTol, maxIter, Start.Differences);
    if (s == Status.SteadyStateNotReached && noisy) s = Status.SteadyStateNoisy;
    if (s == Status.Ok && !periodicInDomain(t, cmt, amt, rate, tau, dur, p)) s = Status.SteadyStateNegative;
    if (s == Status.SteadyStateNegative || s == Status.StepTooSmall || s == Status.MaxSteps || s == Status.NonFinite) {
      // Newton's full steps can leave the states' domain where I − M' is nearly singular in one
      // direction (a full TMDD at q1h with KEL·τ = 0.005: the drug's step is ~140 doses long and
      // the receptor's overshoots below 0): it then lands on a negative root of the map, or on
      // states the integrator cannot cross. Again with steps kept in the domain. Not where Newton ran
      // off or stalled (no periodic state: a dose rate above the elimination's capacity), where it
      // would only double the cost of the refusal.
      if (signKeptNewton(t, cmt, amt, rate, tau, dur, p, ssTol, maxIter) == Status.Ok) s = Status.Ok;
    }
    if (s != Status.Ok) return s;
    if (keepWarm && gWarm && subjectIndex == 0 && !warmSet) {
      copy(WARM_XS, XS, gN);
      copy(WARM_B, SSB, gN * gN);
      warmSet = true;
      warmEvent = eventIndex;
      warmCmt = cmt;
      warmAmt = amt;
      warmRate = rate;
      warmTau = tau;
      warmDur = dur;
      warmPar = p;
    }
    const s2 = cyclePart(XS, t, phase, cmt, amt, rate, tau, dur, p);
    if (s2 != Status.Ok) return s2;
  }
  return Status.Ok;
}

/**
 * periodicNewton from X0 with its steps kept in the domain: a state that starts ≥ 0 and stays so
 * over a first cycle from X0 (markFree) moves at most to a tenth of itself towards 0 per step. Ok
 * only where the state it reaches passes every check of an ordinary solve, periodicInDomain too.
 */
function signKeptNewton(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize, ssTol: f64, maxIter: i32): i32 {
  markFree(t, cmt, amt, rate, tau, dur, p);
  gKeepSigns = true;
  const s = periodicNewton(t, cmt, amt, rate, tau, dur, p, ssTol, maxIter, Start.Differences);
  gKeepSigns = false;
  if (s != Status.Ok) return s;
  return periodicInDomain(t, cmt, amt, rate, tau, dur, p) ? Status.Ok : Status.SteadyStateNegative;
}

/** periodicNewton keeps the states marked not FREE at ≥ 0 (signKeptNewton). */
let gKeepSigns: bool = false;
/** The residual at the iterate a kept-sign step was taken from (its secant update needs it). */
const SS_ROLD = memory.data(8 * MAX_STATES, 16);
/** The share of the way to 0 a kept-sign step may take a state. */
const SIGN_KEPT_REACH: f64 = 0.9;

/**
 * FREE[i] = 1 where state i may go below 0: it starts below 0, or goes below 0 (beyond rounding)
 * at one of PERIODIC_LOOKS points of a first cycle from X0.
 */
function markFree(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize): void {
  for (let i = 0; i < gN; i++) store<u8>(FREE + <usize>i, ld(X0, i) < 0.0 ? 1 : 0);
  for (let k = 1; k <= PERIODIC_LOOKS; k++) {
    copy(SSP, X0, gN);
    st(HSTATE, 0, 0.0);
    if (cyclePart(SSP, t, (tau * <f64>k) / <f64>PERIODIC_LOOKS, cmt, amt, rate, tau, dur, p) != Status.Ok) break;
    let bigP = 0.0;
    for (let i = 0; i < gN; i++) bigP = Math.max(bigP, Math.abs(ld(SSP, i)));
    for (let i = 0; i < gN; i++) if (ld(SSP, i) < -DOMAIN_SLACK * bigP) store<u8>(FREE + <usize>i, 1);
  }
}

/**
 * Whether the periodic state XS keeps at ≥ 0 (but for rounding, as inDomain) every state that starts
 * ≥ 0 and stays so over a first cycle from X0 (looked at PERIODIC_LOOKS times in it): a Michaelis–
 * Menten state below −KM·V is a root of the cycle map (the elimination's ratio passes 1), and Newton
 * found −634,903.65 mg for 590.7 mg q24h under a sawtooth, where none exists. The cycle is
 * integrated only where some state is negative.
 */
function periodicInDomain(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize): bool {
  let big = 0.0;
  for (let i = 0; i < gN; i++) big = Math.max(big, Math.abs(ld(XS, i)));
  // below zero by more than the integrator resolves: its atol, and rtol of a cycle's input. With
  // rounding alone against the largest state, a depot's trough of 4e-82 mg read −1.3e-11 (atol
  // 1e-10) beside a central trough of 0.0017 mg, and 100 mg of mm-oral q24h was refused as a
  // non-physical root
  const perCycle = amt > 0.0 ? amt : Math.abs(rate) * Math.max(tau, dur);
  const slack = gAtol + gRtol * perCycle + DOMAIN_SLACK * big;
  let below = false;
  for (let i = 0; i < gN; i++) if (ld(X0, i) >= 0.0 && ld(XS, i) < -slack) below = true;
  if (!below) return true;
  // a cycle the integrator cannot finish tells nothing of the signs: the negative state stands
  markFree(t, cmt, amt, rate, tau, dur, p);
  for (let i = 0; i < gN; i++) if (load<u8>(FREE + <usize>i) == 0 && ld(XS, i) < -slack && !reachedBelowZero(i, t, cmt, amt, rate, tau, dur, p, slack)) return false;
  return true;
}


/** Cycles from X0 that reachedBelowZero follows at most, and how many without coming nearer to XS it allows. */
const SS_REACH_CYCLES: i32 = 3000;
const SS_REACH_PATIENCE: i32 = 20;
/** Distance to XS (relative, every state) at which the cycles from X0 are taken to converge onto it. */
const SS_REACH_NEAR: f64 = 1e-3;
/** The approach is extrapolated every this many cycles, from SS_REACH_FIRST on. */
const SS_REACH_EVERY: i32 = 8;
const SS_REACH_FIRST: i32 = 32;
/** How far (a share of 1 − ρ) the contraction ratio ρ of two successive windows may differ for the approach to count as geometric. */
const SS_REACH_STEADY: f64 = 0.01;
/** The step each cycle takes (largest over the states, relative as the distance to XS), by cycle. */
const SS_REACH_STEPS = memory.data(8 * (SS_REACH_CYCLES + 1), 16);
const SS_REACH_PREV = memory.data(8 * MAX_STATES, 16);

/**
 * Whether the doses, repeated from X0, lead to the negative periodic state XS (state i below 0):
 * state i goes below −slack, or every state comes within SS_REACH_NEAR of XS, or the approach is
 * geometric and its limit is XS (reachedByExtrapolation); false where they stop coming nearer
 * (SS_REACH_PATIENCE cycles without a new closest approach), fail, or neither show within
 * SS_REACH_CYCLES. The periodic state is the limit of those cycles, so a real one is reached,
 * however slowly it builds up (a response with a 120-day turnover, KOUT 0.00035/h, dosed q2h, goes
 * below 0 only after 3,071 cycles), and a root of the map the doses never reach is not:
 * Michaelis–Menten under a sawtooth with a zero-order outflow at 591 mg q24h, above what a cycle
 * can remove (590.88 mg), read −44,093 mg with exit 0 while the amount grows every cycle. A state's
 * sign alone does not tell them apart: a response read from the compartment a bolus enters leaves 0
 * only just after each dose.
 */
function reachedBelowZero(i: i32, t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize, slack: f64): bool {
  copy(SSP, X0, gN);
  let best = Infinity;
  let since = 0;
  for (let k = 1; k <= SS_REACH_CYCLES; k++) {
    copy(SS_REACH_PREV, SSP, gN);
    st(HSTATE, 0, 0.0);
    if (cyclePart(SSP, t, tau, cmt, amt, rate, tau, dur, p) != Status.Ok) return false;
    if (ld(SSP, i) < -slack) return true;
    let d = 0.0;
    let step = 0.0;
    for (let j = 0; j < gN; j++) {
      const w = Math.max(Math.abs(ld(XS, j)), Math.abs(ld(X0, j))) + slack;
      d = Math.max(d, Math.abs(ld(SSP, j) - ld(XS, j)) / w);
      step = Math.max(step, Math.abs(ld(SSP, j) - ld(SS_REACH_PREV, j)) / w);
    }
    if (!isFinite(d) || !isFinite(step)) return false;
    if (d <= SS_REACH_NEAR) return true;
    st(SS_REACH_STEPS, k, step);
    if (k >= SS_REACH_FIRST && k % SS_REACH_EVERY == 0 && reachedByExtrapolation(k, slack)) return true;
    if (d < best) {
      best = d;
      since = 0;
    } else if (++since >= SS_REACH_PATIENCE) return false;
  }
  return false;
}

/**
 * Whether the cycles from X0 (the k-th in SSP, the one before in SS_REACH_PREV) approach XS
 * geometrically: their steps shrink by the same ratio ρ < 1 per cycle over the cycles k/2 to 3k/4
 * and 3k/4 to k (within SS_REACH_STEADY of 1 − ρ: the slowest mode alone is left), and the limit
 * that ratio extrapolates them to, X_k + (X_k − X_{k−1})·ρ/(1 − ρ) state by state, is within
 * SS_REACH_NEAR of XS. Such a contraction's limit is a periodic state of the map, so where it is XS
 * the later cycles come within SS_REACH_NEAR of XS too, however many they take; cycles that go to
 * another state, or grow, or whose steps do not shrink steadily, are left to the cycles themselves.
 */
function reachedByExtrapolation(k: i32, slack: f64): bool {
  const span = k / 4;
  const s0 = ld(SS_REACH_STEPS, k - 2 * span);
  const s1 = ld(SS_REACH_STEPS, k - span);
  const s2 = ld(SS_REACH_STEPS, k);
  if (!(s0 > 0.0 && s1 > 0.0 && s2 > 0.0)) return false;
  const rhoEarly = Math.pow(s1 / s0, 1.0 / <f64>span);
  const rho = Math.pow(s2 / s1, 1.0 / <f64>span);
  if (!(rho < 1.0) || Math.abs(rho - rhoEarly) > SS_REACH_STEADY * (1.0 - rho)) return false;
  const ahead = rho / (1.0 - rho);
  for (let j = 0; j < gN; j++) {
    const limit = ld(SSP, j) + (ld(SSP, j) - ld(SS_REACH_PREV, j)) * ahead;
    const w = Math.max(Math.abs(ld(XS, j)), Math.abs(ld(X0, j))) + slack;
    if (!(Math.abs(limit - ld(XS, j)) <= SS_REACH_NEAR * w)) return false;
  }
  return true;
}

/** Points of the first cycle at which periodicInDomain looks for states that go below 0. */
const PERIODIC_LOOKS: i32 = 8;

const SSY = memory.data(8 * MAX_STATES, 16);
const SSP = memory.data(8 * MAX_STATES, 16);
const SSD = memory.data(8 * MAX_STATES, 16);
const SSB = memory.data(8 * MAX_STATES * MAX_STATES, 16);
/** The iterate of periodicNewton() with the smallest step within the integrator's resolution (see SS_NOISE). */
const SS_BEST = memory.data(8 * MAX_STATES, 16);
/** (I − M')⁻¹ at SS_BEST, for the error the map's noise leaves there. */
const SS_INV = memory.data(8 * MAX_STATES * MAX_STATES, 16);
const SS_NEWTON_MAX: i32 = 30;
// Warm starts (simulateBatch with ssWarm): the steady state and secant matrix of the batch's first
// subject, for the same steady-state event of the later subjects of the batch. The points of a MAP
// finite-difference stencil differ by ~1e-4 in their parameters: from the first point's periodic
// state Newton needs 3–5 cycles instead of the 8 or more from the empty state. Only the first
// subject's state is kept (never a later one's), so a subject's result depends on itself and the
// batch's first subject alone.
const WARM_XS = memory.data(8 * MAX_STATES, 16);
const WARM_B = memory.data(8 * MAX_STATES * MAX_STATES, 16);
const SS_WARM_MAX: i32 = 8;
const WARM_REACH: f64 = 0.1;
/**
 * Parameters within this relative distance of the first subject's take its steady state as the
 * start. 10 % rather than the ~1e-4 of a gradient stencil: the Hessian stencil of the MAP report
 * (steps of a few % of a parameter) then starts warm too, cutting the objective's ODE work per
 * patient by ~8 % on a five-compartment parent–metabolite text; from farther away Broyden's updates
 * from the old secant matrix gain nothing over a cold start, and the result is Newton's to ssTol
 * either way.
 */
const WARM_NEAR: f64 = 0.1;
let gWarm: bool = false; // warm starts asked for in this batch
let warmSet: bool = false; // WARM_XS, WARM_B hold the first subject's steady state
let warmEvent: i32 = -1; // its event (index from the subject's first)
let warmDur: f64 = 0.0;
let warmRate: f64 = 0.0;
let warmAmt: f64 = 0.0;
let warmTau: f64 = 0.0;
let warmCmt: i32 = -1;
let warmPar: usize = 0; // its parameter set
let subjectIndex: i32 = 0;
let eventIndex: i32 = 0; // the steady-state event's index from the subject's first

/** Relative distance |a − b| ≤ WARM_NEAR·max(|a|, |b|) (or both 0). */
function near(a: f64, b: f64): bool {
  return Math.abs(a - b) <= WARM_NEAR * Math.max(Math.abs(a), Math.abs(b));
}

/** Whether this steady-state event may start from the batch's first subject's periodic state. */
function warmUsable(cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize): bool {
  if (!gWarm || !warmSet || subjectIndex == 0 || eventIndex != warmEvent || cmt != warmCmt || tau != warmTau) return false;
  if (!near(amt, warmAmt) || !near(rate, warmRate) || !near(dur, warmDur)) return false;
  for (let i = 0; i < PAR_STRIDE; i++) if (!near(ld(p, i), ld(warmPar, i))) return false;
  return true;
}

/** Where periodicNewton starts and what its first Jacobian is. */
const enum Start {
  /** the batch's first subject's periodic state and secant matrix */
  Warm,
  /** X0, with I − exp(J·τ) of the model linearized at the trough after one cycle, then once more at the next */
  Linearized,
  /** X0, with finite differences of the cycle map */
  Differences,
}

/**
 * The periodic state of an ODE model into XS: Newton's method on x = M(x), M the one-cycle map
 * (integrated), with a Jacobian of M at the first iterate and Broyden's secant updates after it
 * (one cycle per iteration instead of n + 1; finite differences again when the secant steps stop
 * halving). A cold start takes that first Jacobian from the model linearized at the state after
 * one cycle, Φ = exp(J·τ): no cycle integrations, where the differences cost n; exact for a linear
 * model and, for states that a non-linear one does not feed back into, exact in their rows, so the
 * first step puts them at their periodic state as the differences did. Linearizing once more at
 * the next iterate's image (still free) brings a Michaelis–Menten state closer to its slope at the
 * periodic state than Broyden's first update; measured on a five-compartment parent–metabolite
 * text, a cold steady state then takes 8 cycles instead of 13. Repeating the cycle until successive
 * troughs agree converges like e^{−λτ} and stops far from the limit when the terminal half-life is
 * much longer than τ (successive troughs differ by (1 − e^{−λτ})·distance); Newton's step is itself
 * the error estimate and for a linear model is exact after one step. Differences are taken with a
 * step of 1 % of the state's scale, so that the integrator's own error (rtol·|x|) stays far below
 * the difference even when I − M' is nearly singular (λτ ≪ 1).
 */
function periodicNewton(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize, ssTol: f64, maxIter: i32, start: Start): i32 {
  const warm = start == Start.Warm;
  // what one cycle puts in: the dose, or an infusion's amount (each cycle starts one: rate × its
  // duration, which may be longer than the interval — rate × τ alone made 10 mg over 24 h q0.1h a
  // 0.04 mg input, and its periodic state of 4,255 doses "no steady state")
  const perCycle = amt > 0.0 ? amt : Math.abs(rate) * Math.max(tau, dur);
  if (warm) {
    copy(XS, WARM_XS, gN);
    copy(SSB, WARM_B, gN * gN);
  } else copy(XS, X0, gN);
  const cap = min(maxIter, warm ? SS_WARM_MAX : SS_NEWTON_MAX);
  let refresh = !warm; // take B = I − M'(x) by differences at this iterate
  let stepped = false; // SSD holds the step just taken (the secant update needs it)
  let prevErr = Infinity;
  let linearized = start == Start.Linearized; // SSB comes from the linearized model while it < LINEARIZE_ITERS
  let bestNoise = Infinity; // SS_BEST's step against the integrator's resolution (≤ 1 when kept)
  for (let it = 0; it < cap; it++) {
    // every evaluation of the map starts from the same first-step guess: the map is then a function of x alone
    copy(SSY, XS, gN);
    st(HSTATE, 0, 0.0);
    let s = cyclePart(SSY, t, tau, cmt, amt, rate, tau, dur, p);
    if (s != Status.Ok) return s;
    linearized = linearized && it < LINEARIZE_ITERS && linearizedCycle(t, p, tau);
    // a linearized B is no Jacobian of M: a singular one is not the steady state's fault
    const fresh = refresh && !linearized;
    if (linearized) {
      refresh = false;
    } else if (refresh) {
      s = cycleDifferences(t, cmt, amt, rate, tau, dur, p);
      if (s != Status.Ok) return s;
    } else if (stepped && gKeepSigns) {
      // the step s taken is not B⁻¹·r_old where a state was held back: B ← B + (y − B·s)·sᵀ/(sᵀs),
      // y = r_old − r, so that B·s = y
      let dd = 0.0;
      for (let i = 0; i < gN; i++) dd += ld(SSD, i) * ld(SSD, i);
      for (let i = 0; i < gN; i++) {
        let bs = 0.0;
        for (let j = 0; j < gN; j++) bs += ld(SSB, i * gN + j) * ld(SSD, j);
        const ri = (ld(SS_ROLD, i) - (ld(SSY, i) - ld(XS, i)) - bs) / dd;
        for (let j = 0; j < gN; j++) st(SSB, i * gN + j, ld(SSB, i * gN + j) + ri * ld(SSD, j));
      }
    } else if (stepped) {
      // Broyden's ("good") secant update for the step d just taken from B·d = r_old: with
      // r = M(x) − x at the new iterate, B ← B − r·dᵀ/(dᵀd) makes B·d = r_old − r. One cycle
      // per iteration instead of n + 1.
      let dd = 0.0;
      for (let i = 0; i < gN; i++) dd += ld(SSD, i) * ld(SSD, i);
      for (let i = 0; i < gN; i++) {
        const ri = (ld(SSY, i) - ld(XS, i)) / dd;
        for (let j = 0; j < gN; j++) st(SSB, i * gN + j, ld(SSB, i * gN + j) - ri * ld(SSD, j));
      }
    }
    copy(MAT, SSB, gN * gN);
    // the cycle's residual M(x) − x, and whether it is more than a periodic state leaves (see below)
    let residual = false;
    for (let i = 0; i < gN; i++) {
      const r = ld(SSY, i) - ld(XS, i);
      st(SSD, i, r);
      if (Math.abs(r) > SS_RESIDUAL * perCycle + ssTol * Math.abs(ld(X0, i)) + gAtol) residual = true;
    }
    // a state the cycle leaves as it is (its row of I − M' is 0 and its residual 0: a depot at KA =
    // 0 beside a dose into the central compartment, a peripheral at Q = 0) stays where it is: its
    // step is 0, where the singular matrix refused the whole steady state
    for (let i = 0; i < gN; i++) {
      if (ld(SSD, i) != 0.0) continue;
      let rowZero = true;
      for (let j = 0; j < gN; j++) if (ld(MAT, i * gN + j) != 0.0) rowZero = false;
      if (rowZero) st(MAT, i * gN + i, 1.0);
    }
    if (gKeepSigns) for (let i = 0; i < gN; i++) st(SS_ROLD, i, ld(SSD, i));
    if (!solve(MAT, SSD, gN, 1)) {
      if (fresh) return Status.SingularSteadyState;
      refresh = true; // a singular secant or linearized matrix: differences again at this iterate
      linearized = false;
      continue;
    }
    let err = 0.0;
    let noise = 0.0;
    for (let i = 0; i < gN; i++) {
      const was = ld(XS, i);
      const a = was + ld(SSD, i);
      if (!isFinite(a)) return Status.NonFinite;
      // the convergence measures below read Newton's full step; the state moves by the kept one,
      // and SSD becomes that step (the secant update's)
      const kept = gKeepSigns && a < 0.0 && was >= 0.0 && load<u8>(FREE + <usize>i) == 0 ? (1.0 - SIGN_KEPT_REACH) * was : a;
      st(XS, i, kept);
      err = Math.max(err, Math.abs(ld(SSD, i)) / (gAtol + ssTol * Math.abs(a)));
      noise = Math.max(noise, Math.abs(ld(SSD, i)) / (gAtol + ssTol * Math.abs(a) + SS_NOISE * gRtol * (Math.abs(a) + perCycle)));
      // so far out that a cycle's input is below the state's rounding (5e19 mg: ulp 8192 mg), the map
      // is a fixed point in floating point: no periodic state lies there
      if (Math.abs(a) > SS_BOUND * (perCycle + Math.abs(ld(X0, i))) + gAtol) residual = true;
      if (gKeepSigns) st(SSD, i, kept - was);
    }
    stepped = true;
    // a step small against the state is not enough: where no periodic state exists (a dose rate
    // above the largest elimination rate, no elimination at all) Newton runs off to states of
    // 1e18 or more, where the same absolute residual — what accumulates per cycle — is a tiny
    // relative one. At a periodic state the residual is ~ssTol of the state, far below a millionth
    // of a dose unless the drug accumulates to thousands of doses.
    // and the state taken is the one after the step, so its own residual is checked afresh (the one
    // above is the iterate's before it)
    if (err <= 1.0) {
      if (residual) return Status.SteadyStateNotReached;
      const f = freshResidual(t, cmt, amt, rate, tau, dur, p, ssTol, perCycle);
      if (f != Status.Ok) return f;
      // a root of the map as integrated, not of the map: it is the steady state only within
      // (I − M')⁻¹ of the integrator's error, which near a saturated elimination is no bound at all
      // (Michaelis–Menten 580 mg q24h under a sawtooth at rtol 1e-4: 11,017,078 mg for 1,942.45).
      // Where I − M' (Newton's matrix) is ill conditioned, the error is measured (tightCheck)
      return bounded(perCycle, SS_CONDITION) ? Status.Ok : tightCheck(t, cmt, amt, rate, tau, dur, p, perCycle);
    }
    if (!residual && noise <= 1.0 && noise < bestNoise) {
      bestNoise = noise;
      copy(SS_BEST, XS, gN);
    }
    // a warm start whose first step moves the state by more than WARM_REACH of itself is too far
    // from this subject's steady state for the old secant matrix: the caller starts again cold
    if (warm && it == 0 && err > WARM_REACH / ssTol) return Status.SteadyStateNotReached;
    // secant steps that no longer halve the step: take differences again
    refresh = !fresh && !(err <= 0.5 * prevErr);
    prevErr = err;
  }
  // ssTol out of reach, but a step within what the integrator resolves: the map itself is that
  // uncertain (see SS_NOISE). The best such iterate is the periodic state to that accuracy only where
  // the map's noise δ moves its fixed point by about δ: the error is (I − M')⁻¹·δ, and near a
  // saturated elimination I − M' is nearly singular (Michaelis–Menten 590.5 mg q24h under a sawtooth:
  // 126,773.71 mg for 126,831.33, and 590.7 mg, where none exists, 27,992,759 mg)
  if (bestNoise > 1.0) return Status.SteadyStateNotReached;
  copy(XS, SS_BEST, gN);
  let s = freshResidual(t, cmt, amt, rate, tau, dur, p, ssTol, perCycle);
  if (s != Status.Ok) return s == Status.SteadyStateNotReached ? Status.SteadyStateNoisy : s;
  s = cycleDifferences(t, cmt, amt, rate, tau, dur, p);
  if (s != Status.Ok) return s;
  return bounded(perCycle, SS_CONDITION) ? tightCheck(t, cmt, amt, rate, tau, dur, p, perCycle) : Status.SteadyStateNoisy;
}

/**
 * Ok where the periodic state XS is within SS_VERIFIED·δ (mapNoise) of the fixed point of the cycle
 * map integrated SS_TIGHT times tighter: its error (I − M')⁻¹·(M_tight(x) − x), with I − M' from
 * SSB; else SteadyStateNoisy. What the map's error actually is, where δ is only what the tolerance
 * asks: across a switch the solver does not stop at it was 54 δ (Michaelis–Menten 590 mg q24h under
 * a sawtooth, dopri5 at rtol 1e-6: 12,957 mg for 27,952.30).
 */
function tightCheck(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize, perCycle: f64): i32 {
  const rtol = gRtol;
  const atol = gAtol;
  gRtol = Math.max(rtol / SS_TIGHT, SS_TIGHT_FLOOR);
  gAtol = atol / SS_TIGHT;
  copy(SSY, XS, gN);
  st(HSTATE, 0, 0.0);
  const s = cyclePart(SSY, t, tau, cmt, amt, rate, tau, dur, p);
  gRtol = rtol;
  gAtol = atol;
  if (s != Status.Ok) return Status.SteadyStateNoisy;
  for (let i = 0; i < gN; i++) st(SSD, i, ld(SSY, i) - ld(XS, i));
  matFromSsb();
  if (!solve(MAT, SSD, gN, 1)) return Status.SteadyStateNoisy;
  for (let i = 0; i < gN; i++) if (!(Math.abs(ld(SSD, i)) <= SS_VERIFIED * mapNoise(i, perCycle))) return Status.SteadyStateNoisy;
  return Status.Ok;
}

/**
 * MAT = SSB, with 1 on the diagonal of a row that is 0: a state the cycle leaves as it is (a
 * peripheral at Q = 0) has no error from the map's noise, as in periodicNewton's step.
 */
function matFromSsb(): void {
  copy(MAT, SSB, gN * gN);
  for (let i = 0; i < gN; i++) {
    let rowZero = true;
    for (let j = 0; j < gN; j++) if (ld(MAT, i * gN + j) != 0.0) rowZero = false;
    if (rowZero) st(MAT, i * gN + i, 1.0);
  }
}

/** How much tighter tightCheck integrates the cycle, and the rtol it goes no lower than. */
const SS_TIGHT: f64 = 100.0;
const SS_TIGHT_FLOOR: f64 = 1e-13;
/**
 * Error a periodic state may have against the tighter map, in δ: 10 mg over 24 h q0.1h (4,255 doses
 * on board, (I − M')⁻¹ ≈ 4,255) is within it, where a saturated elimination is not.
 */
const SS_VERIFIED: f64 = 100.0;

/**
 * Whether the map's noise δ (mapNoise) at XS leaves the periodic state within `factor`·δ in every
 * state: |(I − M')⁻¹|·δ with I − M' from SSB.
 */
function bounded(perCycle: f64, factor: f64): bool {
  matFromSsb();
  zero(SS_INV, gN * gN);
  for (let i = 0; i < gN; i++) st(SS_INV, i * gN + i, 1.0);
  if (!solve(MAT, SS_INV, gN, gN)) return false;
  for (let i = 0; i < gN; i++) {
    let u = 0.0;
    for (let j = 0; j < gN; j++) u += Math.abs(ld(SS_INV, i * gN + j)) * mapNoise(j, perCycle);
    if (!(u <= factor * mapNoise(i, perCycle))) return false;
  }
  return true;
}

/** The integrator's resolution of state i of the cycle map at XS: rtol of the state plus a cycle's input, and atol. */
function mapNoise(i: i32, perCycle: f64): f64 {
  return gRtol * (Math.abs(ld(XS, i)) + perCycle) + gAtol;
}

/**
 * How much farther than the map's own noise the best iterate's error (I − M')⁻¹·δ may reach: it is
 * taken because the map is noisy, so only where I − M' is well conditioned (1 − e^−5.52 for the
 * linear sawtooth: the error is δ).
 */
const SS_CONDITION: f64 = 10.0;

/**
 * Ok where one cycle from XS (into SSY) returns within what a periodic state leaves (as the residual
 * check in periodicNewton), SteadyStateNotReached where it does not, or the integration's failure.
 */
function freshResidual(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize, ssTol: f64, perCycle: f64): i32 {
  copy(SSY, XS, gN);
  st(HSTATE, 0, 0.0);
  const s = cyclePart(SSY, t, tau, cmt, amt, rate, tau, dur, p);
  if (s != Status.Ok) return s;
  for (let i = 0; i < gN; i++) {
    const r = ld(SSY, i) - ld(XS, i);
    if (!(Math.abs(r) <= SS_RESIDUAL * perCycle + ssTol * Math.abs(ld(X0, i)) + gAtol)) return Status.SteadyStateNotReached;
  }
  return Status.Ok;
}

/** SSB = I − M'(XS) by differences of the cycle map, SSY holding M(XS) (see periodicNewton for the step). */
function cycleDifferences(t: f64, cmt: i32, amt: f64, rate: f64, tau: f64, dur: f64, p: usize): i32 {
  let scale = 0.0;
  for (let i = 0; i < gN; i++) scale = Math.max(scale, Math.max(Math.abs(ld(XS, i)), Math.abs(ld(SSY, i))));
  if (scale == 0.0) scale = 1.0;
  for (let j = 0; j < gN; j++) {
    const h = 1e-2 * Math.max(Math.abs(ld(XS, j)), scale);
    copy(SSP, XS, gN);
    st(SSP, j, ld(XS, j) + h);
    st(HSTATE, 0, 0.0);
    const s = cyclePart(SSP, t, tau, cmt, amt, rate, tau, dur, p);
    if (s != Status.Ok) return s;
    for (let i = 0; i < gN; i++) st(SSB, i * gN + j, (i == j ? 1.0 : 0.0) - (ld(SSP, i) - ld(SSY, i)) / h);
  }
  return Status.Ok;
}

/**
 * A Newton step below SS_NOISE·rtol of the cycle's scale (the state plus one cycle's input) is
 * within the integrator's own error, where the map's value, and so the step, may jump between
 * nearby iterates. A switch the solver cannot stop at inside the cycle (a `floor` of t: the
 * elimination of a 24-h sawtooth, dosed q24h at t = 5) made DOP853's map jump by up to 1.5e-7 mg
 * at a trough of 0.4 mg after a 100-mg dose (rtol 1e-8): Newton's steps never fell below ssTol
 * (1e-10 of 0.4 mg) in 60 iterations, and the dose was refused as having no steady state (there
 * is one: 100.402196 mg at the dose). Taken only after the iterations run out without reaching
 * ssTol, so a steady state that converges is the same bits as before.
 */
const SS_NOISE: f64 = 1.0;

/** Largest residual of the cycle map at a periodic state, per unit of one cycle's input (besides ssTol of the baseline state). */
const SS_RESIDUAL: f64 = 1e-6;
/** Largest state of a periodic state, in cycles' inputs (plus its baseline): a million doses on board is none. */
const SS_BOUND: f64 = 1e6;

/** Iterations of a cold start whose B comes from the linearized model (then Broyden's updates). */
const LINEARIZE_ITERS: i32 = 2;

/**
 * SSB = I − exp(J·τ) with J the model's Jacobian at SSY (the image of the current iterate), or false
 * (non-finite, or more states than the exponential takes) for differences instead.
 */
function linearizedCycle(t: f64, p: usize, tau: f64): bool {
  if (gN > EXPM_N) return false;
  jac(gKind, gNcmt, gDepot, t, SSY, p, MAT);
  const nn = gN * gN;
  for (let i = 0; i < nn; i++) {
    const v = ld(MAT, i) * tau;
    if (!isFinite(v)) return false;
    st(MAT, i, v);
  }
  if (isMetzler(MAT, gN)) expmNonneg(SSB, MAT, gN);
  else expmGeneral(SSB, MAT, gN);
  for (let i = 0; i < gN; i++)
    for (let j = 0; j < gN; j++) {
      const v = (i == j ? 1.0 : 0.0) - ld(SSB, i * gN + j);
      if (!isFinite(v)) return false;
      st(SSB, i * gN + j, v);
    }
  return true;
}

/**
 * The constant infusion's steady state into XS: the equilibrium 0 = f(x) + R that the infusion
 * running from the initial state X0 settles at. Newton's method from X0 finds it for a model linear
 * in its states (one step) and for most non-linear ones; where the model has a second, non-physical
 * root it may find that instead: full TMDD (KDEG = KSYN = 0.02) at RATE 0.2 went to A −0.206,
 * R −2.677, P 0.368, from which the integration after it failed ("step size fell below its
 * floor"), where the infusion settles at A 1.456, R 0.0934, P 0.0907. Newton's root is kept when
 * every state that starts ≥ 0 ends ≥ 0 (bitwise the result it always gave there); otherwise the
 * equilibrium is followed from X0 by pseudo-transient continuation (ptcSteadyState) and polished by
 * Newton. None found: SteadyStateNotReached (a Michaelis–Menten infusion above VMAX has no
 * equilibrium: the amount grows without bound).
 */
function newtonSteadyState(t: f64, p: usize): i32 {
  copy(XS, X0, gN);
  for (let i = 0; i < gN; i++) store<u8>(FREE + <usize>i, ld(X0, i) < 0.0 ? 1 : 0);
  const s = newtonFrom(t, p);
  if (s == Status.Ok && inDomain(XS)) return withinReach();
  copy(XS, X0, gN);
  const c = ptcSteadyState(t, p);
  // Newton's own verdict where it had one (a singular Jacobian: no elimination)
  if (c != Status.Ok) return s != Status.Ok && s != Status.NonFinite ? s : c;
  const n = newtonFrom(t, p);
  if (n != Status.Ok) return n == Status.NonFinite ? Status.SteadyStateNotReached : n;
  return inDomain(XS) ? withinReach() : Status.SteadyStateNotReached;
}

/**
 * Ok, or SteadyStateNotReached for an "equilibrium" the infusion would take more than SS_FILL time
 * units to fill: Michaelis–Menten at RATE = VMAX (CL 0) has none, and Newton stopped at
 * 2.7e18 mg for 50 mg/h, where the saturated elimination falls short of the rate by 2e-15 mg/h,
 * below the rounding of the rate. The undosed equilibrium (no input) has no such scale: kept.
 */
function withinReach(): i32 {
  let input = 0.0;
  for (let i = 0; i < gN; i++) input += Math.abs(ld(SSR, i));
  if (input == 0.0) return Status.Ok;
  let base = 0.0;
  for (let i = 0; i < gN; i++) base = Math.max(base, Math.abs(ld(X0, i)));
  for (let i = 0; i < gN; i++) if (Math.abs(ld(XS, i)) > SS_FILL * input + SS_BOUND * base) return Status.SteadyStateNotReached;
  return Status.Ok;
}

/**
 * Time units of the input beyond which an amount at steady state is none (1e12 h is 1e8 years; a
 * linear elimination as slow as CL/V = 1e-10 /h still fills in 1e10).
 */
const SS_FILL: f64 = 1e12;

/** Newton's method on f(x) + R = 0 from XS, with the model's analytic Jacobian. */
function newtonFrom(t: f64, p: usize): i32 {
  for (let it = 0; it < 100; it++) {
    rhs(gKind, gNcmt, gDepot, t, XS, p, SSR, TMP);
    jac(gKind, gNcmt, gDepot, t, XS, p, MAT);
    let big = 0.0;
    for (let i = 0; i < gN; i++) {
      st(TMP, i, -ld(TMP, i));
      big = Math.max(big, Math.abs(ld(XS, i)));
    }
    if (!solve(MAT, TMP, gN, 1)) return Status.SingularSteadyState;
    let step = 0.0;
    for (let i = 0; i < gN; i++) {
      st(XS, i, ld(XS, i) + ld(TMP, i));
      step = Math.max(step, Math.abs(ld(TMP, i)));
    }
    if (!isFinite(step)) return Status.NonFinite;
    if (step <= 1e-13 * Math.max(1.0, big)) return Status.Ok;
  }
  return Status.SteadyStateNotReached;
}

/**
 * Whether x keeps every state that starts ≥ 0 (an amount), and that the path from X0 has not shown
 * to be signed (FREE), at ≥ 0, but for rounding against the largest state: a state the infusion
 * does not reach ends at ±1e-17, not below it.
 */
function inDomain(x: usize): bool {
  let big = 0.0;
  for (let i = 0; i < gN; i++) big = Math.max(big, Math.abs(ld(x, i)));
  for (let i = 0; i < gN; i++) if (load<u8>(FREE + <usize>i) == 0 && ld(x, i) < -DOMAIN_SLACK * big) return false;
  return true;
}

/** Rounding allowed below 0 in a state that starts ≥ 0, relative to the largest state. */
const DOMAIN_SLACK: f64 = 1e-9;
/** Pseudo-transient steps before giving up (Δt at least doubles per accepted one, up to Newton's). */
const PTC_MAX: i32 = 400;
/** Δt·‖J‖ beyond which a pseudo-transient step is Newton's (1/Δt below rounding of J). */
const PTC_NEWTON: f64 = 1e12;
/** Fraction of the first Δt down to which a step that crosses 0 is retried before the crossing is the model's own. */
const PTC_FLOOR: f64 = 1e-9;
/** Whether state i may go below 0 (set where the path from X0 itself crosses 0). */
const FREE = memory.data(MAX_STATES, 16);
/** The residual f(x) + R at the current and at the trial iterate of the pseudo-transient steps. */
const SSF = memory.data(8 * MAX_STATES, 16);
const SSG = memory.data(8 * MAX_STATES, 16);

/**
 * Pseudo-transient continuation from XS towards 0 = f(x) + R: (I/Δt − J)·δ = f(x) + R, x ← x + δ,
 * backward Euler with Δt growing as the residual falls (switched evolution relaxation), so that the
 * iterates follow the infusion's path from X0 and become Newton's steps once Δt·‖J‖ reaches
 * PTC_NEWTON. The equilibrium it settles at is the one the infusion reaches, where Newton's first
 * root need not be. A step that takes a state that starts ≥ 0 below 0 is retried with Δt/4:
 * backward Euler keeps a positive (Metzler) system ≥ 0 for every small Δt, so a crossing that
 * persists down to PTC_FLOOR of the first Δt is the model's own (a state of a model text that is
 * not an amount) and is let through. Ok with XS within 1e-8 of the equilibrium (Newton polishes
 * it), or SteadyStateNotReached.
 */
function ptcSteadyState(t: f64, p: usize): i32 {
  rhs(gKind, gNcmt, gDepot, t, XS, p, SSR, SSF);
  jac(gKind, gNcmt, gDepot, t, XS, p, MAT);
  let jnorm = matNorm(MAT);
  // the first step resolves the fastest rate of the model at X0
  const dt0 = jnorm > 0.0 && isFinite(jnorm) ? 1e-2 / jnorm : 1e-2;
  let dt = dt0;
  let rOld = norm(SSF);
  if (!isFinite(rOld)) return Status.SteadyStateNotReached;
  for (let it = 0; it < PTC_MAX; it++) {
    if (rOld == 0.0) return Status.Ok;
    jac(gKind, gNcmt, gDepot, t, XS, p, MAT);
    jnorm = matNorm(MAT);
    if (!isFinite(jnorm)) return Status.SteadyStateNotReached;
    const newton = jnorm > 0.0 && dt * jnorm >= PTC_NEWTON;
    if (newton) dt = PTC_NEWTON / jnorm;
    for (let i = 0; i < gN * gN; i++) st(MAT, i, -ld(MAT, i));
    for (let i = 0; i < gN; i++) st(MAT, i * gN + i, ld(MAT, i * gN + i) + 1.0 / dt);
    copy(SSD, SSF, gN);
    const singular = !solve(MAT, SSD, gN, 1);
    let crossed = singular;
    let big = 0.0;
    let step = 0.0;
    if (!crossed)
      for (let i = 0; i < gN; i++) {
        const a = ld(XS, i) + ld(SSD, i);
        st(SSP, i, a);
        big = Math.max(big, Math.abs(a));
        step = Math.max(step, Math.abs(ld(SSD, i)));
        if (!isFinite(a)) crossed = true;
        else if (load<u8>(FREE + <usize>i) == 0 && a < -DOMAIN_SLACK * Math.abs(ld(XS, i))) crossed = true;
      }
    let rNew = Infinity;
    if (!singular && finiteAt(SSP)) {
      rhs(gKind, gNcmt, gDepot, t, SSP, p, SSR, SSG);
      rNew = norm(SSG);
    }
    if (!isFinite(rNew)) crossed = true;
    if (crossed) {
      if (dt * 0.25 >= PTC_FLOOR * dt0) {
        dt *= 0.25;
        continue;
      }
      if (singular || !finiteAt(SSP) || !isFinite(rNew)) return Status.SteadyStateNotReached;
      for (let i = 0; i < gN; i++) if (ld(SSP, i) < 0.0) store<u8>(FREE + <usize>i, 1);
    }
    copy(XS, SSP, gN);
    copy(SSF, SSG, gN);
    if (newton && step <= 1e-8 * big) return Status.Ok;
    // switched evolution relaxation: Δt grows as the residual falls, and at least doubles per step
    // (a residual that stays flat while the states move — a slow mode — holds no step back)
    dt *= Math.max(2.0, Math.min(1e3, rNew > 0.0 ? rOld / rNew : 1e3));
    rOld = rNew;
  }
  return Status.SteadyStateNotReached;
}

/** Largest |a_ij| of the gN × gN matrix at a. */
function matNorm(a: usize): f64 {
  let m = 0.0;
  for (let i = 0; i < gN * gN; i++) m = Math.max(m, Math.abs(ld(a, i)));
  return m;
}

/** Largest |x_i| of the n = gN doubles at x. */
function norm(x: usize): f64 {
  let m = 0.0;
  for (let i = 0; i < gN; i++) m = Math.max(m, Math.abs(ld(x, i)));
  return m;
}

/** Changes cmt's zero-order input by dr (an infusion starts or ends). */
function addRate(cmt: i32, dr: f64): void {
  const r0 = ld(RATE, cmt);
  let r1 = r0 + dr;
  // an infusion's own end cancels its start; round-off must not leave a tiny residual input
  if (Math.abs(r1) <= 1e-12 * Math.max(Math.abs(r0), Math.abs(dr))) r1 = 0.0;
  st(RATE, cmt, r1);
  ratesOn = hasAnyRate(RATE);
}

function stateFinite(): bool {
  return finiteAt(X);
}

function finiteAt(x: usize): bool {
  for (let i = 0; i < gN; i++) if (!isFinite(ld(x, i))) return false;
  return true;
}

/**
 * Writes output row `row`: the model's observation, or — for an observation record naming another
 * compartment (cmt ≥ 0) — that compartment's amount times `factor` (1/S of that compartment).
 */
function writeRow(row: i32, p: usize, outObs: usize, outAmt: usize, cmt: i32, factor: f64): void {
  // amount/scale needs no model dispatch (ObsMode.Amount, the common case)
  const mode = ld(p, P.obsMode);
  const v = cmt >= 0 ? ld(X, cmt) * factor : mode == <f64>ObsMode.Amount ? ld(X, <i32>ld(p, P.obsIndex)) / ld(p, P.scale) : observe(gKind, gNcmt, gDepot, X, p);
  st(outObs, row, v);
  if (outAmt != 0) copy(outAmt + <usize>(row * gN) * 8, X, gN);
}

// where exactObsRun left the walk: the event after the run, and the time reached
let runNext: i32 = 0;
let runT: f64 = 0.0;

/**
 * A run of observations under one parameter set, propagated exactly: for each row what advance() and
 * writeRow() do, bitwise, without the work they repeat per row: the parameter set is loaded at the
 * run's first step, its observation mode read once, and the Φ/Γ slot looked up when the step length
 * changes (the inputs cannot change inside a run). Returns the status; the walk goes on at event
 * runNext, time runT.
 */
function exactObsRun(
  e: i32, e1: i32, t: f64, pi: i32, p: usize, ob: i32,
  evTime: usize, evType: usize, evCmt: usize, evAmt: usize, evPar: usize, evOut: usize,
  outObs: usize, outAmt: usize,
): i32 {
  const amountMode = ld(p, P.obsMode) == <f64>ObsMode.Amount;
  const idx = amountMode ? <i32>ld(p, P.obsIndex) : 0;
  const scale = ld(p, P.scale);
  let status: i32 = Status.Ok;
  let loaded = false;
  let n = 0;
  let rin: usize = 0;
  let hasIn = false;
  // the step length phi/gam belong to; NaN matches no step, so a NaN step is looked up every time, as slotFor does
  let slotDt: f64 = NaN;
  let phi: usize = 0;
  let gam: usize = 0;
  do {
    const te = ld(evTime, e);
    if (!(te <= t)) {
      if (!loaded) {
        if (!loadExact(p)) {
          status = Status.NonFinite;
          break;
        }
        loaded = true;
        n = linearSize();
        hasIn = ratesOn || linearHasConst();
        rin = linearInput(RATE, ratesOn);
      }
      const dt = te - t;
      if (dt != slotDt) {
        if (linearLossy(dt)) {
          status = Status.ExactLossy;
          break;
        }
        const s = linearStepSlot(dt, RATE, ratesOn);
        phi = linearSlotPhi(s);
        gam = linearSlotGam(s);
        slotDt = dt;
      }
      propagate(X, phi, gam, rin, hasIn, n, TMP);
    }
    t = te;
    const row = ob + load<i32>(evOut + (<usize>e << 2));
    const cmt = load<i32>(evCmt + (<usize>e << 2));
    st(outObs, row, cmt >= 0 ? ld(X, cmt) * ld(evAmt, e) : amountMode ? ld(X, idx) / scale : observe(gKind, gNcmt, gDepot, X, p));
    if (outAmt != 0) copy(outAmt + <usize>(row * gN) * 8, X, gN);
    e++;
  } while (e < e1 && load<i32>(evType + (<usize>e << 2)) == Ev.Obs && load<i32>(evPar + (<usize>e << 2)) == pi);
  runNext = e;
  runT = t;
  return status;
}

function failRows(s: i32, e0: i32, e1: i32, evType: usize, evOut: usize, outBase: usize, outObs: usize, outAmt: usize): void {
  const base = load<i32>(outBase + (<usize>s << 2));
  for (let e = e0; e < e1; e++) {
    if (load<i32>(evType + (<usize>e << 2)) != Ev.Obs) continue;
    const row = base + load<i32>(evOut + (<usize>e << 2));
    st(outObs, row, NaN);
    if (outAmt != 0) for (let i = 0; i < gN; i++) st(outAmt, row * gN + i, NaN);
  }
}

/** Largest dose amount, or infusion rate × one time unit, below which atol is scaled down. */
const ATOL_DOSE_SCALE: f64 = 1e-9;

/**
 * The absolute tolerance for one subject: atol, or ATOL_DOSE_SCALE × the subject's dose scale if
 * smaller. atol is in amount units; with small doses (or a long infusion at a tiny rate) the
 * amounts are within a few hundred atol of zero and the error control would accept errors of
 * atol/amount (1e-3 of the peak measured for 1e4-h infusions of 1e-6 units/h): the tolerance
 * must follow the amounts. Doses ≥ 0.1 units keep the given atol unchanged (default 1e-10).
 */
function subjectAtol(atol: f64, e0: i32, e1: i32, evType: usize, evAmt: usize, evRate: usize): f64 {
  let scale = 0.0;
  for (let e = e0; e < e1; e++) {
    const type = load<i32>(evType + (<usize>e << 2));
    if (type == Ev.Bolus || type == Ev.SteadyState || type == Ev.SteadyStateAdd) scale = Math.max(scale, Math.abs(ld(evAmt, e)));
    if (type == Ev.Rate || type == Ev.SteadyState || type == Ev.SteadyStateAdd) scale = Math.max(scale, Math.abs(ld(evRate, e)));
  }
  return scale > 0.0 ? Math.min(atol, ATOL_DOSE_SCALE * scale) : atol;
}

/**
 * Simulates nSubj subjects. Subject s walks events evStart[s]..evEnd[s]-1 (tables may be shared
 * between subjects), reads parameter set parBase[s] + evPar[e] (PAR_STRIDE doubles each) for the
 * advance that ends at event e (NOCB/LOCF is decided when the table is built), and writes output
 * row outBase[s] + evOut[e] for each Obs event. Returns the number of subjects whose status ≠ Ok.
 */
export function simulateBatch(
  kind: i32, ncmt: i32, depot: i32, method: i32, nSubj: i32,
  evStart: usize, evEnd: usize,
  evTime: usize, evType: usize, evCmt: usize, evAmt: usize, evRate: usize, evIi: usize, evDur: usize,
  evPhase: usize, evN: usize, evPar: usize, evOut: usize,
  parBase: usize, par: usize, outBase: usize, outObs: usize, outAmt: usize,
  rtol: f64, atol: f64, ssTol: f64, ssMaxIter: i32, ssWarm: i32, statusOut: usize,
): i32 {
  gWarm = ssWarm != 0 && method != Method.Analytic;
  warmSet = false;
  gKind = kind;
  gNcmt = ncmt;
  gDepot = depot;
  gMethod = method;
  gRtol = rtol;
  gAtol = atol;
  gN = nStates(kind, ncmt, depot);
  linearInvalidate();
  let failed = 0;
  if (gN <= 0 || (method == Method.Analytic && kind != Kind.Linear && !(kind == Kind.User && userLinear()))) {
    for (let s = 0; s < nSubj; s++) store<i32>(statusOut + (<usize>s << 2), Status.BadModel);
    return nSubj;
  }
  // subjects that share one event table are walked up to four at a time where an explicit method
  // integrates them (odeSegmentLanes, one f64x2 lane each): each is bitwise what it is alone
  const groups = method != Method.Analytic && method != Method.Rosenbrock;
  let aloneUntil = 0;
  for (let s = 0; s < nSubj; s++) {
    const e0 = load<i32>(evStart + (<usize>s << 2));
    const e1 = load<i32>(evEnd + (<usize>s << 2));
    let m = 1;
    if (groups && s >= aloneUntil) while (m < GROUP_MAX && s + m < nSubj && load<i32>(evStart + (<usize>(s + m) << 2)) == e0 && load<i32>(evEnd + (<usize>(s + m) << 2)) == e1) m++;
    if (m > 1) {
      const atolG = subjectAtol(atol, e0, e1, evType, evAmt, evRate);
      gAtol = atolG;
      if (walkGroup(s, m, e0, e1, evTime, evType, evCmt, evAmt, evRate, evIi, evDur, evPhase, evN, evPar, evOut, parBase, par, outBase, outObs, outAmt, rtol, atolG, ssTol, ssMaxIter)) {
        for (let j = 0; j < m; j++) store<i32>(statusOut + (<usize>(s + j) << 2), Status.Ok);
        s += m - 1;
        continue;
      }
      // a failure: the group's subjects are walked again alone, so their rows and statuses are the per-subject walker's
      aloneUntil = s + m;
    }
    const pb = load<i32>(parBase + (<usize>s << 2));
    const ob = load<i32>(outBase + (<usize>s << 2));
    let status: i32 = Status.Ok;
    zero(RATE, gN);
    ratesOn = false;
    st(HSTATE, 0, 0.0);
    resetStiffness();
    const atolS = method == Method.Analytic ? atol : subjectAtol(atol, e0, e1, evType, evAmt, evRate);
    gAtol = atolS;
    if (e1 > e0) {
      const p0 = par + <usize>((pb + load<i32>(evPar + (<usize>e0 << 2))) * PAR_STRIDE) * 8;
      initState(kind, ncmt, depot, p0, X);
    }
    let t = e1 > e0 ? ld(evTime, e0) : 0.0;
    let e = e0;
    while (e < e1 && status == Status.Ok) {
      const pi = load<i32>(evPar + (<usize>e << 2));
      const p = par + <usize>((pb + pi) * PAR_STRIDE) * 8;
      const type = load<i32>(evType + (<usize>e << 2));
      const te = ld(evTime, e);
      if (type == Ev.Obs && method != Method.Analytic) {
        // a run of observations under one parameter set: one integration with dense output
        let j = e + 1;
        while (j < e1 && j - e < OBS_RUN && load<i32>(evType + (<usize>j << 2)) == Ev.Obs && load<i32>(evPar + (<usize>j << 2)) == pi) j++;
        const nObs = j - e;
        const tLast = ld(evTime, j - 1);
        status = odeSegment(method, kind, ncmt, depot, X, t, tLast, p, ratesOn ? RATE : 0, evTime + (<usize>e << 3), nObs, OBSY, rtol, atolS, HSTATE);
        if (status != Status.Ok) break;
        // X now holds the state at tLast; write every row from its dense-output state
        copy(TMP, X, gN);
        for (let k = 0; k < nObs; k++) {
          copy(X, OBSY + <usize>(k * gN) * 8, gN);
          writeRow(ob + load<i32>(evOut + (<usize>(e + k) << 2)), p, outObs, outAmt, load<i32>(evCmt + (<usize>(e + k) << 2)), ld(evAmt, e + k));
        }
        copy(X, TMP, gN);
        t = tLast;
        e = j;
        continue;
      }
      if (type == Ev.Obs) {
        // exact propagation: the run row by row, its per-row lookups done once
        status = exactObsRun(e, e1, t, pi, p, ob, evTime, evType, evCmt, evAmt, evPar, evOut, outObs, outAmt);
        if (status != Status.Ok) break;
        t = runT;
        e = runNext;
        continue;
      }
      status = advance(X, t, te, p, RATE);
      if (status != Status.Ok) break;
      t = te;
      const cmt = load<i32>(evCmt + (<usize>e << 2));
      if (type == Ev.Bolus) {
        st(X, cmt, ld(X, cmt) + ld(evAmt, e));
      } else if (type == Ev.Rate) {
        addRate(cmt, ld(evRate, e));
      } else if (type == Ev.Reset) {
        if (!stateFinite()) status = Status.NonFinite;
        initState(kind, ncmt, depot, p, X);
        zero(RATE, gN);
        ratesOn = false;
        st(HSTATE, 0, 0.0);
      } else if (type == Ev.SteadyState || type == Ev.SteadyStateAdd) {
        const rate = ld(evRate, e);
        subjectIndex = s;
        eventIndex = e - e0;
        status = steadyState(t, cmt, ld(evAmt, e), rate, ld(evIi, e), ld(evDur, e), ld(evPhase, e), p, ssTol, ssMaxIter, type == Ev.SteadyStateAdd);
        if (status != Status.Ok) break;
        const active = load<i32>(evN + (<usize>e << 2));
        if (active > 0) st(RATE, cmt, ld(RATE, cmt) + rate * <f64>active);
        ratesOn = hasAnyRate(RATE);
        st(HSTATE, 0, 0.0);
      }
      e++;
    }
    // NaN and ∞ persist through every later step (only a reset clears them, checked there),
    // so one check at the end of the subject catches them all
    if (status == Status.Ok && !stateFinite()) status = Status.NonFinite;
    store<i32>(statusOut + (<usize>s << 2), status);
    if (status != Status.Ok) {
      failed++;
      failRows(s, e0, e1, evType, evOut, outBase, outObs, outAmt);
    }
  }
  return failed;
}

// the subjects of a group: their states, warm starts and dense-output rows
const GROUP_MAX: i32 = 4;
const GROUP_X = memory.data(8 * MAX_STATES * GROUP_MAX, 16);
const GROUP_H = memory.data(8 * GROUP_MAX, 16);
const GROUP_OBS = memory.data(8 * OBS_RUN * MAX_STATES * GROUP_MAX, 16);

// @ts-ignore: decorator
@inline
function groupX(g: i32): usize {
  return GROUP_X + <usize>(g * MAX_STATES * 8);
}
// @ts-ignore: decorator
@inline
function groupObs(g: i32): usize {
  return GROUP_OBS + <usize>(g * OBS_RUN * MAX_STATES * 8);
}

// @ts-ignore: decorator
@inline
function parAt(par: usize, set: i32): usize {
  return par + <usize>(set * PAR_STRIDE) * 8;
}

/**
 * Subjects s … s + m − 1 (m ≤ GROUP_MAX), which walk the same events e0..e1, walked together as
 * simulateBatch walks one: each ODE segment integrates all of them (odeSegmentLanes), doses and
 * inputs apply to all, and a steady state is found for each in turn, in subject order (so a batch's
 * warm start comes from its first subject, as when they are walked one by one). True when all ended
 * Ok, their rows written; false when any failed.
 */
function walkGroup(
  s: i32, m: i32, e0: i32, e1: i32, evTime: usize, evType: usize, evCmt: usize, evAmt: usize, evRate: usize,
  evIi: usize, evDur: usize, evPhase: usize, evN: usize, evPar: usize, evOut: usize,
  parBase: usize, par: usize, outBase: usize, outObs: usize, outAmt: usize, rtol: f64, atol: f64, ssTol: f64, ssMaxIter: i32,
): bool {
  zero(RATE, gN);
  ratesOn = false;
  resetStiffness();
  for (let j = 0; j < m; j++) st(GROUP_H, j, 0.0);
  if (e1 <= e0) return true;
  const pi0 = load<i32>(evPar + (<usize>e0 << 2));
  for (let j = 0; j < m; j++) initState(gKind, gNcmt, gDepot, parAt(par, load<i32>(parBase + (<usize>(s + j) << 2)) + pi0), groupX(j));
  let t = ld(evTime, e0);
  let e = e0;
  while (e < e1) {
    const pi = load<i32>(evPar + (<usize>e << 2));
    const type = load<i32>(evType + (<usize>e << 2));
    const te = ld(evTime, e);
    if (type == Ev.Obs) {
      let j = e + 1;
      while (j < e1 && j - e < OBS_RUN && load<i32>(evType + (<usize>j << 2)) == Ev.Obs && load<i32>(evPar + (<usize>j << 2)) == pi) j++;
      const nObs = j - e;
      const tLast = ld(evTime, j - 1);
      for (let g = 0; g < m; g++) setSubject(g, groupX(g), parAt(par, load<i32>(parBase + (<usize>(s + g) << 2)) + pi), groupObs(g), GROUP_H + (<usize>g << 3));
      odeSegmentLanes(m, gMethod, gKind, gNcmt, gDepot, t, tLast, ratesOn ? RATE : 0, evTime + (<usize>e << 3), nObs, rtol, atol);
      for (let g = 0; g < m; g++) if (subjectStatus(g) != Status.Ok) return false;
      for (let g = 0; g < m; g++) {
        const p = parAt(par, load<i32>(parBase + (<usize>(s + g) << 2)) + pi);
        const ob = load<i32>(outBase + (<usize>(s + g) << 2));
        for (let k = 0; k < nObs; k++) {
          copy(X, groupObs(g) + <usize>(k * gN) * 8, gN);
          writeRow(ob + load<i32>(evOut + (<usize>(e + k) << 2)), p, outObs, outAmt, load<i32>(evCmt + (<usize>(e + k) << 2)), ld(evAmt, e + k));
        }
      }
      t = tLast;
      e = j;
      continue;
    }
    if (te > t) {
      for (let g = 0; g < m; g++) setSubject(g, groupX(g), parAt(par, load<i32>(parBase + (<usize>(s + g) << 2)) + pi), 0, GROUP_H + (<usize>g << 3));
      odeSegmentLanes(m, gMethod, gKind, gNcmt, gDepot, t, te, ratesOn ? RATE : 0, 0, 0, rtol, atol);
      for (let g = 0; g < m; g++) if (subjectStatus(g) != Status.Ok) return false;
    }
    t = te;
    const cmt = load<i32>(evCmt + (<usize>e << 2));
    if (type == Ev.Bolus) {
      for (let g = 0; g < m; g++) {
        const x = groupX(g);
        st(x, cmt, ld(x, cmt) + ld(evAmt, e));
      }
    } else if (type == Ev.Rate) {
      addRate(cmt, ld(evRate, e));
    } else if (type == Ev.Reset) {
      for (let g = 0; g < m; g++) {
        if (!finiteAt(groupX(g))) return false;
        initState(gKind, gNcmt, gDepot, parAt(par, load<i32>(parBase + (<usize>(s + g) << 2)) + pi), groupX(g));
        st(GROUP_H, g, 0.0);
      }
      zero(RATE, gN);
      ratesOn = false;
    } else if (type == Ev.SteadyState || type == Ev.SteadyStateAdd) {
      const rate = ld(evRate, e);
      for (let g = 0; g < m; g++) {
        copy(X, groupX(g), gN);
        st(HSTATE, 0, ld(GROUP_H, g));
        selectLane(g);
        subjectIndex = s + g;
        eventIndex = e - e0;
        const r = steadyState(t, cmt, ld(evAmt, e), rate, ld(evIi, e), ld(evDur, e), ld(evPhase, e), parAt(par, load<i32>(parBase + (<usize>(s + g) << 2)) + pi), ssTol, ssMaxIter, type == Ev.SteadyStateAdd);
        selectLane(0);
        if (r != Status.Ok) return false;
        copy(groupX(g), X, gN);
        st(GROUP_H, g, 0.0);
      }
      const active = load<i32>(evN + (<usize>e << 2));
      if (active > 0) st(RATE, cmt, ld(RATE, cmt) + rate * <f64>active);
      ratesOn = hasAnyRate(RATE);
    }
    e++;
  }
  for (let g = 0; g < m; g++) if (!finiteAt(groupX(g))) return false;
  return true;
}

/**
 * Population fast path: many subjects of a linear model sharing ONE event table and one parameter
 * set each. Events are walked once and applied to every subject (loop interchange), with each
 * subject's Φ(dt), Γ(dt) precomputed for the table's few distinct step lengths, so the per-event
 * work per subject is one n×n propagation and no dispatch. Arithmetic is the same as
 * simulateBatch's (same propagate(), same steady-state code): results are bitwise equal.
 * dtIndex[e] indexes dts for the step ending at event e (−1: no step). work: SHARED_BLOCK·(n + nDt·(2n² + n)) f64.
 * kind: Kind.Linear, or Kind.User for a user model linear in its states (userLinear()).
 */
export function simulateShared(
  kind: i32, ncmt: i32, depot: i32, nSubj: i32, nEv: i32,
  evTime: usize, evType: usize, evCmt: usize, evAmt: usize, evRate: usize, evIi: usize, evDur: usize,
  evPhase: usize, evN: usize, evOut: usize,
  par: usize, nRows: i32, outObs: usize,
  nDt: i32, dts: usize, dtIndex: usize, work: usize,
  ssTol: f64, ssMaxIter: i32, statusOut: usize,
): i32 {
  gKind = kind;
  gNcmt = ncmt;
  gDepot = depot;
  gMethod = Method.Analytic;
  gWarm = false;
  const n = kind == Kind.Linear ? linearStates(ncmt, depot) : kind == Kind.User && userLinear() ? nStates(kind, ncmt, depot) : 0;
  gN = n;
  linearInvalidate();
  if (n <= 0) {
    for (let s = 0; s < nSubj; s++) store<i32>(statusOut + (<usize>s << 2), Status.BadModel);
    return nSubj;
  }
  let failed = 0;
  // blocks of subjects keep their states and output rows in cache while the events are walked
  for (let b0 = 0; b0 < nSubj; b0 += SHARED_BLOCK) {
    const b1 = min(nSubj, b0 + SHARED_BLOCK);
    failed += sharedBlock(n, b0, b1, nEv, evTime, evType, evCmt, evAmt, evRate, evIi, evDur, evPhase, evN, evOut, par, nRows, outObs, nDt, dts, dtIndex, work, ssTol, ssMaxIter, statusOut);
  }
  return failed;
}

// The population fast path walks subjects in pairs, one f64x2 lane each: element j of subject i of
// a block sits at pairAt(work, stride, i, j), next to the same element of its partner, so one
// 128-bit load gives both. Each lane does the scalar path's operations in its order (WASM has no
// fused multiply-add), so results stay bitwise the per-subject walker's.
@inline function pairAt(work: usize, stride: i32, i: i32, j: i32): usize {
  return work + <usize>((i >> 1) * 2 * stride + 2 * j + (i & 1)) * 8;
}

/** Copies len elements of block subject i from `from` on into dst (contiguous). */
function gatherLane(dst: usize, work: usize, stride: i32, i: i32, from: i32, len: i32): void {
  const src = pairAt(work, stride, i, from);
  for (let j = 0; j < len; j++) store<f64>(dst + (<usize>j << 3), load<f64>(src + (<usize>j << 4)));
}

/** Copies len contiguous values from src into block subject i's elements from `from` on. */
function scatterLane(work: usize, stride: i32, i: i32, from: i32, src: usize, len: i32): void {
  const dst = pairAt(work, stride, i, from);
  for (let j = 0; j < len; j++) store<f64>(dst + (<usize>j << 4), load<f64>(src + (<usize>j << 3)));
}

/** Per-subject scratch for the pair layout's setup: one step length's Φ, Γ and Γ·c. */
const PAIR_SETUP = memory.data(8 * (2 * MAX_STATES * MAX_STATES + MAX_STATES), 16);
const PAIR_TMP = memory.data(16 * MAX_STATES, 16);
const PAIR_X = memory.data(8 * MAX_STATES, 16);
/** Per pair of a block, both lanes' P.scale, where every subject observes one amount (see amountIndex). */
const PAIR_SCALE = memory.data(8 * SHARED_BLOCK, 16);

/** x ← Φ·x + Γ·RATE for both lanes of a pair (x, Φ, Γ interleaved); propagate()'s order of operations. */
@inline function propagatePair(x: usize, phi: usize, gam: usize, hasRate: bool, n: i32): void {
  if (n == 2) {
    const x0 = v128.load(x), x1 = v128.load(x, 16);
    let y0 = f64x2.add(f64x2.mul(v128.load(phi), x0), f64x2.mul(v128.load(phi, 16), x1));
    let y1 = f64x2.add(f64x2.mul(v128.load(phi, 32), x0), f64x2.mul(v128.load(phi, 48), x1));
    if (hasRate) {
      const r0 = f64x2.splat(load<f64>(RATE)), r1 = f64x2.splat(load<f64>(RATE, 8));
      y0 = f64x2.add(y0, f64x2.add(f64x2.mul(v128.load(gam), r0), f64x2.mul(v128.load(gam, 16), r1)));
      y1 = f64x2.add(y1, f64x2.add(f64x2.mul(v128.load(gam, 32), r0), f64x2.mul(v128.load(gam, 48), r1)));
    }
    v128.store(x, y0);
    v128.store(x, y1, 16);
    return;
  }
  for (let i = 0; i < n; i++) {
    let v = f64x2.splat(0.0);
    for (let k = 0; k < n; k++) v = f64x2.add(v, f64x2.mul(v128.load(phi + (<usize>(i * n + k) << 4)), v128.load(x + (<usize>k << 4))));
    if (hasRate) for (let k = 0; k < n; k++) v = f64x2.add(v, f64x2.mul(v128.load(gam + (<usize>(i * n + k) << 4)), f64x2.splat(ld(RATE, k))));
    v128.store(PAIR_TMP + (<usize>i << 4), v);
  }
  memory.copy(x, PAIR_TMP, <usize>n << 4);
}

function sharedBlock(
  n: i32, b0: i32, b1: i32, nEv: i32,
  evTime: usize, evType: usize, evCmt: usize, evAmt: usize, evRate: usize, evIi: usize, evDur: usize,
  evPhase: usize, evN: usize, evOut: usize,
  par: usize, nRows: i32, outObs: usize,
  nDt: i32, dts: usize, dtIndex: usize, work: usize,
  ssTol: f64, ssMaxIter: i32, statusOut: usize,
): i32 {
  // per subject: its state, then per step length Φ, Γ and the constant input's share Γ·c
  const stride = n + nDt * (2 * n * n + n);
  const m = b1 - b0;
  const pairs = (m + 1) >> 1;
  const user = gKind != Kind.Linear;
  // Γ's depot column costs a divided difference per rate; only an infusion into the depot needs it
  let depotInput = false;
  let anyInput = false;
  for (let e = 0; e < nEv; e++) {
    const type = load<i32>(evType + (<usize>e << 2));
    if ((type == Ev.Rate || type == Ev.SteadyState || type == Ev.SteadyStateAdd) && ld(evRate, e) != 0.0) {
      anyInput = true;
      if (gDepot != 0 && load<i32>(evCmt + (<usize>e << 2)) == 0) depotInput = true;
    }
  }
  // an odd block's last pair has an idle lane: zeros, never written out
  if (m & 1) for (let j = 0; j < stride; j++) store<f64>(pairAt(work, stride, m, j), 0.0);
  // whether any subject of the block has an affine model's constant input (Γ·c added per step)
  let blockConst = false;
  const blkLen = 2 * n * n + n;
  for (let s = b0; s < b1; s++) {
    const i = s - b0;
    const p = par + <usize>(s * PAR_STRIDE) * 8;
    let status: i32 = Status.Ok;
    if (!loadExact(p)) status = Status.NonFinite;
    if (user) initState(gKind, gNcmt, gDepot, p, TMP);
    else zero(TMP, n);
    scatterLane(work, stride, i, 0, TMP, n);
    // a user model's Γ (its own matrix exponential) only where an input needs it
    const withConst = user && status == Status.Ok && linearHasConst();
    if (withConst) blockConst = true;
    for (let k = 0; k < nDt; k++) {
      const blk = PAIR_SETUP;
      if (status == Status.Ok && linearLossy(ld(dts, k))) status = Status.ExactLossy;
      if (status == Status.Ok) {
        const dt = ld(dts, k);
        linearPhi(blk, dt);
        if (!user || anyInput || withConst) linearGamma(blk + <usize>(n * n) * 8, dt, depotInput);
        else zero(blk + <usize>(n * n) * 8, n * n);
        // Γ(dt)·c: one step from zero without inputs (zero for every mass-balance model without c)
        const gc = blk + <usize>(2 * n * n) * 8;
        zero(gc, n);
        if (withConst) linearAdvance(gc, dt, RATE, false, TMP);
      } else zero(blk, blkLen);
      scatterLane(work, stride, i, n + k * blkLen, blk, blkLen);
    }
    store<i32>(statusOut + (<usize>s << 2), status);
  }
  // the usual observation, an amount over its volume, in the same state for every subject: both lanes at once
  let amountIndex: i32 = -1;
  for (let s = b0; s < b1; s++) {
    const p = par + <usize>(s * PAR_STRIDE) * 8;
    // the mode first: other modes need not hold a state index in P.obsIndex
    if (ld(p, P.obsMode) != <f64>ObsMode.Amount) {
      amountIndex = -1;
      break;
    }
    const idx = <i32>ld(p, P.obsIndex);
    if (idx < 0 || idx >= n || (s > b0 && idx != amountIndex)) {
      amountIndex = -1;
      break;
    }
    amountIndex = idx;
    st(PAIR_SCALE, s - b0, ld(p, P.scale));
  }
  if (amountIndex >= 0 && (m & 1)) st(PAIR_SCALE, m, 1.0);
  zero(RATE, n);
  ratesOn = false;
  const pairBytes = <usize>(2 * stride) << 3;
  for (let e = 0; e < nEv; e++) {
    const k = load<i32>(dtIndex + (<usize>e << 2));
    if (k >= 0) {
      const phiOff = <usize>(n + k * blkLen) << 4;
      const gamOff = phiOff + (<usize>(n * n) << 4);
      const gcOff = phiOff + (<usize>(2 * n * n) << 4);
      for (let q = 0; q < pairs; q++) {
        const w = work + <usize>q * pairBytes;
        propagatePair(w, w + phiOff, w + gamOff, ratesOn, n);
        if (blockConst) for (let j = 0; j < n; j++) v128.store(w + (<usize>j << 4), f64x2.add(v128.load(w + (<usize>j << 4)), v128.load(w + gcOff + (<usize>j << 4))));
      }
    }
    const type = load<i32>(evType + (<usize>e << 2));
    const cmt = load<i32>(evCmt + (<usize>e << 2));
    if (type == Ev.Obs) {
      const row = load<i32>(evOut + (<usize>e << 2));
      if (cmt >= 0) {
        const f = f64x2.splat(ld(evAmt, e));
        const rowBytes = <usize>nRows << 3;
        let out = outObs + (<usize>(b0 * nRows + row) << 3);
        for (let q = 0; q < pairs; q++) {
          const y = f64x2.mul(v128.load(work + <usize>q * pairBytes + (<usize>cmt << 4)), f);
          store<f64>(out, f64x2.extract_lane(y, 0));
          if (2 * q + 1 < m) store<f64>(out + rowBytes, f64x2.extract_lane(y, 1));
          out += rowBytes << 1;
        }
      } else if (amountIndex >= 0) {
        const rowBytes = <usize>nRows << 3;
        const at = <usize>amountIndex << 4;
        let out = outObs + (<usize>(b0 * nRows + row) << 3);
        for (let q = 0; q < pairs; q++) {
          const y = f64x2.div(v128.load(work + <usize>q * pairBytes + at), v128.load(PAIR_SCALE + (<usize>q << 4)));
          store<f64>(out, f64x2.extract_lane(y, 0));
          if (2 * q + 1 < m) store<f64>(out + rowBytes, f64x2.extract_lane(y, 1));
          out += rowBytes << 1;
        }
      } else {
        for (let s = b0; s < b1; s++) {
          const p = par + <usize>(s * PAR_STRIDE) * 8;
          gatherLane(PAIR_X, work, stride, s - b0, 0, n);
          const mode = ld(p, P.obsMode);
          if (mode == <f64>ObsMode.Amount) st(outObs, s * nRows + row, ld(PAIR_X, <i32>ld(p, P.obsIndex)) / ld(p, P.scale));
          else if (user && mode == <f64>ObsMode.User) st(outObs, s * nRows + row, userObserve(PAIR_X, p));
          else st(outObs, s * nRows + row, observe(gKind, gNcmt, gDepot, PAIR_X, p));
        }
      }
    } else if (type == Ev.Bolus) {
      const amt = f64x2.splat(ld(evAmt, e));
      const at = <usize>cmt << 4;
      for (let q = 0; q < pairs; q++) {
        const w = work + <usize>q * pairBytes + at;
        v128.store(w, f64x2.add(v128.load(w), amt));
      }
    } else if (type == Ev.Rate) {
      addRate(cmt, ld(evRate, e));
    } else if (type == Ev.Reset) {
      for (let s = b0; s < b1; s++) {
        gatherLane(X, work, stride, s - b0, 0, n);
        if (!stateFinite()) store<i32>(statusOut + (<usize>s << 2), Status.NonFinite);
        if (user) initState(gKind, gNcmt, gDepot, par + <usize>(s * PAR_STRIDE) * 8, TMP);
        else zero(TMP, n);
        scatterLane(work, stride, s - b0, 0, TMP, n);
      }
      zero(RATE, n);
      ratesOn = false;
    } else if (type == Ev.SteadyState || type == Ev.SteadyStateAdd) {
      const rate = ld(evRate, e);
      for (let s = b0; s < b1; s++) {
        if (load<i32>(statusOut + (<usize>s << 2)) != Status.Ok) continue;
        const p = par + <usize>(s * PAR_STRIDE) * 8;
        gatherLane(X, work, stride, s - b0, 0, n);
        const st2 = steadyState(ld(evTime, e), cmt, ld(evAmt, e), rate, ld(evIi, e), ld(evDur, e), ld(evPhase, e), p, ssTol, ssMaxIter, type == Ev.SteadyStateAdd);
        if (st2 != Status.Ok) store<i32>(statusOut + (<usize>s << 2), st2);
        scatterLane(work, stride, s - b0, 0, X, n);
      }
      const active = load<i32>(evN + (<usize>e << 2));
      if (active > 0) st(RATE, cmt, ld(RATE, cmt) + rate * <f64>active);
      ratesOn = hasAnyRate(RATE);
    }
  }
  let failed = 0;
  for (let s = b0; s < b1; s++) {
    gatherLane(X, work, stride, s - b0, 0, n);
    let status = load<i32>(statusOut + (<usize>s << 2));
    if (status == Status.Ok && !stateFinite()) status = Status.NonFinite;
    store<i32>(statusOut + (<usize>s << 2), status);
    if (status != Status.Ok) {
      failed++;
      for (let r = 0; r < nRows; r++) st(outObs, s * nRows + r, NaN);
    }
  }
  return failed;
}
