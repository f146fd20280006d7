// pta refused a continuous infusion (2 g over 0.5 h, then 250 mg/h for 72 h) advising "a window
// metric (conc@T, cavg:T0:T1, auc:T0:T1, tabove:MIC:T0:T1, e.g. cavg:48:72)": population's metric
// names, which a target does not take (cavg:48:72 there is a Cavg of 48–72 mg/L, tabove:8:48:72 an
// error). A target's refusal now gives what a target can be: the regimen with II (dur 24, ii 24),
// or auc24 alone; the metric grammar's refusal (population, forecast) keeps its windows.

import { describe, expect, it } from 'vitest';
import { compileTarget } from '../../../src/design/targets/targets.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-pta-continuous-advice-');
const grid72 = [{ grid: { from: 0, to: 72, step: 0.25 } }];
const load = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 18000, cmt: 1, rate: 250 }], observe: grid72 };
/** The 18 g with a modelled duration (RATE −2) and no model to give it: its length not known. */
const modelled = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 18000, cmt: 1, rate: -2 }], observe: grid72 };
const iv = { dosewise: 2, name: '1cmt IV', structure: '1cmt-iv', parameters: { CL: '10*exp(ETA_CL)', V: 20 }, omega: { etas: ['ETA_CL'], diagonal: [0.09] }, residual: { model: 'proportional', proportional: 0.1 } };

describe('a target on a continuous infusion is refused with advice a target can follow', () => {
  it('compileTarget: the II form or auc24 alone, no window metric (was cavg:48:72)', () => {
    const records = parseRegimenJson(load);
    for (const target of ['fu=0.5/tabove:8:1', 'trough:10:20', 'cavg:10:20']) {
      let message = '';
      try {
        compileTarget(target, records);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(new RegExp(`^metric ${target.replace(/[./]/g, '\\$&')}: the last dose \\(doses\\.1: AMT 18000 at 0\\.5 h\\) is an infusion of 72 h`));
      expect(message).toContain('give the regimen with II (e.g. dur 24, ii 24, addl N for a 24-h rate)');
      expect(message).toContain("or the target auc24 alone (the profile's last 24 h)");
      expect(message).toContain('targets take no window of hours of their own');
      expect(message).not.toContain('a window metric');
      expect(message).not.toContain('cavg:48:72');
    }
    // the metric grammar keeps its windows
    expect(() => parseMetric('trough', regimenTimesOf(records))).toThrow(/a window metric \(conc@T, cavg:T0:T1, auc:T0:T1, tabove:MIC:T0:T1, e\.g\. cavg:48:72\)/);
  });

  it('a modelled length not known: auc24 too, in the targets\' terms', () => {
    const records = parseRegimenJson(modelled);
    expect(() => compileTarget('auc24:400:600', records)).toThrow(/^metric auc24:400:600: the last dose \(doses\.1: AMT 18000 at 0\.5 h, RATE -2\) has its infusion's duration from the model, not known here/);
    expect(() => compileTarget('auc24:400:600', records)).toThrow(/or the infusion with RATE > 0; targets take no window of hours of their own/);
    expect(() => parseMetric('auc24', regimenTimesOf(records))).toThrow(/or a window metric/);
  });

  it('pta: the refusal names the file and gives the II form, which pta takes', async () => {
    const model = write('iv.json', JSON.stringify(iv));
    const r = write('ci_load.json', JSON.stringify(load));
    const refused = await cli(['pta', '--model', model, '--regimens', r, '--target', 'fu=0.5/tabove:8:1', '--n', '20', '--workers', '0', '--no-progress']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/regimen .*ci_load\.json: metric fu=0\.5\/tabove:8:1: .*dur 24, ii 24, addl N.*the target auc24 alone/);
    expect(refused.err).not.toContain('cavg:48:72');
    const ii = write('ci_ii.json', JSON.stringify({ doses: [load.doses[0], { time: 0.5, amt: 6000, cmt: 1, dur: 24, ii: 24, addl: 2 }], observe: grid72 }));
    const out = await cli(['pta', '--model', model, '--regimens', ii, '--target', 'fu=0.5/tabove:8:1', '--n', '20', '--workers', '0', '--no-progress']);
    expect(out.code, out.err).toBe(0);
  }, 60_000);
});

// the advice 'dur 24, ii 24, addl N' cannot be written in an NM-TRAN CSV regimen (its reader refuses
// a DUR column: 'give RATE = AMT/DUR'): the CSV form is given beside it
describe('a CSV regimen of a continuous infusion', () => {
  it('pta: the refusal gives the CSV form, RATE = AMT/24 with II 24 and ADDL N', async () => {
    const model = write('iv-csv.json', JSON.stringify(iv));
    const csv = write('cont.csv', 'ID,TIME,AMT,RATE,CMT,EVID,MDV,DV,II,ADDL\n1,0,2400,100,1,1,1,.,24,2\n1,24,2400,50,1,1,1,.,.,.\n1,96,0,.,1,0,0,.,.,.\n');
    const refused = await cli(['pta', '--model', model, '--regimens', csv, '--target', 'trough:10:20', '--n', '20', '--workers', '0', '--no-progress']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/cont\.csv: metric trough:10:20: the last dose \(row 2: AMT 2400 at 24 h\) is an infusion of 48 h.*give the regimen with II \(e\.g\. dur 24, ii 24, addl N for a 24-h rate\), in a CSV regimen \(which takes no duration\) RATE = AMT\/24 with II 24 and ADDL N, or the target auc24 alone/);
  }, 60_000);
});
