// Which last dose is a continuous infusion (regimenTimesOf's `continuous`), beyond a load then one
// long infusion at a fixed rate (continuous-infusion-interval.test.ts):
// - a modelled duration (RATE −2, D1 = INFD) was skipped (only RATE > 0 was tested): a 2 g load,
//   then 18 g over INFD 72 h, printed "18000 q0.5h, 480000 per 24 h", tabove:16:1 100 % (for
//   93.16 %) and auc24:480: 100 % (for 77.15 %). It is the typical subject's duration now; where the
//   model cannot give it, the interval metrics and auc24 are refused naming the record;
// - rounded rates (2 g q6h at RATE 333.33, 6.00006 h) overlapped the 6-h spacing by 0.2 s and read
//   as continuous: tabove refused, auc24 "2000 continuous over 6 h", 2000 per 24 h for 8000. Within
//   1 % of the spacing, back-to-back infusions are an interval;
// - a load, 250 mg/h for 24 h, then 125 mg/h for 48 h (gaps 0.5 and 24 h) was no continuous
//   infusion: tabove judged over 24.5–72 h, 5938 per 24 h for 3000; without the load it was one;
// - optimize --from next-dose put the next dose 0.5 h after a 72-h infusion began (the load's gap);
// - the refusals name the record's place (doses.1, row 2), and forecast the file that holds it.
//
// References (closed forms, computed with python3/scipy when this test was written; CL = 10·e^η,
// η ~ N(0, 0.09), the level at steady state of a constant rate R is R/CL):
//   P(24·250/CL ≥ 480) = Φ(ln(1.25)/0.3)          = 0.77150 (18 g over 72 h, 48–72 h)
//   P(8000/CL ≥ 480)   = Φ(ln(8000/4800)/0.3)     = 0.95569 (2 g q6h: AUC24 = 8000/CL)
//   P(24·125/CL ≥ 480) = Φ(ln(0.625)/0.3)         = 0.05859 (125 mg/h over 48–72 h)

import { describe, expect, it } from 'vitest';
import { cli } from './design/design-cli.js';
import { cli as dosewise } from './cli/run-cli.js';
import { parseRegimenJson } from '../../src/regimen/file.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { refuseDurItem } from '../../src/regimen/record.js';
import { parseMetric, regimenTimesOf, typicalDuration } from '../../src/population/metrics.js';
import { regimenDose } from '../../src/design/pta/pta.js';
import { defineModel } from '../../src/model/model.js';
import { nextDoseTime } from '../../src/cli/advice.js';
import { tempFiles } from './temp-files.js';

const { write } = tempFiles('dosewise-continuous-detect-');
const quick = ['--seed', '1', '--workers', '0', '--no-progress'];
const ptaOf = (out: string, name: string): number => Number(new RegExp(`^${name}\\s.*?(\\d+\\.\\d) ± `, 'm').exec(out)?.[1]);
const escaped = (s: string): string => s.replace(/[.\\]/g, '\\$&');

