// VPC against a hand computation: the observed percentiles, each replicate's percentiles and their
// intervals recomputed here from the replicates themselves (type-7 quantiles written out below),
// censoring, prediction correction and the binning rules.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { makeBins, parseBins } from '../../../src/vpc/bins.js';

const model = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));
const all = readNmtran(readFileSync('examples/vpc/data.csv', 'utf8')).records;
const records = all.filter((r) => r.ID <= 15);

/** Type 7 (R's default): h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]); −∞ for censored values. */
function q7(values: number[], p: number): number | null {
  const x = [...values].sort((a, b) => a - b);
  if (x.length === 0) return null;
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const v = lo + 1 < x.length ? (x[lo] as number) + (h - lo) * ((x[lo + 1] as number) - (x[lo] as number)) : (x[lo] as number);
  return Number.isFinite(v) ? v : null;
}

const same = (a: number | null, b: number | null): void => {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-14 * Math.abs(b));
};

const isObs = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 0;
const edges = [0, 0.6, 1.5, 3, 6, 10, 20, 60];
const binOf = (t: number): number => {
  let b = 0;
  while (b < edges.length - 2 && t >= (edges[b + 1] as number)) b++;
  return b;
};

describe('visual predictive check', () => {
  it('matches percentiles computed by hand from the same replicates', async () => {
    const R = 30;
    const lloq = 1;
    const r = await vpc(model, records, { replicates: R, seed: 5, bins: edges, workers: 0 });
    const obsIdx = records.map((rec, i) => [rec, i] as const).filter(([rec]) => isObs(rec));
    // observed: BLQ-flagged ones (DV = LLOQ 1 in this data set) ranked below
    for (let b = 0; b < edges.length - 1; b++) {
      const vals = obsIdx.filter(([rec]) => binOf(rec.TIME) === b).map(([rec]) => (rec.items.BLQ === 1 ? -Infinity : rec.DV));
      const bin = r.bins[b];
      expect(bin?.n).toBe(vals.length);
      for (const q of bin?.percentiles ?? []) expect(q.observed).toBe(q7(vals, q.p));
    }
    // simulated: the same seed's replicates, each replicate's percentiles, then their 2.5/50/97.5 %
    const perRep: number[][][] = []; // [bin][percentile][replicate]
    await simulateReplicates(model, records, { replicates: R, seed: 5, lloq, workers: 0 }, (blk) => {
      for (let k = 0; k < blk.reps; k++) {
        edges.slice(1).forEach((_, b) => {
          const vals = obsIdx.filter(([rec]) => binOf(rec.TIME) === b).map(([, i]) => (blk.blq[k * blk.records + i] ? -Infinity : (blk.dv[k * blk.records + i] as number)));
          [0.05, 0.5, 0.95].forEach((p, q) => ((((perRep[b] ??= [])[q] ??= []) as number[]).push(q7(vals, p) ?? -Infinity)));
        });
      }
    });
    let compared = 0;
    r.bins.forEach((bin, b) =>
      bin.percentiles.forEach((q, j) => {
        const across = perRep[b]?.[j] as number[];
        expect(across.length).toBe(R);
        // (1 − 0.95)/2 is 0.025 + 2e-17: equal to the last bits only
        same(q.median, q7(across, 0.5));
        same(q.lo, q7(across, 0.025));
        same(q.hi, q7(across, 0.975));
        compared++;
      }),
    );
    expect(compared).toBe(21);
    // the BLQ panel: fractions per bin
    expect(r.censored).toBe(true);
    const first = r.bins[0];
    const flagged = obsIdx.filter(([rec]) => binOf(rec.TIME) === 0 && rec.items.BLQ === 1).length;
    expect(first?.blq?.observed).toBe(flagged / (first?.n as number));
  });

  it('corrects for the typical prediction (pcVPC): y · PRED_bin / PRED', async () => {
    const r = await vpc(model, records, { replicates: 5, seed: 2, bins: edges, predictionCorrected: true, workers: 0 });
    const pred = simulate(model, records, { amounts: false }).ipred;
    const obs = records.map((rec, i) => [rec, i] as const).filter(([rec]) => isObs(rec) && rec.items.BLQ !== 1);
    const b = 4; // 6-10 h
    const inBin = records.map((rec, i) => [rec, i] as const).filter(([rec]) => isObs(rec) && binOf(rec.TIME) === b);
    const predBin = q7(inBin.map(([, i]) => pred[i] as number), 0.5) as number;
    const corrected = obs.filter(([rec]) => binOf(rec.TIME) === b).map(([rec, i]) => (rec.DV * predBin) / (pred[i] as number));
    expect(r.bins[b]?.percentiles[1]?.observed).toBeCloseTo(q7(corrected, 0.5) as number, 12);
  });

  it('bins sampling times by their clusters, by count or by edges', () => {
    const jitter = [0.24, 0.26, 0.25, 0.27, 0.25, 0.98, 1.02, 1.0, 1.05, 1.1, 1.97, 2.0, 2.04, 1.99, 2.1, 8.1, 7.9, 8.0, 8.2, 8.3, 24, 23.6, 24.3, 24.1, 24.2];
    const auto = makeBins(jitter, 'auto');
    expect(auto.edges.length - 1).toBe(5);
    expect([...auto.of]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4]);
    const counts = makeBins(Array.from({ length: 100 }, (_, i) => i), 4);
    // cuts between sampling times, 25 levels each
    expect(counts.edges).toEqual([0, 24.5, 49.5, 74.5, 99]);
    // tied nominal times stay together: 34, 33 and 33 levels at 1, 4 and 8 h in 3 bins (a cut at
    // the quantile 1 h was dropped and 4 h and 8 h pooled); 2 bins of 1 h and 4 h levels are 2, not 1
    const tied = [...Array<number>(34).fill(1), ...Array<number>(33).fill(4), ...Array<number>(33).fill(8)];
    const three = makeBins(tied, 3);
    expect(three.edges).toEqual([1, 2.5, 6, 8]);
    expect([0, 1, 2].map((b) => [...three.of].filter((x) => x === b).length)).toEqual([34, 33, 33]);
    expect(makeBins([...Array<number>(10).fill(1), ...Array<number>(10).fill(4)], 2).edges).toEqual([1, 2.5, 4]);
    const given = makeBins([0.5, 3, 30], [0, 1, 24]);
    expect([...given.of]).toEqual([0, 1, -1]);
    expect(parseBins('0,1,24')).toEqual([0, 1, 24]);
    expect(() => parseBins('0,2,1')).toThrow(/ascending/);
    expect(() => parseBins('0')).toThrow(/bins/);
  });

  it('refuses a data set without observations and bad options', async () => {
    const doses = records.filter((r) => r.EVID === 1);
    await expect(vpc(model, doses, { replicates: 2, workers: 0 })).rejects.toThrow(/no observation record/);
    await expect(vpc(model, records, { replicates: 2, percentiles: [5, 50], workers: 0 })).rejects.toThrow(/percentiles/);
    await expect(vpc(model, records, { replicates: 2, ci: 95, workers: 0 })).rejects.toThrow(/ci/);
    await expect(vpc(model, records, { replicates: 2, bins: [100, 200], workers: 0 })).rejects.toThrow(/none of the \d+ observations .* lies within the bins 100–200/);
  });
});
