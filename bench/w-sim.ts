// W-sim — replicates of a whole data set (simulate --replicates): 1,000 IDs (examples/vpc/data.csv,
// 100 subjects with their own irregular doses and sampling times, repeated 10× with new IDs) ×
// 500 replicates = 500,000 subject-replicates, η/κ/ε drawn, IPRED and DV_SIM for 6.4 M records.
// Inline, 1 worker and 2 workers, interleaved twice, each pool started (and warmed on a small run)
// before timing; the 1 → 2 worker ratio per round, and peak RSS sampled during each run. Results
// must be byte-identical across the three. The callback only sums each block, so the run passes
// reuseBlocks (as the CSV output and vpc do): block memory goes back to the workers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { defineModel } from '../src/model/model.js';
import { readNmtran } from '../src/regimen/nmtran.js';
import { inlinePool } from '../src/pool/inline.js';
import { nodePool } from '../src/pool/node.js';
import type { TaskPool } from '../src/pool/protocol.js';
import { engine } from '../src/engine/load.js';
import { handleReplicateTask, type ReplicateTask } from '../src/replicate/task.js';
import { replicateWorkerFile, simulateReplicates } from '../src/replicate/run.js';
import { type CpuSplit, type Figure, type RunContext, type Workload, cpuSplit, maybeGc, packageRoot, splitText, threadCpu } from './common.js';

const COPIES = 10;

/**
 * s + the values of a that are numbers, in order. A plain function with a local sum: summed in the
 * callback into the captured variable, each addition boxed a new heap number, and the check cost
 * the main thread ~0.12 s and a collection every few blocks per run, in every mode alike. Written
 * with `if (v === v) s += v` it still boxed one heap number per value in TurboFan's code (60 MB per
 * run, ~80 scavenges of the main thread's small young generation; measured 2026-12-07 with V8's
 * sampling heap profiler); a NaN adds 0 instead, the same sum without a collection.
 */
function addValues(s: number, a: Float64Array): number {
  let t = s;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    t += v === v ? v : 0;
  }
  return t;
}
const R = 500;

export const wsim: Workload = {
  id: 'w-sim',
  title: `W-sim replicates of a data set, ${100 * COPIES} IDs × ${R} replicates (η, κ, ε), inline / 1 / 2 workers`,
  async run(_ctx: RunContext) {
    const dir = join(packageRoot(), 'examples', 'vpc');
    const model = defineModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
    const [head, ...rows] = readFileSync(join(dir, 'data.csv'), 'utf8').trim().split('\n');
    const text = [head, ...Array.from({ length: COPIES }, (_, k) => rows.map((l) => l.replace(/^(\d+),/, (_m, id: string) => `${Number(id) + 100 * k},`))).flat()].join('\n');
    const records = readNmtran(text).records;
    const pools: Record<string, TaskPool<ReplicateTask>> = {
      inline: inlinePool<ReplicateTask>((t) => handleReplicateTask(t, engine)),
      w1: nodePool<ReplicateTask>(replicateWorkerFile(), 1),
      w2: nodePool<ReplicateTask>(replicateWorkerFile(), 2),
    };
    const times: Record<string, number[]> = { inline: [], w1: [], w2: [] };
    const rss: Record<string, number> = { inline: 0, w1: 0, w2: 0 };
    const sums: Record<string, number> = {};
    const cpu: Record<string, CpuSplit> = {};
    try {
      for (const pool of Object.values(pools)) await simulateReplicates(model, records, { replicates: 4, pool, workers: pool.size }, () => {});
      for (let round = 0; round < 2; round++) {
        for (const [name, pool] of Object.entries(pools)) {
          maybeGc();
          let sum = 0;
          const sample = setInterval(() => (rss[name] = Math.max(rss[name] as number, process.memoryUsage().rss)), 50);
          const th0 = threadCpu();
          const t0 = performance.now();
          // every value in data order: the same sum whatever the block sizes
          await simulateReplicates(model, records, { replicates: R, seed: 'w-sim', pool, workers: pool.size, reuseBlocks: true }, (b) => void (sum = addValues(sum, b.dv)));
          (times[name] as number[]).push((performance.now() - t0) / 1000);
          cpu[name] = cpuSplit(th0, threadCpu(), pool.size === 1 && name === 'inline' ? 0 : pool.size);
          clearInterval(sample);
          if (sums[name] !== undefined && sums[name] !== sum) throw new Error(`W-sim: ${name} gave different results in two rounds`);
          sums[name] = sum;
        }
      }
    } finally {
      for (const p of Object.values(pools)) await p.close();
    }
    if (new Set(Object.values(sums)).size !== 1) throw new Error(`W-sim: inline and pooled results differ (${JSON.stringify(sums)})`);
    const n = R * 100 * COPIES;
    const best = (k: string): number => Math.min(...(times[k] as number[]));
    const ratios = (times.w1 as number[]).map((t, i) => t / ((times.w2 as number[])[i] as number));
    const figures: Figure[] = [
      { key: 'wsim.inline.per_s', label: `${n.toLocaleString('en-US')} subject-replicates, this thread (best of 2)`, value: n / best('inline'), unit: 'subject-replicates/s', note: `runs ${(times.inline as number[]).map((t) => t.toFixed(2)).join(', ')} s; last run ${splitText(cpu.inline as CpuSplit)}` },
      { key: 'wsim.w1.per_s', label: '1 worker (best of 2)', value: n / best('w1'), unit: 'subject-replicates/s', note: `runs ${(times.w1 as number[]).map((t) => t.toFixed(2)).join(', ')} s; last run ${splitText(cpu.w1 as CpuSplit)}` },
      { key: 'wsim.w2.per_s', label: '2 workers (best of 2)', value: n / best('w2'), unit: 'subject-replicates/s', note: `runs ${(times.w2 as number[]).map((t) => t.toFixed(2)).join(', ')} s; last run ${splitText(cpu.w2 as CpuSplit)}` },
      {
        key: 'wsim.ratio_1_to_2',
        label: '1 → 2 workers, per round (lower of 2 rounds)',
        value: Math.min(...ratios),
        unit: '×',
        target: { min: 1.85, text: '≥ 1.85×' },
        note: `rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; load average ${(loadavg()[0] ?? 0).toFixed(1)} on ${availableParallelism()} CPUs`,
      },
      { key: 'wsim.rss_mb', label: 'peak RSS during a run (inline / 1 / 2 workers)', value: Math.max(...Object.values(rss)) / 2 ** 20, unit: 'MB', note: Object.entries(rss).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(0)} MB`).join(', ') },
    ];
    return { id: 'w-sim', title: this.title, figures, details: { ids: 100 * COPIES, replicates: R, records: records.length, times, rss, cpu } };
  },
};
