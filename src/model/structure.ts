// Built-in structures: what parameters each needs, how they become the kernel's parameter set,
// and which states exist. The kernel layout is fixed by assembly/models and src/abi.ts.

import { Kind, ObsMode, P, PClaret, PEffect, PMm, PTmdd, PTmddQss, PAR_STRIDE, userSlot, userStride } from '../abi.js';

export type StructureKind = 'linear' | 'michaelis-menten' | 'tmdd' | 'tmdd-qss' | 'effect' | 'claret' | 'user';
export type Parameterization = 'clearance' | 'micro';
export type OutputKind = 'concentration' | 'effect' | 'free';

export interface Structure {
  readonly kind: StructureKind;
  /** 1–3 for the built-ins; the number of compartments of a user model. */
  readonly compartments: number;
  readonly depot: boolean;
  readonly parameterization: Parameterization;
  /** kind 'user' (a model text): compartment names, the per-record values packed into p[0..], the observed compartment (1-based). */
  readonly user?: { readonly states: readonly string[]; readonly inputs: readonly string[]; readonly observe: number };
}

export const KIND_CODE: Readonly<Record<StructureKind, number>> = {
  linear: Kind.Linear,
  'michaelis-menten': Kind.MichaelisMenten,
  tmdd: Kind.Tmdd,
  'tmdd-qss': Kind.TmddQss,
  effect: Kind.Effect,
  claret: Kind.Claret,
  user: Kind.User,
};

/** Built-in structure names usable on the command line or as `structure` in a model file. */
export const BUILTIN_STRUCTURES: Readonly<Record<string, Structure>> = (() => {
  const s = (kind: StructureKind, compartments: 1 | 2 | 3, depot: boolean, parameterization: Parameterization = 'clearance'): Structure =>
    Object.freeze({ kind, compartments, depot, parameterization });
  return Object.freeze({
    '1cmt-iv': s('linear', 1, false),
    '1cmt-oral': s('linear', 1, true),
    '2cmt-iv': s('linear', 2, false),
    '2cmt-oral': s('linear', 2, true),
    '3cmt-iv': s('linear', 3, false),
    '3cmt-oral': s('linear', 3, true),
    // NONMEM PREDPP names, same compartment numbering as NONMEM
    advan1: s('linear', 1, false),
    advan2: s('linear', 1, true),
    advan3: s('linear', 2, false),
    advan4: s('linear', 2, true),
    advan11: s('linear', 3, false),
    advan12: s('linear', 3, true),
    'mm-iv': s('michaelis-menten', 1, false),
    'mm-oral': s('michaelis-menten', 1, true),
    tmdd: s('tmdd', 1, false),
    'tmdd-qss': s('tmdd-qss', 1, false),
    'effect-emax': s('effect', 1, false),
    claret: s('claret', 1, false),
  });
})();

/** Parameter names a structure reads; `optional` ones have the given default. */
export function structuralParameters(st: Structure): { required: string[]; optional: Record<string, number> } {
  const depot = st.depot ? ['KA'] : [];
  const linear = (): string[] => {
    if (st.parameterization === 'micro') {
      const n = ['K', 'V'];
      if (st.compartments >= 2) n.push('K12', 'K21');
      if (st.compartments >= 3) n.push('K13', 'K31');
      return n;
    }
    const n = ['CL', 'V'];
    if (st.compartments >= 2) n.push('Q', 'V2');
    if (st.compartments >= 3) n.push('Q3', 'V3');
    return n;
  };
  switch (st.kind) {
    case 'linear':
      return { required: [...linear(), ...depot], optional: {} };
    case 'michaelis-menten':
      return { required: ['V', 'VMAX', 'KM', ...depot], optional: { CL: 0 } };
    case 'tmdd':
      return { required: ['V', 'KEL', 'KON', 'KOFF', 'KINT', 'KSYN', 'KDEG', ...depot], optional: {} };
    case 'tmdd-qss':
      return { required: ['V', 'KEL', 'KSS', 'KINT', 'KSYN', 'KDEG', ...depot], optional: {} };
    case 'effect':
      return { required: [...linear(), ...depot, 'KE0', 'E0', 'EMAX', 'EC50'], optional: { GAMMA: 1 } };
    case 'claret':
      return { required: ['BASE', 'KG', 'KS0', 'GAMMA', 'DOSE'], optional: {} };
    case 'user':
      return { required: [...(st.user?.inputs ?? [])], optional: {} };
  }
}

/** Parameters that must be > 0 (others must be finite and ≥ 0, except E0/EMAX which may be any sign). */
const POSITIVE = new Set(['V', 'V2', 'V3', 'KM', 'KSS', 'KDEG', 'EC50', 'GAMMA', 'BASE', 'DOSE']);
const ANY_SIGN = new Set(['E0', 'EMAX', 'KG', 'KS0']);

export function checkParameter(name: string, v: number): string | undefined {
  if (!Number.isFinite(v)) return 'must be a finite number';
  if (POSITIVE.has(name) && !(v > 0)) return 'must be > 0';
  if (!ANY_SIGN.has(name) && v < 0) return 'must be ≥ 0';
  return undefined;
}

/** Doubles per kernel parameter set of this structure (16 for every built-in). */
export function parStride(st: Structure): number {
  return st.user ? userStride(st.user.inputs.length) : PAR_STRIDE;
}

