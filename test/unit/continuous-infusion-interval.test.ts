// A loading dose followed by one long infusion record without II (meropenem 2 g over 0.5 h, then
// 18 g at 250 mg/h for 72 h) is the usual way to write a continuous infusion. The 0.5-h gap between
// them was read as the dosing interval: pta's tabove:16:1 judged the 0.5–1 h after the load (100.0 %
// for 93 %), auc24 was AUC(0.5–1)·48 (mean 1948), the trough the level at 1 h (73.75), and the dose
// column said "18000 q0.5h, 480000 per 24 h". A dose whose infusion still runs when the next dose
// would be due by the spacing before it is a continuous infusion: no dosing interval, interval
// metrics refused naming it, auc24 the profile's last 24 h, and pta prints it as continuous.
//
// References (closed forms, computed with python3/scipy when this test was written): at steady
// state of a 1-compartment model the level is R/CL, so the AUC over 48–72 h is 24·R/CL (R 250 mg/h,
// CL 10·e^η, η ~ N(0, 0.09)); P(24·250/CL ≥ 480) = P(CL ≤ 12.5) = Φ(ln(1.25)/0.3) = 0.77150, and
// P(250/CL > 16) = Φ(ln(250/160)/0.3) = 0.93157.

import { describe, expect, it } from 'vitest';
import { cli, quick, vanco } from './design/design-cli.js';
import { parseRegimenJson } from '../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../src/population/metrics.js';
import { compileTarget } from '../../src/design/targets/targets.js';
import { regimenDose } from '../../src/design/pta/pta.js';
import { populationPlan } from '../../src/design/pta/pta-plan.js';
import { runStudy, seedKey } from '../../src/population/study.js';
import { loadModelJson } from '../../src/cli/model-arg.js';
import { readCovariates } from '../../src/cli/pta.js';
import { cli as dosewise } from './cli/run-cli.js';
import { tempFiles } from './temp-files.js';

const { write } = tempFiles('dosewise-continuous-');

/** Meropenem, 1 compartment: CL 10 L/h, V 20 L, ω² 0.09 on CL and 0.04 on V. */
const mero = {
  dosewise: 2, name: 'meropenem 1-cmt', structure: '1cmt-iv',
  theta: { TVCL: { value: 10, unit: 'L/h' }, TVV: { value: 20, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
const grid72 = [{ grid: { from: 0, to: 72, step: 0.25 } }];
const continuous = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 18000, cmt: 1, rate: 250 }], observe: grid72 };
/** The same exposure with an interval, as the refusal suggests. */
const withIi = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 6000, cmt: 1, dur: 24, ii: 24, addl: 2 }], observe: grid72 };
const ptaOf = (out: string, name: string): number => Number(new RegExp(`^${name}\\s.*?(\\d+\\.\\d) ± `, 'm').exec(out)?.[1]);

describe('a load followed by one long infusion without II is a continuous infusion, not a q0.5h regimen', () => {
  const records = parseRegimenJson(continuous);

  it('has no dosing interval from the 0.5-h spacing (was τ 0.5); auc24 is the profile\'s last 24 h (was 0.5–1 h × 48)', () => {
    const t = regimenTimesOf(records);
    expect(t.tau).toBe(0);
    expect(t.continuous).toEqual({ time: 0.5, amt: 18000, duration: 72, spacing: 0.5, place: 'doses.1', rate: 250 });
    const auc24 = parseMetric('auc24', t);
    expect([auc24.t0, auc24.t1, auc24.scale]).toEqual([48, 72, undefined]);
    // window metrics stay
    expect([parseMetric('cavg:48:72', t).t0, parseMetric('tabove:16:48:72', t).t1]).toEqual([48, 72]);
  });

  it.each(['trough', 'auctau', 'cavg', 'cmax', 'cmin', 'tmax', 'fu=0.4/trough'])('refuses %s, naming the infusion and what to give instead', (m) => {
    const t = regimenTimesOf(records);
    expect(() => parseMetric(m, t)).toThrow(
      new RegExp(`^metric ${m.replace('.', '\\.')}: the last dose \\(doses\\.1: AMT 18000 at 0\\.5 h\\) is an infusion of 72 h, still running when the next dose would be due by the 0\\.5-h spacing .*dur 24, ii 24, addl N.*cavg:48:72\\)`),
    );
  });

  it('targets: auc24 alone compiles over 48–72 h; a clause that reads the interval is refused by name', () => {
    const c = compileTarget('auc24:400:600', records);
    expect([c.metrics[0]?.t0, c.metrics[0]?.t1]).toEqual([48, 72]);
    expect(() => compileTarget('auc24:400:600,tabove:16:1', records)).toThrow(/^metric tabove:16:1: the last dose \(doses\.1: AMT 18000 at 0\.5 h\) is an infusion of 72 h/);
    expect(() => compileTarget('auc24:400:600,trough:10:20', records)).toThrow(/^metric trough:10:20: the last dose/);
  });

  it('regimenDose: 250 mg/h is 6000 per 24 h (was q0.5h, 480000), shown as continuous', () => {
    expect(regimenDose(records)).toEqual({ dose: 18000, interval: 0, dailyDose: 6000, continuous: { duration: 72, rate: 250 } });
  });

  it('pta auc24:480: is P(CL ≤ 12.5) = 0.7715 (closed form), and prints the regimen as a continuous infusion', async () => {
    const m = write('mero.json', mero);
    const r = write('continuous.json', continuous);
    const out = await cli(['pta', '--model', m, '--regimens', r, '--target', 'auc24:480:', ...quick, '--n', '20000']);
    expect(out).toMatch(/^continuous\s+18000 continuous over 72 h\s+6000\s/m);
    expect(out).not.toMatch(/q0\.5h|480000/);
    // measured 76.6 ± 0.3 (SE 0.30 %); 0.9 = 3 SE
    expect(Math.abs(ptaOf(out, 'continuous') - 77.15)).toBeLessThan(0.9);
  }, 60_000);

  it('pta tabove:16:1 is refused with the file and the II form it suggests; that form gives Φ(ln(250/160)/0.3) = 0.9316', async () => {
    const m = write('mero.json', mero);
    const r = write('continuous.json', continuous);
    const ii = write('with-ii.json', withIi);
    await expect(cli(['pta', '--model', m, '--regimens', r, '--target', 'tabove:16:1', ...quick, '--n', '200'])).rejects.toThrow(
      new RegExp(`^regimen ${r.replace(/[.\\]/g, '\\$&')}: metric tabove:16:1: the last dose \\(doses\\.1: AMT 18000 at 0\\.5 h\\)`),
    );
    const out = await cli(['pta', '--model', m, '--regimens', ii, '--target', 'tabove:16:1', ...quick, '--n', '20000']);
    // measured 93.0 ± 0.2 (SE 0.18 %); 0.6 ≈ 3 SE
    expect(Math.abs(ptaOf(out, 'with-ii') - 93.16)).toBeLessThan(0.6);
  }, 60_000);
});

