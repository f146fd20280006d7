// The analytic engine in plain TypeScript over Float64Arrays, for the WASM-vs-JIT comparison (W-c).
// A line-by-line port of assembly/analytic/linear.ts (closed-form eigenvalues, Sylvester spectral
// projectors, a 6-slot Φ/Γ cache keyed by dt, Van Loan expm fallback for near-repeated eigenvalues),
// the parts of assembly/linalg.ts it uses, and the analytic path of assembly/driver.ts
// (simulateBatch: Obs, Bolus, Rate, Reset, SteadyState, Params). Same operation order, so results
// agree with the WASM kernel to rounding (Math.exp/expm1 of V8 vs AssemblyScript's libm).
// Keep in step with assembly/ when the algorithm changes.

import { Ev, Kind, Method, ObsMode, P, PAR_STRIDE, Status } from '../../src/abi.js';
import type { BatchInput } from '../../src/engine/wasm.js';

const MAXN = 4;
const MAX_STATES = 6;

// ---------------------------------------------------------------------------------------------
// linalg.ts (row-major, offsets into Float64Arrays)

// Small fixed-size copies and fills as loops (what linalg.ts copy/zero do; subarray() would
// allocate a view object per call).
function copyN(dst: Float64Array, dOff: number, src: Float64Array, sOff: number, len: number): void {
  for (let i = 0; i < len; i++) dst[dOff + i] = src[sOff + i] as number;
}
function zeroN(dst: Float64Array, off: number, len: number): void {
  for (let i = 0; i < len; i++) dst[off + i] = 0.0;
}

function matmul(c: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0.0;
      for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (b[k * n + j] as number);
      c[i * n + j] = s;
    }
  }
}

/** Solves A·X = B in place (B n×m becomes X) by LU with partial pivoting; false if singular. */
function solve(a: Float64Array, b: Float64Array, n: number, m: number): boolean {
  let scale = 0.0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i] as number));
  if (scale === 0.0) return false;
  for (let k = 0; k < n; k++) {
    let piv = k;
    let best = Math.abs(a[k * n + k] as number);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k] as number);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best <= 1e-14 * scale) return false;
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j] as number;
        a[k * n + j] = a[piv * n + j] as number;
        a[piv * n + j] = t;
      }
      for (let j = 0; j < m; j++) {
        const t = b[k * m + j] as number;
        b[k * m + j] = b[piv * m + j] as number;
        b[piv * m + j] = t;
      }
    }
    const d = a[k * n + k] as number;
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k] as number) / d;
      if (f === 0.0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] = (a[i * n + j] as number) - f * (a[k * n + j] as number);
      for (let j = 0; j < m; j++) b[i * m + j] = (b[i * m + j] as number) - f * (b[k * m + j] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const d = a[i * n + i] as number;
    for (let j = 0; j < m; j++) {
      let s = b[i * m + j] as number;
      for (let k = i + 1; k < n; k++) s -= (a[i * n + k] as number) * (b[k * m + j] as number);
      b[i * m + j] = s / d;
    }
  }
  return true;
}

const PX = new Float64Array(64);
const PNUM = new Float64Array(64);
const PDEN = new Float64Array(64);
const PTMP = new Float64Array(64);
const PAS = new Float64Array(64);

