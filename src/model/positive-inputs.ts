// Data items (covariates) a parameter divides by, takes a power of, or takes the log or square root
// of: there a value ≤ 0 gives 0, ±∞ or NaN, e.g. Goti's CL = TVCL·(CRCL/120)^0.8 is 0 at CRCL 0,
// which would pass as a patient without elimination. Such a value is refused, naming the data
// item, rather than simulated or estimated.
//
// Only a factor of the divisor / base / argument counts: an expression that is a product or
// quotient of the item with constants, other parameters or exp(...) (CRCL/120, WT·0.01, RF with
// RF = CRCL/120). A sum such as (AGE − 40) or (1 + X) may legitimately be 0 or negative, and an
// exponent (DIAL_CL^DIAL) may be 0: neither is checked. A power inside a sum (a sigmoid's
// 0.3 + 0.7·PNA^h/(T50^h + PNA^h)) is finite at 0 (0^h = 0 for h > 0): refusing PNA = 0 there
// refused every newborn, so such an item is refused only where the parameter comes out 0, ±∞ or NaN.

import { identifiers, type Ast } from './expression.js';

export interface PositiveInput {
  /** The parameter whose expression needs it. */
  readonly parameter: string;
  /** The data item that must be > 0. */
  readonly input: string;
  /** What the expression does with it: "divides by", "takes a power of", "takes the log of", "takes the square root of". */
  readonly use: string;
  /** Raised to a power inside a sum: refused only where the parameter's value is 0, ±∞ or NaN. */
  readonly evaluate?: boolean;
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

  // an intermediate (FMAT's PNAH = PNA^HILL) is checked where it is used, walked inline below: on
  // its own, PNA^HILL refused PNA 0 though FMAT = 0.3 + 0.7·PNAH/(T50^HILL + PNAH) is finite there
  const used = new Set<string>();
  for (const [name, ast] of asts) for (const x of identifiers(ast)) if (x !== name) used.add(x);
  const out: PositiveInput[] = [];
  for (const [parameter, ast] of asts) {
    if (used.has(parameter) && !items.has(parameter)) continue;
    const inlined = new Set([parameter]);
    const found = new Map<string, { use: string; evaluate: boolean }>();
    const need = (a: Ast | undefined, use: string, evaluate = false): void => {
      if (!a) return;
      for (const input of factors(a, new Set([parameter])) ?? []) if (!found.has(input) || (found.get(input)?.evaluate && !evaluate)) found.set(input, { use, evaluate });
    };
    // `factor`: whether `a` is a factor of the whole expression (not inside a sum, a call or a branch)
    const walk = (a: Ast, factor: boolean): void => {
      switch (a.k) {
        case 'un':
          walk(a.a, factor && a.op === '-');
          return;
        case 'bin': {
          const product = factor && (a.op === '*' || a.op === '/');
          if (a.op === '/') need(a.b, 'divides by');
          if (a.op === '^' || a.op === '**') need(a.a, 'takes a power of', !factor);
          walk(a.a, product);
          walk(a.b, product);
          return;
        }
        case 'var': {
          // a parameter given as a data item is not computed: its expression is not read
          const def = items.has(a.name) || inlined.has(a.name) ? undefined : asts.get(a.name);
          if (!def) return;
          inlined.add(a.name);
          walk(def, factor);
          inlined.delete(a.name);
          return;
        }
        case 'if':
          // a branch may be chosen exactly where the item is ≤ 0: only the condition is always read
          walk(a.c, false);
          return;
        case 'call':
          if (a.fn === 'log' || a.fn === 'ln' || a.fn === 'log10') need(a.args[0], 'takes the log of');
          if (a.fn === 'sqrt') need(a.args[0], 'takes the square root of');
          if (a.fn === 'pow') need(a.args[0], 'takes a power of', !factor);
          for (const x of a.args) walk(x, false);
          return;
        default:
          return;
      }
    };
    walk(ast, true);
    for (const [input, { use, evaluate }] of found) out.push({ parameter, input, use, ...(evaluate ? { evaluate } : {}) });
  }
  return out;
}
