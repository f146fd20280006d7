// The nomogram's text shows the rounded dose exactly. It printed every dose to 3 significant
// digits: 12.25 (multiples of 0.25) as 12.3 and 1113.5 (multiples of 0.5) as 1114, doses that
// cannot be given, while --json had the rounded dose.
//
// Closed form: a one-compartment IV model with CL = 5 L/h (WT 70) at steady state gives
// AUC24 = dose·(24/τ)/CL, so the q12h dose for a target T is T·5·12/24 = 2.5·T:
// T = 4.9 → 12.25, T = 49.1 → 122.75, T = 445.4 → 1113.5, T = 4.936 → 12.34.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { doseText, formatNomogram, nomogram } from '../../../src/design/nomogram/nomogram.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-nomogram-text-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const modelJson = {
  dosewise: 2,
  name: 'closed-form 1cmt iv',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  covariates: { WT: { unit: 'kg', default: 70 } },
  parameters: { CL: { expr: 'TVCL * (WT/70)^0.75 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  observe: { compartment: 1, unit: 'mg/L' },
};
const model = defineModel(modelJson);
const modelFile = join(tmp, 'm1.json');
writeFileSync(modelFile, JSON.stringify(modelJson));

/** The table's cell for WT = 70 (the last line of the one-axis table). */
const cellOf = (out: string): string => out.trim().split('\n').find((l) => l.startsWith('70 '))!.trim().split(/\s{2,}/)[1] as string;
const run = (target: number, ...extra: string[]) => cli(['nomogram', '--model', modelFile, '--target', `auc24=${target}`, '--interval', '12', '--grid', 'WT=70', ...extra]);

describe('nomogram text: the rounded dose as given', () => {
  it('dosewise nomogram: 12.25 with --round 0.25, 1113.5 with --round 0.5, the dose of --json', async () => {
    for (const [target, step, dose] of [[4.9, '0.25', 12.25], [49.1, '0.25', 122.75], [445.4, '0.5', 1113.5]] as const) {
      const text = await run(target, '--round', step);
      expect(text.code, text.err).toBe(0);
      expect(cellOf(text.out), `${target}`).toBe(String(dose));
      const json = await run(target, '--round', step, '--json');
      const cell = (JSON.parse(json.out) as { cells: { dose: number; computed: number }[] }).cells[0]!;
      expect(cell.dose).toBe(dose);
      expect(Math.abs(cell.computed / (2.5 * target) - 1)).toBeLessThan(1e-9);
    }
  }, 60_000);

  it('an unrounded dose keeps 3 significant digits; sums of strengths and a bound are shown exactly', async () => {
    expect(cellOf((await run(4.936)).out)).toBe('12.3'); // 12.34, not rounded
    // 12.25 = 1 × 10 + 1 × 2.25
    const strengths = await run(4.9, '--strengths', '10,2.25', '--json');
    expect((JSON.parse(strengths.out) as { cells: { units: unknown }[] }).cells[0]!.units).toEqual([{ strength: 10, count: 1 }, { strength: 2.25, count: 1 }]);
    expect(cellOf((await run(4.9, '--strengths', '10,2.25')).out)).toBe('12.25');
    // not rounded, lowered to --max-dose 10.125 (computed 12.34): the bound, not 10.1
    const capped = await run(4.936, '--max-dose', '10.125');
    expect(cellOf(capped.out)).toBe('10.125^');
    const note = (JSON.parse((await run(4.936, '--max-dose', '10.125', '--json')).out) as { cells: { note: string }[] }).cells[0]!.note;
    expect(note).toBe('computed dose 12.3 is above the largest allowed dose 10.125: lowered to 10.125');
  }, 60_000);

  it('the API: formatNomogram and the clamp note show the rule\'s dose, and the result carries the rule', () => {
    const n = nomogram(model, { target: { metric: 'auc24', value: 445.4 }, intervals: [12, 24], grid: [{ name: 'WT', values: [70] }], rounding: { kind: 'increment', step: 0.5 } });
    expect(n.roundingRule).toEqual({ kind: 'increment', step: 0.5 });
    expect(n.cells[0]!.dose).toBe(1113.5);
    expect(formatNomogram(n)).toMatch(/^70 +1113\.5 q12h$/m);
    // computed 2.5·440 = 1100, below the smallest allowed dose 1200.25 (a multiple of 0.25): raised to it
    const raised = nomogram(model, { target: { metric: 'auc24', value: 440 }, intervals: [12], grid: [{ name: 'WT', values: [70] }], rounding: { kind: 'increment', step: 0.25, min: 1200.25 } });
    expect(raised.cells[0]).toMatchObject({ dose: 1200.25, clamped: 'min', clampedBy: 'computed' });
    expect(raised.cells[0]!.note).toBe('computed dose 1100 is below the smallest allowed dose 1200.25: raised to 1200.25');
    expect(formatNomogram(raised)).toMatch(/^70 +1200\.25v$/m);
    expect(doseText(12.25, { kind: 'increment', step: 0.25 })).toBe('12.25');
    expect(doseText(12.25, { kind: 'exact' })).toBe('12.3');
    expect(doseText(0.125, { kind: 'exact', min: 0.125 }, 'min')).toBe('0.125');
  });
});