/** E = exp(A), scaling and squaring with a diagonal Padé(8,8) approximant (as linalg.ts expm). */
function expm(e: Float64Array, a: Float64Array, n: number): void {
  const nn = n * n;
  let norm = 0.0;
  for (let i = 0; i < n; i++) {
    let r = 0.0;
    for (let j = 0; j < n; j++) r += Math.abs(a[i * n + j] as number);
    norm = Math.max(norm, r);
  }
  let s = 0;
  if (norm > 0.5) s = Math.max(0.0, Math.ceil(Math.log2(norm / 0.5))) | 0;
  const f = Math.pow(2.0, -s);
  for (let i = 0; i < nn; i++) PAS[i] = (a[i] as number) * f;
  zeroN(PNUM, 0, nn);
  zeroN(PDEN, 0, nn);
  zeroN(PX, 0, nn); // (the WASM scratch is not cleared; only its diagonal is read before the first product)
  for (let i = 0; i < n; i++) {
    PNUM[i * n + i] = 1.0;
    PDEN[i * n + i] = 1.0;
    PX[i * n + i] = 1.0;
  }
  let c = 1.0;
  let sign = 1.0;
  for (let k = 1; k <= 8; k++) {
    c = (c * (8 - k + 1)) / (k * (16 - k + 1));
    matmul(PTMP, PX, PAS, n);
    copyN(PX, 0, PTMP, 0, nn);
    sign = -sign;
    for (let i = 0; i < nn; i++) {
      const v = c * (PX[i] as number);
      PNUM[i] = (PNUM[i] as number) + v;
      PDEN[i] = (PDEN[i] as number) + sign * v;
    }
  }
  solve(PDEN, PNUM, n, n);
  for (let k = 0; k < s; k++) {
    matmul(PTMP, PNUM, PNUM, n);
    copyN(PNUM, 0, PTMP, 0, nn);
  }
  copyN(e, 0, PNUM, 0, nn);
}

// ---------------------------------------------------------------------------------------------
// analytic/linear.ts

const K = new Float64Array(MAXN * MAXN);
const LAM = new Float64Array(MAXN);
const PROJ = new Float64Array(MAXN * MAXN * MAXN);
const ACC = new Float64Array(64);
const TMPM = new Float64Array(64);
const FAC = new Float64Array(64);
const BIG = new Float64Array(64);
const BIGOUT = new Float64Array(64);
const SSA = new Float64Array(64);
const NSLOT = 6;
const SLOT_DT = new Float64Array(NSLOT);
const SLOT_PHI = new Float64Array(NSLOT * MAXN * MAXN);
const SLOT_GAM = new Float64Array(NSLOT * MAXN * MAXN);
let nextSlot = 0;
let n = 0;
let degenerate = false;
let loadedArr: Float64Array | null = null;
let loadedFrom = -1;

const MIN_REL_GAP = 1e-2;

export function linearStates(ncmt: number, depot: number): number {
  if (ncmt < 1 || ncmt > 3) return 0;
  return ncmt + (depot !== 0 ? 1 : 0);
}

export function linearInvalidate(): void {
  loadedArr = null;
  loadedFrom = -1;
}

