// dosewise merge: shard outputs → the output of one run. Summaries merge exactly (integer counts,
// exact sums, sketch bucket counts); subject tables are concatenated in subject order, streamed.
// A merge is refused unless the shards are exactly the complete set of one run: every shard index
// once (the last one too), the same dosewise build, seed, n, model, regimen, covariates, solver, metrics and table
// format, each covering its subject range, and each table matching its summary (rows, ID range,
// size, SHA-256), and each summary matching its own checksum. Every refusal names the shard folder
// and what is wrong.

import { existsSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { commitTemps, outputFolder, realOrPlanned, releaseTemp, writeTemp, type PendingFile } from '../files.js';
import { MetricAggregate, type AggregateJSON } from '../population/aggregate.js';
import { failedSubjectWarnings, foldedQuantileWarnings } from '../population/summary/index.js';
import { allFailed, everySimulationFailed } from './all-failed.js';
import type { MetricDef } from '../population/metrics.js';
import type { TableFormat, TableRecord } from '../population/output.js';
import { seedText } from '../population/seed.js';
import { shardRange } from '../population/study.js';
import { readJson } from './io.js';
import { checksumHolds, withChecksum } from './summary-checksum.js';
import { concatTables, type ShardTable } from './merge-tables.js';
import { TABLE_FILES, staleTableWarnings } from './stale-table.js';
import type { Command } from 'commander';

interface ShardSummary {
  dosewise: string;
  model: string;
  regimen: string;
  seed: string;
  n: number;
  shard: { index: number; count: number } | null;
  first: number;
  count: number;
  failed: number;
  seconds: number;
  inputs?: Record<string, unknown>;
  table?: TableRecord | null;
  metrics: (MetricDef & { window: unknown; report?: unknown; aggregate: AggregateJSON })[];
  checksum?: string;
}

interface Shard {
  readonly dir: string;
  readonly real: string;
  readonly s: ShardSummary;
}

const fmtN = (x: number): string => x.toLocaleString('en-US');

function readShard(dir: string): Shard {
  // a file given where a shard's folder belongs (simulate --shard's output.arrow) read "cannot read
  // (a parent is not a folder, ENOTDIR)"
  if (isFile(dir)) throw Errors.io(dir, "a file, not a shard's output folder: merge takes the folders that population --shard writes (each with its summary.json); the files of simulate --replicates --shard are joined instead (CSV as docs/cli.md shows, under Simulating a data set: replicates; Arrow by reading each file in turn, since a reader of two concatenated files stops at the first one's end)");
  const file = join(dir, 'summary.json');
  // a shard stopped (Ctrl-C) in a folder it had created left it empty: "summary.json: cannot read (no such file, ENOENT)"
  if (!existsSync(dir)) throw Errors.io(dir, 'no such folder');
  if (!existsSync(file)) throw Errors.io(dir, 'no summary.json in it: the shard did not finish or is not a dosewise shard (run it again)');
  const s = readJson(file, 'a shard summary') as ShardSummary;
  if (s === null || typeof s !== 'object' || s.dosewise !== 'population-summary') throw Errors.io(file, 'not a dosewise population summary');
  if (!s.shard) throw Errors.io(dir, 'not a shard output (the run had no --shard): nothing to merge');
  if (s.table === undefined || s.inputs === undefined || s.checksum === undefined)
    throw Errors.io(file, 'no record of the subject table, inputs or checksum (written by an older dosewise): run the shard again');
  if (!checksumHolds(s)) throw Errors.io(file, 'its content does not match its checksum (edited or damaged since the shard wrote it): run the shard again');
  return { dir, real: realOrPlanned(dir), s };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** How a refusal names an input of the summary's `inputs` block (the rest are solver options). */
const INPUT_LABEL: Readonly<Record<string, string>> = {
  model: 'model (SHA-256 of its content)',
  regimen: 'regimen (SHA-256 of its content)',
  covariates: 'covariates (SHA-256 of its content)',
  engine: 'engine build (SHA-256 of its sources)',
};

/** Metric definitions without their results: what must be equal across shards. */
const metricDefs = (s: ShardSummary): Record<string, unknown>[] => s.metrics.map(({ report: _r, aggregate: _a, ...d }) => d);

/** A target window as --window writes it (LO:HI), `none` without one. */
function windowWords(w: unknown): string {
  if (w === null || w === undefined) return 'none';
  const { lo, hi } = w as { lo?: unknown; hi?: unknown };
  return typeof lo === 'number' && typeof hi === 'number' ? `${lo}:${hi}` : JSON.stringify(w);
}

/**
 * How shard x's metrics differ from ref's, undefined where they agree: the metric lists, or the
 * metric and the setting that differs, with both values (it said only "metrics or windows differ",
 * so with 16 shards and many metrics the summary.json files were compared by hand).
 */
function metricDifference(x: ShardSummary, ref: ShardSummary): string | undefined {
  const a = metricDefs(x);
  const b = metricDefs(ref);
  const names = (ds: readonly Record<string, unknown>[]): string => ds.map((d) => String(d.name)).join(', ') || 'none';
  if (names(a) !== names(b)) return `metrics ${names(a)} differ from ${names(b)}`;
  for (const [i, da] of a.entries()) {
    const db = b[i] as Record<string, unknown>;
    if (JSON.stringify(da) === JSON.stringify(db)) continue;
    for (const k of new Set([...Object.keys(da), ...Object.keys(db)])) {
      const [va, vb] = [da[k] ?? null, db[k] ?? null];
      if (JSON.stringify(va) === JSON.stringify(vb)) continue;
      return k === 'window' ? `metric ${String(da.name)}: window ${windowWords(va)} differs from ${windowWords(vb)}` : `metric ${String(da.name)}: ${k} ${JSON.stringify(va)} differs from ${JSON.stringify(vb)}`;
    }
    // the same keys and values in another order: the definitions were written by another dosewise
    return `metric ${String(da.name)}: definition ${JSON.stringify(da)} differs from ${JSON.stringify(db)}`;
  }
  return undefined;
}

/** The build a shard records (inputs.code, with its version), undefined for an older dosewise's. */
function buildOf(x: Shard): string | undefined {
  const { code, version } = x.s.inputs ?? {};
  return typeof code === 'string' ? `${JSON.stringify(code)} (dosewise ${String(version)})` : undefined;
}

/**
 * Shards of two dosewise builds: covariate derivation and metrics run in TypeScript, which the
 * engine digest does not cover (a release that changed CrCl merged into auc24 mean 669.913 for
 * 723.184, exit 0). A shard of a dosewise that recorded no build cannot be matched to any.
 */
function checkSameBuild(shards: readonly Shard[]): void {
  const ref = shards[0] as Shard;
  const old = shards.find((x) => buildOf(x) === undefined);
  if (old) {
    const other = shards.find((x) => buildOf(x) !== undefined);
    const file = join(old.dir, 'summary.json');
    if (other) throw Errors.io(file, `records no dosewise build (written by an older dosewise) where ${other.dir} records ${buildOf(other)}: the shards come from different dosewise versions; run the shard again with the version that ran the others`);
    throw Errors.io(file, 'records no dosewise build (written by an older dosewise): whether the shards come from one dosewise version cannot be checked; run them again with one version');
  }
  for (const x of shards.slice(1))
    if (x.s.inputs?.code !== ref.s.inputs?.code)
      throw Errors.io(x.dir, `dosewise build (SHA-256 of its sources) ${buildOf(x)} differs from ${buildOf(ref)} in ${ref.dir}: the shards come from different dosewise versions or builds; run every shard with one`);
}

function checkSameRun(shards: readonly Shard[]): void {
  checkSameBuild(shards);
  const ref = shards[0] as Shard;
  const differs = (x: Shard, what: string, a: unknown, b: unknown): never => {
    throw Errors.io(x.dir, `${what} ${JSON.stringify(a)} differs from ${JSON.stringify(b)} in ${ref.dir}: the shards are not from one run`);
  };
  for (const x of shards.slice(1)) {
    // seeds as the seed parser reads them: --seed 01 is the stream of --seed 1 (seedText), and was refused as another run
    if (seedText(x.s.seed) !== seedText(ref.s.seed)) differs(x, 'seed', x.s.seed, ref.s.seed);
    for (const k of ['n', 'model'] as const) if (x.s[k] !== ref.s[k]) differs(x, k, x.s[k], ref.s[k]);
    if (x.s.shard?.count !== ref.s.shard?.count) differs(x, 'shard count', x.s.shard?.count, ref.s.shard?.count);
    for (const k of new Set([...Object.keys(x.s.inputs ?? {}), ...Object.keys(ref.s.inputs ?? {})])) {
      // the build is compared above; a version label alone changes no number
      if (k === 'code' || k === 'version') continue;
      const a = x.s.inputs?.[k] ?? null;
      const b = ref.s.inputs?.[k] ?? null;
      if (JSON.stringify(a) !== JSON.stringify(b)) differs(x, INPUT_LABEL[k] ?? `solver option ${k}`, a, b);
    }
    const metrics = metricDifference(x.s, ref.s);
    if (metrics !== undefined) throw Errors.io(x.dir, `${metrics} in ${ref.dir}: the shards are not from one run`);
    const fa = x.s.table?.format ?? 'no table';
    const fb = ref.s.table?.format ?? 'no table';
    if (fa !== fb) differs(x, 'subject table', fa, fb);
  }
}

/** Every index 1..N exactly once, each covering its own subject range. */
function checkComplete(shards: readonly Shard[]): Shard[] {
  const byIndex = new Map<number, Shard>();
  const seen = new Map<string, Shard>();
  for (const x of shards) {
    const same = seen.get(x.real);
    if (same) throw Errors.io(x.dir, `given twice (also as ${same.dir})`);
    seen.set(x.real, x);
    const { index, count } = x.s.shard as { index: number; count: number };
    const other = byIndex.get(index);
    if (other) throw Errors.io(x.dir, `shard ${index}/${count} again: ${other.dir} is shard ${index}/${count} too (a copy?)`);
    byIndex.set(index, x);
    const [lo, hi] = shardRange(x.s.n, { index: index - 1, count });
    if (x.s.first !== lo || x.s.count !== hi - lo)
      throw Errors.io(x.dir, `covers subjects ${fmtN(x.s.first + 1)}–${fmtN(x.s.first + x.s.count)}, shard ${index}/${count} of n ${fmtN(x.s.n)} is ${fmtN(lo + 1)}–${fmtN(hi)}`);
  }
  const { count } = (shards[0] as Shard).s.shard as { count: number };
  const n = (shards[0] as Shard).s.n;
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) {
    if (byIndex.has(i)) continue;
    const [lo, hi] = shardRange(n, { index: i - 1, count });
    missing.push(`${i}/${count} (subjects ${fmtN(lo + 1)}–${fmtN(hi)})`);
  }
  if (missing.length) throw Errors.io(shards.map((x) => x.dir).join(', '), `incomplete: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i) as Shard);
}

/** Each shard's table against its summary: present exactly when recorded, right rows, IDs and size. */
function shardTables(shards: readonly Shard[]): ShardTable[] {
  const tables: ShardTable[] = [];
  for (const x of shards) {
    const t = x.s.table;
    if (!t) {
      const stray = TABLE_FILES.find((f) => existsSync(join(x.dir, f)));
      if (stray) throw Errors.io(join(x.dir, stray), 'present, but its summary.json records no subject table (--no-table run?): remove it or run the shard again');
      continue;
    }
    const name = `subjects.${t.format}`;
    if (t.file !== name) throw Errors.io(join(x.dir, 'summary.json'), `table ${JSON.stringify(t.file)}: expected ${name}`);
    const file = join(x.dir, name);
    const lo = x.s.first + 1;
    const hi = x.s.first + x.s.count;
    if (t.rows !== x.s.count || (x.s.count > 0 && (t.first_id !== lo || t.last_id !== hi)))
      throw Errors.io(join(x.dir, 'summary.json'), `table records ${fmtN(t.rows)} rows, IDs ${t.first_id}–${t.last_id}; the shard has ${fmtN(x.s.count)} subjects, ${lo}–${hi}`);
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw Errors.io(file, 'not a regular file');
      size = st.size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw Errors.io(file, `missing: the shard's summary.json records a ${t.format.toUpperCase()} table of ${fmtN(t.rows)} rows`);
      throw e;
    }
    if (size !== t.bytes) throw Errors.io(file, `${fmtN(size)} bytes, its summary.json records ${fmtN(t.bytes)} (truncated or changed after the run)`);
    tables.push({ file, record: t });
  }
  return tables;
}

