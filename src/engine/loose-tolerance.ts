// A loose relative tolerance on an integrated (ODE) model. Step control bounds each step's local
// error, not the global one, and a non-linear right-hand side can carry an amount across a pole
// inside a step that ends within the bound: a Michaelis–Menten elimination (V 20, VMAX 100, KM 2,
// 1000 mg) at rtol 0.1 read 82.75 mg/L at 24 h for 3e-14, above its starting level under RODAS4 at
// rtol 1e-2, and 2.574 for 1.693 under Dormand–Prince at rtol 1e-2 (exact: Lambert W). Tightening
// the amount's domain check at loose tolerances moved the failures instead of removing them (the
// ethanol-like mm-iv at rtol 0.05 read 138.5 for 1.0198), so the result is said to be unchecked.

import { Method } from '../abi.js';

/** Above this rtol an integrated model's result is warned (mm-iv cases ≤ 1e-3 stayed within 30 tolerances of the exact). */
export const LOOSE_RTOL = 1e-3;

export const LOOSE_TOLERANCE_CODE = 'W_LOOSE_TOLERANCE';

/** W_LOOSE_TOLERANCE (one warning, or none) for a run integrated by an ODE method at rtol above LOOSE_RTOL. */
export function looseToleranceWarnings(method: number, rtol: number): string[] {
  if (method === Method.Analytic || !(rtol > LOOSE_RTOL)) return [];
  return [
    `${LOOSE_TOLERANCE_CODE}: the model is integrated at rtol ${rtol}, above ${LOOSE_RTOL}: a non-linear model's levels can then be far off (a Michaelis–Menten elimination at rtol 1e-2 read 2.574 for 1.693, at 0.1 a level above its start where the exact is 0); use rtol ${LOOSE_RTOL} or tighter for numbers to act on`,
  ];
}
