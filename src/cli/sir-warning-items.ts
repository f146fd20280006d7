// SIR's warning of uneven importance weights as a JSON warning item: --json gave only the raw
// pareto_k (1.10) beside warnings [] while stderr said the PTAs or the bands' tails may be off.

import { sirWarnings } from '../bayes/posterior.js';

export const SIR_WEIGHTS_CODE = 'W_SIR_WEIGHTS';

/** The warnings of sirWarnings() with their code; `what` names what may be off ("the PTAs"). */
export function sirWarningItems(post: Parameters<typeof sirWarnings>[0], what: string): { code: string; message: string }[] {
  return sirWarnings(post, what).map((message) => ({ code: SIR_WEIGHTS_CODE, message }));
}
