// Metrics at times before the first dose: the level there is 0 (nothing given yet). The metric grid
// sampled no time before the first record, so conc@5 before a bolus at 10 h read the level just
// after it (10 for 0), and a window before it (auc:0:9) had no sample at all (NA for 0). An SS=1
// first dose stands for a history the profile does not hold: a point before it is refused.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-before-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const model = join(tmp, 'iv.json');
writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'iv', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: 1, V: 10 } }));

async function metrics(dose: Record<string, number>, names: string[]): Promise<{ code: number; err: string; m: Record<string, number> }> {
  const regimen = join(tmp, 'r.json');
  writeFileSync(regimen, JSON.stringify({ doses: [dose], observe: [{ times: [12, 24] }] }));
  const r = await cli(['population', '--model', model, '--regimen', regimen, '--n', '1', ...names.flatMap((n) => ['--metric', n]), '--workers', '0', '--no-progress', '--json']);
  if (r.code !== 0) return { code: r.code, err: r.err, m: {} };
  return { code: 0, err: r.err, m: Object.fromEntries((JSON.parse(r.out).metrics as { name: string; report: { mean: number } }[]).map((x) => [x.name, x.report.mean])) };
}

describe('metrics before the first dose', () => {
  it('a bolus at 10 h: conc@5 = conc@9.99 = 0, a window before it 0, conc@11 = 10·e^−0.1', async () => {
    const { code, err, m } = await metrics({ time: 10, amt: 100, cmt: 1 }, ['conc@5', 'conc@9.99', 'conc@11', 'auc:0:9', 'cmax:0:9', 'auc:5:12']);
    expect(code, err).toBe(0);
    expect(m['conc@5']).toBe(0);
    expect(m['conc@9.99']).toBe(0);
    expect(m['conc@11']).toBeCloseTo(10 * Math.exp(-0.1), 12);
    expect(m['auc:0:9']).toBe(0);
    expect(m['cmax:0:9']).toBe(0);
    // the window across the dose: ∫ from 10 to 12 of 10·e^−0.1(t−10)
    expect(Math.abs((m['auc:5:12'] as number) / (100 * (1 - Math.exp(-0.2))) - 1)).toBeLessThan(1e-12);
  });

  it('a point before a first dose given at steady state is refused: the level there is not the patient\'s', async () => {
    const r = await metrics({ time: 10, amt: 100, cmt: 1, ii: 12, ss: 1 }, ['conc@5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/metric conc@5: 5 h is before the SS=1 dose at 10 h, the first dose/);
  });
});
