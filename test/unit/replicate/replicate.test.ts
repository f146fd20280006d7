// Replicates of a data set: draws of η, κ and ε against Ω, Ω_IOV and σ; one subject's replicate
// against a hand computation from the same random numbers; the same bytes for any workers and chunks.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulateReplicates, type ReplicateBlock, type ReplicateOptions } from '../../../src/replicate/run.js';
import { replicateKey } from '../../../src/replicate/key.js';
import { seedKey } from '../../../src/population/seed.js';
import { Domain } from '../../../src/population/plan.js';
import { engine } from '../../../src/engine/load.js';

const omega = [
  [0.09, 0.03],
  [0.03, 0.04],
];
const model = defineModel({
  dosewise: 2,
  name: 'replicate-moments',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 40 },
  parameters: { CL: 'TVCL * exp(ETA_CL + KAPPA_CL)', V: 'TVV * exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: omega },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.0225], occasion: 'OCC' },
  residual: { model: 'combined', additive: 0.2, proportional: 0.1 },
});

/** Two occasions: a 100 mg bolus at 0 and at 100 h, levels 1 and 2 h after each. */
function subject(id: number): DataRecord[] {
  const rows: Record<string, number>[] = [
    { TIME: 0, EVID: 1, AMT: 100, MDV: 1, OCC: 1 },
    { TIME: 1, EVID: 0, MDV: 0, OCC: 1 },
    { TIME: 2, EVID: 0, MDV: 0, OCC: 1 },
    { TIME: 100, EVID: 4, AMT: 100, MDV: 1, OCC: 2 },
    { TIME: 101, EVID: 0, MDV: 0, OCC: 2 },
    { TIME: 102, EVID: 0, MDV: 0, OCC: 2 },
  ];
  return rows.map((r, i) => recordFromItems({ ID: id, DV: NaN, ...r }, i + 1));
}

async function blocks(records: readonly DataRecord[], o: ReplicateOptions): Promise<ReplicateBlock[]> {
  const out: ReplicateBlock[] = [];
  await simulateReplicates(model, records, o, (b) => void out.push({ ...b, ipred: b.ipred.slice(), dv: b.dv.slice(), blq: b.blq.slice() }));
  return out;
}

/** Every block's values in order: one run, whatever its block sizes. */
const flat = (bs: readonly ReplicateBlock[], k: 'ipred' | 'dv' | 'blq'): number[] => bs.flatMap((b) => [...b[k]]);

/** The blocks of a run joined into one (replicate-major, data order). */
function joined(bs: readonly ReplicateBlock[]): ReplicateBlock {
  const first = bs[0] as ReplicateBlock;
  return { ...first, reps: bs.reduce((s, b) => s + b.reps, 0), ipred: Float64Array.from(flat(bs, 'ipred')), dv: Float64Array.from(flat(bs, 'dv')), blq: Int32Array.from(flat(bs, 'blq')) };
}

const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
const cov = (a: number[], b: number[]): number => {
  const ma = mean(a);
  const mb = mean(b);
  return a.reduce((s, x, i) => s + (x - ma) * ((b[i] as number) - mb), 0) / (a.length - 1);
};

