// W_LEVEL_IMPLAUSIBLE named the three right levels and not the wrong one: meropenem by continuous
// infusion, Css 52, 21 (an interrupted bag) and 48 mg/L and a level drawn from the infusion line,
// 950 mg/L, pulled the MAP to CL 0.32 L/h (η_CL −2.71), where the right levels read |IWRES| 5.6–6.4
// and the 950 only 3.43. Now a level is judged against the fit to the other levels: the 950 is
// 93.3 residual SDs from it and alone is named; without it the others lie within 2.5 SDs of their
// fits. Numbers: test/oracle/implausible_level_refit.py (scipy MAP, closed-form infusions) →
// implausible-level-refit.json.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

interface Oracle {
  full: { ofv: number; eta: number[]; iwres: Record<string, number> };
  rounds: { loo: Record<string, number>; worst: number }[];
}
const oracle = JSON.parse(readFileSync(new URL('../../oracle/implausible-level-refit.json', import.meta.url), 'utf8')) as Oracle;

const model = defineModel({
  dosewise: 2,
  name: 'mero_test',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '7.3*(CRCL/80)^0.6*exp(ETA_CL)', V: '20*(WT/70)*exp(ETA_V)' },
  covariates: { CRCL: { unit: 'mL/min' }, WT: { unit: 'kg' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.2, 0.1] },
  residual: { model: 'combined', additive: 0.5, proportional: 0.15, unit: 'mg/L' },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
});
const chart = (line: string): string =>
  [
    'ID,TIME,EVID,AMT,RATE,CMT,II,ADDL,DV,MDV,CRCL,WT',
    '1,0,1,2000,4000,1,.,.,.,1,40,75',
    '1,0.5,1,6000,250,1,.,.,.,1,40,75',
    '1,12,0,.,.,1,.,.,52,0,40,75',
    '1,24.5,1,1375,250,1,.,.,.,1,40,75',
    '1,31.5,0,.,.,1,.,.,21,0,40,75',
    '1,32,1,4625,250,1,.,.,.,1,40,75',
    '1,48,0,.,.,1,.,.,48,0,40,75',
    '1,48.5,1,6000,250,1,24,1,.,1,40,75',
    `1,50,0,.,.,1,.,.,${line},0,40,75`,
  ].join('\n');

describe('W_LEVEL_IMPLAUSIBLE: judged against the fit without the level', () => {
  it('names the line level (950 mg/L, row 9), not the three levels the estimate it pulled misses', () => {
    const fit = estimate(model, readNmtran(chart('950')).records);
    // the MAP itself is right for the data (oracle OFV 196.3164, η_CL −2.7105)
    expect(fit.ofv).toBeCloseTo(oracle.full.ofv, 4);
    expect(fit.eta[0]).toBeCloseTo(oracle.full.eta[0]!, 4);
    const implausible = fit.warnings.filter((w) => w.code === 'W_LEVEL_IMPLAUSIBLE');
    // before: rows 3, 5 and 7 (|IWRES| 5.63, 6.38, 6.12), none on row 9
    expect(implausible.map((w) => w.row)).toEqual([9]);
    const z = oracle.rounds[0]!.loo['9']!;
    expect(implausible[0]!.message).toContain(`${Number(Math.abs(z).toPrecision(4))} residual SDs from the fit to the other levels`);
    expect(implausible[0]!.message).toContain('|IWRES| = 3.427 at the estimate');
    expect(implausible[0]!.message).toContain('misses rows 3, 5, 7 instead');
    // without it the others fit (leave-one-out |z| ≤ 2.47 in the oracle's second round)
    expect(Math.max(...Object.values(oracle.rounds[1]!.loo).map(Math.abs))).toBeLessThan(4);
  });

  it('a chart whose levels all fit gets none (no refits)', () => {
    const fit = estimate(model, readNmtran(chart('45')).records);
    expect(fit.warnings.filter((w) => w.code === 'W_LEVEL_IMPLAUSIBLE')).toEqual([]);
  });
});
