// W-ode — non-linear ODE models on the W-b regimen (500 mg every 12 h × 28, hourly observations
// 0..336 h, rtol 1e-8, atol 1e-10), one core (CPU time), per integrator:
//   - Michaelis–Menten oral (built-in 'mm-oral'), 1,000 subjects, IIV on VMAX, KM, KA;
//   - full TMDD (built-in 'tmdd', doses into the central compartment), 500 subjects, IIV on
//     KEL, V, KINT.
// For each method: subjects/s, accepted steps and rhs evaluations per subject (the engine's own
// counters, odeWork), and the largest relative error over all observations against a reference
// solve at rtol 1e-12 (DOP853, atol 1e-14; its distance to Dormand–Prince at the same tolerance
// is reported as the reference's own uncertainty). A tolerance sweep of dopri5 against dop853
// finds the rtol below which DOP853 is faster (Method.Auto's switch, DOP853_RTOL in
// assembly/ode/segment.ts). SciPy LSODA (odeint, bench/scipy/ode.py) runs beside when python3
// imports scipy. Targets: 10× mrgsolve's LSODA (MM 1,613 /s, TMDD 969 /s per core).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtinModel, type Model } from '../src/model/model.js';
import { fillKernel } from '../src/model/structure.js';
import { compileForModel, resolveMethod } from '../src/engine/simulate.js';
import { solverSetup } from '../src/engine/problem.js';
import { KIND_CODE } from '../src/model/structure.js';
import { PAR_STRIDE } from '../src/abi.js';
import { engine } from '../src/engine/load.js';
import type { BatchInput } from '../src/engine/wasm.js';
import type { SolverMethod } from '../src/model/model.js';
import { RawKernel } from './raw.js';
import { Rng, WB, type Figure, type Workload, must, packageRoot, timeTasks, wbRecords } from './common.js';

interface Case {
  readonly id: 'mm' | 'tmdd';
  readonly label: string;
  readonly structure: string;
  readonly typical: Readonly<Record<string, number>>;
  readonly omega2: Readonly<Record<string, number>>;
  readonly n: number;
  /** 10× mrgsolve's subjects/s (the issue's target). */
  readonly target: number;
  readonly methods: readonly SolverMethod[];
}

export const CASES: readonly Case[] = [
  {
    id: 'mm', label: 'Michaelis–Menten oral', structure: 'mm-oral', n: 1000, target: 16_130,
    typical: { V: 50, VMAX: 50, KM: 2, KA: 1.2, CL: 5 }, omega2: { VMAX: 0.09, KM: 0.25, KA: 0.25 },
    methods: ['dopri5', 'dop853', 'taylor', 'auto'],
  },
  {
    id: 'tmdd', label: 'TMDD', structure: 'tmdd', n: 500, target: 9_690,
    typical: { V: 3, KEL: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1, KDEG: 0.25 }, omega2: { KEL: 0.09, V: 0.04, KINT: 0.09 },
    methods: ['dopri5', 'dop853', 'auto', 'rosenbrock'],
  },
];
const SWEEP = [1e-4, 1e-6, 1e-8, 1e-10];
const N_SWEEP = 100;
const N_WORK = 100;
const N_SCIPY = 100;
const CHUNK = 250;

interface Pop {
  readonly model: Model;
  readonly job: (method: SolverMethod, from: number, to: number, rtol?: number, atol?: number) => BatchInput;
  readonly nOut: number;
  readonly obsRows: readonly number[];
}

