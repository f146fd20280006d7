// Derived covariates: an expression over covariates declared earlier, e.g.
// "egfr_ckdepi2021(SCR, AGE, SEX)" or "WT / (HT / 100)^2". The grammar is that of model expressions
// (src/model/expression.ts: arithmetic, ^, comparisons, && || !, c ? a : b, exp/log/sqrt/min/max…)
// plus the clinical calculators below. The expression module has a fixed function list, so calls to
// these are cut out of the text first: each call is replaced by a placeholder identifier of the same
// width (error positions stay those of the user's text), its arguments are parsed on their own, and
// the result is compiled by a small evaluator that delegates every call-free subtree to
// compileExpression. Conditionals are lazy, so "AGE >= 18 ? egfr_ckdepi2021(SCR, AGE, SEX) : …"
// never calls CKD-EPI with a child's age.
//
// Sex is coded 1 = male, 0 = female; any other value is refused, and a sex argument that is a
// covariate whose name or description says it is coded otherwise (FEMALE, "1 = female") is refused
// when the specification is read (spec.ts, refuseSexArguments).

import {
  bodyMassIndex,
  bsaDuBois,
  bsaMosteller,
  crclCockcroftGault,
  DEVINE_MIN_HEIGHT_CM,
  egfrCkdEpi2021Cr,
  idealBodyWeightDevine,
  leanBodyWeightJanmahasatian,
  type Sex,
} from '../../clinical/index.js';
import { DerivedEvaluationError, DosewiseError, Errors } from '../../errors.js';
import { compileExpression, parseExpression, type Ast, type Compiled } from '../../model/expression.js';

/** Thrown while evaluating a derived covariate: a DosewiseError with code E_DERIVED (defined in the error catalogue). */
export { DerivedEvaluationError };

type Impl = (a: number, b: number, c: number, d: number) => number;

/** A clinical calculator callable from a derived expression. */
export interface DerivedFunction {
  /** Argument names, in order, with their units. */
  readonly params: readonly string[];
  /** What it returns. */
  readonly returns: string;
  /** The unit of what it returns, as a covariate unit. */
  readonly unit: string;
  /**
   * Builds one evaluator (each call site owns its reusable input object: no allocation per call).
   * `notes`, when given, is told of a value computed outside the range the formula was made for.
   */
  readonly make: (notes?: DerivedNotes) => Impl;
}

/**
 * What the calculators of one derived covariate computed outside the range their formula was made
 * for, for the subject being filled (the sampler clears it before each subject and counts). A
 * population's ibw_devine gave a 106-cm girl 3.50 kg without a word, where `dosewise calc ibw`
 * warns that Devine is extrapolated below 60 in.
 */
export interface DerivedNotes {
  /** The lowest height below DEVINE_MIN_HEIGHT_CM (152.4 cm) ibw_devine extrapolated from, else Infinity. */
  devineLowestCm: number;
}

function sexOf(fn: string, v: number): Sex {
  if (v === 1) return 'male';
  if (v === 0) return 'female';
  throw new DerivedEvaluationError(`${fn}: sex must be coded 1 (male) or 0 (female) (got ${v})`);
}

function guarded(fn: string, arity: number, body: Impl): Impl {
  return (a, b, c, d) => {
    try {
      return body(a, b, c, d);
    } catch (e) {
      if (e instanceof DerivedEvaluationError) throw e;
      const args = [a, b, c, d].slice(0, arity).join(', ');
      // the calculator's refusal kept as the cause: the sampler names a drawn input it refused
      throw Object.assign(new DerivedEvaluationError(`${fn}(${args}): ${e instanceof Error ? e.message : String(e)}`), { cause: e });
    }
  };
}

