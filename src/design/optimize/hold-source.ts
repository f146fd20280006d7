// Where advice's hold level comes from (AdviceResult.holdBasis), in the words the CLI and the page
// print after the level. A module of its own: the page imports it without the optimizer.

import type { AdviceResult } from './advice.js';

export const HOLD_SOURCE: Readonly<Record<NonNullable<AdviceResult['holdBasis']>, string>> = {
  given: ' (the hold level asked for)',
  trough: ' (the trough ceiling)',
  exposure: ' (the steady-state average level at the exposure ceiling)',
};
