// Subjects integrated side by side, one f64x2 lane each: a pair per f64x2, and under Dormand–Prince
// two pairs interleaved stage by stage (dop853-pair.ts, dopri5-pair.ts). They share a segment
// (times, inputs, observation times: subjects of one event table) but not their steps: each lane has its own step size, rejections, observations and stiffness tests, and
// does its scalar integrator's operations in their order, so each subject's result, status and
// counters are bitwise what the scalar integrator gives it alone (test/unit/ode-pair.test.ts).
// An explicit stage waits on the one before; a second subject in the other lane costs far less than
// the first, and a second pair fills the first one's waits (README: W-ode). Stage vectors are interleaved (element i of lane l at v + 16i + 8l); a
// lane that has finished rides along with a zero step.
import { Status, MAX_STATES, PAR_STRIDE } from "../abi";
import { rhs } from "../models/rhs";
import { pairRhsKind, rhsPair } from "../models/pair";
import { ld, st } from "../linalg";
import { MAX_STEPS, stepFloor, warmStart, liftStep, firstDerivative, AT_EQUILIBRIUM, finishSegment, initialStep, resetStiffRuns, log2Fast, exp2Fast, domainError } from "./control";

export const V2: i32 = MAX_STATES << 4; // an interleaved vector: both lanes
export const VEC: i32 = MAX_STATES << 3; // one lane's vector
// A pair's interleaved vectors, at these offsets from its block (pairBlock(q)); PP: both parameter
// sets interleaved (slot j at PP + 16j), for the two-lane right-hand sides.
export const K1: usize = <usize>(0 * V2);
export const K2: usize = <usize>(1 * V2);
export const K3: usize = <usize>(2 * V2);
export const K4: usize = <usize>(3 * V2);
export const K5: usize = <usize>(4 * V2);
export const K6: usize = <usize>(5 * V2);
export const K7: usize = <usize>(6 * V2);
export const K8: usize = <usize>(7 * V2);
export const K9: usize = <usize>(8 * V2);
export const K10: usize = <usize>(9 * V2);
export const K11: usize = <usize>(10 * V2);
export const K12: usize = <usize>(11 * V2);
export const K13: usize = <usize>(12 * V2);
export const YA: usize = <usize>(13 * V2);
export const YB: usize = <usize>(14 * V2);
export const YS: usize = <usize>(15 * V2);
export const PP: usize = <usize>(16 * V2);
const BLOCK: i32 = 16 * V2 + (PAR_STRIDE << 4);
/** Two pairs: up to four lanes integrated side by side (pairs interleaved stage by stage). */
const BLOCKS = memory.data(2 * BLOCK, 16);

// @ts-ignore: decorator
@inline
export function pairBlock(q: i32): usize {
  return BLOCKS + <usize>(q * BLOCK);
}

// a lane's own (contiguous) vectors: f0, the first-step probe, the continuous extension's stages
// and coefficients, and a right-hand side's argument and result where the kind has no two-lane one
export const F0: i32 = 0;
export const Y1: i32 = 1;
export const F1: i32 = 2;
export const DY: i32 = 3;
export const K14: i32 = 4;
export const K15: i32 = 5;
export const K16: i32 = 6;
export const R1: i32 = 7; // R1..R7 in 7..13
export const GY: i32 = 14;
export const GF: i32 = 15;
const OWN: i32 = 16;
const OWN_ALL: usize = memory.data(4 * VEC * OWN, 16);

// @ts-ignore: decorator
@unmanaged
export class Lane {
  y: usize;
  p: usize;
  obsY: usize;
  hState: usize;
  own: usize;
  g: usize; // its pair's block
  off: usize; // 0 or 8: the lane within an interleaved vector
  t: f64;
  tn: f64;
  h: f64;
  hWanted: f64;
  hProposal: f64;
  lgFacoldB: f64;
  hNext: f64; // the controller's proposal after an accepted step (decide())
  err: f64; // the step's error (errors())
  num: f64; // |f(y1) − f(ỹ)|² and |y1 − ỹ|² (stabilityMeasure())
  den: f64;
  kObs: i32;
  nacc: i32;
  nrej: i32;
  nfev: i32;
  status: i32;
  stiffRun: i32; // stiffAfter()'s two counters, in this order
  calmRun: i32;
  limitedRun: i32;
  last: bool;
  reject: bool;
  sawNonFinite: bool;
  active: bool;
  finish: bool;
}

