// A metric does not depend on which other metrics are asked for. A window's edges and a point
// value's time are samples of their own metric alone: on a 6-h grid, conc@145 asked for beside
// auc24 put a sample at 145 h into auc24's trapezoid (320.56 for 299.51, +7 %; a population's mean
// +10 %). The oracle: closed-form one-compartment oral concentrations (steady state by summing the
// doses), integrated by the linear-up/log-down rule on the regimen's own grid.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regimen } from '../../../src/regimen/builder.js';
import { preparePlan, runChunk } from '../../../src/population/chunk.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { engine } from '../../../src/engine/load.js';

const CL = 4, V = 40, KA = 1, AMT = 500, II = 12, DOSES = 14;
const model = {
  dosewise: 2,
  name: 'owners oracle',
  structure: '1cmt-oral',
  theta: { TVCL: { value: CL }, TVV: { value: V }, TVKA: { value: KA } },
  parameters: { CL: { expr: 'TVCL' }, V: { expr: 'TVV' }, KA: { expr: 'TVKA' } },
  observe: { compartment: 2 },
  residual: { model: 'proportional', proportional: 0.1 },
};

function conc(t: number): number {
  const k = CL / V;
  let c = 0;
  for (let d = 0; d < DOSES; d++) {
    const s = t - d * II;
    if (s > 0) c += ((AMT * KA) / (V * (KA - k))) * (Math.exp(-k * s) - Math.exp(-KA * s));
  }
  return c;
}

function luld(times: readonly number[]): number {
  let auc = 0;
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1] as number, b = times[i] as number;
    const ca = conc(a), cb = conc(b);
    auc += cb < ca && cb > 0 ? ((ca - cb) * (b - a)) / Math.log(ca / cb) : 0.5 * (ca + cb) * (b - a);
  }
  return auc;
}

const records = regimen().dose({ time: 0, amt: AMT, cmt: 1, addl: DOSES - 1, ii: II }).observe({ times: Array.from({ length: 29 }, (_, k) => 6 * k) }).records();
const times = regimenTimesOf(records);

const rel = (a: number | undefined, b: number | undefined) => Math.abs((a as number) / (b as number) - 1);

function metrics(names: readonly string[]): Float64Array {
  const pp = preparePlan({ model, regimen: records.map((r) => r.items), key: [0, 0], metrics: names.map((n) => parseMetric(n, times)), table: false, profiles: false });
  return runChunk(pp, engine(), 0, 1).metrics;
}

describe('metrics asked for together', () => {
  it('auc24 on the 6-h grid equals the trapezoid of the closed form, alone and beside conc@145, auc:145:146 and trough:0:12', () => {
    const alone = metrics(['auc24', 'cmax:144:168']);
    const grid = [144, 150, 156, 162, 168];
    expect(Math.abs((alone[0] as number) / luld(grid) - 1)).toBeLessThan(1e-12);
    const beside = metrics(['conc@145', 'auc24', 'auc:145:146', 'cmax:144:168', 'trough:0:12']);
    // the same up to rounding: the added rows split the propagation between grid points (1 ulp here)
    expect(rel(beside[1], alone[0])).toBeLessThan(1e-14);
    expect(rel(beside[3], alone[1])).toBeLessThan(1e-14);
    // each of the others still reads its own samples
    expect(Math.abs((beside[0] as number) / conc(145) - 1)).toBeLessThan(1e-12);
    expect(Math.abs((beside[2] as number) / luld([145, 146]) - 1)).toBeLessThan(1e-12);
  });

  it('any extra point values and windows leave auc24 and cmax as they were, to rounding (fast-check)', () => {
    const alone = metrics(['auc24', 'cmax:144:168']);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 167.5, noNaN: true }), { minLength: 1, maxLength: 4 }), (ts) => {
        const extra = ts.flatMap((t, i) => (i % 2 ? [`auc:${t.toFixed(3)}:${Math.min(168, t + 1).toFixed(3)}`] : [`conc@${t.toFixed(3)}`]));
        const r = metrics(['auc24', ...extra, 'cmax:144:168']);
        expect(rel(r[0], alone[0])).toBeLessThan(1e-14);
        expect(rel(r[extra.length + 1], alone[1])).toBeLessThan(1e-14);
      }),
      { numRuns: 40 },
    );
  });

  it('however many metrics: conc@145 as the 32nd and auc24 as the 33rd (they shared an owner bit)', () => {
    const alone = metrics(['auc24']);
    const many = Array.from({ length: 31 }, (_, i) => `conc@${(1.5 + 5 * i).toFixed(1)}`);
    const r = metrics([...many, 'conc@145', 'auc24']);
    expect(rel(r[32], alone[0])).toBeLessThan(1e-14);
    expect(Math.abs((r[31] as number) / conc(145) - 1)).toBeLessThan(1e-12);
  });
});