describe('replicates of a data set', () => {
  const records = Array.from({ length: 40 }, (_, i) => subject(i + 1)).flat();

  it('draws η from Ω, κ from Ω_IOV and ε from σ (moments within 4 standard errors)', async () => {
    const R = 100; // 4,000 subject-replicates
    const ipredOnly = await blocks(records, { replicates: R, seed: 'moments', epsilon: false, workers: 0 });
    const noisy = await blocks(records, { replicates: R, seed: 'moments', workers: 0 });
    const etaCl: number[] = [];
    const etaV: number[] = [];
    const kDiff: number[] = [];
    const epsStd: number[] = [];
    for (const [b, blk] of ipredOnly.entries()) {
      const nb = noisy[b] as ReplicateBlock;
      for (let k = 0; k < blk.reps; k++) {
        for (let s = 0; s < 40; s++) {
          const o = k * blk.records + s * 6;
          const c = (j: number): number => blk.ipred[o + j] as number;
          // 1-cmt bolus: C(t) = D/V·exp(−k t): k and V from the two levels of each occasion
          const k1 = Math.log(c(1) / c(2));
          const k2 = Math.log(c(4) / c(5));
          const v = (100 * Math.exp(-k1)) / c(1);
          etaV.push(Math.log(v / 40));
          etaCl.push((Math.log((k1 * v) / 4) + Math.log((k2 * v) / 4)) / 2); // η + mean κ
          kDiff.push(Math.log(k1 / k2)); // κ1 − κ2
          // the same draws give the same IPRED with ε: the residual is DV − IPRED
          for (const j of [1, 2, 4, 5]) {
            expect(nb.ipred[o + j]).toBe(blk.ipred[o + j]);
            const f = blk.ipred[o + j] as number;
            epsStd.push(((nb.dv[o + j] as number) - f) / Math.sqrt(0.2 ** 2 + (0.1 * f) ** 2));
          }
        }
      }
    }
    const n = etaV.length;
    expect(n).toBe(4000);
    const se = (v: number): number => v * Math.sqrt(2 / n);
    // Var(η_CL + (κ1+κ2)/2) = ω²_CL + ω²_IOV / 2
    expect(Math.abs(cov(etaCl, etaCl) - (0.09 + 0.0225 / 2))).toBeLessThan(4 * se(0.09 + 0.0225 / 2));
    expect(Math.abs(cov(etaV, etaV) - 0.04)).toBeLessThan(4 * se(0.04));
    expect(Math.abs(cov(etaCl, etaV) - 0.03)).toBeLessThan(4 * Math.sqrt((0.09 * 0.04 + 0.03 ** 2) / n));
    expect(Math.abs(cov(kDiff, kDiff) - 2 * 0.0225)).toBeLessThan(4 * se(2 * 0.0225));
    expect(Math.abs(mean(etaV))).toBeLessThan(4 * Math.sqrt(0.04 / n));
    expect(Math.abs(mean(epsStd))).toBeLessThan(4 / Math.sqrt(epsStd.length));
    expect(Math.abs(cov(epsStd, epsStd) - 1)).toBeLessThan(4 * se(1));
  });

  it("gives subject i of replicate r from (seed, r, i) alone: a hand computation of one subject's DV", async () => {
    const b = joined(await blocks(records, { replicates: 3, seed: 42, workers: 0 }));
    const i = 17; // subject 18, replicate 3
    const r = 3;
    const key = replicateKey(seedKey(42), r);
    const e = engine();
    const z = e.random(key, i, 1, Domain.eta, 2, true);
    const zk = e.random(key, i, 1, Domain.iov, 2, true);
    const ze = e.random(key, i, 1, Domain.residual, 6, true);
    const eCl = Math.sqrt(0.09) * (z[0] as number);
    const eV = (0.03 / Math.sqrt(0.09)) * (z[0] as number) + Math.sqrt(0.04 - 0.03 ** 2 / 0.09) * (z[1] as number);
    const V = 40 * Math.exp(eV);
    const times = [0, 1, 2, 100, 101, 102];
    for (const j of [1, 2, 4, 5]) {
      const occ = j < 3 ? 0 : 1;
      const CL = 4 * Math.exp(eCl + 0.15 * (zk[occ] as number));
      const f = (100 / V) * Math.exp((-CL / V) * ((times[j] as number) - (occ ? 100 : 0)));
      const y = f + Math.sqrt(0.2 ** 2 + (0.1 * f) ** 2) * (ze[j] as number);
      const o = (r - 1) * b.records + i * 6 + j;
      expect(Math.abs((b.ipred[o] as number) - f) / f).toBeLessThan(1e-12);
      expect(Math.abs((b.dv[o] as number) - y) / Math.abs(y)).toBeLessThan(1e-12);
    }
    expect(b.dv[(r - 1) * b.records + i * 6]).toBeNaN(); // a dose record has no simulated observation
  });

  it('is the same for any chunk size and number of workers', async () => {
    const ref = await blocks(records, { replicates: 7, seed: 'same', workers: 0, chunkSize: 40 });
    for (const chunkSize of [1, 3, 17]) {
      const got = await blocks(records, { replicates: 7, seed: 'same', workers: 0, chunkSize });
      expect(flat(got, 'dv')).toEqual(flat(ref, 'dv'));
    }
    // blocks of at most 500 values: 2 replicates of 240 records each, handed over in order
    const small = await blocks(records, { replicates: 7, seed: 'same', workers: 0, chunkSize: 11, blockValues: 500 });
    expect(small.map((b) => b.reps)).toEqual([2, 2, 2, 1]);
    for (const b of small) expect(b.reps * b.records).toBeLessThanOrEqual(500);
    expect(flat(small, 'dv')).toEqual(flat(ref, 'dv'));
    if (existsSync('dist/src/replicate/worker.js')) {
      const pooled = await blocks(records, { replicates: 7, seed: 'same', workers: 2, chunkSize: 6 });
      expect(flat(pooled, 'dv')).toEqual(flat(ref, 'dv'));
      expect(flat(pooled, 'ipred')).toEqual(flat(ref, 'ipred'));
    }
  });

  it('samples a semi-definite Ω (a correlation of exactly 1) as population does: η_V = (2/3)·η_CL in every draw', async () => {
    // the MAP prior needs Ω's inverse and refused it here too, though replicates never invert Ω
    const psd = defineModel({ dosewise: 2, name: 'replicate-psd', structure: '1cmt-iv', theta: { TVCL: 4, TVV: 40 }, parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' }, residual: { model: 'additive', additive: 0.2 }, omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.06], [0.06, 0.04]] } });
    const out: ReplicateBlock[] = [];
    await simulateReplicates(psd, records.slice(0, 60), { replicates: 20, seed: 'psd', epsilon: false, workers: 0 }, (b) => void out.push({ ...b, ipred: b.ipred.slice() }));
    const b = joined(out);
    let spread = 0;
    for (let k = 0; k < b.reps; k++)
      for (let s = 0; s < 10; s++) {
        const c = (j: number): number => b.ipred[k * b.records + s * 6 + j] as number;
        const kel = Math.log(c(1) / c(2));
        const etaV = Math.log((100 * Math.exp(-kel)) / c(1) / 40);
        const etaCl = Math.log((kel * 40 * Math.exp(etaV)) / 4);
        expect(Math.abs(etaV - (2 / 3) * etaCl)).toBeLessThan(1e-9);
        spread = Math.max(spread, Math.abs(etaCl));
      }
    expect(spread).toBeGreaterThan(0.1);
  });

  it('reuses the memory of blocks the caller is done with (reuseBlocks): the same values, BLQ flags cleared', async () => {
    const o: ReplicateOptions = { replicates: 9, seed: 'reuse', lloq: 1.5, blockValues: 500, chunkSize: 40 };
    const ref = await blocks(records, { ...o, workers: 0 });
    expect(flat(ref, 'blq').some((x) => x === 1) && flat(ref, 'blq').some((x) => x === 0)).toBe(true);
    const runs: [number, boolean][] = [[0, true]];
    if (existsSync('dist/src/replicate/worker.js')) runs.push([2, true]);
    for (const [workers] of runs) {
      const seen: ArrayBufferLike[] = [];
      const got: ReplicateBlock[] = [];
      await simulateReplicates(model, records, { ...o, workers, reuseBlocks: true }, (b) => {
        seen.push(b.dv.buffer);
        got.push({ ...b, ipred: b.ipred.slice(), dv: b.dv.slice(), blq: b.blq.slice() });
      });
      expect(got.length).toBe(ref.length);
      for (const k of ['ipred', 'dv', 'blq'] as const) expect(flat(got, k)).toEqual(flat(ref, k));
      // the memory went round: on this thread a later block is an earlier one's buffer; a buffer
      // moved to a worker thread is empty here
      if (workers === 0) expect(new Set(seen).size).toBeLessThan(seen.length);
      else expect(seen.some((b) => b.byteLength === 0)).toBe(true);
    }
  });

  it('censors at the LLOQ, runs typical subjects, keeps given η, and refuses what it cannot do', async () => {
    const cb = joined(await blocks(records, { replicates: 2, seed: 1, lloq: 1.5, workers: 0 }));
    let censored = 0;
    cb.dv.forEach((y, x) => {
      if (Number.isNaN(y)) return;
      expect(y).toBeGreaterThanOrEqual(1.5);
      if (cb.blq[x]) {
        censored++;
        expect(y).toBe(1.5);
      }
    });
    expect(censored).toBeGreaterThan(0);
    const [t] = await blocks(records, { replicates: 2, seed: 1, effects: 'typical', epsilon: false, workers: 0 });
    expect((t as ReplicateBlock).ipred[1]).toBeCloseTo(2.5 * Math.exp(-0.1), 12);
    const etas = new Map(Array.from({ length: 40 }, (_, s) => [s + 1, [0.1 * (s % 3), -0.05]] as [number, number[]]));
    const [g] = await blocks(records, { replicates: 1, seed: 1, etas, epsilon: false, workers: 0 });
    const gb = g as ReplicateBlock;
    const V = 40 * Math.exp(-0.05);
    // κ are still drawn: V (no κ) is the given one exactly
    expect((100 * Math.exp(-Math.log((gb.ipred[1] as number) / (gb.ipred[2] as number)))) / (gb.ipred[1] as number)).toBeCloseTo(V, 10);
    await expect(blocks(records, { replicates: 0 })).rejects.toThrow(/replicates/);
    await expect(blocks(records, { replicates: 1, etas: new Map([[1, [0, 0]]]), workers: 0 })).rejects.toThrow(/ID.*no individual η/);
    const noResidual = defineModel({ dosewise: 2, name: 'x', structure: '1cmt-iv', parameters: { CL: 4, V: 40 } });
    await expect(simulateReplicates(noResidual, records, { replicates: 1 }, () => {})).rejects.toThrow(/residual/);
  });
});

describe('individual η tables', () => {
  it('reads a NONMEM .phi (whitespace, ETC(1,1) columns), a CSV with η names, and estimate --json', async () => {
    const { readIndividualEtas } = await import('../../../src/replicate/etas.js');
    const phi = [
      'TABLE NO.     1',
      ' SUBJECT_NO   ID           ETA(1)       ETA(2)       ETC(1,1)     ETC(2,1)     OBJ',
      '            1  1.0000E+00  1.0000E-01 -2.0000E-01  1.0000E-02  0.0000E+00  1.2345E+01',
      '            2  7.0000E+00 -1.0000E-01  5.0000E-02  1.0000E-02  0.0000E+00  2.3456E+01',
    ].join('\n');
    expect([...readIndividualEtas(phi, 'run.phi', model)]).toEqual([
      [1, [0.1, -0.2]],
      [7, [-0.1, 0.05]],
    ]);
    expect([...readIndividualEtas('ID,ETA_V,ETA_CL\n3,0.5,0.25\n', 'etas.csv', model)]).toEqual([[3, [0.25, 0.5]]]);
    expect([...readIndividualEtas('[{"id": 4, "eta": [0.3, -0.3]}]', 'fits.json', model)]).toEqual([[4, [0.3, -0.3]]]);
    expect(() => readIndividualEtas('ID,ETA_CL\n1,0.1\n', 'bad.csv', model)).toThrow(/ETA_V/);
    // a .phi of a model with three η for one with two: ETA(1) was taken for ETA_CL, a guess
    expect(() => readIndividualEtas(' ID ETA(1) ETA(2) ETA(3)\n 1 0.1 0.2 0.3\n', 'run2.phi', model)).toThrow(/run2\.phi.*3 η by position \(ETA\(1\), ETA\(2\), ETA\(3\)\) for a model with 2 \(.*\): which is which would be a guess/);
    expect(() => readIndividualEtas('ID,ETA_CL,ETA_V\n1,x,0\n', 'bad.csv', model)).toThrow(/row 1.*ETA_CL/);
  });

  it('an ID given twice: the same η (a table with a row per record) is read once; other η are refused', async () => {
    const { readIndividualEtas } = await import('../../../src/replicate/etas.js');
    expect([...readIndividualEtas('ID,ETA_CL,ETA_V\n1,0.1,0.2\n1,0.1,0.2\n2,0,0\n', 'patab.csv', model)]).toEqual([
      [1, [0.1, 0.2]],
      [2, [0, 0]],
    ]);
    expect(() => readIndividualEtas('ID,ETA_CL,ETA_V\n1,0.1,0.2\n2,0,0\n1,5,5\n', 'dup.csv', model)).toThrow(/dup\.csv, row 3, column ID: given before with other η \(0\.1, 0\.2\): one η per ID/);
    expect(() => readIndividualEtas('[{"id": 4, "eta": [0.3, -0.3]}, {"id": 4, "eta": [1, 1]}]', 'fits.json', model)).toThrow(/ID 4 is given twice with other η/);
  });
});
