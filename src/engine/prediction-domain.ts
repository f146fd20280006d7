// Why a prediction is not finite where every state solved: the refusals of simulate() and
// forecast() say the likely cause and the fix.

import type { Model } from '../model/model.js';
import { identifiers } from '../model/expression.js';
import type { StateTerm } from '../model/text/analyse.js';

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
 * said, of the states the base reads through the text's intermediates only (with D = DEPOT / V,
 * R −0.6516 by d/dt(R) = −0.1 was blamed for D^G where DEPOT was at the solver's noise). The
 * arithmetic stays as written (max(CE, 0) is the model's decision, as the built-in effect
 * model's Ce ≤ 0 → E0 is).
 */
export function outsideDomain(model: Model, v: number, at?: StatesAt): string {
  const all = Number.isNaN(v) ? (model.kernel?.observePowers ?? []) : [];
  // a base that is a negative number is the cause whatever the compartments are
  const negative = all.filter((p) => p.negativeBase !== undefined);
  if (negative.length > 0)
    return `likely the observation's ${negative.map((p) => `${grouped(p.base)}^${p.exponent}`).join(' or ')}: its base ${negative.map((p) => p.negativeBase).join(', ')} is below 0 and its exponent ${negative.map((p) => p.exponent).join(', ')} not a whole number there, and a negative number to such a power is not a number`;
  const powers = all;
  if (powers.length === 0) return observeTermsCause(model, v, at) ?? `its observation${where(model)} outside its domain, e.g. a division by an empty compartment, or the square root or logarithm of a negative value or of 0`;
  // the base as written in a power: (A - 3)^1.5 read "A - 3^1.5", which is A − 5.196
  const named = powers.map((p) => `${grouped(p.base)}^${p.exponent}`).join(' or ');
  const fix = powers.map((p) => `max(${p.base}, 0)^${p.exponent}`).join(' and ');
  if (!at) return `likely the observation's ${named}: a quantity below 0 raised to a fractional power is not a number; if it is a hair below 0 from the solver's rounding (e.g. a compartment at −1e-13), write ${fix}, but if the model's own equations take it below 0, that would hide it`;
  const g = (x: number): number => +x.toPrecision(6);
  const value = (j: number): number => at.values[j] as number;
  const reads = powers.map((p) => statesOfBase(model, p.base));
  if (reads.some((r) => r === undefined)) {
    // a state below 0 that the base may not read is no cause: the first one was blamed (R −0.6516 by
    // d/dt(R) = −0.1 beside D^G, D = DEPOT / V at the solver's noise), so none is named as one
    const states = model.stateNames.map((n, j) => `${n} ${g(value(j))}`).join(', ');
    return `likely the observation's ${named}: ${powers.map((p) => p.base).join(' or ')} is below 0 there, and a negative number to a fractional power is not a number; the compartments it reads are not known here (at the record: ${states}): if it is a hair below 0 from the solver's rounding, write ${fix}, but if the model's own equations take it below 0, that would hide it`;
  }
  const read = [...new Set(reads.flatMap((r) => r as number[]))];
  const real = read.find((j) => value(j) < -(at.noise[j] as number));
  if (real !== undefined)
    return `likely the observation's ${named}: compartment ${model.stateNames[real]} is ${g(value(real))} there, below 0 by the model's own equations (far beyond the solver's noise, ${g(-(at.noise[real] as number))}), and a negative number to a fractional power is not a number; ${fix} would hide that as 0: check what drives ${model.stateNames[real]} below 0`;
  const hair = powers.flatMap((p, i) =>
    (reads[i] as number[])
      .filter((j) => value(j) < 0)
      .map((j) => `${p.base === model.stateNames[j] ? `${p.base} is` : `${p.base} reads ${model.stateNames[j]},`} ${g(value(j))} there, within the solver's noise (${g(-(at.noise[j] as number))})`),
  );
  if (hair.length > 0) return `likely the observation's ${named}: a quantity a hair below 0 from the solver's rounding (${hair.join('; ')}) raised to a fractional power is not a number: write ${fix}`;
  return `likely the observation's ${named}: its base is below 0 there while no compartment it reads is, by the model's own expression, and a negative number to a fractional power is not a number; ${fix} would hide that as 0`;
}

/** The observation's place, as ` (m.model:4:11)`, for a model text. */
function where(model: Model): string {
  const at = model.kernel?.stateTerms?.observeWhere;
  return at ? ` (${at})` : '';
}

/** Why each kind of term is not finite, as said of the observation's and the right-hand side's terms. */
const TERM_WHY: Readonly<Record<StateTerm['kind'], string>> = {
  exp: 'exp overflows for an argument above 709.78 (the largest number is 1.8e308)',
  power: 'a power of a large quantity overflows past the largest number, 1.8e308',
  log: 'the logarithm of a value below 0 is not a number, and of 0 is -infinite',
  sqrt: 'the square root of a value below 0 is not a number',
  divisor: 'a division by 0 is infinite (0 / 0 not a number)',
};

/**
 * The observation's terms that can give `v` (an overflow for ±∞: exp, a power, a divisor, a log of
 * 0; a log, square root or divisor for NaN), each with its place, and the compartments at the
 * record: observe = exp(A * 10) at A = 100 was told "e.g. a division by an empty compartment, or
 * the square root or logarithm of a negative value", naming neither the term nor its line.
 * Undefined where the text has none of them (or the model is no text).
 */
function observeTermsCause(model: Model, v: number, at?: StatesAt): string | undefined {
  const terms = model.kernel?.stateTerms?.observe ?? [];
  const kinds: readonly StateTerm['kind'][] = Number.isNaN(v) ? ['log', 'sqrt', 'divisor'] : v < 0 ? ['exp', 'power', 'divisor', 'log'] : ['exp', 'power', 'divisor'];
  const found = terms.filter((x) => kinds.includes(x.kind));
  if (found.length === 0) return undefined;
  const named = found.map((x) => `${x.shown} (${x.where})`).join(' or ');
  const whys = [...new Set(found.map((x) => TERM_WHY[x.kind]))].join('; ');
  const states = at ? `; at the record: ${model.stateNames.map((n, j) => `${n} ${+(at.values[j] as number).toPrecision(6)}`).join(', ')}` : '';
  return `likely the observation's ${named}: ${whys}${states}`;
}

/**
 * A state that became not a number or infinite where the right-hand side grows with a compartment
 * (exp(A), A^GAM): d/dt(A) = −K·A + exp(A) from 100 mg blows A up, and the refusal said only
 * "check the parameters", naming neither the term nor its line. Undefined where it has none.
 */
function stateOverflow(model: Model): string | undefined {
  const found = model.kernel?.stateTerms?.rhs ?? [];
  if (found.length === 0) return undefined;
  const named = found.map((x) => `${x.shown} (${x.where}, ${x.equation})`).join(' or ');
  const whys = [...new Set(found.map((x) => TERM_WHY[x.kind]))].join('; ');
  return `likely the right-hand side's ${named}: it grows with a compartment, and ${whys}: the states may grow without bound (in finite time) from these doses and values; check the doses and the θ that feed it`;
}

/**
 * The states a power's base (as text) reads, directly or through the text's equation-level
 * intermediates (D = DEPOT / V: DEPOT); undefined where those are not known or name no state.
 */
function statesOfBase(model: Model, base: string): number[] | undefined {
  const locals = model.structure.user?.observeExpr?.locals;
  if (!locals) return undefined;
  const byName = new Map(locals.map((l) => [l.name, l.expr] as const));
  const out = new Set<number>();
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const j = model.stateNames.indexOf(name);
    if (j >= 0) out.add(j);
    const expr = byName.get(name);
    if (expr) for (const n of identifiers(expr)) visit(n);
  };
  for (const n of base.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) visit(n);
  return out.size > 0 ? [...out].sort((a, b) => a - b) : undefined;
}

