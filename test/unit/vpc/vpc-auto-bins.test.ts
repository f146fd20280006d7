// vpc's automatic bins and its reading of censored and log-scale data. Bins started where the next
// time was ≥ 10 % later on the TIME axis: 1 h and 6 h after the third dose (97 h, 102 h) were one bin
// (simulated median 3.53, describing neither 4.53 nor 2.69), the README example pooled nominal
// 49 h and 52 h, random times gave one bin of 78 % of the data, and few observations bins of 1–2.
// BLQ rows coded MDV 1 (NONMEM's M1) were dropped from the observed side only; --pc refused
// pre-dose BLQ samples (PRED 0) naming DV; concentrations of 0.25–6 mg/L under exponential error
// were compared as logs without a word.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { makeBins } from '../../../src/vpc/bins.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

/** m1.json: 1-cmt IV bolus, CL 2 L/h, V 20 L, Ω and IOV on CL by OCC, 20 % proportional error. */
const m1 = defineModel({
  dosewise: 2,
  name: 't1 1cmt iv',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 2, unit: 'L/h' }, TVV: { value: 20, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL + KAPPA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.03], [0.03, 0.04]] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.0225], occasion: 'OCC' },
  residual: { model: 'proportional', proportional: 0.2 },
  observe: { compartment: 1, unit: 'mg/L' },
});

/** d3.csv's design: 100 mg at 0, 48, 96, 144 h (OCC 1, 2, 1, 7), samples 1 h and 6 h after each dose. */
function multiDose(subjects: number): string {
  const lines = ['ID,TIME,EVID,AMT,CMT,DV,MDV,OCC'];
  for (let id = 1; id <= subjects; id++)
    [0, 48, 96, 144].forEach((d, k) => {
      const occ = [1, 2, 1, 7][k] as number;
      lines.push(`${id},${d},1,100,1,.,1,${occ}`, `${id},${d + 1},0,.,1,3,0,${occ}`, `${id},${d + 6},0,.,1,2,0,${occ}`);
    });
  return lines.join('\n') + '\n';
}

const counts = (b: { edges: readonly number[]; of: Int32Array }): number[] => b.edges.slice(1).map((_, i) => [...b.of].filter((x) => x === i).length);
const observations = (records: readonly DataRecord[]): DataRecord[] => records.filter((r) => r.EVID === 0 && r.MDV === 0);

