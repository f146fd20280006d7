// Structures: what parameters each needs, how they become the kernel's parameter set, and which
// states exist. The built-in kinds are described in src/model/builtins/ (one descriptor each,
// listed by scripts/gen-abi.mjs); kind 'user' is a model text, whose kernel is compiled for it.

import { Kind, ObsMode, P, PAR_STRIDE, userSlot, userStride } from '../abi.js';
import { BUILTINS } from './builtins/index.generated.js';
import type { OutputKind, Parameterization } from './builtins/descriptor.js';
import type { Ast } from './expression.js';

export type { OutputKind, Parameterization } from './builtins/descriptor.js';

/** A built-in model: its descriptor, kernel code (Kind) and module name. */
export type Builtin = (typeof BUILTINS)[number];
export type BuiltinKind = Builtin['kind'];
export type StructureKind = BuiltinKind | 'user';

/** The kinds of model files (`structure.kind`), in Kind order. */
export const BUILTIN_KINDS = BUILTINS.map((b) => b.kind) as [BuiltinKind, ...BuiltinKind[]];

export interface Structure {
  readonly kind: StructureKind;
  /** 1–3 for the built-ins; the number of compartments of a user model. */
  readonly compartments: number;
  readonly depot: boolean;
  readonly parameterization: Parameterization;
  /** kind 'user' (a model text): compartment names, the per-record values packed into p[0..], the observed compartment (1-based). */
  readonly user?: {
    readonly states: readonly string[];
    readonly inputs: readonly string[];
    readonly observe: number;
    /**
     * When the observation is a compartment's amount, or that amount divided by one per-record
     * value (observe = CENTRAL / V): that value's name ('' for none). The engine then reads
     * amount / scale itself instead of calling the generated observation (same arithmetic).
     */
    readonly observeAmountOver?: string;
    /** Per-record values a compartment's written outflow (d/dt(DEPOT) = -KA * DEPOT) reads as a rate, with that compartment. */
    readonly outflowRates?: ReadonlyMap<string, string>;
    /** The observation as written (over compartments, per-record values and the kernel's intermediates), for bounds in its own units. */
    readonly observeExpr?: { readonly locals: readonly { readonly name: string; readonly expr: Ast }[]; readonly expr: Ast };
    /** Each compartment's d/dt and init() as written (init undefined: 0), state order: which amounts the observation is made of, and which start or run below zero by right. */
    readonly ddt?: readonly Ast[];
    readonly init?: readonly (Ast | undefined)[];
  };
}

const BY_KIND: ReadonlyMap<string, Builtin> = new Map(BUILTINS.map((b) => [b.kind, b]));

/** The descriptor of a built-in kind; undefined for 'user'. */
export function builtinOf(kind: StructureKind): Builtin | undefined {
  return BY_KIND.get(kind);
}

export const KIND_CODE: Readonly<Record<StructureKind, number>> = Object.freeze({
  ...(Object.fromEntries(BUILTINS.map((b) => [b.kind, b.code])) as Record<BuiltinKind, number>),
  user: Kind.User,
});

/** Built-in structure names usable on the command line or as `structure` in a model file. */
export const BUILTIN_STRUCTURES: Readonly<Record<string, Structure>> = (() => {
  const out: Record<string, Structure> = {};
  for (const b of BUILTINS)
    for (const [name, s] of Object.entries(b.structures)) {
      if (out[name]) throw new Error(`built-in structure ${name}: named by ${out[name].kind} and ${b.kind}`);
      out[name] = Object.freeze({ kind: b.kind, compartments: s.compartments, depot: s.depot, parameterization: s.parameterization ?? 'clearance' });
    }
  return Object.freeze(out);
})();

/** Parameter names a structure reads; `optional` ones have the given default. */
export function structuralParameters(st: Structure): { required: string[]; optional: Record<string, number> } {
  const b = builtinOf(st.kind);
  return b ? b.parameters(st) : { required: [...(st.user?.inputs ?? [])], optional: {} };
}

