// Linearly implicit RODAS4 (Hairer & Wanner) for stiff systems: one analytic Jacobian and one
// LU factorisation per step, six right-hand-side evaluations, embedded order-3 error estimate
// and order-3 dense output.
// see: Hairer & Wanner, Solving ODEs II, 2nd ed., Sect. IV.7 and Hairer's rodas.f
import { Status, MAX_STATES } from "../abi";
import { rhs, jac, rhsDt, isAutonomous } from "../models/rhs";
import {
  RO_GAMMA, RO_C2, RO_C3, RO_C4, RO_D1, RO_D2, RO_D3, RO_D4,
  RO_A21, RO_A31, RO_A32, RO_A41, RO_A42, RO_A43, RO_A51, RO_A52, RO_A53, RO_A54,
  RO_C21, RO_C31, RO_C32, RO_C41, RO_C42, RO_C43, RO_C51, RO_C52, RO_C53, RO_C54,
  RO_C61, RO_C62, RO_C63, RO_C64, RO_C65,
  RO_D21, RO_D22, RO_D23, RO_D24, RO_D25, RO_D31, RO_D32, RO_D33, RO_D34, RO_D35,
} from "./tableaus";
import { MAX_STEPS, stepFloor, warmStart, liftStep, firstDerivative, AT_EQUILIBRIUM, finishSegment, writeStats, errNorm, initialStep, copyVec, allFinite, domainError } from "./control";
import { luDecomp, luSolve } from "./lu";

const VEC: i32 = MAX_STATES << 3;
const MAT: i32 = MAX_STATES * MAX_STATES * 8;
const F0: usize = memory.data(VEC, 16); // f(t, y) at the step start, reused after a rejection
const FT: usize = memory.data(VEC, 16); // df/dt (non-autonomous kinds only)
const DY: usize = memory.data(VEC, 16);
const AK1: usize = memory.data(VEC, 16);
const AK2: usize = memory.data(VEC, 16);
const AK3: usize = memory.data(VEC, 16);
const AK4: usize = memory.data(VEC, 16);
const AK5: usize = memory.data(VEC, 16);
const AK6: usize = memory.data(VEC, 16);
const YA: usize = memory.data(VEC, 16);
const YB: usize = memory.data(VEC, 16);
const Q1: usize = memory.data(VEC, 16);
const Q2: usize = memory.data(VEC, 16);
const JM: usize = memory.data(MAT, 16); // Jacobian, kept across rejections of the same step
const EM: usize = memory.data(MAT, 16); // 1/(h gamma) I - J, factored in place
const PIV: usize = memory.data(MAX_STATES << 2, 16);

// Step-size bounds of rodas.f: 0.2 <= hnew/h <= 6, safety 0.9, exponent 1/4 (order 4),
// with Gustafsson's predictive controller on accepted steps.
// see: Hairer & Wanner II, Sect. IV.8, eq. (8.21) (Gustafsson 1994)
const FAC1: f64 = 5.0;
const FAC2: f64 = 1.0 / 6.0;
const SAFE: f64 = 0.9;
/** Consecutive singular iteration matrices tolerated (each halves h) before giving up. */
const MAX_SINGULAR: i32 = 5;

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

/** Fourth root without pow: two square roots are exact enough and far cheaper. */
// @ts-ignore: decorator
@inline
function root4(x: f64): f64 {
  return Math.sqrt(Math.sqrt(x));
}

