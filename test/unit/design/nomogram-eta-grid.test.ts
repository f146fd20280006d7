// A nomogram cell may set an η or a model parameter (a what-if: --grid ETA_CL=0,0.5, --set E0=20),
// and the dose was right for it, but the rule still said "typical patient (η = 0) per cell", the
// help said grid names are covariates, and the refusal of an unknown name listed the η's as "data
// items". The rule, the table and the report now say which names were not the typical patient's.
// Closed form (1-cmt IV, auc24 = 24·dose/(τ·CL)): dose q12h = 500·CL/2, CL = 5·e^η at EGFR 90:
// η 0 → 1250, η 0.5 → 1250·e^0.5 = 2060.90.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { formatNomogram, nomogram, type NomogramOptions } from '../../../src/design/nomogram/nomogram.js';
import { NOMOGRAM_HELP, registerNomogram } from '../../../src/cli/nomogram.js';

const json = {
  dosewise: 2,
  name: 't4_1cmt',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  covariates: { EGFR: { unit: 'mL/min/1.73m2' }, WT: { unit: 'kg' } },
  parameters: { CL: { expr: 'TVCL * (EGFR / 90)^0.75 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  observe: { compartment: 1, unit: 'mg/L' },
};
const m1 = defineModel(json);
const emax = defineModel(JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')));
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-nomogram-eta-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const m1File = join(tmp, 'm1.json');
writeFileSync(m1File, JSON.stringify(json));

const base: NomogramOptions = { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'ETA_CL', values: [0, 0.5] }], fixed: { WT: 70, EGFR: 90 } };

async function run(args: string[]): Promise<{ out: string; error?: Error }> {
  let out = '';
  const write = (s: string) => void (out += s);
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: write, writeErr: write });
  registerNomogram(p, write);
  try {
    await p.parseAsync(['node', 'dosewise', ...args]);
    return { out };
  } catch (e) {
    return { out, error: e as Error };
  }
}

describe('nomogram cells that set an η or a parameter', () => {
  it('an η on the grid: the dose is the closed form and the rule says η = 0 except it', () => {
    const n = nomogram(m1, base);
    // the engine's AUC on 480 points per interval: 3.8e-7 and 1.02e-6 relative (measured)
    const exact = [1250, 1250 * Math.exp(0.5)];
    n.cells.forEach((c, i) => expect(Math.abs((c.computed as number) / (exact[i] as number) - 1)).toBeLessThan(3e-6));
    expect(n.rule).toMatch(/^per cell: η = 0 except ETA_CL from the grid; steady state from the engine/);
    expect(n.rule).not.toMatch(/typical patient/);
    expect(n.whatIf).toBe('η = 0 except ETA_CL from the grid');
    expect(formatNomogram(n)).toMatch(/\npatient per cell: η = 0 except ETA_CL from the grid\n/);
  });

  it('an η held fixed and a parameter on the grid are named with their values or axis', () => {
    const n = nomogram(m1, { ...base, grid: [{ name: 'EGFR', values: [90] }], fixed: { WT: 70, ETA_V: 0.2 } });
    expect(n.rule).toMatch(/^per cell: η = 0 except ETA_V = 0\.2; steady state/);
    const e = nomogram(emax, { target: { metric: 'cavg', value: 50 }, intervals: [12], grid: [{ name: 'E0', values: [10, 20] }] });
    expect(e.rule).toMatch(/^per cell: every η = 0; E0 from the grid in place of the model's parameter; steady state/);
  });

  it('the typical patient alone: the rule as before, no whatIf', () => {
    const n = nomogram(m1, { ...base, grid: [{ name: 'EGFR', values: [90] }], fixed: { WT: 70 } });
    expect(n.rule).toMatch(/^typical patient \(η = 0\) per cell; steady state/);
    expect(n.whatIf).toBeUndefined();
    expect(formatNomogram(n)).not.toMatch(/patient per cell/);
  });

  it('the library refusal of a name the model does not read lists its η and parameters apart from its covariates', () => {
    expect(() => nomogram(m1, { ...base, grid: [{ name: 'FOO', values: [1] }] })).toThrow(/does not read FOO \(its covariates: EGFR, WT\); its η \(ETA_CL, ETA_V\) and parameters \(.*CL.*\) may be set too, as a what-if/);
  });

  it('CLI: the text says the patient, the JSON rule too; the refusal lists η apart; the help agrees', async () => {
    const cli = ['nomogram', '--model', m1File, '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--set', 'WT=70', '--set', 'EGFR=90'];
    const text = await run([...cli, '--grid', 'ETA_CL=0,0.5']);
    expect(text.error).toBeUndefined();
    expect(text.out).toMatch(/\npatient per cell: η = 0 except ETA_CL from the grid\n/);
    const j = await run([...cli, '--grid', 'ETA_CL=0,0.5', '--json']);
    expect((JSON.parse(j.out) as { rule: string }).rule).toMatch(/^per cell: η = 0 except ETA_CL from the grid;/);
    const bad = await run([...cli, '--grid', 'FOO=1']);
    expect(bad.error?.message).toMatch(/--grid FOO=1: model t4_1cmt has no parameter or data item FOO \(parameters: .*; data items: EGFR, WT; η: ETA_CL, ETA_V\)/);
    expect(NOMOGRAM_HELP).toMatch(/an η \(e\.g\. ETA_CL=0,0\.5\) or a model parameter may be set too/);
    expect(NOMOGRAM_HELP).not.toMatch(/Grid names are the model's covariates;/);
  });
});
