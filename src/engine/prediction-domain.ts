// Why a prediction is not finite where every state solved: the refusals of simulate() and
// forecast() say the likely cause and the fix.

import type { Model } from '../model/model.js';

/** The states at the record, and per state the amount below which it is more than the solver's noise (negative-amounts.ts). */
export interface StatesAt {
  readonly values: ArrayLike<number>;
  readonly noise: ArrayLike<number>;
}

/**
 * The cause of a prediction `v` that is not finite, for a message (without brackets). A NaN from a
 * text whose observation raises a compartment-reading quantity to a fractional power is often the
 * solver's rounding: a sigmoid Emax's effect compartment came back at −1.8e-13 (well inside atol;
 * the true amount is > 0), and the message spoke of square roots and logarithms. But a compartment
 * may be negative by the model's own equations (d/dt(E) = −0.5 − 0.1·E: E −0.4758 at 1 h), where
 * the advice to write max(E, 0) hid it as 0; so the states at the record (`at`) decide which is
 * said. The arithmetic stays as written (max(CE, 0) is the model's decision, as the built-in effect
 * model's Ce ≤ 0 → E0 is).
 */
export function outsideDomain(model: Model, v: number, at?: StatesAt): string {
  const powers = Number.isNaN(v) ? (model.kernel?.observePowers ?? []) : [];
  if (powers.length === 0) return 'its observation outside its domain, e.g. a division by an empty compartment, or the square root or logarithm of a negative value or of 0';
  const named = powers.map((p) => `${p.base}^${p.exponent}`).join(' or ');
  const fix = powers.map((p) => `max(${p.base}, 0)^${p.exponent}`).join(' and ');
  const hair = `likely the observation's ${named}: a quantity a hair below 0 from the solver's rounding (e.g. a compartment at −1e-13) raised to a fractional power is not a number: write ${fix}`;
  if (!at) return `likely the observation's ${named}: a quantity below 0 raised to a fractional power is not a number; if it is a hair below 0 from the solver's rounding (e.g. a compartment at −1e-13), write ${fix}, but if the model's own equations take it below 0, that would hide it`;
  // the compartments a base names; a base through an intermediate (C = CENT / V) names none, so all are looked at
  const names = new Set(powers.flatMap((p) => p.base.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []));
  let read = model.stateNames.map((_, j) => j).filter((j) => names.has(model.stateNames[j] as string));
  if (read.length === 0) read = model.stateNames.map((_, j) => j);
  const value = (j: number): number => at.values[j] as number;
  const real = read.find((j) => value(j) < -(at.noise[j] as number));
  if (real !== undefined) {
    const g = (x: number): number => +x.toPrecision(6);
    return `likely the observation's ${named}: compartment ${model.stateNames[real]} is ${g(value(real))} there, below 0 by the model's own equations (far beyond the solver's noise, ${g(-(at.noise[real] as number))}), and a negative number to a fractional power is not a number; ${fix} would hide that as 0: check what drives ${model.stateNames[real]} below 0`;
  }
  if (read.some((j) => value(j) < 0)) return hair;
  return `likely the observation's ${named}: its base is below 0 there while no compartment it reads is, by the model's own expression, and a negative number to a fractional power is not a number; ${fix} would hide that as 0`;
}
