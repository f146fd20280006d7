// Meaning of a parsed model text: every name declared or defined before use, each compartment
// with one d/dt equation, no division by a constant zero, and every quantity given its level:
//   record level: depends only on θ, η, κ, covariates (evaluated once per record, in TypeScript,
//                 like a model file's parameters: lag, F, rate, duration, S<n> and init live here);
//   kernel level: depends on compartments or t (evaluated inside the ODE right-hand side in WASM).
// Record-level values the kernel reads travel in the kernel's parameter slots (p[0..12], then p[16..]).

import type { Ast } from '../expression.js';
import type { SourceText } from './lexer.js';
import type { Modifier, Name, ResidualModel, Stmt } from './parser.js';
import { Checker, readDeclarations, varsOf, type Declarations } from './analyse-declarations.js';
import { readDefinitions, type Definitions } from './analyse-definitions.js';
import { constantValue } from './derive.js';
import { stateSwitchWarnings } from './state-switches.js';
import { heldAmounts } from './held-amounts.js';

export interface KernelSource {
  /** Compartment names, in CMT order. */
  readonly states: readonly string[];
  /** Record-level names the kernel reads, in parameter-slot order (p[0], p[1], ...). */
  readonly inputs: readonly string[];
  /** Kernel-level intermediates in evaluation order. */
  readonly locals: readonly { readonly name: string; readonly expr: Ast }[];
  /** d/dt of each state, state order. */
  readonly ddt: readonly Ast[];
  /** Initial amount of each state (undefined: 0). */
  readonly init: readonly (Ast | undefined)[];
  readonly observe: Ast;
  /** 0-based compartments held at zero by the step control as amounts (held-amounts.ts); none when absent. */
  readonly held?: readonly number[];
}

/** One output of a model text: its DVID, the compartment it measures (amount / S<n>), its residual error. */
export interface TextOutput {
  readonly dvid: number;
  readonly name?: string;
  readonly unit?: string;
  /** 1-based compartment. */
  readonly compartment: number;
  readonly residual: NonNullable<TextModel['residual']>;
}

export interface TextModel {
  readonly name?: string;
  readonly theta: Readonly<Record<string, number>>;
  readonly covariates: Readonly<Record<string, { readonly default?: number }>>;
  readonly omega?: { readonly names: readonly string[]; readonly matrix: readonly (readonly number[])[] };
  readonly iov?: { readonly names: readonly string[]; readonly diagonal: readonly number[]; readonly occasion: string };
  readonly residual?: { readonly model: ResidualModel; readonly additive?: number; readonly proportional?: number; readonly exponential?: number };
  /** Several measured quantities (`output DVID ...`, each with its `residual(DVID)`), in text order; the first is `observe`. */
  readonly outputs?: readonly TextOutput[];
  /** Record-level quantities in definition order. */
  readonly parameters: readonly { readonly name: string; readonly expr: Ast }[];
  readonly modifiers: readonly { readonly what: Modifier; readonly cmt: number; readonly expr: Ast }[];
  readonly kernel: KernelSource;
  /**
   * 1-based compartment of the observation (records naming it use `observe`): of the compartments
   * `observe` reads, the first in the compartment line, whatever the order of its terms.
   */
  readonly observeCompartment: number;
  readonly solver: { readonly method: 'auto' | 'analytic' | 'dopri5' | 'rosenbrock' | 'dop853'; readonly rtol?: number; readonly atol?: number; /** where the solver line names it */ readonly at?: number };
  readonly records: 'nocb' | 'locf';
  /**
   * Times the equations switch at (t compared with a record-level quantity), as record-level
   * expressions: the solver stops at each (see timeSwitches).
   */
  readonly switches: readonly Ast[];
  /**
   * The record-level quantities the kernel compares t through (A and B of A·t + B, and the other
   * side), where they are computed (not a plain name or number): each must be finite on every
   * record, as a parameter must. `where` is `file:line`; `comparison` and `shown` are the comparison
   * and the quantity as text.
   */
  readonly switchParts: readonly { readonly where: string; readonly comparison: string; readonly part: Ast; readonly shown: string }[];
  /** Declared or defined names that nothing reads (often a typo elsewhere), as `file:line:col: warning: ...`. */
  readonly warnings: readonly string[];
  /**
   * Powers in the observation (through its intermediates) of a quantity that reads a compartment,
   * to an exponent that is not a whole number, as text (`CE`, `GAMMA`): not a number where the base
   * is a hair below 0, which the refusal of such a prediction names (see fractionalPowers).
   */
  readonly observePowers: readonly { readonly base: string; readonly exponent: string; readonly negativeBase?: number }[];
  /**
   * Fractional powers, square roots and logarithms in the right-hand side (through its
   * intermediates) of a quantity that reads a compartment, as text (`A^0.5`, `sqrt(A)`) with the
   * guarded form where there is one (`max(A, 0)^0.5`): a state stepped through 0 makes them not a
   * number, which the refusal of that state names (see rhsDomain).
   */
  readonly rhsDomain: readonly { readonly shown: string; readonly fix?: string }[];
  /**
   * Terms of the right-hand side (through its intermediates) whose operand reads no compartment, only
   * t and record-level values: a divisor, the argument of a logarithm or square root, the base of a
   * power. Such a term is not finite by the record's values or the time alone (-K * A / t at a dose
   * at t = 0, A / K with K = 0), which the refusal of the failed solve names (see rhsTerms).
   * `where` is `file:line:col`, `equation` the statement (`d/dt(A)`, `R = 1 / t`).
   */
  readonly rhsTerms: readonly RhsTerm[];
  /**
   * Terms reading a compartment that overflow for a large amount (exp, a power) or leave their
   * domain (log, sqrt, a fractional power, a divisor: the observation's only), each with its place:
   * a state or prediction that overflowed was refused as "check the parameters" or with a hint
   * about logarithms of negative values, naming no term (see stateTerms). `observe` is where the
   * observation is written.
   */
  readonly stateTerms: { readonly rhs: readonly StateTerm[]; readonly observe: readonly StateTerm[]; readonly observeWhere: string };
  /** Where each compartment's init() is written (`file:line:col`), state order; undefined where none is. */
  readonly initWhere: readonly (string | undefined)[];
  /**
   * Where each record-level statement is written (`file:line:col`): a parameter by its name, a dose
   * modifier by `<what>:<cmt>` with the statement as written (`lag(A)`, `F(A)`); a per-record value
   * that is not a number is refused by them, as init() is.
   */
  readonly where: { readonly parameters: Readonly<Record<string, string>>; readonly modifiers: Readonly<Record<string, { readonly shown: string; readonly where: string }>> };
}