/** The clinical calculators usable in derived expressions (all from src/clinical, race-free). */
export const DERIVED_FUNCTIONS: Readonly<Record<string, DerivedFunction>> = {
  egfr_ckdepi2021: {
    params: ['scr_mgdl', 'age_y', 'sex'],
    returns: 'eGFR, mL/min/1.73 m² (CKD-EPI 2021 creatinine; adults, age ≥ 18)',
    unit: 'mL/min/1.73 m²',
    make: () => {
      const input = { scrMgDl: 0, ageYears: 0, sex: 'male' as Sex };
      return guarded('egfr_ckdepi2021', 3, (scr, age, sex) => {
        input.scrMgDl = scr;
        input.ageYears = age;
        input.sex = sexOf('egfr_ckdepi2021', sex);
        return egfrCkdEpi2021Cr(input);
      });
    },
  },
  crcl_cg: {
    params: ['scr_mgdl', 'age_y', 'wt_kg', 'sex'],
    returns: 'creatinine clearance, mL/min (Cockcroft–Gault with total body weight; age ≥ 18)',
    unit: 'mL/min',
    make: () => {
      const input = { scrMgDl: 0, ageYears: 0, weightKg: 0, sex: 'male' as Sex, weightBasis: 'total' as const };
      return guarded('crcl_cg', 4, (scr, age, wt, sex) => {
        input.scrMgDl = scr;
        input.ageYears = age;
        input.weightKg = wt;
        input.sex = sexOf('crcl_cg', sex);
        return crclCockcroftGault(input).crclMlMin;
      });
    },
  },
  bsa_mosteller: {
    params: ['ht_cm', 'wt_kg'],
    returns: 'body-surface area, m² (Mosteller)',
    unit: 'm²',
    make: () => {
      const input = { heightCm: 0, weightKg: 0 };
      return guarded('bsa_mosteller', 2, (ht, wt) => {
        input.heightCm = ht;
        input.weightKg = wt;
        return bsaMosteller(input);
      });
    },
  },
  bsa_dubois: {
    params: ['ht_cm', 'wt_kg'],
    returns: 'body-surface area, m² (DuBois & DuBois)',
    unit: 'm²',
    make: () => {
      const input = { heightCm: 0, weightKg: 0 };
      return guarded('bsa_dubois', 2, (ht, wt) => {
        input.heightCm = ht;
        input.weightKg = wt;
        return bsaDuBois(input);
      });
    },
  },
  bmi: {
    params: ['ht_cm', 'wt_kg'],
    returns: 'body-mass index, kg/m²',
    unit: 'kg/m²',
    make: () => {
      const input = { heightCm: 0, weightKg: 0 };
      return guarded('bmi', 2, (ht, wt) => {
        input.heightCm = ht;
        input.weightKg = wt;
        return bodyMassIndex(input);
      });
    },
  },
  lbw_janmahasatian: {
    params: ['ht_cm', 'wt_kg', 'sex'],
    returns: 'lean body weight, kg (Janmahasatian; at most the total weight)',
    unit: 'kg',
    make: () => {
      const input = { heightCm: 0, weightKg: 0, sex: 'male' as Sex };
      return guarded('lbw_janmahasatian', 3, (ht, wt, sex) => {
        input.heightCm = ht;
        input.weightKg = wt;
        input.sex = sexOf('lbw_janmahasatian', sex);
        return leanBodyWeightJanmahasatian(input);
      });
    },
  },
  ibw_devine: {
    params: ['ht_cm', 'sex'],
    returns: 'ideal body weight, kg (Devine)',
    unit: 'kg',
    make: (notes) => {
      const input = { heightCm: 0, sex: 'male' as Sex };
      return guarded('ibw_devine', 2, (ht, sex) => {
        input.heightCm = ht;
        input.sex = sexOf('ibw_devine', sex);
        const ibw = idealBodyWeightDevine(input);
        if (notes !== undefined && ht < DEVINE_MIN_HEIGHT_CM && ht < notes.devineLowestCm) notes.devineLowestCm = ht;
        return ibw;
      });
    },
  },
};

const DERIVED_NAMES = Object.keys(DERIVED_FUNCTIONS);

/** The unit each clinical function's argument is read in, by its name (sex is a code, unchecked). */
export const ARGUMENT_UNITS: Readonly<Record<string, string>> = { scr_mgdl: 'mg/dL', age_y: 'years', wt_kg: 'kg', ht_cm: 'cm' };


interface CallSite {
  readonly fn: string;
  readonly args: readonly Ast[];
}

/** A derived expression, parsed and checked for syntax and arity; not yet bound to slots. */
export interface PreparedDerived {
  readonly source: string;
  readonly path: string;
  readonly root: Ast;
  /** Placeholder name → the clinical-function call it stands for. */
  readonly calls: ReadonlyMap<string, CallSite>;
  /** Covariate names the expression reads, in order of first appearance. */
  readonly reads: readonly string[];
}

