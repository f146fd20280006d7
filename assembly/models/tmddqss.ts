// Quasi-steady-state TMDD, one compartment.
// see: Gibiansky L, Gibiansky E, Kakkar T, Ma P, J Pharmacokinet Pharmacodyn 2008;35:573-591
// States: [depot?] Atot (total drug amount), Rtot (total receptor conc).
// Parameters: P.k10 (kel), P.ka, PTmddQss.
import { P, PTmddQss } from "../abi";

// Scratch results of qssFree: the free concentration and the discriminant root s,
// kept in globals so the Jacobian can reuse them without a second sqrt.
let qS: f64 = 0;

/**
 * Free drug concentration from the QSS quadratic
 *   C = 0.5*((Ctot-Rtot-KSS) + sqrt((Ctot-Rtot-KSS)^2 + 4*KSS*Ctot)).
 * When x = Ctot-Rtot-KSS < 0 the sum x + s cancels catastrophically (large receptor
 * excess, the usual situation at low drug levels), so the conjugate form
 * C = 2*KSS*Ctot / (s - x) is used instead; both are algebraically identical.
 */
// @ts-ignore: decorator
@inline
export function qssFree(ctot: f64, rtot: f64, kss: f64): f64 {
  const x = ctot - rtot - kss;
  const s = Math.sqrt(x * x + 4.0 * kss * ctot);
  qS = s;
  if (x >= 0) return 0.5 * (x + s);
  const den = s - x;
  return den > 0 ? (2.0 * kss * ctot) / den : 0.0;
}

/** One compartment: Atot, Rtot, with or without the depot. */
// @ts-ignore: decorator
@inline
export function states(ncmt: i32, depot: i32): i32 {
  return ncmt == 1 ? 2 + depot : 0;
}

// @ts-ignore: decorator
@inline
export function rhs(ncmt: i32, depot: i32, t: f64, y: usize, p: usize, dy: usize): void {
  const o = <usize>depot << 3;
  const v = load<f64>(p, PTmddQss.V << 3);
  const ctot = load<f64>(y + o) / v;
  const rtot = load<f64>(y + o, 8);
  const c = qssFree(ctot, rtot, load<f64>(p, PTmddQss.KSS << 3));
  const kint = load<f64>(p, PTmddQss.KINT << 3);
  const kdeg = load<f64>(p, PTmddQss.KDEG << 3);
  const cplx = ctot - c; // bound drug (complex) concentration
  let da = -load<f64>(p, P.k10 << 3) * c * v - kint * cplx * v;
  if (depot) {
    const ka = load<f64>(p, P.ka << 3);
    const ad = load<f64>(y);
    store<f64>(dy, -ka * ad);
    da += ka * ad;
  }
  store<f64>(dy + o, da);
  store<f64>(dy + o, load<f64>(p, PTmddQss.KSYN << 3) - kdeg * rtot - (kint - kdeg) * cplx, 8);
}

/**
 * Partial derivatives of C(Ctot, Rtot) in cancellation-free form (s = discriminant root):
 *   dC/dCtot = (C + KSS)/s,   dC/dRtot = -C/s
 * (from C = (x+s)/2 with s = 2C - x). If s == 0 (KSS = 0 and Ctot = Rtot) C is not
 * differentiable; the one-sided values 1/2, -1/2 are used.
 */
// @ts-ignore: decorator
@inline
export function jac(ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, J: usize): void {
  const o = depot;
  const v = load<f64>(p, PTmddQss.V << 3);
  const kss = load<f64>(p, PTmddQss.KSS << 3);
  const ctot = load<f64>(y + (<usize>o << 3)) / v;
  const rtot = load<f64>(y + (<usize>o << 3), 8);
  const c = qssFree(ctot, rtot, kss);
  const s = qS;
  let dcc: f64 = 0.5;
  let dcr: f64 = -0.5;
  if (s > 0) {
    dcc = (c + kss) / s;
    dcr = -c / s;
  }
  const kel = load<f64>(p, P.k10 << 3);
  const kint = load<f64>(p, PTmddQss.KINT << 3);
  const kdeg = load<f64>(p, PTmddQss.KDEG << 3);
  const row = <usize>n << 3;
  const j0 = J + <usize>o * row + (<usize>o << 3);
  if (depot) {
    const ka = load<f64>(p, P.ka << 3);
    store<f64>(J, -ka);
    store<f64>(J + row, ka);
  }
  // dAtot/dt = -kel*C*V - kint*(Ctot - C)*V ; dCtot/dAtot = 1/V
  store<f64>(j0, -kel * dcc - kint * (1.0 - dcc));
  store<f64>(j0, (kint - kel) * dcr * v, 8);
  // dRtot/dt = ksyn - kdeg*Rtot - (kint-kdeg)*(Ctot - C)
  store<f64>(j0 + row, -(kint - kdeg) * (1.0 - dcc) / v);
  store<f64>(j0 + row, -kdeg + (kint - kdeg) * dcr, 8);
}

/** Total receptor at its baseline KSYN/KDEG (no degradation: starts empty rather than at inf). */
// @ts-ignore: decorator
@inline
export function init(ncmt: i32, depot: i32, p: usize, y: usize): void {
  const kdeg = load<f64>(p, PTmddQss.KDEG << 3);
  const r0 = kdeg != 0 ? load<f64>(p, PTmddQss.KSYN << 3) / kdeg : 0.0;
  store<f64>(y + (<usize>(depot + 1) << 3), r0);
}

/** Free drug concentration from the QSS closed form. */
// @ts-ignore: decorator
@inline
export function free(ncmt: i32, depot: i32, y: usize, p: usize): f64 {
  const c = <usize>depot << 3;
  return qssFree(load<f64>(y + c) / load<f64>(p, PTmddQss.V << 3), load<f64>(y + c, 8), load<f64>(p, PTmddQss.KSS << 3));
}
