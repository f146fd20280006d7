// Stratified VPC (`stratify`, `--stratify`): one VPC per value of a data column (or per combination
// of several), bins chosen within each stratum, the strata being subsets of one simulated data set.
// Checked against: each stratum's observed percentiles recomputed here by sorting; its simulated
// percentiles recomputed from simulateReplicates' own replicates; its simulated median against the
// closed-form typical prediction of its CL (within Monte-Carlo error); the unstratified output's
// bytes as before the option existed.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { makeBins } from '../../../src/vpc/bins.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

// 1-cmt IV bolus, CL 2 L/h (SEX 0) or 3 L/h (SEX 1), V 20 L, IIV on CL alone: a level is monotone in
// η_CL, so the population median at time t is the typical prediction 100/20·exp(−CL·t/20).
const model = defineModel({
  dosewise: 2,
  name: 'sex on CL',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 2 }, TVV: { value: 20 } },
  covariates: { SEX: {} },
  parameters: { CL: { expr: 'TVCL * (1 + 0.5 * SEX) * exp(ETA_CL)' }, V: { expr: 'TVV' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] },
  residual: { model: 'proportional', proportional: 0.01 },
  observe: { compartment: 1 },
} as never);
const DOSE = 100;
const typical = (sex: number, t: number): number => (DOSE / 20) * Math.exp(-((2 * (1 + 0.5 * sex)) / 20) * t);
// sampling schedules differ by stratum, so bins chosen within each differ too
const TIMES = [[1, 2, 4, 8, 12], [0.5, 3, 6, 24]];
const N_PER_SEX = 21; // odd: a replicate's median of 21 draws has the population median as its median

/** The data set: subjects 1–21 SEX 0, 22–42 SEX 1; DVs the typical level times a fixed spread. */
function dataText(extra: (id: number, t: number, evid: number) => string = () => ''): string {
  const head = `ID,TIME,EVID,AMT,CMT,DV,MDV,SEX${extra(0, 0, -1) ? `,${extra(0, 0, -1)}` : ''}`;
  const lines = [head];
  for (let id = 1; id <= 2 * N_PER_SEX; id++) {
    const sex = id > N_PER_SEX ? 1 : 0;
    const x = (e: string): string => (e ? `,${e}` : '');
    lines.push(`${id},0,1,${DOSE},1,.,1,${sex}${x(extra(id, 0, 1))}`);
    TIMES[sex]?.forEach((t, k) => {
      const dv = typical(sex, t) * Math.exp(0.3 * Math.sin(id * 7.3 + k * 1.9));
      lines.push(`${id},${t},0,.,1,${dv.toPrecision(8)},0,${sex}${x(extra(id, t, 0))}`);
    });
  }
  return lines.join('\n') + '\n';
}
const records = readNmtran(dataText()).records;
const isObs = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 0;

/** Type 7 (R's default) by sorting. */
function q7(values: number[], p: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < x.length ? (x[lo] as number) + (h - lo) * ((x[lo + 1] as number) - (x[lo] as number)) : (x[lo] as number);
}

