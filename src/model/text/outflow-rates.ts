// A term written as an outflow of a compartment, d/dt(DEPOT) = -KA * DEPOT, says that KA is a rate:
// the text's author wrote the sign. A negative KA (a --param, a data column, a theta) turns the
// outflow into exponential growth and every amount downstream into a wrong number, so those
// per-record values must be ≥ 0. Only terms that are products of per-record values and the
// compartment's own amount count (−(k10 + k12)·CENTRAL too, each summand being a rate); a term that
// also reads another compartment (−SLOPE·C·R, a drug effect that may stimulate) is not checked.

import type { Ast } from '../expression.js';

/** Per-record values (kernel inputs) that some compartment's written outflow needs ≥ 0, with the compartment. */
export function outflowRates(ddt: readonly Ast[], states: readonly string[], inputs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const inputSet = new Set(inputs);
  states.forEach((state, i) => {
    const d = ddt[i];
    if (d) for (const t of terms(d, false)) for (const rate of rateFactors(t, state, inputSet) ?? []) if (!out.has(rate)) out.set(rate, state);
  });
  return out;
}

/** The additive terms of `a`, each with whether it is subtracted (`negated`: a itself is). */
function terms(a: Ast, negated: boolean): { term: Ast; negated: boolean }[] {
  if (a.k === 'bin' && (a.op === '+' || a.op === '-')) return [...terms(a.a, negated), ...terms(a.b, a.op === '-' ? !negated : negated)];
  if (a.k === 'un' && a.op === '-') return terms(a.a, !negated);
  return [{ term: a, negated }];
}

/**
 * The inputs of a subtracted term c·∏x·STATE (x a per-record value, or a sum of them as a whole
 * factor (k10 + k12)), or undefined when the term is not such a product with STATE once in its
 * numerator, or is not subtracted (its minus signs, -CL / V * C included, counted).
 */
function rateFactors({ term, negated }: { term: Ast; negated: boolean }, state: string, inputs: ReadonlySet<string>): string[] | undefined {
  const num: Ast[] = [];
  const den: Ast[] = [];
  let minus = negated;
  const split = (a: Ast, top: boolean): void => {
    if (a.k === 'bin' && a.op === '*') {
      split(a.a, top);
      split(a.b, top);
    } else if (a.k === 'bin' && a.op === '/') {
      split(a.a, top);
      split(a.b, !top);
    } else if (a.k === 'un' && a.op === '-') {
      minus = !minus;
      split(a.a, top);
    } else (top ? num : den).push(a);
  };
  split(term, true);
  if (!minus || num.filter((a) => a.k === 'var' && a.name === state).length !== 1) return undefined;
  const rates: string[] = [];
  for (const a of [...num.filter((x) => !(x.k === 'var' && x.name === state)), ...den]) {
    if (a.k === 'num' && a.v > 0) continue;
    if (a.k === 'var' && inputs.has(a.name)) rates.push(a.name);
    else {
      const summands = sumOfInputs(a, inputs);
      if (!summands) return undefined;
      rates.push(...summands);
    }
  }
  return rates;
}

/** x1 + x2 + … of per-record values, or undefined. */
function sumOfInputs(a: Ast, inputs: ReadonlySet<string>): string[] | undefined {
  if (a.k === 'var') return inputs.has(a.name) ? [a.name] : undefined;
  if (a.k === 'bin' && a.op === '+') {
    const x = sumOfInputs(a.a, inputs);
    const y = sumOfInputs(a.b, inputs);
    return x && y ? [...x, ...y] : undefined;
  }
  return undefined;
}
