// dosewise merge: shard outputs → the output of one run. Summaries merge exactly (integer counts,
// exact sums, sketch bucket counts); subject tables are concatenated in subject order.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { Errors } from '../errors.js';
import { MetricAggregate, type AggregateJSON } from '../population/aggregate.js';
import type { MetricDef } from '../population/metrics.js';
import { readJson, writeAtomic } from './io.js';

interface ShardSummary {
  dosewise: string;
  model: string;
  seed: string;
  n: number;
  shard: { index: number; count: number } | null;
  first: number;
  count: number;
  failed: number;
  seconds: number;
  metrics: (MetricDef & { window: unknown; aggregate: AggregateJSON })[];
}

export function mergeCommand(dirs: readonly string[], out: string, stdout: (s: string) => void, json = false): void {
  if (dirs.length === 0) throw Errors.cli('merge: give the shard output folders');
  const shards = dirs.map((d) => {
    const f = join(d, 'summary.json');
    const s = readJson(f) as ShardSummary;
    if (s.dosewise !== 'population-summary') throw Errors.io(f, 'not a dosewise population summary');
    return { dir: d, file: f, s };
  });
  shards.sort((a, b) => a.s.first - b.s.first);
  const ref = (shards[0] as (typeof shards)[number]).s;
  let expect = 0;
  for (const { file, s } of shards) {
    for (const k of ['model', 'seed', 'n'] as const)
      if (s[k] !== ref[k]) throw Errors.io(file, `${k} ${JSON.stringify(s[k])} differs from the first shard's ${JSON.stringify(ref[k])}`);
    if (JSON.stringify(s.metrics.map((m) => [m.name, m.window])) !== JSON.stringify(ref.metrics.map((m) => [m.name, m.window])))
      throw Errors.io(file, 'metrics or windows differ from the first shard');
    if (s.first !== expect) throw Errors.io(file, `covers subjects from ${s.first + 1}, expected ${expect + 1}: a shard is missing or repeated`);
    expect = s.first + s.count;
  }
  const metrics = ref.metrics.map((m, j) => {
    const agg = MetricAggregate.fromJSON(m.aggregate);
    for (const { s } of shards.slice(1)) agg.mergeFrom(MetricAggregate.fromJSON((s.metrics[j] as ShardSummary['metrics'][number]).aggregate));
    return { ...m, report: agg.report(), aggregate: agg.toJSON() };
  });
  const merged = {
    ...ref,
    shard: null,
    first: 0,
    count: expect,
    failed: shards.reduce((a, x) => a + x.s.failed, 0),
    seconds: shards.reduce((a, x) => a + x.s.seconds, 0),
    merged_from: shards.map((x) => x.dir),
    metrics,
  };
  // subject tables, in subject order
  const csv = shards.map((x) => join(x.dir, 'subjects.csv'));
  const arrow = shards.map((x) => join(x.dir, 'subjects.arrow'));
  if (csv.every((f) => existsSync(f))) {
    const parts = csv.map((f, i) => {
      const text = readFileSync(f, 'utf8');
      return i === 0 ? text : text.slice(text.indexOf('\n') + 1);
    });
    writeAtomic(join(out, 'subjects.csv'), parts.join(''));
  } else if (arrow.every((f) => existsSync(f))) {
    const tables = arrow.map((f) => tableFromIPC(readFileSync(f)));
    const first = tables[0] as NonNullable<(typeof tables)[number]>;
    const all = tables.slice(1).reduce((t, u) => t.concat(u), first);
    writeAtomic(join(out, 'subjects.arrow'), tableToIpc(all));
  }
  writeAtomic(join(out, 'summary.json'), JSON.stringify(merged, null, 1) + '\n');
  if (json) stdout(JSON.stringify({ ...merged, out, metrics: merged.metrics.map(({ aggregate: _a, ...m }) => m) }, null, 1) + '\n');
  else stdout(`merged ${shards.length} shards (${expect} subjects) into ${out}\n`);
}

function tableToIpc(t: Parameters<typeof tableToIPC>[0]): Uint8Array {
  return tableToIPC(t, 'stream');
}