/** A term reading a compartment (TextModel.stateTerms): `exp(A * 10)` at `m.model:4:11` in `observe` or `d/dt(A)`. */
export interface StateTerm {
  readonly kind: 'exp' | 'power' | 'log' | 'sqrt' | 'divisor';
  readonly shown: string;
  readonly where: string;
  readonly equation: string;
}

/** A right-hand side term whose operand reads only t and record-level values (TextModel.rhsTerms). */
export interface RhsTerm {
  readonly kind: 'divisor' | 'log' | 'sqrt' | 'power';
  readonly where: string;
  readonly equation: string;
  /** The term as written (`-K * A / t`). */
  readonly shown: string;
  /** The divisor, argument or base; the exponent of a power. */
  readonly operand: Ast;
  /** The operand as written (`t`, `K2 - 2`). */
  readonly operandShown: string;
  readonly exponent?: Ast;
  /** The kernel-level intermediates the operand may read, by name (those reading t only). */
  readonly locals: readonly { readonly name: string; readonly expr: Ast }[];
}

/**
 * The checked meaning of a parsed model text, in three phases: the declarations (visible
 * everywhere), the definitions in order (each reading only names above it), then what follows from
 * both — the compartment the observation reads, the record-level inputs of the kernel and the names
 * nothing reads.
 */
export function analyseModelText(src: SourceText, stmts: readonly Stmt[]): TextModel {
  const ck = new Checker(src);
  const decl = readDeclarations(ck, stmts);
  const defs = readDefinitions(ck, decl, stmts);
  const observed = observedCompartment(ck, decl, defs);
  const { states } = decl;
  const outputs = textOutputs(ck, decl, defs, states.indexOf(observed) + 1);
  checkObservedScale(ck, decl, defs, observed);
  const time = timeSwitches(src, decl, defs);
  return {
    name: decl.name,
    theta: decl.theta,
    covariates: decl.covariates,
    omega: decl.etaNames.length ? { names: decl.etaNames, matrix: omegaMatrix(decl.etaNames, decl.diag, decl.blocks) } : undefined,
    iov: decl.iovNames.length ? { names: decl.iovNames, diagonal: decl.iovVar, occasion: (decl.occasion as Name).name } : undefined,
    residual: decl.residual,
    outputs,
    parameters: defs.parameters,
    modifiers: defs.modifiers,
    kernel: {
      states,
      inputs: kernelInputs(decl, defs),
      locals: defs.locals,
      ddt: states.map((s) => defs.ddt.get(s) as Ast),
      init: states.map((s) => defs.init.get(s)),
      observe: defs.observe.expr,
      held: heldAmounts(states.length, defs.modifiers),
    },
    observeCompartment: states.indexOf(observed) + 1,
    solver: decl.solver,
    records: decl.records,
    switches: time.switches,
    switchParts: time.parts,
    warnings: [...unusedNameWarnings(src, stmts, decl, defs), ...time.warnings, ...stateSwitchWarnings(src, decl, defs, (a) => showAst(a)), ...timeCovariateWarnings(src, decl, defs)],
    observePowers: fractionalPowers(decl, defs),
    rhsDomain: rhsDomain(decl, defs),
    rhsTerms: rhsTerms(src, decl, defs),
    stateTerms: stateTerms(src, decl, defs),
    initWhere: states.map((st) => {
      const s = stmts.find((x): x is Extract<Stmt, { k: 'init' }> => x.k === 'init' && x.state.name === st);
      return s ? statementPlace(src, s) : undefined;
    }),
    where: recordLevelPlaces(src, stmts, states),
  };
}

/** A statement's place: its expression's (its name, operator or function), as the compiler's errors give it. */
function statementPlace(src: SourceText, s: { readonly expr: Ast; readonly at: number }): string {
  const e = s.expr;
  const { line, col } = src.position((e.k === 'var' || e.k === 'bin' || e.k === 'call' ? e.at : undefined) ?? s.at);
  return `${src.file}:${line}:${col}`;
}

