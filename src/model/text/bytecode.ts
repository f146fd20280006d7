// A kernel program as register code for the shipped engine's interpreter (assembly/models/program.ts):
// the tier of a model text that runs at once, without compiling the engine again. Every node becomes
// the operation codegen.ts prints for it (same operator, same Math function, the same x*x for a
// variable squared), so the interpreted and the compiled kernel compute bitwise-equal values.
// Only kernels that fit the shipped engine get code: at most MAX_INTERPRETED_STATES states (4 when
// linear, the exact propagation's buffers), 13 per-record values, and the code buffers' sizes.

import { PROGRAM_CODE_WORDS, PROGRAM_CONSTANTS, PROGRAM_REGISTERS, ProgramOp as Op, USER_PARAM_SLOTS } from '../../abi.generated.js';
import type { Ast } from '../expression.js';
import type { KernelProgram, Program } from './kernel.js';

export const MAX_INTERPRETED_STATES = 6;
export const MAX_INTERPRETED_LINEAR_STATES = 4;
/** KernelCode.flags: f has no switch on the states or t (assembly/models/program.ts: programSmooth). */
const SMOOTH_FLAG = 1 << 30;

type Op = (typeof Op)[keyof typeof Op];

const BIN: Readonly<Record<string, Op>> = {
  '+': Op.Add, '-': Op.Sub, '*': Op.Mul, '/': Op.Div,
  '==': Op.Eq, '!=': Op.Ne, '<': Op.Lt, '<=': Op.Le, '>': Op.Gt, '>=': Op.Ge, '&&': Op.And, '||': Op.Or,
};
const CALL: Readonly<Record<string, readonly [Op, number]>> = {
  exp: [Op.Exp, 1], log: [Op.Log, 1], ln: [Op.Log, 1], log10: [Op.Log10, 1], sqrt: [Op.Sqrt, 1],
  abs: [Op.Abs, 1], floor: [Op.Floor, 1], ceil: [Op.Ceil, 1], min: [Op.Min, 2], max: [Op.Max, 2], pow: [Op.Pow, 2],
};

/** A kernel's interpreted form: what assembly/models/program.ts loads. */
export interface KernelCode {
  readonly nStates: number;
  /**
   * Bit 0: f does not read t; bit 1: f is linear in the states (exact propagation); bit 2 + i: state i
   * is a held amount (i < 6); bit 30: f has no switch on the states or t (KernelProgram.smooth).
   */
  readonly flags: number;
  /** First word of the rhs, jac, dt, init and observe programs. */
  readonly starts: Int32Array;
  /** 5 words per instruction: op, dst, a, b, c. */
  readonly code: Int32Array;
  readonly constants: Float64Array;
}

class TooLarge extends Error {}

class Emitter {
  readonly words: number[] = [];
  readonly constants: number[] = [];
  readonly #constIndex = new Map<string, number>();
  #regs = new Map<string, number>();
  #next = 0;

  begin(): number {
    this.#regs = new Map();
    this.#next = 0;
    return this.words.length;
  }

