// Exact propagation of linear mammillary models (1-3 compartments, optional first-order depot)
// with zero-order inputs: x(t+dt) = Φ(dt)·x(t) + Γ(dt)·R, Φ(dt) = exp(K·dt), Γ(dt) = ∫₀^dt exp(K·s) ds.
//
// Method: K's eigenvalues are known in closed form for mammillary models (depot −ka; disposition
// roots of a quadratic or cubic). With distinct eigenvalues, Sylvester's formula gives spectral
// projectors P_i = Π_{j≠i} (K − λ_j I)/(λ_i − λ_j), so Φ(dt) = Σ e^{λ_i dt} P_i and
// Γ(dt) = Σ (e^{λ_i dt} − 1)/λ_i · P_i (= dt·P_i for λ_i = 0). Cost per step: 2n² multiply-adds
// once Φ, Γ are cached for that dt; nothing depends on the number of past doses.
// Near-repeated eigenvalues (e.g. ka ≈ k) make the projectors ill-conditioned; there Φ and Γ come
// from exp([[K·dt, I·dt], [0, 0]]) = [[Φ, Γ], [0, I]] (Van Loan 1978, IEEE TAC 23:395, Thm 1).

import { ld, st, zero, copy, matmul, expm, solve } from "../linalg";

const MAXN: i32 = 4;
const K = memory.data(8 * MAXN * MAXN, 16);
const LAM = memory.data(8 * MAXN, 16);
const PROJ = memory.data(8 * MAXN * MAXN * MAXN, 16);
const SCR = memory.data(8 * 4 * 64, 16);
const NSLOT: i32 = 6;
const SLOT_DT = memory.data(8 * NSLOT, 16);
const SLOT_PHI = memory.data(8 * NSLOT * MAXN * MAXN, 16);
const SLOT_GAM = memory.data(8 * NSLOT * MAXN * MAXN, 16);
let nextSlot: i32 = 0;
let n: i32 = 0;
let degenerate: bool = false;
let loadedFrom: usize = 0;

// Relative eigenvalue gap below which Sylvester's projectors lose more than ~1e-10 relative accuracy.
const MIN_REL_GAP: f64 = 1e-2;

/** Number of states of a linear layout; 0 if invalid. */
export function linearStates(ncmt: i32, depot: i32): i32 {
  if (ncmt < 1 || ncmt > 3) return 0;
  return ncmt + (depot != 0 ? 1 : 0);
}

/** Forget the cached parameter set (call when parameter memory is rewritten). */
export function linearInvalidate(): void {
  loadedFrom = 0;
}

/**
 * Loads parameter set p (k10, k12, k21, k13, k31, ka at p[0..5]) unless it is already loaded.
 * Returns false if K has a non-finite entry.
 */
