// vpc with exponential (log-scale) residual error: the data's DVs decide the scale the VPC compares
// on, and it is said; BLQ rows whose limits in DV differ are refused, naming rows and limits.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { DosewiseError } from '../../../src/errors.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

const spec = JSON.parse(readFileSync('examples/vpc/model.json', 'utf8'));
const expSpec = { ...spec, residual: { model: 'exponential', exponential: 0.2 } };
const expModel = defineModel(expSpec);
const text = readFileSync('examples/vpc/data.csv', 'utf8').trim().split('\n');
const head = text[0] as string;
const cols = head.split(',');
const at = (name: string): number => cols.indexOf(name);
/** examples/vpc/data.csv, IDs 1–15 (BLQ rows: DV = LLOQ 1), each line through `edit`. */
const lines = (edit: (cells: string[], row: number) => string[] = (c) => c): string[] =>
  text.slice(1).flatMap((l, i) => {
    const c = l.split(',');
    return Number(c[0]) <= 15 ? [edit(c, i + 1).join(',')] : [];
  });
const read = (hd: string, body: string[]): readonly DataRecord[] => readNmtran([hd, ...body].join('\n'), { file: 'd.csv' }).records;
const concentrations = read(head, lines());
const isObs = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 0;

/** Type 7 with censored values as −∞ (null when the percentile falls among them). */
function q7(values: number[], p: number): number | null {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const v = lo + 1 < x.length ? (x[lo] as number) + (h - lo) * ((x[lo + 1] as number) - (x[lo] as number)) : (x[lo] as number);
  return Number.isFinite(v) ? v : null;
}
const edges = [0, 0.6, 1.5, 3, 6, 10, 20, 60];
const binOf = (t: number): number => {
  let b = 0;
  while (b < edges.length - 2 && t >= (edges[b + 1] as number)) b++;
  return b;
};

async function rejected(p: Promise<unknown>): Promise<DosewiseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('expected a DosewiseError, nothing was thrown');
}

describe('vpc with exponential error', () => {
  it('compares concentrations with concentrations when the DVs are concentrations, and says so', async () => {
    const R = 40;
    const r = await vpc(expModel, concentrations, { replicates: R, seed: 1, bins: edges, workers: 0 });
    // simulated by hand: DV = IPRED·e^ε, censored at the BLQ rows' limit 1 (a concentration)
    const obsIdx = concentrations.map((rec, i) => [rec, i] as const).filter(([rec]) => isObs(rec));
    const perRep: number[][][] = [];
    // the same draws uncensored: without the BLQ flags (whose limit replicates now apply, as vpc does)
    const unflagged = concentrations.map((rec) => ({ ...rec, items: { ...rec.items, BLQ: 0 } }));
    await simulateReplicates(expModel, unflagged, { replicates: R, seed: 1, workers: 0, logDv: true }, (blk) => {
      for (let k = 0; k < blk.reps; k++)
        edges.slice(1).forEach((_, b) => {
          const vals = obsIdx
            .filter(([rec]) => binOf(rec.TIME) === b)
            .map(([, i]) => {
              const x = k * blk.records + i;
              // the log-scale draw turned into a concentration here: exp(log IPRED + σε)
              const c = Math.exp(blk.dv[x] as number);
              return c >= 1 ? c : -Infinity;
            });
          [0.05, 0.5, 0.95].forEach((p, q) => (((perRep[b] ??= [])[q] ??= []) as number[]).push(q7(vals, p) ?? -Infinity));
        });
    });
    r.bins.forEach((bin, b) => {
      const observed = obsIdx.filter(([rec]) => binOf(rec.TIME) === b).map(([rec]) => (rec.items.BLQ === 1 ? -Infinity : rec.DV));
      bin.percentiles.forEach((q, j) => {
        expect(q.observed).toBe(q7(observed, q.p));
        const want = q7(perRep[b]?.[j] as number[], 0.5);
        if (want === null) expect(q.median).toBe(null);
        else expect(Math.abs((q.median as number) - want)).toBeLessThanOrEqual(1e-12 * want);
      });
    });
    // the medians now sit where the data are (they were the log values, 1.75–1.98 against 6–7)
    const mid = r.bins[2]?.percentiles[1];
    expect(Math.abs((mid?.median as number) / (mid?.observed as number) - 1)).toBeLessThan(0.3);
    expect(r.logScale).toBe(false);
    expect(r.warnings.filter((w) => /look like concentrations/.test(w))).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^W_DV_SCALE: the \d+ observed DVs look like concentrations.*compares concentrations, simulated as IPRED·exp\(σ·ε\), and reads the LLOQ .* in concentration units/);
  });

  it('keeps the log scale for log(concentration) data, without a word', async () => {
    const logged = read(
      head,
      lines((c) => {
        const dv = Number(c[at('DV')]);
        return c.map((v, j) => (j === at('DV') && v !== '.' ? String(Math.log(dv)) : v));
      }),
    );
    const r = await vpc(expModel, logged, { replicates: 10, seed: 1, bins: edges, workers: 0 });
    expect(r.logScale).toBe(true);
    expect(r.warnings, r.warnings.join('\n')).toEqual([]);
    const obs = logged.filter((rec) => isObs(rec) && binOf(rec.TIME) === 3 && rec.items.BLQ !== 1).map((rec) => rec.DV);
    expect(r.bins[3]?.percentiles[1]?.observed).toBe(q7(obs, 0.5));
  });

  it('logDv true as asked: log-scale simulations, with a warning that the DVs look like concentrations', async () => {
    const r = await vpc(expModel, concentrations, { replicates: 5, seed: 1, bins: edges, workers: 0, logDv: true });
    expect(r.logScale).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/look like concentrations, not their logarithms, while logDv is true/);
  });

  it('reads lower concentrations as estimation does (one rule: half the dose and levels of 0.5–11 mg/L)', async () => {
    // the VPC's own rule asked most levels to be 3 or more off as logs: 24 of 117 were, so
    // concentrations of 0.5–11 mg/L were compared with log-scale simulations without a word
    const half = read(
      head,
      lines((c) => c.map((v, j) => ((j === at('DV') || j === at('AMT')) && v !== '.' && Number(v) > 0 && (j === at('AMT') || c[at('EVID')] === '0') ? String(Number(v) / 2) : v))),
    );
    const r = await vpc(expModel, half, { replicates: 5, seed: 1, bins: edges, workers: 0, lloq: 0.5 });
    expect(r.logScale).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/observed DVs look like concentrations/);
  });

  it('dosewise vpc says it on stderr and in the JSON', async () => {
    const dir = tempDir('dw-vpc-scale-');
    writeFileSync(join(dir, 'm.json'), JSON.stringify(expSpec));
    writeFileSync(join(dir, 'd.csv'), [head, ...lines()].join('\n') + '\n');
    const r = await cli(['vpc', '--model', join(dir, 'm.json'), '--data', join(dir, 'd.csv'), '--replicates', '10', '--seed', '1', '--workers', '0', '--no-progress', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/look like concentrations/g)).toHaveLength(1);
    expect(r.err).toMatch(/dosewise: warning: .*d\.csv: W_DV_SCALE: the \d+ observed DVs look like concentrations/);
    const json = JSON.parse(r.out);
    expect(json.logScale).toBe(false);
    expect(json.warnings[0]).toMatch(/look like concentrations/);
  });
});

