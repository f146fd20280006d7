// Advice from a fractional time (adviseFromState). `optimize --from now` or a timestamp with seconds
// gives a start such as 55.4142135 h, and the judged profile ended at nextTime + k·τ rounded while
// its windows ended at (that − τ, rounded) + τ: one ulp apart at 2 of ~40 such times, the advice
// exited 2 with "metric cmax: window [121.4142135, 133.41421350000002] ends after the last
// simulated time 133.4142135" for a target on the trough alone. Also: a sample planned after the
// start (DV '.', MDV blank) counted as a measured level and refused the advice.
// References: superposition of one-compartment infusions at the MAP estimate's CL and V, written
// out here (not through the engine).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { adviseFromState } from '../../../src/design/optimize/advice.js';
import { cli } from '../cli/run-cli.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const model = defineModel({
  dosewise: 2,
  name: 'one-cmt-iv',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '50*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const records = readNmtran(['ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,1000,1000,.,1', '1,11.5,0,.,.,6.1,0', '1,12,1,1000,1000,.,1', '1,24,1,1000,1000,.,1', '1,35.5,0,.,.,9.5,0', '1,36,1,1000,1000,.,1', '1,48,1,1000,1000,.,1', '1,53.5,0,.,.,30,0'].join('\n')).records;
const fit = estimate(model, records);
const CL = fit.parameters.CL as number;
const V = fit.parameters.V as number;
const k = CL / V;

/** Concentration at t (left limit at a dose time) by superposition of zero-order infusions. */
function conc(t: number, doses: readonly { t0: number; amt: number; dur: number }[]): number {
  let c = 0;
  for (const d of doses) {
    const s = t - d.t0;
    if (s <= 0) continue;
    const r = d.amt / d.dur;
    c += s <= d.dur ? (r / CL) * (1 - Math.exp(-k * s)) : (r / CL) * (1 - Math.exp(-k * d.dur)) * Math.exp(-k * (s - d.dur));
  }
  return c;
}
const history = [0, 12, 24, 36, 48].map((t0) => ({ t0, amt: 1000, dur: 1 }));
const clean = (x: number): number => Number(x.toPrecision(12));

describe('advice from fractional start times', () => {
  // 48 start times with seconds, 1/7 h + 1 s apart from 80 h (the level below the trough ceiling:
  // no hold, the next dose at the start), their profiles ending past 128 h, where the ulp is 2.8e-14
  const starts = Array.from({ length: 48 }, (_, i) => 80 + i * (1 / 7 + 1 / 3600));

  it('no start time is refused for a window one ulp past the profile, and each trough is the closed form', () => {
    let oldRefused = 0;
    for (const from of starts) {
      const r = adviseFromState(model, records, { from, target: 'trough:10:15', doses: [500, 750, 1000], intervals: [12, 24], infusions: [1], draws: 20, seed: 1, loading: false, top: 6 }, fit);
      expect(r.ranked.length).toBeGreaterThan(0);
      for (const c of r.ranked) {
        const tau = c.maintenance.interval;
        const n = Math.round((c.end - r.nextTime) / tau);
        // as the profile's end and its last window's end were computed before: refused where they differ
        const oldEnd = clean(r.nextTime + n * tau);
        if (clean(oldEnd - tau) + tau > oldEnd) oldRefused++;
        // the trough just before the dose due at the end: the history and n doses from nextTime
        const future = Array.from({ length: n }, (_, j) => ({ t0: clean(r.nextTime + j * tau), amt: c.maintenance.amount, dur: 1 }));
        const want = conc(c.end, [...history, ...future]);
        // measured within 5.9e-15
        expect(Math.abs((c.exposure.trough?.mode as number) / want - 1)).toBeLessThan(5e-14);
      }
    }
    // the set of start times holds ones the old sums refused (36 of the 288 candidates when written)
    expect(oldRefused).toBeGreaterThan(0);
  }, 120_000);

  it('--from 81.1450793651 on the command line: advice, exit 0 (exit 2 before: "metric cmax: window [117.145079365, 129.14507936500002] ends after the last simulated time 129.145079365", on a trough target)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-advice-from-'));
    try {
      const data = join(dir, 'd.csv');
      writeFileSync(data, ['ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,1000,1000,.,1', '1,11.5,0,.,.,6.1,0', '1,12,1,1000,1000,.,1', '1,24,1,1000,1000,.,1', '1,35.5,0,.,.,9.5,0', '1,36,1,1000,1000,.,1', '1,48,1,1000,1000,.,1', '1,53.5,0,.,.,30,0'].join('\n'));
      const mfile = join(dir, 'm.json');
      writeFileSync(mfile, JSON.stringify({ dosewise: 2, name: 'one-cmt-iv', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4*exp(ETA_CL)', V: '50*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'proportional', proportional: 0.1 } }));
      const r = await cli(['optimize', '--model', mfile, '--data', data, '--from', '81.1450793651', '--target', 'trough:10:15', '--doses', '250:2000:250', '--intervals', '12,24', '--infusions', '1', '--draws', '20', '--top', '2']);
      expect(r.err).not.toMatch(/ends after the last simulated time/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/advice from 81\.1451 h/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a sample planned after the start is not a level', () => {
  // DV '.' and MDV blank (read as 0) at 80 h: fitted by nothing, it refused --from 48 as "before a level of the history (at 80 h)"
  const planned = readNmtran(['ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,500,0,.,1', '1,6,0,0,0,6.5,0', '1,80,0,0,0,.,'].join('\n')).records;
  const bolus = defineModel({
    dosewise: 2,
    name: 'one-cmt-bolus',
    structure: { kind: 'linear', compartments: 1, depot: false },
    parameters: { CL: '4*exp(ETA_CL)', V: '50*exp(ETA_V)' },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
  });

  it('advice from 48 h, with the state there the bolus\'s 500/V·e^(−CL/V·48)', () => {
    const f = estimate(bolus, planned);
    const r = adviseFromState(bolus, planned, { from: 48, target: 'trough:10:15', doses: [500, 1000], intervals: [12], draws: 20, seed: 1 }, f);
    const cl = f.parameters.CL as number;
    const v = f.parameters.V as number;
    // 0.2203 (measured within 2.2e-16)
    expect(Math.abs(r.state.mode / ((500 / v) * Math.exp((-cl / v) * 48)) - 1)).toBeLessThan(2e-15);
    expect(r.ranked.length).toBeGreaterThan(0);
  });

  it('a level measured at 80 h still refuses it', () => {
    const measured = readNmtran(['ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,500,0,.,1', '1,6,0,0,0,6.5,0', '1,80,0,0,0,0.4,0'].join('\n')).records;
    expect(() => adviseFromState(bolus, measured, { from: 48, target: 'trough:10:15', doses: [500, 1000], intervals: [12], draws: 20, seed: 1 })).toThrow(/from 48: is before a level of the history \(at 80 h\)/);
  });
});

