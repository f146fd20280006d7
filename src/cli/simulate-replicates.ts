// dosewise simulate --replicates R: the data set simulated R times with new η, κ and ε, written as
// REP, the input columns, IPRED, DV_SIM (and BLQ_SIM when there is an LLOQ), replicate after
// replicate, streamed block by block (CSV, or an Apache Arrow stream for an --out ending in .arrow).

import { extname } from 'node:path';
import type { Model } from '../model/model.js';
import { formatNumber, isMissingCell, isNumberCell, quoteCell, type DataSet } from '../regimen/nmtran.js';
import { NO_DOSE_CODE, SS_INFUSION_CODE } from '../regimen/dose-record-warnings.js';
import { TableWriter } from '../population/output.js';
import { simulateReplicates, type ReplicateBlock, type ReplicateOptions, type ReplicateRun } from '../replicate/run.js';
import { readIndividualEtas } from '../replicate/etas.js';
import { hasLimits } from '../replicate/censoring.js';
import { readText } from './io.js';
import { progressFor } from './reports.js';
import type { ReplicateArgs } from './replicate-args.js';
import { parseShard } from './args.js';
import { Errors } from '../errors.js';
import { cliWords } from './api-words.js';

/**
 * A column whose cells are all numbers or missing values: written to Arrow as Float64 (NaN where
 * missing), else as text. Missing is what the data reader reads as missing (`.`, blank, `NA`,
 * `NaN`): Number('NA') is NaN, so a column with an R-style NA became text, its numbers strings.
 */
function numericColumn(data: DataSet, j: number): boolean {
  return data.cells.every((c) => {
    const s = c[j] ?? '';
    return isMissingCell(s) || isNumberCell(s);
  });
}

/** The columns writeArrow takes (text as strings, written as Utf8). */
type ArrowColumns = Parameters<TableWriter['writeArrow']>[0];

/** Options for simulateReplicates from the command line. */
export function replicateOptions(a: ReplicateArgs, model: Model, dataFile: string, base: Pick<ReplicateOptions, 'method' | 'rtol' | 'atol' | 'signal'>): ReplicateOptions {
  return {
    ...base,
    replicates: a.replicates ?? 1,
    seed: a.seed ?? '1',
    effects: a.effects,
    etas: a.etas !== undefined ? readIndividualEtas(readText(a.etas, 'the etas'), a.etas, model) : undefined,
    epsilon: a.epsilon,
    lloq: a.lloq,
    workers: a.workers,
    chunkSize: a.chunkSize,
    shard: parseShard(a.shard),
    file: dataFile,
    onProgress: progressFor(a, `${model.name} replicates:`),
  };
}

/** Streams the replicate table to `out` (atomically) or to standard output. */
/** Rows written and the run's counts (observations, censored, warnings), which `--json` prints. */
export async function writeReplicates(model: Model, data: DataSet, o: ReplicateOptions, out: string | undefined, stdout: (s: string) => void): Promise<{ readonly rows: number; readonly run: ReplicateRun }> {
  const arrow = out !== undefined && extname(out).toLowerCase() === '.arrow';
  // a data set that is an earlier replicate table or a NONMEM table has these columns already: the
  // CSV header named them twice, and in Arrow the input's REP replaced the replicate number
  const written = ['REP', 'IPRED', 'DV_SIM', 'BLQ_SIM'];
  const clash = data.columns.find((c) => written.includes(c.toUpperCase()));
  if (clash !== undefined) throw Errors.cli(`${o.file ?? 'data'}: column ${clash}: the replicate table writes a column of that name (REP, IPRED, DV_SIM, BLQ_SIM); drop or rename it in the data set`);
  const writer = out ? new TableWriter(out, arrow ? 'arrow' : 'csv', [], '--out') : undefined;
  // BLQ rows give the others their limit too (src/replicate/censoring.ts): BLQ_SIM is written then
  const censor = hasLimits(data.records, data.columns, o.lloq);
  const n = data.records.length;
  let rows = 0;
  let header = true;
  const numeric = data.columns.map((_, j) => numericColumn(data, j));
  const onBlock = async (b: ReplicateBlock): Promise<void> => {
    rows += b.reps * n;
    if (arrow) {
      const cols: ArrowColumns = {};
      const rep = new Int32Array(b.reps * n);
      for (let k = 0; k < b.reps; k++) rep.fill(b.firstRep + k, k * n, (k + 1) * n);
      cols.REP = rep;
      data.columns.forEach((c, j) => {
        if (numeric[j]) {
          const v = new Float64Array(b.reps * n);
          for (let k = 0; k < b.reps; k++) data.records.forEach((r, i) => (v[k * n + i] = c.toUpperCase() === 'TIME' ? r.TIME : (r.items[c] ?? NaN)));
          cols[c] = v;
        } else cols[c] = Array.from({ length: b.reps * n }, (_, x) => (data.cells[x % n] as string[])[j] ?? '');
      });
      cols.IPRED = b.ipred;
      cols.DV_SIM = b.dv;
      if (censor) cols.BLQ_SIM = b.blq;
      await (writer as TableWriter).writeArrow(cols);
      return;
    }
    // one replicate's text at a time: the block's arrays are the run's only large memory
    const cells = data.cells.map((c) => c.map(quoteCell).join(','));
    for (let k = 0; k < b.reps; k++) {
      const lines: string[] = [];
      if (header) lines.push(['REP', ...data.columns, 'IPRED', 'DV_SIM', ...(censor ? ['BLQ_SIM'] : [])].map(quoteCell).join(','));
      header = false;
      const rep = String(b.firstRep + k);
      for (let i = 0; i < n; i++) {
        const x = k * n + i;
        lines.push(`${rep},${cells[i]},${formatNumber(b.ipred[x] as number)},${formatNumber(b.dv[x] as number)}${censor ? `,${b.blq[x]}` : ''}`);
      }
      const text = lines.join('\n') + '\n';
      if (writer) await writer.writeCsv(text);
      else stdout(text);
    }
  };
  let run: ReplicateRun;
  try {
    // CSV text is made from a block before onBlock returns, so its memory can go back to the
    // workers; an Arrow batch may keep the arrays until the stream is flushed
    run = await simulateReplicates(model, data.records, { ...o, reuseBlocks: !arrow }, onBlock);
    // a shard with no replicate (more shards than replicates) is still a table: the CSV header, or
    // the Arrow schema and end of stream; an empty file broke the shards' concatenation
    if (rows === 0) {
      if (arrow) await onBlock({ ipred: new Float64Array(0), dv: new Float64Array(0), blq: new Int32Array(0), firstRep: 1, reps: 0, records: n });
      else {
        const text = ['REP', ...data.columns, 'IPRED', 'DV_SIM', ...(censor ? ['BLQ_SIM'] : [])].map(quoteCell).join(',') + '\n';
        if (writer) await writer.writeCsv(text);
        else stdout(text);
      }
    }
    await writer?.commit();
    for (const w of run.warnings) if (!w.startsWith(`${SS_INFUSION_CODE}:`) && !w.startsWith(`${NO_DOSE_CODE}:`)) process.stderr.write(`dosewise: warning: ${o.file ? `${o.file}: ` : ''}${cliWords(w)}\n`);
    for (const n of run.notes) process.stderr.write(`dosewise: note: ${o.file ? `${o.file}: ` : ''}${cliWords(n)}\n`);
  } catch (e) {
    writer?.abort();
    throw e;
  }
  return { rows, run };
}
