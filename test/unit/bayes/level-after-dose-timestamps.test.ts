// W_LEVEL_AFTER_DOSE's advice on a chart whose TIME holds timestamps without a date column
// (2026-03-06T08:00): "chart the dose at TIME 48 as a row" and "an SS dose at TIME -12" were given
// in hours the chart cannot hold (README, "not done for timestamps in TIME"); it now speaks in the
// chart's terms, as on a chart with a date column (level-units-rows.test.ts, F4), and an hours
// chart keeps hours.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const gent = defineModel({ dosewise: 2, name: 'gent1', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4*exp(ETA_CL)', V: '20*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'combined', additive: 0.1, proportional: 0.1 }, observe: { compartment: 1, scale: 'V', unit: 'mg/L' } });
const advice = (csv: string): string => estimate(gent, readNmtran(csv).records).warnings.find((w) => w.code === 'W_LEVEL_AFTER_DOSE')?.message ?? '';

describe('W_LEVEL_AFTER_DOSE advice on a chart of timestamps in TIME', () => {
  it('an ADDL copy at the level: the dose charted at the level’s date and clock time, not at TIME 48', () => {
    const m = advice('ID,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,2026-03-04T08:00,1,400,0,24,2,.,1\n1,2026-03-06T08:00,0,.,.,.,.,0.4,0\n1,2026-03-06T09:00,0,.,.,.,.,19,0\n');
    expect(m).toMatch(/end row 1's copies before it \(ADDL 1\) and chart the dose as a row of its own at the level's date and clock time, after the level's \(ADDL 0\)$/);
    expect(m).not.toMatch(/at TIME/);
  });

  it('an SS dose: one interval before the dose in words, not at TIME -12 (with UTC offsets too)', () => {
    for (const z of ['', '+01:00']) {
      const m = advice(`ID,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n1,2026-03-06T08:00${z},1,400,0,12,1,.,1\n1,2026-03-06T08:00${z},0,.,.,.,0,2.1,0\n1,2026-03-06T09:00${z},0,.,.,.,0,17.5,0\n`);
      expect(m, z).toMatch(/chart the steady state as an SS dose dated one interval \(12 h\) before this dose \(II 12\), then the level, then this dose without SS$/);
      expect(m, z).not.toMatch(/TIME -12/);
    }
    // a chart of hours keeps hours
    expect(advice('ID,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n1,0,1,400,0,12,1,.,1\n1,0,0,.,.,.,0,2.1,0\n1,1,0,.,.,.,0,17.5,0\n')).toMatch(/as an SS dose at TIME -12 \(II 12\)/);
  });
});
