// dosewise estimate / forecast from the command line on the shipped example (the W-map patient).

import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await run(['node', 'dosewise', ...args], (s) => (out += s));
  return { code, out };
}

const base = ['--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv'];

describe('dosewise estimate / forecast', () => {
  it('estimate prints η, parameters, OFV and a predictions table; --json the documented array', async () => {
    const text = await cli(['estimate', ...base]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ID 1: converged/);
    expect(text.out).toMatch(/ETA_CL 0\.3076/);
    expect(text.out).toMatch(/IPRED/);
    const json = await cli(['estimate', ...base, '--json']);
    const rows = JSON.parse(json.out) as { id: number; eta: number[]; parameters: Record<string, number>; ofv: number; ipred: number[]; converged: boolean }[];
    expect(rows.length).toBe(1);
    // mapbayr's η, printed to 6 decimals: measured differences 1.24e-6 and 5.2e-7
    expect(Math.abs(rows[0]!.eta[0]! - 0.307654)).toBeLessThan(3e-6);
    expect(Math.abs(rows[0]!.eta[1]! - -0.221371)).toBeLessThan(3e-6);
    expect(rows[0]!.ipred.length).toBe(8);
  });

  it('estimate reports convergence: a line in the text, an object in --json', async () => {
    const text = await cli(['estimate', ...base]);
    expect(text.out).toMatch(/\n {2}convergence: \|gradient\| [0-9.e-]+, Hessian positive definite \(smallest eigenvalue [0-9.]+\), 1 mode from 8 start points and 0 extra local runs\n/);
    const json = await cli(['estimate', ...base, '--json']);
    const c = (JSON.parse(json.out) as { convergence: Record<string, unknown> }[])[0]!.convergence;
    expect(Object.keys(c)).toEqual(['gradientNorm', 'hessianPositiveDefinite', 'hessianMinEigenvalue', 'curvatureRelativeToPrior', 'modes', 'startPoints', 'localRuns', 'atBound', 'flat', 'multimodal']);
    expect(c.gradientNorm as number).toBeLessThan(1e-4);
    expect(c.hessianPositiveDefinite).toBe(true);
    expect((c.modes as { eta: number[]; ofv: number }[]).length).toBe(1);
    expect([c.atBound, c.flat, c.multimodal]).toEqual([false, false, false]);
  });

  it('forecast prints the band and metric intervals; --json is reproducible from --seed', async () => {
    const args = ['forecast', ...base, '--regimen', 'examples/map-future.json', '--draws', '500'];
    const text = await cli(args);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/500 posterior draws \(Laplace\); 90% credible band/);
    expect(text.out).toMatch(/auc24 +72-96/);
    const a = await cli([...args, '--seed', '5', '--json', '--metric', 'auc24', '--metric', 'trough']);
    const b = await cli([...args, '--seed', '5', '--json', '--metric', 'auc24', '--metric', 'trough']);
    expect(a.out).toBe(b.out);
    const f = JSON.parse(a.out)[0] as { times: number[]; lower: number[]; upper: number[]; metrics: Record<string, { median: number; lower: number; upper: number }> };
    expect(f.times.length).toBe(49);
    expect(Object.keys(f.metrics)).toEqual(['auc24', 'trough']);
    expect(f.metrics.trough!.lower).toBeLessThan(f.metrics.trough!.upper);
  });

  it('bad arguments: exit 2 for usage, 1 for bad data', async () => {
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect((await cli(['estimate', ...base, '--id', '7'])).code).toBe(2);
      expect((await cli(['forecast', ...base, '--regimen', 'examples/map-future.json', '--draws', '0'])).code).toBe(2); // an impossible option value, like --n 0
    } finally {
      process.stderr.write = orig;
    }
  });
});
