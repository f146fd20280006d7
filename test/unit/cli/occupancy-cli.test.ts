// dosewise occupancy: the command prints the table occupancyDoses computes (that function is
// checked against independent references in test/unit/design/occupancy.test.ts).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { run } from '../../../src/cli/main.js';
import { defineModel } from '../../../src/model/model.js';
import { occupancyDoses } from '../../../src/design/occupancy/occupancy.js';
import { cli as runCli } from './run-cli.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await run(['node', 'dosewise', 'occupancy', ...args], (s) => (out += s));
  return { code, out };
}
const model = 'examples/occupancy-tmdd.model.json';

describe('dosewise occupancy', () => {
  it('prints, as JSON, the table of occupancyDoses; as text one row per receptor baseline', async () => {
    const r = await cli(['--model', model, '--target', '0.9', '--interval', '168', '--receptor', '0.1,1,10', '--json']);
    expect(r.code).toBe(0);
    const api = occupancyDoses(defineModel(JSON.parse(readFileSync(model, 'utf8'))), { target: 0.9, regimen: { interval: 168 }, receptor: [0.1, 1, 10], covariates: {} });
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(api)));
    const text = await cli(['--model', model, '--target', '0.9', '--interval', '168', '--receptor', '0.1,1,10']);
    expect(text.out.split('\n').filter((l) => /^\s+\d/.test(l))).toHaveLength(3);
    expect(text.out).toMatch(/90 % occupancy at trough \(C\/\(KD \+ C\), KD 0\.1\), every 168 h/);
  });

  it('refuses a target outside (0, 1), a bad receptor list and a model without receptors', async () => {
    expect((await cli(['--model', model, '--target', '1.2', '--interval', '168', '--receptor', '1'])).code).toBe(2);
    expect((await cli(['--model', model, '--target', '0.9', '--interval', '168', '--receptor', '1,x'])).code).toBe(2);
    expect((await cli(['--model', '2cmt-iv', '--target', '0.9', '--interval', '12', '--receptor', '1'])).code).toBe(2);
  });

  it('refuses --set R0 (--receptor sets the baseline R0 = KSYN/KDEG of each row) and --kd with --definition complex', async () => {
    const base = ['occupancy', '--model', model, '--target', '0.9', '--interval', '168', '--receptor', '1'];
    // both printed the table of --receptor 1 and the default KD, as if the option had been applied
    const r0 = await runCli([...base, '--set', 'R0=5']);
    expect(r0.code).toBe(2);
    expect(r0.err).toMatch(/--set R0=5: conflicts with --receptor, which sets the receptor baseline R0 = KSYN\/KDEG of each row \(KSYN = R0·KDEG\); give it there \(--receptor 5\)/);
    expect(r0.out).toBe('');
    const ksyn = await runCli([...base, '--set', 'KSYN=0.1']);
    expect(ksyn.code).toBe(2);
    expect(ksyn.err).toMatch(/--set KSYN=0\.1: conflicts with --receptor/);
    const kd = await runCli([...base, '--definition', 'complex', '--kd', '5']);
    expect(kd.code).toBe(2);
    expect(kd.err).toMatch(/--kd 5: only --definition kd \(the default, occupancy C\/\(KD \+ C\)\) uses KD; --definition complex computes complex\/\(receptor \+ complex\)/);
    expect(kd.out).toBe('');
    // --kd with the kd definition is used: the dose changes
    const d1 = await runCli([...base, '--json']);
    const d5 = await runCli([...base, '--kd', '5', '--json']);
    expect(JSON.parse(d5.out).rows[0].dose).toBeGreaterThan(JSON.parse(d1.out).rows[0].dose);
  });
});
