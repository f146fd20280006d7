// A small, safe expression language for model files: arithmetic, ^, comparisons, && || !,
// c ? a : b, and a fixed set of functions. Parsed once into an AST and compiled over numbered
// variable slots, so a million evaluations cost no parsing. The compiled form is JS source generated
// from the AST (slot numbers, operators, Math's functions; constants passed in as an array), never
// the text the user wrote; where a page forbids generated code, closures do the same arithmetic.

import { Errors } from '../errors.js';
import { shownCharacter } from './character-name.js';

/** `at`: offset of the name, function or operator in the parsed text (for error messages). */
export type Ast =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'var'; readonly name: string; readonly at?: number }
  | { readonly k: 'un'; readonly op: '-' | '!'; readonly a: Ast }
  | { readonly k: 'bin'; readonly op: string; readonly a: Ast; readonly b: Ast; readonly at?: number }
  | { readonly k: 'if'; readonly c: Ast; readonly a: Ast; readonly b: Ast }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Ast[]; readonly at?: number };

const FUNCTIONS: Readonly<Record<string, { arity: number; f: (...x: number[]) => number }>> = {
  exp: { arity: 1, f: Math.exp },
  log: { arity: 1, f: Math.log },
  ln: { arity: 1, f: Math.log },
  log10: { arity: 1, f: Math.log10 },
  sqrt: { arity: 1, f: Math.sqrt },
  abs: { arity: 1, f: Math.abs },
  floor: { arity: 1, f: Math.floor },
  ceil: { arity: 1, f: Math.ceil },
  min: { arity: 2, f: Math.min },
  max: { arity: 2, f: Math.max },
  pow: { arity: 2, f: Math.pow },
};

const TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|==|!=|<=|>=|&&|\|\||[-+*/^(),?:<>!]))/y;

export interface Tok {
  readonly t: 'num' | 'id' | 'op' | 'end';
  readonly s: string;
  readonly at: number;
}

function tokenize(src: string, path?: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) {
      const at = pos + (src.slice(pos).length - src.slice(pos).trimStart().length);
      throw Errors.expression(src, at, `unexpected character ${shownCharacter(src, at)}`, path);
    }
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    if (m[1] !== undefined) out.push({ t: 'num', s: m[1], at });
    else if (m[2] !== undefined) out.push({ t: 'id', s: m[2], at });
    else out.push({ t: 'op', s: m[3] === '**' ? '^' : (m[3] as string), at });
    pos = TOKEN.lastIndex;
  }
  out.push({ t: 'end', s: '', at: src.length });
  return out;
}

/** Tokens as the expression grammar reads them; the model text parser supplies its own stream. */
export interface TokenStream {
  peek(): Tok;
  next(): Tok;
  /** Throws the caller's error for a problem at token offset `at`. */
  fail(at: number, why: string): never;
}

export const FUNCTION_NAMES: readonly string[] = ['if', ...Object.keys(FUNCTIONS)];

/**
 * Deepest expression accepted, in levels of nesting (brackets, operators, function calls). Parsing,
 * compiling and evaluating recurse once per level: a tree far deeper than any model formula (e.g.
 * 20,000 nested brackets, or a sum of 20,000 terms) would exhaust the stack, so it is refused.
 */
export const MAX_EXPRESSION_DEPTH = 500;

/** The expression grammar over a token stream; stops before the first token that cannot continue it. */
/** A name or a number as written, for a message; undefined for anything longer. */
const simpleText = (a: Ast): string | undefined => (a.k === 'var' ? a.name : a.k === 'num' ? String(a.v) : undefined);

const ORDER = new Set(['<', '<=', '>', '>=']);

/**
 * Why `a op b op2 c` is refused, and what to write. Two orderings are a range (1 < A < 3: write 1 <
 * A && A < 3). With == or != the range's form was the advice too, and `A == 2 == 1` was told "write A
 * == 2 && 2 == 1", always 0, where brackets say what was meant, (A == 2) == 1; the && form is offered
 * only where it can hold, its last operand not a literal truth value (0, 1) nor both operands numbers.
 */