/** Loads the parameter set at par[p..] (k10, k12, k21, k13, k31, ka) unless already loaded. */
export function linearLoad(ncmt: number, depot: number, par: Float64Array, p: number): boolean {
  if (p === loadedFrom && par === loadedArr) return true;
  const k10 = par[p + P.k10] as number;
  const k12 = par[p + P.k12] as number;
  const k21 = par[p + P.k21] as number;
  const k13 = par[p + P.k13] as number;
  const k31 = par[p + P.k31] as number;
  const ka = par[p + P.ka] as number;
  n = linearStates(ncmt, depot);
  zeroN(K, 0, n * n);
  const c = depot !== 0 ? 1 : 0;
  let e = 0;
  if (depot !== 0) {
    K[0] = -ka;
    K[c * n + 0] = ka;
    LAM[e++] = -ka;
  }
  const kout = k10 + (ncmt >= 2 ? k12 : 0.0) + (ncmt >= 3 ? k13 : 0.0);
  K[c * n + c] = -kout;
  if (ncmt >= 2) {
    K[c * n + c + 1] = k21;
    K[(c + 1) * n + c] = k12;
    K[(c + 1) * n + c + 1] = -k21;
  }
  if (ncmt >= 3) {
    K[c * n + c + 2] = k31;
    K[(c + 2) * n + c] = k13;
    K[(c + 2) * n + c + 2] = -k31;
  }
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(K[i] as number)) return false;
  if (ncmt === 1) {
    LAM[e] = -k10;
  } else if (ncmt === 2) {
    const sum = k10 + k12 + k21;
    const prod = k10 * k21;
    const alpha = 0.5 * (sum + Math.sqrt(Math.max(0.0, sum * sum - 4.0 * prod)));
    const beta = alpha > 0.0 ? prod / alpha : 0.0;
    LAM[e] = -alpha;
    LAM[e + 1] = -beta;
  } else {
    const a2 = k10 + k12 + k13 + k21 + k31;
    const a1 = k10 * k21 + k10 * k31 + k12 * k31 + k13 * k21 + k21 * k31;
    const a0 = k10 * k21 * k31;
    const pp = a1 - (a2 * a2) / 3.0;
    const qq = (2.0 * a2 * a2 * a2) / 27.0 - (a2 * a1) / 3.0 + a0;
    const r = Math.sqrt(Math.max(0.0, -pp / 3.0));
    let arg = r > 0.0 ? -qq / (2.0 * r * r * r) : 0.0;
    arg = Math.max(-1.0, Math.min(1.0, arg));
    const phi = Math.acos(arg);
    for (let k = 0; k < 3; k++) {
      let s = 2.0 * r * Math.cos((phi - 2.0 * Math.PI * k) / 3.0) - a2 / 3.0;
      for (let it = 0; it < 3; it++) {
        const f = ((s + a2) * s + a1) * s + a0;
        const d = (3.0 * s + 2.0 * a2) * s + a1;
        if (d === 0.0) break;
        s -= f / d;
      }
      LAM[e++] = s;
    }
  }
  degenerate = false;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const li = LAM[i] as number;
      const lj = LAM[j] as number;
      const sc = Math.max(Math.abs(li), Math.abs(lj));
      if (Math.abs(li - lj) <= MIN_REL_GAP * sc) degenerate = true;
    }
  }
  if (!degenerate) {
    const nn = n * n;
    for (let i = 0; i < n; i++) {
      zeroN(ACC, 0, nn);
      for (let d = 0; d < n; d++) ACC[d * n + d] = 1.0;
      const li = LAM[i] as number;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const lj = LAM[j] as number;
        const inv = 1.0 / (li - lj);
        for (let q = 0; q < nn; q++) FAC[q] = (K[q] as number) * inv;
        for (let d = 0; d < n; d++) FAC[d * n + d] = ((K[d * n + d] as number) - lj) * inv;
        matmul(TMPM, ACC, FAC, n);
        copyN(ACC, 0, TMPM, 0, nn);
      }
      copyN(PROJ, i * nn, ACC, 0, nn);
    }
  }
  for (let s = 0; s < NSLOT; s++) SLOT_DT[s] = -1.0;
  loadedArr = par;
  loadedFrom = p;
  return true;
}

function fillSlot(slot: number, dt: number): void {
  const phi = slot * MAXN * MAXN;
  const gam = slot * MAXN * MAXN;
  const nn = n * n;
  if (!degenerate) {
    zeroN(SLOT_PHI, phi, nn);
    zeroN(SLOT_GAM, gam, nn);
    for (let i = 0; i < n; i++) {
      const l = LAM[i] as number;
      const x = l * dt;
      const ex = Math.exp(x);
      const g = x === 0.0 ? dt : Math.expm1(x) / l;
      const pr = i * nn;
      for (let q = 0; q < nn; q++) {
        const v = PROJ[pr + q] as number;
        SLOT_PHI[phi + q] = (SLOT_PHI[phi + q] as number) + ex * v;
        SLOT_GAM[gam + q] = (SLOT_GAM[gam + q] as number) + g * v;
      }
    }
  } else {
    const m = 2 * n;
    zeroN(BIG, 0, m * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) BIG[i * m + j] = (K[i * n + j] as number) * dt;
      BIG[i * m + n + i] = dt;
    }
    expm(BIGOUT, BIG, m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        SLOT_PHI[phi + i * n + j] = BIGOUT[i * m + j] as number;
        SLOT_GAM[gam + i * n + j] = BIGOUT[i * m + n + j] as number;
      }
    }
  }
  SLOT_DT[slot] = dt;
}

