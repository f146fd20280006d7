// DOP853 for two subjects at once (lanes.ts): dop853() (dop853.ts) with the stages of both in one
// f64x2, each lane's operations in dop853()'s order.
// see: Hairer, Norsett & Wanner, Solving ODEs I, 2nd ed., Sect. II.10 and Hairer's dop853.f
import { Status } from "../abi";
import { rhs } from "../models/rhs";
import * as T from "./tableau-dop853";
import { STIFF } from "./dopri5";
import { LIMITED, BETA, EXPO1, FACC1, FACC2, SAFE, ERR5_FLOOR, STIFF_HLAMBDA, STIFF_STEPS, LIMITED_HLAMBDA, LIMITED_STEPS, CALM_STEPS, REFINE_Y, refineTo, refineEvals, extensionTrusted, carryRefined } from "./dop853";
import { stiffAfter, beyond } from "./control";
import { ld, st } from "../linalg";
import {
  Lane, VEC, K1, K2, K3, K4, K5, K6, K7, K8, K9, K10, K11, K12, K13, YA, YB, YS, DY, K14, K15, K16, R1,
  lv, setLv, own, laneAt, pairBlock, startLanes, nextSteps, f, fAt, end, laneSteps, decide, checkDomain, advanceLane, measureStability,
} from "./lanes";

/**
 * dop853() for one pair of subjects (lanes 0 and 1, from setLaneInput) of the same model over the
 * same segment (t0 < t1, inputs and observation times), each subject with its own state,
 * parameters, observation rows and warm start. Each lane's outcome: pairLane(l, what). One pair at
 * a time: two pairs interleaved ran no faster here (Michaelis–Menten oral: 5,556 /s against 5,791 /s
 * for one), where Dormand–Prince's shorter stages gain 24 % (dopri5Lanes).
 */
export function dop853Pair(
  kind: i32, ncmt: i32, depot: i32, n: i32, t0: f64, t1: f64, rate: usize,
  obsT: usize, nObs: i32, kObs: i32, rtol: f64, atol: f64, detectStiff: bool, detectLimited: bool,
): void {
  const A = laneAt(0), B = laneAt(1);
  const g = pairBlock(0);
  const simd = startLanes(kind, ncmt, depot, n, 1, t0, t1, rate, nObs, kObs, rtol, atol, 8.0, BETA);
  const span = t1 - t0;
  const measure = detectStiff || detectLimited;
  while (nextSteps(A, B, t1)) {
    // a lane that has finished rides along with a zero step (its values are not used)
    const hv = laneSteps(A, B);
    // each stage adds its newest term last, outside the step's sum, as dop853() does
    s2(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C2, rate, K2);
    s3(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C3, rate, K3);
    s4(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C4, rate, K4);
    s5(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C5, rate, K5);
    s6(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C6, rate, K6);
    s7(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C7, rate, K7);
    s8(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C8, rate, K8);
    s9(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C9, rate, K9);
    s10(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C10, rate, K10);
    s11(g, hv, n);
    f(kind, ncmt, depot, n, g, simd, A, B, T.C11, rate, K11);
    s12(g, hv, n);
    fAt(kind, ncmt, depot, n, g, simd, A, B, YS, rate, K12);
    sEnd(g, hv, n);
    fAt(kind, ncmt, depot, n, g, simd, A, B, YB, rate, K13);
    errors(kind, g, n, hv, rtol, atol, measure, A, B);
    conclude(kind, ncmt, depot, n, t1, span, rate, obsT, nObs, rtol, atol, detectStiff, detectLimited, A);
    conclude(kind, ncmt, depot, n, t1, span, rate, obsT, nObs, rtol, atol, detectStiff, detectLimited, B);
  }
  end(n, nObs, A);
  end(n, nObs, B);
}

