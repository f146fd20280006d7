// Taylor-series integrator for the built-in Michaelis–Menten kind (Kind.MichaelisMenten: mm-iv,
// mm-oral): the solution's Taylor coefficients at each step's start by automatic differentiation
// (recurrences on the right-hand side's operations), the step from the last two coefficients, and
// observations inside a step as the polynomial itself (Horner), at no extra evaluation.
// see: Jorba A, Zou M, "A software package for the numerical integration of ODEs by means of
// high-order Taylor methods", Experimental Mathematics 2005;14:99-117 (recurrences, Sect. 2;
// order and step size from the last two coefficients, Sect. 3.2)
//
// The model (assembly/models/mm.ts), central amount A, depot Ad, zero-order inputs rc and rd:
//   dA/dt  = ka·Ad − k10·A − VMAX·q + rc,   q = A/(c + A),   c = KM·V
//   dAd/dt = −ka·Ad + rd
// The quotient's coefficients follow from q·(c + A) = A:
//   q_k = (A_k − Σ_{j=1..k} A_j·q_{k−j}) / (c + A_0)          (O(p²) per step)
// and A_{k+1} = (ka·D_k − k10·A_k − VMAX·q_k + rc·[k = 0]) / (k + 1). The depot is linear with a
// constant input: its coefficients are exact (D_{k+1} = −ka·D_k/(k+1) after D_1 = −ka·Ad + rd) and it
// is carried in closed form (Ad·e^(−ka·τ) + rd·(1 − e^(−ka·τ))/ka), never stepped: only the central
// amount's truncation sets the step.
import { Status, P, PMm } from "../abi";
import { MAX_STEPS, stepFloor, finishSegment, writeStats, log2Fast, exp2Fast } from "./control";

/** Highest order the coefficient buffers hold. */
export const TAYLOR_PMAX: i32 = 32;
const COEF: i32 = (TAYLOR_PMAX + 2) << 3;
/** The central amount's coefficients A_0..A_p. */
const CA: usize = memory.data(COEF, 16);
/**
 * The quotient A/(c + A), reversed: q_i at QR + (TAYLOR_PMAX − i)·8, so that the convolution
 * Σ_j A_j·q_{k−j} reads both operands upwards, two at a time (f64x2).
 */
const QR: usize = memory.data(COEF, 16);

/** 1/(k + 1), k = 0..TAYLOR_PMAX: a multiply, not a division, on each order's critical path. */
const RECIP: usize = memory.data(COEF, 16);
let recipReady = false;
/** The final state for finishSegment. */
const YEND: usize = memory.data(16, 16);

/**
 * The step: SAFETY·min over the last two orders of (tol/|A_k|)^(1/k) (Jorba & Zou's first
 * strategy; tol = atol + rtol·|A_0|, the central amount's own tolerance, as dop853's per-state scale).
 */
const SAFETY: f64 = 0.9;
/** A segment that needs more steps than this under 'auto' is handed to the stiff method (TAYLOR_STIFF). */
export const TAYLOR_AUTO_STEPS: i32 = 2000;
/** taylor() gave the segment up under 'auto' (TAYLOR_AUTO_STEPS): y and hState untouched. */
export const TAYLOR_STIFF: i32 = -4;

/** Testing only (assembly/testing.ts): an order fixed by the caller and, with `whole`, the whole segment as one step. */
let fixedOrder: i32 = 0;
let wholeStep = false;
export function setTaylorOrder(p: i32, whole: bool): void {
  fixedOrder = p;
  wholeStep = whole;
}

/**
 * Order from the tolerance: 0.82·(−ln rtol) + 1, between 8 and TAYLOR_PMAX − 2 (rtol 1e-8: 16).
 * Jorba & Zou's optimum, −ln(ε)/2 + 1 (10 at 1e-8), is for an entire solution; here the pole of
 * A/(c + A) at A = −c puts the solution's radius of convergence near (c + A)/|dA/dt| (0.2 h just
 * after an oral dose), the step stays below it at any order, and a higher order buys steps closer
 * to it. Measured on the typical W-ode subject's dosing interval (12 h, 11 observations, rtol 1e-8),
 * steps and speed against DOP853 (30 steps): order 10 28 steps ×2.3, 12 21 ×2.65, 14 17 ×2.8,
 * 16 15 ×2.8, 18 14 ×2.7, 20 13 ×2.5, 22 12 ×2.2, 26 11 ×2.0.
 */
