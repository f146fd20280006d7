// Linear mammillary disposition (1-3 compartments) with an optional first-order depot.
// State order (fixed by the driver): [depot?] central, periph1 (ncmt>=2), periph2 (ncmt=3).
// Parameters: P.k10..P.ka (scripts/gen-abi.mjs).
// see: Gibaldi & Perrier, Pharmacokinetics 2nd ed. (1982), ch. 2-3 (micro-constant form)
import { P } from "../abi";

/** 1-3 compartments, with or without the depot. */
// @ts-ignore: decorator
@inline
export function states(ncmt: i32, depot: i32): i32 {
  return ncmt >= 1 && ncmt <= 3 ? ncmt + depot : 0;
}

/** Derivative of the linear PK block; `c` is the index of the central compartment. */
// @ts-ignore: decorator
@inline
export function rhs(ncmt: i32, depot: i32, t: f64, y: usize, p: usize, dy: usize): void {
  const k10 = load<f64>(p, P.k10 << 3);
  const c = <usize>depot << 3;
  const ac = load<f64>(y + c);
  let dac = -k10 * ac;
  if (depot) {
    const ka = load<f64>(p, P.ka << 3);
    const ad = load<f64>(y);
    store<f64>(dy, -ka * ad);
    dac += ka * ad;
  }
  if (ncmt >= 2) {
    const k12 = load<f64>(p, P.k12 << 3);
    const k21 = load<f64>(p, P.k21 << 3);
    const a1 = load<f64>(y + c, 8);
    const flux = k12 * ac - k21 * a1;
    dac -= flux;
    store<f64>(dy + c, flux, 8);
    if (ncmt == 3) {
      const k13 = load<f64>(p, P.k13 << 3);
      const k31 = load<f64>(p, P.k31 << 3);
      const a2 = load<f64>(y + c, 16);
      const flux2 = k13 * ac - k31 * a2;
      dac -= flux2;
      store<f64>(dy + c, flux2, 16);
    }
  }
  store<f64>(dy + c, dac);
}

/** Jacobian entries of the linear block into a zeroed row-major n x n matrix. */
// @ts-ignore: decorator
@inline
export function jac(ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, J: usize): void {
  const c = depot;
  const row = n << 3; // bytes per row
  const jc = J + <usize>(c * row) + (<usize>c << 3); // J[c][c]
  let dcc = -load<f64>(p, P.k10 << 3);
  if (depot) {
    const ka = load<f64>(p, P.ka << 3);
    store<f64>(J, -ka); // J[0][0]
    store<f64>(J + <usize>row, ka); // J[c=1][0]
  }
  if (ncmt >= 2) {
    const k12 = load<f64>(p, P.k12 << 3);
    const k21 = load<f64>(p, P.k21 << 3);
    dcc -= k12;
    store<f64>(jc, k21, 8); // J[c][c+1]
    store<f64>(jc + <usize>row, k12); // J[c+1][c]
    store<f64>(jc + <usize>row, -k21, 8); // J[c+1][c+1]
    if (ncmt == 3) {
      const k13 = load<f64>(p, P.k13 << 3);
      const k31 = load<f64>(p, P.k31 << 3);
      dcc -= k13;
      store<f64>(jc, k31, 16); // J[c][c+2]
      store<f64>(jc + <usize>(2 * row), k13); // J[c+2][c]
      store<f64>(jc + <usize>(2 * row), -k31, 16); // J[c+2][c+2]
    }
  }
  store<f64>(jc, dcc);
}