// The stage states of both lanes, YS = YA + h·Σ a·K (YB: the 8th-order solution), each lane in
// dop853()'s order of operations (generated from its expressions).
// @ts-ignore: decorator
@inline function s2(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.mul(f64x2.splat(T.A2_1), v128.load(g + K1 + o)))));
  }
}
// @ts-ignore: decorator
@inline function s3(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.mul(f64x2.splat(T.A3_1), v128.load(g + K1 + o)))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A3_2)), v128.load(g + K2 + o))));
  }
}
// @ts-ignore: decorator
@inline function s4(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.mul(f64x2.splat(T.A4_1), v128.load(g + K1 + o)))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A4_3)), v128.load(g + K3 + o))));
  }
}
// @ts-ignore: decorator
@inline function s5(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.mul(f64x2.splat(T.A5_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A5_3), v128.load(g + K3 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A5_4)), v128.load(g + K4 + o))));
  }
}
// @ts-ignore: decorator
@inline function s6(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.mul(f64x2.splat(T.A6_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A6_4), v128.load(g + K4 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A6_5)), v128.load(g + K5 + o))));
  }
}
// @ts-ignore: decorator
@inline function s7(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.A7_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A7_4), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(T.A7_5), v128.load(g + K5 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A7_6)), v128.load(g + K6 + o))));
  }
}
// @ts-ignore: decorator
@inline function s8(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.A8_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A8_4), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(T.A8_5), v128.load(g + K5 + o))), f64x2.mul(f64x2.splat(T.A8_6), v128.load(g + K6 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A8_7)), v128.load(g + K7 + o))));
  }
}
// @ts-ignore: decorator
@inline function s9(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.A9_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A9_4), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(T.A9_5), v128.load(g + K5 + o))), f64x2.mul(f64x2.splat(T.A9_6), v128.load(g + K6 + o))), f64x2.mul(f64x2.splat(T.A9_7), v128.load(g + K7 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A9_8)), v128.load(g + K8 + o))));
  }
}
// @ts-ignore: decorator
@inline function s10(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.A10_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A10_4), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(T.A10_5), v128.load(g + K5 + o))), f64x2.mul(f64x2.splat(T.A10_6), v128.load(g + K6 + o))), f64x2.mul(f64x2.splat(T.A10_7), v128.load(g + K7 + o))), f64x2.mul(f64x2.splat(T.A10_8), v128.load(g + K8 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A10_9)), v128.load(g + K9 + o))));
  }
}
// @ts-ignore: decorator
@inline function s11(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.A11_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A11_4), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(T.A11_5), v128.load(g + K5 + o))), f64x2.mul(f64x2.splat(T.A11_6), v128.load(g + K6 + o))), f64x2.mul(f64x2.splat(T.A11_7), v128.load(g + K7 + o))), f64x2.mul(f64x2.splat(T.A11_8), v128.load(g + K8 + o))), f64x2.mul(f64x2.splat(T.A11_9), v128.load(g + K9 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A11_10)), v128.load(g + K10 + o))));
  }
}
// @ts-ignore: decorator
@inline function s12(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.A12_1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.A12_4), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(T.A12_5), v128.load(g + K5 + o))), f64x2.mul(f64x2.splat(T.A12_6), v128.load(g + K6 + o))), f64x2.mul(f64x2.splat(T.A12_7), v128.load(g + K7 + o))), f64x2.mul(f64x2.splat(T.A12_8), v128.load(g + K8 + o))), f64x2.mul(f64x2.splat(T.A12_9), v128.load(g + K9 + o))), f64x2.mul(f64x2.splat(T.A12_10), v128.load(g + K10 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.A12_11)), v128.load(g + K11 + o))));
  }
}
// @ts-ignore: decorator
@inline function sEnd(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YB + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(T.B1), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(T.B6), v128.load(g + K6 + o))), f64x2.mul(f64x2.splat(T.B7), v128.load(g + K7 + o))), f64x2.mul(f64x2.splat(T.B8), v128.load(g + K8 + o))), f64x2.mul(f64x2.splat(T.B9), v128.load(g + K9 + o))), f64x2.mul(f64x2.splat(T.B10), v128.load(g + K10 + o))), f64x2.mul(f64x2.splat(T.B11), v128.load(g + K11 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(T.B12)), v128.load(g + K12 + o))));
  }
}

