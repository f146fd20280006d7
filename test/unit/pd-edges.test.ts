// Three PD edges, each against its closed form: time above a threshold is strictly above (a
// profile at 0 before the first dose counted as above 0); effect-emax observing compartment 1
// without an output reads its concentration (it read the Emax response whatever compartment was
// named); occupancy doses only into a drug compartment (a dose into the complex state was run).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli/run-cli.js';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-pd-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PD edges', () => {
  it('tabove:0 counts the time the level is above 0: not the 10 h before the first dose', async () => {
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ dosewise: 2, name: 'one', structure: '1cmt-iv', parameters: { CL: 5, V: 20 } }));
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ doses: [{ time: 10, amt: 1000, cmt: 1 }], observe: [{ grid: { from: 0, to: 48, step: 1 } }] }));
    const r = await cli(['population', '--model', join(dir, 'm.json'), '--regimen', join(dir, 'r.json'), '--n', '1', '--workers', '0', '--no-progress', '--metric', 'tabove:0', '--metric', 'tabove:0:0:10', '--metric', 'tabove:1e-300', '--json']);
    expect(r.code, r.err).toBe(0);
    const mean = (name: string) => (JSON.parse(r.out).metrics as { name: string; report: { mean: number } }[]).find((m) => m.name === name)?.report.mean;
    // 48 and 10 before (the plateau at 0 counted)
    expect(mean('tabove:0')).toBe(38);
    expect(mean('tabove:0:0:10')).toBe(0);
    expect(mean('tabove:1e-300')).toBe(38);
  });

  it('effect-emax observing compartment 1 reads A1/V; the effect compartment (or none named) the response', () => {
    const base = { dosewise: 2, name: 'effect', structure: 'effect-emax', parameters: { CL: 5, V: 50, KE0: 0.7, E0: 10, EMAX: 80, EC50: 2 } };
    const data = readNmtran(['ID,TIME,EVID,AMT,CMT,RATE,DV,MDV', '1,0,1,500,1,250,.,1', '1,4,0,.,0,0,.,0'].join('\n')).records;
    const conc = simulate(defineModel({ ...base, observe: { compartment: 1 } }), data, { method: 'dopri5' });
    const A1 = (conc.amounts as Float64Array)[2] as number;
    expect(conc.ipred[1]).toBe(A1 / 50);
    // closed form: 250 mg/h for 2 h into CL 5, V 50, then 2 h of decay
    const k = 0.1;
    expect(Math.abs((conc.ipred[1] as number) / (((250 / k) * (1 - Math.exp(-2 * k)) * Math.exp(-2 * k)) / 50) - 1)).toBeLessThan(1e-8);
    for (const observe of [undefined, { compartment: 2 }]) {
      const eff = simulate(defineModel({ ...base, ...(observe ? { observe } : {}) }), data, { method: 'dopri5' });
      const Ce = (eff.amounts as Float64Array)[3] as number;
      expect(eff.ipred[1]).toBeCloseTo(10 + (80 * Ce) / (2 + Ce), 12);
    }
  });

  it('occupancy refuses a dose into the receptor or complex state, naming it', async () => {
    for (const cmt of ['2', '3']) {
      const r = await cli(['occupancy', '--model', 'examples/occupancy-tmdd.model.json', '--target', '0.9', '--interval', '168', '--receptor', '1', '--cmt', cmt]);
      expect(r.code, cmt).toBe(2);
      expect(r.err).toMatch(new RegExp(`compartment ${cmt} of model .* is (RECEPTOR|COMPLEX), not a dose compartment; give 1 \\(CENTRAL\\)`));
    }
  });
});
