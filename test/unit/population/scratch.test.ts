// A population chunk takes its arrays from the thread's scratch (src/population/scratch.ts): no
// value of one chunk, plan or chunk size may reach another, and a result handed on is a copy.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScratchArena } from '../../../src/population/scratch.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import type { ChunkResult, PopulationPlan } from '../../../src/population/plan.js';

describe('ScratchArena', () => {
  it('hands out zeroed arrays, reused after reset(), growing when asked for more', () => {
    const a = new ScratchArena();
    const x = a.take(10);
    const y = a.take(4);
    expect(x.length).toBe(10);
    expect(y.length).toBe(4);
    expect(x.buffer).not.toBe(y.buffer);
    x.fill(7);
    y.fill(9);
    a.reset();
    const x2 = a.take(6);
    expect(x2.buffer).toBe(x.buffer);
    expect([...x2]).toEqual([0, 0, 0, 0, 0, 0]);
    const y2 = a.take(4, false);
    expect(y2.buffer).toBe(y.buffer);
    expect([...y2]).toEqual([9, 9, 9, 9]);
    a.reset();
    const big = a.take(100);
    expect(big.length).toBe(100);
    expect(big.every((v) => v === 0)).toBe(true);
  });
});

const wbModel = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
const wbRecords = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
const fdModel = JSON.parse(readFileSync('examples/fixed-dose/model.json', 'utf8'));
const fdCovariates = JSON.parse(readFileSync('examples/fixed-dose/covariates.json', 'utf8'));
const fdRecords = readRegimen(readFileSync('examples/fixed-dose/regimen.json', 'utf8'), 'regimen.json');

const wb: PopulationPlan = {
  model: wbModel,
  regimen: wbRecords.map((r) => r.items),
  key: seedKey('scratch-wb'),
  metrics: ['auc24', 'trough'].map((m) => parseMetric(m, { end: 336, tau: 12, lastDose: 324 })),
  table: true,
  profiles: false,
};
const fd: PopulationPlan = {
  model: fdModel,
  regimen: fdRecords.map((r) => r.items),
  covariates: fdCovariates,
  key: seedKey('scratch-fd'),
  metrics: [parseMetric('auc24', { end: 24, tau: 24, lastDose: 0 })],
  table: true,
  profiles: false,
};

/** Metrics and every table column of a run on this thread, joined in subject order, as hex. */
async function run(plan: PopulationPlan, n: number, chunkSize: number): Promise<Record<string, string>> {
  const chunks: ChunkResult[] = [];
  await runStudy(plan, { n, workers: 0, chunkSize, onChunk: (c) => void chunks.push(c) });
  const hex = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  const out: Record<string, string> = { metrics: chunks.map((c) => hex(c.metrics)).join('') };
  for (const k of Object.keys(chunks[0]?.columns ?? {})) out[k] = chunks.map((c) => hex((c.columns as Record<string, Float64Array>)[k] as Float64Array)).join('');
  return out;
}

describe('population chunks on one thread', () => {
  it('give the same bytes whatever plan and chunk size ran before', async () => {
    const wbRef = await run(wb, 600, 600);
    const fdRef = await run(fd, 600, 600);
    expect(Object.keys(wbRef).length).toBeGreaterThan(3);
    expect(Object.keys(fdRef)).toContain('EGFR');
    // other chunk sizes, interleaved: a smaller chunk after a larger one, plans with other columns
    expect(await run(wb, 600, 150)).toEqual(wbRef);
    expect(await run(fd, 600, 77)).toEqual(fdRef);
    expect(await run(wb, 600, 600)).toEqual(wbRef);
    expect(await run(fd, 600, 600)).toEqual(fdRef);
  });

  it('hand on results that later chunks do not overwrite', async () => {
    const kept: ChunkResult[] = [];
    await runStudy(wb, { n: 400, workers: 0, chunkSize: 100, onChunk: (c) => void kept.push(c) });
    const copies = kept.map((c) => Float64Array.from((c.columns as Record<string, Float64Array>).CL as Float64Array));
    await runStudy(fd, { n: 400, workers: 0, chunkSize: 100, onChunk: () => {} });
    kept.forEach((c, i) => expect([...((c.columns as Record<string, Float64Array>).CL as Float64Array)]).toEqual([...(copies[i] as Float64Array)]));
  });
});
