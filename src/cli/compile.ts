// dosewise compile FILE.model: checks a model text, shows what it means (compartments, which
// quantities are computed per record and which in the kernel, the solver), compiles its kernel
// (or finds it in the cache) and can write the portable JSON form (text + compiled module), which
// workers and browsers load without a compiler, and the generated AssemblyScript source.

import type { Command } from 'commander';
import { compileModelText } from '../model/text/index.js';
import { compileModel } from '../engine/model-text.js';
import { EXACT_MAX_STATES, resolveMethod } from '../engine/simulate.js';
import { Method } from '../abi.js';
import { solverSetup } from '../engine/problem.js';
import type { Model } from '../model/model.js';
import { tolText } from '../design/occupancy/occupancy.js';
import { defaultCacheDir, kernelKey } from '../engine/kernel-compiler.js';
import { readText, writeAtomic } from './io.js';

export interface CompileArgs {
  readonly out?: string;
  readonly source?: string;
  readonly json?: boolean;
}

export async function compileCommand(file: string, a: CompileArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const text = readText(file, 'the model text');
  const c = compileModelText(text, file);
  const t = c.model;
  let from = '';
  let ms = 0;
  const model = await compileModel(text, {
    file,
    signal,
    onCompileStart: () => process.stderr.write(`dosewise: compiling the kernel of ${file} (first use with this engine; cached afterwards)\n`),
    onKernel: (k) => {
      from = k.from;
      ms = k.ms;
    },
  });
  const wasm = model.kernel?.wasm as Uint8Array;
  const json = `${JSON.stringify(model.file)}\n`;
  if (a.out) writeAtomic(a.out, json, false, '--out');
  if (a.source) writeAtomic(a.source, c.source, false, '--source');
  const exact = resolveMethod(model, undefined) === Method.Analytic;
  const solver =
    t.solver.method !== 'auto'
      ? t.solver.method
      : exact
        ? 'auto: analytic (linear in the compartments: exact propagation between events)'
        : `auto at rtol ${tolText(model.solver.rtol)}: ${autoMethods(model)} (${c.program.linear ? `more than ${EXACT_MAX_STATES} compartments for exact propagation` : 'not linear in the compartments, or t on the right-hand side'})`;
  const cacheFile = `${defaultCacheDir()}/${kernelKey(c.source)}.wasm`;
  if (a.json) {
    stdout(
      `${JSON.stringify(
        {
          dosewise: 'compile',
          version: 1,
          file,
          name: model.name,
          compartments: t.kernel.states,
          perRecord: t.parameters.map((p) => p.name),
          inKernel: t.kernel.locals.map((l) => l.name),
          kernelInputs: t.kernel.inputs,
          etas: t.omega?.names ?? [],
          covariates: Object.keys(t.covariates),
          outputs: (t.outputs ?? []).map((o) => ({ dvid: o.dvid, name: o.name ?? null, unit: o.unit ?? null, compartment: o.compartment, residual: o.residual })),
          solver: t.solver.method === 'auto' ? (exact ? 'analytic' : 'auto') : t.solver.method,
          warnings: t.warnings,
          kernel: { id: c.id, bytes: wasm.length, from, ms, cache: cacheFile },
          out: a.out ?? null,
          source: a.source ?? null,
        },
        null,
        1,
      )}\n`,
    );
    return;
  }
  const lines = [
    `${file}: ${model.name}`,
    `  compartments (CMT 1..${t.kernel.states.length}): ${t.kernel.states.join(', ')}`,
    `  per record: ${t.parameters.map((p) => p.name).join(', ') || '(none)'}`,
    `  in the kernel: ${t.kernel.locals.map((l) => l.name).join(', ') || '(no intermediates)'}; reads ${t.kernel.inputs.join(', ')} (${t.kernel.inputs.length} per-record values, ${model.parStride} doubles per parameter set)`,
    ...(t.omega ? [`  random effects: ${t.omega.names.join(', ')}${t.iov ? `; occasion effects ${t.iov.names.join(', ')} by ${t.iov.occasion}` : ''}`] : []),
    ...(t.outputs
      ? [`  outputs (DVID): ${t.outputs.map((o) => `${o.dvid} ${o.name ?? `output ${o.dvid}`} (${t.kernel.states[o.compartment - 1]}, ${o.residual.model}${o.unit ? `, ${o.unit}` : ''})`).join('; ')}; the first is what CMT 0 and dose rows show`]
      : []),
    `  solver: ${solver}`,
    `  kernel ${c.id}: ${(wasm.length / 1024).toFixed(1)} KiB, ${from === 'compiler' ? `compiled in ${(ms / 1000).toFixed(1)} s` : `from the ${from === 'disk' ? 'disk cache' : 'cache'} (${ms.toFixed(1)} ms)`}`,
  ];
  lines.push(...t.warnings);
  if (a.out) lines.push(`wrote ${a.out}: the model text with its compiled module (loads in workers and browsers without a compiler)`);
  if (a.source) lines.push(`wrote ${a.source}: the generated AssemblyScript kernel`);
  stdout(`${lines.join('\n')}\n`);
}

export function registerCompile(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  program
    .command('compile')
    .description('check a model text (FILE.model), compile its WebAssembly kernel (cached) and show what it means')
    .argument('<file>', 'model text')
    .option('--out <file>', 'write the portable JSON form: the text with its compiled module (for browsers and machines without the compiler)')
    .option('--source <file>', 'write the generated AssemblyScript kernel')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  dosewise compile examples/user-models/tmdd.model
  dosewise compile examples/user-models/two-cmt-oral.model --out out/two-cmt-oral.json --source out/two-cmt-oral.kernel.ts
  dosewise simulate --model examples/user-models/tmdd.model --data examples/map-patient.csv --json
`,
    )
    .action((file: string, opts: CompileArgs) => compileCommand(file, opts, stdout, signal));
}

/**
 * What 'auto' runs at the model's rtol, as the engine resolves it (solverSetup): the description said
 * dopri5 where at the default rtol 1e-8 every subject starts with DOP853.
 */
function autoMethods(model: Model): string {
  return solverSetup(model, Method.Auto).method === Method.AutoTight
    ? 'dop853, dopri5 from where its steps are held by stability, rosenbrock for a subject once stiff'
    : 'dopri5, rosenbrock for a subject once stiff';
}
