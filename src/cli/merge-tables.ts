// Concatenating shard subject tables in constant memory: every file is streamed once, its bytes
// hashed (SHA-256) and counted against what its summary.json records, and passed on to the merged
// file. CSV: the header of the first table, then every table's rows; each row's ID is checked
// against the subject it must be. Arrow IPC stream: the schema message of the first table (every
// table must carry the same bytes), the record-batch messages of every table, one end-of-stream
// marker; a single schema and no dictionaries make this byte-level concatenation a valid stream.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Errors } from '../errors.js';
import { createTemp, ioError, outputFile, releaseTemp, type PendingFile } from '../files.js';
import type { TableFormat, TableRecord } from '../population/output.js';

export interface ShardTable {
  /** Path of the table file, as shown in messages. */
  readonly file: string;
  readonly record: TableRecord;
}

const EOS = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
const NEWLINE = 0x0a;
const COMMA = 0x2c;

/** The schema message at the head of an Arrow IPC stream (continuation marker, length, metadata). */
export function arrowSchemaBytes(file: string, size: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    if (size < 16 || readSync(fd, head, 0, 8, 0) < 8 || head.readInt32LE(0) !== -1) throw Errors.io(file, 'not an Arrow IPC stream (no schema message at the start)');
    const len = head.readInt32LE(4);
    if (!(len > 0 && 8 + len + 8 <= size)) throw Errors.io(file, 'not an Arrow IPC stream (bad schema message length)');
    const schema = Buffer.alloc(8 + len);
    readSync(fd, schema, 0, 8 + len, 0);
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    if (!tail.equals(EOS)) throw Errors.io(file, 'Arrow IPC stream without its end-of-stream marker (truncated?)');
    return schema;
  } finally {
    closeSync(fd);
  }
}

/** Checks one table's stream as it passes: bytes, SHA-256 and (CSV) header and row IDs. */
class TableCheck {
  readonly #t: ShardTable;
  readonly #hash = createHash('sha256');
  #bytes = 0;
  #rows = 0;
  #line: Buffer[] = [];
  #header: string | undefined;

  constructor(t: ShardTable) {
    this.#t = t;
  }

  get header(): string | undefined {
    return this.#header;
  }