const base = {
  dosewise: 2, structure: '1cmt-iv',
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
/** Meropenem, 1 compartment: CL 10 L/h, V 20 L. */
const mero = { ...base, name: 'mero', parameters: { CL: { expr: '10 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: '20 * exp(ETA_V)', unit: 'L' } } };
/** The same with the infusion's duration in the model: D1 = INFD (RATE −2). */
const merod = {
  ...base, name: 'mero modelled dur',
  covariates: { INFD: { unit: 'h', default: 0.5 } },
  parameters: { ...mero.parameters, D1: 'INFD' },
  compartments: { '1': { duration: 'D1' } },
};
const grid72 = [{ grid: { from: 0, to: 72, step: 0.25 } }];
/** 2 g over INFD 0.5 h, then 18 g over INFD 72 h (the file cont_m2.json). */
const modelled = {
  doses: [{ time: 0, amt: 2000, cmt: 1, rate: -2, items: { INFD: 0.5 } }, { time: 0.5, amt: 18000, cmt: 1, rate: -2, items: { INFD: 72 } }],
  observe: [{ grid: { from: 0, to: 72, step: 0.25 }, items: { INFD: 72 } }],
};
/** 2 g q6h over 6 h as one record each, at the rate rounded to 333.33 mg/h (6.00006 h). */
const rounded = { doses: Array.from({ length: 12 }, (_, k) => ({ time: 6 * k, amt: 2000, cmt: 1, rate: 333.33 })), observe: grid72 };
/** 250 mg/h for 24 h, then 125 mg/h for 48 h, with and without a 0.5-h load before (rc1, rc2). */
const rateChange = { doses: [{ time: 0, amt: 6000, cmt: 1, rate: 250 }, { time: 24, amt: 6000, cmt: 1, rate: 125 }], observe: grid72 };
const loadRateChange = {
  doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 6000, cmt: 1, rate: 250 }, { time: 24.5, amt: 5937.5, cmt: 1, rate: 125 }],
  observe: grid72,
};

describe('a modelled duration (RATE −2, D1 = INFD) is the typical subject\'s', () => {
  const records = parseRegimenJson(modelled);
  const model = defineModel(merod);

  it('the 72-h infusion is continuous (was τ 0.5 h), and 6000 per 24 h (was 480000)', () => {
    const t = regimenTimesOf(records, undefined, typicalDuration(model));
    expect(t.tau).toBe(0);
    expect(t.continuous).toEqual({ time: 0.5, amt: 18000, duration: 72, spacing: 0.5, place: 'doses.1', rate: -2 });
    expect(regimenDose(records, typicalDuration(model))).toEqual({ dose: 18000, interval: 0, dailyDose: 6000, continuous: { duration: 72, rate: 250 } });
    expect(() => parseMetric('trough', t)).toThrow(/^metric trough: the last dose \(doses\.1: AMT 18000 at 0\.5 h, RATE -2\) is an infusion of 72 h, still running/);
  });

  it('a short modelled duration leaves the spacing an interval: 1 g over INFD 0.5 h at 0, 8 and 16 h is q8h', () => {
    const q8 = parseRegimenJson({ doses: [0, 8, 16].map((time) => ({ time, amt: 1000, cmt: 1, rate: -2, items: { INFD: 0.5 } })), observe: [{ times: [24] }] });
    const t = regimenTimesOf(q8, undefined, typicalDuration(model));
    expect([t.tau, t.lastDose, t.continuous]).toEqual([8, 16, undefined]);
  });

  it('without the model the duration is not known: the interval metrics and auc24 are refused naming the record, not guessed', () => {
    const t = regimenTimesOf(records);
    expect([t.tau, t.continuous?.place, t.continuous?.unknown]).toEqual([0, 'doses.1', expect.stringMatching(/^no model given/)]);
    for (const m of ['trough', 'cavg', 'auc24'])
      expect(() => parseMetric(m, t)).toThrow(new RegExp(`^metric ${m}: the last dose \\(doses\\.1: AMT 18000 at 0\\.5 h, RATE -2\\) has its infusion's duration from the model, not known here`));
    // window metrics stay
    expect(parseMetric('cavg:48:72', t).t0).toBe(48);
  });

  it('a model that cannot give it (INFD read, no default, none on the record) refuses, saying why', () => {
    const { covariates: _, ...noDefault } = merod;
    const m = defineModel({ ...noDefault, covariates: { INFD: { unit: 'h' } } });
    const bare = parseRegimenJson({ doses: [{ time: 0, amt: 2000, cmt: 1, rate: 4000 }, { time: 0.5, amt: 18000, cmt: 1, rate: -2 }], observe: grid72 });
    const t = regimenTimesOf(bare, undefined, typicalDuration(m));
    expect(t.continuous?.unknown).toMatch(/^the model at η = 0 with the record's items: .*INFD/);
    expect(() => parseMetric('auc24', t)).toThrow(/doses\.1: AMT 18000 at 0\.5 h, RATE -2\) has its infusion's duration from the model/);
  });

  it('pta: tabove:16:1 is refused naming doses.1 (was 100 % for 93.16 %); auc24:480: is Φ(ln 1.25/0.3) = 77.15 % (was 100 %)', async () => {
    const m = write('merod.json', merod);
    const r = write('modelled.json', modelled);
    await expect(cli(['pta', '--model', m, '--regimens', r, '--target', 'tabove:16:1', ...quick, '--n', '200'])).rejects.toThrow(
      new RegExp(`^regimen ${escaped(r)}: metric tabove:16:1: the last dose \\(doses\\.1: AMT 18000 at 0\\.5 h, RATE -2\\) is an infusion of 72 h`),
    );
    const out = await cli(['pta', '--model', m, '--regimens', r, '--target', 'auc24:480:', ...quick, '--n', '20000']);
    expect(out).toMatch(/^modelled\s+18000 continuous over 72 h\s+6000\s/m);
    // measured 76.6 ± 0.3; 0.9 = 3 SE
    expect(Math.abs(ptaOf(out, 'modelled') - 77.15)).toBeLessThan(0.9);
  }, 60_000);
});

describe('infusions outlasting their spacing by at most 1 % are back-to-back doses, not continuous', () => {
  it('2 g q6h at RATE 333.33 (6.00006 h) is q6h, 8000 per 24 h (was continuous, 2000)', () => {
    const records = parseRegimenJson(rounded);
    expect(regimenTimesOf(records)).toEqual({ end: 72, tau: 6, lastDose: 66 });
    expect(regimenDose(records)).toEqual({ dose: 2000, interval: 6, dailyDose: 8000 });
    expect([parseMetric('trough', regimenTimesOf(records)).t1, parseMetric('auc24', regimenTimesOf(records)).t0]).toEqual([72, 48]);
  });

  it('the 1 % edge: 6.05 h on a 6-h spacing is q6h, 6.07 h continuous', () => {
    const at = (dur: number): ReturnType<typeof regimenTimesOf> => regimenTimesOf(parseRegimenJson({ doses: [0, 6, 12].map((time) => ({ time, amt: 2000, cmt: 1, dur })), observe: [{ times: [24] }] }));
    expect(at(6.05).tau).toBe(6);
    expect(at(6.07)).toMatchObject({ tau: 0, continuous: { time: 12, duration: 6.07, spacing: 6, place: 'doses.2' } });
  });

  it('pta auc24:480: is Φ(ln(8000/4800)/0.3) = 95.57 % per 2000 q6h, 8000 per 24 h', async () => {
    const m = write('mero.json', mero);
    const r = write('rounded.json', rounded);
    const out = await cli(['pta', '--model', m, '--regimens', r, '--target', 'auc24:480:', ...quick, '--n', '20000']);
    expect(out).toMatch(/^rounded\s+2000 q6h\s+8000\s/m);
    // measured 95.4 ± 0.15; 0.5 ≈ 3 SE
    expect(Math.abs(ptaOf(out, 'rounded') - 95.57)).toBeLessThan(0.5);
  }, 60_000);

  it('the DUR column\'s refusal gives the rate at full precision (333.333 lasted 6.000006 h) and names the file', async () => {
    const csv = write('q6h_dur.csv', 'ID,TIME,EVID,AMT,DUR,MDV\n1,0,1,2000,6,1\n1,6,1,2000,6,1\n1,12,0,.,.,0\n');
    expect(() => refuseDurItem(readNmtran('ID,TIME,EVID,AMT,DUR,MDV\n1,0,1,2000,6,1\n').records, [])).toThrow(/give RATE = AMT\/DUR \(333\.3333333333333\) for a 6-h infusion/);
    await expect(cli(['pta', '--model', write('mero.json', mero), '--regimens', csv, '--target', 'auc24:480:', ...quick, '--n', '200'])).rejects.toThrow(
      new RegExp(`^${escaped(csv)}, row 1, column DUR: .*\\(333\\.3333333333333\\)`),
    );
  });
});

describe('a load, then a rate change: the same continuous infusion as without the load', () => {
  it.each([['without', rateChange, 'doses.1', 24, 48], ['with', loadRateChange, 'doses.2', 24.5, 47.5]] as const)(
    '%s the load: continuous over the last record (was no interval with it), 125 mg/h = 3000 per 24 h (was 5938)',
    (_, regimen, place, time, duration) => {
      const records = parseRegimenJson(regimen);
      const t = regimenTimesOf(records);
      expect([t.tau, t.continuous]).toEqual([0, { time, amt: regimen.doses.at(-1)?.amt, duration, spacing: 24, place, rate: 125 }]);
      expect(regimenDose(records)).toMatchObject({ interval: 0, dailyDose: 3000, continuous: { duration, rate: 125 } });
      expect(() => parseMetric('tabove:16', t)).not.toThrow();
      expect(() => parseMetric('trough', t)).toThrow(new RegExp(`^metric trough: the last dose \\(${escaped(place)}: AMT`));
    },
  );

  it('pta auc24:480: is Φ(ln 0.625/0.3) = 5.86 % with the load, as without; tabove:16:1 refused for both', async () => {
    const m = write('mero.json', mero);
    const r1 = write('rc1.json', rateChange);
    const r2 = write('rc2.json', loadRateChange);
    for (const r of [r1, r2]) await expect(cli(['pta', '--model', m, '--regimens', r, '--target', 'tabove:16:1', ...quick, '--n', '200'])).rejects.toThrow(/infusion of 4\d(\.5)? h, still running when the next dose would be due by the 24-h spacing/);
    const out = await cli(['pta', '--model', m, '--regimens', r1, '--regimens', r2, '--target', 'auc24:480:', ...quick, '--n', '20000']);
    expect(out).toMatch(/^rc2\s+5938 continuous over 47\.5 h\s+3000\s/m);
    // measured 5.9 ± 0.17 each; 0.5 ≈ 3 SE
    for (const name of ['rc1', 'rc2']) expect(Math.abs(ptaOf(out, name) - 5.86)).toBeLessThan(0.5);
  }, 60_000);
});

describe('optimize --from next-dose while a continuous infusion runs', () => {
  const history = (level: string): string => `ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,2000,4000,.,1\n1,0.5,1,18000,250,.,1\n${level}\n`;

  it('refuses naming the infusion (row, amount, rate, end) and its end as --from (was "from 1 h", stacked on it)', () => {
    expect(() => nextDoseTime(readNmtran(history('1,0.75,0,.,.,80,0')).records)).toThrow(
      /^--from next-dose: the last dose \(row 2: AMT 18000 at 0\.5 h, RATE 250\) is an infusion running until 72\.5 h, .*give --from as a time \(e\.g\. its end, --from 72\.5\)/,
    );
  });

  it('an infusion over by the last record leaves next-dose as it was (the last record, rounded up)', () => {
    expect(nextDoseTime(readNmtran(history('1,80,0,.,.,2,0')).records)).toBe(80);
  });

  it('the command line refuses it', async () => {
    const r = await dosewise(['optimize', '--model', write('mero.json', mero), '--data', write('early.csv', history('1,0.75,0,.,.,80,0')), '--from', 'next-dose', '--target', 'auc24:400:600', '--doses', '1000', '--intervals', '8', '--draws', '20']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--from next-dose: the last dose \(row 2: AMT 18000 at 0\.5 h, RATE 250\) is an infusion running until 72\.5 h/);
  }, 60_000);
});

describe('forecast names the file of the continuous infusion', () => {
  it('an infusion in the history: W_CONTINUOUS_INFUSION names the history and its row (was the future regimen)', async () => {
    const history = write('history.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,2000,4000,.,1\n1,0.5,1,18000,250,.,1\n1,24,0,.,.,22,0\n');
    const future = write('future.json', { doses: [], observe: [{ grid: { from: 24, to: 30, step: 1 } }] });
    const r = await dosewise(['forecast', '--model', write('mero.json', mero), '--data', history, '--regimen', future, '--draws', '50']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(new RegExp(`W_CONTINUOUS_INFUSION: ${escaped(history)}, ID 1: cmax and trough left out of the default metrics: the last dose \\(row 2: AMT 18000 at 0\\.5 h\\)`));
  }, 60_000);
});
