// Linear PK plus an effect compartment (last state Ce) driving a sigmoid Emax response.
// see: Sheiner LB, Stanski DR, Vozeh S, Miller RD, Ham J, Clin Pharmacol Ther 1979;25:358-371
// Parameters: the linear block's P.k10..P.ka, then PEffect (scripts/gen-abi.mjs).
import { PEffect } from "../abi";
import { rhs as linearRhs, jac as linearJac } from "./linear";

/** The linear layouts plus the effect compartment. */
// @ts-ignore: decorator
@inline
export function states(ncmt: i32, depot: i32): i32 {
  return ncmt >= 1 && ncmt <= 3 ? ncmt + depot + 1 : 0;
}

// @ts-ignore: decorator
@inline
export function rhs(ncmt: i32, depot: i32, t: f64, y: usize, p: usize, dy: usize): void {
  linearRhs(ncmt, depot, t, y, p, dy);
  const ce = <usize>(depot + ncmt) << 3;
  const ke0 = load<f64>(p, PEffect.KE0 << 3);
  store<f64>(dy + ce, ke0 * (load<f64>(y + (<usize>depot << 3)) / load<f64>(p, PEffect.V << 3) - load<f64>(y + ce)));
}

// @ts-ignore: decorator
@inline
export function jac(ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, J: usize): void {
  linearJac(ncmt, depot, n, t, y, p, J);
  const ke0 = load<f64>(p, PEffect.KE0 << 3);
  const rowCe = J + <usize>((n - 1) * n) * 8;
  store<f64>(rowCe + (<usize>depot << 3), ke0 / load<f64>(p, PEffect.V << 3));
  store<f64>(rowCe + (<usize>(n - 1) << 3), -ke0);
}

/**
 * Sigmoid Emax response E0 + EMAX*Ce^g/(EC50^g + Ce^g), written as
 * EMAX/(1 + (EC50/Ce)^g) so large Ce^g cannot overflow. Ce is clamped at 0 because the
 * integrator may return tiny negative values when Ce is near zero and a fractional
 * power of a negative number is NaN.
 */
// @ts-ignore: decorator
@inline
function emax(ce: f64, p: usize): f64 {
  const e0 = load<f64>(p, PEffect.E0 << 3);
  if (!(ce > 0)) return e0;
  const ec50 = load<f64>(p, PEffect.EC50 << 3);
  const g = load<f64>(p, PEffect.GAMMA << 3);
  return e0 + load<f64>(p, PEffect.EMAX << 3) / (1.0 + Math.pow(ec50 / ce, g));
}

/** The response of the effect-site concentration (the last state). */
// @ts-ignore: decorator
@inline
export function effect(ncmt: i32, depot: i32, n: i32, y: usize, p: usize): f64 {
  return emax(load<f64>(y + (<usize>(n - 1) << 3)), p);
}

/** Central concentration (central amount / V). */
// @ts-ignore: decorator
@inline
export function free(ncmt: i32, depot: i32, y: usize, p: usize): f64 {
  return load<f64>(y + (<usize>depot << 3)) / load<f64>(p, PEffect.V << 3);
}
