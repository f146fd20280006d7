// The flip-flop start of the MAP global search. With first-order absorption and sparse levels the
// data cannot tell absorption from elimination: KA and the elimination rate can trade places, and
// the posterior has a second mode on the other side. Its basin can lie behind a low ridge that the
// prior starts' hill–valley test misses (one 6-h level, 1-cmt oral: dosewise stopped at KA 0.616,
// OFV −2.0285, where the lowest mode is KA 0.246, OFV −2.0936), so the point where the two rates
// swap is a start of its own.

import type { MapObjective } from './objective.js';
import { inverseSpd } from './linalg.js';

/** Rates closer than this (log ratio) are one point: there is nothing to swap. */
const SAME_RATE = 1e-3;
/** Step (in effect units) of the finite differences of log KA and log k. */
const STEP = 1e-4;
/** Newton steps towards the swapped rates (one suffices when both are exponential in the effects). */
const ITERATIONS = 4;

/** The elimination rate (terminal, for 2 compartments) from a built-in linear model's values; NaN where not one. */
function eliminationRate(v: Record<string, number>, compartments: number, micro: boolean): number {
  const k = micro ? (v.K as number) : (v.CL as number) / (v.V as number);
  if (compartments === 1) return k;
  if (compartments !== 2) return NaN;
  const k12 = micro ? (v.K12 as number) : (v.Q as number) / (v.V as number);
  const k21 = micro ? (v.K21 as number) : (v.Q as number) / (v.V2 as number);
  const s = k + k12 + k21;
  const d = s * s - 4 * k * k21;
  return d >= 0 ? (s - Math.sqrt(d)) / 2 : NaN;
}

/**
 * log KA and log k (the elimination rate) at x, or undefined where the model has no first-order
 * absorption of its own (built-in linear structures with a depot, 1 or 2 compartments; a model
 * text's depot is not recognised) or a value is not a positive number.
 */
function logRates(obj: MapObjective, x: ArrayLike<number>): [number, number] | undefined {
  const st = obj.model.structure;
  if (st.kind !== 'linear' || !st.depot) return undefined;
  const r = obj.observations[0] ?? 0;
  let v: Record<string, number>;
  try {
    v = obj.values(x, r);
  } catch {
    return undefined;
  }
  const ka = v.KA as number;
  const k = eliminationRate(v, st.compartments, st.parameterization === 'micro');
  if (!(ka > 0) || !(k > 0) || !Number.isFinite(ka) || !Number.isFinite(k)) return undefined;
  return [Math.log(ka), Math.log(k)];
}

/**
 * The flip-flop point of x: the effects closest to x under the prior (minimum Mahalanobis step)
 * at which KA takes the elimination rate's value at x and the elimination rate KA's, i.e. the step
 * Ω Jᵀ (J Ω Jᵀ)⁻¹ Δ, J the derivatives of (log KA, log k) in the effects. Undefined without
 * first-order absorption, when no effect moves both rates independently, or when the rates are equal.
 */
export function flipFlopStart(obj: MapObjective, x: ArrayLike<number>): Float64Array | undefined {
  const dim = obj.dim;
  const at = logRates(obj, x);
  if (!at || Math.abs(at[0] - at[1]) < SAME_RATE) return undefined;
  const target: [number, number] = [at[1], at[0]];
  const O = obj.priorCovariance;
  const p = Float64Array.from(x);
  for (let it = 0; it < ITERATIONS; it++) {
    const here = it === 0 ? at : logRates(obj, p);
    if (!here) return undefined;
    const res = [target[0] - here[0], target[1] - here[1]];
    if (Math.abs(res[0] as number) < 1e-9 && Math.abs(res[1] as number) < 1e-9) break;
    // J (2 × dim) by forward differences
    const J = new Float64Array(2 * dim);
    for (let j = 0; j < dim; j++) {
      const q = Float64Array.from(p);
      q[j] = (q[j] as number) + STEP;
      const l = logRates(obj, q);
      if (!l) return undefined;
      J[j] = (l[0] - here[0]) / STEP;
      J[dim + j] = (l[1] - here[1]) / STEP;
    }
    // OJt = Ω Jᵀ (dim × 2); S = J Ω Jᵀ (2 × 2)
    const OJt = new Float64Array(dim * 2);
    for (let i = 0; i < dim; i++)
      for (let a = 0; a < 2; a++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (O[i * dim + j] as number) * (J[a * dim + j] as number);
        OJt[i * 2 + a] = s;
      }
    const S = new Float64Array(4);
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (J[a * dim + j] as number) * (OJt[j * 2 + b] as number);
        S[a * 2 + b] = s;
      }
    const Si = inverseSpd(S, 2);
    if (!Si) return undefined;
    const w0 = (Si[0] as number) * (res[0] as number) + (Si[1] as number) * (res[1] as number);
    const w1 = (Si[2] as number) * (res[0] as number) + (Si[3] as number) * (res[1] as number);
    for (let i = 0; i < dim; i++) p[i] = (p[i] as number) + (OJt[i * 2] as number) * w0 + (OJt[i * 2 + 1] as number) * w1;
  }
  for (const v of p) if (!Number.isFinite(v)) return undefined;
  return p;
}
