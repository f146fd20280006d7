// Exposure metrics at window edges against an independent oracle: closed-form one-compartment
// concentrations (bolus, infusion, first-order absorption; steady state by summing the periodic
// doses to negligible terms), with doses on window edges and grid points. The oracle evaluates the
// same linear-up/log-down trapezoid on the same grid with exact concentrations (and threshold
// crossings linear while rising, log-linear while falling), taking the value
// after a dose at T0 and before a dose at T1 (two values at a dose inside the window), so metrics
// agree to rounding. AUCs are also checked against the exact integral where the log-down rule is
// exact (mono-exponential decline).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regimen, type DoseSpec } from '../../../src/regimen/builder.js';
import { preparePlan, runChunk } from '../../../src/population/chunk.js';
import { runStudy } from '../../../src/population/study.js';
import { metricArrays, parseMetric, regimenTimesOf, type MetricDef } from '../../../src/population/metrics.js';
import { refuseEmptyStatePoints, metricGrid, metricTimingWarning, modelDiscontinuities } from '../../../src/population/metric-grid.js';
import { engine } from '../../../src/engine/load.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { defineModel } from '../../../src/model/model.js';
import { cli } from '../cli/run-cli.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';

interface Pk {
  readonly cl: number;
  readonly v: number;
  readonly ka?: number;
  /** Absorption lag of every dose (the same for every subject). */
  readonly lag?: number;
}

const modelJson = (pk: Pk) => ({
  dosewise: 2,
  name: 'boundary oracle',
  structure: pk.ka ? '1cmt-oral' : '1cmt-iv',
  theta: { TVCL: { value: pk.cl }, TVV: { value: pk.v }, ...(pk.ka ? { TVKA: { value: pk.ka } } : {}) },
  parameters: { CL: { expr: 'TVCL' }, V: { expr: 'TVV' }, ...(pk.ka ? { KA: { expr: 'TVKA' } } : {}) },
  ...(pk.lag ? { compartments: { '1': { lag: pk.lag } } } : {}),
  observe: { compartment: pk.ka ? 2 : 1 },
  residual: { model: 'proportional', proportional: 0.1 },
});

// ---------- oracle ----------

interface Ev {
  readonly time: number;
  readonly amt: number;
  readonly dur: number;
}

/** Concentration at time s after one dose entering at 0 (s ≥ 0; a bolus counts at s = 0). */
function unit(pk: Pk, e: Ev, s: number): number {
  const k = pk.cl / pk.v;
  if (pk.ka) {
    const ka = pk.ka;
    return ((e.amt * ka) / (pk.v * (ka - k))) * (Math.exp(-k * s) - Math.exp(-ka * s));
  }
  if (e.dur > 0) {
    const r = e.amt / e.dur;
    if (s <= e.dur) return (r / pk.cl) * (1 - Math.exp(-k * s));
    return (r / pk.cl) * (1 - Math.exp(-k * e.dur)) * Math.exp(-k * (s - e.dur));
  }
  return (e.amt / pk.v) * Math.exp(-k * s);
}

/**
 * Concentration at t, before ('pre') or after ('post') what happens at t. Dose records in time order;
 * SS = 1 resets and replaces the history by the periodic doses before it, SS = 2 adds them.
 */
function conc(pk: Pk, doses: readonly DoseSpec[], t: number, side: 'pre' | 'post'): number {
  let evs: Ev[] = [];
  const acts = (time: number) => time < t || (time === t && side === 'post');
  const lag = pk.lag ?? 0;
  for (const d of doses) {
    const dur = d.dur ?? 0;
    if (acts(d.time) && d.ss) {
      if (d.ss === 1) evs = [];
      // periodic doses before this one: 600 intervals leave terms far below double precision here
      for (let k = 1; k <= 600; k++) evs.push({ time: d.time - k * (d.ii as number), amt: d.amt, dur });
    }
    for (let k = 0; k <= (d.addl ?? 0); k++) {
      const time = d.time + k * (d.ii ?? 0) + lag;
      if (acts(time)) evs.push({ time, amt: d.amt, dur });
    }
  }
  let c = 0;
  for (const e of evs) c += unit(pk, e, t - e.time);
  return c;
}