function slotFor(dt: number): number {
  for (let s = 0; s < NSLOT; s++) if (SLOT_DT[s] === dt) return s;
  const s = nextSlot;
  nextSlot = (nextSlot + 1) % NSLOT;
  fillSlot(s, dt);
  return s;
}

/** x ← Φ(dt)·x + Γ(dt)·rate. tmp: n doubles of scratch. */
export function linearAdvance(x: Float64Array, dt: number, rate: Float64Array, hasRate: boolean, tmp: Float64Array): void {
  if (dt === 0.0) return;
  const s = slotFor(dt);
  const phi = s * MAXN * MAXN;
  const gam = s * MAXN * MAXN;
  for (let i = 0; i < n; i++) {
    let v = 0.0;
    for (let k = 0; k < n; k++) v += (SLOT_PHI[phi + i * n + k] as number) * (x[k] as number);
    if (hasRate) for (let k = 0; k < n; k++) v += (SLOT_GAM[gam + i * n + k] as number) * (rate[k] as number);
    tmp[i] = v;
  }
  for (let i = 0; i < n; i++) x[i] = tmp[i] as number;
}

/** Copies Γ(dt) into dst[dOff..] (n×n), as linear.ts linearGamma (used by the shared fast path). */
export function linearGamma(dst: Float64Array, dt: number, dOff = 0): void {
  if (dt === 0.0) {
    zeroN(dst, dOff, n * n);
    return;
  }
  const s = slotFor(dt);
  copyN(dst, dOff, SLOT_GAM, s * MAXN * MAXN, n * n);
}

export function linearPhi(dst: Float64Array, dt: number, dOff = 0): void {
  if (dt === 0.0) {
    zeroN(dst, dOff, n * n);
    for (let i = 0; i < n; i++) dst[dOff + i * n + i] = 1.0;
    return;
  }
  const s = slotFor(dt);
  copyN(dst, dOff, SLOT_PHI, s * MAXN * MAXN, n * n);
}

export function linearConstantInputSteadyState(x: Float64Array, rate: Float64Array): boolean {
  copyN(SSA, 0, K, 0, n * n);
  for (let i = 0; i < n; i++) x[i] = -(rate[i] as number);
  return solve(SSA, x, n, 1);
}

// ---------------------------------------------------------------------------------------------
// driver.ts, analytic path

const X = new Float64Array(MAX_STATES);
const X0 = new Float64Array(MAX_STATES);
const XS = new Float64Array(MAX_STATES);
const RATE = new Float64Array(MAX_STATES);
const SSR = new Float64Array(MAX_STATES);
const TMP = new Float64Array(MAX_STATES);
const MAT = new Float64Array(MAX_STATES * MAX_STATES);

let gNcmt = 0;
let gDepot = 0;
let gN = 0;

function hasAnyRate(r: Float64Array): boolean {
  for (let i = 0; i < gN; i++) if (r[i] !== 0.0) return true;
  return false;
}

function advance(x: Float64Array, t0: number, t1: number, par: Float64Array, p: number, r: Float64Array): number {
  if (t1 <= t0) return Status.Ok;
  if (!linearLoad(gNcmt, gDepot, par, p)) return Status.NonFinite;
  linearAdvance(x, t1 - t0, r, hasAnyRate(r), TMP);
  return Status.Ok;
}

function setSsRate(cmt: number, rate: number, count: number): void {
  zeroN(SSR, 0, gN);
  SSR[cmt] = rate * count;
}

