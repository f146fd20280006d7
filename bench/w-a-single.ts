// W-a — one subject, two-compartment model (CL 4, V1 30, Q 6, V2 50), 1000 mg as 1-h infusions
// q12h for 7 days, concentrations every 0.5 h from 0 to 168 h (337 points).
// Times one simulate() call per method, and Engine.run() on the already compiled event table
// (what the engine costs without model evaluation and record compilation).

import { builtinModel } from '../src/model/model.js';
import { KIND_CODE } from '../src/model/structure.js';
import { regimen } from '../src/regimen/builder.js';
import { compileForModel, concatSubjects, resolveMethod, simulate } from '../src/engine/simulate.js';
import { engine } from '../src/engine/load.js';
import type { BatchInput } from '../src/engine/wasm.js';
import { type Figure, type MethodName, type RunContext, type Workload, must, relErr, timeTasks } from './common.js';

const METHODS: readonly MethodName[] = ['analytic', 'dopri5', 'rosenbrock'];
const RTOL = 1e-8;
const ATOL = 1e-10;

export const wa: Workload = {
  id: 'w-a',
  title: 'W-a single subject (2-cmt, 1-h infusions q12h × 7 d, 337 obs)',
  async run(_ctx: RunContext) {
    const model = builtinModel('2cmt-iv', { CL: 4, V: 30, Q: 6, V2: 50 });
    const records = regimen()
      .dose({ time: 0, amt: 1000, dur: 1, addl: 13, ii: 12 })
      .observe({ grid: { from: 0, to: 168, step: 0.5 } })
      .records();
    const nObs = records.filter((r) => r.EVID === 0).length;
    if (nObs !== 337) throw new Error(`W-a has ${nObs} observations, expected 337`);
    const opts = (method: MethodName) => ({ method, rtol: RTOL, atol: ATOL, amounts: false });

    // the compiled table, reused: Engine.run() alone
    const batch = concatSubjects([compileForModel(model, records)]);
    const eng = engine();
    const job = (method: MethodName): BatchInput => ({
      kind: KIND_CODE[model.structure.kind],
      ncmt: model.structure.compartments,
      depot: model.structure.depot,
      method: resolveMethod(model, method),
      nStates: model.nStates,
      ...batch,
      amounts: false,
      rtol: RTOL,
      atol: ATOL,
    });
    const jobs = new Map(METHODS.map((m) => [m, job(m)] as const));

    // agreement between methods (and between simulate and Engine.run) before timing
    const ref = simulate(model, records, opts('analytic')).ipred;
    const agree: Record<string, number> = {};
    for (const m of METHODS) {
      const a = simulate(model, records, opts(m)).ipred;
      const b = eng.run(must(jobs.get(m), m)).obs;
      let worst = 0;
      for (let i = 0; i < ref.length; i++) {
        if (a[i] !== b[i]) throw new Error(`W-a: simulate and Engine.run disagree (${m}, row ${i})`);
        if ((ref[i] as number) > 1e-6) worst = Math.max(worst, relErr(a[i] as number, ref[i] as number));
      }
      if (!(worst < 1e-5)) throw new Error(`W-a: ${m} differs from the analytic solution by ${worst.toExponential(2)}`);
      agree[m] = worst;
    }

    const tasks: Array<readonly [string, () => unknown]> = [];
    for (const m of METHODS) {
      tasks.push([`simulate ${m}`, () => simulate(model, records, opts(m))]);
      const j = must(jobs.get(m), m);
      tasks.push([`Engine.run ${m}`, () => eng.run(j)]);
    }
    // where simulate()'s own time goes: model evaluation per record, then record compilation
    tasks.push(['model.evaluate × records', () => records.map((r) => model.evaluate(r.items, undefined, r.row))]);
    tasks.push(['compileForModel', () => compileForModel(model, records)]);
    const t = timeTasks(tasks, { iterations: 200, timeMs: 400, warmupIterations: 20, warmupTimeMs: 100 });

    const figures: Figure[] = [];
    const timings: Record<string, unknown> = {};
    for (const m of METHODS) {
      const ts = must(t.get(`simulate ${m}`), m);
      const te = must(t.get(`Engine.run ${m}`), m);
      timings[m] = { simulate: ts, engine_run: te };
      figures.push({ key: `wa.${m}.simulate_us`, label: `simulate(), ${m}`, value: ts.medianMs * 1000, unit: 'µs/simulation' });
      figures.push({
        key: `wa.${m}.engine_run_us`,
        label: `Engine.run() on compiled table, ${m}`,
        value: te.medianMs * 1000,
        unit: 'µs/simulation',
        note: `model evaluation + record compilation = ${(ts.medianMs * 1000 - te.medianMs * 1000).toFixed(1)} µs of simulate()`,
      });
    }
    const tEval = must(t.get('model.evaluate × records'), 'timing');
    const tComp = must(t.get('compileForModel'), 'timing');
    timings.evaluate_all_records = tEval;
    timings.compile_for_model = tComp;
    figures.push({
      key: 'wa.compile_for_model_us',
      label: `compileForModel() (${records.length} records)`,
      value: tComp.medianMs * 1000,
      unit: 'µs/simulation',
      note: `of which model.evaluate() on every record: ${(tEval.medianMs * 1000).toFixed(1)} µs (${((tEval.medianMs * 1000) / records.length).toFixed(2)} µs/record)`,
    });
    return {
      id: 'w-a',
      title: this.title,
      figures,
      details: {
        records: records.length,
        events: batch.events.n,
        rtol: RTOL,
        atol: ATOL,
        max_rel_diff_vs_analytic: agree,
        timings_ms: timings,
      },
    };
  },
};
