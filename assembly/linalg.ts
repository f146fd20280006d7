// Small dense linear algebra on raw pointers (row-major, n ≤ 8, or 2·LIN_MAX for the matrix
// exponentials). No allocation: callers pass scratch.

import { LIN_MAX } from "./abi";

// @ts-ignore: decorator
@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

export function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 3);
}

export function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** C = A·B for n×n matrices; C must not alias A or B. */
export function matmul(c: usize, a: usize, b: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0.0;
      for (let k = 0; k < n; k++) s += ld(a, i * n + k) * ld(b, k * n + j);
      st(c, i * n + j, s);
    }
  }
}

/** y = A·x (n×n times n); y must not alias x. */
export function matvec(y: usize, a: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    let s = 0.0;
    for (let k = 0; k < n; k++) s += ld(a, i * n + k) * ld(x, k);
    st(y, i, s);
  }
}

/** y += A·x. */
export function matvecAdd(y: usize, a: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    let s = ld(y, i);
    for (let k = 0; k < n; k++) s += ld(a, i * n + k) * ld(x, k);
    st(y, i, s);
  }
}

/**
 * Solves A·X = B in place (A is destroyed, B (n×m) becomes X) by LU with partial pivoting.
 * Returns false when A is singular to working precision.
 */
export function solve(a: usize, b: usize, n: i32, m: i32): bool {
  let scale = 0.0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(ld(a, i)));
  if (scale == 0.0) return false;
  for (let k = 0; k < n; k++) {
    let piv = k;
    let best = Math.abs(ld(a, k * n + k));
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(ld(a, i * n + k));
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best <= 1e-14 * scale) return false;
    if (piv != k) {
      for (let j = 0; j < n; j++) {
        const t = ld(a, k * n + j);
        st(a, k * n + j, ld(a, piv * n + j));
        st(a, piv * n + j, t);
      }
      for (let j = 0; j < m; j++) {
        const t = ld(b, k * m + j);
        st(b, k * m + j, ld(b, piv * m + j));
        st(b, piv * m + j, t);
      }
    }
    const d = ld(a, k * n + k);
    for (let i = k + 1; i < n; i++) {
      const f = ld(a, i * n + k) / d;
      if (f == 0.0) continue;
      for (let j = k + 1; j < n; j++) st(a, i * n + j, ld(a, i * n + j) - f * ld(a, k * n + j));
      for (let j = 0; j < m; j++) st(b, i * m + j, ld(b, i * m + j) - f * ld(b, k * m + j));
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const d = ld(a, i * n + i);
    for (let j = 0; j < m; j++) {
      let s = ld(b, i * m + j);
      for (let k = i + 1; k < n; k++) s -= ld(a, i * n + k) * ld(b, k * m + j);
      st(b, i * m + j, s / d);
    }
  }
  return true;
}

/** Largest matrix the exponentials take: the Van Loan block of the largest linear model. */
export const EXPM_N: i32 = 2 * LIN_MAX > 8 ? 2 * LIN_MAX : 8;
const PIECE: usize = <usize>(8 * EXPM_N * EXPM_N);
const EXPM_SCR = memory.data(8 * EXPM_N * EXPM_N * 4, 16);

/**
 * Whether the rest of the non-negative series Σ_{j>k} B^j/j! (‖B‖₁ ≤ 1) is below 2^−54 of every
 * positive entry of the partial sum, row by row: the rest is term_k·Σ_m B^m·k!/(k+m)!, whose row i
 * is at most max_l term_k(i, l)/k. From k ≥ n on, every entry that is positive in exp(B) already is
 * in the sum (a path between two states has fewer than n steps), so each entry keeps its own
 * precision, the tiny ones included, while ordinary matrices stop after about half the terms.
 */
function converged(term: usize, sum: usize, n: i32, k: f64): bool {
  for (let i = 0; i < n; i++) {
    let big = 0.0;
    let small = Infinity;
    for (let l = 0; l < n; l++) {
      big = Math.max(big, ld(term, i * n + l));
      const v = ld(sum, i * n + l);
      if (v > 0.0) small = Math.min(small, v);
    }
    if (big > k * 5.551115123125783e-17 * small) return false;
  }
  return true;
}

/**
 * E = exp(A) for an essentially non-negative n×n matrix A (off-diagonal entries ≥ 0; n ≤ EXPM_N), with
 * every entry of E non-negative and accurate relative to itself, however small.
 * Method: exp(A) = e^{−μ}·exp(A + μI) with μ = max(−a_ii), so the Taylor series of the non-negative
 * matrix (A + μI)·2^−s has no cancellation; s is chosen so that ‖(A + μI)·2^−s‖₁ ≤ 1 (the series
 * stops when each entry has its precision: see converged; at most 30 terms, which reach 1e-32 of the
 * sum), then s squarings of non-negative matrices (Higham 2009, SIAM J. Matrix Anal. Appl. 31:970,
 * §2; Xue & Ye 2008, Numer. Math. 110:393). Rounding grows like 2^s·ε ≈ ‖A‖·ε, so the
 * caller bounds ‖A‖.
 */
