// Claret tumour growth inhibition: one state, the tumour size, no PK compartments (kernel:
// assembly/models/claret.ts). Its output is the size itself, not divided by a volume.

import { PClaret } from '../../abi.generated.js';
import { builtin } from './descriptor.js';

export const descriptor = builtin({
  kind: 'claret',
  structures: { claret: { compartments: 1, depot: false } },
  multiCompartment: false,
  parameters: () => ({ required: ['BASE', 'KG', 'KS0', 'GAMMA', 'DOSE'], optional: {} }),
  defaults: { BASE: 70, KG: 0.6, KS0: 0.4, GAMMA: 0.8, DOSE: 10 },
  // DOSE 0 is the untreated arm and GAMMA 0 Claret without resistance: the kernel reads both (ln 0 is no drug effect)
  positive: ['BASE'],
  anySign: ['KG', 'KS0'],
  stateNames: () => ['TUMOUR'],
  // its drug enters as the DOSE item: a dose record was added to the tumour size
  notDosed: { TUMOUR: 'the tumour size' },
  central: () => 1,
  output: 'concentration',
  scaleByVolume: false,
  fill: (_st, v, out, off) => {
    out[off + PClaret.BASE] = v('BASE');
    out[off + PClaret.KG] = v('KG');
    out[off + PClaret.KS0] = v('KS0');
    out[off + PClaret.GAMMA] = v('GAMMA');
    out[off + PClaret.DOSE] = v('DOSE');
  },
  solver: 'ode',
  doseProportional: false,
  linearInStates: false,
  readsTime: true,
});
