// Shards of one model text, one run interpreted (no kernel cached yet) and one compiled (cached
// since), were refused by merge: 'model (SHA-256 of its content) "ed53c7…" differs from "b19f4a…"',
// although their tables concatenated are byte for byte one run's. The summary hashed the loaded
// model, whose compiled tier carries the module. It now hashes the text alone: the tiers, the JSON
// form that `compile --out` writes and a copy at another path merge; another text is refused.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-merge-tiers-'));
const env = { cache: process.env.DOSEWISE_CACHE_DIR, background: process.env.DOSEWISE_BACKGROUND_COMPILE };
afterAll(() => {
  for (const [k, v] of [['DOSEWISE_CACHE_DIR', env.cache], ['DOSEWISE_BACKGROUND_COMPILE', env.background]] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  rmSync(tmp, { recursive: true, force: true });
});
const at = (...p: string[]): string => join(tmp, ...p);

const TEXT = `model "oral MM text"
theta TVVM = 40, TVKM = 4, TVV = 50, TVKA = 1.2
eta ETA_VM ~ 0.09
eta ETA_V ~ 0.04
eta ETA_KA ~ 0.25
residual proportional 0.1
compartment DEPOT, CENTRAL
VM = TVVM * exp(ETA_VM)
V = TVV * exp(ETA_V)
KA = TVKA * exp(ETA_KA)
C = CENTRAL / V
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - VM * C / (TVKM + C)
observe = CENTRAL / V
`;

const run = (model: string, ...extra: string[]) =>
  cli(['population', '--model', model, '--regimen', 'examples/wb-regimen.json', '--n', '200', '--seed', '4', '--metric', 'auc24', '--metric', 'trough', '--workers', '0', '--no-progress', ...extra]);
const merge = (dirs: string[], out: string) => cli(['merge', ...dirs, '--out', out]);
const interpreted: Record<string, string> = {};

beforeAll(async () => {
  process.env.DOSEWISE_CACHE_DIR = at('cache');
  process.env.DOSEWISE_BACKGROUND_COMPILE = '0';
  writeFileSync(at('mm.model'), TEXT);
  writeFileSync(at('other.model'), TEXT.replace('TVVM = 40', 'TVVM = 41'));
  for (const [name, args] of [['s1', ['--shard', '1/2']], ['one', []], ['other2', ['--shard', '2/2']]] as const) {
    const r = await run(at(name === 'other2' ? 'other.model' : 'mm.model'), ...args, '--out', at(name));
    expect(r.code, r.err).toBe(0);
    interpreted[name] = r.err;
  }
  // the kernel cached (compile waits for it) and the JSON form with its module
  expect((await cli(['compile', at('mm.model'), '--out', at('mm.json')])).code).toBe(0);
  expect((await run(at('mm.model'), '--shard', '2/2', '--out', at('s2'))).code).toBe(0);
  expect((await run(at('mm.json'), '--shard', '2/2', '--out', at('s2json'))).code).toBe(0);
  writeFileSync(at('copy.model'), TEXT);
  expect((await run(at('copy.model'), '--shard', '2/2', '--out', at('s2copy'))).code).toBe(0);
}, 180_000);

describe('merge: shards of one model text on either kernel tier', () => {
  it('an interpreted and a compiled shard merge to the single run\'s table', async () => {
    expect(interpreted.s1).toMatch(/runs interpreted/);
    const r = await merge([at('s1'), at('s2')], at('m'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(at('m', 'subjects.csv'), 'utf8')).toBe(readFileSync(at('one', 'subjects.csv'), 'utf8'));
    const inputs = (d: string) => (JSON.parse(readFileSync(at(d, 'summary.json'), 'utf8')) as { inputs: { model: string } }).inputs.model;
    expect(inputs('s2')).toBe(inputs('s1'));
  });

  it('the compiled JSON form (compile --out) and a copy at another path are the same model', async () => {
    for (const s2 of ['s2json', 's2copy']) {
      const r = await merge([at('s1'), at(s2)], at(`m-${s2}`));
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(at(`m-${s2}`, 'subjects.csv'), 'utf8')).toBe(readFileSync(at('one', 'subjects.csv'), 'utf8'));
    }
  });

  it('another model text is refused (TVVM 41 for 40)', async () => {
    const r = await merge([at('s1'), at('other2')], at('m-other'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/other2: model \(SHA-256 of its content\) "[0-9a-f]{64}" differs from "[0-9a-f]{64}" in .*s1: the shards are not from one run/);
  });
});