function recordLevelPlaces(src: SourceText, stmts: readonly Stmt[], states: readonly string[]): TextModel['where'] {
  const parameters: Record<string, string> = {};
  const modifiers: Record<string, { shown: string; where: string }> = {};
  for (const s of stmts) {
    if (s.k === 'assign') parameters[s.id.name] = statementPlace(src, s);
    else if (s.k === 'modifier') {
      // the word as written (F or bioavailability)
      const word = /^[A-Za-z_]\w*/.exec(src.text.slice(s.at))?.[0] ?? s.what;
      modifiers[`${s.what}:${states.indexOf(s.state.name) + 1}`] = { shown: `${word}(${s.state.name})`, where: statementPlace(src, s) };
    }
  }
  return { parameters, modifiers };
}

/** An expression and the kernel-level intermediates it reads, directly or through others, each once. */
function withIntermediates(defs: Definitions, a: Ast): Ast[] {
  const out = [a];
  const seen = new Set<string>();
  for (let i = 0; i < out.length; i++)
    for (const v of varsOf(out[i] as Ast)) {
      const loc = defs.locals.find((l) => l.name === v.name);
      if (loc && !seen.has(v.name)) {
        seen.add(v.name);
        out.push(loc.expr);
      }
    }
  return out;
}

/** The compartments an expression reads, directly or through kernel-level intermediates. */
function statesRead(decl: Declarations, defs: Definitions, a: Ast): Set<string> {
  return new Set(
    withIntermediates(defs, a)
      .flatMap(varsOf)
      .map((v) => v.name)
      .filter((n) => decl.stateAt.has(n)),
  );
}

/**
 * The powers of the observation whose base reads a compartment and whose exponent is not a whole
 * number (GAMMA, 0.5): NaN for a base a hair below 0. The solver's rounding leaves such bases (a
 * sigmoid Emax's effect compartment at −1.8e-13, well inside atol, where the true amount is > 0),
 * and the refusal of the NaN said only "outside its domain, e.g. a square root or logarithm".
 */
function fractionalPowers(decl: Declarations, defs: Definitions): TextModel['observePowers'][number][] {
  const out = new Map<string, TextModel['observePowers'][number]>();
  const visit = (a: Ast): void => {
    const [base, exponent] = a.k === 'bin' && a.op === '^' ? [a.a, a.b] : a.k === 'call' && a.fn === 'pow' ? a.args : [];
    const e = exponent && constantValue(exponent);
    // a negative number to an exponent that reads a compartment ((-1)^A^0.5): the refusal blamed
    // A^0.5, "its base is below 0", at A = 2
    const b = base && constantValue(base);
    const negative = b !== undefined && b < 0;
    if (base && exponent && !(e !== undefined && Number.isInteger(e)) && (negative || statesRead(decl, defs, base).size > 0)) {
      const p = { base: showAst(base), exponent: showAst(exponent, 8), ...(negative ? { negativeBase: b } : {}) };
      out.set(`${p.base}^${p.exponent}`, p);
    }
    if (a.k === 'un') visit(a.a);
    else if (a.k === 'bin') [a.a, a.b].forEach(visit);
    else if (a.k === 'if') [a.c, a.a, a.b].forEach(visit);
    else if (a.k === 'call') a.args.forEach(visit);
  };
  withIntermediates(defs, defs.observe.expr).forEach(visit);
  return [...out.values()];
}

/**
 * The right-hand side's fractional powers, square roots and logarithms of a quantity that reads a
 * compartment: d/dt(A) = −K·A^0.5 empties A in finite time, a step through 0 takes A^0.5 of a
 * negative amount, and the refusal of the NaN state said only "check the parameters".
 */
function rhsDomain(decl: Declarations, defs: Definitions): TextModel['rhsDomain'][number][] {
  const out = new Map<string, TextModel['rhsDomain'][number]>();
  const visit = (a: Ast): void => {
    const [base, exponent] = a.k === 'bin' && a.op === '^' ? [a.a, a.b] : a.k === 'call' && a.fn === 'pow' ? a.args : [];
    const e = exponent && constantValue(exponent);
    if (base && exponent && !(e !== undefined && Number.isInteger(e)) && statesRead(decl, defs, base).size > 0) {
      const shown = `${showAst(base, 8)}^${showAst(exponent, 8)}`;
      out.set(shown, { shown, fix: `max(${showAst(base)}, 0)^${showAst(exponent, 8)}` });
    }
    if (a.k === 'call' && ['sqrt', 'log', 'ln', 'log10'].includes(a.fn) && a.args[0] && statesRead(decl, defs, a.args[0]).size > 0) {
      const shown = showAst(a);
      out.set(shown, { shown, fix: a.fn === 'sqrt' ? `sqrt(max(${showAst(a.args[0])}, 0))` : undefined });
    }
    if (a.k === 'un') visit(a.a);
    else if (a.k === 'bin') [a.a, a.b].forEach(visit);
    else if (a.k === 'if') [a.c, a.a, a.b].forEach(visit);
    else if (a.k === 'call') a.args.forEach(visit);
  };
  const seen = new Set<Ast>();
  for (const st of decl.states)
    for (const x of withIntermediates(defs, defs.ddt.get(st) as Ast))
      if (!seen.has(x)) {
        seen.add(x);
        visit(x);
      }
  return [...out.values()];
}

/**
 * The right-hand side's divisors, logarithms, square roots and powers whose operand reads no
 * compartment (only t and record-level values), each with its place and equation: -K * A / t at a
 * dose at t = 0, or A / K with K = 0, was refused as "step size fell below its floor" or "a state
 * became NaN or infinite (check the parameters)" without naming the term. A constant operand is
 * refused where it is written already (checkDivisions).
 */
