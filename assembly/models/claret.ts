// Claret tumour growth inhibition model: one state A (tumour size), non-autonomous.
// see: Claret L et al., J Clin Oncol 2009;27:4103-4108 (eq. 1, exposure = DOSE)
// dA/dt = KG*A - KS0*exp(-GAMMA*t)*ln(DOSE)*A, t absolute time.
// p[6]=BASE p[7]=KG p[8]=KS0 p[9]=GAMMA p[10]=DOSE.

/**
 * Net per-capita growth rate. DOSE <= 0 (an untreated arm) is given no drug effect
 * instead of ln(0) = -inf, which would otherwise poison the state with NaN.
 */
// @ts-ignore: decorator
@inline
function claretRate(t: f64, p: usize): f64 {
  const dose = load<f64>(p, 80);
  const kg = load<f64>(p, 56);
  if (!(dose > 0)) return kg;
  return kg - load<f64>(p, 64) * Math.exp(-load<f64>(p, 72) * t) * Math.log(dose);
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
  const dose = load<f64>(p, 80);
  let v: f64 = 0;
  if (dose > 0) {
    const g = load<f64>(p, 72);
    v = g * load<f64>(p, 64) * Math.exp(-g * t) * Math.log(dose) * load<f64>(y);
  }
  store<f64>(ft, v);
}