export function linearLoad(ncmt: i32, depot: i32, p: usize): bool {
  if (p == loadedFrom) return true;
  const k10 = ld(p, 0), k12 = ld(p, 1), k21 = ld(p, 2), k13 = ld(p, 3), k31 = ld(p, 4), ka = ld(p, 5);
  n = linearStates(ncmt, depot);
  zero(K, n * n);
  const c = depot != 0 ? 1 : 0;
  let e = 0;
  if (depot != 0) {
    st(K, 0, -ka);
    st(K, c * n + 0, ka);
    st(LAM, e++, -ka);
  }
  const kout = k10 + (ncmt >= 2 ? k12 : 0.0) + (ncmt >= 3 ? k13 : 0.0);
  st(K, c * n + c, -kout);
  if (ncmt >= 2) {
    st(K, c * n + c + 1, k21);
    st(K, (c + 1) * n + c, k12);
    st(K, (c + 1) * n + c + 1, -k21);
  }
  if (ncmt >= 3) {
    st(K, c * n + c + 2, k31);
    st(K, (c + 2) * n + c, k13);
    st(K, (c + 2) * n + c + 2, -k31);
  }
  for (let i = 0; i < n * n; i++) if (!isFinite(ld(K, i))) return false;
  if (ncmt == 1) {
    st(LAM, e++, -k10);
  } else if (ncmt == 2) {
    // see: Gibaldi & Perrier, Pharmacokinetics 2nd ed., eq. 2.x: α, β roots of s² + (k10+k12+k21)s + k10·k21
    const sum = k10 + k12 + k21;
    const prod = k10 * k21;
    const alpha = 0.5 * (sum + Math.sqrt(Math.max(0.0, sum * sum - 4.0 * prod)));
    const beta = alpha > 0.0 ? prod / alpha : 0.0; // Vieta: avoids cancellation in (sum − √·)/2
    st(LAM, e++, -alpha);
    st(LAM, e++, -beta);
  } else {
    // 3-cmt: roots of s³ + a2 s² + a1 s + a0 (trigonometric form, all real), Newton-polished.
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
      let s = 2.0 * r * Math.cos((phi - 2.0 * Math.PI * <f64>k) / 3.0) - a2 / 3.0;
      for (let it = 0; it < 3; it++) {
        const f = ((s + a2) * s + a1) * s + a0;
        const d = (3.0 * s + 2.0 * a2) * s + a1;
        if (d == 0.0) break;
        s -= f / d;
      }
      st(LAM, e++, s);
    }
  }
  degenerate = false;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const li = ld(LAM, i), lj = ld(LAM, j);
      const sc = Math.max(Math.abs(li), Math.abs(lj));
      if (Math.abs(li - lj) <= MIN_REL_GAP * sc) degenerate = true;
    }
  }
  if (!degenerate) {
    // Sylvester: P_i = Π_{j≠i} (K − λ_j I)/(λ_i − λ_j)
    const acc = SCR, tmp = SCR + 8 * 64, fac = SCR + 16 * 64;
    for (let i = 0; i < n; i++) {
      zero(acc, n * n);
      for (let d = 0; d < n; d++) st(acc, d * n + d, 1.0);
      const li = ld(LAM, i);
      for (let j = 0; j < n; j++) {
        if (j == i) continue;
        const lj = ld(LAM, j);
        const inv = 1.0 / (li - lj);
        for (let q = 0; q < n * n; q++) st(fac, q, ld(K, q) * inv);
        for (let d = 0; d < n; d++) st(fac, d * n + d, (ld(K, d * n + d) - lj) * inv);
        matmul(tmp, acc, fac, n);
        copy(acc, tmp, n * n);
      }
      copy(PROJ + <usize>(i * n * n) * 8, acc, n * n);
    }
  }
  for (let s = 0; s < NSLOT; s++) st(SLOT_DT, s, -1.0);
  lastDt = -1.0;
  loadedFrom = p;
  return true;
}

function fillSlot(slot: i32, dt: f64): void {
  const phi = SLOT_PHI + <usize>(slot * MAXN * MAXN) * 8;
  const gam = SLOT_GAM + <usize>(slot * MAXN * MAXN) * 8;
  const nn = n * n;
  if (!degenerate) {
    zero(phi, nn);
    zero(gam, nn);
    for (let i = 0; i < n; i++) {
      const l = ld(LAM, i);
      const x = l * dt;
      const ex = Math.exp(x);
      const g = x == 0.0 ? dt : Math.expm1(x) / l;
      const pr = PROJ + <usize>(i * nn) * 8;
      for (let q = 0; q < nn; q++) {
        const v = ld(pr, q);
        st(phi, q, ld(phi, q) + ex * v);
        st(gam, q, ld(gam, q) + g * v);
      }
    }
  } else {
    const m = 2 * n;
    const big = SCR, out = SCR + 8 * 64;
    zero(big, m * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) st(big, i * m + j, ld(K, i * n + j) * dt);
      st(big, i * m + n + i, dt);
    }
    expm(out, big, m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        st(phi, i * n + j, ld(out, i * m + j));
        st(gam, i * n + j, ld(out, i * m + n + j));
      }
    }
  }
  st(SLOT_DT, slot, dt);
}

