// Runs the benchmark workloads (all, or those named on the command line: w-a w-b w-c w-d w-e …), prints
// one table with PASS/MISS against the targets, and writes bench/results.json (tmp + rename; a
// run of some workloads replaces only theirs).
// Usage: npm run bench [-- w-b w-c]

import { limitInlining } from '../src/pool/inlining.js';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { type RunContext, type Workload, type WorkloadResult, cpuPressure, fmt, maybeGc, packageRoot, verdict } from './common.js';
import { wa } from './w-a-single.js';
import { wb } from './w-b-batch.js';
import { wc } from './w-c-plain-ts.js';
import { wd } from './w-d-scipy.js';
import { we } from './w-e-population.js';
import { wmap } from './w-map.js';
import { wmapOde } from './w-map-ode.js';
import { wband } from './w-band.js';
import { woptimize } from './w-optimize.js';
import { wtext } from './w-text.js';
import { wstart } from './w-start.js';
import { wsim } from './w-sim.js';
import { wode } from './w-ode.js';
import { wgp } from './w-gp.js';
import { wgpColumns } from './w-gp-columns.js';
import { wcli } from './w-cli.js';
import { wceiling } from './w-ceiling.js';

// W-ceiling first: it reads the load average before its rounds, which the other workloads raise
const ALL: readonly Workload[] = [wceiling, wa, wb, wc, wd, we, wmap, wmapOde, wband, woptimize, wtext, wstart, wsim, wode, wgp, wgpColumns, wcli];

function select(argv: readonly string[]): Workload[] {
  const names = argv.map((a) => a.toLowerCase());
  if (names.length === 0) return [...ALL];
  const picked = ALL.filter((w) => names.includes(w.id) || names.includes(w.id.replace('-', '')));
  const unknown = names.filter((n) => !ALL.some((w) => w.id === n || w.id.replace('-', '') === n));
  if (unknown.length) throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${ALL.map((w) => w.id).join(', ')}`);
  return picked;
}

function printTable(results: readonly WorkloadResult[]): void {
  const rows: string[][] = [['workload', 'figure', 'value', 'unit', 'target', '']];
  for (const r of results) {
    if (r.skipped) rows.push([r.id, `SKIPPED: ${r.skipped}`, '', '', '', '']);
    for (const f of r.figures) rows.push([r.id, f.label, fmt(f.value), f.unit, f.target?.text ?? '', verdict(f)]);
  }
  const w = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c === 2 ? cell.padStart(w[c] ?? 0) : cell.padEnd(w[c] ?? 0))).join('  ').trimEnd();
  console.log();
  console.log(line(rows[0] ?? []));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
  const notes = results.flatMap((r) => r.figures.filter((f) => f.note).map((f) => `  ${r.id} ${f.label}: ${f.note}`));
  if (notes.length) console.log(`\nnotes:\n${notes.join('\n')}`);
}

/** Marks the one JSON line a workload's own process prints (run.ts --isolated ID). */
const RESULT_LINE = 'dosewise-bench-result ';

/** Runs an isolated workload in a fresh process (same flags) and returns its result. */
function runIsolated(w: Workload): WorkloadResult {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--isolated', w.id], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.split('\n').find((l) => l.startsWith(RESULT_LINE));
  if (!line) throw new Error(`${w.id}: its process printed no result`);
  return JSON.parse(line.slice(RESULT_LINE.length)) as WorkloadResult;
}

async function main(): Promise<void> {
  // the compiler budget of the dosewise command and of every Node pool, for every workload alike
  limitInlining();
  if (process.argv[2] === '--isolated') {
    const [w] = select(process.argv.slice(3));
    if (!w) throw new Error('--isolated needs a workload');
    console.log(RESULT_LINE + JSON.stringify(await w.run(new Map())));
    return;
  }
  const chosen = select(process.argv.slice(2));
  const ctx: RunContext = new Map();
  const results: WorkloadResult[] = [];
  const started = Date.now();
  const loadAvgStart = loadavg();
  const pressureStart = cpuPressure();
  if ((loadAvgStart[0] ?? 0) > cpus().length) console.log(`note: load average ${loadAvgStart[0]?.toFixed(1)} on ${cpus().length} CPUs, CPU pressure ${pressureStart ?? 'n/a'} %; other work shares the machine (single-thread population figures use CPU time; W-e worker-pool figures are wall time)`);
  for (const w of chosen) {
    const t0 = Date.now();
    process.stdout.write(`${w.id}: ${w.title} ... `);
    maybeGc();
    const r = w.isolated ? runIsolated(w) : await w.run(ctx);
    results.push(r);
    console.log(r.skipped ? `skipped (${r.skipped})` : `done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  printTable(results);

  const doc = {
    generated: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    gc_exposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    load_average_at_start: loadAvgStart,
    load_average_at_end: loadavg(),
    cpu_pressure_some_avg10_pct_at_start: pressureStart,
    cpu_pressure_some_avg10_pct_at_end: cpuPressure(),
    clocks:
      'population figures (W-b, W-c, W-d dosewise) are on process CPU time, so they are per core; W-a is wall-clock median; wall medians are in details; ' +
      'W-e (worker pool) is on wall time, with process and per-thread CPU time and the load average of each run in details',
    wall_s: (Date.now() - started) / 1000,
    workloads: Object.fromEntries(
      results.map((r) => [
        r.id,
        {
          title: r.title,
          skipped: r.skipped ?? null,
          figures: Object.fromEntries(
            r.figures.map((f) => [
              f.key,
              { label: f.label, value: f.value, unit: f.unit, target: f.target ?? null, verdict: verdict(f) || null, note: f.note ?? null },
            ]),
          ),
          details: r.details,
        },
      ]),
    ),
  };
  const file = join(packageRoot(), 'bench', 'results.json');
  // a run of some workloads updates theirs and keeps the others' last figures (each stamped with its run)
  const stamped = Object.fromEntries(Object.entries(doc.workloads).map(([k, v]) => [k, { ...v, generated: doc.generated }]));
  let previous: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      previous = (JSON.parse(readFileSync(file, 'utf8')) as { workloads?: Record<string, unknown> }).workloads ?? {};
    } catch {
      previous = {};
    }
  }
  const merged = { ...doc, workloads: { ...previous, ...stamped } };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(tmp, file);
  console.log(`\nwrote ${file} (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
