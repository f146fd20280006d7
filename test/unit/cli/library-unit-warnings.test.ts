// A covariate likely in another unit (W_RENAL_UNIT, W_WEIGHT_UNIT and kin: suspectUnitWarnings)
// was in simulate()'s warnings and on the command line's stderr, and not in estimate()'s,
// forecast()'s or estimateCohort()'s: Goti 2018 fitted and forecast at CRCL 3 (mL/s? 180 mL/min)
// returned warnings [] (README: a forecast AUC24 of 1120 for 648). They return it now, judged on
// the overrides as the command line judges --param, and the command line prints each once.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { estimateCohort } from '../../../src/bayes/task.js';

const FIX = 'test/fixtures/library-unit-warnings';
const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const recordsOf = (f: string) => readNmtran(readFileSync(`${FIX}/${f}`, 'utf8'), { file: f }).records;
const lines = (err: string, re: RegExp): string[] => err.split('\n').filter((l) => re.test(l));
const CRCL3 = /^row 1 \(and 1 more\): CRCL 3 read as 3 mL\/min; if this is mL\/s, it is 180 mL\/min/;

describe('estimate(), forecast(), estimateCohort(): a covariate likely in another unit', () => {
  it('estimate(): W_RENAL_UNIT and W_WEIGHT_UNIT, with their codes; on the values that run', () => {
    const renal = estimate(goti, recordsOf('crcl3.csv')).warnings.filter((w) => w.code === 'W_RENAL_UNIT');
    expect(renal).toHaveLength(1);
    expect(renal[0]?.message).toMatch(CRCL3);
    const wt = estimate(goti, recordsOf('wt500.csv')).warnings.filter((w) => w.code === 'W_WEIGHT_UNIT');
    expect(wt.map((w) => w.message)).toEqual([expect.stringMatching(/^row 1 \(and 1 more\): WT 500 read as 500 kg; in grams it is 0\.5 kg/)]);
    // an override replaces the charted CRCL 3, a dialysis flag makes it plausible; an override of 2 is judged
    expect(estimate(goti, recordsOf('crcl3.csv'), { overrides: { CRCL: 80 } }).warnings.filter((w) => w.code === 'W_RENAL_UNIT')).toEqual([]);
    expect(estimate(goti, recordsOf('crcl3.csv'), { overrides: { DIAL: 1 } }).warnings.filter((w) => w.code === 'W_RENAL_UNIT')).toEqual([]);
    const over = estimate(goti, recordsOf('crcl80.csv'), { overrides: { CRCL: 2 } }).warnings.filter((w) => w.code === 'W_RENAL_UNIT');
    expect(over.map((w) => w.message)).toEqual([expect.stringMatching(/^overrides\.CRCL = 2: CRCL 2 read as 2 mL\/min/)]);
    expect(estimate(goti, recordsOf('crcl80.csv')).warnings.filter((w) => /_UNIT$/.test(w.code))).toEqual([]);
  });

  it('forecast(): the history’s and the future regimen’s, each named', () => {
    const history = recordsOf('crcl3.csv');
    const future = recordsOf('future_crcl3.csv');
    const f = forecast(goti, history, estimate(goti, history), future, { metrics: ['trough'], draws: 20, seed: 1 });
    const renal = f.warnings.filter((w) => w.startsWith('W_RENAL_UNIT: '));
    expect(renal).toHaveLength(2);
    expect(renal[0]).toMatch(/^W_RENAL_UNIT: records: row 1 \(and 1 more\): CRCL 3 read as 3 mL\/min/);
    expect(renal[1]).toMatch(/^W_RENAL_UNIT: future regimen: row 1 \(and 1 more\): CRCL 3 read as 3 mL\/min/);
    // a dialysis flag charted in the history runs the future too
    const g = forecast(goti, history, estimate(goti, history, { overrides: { DIAL: 1 } }), future, { metrics: ['trough'], draws: 20, seed: 1, overrides: { DIAL: 1 } });
    expect(g.warnings.filter((w) => w.startsWith('W_RENAL_UNIT'))).toEqual([]);
  });

  it('estimateCohort(): each patient’s own', async () => {
    const r = await estimateCohort(goti, [recordsOf('crcl3.csv'), recordsOf('crcl80.csv'), recordsOf('wt500.csv')], { workers: 0 });
    expect(r.warnings.map((ws) => ws.filter((w) => /_UNIT$/.test(w.code)).map((w) => w.code))).toEqual([['W_RENAL_UNIT'], [], ['W_WEIGHT_UNIT']]);
    expect(r.warnings[0]?.find((w) => w.code === 'W_RENAL_UNIT')?.message).toMatch(CRCL3);
  });
});

describe('the command line: each said once, naming its file and --param', () => {
  const GOTI = ['--model', 'vancomycin_goti_2018'];
  it('estimate: once on stderr, once in the JSON', async () => {
    const r = await cli(['estimate', ...GOTI, '--data', `${FIX}/crcl3.csv`]);
    expect(r.code).toBe(0);
    expect(lines(r.err, /W_RENAL_UNIT/)).toEqual([expect.stringContaining('crcl3.csv, row 1 (and 1 more): W_RENAL_UNIT: CRCL 3 read as 3 mL/min')]);
    const j = await cli(['estimate', ...GOTI, '--data', `${FIX}/crcl3.csv`, '--json']);
    const ws = (JSON.parse(j.out) as { warnings: { code: string }[] }[])[0]?.warnings ?? [];
    expect(ws.filter((w) => w.code === 'W_RENAL_UNIT')).toHaveLength(1);
    expect(lines(j.err, /W_RENAL_UNIT/)).toHaveLength(1);
    const p = await cli(['estimate', ...GOTI, '--data', `${FIX}/crcl80.csv`, '--param', 'CRCL=2']);
    expect(lines(p.err, /W_RENAL_UNIT/)).toEqual([expect.stringContaining('--param CRCL=2: W_RENAL_UNIT: CRCL 2 read as 2 mL/min')]);
  });

  it('forecast: the history’s and the future regimen’s, once each', async () => {
    const r = await cli(['forecast', ...GOTI, '--data', `${FIX}/crcl3.csv`, '--regimen', `${FIX}/future_crcl3.csv`, '--draws', '20', '--seed', '1', '--metric', 'trough']);
    expect(r.code).toBe(0);
    const renal = lines(r.err, /W_RENAL_UNIT/);
    expect(renal).toHaveLength(2);
    expect(renal.filter((l) => l.includes('/crcl3.csv, row 1 (and 1 more): W_RENAL_UNIT'))).toHaveLength(1);
    expect(renal.filter((l) => l.includes('/future_crcl3.csv, row 1 (and 1 more): W_RENAL_UNIT'))).toHaveLength(1);
  });

  it('optimize, with and without --from: once', async () => {
    const base = ['optimize', ...GOTI, '--data', `${FIX}/crcl3.csv`, '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12,24', '--infusions', '1', '--draws', '50', '--seed', '1'];
    for (const extra of [[], ['--from', 'next-dose']]) {
      const r = await cli([...base, ...extra]);
      expect(lines(r.err, /W_RENAL_UNIT/), extra.join(' ')).toHaveLength(1);
    }
  });
});
