// Which dosing interval the interval metrics (trough, auc24, cmax, pta's clauses) are judged on
// where the regimen changes (cases):
// - a change of interval with the grid ending inside the last dose's interval: the doses after the
//   grid's end were dropped but the dropped dose's II kept, so q24h then q12h from 48 h on 0–56 h
//   judged 24–36 h ("the last one the profile holds whole", by the q12h dose's II: trough C(36)
//   9.141, auc24 AUC(12–36) 235.37, pta trough:5:15 100 %), and q12h then q24h from 48 h on 0–60 h
//   judged 36–60 h, the 48-h dose inside it (trough C(60) 10.392, auc24 321.27). A dose's interval
//   is now its own: up to the next dose, or its II where that comes first.
// - a forecast plan at 48 and 72 h without II, its grid ending at 71 h: the 72-h dose was dropped
//   before the plan's doses were counted, so the history's 12-h spacing made 48–60 h its interval,
//   without a warning. The dose after the grid ends the plan dose's interval (48–72 h), which the
//   grid does not hold: W_EARLIER_INTERVAL, as with II 24.
// - a rate step-down whose last part is shorter than the gap before it (250 mg/h for 48 h, then
//   125 mg/h for 24 h) read "3000 q48h", auc24 AUC(0–48)/2 = 575, PTA 100 % for auc24:400:700; after a
//   load, no interval. It is one continuous infusion: auc24 the last 24 h, 325, per 24 h 3000.
// - the refusal of a load then RATE −2 of unknown length advised "ii 0.5" (the load's lead: 18 g over
//   72 h as q0.5h doses), and forecast's W_CONTINUOUS_INFUSION gave its example window to 10 digits
//   (cavg:49.81471139:73.81471139) where forecast prints hours to 2 decimals.
//
// References (python3, computed once, not at test time):
// - CL 4, V 50, 1-h infusions, superposition of the closed form R/CL·(1 − e^(−k·t)) (during) and
//   R/CL·(1 − e^(−k))·e^(−k(t − t₀ − 1)) (after), AUCs by scipy.integrate.quad split at the infusion
//   ends: q24h ×2 then 500 mg at 48 h: C(48) 3.5001507515944112, AUC(24–48) 244.40581553185294;
//   500 mg q12h ×4 then 1000 mg at 48 h: C(48) 6.320741062991406, AUC(24–48) 239.89775184235737.
// - CL 10, V 20 (k 0.5/h), 250 mg/h 0–48 h then 125 mg/h 48–72 h: C(48) = 25·(1 − e^(−24)),
//   AUC(48–72) = 12.5·24 + (C(48) − 12.5)/k·(1 − e^(−12)) = 324.9998463928036 (quad the same).
// - forecast, 2-cmt at the map example's MAP (CL 5.440927820968536, V 24.04259152537668, Q 6, V2 50),
//   history 1000 mg over 1 h q12h from 0 h, scipy expm of the matrix augmented with the rate:
//   C(48) 6.785098840431198, AUC(24–48) 336.1552560022667.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { populationMetrics, rel, type Metric } from './metric-run.js';
import { continuousRefusal, regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-interval-judged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const json = (name: string, v: unknown): string => write(name, JSON.stringify(v));
const oneCmt = (name: string, cl: number, v: number): string =>
  json(name, {
    dosewise: 2,
    name: '1cmt IV',
    structure: '1cmt-iv',
    parameters: { CL: `${cl}*exp(ETA_CL)`, V: v },
    omega: { etas: ['ETA_CL'], diagonal: [1e-20] },
    residual: { model: 'proportional', proportional: 0.1 },
  });
const slow = oneCmt('m_slow.json', 4, 50);
const iv = oneCmt('m_iv.json', 10, 20);
const grid = (to: number) => [{ grid: { from: 0, to, step: 0.25 } }];
const switchA = { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 24, addl: 1 }, { time: 48, amt: 500, cmt: 1, dur: 1, ii: 12, addl: 1 }], observe: grid(56) };
const switchB = { doses: [{ time: 0, amt: 500, cmt: 1, dur: 1, ii: 12, addl: 3 }, { time: 48, amt: 1000, cmt: 1, dur: 1, ii: 24 }], observe: grid(60) };
const down = (to: number) => ({ doses: [{ time: 0, amt: 12000, cmt: 1, rate: 250 }, { time: 48, amt: 3000, cmt: 1, rate: 125 }], observe: grid(to) });
const loadDown = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 12000, cmt: 1, rate: 250 }, { time: 48.5, amt: 3000, cmt: 1, rate: 125 }], observe: [{ grid: { from: 0, to: 72.5, step: 0.25 } }] };