function chainWhy(op: string, op2: string, a: Ast, b: Ast, last: string | undefined): string {
  const [x, y] = [simpleText(a), simpleText(b)];
  const named = x !== undefined && y !== undefined && last !== undefined;
  const [ta, tb, tc] = named ? [x, y, last] : ['a', 'b', 'c'];
  const why = `comparisons do not chain (each reads 1 or 0, so "a ${op} b ${op2} c" compares a ${op} b with c)`;
  if (ORDER.has(op) && ORDER.has(op2)) return `${why}: write ${ta} ${op} ${tb} && ${tb} ${op2} ${tc}`;
  const bracketed = `to compare the 1 or 0 of ${ta} ${op} ${tb} with ${tc}, write (${ta} ${op} ${tb}) ${op2} ${tc}`;
  const truthValue = last === '0' || last === '1';
  const constant = b.k === 'num' && last !== undefined && Number.isFinite(Number(last));
  return named && (truthValue || constant) ? `${why}: ${bracketed}` : `${why}: ${bracketed}; for both comparisons to hold, ${ta} ${op} ${tb} && ${tb} ${op2} ${tc}`;
}

/** Functions a circadian model reaches for, which the language does not have (not done: each engine tier would need them, bit-equal). */
const TRIGONOMETRIC = new Set(['sin', 'cos', 'tan']);
const TRIG_HINT =
  '; sin and cos are not in the language (yet): in a model text, a rhythm in t can be written as an oscillator pair, compartment OSC, OSS with init(OSC) = 1, d/dt(OSC) = -W * OSS, d/dt(OSS) = W * OSC (OSC follows cos(W * t) and OSS sin(W * t) to the solver\'s tolerance, from the subject\'s first record: give it one at TIME 0)';

