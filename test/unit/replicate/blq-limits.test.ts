// Censoring limits of replicates, by vpc's rule (src/replicate/censoring.ts): an LLOQ column filled
// on the BLQ rows alone, BLQ rows with the limit in DV and no LLOQ column, and BLQ rows coded MDV 1
// (M1). Typical subjects without ε make DV_SIM the closed form C(t) = (100/40)·e^(−0.1·t), which is
// below 0.5 from t = 10·ln 5 = 16.09 h: C(12) = 0.7530, C(20) = 0.3383, C(24) = 0.2268, C(30) = 0.1245
// (computed by hand with exp; python3 gives the same to 4 digits).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates, type ReplicateOptions } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { cli } from '../cli/run-cli.js';

const model = defineModel({
  dosewise: 2,
  name: 'blq-limits',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 40 },
  parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'combined', additive: 0.05, proportional: 0.15 },
});

/** Two subjects, 100 mg at 0, levels at 1, 8, 12, 20, 24 and 30 h; the 30-h level is BLQ (0.5). */
function dataSet(o: { lloq: 'blq-rows' | 'all' | 'none'; m1?: boolean }): string {
  const head = o.lloq === 'none' ? 'ID,TIME,EVID,AMT,DV,MDV,BLQ' : 'ID,TIME,EVID,AMT,DV,MDV,BLQ,LLOQ';
  const lines = [head];
  const levels: [number, number][] = [[1, 2.26], [8, 1.12], [12, 0.75], [20, 0.6], [24, 0.55]];
  for (const id of [1, 2]) {
    const row = (cells: (string | number)[], lloq: string): string => [...cells, ...(o.lloq === 'none' ? [] : [lloq])].join(',');
    lines.push(row([id, 0, 1, 100, '.', 1, 0], '.'));
    for (const [t, dv] of levels) lines.push(row([id, t, 0, '.', dv, 0, 0], o.lloq === 'all' ? '0.5' : '.'));
    lines.push(row([id, 30, 0, '.', 0.5, o.m1 ? 1 : 0, 1], '0.5'));
  }
  return lines.join('\n') + '\n';
}

const typical: ReplicateOptions = { replicates: 2, seed: 3, effects: 'typical', epsilon: false, workers: 0 };

async function run(text: string, o: ReplicateOptions = typical): Promise<{ censored: number; observations: number; notes: readonly string[]; dv: number[]; blq: number[] }> {
  const dv: number[] = [];
  const blq: number[] = [];
  const r = await simulateReplicates(model, readNmtran(text).records, o, (b) => {
    dv.push(...b.dv);
    blq.push(...b.blq);
  });
  return { censored: r.censored, observations: r.observations, notes: r.notes, dv, blq };
}

describe('replicates censor at the limit the BLQ rows give, as vpc does', () => {
  it('an LLOQ column filled on the BLQ rows alone censors every observation at it (before: the BLQ rows only, 4 of 24 for 12)', async () => {
    const partial = await run(dataSet({ lloq: 'blq-rows' }));
    // 20, 24 and 30 h (C < 0.5) in 2 subjects × 2 replicates
    expect(partial.censored).toBe(12);
    expect(partial.observations).toBe(24);
    // the same as a full LLOQ column and as the option
    expect((await run(dataSet({ lloq: 'all' }))).censored).toBe(12);
    expect((await run(dataSet({ lloq: 'blq-rows' }), { ...typical, lloq: 0.5 })).censored).toBe(12);
    // no simulated value below the limit is left uncensored; the 20-h value is censored at 0.5
    expect(partial.dv.filter((y, i) => y < 0.5 && partial.blq[i] === 0)).toEqual([]);
    expect(partial.dv[4]).toBe(0.5);
    expect(partial.blq[4]).toBe(1);
    // 12 h (0.7530) stays
    expect(partial.dv[3]).toBeCloseTo(2.5 * Math.exp(-1.2), 6);
    expect(partial.dv[3]).toBeCloseTo(0.753, 3);
    expect(partial.blq[3]).toBe(0);
  });

  it('BLQ rows with their limit in DV and no LLOQ column give it to every observation (before: nothing censored)', async () => {
    expect((await run(dataSet({ lloq: 'none' }))).censored).toBe(12);
  });

  it('BLQ rows whose limits differ while a quantified observation has no LLOQ are refused, as vpc refuses them', async () => {
    const text = dataSet({ lloq: 'blq-rows' }).replace(/\n2,30,0,\.,0\.5,0,1,0\.5\n$/, '\n2,30,0,.,0.4,0,1,0.4\n');
    await expect(run(text)).rejects.toThrow(/BLQ rows give different limits \(in LLOQ, else in DV\) and some quantified observation has no LLOQ: /);
    await expect(vpc(model, readNmtran(text).records, { replicates: 2, workers: 0 })).rejects.toThrow(/BLQ rows give different limits/);
  });

  it('a BLQ row coded MDV 1 (M1) is a censored observation with a drawn value, and a note says so (before: DV_SIM NaN, BLQ_SIM 0)', async () => {
    const m1 = await run(dataSet({ lloq: 'all', m1: true }));
    expect(m1.observations).toBe(24);
    expect(m1.censored).toBe(12);
    // the 30-h record of subject 1, replicate 1: censored at 0.5
    expect(m1.dv[6]).toBe(0.5);
    expect(m1.blq[6]).toBe(1);
    expect(m1.notes).toHaveLength(1);
    expect(m1.notes[0]).toMatch(/^2 BLQ rows with MDV 1 \(NONMEM's M1 coding; rows 7, 14\) are counted as censored observations/);
    expect((await run(dataSet({ lloq: 'all' }))).notes).toEqual([]);
  });
});

describe('dosewise simulate --replicates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dosewise-blq-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const modelFile = join(dir, 'model.json');
  writeFileSync(modelFile, JSON.stringify(model.file));

  it('writes BLQ_SIM for BLQ rows without an LLOQ column, and notes M1 rows on stderr and in --json', async () => {
    const data = join(dir, 'd.csv');
    writeFileSync(data, dataSet({ lloq: 'none', m1: true }));
    const out = join(dir, 'o.csv');
    const r = await cli(['simulate', '--model', modelFile, '--data', data, '--replicates', '2', '--effects', 'typical', '--no-epsilon', '--workers', '0', '--no-progress', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as { censored: number; notes: string[] };
    expect(json.censored).toBe(12);
    expect(json.notes[0]).toMatch(/^2 BLQ rows with MDV 1/);
    expect(r.err).toContain(`dosewise: note: ${data}: 2 BLQ rows with MDV 1`);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('REP,ID,TIME,EVID,AMT,DV,MDV,BLQ,IPRED,DV_SIM,BLQ_SIM');
    // the M1 row: DV_SIM at the limit, BLQ_SIM 1
    expect(lines[7]).toMatch(/^1,1,30,0,\.,0\.5,1,1,[0-9.]+,0\.5,1$/);
  });
});
