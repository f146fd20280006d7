// W_DOSE_DUPLICATE for likely double-charting that is no exact copy: a q12h
// vancomycin chart's 20:00 dose charted at 20:00 and 20:05, or twice at 20:00 with RATE 500 and
// 1000, was given twice without a word (CL 3.575 → 4.025 L/h; the advised load 1750 → 1500 mg).
// Both doses are still given (as NONMEM gives them); the warning names both rows. The MAP of each
// chart from scipy: test/oracle/dose_near_duplicate.py → dose-near-duplicate.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { defineModel } from '../../../src/model/model.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

type Fit = { eta: number[]; ofv: number; CL: number };
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/dose-near-duplicate.json'), 'utf8')) as Record<'single' | 'dup2' | 'dup3', Fit>;

const head = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n';
const dose = (t: string, rate = 1000, amt = 1000, day = '2026-12-05'): string => `1,${day},${t},1,${amt},${rate},.,1,80,90,0\n`;
const tail = '1,2026-12-06,07:45,0,.,.,11.0,0,80,90,0\n' + dose('08:00', 1000, 1000, '2026-12-06');
const chart = (...twenty: string[]): string => head + dose('08:00') + twenty.join('') + tail;
const SINGLE = chart(dose('20:00'));
const DUP2 = chart(dose('20:00'), dose('20:05'));
const DUP3 = chart(dose('20:00', 500), dose('20:00'));
const warnings = (text: string): string[] => [...(readNmtran(text, { file: 'c.csv' }).warnings ?? [])];

describe('W_DOSE_DUPLICATE: one amount into one compartment within 15 minutes', () => {
  it('20:00 and 20:05: warned naming both rows and times', () => {
    expect(warnings(DUP2)).toEqual([
      expect.stringMatching(/^W_DOSE_DUPLICATE: c\.csv, rows 2 and 3 \(ID 1\): two doses of AMT 1000 at 2026-12-05 20:00 and 2026-12-05 20:05, 5 min apart, both given \(2000 in all\); .*remove one/),
    ]);
  });
  it('20:00 twice with RATE 500 and 1000: warned naming both rates', () => {
    expect(warnings(DUP3)).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: c\.csv, rows 2 and 3 \(ID 1\): two doses of AMT 1000 at 2026-12-05 20:00, RATE 500 and 1000, both given/)]);
  });
  it('a series at one spacing is no copy: morphine 2 mg at 0, 10 and 20 min, 250 mg every 15 min; two alone are warned', () => {
    const bolus = (t: string, amt: number): string => `1,2026-12-05,${t},1,${amt},0,.,1,80,90,0\n`;
    expect(warnings(head + bolus('08:00', 2) + bolus('08:10', 2) + bolus('08:20', 2) + tail)).toEqual([]);
    expect(warnings(head + bolus('08:00', 250) + bolus('08:15', 250) + bolus('08:30', 250) + bolus('08:45', 250) + tail)).toEqual([]);
    expect(warnings(head + bolus('08:00', 2) + bolus('08:10', 2) + tail)).toHaveLength(1);
  });
  it('a reset-and-dose record (EVID 4) 10 min after a dose: the last alone counts, as the warning says', () => {
    const text = head + dose('08:00') + '1,2026-12-05,08:10,4,1000,1000,.,1,80,90,0\n' + tail;
    expect(warnings(text)).toEqual([expect.stringMatching(/rows 1 and 2 .*10 min apart, the last one alone counts \(a reset-and-dose record, EVID 4/)]);
  });
  it('15 minutes is the limit: 20:15 warned, 20:16 not', () => {
    expect(warnings(chart(dose('20:00'), dose('20:15')))).toHaveLength(1);
    expect(warnings(chart(dose('20:00'), dose('20:16')))).toEqual([]);
  });
  it('both doses still given: the MAP of the chart as written (scipy)', () => {
    const model = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
    for (const [name, text] of [['single', SINGLE], ['dup2', DUP2], ['dup3', DUP3]] as const) {
      const fit = estimate(model, readNmtran(text).records);
      fit.eta.forEach((e, i) => expect(Math.abs(e - (ORACLE[name].eta[i] as number)), `${name} eta ${i}`).toBeLessThan(2e-4));
      expect(fit.parameters.CL).toBeCloseTo(ORACLE[name].CL, 3);
    }
  });
  it('not for legitimate patterns: another compartment, a bolus beside an infusion of another amount, a bag hung as the one before ends, another amount', () => {
    expect(warnings(SINGLE)).toEqual([]);
    const cmt = 'ID,DATE,TIME,EVID,AMT,RATE,CMT,DV,MDV\n1,2026-12-05,08:00,1,1000,0,1,.,1\n1,2026-12-05,08:00,1,1000,0,2,.,1\n1,2026-12-05,09:00,0,.,.,1,5,0\n';
    expect(readNmtran(cmt).warnings).toBeUndefined();
    // a loading push beside its bag differs in amount; a push of the bag's own amount is warned
    // (dose-near-duplicate-sched-titration.test.ts: a scheduled row without a rate)
    expect(warnings(chart(dose('20:00', 0, 500), dose('20:00')))).toEqual([]);
    expect(warnings(chart(dose('20:00', 0, 500), dose('20:05')))).toEqual([]);
    // a 2 g load as two 1 g bags of 10 minutes, the second hung at 20:10 as the first ends
    expect(warnings(chart(dose('20:00', 6000), dose('20:10', 6000)))).toEqual([]);
    expect(warnings(chart(dose('20:00', 1000, 1000), dose('20:05', 1000, 500)))).toEqual([]);
    // two boluses of one amount 5 minutes apart are warned (an oral dose charted twice)
    expect(warnings(chart(dose('20:00', 0), dose('20:05', 0)))).toHaveLength(1);
  });
});

describe('--from next-dose on a near-duplicate names the rows it means', () => {
  const { write: file } = tempFiles('dosewise-near-dup-');
  it('"no interval" names the doses by row and time', async () => {
    const data = file('dup2.csv', DUP2);
    const r = await cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', 'next-dose', '--target', 'auc24:400:600,trough::20', '--doses', '500:3000:250', '--intervals', '12', '--infusions', '1', '--top', '1', '--draws', '100']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from next-dose: the last doses have no interval \(no II; the doses at rows 2 \(12 h\), 3 \(12\.0833333333 h\) and 5 \(24 h\): 0\.0833333333333 h then 11\.9166666667 h apart\)/);
    expect(r.err).toMatch(/W_DOSE_DUPLICATE: \S*dup2\.csv, rows 2 and 3/);
  });
});