/** Illustrative values of every parameter a built-in structure reads (for builtinModel). */
export function defaultParameters(st: Structure): Record<string, number> {
  const { required, optional } = structuralParameters(st);
  const defaults: Readonly<Record<string, number>> = builtinOf(st.kind)?.defaults ?? {};
  const out: Record<string, number> = {};
  for (const n of [...required, ...Object.keys(optional)]) out[n] = defaults[n] ?? optional[n] ?? 1;
  return out;
}

/** Checks one structural value: finite, > 0 where the kind needs it, ≥ 0 unless it may have any sign. */
export function parameterCheck(st: Structure): (name: string, v: number) => string | undefined {
  const b = builtinOf(st.kind);
  const positive = new Set<string>(b?.positive ?? []);
  // a model text's observe = STATE / V divides an amount by V: a volume, whatever the text calls it
  const volume = st.user?.observeAmountOver;
  const rates = st.user?.outflowRates;
  if (!b)
    return (name, v) => {
      if (!Number.isFinite(v)) return 'must be a finite number';
      if (name === volume && !(v > 0)) return `must be > 0 (observe divides the amount by ${name}: a volume)`;
      const from = rates?.get(name);
      if (from !== undefined && v < 0) return `must be ≥ 0 (d/dt(${from}) has it in an outflow of ${from}: a rate)`;
      return undefined;
    };
  const anySign = new Set<string>(b?.anySign ?? []);
  return (name, v) => {
    if (!Number.isFinite(v)) return 'must be a finite number';
    if (positive.has(name) && !(v > 0)) return 'must be > 0';
    if (!anySign.has(name) && v < 0) return 'must be ≥ 0';
    return undefined;
  };
}

/** Doubles per kernel parameter set of this structure (16 for every built-in). */
export function parStride(st: Structure): number {
  return st.user ? userStride(st.user.inputs.length) : PAR_STRIDE;
}

export function stateCount(st: Structure): number {
  return stateNames(st).length;
}

export function stateNames(st: Structure): string[] {
  const b = builtinOf(st.kind);
  return b ? b.stateNames(st) : [...(st.user?.states ?? [])];
}

/**
 * Per state (0-based), why a dose record may not go into it, or undefined: a built-in's states that
 * hold no drug (TMDD's RECEPTOR and COMPLEX, TMDD-QSS's RTOTAL, the effect compartment's EFFECT, Claret's
 * TUMOUR), naming the drug's central CMT (Claret has none: its DOSE item).
 * Undefined when every state takes doses (model texts: NONMEM lets any compartment be dosed).
 */
export function undosedStates(st: Structure): readonly (string | undefined)[] | undefined {
  const notDosed = builtinOf(st.kind)?.notDosed;
  if (!notDosed) return undefined;
  // once per structure: every compile (each MAP step, each population chunk) asks
  const known = undosedCache.get(st);
  if (known) return known;
  const central = centralCompartment(st);
  const names = stateNames(st);
  const why = names.map((name, i) => {
    const what = notDosed[name];
    if (what === undefined) return undefined;
    // claret has no drug compartment at all: its exposure is the DOSE item
    const where =
      notDosed[names[central - 1] as string] === undefined
        ? `The drug's central compartment is CMT ${central} (${names[central - 1]})${central > 1 ? ', its depot CMT 1' : ''}; a data set numbered for another structure (ADVAN2: depot 1, central 2) needs its CMT column renumbered`
        : `The ${st.kind} structure has no drug compartment: its exposure is the DOSE item (a data column or parameter), not a dose record: drop the dose records and give the exposure as DOSE`;
    return `CMT ${i + 1} is ${name} of the ${st.kind} structure, ${what}, not a drug compartment: a dose there would be added to it as if it were drug. ${where}. A dose into such a state needs a model text`;
  });
  undosedCache.set(st, why);
  return why;
}

const undosedCache = new WeakMap<Structure, readonly (string | undefined)[]>();

/** 1-based compartment number of the central (or only) state. */
export function centralCompartment(st: Structure): number {
  if (st.user) return st.user.observe;
  return builtinOf(st.kind)?.central?.(st) ?? (st.depot ? 2 : 1);
}

