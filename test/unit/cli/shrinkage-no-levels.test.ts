// `dosewise shrinkage` over a cohort where some IDs have no levels counts their η̂ = 0 (NONMEM's
// default, ETASTYPE=0: right), but did not say so: the cohort (25 IDs, 2 without levels)
// printed 16.9 % / 46.6 % (SD) with no word. It now notes how many IDs have no levels and gives
// the shrinkage without them (13.8 % / 44.2 %), in the text and in the JSON.
//
// Reference: scipy (the script cohort.py, run once: the data below were simulated
// by it, each ID's MAP by BFGS at gtol 1e-9, scipy.linalg.expm predictions): SD shrinkage over all
// 25 IDs 0.16919484, 0.46565696; over the 23 with levels 0.13836291, 0.44243406; variance shrinkage
// over the 23: 0.25758152, 0.68912022.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-shrinkage-no-levels-');
const model = write('cohort.json', {
  dosewise: 2,
  name: 'cohort',
  structure: { kind: 'linear', compartments: 2, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: 6, V2: 50 },
  omega: { etas: ['ETA_CL', 'ETA_V1'], matrix: [[0.1, 0.05], [0.05, 0.1]] },
  residual: { model: 'proportional', proportional: 0.2 },
});
const data = write('cohort.csv', 'ID,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,0,1,1000,1000,12,3,.,1\n1,11.5,0,.,.,.,.,2.9525,0\n1,47.5,0,.,.,.,.,5.9404,0\n2,0,1,1000,1000,12,3,.,1\n2,11.5,0,.,.,.,.,6.0226,0\n2,47.5,0,.,.,.,.,9.2956,0\n3,0,1,1000,1000,12,3,.,1\n3,1.5,0,.,.,.,.,16.167,0\n3,11.5,0,.,.,.,.,3.809,0\n3,25.0,0,.,.,.,.,29.261,0\n3,47.5,0,.,.,.,.,7.505,0\n4,0,1,1000,1000,12,3,.,1\n4,11.5,0,.,.,.,.,5.6038,0\n4,47.5,0,.,.,.,.,11.547,0\n5,0,1,1000,1000,12,3,.,1\n5,11.5,0,.,.,.,.,5.7641,0\n5,47.5,0,.,.,.,.,9.4996,0\n6,0,1,1000,1000,12,3,.,1\n6,1.5,0,.,.,.,.,16.752,0\n6,11.5,0,.,.,.,.,4.0673,0\n6,25.0,0,.,.,.,.,25.038,0\n6,47.5,0,.,.,.,.,7.3313,0\n7,0,1,1000,1000,12,3,.,1\n7,11.5,0,.,.,.,.,3.092,0\n7,47.5,0,.,.,.,.,8.769,0\n8,0,1,1000,1000,12,3,.,1\n8,11.5,0,.,.,.,.,4.2467,0\n8,47.5,0,.,.,.,.,16.194,0\n9,0,1,1000,1000,12,3,.,1\n9,1.5,0,.,.,.,.,29.254,0\n9,11.5,0,.,.,.,.,6.252,0\n9,25.0,0,.,.,.,.,40.541,0\n9,47.5,0,.,.,.,.,16.169,0\n10,0,1,1000,1000,12,3,.,1\n10,11.5,0,.,.,.,.,2.7082,0\n10,47.5,0,.,.,.,.,5.4672,0\n11,0,1,1000,1000,12,3,.,1\n11,11.5,0,.,.,.,.,5.1556,0\n11,47.5,0,.,.,.,.,9.7022,0\n12,0,1,1000,1000,12,3,.,1\n12,1.5,0,.,.,.,.,17.547,0\n12,11.5,0,.,.,.,.,3.0657,0\n12,25.0,0,.,.,.,.,23.138,0\n12,47.5,0,.,.,.,.,5.0303,0\n13,0,1,1000,1000,12,3,.,1\n13,11.5,0,.,.,.,.,6.8127,0\n13,47.5,0,.,.,.,.,21.774,0\n14,0,1,1000,1000,12,3,.,1\n14,11.5,0,.,.,.,.,5.0639,0\n14,47.5,0,.,.,.,.,15.582,0\n15,0,1,1000,1000,12,3,.,1\n15,1.5,0,.,.,.,.,22.945,0\n15,11.5,0,.,.,.,.,4.2072,0\n15,25.0,0,.,.,.,.,42.304,0\n15,47.5,0,.,.,.,.,9.2519,0\n16,0,1,1000,1000,12,3,.,1\n16,11.5,0,.,.,.,.,3.2507,0\n16,47.5,0,.,.,.,.,7.8119,0\n17,0,1,1000,1000,12,3,.,1\n17,11.5,0,.,.,.,.,3.4075,0\n17,47.5,0,.,.,.,.,6.9862,0\n18,0,1,1000,1000,12,3,.,1\n18,1.5,0,.,.,.,.,37.973,0\n18,11.5,0,.,.,.,.,5.8136,0\n18,25.0,0,.,.,.,.,55.04,0\n18,47.5,0,.,.,.,.,8.9131,0\n19,0,1,1000,1000,12,3,.,1\n19,11.5,0,.,.,.,.,4.8185,0\n19,47.5,0,.,.,.,.,14.45,0\n20,0,1,1000,1000,12,3,.,1\n20,11.5,0,.,.,.,.,3.7993,0\n20,47.5,0,.,.,.,.,7.4309,0\n21,0,1,1000,1000,12,3,.,1\n21,1.5,0,.,.,.,.,21.382,0\n21,11.5,0,.,.,.,.,4.938,0\n21,25.0,0,.,.,.,.,52.893,0\n21,47.5,0,.,.,.,.,12.935,0\n22,0,1,1000,1000,12,3,.,1\n22,11.5,0,.,.,.,.,4.4193,0\n22,47.5,0,.,.,.,.,13.046,0\n23,0,1,1000,1000,12,3,.,1\n23,11.5,0,.,.,.,.,4.6038,0\n23,47.5,0,.,.,.,.,7.8247,0\n24,0,1,1000,1000,12,3,.,1\n25,0,1,1000,1000,12,3,.,1\n');

