// W_STATE_SWITCH: a jump of the right-hand side on a compartment amount. A switch on t compared with
// a record-level quantity is a stop of the solver (see timeSwitches), but where a state crosses a
// threshold is known only during the solve, so a step across it is held by its error estimate alone.
// A parent–metabolite text whose metabolite elimination halved while the parent's concentration was
// above a threshold (INH = if(C > CTHR, 0.5, 1), test/unit/model-text/state-switch.test.ts) was
// 962× rtol off with dop853 at rtol 1e-6 and 24× at 1e-8, with no word; the explicit methods stayed
// 20–1000× off at every rtol from 1e-4 to 1e-12, RODAS4 within 1.8×. min, max and abs are continuous
// (a kink, which the error estimate holds) and are not warned of, but a quotient by a magnitude,
// abs(x) or sqrt(x^2), is a sign: INH = 0.75 + 0.25·(C − TH)/abs(C − TH) was 16.6× rtol off with no
// word, where the same step written with if was warned; so were abs(x)/x, x/((x^2)^0.5),
// x/pow(x^2, 0.5) and x/(abs(x)/4) (18.3× rtol). x^2/abs(x) is |x|, continuous. Listing forms
// missed others: x^3/abs(x)^3, abs(x)/(2·A − 2·TH), x·abs(x)^-1 and x/(abs(x) + 1e-12) were each
// 52.8× rtol off at 1e-6, silent. The rule is now the product's: a product or quotient whose
// factors, as powers of terms (x^n of parity n, |x| of none), leave some term of odd parity and
// degree 0 is sign(x) times the rest, a jump; terms equal up to a constant factor (2·A − 2·TH and
// A − TH) are one, and a smoothing constant too small to smooth anything (|x| + 1e-12) is none.

import type { Ast } from '../expression.js';
import type { SourceText } from './lexer.js';
import { varsOf, type Declarations } from './analyse-declarations.js';
import type { Definitions } from './analyse-definitions.js';

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);
const LOGICAL = new Set(['&&', '||']);

/**
 * A smoothed sign, x/(|x| + ε) or x/sqrt(x^2 + ε), turning over a width (ε, √ε) at most this, in
 * the amounts' unit, is the sign: ε 1e-12 and 1e-9 under |x| were 51× and 21× rtol off at rtol
 * 1e-6 (the exact sign 53×), √ε 1e-6 41.7×; widths from 1e-4 up were 0.7–12× (ε 0.01 is a smooth
 * sign here, though the kink of |x| + 0.01 left dop853 9× rtol off at 1e-6 and 1e-8).
 */
const SMOOTHING_WIDTH = 1e-6;

const MATH: Readonly<Record<string, (...x: number[]) => number>> = {
  exp: Math.exp, log: Math.log, ln: Math.log, log10: Math.log10, sqrt: Math.sqrt, abs: Math.abs,
  floor: Math.floor, ceil: Math.ceil, min: Math.min, max: Math.max, pow: Math.pow,
};

function binary(op: string, x: number, y: number): number {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    case '^': return Math.pow(x, y);
    case '<': return x < y ? 1 : 0;
    case '>': return x > y ? 1 : 0;
    case '<=': return x <= y ? 1 : 0;
    case '>=': return x >= y ? 1 : 0;
    case '==': return x === y ? 1 : 0;
    case '!=': return x !== y ? 1 : 0;
    case '&&': return x !== 0 && y !== 0 ? 1 : 0;
    case '||': return x !== 0 || y !== 0 ? 1 : 0;
    default: return NaN;
  }
}

/** A value in [0.5, 1.5) fixed by `name` and sample `j` (FNV-1a): the same in every run. */
function pseudoValue(name: string, j: number): number {
  let h = 2166136261 ^ j;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return 0.5 + ((h >>> 0) % 1000003) / 1000003;
}