describe('no hold for a level already below the ceiling that rises above it', () => {
  // an inhibited response (E0 100, EMAX −80) read 49.81 at 12 h under a trough ceiling of 60, and the
  // advice said it "does not fall below 60": it is below, and rises back towards 100 without drug
  const inhib = {
    dosewise: 2,
    name: 'inhib',
    structure: { kind: 'effect', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 4, unit: 'L/h' } },
    covariates: { WT: { unit: 'kg' } },
    parameters: { CL: { expr: 'TVCL*(WT/70)*exp(ETA_CL)', unit: 'L/h' }, V: { value: 40, unit: 'L' }, KE0: { value: 2, unit: '1/h' }, E0: 100, EMAX: -80, EC50: 5 },
    omega: { etas: ['ETA_CL'], diagonal: [0.09] },
    residual: { model: 'additive', additive: 1 },
  };
  const csv = ['ID,TIME,EVID,AMT,RATE,DV,MDV,WT', '1,0,1,600,0,.,1,70', '1,8,0,0,0,45,0,70'].join('\n');

  it('says "is below 60 (the trough ceiling) but rises above it", with the level of the closed form', async () => {
    const fitted = estimate(defineModel(inhib), readNmtran(csv).records);
    // bolus into V, effect site with KE0 = 2: Ce = C0·KE0/(KE0 − k)·(e^(−kt) − e^(−KE0·t)), E = 100 − 80·Ce/(5 + Ce)
    const kk = (fitted.parameters.CL as number) / 40;
    const ce = (600 / 40) * (2 / (2 - kk)) * (Math.exp(-kk * 12) - Math.exp(-2 * 12));
    const level = Number((100 - (80 * ce) / (5 + ce)).toPrecision(4));
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-advice-hold-'));
    try {
      writeFileSync(join(dir, 'm.json'), JSON.stringify(inhib));
      writeFileSync(join(dir, 'd.csv'), csv);
      const r = await cli(['optimize', '--model', join(dir, 'm.json'), '--data', join(dir, 'd.csv'), '--target', 'trough:40:60', '--doses', '100:1500:100', '--intervals', '12', '--draws', '50', '--from', '12']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`  no hold: the predicted level ${level} at 12 h is below 60 (the trough ceiling) but rises above it without more doses (its no-drug level is 100; see the warning)\n`);
      expect(r.out).not.toContain('does not fall below');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
