// One-compartment PK with saturable (Michaelis-Menten) plus linear elimination.
// States: [depot?] central amount A. Parameters: P.k10, P.ka, PMm (VMAX in amount/time, KM a concentration).
// see: Wagner JG, J Pharmacokinet Biopharm 1973;1:103-121 (Michaelis-Menten elimination in PK)
import { P, PMm } from "../abi";

/** One compartment, with or without the depot. */
// @ts-ignore: decorator
@inline
export function states(ncmt: i32, depot: i32): i32 {
  return ncmt == 1 ? 1 + depot : 0;
}

// @ts-ignore: decorator
@inline
export function rhs(ncmt: i32, depot: i32, t: f64, y: usize, p: usize, dy: usize): void {
  const c = <usize>depot << 3;
  const a = load<f64>(y + c);
  const v = load<f64>(p, PMm.V << 3);
  const vmax = load<f64>(p, PMm.VMAX << 3);
  const km = load<f64>(p, PMm.KM << 3);
  // An explicit step's stages wait on each other, so the latency from A to dA/dt is the cost:
  // VMAX·C/(KM + C) with C = A/V is written VMAX·A/(KM·V + A), one division instead of two, and
  // subtracted last, after the linear terms (absorption, first-order elimination) it does not wait for
  let lin = -load<f64>(p, P.k10 << 3) * a;
  if (depot) {
    const ka = load<f64>(p, P.ka << 3);
    const ad = load<f64>(y);
    store<f64>(dy, -ka * ad);
    lin += ka * ad;
  }
  store<f64>(dy + c, lin - vmax * a / (km * v + a));
}

// @ts-ignore: decorator
@inline
export function jac(ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, J: usize): void {
  const c = <usize>depot << 3;
  const a = load<f64>(y + c);
  const v = load<f64>(p, PMm.V << 3);
  const vmax = load<f64>(p, PMm.VMAX << 3);
  const km = load<f64>(p, PMm.KM << 3);
  const conc = a / v;
  const den = km + conc;
  // d/dA [VMAX*C/(KM+C)] = VMAX*KM/(KM+C)^2 * dC/dA
  const dcc = -vmax * km / (den * den * v) - load<f64>(p, P.k10 << 3);
  if (depot) {
    const ka = load<f64>(p, P.ka << 3);
    store<f64>(J, -ka);
    store<f64>(J + (<usize>n << 3), ka); // J[1][0]
    store<f64>(J + (<usize>n << 3), dcc, 8); // J[1][1]
  } else {
    store<f64>(J, dcc);
  }
}

/** Concentration A/V. */
// @ts-ignore: decorator
@inline
export function free(ncmt: i32, depot: i32, y: usize, p: usize): f64 {
  return load<f64>(y + (<usize>depot << 3)) / load<f64>(p, PMm.V << 3);
}