function rhsTerms(src: SourceText, decl: Declarations, defs: Definitions): RhsTerm[] {
  const out: RhsTerm[] = [];
  const freeLocals = defs.locals.filter((l) => statesRead(decl, defs, l.expr).size === 0);
  const free = (a: Ast): boolean => constantValue(a) === undefined && statesRead(decl, defs, a).size === 0;
  const where = (at: number | undefined): string => {
    const { line, col } = src.position(at ?? 0);
    return `${src.file}:${line}:${col}`;
  };
  const visit = (a: Ast, equation: string): void => {
    const add = (kind: RhsTerm['kind'], operand: Ast, at: number | undefined, exponent?: Ast): void => {
      out.push({ kind, where: where(at), equation, shown: showAst(a), operand, operandShown: showAst(operand), exponent, locals: freeLocals });
    };
    if (a.k === 'bin' && a.op === '/' && free(a.b)) add('divisor', a.b, a.at);
    else if (a.k === 'call' && ['log', 'ln', 'log10', 'sqrt'].includes(a.fn) && a.args[0] && free(a.args[0])) add(a.fn === 'sqrt' ? 'sqrt' : 'log', a.args[0], a.at);
    else if (((a.k === 'bin' && a.op === '^') || (a.k === 'call' && a.fn === 'pow')) && (a.k === 'bin' ? [a.a, a.b] : a.args).every((x) => statesRead(decl, defs, x).size === 0)) {
      const [base, exponent] = (a.k === 'bin' ? [a.a, a.b] : a.args) as [Ast, Ast];
      if (free(base)) add('power', base, a.at, exponent);
    }
    if (a.k === 'un') visit(a.a, equation);
    else if (a.k === 'bin') [a.a, a.b].forEach((x) => visit(x, equation));
    else if (a.k === 'if') [a.c, a.a, a.b].forEach((x) => visit(x, equation));
    else if (a.k === 'call') a.args.forEach((x) => visit(x, equation));
  };
  const seen = new Set<string>();
  for (const st of decl.states)
    for (const x of withIntermediates(defs, defs.ddt.get(st) as Ast)) {
      const local = defs.locals.find((l) => l.expr === x);
      const equation = local ? `${local.name} = ${showAst(x)}` : `d/dt(${st})`;
      if (seen.has(equation)) continue;
      seen.add(equation);
      visit(x, equation);
    }
  return out;
}

/**
 * The terms of the right-hand side and of the observation (through their intermediates) whose
 * operand reads a compartment and which overflow for a large amount: exp, and a power whose
 * exponent is not a constant ≤ 1 (exp(A) in d/dt(A) = −K·A + exp(A) blew A up, refused as "a state
 * became NaN or infinite (check the parameters)"; observe = exp(A * 10) at A = 100 was told "e.g. a
 * division by an empty compartment, or the square root or logarithm of a negative value"). The
 * observation's logarithms, square roots, fractional powers and divisors reading a compartment too,
 * which its refusal names with their places.
 */
function stateTerms(src: SourceText, decl: Declarations, defs: Definitions): TextModel['stateTerms'] {
  const where = (at: number | undefined): string => {
    const { line, col } = src.position(at ?? 0);
    return `${src.file}:${line}:${col}`;
  };
  const reads = (a: Ast): boolean => statesRead(decl, defs, a).size > 0;
  const collect = (roots: readonly { expr: Ast; equation: string }[], domain: boolean): StateTerm[] => {
    const out = new Map<string, StateTerm>();
    const add = (kind: StateTerm['kind'], a: Ast, at: number | undefined, equation: string): void => {
      const shown = showAst(a);
      if (!out.has(shown)) out.set(shown, { kind, shown, where: where(at), equation });
    };
    const visit = (a: Ast, equation: string): void => {
      if (a.k === 'call' && a.fn === 'exp' && a.args[0] && reads(a.args[0])) add('exp', a, a.at, equation);
      const [base, exponent] = a.k === 'bin' && a.op === '^' ? [a.a, a.b] : a.k === 'call' && a.fn === 'pow' ? a.args : [];
      if (base && exponent && reads(base)) {
        const e = constantValue(exponent);
        if (e === undefined || e > 1) add('power', a, a.k === 'bin' || a.k === 'call' ? a.at : undefined, equation);
        else if (domain && !Number.isInteger(e)) add('power', a, a.k === 'bin' || a.k === 'call' ? a.at : undefined, equation);
      }
      if (domain && a.k === 'call' && ['sqrt', 'log', 'ln', 'log10'].includes(a.fn) && a.args[0] && reads(a.args[0])) add(a.fn === 'sqrt' ? 'sqrt' : 'log', a, a.at, equation);
      if (domain && a.k === 'bin' && a.op === '/' && reads(a.b)) add('divisor', a, a.at, equation);
      if (a.k === 'un') visit(a.a, equation);
      else if (a.k === 'bin') [a.a, a.b].forEach((x) => visit(x, equation));
      else if (a.k === 'if') [a.c, a.a, a.b].forEach((x) => visit(x, equation));
      else if (a.k === 'call') a.args.forEach((x) => visit(x, equation));
    };
    const seen = new Set<Ast>();
    for (const r of roots)
      for (const x of withIntermediates(defs, r.expr)) {
        if (seen.has(x)) continue;
        seen.add(x);
        const local = defs.locals.find((l) => l.expr === x);
        visit(x, local ? `${local.name} = ${showAst(x)}` : r.equation);
      }
    return [...out.values()];
  };
  return {
    rhs: collect(
      decl.states.map((st) => ({ expr: defs.ddt.get(st) as Ast, equation: `d/dt(${st})` })),
      false,
    ),
    observe: collect([{ expr: defs.observe.expr, equation: 'observe' }], true),
    observeWhere: statementPlace(src, defs.observe),
  };
}