export function taylorOrder(rtol: f64): i32 {
  if (fixedOrder > 0) return min<i32>(fixedOrder, TAYLOR_PMAX);
  if (rtol != orderRtol) {
    orderRtol = rtol;
    orderOf = max<i32>(8, min<i32>(<i32>(0.82 * -Math.log(rtol)) + 1, TAYLOR_PMAX - 2));
  }
  return orderOf;
}
/** taylorOrder()'s last answer (a batch runs at one rtol). */
let orderRtol: f64 = -1;
let orderOf: i32 = 8;

// @ts-ignore: decorator
@inline
function ld(v: usize, k: i32): f64 {
  return load<f64>(v + (<usize>k << 3));
}
// @ts-ignore: decorator
@inline
function st(v: usize, k: i32, x: f64): void {
  store<f64>(v + (<usize>k << 3), x);
}

/**
 * Σ_{k=0..p} c_k·τ^k, four interleaved Horner chains in τ⁴ (c_4i+r, r = 0..3) joined at the end:
 * a quarter of Horner's depth (the step's end waits on it), no stores.
 * see: Knuth, TAOCP vol. 2, 3rd ed., Sect. 4.6.4 (second-order Horner rule, generalized)
 */
// @ts-ignore: decorator
@inline
function evalPoly(c: usize, p: i32, tau: f64): f64 {
  const t2 = tau * tau;
  const t4 = t2 * t2;
  let top = p >> 2; // highest i with 4i <= p
  let b0 = ld(c, 4 * top);
  let b1: f64 = 4 * top + 1 <= p ? ld(c, 4 * top + 1) : 0.0;
  let b2: f64 = 4 * top + 2 <= p ? ld(c, 4 * top + 2) : 0.0;
  let b3: f64 = 4 * top + 3 <= p ? ld(c, 4 * top + 3) : 0.0;
  for (let i = top - 1; i >= 0; i--) {
    const o = c + (<usize>i << 5);
    b0 = b0 * t4 + load<f64>(o);
    b1 = b1 * t4 + load<f64>(o, 8);
    b2 = b2 * t4 + load<f64>(o, 16);
    b3 = b3 * t4 + load<f64>(o, 24);
  }
  return (b0 + tau * b1) + t2 * (b2 + tau * b3);
}

/** The depot τ after holding ad, under absorption ka and input rd: exact. */
// @ts-ignore: decorator
@inline
function depotAt(ad: f64, ka: f64, rd: f64, tau: f64): f64 {
  if (rd == 0) return ad * Math.exp(-ka * tau);
  if (ka == 0) return ad + rd * tau;
  return ad + Math.expm1(-ka * tau) * (ad - rd / ka);
}

/**
 * Integrate y (mm: [depot?] central) in place from t0 to t1 (t1 > t0), as dop853(): observations
 * kObs..nObs-1 with obsT <= t1 from the step's polynomial, those at or beyond t1 the final state.
 * Counters: accepted steps, no rejections (a step is never retried), and in the evaluation counter
 * the coefficient orders computed (p per step: each costs about one right-hand side plus its
 * share of the quotient's convolution). `auto`: hand a segment that needs more than
 * TAYLOR_AUTO_STEPS steps to the stiff method (TAYLOR_STIFF).
 */
