// The Taylor-series method ('taylor', assembly/ode/taylor.ts) on the Michaelis–Menten built-ins
// against SciPy (taylor-mm.json, from taylor_mm.py: Radau at rtol 1e-12, cross-checked against
// LSODA): mm-iv boluses, mm-iv zero-order infusions, and mm-oral with an absorption lag,
// bioavailability and a steady-state dose, through simulate() (the event walker: doses, the
// infusion's end, the lagged arrival, the periodic solve). Each amount's error in units of its
// tolerance, |got − want|/(rtol·|want| + atol) (atol = rtol/100), stays within a small factor (its
// relative error within a small factor of rtol wherever the amount is above atol/rtol), and within
// what DOP853 reaches on the same records at the same tolerances.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel, type Model, type SolverMethod } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';

interface Case {
  readonly name: string;
  readonly parameters: Record<string, number>;
  readonly stateNames: readonly string[];
  readonly records: readonly Record<string, number>[];
  readonly times: readonly number[];
  readonly amounts: readonly (readonly number[])[];
  readonly crossCheck: number;
}
const { cases } = JSON.parse(readFileSync(new URL('./taylor-mm.json', import.meta.url), 'utf8')) as { cases: Case[] };

function modelOf(c: Case): Model {
  const p = c.parameters;
  if (c.stateNames.length === 1) return builtinModel('mm-iv', { V: p.V as number, VMAX: p.VMAX as number, KM: p.KM as number, CL: p.CL as number });
  return defineModel({
    dosewise: 2,
    name: 'mm-oral lag F',
    structure: 'mm-oral',
    parameters: { V: p.V, VMAX: p.VMAX, KM: p.KM, KA: p.KA, CL: p.CL, ALAG: p.ALAG, F1: p.F1 },
    compartments: { '1': { lag: 'ALAG', bioavailability: 'F1' } },
  });
}

/** The case as NM-TRAN rows: its doses, then an observation of the central compartment at each time. */
function csv(c: Case): string {
  const central = c.stateNames.length;
  const rows = [
    ...c.records.map((r) => ({ t: r.TIME as number, s: `1,${r.TIME},1,${r.AMT},${r.CMT},${r.RATE ?? 0},${r.SS ?? 0},${r.II ?? 0},.,1` })),
    ...c.times.map((t) => ({ t, s: `1,${t},0,.,${central},.,.,.,.,1` })),
  ].sort((a, b) => a.t - b.t);
  return 'ID,TIME,EVID,AMT,CMT,RATE,SS,II,DV,MDV\n' + rows.map((r) => r.s).join('\n') + '\n';
}

/** Largest error over the observed amounts, in units of the tolerance rtol·|want| + atol. */
function maxErr(c: Case, method: SolverMethod, rtol: number): number {
  const records = readNmtran(csv(c)).records;
  const atol = rtol * 1e-2;
  const s = simulate(modelOf(c), records, { method, rtol, atol });
  const n = c.stateNames.length;
  const amounts = s.amounts as Float64Array;
  let worst = 0;
  let k = 0;
  records.forEach((r, i) => {
    if (r.EVID !== 0) return;
    const want = c.amounts[k++] as readonly number[];
    want.forEach((v, j) => {
      worst = Math.max(worst, Math.abs((amounts[i * n + j] as number) - v) / (rtol * Math.abs(v) + atol));
    });
  });
  expect(k).toBe(c.times.length);
  return worst;
}

describe('taylor on the Michaelis–Menten built-ins against SciPy (Radau, rtol 1e-12)', () => {
  for (const c of cases)
    describe(c.name, () => {
      it('the reference agrees with LSODA (relative, amounts above 1e-9 mg) within 1e-8', () => {
        // measured 3.0e-9 (mm-iv bolus, at its smallest amounts), 7.0e-11, 7.3e-10
        expect(c.crossCheck).toBeLessThan(1e-8);
      });
      for (const rtol of [1e-6, 1e-8, 1e-10])
        it(`rtol ${rtol}: within 5 tolerances, and no worse than 2× DOP853`, () => {
          const taylor = maxErr(c, 'taylor', rtol);
          const dop853 = maxErr(c, 'dop853', rtol);
          console.info(`${c.name}, rtol ${rtol}: taylor ${taylor.toFixed(3)}, dop853 ${dop853.toFixed(3)} tolerances`);
          expect(taylor).toBeLessThan(5);
          expect(taylor).toBeLessThan(Math.max(2 * dop853, 1));
        });
    });
});