export function parseExpressionFrom(ts: TokenStream): Ast {
  const peek = ts.peek;
  const fail = (why: string): never => ts.fail(peek().at, why);
  const tooDeep = `nested more than ${MAX_EXPRESSION_DEPTH} levels deep; split it into intermediate parameters`;
  // depth of every subtree built (left-associative chains deepen the tree without recursing)
  const depthOf = new WeakMap<Ast, number>();
  const node = <T extends Ast>(n: T, ...kids: Ast[]): T => {
    let d = 0;
    for (const k of kids) d = Math.max(d, depthOf.get(k) ?? 1);
    if (d + 1 > MAX_EXPRESSION_DEPTH) fail(tooDeep);
    depthOf.set(n, d + 1);
    return n;
  };
  // recursion of the parser itself (brackets, prefix operators, conditionals)
  let nesting = 0;
  const nested = <T>(f: () => T): T => {
    if (++nesting > MAX_EXPRESSION_DEPTH) fail(tooDeep);
    try {
      return f();
    } finally {
      nesting--;
    }
  };
  const eat = (s: string): Tok | undefined => {
    const t = peek();
    if (t.t === 'op' && t.s === s) return ts.next();
    return undefined;
  };
  const expect = (s: string): void => {
    if (!eat(s)) fail(`expected "${s}"${peek().t === 'end' ? ' before the end' : ` but found "${peek().s}"`}`);
  };
  const ternary = (): Ast =>
    nested(() => {
      const c = or();
      if (eat('?')) {
        const a = ternary();
        expect(':');
        const b = ternary();
        return node({ k: 'if', c, a, b }, c, a, b);
      }
      return c;
    });
  const binary = (op: string, a: Ast, b: Ast, at: number): Ast => node({ k: 'bin', op, a, b, at }, a, b);
  const or = (): Ast => {
    let a = and();
    for (let t = eat('||'); t; t = eat('||')) a = binary('||', a, and(), t.at);
    return a;
  };
  const and = (): Ast => {
    let a = cmp();
    for (let t = eat('&&'); t; t = eat('&&')) a = binary('&&', a, cmp(), t.at);
    return a;
  };
  const CMP = ['==', '!=', '<=', '>=', '<', '>'];
  const cmp = (): Ast => {
    const a = add();
    for (const op of CMP) {
      const t = eat(op);
      if (!t) continue;
      const b = add();
      // `1 < A < 3` reads (1 < A) < 3, always 1: a model text refused it as a second statement
      // ("one statement per line"), an expression as an unexpected "<"
      const next = peek();
      if (next.t === 'op' && CMP.includes(next.s)) {
        ts.next();
        let last: string | undefined;
        try {
          last = simpleText(add());
        } catch {
          // the chain is the first thing wrong there: said, whatever follows
        }
        ts.fail(next.at, chainWhy(op, next.s, a, b, last));
      }
      return binary(op, a, b, t.at);
    }
    return a;
  };
  const add = (): Ast => {
    let a = mul();
    for (;;) {
      const t = eat('+') ?? eat('-');
      if (!t) return a;
      a = binary(t.s, a, mul(), t.at);
    }
  };
  const mul = (): Ast => {
    let a = unary();
    for (;;) {
      const t = eat('*') ?? eat('/');
      if (!t) return a;
      a = binary(t.s, a, unary(), t.at);
    }
  };
  // prefix operators in a loop, not by recursion: a run of them deepens the tree, not the stack
  const unary = (): Ast => {
    const ops: ('-' | '!')[] = [];
    for (;;) {
      if (eat('-')) ops.push('-');
      else if (eat('!')) ops.push('!');
      else if (!eat('+')) break;
    }
    let a = power();
    for (let i = ops.length - 1; i >= 0; i--) a = node({ k: 'un', op: ops[i] as '-' | '!', a }, a);
    return a;
  };
  // right-associative, binds tighter than unary minus on its left: -2^2 = -(2^2), as in maths
  const power = (): Ast => {
    const a = primary();
    const t = eat('^');
    if (t) return binary('^', a, nested(unary), t.at);
    return a;
  };
  const primary = (): Ast => {
    const t = peek();
    if (t.t === 'num') {
      ts.next();
      const v = Number(t.s);
      if (!Number.isFinite(v)) ts.fail(t.at, `number ${t.s} is out of range`);
      return { k: 'num', v };
    }
    if (t.t === 'id') {
      ts.next();
      if (eat('(')) {
        const args: Ast[] = [];
        if (!eat(')')) {
          do args.push(ternary());
          while (eat(','));
          expect(')');
        }
        if (t.s === 'if') {
          if (args.length !== 3) ts.fail(t.at, 'if(condition, then, else) takes 3 arguments');
          return node({ k: 'if', c: args[0] as Ast, a: args[1] as Ast, b: args[2] as Ast }, ...args);
        }
        const fn = FUNCTIONS[t.s];
        if (!fn) return ts.fail(t.at, `unknown function ${t.s} (known: if, ${Object.keys(FUNCTIONS).join(', ')})${TRIGONOMETRIC.has(t.s) ? TRIG_HINT : ''}`);
        if (fn.arity !== args.length) ts.fail(t.at, `${t.s} takes ${fn.arity} argument(s), got ${args.length}`);
        return node({ k: 'call', fn: t.s, args, at: t.at }, ...args);
      }
      return { k: 'var', name: t.s, at: t.at };
    }
    if (eat('(')) {
      const e = ternary();
      expect(')');
      return e;
    }
    return fail(t.t === 'end' ? 'unexpected end' : `unexpected "${t.s}"`);
  };
  return ternary();
}

/** Parses an expression; errors name the position and, when given, the model-file path. */
export function parseExpression(src: string, path?: string): Ast {
  const toks = tokenize(src, path);
  let i = 0;
  const ts: TokenStream = {
    peek: () => toks[i] as Tok,
    next: () => toks[i++] as Tok,
    fail: (at, why) => {
      throw Errors.expression(src, at, why, path);
    },
  };
  const ast = parseExpressionFrom(ts);
  if (ts.peek().t !== 'end') ts.fail(ts.peek().at, `unexpected "${ts.peek().s}"`);
  return ast;
}

/** Calls `visit` on every variable node, left to right (the one tree walk of names). */
export function forEachVariable(ast: Ast, visit: (v: Ast & { k: 'var' }) => void): void {
  switch (ast.k) {
    case 'var':
      visit(ast);
      break;
    case 'un':
      forEachVariable(ast.a, visit);
      break;
    case 'bin':
      forEachVariable(ast.a, visit);
      forEachVariable(ast.b, visit);
      break;
    case 'if':
      forEachVariable(ast.c, visit);
      forEachVariable(ast.a, visit);
      forEachVariable(ast.b, visit);
      break;
    case 'call':
      for (const a of ast.args) forEachVariable(a, visit);
      break;
    case 'num':
      break;
  }
}