export function expmNonneg(e: usize, a: usize, n: i32): void {
  const b = EXPM_SCR + 3 * PIECE;
  let mu = 0.0;
  for (let i = 0; i < n; i++) mu = Math.max(mu, -ld(a, i * n + i));
  let norm = 0.0;
  for (let j = 0; j < n; j++) {
    let c = 0.0;
    for (let i = 0; i < n; i++) c += Math.max(0.0, ld(a, i * n + j) + (i == j ? mu : 0.0));
    norm = Math.max(norm, c);
  }
  norm = Math.max(norm, mu);
  let s = 0;
  if (norm > 1.0) s = <i32>Math.ceil(Math.log2(norm));
  const f = Math.pow(2.0, -<f64>s);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) st(b, i * n + j, Math.max(0.0, ld(a, i * n + j) + (i == j ? mu : 0.0)) * f);
  }
  taylor(b, n, 30, true);
  squareInto(e, n, s, Math.exp(-mu * f));
}

/**
 * EXPM_SCR's sum ← Σ_k b^k/k! for ‖b‖₁ ≤ 1, at most maxTerms terms, until the terms fall below
 * 1e-34 or, for a non-negative b, until every entry has its own precision (converged).
 */
function taylor(b: usize, n: i32, maxTerms: i32, nonneg: bool): void {
  const nn = n * n;
  const term = EXPM_SCR;
  const sum = EXPM_SCR + PIECE;
  const tmp = EXPM_SCR + 2 * PIECE;
  zero(term, nn);
  zero(sum, nn);
  for (let i = 0; i < n; i++) {
    st(term, i * n + i, 1.0);
    st(sum, i * n + i, 1.0);
  }
  for (let k = 1; k <= maxTerms; k++) {
    matmul(tmp, term, b, n);
    const inv = 1.0 / <f64>k;
    let big = 0.0;
    for (let i = 0; i < nn; i++) {
      const v = ld(tmp, i) * inv;
      st(term, i, v);
      st(sum, i, ld(sum, i) + v);
      big = Math.max(big, Math.abs(v));
    }
    if (big <= 1e-34) break;
    if (nonneg && k >= n && converged(term, sum, n, <f64>k)) break;
  }
}

/** e ← (scale·sum)^(2^s), the sum of taylor(). */
function squareInto(e: usize, n: i32, s: i32, scale: f64): void {
  const nn = n * n;
  const sum = EXPM_SCR + PIECE;
  const tmp = EXPM_SCR + 2 * PIECE;
  if (scale != 1.0) for (let i = 0; i < nn; i++) st(sum, i, ld(sum, i) * scale);
  for (let k = 0; k < s; k++) {
    matmul(tmp, sum, sum, n);
    copy(sum, tmp, nn);
  }
  copy(e, sum, nn);
}

/** Whether every off-diagonal entry of the n×n matrix a is ≥ 0 (expmNonneg's precondition). */
export function isMetzler(a: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i != j && !(ld(a, i * n + j) >= 0.0)) return false;
  }
  return true;
}

/**
 * E = exp(A) for any n×n matrix (n ≤ EXPM_N): Taylor series of A·2^−s with ‖A·2^−s‖₁ ≤ 1/2 (terms
 * fall below 2^−k/k!, so 24 reach 1e-32 of the sum), then s squarings (Moler & Van Loan 2003, SIAM
 * Rev. 45:3, method 3). For matrices with negative off-diagonal entries only: the squarings can
 * lose digits against ‖A‖ where expmNonneg keeps every entry to its own precision.
 */
export function expmGeneral(e: usize, a: usize, n: i32): void {
  const b = EXPM_SCR + 3 * PIECE;
  let norm = 0.0;
  for (let j = 0; j < n; j++) {
    let c = 0.0;
    for (let i = 0; i < n; i++) c += Math.abs(ld(a, i * n + j));
    norm = Math.max(norm, c);
  }
  let s = 0;
  if (norm > 0.5) s = <i32>Math.ceil(Math.log2(norm / 0.5));
  const f = Math.pow(2.0, -<f64>s);
  for (let i = 0; i < n * n; i++) st(b, i, ld(a, i) * f);
  taylor(b, n, 24, false);
  squareInto(e, n, s, 1.0);
}