/** A lane's step, once its stages are in: dop853()'s error, acceptance, observations and next step size. */
function conclude(
  kind: i32, ncmt: i32, depot: i32, n: i32, t1: f64, span: f64, rate: usize, obsT: usize, nObs: i32,
  rtol: f64, atol: f64, detectStiff: bool, detectLimited: bool, L: Lane,
): void {
  if (!L.active) return;
  L.nfev += 12;
  const h = L.h;
  const err = L.err;
  if (!decide(L, err, EXPO1, BETA, FACC1, FACC2, SAFE)) return;
  if (detectStiff || detectLimited) {
    const num = L.num, den = L.den;
    if (detectStiff && stiffAfter(changetype<usize>(L) + offsetof<Lane>("stiffRun"), beyond(h, num, den, STIFF_HLAMBDA), STIFF_STEPS, CALM_STEPS)) {
      L.status = STIFF;
      L.active = false;
      L.finish = false;
      return;
    }
    if (detectLimited) {
      if (beyond(h, num, den, LIMITED_HLAMBDA)) {
        if (++L.limitedRun >= LIMITED_STEPS) {
          L.status = LIMITED;
          L.active = false;
          L.finish = false;
          return;
        }
      } else L.limitedRun = 0;
    }
  }
  if (observeStep(kind, ncmt, depot, n, rate, obsT, nObs, rtol, atol, L)) advanceLane(L, n, K13, t1, span);
}

/**
 * Both lanes' step errors (dop853()'s: the 5th-order estimate, damped where the 3rd-order one is far
 * larger, never below 1 % of the 5th-order one, then its domain check) and, for the stiffness tests,
 * stabilityMeasure()'s sums: each lane's operations in dop853()'s order, into L.err, L.num, L.den.
 */
// @ts-ignore: decorator
@inline
function errors(kind: i32, g: usize, n: i32, hv: v128, rtol: f64, atol: f64, measure: bool, A: Lane, B: Lane): void {
  let e5s = f64x2.splat(0.0);
  let e3s = f64x2.splat(0.0);
  let outside = v128.splat<i64>(0);
  const rt = f64x2.splat(rtol), at = f64x2.splat(atol), skMin = f64x2.splat(1e-300), zero = f64x2.splat(0.0);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    // tolScale(): max(atol + rtol·max(|y0|, |y1|), 1e-300)
    const y1 = v128.load(g + YB + o);
    const sk = f64x2.max(f64x2.add(at, f64x2.mul(rt, f64x2.max(f64x2.abs(v128.load(g + YA + o)), f64x2.abs(y1)))), skMin);
    outside = v128.or(outside, f64x2.lt(f64x2.add(y1, sk), zero));
    let a = f64x2.mul(f64x2.splat(T.E5_1), v128.load(g + K1 + o));
    a = f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_6), v128.load(g + K6 + o)));
    a = f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_7), v128.load(g + K7 + o)));
    a = f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_8), v128.load(g + K8 + o)));
    a = f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_9), v128.load(g + K9 + o)));
    a = f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_10), v128.load(g + K10 + o)));
    a = f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_11), v128.load(g + K11 + o)));
    a = f64x2.div(f64x2.add(a, f64x2.mul(f64x2.splat(T.E5_12), v128.load(g + K12 + o))), sk);
    let b = f64x2.mul(f64x2.splat(T.E3_1), v128.load(g + K1 + o));
    b = f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_6), v128.load(g + K6 + o)));
    b = f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_7), v128.load(g + K7 + o)));
    b = f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_8), v128.load(g + K8 + o)));
    b = f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_9), v128.load(g + K9 + o)));
    b = f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_10), v128.load(g + K10 + o)));
    b = f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_11), v128.load(g + K11 + o)));
    b = f64x2.div(f64x2.add(b, f64x2.mul(f64x2.splat(T.E3_12), v128.load(g + K12 + o))), sk);
    e5s = f64x2.add(e5s, f64x2.mul(a, a));
    e3s = f64x2.add(e3s, f64x2.mul(b, b));
  }
  const nv = f64x2.splat(<f64>n);
  const damped = f64x2.div(f64x2.mul(hv, e5s), f64x2.sqrt(f64x2.mul(nv, f64x2.add(e5s, f64x2.mul(f64x2.splat(0.01), e3s)))));
  const floor = f64x2.mul(f64x2.mul(f64x2.splat(ERR5_FLOOR), hv), f64x2.sqrt(f64x2.div(e5s, nv)));
  const e5 = f64x2.extract_lane(e5s, 0), e5b = f64x2.extract_lane(e5s, 1);
  const e3 = f64x2.extract_lane(e3s, 0), e3b = f64x2.extract_lane(e3s, 1);
  A.err = max<f64>(e5 > 0 || e3 > 0 ? f64x2.extract_lane(damped, 0) : 0.0, f64x2.extract_lane(floor, 0));
  B.err = max<f64>(e5b > 0 || e3b > 0 ? f64x2.extract_lane(damped, 1) : 0.0, f64x2.extract_lane(floor, 1));
  checkDomain(kind, g, n, outside, rtol, atol, A, B);
  if (measure) measureStability(g, n, K13, K12, A, B);
}

