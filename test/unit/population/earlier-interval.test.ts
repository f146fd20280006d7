// An observation grid that ends inside the last dose's interval: the metrics of the last dosing
// interval (trough, cmax, auc24, pta's clauses) are judged on the last interval the profile holds
// whole, an earlier one. The case: 1000 mg over 0.5 h q6h, four doses from empty, observed
// 0–24 h by 0.35 h (last sample 23.8 h): pta judged 12–18 h, put the regimen at 34.0 % beside
// 36.5 % for the same regimen on a 0.1-h grid ("ahead by 22.6 paired SE"), and said nothing;
// population printed no window (only --json had t0 12, t1 18), and pta printed none.
// Now both warn W_EARLIER_INTERVAL naming the file, the window judged and the fix, population's
// table has an `hours` column, and pta prints the hours each regimen is judged on.
//
// CL 5, V 50 (k 0.1/h), Ω negligible: the levels are closed forms (python3, superposition of the
// four 0.5-h infusions at R = 2000 mg/h, C = Σ R/CL·(1 − e^(−k·0.5))·e^(−k(t − tᵢ − 0.5))):
// the pre-dose level at 18 h (trough of 12–18 h) 20.822314792867985, at 24 h (18–24 h)
// 22.68279836332283; the peaks at 12.5 h 36.090339953723344 and at 18.5 h 39.31502871690691.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-earlier-interval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = (name: string, v: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(v));
  return p;
};

