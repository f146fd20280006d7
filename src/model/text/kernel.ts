// A model text's kernel as straight-line programs over generated names only (y0.. states,
// p0.. parameter slots, u0.. intermediates, t): right-hand side, exact Jacobian (forward-mode
// symbolic differentiation through the intermediates), df/dt when t appears, initial state and
// observation. codegen.ts prints these as AssemblyScript; tests evaluate them in TypeScript.

import { type Ast, identifiers } from '../expression.js';
import type { KernelSource } from './analyse.js';
import { derivative, simplify, ONE, ZERO } from './derive.js';

export interface Assign {
  readonly id: string;
  readonly expr: Ast;
}

export interface Program {
  readonly locals: readonly Assign[];
  readonly out: readonly Ast[];
}

export interface KernelProgram {
  readonly nStates: number;
  readonly nInputs: number;
  readonly rhs: Program;
  /** Row-major n × n (index i·n + j: ∂f_i/∂y_j). */
  readonly jac: Program;
  /** df/dt at fixed y; undefined when f does not read t. */
  readonly dt?: Program;
  /** Initial amounts (length n; a 0 entry means none given). */
  readonly init: Program;
  readonly observe: Program;
  /** Whether the Jacobian varies with the state or t (a hint that the problem may be stiff). */
  readonly nonlinear: boolean;
  /**
   * Whether f(t, y) = J·y + c with J and c constant in y and t (they may depend on the parameters):
   * such a model is propagated exactly between events (matrix exponential), not stepped.
   */
  readonly linear: boolean;
  /**
   * Whether f(t, y) = J(t)·y + c(t): affine in the states, where J and c may read t. Superposition
   * holds for such a model (SS = 2's sum is its state), though it is not propagated exactly.
   */
  readonly affine: boolean;
  /** 0-based states the step control holds at zero as amounts (held-amounts.ts). */
  readonly held: readonly number[];
  /**
   * Whether f has no switch on the states or t: no comparison, logic, if, floor/ceil/abs/min/max of
   * a quantity that varies within a segment. With `dt` undefined (f does not read t) the engine then
   * takes the stiff method it takes for the built-in models (Rodas5P at rtol <= 1e-8,
   * assembly/ode/segment.ts: useRodas5p), so a text of a built-in model gives the built-in's values.
   */
  readonly smooth: boolean;
}

function rename(a: Ast, map: (name: string) => string): Ast {
  switch (a.k) {
    case 'num':
      return a;
    case 'var':
      return { k: 'var', name: map(a.name) };
    case 'un':
      return { k: 'un', op: a.op, a: rename(a.a, map) };
    case 'bin':
      return { k: 'bin', op: a.op, a: rename(a.a, map), b: rename(a.b, map) };
    case 'if':
      return { k: 'if', c: rename(a.c, map), a: rename(a.a, map), b: rename(a.b, map) };
    case 'call':
      return { k: 'call', fn: a.fn, args: a.args.map((x) => rename(x, map)) };
  }
}

export const variables = identifiers;

/** The locals `out` needs (transitively), in order. */
function prune(locals: readonly Assign[], out: readonly Ast[]): Assign[] {
  const need = new Set<string>();
  for (const o of out) variables(o, need);
  const keep: Assign[] = [];
  for (let k = locals.length - 1; k >= 0; k--) {
    const l = locals[k] as Assign;
    if (!need.has(l.id)) continue;
    keep.push(l);
    variables(l.expr, need);
  }
  return keep.reverse();
}

const small = (a: Ast): boolean => a.k === 'num' || a.k === 'var';

/** Operators and functions whose value jumps or kinks: never affine in an argument that varies. */
const STEP_OPS = new Set(['<', '<=', '>', '>=', '==', '!=', '&&', '||']);
const NON_SMOOTH = new Set(['floor', 'ceil', 'abs', 'min', 'max']);