const LANE_BYTES: i32 = (offsetof<Lane>() + 15) & ~15;
const LANES = memory.data(4 * LANE_BYTES, 16);
/** Per lane: the subject's state y, parameter set p, observation rows and warm start (setLaneInput). */
const LANE_IN = memory.data(4 * 16, 16);

/** Lane l (0–3; lanes 2q and 2q + 1 are pair q). */
// @ts-ignore: decorator
@inline
export function laneAt(l: i32): Lane {
  return changetype<Lane>(LANES + <usize>(l * LANE_BYTES));
}

/** What lane l integrates, for the next startLanes(). */
export function setLaneInput(l: i32, y: usize, p: usize, obsY: usize, hState: usize): void {
  const at = LANE_IN + (<usize>l << 4);
  store<u32>(at, <u32>y);
  store<u32>(at, <u32>p, 4);
  store<u32>(at, <u32>obsY, 8);
  store<u32>(at, <u32>hState, 12);
}

/** Element i of lane L of an interleaved vector. */
// @ts-ignore: decorator
@inline
export function lv(L: Lane, v: usize, i: i32): f64 {
  return load<f64>(L.g + v + L.off + (<usize>i << 4));
}
// @ts-ignore: decorator
@inline
export function setLv(L: Lane, v: usize, i: i32, x: f64): void {
  store<f64>(L.g + v + L.off + (<usize>i << 4), x);
}
/** One of the lane's own vectors. */
// @ts-ignore: decorator
@inline
export function own(L: Lane, which: i32): usize {
  return L.own + <usize>(which * VEC);
}

// @ts-ignore: decorator
@inline
function place(L: Lane, l: i32, kObs: i32): void {
  const at = LANE_IN + (<usize>l << 4);
  L.own = OWN_ALL + <usize>(l * VEC * OWN);
  L.g = pairBlock(l >> 1);
  L.off = <usize>((l & 1) << 3);
  L.y = <usize>load<u32>(at);
  L.p = <usize>load<u32>(at, 4);
  L.obsY = <usize>load<u32>(at, 8);
  L.hState = <usize>load<u32>(at, 12);
  L.kObs = kObs;
}

/** A lane's start, as the scalar integrator's: f at y, the first step (warm start or estimate for a method of this order), a fresh controller. */
function begin(kind: i32, ncmt: i32, depot: i32, n: i32, t0: f64, span: f64, rate: usize, nObs: i32, rtol: f64, atol: f64, order: f64, beta: f64, L: Lane): void {
  for (let i = 0; i < n; i++) setLv(L, YA, i, ld(L.y, i));
  L.t = t0;
  L.nfev = 1;
  L.nacc = 0;
  L.nrej = 0;
  L.finish = true;
  const f0 = own(L, F0);
  const status = firstDerivative(kind, ncmt, depot, n, t0, L.y, L.p, rate, f0, L.obsY, L.kObs, nObs);
  for (let i = 0; i < n; i++) setLv(L, K1, i, ld(f0, i));
  if (status == AT_EQUILIBRIUM) {
    L.status = Status.Ok;
    L.active = false;
    L.finish = false;
    return;
  }
  L.status = status;
  let h = warmStart(L.hState);
  if (status == Status.Ok && !(h > 0)) {
    h = initialStep(kind, ncmt, depot, n, t0, L.y, f0, L.p, rate, span, rtol, atol, order, own(L, Y1), own(L, F1));
    L.nfev++;
  }
  h = liftStep(h, t0, span);
  L.h = h;
  L.hProposal = h;
  L.lgFacoldB = beta * -13.287712379549449; // facold = 1e-4
  L.reject = false;
  L.sawNonFinite = false;
  resetStiffRuns(changetype<usize>(L) + offsetof<Lane>("stiffRun"));
  L.limitedRun = 0;
  L.active = status == Status.Ok;
}

/** A lane's next step length: the rest of the segment, or the end of the lane (step budget, step floor). */
// @ts-ignore: decorator
@inline
function prepare(L: Lane, t1: f64): void {
  if (!L.active) return;
  if (L.nacc + L.nrej >= MAX_STEPS) {
    L.status = Status.MaxSteps;
    L.active = false;
    return;
  }
  L.hWanted = L.h;
  L.last = false;
  if (L.t + 1.01 * L.h >= t1) {
    L.h = t1 - L.t;
    L.last = true;
  } else if (L.h < stepFloor(L.t)) {
    L.status = L.sawNonFinite ? Status.NonFinite : Status.StepTooSmall;
    L.active = false;
    return;
  }
  L.tn = L.last ? t1 : L.t + L.h;
}

