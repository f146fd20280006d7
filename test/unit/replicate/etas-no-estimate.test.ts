// `estimate --json` gives an ID whose MAP search could not start as { id, error } in place of its
// estimate: read back as η for simulation (`simulate --etas`), the whole file was refused as
// "1.eta: expected 1 finite numbers" and the other IDs' η could not be used. Such an entry gives no
// η: the other IDs are read, and an ID of the data set without η is refused where they are used.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readIndividualEtas } from '../../../src/replicate/etas.js';

const model = defineModel({
  dosewise: 2,
  name: 'one eta',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '5', V: '40*exp(ETA_V)' },
  omega: { etas: ['ETA_V'], diagonal: [0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});

describe('η from estimate --json with an ID that has no estimate', () => {
  const json = JSON.stringify([
    { id: 1, eta: [-0.344218] },
    { id: 2, error: { code: 'E_SOLVER', message: 'no steady state' } },
    { id: 3, eta: [-0.26104] },
  ]);
  it('reads the others and gives none for that ID', () => {
    expect([...readIndividualEtas(json, 'est.json', model)]).toEqual([
      [1, [-0.344218]],
      [3, [-0.26104]],
    ]);
  });
  it('still refuses an entry with neither η nor an error', () => {
    expect(() => readIndividualEtas(JSON.stringify([{ id: 2 }]), 'est.json', model)).toThrow(/0\.eta: expected 1 finite numbers/);
  });
});
