// A covariate that sets the volume and changes at a record makes the concentration jump there
// (the same amount in half the volume: twice the level), as a dose does. The metric profile sampled
// only the side the record itself reads (NOCB: before the change; LOCF: after it) and drew a straight
// line to the next sample, so a trapezoid spanned the jump. 1000 mg bolus, CL 2, V 0.5 L/kg, WT 100
// → 50 kg at 12 h, levels every 2 h: NOCB auc:12:14 33.47, auc:0:24 369.26, cmax:12:24 21.09 (the
// level at 14 h); LOCF auc:0:24 393.93, auc:10:12 38.16, cmin:10:12 13.41 (the level at 10 h).
//
// Reference values, closed form (python3 at writing time): V 50 L on [0, 12], 25 L after, so
// A(12) = 1000·e^(−0.48); C(12−) = A(12)/50 = 12.375668, C(12+) = A(12)/25 = 24.751336;
// auc:12:14 = C(12+)·(1 − e^(−0.16))/0.08 = 45.745484; auc:0:24 = 381.536121;
// auc:10:12 = 20·(e^(−0.4) − e^(−0.48))/0.04 = 25.768327. Both pieces decline mono-exponentially,
// where the log-down rule on the two limits is exact: measured within 1e-15 of these, so 1e-13
// leaves room for rounding only. simulate() agrees on the sides: at 12 h a NOCB record reads
// 12.375668 and one at 12 + 1e-9 h 24.751336; under LOCF the record at 12 h reads 24.751336.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-paramsjump-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const model = (timeVarying: 'nocb' | 'locf', omega = 0) => ({
  dosewise: 2,
  name: `wtjump-${timeVarying}`,
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 2, unit: 'L/h' }, TVV: { value: 0.5, unit: 'L/kg' } },
  covariates: { WT: { unit: 'kg' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * WT', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [omega] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
  ...(timeVarying === 'locf' ? { time_varying: 'locf' } : {}),
});

/** Levels every 2 h to 24 h; WT 100 on the records up to `lastHeavy` h, 50 after. */
function regimen(lastHeavy: number): string {
  const rows = ['ID,TIME,EVID,AMT,DV,MDV,WT', '1,0,1,1000,.,1,100'];
  for (let t = 0; t <= 24; t += 2) rows.push(`1,${t},0,.,.,0,${t <= lastHeavy ? 100 : 50}`);
  return rows.join('\n') + '\n';
}

async function metrics(timeVarying: 'nocb' | 'locf', lastHeavy: number, names: readonly string[]): Promise<Record<string, number>> {
  const m = join(tmp, `m-${timeVarying}.json`);
  const reg = join(tmp, `r-${timeVarying}.csv`);
  writeFileSync(m, JSON.stringify(model(timeVarying)));
  writeFileSync(reg, regimen(lastHeavy));
  const r = await cli(['population', '--model', m, '--regimen', reg, '--n', '1', '--workers', '0', '--json', '--no-progress', ...names.flatMap((n) => ['--metric', n])]);
  expect(r.code, r.err).toBe(0);
  return Object.fromEntries((JSON.parse(r.out).metrics as { name: string; report: { mean: number } }[]).map((x) => [x.name, x.report.mean]));
}

const rel = (got: number | undefined, want: number): number => Math.abs((got as number) - want) / want;

describe('metrics across a volume change at a record', () => {
  it('NOCB (the 12-h record reads V 50, the interval after it V 25): both limits are sampled', async () => {
    // before: auc:12:14 38.36, auc:0:24 374.2, cmax:12:24 19.74-ish, the right limit never sampled
    const got = await metrics('nocb', 12, ['auc:12:14', 'auc:0:24', 'cmax:12:24', 'auc:10:12', 'cmin:10:12']);
    expect(rel(got['auc:12:14'], 45.745483881546136), `auc:12:14: ${got['auc:12:14']} for 45.745483881546136`).toBeLessThan(1e-13);
    expect(rel(got['auc:0:24'], 381.5361206589391), `auc:0:24: ${got['auc:0:24']} for 381.5361206589391`).toBeLessThan(1e-13);
    expect(rel(got['cmax:12:24'], 24.75133567224563), `cmax:12:24: ${got['cmax:12:24']} for 24.75133567224563`).toBeLessThan(1e-13);
    // the window ending at the change keeps the record's own (left) value
    expect(rel(got['auc:10:12'], 25.768327114749244), `auc:10:12: ${got['auc:10:12']} for 25.768327114749244`).toBeLessThan(1e-13);
    expect(rel(got['cmin:10:12'], 12.375667836122815), `cmin:10:12: ${got['cmin:10:12']} for 12.375667836122815`).toBeLessThan(1e-13);
  });

  it('LOCF (the 12-h record reads V 25 already): the left limit is sampled before it', async () => {
    // the same profile, written with WT 50 from the 12-h record on
    const got = await metrics('locf', 10, ['auc:12:14', 'auc:0:24', 'cmax:12:24', 'auc:10:12', 'cmin:10:12']);
    expect(rel(got['auc:12:14'], 45.745483881546136), `auc:12:14: ${got['auc:12:14']} for 45.745483881546136`).toBeLessThan(1e-13);
    expect(rel(got['auc:0:24'], 381.5361206589391), `auc:0:24: ${got['auc:0:24']} for 381.5361206589391`).toBeLessThan(1e-13);
    expect(rel(got['cmax:12:24'], 24.75133567224563), `cmax:12:24: ${got['cmax:12:24']} for 24.75133567224563`).toBeLessThan(1e-13);
    expect(rel(got['auc:10:12'], 25.768327114749244), `auc:10:12: ${got['auc:10:12']} for 25.768327114749244`).toBeLessThan(1e-13);
    expect(rel(got['cmin:10:12'], 12.375667836122815), `cmin:10:12: ${got['cmin:10:12']} for 12.375667836122815`).toBeLessThan(1e-13);
  });
});

