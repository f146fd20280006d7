// A model text's portable JSON (`dosewise compile --out`, model.file) runs its embedded module only
// when the module belongs to the text: kernel id recomputed from the text, SHA-256 of (id, module
// bytes) recomputed from the bytes. Swapped, damaged, unsigned or stale modules are compiled again
// (CLI, compileModel) or refused (defineModel without a compiler, pool workers), never run.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { simulate } from '../../../src/engine/simulate.js';
import { defineModel, type Model, type TextModelFile } from '../../../src/model/model.js';
import { sha256 } from '../../../src/model/sha256.js';
import { moduleDigest } from '../../../src/model/text/embedded-module.js';
import { compileModelText, kernelId } from '../../../src/model/text/index.js';
import { generateKernelSource } from '../../../src/model/text/codegen.js';
import { ENGINE_ASC } from '../../../src/engine-digest.js';
import { regimen } from '../../../src/regimen/builder.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import type { PopulationPlan } from '../../../src/population/plan.js';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-embedded-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const text = (name: string) => readFileSync(`examples/user-models/${name}.model`, 'utf8');

describe('sha256 = node:crypto', () => {
  it('FIPS 180-4 test vectors', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('any bytes, split anywhere (fast-check, 300 cases, lengths 0–300 around every padding boundary)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.string(), (b, cut, s) => {
        const at = Math.min(cut, b.length);
        const ref = createHash('sha256').update(s).update(b).digest('hex');
        return sha256(s, b.subarray(0, at), b.subarray(at)) === ref;
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});

let oral: Model;
let transit: Model;
let oralJson: TextModelFile & { kernel: { id: string; wasm: string; sha256: string } };
let transitJson: typeof oralJson;
const items = { WT: 80, ETA_CL: 0.1, ETA_V: -0.05 };
const recs = regimen().dose({ time: 0, amt: 500, cmt: 1, addl: 3, ii: 12 }).observe({ times: [1, 6, 12, 30], items }).records();
beforeAll(async () => {
  oral = await compileModel(text('two-cmt-oral'), { file: 'two-cmt-oral.model' });
  transit = await compileModel(text('transit'), { file: 'transit.model' });
  oralJson = JSON.parse(JSON.stringify(oral.file));
  transitJson = JSON.parse(JSON.stringify(transit.file));
}, 120_000);

/** The oral model's JSON with its kernel field replaced. */
const withKernel = (kernel: Record<string, unknown>): unknown => ({ ...oralJson, kernel: { ...oralJson.kernel, ...kernel } });

describe('the portable JSON form carries a digest binding the module to its text', () => {
  it('written by compileModel; an intact file loads without compiling and gives the same numbers', async () => {
    expect(oralJson.kernel.sha256).toBe(createHash('sha256').update(`dosewise kernel ${oralJson.kernel.id}\0`).update(Buffer.from(oralJson.kernel.wasm, 'base64')).digest('hex'));
    let compiled = false;
    const m = await compileModel(oralJson, { onCompileStart: () => (compiled = true), onKernel: () => (compiled = true), onRefused: () => (compiled = true) });
    expect(compiled).toBe(false);
    expect(m.kernel?.refused).toBeUndefined();
    expect([...simulate(m, recs).ipred]).toEqual([...simulate(oral, recs).ipred]);
  });

  const cases: [string, () => unknown, RegExp][] = [
    ['the module of another model (kernel.wasm only)', () => withKernel({ wasm: transitJson.kernel.wasm }), /kernel\.wasm does not match kernel\.sha256/],
    ['the module and digest of another model', () => withKernel({ wasm: transitJson.kernel.wasm, sha256: transitJson.kernel.sha256 }), /kernel\.wasm does not match kernel\.sha256/],
    ['the whole kernel field of another model', () => ({ ...oralJson, kernel: transitJson.kernel }), /kernel\.id "[0-9a-f]+" is not the kernel of this text/],
    ['one byte of the module changed', () => {
      const b = Buffer.from(oralJson.kernel.wasm, 'base64');
      b[b.length >> 1] ^= 1;
      return withKernel({ wasm: b.toString('base64') });
    }, /does not match kernel\.sha256/],
    ['no digest (an older file)', () => withKernel({ sha256: undefined }), /kernel\.sha256 is missing/],
    ['the kernel changed in the text, the old module kept', () => ({ ...oralJson, text: oralJson.text.replace('- k21 * PERIPH', '- 2 * k21 * PERIPH') }), /is not the kernel of this text/],
    ['a module that is not base64', () => withKernel({ wasm: '*not base64*' }), /kernel\.wasm is not valid base64/],
    ['a module of another engine build (same ABI; its id and digest consistent)', () => {
      const id = kernelId(generateKernelSource(compileModelText(oralJson.text).program, ''), { digest: 'f'.repeat(64), asc: ENGINE_ASC });
      return withKernel({ id, sha256: moduleDigest(id, Buffer.from(oralJson.kernel.wasm, 'base64')) });
    }, /kernel\.id "[0-9a-f]+" is not the kernel of this text .*another model or engine/],
  ];
  for (const [what, json, why] of cases) {
    it(`${what}: refused without a compiler (no number), compiled again by compileModel`, async () => {
      const m = defineModel(json());
      expect(m.kernel?.wasm).toBeUndefined();
      expect(m.kernel?.refused).toMatch(why);
      expect(() => simulate(m, recs)).toThrow(/compiled module in its JSON was refused/);
      // the JSON that travels to workers no longer carries the refused module
      expect((m.file as TextModelFile).kernel).toBeUndefined();
      const refusals: string[] = [];
      const again = await compileModel(json(), { file: 'oral.json', onRefused: (w) => refusals.push(w) });
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatch(/^oral\.json: /);
      const ref = defineModel({ dosewise: 'text', text: (json() as TextModelFile).text, kernel: undefined });
      expect(again.kernel?.id).toBe(ref.kernel?.id);
      if (again.kernel?.id === oral.kernel?.id) expect([...simulate(again, recs).ipred]).toEqual([...simulate(oral, recs).ipred]);
    }, 60_000);
  }

  it('a text change outside the kernel (θ) keeps the module: it is the same kernel', () => {
    const m = defineModel({ ...oralJson, text: oralJson.text.replace('TVCL = 5', 'TVCL = 6') });
    expect(m.kernel?.wasm).toBeDefined();
    expect(m.kernel?.id).toBe(oral.kernel?.id);
  });

  it('moduleDigest depends on the kernel id and on every byte', () => {
    const b = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    const d = moduleDigest('0011223344556677', b);
    expect(moduleDigest('0011223344556678', b)).not.toBe(d);
    expect(moduleDigest('0011223344556677', b.map((x, i) => (i === 7 ? 1 : x)))).not.toBe(d);
  });
});

describe('dosewise --model FILE.json with a swapped module', () => {
  it('warns, naming the file, compiles the text again and prints the numbers of the intact file', async () => {
    const data = join(tmp, 'oral.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,WT\n1,0,1,500,1,80\n1,2,0,0,2,80\n1,12,0,0,2,80\n');
    const intact = join(tmp, 'oral.json');
    const swapped = join(tmp, 'oral-swapped.json');
    writeFileSync(intact, JSON.stringify(oralJson));
    writeFileSync(swapped, JSON.stringify(withKernel({ wasm: transitJson.kernel.wasm })));
    const a = await cli(['simulate', '--model', intact, '--data', data, '--json']);
    const b = await cli(['simulate', '--model', swapped, '--data', data, '--json']);
    expect(a.code).toBe(0);
    expect(a.err).toBe('');
    expect(b.code).toBe(0);
    expect(b.err).toContain(`dosewise: ${swapped}: kernel.wasm does not match kernel.sha256`);
    expect(b.out).toBe(a.out);
    const ipred = (JSON.parse(b.out) as { IPRED: number }[]).map((r) => r.IPRED);
    expect(Math.max(...ipred)).toBeLessThan(20);
  }, 60_000);
});

describe('pool workers check the module too', () => {
  const plan = (model: unknown): PopulationPlan => ({
    model,
    regimen: recs.map((r) => r.items),
    key: seedKey('embedded-module'),
    metrics: [parseMetric('cmax', { end: 48, tau: 12, lastDose: 36 })],
    table: false,
    profiles: false,
  });
  it('a swapped module given straight to the workers is refused there; the intact one runs', async () => {
    await expect(runStudy(plan(withKernel({ wasm: transitJson.kernel.wasm })), { n: 20, workers: 2, chunkSize: 10 })).rejects.toThrow(/compiled module in its JSON was refused \(kernel\.wasm does not match/);
    const ok = await runStudy(plan(oralJson), { n: 20, workers: 2, chunkSize: 10 });
    expect(ok.count).toBe(20);
    expect(ok.failed).toBe(0);
  }, 60_000);
});
