// The user-model slot (Kind.User). In the shipped engine it is empty: USER_STATES = 0, so the
// dispatch reports BadModel for Kind.User. src/engine/kernel-compiler.ts compiles the engine again
// with this file replaced by code generated from a model text (src/model/text/codegen.ts), so a
// user model runs through the same solvers, event walker and metrics as the built-in kinds.
// Contract (all pointers to f64): y, dy, ft have USER_STATES entries; p is one parameter set
// (PAR_STRIDE doubles; the model's per-record values in the USER_PARAM_SLOTS slots before P.obsIndex,
// then from BASE_PAR_STRIDE on, so the observation fields every kind shares stay in place); J is
// row-major n × n and zeroed by the caller.

export const USER_STATES: i32 = 0;
/** Doubles per parameter set this model needs (16 unless it reads more than 13 per-record values). */
export const USER_PAR_STRIDE: i32 = 16;
/** Whether f depends on t explicitly (Rosenbrock then needs df/dt). */
export const USER_AUTONOMOUS: bool = true;
/**
 * Whether f(t, y) = J·y + c with J and c constant in y and t: method Analytic then propagates the
 * model exactly between events (analytic/linear.ts, J from userJac and c = f(0)).
 */
export const USER_LINEAR: bool = false;

export function userRhs(t: f64, y: usize, p: usize, dy: usize): void {}
export function userJac(t: f64, y: usize, p: usize, J: usize): void {}
export function userDt(t: f64, y: usize, p: usize, ft: usize): void {}
export function userInit(p: usize, y: usize): void {}
export function userObserve(y: usize, p: usize): f64 {
  return NaN;
}