describe('forecast of a patient on the continuous infusion', () => {
  it('auc24 over 48–72 h, the typical 24·250/10 = 600 (was 0.5–1 h: 1948.01); the default cmax and trough left out, said (W_CONTINUOUS_INFUSION)', async () => {
    const m = write('mero.json', mero);
    const history = write('history.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,2000,4000,.,1\n1,0.5,1,18000,250,.,1\n1,24,0,.,.,22,0\n');
    const future = write('future.json', { doses: [], observe: [{ grid: { from: 24, to: 72, step: 1 } }] });
    const r = await dosewise(['forecast', '--model', m, '--data', history, '--regimen', future, '--draws', '200']);
    expect(r.code, r.err).toBe(0);
    // the population column is the typical subject: 24·R/CL, the load's rest e^(−0.5·47.5) of it gone
    expect(r.out).toMatch(/^\s*auc24\s+48-72\s+\S+\s+600\.000\s/m);
    expect(r.out).not.toMatch(/^\s*(cmax|trough)\s/m);
    expect(r.err).toMatch(/W_CONTINUOUS_INFUSION: .*history\.csv, ID 1: cmax and trough left out of the default metrics: the last dose \(row 2: AMT 18000 at 0\.5 h\) is an infusion of 72 h/);
  }, 60_000);
});

describe('vancomycin (Goti 2018): 2000 mg over 2 h, then 6000 mg over 72 h', () => {
  const regimen = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 2 }, { time: 2, amt: 6000, cmt: 1, dur: 72 }], observe: [{ grid: { from: 0, to: 74, step: 0.25 } }] };

  it('pta auc24:400:600 judges AUC(50–74 h) of the same subjects (was AUC(2–4 h)·12: 25.4 % for 33.9 %)', async () => {
    const r = write('vanco-continuous.json', regimen);
    const out = await cli(['pta', ...vanco, '--regimens', r, '--target', 'auc24:400:600', ...quick, '--n', '4000']);
    expect(out).toMatch(/6000 continuous over 72 h\s+2000\s/);
    // the reference: the same subjects (seed 1) through population's explicit window auc:50:74
    const { json: model, model: m } = await loadModelJson('vancomycin_goti_2018');
    const { covariates, files } = readCovariates('examples/design-vancomycin-covariates.json', { arg: 'vancomycin_goti_2018', model: m });
    const records = parseRegimenJson(regimen);
    const plan = populationPlan({ model, records, covariates, files, key: seedKey(1), metrics: [parseMetric('auc:50:74', regimenTimesOf(records))], table: false });
    let inside = 0;
    await runStudy(plan, { n: 4000, workers: 0, onChunk: (ch) => {
      for (const v of ch.metrics) if (v >= 400 && v <= 600) inside++;
    } });
    expect(ptaOf(out, 'vanco-continuous')).toBe(Number(((100 * inside) / 4000).toFixed(1)));
  }, 60_000);
});

describe('spacing that is an interval stays one', () => {
  it('24-h infusions back to back (0 and 24 h, dur 24) are q24h; 1-h infusions 12 h apart are q12h', () => {
    const back = parseRegimenJson({ doses: [{ time: 0, amt: 6000, cmt: 1, dur: 24 }, { time: 24, amt: 6000, cmt: 1, dur: 24 }], observe: [{ times: [48] }] });
    expect(regimenTimesOf(back)).toEqual({ end: 48, tau: 24, lastDose: 24 });
    const q12 = parseRegimenJson({ doses: [0, 12, 24].map((time) => ({ time, amt: 1000, cmt: 1, dur: 1 })), observe: [{ times: [36] }] });
    expect(regimenTimesOf(q12)).toEqual({ end: 36, tau: 12, lastDose: 24 });
  });
});