export function taylor(
  ncmt: i32, depot: i32, n: i32, y: usize, t0: f64, t1: f64, p: usize, rate: usize,
  obsT: usize, nObs: i32, kObs: i32, obsY: usize, rtol: f64, atol: f64, hState: usize, auto: bool,
): i32 {
  if (!recipReady) {
    for (let k = 0; k <= TAYLOR_PMAX; k++) st(RECIP, k, 1.0 / <f64>(k + 1));
    recipReady = true;
  }
  const c = <usize>depot << 3;
  const k10 = load<f64>(p, P.k10 << 3);
  const ka = depot ? load<f64>(p, P.ka << 3) : 0.0;
  const vmax = load<f64>(p, PMm.VMAX << 3);
  const cc = load<f64>(p, PMm.KM << 3) * load<f64>(p, PMm.V << 3);
  const rc = rate ? load<f64>(rate + c) : 0.0;
  const rd = rate && depot ? load<f64>(rate) : 0.0;
  const order = taylorOrder(rtol);
  const rowBytes = <usize>n << 3;
  const lgInvP1 = 1.0 / <f64>(order - 1);
  const lgInvP = 1.0 / <f64>order;

  let a = load<f64>(y + c);
  let ad = depot ? load<f64>(y) : 0.0;
  let t = t0;
  let nacc = 0;
  let status: i32 = Status.Ok;
  let hLast: f64 = t1 - t0;
  const ya = YEND;

  while (true) {
    if (nacc >= MAX_STEPS) {
      status = Status.MaxSteps;
      break;
    }
    if (auto && nacc >= TAYLOR_AUTO_STEPS) {
      writeStats(nacc, 0, nacc * order, 0);
      return TAYLOR_STIFF;
    }
    // coefficients at t
    const inv = 1.0 / (cc + a);
    st(CA, 0, a);
    let qk = a * inv;
    store<f64>(QR + (<usize>TAYLOR_PMAX << 3), qk);
    let ak = ka * ad - k10 * a - vmax * qk + rc;
    st(CA, 1, ak);
    let dk = rd - ka * ad;
    // q_k = (A_k − Σ_{j=1..k} A_j·q_{k−j})/(c + A_0) = A_k·w − Σ_{j=1..k−1} A_j·q_{k−j}/(c + A_0) with
    // w = (1 − q_0)/(c + A_0): the sum's terms but A_1·q_{k−1} are ready before q_{k−1} is, so they
    // are summed first, two pairs at a time, and only a few operations stand between one order and the next
    const w = (1.0 - qk) * inv;
    const a1 = ak;
    for (let k = 1; k < order; k++) {
      // Σ_{j=2..k−1} A_j·q_{k−j}: QR + (PMAX − k + j)·8 holds q_{k−j}
      const qb = QR + (<usize>(TAYLOR_PMAX - k) << 3);
      let v0 = f64x2.splat(0.0);
      let v1 = f64x2.splat(0.0);
      let j = 2;
      for (; j + 3 < k; j += 4) {
        const o = <usize>j << 3;
        v0 = f64x2.add(v0, f64x2.mul(v128.load(CA + o), v128.load(qb + o)));
        v1 = f64x2.add(v1, f64x2.mul(v128.load(CA + o, 16), v128.load(qb + o, 16)));
      }
      if (j + 1 < k) {
        const o = <usize>j << 3;
        v0 = f64x2.add(v0, f64x2.mul(v128.load(CA + o), v128.load(qb + o)));
        j += 2;
      }
      v0 = f64x2.add(v0, v1);
      let s = f64x2.extract_lane(v0, 0) + f64x2.extract_lane(v0, 1);
      if (j < k) s += ld(CA, j) * load<f64>(qb + (<usize>j << 3));
      if (k > 1) s += a1 * load<f64>(qb, 8);
      qk = ak * w - s * inv;
      store<f64>(qb, qk);
      const r = ld(RECIP, k);
      ak = (ka * dk - k10 * ak - vmax * qk) * r;
      dk = -ka * dk * r;
      st(CA, k + 1, ak);
    }
    if (!isFinite<f64>(ak) || !isFinite<f64>(ld(CA, order - 1))) {
      status = Status.NonFinite;
      break;
    }
    // the step
    let h: f64;
    if (wholeStep) h = t1 - t;
    else {
      const lgTol = log2Fast(max<f64>(atol + rtol * abs<f64>(a), 1e-300));
      const e1 = abs<f64>(ld(CA, order - 1));
      const e2 = abs<f64>(ak);
      // log2 of each candidate (+∞ where the coefficient is 0: it sets no bound), one exponential
      const l1 = e1 > 0 ? (lgTol - log2Fast(e1)) * lgInvP1 : Infinity;
      const l2 = e2 > 0 ? (lgTol - log2Fast(e2)) * lgInvP : Infinity;
      const lh = min<f64>(l1, l2);
      h = lh < 1000.0 ? (lh > -1000.0 ? SAFETY * exp2Fast(lh) : 0.0) : Infinity;
      if (h < t1 - t) hLast = h;
      else h = t1 - t;
    }
    let last = false;
    if (t + 1.01 * h >= t1) {
      h = t1 - t;
      last = true;
    } else if (h < stepFloor(t)) {
      status = Status.StepTooSmall;
      break;
    }
    const tn = last ? t1 : t + h;
    // observations inside the step (those at t1 get the final state from finishSegment)
    while (kObs < nObs) {
      const to = load<f64>(obsT + (<usize>kObs << 3));
      if (to > tn || to >= t1) break;
      const dst = obsY + <usize>kObs * rowBytes;
      const tau = to - t;
      store<f64>(dst + c, evalPoly(CA, order, tau));
      if (depot) store<f64>(dst, depotAt(ad, ka, rd, tau));
      kObs++;
    }
    a = evalPoly(CA, order, h);
    if (depot) ad = depotAt(ad, ka, rd, h);
    nacc++;
    if (!isFinite<f64>(a)) {
      status = Status.NonFinite;
      break;
    }
    if (last) break;
    t = tn;
  }
  store<f64>(ya + c, a);
  if (depot) store<f64>(ya, ad);
  status = finishSegment(status, y, ya, n, obsY, kObs, nObs, hState, hLast);
  writeStats(nacc, 0, nacc * order, 0);
  return status;
}
