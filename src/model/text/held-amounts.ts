// Which compartments of a model text are amounts that the step control holds at zero.
//
// The built-in models' states are all amounts, and every integrator rejects a step that carries one
// from above its tolerance to below −(atol + rtol·|y|) and retries it smaller (domainError in
// assembly/ode/control.ts). A model text's compartment may instead be a PD quantity that is negative
// by right (a change from baseline), and the language has no `amount` statement, so the amounts are
// read from what the text does say about a compartment:
//   - compartment 1, where a dose record without CMT goes (NONMEM's default dose compartment);
//   - a compartment given lag(), F() / bioavailability(), rate() or duration(): doses go there.
// Not the compartment `observe` or an output measures: a measured state may fall through zero by
// right (d/dt(B) = −E·A − KE·B, a negative coupling), and holding it asked the step that crosses
// zero to land within atol of it, which at rtol 1e-12 stopped the solver at its step floor.
// Without it a Michaelis–Menten text (V 42, VMAX 6300, KM 10, 60 g IV) at rtol 1e-4 stepped across
// the end of the fall and ran off to −67.9 mg/L at 10 h and −2210 at 24 h (exact 1.0198 and ~0),
// exit 0, where the built-in mm-iv read 1.0200. Holding a quantity that does cross zero costs a few
// rejected steps, not its value: a state at or below its tolerance at a step's start is never held,
// so the step that reaches zero lets it pass.

/** 0-based indices of the held compartments, ascending. */
export function heldAmounts(nStates: number, modifiers: readonly { readonly cmt: number }[]): number[] {
  const held = new Set<number>();
  const add = (cmt: number): void => {
    if (cmt >= 1 && cmt <= nStates) held.add(cmt - 1);
  };
  add(1);
  for (const m of modifiers) add(m.cmt);
  return [...held].sort((a, b) => a - b);
}
