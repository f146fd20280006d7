// The PTA below which the best regimen searched is no advice (W_LOW_PTA), shared by the advice
// (optimize --from) and the steady-state ranking (optimize without --from), in a file of its own
// since advice.ts imports optimize.ts.

/**
 * Below this PTA the best regimen is no advice (W_LOW_PTA): 260 mg q36h was printed as the "next
 * dose" at a PTA of 1.1 %, its MAP trough three times the ceiling, without a word. It is not 50 %:
 * a window narrower than the patient's variability caps the PTA of any regimen (AUC 400–600 with
 * Goti's ω_CL² 0.147 allows at most 2Φ(ln 1.5/(2·0.383)) − 1 = 40.3 % a priori), and a best
 * regimen centred on the window is the advice there, not a poor option.
 */
export const LOW_PTA_FLOOR = 0.1;
