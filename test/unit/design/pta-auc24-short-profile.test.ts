// An auc24 target on a regimen observed less than 24 h (q8h at steady state, observed 0–16 h): pta
// and band exited 2 ("the regimen's profile ends at 16 h, before 24 h") while population's metric
// auc24 computed AUCτ·24/τ for the same regimen, as the README states. The targets now resolve the
// daily AUC by population's rule, so the three commands count the same subjects in the window.
//
// Closed form: a one-compartment IV bolus at steady state gives AUCτ = Dose/CL exactly, so
// AUC24 = Dose·(24/τ)/CL = 3000/CL for 1000 mg q8h; with CL = 5·exp(η), η ~ N(0, 0.09),
// P(300 ≤ AUC24 ≤ 500) = P(6 ≤ CL ≤ 10) = Φ(ln 2 / 0.3) − Φ(ln 1.2 / 0.3).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { compileTarget } from '../../../src/design/targets/targets.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { regimen } from '../../../src/regimen/builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-auc24-short-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const model = {
  dosewise: 2,
  name: 'closed-form 1cmt iv',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  observe: { compartment: 1, unit: 'mg/L' },
};
const write = (name: string, x: unknown): string => {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify(x));
  return f;
};
const modelFile = write('m.json', model);
/** 1000 mg q8h at steady state from time 0, observed to `to` h. */
const q8 = (to: number) => ({ doses: [{ time: 0, amt: 1000, cmt: 1, ii: 8, ss: 1, addl: to / 8 - 1 }], observe: [{ grid: { from: 0, to, step: 0.05 } }] });
const short = write('q8h-16h.json', q8(16));
const full = write('q8h-24h.json', q8(24));
const common = ['--model', modelFile, '--n', '20000', '--seed', '1', '--workers', '0', '--no-progress', '--json'];

// Φ(ln 2 / 0.3) − Φ(ln 1.2 / 0.3), scipy.stats.norm.cdf (0.9895674… − 0.7283174…)
const P = 0.26124995040044385;
const SE = Math.sqrt((P * (1 - P)) / 20000);

describe('auc24 target on a profile shorter than 24 h', () => {
  it("compiles to population's auc24: the last interval [8, 16] × 24/8", () => {
    const recs = regimen().dose({ time: 0, amt: 1000, ii: 8, ss: 1, addl: 1 }).observe({ grid: { from: 0, to: 16, step: 0.05 } }).records();
    const t = compileTarget('auc24:300:500', recs);
    expect(t.metrics).toHaveLength(1);
    expect(t.metrics[0]).toMatchObject({ type: 'auc', t0: 8, t1: 16, fu: 3 });
    expect(t.metrics[0]).toEqual(parseMetric('auc24', regimenTimesOf(recs)));
    // a single dose has no interval to scale: still refused, as population's metric is
    const once = regimen().dose({ time: 0, amt: 1000 }).observe({ grid: { from: 0, to: 16, step: 1 } }).records();
    expect(() => compileTarget('auc24:300:500', once)).toThrow(/target auc24:300:500: the regimen's profile ends at 16 h, before 24 h, and has no dosing interval/);
    // it said "window [-8, 16] starts before time 0"
    expect(() => parseMetric('auc24', regimenTimesOf(once))).toThrow(/the profile ends at 16 h, before 24 h \(shorter than a daily AUC's 24 h\)/);
  });

  it('pta: every subject with 6 ≤ CL < 10 attains, none other; the PTA is the closed form; 16 h and 24 h of profile agree', async () => {
    const r = await cli(['pta', ...common, '--regimens', `${short},${full}`, '--target', 'auc24:300:500', '--strata', 'CL:6,10']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { regimens: { name: string; cells: { stratum: string; n: number; attained: number; below: number; above: number }[]; overall: { n: number; attained: number; pta: number } }[] };
    expect(j.regimens.map((g) => g.name)).toEqual(['q8h-16h', 'q8h-24h']);
    const [a, b] = j.regimens as [(typeof j.regimens)[0], (typeof j.regimens)[0]];
    // AUC24 = 3000/CL: above 500 below CL 6, in the window from 6 to 10, below 300 from 10 on
    const [low, mid, high] = a.cells as [(typeof a.cells)[0], (typeof a.cells)[0], (typeof a.cells)[0]];
    expect(low).toMatchObject({ stratum: 'CL < 6', attained: 0, above: low.n, below: 0 });
    expect(mid).toMatchObject({ stratum: '6 ≤ CL < 10', attained: mid.n, above: 0, below: 0 });
    expect(high).toMatchObject({ stratum: 'CL ≥ 10', attained: 0, above: 0, below: high.n });
    expect(a.overall.n).toBe(20000);
    expect(a.overall.attained).toBe(mid.n);
    expect(Math.abs(a.overall.pta - P)).toBeLessThan(4 * SE);
    // the same subjects observed over three whole intervals: the last 24 h, no factor
    const counts = (g: typeof a) => g.cells.map(({ stratum, n, attained, below, above }) => ({ stratum, n, attained, below, above }));
    expect(counts(b)).toEqual(counts(a));
  }, 60_000);

  it('band and population count the same subjects in the window as pta', async () => {
    const p = await cli(['pta', ...common, '--regimen', short, '--target', 'auc24:300:500']);
    expect(p.code, p.err).toBe(0);
    const attained = (JSON.parse(p.out) as { regimens: { overall: { attained: number } }[] }).regimens[0]!.overall.attained;
    const b = await cli(['band', ...common, '--regimen', short, '--target', 'auc24:300:500', '--by', 'CL', '--bands', '1', '--doses', '1000']);
    expect(b.code, b.err).toBe(0);
    expect((JSON.parse(b.out) as { fixed: { dose: number; in: number } }).fixed).toMatchObject({ dose: 1000, in: attained });
    const q = await cli(['population', ...common, '--regimen', short, '--metric', 'auc24', '--window', 'auc24=300:500']);
    expect(q.code, q.err).toBe(0);
    const m = (JSON.parse(q.out) as { metrics: { name: string; t0: number; t1: number; fu?: number; scale: number; report: { fracIn: number } }[] }).metrics[0]!;
    // the 24/τ factor is scale (it read "fu": 3, an unbound fraction of 3)
    expect(m).toMatchObject({ name: 'auc24', t0: 8, t1: 16, scale: 3 });
    expect(m.fu).toBeUndefined();
    expect(m.report.fracIn).toBe(attained / 20000);
  }, 60_000);
});