export function defaultOutput(st: Structure): OutputKind {
  return builtinOf(st.kind)?.output ?? 'concentration';
}

/** Whether the observed amount is divided by V by default (when the model has one). */
export function scaleByVolume(st: Structure): boolean {
  return builtinOf(st.kind)?.scaleByVolume ?? true;
}

/** Whether a model file may give this kind 2 or 3 compartments. */
export function multiCompartment(kind: StructureKind): boolean {
  return builtinOf(kind)?.multiCompartment ?? false;
}

/** The solver 'auto' picks for a built-in structure ('user': decided by its kernel). */
export function autoSolver(st: Structure): 'analytic' | 'ode' {
  return builtinOf(st.kind)?.solver ?? 'ode';
}

/** Whether closed-form solutions exist for this structure. */
export function hasAnalytic(st: Structure): boolean {
  return builtinOf(st.kind)?.solver === 'analytic';
}

/** The kinds with closed-form solutions, for messages ('linear'). */
export const ANALYTIC_KINDS: string = BUILTINS.filter((b) => b.solver === 'analytic').map((b) => b.kind).join(', ');

/** The kinds with a receptor occupancy, for messages ('tmdd or tmdd-qss'). */
export const BUILTINS_WITH_OCCUPANCY: string = BUILTINS.filter((b) => b.occupancy !== undefined).map((b) => b.kind).join(' or ');

/** Whether every exposure metric scales with the dose (a model text: not known, so no). */
export function isDoseProportional(st: Structure): boolean {
  return builtinOf(st.kind)?.doseProportional ?? false;
}

const OUTPUT_MODE: Readonly<Record<OutputKind, number>> = { concentration: ObsMode.Amount, effect: ObsMode.Effect, free: ObsMode.Free };

/**
 * Fills one kernel parameter set (PAR_STRIDE doubles at `off`) from named structural values.
 * `v(name)` returns the evaluated parameter; obsCmt is 1-based; scale divides the observed amount.
 */
export function fillKernel(st: Structure, v: (name: string) => number, obsCmt: number, output: OutputKind, scale: number, out: Float64Array, off: number): void {
  kernelFiller(st, obsCmt, output)(v, scale, out, off);
}

/**
 * fillKernel for one structure, observation and output, with what depends on them looked up once:
 * a model fills a kernel set for every record and virtual subject.
 */
export function kernelFiller(st: Structure, obsCmt: number, output: OutputKind): (v: (name: string) => number, scale: number, out: Float64Array, off: number) => void {
  const stride = parStride(st);
  const b = builtinOf(st.kind);
  if (!b) {
    // a model text's kernel reads its per-record values from p[0..]; it observes through its own expression
    const inputs = st.user?.inputs ?? [];
    const over = st.user?.observeAmountOver;
    const mode = over === undefined ? ObsMode.User : ObsMode.Amount;
    return (v, scale, out, off) => {
      out.fill(0, off, off + stride);
      for (let i = 0; i < inputs.length; i++) out[off + userSlot(i)] = v(inputs[i] as string);
      out[off + P.obsIndex] = obsCmt - 1;
      out[off + P.obsMode] = mode;
      out[off + P.scale] = over === undefined || over === '' ? scale : v(over);
    };
  }
  const mode = OUTPUT_MODE[output];
  const depot = st.depot;
  return (v, scale, out, off) => {
    out.fill(0, off, off + stride);
    if (depot) out[off + P.ka] = v('KA');
    b.fill(st, v, out, off);
    out[off + P.obsIndex] = obsCmt - 1;
    out[off + P.obsMode] = mode;
    out[off + P.scale] = scale;
  };
}

/** How parameterCheck judges a value, for checks made without calling it: 0 finite, 1 and > 0, 2 and ≥ 0. */
export function parameterCheckMode(st: Structure, name: string): 0 | 1 | 2 {
  const b = builtinOf(st.kind);
  if (!b) return name !== '' && name === st.user?.observeAmountOver ? 1 : st.user?.outflowRates?.has(name) ? 2 : 0;
  if (b.positive.includes(name)) return 1;
  return b.anySign.includes(name) ? 0 : 2;
}
