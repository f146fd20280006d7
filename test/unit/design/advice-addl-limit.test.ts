// Advice from now over a history with a huge ADDL: the copies up to the advice's start are counted,
// not listed, and more than the engine queues (10^6) are refused naming the row, as the engine does.
// `--from next-dose` after one dose of ADDL 2e8 q12h is 2.4e9 h: listing every copy up to it (the
// daily maximum's dose list, the hold's kinks) ran out of memory before the simulation's refusal.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { adviseFromState } from '../../../src/design/optimize/advice.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-advice-addl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const model = defineModel({
  dosewise: 2,
  name: 'one-cmt-iv',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '5*exp(ETA_CL)', V: '40*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const options = { doses: [500, 1000], intervals: [12], infusions: [1], target: 'auc24:400:600', draws: 20 };

describe('ADDL copies before the advice are counted, not listed', () => {
  it('optimize --from next-dose after ADDL 2e7 q12h is refused at once naming the row (it listed 2e7 copies, 7.7 s, then the engine refused; 2e8 ran out of memory)', async () => {
    const data = join(tmp, 'adv2_2e7.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,ADDL,II,DV,MDV,CRCL,WT\n1,0,1,1000,1000,20000000,12,.,1,80,70\n1,40,0,.,.,.,.,15,0,80,70\n');
    const args = ['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', 'next-dose', '--target', 'auc24:400:600', '--doses', '500:1000:500', '--intervals', '12', '--infusions', '1', '--top', '1'];
    const r = await cli(args);
    expect(r.code).toBe(1);
    // next dose: the last copy at 2e7·12 h, then one interval: 240,000,012 h; every copy is before it
    expect(r.err).toContain(`${data}, row 1, column ADDL: 20000000 additional doses fall before the advice's start at 240000012 h (at most 1000000); give the regimen as a steady state (SS = 1) or in several records (got 20000000)`);
    // the refusal comes before the copies are listed (790 ms measured, the model's and engine's
    // first load included; 7,700 ms before): the message's count is the proof, not a clock, which a
    // loaded machine stretches
  }, 60_000);

  it('adviseFromState counts the copies up to `from` (ADDL 2e6 q12h: 2,000,000 due before 24,000,012 h), and lets 10^6 through to the engine', () => {
    const recs = readNmtran('ID,TIME,EVID,AMT,RATE,ADDL,II,DV,MDV\n1,0,1,1000,1000,2000000,12,.,1\n1,40,0,.,.,.,.,15,0\n').records;
    expect(() => adviseFromState(model, recs, { ...options, from: 24_000_012, file: 'p.csv' })).toThrow(
      /^p\.csv, row 1, column ADDL: 2000000 additional doses fall before the advice's start at 24000012 h \(at most 1000000\)/,
    );
    // from = 12·10^6 − 1: ⌊from/12⌋ + 1 = 10^6 copies due (the engine's count: those up to `from`
    // and the next), its limit, so not refused here; the copy at 12·10^6 h is a dose after the start
    expect(() => adviseFromState(model, recs, { ...options, from: 12_000_000 - 1, file: 'p.csv' })).toThrow(/^from 11999999: is before a dose of the history \(at 12000000 h\)/);
  });
});

describe('the hold reads the kinks of the history near the start only', () => {
  // 1000 mg over 1 h q12h, the fourth infusion (36–37 h) running at the advice's time 36.5 h: the
  // hold starts from its end at 37 h, an ADDL copy's infusion end, which must still be a kink
  const written = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,12,1,1000,1000,.,1\n1,24,1,1000,1000,.,1\n1,25,0,.,.,31.2,0\n1,35.5,0,.,.,9.1,0\n1,36,1,1000,1000,.,1\n').records;
  const addl = readNmtran('ID,TIME,EVID,AMT,RATE,ADDL,II,DV,MDV\n1,0,1,1000,1000,3,12,.,1\n1,25,0,.,.,.,.,31.2,0\n1,35.5,0,.,.,.,.,9.1,0\n').records;
  it('the hold of a history written with ADDL is that of the same doses written out, and the closed form', () => {
    const fit = estimate(model, written);
    const CL = fit.parameters.CL as number;
    const V = fit.parameters.V as number;
    const k = CL / V;
    const o = { ...options, from: 36.5, target: 'trough::10', timeStep: 0.5, loading: false };
    const a = adviseFromState(model, written, o, fit);
    const b = adviseFromState(model, addl, o, estimate(model, addl));
    // level at the infusion's end (37 h), by superposition of the four 1-h infusions at rate 1000
    let c37 = 0;
    for (const t0 of [0, 12, 24, 36]) c37 += (1000 / CL) * (1 - Math.exp(-k)) * Math.exp(-k * (37 - (t0 + 1)));
    const exact = 37 + Math.log(c37 / 10) / k - 36.5;
    expect(a.hold?.exact).toBeDefined();
    // measured 1.5e-12 h (the crossing is bracketed to 1e-12 h)
    expect(Math.abs((a.hold?.exact as number) - exact)).toBeLessThan(1e-11);
    expect(b.hold?.exact).toBe(a.hold?.exact);
  });
});
