// Symbolic algebra on expression trees: constant folding with the usual identities, and
// differentiation. The Jacobian of a model text is derived here (forward mode through its
// intermediate quantities), so the stiff solver gets exact derivatives, not finite differences.

import type { Ast } from '../expression.js';

const num = (v: number): Ast => ({ k: 'num', v });
export const ZERO = num(0);
export const ONE = num(1);
const isNum = (a: Ast, v?: number): boolean => a.k === 'num' && (v === undefined || a.v === v);

const FOLD: Readonly<Record<string, (...x: number[]) => number>> = {
  exp: Math.exp,
  log: Math.log,
  ln: Math.log,
  log10: Math.log10,
  sqrt: Math.sqrt,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
};

function binValue(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return Math.pow(a, b);
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    default:
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

/** A folded constant must stay finite: 1/0 or exp(1000) are left for run time (and reported elsewhere). */
const folded = (v: number): Ast | undefined => (Number.isFinite(v) ? num(v) : undefined);

/** Builders that simplify as they build (x·0 = 0, x·1 = x, x+0 = x, constants folded). */
export const S = {
  add(a: Ast, b: Ast): Ast {
    if (a.k === 'num' && b.k === 'num') return folded(a.v + b.v) ?? { k: 'bin', op: '+', a, b };
    if (isNum(a, 0)) return b;
    if (isNum(b, 0)) return a;
    if (b.k === 'un' && b.op === '-') return S.sub(a, b.a);
    return { k: 'bin', op: '+', a, b };
  },
  sub(a: Ast, b: Ast): Ast {
    if (a.k === 'num' && b.k === 'num') return folded(a.v - b.v) ?? { k: 'bin', op: '-', a, b };
    if (isNum(b, 0)) return a;
    if (isNum(a, 0)) return S.neg(b);
    return { k: 'bin', op: '-', a, b };
  },
  mul(a: Ast, b: Ast): Ast {
    if (a.k === 'num' && b.k === 'num') return folded(a.v * b.v) ?? { k: 'bin', op: '*', a, b };
    if (isNum(a, 0) || isNum(b, 0)) return ZERO;
    if (isNum(a, 1)) return b;
    if (isNum(b, 1)) return a;
    if (isNum(a, -1)) return S.neg(b);
    if (isNum(b, -1)) return S.neg(a);
    return { k: 'bin', op: '*', a, b };
  },
  div(a: Ast, b: Ast): Ast {
    if (a.k === 'num' && b.k === 'num' && b.v !== 0) return folded(a.v / b.v) ?? { k: 'bin', op: '/', a, b };
    if (isNum(a, 0)) return ZERO;
    if (isNum(b, 1)) return a;
    return { k: 'bin', op: '/', a, b };
  },
  pow(a: Ast, b: Ast): Ast {
    if (a.k === 'num' && b.k === 'num') return folded(Math.pow(a.v, b.v)) ?? { k: 'bin', op: '^', a, b };
    if (isNum(b, 1)) return a;
    if (isNum(b, 0)) return ONE;
    return { k: 'bin', op: '^', a, b };
  },
  neg(a: Ast): Ast {
    if (a.k === 'num') return num(-a.v);
    if (a.k === 'un' && a.op === '-') return a.a;
    return { k: 'un', op: '-', a };
  },
  call(fn: string, args: Ast[]): Ast {
    if (args.every((x) => x.k === 'num')) {
      const v = (FOLD[fn] as (...x: number[]) => number)(...args.map((x) => (x as { v: number }).v));
      const f = folded(v);
      if (f) return f;
    }
    return { k: 'call', fn, args };
  },
  cond(c: Ast, a: Ast, b: Ast): Ast {
    if (c.k === 'num') return c.v !== 0 ? a : b;
    if (a.k === 'num' && b.k === 'num' && a.v === b.v) return a;
    return { k: 'if', c, a, b };
  },
};

/** Rebuilds a tree through the simplifying builders (constants folded bottom-up). */
export function simplify(a: Ast): Ast {
  switch (a.k) {
    case 'num':
    case 'var':
      return a;
    case 'un':
      if (a.op === '-') return S.neg(simplify(a.a));
      {
        const x = simplify(a.a);
        return x.k === 'num' ? num(x.v === 0 ? 1 : 0) : { k: 'un', op: '!', a: x };
      }
    case 'if':
      return S.cond(simplify(a.c), simplify(a.a), simplify(a.b));
    case 'call':
      return S.call(a.fn, a.args.map(simplify));
    case 'bin': {
      const x = simplify(a.a);
      const y = simplify(a.b);
      switch (a.op) {
        case '+':
          return S.add(x, y);
        case '-':
          return S.sub(x, y);
        // What the user wrote is evaluated as written: 0·u and 0/u keep u where u is no number, as
        // 0·NaN, 0·∞ and 0/0 are NaN. Folded to 0, `observe = A + 0*sqrt(A - 3)` at A = 2 read 2
        // without a word, where `P = 0*sqrt(W - 3)` as a parameter is refused as NaN. A derivative
        // built by S still folds its own zeros (d(0·u) = 0·u' + 0'·u is 0 wherever u is finite, and
        // where u is not the kernel's value is NaN and said so); simplify() only rebuilds trees.
        case '*':
          return (isNum(x, 0) && y.k !== 'num') || (isNum(y, 0) && x.k !== 'num') ? { k: 'bin', op: '*', a: x, b: y } : S.mul(x, y);
        case '/':
          return isNum(x, 0) && y.k !== 'num' ? { k: 'bin', op: '/', a: x, b: y } : S.div(x, y);
        case '^':
          return S.pow(x, y);
        default:
          return x.k === 'num' && y.k === 'num' ? num(binValue(a.op, x.v, y.v)) : { k: 'bin', op: a.op, a: x, b: y, at: a.at };
      }
    }
  }
}

/**
 * Value of a tree if it is constant (numbers only), else undefined. `visit` sees every division
 * whose denominator is constant, with that denominator's value (to report division by zero).
 */
export function constantValue(a: Ast, onDivision?: (node: Ast & { k: 'bin' }, denominator: number) => void): number | undefined {
  switch (a.k) {
    case 'num':
      return a.v;
    case 'var':
      return undefined;
    case 'un': {
      const x = constantValue(a.a, onDivision);
      return x === undefined ? undefined : a.op === '-' ? -x : x === 0 ? 1 : 0;
    }
    case 'if': {
      const c = constantValue(a.c, onDivision);
      const x = constantValue(a.a, onDivision);
      const y = constantValue(a.b, onDivision);
      return c === undefined ? undefined : c !== 0 ? x : y;
    }
    case 'call': {
      const xs = a.args.map((x) => constantValue(x, onDivision));
      return xs.every((x) => x !== undefined) ? (FOLD[a.fn] as (...x: number[]) => number)(...(xs as number[])) : undefined;
    }
    case 'bin': {
      const x = constantValue(a.a, onDivision);
      const y = constantValue(a.b, onDivision);
      if (a.op === '/' && y !== undefined) onDivision?.(a, y);
      return x === undefined || y === undefined ? undefined : binValue(a.op, x, y);
    }
  }
}

/**
 * d(a)/dx, where `dVar(name)` is the derivative of a variable (ZERO for anything x does not
 * move, ONE for x itself, or a variable standing for an intermediate's derivative).
 */
export function derivative(a: Ast, dVar: (name: string) => Ast): Ast {
  const d = (x: Ast): Ast => derivative(x, dVar);
  switch (a.k) {
    case 'num':
      return ZERO;
    case 'var':
      return dVar(a.name);
    case 'un':
      return a.op === '-' ? S.neg(d(a.a)) : ZERO;
    case 'if':
      return S.cond(a.c, d(a.a), d(a.b));
    case 'bin': {
      const da = d(a.a);
      const db = d(a.b);
      switch (a.op) {
        case '+':
          return S.add(da, db);
        case '-':
          return S.sub(da, db);
        case '*':
          return S.add(S.mul(da, a.b), S.mul(a.a, db));
        case '/':
          // (da·b − a·db) / b², written as da/b − a·db/b² so a zero term vanishes cleanly
          return S.sub(S.div(da, a.b), S.div(S.mul(a.a, db), S.mul(a.b, a.b)));
        case '^':
          return powDerivative(a.a, a.b, da, db);
        default:
          return ZERO; // comparisons and logic are piecewise constant
      }
    }
    case 'call': {
      const [x, y] = a.args as [Ast, Ast | undefined];
      const dx = d(x);
      switch (a.fn) {
        case 'exp':
          return S.mul(a, dx);
        case 'log':
        case 'ln':
          return S.div(dx, x);
        case 'log10':
          return S.div(dx, S.mul(x, num(Math.LN10)));
        case 'sqrt':
          return S.div(dx, S.mul(num(2), a));
        case 'abs':
          return S.cond({ k: 'bin', op: '<', a: x, b: ZERO }, S.neg(dx), dx);
        case 'floor':
        case 'ceil':
          return ZERO;
        case 'min':
          return S.cond({ k: 'bin', op: '<=', a: x, b: y as Ast }, dx, d(y as Ast));
        case 'max':
          return S.cond({ k: 'bin', op: '>=', a: x, b: y as Ast }, dx, d(y as Ast));
        case 'pow':
          return powDerivative(x, y as Ast, dx, d(y as Ast));
        default:
          throw new Error(`no derivative rule for ${a.fn}`);
      }
    }
  }
}

function powDerivative(a: Ast, b: Ast, da: Ast, db: Ast): Ast {
  if (isNum(da, 0) && isNum(db, 0)) return ZERO;
  // constant exponent: b·a^(b−1)·da (also right for a ≤ 0 with integer b)
  if (isNum(db, 0)) return S.mul(S.mul(b, S.pow(a, S.sub(b, ONE))), da);
  // general: a^b·(db·ln a + b·da/a)
  return S.mul({ k: 'bin', op: '^', a, b }, S.add(S.mul(db, S.call('log', [a])), S.div(S.mul(b, da), a)));
}
