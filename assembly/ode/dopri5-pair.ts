// Dormand–Prince 5(4) for two or four subjects at once (lanes.ts): dopri5() (dopri5.ts) with the
// stages of each pair in one f64x2, each lane's operations in dopri5()'s order.
// see: Hairer, Norsett & Wanner, Solving ODEs I, Sect. II.4-II.6 and Hairer's dopri5.f
import {
  DP_C2, DP_C3, DP_C4, DP_C5,
  DP_A21, DP_A31, DP_A32, DP_A41, DP_A42, DP_A43, DP_A51, DP_A52, DP_A53, DP_A54,
  DP_A61, DP_A62, DP_A63, DP_A64, DP_A65, DP_A71, DP_A73, DP_A74, DP_A75, DP_A76,
  DP_E1, DP_E3, DP_E4, DP_E5, DP_E6, DP_E7,
  DP_D1, DP_D3, DP_D4, DP_D5, DP_D6, DP_D7,
} from "./tableaus";
import { STIFF, BETA, EXPO1, FACC1, FACC2, SAFE, STIFF_HLAMBDA, STIFF_STEPS, CALM_STEPS } from "./dopri5";
import { stiffAfter, beyond } from "./control";
import { ld, st } from "../linalg";
import {
  Lane, VEC, K1, K2, K3, K4, K5, K6, K7, YA, YB, YS, R1,
  lv, own, laneAt, pairBlock, startLanes, nextSteps, f, fAt, end, laneSteps, decide, checkDomain, advanceLane, measureStability,
} from "./lanes";

/**
 * dopri5() for np pairs of subjects (np = 1 or 2; lanes 0 … 2·np − 1 from setLaneInput) of the same
 * model over the same segment (t0 < t1, inputs and observation times), each subject with its own
 * state, parameters, observation rows and warm start. Two pairs run interleaved stage by stage: each
 * stage waits on the one before, and the other pair's stage fills that wait (+24 % on
 * Michaelis–Menten oral against one pair). Each lane's outcome: pairLane(l, what).
 */
export function dopri5Lanes(
  np: i32, kind: i32, ncmt: i32, depot: i32, n: i32, t0: f64, t1: f64, rate: usize,
  obsT: usize, nObs: i32, kObs: i32, rtol: f64, atol: f64, detectStiff: bool,
): void {
  if (np == 2) run(2, kind, ncmt, depot, n, t0, t1, rate, obsT, nObs, kObs, rtol, atol, detectStiff);
  else run(1, kind, ncmt, depot, n, t0, t1, rate, obsT, nObs, kObs, rtol, atol, detectStiff);
}

// @ts-ignore: decorator
@inline
function run(
  np: i32, kind: i32, ncmt: i32, depot: i32, n: i32, t0: f64, t1: f64, rate: usize,
  obsT: usize, nObs: i32, kObs: i32, rtol: f64, atol: f64, detectStiff: bool,
): void {
  const A = laneAt(0), B = laneAt(1), C = laneAt(2), D = laneAt(3);
  const g0 = pairBlock(0), g1 = pairBlock(1);
  const simd = startLanes(kind, ncmt, depot, n, np, t0, t1, rate, nObs, kObs, rtol, atol, 5.0, BETA);
  const span = t1 - t0;
  while (true) {
    const on0 = nextSteps(A, B, t1);
    const two = np == 2 && nextSteps(C, D, t1);
    if (!on0 && !two) break;
    // a lane that has finished rides along with a zero step (its values are not used)
    const hv0 = laneSteps(A, B);
    const hv1 = two ? laneSteps(C, D) : hv0;
    s2(g0, hv0, n);
    if (two) s2(g1, hv1, n);
    f(kind, ncmt, depot, n, g0, simd, A, B, DP_C2, rate, K2);
    if (two) f(kind, ncmt, depot, n, g1, simd, C, D, DP_C2, rate, K2);
    s3(g0, hv0, n);
    if (two) s3(g1, hv1, n);
    f(kind, ncmt, depot, n, g0, simd, A, B, DP_C3, rate, K3);
    if (two) f(kind, ncmt, depot, n, g1, simd, C, D, DP_C3, rate, K3);
    s4(g0, hv0, n);
    if (two) s4(g1, hv1, n);
    f(kind, ncmt, depot, n, g0, simd, A, B, DP_C4, rate, K4);
    if (two) f(kind, ncmt, depot, n, g1, simd, C, D, DP_C4, rate, K4);
    s5(g0, hv0, n);
    if (two) s5(g1, hv1, n);
    f(kind, ncmt, depot, n, g0, simd, A, B, DP_C5, rate, K5);
    if (two) f(kind, ncmt, depot, n, g1, simd, C, D, DP_C5, rate, K5);
    s6(g0, hv0, n);
    if (two) s6(g1, hv1, n);
    fAt(kind, ncmt, depot, n, g0, simd, A, B, YS, rate, K6);
    if (two) fAt(kind, ncmt, depot, n, g1, simd, C, D, YS, rate, K6);
    sEnd(g0, hv0, n);
    if (two) sEnd(g1, hv1, n);
    fAt(kind, ncmt, depot, n, g0, simd, A, B, YB, rate, K7);
    if (two) fAt(kind, ncmt, depot, n, g1, simd, C, D, YB, rate, K7);
    errors(kind, g0, n, hv0, rtol, atol, detectStiff, A, B);
    if (two) errors(kind, g1, n, hv1, rtol, atol, detectStiff, C, D);
    conclude(n, t1, span, obsT, nObs, detectStiff, A);
    conclude(n, t1, span, obsT, nObs, detectStiff, B);
    if (two) {
      conclude(n, t1, span, obsT, nObs, detectStiff, C);
      conclude(n, t1, span, obsT, nObs, detectStiff, D);
    }
  }
  for (let l = 0; l < 2 * np; l++) end(n, nObs, laneAt(l));
}

