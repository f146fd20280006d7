// Model texts (user-written ODE models compiled to WebAssembly at run time):
//   - kernel compilation: cold (the AssemblyScript compiler on the whole engine), from the disk
//     cache, and from this process's memory; a text's first result in a fresh process with nothing
//     cached (the interpreted tier), and the interpreted tier's time per simulation;
//   - W-b through a model text (dopri5, rtol 1e-8, atol 1e-10) against the same model as a
//     built-in structure solved by the same dopri5, on one core (CPU time), 2,000 subjects with
//     the W-b IIV: the cost of a generated kernel against a hand-written one;
//   - the TMDD example against the built-in TMDD kernel (Rosenbrock), 500 subjects.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../src/engine/model-text.js';
import { compileKernel, forgetCompiledKernels } from '../src/engine/kernel-compiler.js';
import { simulate } from '../src/engine/simulate.js';
import { builtinModel, defineModel, type Model } from '../src/model/model.js';
import { regimen } from '../src/regimen/builder.js';
import type { DataRecord } from '../src/regimen/record.js';
import { readRegimen } from '../src/regimen/file.js';
import { parseMetric } from '../src/population/metrics.js';
import { runStudy, seedKey } from '../src/population/study.js';
import type { PopulationPlan } from '../src/population/plan.js';
import { engine } from '../src/engine/load.js';
import { compileForModel } from '../src/engine/simulate.js';
import { PAR_STRIDE } from '../src/abi.js';
import { Chunker, cpuNowMs, must, packageRoot, timeTasks, wbPopulation, WB, type Figure, type Population, type Workload } from './common.js';

const N_WB = 2000;
const N_TMDD = 500;
/** W-b subjects for exact propagation of the model text (the W-b analytic batch size). */
const N_EXACT = 100_000;
/** As W-b's CHUNK: 1,000-subject calls into one reused output buffer. */
const CHUNK_EXACT = 1_000;

/**
 * The W-b population (same seed, same subjects as W-b) for the W-b model text: its own kernel
 * parameter sets, each from the model's evaluation at the subject's η = log(CL/TVCL) etc.
 */
function textPopulation(pop: Population, model: Model): Population {
  const compiled = compileForModel(model, pop.records);
  const stride = model.parStride;
  if (stride !== PAR_STRIDE || compiled.params.length !== stride) throw new Error('W-b text: expected one parameter set per subject');
  const params = new Float64Array(pop.n * stride);
  for (let s = 0; s < pop.n; s++) {
    const items = { ETA_CL: Math.log((pop.cl[s] as number) / WB.CL), ETA_V: Math.log((pop.v[s] as number) / WB.V), ETA_KA: Math.log((pop.ka[s] as number) / WB.KA) };
    params.set(model.evaluate(items).kernel, s * stride);
  }
  return { ...pop, model, events: compiled.events, params, typical: compiled.params, nOut: compiled.nOut };
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1] as number;
}

async function cpuOf(f: () => Promise<unknown> | unknown, repeats: number): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = cpuNowMs();
    await f();
    t.push(cpuNowMs() - c0);
  }
  return median(t);
}

