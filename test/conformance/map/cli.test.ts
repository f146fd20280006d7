// The MAP conformance from the command line: a run001 patient's records written as an NM-TRAN CSV,
// `dosewise estimate --model test/conformance/map/run001.model.json --data <csv> --json` (in
// process, through run(argv, stdout)), and NONMEM's POSTHOC η read back from the printed JSON.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { loadRun, referenceDir, type NonmemCase, type RunFile } from './cases.js';

const dir = referenceDir();
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-map-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function csv(file: RunFile, cases: readonly NonmemCase[]): string {
  const lines = [file.data_columns.join(',')];
  for (const c of cases) for (const r of c.records) lines.push(r.map((v) => (v === null ? '.' : String(v))).join(','));
  return lines.join('\n') + '\n';
}

interface Row {
  id: number;
  eta: number[];
  parameters: Record<string, number>;
  ofv: number;
  ipred: (number | null)[];
  converged: boolean;
}

async function estimateOut(data: string, extra: readonly string[]): Promise<string> {
  let out = '';
  const code = await run(['node', 'dosewise', 'estimate', '--model', 'test/conformance/map/run001.model.json', '--data', data, '--no-progress', ...extra], (s) => (out += s));
  expect(code).toBe(0);
  return out;
}

async function estimateJson(data: string): Promise<Row[]> {
  let out = '';
  const code = await run(['node', 'dosewise', 'estimate', '--model', 'test/conformance/map/run001.model.json', '--data', data, '--json'], (s) => (out += s));
  expect(code).toBe(0);
  return JSON.parse(out) as Row[];
}

describe.skipIf(!dir)('dosewise estimate (CLI) reproduces NONMEM POSTHOC', () => {
  it('run001, one patient per file', async () => {
    const file = loadRun(dir as string, 'run001');
    const c = file.cases[0] as NonmemCase;
    const data = join(tmp, 'run001-one.csv');
    writeFileSync(data, csv(file, [c]));
    const rows = await estimateJson(data);
    expect(rows.length).toBe(1);
    const r = rows[0] as Row;
    expect(Object.keys(r).slice(0, 6)).toEqual(['id', 'eta', 'parameters', 'ofv', 'ipred', 'converged']);
    expect(r.id).toBe(c.ID);
    expect(r.converged).toBe(true);
    c.nonmem.eta.forEach((e, i) => expect(Math.abs((r.eta[i] as number) - e)).toBeLessThan(1e-3));
    expect(r.ipred.length).toBe(c.records.length);
    expect(Object.keys(r.parameters)).toEqual(['CL', 'V', 'KA']);
  });

  it('run001, 20 patients in one file: one object per ID, in data order', async () => {
    const file = loadRun(dir as string, 'run001');
    const cases = file.cases.slice(0, 20);
    const data = join(tmp, 'run001-many.csv');
    writeFileSync(data, csv(file, cases));
    const rows = await estimateJson(data);
    expect(rows.map((r) => r.id)).toEqual(cases.map((c) => c.ID));
    let worst = 0;
    rows.forEach((r, k) => (cases[k] as NonmemCase).nonmem.eta.forEach((e, i) => (worst = Math.max(worst, Math.abs((r.eta[i] as number) - e)))));
    expect(worst).toBeLessThan(1e-3);
  });

  it('every patient of run001 on 2 worker threads: output byte-identical to one thread, text and JSON', async () => {
    const file = loadRun(dir as string, 'run001');
    const data = join(tmp, 'run001-all.csv');
    writeFileSync(data, csv(file, file.cases));
    for (const format of [['--json'], []]) {
      const one = await estimateOut(data, [...format, '--workers', '0']);
      const two = await estimateOut(data, [...format, '--workers', '2']);
      expect(two).toBe(one);
      expect(one.length).toBeGreaterThan(1000);
    }
  });

  it('dosewise shrinkage: 1 − SD(η̂)/ω from the estimates `estimate` prints, the same on 2 worker threads', async () => {
    const file = loadRun(dir as string, 'run001');
    const data = join(tmp, 'run001-shrink.csv');
    writeFileSync(data, csv(file, file.cases));
    const rows = JSON.parse(await estimateOut(data, ['--json', '--workers', '0'])) as Row[];
    // run001.model.json has a diagonal Ω: the prior variances of the three η
    const omega = (JSON.parse(readFileSync('test/conformance/map/run001.model.json', 'utf8')) as { omega: { diagonal: number[] } }).omega.diagonal;
    const shrink = async (workers: string): Promise<{ n: number; sd: number[]; variance: number[] }> => {
      let out = '';
      const code = await run(['node', 'dosewise', 'shrinkage', '--model', 'test/conformance/map/run001.model.json', '--data', data, '--no-progress', '--json', '--workers', workers], (s) => (out += s));
      expect(code).toBe(0);
      return JSON.parse(out);
    };
    const one = await shrink('0');
    expect(one.n).toBe(rows.length);
    one.sd.forEach((v, i) => {
      const eta = rows.map((r) => r.eta[i] as number);
      const mean = eta.reduce((a, b) => a + b, 0) / eta.length;
      const sd = Math.sqrt(eta.reduce((a, b) => a + (b - mean) ** 2, 0) / (eta.length - 1));
      expect(v).toBeCloseTo(1 - sd / Math.sqrt(omega[i] as number), 12);
      expect(one.variance[i]).toBeCloseTo(1 - sd ** 2 / (omega[i] as number), 12);
    });
    expect(await shrink('2')).toEqual(one);
  });
});
