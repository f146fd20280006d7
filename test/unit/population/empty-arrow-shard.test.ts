// An Arrow shard with no subject whose range starts after subject 0 (n 3, shard 3/5: subjects 1..0)
// ended `dosewise population --workers 1` with exit 13 (Node's unsettled top-level await), no
// message and an empty folder. Two things together: the study sent the pool one task of 0 subjects
// (a thread started for nothing), and the table writer wrote the empty table's schema as an Arrow
// Table, which the Arrow stream writer writes and then *finishes*: the file stream ended and closed
// by itself. commit() then waited for a 'close' event that had already been emitted. Inline
// (--workers 0) the close came just after commit() began waiting, so it passed; behind a pool,
// closing the pool gave the stream time to close first. commit() after a write error (which also
// closes the stream) waited the same way. Each case below is raced against a timer, so a wait that
// never ends fails the test with a message instead of timing out.

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { emptyChunk } from '../../../src/population/chunk.js';
import { TableWriter } from '../../../src/population/output.js';
import type { PopulationPlan } from '../../../src/population/plan.js';
import type { ChunkTask } from '../../../src/population/task.js';
import type { TaskPool } from '../../../src/pool/protocol.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-empty-arrow-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = (): void => undefined;

const model = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
const records = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
const metrics = [parseMetric('auc24', { end: 336, tau: 12, lastDose: 324 })];
const plan: PopulationPlan = { model, regimen: records.map((r) => r.items), key: seedKey(42), metrics, table: true, profiles: false };

/** The columns of the W-b subject table: ID, the model's etas and parameters, the metric, STATUS. */
const COLUMNS = ['ID', 'ETA_CL', 'ETA_V', 'ETA_KA', 'CL', 'V', 'KA', 'auc24', 'STATUS'];

