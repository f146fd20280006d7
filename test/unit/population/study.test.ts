// Population runs: determinism across workers, chunk sizes and shards; Ω recovered by sampling;
// cancellation and worker failure surface as errors, never as partial results.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import type { ChunkResult, PopulationPlan } from '../../../src/population/plan.js';
import { MetricAggregate } from '../../../src/population/aggregate.js';

const model = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
const records = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
const times = { end: 336, tau: 12, lastDose: 324 };
const metrics = ['auc24', 'trough', 'cmax', 'fu=0.2/kd=1/cmin'].map((m) => parseMetric(m, times));

function plan(over: Partial<PopulationPlan> = {}): PopulationPlan {
  return { model, regimen: records.map((r) => r.items), key: seedKey('determinism'), metrics, table: true, profiles: false, ...over };
}

async function collect(p: PopulationPlan, o: { n: number; workers: number; chunkSize: number; shard?: { index: number; count: number } }) {
  const chunks: ChunkResult[] = [];
  const res = await runStudy(p, { ...o, windows: { auc24: { lo: 150, hi: 250 } }, onChunk: (c) => void chunks.push(c) });
  const cat = (f: (c: ChunkResult) => Float64Array) => {
    const all = new Float64Array(chunks.reduce((a, c) => a + f(c).length, 0));
    let o2 = 0;
    for (const c of chunks) {
      all.set(f(c), o2);
      o2 += f(c).length;
    }
    return all;
  };
  return {
    res,
    metrics: cat((c) => c.metrics),
    cl: cat((c) => (c.columns as Record<string, Float64Array>).CL as Float64Array),
    eta: cat((c) => (c.columns as Record<string, Float64Array>).ETA_KA as Float64Array),
  };
}

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('population determinism', () => {
  it('same seed: identical subjects, metrics and summaries for 1, 2, 4 workers and several chunk sizes', async () => {
    const n = 3000;
    const ref = await collect(plan(), { n, workers: 0, chunkSize: 1000 });
    const runs = [
      await collect(plan(), { n, workers: 1, chunkSize: 1000 }),
      await collect(plan(), { n, workers: 2, chunkSize: 1000 }),
      await collect(plan(), { n, workers: 4, chunkSize: 1000 }),
      await collect(plan(), { n, workers: 2, chunkSize: 317 }),
      await collect(plan(), { n, workers: 0, chunkSize: 3000 }),
    ];
    for (const r of runs) {
      expect(bytes(r.metrics).equals(bytes(ref.metrics))).toBe(true);
      expect(bytes(r.cl).equals(bytes(ref.cl))).toBe(true);
      expect(bytes(r.eta).equals(bytes(ref.eta))).toBe(true);
      for (const m of metrics) {
        const a = (r.res.aggregates[m.name] as MetricAggregate).report();
        const b = (ref.res.aggregates[m.name] as MetricAggregate).report();
        // exact sums and integer counts: identical for any chunking; Welford-free mean and SD
        expect(a.mean).toBe(b.mean);
        expect(a.sd).toBe(b.sd);
        expect([a.n, a.fracBelow, a.fracIn, a.fracAbove, a.p05, a.p50, a.p95]).toEqual([b.n, b.fracBelow, b.fracIn, b.fracAbove, b.p05, b.p50, b.p95]);
      }
    }
  }, 120_000);

  it('a table of named columns: only those, bitwise the full table\'s, metrics unchanged', async () => {
    const n = 1500;
    const full = await collect(plan(), { n, workers: 0, chunkSize: 500 });
    const some: ChunkResult[] = [];
    await runStudy(plan({ table: ['CL', 'ETA_KA'] }), { n, workers: 2, chunkSize: 500, onChunk: (c) => void some.push(c) });
    some.sort((a, b) => a.first - b.first);
    expect(some.every((c) => Object.keys(c.columns ?? {}).sort().join() === 'CL,ETA_KA')).toBe(true);
    const cat = (name: string) => Float64Array.from(some.flatMap((c) => [...((c.columns as Record<string, Float64Array>)[name] as Float64Array)]));
    expect(bytes(cat('CL')).equals(bytes(full.cl))).toBe(true);
    expect(bytes(cat('ETA_KA')).equals(bytes(full.eta))).toBe(true);
    expect(bytes(Float64Array.from(some.flatMap((c) => [...c.metrics]))).equals(bytes(full.metrics))).toBe(true);
  }, 60_000);

  it('4 shards merged equal one run: tables and exact statistics identical', async () => {
    const n = 2000;
    const one = await collect(plan(), { n, workers: 0, chunkSize: 500 });
    const parts = [];
    for (let i = 0; i < 4; i++) parts.push(await collect(plan(), { n, workers: 0, chunkSize: 500, shard: { index: i, count: 4 } }));
    const merged = new Float64Array(one.metrics.length);
    let o = 0;
    for (const p of parts) {
      merged.set(p.metrics, o);
      o += p.metrics.length;
    }
    expect(bytes(merged).equals(bytes(one.metrics))).toBe(true);
    for (const m of metrics) {
      const agg = MetricAggregate.fromJSON((parts[0] as (typeof parts)[number]).res.aggregates[m.name]!.toJSON());
      for (const p of parts.slice(1)) agg.mergeFrom(MetricAggregate.fromJSON(p.res.aggregates[m.name]!.toJSON()));
      const a = agg.report();
      const b = one.res.aggregates[m.name]!.report();
      expect([a.n, a.mean, a.sd, a.fracBelow, a.fracIn, a.fracAbove, a.p50]).toEqual([b.n, b.mean, b.sd, b.fracBelow, b.fracIn, b.fracAbove, b.p50]);
    }
  }, 60_000);

  it('η sampled from Ω: means, variances and correlations within 5 standard errors', async () => {
    const block = {
      ...model,
      omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_KA'], matrix: [[0.09, 0.03, 0], [0.03, 0.04, 0.02], [0, 0.02, 0.25]] },
    };
    const n = 40_000;
    const chunks: ChunkResult[] = [];
    await runStudy(plan({ model: block, metrics: [metrics[0]!] }), { n, workers: 0, chunkSize: 10_000, onChunk: (c) => void chunks.push(c) });
    const col = (k: string) => Float64Array.from(chunks.flatMap((c) => [...(c.columns![k] as Float64Array)]));
    const e = ['ETA_CL', 'ETA_V', 'ETA_KA'].map(col);
    const omega = block.omega.matrix;
    const mean = e.map((x) => x.reduce((a, b) => a + b, 0) / n);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(mean[i]!)).toBeLessThan(5 * Math.sqrt(omega[i]![i]! / n));
      for (let j = 0; j <= i; j++) {
        let c = 0;
        for (let s = 0; s < n; s++) c += (e[i]![s]! - mean[i]!) * (e[j]![s]! - mean[j]!);
        c /= n - 1;
        // SE of a sample covariance ≈ √((ω_ii ω_jj + ω_ij²)/n)
        const se = Math.sqrt((omega[i]![i]! * omega[j]![j]! + omega[i]![j]! ** 2) / n);
        expect(Math.abs(c - omega[i]![j]!)).toBeLessThan(5 * se);
      }
    }
  }, 60_000);
});