/**
 * Both lanes' step errors (dopri5()'s weighted RMS norm of h·Σ e·k, then its domain check) and, for
 * the stiffness test, stabilityMeasure()'s sums (f at y1, K7, against f at the last stage, K6, whose state is in YS).
 */
// @ts-ignore: decorator
@inline
function errors(kind: i32, g: usize, n: i32, hv: v128, rtol: f64, atol: f64, measure: bool, A: Lane, B: Lane): void {
  let sum = f64x2.splat(0.0);
  let outside = v128.splat<i64>(0);
  const rt = f64x2.splat(rtol), at = f64x2.splat(atol), skMin = f64x2.splat(1e-300), zero = f64x2.splat(0.0);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    let e = f64x2.mul(f64x2.splat(DP_E1), v128.load(g + K1 + o));
    e = f64x2.add(e, f64x2.mul(f64x2.splat(DP_E3), v128.load(g + K3 + o)));
    e = f64x2.add(e, f64x2.mul(f64x2.splat(DP_E4), v128.load(g + K4 + o)));
    e = f64x2.add(e, f64x2.mul(f64x2.splat(DP_E5), v128.load(g + K5 + o)));
    e = f64x2.add(e, f64x2.mul(f64x2.splat(DP_E6), v128.load(g + K6 + o)));
    e = f64x2.mul(hv, f64x2.add(e, f64x2.mul(f64x2.splat(DP_E7), v128.load(g + K7 + o))));
    // tolScale(): max(atol + rtol·max(|y0|, |y1|), 1e-300)
    const y1 = v128.load(g + YB + o);
    const sk = f64x2.max(f64x2.add(at, f64x2.mul(rt, f64x2.max(f64x2.abs(v128.load(g + YA + o)), f64x2.abs(y1)))), skMin);
    const q = f64x2.div(e, sk);
    sum = f64x2.add(sum, f64x2.mul(q, q));
    outside = v128.or(outside, f64x2.lt(f64x2.add(y1, sk), zero));
  }
  const err = f64x2.sqrt(f64x2.div(sum, f64x2.splat(<f64>n)));
  A.err = f64x2.extract_lane(err, 0);
  B.err = f64x2.extract_lane(err, 1);
  checkDomain(kind, g, n, outside, rtol, atol, A, B);
  if (measure) measureStability(g, n, K7, K6, A, B);
}

