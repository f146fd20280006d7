// Prints a kernel program as assembly/models/user.ts. Only generated names (y0, p0, u0, d0_u0, t)
// and numbers printed from parsed values reach the output: no text of the model is copied into
// the code, so a model text cannot inject AssemblyScript (or anything else) into what is compiled.

import { userSlot, userStride } from '../../abi.js';
import type { Ast } from '../expression.js';
import type { KernelProgram, Program } from './kernel.js';
import { variables } from './kernel.js';

const SAFE_NAME = /^(?:[ypu]\d+|d(?:\d+|t)_u\d+|t)$/;

export function f64Literal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '(-Infinity)';
  if (v < 0 || Object.is(v, -0)) return `(-${f64Literal(-v)})`;
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const MATH: Readonly<Record<string, string>> = {
  exp: 'Math.exp',
  log: 'Math.log',
  ln: 'Math.log',
  log10: 'Math.log10',
  sqrt: 'Math.sqrt',
  abs: 'Math.abs',
  floor: 'Math.floor',
  ceil: 'Math.ceil',
  min: 'Math.min',
  max: 'Math.max',
  pow: 'Math.pow',
};
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function asExpression(a: Ast): string {
  switch (a.k) {
    case 'num':
      return f64Literal(a.v);
    case 'var':
      if (!SAFE_NAME.test(a.name)) throw new Error(`internal: unexpected name in kernel code: ${a.name}`);
      return a.name;
    case 'un':
      return a.op === '-' ? `(-${asExpression(a.a)})` : `(${asExpression(a.a)} == 0.0 ? 1.0 : 0.0)`;
    case 'if':
      return `(${asExpression(a.c)} != 0.0 ? ${asExpression(a.a)} : ${asExpression(a.b)})`;
    case 'call': {
      const fn = MATH[a.fn];
      if (!fn) throw new Error(`internal: unexpected function in kernel code: ${a.fn}`);
      return `${fn}(${a.args.map(asExpression).join(', ')})`;
    }
    case 'bin': {
      const x = asExpression(a.a);
      const y = asExpression(a.b);
      if (a.op === '^') {
        if (a.b.k === 'num' && a.b.v === 2 && a.a.k === 'var') return `(${x} * ${x})`;
        return `Math.pow(${x}, ${y})`;
      }
      if (COMPARE.has(a.op)) return `(${x} ${a.op} ${y} ? 1.0 : 0.0)`;
      if (a.op === '&&') return `(${x} != 0.0 && ${y} != 0.0 ? 1.0 : 0.0)`;
      if (a.op === '||') return `(${x} != 0.0 || ${y} != 0.0 ? 1.0 : 0.0)`;
      if (a.op === '+' || a.op === '-' || a.op === '*' || a.op === '/') return `(${x} ${a.op} ${y})`;
      throw new Error(`internal: unexpected operator in kernel code: ${a.op}`);
    }
  }
}

// the same expressions for two subjects at once, one f64x2 lane each (assembly/models/pair.ts): each
// lane does the scalar code's operations in its order, so its value is bitwise the scalar code's;
// functions without a SIMD instruction go lane by lane (assembly/models/lanewise.ts), and a
// conditional evaluates both branches and selects per lane
const MATH_X2: Readonly<Record<string, string>> = {
  exp: 'expX2',
  log: 'logX2',
  ln: 'logX2',
  log10: 'log10X2',
  sqrt: 'f64x2.sqrt',
  abs: 'f64x2.abs',
  floor: 'f64x2.floor',
  ceil: 'f64x2.ceil',
  min: 'f64x2.min',
  max: 'f64x2.max',
  pow: 'powX2',
};
const COMPARE_X2: Readonly<Record<string, string>> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const ARITH_X2: Readonly<Record<string, string>> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };
const ZERO_X2 = 'f64x2.splat(0.0)';

export function asPairExpression(a: Ast): string {
  switch (a.k) {
    case 'num':
      return `f64x2.splat(${f64Literal(a.v)})`;
    case 'var':
      if (!SAFE_NAME.test(a.name)) throw new Error(`internal: unexpected name in kernel code: ${a.name}`);
      return a.name;
    case 'un':
      return a.op === '-' ? `f64x2.neg(${asPairExpression(a.a)})` : `truthX2(f64x2.eq(${asPairExpression(a.a)}, ${ZERO_X2}))`;
    case 'if':
      return `v128.bitselect(${asPairExpression(a.a)}, ${asPairExpression(a.b)}, f64x2.ne(${asPairExpression(a.c)}, ${ZERO_X2}))`;
    case 'call': {
      const fn = MATH_X2[a.fn];
      if (!fn) throw new Error(`internal: unexpected function in kernel code: ${a.fn}`);
      return `${fn}(${a.args.map(asPairExpression).join(', ')})`;
    }
    case 'bin': {
      const x = asPairExpression(a.a);
      const y = asPairExpression(a.b);
      if (a.op === '^') {
        if (a.b.k === 'num' && a.b.v === 2 && a.a.k === 'var') return `f64x2.mul(${x}, ${x})`;
        return `powX2(${x}, ${y})`;
      }
      const cmp = COMPARE_X2[a.op];
      if (cmp) return `truthX2(f64x2.${cmp}(${x}, ${y}))`;
      if (a.op === '&&') return `truthX2(v128.and(f64x2.ne(${x}, ${ZERO_X2}), f64x2.ne(${y}, ${ZERO_X2})))`;
      if (a.op === '||') return `truthX2(v128.or(f64x2.ne(${x}, ${ZERO_X2}), f64x2.ne(${y}, ${ZERO_X2})))`;
      const op = ARITH_X2[a.op];
      if (op) return `f64x2.${op}(${x}, ${y})`;
      throw new Error(`internal: unexpected operator in kernel code: ${a.op}`);
    }
  }
}

