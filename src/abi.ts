// The kernel contract, mirror of assembly/abi.ts (shared by model, regimen and engine). Keep the numbers identical; ABI_VERSION is checked when the module loads.

export const ABI_VERSION = 2;

export const Status = {
  Ok: 0,
  StepTooSmall: 1,
  MaxSteps: 2,
  NonFinite: 3,
  SteadyStateNotReached: 4,
  SingularSteadyState: 5,
  BadModel: 6,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'step size fell below its floor (try the rosenbrock solver, or check the parameters)',
  2: 'step budget exhausted within one segment',
  3: 'a state became NaN or infinite (check the parameters)',
  4: 'dose iteration did not reach a periodic steady state',
  5: 'no steady state exists (the model has no elimination)',
  6: 'unknown model kind or compartment layout',
};

export const Kind = {
  Linear: 1,
  MichaelisMenten: 2,
  Tmdd: 3,
  TmddQss: 4,
  Effect: 5,
  Claret: 6,
  User: 7,
} as const;

export const Ev = {
  Obs: 0,
  Bolus: 1,
  Rate: 2,
  Reset: 3,
  SteadyState: 4,
  Params: 5,
} as const;

export const Method = {
  Analytic: 0,
  Dopri5: 1,
  Rosenbrock: 2,
} as const;

/** States of the built-in kinds at most (a compiled user model may have more). */
export const MAX_STATES = 6;
/** Kernel parameter slots below the observation fields (p[0..12]); a user model's further values follow p[15]. */
export const USER_PARAM_SLOTS = 13;

/** Slot of a user model's i-th per-record value: p[0..12], then p[16], p[17], ... */
export function userSlot(i: number): number {
  return i < USER_PARAM_SLOTS ? i : i + 3;
}

/** Doubles per parameter set for a user model that reads `n` per-record values. */
export function userStride(n: number): number {
  return Math.max(PAR_STRIDE, userSlot(n - 1) + 1);
}
/** Observation mode of a user model: its own expression (assembly/models/rhs.ts observe()). */
export const OBS_MODE_USER = 3;
export const PAR_STRIDE = 16;

/** Parameter-set slots shared by all kinds (see assembly/abi.ts and assembly/models). */
export const P = {
  k10: 0,
  k12: 1,
  k21: 2,
  k13: 3,
  k31: 4,
  ka: 5,
  x6: 6,
  x7: 7,
  x8: 8,
  x9: 9,
  x10: 10,
  x11: 11,
  obsIndex: 13,
  obsMode: 14,
  scale: 15,
} as const;
