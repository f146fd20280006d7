// W-d — dosewise against SciPy on W-b: runs bench/scipy/wb.py (odeint, solve_ivp RK45 and LSODA,
// piecewise between doses, rtol 1e-8, atol 1e-10) and sets its seconds per subject beside
// dosewise's (dopri5 and analytic) from W-b in this same run, or measured here if W-b was not run.
// Skipped, with a note, when python3 cannot import scipy.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { engine } from '../src/engine/load.js';
import { Chunker, type Figure, type RunContext, type Workload, WB, must, packageRoot, relErr, timeTasks } from './common.js';
import { CHUNK, checkTypical, population } from './w-b-batch.js';

const N_SCIPY = 200;
export const TARGET_OVER_SCIPY = 100;

interface ScipyResult {
  n: number;
  odeint_s_per_subject: number;
  solve_ivp_rk45_s_per_subject: number;
  solve_ivp_lsoda_s_per_subject: number;
  check_c24: number;
  scipy: string;
  numpy: string;
}

function python(args: string[], timeoutMs: number): { ok: boolean; out: string; err: string } {
  const r = spawnSync('python3', args, { encoding: 'utf8', timeout: timeoutMs, cwd: packageRoot() });
  return { ok: r.status === 0 && !r.error, out: r.stdout ?? '', err: r.error ? r.error.message : (r.stderr ?? '') };
}

interface PerSubject {
  /** CPU seconds per subject. */
  readonly ode: number;
  readonly analytic: number;
  /** Wall seconds per subject (SciPy's perf_counter is a wall clock: the ratios use these). */
  readonly odeWall: number;
  readonly analyticWall: number;
}

/** dosewise seconds per W-b subject (medians), measured here when W-b did not run. */
function ownDosewise(): PerSubject {
  const pop = population();
  const eng = engine();
  checkTypical(pop, eng);
  const ca = new Chunker(pop, 'analytic');
  const cd = new Chunker(pop, 'dopri5');
  const nA = 50_000;
  const nD = 2_000;
  const t = timeTasks(
    [
      ['analytic', () => ca.runAll(eng, nA, CHUNK)],
      ['dopri5', () => cd.runAll(eng, nD, CHUNK)],
    ],
    { iterations: 3, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
  );
  const a = must(t.get('analytic'), 'timing');
  const d = must(t.get('dopri5'), 'timing');
  return { analytic: a.medianMs / 1000 / nA, ode: d.medianMs / 1000 / nD, analyticWall: a.wallMedianMs / 1000 / nA, odeWall: d.wallMedianMs / 1000 / nD };
}

export const wd: Workload = {
  id: 'w-d',
  title: `W-d dosewise vs SciPy on W-b (${N_SCIPY} SciPy subjects)`,
  async run(ctx: RunContext) {
    const probe = python(['-c', 'import scipy, numpy'], 30_000);
    if (!probe.ok) {
      return { id: 'w-d', title: this.title, figures: [], details: { reason: probe.err.trim() }, skipped: 'python3 cannot import scipy' };
    }
    const script = join(packageRoot(), 'bench', 'scipy', 'wb.py');
    const r = python([script, '--n', String(N_SCIPY)], 600_000);
    if (!r.ok) throw new Error(`W-d: ${script} failed:\n${r.err}`);
    const last = r.out.trim().split('\n').pop() ?? '';
    const sp = JSON.parse(last) as ScipyResult;
    if (!(relErr(sp.check_c24, WB.check24) <= 1e-6)) throw new Error(`W-d: SciPy C(24) = ${sp.check_c24}, expected ${WB.check24}`);

    const keys = ['wb.dopri5.s_per_subject', 'wb.analytic.s_per_subject', 'wb.dopri5.wall_s_per_subject', 'wb.analytic.wall_s_per_subject'];
    const fromWb = keys.every((k) => ctx.has(k));
    const dw: PerSubject = fromWb
      ? {
          ode: must(ctx.get('wb.dopri5.s_per_subject'), 'W-b'),
          analytic: must(ctx.get('wb.analytic.s_per_subject'), 'W-b'),
          odeWall: must(ctx.get('wb.dopri5.wall_s_per_subject'), 'W-b'),
          analyticWall: must(ctx.get('wb.analytic.wall_s_per_subject'), 'W-b'),
        }
      : ownDosewise();

    const scipy = {
      odeint: sp.odeint_s_per_subject,
      'solve_ivp RK45': sp.solve_ivp_rk45_s_per_subject,
      'solve_ivp LSODA': sp.solve_ivp_lsoda_s_per_subject,
    } as const;
    const figures: Figure[] = [];
    for (const [name, s] of Object.entries(scipy)) {
      figures.push({ key: `wd.scipy.${name.replace(/\W+/g, '_')}.us_per_subject`, label: `SciPy ${name}`, value: s * 1e6, unit: 'µs/subject' });
    }
    figures.push({ key: 'wd.dosewise.dopri5.us_per_subject', label: 'dosewise dopri5 (batch, wall)', value: dw.odeWall * 1e6, unit: 'µs/subject' });
    figures.push({ key: 'wd.dosewise.analytic.us_per_subject', label: 'dosewise analytic (batch, wall)', value: dw.analyticWall * 1e6, unit: 'µs/subject' });
    for (const [what, t] of [['dopri5', dw.odeWall], ['analytic', dw.analyticWall]] as const) {
      for (const [name, s] of Object.entries(scipy)) {
        figures.push({
          key: `wd.ratio.${what}_vs_${name.replace(/\W+/g, '_')}`,
          label: `dosewise ${what} vs SciPy ${name}, per subject`,
          value: s / t,
          unit: '×',
          target: { min: TARGET_OVER_SCIPY, text: '≥ 100×' },
        });
      }
    }
    return {
      id: 'w-d',
      title: this.title,
      figures,
      details: {
        scipy: sp,
        dosewise_s_per_subject: dw,
        dosewise_source: fromWb ? 'W-b, this run' : 'measured in W-d (W-b not selected)',
        note: 'SciPy subjects are drawn by numpy default_rng (same IIV, different draws). Ratios are wall clock against wall clock (SciPy times with perf_counter); dosewise CPU-time figures are in dosewise_s_per_subject.',
      },
    };
  },
};
