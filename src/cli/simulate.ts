// dosewise simulate: NM-TRAN rows in, the same rows out with IPRED and the amount in every
// compartment (A1..An, NONMEM's A(n)).

import { readNmtran, writeNmtran } from '../regimen/nmtran.js';
import { simulate } from '../engine/simulate.js';
import type { SolverMethod } from '../model/model.js';
import { loadModel, parseParams } from './model-arg.js';
import { isStdout, readText, writeAtomic } from './io.js';
import type { Command } from 'commander';
import { solverOptions } from './args.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface SimulateArgs {
  readonly model: string;
  readonly data: string;
  readonly param?: string[];
  readonly out?: string;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
  readonly locf?: boolean;
  readonly json?: boolean;
}

/** JSON number: NaN (a "." cell) and ±∞ as null. */
const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

export async function simulateCommand(a: SimulateArgs, stdout: (s: string) => void): Promise<void> {
  const model = await loadModel(a.model);
  const data = readNmtran(readText(a.data), { file: a.data });
  const sim = simulate(model, data.records, {
    overrides: parseParams(a.param, model),
    method: a.method,
    rtol: a.rtol,
    atol: a.atol,
    timeVarying: a.locf ? 'locf' : undefined,
    file: a.data,
  });
  const n = model.nStates;
  const extra: Record<string, Float64Array> = { IPRED: sim.ipred };
  for (let c = 0; c < n; c++) {
    const col = new Float64Array(data.records.length);
    for (let i = 0; i < col.length; i++) col[i] = (sim.amounts as Float64Array)[i * n + c] as number;
    extra[`A${c + 1}`] = col;
  }
  // --out - is standard output, as without --out
  const out = isStdout(a.out) ? undefined : a.out;
  if (out) writeAtomic(out, writeNmtran(data, extra), true);
  const names = Object.keys(extra);
  if (a.json && out) {
    stdout(JSON.stringify({ dosewise: 'simulate', version: 1, model: model.name, data: a.data, out, rows: data.records.length, ids: new Set(data.records.map((r) => r.ID)).size, columns: [...data.columns, ...names] }, null, 1) + '\n');
  } else if (a.json) {
    // one object per input row: the input columns (as numbers; "." as null), then IPRED and A1..An
    const rows = data.records.map((r, i) => {
      const o: Record<string, number | null> = {};
      for (const c of data.columns) o[c] = num(r.items[c]);
      for (const n of names) o[n] = num((extra[n] as Float64Array)[i]);
      return JSON.stringify(o);
    });
    stdout(`[\n${rows.join(',\n')}\n]\n`);
  } else if (out) stdout(`wrote ${data.records.length} rows to ${out}\n`);
  else stdout(writeNmtran(data, extra));
}

/** Adds `dosewise simulate` to a program (main.ts registers it). */
export function registerSimulate(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    program
      .command('simulate')
      .description('simulate NM-TRAN records: writes the input rows with IPRED and the amount in every compartment (A1..An)')
      .requiredOption('--model <file|name>', 'model file (JSON), model text (FILE.model), library model, or built-in structure (e.g. 2cmt-iv, advan2)')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV)')
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .option('--out <file>', 'output CSV (written atomically); default: standard output'),
  )
    .option('--locf', "time-varying data items: last observation carried forward (default: NONMEM's next observation carried backward)")
    .option('--json', 'print the rows as a JSON array of objects {ID, TIME, ..., IPRED, A1..An} (with --out: a summary of what was written)')
    .addHelpText(
      'after',
      `
Examples:
  dosewise simulate --model test/conformance/dosing-1001.model.json --data test/conformance/nmtests/dosing-1001.csv --out out/dosing-1001.csv
  dosewise simulate --model examples/map-wmap.model.json --data examples/map-patient.csv --param CL=4 --json
`,
    )
    .action((opts) => simulateCommand(opts, stdout));
}
