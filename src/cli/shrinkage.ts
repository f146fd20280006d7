// dosewise shrinkage: η-shrinkage of a data set's MAP estimates (1 − SD(η̂)/ω and 1 − Var(η̂)/ω²
// per η, as NONMEM reports ETASHRINKSD / ETASHRINKVR): how much the levels told about each η.
// The estimates are those of `dosewise estimate` (same options, on the worker pool from 200 IDs on).

import type { Command } from 'commander';
import { shrinkage, type Shrinkage } from '../bayes/shrinkage.js';
import { ETA_NOT_ESTIMATED_CODE } from '../bayes/overridden-effects.js';
import { etaNotEstimatedGroups } from './eta-not-estimated.js';
import { loadModelJson } from './model-arg.js';
import { AMOUNT_LEVEL_CODE, amountObservationWarnings } from '../engine/amount-observations.js';
import { blqFlag, type DataRecord } from '../regimen/record.js';
import { solverOptions, workersArg } from './args.js';
import { type EstimateArgs, POOL_FROM_IDS, estimateAll, estimateOptions, fmt, patients, refuseUnestimated, table } from './estimate.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export async function shrinkageCommand(a: EstimateArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<Shrinkage> {
  const { json, model } = await loadModelJson(a.model, signal);
  // shrinkage needs the modes only: no posterior covariance per fit
  // shrinkage reads η only: no covariance, level checks or convergence report
  const opts = { ...estimateOptions(a, model), covariance: false, warnings: false, report: false };
  const list = patients(a);
  const fits = await estimateAll(a, json, model, list, opts, signal);
  // the fits' warnings are off (shrinkage reads η only), and with them estimate()'s W_LEVEL_AMOUNT:
  // η̂ fitted to CMT 2's peripheral amounts read as concentrations gave a shrinkage without a word.
  // Said once for the data set, as vpc says it.
  // and W_ETA_NOT_ESTIMATED: an η only --param's parameters read has no shrinkage ('.')
  // and a data column that pins the parameter (CL on the records), said once with the IDs as estimate
  // says it (it judged --param alone: a CL column left ETA_CL's shrinkage '.' without a word)
  const amounts = amountObservationWarnings(model, list.flatMap(([, records]) => records)).map((message) => ({ code: AMOUNT_LEVEL_CODE, message }));
  const pinned = etaNotEstimatedGroups(model, list, opts.overrides).map(({ who, message }) => ({ who, code: ETA_NOT_ESTIMATED_CODE, message }));
  const warnings = [...amounts, ...pinned.map(({ who, code, message }) => ({ code, message: `${who}: ${message}` }))];
  for (const w of amounts) process.stderr.write(`dosewise: warning: ${a.data}: ${w.code}: ${w.message}\n`);
  for (const w of pinned) process.stderr.write(`dosewise: warning: ${a.data}, ${w.who}, ${w.code}: ${w.message}\n`);
  // an ID without an estimate has η̂ = 0, the prior mode: counted, it raised the shrinkage (57.6 % for 43.9 %)
  refuseUnestimated(a.data, list, fits);
  const s = shrinkage(model, fits);
  // IDs without levels have η̂ = 0, the prior mode, and count (NONMEM's default, ETASTYPE=0): said,
  // with the shrinkage over the IDs with levels beside it (ETASTYPE=1)
  const measured = list.map(([, records]) => hasLevel(records, a.blq !== false, a.data));
  const none = measured.filter((m) => !m).length;
  const withLevels = none > 0 && list.length - none >= 2 ? shrinkage(model, fits.filter((_, i) => measured[i])) : undefined;
  const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '.');
  if (a.json) {
    const w = withLevels && { n: withLevels.n, mean: withLevels.mean, sdEta: withLevels.sdEta, sd: withLevels.sd, variance: withLevels.variance };
    stdout(`${JSON.stringify({ n: s.n, names: s.names, omega: s.omega, mean: s.mean, sdEta: s.sdEta, sd: s.sd, variance: s.variance, withoutLevels: none, withLevels: w ?? null, warnings })}\n`);
  } else {
    stdout(`${model.name}: η-shrinkage over ${s.n} ID${s.n === 1 ? '' : 's'} of ${a.data}\n`);
    stdout(table([['η', 'ω', 'mean η̂', 'SD η̂', 'shrinkage (SD)', 'shrinkage (var)'], ...s.names.map((n, i) => [n, fmt(s.omega[i] as number), fmt(s.mean[i] as number), fmt(s.sdEta[i] as number), pct(s.sd[i] as number), pct(s.variance[i] as number)])]));
    if (none > 0) {
      const without = withLevels
        ? `without them (${withLevels.n} IDs): ${withLevels.names.map((n, i) => `${n} ${pct(withLevels.sd[i] as number)} (SD), ${pct(withLevels.variance[i] as number)} (var)`).join('; ')}`
        : `fewer than 2 IDs have levels, so there is no shrinkage without them`;
      stdout(`  note: ${none} of ${s.n} IDs ${none === 1 ? 'has' : 'have'} no levels; their η̂ = 0 (the prior mode) are included, as NONMEM's default (ETASTYPE=0); ${without}\n`);
    }
  }
  return s;
}

/** Whether an ID has a level the estimate fits: an observation (EVID 0, MDV 0) with a DV, or a BLQ one (M3). */
function hasLevel(records: readonly DataRecord[], blq: boolean, file: string): boolean {
  return records.some((r) => r.EVID === 0 && r.MDV === 0 && (Number.isFinite(r.DV) || (blq && blqFlag(r, 'BLQ', file))));
}

/** Adds `dosewise shrinkage` to a program (main.ts registers it). */
export function registerShrinkage(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('shrinkage')
      .description('η-shrinkage of the MAP estimates of a data set: 1 − SD(η̂)/ω and 1 − Var(η̂)/ω² per η')
      .requiredOption('--model <file|name>', 'model file (JSON) or model text with omega and residual, or library model')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV) with several IDs and their levels (DV)')
      .option('--json', 'print {n, names, omega, mean, sdEta, sd, variance, withoutLevels, withLevels, warnings} as JSON (withLevels: the same over the IDs with levels, when some have none)')
      .option('--id <N>', 'only this ID (repeatable)', collect)
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .option('--no-blq', 'ignore BLQ flags (treat every sample as quantified)'),
  )
    .option('--no-progress', 'no progress bar (shown from 10 IDs on)')
    .option('--workers <K>', `worker threads (default: one per core from ${POOL_FROM_IDS} IDs on, this thread below): K (0 = this thread) or auto`, workersArg)
    .addHelpText(
      'after',
      `
Examples:
  dosewise shrinkage --model examples/vpc/model.json --data examples/vpc/data.csv
  dosewise shrinkage --model examples/vpc/model.json --data examples/vpc/data.csv --workers 2 --json
`,
    )
    .action(async (opts) => void (await shrinkageCommand(opts, stdout, signal)));
}
