// The residual error model as a variance of the observation around the individual prediction f.
//
// additive Var = a²; proportional Var = (b·f)²; combined Var = a² + (b·f)²; combined1
// Var = (a + b·|f|)²; exponential Var = σ² on the log scale (log DV = log f + σ·ε).
//
// Two readings of it, which differ only at f = 0:
// - simulatedVariance is the model's variance as written: simulated observations are
//   DV = f + √Var·ε, so a proportional error puts no noise on a prediction of 0 (a pre-dose level is
//   0, not ±b) and a combined one only a.
// - residualVariance is the MAP likelihood's: it keeps NONMEM's usual guard `IF (IPRED.EQ.0) W = 1`
//   (f read as 1 when f = 0). The likelihood divides by Var and takes ln Var: a proportional Var of 0
//   would make the objective infinite at any η that predicts 0 for a level. The guard also raises
//   a combined Var at f = 0 from a² to a² + b² (NONMEM's other usual guard, `IF (W.EQ.0) W = 1`,
//   would not); the scipy oracles of test/oracle are written with this one.

import type { Residual } from './model.js';

function variance(residual: Residual, w: number): number {
  switch (residual.model) {
    case 'additive':
      return residual.additive * residual.additive;
    case 'proportional':
      return (residual.proportional * w) ** 2;
    case 'combined':
      return residual.additive * residual.additive + (residual.proportional * w) ** 2;
    case 'combined1':
      return (residual.additive + residual.proportional * Math.abs(w)) ** 2;
    case 'exponential':
      return residual.exponential * residual.exponential;
  }
}

/** Variance of an observation whose individual prediction is f, as the MAP likelihood reads it (log scale for exponential error; f = 0 read as 1). */
export function residualVariance(residual: Residual, f: number): number {
  return variance(residual, f === 0 ? 1 : f);
}

/** Variance of a simulated observation whose individual prediction is f: the model's, with no guard (log scale for exponential error). */
export function simulatedVariance(residual: Residual, f: number): number {
  return variance(residual, f);
}
