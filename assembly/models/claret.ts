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

/** A pure tumour model: no PK compartments; ncmt 0 or 1 accepted as "one state", no depot. */
// @ts-ignore: decorator
@inline
export function states(ncmt: i32, depot: i32): i32 {
  return (ncmt == 0 || ncmt == 1) && depot == 0 ? 1 : 0;
}

// @ts-ignore: decorator
@inline
export function rhs(ncmt: i32, depot: i32, t: f64, y: usize, p: usize, dy: usize): void {
  store<f64>(dy, claretRate(t, p) * load<f64>(y));
}

// @ts-ignore: decorator
@inline
export function jac(ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, J: usize): void {
  store<f64>(J, claretRate(t, p));
}

/** Partial derivative of the right-hand side in t (needed by non-autonomous Rosenbrock). */
// @ts-ignore: decorator
@inline
export function dt(t: f64, y: usize, p: usize, ft: usize): void {
  const dose = load<f64>(p, PClaret.DOSE << 3);
  let v: f64 = 0;
  if (dose > 0) {
    const g = load<f64>(p, PClaret.GAMMA << 3);
    v = g * load<f64>(p, PClaret.KS0 << 3) * Math.exp(-g * t) * Math.log(dose) * load<f64>(y);
  }
  store<f64>(ft, v);
}

/** The tumour starts at BASE. */
// @ts-ignore: decorator
@inline
export function init(ncmt: i32, depot: i32, p: usize, y: usize): void {
  store<f64>(y, load<f64>(p, PClaret.BASE << 3));
}