/** Re-raises an expression error from a padded sub-parse against the user's original text. */
function remap(e: unknown, padded: string, source: string, path: string): unknown {
  if (!(e instanceof DosewiseError) || e.code !== 'E_EXPRESSION') return e;
  const prefix = `model ${path}: expression "${padded}" at `;
  if (!e.message.startsWith(prefix)) return e;
  const m = /^(\d+): ([\s\S]*)$/.exec(e.message.slice(prefix.length));
  if (!m) return e;
  const at = Number(m[1]);
  let why = (m[2] as string).replace(/\(known: ([^)]*)\)/, (_all, known: string) => `(known: ${known}, ${DERIVED_NAMES.join(', ')})`);
  // the end of an argument is the "," or ")" that closes it in the user's text
  if (why === 'unexpected end' && at === padded.length && at < source.length) why = `unexpected "${source[at]}"`;
  return Errors.expression(source, at, why, path);
}

/**
 * Parses a derived expression. Errors are E_EXPRESSION naming `path` and the position in `source`.
 *
 * @example
 * prepareDerived('egfr_ckdepi2021(SCR, AGE, SEX)', 'covariates.EGFR.derived').reads; // ['SCR', 'AGE', 'SEX']
 */
export function prepareDerived(source: string, path: string): PreparedDerived {
  const calls = new Map<string, CallSite>();

  const parseSpan = (lo: number, text: string): Ast => {
    const padded = ' '.repeat(lo) + text;
    try {
      return parseExpression(padded, path);
    } catch (e) {
      throw remap(e, padded, source, path);
    }
  };

  // Returns source[lo, hi) with every top-level clinical call replaced by a same-width placeholder.
  const rewrite = (lo: number, hi: number): string => {
    const re = /(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;
    re.lastIndex = lo;
    let out = '';
    let pos = lo;
    for (;;) {
      const m = re.exec(source);
      if (!m || m.index >= hi) break;
      const fn = m[1] as string;
      const def = DERIVED_FUNCTIONS[fn];
      if (!def) continue;
      const open = m.index + m[0].length - 1;
      let depth = 0;
      let close = -1;
      const cuts: number[] = [open];
      for (let i = open; i < hi; i++) {
        const c = source[i];
        if (c === '(') depth++;
        else if (c === ')') {
          depth--;
          if (depth === 0) {
            close = i;
            break;
          }
        } else if (c === ',' && depth === 1) cuts.push(i);
      }
      if (close < 0) throw Errors.expression(source, open, `missing ")" to close ${fn}(`, path);
      cuts.push(close);
      const empty = cuts.length === 2 && source.slice(open + 1, close).trim() === '';
      const n = empty ? 0 : cuts.length - 1;
      if (n !== def.params.length) {
        throw Errors.expression(source, m.index, `${fn}(${def.params.join(', ')}) takes ${def.params.length} arguments, got ${n}`, path);
      }
      const args: Ast[] = [];
      for (let k = 0; k + 1 < cuts.length; k++) {
        const a = (cuts[k] as number) + 1;
        const b = cuts[k + 1] as number;
        args.push(parseSpan(a, rewrite(a, b)));
      }
      const id = `_${calls.size}`;
      const width = close + 1 - m.index;
      if (id.length > width) throw Errors.expression(source, m.index, 'too many function calls', path);
      calls.set(id, { fn, args });
      out += source.slice(pos, m.index) + id.padEnd(width);
      pos = close + 1;
      re.lastIndex = pos;
    }
    return out + source.slice(pos, hi);
  };

  const root = parseSpan(0, rewrite(0, source.length));

  // Every placeholder must appear exactly once; user identifiers may not start with "_".
  const reads: string[] = [];
  const seen = new Map<string, number>();
  const walk = (a: Ast): void => {
    switch (a.k) {
      case 'var':
        if (a.name.startsWith('_')) {
          seen.set(a.name, (seen.get(a.name) ?? 0) + 1);
          const site = calls.get(a.name);
          if (!site || (seen.get(a.name) as number) > 1) {
            throw Errors.model(path, `identifiers starting with "_" are reserved (found ${a.name} in "${source}")`);
          }
          for (const x of site.args) walk(x);
        } else if (!reads.includes(a.name)) reads.push(a.name);
        break;
      case 'un':
        walk(a.a);
        break;
      case 'bin':
        walk(a.a);
        walk(a.b);
        break;
      case 'if':
        walk(a.c);
        walk(a.a);
        walk(a.b);
        break;
      case 'call':
        for (const x of a.args) walk(x);
        break;
      case 'num':
        break;
    }
  };
  walk(root);
  return { source, path, root, calls, reads };
}

/**
 * Compiles a prepared derived expression into a closure over a slot array (`slotOf` maps each
 * covariate name read to its index). Evaluation allocates nothing; a clinical calculator refusing
 * its inputs throws a {@link DerivedEvaluationError}.
 */
export function compileDerived(prep: PreparedDerived, slotOf: (name: string) => number, notes?: DerivedNotes): Compiled {
  const hasCall = (a: Ast): boolean => {
    switch (a.k) {
      case 'var':
        return prep.calls.has(a.name);
      case 'un':
        return hasCall(a.a);
      case 'bin':
        return hasCall(a.a) || hasCall(a.b);
      case 'if':
        return hasCall(a.c) || hasCall(a.a) || hasCall(a.b);
      case 'call':
        return a.args.some(hasCall);
      case 'num':
        return false;
    }
  };

  const compileCall = (site: CallSite): Compiled => {
    const f = (DERIVED_FUNCTIONS[site.fn] as DerivedFunction).make(notes);
    const a0 = comp(site.args[0] as Ast);
    const a1 = comp(site.args[1] as Ast);
    if (site.args.length === 2) return (v) => f(a0(v), a1(v), 0, 0);
    const a2 = comp(site.args[2] as Ast);
    if (site.args.length === 3) return (v) => f(a0(v), a1(v), a2(v), 0);
    const a3 = comp(site.args[3] as Ast);
    return (v) => f(a0(v), a1(v), a2(v), a3(v));
  };

  const comp = (a: Ast): Compiled => {
    if (!hasCall(a)) return compileExpression(a, slotOf);
    switch (a.k) {
      case 'var':
        return compileCall(prep.calls.get(a.name) as CallSite);
      case 'un': {
        const x = comp(a.a);
        return a.op === '-' ? (v) => -x(v) : (v) => (x(v) === 0 ? 1 : 0);
      }
      case 'if': {
        const c = comp(a.c);
        const x = comp(a.a);
        const y = comp(a.b);
        return (v) => (c(v) !== 0 ? x(v) : y(v));
      }
      case 'call': {
        // a built-in function (exp, log, min, …) with a clinical call among its arguments: evaluate
        // the arguments into a scratch array and let the expression module apply the function
        const args = a.args.map(comp);
        const scratch = new Float64Array(args.length);
        const inner = compileExpression({ k: 'call', fn: a.fn, args: args.map((_, i) => ({ k: 'var', name: String(i) })) }, Number);
        const x = args[0] as Compiled;
        if (args.length === 1) {
          return (v) => {
            scratch[0] = x(v);
            return inner(scratch);
          };
        }
        const y = args[1] as Compiled;
        return (v) => {
          const p = x(v);
          const q = y(v);
          scratch[0] = p;
          scratch[1] = q;
          return inner(scratch);
        };
      }
      case 'bin': {
        const x = comp(a.a);
        const y = comp(a.b);
        switch (a.op) {
          case '+':
            return (v) => x(v) + y(v);
          case '-':
            return (v) => x(v) - y(v);
          case '*':
            return (v) => x(v) * y(v);
          case '/':
            return (v) => x(v) / y(v);
          case '^':
            return (v) => Math.pow(x(v), y(v));
          case '==':
            return (v) => (x(v) === y(v) ? 1 : 0);
          case '!=':
            return (v) => (x(v) !== y(v) ? 1 : 0);
          case '<':
            return (v) => (x(v) < y(v) ? 1 : 0);
          case '<=':
            return (v) => (x(v) <= y(v) ? 1 : 0);
          case '>':
            return (v) => (x(v) > y(v) ? 1 : 0);
          case '>=':
            return (v) => (x(v) >= y(v) ? 1 : 0);
          case '&&':
            return (v) => (x(v) !== 0 && y(v) !== 0 ? 1 : 0);
          default:
            return (v) => (x(v) !== 0 || y(v) !== 0 ? 1 : 0);
        }
      }
      case 'num':
        return compileExpression(a, slotOf);
    }
  };

  return comp(prep.root);
}