let lastDt: f64 = -1.0;
let lastSlot: i32 = 0;

function slotFor(dt: f64): i32 {
  // profiles on a grid reuse one dt: check the last hit before scanning
  if (dt == lastDt) return lastSlot;
  for (let s = 0; s < NSLOT; s++) {
    if (ld(SLOT_DT, s) == dt) {
      lastDt = dt;
      lastSlot = s;
      return s;
    }
  }
  const s = nextSlot;
  nextSlot = (nextSlot + 1) % NSLOT;
  fillSlot(s, dt);
  lastDt = dt;
  lastSlot = s;
  return s;
}

/** x ← Φ(dt)·x + Γ(dt)·rate (rate may be 0 = no input). tmp: n doubles of scratch. */
export function linearAdvance(x: usize, dt: f64, rate: usize, hasRate: bool, tmp: usize): void {
  if (dt == 0.0) return;
  const s = slotFor(dt);
  propagate(x, SLOT_PHI + <usize>(s * MAXN * MAXN) * 8, SLOT_GAM + <usize>(s * MAXN * MAXN) * 8, rate, hasRate, n, tmp);
}

/** x ← Φ·x + Γ·rate for given n×n matrices (the one place this product is written, for bitwise-equal paths). */
// @ts-ignore: decorator
@inline export function propagate(x: usize, phi: usize, gam: usize, rate: usize, hasRate: bool, n: i32, tmp: usize): void {
  if (n == 2) {
    // the common one-compartment oral case, unrolled (2·2 multiply-adds per step)
    const x0 = ld(x, 0), x1 = ld(x, 1);
    let y0 = ld(phi, 0) * x0 + ld(phi, 1) * x1;
    let y1 = ld(phi, 2) * x0 + ld(phi, 3) * x1;
    if (hasRate) {
      const r0 = ld(rate, 0), r1 = ld(rate, 1);
      y0 += ld(gam, 0) * r0 + ld(gam, 1) * r1;
      y1 += ld(gam, 2) * r0 + ld(gam, 3) * r1;
    }
    st(x, 0, y0);
    st(x, 1, y1);
    return;
  }
  for (let i = 0; i < n; i++) {
    let v = 0.0;
    for (let k = 0; k < n; k++) v += ld(phi, i * n + k) * ld(x, k);
    if (hasRate) for (let k = 0; k < n; k++) v += ld(gam, i * n + k) * ld(rate, k);
    st(tmp, i, v);
  }
  copy(x, tmp, n);
}

/** Copies Γ(dt) = ∫₀^dt exp(K·s) ds into dst (n×n). */
export function linearGamma(dst: usize, dt: f64): void {
  if (dt == 0.0) {
    zero(dst, n * n);
    return;
  }
  const s = slotFor(dt);
  copy(dst, SLOT_GAM + <usize>(s * MAXN * MAXN) * 8, n * n);
}

/** Copies Φ(dt) into dst (n×n). */
export function linearPhi(dst: usize, dt: f64): void {
  if (dt == 0.0) {
    zero(dst, n * n);
    for (let i = 0; i < n; i++) st(dst, i * n + i, 1.0);
    return;
  }
  const s = slotFor(dt);
  copy(dst, SLOT_PHI + <usize>(s * MAXN * MAXN) * 8, n * n);
}

/** Solves K·x = −rate (the steady state of a constant infusion). Returns false if K is singular. */
export function linearConstantInputSteadyState(x: usize, rate: usize): bool {
  const a = SCR + 24 * 64;
  copy(a, K, n * n);
  for (let i = 0; i < n; i++) st(x, i, -ld(rate, i));
  return solve(a, x, n, 1);
}