describe('vpc BLQ limits', () => {
  // the first BLQ row (data row 2, ID 1) says 0.99, the others 1: as d13.csv
  const mixed = read(head, lines((c, row) => (row === 2 ? c.map((v, j) => (j === at('DV') ? '0.99' : v)) : c)));
  const model = defineModel(spec);

  it('refuses limits in DV that differ without an LLOQ column, naming the rows and limits', async () => {
    expect(mixed[1]?.items.BLQ).toBe(1);
    const e = await rejected(vpc(model, mixed, { replicates: 5, seed: 1, workers: 0, file: 'd.csv' }));
    expect(e.place).toMatchObject({ file: 'd.csv', row: 2, column: 'DV', value: 0.99 });
    expect(e.message).toContain('BLQ rows give different limits (in LLOQ, else in DV) and some quantified observation has no LLOQ: 1 (rows ');
    expect(e.message).toContain('0.99 (row 2)');
    expect(e.message).toMatch(/give every observation its LLOQ or one limit for all \(the API option lloq\)/);
  });

  it('takes one limit (lloq) or an LLOQ column, and censors the simulated values at it', async () => {
    const R = 20;
    const r = await vpc(model, mixed, { replicates: R, seed: 3, bins: edges, workers: 0, lloq: 1 });
    const withColumn = read(`${head},LLOQ`, lines((c, row) => [...(row === 2 ? c.map((v, j) => (j === at('DV') ? '0.99' : v)) : c), '1']));
    const c = await vpc(model, withColumn, { replicates: R, seed: 3, bins: edges, workers: 0 });
    expect(c.bins).toEqual(r.bins);
    // every simulated value below 1 counts as below: the fraction per replicate, by hand
    const obsIdx = mixed.map((rec, i) => [rec, i] as const).filter(([rec]) => isObs(rec) && binOf(rec.TIME) === 0);
    const fr: number[] = [];
    // the same draws uncensored: without the BLQ flags (their differing limits are refused, as vpc refuses them)
    const unflagged = mixed.map((rec) => ({ ...rec, items: { ...rec.items, BLQ: 0 } }));
    await simulateReplicates(model, unflagged, { replicates: R, seed: 3, workers: 0 }, (blk) => {
      for (let k = 0; k < blk.reps; k++) fr.push(obsIdx.filter(([, i]) => (blk.dv[k * blk.records + i] as number) < 1).length / obsIdx.length);
    });
    expect(r.bins[0]?.blq?.median).toBeCloseTo(q7(fr, 0.5) as number, 14);
    expect(r.bins[0]?.percentiles[0]?.median === null || (r.bins[0]?.percentiles[0]?.median as number) >= 1).toBe(true);
  });
});
