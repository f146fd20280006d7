// The MAP objective of the common patient evaluated inside the engine (assembly/map.ts): the
// objective at a batch of points, its central-difference gradient, and the whole BFGS run of the
// local optimizer, each ONE call into WebAssembly, with no predictions copied out and no JavaScript
// per evaluation or iteration. The JavaScript objective (objective.ts) and optimizer (optimize.ts)
// stay for everything else, chosen here: the fast path takes a built-in linear model solved
// analytically whose structural values are each (L·exp(η))·R (in any order of the factors) with L
// and R free of the random effects, or free of them (SlotEvaluator.structuralForm), with one event table for every point (no
// lag, F, rate, duration or scale moved by η), parameters not pinned by data items, no IOV, and
// quantified levels with additive, proportional, combined or combined1 error (no BLQ, no log scale).
// Every operation is the JavaScript path's in its order, with V8's own exp and log, so OFV,
// gradients and iterates are bitwise the JavaScript path's (test/unit/bayes/map-fast.test.ts).
//
// Why: a MAP cohort's workers spent most of their time in the JavaScript around each objective
// evaluation, and V8's helper threads compiled and collected it again in every worker (README,
// "Scaling to 2 workers"); the engine's code is compiled once per process.

import { Method } from '../abi.js';
import type { Model, Residual, StructuralForm } from '../model/model.js';
import { KIND_CODE, parameterCheckMode } from '../model/structure.js';
import type { EventTable } from '../regimen/compile.js';
import type { SolverSetup } from '../engine/problem.js';
import { type Engine, type MapPatient, sharedPlan } from '../engine/wasm.js';
import type { BfgsOptions, OptimizeResult } from './optimize.js';
import { type EnvironmentValue, environmentSetting } from '../environment.js';

/** bfgs's messages by the engine's code (assembly/map.ts mapBfgs). */
export const BFGS_MESSAGES = [
  'nothing to estimate',
  'objective is not finite at the start point',
  'gradient is not finite',
  'gradient below tolerance',
  'no descent direction',
  'line search cannot improve (gradient at noise level)',
  'line search failed',
  'no further progress',
  'iteration limit',
] as const;

/**
 * How much of the MAP estimate runs in the engine where the patient qualifies: 'off', 'batch'
 * (objective values), 'gradient' (and the gradient's stencil in one call), 'bfgs' (the whole local
 * optimization; the default). The environment variable DOSEWISE_MAP_WASM sets it (benchmarks; any
 * case, another value refused: environment.ts), read at the first estimate, not at import.
 */
export type MapFastLevel = EnvironmentValue<'DOSEWISE_MAP_WASM'>;
let level: MapFastLevel | undefined;

/** The level in force (see MapFastLevel). */
export function mapFastLevel(): MapFastLevel {
  return (level ??= environmentSetting('DOSEWISE_MAP_WASM'));
}

/** Sets the level (tests compare the paths); returns the one before. */
export function setMapFastLevel(l: MapFastLevel): MapFastLevel {
  const was = mapFastLevel();
  level = l;
  return was;
}

/** The engine's objective of one patient. */
export interface MapFast {
  /** OFV at `count` points (objective.ts ofvBatch). */
  batch(xs: Float64Array, count: number, out: Float64Array): void;
  /** OFV at x and its central-difference gradient with relative steps (optimize.ts centralDifferences). */
  valueAndGradient(x: Float64Array, steps: ArrayLike<number>, g: Float64Array): number;
  /** optimize.ts bfgs with central differences of relative `steps`. */
  bfgs(x0: ArrayLike<number>, steps: ArrayLike<number>, options: BfgsOptions): OptimizeResult;
}

/** What the fast path reads of an observation (objective.ts ObsSpec). */
export interface FastObservation {
  readonly rec: number;
  readonly blq: boolean;
  readonly y: number;
  readonly residual: Residual;
  readonly expo: boolean;
  readonly guard: boolean;
}

/** What the fast path reads of the estimated effects and parameter sets (objective.ts Effects, ParameterSets). */
export interface FastPatient {
  readonly etaNames: readonly string[];
  readonly etaFree: readonly number[];
  readonly kNames: readonly string[];
  readonly dim: number;
  readonly priorPrecision: Float64Array;
  readonly slowPath: boolean;
  readonly G: number;
  readonly groupBase: readonly Float64Array[];
  readonly nRec: number;
  setEffects(x: ArrayLike<number>, xo: number, g: number, target: Float64Array): void;
}

/** Each model's structural form under its random effects, found once (a cohort asks for every patient). */
const forms = new WeakMap<Model, { readonly names: readonly string[]; readonly form: StructuralForm | undefined }>();
function formOf(model: Model, names: readonly string[]): StructuralForm | undefined {
  const known = forms.get(model);
  if (known && known.names === names) return known.form;
  const form = model.slots.structuralForm(new Set(names));
  forms.set(model, { names, form });
  return form;
}

/** The structural values in the order assembly/map.ts reads them. */
const CLEARANCE = ['CL', 'V', 'Q', 'V2', 'Q3', 'V3', 'KA'] as const;
const MICRO = ['K', 'V', 'K12', 'K21', 'K13', 'K31', 'KA'] as const;
const RESIDUAL_CODE: Readonly<Record<string, number>> = { additive: 1, proportional: 2, combined: 3, combined1: 4 };

/**
 * The engine's objective of a patient, or undefined where the patient does not qualify (see the
 * head of this file) or the level is 'off'. `shared`: the patient's one event table (undefined
 * where it moves with the points); `solver`: the objective's solver setup.
 */
