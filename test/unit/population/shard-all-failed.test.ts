// A shard every subject of which failed exited 1 ("every simulation failed (1 of 1 subjects)")
// although it wrote its summary and table and merge took them (the merged result the single run's,
// which exits 0 with "1 failed"): in a job array that task was FAILED and an afterok merge never
// ran. A shard now exits 0 with W_SHARD_ALL_FAILED; the study (a run without --shard, --shard 1/1,
// or merge of shards all of whose subjects failed) still exits 1.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-shard-failed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// CL = 0 below age 40: no steady state for anybody younger
const model = join(tmp, 'young.model.json');
writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'no-cl-young', structure: '1cmt-iv', theta: { TVCL: 5, TVV: 50 }, parameters: { CL: 'TVCL*max(AGE-40,0)/40*exp(ETA_CL)', V: 'TVV' }, omega: { etas: ['ETA_CL'], diagonal: [0.09] }, residual: { model: 'proportional', proportional: 0.1 }, covariates: { AGE: { unit: 'years' } } }));
const reg = join(tmp, 'ss.json');
writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }));
const cov = (name: string, upper: number): string => {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify({ covariates: { AGE: { dist: 'uniform', lower: 18, upper } } }));
  return f;
};
const young = cov('young.cov.json', 39);
const mixed = cov('mixed.cov.json', 60);
const pop = (c: string, n: number, ...more: string[]): string[] =>
  ['population', '--model', model, '--regimen', reg, '--covariates', c, '--n', String(n), '--seed', '3', '--metric', 'auc24', '--window', 'auc24=300:500', '--workers', '0', '--no-progress', ...more];

describe('population --shard in which every subject fails', () => {
  it('exits 0 with W_SHARD_ALL_FAILED (its output written); merge of such shards only exits 1 as the single run does', async () => {
    const dirs = [1, 2, 3, 4].map((i) => join(tmp, `y${i}`));
    for (const [i, d] of dirs.entries()) {
      const r = await cli(pop(young, 8, '--shard', `${i + 1}/4`, '--out', d));
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/warning: W_SHARD_ALL_FAILED: the simulation of every subject of shard \d\/4 failed \(2 of 2\)/);
      expect(r.err).toMatch(/merge/);
      expect(r.err).not.toMatch(/solver:/);
      expect(existsSync(join(d, 'summary.json')) && existsSync(join(d, 'subjects.csv'))).toBe(true);
    }
    // --json carries it in its warnings
    const j = await cli(pop(young, 8, '--shard', '1/4', '--json'));
    expect(j.code).toBe(0);
    expect((JSON.parse(j.out).warnings as string[]).some((w) => w.startsWith('W_SHARD_ALL_FAILED:'))).toBe(true);

    const m = await cli(['merge', ...dirs, '--out', join(tmp, 'ym')]);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/solver: every simulation failed \(8 of 8 subjects\)/);
    expect(m.err).not.toMatch(/W_SHARD_ALL_FAILED/);
    // written as the single run writes its own: byte for byte but for the run's fields
    expect(JSON.parse(readFileSync(join(tmp, 'ym', 'summary.json'), 'utf8')).failed).toBe(8);
    const one = await cli(pop(young, 8, '--out', join(tmp, 'yone')));
    expect(one.code).toBe(1);
    expect(one.err).toMatch(/solver: every simulation failed \(8 of 8 subjects\)/);
    expect(readFileSync(join(tmp, 'ym', 'subjects.csv'), 'utf8')).toBe(readFileSync(join(tmp, 'yone', 'subjects.csv'), 'utf8'));
  }, 120_000);

  it('--shard 1/1 is the whole study: exit 1, no W_SHARD_ALL_FAILED', async () => {
    const r = await cli(pop(young, 4, '--shard', '1/1', '--out', join(tmp, 'y11')));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/solver: every simulation failed \(4 of 4 subjects\)/);
    expect(r.err).not.toMatch(/W_SHARD_ALL_FAILED/);
  }, 60_000);

  it('a study some of whose shards failed whole merges with exit 0, its failed subjects counted (W_SIMULATION_FAILED)', async () => {
    const dirs = Array.from({ length: 10 }, (_, i) => join(tmp, `m${i + 1}`));
    let whole = 0;
    for (const [i, d] of dirs.entries()) {
      const r = await cli(pop(mixed, 20, '--shard', `${i + 1}/10`, '--out', d));
      expect(r.code).toBe(0);
      if (/W_SHARD_ALL_FAILED/.test(r.err)) whole++;
    }
    expect(whole).toBeGreaterThan(0);
    const m = await cli(['merge', ...dirs, '--out', join(tmp, 'mm')]);
    const one = await cli(pop(mixed, 20));
    expect(one.code).toBe(0);
    const failed = Number(/(\d+) failed/.exec(one.out)?.[1]);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(20);
    expect(m.code).toBe(0);
    expect(m.err).toMatch(new RegExp(`W_SIMULATION_FAILED: the simulation of ${failed} of 20 virtual subjects`));
  }, 120_000);
});
