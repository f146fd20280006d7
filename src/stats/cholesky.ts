// Lower Cholesky factor of a small dense symmetric matrix (row-major n×n in a Float64Array). What
// counts as a failed or a zero pivot differs between callers (a strictly positive definite matrix;
// a semi-definite covariance with fixed effects; a correlation of exactly 1), so those tests are
// parameters; the arithmetic is the same for all.

/** When a pivot fails or counts as zero; `d` is pivot `j` after the updates from earlier columns. */
export interface CholeskyRule {
  /** The matrix is refused at this pivot. */
  reject(d: number, j: number): boolean;
  /** The pivot counts as zero: column `j` stays zero and its entries below the diagonal must vanish. */
  zero(d: number, j: number): boolean;
  /** Entry (i, j) under a zero pivot, after the updates, is too large: the matrix is refused. */
  inconsistent(s: number, i: number, j: number): boolean;
}

/** Why a factorisation stopped: a refused pivot, or an entry under a zero pivot that does not vanish. */
export type CholeskyFailure = { readonly pivot: number; readonly d: number } | { readonly row: number; readonly column: number };

/** Strictly positive definite (and finite) pivots; no zero pivots. */
export const POSITIVE_DEFINITE: CholeskyRule = {
  reject: (d) => !(d > 0) || !Number.isFinite(d),
  zero: () => false,
  inconsistent: () => false,
};

/** Lower Cholesky factor of `a` (row-major n×n, only the lower triangle read), or why it is refused. */
export function choleskyFactor(a: ArrayLike<number>, n: number, rule: CholeskyRule): Float64Array | CholeskyFailure {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * n + k] as number) ** 2;
    if (rule.reject(d, j)) return { pivot: j, d };
    if (rule.zero(d, j)) {
      for (let i = j + 1; i < n; i++) {
        let s = a[i * n + j] as number;
        for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
        if (rule.inconsistent(s, i, j)) return { row: i, column: j };
      }
      continue;
    }
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * A covariance matrix's rule (Ω, Ω_IOV): positive semi-definite, a zero-variance row staying zero
 * (a fixed effect), with tolerances relative to the diagonal.
 */
export function covarianceRule(a: ArrayLike<number>, n: number): CholeskyRule {
  const diag = (j: number): number => a[j * n + j] as number;
  const scale = (j: number): number => Math.max(1e-300, diag(j));
  return {
    reject: (d, j) => d < -1e-12 * scale(j),
    zero: (d, j) => d <= 1e-14 * scale(j),
    inconsistent: (s, i, j) => Math.abs(s) > 1e-10 * Math.sqrt(Math.abs(diag(i) * scale(j))),
  };
}
