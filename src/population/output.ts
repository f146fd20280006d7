// Writing population results: the per-subject table (CSV or Apache Arrow IPC stream) written chunk
// by chunk into a temporary file and renamed into place at the end (atomic: a crash or a cancel
// never leaves a partial file under the final name), and the summary JSON. The temporary file is
// registered and created synchronously, and the stream opens it without creating it: created by
// the stream's own (later) open, it appeared after a Ctrl-C or SIGTERM had removed the registered
// files, and stayed. The writer counts the
// rows and bytes and hashes them (SHA-256) as they go: the summary records them so that merge can
// prove a shard's table is complete and unchanged. A table with a summary is finished (finish())
// and renamed with it (commitTemps), after the summary is written too. Arrow: each block is
// encoded at once and written with the file stream's backpressure, as CSV text is: the stream
// writer piped to the file took every batch at once, and a run faster than the disk held them all
// (simulate --replicates 8000 to .arrow: 197 MB -> 1,062 MB resident, the file empty until the end).

import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import type { RecordBatch, Schema } from 'apache-arrow';
import { Errors, type DosewiseError } from '../errors.js';
import { commitTemps, createTemp, ioError, makeFolder, outputFile, releaseTemp, type PendingFile } from '../files.js';
import type { ChunkResult } from './plan.js';
import type { MetricDef } from './metrics.js';

export type TableFormat = 'csv' | 'arrow';

/** What summary.json records about a subject table (IDs are 1-based subject numbers). */
export interface TableRecord {
  readonly file: string;
  readonly format: TableFormat;
  readonly rows: number;
  readonly first_id: number | null;
  readonly last_id: number | null;
  readonly bytes: number;
  readonly sha256: string;
}

// apache-arrow takes ≈ 0.2 s to load: only an Arrow table pays for it, not every command
let arrow: Promise<typeof import('apache-arrow')> | undefined;
const arrowModule = (): Promise<typeof import('apache-arrow')> => (arrow ??= import('apache-arrow'));

/** An Arrow IPC stream's end-of-stream marker (continuation, length 0). */
const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** Streams chunks to `file` through a temporary file; commit() (or finish() and commitTemps) renames, abort() removes. */
export class TableWriter {
  readonly #name: string;
  readonly #option: string | undefined;
  readonly #file: string;
  readonly #tmp: string;
  readonly #format: TableFormat;
  readonly #metrics: readonly MetricDef[];
  readonly #out: WriteStream;
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;
  #rows = 0;
  #firstId: number | null = null;
  #lastId: number | null = null;
  #columns: string[] | undefined;
  /** The Arrow table's schema, once written: every later batch must have it. */
  #schema: Schema | undefined;
  #error: DosewiseError | undefined;

