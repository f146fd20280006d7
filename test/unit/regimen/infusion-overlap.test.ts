// An infusion duration typed in minutes (`dur: 60` meant as 1 h, ii 12) ran as overlapping 60-h
// infusions with warnings [] in simulate(), forecast() and estimate() and exit 0 on the command line
// (0.317 mg/L at 1 h for about 19), where the browser tool refuses it. Allowed, as NONMEM gives
// overlapping infusions together, and warned: W_INFUSION_OVERLAP names the record, its duration and
// the interval, with "durations are in hours (60 min = 1 h)". Not for bags back to back (a chain that
// continues) nor a bolus given while a bag runs. The numbers are unchanged (closed form: four 60-h
// infusions of 1000/60 mg/h from 0, 12, 24, 36 h into CL 5, V 50: C(1) = 1000/60/5·(1 − e^−0.1) = 0.3172).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { infusionOverlapWarnings } from '../../../src/regimen/infusion-overlap.js';
import { cli } from '../cli/run-cli.js';

const iv = builtinModel('1cmt-iv', { CL: 5, V: 50 });
const overlap = (ws: readonly string[]) => ws.filter((w) => w.startsWith('W_INFUSION_OVERLAP'));
const HINT = 'durations are in hours (60 min = 1 h)';

describe('an infusion that runs past its own next dose (W_INFUSION_OVERLAP)', () => {
  it('simulate(): dur 60 with addl 3, ii 12 is warned, naming the dose, 60 h and 12 h; the numbers are NONMEM’s', () => {
    const s = simulate(iv, regimen().dose({ time: 0, amt: 1000, dur: 60, addl: 3, ii: 12 }).observe({ times: [1, 12, 47] }).records());
    expect(overlap(s.warnings)).toEqual([`W_INFUSION_OVERLAP: row 1 (ID 1, TIME 0): the infusion of 1000 over 60 h runs past its own next dose, every 12 h (II 12, ADDL 3): each runs on into the next, 48 h together (as NONMEM gives them); if that was not meant, ${HINT}`]);
    const c1 = (1000 / 60 / 5) * (1 - Math.exp(-0.1));
    // ipred[0] is the dose record's (0), ipred[1] the level at 1 h
    expect(Math.abs((s.ipred[1] as number) / c1 - 1)).toBeLessThan(1e-6);
    // the same over 1 h: none
    expect(overlap(simulate(iv, regimen().dose({ time: 0, amt: 1000, dur: 1, addl: 3, ii: 12 }).observe({ times: [1] }).records()).warnings)).toEqual([]);
  });

  it('the next dose record of the same compartment, and SS', () => {
    const two = regimen().dose({ time: 0, amt: 1000, dur: 60 }).dose({ time: 12, amt: 1000, dur: 60 }).observe({ times: [1] }).records();
    expect(overlap(simulate(iv, two).warnings)[0]).toMatch(/the infusion of 1000 over 60 h runs past the next infusion into compartment 1, 12 h later \(row \d+, TIME 12\), until TIME 60: both run together .*60 min = 1 h\)$/);
    const ss = regimen().dose({ time: 0, amt: 1000, dur: 30, ii: 12, ss: 1 }).observe({ times: [1] }).records();
    expect(overlap(simulate(iv, ss).warnings)[0]).toMatch(/over 30 h runs past its own next dose, every 12 h \(II 12, SS 1\)/);
    // an ADDL copy running into the next record: 1000 over 10 h q12h to 24 h, then a dose at 30 h
    const copy = regimen().dose({ time: 0, amt: 1000, dur: 10, ii: 12, addl: 2 }).dose({ time: 30, amt: 500, dur: 1 }).observe({ times: [1] }).records();
    expect(overlap(simulate(iv, copy).warnings)[0]).toMatch(/\(its ADDL copy at TIME 24\) runs past the next infusion into compartment 1, 6 h later/);
  });

  it('not for bags back to back, a continuous infusion in pieces, a bolus into a bag, or another compartment', () => {
    // 24-h bags of 2000 mg at RATE 83.33 (24.0012 h) q24h: within 1 % of the gap
    const bags = readNmtran('ID,TIME,EVID,AMT,RATE,ADDL,II,DV,MDV\n1,0,1,2000,83.33,2,24,.,1\n1,1,0,.,.,.,.,.,1\n').records;
    expect(infusionOverlapWarnings(bags)).toEqual([]);
    // 250 mg/h for 48 h, then 125 mg/h for 24 h from 48 h; a load over 0.5 h then 18 g at 250 mg/h
    const chain = regimen().dose({ time: 0, amt: 12000, dur: 48 }).dose({ time: 48, amt: 3000, dur: 24 }).observe({ times: [1] }).records();
    expect(infusionOverlapWarnings(chain)).toEqual([]);
    const load = regimen().dose({ time: 0, amt: 2000, dur: 0.5 }).dose({ time: 0.5, amt: 18000, dur: 72 }).observe({ times: [1] }).records();
    expect(infusionOverlapWarnings(load)).toEqual([]);
    // a 1000-mg bolus at 30 h into 250 mg/h over 72 h: an extra dose, not a second bag
    const bolus = regimen().dose({ time: 0, amt: 18000, dur: 72 }).dose({ time: 30, amt: 1000 }).observe({ times: [1] }).records();
    expect(infusionOverlapWarnings(bolus)).toEqual([]);
    // two patients: the first's last bag does not run into the second's
    const ids = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,10,.,1\n2,12,1,1000,1000,.,1\n').records;
    expect(infusionOverlapWarnings(ids)).toEqual([]);
  });

  it('estimate() and forecast() say it (the history’s and the future regimen’s); the CLI prints it, exit 0', async () => {
    const wm = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const patient = readFileSync('examples/map-patient.csv', 'utf8');
    const fit60 = estimate(wm, readNmtran(patient.replace(/1000,1000/g, '1000,16.6667')).records);
    expect(fit60.warnings.filter((w) => w.code === 'W_INFUSION_OVERLAP').map((w) => w.message)).toEqual([expect.stringMatching(/^row 1 \(ID 1, TIME 0\): the infusion of 1000 over 59\.9999 h runs past the next infusion, 12 h later \(row 4, TIME 12\), until TIME 59\.9999: both run together \(as NONMEM gives them\) \(and 2 more infusion records like it\); if that was not meant, durations are in hours \(60 min = 1 h\)$/)]);
    const ok = readNmtran(patient).records;
    const fit = estimate(wm, ok);
    expect(fit.warnings.filter((w) => w.code === 'W_INFUSION_OVERLAP')).toEqual([]);
    const fc = forecast(wm, ok, fit, regimen().dose({ time: 48, amt: 1000, dur: 60, addl: 3, ii: 12 }).observe({ grid: { from: 48, to: 96, step: 1 } }).records(), { draws: 20, metrics: ['auc24'], seed: 1 });
    expect(overlap(fc.warnings)).toEqual([expect.stringMatching(/^W_INFUSION_OVERLAP: future regimen: row \d+ \(ID 1, TIME 48\): the infusion of 1000 over 60 h runs past its own next dose, every 12 h \(II 12, ADDL 3\)/)]);
    const r = await cli(['simulate', '--model', '1cmt-iv', '--param', 'CL=5', '--param', 'V=50', '--data', 'test/fixtures/infusion-overlap/dur60.csv']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('dosewise: warning: W_INFUSION_OVERLAP: test/fixtures/infusion-overlap/dur60.csv, row 1 (ID 1, TIME 0): the infusion of 1000 over 59.9999 h runs past its own next dose, every 12 h (II 12, ADDL 3)');
    const e = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', 'test/fixtures/infusion-overlap/map-patient-60h.csv']);
    expect(e.err).toContain('W_INFUSION_OVERLAP');
  });
});