/**
 * An output file that is one of the inputs, reached through a symbolic link inside --out (the
 * folders differ): the merged table was written over a shard's own table, exit 0.
 */
function refuseOutputOnInput(out: string, format: TableFormat | undefined, shards: readonly Shard[], tables: readonly { file: string }[]): void {
  const inputs = new Map<string, string>();
  for (const x of shards) inputs.set(realOrPlanned(join(x.dir, 'summary.json')), join(x.dir, 'summary.json'));
  for (const t of tables) inputs.set(realOrPlanned(t.file), t.file);
  for (const name of ['summary.json', ...(format ? [`subjects.${format}`] : [])]) {
    const target = join(out, name);
    const input = inputs.get(realOrPlanned(target));
    if (input !== undefined) throw Errors.cli(`merge: --out ${out}: ${target} leads to the input ${input} (a symbolic link): the merge would overwrite it; give another folder`);
  }
}

export async function mergeCommand(dirs: readonly string[], out: string, stdout: (s: string) => void, json = false, signal?: AbortSignal): Promise<void> {
  if (dirs.length === 0) throw Errors.cli('merge: give the shard output folders');
  const outReal = realOrPlanned(out);
  for (const d of dirs)
    if (realOrPlanned(d) === outReal) throw Errors.cli(`merge: --out ${out} is the shard folder ${d}: the merge would overwrite its outputs; give another folder`);
  const given = dirs.map(readShard);
  checkSameRun(given);
  const shards = checkComplete(given);
  const tables = shardTables(shards);
  const ref = (shards[0] as Shard).s;
  const metrics = ref.metrics.map((m, j) => {
    // a bad aggregate names its shard's summary, not only its field
    const read = (x: Shard): MetricAggregate => MetricAggregate.fromJSON((x.s.metrics[j] as ShardSummary['metrics'][number]).aggregate, `${join(x.dir, 'summary.json')}, metrics.${j}.aggregate`);
    const agg = read(shards[0] as Shard);
    for (const x of shards.slice(1)) agg.mergeFrom(read(x));
    return { ...m, report: agg.report(), aggregate: agg.toJSON() };
  });
  const count = shards.reduce((a, x) => a + x.s.count, 0);
  const format = ref.table?.format as TableFormat | undefined;
  refuseOutputOnInput(out, format, shards, tables);
  const created = !existsSync(out);
  outputFolder(out);
  // a shard table found bad while it is copied (or a cancel, or a full disk) left the new --out folder empty
  const takeBack = (): void => {
    if (created)
      try {
        rmdirSync(out);
      } catch {
        // not empty (or gone): nothing of ours to take back
      }
  };
  let table: ({ file: string } & Awaited<ReturnType<typeof concatTables>>['record']) | null;
  let pending: PendingFile | undefined;
  try {
    const c = format ? await concatTables(tables, format, join(out, `subjects.${format}`), signal) : undefined;
    pending = c?.pending;
    table = c ? { file: `subjects.${format as TableFormat}`, ...c.record } : null;
  } catch (e) {
    takeBack();
    throw e;
  }
  const merged = {
    ...ref,
    shard: null,
    first: 0,
    count,
    failed: shards.reduce((a, x) => a + x.s.failed, 0),
    seconds: shards.reduce((a, x) => a + x.s.seconds, 0),
    table,
    merged_from: shards.map((x) => x.dir),
    metrics,
  };
  // the table is renamed into place with its summary, once both are written: a summary not
  // written (a full disk) left the new table beside the earlier merge's summary.json
  try {
    commitTemps([...(pending ? [pending] : []), writeTemp(join(out, 'summary.json'), JSON.stringify(withChecksum(merged), null, 1) + '\n')]);
  } catch (e) {
    if (pending) releaseTemp(pending.tmp, true);
    takeBack();
    throw e;
  }
  // an earlier run's table beside this summary was read as the merge's (study A's subjects.csv beside study B's summary.json, exit 0)
  const warnings = [...failedSubjectWarnings(merged.failed, count, metrics), ...foldedQuantileWarnings(metrics), ...staleTableWarnings(out, table ? join(out, table.file) : undefined)];
  for (const w of warnings) process.stderr.write(`dosewise: warning: ${w}\n`);
  if (json) stdout(JSON.stringify({ ...merged, out, metrics: merged.metrics.map(({ aggregate: _a, ...m }) => m), warnings }, null, 1) + '\n');
  else stdout(`merged ${shards.length} shards (${count} subjects) into ${out}\n`);
  // written, as the single run writes its own, but refused as it is: every shard's W_SHARD_ALL_FAILED left the study to this
  if (allFailed(merged.failed, count)) throw everySimulationFailed(count);
}

/** Adds `dosewise merge` to a program (main.ts registers it). */
export function registerMerge(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  program.command('merge')
    .description('combine the outputs of population shards (--shard I/N runs) into the result of one run')
    .argument('<dirs...>', 'shard output folders')
    .requiredOption('--out <dir>', 'merged output folder')
    .option('--json', 'print the merged summary as JSON')
    .addHelpText(
      'after',
      `
Example:
  dosewise population --model examples/wb-population.model.json --regimen examples/wb-regimen.json --n 100000 --shard 1/2 --out out/s1
  dosewise population --model examples/wb-population.model.json --regimen examples/wb-regimen.json --n 100000 --shard 2/2 --out out/s2
  dosewise merge out/s1 out/s2 --out out/merged
`,
    )
    .action((dirs: string[], opts) => mergeCommand(dirs, opts.out, stdout, opts.json === true, signal));
}
