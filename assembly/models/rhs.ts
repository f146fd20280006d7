// Model dispatch: layout, right-hand side, analytic Jacobian, initial state and observation
// for every built-in Kind. Kernels here are pure functions on raw pointers (f64, 8 bytes each):
// y/dy/rate have nStates entries, p has PAR_STRIDE entries, J is row-major n x n.
import { Kind, ObsMode, P, PTmdd, PTmddQss, PClaret } from "../abi";
import { linearRhs, linearJac } from "./linear";
import { mmRhs, mmJac } from "./mm";
import { tmddRhs, tmddJac } from "./tmdd";
import { qssFree, tmddQssRhs, tmddQssJac } from "./tmddqss";
import { effectRhs, effectJac, emax } from "./effect";
import { claretRhs, claretJac, claretDt } from "./claret";
import { USER_STATES, USER_AUTONOMOUS, userRhs, userJac, userDt, userInit, userObserve } from "./user";

/** Zero n doubles; a loop beats memory.fill (an out-of-line engine call) for n <= 36. */
// @ts-ignore: decorator
@inline
function zero(dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), 0.0);
}

/** Number of states of a layout, or 0 if the (kind, ncmt, depot) combination is invalid. */
export function nStates(kind: i32, ncmt: i32, depot: i32): i32 {
  if (depot != 0 && depot != 1) return 0;
  switch (kind) {
    case Kind.Linear:
      return ncmt >= 1 && ncmt <= 3 ? ncmt + depot : 0;
    case Kind.MichaelisMenten:
      return ncmt == 1 ? 1 + depot : 0;
    case Kind.Tmdd:
      return ncmt == 1 ? 3 + depot : 0;
    case Kind.TmddQss:
      return ncmt == 1 ? 2 + depot : 0;
    case Kind.Effect:
      return ncmt >= 1 && ncmt <= 3 ? ncmt + depot + 1 : 0;
    case Kind.Claret:
      // pure tumour model: no PK compartments; ncmt 0 or 1 accepted as "one state"
      return (ncmt == 0 || ncmt == 1) && depot == 0 ? 1 : 0;
    case Kind.User:
      return USER_STATES; // 0 in the shipped engine: no user model compiled in
  }
  return 0;
}

/** Only Claret (and a user model that reads t) depends explicitly on t; the integrators use this to skip df/dt work. */
// @ts-ignore: decorator
@inline
export function isAutonomous(kind: i32): bool {
  return kind != Kind.Claret && (kind != Kind.User || USER_AUTONOMOUS);
}

/** dy = f(t, y; p) + rate. `rate` may be 0 (null) for no zero-order input. */
export function rhs(kind: i32, ncmt: i32, depot: i32, t: f64, y: usize, p: usize, rate: usize, dy: usize): void {
  let n: i32 = 0;
  switch (kind) {
    case Kind.Linear: {
      linearRhs(ncmt, depot, y, p, dy);
      n = ncmt + depot;
      break;
    }
    case Kind.MichaelisMenten: {
      mmRhs(depot, y, p, dy);
      n = 1 + depot;
      break;
    }
    case Kind.Tmdd: {
      tmddRhs(depot, y, p, dy);
      n = 3 + depot;
      break;
    }
    case Kind.TmddQss: {
      tmddQssRhs(depot, y, p, dy);
      n = 2 + depot;
      break;
    }
    case Kind.Effect: {
      effectRhs(ncmt, depot, y, p, dy);
      n = ncmt + depot + 1;
      break;
    }
    case Kind.Claret: {
      claretRhs(t, y, p, dy);
      n = 1;
      break;
    }
    case Kind.User: {
      userRhs(t, y, p, dy);
      n = USER_STATES;
      break;
    }
    default:
      return;
  }
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
  switch (kind) {
    case Kind.Linear:
      linearJac(ncmt, depot, n, p, J);
      break;
    case Kind.MichaelisMenten:
      mmJac(depot, n, y, p, J);
      break;
    case Kind.Tmdd:
      tmddJac(depot, n, y, p, J);
      break;
    case Kind.TmddQss:
      tmddQssJac(depot, n, y, p, J);
      break;
    case Kind.Effect:
      effectJac(ncmt, depot, n, p, J);
      break;
    case Kind.Claret:
      claretJac(t, p, J);
      break;
    case Kind.User:
      userJac(t, y, p, J);
      break;
  }
}

/** ft = df/dt at fixed y (zero for every autonomous kind). */
export function rhsDt(kind: i32, n: i32, t: f64, y: usize, p: usize, ft: usize): void {
  if (kind == Kind.Claret) {
    claretDt(t, y, p, ft);
    return;
  }
  if (kind == Kind.User && !USER_AUTONOMOUS) {
    userDt(t, y, p, ft);
    return;
  }
  zero(ft, n);
}

/** State before any dose: receptor pools at their baseline ksyn/kdeg, tumour at BASE, else 0. */
export function initState(kind: i32, ncmt: i32, depot: i32, p: usize, y: usize): void {
  const n = nStates(kind, ncmt, depot);
  if (n == 0) return;
  zero(y, n);
  if (kind == Kind.Tmdd || kind == Kind.TmddQss) {
    // both TMDD kinds keep KSYN and KDEG in one slot (checked by scripts/gen-abi.mjs)
    const kdeg = load<f64>(p, PTmdd.KDEG << 3);
    // no degradation means no finite baseline; start empty rather than at inf
    const r0 = kdeg != 0 ? load<f64>(p, PTmdd.KSYN << 3) / kdeg : 0.0;
    store<f64>(y + (<usize>(depot + 1) << 3), r0);
  } else if (kind == Kind.Claret) {
    store<f64>(y, load<f64>(p, PClaret.BASE << 3));
  } else if (kind == Kind.User) {
    userInit(p, y);
  }
}

/**
 * Observed quantity, by the ObsMode in P.obsMode:
 *   Amount: y[P.obsIndex] / P.scale
 *   Effect: sigmoid Emax response of the effect-site concentration (Effect only)
 *   Free: free concentration: QSS closed form (TmddQss), A/V (Tmdd, MichaelisMenten),
 *      central/V (Effect)
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
  if (mode == ObsMode.Effect) {
    if (kind != Kind.Effect) return NaN;
    return emax(load<f64>(y + (<usize>(n - 1) << 3)), p);
  }
  if (mode == ObsMode.User) return kind == Kind.User ? userObserve(y, p) : NaN;
  if (mode == ObsMode.Free) {
    const c = <usize>depot << 3;
    // every kind observed in ObsMode.Free keeps V in one slot (checked by scripts/gen-abi.mjs)
    const v = load<f64>(p, PTmdd.V << 3);
    if (kind == Kind.TmddQss) return qssFree(load<f64>(y + c) / v, load<f64>(y + c, 8), load<f64>(p, PTmddQss.KSS << 3));
    if (kind == Kind.Tmdd || kind == Kind.MichaelisMenten || kind == Kind.Effect) return load<f64>(y + c) / v;
  }
  return NaN;
}
