// Small dense linear algebra for estimation (a handful of random effects): row-major n×n matrices
// in Float64Arrays. Nothing here is performance-critical beyond being allocation-light.

import { choleskyFactor, POSITIVE_DEFINITE } from '../stats/cholesky.js';

/** Lower Cholesky factor of a symmetric positive definite matrix, or undefined if it is not SPD. */
export function choleskySpd(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const l = choleskyFactor(a, n, POSITIVE_DEFINITE);
  return l instanceof Float64Array ? l : undefined;
}

/** Inverse of a symmetric positive definite matrix, or undefined if it is not SPD. */
export function inverseSpd(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const l = choleskySpd(a, n);
  if (!l) return undefined;
  // A⁻¹ = L⁻ᵀ L⁻¹
  const li = lowerInverse(l, n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (li[k * n + i] as number) * (li[k * n + j] as number);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  return out;
}

/** Inverse of a lower-triangular n×n matrix (forward substitution). */
export function lowerInverse(l: Float64Array, n: number): Float64Array {
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / (l[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (l[i * n + k] as number) * (li[k * n + j] as number);
      li[i * n + j] = s / (l[i * n + i] as number);
    }
  }
  return li;
}

/** xᵀ A x for a row-major n×n A. */
export function quadratic(a: ArrayLike<number>, x: ArrayLike<number>, n: number, offset = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[offset + i] as number;
    if (xi === 0) continue;
    let r = 0;
    for (let j = 0; j < n; j++) r += (a[i * n + j] as number) * (x[offset + j] as number);
    s += xi * r;
  }
  return s;
}

/** Rows of a row-major n×n matrix as nested arrays. */
export function toRows(a: ArrayLike<number>, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a[i * n + j] as number));
}

/**
 * Eigenvalues of a symmetric row-major n×n matrix (cyclic Jacobi rotations), ascending. NaN entries
 * give NaN eigenvalues.
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): number[] {
  const e = symmetricEigen(a, n);
  return e ? Array.from(e.values) : new Array<number>(n).fill(NaN);
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major n×n) of a symmetric
 * matrix by cyclic Jacobi rotations; undefined when an entry is not finite.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } | undefined {
  const m = Float64Array.from({ length: n * n }, (_, k) => a[k] as number);
  if (m.some((v) => !Number.isFinite(v))) return undefined;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += (m[i * n + i] as number) ** 2;
      for (let j = i + 1; j < n; j++) off += (m[i * n + j] as number) ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q] as number;
        if (apq === 0) continue;
        const theta = ((m[q * n + q] as number) - (m[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p] as number;
          const akq = m[k * n + q] as number;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k] as number;
          const aqk = m[q * n + k] as number;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (m[i * n + i] as number) - (m[j * n + j] as number));
  const values = Float64Array.from(order, (i) => m[i * n + i] as number);
  const vectors = new Float64Array(n * n);
  order.forEach((i, c) => {
    for (let k = 0; k < n; k++) vectors[k * n + c] = v[k * n + i] as number;
  });
  return { values, vectors };
}