export function population(c: Case): Pop {
  const model = builtinModel(c.structure, c.typical);
  const records = wbRecords();
  const compiled = compileForModel(model, records);
  const sets = compiled.params.length / PAR_STRIDE;
  const fill = (val: Readonly<Record<string, number>>, out: Float64Array, base: number): void => {
    for (let k = 0; k < sets; k++) fillKernel(model.structure, (name) => must(val[name], `parameter ${name}`), model.observeCompartment, model.output, must(val.V, 'V'), out, base + k * PAR_STRIDE);
  };
  const typical = new Float64Array(sets * PAR_STRIDE);
  fill(c.typical, typical, 0);
  for (let i = 0; i < typical.length; i++)
    if (typical[i] !== compiled.params[i]) throw new Error(`W-ode ${c.id}: typical kernel set differs from the model's at slot ${i % PAR_STRIDE}`);
  const rng = new Rng(WB.seed);
  const params = new Float64Array(c.n * sets * PAR_STRIDE);
  for (let s = 0; s < c.n; s++) {
    const val: Record<string, number> = { ...c.typical };
    for (const [name, w2] of Object.entries(c.omega2)) val[name] = must(c.typical[name], name) * Math.exp(Math.sqrt(w2) * rng.normal());
    fill(val, params, s * sets * PAR_STRIDE);
  }
  const obsRows = records.flatMap((r, i) => (r.EVID === 0 ? [i] : []));
  const nOut = compiled.nOut;
  const stride = sets * PAR_STRIDE;
  return {
    model,
    nOut,
    obsRows,
    job: (method, from, to, rtol = WB.rtol, atol = WB.atol) => {
      const m = to - from;
      return {
        kind: KIND_CODE[model.structure.kind],
        ncmt: model.structure.compartments,
        depot: model.structure.depot,
        // as simulate() and populations resolve it ('auto' at rtol ≤ 1e-8: AutoTight)
        method: solverSetup(model, resolveMethod(model, method), rtol, atol).method,
        nStates: model.nStates,
        events: compiled.events,
        evStart: new Int32Array(m),
        evEnd: new Int32Array(m).fill(compiled.events.n),
        parBase: Int32Array.from({ length: m }, (_, s) => s * sets),
        outBase: Int32Array.from({ length: m }, (_, s) => s * nOut),
        params: params.subarray(from * stride, to * stride),
        nOut: m * nOut,
        amounts: false,
        rtol,
        atol,
      };
    },
  };
}

/** Observations of subjects [0, n) in chunks. */
export function solveAll(p: Pop, method: SolverMethod, n: number, rtol?: number, atol?: number): Float64Array {
  const eng = engine();
  const out = new Float64Array(n * p.nOut);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    const r = eng.run(p.job(method, from, to, rtol, atol));
    if (r.failed > 0) throw new Error(`W-ode: ${r.failed} subjects failed (${method}, rtol ${rtol ?? WB.rtol}; status ${[...new Set(r.status.filter((x) => x !== 0))].join(', ')}, first subject ${from + r.status.findIndex((x) => x !== 0)})`);
    out.set(r.obs, from * p.nOut);
  }
  return out;
}

/** Largest relative error over the observations (|reference| > 1e-9) of the first n subjects. */
export function maxRel(p: Pop, x: Float64Array, ref: Float64Array, n: number): number {
  let w = 0;
  for (let s = 0; s < n; s++)
    for (const row of p.obsRows) {
      const i = s * p.nOut + row;
      const r = ref[i] as number;
      if (Math.abs(r) > 1e-9) w = Math.max(w, Math.abs(((x[i] as number) - r) / r));
    }
  return w;
}

export function work(p: Pop, method: SolverMethod, n: number): { steps: number; rejected: number; rhs: number; jac: number } {
  const k = new RawKernel();
  k.load(p.job(method, 0, n));
  const w = k.work();
  return { steps: w.accepted / n, rejected: w.rejected / n, rhs: w.rhs / n, jac: w.jac / n };
}

