// The interpreted tier of a model text (the shipped engine runs the kernel as register code) against
// the compiled tier (the engine compiled again with the generated kernel): bitwise-equal predictions
// and amounts with every method, through doses, infusions, SS and a reset, on texts that use every
// operation of the language. The compiled tier is the independent reference here: the same kernel
// program printed as AssemblyScript and compiled by asc.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { simulate } from '../../../src/engine/simulate.js';
import { defineModel, type Model } from '../../../src/model/model.js';
import { compileModelText } from '../../../src/model/text/index.js';
import { kernelCode } from '../../../src/model/text/bytecode.js';
import { cachedKernel, kernelKey } from '../../../src/engine/kernel-compiler.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import type { PopulationPlan } from '../../../src/population/plan.js';
import type { SolverMethod } from '../../../src/model/model.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'dosewise-interpreted-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
const example = (path: string) => readFileSync(`examples/${path}`, 'utf8');

/** Every operator and function of the language, t and an initial state. */
const EVERY_OP = `
theta VM = 20, KM = 2, KA = 1.1, V = 30, K0 = 0.05, P = 1.5, WT = 82
compartment DEPOT, CENTRAL, EFFECT
init(EFFECT) = sqrt(WT) / 4
C = CENTRAL / V
ON = C > 1 && t >= 2 || !(C <= 0.5)
CAP = min(C, 8) + max(C - 8, 0) * 0.5
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - VM * C / (KM + C) - K0 * CENTRAL * exp(-0.01 * t) + (C == 3) - (C != C)
d/dt(EFFECT) = (ON ? 0.2 : 0.1) * (CAP ^ P + C ^ 2 + abs(C - 4) + floor(C) * 0.01 + ceil(C) * 0.01 + log10(1 + C) + ln(1 + C) + log(2 + C) + pow(C + 1, 0.5)) - 0.3 * EFFECT * (WT / 70)
observe = EFFECT / (1 + C)
`;

const TEXTS: Readonly<Record<string, string>> = {
  'every operation': EVERY_OP,
  tmdd: example('user-models/tmdd.model'),
  'W-b (linear)': example('user-models/wb-population.model'),
  'two-cmt oral (linear)': example('user-models/two-cmt-oral.model'),
  'parent-metabolite': example('parent-metabolite/model.model'),
};

/** Doses (a steady state first, unless f reads t: it then has none), an infusion, a grid of levels. */
function records(ss: boolean): ReturnType<ReturnType<typeof regimen>['records']> {
  return regimen()
    .dose({ time: 0, amt: 100, cmt: 1, ...(ss ? { ss: 1, ii: 12 } : {}) })
    .dose({ time: 12, amt: 100, cmt: 1, addl: 2, ii: 12 })
    .dose({ time: 30, amt: 60, cmt: 2, dur: 2 })
    .observe({ grid: { from: 0, to: 60, step: 0.75 } })
    .records();
}

function bits(a: Float64Array): BigUint64Array {
  return new BigUint64Array(a.buffer, a.byteOffset, a.length);
}

const compiled: Record<string, Model> = {};
beforeAll(async () => {
  for (const [name, text] of Object.entries(TEXTS)) compiled[name] = await compileModel(text, { cacheDir });
}, 600_000);

