// The user-model slot (Kind.User). In the shipped engine it runs a model text's kernel as register
// code (./program.ts), loaded at run time; USER_STATES = 0 says no kernel is compiled in, and a
// Kind.User run without loaded code reports BadModel (0 states). src/engine/kernel-compiler.ts
// compiles the engine again with this file replaced by code generated from a model text
// (src/model/text/codegen.ts), the faster tier of the same model.
// Contract (all pointers to f64): y, dy, ft have userStates() entries; p is one parameter set
// (PAR_STRIDE doubles; the model's per-record values in the USER_PARAM_SLOTS slots before P.obsIndex,
// then from BASE_PAR_STRIDE on, so the observation fields every kind shares stay in place); J is
// row-major n × n and zeroed by the caller.

import { Part, programAutonomous, programHeld, programLinear, programRun, programSmooth, programStates } from "./program";
import { windowTime } from "./window";

/** States compiled in (0: none; the interpreted kernel's count is userStates()). */
export const USER_STATES: i32 = 0;
/** Doubles per parameter set this model needs (16 unless it reads more than 13 per-record values). */
export const USER_PAR_STRIDE: i32 = 16;
/** Whether a linear user model may have more than 4 states (sizes the exact propagation's buffers). */
export const USER_LINEAR: bool = false;
/** Whether userRhsPair is compiled in (a compiled model text); the interpreted kernel has none. */
export const USER_PAIR: bool = false;

// @ts-ignore: decorator
@inline export function userStates(): i32 {
  return programStates();
}
/** Whether f depends on t only through y (Rosenbrock needs df/dt otherwise). */
// @ts-ignore: decorator
@inline export function userAutonomous(): bool {
  return programAutonomous();
}
/**
 * Whether f(t, y) = J·y + c with J and c constant in y and t: method Analytic then propagates the
 * model exactly between events (analytic/linear.ts, J from userJac and c = f(0)).
 */
// @ts-ignore: decorator
@inline export function userLinear(): bool {
  return programLinear();
}

/**
 * Whether f has no switch on the states or t (no comparison, if, floor/ceil/abs/min/max of a varying
 * quantity, src/model/text/kernel.ts: smooth): with userAutonomous() the stiff method is then the one
 * the built-in kinds take (assembly/ode/segment.ts: useRodas5p).
 */
// @ts-ignore: decorator
@inline export function userSmooth(): bool {
  return programSmooth();
}

/**
 * Whether state i is an amount the step control holds at zero (control.ts: domainError): what the
 * text marks as one (src/model/text/kernel.ts: heldStates); a PD quantity may be negative by right.
 */
// @ts-ignore: decorator
@inline export function userHeld(i: i32): bool {
  return programHeld(i);
}

export function userRhs(t: f64, y: usize, p: usize, dy: usize): void {
  programRun(Part.Rhs, windowTime(t), y, p, dy);
}
/** Two subjects' userRhs at once (states and parameter sets interleaved, see models/pair.ts); only where USER_PAIR. */
export function userRhsPair(tA: f64, tB: f64, y: usize, p: usize, dy: usize): void {}
export function userJac(t: f64, y: usize, p: usize, J: usize): void {
  programRun(Part.Jac, windowTime(t), y, p, J);
}
export function userDt(t: f64, y: usize, p: usize, ft: usize): void {
  programRun(Part.Dt, windowTime(t), y, p, ft);
}
export function userInit(p: usize, y: usize): void {
  programRun(Part.Init, 0.0, y, p, y);
}
export function userObserve(y: usize, p: usize): f64 {
  return programRun(Part.Observe, 0.0, y, p, 0);
}
