// The dose per 24 h of a regimen (pta's "per 24 h" column and plot axis, band's regimen.dailyDose):
// the amount given per dosing interval × 24/τ, whether the doses are written with II/ADDL or one
// record each; the amount of the last 24 h of dosing when the doses have no interval.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli, quick, vanco } from './design-cli.js';
import { tempDir } from '../temp-files.js';

const grid = { grid: { from: 0, to: 96, step: 0.5 } };
/** Doses of `amt` at each time, one record each (no II). */
const explicit = (times: readonly number[], amt = 1000) => {
  let r = regimen();
  for (const t of times) r = r.dose({ time: t, amt, cmt: 1, dur: 1 });
  return r.observe(grid).records();
};

describe('regimenDose: dose per 24 h', () => {
  it('8 records of 1000 mg 12 h apart give what II = 12, ADDL = 7 gives: 1000 × 24/12 = 2000 (not the course, 8000)', () => {
    const times = Array.from({ length: 8 }, (_, k) => 12 * k);
    const addl = regimen().dose({ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, addl: 7 }).observe(grid).records();
    expect(regimenDose(addl)).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
    expect(regimenDose(explicit(times))).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
    // q8h written out: 500 × 24/8
    expect(regimenDose(explicit([0, 8, 16, 24, 32], 500))).toEqual({ dose: 500, interval: 8, dailyDose: 1500 });
  });

  it('doses at the same time are one dose: their amounts are summed per interval', () => {
    // 500 + 500 mg at each time, q12h, with and without II: 1000 × 24/12
    const split = regimen().dose({ time: 0, amt: 500, cmt: 1, ii: 12, addl: 3 }).dose({ time: 0, amt: 500, cmt: 1, ii: 12, addl: 3 }).observe(grid).records();
    expect(regimenDose(split).dailyDose).toBe(2000);
    let r = regimen();
    for (const t of [0, 12, 24, 36]) r = r.dose({ time: t, amt: 500, cmt: 1 }).dose({ time: t, amt: 500, cmt: 1 });
    expect(regimenDose(r.observe(grid).records())).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
  });

  it('no interval (one dose, irregular doses): the amount of the last 24 h of dosing', () => {
    expect(regimenDose(explicit([0]))).toEqual({ dose: 1000, interval: 0, dailyDose: 1000 });
    // doses at 0, 10 and 24 h: those after 0 h up to 24 h
    expect(regimenDose(explicit([0, 10, 24]))).toEqual({ dose: 1000, interval: 0, dailyDose: 2000 });
    // a loading dose then q12h: the interval and amount of the last doses
    const loaded = regimen().dose({ time: 0, amt: 2000, cmt: 1 }).dose({ time: 12, amt: 1000, cmt: 1, ii: 12, addl: 4 }).observe(grid).records();
    expect(regimenDose(loaded)).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
  });

  it('pta and band print it for a regimen written one record per dose', async () => {
    const dir = tempDir('dw-daily-');
    const expl = join(dir, 'rexpl.json');
    writeFileSync(expl, JSON.stringify({ doses: Array.from({ length: 8 }, (_, k) => ({ time: 12 * k, amt: 1000, cmt: 1, dur: 1 })), observe: [{ grid: { from: 0, to: 96, step: 0.1 } }] }));
    const addl = join(dir, 'raddl.json');
    writeFileSync(addl, JSON.stringify({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, addl: 7 }], observe: [{ grid: { from: 0, to: 96, step: 0.1 } }] }));
    const j = JSON.parse(await cli(['pta', ...vanco, '--regimens', `${expl},${addl}`, '--target', 'auc24:400:600', ...quick, '--n', '200', '--json']));
    expect(j.regimens.map((g: { dailyDose: number; interval: number }) => [g.dailyDose, g.interval])).toEqual([
      [2000, 12],
      [2000, 12],
    ]);
    const b = JSON.parse(await cli(['band', ...vanco, '--regimen', expl, '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '500:1500:250', ...quick, '--n', '200', '--json']));
    expect(b.regimen).toMatchObject({ dose: 1000, interval: 12, dailyDose: 2000 });
  });
});
