// Which compartments of a model text are amounts that the step control holds at zero.
//
// The built-in models' states are all amounts, and every integrator rejects a step that carries one
// from above its tolerance to below −(atol + rtol·|y|) and retries it smaller (domainError in
// assembly/ode/control.ts). A model text's compartment may instead be a PD quantity that is negative
// by right (a change from baseline), and the language has no `amount` statement, so the amounts are
// read from what the text does say about a compartment:
//   - compartment 1, where a dose record without CMT goes (NONMEM's default dose compartment);
//   - a compartment given lag(), F() / bioavailability(), rate() or duration(): doses go there.
// Not the compartment `observe` or an output measures: a measured state may fall through zero by
// right (d/dt(B) = −E·A − KE·B, a negative coupling), and holding it asked the step that crosses
// zero to land within atol of it, which at rtol 1e-12 stopped the solver at its step floor.
// Without it a Michaelis–Menten text (V 42, VMAX 6300, KM 10, 60 g IV) at rtol 1e-4 stepped across
// the end of the fall and ran off to −67.9 mg/L at 10 h and −2210 at 24 h (exact 1.0198 and ~0),
// exit 0, where the built-in mm-iv read 1.0200. Holding a quantity that does cross zero costs a few
// rejected steps, not its value: a state at or below its tolerance at a step's start is never held,
// so the step that reaches zero lets it pass.

import type { Ast } from '../expression.js';
import { constantValue } from './derive.js';
import type { Stmt } from './parser.js';

/** 0-based indices of the held compartments, ascending. */
export function heldAmounts(nStates: number, modifiers: readonly { readonly cmt: number }[]): number[] {
  const held = new Set<number>();
  const add = (cmt: number): void => {
    if (cmt >= 1 && cmt <= nStates) held.add(cmt - 1);
  };
  add(1);
  for (const m of modifiers) add(m.cmt);
  return [...held].sort((a, b) => a - b);
}

/**
 * Why compartment `i` (0-based) is held, for messages: "compartment 1, where a dose record without
 * CMT goes" or "given lag(DEPOT): doses go there"; undefined where it is not held.
 */
export function heldReason(i: number, states: readonly string[], modifiers: readonly { readonly what: string; readonly cmt: number }[]): string | undefined {
  if (i === 0) return 'compartment 1, where a dose record without CMT goes';
  const m = modifiers.find((x) => x.cmt === i + 1);
  if (!m) return undefined;
  const word = m.what === 'bioavailability' ? 'F' : m.what;
  return `given ${word}(${states[i] ?? i + 1}): doses go there`;
}

/** What a negative initial amount does to the doses and what to write instead (said by every refusal of one). */
export const NEGATIVE_INIT_FIX =
  'a negative amount is never right there: each dose is added to it (100 mg onto init −5 read 95 in every later row, exit 0). Give an init() ≥ 0; a quantity that may be negative (a change from baseline, an effect) belongs in a compartment that takes no doses (not the first, and without lag, F, rate or duration)';

/**
 * A constant init() below zero on a held compartment, refused where it is written: the text starts
 * that amount below zero for every subject (init(A) = −5 on compartment 1 with 100 mg at t = 0 read
 * 95 from then on, exit 0 without a word). An init() that reads parameters, covariates or random
 * effects is judged per subject where the records are simulated (src/engine/negative-init.ts), and
 * a compartment that is not held keeps a negative init(): a PD quantity may start there by right.
 */
export function refuseNegativeHeldInit(
  src: { fail(at: number, why: string): never },
  stmts: readonly Stmt[],
  kernel: { readonly states: readonly string[]; readonly init: readonly (Ast | undefined)[]; readonly held?: readonly number[] },
  modifiers: readonly { readonly what: string; readonly cmt: number }[],
): void {
  for (const i of kernel.held ?? []) {
    const a = kernel.init[i];
    const x = a && constantValue(a);
    if (x === undefined || !(x < 0)) continue;
    const name = kernel.states[i] as string;
    const s = stmts.find((st): st is Extract<Stmt, { k: 'init' }> => st.k === 'init' && st.state.name === name);
    const at = s ? initPlace(s) : 0;
    src.fail(at, `init(${name}) is ${x}, below zero, but ${name} is an amount (${heldReason(i, kernel.states, modifiers) ?? ''}): ${NEGATIVE_INIT_FIX}`);
  }
}

/** Where an init statement's value is written: its name, operator or function, else the statement. */
export function initPlace(s: { readonly at: number; readonly expr: Ast }): number {
  const e = s.expr;
  return (e.k === 'var' || e.k === 'bin' || e.k === 'call' ? e.at : undefined) ?? s.at;
}
