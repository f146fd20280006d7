// W_COVARIATE_RANGE in nomogram, pta and band. A model file's `covariates.CRCL.range: [20, 150]` was
// checked by optimize alone: nomogram printed CRCL 10 → 111 mg and 200 → 2222 mg, pta its "CRCL < 20"
// and "CRCL ≥ 150" columns (1,124 of 2,000 subjects outside) and band a whole band "CRCL ≥ 187.8 →
// 2750 mg", exit 0, stderr empty. Now each warns once per covariate, naming the cells, strata or
// bands outside. Closed form: CRCL uniform 5–300 lies outside 20–150 with probability
// (15 + 150)/295 = 55.9 % (5.08 % below, 50.8 % above).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { gridRangeWarnings, sampledRangeBreaches } from '../../../src/design/covariate-range-design.js';
import { registerNomogram } from '../../../src/cli/nomogram.js';
import { registerPta } from '../../../src/cli/pta.js';
import { registerBand } from '../../../src/cli/band.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-range-design-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const modelJson = {
  dosewise: 2,
  name: 'one-cmt test',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  covariates: { CRCL: { unit: 'mL/min', default: 90, range: [20, 150] } },
  parameters: { CL: { expr: 'TVCL * (CRCL / 90) * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
const m1 = join(tmp, 'm1.json');
writeFileSync(m1, JSON.stringify(modelJson));
const cov = join(tmp, 'cov3.json');
writeFileSync(cov, JSON.stringify({ covariates: { CRCL: { dist: 'uniform', lower: 5, upper: 300 } } }));
const covIn = join(tmp, 'covin.json');
writeFileSync(covIn, JSON.stringify({ covariates: { CRCL: { dist: 'uniform', lower: 30, upper: 140 } } }));
const reg = join(tmp, 'reg1000.json');
writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.25 } }] }));

async function stderrOf(args: string[]): Promise<string> {
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const r of [registerNomogram, registerPta, registerBand]) r(p, () => {});
  await p.parseAsync(['node', 'dosewise', ...args]);
  vi.restoreAllMocks();
  return err.join('');
}

describe('W_COVARIATE_RANGE: nomogram, pta and band', () => {
  const model = defineModel(modelJson);
  it('library: grid values outside are named once; a sampled share 55.9 % (closed form) within 3 %', () => {
    const w = gridRangeWarnings(model, [{ name: 'CRCL', values: [10, 20, 90, 150, 200] }], {});
    expect(w).toEqual(['W_COVARIATE_RANGE: CRCL 10, 200 (grid cells at CRCL=10, CRCL=200) lie outside 20–150, the range the model was built on: an extrapolation']);
    expect(gridRangeWarnings(model, [{ name: 'CRCL', values: [20, 90, 150] }], {})).toEqual([]);
    expect(gridRangeWarnings(model, [], { CRCL: 160 })[0]).toMatch(/CRCL 160 \(set CRCL=160, every cell\) lies outside 20–150/);
    const [b] = sampledRangeBreaches(model, { covariates: { CRCL: { dist: 'uniform', lower: 5, upper: 300 } } });
    expect(b?.below as number).toBeCloseTo(15 / 295, 1);
    expect(Math.abs((b?.above as number) - 150 / 295)).toBeLessThan(0.03);
    expect(sampledRangeBreaches(model, { covariates: { CRCL: { dist: 'uniform', lower: 30, upper: 140 } } })).toEqual([]);
  });
  it('nomogram names the cells at CRCL 10 and 200', async () => {
    const e = await stderrOf(['nomogram', '--model', m1, '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=10,20,90,150,200']);
    expect(e).toMatch(/W_COVARIATE_RANGE: CRCL 10, 200 \(grid cells at CRCL=10, CRCL=200\) lie outside 20–150/);
    expect(e.match(/W_COVARIATE_RANGE/g)).toHaveLength(1);
    expect(await stderrOf(['nomogram', '--model', m1, '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=20,90,150'])).not.toMatch(/W_COVARIATE_RANGE/);
  });
  it('pta names the strata "CRCL < 20" and "CRCL ≥ 150"; a population inside is silent', async () => {
    const base = ['pta', '--model', m1, '--regimens', reg, '--target', 'auc24:400:600', '--n', '400', '--seed', '1', '--workers', '0', '--no-progress', '--strata', 'CRCL:20,150'];
    const e = await stderrOf([...base, '--covariates', cov]);
    expect(e).toMatch(/W_COVARIATE_RANGE: CRCL sampled by .*cov3\.json: 5\d(\.\d)? % of the subjects .* lie outside 20–150, the range the model was built on: an extrapolation; strata reaching outside it: "CRCL < 20", "CRCL ≥ 150"/);
    expect(e.match(/W_COVARIATE_RANGE/g)).toHaveLength(1);
    expect(await stderrOf([...base, '--covariates', covIn])).not.toMatch(/W_COVARIATE_RANGE/);
  });
  it('band names the band above 150', async () => {
    const base = ['band', '--model', m1, '--regimen', reg, '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '3', '--doses', '250:4000:250', '--n', '400', '--seed', '1', '--workers', '0', '--no-progress'];
    const e = await stderrOf([...base, '--covariates', cov]);
    expect(e).toMatch(/W_COVARIATE_RANGE: CRCL sampled by .*cov3\.json: .*bands reaching outside it: .*band 3 \(\d+(\.\d+)?–\d+(\.\d+)?, dose \d+\)/);
    expect(await stderrOf([...base, '--covariates', covIn])).not.toMatch(/W_COVARIATE_RANGE/);
  });
});
