// A nomogram dose exactly at the largest allowed dose is not "above" it. 1-cmt IV, CL 4 L/h
// (CRCL 90), V 40 L, auc24 = 500 every 12 h over 2 h: the exact dose is 500·CL·τ/24 = 1000 mg
// (AUC24 = 2·Dose/CL at steady state). The AUC sampled on 480 points per interval (linear-up on the
// infusion's rise) is 3.8e-7 below the exact one, so the computed dose read 1000.00038 and with
// --max-dose 1000 the cell was "1000^": "computed dose 1000 is above the largest allowed dose 1000",
// "target not reached". The comparison now allows for the sampling error, estimated per cell from a
// grid twice as fine.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { nomogram } from '../../src/design/nomogram/nomogram.js';
import { roundDose } from '../../src/design/nomogram/rounding.js';
import { cli } from './cli/run-cli.js';

const MODEL = {
  dosewise: 2,
  name: '1cmt test',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  covariates: { CRCL: { unit: 'mL/min', default: 90 }, WT: { unit: 'kg', default: 70 } },
  parameters: { CL: { expr: 'TVCL * (CRCL / 90) * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * WT/70 * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.04, 0.09] },
  observe: { compartment: 1, unit: 'mg/L' },
};
const model = defineModel(MODEL);
const base = { intervals: [12], infusion: 2, grid: [{ name: 'CRCL', values: [90] }], fixed: { WT: 70 } };

describe('nomogram: a computed dose at the largest allowed dose', () => {
  it('1000 mg for auc24 = 500 at CL 4 L/h q12h is given unflagged with --max-dose 1000 (it was 1000^)', () => {
    const n = nomogram(model, { ...base, target: { metric: 'auc24', value: 500 }, rounding: { kind: 'increment', step: 250, max: 1000 } });
    const c = n.cells[0]!;
    // measured 1000.00038: the sampling error of the AUC, 3.8e-7, well inside the tolerance
    expect(Math.abs(c.computed! / 1000 - 1)).toBeLessThan(1e-6);
    expect(c.dose).toBe(1000);
    expect(c.clamped).toBeUndefined();
    expect(c.note).toBeUndefined();
  });

  it('a dose truly above the maximum is still flagged: auc24 = 505 needs 1010 mg (1 % above)', () => {
    const n = nomogram(model, { ...base, target: { metric: 'auc24', value: 505 }, rounding: { kind: 'increment', step: 250, max: 1000 } });
    const c = n.cells[0]!;
    expect(Math.abs(c.computed! / 1010 - 1)).toBeLessThan(1e-6);
    expect(c).toMatchObject({ dose: 1000, clamped: 'max', clampedBy: 'computed' });
  });

  it('not rounded: --max-dose 1000 gives 1000 without the mark', () => {
    const n = nomogram(model, { ...base, target: { metric: 'auc24', value: 500 }, rounding: { kind: 'exact', max: 1000 } });
    expect(n.cells[0]!.clamped).toBeUndefined();
  });

  it('roundDose: a dose within its accuracy of a tie or a bound is taken as there', () => {
    // 1124.9996 stands for 1125, halfway between 1000 and 1250: nearest, ties up
    expect(roundDose(1124.9996, { kind: 'increment', step: 250 }).dose).toBe(1000);
    expect(roundDose(1124.9996, { kind: 'increment', step: 250 }, 1e-6).dose).toBe(1250);
    expect(roundDose(1000.00038, { kind: 'increment', step: 250, max: 1000 })).toMatchObject({ clamped: 'max' });
    expect(roundDose(1000.00038, { kind: 'increment', step: 250, max: 1000 }, 1e-6)).toEqual({ dose: 1000, computed: 1000.00038 });
    expect(roundDose(1000.00038, { kind: 'strengths', strengths: [500], max: 1000 }, 1e-6)).not.toHaveProperty('clamped');
    expect(() => roundDose(1000, { kind: 'exact' }, Number.NaN)).toThrow(/accuracy.*NaN/);
  });

  it('CLI: the command prints 1000 without ^ and without the legend', async () => {
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-nomogram-max-'));
    try {
      const file = join(dir, 'model1.json');
      writeFileSync(file, JSON.stringify(MODEL));
      const r = await cli(['nomogram', '--model', file, '--target', 'auc24=500', '--interval', '12', '--infusion', '2', '--grid', 'CRCL=90', '--set', 'WT=70', '--max-dose', '1000', '--round', '250']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^90\s+1000$/m);
      expect(r.out).not.toContain('^');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