describe('interpreted model texts', () => {
  it('run without compiling: defineModel of a text carries its register code; the compiled model does not need it', () => {
    for (const [name, text] of Object.entries(TEXTS)) {
      const m = defineModel({ dosewise: 'text', text });
      expect(m.kernel?.wasm, name).toBeUndefined();
      expect(m.kernel?.code, name).toBeDefined();
      expect(compiled[name]?.kernel?.wasm, name).toBeDefined();
    }
  });

  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: bitwise equal to the compiled kernel with every method`, () => {
      const interpreted = defineModel({ dosewise: 'text', text });
      const methods: (SolverMethod | undefined)[] = [undefined, 'dopri5', 'dop853', 'rosenbrock'];
      if (interpreted.kernel?.linear) methods.push('analytic');
      const recs = records(interpreted.kernel?.code?.flags !== undefined && (interpreted.kernel.code.flags & 1) === 1);
      for (const method of methods) {
        const o = { method, amounts: true, rtol: 1e-8, atol: 1e-10 } as const;
        const a = simulate(interpreted, recs, o);
        const b = simulate(compiled[name] as Model, recs, o);
        expect(bits(a.ipred), `${name} ${method ?? 'auto'} ipred`).toEqual(bits(b.ipred));
        expect(bits(a.amounts as Float64Array), `${name} ${method ?? 'auto'} amounts`).toEqual(bits(b.amounts as Float64Array));
        expect(a.ipred.some((v) => v !== 0 && Number.isFinite(v))).toBe(true);
      }
    });
  }

  it('a population of the interpreted TMDD text in 2 workers is byte-identical to the compiled text in this thread', async () => {
    const regimenRecords = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
    const plan = (model: unknown): PopulationPlan => ({
      model,
      regimen: regimenRecords.map((r) => r.items),
      key: seedKey('interpreted'),
      metrics: ['auc24', 'trough'].map((m) => parseMetric(m, { end: 336, tau: 12, lastDose: 324 })),
      table: true,
      profiles: false,
    });
    const interpretedJson = { dosewise: 'text', text: TEXTS.tmdd };
    const a = await runStudy(plan(interpretedJson), { n: 200, workers: 2, chunkSize: 50 });
    const b = await runStudy(plan((compiled.tmdd as Model).file), { n: 200, workers: 0 });
    expect(a.failed).toBe(0);
    for (const k of ['auc24', 'trough']) expect(JSON.stringify(a.aggregates[k]?.report())).toBe(JSON.stringify(b.aggregates[k]?.report()));
  }, 120_000);

  it('kernels too large for the shipped engine get no code (they are compiled)', () => {
    const states = Array.from({ length: 7 }, (_, i) => `A${i}`);
    const seven = `theta K = 0.1\ncompartment ${states.join(', ')}\n${states.map((s, i) => `d/dt(${s}) = -K * ${s} * ${s}${i > 0 ? ` + K * ${states[i - 1]}` : ''}`).join('\n')}\nobserve = A6`;
    expect(kernelCode(compileModelText(seven).program)).toBeUndefined();
    expect(defineModel({ dosewise: 'text', text: example('user-models/transit.model') }).kernel?.code).toBeUndefined();
    const m = defineModel({ dosewise: 'text', text: seven });
    expect(m.kernel?.code).toBeUndefined();
    expect(() => simulate(m, regimen().dose({ time: 0, amt: 1 }).observe({ times: [1] }).records())).toThrow(/too large to interpret and is not compiled yet/);
    // a linear text of 5 states needs the compiled engine's larger buffers for its exact propagation
    const five = states.slice(0, 5);
    const linear5 = `theta K = 0.1\ncompartment ${five.join(', ')}\n${five.map((s, i) => `d/dt(${s}) = -K * ${s}${i > 0 ? ` + K * ${five[i - 1]}` : ''}`).join('\n')}\nobserve = A4`;
    expect(kernelCode(compileModelText(linear5).program)).toBeUndefined();
  });
});

describe("compileModel tier 'auto'", () => {
  it('runs a text interpreted at once when its kernel is not cached, compiles it in the background, and uses the compiled kernel once it is there', async () => {
    const dir = join(cacheDir, 'auto');
    const text = EVERY_OP.replace('0.3 * EFFECT', '0.31 * EFFECT');
    const before = process.env.DOSEWISE_BACKGROUND_COMPILE;
    process.env.DOSEWISE_BACKGROUND_COMPILE = '1';
    try {
      let background: boolean | undefined;
      const t0 = performance.now();
      const first = await compileModel(text, { cacheDir: dir, tier: 'auto', onInterpreted: (i) => (background = i.background) });
      const ms = performance.now() - t0;
      expect(first.kernel?.wasm).toBeUndefined();
      expect(background).toBe(true);
      expect(ms).toBeLessThan(1000);
      // a second call while the first compilation runs does not start another
      let again: boolean | undefined;
      await compileModel(text, { cacheDir: dir, tier: 'auto', onInterpreted: (i) => (again = i.background) });
      expect(again).toBe(false);
      const source = first.kernel?.source as string;
      const file = join(dir, `${kernelKey(source)}.wasm`);
      for (let i = 0; i < 240 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 20 && existsSync(join(dir, `${kernelKey(source)}.compiling`)); i++) await new Promise((r) => setTimeout(r, 250));
      expect(cachedKernel(source, { cacheDir: dir })).toBeDefined();
      const second = await compileModel(text, { cacheDir: dir, tier: 'auto' });
      expect(second.kernel?.wasm).toBeDefined();
      const recs = records(false);
      expect(bits(simulate(first, recs).ipred)).toEqual(bits(simulate(second, recs).ipred));
    } finally {
      if (before === undefined) delete process.env.DOSEWISE_BACKGROUND_COMPILE;
      else process.env.DOSEWISE_BACKGROUND_COMPILE = before;
    }
  }, 180_000);
});
