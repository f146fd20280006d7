// W-cli — `dosewise simulate --data` of W-gp's data set as a file: the 2,000 W-b subjects' own
// 730,000 rows (28 dose and 337 observation rows per ID, CL/V/KA on every row) written as a CSV of
// 59 MB, simulated by the command with --out (86 MB of CSV written). Each run is a process of its
// own (the command as `dosewise` runs it, from loading its modules to the renamed output); its wall
// and CPU time (user + system, the collector's threads included) and peak memory are measured, and
// the reading of the CSV alone in a process of its own. With DOSEWISE_BASELINE=<folder of another
// build> (e.g. main's HEAD), that build's command is run too, the two interleaved (A B A B …), and
// their outputs must be the same bytes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import type { DataRecord } from '../src/regimen/record.js';
import { type Figure, type RunContext, type Workload, packageRoot, wbPopulation } from './common.js';
import { gpRecords, N_GP } from './w-gp.js';

const ROUNDS = 3;

/** W-gp's records as a data file writes them (every standard column, then CL, V, KA; numbers as String() writes them). */
export function gpCsv(records: readonly DataRecord[]): string {
  const names = ['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV'] as const;
  const lines = [[...names, 'CL', 'V', 'KA'].join(',')];
  for (const r of records) lines.push([...names.map((k) => String(r[k])), String(r.items.CL), String(r.items.V), String(r.items.KA)].join(','));
  return lines.join('\n') + '\n';
}

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

// the child: the command in-process from its module's load, or the reading alone
const CHILD = `
const [root, mode, data, out] = process.argv.slice(1);
const t0 = performance.now();
const c0 = process.cpuUsage();
if (mode === 'command') {
  const { run } = await import(root + '/dist/cli/main.js');
  const code = await run(['node', 'dosewise', 'simulate', '--model', '1cmt-oral', '--data', data, '--out', out, '--method', 'analytic'], () => {});
  if (code !== 0) throw new Error('exit code ' + code);
} else {
  let cols;
  try { cols = await import(root + '/dist/src/cli/csv-columns.js'); } catch { cols = undefined; }
  if (cols) { if (!cols.readCsvColumns(data)) throw new Error('not read as columns: ' + cols.lastFallback); }
  else { const { readNmtran } = await import(root + '/dist/src/regimen/nmtran.js'); const { readFileSync } = await import('node:fs'); readNmtran(readFileSync(data, 'utf8'), { file: data }); }
}
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

function runChild(root: string, mode: 'command' | 'parse', data: string, out: string): Run {
  const t0 = performance.now();
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, root, mode, data, out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 });
  const r = JSON.parse(text.trim().split('\n').pop() as string) as Run;
  // the process's wall time, its start and module loading included
  return mode === 'command' ? { ...r, wallMs: performance.now() - t0 } : r;
}

const median = (a: readonly number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1] as number;

export const wcli: Workload = {
  id: 'w-cli',
  isolated: true,
  title: `W-cli: dosewise simulate --data of W-gp's ${N_GP.toLocaleString('en-US')} subjects as a CSV file (730,000 rows), --out CSV, one process per run`,
  async run(_ctx: RunContext) {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-wcli-'));
    try {
      const data = join(dir, 'wgp.csv');
      writeFileSync(data, gpCsv(gpRecords(wbPopulation(N_GP))));
      const builds: [string, string][] = [['this build', packageRoot()]];
      const baseline = process.env.DOSEWISE_BASELINE;
      if (baseline) builds.unshift(['baseline', baseline]);
      const runs = new Map<string, { command: Run[]; parse: Run[] }>(builds.map(([name]) => [name, { command: [], parse: [] }]));
      const loads: number[] = [];
      for (let k = 0; k < ROUNDS; k++) {
        loads.push(loadavg()[0] as number);
        for (const [name, root] of builds) {
          const out = join(dir, `out-${name === 'baseline' ? 'a' : 'b'}.csv`);
          runs.get(name)?.command.push(runChild(root, 'command', data, out));
          runs.get(name)?.parse.push(runChild(root, 'parse', data, out));
        }
      }
      if (baseline && !readFileSync(join(dir, 'out-a.csv')).equals(readFileSync(join(dir, 'out-b.csv')))) throw new Error('W-cli: the two builds wrote other outputs');
      const figures: Figure[] = [];
      for (const [name] of builds) {
        const r = runs.get(name) as { command: Run[]; parse: Run[] };
        const key = name === 'baseline' ? 'wcli.baseline' : 'wcli';
        const cpu = median(r.command.map((x) => x.cpuMs));
        const wall = median(r.command.map((x) => x.wallMs));
        figures.push(
          {
            key: `${key}.cpu_s`,
            label: `${name}: simulate --data, CPU time (user + system) per run`,
            value: cpu / 1000,
            unit: 's',
            note: `wall ${r.command.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')} s, CPU ${r.command.map((x) => (x.cpuMs / 1000).toFixed(2)).join(', ')} s, peak RSS ${r.command.map((x) => x.maxRssMb.toFixed(0)).join(', ')} MB by round; the CSV read alone: CPU ${r.parse.map((x) => (x.cpuMs / 1000).toFixed(2)).join(', ')} s, peak RSS ${r.parse.map((x) => x.maxRssMb.toFixed(0)).join(', ')} MB; load average ${loads.map((l) => l.toFixed(1)).join(', ')}`,
          },
          { key: `${key}.wall_s`, label: `${name}: simulate --data, wall time per run`, value: wall / 1000, unit: 's' },
          { key: `${key}.subjects_per_cpu_s`, label: `${name}: subjects per CPU second, the whole command`, value: N_GP / (cpu / 1000), unit: 'subjects/s' },
          { key: `${key}.parse_cpu_s`, label: `${name}: the CSV read alone, CPU time`, value: median(r.parse.map((x) => x.cpuMs)) / 1000, unit: 's' },
          { key: `${key}.max_rss_mb`, label: `${name}: peak resident memory of the command`, value: median(r.command.map((x) => x.maxRssMb)), unit: 'MB' },
        );
      }
      if (baseline) {
        const a = runs.get('baseline') as { command: Run[] };
        const b = runs.get('this build') as { command: Run[] };
        figures.push({ key: 'wcli.cpu_ratio', label: 'CPU time, baseline / this build, by round', value: median(a.command.map((x, i) => x.cpuMs / ((b.command[i] as Run).cpuMs))), unit: '×', note: a.command.map((x, i) => (x.cpuMs / (b.command[i] as Run).cpuMs).toFixed(2)).join(', ') });
      }
      return { id: 'w-cli', title: this.title, figures, details: { n: N_GP, rows: N_GP * 365, rounds: ROUNDS, baseline: baseline ?? null, runs: Object.fromEntries(runs), load_average: loads } };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