/** A seeded uniform generator (Park–Miller), so the random designs are the same on every run. */
function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('automatic bins keep sampling times apart after later doses', () => {
  it('1 h and 6 h after the third dose (97 h, 102 h) are two bins, with their own simulated medians', async () => {
    const records = readNmtran(multiDose(100)).records;
    const obs = observations(records);
    const bins = makeBins(obs.map((r) => r.TIME), 'auto', obs.map((r) => r.ID));
    // one bin per nominal time (before: 97 h and 102 h, and 145 h and 150 h, were pooled: 6 bins)
    expect(bins.edges.length - 1).toBe(8);
    expect(counts(bins)).toEqual(Array<number>(8).fill(100));
    const r = await vpc(m1, records, { replicates: 100, seed: 11, workers: 0 });
    const at = (t: number) => r.bins.find((b) => b.x === t)?.percentiles[1]?.median as number;
    // Reference: numpy Monte Carlo of the same model (2·10⁶ subjects: η from Ω, κ per occasion, the
    // amount decaying with the occasion's CL over 0–48, 48–96 and 96 h on, DV = C·(1 + 0.2ε)):
    // median DV 4.528 at 97 h and 2.693 at 102 h (pooled, as before the fix: 3.529). Measured 4.523
    // and 2.695; the median of 100 replicates' medians of 100 values is within about 0.02 of it.
    expect(Math.abs(at(97) - 4.528)).toBeLessThan(0.06);
    expect(Math.abs(at(102) - 2.693)).toBeLessThan(0.06);
  });

  it("the README example: one bin per nominal time of examples/vpc/make-data.py, 49 h and 52 h apart", () => {
    const obs = observations(readNmtran(readFileSync('examples/vpc/data.csv', 'utf8')).records);
    const bins = makeBins(obs.map((r) => r.TIME), 'auto', obs.map((r) => r.ID));
    // make-data.py samples every subject at NOMINAL = 0.25, 1, 2, 4, 8, 11.5, 49, 52 h, each with
    // normal scatter of SD 0.1·√max(t, 1) (0.70 h at 49 h, 0.72 h at 52 h): the bins' median times
    // lie at the nominal ones (measured 0.27 … 48.87, 52.09) and the cut between the last two in the
    // valley of the two normal densities (at 50.49 h by numpy; the cut falls at 50.965, the midpoint
    // of the widest gap there, 50.84–51.09).
    const nominal = [0.25, 1, 2, 4, 8, 11.5, 49, 52];
    expect(bins.edges.length - 1).toBe(nominal.length);
    nominal.forEach((t, b) => {
      const inBin = obs.filter((_, i) => bins.of[i] === b).map((r) => r.TIME).sort((x, y) => x - y);
      const median = inBin[Math.floor(inBin.length / 2)] as number;
      expect(Math.abs(median - t), `bin ${b + 1}`).toBeLessThan(0.15);
    });
    expect(Math.abs((bins.edges[7] as number) - 50.49)).toBeLessThan(0.6);
  });

  it('random sampling times: bins of comparable counts, not one bin of most of the data', () => {
    // d7.csv's design: 40 subjects, a pre-dose sample at 0 and 6 at uniform random times in 0–24 h
    const next = uniform(7);
    const times: number[] = [];
    const ids: number[] = [];
    for (let id = 1; id <= 40; id++) {
      times.push(0);
      ids.push(id);
      for (let k = 0; k < 6; k++) {
        times.push((Math.floor(next() * 2400) + 1) / 100);
        ids.push(id);
      }
    }
    const bins = makeBins(times, 'auto', ids);
    expect(bins.warnings).toEqual([]);
    const c = counts(bins);
    // before: one bin of 78 % (218 of 280). Here 8 bins (the pre-dose samples, 40, one of them); an
    // equal count is 35: each bin within a factor 2 of it (measured 23–43)
    expect(c.length).toBeGreaterThanOrEqual(7);
    for (const n of c) {
      expect(n).toBeGreaterThanOrEqual(35 / 2);
      expect(n).toBeLessThanOrEqual(35 * 1.5);
    }
    expect(c[0]).toBe(40);
  });

  it('times on a grid (0.01 h) within one sampling time stay one bin', () => {
    const next = uniform(3);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) times.push(Math.round((0.5 + 0.03 * (next() - 0.5) * 2) * 100) / 100, Math.round((2 + 0.1 * (next() - 0.5) * 2) * 100) / 100);
    const ids = Array.from({ length: 120 }, (_, i) => Math.floor(i / 2));
    expect(makeBins(times, 'auto', ids).edges.length - 1).toBe(2);
  });

  it('no automatic bin holds fewer than 5 observations or 2 % of them', () => {
    // d8b.csv: 6 observations at 1, 6, 39, 44, 49, 54 h (before: bins of 1 and 2)
    expect(counts(makeBins([1, 6, 49, 54, 39, 44], 'auto', [1, 1, 1, 1, 2, 2]))).toEqual([6]);
    // three samples far from the rest join the nearer bin rather than make one of 3
    const times = [...Array<number>(20).fill(1), ...Array<number>(20).fill(4), 30, 31, 32];
    const ids = [...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 20 }, (_, i) => i), 0, 1, 2];
    expect(counts(makeBins(times, 'auto', ids))).toEqual([20, 23]);
    // 2 % of 1,000 is 20: clusters of 12 are merged
    const many = Array.from({ length: 1000 }, (_, i) => (i < 12 ? 0.5 : 1 + (i % 4)));
    const c = counts(makeBins(many, 'auto', Array.from({ length: 1000 }, (_, i) => i % 250)));
    expect(Math.min(...c)).toBeGreaterThanOrEqual(20);
  });
});

