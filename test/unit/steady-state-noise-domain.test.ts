// A periodic state's depot trough that the integrator reads a little below 0 (−1.3e-11 mg for a
// true 4e-82 at atol 1e-10) is the integrator's resolution, not a non-physical root. Checked
// against rounding of the largest state alone (1e-9 of a 0.0017-mg central trough), ordinary
// SS = 1 doses were refused as "the steady-state solve found a negative amount": 100 mg of mm-oral
// q24h at KA 16 (auto, rtol 1e-10) and KA 8 (dop853, rtol 1e-6), and 2cmt-oral q168h on the ODE
// path (dop853, rtol 1e-4). References: test/oracle/periodic_noise_domain.py, its output
// periodic-noise-domain.json.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { builtinModel, type SolverMethod } from '../../src/model/model.js';

const oracle = JSON.parse(readFileSync(new URL('../oracle/periodic-noise-domain.json', import.meta.url), 'utf8')) as {
  readonly mm_oral: readonly { readonly ka: number; readonly central_trough: number }[];
  readonly two_cmt_oral: { readonly central_trough: number; readonly peripheral_trough: number };
};
const records = (tau: number): ReturnType<typeof readNmtran>['records'] =>
  readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,II,SS,DV,MDV\n1,0,1,100,1,0,${tau},1,.,1\n1,${tau},0,.,1,.,.,.,.,0\n`).records;
const amounts = (name: string, ka: number, tau: number, method: SolverMethod, rtol: number): number[] =>
  Array.from(simulate(builtinModel(name), records(tau), { method, rtol, overrides: { KA: ka } }).amounts ?? []);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('SS = 1 whose depot is ~0 at the next dose is no negative root', () => {
  it('mm-oral, KA 16, auto at rtol 1e-10: the central trough (1.2e-8 measured)', () => {
    const a = amounts('mm-oral', 16, 24, 'auto', 1e-10);
    expect(rel(a[1] as number, oracle.mm_oral[0]?.central_trough as number)).toBeLessThan(3e-8);
    expect(rel(a[3] as number, oracle.mm_oral[0]?.central_trough as number)).toBeLessThan(3e-8);
  });

  it('mm-oral, KA 8, dop853 at rtol 1e-6 (4.5e-7 measured)', () => {
    const a = amounts('mm-oral', 8, 24, 'dop853', 1e-6);
    expect(rel(a[1] as number, oracle.mm_oral[1]?.central_trough as number)).toBeLessThan(1.5e-6);
  });

  it('2cmt-oral on the ODE path, q168h, dop853 at rtol 1e-4 (4e-11 measured)', () => {
    const a = amounts('2cmt-oral', 2, 168, 'dop853', 1e-4);
    expect(rel(a[1] as number, oracle.two_cmt_oral.central_trough)).toBeLessThan(1e-9);
    expect(rel(a[2] as number, oracle.two_cmt_oral.peripheral_trough)).toBeLessThan(1e-9);
  });
});
