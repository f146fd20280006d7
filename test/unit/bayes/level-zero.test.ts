// A measured level of 0 (MDV 0, DV 0, no BLQ flag) was fitted as a concentration of exactly 0 without
// a word: a 0 in a TDM chart is almost always "<LLOQ" typed as 0. estimate() warns (W_LEVEL_ZERO,
// naming the rows), and so does everything that fits: estimate, forecast and optimize --from print
// it with the file. Its message no longer starts with its own code (the others do not). Not a BLQ record, and not a 0 on the log scale (a level of 1).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-level-zero-');
const oneCmt = (residual: object) => defineModel({ dosewise: 2, name: 'z', structure: '1cmt-iv', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.05] }, residual });
const additive = oneCmt({ model: 'additive', additive: 0.5 });
const zeros = (codes: string) => estimate(additive, readNmtran(`ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ\n1,0,1,1000,1000,.,1,.,.\n${codes}`).records).warnings.filter((w) => w.code === 'W_LEVEL_ZERO');

describe('W_LEVEL_ZERO', () => {
  it('names every measured 0 (rows 2 and 4 of 3 levels)', () => {
    const w = zeros('1,3,0,.,.,0,0,0,.\n1,6,0,.,.,12.5,0,0,.\n1,24,0,.,.,0,0,.,.\n');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^rows 2, 4: a measured level of 0 \(MDV 0, DV 0, not BLQ\) is fitted as a concentration of exactly 0.*code it BLQ 1 with its LLOQ \(columns BLQ and LLOQ\)/);
  });

  it('not for a BLQ record, a level > 0, or a 0 on the log scale (exponential error: a level of 1)', () => {
    expect(zeros('1,3,0,.,.,0,0,1,0.5\n1,6,0,.,.,12.5,0,0,.\n1,24,0,.,.,0.001,0,0,.\n')).toEqual([]);
    const logScale = estimate(oneCmt({ model: 'exponential', exponential: 0.2 }), readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,3,0,.,.,3.2,0\n1,30,0,.,.,0,0\n').records);
    expect(logScale.warnings.map((w) => w.code)).not.toContain('W_LEVEL_ZERO');
  });

  it('estimate, forecast and optimize --from print it with the file and the row', async () => {
    // the chart g_zero.csv: a gentamicin trough typed as 0 on row 3
    const file = write(
      'g_zero.csv',
      'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr\n7,03/10/2026,09:05,1,480,960,.,1,75,70\n7,03/10/2026,18:10,0,.,.,3.9,0,75,70\n7,03/11/2026,08:50,0,.,.,0,0,75,45\n7,03/11/2026,10:40,1,480,960,.,1,75,45\n',
    );
    const future = write('future.json', { doses: [{ time: 50, amt: 480, rate: 960, addl: 1, ii: 24 }], observe: [{ grid: { from: 50, to: 98, step: 1 } }] });
    const base = ['--model', 'gentamicin_xuan_2003', '--data', file];
    for (const args of [['estimate', ...base], ['forecast', ...base, '--regimen', future, '--draws', '100'], ['optimize', ...base, '--from', '2026-03-12T09:00', '--target', 'auc24:70:100', '--doses', '240,320', '--intervals', '24', '--draws', '100']]) {
      const r = await cli(args);
      expect(r.code, `${args[0]}: ${r.err}`).toBe(0);
      // every fitting command prints each warning's code before its message, as the JSON has it
      expect(r.err, args[0]).toMatch(/warning: .*g_zero\.csv, ID 7, W_LEVEL_ZERO: row 3: a measured level of 0/);
    }
  });
});