function subjectsPerS(p: Pop, method: SolverMethod, n: number, rtol?: number): number {
  const t = timeTasks([[method, () => solveAll(p, method, n, rtol)]], { iterations: 3, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' });
  return n / (must(t.get(method), 'timing').medianMs / 1000);
}

interface ScipyModel {
  s_per_subject: number;
  steps: number;
  rhs: number;
  jac: number;
  typical: number[];
}

function scipy(): { mm: ScipyModel; tmdd: ScipyModel; scipy: string } | string {
  const probe = spawnSync('python3', ['-c', 'import scipy, numpy'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0 || probe.error) return 'python3 cannot import scipy';
  const script = join(packageRoot(), 'bench', 'scipy', 'ode.py');
  const r = spawnSync('python3', [script, '--n', String(N_SCIPY)], { encoding: 'utf8', timeout: 600_000, cwd: packageRoot() });
  if (r.status !== 0 || r.error) throw new Error(`W-ode: ${script} failed:\n${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { mm: ScipyModel; tmdd: ScipyModel; scipy: string };
}

export const wode: Workload = {
  id: 'w-ode',
  title: 'W-ode: Michaelis–Menten oral and TMDD on the W-b regimen, per ODE method, against SciPy LSODA',
  async run() {
    const figures: Figure[] = [];
    const details: Record<string, unknown> = {};
    const sp = scipy();
    for (const c of CASES) {
      const p = population(c);
      const ref = solveAll(p, 'dop853', c.n, 1e-12, 1e-14);
      const refSpread = maxRel(p, solveAll(p, 'dopri5', N_WORK, 1e-12, 1e-14), ref, N_WORK);
      const rows: Record<string, unknown> = {};
      for (const m of c.methods) {
        const err = maxRel(p, solveAll(p, m, c.n), ref, c.n);
        const w = work(p, m, N_WORK);
        const rate = subjectsPerS(p, m, c.n);
        rows[m] = { subjects_per_s: rate, ...w, max_rel_err: err };
        figures.push({
          key: `ode.${c.id}.${m}.subjects_per_s`,
          label: `${c.label}, ${m}, ${c.n} subjects, 1 core`,
          value: rate,
          unit: 'subjects/s',
          target: { min: c.target, text: `≥ ${c.target.toLocaleString('en-US')} (10× mrgsolve)` },
          note: `${w.steps.toFixed(0)} steps (${w.rejected.toFixed(0)} rejected), ${w.rhs.toFixed(0)} rhs${w.jac ? `, ${w.jac.toFixed(0)} Jacobians` : ''} per subject; max rel. error ${err.toExponential(1)}`,
        });
      }
      // where DOP853 starts to beat Dormand–Prince
      const sweep = SWEEP.map((rtol) => {
        const ref2 = ref.subarray(0, N_SWEEP * p.nOut);
        const one = (m: SolverMethod): { per_s: number; err: number } | { failed: string } => {
          try {
            return { per_s: subjectsPerS(p, m, N_SWEEP, rtol), err: maxRel(p, solveAll(p, m, N_SWEEP, rtol), ref2, N_SWEEP) };
          } catch (e) {
            return { failed: e instanceof Error ? e.message : String(e) };
          }
        };
        const a = one('dopri5');
        const b = one('dop853');
        return { rtol, dopri5: a, dop853: b, dop853_over_dopri5: 'per_s' in a && 'per_s' in b ? b.per_s / a.per_s : null };
      });
      figures.push({
        key: `ode.${c.id}.dop853_over_dopri5`,
        label: `${c.label}: dop853 / dopri5 speed at rtol ${SWEEP.map((r) => r.toExponential(0)).join(', ')}`,
        value: sweep.find((r) => r.rtol === WB.rtol)?.dop853_over_dopri5 ?? NaN,
        unit: '× (at 1e-8)',
        note: sweep.map((r) => `${r.rtol.toExponential(0)}: ${r.dop853_over_dopri5 === null ? 'a method failed' : `${r.dop853_over_dopri5.toFixed(2)}×`}`).join('; '),
      });
      if (typeof sp !== 'string') {
        const s = sp[c.id];
        // SciPy's subjects are other draws: its accuracy is measured on the typical subject
        const typ = engineTypical(p, c);
        let e = 0;
        s.typical.forEach((v, k) => {
          const r = typ[must(p.obsRows[k], 'row')] as number;
          if (Math.abs(r) > 1e-9) e = Math.max(e, Math.abs((v - r) / r));
        });
        figures.push({
          key: `ode.${c.id}.scipy_lsoda.subjects_per_s`,
          label: `${c.label}, SciPy LSODA (odeint, Jacobian given), ${N_SCIPY} subjects`,
          value: 1 / s.s_per_subject,
          unit: 'subjects/s',
          note: `${s.steps.toFixed(0)} steps, ${s.rhs.toFixed(0)} rhs, ${s.jac.toFixed(0)} Jacobians per subject; typical subject max rel. error ${e.toExponential(1)} (wall clock)`,
        });
        rows.scipy_lsoda = { subjects_per_s: 1 / s.s_per_subject, steps: s.steps, rhs: s.rhs, jac: s.jac, typical_max_rel_err: e };
      }
      details[c.id] = { n: c.n, typical: c.typical, omega2: c.omega2, reference: 'dop853 rtol 1e-12 atol 1e-14', reference_vs_dopri5_1e12: refSpread, methods: rows, sweep };
    }
    if (typeof sp === 'string') details.scipy = sp;
    else details.scipy = sp.scipy;
    return { id: 'w-ode', title: this.title, figures, details };
  },
};

/** The typical subject's observations at rtol 1e-12 (the reference SciPy's typical profile is held to). */
function engineTypical(p: Pop, c: Case): Float64Array {
  const m = builtinModel(c.structure, c.typical);
  const job = p.job('dop853', 0, 1, 1e-12, 1e-14);
  const sets = job.params.length / PAR_STRIDE;
  const params = new Float64Array(job.params.length);
  for (let k = 0; k < sets; k++) fillKernel(m.structure, (name) => must(c.typical[name], name), m.observeCompartment, m.output, must(c.typical.V, 'V'), params, k * PAR_STRIDE);
  return engine().run({ ...job, params }).obs;
}