/**
 * The compartment of the observation: of those `observe` reads, the first in the compartment line.
 * It was the first one read in the expression, so the order of a sum chose what a record naming a
 * compartment measured: with observe = PERI / V2 + CENT / V a CMT-2 record read the whole
 * observation (7.8495), with CENT / V + PERI / V2 the same record read PERI's amount (8.4235).
 */
function observedCompartment(ck: Checker, decl: Declarations, defs: Definitions): string {
  const read = statesRead(decl, defs, defs.observe.expr);
  const observed = decl.states.find((s) => read.has(s));
  if (!observed) return ck.fail(defs.observe.at, 'observe must read a compartment amount (e.g. observe = CENTRAL / V)');
  return observed;
}

/** Two expressions alike but for their places in the source. */
const sameAst = (a: Ast, b: Ast): boolean => JSON.stringify(a, (k, v: unknown) => (k === 'at' ? undefined : v)) === JSON.stringify(b, (k, v: unknown) => (k === 'at' ? undefined : v));

/**
 * S<n> of the observed compartment beside the observation that measures it: refused unless the two
 * say the same (observe = CENT / V beside S2 = V, or observe reading S2 itself), as a model file
 * refuses a scale given both ways. It was ignored: S2 = V * 1000 beside observe = CENT / V gave a
 * CMT-2 record 8.1873 where NONMEM's A(2)/S2 is 0.0081873.
 */
function checkObservedScale(ck: Checker, decl: Declarations, defs: Definitions, observed: string): void {
  const cmt = decl.states.indexOf(observed) + 1;
  const name = `S${cmt}`;
  const scale = defs.parameters.find((p) => p.name === name);
  const at = defs.defined.get(name)?.at;
  if (!scale || at === undefined) return;
  const locals = new Map(defs.locals.map((l) => [l.name, l.expr] as const));
  const params = new Map(defs.parameters.map((p) => [p.name, p.expr] as const));
  // observe reads S<n> itself: the scale is the one observe divides by
  const readsScale = (a: Ast, seen = new Set<string>()): boolean =>
    varsOf(a).some((v) => v.name === name || (locals.has(v.name) && !seen.has(v.name) && (seen.add(v.name), readsScale(locals.get(v.name) as Ast, seen))));
  if (readsScale(defs.observe.expr)) return;
  /** A name standing for an intermediate (C = CENT / V, VV = V * 1000) replaced by what it stands for. */
  const unalias = (a: Ast, from: ReadonlyMap<string, Ast>): Ast => {
    let x = a;
    for (let i = 0; i < 50 && x.k === 'var' && from.has(x.name); i++) x = from.get(x.name) as Ast;
    return x;
  };
  const o = unalias(defs.observe.expr, locals);
  const s = unalias(scale.expr, params);
  const same =
    (o.k === 'var' && o.name === observed && constantValue(s) === 1) ||
    (o.k === 'bin' && o.op === '/' && o.a.k === 'var' && o.a.name === observed && (sameAst(o.b, scale.expr) || sameAst(unalias(o.b, params), s)));
  if (same) return;
  // written otherwise but equal (1000 * CENT / V beside S2 = V / 1000, NONMEM's mg-dose / ng/mL
  // idiom, was refused as "the two differ"): observe and A(n)/S<n> compared by value
  if (equalByValue(defs.observe.expr, { k: 'bin', op: '/', a: { k: 'var', name: observed }, b: scale.expr }, (v) => locals.get(v) ?? params.get(v))) return;
  const first = defs.outputs[0];
  const what = first ? `output ${first.dvid}` : 'observe';
  ck.fail(
    at,
    `${name} scales the levels of compartment ${cmt} (${observed}), which ${what} on line ${ck.lineOf(defs.observe.at)} measures, and the two differ: ` +
      `a record naming CMT ${cmt} reads ${what}, so ${name} would be ignored (NONMEM reads A(${cmt})/${name}). Give the scale once: drop ${name}, or write ${what} = ${observed} / ${name}`,
  );
}

/**
 * Whether two expressions are equal as functions of the names they read (after replacing each
 * intermediate by what it stands for): compared at three sets of values, each name drawn from
 * 0.6–2.4 by a hash of the name and the set. Two rational expressions that differ agree at such
 * points only by accident; a point where either is not finite decides nothing (false).
 */