describe('stratified VPC', () => {
  it('gives one VPC per SEX, observed percentiles of its own observations, bins chosen within it', async () => {
    const r = await vpc(model, records, { replicates: 20, seed: 3, workers: 0, stratify: ['SEX'] });
    expect(r.strata?.map((s) => s.name)).toEqual(['SEX=0', 'SEX=1']);
    expect(r.strata?.map((s) => s.values)).toEqual([{ SEX: 0 }, { SEX: 1 }]);
    expect(r.strata?.map((s) => s.by)).toEqual([{ SEX: 'subject' }, { SEX: 'subject' }]);
    r.strata?.forEach((s, sex) => {
      const obs = records.filter((rec) => isObs(rec) && rec.items.SEX === sex);
      // automatic bins on the stratum's own times: one per sampling time (5 and 4)
      const own = makeBins(obs.map((o) => o.TIME), 'auto', obs.map((o) => o.ID));
      expect(s.bins.map((b) => [b.lo, b.hi])).toEqual(own.edges.slice(1).map((hi, b) => [own.edges[b], hi]));
      expect(s.bins.length).toBe(TIMES[sex]?.length);
      s.bins.forEach((bin, b) => {
        const t = TIMES[sex]?.[b] as number;
        const dvs = obs.filter((o) => o.TIME === t).map((o) => o.DV);
        expect(bin.n).toBe(N_PER_SEX);
        expect(bin.x).toBe(t);
        for (const q of bin.percentiles) expect(q.observed).toBe(q7(dvs, q.p));
      });
      expect(s.observations.length).toBe(obs.length);
    });
    // the unstratified fields are not a pooled VPC: they are empty, the strata hold the VPCs
    expect(r.bins).toEqual([]);
    expect(r.observations).toEqual([]);
  });

  it('simulates the data set once: each stratum percentile is that of the same replicates, subset', async () => {
    const R = 15;
    const r = await vpc(model, records, { replicates: R, seed: 9, workers: 0, stratify: ['SEX'], bins: [0, 5, 30] });
    const obsIdx = records.map((rec, i) => [rec, i] as const).filter(([rec]) => isObs(rec));
    const perRep = new Map<string, number[]>(); // key stratum/bin/p → values over replicates
    await simulateReplicates(model, records, { replicates: R, seed: 9, workers: 0, epsilon: true }, (blk) => {
      for (let k = 0; k < blk.reps; k++)
        for (const sex of [0, 1])
          for (const [b, [lo, hi]] of [[0, 5], [5, 30]].entries()) {
            const vals = obsIdx.filter(([rec]) => rec.items.SEX === sex && rec.TIME >= (lo as number) && (b === 1 ? rec.TIME <= (hi as number) : rec.TIME < (hi as number))).map(([, i]) => blk.dv[k * blk.records + i] as number);
            for (const p of [0.05, 0.5, 0.95]) {
              const key = `${sex}/${b}/${p}`;
              perRep.set(key, [...(perRep.get(key) ?? []), q7(vals, p)]);
            }
          }
    });
    let compared = 0;
    r.strata?.forEach((s, sex) =>
      s.bins.forEach((bin, b) =>
        bin.percentiles.forEach((q) => {
          const across = perRep.get(`${sex}/${b}/${q.p}`) as number[];
          expect(across.length).toBe(R);
          expect(Math.abs((q.median as number) - q7(across, 0.5))).toBeLessThanOrEqual(1e-14 * Math.abs(q7(across, 0.5)));
          expect(Math.abs((q.lo as number) - q7(across, 0.025))).toBeLessThanOrEqual(1e-14 * Math.abs(q7(across, 0.025)));
          compared++;
        }),
      ),
    );
    expect(compared).toBe(2 * 2 * 3);
  });

  it("each stratum's simulated median is its own CL's typical prediction, within Monte-Carlo error", async () => {
    const R = 400;
    const r = await vpc(model, records, { replicates: R, seed: 21, workers: 0, stratify: ['SEX'] });
    const z: number[] = [];
    r.strata?.forEach((s, sex) =>
      s.bins.forEach((bin, b) => {
        const t = TIMES[sex]?.[b] as number;
        const med = bin.percentiles.find((q) => q.p === 0.5)?.median as number;
        // log DV = log(5) − (CL/V)·e^η·t + log(1 + 0.01·ε): SD about √((ω·(CL/V)·t)² + 0.01²); a median of
        // n draws has SD about 1.25·SD/√n, the median of R such medians 1.25 times that over √R. ε's
        // skew on the log scale (−σ²/2 = −5e-5) is a tenth of the smallest SD.
        const sd = (1.2533 * 1.2533 * Math.hypot(0.3 * ((2 * (1 + 0.5 * sex)) / 20) * t, 0.01)) / Math.sqrt(N_PER_SEX * R);
        z.push(Math.log(med / typical(sex, t)) / sd);
      }),
    );
    expect(z.length).toBe(9);
    // measured: |z| ≤ 2.95 over seeds 1–4 and 21 (bins of one stratum move together: the same η).
    // The two SEXes' typical levels differ by 0.05·t on the log scale, over 50 of these SDs: a pooled
    // median, or another stratum's, fails by far
    expect(Math.max(...z.map(Math.abs))).toBeLessThan(4);
  });

  it('is deterministic with the seed, whatever the workers', async () => {
    const a = await vpc(model, records, { replicates: 30, seed: 'x', workers: 0, stratify: ['SEX'] });
    const b = await vpc(model, records, { replicates: 30, seed: 'x', workers: 2, stratify: ['SEX'] });
    expect(b).toEqual(a);
    const c = await vpc(model, records, { replicates: 30, seed: 'y', workers: 0, stratify: ['SEX'] });
    expect(c.strata?.[0]?.bins[0]?.percentiles[1]?.median).not.toBe(a.strata?.[0]?.bins[0]?.percentiles[1]?.median);
  });

  it('a single stratum is the unstratified VPC, number for number', async () => {
    const one = readNmtran(dataText((id) => (id === 0 ? 'STUDY' : '7'))).records;
    const plain = await vpc(model, one, { replicates: 25, seed: 2, workers: 0, predictionCorrected: true });
    const strat = await vpc(model, one, { replicates: 25, seed: 2, workers: 0, predictionCorrected: true, stratify: ['STUDY'] });
    expect(strat.strata?.length).toBe(1);
    expect(strat.strata?.[0]?.bins).toEqual(plain.bins);
    expect(strat.strata?.[0]?.observations).toEqual(plain.observations);
  });

  it('combinations of columns; a column changing within a subject stratifies by observation', async () => {
    // PERIOD 1 before 5 h, 2 after: it changes within every subject
    const text = dataText((id, t) => (id === 0 ? 'PERIOD' : t < 5 ? '1' : '2'));
    const recs = readNmtran(text).records;
    const r = await vpc(model, recs, { replicates: 5, seed: 1, workers: 0, stratify: ['SEX', 'PERIOD'] });
    expect(r.strata?.map((s) => s.name)).toEqual(['SEX=0 PERIOD=1', 'SEX=0 PERIOD=2', 'SEX=1 PERIOD=1', 'SEX=1 PERIOD=2']);
    expect(r.strata?.[0]?.by).toEqual({ SEX: 'subject', PERIOD: 'record' });
    expect(r.strata?.map((s) => s.bins.reduce((n, b) => n + b.n, 0))).toEqual([3, 2, 2, 2].map((k) => k * N_PER_SEX));
    expect(r.notes.join('\n')).toMatch(/PERIOD changes within subjects.*by observation/);
  });

  it('a text column stratifies by its text; a model with several outputs by DVID, each output as --dvid checks it', async () => {
    const text = dataText((id) => (id === 0 ? 'ARM' : id % 2 ? 'low' : 'high'));
    const r = await vpc(model, readNmtran(text).records, { replicates: 3, seed: 1, workers: 0, stratify: ['arm'] });
    expect(r.strata?.map((s) => s.name)).toEqual(['ARM=high', 'ARM=low']);
    // odd IDs low: 11 subjects sampled 5 times (SEX 0) and 10 sampled 4 times (SEX 1); even IDs high: 10 × 5 + 11 × 4
    expect(r.strata?.map((s) => s.bins.reduce((n, b) => n + b.n, 0))).toEqual([94, 95]);
    const pm = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
    const pmRecords = readNmtran(readFileSync('examples/parent-metabolite/patients.csv', 'utf8')).records;
    const byDvid = await vpc(pm, pmRecords, { replicates: 10, seed: 4, workers: 0, stratify: ['DVID'], predictionCorrected: true });
    expect(byDvid.strata?.map((s) => s.name)).toEqual(['DVID=1', 'DVID=2']);
    expect(byDvid.strata?.[0]?.by).toEqual({ DVID: 'record' });
    for (const dvid of [1, 2]) {
      const one = await vpc(pm, pmRecords, { replicates: 10, seed: 4, workers: 0, dvid, predictionCorrected: true });
      expect(byDvid.strata?.[dvid - 1]?.bins).toEqual(one.bins);
      expect(byDvid.strata?.[dvid - 1]?.logScale).toBe(one.logScale);
    }
  });

  it('refuses an unknown column naming close ones, and too many strata naming their count', async () => {
    await expect(vpc(model, records, { replicates: 2, workers: 0, stratify: ['SX'] })).rejects.toThrow(/stratify: no column SX in the data set.*SEX/);
    await expect(vpc(model, records, { replicates: 2, workers: 0, stratify: ['ID'] })).rejects.toThrow(/stratify: ID gives 42 strata, more than 20/);
    await expect(vpc(model, records, { replicates: 2, workers: 0, stratify: [] })).rejects.toThrow(/stratify: expected one or more column names/);
  });

  it('warns of a stratum without observations and skips it', async () => {
    const text = dataText() + `99,0,1,${DOSE},1,.,1,2\n`;
    const r = await vpc(model, readNmtran(text).records, { replicates: 3, seed: 1, workers: 0, stratify: ['SEX'] });
    expect(r.strata?.map((s) => s.name)).toEqual(['SEX=0', 'SEX=1']);
    expect(r.warnings.join('\n')).toMatch(/^W_STRATUM_EMPTY: SEX=2 \(1 subject, ID 99\) has no observations/m);
  });

  it('dosewise vpc --stratify: stratum-named CSV, JSON and report; without it the bytes are unchanged', async () => {
    const dir = tempDir('dw-vpc-strat-');
    const data = join(dir, 'd.csv');
    writeFileSync(data, dataText());
    const m = join(dir, 'm.json');
    writeFileSync(m, JSON.stringify(model.file));
    const base = ['vpc', '--model', m, '--data', data, '--replicates', '10', '--workers', '0', '--no-progress'];
    const r = await cli([...base, '--stratify', 'SEX', '--out', join(dir, 'v.csv'), '--report', join(dir, 'rep')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const csv = readFileSync(join(dir, 'v.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('stratum,bin,lo,hi,x,n,p,observed,sim_median,sim_lo,sim_hi');
    expect(csv.filter((l) => l.startsWith('SEX=0,')).length).toBe(5 * 3);
    expect(csv.filter((l) => l.startsWith('SEX=1,')).length).toBe(4 * 3);
    expect(r.out).toMatch(/SEX=0: 5 bins/);
    expect(r.out).toMatch(/SEX=1: 4 bins/);
    const html = readFileSync(join(dir, 'rep', 'report.html'), 'utf8');
    expect(html).toContain('VPC: SEX=0');
    expect(html).toContain('VPC: SEX=1');
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
    const json = await cli([...base, '--stratify', 'SEX', '--json']);
    expect(JSON.parse(json.out).strata.map((s: { name: string }) => s.name)).toEqual(['SEX=0', 'SEX=1']);
    const bad = await cli([...base, '--stratify', 'sex,FOO']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--stratify: no column FOO in the data set/);
    // the example's unstratified CSV and JSON as before --stratify existed (sha256 of the bytes;
    // the JSON's warnings now hold two W_BIN_SPLIT: 49 h and 52 h overlap, as do 0.25, 1 and 2 h;
    // no W_PC_CENSORED: corrected levels fall below the LLOQ in the 9.715–29.525 h bin, but none
    // there is censored (the example's 10 BLQ levels are at 0.25–0.3 h and 46.95–47.93 h))
    const ex = ['vpc', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '40', '--seed', '4', '--workers', '0', '--no-progress'];
    await cli([...ex, '--out', join(dir, 'ex.csv')]);
    await cli([...ex, '--pc', '--out', join(dir, 'ex.json')]);
    const sha = (f: string): string => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
    expect([sha('ex.csv'), sha('ex.json')]).toEqual(['92ef401839c2b3fac77667227428b75932398e6cd8dca0d80132aa5bb7e01046', '9255938f75877420f00e60c895147f47db2f702ac18cb195d2725c03c68defd7']);
  });
});