describe('population failures', () => {
  it('cancellation rejects and stops the run', async () => {
    const ac = new AbortController();
    let chunks = 0;
    const run = runStudy(plan(), {
      n: 50_000,
      workers: 0,
      chunkSize: 1000,
      signal: ac.signal,
      onChunk: () => {
        if (++chunks === 3) ac.abort(new Error('cancelled by the user'));
      },
    });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(chunks).toBeLessThan(50);
  });

  it('a worker failure is a clear error, not a partial result', async () => {
    const bad = plan({ model: { ...model, parameters: { ...model.parameters, V: { expr: 'TVV * exp(5 * ETA_V) - 45' } } } });
    // the worker's error as the calling thread gives it: its code and place (it was E_ENGINE, "a worker failed: …")
    await expect(runStudy(bad, { n: 2000, workers: 2, chunkSize: 500 })).rejects.toMatchObject({ code: 'E_PARAMETER', place: { column: 'V' }, message: expect.stringMatching(/^parameter V: .*virtual subject/) });
  });
});

describe('covariates without defaults', () => {
  it('a library model whose covariates have no default runs when the population samples them', async () => {
    const goti = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8'));
    const cov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8'));
    const reg = readRegimen(readFileSync('examples/design-vancomycin-q12h-1000.json', 'utf8'), 'r.json');
    const m = parseMetric('auc24', regimenTimesOf(reg));
    const res = await runStudy(
      { model: goti, covariates: cov, regimen: reg.map((r) => r.items), key: seedKey(5), metrics: [m], table: false, profiles: false },
      { n: 500, workers: 0, chunkSize: 250 },
    );
    expect(res.aggregates[m.name]!.report().n).toBe(500);
  });
});
