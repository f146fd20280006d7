// An Arrow table was handed to the file stream without waiting for it: writeArrow() returned at once
// however far behind the disk was, and every batch stayed in memory until the end (simulate
// --replicates 8000 to .arrow: 197 MB -> 1,062 MB resident, the temporary file empty until the end;
// the same run to CSV stayed at 320 MB). writeArrow now waits for the stream to drain, as writeCsv
// does. The file stream is replaced by one that takes nothing until a gate opens.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TableWriter } from '../../../src/population/output.js';

const gate: { open: Promise<void>; release: () => void } = { open: Promise.resolve(), release: () => undefined };

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const createWriteStream = ((p: string, o?: object) => {
    if (!String(p).includes('.tmp-')) return fs.createWriteStream(p, o);
    const chunks: Buffer[] = [];
    return new Writable({
      write(chunk: Buffer, _enc, done) {
        void gate.open.then(() => {
          chunks.push(chunk);
          done();
        });
      },
      final(done) {
        fs.writeFileSync(p, Buffer.concat(chunks));
        done();
      },
    });
  }) as unknown as typeof fs.createWriteStream;
  return { ...fs, default: { ...fs, createWriteStream }, createWriteStream };
});

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-arrow-bp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('TableWriter.writeArrow', () => {
  it('waits while the file stream is full, then writes a table that reads back whole', async () => {
    gate.open = new Promise((r) => (gate.release = r));
    const file = join(tmp, 't.arrow');
    const w = new TableWriter(file, 'arrow');
    const n = 200_000;
    const block = (k: number): { REP: Int32Array; X: Float64Array; NAME: string[] } => ({
      REP: new Int32Array(n).fill(k),
      X: Float64Array.from({ length: n }, (_, i) => k * n + i),
      NAME: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'bc')),
    });
    let done = false;
    const b0 = block(0);
    const first = w.writeArrow(b0).then(() => (done = true));
    await sleep(100);
    // before: done, the 2.6 MB block queued behind the stream
    expect(done).toBe(false);
    gate.release();
    await first;
    // the columns may be reused once writeArrow returns: the bytes written are apart from them
    b0.X.fill(-1);
    b0.REP.fill(-1);
    await w.writeArrow(block(1));
    await w.commit();
    const t = tableFromIPC(readFileSync(file));
    expect(t.numRows).toBe(2 * n);
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(['REP:Int32', 'X:Float64', 'NAME:Utf8']);
    const x = t.getChild('X')?.toArray() as Float64Array;
    expect([x[0], x[n], x[2 * n - 1]]).toEqual([0, n, 2 * n - 1]);
    expect([t.getChild('REP')?.get(n - 1), t.getChild('REP')?.get(n), t.getChild('NAME')?.get(3), t.getChild('NAME')?.get(n + 4)]).toEqual([0, 1, 'a', 'bc']);
    // the record counts the bytes on disk
    expect(w.record.bytes).toBe(readFileSync(file).length);
  });
});