export function mapFast(model: Model, p: FastPatient, obs: readonly FastObservation[], shared: EventTable | undefined, solver: SolverSetup, eng: Engine): MapFast | undefined {
  if (mapFastLevel() === 'off' || !shared || p.slowPath || p.kNames.length > 0 || p.dim === 0 || obs.length === 0) return undefined;
  const st = model.structure;
  if (st.kind !== 'linear' || st.user || solver.method !== Method.Analytic || model.parStride !== 16) return undefined;
  for (const o of obs) if (o.blq || o.expo || RESIDUAL_CODE[o.residual.model] === undefined) return undefined;
  const form = formOf(model, p.etaNames);
  if (!form) return undefined;
  const order = st.parameterization === 'micro' ? MICRO : CLEARANCE;
  const slotOf = new Int32Array(7).fill(-1);
  const eta = new Int32Array(7).fill(-1);
  const check = new Int32Array(7).fill(-1);
  const parts: (StructuralForm['structural'][number] | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  for (const s of form.structural) {
    const j = (order as readonly string[]).indexOf(s.name);
    if (j < 0) return undefined;
    slotOf[j] = s.slot;
    check[j] = parameterCheckMode(st, s.name);
    if (s.effect !== undefined) {
      const e = p.etaNames.indexOf(s.effect);
      eta[j] = p.etaFree.indexOf(e);
      parts[j] = s;
    }
  }
  const scaleIndex = form.scale === undefined ? -1 : (order as readonly string[]).indexOf(form.scale);
  if (form.scale !== undefined && scaleIndex < 0) return undefined;
  // each group's structural values and kernel set at η = 0, through the objective's own evaluator
  const G = p.G;
  const stride = model.parStride;
  const tv = new Float64Array(G * 7);
  const right = new Float64Array(G * 7).fill(1);
  const base = new Float64Array(G * stride);
  const zero = new Float64Array(p.dim);
  const v = new Float64Array(model.slots.nSlots);
  for (let g = 0; g < G; g++) {
    v.set(p.groupBase[g] as Float64Array);
    p.setEffects(zero, 0, g, v);
    if (model.slots.run(v, base, g * stride)) return undefined;
    for (let j = 0; j < 7; j++) {
      if ((slotOf[j] as number) < 0) continue;
      // (L·exp(η))·R: L and R, which the model's program computes the same way inside that expression;
      // a value with a fixed effect (or none) is its value at η = 0
      const part = parts[j];
      if ((eta[j] as number) >= 0 && part) {
        tv[g * 7 + j] = part.left ? part.left(v) : 1;
        right[g * 7 + j] = part.right ? part.right(v) : 1;
      } else tv[g * 7 + j] = v[slotOf[j] as number] as number;
    }
  }
  let nDt = -1;
  let dts: Float64Array = new Float64Array(0);
  let dtIndex: Int32Array = new Int32Array(0);
  if (G === 1) {
    const plan = sharedPlan({
      ...solver,
      events: shared,
      evStart: new Int32Array(2),
      evEnd: new Int32Array([shared.n, shared.n]),
      params: new Float64Array(0),
      parBase: new Int32Array([0, 1]),
      outBase: new Int32Array([0, p.nRec]),
      nOut: 2 * p.nRec,
      amounts: false,
    });
    if (plan) {
      nDt = plan.dts.length;
      dts = plan.dts;
      dtIndex = plan.dtIndex;
    }
  }
  const patient: MapPatient = {
    kind: KIND_CODE[st.kind],
    ncmt: st.compartments,
    depot: st.depot,
    micro: st.parameterization === 'micro',
    method: solver.method,
    rtol: solver.rtol,
    atol: solver.atol,
    ssTol: solver.ssTol ?? 1e-10,
    ssMaxIter: solver.ssMaxIter ?? 10000,
    nStates: model.nStates,
    events: shared,
    nDt,
    dts,
    dtIndex,
    dim: p.dim,
    groups: G,
    nRec: p.nRec,
    tv,
    right,
    base,
    eta,
    check,
    scaleIndex,
    obsRec: Int32Array.from(obs, (o) => o.rec),
    obsY: Float64Array.from(obs, (o) => o.y),
    obsGuard: Int32Array.from(obs, (o) => (o.guard ? 1 : 0)),
    obsModel: Int32Array.from(obs, (o) => RESIDUAL_CODE[o.residual.model] as number),
    obsA: Float64Array.from(obs, (o) => o.residual.additive),
    obsB: Float64Array.from(obs, (o) => o.residual.proportional),
    precision: p.priorPrecision,
  };
  const n = p.dim;
  return {
    batch: (xs, count, out) => eng.mapBatch(patient, xs, count, out),
    valueAndGradient: (x, steps, g) => eng.mapGradient(patient, x, steps, g),
    bfgs(x0, steps, o) {
      const r = eng.mapBfgs(patient, x0, steps, o.inverseHessian, {
        gtol: o.gtol ?? 1e-6,
        gtolNoisy: o.gtolNoisy ?? 1e-3,
        ftol: o.ftol ?? 1e-12,
        xtol: o.xtol ?? 1e-8,
        maxIterations: o.maxIterations ?? 200,
        maxStep: o.maxStep ?? 5,
      });
      return {
        x: r.x,
        f: r.f,
        g: r.g,
        iterations: r.iterations,
        evaluations: r.evaluations,
        converged: r.converged,
        message: BFGS_MESSAGES[r.message] ?? 'line search failed',
        inverseHessian: n > 0 ? r.inverseHessian : new Float64Array(0),
      };
    },
  };
}
