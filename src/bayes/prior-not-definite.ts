// Why the covariance of the estimated random effects is not positive definite, for the refusal of
// estimation (the MAP objective needs Ω⁻¹). Ω with a correlation of exactly 1 (ETA_CL and ETA_V,
// [[0.09, 0.06], [0.06, 0.04]]) is a valid covariance, which `population` samples exactly, but it was
// refused with "model omega: … must be positive definite", naming neither the pair nor the value.
// And whether it was refused hung on rounding: the Cholesky pivot 0.04 − 0.06²/0.09 came out ≤ 0,
// while [[0.04, 0.02], [0.02, 0.01]]'s came out a hair above 0, and estimation ran on a prior
// precision near 1e17 ("NOT converged", |gradient| 158). A pivot below 1e-12 of its variance counts
// as 0 now (a correlation of 0.99995, pivot 1e-4 of it, estimates as before).

import { Errors, type DosewiseError } from '../errors.js';
import { choleskyFactor, POSITIVE_DEFINITE } from '../stats/cholesky.js';
import { symmetricEigen } from './linalg.js';

/** Correlations this near ±1 make the pair's 2×2 block singular to the Cholesky factorization. */
const UNIT_CORRELATION = 1 - 1e-9;
/** A Cholesky pivot below this share of its diagonal is rounding of a 0: the matrix is singular. */
const PIVOT_SHARE = 1e-12;

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

/**
 * undefined where `cov` (row-major dim×dim, variances > 0) is positive definite beyond rounding;
 * else the refusal, naming `omega` or `iov` (the field the matrix comes from: a label with `@` is a κ)
 * and the cause: the first pair correlated ±1 (value, the covariance over √ of the variances, and
 * the linear relation it fixes), else the combination of effects with no variance (the smallest
 * eigenvalue and its eigenvector).
 */
export function priorNotDefinite(cov: ArrayLike<number>, dim: number, labels: readonly string[]): DosewiseError | undefined {
  const head = 'the covariance of the estimated random effects must be positive definite (estimation reads its inverse)';
  const field = (names: readonly string[]): string => (names.some((n) => n.includes('@')) ? 'iov' : 'omega');
  for (let i = 0; i < dim; i++)
    for (let j = i + 1; j < dim; j++) {
      const a = cov[i * dim + i] as number;
      const b = cov[j * dim + j] as number;
      const c = cov[i * dim + j] as number;
      const r = c / Math.sqrt(a * b);
      if (!(Math.abs(r) >= UNIT_CORRELATION)) continue;
      const p = labels[i] as string;
      const q = labels[j] as string;
      return Errors.model(
        field([p, q]),
        `${head}: ${p} and ${q} are correlated ${fmt(r)} (covariance ${fmt(c)} over √(${fmt(a)} · ${fmt(b)})), so ${q} = ${fmt(c / a)}·${p} exactly and the prior has no density off that line; ` +
          `give a correlation below 1 (${fmt(Math.sign(r) * 0.999 * Math.sqrt(a * b))} for 0.999) or make ${q} a multiple of ${p} in the parameters`,
      );
    }
  const l = choleskyFactor(cov, dim, POSITIVE_DEFINITE);
  if (l instanceof Float64Array && Array.from({ length: dim }, (_, j) => (l[j * dim + j] as number) ** 2 >= PIVOT_SHARE * (cov[j * dim + j] as number)).every(Boolean)) return undefined;
  const e = symmetricEigen(cov, dim);
  if (e) {
    const k = 0; // ascending: the smallest
    const terms: string[] = [];
    for (let i = 0; i < dim; i++) {
      const w = e.vectors[i * dim + k] as number;
      if (Math.abs(w) > 1e-6) terms.push(`${fmt(w)}·${labels[i] as string}`);
    }
    return Errors.model(field(labels), `${head}: the combination ${terms.join(' + ')} has variance ${fmt(e.values[k] as number)} (no pair is correlated ±1; three or more effects are linearly dependent)`);
  }
  return Errors.model(field(labels), head);
}
