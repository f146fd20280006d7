// Small dense linear algebra on raw pointers (row-major, n ≤ 8). No allocation: callers pass scratch.

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

const PADE_SCR = memory.data(8 * 64 * 6, 16);

/**
 * E = exp(A) for an n×n matrix (n ≤ 8) by scaling and squaring with a diagonal Padé(8,8) approximant.
 * Method: scale A by 2^-s so that ‖A‖∞ ≤ 1/2, where the Padé(8,8) truncation error is below 1e-19
 * (Moler & Van Loan 2003, "Nineteen dubious ways", method 3; Higham 2005 bounds), then square s times.
 * Used only where eigen-decomposition is ill-conditioned (near-repeated eigenvalues).
 */
export function expm(e: usize, a: usize, n: i32): void {
  const nn = n * n;
  const x = PADE_SCR;
  const num = PADE_SCR + 8 * 64;
  const den = PADE_SCR + 16 * 64;
  const tmp = PADE_SCR + 24 * 64;
  const as = PADE_SCR + 32 * 64;
  let norm = 0.0;
  for (let i = 0; i < n; i++) {
    let r = 0.0;
    for (let j = 0; j < n; j++) r += Math.abs(ld(a, i * n + j));
    norm = Math.max(norm, r);
  }
  let s = 0;
  if (norm > 0.5) s = <i32>Math.max(0.0, Math.ceil(Math.log2(norm / 0.5)));
  const f = Math.pow(2.0, -<f64>s);
  for (let i = 0; i < nn; i++) st(as, i, ld(a, i) * f);
  // c_k = (2q-k)! q! / ((2q)! k! (q-k)!), q = 8
  zero(num, nn);
  zero(den, nn);
  zero(x, nn); // the power accumulator: off-diagonals left from a previous call would corrupt exp(A)
  for (let i = 0; i < n; i++) {
    st(num, i * n + i, 1.0);
    st(den, i * n + i, 1.0);
    st(x, i * n + i, 1.0);
  }
  let c = 1.0;
  let sign = 1.0;
  for (let k = 1; k <= 8; k++) {
    c = (c * <f64>(8 - k + 1)) / <f64>(k * (16 - k + 1));
    matmul(tmp, x, as, n);
    copy(x, tmp, nn);
    sign = -sign;
    for (let i = 0; i < nn; i++) {
      const v = c * ld(x, i);
      st(num, i, ld(num, i) + v);
      st(den, i, ld(den, i) + sign * v);
    }
  }
  solve(den, num, n, n); // num := den⁻¹·num
  for (let k = 0; k < s; k++) {
    matmul(tmp, num, num, n);
    copy(num, tmp, nn);
  }
  copy(e, num, nn);
}