describe('shrinkage says what it computes when IDs have no levels', () => {
  it('text: the table over all 25 IDs, and a note with the shrinkage over the 23 with levels', async () => {
    const r = await cli(['shrinkage', '--model', model, '--data', data, '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ETA_CL .* 16\.9 % .* 31\.0 %/);
    expect(r.out).toContain("note: 2 of 25 IDs have no levels; their η̂ = 0 (the prior mode) are included, as NONMEM's default (ETASTYPE=0); without them (23 IDs): ETA_CL 13.8 % (SD), 25.8 % (var); ETA_V1 44.2 % (SD), 68.9 % (var)");
  });

  it('JSON: withoutLevels and withLevels beside the cohort values, as scipy', async () => {
    const r = await cli(['shrinkage', '--model', model, '--data', data, '--no-progress', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { n: number; sd: number[]; withoutLevels: number; withLevels: { n: number; sd: number[]; variance: number[] } };
    expect(s.n).toBe(25);
    expect(s.withoutLevels).toBe(2);
    expect(s.withLevels.n).toBe(23);
    // measured |Δ| ≤ 6.3e-9 against scipy's (printed to 8 digits, so within 5e-9 of its own)
    const near = (got: number[], want: number[], tol: number) => got.forEach((g, i) => expect(Math.abs(g - (want[i] as number)), `${i}: ${g}`).toBeLessThan(tol));
    near(s.sd, [0.16919484, 0.46565696], 3e-8);
    near(s.withLevels.sd, [0.13836291, 0.44243406], 3e-8);
    near(s.withLevels.variance, [0.25758152, 0.68912022], 3e-8);
  });

  it('no note, and withLevels null, when every ID has levels', async () => {
    const r = await cli(['shrinkage', '--model', model, '--data', data, '--no-progress', '--id', '1', '--id', '2', '--id', '3', '--json']);
    const s = JSON.parse(r.out) as { withoutLevels: number; withLevels: unknown };
    expect(s.withoutLevels).toBe(0);
    expect(s.withLevels).toBeNull();
    const t = await cli(['shrinkage', '--model', model, '--data', data, '--no-progress', '--id', '1', '--id', '2', '--id', '3']);
    expect(t.out).not.toContain('note:');
  });
});
