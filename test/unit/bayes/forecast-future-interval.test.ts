// The dosing interval of a forecast's future plan (a vancomycin case): 1250 mg over 1.25 h
// at 51.83 and 75.83 h, given without II, after a history with one late dose (at 0, 12.33 and
// 27.17 h). The spacing rule for doses without II (the last two gaps equal) took the history's last
// dose in: gaps 24.67 and 24 h, no interval, and auc24 and trough were read on the grid's last 24 h
// and at its end (auc24 80-104 589.566, trough 75.83333333333333-104 18.9183, both "within"
// auc24:400:600, trough::20), numbers that moved with where the grid ended. The plan's own doses now
// give its interval (75.83–99.83 h); where a forecast still has none it says so (W_NO_INTERVAL), and
// windows are printed to 2 decimals.
//
// Reference (SciPy, computed once, not at test time): the Goti 2018 model at dosewise's MAP η
// (−0.13388830163370377, −0.4017328226712947, −0.05592429371203161), CRCL by NOCB (the future's 41),
// WT 82, each dose an infusion at 1000 mg/h, propagated exactly by expm of the 2-compartment matrix
// augmented with the infusion rate and the central AUC, between every record, infusion end and
// query time: AUC(75.83–99.83 h) 657.2692510493061, C(99.83 h) 20.5043847822866 (and, the old
// windows, AUC(80–104 h) 589.5595320799225, C(104 h) 18.9183097177404).
// Measured: auc24 657.28008 (+1.65e-5, the metric grid's quadrature), trough 20.504384782287 (1e-13).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const AUC_INTERVAL = 657.2692510493061;
const TROUGH = 20.5043847822866;

const dir = mkdtempSync(join(tmpdir(), 'dosewise-future-interval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const history = file(
  'vanc1.csv',
  [
    'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL',
    '1,03/04/2026,08:10,1,1500,1000,.,1,82,85',
    '1,03/04/2026,20:30,1,1000,1000,.,1,82,85',
    '1,03/05/2026,07:45,0,.,.,14.2,0,82,62',
    '1,03/05/2026,11:20,1,1000,1000,.,1,82,62',
    '1,03/05/2026,11:50,0,.,.,31.5,0,82,62',
    '1,03/06/2026,06:40,0,.,.,21.8,0,82,41',
    '',
  ].join('\n'),
);
const dose = (time: number, more: object = {}): object => ({ time, amt: 1250, dur: 1.25, ...more });
const plan = (doses: object[], to: number): string => file(`plan-${doses.length}-${to}.json`, JSON.stringify({ doses, observe: [{ grid: { from: 48, to, step: 4 } }] }));
const run = (regimen: string, json: boolean) =>
  cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', history, '--regimen', regimen, '--target', 'auc24:400:600,trough::20', '--draws', '50', ...(json ? ['--json'] : [])]);
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('forecast: the future plan gives its own dosing interval', () => {
  it("q24h without II after a late history dose: the interval 75.83–99.83 h, not the grid's last 24 h", async () => {
    const regimen = plan([dose(51.833333333333336), dose(75.83333333333333)], 104);
    const j = await run(regimen, true);
    expect(j.code, j.err).toBe(0);
    const [f] = JSON.parse(j.out) as { metrics: Record<string, { mode: number }>; target: { clause: string; median_is: string }[] }[];
    // was 589.566 (80–104 h) and 18.9183 (at 104 h)
    expect(rel(f!.metrics.auc24!.mode, AUC_INTERVAL)).toBeLessThan(5e-5);
    expect(rel(f!.metrics.trough!.mode, TROUGH)).toBeLessThan(1e-9);
    expect(f!.target.find((t) => t.clause.startsWith('auc24'))?.median_is).toBe('above');
    const t = await run(regimen, false);
    expect(t.out).toMatch(/auc24 +75\.83-99\.83 +(?:\S+ \S+ – \S+ \S+ +)?657\.28/);
    expect(t.out).toMatch(/trough +75\.83-99\.83 +(?:\S+ \S+ – \S+ \S+ +)?20\.504/);
    expect(t.out).not.toMatch(/75\.8333333/);
    expect(t.err).not.toMatch(/W_NO_INTERVAL/);
  }, 60_000);

  it('a single future dose keeps no interval: W_NO_INTERVAL names the windows used and how to give one', async () => {
    const t = await run(plan([dose(51.833333333333336)], 104), false);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/auc24 +80-104 /);
    expect(t.out).toMatch(/trough +51\.83-104 /);
    expect(t.err).toMatch(/W_NO_INTERVAL: future regimen: the last dose \(at 51\.83 h\) has no dosing interval .*auc24 80–104 h, .*trough 51\.83–104 h; to judge a dosing interval, give the future doses with ii \(and addl/);
  }, 60_000);

  it('with ii and addl the interval was right; a grid ending inside it is said (W_EARLIER_INTERVAL)', async () => {
    // the grid from 48 by 4 h stops at 96 h, inside the q24h interval of the dose at 75.83 h
    const t = await run(plan([dose(51.833333333333336, { ii: 24, addl: 1 })], 99.83333333333333), false);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/trough +51\.83-75\.83 /);
    expect(t.err).toMatch(/W_EARLIER_INTERVAL: future regimen: the observation grid ends at 96 h/);
    expect(t.err).not.toMatch(/W_NO_INTERVAL/);
  }, 60_000);
});

describe('regimenTimesOf: the plan after a history', () => {
  const doses = (times: number[]) => parseRegimenJson({ doses: times.map((time) => ({ time, amt: 1000 })), observe: [{ times: [110] }] });
  it("two regular plan doses are spaced on their own; without the plan's start the late history dose leaves none", () => {
    const records = doses([0, 12.33, 27.17, 51.83, 75.83]);
    expect(regimenTimesOf(records, 110).tau).toBe(0);
    expect(regimenTimesOf(records, 110, undefined, 51.83).tau).toBeCloseTo(24, 12);
  });
  it("a single plan dose is spaced with the history's doses, as before", () => {
    const records = doses([0, 24, 48]);
    expect(regimenTimesOf(records, 110, undefined, 48).tau).toBe(24);
    expect(regimenTimesOf(doses([0, 30, 48]), 110, undefined, 48).tau).toBe(0);
  });
});
