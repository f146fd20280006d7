// Claret tumour growth inhibition model: one state A (tumour size), non-autonomous.
// see: Claret L et al., J Clin Oncol 2009;27:4103-4108 (eq. 1, exposure = DOSE)
// dA/dt = KG*A - KS0*exp(-GAMMA*t)*ln(DOSE)*A, t absolute time.
// Parameters: PClaret (scripts/gen-abi.mjs).
import { PClaret } from "../abi";

/**
 * Net per-capita growth rate. DOSE <= 0 (an untreated arm) is given no drug effect
 * instead of ln(0) = -inf, which would otherwise poison the state with NaN.
 */
// @ts-ignore: decorator
@inline
function claretRate(t: f64, p: usize): f64 {
  const dose = load<f64>(p, PClaret.DOSE << 3);
  const kg = load<f64>(p, PClaret.KG << 3);
  if (!(dose > 0)) return kg;
  return kg - load<f64>(p, PClaret.KS0 << 3) * Math.exp(-load<f64>(p, PClaret.GAMMA << 3) * t) * Math.log(dose);
}

// @ts-ignore: decorator
@inline
export function claretRhs(t: f64, y: usize, p: usize, dy: usize): void {
  store<f64>(dy, claretRate(t, p) * load<f64>(y));
}

export function claretJac(t: f64, p: usize, J: usize): void {
  store<f64>(J, claretRate(t, p));
}

/** Partial derivative of the right-hand side in t (needed by non-autonomous Rosenbrock). */
export function claretDt(t: f64, y: usize, p: usize, ft: usize): void {
  const dose = load<f64>(p, PClaret.DOSE << 3);
  let v: f64 = 0;
  if (dose > 0) {
    const g = load<f64>(p, PClaret.GAMMA << 3);
    v = g * load<f64>(p, PClaret.KS0 << 3) * Math.exp(-g * t) * Math.log(dose) * load<f64>(y);
  }
  store<f64>(ft, v);
}
