// auc24 whose 24 h reach back before a steady-state constant infusion (SS = 1, AMT 0, RATE > 0,
// II 0). Such a record stands for an infusion at RATE that has run forever up to its record; the
// engine stops it there, as NONMEM does (dosing-1001 ID 29 decays from its steady state). The window
// ran over the profile's hours before the record, which hold the course it replaced (or nothing):
// RATE 10 mg/h at 12 h on a 0–24 h grid, CL 4, V 50, read 19.285, the decay after the record alone.
// The daily AUC of that history is 12 h at Css = RATE/CL = 2.5 plus the decay,
// 30 + (2.5·50/4)(1 − e^{−0.08·12}) = 49.2846 (python, closed form), which no single window of the
// profile, scaled or not, gives: such an auc24 is now refused, naming the record, as is one whose
// regimen changes after an SS = 1 record. Where the 24 h start at or after the record the profile
// holds them, and the window is unchanged.

import { describe, expect, it } from 'vitest';
import { tempFiles } from './temp-files.js';
import { cli } from './cli/run-cli.js';
import { compileTarget } from '../../src/design/targets/targets.js';
import { dailyAucRefusal, parseMetric, regimenTimesOf } from '../../src/population/metrics.js';
import { regimen } from '../../src/regimen/builder.js';

const { write } = tempFiles('dosewise-auc24-ssinf-');

// CL 4 L/h, V 50 L (k 0.08/h), no variability: one subject is the closed form's
const oneCmt = write('m1.json', {
  dosewise: 2,
  name: 'one-cmt fixed',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  parameters: { CL: { value: 4, unit: 'L/h' }, V: { value: 50, unit: 'L' } },
  observe: { compartment: 1, unit: 'mg/L' },
});
// CL 4, V 20, Q 2, V2 40: at the infusion's steady state both compartments are at 2.5 mg/L
const twoCmt = write('m2.json', {
  dosewise: 2,
  name: 'two-cmt fixed',
  structure: { kind: 'linear', compartments: 2, depot: false, parameterization: 'clearance' },
  parameters: { CL: { value: 4, unit: 'L/h' }, V: { value: 20, unit: 'L' }, Q: { value: 2, unit: 'L/h' }, V2: { value: 40, unit: 'L' } },
  observe: { compartment: 1, unit: 'mg/L' },
});

const grid = (from: number, to: number, step = 0.25) => ({ grid: { from, to, step } });
/** RATE 10 mg/h at steady state at `at` h, plus `more` doses, observed over 0–`to` h. */
const ssInfusion = (name: string, at: number, to: number, more: object[] = []): string =>
  write(name, { doses: [{ time: at, amt: 0, rate: 10, cmt: 1, ss: 1 }, ...more], observe: [grid(0, to)] });

async function population(model: string, reg: string, metrics: string[]): Promise<{ code: number; err: string; m: Record<string, number> }> {
  const r = await cli(['population', '--model', model, '--regimen', reg, '--n', '1', ...metrics.flatMap((m) => ['--metric', m]), '--workers', '0', '--no-progress', '--json']);
  const m = r.code === 0 ? Object.fromEntries((JSON.parse(r.out).metrics as { name: string; report: { mean: number } }[]).map((x) => [x.name, x.report.mean])) : {};
  return { code: r.code, err: r.err, m };
}

const REFUSED = /metric auc24: its 24 h \(0–24 h\) start 12 h before the steady-state constant infusion at 12 h \(SS 1, AMT 0, RATE 10, II 0, CMT 1\)/;