/**
 * The observations inside a lane's accepted step (t, tn]: its end state, or dop853()'s continuous
 * extension, or where that fails dop853()'s defect test, refineTo()'s Dormand–Prince values, and
 * then carryRefined()'s end state as the lane's; false where refineTo() failed (the lane has ended
 * with its status).
 */
function observeStep(kind: i32, ncmt: i32, depot: i32, n: i32, rate: usize, obsT: usize, nObs: i32, rtol: f64, atol: f64, L: Lane): bool {
  const rowBytes = <usize>n << 3;
  const t = L.t, h = L.h, tn = L.tn;
  const ys = own(L, DY), k14 = own(L, K14), k15 = own(L, K15), k16 = own(L, K16);
  const r1 = own(L, R1), r2 = r1 + VEC, r3 = r2 + VEC, r4 = r3 + VEC, r5 = r4 + VEC, r6 = r5 + VEC, r7 = r6 + VEC;
  let dense = false;
  let untrusted = false;
  let tRefined = t;
  while (L.kObs < nObs) {
    const to = load<f64>(obsT + (<usize>L.kObs << 3));
    if (to > tn) break;
    const dst = L.obsY + <usize>L.kObs * rowBytes;
    if (to >= tn) {
      if (untrusted && tRefined < tn) {
        if (!carryLane(kind, ncmt, depot, n, rate, rtol, atol, tRefined, L)) return false;
        tRefined = tn;
      }
      for (let i = 0; i < n; i++) st(dst, i, lv(L, YB, i));
    } else {
      if (!dense) {
        dense = true;
        for (let i = 0; i < n; i++) st(ys, i, lv(L, YA, i) + h * (T.A14_1 * lv(L, K1, i) + T.A14_7 * lv(L, K7, i) + T.A14_8 * lv(L, K8, i) + T.A14_9 * lv(L, K9, i) + T.A14_10 * lv(L, K10, i) + T.A14_11 * lv(L, K11, i) + T.A14_12 * lv(L, K12, i)) + h * T.A14_13 * lv(L, K13, i));
        rhs(kind, ncmt, depot, t + T.C14 * h, ys, L.p, rate, k14);
        for (let i = 0; i < n; i++) st(ys, i, lv(L, YA, i) + h * (T.A15_1 * lv(L, K1, i) + T.A15_6 * lv(L, K6, i) + T.A15_7 * lv(L, K7, i) + T.A15_8 * lv(L, K8, i) + T.A15_11 * lv(L, K11, i) + T.A15_12 * lv(L, K12, i) + T.A15_13 * lv(L, K13, i)) + h * T.A15_14 * ld(k14, i));
        rhs(kind, ncmt, depot, t + T.C15 * h, ys, L.p, rate, k15);
        for (let i = 0; i < n; i++) st(ys, i, lv(L, YA, i) + h * (T.A16_1 * lv(L, K1, i) + T.A16_6 * lv(L, K6, i) + T.A16_7 * lv(L, K7, i) + T.A16_8 * lv(L, K8, i) + T.A16_9 * lv(L, K9, i) + T.A16_13 * lv(L, K13, i) + T.A16_14 * ld(k14, i)) + h * T.A16_15 * ld(k15, i));
        rhs(kind, ncmt, depot, t + T.C16 * h, ys, L.p, rate, k16);
        L.nfev += 3;
        for (let i = 0; i < n; i++) {
          const ydiff = lv(L, YB, i) - lv(L, YA, i);
          const bspl = h * lv(L, K1, i) - ydiff;
          st(r1, i, ydiff);
          st(r2, i, bspl);
          st(r3, i, ydiff - h * lv(L, K13, i) - bspl);
          st(r4, i, h * (T.D4_1 * lv(L, K1, i) + T.D4_6 * lv(L, K6, i) + T.D4_7 * lv(L, K7, i) + T.D4_8 * lv(L, K8, i) + T.D4_9 * lv(L, K9, i) + T.D4_10 * lv(L, K10, i) + T.D4_11 * lv(L, K11, i) + T.D4_12 * lv(L, K12, i) + T.D4_13 * lv(L, K13, i) + T.D4_14 * ld(k14, i) + T.D4_15 * ld(k15, i) + T.D4_16 * ld(k16, i)));
          st(r5, i, h * (T.D5_1 * lv(L, K1, i) + T.D5_6 * lv(L, K6, i) + T.D5_7 * lv(L, K7, i) + T.D5_8 * lv(L, K8, i) + T.D5_9 * lv(L, K9, i) + T.D5_10 * lv(L, K10, i) + T.D5_11 * lv(L, K11, i) + T.D5_12 * lv(L, K12, i) + T.D5_13 * lv(L, K13, i) + T.D5_14 * ld(k14, i) + T.D5_15 * ld(k15, i) + T.D5_16 * ld(k16, i)));
          st(r6, i, h * (T.D6_1 * lv(L, K1, i) + T.D6_6 * lv(L, K6, i) + T.D6_7 * lv(L, K7, i) + T.D6_8 * lv(L, K8, i) + T.D6_9 * lv(L, K9, i) + T.D6_10 * lv(L, K10, i) + T.D6_11 * lv(L, K11, i) + T.D6_12 * lv(L, K12, i) + T.D6_13 * lv(L, K13, i) + T.D6_14 * ld(k14, i) + T.D6_15 * ld(k15, i) + T.D6_16 * ld(k16, i)));
          st(r7, i, h * (T.D7_1 * lv(L, K1, i) + T.D7_6 * lv(L, K6, i) + T.D7_7 * lv(L, K7, i) + T.D7_8 * lv(L, K8, i) + T.D7_9 * lv(L, K9, i) + T.D7_10 * lv(L, K10, i) + T.D7_11 * lv(L, K11, i) + T.D7_12 * lv(L, K12, i) + T.D7_13 * lv(L, K13, i) + T.D7_14 * ld(k14, i) + T.D7_15 * ld(k15, i) + T.D7_16 * ld(k16, i)));
        }
        // dop853()'s defect test (k14 and k15 are free again)
        L.nfev++;
        if (!extensionTrusted(kind, ncmt, depot, n, t, h, L.p, rate, rtol, atol, L.g + YA + L.off, L.g + YB + L.off, 16, r1, r2, r3, r4, r5, r6, r7, ys, k14, k15)) {
          untrusted = true;
          for (let i = 0; i < n; i++) st(REFINE_Y, i, lv(L, YA, i));
          tRefined = t;
        }
      }
      if (untrusted) {
        const r = refineTo(kind, ncmt, depot, n, REFINE_Y, tRefined, to, L.p, rate, rtol, atol, tRefined == t);
        L.nfev += refineEvals;
        if (r != Status.Ok) {
          L.status = r;
          L.active = false;
          return false;
        }
        tRefined = to;
        for (let i = 0; i < n; i++) st(dst, i, ld(REFINE_Y, i));
        L.kObs++;
        continue;
      }
      const th = (to - t) / h;
      const th1 = 1.0 - th;
      for (let i = 0; i < n; i++) {
        st(dst, i, lv(L, YA, i) + th * (ld(r1, i) + th1 * (ld(r2, i) + th * (ld(r3, i) + th1 * (ld(r4, i) +
          th * (ld(r5, i) + th1 * (ld(r6, i) + th * ld(r7, i))))))));
      }
    }
    L.kObs++;
  }
  if (untrusted && tRefined < tn) return carryLane(kind, ncmt, depot, n, rate, rtol, atol, tRefined, L);
  return true;
}

/** carryRefined() into the lane's end state and its derivative (YB, K13); false where it failed. */
function carryLane(kind: i32, ncmt: i32, depot: i32, n: i32, rate: usize, rtol: f64, atol: f64, tr: f64, L: Lane): bool {
  const f = own(L, K14);
  const r = carryRefined(kind, ncmt, depot, n, tr, L.tn, L.p, rate, rtol, atol, f);
  L.nfev += refineEvals;
  if (r != Status.Ok) {
    L.status = r;
    L.active = false;
    return false;
  }
  for (let i = 0; i < n; i++) {
    setLv(L, YB, i, ld(REFINE_Y, i));
    setLv(L, K13, i, ld(f, i));
  }
  return true;
}