function equalByValue(a: Ast, b: Ast, defOf: (name: string) => Ast | undefined): boolean {
  const hash = (name: string, k: number): number => {
    let h = 2166136261 ^ k;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    return 0.6 + 1.8 * ((h >>> 0) / 4294967296);
  };
  const bind = (x: Ast, k: number, depth: number): Ast => {
    switch (x.k) {
      case 'num':
        return x;
      case 'var': {
        const d = depth < 50 ? defOf(x.name) : undefined;
        return d ? bind(d, k, depth + 1) : { k: 'num', v: hash(x.name, k) };
      }
      case 'un':
        return { ...x, a: bind(x.a, k, depth) };
      case 'bin':
        return { ...x, a: bind(x.a, k, depth), b: bind(x.b, k, depth) };
      case 'if':
        return { ...x, c: bind(x.c, k, depth), a: bind(x.a, k, depth), b: bind(x.b, k, depth) };
      case 'call':
        return { ...x, args: x.args.map((y) => bind(y, k, depth)) };
    }
  };
  for (let k = 1; k <= 3; k++) {
    const x = constantValue(bind(a, k, 0));
    const y = constantValue(bind(b, k, 0));
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return false;
    if (Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y))) return false;
  }
  return true;
}

/** The outputs, checked: one per compartment, each with its residual(DVID), no residual(DVID) without its output, no plain residual beside them. */
function textOutputs(ck: Checker, decl: Declarations, defs: Definitions, observed: number): TextOutput[] | undefined {
  for (const [dvid, r] of decl.outputResiduals)
    if (!defs.outputs.some((o) => o.dvid === dvid)) ck.fail(r.at, `residual(${dvid}): the model has no output ${dvid} (outputs: ${defs.outputs.map((o) => o.dvid).join(', ') || 'none'})`);
  if (defs.outputs.length === 0) return undefined;
  if (decl.residual) ck.fail(decl.residualAt, 'with outputs, give each its own residual error: residual(DVID) MODEL ...');
  const byCmt = new Map<number, number>();
  return defs.outputs.map((o) => {
    const compartment = o.state === undefined ? observed : decl.states.indexOf(o.state) + 1;
    const other = byCmt.get(compartment);
    if (other !== undefined) ck.fail(o.at, `outputs ${other} and ${o.dvid} measure the same compartment (${decl.states[compartment - 1]}): one output per compartment`);
    byCmt.set(compartment, o.dvid);
    const r = decl.outputResiduals.get(o.dvid);
    if (!r) return ck.fail(o.at, `output ${o.dvid} has no residual error: add residual(${o.dvid}) MODEL ...`);
    return { dvid: o.dvid, name: o.name, unit: o.unit, compartment, residual: r.residual };
  });
}