/** body() for two subjects: states and parameter slots interleaved (element i at 16·i), values v128. */
function pairBody(prog: Program, ptr: string): string {
  const used = new Set<string>();
  for (const l of prog.locals) variables(l.expr, used);
  for (const o of prog.out) variables(o, used);
  const lines: string[] = [];
  if (used.has('t')) lines.push('  const t = f64x2.replace_lane(f64x2.splat(tA), 1, tB);');
  const loads = [...used].filter((v) => /^[yp]\d+$/.test(v)).sort();
  for (const v of loads) lines.push(`  const ${v} = v128.load(${v[0]}, ${(v[0] === 'p' ? userSlot(Number(v.slice(1))) : Number(v.slice(1))) * 16});`);
  for (const l of prog.locals) lines.push(`  const ${l.id}: v128 = ${asPairExpression(l.expr)};`);
  prog.out.forEach((o, i) => lines.push(`  v128.store(${ptr}, ${asPairExpression(o)}, ${i * 16});`));
  return lines.join('\n');
}

/** Loads of the states and slots a program reads, its locals, then `emit(i, code)` per output. */
function body(prog: Program, emit: (i: number, code: string) => string | undefined, skipZero: boolean): string {
  const used = new Set<string>();
  for (const l of prog.locals) variables(l.expr, used);
  for (const o of prog.out) variables(o, used);
  const lines: string[] = [];
  const loads = [...used].filter((v) => /^[yp]\d+$/.test(v)).sort();
  for (const v of loads) lines.push(`  const ${v} = load<f64>(${v[0]}, ${(v[0] === 'p' ? userSlot(Number(v.slice(1))) : Number(v.slice(1))) * 8});`);
  for (const l of prog.locals) lines.push(`  const ${l.id}: f64 = ${asExpression(l.expr)};`);
  prog.out.forEach((o, i) => {
    if (skipZero && o.k === 'num' && o.v === 0) return;
    const line = emit(i, asExpression(o));
    if (line) lines.push(line);
  });
  return lines.join('\n');
}

/** The AssemblyScript source of assembly/models/user.ts for one model. `id` only labels the file. */
export function generateKernelSource(k: KernelProgram, id: string): string {
  const n = k.nStates;
  const store = (ptr: string) => (i: number, code: string) => `  store<f64>(${ptr}, ${code}, ${i * 8});`;
  const inWindow = (...ts: string[]): string[] => (k.dt ? ts.map((t) => `  ${t} = windowTime(${t});`) : []);
  return [
    `// Generated by dosewise from a model text (kernel ${/^[0-9a-f]+$/.test(id) ? id : 'unnamed'}): do not edit.`,
    '// See assembly/models/user.ts for the contract.',
    '',
    'import { expX2, logX2, log10X2, powX2, truthX2 } from "./lanewise";',
    // equations that read t read it inside the segment being integrated (assembly/models/window.ts)
    ...(k.dt ? ['import { windowTime } from "./window";'] : []),
    '',
    `export const USER_STATES: i32 = ${n};`,
    `export const USER_PAR_STRIDE: i32 = ${userStride(k.nInputs)};`,
    `export const USER_LINEAR: bool = ${k.linear ? 'true' : 'false'};`,
    'export const USER_PAIR: bool = true;',
    '',
    '// @ts-ignore: decorator',
    `@inline export function userStates(): i32 { return ${n}; }`,
    '// @ts-ignore: decorator',
    `@inline export function userAutonomous(): bool { return ${k.dt ? 'false' : 'true'}; }`,
    '// @ts-ignore: decorator',
    `@inline export function userLinear(): bool { return ${k.linear ? 'true' : 'false'}; }`,
    '// @ts-ignore: decorator',
    `@inline export function userSmooth(): bool { return ${k.smooth ? 'true' : 'false'}; }`,
    '// @ts-ignore: decorator',
    `@inline export function userHeld(i: i32): bool { return ${k.held.length ? k.held.map((i) => `i == ${i}`).join(' || ') : 'false'}; }`,
    '',
    'export function userRhs(t: f64, y: usize, p: usize, dy: usize): void {',
    ...inWindow('t'),
    body(k.rhs, store('dy'), false),
    '}',
    '',
    'export function userRhsPair(tA: f64, tB: f64, y: usize, p: usize, dy: usize): void {',
    ...inWindow('tA', 'tB'),
    pairBody(k.rhs, 'dy'),
    '}',
    '',
    '// J is zeroed by the caller: only the non-zero entries are stored',
    'export function userJac(t: f64, y: usize, p: usize, J: usize): void {',
    ...inWindow('t'),
    body(k.jac, store('J'), true),
    '}',
    '',
    'export function userDt(t: f64, y: usize, p: usize, ft: usize): void {',
    ...inWindow('t'),
    k.dt ? body(k.dt, store('ft'), false) : Array.from({ length: n }, (_, i) => `  store<f64>(ft, 0.0, ${i * 8});`).join('\n'),
    '}',
    '',
    '// y is zeroed by the caller',
    'export function userInit(p: usize, y: usize): void {',
    body(k.init, store('y'), true),
    '}',
    '',
    'export function userObserve(y: usize, p: usize): f64 {',
    body(k.observe, (_i, code) => `  return ${code};`, false),
    '}',
    '',
  ].join('\n');
}