describe('auc24 reaching back before a steady-state constant infusion (SS = 1, II 0)', () => {
  it('regimen times name the record; auc24 and an auc24 target are refused (the window was 0–24 h, 19.285 for 49.285)', () => {
    const records = regimen().dose({ time: 12, amt: 0, rate: 10, cmt: 1, ss: 1 }).observe(grid(0, 24)).records();
    const t = regimenTimesOf(records);
    expect(t).toEqual({ end: 24, tau: 0, lastDose: 12, ssInfusion: { time: 12, rate: 10, cmt: 1, ss: 1, evid: 1 } });
    expect(() => parseMetric('auc24', t)).toThrow(REFUSED);
    // the reason without the throw, for a caller whose auc24 is only a default (forecast's)
    expect(dailyAucRefusal(t)).toMatch(/^its 24 h \(0–24 h\) start 12 h before the steady-state constant infusion at 12 h/);
    expect(dailyAucRefusal({ end: 24, tau: 12, lastDose: 12 })).toBeUndefined();
    // pta, optimize and advice compile their targets through the same window
    expect(() => compileTarget('auc24:40:60', records)).toThrow(REFUSED);
    // the metrics whose windows start at the record are unchanged: the last "interval" is 12–24 h
    expect(parseMetric('auctau', t)).toMatchObject({ t0: 12, t1: 24 });
    expect(parseMetric('auc:12:24', t)).toMatchObject({ t0: 12, t1: 24 });
  });

  it('24 h starting at or after the record: the profile holds them, the window is unchanged', () => {
    const at = regimenTimesOf(regimen().dose({ time: 12, amt: 0, rate: 10, cmt: 1, ss: 1 }).observe(grid(0, 36)).records());
    expect(at).toEqual({ end: 36, tau: 0, lastDose: 12 });
    expect(parseMetric('auc24', at)).toMatchObject({ t0: 12, t1: 36 });
    const after = regimenTimesOf(regimen().dose({ time: 0, amt: 0, rate: 10, cmt: 1, ss: 1 }).dose({ time: 12, amt: 500, cmt: 1, ii: 12, addl: 2 }).observe(grid(0, 48)).records());
    expect(after.ssInfusion).toBeUndefined();
    expect(parseMetric('auc24', after)).toMatchObject({ t0: 24, t1: 48 });
  });

  it('population, one compartment: refused naming the record (read 19.285, the decay alone, for 49.285)', async () => {
    const reg = ssInfusion('alone.json', 12, 24);
    const r = await population(oneCmt, reg, ['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(REFUSED);
    expect(r.err).toMatch(/give auc:12:24 \(the AUC after the record\), or a profile whose last 24 h start at or after 12 h/);
    expect(r.err).not.toMatch(/NaN|at .*\.ts:\d+/);
    // the pieces of the daily AUC the refusal points to, as they stand: after the record the decay
    // from Css, (RATE/(k·V))(1 − e^{−k·12}) = 19.284597313 (closed form; measured 1.4e-15 relative:
    // log-down is exact on one exponential), and the level just after the record Css = RATE/CL = 2.5
    // (measured exact); 12·Css + that = 49.2846, the number a kernel counting those hours must give
    const ok = await population(oneCmt, reg, ['auc:12:24', 'cmax:12:24']);
    expect(ok.code, ok.err).toBe(0);
    expect(Math.abs(ok.m['auc:12:24']! / 19.284597313277747 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(ok.m['cmax:12:24']! / 2.5 - 1)).toBeLessThan(1e-12);
    expect(Math.abs((12 * ok.m['cmax:12:24']! + ok.m['auc:12:24']!) / 49.28459731327774 - 1)).toBeLessThan(1e-12);
  });

  it('population, an infusion running on from the record: refused (read 30, the 12 empty hours counted, for 24·RATE/CL = 60)', async () => {
    // the warning's advice for an infusion that runs on: add one from that time, 10 mg/h for 12 h
    const reg = ssInfusion('runs-on.json', 12, 24, [{ time: 12, amt: 120, rate: 10, cmt: 1 }]);
    const r = await population(oneCmt, reg, ['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(REFUSED);
    // the level stays at Css = 2.5 after the record: AUC(12–24) = 30 (measured exact), the daily AUC 60
    const ok = await population(oneCmt, reg, ['auc:12:24']);
    expect(ok.code, ok.err).toBe(0);
    expect(Math.abs(ok.m['auc:12:24']! / 30 - 1)).toBeLessThan(1e-12);
  });

  it('population, doses after the record: refused naming the constant infusion (it was refused as an SS = 1 record whose regimen the doses change, AUCτ·24/τ)', async () => {
    // SS infusion at 20 h, 500 mg q12h from 24 h: the 24 h are 12–36 h, 8 of them before the record
    const reg = write('then-doses.json', { doses: [{ time: 20, amt: 0, rate: 10, cmt: 1, ss: 1 }, { time: 24, amt: 500, cmt: 1, ii: 12 }], observe: [grid(0, 36)] });
    const r = await population(oneCmt, reg, ['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/metric auc24: its 24 h \(12–36 h\) start 8 h before the steady-state constant infusion at 20 h \(SS 1, AMT 0, RATE 10, II 0, CMT 1\)/);
  });

  it('the infusion spaces no doses: a q8h SS dose at 0 h and the infusion at 24 h were a "q24h" interval 0–24 h', () => {
    const records = regimen().dose({ time: 0, amt: 120, rate: 240, cmt: 1, ii: 8, ss: 1 }).dose({ time: 24, amt: 0, rate: 10, cmt: 1, ss: 1 }).observe(grid(24, 36, 1)).records();
    // was { tau: 24, lastDose: 0 }: auc24 over 0–24 h, the history's alone
    const t = regimenTimesOf(records, 36);
    expect(t).toEqual({ end: 36, tau: 0, lastDose: 24, ssInfusion: { time: 24, rate: 10, cmt: 1, ss: 1, evid: 1 } });
    expect(() => parseMetric('auc24', t)).toThrow(/its 24 h \(12–36 h\) start 12 h before the steady-state constant infusion at 24 h/);
    // the doses around it still space each other: boluses at 12 and 24 h without II are q12h
    const around = regimenTimesOf(regimen().dose({ time: 0, amt: 0, rate: 10, cmt: 1, ss: 1 }).dose({ time: 12, amt: 500, cmt: 1 }).dose({ time: 24, amt: 500, cmt: 1 }).observe(grid(0, 36)).records());
    expect(around).toEqual({ end: 36, tau: 12, lastDose: 24 });
  });

  it('forecast: a future SS infusion at 24 h after a q8h history: auc24 refused naming it (read 27.93 over 0–24 h, the history alone)', async () => {
    const model = write('mg.json', {
      dosewise: 2,
      name: 'gent broad prior',
      structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
      theta: { TVCL: { value: 3, unit: 'L/h' }, TVV: { value: 15, unit: 'L' } },
      parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
      omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[4, 0], [0, 4]] },
      residual: { model: 'proportional', proportional: 0.0001 },
      observe: { compartment: 1, unit: 'mg/L' },
    });
    // 120 mg/0.5 h q8h at steady state, levels exact for CL 5, V 20 (auc24-ss-reset.test.ts)
    const data = write('pg.csv', 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV\n1,0,1,120,1,240,0,8,1,.,1\n1,1.5,0,0,1,0,0,0,0,5.080064122,0\n1,7.5,0,0,1,0,0,0,0,1.133515521,0\n');
    const future = write('fut.json', { doses: [{ time: 24, amt: 0, rate: 10, cmt: 1, ss: 1 }], observe: [grid(24, 36, 1)] });
    const run = (metrics: string[]) => cli(['forecast', '--model', model, '--data', data, '--regimen', future, '--draws', '100', '--seed', '1', ...metrics.flatMap((m) => ['--metric', m])]);
    const r = await run(['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/metric auc24: its 24 h \(12–36 h\) start 12 h before the steady-state constant infusion at 24 h \(SS 1, AMT 0, RATE 10, II 0, CMT 1\)/);
    // the pieces: the level after the record is RATE/CL at the MAP CL, 2.0000 for CL 5 (measured
    // 2.00000), and the decay after it; 12·2 + 7.6017 = 31.60 is the daily AUC, not 27.93
    const ok = await run(['auc:24:36', 'cmax:24:36']);
    expect(ok.code, ok.err).toBe(0);
    const map = (name: string): number => Number((ok.out.split('\n').find((l) => l.trim().startsWith(`${name} `)) as string).trim().split(/\s+/)[2]);
    expect(Math.abs(map('cmax:24:36') / 2 - 1)).toBeLessThan(2e-5);
  }, 60_000);

  it('an SS = 2 constant infusion (EVID 1) inside the 24 h is refused too (500 mg at 0 h, RATE 10 SS 2 at 12 h read 125.96 for 155.96)', async () => {
    // SS = 2 adds the infusion's steady state to the course and resets nothing, yet stands for that
    // infusion run up to its record as SS = 1 does: 0–24 h lacked its 12 h at RATE/CL = 2.5 before it.
    // Closed form (python3, CL 4, V 50, k 0.08/h): the bolus's AUC(0–24) = (500/50)(1 − e^{−1.92})/0.08
    // = 106.67412973370622, the infusion's decay after its record 19.284597313277747: read 125.95872704698397,
    // the daily AUC with those 12 h 155.95872704698397
    const doses = [{ time: 0, amt: 500, cmt: 1 }, { time: 12, amt: 0, rate: 10, cmt: 1, ss: 2 as const }];
    const t = regimenTimesOf(doses.reduce((r, d) => r.dose(d), regimen()).observe(grid(0, 24)).records());
    expect(t).toEqual({ end: 24, tau: 0, lastDose: 12, ssInfusion: { time: 12, rate: 10, cmt: 1, ss: 2, evid: 1 } });
    const reg = write('ss2.json', { doses, observe: [grid(0, 24)] });
    const r = await population(oneCmt, reg, ['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/metric auc24: its 24 h \(0–24 h\) start 12 h before the steady-state constant infusion at 12 h \(SS 2, AMT 0, RATE 10, II 0, CMT 1\)/);
    // the profile the window read: measured 125.958727046984 (2e-15 relative)
    const ok = await population(oneCmt, reg, ['auc:0:24']);
    expect(ok.code, ok.err).toBe(0);
    expect(Math.abs(ok.m['auc:0:24']! / 125.95872704698397 - 1)).toBeLessThan(1e-13);
    // 24 h from the record on hold it: unchanged (the decay from 2.5, 31.25(1 − e^{−1.92}) = 26.6685)
    const from = regimenTimesOf(regimen().dose({ time: 12, amt: 0, rate: 10, cmt: 1, ss: 2 }).observe(grid(0, 36)).records());
    expect(from).toEqual({ end: 36, tau: 0, lastDose: 12 });
  });

  it('population, two compartments: refused; the pieces give 12·2.5 + 14.828621 = 44.828621 (python)', async () => {
    const reg = ssInfusion('two.json', 12, 24);
    const r = await population(twoCmt, reg, ['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(REFUSED);
    // scipy: x(t) = expm(K t)·[50, 100] after the record, ∫0^12 x1/V1 = 14.828620952505 (quad and
    // K⁻¹(expm(12K) − I)·x0 agree to 1e-14); the 1/4-h grid's log-down AUC of two exponentials is
    // 14.829780 (7.8e-5 high), the total 2.6e-5 high, measured
    const ok = await population(twoCmt, reg, ['auc:12:24', 'cmax:12:24']);
    expect(ok.code, ok.err).toBe(0);
    expect(Math.abs(ok.m['cmax:12:24']! / 2.5 - 1)).toBeLessThan(1e-12);
    expect(Math.abs((12 * ok.m['cmax:12:24']! + ok.m['auc:12:24']!) / 44.828620952505375 - 1)).toBeLessThan(1e-4);
  });
});