const HUNG = 'never settled (exit 13 from the command line)';
async function settles<T>(p: Promise<T>, ms: number): Promise<T | typeof HUNG> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<typeof HUNG>((r) => (timer = setTimeout(() => r(HUNG), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Until the temporary file in `dir` holds every byte the writer counted (at most 5 s). */
async function flushed(dir: string, w: TableWriter): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const files = readdirSync(dir);
    if (w.record.bytes > 0 && files.length === 1 && statSync(join(dir, files[0] as string)).size === w.record.bytes) return;
    await wait(10);
  }
}

describe('an empty Arrow shard', () => {
  it('commit() settles when the stream had time to flush after the schema (it waited for a close already emitted)', async () => {
    const file = join(tmp, 'late', 'subjects.arrow');
    const w = new TableWriter(file, 'arrow', metrics);
    // the chunk of 0 subjects the pool returned for shard 3/5 of 3 (first subject 1)
    await w.write({ ...emptyChunk(plan), first: 1 });
    // what closing the worker pool gave the stream before commit(): time to flush and close (the
    // schema's bytes on disk, then a while for the end and the close)
    await flushed(join(tmp, 'late'), w);
    await wait(200);
    expect(await settles(w.commit(), 5000)).toBeUndefined();
    const t = tableFromIPC(readFileSync(file));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(COLUMNS);
    // as a table with rows has them (merge compares the shards' schemas)
    expect(t.schema.fields.every((f) => !f.nullable)).toBe(true);
    expect(w.record).toMatchObject({ rows: 0, first_id: null, last_id: null });
    expect(readdirSync(join(tmp, 'late'))).toEqual(['subjects.arrow']);

    // the same bytes as the table committed at once, and as the built command with --workers 0
    // wrote before this fix (the schema message and the end-of-stream marker, 512 bytes)
    const now = new TableWriter(join(tmp, 'now', 'subjects.arrow'), 'arrow', metrics);
    await now.write(emptyChunk(plan));
    expect(await settles(now.commit(), 5000)).toBeUndefined();
    expect(readFileSync(join(tmp, 'now', 'subjects.arrow'))).toEqual(readFileSync(file));
    expect([w.record.bytes, w.record.sha256]).toEqual([512, '185e0271609ec75609e89f504e67f0c4357e1ce7b87c399fce0a83f9b58afdd9']);
  });

  it('rows after an empty schema are written (the stream writer had finished itself: "AsyncQueue is closed")', async () => {
    const file = join(tmp, 'after-empty', 'subjects.arrow');
    const w = new TableWriter(file, 'arrow', metrics);
    await w.writeArrow({ ID: new Float64Array(0), auc24: new Float64Array(0) });
    await w.writeArrow({ ID: Float64Array.of(1, 2), auc24: Float64Array.of(150.5, 201.25) });
    expect(await settles(w.commit(), 5000)).toBeUndefined();
    const t = tableFromIPC(readFileSync(file));
    expect(t.toArray().map((r) => [r.ID, r.auc24])).toEqual([[1, 150.5], [2, 201.25]]);
  });

  it('a block of other columns is an I/O error naming the file (the stream writer finished the table there and dropped the rest)', async () => {
    const file = join(tmp, 'other-columns', 'subjects.arrow');
    const w = new TableWriter(file, 'arrow', metrics);
    await w.writeArrow({ ID: Float64Array.of(1), auc24: Float64Array.of(2) });
    const p = w.writeArrow({ ID: Float64Array.of(2), CL: Float64Array.of(3) });
    await expect(settles(p, 5000)).rejects.toMatchObject({ code: 'E_IO', message: expect.stringMatching(/subjects\.arrow: cannot write: a block's columns \(ID: Float64, CL: Float64\) differ from the table's \(ID: Float64, auc24: Float64\)/) });
    w.abort();
    expect(readdirSync(join(tmp, 'other-columns'))).toEqual([]);
  });

  it('commit() after the file stream failed and closed is that I/O error (it waited for a second close, for ever)', async () => {
    const dir = join(tmp, 'gone');
    const w = new TableWriter(join(dir, 'subjects.arrow'), 'arrow', metrics);
    // the temporary file removed before the stream opens it ('r+' never creates it): ENOENT, the
    // stream destroyed and closed, as after any write error
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    await wait(200);
    const p = settles(w.commit(), 5000);
    await expect(p).rejects.toMatchObject({ code: 'E_IO', message: expect.stringMatching(/subjects\.arrow: cannot write \(no such file, ENOENT\)/) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the study sends no task for a shard of no subject (n 3, shard 3/5 sent one task of 0 subjects from subject 1)', async () => {
    // ⌊2·3/5⌋ = 1 = ⌊3·3/5⌋: shard 3 of 5 holds subjects 1..0, none
    const tasks: ChunkTask[] = [];
    const pool: TaskPool<ChunkTask> = {
      size: 1,
      run: (t) => (tasks.push(t), Promise.reject(new Error('no task expected'))),
      close: async () => undefined,
    };
    const chunks: number[] = [];
    const r = await runStudy(plan, { n: 3, shard: { index: 2, count: 5 }, pool, onChunk: (c) => void chunks.push(c.count) });
    expect(tasks).toEqual([]);
    expect(chunks).toEqual([]);
    expect([r.first, r.count, r.failed]).toEqual([1, 0, 0]);
    expect(r.aggregates.auc24?.report().n).toBe(0);
  });

  // through the command line from the sources; the pool's threads run the built worker
  // (dist/cli/population-worker.js), which this fix does not change
  const cmd = (n: number, workers: number, extra: string[]): string[] =>
    ['node', 'dosewise', 'population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json',
      '--metric', 'auc24', '--metric', 'trough', '--window', 'auc24=150:250', '--n', String(n), '--seed', '42', '--format', 'arrow', '--workers', String(workers), '--no-progress', ...extra];

  it('population --n 3 --shard 3/5 --format arrow --workers 1 writes the empty table, and the five shards merge to the one run', async () => {
    const dir = (s: string): string => join(tmp, `cli-${s}`);
    for (const i of [1, 2, 3, 4, 5]) expect(await settles(run(cmd(3, 1, ['--shard', `${i}/5`, '--out', dir(String(i))]), quiet), 30_000)).toBe(0);
    const empty = tableFromIPC(readFileSync(join(dir('3'), 'subjects.arrow')));
    expect([empty.numRows, empty.schema.fields.map((f) => f.name).join(',')]).toEqual([0, [...COLUMNS.slice(0, -1), 'trough', 'STATUS'].join(',')]);
    const summary3 = JSON.parse(readFileSync(join(dir('3'), 'summary.json'), 'utf8'));
    expect([summary3.first, summary3.count, summary3.table.rows]).toEqual([1, 0, 0]);

    expect(await settles(run(cmd(3, 0, ['--out', dir('one')]), quiet), 30_000)).toBe(0);
    expect(await settles(run(['node', 'dosewise', 'merge', ...[1, 2, 3, 4, 5].map((i) => dir(String(i))), '--out', dir('merged')], quiet), 30_000)).toBe(0);
    const rows = (d: string): string[] => tableFromIPC(readFileSync(join(d, 'subjects.arrow'))).toArray().map((r) => JSON.stringify(r));
    expect(rows(dir('merged'))).toHaveLength(3);
    expect(rows(dir('merged'))).toEqual(rows(dir('one')));
    const report = (d: string): unknown[] => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')).metrics.map((m: { report: unknown }) => m.report);
    expect(report(dir('merged'))).toEqual(report(dir('one')));
  }, 120_000);

  it('population --n 6 --shard 3/10 --workers 2 (subjects 1..0) writes the empty table', async () => {
    // ⌊2·6/10⌋ = 1 = ⌊3·6/10⌋
    const out = join(tmp, 'cli-6-3of10');
    expect(await settles(run(cmd(6, 2, ['--shard', '3/10', '--out', out]), quiet), 30_000)).toBe(0);
    expect(tableFromIPC(readFileSync(join(out, 'subjects.arrow'))).numRows).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['subjects.arrow', 'summary.json']);
  }, 60_000);
});