const model = json('m.json', {
  dosewise: 2,
  name: 'fixed',
  structure: '1cmt-iv',
  covariates: { WT: { default: 70, unit: 'kg' } },
  parameters: { CL: '5*exp(ETA_CL)*(WT/70)^0', V: 50 },
  omega: { etas: ['ETA_CL'], diagonal: [1e-20] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const cov = json('cov.json', { covariates: { WT: { dist: 'normal', mean: 70, sd: 10, lower: 40, upper: 120, unit: 'kg' } } });
const doses = [{ time: 0, amt: 1000, cmt: 1, dur: 0.5, ii: 6, addl: 3 }];
const regimen = (name: string, observe: unknown[]): string => json(name, { doses, observe });
const odd = regimen('r_odd.json', [{ grid: { from: 0, to: 24, step: 0.35 } }]);
const fine = regimen('r_fine.json', [{ grid: { from: 0, to: 24, step: 0.1 } }]);
// the fix the warning gives: the time 24 added to "observe"
const fixed = regimen('r_fixed.json', [{ grid: { from: 0, to: 24, step: 0.35 } }, { times: [24] }]);

const TROUGH_12_18 = 20.822314792867985;
const TROUGH_18_24 = 22.68279836332283;
const CMAX_12_18 = 36.090339953723344;
const CMAX_18_24 = 39.31502871690691;

interface Metric {
  name: string;
  t0: number;
  t1: number;
  report: { mean: number };
}
const population = (reg: string, extra: string[] = []) =>
  cli(['population', '--model', model, '--covariates', cov, '--regimen', reg, '--n', '4', '--seed', '1', '--workers', '0', '--no-progress', '--metric', 'trough', '--metric', 'cmax', '--metric', 'conc@4', ...extra]);
const metricsOf = (out: string): Record<string, Metric> => Object.fromEntries((JSON.parse(out) as { metrics: Metric[] }).metrics.map((m) => [m.name, m]));
const rel = (x: number, ref: number): number => Math.abs(x / ref - 1);

describe('a grid ending inside the last dose interval', () => {
  it('regimenTimesOf marks the dose whose interval the profile stops inside, not a grid ending on a dose', () => {
    const times = (observe: unknown[]) => regimenTimesOf(parseRegimenJson({ doses, observe }, 'r.json'));
    expect(times([{ grid: { from: 0, to: 24, step: 0.35 } }])).toMatchObject({ end: 23.8, tau: 6, lastDose: 12, cutDose: 18 });
    expect(times([{ grid: { from: 0, to: 24, step: 0.1 } }]).cutDose).toBeUndefined();
    // ending at the dose at 18 h: the interval before it, its trough the level drawn before that dose
    expect(times([{ grid: { from: 0, to: 18, step: 1 } }])).toEqual({ end: 18, tau: 6, lastDose: 12 });
  });

  it('population warns, names the window judged and prints it in the table', async () => {
    const r = await population(odd, ['--json']);
    expect(r.code, r.err).toBe(0);
    const m = metricsOf(r.out);
    // measured: trough −3.7e-11, cmax −1.6e-11 relative to the closed form of 12–18 h (the η of Ω 1e-20)
    expect(rel((m.trough as Metric).report.mean, TROUGH_12_18)).toBeLessThan(2e-10);
    expect(rel((m.cmax as Metric).report.mean, CMAX_12_18)).toBeLessThan(2e-10);
    expect([(m.trough as Metric).t0, (m.trough as Metric).t1]).toEqual([12, 18]);
    const w =
      `W_EARLIER_INTERVAL: ${odd}: the observation grid ends at 23.8 h, inside the interval of the dose at 18 h (18–24 h), so trough, cmax are judged on the interval 12–18 h, ` +
      'the last one the profile holds whole; to judge the dose at 18 h, observe up to 24 h (add the time 24 to "observe", or a grid step that ends on it); to mean 12–18 h, give that window (e.g. trough:12:18)';
    expect(r.err).toContain(`dosewise: warning: ${w}\n`);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings).toContain(w);
    const text = await population(odd);
    expect(text.code, text.err).toBe(0);
    const row = (name: string): string[] => (text.out.split('\n').find((l) => l.trim().startsWith(`${name} `)) as string).trim().split(/\s+/);
    expect((text.out.split('\n').find((l) => /\bmetric\b/.test(l)) as string).trim().split(/\s+/).slice(0, 3)).toEqual(['metric', 'hours', 'n']);
    expect(row('trough')[1]).toBe('12–18');
    expect(row('cmax')[1]).toBe('12–18');
    expect(row('conc@4')[1]).toBe('4');
  }, 60_000);

  it('with the time 24 added (the fix it gives), the last dose interval, without a warning', async () => {
    for (const reg of [fixed, fine]) {
      const r = await population(reg, ['--json']);
      expect(r.code, r.err).toBe(0);
      const m = metricsOf(r.out);
      // measured: trough −4.2e-11, cmax −2.0e-11 on both grids
      expect(rel((m.trough as Metric).report.mean, TROUGH_18_24)).toBeLessThan(2e-10);
      expect(rel((m.cmax as Metric).report.mean, CMAX_18_24)).toBeLessThan(2e-10);
      expect([(m.trough as Metric).t0, (m.trough as Metric).t1]).toEqual([18, 24]);
      expect(r.err).not.toContain('W_EARLIER_INTERVAL');
    }
  }, 60_000);

  it('an explicit window or a whole-profile metric is not warned of', async () => {
    const r = await cli(['population', '--model', model, '--covariates', cov, '--regimen', odd, '--n', '4', '--workers', '0', '--no-progress', '--metric', 'trough:12:18', '--metric', 'tabove:10', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('W_EARLIER_INTERVAL');
  }, 60_000);

  it('pta warns and prints the hours each regimen is judged on', async () => {
    // fT > 21.5 mg/L (python3, closed form, brentq crossings): 12–18 h above it from 12.1069 to
    // 17.6797 h, 0.9288 of τ; 18–24 h from 18.0179 h on (trough 22.68), 0.9970: ≥ 0.96 is missed on
    // the earlier interval and met on the last
    const r = await cli(['pta', '--model', model, '--covariates', cov, '--regimens', `${fine},${odd}`, '--target', 'tabove:21.5:0.96', '--n', '8', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`dosewise: warning: W_EARLIER_INTERVAL: ${odd}: the observation grid ends at 23.8 h, inside the interval of the dose at 18 h (18–24 h), so tabove:21.5:0.96 is judged on the interval 12–18 h`);
    expect(r.err).not.toContain(`W_EARLIER_INTERVAL: ${fine}`);
    expect(r.out).toContain('judged on: r_fine 18–24 h; r_odd 12–18 h\n');
    expect(r.out).toMatch(/^r_fine\s+1000 q6h\s+4000\s+100\.0 \[/m);
    expect(r.out).toMatch(/^r_odd\s+1000 q6h\s+4000\s+0\.0 \[/m);
    const one = await cli(['pta', '--model', model, '--covariates', cov, '--regimens', `${fine},${fixed}`, '--target', 'auc24:1:1e9,trough:1:100', '--n', '8', '--workers', '0', '--no-progress']);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toContain('judged on auc24:1:1000000000 0–24 h, trough:1:100 18–24 h (every regimen)\n');
    expect(one.err).not.toContain('W_EARLIER_INTERVAL');
  }, 60_000);
});