export const wtext: Workload = {
  id: 'w-text',
  title: 'Model texts: kernel compilation, and generated vs built-in kernels (W-b dopri5, TMDD Rosenbrock)',
  async run() {
    const root = packageRoot();
    const read = (n: string) => readFileSync(join(root, 'examples/user-models', n), 'utf8');
    const cache = mkdtempSync(join(tmpdir(), 'dosewise-bench-kernels-'));
    const figures: Figure[] = [];
    try {
      // --- compilation ---
      const tmddText = read('tmdd.model');
      const source = (defineModel({ dosewise: 'text', text: tmddText }).kernel as { source: string }).source;
      forgetCompiledKernels();
      const cold = await compileKernel(source, { cacheDir: cache });
      forgetCompiledKernels();
      const disk = await compileKernel(source, { cacheDir: cache });
      const mem = await compileKernel(source, { cacheDir: cache });
      figures.push(
        { key: 'text.compile_cold_ms', label: 'kernel compile, cold (AssemblyScript, whole engine, -O3)', value: cold.ms, unit: 'ms', note: `${cold.wasm.length} bytes` },
        { key: 'text.compile_disk_ms', label: 'kernel from the disk cache', value: disk.ms, unit: 'ms' },
        { key: 'text.compile_memory_ms', label: 'kernel from memory', value: mem.ms, unit: 'ms' },
      );

      // --- a model text's first result: fresh `dosewise simulate` processes, nothing cached, the
      // interpreted tier (what a new user sees); then the interpreted / compiled speed per simulation
      const data = join(cache, 'first-result.csv');
      writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,0,1,.,0\n1,24,0,0,1,.,0\n');
      const firstMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [join(root, 'bin', 'dosewise.js'), 'simulate', '--model', join(root, 'examples/user-models/tmdd.model'), '--data', data, '--json'], {
          env: { ...process.env, DOSEWISE_CACHE_DIR: join(cache, `empty-${i}`), DOSEWISE_BACKGROUND_COMPILE: '0' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        firstMs.push(performance.now() - t0);
        if (r.status !== 0) throw new Error(`w-text: first result exited with ${r.status}: ${r.stderr?.toString().slice(0, 300)}`);
      }
      const interpreted = defineModel({ dosewise: 'text', text: tmddText });
      const compiledTmdd = await compileModel(tmddText, { cacheDir: cache });
      const one = regimen().dose({ time: 0, amt: 100, cmt: 1, addl: 27, ii: 12 }).observe({ grid: { from: 0, to: 336, step: 1 } }).records();
      const perSim = (m: Model) => cpuOf(() => { for (let k = 0; k < 20; k++) simulate(m, one, { method: 'rosenbrock' }); }, 5);
      await perSim(interpreted);
      await perSim(compiledTmdd);
      const tI = await perSim(interpreted);
      const tC = await perSim(compiledTmdd);
      figures.push(
        { key: 'text.first_result_ms', label: 'model text, first result in a fresh process, empty kernel cache (dosewise simulate --model tmdd.model, 3 records; interpreted tier), median of 5', value: median(firstMs), unit: 'ms', target: { max: 1000, text: '≤ 1 s' }, note: `the compiled tier's cold compile in the same run: ${Math.round(cold.ms)} ms` },
        { key: 'text.interpreted_over_compiled', label: 'interpreted / compiled kernel time per simulation (TMDD text, W-b regimen, Rosenbrock)', value: tI / tC, unit: '×' },
      );

      // --- W-b: generated kernel vs built-in kernel, same solver ---
      const wbText = await compileModel(read('wb-population.model'), { cacheDir: cache });
      const wbJson = JSON.parse(readFileSync(join(root, 'examples/wb-population.model.json'), 'utf8'));
      const records = readRegimen(readFileSync(join(root, 'examples/wb-regimen.json'), 'utf8'), 'wb-regimen.json');
      const metrics = ['auc24', 'trough'].map((m) => parseMetric(m, { end: 336, tau: 12, lastDose: 324 }));
      const plan = (model: unknown): PopulationPlan => ({ model, regimen: records.map((r) => r.items), key: seedKey('w-text'), metrics, table: false, profiles: false, method: 'dopri5', rtol: 1e-8, atol: 1e-10 });
      const pop = (model: unknown) => runStudy(plan(model), { n: N_WB, workers: 0, chunkSize: 500 });
      await pop(wbText.file);
      await pop(wbJson);
      const tText = await cpuOf(() => pop(wbText.file), 3);
      const tBuilt = await cpuOf(() => pop(wbJson), 3);
      figures.push(
        { key: 'text.wb_dopri5_subjects_per_s', label: `W-b model text, dopri5, ${N_WB} subjects, 1 core`, value: (N_WB / tText) * 1000, unit: 'subjects/s' },
        { key: 'text.wb_builtin_dopri5_subjects_per_s', label: 'W-b built-in 1cmt-oral, same dopri5', value: (N_WB / tBuilt) * 1000, unit: 'subjects/s' },
        { key: 'text.wb_ratio', label: 'model text / built-in kernel speed (W-b, dopri5)', value: tBuilt / tText, unit: '×', target: { min: 0.8, text: '≥ 0.8×' } },
      );

      // --- W-b as a model text, propagated exactly (method auto on a text linear in its states) ---
      // batches through Engine.run() exactly as W-b's analytic figure, same 100,000 subjects
      const wbPop = wbPopulation(N_EXACT);
      const tpop = textPopulation(wbPop, wbText);
      const builtinEngine = engine();
      const textEngine = engine(wbText);
      const cb = new Chunker(wbPop, 'analytic');
      const ct = new Chunker(tpop, 'analytic');
      // every output of every subject against the built-in closed form
      const ref = new Float64Array(N_EXACT * wbPop.nOut);
      cb.runAll(builtinEngine, N_EXACT, CHUNK_EXACT, (from, obs) => ref.set(obs, from * wbPop.nOut));
      let exactErr = 0;
      ct.runAll(textEngine, N_EXACT, CHUNK_EXACT, (from, obs) => {
        for (let i = 0; i < obs.length; i++) {
          const r = ref[from * wbPop.nOut + i] as number;
          if (r !== 0) exactErr = Math.max(exactErr, Math.abs(((obs[i] as number) - r) / r));
          else if (obs[i] !== 0) exactErr = Infinity;
        }
      });
      const tt = timeTasks(
        [
          ['built-in analytic', () => cb.runAll(builtinEngine, N_EXACT, CHUNK_EXACT)],
          ['model text exact', () => ct.runAll(textEngine, N_EXACT, CHUNK_EXACT)],
        ],
        { iterations: 3, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
      );
      const tb = must(tt.get('built-in analytic'), 'timing').medianMs;
      const te = must(tt.get('model text exact'), 'timing').medianMs;
      figures.push(
        { key: 'text.wb_exact_subjects_per_s', label: `W-b model text, exact propagation (auto), ${N_EXACT.toLocaleString('en-US')} subjects, 1 core`, value: (N_EXACT / te) * 1000, unit: 'subject-profiles/s', target: { min: 200_000, text: '≥ 200,000/s' }, note: `built-in analytic in the same run ${Math.round((N_EXACT / tb) * 1000).toLocaleString('en-US')}/s` },
        { key: 'text.wb_exact_vs_builtin', label: 'W-b: model text exact / built-in analytic speed', value: tb / te, unit: '×' },
        { key: 'text.wb_exact_max_rel_err', label: `W-b model text exact vs built-in closed form, max relative difference over ${(N_EXACT * 337).toLocaleString('en-US')} outputs`, value: exactErr, unit: '', target: { max: 1e-9, text: '≤ 1e-9' } },
      );

      // --- TMDD: generated vs built-in, Rosenbrock ---
      const tmddUser = await compileModel(tmddText, { cacheDir: cache });
      const tmddBuilt = builtinModel('tmdd');
      const recs: DataRecord[] = [];
      for (let id = 1; id <= N_TMDD; id++)
        recs.push(
          ...regimen(id)
            .dose({ time: 0, amt: 2 + (18 * id) / N_TMDD, addl: 3, ii: 24, cmt: 1 })
            .observe({ grid: { from: 0, to: 120, step: 1 } })
            .records(),
        );
      const run = (m: Model) => simulate(m, recs, { method: 'rosenbrock', amounts: false });
      run(tmddUser);
      run(tmddBuilt);
      const uT = await cpuOf(() => run(tmddUser), 5);
      const bT = await cpuOf(() => run(tmddBuilt), 5);
      figures.push(
        { key: 'text.tmdd_subjects_per_s', label: `TMDD model text, Rosenbrock, ${N_TMDD} subjects, 1 core`, value: (N_TMDD / uT) * 1000, unit: 'subjects/s' },
        { key: 'text.tmdd_builtin_subjects_per_s', label: 'TMDD built-in kernel, Rosenbrock', value: (N_TMDD / bT) * 1000, unit: 'subjects/s' },
        { key: 'text.tmdd_ratio', label: 'model text / built-in kernel speed (TMDD, Rosenbrock)', value: bT / uT, unit: '×', target: { min: 0.8, text: '≥ 0.8×' } },
      );
      // --- the default for ODE models ('auto': Dormand–Prince, RODAS4 once stiff) against each method alone ---
      const byMethod = (m: Model, method: 'dopri5' | 'auto') => simulate(m, recs, { method, amounts: false });
      byMethod(tmddBuilt, 'auto');
      const aT = await cpuOf(() => byMethod(tmddBuilt, 'auto'), 5);
      const dT = await cpuOf(() => byMethod(tmddBuilt, 'dopri5'), 5);
      const aU = await cpuOf(() => byMethod(tmddUser, 'auto'), 5);
      const a = byMethod(tmddBuilt, 'auto').ipred;
      const r = simulate(tmddBuilt, recs, { method: 'rosenbrock', rtol: 1e-12, atol: 1e-14, amounts: false }).ipred;
      const maxRel = (x: Float64Array): number => {
        let w = 0;
        for (let i = 0; i < r.length; i++) if (Math.abs(r[i] as number) > 1e-9) w = Math.max(w, Math.abs(((x[i] as number) - (r[i] as number)) / (r[i] as number)));
        return w;
      };
      const worst = maxRel(a);
      const worstRos = maxRel(run(tmddBuilt).ipred);
      figures.push(
        { key: 'text.tmdd_builtin_auto_subjects_per_s', label: "TMDD built-in, method auto (the default)", value: (N_TMDD / aT) * 1000, unit: 'subjects/s', note: `dopri5 alone ${Math.round((N_TMDD / dT) * 1000)}/s; model text with auto ${Math.round((N_TMDD / aU) * 1000)}/s; max relative error vs RODAS4 at rtol 1e-12: auto ${worst.toExponential(1)}, Rosenbrock at the default tolerances ${worstRos.toExponential(1)}` },
        { key: 'text.tmdd_auto_vs_rosenbrock', label: "TMDD built-in: auto / Rosenbrock speed (the previous default)", value: bT / aT, unit: '×' },
      );
      return { id: 'w-text', title: this.title, figures, details: { cold_from: cold.from, wasm_bytes: cold.wasm.length, wb_cpu_ms: { text: tText, builtin: tBuilt }, tmdd_cpu_ms: { text: uT, builtin: bT, builtin_auto: aT, builtin_dopri5: dT, text_auto: aU }, tmdd_auto_max_rel_err: worst, tmdd_rosenbrock_max_rel_err: worstRos } };
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  },
};
