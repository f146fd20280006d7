// NONMEM's tables print 5 significant digits, so a reference value v stands for the interval
// v ± half a unit of its 5th digit. A correct prediction lies inside it, give or take the engine's
// own error (1e-7 relative covers the ODE solvers at their default tolerances). Measured over every
// record of the nmtests cases: at most 0.500 units of the 5th digit, i.e. exactly the rounding.

/** Whether `got` agrees with NONMEM's printed value `want` to the precision it was printed with. */
export function withinPrinted(got: number, want: number): boolean {
  if (want === 0) return Math.abs(got) <= 1e-9;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(want))) - 4);
  return Math.abs(got - want) <= 0.5 * unit + 1e-7 * Math.abs(want);
}
