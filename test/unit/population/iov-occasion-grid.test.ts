// With IOV, `population` and `pta` ran the stretch before a dose that opens an occasion on that
// dose's κ (NOCB from the dose record) or on the earlier occasion's, by which samples the regimen
// asked for. Doses at 0 h (OCC 1) and 24 h (OCC 2), samples without OCC:
// with samples at [12, 36] h the 12–24 h stretch ran on κ₂, with [12, 23.9, 36] h on κ₁ (23.9–24 h
// still κ₂). trough:0:24 SD over 2,000 subjects 0.997 or 1.078; per subject up to 46.5 % off the
// occasion-1 trough; conc@36 up to 11.2 % apart between the grids; `pta --target trough:4:6` 40.6 %
// for the exact 39.50 %. An occasion now runs from its dose to the next one's, as in a forecast's
// future (doseOccasionGrid), whatever samples are asked.
// Per subject, closed form (1-cmt bolus, V 10 L): C(12) = 10 e^(−1.2 CL₁), so the occasion-1 trough
// is C(12)²/10 exactly; C(36) = (trough + 10) e^(−1.2 CL₂), CL₂ being the subject table's CL (the
// last record's). The PTA's fraction: test/oracle/iov_occasion_grid.py (normal CDF).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const oracle = JSON.parse(readFileSync('test/oracle/iov-occasion-grid.json', 'utf8')) as { fracIn: number; troughMean: number; troughSd: number };

const { dir, write } = tempFiles('dosewise-iov-grid-');
const model = write('m.json', {
  dosewise: 2,
  name: 'iov grid',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 0.2, unit: 'L/h' }, TVV: { value: 10, unit: 'L' } },
  covariates: { OCC: { unit: '1' } },
  parameters: { CL: { expr: 'TVCL*exp(ETA_CL+KAPPA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.04], occasion: 'OCC' },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
});
const doses = [
  { time: 0, amt: 100, cmt: 1, items: { OCC: 1 } },
  { time: 24, amt: 100, cmt: 1, items: { OCC: 2 } },
];
const sparse = write('sparse.json', { doses, observe: [{ times: [12, 36] }] });
const dense = write('dense.json', { doses, observe: [{ times: [12, 23.9, 36] }] });

type Row = Record<string, number>;
async function subjects(regimen: string, name: string): Promise<Row[]> {
  const out = join(dir, name);
  const r = await cli(['population', '--model', model, '--regimen', regimen, '--n', '2000', '--seed', '2', '--metric', 'conc@12', '--metric', 'trough:0:24', '--metric', 'conc@36', '--out', out, '--workers', '0', '--no-progress']);
  expect(r.code, r.err).toBe(0);
  const [head, ...lines] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
  const cols = (head as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, j) => [cols[j] as string, Number(v)])));
}

describe('IOV: an occasion runs from its dose to the next one\'s, whatever samples a population asks for', () => {
  it('the occasion-1 trough and the level after the next dose are the closed form per subject, on both grids', async () => {
    const s = await subjects(sparse, 'sparse');
    const d = await subjects(dense, 'dense');
    let troughErr = 0;
    let c36Err = 0;
    let apart = 0;
    s.forEach((x, i) => {
      const y = d[i] as Row;
      const c12 = x['conc@12'] as number;
      const trough = (c12 * c12) / 10;
      troughErr = Math.max(troughErr, Math.abs((x['trough:0:24'] as number) / trough - 1), Math.abs((y['trough:0:24'] as number) / trough - 1));
      c36Err = Math.max(c36Err, Math.abs((x['conc@36'] as number) / ((trough + 10) * Math.exp(-1.2 * (x.CL as number))) - 1));
      for (const k of ['conc@12', 'trough:0:24', 'conc@36']) apart = Math.max(apart, Math.abs((x[k] as number) / (y[k] as number) - 1));
    });
    // before: trough 46.5 % (sparse) and 0.40 % (dense) off, conc@36 11.2 % apart between the grids;
    // measured now: 5.6e-16, 4.4e-16, 5.6e-16 (the analytic solution)
    expect(troughErr).toBeLessThan(1e-12);
    expect(c36Err).toBeLessThan(1e-12);
    expect(apart).toBeLessThan(1e-12);
  });

  it('pta trough 4–6 mg/L is the exact 39.50 % (log CL₁ ~ N(ln 0.2, 0.13)) on the sparse grid, and the dense grid gives the same', async () => {
    const frac = async (f: string): Promise<number> => {
      const r = await cli(['pta', '--model', model, '--regimens', f, '--target', 'trough:4:6', '--n', '20000', '--seed', '2', '--workers', '0', '--no-progress', '--json']);
      expect(r.code, r.err).toBe(0);
      const o = (JSON.parse(r.out) as { regimens: { overall: { pta?: number; fraction?: number } }[] }).regimens[0]!.overall;
      return (o.pta ?? o.fraction) as number;
    };
    const a = await frac(sparse);
    const b = await frac(dense);
    // SE √(p(1−p)/n) = 0.0035; measured 39.095 % on both grids (z −1.2); before: 41.09 % sparse (seed 2, z +4.6)
    const se = Math.sqrt((oracle.fracIn * (1 - oracle.fracIn)) / 20000);
    expect(Math.abs(a - oracle.fracIn)).toBeLessThan(2.5 * se);
    expect(a).toBe(b);
  });
});
