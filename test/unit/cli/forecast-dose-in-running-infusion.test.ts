// The chart vanco1.csv: its last row is 1250 mg at RATE 625, an infusion from 08:00 to 10:00
// on 2026-03-06, and fut2.csv gives a future 750 mg at RATE 750 at 09:00. forecast simulated both bags
// running together (1375 mg/h from 09:00 to 10:00; conc@56 23.8602, the matrix-exponential
// reference 23.86018), right for that reading, but said nothing, where optimize --from waits for the
// bag's end and says so: a time typed 09:00 for 10:00 raised the peak about 1.5 mg/L without a word.
// Now warned (W_DOSE_DURING_INFUSION), naming the charted infusion's row and end and the future dose,
// and that both run together; the numbers are unchanged. 1375 = 625 + 750; the overlap 09:00-10:00 is
// the bag's end, 08:00 + 1250/625 h. Failed before the fix (no warning).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-dose-in-infusion-');
const H = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL';
const VANCO1 = [
  H,
  '1,2026-03-04,08:00,1,1000,1000,.,1,80,70',
  '1,2026-03-04,20:00,1,1000,1000,.,1,80,70',
  '1,2026-03-05,07:45,0,.,.,12.4,0,80,70',
  '1,2026-03-05,09:30,1,1000,1000,.,1,80,70',
  '1,2026-03-05,11:30,0,.,.,31.0,0,80,70',
  '1,2026-03-06,07:40,0,.,.,6.1,0,80,70',
  '1,2026-03-06,08:00,1,1250,625,.,1,80,70',
].join('\n');
const future = (time: string, rate = '750') => `${H}\n1,2026-03-06,${time},1,750,${rate},.,1,80,70\n1,2026-03-06,20:00,0,.,.,.,1,80,70\n`;
const code = 'W_DOSE_DURING_INFUSION';

describe('forecast: a future dose that starts while a charted infusion runs', () => {
  it('fut2.csv: warned naming the bag (row 7, until 10:00), the future dose and the 1375/h they give together; conc@56 unchanged', async () => {
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', write('vanco1.csv', VANCO1), '--regimen', write('fut2.csv', future('09:00')), '--draws', '50', '--metric', 'conc@56', '--json']);
    expect(r.code, r.err).toBe(0);
    const line = r.err.split('\n').find((l) => l.includes(code)) ?? '';
    expect(line).toMatch(/W_DOSE_DURING_INFUSION: \S*fut2\.csv, ID 1: the future dose of 750 at 2026-03-06 09:00 \(\S*fut2\.csv row 1, rate 750\/h\) starts while the charted infusion of 1250 at 2026-03-06 08:00 \(\S*vanco1\.csv row 7, rate 625\/h\) still runs, until 2026-03-06 10:00: both run together, 1375\/h from 2026-03-06 09:00 to 2026-03-06 10:00/);
    // said once, not again as the library's words in hours
    expect(r.err.split(code).length - 1).toBe(1);
    const out = JSON.parse(r.out) as { metrics: Record<string, { mode: number }> }[];
    expect(out[0]?.metrics['conc@56']?.mode).toBeCloseTo(23.86018, 3);
  });

  it('a future dose at the bag\'s end (10:00) or after it is not warned', async () => {
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', write('vanco1b.csv', VANCO1), '--regimen', write('fut3.csv', future('10:00')), '--draws', '20', '--metric', 'conc@56']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain(code);
  });

  it('forecast() returns it in hours, naming the records\' rows; a bolus is said to be given on top', () => {
    const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
    const records = readNmtran(VANCO1).records;
    const fit = estimate(goti, records);
    // 09:00 on 2026-03-06 is 49 h after 08:00 on 2026-03-04
    const fut = readNmtran(`${H}\n1,.,49,1,750,0,.,1,80,70\n1,.,60,0,.,.,.,1,80,70\n`.replace('DATE,', 'X,')).records;
    const f = forecast(goti, records, fit, fut, { draws: 20 });
    const w = f.warnings.find((x) => x.startsWith(code)) ?? '';
    expect(w).toMatch(/^W_DOSE_DURING_INFUSION: future regimen: the future dose of 750 at 49 h \(future regimen row 1\) starts while the charted infusion of 1250 at 48 h \(records row 7, rate 625\/h\) still runs, until 50 h: the bolus is given on top of the running bag/);
  });
});
