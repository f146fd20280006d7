// Writing population results: the per-subject table (CSV or Apache Arrow IPC stream) written chunk
// by chunk into a temporary file and renamed into place at the end (atomic: a crash or a cancel
// never leaves a partial file under the final name), and the summary JSON.

import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { RecordBatchStreamWriter, tableFromArrays } from 'apache-arrow';
import { Errors } from '../errors.js';
import type { ChunkResult } from './plan.js';
import type { MetricDef } from './metrics.js';

export type TableFormat = 'csv' | 'arrow';

/** Streams chunks to `file` through a temporary file; commit() renames, abort() removes. */
export class TableWriter {
  readonly #file: string;
  readonly #tmp: string;
  readonly #format: TableFormat;
  readonly #metrics: readonly MetricDef[];
  readonly #out: WriteStream;
  #columns: string[] | undefined;
  #arrow: RecordBatchStreamWriter | undefined;
  #error: Error | undefined;

  constructor(file: string, format: TableFormat, metrics: readonly MetricDef[]) {
    this.#file = resolve(file);
    this.#tmp = `${this.#file}.tmp-${process.pid}`;
    this.#format = format;
    this.#metrics = metrics;
    mkdirSync(dirname(this.#file), { recursive: true });
    this.#out = createWriteStream(this.#tmp);
    this.#out.on('error', (e) => (this.#error = Errors.io(file, `cannot write (${(e as NodeJS.ErrnoException).code ?? e.message})`)));
  }

  /** Appends one chunk (subjects in order); resolves when the stream can take more. */
  async write(r: ChunkResult): Promise<void> {
    if (this.#error) throw this.#error;
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
    if (this.#format === 'csv') {
      const lines: string[] = [];
      if (!this.#columns) lines.push(Object.keys(cols).join(','));
      this.#columns ??= Object.keys(cols);
      const names = this.#columns;
      for (let s = 0; s < r.count; s++) lines.push(names.map((c) => fmt((cols[c] as Float64Array)[s] as number)).join(','));
      if (!this.#out.write(lines.join('\n') + '\n')) await once(this.#out, 'drain');
    } else {
      if (!this.#arrow) {
        this.#arrow = new RecordBatchStreamWriter();
        this.#arrow.toNodeStream().pipe(this.#out);
      }
      for (const batch of tableFromArrays(cols).batches) this.#arrow.write(batch);
    }
  }

  async commit(): Promise<void> {
    if (this.#arrow) this.#arrow.finish();
    else this.#out.end();
    await once(this.#out, 'close');
    if (this.#error) {
      this.abort();
      throw this.#error;
    }
    renameSync(this.#tmp, this.#file);
  }

  abort(): void {
    this.#out.destroy();
    if (existsSync(this.#tmp)) rmSync(this.#tmp, { force: true });
  }
}

/** Shortest text that reads back to the same double; a failed subject's NaN as NA. */
function fmt(v: number): string {
  return Number.isNaN(v) ? 'NA' : String(v);
}

export function outputPaths(dir: string, format: TableFormat): { summary: string; subjects: string } {
  return { summary: join(dir, 'summary.json'), subjects: join(dir, `subjects.${format === 'csv' ? 'csv' : 'arrow'}`) };
}