/** Names of the variables an expression reads. */
export function identifiers(ast: Ast, into: Set<string> = new Set()): Set<string> {
  forEachVariable(ast, (v) => into.add(v.name));
  return into;
}

export type Compiled = (v: ArrayLike<number>) => number;

/** Compiles to a function reading variable `name` from `v[slot(name)]`. */
export function compileExpression(ast: Ast, slot: (name: string) => number): Compiled {
  if (codegenAllowed()) {
    const K: number[] = [];
    const src = emit(ast, slot, K);
    if (src !== undefined) return generated(`return (v) => ${src};`)(K) as Compiled;
  }
  return closureOf(ast, slot);
}

/** One assignment per step, in order: v[s] = expression (later steps read the slots earlier ones wrote). */
export type Program = (v: Float64Array) => void;

/**
 * Compiles a sequence of assignments into one function: a model's parameters in evaluation order.
 * The same operations in the same order as compileExpression's functions called one after the
 * other, so the same doubles; one call instead of one per parameter (and per node).
 */
export function compileProgram(steps: readonly { readonly s: number; readonly ast: Ast }[], slot: (name: string) => number): Program {
  if (codegenAllowed()) {
    const K: number[] = [];
    const lines: string[] = [];
    for (const { s, ast } of steps) {
      const src = emit(ast, slot, K);
      if (src === undefined) break;
      lines.push(`v[${s}] = ${src};`);
    }
    if (lines.length === steps.length) return generated(`return (v) => {\n${lines.join('\n')}\n};`)(K) as Program;
  }
  const fs = steps.map(({ s, ast }) => ({ s, f: closureOf(ast, slot) }));
  return (v) => {
    for (const c of fs) v[c.s] = c.f(v);
  };
}

// Generated source. An evaluation through nested closures returns each node's double boxed (a
// heap number per node per call: ~200 bytes of garbage per model evaluation, which the
// population, MAP and replicate loops make millions of times); straight-line code keeps them in
// registers. The source is generated from the AST alone: slot numbers, operators, Math's
// functions, and constants passed in as an array (never text the user wrote).

let codegen: boolean | undefined;

