// Why a prediction is not finite where every state solved: the refusals of simulate() and
// forecast() say the likely cause and the fix.

import type { Model } from '../model/model.js';

/**
 * The cause of a prediction `v` that is not finite, for a message (without brackets). A NaN from a
 * text whose observation raises a compartment-reading quantity to a fractional power is most
 * likely the solver's rounding: a sigmoid Emax's effect compartment came back at −1.8e-13 (well
 * inside atol; the true amount is > 0), and the message spoke of square roots and logarithms. The
 * arithmetic stays as written (max(CE, 0) is the model's decision, as the built-in effect model's
 * Ce ≤ 0 → E0 is), so the message names the power and the fix.
 */
export function outsideDomain(model: Model, v: number): string {
  const powers = Number.isNaN(v) ? (model.kernel?.observePowers ?? []) : [];
  if (powers.length === 0) return 'its observation outside its domain, e.g. a division by an empty compartment, or the square root or logarithm of a negative value or of 0';
  const named = powers.map((p) => `${p.base}^${p.exponent}`).join(' or ');
  const fix = powers.map((p) => `max(${p.base}, 0)^${p.exponent}`).join(' and ');
  return `likely the observation's ${named}: a quantity a hair below 0 from the solver's rounding (e.g. a compartment at −1e-13) raised to a fractional power is not a number: write ${fix}`;
}
