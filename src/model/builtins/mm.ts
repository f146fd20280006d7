// One compartment with saturable (Michaelis–Menten) plus optional linear elimination, optional
// depot (kernel: assembly/models/mm.ts).

import { P, PMm } from '../../abi.generated.js';
import { builtin } from './descriptor.js';

export const descriptor = builtin({
  kind: 'michaelis-menten',
  structures: {
    'mm-iv': { compartments: 1, depot: false },
    'mm-oral': { compartments: 1, depot: true },
  },
  multiCompartment: false,
  parameters: (st) => ({ required: ['V', 'VMAX', 'KM', ...(st.depot ? ['KA'] : [])], optional: { CL: 0 } }),
  // the linear CL is off unless given, as in a model file of this structure: a default of 5 ran a
  // second elimination pathway under `--model mm-iv --param V=20 --param VMAX=21.4 --param KM=1.5`
  // (a steady-state trough of 0.0017 for the pure Michaelis–Menten 1.77)
  defaults: { V: 50, VMAX: 50, KM: 2, KA: 1.2, CL: 0 },
  positive: ['V', 'KM'],
  anySign: [],
  stateNames: (st) => [...(st.depot ? ['DEPOT'] : []), 'CENTRAL'],
  output: 'concentration',
  scaleByVolume: true,
  fill: (_st, v, out, off) => {
    out[off + P.k10] = v('CL') / v('V');
    out[off + PMm.V] = v('V');
    out[off + PMm.VMAX] = v('VMAX');
    out[off + PMm.KM] = v('KM');
  },
  solver: 'ode',
  doseProportional: false,
  linearInStates: false,
});