function cyclePart(x: Float64Array, t: number, upTo: number, cmt: number, amt: number, rate: number, tau: number, dur: number, par: Float64Array, p: number): number {
  if (amt !== 0.0) x[cmt] = (x[cmt] as number) + amt;
  if (upTo <= 0.0) return Status.Ok;
  let m = 0.0;
  let r = 0.0;
  if (rate > 0.0 && dur > 0.0) {
    m = Math.floor(dur / tau);
    r = dur - m * tau;
    if (r > tau * (1.0 - 1e-12)) {
      m += 1.0;
      r = 0.0;
    }
  }
  const first = Math.min(r, upTo);
  if (first > 0.0) {
    setSsRate(cmt, rate, m + 1.0);
    const s = advance(x, t, t + first, par, p, SSR);
    if (s !== Status.Ok) return s;
  }
  if (upTo > r) {
    setSsRate(cmt, rate, m);
    const s = advance(x, t + first, t + upTo, par, p, SSR);
    if (s !== Status.Ok) return s;
  }
  return Status.Ok;
}

function steadyState(t: number, cmt: number, amt: number, rate: number, tau: number, dur: number, phase: number, par: Float64Array, p: number): number {
  zeroN(X0, 0, gN); // initState of a linear model
  if (tau === 0.0) {
    zeroN(SSR, 0, gN);
    SSR[cmt] = rate;
    if (!linearLoad(gNcmt, gDepot, par, p)) return Status.NonFinite;
    if (!linearConstantInputSteadyState(XS, SSR)) return Status.SingularSteadyState;
  } else {
    if (!linearLoad(gNcmt, gDepot, par, p)) return Status.NonFinite;
    zeroN(XS, 0, gN);
    let s = cyclePart(XS, t, tau, cmt, amt, rate, tau, dur, par, p);
    if (s !== Status.Ok) return s;
    linearPhi(MAT, tau);
    for (let i = 0; i < gN * gN; i++) MAT[i] = -(MAT[i] as number);
    for (let i = 0; i < gN; i++) MAT[i * gN + i] = 1.0 + (MAT[i * gN + i] as number);
    if (!solve(MAT, XS, gN, 1)) return Status.SingularSteadyState;
    s = cyclePart(XS, t, phase, cmt, amt, rate, tau, dur, par, p);
    if (s !== Status.Ok) return s;
  }
  for (let i = 0; i < gN; i++) X[i] = (X[i] as number) + (XS[i] as number) - (X0[i] as number);
  return Status.Ok;
}

/**
 * writeRow() of driver.ts for a linear model: an observation naming a compartment (cmt ≥ 0) reads
 * its amount × factor (1/S); otherwise observe() of models/rhs.ts, ObsMode.Amount: y[P.obsIndex] / P.scale.
 */
function observeLinear(par: Float64Array, p: number, cmt: number, factor: number): number {
  if (cmt >= 0) return (X[cmt] as number) * factor;
  if ((par[p + P.obsMode] as number) !== ObsMode.Amount) return NaN;
  const fi = par[p + P.obsIndex] as number;
  if (!(fi >= 0 && fi < gN)) return NaN;
  return (X[fi | 0] as number) / (par[p + P.scale] as number);
}

/**
 * Sets the layout the driver helpers read (simulateShared's prologue in driver.ts: gNcmt, gDepot,
 * gN, linearInvalidate()); returns the number of states (0: invalid layout).
 */
export function plainSetLayout(ncmt: number, depot: boolean): number {
  gNcmt = ncmt;
  gDepot = depot ? 1 : 0;
  gN = linearStates(gNcmt, gDepot);
  linearInvalidate();
  return gN;
}

/**
 * What sharedBlock() of driver.ts does at a SteadyState event for one subject: copy its state
 * (w[off..off+n)) into X, steadyState(), copy X back (also on failure). Returns the status.
 */
export function plainSteadyStateAt(w: Float64Array, off: number, t: number, cmt: number, amt: number, rate: number, tau: number, dur: number, phase: number, par: Float64Array, p: number): number {
  copyN(X, 0, w, off, gN);
  const s = steadyState(t, cmt, amt, rate, tau, dur, phase, par, p);
  copyN(w, off, X, 0, gN);
  return s;
}