/** Record-level names the kernel reads, in first-use order: the order of its parameter slots. */
function kernelInputs(decl: Declarations, defs: Definitions): string[] {
  const inputs: string[] = [];
  const kernelExprs = [...defs.locals.map((l) => l.expr), ...decl.states.map((s) => defs.ddt.get(s) as Ast), ...defs.init.values(), defs.observe.expr];
  const localNames = new Set(defs.locals.map((l) => l.name));
  for (const e of kernelExprs)
    for (const v of varsOf(e)) {
      if (v.name === 't' || decl.stateAt.has(v.name) || localNames.has(v.name) || inputs.includes(v.name)) continue;
      inputs.push(v.name);
    }
  return inputs;
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

/**
 * Where the equations switch on the time t. A comparison of a linear function of t (A·t + B, A and
 * B record-level) with a record-level quantity (IN = if(t > 100, if(t < 100.5, 100, 0), 0);
 * t - 24 >= TSTART; -t > -5.3; 2*t > X; min(t, TEND)) switches them at a time known before the
 * solve: it becomes a stop of the solver (`switches`, evaluated per record like a lag, each a
 * segment end), so no step crosses it. A step across a switch was held only by its error estimate,
 * and one that stepped over a short input whole never saw it: a 0.5-h input after 100 h without
 * events was missed by DOP853 (a level of 3.1e-6 for 0.0345). Any other use of t in a comparison
 * (t·t, abs(t - TON) < W, a threshold read from a compartment), floor or ceil (mod-like schedules)
 * cannot be stopped at and is said, once, where the first one is; the warning lists abs, which it
 * warned without naming.
 */
function timeSwitches(src: SourceText, decl: Declarations, defs: Definitions): { switches: Ast[]; parts: TextModel['switchParts'][number][]; warnings: string[] } {
  const locals = new Map(defs.locals.map((l) => [l.name, l.expr] as const));
  const recordLevel = (a: Ast): boolean => varsOf(a).every((v) => v.name !== 't' && !decl.stateAt.has(v.name) && !locals.has(v.name));
  const timed = new Set<string>(['t']);
  for (const l of defs.locals) if (varsOf(l.expr).some((v) => timed.has(v.name))) timed.add(l.name);
  const readsTime = (a: Ast): boolean => varsOf(a).some((v) => timed.has(v.name));
  /** x as A·t + B with record-level A and B (through kernel-level names defined so), else undefined. */
  type Linear = { readonly a: Ast; readonly b: Ast };
  const num = (v: number): Ast => ({ k: 'num', v });
  const isNum = (x: Ast, v: number): boolean => x.k === 'num' && x.v === v;
  const neg = (x: Ast): Ast => (x.k === 'num' ? num(-x.v) : { k: 'un', op: '-', a: x });
  const plus = (x: Ast, y: Ast): Ast => (isNum(x, 0) ? y : isNum(y, 0) ? x : { k: 'bin', op: '+', a: x, b: y });
  const minus = (x: Ast, y: Ast): Ast => (isNum(y, 0) ? x : { k: 'bin', op: '-', a: x, b: y });
  const times = (x: Ast, y: Ast): Ast => (isNum(x, 0) || isNum(y, 0) ? num(0) : isNum(x, 1) ? y : isNum(y, 1) ? x : { k: 'bin', op: '*', a: x, b: y });
  const over = (x: Ast, y: Ast): Ast => (isNum(x, 0) ? num(0) : isNum(y, 1) ? x : { k: 'bin', op: '/', a: x, b: y });
  const linear = (x: Ast, depth = 0): Linear | undefined => {
    if (depth > 50) return undefined;
    if (x.k === 'var') {
      if (x.name === 't') return { a: num(1), b: num(0) };
      const e = locals.get(x.name);
      return e ? linear(e, depth + 1) : undefined;
    }
    if (x.k === 'un' && x.op === '-') {
      const l = linear(x.a, depth + 1);
      return l && { a: neg(l.a), b: neg(l.b) };
    }
    if (x.k !== 'bin') return undefined;
    const l = readsTime(x.a) ? linear(x.a, depth + 1) : undefined;
    const r = readsTime(x.b) ? linear(x.b, depth + 1) : undefined;
    if (l && recordLevel(x.b)) {
      if (x.op === '+') return { a: l.a, b: plus(l.b, x.b) };
      if (x.op === '-') return { a: l.a, b: minus(l.b, x.b) };
      if (x.op === '*') return { a: times(l.a, x.b), b: times(l.b, x.b) };
      if (x.op === '/') return { a: over(l.a, x.b), b: over(l.b, x.b) };
    }
    if (r && recordLevel(x.a)) {
      if (x.op === '+') return { a: r.a, b: plus(x.a, r.b) };
      if (x.op === '-') return { a: neg(r.a), b: minus(x.a, r.b) };
      if (x.op === '*') return { a: times(x.a, r.a), b: times(x.a, r.b) };
    }
    return undefined;
  };
  /** The time at which A·t + B equals the record-level side (not finite where A is 0: no switch). */
  const at = (l: Linear, other: Ast): Ast => over(minus(other, l.b), l.a);
  const switches: Ast[] = [];
  const seen = new Set<string>();
  const add = (a: Ast): void => {
    const key = JSON.stringify(a, (k, v: unknown) => (k === 'at' ? undefined : v));
    if (!seen.has(key)) {
      seen.add(key);
      switches.push(a);
    }
  };
  // the coefficients and the other side, where computed: t / (K2 - 2) > 1 with K2 = 2 compared
  // t / 0 = +∞ with 1, so the input was on throughout (31.80 at 12 h for 9.07), while the switch
  // time (1 - 0) / (1 / 0) = 0 looked finite; P = 1 / (K2 - 2) as a parameter was refused
  const parts: TextModel['switchParts'][number][] = [];
  const partKeys = new Set<string>();
  const plain = (x: Ast): boolean => x.k === 'num' || x.k === 'var' || (x.k === 'un' && plain(x.a));
  const addParts = (cmp: Ast, l: Linear, other: Ast, at: number): void => {
    const where = `${src.file}:${src.position(at).line}`;
    for (const part of [l.a, l.b, other]) {
      if (plain(part)) continue;
      const key = `${where} ${JSON.stringify(part, (k, v: unknown) => (k === 'at' ? undefined : v))}`;
      if (partKeys.has(key)) continue;
      partKeys.add(key);
      parts.push({ where, comparison: showAst(cmp), part, shown: showAst(part) });
    }
  };
  let unresolved: number | undefined;
  const visit = (a: Ast): void => {
    if ((a.k === 'bin' && COMPARISONS.has(a.op)) || (a.k === 'call' && (a.fn === 'min' || a.fn === 'max') && a.args.length === 2)) {
      const [x, y] = a.k === 'bin' ? [a.a, a.b] : (a.args as [Ast, Ast]);
      if (readsTime(x) || readsTime(y)) {
        const sx = linear(x);
        const sy = linear(y);
        const pos = a.at ?? varsOf(a).find((v) => timed.has(v.name))?.at ?? 0;
        if (sx && recordLevel(y)) {
          add(at(sx, y));
          addParts(a, sx, y, pos);
        } else if (sy && recordLevel(x)) {
          add(at(sy, x));
          addParts(a, sy, x, pos);
        } else if (a.k === 'bin') unresolved ??= a.at ?? varsOf(a).find((v) => timed.has(v.name))?.at;
        // min/max of t and a compartment amount: a kink where they cross, which the error estimate holds
      }
    }
    if (a.k === 'call' && (a.fn === 'floor' || a.fn === 'ceil') && readsTime(a)) unresolved ??= a.at ?? varsOf(a).find((v) => timed.has(v.name))?.at;
    if (a.k === 'un') visit(a.a);
    else if (a.k === 'bin') [a.a, a.b].forEach(visit);
    else if (a.k === 'if') [a.c, a.a, a.b].forEach(visit);
    else if (a.k === 'call') a.args.forEach(visit);
  };
  for (const l of defs.locals) visit(l.expr);
  for (const e of defs.ddt.values()) visit(e);
  if (unresolved === undefined) return { switches, parts, warnings: [] };
  const { line, col } = src.position(unresolved);
  return {
    switches,
    parts,
    warnings: [
      `${src.file}:${line}:${col}: warning: the equations switch on t here at a time that is not a record-level quantity (a comparison of t with a compartment amount, of t·t or of abs(t - …); floor or ceil of t), which the solver cannot stop at: a step across it is held only by its error estimate, and an input shorter than a step can be stepped over whole. ` +
        'Compare t itself with a parameter, θ or number (t > TSTART, t - 24 < DUR), which the solver stops at, or give a time-limited input as a dose record (an infusion: AMT with RATE or DUR)',
    ],
  };
}

const PRECEDENCE: Readonly<Record<string, number>> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '^': 7 };