/** Times at which a dose enters (record and ADDL, after the lag): the profile holds two values there. */
function doseTimes(pk: Pk, doses: readonly DoseSpec[]): Set<number> {
  const s = new Set<number>();
  for (const d of doses) for (let k = 0; k <= (d.addl ?? 0); k++) s.add(d.time + k * (d.ii ?? 0) + (pk.lag ?? 0));
  return s;
}

/**
 * The sample times a metric is computed on: the observation grid, every dose arrival and infusion
 * end (as the engine computes it: AMT / RATE with RATE = AMT / dur) and its own window's edges
 * (another metric's edges are not its samples: test/unit/population/metric-owners.test.ts).
 */
function augmentedGrid(pk: Pk, doses: readonly DoseSpec[], grid: readonly number[], defs: readonly MetricDef[]): number[] {
  const s = new Set(grid);
  for (const t of doseTimes(pk, doses)) s.add(t);
  for (const d of doses)
    if (d.dur)
      for (let k = 0; k <= (d.addl ?? 0); k++) s.add(d.time + k * (d.ii ?? 0) + (pk.lag ?? 0) + d.amt / (d.amt / d.dur));
  for (const d of defs) s.add(d.t0).add(d.t1);
  const end = grid[grid.length - 1] as number;
  return [...s].filter((t) => t <= end).sort((a, b) => a - b);
}

function segAuc(ta: number, ca: number, tb: number, cb: number): number {
  const dt = tb - ta;
  if (dt <= 0) return 0;
  if (cb < ca && cb >= 0) {
    const e = cb > 0 ? cb : Number.MIN_VALUE;
    return ((ca - e) * dt) / (Math.log(ca) - Math.log(e));
  }
  return 0.5 * (ca + cb) * dt;
}

function segTimeAbove(ta: number, ca: number, tb: number, cb: number, lo: number): number {
  const dt = tb - ta;
  if (dt <= 0) return 0;
  if (ca === cb) return ca >= lo ? dt : 0;
  // a falling segment is the exponential through its ends (as its log-down area is), a decline to
  // 0 ending at the smallest double: the crossing is where ca·(cb/ca)^s = lo
  if (cb < ca && cb >= 0) {
    const e = cb > 0 ? cb : Number.MIN_VALUE;
    if (lo <= e) return dt;
    if (lo >= ca) return 0;
    return (Math.log(ca / lo) / (Math.log(ca) - Math.log(e))) * dt;
  }
  let s0 = (lo - ca) / (cb - ca);
  let s1 = (Infinity - ca) / (cb - ca);
  if (s0 > s1) [s0, s1] = [s1, s0];
  s0 = Math.max(0, s0);
  s1 = Math.min(1, s1);
  return s1 > s0 ? (s1 - s0) * dt : 0;
}

/** The oracle's value of a metric on grid `grid` (window edges on grid points). */
function oracle(pk: Pk, doses: readonly DoseSpec[], grid: readonly number[], d: MetricDef): number {
  const tf = (c: number) => {
    const u = c * (d.fu ?? 1);
    return d.kd ? u / (d.kd + u) : u;
  };
  const at = (t: number, side: 'pre' | 'post') => tf(conc(pk, doses, t, side));
  if (d.type === 'value') return at(d.t0, 'pre');
  if (d.type === 'trough') return at(d.t1, 'pre');
  const jumps = doseTimes(pk, doses);
  const pts: [number, number][] = [[d.t0, at(d.t0, 'post')]];
  for (const t of grid) {
    if (!(t > d.t0 && t < d.t1)) continue;
    pts.push([t, at(t, 'pre')]);
    if (jumps.has(t)) pts.push([t, at(t, 'post')]);
  }
  pts.push([d.t1, at(d.t1, 'pre')]);
  let auc = 0;
  let above = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const [ta, ca] = pts[i] as [number, number];
    const [tb, cb] = pts[i + 1] as [number, number];
    auc += segAuc(ta, ca, tb, cb);
    above += segTimeAbove(ta, ca, tb, cb, d.lo ?? 0);
  }
  const vals = pts.map((p) => p[1]);
  switch (d.type) {
    case 'auc':
      return auc;
    case 'cavg':
      return auc / (d.t1 - d.t0);
    case 'cmax':
      return Math.max(...vals);
    case 'cmin':
      return Math.min(...vals);
    case 'timeabove':
      return above;
    default:
      throw new Error(`no oracle for ${d.type}`);
  }
}

// ---------- the engine's path ----------