export function buildKernel(src: KernelSource): KernelProgram {
  const n = src.states.length;
  const map = new Map<string, string>();
  src.states.forEach((s, i) => map.set(s, `y${i}`));
  src.inputs.forEach((s, i) => map.set(s, `p${i}`));
  src.locals.forEach((l, i) => map.set(l.name, `u${i}`));
  map.set('t', 't');
  const canon = (a: Ast): Ast => simplify(rename(a, (x) => map.get(x) as string));
  const locals: Assign[] = src.locals.map((l, i) => ({ id: `u${i}`, expr: canon(l.expr) }));
  const ddt = src.ddt.map(canon);

  /** Forward mode: derivative of every intermediate, then of each output, w.r.t. variable `x`. */
  const forward = (x: string, tag: string, outs: readonly Ast[]): { locals: Assign[]; out: Ast[]; dependsOnState: (a: Ast) => boolean } => {
    const dLocal = new Map<string, Ast>(); // u_k → its derivative (inlined if small, else a d-local)
    const extra: Assign[] = [];
    const stateDependent = new Set<string>(locals.map((l) => l.id));
    const dVar = (name: string): Ast => (name === x ? ONE : (dLocal.get(name) ?? ZERO));
    for (const l of locals) {
      const d = simplify(derivative(l.expr, dVar));
      if (small(d)) dLocal.set(l.id, d);
      else {
        const id = `d${tag}_${l.id}`;
        extra.push({ id, expr: d });
        dLocal.set(l.id, { k: 'var', name: id });
        if ([...variables(d)].some((v) => /^[yut]/.test(v) || stateDependent.has(v))) stateDependent.add(id);
      }
    }
    const out = outs.map((f) => simplify(derivative(f, dVar)));
    const dependsOnState = (a: Ast): boolean => [...variables(a)].some((v) => /^[yut]/.test(v) || stateDependent.has(v));
    return { locals: extra, out, dependsOnState };
  };

  const jacLocals: Assign[] = [...locals];
  const J: Ast[] = new Array<Ast>(n * n).fill(ZERO);
  let nonlinear = false;
  for (let j = 0; j < n; j++) {
    const f = forward(`y${j}`, String(j), ddt);
    jacLocals.push(...f.locals);
    f.out.forEach((d, i) => {
      J[i * n + j] = d;
      if (f.dependsOnState(d)) nonlinear = true;
    });
  }
  const readsTime = (a: Ast): boolean => variables(a).has('t');
  // only the locals the equations use (observe cannot read t): a local reading t that nothing reads
  // (left from an edit) made optimize refuse the model as changing with time, and kept it off the exact path
  const usesTime = ddt.some(readsTime) || prune(locals, ddt).some((l) => readsTime(l.expr));
  // exact dependence on (y, t), through intermediates in program order (the hint above also
  // counts every intermediate as state-dependent, which is too coarse to decide linearity)
  const varying = new Set<string>();
  const reads = (a: Ast): boolean => [...variables(a)].some((v) => /^y\d+$/.test(v) || v === 't' || varying.has(v));
  for (const l of jacLocals) if (reads(l.expr)) varying.add(l.id);
  // A step on the state (a comparison, logic, an if on it, floor/ceil/abs/min/max of it) has a zero
  // or piecewise derivative: the Jacobian can look constant while f is not affine in y.
  const stepOn =
    (rd: (a: Ast) => boolean) =>
    (a: Ast): boolean => {
      const step = stepOn(rd);
      switch (a.k) {
        case 'num':
        case 'var':
          return false;
        case 'un':
          return (a.op !== '-' && rd(a.a)) || step(a.a);
        case 'bin':
          return (STEP_OPS.has(a.op) && (rd(a.a) || rd(a.b))) || step(a.a) || step(a.b);
        case 'if':
          return rd(a.c) || step(a.c) || step(a.a) || step(a.b);
        case 'call':
          return (NON_SMOOTH.has(a.fn) && a.args.some(rd)) || a.args.some(step);
      }
    };
  const stepOnState = stepOn(reads);
  const smooth = !ddt.some(stepOnState) && !prune(locals, ddt).some((l) => stepOnState(l.expr));
  const linear = !usesTime && J.every((d) => !reads(d)) && smooth;
  // the same on the states alone: a clearance drifting with t leaves f affine in y (a step on t too)
  const varyingY = new Set<string>();
  const readsY = (a: Ast): boolean => [...variables(a)].some((v) => /^y\d+$/.test(v) || varyingY.has(v));
  for (const l of jacLocals) if (readsY(l.expr)) varyingY.add(l.id);
  const stepOnY = stepOn(readsY);
  const affine = linear || (J.every((d) => !readsY(d)) && !ddt.some(stepOnY) && !prune(locals, ddt).some((l) => stepOnY(l.expr)));
  let dt: Program | undefined;
  if (usesTime) {
    const f = forward('t', 't', ddt);
    dt = { locals: prune([...locals, ...f.locals], f.out), out: f.out };
  }
  const init = src.init.map((a) => (a ? canon(a) : ZERO));
  const observe = canon(src.observe);
  return {
    nStates: n,
    nInputs: src.inputs.length,
    rhs: { locals: prune(locals, ddt), out: ddt },
    jac: { locals: prune(jacLocals, J), out: J },
    dt,
    init: { locals: [], out: init },
    observe: { locals: prune(locals, [observe]), out: [observe] },
    nonlinear,
    linear,
    affine,
    held: (src.held ?? []).filter((i) => i < n),
    smooth,
  };
}
