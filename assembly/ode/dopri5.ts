// Explicit Dormand-Prince 5(4) with PI step control and Shampine's 4th-order dense output.
// see: Hairer, Norsett & Wanner, Solving ODEs I, Sect. II.4-II.6 and Hairer's dopri5.f
import { Status, MAX_STATES } from "../abi";
import { rhs } from "../models/rhs";
import {
  DP_C2, DP_C3, DP_C4, DP_C5,
  DP_A21, DP_A31, DP_A32, DP_A41, DP_A42, DP_A43, DP_A51, DP_A52, DP_A53, DP_A54,
  DP_A61, DP_A62, DP_A63, DP_A64, DP_A65, DP_A71, DP_A73, DP_A74, DP_A75, DP_A76,
  DP_E1, DP_E3, DP_E4, DP_E5, DP_E6, DP_E7,
  DP_D1, DP_D3, DP_D4, DP_D5, DP_D6, DP_D7,
} from "./tableaus";
import { MAX_STEPS, stepFloor, warmStart, liftStep, firstDerivative, AT_EQUILIBRIUM, finishSegment, writeStats, tolScale, initialStep, copyVec, allFinite, log2Fast, exp2Fast, stabilityBound, stiffAfter, resetStiffRuns, domainError } from "./control";

const VEC: i32 = MAX_STATES << 3;
// Stage vectors; K1/K7 and YA/YB are ping-ponged through local pointers (FSAL, y <- y1)
// so an accepted step copies nothing.
const K1: usize = memory.data(VEC, 16);
const K2: usize = memory.data(VEC, 16);
const K3: usize = memory.data(VEC, 16);
const K4: usize = memory.data(VEC, 16);
const K5: usize = memory.data(VEC, 16);
const K6: usize = memory.data(VEC, 16);
const K7: usize = memory.data(VEC, 16);
const YA: usize = memory.data(VEC, 16);
const YB: usize = memory.data(VEC, 16);
const YS: usize = memory.data(VEC, 16);
// dense-output coefficients r2..r5 (r1 is the step's initial state)
const R2: usize = memory.data(VEC, 16);
const R3: usize = memory.data(VEC, 16);
const R4: usize = memory.data(VEC, 16);
const R5: usize = memory.data(VEC, 16);

// PI controller constants of dopri5.f: beta = 0.04, expo1 = 1/5 - 0.75*beta,
// 0.2 <= hnew/h <= 10, safety 0.9.
// see: Hairer, Norsett & Wanner I, Sect. IV.2 (PI control, Gustafsson 1991)
export const BETA: f64 = 0.04;
export const EXPO1: f64 = 0.2 - BETA * 0.75;
export const FACC1: f64 = 1.0 / 0.2;
export const FACC2: f64 = 1.0 / 10.0;
export const SAFE: f64 = 0.9;

/** dopri5()'s verdict when asked to detect stiffness: not a Status, handled by odeSegment. */
export const STIFF: i32 = -2;
// dopri5.f's stiffness test: 15 accepted steps in a row with h·λ > 3.25 (6 below it reset the count)
export const STIFF_HLAMBDA: f64 = 3.25;
export const STIFF_STEPS: i32 = 15;
export const CALM_STEPS: i32 = 6;
/** stiffAfter()'s counters for the running integration. */
const RUNS = memory.data(8, 8);

