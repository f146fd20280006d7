// The kernel filler checks every structural value inline (finite; > 0 or ≥ 0 as the structure
// needs) and asks parameterCheck about the values it flags, to word the refusal; a value it lets
// through is never asked about. So it must flag at least every value parameterCheck refuses: on
// every structural parameter of every built-in structure, for the values where they could part
// (±0, negatives, subnormals, NaN and ±∞), the refusals are parameterCheck's, word for word.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { BUILTIN_STRUCTURES, defaultParameters, parameterCheck, structuralParameters } from '../../src/model/structure.js';

const VALUES = [1, 0, -0, -1, 5e-324, -5e-324, NaN, Infinity, -Infinity];

describe('kernel sets: inline checks decide as parameterCheck', () => {
  for (const [name, st] of Object.entries(BUILTIN_STRUCTURES)) {
    it(name, () => {
      const { required } = structuralParameters(st);
      const check = parameterCheck(st);
      for (const p of required)
        for (const x of VALUES) {
          // the value comes from a data item X, as a covariate's would (a model file holds finite numbers only)
          const model = defineModel({ dosewise: 1, name, structure: name, parameters: { ...defaultParameters(st), [p]: 'X' } });
          const ev = model.slots;
          const v = new Float64Array(ev.nSlots);
          v[ev.slot('X')] = x;
          const problem = ev.run(v, new Float64Array(model.parStride), 0);
          const why = check(p, x);
          // another parameter computed from this one may be refused instead (e.g. k10 = CL / V): only this one's verdict is compared
          if (problem?.name === p || why === undefined) expect(problem?.name === p ? problem.why : undefined, `${name} ${p} = ${x}`).toBe(why);
          else expect(problem, `${name} ${p} = ${x}`).toBeDefined();
        }
    });
  }
});
