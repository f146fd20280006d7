// dosewise occupancy: the command prints the table occupancyDoses computes (that function is
// checked against independent references in test/unit/design/occupancy.test.ts).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { run } from '../../../src/cli/main.js';
import { defineModel } from '../../../src/model/model.js';
import { occupancyDoses } from '../../../src/design/occupancy/occupancy.js';

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
});