function gridOf(from: number, to: number, step: number): number[] {
  const n = Math.round((to - from) / step);
  return Array.from({ length: n + 1 }, (_, k) => from + k * step);
}

function recordsOf(doses: readonly DoseSpec[], grid: readonly number[]) {
  let r = regimen();
  for (const d of doses) r = r.dose(d);
  return r.observe({ times: [...grid] }).records();
}

/** Metrics through the population path (preparePlan → one WASM call with the metric kernel). */
function populationMetrics(pk: Pk, doses: readonly DoseSpec[], grid: readonly number[], defs: readonly MetricDef[]): Float64Array {
  const records = recordsOf(doses, grid);
  const pp = preparePlan({ model: modelJson(pk), regimen: records.map((r) => r.items), key: [0, 0], metrics: defs, table: false, profiles: false });
  return runChunk(pp, engine(), 0, 1).metrics;
}

/** Metrics through the MAP-objective path (forecast, optimize and the browser tool simulate this way). */
function objectiveMetrics(pk: Pk, doses: readonly DoseSpec[], grid: readonly number[], defs: readonly MetricDef[]): Float64Array {
  const model = defineModel(modelJson(pk));
  const bare = recordsOf(doses, grid);
  const grid2 = metricGrid(bare, model.timeVarying, { windows: defs, events: modelDiscontinuities(model, bare) });
  const obj = mapObjective(model, grid2.records, { blq: false });
  return obj.simulate(new Float64Array(obj.dim), 1, metricArrays(defs, grid2.edgeOnly)).metrics as Float64Array;
}

interface Case {
  readonly name: string;
  readonly pk: Pk;
  readonly doses: readonly DoseSpec[];
  readonly grid: readonly number[];
  readonly metrics: readonly string[];
}

const common = (t0: number, t1: number, c: number) => [
  `auc:${t0}:${t1}`,
  `cmax:${t0}:${t1}`,
  `cmin:${t0}:${t1}`,
  `trough:${t0}:${t1}`,
  `cavg:${t0}:${t1}`,
  `conc@${t0}`,
  `conc@${t1}`,
  `tabove:${c}:${t0}:${t1}`,
  `fu=0.3/cmin:${t0}:${t1}`,
  `kd=2/trough:${t0}:${t1}`,
  `fu=0.5/kd=1/cmax:${t0}:${t1}`,
  'auctau',
  'auc24',
  'cmax',
  'cmin',
  'trough',
  'cavg',
];

