// summary.json listed a daily AUC's 24/τ under "fu", the unbound fraction: "fu": 0.6667 for auc24
// at q36h, "fu": 3 after an SS = 1 reset, where the user gave no fu. It is "scale" now, and "fu" the
// unbound fraction given, if any.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const run = async (metric: string, regimen = 'examples/wb-regimen.json') => {
  const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', regimen, '--n', '3', '--seed', '1', '--metric', metric, '--workers', '0', '--no-progress', '--json']);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out).metrics as Record<string, unknown>[])[0]!;
};

describe('summary metrics: the daily AUC factor is scale, not fu', () => {
  it('auc24 over a whole day of intervals has neither; fu= is the fraction given', async () => {
    const m = await run('auc24');
    expect(m.scale).toBeUndefined();
    expect(m.fu).toBeUndefined();
    expect((await run('fu=0.1/auc24')).fu).toBe(0.1);
  });

  it('auc24 at q36h: scale 24/36, no fu (it read "fu": 0.6667)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-scale-'));
    try {
      const reg = join(dir, 'q36.json');
      writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 500, cmt: 1, addl: 9, ii: 36 }], observe: [{ grid: { from: 0, to: 360, step: 1 } }] }));
      const m = await run('auc24', reg);
      expect(m.scale).toBeCloseTo(24 / 36, 15);
      expect(m.fu).toBeUndefined();
      expect((await run('fu=0.1/auc24', reg)).fu).toBe(0.1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
