// Simulated residual error where the prediction is 0 (a level drawn before the first dose) and
// where it is not, against the residual models' closed forms: SD b·f, √(a² + (b·f)²), a + b·f, and
// DV = f·(1 + ε) = 0 exactly at f = 0. With exponential error log 0 has no value: said, with the count.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel, type Residual } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulateReplicates, type ReplicateOptions } from '../../../src/replicate/run.js';
import { residualVariance, simulatedVariance } from '../../../src/model/residual.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

type ResidualSpec = { model: Residual['model']; additive?: number; proportional?: number; exponential?: number };
const file = (residual: ResidualSpec) => ({
  dosewise: 2,
  name: `zero-${residual.model}`,
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 40 },
  parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV' },
  omega: { etas: ['ETA_CL'], matrix: [[0.04]] },
  residual,
});

/** A level before the dose at time 0 (IPRED 0: the record comes first), a 100 mg bolus, levels at 1 and 6 h. */
function subject(id: number): DataRecord[] {
  const rows: Record<string, number>[] = [
    { TIME: 0, EVID: 0, MDV: 0, DV: 0 },
    { TIME: 0, EVID: 1, AMT: 100, MDV: 1 },
    { TIME: 1, EVID: 0, MDV: 0, DV: 2 },
    { TIME: 6, EVID: 0, MDV: 0, DV: 1 },
  ];
  return rows.map((r, i) => recordFromItems({ ID: id, ...r }, 4 * (id - 1) + i + 1));
}
const S = 200;
const records = Array.from({ length: S }, (_, i) => subject(i + 1)).flat();

/** DV_SIM and IPRED of every observation of every replicate. */
async function draws(residual: ResidualSpec, o: ReplicateOptions = {}): Promise<{ f: number[]; y: number[]; warnings: readonly string[] }> {
  const f: number[] = [];
  const y: number[] = [];
  const run = await simulateReplicates(defineModel(file(residual)), records, { replicates: 100, seed: 'zero', workers: 0, ...o }, (b) => {
    for (let x = 0; x < b.reps * b.records; x++) {
      const r = records[x % b.records] as DataRecord;
      if (r.EVID !== 0) continue;
      f.push(b.ipred[x] as number);
      y.push(b.dv[x] as number);
    }
  });
  return { f, y, warnings: run.warnings };
}

const sd = (a: readonly number[]): number => {
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
};

describe('simulated residual error at IPRED = 0 and above', () => {
  // the closed forms, written out here (not src/model/residual.ts)
  const cases: { residual: ResidualSpec; sdAt: (f: number) => number }[] = [
    { residual: { model: 'proportional', proportional: 0.25 }, sdAt: (f) => 0.25 * f },
    { residual: { model: 'combined', additive: 0.3, proportional: 0.2 }, sdAt: (f) => Math.sqrt(0.3 ** 2 + (0.2 * f) ** 2) },
    { residual: { model: 'combined1', additive: 0.3, proportional: 0.2 }, sdAt: (f) => 0.3 + 0.2 * f },
    { residual: { model: 'additive', additive: 0.3 }, sdAt: () => 0.3 },
  ];
  for (const { residual, sdAt } of cases) {
    it(`${residual.model}: SD of DV_SIM is the model's, ${sdAt(0)} at IPRED 0`, async () => {
      const { f, y } = await draws(residual);
      const zero = y.filter((_, i) => f[i] === 0);
      expect(zero.length).toBe(S * 100); // 20,000 pre-dose levels
      if (sdAt(0) === 0) expect(zero.every((v) => v === 0)).toBe(true);
      else expect(Math.abs(sd(zero) / sdAt(0) - 1)).toBeLessThan(4 * Math.sqrt(1 / (2 * zero.length)));
      // above 0: (DV − f)/SD(f) is a standard normal (40,000 draws)
      const z = y.flatMap((v, i) => ((f[i] as number) > 0 ? [(v - (f[i] as number)) / sdAt(f[i] as number)] : []));
      expect(z.length).toBe(2 * S * 100);
      expect(Math.abs(sd(z) - 1)).toBeLessThan(4 * Math.sqrt(1 / (2 * z.length)));
      expect(Math.abs(z.reduce((s, x) => s + x, 0) / z.length)).toBeLessThan(4 / Math.sqrt(z.length));
    });
  }

  it("keeps the likelihood's guard (f = 0 read as 1) apart from the simulation's variance", () => {
    const prop = defineModel(file({ model: 'proportional', proportional: 0.25 })).residual as Residual;
    const comb = defineModel(file({ model: 'combined', additive: 0.3, proportional: 0.2 })).residual as Residual;
    expect(simulatedVariance(prop, 0)).toBe(0);
    expect(simulatedVariance(comb, 0)).toBeCloseTo(0.09, 15);
    expect(residualVariance(prop, 0)).toBeCloseTo(0.0625, 15);
    expect(simulatedVariance(comb, 3)).toBe(residualVariance(comb, 3));
  });
});

describe('exponential error at IPRED = 0', () => {
  const expo: ResidualSpec = { model: 'exponential', exponential: 0.2 };

  it('says once how many simulated observations have no value (log 0), naming the first row', async () => {
    const { f, y, warnings } = await draws(expo, { replicates: 3 });
    const missing = y.filter((v, i) => Number.isNaN(v) && f[i] === 0).length;
    expect(missing).toBe(S * 3);
    const said = warnings.filter((w) => /log 0/.test(w));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`on ${(S * 3).toLocaleString('en-US')} simulated observations whose IPRED is ≤ 0 (first: row 1, ID 1, TIME 0, IPRED 0)`);
  });

  it('with an LLOQ they are censored at it, with no such warning', async () => {
    const { f, y, warnings } = await draws(expo, { replicates: 3, lloq: -1 });
    expect(y.filter((v, i) => f[i] === 0).every((v) => v === -1)).toBe(true);
    expect(warnings.some((w) => /log 0/.test(w))).toBe(false);
  });

  it('in concentrations (logDv false) a prediction of 0 is a level of 0', async () => {
    const { f, y, warnings } = await draws(expo, { replicates: 3, logDv: false });
    expect(y.filter((v, i) => f[i] === 0)).toEqual(Array.from({ length: S * 3 }, () => 0));
    expect(warnings).toEqual([]);
  });

  it('simulate --replicates writes the warning to stderr once', async () => {
    const dir = tempDir('dw-zero-');
    writeFileSync(join(dir, 'm.json'), JSON.stringify(file(expo)));
    const lines = ['ID,TIME,EVID,AMT,DV,MDV', '1,0,0,.,.,0', '1,0,1,100,.,1', '1,1,0,.,0.9,0', '2,0,0,.,.,0', '2,0,1,100,.,1', '2,1,0,.,0.8,0'];
    writeFileSync(join(dir, 'd.csv'), lines.join('\n') + '\n');
    const out = join(dir, 'x.csv');
    const r = await cli(['simulate', '--model', join(dir, 'm.json'), '--data', join(dir, 'd.csv'), '--replicates', '2', '--workers', '0', '--no-progress', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/log 0/g)).toHaveLength(1);
    expect(r.err).toContain("DV_SIM has no value ('.') on 4 simulated observations whose IPRED is ≤ 0 (first: row 1, ID 1, TIME 0, IPRED 0)");
    const dots = readFileSync(out, 'utf8').trim().split('\n').filter((l) => l.endsWith(',0,.'));
    expect(dots).toHaveLength(4);
  });
});