const bolus: Pk = { cl: 4, v: 40 };
const oral: Pk = { cl: 5, v: 30, ka: 1.2 };
const cases: readonly Case[] = [
  {
    name: 'IV bolus q12h (ADDL), windows ending and starting at doses',
    pk: bolus,
    doses: [{ time: 0, amt: 1000, addl: 5, ii: 12 }],
    grid: gridOf(0, 72, 1),
    metrics: [...common(48, 60, 30), ...common(24, 36, 30), 'cmax:36:60', 'auc:36:60', 'conc@13', 'tabove:20'],
  },
  {
    name: '1-h infusion q24h at steady state (SS=1 at the window start)',
    pk: { cl: 4, v: 40 },
    doses: [{ time: 0, amt: 2000, dur: 1, ii: 24, ss: 1 }],
    grid: gridOf(0, 24, 0.25),
    metrics: [...common(0, 24, 10), 'auc:1:24', 'conc@1'],
  },
  {
    name: 'IV bolus at steady state (SS=1 at 0, ADDL), bolus on both window edges',
    pk: { cl: 3, v: 25 },
    doses: [{ time: 0, amt: 500, ii: 8, ss: 1, addl: 5 }],
    grid: gridOf(0, 48, 0.5),
    metrics: [...common(0, 8, 10), ...common(16, 24, 10), ...common(40, 48, 10), 'cmax:8:24', 'cmin:8:24'],
  },
  {
    name: 'SS=2 bolus added at 24 after two single doses',
    pk: { cl: 2, v: 20 },
    doses: [
      { time: 0, amt: 300 },
      { time: 12, amt: 300 },
      { time: 24, amt: 200, ii: 12, ss: 2, addl: 2 },
    ],
    grid: gridOf(0, 60, 0.5),
    metrics: [...common(12, 24, 10), ...common(24, 36, 10), ...common(36, 48, 10), 'auc:0:60', 'cmax:0:60', 'cmin:0:60'],
  },
  {
    name: 'oral doses as separate records (observation before the dose at equal times)',
    pk: oral,
    doses: [
      { time: 0, amt: 400 },
      { time: 12, amt: 400 },
      { time: 24, amt: 400 },
      { time: 36, amt: 400 },
    ],
    grid: gridOf(0, 48, 0.25),
    metrics: [...common(24, 36, 8), ...common(36, 48, 8), 'auc:0:48', 'cmin:12:36'],
  },
  {
    name: 'infusions q12h (ADDL) with a bolus-free window edge inside an infusion',
    pk: { cl: 6, v: 50 },
    doses: [{ time: 0, amt: 1000, dur: 2, addl: 4, ii: 12 }],
    grid: gridOf(0, 60, 0.5),
    metrics: [...common(36, 48, 15), 'auc:37:49', 'cmin:37:49', 'trough:37:49'],
  },
  {
    name: 'IV bolus q12h (ADDL) between hourly samples, window edges between samples',
    pk: bolus,
    doses: [{ time: 0.5, amt: 1000, addl: 5, ii: 12 }],
    grid: gridOf(0, 72, 1),
    metrics: [...common(24.5, 36.5, 30), ...common(24, 48, 30), ...common(23.25, 36.75, 30), 'tabove:20', 'auc:0:72', 'cmin:0.25:60.7'],
  },
  {
    name: 'infusions q12h (ADDL) starting and ending between hourly samples (1.3 h from 0.4 h)',
    pk: { cl: 6, v: 50 },
    doses: [{ time: 0.4, amt: 1000, dur: 1.3, addl: 4, ii: 12 }],
    grid: gridOf(0, 60, 1),
    metrics: [...common(12, 24, 15), ...common(12.4, 24.4, 15), 'auc:12.2:13.5', 'cmax:12.2:13.5', 'cmin:12.2:30.75', 'tabove:10:0:60'],
  },
  {
    name: 'IV bolus with a constant lag (0.7 h): arrivals between hourly samples',
    pk: { cl: 3, v: 30, lag: 0.7 },
    doses: [{ time: 0, amt: 600, addl: 4, ii: 12 }],
    grid: gridOf(0, 60, 1),
    metrics: [...common(12, 24, 12), ...common(12.7, 24.7, 12), 'auc:0:60', 'cmax:0:60', 'cmin:1:60'],
  },
  {
    name: 'oral doses with a constant lag (0.35 h) as separate records',
    pk: { ...oral, lag: 0.35 },
    doses: [
      { time: 0, amt: 400 },
      { time: 12, amt: 400 },
      { time: 24, amt: 400 },
    ],
    grid: gridOf(0, 36, 1),
    metrics: [...common(12, 24, 8), ...common(24.35, 36, 8), 'auc:0:36', 'cmin:12.35:24.35'],
  },
];

