// dosewise merge streams the subject tables: shard tables larger than the whole V8 heap of the
// merging process (node --max-old-space-size=64) merge into the right bytes. The shard tables are
// synthetic (the header or schema of a real shard, many rows) with summaries that record their
// rows, ID range, size and SHA-256, as population writes them. Runs bin/dosewise.js (dist/).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchReader, RecordBatchStreamWriter, tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { withChecksum } from '../../../src/cli/summary-checksum.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-merge-big-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEAP_MB = 64;
// rows per shard: two shards of more than 32 MB each, together more than the heap
const CSV_ROWS = 320_000; // ~140 bytes a row
const ARROW_ROWS = 480_000; // 9 float64 columns, 72 bytes a row

/** Real 2-shard outputs of a tiny run, then their tables replaced by ROWS synthetic rows each. */
async function shards(format: 'csv' | 'arrow', ROWS: number, write: (file: string, first: number) => { bytes: number; sha256: string }): Promise<string[]> {
  const dirs: string[] = [];
  for (const i of [1, 2]) {
    const dir = join(tmp, `${format}${i}`);
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '10', '--seed', 'big',
      '--workers', '0', '--no-progress', '--format', format, '--shard', `${i}/2`, '--out', dir]);
    expect(r.code).toBe(0);
    const sumFile = join(dir, 'summary.json');
    const s = JSON.parse(readFileSync(sumFile, 'utf8')) as Record<string, unknown> & { table: Record<string, unknown> };
    const first = (i - 1) * ROWS;
    const { bytes, sha256 } = write(join(dir, `subjects.${format}`), first);
    Object.assign(s, { n: 2 * ROWS, first, count: ROWS });
    Object.assign(s.table, { rows: ROWS, first_id: first + 1, last_id: first + ROWS, bytes, sha256 });
    // a summary as a shard of this size writes it (its checksum over the new content)
    writeFileSync(sumFile, JSON.stringify(withChecksum(s)));
    dirs.push(dir);
  }
  return dirs;
}

function mergeSmallHeap(dirs: string[], out: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, 'bin/dosewise.js', 'merge', ...dirs, '--out', out], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe(`merge in constant memory (heap ${HEAP_MB} MB)`, () => {
  it('CSV: two shard tables totalling more than the heap', async () => {
    let header = '';
    const ROWS = CSV_ROWS;
    const dirs = await shards('csv', ROWS, (file, first) => {
      const text = readFileSync(file, 'utf8').split('\n');
      header = text[0] as string;
      const tail = (text[1] as string).slice((text[1] as string).indexOf(','));
      const hash = createHash('sha256');
      const fd = openSync(file, 'w');
      let bytes = 0;
      const put = (s: string): void => {
        const b = Buffer.from(s);
        hash.update(b);
        bytes += writeSync(fd, b);
      };
      put(`${header}\n`);
      for (let a = 0; a < ROWS; a += 10_000) {
        const lines: string[] = [];
        for (let k = a; k < Math.min(ROWS, a + 10_000); k++) lines.push(`${first + k + 1}${tail}`);
        put(`${lines.join('\n')}\n`);
      }
      closeSync(fd);
      return { bytes, sha256: hash.digest('hex') };
    });
    const sizes = dirs.map((d) => statSync(join(d, 'subjects.csv')).size);
    expect(sizes[0]! + sizes[1]!).toBeGreaterThan(HEAP_MB * 2 ** 20);
    const r = mergeSmallHeap(dirs, join(tmp, 'csv-merged'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = join(tmp, 'csv-merged', 'subjects.csv');
    expect(statSync(out).size).toBe(sizes[0]! + sizes[1]! - (header.length + 1));
    const s = JSON.parse(readFileSync(join(tmp, 'csv-merged', 'summary.json'), 'utf8')) as { count: number; table: { rows: number; bytes: number; sha256: string } };
    expect([s.count, s.table.rows, s.table.bytes]).toEqual([2 * ROWS, 2 * ROWS, statSync(out).size]);
    expect(s.table.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
  }, 60_000);

  it('Arrow IPC stream: the merged stream reads back with apache-arrow, every batch and row', async () => {
    let columns: string[] = [];
    const BATCH = 40_000;
    const ROWS = ARROW_ROWS;
    const dirs = await shards('arrow', ROWS, (file, first) => {
      const reader = RecordBatchReader.from(readFileSync(file));
      reader.open();
      columns = reader.schema.fields.map((f) => f.name);
      const w = new RecordBatchStreamWriter();
      for (let a = 0; a < ROWS; a += BATCH) {
        const cols: Record<string, Float64Array> = {};
        for (const c of columns) cols[c] = new Float64Array(BATCH).fill(c === 'STATUS' ? 0 : 1.5);
        cols.ID = Float64Array.from({ length: BATCH }, (_, k) => first + a + k + 1);
        for (const b of tableFromArrays(cols).batches) w.write(b);
      }
      const bytes = w.finish().toUint8Array(true);
      writeFileSync(file, bytes);
      return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    const sizes = dirs.map((d) => statSync(join(d, 'subjects.arrow')).size);
    expect(sizes[0]! + sizes[1]!).toBeGreaterThan(HEAP_MB * 2 ** 20);
    const r = mergeSmallHeap(dirs, join(tmp, 'arrow-merged'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reader = RecordBatchReader.from(readFileSync(join(tmp, 'arrow-merged', 'subjects.arrow')));
    let rows = 0;
    let batches = 0;
    let idsInOrder = true;
    for (const b of reader) {
      expect(b.schema.fields.map((f) => f.name)).toEqual(columns);
      const id = b.getChild('ID')!.toArray() as Float64Array;
      for (let k = 0; k < id.length; k++) idsInOrder &&= id[k] === rows + k + 1;
      rows += b.numRows;
      batches++;
    }
    expect([rows, batches, idsInOrder]).toEqual([2 * ROWS, (2 * ROWS) / BATCH, true]);
  }, 60_000);
});