describe('forecast metrics across a volume change in the future records', () => {
  it('take both limits at the change (NOCB), at the MAP CL', async () => {
    // history: 1000 mg at 0 h, a level at 6 h; future: WT 100 kg up to the 12-h record, 50 kg after.
    // Before, the profile's first sample after the change was at 12.25 h (the dense grid): cmax:12:24
    // read C(12.25), below C(12+), and the AUC bridged [12, 12.25] with a straight line
    const m = join(tmp, 'm-fc.json');
    const data = join(tmp, 'fc-data.csv');
    const future = join(tmp, 'fc-future.csv');
    writeFileSync(m, JSON.stringify(model('nocb', 0.1)));
    writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,WT\n1,0,1,1000,.,1,100\n1,6,0,.,14,0,100\n');
    writeFileSync(future, ['ID,TIME,EVID,AMT,DV,MDV,WT', ...[8, 10, 12, 14, 16, 18, 20, 22, 24].map((t) => `1,${t},0,.,.,1,${t <= 12 ? 100 : 50}`)].join('\n') + '\n');
    const r = await cli(['forecast', '--model', m, '--data', data, '--regimen', future, '--json', '--draws', '20', ...['cmax:12:24', 'auc:12:14', 'auc:10:14', 'cmin:10:12'].flatMap((x) => ['--metric', x])]);
    expect(r.code, r.err).toBe(0);
    const f = (JSON.parse(r.out) as { eta: number[]; metrics: Record<string, { mode: number }> }[])[0] as { eta: number[]; metrics: Record<string, { mode: number }> };
    // the closed form at the forecast's own MAP η: V 50 L to 12 h, 25 L after
    const cl = 2 * Math.exp(f.eta[0] as number);
    const k1 = cl / 50;
    const k2 = cl / 25;
    const a12 = 1000 * Math.exp(-k1 * 12);
    const exact = {
      'cmax:12:24': a12 / 25,
      'cmin:10:12': a12 / 50,
      'auc:12:14': ((a12 / 25) * (1 - Math.exp(-k2 * 2))) / k2,
      'auc:10:14': (20 * (Math.exp(-k1 * 10) - Math.exp(-k1 * 12))) / k1 + ((a12 / 25) * (1 - Math.exp(-k2 * 2))) / k2,
    };
    for (const [name, want] of Object.entries(exact)) expect(rel(f.metrics[name]?.mode, want), `${name}: ${f.metrics[name]?.mode} for ${want}`).toBeLessThan(1e-13);
  });
});

describe('population metrics across a change of occasion with IOV on V', () => {
  it('take both limits: the occasion after the 12-h record has its own κ', async () => {
    // κ is 0 in the typical subject the grid is built for, so no parameter changed there and no
    // sample was added, while every subject's V changed at 12 h: cmax:12:24 was the left limit
    // (subject 2 of seed 1: 15.07 where V 29.06 → 121.39 L leaves 3.607), auc:12:14 15.83 for 7.097
    const m = join(tmp, 'm-iov.json');
    const reg = join(tmp, 'r-iov.csv');
    const out = join(tmp, 'iov-out');
    writeFileSync(m, JSON.stringify({
      dosewise: 2,
      name: 'iovjump',
      structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
      theta: { TVCL: { value: 2, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
      parameters: { CL: { expr: 'TVCL', unit: 'L/h' }, V: { expr: 'TVV * exp(KAPPA_V)', unit: 'L' } },
      iov: { etas: ['KAPPA_V'], diagonal: [0.25], occasion: 'OCC' },
      residual: { model: 'proportional', proportional: 0.1 },
      observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
    }));
    const rows = ['ID,TIME,EVID,AMT,DV,MDV,OCC', '1,0,1,1000,.,1,1'];
    for (let t = 0; t <= 24; t += 2) rows.push(`1,${t},0,.,.,0,${t <= 12 ? 1 : 2}`);
    writeFileSync(reg, rows.join('\n') + '\n');
    const r = await cli(['population', '--model', m, '--regimen', reg, '--n', '3', '--seed', '1', '--metric', 'auc:12:14', '--metric', 'cmax:12:24', '--metric', 'cmin:10:12', '--workers', '0', '--no-progress', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const [head, ...lines] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const col = (head as string).split(',');
    for (const line of lines) {
      const v = Object.fromEntries(line.split(',').map((x, i) => [col[i], Number(x)])) as Record<string, number>;
      // the table's V is the last occasion's (V2); the amount at 12 h is C(12−)·V1 = C(12+)·V2, so
      // V1 = cmax·V2/cmin, and the closed form of a bolus into V1 must give back C(12−)
      const cl = v.CL as number;
      const v2 = v.V as number;
      const v1 = ((v['cmax:12:24'] as number) * v2) / (v['cmin:10:12'] as number);
      const left = (1000 / v1) * Math.exp((-cl * 12) / v1);
      const right = (left * v1) / v2;
      const k2 = cl / v2;
      expect(rel(v['cmin:10:12'], left), `subject ${v.ID}: cmin:10:12 ${v['cmin:10:12']} for ${left}`).toBeLessThan(1e-13);
      expect(rel(v['auc:12:14'], (right * (1 - Math.exp(-2 * k2))) / k2), `subject ${v.ID}: auc:12:14 ${v['auc:12:14']}`).toBeLessThan(1e-13);
    }
  });
});
