// A continuous infusion written as ONE record (18 g over 72 h from 0 h, no dose before it) was no
// continuous infusion: only a last dose outlasting the spacing of the doses before it was (a load,
// then the infusion). With no dose before it there is no spacing, so it was read as a single dose
// whose "interval" is the rest of the profile: observed 0–48 h, `trough` was the level at 48 h,
// mid-infusion, the highest of the profile (population: trough 0–48 h mean 76.491 = cmax 76.491;
// pta trough:55:75 31.7 %, exit 0, no word); observed 0–72 h, cavg and tabove were judged over
// 0–72 h from an empty body (cavg:40:60 40.0 %, tabove:30:0.9 34.0 %); observed 48–72 h, cavg read
// 0–72 h, mostly off the grid (W_COARSE_GRID only). The label was "18000", not "18000 continuous
// over 72 h". A lone infusion that runs up to the profile's end or past it
// (within 1 % of its time on the profile) is a continuous infusion now: its interval metrics are
// refused naming it, as with a load before it; auc24 is the profile's last 24 h.
//
// Reference (closed form; CL = 10·e^η, η ~ N(0, 0.09), V 20 L, k = CL/V ≥ 0.1/h for the few
// subjects whose η is 3 SD low, so e^(−k·48) < 0.01): the level of a rate R started at 0 is
// R/CL·(1 − e^(−k·t)); its AUC over 48–72 h is 24·R/CL minus at most R/(CL·k)·e^(−48k) ≈ 0, so
// P(24·250/CL ≥ 480) = Φ(ln(6000/4800)/0.3) = Φ(0.74381) = 0.77150 (as continuous-infusion-detection's).

import { describe, expect, it } from 'vitest';
import { cli } from '../design/design-cli.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-single-continuous-');
const quick = ['--seed', '1', '--workers', '0', '--no-progress'];
const ptaOf = (out: string, name: string): number => Number(new RegExp(`^${name}\\s.*?(\\d+\\.\\d) ± `, 'm').exec(out)?.[1]);
const escaped = (s: string): string => s.replace(/[.\\]/g, '\\$&');