/** A pair's derivatives at its stage state YS, at t + c·h for each lane (g: the pair's block; dst: an offset). */
// @ts-ignore: decorator
@inline
export function f(kind: i32, ncmt: i32, depot: i32, n: i32, g: usize, simd: bool, A: Lane, B: Lane, c: f64, rate: usize, dst: usize): void {
  if (simd) rhsPair(kind, ncmt, depot, n, A.t + c * A.h, B.t + c * B.h, g + YS, g + PP, rate, g + dst);
  else {
    if (A.active) laneRhs(kind, ncmt, depot, n, A, A.t + c * A.h, YS, rate, dst);
    if (B.active) laneRhs(kind, ncmt, depot, n, B, B.t + c * B.h, YS, rate, dst);
  }
}
/** A pair's derivatives at y (offset YS or YB), at t + h. */
// @ts-ignore: decorator
@inline
export function fAt(kind: i32, ncmt: i32, depot: i32, n: i32, g: usize, simd: bool, A: Lane, B: Lane, y: usize, rate: usize, dst: usize): void {
  if (simd) rhsPair(kind, ncmt, depot, n, A.tn, B.tn, g + y, g + PP, rate, g + dst);
  else {
    if (A.active) laneRhs(kind, ncmt, depot, n, A, A.tn, y, rate, dst);
    if (B.active) laneRhs(kind, ncmt, depot, n, B, B.tn, y, rate, dst);
  }
}
/** One lane's derivative by the scalar right-hand side (a kind without a two-lane one). */
export function laneRhs(kind: i32, ncmt: i32, depot: i32, n: i32, L: Lane, t: f64, y: usize, rate: usize, dst: usize): void {
  const gy = own(L, GY);
  const gf = own(L, GF);
  for (let i = 0; i < n; i++) st(gy, i, lv(L, y, i));
  rhs(kind, ncmt, depot, t, gy, L.p, rate, gf);
  for (let i = 0; i < n; i++) setLv(L, dst, i, ld(gf, i));
}




/** A lane's end, as the scalar integrator's: y gets the final state (not after a hand-over: STIFF, LIMITED), the remaining observations and the warm start. */
export function end(n: i32, nObs: i32, L: Lane): void {
  if (!L.finish) return;
  for (let i = 0; i < n; i++) st(L.y, i, lv(L, YA, i));
  L.status = finishSegment(L.status, L.y, L.y, n, L.obsY, L.kObs, nObs, L.hState, L.hProposal);
}

/**
 * Places np pairs of lanes (lanes 0 … 2·np − 1, from setLaneInput) and starts them as the scalar
 * integrator (of this order and PI term) starts: returns whether the kind has a two-lane right-hand
 * side (each pair's parameters then interleaved in its PP).
 */
export function startLanes(
  kind: i32, ncmt: i32, depot: i32, n: i32, np: i32, t0: f64, t1: f64, rate: usize,
  nObs: i32, kObs: i32, rtol: f64, atol: f64, order: f64, beta: f64,
): bool {
  const simd = pairRhsKind(kind);
  for (let l = 0; l < 2 * np; l++) place(laneAt(l), l, kObs);
  if (simd) {
    for (let q = 0; q < np; q++) {
      const pp = pairBlock(q) + PP;
      const pA = laneAt(2 * q).p;
      const pB = laneAt(2 * q + 1).p;
      for (let j = 0; j < PAR_STRIDE; j++) {
        store<f64>(pp + (<usize>j << 4), ld(pA, j));
        store<f64>(pp + (<usize>j << 4), ld(pB, j), 8);
      }
    }
  }
  for (let l = 0; l < 2 * np; l++) begin(kind, ncmt, depot, n, t0, t1 - t0, rate, nObs, rtol, atol, order, beta, laneAt(l));
  return simd;
}

/** Both lanes' next step lengths: false once neither lane goes on. */
// @ts-ignore: decorator
@inline
export function nextSteps(A: Lane, B: Lane, t1: f64): bool {
  prepare(A, t1);
  prepare(B, t1);
  return A.active || B.active;
}

