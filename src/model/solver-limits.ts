// The tolerances a solver can be asked for, wherever they are given (a model's solver line or
// block, an option): rtol ≤ 0 or atol ≤ 0 make the error norm divide by zero where the state is 0,
// an rtol below double precision cannot be met by any step, and one above 0.1 gives numbers with no
// correct digit.

export const SOLVER_LIMITS = { rtolMin: 1e-14, rtolMax: 0.1 } as const;

/** Why `rtol` or `atol` cannot be a tolerance, or undefined. */
export function toleranceProblem(which: 'rtol' | 'atol', v: unknown): string | undefined {
  const { rtolMin, rtolMax } = SOLVER_LIMITS;
  if (which === 'rtol') return typeof v === 'number' && v >= rtolMin && v <= rtolMax ? undefined : `the relative tolerance must be a number from ${rtolMin} to ${rtolMax}`;
  return typeof v === 'number' && v > 0 && Number.isFinite(v) ? undefined : 'the absolute tolerance must be a finite number > 0';
}