/** Same contract as dopri5(). */
export function rosenbrock(
  kind: i32, ncmt: i32, depot: i32, n: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, kObs: i32, obsY: usize, rtol: f64, atol: f64, hState: usize,
): i32 {
  const rowBytes = <usize>n << 3;
  const span = t1 - t0;
  const autonomous = isAutonomous(kind);
  let ya = YA;
  let yb = YB;
  copyVec(ya, y, n);
  let t = t0;
  let nfev = 1;
  let njac = 0;
  let nacc = 0;
  let nrej = 0;
  let status = firstDerivative(kind, ncmt, depot, n, t, ya, p, rate, F0, obsY, kObs, nObs);
  if (status == AT_EQUILIBRIUM) return Status.Ok;

  let h = warmStart(hState);
  if (status == Status.Ok && !(h > 0)) {
    h = initialStep(kind, ncmt, depot, n, t, ya, F0, p, rate, span, rtol, atol, 4.0, yb, DY);
    nfev++;
  }
  h = liftStep(h, t, span);
  let hProposal = h;
  let reject = false;
  let needJac = true; // false after a rejection: t and y are unchanged, J and F0 still valid
  let sawNonFinite = false;
  let nsing = 0;
  let hacc: f64 = 0;
  let erracc: f64 = 1;

  while (status == Status.Ok) {
    if (nacc + nrej >= MAX_STEPS) {
      status = Status.MaxSteps;
      break;
    }
    const hWanted = h;
    let last = false;
    if (t + 1.01 * h >= t1) {
      h = t1 - t;
      last = true;
    } else if (h < stepFloor(t)) {
      status = sawNonFinite ? Status.NonFinite : Status.StepTooSmall;
      break;
    }
    if (needJac) {
      if (nacc > 0) {
        rhs(kind, ncmt, depot, t, ya, p, rate, F0);
        nfev++;
      }
      jac(kind, ncmt, depot, t, ya, p, JM);
      if (!autonomous) rhsDt(kind, n, t, ya, p, FT);
      njac++;
      needJac = false;
    }

    // iteration matrix E = 1/(h gamma) I - J
    const fac = 1.0 / (h * RO_GAMMA);
    const nn = n * n;
    for (let i = 0; i < nn; i++) st(EM, i, -ld(JM, i));
    for (let i = 0; i < n; i++) st(EM, i * (n + 1), ld(EM, i * (n + 1)) + fac);
    if (!luDecomp(n, EM, PIV)) {
      // 1/(h gamma) hit an eigenvalue of J (or J is not finite): try a smaller step
      nsing++;
      if (nsing >= MAX_SINGULAR) {
        status = allFinite(JM, nn) ? Status.StepTooSmall : Status.NonFinite;
        break;
      }
      h *= 0.5;
      reject = true;
      nrej++;
      continue;
    }
    nsing = 0;

    const ih = 1.0 / h;
    const hc21 = RO_C21 * ih;
    const hc31 = RO_C31 * ih;
    const hc32 = RO_C32 * ih;
    const hc41 = RO_C41 * ih;
    const hc42 = RO_C42 * ih;
    const hc43 = RO_C43 * ih;
    const hc51 = RO_C51 * ih;
    const hc52 = RO_C52 * ih;
    const hc53 = RO_C53 * ih;
    const hc54 = RO_C54 * ih;
    const hc61 = RO_C61 * ih;
    const hc62 = RO_C62 * ih;
    const hc63 = RO_C63 * ih;
    const hc64 = RO_C64 * ih;
    const hc65 = RO_C65 * ih;
    const tn = last ? t1 : t + h;

    // stage 1
    if (autonomous) {
      copyVec(AK1, F0, n);
    } else {
      const hd1 = h * RO_D1;
      for (let i = 0; i < n; i++) st(AK1, i, ld(F0, i) + hd1 * ld(FT, i));
    }
    luSolve(n, EM, PIV, AK1);
    // stage 2
    for (let i = 0; i < n; i++) st(yb, i, ld(ya, i) + RO_A21 * ld(AK1, i));
    rhs(kind, ncmt, depot, t + RO_C2 * h, yb, p, rate, DY);
    for (let i = 0; i < n; i++) st(AK2, i, ld(DY, i) + hc21 * ld(AK1, i));
    if (!autonomous) {
      const hd2 = h * RO_D2;
      for (let i = 0; i < n; i++) st(AK2, i, ld(AK2, i) + hd2 * ld(FT, i));
    }
    luSolve(n, EM, PIV, AK2);
    // stage 3
    for (let i = 0; i < n; i++) st(yb, i, ld(ya, i) + RO_A31 * ld(AK1, i) + RO_A32 * ld(AK2, i));
    rhs(kind, ncmt, depot, t + RO_C3 * h, yb, p, rate, DY);
    for (let i = 0; i < n; i++) st(AK3, i, ld(DY, i) + hc31 * ld(AK1, i) + hc32 * ld(AK2, i));
    if (!autonomous) {
      const hd3 = h * RO_D3;
      for (let i = 0; i < n; i++) st(AK3, i, ld(AK3, i) + hd3 * ld(FT, i));
    }
    luSolve(n, EM, PIV, AK3);
    // stage 4
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + RO_A41 * ld(AK1, i) + RO_A42 * ld(AK2, i) + RO_A43 * ld(AK3, i));
    }
    rhs(kind, ncmt, depot, t + RO_C4 * h, yb, p, rate, DY);
    for (let i = 0; i < n; i++) {
      st(AK4, i, ld(DY, i) + hc41 * ld(AK1, i) + hc42 * ld(AK2, i) + hc43 * ld(AK3, i));
    }
    if (!autonomous) {
      const hd4 = h * RO_D4;
      for (let i = 0; i < n; i++) st(AK4, i, ld(AK4, i) + hd4 * ld(FT, i));
    }
    luSolve(n, EM, PIV, AK4);
    // stage 5 (c5 = 1, d5 = 0)
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + RO_A51 * ld(AK1, i) + RO_A52 * ld(AK2, i) + RO_A53 * ld(AK3, i) +
        RO_A54 * ld(AK4, i));
    }
    rhs(kind, ncmt, depot, tn, yb, p, rate, DY);
    for (let i = 0; i < n; i++) {
      st(AK5, i, ld(DY, i) + hc51 * ld(AK1, i) + hc52 * ld(AK2, i) + hc53 * ld(AK3, i) + hc54 * ld(AK4, i));
    }
    luSolve(n, EM, PIV, AK5);
    // embedded solution, then stage 6 (stiffly accurate: y1 = embedded + k6)
    for (let i = 0; i < n; i++) st(yb, i, ld(yb, i) + ld(AK5, i));
    rhs(kind, ncmt, depot, tn, yb, p, rate, DY);
    for (let i = 0; i < n; i++) {
      st(AK6, i, ld(DY, i) + hc61 * ld(AK1, i) + hc62 * ld(AK2, i) + hc63 * ld(AK3, i) +
        hc64 * ld(AK4, i) + hc65 * ld(AK5, i));
    }
    luSolve(n, EM, PIV, AK6);
    for (let i = 0; i < n; i++) st(yb, i, ld(yb, i) + ld(AK6, i));
    nfev += 5;

    // stiffly accurate pair: the last stage increment is the local error estimate
    const err = domainError(kind, errNorm(n, ya, yb, AK6, rtol, atol), n, ya, yb, 8, rtol, atol);

    if (!isFinite<f64>(err)) {
      sawNonFinite = true;
      reject = true;
      nrej++;
      h *= 0.1;
      continue;
    }

    let fc = max<f64>(FAC2, min<f64>(FAC1, root4(err) / SAFE));
    let hnew = h / fc;

    if (err <= 1.0) {
      if (nacc > 0) {
        // predictive controller: uses the error trend of the last two accepted steps
        let facgus = (hacc / h) * root4(err * err / erracc) / SAFE;
        facgus = max<f64>(FAC2, min<f64>(FAC1, facgus));
        fc = max<f64>(fc, facgus);
        hnew = h / fc;
      }
      hacc = h;
      erracc = max<f64>(1e-2, err);
      nacc++;
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
              const k1 = ld(AK1, i);
              const k2 = ld(AK2, i);
              const k3 = ld(AK3, i);
              const k4 = ld(AK4, i);
              const k5 = ld(AK5, i);
              st(Q1, i, RO_D21 * k1 + RO_D22 * k2 + RO_D23 * k3 + RO_D24 * k4 + RO_D25 * k5);
              st(Q2, i, RO_D31 * k1 + RO_D32 * k2 + RO_D33 * k3 + RO_D34 * k4 + RO_D35 * k5);
            }
          }
          const s = (to - t) / h;
          const s1 = 1.0 - s;
          for (let i = 0; i < n; i++) {
            st(dst, i, s1 * ld(ya, i) + s * (ld(yb, i) + s1 * (ld(Q1, i) + s * ld(Q2, i))));
          }
        }
        kObs++;
      }
      const sw = ya;
      ya = yb;
      yb = sw;
      needJac = true;
      if (reject) hnew = min<f64>(hnew, h);
      reject = false;
      hnew = min<f64>(hnew, span);
      if (last) {
        t = t1;
        hProposal = h < hWanted ? max<f64>(hnew, hWanted) : hnew;
        break;
      }
      t = tn;
      h = hnew;
    } else {
      reject = true;
      nrej++;
      h = hnew;
    }
  }

  status = finishSegment(status, y, ya, n, obsY, kObs, nObs, hState, hProposal);
  writeStats(nacc, nrej, nfev, njac);
  return status;
}
