// Why a model text's solve failed where a right-hand side term is not finite by the record's values
// or the time alone, not by the states: -K * A / t at a dose at t = 0 ends at the step floor, A / K
// with θ K = 0 as a state NaN or infinite. Both were refused as "check the parameters" without the
// term. On the error path only: the terms whose operand reads only t and record-level values
// (TextModel.rhsTerms) are evaluated where the solver stood, then over the segment it could not
// cross, and the first one out of its domain is named with its place and the values that put it there.

import type { Ast } from '../model/expression.js';
import { identifiers } from '../model/expression.js';
import type { Model } from '../model/model.js';
import type { RhsTerm } from '../model/text/analyse.js';
import { constantValue } from '../model/text/derive.js';

/** Samples of the segment searched for a divisor's zero (a sign change or an exact 0). */
const SAMPLES = 256;

const shortNumber = (x: number): string => String(+x.toPrecision(6));

/** The operand's value at time t with the record's values, its intermediates read through; undefined where it reads a name not known here. */
function valueAt(term: RhsTerm, a: Ast, values: Readonly<Record<string, number>>, t: number): number | undefined {
  const locals = new Map(term.locals.map((l) => [l.name, l.expr] as const));
  let known = true;
  const bind = (x: Ast, depth: number): Ast => {
    switch (x.k) {
      case 'num':
        return x;
      case 'var': {
        if (x.name === 't') return { k: 'num', v: t };
        const local = depth < 50 ? locals.get(x.name) : undefined;
        if (local) return bind(local, depth + 1);
        const v = values[x.name];
        if (v === undefined) known = false;
        return { k: 'num', v: v ?? Number.NaN };
      }
      case 'un':
        return { ...x, a: bind(x.a, depth) };
      case 'bin':
        return { ...x, a: bind(x.a, depth), b: bind(x.b, depth) };
      case 'if':
        return { ...x, c: bind(x.c, depth), a: bind(x.a, depth), b: bind(x.b, depth) };
      case 'call':
        return { ...x, args: x.args.map((y) => bind(y, depth)) };
    }
  };
  const v = constantValue(bind(a, 0));
  return known ? v : undefined;
}

/** The names an operand reads, its intermediates read through (t, θ, parameters, covariates). */
function namesRead(term: RhsTerm, a: Ast): string[] {
  const locals = new Map(term.locals.map((l) => [l.name, l.expr] as const));
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (x: Ast): void => {
    for (const n of identifiers(x)) {
      const local = locals.get(n);
      if (local && !seen.has(n)) {
        seen.add(n);
        visit(local);
      } else if (!local) out.add(n);
    }
  };
  visit(a);
  return [...out].sort();
}

/** What is wrong with the term at these values (without the values), or undefined where it is finite. */
function fault(term: RhsTerm, x: number, e: number | undefined): string | undefined {
  const op = shownOperand(term);
  if (x !== x) return `its ${role(term)} ${op} is not a number`;
  switch (term.kind) {
    case 'divisor':
      return x === 0 ? `its divisor ${op} is 0` : Number.isFinite(x) ? undefined : `its divisor ${op} is ${x}`;
    case 'log':
      return x <= 0 || !Number.isFinite(x) ? `its argument ${op} is ${x} (the logarithm of 0 is infinite, of a negative number not a number)` : undefined;
    case 'sqrt':
      return x < 0 || !Number.isFinite(x) ? `its argument ${op} is ${shortNumber(x)} (the square root of a negative number is not a number)` : undefined;
    case 'power':
      if (e === undefined || e !== e) return undefined;
      if (x === 0 && e < 0) return `its base ${op} is 0 and its exponent ${shortNumber(e)} below 0`;
      if (x < 0 && !Number.isInteger(e)) return `its base ${op} is ${shortNumber(x)} and its exponent ${shortNumber(e)} not a whole number`;
      return Number.isFinite(x ** e) ? undefined : `${op}^${shortNumber(e)} is ${x ** e}`;
  }
}

const role = (term: RhsTerm): string => (term.kind === 'divisor' ? 'divisor' : term.kind === 'power' ? 'base' : 'argument');

const shownOperand = (term: RhsTerm): string => term.operandShown;

/**
 * The likely cause of a failed solve over [t0, t1] (the solver stood at t0), for a message without
 * brackets, where a right-hand side term reading only t and record-level values leaves its domain:
 * at t0, else at the first point of the segment it does (a divisor's zero, found by its sign change).
 * `values` are the record's named values (Model.evaluate). Undefined where no term does.
 */
export function rhsTermCause(model: Model, values: Readonly<Record<string, number>>, t0: number, t1: number): string | undefined {
  const terms = model.kernel?.rhsTerms ?? [];
  const theta = new Set(Object.keys(model.theta));
  const at = (term: RhsTerm, t: number): string | undefined => {
    const x = valueAt(term, term.operand, values, t);
    if (x === undefined) return undefined;
    const e = term.exponent && valueAt(term, term.exponent, values, t);
    return fault(term, x, e);
  };
  const said = (term: RhsTerm, what: string, t: number): string => {
    const names = namesRead(term, term.operand);
    const time = names.includes('t') ? ` at t = ${shortNumber(t)}` : '';
    const others = names.filter((n) => n !== 't').map((n) => `${theta.has(n) ? 'θ ' : ''}${n} = ${shortNumber(values[n] as number)}`);
    return `likely the right-hand side's ${term.shown} (${term.where}, ${term.equation}): ${what}${time}${others.length ? ` (${others.join(', ')})` : ''}, so the right-hand side is infinite or not a number there`;
  };
  for (const term of terms) {
    const what = at(term, t0);
    if (what) return said(term, what, t0);
  }
  if (!(t1 > t0)) return undefined;
  for (const term of terms) {
    if (!namesRead(term, term.operand).includes('t')) continue;
    const f = (t: number): number | undefined => valueAt(term, term.operand, values, t);
    let a = t0;
    let fa = f(a);
    for (let i = 1; i <= SAMPLES && fa !== undefined; i++) {
      const b = t0 + ((t1 - t0) * i) / SAMPLES;
      const fb = f(b);
      if (fb === undefined) break;
      if (at(term, b)) return said(term, at(term, b) as string, b);
      // a divisor through 0 between samples (1 / (t - 2.3)): its zero, by bisection
      if (term.kind === 'divisor' && Math.sign(fa) * Math.sign(fb) < 0) {
        let lo = a;
        let hi = b;
        for (let k = 0; k < 80; k++) {
          const mid = (lo + hi) / 2;
          const fm = f(mid) as number;
          if (Math.sign(fm) === Math.sign(fa)) lo = mid;
          else hi = mid;
        }
        return said(term, `its divisor ${shownOperand(term)} is 0`, (lo + hi) / 2);
      }
      a = b;
      fa = fb;
    }
  }
  return undefined;
}
