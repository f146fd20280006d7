// The residual error model as a variance of the observation around the individual prediction f:
// one definition for the MAP likelihood and for simulated observations (DV = f + √Var·ε).
//
// additive Var = a²; proportional Var = (b·w)²; combined Var = a² + (b·w)²; combined1
// Var = (a + b·|w|)², where w = f except w = 1 when f = 0 (NONMEM's usual guard
// `IF (IPRED.EQ.0) W = 1`); exponential Var = σ² on the log scale (log DV = log f + σ·ε).

import type { Residual } from './model.js';

/** Variance of an observation whose individual prediction is f (log scale for exponential error). */
export function residualVariance(residual: Residual, f: number): number {
  const w = f === 0 ? 1 : f;
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