  /** `option` (e.g. --out) is named when the path is refused. */
  constructor(file: string, format: TableFormat, metrics: readonly MetricDef[] = [], option?: string) {
    this.#name = file;
    this.#option = option;
    this.#file = outputFile(file, false, option);
    this.#format = format;
    this.#metrics = metrics;
    makeFolder(dirname(this.#file), file, 'write');
    this.#tmp = createTemp(this.#file, file);
    // 'r+': the stream's open, on the thread pool, never creates the file (see createTemp)
    // the stream's own 16 KiB mark: each chunk waits for its write. A queue ahead of the disk (1–32
    // MiB, tried) raised replicates' peak memory by 27–90 MB for no speed measured clearly (the Arrow
    // slow-down of waiting at all, ~20 % with 2 workers, was seen only under a load average of 6–12)
    this.#out = createWriteStream(this.#tmp, { flags: 'r+' });
    this.#out.on('error', (e) => (this.#error ??= ioError(file, 'write', e)));
  }

  /** Rows, ID range, size and SHA-256 of the table written (after finish()). */
  get record(): TableRecord {
    return {
      file: basename(this.#name),
      format: this.#format,
      rows: this.#rows,
      first_id: this.#firstId,
      last_id: this.#lastId,
      bytes: this.#bytes,
      sha256: this.#hash.copy().digest('hex'),
    };
  }

  #count(chunk: Uint8Array | string): void {
    this.#hash.update(chunk);
    this.#bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  }

  /** Waits for the stream to take more; a write error becomes this table's I/O error. */
  async #drain(): Promise<void> {
    // a failed write destroys the stream before its 'error' event: the error is already on the stream
    if (this.#error || this.#out.destroyed) throw (this.#error ??= ioError(this.#name, 'write', this.#out.errored ?? new Error('stream closed')));
    try {
      await once(this.#out, 'drain');
    } catch (e) {
      throw this.#error ?? ioError(this.#name, 'write', e);
    }
  }

  /** Appends one chunk (subjects in order); resolves when the stream can take more. */
  async write(r: ChunkResult): Promise<void> {
    if (this.#error) throw this.#error;
    // a chunk of no subjects adds nothing once the header or schema is out (it added a blank line to
    // a CSV, which merge then read as a row, and a second schema that the Arrow writer refused)
    if (r.count === 0 && (this.#columns !== undefined || this.#schema !== undefined)) return;
    const cols: Record<string, Float64Array> = {};
    const id = new Float64Array(r.count);
    for (let s = 0; s < r.count; s++) id[s] = r.first + s + 1;
    cols.ID = id;
    Object.assign(cols, r.columns ?? {});
    const m = this.#metrics.length;
    this.#metrics.forEach((d, j) => {
      const c = new Float64Array(r.count);
      for (let s = 0; s < r.count; s++) c[s] = r.metrics[s * m + j] as number;
      cols[d.name] = c;
    });
    cols.STATUS = Float64Array.from(r.status);
    if (r.count > 0) {
      this.#firstId ??= r.first + 1;
      this.#lastId = r.first + r.count;
      this.#rows += r.count;
    }
    if (this.#format === 'csv') {
      const lines: string[] = [];
      if (!this.#columns) lines.push(Object.keys(cols).join(','));
      this.#columns ??= Object.keys(cols);
      const names = this.#columns;
      for (let s = 0; s < r.count; s++) lines.push(names.map((c) => fmt((cols[c] as Float64Array)[s] as number)).join(','));
      await this.writeCsv(lines.join('\n') + '\n');
    } else await this.writeArrow(cols);
  }

  /** Appends CSV text as it is (whole lines; the first call writes the header). */
  async writeCsv(text: string): Promise<void> {
    if (this.#error) throw this.#error;
    this.#count(text);
    if (!this.#out.write(text)) await this.#drain();
  }

  async #writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    this.#count(bytes);
    if (!this.#out.write(bytes)) await this.#drain();
  }

  /** Appends columns (equal lengths) as Arrow record batches, text as Utf8; the first call fixes the schema. Keeps no reference to `cols`. */
  async writeArrow(cols: Record<string, Float64Array | Int32Array | string[]>): Promise<void> {
    if (this.#error) throw this.#error;
    const { makeVector, vectorFromArray, Utf8, Schema, Field, Table, tableToIPC, util } = await arrowModule();
    // text as plain Utf8: given as strings, tableFromArrays made each block's column a dictionary
    // with a new id, so every batch had another schema (and a stream of several schemas is no table)
    const t = new Table(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Array.isArray(v) ? vectorFromArray(v, new Utf8()) : makeVector(v)])));
    // no rows (a shard with no subject): the schema alone, its columns as a table with rows has them
    // (arrays of no value read as nullable, and merge compares the shards' schemas)
    if (t.numRows === 0) {
      if (this.#schema === undefined) {
        this.#schema = new Schema(t.schema.fields.map((f) => Field.new(f.name, f.type, false)), t.schema.metadata);
        await this.#writeBytes(schemaPart(tableToIPC(new Table(this.#schema), 'stream')));
      }
      return;
    }
    for (const batch of t.batches) {
      // a batch of another schema in the stream would make it no table
      if (this.#schema !== undefined && !util.compareSchemas(this.#schema, batch.schema))
        throw Errors.io(this.#name, `cannot write: a block's columns (${fieldList(batch.schema)}) differ from the table's (${fieldList(this.#schema)})`);
      // the batch alone as a stream: its schema message, the batch, the end marker. The table's
      // stream is the first schema message, every batch, one end marker (one schema and no
      // dictionaries: the bytes a stream writer writes; merge-tables.ts joins shards the same way)
      // bytes apart from the columns, which a caller may reuse once this returns (tableToIPC joins
      // its messages into a new buffer; a single message would be a view of a column)
      let ipc = tableToIPC(new Table([batch as RecordBatch]), 'stream');
      if (Object.values(cols).some((v) => !Array.isArray(v) && v.buffer === ipc.buffer)) ipc = ipc.slice();
      const head = schemaPart(ipc);
      if (this.#schema === undefined) {
        this.#schema = batch.schema;
        await this.#writeBytes(head);
      }
      await this.#writeBytes(ipc.subarray(head.length, ipc.length - EOS.length));
    }
  }

  /** Closes the temporary file once complete; the caller renames it (commitTemps) or abort()s. */
  async finish(): Promise<PendingFile> {
    if (this.#schema !== undefined && !this.#error && !this.#out.destroyed) await this.#writeBytes(EOS);
    this.#out.end();
    // a stream already closed (an I/O error destroys it) emits no second 'close': a wait for one never
    // settled, and the command exited 13 with no message
    if (!this.#out.closed)
      try {
        await once(this.#out, 'close');
      } catch (e) {
        this.#error ??= ioError(this.#name, 'write', e);
      }
    if (this.#error) {
      this.abort();
      throw this.#error;
    }
    return { tmp: this.#tmp, target: this.#file, file: this.#name, ...(this.#option !== undefined ? { option: this.#option } : {}) };
  }

  /** finish(), then the table alone renamed into place. */
  async commit(): Promise<void> {
    commitTemps([await this.finish()]);
  }

  abort(): void {
    this.#out.destroy();
    releaseTemp(this.#tmp, true);
  }
}

/** The schema message at the head of an Arrow IPC stream (continuation marker, length, metadata). */
function schemaPart(ipc: Uint8Array): Uint8Array {
  const v = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength);
  if (ipc.length < 8 + EOS.length || v.getInt32(0, true) !== -1) throw new Error('Arrow IPC stream without a schema message');
  return ipc.subarray(0, 8 + v.getInt32(4, true));
}

/** A schema's columns as `name: type` (`?` when nullable), for an error. */
function fieldList(schema: Schema): string {
  return schema.fields.map((f) => `${f.name}: ${String(f.type)}${f.nullable ? '?' : ''}`).join(', ');
}

/** Shortest text that reads back to the same double; a failed subject's NaN as NA. */
function fmt(v: number): string {
  // String(-0) is "0": the CSV lost the sign bit the Arrow table of the same run keeps
  return Number.isNaN(v) ? 'NA' : Object.is(v, -0) ? '-0' : String(v);
}

export function outputPaths(dir: string, format: TableFormat): { summary: string; subjects: string } {
  return { summary: join(dir, 'summary.json'), subjects: join(dir, `subjects.${format === 'csv' ? 'csv' : 'arrow'}`) };
}
