// The MAP objective keeps its per-call buffers (parameter sets, observations) per thread, shared by
// every patient's objective: values must not depend on which objectives ran before, and arrays
// handed to a caller (simulate, predict) must never be overwritten by a later objective call.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import { regimenRecords, wMapModel } from './wmap.js';

const model = defineModel(wMapModel);

/** A second patient with other levels and one more sample (another record count). */
function otherPatient() {
  const rows: Record<string, number>[] = [
    { TIME: 0, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 2, EVID: 0, DV: 20.1 },
    { TIME: 11, EVID: 0, DV: 5.2 },
    { TIME: 12, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 23.5, EVID: 0, DV: 6.9 },
    { TIME: 24, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 26, EVID: 0, DV: 30.3 },
  ];
  return rows.map((r, i) => recordFromItems({ ID: 2, ...r }, i + 1));
}

/** 5 points around η = (0.1, −0.2): a central-difference stencil, as the optimizer sends. */
function stencil(): Float64Array {
  const x = new Float64Array(10);
  for (let k = 0; k < 5; k++) {
    x[2 * k] = 0.1 + (k === 1 ? 1e-3 : k === 2 ? -1e-3 : 0);
    x[2 * k + 1] = -0.2 + (k === 3 ? 1e-3 : k === 4 ? -1e-3 : 0);
  }
  return x;
}

describe('MAP objective scratch buffers', () => {
  it('gives the same values whichever objectives ran before', () => {
    const a = mapObjective(model, regimenRecords());
    const b = mapObjective(model, otherPatient());
    const xs = stencil();
    const a1 = new Float64Array(5);
    a.ofvBatch(xs, 5, a1);
    const b1 = new Float64Array(5);
    b.ofvBatch(xs, 5, b1);
    const a2 = new Float64Array(5);
    a.ofvBatch(xs, 5, a2);
    expect([...a2]).toEqual([...a1]);
    // one point, then the stencil again: another count in between
    const one = new Float64Array(1);
    b.ofvBatch(xs.subarray(0, 2), 1, one);
    expect(one[0]).toBe(b1[0]);
    const fresh = mapObjective(model, regimenRecords());
    const a3 = new Float64Array(5);
    fresh.ofvBatch(xs, 5, a3);
    expect([...a3]).toEqual([...a1]);
    expect(a1[0]).not.toBe(b1[0]);
    // other points on the objective made first, after the others ran: the values of a new objective
    const moved = stencil().map((v) => v - 0.07);
    const a4 = new Float64Array(5);
    a.ofvBatch(moved, 5, a4);
    const a5 = new Float64Array(5);
    mapObjective(model, regimenRecords()).ofvBatch(moved, 5, a5);
    expect([...a4]).toEqual([...a5]);
    expect(a4[0]).not.toBe(a1[0]);
  });

  it('never overwrites arrays handed to the caller', () => {
    const a = mapObjective(model, regimenRecords());
    const b = mapObjective(model, otherPatient());
    const xs = stencil();
    const sim = a.simulateAsObjective(xs, 5);
    const kept = Float64Array.from(sim.obs);
    const pred = a.predict([0.1, -0.2]);
    const ipred = Float64Array.from(pred.ipred);
    const out = new Float64Array(5);
    a.ofvBatch(stencil().map((v) => v + 0.05), 5, out);
    b.ofvBatch(xs, 5, out);
    expect([...sim.obs]).toEqual([...kept]);
    expect([...pred.ipred]).toEqual([...ipred]);
  });
});