describe('metric window edges: after a dose at T0, before a dose at T1', () => {
  for (const c of cases) {
    it(c.name, () => {
      const records = recordsOf(c.doses, c.grid);
      const t = regimenTimesOf(records);
      // conc@T at an SS=1 dose with nothing before it is refused (tested below)
      const defs = c.metrics.map((m) => parseMetric(m, t)).filter((d) => !(d.type === 'value' && c.doses.some((x) => x.ss === 1 && x.time === d.t0)));
      const pop = populationMetrics(c.pk, c.doses, c.grid, defs);
      const obj = objectiveMetrics(c.pk, c.doses, c.grid, defs);
      let worst = 0;
      defs.forEach((d, j) => {
        const want = oracle(c.pk, c.doses, augmentedGrid(c.pk, c.doses, c.grid, [d]), d);
        const scale = Math.max(Math.abs(want), d.type === 'timeabove' ? 1 : 1e-300);
        for (const got of [pop[j] as number, obj[j] as number]) {
          const err = Math.abs(got - want) / scale;
          worst = Math.max(worst, err);
          expect(err, `${d.name} = ${got}, oracle ${want}`).toBeLessThan(1e-9);
        }
      });
      expect(worst).toBeLessThan(1e-9);
    });
  }

  it('auc:48:60 and cmax:48:60 with a bolus at 60 equal the closed form (exact integral)', () => {
    const pk = bolus;
    const doses: DoseSpec[] = [{ time: 0, amt: 1000, addl: 5, ii: 12 }];
    const grid = gridOf(0, 72, 1);
    const t = regimenTimesOf(recordsOf(doses, grid));
    const defs = ['auc:48:60', 'cmax:48:60', 'cmin:48:60', 'trough:48:60', 'conc@60'].map((m) => parseMetric(m, t));
    const got = populationMetrics(pk, doses, grid, defs);
    const k = pk.cl / pk.v;
    // doses at 0, 12, 24, 36, 48 act over [48, 60]
    const c48 = [0, 12, 24, 36, 48].reduce((s, td) => s + (1000 / pk.v) * Math.exp(-k * (48 - td)), 0);
    const c60 = c48 * Math.exp(-12 * k);
    const auc = (c48 - c60) / k;
    expect(Math.abs((got[0] as number) / auc - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[1] as number) / c48 - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[2] as number) / c60 - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[3] as number) / c60 - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[4] as number) / c60 - 1)).toBeLessThan(1e-12);
  });

  it('ADDL boluses between hourly samples: auc:24:48, cmax, cmin equal the closed form (exact integral)', () => {
    // the log-down rule is exact on a mono-exponential decline, so with both limits sampled at the
    // doses at 24.5 and 36.5 (and the edges 24, 48) the AUC is the exact integral
    const pk = bolus;
    const doses: DoseSpec[] = [{ time: 0.5, amt: 1000, addl: 5, ii: 12 }];
    const grid = gridOf(0, 72, 1);
    const t = regimenTimesOf(recordsOf(doses, grid));
    const defs = ['auc:24:48', 'cmax:24:48', 'cmin:24:48', 'trough:24:48', 'conc@36.5', 'auc:23.9:24.9'].map((m) => parseMetric(m, t));
    const got = populationMetrics(pk, doses, grid, defs);
    const k = pk.cl / pk.v;
    const c = (x: number, side: 'pre' | 'post') => conc(pk, doses, x, side);
    const exact = (a: number, b: number, sa: 'pre' | 'post' = 'post') => (c(a, sa) - c(b, 'pre')) / k;
    const auc = exact(24, 24.5) + exact(24.5, 36.5) + exact(36.5, 48);
    expect(Math.abs((got[0] as number) / auc - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[1] as number) / c(36.5, 'post') - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[2] as number) / Math.min(c(24.5, 'pre'), c(36.5, 'pre'), c(48, 'pre')) - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[3] as number) / c(48, 'pre') - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[4] as number) / c(36.5, 'pre') - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[5] as number) / (exact(23.9, 24.5) + exact(24.5, 24.9)) - 1)).toBeLessThan(1e-12);
  });

  it('infusion ending between samples: AUC within the trapezoid error bound of the exact integral', () => {
    // 1.3-h infusion from 12.4 to 13.7 on an hourly grid: every kink is sampled, so what remains is
    // the trapezoid's own error on smooth pieces, bounded by Σ h³/12·max|c''| (linear-up pieces)
    const pk = { cl: 6, v: 50 };
    const doses: DoseSpec[] = [{ time: 12.4, amt: 1000, dur: 1.3 }];
    const grid = gridOf(0, 24, 1);
    const t = regimenTimesOf(recordsOf(doses, grid));
    const got = populationMetrics(pk, doses, grid, ['auc:12:24', 'cmax:12:24'].map((m) => parseMetric(m, t)));
    const k = pk.cl / pk.v;
    const r = 1000 / 1.3;
    const cEnd = (r / pk.cl) * (1 - Math.exp(-k * 1.3));
    const exact = (r / pk.cl) * (1.3 - (1 - Math.exp(-k * 1.3)) / k) + (cEnd * (1 - Math.exp(-k * (24 - 13.7)))) / k;
    // rising part: c'' = −k·r/V·e^{−k s}; 13.7 → 14 and on: log-down is exact
    const bound = ((r / pk.v) * k * (0.6 ** 3 + 0.7 ** 3)) / 12;
    expect(Math.abs((got[0] as number) - exact)).toBeLessThan(bound);
    expect(Math.abs((got[1] as number) / cEnd - 1)).toBeLessThan(1e-12);
  });

  it('property: metrics do not change when the grid gets samples at the dose times (fast-check, seed 11)', () => {
    fc.assert(
      fc.property(
        fc.record({
          ii: fc.constantFrom(6, 8, 12),
          addl: fc.integer({ min: 1, max: 4 }),
          offset: fc.constantFrom(0.25, 0.4, 0.5, 0.7),
          dur: fc.constantFrom(0, 0, 1.3),
          lag: fc.constantFrom(0, 0, 0.6),
          step: fc.constantFrom(0.5, 1, 2),
          cl: fc.double({ min: 0.5, max: 20, noNaN: true }),
        }),
        fc.integer({ min: 0, max: 1000 }),
        ({ ii, addl, offset, dur, lag, step, cl }, pick) => {
          const pk: Pk = { cl, v: 30, ...(lag ? { lag } : {}) };
          const doses: DoseSpec[] = [{ time: offset, amt: 500, ii, addl, ...(dur ? { dur } : {}) }];
          const end = (addl + 1) * ii;
          const grid = gridOf(0, end, step);
          const t = regimenTimesOf(recordsOf(doses, grid));
          const b = ii * (1 + (pick % addl));
          const specs = [`auc:0:${end}`, `auc:${b}:${end}`, `cmax:0:${b}`, `cmin:1:${b + offset}`, `trough:0:${b + offset}`, `tabove:5:0:${end}`, `conc@${b + offset + lag}`, 'cavg'];
          const defs = specs.map((m) => parseMetric(m, t));
          const doseGrid = [...new Set([...grid, ...augmentedGrid(pk, doses, grid, [])])].sort((x, y) => x - y);
          const a = populationMetrics(pk, doses, grid, defs);
          const z = populationMetrics(pk, doses, doseGrid, defs);
          defs.forEach((d, j) => {
            const x = a[j] as number;
            const y = z[j] as number;
            expect(Math.abs(x - y), `${d.name}: ${x} vs ${y}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(x), d.type === 'timeabove' ? end : 0));
          });
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it('a lag that varies per subject is reported (the shared grid samples the typical arrival), a constant one is not', () => {
    const records = recordsOf([{ time: 0, amt: 500, addl: 3, ii: 12 }], gridOf(0, 48, 1));
    const defs = [parseMetric('auc:12:24', regimenTimesOf(records))];
    const withEta = defineModel({ ...modelJson({ cl: 4, v: 40, ka: 1 }), parameters: { CL: { expr: 'TVCL' }, V: { expr: 'TVV' }, KA: { expr: 'TVKA' }, ALAG: { expr: '0.5*exp(ETA1)' } }, compartments: { '1': { lag: 'ALAG' } }, omega: { etas: ['ETA1'], diagonal: [0.1] } });
    const w = metricTimingWarning(withEta, records, new Set(['ETA1']), defs);
    expect(w).toMatch(/metrics auc:12:24: the dose lag of model boundary oracle differs per subject \(it reads ETA1\).*interpolated.*largest step 1 h/);
    const constant = defineModel({ ...modelJson({ cl: 4, v: 40, ka: 1, lag: 0.5 }), omega: undefined });
    expect(metricTimingWarning(constant, records, new Set(['ETA1']), defs)).toBeUndefined();
    // F with IIV moves no arrival of a bolus dose
    const fEta = defineModel({ ...modelJson({ cl: 4, v: 40, ka: 1 }), parameters: { CL: { expr: 'TVCL' }, V: { expr: 'TVV' }, KA: { expr: 'TVKA' }, F1: { expr: '0.8*exp(ETA1)' } }, compartments: { '1': { bioavailability: 'F1' } }, omega: { etas: ['ETA1'], diagonal: [0.1] } });
    expect(metricTimingWarning(fEta, records, new Set(['ETA1']), defs)).toBeUndefined();
    expect(metricTimingWarning(withEta, records, new Set(['ETA1']), [])).toBeUndefined();
  });

  it('a forecast with a lag that has IIV returns the warning (the arrival differs per posterior draw)', () => {
    const base = modelJson({ cl: 4, v: 40, ka: 1 });
    const model = defineModel({ ...base, parameters: { ...base.parameters, ALAG: { expr: '0.5*exp(ETA1)' } }, compartments: { '1': { lag: 'ALAG' } }, omega: { etas: ['ETA1'], diagonal: [0.1] } });
    const history = regimen().dose({ time: 0, amt: 500 }).records().concat(recordFromItems({ ID: 1, TIME: 4, EVID: 0, MDV: 0, DV: 8, AMT: 0, CMT: 0 }, 2, 'test'));
    const fit = estimate(model, history);
    const future = regimen().dose({ time: 12, amt: 500, addl: 1, ii: 12 }).observe({ grid: { from: 12, to: 36, step: 1 } }).records();
    const f = forecast(model, history, fit, future, { draws: 20, seed: 1, metrics: ['auc:12:24'] });
    expect(f.warnings).toEqual([expect.stringMatching(/metrics auc:12:24: the dose lag .* differs per subject \(it reads ETA1\)/)]);
    expect(forecast(model, history, fit, future, { draws: 20, seed: 1, metrics: [] }).warnings).toEqual([]);
  });

  it('a population run with a per-subject lag returns the warning; with a constant lag, none', async () => {
    const records = recordsOf([{ time: 0, amt: 500, addl: 3, ii: 12 }], gridOf(0, 48, 1));
    const metrics = [parseMetric('auc:12:24', regimenTimesOf(records))];
    const base = modelJson({ cl: 4, v: 40, ka: 1 });
    const model = { ...base, parameters: { ...base.parameters, ALAG: { expr: '0.5*exp(ETA1)' } }, compartments: { '1': { lag: 'ALAG' } }, omega: { etas: ['ETA1'], diagonal: [0.1] } };
    // the hourly grid is also too coarse for an oral AUC (W_COARSE_GRID, −0.67 % at the typical subject): not this test's warning
    const run = async (m: object) => (await runStudy({ model: m, regimen: records.map((r) => r.items), key: [0, 0], metrics, table: false, profiles: false }, { n: 4, workers: 0 })).warnings.filter((w) => !w.startsWith('W_COARSE_GRID'));
    expect(await run(model)).toEqual([expect.stringMatching(/auc:12:24: the dose lag .* differs per subject/)]);
    expect(await run(modelJson({ cl: 4, v: 40, ka: 1, lag: 0.5 }))).toEqual([]);
    // the command line says it on stderr and still exits 0
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-lag-'));
    try {
      writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
      writeFileSync(join(dir, 'regimen.json'), JSON.stringify({ doses: [{ time: 0, amt: 500, addl: 3, ii: 12 }], observe: [{ grid: { from: 0, to: 48, step: 1 } }] }));
      const r = await cli(['population', '--model', join(dir, 'model.json'), '--regimen', join(dir, 'regimen.json'), '--n', '4', '--metric', 'auc:12:24', '--workers', '0', '--no-progress']);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/dosewise: warning: metrics auc:12:24: the dose lag .* differs per subject .*\(largest step 1 h\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SS=1 infusion at the window start: trough = cmin = the steady-state pre-dose level, not 0', () => {
    const pk = { cl: 4, v: 40 };
    const doses: DoseSpec[] = [{ time: 0, amt: 2000, dur: 1, ii: 24, ss: 1 }];
    const grid = gridOf(0, 24, 0.25);
    const t = regimenTimesOf(recordsOf(doses, grid));
    const got = populationMetrics(pk, doses, grid, ['trough', 'cmin', 'kd=2/trough'].map((m) => parseMetric(m, t)));
    const k = pk.cl / pk.v;
    const trough = ((2000 / pk.cl) * (1 - Math.exp(-k)) * Math.exp(-23 * k)) / (1 - Math.exp(-24 * k));
    expect(Math.abs((got[0] as number) / trough - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[1] as number) / trough - 1)).toBeLessThan(1e-12);
    expect(Math.abs((got[2] as number) / (trough / (2 + trough)) - 1)).toBeLessThan(1e-12);
  });

  it('the metric grid adds a pre-dose sample only where a dose falls on a sampled time, and profiles keep their rows', () => {
    const records = recordsOf([{ time: 0, amt: 1000, addl: 3, ii: 12 }], gridOf(0, 36, 6));
    // obs 0 precedes the dose record at 0 (already pre-dose); ADDL doses at 12, 24, 36 fall on obs
    const g = metricGrid(records);
    expect(g.added).toBe(3);
    expect([...g.source].filter((s) => s < 0).length).toBe(3);
    const pp = preparePlan({ model: modelJson(bolus), regimen: records.map((r) => r.items), key: [0, 0], metrics: [parseMetric('auc:0:36', regimenTimesOf(records))], table: false, profiles: true });
    const res = runChunk(pp, engine(), 0, 2);
    expect(res.profiles?.length).toBe(2 * records.length);
    // the profile rows are the regimen's: the observation at 12 reads after the ADDL dose (NONMEM order)
    const k = bolus.cl / bolus.v;
    const at12 = (1000 / bolus.v) * (Math.exp(-12 * k) + 1);
    const row12 = records.findIndex((r) => r.TIME === 12);
    expect(Math.abs((res.profiles?.[row12] as number) / at12 - 1)).toBeLessThan(1e-12);
  });

  it('regimen timing: a dose at the profile end does not open an empty last interval', () => {
    const records = recordsOf([{ time: 0, amt: 1000, addl: 6, ii: 12 }], gridOf(0, 72, 1));
    const t = regimenTimesOf(records);
    expect(t.lastDose).toBe(60);
    expect(parseMetric('trough', t)).toMatchObject({ type: 'trough', t0: 60, t1: 72 });
  });

  it('conc@T or a trough at an SS=1 dose with no earlier dose is refused (it would read the empty state)', () => {
    const doses: DoseSpec[] = [{ time: 0, amt: 2000, dur: 1, ii: 24, ss: 1 }];
    const records = recordsOf(doses, gridOf(0, 24, 0.25));
    const t = regimenTimesOf(records);
    expect(() => refuseEmptyStatePoints([parseMetric('conc@0', t)], records)).toThrow(/metric conc@0: at 0 h an SS=1 dose resets the state.*conc@24 or trough/);
    expect(() => preparePlan({ model: modelJson(bolus), regimen: records.map((r) => r.items), key: [0, 0], metrics: [parseMetric('conc@0', t)], table: false, profiles: false })).toThrow(/SS=1/);
    expect(() => refuseEmptyStatePoints(['conc@24', 'trough', 'cmin', 'auc:0:24'].map((m) => parseMetric(m, t)), records)).not.toThrow();
    // after earlier doses the level before the reset is a real one (NONMEM order): allowed
    const later = recordsOf([{ time: 0, amt: 500 }, { time: 12, amt: 1000, ii: 12, ss: 1 }], gridOf(0, 24, 1));
    expect(() => refuseEmptyStatePoints([parseMetric('conc@12', regimenTimesOf(later))], later)).not.toThrow();
  });

  it('property: windows split at a dose add up (AUC), and cmin ≤ trough ≤ cmax (fast-check, seed 7)', () => {
    fc.assert(
      fc.property(
        fc.record({
          ii: fc.constantFrom(4, 6, 8, 12),
          addl: fc.integer({ min: 1, max: 5 }),
          dur: fc.constantFrom(0, 0, 1),
          ss: fc.constantFrom(0, 1),
          step: fc.constantFrom(0.5, 1, 2),
          cl: fc.double({ min: 0.5, max: 20, noNaN: true }),
        }),
        fc.integer({ min: 0, max: 1000 }),
        ({ ii, addl, dur, ss, step, cl }, pick) => {
          const doses: DoseSpec[] = [{ time: 0, amt: 500, ii, addl, ...(dur ? { dur } : {}), ...(ss ? { ss: 1 as const } : {}) }];
          const end = (addl + 1) * ii;
          const grid = gridOf(0, end, step);
          const t = regimenTimesOf(recordsOf(doses, grid));
          const b = ii * (1 + (pick % addl)); // a dose time inside the profile
          const defs = [`auc:0:${b}`, `auc:${b}:${end}`, `auc:0:${end}`, `cmin:0:${b}`, `trough:0:${b}`, `cmax:0:${b}`].map((m) => parseMetric(m, t));
          const v = populationMetrics({ cl, v: 30 }, doses, grid, defs);
          const [ab, bc, ac, cmin, trough, cmax] = Array.from(v);
          expect(Math.abs((ab as number) + (bc as number) - (ac as number))).toBeLessThan(1e-9 * (ac as number));
          expect(cmin as number).toBeLessThanOrEqual((trough as number) * (1 + 1e-12));
          expect(trough as number).toBeLessThanOrEqual((cmax as number) * (1 + 1e-12));
          // the trough before the dose at b is the oracle's pre-dose level there
          const want = conc({ cl, v: 30 }, doses, b, 'pre');
          expect(Math.abs((trough as number) / want - 1)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
