// Quasi-steady-state TMDD, one compartment, optional depot (kernel: assembly/models/tmddqss.ts).
// Rosenbrock by default, like full TMDD.

import { P, PTmddQss } from '../../abi.generated.js';
import { builtin } from './descriptor.js';

export const descriptor = builtin({
  kind: 'tmdd-qss',
  structures: { 'tmdd-qss': { compartments: 1, depot: false } },
  multiCompartment: false,
  parameters: (st) => ({ required: ['V', 'KEL', 'KSS', 'KINT', 'KSYN', 'KDEG', ...(st.depot ? ['KA'] : [])], optional: {} }),
  defaults: { V: 3, KEL: 0.1, KSS: 0.6, KINT: 0.2, KSYN: 1, KDEG: 0.25, KA: 1.2 },
  positive: ['V', 'KSS', 'KDEG'],
  anySign: [],
  stateNames: (st) => [...(st.depot ? ['DEPOT'] : []), 'TOTAL', 'RTOTAL'],
  notDosed: { RTOTAL: 'the total receptor concentration' },
  output: 'free',
  scaleByVolume: true,
  fill: (_st, v, out, off) => {
    out[off + P.k10] = v('KEL');
    out[off + PTmddQss.V] = v('V');
    out[off + PTmddQss.KSS] = v('KSS');
    out[off + PTmddQss.KINT] = v('KINT');
    out[off + PTmddQss.KSYN] = v('KSYN');
    out[off + PTmddQss.KDEG] = v('KDEG');
  },
  solver: 'ode',
  doseProportional: false,
  linearInStates: false,
  // the states are totals: only the KD definition of occupancy applies
  occupancy: { kd: (p) => p.KSS as number, complex: false },
});
