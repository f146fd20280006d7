// Linear PK plus an effect compartment driving a sigmoid Emax response (kernel:
// assembly/models/effect.ts); the PK block is the linear model's.

import { PEffect } from '../../abi.generated.js';
import { builtin } from './descriptor.js';
import { fillLinear, LINEAR_DEFAULTS, linearParameters, linearStateNames } from './linear.js';

export const descriptor = builtin({
  kind: 'effect',
  structures: { 'effect-emax': { compartments: 1, depot: false } },
  multiCompartment: true,
  parameters: (st) => ({ required: [...linearParameters(st), ...(st.depot ? ['KA'] : []), 'KE0', 'E0', 'EMAX', 'EC50'], optional: { GAMMA: 1 } }),
  defaults: { ...LINEAR_DEFAULTS, KE0: 0.7, E0: 10, EMAX: 80, EC50: 2, GAMMA: 1 },
  positive: ['V', 'V2', 'V3', 'EC50', 'GAMMA'],
  anySign: ['E0', 'EMAX'],
  stateNames: (st) => [...linearStateNames(st), 'EFFECT'],
  notDosed: { EFFECT: 'the effect-site concentration (Ce, driven by the central concentration at KE0)' },
  output: 'effect',
  scaleByVolume: true,
  fill: (st, v, out, off) => {
    fillLinear(st, v, out, off);
    out[off + PEffect.V] = v('V');
    out[off + PEffect.KE0] = v('KE0');
    out[off + PEffect.E0] = v('E0');
    out[off + PEffect.EMAX] = v('EMAX');
    out[off + PEffect.EC50] = v('EC50');
    out[off + PEffect.GAMMA] = v('GAMMA');
  },
  solver: 'ode',
  doseProportional: false,
  linearInStates: true,
});