const A_TROUGH = 3.5001507515944112;
const A_AUC24 = 244.40581553185294;
const B_TROUGH = 6.320741062991406;
const B_AUC24 = 239.89775184235737;
const DOWN_AUC24 = 324.9998463928036;
const F_TROUGH = 6.785098840431198;
const F_AUC24 = 336.1552560022667;

const population = (model: string, regimen: object, name: string) => populationMetrics(model, json(name, regimen), ['trough', 'auc24']);

describe('a change of dosing interval: each dose judged on its own interval', () => {
  it('regimenTimesOf: the interval up to the next dose, held whole, the cut dose with its own interval', () => {
    // was { tau: 12, lastDose: 24 } (24–36 h) and { tau: 24, lastDose: 36 } (36–60 h)
    expect(regimenTimesOf(parseRegimenJson(switchA, 'a.json'))).toMatchObject({ end: 56, tau: 24, lastDose: 24, cutDose: 48, cutDue: 60 });
    expect(regimenTimesOf(parseRegimenJson(switchB, 'b.json'))).toMatchObject({ end: 60, tau: 12, lastDose: 36, cutDose: 48, cutDue: 72 });
    // doses without II, the next after the grid's end: 0, 12, 24 h and 48 h on 0–40 h is 12–24 h,
    // the 24-h dose's interval being 24–48 h (it was 24–36 h, a trough at 36 h where no dose is)
    const noIi = parseRegimenJson({ doses: [0, 12, 24, 48].map((time) => ({ time, amt: 500 })), observe: grid(40) }, 'c.json');
    expect(regimenTimesOf(noIi, 40)).toMatchObject({ tau: 12, lastDose: 12, cutDose: 24, cutDue: 48 });
  });

  it('population, q24h then q12h from 48 h on 0–56 h: 24–48 h (was 24–36 h: trough 9.141, auc24 235.37)', async () => {
    const { m, err } = await population(slow, switchA, 'switch_a.json');
    expect([m.trough!.t0, m.trough!.t1]).toEqual([24, 48]);
    expect([m.auc24!.t0, m.auc24!.t1]).toEqual([24, 48]);
    // measured: trough −8.4e-11, auc24 −3.2e-5 (the metric grid's quadrature)
    expect(rel(m.trough!.report.mean, A_TROUGH)).toBeLessThan(1e-9);
    expect(rel(m.auc24!.report.mean, A_AUC24)).toBeLessThan(1e-4);
    expect(err).toContain('inside the interval of the dose at 48 h (48–60 h), so trough, auc24 are judged on the interval 24–48 h, the last one the profile holds whole; to judge the dose at 48 h, observe up to 60 h');
  }, 60_000);

  it('population, q12h then q24h from 48 h on 0–60 h: 36–48 h, without the 48-h dose (was 36–60 h: trough 10.392, auc24 321.27)', async () => {
    const { m, err } = await population(slow, switchB, 'switch_b.json');
    expect([m.trough!.t0, m.trough!.t1]).toEqual([36, 48]);
    // the daily AUC: the last 24 h of whole q12h intervals
    expect([m.auc24!.t0, m.auc24!.t1]).toEqual([24, 48]);
    // measured: trough −5.6e-11, auc24 −3.2e-5
    expect(rel(m.trough!.report.mean, B_TROUGH)).toBeLessThan(1e-9);
    expect(rel(m.auc24!.report.mean, B_AUC24)).toBeLessThan(1e-4);
    expect(err).toContain('inside the interval of the dose at 48 h (48–72 h), so trough is judged on the interval 36–48 h, the last one the profile holds whole, and auc24 on the 24 h that end with it, 24–48 h;');
  }, 60_000);

  it('pta trough:5:15 of q24h then q12h: 0 % on 24–48 h (C(48) 3.50; was 100 % on 24–36 h)', async () => {
    const r = await cli(['pta', '--model', slow, '--regimens', json('switch_a.json', switchA), '--target', 'trough:5:15', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    // labelled by the interval judged, the 24-h dose (it read "500 q12h", the dose after the grid)
    expect(r.out).toMatch(/^switch_a\s+1000 q24h\s+1000\s+0\.0 \[/m);
    expect(r.out).toContain('judged on 24–48 h');
  }, 60_000);
});

describe('forecast: the plan dose whose interval runs past the grid', () => {
  const model = join(import.meta.dirname, '../../../examples/map-wmap.model.json');
  const data = join(import.meta.dirname, '../../../examples/map-patient.csv');
  const plan = (name: string, doses: object[]) => json(name, { doses, observe: [{ grid: { from: 48, to: 71, step: 1 } }] });
  const run = (regimen: string, more: string[]) => cli(['forecast', '--model', model, '--data', data, '--regimen', regimen, '--draws', '20', '--seed', '1', '--metric', 'auc24', '--metric', 'trough', ...more]);

  it('2 g at 48 and 72 h without II, grid 48–71 h: the 72-h dose ends its interval, 36–48 h judged and said (was 48–60 h by the history, silent)', async () => {
    const regimens = [plan('f_q24_short.json', [{ time: 48, amt: 2000, dur: 2 }, { time: 72, amt: 2000, dur: 2 }]), plan('f_q24_short_ii.json', [{ time: 48, amt: 2000, dur: 2, ii: 24, addl: 1 }])];
    for (const regimen of regimens) {
      const t = await run(regimen, []);
      expect(t.code, t.err).toBe(0);
      expect(t.out).toMatch(/auc24 +24-48 /);
      expect(t.out).toMatch(/trough +36-48 /);
      expect(t.err).toContain('W_EARLIER_INTERVAL: future regimen: the observation grid ends at 71 h, inside the interval of the dose at 48 h (48–72 h), so trough is judged on the interval 36–48 h, the last one the profile holds whole, and auc24 on the 24 h that end with it, 24–48 h;');
      const j = await run(regimen, ['--json']);
      const [f] = JSON.parse(j.out) as { metrics: Record<string, { mode: number }> }[];
      // measured: trough +1.6e-15, auc24 +1.6e-4 (the metric grid's quadrature)
      expect(rel(f!.metrics.trough!.mode, F_TROUGH)).toBeLessThan(1e-8);
      expect(rel(f!.metrics.auc24!.mode, F_AUC24)).toBeLessThan(5e-4);
    }
  }, 120_000);
});

describe('a rate step-down is one continuous infusion', () => {
  it('regimenTimesOf: continuous, joining the infusion before it, with or without a load', () => {
    for (const [reg, place] of [[down(72), 'doses.0'], [loadDown, 'doses.1']] as const) {
      const t = regimenTimesOf(parseRegimenJson(reg, 'r.json'));
      expect(t.tau).toBe(0);
      expect(t.continuous).toMatchObject({ amt: 3000, duration: 24, rate: 125, joins: place });
    }
    // the same infusion every gap stays back-to-back intermittent doses: 2 g q6h at RATE 333.33
    const q6 = parseRegimenJson({ doses: [0, 6, 12].map((time) => ({ time, amt: 2000, cmt: 1, rate: 333.33 })), observe: grid(18) }, 'q6.json');
    expect(regimenTimesOf(q6)).toMatchObject({ tau: 6, lastDose: 12 });
    expect(regimenTimesOf(q6).continuous).toBeUndefined();
  });

  it('pta auc24:400:700: the last 24 h (325), 3000 per 24 h, 0 % (was 3000 q48h, 1500, auc24 575, 100 %)', async () => {
    const regs = [json('r_down72.json', down(72)), json('r_loaddown.json', loadDown)];
    const r = await cli(['pta', '--model', iv, '--regimens', regs.join(','), '--target', 'auc24:400:700', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^r_down72\s+3000 continuous over 24 h\s+3000\s+0\.0 \[/m);
    expect(r.out).toMatch(/^r_loaddown\s+3000 continuous over 24 h\s+3000\s+0\.0 \[/m);
    expect(r.out).toContain('judged on: r_down72 48–72 h; r_loaddown 48.5–72.5 h');
    const p = await cli(['population', '--model', iv, '--regimen', regs[0]!, '--n', '4', '--seed', '1', '--workers', '0', '--no-progress', '--metric', 'auc24', '--json']);
    expect(p.code, p.err).toBe(0);
    const [auc] = (JSON.parse(p.out) as { metrics: Metric[] }).metrics;
    // measured +6.9e-5 (the metric grid's quadrature)
    expect(rel(auc!.report.mean, DOWN_AUC24)).toBeLessThan(2e-4);
    // its trough has no interval: refused, naming the infusion it continues
    const t = await cli(['population', '--model', iv, '--regimen', regs[0]!, '--n', '4', '--workers', '0', '--no-progress', '--metric', 'trough']);
    expect(t.code).toBe(2);
    expect(t.err).toContain('the last dose (doses.1: AMT 3000 at 48 h) is an infusion of 24 h that continues the infusion before it (doses.0, running up to 48 h) at another rate or length: a continuous infusion');
  }, 60_000);
});

describe('refusal texts of a continuous infusion', () => {
  const loadM2 = parseRegimenJson({ doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 18000, cmt: 1, rate: -2 }], observe: grid(72) }, 'm2.json');
  it('a modelled length not known: no ii taken from the load\'s lead (ii 0.5 made 18 g over 72 h q0.5h dosing)', () => {
    const why = continuousRefusal(regimenTimesOf(loadM2)) as string;
    expect(why).toContain('not known here');
    expect(why).not.toMatch(/ii 0\.5/);
    expect(why).toContain('give doses that repeat with their II (ii: the hours between them, not a load\'s lead) or the infusion with RATE > 0');
  });
  it('to 2 decimals where the caller prints hours so, the example window inward', () => {
    const t = regimenTimesOf(parseRegimenJson({ doses: [{ time: 48, amt: 1000, cmt: 1, dur: 1 }, { time: 49, amt: 6000, cmt: 1, dur: 24.81471139 }], observe: [{ grid: { from: 48, to: 100, step: 1 } }] }, 'c.json'));
    expect(continuousRefusal(t)).toContain('e.g. cavg:49.81471139:73.81471139)');
    expect(continuousRefusal(t, 2)).toContain('the last dose (doses.1: AMT 6000 at 49 h) is an infusion of 24.81 h, still running when the next dose would be due by the 1-h spacing');
    expect(continuousRefusal(t, 2)).toContain('e.g. cavg:49.82:73.81)');
  });
  it('forecast: W_CONTINUOUS_INFUSION to 2 decimals (18 g at 241.7 mg/h from 0.5 h runs 74.4724865 h)', async () => {
    const history = write('history.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,2000,4000,.,1\n1,0.5,1,18000,241.7,.,1\n1,24,0,.,.,22,0\n');
    const future = json('future.json', { doses: [], observe: [{ grid: { from: 24, to: 80, step: 1 } }] });
    const r = await cli(['forecast', '--model', iv, '--data', history, '--regimen', future, '--draws', '20']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('cmax and trough left out of the default metrics: the last dose (row 2: AMT 18000 at 0.5 h) is an infusion of 74.47 h, still running');
    expect(r.err).toContain('e.g. cavg:50.98:74.97)');
  }, 60_000);
});
