// dosewise demo: a quick built-in example (`npm start` runs the flagship study instead). A
// two-compartment antibiotic-like regimen (1 g as 1-h infusions q12h for 7 days), simulated
// analytically and with both ODE solvers, with the exposure figures a clinician reads off it.

import { builtinModel } from '../model/model.js';
import { regimen } from '../regimen/builder.js';
import { simulate } from '../engine/simulate.js';
import type { Command } from 'commander';

export function demoCommand(stdout: (s: string) => void, json = false): void {
  const model = builtinModel('2cmt-iv', { CL: 4, V: 30, Q: 6, V2: 50 });
  const recs = regimen()
    .dose({ time: 0, amt: 1000, dur: 1, addl: 13, ii: 12 })
    .observe({ grid: { from: 0, to: 168, step: 0.5 } })
    .records();
  const t0 = performance.now();
  const a = simulate(model, recs, { method: 'analytic' });
  const t1 = performance.now();
  const d = simulate(model, recs, { method: 'dopri5' });
  const r = simulate(model, recs, { method: 'rosenbrock' });
  const obs = recs.map((x, i) => ({ t: x.TIME, evid: x.EVID, c: a.ipred[i] as number })).filter((x) => x.evid === 0);
  const last = obs.filter((x) => x.t >= 156 && x.t <= 168);
  let auc = 0;
  for (let i = 1; i < last.length; i++) {
    const p = last[i - 1] as { t: number; c: number };
    const q = last[i] as { t: number; c: number };
    auc += ((q.t - p.t) * (p.c + q.c)) / 2;
  }
  let maxDiff = 0;
  recs.forEach((_, i) => {
    const x = a.ipred[i] as number;
    for (const y of [d.ipred[i] as number, r.ipred[i] as number]) maxDiff = Math.max(maxDiff, Math.abs(x - y) / Math.max(Math.abs(x), 1e-9));
  });
  const times = [0.5, 1, 2, 6, 11.5, 12, 13, 24, 72, 156, 157, 167.5];
  const cmax = Math.max(...last.map((x) => x.c));
  const trough = (last[last.length - 1] as { c: number }).c;
  if (json) {
    stdout(
      JSON.stringify(
        {
          dosewise: 'demo',
          version: 1,
          model: { structure: '2cmt-iv', parameters: { CL: 4, V: 30, Q: 6, V2: 50 } },
          regimen: { amt: 1000, infusion: 1, interval: 12, doses: 14 },
          concentrations: times.flatMap((t) => obs.filter((x) => x.t === t).map((x) => ({ time: t, conc: x.c }))),
          lastInterval: { from: 156, to: 168, cmax, trough, auc, cavg: auc / 12, aucTheory: 1000 / 4 },
          analyticMs: t1 - t0,
          maxRelativeDifference: maxDiff,
        },
        null,
        1,
      ) + '\n',
    );
    return;
  }
  const fmt = (v: number) => v.toFixed(3).padStart(9);
  stdout('dosewise demo: 2-compartment model (CL 4 L/h, V 30 L, Q 6 L/h, V2 50 L)\n');
  stdout('regimen: 1000 mg as 1-h infusions every 12 h for 7 days\n\n');
  stdout('   time h   conc mg/L\n');
  for (const t of times) {
    const o = obs.find((x) => x.t === t);
    if (o) stdout(`${fmt(t)}  ${fmt(o.c)}\n`);
  }
  const css = auc / 12;
  stdout(`\nlast interval (156-168 h): Cmax ${cmax.toFixed(2)} mg/L, trough ${trough.toFixed(2)} mg/L,`);
  stdout(` AUC ${auc.toFixed(1)} mg·h/L (theory at steady state: dose/CL = ${(1000 / 4).toFixed(1)}), Css,avg ${css.toFixed(2)} mg/L\n`);
  stdout(`analytic simulation: ${(t1 - t0).toFixed(2)} ms; max relative difference analytic vs Dormand–Prince and Rosenbrock: ${maxDiff.toExponential(2)}\n`);
}

/** Adds `dosewise demo` to a program (main.ts registers it). */
export function registerDemo(program: Command, stdout: (s: string) => void): void {
  program.command('demo')
    .description('a quick built-in example: a 2-compartment regimen simulated analytically and with both ODE solvers (`npm start` runs `study vancomycin`)')
    .option('--json', 'print the figures as JSON')
    .addHelpText('after', '\nExamples:\n  dosewise demo\n  dosewise demo --json\n')
    .action((opts: { json?: boolean }) => demoCommand(stdout, opts.json === true));
}