/** An expression as text, for messages (brackets only where the grouping needs them). */
function showAst(a: Ast, outer = 0): string {
  const wrap = (p: number, text: string): string => (p < outer ? `(${text})` : text);
  switch (a.k) {
    case 'num':
      return wrap(a.v < 0 ? 6 : 8, String(a.v));
    case 'var':
      return a.name;
    case 'un':
      return wrap(6, `${a.op}${showAst(a.a, 6)}`);
    case 'if':
      return `if(${showAst(a.c)}, ${showAst(a.a)}, ${showAst(a.b)})`;
    case 'call':
      return `${a.fn}(${a.args.map((x) => showAst(x)).join(', ')})`;
    case 'bin': {
      const p = PRECEDENCE[a.op] ?? 0;
      // left-associative but for ^ (right) and the comparisons (not chained)
      const [l, r] = a.op === '^' ? [p + 1, p] : p === 3 ? [p + 1, p + 1] : [p, p + 1];
      return wrap(p, `${showAst(a.a, l)} ${a.op} ${showAst(a.b, r)}`);
    }
  }
}

/** A warning of the text at source offset `at`, as the compiler prints it. */
function warningAt(src: SourceText, at: number, why: string): string {
  const { line, col } = src.position(at);
  return `${src.file}:${line}:${col}: warning: ${why}`;
}

/**
 * W_TIME_COVARIATE_IN_ODE: a d/dt that reads the covariate TIME, directly or through a kernel-level
 * intermediate. The record's TIME holds over the whole interval up to that record (NOCB), so the
 * solution depends on the sampling grid: d/dt(A) = −K·TIME·A gave 67.03 at 2 h with one record there,
 * 74.08 with records at 1 and 2 h, where a modeller meaning t expects 81.87. A record-level parameter
 * reading TIME (CL stepping down at 36 h) is the documented use for nomograms and is not warned of.
 */
function timeCovariateWarnings(src: SourceText, decl: Declarations, defs: Definitions): string[] {
  const time = Object.keys(decl.covariates).find((n) => n.toUpperCase() === 'TIME');
  if (time === undefined) return [];
  const reads = decl.states.flatMap((st) => {
    const v = withIntermediates(defs, defs.ddt.get(st) as Ast).flatMap(varsOf).find((x) => x.name === time);
    return v ? [{ st, at: v.at }] : [];
  });
  const first = reads[0];
  if (first === undefined) return [];
  const which = reads.map((r) => `d/dt(${r.st})`).join(', ');
  return [
    warningAt(src, first.at, `W_TIME_COVARIATE_IN_ODE: ${which} ${reads.length > 1 ? 'read' : 'reads'} the covariate ${time}, the record's TIME as a step (${decl.records.toUpperCase()}: constant between records), so the solution depends on where the records are; for continuous time use t`),
  ];
}

/**
 * Names nothing reads: usually a typo elsewhere. S<n> of a compartment is read by observation
 * records, not by equations; one that names no compartment (S3 of a 2-compartment text, S0, S02)
 * is read by nothing and was passed over in silence.
 */
function unusedNameWarnings(src: SourceText, stmts: readonly Stmt[], decl: Declarations, defs: Definitions): string[] {
  const read = new Set<string>();
  for (const s of stmts)
    if (s.k === 'assign' || s.k === 'ddt' || s.k === 'init' || s.k === 'modifier' || s.k === 'observe' || s.k === 'output') for (const v of varsOf(s.expr)) read.add(v.name);
  const warnings: string[] = [];
  const warn = (at: number, why: string): void => {
    warnings.push(warningAt(src, at, why));
  };
  // the occasion column of `iov … by OCC` is read by the occasions, not by an equation
  if (decl.occasion !== undefined) read.add((decl.occasion as Name).name);
  for (const [n, d] of decl.declared) if (d.level === 'input' && !read.has(n)) warn(d.at, `${d.what} ${n} is declared but never used`);
  const nStates = decl.states.length;
  for (const [n, d] of defs.defined) {
    if (read.has(n)) continue;
    const scale = /^S(\d+)$/.exec(n);
    if (!scale) warn(d.at, `${n} is defined but never used`);
    else if (n !== `S${Number(scale[1])}` || Number(scale[1]) < 1 || Number(scale[1]) > nStates)
      warn(d.at, `${n} is defined but never used: S<n> scales the levels of compartment n, written without leading zeros, and the compartments are 1 to ${nStates} (${decl.states.join(', ')})`);
  }
  return warnings;
}

function omegaMatrix(names: readonly string[], diag: ReadonlyMap<string, number>, blocks: readonly { ids: readonly Name[]; values: number[] }[]): number[][] {
  const n = names.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  names.forEach((e, i) => {
    const v = diag.get(e);
    if (v !== undefined) (m[i] as number[])[i] = v;
  });
  for (const b of blocks) {
    let k = 0;
    for (let r = 0; r < b.ids.length; r++)
      for (let c = 0; c <= r; c++) {
        const i = names.indexOf((b.ids[r] as Name).name);
        const j = names.indexOf((b.ids[c] as Name).name);
        const v = b.values[k++] as number;
        (m[i] as number[])[j] = v;
        (m[j] as number[])[i] = v;
      }
  }
  return m;
}