  #op(op: Op, d: number, a = 0, b = 0, c = 0): void {
    if (this.words.length + 5 > PROGRAM_CODE_WORDS) throw new TooLarge();
    this.words.push(op, d, a, b, c);
  }

  #reg(): number {
    if (this.#next >= PROGRAM_REGISTERS) throw new TooLarge();
    return this.#next++;
  }

  #constant(v: number): number {
    // keyed by bits: -0 and 0 (and NaN payloads) stay distinct
    const key = Object.is(v, -0) ? '-0' : String(v);
    let k = this.#constIndex.get(key);
    if (k === undefined) {
      if (this.constants.length >= PROGRAM_CONSTANTS) throw new TooLarge();
      k = this.constants.length;
      this.constants.push(v);
      this.#constIndex.set(key, k);
    }
    const d = this.#reg();
    this.#op(Op.Const, d, k);
    return d;
  }

  /** The register holding a generated name (a state, a per-record value, t or a local). */
  #variable(name: string): number {
    const have = this.#regs.get(name);
    if (have !== undefined) return have;
    const d = this.#reg();
    if (name === 't') this.#op(Op.LoadT, d);
    else if (/^y\d+$/.test(name)) this.#op(Op.LoadY, d, Number(name.slice(1)));
    else if (/^p\d+$/.test(name)) {
      const i = Number(name.slice(1));
      if (i >= USER_PARAM_SLOTS) throw new TooLarge();
      this.#op(Op.LoadP, d, i);
    } else throw new Error(`internal: unknown name in kernel code: ${name}`);
    this.#regs.set(name, d);
    return d;
  }

  expression(a: Ast): number {
    switch (a.k) {
      case 'num':
        return this.#constant(a.v);
      case 'var':
        return this.#variable(a.name);
      case 'un': {
        const x = this.expression(a.a);
        const d = this.#reg();
        this.#op(a.op === '-' ? Op.Neg : Op.Not, d, x);
        return d;
      }
      case 'if': {
        const c = this.expression(a.c);
        const x = this.expression(a.a);
        const y = this.expression(a.b);
        const d = this.#reg();
        this.#op(Op.Select, d, c, x, y);
        return d;
      }
      case 'call': {
        const f = CALL[a.fn];
        if (!f || a.args.length !== f[1]) throw new Error(`internal: unexpected function in kernel code: ${a.fn}/${a.args.length}`);
        const x = this.expression(a.args[0] as Ast);
        const y = f[1] === 2 ? this.expression(a.args[1] as Ast) : 0;
        const d = this.#reg();
        this.#op(f[0], d, x, y);
        return d;
      }
      case 'bin': {
        // codegen prints a variable squared as (x * x), anything else to a power as Math.pow
        if (a.op === '^' && a.b.k === 'num' && a.b.v === 2 && a.a.k === 'var') {
          const x = this.expression(a.a);
          const d = this.#reg();
          this.#op(Op.Square, d, x);
          return d;
        }
        const op = a.op === '^' ? Op.Pow : BIN[a.op];
        if (op === undefined) throw new Error(`internal: unexpected operator in kernel code: ${a.op}`);
        const x = this.expression(a.a);
        const y = this.expression(a.b);
        const d = this.#reg();
        this.#op(op, d, x, y);
        return d;
      }
    }
  }

  program(prog: Program, kind: 'store' | 'store-nonzero' | 'return'): number {
    const start = this.begin();
    for (const l of prog.locals) this.#regs.set(l.id, this.expression(l.expr));
    prog.out.forEach((o, i) => {
      if (kind === 'store-nonzero' && o.k === 'num' && o.v === 0) return;
      const r = this.expression(o);
      if (kind === 'return') this.#op(Op.Return, 0, r);
      else this.#op(Op.Store, 0, i, r);
    });
    this.#op(Op.End, 0);
    return start;
  }

  /** dt of a model that does not read t: n zeros (what the compiled kernel stores). */
  zeros(n: number): number {
    const start = this.begin();
    for (let i = 0; i < n; i++) this.#op(Op.Store, 0, i, this.#constant(0));
    this.#op(Op.End, 0);
    return start;
  }
}

/** The interpreted form of a kernel, or undefined when it does not fit the shipped engine (it is then compiled). */
export function kernelCode(k: KernelProgram): KernelCode | undefined {
  if (k.nStates > (k.linear ? MAX_INTERPRETED_LINEAR_STATES : MAX_INTERPRETED_STATES) || k.nInputs > USER_PARAM_SLOTS) return undefined;
  const e = new Emitter();
  try {
    const starts = Int32Array.of(
      e.program(k.rhs, 'store'),
      e.program(k.jac, 'store-nonzero'),
      k.dt ? e.program(k.dt, 'store') : e.zeros(k.nStates),
      e.program(k.init, 'store-nonzero'),
      e.program(k.observe, 'return'),
    );
    return Object.freeze({ nStates: k.nStates, flags: (k.dt ? 0 : 1) | (k.linear ? 2 : 0) | k.held.reduce((m, i) => m | (1 << (i + 2)), 0) | (k.smooth ? SMOOTH_FLAG : 0), starts, code: Int32Array.from(e.words), constants: Float64Array.from(e.constants) });
  } catch (err) {
    if (err instanceof TooLarge) return undefined;
    throw err;
  }
}