describe('censored observations in a VPC', () => {
  const text = readFileSync('examples/vpc/data.csv', 'utf8');
  const lines = text.trim().split('\n');
  const header = (lines[0] as string).split(',');
  const [mdv, blq] = [header.indexOf('MDV'), header.indexOf('BLQ')];
  // NONMEM's M1 coding of the same data: every BLQ row MDV 1
  const m1Coded = [lines[0], ...lines.slice(1).map((l) => l.split(',')).map((c) => (c[blq] === '1' ? c.map((v, i) => (i === mdv ? '1' : v)) : c).join(','))].join('\n') + '\n';
  const blqRows = lines.slice(1).filter((l) => l.split(',')[blq] === '1').length;
  const model = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));

  it('a BLQ = 1 row with MDV 1 is a censored observation, as with MDV 0, and a note counts them', async () => {
    const o = { replicates: 20, seed: 1, workers: 0 } as const;
    const plain = await vpc(model, readNmtran(text).records, o);
    const coded = await vpc(model, readNmtran(m1Coded).records, o);
    // the same VPC as the MDV 0 coding (before: bin 1 held 92 of its 101 observations, none below the LLOQ)
    expect(coded.bins).toEqual(plain.bins);
    expect(plain.notes).toEqual([]);
    expect(blqRows).toBe(10);
    expect(coded.notes).toHaveLength(1);
    expect(coded.notes[0]).toMatch(/^10 BLQ rows with MDV 1 \(NONMEM's M1 coding; rows 2, 41, 106 and 7 more\) are counted as censored observations/);
  });

  it('dosewise vpc says it on stderr as a note', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(tempDir('vpc-m1-'), 'd.csv');
    writeFileSync(file, m1Coded);
    const r = await cli(['vpc', '--model', 'examples/vpc/model.json', '--data', file, '--replicates', '5', '--workers', '0', '--no-progress', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/dosewise: note: .*d\.csv: 10 BLQ rows with MDV 1/);
  });

  it('--pc skips censored observations whose PRED is 0 (pre-dose BLQ), and names PRED for a quantified one', async () => {
    // a pre-dose BLQ sample (limit 0.5) before every subject's dose: PRED 0 there
    const design = (dv: string, flag: string): DataRecord[] => {
      const rows = ['ID,TIME,EVID,AMT,CMT,DV,MDV,OCC,BLQ'];
      for (let id = 1; id <= 20; id++) rows.push(`${id},0,0,.,1,${dv},0,1,${flag}`, `${id},0,1,100,1,.,1,1,0`, `${id},1,0,.,1,4.5,0,1,0`, `${id},6,0,.,1,2.7,0,1,0`);
      return readNmtran(rows.join('\n') + '\n', { file: 'pre.csv' }).records as DataRecord[];
    };
    const r = await vpc(m1, design('0.5', '1'), { replicates: 10, seed: 2, workers: 0, predictionCorrected: true, lloq: 0.5, file: 'pre.csv' });
    // the pre-dose bin: all censored, no percentile made up; the others corrected as before
    expect(r.bins[0]?.blq?.observed).toBe(1);
    expect(r.bins[0]?.percentiles.every((q) => q.observed === null)).toBe(true);
    // PRED_bin / PRED is 1 where every PRED of a bin is the same: the observed median is the level
    expect(r.bins[1]?.percentiles[1]?.observed).toBeCloseTo(4.5, 12);
    await expect(vpc(m1, design('0.6', '0'), { replicates: 2, seed: 2, workers: 0, predictionCorrected: true, lloq: 0.5, file: 'pre.csv' })).rejects.toThrow(
      /pre\.csv, row 1, column PRED: prediction correction needs a positive typical prediction \(PRED.*quantified observation.*\(got 0\)/,
    );
  });
});

describe('exponential error with concentrations near 1', () => {
  // examples/vpc/data.csv at a quarter of the dose (100 mg, levels 0.25–6 mg/L: d_low.csv)
  const text = readFileSync('examples/vpc/data.csv', 'utf8');
  const lines = text.trim().split('\n');
  const header = (lines[0] as string).split(',');
  const [amt, dv] = [header.indexOf('AMT'), header.indexOf('DV')];
  const low = [lines[0], ...lines.slice(1).map((l) => l.split(',').map((v, i) => (v !== '.' && i === amt ? String(Number(v) / 4) : v !== '.' && i === dv ? String(Number(v) / 4) : v)).join(','))].join('\n') + '\n';
  const spec = JSON.parse(readFileSync('examples/vpc/model.json', 'utf8'));
  const expModel = defineModel({ ...spec, residual: { model: 'exponential', exponential: 0.2 } });

  it('are read as concentrations, with W_DV_SCALE (they were compared with log-scale simulations)', async () => {
    // Reference: numpy, the typical subject in closed form (examples/vpc/make-data.py's conc()):
    // over the 790 quantified levels, median |DV − ln PRED| = 1.170 and median |ln DV − ln PRED|
    // = 0.235 (estimation's rule asks an RMS above 2 of the first: 1.43 here)
    const r = await vpc(expModel, readNmtran(low).records, { replicates: 10, seed: 1, workers: 0 });
    expect(r.logScale).toBe(false);
    expect(r.warnings.filter((w) => w.startsWith('W_DV_SCALE: the 790 observed DVs look like concentrations'))).toHaveLength(1);
    // the same levels as logs: no warning, the log scale
    const logged = [lines[0], ...lines.slice(1).map((l) => l.split(',').map((v, i) => (v !== '.' && (i === amt || i === dv) ? String(i === dv ? Math.log(Number(v) / 4) : Number(v) / 4) : v)).join(','))].join('\n') + '\n';
    const asLogs = await vpc(expModel, readNmtran(logged).records, { replicates: 5, seed: 1, workers: 0 });
    expect(asLogs.logScale).toBe(true);
    expect(asLogs.warnings.filter((w) => w.includes('W_DV_SCALE'))).toEqual([]);
  });
});

describe('messages', () => {
  it('--pi takes percent: 100 is refused as such, not as a probability', async () => {
    const r = await cli(['vpc', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '2', '--workers', '0', '--no-progress', '--pi', '1,50,100']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--pi 1,50,100: percentiles are given in %, each a number above 0 and below 100 \(got 100\)/);
    expect(r.err).not.toMatch(/probabilities/);
  });

  it("a BLQ row with DV '.' and no limit anywhere is refused as such, not as limits that differ (got NaN)", async () => {
    const text = readFileSync('examples/vpc/data.csv', 'utf8').replace('\n1,0.25,0,.,2,1,0,1,69.3\n', '\n1,0.25,0,.,2,.,0,1,69.3\n');
    const model = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));
    await expect(vpc(model, readNmtran(text, { file: 'd.csv' }).records, { replicates: 2, workers: 0, file: 'd.csv' })).rejects.toThrow(
      /^d\.csv, row 2, column DV: a BLQ observation needs its LLOQ: give the limit in DV, an LLOQ column, or one limit for all \(the API option lloq\).*\(got "\."\)$/,
    );
  });
});

