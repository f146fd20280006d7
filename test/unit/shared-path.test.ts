// The population fast path (events walked once for all subjects) must give bitwise the same
// profiles as the per-subject walker, on every kind of event.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { compileForModel } from '../../src/engine/simulate.js';
import { engine } from '../../src/engine/load.js';
import { Kind, Method, P, PAR_STRIDE } from '../../src/abi.js';

const csv = `ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS
1,0,1,100,1,0,0,24,1
1,0,0,0,0,0,0,0,0
1,2,1,50,2,25,0,0,0
1,3,0,0,0,0,0,0,0
1,5,0,0,1,0,0,0,0
1,8,1,80,1,0,3,12,0
1,9.5,0,0,0,0,0,0,0
1,30,3,0,0,0,0,0,0
1,31,1,60,2,10,0,8,2
1,40,0,0,0,0,0,0,0
1,48,0,0,0,0,0,0,0
1,50,1,40,1,20,0,0,0
1,51,0,0,0,0,0,0,0
1,60,0,0,0,0,0,0,0
`;

describe('population fast path', () => {
  // subjects go through the fast path in pairs (one SIMD lane each): an odd count leaves an idle
  // lane; a subject observing another state than the rest takes the per-subject observation
  const cases = [
    { cmts: 1, nSubj: 50, mixed: false },
    { cmts: 2, nSubj: 50, mixed: false },
    { cmts: 3, nSubj: 50, mixed: false },
    { cmts: 1, nSubj: 65, mixed: false },
    { cmts: 2, nSubj: 3, mixed: true },
    { cmts: 3, nSubj: 129, mixed: true },
  ];
  for (const { cmts, nSubj, mixed } of cases) {
    it(`${cmts}-compartment oral, ${nSubj} subjects${mixed ? ', one observing its depot' : ''}: bitwise equal to the per-subject path`, () => {
      const model = defineModel({
        dosewise: 1,
        name: 'x',
        structure: { kind: 'linear', compartments: cmts, depot: true },
        // only the structure's: Q and V2 given to a one-compartment model are refused (nothing reads them)
        parameters: { CL: 3, V: 30, KA: 0.9, ...(cmts >= 2 ? { Q: 4, V2: 50 } : {}), ...(cmts >= 3 ? { Q3: 1, V3: 80 } : {}) },
      });
      const recs = readNmtran(csv).records;
      const c = compileForModel(model, recs, {});
      const params = new Float64Array(nSubj * PAR_STRIDE);
      for (let s = 0; s < nSubj; s++) {
        params.set(c.params.subarray(0, PAR_STRIDE), s * PAR_STRIDE);
        params[s * PAR_STRIDE + P.k10] *= 0.5 + s / nSubj; // k10 varies
        params[s * PAR_STRIDE + P.ka] *= 0.7 + (s % 7) / 5; // ka varies
      }
      if (mixed) params[(nSubj - 2) * PAR_STRIDE + P.obsIndex] = 0;
      const job = {
        kind: Kind.Linear, ncmt: cmts, depot: true, method: Method.Analytic, nStates: model.nStates,
        events: c.events, evStart: new Int32Array(nSubj), evEnd: new Int32Array(nSubj).fill(c.events.n),
        params, parBase: Int32Array.from({ length: nSubj }, (_, i) => i),
        outBase: Int32Array.from({ length: nSubj }, (_, i) => i * recs.length), nOut: nSubj * recs.length,
        rtol: 1e-8, atol: 1e-10,
      };
      const fast = engine().run({ ...job, amounts: false });
      const slow = engine().run({ ...job, amounts: true });
      expect(fast.failed).toBe(0);
      expect(Buffer.from(fast.obs.buffer).equals(Buffer.from(slow.obs.buffer))).toBe(true);
      expect(fast.obs.some((v) => v > 0)).toBe(true);
      // a caller's buffer, reused from call to call, receives the same values; a short one is refused
      const into = new Float64Array(job.nOut + 7).fill(-1);
      for (let k = 0; k < 2; k++) {
        const again = engine().run({ ...job, amounts: false }, into);
        expect(again.obs.buffer).toBe(into.buffer);
        expect(Buffer.from(again.obs.slice().buffer).equals(Buffer.from(fast.obs.buffer))).toBe(true);
      }
      expect(into[job.nOut]).toBe(-1);
      expect(() => engine().run({ ...job, amounts: false }, new Float64Array(job.nOut - 1))).toThrow(/output buffer holds .* the batch has/);
    });
  }
});
