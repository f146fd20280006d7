// The solver settings a caller may pass (method, rtol, atol), checked in one place for the API and
// the command line; the tolerances by the rule a model's own solver settings follow too
// (src/model/solver-limits.ts).

import { Errors } from '../errors.js';
import type { SolverMethod } from '../model/model.js';
import { SOLVER_LIMITS, toleranceProblem } from '../model/solver-limits.js';

export const SOLVER_METHODS: readonly SolverMethod[] = ['auto', 'analytic', 'dopri5', 'rosenbrock', 'dop853', 'taylor'];

export { SOLVER_LIMITS };

/** Throws an E_OPTION error naming the field (method, rtol or atol) of an impossible setting. */
export function checkSolverOptions(o: { readonly method?: unknown; readonly rtol?: unknown; readonly atol?: unknown }): void {
  if (o.method !== undefined && !(SOLVER_METHODS as readonly unknown[]).includes(o.method)) throw Errors.optionValue('method', o.method, `must be one of ${SOLVER_METHODS.join(', ')}`);
  for (const which of ['rtol', 'atol'] as const) {
    const why = o[which] === undefined ? undefined : toleranceProblem(which, o[which]);
    if (why !== undefined) throw Errors.optionValue(which, o[which], why);
  }
}