/** A lane's step, once its stages and error are in: dopri5()'s acceptance, stiffness test, observations and next step size. */
function conclude(n: i32, t1: f64, span: f64, obsT: usize, nObs: i32, detectStiff: bool, L: Lane): void {
  if (!L.active) return;
  L.nfev += 6;
  const h = L.h;
  if (!decide(L, L.err, EXPO1, BETA, FACC1, FACC2, SAFE)) return;
  if (detectStiff && stiffAfter(changetype<usize>(L) + offsetof<Lane>("stiffRun"), beyond(h, L.num, L.den, STIFF_HLAMBDA), STIFF_STEPS, CALM_STEPS)) {
    L.status = STIFF;
    L.active = false;
    L.finish = false;
    return;
  }
  // dense output (Shampine's, 4th order) only when an observation falls inside (t, tn]
  const rowBytes = <usize>n << 3;
  const t = L.t, tn = L.tn;
  const r2 = own(L, R1), r3 = r2 + VEC, r4 = r3 + VEC, r5 = r4 + VEC;
  let dense = false;
  while (L.kObs < nObs) {
    const to = load<f64>(obsT + (<usize>L.kObs << 3));
    if (to > tn) break;
    const dst = L.obsY + <usize>L.kObs * rowBytes;
    if (to >= tn) {
      for (let i = 0; i < n; i++) st(dst, i, lv(L, YB, i));
    } else {
      if (!dense) {
        dense = true;
        for (let i = 0; i < n; i++) {
          const y0 = lv(L, YA, i);
          const ydiff = lv(L, YB, i) - y0;
          const bspl = h * lv(L, K1, i) - ydiff;
          st(r2, i, ydiff);
          st(r3, i, bspl);
          st(r4, i, ydiff - h * lv(L, K7, i) - bspl);
          st(r5, i, h * (DP_D1 * lv(L, K1, i) + DP_D3 * lv(L, K3, i) + DP_D4 * lv(L, K4, i) +
            DP_D5 * lv(L, K5, i) + DP_D6 * lv(L, K6, i) + DP_D7 * lv(L, K7, i)));
        }
      }
      const th = (to - t) / h;
      const th1 = 1.0 - th;
      for (let i = 0; i < n; i++) {
        st(dst, i, lv(L, YA, i) + th * (ld(r2, i) + th1 * (ld(r3, i) + th * (ld(r4, i) + th1 * ld(r5, i)))));
      }
    }
    L.kObs++;
  }
  advanceLane(L, n, K7, t1, span);
}

// The stage states of both lanes, YS = YA + h·Σ a·K (YB: the 5th-order solution), each lane in
// dopri5()'s order of operations (generated from its expressions).
// @ts-ignore: decorator
@inline function s2(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(v128.load(g + YA + o), f64x2.mul(f64x2.mul(hv, f64x2.splat(DP_A21)), v128.load(g + K1 + o))));
  }
}
// @ts-ignore: decorator
@inline function s3(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.mul(f64x2.splat(DP_A31), v128.load(g + K1 + o)))), f64x2.mul(f64x2.mul(hv, f64x2.splat(DP_A32)), v128.load(g + K2 + o))));
  }
}
// @ts-ignore: decorator
@inline function s4(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.mul(f64x2.splat(DP_A41), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(DP_A42), v128.load(g + K2 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(DP_A43)), v128.load(g + K3 + o))));
  }
}
// @ts-ignore: decorator
@inline function s5(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(DP_A51), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(DP_A52), v128.load(g + K2 + o))), f64x2.mul(f64x2.splat(DP_A53), v128.load(g + K3 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(DP_A54)), v128.load(g + K4 + o))));
  }
}
// @ts-ignore: decorator
@inline function s6(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YS + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(DP_A61), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(DP_A62), v128.load(g + K2 + o))), f64x2.mul(f64x2.splat(DP_A63), v128.load(g + K3 + o))), f64x2.mul(f64x2.splat(DP_A64), v128.load(g + K4 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(DP_A65)), v128.load(g + K5 + o))));
  }
}
// @ts-ignore: decorator
@inline function sEnd(g: usize, hv: v128, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(g + YB + o, f64x2.add(f64x2.add(v128.load(g + YA + o), f64x2.mul(hv, f64x2.add(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(DP_A71), v128.load(g + K1 + o)), f64x2.mul(f64x2.splat(DP_A73), v128.load(g + K3 + o))), f64x2.mul(f64x2.splat(DP_A74), v128.load(g + K4 + o))), f64x2.mul(f64x2.splat(DP_A75), v128.load(g + K5 + o))))), f64x2.mul(f64x2.mul(hv, f64x2.splat(DP_A76)), v128.load(g + K6 + o))));
  }
}
