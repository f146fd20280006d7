// Subjects of one event table integrated side by side (SIMD lanes, assembly/ode/lanes.ts) must not
// depend on who they are grouped with: for random regimens (steady-state doses among them),
// parameter sets, group sizes and explicit methods, every subject's profile and status in a batch
// are bitwise what it gets alone.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { compileForModel } from '../../src/engine/simulate.js';
import { engine } from '../../src/engine/load.js';
import type { BatchInput } from '../../src/engine/wasm.js';
import { layoutGrouped } from '../../src/engine/problem.js';
import { KIND_CODE } from '../../src/model/structure.js';
import { Method, P, PAR_STRIDE, PMm } from '../../src/abi.js';

const METHODS = [Method.Dopri5, Method.Auto, Method.Dop853, Method.AutoDop853, Method.AutoTight] as const;

const dose = fc.record({
  time: fc.integer({ min: 0, max: 47 }),
  amt: fc.double({ min: 1, max: 500, noNaN: true }),
  cmt: fc.constantFrom(1, 2),
  infusion: fc.boolean(),
});

const subject = fc.record({
  vmax: fc.double({ min: 0.2, max: 5, noNaN: true }),
  km: fc.double({ min: 0.1, max: 10, noNaN: true }),
  ka: fc.double({ min: 0.2, max: 5, noNaN: true }),
  k10: fc.double({ min: 0.3, max: 3, noNaN: true }),
});

describe('ODE subjects side by side (property)', () => {
  it('each subject of a batch is bitwise as alone, whatever its group, method and regimen', () => {
    const model = builtinModel('mm-oral', { V: 50, VMAX: 50, KM: 2, KA: 1.2, CL: 5 });
    const eng = engine();
    fc.assert(
      fc.property(
        fc.array(dose, { minLength: 1, maxLength: 4 }),
        fc.array(subject, { minLength: 1, maxLength: 9 }),
        fc.constantFrom(...METHODS),
        fc.constantFrom(1e-5, 1e-8),
        fc.boolean(),
        (doses, subjects, method, rtol, ss) => {
          // doses before observations at the same time, rows in time order
          // (optionally the first dose at steady state, every 12 h: each subject's own periodic state)
          const rows: [number, number, string][] = [];
          doses.forEach((d, k) => rows.push([d.time, 0, `1,${d.time},1,${d.amt},${d.cmt},${d.infusion ? d.amt / 2 : 0},${ss && k === 0 ? '1,12' : '0,0'}`]));
          for (let t = 0; t <= 48; t += 3) rows.push([t, 1, `1,${t},0,0,2,0,0,0`]);
          rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const records = readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,SS,II\n${rows.map((r) => r[2]).join('\n')}\n`).records;
          const compiled = compileForModel(model, records, {});
          const sets = compiled.params.length / PAR_STRIDE;
          const n = subjects.length;
          const params = new Float64Array(n * sets * PAR_STRIDE);
          subjects.forEach((s, i) => {
            params.set(compiled.params, i * sets * PAR_STRIDE);
            for (let k = 0; k < sets; k++) {
              const at = (i * sets + k) * PAR_STRIDE;
              params[at + PMm.VMAX] = (params[at + PMm.VMAX] as number) * s.vmax;
              params[at + PMm.KM] = (params[at + PMm.KM] as number) * s.km;
              params[at + P.ka] = (params[at + P.ka] as number) * s.ka;
              params[at + P.k10] = (params[at + P.k10] as number) * s.k10;
            }
          });
          const nOut = compiled.nOut;
          const job = (first: number, m: number): BatchInput => ({
            kind: KIND_CODE[model.structure.kind],
            ncmt: model.structure.compartments,
            depot: model.structure.depot,
            method,
            nStates: model.nStates,
            ...layoutGrouped(compiled.events, params.subarray(first * sets * PAR_STRIDE, (first + m) * sets * PAR_STRIDE), { n: m, groups: sets, rows: nOut }),
            amounts: false,
            rtol,
            atol: rtol * 1e-2,
          });
          const together = eng.run(job(0, n));
          for (let s = 0; s < n; s++) {
            const alone = eng.run(job(s, 1));
            expect(together.status[s]).toBe(alone.status[0]);
            const a = together.obs.subarray(s * nOut, (s + 1) * nOut);
            expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(alone.obs.buffer))).toBe(true);
          }
        },
      ),
      { numRuns: 60, seed: 20261203 },
    );
  });
});
