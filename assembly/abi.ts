// The contract between the WASM kernels and the TypeScript host. Its numbers are generated from
// one description (scripts/gen-abi.mjs) into abi.generated.ts here and src/abi.generated.ts there;
// change them in that script and bump ABI_VERSION.

import { USER_STATES, USER_PAR_STRIDE, USER_LINEAR } from "./models/user";
import { BASE_PAR_STRIDE } from "./abi.generated";

export * from "./abi.generated";

/** Most states any model has: 6 for the built-ins (3-cmt + depot + effect cmt), more for a user model that needs it. */
export const MAX_STATES: i32 = USER_STATES > 6 ? USER_STATES : 6;
/** Doubles per parameter set passed to the kernels: BASE_PAR_STRIDE, or more for a user model with many per-record values. */
export const PAR_STRIDE: i32 = USER_PAR_STRIDE > BASE_PAR_STRIDE ? USER_PAR_STRIDE : BASE_PAR_STRIDE;
/** Most states the exact linear propagation handles: the mammillary built-ins (3-cmt + depot), or a linear user model's. */
export const LIN_MAX: i32 = USER_LINEAR && USER_STATES > 4 ? USER_STATES : 4;