export interface PlainOutput {
  readonly obs: Float64Array;
  readonly status: Int32Array;
  readonly failed: number;
}

/**
 * simulateBatch() of assembly/driver.ts for Kind.Linear with Method.Analytic, over the same batch
 * layout Engine.run() takes (amounts are not produced). `obs` may be passed in to reuse a buffer.
 */
export function simulateBatchPlain(job: BatchInput, obs: Float64Array = new Float64Array(job.nOut)): PlainOutput {
  if (job.kind !== Kind.Linear || job.method !== Method.Analytic) throw new Error('the plain-TS port covers linear models with the analytic method only');
  gNcmt = job.ncmt;
  gDepot = job.depot ? 1 : 0;
  gN = linearStates(gNcmt, gDepot);
  linearInvalidate();
  const nSubj = job.evStart.length;
  const status = new Int32Array(nSubj);
  const ev = job.events;
  const evTime = ev.time;
  const evType = ev.type;
  const evCmt = ev.cmt;
  const evAmt = ev.amt;
  const evRate = ev.rate;
  const evPar = ev.par;
  const evOut = ev.out;
  const par = job.params;
  let failed = 0;
  if (gN <= 0) {
    status.fill(Status.BadModel);
    return { obs, status, failed: nSubj };
  }
  for (let s = 0; s < nSubj; s++) {
    const e0 = job.evStart[s] as number;
    const e1 = job.evEnd[s] as number;
    const pb = job.parBase[s] as number;
    const ob = job.outBase[s] as number;
    let st: number = Status.Ok;
    zeroN(RATE, 0, gN);
    if (e1 > e0) zeroN(X, 0, gN);
    let t = e1 > e0 ? (evTime[e0] as number) : 0.0;
    let e = e0;
    while (e < e1 && st === Status.Ok) {
      const p = (pb + (evPar[e] as number)) * PAR_STRIDE;
      const type = evType[e] as number;
      const te = evTime[e] as number;
      st = advance(X, t, te, par, p, RATE);
      if (st !== Status.Ok) break;
      t = te;
      const cmt = evCmt[e] as number;
      if (type === Ev.Obs) {
        obs[ob + (evOut[e] as number)] = observeLinear(par, p, cmt, evAmt[e] as number);
      } else if (type === Ev.Bolus) {
        X[cmt] = (X[cmt] as number) + (evAmt[e] as number);
      } else if (type === Ev.Rate) {
        const r0 = RATE[cmt] as number;
        const dr = evRate[e] as number;
        let r1 = r0 + dr;
        if (Math.abs(r1) <= 1e-12 * Math.max(Math.abs(r0), Math.abs(dr))) r1 = 0.0;
        RATE[cmt] = r1;
      } else if (type === Ev.Reset) {
        zeroN(X, 0, gN);
        zeroN(RATE, 0, gN);
      } else if (type === Ev.SteadyState || type === Ev.SteadyStateAdd) {
        const rate = evRate[e] as number;
        st = steadyState(t, cmt, evAmt[e] as number, rate, ev.ii[e] as number, ev.dur[e] as number, ev.phase[e] as number, par, p);
        if (st !== Status.Ok) break;
        const active = ev.count[e] as number;
        if (active > 0) RATE[cmt] = (RATE[cmt] as number) + rate * active;
      }
      for (let i = 0; i < gN; i++) {
        if (!Number.isFinite(X[i] as number)) {
          st = Status.NonFinite;
          break;
        }
      }
      e++;
    }
    status[s] = st;
    if (st !== Status.Ok) {
      failed++;
      for (let k = e0; k < e1; k++) if (evType[k] === Ev.Obs) obs[ob + (evOut[k] as number)] = NaN;
    }
  }
  return { obs, status, failed };
}