// @ts-ignore: decorator
@inline
function ld(v: usize, i: i32): f64 {
  return load<f64>(v + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline
function st(v: usize, i: i32, x: f64): void {
  store<f64>(v + (<usize>i << 3), x);
}

/**
 * Integrate the n-vector y in place from t0 to t1 (t1 > t0). Observations kObs..nObs-1 with
 * obsT <= t1 are written by dense output; those beyond t1 get the final state.
 */
export function dopri5(
  kind: i32, ncmt: i32, depot: i32, n: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, kObs: i32, obsY: usize, rtol: f64, atol: f64, hState: usize, detectStiff: bool = false,
): i32 {
  const rowBytes = <usize>n << 3;
  const span = t1 - t0;
  let ya = YA;
  let yb = YB;
  let k1 = K1;
  let k7 = K7;
  copyVec(ya, y, n);
  let t = t0;
  let nfev = 1;
  let nacc = 0;
  let nrej = 0;
  let status = firstDerivative(kind, ncmt, depot, n, t, ya, p, rate, k1, obsY, kObs, nObs);
  if (status == AT_EQUILIBRIUM) return Status.Ok;

  let h = warmStart(hState);
  if (status == Status.Ok && !(h > 0)) {
    h = initialStep(kind, ncmt, depot, n, t, ya, k1, p, rate, span, rtol, atol, 5.0, yb, K2);
    nfev++;
  }
  h = liftStep(h, t, span);
  let hProposal = h;
  // PI controller state kept as BETA*log2(facold) so each step costs one log2 and one exp2
  let lgFacoldB: f64 = BETA * -13.287712379549449; // facold = 1e-4
  let reject = false;
  let sawNonFinite = false;
  // stiffness test state (dopri5.f): accepted steps in a row with h·λ above the stability boundary, and below it
  resetStiffRuns(RUNS);

  while (status == Status.Ok) {
    if (nacc + nrej >= MAX_STEPS) {
      status = Status.MaxSteps;
      break;
    }
    const hWanted = h;
    let last = false;
    // stretch the step up to 1% to land on t1 rather than leave a sliver of a step
    if (t + 1.01 * h >= t1) {
      h = t1 - t;
      last = true;
    } else if (h < stepFloor(t)) {
      status = sawNonFinite ? Status.NonFinite : Status.StepTooSmall;
      break;
    }

    // the newest stage's term is added last, outside the step's sum, as in dop853.ts (latency)
    for (let i = 0; i < n; i++) st(YS, i, ld(ya, i) + h * DP_A21 * ld(k1, i));
    rhs(kind, ncmt, depot, t + DP_C2 * h, YS, p, rate, K2);
    for (let i = 0; i < n; i++) st(YS, i, ld(ya, i) + h * (DP_A31 * ld(k1, i)) + h * DP_A32 * ld(K2, i));
    rhs(kind, ncmt, depot, t + DP_C3 * h, YS, p, rate, K3);
    for (let i = 0; i < n; i++) {
      st(YS, i, ld(ya, i) + h * (DP_A41 * ld(k1, i) + DP_A42 * ld(K2, i)) + h * DP_A43 * ld(K3, i));
    }
    rhs(kind, ncmt, depot, t + DP_C4 * h, YS, p, rate, K4);
    for (let i = 0; i < n; i++) {
      st(YS, i, ld(ya, i) + h * (DP_A51 * ld(k1, i) + DP_A52 * ld(K2, i) + DP_A53 * ld(K3, i)) + h * DP_A54 * ld(K4, i));
    }
    rhs(kind, ncmt, depot, t + DP_C5 * h, YS, p, rate, K5);
    for (let i = 0; i < n; i++) {
      st(YS, i, ld(ya, i) + h * (DP_A61 * ld(k1, i) + DP_A62 * ld(K2, i) + DP_A63 * ld(K3, i) + DP_A64 * ld(K4, i)) + h * DP_A65 * ld(K5, i));
    }
    const tn = last ? t1 : t + h;
    rhs(kind, ncmt, depot, tn, YS, p, rate, K6);
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + h * (DP_A71 * ld(k1, i) + DP_A73 * ld(K3, i) + DP_A74 * ld(K4, i) + DP_A75 * ld(K5, i)) + h * DP_A76 * ld(K6, i));
    }
    rhs(kind, ncmt, depot, tn, yb, p, rate, k7);
    nfev += 6;

    let err: f64 = 0;
    let inside: f64 = 0; // min of y1 + sk: below 0 where a state may have left the domain (domainError)
    for (let i = 0; i < n; i++) {
      const e = h * (DP_E1 * ld(k1, i) + DP_E3 * ld(K3, i) + DP_E4 * ld(K4, i) + DP_E5 * ld(K5, i) +
        DP_E6 * ld(K6, i) + DP_E7 * ld(k7, i));
      const sk = tolScale(ld(ya, i), ld(yb, i), rtol, atol);
      const q = e / sk;
      err += q * q;
      inside = min<f64>(inside, ld(yb, i) + sk);
    }
    err = Math.sqrt(err / <f64>n);
    if (inside < 0) err = domainError(kind, err, n, ya, yb, 8, rtol, atol);

    if (!isFinite<f64>(err)) {
      // the trial left the domain where f is finite: retreat hard and remember why
      sawNonFinite = true;
      reject = true;
      nrej++;
      h *= 0.1;
      continue;
    }

    // err in (0, 1e300]: zero error is floored so log2 stays finite (factor clamps anyway)
    const lgErr = log2Fast(max<f64>(err, 1e-300));
    let fac = exp2Fast(EXPO1 * lgErr - lgFacoldB);
    fac = max<f64>(FACC2, min<f64>(FACC1, fac / SAFE));
    let hnew = h / fac;

    if (err <= 1.0) {
      nacc++;
      lgFacoldB = BETA * log2Fast(max<f64>(err, 1e-4));
      // f at the new state (k7) and at the last stage (K6), both at t + h
      if (detectStiff && stiffAfter(RUNS, stabilityBound(n, h, k7, K6, yb, YS, STIFF_HLAMBDA), STIFF_STEPS, CALM_STEPS)) {
        status = STIFF;
        break;
      }
      // dense output only when an observation falls inside (t, tn]
      let dense = false;
      while (kObs < nObs) {
        const to = load<f64>(obsT + (<usize>kObs << 3));
        if (to > tn) break;
        const dst = obsY + <usize>kObs * rowBytes;
        if (to >= tn) {
          copyVec(dst, yb, n);
        } else {
          if (!dense) {
            dense = true;
            for (let i = 0; i < n; i++) {
              const y0 = ld(ya, i);
              const ydiff = ld(yb, i) - y0;
              const bspl = h * ld(k1, i) - ydiff;
              st(R2, i, ydiff);
              st(R3, i, bspl);
              st(R4, i, ydiff - h * ld(k7, i) - bspl);
              st(R5, i, h * (DP_D1 * ld(k1, i) + DP_D3 * ld(K3, i) + DP_D4 * ld(K4, i) +
                DP_D5 * ld(K5, i) + DP_D6 * ld(K6, i) + DP_D7 * ld(k7, i)));
            }
          }
          const th = (to - t) / h;
          const th1 = 1.0 - th;
          for (let i = 0; i < n; i++) {
            st(dst, i, ld(ya, i) + th * (ld(R2, i) + th1 * (ld(R3, i) + th * (ld(R4, i) + th1 * ld(R5, i)))));
          }
        }
        kObs++;
      }
      const sw = ya;
      ya = yb;
      yb = sw;
      const sk = k1;
      k1 = k7;
      k7 = sk;
      if (reject) hnew = min<f64>(hnew, h);
      reject = false;
      hnew = min<f64>(hnew, span);
      if (last) {
        t = t1;
        // a step clipped to land on t1 says little about the natural step: keep the larger
        hProposal = h < hWanted ? max<f64>(hnew, hWanted) : hnew;
        break;
      }
      t = tn;
      h = hnew;
    } else {
      hnew = h / min<f64>(FACC1, exp2Fast(EXPO1 * lgErr) / SAFE);
      reject = true;
      nrej++;
      h = hnew;
    }
  }

  if (status == STIFF) {
    // y and hState are left as they were: the caller integrates the segment again with RODAS4
    writeStats(nacc, nrej, nfev, 0);
    return STIFF;
  }
  status = finishSegment(status, y, ya, n, obsY, kObs, nObs, hState, hProposal);
  writeStats(nacc, nrej, nfev, 0);
  return status;
}
