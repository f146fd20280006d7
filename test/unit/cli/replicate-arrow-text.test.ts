// dosewise simulate --replicates --out x.arrow with text and missing-value columns: missing cells
// spelt as the data reader reads them (., blank, NA, NaN) keep a column Float64 with NaN, and a text
// column (clock times in TIME and DATE) has one type in every record batch, so a stream of several
// blocks is written whole and reads back.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromIPC, Type } from 'apache-arrow';
import { formatNumber } from '../../../src/regimen/nmtran.js';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-replicate-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const vpcModel = 'examples/vpc/model.json';
const pmModel = 'examples/parent-metabolite/model.json';
const clockData = 'examples/parent-metabolite/patients-clock.csv';

const run = (model: string, data: string, out: string, reps: number, extra: string[] = ['--workers', '0']) =>
  cli(['simulate', '--model', model, '--data', data, '--replicates', String(reps), '--seed', '2', '--no-progress', '--out', out, ...extra]);

describe('simulate --replicates to Arrow: missing values', () => {
  for (const missing of ['NA', 'NaN', '', '.']) {
    it(`reads a column with ${JSON.stringify(missing)} cells as Float64 with NaN`, async () => {
      const data = join(dir, `missing-${missing || 'blank'}.csv`);
      writeFileSync(data, `ID,TIME,EVID,AMT,CMT,DV,MDV,WT,ALB\n1,0,1,400,1,.,1,70,40\n1,1,0,.,2,${missing},0,70,${missing}\n1,2,0,.,2,2.5,0,70,41\n`);
      const out = join(dir, `missing-${missing || 'blank'}.arrow`);
      const r = await run(vpcModel, data, out, 3);
      expect(r.code, r.err).toBe(0);
      const t = tableFromIPC(readFileSync(out));
      expect(t.numRows).toBe(9);
      for (const c of ['DV', 'ALB']) {
        expect(t.schema.fields.find((f) => f.name === c)?.type.typeId, c).toBe(Type.Float);
        const v = t.getChild(c)?.toArray() as Float64Array;
        expect(v).toBeInstanceOf(Float64Array);
        expect(Number.isNaN(v[1]) && Number.isNaN(v[4]) && Number.isNaN(v[7]), c).toBe(true);
      }
      expect(Array.from(t.getChild('ALB')?.toArray() as Float64Array).filter((x) => !Number.isNaN(x))).toEqual([40, 41, 40, 41, 40, 41]);
      expect(t.getChild('DV')?.get(2)).toBe(2.5);
    });
  }
});

describe('simulate --replicates to Arrow: text columns', () => {
  const csvLines = readFileSync(clockData, 'utf8').trim().split('\n');
  const n = csvLines.length - 1;
  const cell = (i: number, name: string): string => (csvLines[1 + i] as string).split(',')[(csvLines[0] as string).split(',').indexOf(name)] as string;

  it('writes clock times as Utf8 in every batch of a stream of several blocks, which reads back whole', async () => {
    const out = join(dir, 'clock.arrow');
    const r = await run(pmModel, clockData, out, 3);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.out).toMatch(/wrote \d+ rows \(3 replicates/);
    const t = tableFromIPC(readFileSync(out));
    expect(t.numRows).toBe(3 * n);
    expect(t.batches.length).toBeGreaterThan(1);
    expect(t.schema.fields.find((f) => f.name === 'TIME')?.type.typeId).toBe(Type.Utf8);
    expect(t.schema.fields.find((f) => f.name === 'DATE')?.type.typeId).toBe(Type.Utf8);
    expect(t.schema.fields.find((f) => f.name === 'DV')?.type.typeId).toBe(Type.Float);
    for (const rep of [0, 1, 2]) {
      for (const i of [0, 2, n - 1]) {
        const x = rep * n + i;
        expect(t.getChild('REP')?.get(x)).toBe(rep + 1);
        expect(t.getChild('TIME')?.get(x)).toBe(cell(i, 'TIME'));
        expect(t.getChild('DATE')?.get(x)).toBe(cell(i, 'DATE'));
        expect(t.getChild('ID')?.get(x)).toBe(Number(cell(i, 'ID')));
      }
    }
    // the CSV output of the same run holds the same IPRED
    const csv = join(dir, 'clock.csv');
    expect((await run(pmModel, clockData, csv, 3)).code).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    const j = (rows[0] as string).split(',').indexOf('IPRED');
    expect(formatNumber(t.getChild('IPRED')?.get(2 * n + 2) as number)).toBe((rows[1 + 2 * n + 2] as string).split(',')[j]);
  });

  it('writes text columns with two workers too (the worker is built into dist/)', async () => {
    if (!existsSync('dist/src/replicate/worker.js')) return;
    const out = join(dir, 'clock-workers.arrow');
    const r = await run(pmModel, clockData, out, 2, ['--workers', '2']);
    expect(r.code, r.err).toBe(0);
    expect(tableFromIPC(readFileSync(out)).numRows).toBe(2 * n);
  });

  it('writes the schema alone for a shard with no replicate', async () => {
    const out = join(dir, 'clock-empty.arrow');
    const r = await run(pmModel, clockData, out, 1, ['--workers', '0', '--shard', '1/2']);
    expect(r.code, r.err).toBe(0);
    const t = tableFromIPC(readFileSync(out));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.find((f) => f.name === 'TIME')?.type.typeId).toBe(Type.Utf8);
  });
});