/**
 * The likely cause of a state that became not a number, for a message (without brackets), where the
 * right-hand side takes a fractional power, square root or logarithm of a quantity reading a
 * compartment (TextModel.rhsDomain): d/dt(A) = −K·A^0.5 steps A through 0 as it empties. Undefined
 * where it has none (the engine's own "check the parameters" stands). In the words of the
 * observation's refusal (outsideDomain).
 */
export function stateOutsideDomain(model: Model): string | undefined {
  const found = model.kernel?.rhsDomain ?? [];
  if (found.length === 0) return stateOverflow(model);
  const named = found.map((p) => p.shown).join(' or ');
  const fixes = found.flatMap((p) => (p.fix ? [p.fix] : []));
  const fix = fixes.length ? `if it is a hair below 0 from the solver's rounding (a compartment stepped through 0 as it empties), write ${fixes.join(' and ')}, but if the model's own equations take it below 0, that would hide it` : "keep the logarithm's argument above 0";
  return `likely the right-hand side's ${named}: a quantity below 0 raised to a fractional power is not a number, nor is the square root or logarithm of a negative value (the logarithm of 0 is infinite); ${fix}`;
}

/** `s` in brackets unless it is one name, number or call already: a power's base as written. */
function grouped(s: string): string {
  const call = /^[A-Za-z_][\w.]*\(/.exec(s);
  if (call === null) return /^[\w.]+$/.test(s) ? s : `(${s})`;
  // a call only where its opening bracket closes at the end (f(a) + g(b) is a sum)
  let depth = 0;
  for (let i = call[0].length - 1; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      depth -= 1;
      if (depth === 0) return i === s.length - 1 ? s : `(${s})`;
    }
  }
  return `(${s})`;
}
