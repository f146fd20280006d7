// The kernel contract (shared by model, regimen and engine). Its numbers are generated from one
// description (scripts/gen-abi.mjs) into abi.generated.ts here and assembly/abi.generated.ts for
// the kernels; ABI_VERSION is checked when the module loads.

import { BASE_PAR_STRIDE, USER_PARAM_SLOTS } from './abi.generated.js';

export * from './abi.generated.js';

/** States of the built-in kinds at most (a compiled user model may have more). */
export const MAX_STATES = 6;
/** Doubles per parameter set of the built-in kinds (a user model with many per-record values has more: userStride). */
export const PAR_STRIDE = BASE_PAR_STRIDE;

/** Slot of a user model's i-th per-record value: p[0..12], then p[16], p[17], ... (p[13..15] are the shared observation fields). */
export function userSlot(i: number): number {
  return i < USER_PARAM_SLOTS ? i : i + (PAR_STRIDE - USER_PARAM_SLOTS);
}

/** Doubles per parameter set for a user model that reads `n` per-record values. */
export function userStride(n: number): number {
  return Math.max(PAR_STRIDE, userSlot(n - 1) + 1);
}
