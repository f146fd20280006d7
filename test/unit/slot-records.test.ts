// The layout by design evaluates records through the slot evaluator (src/engine/slot-records.ts):
// its kernel sets and modifiers must be bitwise Model.evaluate's, and it must step aside wherever
// evaluate throws (the general path then raises evaluate's error, naming the row).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineModel, type Evaluation, type Model } from '../../src/model/model.js';
import { SlotRecords } from '../../src/engine/slot-records.js';
import { dosing, dosingData, tv, tvData } from './conformance-data.js';

// a parameter reading its own data item, a covariate with a default, a scale from a parameter
const selfRef = defineModel({
  dosewise: 1,
  name: 'self reference',
  structure: 'advan2',
  parameters: { CL: { expr: 'CL*(WT/70)^0.75' }, V: { expr: 'V0*(WT/70)' }, KA: { value: 1.5 }, V0: { value: 20 } },
  covariates: { WT: { default: 70 } },
  observe: { compartment: 2, scale: 'V/1000' },
});

const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

function same(model: Model, items: Record<string, number>): void {
  let want: Evaluation | undefined;
  try {
    want = model.evaluate(items);
  } catch {
    want = undefined;
  }
  const got = new SlotRecords(model).evaluate(items, 0);
  if (want === undefined) {
    expect(got).toBeUndefined();
    return;
  }
  expect(got).toBeDefined();
  if (!got) return;
  for (const k of ['kernel', 'lag', 'F', 'R', 'D', 'S'] as const) expect(bits(got[k]), k).toBe(bits(want[k]));
}

describe('record sets through the slot evaluator', () => {
  it('equal Model.evaluate on the nmtests records (modifiers from data items, time-varying covariates)', () => {
    for (const r of dosingData) same(dosing, r.items);
    for (const r of tvData) same(tv, r.items);
  });

  it('equal Model.evaluate with data items replacing parameters, a parameter reading its own item, and missing items', () => {
    same(tv, { WT: 80 });
    same(tv, { WT: 80, CL: 2.5 });
    same(tv, { WT: 80, CL: 2.5, V: NaN });
    same(tv, { WT: NaN });
    same(tv, {});
    same(tv, { WT: -1 });
    same(selfRef, { CL: 3 });
    same(selfRef, { CL: 3, WT: 50 });
    same(selfRef, { CL: 3, V: 30 });
    same(selfRef, { CL: 3, V: 30, WT: 90 });
    same(selfRef, { V: 30 });
    same(selfRef, { CL: 3, KA: 0 });
    same(selfRef, { CL: -3 });
    same(dosing, { LAGT: 1, MODE: 1, DUR2: 2, RAT2: -10, BIOAV: 1 });
  });

  it('equal Model.evaluate on random items, one evaluator reused across records (property)', () => {
    const ev = new SlotRecords(selfRef);
    const value = fc.oneof(fc.double({ min: -2, max: 200, noNaN: true }), fc.constant(NaN), fc.constant(0), fc.constant(-0));
    const items = fc.record({ CL: value, V: value, KA: value, WT: value, V0: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(items, { minLength: 1, maxLength: 6 }), (list) => {
        list.forEach((it, j) => {
          let want: Evaluation | undefined;
          try {
            want = selfRef.evaluate(it);
          } catch {
            want = undefined;
          }
          const got = ev.evaluate(it, j % 3);
          if (want === undefined) expect(got).toBeUndefined();
          else for (const k of ['kernel', 'lag', 'F', 'R', 'D', 'S'] as const) expect(bits((got as Evaluation)[k]), k).toBe(bits(want[k]));
        });
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