describe('automatic bins: one per sampling time as studies grow', () => {
  /** Nominal times × exp(N(0, cv²)) (Box–Muller on the seeded uniform), rounded to 0.01 h, as gen2.py. */
  function jittered(subjects: number, cv: number, seed: number, nominal = [0.5, 1, 2, 4, 8, 12, 24], scale = 100): { times: number[]; ids: number[]; nominal: number[] } {
    const next = uniform(seed);
    const normal = (): number => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    const out = { times: [] as number[], ids: [] as number[], nominal: [] as number[] };
    for (let id = 1; id <= subjects; id++)
      for (const t of nominal) {
        out.times.push(Math.round(t * Math.exp(cv * normal()) * scale) / scale);
        out.ids.push(id);
        out.nominal.push(t);
      }
    return out;
  }
  /** The nominal times each bin holds, and whether the ranges of the nominal times overlap. */
  function binsOfNominal(d: { times: number[]; ids: number[]; nominal: number[] }): { bins: number[][]; overlap: boolean; warnings: readonly string[] } {
    const b = makeBins(d.times, 'auto', d.ids);
    const bins = b.edges.slice(1).map((_, k) => [...new Set(d.nominal.filter((_, i) => b.of[i] === k))]);
    const range = (t: number): number[] => {
      const at = d.times.filter((_, i) => d.nominal[i] === t);
      return [Math.min(...at), Math.max(...at)];
    };
    const noms = [...new Set(d.nominal)].sort((x, y) => x - y);
    const overlap = noms.slice(1).some((t, i) => (range(t)[0] as number) <= (range(noms[i] as number)[1] as number));
    return { bins, overlap, warnings: b.warnings };
  }
  const oneEach = [[0.5], [1], [2], [4], [8], [12], [24]];

  it('2,000 subjects with CV 5 % and 100 with CV 8 %: one bin per nominal time', () => {
    // The reference is the design: each time's nominal time, whose ranges do not overlap. Before:
    // 8 bins, 0.5–12 h each split (2,000), 1–12 h split (100); the chart r2000d.csv and
    // r100cv8d.csv alike (8 bins, 1 h split 1504/496). Not every sample: over seeds 1–12, 2 of 12
    // at 2,000 put the one 8 h sample nearest 12 h in the 12 h bin (before: 11 of 12 split), and 3
    // of the 5 whose ranges do not overlap at 100 subjects split (before: 5 of 5)
    for (const [subjects, cv, seed] of [[2000, 0.05, 1], [100, 0.08, 2]] as const) {
      const r = binsOfNominal(jittered(subjects, cv, seed));
      expect(r.overlap).toBe(false);
      expect(r.bins, `${subjects} subjects, CV ${cv}`).toEqual(oneEach);
    }
  });

  it('a clear gap between two sampling times is a bin edge though one sample strays towards it', () => {
    // The chart vpcpc.csv design: 200 subjects at 0.5, 1, 2, 4, 8, 12 h × exp(N(0, 0.05²)), to
    // 0.001 h. There 8-h samples reached 9.07 h and 12-h ones began at 10.422 h, then 10.925 h: the
    // 5 samples nearest the 1.35-h gap spanned 0.556 h (3 × 0.556 > 1.35), and 8 h and 12 h became
    // 3 equal-count bins, the middle one (8.21–11.69 h, n = 114) holding the top 51 of 8 h and the
    // bottom 63 of 12 h. The reference is the design: one bin per nominal time, whose ranges do not
    // overlap. Before: seeds 1–4 each gave 7 bins, 8 h and 12 h mixed in the sixth.
    const design = [0.5, 1, 2, 4, 8, 12];
    for (let seed = 1; seed <= 4; seed++) {
      const r = binsOfNominal(jittered(200, 0.05, seed, design, 1000));
      expect(r.overlap).toBe(false);
      expect(r.bins, `seed ${seed}`).toEqual(design.map((t) => [t]));
      expect(r.warnings).toEqual([]);
    }
    // three sampling times (1, 8, 12 h): each cluster one bin (before: 8 h and 12 h 2–3 bins each,
    // their tails mixed in 4 of 4, as no neighbour lay a cluster's width away)
    for (let seed = 1; seed <= 4; seed++) expect(binsOfNominal(jittered(200, 0.05, seed, [1, 8, 12], 1000)).bins, `seed ${seed}`).toEqual([[1], [8], [12]]);
  });

  it('W_BIN_SPLIT when the bins still mix or split sampling times', () => {
    // 100 subjects, CV 8 %, 0.5–24 h: seed 1 puts 8-h samples with 12 h (the README's 'Not done'), said
    const mixed = binsOfNominal(jittered(100, 0.08, 1, undefined, 1000));
    expect(mixed.bins.some((b) => b.length > 1)).toBe(true);
    expect(mixed.warnings).toHaveLength(1);
    expect(mixed.warnings[0]).toMatch(/^W_BIN_SPLIT: the 300 observations at TIME 3\.424–14\.491, 3 sampling times per subject, overlap: 7 samples lie in the bin of the sampling time beside their own .*give the bins' edges/);
    // seed 2 keeps them apart: no word
    const apart = binsOfNominal(jittered(100, 0.08, 2, undefined, 1000));
    expect(apart.bins).toEqual([[0.5], [1], [2], [4], [8], [12], [24]]);
    expect(apart.warnings).toEqual([]);
    // a pre-dose sample and one at random in 4–24 h per subject: the random ones are 4 equal-count
    // bins, which would split them were they one sampling time
    const next = uniform(5);
    const times = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? 0 : Math.round((4 + 20 * next()) * 100) / 100));
    const b = makeBins(times, 'auto', times.map((_, i) => Math.floor(i / 2)));
    const c = counts(b);
    expect(c).toHaveLength(5);
    expect(c[0]).toBe(150);
    // each cut at the widest gap near an equal count, 37.5: measured 33–40
    for (const n of c.slice(1)) expect(Math.abs(n - 37.5)).toBeLessThan(8);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toMatch(/^W_BIN_SPLIT: the 150 observations at TIME .*, one per subject, .*4 bins of equal counts/);
    // random times, several per subject, and one per subject over all the data: equal counts, no word
    expect(makeBins(times.filter((t) => t > 0), 'auto', times.filter((t) => t > 0).map((_, i) => i)).warnings).toEqual([]);
  });

  it('a duplicated sample is not another sampling time', () => {
    // dup.json: 30 subjects at 1, 2, 4, 8, 24 h, the 4 h sample recorded twice (before: 4 h split 28/32)
    const d = jittered(30, 0.05, 9);
    const at4 = d.times.flatMap((t, i) => (d.nominal[i] === 4 ? [i] : []));
    const withDup = { times: [...d.times, ...at4.map((i) => d.times[i] as number)], ids: [...d.ids, ...at4.map((i) => d.ids[i] as number)], nominal: [...d.nominal, ...at4.map(() => 4)] };
    const b = makeBins(withDup.times, 'auto', withDup.ids);
    expect(counts(b)).toEqual([30, 30, 30, 60, 30, 30, 30]);
  });

  it('clock minutes stored as hours to 4 decimals: one bin per nominal time', () => {
    // gen7.py: 100 subjects at 5, 10, 15, 20, 30, 45, 60, 90, 120, 240, 480 min ± up to 1 min, as
    // hours to 4 decimals (4, 5, 6 min = 0.0667, 0.0833, 0.1: gaps 0.0166 and 0.0167 were no grid;
    // before: 17 bins)
    const next = uniform(1);
    const nominal = [5, 10, 15, 20, 30, 45, 60, 90, 120, 240, 480];
    const times: number[] = [];
    const ids: number[] = [];
    for (let id = 1; id <= 100; id++)
      for (const m of nominal) {
        times.push(Math.round(((m + Math.floor(next() * 3) - 1) / 60) * 1e4) / 1e4);
        ids.push(id);
      }
    expect(counts(makeBins(times, 'auto', ids))).toEqual(Array<number>(11).fill(100));
  });
});

