// Linear mammillary disposition, 1–3 compartments, optional first-order depot (kernel:
// assembly/models/linear.ts). Its parameter names, states and rate constants are also the linear
// block of the effect model.

import { P } from '../../abi.generated.js';
import { builtin, type Layout } from './descriptor.js';

/** CL, V, Q, V2, Q3, V3 (clearance) or K, V, K12, K21, K13, K31 (micro), as many as the compartments. */
export function linearParameters(st: Layout): string[] {
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
}

export function linearStateNames(st: Layout): string[] {
  return [...(st.depot ? ['DEPOT'] : []), 'CENTRAL', ...(st.compartments >= 2 ? ['PERIPH1'] : []), ...(st.compartments >= 3 ? ['PERIPH2'] : [])];
}

/** The rate constants P.k10..P.k31 (the kernel works in micro-constants). */
export function fillLinear(st: Layout, v: (name: string) => number, out: Float64Array, off: number): void {
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
}

export const LINEAR_DEFAULTS = { CL: 5, V: 50, Q: 6, V2: 50, Q3: 1, V3: 100, KA: 1.2, K: 0.1, K12: 0.1, K21: 0.05, K13: 0.02, K31: 0.01 } as const;

export const descriptor = builtin({
  kind: 'linear',
  structures: {
    '1cmt-iv': { compartments: 1, depot: false },
    '1cmt-oral': { compartments: 1, depot: true },
    '2cmt-iv': { compartments: 2, depot: false },
    '2cmt-oral': { compartments: 2, depot: true },
    '3cmt-iv': { compartments: 3, depot: false },
    '3cmt-oral': { compartments: 3, depot: true },
    // NONMEM PREDPP names, same compartment numbering as NONMEM
    advan1: { compartments: 1, depot: false },
    advan2: { compartments: 1, depot: true },
    advan3: { compartments: 2, depot: false },
    advan4: { compartments: 2, depot: true },
    advan11: { compartments: 3, depot: false },
    advan12: { compartments: 3, depot: true },
  },
  multiCompartment: true,
  parameters: (st) => ({ required: [...linearParameters(st), ...(st.depot ? ['KA'] : [])], optional: {} }),
  defaults: LINEAR_DEFAULTS,
  positive: ['V', 'V2', 'V3'],
  anySign: [],
  stateNames: linearStateNames,
  output: 'concentration',
  scaleByVolume: true,
  fill: fillLinear,
  solver: 'analytic',
  doseProportional: true,
  linearInStates: true,
});
