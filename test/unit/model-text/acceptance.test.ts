// Model texts compiled to WebAssembly and run by the engine, against independent references:
// the built-in analytic 2-compartment model, the built-in TMDD kernel, a closed form for an
// 8-compartment transit chain, the built-in W-b population (same seed, workers 0 and 2) and MAP
// estimates of the equivalent model file. Also the kernel cache and the CLI's --model FILE.model.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { compileKernel, forgetCompiledKernels, kernelKey } from '../../../src/engine/kernel-compiler.js';
import { simulate } from '../../../src/engine/simulate.js';
import { builtinModel, defineModel, type Model } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import type { ChunkResult, PopulationPlan } from '../../../src/population/plan.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-model-text-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const text = (name: string) => readFileSync(`examples/user-models/${name}.model`, 'utf8');

/** Largest relative difference, with a floor of 1e-6 of the largest |reference| for values near 0. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < b.length; i++) peak = Math.max(peak, Math.abs(b[i] as number));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(Math.abs(b[i] as number), 1e-6 * peak));
  return m;
}

let oral: Model;
let tmdd: Model;
beforeAll(async () => {
  oral = await compileModel(text('two-cmt-oral'), { file: 'two-cmt-oral.model' });
  tmdd = await compileModel(text('tmdd'), { file: 'tmdd.model' });
}, 120_000);

describe('a user-written 2-compartment oral model = the built-in analytic model (ADVAN4)', () => {
  const items = { WT: 85, ETA_CL: 0.2, ETA_V: -0.1 };
  const builtin = (extra: object = {}) => {
    const v = oral.evaluate(items).values;
    return defineModel({ dosewise: 1, name: 'advan4', structure: 'advan4', parameters: { CL: v.CL, V: v.V, Q: v.Q, V2: v.V2, KA: v.KA }, ...extra });
  };
  const recs = regimen()
    .dose({ time: 0, amt: 500, addl: 9, ii: 12, cmt: 1 })
    .dose({ time: 30, amt: 300, rate: 150, cmt: 2 })
    .observe({ grid: { from: 0, to: 150, step: 0.5 }, items })
    .records();
  // covariates and η for every record (dose records too), as a data set would carry them
  const tight = { method: 'dopri5', rtol: 1e-12, atol: 1e-14, overrides: items } as const;

  it('bolus, infusion and repeated doses: within 1e-12 relative (dopri5, rtol 1e-12)', () => {
    const a = simulate(builtin(), recs);
    const b = simulate(oral, recs, tight);
    expect(relDiff(b.ipred, a.ipred)).toBeLessThan(1e-12); // measured 2.7e-13
    expect(relDiff(b.amounts as Float64Array, a.amounts as Float64Array)).toBeLessThan(3e-11); // measured 8.8e-12
    // default solver choice (linear in its compartments: exact propagation)
    expect(relDiff(simulate(oral, recs, { overrides: items }).ipred, a.ipred)).toBeLessThan(1e-13); // measured 3.0e-14
    // dopri5 at the default tolerances (rtol 1e-8) when asked for
    expect(relDiff(simulate(oral, recs, { overrides: items, method: 'dopri5' }).ipred, a.ipred)).toBeLessThan(1e-8); // measured 2.4e-9
  });

  it('steady state (SS=1), lag time and bioavailability', async () => {
    const withMods = await compileModel(`${text('two-cmt-oral')}\nlag(DEPOT) = 0.75\nF(DEPOT) = 0.8\n`);
    // modifiers are per-record values: the kernel is the same module
    expect(withMods.kernel?.id).toBe(oral.kernel?.id);
    const ss = regimen().dose({ time: 0, amt: 250, ss: 1, ii: 8, cmt: 1, addl: 2 }).observe({ grid: { from: 0, to: 24, step: 0.25 }, items }).records();
    const a = simulate(builtin({ compartments: { 1: { lag: 0.75, bioavailability: 0.8 } } }), ss);
    const b = simulate(withMods, ss, tight);
    expect(relDiff(b.ipred, a.ipred)).toBeLessThan(5e-13); // measured 1.1e-13
  });
});

describe('property: the 2-compartment text = ADVAN4 for any parameters and regimen', () => {
  it('random CL, V, Q, V2, KA, dose, interval and infusion (fast-check, 40 cases): within 5e-10 at rtol 1e-11', () => {
    fc.assert(
      fc.property(
        fc.record({
          CL: fc.double({ min: 0.5, max: 20, noNaN: true }),
          V: fc.double({ min: 5, max: 100, noNaN: true }),
          Q: fc.double({ min: 0.5, max: 20, noNaN: true }),
          V2: fc.double({ min: 5, max: 200, noNaN: true }),
          KA: fc.double({ min: 0.1, max: 4, noNaN: true }),
          dose: fc.double({ min: 10, max: 2000, noNaN: true }),
          ii: fc.constantFrom(6, 8, 12, 24),
          dur: fc.double({ min: 0.25, max: 4, noNaN: true }),
        }),
        (p) => {
          const recs = regimen()
            .dose({ time: 0, amt: p.dose, addl: 3, ii: p.ii, cmt: 1 })
            .dose({ time: 4 * p.ii, amt: p.dose, dur: p.dur, cmt: 2 })
            .observe({ grid: { from: 0, to: 5 * p.ii, step: p.ii / 8 } })
            .records();
          const ref = simulate(defineModel({ dosewise: 1, name: 'advan4', structure: 'advan4', parameters: { CL: p.CL, V: p.V, Q: p.Q, V2: p.V2, KA: p.KA } }), recs);
          // the text's typical values replaced through data items named like its parameters
          const items = { CL: p.CL, V: p.V, Q: p.Q, V2: p.V2, KA: p.KA };
          const got = simulate(oral, recs, { method: 'dopri5', rtol: 1e-11, atol: 1e-13, overrides: items });
          expect(relDiff(got.ipred, ref.ipred)).toBeLessThan(5e-10); // measured: at most 1.2e-10 over the 40 cases
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });
});

describe('a user-written TMDD model = the built-in TMDD kernel', () => {
  const builtin = builtinModel('tmdd');
  const recs = regimen().dose({ time: 0, amt: 10, addl: 3, ii: 24, cmt: 1 }).dose({ time: 100, amt: 5, rate: 2.5, cmt: 1 }).observe({ grid: { from: 0, to: 160, step: 0.5 } }).records();
  for (const method of ['rosenbrock', 'dopri5'] as const)
    it(`${method}, default tolerances: free drug and all three states within 2e-13 relative`, () => {
      const a = simulate(builtin, recs, { method });
      const b = simulate(tmdd, recs, { method });
      expect(relDiff(b.ipred, a.ipred)).toBeLessThan(2e-13); // measured 3.5e-14 (rosenbrock), 0 (dopri5)
      expect(relDiff(b.amounts as Float64Array, a.amounts as Float64Array)).toBeLessThan(2e-13);
    });

  // the example lives in docs/model-texts.md since the README's reference moved to docs/ (2026-12-07)
  it('the documented example (observation through an intermediate, a covariate, η) = the built-in TMDD at WT 70, η 0', async () => {
    const block = /```text\n(# examples\/user-models\/tmdd-map\.model[\s\S]*?)```/.exec(readFileSync('docs/model-texts.md', 'utf8'))?.[1] as string;
    const m = await compileModel(block, { file: 'docs/model-texts.md' });
    // the text asks for Rosenbrock (`solver rosenbrock`); the built-in gets it by name
    expect(relDiff(simulate(m, recs).ipred, simulate(builtin, recs, { method: 'rosenbrock' }).ipred)).toBeLessThan(2e-13); // measured 3.5e-14
    // heavier patients eliminate more slowly (KEL ∝ WT^-0.25): higher free drug after the first dose
    const heavy = simulate(m, recs, { overrides: { WT: 100 } }).ipred;
    expect(heavy[40]).toBeGreaterThan(simulate(m, recs).ipred[40] as number);
  });

  it("solver 'auto' runs a nonlinear model text as the built-in TMDD: DOP853 (rtol 1e-8) while neither held by stability nor stiff", async () => {
    expect(tmdd.kernel?.nonlinear).toBe(true);
    const auto = await compileModel(text('tmdd').replace(/^solver rosenbrock$/m, ''), { file: 'tmdd-auto.model' });
    expect(auto.solver.method).toBe('auto');
    const a = simulate(auto, recs).ipred;
    expect(a).toEqual(simulate(builtin, recs).ipred);
    expect(a).toEqual(simulate(auto, recs, { method: 'dop853' }).ipred);
  });
});

describe('more states than any built-in', () => {
  it('an 8-compartment transit chain matches its closed form', async () => {
    const m = await compileModel(text('transit'), { file: 'transit.model' });
    expect(m.nStates).toBe(8);
    const times = [0.5, 1, 2, 3, 4, 6];
    const recs = regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ times, cmt: 7 }).records();
    // observations naming T7 read its amount (S7 = 1): Dose·(k t)^6/6!·exp(−k t)
    const sim = simulate(m, recs, { rtol: 1e-12, atol: 1e-14 });
    const k = 1.5;
    const exact = times.map((t) => (100 * (k * t) ** 6) / 720 * Math.exp(-k * t));
    expect(relDiff(sim.ipred.slice(1), exact)).toBeLessThan(3e-12); // measured 6.0e-13
    // S7, a per-record quantity, scales those observations (A(7)/S7); the kernel is unchanged
    const scaled = await compileModel(`${text('transit')}\nS7 = 4\n`);
    expect(scaled.kernel?.id).toBe(m.kernel?.id);
    const s4 = simulate(scaled, recs, { rtol: 1e-12, atol: 1e-14 });
    expect(relDiff(s4.ipred.slice(1), exact.map((x) => x / 4))).toBeLessThan(3e-12);
  });
});

describe('a model text that reads more per-record values than the standard parameter set holds', () => {
  // k = K0 + ... + K18 + K19·exp(ETA_K): 21 values reach the kernel (V too), so its sets are wider
  const ks = Array.from({ length: 19 }, (_, i) => `K${i}`);
  const wide = `theta V = 10, ${ks.map((k) => `${k} = 0.01`).join(', ')}, K19 = 0.01
eta ETA_K ~ 0.09
residual proportional 0.1
compartment A
KE = K19 * exp(ETA_K)
d/dt(A) = -(${ks.join(' + ')} + KE) * A
observe = A / V
`;
  const equivalent = {
    dosewise: 2,
    name: 'same, built-in',
    structure: '1cmt-iv',
    parameters: { V: 10, CL: '10 * (0.19 + 0.01 * exp(ETA_K))' },
    omega: { etas: ['ETA_K'], diagonal: [0.09] },
    residual: { model: 'proportional', proportional: 0.1 },
  };

  it('simulates, estimates and runs populations like the equivalent built-in model', async () => {
    const m = await compileModel(wide, { file: 'wide.model' });
    expect(m.parStride).toBe(24);
    const recs = regimen().dose({ time: 0, amt: 100, addl: 2, ii: 12 }).observe({ grid: { from: 0, to: 36, step: 1 } }).records();
    const ref = simulate(defineModel(equivalent), recs, { overrides: { ETA_K: 0.3 } });
    expect(relDiff(simulate(m, recs, { rtol: 1e-12, atol: 1e-14, overrides: { ETA_K: 0.3 } }).ipred, ref.ipred)).toBeLessThan(2e-12); // measured 4.1e-13
    const csv = 'ID,TIME,EVID,AMT,CMT,DV\n1,0,1,100,1,.\n1,4,0,0,1,6.9\n1,11,0,0,1,3.4\n';
    const a = estimate(defineModel(equivalent), readNmtran(csv).records);
    const b = estimate(m, readNmtran(csv).records, { rtol: 1e-11, atol: 1e-13 });
    expect(Math.abs((b.eta[0] as number) - (a.eta[0] as number))).toBeLessThan(1e-6); // measured 2.0e-7
    const metrics = ['auc24', 'cmax'].map((x) => parseMetric(x, { end: 36, tau: 12, lastDose: 24 }));
    const plan = (model: unknown): PopulationPlan => ({ model, regimen: recs.map((r) => r.items), key: seedKey('wide'), metrics, table: false, profiles: false, rtol: 1e-11, atol: 1e-13 });
    const run = async (model: unknown, workers: number) => {
      const out = new Float64Array(300 * 2);
      await runStudy(plan(model), { n: 300, workers, chunkSize: 70, onChunk: (c) => out.set(c.metrics, c.first * 2) });
      return out;
    };
    const inline = await run(m.file, 0);
    expect(Buffer.from((await run(m.file, 2)).buffer).equals(Buffer.from(inline.buffer))).toBe(true);
    expect(relDiff(inline, await run(equivalent, 0))).toBeLessThan(5e-12); // measured 8.6e-13
  }, 60_000);
});

describe('populations and MAP with a model text', () => {
  const wbJson = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
  const records = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
  const metrics = ['auc24', 'trough', 'cmax'].map((m) => parseMetric(m, { end: 336, tau: 12, lastDose: 324 }));

  async function population(model: unknown, workers: number, chunkSize: number): Promise<Float64Array> {
    const plan: PopulationPlan = { model, regimen: records.map((r) => r.items), key: seedKey('model-text'), metrics, table: false, profiles: false, rtol: 1e-10, atol: 1e-12 };
    const chunks: ChunkResult[] = [];
    await runStudy(plan, { n: 400, workers, chunkSize, onChunk: (c) => void chunks.push(c) });
    chunks.sort((a, b) => a.first - b.first);
    const out = new Float64Array(400 * metrics.length);
    for (const c of chunks) out.set(c.metrics, c.first * metrics.length);
    return out;
  }

  it('same seed: byte-identical metrics with 0 and 2 workers, equal to the built-in model within 1e-10', async () => {
    const wb = await compileModel(text('wb-population'), { file: 'wb-population.model' });
    const inline = await population(wb.file, 0, 400);
    const pooled = await population(wb.file, 2, 57);
    expect(Buffer.from(pooled.buffer).equals(Buffer.from(inline.buffer))).toBe(true);
    // the same η draws (same names, same Ω order) through the analytic built-in
    expect(relDiff(inline, await population(wbJson, 0, 400))).toBeLessThan(1e-10); // measured 2.4e-11
  }, 60_000);

  it('MAP estimates equal those of the equivalent model file', async () => {
    const wb = await compileModel(text('wb-population'), { file: 'wb-population.model' });
    const csv = `ID,TIME,EVID,AMT,CMT,DV
1,0,1,500,1,.
1,2,0,0,2,6.1
1,11.5,0,0,2,4.4
1,12,1,500,1,.
1,14,0,0,2,10.2
1,23.5,0,0,2,6.9
`;
    const recs = readNmtran(csv).records;
    const a = estimate(defineModel(wbJson), recs);
    const b = estimate(wb, recs, { rtol: 1e-10, atol: 1e-12 });
    for (let i = 0; i < 3; i++) expect(Math.abs((b.eta[i] as number) - (a.eta[i] as number))).toBeLessThan(4e-8); // measured 7.8e-9
    expect(Math.abs(b.ofv - a.ofv)).toBeLessThan(5e-11); // measured 7.6e-12
  });
});

describe('compiled kernels are cached', () => {
  it('by a hash of the kernel source, engine sources and compiler version; on disk, atomically', async () => {
    const dir = join(tmp, 'cache');
    const source = (oral.kernel as { source: string }).source;
    const key = kernelKey(source);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(kernelKey(source.replace('USER_STATES: i32 = 3', 'USER_STATES: i32 = 3 '))).not.toBe(key);
    const first = await compileKernel(source, { cacheDir: dir });
    expect(['memory', 'compiler']).toContain(first.from);
    forgetCompiledKernels();
    const fromDisk = await compileKernel(source, { cacheDir: dir });
    if (first.from === 'compiler') expect(existsSync(join(dir, `${key}.wasm`))).toBe(true);
    expect(fromDisk.from).toBe(first.from === 'compiler' ? 'disk' : 'compiler');
    const again = await compileKernel(source, { cacheDir: dir });
    expect(again.from).toBe('memory');
    expect(Buffer.from(again.wasm).equals(Buffer.from(first.wasm))).toBe(true);
  }, 60_000);

  it('a damaged cache file is ignored and replaced', async () => {
    const dir = join(tmp, 'damaged');
    const source = (tmdd.kernel as { source: string }).source;
    const key = kernelKey(source);
    await compileKernel(source, { cacheDir: dir });
    forgetCompiledKernels();
    writeFileSync(join(dir, `${key}.wasm`), 'not a module');
    const r = await compileKernel(source, { cacheDir: dir });
    expect(r.from).toBe('compiler');
    expect(WebAssembly.validate(readFileSync(join(dir, `${key}.wasm`)))).toBe(true);
  }, 60_000);

  it('a model text used before its kernel is compiled runs interpreted; one too large for that says how to compile it', () => {
    const m = defineModel({ dosewise: 'text', text: text('tmdd').replace('KINT * COMPLEX', 'KINT * COMPLEX * 1.5'), file: 'tmdd.model' });
    expect(simulate(m, regimen().dose({ time: 0, amt: 1, cmt: 1 }).observe({ times: [1] }).records()).ipred[1]).toBeGreaterThan(0);
    const big = defineModel({ dosewise: 'text', text: readFileSync('examples/user-models/transit.model', 'utf8'), file: 'transit.model' });
    expect(() => simulate(big, regimen().dose({ time: 0, amt: 1, cmt: 1 }).observe({ times: [1] }).records())).toThrow(/kernel is too large to interpret and is not compiled yet: compile it with await compileModel\(text\)/);
  });
});

describe('dosewise --model FILE.model', () => {
  it('simulate: the model text gives the built-in TMDD values', async () => {
    const data = join(tmp, 'tmdd.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,CMT\n1,0,1,10,1\n1,1,0,0,1\n1,24,0,0,1\n1,72,0,0,1\n');
    const r = await cli(['simulate', '--model', 'examples/user-models/tmdd.model', '--data', data, '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { IPRED: number }[];
    // the text asks for Rosenbrock (`solver rosenbrock`)
    const ref = simulate(builtinModel('tmdd'), readNmtran(readFileSync(data, 'utf8')).records, { method: 'rosenbrock' });
    expect(relDiff(rows.map((x) => x.IPRED), ref.ipred)).toBeLessThan(5e-15); // measured 6.6e-16
  });

  it('population with workers runs a model text', async () => {
    const out = join(tmp, 'pop');
    const r = await cli(['population', '--model', 'examples/user-models/wb-population.model', '--regimen', 'examples/wb-regimen.json', '--n', '300', '--workers', '2', '--no-progress', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).n).toBe(300);
  }, 60_000);

  it('compile: summary, the portable JSON form and the kernel source; the JSON runs without compiling', async () => {
    const out = join(tmp, 'tmdd.json');
    const source = join(tmp, 'tmdd.kernel.ts');
    const r = await cli(['compile', 'examples/user-models/tmdd.model', '--out', out, '--source', source, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.compartments).toEqual(['CENTRAL', 'RECEPTOR', 'COMPLEX']);
    expect(s.inKernel).toEqual(['C', 'bind']);
    expect(s.solver).toBe('rosenbrock');
    expect(readFileSync(source, 'utf8')).toBe(tmdd.kernel?.source);
    const portable = JSON.parse(readFileSync(out, 'utf8'));
    expect(portable.kernel.id).toBe(tmdd.kernel?.id);
    // defineModel (no compiler involved) of the portable form runs the same kernel
    const data = join(tmp, 'tmdd2.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,CMT\n1,0,1,10,1\n1,12,0,0,1\n');
    const viaJson = await cli(['simulate', '--model', out, '--data', data, '--json']);
    const viaText = await cli(['simulate', '--model', 'examples/user-models/tmdd.model', '--data', data, '--json']);
    expect(viaJson.code).toBe(0);
    expect(viaJson.out).toBe(viaText.out);
    // a module from another engine (other kernel id) is not used: the text is compiled again
    const stale = join(tmp, 'tmdd-stale.json');
    writeFileSync(stale, JSON.stringify({ ...portable, kernel: { id: '0123456789abcdef', wasm: portable.kernel.wasm } }));
    const viaStale = await cli(['simulate', '--model', stale, '--data', data, '--json']);
    expect(viaStale.code).toBe(0);
    expect(viaStale.out).toBe(viaText.out);
  });

  it('a mistake in the text: exit 1, file:line:col, the line and a caret', async () => {
    const bad = join(tmp, 'bad.model');
    writeFileSync(bad, 'theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * AA\nobserve = A / V\n');
    const r = await cli(['simulate', '--model', bad, '--data', 'examples/map-patient.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:3:16: unknown name AA (did you mean A?)`);
    expect(r.err).toContain('  3 | d/dt(A) = -K * AA');
  });
});
