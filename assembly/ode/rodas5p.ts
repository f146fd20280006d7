// Linearly implicit Rodas5P (Steinebach 2023) for stiff systems: one analytic Jacobian and one
// LU factorisation per step, eight right-hand-side evaluations, embedded order-4 error estimate
// and order-4 dense output. Same contract and step control as RODAS4 (rosenbrock.ts), with the
// controller's exponent 1/5.
// see: Steinebach G., BIT Numer. Math. 63 (2023) 27; Hairer & Wanner, Solving ODEs II, 2nd ed.,
//      Sect. IV.7 (formulation) and IV.8 (predictive controller)
import { Status, MAX_STATES } from "../abi";
import { rhs, jac, rhsDt, isAutonomous } from "../models/rhs";
import { R5_GAMMA, R5_D, R5_H } from "./tableaus";
import { MAX_STEPS, stepFloor, warmStart, liftStep, firstDerivative, AT_EQUILIBRIUM, finishSegment, writeStats, errNorm, initialStep, copyVec, allFinite, domainError, log2Fast, exp2Fast } from "./control";
import { luDecomp, luSolve } from "./lu";

const VEC: i32 = MAX_STATES << 3;
const MAT: i32 = MAX_STATES * MAX_STATES * 8;
const F0: usize = memory.data(VEC, 16); // f(t, y) at the step start, reused after a rejection
const FT: usize = memory.data(VEC, 16); // df/dt (non-autonomous kinds only)
const DY: usize = memory.data(VEC, 16);
const KS: usize = memory.data(VEC * 8, 16); // the eight stage increments, one row of MAX_STATES each
const YA: usize = memory.data(VEC, 16);
const YB: usize = memory.data(VEC, 16);
const Q1: usize = memory.data(VEC, 16);
const Q2: usize = memory.data(VEC, 16);
const Q3: usize = memory.data(VEC, 16);
const JM: usize = memory.data(MAT, 16); // Jacobian, kept across rejections of the same step
const EM: usize = memory.data(MAT, 16); // 1/(h gamma) I - J, factored in place
const EI: usize = memory.data(MAT, 16); // its inverse, row-major: each stage's solve is one product
const PIV: usize = memory.data(MAX_STATES << 2, 16);

// a_sj (stage s+1, increment j+1) and c_s as immediates for the unrolled stages
const R5_A_10: f64 = 3.0;
const R5_A_20: f64 = 2.849394379747939;
const R5_A_21: f64 = 0.45842242204463923;
const R5_A_30: f64 = -6.954028509809101;
const R5_A_31: f64 = 2.489845061869568;
const R5_A_32: f64 = -10.358996098473584;
const R5_A_40: f64 = 2.8029986275628964;
const R5_A_41: f64 = 0.5072464736228206;
const R5_A_42: f64 = -0.3988312541770524;
const R5_A_43: f64 = -0.04721187230404641;
const R5_A_50: f64 = -7.502846399306121;
const R5_A_51: f64 = 2.561846144803919;
const R5_A_52: f64 = -11.627539656261098;
const R5_A_53: f64 = -0.18268767659942256;
const R5_A_54: f64 = 0.030198172008377946;
const R5_C1: f64 = 0.6358126895828704;
const R5_C2: f64 = 0.4095798393397535;
const R5_C3: f64 = 0.9769306725060716;
const R5_C4: f64 = 0.4288403609558664;

const FAC1: f64 = 5.0;
const FAC2: f64 = 1.0 / 6.0;
const SAFE: f64 = 0.9;
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
/** Row j of the stage increments. */
// @ts-ignore: decorator
@inline
function kr(j: i32): usize {
  return KS + <usize>j * <usize>VEC;
}

/** v = EI·r (r and v distinct, n entries). */
// @ts-ignore: decorator
@inline
function solveInto(n: i32, r: usize, v: usize): void {
  if (n == 3) {
    // the size of the built-in TMDD and most small texts, written out
    const r0 = ld(r, 0);
    const r1 = ld(r, 1);
    const r2 = ld(r, 2);
    st(v, 0, ld(EI, 0) * r0 + ld(EI, 1) * r1 + ld(EI, 2) * r2);
    st(v, 1, ld(EI, 3) * r0 + ld(EI, 4) * r1 + ld(EI, 5) * r2);
    st(v, 2, ld(EI, 6) * r0 + ld(EI, 7) * r1 + ld(EI, 8) * r2);
    return;
  }
  for (let i = 0; i < n; i++) {
    const row = EI + <usize>(i * n) * 8;
    let x: f64 = 0;
    for (let c = 0; c < n; c++) x += ld(row, c) * ld(r, c);
    st(v, i, x);
  }
}