  /** Feeds a chunk; returns where the rows start in it (after the CSV header). */
  csv(chunk: Buffer): number {
    this.#take(chunk);
    let start = 0;
    let rowsFrom = this.#header === undefined ? chunk.length : 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      if (this.#line.length) {
        this.#line.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.#line);
        this.#line = [];
        this.#headerOrRow(line, 0, line.length);
      } else this.#headerOrRow(chunk, start, nl);
      if (this.#header !== undefined && rowsFrom === chunk.length) rowsFrom = nl + 1;
      start = nl + 1;
    }
    if (start < chunk.length) this.#line.push(chunk.subarray(start));
    return rowsFrom;
  }

  #headerOrRow(b: Buffer, from: number, to: number): void {
    if (this.#header === undefined) this.#header = b.toString('utf8', from, to);
    else this.#row(b, from, to);
  }

  /** The row's ID (its first field, digits up to the comma) against the subject it must be. */
  #row(b: Buffer, from: number, to: number): void {
    this.#rows++;
    const want = (this.#t.record.first_id ?? 0) + this.#rows - 1;
    let id = 0;
    let k = from;
    for (; k < to; k++) {
      const c = b[k] as number;
      if (c === COMMA) break;
      if (c < 0x30 || c > 0x39) {
        id = NaN;
        break;
      }
      id = id * 10 + (c - 0x30);
    }
    if (k === from || id !== want) {
      const comma = b.indexOf(COMMA, from);
      const text = b.toString('utf8', from, comma < 0 || comma > to ? to : comma);
      throw Errors.io(`${this.#t.file}, row ${this.#rows}`, `ID ${JSON.stringify(text)} where subject ${want} belongs (the table does not match its summary.json)`);
    }
  }

  #take(chunk: Buffer): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
  }

  arrow(chunk: Buffer): void {
    this.#take(chunk);
  }

  /** After the last chunk: the totals against the summary. */
  finish(format: TableFormat): void {
    const r = this.#t.record;
    if (this.#bytes !== r.bytes) throw Errors.io(this.#t.file, `${this.#bytes} bytes read, its summary.json records ${r.bytes} (the file changed during the merge?)`);
    if (format === 'csv') {
      if (this.#line.length) throw Errors.io(this.#t.file, 'the last row has no line end (truncated?)');
      if (this.#rows !== r.rows) throw Errors.io(this.#t.file, `${this.#rows} rows, its summary.json records ${r.rows}`);
    }
    const sha = this.#hash.digest('hex');
    if (sha !== r.sha256) throw Errors.io(this.#t.file, `SHA-256 ${sha.slice(0, 12)}… differs from the ${r.sha256.slice(0, 12)}… its summary.json records (the file was changed after the run)`);
  }
}

/**
 * Writes the concatenation of `tables` (in subject order) to a temporary file for `out` and returns
 * its record (rows, ID range, bytes, SHA-256) and the file, which the caller renames into place with
 * the summary (commitTemps). Any mismatch stops the merge; nothing is left under the final name.
 */
export async function concatTables(tables: readonly ShardTable[], format: TableFormat, out: string, signal?: AbortSignal): Promise<{ readonly record: Omit<TableRecord, 'file'>; readonly pending: PendingFile }> {
  const target = outputFile(out);
  const outHash = createHash('sha256');
  let outBytes = 0;
  const emit = (b: Buffer): Buffer => {
    outHash.update(b);
    outBytes += b.length;
    return b;
  };
  const nonEmpty = tables.filter((t) => t.record.bytes > 0);
  const schemas = format === 'arrow' ? nonEmpty.map((t) => arrowSchemaBytes(t.file, t.record.bytes)) : [];
  schemas.forEach((s, i) => {
    if (!s.equals(schemas[0] as Buffer)) throw Errors.io((nonEmpty[i] as ShardTable).file, `Arrow schema differs from ${(nonEmpty[0] as ShardTable).file}'s (other columns)`);
  });
  let header: string | undefined;
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const [i, t] of nonEmpty.entries()) {
      const check = new TableCheck(t);
      const size = t.record.bytes;
      // Arrow: the first table's schema, then every table's batches; one marker at the end
      const from = format === 'arrow' && i > 0 ? (schemas[i] as Buffer).length : 0;
      const to = format === 'arrow' ? size - EOS.length : size;
      let at = 0;
      let headerSeen = false;
      try {
        for await (const c of createReadStream(t.file, { highWaterMark: 1 << 20 })) {
          const chunk = c as Buffer;
          const lo = at;
          at += chunk.length;
          if (format === 'csv') {
            const rows = check.csv(chunk);
            if (!headerSeen && check.header !== undefined) {
              headerSeen = true;
              header ??= check.header;
              if (check.header !== header) throw Errors.io(t.file, `columns ${JSON.stringify(check.header)} differ from the first table's ${JSON.stringify(header)}`);
            }
            // the header once, from the first table
            const skip = i > 0 ? rows : 0;
            if (skip < chunk.length) yield emit(chunk.subarray(skip));
          } else {
            check.arrow(chunk);
            const a = Math.max(from, lo) - lo;
            const b = Math.min(to, at) - lo;
            if (b > a) yield emit(chunk.subarray(a, b));
          }
        }
      } catch (e) {
        throw ioError(t.file, 'read', e);
      }
      check.finish(format);
    }
    if (format === 'arrow' && nonEmpty.length > 0) yield emit(EOS);
  }
  // created and registered at once: a signal between the two left an empty temporary file
  const tmp = createTemp(target, out);
  try {
    await pipeline(bytes, createWriteStream(tmp, { flags: 'r+' }), { signal });
  } catch (e) {
    releaseTemp(tmp, true);
    if ((e as Error).name === 'AbortError') throw e;
    throw ioError(out, 'write', e);
  }
  const withRows = tables.filter((t) => t.record.rows > 0);
  const record = {
    format,
    rows: tables.reduce((a, t) => a + t.record.rows, 0),
    first_id: withRows[0]?.record.first_id ?? null,
    last_id: withRows[withRows.length - 1]?.record.last_id ?? null,
    bytes: outBytes,
    sha256: outHash.digest('hex'),
  };
  return { record, pending: { tmp, target, file: out } };
}
