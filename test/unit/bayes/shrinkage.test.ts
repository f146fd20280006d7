// η-shrinkage over a simulated cohort: 200 virtual patients of the W-map model (η from Ω,
// 10 % proportional residual error), each estimated once from a single trough (sparse) and once
// from five samples (rich). Sparse sampling leaves the estimates near the population values
// (high shrinkage, V1 more than CL: a trough says little about the volume); rich sampling
// identifies both. Also: cohort estimation through the pool gives the same estimates.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { engine } from '../../../src/engine/load.js';
import { seedKey } from '../../../src/population/study.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { shrinkage } from '../../../src/bayes/shrinkage.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { wMapModel } from './wmap.js';

const N = 200;
const DOSES = [0, 12, 24, 36];
const SPARSE = [47.5];
const RICH = [1.5, 6, 11.5, 25, 47.5];

/** Patient i's records with samples at `times`: η_i ~ N(0, Ω), DV = f·(1 + 0.1 ε). */
function cohort(times: readonly number[], seed: string): { records: DataRecord[][]; eta: Float64Array } {
  const model = defineModel(wMapModel);
  const eng = engine();
  const key = seedKey(seed);
  const z = eng.random(key, 0, N, 1, 2, true);
  const eps = eng.random(key, 0, N, 2, times.length, true);
  const eta = z.map((v) => v * Math.sqrt(0.1));
  const records: DataRecord[][] = [];
  for (let i = 0; i < N; i++) {
    const rows: Record<string, number>[] = [
      ...DOSES.map((t) => ({ TIME: t, EVID: 1, AMT: 1000, RATE: 1000, DV: NaN })),
      ...times.map((t) => ({ TIME: t, EVID: 0, AMT: 0, RATE: 0, DV: NaN })),
    ].sort((a, b) => a.TIME - b.TIME || b.EVID - a.EVID);
    const withEta = rows.map((r, k) => recordFromItems({ ID: i + 1, ...r, ETA_CL: eta[2 * i]!, ETA_V1: eta[2 * i + 1]! }, k + 1));
    const f = simulate(model, withEta).ipred;
    let e = 0;
    records.push(rows.map((r, k) => recordFromItems({ ID: i + 1, ...r, DV: r.EVID === 0 ? f[k]! * (1 + 0.1 * eps[i * times.length + e++]!) : NaN }, k + 1)));
  }
  return { records, eta };
}

describe('η-shrinkage', () => {
  const model = defineModel(wMapModel);

  it('is high with one trough per patient and drops with five samples', () => {
    const sparse = cohort(SPARSE, 'shrink');
    const rich = cohort(RICH, 'shrink');
    // the same η for both designs
    expect([...sparse.eta]).toEqual([...rich.eta]);
    const s = shrinkage(model, sparse.records.map((p) => estimate(model, p)));
    const r = shrinkage(model, rich.records.map((p) => estimate(model, p)));
    const pct = (x: number[]) => x.map((v) => `${(100 * v).toFixed(1)} %`).join(', ');
    console.log(`shrinkage (SD) over ${N} W-map patients: sparse (1 trough) ${pct(s.sd)}; rich (5 samples) ${pct(r.sd)} [ETA_CL, ETA_V1]`);
    // ordering and rough magnitudes: a trough after four doses pins CL (near-steady-state trough
    // ∝ 1/CL: CL shrinkage stays small) but hardly V1 (mostly the prior)
    expect(s.sd[0]).toBeGreaterThan(r.sd[0]!);
    expect(s.sd[1]).toBeGreaterThan(0.7);
    expect(r.sd[1]).toBeLessThan(0.25);
    expect(s.sd[1]! - r.sd[1]!).toBeGreaterThan(0.5);
    expect(Math.abs(r.sd[0]!)).toBeLessThan(0.1);
    expect(s.sd[0]).toBeLessThan(0.2);
    // variance form: 1 − (1 − sh)²
    s.variance.forEach((v, i) => expect(v).toBeCloseTo(1 - (1 - s.sd[i]!) ** 2, 12));
    // the true η of the cohort have shrinkage ≈ 0 (a check of the simulation)
    const truth = shrinkage(model, Array.from({ length: N }, (_, i) => ({ eta: [sparse.eta[2 * i]!, sparse.eta[2 * i + 1]!] })));
    truth.sd.forEach((v) => expect(Math.abs(v)).toBeLessThan(0.12));
  });

  it('cohort estimation (inline pool, and 2 worker threads when built) returns the same estimates in patient order', async () => {
    const { records } = cohort(RICH, 'pool');
    const few = records.slice(0, 24);
    const direct = few.map((p) => estimate(model, p));
    const inline = await estimateCohort(wMapModel, few, { workers: 0, chunkSize: 5 });
    expect(inline.count).toBe(24);
    direct.forEach((d, i) => {
      expect([inline.eta[2 * i], inline.eta[2 * i + 1]]).toEqual(d.eta);
      expect(inline.ofv[i]).toBe(d.ofv);
      expect(inline.converged[i]).toBe(1);
    });
    expect(inline.parameterNames).toEqual(['CL', 'V', 'Q', 'V2']);
    // the worker runs the compiled dist/ code: only when it is at least as new as the sources
    const built = existsSync('dist/src/bayes/task.js') && existsSync('dist/src/bayes/worker.js');
    const fresh = built && readdirSync('src/bayes').every((f) => statSync(`src/bayes/${f}`).mtimeMs <= statSync('dist/src/bayes/task.js').mtimeMs);
    if (fresh) {
      const pooled = await estimateCohort(wMapModel, few, { workers: 2, chunkSize: 5 });
      expect([...pooled.eta]).toEqual([...inline.eta]);
      expect([...pooled.ipred]).toEqual([...inline.ipred]);
    }
  });
});
