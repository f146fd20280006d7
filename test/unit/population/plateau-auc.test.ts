// A flat profile's AUC: a continuous infusion at steady state (duration = interval, SS = 1) holds
// the level at Css = rate/CL, so AUC over any window is Css·length. The log-down rule's logarithmic
// mean (ca − cb)/ln(ca/cb) lost every digit where consecutive samples differ in the last bits
// (ln of a ratio that rounds to 1 + k·ε): AUC24 241.4 for 352.4, 8 or 16 per hour for 14.684, and
// each ODE method wrong differently. Checked against the closed form on a two-compartment model.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-plateau-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CL = 5.67506363011818;
const model = join(tmp, 'm2.json');
writeFileSync(model, JSON.stringify({ dosewise: 2, name: '2cmt fixed', structure: { kind: 'linear', compartments: 2, depot: false, parameterization: 'clearance' }, parameters: { CL: { value: CL }, V: { value: 127.87996031289373 }, V2: { value: 39.16981951038598 }, Q: { value: 6.5 } } }));
const regimen = join(tmp, 'cont.json');
writeFileSync(regimen, JSON.stringify({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 12, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] }));

async function metrics(method: string): Promise<Record<string, number>> {
  const r = await cli(['population', '--model', model, '--regimen', regimen, '--n', '1', '--metric', 'auc24', '--metric', 'cavg', '--metric', 'auc:0:1', '--metric', 'auc:4:5', '--method', method, '--workers', '0', '--no-progress', '--json']);
  expect(r.code, r.err).toBe(0);
  return Object.fromEntries((JSON.parse(r.out).metrics as { name: string; report: { mean: number } }[]).map((m) => [m.name, m.report.mean]));
}

describe('AUC of a flat profile (continuous infusion at steady state)', () => {
  const css = 1000 / 12 / CL;
  it('analytic: AUC24 = 2000/CL, Cavg = Css, an hour = Css (1e-12)', async () => {
    const m = await metrics('analytic');
    expect(Math.abs((m.auc24 as number) / (2000 / CL) - 1)).toBeLessThan(1e-12);
    expect(Math.abs((m.cavg as number) / css - 1)).toBeLessThan(1e-12);
    expect(Math.abs((m['auc:0:1'] as number) / css - 1)).toBeLessThan(1e-12);
    expect(Math.abs((m['auc:4:5'] as number) / css - 1)).toBeLessThan(1e-12);
  });
  for (const method of ['dopri5', 'dop853', 'rosenbrock'])
    it(`${method}: as exact (measured 1e-15 to 8e-14)`, async () => {
      const m = await metrics(method);
      expect(Math.abs((m.auc24 as number) / (2000 / CL) - 1)).toBeLessThan(1e-12);
      expect(Math.abs((m['auc:4:5'] as number) / css - 1)).toBeLessThan(1e-12);
    });
});
