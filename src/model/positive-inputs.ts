// Data items (covariates) a parameter divides by, takes a power of, or takes the log or square root
// of: there a value ≤ 0 gives 0, ±∞ or NaN, e.g. Goti's CL = TVCL·(CRCL/120)^0.8 is 0 at CRCL 0,
// which would pass as a patient without elimination. Such a value is refused, naming the data
// item, rather than simulated or estimated.
//
// Only a factor of the divisor / base / argument counts: an expression that is a product or
// quotient of the item with constants, other parameters or exp(...) (CRCL/120, WT·0.01, RF with
// RF = CRCL/120). A sum such as (AGE − 40) or (1 + X) may legitimately be 0 or negative, and an
// exponent (DIAL_CL^DIAL) may be 0: neither is checked.

import type { Ast } from './expression.js';

export interface PositiveInput {
  /** The parameter whose expression needs it. */
  readonly parameter: string;
  /** The data item that must be > 0. */
  readonly input: string;
  /** What the expression does with it: "divides by", "takes a power of", "takes the log of", "takes the square root of". */
  readonly use: string;
}

/**
 * The (parameter, data item) pairs where the item must be > 0. `asts` are the parameter
 * expressions (other parameters are resolved through them); `items` the data items to report
 * (covariates: random effects excluded).
 */
export function positiveInputs(asts: ReadonlyMap<string, Ast>, items: ReadonlySet<string>): PositiveInput[] {
  const factorsMemo = new Map<string, ReadonlySet<string> | null>();
  /** Data items that are factors of `a` (a = c·∏ item^±1), or null when `a` is not such a product. */
  const factors = (a: Ast, seen: ReadonlySet<string>): ReadonlySet<string> | null => {
    switch (a.k) {
      case 'num':
        return new Set();
      case 'var': {
        if (items.has(a.name)) return new Set([a.name]);
        const def = asts.get(a.name);
        if (!def || seen.has(a.name)) return new Set();
        if (!factorsMemo.has(a.name)) factorsMemo.set(a.name, factors(def, new Set([...seen, a.name])));
        return factorsMemo.get(a.name) as ReadonlySet<string> | null;
      }
      case 'un':
        return a.op === '-' ? factors(a.a, seen) : null;
      case 'bin': {
        if (a.op === '^' || a.op === '**') return factors(a.a, seen);
        if (a.op !== '*' && a.op !== '/') return null;
        const x = factors(a.a, seen);
        const y = factors(a.b, seen);
        return x && y ? new Set([...x, ...y]) : null;
      }
      case 'call':
        // exp(...) is never 0; pow(b, e) is 0 where b is
        if (a.fn === 'exp') return new Set();
        if (a.fn === 'pow' && a.args[0]) return factors(a.args[0], seen);
        return null;
      default:
        return null;
    }
  };

  const out: PositiveInput[] = [];
  for (const [parameter, ast] of asts) {
    const found = new Map<string, string>();
    const need = (a: Ast | undefined, use: string): void => {
      if (!a) return;
      for (const input of factors(a, new Set([parameter])) ?? []) if (!found.has(input)) found.set(input, use);
    };
    const walk = (a: Ast): void => {
      switch (a.k) {
        case 'un':
          walk(a.a);
          return;
        case 'bin':
          if (a.op === '/') need(a.b, 'divides by');
          if (a.op === '^' || a.op === '**') need(a.a, 'takes a power of');
          walk(a.a);
          walk(a.b);
          return;
        case 'if':
          // a branch may be chosen exactly where the item is ≤ 0: only the condition is always read
          walk(a.c);
          return;
        case 'call':
          if (a.fn === 'log' || a.fn === 'ln' || a.fn === 'log10') need(a.args[0], 'takes the log of');
          if (a.fn === 'sqrt') need(a.args[0], 'takes the square root of');
          if (a.fn === 'pow') need(a.args[0], 'takes a power of');
          for (const x of a.args) walk(x);
          return;
        default:
          return;
      }
    };
    walk(ast);
    for (const [input, use] of found) out.push({ parameter, input, use });
  }
  return out;
}
