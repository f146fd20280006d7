// Model dispatch: layout, right-hand side, analytic Jacobian, initial state and observation
// for every Kind. The per-kind switches are generated (dispatch.generated.ts, from the BUILTINS
// list of scripts/gen-abi.mjs); what every kind shares is here. Kernels are pure functions on raw
// pointers (f64, 8 bytes each): y/dy/rate have nStates entries, p has PAR_STRIDE entries, J is
// row-major n x n.
import { Kind, ObsMode, P } from "../abi";
import { userObserve, userHeld } from "./user";
import { kindStates, kindAutonomous, kindRhs, kindJac, kindDt, kindInit, kindFree, kindEffect } from "./dispatch.generated";

/** Zero n doubles; a loop beats memory.fill (an out-of-line engine call) for n <= 36. */
// @ts-ignore: decorator
@inline
function zero(dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), 0.0);
}

/** Number of states of a layout, or 0 if the (kind, ncmt, depot) combination is invalid. */
export function nStates(kind: i32, ncmt: i32, depot: i32): i32 {
  if (depot != 0 && depot != 1) return 0;
  return kindStates(kind, ncmt, depot);
}

/** Whether f does not depend on t explicitly; the integrators use this to skip df/dt work. */
// @ts-ignore: decorator
@inline
export function isAutonomous(kind: i32): bool {
  return kindAutonomous(kind);
}

/**
 * Whether state i of the kind cannot be negative: every state of a built-in kind holds a drug or
 * target amount, an effect-site concentration, a tumour size, so a step that leaves one below zero
 * has failed (control.ts: domainError). A model text's compartment may be a PD quantity that is
 * negative by right: only those the text marks as amounts are held (userHeld: the compartment its
 * observation or an output measures, or one given lag/F/rate/duration, see src/model/text/kernel.ts);
 * the others are not, and its runs warn W_NEGATIVE_AMOUNT for them instead.
 */
// @ts-ignore: decorator
@inline
export function heldState(kind: i32, i: i32): bool {
  return kind != Kind.User || userHeld(i);
}

/** dy = f(t, y; p) + rate. `rate` may be 0 (null) for no zero-order input. */
export function rhs(kind: i32, ncmt: i32, depot: i32, t: f64, y: usize, p: usize, rate: usize, dy: usize): void {
  const n = kindRhs(kind, ncmt, depot, t, y, p, dy);
  if (rate) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      store<f64>(dy + o, load<f64>(dy + o) + load<f64>(rate + o));
    }
  }
}

/** Analytic Jacobian J[i*n+j] = df_i/dy_j (zero-order inputs do not contribute). */
export function jac(kind: i32, ncmt: i32, depot: i32, t: f64, y: usize, p: usize, J: usize): void {
  const n = nStates(kind, ncmt, depot);
  if (n == 0) return;
  zero(J, n * n);
  kindJac(kind, ncmt, depot, n, t, y, p, J);
}

/** ft = df/dt at fixed y (zero for every autonomous kind). */
export function rhsDt(kind: i32, n: i32, t: f64, y: usize, p: usize, ft: usize): void {
  if (!kindDt(kind, t, y, p, ft)) zero(ft, n);
}

/** State before any dose: 0 unless the kind has an initial state (receptor baseline, tumour size). */
export function initState(kind: i32, ncmt: i32, depot: i32, p: usize, y: usize): void {
  const n = nStates(kind, ncmt, depot);
  if (n == 0) return;
  zero(y, n);
  kindInit(kind, ncmt, depot, p, y);
}

/**
 * Observed quantity, by the ObsMode in P.obsMode:
 *   Amount: y[P.obsIndex] / P.scale
 *   Effect: the kind's effect response (Effect: sigmoid Emax of the effect-site concentration)
 *   Free: the kind's free concentration (QSS closed form for TmddQss, A/V for Tmdd and
 *      MichaelisMenten, central/V for Effect)
 *   User: the user model's observation expression (User only)
 * Anything undefined returns NaN so a bad request is visible, never silently 0.
 */
export function observe(kind: i32, ncmt: i32, depot: i32, y: usize, p: usize): f64 {
  const n = nStates(kind, ncmt, depot);
  if (n == 0) return NaN;
  const mode = <i32>load<f64>(p, P.obsMode << 3);
  if (mode == ObsMode.Amount) {
    const fi = load<f64>(p, P.obsIndex << 3);
    if (!(fi >= 0 && fi < <f64>n)) return NaN;
    return load<f64>(y + (<usize>(<i32>fi) << 3)) / load<f64>(p, P.scale << 3);
  }
  if (mode == ObsMode.Effect) return kindEffect(kind, ncmt, depot, n, y, p);
  if (mode == ObsMode.User) return kind == Kind.User ? userObserve(y, p) : NaN;
  if (mode == ObsMode.Free) return kindFree(kind, ncmt, depot, y, p);
  return NaN;
}