describe('automatic bins with missing samples', () => {
  /** Each subject at the nominal times, jittered, each sample missing with chance `missing` (seeded). */
  function sparse(subjects: number, nominal: readonly number[], jitter: (t: number, z: number) => number, missing: number, seed: number): { times: number[]; ids: number[]; nominal: number[] } {
    const next = uniform(seed);
    const normal = (): number => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    const out = { times: [] as number[], ids: [] as number[], nominal: [] as number[] };
    for (let id = 1; id <= subjects; id++)
      for (const t of nominal) {
        const x = jitter(t, normal());
        if (next() < missing) continue;
        out.times.push(Math.round(x * 100) / 100);
        out.ids.push(id);
        out.nominal.push(t);
      }
    return out;
  }
  /**
   * The bins' count, and the samples outside the bin of their nominal time: by makeBins (the b-th
   * bin taken as the b-th nominal time), and by the design's own edges, the geometric midpoints of
   * the nominal times (the samples that scatter past them: no bins can do better).
   */
  function misplaced(d: { times: number[]; ids: number[]; nominal: number[] }): { bins: number; wrong: number; reference: number; warnings: readonly string[] } {
    const b = makeBins(d.times, 'auto', d.ids);
    const noms = [...new Set(d.nominal)].sort((x, y) => x - y);
    const mids = noms.slice(1).map((t, i) => Math.sqrt(t * (noms[i] as number)));
    return {
      bins: b.edges.length - 1,
      wrong: d.times.filter((_, i) => noms[b.of[i] as number] !== d.nominal[i]).length,
      reference: d.times.filter((x, i) => noms[mids.filter((m) => x >= m).length] !== d.nominal[i]).length,
      warnings: b.warnings,
    };
  }

  it('50 subjects at 1.5–48 h, CV 7 %, 30 % missing: one bin per nominal time (36 h and 48 h were one)', () => {
    // the chart c11.csv design. The stretch 36–48 h (no clear gap: CV 7 %) has 2 sampling times,
    // but half the subjects have one sample there: the lower median of the subjects' counts said 1
    // and made it one bin of both (c11.csv: 33 at 36 h and 35 at 48 h, medians 0.236 and 0.045
    // pooled to 0.119, no warning). Now the count that a tenth of the subjects reach (2). Before:
    // seed 5 six bins (6 h with 10 h, 36 h with 48 h; 116 samples misplaced), seed 8 seven (77).
    // Measured: 7 bins, 9 and 6 misplaced, where the design's edges misplace 9 and 8 (10 h and 12 h
    // overlap at CV 7 %).
    for (const seed of [5, 8]) {
      const r = misplaced(sparse(50, [1.5, 3, 6, 10, 12, 36, 48], (t, z) => t * Math.exp(0.07 * z), 0.3, seed));
      expect(r.bins, `seed ${seed}`).toBe(7);
      expect(r.wrong, `seed ${seed}`).toBeLessThanOrEqual(r.reference + 3);
    }
  });

  it('200 subjects at 0.75–48 h, SD 3 min, 30 % missing: 0.75 h and 1 h are two bins, or said', () => {
    // the chart c488.csv design (before: seeds 1 and 8 put 0.75 h and 1 h in one bin, ~990
    // samples misplaced, no warning). Measured: 8 bins, 6 misplaced each (the design's edges: 6
    // and 6), the samples of the two that touch said.
    for (const seed of [1, 8]) {
      const r = misplaced(sparse(200, [0.75, 1, 1.5, 2, 8, 10, 24, 48], (t, z) => t + 0.05 * z, 0.3, seed));
      expect(r.bins, `seed ${seed}`).toBe(8);
      expect(r.wrong, `seed ${seed}`).toBeLessThanOrEqual(r.reference + 3);
      for (const w of r.warnings) expect(w).toMatch(/^W_BIN_SPLIT: the \d+ observations at TIME 0\.\d+–1\.\d+, 2 sampling times per subject, overlap/);
    }
  });

  it('sampling times whose subjects overlap in one bin are said; 24 h and 36 h kept apart are not', () => {
    // 10 h and 12 h at CV 7 % (seed 2): their subjects' samples are no clusters apart, and the
    // equal-count cut leaves 7 subjects with both in one bin (before: said of 36 h and 48 h only)
    const w = misplaced(sparse(50, [1.5, 3, 6, 10, 12, 36, 48], (t, z) => t * Math.exp(0.07 * z), 0.3, 2)).warnings;
    expect(w.some((x) => /^W_BIN_SPLIT: the 68 observations at TIME 8\.99–13\.71, 2 sampling times per subject, overlap \(.*\): 2 bins of equal counts, 7 subjects have two or more samples in one bin/.test(x))).toBe(true);
    // the c87 design (0.5–36 h, CV 7 %, 30 % missing): 24 h and 36 h, one sample per
    // subject by the median, were 2 equal-count bins warned as one time split (a false alarm);
    // now 2 sampling times: 6 bins, no word
    for (const seed of [1, 2]) {
      const r = misplaced(sparse(50, [0.5, 2, 5, 10, 24, 36], (t, z) => t * Math.exp(0.07 * z), 0.3, seed));
      expect(r.bins).toBe(6);
      expect(r.wrong).toBeLessThanOrEqual(r.reference + 3);
      expect(r.warnings).toEqual([]);
    }
  });
});
