// The contract between the WASM kernels and src/abi.ts (which mirrors every number here).
// Change both files together and bump ABI_VERSION.

import { USER_STATES, USER_PAR_STRIDE } from "./models/user";

export const ABI_VERSION: i32 = 2;

/** Kernel outcome. Kernels never throw (an AssemblyScript throw traps); they return one of these. */
export const enum Status {
  Ok = 0,
  StepTooSmall = 1, // adaptive step fell below the floor: the problem is too stiff or singular for the method
  MaxSteps = 2, // step budget exhausted in one segment
  NonFinite = 3, // a state became NaN or infinite
  SteadyStateNotReached = 4, // dose iteration did not converge to a periodic solution
  SingularSteadyState = 5, // (I - Phi(tau)) is singular: the model has no elimination
  BadModel = 6, // unknown model kind or compartment layout
}

/** Model kinds (structure of the right-hand side). */
export const enum Kind {
  Linear = 1, // 1-3 compartment mammillary, optional depot; analytic or ODE
  MichaelisMenten = 2, // 1 compartment, optional depot, Vmax/Km elimination plus optional linear k10
  Tmdd = 3, // full target-mediated disposition (Mager & Jusko 2001)
  TmddQss = 4, // quasi-steady-state TMDD (Gibiansky et al. 2008)
  Effect = 5, // linear PK + effect compartment, sigmoid Emax response
  Claret = 6, // Claret tumour growth inhibition (Claret et al. 2009)
  User = 7, // compiled from a model text (assembly/models/user.ts is replaced at compile time)
}

/** Event types of the flat event table walked by the driver. */
export const enum Ev {
  Obs = 0, // write an output row (state after every earlier event at this time)
  Bolus = 1, // add amt to cmt
  Rate = 2, // add rate (may be negative) to cmt's zero-order input
  Reset = 3, // state to its initial value, all inputs off
  SteadyState = 4, // replace (ss=1) or add to (ss=2) the state by the periodic solution
  Params = 5, // no state change; marks a parameter-set boundary (NOCB/LOCF) for the ODE segmenter
}

/** Solver choice. */
export const enum Method {
  Analytic = 0,
  Dopri5 = 1,
  Rosenbrock = 2,
}

/** Most states any model has: 6 for the built-ins (3-cmt + depot + effect cmt), more for a user model that needs it. */
export const MAX_STATES: i32 = USER_STATES > 6 ? USER_STATES : 6;
/** Doubles per parameter set passed to the kernels (layout per kind in src/abi.ts): 16, or more for a user model with many per-record values. */
export const PAR_STRIDE: i32 = USER_PAR_STRIDE > 16 ? USER_PAR_STRIDE : 16;