/** At most one warning, at the first jump in the source, naming the lines of the others. */
export function stateSwitchWarnings(src: SourceText, decl: Declarations, defs: Definitions, show: (a: Ast) => string): string[] {
  // locals are in definition order, so one pass finds every one reading a state or t through others
  const stateful = new Set<string>(decl.states);
  const timed = new Set<string>(['t']);
  for (const l of defs.locals) {
    if (varsOf(l.expr).some((v) => stateful.has(v.name))) stateful.add(l.name);
    if (varsOf(l.expr).some((v) => timed.has(v.name))) timed.add(l.name);
  }
  const readsState = (a: Ast): boolean => varsOf(a).some((v) => stateful.has(v.name));
  // a comparison reading t as well is the time switch's to say (a comparison of t with a compartment amount)
  const readsTime = (a: Ast): boolean => varsOf(a).some((v) => timed.has(v.name));

  // the right-hand side: each d/dt and the intermediates it reads; an observation is evaluated at
  // records only, where a jump costs nothing
  const locals = new Map(defs.locals.map((l) => [l.name, l.expr] as const));
  const rhs: Ast[] = [...defs.ddt.values()];
  const seen = new Set<string>();
  for (let i = 0; i < rhs.length; i++)
    for (const v of varsOf(rhs[i] as Ast)) {
      const e = locals.get(v.name);
      if (e && !seen.has(v.name)) {
        seen.add(v.name);
        rhs.push(e);
      }
    }

  const jumps = new Map<number, Ast>();
  const flag = (a: Ast, at: number | undefined): void => {
    if (readsTime(a)) return;
    const pos = at ?? varsOf(a).find((v) => stateful.has(v.name))?.at ?? 0;
    if (!jumps.has(pos)) jumps.set(pos, a);
  };
  /** A value read as true or false (an if's condition, an operand of && || !): a jump at 0 unless it is itself a comparison. */
  const truth = (x: Ast): void => {
    const boolean = (x.k === 'bin' && (COMPARISONS.has(x.op) || LOGICAL.has(x.op))) || (x.k === 'un' && x.op === '!');
    if (!boolean && readsState(x)) flag(x, undefined);
  };
  const square = (a: Ast): boolean =>
    (a.k === 'bin' && a.op === '^' && a.b.k === 'num' && a.b.v === 2) || (a.k === 'bin' && a.op === '*' && show(a.a) === show(a.b)) || (a.k === 'call' && a.fn === 'pow' && (a.args[1] as Ast).k === 'num' && ((a.args[1] as Ast) as { v: number }).v === 2);
  const half = (a: Ast): boolean => a.k === 'num' && a.v === 0.5;
  /**
   * |x| of a state-reading x, directly or through intermediates: abs(x), sqrt(x^2), sqrt(x*x),
   * (x^2)^0.5, pow(x^2, 0.5), times or divided by factors without a state.
   */
  const magnitude = (x: Ast, depth = 0): boolean => {
    if (depth > 50) return false;
    if (x.k === 'var') {
      const e = locals.get(x.name);
      return e !== undefined && magnitude(e, depth + 1);
    }
    if (x.k === 'un' && x.op === '-') return magnitude(x.a, depth + 1);
    if (x.k === 'bin' && x.op === '*') return (magnitude(x.a, depth + 1) && !readsState(x.b)) || (magnitude(x.b, depth + 1) && !readsState(x.a));
    if (x.k === 'bin' && x.op === '/') return magnitude(x.a, depth + 1) && !readsState(x.b);
    if (!readsState(x)) return false;
    // a pure square: sqrt(x^2 + ε), a smooth sign, is no jump
    if (x.k === 'bin' && x.op === '^') return half(x.b) && square(x.a);
    if (x.k !== 'call') return false;
    if (x.fn === 'abs') return true;
    if (x.fn === 'pow') return half(x.args[1] as Ast) && square(x.args[0] as Ast);
    return x.fn === 'sqrt' && square(x.args[0] as Ast);
  };
  /**
   * An expression as a product of powers of state-reading terms, each as (sign parity, degree):
   * x^n is (n mod 2, n), |x| (0, 1), sqrt of an even power half its degree; a term that is no
   * product (a sum, max(0, x)) stands for itself. Terms x − y and y − x are one. Undefined where
   * the powers do not say (a sign to a fractional power).
   */
  type Form = Map<string, { s: number; d: number }>;
  // a term by its values at a few amounts (every other name at a fixed value): terms equal up to a
  // factor constant in the amounts (A − TH, TH − A, 2·A − 2·TH, A/V − TH/V) are one term
  // `amounts`: the states' values where given (else pseudo values of sample j)
  const value = (a: Ast, j: number, depth = 0, amounts?: ReadonlyMap<string, number>): number => {
    if (depth > 200) return NaN;
    const at = (x: Ast): number => value(x, j, depth + 1, amounts);
    switch (a.k) {
      case 'num':
        return a.v;
      case 'var': {
        const given = amounts?.get(a.name);
        if (given !== undefined) return given;
        if (decl.states.includes(a.name) || a.name === 't') return pseudoValue(a.name, j + 1);
        const e = locals.get(a.name);
        return e === undefined ? pseudoValue(a.name, 0) : at(e);
      }
      case 'un':
        return a.op === '-' ? -at(a.a) : at(a.a) === 0 ? 1 : 0;
      case 'if':
        return at(a.c) !== 0 ? at(a.a) : at(a.b);
      case 'call': {
        const f = MATH[a.fn];
        return f === undefined ? NaN : f(...a.args.map(at));
      }
      default:
        return binary(a.op, at(a.a), at(a.b));
    }
  };
  /**
   * The signed argument x of a magnitude |x| as magnitude() reads it (abs(x), sqrt(x^2), (x^2)^0.5,
   * pow(x^2, 0.5), through intermediates and factors without a state), if it is one.
   */
  const argument = (x: Ast, depth = 0): Ast | undefined => {
    if (depth > 50) return undefined;
    if (x.k === 'var') {
      const e = locals.get(x.name);
      return e === undefined ? undefined : argument(e, depth + 1);
    }
    if (x.k === 'un' && x.op === '-') return argument(x.a, depth + 1);
    if (x.k === 'bin' && (x.op === '*' || x.op === '/')) return (readsState(x.a) ? argument(x.a, depth + 1) : undefined) ?? (x.op === '*' && readsState(x.b) ? argument(x.b, depth + 1) : undefined);
    if (x.k === 'call' && x.fn === 'abs') return x.args[0] as Ast;
    const sq = x.k === 'bin' && x.op === '^' ? x.a : x.k === 'call' && (x.fn === 'sqrt' || x.fn === 'pow') ? (x.args[0] as Ast) : undefined;
    if (sq === undefined) return undefined;
    return sq.k === 'bin' && sq.op === '*' ? sq.a : sq.k === 'bin' && sq.op === '^' ? sq.a : sq.k === 'call' && sq.fn === 'pow' ? (sq.args[0] as Ast) : undefined;
  };
  /**
   * Whether x keeps one sign (never 0) at every non-negative amount but all zero, on a grid of
   * amounts from 0 to 1e4 (the other names at fixed values of 0.5–1.5): |x| is then ±x, smooth
   * where amounts are, and a quotient by it jumps nowhere ((A1 − A2)/|A1 + A2 + 1|, the normalised
   * gradient (A1/V1 − A2/V2)/|A1/V1 + A2/V2| were warned). A threshold (A − TH, A1 − K·A2) is crossed on it.
   */
  const LEVELS = [0, 1e-3, 0.1, 0.5, 1, 2, 5, 10, 100, 1e4];
  const oneSigned = (x: Ast): boolean => {
    const n = decl.states.length;
    let sign = 0;
    const samples = Math.min(LEVELS.length ** n, 4000);
    for (let k = 1; k < samples; k++) {
      // every combination of levels for up to 3 states, else a fixed pseudo-random sample of them
      const amounts = new Map(decl.states.map((st, i) => [st, LEVELS[(LEVELS.length ** n <= 4000 ? Math.floor(k / LEVELS.length ** i) : Math.floor(pseudoValue(st, k) * 1e6)) % LEVELS.length] as number] as const));
      if ([...amounts.values()].every((v) => v === 0)) continue;
      const v = value(x, 0, 0, amounts);
      if (!Number.isFinite(v)) continue;
      if (v === 0 || (sign !== 0 && Math.sign(v) !== sign)) return false;
      sign = Math.sign(v);
    }
    return sign !== 0;
  };
  const term = (a: Ast): string => {
    const v = [0, 1, 2, 3].map((j) => value(a, j));
    const v0 = v[0] as number;
    if (!v.every(Number.isFinite) || v0 === 0) return a.k === 'bin' && a.op === '-' ? [show(a.a), show(a.b)].sort().join(' ~ ') : show(a);
    return `≈${v.slice(1).map((x) => (x / v0).toPrecision(10)).join(',')}`;
  };
  const atom = (a: Ast): Form => new Map([[term(a), { s: 1, d: 1 }]]);
  const combine = (p: Form, q: Form, sign: 1 | -1): Form => {
    const out: Form = new Map(p);
    for (const [k, v] of q) {
      const o = out.get(k) ?? { s: 0, d: 0 };
      out.set(k, { s: (o.s + v.s) % 2, d: o.d + sign * v.d });
    }
    return out;
  };
  const power = (f: Form | undefined, n: number): Form | undefined => {
    if (f === undefined) return undefined;
    const out: Form = new Map();
    for (const [k, v] of f) {
      if (!Number.isInteger(n) && v.s % 2 !== 0) return undefined;
      out.set(k, { s: Number.isInteger(n) ? Math.abs(v.s * n) % 2 : 0, d: v.d * n });
    }
    return out;
  };
  const form = (a: Ast, depth = 0): Form | undefined => {
    if (depth > 50) return undefined;
    if (!readsState(a)) return new Map();
    if (a.k === 'var') {
      const e = locals.get(a.name);
      return e === undefined ? atom(a) : (form(e, depth + 1) ?? atom(a));
    }
    if (a.k === 'un' && a.op === '-') return form(a.a, depth + 1);
    if (a.k === 'bin' && (a.op === '*' || a.op === '/')) {
      const p = form(a.a, depth + 1);
      const q = form(a.b, depth + 1);
      return p === undefined || q === undefined ? undefined : combine(p, q, a.op === '*' ? 1 : -1);
    }
    // an exponent written as a number (2, -1, 1/3)
    const [base, exponent] = a.k === 'bin' && a.op === '^' ? [a.a, a.b] : a.k === 'call' && a.fn === 'pow' ? a.args : [];
    if (base !== undefined && exponent !== undefined && varsOf(exponent).length === 0) return power(form(base, depth + 1), value(exponent, 0));
    if (a.k === 'call' && a.fn === 'abs') {
      const f = form(a.args[0] as Ast, depth + 1);
      return f === undefined ? undefined : new Map([...f].map(([k, v]) => [k, { s: 0, d: v.d }]));
    }
    if (a.k === 'call' && a.fn === 'sqrt') {
      const f = form(a.args[0] as Ast, depth + 1);
      return f !== undefined && [...f.values()].every((v) => v.s % 2 === 0) ? power(f, 0.5) : atom(a);
    }
    // |x|^d + ε with ε^(1/d), the width over which the sign turns, at most SMOOTHING_WIDTH: |x|^d
    if (a.k === 'bin' && a.op === '+' && (a.a.k === 'num' || a.b.k === 'num')) {
      const [m, c] = a.b.k === 'num' ? [a.a, a.b.v] : [a.b, (a.a as { v: number }).v];
      const f = form(m, depth + 1);
      const only = f?.size === 1 ? [...f.values()][0] : undefined;
      if (f !== undefined && only !== undefined && only.s % 2 === 0 && only.d > 0 && c >= 0 && c ** (1 / only.d) <= SMOOTHING_WIDTH) return f;
    }
    return atom(a);
  };
  /** sign(x) times the rest: some term of odd parity and degree 0 (x/|x|, x^3/|x|^3, x·|x|^-1). */
  const signFactor = (f: Form | undefined): boolean => f !== undefined && [...f.values()].some((v) => v.s % 2 !== 0 && v.d === 0);
  /**
   * A quotient with a magnitude on one side and a state-reading other side is a sign, unless the
   * other side reads only the magnitude's terms and to a power that leaves it continuous: x^2/|x|
   * is |x|, x·|x|^2/|x| is x·|x|; x/|x|, |x|/x, x/(|x|/4) and max(0, x)/|x| jump at x = 0.
   */
  const signQuotient = (mag: Ast, other: Ast, product: Form | undefined, magOnTop: boolean): boolean => {
    // |g| of a g that keeps one sign wherever amounts are is ±g: no sign to turn
    const g = argument(mag);
    if (g !== undefined && oneSigned(g)) return false;
    const fm = form(mag);
    const fo = form(other);
    if (fm === undefined || fo === undefined) return true;
    const foreign = [...fo].filter(([k, v]) => (v.s !== 0 || v.d !== 0) && !fm.has(k));
    // |x| over another term (EC50 + |x|, 1 + x^2) turns nowhere that term does not vanish: a kink,
    // no sign; under |x|, a term of its own parity that need not vanish with x (max(0, x)/|x|) is one,
    // a magnitude of another term (|x − TH|/|x − TH + EC50|) is none
    if (!magOnTop && foreign.some(([, v]) => v.s % 2 !== 0)) return true;
    // the product it stands in vanishes where the sign turns (x/|x|·x is |x|): continuous
    return [...combine(fo, fm, -1)].some(([k, v]) => fm.has(k) && v.s % 2 !== 0 && v.d === 0 && !((product?.get(k)?.d ?? 0) > 0));
  };
  const productOp = (a: Ast): boolean => a.k === 'bin' && (a.op === '*' || a.op === '/');
  /** `product`: the form of the outermost product or quotient `a` stands in, if any. */
  const visit = (a: Ast, product?: Form): void => {
    if (a.k === 'bin' && COMPARISONS.has(a.op) && readsState(a)) flag(a, a.at);
    const whole = productOp(a) ? (product ?? form(a)) : undefined;
    if (product === undefined && a.k === 'bin' && whole !== undefined && readsState(a) && signFactor(whole)) flag(a, a.at);
    if (a.k === 'bin' && a.op === '/' && ((readsState(a.a) && magnitude(a.b) && signQuotient(a.b, a.a, whole, false)) || (readsState(a.b) && magnitude(a.a) && signQuotient(a.a, a.b, whole, true)))) flag(a, a.at);
    if (a.k === 'bin' && LOGICAL.has(a.op)) [a.a, a.b].forEach(truth);
    if (a.k === 'un' && a.op === '!') truth(a.a);
    if (a.k === 'if') truth(a.c);
    if (a.k === 'call' && (a.fn === 'floor' || a.fn === 'ceil') && readsState(a)) flag(a, a.at);
    if (a.k === 'un') visit(a.a);
    else if (a.k === 'bin') [a.a, a.b].forEach((x) => visit(x, productOp(a) && productOp(x) ? whole : undefined));
    else if (a.k === 'if') [a.c, a.a, a.b].forEach((x) => visit(x));
    else if (a.k === 'call') a.args.forEach((x) => visit(x));
  };
  rhs.forEach((a) => visit(a));
  const [first, ...others] = [...jumps.entries()].sort(([x], [y]) => x - y);
  if (first === undefined) return [];
  const [at, jump] = first;
  const { line, col } = src.position(at);
  const read = decl.states.filter((s) => readsStateNamed(jump, s, locals));
  const otherLines = [...new Set(others.map(([o]) => src.position(o).line).filter((l) => l !== line))];
  const also = otherLines.length ? ` (also line${otherLines.length > 1 ? 's' : ''} ${otherLines.join(', ')})` : '';
  return [
    `${src.file}:${line}:${col}: warning: W_STATE_SWITCH: the equations jump here on a compartment amount (${show(jump)}, reading ${read.join(', ')})${also}, which the solver cannot stop at: ` +
      'nothing tells it where the amount crosses, so a step across the jump is held only by its error estimate and results may be off by more than rtol. ' +
      (decl.solver.method === 'rosenbrock'
        ? 'The text solves with the rosenbrock method, which met rtol across such a jump where dopri5 and dop853 did not: keep it'
        : 'Solve such a text with the rosenbrock method (solver rosenbrock), which met rtol across such a jump where dopri5 and dop853 did not; a tighter rtol shrinks their error but leaves it above rtol'),
  ];
}

/** Whether an expression reads compartment `s`, directly or through kernel-level intermediates. */
function readsStateNamed(a: Ast, s: string, locals: ReadonlyMap<string, Ast>, seen = new Set<string>()): boolean {
  return varsOf(a).some((v) => v.name === s || (locals.has(v.name) && !seen.has(v.name) && (seen.add(v.name), readsStateNamed(locals.get(v.name) as Ast, s, locals, seen))));
}