/** Whether this realm runs generated code (a page whose Content-Security-Policy forbids it gets the closures). */
function codegenAllowed(): boolean {
  if (codegen === undefined) {
    try {
      codegen = (new Function('return 1') as () => number)() === 1;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}

/**
 * The factory of a generated body, made once per body: models of the same form (the model of each
 * run, re-read by every worker) share the function's code and what the JIT made of it; only their
 * constants K differ.
 */
const factories = new Map<string, (K: readonly number[]) => unknown>();
function generated(body: string): (K: readonly number[]) => unknown {
  let f = factories.get(body);
  if (!f) {
    f = new Function('K', `"use strict"; ${body}`) as (K: readonly number[]) => unknown;
    if (factories.size >= 256) factories.clear();
    factories.set(body, f);
  }
  return f;
}

/** Math's own name of each function FUNCTIONS holds. */
const MATH_NAMES: ReadonlyMap<unknown, string> = new Map(
  Object.getOwnPropertyNames(Math)
    .filter((k) => typeof (Math as unknown as Record<string, unknown>)[k] === 'function')
    .map((k) => [(Math as unknown as Record<string, unknown>)[k], k]),
);

const BINARY: Readonly<Record<string, (a: string, b: string) => string>> = {
  '+': (a, b) => `(${a} + ${b})`,
  '-': (a, b) => `(${a} - ${b})`,
  '*': (a, b) => `(${a} * ${b})`,
  '/': (a, b) => `(${a} / ${b})`,
  '^': (a, b) => `Math.pow(${a}, ${b})`,
  '==': (a, b) => `(${a} === ${b} ? 1 : 0)`,
  '!=': (a, b) => `(${a} !== ${b} ? 1 : 0)`,
  '<': (a, b) => `(${a} < ${b} ? 1 : 0)`,
  '<=': (a, b) => `(${a} <= ${b} ? 1 : 0)`,
  '>': (a, b) => `(${a} > ${b} ? 1 : 0)`,
  '>=': (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  '&&': (a, b) => `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`,
  '||': (a, b) => `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`,
};

/** JS source of `ast` over v[slot], or undefined where a function is not one of Math's. */
function emit(ast: Ast, slot: (name: string) => number, K: number[]): string | undefined {
  switch (ast.k) {
    case 'num':
      return `K[${K.push(ast.v) - 1}]`;
    case 'var': {
      const s = slot(ast.name);
      return Number.isInteger(s) && s >= 0 ? `v[${s}]` : undefined;
    }
    case 'un': {
      const a = emit(ast.a, slot, K);
      if (a === undefined) return undefined;
      return ast.op === '-' ? `(-${a})` : `(${a} === 0 ? 1 : 0)`;
    }
    case 'if': {
      const c = emit(ast.c, slot, K);
      const a = emit(ast.a, slot, K);
      const b = emit(ast.b, slot, K);
      return c === undefined || a === undefined || b === undefined ? undefined : `(${c} !== 0 ? ${a} : ${b})`;
    }
    case 'call': {
      const name = MATH_NAMES.get((FUNCTIONS[ast.fn] as { f: unknown } | undefined)?.f);
      const args = ast.args.map((x) => emit(x, slot, K));
      if (name === undefined || args.some((x) => x === undefined) || args.length < 1 || args.length > 2) return undefined;
      return `Math.${name}(${args.join(', ')})`;
    }
    case 'bin': {
      const a = emit(ast.a, slot, K);
      const b = emit(ast.b, slot, K);
      if (a === undefined || b === undefined) return undefined;
      return (BINARY[ast.op] ?? BINARY['||'] as (a: string, b: string) => string)(a, b);
    }
  }
}

/** The closures: where generated code is not allowed. */
function closureOf(ast: Ast, slot: (name: string) => number): Compiled {
  switch (ast.k) {
    case 'num': {
      const c = ast.v;
      return () => c;
    }
    case 'var': {
      const s = slot(ast.name);
      return (v) => v[s] as number;
    }
    case 'un': {
      const a = closureOf(ast.a, slot);
      return ast.op === '-' ? (v) => -a(v) : (v) => (a(v) === 0 ? 1 : 0);
    }
    case 'if': {
      const c = closureOf(ast.c, slot);
      const a = closureOf(ast.a, slot);
      const b = closureOf(ast.b, slot);
      return (v) => (c(v) !== 0 ? a(v) : b(v));
    }
    case 'call': {
      const f = (FUNCTIONS[ast.fn] as { f: (...x: number[]) => number }).f;
      const args = ast.args.map((x) => closureOf(x, slot));
      if (args.length === 1) {
        const a = args[0] as Compiled;
        return (v) => f(a(v));
      }
      const a = args[0] as Compiled;
      const b = args[1] as Compiled;
      return (v) => f(a(v), b(v));
    }
    case 'bin': {
      const a = closureOf(ast.a, slot);
      const b = closureOf(ast.b, slot);
      switch (ast.op) {
        case '+':
          return (v) => a(v) + b(v);
        case '-':
          return (v) => a(v) - b(v);
        case '*':
          return (v) => a(v) * b(v);
        case '/':
          return (v) => a(v) / b(v);
        case '^':
          return (v) => Math.pow(a(v), b(v));
        case '==':
          return (v) => (a(v) === b(v) ? 1 : 0);
        case '!=':
          return (v) => (a(v) !== b(v) ? 1 : 0);
        case '<':
          return (v) => (a(v) < b(v) ? 1 : 0);
        case '<=':
          return (v) => (a(v) <= b(v) ? 1 : 0);
        case '>':
          return (v) => (a(v) > b(v) ? 1 : 0);
        case '>=':
          return (v) => (a(v) >= b(v) ? 1 : 0);
        case '&&':
          return (v) => (a(v) !== 0 && b(v) !== 0 ? 1 : 0);
        default:
          return (v) => (a(v) !== 0 || b(v) !== 0 ? 1 : 0);
      }
    }
  }
}

/** For tests: the closures whatever the realm allows (the two must give the same doubles). */
export function compileClosures(ast: Ast, slot: (name: string) => number): Compiled {
  return closureOf(ast, slot);
}
