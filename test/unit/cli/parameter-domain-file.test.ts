// A covariate that puts a parameter out of its domain (Thomson 2009's CL = TVCL·(1 + CRCL_CL·(CRCL − 66)),
// at CRCL 0 −0.049 L/h) was refused by estimate and forecast as "row 1, parameter CL: must be ≥ 0
// (got -0.049…)", naming no file, where optimize --from names it ("vth.csv: row 1, …") as the
// README's Messages promise. The chart vth.csv. Now every command names the file.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-parameter-file-');
const data = write('vth.csv', 'ID,DAT2,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,2026-03-29,08:00,1,1500,1000,.,1,70,0\n1,2026-03-30,07:30,0,.,.,18.0,0,70,0\n1,2026-03-31,07:30,0,.,.,16.0,0,70,0\n');
const future = write('fut.json', { doses: [{ time: 48, amt: 1000, dur: 1 }], observe: [{ grid: { from: 48, to: 60, step: 6 } }] });
const message = /^dosewise: \S*vth\.csv: row 1, parameter CL: must be ≥ 0 \(got -0\.049\d*, from CRCL = 0, ETA_CL = 0\)$/m;

describe('a parameter out of its domain names the data file', () => {
  it('estimate', async () => {
    const r = await cli(['estimate', '--model', 'vancomycin_thomson_2009', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('forecast', async () => {
    const r = await cli(['forecast', '--model', 'vancomycin_thomson_2009', '--data', data, '--regimen', future]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('optimize without --from, and with it as before', async () => {
    const common = ['optimize', '--model', 'vancomycin_thomson_2009', '--data', data, '--target', 'auc24:400:600', '--doses', '500:2000:250', '--intervals', '12,24'];
    for (const extra of [[], ['--from', '2026-03-31T08:00']]) {
      const r = await cli([...common, ...extra]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
    }
  });
});