/** Lane l's outcome of the last integration: 0 status, 1 accepted, 2 rejected steps, 3 rhs evaluations. */
export function pairLane(l: i32, what: i32): i32 {
  const L = laneAt(l);
  return what == 0 ? L.status : what == 1 ? L.nacc : what == 2 ? L.nrej : L.nfev;
}

/** Both lanes' step sizes, 0 for a lane that has finished. */
// @ts-ignore: decorator
@inline
export function laneSteps(A: Lane, B: Lane): v128 {
  return f64x2.replace_lane(f64x2.splat(A.active ? A.h : 0.0), 1, B.active ? B.h : 0.0);
}

/**
 * A pair's step errors with the scalar integrators' domain check (domainError), where the error loop
 * found some y1 + sk < 0 in either lane (`outside`, its f64x2.lt mask or-ed over the states).
 */
// @ts-ignore: decorator
@inline
export function checkDomain(kind: i32, g: usize, n: i32, outside: v128, rtol: f64, atol: f64, A: Lane, B: Lane): void {
  if (!v128.any_true(outside)) return;
  A.err = domainError(kind, A.err, n, g + YA, g + YB, 16, rtol, atol);
  B.err = domainError(kind, B.err, n, g + YA + 8, g + YB + 8, 16, rtol, atol);
}

/**
 * The scalar integrators' step-size decision for a lane's step with error err: false (and the next
 * try's h) on a rejection, true on acceptance with L.hNext the controller's proposal.
 */
// @ts-ignore: decorator
@inline
export function decide(L: Lane, err: f64, expo1: f64, beta: f64, facc1: f64, facc2: f64, safe: f64): bool {
  const h = L.h;
  if (!isFinite<f64>(err)) {
    // the trial left the domain where f is finite: retreat hard and remember why
    L.sawNonFinite = true;
    L.reject = true;
    L.nrej++;
    L.h = h * 0.1;
    return false;
  }
  const lgErr = log2Fast(max<f64>(err, 1e-300));
  let fac = exp2Fast(expo1 * lgErr - L.lgFacoldB);
  fac = max<f64>(facc2, min<f64>(facc1, fac / safe));
  if (err > 1.0) {
    L.reject = true;
    L.nrej++;
    L.h = h / min<f64>(facc1, exp2Fast(expo1 * lgErr) / safe);
    return false;
  }
  L.hNext = h / fac;
  L.nacc++;
  L.lgFacoldB = beta * log2Fast(max<f64>(err, 1e-4));
  return true;
}

/** After an accepted step's observations: y <- y1 and the FSAL stage (slot kf), in this lane only; the next step, or the lane's end. */
// @ts-ignore: decorator
@inline
export function advanceLane(L: Lane, n: i32, kf: usize, t1: f64, span: f64): void {
  for (let i = 0; i < n; i++) {
    setLv(L, YA, i, lv(L, YB, i));
    setLv(L, K1, i, lv(L, kf, i));
  }
  const h = L.h;
  let hnew = L.hNext;
  if (L.reject) hnew = min<f64>(hnew, h);
  L.reject = false;
  hnew = min<f64>(hnew, span);
  if (L.last) {
    L.t = t1;
    // a step clipped to land on t1 says little about the natural step: keep the larger
    L.hProposal = h < L.hWanted ? max<f64>(hnew, L.hWanted) : hnew;
    L.active = false;
    return;
  }
  L.t = L.tn;
  L.h = hnew;
}

/**
 * stabilityMeasure() for both lanes of a pair: |f(y1) − f(ỹ)|² and |y1 − ỹ|², with f(y1) in slot kf
 * (the FSAL stage), f(ỹ) in slot kl (the last stage, its state ỹ in YS), into L.num and L.den.
 */
// @ts-ignore: decorator
@inline
export function measureStability(g: usize, n: i32, kf: usize, kl: usize, A: Lane, B: Lane): void {
  let num = f64x2.splat(0.0);
  let den = f64x2.splat(0.0);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    const a = f64x2.sub(v128.load(g + kf + o), v128.load(g + kl + o));
    const b = f64x2.sub(v128.load(g + YB + o), v128.load(g + YS + o));
    num = f64x2.add(num, f64x2.mul(a, a));
    den = f64x2.add(den, f64x2.mul(b, b));
  }
  A.num = f64x2.extract_lane(num, 0);
  B.num = f64x2.extract_lane(num, 1);
  A.den = f64x2.extract_lane(den, 0);
  B.den = f64x2.extract_lane(den, 1);
}