export function stateCount(st: Structure): number {
  const d = st.depot ? 1 : 0;
  switch (st.kind) {
    case 'linear':
      return st.compartments + d;
    case 'michaelis-menten':
      return 1 + d;
    case 'tmdd':
      return 3 + d;
    case 'tmdd-qss':
      return 2 + d;
    case 'effect':
      return st.compartments + d + 1;
    case 'claret':
      return 1;
    case 'user':
      return st.user?.states.length ?? 0;
  }
}

export function stateNames(st: Structure): string[] {
  const d = st.depot ? ['DEPOT'] : [];
  switch (st.kind) {
    case 'linear':
      return [...d, 'CENTRAL', ...(st.compartments >= 2 ? ['PERIPH1'] : []), ...(st.compartments >= 3 ? ['PERIPH2'] : [])];
    case 'michaelis-menten':
      return [...d, 'CENTRAL'];
    case 'tmdd':
      return [...d, 'CENTRAL', 'RECEPTOR', 'COMPLEX'];
    case 'tmdd-qss':
      return [...d, 'TOTAL', 'RTOTAL'];
    case 'effect':
      return [...d, 'CENTRAL', ...(st.compartments >= 2 ? ['PERIPH1'] : []), ...(st.compartments >= 3 ? ['PERIPH2'] : []), 'EFFECT'];
    case 'claret':
      return ['TUMOUR'];
    case 'user':
      return [...(st.user?.states ?? [])];
  }
}

/** 1-based compartment number of the central (or only) state. */
export function centralCompartment(st: Structure): number {
  if (st.user) return st.user.observe;
  return st.kind === 'claret' ? 1 : st.depot ? 2 : 1;
}

export function defaultOutput(st: Structure): OutputKind {
  if (st.kind === 'effect') return 'effect';
  if (st.kind === 'tmdd' || st.kind === 'tmdd-qss') return 'free';
  return 'concentration';
}

const OUTPUT_MODE: Readonly<Record<OutputKind, number>> = { concentration: ObsMode.Amount, effect: ObsMode.Effect, free: ObsMode.Free };

/**
 * Fills one kernel parameter set (PAR_STRIDE doubles at `off`) from named structural values.
 * `v(name)` returns the evaluated parameter; obsCmt is 1-based; scale divides the observed amount.
 */
export function fillKernel(st: Structure, v: (name: string) => number, obsCmt: number, output: OutputKind, scale: number, out: Float64Array, off: number): void {
  out.fill(0, off, off + parStride(st));
  const micro = (): void => {
    if (st.parameterization === 'micro') {
      out[off + P.k10] = v('K');
      if (st.compartments >= 2) {
        out[off + P.k12] = v('K12');
        out[off + P.k21] = v('K21');
      }
      if (st.compartments >= 3) {
        out[off + P.k13] = v('K13');
        out[off + P.k31] = v('K31');
      }
    } else {
      const V = v('V');
      out[off + P.k10] = v('CL') / V;
      if (st.compartments >= 2) {
        out[off + P.k12] = v('Q') / V;
        out[off + P.k21] = v('Q') / v('V2');
      }
      if (st.compartments >= 3) {
        out[off + P.k13] = v('Q3') / V;
        out[off + P.k31] = v('Q3') / v('V3');
      }
    }
  };
  if (st.kind === 'user') {
    // a model text's kernel reads its per-record values from p[0..]; it observes through its own expression
    (st.user?.inputs ?? []).forEach((n, i) => (out[off + userSlot(i)] = v(n)));
    out[off + P.obsIndex] = obsCmt - 1;
    out[off + P.obsMode] = ObsMode.User;
    out[off + P.scale] = scale;
    return;
  }
  if (st.depot) out[off + P.ka] = v('KA');
  switch (st.kind) {
    case 'linear':
      micro();
      break;
    case 'michaelis-menten':
      out[off + P.k10] = v('CL') / v('V');
      out[off + PMm.V] = v('V');
      out[off + PMm.VMAX] = v('VMAX');
      out[off + PMm.KM] = v('KM');
      break;
    case 'tmdd':
      out[off + P.k10] = v('KEL');
      out[off + PTmdd.V] = v('V');
      out[off + PTmdd.KON] = v('KON');
      out[off + PTmdd.KOFF] = v('KOFF');
      out[off + PTmdd.KINT] = v('KINT');
      out[off + PTmdd.KSYN] = v('KSYN');
      out[off + PTmdd.KDEG] = v('KDEG');
      break;
    case 'tmdd-qss':
      out[off + P.k10] = v('KEL');
      out[off + PTmddQss.V] = v('V');
      out[off + PTmddQss.KSS] = v('KSS');
      out[off + PTmddQss.KINT] = v('KINT');
      out[off + PTmddQss.KSYN] = v('KSYN');
      out[off + PTmddQss.KDEG] = v('KDEG');
      break;
    case 'effect':
      micro();
      out[off + PEffect.V] = v('V');
      out[off + PEffect.KE0] = v('KE0');
      out[off + PEffect.E0] = v('E0');
      out[off + PEffect.EMAX] = v('EMAX');
      out[off + PEffect.EC50] = v('EC50');
      out[off + PEffect.GAMMA] = v('GAMMA');
      break;
    case 'claret':
      out[off + PClaret.BASE] = v('BASE');
      out[off + PClaret.KG] = v('KG');
      out[off + PClaret.KS0] = v('KS0');
      out[off + PClaret.GAMMA] = v('GAMMA');
      out[off + PClaret.DOSE] = v('DOSE');
      break;
  }
  out[off + P.obsIndex] = obsCmt - 1;
  out[off + P.obsMode] = OUTPUT_MODE[output];
  out[off + P.scale] = scale;
}