/** Meropenem-like, 1 compartment: CL 10 L/h, V 20 L. */
const mero = {
  dosewise: 2, structure: '1cmt-iv', name: 'mero',
  parameters: { CL: { expr: '10 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: '20 * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
/** 18 g over 72 h (250 mg/h) as one record, observed from..to. */
const lone = (from: number, to: number): { doses: object[]; observe: object[] } => ({ doses: [{ time: 0, amt: 18000, cmt: 1, dur: 72 }], observe: [{ grid: { from, to, step: 0.5 } }] });
const timesOf = (regimen: object): ReturnType<typeof regimenTimesOf> => regimenTimesOf(parseRegimenJson(regimen));

describe('one infusion alone that runs up to the profile\'s end or past it is a continuous infusion', () => {
  it.each([
    ['0–48 h (still running at the end)', 0, 48],
    ['0–72 h (running up to the end)', 0, 72],
    ['48–72 h', 48, 72],
  ])('observed %s: continuous, no interval (was a single dose read over the rest of the profile)', (_, from, to) => {
    const t = timesOf(lone(from, to));
    expect(t).toMatchObject({ end: to, tau: 0, lastDose: 0, continuous: { time: 0, amt: 18000, duration: 72, spacing: 0, place: 'doses.0', rate: 250, alone: true } });
    for (const m of ['trough', 'cavg', 'cmax', 'auctau'])
      expect(() => parseMetric(m, t)).toThrow(new RegExp(`^metric ${escaped(m)}: the last dose \\(doses\\.0: AMT 18000 at 0 h\\) is an infusion of 72 h with no dose before it, ${to < 72 ? 'still running at' : 'running up to'} the profile's end \\(${to} h\\): a continuous infusion`));
    // auc24 is the profile's last 24 h, and window metrics stay (tabove:C is the whole profile's)
    expect([parseMetric('auc24', t).t0, parseMetric('auc24', t).t1]).toEqual([to - 24, to]);
    expect(parseMetric(`cavg:${to - 24}:${to}`, t).t0).toBe(to - 24);
  });

  it('pta labels it "18000 continuous over 72 h", 6000 per 24 h (was "18000")', () => {
    const records = parseRegimenJson(lone(0, 72));
    expect(regimenDose(records, undefined, true)).toEqual({ dose: 18000, interval: 0, dailyDose: 6000, continuous: { duration: 72, rate: 250 } });
  });

  it.each([
    ['1000 mg over 1 h, observed 0–24 h', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] }],
    ['6000 mg over 24 h, observed 0–48 h', { doses: [{ time: 0, amt: 6000, cmt: 1, dur: 24 }], observe: [{ grid: { from: 0, to: 48, step: 0.5 } }] }],
    ['a bolus, observed 0–24 h', { doses: [{ time: 0, amt: 1000, cmt: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] }],
  ])('a single dose that ends well before the profile does stays a single dose: %s (trough at the end)', (_, regimen) => {
    const t = timesOf(regimen);
    expect(t.continuous).toBeUndefined();
    expect(parseMetric('trough', t).t1).toBe(24 * Math.round(t.end / 24));
  });

  it('an infusion that ends within 1 % of its time on the profile before the end runs up to it; 2 % before does not', () => {
    const upTo = (end: number): ReturnType<typeof regimenTimesOf> => timesOf({ doses: [{ time: 0, amt: 18000, cmt: 1, dur: 72 }], observe: [{ times: [24, end] }] });
    expect(upTo(72.7).continuous?.alone).toBe(true);
    expect(upTo(73.5).continuous).toBeUndefined();
  });

  it('pta: trough:55:75 is refused naming doses.0 (was 31.7 %, exit 0); auc24:480: is Φ(ln 1.25/0.3) = 77.15 %', async () => {
    const m = write('mero.json', mero);
    const r = write('lone.json', lone(0, 48));
    await expect(cli(['pta', '--model', m, '--regimens', r, '--target', 'trough:55:75', ...quick, '--n', '200'])).rejects.toThrow(
      new RegExp(`^regimen ${escaped(r)}: metric trough:55:75: the last dose \\(doses\\.0: AMT 18000 at 0 h\\) is an infusion of 72 h with no dose before it, still running at the profile's end \\(48 h\\): a continuous infusion`),
    );
    const r72 = write('lone72.json', lone(0, 72));
    // observed to its end: cavg and tabove were judged over 0–72 h from an empty body (40.0 %, 34.0 %)
    for (const target of ['cavg:40:60', 'tabove:30:0.9'])
      await expect(cli(['pta', '--model', m, '--regimens', r72, '--target', target, ...quick, '--n', '200'])).rejects.toThrow(
        new RegExp(`metric ${target}: the last dose \\(doses\\.0: AMT 18000 at 0 h\\) is an infusion of 72 h with no dose before it, running up to the profile's end \\(72 h\\)`),
      );
    const out = await cli(['pta', '--model', m, '--regimens', r72, '--target', 'auc24:480:', ...quick, '--n', '20000']);
    expect(out).toMatch(/^lone72\s+18000 continuous over 72 h\s+6000\s/m);
    // measured within 0.3 of it (SE 0.3); 0.9 = 3 SE
    expect(Math.abs(ptaOf(out, 'lone72') - 77.15)).toBeLessThan(0.9);
  }, 60_000);

  it('band: a trough target on it is refused naming doses.0 (was banded on the mid-infusion level)', async () => {
    const m = write('mero-b.json', { ...mero, covariates: { WT: { unit: 'kg' } } });
    const cov = write('cov.json', { covariates: { WT: { dist: 'lognormal', median: 75, cv: 0.25, lower: 40, upper: 160, unit: 'kg' } } });
    const r = write('lone-b.json', lone(0, 48));
    await expect(cli(['band', '--model', m, '--covariates', cov, '--regimen', r, '--target', 'trough:55:75', '--by', 'WT', '--bands', '2', '--doses', '13500,18000', ...quick, '--n', '200'])).rejects.toThrow(
      /metric trough:55:75: the last dose \(doses\.0: AMT 18000 at 0 h\) is an infusion of 72 h with no dose before it/,
    );
  }, 60_000);
});
