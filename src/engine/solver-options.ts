// The solver settings a caller may pass (method, rtol, atol), checked in one place for the API and
// the command line. An impossible tolerance is refused rather than run: rtol ≤ 0 or atol ≤ 0 make
// the error norm divide by zero where the state is 0 (before the first dose), an rtol below double
// precision cannot be met by any step, and one above 0.1 gives numbers with no correct digit.

import { Errors } from '../errors.js';
import type { SolverMethod } from '../model/model.js';

export const SOLVER_METHODS: readonly SolverMethod[] = ['auto', 'analytic', 'dopri5', 'rosenbrock', 'dop853'];

export const SOLVER_LIMITS = { rtolMin: 1e-14, rtolMax: 0.1 } as const;

/** Throws an E_PARAMETER error naming the field (method, rtol or atol) of an impossible setting. */
export function checkSolverOptions(o: { readonly method?: unknown; readonly rtol?: unknown; readonly atol?: unknown }): void {
  if (o.method !== undefined && !(SOLVER_METHODS as readonly unknown[]).includes(o.method)) throw Errors.parameter('method', o.method, `must be one of ${SOLVER_METHODS.join(', ')}`);
  const { rtolMin, rtolMax } = SOLVER_LIMITS;
  if (o.rtol !== undefined && !(typeof o.rtol === 'number' && o.rtol >= rtolMin && o.rtol <= rtolMax)) throw Errors.parameter('rtol', o.rtol, `the relative tolerance must be a number from ${rtolMin} to ${rtolMax}`);
  if (o.atol !== undefined && !(typeof o.atol === 'number' && o.atol > 0 && Number.isFinite(o.atol))) throw Errors.parameter('atol', o.atol, 'the absolute tolerance must be a finite number > 0');
}
