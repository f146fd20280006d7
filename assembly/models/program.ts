// The interpreted user model: a model text's kernel as register code (src/model/text/bytecode.ts)
// run by the shipped engine, so a text runs at once, without compiling the engine again. Every
// instruction does exactly what the compiled kernel's expression does (same operations, same
// Math functions of this module), so the two give bitwise-equal results; the compiled one is
// faster per evaluation, not different.
//
// Code: 5 i32 words per instruction (op, dst, a, b, c) over f64 registers; five programs (rhs, jac,
// dt, init, observe), each ending in END. STORE writes output `a` of the program (dy, J, ft, y) from
// register b; RETURN ends observe with register a. The operations and buffer sizes are ProgramOp and
// PROGRAM_* of the ABI (scripts/gen-abi.mjs), shared with the emitter.

import { ProgramOp as Op, PROGRAM_CODE_WORDS, PROGRAM_CONSTANTS, PROGRAM_REGISTERS } from "../abi.generated";

const CODE = memory.data(4 * PROGRAM_CODE_WORDS, 16);
const CONSTS = memory.data(8 * PROGRAM_CONSTANTS, 16);
const REGS = memory.data(8 * PROGRAM_REGISTERS, 16);

export const enum Part {
  Rhs = 0, Jac = 1, Dt = 2, Init = 3, Observe = 4,
}

let pStates: i32 = 0;
let pAutonomous: bool = true;
let pLinear: bool = false;
let pHeld: i32 = 0;
let pSmooth: bool = false;
// (static data, below the arena that alloc()/reset() manage)
const START = memory.data(4 * 5, 16);

/** Where JavaScript writes the code (PROGRAM_CODE_WORDS i32) and the constants (PROGRAM_CONSTANTS f64). */
export function programCode(): usize {
  return CODE;
}
export function programConstants(): usize {
  return CONSTS;
}

/**
 * Makes the code written at programCode() this instance's user model: `starts` (5 i32 at `at`)
 * are the first words of rhs, jac, dt, init and observe; flags bit 0 = autonomous, bit 1 = linear,
 * bit 2 + i = state i is an amount held at zero by the step control (programHeld; an interpreted
 * kernel has at most 6 states), bit 30 = f has no switch on the states or t (programSmooth).
 * nStates 0 unloads it.
 */
export function programLoad(nStates: i32, flags: i32, at: usize): void {
  pStates = nStates;
  pAutonomous = (flags & 1) != 0;
  pLinear = (flags & 2) != 0;
  pHeld = (flags & 0x3fffffff) >>> 2;
  pSmooth = (flags & (1 << 30)) != 0;
  for (let i = 0; i < 5; i++) store<i32>(START + (<usize>i << 2), load<i32>(at + (<usize>i << 2)));
}

export function programStates(): i32 {
  return pStates;
}
export function programAutonomous(): bool {
  return pAutonomous;
}
export function programLinear(): bool {
  return pLinear;
}
export function programSmooth(): bool {
  return pSmooth;
}
export function programHeld(i: i32): bool {
  return i < 28 && ((pHeld >>> i) & 1) != 0;
}

// @ts-ignore: decorator
@inline function r(i: i32): f64 {
  return load<f64>(REGS + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function setR(i: i32, v: f64): void {
  store<f64>(REGS + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function b2f(x: bool): f64 {
  return x ? 1.0 : 0.0;
}

/** Runs program `part` on y (states), p (parameter set) and t; STOREs go to out; RETURN's value is returned. */
export function programRun(part: i32, t: f64, y: usize, p: usize, out: usize): f64 {
  let pc = CODE + (<usize>load<i32>(START + (<usize>part << 2)) << 2);
  while (true) {
    const op = load<i32>(pc);
    const d = load<i32>(pc, 4);
    const a = load<i32>(pc, 8);
    const b = load<i32>(pc, 12);
    pc += 20;
    switch (op) {
      case Op.End: return 0.0;
      case Op.LoadY: setR(d, load<f64>(y + (<usize>a << 3))); break;
      case Op.LoadP: setR(d, load<f64>(p + (<usize>a << 3))); break;
      case Op.LoadT: setR(d, t); break;
      case Op.Const: setR(d, load<f64>(CONSTS + (<usize>a << 3))); break;
      case Op.Add: setR(d, r(a) + r(b)); break;
      case Op.Sub: setR(d, r(a) - r(b)); break;
      case Op.Mul: setR(d, r(a) * r(b)); break;
      case Op.Div: setR(d, r(a) / r(b)); break;
      case Op.Neg: setR(d, -r(a)); break;
      case Op.Not: setR(d, b2f(r(a) == 0.0)); break;
      case Op.Select: setR(d, r(a) != 0.0 ? r(b) : r(load<i32>(pc - 4))); break;
      case Op.Eq: setR(d, b2f(r(a) == r(b))); break;
      case Op.Ne: setR(d, b2f(r(a) != r(b))); break;
      case Op.Lt: setR(d, b2f(r(a) < r(b))); break;
      case Op.Le: setR(d, b2f(r(a) <= r(b))); break;
      case Op.Gt: setR(d, b2f(r(a) > r(b))); break;
      case Op.Ge: setR(d, b2f(r(a) >= r(b))); break;
      case Op.And: setR(d, b2f(r(a) != 0.0 && r(b) != 0.0)); break;
      case Op.Or: setR(d, b2f(r(a) != 0.0 || r(b) != 0.0)); break;
      case Op.Exp: setR(d, Math.exp(r(a))); break;
      case Op.Log: setR(d, Math.log(r(a))); break;
      case Op.Log10: setR(d, Math.log10(r(a))); break;
      case Op.Sqrt: setR(d, Math.sqrt(r(a))); break;
      case Op.Abs: setR(d, Math.abs(r(a))); break;
      case Op.Floor: setR(d, Math.floor(r(a))); break;
      case Op.Ceil: setR(d, Math.ceil(r(a))); break;
      case Op.Min: setR(d, Math.min(r(a), r(b))); break;
      case Op.Max: setR(d, Math.max(r(a), r(b))); break;
      case Op.Pow: setR(d, Math.pow(r(a), r(b))); break;
      case Op.Square: { const x = r(a); setR(d, x * x); break; }
      case Op.Store: store<f64>(out + (<usize>a << 3), r(b)); break;
      case Op.Return: return r(a);
      default: return NaN;
    }
  }
  return NaN;
}
