// The MAP objective of one patient inside the engine, for the common case: a built-in linear model
// solved analytically whose structural parameters are each (L·exp(η))·R (L, R fixed per
// parameter-set group) or fixed, one shared event table, additive / proportional / combined / combined1 error,
// no BLQ, no IOV (src/bayes/map-fast.ts decides and falls back to the JavaScript objective
// otherwise). Three entry points over one loaded patient (mapLoad):
//
//   mapBatch     OFV at `count` points (src/bayes/objective.ts ofvBatch)
//   mapGradient  OFV and its central-difference gradient in one stencil (optimize.ts centralDifferences)
//   mapBfgs      the whole BFGS run with its strong-Wolfe line search (optimize.ts bfgs)
//
// Every operation is the JavaScript path's, in its order (WebAssembly has no fused multiply-add, and
// exp and log are V8's own fdlibm ports, v8exp and v8log below), so the objective, the gradient and
// the iterates are bitwise those of the JavaScript path (test/unit/bayes/map-fast.test.ts).

import { Method, Status, P, PAR_STRIDE, SHARED_BLOCK } from "./abi";
import { simulateBatch, simulateShared } from "./driver";

// ---- V8's Math.exp and Math.log (src/base/ieee754.cc, fdlibm), bit for bit ----

/** Math.exp as V8 computes it (fdlibm's __ieee754_exp with V8's exp(1) and 2^k scaling). */
export function v8exp(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.45133219101941108420e2) return 0.0;
  }
  let hi = 0.0;
  let lo = 0.0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return 2.718281828459045;
      if (xsb == 0) {
        hi = x - 6.93147180369123816490e-1;
        lo = 1.90821492927058770002e-10;
        k = 1;
      } else {
        hi = x - -6.93147180369123816490e-1;
        lo = -1.90821492927058770002e-10;
        k = -1;
      }
    } else {
      k = <i32>(1.44269504088896338700 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * 6.93147180369123816490e-1;
      lo = t * 1.90821492927058770002e-10;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    if (1.0e300 + x > 1.0) return 1.0 + x;
  } else k = 0;
  const t = x * x;
  const twopk = k >= -1021 ? reinterpret<f64>(<u64><u32>(0x3ff00000 + (k << 20)) << 32) : reinterpret<f64>(<u64><u32>(0x3ff00000 + ((k + 1000) << 20)) << 32);
  const c = x - t * (1.66666666666666019037e-1 + t * (-2.77777777770155933842e-3 + t * (6.61375632143793436117e-5 + t * (-1.65339022054652515390e-6 + t * 4.13813679705723846039e-8))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.988465674311579539e307;
    return y * twopk;
  }
  return y * twopk * 9.33263618503218878990e-302;
}

/** Math.log as V8 computes it (fdlibm's __ieee754_log). */
export function v8log(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.80143985094819840000e16;
    hx = <i32>(reinterpret<u64>(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>((<u64><u32>(hx | (i ^ 0x3ff00000)) << 32) | (reinterpret<u64>(x) & 0xffffffff));
  k += i >> 20;
  const f = x - 1.0;
  const ln2hi = 6.93147180369123816490e-1;
  const ln2lo = 1.90821492927058770002e-10;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const dk = <f64>k;
      return dk * ln2hi + dk * ln2lo;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * ln2hi - ((R - dk * ln2lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
  const t2 = z * (6.666666666666735130e-1 + w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2hi - ((hfsq - (s * (hfsq + R) + dk * ln2lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2hi - ((s * (f - R) - dk * ln2lo) - f);
}

// ---- the loaded patient ----

/** Structural values, in this order: CL (K), V, Q (K12), V2 (K21), Q3 (K13), V3 (K31), KA. */
const NS: i32 = 7;

let gNcmt: i32 = 0;
let gDepot: i32 = 0;
let gMicro: i32 = 0;
let gKind: i32 = 0;
let gMethod: i32 = 0;
let gRtol: f64 = 0;
let gAtol: f64 = 0;
let gSsTol: f64 = 0;
let gSsMaxIter: i32 = 0;
let gDim: i32 = 0;
let gG: i32 = 0;
let gNRec: i32 = 0;
let gNObs: i32 = 0;
let gNStates: i32 = 0;
let gScaleIdx: i32 = -1;
// event table columns
let eN: i32 = 0;
let eTime: usize = 0;
let eType: usize = 0;
let eCmt: usize = 0;
let eAmt: usize = 0;
let eRate: usize = 0;
let eIi: usize = 0;
let eDur: usize = 0;
let ePhase: usize = 0;
let eCount: usize = 0;
let ePar: usize = 0;
let eOut: usize = 0;
let gNDt: i32 = -1;
let gDts: usize = 0;
let gDtIndex: usize = 0;
// per group: L and R of each structural value (L·exp(η))·R (G×NS each; L the value where η is fixed or absent), kernel set at η = 0 (G×PAR_STRIDE); per structural value: its effect (index into x, −1 none) and check (−1 absent, 0 finite, 1 > 0, 2 ≥ 0)
let gTv: usize = 0;
let gRight: usize = 0;
let gBase: usize = 0;
let gEta: usize = 0;
let gCheck: usize = 0;
// observations: record, DV, guard (no dose before it), residual model (1 additive, 2 proportional, 3 combined, 4 combined1), its a and b
let oRec: usize = 0;
let oY: usize = 0;
let oGuard: usize = 0;
let oModel: usize = 0;
let oA: usize = 0;
let oB: usize = 0;
// prior precision, dim×dim
let gPrec: usize = 0;
// work (mapWork)
let wCap: i32 = 0;
let wPar: usize = 0;
let wObs: usize = 0;
let wStatus: usize = 0;
let wEvStart: usize = 0;
let wEvEnd: usize = 0;
let wParBase: usize = 0;
let wOutBase: usize = 0;
let wLive: usize = 0;
let wShared: usize = 0;
let wPts: usize = 0;
let wOut: usize = 0;
let wH: usize = 0;
let wSteps: usize = 0;
// BFGS state
let bH: usize = 0;
let bH0: usize = 0;
let bX: usize = 0;
let bXn: usize = 0;
let bG: usize = 0;
let bP: usize = 0;
let bHy: usize = 0;
let bS: usize = 0;
let bY: usize = 0;
let bXt: usize = 0;
let bTrials: usize = 0;

// @ts-ignore: decorator
@inline function ldf(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function stf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** Loads a patient: the solver, the shared event table, the parameter-set groups, the observations and the prior. */
export function mapLoad(
  kind: i32, ncmt: i32, depot: i32, micro: i32, method: i32, rtol: f64, atol: f64, ssTol: f64, ssMaxIter: i32, nStates: i32,
  nEv: i32, evTime: usize, evType: usize, evCmt: usize, evAmt: usize, evRate: usize, evIi: usize, evDur: usize, evPhase: usize, evCount: usize, evPar: usize, evOut: usize,
  nDt: i32, dts: usize, dtIndex: usize,
  dim: i32, groups: i32, nRec: i32, tv: usize, right: usize, base: usize, eta: usize, check: usize, scaleIdx: i32,
  nObs: i32, rec: usize, y: usize, guard: usize, model: usize, a: usize, b: usize, prec: usize,
): void {
  gKind = kind;
  gNcmt = ncmt;
  gDepot = depot;
  gMicro = micro;
  gMethod = method;
  gRtol = rtol;
  gAtol = atol;
  gSsTol = ssTol;
  gSsMaxIter = ssMaxIter;
  gNStates = nStates;
  eN = nEv;
  eTime = evTime;
  eType = evType;
  eCmt = evCmt;
  eAmt = evAmt;
  eRate = evRate;
  eIi = evIi;
  eDur = evDur;
  ePhase = evPhase;
  eCount = evCount;
  ePar = evPar;
  eOut = evOut;
  gNDt = nDt;
  gDts = dts;
  gDtIndex = dtIndex;
  gDim = dim;
  gG = groups;
  gNRec = nRec;
  gTv = tv;
  gRight = right;
  gBase = base;
  gEta = eta;
  gCheck = check;
  gScaleIdx = scaleIdx;
  gNObs = nObs;
  oRec = rec;
  oY = y;
  oGuard = guard;
  oModel = model;
  oA = a;
  oB = b;
  gPrec = prec;
}

/** The trial records of a line search: a, f, d, then the gradient (dim). */
const MAX_TRIALS: i32 = 160;

/** Bytes of work for batches of up to `cap` points (after mapLoad). */
export function mapWorkBytes(cap: i32): usize {
  const n = gDim;
  const dbl = cap * gG * PAR_STRIDE + cap * gNRec + SHARED_BLOCK * (gNStates + max(0, gNDt) * (2 * gNStates * gNStates + gNStates)) + cap * n + cap + n + n
    + 2 * n * n + 9 * n + MAX_TRIALS * (3 + n);
  const ints = 6 * cap;
  return <usize>(dbl * 8 + ints * 4 + 16 * 24);
}

// @ts-ignore: decorator
@inline function carve(p: usize, bytes: usize): usize {
  return (p + bytes + 15) & ~(<usize>15);
}

/** Sets the work area (mapWorkBytes(cap) bytes at `work`). */
export function mapWork(work: usize, cap: i32): void {
  const n = gDim;
  wCap = cap;
  let p = (work + 15) & ~(<usize>15);
  wPar = p; p = carve(p, <usize>(cap * gG * PAR_STRIDE) << 3);
  wObs = p; p = carve(p, <usize>(cap * gNRec) << 3);
  wShared = p; p = carve(p, <usize>(SHARED_BLOCK * (gNStates + max(0, gNDt) * (2 * gNStates * gNStates + gNStates))) << 3);
  wPts = p; p = carve(p, <usize>(cap * n) << 3);
  wOut = p; p = carve(p, <usize>cap << 3);
  wH = p; p = carve(p, <usize>n << 3);
  wSteps = p; p = carve(p, <usize>n << 3);
  bH = p; p = carve(p, <usize>(n * n) << 3);
  bH0 = p; p = carve(p, <usize>(n * n) << 3);
  bX = p; p = carve(p, <usize>n << 3);
  bXn = p; p = carve(p, <usize>n << 3);
  bG = p; p = carve(p, <usize>n << 3);
  bP = p; p = carve(p, <usize>n << 3);
  bHy = p; p = carve(p, <usize>n << 3);
  bS = p; p = carve(p, <usize>n << 3);
  bY = p; p = carve(p, <usize>n << 3);
  bXt = p; p = carve(p, <usize>n << 3);
  bTrials = p; p = carve(p, <usize>(MAX_TRIALS * (3 + n)) << 3);
  wStatus = p; p = carve(p, <usize>cap << 2);
  wEvStart = p; p = carve(p, <usize>cap << 2);
  wEvEnd = p; p = carve(p, <usize>cap << 2);
  wParBase = p; p = carve(p, <usize>cap << 2);
  wOutBase = p; p = carve(p, <usize>cap << 2);
  wLive = p;
}

/**
 * Kernel sets of every group at point x (offset xo) into wPar at set `at`·G, as the model's slot
 * evaluator and kernel filler make them (objective.ts fillPoint): false where a value is invalid.
 */
function fillPoint(x: usize, xo: i32, at: i32): bool {
  const G = gG;
  for (let g = 0; g < G; g++) {
    // the structural values: (L·exp(η))·R, or L
    let cl = 0.0, v = 0.0, q = 0.0, v2 = 0.0, q3 = 0.0, v3 = 0.0, ka = 0.0;
    for (let j = 0; j < NS; j++) {
      const mode = ldi(gCheck, j);
      if (mode < 0) continue;
      const e = ldi(gEta, j);
      const tv = ldf(gTv, g * NS + j);
      const val = e >= 0 ? (tv * v8exp(ldf(x, xo + e))) * ldf(gRight, g * NS + j) : tv;
      if (!(val - val == 0 && (mode == 0 || (mode == 1 ? val > 0 : val >= 0)))) return false;
      if (j == 0) cl = val;
      else if (j == 1) v = val;
      else if (j == 2) q = val;
      else if (j == 3) v2 = val;
      else if (j == 4) q3 = val;
      else if (j == 5) v3 = val;
      else ka = val;
    }
    const base = gBase + (<usize>(g * PAR_STRIDE) << 3);
    let scale = load<f64>(base + (<usize>P.scale << 3));
    if (gScaleIdx >= 0) {
      scale = gScaleIdx == 0 ? cl : gScaleIdx == 1 ? v : gScaleIdx == 2 ? q : gScaleIdx == 3 ? v2 : gScaleIdx == 4 ? q3 : gScaleIdx == 5 ? v3 : ka;
      if (!(scale - scale == 0 && scale > 0)) return false;
    }
    const out = wPar + (<usize>((at * G + g) * PAR_STRIDE) << 3);
    memory.copy(out, base, <usize>PAR_STRIDE << 3);
    if (gDepot != 0) stf(out, P.ka, ka);
    if (gMicro != 0) {
      stf(out, P.k10, cl);
      if (gNcmt >= 2) {
        stf(out, P.k12, q);
        stf(out, P.k21, v2);
      }
      if (gNcmt >= 3) {
        stf(out, P.k13, q3);
        stf(out, P.k31, v3);
      }
    } else {
      stf(out, P.k10, cl / v);
      if (gNcmt >= 2) {
        stf(out, P.k12, q / v);
        stf(out, P.k21, q / v2);
      }
      if (gNcmt >= 3) {
        stf(out, P.k13, q3 / v);
        stf(out, P.k31, q3 / v3);
      }
    }
    stf(out, P.scale, scale);
  }
  return true;
}

/** The residual variance of an observation (src/model/residual.ts). */
// @ts-ignore: decorator
@inline function variance(model: i32, a: f64, b: f64, w: f64): f64 {
  if (model == 1) return a * a;
  if (model == 2) {
    const bw = b * w;
    return bw * bw;
  }
  if (model == 3) {
    const bw = b * w;
    return a * a + bw * bw;
  }
  const s = a + b * abs(w);
  return s * s;
}

/** The data part of the OFV of point k (objective.ts dataOfv, without BLQ and the log scale). */
function dataOfv(k: i32): f64 {
  let s = 0.0;
  const o0 = wObs + (<usize>(k * gNRec) << 3);
  for (let i = 0; i < gNObs; i++) {
    const f = ldf(o0, ldi(oRec, i));
    if (!(f - f == 0)) return Infinity;
    const m = ldi(oModel, i);
    const V = f == 0 && ldi(oGuard, i) == 0 ? variance(m, ldf(oA, i), ldf(oB, i), f) : variance(m, ldf(oA, i), ldf(oB, i), f == 0 ? 1.0 : f);
    if (!(V > 0)) return Infinity;
    const d = ldf(oY, i) - f;
    s += (d * d) / V + v8log(V);
  }
  return s;
}

/** ηᵀ Ω⁻¹ η of point k (linalg.ts quadratic). */
function prior(x: usize, xo: i32): f64 {
  const n = gDim;
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const xi = ldf(x, xo + i);
    if (xi == 0) continue;
    let r = 0.0;
    for (let j = 0; j < n; j++) r += ldf(gPrec, i * n + j) * ldf(x, xo + j);
    s += xi * r;
  }
  return s;
}

/** OFV at `count` points (row k = xs[k·dim ..]) into out; count ≤ the work's cap. */
function batch(xs: usize, count: i32, out: usize): void {
  const G = gG;
  const nRec = gNRec;
  let n = 0;
  for (let k = 0; k < count; k++) {
    if (!fillPoint(xs, k * gDim, k)) {
      stf(out, k, Infinity);
      continue;
    }
    stf(out, k, 0.0);
    sti(wLive, n++, k);
  }
  if (n == 0) return;
  if (n == count && count >= 2 && gNDt >= 0) {
    simulateShared(gKind, gNcmt, gDepot, n, eN, eTime, eType, eCmt, eAmt, eRate, eIi, eDur, ePhase, eCount, eOut, wPar, nRec, wObs, gNDt, gDts, gDtIndex, wShared, gSsTol, gSsMaxIter, wStatus);
  } else {
    for (let i = 0; i < n; i++) {
      sti(wEvStart, i, 0);
      sti(wEvEnd, i, eN);
      sti(wParBase, i, ldi(wLive, i) * G);
      sti(wOutBase, i, i * nRec);
    }
    simulateBatch(gKind, gNcmt, gDepot, gMethod, n, wEvStart, wEvEnd, eTime, eType, eCmt, eAmt, eRate, eIi, eDur, ePhase, eCount, ePar, eOut, wParBase, wPar, wOutBase, wObs, 0, gRtol, gAtol, gSsTol, gSsMaxIter, 1, wStatus);
  }
  // the live points' rows sit at i·nRec (i their rank): move each to its own index's place as read below
  for (let i = n - 1; i >= 0; i--) {
    const k = ldi(wLive, i);
    if (ldi(wStatus, i) != Status.Ok) {
      stf(out, k, Infinity);
      continue;
    }
    if (k != i) memory.copy(wObs + (<usize>(k * nRec) << 3), wObs + (<usize>(i * nRec) << 3), <usize>nRec << 3);
    const p = prior(xs, k * gDim);
    stf(out, k, dataOfv(k) + p);
  }
}

/** OFV at `count` points; `count` ≤ the work's cap. */
export function mapBatch(xs: usize, count: i32, out: usize): void {
  batch(xs, count, out);
}

let gPoints: i32 = 0;

/** f and its central-difference gradient (optimize.ts centralDifferences) at x into g. */
function valueAndGradient(x: usize, g: usize): f64 {
  const n = gDim;
  const m = 2 * n + 1;
  for (let k = 0; k < m; k++) memory.copy(wPts + (<usize>(k * n) << 3), x, <usize>n << 3);
  for (let i = 0; i < n; i++) {
    const xi = ldf(x, i);
    const hi = ldf(wSteps, i) * max(1.0, abs(xi));
    const up = xi + hi;
    const dn = xi - hi;
    stf(wPts, (1 + 2 * i) * n + i, up);
    stf(wPts, (2 + 2 * i) * n + i, dn);
    stf(wH, i, up - dn);
  }
  batch(wPts, m, wOut);
  gPoints += m;
  const f = ldf(wOut, 0);
  for (let i = 0; i < n; i++) {
    const fu = ldf(wOut, 1 + 2 * i);
    const fd = ldf(wOut, 2 + 2 * i);
    const h = ldf(wH, i);
    if (fu - fu == 0 && fd - fd == 0) stf(g, i, (fu - fd) / h);
    else if (fu - fu == 0) stf(g, i, (2 * (fu - f)) / h);
    else if (fd - fd == 0) stf(g, i, (2 * (f - fd)) / h);
    else stf(g, i, NaN);
  }
  return f;
}

/** f and the central-difference gradient at x (steps: relative step per coordinate). */
export function mapGradient(x: usize, steps: usize, g: usize): f64 {
  memory.copy(wSteps, steps, <usize>gDim << 3);
  return valueAndGradient(x, g);
}

// ---- BFGS (optimize.ts bfgs and lineSearch) ----

let bEvaluations: i32 = 0;
let nTrials: i32 = 0;

// @ts-ignore: decorator
@inline function trial(t: i32): usize {
  return bTrials + (<usize>(t * (3 + gDim)) << 3);
}
// @ts-ignore: decorator
@inline function tA(t: i32): f64 {
  return load<f64>(trial(t));
}
// @ts-ignore: decorator
@inline function tF(t: i32): f64 {
  return load<f64>(trial(t), 8);
}
// @ts-ignore: decorator
@inline function tD(t: i32): f64 {
  return load<f64>(trial(t), 16);
}
// @ts-ignore: decorator
@inline function tG(t: i32): usize {
  return trial(t) + 24;
}

function maxAbs(a: usize, n: i32): f64 {
  let m = 0.0;
  for (let i = 0; i < n; i++) m = max(m, abs(ldf(a, i)));
  return m;
}

function cubicMin(a: f64, fa: f64, da: f64, b: f64, fb: f64, db: f64): f64 {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

let lsX: usize = 0;
let lsP: usize = 0;
let lsF0: f64 = 0;
let lsD0: f64 = 0;
let lsBest: i32 = -1;

/** A trial at step a along p: a new record (its gradient its own). */
function evalTrial(a: f64): i32 {
  const n = gDim;
  for (let i = 0; i < n; i++) stf(bXt, i, ldf(lsX, i) + a * ldf(lsP, i));
  const t = nTrials++;
  const g = tG(t);
  bEvaluations++;
  const f = valueAndGradient(bXt, g);
  let d = 0.0;
  for (let i = 0; i < n; i++) d += ldf(g, i) * ldf(lsP, i);
  const r = trial(t);
  store<f64>(r, a);
  store<f64>(r, f, 8);
  store<f64>(r, d - d == 0 ? d : NaN, 16);
  return t;
}

// @ts-ignore: decorator
@inline function sufficient(t: i32): bool {
  const f = tF(t);
  return f - f == 0 && f <= lsF0 + 1e-4 * tA(t) * lsD0;
}

function note(t: i32): void {
  const f = tF(t);
  if (f - f == 0 && f < lsF0 && (lsBest < 0 || f < tF(lsBest))) lsBest = t;
}

function zoom(lo: i32, hi: i32): i32 {
  for (let j = 0; j < 40; j++) {
    const loA = min(tA(lo), tA(hi));
    const hiA = max(tA(lo), tA(hi));
    const width = hiA - loA;
    if (width <= 1e-14 * max(1.0, hiA)) break;
    let a: f64;
    const hf = tF(hi);
    const hd = tD(hi);
    if (!(hf - hf == 0) || !(hd - hd == 0)) a = tA(lo) + 0.25 * (tA(hi) - tA(lo));
    else {
      a = cubicMin(tA(lo), tF(lo), tD(lo), tA(hi), hf, hd);
      if (!(a > loA + 0.1 * width && a < hiA - 0.1 * width)) a = 0.5 * (tA(lo) + tA(hi));
    }
    const t = evalTrial(a);
    note(t);
    if (!sufficient(t) || tF(t) >= tF(lo)) hi = t;
    else {
      if (abs(tD(t)) <= -0.9 * lsD0) return t;
      if (tD(t) * (tA(hi) - tA(lo)) >= 0) hi = lo;
      lo = t;
    }
  }
  return lsBest;
}

/** Strong-Wolfe line search along p from x (optimize.ts lineSearch): the trial taken, or −1. */
function lineSearch(x: usize, p: usize, f0: f64, d0: f64, a1: f64, aMax: f64): i32 {
  lsX = x;
  lsP = p;
  lsF0 = f0;
  lsD0 = d0;
  lsBest = -1;
  nTrials = 0;
  // trial 0: the start (a = 0)
  let prev = nTrials++;
  store<f64>(trial(prev), 0.0);
  store<f64>(trial(prev), f0, 8);
  store<f64>(trial(prev), d0, 16);
  let a = min(a1, aMax);
  for (let i = 0; i < 30; i++) {
    const t = evalTrial(a);
    note(t);
    if (!sufficient(t) || (i > 0 && tF(t) >= tF(prev))) return zoom(prev, t);
    if (abs(tD(t)) <= -0.9 * d0) return t;
    if (tD(t) >= 0) return zoom(t, prev);
    if (a >= aMax) return t;
    prev = t;
    a = min(2 * a, aMax);
  }
  return lsBest;
}

let bD0: f64 = 0;

function direction(n: i32): void {
  let d0 = 0.0;
  for (let i = 0; i < n; i++) {
    let si = 0.0;
    for (let j = 0; j < n; j++) si -= ldf(bH, i * n + j) * ldf(bG, j);
    stf(bP, i, si);
    d0 += si * ldf(bG, i);
  }
  bD0 = d0;
}

/**
 * BFGS from x0 (optimize.ts bfgs; `given`: H0 holds the initial inverse Hessian, else the
 * identity), the objective's central-difference gradient with relative steps `steps`. Writes x, g
 * (dim each) and H (dim²) and returns f; `info` (i32 × 4): iterations, evaluations, converged,
 * the message's code (map-fast.ts BFGS_MESSAGES).
 */
export function mapBfgs(x0: usize, steps: usize, H0: usize, given: i32, gtol: f64, gtolNoisy: f64, ftol: f64, xtol: f64, maxIterations: i32, maxStep: f64, xOut: usize, gOut: usize, hOut: usize, info: usize): f64 {
  const n = gDim;
  memory.copy(wSteps, steps, <usize>n << 3);
  if (given != 0) memory.copy(bH0, H0, <usize>(n * n) << 3);
  else {
    memory.fill(bH0, 0, <usize>(n * n) << 3);
    for (let i = 0; i < n; i++) stf(bH0, i * n + i, 1.0);
  }
  memory.copy(bH, bH0, <usize>(n * n) << 3);
  memory.copy(bX, x0, <usize>n << 3);
  memory.fill(bG, 0, <usize>n << 3);
  bEvaluations = 1;
  let f = valueAndGradient(bX, bG);
  let exitK = 0;
  let exitConverged = false;
  let exitCode = -1;
  if (n == 0) {
    exitCode = 0;
    exitConverged = true;
  } else if (!(f - f == 0)) {
    exitCode = 1;
  } else {
    let fresh = true;
    exitK = maxIterations;
    for (let k = 0; k < maxIterations; k++) {
      const gmax = maxAbs(bG, n);
      if (!(gmax - gmax == 0)) {
        exitK = k;
        exitConverged = false;
        exitCode = 2;
        break;
      }
      if (gmax <= gtol) {
        exitK = k;
        exitConverged = true;
        exitCode = 3;
        break;
      }
      const noisy = gmax <= gtolNoisy;
      direction(n);
      if (!(bD0 < 0)) {
        memory.copy(bH, bH0, <usize>(n * n) << 3);
        fresh = true;
        direction(n);
        if (!(bD0 < 0)) {
          exitK = k;
          exitConverged = noisy;
          exitCode = 4;
          break;
        }
      }
      const pmax = maxAbs(bP, n);
      let t = lineSearch(bX, bP, f, bD0, 1, pmax > 0 ? maxStep / pmax : 1);
      if (t < 0 && !fresh) {
        memory.copy(bH, bH0, <usize>(n * n) << 3);
        fresh = true;
        direction(n);
        if (bD0 < 0) {
          const pm = maxAbs(bP, n);
          t = lineSearch(bX, bP, f, bD0, 1, pm > 0 ? maxStep / pm : 1);
        }
      }
      if (t < 0) {
        exitK = k;
        exitConverged = noisy;
        exitCode = noisy ? 5 : 6;
        break;
      }
      const ta = tA(t);
      const tg = tG(t);
      for (let i = 0; i < n; i++) {
        const si = ta * ldf(bP, i);
        stf(bS, i, si);
        stf(bXn, i, ldf(bX, i) + si);
        stf(bY, i, ldf(tg, i) - ldf(bG, i));
      }
      const df = f - tF(t);
      memory.copy(bX, bXn, <usize>n << 3);
      f = tF(t);
      memory.copy(bG, tg, <usize>n << 3);
      if (df <= ftol * (1 + abs(f)) && maxAbs(bS, n) <= xtol) {
        exitK = k + 1;
        exitConverged = maxAbs(bG, n) <= gtolNoisy;
        exitCode = 7;
        break;
      }
      let sy = 0.0;
      let yy = 0.0;
      for (let i = 0; i < n; i++) {
        sy += ldf(bS, i) * ldf(bY, i);
        yy += ldf(bY, i) * ldf(bY, i);
      }
      if (sy > 1e-12 * Math.sqrt(yy) * maxAbs(bS, n) && sy - sy == 0) {
        if (fresh && given == 0) {
          const sc = sy / yy;
          memory.fill(bH, 0, <usize>(n * n) << 3);
          for (let i = 0; i < n; i++) stf(bH, i * n + i, sc);
        }
        const rho = 1 / sy;
        let yHy = 0.0;
        for (let i = 0; i < n; i++) {
          let r = 0.0;
          for (let j = 0; j < n; j++) r += ldf(bH, i * n + j) * ldf(bY, j);
          stf(bHy, i, r);
          yHy += ldf(bY, i) * r;
        }
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            stf(bH, i * n + j, ldf(bH, i * n + j) - rho * (ldf(bHy, i) * ldf(bS, j) + ldf(bS, i) * ldf(bHy, j)) + (rho * rho * yHy + rho) * ldf(bS, i) * ldf(bS, j));
        fresh = false;
      }
    }
    if (exitCode < 0) {
      exitConverged = maxAbs(bG, n) <= gtolNoisy;
      exitCode = 8;
    }
  }
  memory.copy(xOut, bX, <usize>n << 3);
  memory.copy(gOut, bG, <usize>n << 3);
  memory.copy(hOut, bH, <usize>(n * n) << 3);
  sti(info, 0, exitK);
  sti(info, 1, bEvaluations);
  sti(info, 2, exitConverged ? 1 : 0);
  sti(info, 3, exitCode);
  return f;
}

/** Math.exp and Math.log as this module computes them, for the test that they are V8's bit for bit. */
export function mapExp(x: f64): f64 {
  return v8exp(x);
}
export function mapLog(x: f64): f64 {
  return v8log(x);
}