/** x^(1/5) for the controller (x > 0; ~1e-5 relative, the factors are clamped and damped). */
// @ts-ignore: decorator
@inline
function root5(x: f64): f64 {
  return exp2Fast(0.2 * log2Fast(max<f64>(x, 1e-300)));
}

/** Same contract as dopri5() and rosenbrock(). */
export function rodas5p(
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
    h = initialStep(kind, ncmt, depot, n, t, ya, F0, p, rate, span, rtol, atol, 5.0, yb, DY);
    nfev++;
  }
  h = liftStep(h, t, span);
  let hProposal = h;
  let reject = false;
  let needJac = true;
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

    const fac = 1.0 / (h * R5_GAMMA);
    const nn = n * n;
    for (let i = 0; i < nn; i++) st(EM, i, -ld(JM, i));
    for (let i = 0; i < n; i++) st(EM, i * (n + 1), ld(EM, i * (n + 1)) + fac);
    if (!luDecomp(n, EM, PIV)) {
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
    // the inverse from the factors, one column per unit vector: eight stage solves become
    // products whose rows do not wait on each other (luSolve's substitutions were a third of a step)
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < n; i++) st(DY, i, i == c ? 1.0 : 0.0);
      luSolve(n, EM, PIV, DY);
      for (let i = 0; i < n; i++) st(EI, i * n + c, ld(DY, i));
    }

    const ih = 1.0 / h;
    const tn = last ? t1 : t + h;

    // stage 1
    const k0 = kr(0);
    if (autonomous) {
      solveInto(n, F0, k0);
    } else {
      const hd = h * ld(R5_D, 0);
      for (let i = 0; i < n; i++) st(DY, i, ld(F0, i) + hd * ld(FT, i));
      solveInto(n, DY, k0);
    }
    // stages 2-8, unrolled (the coefficients as immediates): yb = ya + sum_j a_sj k_j for stages 2-6,
    // yb += k_{s-1} for 7 and 8; f at t + c_s h (c = 1 from stage 6); k_s = E^-1 (f + sum_j C_sj/h k_j + h d_s f_t)
    // stage 2
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + R5_A_10 * ld(kr(0), i));
    }
    rhs(kind, ncmt, depot, t + R5_C1 * h, yb, p, rate, DY);
    const hc0 = -14.155112264123755 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc0 * ld(kr(0), i));
    }
    if (!autonomous) {
      const hd = h * ld(R5_D, 1);
      for (let i = 0; i < n; i++) st(DY, i, ld(DY, i) + hd * ld(FT, i));
    }
    solveInto(n, DY, kr(1));
    // stage 3
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + R5_A_20 * ld(kr(0), i) + R5_A_21 * ld(kr(1), i));
    }
    rhs(kind, ncmt, depot, t + R5_C2 * h, yb, p, rate, DY);
    const hc1 = -17.97296035885952 * ih;
    const hc2 = -2.859693295451294 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc1 * ld(kr(0), i) + hc2 * ld(kr(1), i));
    }
    if (!autonomous) {
      const hd = h * ld(R5_D, 2);
      for (let i = 0; i < n; i++) st(DY, i, ld(DY, i) + hd * ld(FT, i));
    }
    solveInto(n, DY, kr(2));
    // stage 4
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + R5_A_30 * ld(kr(0), i) + R5_A_31 * ld(kr(1), i) + R5_A_32 * ld(kr(2), i));
    }
    rhs(kind, ncmt, depot, t + R5_C3 * h, yb, p, rate, DY);
    const hc3 = 147.12150275711716 * ih;
    const hc4 = -1.41221402718213 * ih;
    const hc5 = 71.68940251302358 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc3 * ld(kr(0), i) + hc4 * ld(kr(1), i) + hc5 * ld(kr(2), i));
    }
    if (!autonomous) {
      const hd = h * ld(R5_D, 3);
      for (let i = 0; i < n; i++) st(DY, i, ld(DY, i) + hd * ld(FT, i));
    }
    solveInto(n, DY, kr(3));
    // stage 5
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + R5_A_40 * ld(kr(0), i) + R5_A_41 * ld(kr(1), i) + R5_A_42 * ld(kr(2), i) + R5_A_43 * ld(kr(3), i));
    }
    rhs(kind, ncmt, depot, t + R5_C4 * h, yb, p, rate, DY);
    const hc6 = 165.43517024871676 * ih;
    const hc7 = -0.4592823456491126 * ih;
    const hc8 = 42.90938336958603 * ih;
    const hc9 = -5.961986721573306 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc6 * ld(kr(0), i) + hc7 * ld(kr(1), i) + hc8 * ld(kr(2), i) + hc9 * ld(kr(3), i));
    }
    if (!autonomous) {
      const hd = h * ld(R5_D, 4);
      for (let i = 0; i < n; i++) st(DY, i, ld(DY, i) + hd * ld(FT, i));
    }
    solveInto(n, DY, kr(4));
    // stage 6
    for (let i = 0; i < n; i++) {
      st(yb, i, ld(ya, i) + R5_A_50 * ld(kr(0), i) + R5_A_51 * ld(kr(1), i) + R5_A_52 * ld(kr(2), i) + R5_A_53 * ld(kr(3), i) + R5_A_54 * ld(kr(4), i));
    }
    rhs(kind, ncmt, depot, tn, yb, p, rate, DY);
    const hc10 = 24.854864614690072 * ih;
    const hc11 = -3.0009227002832186 * ih;
    const hc12 = 47.4931110020768 * ih;
    const hc13 = 5.5814197821558125 * ih;
    const hc14 = -0.6610691825249471 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc10 * ld(kr(0), i) + hc11 * ld(kr(1), i) + hc12 * ld(kr(2), i) + hc13 * ld(kr(3), i) + hc14 * ld(kr(4), i));
    }
    solveInto(n, DY, kr(5));
    // stage 7
    for (let i = 0; i < n; i++) st(yb, i, ld(yb, i) + ld(kr(5), i));
    rhs(kind, ncmt, depot, tn, yb, p, rate, DY);
    const hc15 = 30.91273214028599 * ih;
    const hc16 = -3.1208243349937974 * ih;
    const hc17 = 77.79954646070892 * ih;
    const hc18 = 34.28646028294783 * ih;
    const hc19 = -19.097331116725623 * ih;
    const hc20 = -28.087943162872662 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc15 * ld(kr(0), i) + hc16 * ld(kr(1), i) + hc17 * ld(kr(2), i) + hc18 * ld(kr(3), i) + hc19 * ld(kr(4), i) + hc20 * ld(kr(5), i));
    }
    solveInto(n, DY, kr(6));
    // stage 8
    for (let i = 0; i < n; i++) st(yb, i, ld(yb, i) + ld(kr(6), i));
    rhs(kind, ncmt, depot, tn, yb, p, rate, DY);
    const hc21 = 37.80277123390563 * ih;
    const hc22 = -3.2571969029072276 * ih;
    const hc23 = 112.26918849496327 * ih;
    const hc24 = 66.9347231244047 * ih;
    const hc25 = -40.06618937091002 * ih;
    const hc26 = -54.66780262877968 * ih;
    const hc27 = -9.48861652309627 * ih;
    for (let i = 0; i < n; i++) {
      st(DY, i, ld(DY, i) + hc21 * ld(kr(0), i) + hc22 * ld(kr(1), i) + hc23 * ld(kr(2), i) + hc24 * ld(kr(3), i) + hc25 * ld(kr(4), i) + hc26 * ld(kr(5), i) + hc27 * ld(kr(6), i));
    }
    solveInto(n, DY, kr(7));
    const k7 = kr(7);
    for (let i = 0; i < n; i++) st(yb, i, ld(yb, i) + ld(k7, i));
    nfev += 7;

    // stiffly accurate pair: the last stage increment is the local error estimate
    const err = domainError(kind, errNorm(n, ya, yb, k7, rtol, atol), n, ya, yb, 8, rtol, atol);

    if (!isFinite<f64>(err)) {
      sawNonFinite = true;
      reject = true;
      nrej++;
      h *= 0.1;
      continue;
    }

    let fc = max<f64>(FAC2, min<f64>(FAC1, root5(err) / SAFE));
    let hnew = h / fc;

    if (err <= 1.0) {
      if (nacc > 0) {
        // predictive controller (Gustafsson): the error trend of the last two accepted steps
        let facgus = (hacc / h) * root5(err * err / erracc) / SAFE;
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
              let q1: f64 = 0;
              let q2: f64 = 0;
              let q3: f64 = 0;
              for (let j = 0; j < 8; j++) {
                const kj = ld(kr(j), i);
                q1 += ld(R5_H, j) * kj;
                q2 += ld(R5_H, 8 + j) * kj;
                q3 += ld(R5_H, 16 + j) * kj;
              }
              st(Q1, i, q1);
              st(Q2, i, q2);
              st(Q3, i, q3);
            }
          }
          const s = (to - t) / h;
          const s1 = 1.0 - s;
          for (let i = 0; i < n; i++) {
            st(dst, i, s1 * ld(ya, i) + s * (ld(yb, i) + s1 * (ld(Q1, i) + s * (ld(Q2, i) + s * ld(Q3, i)))));
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
