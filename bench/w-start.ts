// W-start — start-up of the command line: wall time of whole `dosewise` processes (node start,
// module loading, engine instantiation, the work, exit), median of several runs, beside a bare
// `node -e 0` in the same run. A command loads only its own modules (src/cli/main.ts), and the
// Arrow library only when an Arrow table is written.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Figure, type Workload, packageRoot } from './common.js';

const RUNS = 7;

function medianWallMs(args: readonly string[], cwd: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`w-start: ${args.join(' ')} exited with ${r.status}: ${r.stderr?.toString().slice(0, 300)}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export const wstart: Workload = {
  id: 'w-start',
  title: 'Command start-up: whole dosewise processes (node start, module loading, engine, work, exit)',
  async run() {
    const root = packageRoot();
    const bin = join(root, 'bin', 'dosewise.js');
    const node = medianWallMs(['-e', '0'], root);
    const help = medianWallMs([bin, '--help'], root);
    const simHelp = medianWallMs([bin, 'simulate', '--help'], root);
    const sim = medianWallMs([bin, 'simulate', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--json'], root);
    const figures: Figure[] = [
      { key: 'start.node_ms', label: 'node -e 0 (the floor)', value: node, unit: 'ms' },
      { key: 'start.help_ms', label: 'dosewise --help (loads every command)', value: help, unit: 'ms' },
      { key: 'start.simulate_help_ms', label: 'dosewise simulate --help', value: simHelp, unit: 'ms' },
      {
        key: 'start.simulate_ms',
        label: 'tiny simulate (1 patient, 8 records, 2-cmt model file, JSON out)',
        value: sim,
        unit: 'ms',
        target: { max: 300, text: '≤ 300 ms' },
        note: `median of ${RUNS} processes each; node itself ${node.toFixed(0)} ms`,
      },
    ];
    return { id: 'w-start', title: this.title, figures, details: { runs: RUNS, node_ms: node, help_ms: help, simulate_help_ms: simHelp, simulate_ms: sim } };
  },
};
