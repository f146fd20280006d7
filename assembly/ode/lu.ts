// Dense LU factorisation with partial pivoting, in place, row-major, for n <= MAX_STATES.
// see: Golub & Van Loan, Matrix Computations, 4th ed., Alg. 3.4.1 (gaxpy-free kji form)

/**
 * Factor A (n x n, row-major) into L\U in place; piv[k] (i32) receives the row swapped with
 * row k. Returns false when a pivot is exactly zero or not finite (A singular to working
 * precision or poisoned by NaN); the caller then shrinks the step.
 */
export function luDecomp(n: i32, A: usize, piv: usize): bool {
  const row = <usize>n << 3;
  for (let k = 0; k < n; k++) {
    const rk = A + <usize>k * row;
    // partial pivoting: largest |a_ik| for i >= k
    let m = k;
    let amax = abs<f64>(load<f64>(rk + (<usize>k << 3)));
    for (let i = k + 1; i < n; i++) {
      const a = abs<f64>(load<f64>(A + <usize>i * row + (<usize>k << 3)));
      if (a > amax) {
        amax = a;
        m = i;
      }
    }
    store<i32>(piv + (<usize>k << 2), m);
    if (!(amax > 0) || !isFinite<f64>(amax)) return false;
    if (m != k) {
      const rm = A + <usize>m * row;
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        const tmp = load<f64>(rk + o);
        store<f64>(rk + o, load<f64>(rm + o));
        store<f64>(rm + o, tmp);
      }
    }
    const inv = 1.0 / load<f64>(rk + (<usize>k << 3));
    for (let i = k + 1; i < n; i++) {
      const ri = A + <usize>i * row;
      const l = load<f64>(ri + (<usize>k << 3)) * inv;
      store<f64>(ri + (<usize>k << 3), l);
      if (l != 0) {
        for (let j = k + 1; j < n; j++) {
          const o = <usize>j << 3;
          store<f64>(ri + o, load<f64>(ri + o) - l * load<f64>(rk + o));
        }
      }
    }
  }
  return true;
}

/** Solve (L U) x = P b in place (b overwritten by x) with the factors of luDecomp. */
export function luSolve(n: i32, A: usize, piv: usize, b: usize): void {
  const row = <usize>n << 3;
  // apply the row interchanges and forward-substitute with unit lower L
  for (let k = 0; k < n; k++) {
    const m = load<i32>(piv + (<usize>k << 2));
    const ok = <usize>k << 3;
    if (m != k) {
      const om = <usize>m << 3;
      const tmp = load<f64>(b + ok);
      store<f64>(b + ok, load<f64>(b + om));
      store<f64>(b + om, tmp);
    }
  }
  for (let i = 1; i < n; i++) {
    const ri = A + <usize>i * row;
    let s = load<f64>(b + (<usize>i << 3));
    for (let j = 0; j < i; j++) s -= load<f64>(ri + (<usize>j << 3)) * load<f64>(b + (<usize>j << 3));
    store<f64>(b + (<usize>i << 3), s);
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = A + <usize>i * row;
    let s = load<f64>(b + (<usize>i << 3));
    for (let j = i + 1; j < n; j++) s -= load<f64>(ri + (<usize>j << 3)) * load<f64>(b + (<usize>j << 3));
    store<f64>(b + (<usize>i << 3), s / load<f64>(ri + (<usize>i << 3)));
  }
}
