// dosewise optimize: the best regimens for one patient (each ID of the data set) against a target,
// ranked by the probability of attainment over posterior draws (prior draws without levels).

import type { Command } from 'commander';
import { Errors } from '../errors.js';
import { byId, readNmtran } from '../regimen/nmtran.js';
import { optimizeRegimen, type OptimizeResult } from '../design/optimize.js';
import { loadModel } from './model-arg.js';
import { readText } from './io.js';

const numbers = (name: string, s: string | undefined): number[] | undefined => {
  if (s === undefined) return undefined;
  const xs = s.split(',').map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isFinite(x))) throw Errors.cli(`--${name} ${s}: expected comma-separated numbers`);
  return xs;
};

/** 250,500,...: `from:to:step` expands to a list. */
const doseList = (s: string): number[] => {
  const m = /^([\d.]+):([\d.]+):([\d.]+)$/.exec(s);
  if (!m) return numbers('doses', s) as number[];
  const [a, b, st] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!(st > 0 && b >= a)) throw Errors.cli(`--doses ${s}: expected FROM:TO:STEP with STEP > 0 and TO ≥ FROM`);
  const out: number[] = [];
  for (let d = a; d <= b + 1e-9 * b; d += st) out.push(Number(d.toPrecision(12)));
  return out;
};

export function registerOptimize(program: Command, stdout: (s: string) => void): void {
  program
    .command('optimize')
    .description('rank regimens (dose × interval × infusion time × loading dose) for each patient by the probability of reaching a target')
    .requiredOption('--model <file|name>', 'population model (with Ω and residual error)')
    .requiredOption('--data <file>', "the patient's NM-TRAN records (doses, levels, covariates); without levels the prior at the covariates is used")
    .requiredOption('--target <spec>', "target, e.g. 'auc24:400:600' or 'auc24:400:600, trough:0:20'")
    .requiredOption('--doses <list>', 'candidate doses: 500,750,1000 or FROM:TO:STEP (e.g. 250:5000:250)')
    .requiredOption('--intervals <list>', 'candidate intervals in h, e.g. 8,12,24')
    .option('--infusions <list>', 'candidate infusion durations in h (0 = bolus/oral)', '0')
    .option('--loading <list>', 'candidate loading doses (0 = none); judged over --window', '0')
    .option('--window <from:to>', 'time window judged when loading doses are searched (h)', '0:48')
    .option('--cmt <n>', 'dose compartment', Number)
    .option('--draws <n>', 'posterior draws', Number, 1000)
    .option('--seed <s>', 'seed of the draws', '1')
    .option('--top <n>', 'regimens to list', Number, 5)
    .option('--json', 'print JSON')
    .addHelpText('after', "\nExample:\n  dosewise optimize --model examples/map-wmap.model.json --data examples/map-patient.csv \\\n    --target 'auc24:400:600' --doses 250:3000:250 --intervals 8,12,24 --infusions 1,2\n")
    .action((o) => {
      const model = loadModel(o.model);
      const data = readNmtran(readText(o.data), { file: o.data });
      const w = /^([\d.]+):([\d.]+)$/.exec(o.window);
      if (!w) throw Errors.cli(`--window ${o.window}: expected FROM:TO in hours`);
      const results: (OptimizeResult & { id: number })[] = [];
      for (const [id, records] of byId(data.records)) {
        const r = optimizeRegimen(model, records, {
          doses: doseList(o.doses),
          intervals: numbers('intervals', o.intervals) as number[],
          infusions: numbers('infusions', o.infusions),
          loadingDoses: numbers('loading', o.loading),
          window: [Number(w[1]), Number(w[2])],
          cmt: o.cmt,
          target: o.target,
          draws: o.draws,
          seed: o.seed,
          top: o.top,
          file: o.data,
        });
        results.push({ id, ...r });
      }
      if (o.json) {
        stdout(JSON.stringify(results, null, 1) + '\n');
        return;
      }
      for (const r of results) {
        stdout(`ID ${r.id}: target ${r.target}; ${r.evaluated} regimens × ${r.draws} ${r.basis} draws\n`);
        if (!r.feasible) {
          stdout('  no feasible regimen: no candidate reaches the target for any draw\n');
          continue;
        }
        const names = Object.keys(r.ranked[0]?.exposure ?? {});
        stdout(`  ${'dose'.padStart(7)} ${'every'.padStart(6)} ${'inf h'.padStart(6)} ${'load'.padStart(6)} ${'PTA'.padStart(12)}  ${names.map((n) => `${n} median [90% interval]`).join('  ')}\n`);
        for (const c of r.ranked) {
          const ex = names.map((n) => {
            const e = c.exposure[n] as { median: number; lo: number; hi: number };
            return `${e.median.toPrecision(4)} [${e.lo.toPrecision(3)}, ${e.hi.toPrecision(3)}]`;
          });
          stdout(`  ${String(c.dose).padStart(7)} ${`${c.interval} h`.padStart(6)} ${String(c.infusion).padStart(6)} ${String(c.loadingDose).padStart(6)} ${`${(100 * c.pta).toFixed(1)}±${(100 * c.ptaSe).toFixed(1)}%`.padStart(12)}  ${ex.join('  ')}\n`);
        }
      }
    });
}
