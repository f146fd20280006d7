// Full target-mediated drug disposition, one compartment, optional depot (kernel:
// assembly/models/tmdd.ts). Rosenbrock by default: binding makes it stiff.

import { P, PTmdd } from '../../abi.generated.js';
import { builtin } from './descriptor.js';

export const descriptor = builtin({
  kind: 'tmdd',
  structures: { tmdd: { compartments: 1, depot: false } },
  multiCompartment: false,
  parameters: (st) => ({ required: ['V', 'KEL', 'KON', 'KOFF', 'KINT', 'KSYN', 'KDEG', ...(st.depot ? ['KA'] : [])], optional: {} }),
  defaults: { V: 3, KEL: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1, KDEG: 0.25, KA: 1.2 },
  positive: ['V', 'KDEG'],
  anySign: [],
  stateNames: (st) => [...(st.depot ? ['DEPOT'] : []), 'CENTRAL', 'RECEPTOR', 'COMPLEX'],
  notDosed: { RECEPTOR: 'the free receptor concentration', COMPLEX: 'the drug–receptor complex concentration' },
  output: 'free',
  scaleByVolume: true,
  fill: (_st, v, out, off) => {
    out[off + P.k10] = v('KEL');
    out[off + PTmdd.V] = v('V');
    out[off + PTmdd.KON] = v('KON');
    out[off + PTmdd.KOFF] = v('KOFF');
    out[off + PTmdd.KINT] = v('KINT');
    out[off + PTmdd.KSYN] = v('KSYN');
    out[off + PTmdd.KDEG] = v('KDEG');
  },
  solver: 'ode',
  doseProportional: false,
  linearInStates: false,
  occupancy: { kd: (p) => (p.KOFF as number) / (p.KON as number), complex: true },
});
